"""Charts for the reports, drawn with matplotlib; notebooks only call these."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from kustannukset.formatting import euros

_EURO_AXIS = FuncFormatter(lambda value, _pos: euros(value))


def payment_bars(
    names: pd.Series, values: pd.Series, *, title: str, xlabel: str, decimals: int = 0
):
    """Horizontal bars, largest at the top, each labelled with its value."""
    order = values.sort_values().index
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(order) + 1.2))
    bars = ax.barh(names[order], values[order], color="#2b6ca3")
    ax.bar_label(bars, labels=[euros(v, decimals) for v in values[order]], padding=3, fontsize=8)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(_EURO_AXIS)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig
