"""Charts for the reports, drawn with matplotlib; notebooks only call these.

A chart is drawn once, straight to PNG on matplotlib's Agg canvas, at fixed margins: no pyplot
state, no second drawing to find a tight bounding box. A notebook shows it by leaving it as the
cell's value; ``chart.figure`` is the matplotlib figure for further work.

matplotlib is imported when something is drawn, not with this module: the command line imports
the reports' modules (through the renderer) and draws nothing.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kustannukset.core.memo import Recent
from kustannukset.view.formatting import axis_number, euros

if TYPE_CHECKING:
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.ticker import Formatter

DPI = 96
NEUTRAL = "#f2f2f2"
MIN_ANNOTATION_PT = 8


def tick_decimals(locs) -> int:
    """As many decimals as the spacing of the ticks needs: 0 for 25 000 or 1, 1 for 0,5 and 2 for
    0,25 (at most 3)."""
    values = sorted({float(v) for v in locs if math.isfinite(float(v))})
    steps = [b - a for a, b in itertools.pairwise(values) if b - a > 0]
    if not steps:
        return 0 if not values or float(values[0]).is_integer() else 2
    decimals = 0
    step = min(steps)
    while decimals < 3 and abs(step * 10**decimals - math.floor(step * 10**decimals + 0.5)) > 1e-6:
        decimals += 1
    return decimals


def finnish_ticks() -> Formatter:
    """A tick formatter for Finnish: the decimals the ticks' spacing needs, a non-breaking space
    between thousands and the minus sign '−' (never '−0')."""
    return _finnish_ticks()()


@functools.cache
def _finnish_ticks() -> type[Formatter]:
    # the class is made when first asked for: it is a matplotlib Formatter (see the module)
    from matplotlib.ticker import Formatter

    class FinnishTicks(Formatter):
        def __init__(self) -> None:
            self._decimals = 0

        def set_locs(self, locs) -> None:
            self._decimals = tick_decimals(locs)

        def __call__(self, x, pos=None) -> str:
            return axis_number(x, self._decimals)

    return FinnishTicks


def text_colour(background) -> str:
    """Black or white text, whichever reads better on ``background`` (relative luminance)."""
    from matplotlib.colors import to_rgba

    r, g, b, _ = to_rgba(background)

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "black" if luminance > 0.179 else "white"


MIN_SCALE_UNITS = 10


def diverging_norm(values, unit: float = 1.0) -> Normalize:
    """A scale centred on zero, symmetric, at least ten rounding units wide either way (so that a
    difference of one unit is a pale colour, not the scale's darkest)."""
    from matplotlib.colors import Normalize

    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    bound = max([*finite, MIN_SCALE_UNITS * float(unit)])
    return Normalize(vmin=-bound, vmax=bound)


def diverging_colours(values, cmap, norm: Normalize, unit: float = 1.0) -> list:
    """Colours for differences: a neutral grey-white for those under half the rounding unit
    (they round to zero), the colour map elsewhere."""
    from matplotlib.colors import to_rgba

    array = np.asarray(values, dtype=float)
    colours = cmap(norm(array))
    small = np.abs(array) < unit / 2
    colours[small] = to_rgba(NEUTRAL)
    return list(colours)


class Chart:
    """A finished chart: shown as PNG in notebooks and reports, with a plain-text name for nbval.

    ``draw`` makes the matplotlib figure when it is first needed. A chart with a ``key`` (every
    input of ``draw``) shares its PNG with an earlier chart of the same key and the same
    matplotlib settings, so a chart that a batch of reports repeats (the region's equalisation in
    every municipality's report) is drawn once per process. Once ``figure`` has been asked for,
    the chart is drawn from it, whatever was changed in it."""

    def __init__(self, draw: Callable[[], Figure], title: str, key: Hashable = None) -> None:
        self._draw = draw
        self.title = title
        self.key = key
        self._figure: Figure | None = None
        self._png: bytes | None = None

    @property
    def figure(self) -> Figure:
        if self._figure is None:
            self._figure = self._draw()
        return self._figure

    def png(self) -> bytes:
        if self._png is None:
            if self.key is not None and self._figure is None and _hashable(self.key):
                self._png = _PNGS.remember((self.key, _settings()), self._render)
            else:
                self._png = self._render()
        return self._png

    def _render(self) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        buffer = io.BytesIO()
        FigureCanvasAgg(self.figure).print_png(buffer)
        return buffer.getvalue()

    def _repr_png_(self) -> tuple[bytes, dict]:
        # the title as the picture's alternative text in the HTML report (view.html)
        return self.png(), {"alt": self.title}

    def __repr__(self) -> str:
        return f"Kaavio: {self.title}"


def payment_bars(
    names: pd.Series,
    values: pd.Series,
    *,
    title: str,
    xlabel: str,
    decimals: int = 0,
    notice: str = "",
    width: float = 8.0,
    bar_height: float = 0.3,
) -> Chart:
    """Horizontal bars, largest at the top, each labelled with its value; an example or estimate
    ``notice`` in red under the chart. ``width`` (inches) and ``bar_height`` (inches per bar) size
    it for its place on the page (a summary page's chart beside its figures is narrower)."""
    key = (
        "payment_bars",
        tuple(names.items()),
        tuple(values.items()),
        title,
        xlabel,
        decimals,
        notice,
        width,
        bar_height,
    )
    return Chart(
        functools.partial(
            _payment_bars, names, values, title, xlabel, decimals, notice, width, bar_height
        ),
        title,
        key,
    )


def _payment_bars(
    names: pd.Series,
    values: pd.Series,
    title: str,
    xlabel: str,
    decimals: int,
    notice: str,
    width: float = 8.0,
    bar_height: float = 0.3,
) -> Figure:
    from matplotlib.figure import Figure

    order = values.sort_values().index
    height = bar_height * len(order) + 1.2
    figure = Figure(figsize=(width, height), dpi=DPI)
    # Fixed margins: room for the longest municipality name on the left and the labels on the right.
    label_width = max(len(str(n)) for n in names) * 0.075 + 0.2
    figure.subplots_adjust(
        left=label_width / width,
        right=1 - 0.96 / width,
        top=1 - 0.55 / height,
        bottom=0.65 / height,
    )
    ax = figure.add_subplot()
    bars = ax.barh(names[order], values[order], color="#2b6ca3")
    ax.bar_label(bars, labels=[euros(v, decimals) for v in values[order]], padding=3, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(finnish_ticks())
    ax.margins(x=0.15, y=0.01)
    ax.spines[["top", "right"]].set_visible(False)
    if notice:
        add_notice(figure, notice)
    return figure


# PNGs by (chart key, matplotlib settings): a repeated chart is drawn once per process.
_PNGS: Recent[bytes] = Recent(16)


def _hashable(key: Hashable) -> bool:
    try:
        hash(key)
    except TypeError:  # a value that cannot be a key (the chart is then drawn on its own)
        return False
    return True


def _settings() -> str:
    """matplotlib's settings as text: a chart drawn under other settings is another picture."""
    import matplotlib

    return repr(sorted(matplotlib.rcParams.items()))


def add_notice(figure, notice: str) -> None:
    """The example or estimate notice in red at the figure's lower left corner."""
    figure.text(0.01, 0.005, notice, color="#c00000", fontsize=8, ha="left", va="bottom")
