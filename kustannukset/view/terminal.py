"""Tables and notes that fit the terminal: at most 100 characters wide by default (or the width
asked for), names left-aligned and numbers right-aligned, headers wrapped at word boundaries, and
a table too wide for the width split into column blocks that repeat the name column."""

from __future__ import annotations

import math
import numbers
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Collection, Mapping

import pandas as pd

from kustannukset.view.formatting import euros

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


# A space between digit groups of a number: held together while wrapping (textwrap breaks only at
# ASCII whitespace) by a private-use character that no note holds, then given back as a space.
_THOUSANDS_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
_HELD = "\ue000"


def _default_cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return euros(value)
    return str(value)


def _wrap_header(text: str, cells: int) -> list[str]:
    return textwrap.wrap(
        str(text), width=cells, break_long_words=False, break_on_hyphens=False
    ) or [""]


def table(
    frame: pd.DataFrame,
    columns: int = DEFAULT_WIDTH,
    formats: Mapping[str, Callable[[object], str]] | None = None,
    keep: int = 1,
    titles: Collection[int] = (),
) -> str:
    """The frame as text at most ``columns`` wide: numeric columns right-aligned (Finnish format
    unless ``formats`` says otherwise), other columns left-aligned, headers wrapped. When the
    table is wider, it is printed in blocks, each repeating the first ``keep`` columns. The rows
    at the positions ``titles`` are headings inside the table: their first cell alone, in full
    (it does not widen the column), in every block."""
    formats = dict(formats or {})
    names = [str(c) for c in frame.columns]
    right = []
    cells: list[list[str]] = []
    for name, column in zip(names, frame.columns, strict=True):
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) or name in formats
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
        longest_word = max((len(w) for w in name.split()), default=0)
        widths.append(
            max([longest_word, *(len(s) for row, s in enumerate(shown) if row not in titles)])
        )
    for i, name in enumerate(names):  # a header wraps into as few lines as the cells allow
        if len(name) <= widths[i] + 4:
            widths[i] = max(widths[i], len(name))
    blocks = _blocks(widths, columns, keep)
    return "\n\n".join(_block(names, cells, widths, right, block, titles) for block in blocks)


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
        parts = [
            cells[i][row].rjust(widths[i]) if right[i] else cells[i][row].ljust(widths[i])
            for i in block
        ]
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)
