"""Tables for notebooks: Finnish number format in both the HTML report and the plain text that
nbval compares, and deterministic output (no random ids)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import pandas as pd

from kustannukset.view.formatting import NBSP, euros, percent

TOTAL_LABELS = ("Summa", "Yhteensä")


class Table:
    """A DataFrame shown with Finnish formats; ``print(t)`` and the HTML show the same figures."""

    def __init__(
        self,
        frame: pd.DataFrame,
        formats: Mapping[str, Callable[[object], str]] | None = None,
        caption: str = "",
        notice: str = "",
    ) -> None:
        self.frame = frame
        self.caption = caption
        self.notice = notice
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

    def _repr_html_(self) -> str:
        """A table with its caption (and notice) inside, numbers right-aligned with non-breaking
        thousands separators, no cell wrapping, and the summary row in bold."""
        frame = self._formatted()
        right = [column in self.formats for column in frame.columns]

        def cell(tag: str, text: object, align_right: bool) -> str:
            align = "right" if align_right else "left"
            text = str(text).replace(" ", NBSP) if align_right and tag == "td" else str(text)
            nowrap = "; white-space: nowrap" if tag == "td" else ""
            return f'<{tag} style="text-align: {align}{nowrap}">{html.escape(text)}</{tag}>'

        def row_html(row: tuple) -> str:
            total = any(str(v).startswith(TOTAL_LABELS) for v in row[:2])
            attrs = ' class="summa" style="font-weight: bold"' if total else ""
            cells = "".join(cell("td", v, r) for v, r in zip(row, right, strict=True))
            return f"<tr{attrs}>{cells}</tr>"

        head = "".join(cell("th", c, r) for c, r in zip(frame.columns, right, strict=True))
        body = "\n".join(row_html(row) for row in frame.itertuples(index=False))
        caption = ""
        if self._heading():
            notice = (
                f'<br><span class="huomautus" style="color: #c00000">'
                f"{html.escape(self.notice)}</span>"
                if self.notice
                else ""
            )
            caption = (
                f'<caption style="text-align: left; caption-side: top">'
                f"<strong>{html.escape(self.caption)}</strong>{notice}</caption>\n"
            )
        return (
            f'<table class="kustannukset">\n{caption}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>"
        )


def percent_format(decimals: int = 1) -> Callable[[object], str]:
    return lambda v: percent(v, decimals)
