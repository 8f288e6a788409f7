"""CSV output: the one module that writes a command's ``--csv`` (and ``--excel-csv``).

The contract, the same for every command:

- headers are snake_case names from :mod:`kustannukset.view.labels` (the same name for the same
  quantity everywhere), and the last column is ``tila``: the status of the row's figures
  (``lopullinen``, ``julkaistu``, ``toteuma``, ``ennakko``, ``johdettu``, ``arvio``, ``esimerkki``,
  ``osittain``, ``puuttuu``), on every row;
- money is rounded by :mod:`kustannukset.core.money` to whole euros or to cents, as the column's kind
  says, and written with exactly that many decimals; other figures with their kind's decimals;
  a missing figure is an empty cell, never a zero;
- no notes inside the rows: a command prints its notes to standard error;
- text that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab or carriage
  return first) gets a leading apostrophe (OWASP, CSV injection).

Two dialects. :data:`PLAIN` is for programs: comma, decimal point, UTF-8 without BOM, LF.
:data:`EXCEL_FI` is for a double-click in Finnish Excel: semicolon (the Finnish list separator),
decimal comma, UTF-8 with BOM (without it Excel reads the file in the ANSI code page and breaks ä
and ö; a ``sep=;`` line is not written, as it makes Excel ignore the BOM), CRLF, and codes such as
``020`` written ``="020"``: Excel turns a plain or quoted ``020`` into the number 20, but shows the
value of the constant formula ``="020"`` as the text 020 (LibreOffice does the same). That formula
is written only for a code column whose value is digits, and is the only cell that starts with
``=``; every text cell is still guarded as above.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import pandas as pd

from kustannukset.core.money import display, exact
from kustannukset.view.labels import SNAKE, STATUSES, Column, column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    decimal: str
    bom: bool
    newline: str
    code_as_formula: bool


PLAIN = Dialect("csv", ",", ".", bom=False, newline="\n", code_as_formula=False)
EXCEL_FI = Dialect("excel-csv", ";", ",", bom=True, newline="\r\n", code_as_formula=True)


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def cell(value, col: Column, dialect: Dialect = PLAIN) -> str:
    """One value as its column's kind writes it in ``dialect`` (unquoted)."""
    kind = col.kind.name
    if _missing(value):
        return ""
    if kind in ("money", "decimal"):
        decimals = col.kind.decimals
        rounded = display(exact(value), decimals)
        sign = "-" if rounded < 0 else ""
        units, rest = divmod(abs(rounded) * 10**decimals, 10**decimals)
        text = sign + str(int(units))
        if decimals:
            text += dialect.decimal + str(int(rest)).zfill(decimals)
        return text
    if kind == "count":
        number = exact(value)
        if number.denominator != 1:
            raise ValueError(f"sarakkeen {col.name} luku {value} ei ole kokonaisluku")
        return str(int(number))
    text = str(value)
    if kind == "status":
        text = text.lower()
        if text not in STATUSES:
            raise ValueError(f"sarakkeen {col.name} tila '{value}' ei ole tila ({STATUSES})")
        return text
    if kind == "code" and text.isdigit() and dialect.code_as_formula:
        return f'="{text}"'
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _quoted(text: str, dialect: Dialect, raw: bool) -> str:
    if raw:  # the ="020" of a code: written as Excel expects it, unquoted
        return text
    if any(c in text for c in (dialect.delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def render(
    frame: pd.DataFrame,
    *,
    status: str | Sequence[str] | None = None,
    extra: Mapping[str, Column] | None = None,
    dialect: Dialect = PLAIN,
) -> str:
    """The frame (snake_case columns) as CSV text with ``tila`` last: ``status`` for every row
    (one value, or one per row), or the frame's own ``tila`` column. ``extra`` names a command's
    own columns (one per service). The text starts with a BOM in the Excel dialect."""
    frame = frame.reset_index(drop=True)
    if status is not None:
        statuses = [status] * len(frame) if isinstance(status, str) else list(status)
        frame = frame.drop(columns=["tila"], errors="ignore").assign(tila=statuses)
    if "tila" not in frame.columns:
        raise ValueError("CSV:ltä puuttuu tila-sarake")
    frame = frame[[c for c in frame.columns if c != "tila"] + ["tila"]]
    columns = [column(str(name), extra) for name in frame.columns]
    for col in columns:
        if not SNAKE.match(col.name):
            raise ValueError(f"CSV-otsikko '{col.name}' ei ole snake_case")
    lines = [dialect.delimiter.join(_quoted(c.name, dialect, False) for c in columns)]
    for row in frame.itertuples(index=False):
        parts = []
        for value, col in zip(row, columns, strict=True):
            text = cell(value, col, dialect)
            raw = col.kind.name == "code" and text.startswith('="')
            parts.append(_quoted(text, dialect, raw))
        lines.append(dialect.delimiter.join(parts))
    text = dialect.newline.join(lines) + dialect.newline
    return ("\ufeff" + text) if dialect.bom else text


def write(
    frame: pd.DataFrame,
    *,
    status: str | Sequence[str] | None = None,
    extra: Mapping[str, Column] | None = None,
    dialect: Dialect = PLAIN,
    out: TextIO | None = None,
) -> None:
    """Write :func:`render`'s text to ``out`` (standard output): as UTF-8 bytes when the stream has
    a byte buffer, whatever the terminal's encoding (a file redirected from ``>`` gets ä and ö)."""
    text = render(frame, status=status, extra=extra, dialect=dialect)
    out = out or sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        out.write(text)
