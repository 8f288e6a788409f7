"""Import the public figures gathered in ``../shared/data-research/`` into ``data/``.

Run from the project root: ``python tools/tuo_tutkimusdata.py [TUTKIMUSKANSIO] [DATAKANSIO]``.

It writes the municipality register ``kunnat.csv`` (every municipality of Finland in the 2023
division, with its region), the sources ``tilastolahteet.csv`` and one tidy file per measure in
``tilastot/``. Nothing is estimated here: each figure is copied from its input row or cell, and the
only figures derived here are exact sums of published counts, which their source says they are.

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
  Pertunmaa (588), merged into Mäntyharju on 1.1.2025, is absent and stays missing, while
  Mäntyharju's figures are its own (the 2019 check above would fail otherwise).
- A figure given by two sources with the same value keeps both; two sources that disagree stop the
  import.

The raw files stay where they are: the package reads only the small tidy files written here. Files
of ``tilastot/`` that this import does not write (figures fetched with ``kustannukset data
paivita``) are kept, and their sources too.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

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

MUNICIPALITY_SOURCE = "mml-kuntajako-2023"
EXPERIMENT_SOURCE = "kustannustenjakoliite-2023"
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
                "lahde": MUNICIPALITY_SOURCE
                + (f" | {EXPERIMENT_SOURCE}" if code in experiment else ""),
            }
        )
    missing = set(experiment) - {r["kuntanumero"] for r in rows}
    if missing:
        fail(f"kokeilukunnat puuttuvat kuntarajoista: {sorted(missing)}")
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
    row. ``month`` is 0 for a year's figure."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.rows: dict[str, dict[tuple[str, int, int], dict[str, str]]] = defaultdict(dict)

    def add(
        self, measure: str, code: str, year: int, value: str, status: str, tag: str, month: int = 0
    ) -> None:
        if code not in self.names:
            fail(f"{measure}: tuntematon kuntanumero {code}")
        if bool(month) != (measure in MONTHLY_MEASURES):
            fail(f"{measure}: kuukausi {month} ei sovi mittariin")
        rows = self.rows[measure]
        old = rows.get((code, year, month))
        if old is None:
            rows[(code, year, month)] = {
                "mittari": measure,
                "kuntanumero": code,
                "kunta": self.names[code],
                "vuosi": str(year),
                **({"kuukausi": str(month)} if month else {}),
                "arvo": value,
                "tila": status,
                "lahde": tag,
            }
        elif old["arvo"] != value or old["tila"] != status:
            fail(
                f"{measure} {self.names[code]} {year}{f'M{month:02d}' if month else ''}: "
                "lähteet eroavat "
                f"({old['arvo']} {old['tila']} / {value} {status})"
            )
        elif tag not in old["lahde"].split(" | "):
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


def main(research: Path = RESEARCH, data: Path = ROOT / "data") -> dict[str, int]:
    """Write ``data``; returns the number of rows written per measure."""
    register = municipalities(research)
    figures = Figures({r["kuntanumero"]: r["kunta"] for r in register})
    sources = Sources()
    research_csvs(research, figures, sources)
    workbook(research, figures, sources)
    turn2(research, register, figures, sources)

    data.mkdir(parents=True, exist_ok=True)
    (data / "tilastot").mkdir(exist_ok=True)
    write_csv(
        data / "kunnat.csv", ["kuntanumero", "kunta", "maakunta", "kokeilukunta", "lahde"], register
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
            columns = MONTHLY_STAT_COLUMNS if month else STAT_COLUMNS
            kept[(row["kuntanumero"], int(row["vuosi"]), month)] = {
                c: row.get(c, "") for c in columns
            }
    return kept


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    result = main(*args)
    for measure, n in result.items():
        print(f"tilastot/{measure}.csv: {n} riviä")
