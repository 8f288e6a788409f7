"""Kansainvälisen osaamisen keskitetyt palvelut (international expertise services): unit-price
billing of service events, the cost pool split by foreign-language speakers, the August estimate
and the February equalisation.

The rules and prices are dated parameters in ``data/parametrit/kansainvaliset_palvelut.yaml``; the
service events and the cost pool are CSV files (by default the example data set in
``data/esimerkki/``). Everything is exact (``Fraction``); money is rounded once, to the cent, and
every column of invoices adds up exactly to the amount it divides (largest remainder, ties to the
smaller municipality code; :mod:`kustannukset.rounding`).

The formulas, for year V and municipality i:

1. *Suoritelaskutus*: each event costs ``unit price in force on its date × quantity``; OMA-valmennus
   is priced by integration year (1.–5.; a 6th year is an error). Per diems and kilometres of
   on-site service are passed through to the ordering municipality. Interpreting is not included.
2. *Kustannuspotti*: the cost kinds split by key (staff costs and Mainio) are divided in proportion
   to foreign-language speakers on 31.12. of V - viive, where viive is 2 for the budget (set in
   V-1, using the last day of the year before) and 1 for invoicing.
3. *Arvio* (August of V-1, for year V): the client counts of V-2 priced with the prices in force on
   1.1.V, plus the actual pool of V-2 split by the budget key (31.12.(V-2)).
4. *Tasaus* (February of V+1, for year V): change = (actual - budget) / budget over all cost
   kinds. The final prices are set by the actual costs: unit prices are scaled by
   k = actual unit-priced costs / billed at the prices used, and the pool is split with its actual
   amount. Each municipality's equalisation = (final pool share - invoiced pool share)
   + (final billing - billed). When |change| >= 10 %, prices are updated and the equalisation is a
   separate equalising invoice (tasauslasku); below the threshold the same difference is carried
   into the first invoice of V+1.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kustannukset.csvio import Row, Table, read_table
from kustannukset.division import split_by_key
from kustannukset.errors import InputError
from kustannukset.params import ParameterFile
from kustannukset.paths import DATA_DIR
from kustannukset.rounding import CENT, largest_remainder, round_half_up
from kustannukset.stats import MEASURES, Municipalities, Statistics, load_statistics

PARAMETER_FILE = Path("parametrit") / "kansainvaliset_palvelut.yaml"
EVENTS_FILE = Path("esimerkki") / "kv_palvelutapahtumat_esimerkki.csv"
COSTS_FILE = Path("esimerkki") / "kv_kustannukset_esimerkki.csv"

EXAMPLE = "esimerkki"
ACTUAL = "toteuma"
ROW_STATUSES = (ACTUAL, EXAMPLE)
EXAMPLE_NOTICE = "ESIMERKKI – ei todellisia lukuja"
INTERPRETING_NOTICE = (
    "Hinnat eivät sisällä tulkkauskustannuksia; tulkkausta ei laskuteta näillä laskuilla."
)

BUDGET = "talousarvio"
INVOICING = "laskutus"
PURPOSES = (BUDGET, INVOICING)
SPLIT_BY_KEY = "vieraskieliset"
SPLIT_BY_EVENTS = "suoritteet"

EVENT_COLUMNS = ["kunta", "pvm", "palvelu", "maara"]
OPTIONAL_EVENT_COLUMNS = [
    "kotoutumisvuosi",
    "paikan_paalla",
    "paivarahat",
    "kilometrikulut",
    "tila",
]
COST_COLUMNS = ["vuosi", "kustannuslaji", "talousarvio", "toteuma", "tila", "lahde"]
KEY_YEAR_OVERRIDE = "vieraskieliset_vuosi"

_YES = {"kyllä": True, "kylla": True, "k": True, "ei": False, "e": False, "": False}


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


def _fraction(value, *, what: str, file: Path, line: int | None) -> Fraction:
    try:
        if isinstance(value, bool):
            raise ValueError
        return Fraction(str(value))
    except (TypeError, ValueError):
        raise InputError(
            f"{what}: '{value}' ei ole luku", file=file, row=line, column="arvo"
        ) from None


def _jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


# --- rules


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    unit: str  # Finnish: asiakasvuosi, ryhmä, tunti ...
    integer: bool  # the quantity is a count
    by_integration_year: bool  # priced by integration year (OMA-valmennus)


@dataclass(frozen=True)
class CostKind:
    code: str
    name: str
    split: str  # SPLIT_BY_KEY or SPLIT_BY_EVENTS


class Rules:
    """The prices and rules of the parameter file, asked by date."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.params = ParameterFile(Path(data_dir) / PARAMETER_FILE)
        self.services: dict[str, ServiceType] = {}
        for code, node in self.params.node("palvelut").items():
            self.services[str(code)] = ServiceType(
                code=str(code),
                name=str(node.get("nimi", code)),
                unit=str(node.get("yksikko", "")),
                integer=bool(node.get("kokonaisluku", False)),
                by_integration_year=bool(node.get("kotoutumisvuosittain", False)),
            )
        self.cost_kinds: dict[str, CostKind] = {}
        for code, node in self.params.node("kustannuslajit").items():
            split = str(node.get("jako", ""))
            if split not in (SPLIT_BY_KEY, SPLIT_BY_EVENTS):
                raise InputError(
                    f"kustannuslajin '{code}' jako pitää olla '{SPLIT_BY_KEY}' tai "
                    f"'{SPLIT_BY_EVENTS}', ei '{split}'",
                    file=self.params.path,
                    row=node.line,
                    column="jako",
                )
            self.cost_kinds[str(code)] = CostKind(str(code), str(node.get("nimi", code)), split)

    def service_by_name(self, text: str) -> ServiceType | None:
        wanted = text.strip().lower()
        for service in self.services.values():
            if wanted in (service.code, service.name.lower()):
                return service
        return None

    def price_value(self, service: str, when: dt.date):
        return self.params[f"palvelut.{service}.hinta"].at(when)

    def unit_price(
        self, service: str, when: dt.date, integration_year: int | None = None
    ) -> Fraction:
        """The unit price in force on ``when`` (by integration year for OMA-valmennus)."""
        entry = self.price_value(service, when)
        name = f"palvelut.{service}.hinta"
        if self.services[service].by_integration_year:
            if not isinstance(entry.value, dict):
                raise InputError(
                    f"{name}: hinnat pitää antaa kotoutumisvuosittain {{1: ..., 2: ...}}",
                    file=self.params.path,
                    row=entry.line,
                    column="arvo",
                )
            if integration_year not in entry.value:
                raise InputError(
                    f"{name}: hintaa ei ole {integration_year}. kotoutumisvuodelle",
                    file=self.params.path,
                    row=entry.line,
                    column="arvo",
                )
            return _fraction(
                entry.value[integration_year], what=name, file=self.params.path, line=entry.line
            )
        return _fraction(entry.value, what=name, file=self.params.path, line=entry.line)

    def _int(self, name: str, when: dt.date) -> int:
        entry = self.params[name].at(when)
        value = _fraction(entry.value, what=name, file=self.params.path, line=entry.line)
        if value.denominator != 1:
            raise InputError(
                f"{name}: pitää olla kokonaisluku",
                file=self.params.path,
                row=entry.line,
                column="arvo",
            )
        return int(value)

    def max_integration_year(self, when: dt.date) -> int:
        return self._int("kotoutumisaika.enintaan", when)

    def normal_integration_years(self, when: dt.date) -> int:
        return self._int("kotoutumisaika.tavallisesti_enintaan", when)

    def threshold(self, year: int) -> Fraction:
        """The equalisation threshold as a fraction (10 % -> 1/10)."""
        entry = self.params["tasausraja_pct"].at(_jan1(year))
        return (
            _fraction(entry.value, what="tasausraja_pct", file=self.params.path, line=entry.line)
            / 100
        )

    def key_measure(self, year: int) -> str:
        entry = self.params["jakoperuste"].at(_jan1(year))
        if entry.value not in MEASURES:
            raise InputError(
                f"tuntematon jakoperuste '{entry.value}'",
                file=self.params.path,
                row=entry.line,
                column="arvo",
            )
        return str(entry.value)

    def key_year(self, year: int, purpose: str) -> int:
        """The statistical year (31.12.) of the key for ``year`` and ``purpose``: V-2 for the
        budget, V-1 for invoicing."""
        if purpose not in PURPOSES:
            raise ValueError(f"tuntematon tarkoitus '{purpose}'")
        return year - self._int(f"jakoperusteen_viive_vuotta.{purpose}", _jan1(year))

    def month(self, name: str, year: int) -> int:
        return self._int(name, _jan1(year))


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
        names = municipalities.table["kunta"]
        matches = municipalities.table.index[names.str.lower() == value.lower()]
        if len(matches) == 0:
            raise InputError(
                f"tuntematon kunta '{value}'{_suggest(value, names)}",
                file=table.path,
                row=row.line,
                column="kunta",
            )
        code = str(matches[0])
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
                    f"tuntematon palvelu '{text}'{_suggest(text.lower(), rules.services)} "
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
            limit = rules.max_integration_year(date)
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
        if flag not in _YES:
            raise InputError(
                f"paikan_paalla pitää olla 'kyllä' tai 'ei', ei '{row['paikan_paalla']}'",
                file=table.path,
                row=row.line,
                column="paikan_paalla",
            )
        on_site = _YES[flag]
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
        status = row["tila"].strip().lower() or ACTUAL
        if status not in ROW_STATUSES:
            raise InputError(
                f"tuntematon tila '{row['tila']}' (sallitut: {', '.join(ROW_STATUSES)})",
                file=table.path,
                row=row.line,
                column="tila",
            )
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
    actual: Fraction
    status: str
    source: str
    key_year_override: int | None


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
        return sum(
            (
                getattr(c, which)
                for c in self.of_year(year)
                if split is None or rules.cost_kinds[c.kind].split == split
            ),
            Fraction(0),
        )

    def key_year_override(self, year: int) -> int | None:
        values = {c.key_year_override for c in self.of_year(year)}
        return values.pop() if len(values) == 1 else None


def _year(text: str, *, file: Path, row: int, column: str) -> int:
    if not (len(text) == 4 and text.isdigit()):
        raise InputError(
            f"vuoden pitää olla nelinumeroinen, ei '{text}'", file=file, row=row, column=column
        )
    return int(text)


def read_costs(path: Path, rules: Rules) -> Costs:
    """Read and validate the cost pool: one row per year and cost kind, budget and actual."""
    table = read_table(Path(path), COST_COLUMNS)
    lines: list[CostLine] = []
    seen: dict[tuple[int, str], int] = {}
    overrides: dict[int, tuple[int | None, int]] = {}
    for row in table.rows:
        year = _year(row["vuosi"], file=table.path, row=row.line, column="vuosi")
        kind = row["kustannuslaji"].strip()
        if kind not in rules.cost_kinds:
            raise InputError(
                f"tuntematon kustannuslaji '{kind}'{_suggest(kind, rules.cost_kinds)} "
                f"(lajit: {', '.join(rules.cost_kinds)})",
                file=table.path,
                row=row.line,
                column="kustannuslaji",
            )
        if (year, kind) in seen:
            raise InputError(
                f"kustannuslaji {kind} vuodelta {year} on kahdesti "
                f"(myös rivillä {seen[year, kind]})",
                file=table.path,
                row=row.line,
                column="kustannuslaji",
            )
        seen[year, kind] = row.line
        budget = _amount(table, row, "talousarvio", what="talousarvio")
        actual = _amount(table, row, "toteuma", what="toteuma")
        status = row["tila"].strip().lower()
        if status not in ROW_STATUSES:
            raise InputError(
                f"tuntematon tila '{row['tila']}' (sallitut: {', '.join(ROW_STATUSES)})",
                file=table.path,
                row=row.line,
                column="tila",
            )
        if not row["lahde"]:
            raise InputError("lähde puuttuu", file=table.path, row=row.line, column="lahde")
        override = None
        if row[KEY_YEAR_OVERRIDE]:
            override = _year(
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
        lines.append(CostLine(row.line, year, kind, budget, actual, status, row["lahde"], override))
    return Costs(path=table.path, lines=tuple(lines))


# --- key


@dataclass(frozen=True)
class Key:
    """Foreign-language speakers as the key of ``year`` for ``purpose``."""

    year: int
    purpose: str
    measure: str
    rule_year: int  # the statistical year the rule asks for
    stat_year: int  # the year actually used (differs only by an example assumption)
    values: dict[str, Fraction]
    assumption: str | None = None

    @property
    def label(self) -> str:
        return f"{MEASURES[self.measure].name}{self.stat_year}"

    def share(self, code: str) -> Fraction:
        return self.values[code] / sum(self.values.values())


def key_for(
    year: int,
    purpose: str,
    stats: Statistics,
    rules: Rules,
    *,
    example_year: int | None = None,
) -> Key:
    """The key the rule picks from ``year`` and ``purpose``; a missing count is an error naming
    the municipality and the date. ``example_year`` replaces the statistical year (example data
    only)."""
    measure = rules.key_measure(year)
    rule_year = rules.key_year(year, purpose)
    stat_year = example_year or rule_year
    what = "talousarviossa" if purpose == BUDGET else "laskutuksessa"
    codes = stats.municipalities.experiment
    values = stats.values(
        measure, stat_year, codes, purpose=f"vuoden {year} {purpose} (tilanne 31.12.{stat_year})"
    )
    assumption = None
    if stat_year != rule_year:
        assumption = (
            f"ESIMERKKIOLETUS: sääntö käyttää vuoden {year} {what} vieraskielisiä "
            f"31.12.{rule_year}, "
            f"mutta niitä ei ole kaikilta kunnilta; esimerkissä käytetään lukuja 31.12.{stat_year}."
        )
    return Key(year, purpose, measure, rule_year, stat_year, values, assumption)


def split_cents(total: Fraction, key: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """``total`` (a whole number of cents) split by ``key`` into cents that add up to it exactly."""
    if (total / CENT).denominator != 1:
        raise ValueError(f"{total} ei ole sentin monikerta")
    if not total:
        return dict.fromkeys(key, Fraction(0))
    return largest_remainder(split_by_key(total, key), total, CENT)


# --- billing


def event_amount(event: Event, rules: Rules, price_date: dt.date | None = None) -> Fraction:
    """Unit price (in force on the event's date, or on ``price_date``) × quantity; no travel."""
    when = price_date or event.date
    return rules.unit_price(event.service, when, event.integration_year) * event.quantity


@dataclass(frozen=True)
class Billing:
    """Unit-price billing of one year's events, exact; per municipality and service."""

    year: int
    codes: tuple[str, ...]
    by_service: dict[str, dict[str, Fraction]]  # kuntanumero -> service -> amount
    quantities: dict[str, dict[str, Fraction]]  # kuntanumero -> service -> quantity
    per_diems: dict[str, Fraction]
    kilometres: dict[str, Fraction]

    def services_total(self, code: str) -> Fraction:
        return sum(self.by_service[code].values(), Fraction(0))

    def travel(self, code: str) -> Fraction:
        return self.per_diems[code] + self.kilometres[code]

    def total(self, code: str) -> Fraction:
        return self.services_total(code) + self.travel(code)

    @property
    def grand_services_total(self) -> Fraction:
        return sum((self.services_total(c) for c in self.codes), Fraction(0))


def bill(
    events: Events,
    rules: Rules,
    year: int,
    codes: Iterable[str],
    *,
    price_date: dt.date | None = None,
) -> Billing:
    """Price the events of ``year`` (by each event's date, or all at ``price_date``); an event
    without a price in force is an error naming its row."""
    codes = tuple(codes)
    by_service = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    quantities = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    per_diems = dict.fromkeys(codes, Fraction(0))
    kilometres = dict.fromkeys(codes, Fraction(0))
    for event in events.of_year(year):
        try:
            amount = event_amount(event, rules, price_date)
        except InputError as exc:
            when = price_date or event.date
            raise InputError(
                f"{rules.services[event.service].name}: hintaa ei ole päivälle {when:%d.%m.%Y} "
                f"({exc.message})",
                file=events.path,
                row=event.line,
                column="pvm",
            ) from None
        by_service[event.code][event.service] += amount
        quantities[event.code][event.service] += event.quantity
        per_diems[event.code] += event.per_diems
        kilometres[event.code] += event.kilometres
    return Billing(year, codes, by_service, quantities, per_diems, kilometres)


def client_counts(events: Iterable[Event], year: int, rules: Rules) -> pd.DataFrame:
    """Quantities by municipality, service and integration year (one row each), for reports."""
    totals: dict[tuple[str, str, str], Fraction] = {}
    for e in events:
        if e.date.year != year:
            continue
        iy = str(e.integration_year) if e.integration_year else "–"
        totals[e.code, e.service, iy] = (
            totals.get((e.code, e.service, iy), Fraction(0)) + e.quantity
        )
    order = list(rules.services)
    rows = [
        {
            "kuntanumero": code,
            "palvelu": rules.services[service].name,
            "kotoutumisvuosi": iy,
            "maara": float(q),
            "yksikko": rules.services[service].unit,
        }
        for (code, service, iy), q in sorted(
            totals.items(), key=lambda item: (item[0][0], order.index(item[0][1]), item[0][2])
        )
    ]
    return pd.DataFrame(
        rows, columns=["kuntanumero", "palvelu", "kotoutumisvuosi", "maara", "yksikko"]
    )


# --- the yearly cycle


@dataclass(frozen=True)
class Estimate:
    """The August estimate for ``year`` (made in year - 1, from the actuals of ``base_year``)."""

    year: int
    base_year: int
    price_date: dt.date
    key: Key
    names: dict[str, str]
    billing: Billing  # base year's events at the prices of ``price_date``
    pool_total: Fraction
    pool: dict[str, Fraction]  # cents, adding up to pool_total
    notices: tuple[str, ...]

    def total(self, code: str) -> Fraction:
        return self.services(code) + self.pool[code]

    def services(self, code: str) -> Fraction:
        return round_half_up(self.billing.services_total(code), CENT)


def estimate(year: int, events: Events, costs: Costs, stats: Statistics, rules: Rules) -> Estimate:
    """Next year's cost estimate per municipality, as sent in August of ``year - 1``."""
    base_year = year - 2
    price_date = _jan1(year)
    key = key_for(year, BUDGET, stats, rules, example_year=costs.key_year_override(base_year))
    codes = stats.municipalities.experiment
    if not events.of_year(base_year):
        raise InputError(f"palvelutapahtumia vuodelta {base_year} ei ole", file=events.path)
    pool_total = costs.total(base_year, "actual", SPLIT_BY_KEY, rules)
    billing = bill(events, rules, base_year, codes, price_date=price_date)
    return Estimate(
        year=year,
        base_year=base_year,
        price_date=price_date,
        key=key,
        names={c: stats.municipalities.name(c) for c in codes},
        billing=billing,
        pool_total=pool_total,
        pool=split_cents(pool_total, key.values),
        notices=_notices(events, costs, key),
    )


def _notices(events: Events, costs: Costs, key: Key) -> tuple[str, ...]:
    notices = []
    if events.is_example or costs.is_example:
        notices.append(EXAMPLE_NOTICE)
    if key.assumption:
        notices.append(key.assumption)
    notices.append(INTERPRETING_NOTICE)
    return tuple(notices)


def exceeds_threshold(budget: Fraction, actual: Fraction, threshold: Fraction) -> bool:
    """|actual - budget| / budget >= threshold (either way; the threshold itself included)."""
    if budget <= 0:
        raise ValueError("talousarvion pitää olla positiivinen")
    return abs(actual - budget) / budget >= threshold


def final_billing(billed: Mapping[str, Fraction], actual: Fraction) -> dict[str, Fraction]:
    """Billing at the final prices, in cents adding up to ``actual``: every unit price is scaled by
    k = actual / billed total, so each municipality's share is billed_i × k."""
    total = sum(billed.values(), Fraction(0))
    if total <= 0:
        raise ValueError("laskutettuja suoritteita ei ole")
    return largest_remainder({c: b * actual / total for c, b in billed.items()}, actual, CENT)


@dataclass(frozen=True)
class Equalisation:
    """The February equalisation of ``year`` (made in February of year + 1)."""

    year: int
    key: Key
    names: dict[str, str]
    threshold: Fraction
    budget_total: Fraction
    actual_total: Fraction
    pool_budget: Fraction
    pool_actual: Fraction
    pool_invoiced: dict[str, Fraction]  # cents: the budget pool split by the invoicing key
    pool_final: dict[str, Fraction]  # cents: the actual pool split by the same key
    billing: Billing
    billed: dict[str, Fraction]  # cents: unit-price billing during the year (without travel)
    services_actual: Fraction
    services_final: dict[str, Fraction]  # cents at the final prices, adding up to services_actual
    notices: tuple[str, ...] = field(default=())

    @property
    def change(self) -> Fraction:
        return (self.actual_total - self.budget_total) / self.budget_total

    @property
    def exceeds(self) -> bool:
        return exceeds_threshold(self.budget_total, self.actual_total, self.threshold)

    @property
    def price_factor(self) -> Fraction:
        return self.services_actual / sum(self.billed.values(), Fraction(0))

    def pool_difference(self, code: str) -> Fraction:
        return self.pool_final[code] - self.pool_invoiced[code]

    def services_difference(self, code: str) -> Fraction:
        return self.services_final[code] - self.billed[code]

    def invoice(self, code: str) -> Fraction:
        """The equalisation of a municipality: positive = it pays, negative = it is credited."""
        return self.pool_difference(code) + self.services_difference(code)

    @property
    def difference(self) -> Fraction:
        """What the equalisation settles: actual costs minus what was invoiced for them."""
        return (
            self.pool_actual
            + self.services_actual
            - self.pool_budget
            - sum(self.billed.values(), Fraction(0))
        )

    def final_prices(self, rules: Rules) -> pd.DataFrame:
        """The confirmed unit prices: the prices in force scaled by the price factor."""
        when = _jan1(self.year)
        rows = []
        for service in rules.services.values():
            years = [1, 2, 3, 4, 5] if service.by_integration_year else [None]
            for iy in years:
                try:
                    price = rules.unit_price(service.code, when, iy)
                except InputError:
                    continue
                rows.append(
                    {
                        "palvelu": service.name + (f", {iy}. kotoutumisvuosi" if iy else ""),
                        "yksikko": service.unit,
                        "hinta": float(price),
                        "vahvistettu_hinta": float(round_half_up(price * self.price_factor, CENT)),
                    }
                )
        return pd.DataFrame(rows)


def equalise(
    year: int, events: Events, costs: Costs, stats: Statistics, rules: Rules
) -> Equalisation:
    """Compare year's actual costs with the budget and settle the difference per municipality."""
    codes = stats.municipalities.experiment
    lines = costs.of_year(year)
    budget_total = sum((c.budget for c in lines), Fraction(0))
    if budget_total <= 0:
        raise InputError(
            f"vuoden {year} talousarvio on yhteensä nolla: muutosta ei voi laskea",
            file=costs.path,
            row=lines[0].line,
            column="talousarvio",
        )
    actual_total = sum((c.actual for c in lines), Fraction(0))
    key = key_for(year, INVOICING, stats, rules, example_year=costs.key_year_override(year))
    pool_budget = costs.total(year, "budget", SPLIT_BY_KEY, rules)
    pool_actual = costs.total(year, "actual", SPLIT_BY_KEY, rules)
    billing = bill(events, rules, year, codes)
    billed = {c: round_half_up(billing.services_total(c), CENT) for c in codes}
    services_actual = costs.total(year, "actual", SPLIT_BY_EVENTS, rules)
    if sum(billed.values()) <= 0:
        if services_actual:
            raise InputError(
                f"suoritteita ei ole laskutettu vuodelta {year}, mutta suoritteiden toteutuneet "
                f"kustannukset ovat {float(services_actual):.2f} €: hintoja ei voi vahvistaa",
                file=events.path,
            )
        services_final = dict.fromkeys(codes, Fraction(0))
    else:
        services_final = final_billing(billed, services_actual)
    return Equalisation(
        year=year,
        key=key,
        names={c: stats.municipalities.name(c) for c in codes},
        threshold=rules.threshold(year),
        budget_total=budget_total,
        actual_total=actual_total,
        pool_budget=pool_budget,
        pool_actual=pool_actual,
        pool_invoiced=split_cents(pool_budget, key.values),
        pool_final=split_cents(pool_actual, key.values),
        billing=billing,
        billed=billed,
        services_actual=services_actual,
        services_final=services_final,
        notices=_notices(events, costs, key),
    )


# --- tables


def _cents(value: Fraction) -> float:
    return float(round_half_up(value, CENT))


def estimate_table(est: Estimate) -> pd.DataFrame:
    """One row per municipality: key, unit-priced services, pool share, total (euros and cents)."""
    rows = []
    for code, name in est.names.items():
        rows.append(
            {
                "kuntanumero": code,
                "kunta": name,
                "vieraskieliset": int(est.key.values[code]),
                "osuus_pct": float(round_half_up(est.key.share(code) * 100, Fraction(1, 1000))),
                "suoritteet": _cents(est.services(code)),
                "kustannuspotti": _cents(est.pool[code]),
                "arvio_yhteensa": _cents(est.total(code)),
            }
        )
    return pd.DataFrame(rows)


def equalisation_table(eq: Equalisation) -> pd.DataFrame:
    """One row per municipality: invoiced and final pool share and billing, and the equalisation."""
    rows = []
    for code, name in eq.names.items():
        rows.append(
            {
                "kuntanumero": code,
                "kunta": name,
                "vieraskieliset": int(eq.key.values[code]),
                "osuus_pct": float(round_half_up(eq.key.share(code) * 100, Fraction(1, 1000))),
                "potti_laskutettu": _cents(eq.pool_invoiced[code]),
                "potti_toteutunut": _cents(eq.pool_final[code]),
                "suoritteet_laskutettu": _cents(eq.billed[code]),
                "suoritteet_vahvistettu": _cents(eq.services_final[code]),
                "matkakulut": _cents(eq.billing.travel(code)),
                "tasaus": _cents(eq.invoice(code)),
            }
        )
    return pd.DataFrame(rows)


def with_total_row(frame: pd.DataFrame, label_column: str = "kunta") -> pd.DataFrame:
    """The table with a 'Summa' row: every numeric column summed exactly in cents."""
    total: dict[str, object] = {c: "" for c in frame.columns}
    total[label_column] = "Summa"
    for column in frame.columns:
        if column == "osuus_pct":
            total[column] = float("nan")
        elif pd.api.types.is_numeric_dtype(frame[column]):
            cents = sum(round(Fraction(v) * 100) for v in frame[column])
            total[column] = cents / 100 if frame[column].dtype.kind == "f" else cents // 100
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def euros_cents(value: float) -> str:
    """'1 234,50' for tables."""
    from kustannukset.formatting import euros

    return euros(value, 2)


def text_table(frame: pd.DataFrame) -> str:
    """A plain-text table: amounts with cents, the share with three decimals, in Finnish format."""
    from kustannukset.formatting import euros

    formatters = {}
    for column in frame.columns:
        if column == "osuus_pct":
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.3f}".replace(".", ",") + " %"
        elif column in ("vieraskieliset",):
            formatters[column] = lambda v: euros(v, 0)
        elif pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = euros_cents
    return frame.to_string(index=False, formatters=formatters, na_rep="")


def summary_text(eq: Equalisation) -> str:
    """The equalisation in words: budget, actual, change, the threshold and what follows."""
    from kustannukset.formatting import percent

    change = eq.change
    decision = (
        f"Muutos on vähintään {percent(eq.threshold, 0)}: hinnat päivitetään ja tehdään "
        f"tasauslaskut helmikuussa {eq.year + 1}."
        if eq.exceeds
        else f"Muutos on alle {percent(eq.threshold, 0)}: erillisiä tasauslaskuja ei tehdä; "
        f"erotus tasataan vuoden {eq.year + 1} ensimmäisessä laskussa."
    )
    factor = (
        float(round_half_up(eq.price_factor, Fraction(1, 10000))) if sum(eq.billed.values()) else 1
    )
    return "\n".join(
        [
            f"Talousarvio {euros_cents(float(eq.budget_total))} €, toteuma "
            f"{euros_cents(float(eq.actual_total))} €, muutos {percent(change, 2)} "
            f"(|toteuma - talousarvio| / talousarvio).",
            decision,
            f"Kustannuspotti (henkilöstö ja Mainio) jaetaan: {eq.key.label}; "
            f"laskutettu {euros_cents(float(eq.pool_budget))} €, toteutunut "
            f"{euros_cents(float(eq.pool_actual))} €.",
            f"Suoritteet: laskutettu {euros_cents(float(sum(eq.billed.values())))} €, toteutuneet "
            f"kustannukset {euros_cents(float(eq.services_actual))} €; vahvistetut hinnat = "
            f"hinnat × {str(factor).replace('.', ',')}.",
            f"Tasattava erotus {euros_cents(float(eq.difference))} € (positiivinen = kunnat "
            "maksavat lisää, negatiivinen = hyvitys). Matkakulut laskutetaan sellaisinaan, "
            "ne eivät kuulu tasaukseen.",
        ]
    )


# --- loading


@dataclass(frozen=True)
class Inputs:
    rules: Rules
    stats: Statistics
    events: Events
    costs: Costs


def load_inputs(
    data_dir: Path = DATA_DIR, events_path: Path | None = None, costs_path: Path | None = None
) -> Inputs:
    """Everything the cycle needs; defaults to the example data set of ``data_dir``."""
    data_dir = Path(data_dir)
    rules = Rules(data_dir)
    stats = load_statistics(data_dir)
    events = read_events(events_path or data_dir / EVENTS_FILE, rules, stats.municipalities)
    costs = read_costs(costs_path or data_dir / COSTS_FILE, rules)
    return Inputs(rules, stats, events, costs)


def check_parameters(vuosi, kunta, data_dir: Path = DATA_DIR) -> tuple[int, str]:
    """Validate a report's parameters: the year as an int, the municipality as a code ('' = all).

    papermill turns ``-p kunta 091`` into the integer 91; a name is accepted too."""
    try:
        year = int(vuosi)
    except (TypeError, ValueError):
        raise InputError(f"vuosi '{vuosi}' ei ole vuosiluku") from None
    if not 1000 <= year <= 9999:
        raise InputError(f"vuosi '{vuosi}' ei ole vuosiluku")
    if kunta is None or str(kunta).strip() == "":
        return year, ""
    from kustannukset.stats import load_municipalities

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
        raise InputError(f"tuntematon kunta '{kunta}'{_suggest(text, names)}")
    return year, matches[0]
