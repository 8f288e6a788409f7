"""Every legal way to organise the region: the scenario context adapted to the partition enumerator
(:mod:`kustannukset.scenarios.partitions`), and every partition evaluated in one vectorised pass.

The municipalities are Pirkanmaa's by the register, optionally with named municipalities added
(such as those of Jämsä's area) or only the named ones. Their adjacency is the contiguity check's
(``Boundaries.neighbours``, a shared boundary segment), their weight the labour force of the
20 000 rule (:func:`kustannukset.scenarios.rules.labour_force`) and the threshold that of the
parameter file, unless another is given. An area of a shipped scenario can be fixed; the rest is
partitioned freely. Each area's responsible municipality is the fixed area's, else
:func:`kustannukset.scenarios.rules.default_lead` (the largest labour force).

**Evaluation.** A :class:`Basis` is a cost key and a pool basis read from a scenario's first area
(by default ``paatetty_2025``: population 31.12.2021 and the experiment's cost per inhabitant),
so the key and the pool are those of the scenario engine. The pool is resolved through
``Context.pool`` for single municipalities and for the whole set: a pool that adds up over the
members (per inhabitant) becomes each municipality's contribution to its area's pool, one that is
the same for every area a constant; any other basis is refused with a message. Municipality ``i``
pays ``pool(area of i) * share_i``, the share a weighted mix of the key measures' shares inside the
area, exactly the engine's formula in floating point without discounts (euros unrounded; an
exported partition is evaluated exactly by ``kustannukset skenaariot``).

Memory: the partitions are streamed; only the summaries are kept, plus each municipality's payment
in each partition (float64) for the medians while that takes at most :data:`MEDIAN_LIMIT_BYTES`.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.funding import resolve_pool
from kustannukset.scenarios.model import Area, KeyPart, PoolSpec, Scenario, measure_label
from kustannukset.districts.partitions import (
    PartitionInputError,
    PartitionSpace,
    area_count,
    area_totals,
    blocks_of,
    find_partition,
    induced_adjacency,
    key_shares,
)
from kustannukset.scenarios.rules import default_lead, labour_force
from kustannukset.view.formatting import euros

REGION = "Pirkanmaa"
DEFAULT_SCENARIO = "paatetty_2025"
DECIDED_SCENARIO = "paatetty_2025"
MEDIAN_LIMIT_BYTES = 256 << 20
TOP = 5
CHUNK = 1 << 16
# Payments closer than half a cent count as equal when placing the decided areas.
TIE_EUROS = 0.005


@dataclass(frozen=True)
class FixedArea:
    name: str
    lead: str
    members: frozenset[str]


@dataclass
class Region:
    """The enumerator's input, read from the scenario context."""

    context: Context
    codes: list[str]
    adjacency: dict[str, set[str]]
    labour: dict[str, int]
    threshold: int
    fixed: tuple[FixedArea, ...] = ()
    labour_label: str = ""

    @property
    def names(self) -> list[str]:
        return [self.context.name(c) for c in self.codes]

    def space(self) -> PartitionSpace:
        try:
            return PartitionSpace(
                self.codes,
                self.adjacency,
                self.labour,
                self.threshold,
                [a.members for a in self.fixed],
            )
        except PartitionInputError as exc:
            raise InputError(self._named(exc)) from None

    def _named(self, exc: PartitionInputError) -> str:
        message = exc.message
        for code in sorted(exc.nodes, key=len, reverse=True):
            message = message.replace(str(code), self.context.name(code))
        return message

    def components(self) -> list[list[str]]:
        """The connected parts of the municipalities' map (one part when they are connected)."""
        return [sorted(p) for p in self.context.boundaries.components(self.codes)]

    def lead(self, members: Iterable[str]) -> str:
        members = frozenset(members)
        for area in self.fixed:
            if area.members == members:
                return area.lead
        return default_lead(self.context, members)

    def area_name(self, members: Iterable[str]) -> str:
        members = frozenset(members)
        for area in self.fixed:
            if area.members == members:
                return area.name
        lead = self.context.name(self.lead(members))
        others = len(members) - 1
        if not others:
            return lead
        return (
            f"{lead} ja {others} muu{'' if others == 1 else 'ta'} kunta{'' if others == 1 else 'a'}"
        )


def resolve(context: Context, texts: Iterable[str], option: str = "--kunnat") -> list[str]:
    """Municipalities given by name or code -> codes (an unknown name is an error)."""
    return [context.names.resolve(t, file=None, row=None, column=option) for t in texts]


def scenario_area(context: Context, text: str) -> tuple[Scenario, Area]:
    """``SKENAARIO:ALUE`` -> that scenario's area (by name, or by its number from 1)."""
    scenario_name, sep, area_name = str(text).partition(":")
    if not sep or not area_name.strip():
        raise InputError(f"'{text}': anna muodossa SKENAARIO:ALUE", column="--kiinnitetty")
    scenario = context.scenario(scenario_name.strip())
    wanted = area_name.strip()
    for i, area in enumerate(scenario.areas, start=1):
        if wanted in (area.name, str(i)):
            return scenario, area
    known = "; ".join(f"{i}: {a.name}" for i, a in enumerate(scenario.areas, start=1))
    raise InputError(
        f"skenaariossa {scenario.code} ei ole aluetta '{wanted}' (alueet: {known})",
        file=scenario.path,
        column="--kiinnitetty",
    )


def load_region(
    context: Context,
    extra: Sequence[str] = (),
    *,
    only: bool = False,
    fixed: Sequence[str] = (),
    threshold: int | None = None,
) -> Region:
    """The municipalities (Pirkanmaa's, plus ``extra``; with ``only`` just ``extra``), their
    adjacency and labour force, the threshold, and the fixed areas (``SKENAARIO:ALUE``). A fixed
    area's members outside the set are added to it."""
    codes = [] if only else list(context.statistics.municipalities.in_region(REGION))
    for code in resolve(context, extra):
        if code not in codes:
            codes.append(code)
    fixed_areas = []
    for text in fixed:
        _, area = scenario_area(context, text)
        codes.extend(c for c in area.members if c not in codes)
        fixed_areas.append(FixedArea(area.name, area.lead, frozenset(area.members)))
    if not codes:
        raise InputError("kuntia ei ole: anna vähintään yksi kunta", column="--kunnat")
    codes = sorted(codes)
    force = labour_force(context, codes)
    if force.total is None:
        raise InputError(force.missing or "työvoima puuttuu", column="--kunnat")
    labour = {c: int(labour_force(context, [c]).total) for c in codes}
    limit = int(context.rule("tyovoimaraja").value) if threshold is None else int(threshold)
    return Region(
        context,
        codes,
        induced_adjacency(context.boundaries.neighbours, codes),
        labour,
        limit,
        tuple(fixed_areas),
        force.description,
    )


# --- the key and the pool -----------------------------------------------------------------------


@dataclass
class Basis:
    """A cost key and a pool basis over the region's municipalities, evaluated for whole label
    matrices at once. ``pool_of_node`` is each municipality's contribution to its area's pool (a
    pool per inhabitant), or ``pool_per_area`` the same pool for every area."""

    key: tuple[KeyPart, ...]
    key_values: np.ndarray  # (measures, n)
    pool_of_node: np.ndarray | None
    pool_per_area: float | None
    pool_label: str
    key_label: str
    population: np.ndarray  # (n,) the €-per-inhabitant measure
    population_label: str
    source: str  # where the key and pool were read from
    pool_status: str = "esimerkki"  # the pool's status: esimerkki, arvio or julkaistu

    def payments(self, labels: np.ndarray) -> np.ndarray:
        """Each municipality's payment in each partition, euros unrounded: (rows, n)."""
        shares = np.zeros(labels.shape, dtype=np.float64)
        for part, values in zip(self.key, self.key_values, strict=True):
            shares += float(part.weight) * np.nan_to_num(key_shares(labels, values))
        if self.pool_of_node is not None:
            totals = area_totals(labels, self.pool_of_node)
            pools = np.take_along_axis(totals, labels.astype(np.intp), axis=1)
        else:
            pools = np.full(labels.shape, self.pool_per_area, dtype=np.float64)
        return pools * shares

    def area_per_inhabitant(self, labels: np.ndarray, payments: np.ndarray) -> np.ndarray:
        """Each area's payments per inhabitant, (rows, max areas); NaN where no area."""
        rows = len(labels)
        width = int(labels.max()) + 1 if labels.size else 0
        flat = labels.astype(np.intp) + (np.arange(rows, dtype=np.intp) * width)[:, None]
        paid = np.bincount(flat.ravel(), weights=payments.ravel(), minlength=rows * width)
        people = area_totals(labels, self.population).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(people > 0, paid / people, np.nan)
        return out.reshape(rows, width)


def parse_key(text: str) -> tuple[KeyPart, ...]:
    """``MITTARI:VUOSI`` (weight 1) or parts joined by '+': ``MITTARI:VUOSI:PAINO+...``."""
    parts = []
    for piece in str(text).split("+"):
        fields = [f.strip() for f in piece.split(":")]
        if len(fields) not in (2, 3) or not fields[1].isdigit():
            raise InputError(
                f"jakoperuste '{text}': anna muodossa MITTARI:VUOSI tai "
                "MITTARI:VUOSI:PAINO+MITTARI:VUOSI:PAINO",
                column="--avain",
            )
        try:
            weight = Fraction(fields[2].replace(",", ".")) if len(fields) == 3 else Fraction(1)
        except ValueError:
            raise InputError(f"paino '{fields[2]}' ei ole luku", column="--avain") from None
        parts.append(KeyPart(fields[0], weight, int(fields[1])))
    total = sum(p.weight for p in parts)
    if total <= 0:
        raise InputError(f"jakoperusteen '{text}' painojen summa ei ole positiivinen")
    return tuple(KeyPart(p.measure, p.weight / total, p.year) for p in parts)


def load_basis(
    region: Region, scenario_name: str = DEFAULT_SCENARIO, key: tuple[KeyPart, ...] | None = None
) -> Basis:
    """The key and pool of ``scenario_name``'s first area (the key replaced by ``key`` if given)."""
    context, codes = region.context, region.codes
    scenario = context.scenario(scenario_name)
    template = scenario.areas[0]
    key = tuple(template.key if key is None else key)
    values = np.array(
        [
            [
                float(v)
                for v in context.values(
                    p.measure, p.year, codes, purpose="aluejakojen jakoperuste"
                ).values()
            ]
            for p in key
        ]
    )
    node_pool, area_pool = _pool(context, template.pool, key, codes)
    capita = context.spec("tunnusluvut").inhabitant
    measure, year = capita.measure, capita.year
    population = np.array(
        [float(v) for v in context.values(measure, year, codes, purpose="€/asukas").values()]
    )
    return Basis(
        key=key,
        key_values=values,
        pool_of_node=node_pool,
        pool_per_area=area_pool,
        pool_label=template.pool.label,
        key_label=_key_label(key),
        population=population,
        population_label=measure_label(measure, year),
        source=f"{scenario.code}, alue {template.name}",
        pool_status=resolve_pool(context, template.pool, template).status or "esimerkki",
    )


def _key_label(key: tuple[KeyPart, ...]) -> str:
    if len(key) == 1:
        return measure_label(key[0].measure, key[0].year)
    return " + ".join(f"{float(p.weight):.0%} {measure_label(p.measure, p.year)}" for p in key)


def _pool(context: Context, spec: PoolSpec, key, codes) -> tuple[np.ndarray | None, float | None]:
    """The pool basis as a per-municipality contribution (additive) or a constant per area."""

    def pool_of(members) -> float:
        area = Area("alue", members[0], tuple(members), None, tuple(key), spec, 0)
        return float(resolve_pool(context, spec, area).total)

    singles = np.array([pool_of([c]) for c in codes])
    whole = pool_of(list(codes))
    if abs(singles.sum() - whole) <= 1e-6 * max(1.0, abs(whole)):
        return singles, None
    if np.allclose(singles, whole):
        return None, whole
    raise InputError(
        f"potin perustetta '{spec.base or spec.label}' ei voi laskea aluejaoille: potti ei ole "
        "kuntien osuuksien summa eikä sama jokaiselle alueelle"
    )


# --- the summaries ------------------------------------------------------------------------------


@dataclass
class Ranked:
    """One partition among the top ones: its place in the stream and its blocks."""

    index: int
    blocks: tuple[frozenset, ...]
    areas: int
    area_spread: float  # max - min of the areas' € per inhabitant
    spread: float  # max - min of the municipalities' € per inhabitant


@dataclass
class Summary:
    region: Region
    basis: Basis
    count: int
    by_areas: dict[int, int]
    table: pd.DataFrame  # one row per municipality
    top: dict[str, list[Ranked]]
    decided: tuple[frozenset, ...] | None
    decided_legal: bool
    notes: list[str] = field(default_factory=list)


CRITERIA = {
    "tasaisin": "pienin €/asukas-ero alueiden välillä (tasapelissä kuntien välillä)",
    "vahiten": "vähiten alueita (tasapelissä pienin €/asukas-ero kuntien välillä)",
    "eniten": "eniten alueita (tasapelissä pienin €/asukas-ero kuntien välillä)",
}


def decided_blocks(region: Region, name: str = DECIDED_SCENARIO) -> tuple[frozenset, ...]:
    """The scenario's areas restricted to the region's municipalities (an area crossing the
    region's border keeps its part inside); every municipality must be in the scenario."""
    scenario = region.context.scenario(name)
    inside = set(region.codes)
    blocks = [frozenset(c for c in a.members if c in inside) for a in scenario.areas]
    blocks = [b for b in blocks if b]
    left = inside - set().union(*blocks)
    if left:
        names = ", ".join(region.context.name(c) for c in sorted(left))
        raise InputError(f"skenaariossa {name} ei ole kuntia: {names}", file=scenario.path)
    return tuple(blocks)


def summarise(
    region: Region,
    basis: Basis,
    *,
    decided: str | None = DECIDED_SCENARIO,
    top: int = TOP,
    chunk_size: int = CHUNK,
    space: PartitionSpace | None = None,
) -> Summary:
    """Every legal partition in one streamed pass: the count by areas, each municipality's
    minimum, median and maximum payment and € per inhabitant, where the decided areas put it
    (percentile: the share of partitions where it pays less, ties counting half), and the top
    partitions by :data:`CRITERIA`."""
    space = space or region.space()
    space.keep_for_listing()  # counted, then listed below
    n = len(region.codes)
    count = space.count()
    by_areas = space.count_by_areas()
    notes: list[str] = []
    blocks = decided_blocks(region, decided) if decided else None
    decided_legal = bool(blocks) and space.is_legal(blocks)
    target = basis.payments(space.labels_of(blocks)[None, :])[0] if blocks else None

    keep = count * n * 8 <= MEDIAN_LIMIT_BYTES
    # one row a municipality, so that its median is taken over contiguous memory
    stored = np.empty((n, count), dtype=np.float64) if keep and count else None
    low = np.full(n, np.inf)
    high = np.full(n, -np.inf)
    below = np.zeros(n, dtype=np.int64)
    equal = np.zeros(n, dtype=np.int64)
    heaps: dict[str, list] = {name: [] for name in CRITERIA}
    seen = 0
    for chunk in space.iter_labels(chunk_size):
        pay = basis.payments(chunk)
        np.minimum(low, pay.min(axis=0), out=low)
        np.maximum(high, pay.max(axis=0), out=high)
        if stored is not None:
            stored[:, seen : seen + len(chunk)] = pay.T
        if target is not None:
            below += (pay < target - TIE_EUROS).sum(axis=0)
            equal += (np.abs(pay - target) <= TIE_EUROS).sum(axis=0)
        areas = area_count(chunk)
        per_area = basis.area_per_inhabitant(chunk, pay)
        area_spread = np.nanmax(per_area, axis=1) - np.nanmin(per_area, axis=1)
        area_spread[area_spread < 1e-9] = 0.0  # floating-point noise of equal areas
        with np.errstate(invalid="ignore", divide="ignore"):
            per_capita = pay / basis.population
        spread = np.nanmax(per_capita, axis=1) - np.nanmin(per_capita, axis=1)
        spread[spread < 1e-9] = 0.0
        # Spreads closer than a cent are equal: the per-inhabitant pool gives every area the same
        # € per inhabitant up to floating-point noise.
        cents = np.floor(area_spread * 100 + 0.5)
        scores = {
            "tasaisin": (cents, spread),
            "vahiten": (areas, spread),
            "eniten": (-areas, spread),
        }
        for name, (first, second) in scores.items():
            _offer(heaps[name], top, seen, chunk, first, second, areas, area_spread, spread)
        seen += len(chunk)
    if seen != count:
        raise AssertionError(f"the stream gave {seen} partitions, the count is {count}")

    table = _table(region, basis, low, high, stored, target, below, equal, count)
    ranked = {
        name: [
            Ranked(-item[2], blocks_of(item[3], region.codes), item[4], item[5], item[6])
            for item in sorted(heap, key=lambda it: (-it[0], -it[1], -it[2]))
        ]
        for name, heap in heaps.items()
    }
    if count and np.all(high - low <= 2 * TIE_EUROS):
        notes.append(
            "Jokaisen kunnan maksu on sama kaikissa jaoissa: potti asukasta kohden jaettuna "
            "väkiluvulla antaa jokaiselle kunnalle saman €/asukas. Muu jakoperuste (esim. "
            "työttömät) erottaa jaot toisistaan."
        )
    if not keep and count:
        notes.append(
            f"Mediaania ei laskettu: {count} jakoa × {n} kuntaa ei mahdu muistirajaan "
            f"({MEDIAN_LIMIT_BYTES >> 20} Mt); minimi, maksimi ja sijoitus on laskettu."
        )
    return Summary(region, basis, count, by_areas, table, ranked, blocks, decided_legal, notes)


def _offer(heap, top, offset, chunk, first, second, areas, area_spread, spread) -> None:
    """Keep the ``top`` smallest (first, second, index) rows in a max-heap of negated keys."""
    if not len(chunk) or top <= 0:
        return
    order = np.lexsort((np.arange(len(chunk)), second, first))[:top]
    for j in order.tolist():
        item = (
            -float(first[j]),
            -float(second[j]),
            -(offset + j),
            tuple(chunk[j].tolist()),
            int(areas[j]),
            float(area_spread[j]),
            float(spread[j]),
        )
        if len(heap) < top:
            heapq.heappush(heap, item)
        elif item[:3] > heap[0][:3]:
            heapq.heapreplace(heap, item)


def _table(region, basis, low, high, stored, target, below, equal, count) -> pd.DataFrame:
    rows = []
    # the payments are not needed after this: the median may reorder them in place
    median = np.median(stored, axis=1, overwrite_input=True) if stored is not None else None
    for i, code in enumerate(region.codes):
        people = basis.population[i]
        row = {
            "Kunta": region.context.name(code),
            "Kuntanumero": code,
            "Pienin €": low[i] if count else None,
            "Mediaani €": float(median[i]) if median is not None else None,
            "Suurin €": high[i] if count else None,
        }
        if target is not None:
            row["Päätetyt alueet €"] = float(target[i])
        for label in ("Pienin", "Mediaani", "Suurin"):
            value = row[f"{label} €"]
            row[f"{label} €/asukas"] = value / people if value is not None and people else None
        if target is not None:
            row["Päätetyt alueet €/asukas"] = float(target[i]) / people if people else None
            row["Persentiili %"] = 100.0 * (below[i] + equal[i] / 2) / count if count else None
        rows.append(row)
    return pd.DataFrame(rows)


def percentile_of(values: np.ndarray, target: float) -> float:
    """The share (%) of ``values`` below ``target``, values within :data:`TIE_EUROS` counting
    half: the definition :func:`summarise` streams."""
    values = np.asarray(values, dtype=float)
    below = (values < target - TIE_EUROS).sum()
    equal = (np.abs(values - target) <= TIE_EUROS).sum()
    return 100.0 * (below + equal / 2) / len(values)


# --- single partitions ---------------------------------------------------------------------------


def partition_at(space: PartitionSpace, index: int, chunk_size: int = CHUNK) -> tuple[frozenset]:
    """The partition at ``index`` (from 0) of the stream, whose order is fixed for given inputs."""
    count = space.count()
    if not 0 <= index < count:
        raise InputError(
            f"jakoa numero {index + 1} ei ole: laillisia jakoja on {count}", column="--jako"
        )
    seen = 0
    for chunk in space.iter_labels(chunk_size):
        if index < seen + len(chunk):
            return blocks_of(chunk[index - seen], space.nodes)
        seen += len(chunk)
    raise AssertionError("the stream is shorter than the count")


def position_of(space: PartitionSpace, blocks, chunk_size: int = CHUNK) -> int | None:
    """The index of a legal partition in the stream, None if it is not legal."""
    if not space.is_legal(blocks):
        return None
    row = space.labels_of(blocks)
    seen = 0
    for chunk in space.iter_labels(chunk_size):
        hits = find_partition(chunk, row)
        if len(hits):
            return seen + int(hits[0])
        seen += len(chunk)
    return None


def minimal_areas_table(region: Region, code: str) -> pd.DataFrame:
    """A municipality's minimal legal areas: members, labour force, and the responsible one."""
    context = region.context
    areas = region.space().minimal_areas(code)
    rows = []
    for i, area in enumerate(areas, start=1):
        members = sorted(area, key=lambda c: (c != code, context.name(c)))
        rows.append(
            {
                "Nro": i,
                "Kuntia": len(area),
                "Työvoima": sum(region.labour[c] for c in area),
                "Vastuukunta": context.name(region.lead(area)),
                "Kunnat": ", ".join(context.name(c) for c in members),
            }
        )
    return pd.DataFrame(rows, columns=["Nro", "Kuntia", "Työvoima", "Vastuukunta", "Kunnat"])


def minimal_areas(region: Region, code: str) -> list[frozenset]:
    return region.space().minimal_areas(code)


def blocks_table(region: Region, blocks: Sequence[Iterable[str]]) -> pd.DataFrame:
    """One row per area of a partition: name, responsible municipality, labour force, members."""
    context = region.context
    rows = []
    for block in sorted(blocks, key=lambda b: -sum(region.labour[c] for c in b)):
        rows.append(
            {
                "Alue": region.area_name(block),
                "Vastuukunta": context.name(region.lead(block)),
                "Kuntia": len(block),
                "Työvoima": sum(region.labour[c] for c in block),
                "Kunnat": ", ".join(sorted(context.name(c) for c in block)),
            }
        )
    return pd.DataFrame(rows)


def scenario_text(
    region: Region, blocks: Sequence[Iterable[str]], basis: Basis, title: str, description: str
) -> str:
    """A scenario file (``data/skenaariot`` format) for a partition, with the basis's key and pool
    read from its source scenario, that ``kustannukset skenaariot`` reads."""
    context = region.context
    source = context.scenario(basis.source.split(",")[0])
    template = source.areas[0]
    lines = [
        "# Aluejako kaikkien laillisten jakojen joukosta (kustannukset aluejaot).",
        f"nimi: {_quote(title)}",
        f"kuvaus: {_quote(description)}",
        f"lahde: {_quote('Laskettu: kustannukset aluejaot; alueet ovat laskelma, eivät päätös')}",
        "jakoperuste:",
    ]
    for part in basis.key:
        weight = part.weight
        shown = str(weight.numerator) if weight.denominator == 1 else f"{float(weight):.6g}"
        lines.append(f"  {part.measure}: {{paino: {shown}, vuosi: {part.year}}}")
    lines.append(_pool_text(template.pool))
    lines.append("alueet:")
    for block in sorted(blocks, key=lambda b: -sum(region.labour[c] for c in b)):
        members = sorted(block, key=context.name)
        lines.append(f"  - nimi: {_quote(region.area_name(block))}")
        lines.append(f"    vastuukunta: {_quote(context.name(region.lead(block)))}")
        lines.append(f"    jasenet: [{', '.join(_quote(context.name(c)) for c in members)}]")
    return "\n".join(lines) + "\n"


def _pool_text(spec: PoolSpec) -> str:
    if spec.base is not None:
        factor = "" if spec.factor == 1 else f", kerroin: {float(spec.factor):.10g}"
        return f"potti: {{peruste: {spec.base}{factor}}}"
    services = ", ".join(f"{_quote(name)}: {float(amount):.2f}" for name, amount in spec.services)
    return f"potti: {{palvelut: {{{services}}}, tila: {spec.status}}}"


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_scenario(path: Path, text: str) -> None:
    path = Path(path)
    if path.suffix not in (".yaml", ".yml"):
        raise InputError("skenaariotiedoston nimen pitää päättyä .yaml", file=path)
    if not path.parent.is_dir():
        raise InputError("kansiota ei ole", file=path.parent)
    path.write_text(text, encoding="utf-8")


def no_partition_reason(region: Region) -> str:
    """Why there is no legal partition, in Finnish (for a count of 0)."""
    context = region.context
    parts = region.components()
    light = [p for p in parts if sum(region.labour[c] for c in p) < region.threshold]
    shown = []
    for part in light:
        names = ", ".join(context.name(c) for c in part)
        force = sum(region.labour[c] for c in part)
        shown.append(f"{names} (työvoima {euros(force)})")
    where = "kuntien" if len(parts) == 1 else "erillisen osan"
    text = (
        f"{where} yhteenlaskettu työvoima jää alle rajan {euros(region.threshold)}: "
        + "; ".join(shown)
    )
    if region.fixed:
        text += " (kiinnitettyjen alueiden ulkopuolella jaettavaksi jäävät kunnat voivat jäädä "
        text += "alle rajan)"
    return text if light else "yksikään jako ei täytä ehtoja kiinnitettyjen alueiden kanssa"
