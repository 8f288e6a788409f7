"""Scenario results as plain-text and side-by-side tables (Finnish number format)."""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence

import pandas as pd

from kustannukset.scenarios.engine import ScenarioResult
from kustannukset.view import terminal
from kustannukset.view.formatting import euros
from kustannukset.view.tables import Table

MISSING = "–"
DECIMAL_COLUMNS = {
    "Osuus %": 2,
    "€/asukas": 2,
    "€/työtön": 2,
    "Netto €/asukas": 2,
    "Muutos päätettyyn 2025 €/asukas": 2,
    "Virtain osuus %": 2,
    "Ero %": 1,
}


def _cell(value, decimals: int = 0) -> str:
    if type(value) is str:  # the most common cells first: names, and whole euros
        return value
    if type(value) is int and not decimals:
        return euros(value)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return euros(value, decimals)
    return str(value)


def terminal_table(
    frame: pd.DataFrame,
    columns: int = terminal.DEFAULT_WIDTH,
    keep: Sequence[str] | int = 1,
    titles: Sequence[int] = (),
) -> str:
    """The frame for the terminal, at most ``columns`` wide: names left, numbers right (two
    decimals where the column asks for them), missing figures as '–'; the columns ``keep`` that
    say which row is which (the municipality and its area) in every block; the rows ``titles``
    are headings (their first cell alone)."""
    formats = {
        column: functools.partial(_cell, decimals=DECIMAL_COLUMNS.get(column, 0))
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column]) or frame[column].isna().any()
    }
    return terminal.table(frame, columns, formats, keep=keep, titles=titles)


def text_table(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    headers: dict[str, str] | None = None,
) -> str:
    """A plain-text table of ``columns`` (by default every column) under ``headers`` (by default
    their names): numbers in Finnish format, missing figures as '–'. Laid out as pandas'
    ``to_string(index=False)`` lays out text cells (each column right-aligned to its widest cell
    or header, one space between columns), without building a frame of the texts or of the
    chosen columns: the explorer prints one on every change."""
    chosen = list(frame.columns if columns is None else columns)
    if frame.empty:
        return frame[chosen].rename(columns=headers or {}).to_string(index=False)
    headers = headers or {}
    columns = [
        [
            str(headers.get(column, column)),
            *(_cell(v, DECIMAL_COLUMNS.get(column, 0)) for v in frame[column].tolist()),
        ]
        for column in chosen
    ]
    widths = [max(map(len, cells)) for cells in columns]
    return "\n".join(
        " ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
        for row in zip(*columns, strict=True)
    )


def side_by_side(results: Sequence[ScenarioResult], column: str = "Maksuosuus €") -> pd.DataFrame:
    """One row per municipality (of any scenario), one column per scenario."""
    frames = []
    for result in results:
        frame = result.municipalities.set_index("Kuntanumero")[["Kunta", column]]
        frames.append(frame.rename(columns={column: result.scenario.name}))
    merged = frames[0]
    for frame in frames[1:]:
        merged = merged.combine_first(frame[["Kunta"]]).join(
            frame.drop(columns="Kunta"), how="left"
        )
    merged = (
        merged.reset_index()
        .sort_values("Kunta", key=lambda s: s.str.lower())
        .reset_index(drop=True)
    )
    columns = ["Kunta", *[r.scenario.name for r in results]]
    return merged[columns]


def rule_summary(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """Every area of every scenario: labour force, the 20 000 rule, contiguity."""
    rows = []
    for result in results:
        for row in result.areas.to_dict("records"):
            rows.append(
                {
                    "Skenaario": result.scenario.name.split(" – ")[0],
                    "Alue": row["Alue"],
                    "Kuntia": row["Kuntia"],
                    "Työvoima": row["Työvoima"],
                    "20 000 -sääntö": row["20 000 -sääntö"],
                    "Yhtenäinen": row["Yhtenäinen"],
                }
            )
    return pd.DataFrame(rows)


def table(frame: pd.DataFrame, caption: str = "", notice: str = "") -> Table:
    """The frame as a notebook table (HTML and plain text alike), missing figures as '–'."""
    formats = {
        column: functools.partial(_cell, decimals=DECIMAL_COLUMNS.get(column, 0))
        for column in frame.columns
        if pd.api.types.is_numeric_dtype(frame[column]) or frame[column].isna().any()
    }
    return Table(frame, formats, caption, notice)
