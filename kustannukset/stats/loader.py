"""Municipalities and their statistics: one tidy table that every formula and notebook reads.

``data/kunnat.csv`` lists the municipalities (code as a three-digit string, name, region, whether it
took part in the experiment). ``data/tilastot/*.csv`` hold the statistics, one row per figure::

    mittari,kuntanumero,kunta,vuosi,arvo,tila,lahde

``vuosi`` is the statistical year (for stock figures, the situation on 31.12. of that year). A
monthly measure (:attr:`Measure.monthly`, e.g. the jobseekers on each month's count day) has a
``kuukausi`` column (1–12) as well; in the loaded table ``kuukausi`` is 0 for a year's figure.
``tila`` is ``lopullinen`` (final), ``ennakko`` (preliminary), ``johdettu`` (computed from published
figures, the computation stated in its source), ``arvio`` (estimate) or ``esimerkki`` (example).
``lahde`` is either the tag of a source in ``data/tilastolahteet.csv`` (several tags, when two
sources give the same figure, are joined by `` | ``) or the source written out; a row may also carry
``taulukko`` and ``haettu`` columns of its own. The sources file says who published the figure, in
which table, where exactly it was read (``<kuntanumero>`` and ``<vuosi>`` in its ``kuvaus`` stand
for the row's own, and ``<kuukausi>`` for a monthly row's month) and when it was fetched.

Loading validates every row (codes are strings of three digits, no duplicates, no negatives, known
measure, status and source); a mistake is an error that names the file, the row and the column.
An implausible jump from one year (or month) to the next is not an error, since real figures do
jump, but it is warned about (:class:`JumpWarning`) and listed in :attr:`Statistics.warnings`.

Two municipal divisions: figures up to 2024 are of the 2023 division (the register's 309
municipalities), figures from 2025 of the 2025 division, in which a merged municipality is part of
the one it joined (the register's column ``kunta_2025``: Pertunmaa 588 joined Mäntyharju 507 on
1.1.2025). Some sources publish earlier years on the 2025 division too: such a row says
``kuntajako`` 2025, and for a municipality that took in another its figure is then the merged
area's, never its own. :meth:`Statistics.values` gives a year's figures on that year's division;
:meth:`Statistics.values_2025` gives any year's figures on the 2025 division, adding the merged
municipalities' earlier figures together and saying so (:class:`DivisionValues`).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from kustannukset.core.csvio import Row, Table, parse_number, read_columns, read_table
from kustannukset.core.errors import InputError
from kustannukset.core.guarded import check_file, data_files, present, read_bytes
from kustannukset.core.memo import Recent
from kustannukset.core.paths import DATA_DIR, display_path
from kustannukset.core.replace import complete_journal
from kustannukset.core.years import parse_year

STAT_COLUMNS = [
    "mittari",
    "kuntanumero",
    "kunta",
    "vuosi",
    "kuukausi",
    "arvo",
    "tila",
    "taulukko",
    "lahde",
    "haettu",
    "julkaisija",
    "lahdetunnus",
    "kuntajako",
]
FILE_COLUMNS = ["mittari", "kuntanumero", "kunta", "vuosi", "arvo", "tila", "lahde"]
MONTHLY_FILE_COLUMNS = [
    "mittari",
    "kuntanumero",
    "kunta",
    "vuosi",
    "kuukausi",
    "arvo",
    "tila",
    "lahde",
]
REQUIRED_STAT_COLUMNS = FILE_COLUMNS
STATUSES = {
    "lopullinen": "lopullinen",
    "ennakko": "ennakkotieto",
    "johdettu": "johdettu julkaistuista luvuista",
    "arvio": "arvio",
    "esimerkki": "esimerkki – ei todellinen luku",
}
SOURCES_FILE = "tilastolahteet.csv"
SOURCE_COLUMNS = ["tunnus", "julkaisija", "taulukko", "kuvaus", "haettu", "paivitetty"]
SOURCE_SEPARATOR = " | "
CODE_PLACEHOLDER = "<kuntanumero>"
YEAR_PLACEHOLDER = "<vuosi>"
MONTH_PLACEHOLDER = "<kuukausi>"
_TAG = re.compile(r"^[a-z0-9][a-z0-9._:-]*$")

# The municipal divisions: the register's (2023, 309 municipalities) and the one from 1.1.2025
# (308: Pertunmaa in Mäntyharju). A figure's division is that of its year unless its row says
# ``kuntajako`` 2025 (a source that publishes earlier years on the 2025 division).
DIVISION_2023 = 2023
DIVISION_2025 = 2025
DIVISION_COLUMN = "kuntajako"
SUCCESSOR_COLUMN = "kunta_2025"


def division_of_year(year: int) -> int:
    """The municipal division a year's figures are on unless their row says otherwise."""
    return DIVISION_2025 if year >= DIVISION_2025 else DIVISION_2023


# No municipality can hold more people than Finland (5.6 million residents at the end of 2023,
# Statistics Finland, table 11ra); a count above ten million is a slipped digit, not a figure.
MAX_PEOPLE = 10_000_000


@dataclass(frozen=True)
class Measure:
    """A statistic, and how far it may plausibly move from one year to the next.

    A change is flagged when it exceeds both ``max_change`` (relative to the earlier year) and
    ``min_change`` (in the measure's unit), so that small municipalities' counts may move by a few
    people without a warning. A monthly measure's figure is compared with the month before.
    """

    code: str
    name: str  # Finnish, as shown to users
    unit: str
    zero_allowed: bool = True
    max_change: float = 0.5
    min_change: float = 50
    table: str = ""  # the StatFin table ``kustannukset data paivita`` fetches it from
    monthly: bool = False  # one figure per month (column ``kuukausi``), not per year
    # The plausible range is 0 ..= maximum; a figure outside it is an error, never a warning.
    maximum: int = MAX_PEOPLE
    integer: bool = True  # a count of people: a fraction is an error
    # A count: a merged municipality's figure is the sum of its parts' figures. A share (%) is
    # not, and is taken on the 2025 division only where a source gives it so.
    additive: bool = True

    def file_columns(self) -> list[str]:
        return MONTHLY_FILE_COLUMNS if self.monthly else FILE_COLUMNS


MEASURES: dict[str, Measure] = {
    m.code: m
    for m in [
        Measure("vakiluku", "Väkiluku 31.12.", "henkilöä", False, 0.1, 50, "11re"),
        # A small municipality's foreign-language speakers may double in a year when a workplace
        # hires abroad: Pyhäntä 40 -> 91 (2020-2021), Lumijoki 34 -> 91 (2022-2023), both shares
        # as published (StatFin 159t). A slipped digit in a count above a dozen moves it by more
        # than 100.
        Measure("vieraskieliset", "Vieraskieliset 31.12.", "henkilöä", True, 1.0, 100, "11rm"),
        Measure("tyoikaiset_15_64", "15–64-vuotiaat 31.12.", "henkilöä", False, 0.1, 50, "11re"),
        Measure("tyoikaiset_18_64", "18–64-vuotiaat 31.12.", "henkilöä", False, 0.1, 50, "11re"),
        Measure("tyoikaiset_20_64", "20–64-vuotiaat 31.12.", "henkilöä", False, 0.1, 50, "11re"),
        Measure(
            "tyolliset", "Alueella asuva työllinen työvoima", "henkilöä", True, 0.2, 50, "115b"
        ),
        Measure("tyolliset_18_64", "Työlliset, 18–64-vuotiaat", "henkilöä", True, 0.2, 50),
        Measure("tyottomat", "Työttömät (työssäkäyntitilasto)", "henkilöä", True, 1.0, 50, "115b"),
        Measure(
            "tyottomat_18_64",
            "Työttömät, 18–64-vuotiaat (työssäkäyntitilasto)",
            "henkilöä",
            True,
            1.0,
            50,
        ),
        Measure(
            "tyovoima", "Työvoima (työssäkäyntitilasto) 31.12.", "henkilöä", True, 0.2, 50, "115b"
        ),
        # The jobseeker counts may multiply: in April 2020 lay-offs took Uusikaupunki from 605 to
        # 2 238 in a month and Lemland from 18 (December 2019) to 81 (December 2020). A slipped
        # digit (ten-fold) is still flagged.
        Measure(
            "tyottomat_tyonhakijat",
            "Työttömät työnhakijat joulukuussa",
            "henkilöä",
            True,
            4.0,
            50,
            "12r5",
        ),
        Measure(
            "tyottomat_tyonhakijat_kk",
            "Työttömät työnhakijat kuukauden laskentapäivänä",
            "henkilöä",
            True,
            4.0,
            50,
            "12r5",
            monthly=True,
        ),
        Measure(
            "tyottomat_tyonhakijat_ka",
            "Työttömät työnhakijat, vuoden kuukausien keskiarvo",
            "henkilöä",
            True,
            4.0,
            50,
            "12r5",
            integer=False,  # an average of twelve counts
        ),
        Measure(
            "tyovoima_jakaja",
            "Työttömien osuuden jakaja: työssäkäyntitilaston työvoima kaksi vuotta aiemmin, "
            "työnvälitystilaston vuosi",
            "henkilöä",
            True,
            0.2,
            50,
            "12r5",
        ),
        # Pyhäntä's December rate doubled from 2022 to 2023 (7,2 -> 14,5 %; the months between
        # rise step by step in 12r5); a slipped digit or decimal moves a rate by far more than
        # 10 points.
        Measure(
            "tyottomyysaste",
            "Työttömien työnhakijoiden osuus työvoimasta, joulukuu",
            "%",
            True,
            1.0,
            10,
            "12r5",
            maximum=100,
            integer=False,
            additive=False,
        ),
        # Statistics Finland's key figures (table 159t) give the share with one decimal for every
        # municipality; a small one moves by points (Sottunga 1,0 % in 2020, 4,8 % in 2021).
        Measure(
            "vieraskielisten_osuus",
            "Vieraskielisten osuus väestöstä 31.12.",
            "%",
            True,
            1.0,
            5,
            maximum=100,
            integer=False,
            additive=False,
        ),
    ]
}


def check_range(value: Fraction, measure: Measure, text: str, *, file: Path, row: int) -> None:
    """A figure above the measure's plausible maximum, or a fraction of people, is an error."""
    if value > measure.maximum:
        raise InputError(
            f"{measure.name}: {text} on epäuskottavan suuri (enintään "
            f"{measure.maximum:,} {measure.unit})".replace(",", " "),
            file=file,
            row=row,
            column="arvo",
        )
    if measure.integer and value.denominator != 1:
        raise InputError(
            f"{measure.name} on henkilömäärä: arvon pitää olla kokonaisluku, ei {text}",
            file=file,
            row=row,
            column="arvo",
        )


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


@dataclass(frozen=True)
class Municipalities:
    """The municipality register: code -> name, region and experiment membership, and the
    municipality of the 2025 division each belongs to."""

    # index kuntanumero (str); columns kunta, maakunta, kokeilukunta, lahde, kunta_2025
    table: pd.DataFrame
    path: Path

    @functools.cached_property
    def _members_2025(self) -> dict[str, tuple[str, ...]]:
        members: dict[str, list[str]] = {}
        for code, successor in self.table[SUCCESSOR_COLUMN].items():
            members.setdefault(str(successor), []).append(str(code))
        return {c: tuple(sorted(m, key=lambda x: (x != c, x))) for c, m in members.items()}

    @functools.cached_property
    def _successors(self) -> dict[str, str]:
        return {str(c): str(s) for c, s in self.table[SUCCESSOR_COLUMN].items()}

    def successor(self, code: str) -> str:
        """The municipality of the 2025 division that ``code`` is (or is part of)."""
        return self._successors[code]

    def members_2025(self, code: str) -> tuple[str, ...]:
        """The register's municipalities that form ``code`` of the 2025 division, itself first:
        ('507', '588') for Mäntyharju, (code,) for one that took in none."""
        return self._members_2025[code]

    @property
    def all_2025(self) -> list[str]:
        """Codes of the 2025 division (the register without the merged municipalities)."""
        return sorted(self._members_2025)

    def in_region_2025(self, region: str) -> list[str]:
        """Codes of a region's municipalities in the 2025 division."""
        return [c for c in self.in_region(region) if c in self._members_2025]

    @functools.cached_property
    def receivers(self) -> frozenset[str]:
        """The municipalities that took in another one: their 2025 figures are not their own."""
        return frozenset(c for c, m in self._members_2025.items() if len(m) > 1)

    def merged_into(self, code: str) -> str | None:
        """The municipality a merged one joined, or None for one that goes on as it is."""
        successor = self.successor(code)
        return None if successor == code else successor

    def merger(self, code: str) -> str:
        """'Pertunmaa (588) liitetty kuntaan Mäntyharju (507) 1.1.2025' for a merged municipality
        or the one that took it in."""
        receiver = self.successor(code)
        merged = [c for c in self.members_2025(receiver) if c != receiver]
        return "; ".join(
            f"{self.name(c)} ({c}) liitetty kuntaan {self.name(receiver)} ({receiver}) "
            f"1.1.{DIVISION_2025}"
            for c in merged
        )

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        return {str(code): str(name) for code, name in self.table["kunta"].items()}

    def name(self, code: str) -> str:
        return self._names[code]

    def code_of(self, name: str) -> str:
        matches = self.table.index[self.table["kunta"] == name]
        if len(matches) == 0:
            raise InputError(f"tuntematon kunta '{name}'{_suggest(name, self.table['kunta'])}")
        return str(matches[0])

    @functools.cached_property
    def _experiment(self) -> tuple[str, ...]:
        return tuple(sorted(self.table.index[self.table["kokeilukunta"]]))

    @functools.cached_property
    def _codes_by_lower_name(self) -> dict[str, str]:
        codes: dict[str, str] = {}
        for code, name in self.table["kunta"].items():
            codes.setdefault(str(name).lower(), str(code))
        return codes

    @property
    def experiment(self) -> list[str]:
        """Codes of the experiment municipalities, in code order."""
        return list(self._experiment)

    def code_for_name(self, name: str) -> str | None:
        """The code of the municipality of this name, in any letter case; None if there is none."""
        return self._codes_by_lower_name.get(name.lower())

    def in_region(self, region: str) -> list[str]:
        """Codes of a region's municipalities (``maakunta``), in code order."""
        return sorted(self.table.index[self.table["maakunta"] == region])

    def region_named(self, name: str) -> str:
        """The register's region of this name in any letter case; an unknown one is an error
        that suggests the closest."""
        regions = {str(r).lower(): str(r) for r in set(self.table["maakunta"])}
        found = regions.get(name.strip().lower())
        if found is None:
            close = difflib.get_close_matches(name.strip().lower(), list(regions), n=1, cutoff=0.6)
            hint = f" (tarkoititko '{regions[close[0]]}'?)" if close else ""
            raise InputError(
                f"tuntematon maakunta '{name}'{hint}; maakunnat: "
                + ", ".join(sorted(regions.values()))
            )
        return found

    @property
    def all(self) -> list[str]:
        return sorted(self.table.index)

    def check(self, code: str, name: str | None, *, file: Path, row: int) -> None:
        """An unknown code, or a name that is not the code's name, is an error."""
        if code not in self._names:
            if name and len(code) == 3 and code.isdigit() and name not in set(self.table["kunta"]):
                # Neither the code nor the name is in the register: the register lacks the
                # municipality (a deleted row), so the register is the file to fix.
                raise InputError(
                    f"kunta {name} ({code}) puuttuu kuntaluettelosta; sitä käytetään "
                    f"tiedostossa {display_path(Path(file))} rivillä {row}",
                    file=self.path,
                    column="kuntanumero",
                )
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
                # empty (or no such column): the municipality goes on as it is in 2025
                SUCCESSOR_COLUMN: row[SUCCESSOR_COLUMN] or code,
                "_rivi": row.line,
            }
        )
    if not records:
        raise InputError("tiedostossa ei ole yhtään kuntaa (vain otsikkorivi)", file=path, row=2)
    successors = {r["kuntanumero"]: r[SUCCESSOR_COLUMN] for r in records}
    names = {r["kuntanumero"]: r["kunta"] for r in records}
    for record in records:
        code, successor = record["kuntanumero"], record[SUCCESSOR_COLUMN]
        if successor == code:
            continue
        if successor not in successors:
            raise InputError(
                f"kunta {record['kunta']} ({code}) on kuntajaossa {DIVISION_2025} osa kuntaa "
                f"'{successor}', jota ei ole kuntaluettelossa",
                file=path,
                row=record["_rivi"],
                column=SUCCESSOR_COLUMN,
            )
        if successors[successor] != successor:
            raise InputError(
                f"kunta {record['kunta']} ({code}) on kuntajaossa {DIVISION_2025} osa kuntaa "
                f"{names[successor]} ({successor}), joka itse on osa kuntaa "
                f"{successors[successor]}: anna kunta, johon kumpikin kuuluu",
                file=path,
                row=record["_rivi"],
                column=SUCCESSOR_COLUMN,
            )
    frame = pd.DataFrame.from_records(records).drop(columns="_rivi").set_index("kuntanumero")
    return Municipalities(table=frame, path=path)


@dataclass(frozen=True)
class Source:
    """Where figures were read: publisher, table, the exact place, and when."""

    tag: str
    publisher: str
    table: str
    description: str  # may hold <kuntanumero>, <vuosi> and <kuukausi>
    fetched: str = ""  # when the figures were fetched from the publisher's API (ISO date or time)
    updated: str = ""  # when the publisher last updated the table, as the API says

    def describe(self, code: str, year: int, month: int = 0) -> str:
        text = self.description.replace(CODE_PLACEHOLDER, code).replace(YEAR_PLACEHOLDER, str(year))
        return text.replace(MONTH_PLACEHOLDER, f"{month:02d}") if month else text


def load_sources(data_dir: Path = DATA_DIR) -> dict[str, Source]:
    """``data/tilastolahteet.csv``, or nothing if a data folder has no such file."""
    path = Path(data_dir) / SOURCES_FILE
    if not present(path):
        return {}
    table = read_table(path, ["tunnus", "julkaisija", "taulukko", "kuvaus"])
    sources: dict[str, Source] = {}
    for row in table.rows:
        tag = row["tunnus"]
        if not _TAG.match(tag):
            raise InputError(
                f"lähdetunnuksessa '{tag}' saa olla vain pieniä kirjaimia a–z, numeroita ja "
                "merkkejä . _ : -",
                file=path,
                row=row.line,
                column="tunnus",
            )
        if tag in sources:
            raise InputError(f"lähdetunnus '{tag}' on kahdesti", file=path, row=row.line)
        for column in ("julkaisija", "taulukko", "kuvaus"):
            if not row[column]:
                raise InputError(f"{column} puuttuu", file=path, row=row.line, column=column)
        sources[tag] = Source(
            tag,
            row["julkaisija"],
            row["taulukko"],
            row["kuvaus"],
            row["haettu"],
            row["paivitetty"],
        )
    return sources


@dataclass(eq=False)
class JumpWarning(UserWarning):
    """A figure that moved implausibly far from the year before."""

    measure: str
    code: str
    name: str
    year: int
    before: Fraction
    after: Fraction
    file: str
    row: int
    month: int = 0  # a monthly measure's month (1-12); 0 for a year's figure

    def __str__(self) -> str:
        m = MEASURES[self.measure]
        change = (
            f"{float((self.after - self.before) / self.before) * 100:+.0f} %"
            if self.before
            else "nollasta"
        )
        if self.month:
            previous = (
                f"{self.year}M{self.month - 1:02d}" if self.month > 1 else f"{self.year - 1}M12"
            )
            current = f"{self.year}M{self.month:02d}"
        else:
            previous, current = str(self.year - 1), str(self.year)
        return (
            f"{m.name}, {self.name} ({self.code}): {previous} {_number(self.before)} -> "
            f"{current} {_number(self.after)} ({change}); tarkista luku "
            f"({Path(self.file).name} rivi {self.row})"
        )


def _number(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}".replace(",", " ")
    return f"{float(value):g}".replace(".", ",")


def find_jumps(table: pd.DataFrame, municipalities: Municipalities) -> list[JumpWarning]:
    """Changes beyond the measure's plausible range from one year to the next (consecutive years
    only), or for a monthly measure from one month to the next. A municipality that took in
    another has two series: its own (2023 division) and the merged area's (2025 division); a
    figure is compared with the figure before it in the same series only."""
    found = []
    ordered = table.sort_values(["mittari", "kuntanumero", "vuosi", "kuukausi"], kind="stable")
    measures = ordered["mittari"].to_numpy()
    codes = ordered["kuntanumero"].to_numpy()
    merged_area = ordered["kuntanumero"].isin(municipalities.receivers).to_numpy() & (
        ordered[DIVISION_COLUMN].to_numpy() == DIVISION_2025
    )
    years = ordered["vuosi"].to_numpy(dtype=np.int64)
    months = ordered["kuukausi"].to_numpy(dtype=np.int64)
    values = ordered["arvo"].tolist()
    periods = np.where(months > 0, years * 12 + months, years)
    follows = (
        (measures[1:] == measures[:-1])
        & (codes[1:] == codes[:-1])
        & (merged_area[1:] == merged_area[:-1])
        & (periods[1:] == periods[:-1] + 1)
    )
    # A screen in floating point with a wide margin; each candidate is then decided exactly.
    approx = np.array([float(v) for v in values], dtype=float)
    before_f, after_f = approx[:-1], approx[1:]
    diff_f = np.abs(after_f - before_f)
    min_f = np.array([MEASURES[m].min_change for m in measures[1:]], dtype=float)
    max_f = np.array([MEASURES[m].max_change for m in measures[1:]], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        candidates = (
            follows
            & (diff_f >= min_f * (1 - 1e-9))
            & ((before_f == 0) | (diff_f >= max_f * before_f * (1 - 1e-9)))
        )
    limits = {
        code: (
            Fraction(m.min_change).limit_denominator(),
            Fraction(m.max_change).limit_denominator(),
        )
        for code, m in MEASURES.items()
    }
    files = ordered["tiedosto"].tolist()
    lines = ordered["rivi"].tolist()
    for i in np.flatnonzero(candidates):
        j = i + 1  # the later figure
        measure = measures[j]
        min_change, max_change = limits[measure]
        before, after = Fraction(values[i]), Fraction(values[j])
        diff = abs(after - before)
        if diff > min_change and (before == 0 or diff / before > max_change):
            found.append(
                JumpWarning(
                    measure,
                    codes[j],
                    municipalities.name(codes[j]),
                    int(years[j]),
                    before,
                    after,
                    files[j],
                    int(lines[j]),
                    int(months[j]),
                )
            )
    return found


@dataclass(frozen=True)
class DivisionValues:
    """Figures on the 2025 division (:meth:`Statistics.values_2025`)."""

    values: dict[str, Fraction]  # 2025-division code -> figure
    # a municipality that took in another -> the register's municipalities its figure covers
    merged: dict[str, tuple[str, ...]]
    # one Finnish sentence per such municipality: the figures added up, or that the source gives
    # the merged area's figure
    notes: tuple[str, ...]

    @property
    def note(self) -> str:
        """The notes as one text ('' when no merger was applied)."""
        return "; ".join(self.notes)


@dataclass(frozen=True)
class _DivisionTable:
    """Every 2025-division municipality's figure of one measure and year that can be formed."""

    values: dict[str, Fraction]
    merged: dict[str, tuple[str, ...]]
    note_of: dict[str, str]
    problems: dict[str, InputError]  # why a merged municipality's figure cannot be formed

    def as_values(self) -> DivisionValues:
        return DivisionValues(
            dict(self.values), dict(self.merged), tuple(self.note_of[c] for c in self.merged)
        )


@dataclass(frozen=True)
class Statistics:
    """All statistics of a data folder, validated, in one tidy table."""

    # columns STAT_COLUMNS + 'tiedosto', 'rivi'; kuntanumero str, vuosi int, arvo Fraction
    table: pd.DataFrame
    municipalities: Municipalities
    data_dir: Path
    sources: dict[str, Source] = field(default_factory=dict)
    warnings: list[JumpWarning] = field(default_factory=list)
    # (measure, year, month) -> {kuntanumero: (arvo, kuntajako)}, filled on first use (the table
    # never changes)
    _by_measure_year: dict = field(default_factory=dict, repr=False, compare=False)
    # (measure, year, month) -> its figures on the 2025 division, filled on first use
    _division_tables: dict = field(default_factory=dict, repr=False, compare=False)
    # measure -> its rows, and its municipalities by year, filled on first use
    _rows_by_measure: dict = field(default_factory=dict, repr=False, compare=False)
    _codes_by_measure: dict = field(default_factory=dict, repr=False, compare=False)

    def values(
        self,
        measure: str,
        year: int,
        codes: Iterable[str],
        *,
        purpose: str = "",
        month: int | None = None,
    ) -> dict[str, Fraction]:
        """The figures of one measure and year (and month, for a monthly measure) for the given
        municipalities, exactly, on the year's own division: up to 2024 the register's
        municipalities, from 2025 those of the 2025 division.

        A missing figure is an error that names the municipality, the measure and the year; it is
        never taken as zero. So is a merged municipality's figure from 2025 on, and, before 2025,
        a figure that exists only on the 2025 division for a municipality that took in another
        (it is the merged area's, not its own): :meth:`values_2025` gives those.
        """
        label, when, by_code = self._figures(measure, year, month, purpose)
        own = division_of_year(year)
        register = self.municipalities
        result = {}
        for code in codes:
            merged_into = register.merged_into(code) if code in register.table.index else None
            if own == DIVISION_2025 and merged_into:
                raise InputError(
                    f"{label} {when}: kuntaa {register.name(code)} ({code}) ei ole enää "
                    f"({register.merger(code)}); sen luku on kunnan "
                    f"{register.name(merged_into)} ({merged_into}) luvussa"
                    f"{' – tarvitaan: ' + purpose if purpose else ''}",
                    file=register.path,
                    column=SUCCESSOR_COLUMN,
                )
            found = by_code.get(code)
            if found is not None and found[1] != own and code in register.receivers:
                raise InputError(
                    f"{label} {when}: kunnan {register.name(code)} ({code}) luku on vain "
                    f"kuntajaon {DIVISION_2025} mukaisena, johon sisältyy "
                    f"{self._merged_names(code)} ({register.merger(code)}); kunnan omaa lukua ei "
                    f"ole{' – tarvitaan: ' + purpose if purpose else ''}",
                    file=self._file_for(measure),
                    column="arvo",
                )
            if found is None:
                raise self._missing(label, when, code, measure, year, purpose)
            result[code] = Fraction(found[0])
        return result

    def values_2025(
        self,
        measure: str,
        year: int,
        codes: Iterable[str],
        *,
        purpose: str = "",
        month: int | None = None,
    ) -> DivisionValues:
        """The figures of one measure and year (and month) for municipalities of the 2025
        division (codes of :attr:`Municipalities.all_2025`), whatever division the year's figures
        are on.

        A municipality that took in another (Mäntyharju 507, with Pertunmaa 588 from 1.1.2025)
        gets the figure a source gives on the 2025 division, or else the sum of its members'
        figures of the 2023 division; :attr:`DivisionValues.notes` says which, with the figures
        added. A share (%) is not added up. A missing figure is an error naming the municipality
        it is missing from; so is a code that is not a municipality of the 2025 division.
        """
        made = self.division_figures(measure, year, month, purpose=purpose)
        register = self.municipalities
        result: dict[str, Fraction] = {}
        merged: dict[str, tuple[str, ...]] = {}
        notes: list[str] = []
        for code in codes:
            successor = register.merged_into(code) if code in register.table.index else None
            if successor:
                raise InputError(
                    f"{register.name(code)} ({code}) ei ole kunta kuntajaossa {DIVISION_2025} "
                    f"({register.merger(code)}): käytä kuntaa {register.name(successor)} "
                    f"({successor}){' – tarvitaan: ' + purpose if purpose else ''}",
                    file=register.path,
                    column=SUCCESSOR_COLUMN,
                )
            if code not in made.values:
                raise made.problems.get(code) or self._missing(
                    *self._figures(measure, year, month, purpose)[:2],
                    code,
                    measure,
                    year,
                    purpose,
                )
            result[code] = made.values[code]
            if code in made.merged:
                merged[code] = made.merged[code]
                notes.append(made.note_of[code])
        return DivisionValues(result, merged, tuple(notes))

    def division_figures(
        self, measure: str, year: int, month: int | None = None, *, purpose: str = ""
    ) -> _DivisionTable:
        """Every municipality of the 2025 division that has the figure (see :meth:`values_2025`),
        and why each of the others has none."""
        monthly = measure in MEASURES and MEASURES[measure].monthly
        key = (measure, year, month if monthly else None)
        made = self._division_tables.get(key)
        if made is not None:
            return made
        label, when, by_code = self._figures(measure, year, month, purpose)
        register = self.municipalities
        additive = MEASURES[measure].additive if measure in MEASURES else True
        values: dict[str, Fraction] = {}
        merged: dict[str, tuple[str, ...]] = {}
        note_of: dict[str, str] = {}
        problems: dict[str, InputError] = {}
        for code in register.all_2025:
            members = register.members_2025(code)
            found = by_code.get(code)
            if len(members) == 1:
                if found is not None:
                    values[code] = Fraction(found[0])
                continue
            merger = register.merger(code)
            if found is not None and year >= DIVISION_2025:
                values[code] = Fraction(found[0])  # from 2025 on, the municipality as it is
                continue
            if found is not None and found[1] == DIVISION_2025:
                values[code] = Fraction(found[0])
                merged[code] = members
                note_of[code] = (
                    f"{label} {when}: {register.name(code)} ({code}) {_number(values[code])} on "
                    f"kuntajaon {DIVISION_2025} mukainen luku, johon sisältyy "
                    f"{self._merged_names(code)} ({merger})"
                )
                continue
            parts = {m: by_code.get(m) for m in members}
            lacking = [m for m, v in parts.items() if v is None]
            if lacking or not additive:
                if not additive:
                    why = (
                        f"{label} {when}: kunnan {register.name(code)} ({code}) kuntajaon "
                        f"{DIVISION_2025} mukaista lukua ei ole, eikä osuutta (%) voi laskea "
                        f"liitettyjen kuntien luvuista yhteen ({merger})"
                    )
                elif lacking[0] == code:
                    why = (
                        f"{label} {when} puuttuu kunnalta {register.name(code)} ({code}), jonka "
                        f"kuntajaon {DIVISION_2025} lukuun kuuluu myös "
                        f"{self._merged_names(code)} ({merger})"
                    )
                else:
                    why = (
                        f"{label} {when} puuttuu kunnalta {register.name(lacking[0])} "
                        f"({lacking[0]}), joka kuuluu kuntajaossa {DIVISION_2025} kuntaan "
                        f"{register.name(code)} ({code}) ({merger})"
                    )
                problems[code] = InputError(
                    why + (f" – tarvitaan: {purpose}" if purpose else ""),
                    file=self._file_for(measure),
                    column="arvo",
                )
                continue
            values[code] = sum((Fraction(v[0]) for v in parts.values()), Fraction(0))
            merged[code] = members
            added = " + ".join(
                f"{register.name(m)}{'' if m == code else f' ({m})'} {_number(Fraction(v[0]))}"
                for m, v in parts.items()
            )
            note_of[code] = (
                f"{label} {when}: {register.name(code)} ({code}) = {added} = "
                f"{_number(values[code])} (kuntajako {DIVISION_2025}: {merger})"
            )
        made = _DivisionTable(values, merged, note_of, problems)
        self._division_tables[key] = made
        return made

    def codes_by_year_2025(self, measure: str) -> dict[int, frozenset[str]]:
        """The municipalities of the 2025 division that have a figure of the measure (their own
        or, for one that took in another, the merged area's), year by year."""
        return {
            year: frozenset(self.division_figures(measure, year).values)
            for year in self.codes_by_year(measure)
        }

    def _merged_names(self, code: str) -> str:
        register = self.municipalities
        return ", ".join(
            f"{register.name(m)} ({m})" for m in register.members_2025(code) if m != code
        )

    def _figures(
        self, measure: str, year: int, month: int | None, purpose: str
    ) -> tuple[str, str, dict[str, tuple[Fraction, int]]]:
        """The measure's name, the year (or month) in words, and its figures by municipality with
        their division."""
        label = MEASURES[measure].name if measure in MEASURES else measure
        monthly = measure in MEASURES and MEASURES[measure].monthly
        if monthly and month is None:
            raise InputError(
                f"{label} ({measure}) on kuukausittainen: valitse kuukausi, tai käytä vuoden "
                "lukua (esim. joulukuu tai vuoden keskiarvo)"
                + (f" – tarvitaan: {purpose}" if purpose else "")
            )
        cache_key = (measure, year, month if monthly else None)
        by_code = self._by_measure_year.get(cache_key)
        if by_code is None:
            rows = self.rows(measure, year, month if monthly else None)
            by_code = {
                code: (value, int(division))
                for code, value, division in zip(
                    rows["kuntanumero"], rows["arvo"], rows[DIVISION_COLUMN], strict=True
                )
            }
            self._by_measure_year[cache_key] = by_code
        when = f"kuukaudelta {year}M{month:02d}" if monthly else f"vuodelta {year}"
        return label, when, by_code

    def _file_for(self, measure: str) -> Path:
        where = self.files_of(measure)
        return where[0] if len(where) == 1 else self.data_dir / "tilastot"

    def _missing(
        self, label: str, when: str, code: str, measure: str, year: int, purpose: str
    ) -> InputError:
        return InputError(
            f"{label} {when} puuttuu kunnalta {self.municipalities.name(code)} "
            f"({code}){' – tarvitaan: ' + purpose if purpose else ''}. Hae se: "
            f"kustannukset data paivita --vuodet {year} --kunnat {code}",
            file=self._file_for(measure),
            column="arvo",
        )

    def rows(self, measure: str, year: int | None = None, month: int | None = None) -> pd.DataFrame:
        """A measure's rows, of one year and month if given (a monthly measure has 12 a year)."""
        if not self._rows_by_measure:
            self._rows_by_measure.update(
                {m: group for m, group in self.table.groupby("mittari", sort=False)}
            )
            self._rows_by_measure[None] = self.table.iloc[0:0]
        rows = self._rows_by_measure.get(measure, self._rows_by_measure[None])
        mask = None
        if year is not None:
            mask = rows["vuosi"] == year
        if month is not None:
            by_month = rows["kuukausi"] == month
            mask = by_month if mask is None else mask & by_month
        return rows.copy() if mask is None else rows[mask]

    def files_of(self, measure: str) -> list[Path]:
        return sorted({Path(f) for f in self.rows(measure)["tiedosto"].unique()}) or [
            self.data_dir / "tilastot" / f"{measure}.csv"
        ]

    def codes_by_year(self, measure: str) -> dict[int, frozenset[str]]:
        """The municipalities that have a figure of the measure, year by year."""
        if measure not in self._codes_by_measure:
            rows = self.rows(measure)
            self._codes_by_measure[measure] = {
                int(year): frozenset(codes)
                for year, codes in rows.groupby("vuosi", sort=True)["kuntanumero"]
            }
        return dict(self._codes_by_measure[measure])


def _resolve_source(
    text: str, sources: dict[str, Source], *, file: Path, row: int
) -> list[Source] | None:
    """The sources a row's ``lahde`` names by tag, or None when it is written out."""
    tags = [t.strip() for t in text.split(SOURCE_SEPARATOR)]
    if not all(_TAG.match(t) for t in tags):
        return None
    unknown = [t for t in tags if t not in sources]
    if unknown:
        raise InputError(
            f"tuntematon lähdetunnus '{unknown[0]}'{_suggest(unknown[0], sources)} "
            f"(lähteet: {SOURCES_FILE})",
            file=file,
            row=row,
            column="lahde",
        )
    return [sources[t] for t in tags]


def _unique_join(parts: Iterable[str], sep: str) -> str:
    return sep.join(dict.fromkeys(p for p in parts if p))


def _statistics_files(folder: Path) -> list[Path]:
    """The statistics files; hidden files (a refresh's staged ``.kesken-*`` copies) are not. A
    folder, a device or a broken link under a statistics file's name is an error naming it."""
    return data_files(folder, "*.csv")


def _inputs(data_dir: Path) -> list[Path]:
    """The files a load reads (the register, the source list when there is one, the statistics);
    anything but a regular file in their place is an error naming it."""
    files = [check_file(data_dir / "kunnat.csv")]
    if present(data_dir / SOURCES_FILE):
        files.append(data_dir / SOURCES_FILE)
    return [*files, *_statistics_files(data_dir / "tilastot")]


def _fingerprint(data_dir: Path) -> tuple:
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in _inputs(data_dir))


def load_statistics(
    data_dir: Path = DATA_DIR, municipalities: Municipalities | None = None
) -> Statistics:
    """Read and validate every ``data/tilastot/*.csv``; warn about implausible jumps.

    The result is reused while no file of the folder changes (the tables must not be modified).
    """
    data_dir = Path(data_dir).resolve()
    try:
        complete_journal(data_dir)  # a refresh killed while renaming: finish it first
    except OSError as exc:
        raise InputError(
            f"keskeneräistä tilastojen päivitystä ei voitu viedä loppuun ({exc.strerror})",
            file=data_dir,
        ) from None
    if municipalities is None:
        return _load_statistics_cached(data_dir, _fingerprint(data_dir))
    return _load_statistics(data_dir, municipalities)


@functools.lru_cache(maxsize=8)
def _load_statistics_cached(data_dir: Path, fingerprint: tuple) -> Statistics:
    """``fingerprint`` (the files' times and sizes) is only the cache key: an unchanged folder is
    not even hashed again."""
    key = _content_key(data_dir)
    known = _BY_CONTENT.get(key)
    if known is not None:
        return _relocated(known, data_dir)
    return _BY_CONTENT.put(
        key, _load_statistics(data_dir, load_municipalities(data_dir), dict(key))
    )


# Loads by the files' contents: a folder whose files are byte for byte those of a folder read
# before (a copy of data/, a test's working folder) is not read again, and a file that is byte for
# byte one read before is not parsed and validated again.
_BY_CONTENT: Recent[Statistics] = Recent(4)
# One file's validated rows by (its content, the register's content).
_FILE_ROWS: Recent[_FileRows] = Recent(64)
# One file's rows of the statistics table by (its content, the register's, the source list's).
_FILE_FRAMES: Recent[pd.DataFrame] = Recent(64)


def _content_key(data_dir: Path) -> tuple:
    """The data folder's statistics inputs by name and content (a BLAKE2 digest of the bytes)."""
    return tuple(
        (
            f.relative_to(data_dir).as_posix(),
            hashlib.blake2b(read_bytes(f), digest_size=20).digest(),
        )
        for f in _inputs(data_dir)
    )


def _relocated(known: Statistics, data_dir: Path) -> Statistics:
    """``known`` (read from a folder with the same contents) as if read from ``data_dir``: the file
    paths point into ``data_dir``, and the jump warnings are given again, as a new read gives them."""
    old = str(known.data_dir)
    new = str(data_dir)

    def moved(path: str) -> str:
        return new + path[len(old) :] if path.startswith(old) else path

    table = known.table.copy()
    table["tiedosto"] = table["tiedosto"].map({p: moved(p) for p in table["tiedosto"].unique()})
    jumps = [dataclasses.replace(j, file=moved(j.file)) for j in known.warnings]
    for jump in jumps:
        warnings.warn(jump, stacklevel=3)
    return Statistics(
        table=table,
        municipalities=dataclasses.replace(
            known.municipalities, path=Path(moved(str(known.municipalities.path)))
        ),
        data_dir=data_dir,
        sources=known.sources,
        warnings=jumps,
        _by_measure_year=known._by_measure_year,
    )


def _month(text: str, measure: Measure, *, file: Path, row: int) -> int:
    """A monthly measure's month (1-12); 0 for a year's figure, whose ``kuukausi`` stays empty."""
    if not measure.monthly:
        if text:
            raise InputError(
                f"{measure.name} on vuositieto: kuukausi pitää jättää tyhjäksi, ei '{text}'",
                file=file,
                row=row,
                column="kuukausi",
            )
        return 0
    if not (text.isdigit() and 1 <= int(text) <= 12 and len(text) <= 2):
        raise InputError(
            f"{measure.name} on kuukausittainen: kuukauden pitää olla 1–12, ei '{text}'",
            file=file,
            row=row,
            column="kuukausi",
        )
    return int(text)


class _Row(NamedTuple):
    """One validated row of a statistics file, before its source is resolved."""

    measure: str
    code: str
    name: str
    year: int
    month: int
    value: Fraction
    status: str
    source: str  # lahde as written
    table: str
    fetched: str
    line: int
    division: int  # DIVISION_2023 or DIVISION_2025


class _FileRows(list):
    """One file's validated rows, with the first row of each figure (measure, municipality, year,
    month) and the first row that repeats an earlier row's figure, if any."""

    def __init__(self, rows: list[_Row]) -> None:
        super().__init__(rows)
        keys = [(row.measure, row.code, row.year, row.month) for row in rows]
        # read backwards, each figure's first row is the last one written to the dict
        self.first: dict[tuple[str, str, int, int], _Row] = dict(
            zip(reversed(keys), reversed(rows), strict=True)
        )
        self.repeat: _Row | None = None
        if len(self.first) < len(rows):
            seen: set[tuple[str, str, int, int]] = set()
            for key, row in zip(keys, rows, strict=True):
                if key in seen:
                    self.repeat = row
                    break
                seen.add(key)


def _file_rows(path: Path, municipalities: Municipalities) -> _FileRows:
    """One statistics file's rows, validated (all but the source, which needs the source list):
    by column (:func:`_column_rows`) when the file is as programs write it and every cell passes,
    else row by row (:func:`_checked_rows`), which names the first faulty row."""
    rows = _column_rows(path, municipalities)
    return rows if rows is not None else _checked_rows(path, municipalities)


def _column_rows(path: Path, municipalities: Municipalities) -> _FileRows | None:
    """:func:`_checked_rows`' rows, with the same checks made once per distinct text over whole
    columns. None when the file is written otherwise (:func:`read_columns`) or any check fails:
    the row-by-row reading then finds the fault and the row to name."""
    table = read_columns(path, REQUIRED_STAT_COLUMNS)
    if table is None or not table.rows:
        return None
    cells = table.columns
    empty = [""] * table.rows
    measure, code, name = cells["mittari"], cells["kuntanumero"], cells["kunta"]
    status, source = cells["tila"], cells["lahde"]
    if not (set(measure) <= MEASURES.keys() and set(status) <= STATUSES.keys() and all(source)):
        return None
    try:
        for place in set(zip(code, name, strict=True)):
            municipalities.check(*place, file=path, row=0)
        years = {t: parse_year(t, file=path, row=0, column="vuosi") for t in set(cells["vuosi"])}
        year = [years[t] for t in cells["vuosi"]]
        keys = list(zip(measure, cells.get("kuukausi", empty), strict=True))
        months = {k: _month(k[1], MEASURES[k[0]], file=path, row=0) for k in set(keys)}
        month = [months[k] for k in keys]
        divisions = _Divisions(municipalities)
        division = [
            divisions.of(text, c, y, file=path, row=0)
            for text, c, y in zip(cells.get(DIVISION_COLUMN, empty), code, year, strict=True)
        ]
        keys = list(zip(measure, cells["arvo"], strict=True))
        values = {
            k: _checked_figure(
                k[1], MEASURES[k[0]], decimal_comma=table.decimal_comma, file=path, row=0
            )
            for k in set(keys)
        }
        value = [values[k] for k in keys]
    except InputError:
        return None
    columns = (
        measure,
        code,
        name,
        year,
        month,
        value,
        status,
        source,
        cells.get("taulukko", empty),
        cells.get("haettu", empty),
        range(2, table.rows + 2),
        division,
    )
    return _FileRows(list(map(_Row._make, zip(*columns, strict=True))))


def _checked_rows(path: Path, municipalities: Municipalities) -> _FileRows:
    """One statistics file's rows, validated row by row.

    Each check depends on a cell's text (and the measure) alone, so a text is checked once per
    file and remembered only when it passes: the first row with a faulty text is still the one
    named, and a row's checks still run in the order of its columns."""
    rows = []
    table = read_table(path, REQUIRED_STAT_COLUMNS)
    places: set[tuple[str, str]] = set()
    years: dict[str, int] = {}
    months: dict[tuple[str, str], int] = {}
    values: dict[tuple[str, str], Fraction] = {}
    divisions = _Divisions(municipalities)
    for row in table.rows:
        cell = row.values
        measure = cell["mittari"]
        if measure not in MEASURES:
            raise InputError(
                f"tuntematon mittari '{measure}'{_suggest(measure, MEASURES)}",
                file=path,
                row=row.line,
                column="mittari",
            )
        spec = MEASURES[measure]
        code, name = cell["kuntanumero"], cell["kunta"]
        if (code, name) not in places:
            municipalities.check(code, name, file=path, row=row.line)
            places.add((code, name))
        year = years.get(cell["vuosi"])
        if year is None:
            year = years[cell["vuosi"]] = parse_year(
                cell["vuosi"], file=path, row=row.line, column="vuosi"
            )
        month_text = cell.get("kuukausi", "")
        month = months.get((measure, month_text))
        if month is None:
            month = months[measure, month_text] = _month(month_text, spec, file=path, row=row.line)
        division = divisions.of(cell.get(DIVISION_COLUMN, ""), code, year, file=path, row=row.line)
        value = values.get((measure, cell["arvo"]))
        if value is None:
            value = values[measure, cell["arvo"]] = _figure(table, row, spec)
        status = cell["tila"]
        if status not in STATUSES:
            raise InputError(
                f"tuntematon tila '{status}' (sallitut: {', '.join(STATUSES)})",
                file=path,
                row=row.line,
                column="tila",
            )
        if not cell["lahde"]:
            raise InputError("lähde puuttuu", file=path, row=row.line, column="lahde")
        rows.append(
            _Row(
                measure,
                code,
                name,
                year,
                month,
                value,
                status,
                cell["lahde"],
                cell.get("taulukko", ""),
                cell.get("haettu", ""),
                row.line,
                division,
            )
        )
    return _FileRows(rows)


class _Divisions:
    """Rows' municipal divisions (:func:`_division`), each worked out once: a row's division
    depends on its text and year, and on its municipality only through whether it was merged, so
    a valid one is remembered by those (a faulty one is an error at once)."""

    def __init__(self, municipalities: Municipalities) -> None:
        self.municipalities = municipalities
        self._merged: dict[str, bool] = {}
        self._known: dict[tuple[str, int, bool], int] = {}

    def of(self, text: str, code: str, year: int, *, file: Path, row: int) -> int:
        merged = self._merged.get(code)
        if merged is None:
            merged = self._merged[code] = self.municipalities.merged_into(code) is not None
        division = self._known.get((text, year, merged))
        if division is None:
            division = self._known[text, year, merged] = _division(
                text, code, year, self.municipalities, file=file, row=row
            )
        return division


def _division(
    text: str, code: str, year: int, municipalities: Municipalities, *, file: Path, row: int
) -> int:
    """A row's municipal division: its ``kuntajako`` (2023 or 2025), or its year's. A figure of
    a merged municipality on the 2025 division, or of the 2023 division from 2025 on, cannot
    be."""
    text = text.strip()
    if text not in ("", str(DIVISION_2023), str(DIVISION_2025)):
        raise InputError(
            f"kuntajaon pitää olla {DIVISION_2023} tai {DIVISION_2025} (tyhjä: vuoden oma), "
            f"ei '{text}'",
            file=file,
            row=row,
            column=DIVISION_COLUMN,
        )
    division = int(text) if text else division_of_year(year)
    if division == DIVISION_2023 and year >= DIVISION_2025:
        raise InputError(
            f"vuoden {year} luku on kuntajaon {DIVISION_2025} mukainen; kuntajakoa "
            f"{DIVISION_2023} ei ole enää vuonna {year}",
            file=file,
            row=row,
            column=DIVISION_COLUMN,
        )
    if division == DIVISION_2025 and municipalities.merged_into(code):
        raise InputError(
            f"kunnalla {municipalities.name(code)} ({code}) ei ole kuntajaon {DIVISION_2025} "
            f"lukua ({municipalities.merger(code)}): vuoden {year} luku kuuluu kuntaan "
            f"{municipalities.name(municipalities.successor(code))}",
            file=file,
            row=row,
            column=DIVISION_COLUMN if text else "vuosi",
        )
    return division


def _figure(table: Table, row: Row, measure: Measure) -> Fraction:
    """A row's ``arvo`` (:func:`_checked_figure`)."""
    return _checked_figure(
        row["arvo"], measure, decimal_comma=table.decimal_comma, file=table.path, row=row.line
    )


def _checked_figure(
    text: str, measure: Measure, *, decimal_comma: bool, file: Path, row: int
) -> Fraction:
    """An ``arvo``: a number, plausible for its measure, neither negative nor a zero the measure
    does not allow."""
    value = parse_number(text, decimal_comma=decimal_comma, file=file, row=row, column="arvo")
    check_range(value, measure, text, file=file, row=row)
    if value < 0 or (value == 0 and not measure.zero_allowed):
        raise InputError(
            f"{measure.name} ei voi olla {'nolla' if value == 0 else 'negatiivinen'} ({text})",
            file=file,
            row=row,
            column="arvo",
        )
    return value


def _cached_file_rows(
    path: Path, municipalities: Municipalities, digests: dict[str, bytes] | None
) -> _FileRows:
    """:func:`_file_rows`, reused while the file and the register are byte for byte the same."""
    if digests is None:
        return _file_rows(path, municipalities)
    key = (digests[f"tilastot/{path.name}"], digests.get("kunnat.csv"))
    return _FILE_ROWS.remember(key, lambda: _file_rows(path, municipalities))


def _file_frame(
    path: Path,
    rows: list[_Row],
    sources: dict[str, Source],
    named_by_text: dict[str, tuple[list[Source] | None, str, str, str]],
) -> pd.DataFrame:
    """One file's rows as the statistics table's rows, their sources resolved (``tiedosto`` is set
    by the caller)."""
    records = []
    for row in rows:
        if row.source not in named_by_text:
            found = _resolve_source(row.source, sources, file=path, row=row.line)
            named_by_text[row.source] = (
                found,
                _unique_join((s.publisher for s in found or []), "; "),
                _unique_join((s.table for s in found or []), "; "),
                _unique_join((s.fetched for s in found or []), "; "),
            )
        named, publisher, table_name, fetched = named_by_text[row.source]
        if named is None:
            source, tags = row.source, ""
            table_name, fetched = row.table, row.fetched
        else:
            source = (
                named[0].describe(row.code, row.year, row.month)
                if len(named) == 1
                else SOURCE_SEPARATOR.join(
                    [s.describe(row.code, row.year, row.month) for s in named]
                )
            )
            tags = row.source
            table_name = row.table or table_name
            fetched = row.fetched or fetched
        records.append(
            (
                row.measure,
                row.code,
                row.name,
                row.year,
                row.month,
                row.value,
                row.status,
                table_name,
                source,
                fetched,
                publisher,
                tags,
                row.division,
                "",
                row.line,
            )
        )
    return pd.DataFrame.from_records(records, columns=[*STAT_COLUMNS, "tiedosto", "rivi"])


def _load_statistics(
    data_dir: Path, municipalities: Municipalities, digests: dict[str, bytes] | None = None
) -> Statistics:
    """Read and validate the folder's statistics. With ``digests`` (file name -> content digest, from
    :func:`_content_key`), a file whose content and register were read before is not parsed
    again."""
    sources = load_sources(data_dir)
    folder = data_dir / "tilastot"
    files = _statistics_files(folder)
    if not files:
        raise InputError("tilastotiedostoja (*.csv) ei löydy", file=folder)
    # figure -> the file that has it; file -> its first row of each figure
    owner: dict[tuple[str, str, int, int], Path] = {}
    firsts: dict[Path, dict[tuple[str, str, int, int], _Row]] = {}
    # lahde -> (its sources, publisher, table, fetched), worked out once per distinct text
    named_by_text: dict[str, tuple[list[Source] | None, str, str, str]] = {}
    frames = []
    for path in files:
        rows = _cached_file_rows(path, municipalities, digests)
        # The first row, in the file's order, whose figure an earlier file or row already has.
        repeats = [rows.first[key] for key in owner.keys() & rows.first.keys()]
        if rows.repeat is not None:
            repeats.append(rows.repeat)
        if repeats:
            row = min(repeats, key=lambda r: r.line)
            key = (row.measure, row.code, row.year, row.month)
            other_path = owner.get(key, path)
            other = firsts[other_path][key] if other_path != path else rows.first[key]
            when = f"{row.year}M{row.month:02d}" if row.month else str(row.year)
            raise InputError(
                f"sama luku ({row.measure}, {row.name}, {when}) on kahdesti; "
                f"toinen: {other_path.name} rivi {other.line}",
                file=path,
                row=row.line,
                column="kuntanumero",
            )
        owner.update(dict.fromkeys(rows.first, path))
        firsts[path] = rows.first
        if not rows:
            continue
        if digests is None:
            frame = _file_frame(path, rows, sources, named_by_text)
        else:
            key = (
                digests[f"tilastot/{path.name}"],
                digests.get("kunnat.csv"),
                digests.get(SOURCES_FILE),
            )
            frame = _FILE_FRAMES.remember(
                key, functools.partial(_file_frame, path, rows, sources, named_by_text)
            )
        frames.append(frame.assign(tiedosto=str(path)))
    columns = [*STAT_COLUMNS, "tiedosto", "rivi"]
    frame = (
        pd.concat(frames, ignore_index=True)[columns]
        if frames
        else pd.DataFrame.from_records([], columns=columns)
    )
    jumps = find_jumps(frame, municipalities)
    for jump in jumps:
        warnings.warn(jump, stacklevel=2)
    return Statistics(
        table=frame,
        municipalities=municipalities,
        data_dir=data_dir,
        sources=sources,
        warnings=jumps,
    )
