"""Maps with matplotlib from the municipal boundaries (GeoJSON): municipalities coloured by area or
by a value (such as the change in payment), with the attribution the open data requires.

matplotlib is imported by the functions that draw (see :mod:`kustannukset.view.charts`)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from kustannukset.scenarios.geo import BACKGROUND, MAP_ATTRIBUTION, Boundaries
from kustannukset.scenarios.model import Scenario
from kustannukset.view.charts import diverging_colours, diverging_norm, finnish_ticks
from kustannukset.view.formatting import euros

STATS_ATTRIBUTION = "Lähde: Tilastokeskus"
NEUTRAL = "#f3eddc"  # "no change": distinct from the scale's white centre and the grey around
AREA_COLOURS = [
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
]


# Scales of the explorer's figure end at one of these times a power of ten
NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest of 1; 1,2; 1,5; 2; 2,5; 3; 4; 5; 6; 8 times a power of ten that is at least
    ``value`` (a positive number): a scale that ends there changes only when the data crosses such
    a step, so that an axis redrawn in place is seldom drawn again."""
    if not value > 0 or not math.isfinite(value):
        raise ValueError(f"asteikon yläraja {value} ei ole positiivinen luku")
    base = 10.0 ** math.floor(math.log10(value))
    return next(step * base for step in NICE_STEPS if step * base >= value * (1 - 1e-12))


def outer_rings(boundaries: Boundaries, code: str):
    return [polygon[0] for polygon in boundaries.polygons[code]]


def map_frame(ax, boundaries: Boundaries, codes, margin: float = 0.15) -> None:
    xs, ys = [], []
    for code in codes:
        for ring in outer_rings(boundaries, code):
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    ax.set_xlim(min(xs) - margin, max(xs) + margin)
    ax.set_ylim(min(ys) - margin / 2, max(ys) + margin / 2)
    # WGS 84 degrees: shrink longitude by cos(latitude) so the map is not stretched.
    ax.set_aspect(1 / math.cos(math.radians((min(ys) + max(ys)) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])


def neighbours_of(boundaries: Boundaries, codes) -> list[str]:
    chosen = set(codes)
    around = {n for c in codes for n in boundaries.neighbours[c]} - chosen
    return sorted(around)


def label_point(boundaries: Boundaries, code: str) -> tuple[float, float]:
    """Where a municipality's name goes: the mean of its largest ring's points."""
    ring = max(outer_rings(boundaries, code), key=len)
    return float(np.mean([p[0] for p in ring])), float(np.mean([p[1] for p in ring]))


def _draw(ax, boundaries: Boundaries, codes, facecolors, edgecolor="white", linewidth=0.6):
    from matplotlib.collections import PolyCollection

    rings, colours = [], []
    for code, colour in zip(codes, facecolors, strict=True):
        for ring in outer_rings(boundaries, code):
            rings.append(ring)
            colours.append(colour)
    ax.add_collection(
        PolyCollection(rings, facecolors=colours, edgecolors=edgecolor, linewidths=linewidth)
    )


def name_labels(ax, boundaries: Boundaries, codes, size: float = 6.5, skip=()) -> None:
    """Every municipality's name at its label point, on a white halo so that it reads on any
    colour; ``skip``: codes already labelled (a lead's star)."""
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=1.8, foreground="white")]
    for code in codes:
        if code in skip:
            continue
        x, y = label_point(boundaries, code)
        ax.text(
            x, y, boundaries.names[code], fontsize=size, ha="center", va="center", path_effects=halo
        )


def attribution_text(with_statistics: bool) -> str:
    """The sources a map names: the boundaries, and the statistics of a map of figures."""
    return MAP_ATTRIBUTION + (f"; {STATS_ATTRIBUTION}" if with_statistics else "")


def _attribution(ax, with_statistics: bool) -> None:
    text = attribution_text(with_statistics)
    ax.text(
        0.0, -0.02, text, transform=ax.transAxes, fontsize=7, va="top", ha="left", color="#444444"
    )


def area_map(
    boundaries: Boundaries,
    scenario: Scenario,
    ax=None,
    title: str | None = None,
    names: float = 0,
    legend_below: bool = False,
    attribution: bool = True,
):
    """The scenario's municipalities coloured by area; neighbouring municipalities in grey.
    ``names``: every municipality's name in this size (pt); ``legend_below``: the areas' legend
    under the map instead of beside it (maps side by side on a page)."""
    import matplotlib.pyplot as plt
    from matplotlib import patheffects
    from matplotlib.patches import Patch

    ax = ax or plt.subplots(figsize=(6, 6))[1]
    codes = scenario.members
    around = neighbours_of(boundaries, codes)
    _draw(ax, boundaries, around, [BACKGROUND] * len(around))
    colours, handles = [], []
    for i, area in enumerate(scenario.areas):
        colour = AREA_COLOURS[i % len(AREA_COLOURS)]
        handles.append(Patch(facecolor=colour, label=area.name))
        colours.extend([colour] * len(area.members))
    _draw(ax, boundaries, codes, colours)
    leads = [a.lead for a in scenario.areas]
    halo = [patheffects.withStroke(linewidth=1.8, foreground="white")]
    for code in leads:
        x, y = label_point(boundaries, code)
        ax.plot(x, y, marker="*", color="black", markersize=8)
        ax.annotate(
            boundaries.names[code],
            (x, y),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=names or 7,
            path_effects=halo,
        )
    if names:
        name_labels(ax, boundaries, codes, names, skip=leads)
    map_frame(ax, boundaries, codes)
    ax.legend(
        handles=handles,
        loc="upper center" if legend_below else "upper left",
        bbox_to_anchor=(0.5, -0.06) if legend_below else (1.0, 1.0),
        fontsize=7,
        title="★ vastuukunta",
        title_fontsize=7,
    )
    ax.set_title(title or scenario.name, fontsize=10)
    if attribution:
        _attribution(ax, with_statistics=False)
    return ax


def value_map(
    boundaries: Boundaries,
    values: Mapping[str, float | None],
    ax=None,
    title: str = "",
    label: str = "",
    cmap: str = "RdBu_r",
    unit: float = 1.0,
    neutral: float = 0.0,
    norm=None,
    names: float = 0,
    attribution: bool = True,
):
    """Municipalities coloured by a value on a diverging scale centred on zero, symmetric; a value
    under half the rounding ``unit`` (it rounds to zero) in a neutral colour, a missing value in
    grey. With ``neutral``, a value smaller than it in size is drawn in one neutral colour and
    labelled "ei muutosta" (so that rounding noise is not coloured). With ``norm`` (a scale shared
    by several maps) the map is coloured on it and draws no colour bar of its own. ``names``:
    every municipality's name in this size (pt); ``attribution`` as in :func:`area_map`."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    ax = ax or plt.subplots(figsize=(6, 6))[1]
    codes = sorted(values)
    around = neighbours_of(boundaries, codes)
    _draw(ax, boundaries, around, [BACKGROUND] * len(around))
    known = {c: float(v) for c, v in values.items() if v is not None and not math.isnan(float(v))}
    missing = [c for c in codes if c not in known]
    if missing:
        _draw(ax, boundaries, missing, ["#bbbbbb"] * len(missing))
    handles = []
    if neutral:
        calm = sorted(c for c, v in known.items() if abs(v) < neutral)
        if calm:
            _draw(ax, boundaries, calm, [NEUTRAL] * len(calm))
        handles.append(
            Patch(
                facecolor=NEUTRAL,
                edgecolor="#999999",
                label=f"ei muutosta (alle {euros(neutral)} {label.split()[-1] if label else ''})",
            )
        )
        known = {c: v for c, v in known.items() if abs(v) >= neutral}
    if handles:
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
    if known:
        shared = norm is not None
        norm = norm if shared else diverging_norm(known.values(), unit)
        colormap = plt.get_cmap(cmap)
        chosen = sorted(known)
        colours = diverging_colours([known[c] for c in chosen], colormap, norm, unit)
        _draw(ax, boundaries, chosen, colours)
        if not shared:
            mappable = plt.cm.ScalarMappable(norm=norm, cmap=colormap)
            bar = plt.colorbar(mappable, ax=ax, shrink=0.6, label=label)
            bar.formatter = finnish_ticks()
            bar.update_ticks()
    if names:
        name_labels(ax, boundaries, codes, names)
    map_frame(ax, boundaries, codes)
    ax.set_title(title, fontsize=10)
    if attribution:
        _attribution(ax, with_statistics=True)
    return ax
