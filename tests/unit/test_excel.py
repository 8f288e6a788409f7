"""The workbook writer: no formula reaches a cell, sheet names from human titles, formats by
column type, missing values as a dash."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from kustannukset.core.paths import DATA_DIR
from kustannukset.districts import report as districts_report
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


def test_sheet_names_are_short_and_tell_siblings_apart():
    # a long title keeps its label and what tells it apart: the part after its last comma
    assert excel.sheet_title("C1 – Päätetyt alueet 2025, jakoperuste työikäiset") == "C1 työikäiset"
    assert (
        excel.sheet_title("C6 – Päätetyt alueet 2025, jakoperuste 50 % työvoima + 50 % työttömät")
        == "C6 työvoima + työttömät"
    )
    # 31 characters at most, cut at a word: "A Koko Pirkanmaa yhtenä alueena" is 31
    assert (
        excel.sheet_title("A – Koko Pirkanmaa yhtenä alueena (huhtikuu 2023)")
        == "A Koko Pirkanmaa yhtenä alueena"
    )
    assert excel.sheet_title("C – Päätetyt alueet 2025") == "C – Päätetyt alueet 2025"  # fits
    assert excel.sheet_title("Laskut [2021]: a/b") == "Laskut 2021 a b"
    assert excel.sheet_title("Alueet", ["alueet"]) == "Alueet (2)"


def test_a_number_is_stored_as_its_cell_shows_it():
    assert excel.stored(1765236.759698297, "#,##0") == 1765237
    assert excel.stored(152.1824861844902, "#,##0.00") == 152.18
    assert excel.stored(0.125, "#,##0.00") == 0.13  # half up, as the money module rounds
    assert excel.stored(2.5, "#,##0") == 3  # not to the even 2
    assert excel.stored(0.0313466077819234, "0.0 %") == 0.031  # 3,1 %
    assert excel.stored(1.06583, "0.0000") == 1.0658  # a price factor keeps its four decimals


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
    assert saved.freeze_panes == "B4"  # the header row and the municipality's name
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
    scenarios_notebook.workbook_plan(comparison).write(tmp_path / "s.xlsx")
    wb = load_workbook(tmp_path / "s.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(c.value == bomb for c in cells)
    assert not any(c.data_type == "f" for c in cells)


def test_csv_prefixes_only_formula_like_texts():
    frame = pd.DataFrame({"kunta": ["=A1", "@x", "Akaa", "-1"], "netto": [-5, 3, 0, 1]})
    rows = csv_output.render(frame, status="arvio").splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["'=A1", "'@x", "Akaa", "'-1"]
    assert [r.split(",")[1] for r in rows] == ["-5", "3", "0", "1"]  # numbers stay numbers


def test_the_main_table_is_frozen_and_every_page_has_a_header_and_footer(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Hinnat 2023"
    excel.put(ws, 1, 1, "Hinnat vuodelle 2023 & muuta", excel.TITLE)
    notice = "ARVIO: " + "vuoden 2024 hintataulukkoa ei ole lähteissä. " * 5  # 230 characters
    row = excel.notices(ws, [notice])
    services = pd.DataFrame({"Palvelu": ["ICT"], "Kulut/vuosi": [79463]})
    row = excel.write_frame(ws, services, row + 1, main=False)
    municipalities = pd.DataFrame(
        {
            "Kuntanumero": ["020", "Summa"],
            "Kunta": ["Akaa", ""],
            "Tapahtumia": [3, 3],
            "Tuotetut palvelut": ["OMA-valmennus 2 asiakasvuosi; " * 5, ""],
            "Maksuosuus €": [11625.4, 11625.4],
        }
    )
    header = row + 1
    excel.write_frame(ws, municipalities, header, main=True)
    excel.save(wb, tmp_path / "t.xlsx", status="ARVIO", made=dt.date(2025, 3, 1))
    saved = load_workbook(tmp_path / "t.xlsx").active
    # frozen below the municipal header and right of Kuntanumero and Kunta, repeated when printed
    assert saved.freeze_panes == f"C{header + 1}"
    assert saved.print_title_rows == f"${header}:${header}"
    assert saved.oddHeader.left.text == "Hinnat vuodelle 2023 && muuta"  # "&" is a code
    assert saved.oddHeader.right.text == "ARVIO" and saved.oddHeader.right.color == "C00000"
    assert saved.oddFooter.left.text == "Laadittu 1.3.2025"
    assert saved.oddFooter.right.text == "Sivu &P / &N"
    # the 230-character notice wraps across the table's columns, its row made higher
    assert any(str(m) == "A2:E2" for m in saved.merged_cells.ranges)
    assert saved["A2"].alignment.wrap_text and saved.row_dimensions[2].height > 15
    # the long text wraps in its cell and is indented from the count before it
    services_cell = saved.cell(row=header + 1, column=4)
    assert services_cell.alignment.wrap_text and services_cell.alignment.indent == 1
    assert saved.row_dimensions[header + 1].height > 15
    assert saved.cell(row=header + 1, column=5).value == 11625  # stored as "#,##0" shows it


# --- a workbook planned in one process and written in another ------------------------------------


def _plan() -> excel.WorkbookPlan:
    frame = pd.DataFrame(
        {
            "Kunta": ["Akaa", "Summa"],
            "Maksu €": [370841, 370841],
            "Maksu €/asukas": [22.345, None],
            "Osuus": [0.125, float("nan")],
        }
    )
    plan = excel.WorkbookPlan("ARVIO")
    plan.sheet("Kunnat, työvoima", "Kuntien maksut", ["ARVIO: valtionosuus on arvio."]).gap()
    plan.table(frame, {"Osuus": excel.PERCENT_FORMAT}).text("Lähde: Tilastokeskus")
    plan.sheet("Huomiot", "Menetelmä").gap(2).text("=1+1")
    return plan


def test_a_planned_workbook_travels_as_json_and_is_laid_out_as_planned(tmp_path):
    data = json.loads(json.dumps(_plan().to_data()))
    excel.WorkbookPlan.from_data(data).write(tmp_path / "t.xlsx", made=dt.date(2026, 12, 7))
    wb = load_workbook(tmp_path / "t.xlsx")
    assert wb.sheetnames == ["Kunnat, työvoima", "Huomiot"]
    ws = wb["Kunnat, työvoima"]
    # row 1 the title, row 2 the notice in red, row 3 the gap, row 4 the table's header
    assert ws["A1"].value == "Kuntien maksut" and ws["A1"].font.sz == 13 and ws["A1"].font.b
    assert ws["A2"].value == "ARVIO: valtionosuus on arvio."
    assert ws["A2"].font.color.rgb.endswith("C00000")
    assert ws["A3"].value is None
    assert [c.value for c in ws[4]] == ["Kunta", "Maksu €", "Maksu €/asukas", "Osuus"]
    # whole euros as whole numbers, 22,345 €/asukas shown and stored as 22,35, 12,5 %
    assert [c.value for c in ws[5]] == ["Akaa", 370841, 22.35, 0.125]
    assert [c.number_format for c in ws[5][1:]] == ["#,##0", "#,##0.00", "0.0 %"]
    assert [c.value for c in ws[6]] == ["Summa", 370841, "–", "–"]  # missing as a dash
    assert ws["A6"].font.b  # the total row
    assert ws.freeze_panes == "B5"
    # a table takes its header, its rows and two more: the text after it on row 4 + 2 + 2
    assert ws["A8"].value == "Lähde: Tilastokeskus"
    assert ws.oddHeader.right.text == "ARVIO" and ws.oddFooter.left.text == "Laadittu 7.12.2026"
    notes = wb["Huomiot"]
    assert notes["A4"].value == "=1+1" and notes["A4"].data_type == "s"  # never a formula


def test_a_workbook_is_written_from_the_plan_its_notebook_carries_else_made(tmp_path):
    notebook = tmp_path / "raportti.ipynb"
    output = {"output_type": "display_data", "data": {"text/html": "<p>x</p>"}}
    output["metadata"] = {"text/html": _plan().metadata()}
    notebook.write_text(json.dumps({"cells": [{"outputs": []}, {"outputs": [output]}]}), "utf-8")
    made = []

    def make():
        made.append(1)
        return excel.WorkbookPlan("ESIMERKKI").sheet("Tehty", "Tehty uudelleen")

    excel.planned_workbook(tmp_path / "a.xlsx", notebook, make)
    assert load_workbook(tmp_path / "a.xlsx").sheetnames == ["Kunnat, työvoima", "Huomiot"]
    assert made == []
    # a notebook without the plan, one that is no JSON, and none at all: the plan made again
    (tmp_path / "ilman.ipynb").write_text(json.dumps({"cells": [{"outputs": [{}]}]}), "utf-8")
    (tmp_path / "rikki.ipynb").write_text("{", "utf-8")
    for name in ("ilman", "rikki", "puuttuu"):
        excel.planned_workbook(tmp_path / f"{name}.xlsx", tmp_path / f"{name}.ipynb", make)
        assert load_workbook(tmp_path / f"{name}.xlsx").sheetnames == ["Tehty"]
    assert made == [1, 1, 1]


@pytest.mark.parametrize(
    ("module", "notebook"), [(districts_report, "aluejaot"), (scenarios_notebook, "skenaariot")]
)
def test_a_reports_workbook_is_written_from_its_notebooks_plan_not_computed_again(
    tmp_path, monkeypatch, module, notebook
):
    output = {"output_type": "execute_result", "data": {"text/html": "<p>x</p>"}}
    output["metadata"] = {"text/html": _plan().metadata()}
    (tmp_path / f"{notebook}.ipynb").write_text(
        json.dumps({"cells": [{"outputs": [output]}]}), encoding="utf-8"
    )

    def computed(*args, **kwargs):
        raise AssertionError("the workbook's figures were computed again")

    monkeypatch.setattr(module, "validate_parameters", computed)
    (job,) = module.jobs(None, DATA_DIR)
    job.excel(tmp_path / f"{notebook}.xlsx")
    wb = load_workbook(tmp_path / f"{notebook}.xlsx")
    assert wb.sheetnames == ["Kunnat, työvoima", "Huomiot"]  # the plan's, not the report's own


def test_a_notebook_run_without_the_plan_gets_the_workbook_made_again(tmp_path):
    (tmp_path / "skenaariot.ipynb").write_text("{}", encoding="utf-8")
    (job,) = scenarios_notebook.jobs(None, DATA_DIR)
    job.excel(tmp_path / "skenaariot.xlsx")
    wb = load_workbook(tmp_path / "skenaariot.xlsx")
    assert wb.sheetnames[:2] == ["Alueet", "Maksuosuudet"] and "Huomiot" in wb.sheetnames
