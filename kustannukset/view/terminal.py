"""Tables and notes that fit the terminal: at most 100 characters wide by default (or the width
asked for, ``--leveys``), names left-aligned and numbers right-aligned, headers wrapped at word
boundaries.

A table too wide for the width is split into column blocks, and every block repeats the columns
that say which row is which (``keep``: the municipality, and the area where there is one) and the
column that holds a totals row's label ("Summa", "Yhteensä"), so no block has rows without names.
A text column too wide for what is left of the width is wrapped inside its cells. Every line fits
the width, as long as the identifying columns themselves do.

A note keeps a number whole and with its unit on one line: "20 000", "10 %", "689 680,40 €"."""

from __future__ import annotations

import functools
import math
import numbers
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Collection, Mapping, Sequence

import pandas as pd

from kustannukset.view.formatting import euros
from kustannukset.view.labels import STATUS_WORDS, Column, column, in_words, label, labelled

DEFAULT_WIDTH = 100
MIN_WIDTH = 40
GAP = "  "
MISSING = "–"


def width(asked: int | None = None) -> int:
    """The width to print in: the one asked for (``--leveys``), else the terminal's up to
    :data:`DEFAULT_WIDTH` (100 when the output is not a terminal)."""
    if asked:
        return max(int(asked), MIN_WIDTH)
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return max(min(shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns, DEFAULT_WIDTH), 40)
    return DEFAULT_WIDTH


def add_width_option(parser) -> None:
    parser.add_argument(
        "--leveys",
        type=int,
        metavar="MERKKIÄ",
        help=f"tulosteen leveys merkkeinä (oletus: pääte, enintään {DEFAULT_WIDTH})",
    )


def note(text: str, columns: int, hanging: int = 0) -> str:
    """A note wrapped to the width, words kept whole (only a word longer than a whole line, such as
    a web address, is split), and a number's thousands groups ("20 000") kept on one line;
    continuation lines indented by ``hanging``."""
    wrapped = textwrap.fill(
        _THOUSANDS_SPACE.sub(_HELD, text),
        width=columns,
        subsequent_indent=" " * hanging,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return wrapped.replace(_HELD, " ")


# A space between digit groups of a number, or between a number and its unit (%, €, a word such as
# "aluetta"): held together
# while wrapping (textwrap breaks only at ASCII whitespace) by a private-use character that no note
# holds, then given back as a space.
_THOUSANDS_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|[%€]|[a-zåäö])")
_HELD = "\ue000"


def command(text: str, columns: int) -> str:
    """A shell command to copy, at most ``columns`` wide: broken only between words, each broken
    line ending in a backslash, so that the lines pasted into a shell are the one command."""
    lines = textwrap.wrap(
        text, width=columns - 4, break_long_words=False, break_on_hyphens=False
    ) or [""]
    return " \\\n  ".join(lines)


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _default_cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return euros(value)
    return str(value)


def _wrap_header(text: str, cells: int) -> list[str]:
    return textwrap.wrap(str(text), width=cells, break_long_words=True, break_on_hyphens=False) or [
        ""
    ]


TOTAL_LABELS = ("Summa", "Yhteensä")


def _key_columns(frame: pd.DataFrame, keep: int | Sequence[str]) -> list[str]:
    names = [str(c) for c in frame.columns]
    if isinstance(keep, int):
        chosen = names[: min(keep, len(names))]
    else:
        missing = [k for k in keep if k not in names]
        if missing:
            raise ValueError(f"taulukossa ei ole saraketta {missing[0]}")
        chosen = list(keep)
    for name, header in zip(names, frame.columns, strict=True):
        values = frame[header]
        if (
            name not in chosen
            and not pd.api.types.is_numeric_dtype(values)
            and any(isinstance(v, str) and v.startswith(TOTAL_LABELS) for v in values)
        ):
            chosen.append(name)  # the totals row's label
    return chosen


def table(
    frame: pd.DataFrame,
    columns: int = DEFAULT_WIDTH,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    keep: int | Sequence[str] = 1,
    kept_width: int | None = None,
    titles: Collection[int] = (),
) -> str:
    """The frame as text at most ``columns`` wide: numeric columns right-aligned (Finnish format
    unless ``formats`` says otherwise), other columns left-aligned, headers wrapped. ``keep``
    names the columns that identify a row (or gives how many of the first ones do): they come
    first and, when the table is wider than ``columns``, are repeated in every block, as is the
    column with a totals row's label. ``kept_width`` wraps a long identifying text (a measure's
    name) to that many characters, leaving room for more columns in a block. The rows at the
    positions ``titles`` are headings inside the table: their first cell alone, in full (it does
    not widen the column), in every block."""
    formats = dict(formats or {})
    kept = _key_columns(frame, keep)
    order = kept + [str(c) for c in frame.columns if str(c) not in kept]
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)[order]
    names = list(order)
    right = []
    cells: list[list[str]] = []
    for name in names:
        values = frame[name]
        numeric = pd.api.types.is_numeric_dtype(values) or (
            name in formats
            and all(
                isinstance(v, numbers.Number) and not isinstance(v, bool)
                for v in values
                if not _is_missing(v)
            )
        )
        right.append(numeric)
        fmt = formats.get(name, _default_cell)
        cells.append(
            [
                MISSING if v is None or (isinstance(v, float) and math.isnan(v)) else fmt(v)
                for v in values
            ]
        )
    titles = set(titles)
    widths = []
    for name, shown in zip(names, cells, strict=True):
        widths.append(
            max(
                [_longest_word(name), *(len(s) for row, s in enumerate(shown) if row not in titles)]
            )
        )
    for i, name in enumerate(names):  # a header wraps into as few lines as the cells allow
        if len(name) <= widths[i] + 4:
            widths[i] = max(widths[i], len(name))
    fixed = len(kept)
    # Every line fits the width. The identifying columns leave room for the widest number (a
    # number cannot wrap; its header can) or a wrapped text column: the widest of them wraps in
    # its cells until they do. A column still wider than the room left wraps its cells (text) or
    # its header (numbers).
    content = [
        max((len(c) for row, c in enumerate(shown) if row not in titles), default=0)
        for shown in cells
    ]
    if kept_width:
        for i in range(fixed):
            if not right[i]:
                widths[i] = min(widths[i], max(kept_width, _longest_word(names[i]), MIN_KEPT))
    need = max([MIN_CELL, *(content[i] for i in range(fixed, len(names)) if right[i])])
    while fixed < len(names) and sum(widths[:fixed]) + len(GAP) * fixed + need > columns:
        narrow = [
            i
            for i in range(fixed)
            if widths[i] > (content[i] if right[i] else MIN_KEPT) and widths[i] > MIN_KEPT
        ]
        if not narrow:
            break
        widest = max(narrow, key=lambda i: widths[i])
        excess = sum(widths[:fixed]) + len(GAP) * fixed + need - columns
        floor = content[widest] if right[widest] else MIN_KEPT
        widths[widest] = max(widths[widest] - excess, floor, MIN_KEPT)
    used = sum(widths[:fixed]) + len(GAP) * fixed
    room = max(columns - used, MIN_CELL)
    for i in range(fixed, len(names)):
        if widths[i] > room:
            widths[i] = max(room, content[i]) if right[i] else room
    blocks = _blocks(widths, columns, fixed)
    return "\n\n".join(_block(names, cells, widths, right, block, titles) for block in blocks)


MIN_CELL = 12  # a wrapped text column is at least this wide
MIN_KEPT = 8  # an identifying column, at the narrowest widths


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _blocks(widths: list[int], columns: int, keep: int) -> list[list[int]]:
    fixed = list(range(min(keep, len(widths))))
    used = sum(widths[i] for i in fixed) + len(GAP) * (len(fixed) - 1)
    blocks, current, size = [], list(fixed), used
    for i in range(len(fixed), len(widths)):
        extra = len(GAP) + widths[i]
        if size + extra > columns and len(current) > len(fixed):
            blocks.append(current)
            current, size = list(fixed), used
        current.append(i)
        size += extra
    blocks.append(current)
    return blocks


def _cell_lines(text: str, width: int) -> list[str]:
    """A text cell in lines of at most ``width``: at word boundaries, and only a word longer than
    a whole line split."""
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    for word in text.split():
        while len(word) > width:  # a word longer than a line: in pieces
            if lines and len(lines[-1]) < width:
                lines.append("")
            lines.append(word[:width])
            word = word[width:]
        if lines and lines[-1] and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        elif word:
            lines.append(word)
    return [line for line in lines if line] or [""]


def _block(names, cells, widths, right, block: list[int], titles=frozenset()) -> str:
    headers = {i: _wrap_header(names[i], widths[i]) for i in block}
    height = max(len(h) for h in headers.values())
    lines = []
    for line in range(height):
        parts = []
        for i in block:
            # the header's last line sits right above the numbers
            text = (
                headers[i][line - (height - len(headers[i]))]
                if (line >= height - len(headers[i]))
                else ""
            )
            parts.append(text.rjust(widths[i]) if right[i] else text.ljust(widths[i]))
        lines.append(GAP.join(parts).rstrip())
    lines.append(GAP.join("-" * widths[i] for i in block))
    for row in range(len(cells[0]) if cells else 0):
        if row in titles:
            lines.append(cells[block[0]][row])
            continue
        wrapped = {i: _cell_lines(cells[i][row], widths[i]) for i in block}
        for line in range(max(len(w) for w in wrapped.values())):
            parts = []
            for i in block:
                text = wrapped[i][line] if line < len(wrapped[i]) else ""
                parts.append(text.rjust(widths[i]) if right[i] else text.ljust(widths[i]))
            lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def _kind_format(col: Column) -> Callable[[object], str] | None:
    kind = col.kind.name
    if kind in ("money", "decimal"):
        return functools.partial(euros, decimals=col.kind.decimals)
    if kind == "count":
        return euros
    if kind == "status":
        return lambda v: STATUS_WORDS.get(str(v).lower(), str(v))
    if col.name.endswith("paatos"):
        return lambda v: in_words(str(v))
    return None


def named_table(
    frame: pd.DataFrame,
    columns: int = DEFAULT_WIDTH,
    keep: Sequence[str] = ("kuntanumero", "kunta"),
    extra: Mapping[str, Column] | None = None,
) -> str:
    """A table whose columns have the snake_case names of :mod:`kustannukset.view.labels`, shown
    for people: Finnish headers, each cell as its kind is read (money with its decimals, codes of
    values in words), the identifying columns ``keep`` (those present) repeated in every block."""
    formats = {}
    for name in frame.columns:
        col = column(str(name), extra)
        fmt = _kind_format(col)
        if fmt is not None:
            formats[col.label] = fmt
    shown = labelled(frame, extra)
    kept = [label(k, extra) for k in keep if k in frame.columns]
    return table(shown, columns, formats, keep=kept)
