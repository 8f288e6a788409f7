"""Excel workbooks laid out like the official price table.

Numbers are stored as numbers with the formats ``#,##0`` and ``0.0 %``: Excel shows them in the
reader's locale, so a Finnish Excel shows 370 841 and 3,1 %.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kustannukset import kattavuus
from kustannukset.pricing import YearInputs, cost_table, published_layout
from kustannukset.rounding import EXACT_SUM, PUBLISHED, RULE_DESCRIPTIONS

EURO_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0 %"
BOLD = Font(bold=True)
WARNING = Font(bold=True, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_frame(
    ws,
    frame: pd.DataFrame,
    start_row: int,
    formats: dict[str, str] | None = None,
    float_format: str = EURO_FORMAT,
) -> int:
    """Write a table with a bold header; a row is bold when its first or second cell is 'Summa'.
    Numbers take the column's format from ``formats``, else whole numbers ``#,##0`` and others
    ``float_format``. Returns the next free row."""
    formats = formats or {}
    for col, name in enumerate(frame.columns, start=1):
        cell = ws.cell(row=start_row, column=col, value=str(name))
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, record in enumerate(frame.itertuples(index=False), start=start_row + 1):
        is_total = "Summa" in (str(record[0]), str(record[1]) if len(record) > 1 else "")
        for col, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            if isinstance(value, float) and pd.isna(value):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, int | float) and not isinstance(value, bool):
                default = float_format if isinstance(value, float) else EURO_FORMAT
                cell.number_format = formats.get(str(name), default)
            if is_total:
                cell.font = BOLD
    for col, name in enumerate(frame.columns, start=1):
        width = max([len(str(name)) // 2 + 2, *(len(str(v)) + 3 for v in frame.iloc[:, col - 1])])
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, 10), 48)
    return start_row + len(frame) + 2


def price_table_workbook(inputs: YearInputs, path: Path) -> None:
    """The year's price table (as published), the exact-sum invoices and the sources."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Hinnat {inputs.year}"[:31]
    ws["A1"] = f"Hinnat vuodelle {inputs.label}"
    ws["A1"].font = Font(bold=True, size=14)
    row = 2
    if inputs.is_estimate:
        ws.cell(row=row, column=1, value=f"ARVIO – {inputs.services[0].source}").font = WARNING
        row += 1
    ws.cell(row=row, column=1, value="Pyöristys: " + RULE_DESCRIPTIONS[PUBLISHED])
    row += 2
    costs = cost_table(inputs)
    row = write_frame(ws, costs, row, {"HTV": DECIMAL_FORMAT})
    ws.cell(row=row, column=1, value=f"Kuntien maksuosuudet {inputs.label}").font = BOLD
    layout = published_layout(inputs, PUBLISHED)
    layout["Alennus %"] = layout["Alennus %"] / 100
    write_frame(ws, layout, row + 1, {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT})
    ws.freeze_panes = None

    invoices = wb.create_sheet("Laskut (tasasumma)")
    invoices["A1"] = f"Laskut {inputs.label}: " + RULE_DESCRIPTIONS[EXACT_SUM]
    invoices["A1"].font = BOLD
    if inputs.is_estimate:
        invoices["A2"] = "ARVIO"
        invoices["A2"].font = WARNING
    exact = published_layout(inputs, EXACT_SUM)
    exact["Alennus %"] = exact["Alennus %"] / 100
    write_frame(invoices, exact, 3, {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT})

    sources = wb.create_sheet("Lähteet")
    lines = [
        ("Palvelujen kulut", inputs.services[0].source),
        ("Flat rate", inputs.flat_rate_source),
        (
            "Jakoperuste",
            kattavuus.note(
                inputs.statistics, inputs.key_measure, inputs.key_year, inputs.division_input.key
            ),
        ),
        ("Alennukset", inputs.discount_source),
        ("Tila", "ARVIO" if inputs.is_estimate else "julkaistu hintataulukko"),
    ]
    for r, (what, text) in enumerate(lines, start=1):
        sources.cell(row=r, column=1, value=what).font = BOLD
        sources.cell(row=r, column=2, value=text)
    sources.column_dimensions["A"].width = 18
    sources.column_dimensions["B"].width = 120
    wb.save(path)
