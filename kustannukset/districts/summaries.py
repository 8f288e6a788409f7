"""What the command and the report show about every legal partition of a region, and the regions'
table of the whole country, as tables.

One region (:func:`summarise`): the count by areas; each municipality's payment over all legal
partitions (minimum, quartiles, median, maximum, in euros and per inhabitant), its net against the
state-funding estimate where there is one, and where the decided areas of 2025 put it (percentile:
the share of partitions in which it pays less, ties counting half), all exactly from the blocks
(:mod:`kustannukset.districts.evaluation`); and the top partitions by :data:`CRITERIA`, found by
branch and bound (:mod:`kustannukset.districts.search`).

The whole country (:func:`national`): a row per mainland region with its municipalities, labour
force, number of legal partitions (and by number of areas), the decided areas of 2025 that lie in it
(an area that crosses the region's border named as such), and the municipalities whose labour force
would let them stand alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.districts import evaluation, search
from kustannukset.districts.partitions import PartitionSpace
from kustannukset.districts.region import (
    DECIDED_SCENARIO,
    CostBasis,
    Region,
    areas_in,
    could_stand_alone,
    decided_blocks,
    load_region,
    mainland_regions,
    region_municipalities,
)
from kustannukset.view.formatting import euros

TOP = 5

CRITERIA = {
    "tasaisin": "pienin €/asukas-ero alueiden välillä (tasapelissä kuntien välillä)",
    "vahiten": "vähiten alueita (tasapelissä pienin €/asukas-ero kuntien välillä)",
    "eniten": "eniten alueita (tasapelissä pienin €/asukas-ero kuntien välillä)",
}
SEARCH_NOTE = (
    "Kärkijaot on haettu rajaavalla haulla kaikkien laillisten jakojen "
    "joukosta luettelematta niitä; tulos on sama kuin jos kaikki jaot olisi käyty läpi."
)


@dataclass
class Ranked:
    """One partition among the top ones: its number and its blocks."""

    index: int
    blocks: tuple[frozenset, ...]
    areas: int
    area_spread: float  # max - min of the areas' € per inhabitant
    spread: float  # max - min of the municipalities' € per inhabitant


@dataclass
class Summary:
    region: Region
    basis: CostBasis
    count: int
    by_areas: dict[int, int]
    table: pd.DataFrame  # one row per municipality
    top: dict[str, list[Ranked]]
    decided: tuple[frozenset, ...] | None
    decided_legal: bool
    notes: list[str] = field(default_factory=list)
    searched: int = 0  # search states visited for the top lists
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Standing:
    """One municipality's payment under the decided areas against its median over every legal
    partition."""

    name: str
    decided: float
    median: float

    @property
    def over(self) -> float:
        """How much more it pays under the decided areas than in the median partition."""
        return self.decided - self.median


@dataclass(frozen=True)
class Headline:
    """The answer of the partitions report in figures (its page 1): how many legal partitions,
    of how many areas, who could stand alone, and where the decided areas of 2025 put each
    municipality's payment against its median over every partition."""

    municipalities: int
    count: int
    fewest_areas: int
    most_areas: int
    usual_areas: int  # the number of areas that most partitions have
    usual_count: int  # how many partitions have it
    alone: list[str]  # municipalities whose own labour force reaches the threshold
    decided_legal: bool
    standings: list[Standing]  # the decided areas against the median, by municipality

    @property
    def below_median(self) -> list[Standing]:
        return [s for s in self.standings if s.over < 0]

    @property
    def above_median(self) -> list[Standing]:
        return [s for s in self.standings if s.over > 0]

    @property
    def most_over(self) -> Standing | None:
        """The municipality that pays the most above its median under the decided areas."""
        above = self.above_median
        return max(above, key=lambda s: s.over) if above else None

    @property
    def most_under(self) -> Standing | None:
        """The municipality that pays the most below its median under the decided areas."""
        below = self.below_median
        return min(below, key=lambda s: s.over) if below else None


def headline(summary: Summary) -> Headline:
    """Page 1 of the partitions report from one key's summary (:func:`summarise`)."""
    region = summary.region
    by_areas = {k: v for k, v in summary.by_areas.items() if v}
    usual = max(by_areas, key=lambda k: (by_areas[k], -k)) if by_areas else 0
    standings = []
    if "Päätetyt alueet €" in summary.table and summary.count:
        for _, row in summary.table.iterrows():
            standings.append(
                Standing(
                    str(row["Kunta"]), float(row["Päätetyt alueet €"]), float(row["Mediaani €"])
                )
            )
    return Headline(
        municipalities=len(region.codes),
        count=summary.count,
        fewest_areas=min(by_areas) if by_areas else 0,
        most_areas=max(by_areas) if by_areas else 0,
        usual_areas=usual,
        usual_count=by_areas.get(usual, 0),
        alone=sorted(
            region.context.name(c) for c in region.codes if region.labour[c] >= region.threshold
        ),
        decided_legal=summary.decided_legal,
        standings=standings,
    )


def summarise(
    region: Region,
    basis: CostBasis,
    *,
    decided: str | None = DECIDED_SCENARIO,
    top: int = TOP,
    space: PartitionSpace | None = None,
) -> Summary:
    """Every legal partition summarised from its blocks: the count by areas, each municipality's
    distribution, the decided areas' place, and the top partitions."""
    clock = _Clock()
    space = space or region.space()
    count = space.count()
    clock.lap("laskenta")
    # the count by number of areas and the top lists run in threads beside the distributions
    # (numpy lets go of the interpreter lock in its vector operations); the fewest and most areas
    # of each set, which both use, are made by the first that asks (the other waits)
    with ThreadPoolExecutor(2) as pool:
        by_areas = pool.submit(space.count_by_areas) if count else None
        return _summarise(region, basis, decided, top, space, clock, pool, by_areas)


def _summarise(
    region: Region,
    basis: CostBasis,
    decided: str | None,
    top: int,
    space: PartitionSpace,
    clock: _Clock,
    pool: ThreadPoolExecutor,
    by_areas: Future[dict[int, int]] | None,
) -> Summary:
    n = len(region.codes)
    count = space.count()
    notes = list(basis.notes)
    blocks = decided_blocks(region, decided) if decided else None
    decided_legal = bool(blocks) and space.is_legal(blocks)
    numbers = basis.numbers
    target = None
    if blocks:
        target = numbers.payments(space.labels_of(blocks)[None, :])[0]

    masks, weights = space.blocks() if count else (np.zeros(0, np.int64),) * 2
    values = numbers.blocks(masks, n)
    searching = pool.submit(_top_lists, space, values, top) if count and top > 0 else None
    payments = evaluation.distribution(values, weights, count, n)
    nets = None
    if numbers.funding is not None:
        nets = evaluation.distribution(values, weights, count, n, offset=numbers.funding)
    ranks = (
        evaluation.percentiles(values, weights, count, n, target) if target is not None else None
    )
    clock.lap("jakaumat")
    table = _table(region, basis, payments, nets, target, ranks, count)

    ranked: dict[str, list[Ranked]] = {name: [] for name in CRITERIA}
    searched = 0
    if searching is not None:
        ranked, searched = searching.result()
        notes.append(SEARCH_NOTE)
    clock.lap("kärkijaot")
    if count and np.all(payments.maximum - payments.minimum <= 2 * evaluation.TIE_EUROS):
        notes.append(
            "Jokaisen kunnan maksu on sama kaikissa jaoissa: potti jaettuna saman mittarin "
            "suhteessa, jonka mukaan potti kertyy, antaa jokaiselle kunnalle saman summan. Muu "
            "jakoperuste (esim. työttömät) erottaa jaot toisistaan."
        )
    areas = by_areas.result() if by_areas is not None else {}
    clock.lap("laskenta alueittain")
    return Summary(
        region,
        basis,
        count,
        areas,
        table,
        ranked,
        blocks,
        decided_legal,
        notes,
        searched,
        clock.laps,
    )


def _top_lists(
    space: PartitionSpace, values: evaluation.BlockValues, top: int
) -> tuple[dict[str, list[Ranked]], int]:
    """The ``top`` best partitions by each criterion (a search that prunes by bounds), and the
    number of search states visited."""
    dag = space.dag
    where = space.block_index()
    bounds = search.Search(space, values.per_area[where], values.low[where], values.high[where])
    ranked: dict[str, list[Ranked]] = {}
    searched = 0
    # the criteria are searched side by side (their bounds are shared, made once)
    with ThreadPoolExecutor(len(CRITERIA)) as pool:
        results = list(pool.map(lambda name: bounds.top(name, top), CRITERIA))
    for name, (found, visited) in zip(CRITERIA, results, strict=True):
        searched += visited
        ranked[name] = [
            Ranked(
                f.index,
                tuple(space.members_of(int(dag.blocks[e])) for e in f.edges),
                f.areas,
                f.area_spread,
                f.spread,
            )
            for f in found
        ]
    return ranked, searched


class _Clock:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def _table(region, basis, payments, nets, target, ranks, count) -> pd.DataFrame:
    people = basis.numbers.population
    rows = []
    for i, code in enumerate(region.codes):
        row: dict[str, object] = {
            "Kunta": region.context.name(code),
            "Kuntanumero": code,
        }
        stats = {
            "Pienin": payments.minimum[i],
            "Alakvartiili": payments.quartiles[0, i],
            "Mediaani": payments.quartiles[1, i],
            "Yläkvartiili": payments.quartiles[2, i],
            "Suurin": payments.maximum[i],
        }
        for label, value in stats.items():
            row[f"{label} €"] = float(value) if count else None
        if target is not None:
            row["Päätetyt alueet €"] = float(target[i])
        for label in ("Pienin", "Mediaani", "Suurin"):
            value = row[f"{label} €"]
            row[f"{label} €/asukas"] = (
                value / people[i] if value is not None and people[i] == people[i] else None
            )
        if target is not None:
            row["Päätetyt alueet €/asukas"] = (
                float(target[i]) / people[i] if people[i] == people[i] else None
            )
            row["Persentiili %"] = float(ranks[i]) if count else None
        if nets is not None:
            row["Valtionosuus, arvio €"] = float(basis.numbers.funding[i])
            for label, value in {
                "pienin": nets.minimum[i],
                "mediaani": nets.quartiles[1, i],
                "suurin": nets.maximum[i],
            }.items():
                row[f"Netto {label} €"] = float(value) if count else None
            if target is not None:
                row["Netto päätetyt alueet €"] = float(basis.numbers.funding[i] - target[i])
        rows.append(row)
    return pd.DataFrame(rows)


def partition_at(space: PartitionSpace, index: int) -> tuple[frozenset, ...]:
    """The partition numbered ``index`` (from 0)."""
    count = space.count()
    if not 0 <= index < count:
        raise InputError(
            f"jakoa numero {index + 1} ei ole: laillisia jakoja on {count}", column="--jako"
        )
    return space.partition_at(index)


def position_of(space: PartitionSpace, blocks) -> int | None:
    """The number (from 0) of a legal partition, None if it is not legal."""
    return space.index_of(blocks)


# --- the whole country ----------------------------------------------------------------------------


NATIONAL_COLUMNS = [
    "Maakunta",
    "Kuntia",
    "Työvoima",
    "Laillisia jakoja",
    "Alueiden määrän mukaan",
    "Päätetyt alueet 2025",
    "Voisi järjestää yksin",
    "Huom",
]


def national(
    context,
    decided: str = DECIDED_SCENARIO,
    progress: Callable[[str], None] | None = None,
    spaces: dict[str, PartitionSpace] | None = None,
) -> pd.DataFrame:
    """A row per mainland region (see the module docstring) on the 2025 municipal division; a
    region whose figures are missing gets the reason in ``Huom`` and no count, one with a merged
    municipality what its figures are. ``spaces`` gives the partitions of regions already built
    (by the region's name), so that they are not built again."""
    rows = []
    scenario = context.scenario(decided)
    for name in mainland_regions(context):
        if progress:
            progress(name)
        codes = region_municipalities(context, name)
        areas = areas_in(scenario, codes)
        shown = "; ".join(
            f"{area.name} ({len(area.members)} kuntaa"
            + (", ulottuu maakunnan rajan yli)" if crossing else ")")
            for area, crossing in areas
        )
        row: dict[str, object] = {
            "Maakunta": name,
            "Kuntia": len(codes),
            "Työvoima": None,
            "Laillisia jakoja": None,
            "Alueiden määrän mukaan": "",
            "Päätetyt alueet 2025": shown,
            "Voisi järjestää yksin": "",
            "Huom": "",
        }
        alone, unknown = could_stand_alone(context, codes)
        row["Voisi järjestää yksin"] = ", ".join(context.name(c) for c in alone) + (
            f" (työvoima puuttuu: {', '.join(context.name(c) for c in unknown)})" if unknown else ""
        )
        try:
            region = load_region(context, region=name)
            row["Huom"] = "; ".join(f"kuntaliitos: {note}" for note in region.division_notes)
            row["Työvoima"] = sum(region.labour.values())
            space = (spaces or {}).get(name) or region.space()
            row["Laillisia jakoja"] = space.count()
            row["Alueiden määrän mukaan"] = ", ".join(
                f"{k}: {euros(v)}" for k, v in space.count_by_areas().items()
            )
        except InputError as exc:
            row["Huom"] = f"ei laskettavissa: {exc.message}"
        rows.append(row)
    return national_frame(rows)


def national_frame(rows: list[dict]) -> pd.DataFrame:
    """The regions' table from its rows (:data:`NATIONAL_COLUMNS`): the labour force and the
    count whole numbers, or nothing."""
    frame = pd.DataFrame(rows, columns=NATIONAL_COLUMNS)
    for column in ("Työvoima", "Laillisia jakoja"):
        frame[column] = pd.Series(
            [None if row[column] is None else int(row[column]) for row in rows], dtype=object
        )
    return frame
