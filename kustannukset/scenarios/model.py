"""Scenario files (``data/skenaariot/*.yaml``): reading and validating them.

A scenario names the employment areas (members and the responsible municipality), the cost pool,
the cost key (one statistic or a weighted mix, each with its data year) and the discounts::

    nimi: Päätetyt alueet 2025
    kuvaus: ...
    lahde: ...
    jakoperuste:                 # weights must add up to 1
      vakiluku: {paino: 0.5, vuosi: 2021}
      tyottomat_18_64: {paino: 0.5, vuosi: 2019}
    potti: {peruste: kokeilu_2023}          # or {palvelut: {nimi: euroa, ...}, tila:, lahde:}
    # pool bases: kokeilu_2023, kokeilu_2023_asukasta_kohden, valtionosuus (members' estimated
    # state funding, optional kerroin), talousarvio (with talousarvio: tampere_2025) and
    # kustannusmalli (fixed cost per area + variable cost per unemployed jobseeker)
    alennukset: {kattaja: ei_kukaan, kunnat: {Sastamala: 20}}
    alueet:
      - nimi: Tampereen seudun työllisyysalue
        vastuukunta: Tampere
        jasenet: [Tampere, Akaa, ...]
        poikkeus: "..."                      # optional: an exception to the 20 000 rule applied for
        jakoperuste: ... / potti: ...        # optional overrides for this area

Municipalities are given by name or by three-digit code. They are checked against the municipality
register (``data/kunnat.csv``) and the municipal boundaries (``data/kartat/``), so that an area may
name a municipality whose statistics are not (yet) in the data; its figures are then reported as
missing, never taken as zero. Every mistake is an error naming the file and the line.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from kustannukset.core.errors import InputError
from kustannukset.core.money import exact
from kustannukset.core.params import LineDict, LineList, read_yaml
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
TOP_KEYS = {"nimi", "kuvaus", "lahde", "jakoperuste", "potti", "alennukset", "alueet"}
AREA_KEYS = {"nimi", "vastuukunta", "jasenet", "poikkeus", "jakoperuste", "potti", "kuvaus"}


def read_scenario_yaml(path: Path) -> LineDict:
    return read_yaml(path, kind="skenaariotiedosto")


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


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

    def resolve(self, text: Any, *, file: Path, row: int, column: str) -> str:
        """A municipality given by name or code -> its three-digit code."""
        value = str(text).strip()
        if isinstance(text, int) and not isinstance(text, bool):
            value = f"{text:03d}"
        if len(value) == 3 and value.isdigit():
            if value in self.by_code:
                return value
            raise InputError(f"tuntematon kuntanumero '{value}'", file=file, row=row, column=column)
        for code, name in self.by_code.items():
            if name == value:
                return code
        raise InputError(
            f"tuntematon kunta '{value}'{_suggest(value, self.by_code.values())}",
            file=file,
            row=row,
            column=column,
        )


def _fraction(value: Any, *, what: str, file: Path, row: int, column: str) -> Fraction:
    if isinstance(value, bool) or value is None:
        raise InputError(f"{what}: '{value}' ei ole luku", file=file, row=row, column=column)
    try:
        return exact(value if not isinstance(value, str) else value.replace(" ", ""))
    except (TypeError, ValueError, ArithmeticError):
        raise InputError(
            f"{what}: '{value}' ei ole luku", file=file, row=row, column=column
        ) from None


def _year(value: Any, *, file: Path, row: int, column: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
        raise InputError(
            f"vuoden pitää olla nelinumeroinen luku, ei '{value}'",
            file=file,
            row=row,
            column=column,
        )
    return value


def _unknown_keys(node: LineDict, allowed: set[str], *, file: Path, where: str) -> None:
    for key in node:
        if key not in allowed:
            raise InputError(
                f"tuntematon kohta '{key}' {where}{_suggest(key, allowed)}; sallitut: "
                f"{', '.join(sorted(allowed))}",
                file=file,
                row=node.lines[key],
                column=str(key),
            )


def parse_key(node: Any, *, file: Path, line: int) -> tuple[KeyPart, ...]:
    """``{mittari: {paino: w, vuosi: y}, ...}``; weights add up to exactly 1."""
    if not isinstance(node, LineDict) or not node:
        raise InputError(
            "jakoperuste pitää antaa muodossa {mittari: {paino: 1, vuosi: 2021}}",
            file=file,
            row=line,
            column="jakoperuste",
        )
    parts = []
    for measure, spec in node.items():
        row = node.lines[measure]
        if measure not in KEY_MEASURES:
            raise InputError(
                f"tuntematon jakoperuste '{measure}'{_suggest(measure, KEY_MEASURES)}; sallitut: "
                f"{', '.join(KEY_MEASURES)}",
                file=file,
                row=row,
                column="jakoperuste",
            )
        if not isinstance(spec, LineDict) or set(spec) != {"paino", "vuosi"}:
            raise InputError(
                f"jakoperusteelle '{measure}' pitää antaa paino ja vuosi, esim. "
                "{paino: 0.5, vuosi: 2019}",
                file=file,
                row=row,
                column=measure,
            )
        weight = _fraction(
            spec["paino"], what=f"{measure}: paino", file=file, row=row, column="paino"
        )
        if not 0 <= weight <= 1:
            raise InputError(
                f"{measure}: painon pitää olla 0–1, ei {spec['paino']}",
                file=file,
                row=row,
                column="paino",
            )
        parts.append(
            KeyPart(measure, weight, _year(spec["vuosi"], file=file, row=row, column="vuosi"))
        )
    total = sum(p.weight for p in parts)
    if total != 1:
        raise InputError(
            f"jakoperusteen painojen summa on {float(total):g}, pitää olla 1",
            file=file,
            row=node.line,
            column="paino",
        )
    return tuple(parts)


def parse_pool(node: Any, *, file: Path, line: int) -> PoolSpec:
    if not isinstance(node, LineDict):
        raise InputError(
            "potti pitää antaa muodossa {peruste: kokeilu_2023_asukasta_kohden} tai "
            "{palvelut: {palvelu: euroa}, tila: esimerkki, lahde: ...}",
            file=file,
            row=line,
            column="potti",
        )
    _unknown_keys(
        node,
        {"peruste", "kerroin", "palvelut", "tila", "lahde", "talousarvio"},
        file=file,
        where="potissa",
    )
    factor = Fraction(1)
    if "kerroin" in node:
        factor = _fraction(
            node["kerroin"], what="kerroin", file=file, row=node.lines["kerroin"], column="kerroin"
        )
        if factor <= 0:
            raise InputError(
                "kertoimen pitää olla positiivinen",
                file=file,
                row=node.lines["kerroin"],
                column="kerroin",
            )
    if ("peruste" in node) == ("palvelut" in node):
        raise InputError(
            "potille pitää antaa joko 'peruste' tai 'palvelut' (ei molempia)",
            file=file,
            row=node.line,
            column="potti",
        )
    if "peruste" in node:
        base = str(node["peruste"])
        if base not in POOL_BASES:
            raise InputError(
                f"tuntematon potin peruste '{base}'; sallitut: {', '.join(POOL_BASES)}",
                file=file,
                row=node.lines["peruste"],
                column="peruste",
            )
        label = POOL_BASES[base] + (f", kerroin {float(factor):g}" if factor != 1 else "")
        budget = ""
        if base == POOL_BUDGET:
            budget = str(node.get("talousarvio") or "")
            if not budget:
                raise InputError(
                    "potille 'talousarvio' pitää nimetä talousarvioluku, esim. "
                    "{peruste: talousarvio, talousarvio: tampere_2025}",
                    file=file,
                    row=node.line,
                    column="talousarvio",
                )
        elif "talousarvio" in node:
            raise InputError(
                "'talousarvio' kuuluu vain potin perusteeseen 'talousarvio'",
                file=file,
                row=node.lines["talousarvio"],
                column="talousarvio",
            )
        status = {POOL_FUNDING: "arvio", POOL_BUDGET: "julkaistu"}.get(base, "esimerkki")
        return PoolSpec(base, factor, (), label, status, node.line, budget)
    services_node = node["palvelut"]
    if not isinstance(services_node, LineDict) or not services_node:
        raise InputError(
            "palvelut pitää antaa muodossa {palvelu: euroa}",
            file=file,
            row=node.lines["palvelut"],
            column="palvelut",
        )
    services = []
    for service, amount in services_node.items():
        row = services_node.lines[service]
        euros = _fraction(
            amount, what=f"palvelu {service}", file=file, row=row, column=str(service)
        )
        if euros < 0:
            raise InputError(
                f"palvelun {service} summa on negatiivinen", file=file, row=row, column=str(service)
            )
        services.append((str(service), euros * factor))
    status = str(node.get("tila", ""))
    if status not in ("esimerkki", "arvio", "julkaistu"):
        raise InputError(
            "potille pitää kertoa tila: esimerkki, arvio tai julkaistu",
            file=file,
            row=node.lines.get("tila", node.line),
            column="tila",
        )
    if not node.get("lahde"):
        raise InputError(
            "potilta puuttuu lähde ('lahde')", file=file, row=node.line, column="lahde"
        )
    total = sum(a for _, a in services)
    label = f"{format_euros(total)} € ({status}): {node['lahde']}"
    return PoolSpec(None, factor, tuple(services), label, status, node.line)


def load_scenario(path: Path, names: MunicipalityNames) -> Scenario:
    """Read and validate one scenario file."""
    path = Path(path)
    raw = read_scenario_yaml(path)
    _unknown_keys(raw, TOP_KEYS, file=path, where="skenaariossa")
    for required in ("nimi", "jakoperuste", "potti", "alueet"):
        if required not in raw:
            raise InputError(
                f"skenaariosta puuttuu '{required}'", file=path, row=1, column=required
            )
    key = parse_key(raw["jakoperuste"], file=path, line=raw.lines["jakoperuste"])
    pool = parse_pool(raw["potti"], file=path, line=raw.lines["potti"])

    areas_node = raw["alueet"]
    if not isinstance(areas_node, LineList) or not areas_node:
        raise InputError(
            "alueet pitää antaa luettelona", file=path, row=raw.lines["alueet"], column="alueet"
        )
    seen: dict[str, tuple[str, int]] = {}
    area_names: set[str] = set()
    areas = []
    for node, line in zip(areas_node, areas_node.lines, strict=True):
        if not isinstance(node, LineDict):
            raise InputError(
                "alue pitää antaa avain-arvo-rakenteena", file=path, row=line, column="alueet"
            )
        _unknown_keys(node, AREA_KEYS, file=path, where="alueessa")
        for required in ("nimi", "vastuukunta", "jasenet"):
            if not node.get(required):
                raise InputError(
                    f"alueelta puuttuu '{required}'", file=path, row=node.line, column=required
                )
        name = str(node["nimi"])
        if name in area_names:
            raise InputError(
                f"alue '{name}' on kahdesti", file=path, row=node.lines["nimi"], column="nimi"
            )
        area_names.add(name)
        members_node = node["jasenet"]
        if not isinstance(members_node, LineList):
            raise InputError(
                "jäsenet pitää antaa luettelona",
                file=path,
                row=node.lines["jasenet"],
                column="jasenet",
            )
        members = []
        for text, row in zip(members_node, members_node.lines, strict=True):
            code = names.resolve(text, file=path, row=row, column="jasenet")
            if code in seen:
                other_area, other_row = seen[code]
                raise InputError(
                    f"{names.by_code[code]} on kahdella alueella: '{other_area}' "
                    f"(rivi {other_row}) ja '{name}'",
                    file=path,
                    row=row,
                    column="jasenet",
                )
            seen[code] = (name, row)
            members.append(code)
        lead = names.resolve(
            node["vastuukunta"], file=path, row=node.lines["vastuukunta"], column="vastuukunta"
        )
        if lead not in members:
            raise InputError(
                f"vastuukunta {names.by_code[lead]} ei ole alueen '{name}' jäsen",
                file=path,
                row=node.lines["vastuukunta"],
                column="vastuukunta",
            )
        area_key = (
            parse_key(node["jakoperuste"], file=path, line=node.lines["jakoperuste"])
            if "jakoperuste" in node
            else key
        )
        area_pool = (
            parse_pool(node["potti"], file=path, line=node.lines["potti"])
            if "potti" in node
            else pool
        )
        exception = node.get("poikkeus")
        areas.append(
            Area(
                name=name,
                lead=lead,
                members=tuple(members),
                exception=str(exception) if exception else None,
                key=area_key,
                pool=area_pool,
                line=node.line,
            )
        )

    discounts: dict[str, Fraction] = {}
    carrier = CARRIER_NOBODY
    if "alennukset" in raw:
        node = raw["alennukset"]
        row = raw.lines["alennukset"]
        if not isinstance(node, LineDict):
            raise InputError(
                "alennukset pitää antaa muodossa {kattaja: ei_kukaan, kunnat: {kunta: prosentti}}",
                file=path,
                row=row,
                column="alennukset",
            )
        _unknown_keys(node, {"kattaja", "kunnat"}, file=path, where="alennuksissa")
        carrier = str(node.get("kattaja", CARRIER_NOBODY))
        if carrier not in CARRIERS:
            raise InputError(
                f"tuntematon alennuksen kattaja '{carrier}'; sallitut: {', '.join(CARRIERS)}",
                file=path,
                row=node.lines.get("kattaja", row),
                column="kattaja",
            )
        given = node.get("kunnat") or LineDict()
        if not isinstance(given, LineDict):
            raise InputError(
                "alennusten kunnat pitää antaa muodossa {kunta: prosentti}",
                file=path,
                row=node.lines.get("kunnat", row),
                column="kunnat",
            )
        for text, pct in given.items():
            line = given.lines[text]
            code = names.resolve(text, file=path, row=line, column="kunnat")
            if code not in seen:
                raise InputError(
                    f"alennus kunnalle {names.by_code[code]}, joka ei ole millään alueella",
                    file=path,
                    row=line,
                    column="kunnat",
                )
            value = _fraction(pct, what="alennus", file=path, row=line, column=str(text))
            if not 0 <= value <= 100:
                raise InputError(
                    f"alennuksen pitää olla 0–100 %, ei {pct}",
                    file=path,
                    row=line,
                    column=str(text),
                )
            discounts[code] = value

    return Scenario(
        code=path.stem,
        name=str(raw["nimi"]),
        description=str(raw.get("kuvaus", "")),
        source=str(raw.get("lahde", "")),
        areas=tuple(areas),
        discounts_pct=discounts,
        carrier=carrier,
        path=path,
        names={code: names.by_code[code] for code in seen},
    )
