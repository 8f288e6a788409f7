"""Writing tables into Excel workbooks: one table writer and the shared formats and styles.

Numbers are stored as numbers with the formats ``#,##0`` and ``0.0 %``: Excel shows them in the
reader's locale, so a Finnish Excel shows 370 841 and 3,1 %.
"""

from __future__ import annotations

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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
