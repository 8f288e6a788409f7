"""What a person reads on the terminal: tables that keep their rows when split into blocks (the
municipality, and the area where there is one, in every block; a totals row keeps its label),
every line within the width (``--leveys`` wherever a table is printed), and Finnish: no code
names, "1 alue", decimal commas, dates as 1.1.2021, an option named as an option, and no unit
broken away from its number."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from kustannukset.view import terminal
from tests.conftest import run_cli
from tests.unit.test_cli import assert_one_line_error

TABLE_COMMANDS = [
    ["jako", "2023"],
    ["jako", "2024"],
    ["arvio", "2021"],
    ["tasaus", "2021"],
    ["laskut", "2022"],
    ["skenaariot", "paatetty_2025", "elokuu_2023"],
    ["aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski", "Kangasala", "--raja", "7598"],
    ["aluejaot", "--kunta", "Valkeakoski"],
    ["data", "kattavuus"],
]
CODE_NAMES = [
    "paatos",
    "muutos_pct",
    "toteuma_netto",
    "lasku_yhteensa",
    "tasauslasku_helmikuu",
    "siirto_seuraavaan_laskuun",
    "paatetty_2025",
    "tyoikaiset_15_64",
    "neljannes",
    "osuus_pct",
    "potti_laskutettu",
    "kuntanumero",
]


def _blocks(text: str) -> list[list[str]]:
    return [block.splitlines() for block in text.split("\n\n") if block.strip()]


def _table_rows(block: list[str]) -> list[str]:
    """The lines under a block's dashed line (its rows), or none when it is no table."""
    for i, line in enumerate(block):
        if line and set(line.replace(" ", "")) == {"-"}:
            return block[i + 1 :]
    return []


@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("command", TABLE_COMMANDS, ids=lambda c: " ".join(c))
def test_every_line_fits_the_width(command, width):
    result = run_cli(*command, "--leveys", str(width))
    assert result.returncode == 0, result.stderr
    long = [line for line in result.stdout.splitlines() if len(line) > width]
    assert not long, long[:3]
    # no unit broken away from its number at a line's end ("10 / %", "689 680,40 / €")
    assert not re.search(r"\d\n *[€%]", result.stdout)


def test_kattavuus_has_a_width_option_and_finnish_measure_names():
    # before: lines of up to 183 characters and no --leveys
    result = run_cli("data", "kattavuus")
    assert max(len(line) for line in result.stdout.splitlines()) <= 100
    assert "15–64-vuotiaat 31.12." in result.stdout
    assert "tyoikaiset_15_64" not in result.stdout


@pytest.mark.parametrize("width", [80, 100])
def test_every_block_of_the_municipal_table_names_each_municipality(width):
    # before: at 100 and 80 columns the blocks with €/asukas, valtionosuus and netto repeated only
    # the area, 16 rows reading "Tampereen seudun työllisyysalue"
    names = {
        row["kunta"]
        for row in csv.DictReader(
            io.StringIO(run_cli("skenaariot", "paatetty_2025", "--csv").stdout)
        )
    }
    text = run_cli("skenaariot", "paatetty_2025", "--leveys", str(width)).stdout
    municipal = [b for b in _blocks(text) if any(line.startswith("Kunta ") for line in b)]
    assert len(municipal) >= 3  # the table is split
    for block in municipal:
        rows = [line for line in _table_rows(block) if not line.startswith(" ")]
        assert {line.split("  ")[0] for line in rows} == names
        header = next(line for line in block if line.startswith("Kunta "))
        assert "Alue" in header  # and the area beside it


def test_a_split_tasaus_table_keeps_the_totals_label_in_every_block():
    # before: the totals row kept its "Summa" label only in the first block
    text = run_cli("tasaus", "2021", "--leveys", "80").stdout
    tables = [b for b in _blocks(text) if _table_rows(b)]
    assert len(tables) > 4
    for block in tables:
        last = _table_rows(block)[-1]
        assert last.split("  ")[0].strip() == "Summa" or last.split()[0] == "Summa", block


def test_the_units_table_names_its_services_and_decisions_in_words():
    text = run_cli("tasaus", "2021", "--leveys", "200").stdout
    assert "Päätös" in text and "Muutos %" in text and "hankerahoitus" in text
    assert "tasauslasku helmikuussa" in text and "seuraavan vuoden 1. laskuun" in text
    assert "Helmikuun" in text and "Siirtyy" in text and "seuraavaan" in text


@pytest.mark.parametrize("command", TABLE_COMMANDS, ids=lambda c: " ".join(c))
def test_no_code_names_where_people_read(command):
    result = run_cli(*command, "--leveys", "200")
    text = result.stdout
    for word in CODE_NAMES:
        # a data file's path may name the file (data/skenaariot/paatetty_2025.yaml)
        found = [m for m in re.finditer(rf"(?<![/\w]){word}(?!\.yaml)", text)]
        assert not found, (word, text[max(0, found[0].start() - 60) : found[0].end() + 20])
    assert not re.search(r"\b0\d\.0\d\.\d{4}\b", text)  # no 01.01.2021


def test_grammar_decimal_commas_and_dates():
    areas = run_cli("aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski", "--raja", "7598")
    assert "1 alue: 1, 2 aluetta: 1" in areas.stdout  # before: "1 aluetta"
    assert re.search(r"laskettu \d+,\d s\)", areas.stdout)  # before: "laskettu 2.4 s"
    estimate = run_cli("arvio", "2021", "--leveys", "200").stdout
    assert "× 1.1.2021 voimassa olevat hinnat" in estimate  # before: 01.01.2021
    assert "(neljännes)" in run_cli("laskut", "2022", "--leveys", "200").stdout


def test_an_option_is_named_as_an_option_not_a_column():
    line = assert_one_line_error(run_cli("aluejaot", "--kunta", "Valkoskoski"), "--kunta")
    assert "sarake" not in line and "valinta --kunta" in line  # before: "sarake '--kunta'"


@pytest.mark.parametrize("width", [20, 30, 40])
def test_a_note_keeps_numbers_with_their_units(width):
    text = (
        "Kustannuspotti 689 680,40 € (toteuma 2019) jaettuna, raja 10 % koetaan palveluittain, "
        "ja 20 000 hengen työvoimaraja"
    )
    wrapped = terminal.note(text, width)
    lines = wrapped.splitlines()
    assert all(len(line) <= width for line in lines)
    assert any("689 680,40 €" in line for line in lines)
    assert any("10 %" in line for line in lines) and any("20 000" in line for line in lines)


def test_a_wide_identifying_column_wraps_inside_its_cells_and_the_rows_stay_whole():
    frame = pd.DataFrame(
        {
            "Kunta": ["Mänttä-Vilppula", "Akaa"],
            "Alue": ["Eteläisen Keski-Suomen työllisyysalue", "Tampereen seudun työllisyysalue"],
            "Maksuosuus €": [1039711, 1882185],
            "Netto €": [-117252, -192153],
        }
    )
    text = terminal.table(frame, 40, keep=["Kunta", "Alue"])
    assert max(len(line) for line in text.splitlines()) <= 40
    blocks = _blocks(text)
    assert len(blocks) == 2
    for block in blocks:
        rows = _table_rows(block)
        assert [line.split("  ")[0] for line in rows if not line.startswith(" ")] == [
            "Mänttä-Vilppula",
            "Akaa",
        ]
