"""Benchmark of the all-partitions command: ``python bench/aluejaot.py``.

Measures whole commands, each in a fresh process, beside their baselines in the same run, and prints
the machine's load before and after (the machine may be shared):

- ``kustannukset aluejaot`` for Pirkanmaa (count, distributions, top lists) against
  ``kustannukset jako 2023``, the two run alternately (target: at most 1,5 times);
- ``aluejaot --maakunta Uusimaa`` and ``--maakunta Varsinais-Suomi``: time (the median of
  ``--kertaa`` runs) and peak memory of the process (ru_maxrss; targets: at most 10 s and 2 GB
  each);
- ``aluejaot --koko-maa``: a row per mainland region (target: at most 60 s), and each region's count
  from it;
- each region's count beside graphillion's (``GraphSet.balanced_partitions(weight_list=...,
  lower=...)``, its default edge order, in a process of its own with a time limit), and the
  size estimate made before a region is built beside the real size;
- the all-partitions report (``kustannukset raportti`` renders every report; the partitions report
  is timed from its own line) against ``jako 2023``.

Times are wall-clock seconds; the median of ``--kertaa`` runs where a command is repeated.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kustannukset.districts import region as districts  # noqa: E402

TARGET_RATIO = 1.5
TARGET_REGION_S = 10.0
TARGET_REGION_MB = 2048.0
TARGET_COUNTRY_S = 60.0
TARGET_REPORT_RATIO = 8.0
GRAPHILLION_LIMIT_S = 120.0

# Runs a command of the package in this process and prints its peak memory (MB) last on stderr.
PEAK = (
    "import resource, sys\n"
    "from kustannukset.cli import main\n"
    "sys.argv = ['kustannukset', *sys.argv[1:]]\n"
    "try:\n"
    "    code = main()\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "sys.stdout.flush()\n"
    "print(f'PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}', "
    "file=sys.stderr)\n"
    "sys.exit(code or 0)\n"
)

# Counts one region's partitions with graphillion and prints the count and the seconds.
GRAPHILLION = (
    "import sys, time\n"
    "from graphillion import GraphSet\n"
    "from kustannukset.districts import region as districts\n"
    "context = districts.load_context()\n"
    "region = districts.load_region(context, region=sys.argv[1])\n"
    "index = {c: i + 1 for i, c in enumerate(region.codes)}\n"
    "edges = sorted({tuple(sorted((index[a], index[b]))) for a in region.codes "
    "for b in region.adjacency[a]})\n"
    "started = time.perf_counter()\n"
    "GraphSet.set_universe(edges)\n"
    "found = GraphSet.balanced_partitions(weight_list={index[c]: region.labour[c] "
    "for c in region.codes}, lower=region.threshold)\n"
    "print(found.len(), f'{time.perf_counter() - started:.2f}')\n"
)


def load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def run(args: list[str], *, code: str = PEAK) -> tuple[float, float, str]:
    """Seconds, peak MB and stdout of ``kustannukset ARGS`` in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"kustannukset {' '.join(args)} epäonnistui: {done.stderr[-2000:]}")
    peak = float(done.stderr.strip().splitlines()[-1].split()[-1])
    return seconds, peak, done.stdout


def number(x: float) -> str:
    return f"{x:,.0f}".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kertaa", type=int, default=3, help="toistoja (oletus 3)")
    parser.add_argument(
        "--ilman-raporttia", action="store_true", help="älä mittaa raporttia (nopeampi)"
    )
    args = parser.parse_args(argv)
    print(f"kuorma ennen ajoa (1/5/15 min): {load()}; suorittimia {os.cpu_count()}")
    ok = True

    # 1. Pirkanmaa against jako 2023, alternately
    jako, pirkanmaa = [], []
    for _ in range(args.kertaa):
        jako.append(run(["jako", "2023"])[0])
        pirkanmaa.append(run(["aluejaot"])[0])
    base, ours = statistics.median(jako), statistics.median(pirkanmaa)
    ratio = ours / base
    ok &= ratio <= TARGET_RATIO
    print(
        f"\njako 2023 (perustaso): {base:.2f} s; aluejaot Pirkanmaa: {ours:.2f} s "
        f"= {ratio:.2f} x (tavoite <= {TARGET_RATIO}); mediaani {args.kertaa} ajosta; "
        f"kuorma {load()}"
    )

    # 2. the large regions: time and peak memory, the median of as many runs (the machine's speed
    # varies from one run to the next by more than a second)
    for name in ("Uusimaa", "Varsinais-Suomi"):
        runs = [run(["aluejaot", "--maakunta", name]) for _ in range(args.kertaa)]
        seconds = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        ok &= seconds <= TARGET_REGION_S and peak <= TARGET_REGION_MB
        each = ", ".join(f"{r[0]:.2f}" for r in runs)
        print(
            f"aluejaot --maakunta {name}: {seconds:.2f} s (tavoite <= {TARGET_REGION_S:.0f} s; "
            f"ajot {each} s), muistin huippu {number(peak)} Mt (tavoite <= "
            f"{number(TARGET_REGION_MB)} Mt); samassa ajossa jako 2023 {base:.2f} s; "
            f"kuorma {load()}"
        )

    # 3. the whole country
    seconds, peak, out = run(["aluejaot", "--koko-maa", "--csv"])
    ok &= seconds <= TARGET_COUNTRY_S
    print(
        f"aluejaot --koko-maa: {seconds:.2f} s (tavoite <= {TARGET_COUNTRY_S:.0f} s), muistin "
        f"huippu {number(peak)} Mt; kuorma {load()}"
    )
    counts = _counts(out)

    # 4. the counts beside graphillion's, and the size estimate beside the real size
    context = districts.load_context()
    print("\nmaakunta: laillisia jakoja (työvoima 31.12.2021, raja 20 000) | graphillion | arvio")
    for name in districts.mainland_regions(context):
        ours_count = counts.get(name)
        theirs = _graphillion(name)
        estimate = ""
        try:
            region = districts.load_region(context, region=name)
            guess = region.estimate()
            real = len(region.space().dag.blocks)
            estimate = f"kaaria arvio {number(guess.edges)} / todellinen {number(real)}"
        except districts.InputError as exc:
            estimate = f"ei laskettavissa: {exc.message[:80]}"
        same = (
            ""
            if theirs[0] is None or ours_count is None
            else ("sama" if theirs[0] == ours_count else "ERI")
        )
        print(
            f"  {name}: {ours_count if ours_count is not None else '–'} | "
            f"{theirs[0] if theirs[0] is not None else theirs[1]} "
            f"({theirs[1] if theirs[0] is not None else ''}) {same} | {estimate}"
        )

    # 5. the report
    if not args.ilman_raporttia:
        with tempfile.TemporaryDirectory() as target:
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "kustannukset", "raportti", "--kohde", target],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            seconds = time.perf_counter() - started
        lines = [line for line in done.stdout.splitlines() if "aluejaot" in line]
        ok &= done.returncode == 0 and seconds / base <= TARGET_REPORT_RATIO
        print(
            f"\nkustannukset raportti (kaikki raportit): {seconds:.2f} s = "
            f"{seconds / base:.1f} x jako 2023 ({base:.2f} s); kaikkien raporttien tavoite "
            f"<= {TARGET_REPORT_RATIO:.0f} x; aluejakoraportin rivi: "
            f"{lines[-1] if lines else '–'}; kuorma {load()}"
        )
    print(f"\nkuorma ajon jälkeen (1/5/15 min): {load()}")
    print("Tavoitteet saavutettu." if ok else "TAVOITE EI TÄYTY.")
    return 0 if ok else 1


def _counts(csv_text: str) -> dict[str, int | None]:
    """The region -> count column of ``--koko-maa --csv`` (its Finnish or snake_case header)."""
    found = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        name = row.get("Maakunta", row.get("maakunta"))
        value = row.get("Laillisia jakoja", row.get("laillisia_jakoja")) or ""
        found[name] = int(float(value)) if value else None
    return found


def _graphillion(name: str) -> tuple[int | None, str]:
    try:
        done = subprocess.run(
            [sys.executable, "-c", GRAPHILLION, name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=GRAPHILLION_LIMIT_S,
        )
    except subprocess.TimeoutExpired:
        return None, f"yli {GRAPHILLION_LIMIT_S:.0f} s"
    if done.returncode != 0:
        return None, "ei laskettavissa"
    count, seconds = done.stdout.split()
    return int(count), f"{seconds} s"


if __name__ == "__main__":
    raise SystemExit(main())
