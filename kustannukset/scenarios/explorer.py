"""The scenario explorer (notebooks/skenaarioselain.ipynb): assign municipalities to areas, move the
key weights, and see the payments, the area checks, a chart and a map update.

The computation (:class:`Explorer`) needs no widgets, so the notebook also runs headlessly under
papermill and nbval; :func:`widgets` builds the ipywidgets interface around it for JupyterLab.
"""

from __future__ import annotations

import asyncio
import base64
import html
import io
import math
from collections import OrderedDict
from dataclasses import dataclass, replace
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kustannukset.core.errors import InputError
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.fast import sweep_measures
from kustannukset.scenarios.maps import AREA_COLOURS, ValueMapArtist, nice_ceiling, value_map
from kustannukset.scenarios.model import Area, KeyPart, Scenario, measure_label
from kustannukset.scenarios.rules import default_lead
from kustannukset.scenarios.tables import text_table
from kustannukset.view.charts import FinnishTicks

EXTRA_AREAS = ("Uusi alue 1", "Uusi alue 2")
FIGURE_DPI = 72
# CSS classes of the explorer's display, for the browser test and benchmark
DISPLAY_CLASS = "selain-naytto"
TABLE_CLASS = "selain-taulukko"
FIGURE_CLASS = "selain-kuva"
# Seconds between showing a change's table and drawing its figure (on the kernel's event loop)
FIGURE_DELAY = 0.02
# How many backgrounds with drawn scales (payment axis, colour bar) the figure keeps for reuse
SCALES_KEPT = 16


def _columns(result: ScenarioResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    municipalities = result.municipalities[["Alue", "Kunta", "Maksuosuus €", "€/asukas"]]
    areas = result.areas[
        ["Alue", "Vastuukunta", "Kuntia", "Potti €", "Työvoima", "20 000 -sääntö", "Yhtenäinen"]
    ]
    return municipalities, areas


@dataclass
class Explorer:
    """The explorer's state: which area each municipality is in, and the key weights.

    Every figure it shows comes from the same functions as ``kustannukset skenaariot`` and the
    comparison report: the state is turned into a :class:`Scenario` (:meth:`scenario`) and evaluated
    by :func:`kustannukset.scenarios.engine.evaluate` (the pool, the labour force, the verdicts,
    the exact payments rounded once per area). An area taken over from the starting scenario keeps
    its responsible municipality and its exception while they still apply; a new area's
    responsible municipality is :func:`kustannukset.scenarios.rules.default_lead`.
    """

    context: Context
    start: Scenario
    codes: list[str]
    names: list[str]
    measures: list[tuple[str, int]]
    area_names: list[str]
    assignment: dict[str, str]  # kuntanumero -> area name
    weights: np.ndarray  # one per measure, relative: the key divides them by their sum
    start_weights: np.ndarray | None = None  # the starting scenario's first key, as weights

    @classmethod
    def from_scenario(cls, context: Context, name: str, region: str = "Pirkanmaa") -> Explorer:
        """Start from a scenario: its areas (and the region's municipalities it leaves out, in a
        new area), its first area's key and its pools."""
        scenario = context.scenario(name)
        table = context.statistics.municipalities.table
        in_region = [
            c for c in table.index[table["maakunta"] == region] if c not in scenario.members
        ]
        codes = sorted([*scenario.members, *in_region], key=context.name)
        assignment = {code: scenario.area_of(code).name for code in scenario.members}
        assignment.update(dict.fromkeys(in_region, EXTRA_AREAS[0]))
        areas = [a.name for a in scenario.areas]
        areas += [a for a in EXTRA_AREAS if a not in areas]
        measures = sweep_measures(context)
        for part in scenario.areas[0].key:
            if (part.measure, part.year) not in measures:
                measures.append((part.measure, part.year))
        weights = np.zeros(len(measures))
        for part in scenario.areas[0].key:
            weights[measures.index((part.measure, part.year))] = float(part.weight)
        return cls(
            context=context,
            start=scenario,
            codes=codes,
            names=[context.name(c) for c in codes],
            measures=measures,
            area_names=areas,
            assignment=assignment,
            weights=weights,
            start_weights=weights.copy(),
        )

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(m, y) for m, y in self.measures]

    def key(self) -> tuple[KeyPart, ...]:
        """The weights as a key whose weights add up to exactly 1."""
        raw = [Fraction(str(float(w))) for w in self.weights]
        total = sum(raw)
        if total <= 0:
            raise InputError("anna ainakin yhdelle jakoperusteen mittarille painoa")
        return tuple(
            KeyPart(measure, weight / total, year)
            for (measure, year), weight in zip(self.measures, raw, strict=True)
            if weight
        )

    def scenario(self) -> Scenario:
        """The current state as a scenario, evaluated like any scenario file."""
        key = self.key()
        # Until a weight is moved, every area keeps its own key from the scenario (the scenario
        # may use other measures or years in some areas); after that, the sliders' key is every
        # area's key.
        own_keys = self.start_weights is not None and np.array_equal(
            self.weights / self.weights.sum(), self.start_weights / self.start_weights.sum()
        )
        start = {area.name: area for area in self.start.areas}
        template = self.start.areas[0]
        areas = []
        for name in self.area_names:
            members = tuple(c for c in self.codes if self.assignment[c] == name)
            if not members:
                continue
            before = start.get(name)
            same = before is not None and set(before.members) == set(members)
            lead = (
                before.lead
                if before is not None and before.lead in members
                else default_lead(self.context, members)
            )
            areas.append(
                Area(
                    name=name,
                    lead=lead,
                    members=members,
                    exception=before.exception if same else None,
                    key=before.key if own_keys and before is not None else key,
                    pool=(before or template).pool,
                    line=(before or template).line,
                )
            )
        return replace(self.start, areas=tuple(areas))

    def result(self) -> ScenarioResult:
        return evaluate(self.context, self.scenario(), with_funding=False)

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Payments per municipality and the checks per area, for the current state."""
        return _columns(self.result())

    def render_text(self) -> str:
        return self.text_of(self.result())

    def text_of(self, result: ScenarioResult) -> str:
        """The area checks and the payments of a result, as text."""
        municipalities, areas = _columns(result)
        return text_table(areas) + "\n\n" + text_table(municipalities)

    def name(self, code: str) -> str:
        return self.names[self.codes.index(code)]

    def chart(self, ax=None):
        municipalities, _ = self.compute()
        ax = ax or plt.subplots(figsize=(7, 6))[1]
        order = municipalities.sort_values("Maksuosuus €")
        ax.barh(order["Kunta"], order["Maksuosuus €"].astype(float), color="#2b6ca3")
        ax.set_xlabel("maksuosuus € (esimerkkipotti)")
        ax.set_title("Maksuosuudet", fontsize=10)
        ax.tick_params(axis="y", labelsize=7)
        return ax

    def map(self, ax=None):
        result = self.result()
        frame = result.municipalities
        share = {
            c: float(v)
            for c, v in zip(frame["Kuntanumero"], frame["€/asukas"], strict=True)
            if v is not None and not pd.isna(v)
        }
        mean = float(np.mean(list(share.values())))
        values = {c: v - mean for c, v in share.items()}
        return value_map(
            self.context.boundaries,
            values,
            ax=ax,
            title="€/asukas, ero kuntien keskiarvoon",
            label="€/asukas",
            unit=0.01,
        )


class ExplorerFigure:
    """The explorer's chart and map, drawn once: :meth:`update` moves the bars, recolours them by
    area and recolours the map, and returns the figure as PNG bytes. Only what changes is drawn
    again over a saved background: the bars and the map's municipalities every time, the payment
    axis and the colour bar only when their scale (a :func:`nice_ceiling`) changes; the
    municipalities keep their alphabetical places in the chart."""

    def __init__(self, explorer: Explorer, dpi: int = FIGURE_DPI) -> None:
        self.explorer = explorer
        self.figure = Figure(figsize=(12, 6), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.chart_ax, map_ax = self.figure.subplots(1, 2, width_ratios=[1, 1.15])
        # alphabetical, the first at the top
        self.order = sorted(explorer.codes, key=lambda c: explorer.name(c).lower(), reverse=True)
        n = len(self.order)
        self.bars = self.chart_ax.barh(range(n), [0.0] * n, color="#2b6ca3")
        self.chart_ax.set_yticks(range(n), [explorer.name(c) for c in self.order], fontsize=7)
        self.chart_ax.set_xlabel("maksuosuus € (esimerkkipotti)")
        self.chart_ax.set_title("Maksuosuudet (ESIMERKKI); väri = alue", fontsize=10)
        self.chart_ax.xaxis.set_major_formatter(FinnishTicks())
        self.chart_ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        self.chart_ax.spines[["top", "right"]].set_visible(False)
        self.chart_ax.set_ylim(-0.6, n - 0.4)
        self.map = ValueMapArtist(
            map_ax,
            explorer.context.boundaries,
            explorer.codes,
            title="€/asukas, ero kuntien keskiarvoon",
            label="€/asukas",
            unit=0.01,
        )
        self.figure.subplots_adjust(left=0.13, right=0.97, top=0.93, bottom=0.1, wspace=0.15)
        # drawn on every update, and with a scale that changes now and then (the colour bar's
        # colours stay where they are on a scale symmetric about zero: only its ticks move)
        # (the bars' axis line is drawn over them, as in a full drawing)
        self.data_artists = [*self.bars, self.chart_ax.spines["left"], self.map.collection]
        self.scale_artists = [self.chart_ax.xaxis, self.map.bar.ax.yaxis]
        for artist in [*self.data_artists, *self.scale_artists]:
            artist.set_animated(True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        # the background with the scales drawn, by scales, the newest last
        self.scaled: OrderedDict[tuple, object] = OrderedDict()
        self.scale_draws = 0  # how often the scales were drawn

    def update(self, result: ScenarioResult) -> bytes:
        frame = result.municipalities
        payments = dict(zip(frame["Kuntanumero"], frame["Maksuosuus €"], strict=True))
        values = [_number(payments.get(c)) for c in self.order]
        areas = self.explorer.area_names
        for bar, value, code in zip(self.bars, values, self.order, strict=True):
            bar.set_width(value)
            area = areas.index(self.explorer.assignment[code])
            bar.set_color(AREA_COLOURS[area % len(AREA_COLOURS)])
        upper = nice_ceiling(max([*values, 1.0]) * 1.05)
        if self.chart_ax.get_xlim() != (0.0, upper):
            self.chart_ax.set_xlim(0.0, upper)
        self.map.update(_difference_from_mean(frame))
        scales = (upper, self.map.scale)
        if scales in self.scaled:
            self.scaled.move_to_end(scales)
            self.canvas.restore_region(self.scaled[scales])
        else:
            self.canvas.restore_region(self.background)
            for artist in self.scale_artists:
                self.figure.draw_artist(artist)
            self.scaled[scales] = self.canvas.copy_from_bbox(self.figure.bbox)
            self.scale_draws += 1
            if len(self.scaled) > SCALES_KEPT:
                self.scaled.popitem(last=False)
        for artist in self.data_artists:
            self.figure.draw_artist(artist)
        # The figure is opaque: RGB, without the alpha channel, is smaller and quicker to encode.
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba())
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def _number(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


def _difference_from_mean(frame: pd.DataFrame) -> dict[str, float]:
    share = {
        c: float(v)
        for c, v in zip(frame["Kuntanumero"], frame["€/asukas"], strict=True)
        if v is not None and not pd.isna(v)
    }
    mean = float(np.mean(list(share.values()))) if share else 0.0
    return {c: v - mean for c, v in share.items()}


def slider_label(label: str) -> str:
    """A measure's label for its slider, in full."""
    return f"{label}, paino %"


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this code runs in (a Jupyter kernel's), or None (a script, a test)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Display:
    """The explorer's display: the text table, the figure and a status line, updated from the
    explorer's state. :meth:`show` computes the state (the same :func:`evaluate` as the command
    line) and shows the table at once; the figure follows :data:`FIGURE_DELAY` seconds later on the
    kernel's event loop, so that the table's message leaves before the figure is drawn, and only
    for the newest state: changes that come faster than the figure is drawn are drawn once, with
    the last state. Without an event loop (a script, a test) the figure is drawn at once."""

    def __init__(self, explorer: Explorer, table, picture, status) -> None:
        self.explorer = explorer
        self.table = table
        self.picture = picture
        self.status = status
        self.drawing = ExplorerFigure(explorer)
        self.generation = 0  # which state the newest show() computed
        self.pending: asyncio.TimerHandle | None = None
        self.figures = 0  # figures drawn

    def show(self, *, defer: bool = True) -> None:
        self.generation += 1
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None
        try:
            result = self.explorer.result()
        except InputError as exc:
            self.status.value = f"<b>{html.escape(exc.message)}</b>"
            return
        self.table.value = "<pre>" + html.escape(self.explorer.text_of(result)) + "</pre>"
        self.status.value = "Painot normitetaan summaan 100 %."
        loop = _running_loop() if defer else None
        if loop is None:
            self.draw(result, self.generation)
        else:
            self.pending = loop.call_later(FIGURE_DELAY, self.draw, result, self.generation)

    def draw(self, result: ScenarioResult, generation: int) -> None:
        """The figure of ``result``, unless a newer state has been computed since."""
        self.pending = None
        if generation != self.generation:
            return
        try:
            png = self.drawing.update(result)
        except Exception as exc:  # shown in the display: a callback's traceback reaches no cell
            self.status.value = f"<b>Kuvaa ei voitu piirtää: {html.escape(str(exc))}</b>"
            raise
        self.figures += 1
        data = base64.b64encode(png).decode("ascii")
        self.picture.value = (
            f'<img alt="Maksuosuudet ja kartta" src="data:image/png;base64,{data}">'
        )


def widgets(explorer: Explorer):
    """The interactive interface: one dropdown per municipality, one slider per key measure (its
    weight in per cent, the full measure name beside it). A change shows the new table at once and
    then the figure, redrawn in place (:class:`Display`); a slider sends its value when released,
    so a drag computes once, with its last position."""
    import ipywidgets as w

    table = w.HTML().add_class(TABLE_CLASS)
    picture = w.HTML().add_class(FIGURE_CLASS)
    status = w.HTML()
    shown = Display(explorer, table, picture, status)
    dropdowns = {
        code: w.Dropdown(
            options=explorer.area_names,
            value=explorer.assignment[code],
            description=name,
            layout=w.Layout(width="300px"),
            style={"description_width": "120px"},
        )
        for code, name in zip(explorer.codes, explorer.names, strict=True)
    }
    sliders = [
        w.IntSlider(
            value=int(percent_points(weight)),
            min=0,
            max=100,
            step=5,
            description="",
            continuous_update=False,
            layout=w.Layout(width="260px"),
        )
        for weight in explorer.weights
    ]
    start_weights = None if explorer.weights is None else explorer.weights.copy()
    start_positions = np.array([s.value for s in sliders], dtype=float)
    rows = [
        w.HBox([w.Label(slider_label(label), layout=w.Layout(width="420px")), slider])
        for slider, label in zip(sliders, explorer.measure_labels, strict=True)
    ]

    def update(_change=None, *, defer: bool = True) -> None:
        raw = np.array([s.value for s in sliders], dtype=float)
        if raw.sum() <= 0:
            status.value = "<b>Anna ainakin yhdelle mittarille painoa.</b>"
            return
        # The sliders' starting positions stand for the scenario's own weights (which need not be
        # whole multiples of 5 %); otherwise the weights are the sliders' per cents, which the key
        # divides by their sum exactly (5 %, 5 %, 10 % is exactly 1/4, 1/4, 1/2).
        untouched = start_weights is not None and np.array_equal(raw, start_positions)
        explorer.weights = start_weights.copy() if untouched else raw
        explorer.assignment = {c: d.value for c, d in dropdowns.items()}
        shown.show(defer=defer)

    for control in [*dropdowns.values(), *sliders]:
        control.observe(update, names="value")
    update(defer=False)
    grid = w.GridBox(
        list(dropdowns.values()), layout=w.Layout(grid_template_columns="repeat(3, 310px)")
    )
    display = w.VBox([table, picture]).add_class(DISPLAY_CLASS)
    return w.VBox(
        [
            w.HTML("<b>Jakoperusteen painot</b>"),
            *rows,
            w.HTML("<b>Kuntien alueet</b>"),
            grid,
            status,
            display,
        ]
    )


def percent_points(weight: float) -> float:
    """A weight (0…1) as the slider's per cent, to its 5-point steps."""
    return 5 * math.floor(float(weight) * 20 + 0.5)
