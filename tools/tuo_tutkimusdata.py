"""Import the public figures gathered in ``../shared/data-research/`` into ``data/``.

Run from the project root: ``python tools/tuo_tutkimusdata.py [TUTKIMUSKANSIO] [DATAKANSIO]``.

It writes the municipality register ``kunnat.csv`` (every municipality of Finland in the 2023
division, with its region and its municipality of the 2025 division), the sources
``tilastolahteet.csv`` and one tidy file per measure in ``tilastot/``. Nothing is estimated here:
each figure is copied from its input row or cell, and the figures derived here (sums of published
counts, a year's mean of its months, a count from a share) say so in their source.

- The research CSVs keep their provenance: each row's source text becomes a source whose description
  has the row's municipality code and year replaced by ``<kuntanumero>`` and ``<vuosi>``; the import
  checks that the description gives back the row's exact text.
- ``kuntien-avainluvut-2015-2019.xlsx`` gives seven measures for every municipality in 2015 and
  2019 (1.1.2020 division). Honkajoki joined Kankaanpää on 1.1.2021, so Kankaanpää's counts are
  the sum of the two rows, as Statistics Finland itself combines merged municipalities; the
  20–64-year-olds are the sum of the sixteen five-year columns from 20–24 to 60–64.
- ``turn2/`` gives the unemployed jobseekers (TEM, StatFin 12r5) of every municipality for each month
  2019M01–2023M10, December 2019–2022 and the mean of each year's 12 months (derived there, status
  ``johdettu``), the labour force that 12r5 divides by (TYOVOIMATK, 2019–2023) and, derived there
  from it, the employment-statistics labour force (StatFin 115b) of 2017–2021 (status ``arvio``).
  Every row's source text is checked to be the expected one, and the figures against each other:
  December = the month 12, the mean = the 12 months' mean to two decimals (a year with a month
  missing gets no mean), the derived labour force = TYOVOIMATK two years later = the real 115b
  figure where there is one (then the real one is kept), and in 2019 at least the employed plus the
  unemployed aged 18–64 of the key-figures workbook and at most :data:`OTHER_AGES_MAX` more. A
  suppressed (empty) Åland month is missing, never zero. The research list is of the 2025 division:
  Pertunmaa (588), merged into Mäntyharju on 1.1.2025, is absent, while Mäntyharju's figures are
  its own (the 2019 check above would fail otherwise).
- ``turn3/stats/`` gives every municipality's figures of 2020-2025, each source on its own
  municipal division (:data:`T3`): population 2020-2025 (the final 2024 replaces the preliminary
  figures), working-age 2022/2024/2025, the foreign-language share 2020-2025 and the count derived
  from it (share x population, status ``johdettu``; a real count is kept and the derived one
  checked to be within the share's rounding of it), Pertunmaa's jobseekers and 12r5 denominator
  of 2020-2023 from the same cache as turn2 (and their December, mean and derived labour force),
  June 2026's jobseekers and denominator (and the labour force of 2024), and the December rate of
  every municipality. A figure of a year before 2025 that a source gives on the 2025 division is
  written with ``kuntajako`` 2025 for Mäntyharju, whose figure is then the merged area's. The
  register gets each municipality's 2025 one (``kunta_2025``), checked against the 2025 lists.
- A figure given by two sources with the same value keeps both (a source that is the same cached
  file as one the figure was read from only confirms it); two sources that disagree stop the
  import. A final figure replaces a preliminary one; the replacements, and the derived counts that
  met a real one, are printed.

The raw files stay where they are: the package reads only the small tidy files written here. Files
of ``tilastot/`` that this import does not write (figures fetched with ``kustannukset data
paivita``) are kept, and their sources too.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

from kustannukset.cli.common import Parser, translate_argparse
from kustannukset.stats.loader import (
    FILE_COLUMNS,
    MEASURES,
    MONTHLY_FILE_COLUMNS,
    SOURCE_COLUMNS,
)

ROOT = Path(__file__).resolve().parents[1]
RESEARCH = ROOT.parent / "shared" / "data-research"
# The file layout is the loader's own: one declaration of the columns and of the monthly measures.
STAT_COLUMNS = FILE_COLUMNS
MONTHLY_STAT_COLUMNS = MONTHLY_FILE_COLUMNS
MONTHLY_MEASURES = {name for name, measure in MEASURES.items() if measure.monthly}
PREFIX = "tutkimus-"  # tags of the sources this import writes (others are kept as they are)
DIVISION = "kuntajako"  # the statistics files' column of a figure's municipal division

# research CSV -> (measure, status); the year column may be "2024M12" (taken as 31.12.2024)
# A third item names the table when the source text mentions another one too.
FILES = {
    "population_total.csv": ("vakiluku", "lopullinen"),
    "population_total_prelim_2024M12.csv": ("vakiluku", "ennakko"),
    "foreign_language_speakers.csv": ("vieraskieliset", "lopullinen"),
    "foreign_language_speakers_prelim.csv": ("vieraskieliset", "ennakko"),
    "working_age_15_64.csv": ("tyoikaiset_15_64", "lopullinen"),
    "working_age_18_64.csv": ("tyoikaiset_18_64", "lopullinen"),
    "working_age_20_64.csv": ("tyoikaiset_20_64", "lopullinen"),
    "employed.csv": ("tyolliset", "lopullinen"),
    "employed_18_64.csv": ("tyolliset_18_64", "lopullinen"),
    "unemployed_employment_stats.csv": ("tyottomat", "lopullinen"),
    "unemployed_18_64_employment_stats.csv": ("tyottomat_18_64", "lopullinen"),
    "labour_force_employment_stats.csv": ("tyovoima", "lopullinen"),
    "unemployed_jobseekers_dec.csv": ("tyottomat_tyonhakijat", "lopullinen"),
    "unemployment_rate_pct_dec.csv": ("tyottomyysaste", "lopullinen"),
    "labour_force_tk_as_in_12r5_dec.csv": ("tyovoima_jakaja", "lopullinen", "12r5"),
}
# research CSV of monthly figures -> (measure, status); the year column is "2019M01"
MONTHLY_FILES = {
    "unemployed_jobseekers_monthly.csv": ("tyottomat_tyonhakijat_kk", "lopullinen"),
}

STATFI = "Tilastokeskus"
TEM = "Työ- ja elinkeinoministeriö ja Tilastokeskus"
AVAINLUVUT = "Kuntien avainluvut (1.1.2020 aluejako)"
# needle in a source text -> (publisher, table)
TABLES = [
    ("11lj", (STATFI, "StatFin 11lj (väestön ennakkotilasto)")),
    ("11re", (STATFI, "StatFin 11re (väestörakenne)")),
    ("11rm", (STATFI, "StatFin 11rm (väestö kielen mukaan)")),
    ("14c2", (STATFI, "StatFin 14c2 (kuntien avainluvut, ennakkotiedot)")),
    ("115b", (STATFI, "StatFin 115b (työssäkäyntitilasto)")),
    ("12r5", (TEM, "StatFin 12r5 (työnvälitystilasto)")),
    ("142h", (STATFI, "Kuntien avainluvut (StatFin 142h)")),
    ("Alueaikasarjat", (STATFI, AVAINLUVUT)),
    ("kansainvalisyys.html", (STATFI, "väestö kielen mukaan (kuntien kuukausiraportti)")),
]

WORKBOOK = "kuntien-avainluvut-2015-2019.xlsx"
WORKBOOK_SHEETS = ("2015", "2019")
# measure -> workbook columns whose sum is the figure (one column: the figure itself)
WORKBOOK_COLUMNS = {
    "vakiluku": ["Väkiluku"],
    "tyoikaiset_15_64": ["15-64 -vuotiaat"],
    "tyoikaiset_20_64": [
        f"{a}-{a + 4} -vuotiaat, {sex}" for a in range(20, 65, 5) for sex in ("miehet", "naiset")
    ],
    "vieraskieliset": ["Vieraskielisiä"],
    "tyolliset": ["Alueella asuvan työllisen työvoiman määrä"],
    "tyolliset_18_64": ["Työlliset, 18-64-vuotiaat"],
    "tyottomat_18_64": ["Työttömät, 18-64-vuotiaat"],
}
# 1.1.2020 division -> 2023 division
MERGED = {"Honkajoki": ("Kankaanpää", "Honkajoki liitettiin Kankaanpäähän 1.1.2021")}
ALAND_REGION = "Ahvenanmaan maakunta"  # the register's name of Åland

MUNICIPALITY_SOURCE = "mml-kuntajako-2023"
EXPERIMENT_SOURCE = "kustannustenjakoliite-2023"
DIVISION_2025_SOURCE = "tk-kuntajako-2025"
# The 2025 division: a municipality of the 2023 division -> the one it became part of on 1.1.2025.
# Checked against the research files of the 2025 division (turn3/): the population lists of 2024
# and 2025 and the foreign-language shares (308 municipalities), and the employment areas (292 of
# mainland Finland).
MERGERS_2025 = {"588": "507"}  # Pertunmaa -> Mäntyharju
EMPLOYMENT_AREAS = "turn3/employment_areas_2025.csv"
FIXED_SOURCES = {
    MUNICIPALITY_SOURCE: (
        "Maanmittauslaitos",
        "Hallinnolliset aluejaot 2023 (kunnat ja maakunnat)",
        "data-research/kuntarajat-2023.geojson (NATCODE = kuntanumero, NAMEFIN = kunta), "
        "samilaine/hallinnollisetrajat@03f9203007160ef67177c8a5c6f3463cbf57af46; maakunta: "
        "maakuntarajat-2023.geojson, jonka alueelle kunnan sisäpiste osuu",
    ),
    EXPERIMENT_SOURCE: (
        "Pirkanmaan työllisyyden kuntakokeilu",
        "Kustannustenjakoliite, hintataulukko 2023",
        "kokeilukunnat: hintataulukon 22 kuntaa; kuntanumerot data-research/municipality_codes.csv "
        "(Tilastokeskus, kuntaluokitus 2024)",
    ),
    DIVISION_2025_SOURCE: (
        "Tilastokeskus",
        "Kuntaluokitus 2025 (308 kuntaa)",
        "kunta_2025: kunta, jonka osa kunta on 1.1.2025 alkaen. Pertunmaa (588) liitettiin "
        "Mäntyharjuun (507) 1.1.2025; muut kunnat jatkavat omina kuntinaan. Tarkistettu: vuoden "
        "2025 kuntajaon 308 kuntaa = tämän luettelon kunnat ilman Pertunmaata (Tilastokeskuksen "
        "paikkatietorajapinnan vaestoalue:kunta_vaki2024 ja kunta_vaki2025 sekä StatFin 159t, "
        "data-research/turn3/stats/), ja Manner-Suomen 292 kuntaa = luokitusavain kunta 2025 -> "
        "työllisyysalue 2025 (data.stat.fi/api/classifications/v2; kopio rOpenGov/geofi "
        "data/municipality_key_2025.rda, commit a2fa3e3d; data-research/"
        f"{EMPLOYMENT_AREAS})",
    ),
}


def fail(message: str) -> None:
    raise SystemExit(f"tuo_tutkimusdata: {message}")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- municipalities ---------------------------------------------------------------------------


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Outer rings of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    return [polygon[0] for polygon in geometry["coordinates"]]


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)))


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    x, y = point
    result = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


def interior_point(geometry: dict) -> tuple[float, float]:
    """A point inside the largest polygon: the middle of the widest span on its middle latitude."""
    ring = max(_rings(geometry), key=_area)
    ys = [p[1] for p in ring]
    y = (min(ys) + max(ys)) / 2
    xs = sorted(
        x0 + (y - y0) * (x1 - x0) / (y1 - y0)
        for (x0, y0), (x1, y1) in itertools.pairwise(ring)
        if (y0 > y) != (y1 > y)
    )
    spans = list(zip(xs[::2], xs[1::2], strict=False))
    a, b = max(spans, key=lambda s: s[1] - s[0])
    return (a + b) / 2, y


def municipalities(research: Path) -> list[dict[str, str]]:
    kunnat = json.loads((research / "kuntarajat-2023.geojson").read_text(encoding="utf-8"))
    regions = json.loads((research / "maakuntarajat-2023.geojson").read_text(encoding="utf-8"))
    experiment = {
        r["code"]: r["municipality"] for r in read_csv(research / "municipality_codes.csv")
    }
    rows = []
    for feature in kunnat["features"]:
        props = feature["properties"]
        code, name = props["NATCODE"], props["NAMEFIN"]
        if not (len(code) == 3 and code.isdigit()):
            fail(f"kuntarajat: outo kuntanumero {code!r} ({name})")
        point = interior_point(feature["geometry"])
        hits = [
            r["properties"]["NAMEFIN"]
            for r in regions["features"]
            if any(_inside(point, ring) for ring in _rings(r["geometry"]))
        ]
        if len(hits) != 1:
            fail(f"kunnan {name} ({code}) maakunta ei ole yksiselitteinen: {hits}")
        if code in experiment and experiment[code] != name:
            fail(f"kuntanumero {code}: {experiment[code]} / {name}")
        rows.append(
            {
                "kuntanumero": code,
                "kunta": name,
                "maakunta": hits[0],
                "kokeilukunta": "kyllä" if code in experiment else "ei",
                "kunta_2025": MERGERS_2025.get(code, code),
                "lahde": MUNICIPALITY_SOURCE
                + (f" | {EXPERIMENT_SOURCE}" if code in experiment else "")
                + f" | {DIVISION_2025_SOURCE}",
            }
        )
    missing = set(experiment) - {r["kuntanumero"] for r in rows}
    if missing:
        fail(f"kokeilukunnat puuttuvat kuntarajoista: {sorted(missing)}")
    codes = {r["kuntanumero"] for r in rows}
    if not set(MERGERS_2025) | set(MERGERS_2025.values()) <= codes:
        fail(f"kuntaliitoksen kunnat puuttuvat kuntarajoista: {MERGERS_2025}")
    areas = {r["kuntanumero"] for r in read_csv(research / EMPLOYMENT_AREAS)}
    mainland = {r["kuntanumero"] for r in rows if r["maakunta"] != ALAND_REGION}
    if areas != mainland - set(MERGERS_2025):
        fail(
            f"{EMPLOYMENT_AREAS}: kuntajaon 2025 Manner-Suomen kunnat eivät ole tämän luettelon "
            f"kunnat ilman liitettyjä: {sorted(areas ^ (mainland - set(MERGERS_2025)))}"
        )
    return sorted(rows, key=lambda r: r["kuntanumero"])


# --- sources ----------------------------------------------------------------------------------


class Sources:
    """Source records, one per distinct description; tags ``tutkimus-<name>-<n>``."""

    def __init__(self) -> None:
        self.records: dict[str, dict[str, str]] = {}
        self.by_key: dict[tuple[str, str, str], str] = {}
        self.counts: dict[str, int] = defaultdict(int)

    def tag(self, name: str, publisher: str, table: str, description: str, fetched: str) -> str:
        key = (publisher, table, description)
        if key not in self.by_key:
            self.counts[name] += 1
            tag = f"{PREFIX}{name}-{self.counts[name]}"
            self.by_key[key] = tag
            self.records[tag] = {
                "tunnus": tag,
                "julkaisija": publisher,
                "taulukko": table,
                "kuvaus": description,
                "haettu": fetched,
                "paivitetty": "",
            }
        return self.by_key[key]


def template(text: str, code: str, year: int, month: int = 0) -> str:
    """The source text with the row's own code, year (and month) as placeholders; checked to give
    it back."""
    out = text.replace(f"KU{code}", "KU<kuntanumero>")
    out = re.sub(rf"(?<![0-9A-Za-z-]){year}(?![0-9])", "<vuosi>", out)
    if month:
        out = out.replace(f"<vuosi>M{month:02d}", "<vuosi>M<kuukausi>")
    back = out.replace("<kuntanumero>", code).replace("<vuosi>", str(year))
    if back.replace("<kuukausi>", f"{month:02d}") != text:
        fail(f"lähdetekstistä ei saa mallia: {text}")
    return out


def publisher_table(source: str, needle: str = "") -> tuple[str, str]:
    for known, found in TABLES:
        if (needle or known) == known and known in source:
            return found
    fail(f"taulukkoa ei tunnistettu lähteestä: {source}")
    raise AssertionError


def fetched_of(source: str) -> str:
    # The Kangasala repository cached the API responses on 2025-03-19 (data-research/README.md).
    return "2025-03-19" if "Kangasalakehitys/kuukausiraportti@5aa26432" in source else ""


# --- figures ----------------------------------------------------------------------------------


class Figures:
    """measure -> (code, year, month) -> row; a second source with the same value is added to the
    row. ``month`` is 0 for a year's figure.

    A final figure replaces a preliminary one (the replacement is listed in :attr:`replaced`);
    ``confirm`` (a source that is the same cached file as the one a figure was read from before)
    only checks an existing figure and adds the ones that are missing; ``derived`` adds a figure
    only where there is none, and lists the real figure it met instead in :attr:`met`.
    ``division`` is the row's ``kuntajako``: '2025' for a figure of an earlier year that a source
    gives on the 2025 division for a municipality that took in another (its figure is the merged
    area's)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.rows: dict[str, dict[tuple[str, int, int], dict[str, str]]] = defaultdict(dict)
        self.replaced: list[tuple[str, str, int, str, str]] = []
        self.met: list[tuple[str, str, int, str, str, str]] = []

    def get(self, measure: str, code: str, year: int, month: int = 0) -> dict[str, str] | None:
        return self.rows[measure].get((code, year, month))

    def add(
        self,
        measure: str,
        code: str,
        year: int,
        value: str,
        status: str,
        tag: str | Callable[[], str],
        month: int = 0,
        *,
        division: str = "",
        confirm: bool = False,
        derived: bool = False,
    ) -> None:
        if code not in self.names:
            fail(f"{measure}: tuntematon kuntanumero {code}")
        if bool(month) != (measure in MONTHLY_MEASURES):
            fail(f"{measure}: kuukausi {month} ei sovi mittariin")
        rows = self.rows[measure]
        old = rows.get((code, year, month))
        when = f"{year}{f'M{month:02d}' if month else ''}"
        if old is not None and old.get(DIVISION, "") != division:
            fail(f"{measure} {self.names[code]} {when}: kuntajako {old.get(DIVISION)} / {division}")
        if old is None:
            rows[(code, year, month)] = {
                "mittari": measure,
                "kuntanumero": code,
                "kunta": self.names[code],
                "vuosi": str(year),
                **({"kuukausi": str(month)} if month else {}),
                "arvo": value,
                "tila": status,
                "lahde": tag if isinstance(tag, str) else tag(),
                **({DIVISION: division} if division else {}),
            }
        elif derived:
            self.met.append((measure, code, year, old["arvo"], old["tila"], value))
        elif old["tila"] == "ennakko" and status == "lopullinen":
            self.replaced.append((measure, code, year, old["arvo"], value))
            old.update(arvo=value, tila=status, lahde=tag if isinstance(tag, str) else tag())
        elif old["arvo"] != value or old["tila"] != status:
            fail(
                f"{measure} {self.names[code]} {when}: lähteet eroavat "
                f"({old['arvo']} {old['tila']} / {value} {status})"
            )
        elif confirm:
            return  # the same cached file as the figure's own source: nothing to add
        else:
            tag = tag if isinstance(tag, str) else tag()
            if tag not in old["lahde"].split(" | "):
                old["lahde"] += " | " + tag


def research_csvs(research: Path, figures: Figures, sources: Sources) -> None:
    for name, (measure, status, *needle) in FILES.items():
        stem = name.removesuffix(".csv").replace("_", "-").lower()
        for row in read_csv(research / name):
            year_text = row["year"]
            if re.fullmatch(r"\d{4}M\d{2}", year_text):
                if not year_text.endswith("M12"):
                    continue  # a month other than December is not a year-end figure
                year_text = year_text[:4]
            year = int(year_text)
            source = row["source"]
            if row["municipality"] != figures.names.get(row["code"]):
                fail(f"{name}: {row['municipality']} ei ole kuntanumero {row['code']}")
            publisher, table = publisher_table(source, *needle)
            description = f"{template(source, row['code'], year)} [data-research/{name}]"
            tag = sources.tag(stem, publisher, table, description, fetched_of(source))
            row_status = "ennakko" if "PRELIMINARY" in source else status
            figures.add(measure, row["code"], year, row["value"], row_status, tag)
    for name, (measure, status) in MONTHLY_FILES.items():
        stem = name.removesuffix(".csv").replace("_", "-").lower()
        for row in read_csv(research / name):
            match = re.fullmatch(r"(\d{4})M(\d{2})", row["year"])
            if not match:
                fail(f"{name}: kuukausi '{row['year']}' ei ole muotoa 2019M01")
            year, month = int(match[1]), int(match[2])
            source = row["source"]
            if row["municipality"] != figures.names.get(row["code"]):
                fail(f"{name}: {row['municipality']} ei ole kuntanumero {row['code']}")
            publisher, table = publisher_table(source)
            description = f"{template(source, row['code'], year, month)} [data-research/{name}]"
            tag = sources.tag(stem, publisher, table, description, fetched_of(source))
            figures.add(measure, row["code"], year, row["value"], status, tag, month)


def workbook(research: Path, figures: Figures, sources: Sources) -> None:
    import openpyxl

    book = openpyxl.load_workbook(research / WORKBOOK, read_only=True, data_only=True)
    by_name = {name: code for code, name in figures.names.items()}
    for sheet in WORKBOOK_SHEETS:
        rows = list(book[sheet].iter_rows(values_only=True))
        header = list(rows[0])
        cells: dict[str, dict[str, int]] = {}
        for row in rows[1:]:
            if not row[1]:
                continue
            name = str(row[1]).strip()
            values = {}
            for measure, columns in WORKBOOK_COLUMNS.items():
                parts = [row[header.index(c)] for c in columns]
                if any(not isinstance(p, int | None) for p in parts):
                    fail(f"{WORKBOOK} {sheet} {name}: ei kokonaisluku: {parts}")
                # an empty cell is a missing figure, and so is a sum with one
                values[measure] = None if None in parts else sum(parts)
            cells[name] = values
        if len(cells) != 310:
            fail(f"{WORKBOOK} {sheet}: {len(cells)} kuntaa, odotettiin 310 (1.1.2020 aluejako)")
        for old, (new, _) in MERGED.items():
            merged = cells.pop(old)
            cells[new] = {
                m: None if None in (cells[new][m], merged[m]) else cells[new][m] + merged[m]
                for m in merged
            }
        unknown = set(cells) - set(by_name)
        if unknown or len(cells) != len(by_name):
            fail(f"{WORKBOOK} {sheet}: kunnat eivät vastaa kuntajakoa 2023: {sorted(unknown)}")
        year = int(sheet)
        for name, values in cells.items():
            for measure, value in values.items():
                if value is None:
                    continue
                tag = sources.tag(
                    f"avainluvut-{measure.replace('_', '-')}"
                    + ("-yhdistetty" if name in {n for n, _ in MERGED.values()} else ""),
                    STATFI,
                    AVAINLUVUT,
                    _workbook_description(measure, name),
                    "",
                )
                figures.add(measure, by_name[name], year, str(value), "lopullinen", tag)


def _workbook_description(measure: str, name: str) -> str:
    columns = WORKBOOK_COLUMNS[measure]
    what = (
        f"sarake '{columns[0]}'"
        if len(columns) == 1
        else f"sarakkeiden '{columns[0]}' … '{columns[-1]}' summa ({len(columns)} saraketta)"
    )
    rows = "kunnan rivi"
    for old, (new, why) in MERGED.items():
        if name == new:
            rows = f"rivien '{new}' ja '{old}' summa ({why})"
    return (
        f"Tilastokeskus, Kuntien avainluvut 2020 aluejaolla, Alueaikasarjat 1987-2019 "
        f"(data-research/{WORKBOOK}), välilehti '<vuosi>', {what}, {rows}"
    )


# --- every municipality of Finland, 2019-2023 (turn2/) ------------------------------------------

TURN2 = "turn2"
TURN2_CACHE = "pttry/kohtaantoindeksit@ad3341826db4be1b343d88c860f90a4df044412c:data/tyonv_12r5.rda"
TURN2_WHERE = (
    f"välimuisti {TURN2_CACHE} (R-taulukko PxWeb-taulukosta statfin_tyonv_pxt_12r5: kaikki "
    "alueet, kuukaudet 2006M01–2023M10)"
)
ALAND = "Ahvenanmaa"  # the region as the research files name it; suppressed months only here
TURN2_NAMES = {"Maarianhamina - Mariehamn": "Maarianhamina"}  # bilingual name in the research list
TURN2_REGIONS = {"Ahvenanmaa": "Ahvenanmaan maakunta"}
# Municipalities of the register (2023 division) that the research list (2025 division) leaves out.
TURN2_ABSENT = {
    "588": "Pertunmaa liitettiin Mäntyharjuun 1.1.2025; Mäntyharjun luvut ovat sen omat, joten "
    "Pertunmaan luvut puuttuvat",
}
# In 2019 the derived labour force may exceed employed + unemployed 18-64 (key-figures workbook)
# only by the unemployed under 18 or over 64: at most this many (Helsinki has 23).
OTHER_AGES_MAX = 25
TURN2_FIRST, TURN2_LAST = (2019, 1), (2023, 10)


def _turn2_raw(kind: str, year: int) -> str:
    """The source text each research row must carry (the research files write it per row)."""
    cache = f"github:{TURN2_CACHE}"
    return {
        "monthly": f"{cache} (StatFin 12r5 TEM työnvälitystilasto, field TYOTTOMATLOPUSSA)",
        "dec": f"{cache} (StatFin 12r5 TEM työnvälitystilasto, field TYOTTOMATLOPUSSA), "
        f"Kuukausi {year}M12",
        "mean": "DERIVED: arithmetic mean of the 12 monthly counts (TYOTTOMATLOPUSSA, "
        "laskentapäivä = last working day of month) in unemployed_jobseekers_monthly_all.csv; TEM "
        "publishes its own annual average rounded to whole persons",
        "tk": f"{cache} (StatFin 12r5 TEM työnvälitystilasto, field TYOVOIMATK), same value in "
        f"every month of {year} (2023: Jan-Oct available). CAUTION: lagged denominator; Statistics "
        "Finland employment-statistics labour force of an earlier year (about year-2)",
        "derived": f"DERIVED from the 12r5 denominator: value of TYOVOIMATK in year {year + 2} "
        f"({cache}), taken as the Statistics Finland employment-statistics labour force (StatFin "
        f"115b, 31.12.) of year {year}; identity checked for Kangasala 2019-2021 against 115b "
        "(15316, 15562, 15904)",
    }[kind]


TURN2_DESCRIPTIONS = {
    "monthly": "TYOTTOMATLOPUSSA 'Työttömät työnhakijat laskentapäivänä (lkm.)', Alue "
    f"KU<kuntanumero>, Kuukausi <vuosi>M<kuukausi>; {TURN2_WHERE}",
    "dec": "TYOTTOMATLOPUSSA 'Työttömät työnhakijat laskentapäivänä (lkm.)', Alue "
    f"KU<kuntanumero>, Kuukausi <vuosi>M12; {TURN2_WHERE}",
    "mean": "JOHDETTU: vuoden <vuosi> kahdentoista kuukauden (<vuosi>M01–<vuosi>M12) työttömien "
    "työnhakijoiden määrän TYOTTOMATLOPUSSA (Alue KU<kuntanumero>) aritmeettinen keskiarvo kahden "
    "desimaalin tarkkuudella; tarkistettu kuukausiluvuista. Vuodelle, jolta kuukausi puuttuu, ei "
    "ole keskiarvoa. TEM:n oma vuosikeskiarvo (kokonaisiksi henkilöiksi pyöristetty) ei ole tässä. "
    f"Kuukausiluvut: {TURN2_WHERE}",
    "tk": "TYOVOIMATK 'TK:n Työssäkäyntitilaston työvoima (lkm.)', Alue KU<kuntanumero>, vuoden "
    "<vuosi> kuukaudet (sama luku joka kuukausi; vuodelta 2023 tammi–lokakuu). Työnvälitystilasto "
    "laskee työttömien osuuden tästä: se on Tilastokeskuksen työssäkäyntitilaston työvoima noin "
    f"kaksi vuotta aiemmin (ks. mittari tyovoima). Luettu: {TURN2_WHERE}",
    "derived": "ARVIO, johdettu: työssäkäyntitilaston (StatFin 115b) työvoima 31.12.<vuosi> "
    "luettuna työnvälitystilaston jakajasta TYOVOIMATK kaksi vuotta myöhemmin (Alue "
    "KU<kuntanumero>). Yhtäsuuruus on tarkistettu Kangasalan 115b-luvuista 2019–2021 (15 316, "
    "15 562, 15 904 = TYOVOIMATK 2021–2023), ja vuoden 2019 luku on jokaisessa kunnassa vähintään "
    "työllisten ja 18–64-vuotiaiden työttömien summa (Kuntien avainluvut 2019) ja enintään "
    f"{OTHER_AGES_MAX} henkeä suurempi (erotus: muun ikäiset työttömät). Tilastokeskuksen 115b-"
    f"luku korvaa tämän, kun se haetaan (kustannukset data paivita --taulukot 115b). Luettu: {TURN2_WHERE}",
}
TURN2_FILES = {
    "monthly": ("unemployed_jobseekers_monthly_all.csv", "tyottomat_tyonhakijat_kk", "lopullinen"),
    "dec": ("unemployed_jobseekers_dec_all.csv", "tyottomat_tyonhakijat", "lopullinen"),
    "mean": ("unemployed_jobseekers_annual_mean_all.csv", "tyottomat_tyonhakijat_ka", "johdettu"),
    "tk": ("labour_force_tk_as_in_12r5_annual_all.csv", "tyovoima_jakaja", "lopullinen"),
    "derived": ("labour_force_115b_derived_all.csv", "tyovoima", "arvio"),
}


def _turn2_rows(research: Path, kind: str, register: dict[str, dict[str, str]]) -> list[dict]:
    """A research file's rows, each naming a municipality of the register and carrying the
    expected source text; every municipality but those of :data:`TURN2_ABSENT` appears."""
    name = TURN2_FILES[kind][0]
    rows = read_csv(research / TURN2 / name)
    for row in rows:
        known = register.get(row["code"])
        if known is None:
            fail(f"{TURN2}/{name}: tuntematon kuntanumero {row['code']}")
        if TURN2_NAMES.get(row["municipality"], row["municipality"]) != known["kunta"]:
            fail(f"{TURN2}/{name}: {row['municipality']} ei ole kuntanumero {row['code']}")
        if TURN2_REGIONS.get(row["region"], row["region"]) != known["maakunta"]:
            fail(f"{TURN2}/{name}: {row['municipality']}: maakunta {row['region']}")
        match = re.fullmatch(r"(\d{4})(?:M(\d{2}))?", row["year"])
        if not match or bool(match[2]) != (kind == "monthly"):
            fail(f"{TURN2}/{name}: outo vuosi {row['year']}")
        row["_year"], row["_month"] = int(match[1]), int(match[2] or 0)
        if row["source"] != _turn2_raw(kind, row["_year"]):
            fail(f"{TURN2}/{name}: odottamaton lähdeteksti: {row['source']}")
        if row["value"] == "" and row["region"] != ALAND:
            fail(f"{TURN2}/{name}: {row['municipality']} {row['year']}: luku puuttuu")
    absent = set(register) - {r["code"] for r in rows}
    if absent != set(TURN2_ABSENT):
        fail(
            f"{TURN2}/{name}: puuttuvat kunnat {sorted(absent)}, odotettiin {sorted(TURN2_ABSENT)}"
        )
    return rows


def turn2(
    research: Path, register: list[dict[str, str]], figures: Figures, sources: Sources
) -> None:
    """Jobseekers and labour force of every municipality (see the module's description)."""
    by_code = {r["kuntanumero"]: r for r in register}

    def tag(kind: str) -> str:
        name = TURN2_FILES[kind][0]
        description = f"{TURN2_DESCRIPTIONS[kind]} [data-research/{TURN2}/{name}]"
        stem = f"{TURN2}-{name.removesuffix('.csv').replace('_', '-')}"
        return sources.tag(stem, TEM, "StatFin 12r5 (työnvälitystilasto)", description, "")

    def add(kind: str, row: dict, value: str | None = None) -> None:
        _, measure, status = TURN2_FILES[kind]
        figures.add(
            measure,
            row["code"],
            row["_year"],
            row["value"] if value is None else value,
            status,
            tag(kind),
            row["_month"],
        )

    months: dict[tuple[str, int, int], int | None] = {}
    for row in _turn2_rows(research, "monthly", by_code):
        months[(row["code"], row["_year"], row["_month"])] = (
            int(row["value"]) if row["value"] else None
        )
        if row["value"]:
            add("monthly", row)
    first, last = TURN2_FIRST[0] * 12 + TURN2_FIRST[1], TURN2_LAST[0] * 12 + TURN2_LAST[1]
    expected = {(y, m) for y in range(TURN2_FIRST[0], TURN2_LAST[0] + 1) for m in range(1, 13)}
    expected = {(y, m) for y, m in expected if first <= y * 12 + m <= last}
    for code in set(by_code) - set(TURN2_ABSENT):
        have = {(y, m) for c, y, m in months if c == code}
        if have != expected:
            fail(f"{TURN2}: kunnalta {code} puuttuu kuukausirivejä: {sorted(expected - have)[:3]}")

    for row in _turn2_rows(research, "dec", by_code):
        month12 = months.get((row["code"], row["_year"], 12))
        if (int(row["value"]) if row["value"] else None) != month12:
            fail(f"{TURN2}: joulukuu {row['municipality']} {row['year']} ei ole kuukausi 12")
        if row["value"]:
            add("dec", row)

    for row in _turn2_rows(research, "mean", by_code):
        twelve = [months.get((row["code"], row["_year"], m)) for m in range(1, 13)]
        if None in twelve or not row["value"]:
            continue  # a mean of fewer months is not the year's mean: missing
        mean = (Decimal(sum(twelve)) / 12).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
        if Decimal(row["value"]) != mean:
            fail(f"{TURN2}: keskiarvo {row['municipality']} {row['year']} {row['value']} != {mean}")
        add("mean", row)

    denominator = {}
    for row in _turn2_rows(research, "tk", by_code):
        denominator[(row["code"], row["_year"])] = row["value"]
        add("tk", row)

    for row in _turn2_rows(research, "derived", by_code):
        code, year, value = row["code"], row["_year"], row["value"]
        if denominator.get((code, year + 2)) != value:
            fail(f"{TURN2}: työvoima {row['municipality']} {year} != TYOVOIMATK {year + 2}")
        employed = figures.rows["tyolliset"].get((code, year, 0))
        unemployed = figures.rows["tyottomat_18_64"].get((code, year, 0))
        if employed and unemployed:
            gap = int(value) - int(employed["arvo"]) - int(unemployed["arvo"])
            if not 0 <= gap <= OTHER_AGES_MAX:
                fail(f"{TURN2}: työvoima {row['municipality']} {year}: {value}, erotus {gap}")
        real = figures.rows["tyovoima"].get((code, year, 0))
        if real is not None:
            if real["arvo"] != value or real["tila"] != "lopullinen":
                fail(f"{TURN2}: työvoima {row['municipality']} {year} != 115b {real['arvo']}")
            continue  # the real 115b figure stands
        add("derived", row)


# --- every municipality of Finland, 2020-2025, on both divisions (turn3/stats/) --------------------

TURN3 = "turn3/stats"
KANGASALA = "Kangasalakehitys/kuukausiraportti@5aa26432aa78c553e4f404881e8e9685412d1d19"
PTTRY = "pttry/kohtaantoindeksit@ad3341826db4be1b343d88c860f90a4df044412c"
OSKAR = "OskarWestmeijer/maps@49e4429313fd32cc9b943c6d9e651e39a6bd62f3"
RAHEL = "rahel-albck/language-use-in-finland@d3a966a55cc93c32aac26cd4da27c0e5cb7d53fe"
PONSE = "ponse-app/ponse@ace99c069c46463a7bf678ff08e50ba8cc240cca"
AURORA = "Hylje5000/aurora@25df09eb6431ae90b9c74bf98ccd30633c05fe7d"
NAAPURUSTOT = "jvmarten/naapurustot@3e5c7dd61c6d14388c84dbab56b2a9855df0f34f"
WFS = "paikkatietorajapinta (WFS) vaestoalue:kunta_vaki"
WFS_TABLE = f"{WFS} (kuntien väestö)"


class Turn3Source(NamedTuple):
    """One source of the turn3 files: the source text each of its rows carries, what it gives
    and how it is described in ``tilastolahteet.csv`` (``<kuntanumero>``, ``<vuosi>`` and
    ``<kuukausi>`` stand for the row's own)."""

    file: str
    measure: str  # the research file's mittari
    raw: str  # the research rows' lahde, exactly
    stem: str  # tag stem: tutkimus-turn3-<stem>-<n>
    publisher: str
    table: str
    description: str
    division: int  # the municipal division the source is on (2023 or 2025)
    # the same cached file as the one existing figures were read from: an existing figure is only
    # checked against it, never given a second tag
    same_file: bool = False


T3 = {
    "vakiluku-11re": Turn3Source(
        "vaesto_yhteensa.csv",
        "vaesto_31_12",
        f"{KANGASALA}:src/data/rdata/statfin_vaerak_pxt_11re_all (Rdata, pxweb query of StatFin "
        '11re "Väestö iän (1-v.) ja sukupuolen mukaan alueittain", Ikä=SSS, Sukupuoli=SSS; table '
        "updated 2024-04-26; 1.1.2024 aluejako)",
        "vakiluku-11re",
        STATFI,
        "StatFin 11re (väestörakenne)",
        "Väkiluku 31.12.<vuosi>, StatFin 11re 'Väestö iän (1-v.) ja sukupuolen mukaan alueittain', "
        "Alue KU<kuntanumero>, Ikä = SSS, Sukupuoli = SSS (taulukko päivitetty 2024-04-26, "
        f"aluejako 1.1.2024 = kuntajako 2023); välimuisti {KANGASALA}:src/data/rdata/"
        "statfin_vaerak_pxt_11re_all (sama tiedosto kuin lähteen tutkimus-population-total-1)",
        2023,
        same_file=True,
    ),
    "vakiluku-wfs-2022": Turn3Source(
        "vaesto_yhteensa.csv",
        "vaesto_31_12",
        f"{RAHEL}:kunta_vaki2022.csv (Tilastokeskus WFS vaestoalue:kunta_vaki2022, til_vuosi=2022, "
        "2023 borders)",
        "vakiluku-wfs",
        STATFI,
        WFS_TABLE,
        f"Väkiluku 31.12.<vuosi>: Tilastokeskuksen {WFS}<vuosi>, kenttä vaesto (til_vuosi = "
        f"<vuosi>, kuntajako 2023), kunta KU<kuntanumero>; kopio {RAHEL}:kunta_vaki<vuosi>.csv "
        "(poistettu myöhemmässä commitissa ed19bd4)",
        2023,
    ),
    "vakiluku-wfs-2024": Turn3Source(
        "vaesto_yhteensa.csv",
        "vaesto_31_12",
        f"{PONSE}:src/app/kunta_vaki2024.json (Tilastokeskus WFS vaestoalue:kunta_vaki2024, "
        "til_vuosi=2024, 2025 borders)",
        "vakiluku-wfs",
        STATFI,
        WFS_TABLE,
        f"Väkiluku 31.12.<vuosi>, lopullinen: Tilastokeskuksen {WFS}<vuosi>, kenttä vaesto "
        "(til_vuosi = <vuosi>, vuosi = 2025: kuntajako 2025, joten Mäntyharjun (507) luku sisältää "
        f"Pertunmaan), kunta KU<kuntanumero>; kopio {PONSE}:src/app/kunta_vaki<vuosi>.json",
        2025,
    ),
    "vakiluku-wfs-2025": Turn3Source(
        "vaesto_yhteensa.csv",
        "vaesto_31_12",
        f"{AURORA}:data/demographic_data.json (Tilastokeskus WFS vaestoalue:kunta_vaki2025, "
        "til_vuosi=2025, 2026 borders)",
        "vakiluku-wfs",
        STATFI,
        WFS_TABLE,
        f"Väkiluku 31.12.<vuosi>: Tilastokeskuksen {WFS}<vuosi>, kenttä vaesto (til_vuosi = "
        "<vuosi>, kuntajako 2026 = 2025), kunta KU<kuntanumero>; kopio "
        f"{AURORA}:data/demographic_data.json",
        2025,
    ),
    "vakiluku-11re-2025": Turn3Source(
        "vaesto_yhteensa.csv",
        "vaesto_31_12",
        f"{OSKAR}:static/data/sex_register_kunnat_11re.json (PxWeb export of StatFin 11re, "
        "Sukupuoli=SSS, Vuosi=2025, updated 2026-04-01)",
        "vakiluku-11re",
        STATFI,
        "StatFin 11re (väestörakenne)",
        "Väkiluku 31.12.<vuosi>, StatFin 11re, Alue KU<kuntanumero>, Sukupuoli = SSS, Vuosi = "
        "<vuosi> (taulukko päivitetty 2026-04-01, kuntajako 2026 = 2025); PxWeb-vienti "
        f"{OSKAR}:static/data/sex_register_kunnat_11re.json",
        2025,
    ),
    "15-64-wfs-2022": Turn3Source(
        "vaesto_15_64.csv",
        "vaesto_15_64",
        f"{RAHEL}:kunta_vaki2022.csv (Tilastokeskus WFS vaestoalue:kunta_vaki2022, field "
        "ika_15_64, til_vuosi=2022, 2023 borders)",
        "tyoikaiset-15-64-wfs",
        STATFI,
        WFS_TABLE,
        f"15–64-vuotiaat 31.12.<vuosi>: Tilastokeskuksen {WFS}<vuosi>, kenttä ika_15_64 "
        "(til_vuosi = <vuosi>, kuntajako 2023; ika_0_14 + ika_15_64 + ika_65_ = vaesto), kunta "
        f"KU<kuntanumero>; kopio {RAHEL}:kunta_vaki<vuosi>.csv (poistettu myöhemmässä commitissa "
        "ed19bd4)",
        2023,
    ),
    "15-64-wfs-2024": Turn3Source(
        "vaesto_15_64.csv",
        "vaesto_15_64",
        f"{PONSE}:src/app/kunta_vaki2024.json (Tilastokeskus WFS vaestoalue:kunta_vaki2024, "
        "field ika_15_64, til_vuosi=2024, 2025 borders)",
        "tyoikaiset-15-64-wfs",
        STATFI,
        WFS_TABLE,
        f"15–64-vuotiaat 31.12.<vuosi>: Tilastokeskuksen {WFS}<vuosi>, kenttä ika_15_64 "
        "(til_vuosi = <vuosi>, vuosi = 2025: kuntajako 2025, joten Mäntyharjun (507) luku "
        "sisältää Pertunmaan; ika_0_14 + ika_15_64 + ika_65_ = vaesto), kunta KU<kuntanumero>; "
        f"kopio {PONSE}:src/app/kunta_vaki<vuosi>.json",
        2025,
    ),
    "15-64-wfs-2025": Turn3Source(
        "vaesto_15_64.csv",
        "vaesto_15_64",
        f"{AURORA}:data/demographic_data.json (Tilastokeskus WFS vaestoalue:kunta_vaki2025, field "
        "ika_15_64, til_vuosi=2025, 2026 borders)",
        "tyoikaiset-15-64-wfs",
        STATFI,
        WFS_TABLE,
        f"15–64-vuotiaat 31.12.<vuosi>: Tilastokeskuksen {WFS}<vuosi>, kenttä ika_15_64 "
        "(til_vuosi = <vuosi>, kuntajako 2026 = 2025; ika_0_14 + ika_15_64 + ika_65_ = vaesto), "
        f"kunta KU<kuntanumero>; kopio {AURORA}:data/demographic_data.json",
        2025,
    ),
    "osuus-159t": Turn3Source(
        "vieraskieliset.csv",
        "vieraskielisten_osuus_pct",
        f"{NAAPURUSTOT}:scripts/foreign_language_municipal.json (StatFin vaerak 159t, content "
        'vaesto_kieli_ulk_p "Vieraskielisten osuus, %", 2026 area division; read via read_file, '
        "not in git snapshot)",
        "vieraskielisten-osuus-159t",
        STATFI,
        "StatFin 159t (kuntien avainluvut)",
        "Vieraskielisten osuus väestöstä 31.12.<vuosi> (%, yksi desimaali), StatFin vaerak 159t, "
        "tieto vaesto_kieli_ulk_p 'Vieraskielisten osuus, %', kunta KU<kuntanumero>, kuntajako "
        f"2026 = 2025 kaikilta vuosilta (Mäntyharjun (507) osuus sisältää Pertunmaan); {NAAPURUSTOT}"
        ":scripts/foreign_language_municipal.json. Tiedosto luettiin hakuindeksin tallentamasta "
        "tekstistä ja kirjoitettiin käsin; kaikki 1 848 lukua (308 kuntaa x 2020–2025) on "
        "tarkistettu tallennettua tekstiä vasten, ja teksti on rakennettu uudelleen merkki merkiltä "
        "samaksi (36 152 merkkiä)",
        2025,
    ),
    "lkm-11rm": Turn3Source(
        "vieraskieliset.csv",
        "vieraskieliset_lkm",
        f"{KANGASALA}:src/data/rdata/statfin_vaerak_pxt_11rm.Rdata (StatFin 11rm, Kieli=02 "
        '"VIERASKIELISET YHTEENSÄ", Kangasala only; table updated 2024-04-26)',
        "vieraskieliset-11rm",
        STATFI,
        "StatFin 11rm (väestö kielen mukaan)",
        "",
        2023,
        same_file=True,
    ),
    "kk-pttry": Turn3Source(
        "tyottomat_tyonhakijat.csv",
        "tyottomat_tyonhakijat",
        f'{PTTRY}:data/tyonv_12r5.rda (StatFin/TEM 12r5 TYOTTOMATLOPUSSA "Työttömät '
        'työnhakijat laskentapäivänä", all areas, 2006M01-2023M10)',
        "tyonhakijat-kk-pttry",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        TURN2_DESCRIPTIONS["monthly"] + " (sama välimuisti kuin lähteessä "
        "tutkimus-turn2-unemployed-jobseekers-monthly-all-1, jonka kuntaluettelosta Pertunmaa "
        "puuttui; kuntajako 2023)",
        2023,
        same_file=True,
    ),
    "kk-kangasala": Turn3Source(
        "tyottomat_tyonhakijat.csv",
        "tyottomat_tyonhakijat",
        f"{KANGASALA}:dist/_file/data/stat/tyossakaynti/tyonv_12r5.7a1b7967.json (StatFin/TEM "
        "12r5 TYOTTOMATLOPUSSA, Kangasala only, updated 2025-02-25)",
        "tyonhakijat-kk-kangasala",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        f"{KANGASALA}:dist/_file/data/stat/tyossakaynti/tyonv_12r5.7a1b7967.json data.yColumn_1 "
        "TYOTTOMATLOPUSSA 'Työttömät työnhakijat laskentapäivänä', Alue KU<kuntanumero>, Kuukausi "
        "<vuosi>M<kuukausi> (päivitetty 2025-02-25; sama tiedosto kuin lähteessä "
        "tutkimus-unemployed-jobseekers-monthly-1)",
        2023,
        same_file=True,
    ),
    "kk-12r5-2026": Turn3Source(
        "tyottomat_tyonhakijat.csv",
        "tyottomat_tyonhakijat",
        f"{OSKAR}:static/data/unemployment_register_kunnat_12r5.json (PxWeb export of 12r5, "
        "KEHA-keskus Työnvälitystilasto, 2026M06, updated 2026-07-21)",
        "tyonhakijat-kk-12r5",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        "TYOTTOMATLOPUSSA 'Työttömät työnhakijat laskentapäivänä', Alue KU<kuntanumero>, Kuukausi "
        "<vuosi>M<kuukausi> (KEHA-keskus, työnvälitystilasto; PxWeb-vienti päivitetty 2026-07-21, "
        "kuntajako 2026 = 2025; salatut solut puuttuvat); "
        f"{OSKAR}:static/data/unemployment_register_kunnat_12r5.json",
        2025,
    ),
    "osuus-12r5": Turn3Source(
        "tyottomien_osuus_tyovoimasta.csv",
        "tyottomien_osuus_tyovoimasta_pct",
        f"{KANGASALA}:src/data/rdata/statfin_tyonv_pxt_12r5_map.Rdata (StatFin/TEM 12r5 TYOTOSUUS "
        '"Työttömien työnhakijoiden %-osuus työvoimasta", all municipalities 2007M01-2025M01, '
        "updated 2025-02-25)",
        "tyottomyysaste-12r5",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        "TYOTOSUUS 'Työttömien työnhakijoiden %-osuus työvoimasta', Alue KU<kuntanumero>, Kuukausi "
        f"<vuosi>M12; välimuisti {KANGASALA}:src/data/rdata/statfin_tyonv_pxt_12r5_map.Rdata "
        "(päivitetty 2025-02-25; sama tiedosto kuin lähteessä tutkimus-unemployment-rate-pct-dec-1). "
        "Kuntajako 2025 kaikilta vuosilta: Mäntyharjun (507) osuus on Mäntyharjun ja Pertunmaan "
        "yhteinen (tarkistettu: (Mäntyharjun + Pertunmaan työttömät) / (niiden TYOVOIMATK) = "
        "julkaistu osuus). Tuonti tarkistaa joulukuut 2020–2022: osuus = 100 x työttömät "
        "työnhakijat / TYOVOIMATK yhden desimaalin tarkkuudella",
        2025,
        same_file=True,
    ),
    "osuus-12r5-2026": Turn3Source(
        "tyottomien_osuus_tyovoimasta.csv",
        "tyottomien_osuus_tyovoimasta_pct",
        f"{OSKAR}:static/data/unemployment_register_kunnat_12r5.json (12r5 TYOTOSUUS, 2026M06)",
        "",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        "",
        2025,
    ),
    "jakaja-pttry": Turn3Source(
        "tyovoima.csv",
        "tyovoima_TYOVOIMATK_12r5",
        f'{PTTRY}:data/tyonv_12r5.rda (12r5 TYOVOIMATK "TK:n Työssäkäyntitilaston työvoima" as '
        "published in the given 12r5 month; reference year of työssäkäynti = 12r5 year minus 2, "
        "see README)",
        "tyovoima-jakaja-pttry",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        TURN2_DESCRIPTIONS["tk"] + " (sama välimuisti kuin lähteessä "
        "tutkimus-turn2-labour-force-tk-as-in-12r5-annual-all-1, jonka kuntaluettelosta Pertunmaa "
        "puuttui; kuntajako 2023)",
        2023,
        same_file=True,
    ),
    "jakaja-12r5-2026": Turn3Source(
        "tyovoima.csv",
        "tyovoima_TYOVOIMATK_12r5",
        f"{OSKAR}:static/data/unemployment_register_kunnat_12r5.json (12r5 TYOVOIMATK as published "
        "in 2026M06)",
        "tyovoima-jakaja-12r5",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        "TYOVOIMATK 'TK:n Työssäkäyntitilaston työvoima', Alue KU<kuntanumero>, kuukauden "
        "<vuosi>M06 luku (sama luku vuoden kaikissa kuukausissa; kuntajako 2026 = 2025). "
        "Työnvälitystilasto laskee työttömien osuuden tästä: se on Tilastokeskuksen "
        "työssäkäyntitilaston työvoima noin kaksi vuotta aiemmin (ks. mittari tyovoima). "
        f"PxWeb-vienti (päivitetty 2026-07-21) {OSKAR}:static/data/"
        "unemployment_register_kunnat_12r5.json",
        2025,
    ),
    "115b": Turn3Source(
        "tyovoima.csv",
        "",
        f"{KANGASALA}:dist/_file/data/stat/tyossakaynti/tyokay_115b.7b88798d.json (StatFin tyokay "
        "115b, Kangasala only, updated 2024-12-17)",
        "",
        STATFI,
        "StatFin 115b (työssäkäyntitilasto)",
        "",
        2023,
        same_file=True,
    ),
}
# turn3 measure -> ours; the Kangasala 115b rows of tyovoima.csv by their own mittari
T3_MEASURES = {
    "vaesto_31_12": "vakiluku",
    "vaesto_15_64": "tyoikaiset_15_64",
    "vieraskielisten_osuus_pct": "vieraskielisten_osuus",
    "vieraskieliset_lkm": "vieraskieliset",
    "tyottomat_tyonhakijat": "tyottomat_tyonhakijat_kk",
    "tyottomien_osuus_tyovoimasta_pct": "tyottomyysaste",
    "tyovoima_TYOVOIMATK_12r5": "tyovoima_jakaja",
    "tyovoima_115b": "tyovoima",
    "tyolliset_115b": "tyolliset",
    "tyottomat_115b": "tyottomat",
}
# The research files' preliminary population (11lj 2024M12) is not imported: the final figure of
# 2024 is there for every municipality. It is checked to equal the project's preliminary figures.
T3_PRELIMINARY = (
    "vaesto_ennakkotieto",
    f'{KANGASALA}:src/data/rdata/statfin_vamuu_pxt_11lj_all.Rdata (StatFin 11lj "Väestön '
    'ennakkotiedot" monthly preliminary population, 2024M12 = ennakkotieto 31.12.2024; table '
    "updated 2025-02-25)",
)
T3_DERIVED = {
    "vieraskieliset": (
        "vieraskieliset-johdettu",
        STATFI,
        "StatFin 159t ja 11re (johdettu)",
        "JOHDETTU: vieraskielisten osuus (mittari vieraskielisten_osuus, StatFin 159t, %, yksi "
        "desimaali) x väkiluku 31.12.<vuosi> (mittari vakiluku) / 100, kunta KU<kuntanumero>, "
        "pyöristetty kokonaisiksi henkilöiksi (puolikas ylöspäin). Osuus on pyöristetty yhteen "
        "desimaaliin, joten luku voi poiketa todellisesta vieraskielisten määrästä enintään 0,05 % "
        "väkiluvusta ja puoli henkeä (10 000 asukkaan kunnassa ±5,5 henkeä). Kuntajako 2025 "
        "kaikilta vuosilta kuten osuudessa: Mäntyharjun (507) luku koskee Mäntyharjua ja "
        "Pertunmaata yhdessä (vuosina 2020–2023 niiden väkilukujen summasta). Missä "
        "Tilastokeskuksen oma määrä on datassa (Akaa, Kangasala ja Ylöjärvi 2020–2023 lopullinen, "
        "Kangasala 2024 ennakkotieto), se pidetään, ja tuonti tarkistaa, että johdettu luku on "
        "sen rajan sisällä",
    ),
    "tyottomat_tyonhakijat": (
        "tyonhakijat-joulukuu-pttry",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        TURN2_DESCRIPTIONS["dec"] + " (kuukausirivi 12; sama välimuisti kuin lähteessä "
        "tutkimus-turn2-unemployed-jobseekers-dec-all-1, jonka kuntaluettelosta Pertunmaa puuttui)",
    ),
    "tyottomat_tyonhakijat_ka": (
        "tyonhakijat-keskiarvo",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        TURN2_DESCRIPTIONS["mean"] + " (laskettu tuonnissa; Pertunmaa puuttui tutkimusaineiston "
        "turn2 kuntaluettelosta)",
    ),
    "tyovoima": (
        "tyovoima-johdettu",
        TEM,
        "StatFin 12r5 (työnvälitystilasto)",
        "ARVIO, johdettu: työssäkäyntitilaston (StatFin 115b) työvoima 31.12.<vuosi> luettuna "
        "työnvälitystilaston jakajasta TYOVOIMATK kaksi vuotta myöhemmin (Alue KU<kuntanumero>; "
        "mittari tyovoima_jakaja), kuten lähteessä tutkimus-turn2-labour-force-115b-derived-all-1. "
        "Vuoden 2024 luvut ovat kesäkuun 2026 jakajasta (kuntajako 2025: Mäntyharjun (507) luku "
        "sisältää Pertunmaan); niiden kahden vuoden viive on päätelty, ei tarkistettu. "
        "Tilastokeskuksen 115b-luku korvaa tämän, kun se haetaan (kustannukset data paivita "
        "--taulukot 115b)",
    ),
}
# The derived labour force may exceed employed + unemployed 18-64 of the key-figures workbook by
# the unemployed of other ages only (as in turn2); the labour force of 2024 read from the 2026
# denominator is checked to be within this share of the one of 2021 (a wrong lag would show).
LABOUR_FORCE_2024_CHANGE = Fraction(1, 5)


def _rounded_count(share: str, population: int) -> int:
    """share % (one decimal) of ``population``, in whole persons, a half rounded up (exact
    integer arithmetic: tenths of a per cent times the population over 1 000)."""
    tenths = Decimal(share) * 10
    if tenths != tenths.to_integral_value():
        fail(f"osuudessa {share} on enemmän kuin yksi desimaali")
    whole, rest = divmod(int(tenths) * population, 1000)
    return whole + (1 if 2 * rest >= 1000 else 0)


def turn3(
    research: Path,
    register: list[dict[str, str]],
    figures: Figures,
    sources: Sources,
    report: list[str],
) -> None:
    """Figures of every municipality 2020-2025 (see the module's description)."""
    names = {r["kuntanumero"]: r["kunta"] for r in register}
    codes_2025 = sorted(set(names) - set(MERGERS_2025))
    receivers = set(MERGERS_2025.values())

    def tag_of(key: str):
        """The tag of a turn3 source, made when a figure first needs it."""
        source = T3[key]
        return lambda: sources.tag(
            f"turn3-{source.stem}",
            source.publisher,
            source.table,
            f"{source.description} [data-research/{TURN3}/{source.file}]",
            fetched_of(source.raw),
        )

    def derived_tag(measure: str):
        """The tag of figures derived here from turn3's."""
        stem, publisher, table, description = T3_DERIVED[measure]
        return lambda: sources.tag(
            f"turn3-{stem}", publisher, table, f"{description} [data-research/{TURN3}/]", ""
        )

    def division(key: str, code: str, year: int) -> str:
        on_2025 = T3[key].division == 2025 and year < 2025 and code in receivers
        return "2025" if on_2025 else ""

    # the research rows, each with its source known
    by_raw = {(s.measure, s.raw): k for k, s in T3.items() if s.measure}
    by_raw.update(
        {(m, T3["115b"].raw): "115b" for m in ("tyovoima_115b", "tyolliset_115b", "tyottomat_115b")}
    )
    rows: dict[str, list[dict]] = defaultdict(list)
    preliminary = {}
    for file in sorted({s.file for s in T3.values()}):
        for row in read_csv(research / TURN3 / file):
            code, name = row["kuntanumero"], row["kunta"]
            if (row["mittari"], row["lahde"]) == T3_PRELIMINARY:
                preliminary[code] = row["arvo"]
                continue
            key = by_raw.get((row["mittari"], row["lahde"]))
            if key is None:
                fail(f"{TURN3}/{file}: odottamaton lähde {row['mittari']}: {row['lahde']}")
            if names.get(code) != TURN2_NAMES.get(name, name):
                fail(f"{TURN3}/{file}: {name} ei ole kuntanumero {code}")
            match = re.fullmatch(r"(\d{4})(?:M(\d{2}))?", row["vuosi"])
            if not match:
                fail(f"{TURN3}/{file}: outo vuosi {row['vuosi']}")
            year, month = int(match[1]), int(match[2] or 0)
            if T3[key].division == 2025 and code in MERGERS_2025:
                fail(f"{TURN3}/{file}: liitetty kunta {name} kuntajaon 2025 lähteessä")
            rows[key].append({**row, "_year": year, "_month": month})

    def codes_of(key: str, year: int) -> set[str]:
        return {r["kuntanumero"] for r in rows[key] if r["_year"] == year}

    everyone_2023 = set(names)
    for key, years, expected in [
        ("vakiluku-11re", range(2020, 2024), everyone_2023),
        ("vakiluku-wfs-2022", [2022], everyone_2023),
        ("vakiluku-wfs-2024", [2024], set(codes_2025)),
        ("vakiluku-wfs-2025", [2025], set(codes_2025)),
        ("vakiluku-11re-2025", [2025], set(codes_2025)),
        ("15-64-wfs-2022", [2022], everyone_2023),
        ("15-64-wfs-2024", [2024], set(codes_2025)),
        ("15-64-wfs-2025", [2025], set(codes_2025)),
        ("osuus-159t", range(2020, 2026), set(codes_2025)),
    ]:
        for year in years:
            if codes_of(key, year) != expected:
                fail(f"{TURN3}: {key} {year}: kunnat eivät ole kuntajaon {T3[key].division} kunnat")

    # population 2020-2025: the final 2024 replaces the preliminary figures
    for key in (
        "vakiluku-11re",
        "vakiluku-wfs-2022",
        "vakiluku-wfs-2024",
        "vakiluku-wfs-2025",
        "vakiluku-11re-2025",
    ):
        for row in rows[key]:
            code, year = row["kuntanumero"], row["_year"]
            old = figures.get("vakiluku", code, year)
            replaces = year == 2024 and old is not None and old["tila"] == "ennakko"
            if replaces and preliminary.get(code) != old["arvo"]:
                fail(f"{TURN3}: {names[code]} 2024: ennakkotieto ei ole projektin ennakkotieto")
            figures.add(
                "vakiluku",
                code,
                year,
                row["arvo"],
                "lopullinen",
                tag_of(key),
                division=division(key, code, year),
                confirm=T3[key].same_file,
            )
    if len(preliminary) != len(codes_2025):
        fail(f"{TURN3}: ennakkotietoja {len(preliminary)}, odotettiin {len(codes_2025)}")

    for key in ("15-64-wfs-2022", "15-64-wfs-2024", "15-64-wfs-2025"):
        for row in rows[key]:
            code, year = row["kuntanumero"], row["_year"]
            figures.add(
                "tyoikaiset_15_64",
                code,
                year,
                row["arvo"],
                "lopullinen",
                tag_of(key),
                division=division(key, code, year),
            )

    # foreign-language speakers: the share (published) and the count (derived)
    share = {}
    for row in rows["osuus-159t"]:
        code, year = row["kuntanumero"], row["_year"]
        share[(code, year)] = row["arvo"]
        figures.add(
            "vieraskielisten_osuus",
            code,
            year,
            row["arvo"],
            "lopullinen",
            tag_of("osuus-159t"),
            division=division("osuus-159t", code, year),
        )
    for row in rows["lkm-11rm"]:  # Kangasala's counts: the ones the project has
        figures.add(
            "vieraskieliset",
            row["kuntanumero"],
            row["_year"],
            row["arvo"],
            "lopullinen",
            tag_of("lkm-11rm"),
            confirm=True,
        )
    count_tag = derived_tag("vieraskieliset")
    for (code, year), percent in sorted(share.items()):
        members = [code, *(m for m, r in MERGERS_2025.items() if r == code)]
        if year >= 2024:  # the population of 2024 and 2025 is of the 2025 division
            members = [code]
        population = 0
        for member in members:
            row = figures.get("vakiluku", member, year)
            if row is None or row["tila"] != "lopullinen":
                fail(f"{TURN3}: väkiluku {names[member]} {year} puuttuu")
            population += int(row["arvo"])
        count = _rounded_count(percent, population)
        figures.add(
            "vieraskieliset",
            code,
            year,
            str(count),
            "johdettu",
            count_tag,
            division="2025" if year < 2025 and code in receivers else "",
            derived=True,
        )
        if figures.get("vieraskieliset", code, year)["tila"] != "johdettu":
            real = figures.get("vieraskieliset", code, year)
            bound = Fraction(population, 2000) + Fraction(1, 2)
            gap = count - int(real["arvo"])
            if abs(gap) > bound:
                fail(
                    f"{TURN3}: vieraskieliset {names[code]} {year}: johdettu {count}, "
                    f"todellinen {real['arvo']}, raja ±{float(bound):.1f}"
                )
            report.append(
                f"vieraskieliset {names[code]} {year}: {real['tila']} {real['arvo']}, johdettu "
                f"{count} ({percent} % x {population}), erotus {gap:+d}, raja ±{float(bound):.1f}"
            )

    # unemployed jobseekers, monthly: Pertunmaa's months, Kangasala's January 2025, June 2026
    months: dict[tuple[str, int, int], int] = {}
    for key in ("kk-pttry", "kk-kangasala", "kk-12r5-2026"):
        for row in rows[key]:
            code, year, month = row["kuntanumero"], row["_year"], row["_month"]
            if key == "kk-pttry":
                months[(code, year, month)] = int(row["arvo"])
            figures.add(
                "tyottomat_tyonhakijat_kk",
                code,
                year,
                row["arvo"],
                "lopullinen",
                tag_of(key),
                month,
                confirm=T3[key].same_file,
            )
    pertunmaa = [c for c in MERGERS_2025]
    for code in pertunmaa:
        for year in range(2020, 2023):
            twelve = [months.get((code, year, m)) for m in range(1, 13)]
            if None in twelve:
                fail(f"{TURN3}: {names[code]} {year}: kuukausi puuttuu")
            figures.add(
                "tyottomat_tyonhakijat",
                code,
                year,
                str(twelve[11]),
                "lopullinen",
                derived_tag("tyottomat_tyonhakijat"),
            )
            mean = (Decimal(sum(twelve)) / 12).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
            figures.add(
                "tyottomat_tyonhakijat_ka",
                code,
                year,
                str(mean),
                "johdettu",
                derived_tag("tyottomat_tyonhakijat_ka"),
            )
    # ... and every other municipality's December and mean are those already imported
    for (code, year, month), value in months.items():
        if month == 12 and code not in pertunmaa:
            old = figures.get("tyottomat_tyonhakijat", code, year)
            if old is None or int(old["arvo"]) != value:
                fail(f"{TURN3}: joulukuu {names[code]} {year} ei ole kuukausi 12")

    # the 12r5 denominator (TYOVOIMATK) and the labour force derived from it
    denominator: dict[tuple[str, int], int] = {}
    for key in ("jakaja-pttry", "jakaja-12r5-2026"):
        for row in rows[key]:
            code, year = row["kuntanumero"], row["_year"]
            denominator[(code, year)] = int(row["arvo"])
            figures.add(
                "tyovoima_jakaja",
                code,
                year,
                row["arvo"],
                "lopullinen",
                tag_of(key),
                confirm=T3[key].same_file,
            )
    force_tag = derived_tag("tyovoima")
    # Pertunmaa's own years first: the merged Mäntyharju of 2024 is checked against their sum
    for (code, year), value in sorted(denominator.items(), key=lambda i: (i[0][1] == 2026, i[0])):
        if year == 2026:
            force_year, on_2025 = 2024, code in receivers
            before = figures.get("tyovoima", code, 2021)
            before_value = int(before["arvo"]) if before else None
            if on_2025:
                parts = [figures.get("tyovoima", m, 2021) for m in [code, *MERGERS_2025]]
                before_value = sum(int(p["arvo"]) for p in parts)
            if before_value is None or abs(Fraction(value - before_value, before_value)) > (
                LABOUR_FORCE_2024_CHANGE
            ):
                fail(f"{TURN3}: työvoima {names[code]} 2024 {value} / 2021 {before_value}")
        elif code in MERGERS_2025:
            force_year, on_2025 = year - 2, False
        else:
            continue  # every other municipality's is already there (turn2), from the same file
        if force_year == 2019:
            employed = figures.get("tyolliset", code, 2019)
            unemployed = figures.get("tyottomat_18_64", code, 2019)
            gap = value - int(employed["arvo"]) - int(unemployed["arvo"])
            if not 0 <= gap <= OTHER_AGES_MAX:
                fail(f"{TURN3}: työvoima {names[code]} 2019: {value}, erotus {gap}")
        figures.add(
            "tyovoima",
            code,
            force_year,
            str(value),
            "arvio",
            force_tag,
            division="2025" if on_2025 else "",
        )
    for row in rows["115b"]:  # Kangasala's real figures: the ones the project has
        figures.add(
            T3_MEASURES[row["mittari"]],
            row["kuntanumero"],
            row["_year"],
            row["arvo"],
            "lopullinen",
            tag_of("115b"),
            confirm=True,
        )

    # the unemployment rate in December, on the 2025 division; checked against the jobseekers
    # and the denominator where both are there (2020-2022)
    for row in rows["osuus-12r5"]:
        code, year, month = row["kuntanumero"], row["_year"], row["_month"]
        if month != 12:
            continue
        members = [code, *(m for m, r in MERGERS_2025.items() if r == code)]
        jobseekers = [months.get((m, year, 12)) for m in members]
        denominators = [denominator.get((m, year)) for m in members]
        if None not in jobseekers and None not in denominators:
            tenths = Fraction(1000 * sum(jobseekers), sum(denominators))
            if abs(tenths - Fraction(row["arvo"]) * 10) > Fraction(1, 2):
                fail(f"{TURN3}: työttömyysaste {names[code]} {year}: {row['arvo']} / {tenths}")
        figures.add(
            "tyottomyysaste",
            code,
            year,
            row["arvo"],
            "lopullinen",
            tag_of("osuus-12r5"),
            division=division("osuus-12r5", code, year),
            confirm=True,
        )


# --- output -----------------------------------------------------------------------------------


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def kept_sources(data: Path) -> list[dict[str, str]]:
    path = data / "tilastolahteet.csv"
    if not path.exists():
        return []
    return [
        r
        for r in read_csv(path)
        if not r["tunnus"].startswith(PREFIX) and r["tunnus"] not in FIXED_SOURCES
    ]


def main(
    research: Path = RESEARCH, data: Path = ROOT / "data", report: list[str] | None = None
) -> dict[str, int]:
    """Write ``data``; returns the number of rows written per measure. ``report`` gets a line per
    preliminary figure replaced by a final one and per derived figure that met a real one."""
    report = [] if report is None else report
    register = municipalities(research)
    figures = Figures({r["kuntanumero"]: r["kunta"] for r in register})
    sources = Sources()
    research_csvs(research, figures, sources)
    workbook(research, figures, sources)
    turn2(research, register, figures, sources)
    turn3(research, register, figures, sources, report)
    for measure, code, year, before, after in figures.replaced:
        report.append(
            f"{measure} {figures.names[code]} {year}: ennakko {before} -> lopullinen {after}"
        )

    data.mkdir(parents=True, exist_ok=True)
    (data / "tilastot").mkdir(exist_ok=True)
    write_csv(
        data / "kunnat.csv",
        ["kuntanumero", "kunta", "maakunta", "kokeilukunta", "kunta_2025", "lahde"],
        register,
    )
    fixed = [
        {"tunnus": t, "julkaisija": p, "taulukko": tb, "kuvaus": d, "haettu": "", "paivitetty": ""}
        for t, (p, tb, d) in FIXED_SOURCES.items()
    ]
    write_csv(
        data / "tilastolahteet.csv",
        SOURCE_COLUMNS,
        [*fixed, *sources.records.values(), *kept_sources(data)],
    )
    counts = {}
    for measure, rows in sorted(figures.rows.items()):
        rows = {**rows, **kept_figures(data / "tilastot" / f"{measure}.csv")}
        ordered = [rows[k] for k in sorted(rows, key=lambda k: (k[1], k[2], k[0]))]
        columns = MONTHLY_STAT_COLUMNS if measure in MONTHLY_MEASURES else STAT_COLUMNS
        if any(r.get(DIVISION) for r in ordered):
            columns = [*columns, DIVISION]
        write_csv(data / "tilastot" / f"{measure}.csv", columns, ordered)
        counts[measure] = len(ordered)
    return counts


def kept_figures(path: Path) -> dict[tuple[str, int, int], dict[str, str]]:
    """Rows of a measure file that came from elsewhere (fetched from the API): they are newer than
    the research data and win over it."""
    if not path.exists():
        return {}
    kept = {}
    for row in read_csv(path):
        tags = row["lahde"].split(" | ")
        if not all(t.startswith(PREFIX) for t in tags):
            month = int(row.get("kuukausi") or 0)
            columns = [*(MONTHLY_STAT_COLUMNS if month else STAT_COLUMNS), DIVISION]
            kept[(row["kuntanumero"], int(row["vuosi"]), month)] = {
                c: row[c] for c in columns if row.get(c)
            }
    return kept


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    translate_argparse()
    parser = Parser(
        prog="tuo_tutkimusdata.py",
        description="Tuo tutkimusaineiston julkiset luvut kansioon data/.",
    )
    parser.add_argument(
        "tutkimus",
        nargs="?",
        type=Path,
        default=RESEARCH,
        metavar="TUTKIMUSKANSIO",
        help=f"tutkimusaineisto (oletus {RESEARCH})",
    )
    parser.add_argument(
        "data",
        nargs="?",
        type=Path,
        default=ROOT / "data",
        metavar="DATAKANSIO",
        help="kirjoitettava datakansio (oletus data/)",
    )
    args = parser.parse_args(argv)
    if not args.tutkimus.is_dir():
        parser.error(f"tutkimuskansiota ei ole: {args.tutkimus}")
    return args


if __name__ == "__main__":
    args = parse_arguments(sys.argv[1:])
    lines: list[str] = []
    result = main(args.tutkimus, args.data, report=lines)
    for measure, n in result.items():
        print(f"tilastot/{measure}.csv: {n} riviä")
    for line in lines:
        print(line)
