"""A statistics file is read by column when it is written as programs write it and every cell
passes; otherwise row by row, which names the first faulty row. Both readings must give the same
rows: checked on every file of data/tilastot, and on files edited to take each way."""

from __future__ import annotations

from pathlib import Path

import pytest

from kustannukset.core.csvio import read_columns, read_table
from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.stats import loader
from kustannukset.stats.loader import load_municipalities, load_statistics

HEADER = "mittari,kuntanumero,kunta,vuosi,arvo,tila,lahde\n"
ROWS = [
    "vakiluku,020,Akaa,2022,16454,lopullinen,Tilastokeskus 11ra\n",
    "vakiluku,020,Akaa,2023,16405,lopullinen,Tilastokeskus 11ra\n",
    "vakiluku,837,Tampere,2023,249009,ennakko,Tilastokeskus 11ra\n",
]


@pytest.fixture(scope="module")
def register():
    return load_municipalities(DATA_DIR)


def _same(a, b) -> None:
    assert list(a) == list(b)
    assert a.first == b.first
    assert a.repeat == b.repeat


@pytest.mark.parametrize(
    "path", sorted((DATA_DIR / "tilastot").glob("*.csv")), ids=lambda p: p.name
)
def test_every_shipped_file_reads_the_same_by_column_and_by_row(path, register):
    by_column = loader._column_rows(path, register)
    assert by_column is not None, "a shipped file is written as programs write it"
    _same(by_column, loader._checked_rows(path, register))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vakiluku.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def test_a_plain_file_is_read_by_column(tmp_path, register):
    path = _write(tmp_path, HEADER + "".join(ROWS))
    rows = loader._column_rows(path, register)
    assert [(r.code, r.year, r.value, r.line, r.division) for r in rows] == [
        ("020", 2022, 16454, 2, 2023),
        ("020", 2023, 16405, 3, 2023),
        ("837", 2023, 249009, 4, 2023),
    ]
    _same(rows, loader._checked_rows(path, register))


def test_excel_csv_with_decimal_commas_reads_the_same_both_ways(tmp_path, register):
    text = (
        "mittari;kuntanumero;kunta;vuosi;arvo;tila;lahde\r\n"
        "tyottomyysaste;020;Akaa;2023;9,5;lopullinen;Tilastokeskus\r\n"
        "tyottomyysaste;837;Tampere;2023;12,25;lopullinen;Tilastokeskus\r\n"
    )
    path = _write(tmp_path, text)
    rows = loader._column_rows(path, register)
    assert [r.value for r in rows] == [pytest.approx(9.5), pytest.approx(12.25)]
    _same(rows, loader._checked_rows(path, register))


@pytest.mark.parametrize(
    "text",
    [
        HEADER + ROWS[0] + "\n" + ROWS[1],  # an empty row
        HEADER + ROWS[0] + " , , , , , , \n",  # a row of spaces
        HEADER + ROWS[0] + 'vakiluku,020,"Akaa\n",2023,16405,lopullinen,x\n',  # a line break
        HEADER + ROWS[0].rstrip("\n") + ",ylimääräinen\n",  # a row wider than the header
        HEADER.replace("tila", "arvo"),  # a column twice, the required tila missing
        "",  # an empty file
    ],
    ids=["empty row", "spaces", "line break in a cell", "wide row", "header", "empty file"],
)
def test_files_written_otherwise_are_left_to_the_row_reader(tmp_path, text):
    assert read_columns(_write(tmp_path, text), ["tila"]) is None


@pytest.mark.parametrize(
    "row, column",
    [
        ("vakiluku,020,Akaa,2023,-5,lopullinen,x\n", "arvo"),
        ("vakiluku,020,Akaa,2023,12.5,lopullinen,x\n", "arvo"),
        ("vakiluku,020,Akaa,20x3,16405,lopullinen,x\n", "vuosi"),
        ("vakilukux,020,Akaa,2023,16405,lopullinen,x\n", "mittari"),
        ("vakiluku,020,Akaa,2023,16405,varma,x\n", "tila"),
        ("vakiluku,020,Akaa,2023,16405,lopullinen,\n", "lahde"),
        ("vakiluku,020,Tampere,2023,16405,lopullinen,x\n", None),
    ],
)
def test_a_faulty_cell_is_named_by_the_row_reader(tmp_path, register, row, column):
    # the faulty row is the third data row, line 4: the column reading gives up and the row
    # reading names it
    path = _write(tmp_path, HEADER + ROWS[0] + ROWS[1] + row)
    assert loader._column_rows(path, register) is None
    with pytest.raises(InputError) as err:
        loader._file_rows(path, register)
    assert err.value.row == 4
    if column:
        assert err.value.column == column


def test_the_column_reader_reads_the_cells_read_table_reads():
    path = DATA_DIR / "tilastot" / "tyovoima.csv"
    table = read_table(path)
    columns = read_columns(path)
    assert columns.rows == len(table.rows)
    for name in table.columns:
        assert columns.columns[name] == [row[name] for row in table.rows]


def test_the_whole_table_is_the_same_either_way(monkeypatch):
    by_column = load_statistics(DATA_DIR).table
    loader._load_statistics_cached.cache_clear()
    monkeypatch.setattr(loader._FILE_ROWS, "remember", lambda key, make: make())
    monkeypatch.setattr(loader._FILE_FRAMES, "remember", lambda key, make: make())
    monkeypatch.setattr(loader._BY_CONTENT, "get", lambda key: None)
    monkeypatch.setattr(loader, "_column_rows", lambda path, register: None)
    try:
        by_row = load_statistics(DATA_DIR).table
    finally:
        loader._load_statistics_cached.cache_clear()
    assert by_column.equals(by_row)
    assert list(by_column["arvo"]) == list(by_row["arvo"])


def test_a_merged_municipality_on_the_2025_division_is_named_by_the_row_reader(tmp_path, register):
    # Pertunmaa (588) joined Mäntyharju on 1.1.2025, so it has no figure on the 2025 division;
    # Mäntyharju's row of the same year and division, before it, is fine (a division is checked
    # once per text, year and merger: Pertunmaa's must not pass as Mäntyharju's)
    text = (
        "mittari,kuntanumero,kunta,vuosi,arvo,tila,lahde,kuntajako\n"
        "vakiluku,507,Mäntyharju,2023,5700,lopullinen,x,2025\n"
        "vakiluku,588,Pertunmaa,2023,1700,lopullinen,x,2023\n"
        "vakiluku,588,Pertunmaa,2023,1700,lopullinen,x,2025\n"
    )
    path = _write(tmp_path, text)
    assert loader._column_rows(path, register) is None
    with pytest.raises(InputError, match="Pertunmaa") as err:
        loader._file_rows(path, register)
    assert err.value.row == 4
