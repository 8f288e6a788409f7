"""``kustannukset aluejaot --koko-maa --csv`` (and ``--excel-csv``) under the CSV contract: parsed
with the ``csv`` module, its registered headers, ``tila`` last on every row, whole numbers where
they are counts, and the figures checked against the data and against the counts checked
elsewhere. (Not in tests/unit/test_csv_contract.py's runs: the whole country takes seconds.)"""

from __future__ import annotations

import csv
import re
from fractions import Fraction

import pytest

from kustannukset.core.paths import DATA_DIR
from kustannukset.view import labels
from tests.conftest import run_cli
from tests.unit.test_csv_contract import _parse

HEADER = [
    "maakunta",
    "kuntia",
    "tyovoima",
    "laillisia_jakoja",
    "alueiden_maaran_mukaan",
    "paatetyt_alueet_2025",
    "voisi_jarjestaa_yksin",
    "tila",
]


@pytest.fixture(scope="module")
def national():
    plain = run_cli("aluejaot", "--koko-maa", "--csv")
    excel = run_cli("aluejaot", "--koko-maa", "--excel-csv")
    return plain, _parse(plain, excel=False), _parse(excel, excel=True)


def test_headers_tila_and_whole_numbers(national):
    _result, (header, rows), _ = national
    assert header == HEADER
    assert [labels.column(name).kind.name for name in header[1:4]] == ["count"] * 3
    assert len(rows) == 18  # the mainland regions; Ahvenanmaa is outside the reform
    for row in rows:
        assert len(row) == len(header)
        # every region has its labour force (a derived estimate) and its count
        assert row[-1] == "johdettu" and row[-1] in labels.STATUSES
        for value in row[1:4]:
            assert re.fullmatch(r"\d+", value), (row[0], value)
        # the counts by number of areas are whole numbers that add up to the count
        pairs = row[4].split(", ")
        assert all(re.fullmatch(r"\d+: \d+", pair) for pair in pairs), row[4]
        assert sum(int(pair.split(": ")[1]) for pair in pairs) == int(row[3]), row[0]


def test_figures_against_the_data_and_the_known_counts(national):
    result, (_header, rows), _ = national
    table = {row[0]: row for row in rows}
    # the 292 mainland municipalities of the 2025 division (308 less Ahvenanmaa's 16)
    assert sum(int(row[1]) for row in rows) == 292
    assert table["Etelä-Savo"][1] == "11"  # Pertunmaa is part of Mäntyharju
    # the labour force 31.12.2021 of every mainland municipality, added up from the data file
    register = {}
    with (DATA_DIR / "kunnat.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            register[row["kuntanumero"]] = row["maakunta"]
    total = Fraction(0)
    with (DATA_DIR / "tilastot" / "tyovoima.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["vuosi"] == "2021" and register[row["kuntanumero"]] != "Ahvenanmaan maakunta":
                total += Fraction(row["arvo"])
    assert sum(int(row[2]) for row in rows) == total
    # counts checked elsewhere: Pirkanmaa and Kymenlaakso against the listing and by hand,
    # Etelä-Savo against two enumerations (tests/unit/test_districts.py), Uusimaa against
    # graphillion (bench/aluejaot.py)
    assert table["Pirkanmaa"][3] == "984406"
    assert table["Kymenlaakso"][3:5] == ["5", "1: 1, 2: 4"]
    assert table["Etelä-Savo"][3] == "13"
    assert table["Uusimaa"][3] == "59982832"
    # the notes go to standard error, never into the rows
    assert "Mäntyharju 2 202 + Pertunmaa (588) 625 = 2 827" in result.stderr
    assert "Huom" not in result.stdout


def test_the_excel_dialect_is_the_same_table(national):
    _result, (header, rows), (excel_header, excel_rows) = national
    assert excel_header == header
    assert excel_rows == rows  # no codes, no decimals: the same cells
