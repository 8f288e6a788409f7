"""Charts for the reports, drawn with matplotlib; notebooks only call these.

A chart is drawn once, straight to PNG on matplotlib's Agg canvas, at fixed margins: no pyplot
state, no second drawing to find a tight bounding box. A notebook shows it by leaving it as the
cell's value; ``chart.figure`` is the matplotlib figure for further work.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from kustannukset.view.formatting import euros

_EURO_AXIS = FuncFormatter(lambda value, _pos: euros(value))
DPI = 96


class Chart:
    """A finished chart: shown as PNG in notebooks and reports, with a plain-text name for nbval."""

    def __init__(self, figure: Figure, title: str) -> None:
        self.figure = figure
        self.title = title
        self._png: bytes | None = None

    def png(self) -> bytes:
        if self._png is None:
            buffer = io.BytesIO()
            FigureCanvasAgg(self.figure).print_png(buffer)
            self._png = buffer.getvalue()
        return self._png

    def _repr_png_(self) -> bytes:
        return self.png()

    def __repr__(self) -> str:
        return f"Kaavio: {self.title}"


def payment_bars(
    names: pd.Series, values: pd.Series, *, title: str, xlabel: str, decimals: int = 0
) -> Chart:
    """Horizontal bars, largest at the top, each labelled with its value."""
    order = values.sort_values().index
    height = 0.3 * len(order) + 1.2
    figure = Figure(figsize=(8, height), dpi=DPI)
    # Fixed margins: room for the longest municipality name on the left and the labels on the right.
    label_width = max(len(str(n)) for n in names) * 0.075 + 0.2
    figure.subplots_adjust(
        left=label_width / 8, right=0.88, top=1 - 0.55 / height, bottom=0.65 / height
    )
    ax = figure.add_subplot()
    bars = ax.barh(names[order], values[order], color="#2b6ca3")
    ax.bar_label(bars, labels=[euros(v, decimals) for v in values[order]], padding=3, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(_EURO_AXIS)
    ax.margins(x=0.15, y=0.01)
    ax.spines[["top", "right"]].set_visible(False)
    return Chart(figure, title)
