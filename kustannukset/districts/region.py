"""A region read from the scenarios domain for the partition algorithm: the only module of
:mod:`kustannukset.districts` that reads :mod:`kustannukset.scenarios`, and only through that
package's public interface.

The municipalities are a region's on the 2025 municipal division (:func:`region_municipalities`:
Pertunmaa 588 is part of Mäntyharju 507 from 1.1.2025), optionally with named municipalities added
(such as those of Jämsä's area) or only the named ones. Every figure of a municipality that took in
another is the merged area's, its members' figures added up by the statistics (the scenario
context reads figures on the 2025 division; :meth:`Region.division_notes` says which were added).
Their adjacency is the contiguity check's (``Boundaries.neighbours``, a shared boundary segment, on
the 2023 map) carried over to the 2025 division (:func:`division_adjacency`: Mäntyharju's neighbours
include Pertunmaa's), their weight the labour force of the 20 000 rule (``labour_force``) and the
threshold that of the parameter file, unless another is given. An area of a scenario can be fixed;
the rest is partitioned freely. Each area's responsible municipality is the fixed area's, else
``default_lead`` (the largest labour force).

**The cost basis** (:func:`load_basis`) is a key and a pool, both functions of an area's member set:

- the key: by default the labour force of the 20 000 rule (31.12.2021, a figure every mainland
  municipality has), or any mix of measures (``--avain``), each member's share a weighted mix of
  its shares of the area's sums;
- the pool: the pool basis of a scenario's first area (by default ``paatetty_2025``: the members'
  state-funding estimate). Whatever the basis, the pool is read as a fixed part per area plus a sum
  of the members' contributions, found exactly from the pools of single municipalities and of the
  whole set and checked on further sets (:func:`affine_pool`); a basis that is not of that form is
  refused with a message. The experiment's cost per inhabitant, the state funding, a published
  budget and the cost model (a fixed part per area plus euros per unemployed jobseeker) all are.

Municipality ``i`` pays ``pool(area of i) * share_i``, the engine's formula in floating point
without discounts (euros unrounded; an exported partition is evaluated exactly by ``kustannukset
skenaariot``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.schema import suggest
from kustannukset.districts.evaluation import Basis
from kustannukset.districts.partitions import (
    PartitionInputError,
    PartitionSpace,
    SizeEstimate,
    estimate_size,
)
from kustannukset.districts.partitions import minimal_areas as _minimal_areas
from kustannukset.scenarios import (
    BACKGROUND,
    MAP_ATTRIBUTION,
    SOURCES_LINE,
    Area,
    Context,
    KeyPart,
    PoolSpec,
    Scenario,
    default_lead,
    describe_funding,
    key_figures,
    labour_force,
    load_context,
    measure_label,
    resolve_pool,
    rounded_national,
)
from kustannukset.view.formatting import euros

__all__ = ["BACKGROUND", "MAP_ATTRIBUTION", "SOURCES_LINE", "load_context"]

REGION = "Pirkanmaa"
DEFAULT_SCENARIO = "paatetty_2025"
# The decided areas of 1.1.2025 in all of mainland Finland; a region's part of them is placed.
DECIDED_SCENARIO = "paatetty_2025_suomi"
# Regions of the register outside the reform (law 380/2023 covers mainland Finland).
OUTSIDE_REFORM = ("Ahvenanmaan maakunta",)
# The memory an exact answer may take.
MEMORY_LIMIT = 2 << 30


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
    name: str | None = None  # the region (maakunta), None for a set of named municipalities
    # what the merged municipalities' labour force is (kuntajako 2025), one sentence each
    division_notes: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [self.context.name(c) for c in self.codes]

    def estimate(self) -> SizeEstimate:
        return estimate_size(
            self.codes, self.adjacency, self.labour, self.threshold, [a.members for a in self.fixed]
        )

    def space(self, memory_limit: int | None = MEMORY_LIMIT) -> PartitionSpace:
        """The partitions; a set too large for an exact answer within ``memory_limit`` is refused
        before anything is built (by :meth:`estimate`), and stops if the estimate was short."""
        if memory_limit is not None:
            estimate = self.estimate()
            if not estimate.fits(memory_limit):
                raise InputError(
                    f"{self.title()}: liian suuri tarkkaan laskentaan – arviolta "
                    f"{euros(estimate.bytes >> 20)} Mt muistia (raja {euros(memory_limit >> 20)} "
                    "Mt). Kiinnitä alueita (--kiinnitetty) tai laske pienempi kuntajoukko."
                )
        try:
            return PartitionSpace(
                self.codes,
                self.adjacency,
                self.labour,
                self.threshold,
                [a.members for a in self.fixed],
                memory_limit=memory_limit,
            )
        except PartitionInputError as exc:
            raise InputError(self.named(exc)) from None

    def title(self) -> str:
        return self.name or f"{len(self.codes)} kuntaa"

    def named(self, exc: PartitionInputError) -> str:
        message = exc.message
        for code in sorted(exc.nodes, key=len, reverse=True):
            message = message.replace(str(code), self.context.name(code))
        return message

    def components(self) -> list[list[str]]:
        """The connected parts of the municipalities' map (one part when they are connected),
        each sorted, largest first."""
        remaining, parts = set(self.codes), []
        while remaining:
            seen, front = set(), {min(remaining)}
            while front:
                seen |= front
                front = {u for c in front for u in self.adjacency[c] if u not in seen}
            remaining -= seen
            parts.append(sorted(seen))
        return sorted(parts, key=lambda p: (-len(p), p))

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


# --- regions ------------------------------------------------------------------------------------


def mainland_regions(context: Context) -> list[str]:
    """The regions of the register that the reform covers, in alphabetical order."""
    table = context.statistics.municipalities.table
    return sorted(r for r in set(table["maakunta"]) if r not in OUTSIDE_REFORM)


def resolve_region(context: Context, text: str) -> str:
    """A region by its name (case does not matter); a region outside the reform or a misspelt one
    is a Finnish error."""
    wanted = str(text).strip()
    table = context.statistics.municipalities.table
    known = sorted(set(table["maakunta"]))
    for name in known:
        if name.casefold() == wanted.casefold() or (
            name in OUTSIDE_REFORM and wanted.casefold() in ("ahvenanmaa", "åland")
        ):
            if name in OUTSIDE_REFORM:
                raise InputError(
                    f"{name} ei kuulu työllisyysalueuudistukseen: laki 380/2023 koskee Manner-"
                    "Suomea, ja Ahvenanmaa järjestää työvoimapalvelunsa itse",
                    column="--maakunta",
                )
            return name
    raise InputError(
        f"tuntematon maakunta '{wanted}'{suggest(wanted, mainland_regions(context))} "
        f"(maakunnat: {', '.join(mainland_regions(context))})",
        column="--maakunta",
    )


def region_municipalities(context: Context, region: str) -> list[str]:
    """The municipalities of a region on the 2025 division, in code order: the one place where a
    region's node set is decided, so that every partition, count, national row and map is of the
    municipalities that organise the services from 1.1.2025. Pertunmaa (588), merged into
    Mäntyharju (507) on 1.1.2025, is no node: Mäntyharju's figures include Pertunmaa's and its
    neighbours Pertunmaa's (:func:`division_adjacency`)."""
    return list(context.statistics.municipalities.in_region_2025(region))


def division_adjacency(context: Context, codes: Iterable[str]) -> dict[str, set[str]]:
    """The neighbours of each municipality among ``codes`` on the 2025 division, from the 2023
    boundary map: a municipality borders those that border any register municipality it is
    formed of (Mäntyharju's neighbours include Pertunmaa's), each taken as the municipality it is
    part of in 2025."""
    register = context.statistics.municipalities
    keep = set(codes)
    neighbours = context.boundaries.neighbours
    adjacency = {}
    for code in keep:
        around = {
            _successor(register, other)
            for member in _members(register, code)
            for other in neighbours.get(member, ())
        }
        adjacency[code] = {c for c in around if c in keep and c != code}
    return adjacency


def division_polygons(context: Context, code: str) -> list:
    """A municipality's polygons on the 2025 division: those of every register municipality it is
    formed of (Mäntyharju's with Pertunmaa's), from the 2023 boundary map."""
    polygons = context.boundaries.polygons
    return [p for m in _members(context.statistics.municipalities, code) for p in polygons[m]]


def _members(register, code: str) -> tuple[str, ...]:
    """The register municipalities a municipality of the 2025 division is formed of."""
    return register.members_2025(code) if code in register.table.index else (code,)


def _successor(register, code: str) -> str:
    return register.successor(code) if code in register.table.index else code


def could_stand_alone(context: Context, codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """The municipalities whose own labour force reaches the threshold (they may organise the
    services alone), and those whose labour force is missing."""
    threshold = int(context.rule("tyovoimaraja").value)
    alone, missing = [], []
    for code in codes:
        total = labour_force(context, [code]).total
        if total is None:
            missing.append(code)
        elif total >= threshold:
            alone.append(code)
    return alone, missing


def resolve(context: Context, texts: Iterable[str], option: str = "--kunnat") -> list[str]:
    """Municipalities given by name or code -> codes of the 2025 division (an unknown name is an
    error, and so is a municipality merged into another, with the one to give instead)."""
    register = context.statistics.municipalities
    codes = []
    for text in texts:
        code = context.names.resolve(text, file=None, row=None, column=option)
        successor = _successor(register, code)
        if successor != code:
            raise InputError(
                f"{context.name(code)} ei ole kunta vuoden 2025 kuntajaossa "
                f"({register.merger(code)}): anna {context.name(successor)}",
                column=option,
            )
        codes.append(code)
    return codes


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
    region: str | None = None,
    only: bool = False,
    fixed: Sequence[str] = (),
    threshold: int | None = None,
) -> Region:
    """The municipalities (``region``'s, by default Pirkanmaa's, plus ``extra``; with ``only``
    just ``extra``), their adjacency and labour force, the threshold, and the fixed areas
    (``SKENAARIO:ALUE``). A fixed area's members outside the set are added to it."""
    name = None if only else (region or REGION)
    codes = [] if only else region_municipalities(context, name)
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
    if extra or fixed:
        name = None if name is None else f"{name} ja lisätyt kunnat"
    codes = sorted(codes)
    force = labour_force(context, codes)
    if force.total is None:
        option = "--kunnat" if only or extra else "--maakunta"
        raise InputError(force.missing or "työvoima puuttuu", column=option)
    labour = {c: int(labour_force(context, [c]).total) for c in codes}
    limit = int(context.rule("tyovoimaraja").value) if threshold is None else int(threshold)
    return Region(
        context,
        codes,
        division_adjacency(context, codes),
        labour,
        limit,
        tuple(fixed_areas),
        force.description,
        name,
        tuple(context.division_notes(codes)),
    )


# --- the key and the pool -----------------------------------------------------------------------


@dataclass
class CostBasis:
    """The numbers of a key and a pool (:class:`~kustannukset.districts.evaluation.Basis`) and
    what they are, in words."""

    numbers: Basis
    key: tuple[KeyPart, ...]
    key_label: str
    pool_label: str
    population_label: str
    source: str  # the scenario the pool was read from: "<scenario code>, alue <area>"
    source_title: str = ""  # the same for people: the scenario's title, not its file name
    pool_status: str = "esimerkki"  # esimerkki, arvio or julkaistu
    funding_label: str | None = None  # None: no state-funding estimate, no net
    notes: list[str] = field(default_factory=list)


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


def default_key(context: Context) -> tuple[KeyPart, ...]:
    """The labour force of the 20 000 rule (by default 31.12.2021), which every mainland
    municipality has."""
    spec = context.spec("tyovoima")
    share = Fraction(1, len(spec.measures))
    return tuple(KeyPart(m, share, spec.year) for m in spec.measures)


def load_basis(
    region: Region, scenario_name: str = DEFAULT_SCENARIO, key: tuple[KeyPart, ...] | None = None
) -> CostBasis:
    """The key (by default :func:`default_key`) and the pool of ``scenario_name``'s first area."""
    context, codes = region.context, region.codes
    scenario = context.scenario(scenario_name)
    template = scenario.areas[0]
    key = tuple(default_key(context) if key is None else key)
    values = np.array(
        [
            [
                float(v)
                for v in key_figures(
                    context, p.measure, p.year, codes, purpose="aluejakojen jakoperuste"
                ).values()
            ]
            for p in key
        ]
    )
    fixed, per_node = affine_pool(context, template.pool, key, codes)
    population, population_label, notes = _population(context, codes)
    funding, funding_label = _funding(context, codes, notes)
    # the merged municipalities' figures of the key, the pool and the population (those of the
    # labour force the region says)
    notes[:0] = [
        f"Kuntaliitos: {n}" for n in context.division_notes(codes) if n not in region.division_notes
    ]
    status = resolve_pool(context, template.pool, _area(codes, key, template.pool)).status
    numbers = Basis(
        key_weights=tuple(float(p.weight) for p in key),
        key_values=values,
        pool_fixed=None if fixed is None else float(fixed),
        pool_of_node=None if per_node is None else np.array([float(v) for v in per_node]),
        population=population,
        funding=funding,
    )
    return CostBasis(
        numbers=numbers,
        key=key,
        key_label=key_label(key),
        pool_label=template.pool.label,
        population_label=population_label,
        source=f"{scenario.code}, alue {template.name}",
        source_title=f"skenaario {scenario.name}, alue {template.name}",
        pool_status=status or "esimerkki",
        funding_label=funding_label,
        notes=notes,
    )


def key_label(key: tuple[KeyPart, ...]) -> str:
    """A key in words: one measure, or the weighted measures."""
    if len(key) == 1:
        return measure_label(key[0].measure, key[0].year)
    return " + ".join(f"{float(p.weight):.0%} {measure_label(p.measure, p.year)}" for p in key)


def _area(members, key, spec: PoolSpec) -> Area:
    return Area("alue", members[0], tuple(members), None, tuple(key), spec, 0)


def affine_pool(
    context: Context, spec: PoolSpec, key, codes: Sequence[str]
) -> tuple[Fraction | None, list[Fraction] | None]:
    """The pool basis as ``fixed + sum of the members' contributions``, exactly: ``fixed`` (None
    when 0) and each municipality's contribution (None when all are 0). Found from the pools of
    single municipalities and of the whole set, and checked on further sets (pairs and halves);
    a pool not of this form is an error."""
    codes = list(codes)

    def pool_of(members) -> Fraction:
        return Fraction(resolve_pool(context, spec, _area(list(members), key, spec)).total)

    singles = [pool_of([c]) for c in codes]
    n = len(codes)
    if n == 1:
        return None, singles
    whole = pool_of(codes)
    fixed = (sum(singles) - whole) / (n - 1)
    parts = [s - fixed for s in singles]
    checks = [codes[: n // 2], codes[n // 2 :], codes[::2]] + [[codes[0], c] for c in codes[1:4]]
    for members in checks:
        if len(members) > 1:
            expected = fixed + sum(parts[codes.index(c)] for c in members)
            if pool_of(members) != expected:
                raise InputError(
                    f"potin perustetta '{spec.base or spec.label}' ei voi laskea aluejaoille: "
                    "potti ei ole kiinteä osa alueelle ja kuntien osuuksien summa"
                )
    return (fixed or None), (parts if any(parts) else None)


def _population(context: Context, codes: list[str]) -> tuple[np.ndarray, str, list[str]]:
    """The €-per-inhabitant measure (``tunnusluvut``); where a municipality lacks its year, the
    newest year of the same measure that every municipality has, and a note that says so."""
    spec = context.spec("tunnusluvut").inhabitant
    measure, year = spec.measure, spec.year
    notes: list[str] = []
    have = context.statistics.codes_by_year_2025(measure)
    if not set(codes) <= have.get(year, frozenset()):
        missing = sorted(set(codes) - have.get(year, frozenset()))
        complete = [y for y, got in have.items() if set(codes) <= got]
        shown = ", ".join(context.name(c) for c in missing[:5]) + (" …" if len(missing) > 5 else "")
        if not complete:
            notes.append(
                f"{measure_label(measure, year)} puuttuu kunnilta {shown}: €/asukas-lukuja ei "
                f"laskettu (hae luvut: kustannukset data paivita --vuodet {year})"
            )
            return np.full(len(codes), np.nan), "ei väkilukua", notes
        notes.append(
            f"{measure_label(measure, year)} puuttuu kunnilta {shown}: €/asukas on laskettu "
            f"väkiluvusta vuodelta {max(complete)}, uusimmalta, jolta luku on kaikille (hae "
            f"vuoden {year} luvut: kustannukset data paivita --vuodet {year})"
        )
        year = max(complete)
    values = context.values(measure, year, codes, purpose="€/asukas")
    return np.array([float(v) for v in values.values()]), measure_label(measure, year), notes


def _funding(context: Context, codes: list[str], notes: list[str]):
    """Each municipality's state-funding estimate in whole euros, for the net; None (and a note)
    when the estimate cannot be made for all of them."""
    try:
        rounded = rounded_national(context)
    except InputError as exc:
        notes.append(f"Nettoa ei laskettu: {exc.message}")
        return None, None
    missing = [c for c in codes if c not in rounded]
    if missing:
        names = ", ".join(context.name(c) for c in missing)
        notes.append(f"Nettoa ei laskettu: valtionosuusarvio puuttuu kunnilta {names}")
        return None, None
    register = context.statistics.municipalities
    notes.extend(
        f"Kuntaliitos: valtionosuusarvio on vuoden 2025 kuntajaon mukainen, joten kunnan "
        f"{context.name(c)} ({c}) arvio sisältää kunnan "
        + ", ".join(f"{context.name(m)} ({m})" for m in _members(register, c)[1:])
        + f" osuuden ({register.merger(c)})"
        for c in codes
        if len(_members(register, c)) > 1
    )
    return np.array([float(rounded[c]) for c in codes]), describe_funding(context)


# --- the decided areas ----------------------------------------------------------------------------


def decided_blocks(region: Region, name: str = DECIDED_SCENARIO) -> tuple[frozenset, ...] | None:
    """The scenario's areas restricted to the region's municipalities (an area crossing the
    region's border keeps its part inside); None when the scenario leaves one of them out."""
    scenario = region.context.scenario(name)
    inside = set(region.codes)
    if not inside <= set(scenario.members):
        return None
    blocks = [frozenset(c for c in a.members if c in inside) for a in scenario.areas]
    return tuple(b for b in blocks if b)


def decided_areas_in(context: Context, codes: Iterable[str], name: str = DECIDED_SCENARIO):
    """The scenario's areas with a member among ``codes``: (area, whether it also has members
    outside them)."""
    return areas_in(context.scenario(name), codes)


def areas_in(scenario: Scenario, codes: Iterable[str]) -> list[tuple[Area, bool]]:
    """:func:`decided_areas_in` of a scenario already loaded (for many calls)."""
    inside = set(codes)
    return [
        (area, not set(area.members) <= inside)
        for area in scenario.areas
        if inside & set(area.members)
    ]


# --- single partitions ----------------------------------------------------------------------------


def minimal_areas_table(region: Region, code: str) -> pd.DataFrame:
    """A municipality's minimal legal areas: members, labour force, and the responsible one."""
    context = region.context
    areas = minimal_areas(region, code)
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
    return _minimal_areas(code, region.codes, region.adjacency, region.labour, region.threshold)


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
    region: Region,
    blocks: Sequence[Iterable[str]],
    basis: CostBasis,
    title: str,
    description: str,
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
