"""Writing tables into Excel workbooks: one table writer, the shared formats and styles, and the
page setup every sheet gets.

Numbers are stored as numbers with the formats ``#,##0``, ``#,##0.00`` and ``0.0 %``: Excel shows
them in the reader's locale, so a Finnish Excel shows 370 841, 0,71 and 3,1 %. A column's format
follows its header: euros per inhabitant or per unemployed person get two decimals, shares given as
fractions a percentage, other sums whole euros.

No cell is ever a formula: a text that would start with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) is stored as text with Excel's quote prefix, following OWASP's advice on CSV and
spreadsheet injection. :func:`save` checks every cell of the workbook before writing it.
"""

from __future__ import annotations

import math
import re
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

EURO_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0 %"
FONT_NAME = "Calibri"
NORMAL = Font(name=FONT_NAME, size=11)
BOLD = Font(name=FONT_NAME, size=11, bold=True)
TITLE = Font(name=FONT_NAME, size=13, bold=True)
WARNING = Font(name=FONT_NAME, size=11, bold=True, color="C00000")
NOTE = Font(name=FONT_NAME, size=11, color="C00000")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
MISSING = "–"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
MIN_WIDTH = 8
LINE_HEIGHT = 15
_PER_UNIT = re.compile(r"€\s*/|/\s*(asukas|työtön|työllinen)|per (asukas|työtön)", re.IGNORECASE)
_FORBIDDEN_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read the text as a formula (OWASP's list of first
    characters)."""
    return text.startswith(FORMULA_STARTS)


def column_format(name: str) -> str | None:
    """The number format a column's header asks for, or None for the writer's default."""
    if _PER_UNIT.search(name):
        return DECIMAL_FORMAT
    return None


def put(ws, row: int, column: int, value, font: Font | None = None):
    """Write one cell; a formula-like text stays text. Returns the cell."""
    cell = ws.cell(row=row, column=column, value=value)
    _as_text_if_formula(cell)
    if font is not None:
        cell.font = font
    return cell


def _as_text_if_formula(cell) -> None:
    if cell.data_type == "f" or (isinstance(cell.value, str) and is_formula_like(cell.value)):
        cell.data_type = "s"
        cell.quotePrefix = True


def notices(ws, texts, row: int = 2) -> int:
    """The example or estimate notices under a sheet's title, in red; returns the next free row."""
    for text in texts:
        put(ws, row, 1, text, WARNING)
        row += 1
    return row


def sheet_title(text: str, taken=()) -> str:
    """A sheet name from a human title: forbidden characters removed, cut at a word boundary to
    Excel's 31 characters, and made unique among ``taken``."""
    clean = " ".join(_FORBIDDEN_IN_TITLE.sub(" ", text).split()).strip("'")
    if len(clean) > 31:
        words = clean.split(" ")
        clean = ""
        for word in words:
            if len(clean) + len(word) + (1 if clean else 0) > 31:
                break
            clean = f"{clean} {word}" if clean else word
        clean = clean.rstrip(" –-,") or text[:31]
    title, n = clean, 2
    lowered = {t.lower() for t in taken}
    while title.lower() in lowered:
        suffix = f" ({n})"
        title, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return title


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _longest_word(text: str) -> int:
    return max((len(w) for w in str(text).split()), default=0)


def _lines(text: str, width: float) -> int:
    """How many lines a wrapped header takes in a column ``width`` characters wide."""
    lines, used = 1, 0
    for word in str(text).split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _shown(value, number_format: str | None) -> str:
    """Roughly what a cell shows, for the column width."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    decimals = 2 if number_format == DECIMAL_FORMAT else 0
    text = f"{value:,.{decimals}f}"
    return text + " %" if number_format == PERCENT_FORMAT else text


def write_frame(
    ws,
    frame: pd.DataFrame,
    start_row: int,
    formats: dict[str, str] | None = None,
    float_format: str = EURO_FORMAT,
) -> int:
    """Write a table with a bold, wrapped header; a row is bold when its first or second cell is
    'Summa'. Numbers take the column's format from ``formats``, else from the header
    (:func:`column_format`), else whole numbers ``#,##0`` and others ``float_format``. Missing values
    show as "–". The header row is frozen and repeated on every printed page, unless an earlier
    table on the sheet already is. Returns the next free row."""
    formats = formats or {}
    widths: list[float] = []
    for col, name in enumerate(frame.columns, start=1):
        cell = put(ws, start_row, col, str(name), BOLD)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(max(_longest_word(name) + 2, MIN_WIDTH))
    for r, record in enumerate(frame.itertuples(index=False), start=start_row + 1):
        is_total = "Summa" in (str(record[0]), str(record[1]) if len(record) > 1 else "")
        for col, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            if _is_missing(value):
                value = MISSING
            elif hasattr(value, "item"):
                value = value.item()
            cell = put(ws, r, col, value, BOLD if is_total else NORMAL)
            number_format = None
            if value == MISSING:
                cell.alignment = Alignment(horizontal="right")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                default = float_format if isinstance(value, float) else EURO_FORMAT
                number_format = formats.get(str(name)) or column_format(str(name)) or default
                cell.number_format = number_format
            widths[col - 1] = max(widths[col - 1], len(_shown(value, number_format)) + 2)
    header_lines = 1
    for col, name in enumerate(frame.columns, start=1):
        width = min(widths[col - 1], MAX_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = max(
            width, ws.column_dimensions[get_column_letter(col)].width or 0
        )
        header_lines = max(header_lines, _lines(str(name), width - 1))
    ws.row_dimensions[start_row].height = LINE_HEIGHT * header_lines + 2
    if ws.freeze_panes in (None, "A1"):
        ws.freeze_panes = f"A{start_row + 1}"
        ws.print_title_rows = f"{start_row}:{start_row}"
    return start_row + len(frame) + 2


def page_setup(ws) -> None:
    """A4 landscape, one page wide (as many pages high as needed), margins of about 1.5 cm."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.gridLines = False


def save(wb, path: Path) -> None:
    """Page setup on every sheet, no formula in any cell, every font named; then write."""
    for ws in wb.worksheets:
        page_setup(ws)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                _as_text_if_formula(cell)
                if cell.font is None or cell.font.name is None:
                    font = copy(cell.font) if cell.font is not None else copy(NORMAL)
                    font.name = FONT_NAME
                    cell.font = font
    wb.save(path)
