"""Writing tables into Excel workbooks: one table writer, the shared formats and styles, and the
page setup every sheet gets. Every workbook the project writes follows these rules:

- Numbers are stored as numbers with the formats ``#,##0``, ``#,##0.00`` and ``0.0 %``: Excel shows
  them in the reader's locale, so a Finnish Excel shows 370 841, 0,71 and 3,1 %. A column's format
  follows its header: euros per inhabitant or per unemployed person get two decimals, shares given
  as fractions a percentage, other sums whole euros. A number is stored as it is shown: a
  fraction is rounded to its format's decimals by :func:`kustannukset.core.money.display`, so no
  cell holds a raw float (1 765 236,7597 shown as 1 765 237).
- The sheet's main table (the municipalities') has its header row frozen with the columns that
  say which row is which, and repeated on every printed page (``write_frame(..., main=True)``;
  otherwise the sheet's first table).
- Every sheet has its full title in A1 and a printed header and footer: the title and the status
  (ESIMERKKI, ARVIO) at the top, the date made and "Sivu N / M" at the bottom
  (:func:`save`'s ``status``).
- Sheet names are short, Finnish and tell the sheets apart (:func:`sheet_title`: "C1 työikäiset"
  for "C1 – Päätetyt alueet 2025, jakoperuste työikäiset").
- Text longer than its column wraps: inside a table in its cell (the row made higher), a notice
  or note under the title across the table's width; a text column never touches a number to its
  left (it is indented).

No cell is ever a formula: a text that would start with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) is stored as text with Excel's quote prefix, following OWASP's advice on CSV and
spreadsheet injection. :func:`save` checks every cell of the workbook before writing it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from copy import copy
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kustannukset.core.money import display, exact
from kustannukset.view.formatting import date
from kustannukset.view.html import output_data

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
        row = note(ws, row, text, WARNING)
    return row


def _cut(text: str, limit: int = 31) -> str:
    """``text`` cut at a word boundary to ``limit`` characters."""
    if len(text) <= limit:
        return text
    out = ""
    for word in text.split(" "):
        if len(out) + len(word) + (1 if out else 0) > limit:
            break
        out = f"{out} {word}" if out else word
    return out.rstrip(" –-,") or text[:limit]


def short_name(title: str) -> str:
    """A sheet's name for a long title: its label and what tells it apart from its siblings.
    "C1 – Päätetyt alueet 2025, jakoperuste työikäiset" -> "C1 työikäiset"; "C6 – …, jakoperuste
    50 % työvoima + 50 % työttömät" -> "C6 työvoima + työttömät"; a title that fits stays."""
    clean = " ".join(_FORBIDDEN_IN_TITLE.sub(" ", title).split()).strip("'")
    if len(clean) <= 31:
        return clean
    label, _, rest = clean.partition(" – ")
    if not rest:
        return _cut(clean)
    if ", " in rest:
        tail = rest.rsplit(", ", 1)[1]
        tail = re.sub(r"^(jakoperuste|peruste)\s+", "", tail)
        tail = " ".join(w for w in tail.split() if not re.fullmatch(r"[\d,.]+|%", w))
        return _cut(f"{label} {tail}")
    return _cut(f"{label} {rest}")


def sheet_title(text: str, taken=()) -> str:
    """A sheet name from a human title (:func:`short_name`: forbidden characters removed, at most
    Excel's 31 characters), made unique among ``taken``."""
    clean = short_name(text)
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


def _decimals(number_format: str) -> int | None:
    """The decimals a number format shows (a percentage two more), None for no number format."""
    match = re.fullmatch(r"[#,0]*0(?:\.(0+))?( ?%)?", number_format.replace(" %", "%"))
    if not match:
        return None
    decimals = len(match.group(1) or "")
    return decimals + 2 if match.group(2) else decimals


def stored(value: float, number_format: str) -> float | int:
    """A float as its cell shows it: rounded half-up to the format's decimals (money by the money
    module's display rule), a whole number as an int."""
    decimals = _decimals(number_format)
    if decimals is None or not math.isfinite(value):
        return value
    shown = display(exact(value), decimals)
    return int(shown) if shown.denominator == 1 and decimals == 0 else float(shown)


def identifying_columns(frame: pd.DataFrame) -> int:
    """How many of the first columns say which row is which: the text columns before the first
    number, at most two (Kuntanumero and Kunta)."""
    count = 0
    for column in frame.columns[:2]:
        if pd.api.types.is_numeric_dtype(frame[column]):
            break
        values = [v for v in frame[column] if not _is_missing(v)]
        if values and all(isinstance(v, int | float) for v in values):
            break
        count += 1
    return max(count, 1)


def write_frame(
    ws,
    frame: pd.DataFrame,
    start_row: int,
    formats: dict[str, str] | None = None,
    float_format: str = EURO_FORMAT,
    *,
    main: bool | None = None,
) -> int:
    """Write a table with a bold, wrapped header; a row is bold when its first or second cell is
    'Summa'. Numbers take the column's format from ``formats``, else from the header
    (:func:`column_format`), else whole numbers ``#,##0`` and others ``float_format``, and are
    stored as shown (:func:`stored`). Missing values show as "–". A text longer than its column
    wraps in its cell. The ``main`` table's header row and identifying columns are frozen and the
    header is repeated on every printed page (``main=None``: the sheet's first table). Returns the
    next free row."""
    formats = formats or {}
    widths: list[float] = []
    text_columns: set[int] = set()
    for col, name in enumerate(frame.columns, start=1):
        cell = put(ws, start_row, col, str(name), BOLD)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(max(_longest_word(name) + 2, MIN_WIDTH))
    rows: list[list] = []
    for r, record in enumerate(frame.itertuples(index=False), start=start_row + 1):
        is_total = "Summa" in (str(record[0]), str(record[1]) if len(record) > 1 else "")
        cells = []
        for col, (name, value) in enumerate(zip(frame.columns, record, strict=True), start=1):
            if _is_missing(value):
                value = MISSING
            elif hasattr(value, "item"):
                value = value.item()
            number_format = None
            if isinstance(value, int | float) and not isinstance(value, bool):
                default = float_format if isinstance(value, float) else EURO_FORMAT
                number_format = formats.get(str(name)) or column_format(str(name)) or default
                if isinstance(value, float):
                    value = stored(value, number_format)
            elif value != MISSING:
                text_columns.add(col)
            cell = put(ws, r, col, value, BOLD if is_total else NORMAL)
            if value == MISSING:
                cell.alignment = Alignment(horizontal="right")
            elif number_format is not None:
                cell.number_format = number_format
            widths[col - 1] = max(widths[col - 1], len(_shown(value, number_format)) + 2)
            cells.append(cell)
        rows.append(cells)
    header_lines = 1
    for col, name in enumerate(frame.columns, start=1):
        width = min(widths[col - 1], MAX_WIDTH)
        ws.column_dimensions[get_column_letter(col)].width = max(
            width, ws.column_dimensions[get_column_letter(col)].width or 0
        )
        header_lines = max(header_lines, _lines(str(name), width - 1))
    ws.row_dimensions[start_row].height = LINE_HEIGHT * header_lines + 2
    for cells in rows:
        lines = 1
        for cell in cells:
            if cell.column in text_columns and isinstance(cell.value, str):
                width = ws.column_dimensions[cell.column_letter].width or MIN_WIDTH
                # a text after a number is indented, so that "3" and "OMA-valmennus" never touch
                indent = 1 if cell.column > 1 else 0
                wrap = len(cell.value) > width - 1
                if wrap or indent:
                    cell.alignment = Alignment(wrap_text=wrap, vertical="top", indent=indent)
                if wrap:
                    lines = max(lines, _lines(cell.value, width - 3))
        if lines > 1:
            ws.row_dimensions[cells[0].row].height = LINE_HEIGHT * lines + 2
    if main or (main is None and ws.freeze_panes in (None, "A1")):
        keep = identifying_columns(frame)
        ws.freeze_panes = f"{get_column_letter(keep + 1)}{start_row + 1}"
        ws.print_title_rows = f"{start_row}:{start_row}"
    return start_row + len(frame) + 2


def note(ws, row: int, text: str, font: Font | None = None) -> int:
    """A note or notice of one line or more under a sheet's title (wrapped in :func:`save` to the
    width of the sheet's tables); returns the next row."""
    put(ws, row, 1, text, font or NORMAL)
    return row + 1


def page_setup(ws) -> None:
    """A4 landscape, one page wide (as many pages high as needed), margins of about 1.5 cm."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.gridLines = False


HEADER_TEXT_MAX = 100  # characters of a title in the printed header (Excel allows 255 in all)


def _header_text(text: str) -> str:
    """Text for a header or footer: '&' doubled (a single one starts a code), cut to fit."""
    text = " ".join(str(text).split())
    if len(text) > HEADER_TEXT_MAX:
        text = text[: HEADER_TEXT_MAX - 1].rsplit(" ", 1)[0] + " …"
    return text.replace("&", "&&")


def header_and_footer(ws, status: str = "", made: dt.date | None = None) -> None:
    """The printed page's header (the sheet's title from A1, the status in red) and footer (the
    date made, "Sivu N / M")."""
    made = made or dt.date.today()
    title = ws["A1"].value or ws.title
    ws.oddHeader.left.text = _header_text(title)
    ws.oddHeader.left.size = 9
    if status:
        ws.oddHeader.right.text = _header_text(status)
        ws.oddHeader.right.font = f"{FONT_NAME},Bold"
        ws.oddHeader.right.color = "C00000"
    ws.oddFooter.left.text = f"Laadittu {date(made)}"
    ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "Sivu &P / &N"
    ws.oddFooter.right.size = 9


NOTE_WIDTH = 100  # a sheet of notes alone wraps its texts at this many characters


def wrap_notes(ws) -> None:
    """Each text alone on its row in column A (a title, a notice, a note) that is longer than the
    sheet's tables are wide: merged across their columns and wrapped there, the row made as high
    as its lines; on a sheet of notes alone, column A is :data:`NOTE_WIDTH` wide and wraps."""
    last = max(ws.max_column, 1)
    widths = [
        ws.column_dimensions[get_column_letter(c)].width or MIN_WIDTH for c in range(1, last + 1)
    ]
    if last == 1:
        ws.column_dimensions["A"].width = NOTE_WIDTH
        widths = [NOTE_WIDTH]
    across = max(sum(widths), NOTE_WIDTH if last == 1 else 0)
    for row in ws.iter_rows(min_col=1, max_col=last):
        first = row[0]
        if not isinstance(first.value, str) or any(c.value is not None for c in row[1:]):
            continue
        if len(first.value) <= widths[0]:
            continue
        if last > 1:
            ws.merge_cells(start_row=first.row, start_column=1, end_row=first.row, end_column=last)
        first.alignment = Alignment(wrap_text=True, vertical="top")
        size = (first.font.size or 11) / 11
        lines = _lines(first.value, across / size - 2)
        ws.row_dimensions[first.row].height = LINE_HEIGHT * size * lines + 2


def save(wb, path: Path, status: str = "", made: dt.date | None = None) -> None:
    """Page setup, header and footer (with ``status``: ESIMERKKI, ARVIO; empty for published
    figures) and wrapped notes on every sheet, no formula in any cell, every font named; then
    write."""
    for ws in wb.worksheets:
        page_setup(ws)
        header_and_footer(ws, status, made)
        wrap_notes(ws)
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


# --- a workbook as data ----------------------------------------------------------------------------

# An executed report notebook carries its workbook's plan under this key in an output's metadata
# (:meth:`WorkbookPlan.metadata`), for the render process to write (:func:`planned_workbook`).
PLAN_KEY = "kustannukset_tyokirja"
# Font names of a planned workbook's texts.
FONTS = {"normal": NORMAL, "title": TITLE, "warning": WARNING}


def _json_cell(value):
    """A table cell as JSON holds it: an int, a float, a text, a truth value or None (missing)."""
    if _is_missing(value):
        return None
    if hasattr(value, "item"):  # a NumPy scalar
        value = value.item()
    return value


class WorkbookPlan:
    """A workbook's sheets as plain data: planned where its figures are (in the report's kernel),
    carried as JSON (:meth:`to_data`, :meth:`from_data`) and written elsewhere (:meth:`write`),
    so that the workbook holds the very figures the report shows and nothing is computed twice.

    A sheet is laid out top down, as a writer with ``put``, ``note`` and :func:`write_frame`
    lays it out: each text takes one row, a gap its rows, a table its rows and two more."""

    def __init__(self, status: str = "") -> None:
        self.status = status
        self.sheets: list[dict] = []

    def sheet(self, name: str, title: str, notices=()) -> WorkbookPlan:
        """A new sheet named after ``name`` (:func:`sheet_title`), its ``title`` in A1 and the
        ``notices`` under it in red."""
        self.sheets.append({"name": name, "items": []})
        self.text(title, "title")
        for notice in notices:
            self.text(notice, "warning")
        return self

    def text(self, text: str, font: str = "normal") -> WorkbookPlan:
        if font not in FONTS:
            raise ValueError(f"tuntematon kirjasin {font!r}")
        self.sheets[-1]["items"].append({"text": str(text), "font": font})
        return self

    def gap(self, rows: int = 1) -> WorkbookPlan:
        self.sheets[-1]["items"].append({"gap": int(rows)})
        return self

    def table(self, frame: pd.DataFrame, formats: dict[str, str] | None = None) -> WorkbookPlan:
        self.sheets[-1]["items"].append(
            {
                "columns": [str(c) for c in frame.columns],
                "rows": [[_json_cell(v) for v in row] for row in frame.itertuples(index=False)],
                "formats": dict(formats or {}),
            }
        )
        return self

    def to_data(self) -> dict:
        return {"status": self.status, "sheets": self.sheets}

    def metadata(self) -> dict:
        """The plan for an output's metadata (:data:`PLAN_KEY`)."""
        return {PLAN_KEY: self.to_data()}

    @classmethod
    def from_data(cls, data: dict) -> WorkbookPlan:
        plan = cls(str(data["status"]))
        plan.sheets = list(data["sheets"])
        return plan

    def write(self, path: Path, made: dt.date | None = None) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for planned in self.sheets:
            ws = wb.create_sheet(sheet_title(planned["name"], wb.sheetnames))
            row = 1
            for item in planned["items"]:
                if "text" in item:
                    put(ws, row, 1, item["text"], FONTS[item["font"]])
                    row += 1
                elif "gap" in item:
                    row += item["gap"]
                else:
                    frame = pd.DataFrame(item["rows"], columns=item["columns"], dtype=object)
                    row = write_frame(ws, frame, row, item["formats"])
        save(wb, path, status=self.status, made=made)


def planned_workbook(path: Path, notebook: Path, make: Callable[[], WorkbookPlan]) -> None:
    """Write the workbook ``path`` from the plan the executed ``notebook`` carries (under
    :data:`PLAN_KEY`), or, from a notebook run without one, from ``make()``."""
    try:
        data = output_data(notebook, PLAN_KEY)
    except (OSError, ValueError):
        data = None
    plan = make() if data is None else WorkbookPlan.from_data(data)
    plan.write(path)
