"""The workbook writer: no formula reaches a cell, sheet names from human titles, formats by
column type, missing values as a dash."""

from __future__ import annotations

import csv
import io

import pandas as pd
from openpyxl import Workbook, load_workbook

from kustannukset.scenarios import notebook as scenarios_notebook
from kustannukset.view import csv_output, excel
from tests.conftest import run_cli


def _saved(tmp_path, wb):
    path = tmp_path / "t.xlsx"
    excel.save(wb, path)
    return load_workbook(path)


def test_formula_like_texts_are_stored_as_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    texts = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")']
    frame = pd.DataFrame({"Kunta": texts, "Maksuosuus €": [1, 2, 3, 4, 5]})
    excel.write_frame(ws, frame, 3)
    excel.put(ws, 1, 1, "=cmd|' /C calc'!A0")
    ws["B1"] = "=1+2"  # written around the helpers: save() still refuses it
    saved = _saved(tmp_path, wb).active
    cells = [saved["A1"], saved["B1"], *(saved.cell(row=4 + i, column=1) for i in range(5))]
    assert [c.data_type for c in cells] == ["s"] * 7
    assert [c.value for c in cells[2:]] == texts
    assert all(c.quotePrefix for c in cells)


def test_sheet_titles_are_cut_at_a_word_and_unique():
    title = excel.sheet_title("A – Koko Pirkanmaa yhtenä alueena (huhtikuu 2023)")
    # 31 characters at most: "A – Koko Pirkanmaa yhtenä" is 25, adding " alueena" makes 33
    assert title == "A – Koko Pirkanmaa yhtenä"
    assert excel.sheet_title("Laskut [2021]: a/b") == "Laskut 2021 a b"
    assert excel.sheet_title("Alueet", ["alueet"]) == "Alueet (2)"


def test_formats_widths_missing_values_and_print_setup(tmp_path):
    wb = Workbook()
    ws = wb.active
    frame = pd.DataFrame(
        {
            "Kunta": ["Mänttä-Vilppula", "Summa"],
            "Maksuosuus €": [252810, 252810],
            "€/asukas": [0.71, None],
        }
    )
    excel.write_frame(ws, frame, 3)
    saved = _saved(tmp_path, wb).active
    assert saved["B4"].number_format == "#,##0"
    assert saved["C4"].number_format == "#,##0.00"  # 0,71 stays 0,71, not 1
    assert saved["C5"].value == "–"
    assert saved["A5"].font.bold and saved["A5"].font.name == "Calibri"
    # "Mänttä-Vilppula" is 15 characters: the column fits it whole
    assert saved.column_dimensions["A"].width >= 15
    # "Maksuosuus" (10) is the header's longest word: it never breaks inside
    assert saved.column_dimensions["B"].width >= 10
    assert saved["A3"].alignment.wrap_text and saved.row_dimensions[3].height >= 15
    assert saved.freeze_panes == "A4"
    assert saved.print_title_rows == "$3:$3"
    assert saved.page_setup.orientation == "landscape"
    assert saved.page_setup.fitToWidth == 1 and saved.page_setup.fitToHeight == 0
    assert saved.sheet_properties.pageSetUpPr.fitToPage


def test_a_formula_in_an_area_name_stays_text_in_csv_and_workbook(data_copy, tmp_path):
    path = data_copy / "skenaariot" / "elokuu_2023.yaml"
    text = path.read_text(encoding="utf-8")
    bomb = '=HYPERLINK("http://example.invalid","x")'
    path.write_text(text.replace("nimi: Läntinen Pirkanmaa", f"nimi: '{bomb}'"), encoding="utf-8")
    result = run_cli("skenaariot", "elokuu_2023", "--csv", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    areas = {row["alue"] for row in rows}
    assert "'" + bomb in areas and bomb not in areas
    comparison = scenarios_notebook.validate_parameters(["elokuu_2023"], data_copy)
    scenarios_notebook.workbook(comparison, tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.value == bomb for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_csv_prefixes_only_formula_like_texts():
    frame = pd.DataFrame({"kunta": ["=A1", "@x", "Akaa", "-1"], "netto": [-5, 3, 0, 1]})
    rows = csv_output.render(frame, status="arvio").splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["'=A1", "'@x", "Akaa", "'-1"]
    assert [r.split(",")[1] for r in rows] == ["-5", "3", "0", "1"]  # numbers stay numbers
