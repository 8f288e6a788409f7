"""Tables for notebooks: Finnish number format in both the HTML report and the plain text that
nbval compares, and deterministic output (no random ids).

A table is made for the printed page (A4 landscape, :mod:`kustannukset.view.html`): its width on
paper is measured with the report's print font (DejaVu Sans 8 pt, the font matplotlib ships), and a
table wider than the page is split into parts, each as wide as the page at most, each repeating the
columns that say which row is which (``keep``: the municipality, the service; by default the text
columns before the first number) and the column of the totals row's label. A header longer than
:data:`HEADER_WRAP_PX` wraps inside its column; a text cell longer than :data:`TEXT_WRAP_PX` (a
list of services) wraps inside its cell. The plain text (``print(t)``) is the whole table."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from kustannukset.view.formatting import NBSP, euros, percent

if TYPE_CHECKING:
    from matplotlib.ft2font import FT2Font

TOTAL_LABELS = ("Summa", "Yhteensä")

# The printed page: A4 landscape, 10 mm margins (kustannukset.view.html), in CSS pixels.
MM = 96 / 25.4
PRINT_WIDTH_PX = (297 - 2 * 10) * MM
# A table is split when its measured width passes this share of the page: the reader's browser
# may use a wider font than DejaVu Sans' advances say (kerning, hinting, a fallback font).
FIT_SHARE = 0.97
PRINT_FONT_PT = 8
PRINT_FONT_PX = PRINT_FONT_PT * 96 / 72
CELL_PADDING_PX = 6  # each side (kustannukset.view.html: th, td { padding: 1px 6px })
HEADER_WRAP_PX = (
    0  # a header may wrap at any space (the browser wraps only as much as the page needs)
)
TEXT_WRAP_PX = 300  # a longer text cell wraps inside a column this wide
# How narrow a text column may wrap before a table is split instead (None: no narrower than
# TEXT_WRAP_PX); the one that takes the least paper is chosen.
NARROWEST_TEXT_PX = (None, 200, 150, 100)


@functools.cache
def _font(bold: bool) -> FT2Font:
    # matplotlib (its font files and font reader) is imported when a table is first measured, not
    # by every command that only prints tables to the terminal
    import matplotlib
    from matplotlib.ft2font import FT2Font

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    font = FT2Font(str(folder / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")))
    font.set_size(PRINT_FONT_PT, 96)
    return font


@functools.cache
def _advance(char: str, bold: bool) -> float:
    from matplotlib.ft2font import LoadFlags

    glyph = _font(bold).load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return glyph.linearHoriAdvance / 65536


def text_width(text: str, bold: bool = False) -> float:
    """How wide ``text`` prints in a table, in CSS pixels (DejaVu Sans 8 pt, no kerning)."""
    return sum(_advance(char, bold) for char in str(text))


def _words_width(text: str, bold: bool = False) -> float:
    return max((text_width(word, bold) for word in str(text).split()), default=0.0)


def _lines(text: str, width: float, bold: bool = False) -> int:
    """How many lines ``text`` wraps into at ``width`` px (at its spaces)."""
    lines, used = 1, 0.0
    space = text_width(" ", bold)
    for word in str(text).split():
        w = text_width(word, bold)
        if used and used + space + w > width:
            lines, used = lines + 1, w
        else:
            used += (space if used else 0) + w
    return lines


@dataclass
class _Measures:
    """A formatted table's printed widths: each column's widest cell, its header's narrowest
    (longest word) and its longest word."""

    frame: pd.DataFrame
    right: list[bool]
    total_rows: list[bool]
    content: list[float]
    header: list[float]
    words: list[float]

    def lines(self, parts, widths, text) -> int:
        """The printed height of ``parts`` in lines: each part's caption, header and rows."""
        pad = 2 * CELL_PADDING_PX + 1
        total = 0
        for part in parts:
            head = max(_lines(self.frame.columns[i], widths[i] - pad, True) for i in part)
            total += 2 + head
            for r, row in enumerate(self.frame.itertuples(index=False)):
                total += max(
                    _lines(row[i], text[i], self.total_rows[r]) if text[i] is not None else 1
                    for i in part
                )
        return total


class Table:
    """A DataFrame shown with Finnish formats; ``print(t)`` and the HTML show the same figures.

    ``keep`` names the columns that identify a row (or how many of the first ones do); by default
    the text columns before the first number, at most two. They, and the column holding a totals
    row's label, are repeated in every part of a table too wide for the page."""

    def __init__(
        self,
        frame: pd.DataFrame,
        formats: Mapping[str, Callable[[object], str]] | None = None,
        caption: str = "",
        notice: str = "",
        keep: int | Sequence[str] | None = None,
        wrap: float = TEXT_WRAP_PX,
    ) -> None:
        self.frame = frame
        self.caption = caption
        self.notice = notice
        self.keep = keep
        self.wrap = wrap  # a longer text cell wraps inside a column this wide (px), if it fits
        formats = dict(formats or {})
        for column in frame.columns:
            if column not in formats and pd.api.types.is_numeric_dtype(frame[column]):
                formats[column] = euros
        self.formats = formats

    def _formatted(self) -> pd.DataFrame:
        out = self.frame.copy()
        for column, fmt in self.formats.items():
            if column in out:
                out[column] = [fmt(v) for v in out[column]]
        return out.astype(str)

    def _heading(self) -> list[str]:
        return [line for line in (self.caption, self.notice) if line]

    def __str__(self) -> str:
        text = self._formatted().to_string(index=False)
        return "\n".join([*self._heading(), text])

    __repr__ = __str__

    # --- the printed page

    def _right(self, frame: pd.DataFrame) -> list[bool]:
        return [column in self.formats for column in frame.columns]

    def kept(self) -> list[int]:
        """The positions of the columns repeated in every part."""
        columns = list(self.frame.columns)
        right = self._right(self.frame)
        if isinstance(self.keep, int):
            chosen = list(range(min(self.keep, len(columns))))
        elif self.keep is not None:
            chosen = [columns.index(name) for name in self.keep]
        else:
            chosen = []
            for i, is_number in enumerate(right):
                if is_number or len(chosen) == 2:
                    break
                chosen.append(i)
        for i, column in enumerate(columns[:2]):
            values = self.frame[column].astype(str)
            if i not in chosen and values.str.startswith(TOTAL_LABELS).any():
                chosen.append(i)  # the totals row's label
        return sorted(chosen)

    def _measure(self, frame: pd.DataFrame) -> _Measures:
        total_rows = [
            any(str(v).startswith(TOTAL_LABELS) for v in row[:2])
            for row in frame.itertuples(index=False)
        ]
        right = self._right(frame)
        content, header, words = [], [], []
        for i, column in enumerate(frame.columns):
            cells = frame.iloc[:, i]
            content.append(
                max(
                    (text_width(v, bold) for v, bold in zip(cells, total_rows, strict=True)),
                    default=0.0,
                )
            )
            header.append(
                max(_words_width(column, bold=True), min(text_width(column, True), HEADER_WRAP_PX))
            )
            words.append(max((_words_width(v) for v in cells), default=0.0))
        return _Measures(frame, right, total_rows, content, header, words)

    def _layout(
        self, m: _Measures, narrowest: float | None
    ) -> tuple[list[float], list[float | None]]:
        """Per column: its printed width (px, padding included) and, for a text column that
        wraps, the width its text wraps to (None: on one line). A text longer than the table's
        ``wrap`` (:data:`TEXT_WRAP_PX` unless given) wraps; with ``narrowest``, while the table
        is wider than the page, the widest text columns wrap narrower, down to ``narrowest`` or
        their longest word."""
        n = len(m.content)
        floor = [
            m.header[i]
            if m.right[i]
            else max(m.header[i], m.words[i], min(narrowest or self.wrap, m.content[i]))
            for i in range(n)
        ]
        text: list[float | None] = [None] * n
        for i in range(n):
            if not m.right[i] and m.content[i] > max(self.wrap, floor[i]):
                text[i] = max(self.wrap, floor[i])
        pad = 2 * CELL_PADDING_PX + 1

        def widths() -> list[float]:
            return [
                (text[i] if text[i] is not None else max(m.content[i], floor[i])) + pad
                for i in range(n)
            ]

        limit = PRINT_WIDTH_PX * FIT_SHARE
        while narrowest is not None and sum(widths()) > limit:
            shown = widths()
            narrower = [i for i in range(n) if not m.right[i] and shown[i] - pad > floor[i] + 1]
            if not narrower:
                break
            i = max(narrower, key=lambda j: shown[j])
            text[i] = max(floor[i], shown[i] - pad - (sum(shown) - limit))
        return widths(), text

    def _split(self, widths: list[float]) -> list[list[int]]:
        kept = self.kept()
        others = [i for i in range(len(widths)) if i not in kept]
        limit = PRINT_WIDTH_PX * FIT_SHARE
        base = sum(widths[i] for i in kept)
        parts, current, used = [], [], base
        for i in others:
            if current and used + widths[i] > limit:
                parts.append(current)
                current, used = [], base
            current.append(i)
            used += widths[i]
        parts.append(current)
        return [kept + part for part in parts]

    def _plan(self) -> tuple[list[list[int]], list[float | None]]:
        """The layout that takes the least paper: text columns wrapped narrower (more lines per
        row) or the table split into more parts (every row again in each part)."""
        m = self._measure(self._formatted())
        best = None
        for narrowest in NARROWEST_TEXT_PX:
            widths, text = self._layout(m, narrowest)
            parts = self._split(widths)
            lines = m.lines(parts, widths, text)
            if best is None or (lines, len(parts)) < best[0]:
                best = ((lines, len(parts)), parts, text)
        return best[1], best[2]

    def parts(self) -> list[list[int]]:
        """The columns of each printed part: the kept columns, then as many others as fit the
        page's width."""
        return self._plan()[0]

    def _repr_html_(self) -> str:
        """The table, or its parts, with the caption (and notice) inside, numbers right-aligned
        with non-breaking thousands separators, names unbroken, and the summary row in bold."""
        frame = self._formatted()
        right = self._right(frame)
        parts, wraps = self._plan()
        return "\n".join(
            self._part_html(frame, right, wraps, columns, n, len(parts))
            for n, columns in enumerate(parts, start=1)
        )

    def _part_html(
        self,
        frame: pd.DataFrame,
        right: list[bool],
        wraps: list[float | None],
        columns: list[int],
        number: int,
        count: int,
    ) -> str:
        def header(i: int) -> str:
            align = "right" if right[i] else "left"
            return f'<th style="text-align: {align}">{header_html(frame.columns[i])}</th>'

        def cell(i: int, text: object) -> str:
            text = str(text).replace(" ", NBSP) if right[i] else str(text)
            if wraps[i] is not None:
                return (
                    f'<td class="teksti" style="text-align: left; white-space: normal; '
                    f'width: {wraps[i] / PRINT_FONT_PX:.1f}em">{html.escape(text)}</td>'
                )
            align = "right" if right[i] else "left"
            return f'<td style="text-align: {align}; white-space: nowrap">{html.escape(text)}</td>'

        def row_html(row: tuple) -> str:
            total = any(str(v).startswith(TOTAL_LABELS) for v in row[:2])
            attrs = ' class="summa" style="font-weight: bold"' if total else ""
            return f"<tr{attrs}>{''.join(cell(i, row[i]) for i in columns)}</tr>"

        head = "".join(header(i) for i in columns)
        body = "\n".join(row_html(row) for row in frame.itertuples(index=False))
        title = self.caption
        if count > 1:
            title = f"{title} (osa {number}/{count})" if title else f"Osa {number}/{count}"
        caption = ""
        if title or self.notice:
            notice = (
                f'<br><span class="huomautus" style="color: #c00000">'
                f"{html.escape(self.notice)}</span>"
                if self.notice
                else ""
            )
            caption = (
                f'<caption style="text-align: left; caption-side: top">'
                f"<strong>{html.escape(title)}</strong>{notice}</caption>\n"
            )
        return (
            f'<table class="kustannukset">\n{caption}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>"
        )


def header_html(text: object) -> str:
    """A header that wraps only at its spaces: a word with a hyphen ("%-osuus", "ICT-") is kept
    whole, as the page's width is measured (a browser would break after the hyphen)."""
    return " ".join(
        f'<span style="white-space: nowrap">{html.escape(word)}</span>'
        if "-" in word
        else html.escape(word)
        for word in str(text).split(" ")
    )


def percent_format(decimals: int = 1) -> Callable[[object], str]:
    return lambda v: percent(v, decimals)
