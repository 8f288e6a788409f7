"""International expertise services: reading the service events and the cost pool (CSV), and loading
everything one year needs.

The input files come as one of two sets, never mixed (:func:`load_inputs`): the example set of the
data folder (``esimerkki/``: events, costs and project funding, used together when the user names
no input file), or the user's own files (events and costs both named; project funding only when
named). :func:`inputs_notice` says which files a result used and their status, in every output.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kustannukset.core.csvio import Row, Table, read_table
from kustannukset.core.errors import InputError
from kustannukset.core.guarded import PLAUSIBLE_LIMIT, present
from kustannukset.core.paths import DATA_DIR, display_path
from kustannukset.core.years import parse_year
from kustannukset.international.rules import (
    ACTUAL,
    COST_COLUMNS,
    COST_SERVICE,
    COSTS_FILE,
    EVENT_COLUMNS,
    EVENTS_FILE,
    EXAMPLE,
    FUNDING_COLUMNS,
    FUNDING_FILE,
    KEY_YEAR_OVERRIDE,
    ROW_STATUSES,
    SPLIT_BY_EVENTS,
    SPLIT_BY_KEY,
    WHOLE_POOL,
    YES_NO,
    Rules,
    suggest,
)
from kustannukset.stats.loader import (
    Municipalities,
    Statistics,
    load_municipalities,
    load_statistics,
)

# --- service events


@dataclass(frozen=True)
class Event:
    line: int
    code: str  # kuntanumero
    date: dt.date
    service: str
    quantity: Fraction
    integration_year: int | None
    on_site: bool
    per_diems: Fraction
    kilometres: Fraction
    status: str
    client: str = ""  # the client's identifier, when the events file gives one
    visits: int | None = None  # visits on the row (native-language advice), when given


@dataclass(frozen=True)
class Events:
    path: Path
    events: tuple[Event, ...]

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.path.name or any(e.status == EXAMPLE for e in self.events)

    def of_year(self, year: int) -> list[Event]:
        return [e for e in self.events if e.date.year == year]

    def years(self) -> list[int]:
        return sorted({e.date.year for e in self.events})


def _municipality(text: str, municipalities: Municipalities, table: Table, row: Row) -> str:
    value = text.strip()
    if value.isdigit():
        code = value.zfill(3)
        if code not in municipalities.table.index:
            raise InputError(
                f"tuntematon kuntanumero '{value}'", file=table.path, row=row.line, column="kunta"
            )
    else:
        found = municipalities.code_for_name(value)
        if found is None:
            raise InputError(
                f"tuntematon kunta '{value}'{suggest(value, municipalities.table['kunta'])}",
                file=table.path,
                row=row.line,
                column="kunta",
            )
        code = found
    if code not in municipalities.experiment:
        raise InputError(
            f"{municipalities.name(code)} ({code}) ei ole kokeilukunta; keskitetyt palvelut "
            "laskutetaan kokeilukunnilta",
            file=table.path,
            row=row.line,
            column="kunta",
        )
    return code


_DATE_FI = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(text: str, *, file: Path, row: int, column: str) -> dt.date:
    """'2021-03-15' or '15.3.2021'."""
    value = text.strip()
    try:
        match = _DATE_FI.match(value)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"'{text}' ei ole päivämäärä (muoto 15.3.2021 tai 2021-03-15)",
            file=file,
            row=row,
            column=column,
        ) from None


def _status(table: Table, row: Row, *, default: str = "", needs_source: bool = False) -> str:
    """A row's ``tila`` (``default`` when empty), one of ROW_STATUSES; with ``needs_source`` the
    row must also name its ``lahde``."""
    status = row["tila"].strip().lower() or default
    if status not in ROW_STATUSES:
        raise InputError(
            f"tuntematon tila '{row['tila']}' (sallitut: {', '.join(ROW_STATUSES)})",
            file=table.path,
            row=row.line,
            column="tila",
        )
    if needs_source and not row["lahde"]:
        raise InputError("lähde puuttuu", file=table.path, row=row.line, column="lahde")
    return status


def _amount(
    table: Table, row: Row, column: str, *, what: str, allow_empty: bool = False
) -> Fraction:
    """A non-negative number with at most two decimals (euros and cents, or quantities)."""
    value = table.number(row, column, allow_empty=allow_empty)
    if value is None:
        return Fraction(0)
    if value < 0:
        raise InputError(
            f"{what} ei voi olla negatiivinen ({row[column]})",
            file=table.path,
            row=row.line,
            column=column,
        )
    if value >= PLAUSIBLE_LIMIT:
        raise InputError(
            f"{what} {row[column]} on epäuskottavan suuri (sallittu alle 10^12)",
            file=table.path,
            row=row.line,
            column=column,
        )
    if (value * 100).denominator != 1:
        raise InputError(
            f"{what}: enintään kaksi desimaalia ({row[column]})",
            file=table.path,
            row=row.line,
            column=column,
        )
    return value


def read_events(path: Path, rules: Rules, municipalities: Municipalities) -> Events:
    """Read and validate the service events; every mistake names the file, row and column."""
    table = read_table(Path(path), EVENT_COLUMNS)
    events = []
    for row in table.rows:
        code = _municipality(row["kunta"], municipalities, table, row)
        date = parse_date(row["pvm"], file=table.path, row=row.line, column="pvm")
        service = rules.service_by_name(row["palvelu"])
        if service is None:
            text = row["palvelu"]
            if "tulk" in text.lower():
                message = (
                    f"'{text}': tulkkaus ei sisälly palvelujen hintoihin eikä sitä laskuteta "
                    "tällä laskutuksella"
                )
            else:
                message = (
                    f"tuntematon palvelu '{text}'{suggest(text.lower(), rules.services)} "
                    f"(palvelut: {', '.join(rules.services)})"
                )
            raise InputError(message, file=table.path, row=row.line, column="palvelu")
        quantity = _amount(table, row, "maara", what="määrä")
        if quantity == 0:
            raise InputError(
                "määrä ei voi olla nolla", file=table.path, row=row.line, column="maara"
            )
        if service.integer and quantity.denominator != 1:
            raise InputError(
                f"{service.name}: määrän pitää olla kokonaisluku ({service.unit}), "
                f"ei '{row['maara']}'",
                file=table.path,
                row=row.line,
                column="maara",
            )
        integration_year = None
        text = row["kotoutumisvuosi"]
        if text or service.by_integration_year:
            if not text:
                raise InputError(
                    f"{service.name}: kotoutumisvuosi (1–5) puuttuu",
                    file=table.path,
                    row=row.line,
                    column="kotoutumisvuosi",
                )
            try:
                limit = rules.max_integration_year(date)
            except InputError:
                raise InputError(
                    f"päivälle {date.day}.{date.month}.{date.year} ei ole kotoutumisajan sääntöä "
                    "(parametri "
                    "kotoutumisaika): tapahtuma on päivätty ennen sääntöjen voimaantuloa",
                    file=table.path,
                    row=row.line,
                    column="pvm",
                ) from None
            if not text.isdigit() or int(text) < 1:
                raise InputError(
                    f"kotoutumisvuoden pitää olla kokonaisluku 1–{limit}, ei '{text}'",
                    file=table.path,
                    row=row.line,
                    column="kotoutumisvuosi",
                )
            integration_year = int(text)
            if integration_year > limit:
                raise InputError(
                    f"kotoutumisvuosi {integration_year} on liian suuri: kotoutumisaika on "
                    f"enintään {limit} vuotta (tavallisesti "
                    f"{rules.normal_integration_years(date)}, pidennettynä enintään {limit})",
                    file=table.path,
                    row=row.line,
                    column="kotoutumisvuosi",
                )
        flag = row["paikan_paalla"].strip().lower()
        if flag not in YES_NO:
            raise InputError(
                f"paikan_paalla pitää olla 'kyllä' tai 'ei', ei '{row['paikan_paalla']}'",
                file=table.path,
                row=row.line,
                column="paikan_paalla",
            )
        on_site = YES_NO[flag]
        travel = {}
        for column, what in (("paivarahat", "päivärahat"), ("kilometrikulut", "kilometrikulut")):
            travel[column] = _amount(table, row, column, what=what, allow_empty=True)
            if travel[column] and not on_site:
                raise InputError(
                    f"{what} laskutetaan vain kunnan tilaamasta paikan päällä tuotetusta "
                    "palvelusta: merkitse paikan_paalla = kyllä",
                    file=table.path,
                    row=row.line,
                    column=column,
                )
        status = _status(table, row, default=ACTUAL)
        visits = None
        if row["kaynnit"]:
            text = row["kaynnit"]
            if not service.by_visit:
                raise InputError(
                    f"{service.name}: käyntien määrä annetaan vain käynneittäin "
                    "hinnoiteltavalle palvelulle",
                    file=table.path,
                    row=row.line,
                    column="kaynnit",
                )
            if not text.isdigit() or int(text) < 1:
                raise InputError(
                    f"käyntien määrän pitää olla positiivinen kokonaisluku, ei '{text}'",
                    file=table.path,
                    row=row.line,
                    column="kaynnit",
                )
            visits = int(text)
        events.append(
            Event(
                line=row.line,
                code=code,
                date=date,
                service=service.code,
                quantity=quantity,
                integration_year=integration_year,
                on_site=on_site,
                per_diems=travel["paivarahat"],
                kilometres=travel["kilometrikulut"],
                status=status,
                client=row["asiakas"],
                visits=visits,
            )
        )
    return Events(path=table.path, events=tuple(events))


# --- cost pool


@dataclass(frozen=True)
class CostLine:
    line: int
    year: int
    kind: str
    budget: Fraction
    actual: Fraction | None  # None: the year is not closed yet
    status: str
    source: str
    key_year_override: int | None
    service: str = ""  # a unit-priced service, when the cost file gives costs per service


@dataclass(frozen=True)
class Costs:
    path: Path
    lines: tuple[CostLine, ...]

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.path.name or any(c.status == EXAMPLE for c in self.lines)

    def of_year(self, year: int) -> list[CostLine]:
        lines = [c for c in self.lines if c.year == year]
        if not lines:
            known = ", ".join(str(y) for y in self.years()) or "ei yhtään"
            raise InputError(
                f"kustannuksia vuodelta {year} ei ole (vuodet: {known})",
                file=self.path,
                column="vuosi",
            )
        return lines

    def years(self) -> list[int]:
        return sorted({c.year for c in self.lines})

    def total(self, year: int, which: str, split: str | None, rules: Rules) -> Fraction:
        lines = [
            c
            for c in self.of_year(year)
            if split is None or rules.cost_kinds[c.kind].split == split
        ]
        if which == "actual":
            self.check_closed(year)
        return sum((getattr(c, which) for c in lines), Fraction(0))

    def is_closed(self, year: int) -> bool:
        """Whether every cost row of ``year`` gives its actual cost."""
        return all(c.actual is not None for c in self.of_year(year))

    def check_closed(self, year: int) -> None:
        for c in self.of_year(year):
            if c.actual is None:
                raise InputError(
                    f"vuoden {year} toteuma puuttuu: vuotta ei ole vielä suljettu",
                    file=self.path,
                    row=c.line,
                    column="toteuma",
                )

    def by_service(self, year: int) -> bool:
        """Whether the unit-priced costs of ``year`` are given per service."""
        return any(c.service for c in self.of_year(year))

    def key_year_override(self, year: int) -> int | None:
        values = {c.key_year_override for c in self.of_year(year)}
        return values.pop() if len(values) == 1 else None


def read_costs(path: Path, rules: Rules) -> Costs:
    """Read and validate the cost pool: one row per year and cost kind, budget and actual."""
    table = read_table(Path(path), COST_COLUMNS)
    lines: list[CostLine] = []
    seen: dict[tuple[int, str, str], int] = {}
    by_service_rows: dict[tuple[int, str], tuple[bool, int]] = {}
    overrides: dict[int, tuple[int | None, int]] = {}
    for row in table.rows:
        year = parse_year(row["vuosi"], file=table.path, row=row.line, column="vuosi")
        kind = row["kustannuslaji"].strip()
        if kind not in rules.cost_kinds:
            raise InputError(
                f"tuntematon kustannuslaji '{kind}'{suggest(kind, rules.cost_kinds)} "
                f"(lajit: {', '.join(rules.cost_kinds)})",
                file=table.path,
                row=row.line,
                column="kustannuslaji",
            )
        ident = (year, kind, row[COST_SERVICE].strip())
        if ident in seen:
            raise InputError(
                f"kustannuslaji {' '.join(filter(None, ident[1:]))} vuodelta {year} on kahdesti "
                f"(myös rivillä {seen[ident]})",
                file=table.path,
                row=row.line,
                column="kustannuslaji",
            )
        seen[ident] = row.line
        service = row[COST_SERVICE].strip()
        if service:
            if rules.cost_kinds[kind].split != SPLIT_BY_EVENTS:
                raise InputError(
                    f"palvelu annetaan vain suoritteiden kustannuslajille, ei lajille {kind}",
                    file=table.path,
                    row=row.line,
                    column=COST_SERVICE,
                )
            if service not in rules.services:
                raise InputError(
                    f"tuntematon palvelu '{service}'{suggest(service, rules.services)}",
                    file=table.path,
                    row=row.line,
                    column=COST_SERVICE,
                )
        per_service = by_service_rows.setdefault((year, kind), (bool(service), row.line))
        if per_service[0] != bool(service):
            raise InputError(
                f"vuoden {year} suoritteiden kustannukset annetaan joko palveluittain tai "
                f"yhteissummana, ei molempina (rivi {per_service[1]})",
                file=table.path,
                row=row.line,
                column=COST_SERVICE,
            )
        budget = _amount(table, row, "talousarvio", what="talousarvio")
        actual = _amount(table, row, "toteuma", what="toteuma") if row["toteuma"].strip() else None
        status = _status(table, row, needs_source=True)
        override = None
        if row[KEY_YEAR_OVERRIDE]:
            override = parse_year(
                row[KEY_YEAR_OVERRIDE], file=table.path, row=row.line, column=KEY_YEAR_OVERRIDE
            )
            if status != EXAMPLE:
                raise InputError(
                    "jakoperusteen vuoden voi vaihtaa vain esimerkkiaineistossa "
                    "(tila = esimerkki); todellinen laskutus käyttää aina sääntöjen mukaista "
                    "vuotta",
                    file=table.path,
                    row=row.line,
                    column=KEY_YEAR_OVERRIDE,
                )
        if year in overrides and overrides[year][0] != override:
            raise InputError(
                f"vuoden {year} riveillä on eri {KEY_YEAR_OVERRIDE} (rivi {overrides[year][1]})",
                file=table.path,
                row=row.line,
                column=KEY_YEAR_OVERRIDE,
            )
        overrides.setdefault(year, (override, row.line))
        lines.append(
            CostLine(row.line, year, kind, budget, actual, status, row["lahde"], override, service)
        )
    return Costs(path=table.path, lines=tuple(lines))


# --- state project funding


@dataclass(frozen=True)
class Grant:
    """State project funding of one year for one target: a cost kind split by key, a unit-priced
    service (or 'suoritteet' when costs are given only as a total), or 'potti' = the whole pool
    split by key."""

    line: int
    year: int
    target: str
    amount: Fraction
    status: str
    source: str


@dataclass(frozen=True)
class Funding:
    path: Path | None
    grants: tuple[Grant, ...]

    @property
    def is_example(self) -> bool:
        return bool(self.path and EXAMPLE in self.path.name) or any(
            g.status == EXAMPLE for g in self.grants
        )

    def of_year(self, year: int) -> list[Grant]:
        return [g for g in self.grants if g.year == year]


NO_FUNDING = Funding(None, ())


def read_funding(path: Path, rules: Rules) -> Funding:
    """Read the state project funding: one row per year and target, with its source."""
    table = read_table(Path(path), FUNDING_COLUMNS)
    targets = (
        [WHOLE_POOL]
        + [k for k, v in rules.cost_kinds.items() if v.split in (SPLIT_BY_KEY, SPLIT_BY_EVENTS)]
        + list(rules.services)
    )
    grants = []
    seen: dict[tuple[int, str], int] = {}
    for row in table.rows:
        year = parse_year(row["vuosi"], file=table.path, row=row.line, column="vuosi")
        target = row["kohde"].strip()
        if target not in targets:
            raise InputError(
                f"tuntematon kohde '{target}'{suggest(target, targets)} "
                f"(kohteet: {', '.join(targets)})",
                file=table.path,
                row=row.line,
                column="kohde",
            )
        if (year, target) in seen:
            raise InputError(
                f"kohde {target} vuodelta {year} on kahdesti (myös rivillä {seen[year, target]})",
                file=table.path,
                row=row.line,
                column="kohde",
            )
        seen[year, target] = row.line
        amount = _amount(table, row, "summa", what="hankerahoitus")
        status = _status(table, row, default=ACTUAL, needs_source=True)
        grants.append(Grant(row.line, year, target, amount, status, row["lahde"]))
    return Funding(table.path, tuple(grants))


# --- loading


@dataclass(frozen=True)
class Inputs:
    rules: Rules
    stats: Statistics
    events: Events
    costs: Costs
    funding: Funding = NO_FUNDING

    @property
    def is_example(self) -> bool:
        return self.events.is_example or self.costs.is_example or self.funding.is_example

    @property
    def status(self) -> str:
        """The status of every figure computed from these inputs: ``esimerkki`` or ``toteuma``."""
        return EXAMPLE if self.is_example else ACTUAL


# The options (command line) and parameters (notebook) that name the user's own input files.
EVENTS_OPTION = "--tapahtumat"
COSTS_OPTION = "--kustannukset"
FUNDING_OPTION = "--hankerahoitus"


def load_inputs(
    data_dir: Path = DATA_DIR,
    events_path: Path | str | None = None,
    costs_path: Path | str | None = None,
    funding_path: Path | str | None = None,
) -> Inputs:
    """Everything the cycle needs, from one set of input files, never mixed:

    - no file named: the example set of ``data_dir`` (its events, costs and, when the folder has
      it, its project funding), all together;
    - the user's own files: events and costs both named (an example file is never mixed in with
      them), project funding only when named.
    """
    data_dir = Path(data_dir)
    events_path, costs_path, funding_path = (
        Path(p) if p not in (None, "") else None for p in (events_path, costs_path, funding_path)
    )
    if events_path is None and costs_path is None:
        if funding_path is not None:
            raise InputError(
                "oma hankerahoitus annetaan omien palvelutapahtumien ja kustannusten kanssa "
                f"(anna myös {EVENTS_OPTION} ja {COSTS_OPTION}); esimerkkiaineistoon ei yhdistetä "
                "omia tiedostoja"
            )
        events_path = data_dir / EVENTS_FILE
        costs_path = data_dir / COSTS_FILE
        example_funding = data_dir / FUNDING_FILE
        if present(example_funding, kind="hankerahoitustiedosto"):
            funding_path = example_funding
    elif events_path is None or costs_path is None:
        given, missing = (
            (EVENTS_OPTION, COSTS_OPTION) if costs_path is None else (COSTS_OPTION, EVENTS_OPTION)
        )
        raise InputError(
            f"omat syötteet annetaan yhdessä: {given} on annettu, anna myös {missing}; "
            "esimerkkiaineistoa ei yhdistetä omiin tiedostoihin"
        )
    rules = Rules(data_dir)
    stats = load_statistics(data_dir)
    events = read_events(events_path, rules, stats.municipalities)
    costs = read_costs(costs_path, rules)
    funding = read_funding(funding_path, rules) if funding_path else NO_FUNDING
    return Inputs(rules, stats, events, costs, funding)


def _file_status(is_example: bool) -> str:
    return EXAMPLE if is_example else ACTUAL


def inputs_notice(events: Events, costs: Costs, funding: Funding) -> str:
    """Which input files a result used, and the status of each: one sentence for every output."""
    parts = [
        f"palvelutapahtumat {display_path(events.path)} ({_file_status(events.is_example)})",
        f"kustannukset {display_path(costs.path)} ({_file_status(costs.is_example)})",
        (
            f"hankerahoitus {display_path(funding.path)} ({_file_status(funding.is_example)})"
            if funding.path is not None
            else "hankerahoitus: ei annettu (ei hankerahoitusta)"
        ),
    ]
    return "Syötteet: " + "; ".join(parts) + "."


def check_parameters(vuosi, kunta, data_dir: Path = DATA_DIR) -> tuple[int, str]:
    """Validate a report's parameters: the year as an int, the municipality as a code ('' = all).

    papermill turns ``-p kunta 091`` into the integer 91; a name is accepted too."""
    year = parse_year(vuosi, what="parametri vuosi")
    if kunta is None or str(kunta).strip() == "":
        return year, ""

    municipalities = load_municipalities(data_dir)
    text = str(kunta).strip()
    if text.isdigit():
        code = text.zfill(3)
        if code not in municipalities.experiment:
            raise InputError(f"tuntematon kokeilukunnan numero '{kunta}'")
        return year, code
    names = municipalities.table["kunta"]
    matches = [c for c in municipalities.experiment if names[c].lower() == text.lower()]
    if not matches:
        raise InputError(f"tuntematon kunta '{kunta}'{suggest(text, names)}")
    return year, matches[0]
