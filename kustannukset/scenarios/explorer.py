"""The scenario explorer (notebooks/skenaarioselain.ipynb): assign municipalities to areas, move the
key weights, and see the payments, the area checks, a chart and a map update; save the result as a
scenario file that ``kustannukset skenaariot`` reads.

It starts from the decided areas of 2025 (``paatetty_2025``) on the default pool basis of the 2025
comparisons (the cost model), so that moving a municipality changes the pools and the payments at
once. An area keeps its starting name while its responsible municipality is in it; otherwise it is
named after its responsible municipality ("Kangasalan alue"), and an empty one "Uusi alue N".

The computation (:class:`Explorer`) needs no widgets, so the notebook also runs headlessly under
papermill and nbval; :func:`widgets` builds the ipywidgets interface around it for JupyterLab.
"""

from __future__ import annotations

import asyncio
import base64
import html
import math
import os
import re
import struct
import tempfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from annotated_types import MinLen
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from kustannukset.core.errors import InputError
from kustannukset.core.schema import Text
from kustannukset.scenarios.comparison import CHANGE, NET, PAYMENT, comparison_frame
from kustannukset.scenarios.context import RULES_DATE, Context
from kustannukset.scenarios.csvfile import csv_text
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.fast import sweep_measures
from kustannukset.scenarios.geo import MAP_ATTRIBUTION
from kustannukset.scenarios.maps import (
    AREA_COLOURS,
    BACKGROUND,
    STATS_ATTRIBUTION,
    label_point,
    map_frame,
    neighbours_of,
    nice_ceiling,
    outer_rings,
)
from kustannukset.scenarios.model import (
    Area,
    KeyPart,
    Municipality,
    Scenario,
    load_scenario,
    measure_label,
    scenario_text,
)
from kustannukset.scenarios.rules import default_lead
from kustannukset.scenarios.tables import text_table
from kustannukset.view.charts import diverging_colours, diverging_norm, finnish_ticks
from kustannukset.view.formatting import percent

START = "paatetty_2025"  # the decided areas of 2025
NEW_AREA = "Uusi alue {}"
EXTRA_AREAS = (NEW_AREA.format(1), NEW_AREA.format(2))
MAX_AREAS = len(AREA_COLOURS)  # every area its own colour
AREA_NAMES = "alueiden_nimet"  # the parameter of the responsible municipalities' genitives
SAVE_FOLDER = "omat"
CONTROLS_PX = 345  # the controls' column, beside the results
# the text table keeps its lines whole (scrolling sideways if need be) in a smaller font
TABLE_STYLE = "white-space:pre;overflow-x:auto;font-size:11px;line-height:1.3"
FIGURE_DPI = 72
FIGURE_SIZE = (10.5, 5.4)  # inches
# CSS classes of the explorer's display, for the browser test and benchmark
DISPLAY_CLASS = "selain-naytto"
TABLE_CLASS = "selain-taulukko"
FIGURE_CLASS = "selain-kuva"
LEGEND_CLASS = "selain-selite"
STATUS_CLASS = "selain-tila"
SAVED_CLASS = "selain-tallennettu"
WEIGHT_CLASS = "selain-paino"
MEASURE_CLASS = "selain-mittari"
# Seconds between showing a change's table and drawing its figure (on the kernel's event loop)
FIGURE_DELAY = 0.02
# How many backgrounds with drawn scales (payment axis, colour bar) the figure keeps for reuse
SCALES_KEPT = 16
# The two views of the map
AREAS_VIEW = "Alueet"
CHANGE_VIEW = "Maksun muutos"
MISSING_COLOUR = "#bbbbbb"
MUNICIPALITY_COLUMNS = ["Alue", "Kunta", PAYMENT, CHANGE, NET]
SHOWN_HEADERS = {PAYMENT: "Maksu €", CHANGE: "Muutos €", NET: "Netto €"}
AREA_COLUMNS = [
    "Alue",
    "Vastuukunta",
    "Kuntia",
    "Potti €",
    "Työvoima",
    "20 000 -sääntö",
    "Yhtenäinen",
]


def area_names(context: Context) -> dict[str, str]:
    """Each municipality's genitive for an area's name ('Kangasalan'), by code (read once per
    context)."""
    key = ("sääntö", AREA_NAMES)
    if key not in context.cache:
        schema = Annotated[dict[Municipality, Text], MinLen(1)]
        context.cache[key] = context.rules[AREA_NAMES].value_as(
            RULES_DATE, schema, context={"names": context.names}
        )
    return context.cache[key]


@dataclass
class Explorer:
    """The explorer's state: which area each municipality is in, and the key weights.

    Every figure it shows comes from the same functions as ``kustannukset skenaariot``: the state
    is turned into a :class:`Scenario` (:meth:`scenario`) and evaluated by
    :func:`kustannukset.scenarios.engine.evaluate` (the pool, the labour force, the verdicts, the
    exact payments rounded once per area, the net and the change against the decided areas on the
    same pool basis), and its table is :func:`kustannukset.scenarios.comparison.comparison_frame`.

    The areas are *slots*: the starting scenario's areas and new ones, each with its colour. A
    slot taken over from the starting scenario keeps its responsible municipality, its exception
    (while its members are the same), its key (until a weight is moved) and its pool basis; a new
    area's responsible municipality is :func:`kustannukset.scenarios.rules.default_lead` and its
    pool basis the starting scenario's first area's.
    """

    context: Context
    start: Scenario
    codes: list[str]
    names: list[str]
    measures: list[tuple[str, int]]
    slots: list[str]  # the areas' identities: the starting areas' names, then "Uusi alue N"
    assignment: dict[str, str]  # kuntanumero -> slot
    weights: np.ndarray  # one per measure, relative: the key divides them by their sum
    start_weights: np.ndarray | None = None  # the starting scenario's first key, as weights

    @classmethod
    def from_scenario(
        cls, context: Context, name: str = START, region: str = "Pirkanmaa"
    ) -> Explorer:
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
        slots = [a.name for a in scenario.areas]
        slots += [a for a in EXTRA_AREAS if a not in slots]
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
            slots=slots,
            assignment=assignment,
            weights=weights,
            start_weights=weights.copy(),
        )

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(m, y) for m, y in self.measures]

    def name(self, code: str) -> str:
        return self.names[self.codes.index(code)]

    # --- the key -------------------------------------------------------------------------------

    def own_keys(self) -> bool:
        """Whether the weights are still the starting ones: then each area keeps its own key."""
        if self.start_weights is None:
            return False
        total = self.weights.sum()
        return total > 0 and np.array_equal(
            self.weights / total, self.start_weights / self.start_weights.sum()
        )

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

    def used_weights(self) -> list[Fraction]:
        """Each measure's weight as the key uses it (its share of the sliders' sum)."""
        raw = [Fraction(str(float(w))) for w in self.weights]
        total = sum(raw)
        return [w / total if total else Fraction(0) for w in raw]

    # --- the areas -----------------------------------------------------------------------------

    def members(self, slot: str) -> tuple[str, ...]:
        return tuple(c for c in self.codes if self.assignment[c] == slot)

    def lead(self, slot: str, members: tuple[str, ...]) -> str:
        before = self._start_area(slot)
        if before is not None and before.lead in members:
            return before.lead
        key = ("vastuukunta", tuple(sorted(members)))
        return self.context.remember(key, lambda: default_lead(self.context, members))

    def titles(self) -> dict[str, str]:
        """Each slot's name now: the starting area's name while its responsible municipality is
        in it, else its responsible municipality's area ('Kangasalan alue'); an empty slot keeps
        its own name ('Uusi alue 2')."""
        genitives = area_names(self.context)
        titles: dict[str, str] = {}
        for slot in self.slots:
            members = self.members(slot)
            before = self._start_area(slot)
            if not members or (before is not None and before.lead in members):
                titles[slot] = slot
                continue
            lead = self.lead(slot, members)
            title = (
                f"{genitives[lead]} alue"
                if lead in genitives
                else f"Alue, vastuukunta {self.context.name(lead)}"
            )
            taken = {t for t in titles.values()} | {s for s in self.slots if s != slot}
            number = 2
            unique = title
            while unique in taken:
                unique, number = f"{title} {number}", number + 1
            titles[slot] = unique
        return titles

    def grow(self) -> bool:
        """Offer one more new area when every area has members (at most :data:`MAX_AREAS`);
        True when a slot was added."""
        if len(self.slots) >= MAX_AREAS or any(not self.members(s) for s in self.slots):
            return False
        number = 1
        while NEW_AREA.format(number) in self.slots:
            number += 1
        self.slots.append(NEW_AREA.format(number))
        return True

    def colour(self, slot: str) -> str:
        return AREA_COLOURS[self.slots.index(slot) % len(AREA_COLOURS)]

    def _start_area(self, slot: str) -> Area | None:
        return next((a for a in self.start.areas if a.name == slot), None)

    def scenario(self) -> Scenario:
        """The current state as a scenario, evaluated like any scenario file."""
        key = self.key()
        # Until a weight is moved, every area keeps its own key from the scenario (the scenario
        # may use other measures or years in some areas); after that, the sliders' key is every
        # area's key.
        own = self.own_keys()
        template = self.start.areas[0]
        titles = self.titles()
        areas = []
        for slot in self.slots:
            members = self.members(slot)
            if not members:
                continue
            before = self._start_area(slot)
            same = before is not None and set(before.members) == set(members)
            areas.append(
                Area(
                    name=titles[slot],
                    lead=self.lead(slot, members),
                    members=members,
                    exception=before.exception if same else None,
                    key=before.key if own and before is not None else key,
                    pool=(before or template).pool,
                    line=(before or template).line,
                )
            )
        names = {c: self.context.name(c) for area in areas for c in area.members}
        discounts = {c: p for c, p in self.start.discounts_pct.items() if c in names}
        return replace(self.start, areas=tuple(areas), names=names, discounts_pct=discounts)

    # --- the results ---------------------------------------------------------------------------

    def result(self) -> ScenarioResult:
        return evaluate(self.context, self.scenario())

    def tables(self, result: ScenarioResult) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The payments per municipality (payment, change against the decided areas, net; the
        comparison's frame) and the checks per area, for a result."""
        frame = comparison_frame(self.context, [result])
        municipalities = frame[MUNICIPALITY_COLUMNS].rename(columns=SHOWN_HEADERS)
        return municipalities, result.areas[AREA_COLUMNS]

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Payments per municipality and the checks per area, for the current state."""
        return self.tables(self.result())

    def render_text(self) -> str:
        return self.text_of(self.result())

    def text_of(self, result: ScenarioResult) -> str:
        """The area checks and the payments of a result (the columns of :meth:`tables`), as
        text."""
        frame = comparison_frame(self.context, [result])
        return (
            text_table(result.areas, AREA_COLUMNS)
            + "\n\n"
            + text_table(frame, MUNICIPALITY_COLUMNS, SHOWN_HEADERS)
        )

    def basis_text(self, result: ScenarioResult) -> str:
        bases = ", ".join(f"'{b.name}'" for b in result.bases)
        return (
            f"Potin peruste {bases}. Muutos = maksu − maksu päätetyillä alueilla samalla "
            "perusteella; netto = valtionosuusarvio (ARVIO) − maksu."
        )

    # --- saving --------------------------------------------------------------------------------

    def save(self, folder: Path | str, name: str, *, overwrite: bool = False) -> tuple[Path, Path]:
        """Write the state as a scenario file ``folder/<name>.yaml`` and its table as
        ``folder/<name>.csv``; an existing file is replaced only with ``overwrite``. The file is
        read back and evaluated before anything is written: the saved scenario gives the same
        payments as the explorer."""
        title = str(name).strip()
        stem = file_stem(title)
        if not stem:
            raise InputError("anna skenaariolle nimi (kirjaimia tai numeroita)")
        folder = Path(str(folder).strip() or SAVE_FOLDER).expanduser()
        targets = (folder / f"{stem}.yaml", folder / f"{stem}.csv")
        existing = [p for p in targets if p.exists()]
        if existing and not overwrite:
            raise InputError(
                "tiedosto on jo olemassa: anna toinen nimi tai valitse 'Korvaa'",
                file=existing[0],
            )
        state = self.scenario()
        scenario = replace(
            state,
            code=stem,
            name=title,
            description=f"Tallennettu skenaarioselaimesta; lähtöskenaario {self.start.code}.",
            source=f"Laskelma skenaarioselaimessa, ei päätös. Lähtöskenaario: {self.start.source}",
        )
        text = scenario_text(scenario, comment="Tallennettu skenaarioselaimesta (kustannukset).")
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".kesken-") as work:
            draft = Path(work) / targets[0].name
            draft.write_text(text, encoding="utf-8")
            loaded = load_scenario(
                draft, self.context.names, self.context.budgets, self.context.pool_view()
            )
            result = evaluate(self.context, loaded)
            expected = evaluate(self.context, state).payments.euros
            if result.payments.euros != expected:
                raise InputError("tallennettu skenaario ei anna samoja maksuja", file=targets[0])
            table = Path(work) / targets[1].name
            table.write_text(csv_text(comparison_frame(self.context, [result])), encoding="utf-8")
            os.replace(draft, targets[0])
            os.replace(table, targets[1])
        return targets


def file_stem(name: str) -> str:
    """A file name of a scenario name: lowercase ASCII letters, digits and underscores."""
    text = name.lower().translate(str.maketrans("äöå", "aoa"))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


# --- the figure --------------------------------------------------------------------------------


class ExplorerFigure:
    """The explorer's chart and map, drawn once: :meth:`update` moves the bars, recolours them by
    area, recolours the map (by area, or by the change in payment per inhabitant on one diverging
    scale) and returns the figure as PNG bytes. Only what changes is drawn again over a saved
    background: the bars, the map's municipalities and their names every time, the payment axis
    and the colour bar only when their scale (a :func:`nice_ceiling`) changes; the
    municipalities keep their alphabetical places in the chart."""

    def __init__(self, explorer: Explorer, dpi: int = FIGURE_DPI, view: str = AREAS_VIEW) -> None:
        self.explorer = explorer
        self.figure = Figure(figsize=FIGURE_SIZE, dpi=dpi)
        self.canvas = FigureCanvasAgg(self.figure)
        self.chart_ax, self.map_ax = self.figure.subplots(1, 2, width_ratios=[1, 1.75])
        boundaries = explorer.context.boundaries
        # alphabetical, the first at the top
        self.order = sorted(explorer.codes, key=lambda c: explorer.name(c).lower(), reverse=True)
        n = len(self.order)
        # the bars as one collection, drawn in one go
        self.bars = PolyCollection(
            [_bar(i, 0.0) for i in range(n)], facecolors="#2b6ca3", edgecolors="none"
        )
        self.chart_ax.add_collection(self.bars)
        self.chart_ax.set_yticks(range(n), [explorer.name(c) for c in self.order], fontsize=7)
        self.chart_ax.set_xlabel("maksuosuus €")
        self.chart_ax.xaxis.set_major_formatter(finnish_ticks())
        self.chart_ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        self.chart_ax.spines[["top", "right"]].set_visible(False)
        self.chart_ax.set_ylim(-0.6, n - 0.4)
        # the map: the neighbours in grey, the municipalities recoloured in place
        self.codes = sorted(explorer.codes)
        around = neighbours_of(boundaries, self.codes)
        rings = [r for c in around for r in outer_rings(boundaries, c)]
        self.map_ax.add_collection(
            PolyCollection(rings, facecolors=BACKGROUND, edgecolors="white", linewidths=0.5)
        )
        self._ring_owner, rings = [], []
        for code in self.codes:
            for ring in outer_rings(boundaries, code):
                rings.append(ring)
                self._ring_owner.append(code)
        self.collection = PolyCollection(
            rings, facecolors=MISSING_COLOUR, edgecolors="white", linewidths=0.6
        )
        self.map_ax.add_collection(self.collection)
        map_frame(self.map_ax, boundaries, self.codes)
        self.label_points = [label_point(boundaries, code) for code in self.codes]
        self.map_ax.text(
            0.0,
            -0.01,
            f"{MAP_ATTRIBUTION}; {STATS_ATTRIBUTION}",
            transform=self.map_ax.transAxes,
            fontsize=6,
            va="top",
            color="#444444",
        )
        self.norm = diverging_norm([], 0.01)
        self.colormap = colormaps["RdBu_r"]
        self.mappable = ScalarMappable(norm=self.norm, cmap=self.colormap)
        self.bar = self.figure.colorbar(
            self.mappable,
            ax=self.map_ax,
            orientation="horizontal",
            shrink=0.5,
            fraction=0.05,
            pad=0.03,
            label="muutos €/asukas",
        )
        self.bar.formatter = finnish_ticks()
        self.figure.subplots_adjust(left=0.11, right=0.99, top=0.92, bottom=0.09, wspace=0.05)
        self.titles = {
            AREAS_VIEW: "Alueet (väri = alue, kuten pylväissä)",
            CHANGE_VIEW: "Maksun muutos päätettyihin alueisiin, €/asukas\n"
            "(vaalea: ei muutosta; harmaa: luku puuttuu)",
        }
        self.chart_ax.set_title("Maksuosuudet; väri = alue", fontsize=10)
        self.map_title = self.map_ax.set_title("", fontsize=10)
        # drawn on every update (the bars' axis line over them, as in a full drawing)
        self.data_artists = [self.bars, self.chart_ax.spines["left"], self.collection]
        self.scale_artists = [self.chart_ax.xaxis, self.bar.ax.xaxis]
        for artist in [*self.data_artists, *self.scale_artists]:
            artist.set_animated(True)
        self.scale_draws = 0  # how often the scales were drawn
        self.view = ""
        self.set_view(view)
        self.names = NameLayer(self, [explorer.name(c) for c in self.codes])

    def set_view(self, view: str) -> None:
        """The map by area or by change; the background is drawn again for the view."""
        if view not in self.titles:
            raise ValueError(view)
        self.view = view
        self.map_title.set_text(self.titles[view])
        self.bar.ax.set_visible(view == CHANGE_VIEW)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        # the background with the scales drawn, by scales, the newest last
        self.scaled: OrderedDict[tuple, object] = OrderedDict()

    def update(self, result: ScenarioResult) -> bytes:
        explorer = self.explorer
        frame = result.municipalities
        payments = dict(zip(frame["Kuntanumero"], frame["Maksuosuus €"], strict=True))
        values = [_number(payments.get(c)) for c in self.order]
        self.bars.set_verts([_bar(i, value) for i, value in enumerate(values)])
        self.bars.set_facecolors([explorer.colour(explorer.assignment[c]) for c in self.order])
        upper = nice_ceiling(max([*values, 1.0]) * 1.05)
        if self.chart_ax.get_xlim() != (0.0, upper):
            self.chart_ax.set_xlim(0.0, upper)
        if self.view == AREAS_VIEW:
            colours = {c: to_rgba(explorer.colour(explorer.assignment[c])) for c in self.codes}
            scale: tuple = ()
        else:
            colours = self._change_colours(frame)
            scale = (self.norm.vmin, self.norm.vmax)
        self.collection.set_facecolors([colours[c] for c in self._ring_owner])
        scales = (upper, *scale)
        if scales in self.scaled:
            self.scaled.move_to_end(scales)
            self.canvas.restore_region(self.scaled[scales])
        else:
            self.canvas.restore_region(self.background)
            self.figure.draw_artist(self.chart_ax.xaxis)
            if self.view == CHANGE_VIEW:
                self.figure.draw_artist(self.bar.ax.xaxis)
            self.scaled[scales] = self.canvas.copy_from_bbox(self.figure.bbox)
            self.scale_draws += 1
            if len(self.scaled) > SCALES_KEPT:
                self.scaled.popitem(last=False)
        for artist in self.data_artists:
            self.figure.draw_artist(artist)
        # The figure is opaque: RGB, without the alpha channel.
        return png(self.names.over(np.asarray(self.canvas.buffer_rgba())[..., :3]))

    def _change_colours(self, frame: pd.DataFrame) -> dict[str, tuple]:
        """The change against the decided areas per inhabitant, on a scale symmetric about zero
        that ends at a :func:`nice_ceiling`; a municipality without the figure in grey."""
        change = {
            c: float(v)
            for c, v in zip(
                frame["Kuntanumero"], frame["Muutos päätettyyn 2025 €/asukas"], strict=True
            )
            if v is not None and not pd.isna(v)
        }
        bound = nice_ceiling(diverging_norm(change.values(), 0.01).vmax)
        if (self.norm.vmin, self.norm.vmax) != (-bound, bound):
            self.norm.vmin, self.norm.vmax = -bound, bound
            self.mappable.changed()
            self.bar.formatter = finnish_ticks()
            self.bar.update_ticks()
        shown = [c for c in self.codes if c in change]
        colours = dict(
            zip(
                shown,
                diverging_colours([change[c] for c in shown], self.colormap, self.norm, 0.01),
                strict=True,
            )
        )
        grey = to_rgba(MISSING_COLOUR)
        return {c: colours.get(c, grey) for c in self.codes}


class NameLayer:
    """The municipalities' names over the map, drawn once into a transparent layer of the
    figure's size and laid over each picture: text is the slowest thing to draw, and the names
    never move."""

    def __init__(self, drawing: ExplorerFigure, names: list[str]) -> None:
        figure = drawing.figure
        layer = Figure(figsize=figure.get_size_inches(), dpi=figure.dpi)
        layer.patch.set_alpha(0.0)
        canvas = FigureCanvasAgg(layer)
        # the map's axes where the full drawing put them (after fitting the map's aspect)
        ax = layer.add_axes(drawing.map_ax.get_position(original=False).bounds)
        ax.set_xlim(drawing.map_ax.get_xlim())
        ax.set_ylim(drawing.map_ax.get_ylim())
        ax.set_axis_off()
        for (x, y), name in zip(drawing.label_points, names, strict=True):
            ax.text(x, y, name, fontsize=5.5, ha="center", va="center", color="#222222")
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
        self.shape = rgba.shape[:2]
        flat = rgba.reshape(-1, 4)
        # the names' pixels (by their place in the flattened picture), each with its opacity
        # 0…255 and its colour weighted by it, in integers
        self.where = np.flatnonzero(flat[:, 3])
        self.alpha = flat[self.where, 3].astype(np.uint32)[:, None]
        self.weighted = flat[self.where, :3].astype(np.uint32) * self.alpha

    def over(self, pixels: np.ndarray) -> np.ndarray:
        """An RGB picture of the figure with the names laid over it (each name pixel
        ``(under * (255 - a) + colour * a) / 255``, to the nearest whole)."""
        out = np.array(pixels, dtype=np.uint8, copy=True)
        flat = out.reshape(-1, 3)
        under = flat[self.where].astype(np.uint32)
        flat[self.where] = ((under * (255 - self.alpha) + self.weighted + 127) // 255).astype(
            np.uint8
        )
        return out


def png(pixels: np.ndarray, level: int = 1) -> bytes:
    """An RGB picture (height × width × 3 bytes) as a PNG file: the rows unfiltered and deflated
    fast (level 1). For a chart of flat colours that is smaller and several times quicker to make
    than a general encoder's adaptive filters."""
    height, width, _ = pixels.shape
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row: filter 0, then RGB
    rows[:, 1:] = pixels.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + chunk(b"IEND", b"")
    )


def _bar(i: int, value: float, height: float = 0.8) -> list[tuple[float, float]]:
    low, high = i - height / 2, i + height / 2
    return [(0.0, low), (value, low), (value, high), (0.0, high)]


def _number(value) -> float:
    return 0.0 if value is None or pd.isna(value) else float(value)


# --- the display and the widgets ----------------------------------------------------------------


def legend_html(explorer: Explorer, result: ScenarioResult) -> str:
    """The areas with their colours, responsible municipalities and member counts."""
    rows = []
    filled = _filled(explorer)
    slots = {area.name: slot for area, slot in zip(result.scenario.areas, filled, strict=True)}
    for row in result.areas.to_dict("records"):
        slot = slots.get(row["Alue"])
        colour = explorer.colour(slot) if slot else MISSING_COLOUR
        rows.append(
            f'<span style="display:inline-block;width:0.9em;height:0.9em;'
            f'background:{colour};margin-right:0.3em;vertical-align:middle"></span>'
            f"<b>{html.escape(row['Alue'])}</b> ({html.escape(row['Vastuukunta'])}, "
            f"{row['Kuntia']} {'kunta' if row['Kuntia'] == 1 else 'kuntaa'})"
        )
    return '<div style="line-height:1.5">' + "<br>".join(rows) + "</div>"


def _filled(explorer: Explorer) -> list[str]:
    """The slots with members, in the order of the scenario's areas."""
    return [slot for slot in explorer.slots if explorer.members(slot)]


def weight_text(weight: Fraction) -> str:
    """A used weight as the readout beside its slider: '62,5 %'."""
    decimals = 0 if (weight * 100).denominator == 1 else 1
    return percent(weight, decimals)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop this code runs in (a Jupyter kernel's), or None (a script, a test)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Display:
    """The explorer's display: the text table, the legend, the weight readouts, the figure and a
    status line, updated from the explorer's state. :meth:`show` computes the state (the same
    :func:`evaluate` as the command line) and shows the table at once; the figure follows
    :data:`FIGURE_DELAY` seconds later on the kernel's event loop, so that the table's message
    leaves before the figure is drawn, and only for the newest state: changes that come faster
    than the figure is drawn are drawn once, with the last state. Without an event loop (a
    script, a test) the figure is drawn at once."""

    def __init__(self, explorer: Explorer, table, picture, status, legend=None, readouts=()):
        self.explorer = explorer
        self.table = table
        self.picture = picture
        self.status = status
        self.legend = legend
        self.readouts = list(readouts)
        self.drawing = ExplorerFigure(explorer)
        self.generation = 0  # which state the newest show() computed
        self.pending: asyncio.TimerHandle | None = None
        self.figures = 0  # figures drawn
        self.result: ScenarioResult | None = None

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
        self.result = result
        self.table.value = (
            f'<pre style="{TABLE_STYLE}">' + html.escape(self.explorer.text_of(result)) + "</pre>"
        )
        if self.legend is not None:
            self.legend.value = legend_html(self.explorer, result)
        for readout, weight in zip(self.readouts, self.explorer.used_weights(), strict=False):
            readout.value = weight_text(weight)
        self.status.value = html.escape(self._status(result))
        loop = _running_loop() if defer else None
        if loop is None:
            self.draw(result, self.generation)
        else:
            self.pending = loop.call_later(FIGURE_DELAY, self.draw, result, self.generation)

    def _status(self, result: ScenarioResult) -> str:
        lines = [self.explorer.basis_text(result)]
        if self.explorer.own_keys():
            lines.append("Alueilla on lähtöskenaarion omat jakoperusteet, kunnes painoa muutetaan.")
        lines += [n for n in result.notes if "ei laskettavissa" in n]
        return " ".join(lines)

    def redraw(self, view: str) -> None:
        """Another view of the map, drawn at once."""
        self.drawing.set_view(view)
        if self.result is not None:
            self.draw(self.result, self.generation)

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
            f'<img alt="Maksuosuudet ja kartta" style="max-width:100%;height:auto" '
            f'src="data:image/png;base64,{data}">'
        )


def slider_label(label: str) -> str:
    """A measure's label for its slider, in full."""
    return label


def widgets(explorer: Explorer, folder: str = SAVE_FOLDER):
    """The interactive interface: the results (status, map view, figure, legend, table) beside the
    controls (one slider per key measure with the weight the key uses beside it, one dropdown per
    municipality, the save form), so that they stay in sight while a control moves. A change
    shows the new table at once and then the figure, redrawn in place (:class:`Display`); a
    slider sends its value when released, so a drag computes once, with its last position."""
    import ipywidgets as w

    table = w.HTML().add_class(TABLE_CLASS)
    picture = w.HTML().add_class(FIGURE_CLASS)
    legend = w.HTML().add_class(LEGEND_CLASS)
    status = w.HTML().add_class(STATUS_CLASS)
    readouts = [
        w.HTML(layout=w.Layout(width="60px")).add_class(WEIGHT_CLASS) for _ in explorer.measures
    ]
    shown = Display(explorer, table, picture, status, legend, readouts)
    titles = explorer.titles()

    def options() -> list[tuple[str, str]]:
        return [(titles[s], s) for s in explorer.slots]

    dropdowns = {
        code: w.Dropdown(
            options=options(),
            value=explorer.assignment[code],
            description=name,
            layout=w.Layout(width=f"{CONTROLS_PX - 25}px"),
            style={"description_width": "105px"},
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
            readout=False,
            continuous_update=False,
            layout=w.Layout(width=f"{CONTROLS_PX - 95}px"),
        )
        for weight in explorer.weights
    ]
    start_weights = None if explorer.weights is None else explorer.weights.copy()
    start_positions = np.array([s.value for s in sliders], dtype=float)
    rows = [
        w.VBox(
            [
                w.HTML(
                    html.escape(slider_label(label)),
                    layout=w.Layout(width=f"{CONTROLS_PX - 25}px"),
                ).add_class(MEASURE_CLASS),
                w.HBox([slider, readout]),
            ]
        )
        for slider, readout, label in zip(sliders, readouts, explorer.measure_labels, strict=True)
    ]
    busy = [False]  # the dropdowns' options are being renamed: their events are not changes

    def rename() -> None:
        nonlocal titles
        grown = explorer.grow()
        now = explorer.titles()
        if now == titles and not grown:
            return
        titles = now
        busy[0] = True
        try:
            for code, dropdown in dropdowns.items():
                with dropdown.hold_sync():
                    dropdown.options = options()
                    dropdown.value = explorer.assignment[code]
        finally:
            busy[0] = False

    def update(_change=None, *, defer: bool = True) -> None:
        if busy[0]:
            return
        raw = np.array([s.value for s in sliders], dtype=float)
        if raw.sum() <= 0:
            status.value = "<b>Anna ainakin yhdelle mittarille painoa.</b>"
            return
        # The sliders' starting positions stand for the scenario's own weights (which need not be
        # whole multiples of 5 %); otherwise the weights are the sliders' per cents, which the key
        # divides by their sum exactly (5 %, 5 %, 10 % is exactly 1/4, 1/4 and 1/2).
        untouched = start_weights is not None and np.array_equal(raw, start_positions)
        explorer.weights = start_weights.copy() if untouched else raw
        explorer.assignment = {c: d.value for c, d in dropdowns.items()}
        shown.show(defer=defer)
        rename()

    for control in [*dropdowns.values(), *sliders]:
        control.observe(update, names="value")
    view = w.ToggleButtons(options=[AREAS_VIEW, CHANGE_VIEW], value=AREAS_VIEW)
    view.observe(lambda change: shown.redraw(change["new"]), names="value")

    wide = w.Layout(width=f"{CONTROLS_PX - 25}px")
    name = w.Text(value="oma_skenaario", description="Nimi", layout=wide)
    place = w.Text(value=folder, description="Kansio", layout=wide)
    replace_box = w.Checkbox(value=False, description="Korvaa olemassa oleva", indent=False)
    save = w.Button(description="Tallenna", button_style="primary")
    saved = w.HTML().add_class(SAVED_CLASS)

    def on_save(_button=None) -> None:
        try:
            paths = explorer.save(place.value, name.value, overwrite=replace_box.value)
        except InputError as exc:
            saved.value = f"<b>{html.escape(str(exc))}</b>"
            return
        saved.value = "Tallennettu: " + ", ".join(
            f"<code>{html.escape(str(p))}</code>" for p in paths
        )

    save.on_click(on_save)
    update(defer=False)
    controls = w.VBox(
        [
            w.VBox(
                [
                    w.HTML("<b>Jakoperusteen painot</b> (oikealla käytetty paino)"),
                    *rows,
                    w.HTML("<b>Kuntien alueet</b>"),
                    *dropdowns.values(),
                    w.HTML("<b>Tallenna skenaariotiedostoksi</b> (YAML ja taulukko CSV:nä)"),
                    name,
                    place,
                    replace_box,
                    save,
                    saved,
                ],
                # its own height: the box around it scrolls, nothing inside is squeezed
                layout=w.Layout(flex="0 0 auto"),
            )
        ],
        layout=w.Layout(
            width=f"{CONTROLS_PX}px",
            max_height="860px",
            overflow="auto",
            flex=f"0 0 {CONTROLS_PX}px",
        ),
    )
    results = w.VBox(
        [status, view, picture, legend, table],
        layout=w.Layout(flex="1 1 auto", min_width="0"),
    ).add_class(DISPLAY_CLASS)
    return w.HBox([results, controls], layout=w.Layout(align_items="flex-start"))


def percent_points(weight: float) -> float:
    """A weight (0…1) as the slider's per cent, to its 5-point steps."""
    return 5 * math.floor(float(weight) * 20 + 0.5)
