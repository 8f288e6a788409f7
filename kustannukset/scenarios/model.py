"""Scenario files (``data/skenaariot/*.yaml``): reading and validating them.

A scenario names the employment areas (members and the responsible municipality), the cost pool,
the cost key (one statistic or a weighted mix, each with its data year) and the discounts::

    nimi: Päätetyt alueet 2025
    kuvaus: ...
    lahde: ...
    jakoperuste:                 # weights must add up to 1
      vakiluku: {paino: 0.5, vuosi: 2021}
      tyottomat_18_64: {paino: 0.5, vuosi: 2019}
    potti: {peruste: valtionosuus}          # or {palvelut: {nimi: euroa, ...}, tila:, lahde:}
    # pool bases: kustannusmalli (fixed cost per area + variable cost per unemployed jobseeker),
    # valtionosuus (members' estimated state funding), talousarvio (with talousarvio:
    # tampere_2025), kokeilu_2023 and kokeilu_2023_asukasta_kohden (the experiment era's costs);
    # any with an optional kerroin. Without ``potti`` the scenario is evaluated on the default
    # basis of the 2025 comparisons (``potin_peruste`` in data/parametrit/tyollisyysalueet.yaml).
    alennukset: {kattaja: ei_kukaan, kunnat: {Sastamala: 20}}
    alueet:
      - nimi: Tampereen seudun työllisyysalue
        vastuukunta: Tampere
        jasenet: [Tampere, Akaa, ...]
        poikkeus: "..."                      # optional: an exception to the 20 000 rule applied for
        jakoperuste: ... / potti: ...        # optional overrides for this area

A weight may be written as a decimal (``0.25``) or as an exact fraction (``1/3``).

Municipalities are given by name or by three-digit code. They are checked against the municipality
register (``data/kunnat.csv``) and the municipal boundaries (``data/kartat/``), so that an area may
name a municipality whose statistics are not (yet) in the data; its figures are then reported as
missing, never taken as zero. Every mistake is an error naming the file and the line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, ClassVar

from annotated_types import MinLen
from pydantic import AfterValidator, Field, PlainValidator, ValidationInfo, model_validator

from kustannukset.core.errors import InputError
from kustannukset.core.params import LineDict, read_yaml
from kustannukset.core.schema import (
    Problem,
    Schema,
    Text,
    Year,
    choice,
    exact_between,
    line_at,
    suggest,
    validate,
)
from kustannukset.shared_costs import CARRIER_NOBODY, CARRIERS
from kustannukset.stats.loader import MEASURES
from kustannukset.view.formatting import euros as format_euros

SCENARIO_DIR = Path("skenaariot")
POOL_EXPERIMENT_2023 = "kokeilu_2023"
POOL_PER_CAPITA_2023 = "kokeilu_2023_asukasta_kohden"
POOL_BASES = {
    POOL_EXPERIMENT_2023: "kokeilukauden yhteiset kustannukset, hinnat 2023 (370 841 €), "
    "ESIMERKKI: alueen todellista kustannuspottia ei ole tiedossa",
    POOL_PER_CAPITA_2023: "kokeilukauden yhteiset kustannukset asukasta kohden (hinnat 2023: "
    "370 841 € / 525 320 asukasta 31.12.2021) kerrottuna alueen väkiluvulla, "
    "ESIMERKKI: alueen todellista kustannuspottia ei ole tiedossa",
}
POOL_FUNDING = "valtionosuus"
POOL_BUDGET = "talousarvio"
POOL_COST_MODEL = "kustannusmalli"
POOL_BASES.update(
    {
        POOL_FUNDING: "jäsenkuntien valtionosuusarvioiden summa (ARVIO)",
        POOL_BUDGET: "julkaistu talousarvioluku (data/parametrit/alueiden_kustannukset.yaml)",
        POOL_COST_MODEL: "kustannusmalli: kiinteä osa alueelle + muuttuva osa työtöntä "
        "työnhakijaa kohden (data/parametrit/alueiden_kustannukset.yaml)",
    }
)
# The bases whose pool is the experiment era's costs (prices of 2023): their payments are compared
# with the experiment's price table only, never with the 2025 state funding or 2025 alternatives.
EXPERIMENT_BASES = (POOL_EXPERIMENT_2023, POOL_PER_CAPITA_2023)
# The 2025 bases that give any area its pool from its members: the default basis of the 2025
# comparisons and its second view are chosen among these, and the decided areas can be evaluated
# on each of them (the other side of a "Muutos päätettyyn").
AREA_BASES = (POOL_COST_MODEL, POOL_FUNDING)
# A key part that is not a statistic: each member's share of the area's estimated state funding
# (the state-grant criteria themselves, as in the Satakunta area). Its year is the funding year.
FUNDING_KEY = "valtionosuus"
FUNDING_KEY_NAME = "Valtionosuuden laskentaperusteet (ARVIO)"
# Statistics that make sense as a cost key (a rate is not a count; a key is a year's figure, so a
# monthly measure is not one: its December or annual mean is).
KEY_MEASURES = (
    *(m for m in MEASURES if m != "tyottomyysaste" and not MEASURES[m].monthly),
    FUNDING_KEY,
)
POOL_STATUSES = ("esimerkki", "arvio", "julkaistu")
BUDGETS_FILE = Path("parametrit") / "alueiden_kustannukset.yaml"


def read_scenario_yaml(path: Path) -> LineDict:
    return read_yaml(path, kind="skenaariotiedosto")


def measure_label(measure: str, year: int) -> str:
    """'Väkiluku 31.12.2021', 'Työttömät, 18–64-vuotiaat (työssäkäyntitilasto) 2019'."""
    if measure == FUNDING_KEY:
        return f"{FUNDING_KEY_NAME} {year}"
    name = MEASURES[measure].name
    return f"{name}{year}" if name.endswith("31.12.") else f"{name} {year}"


@dataclass(frozen=True)
class KeyPart:
    measure: str
    weight: Fraction
    year: int


@dataclass(frozen=True)
class Pool:
    """An area's cost pool: euros per service, and how it is labelled."""

    services: tuple[tuple[str, Fraction], ...]  # (service name, euros)
    label: str  # shown with every result that uses it
    status: str  # "esimerkki" or "arvio" or "julkaistu"

    @property
    def total(self) -> Fraction:
        return sum((amount for _, amount in self.services), Fraction(0))


@dataclass(frozen=True)
class PoolSpec:
    """The pool as written: an experiment-era base (resolved against the data) or explicit euros."""

    base: str | None
    factor: Fraction
    services: tuple[tuple[str, Fraction], ...]
    label: str
    status: str
    line: int
    budget: str = ""  # the budget parameter of the ``talousarvio`` base
    default: bool = False  # not written in the file: the default basis of the 2025 comparisons


BASIS_NAMES = {
    POOL_COST_MODEL: "kustannusmalli",
    POOL_FUNDING: "valtionosuus",
    POOL_BUDGET: "talousarvio",
    POOL_EXPERIMENT_2023: "kokeilu 2023",
    POOL_PER_CAPITA_2023: "kokeilu 2023 asukasta kohden",
}


@dataclass(frozen=True)
class Basis:
    """What a payment rests on: its pool basis as one short Finnish name (the same basis, the
    same name) and whether the pool is the experiment era's costs. Two payments are compared (a
    "Muutos") only on the same basis; a payment is set against the 2025 state funding (a "Netto")
    only when its basis is not the experiment era's."""

    name: str
    experiment: bool = False

    def __str__(self) -> str:
        return self.name


@functools.lru_cache(maxsize=256)
def basis_of(spec: PoolSpec) -> Basis:
    """The basis of a pool as written: 'kustannusmalli', 'valtionosuus × 1,1',
    'talousarvio tampere_2025', 'kokeilu 2023', 'omat luvut 1 200 €'."""
    if spec.base is None:
        total = sum((amount for _, amount in spec.services), Fraction(0))
        name = f"omat luvut {format_euros(total)} €"
    else:
        name = BASIS_NAMES[spec.base]
        if spec.base == POOL_BUDGET:
            name += f" {spec.budget}"
        if spec.factor != 1:
            name += f" × {format_number(spec.factor)}"
    return Basis(name, spec.base in EXPERIMENT_BASES)


def format_number(value: Fraction) -> str:
    """An exact factor or weight as the shortest text: '1,1', '1/3'."""
    value = Fraction(value)
    if _finite_decimal(value):
        text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
        return (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
    return f"{value.numerator}/{value.denominator}"


def _finite_decimal(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@dataclass(frozen=True)
class Area:
    name: str
    lead: str  # kuntanumero
    members: tuple[str, ...]  # kuntanumero, in the order written
    exception: str | None
    key: tuple[KeyPart, ...]
    pool: PoolSpec
    line: int


@dataclass(frozen=True)
class Scenario:
    code: str  # the file's stem
    name: str
    description: str
    source: str
    areas: tuple[Area, ...]
    discounts_pct: dict[str, Fraction]
    carrier: str
    path: Path
    names: dict[str, str] = field(default_factory=dict)  # kuntanumero -> name, every member

    @property
    def members(self) -> list[str]:
        return [code for area in self.areas for code in area.members]

    def area_of(self, code: str) -> Area:
        for area in self.areas:
            if code in area.members:
                return area
        raise KeyError(code)


@dataclass(frozen=True)
class MunicipalityNames:
    """Every municipality a scenario may name: the register and the boundary map together."""

    by_code: dict[str, str]

    @classmethod
    def from_sources(cls, register: dict[str, str], map_names: dict[str, str]) -> MunicipalityNames:
        merged = dict(map_names)
        merged.update(register)  # the register's spelling wins
        return cls(merged)

    def code(self, text: Any) -> str:
        """A municipality given by name or code -> its three-digit code."""
        value = str(text).strip()
        if isinstance(text, int) and not isinstance(text, bool):
            value = f"{text:03d}"
        if len(value) == 3 and value.isdigit():
            if value in self.by_code:
                return value
            raise Problem(f"tuntematon kuntanumero '{value}'")
        for code, name in self.by_code.items():
            if name == value:
                return code
        raise Problem(f"tuntematon kunta '{value}'{suggest(value, self.by_code.values())}")

    def resolve(self, text: Any, *, file: Path, row: int, column: str) -> str:
        """:meth:`code`, a mistake naming the file, row and column."""
        try:
            return self.code(text)
        except Problem as exc:
            raise InputError(exc.message, file=file, row=row, column=column) from None


# --- the file's schema: what may be written, declared once -----------------------------------------

Weight = exact_between(0, 1, fraction=True)
Percent = exact_between(0, 100)
NonNegative = exact_between(0)
Positive = exact_between(above=0)
KeyMeasure = choice(KEY_MEASURES, "jakoperuste")


def _resolve(value: Any, info: ValidationInfo) -> str:
    return info.context["names"].code(value)


Municipality = Annotated[str, PlainValidator(_resolve)]


def _weights_add_up(parts: dict) -> dict:
    total = sum((p.weight for p in parts.values()), Fraction(0))
    if total != 1:
        raise Problem(
            f"jakoperusteen painojen summa on {float(total):g}, pitää olla 1", column="paino"
        )
    return parts


class KeyPartFile(Schema):
    """``{paino: 0.5, vuosi: 2019}``"""

    fi_in: ClassVar[str] = "jakoperusteessa"
    fi_from: ClassVar[str] = "jakoperusteelta"
    weight: Weight = Field(alias="paino")
    year: Year = Field(alias="vuosi")


# ``{mittari: {paino: w, vuosi: y}, ...}``; weights add up to exactly 1.
KeyFile = Annotated[dict[KeyMeasure, KeyPartFile], AfterValidator(_weights_add_up)]


class PoolFile(Schema):
    """``{peruste: kokeilu_2023, kerroin: 1.1}`` or ``{palvelut: {nimi: euroa}, tila:, lahde:}``."""

    fi_in: ClassVar[str] = "potissa"
    fi_from: ClassVar[str] = "potilta"
    base: choice(POOL_BASES, "potin peruste") | None = Field(None, alias="peruste")
    factor: Positive = Field(Fraction(1), alias="kerroin")
    services: Annotated[dict[Text, NonNegative], MinLen(1)] | None = Field(None, alias="palvelut")
    status: choice(POOL_STATUSES, "potin tila") | None = Field(None, alias="tila")
    source: Text | None = Field(None, alias="lahde")
    budget: Text | None = Field(None, alias="talousarvio")

    @model_validator(mode="after")
    def _one_kind(self, info: ValidationInfo) -> PoolFile:
        if (self.base is None) == (self.services is None):
            raise Problem("potille pitää antaa joko 'peruste' tai 'palvelut' (ei molempia)")
        if self.base == POOL_BUDGET:
            known = (info.context or {}).get("budgets")
            if not self.budget:
                raise Problem(
                    "potille 'talousarvio' pitää nimetä talousarvioluku, esim. "
                    "{peruste: talousarvio, talousarvio: tampere_2025}",
                    column="talousarvio",
                )
            if known is not None and self.budget not in known:
                raise Problem(
                    f"tuntematon talousarvio '{self.budget}' (tunnetut: "
                    f"{', '.join(known) or 'ei yhtään'}; {BUDGETS_FILE})",
                    at=("talousarvio",),
                )
        elif self.budget is not None:
            raise Problem(
                "'talousarvio' kuuluu vain potin perusteeseen 'talousarvio'", at=("talousarvio",)
            )
        if self.services is not None and self.status is None:
            raise Problem(
                "potille pitää kertoa tila: esimerkki, arvio tai julkaistu", column="tila"
            )
        if self.services is not None and self.source is None:
            raise Problem("potilta puuttuu lähde ('lahde')", column="lahde")
        return self

    def spec(self, line: int) -> PoolSpec:
        if self.base is not None:
            label = POOL_BASES[self.base]
            label += f", kerroin {float(self.factor):g}" if self.factor != 1 else ""
            status = {POOL_FUNDING: "arvio", POOL_BUDGET: "julkaistu"}.get(self.base, "esimerkki")
            return PoolSpec(self.base, self.factor, (), label, status, line, self.budget or "")
        services = tuple((name, euros * self.factor) for name, euros in self.services.items())
        total = sum((a for _, a in services), Fraction(0))
        label = f"{format_euros(total)} € ({self.status}): {self.source}"
        return PoolSpec(None, self.factor, services, label, self.status, line)


class AreaFile(Schema):
    fi_in: ClassVar[str] = "alueessa"
    fi_from: ClassVar[str] = "alueelta"
    name: Text = Field(alias="nimi")
    lead: Municipality = Field(alias="vastuukunta")
    members: Annotated[tuple[Municipality, ...], MinLen(1)] = Field(alias="jasenet")
    exception: Text | None = Field(None, alias="poikkeus")
    key: KeyFile | None = Field(None, alias="jakoperuste")
    pool: PoolFile | None = Field(None, alias="potti")
    description: Text | None = Field(None, alias="kuvaus")

    @model_validator(mode="after")
    def _lead_is_member(self, info: ValidationInfo) -> AreaFile:
        if self.lead not in self.members:
            name = info.context["names"].by_code[self.lead]
            raise Problem(
                f"vastuukunta {name} ei ole alueen '{self.name}' jäsen", at=("vastuukunta",)
            )
        return self


class DiscountsFile(Schema):
    """``{kattaja: ei_kukaan, kunnat: {kunta: prosentti}}``"""

    fi_in: ClassVar[str] = "alennuksissa"
    carrier: choice(CARRIERS, "alennuksen kattaja") = Field(CARRIER_NOBODY, alias="kattaja")
    by_municipality: dict[Text, Percent] = Field(default_factory=dict, alias="kunnat")


class ScenarioFile(Schema):
    """A scenario file as written (see the module docstring)."""

    fi_in: ClassVar[str] = "skenaariossa"
    fi_from: ClassVar[str] = "skenaariosta"
    name: Text = Field(alias="nimi")
    description: str = Field("", alias="kuvaus")
    source: str = Field("", alias="lahde")
    key: KeyFile = Field(alias="jakoperuste")
    pool: PoolFile | None = Field(None, alias="potti")  # None: the default basis
    discounts: DiscountsFile = Field(default_factory=DiscountsFile, alias="alennukset")
    areas: Annotated[tuple[AreaFile, ...], MinLen(1)] = Field(alias="alueet")

    @model_validator(mode="after")
    def _each_once(self, info: ValidationInfo) -> ScenarioFile:
        """Every area named once, every municipality in one area, discounts only for members."""
        names: MunicipalityNames = info.context["names"]
        seen: dict[str, tuple[int, int]] = {}
        for i, area in enumerate(self.areas):
            if any(other.name == area.name for other in self.areas[:i]):
                raise Problem(f"alue '{area.name}' on kahdesti", at=("alueet", i, "nimi"))
            for j, code in enumerate(area.members):
                if code in seen:
                    k, m = seen[code]
                    raise Problem(
                        f"{names.by_code[code]} on kahdella alueella: '{self.areas[k].name}' "
                        f"(rivi {{rivi}}) ja '{area.name}'",
                        at=("alueet", i, "jasenet", j),
                        lines={"rivi": ("alueet", k, "jasenet", m)},
                    )
                seen[code] = (i, j)
        for text in self.discounts.by_municipality:
            place = ("alennukset", "kunnat", text)
            try:
                code = names.code(text)
            except Problem as exc:
                raise Problem(exc.message, at=place, column="kunnat") from None
            if code not in seen:
                raise Problem(
                    f"alennus kunnalle {names.by_code[code]}, joka ei ole millään alueella",
                    at=place,
                    column="kunnat",
                )
        return self


# --- the dict-valued rules of data/parametrit/tyollisyysalueet.yaml --------------------------------


class MeasureYear(Schema):
    """``{mittari: vakiluku, vuosi: 2021}``"""

    fi_in: ClassVar[str] = "mittarissa"
    fi_from: ClassVar[str] = "mittarilta"
    measure: choice(KEY_MEASURES, "mittari") = Field(alias="mittari")
    year: Year = Field(alias="vuosi")


class LabourForceRule(Schema):
    """``tyovoima``: the measures whose sum is the labour force of the 20 000 rule."""

    fi_in: ClassVar[str] = "työvoiman säännössä"
    fi_from: ClassVar[str] = "työvoiman säännöltä"
    measures: Annotated[tuple[choice(MEASURES, "mittari"), ...], MinLen(1)] = Field(
        alias="mittarit"
    )
    year: Year = Field(alias="vuosi")


class PerCapitaRule(Schema):
    """``tunnusluvut``: the measures of euros per inhabitant and per unemployed."""

    fi_in: ClassVar[str] = "tunnusluvuissa"
    fi_from: ClassVar[str] = "tunnusluvuilta"
    inhabitant: MeasureYear = Field(alias="asukas")
    jobless: MeasureYear = Field(alias="tyoton")


class PoolBasisRule(Schema):
    """``potin_peruste``: the default pool basis of the 2025 comparisons and its second view."""

    fi_in: ClassVar[str] = "potin perusteessa"
    fi_from: ClassVar[str] = "potin perusteelta"
    default: choice(AREA_BASES, "potin peruste") = Field(alias="oletus")
    second: choice(AREA_BASES, "potin peruste") = Field(alias="toinen")


RULE_SCHEMAS: dict[str, Any] = {
    "tyovoima": LabourForceRule,
    "tunnusluvut": PerCapitaRule,
    "herkkyysmittarit": Annotated[tuple[MeasureYear, ...], MinLen(1)],
    "potin_peruste": PoolBasisRule,
}
DEFAULT_VIEW = "oletus"
SECOND_VIEW = "toinen"


def on_basis(scenario: Scenario, spec: PoolSpec) -> Scenario:
    """The scenario with every area whose file names no pool (it has the default basis) on
    ``spec`` instead: the same alternative in another view. Pools written in the file stay."""
    if not any(area.pool.default for area in scenario.areas):
        return scenario
    areas = tuple(replace(a, pool=spec) if a.pool.default else a for a in scenario.areas)
    return replace(scenario, areas=areas)


def basis_spec(base: str, *, default: bool = False, note: str = "") -> PoolSpec:
    """A pool basis as a scenario file would name it (``{peruste: base}``); ``default``: given to
    the areas of a file that names no pool (``note`` says in which view)."""
    spec = PoolFile.model_validate({"peruste": base}).spec(0)
    if not default:
        return spec
    return replace(spec, label=f"{spec.label}{' – ' + note if note else ''}", default=True)


def load_scenario(
    path: Path,
    names: MunicipalityNames,
    budgets: Iterable[str] | None = None,
    default_pool: PoolSpec | None = None,
) -> Scenario:
    """Read and validate one scenario file (``budgets``: the budget figures a pool may name;
    ``default_pool``: the pool of a file that names none)."""
    path = Path(path)
    raw = read_scenario_yaml(path)
    context = {"names": names, "budgets": None if budgets is None else list(budgets)}
    written = validate(ScenarioFile, raw, file=path, context=context)
    key = tuple(KeyPart(m, part.weight, part.year) for m, part in written.key.items())
    if written.pool is not None:
        pool = written.pool.spec(line_at(raw, ("potti",)))
    elif default_pool is not None:
        pool = default_pool
    else:
        raise InputError("skenaariosta puuttuu 'potti'", file=path, column="potti")
    areas = []
    for i, area in enumerate(written.areas):
        here = ("alueet", i)
        areas.append(
            Area(
                name=area.name,
                lead=area.lead,
                members=area.members,
                exception=area.exception,
                key=key
                if area.key is None
                else tuple(KeyPart(m, p.weight, p.year) for m, p in area.key.items()),
                pool=pool if area.pool is None else area.pool.spec(line_at(raw, (*here, "potti"))),
                line=line_at(raw, here),
            )
        )
    members = [code for area in areas for code in area.members]
    return Scenario(
        code=path.stem,
        name=written.name,
        description=written.description,
        source=written.source,
        areas=tuple(areas),
        discounts_pct={
            names.code(text): pct for text, pct in written.discounts.by_municipality.items()
        },
        carrier=written.discounts.carrier,
        path=path,
        names={code: names.by_code[code] for code in members},
    )


# --- writing a scenario file --------------------------------------------------------------------


def scenario_text(scenario: Scenario, comment: str = "") -> str:
    """The scenario as a file that :func:`load_scenario` reads back to the same scenario: the key
    and the pool most areas share at the top (a pool that is the default basis is not written,
    so that it stays the default), the others with their areas; weights exactly (``1/3``)."""
    names = scenario.names
    keys = [area.key for area in scenario.areas]
    pools = [area.pool for area in scenario.areas]
    top_key = max(keys, key=keys.count)  # the first of the most common
    top_pool = max(pools, key=pools.count)
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines += [
        f"nimi: {_quoted(scenario.name)}",
        f"kuvaus: {_quoted(scenario.description)}",
        f"lahde: {_quoted(scenario.source)}",
        f"jakoperuste: {_key_text(top_key)}",
    ]
    if not top_pool.default:
        lines.append(f"potti: {_pool_text(top_pool)}")
    if scenario.discounts_pct:
        shares = ", ".join(
            f"{_quoted(names[code])}: {_decimal_text(pct)}"
            for code, pct in scenario.discounts_pct.items()
        )
        lines.append(f"alennukset: {{kattaja: {scenario.carrier}, kunnat: {{{shares}}}}}")
    lines.append("alueet:")
    for area in scenario.areas:
        lines.append(f"  - nimi: {_quoted(area.name)}")
        lines.append(f"    vastuukunta: {_quoted(names[area.lead])}")
        lines.append(f"    jasenet: [{', '.join(_quoted(names[c]) for c in area.members)}]")
        if area.exception:
            lines.append(f"    poikkeus: {_quoted(area.exception)}")
        if area.key != top_key:
            lines.append(f"    jakoperuste: {_key_text(area.key)}")
        if area.pool != top_pool:
            lines.append(f"    potti: {_pool_text(area.pool)}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's escapes are YAML's)."""
    return json.dumps(str(text), ensure_ascii=False)


def _decimal_text(value: Fraction) -> str:
    """An exact number for YAML: a decimal when it has one (0.25), else a fraction ("1/3")."""
    value = Fraction(value)
    if not _finite_decimal(value):
        return f'"{value.numerator}/{value.denominator}"'
    return format_number(value).replace(",", ".")


def _key_text(key: tuple[KeyPart, ...]) -> str:
    parts = ", ".join(
        f"{p.measure}: {{paino: {_decimal_text(p.weight)}, vuosi: {p.year}}}" for p in key
    )
    return f"{{{parts}}}"


def _pool_text(spec: PoolSpec) -> str:
    if spec.base is not None:
        text = f"peruste: {spec.base}"
        if spec.budget:
            text += f", talousarvio: {spec.budget}"
        if spec.factor != 1:
            text += f", kerroin: {_decimal_text(spec.factor)}"
        return f"{{{text}}}"
    services = ", ".join(
        f"{_quoted(name)}: {_decimal_text(amount)}" for name, amount in spec.services
    )
    source = spec.label.split(": ", 1)[-1]
    return f"{{palvelut: {{{services}}}, tila: {spec.status}, lahde: {_quoted(source)}}}"
