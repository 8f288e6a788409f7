"""Municipalities and their statistics: one tidy table that every formula and notebook reads.

``data/kunnat.csv`` lists the municipalities (code as a three-digit string, name, region, whether it
took part in the experiment). ``data/tilastot/*.csv`` hold the statistics, one row per figure::

    mittari,kuntanumero,kunta,vuosi,arvo,tila,taulukko,lahde,haettu

``vuosi`` is the statistical year (for stock figures, the situation on 31.12. of that year),
``tila`` is ``lopullinen`` (final), ``ennakko`` (preliminary), ``arvio`` (estimate) or ``esimerkki``
(example), and ``lahde`` names the public source. Loading validates every row; a mistake is an
error that names the file, the row and the column.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kustannukset.csvio import read_table
from kustannukset.errors import InputError
from kustannukset.paths import DATA_DIR

STAT_COLUMNS = [
    "mittari",
    "kuntanumero",
    "kunta",
    "vuosi",
    "arvo",
    "tila",
    "taulukko",
    "lahde",
    "haettu",
]
REQUIRED_STAT_COLUMNS = ["mittari", "kuntanumero", "kunta", "vuosi", "arvo", "tila", "lahde"]
STATUSES = {
    "lopullinen": "lopullinen",
    "ennakko": "ennakkotieto",
    "arvio": "arvio",
    "esimerkki": "esimerkki – ei todellinen luku",
}


@dataclass(frozen=True)
class Measure:
    code: str
    name: str  # Finnish, as shown to users
    unit: str
    zero_allowed: bool = True


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        Measure("vakiluku", "Väkiluku 31.12.", "henkilöä", zero_allowed=False),
        Measure("vieraskieliset", "Vieraskieliset 31.12.", "henkilöä"),
        Measure("tyoikaiset_15_64", "15–64-vuotiaat 31.12.", "henkilöä", zero_allowed=False),
        Measure("tyoikaiset_18_64", "18–64-vuotiaat 31.12.", "henkilöä", zero_allowed=False),
        Measure("tyoikaiset_20_64", "20–64-vuotiaat 31.12.", "henkilöä", zero_allowed=False),
        Measure("tyolliset", "Alueella asuva työllinen työvoima", "henkilöä"),
        Measure("tyolliset_18_64", "Työlliset, 18–64-vuotiaat", "henkilöä"),
        Measure("tyottomat", "Työttömät (työssäkäyntitilasto)", "henkilöä"),
        Measure("tyottomat_18_64", "Työttömät, 18–64-vuotiaat (työssäkäyntitilasto)", "henkilöä"),
        Measure("tyovoima", "Työvoima (työssäkäyntitilasto)", "henkilöä"),
        Measure("tyottomat_tyonhakijat", "Työttömät työnhakijat joulukuussa", "henkilöä"),
        Measure("tyottomyysaste", "Työttömien työnhakijoiden osuus työvoimasta, joulukuu", "%"),
    ]
}


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


@dataclass(frozen=True)
class Municipalities:
    """The municipality register: code -> name, region and experiment membership."""

    table: pd.DataFrame  # index kuntanumero (str); columns kunta, maakunta, kokeilukunta, lahde
    path: Path

    def name(self, code: str) -> str:
        return str(self.table.at[code, "kunta"])

    def code_of(self, name: str) -> str:
        matches = self.table.index[self.table["kunta"] == name]
        if len(matches) == 0:
            raise InputError(f"tuntematon kunta '{name}'{_suggest(name, self.table['kunta'])}")
        return str(matches[0])

    @property
    def experiment(self) -> list[str]:
        """Codes of the experiment municipalities, in code order."""
        return sorted(self.table.index[self.table["kokeilukunta"]])

    def check(self, code: str, name: str | None, *, file: Path, row: int) -> None:
        """An unknown code, or a name that is not the code's name, is an error."""
        if code not in self.table.index:
            hint = ""
            if name and name in set(self.table["kunta"]):
                hint = f" ({name} on kuntanumero {self.code_of(name)})"
            raise InputError(
                f"tuntematon kuntanumero '{code}'{hint}", file=file, row=row, column="kuntanumero"
            )
        if name is not None and name != self.name(code):
            raise InputError(
                f"kunta '{name}' ei vastaa kuntanumeroa {code} ({self.name(code)})"
                f"{_suggest(name, self.table['kunta'])}",
                file=file,
                row=row,
                column="kunta",
            )


def load_municipalities(data_dir: Path = DATA_DIR) -> Municipalities:
    path = Path(data_dir) / "kunnat.csv"
    table = read_table(path, ["kuntanumero", "kunta", "maakunta", "kokeilukunta", "lahde"])
    records = []
    seen: dict[str, int] = {}
    for row in table.rows:
        code = row["kuntanumero"]
        if not (len(code) == 3 and code.isdigit()):
            raise InputError(
                f"kuntanumeron pitää olla kolme numeroa (esim. '020'), ei '{code}'",
                file=path,
                row=row.line,
                column="kuntanumero",
            )
        if code in seen:
            raise InputError(
                f"kuntanumero {code} on kahdesti (myös rivillä {seen[code]})",
                file=path,
                row=row.line,
                column="kuntanumero",
            )
        seen[code] = row.line
        flag = row["kokeilukunta"].lower()
        if flag not in ("kyllä", "ei"):
            raise InputError(
                f"kokeilukunta pitää olla 'kyllä' tai 'ei', ei '{row['kokeilukunta']}'",
                file=path,
                row=row.line,
                column="kokeilukunta",
            )
        if not row["lahde"]:
            raise InputError("lähde puuttuu", file=path, row=row.line, column="lahde")
        records.append(
            {
                "kuntanumero": code,
                "kunta": row["kunta"],
                "maakunta": row["maakunta"],
                "kokeilukunta": flag == "kyllä",
                "lahde": row["lahde"],
            }
        )
    frame = pd.DataFrame.from_records(records).set_index("kuntanumero")
    return Municipalities(table=frame, path=path)


@dataclass(frozen=True)
class Statistics:
    """All statistics of a data folder, validated, in one tidy table."""

    table: pd.DataFrame  # columns STAT_COLUMNS + 'tiedosto', 'rivi'; kuntanumero str, vuosi int
    municipalities: Municipalities
    data_dir: Path

    def values(
        self, measure: str, year: int, codes: Iterable[str], *, purpose: str = ""
    ) -> dict[str, Fraction]:
        """The figures of one measure and year for the given municipalities, exactly.

        A missing figure is an error that names the municipality, the measure and the year; it is
        never taken as zero.
        """
        rows = self.table[(self.table["mittari"] == measure) & (self.table["vuosi"] == year)]
        by_code = dict(zip(rows["kuntanumero"], rows["arvo"], strict=True))
        result = {}
        for code in codes:
            if code not in by_code:
                label = MEASURES[measure].name if measure in MEASURES else measure
                where = self.files_of(measure)
                raise InputError(
                    f"{label} vuodelta {year} puuttuu kunnalta {self.municipalities.name(code)} "
                    f"({code}){' – tarvitaan: ' + purpose if purpose else ''}",
                    file=where[0] if len(where) == 1 else self.data_dir / "tilastot",
                    column="arvo",
                )
            result[code] = Fraction(by_code[code])
        return result

    def rows(self, measure: str, year: int | None = None) -> pd.DataFrame:
        mask = self.table["mittari"] == measure
        if year is not None:
            mask &= self.table["vuosi"] == year
        return self.table[mask]

    def files_of(self, measure: str) -> list[Path]:
        return sorted({Path(f) for f in self.rows(measure)["tiedosto"]}) or [
            self.data_dir / "tilastot" / f"{measure}.csv"
        ]

    def years(self, measure: str) -> list[int]:
        return sorted(set(self.rows(measure)["vuosi"]))


def load_statistics(
    data_dir: Path = DATA_DIR, municipalities: Municipalities | None = None
) -> Statistics:
    """Read and validate every ``data/tilastot/*.csv``."""
    data_dir = Path(data_dir)
    municipalities = municipalities or load_municipalities(data_dir)
    folder = data_dir / "tilastot"
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise InputError("tilastotiedostoja (*.csv) ei löydy", file=folder)
    records = []
    seen: dict[tuple[str, str, int], tuple[Path, int]] = {}
    for path in files:
        table = read_table(path, REQUIRED_STAT_COLUMNS)
        for row in table.rows:
            measure = row["mittari"]
            if measure not in MEASURES:
                raise InputError(
                    f"tuntematon mittari '{measure}'{_suggest(measure, MEASURES)}",
                    file=path,
                    row=row.line,
                    column="mittari",
                )
            code = row["kuntanumero"]
            municipalities.check(code, row["kunta"], file=path, row=row.line)
            year_text = row["vuosi"]
            if not (len(year_text) == 4 and year_text.isdigit()):
                raise InputError(
                    f"vuoden pitää olla nelinumeroinen, ei '{year_text}'",
                    file=path,
                    row=row.line,
                    column="vuosi",
                )
            year = int(year_text)
            value = table.number(row, "arvo")
            if value < 0 or (value == 0 and not MEASURES[measure].zero_allowed):
                raise InputError(
                    f"{MEASURES[measure].name} ei voi olla "
                    f"{'nolla' if value == 0 else 'negatiivinen'} ({row['arvo']})",
                    file=path,
                    row=row.line,
                    column="arvo",
                )
            status = row["tila"]
            if status not in STATUSES:
                raise InputError(
                    f"tuntematon tila '{status}' (sallitut: {', '.join(STATUSES)})",
                    file=path,
                    row=row.line,
                    column="tila",
                )
            if not row["lahde"]:
                raise InputError("lähde puuttuu", file=path, row=row.line, column="lahde")
            key = (measure, code, year)
            if key in seen:
                other_path, other_line = seen[key]
                raise InputError(
                    f"sama luku ({measure}, {row['kunta']}, {year}) on kahdesti; toinen: "
                    f"{other_path.name} rivi {other_line}",
                    file=path,
                    row=row.line,
                    column="kuntanumero",
                )
            seen[key] = (path, row.line)
            records.append(
                {
                    "mittari": measure,
                    "kuntanumero": code,
                    "kunta": row["kunta"],
                    "vuosi": year,
                    "arvo": value,
                    "tila": status,
                    "taulukko": row["taulukko"],
                    "lahde": row["lahde"],
                    "haettu": row["haettu"],
                    "tiedosto": str(path),
                    "rivi": row.line,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=[*STAT_COLUMNS, "tiedosto", "rivi"])
    return Statistics(table=frame, municipalities=municipalities, data_dir=data_dir)
