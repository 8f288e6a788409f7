"""International expertise services: reading the service events and the cost pool (CSV), and loading
everything one year needs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kustannukset.core.csvio import Row, Table, read_table
from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.international.rules import (
    ACTUAL,
    COST_COLUMNS,
    COSTS_FILE,
    EVENT_COLUMNS,
    EVENTS_FILE,
    EXAMPLE,
    KEY_YEAR_OVERRIDE,
    ROW_STATUSES,
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
                f"tuntematon kunta '{value}'{suggest(value, names)}",
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
            except InputError as exc:  # the event predates every rule: the row is the mistake
                raise InputError(
                    f"päivälle {date:%d.%m.%Y} ei ole sääntöä ({exc})",
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
                f"tuntematon kustannuslaji '{kind}'{suggest(kind, rules.cost_kinds)} "
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
