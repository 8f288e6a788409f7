"""Benchmark of the employment-area partitions: ``python bench/aluejaot.py``.

The input is Pirkanmaa's municipalities by the register (``data/kunnat.csv``), their neighbours as
the contiguity check defines them (``geo.Boundaries.neighbours``), and the labour-force measures,
year and threshold of the 20 000 rule in ``data/parametrit/tyollisyysalueet.yaml``.

Measures, in the same run:
- the exact count of legal partitions, by number of areas, and the time to count them;
- the time to enumerate them all, streamed in chunks of canonical label matrices;
- one vectorised evaluation pass over all of them: each area's pool of 1 € per inhabitant split
  by the unemployed-jobseeker key of the parameter file (``tunnusluvut``), with each
  municipality's smallest and largest payment per inhabitant;
- where the shipped scenarios' areas (restricted to these municipalities) are in the stream;
- the summaries of ``kustannukset aluejaot`` (``scenarios.districts.summarise``: count by areas,
  each municipality's minimum, median and maximum, the decided areas' percentile, the top
  partitions) in one streamed pass, under the key and pool of ``paatetty_2025`` and under the
  unemployed-jobseeker key;
- the peak memory of the process (``ru_maxrss``);
- the straightforward recursive enumerator as the baseline: run to the end on the municipalities
  of the decided Tampere area, and with a time limit on the whole region (its rate, and an
  extrapolated time that is labelled as an estimate).

Targets (issue 12): count and enumerate all partitions in under 10 s, evaluate them under one key in
under 10 s more, peak memory under 1 GB. Times are wall-clock, with the process's CPU time beside
them, as the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kustannukset.districts import region as districts
from kustannukset.districts.partitions import (
    PartitionSpace,
    area_count,
    find_partition,
    induced_adjacency,
    recursive_partitions,
    split_pool,
)
from kustannukset.scenarios.context import load_context

REGION = "Pirkanmaa"
SCENARIOS = ("huhtikuu_2023", "elokuu_2023", "paatetty_2025")
SMALL_AREA = ("paatetty_2025", "Tampereen seudun työllisyysalue")
TARGET_ENUMERATE_S = 10.0
TARGET_EVALUATE_S = 10.0
TARGET_MEMORY_MB = 1024.0
MIN_FOR_ESTIMATE = 1000  # partitions the time-limited baseline must find before extrapolating


class Clock:
    """Wall-clock and CPU seconds, accumulated over the timed stretches."""

    def __init__(self) -> None:
        self.wall = 0.0
        self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s (suoritinaika {self.cpu:.2f} s)"


def figures(context, codes, spec) -> dict[str, int]:
    """One measure (or a sum of measures) of one year for the municipalities, as integers."""
    measures = spec["mittarit"] if "mittarit" in spec else [spec["mittari"]]
    total = dict.fromkeys(codes, 0)
    for measure in measures:
        for code, value in context.values(measure, int(spec["vuosi"]), codes).items():
            total[code] += value
    return {code: int(value) for code, value in total.items()}


def number(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def scenario_blocks(context, name: str, codes: list[str]) -> tuple[str, list[list[str]]]:
    scenario = context.scenario(name)
    inside = set(codes)
    blocks = [[c for c in area.members if c in inside] for area in scenario.areas]
    return scenario.name, [b for b in blocks if b]


def why_illegal(context, space, blocks, adjacency) -> str:
    reasons = []
    for block in blocks:
        names = ", ".join(context.name(c) for c in block)
        force = sum(space.weights[c] for c in block)
        if force < space.threshold:
            reasons.append(f"{names}: työvoima {number(force)} < {number(space.threshold)}")
        elif not _connected(block, adjacency):
            reasons.append(f"{names}: ei yhtenäinen")
    return "; ".join(reasons)


def _connected(block, adjacency) -> bool:
    seen, todo = {block[0]}, [block[0]]
    while todo:
        for other in adjacency[todo.pop()]:
            if other in block and other not in seen:
                seen.add(other)
                todo.append(other)
    return len(seen) == len(block)


def baseline(codes, adjacency, weights, threshold, limit_s: float) -> tuple[int, Clock, bool]:
    """Partitions yielded by the recursive enumerator, its time, and whether it finished. The
    time limit is checked at each partition found, so the run stops at the first one after it."""
    clock = Clock()
    found = 0
    with clock:
        started = time.perf_counter()
        for _ in recursive_partitions(codes, adjacency, weights, threshold):
            found += 1
            if time.perf_counter() - started > limit_s:
                return found, clock, False
    return found, clock, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--perusura-sekunnit",
        type=float,
        default=60.0,
        help="perusmenetelmän aikaraja koko maakunnalla (s), oletus 60",
    )
    parser.add_argument("--pala", type=int, default=1 << 16, help="rivejä palassa (oletus 65536)")
    args = parser.parse_args(argv)

    context = load_context()
    codes = context.statistics.municipalities.in_region(REGION)
    adjacency = induced_adjacency(context.boundaries.neighbours, codes)
    force_spec = context.rule("tyovoima").value
    threshold = int(context.rule("tyovoimaraja").value)
    weights = figures(context, codes, force_spec)
    keys = context.rule("tunnusluvut").value
    population = figures(context, codes, keys["asukas"])
    jobseekers = figures(context, codes, keys["tyoton"])

    print(
        f"{REGION}: {len(codes)} kuntaa, työvoima = {' + '.join(force_spec['mittarit'])} "
        f"{force_spec['vuosi']} (yhteensä {number(sum(weights.values()))}), raja "
        f"{number(threshold)}; naapuruus kuntarajoista (yhteinen rajajana)"
    )
    print(f"kuorma ennen ajoa (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")

    # 1. count
    count_clock = Clock()
    with count_clock:
        space = PartitionSpace(codes, adjacency, weights, threshold)
        total = space.count()
        by_areas = space.count_by_areas()
    print(f"\nlaillisia aluejakoja: {number(total)} (laskenta {count_clock})")
    print("alueiden määrän mukaan: " + ", ".join(f"{k}: {number(c)}" for k, c in by_areas.items()))

    # 2. enumerate (streamed) and 3. evaluate each chunk as it comes
    space = PartitionSpace(codes, adjacency, weights, threshold)
    targets = {}
    for name in SCENARIOS:
        title, blocks = scenario_blocks(context, name, codes)
        legal = space.is_legal(blocks)
        targets[name] = (title, blocks, space.labels_of(blocks) if legal else None)
    key = np.array([jobseekers[c] for c in codes], dtype=float)
    pool = np.array([population[c] for c in codes], dtype=float)  # 1 € per inhabitant
    lowest = np.full(len(codes), np.inf)
    highest = np.full(len(codes), -np.inf)
    enumerate_clock, evaluate_clock = Clock(), Clock()
    seen, areas_seen, worst_error = 0, np.zeros(len(codes) + 1, dtype=np.int64), 0.0
    positions: dict[str, int] = {}
    chunks = space.iter_labels(args.pala)
    while True:
        with enumerate_clock:
            chunk = next(chunks, None)
        if chunk is None:
            break
        with evaluate_clock:
            payments = split_pool(chunk, key, pool)
            per_inhabitant = payments / pool
            np.minimum(lowest, per_inhabitant.min(axis=0), out=lowest)
            np.maximum(highest, per_inhabitant.max(axis=0), out=highest)
            worst_error = max(worst_error, float(np.abs(payments.sum(axis=1) - pool.sum()).max()))
            areas_seen += np.bincount(area_count(chunk), minlength=len(codes) + 1)
        for name, (_, _, row) in targets.items():
            if row is not None:
                for hit in find_partition(chunk, row):
                    positions[name] = seen + int(hit)
        seen += len(chunk)
    print(
        f"luettelointi (virtana, {args.pala} riviä palassa): {enumerate_clock}, {number(seen)} jakoa"
    )
    by_areas_seen = {k: int(c) for k, c in enumerate(areas_seen) if c}
    print(
        f"arviointi (1 € asukasta kohden -potti jaettuna työttömien avaimella "
        f"{keys['tyoton']['mittari']} {keys['tyoton']['vuosi']}, kaikki jaot ja kunnat kerralla "
        f"numpylla): {evaluate_clock}"
    )
    print(
        f"tarkistukset: virrassa {number(seen)} = laskettu {number(total)}; alueiden määrät "
        f"{'samat' if by_areas_seen == by_areas else 'ERI'}; maksut täsmäävät pottiin "
        f"(suurin ero {worst_error:.1e} €)"
    )
    spread = sorted(
        zip(codes, lowest, highest, strict=True), key=lambda r: r[2] - r[1], reverse=True
    )
    print(
        "suurin vaihteluväli (maksu €/asukas, kun potti on 1 €/asukas): "
        + ", ".join(f"{context.name(c)} {lo:.2f}–{hi:.2f}" for c, lo, hi in spread[:3])
    )
    for name, (title, blocks, row) in targets.items():
        if row is None:
            reason = why_illegal(context, space, blocks, adjacency)
            print(f"skenaario {name} ({title}): ei laillinen {REGION}n jakona – {reason}")
        else:
            print(
                f"skenaario {name} ({title}): laillinen, virran kohdassa "
                f"{number(positions[name])} / {number(seen)}"
            )

    # 3b. the summaries of the command line, in one streamed pass each
    region = districts.load_region(context)
    jobless_key = districts.parse_key(f"{keys['tyoton']['mittari']}:{keys['tyoton']['vuosi']}")
    summary_clocks = []
    for key in (None, jobless_key):
        basis = districts.load_basis(region, key=key)
        summary_clock = Clock()
        with summary_clock:
            summary = districts.summarise(region, basis)
        summary_clocks.append(summary_clock)
        print(
            f"\nyhteenvedot (luettelointi + arviointi + mediaanit + sijoitus + kärkijaot, "
            f"jakoperuste {basis.key_label}): {summary_clock}, {number(summary.count)} jakoa"
        )
        table = summary.table
        print(
            "  päätettyjen alueiden persentiili (osuus jaoista, joissa kunta maksaa vähemmän): "
            + ", ".join(
                f"{name} {value:.1f}"
                for name, value in zip(table["Kunta"], table["Persentiili %"], strict=True)
            )
        )
        for note in summary.notes:
            print(f"  huom: {note}")

    # 4. the baseline
    scenario, area_name = SMALL_AREA
    area = next(a for a in context.scenario(scenario).areas if a.name == area_name)
    small = [c for c in codes if c in area.members]
    small_adjacency = induced_adjacency(adjacency, small)
    small_weights = {c: weights[c] for c in small}
    fast_small = Clock()
    with fast_small:
        fast_count = PartitionSpace(small, small_adjacency, small_weights, threshold).count()
        fast_rows = sum(
            len(c)
            for c in PartitionSpace(small, small_adjacency, small_weights, threshold).iter_labels()
        )
    slow_count, slow_small, _ = baseline(
        small, small_adjacency, small_weights, threshold, float("inf")
    )
    print(
        f"\nperusmenetelmä (suoraviivainen rekursio) samassa ajossa, {area_name} "
        f"({len(small)} kuntaa): {number(slow_count)} jakoa, {slow_small}; nopea laskenta + "
        f"luettelointi {number(fast_rows)} jakoa: {fast_small}; "
        f"{slow_small.wall / fast_small.wall:,.0f}-kertainen ero"
    )
    assert slow_count == fast_count == fast_rows
    found, slow_clock, finished = baseline(
        codes, adjacency, weights, threshold, args.perusura_sekunnit
    )
    if finished:
        print(f"perusmenetelmä, koko {REGION}: {number(found)} jakoa, {slow_clock}")
    else:
        rate = found / slow_clock.wall
        print(
            f"perusmenetelmä, koko {REGION}: aikaraja {args.perusura_sekunnit:.0f} s, keskeytetty "
            f"ensimmäisen rajan jälkeen löytyneen jaon kohdalla: {slow_clock}, "
            f"{number(found)} / {number(total)} jakoa ({rate:,.0f} jakoa/s); "
            f"koko ajo kestäisi siis yli {args.perusura_sekunnit:.0f} s (mitattu alaraja)"
        )
        if found >= MIN_FOR_ESTIMATE:
            print(
                f"  ARVIO koko ajasta samalla nopeudella: {number(total / rate / 60)} min "
                "(lineaarinen ekstrapolointi, ei mitattu; jakoja ei löydy tasaisesti, joten arvio "
                "on karkea)"
            )
        else:
            print(f"  alle {MIN_FOR_ESTIMATE} jakoa: liian vähän ekstrapolointiin")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nmuistin huippu (koko prosessi, ru_maxrss): {number(peak_mb)} Mt")
    enumerate_total = count_clock.wall + enumerate_clock.wall
    print(
        f"laskenta + luettelointi {enumerate_total:.2f} s (tavoite < {TARGET_ENUMERATE_S:.0f} s), "
        f"arviointi {evaluate_clock.wall:.2f} s (tavoite < {TARGET_EVALUATE_S:.0f} s), "
        f"muisti {number(peak_mb)} Mt (tavoite < {number(TARGET_MEMORY_MB)} Mt)"
    )
    print(
        "yhteenvedot kokonaisuudessaan: "
        + ", ".join(f"{c.wall:.2f} s" for c in summary_clocks)
        + f" (tavoite < {TARGET_ENUMERATE_S + TARGET_EVALUATE_S:.0f} s kukin)"
    )
    print(f"kuorma ajon jälkeen (1/5/15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    ok = (
        enumerate_total < TARGET_ENUMERATE_S
        and evaluate_clock.wall < TARGET_EVALUATE_S
        and peak_mb < TARGET_MEMORY_MB
        and seen == total
        and all(c.wall < TARGET_ENUMERATE_S + TARGET_EVALUATE_S for c in summary_clocks)
    )
    print("Tavoitteet saavutettu." if ok else "TAVOITE EI TÄYTY.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
