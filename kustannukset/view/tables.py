"""Tables for notebooks: Finnish number format in both the HTML report and the plain text that
nbval compares, and deterministic output (no random ids)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd

from kustannukset.view.formatting import euros, percent


class Table:
    """A DataFrame shown with Finnish formats; ``print(t)`` and the HTML show the same figures."""

    def __init__(
        self,
        frame: pd.DataFrame,
        formats: Mapping[str, Callable[[object], str]] | None = None,
        caption: str = "",
    ) -> None:
        self.frame = frame
        self.caption = caption
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

    def __str__(self) -> str:
        text = self._formatted().to_string(index=False)
        return f"{self.caption}\n{text}" if self.caption else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        frame = self._formatted()
        right = [column in self.formats for column in frame.columns]

        def cell(tag: str, text: object, align_right: bool) -> str:
            align = "right" if align_right else "left"
            return f'<{tag} style="text-align: {align}">{html.escape(str(text))}</{tag}>'

        head = "".join(cell("th", c, r) for c, r in zip(frame.columns, right, strict=True))
        body = "\n".join(
            "<tr>" + "".join(cell("td", v, r) for v, r in zip(row, right, strict=True)) + "</tr>"
            for row in frame.itertuples(index=False)
        )
        caption = f"<p><strong>{html.escape(self.caption)}</strong></p>\n" if self.caption else ""
        return (
            f'{caption}<table class="kustannukset">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>"
        )


def percent_format(decimals: int = 1) -> Callable[[object], str]:
    return lambda v: percent(v, decimals)
