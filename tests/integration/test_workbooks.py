"""Every workbook the reports write, read with openpyxl: number formats by column type, named
fonts, widths that fit headers and names, frozen header rows, print setup, notices on every sheet
and no formula anywhere."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kustannukset import international as kv


@pytest.fixture(scope="module")
def workbooks(reports) -> dict[str, object]:
    return {p.name: load_workbook(p) for p in sorted(Path(reports).rglob("*.xlsx"))}


def _header(ws, first: str):
    return next(row for row in ws.iter_rows() if row[0].value == first)


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_repeated(workbooks):
    assert len(workbooks) >= 5
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            assert ws.page_setup.orientation == "landscape", (name, ws.title)
            assert ws.sheet_properties.pageSetUpPr.fitToPage, (name, ws.title)
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
            if ws.print_title_rows:
                header = int(ws.print_title_rows.split(":")[0].strip("$"))
                assert ws.freeze_panes == f"A{header + 1}", (name, ws.title)
                assert ws.cell(row=header, column=1).alignment.wrap_text


def test_no_formula_and_every_font_named(workbooks):
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        assert cell.data_type != "f", (name, ws.title, cell.coordinate)
                        assert cell.font.name, (name, ws.title, cell.coordinate)


def test_headers_and_names_fit_their_columns(workbooks):
    wb = workbooks["hintataulukko_2023.xlsx"]
    ws = wb["Hinnat 2023"]
    longest = "Kokeilukokonaisuuden johtaminen ja koordinointi"  # 47 characters
    assert any(c.value == longest for c in ws["A"])
    assert ws.column_dimensions["A"].width >= len(longest)
    header = _header(ws, "Kunta")
    for cell in header:
        word = max(str(cell.value).split(), key=len)  # e.g. "Maksuosuudet", "Yhteensä"
        assert ws.column_dimensions[cell.column_letter].width >= len(word), cell.value
    assert ws.row_dimensions[header[0].row].height >= 15


def test_per_inhabitant_columns_keep_two_decimals(workbooks):
    wb = workbooks["skenaariot.xlsx"]
    per_scenario = [ws for ws in wb.worksheets if str(ws["A1"].value).endswith(": kunnat")]
    assert len(per_scenario) >= 3
    for ws in per_scenario:
        header = _header(ws, "Alue")
        col = next(c.column for c in header if c.value == "€/asukas")
        cell = ws.cell(row=header[0].row + 1, column=col)
        assert isinstance(cell.value, float) and cell.number_format == "#,##0.00"


def test_scenario_sheets_have_human_names_and_the_notice(workbooks):
    wb = workbooks["skenaariot.xlsx"]
    assert "paatetty_2025" not in wb.sheetnames
    assert "C – Päätetyt alueet 2025" in wb.sheetnames
    for ws in wb.worksheets:
        assert any("ESIMERKKI" in str(c.value) for c in ws["A"][:4]), ws.title
    # the municipalities of Jämsä's area are not in alternatives A and B: "–", never empty
    change = wb["Muutos päätettyyn 2025"]
    values = [c.value for row in change.iter_rows() for c in row]
    assert None not in values[values.index("Kunta") :]
    assert "–" in values


def test_estimate_notice_is_not_doubled_and_on_every_sheet(workbooks):
    wb = workbooks["hintataulukko_2024.xlsx"]
    for ws in wb.worksheets:
        texts = [str(c.value) for c in ws["A"][:4]]
        assert any(t.startswith("ARVIO") for t in texts), ws.title
        assert not any("ARVIO – ARVIO" in t for t in texts)


def test_international_notices_on_every_sheet_and_bold_totals(workbooks):
    wb = workbooks["kansainvaliset_laskut_2021.xlsx"]
    for ws in wb.worksheets:
        assert kv.EXAMPLE_NOTICE in [c.value for c in ws["A"]], ws.title
    for ws in (wb["Tasauslaskut"], wb["Suoritelaskutus"]):
        total = next(row for row in ws.iter_rows() if "Summa" in (row[0].value, row[1].value))
        assert all(c.font.bold and c.font.name == "Calibri" for c in total)


# Code names that must not reach a reader (a data file's path, ".../paatetty_2025.yaml", may).
CODE_NAMES = re.compile(
    r"(?<![/\w])(paatos|muutos_pct|toteuma_netto|lasku_yhteensa|tasauslasku_helmikuu|"
    r"siirto_seuraavaan_laskuun|paatetty_2025\w*|tyoikaiset_15_64|neljannes|osuus_pct|"
    r"potti_laskutettu)(?!\.yaml)(?![\w])"
)


def _html_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", text, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_reports_and_workbooks_speak_finnish_not_code_names(reports, workbooks):
    # before: paatos, muutos_pct, tasauslasku_helmikuu, paatetty_2025_tyovoima, "neljannes",
    # 01.01.2021 in the reports and workbooks
    found = []
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and CODE_NAMES.search(cell.value):
                        found.append((name, ws.title, cell.coordinate, cell.value[:80]))
    for path in sorted(Path(reports).rglob("*.html")):
        text = _html_text(path)
        for match in CODE_NAMES.finditer(text):
            found.append((path.name, text[max(0, match.start() - 60) : match.end() + 20]))
        found += [(path.name, m) for m in re.findall(r"\b0\d\.0\d\.\d{4}\b", text)]
    assert found == []
