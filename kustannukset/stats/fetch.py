"""What ``kustannukset data paivita`` fetches: four StatFin tables and how each gives our measures.

| table | measures |
|---|---|
| 11re väestörakenne | vakiluku (Ikä SSS); tyoikaiset_15_64, _18_64, _20_64 (sums of ages) |
| 11rm väestö kielen mukaan | vieraskieliset (Kieli 02, VIERASKIELISET YHTEENSÄ) |
| 12r5 työnvälitystilasto | every month: tyottomat_tyonhakijat_kk (TYOTTOMATLOPUSSA); December: |
| | tyottomat_tyonhakijat (TYOTTOMATLOPUSSA), tyottomyysaste (TYOTOSUUS), tyovoima_jakaja |
| | (TYOVOIMATK); the year's 12 months: tyottomat_tyonhakijat_ka (their mean, ``johdettu``) |
| 115b työssäkäyntitilasto | tyovoima (11+12), tyolliset (11), tyottomat (12) |

An age band is the exact sum of the published one-year counts; if any of them is missing, so is the
sum. The mean of a year's jobseekers is computed only from twelve final months, to two decimals
(a twelfth never ends in a half cent, so the rounding is unambiguous). A figure is preliminary
(``ennakko``) when Statistics Finland marks its period with a star (``2024*``) or comments it as
*ennakkotieto*; otherwise final.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

from kustannukset.core.money import display
from kustannukset.stats.pxweb import Cell, Client, PxWebError, TableMetadata

FIRST_DEFAULT_YEAR = 2019  # the experiment's data begins here; older years only when asked
MAX_CELLS = 50_000  # per query; Statistics Finland allows 100 000
AGES = {
    "tyoikaiset_15_64": (15, 64),
    "tyoikaiset_18_64": (18, 64),
    "tyoikaiset_20_64": (20, 64),
}


@dataclass(frozen=True)
class Figure:
    measure: str
    code: str  # kuntanumero, three digits
    year: int
    value: str  # as the API wrote it (a mean: computed, two decimals)
    status: str  # lopullinen / ennakko / johdettu
    table: str  # table id, e.g. "11re"
    month: int = 0  # a monthly measure's month (1-12); 0 for a year's figure

    @property
    def period(self) -> str:
        return f"{self.year}M{self.month:02d}" if self.month else str(self.year)


Derive = Callable[[dict[str, dict[str, Cell]]], dict[str, str | None]]


@dataclass(frozen=True)
class TableSpec:
    id: str
    path: str
    name: str
    publisher: str
    time_variable: str
    fixed: dict[str, list[str]]  # selections besides area and time
    derive: Derive  # {variable-value-or-content: cell} of one area and year -> measure: value
    measures: tuple[str, ...]
    monthly: bool = False  # the time variable is a month; the year's figure is December's
    note: str = ""  # how the measures are read, for the source's description
    monthly_measures: tuple[str, ...] = ()  # read from every month, not only from December
    means: dict[str, str] = field(default_factory=dict)  # mean measure -> its monthly measure

    @property
    def cells_per_area_year(self) -> int:
        n = 1
        for values in self.fixed.values():
            n *= len(values)
        return n


def _sum(cells: Iterable[Cell | None]) -> str | None:
    total = Fraction(0)
    for cell in cells:
        if cell is None or cell.value is None:
            return None
        total += Fraction(cell.value)
    return str(total.numerator) if total.denominator == 1 else str(float(total))


def _value(cell: Cell | None) -> str | None:
    return None if cell is None else cell.value


def _age(n: int) -> str:
    return f"{n:03d}"


def _derive_11re(cells: dict[str, dict[str, Cell]]) -> dict[str, str | None]:
    ages = cells.get("Ikä", {})
    out = {"vakiluku": _value(ages.get("SSS"))}
    for measure, (low, high) in AGES.items():
        out[measure] = _sum(ages.get(_age(a)) for a in range(low, high + 1))
    return out


def _derive_11rm(cells: dict[str, dict[str, Cell]]) -> dict[str, str | None]:
    return {"vieraskieliset": _value(cells.get("Kieli", {}).get("02"))}


def _derive_12r5(cells: dict[str, dict[str, Cell]]) -> dict[str, str | None]:
    contents = cells.get("", {})
    return {
        "tyottomat_tyonhakijat_kk": _value(contents.get("TYOTTOMATLOPUSSA")),
        "tyottomat_tyonhakijat": _value(contents.get("TYOTTOMATLOPUSSA")),
        "tyottomyysaste": _value(contents.get("TYOTOSUUS")),
        "tyovoima_jakaja": _value(contents.get("TYOVOIMATK")),
    }


def _derive_115b(cells: dict[str, dict[str, Cell]]) -> dict[str, str | None]:
    activity = cells.get("Pääasiallinen toiminta", {})
    return {
        "tyovoima": _value(activity.get("11+12")),
        "tyolliset": _value(activity.get("11")),
        "tyottomat": _value(activity.get("12")),
    }


TABLES: dict[str, TableSpec] = {
    t.id: t
    for t in [
        TableSpec(
            "11re",
            "vaerak/statfin_vaerak_pxt_11re.px",
            "väestörakenne",
            "Tilastokeskus",
            "Vuosi",
            {
                "Ikä": ["SSS", *[_age(a) for a in range(15, 65)]],
                "Sukupuoli": ["SSS"],
                "Tiedot": ["vaesto"],
            },
            _derive_11re,
            ("vakiluku", *AGES),
            note="vakiluku = Ikä SSS; tyoikaiset_15_64, _18_64, _20_64 = yksivuotisikien summa",
        ),
        TableSpec(
            "11rm",
            "vaerak/statfin_vaerak_pxt_11rm.px",
            "väestö kielen mukaan",
            "Tilastokeskus",
            "Vuosi",
            {"Kieli": ["02"], "Sukupuoli": ["SSS"], "Tiedot": ["vaesto"]},
            _derive_11rm,
            ("vieraskieliset",),
        ),
        TableSpec(
            "12r5",
            "tyonv/statfin_tyonv_pxt_12r5.px",
            "työnvälitystilasto",
            "Työ- ja elinkeinoministeriö ja Tilastokeskus",
            "Kuukausi",
            {"Tiedot": ["TYOTTOMATLOPUSSA", "TYOTOSUUS", "TYOVOIMATK"]},
            _derive_12r5,
            (
                "tyottomat_tyonhakijat_kk",
                "tyottomat_tyonhakijat",
                "tyottomat_tyonhakijat_ka",
                "tyottomyysaste",
                "tyovoima_jakaja",
            ),
            monthly=True,
            note="tyottomat_tyonhakijat_kk = TYOTTOMATLOPUSSA rivin kuukaudelta; joulukuulta "
            "tyottomat_tyonhakijat = TYOTTOMATLOPUSSA, tyottomyysaste = TYOTOSUUS, "
            "tyovoima_jakaja = TYOVOIMATK; tyottomat_tyonhakijat_ka = vuoden 12 kuukauden "
            "TYOTTOMATLOPUSSA-lukujen keskiarvo kahdella desimaalilla (johdettu)",
            monthly_measures=("tyottomat_tyonhakijat_kk",),
            means={"tyottomat_tyonhakijat_ka": "tyottomat_tyonhakijat_kk"},
        ),
        TableSpec(
            "115b",
            "tyokay/statfin_tyokay_pxt_115b.px",
            "työssäkäyntitilasto",
            "Tilastokeskus",
            "Vuosi",
            {"Pääasiallinen toiminta": ["11+12", "11", "12"], "Sukupuoli": ["SSS"], "Ikä": ["SSS"]},
            _derive_115b,
            ("tyovoima", "tyolliset", "tyottomat"),
            note="tyovoima = 11+12, tyolliset = 11, tyottomat = 12",
        ),
    ]
}


@dataclass
class TableFetch:
    """What one table gave: its figures, the cells it left missing, and where and when."""

    spec: TableSpec
    url: str
    fetched_at: str
    updated: str = ""
    years: list[int] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # measure, code, period (a year, or '2024M03' for a monthly measure), missing-value marker
    missing: list[tuple[str, str, int | str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    spec: TableSpec
    codes: list[str]
    periods: list[str]


def _year_of(period: str) -> int:
    return int(period[:4])


def _periods(spec: TableSpec, meta: TableMetadata, years: list[int] | None) -> tuple[list, list]:
    """The time values to ask for, and notes about years the table does not have."""
    time = meta.variable(spec.time_variable)
    available: dict[int, list[str]] = defaultdict(list)
    for v in time.values:
        if spec.monthly_measures and re.fullmatch(r"\d{4}M(0[1-9]|1[0-2])", v):
            available[int(v[:4])].append(v)  # every month of the year
        elif (spec.monthly and re.fullmatch(r"\d{4}M12", v)) or (
            not spec.monthly and re.fullmatch(r"\d{4}", v)
        ):
            available[int(v[:4])].append(v)
    if not available:
        raise PxWebError(f"taulukossa {spec.id} ei ole vuosia muuttujassa {spec.time_variable}")
    latest = max(available)
    notes = []
    if years is None:
        chosen = [y for y in sorted(available) if y >= FIRST_DEFAULT_YEAR]
    else:
        chosen = [y for y in years if y in available]
        absent = [y for y in years if y not in available]
        if absent:
            what = "joulukuun " if spec.monthly and not spec.monthly_measures else ""
            notes.append(
                f"taulukossa {spec.id} ei ole {what}lukuja vuodelta "
                f"{', '.join(map(str, absent))} (uusin: {latest})"
            )
    for year in chosen:
        periods = sorted(available[year])
        if spec.monthly_measures and periods[-1] != f"{year}M12":
            notes.append(
                f"taulukossa {spec.id} on vuodelta {year} vain kuukaudet {periods[0]}–"
                f"{periods[-1]}: vuoden luvut (joulukuu, keskiarvo) puuttuvat vielä"
            )
    return [p for y in chosen for p in sorted(available[y])], notes


def plan(
    client: Client, codes: list[str], years: list[int] | None, tables: list[str]
) -> tuple[list[Request], dict[str, TableFetch], dict[str, TableMetadata]]:
    """Read each table's metadata and split the queries so that none asks too many cells."""
    requests, fetches, metas = [], {}, {}
    fetched_at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    for table_id in tables:
        spec = TABLES[table_id]
        meta = client.metadata(spec.path)
        metas[table_id] = meta
        fetch = TableFetch(spec, client.url(spec.path), fetched_at)
        fetches[table_id] = fetch
        for variable, values in spec.fixed.items():
            known = set(meta.variable(variable).values)
            unknown = [v for v in values if v not in known]
            if unknown:
                raise PxWebError(
                    f"taulukon {spec.id} muuttujassa {variable} ei ole arvoja "
                    f"{', '.join(unknown[:5])}; taulukon rakenne on muuttunut"
                )
        areas = set(meta.variable("Alue").values)
        present = [c for c in codes if f"KU{c}" in areas]
        if len(present) < len(codes):
            absent = [c for c in codes if f"KU{c}" not in areas]
            fetch.notes.append(f"taulukossa {spec.id} ei ole kuntia {', '.join(absent)}")
        periods, notes = _periods(spec, meta, years)
        fetch.notes.extend(notes)
        fetch.years = [_year_of(p) for p in periods]
        if not periods or not present:
            continue
        per_area = spec.cells_per_area_year * len(periods)
        step = max(1, MAX_CELLS // per_area)
        for i in range(0, len(present), step):
            requests.append(Request(spec, present[i : i + step], periods))
    return requests, fetches, metas


def run_request(client: Client, request: Request, meta: TableMetadata, fetch: TableFetch) -> None:
    """One query: its cells grouped by area and period, turned into figures."""
    spec = request.spec
    selections = {
        "Alue": [f"KU{c}" for c in request.codes],
        spec.time_variable: request.periods,
        **spec.fixed,
    }
    result = client.query(spec.path, selections)
    fetch.updated = fetch.updated or result.updated
    preliminary_comment = {
        c.get("value")
        for c in result.comments
        if c.get("variable") == spec.time_variable and "ennakko" in str(c.get("comment", ""))
    }
    time = meta.variable(spec.time_variable)
    grouped: dict[tuple[str, str], dict[str, dict[str, Cell]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    markers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for cell in result.cells:
        area, period = cell.key.get("Alue", ""), cell.key.get(spec.time_variable, "")
        if not area.startswith("KU") or period not in request.periods:
            continue
        group = grouped[(area[2:], period)]
        group[""][cell.content] = cell
        for variable, value in cell.key.items():
            if variable not in ("Alue", spec.time_variable):
                group[variable][value] = cell
        if cell.value is None:
            markers[(area[2:], period)].add(cell.marker or "tyhjä")
    for code in request.codes:
        months: dict[tuple[str, int], list[Figure]] = defaultdict(list)
        for period in request.periods:
            year = _year_of(period)
            month = int(period[5:]) if spec.monthly else 12
            status = (
                "ennakko"
                if time.preliminary(period) or period in preliminary_comment
                else "lopullinen"
            )
            values = spec.derive(grouped.get((code, period), {}))
            for measure, value in values.items():
                each_month = measure in spec.monthly_measures
                if not each_month and month != 12:
                    continue  # a year's figure is December's
                if value is None:
                    marker = ", ".join(sorted(markers.get((code, period), set()))) or "ei riviä"
                    fetch.missing.append((measure, code, period if each_month else year, marker))
                    continue
                figure = Figure(
                    measure, code, year, value, status, spec.id, month if each_month else 0
                )
                fetch.figures.append(figure)
                if each_month:
                    months[(measure, year)].append(figure)
        for mean_measure, monthly in spec.means.items():
            for (measure, _year), figures in months.items():
                if measure == monthly:
                    mean = annual_mean(mean_measure, figures)
                    if mean is not None:
                        fetch.figures.append(mean)


def annual_mean(measure: str, months: list[Figure]) -> Figure | None:
    """The mean of a year's twelve final monthly figures, to two decimals (status ``johdettu``);
    None when a month is missing or preliminary."""
    if len({f.month for f in months}) != 12 or any(f.status != "lopullinen" for f in months):
        return None
    total = sum(Fraction(f.value) for f in months)
    # A mean of twelve whole counts is a multiple of 1/4 or has no end, so it never lies exactly
    # half-way between two cents: any half rule gives the same cents, here core.money's display.
    cents = int(display(total / 12, 2) * 100)
    first = months[0]
    text = f"{cents // 100}.{cents % 100:02d}"
    return Figure(measure, first.code, first.year, text, "johdettu", first.table)
