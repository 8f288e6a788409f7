"""Every workbook the reports write, read with openpyxl: number formats by column type, named
fonts, widths that fit headers and names, frozen header rows, print setup, a printed header and
footer and a title on every sheet, short distinct sheet names, wrapped long texts, numbers stored
as shown, notices on every sheet and no formula anywhere."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

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
                # the header row is frozen, with the columns that name the row (Kunta ...)
                assert re.fullmatch(rf"[ABC]{header + 1}", ws.freeze_panes), (name, ws.title)
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
    # before: "C2 – Päätetyt alueet 2025", "C3 – Päätetyt alueet 2025" … cut until alike
    assert {"C2 työvoima", "C3 työttömät työnhakijat", "C6 työvoima + työttömät"} <= set(
        wb.sheetnames
    )
    c6 = wb["C6 työvoima + työttömät"]["A1"].value
    assert c6.startswith("C6 – Päätetyt alueet 2025, jakoperuste 50 % työvoima + 50 % työttömät")
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


def test_every_picture_of_every_report_has_a_finnish_alternative_text(reports):
    # before: the maps and the scenario charts read "No description has been provided for this
    # image" to a screen reader
    pictures = {}
    for path in sorted(Path(reports).rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        tags = re.findall(r"<img\b[^>]*>", html)
        pictures[path.name] = len(tags)
        for tag in tags:
            alt = re.search(r"""\balt=(["'])(.*?)\1""", tag)
            assert alt and alt.group(2).strip(), (path.name, tag[:120])
            assert "description" not in alt.group(2), (path.name, alt.group(2))
    assert pictures["aluejaot.html"] >= 3 and pictures["skenaariot.html"] >= 4


def test_the_price_tables_municipal_rows_scroll_under_their_own_header(workbooks):
    # before: the pane and the print titles were the services table's (row 4), so the
    # municipalities scrolled under "Kulut/vuosi / Flat rate / HTV"
    for year in (2023, 2024):
        ws = workbooks[f"hintataulukko_{year}.xlsx"][f"Hinnat {year}"]
        header = next(c.row for c in ws["A"] if c.value == "Kunta")
        assert ws.cell(row=header, column=ncol(ws, f"Maksuosuudet {year}")).value
        assert ws.freeze_panes == f"B{header + 1}"  # the header row and the names stay
        assert ws.print_title_rows == f"${header}:${header}"  # on every printed page


def ncol(ws, heading: str) -> int:
    """The column of the header that starts with ``heading`` ("Maksuosuudet 2024 (arvio)")."""
    return next(
        c.column
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(heading)
    )


STATUS = {
    "hintataulukko_2023.xlsx": "",
    "hintataulukko_2024.xlsx": "ARVIO",
    "kansainvaliset_laskut_2021.xlsx": "ESIMERKKI",
    "skenaariot.xlsx": "ARVIO / ESIMERKKI",
    "aluejaot.xlsx": "ARVIO / ESIMERKKI",
    # a card's figures: the cost model's fixed part an example, the funding and labour estimates
    "kuntakortti.xlsx": "ARVIO / ESIMERKKI",
}


def test_every_sheet_has_its_title_and_prints_a_header_and_a_footer(workbooks):
    for name, wb in workbooks.items():
        status = STATUS.get(name, STATUS.get(re.sub(r"_\d{3}\.xlsx$", ".xlsx", name)))
        assert status is not None, name
        for ws in wb.worksheets:
            title = ws["A1"].value
            assert isinstance(title, str) and title and ws["A1"].font.bold, (name, ws.title)
            # the title, or as much of it as a header holds (100 characters, cut at a word)
            printed = ws.oddHeader.left.text.replace("&&", "&").removesuffix(" …")
            assert " ".join(title.split()).startswith(printed)
            assert len(printed) >= min(len(title), 60), (printed, title)
            assert (ws.oddHeader.right.text or "") == status, (name, ws.title)
            assert ws.oddFooter.left.text.startswith("Laadittu ")
            assert ws.oddFooter.right.text == "Sivu &P / &N"  # page N of M


def test_sheet_names_are_short_and_tell_the_sheets_apart(workbooks):
    for name, wb in workbooks.items():
        names = [n.lower() for n in wb.sheetnames]
        assert len(set(names)) == len(names), name
        # at most Excel's 31 characters, and never told apart by a number alone ("Kunnat 1")
        assert all(len(n) <= 31 and not re.fullmatch(r"\D+ \d", n) for n in names), names
    # before: "Kunnat 1", "Kunnat 2", "Kärkijaot 1", "Kärkijaot 2"
    assert {"Kunnat, työvoima", "Kunnat, työttömät"} <= set(workbooks["aluejaot.xlsx"].sheetnames)


def _decimals(number_format: str) -> int | None:
    match = re.fullmatch(r"[#,0]*0(?:\.(0+))?( ?%)?", number_format)
    if not match:
        return None
    return len(match.group(1) or "") + (2 if match.group(2) else 0)


def test_numbers_are_stored_as_shown(workbooks):
    # before: 1765236.759698297 under "#,##0" (aluejaot), 152.1824861844902 under "#,##0.00"
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, float):
                        decimals = _decimals(cell.number_format)
                        assert decimals is not None, (name, ws.title, cell.coordinate)
                        scaled = cell.value * 10**decimals
                        assert abs(scaled - round(scaled)) < 1e-6, (
                            name,
                            ws.title,
                            cell.coordinate,
                            cell.value,
                            cell.number_format,
                        )


def _merged_width(ws, cell) -> float:
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(
                ws.column_dimensions[get_column_letter(c)].width or 8.43
                for c in range(merged.min_col, merged.max_col + 1)
            )
    return ws.column_dimensions[cell.column_letter].width or 8.43


def test_long_texts_wrap_and_no_text_touches_a_number(workbooks):
    # before: notes of 240 characters in a 140-wide column (printed microscopic on one page's
    # width), and "3OMA-valmennus": the count 3 right against the services' text
    for name, wb in workbooks.items():
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and len(cell.value) > _merged_width(ws, cell):
                        assert cell.alignment.wrap_text, (name, ws.title, cell.coordinate)
                        assert ws.column_dimensions[cell.column_letter].width <= 100
    ws = workbooks["kansainvaliset_laskut_2021.xlsx"]["Kuntaraportti"]
    header = next(row for row in ws.iter_rows() if row[0].value == "Kunta")
    produced = next(c.column for c in header if c.value == "Tuotetut palvelut")
    for row in ws.iter_rows(min_row=header[0].row + 1):
        assert row[produced - 1].alignment.indent >= 1  # "3  OMA-valmennus", not "3OMA-"
