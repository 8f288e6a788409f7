"""Import the public figures gathered in ``../shared/data-research/`` into ``data/``.

Run from the project root: ``python tools/tuo_tutkimusdata.py [TUTKIMUSKANSIO] [DATAKANSIO]``.

It writes the municipality register ``kunnat.csv`` (every municipality of Finland in the 2023
division, with its region), the sources ``tilastolahteet.csv`` and one tidy file per measure in
``tilastot/``. Nothing is estimated: each figure is copied from its input row or cell, and the only
derived figures are exact sums of published counts, which their source says they are.

- The research CSVs keep their provenance: each row's source text becomes a source whose description
  has the row's municipality code and year replaced by ``<kuntanumero>`` and ``<vuosi>``; the import
  checks that the description gives back the row's exact text.
- ``kuntien-avainluvut-2015-2019.xlsx`` gives seven measures for every municipality in 2015 and
  2019 (1.1.2020 division). Honkajoki joined Kankaanpää on 1.1.2021, so Kankaanpää's counts are
  the sum of the two rows, as Statistics Finland itself combines merged municipalities; the
  20–64-year-olds are the sum of the sixteen five-year columns from 20–24 to 60–64.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESEARCH = ROOT.parent / "shared" / "data-research"
STAT_COLUMNS = ["mittari", "kuntanumero", "kunta", "vuosi", "arvo", "tila", "lahde"]
SOURCE_COLUMNS = ["tunnus", "julkaisija", "taulukko", "kuvaus", "haettu", "paivitetty"]
PREFIX = "tutkimus-"  # tags of the sources this import writes (others are kept as they are)

# research CSV -> (measure, status); the year column may be "2024M12" (taken as 31.12.2024)
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


def template(text: str, code: str, year: int) -> str:
    """The source text with the row's own code and year as placeholders; checked to give it back."""
    out = text.replace(f"KU{code}", "KU<kuntanumero>")
    out = re.sub(rf"(?<![0-9A-Za-z-]){year}(?![0-9])", "<vuosi>", out)
    if out.replace("<kuntanumero>", code).replace("<vuosi>", str(year)) != text:
        fail(f"lähdetekstistä ei saa mallia: {text}")
    return out


def publisher_table(source: str) -> tuple[str, str]:
    for needle, found in TABLES:
        if needle in source:
            return found
    fail(f"taulukkoa ei tunnistettu lähteestä: {source}")
    raise AssertionError


def fetched_of(source: str) -> str:
    # The Kangasala repository cached the API responses on 2025-03-19 (data-research/README.md).
    return "2025-03-19" if "Kangasalakehitys/kuukausiraportti@5aa26432" in source else ""


# --- figures ----------------------------------------------------------------------------------


class Figures:
    """measure -> (code, year) -> row; a second source with the same value is added to the row."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.rows: dict[str, dict[tuple[str, int], dict[str, str]]] = defaultdict(dict)

    def add(self, measure: str, code: str, year: int, value: str, status: str, tag: str) -> None:
        if code not in self.names:
            fail(f"{measure}: tuntematon kuntanumero {code}")
        rows = self.rows[measure]
        old = rows.get((code, year))
        if old is None:
            rows[(code, year)] = {
                "mittari": measure,
                "kuntanumero": code,
                "kunta": self.names[code],
                "vuosi": str(year),
                "arvo": value,
                "tila": status,
                "lahde": tag,
            }
        elif old["arvo"] != value or old["tila"] != status:
            fail(
                f"{measure} {self.names[code]} {year}: lähteet eroavat "
                f"({old['arvo']} {old['tila']} / {value} {status})"
            )
        elif tag not in old["lahde"].split(" | "):
            old["lahde"] += " | " + tag


def research_csvs(research: Path, figures: Figures, sources: Sources) -> None:
    for name, (measure, status) in FILES.items():
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
            publisher, table = publisher_table(source)
            description = f"{template(source, row['code'], year)} [data-research/{name}]"
            tag = sources.tag(stem, publisher, table, description, fetched_of(source))
            row_status = "ennakko" if "PRELIMINARY" in source else status
            figures.add(measure, row["code"], year, row["value"], row_status, tag)


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
        ordered = [rows[k] for k in sorted(rows, key=lambda k: (k[1], k[0]))]
        write_csv(data / "tilastot" / f"{measure}.csv", STAT_COLUMNS, ordered)
        counts[measure] = len(ordered)
    return counts


def kept_figures(path: Path) -> dict[tuple[str, int], dict[str, str]]:
    """Rows of a measure file that came from elsewhere (fetched from the API): they are newer than
    the research data and win over it."""
    if not path.exists():
        return {}
    kept = {}
    for row in read_csv(path):
        tags = row["lahde"].split(" | ")
        if not all(t.startswith(PREFIX) for t in tags):
            kept[(row["kuntanumero"], int(row["vuosi"]))] = {
                c: row.get(c, "") for c in STAT_COLUMNS
            }
    return kept


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]]
    result = main(*args)
    for measure, n in result.items():
        print(f"tilastot/{measure}.csv: {n} riviä")
