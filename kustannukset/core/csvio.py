"""Reading CSV files as analysts make them, with every row's line number kept for error messages.

Plain CSV (comma, decimal point, UTF-8) and Finnish Excel's CSV (semicolon, decimal comma, UTF-8
with BOM or Windows-1252) are both read; the dialect is recognised from the header line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import exact_number, read_text


@dataclass(frozen=True)
class Row:
    line: int  # line in the file, the header being line 1
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class Table:
    path: Path
    columns: list[str]
    rows: list[Row]
    decimal_comma: bool

    def number(self, row: Row, column: str, *, allow_empty: bool = False) -> Fraction | None:
        """The cell as an exact number, or a clear error naming file, row and column."""
        return parse_number(
            row[column],
            decimal_comma=self.decimal_comma,
            file=self.path,
            row=row.line,
            column=column,
            allow_empty=allow_empty,
        )


def _records(path: Path) -> tuple[str, list[list[str]], bool]:
    """A CSV file's text, its records (the header first) and whether it is Finnish Excel's
    (semicolons, decimal commas: recognised from the header line). An empty file or one the CSV
    reader cannot read is an error naming the file (and the line)."""
    text = read_text(path)
    first = text.splitlines()[0] if text.strip() else ""
    if not first:
        raise InputError("tiedosto on tyhjä", file=path)
    semicolon = first.count(";") > first.count(",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolon else ",")
    try:
        records = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"CSV-tiedostoa ei voi lukea: {exc}", file=path, row=reader.line_num
        ) from None
    return text, records, semicolon


def read_table(path: Path, required: list[str] | tuple[str, ...] = ()) -> Table:
    """Read a CSV file; missing required columns are an error naming the file."""
    path = Path(path)
    _, rows_raw, semicolon = _records(path)
    header = [h.strip() for h in rows_raw[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"sarakkeet puuttuvat: {', '.join(missing)} (otsikkorivillä on: {', '.join(header)})",
            file=path,
            row=1,
        )
    rows = []
    width = len(header)
    # csv.reader's line_num counts physical lines; recompute per record for quoted newlines.
    line = 1
    for record in rows_raw[1:]:
        line += 1
        joined = "".join(record)
        if joined.isspace() or not joined:  # an empty row
            line += joined.count("\n")
            continue
        if len(record) > width:
            raise InputError(
                f"rivillä on {len(record)} kenttää, otsikossa {width}", file=path, row=line
            )
        cells = map(str.strip, record if len(record) == width else record + [""] * width)
        rows.append(Row(line, dict(zip(header, cells, strict=False))))
        line += joined.count("\n")
    return Table(path=path, columns=header, rows=rows, decimal_comma=semicolon)


@dataclass(frozen=True)
class Columns:
    """A CSV file as programs write it, read by column: every record as wide as the header, and no
    line break inside a cell, so that row ``i`` (from 0) is on line ``i + 2``."""

    path: Path
    columns: dict[str, list[str]]  # header -> its cells, stripped as read_table strips them
    rows: int
    decimal_comma: bool


def read_columns(path: Path, required: list[str] | tuple[str, ...] = ()) -> Columns | None:
    """The cells :func:`read_table` reads, column by column, for a file as programs write it
    (:class:`Columns`); None for any other file (an empty one, a row of another width, an empty
    row or one of spaces, a line break inside a cell, a header missing a required column or
    naming one twice), which :func:`read_table` reads and whose faults it names."""
    path = Path(path)
    try:
        text, records, semicolon = _records(path)
    except InputError:
        return None
    header = [h.strip() for h in records[0]]
    body = records[1:]
    width = len(header)
    lines = text.count("\n") + (not text.endswith("\n"))
    if (
        len(set(header)) != width
        or any(c not in header for c in required)
        or len(records) != lines
        or any(len(record) != width or not "".join(record).strip() for record in body)
    ):
        return None
    cells = zip(*body, strict=True) if body else ([] for _ in header)
    columns = {h: list(map(str.strip, column)) for h, column in zip(header, cells, strict=True)}
    return Columns(path=path, columns=columns, rows=len(body), decimal_comma=semicolon)


def parse_number(
    text: str,
    *,
    decimal_comma: bool = False,
    file: Path | None = None,
    row: int | None = None,
    column: str | None = None,
    allow_empty: bool = False,
) -> Fraction | None:
    """Parse '1 234,50' (Finnish) or '1234.50' exactly; spaces may separate thousands."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("€", "")
    if cleaned == "":
        if allow_empty:
            return None
        raise InputError("arvo puuttuu", file=file, row=row, column=column)
    if decimal_comma:
        cleaned = cleaned.replace(",", ".")
    elif "," in cleaned:
        raise InputError(
            f"'{text}' ei ole luku (desimaalierotin on piste tässä tiedostossa)",
            file=file,
            row=row,
            column=column,
        )
    return exact_number(cleaned, file=file, row=row, column=column)
