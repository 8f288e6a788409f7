"""The first page of a report, "Yhteenveto": the answer for its reader.

:class:`Summary` shows a heading, three to five sentences of plain Finnish, the figures as small
tables and one chart beside them, in one output, so that a report's print stylesheet
(:mod:`kustannukset.view.html`) keeps it whole on page 1 and starts what follows on page 2. Every
report opens with one; how it was computed and its sources go last, under
:data:`METHOD_HEADING`.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence

from kustannukset.view.charts import Chart
from kustannukset.view.formatting import NBSP
from kustannukset.view.tables import Table

HEADING = "Yhteenveto"
METHOD_HEADING = "Menetelmä ja lähteet"
CHART_HEIGHT_MM = 150  # the chart's height on the printed page at most

# A space inside a number ("370 841"), or between a number and its unit ("0,71 €", "46,5 %",
# "22 kuntaa" is left to wrap): kept on one line.
_NUMBER_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d)|[%€])")


def unbroken(text: str) -> str:
    """``text`` with the spaces inside its numbers and before their units made non-breaking."""
    return _NUMBER_SPACE.sub(NBSP, text)


class Summary:
    """A report's page 1: ``sentences`` (plain Finnish, three to five), ``tables`` of figures and
    one ``chart`` beside them; ``notice`` (ESIMERKKI, ARVIO) in red above the sentences.
    ``data``, if given, goes into the output's metadata, which no report shows (the figures the
    render process writes into the report's workbook)."""

    def __init__(
        self,
        sentences: Sequence[str],
        tables: Sequence[Table] = (),
        chart: Chart | None = None,
        notice: str = "",
        heading: str = HEADING,
        data: dict | None = None,
    ) -> None:
        self.sentences = list(sentences)
        self.tables = list(tables)
        self.chart = chart
        self.notice = notice
        self.heading = heading
        self.data = data

    def text(self) -> str:
        return " ".join(self.sentences)

    def __repr__(self) -> str:
        parts = [self.heading, ""]
        if self.notice:
            parts += [self.notice, ""]
        parts += [self.text(), ""]
        parts += [f"{table}\n" for table in self.tables]
        if self.chart is not None:
            parts.append(repr(self.chart))
        return "\n".join(parts).rstrip()

    def _repr_html_(self) -> str | tuple[str, dict]:
        markup = self.html()
        return (markup, self.data) if self.data else markup

    def html(self) -> str:
        notice = (
            f'<p class="huomautus" style="color: #c00000; font-weight: bold">'
            f"{html.escape(self.notice)}</p>"
            if self.notice
            else ""
        )
        text = f"<p>{html.escape(unbroken(self.text()))}</p>"
        tables = "\n".join(table._repr_html_() for table in self.tables)
        left = (
            f'<div class="yhteenveto-luvut" style="flex: 1 1 50%; min-width: 0">'
            f"{notice}{text}{tables}</div>"
        )
        right = ""
        if self.chart is not None:
            png = base64.b64encode(self.chart.png()).decode("ascii")
            right = (
                f'<div class="yhteenveto-kaavio" style="flex: 0 1 auto; min-width: 0">'
                f'<img src="data:image/png;base64,{png}" alt="{html.escape(self.chart.title)}" '
                f'style="max-width: 100%; max-height: {CHART_HEIGHT_MM}mm"></div>'
            )
        return (
            f'<section class="yhteenveto">\n<h2 id="{html.escape(self.heading)}">'
            f"{html.escape(self.heading)}</h2>\n"
            f'<div style="display: flex; gap: 2em; align-items: flex-start">\n{left}\n{right}\n'
            "</div>\n</section>"
        )
