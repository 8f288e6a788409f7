"""The scenario explorer (notebooks/skenaarioselain.ipynb): assign municipalities to areas, move the
key weights, and see the payments, the area checks, a chart and a map update.

The computation (:class:`Explorer`) needs no widgets, so the notebook also runs headlessly under
papermill and nbval; :func:`widgets` builds the ipywidgets interface around it for JupyterLab.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.fast import sweep_measures
from kustannukset.scenarios.maps import value_map
from kustannukset.scenarios.model import Area, KeyPart, Scenario, measure_label
from kustannukset.scenarios.rules import default_lead
from kustannukset.scenarios.tables import text_table

EXTRA_AREAS = ("Uusi alue 1", "Uusi alue 2")


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
    weights: np.ndarray  # one per measure, adding up to 1
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
            self.weights, self.start_weights
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
        result = self.result()
        municipalities = result.municipalities[["Alue", "Kunta", "Maksuosuus €", "€/asukas"]]
        areas = result.areas[
            ["Alue", "Vastuukunta", "Kuntia", "Potti €", "Työvoima", "20 000 -sääntö", "Yhtenäinen"]
        ]
        return municipalities, areas

    def render_text(self) -> str:
        municipalities, areas = self.compute()
        return text_table(areas) + "\n\n" + text_table(municipalities)

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


def widgets(explorer: Explorer):
    """The interactive interface: one dropdown per municipality, one slider per key measure; any
    change recomputes and redraws the tables, the chart and the map."""
    import ipywidgets as w
    from IPython.display import display

    output = w.Output()
    timing = w.HTML()
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
        w.FloatSlider(
            value=float(weight),
            min=0.0,
            max=1.0,
            step=0.05,
            description=label[:28],
            style={"description_width": "200px"},
            layout=w.Layout(width="450px"),
        )
        for weight, label in zip(explorer.weights, explorer.measure_labels, strict=True)
    ]

    def update(_change=None) -> None:
        raw = np.array([s.value for s in sliders])
        if raw.sum() <= 0:
            timing.value = "<b>Anna ainakin yhdelle mittarille painoa.</b>"
            return
        explorer.weights = raw / raw.sum()
        explorer.assignment = {c: d.value for c, d in dropdowns.items()}
        try:
            text = explorer.render_text()
        except InputError as exc:
            timing.value = f"<b>{html.escape(exc.message)}</b>"
            return
        with output:
            output.clear_output(wait=True)
            print(text)
            fig, axes = plt.subplots(1, 2, figsize=(13, 6))
            explorer.chart(axes[0])
            explorer.map(axes[1])
            fig.tight_layout()
            display(fig)
            plt.close(fig)
        timing.value = "Painot normitetaan summaan 1."

    for control in [*dropdowns.values(), *sliders]:
        control.observe(update, names="value")
    update()
    grid = w.GridBox(
        list(dropdowns.values()), layout=w.Layout(grid_template_columns="repeat(3, 310px)")
    )
    return w.VBox(
        [
            w.HTML("<b>Jakoperusteen painot</b>"),
            *sliders,
            w.HTML("<b>Kuntien alueet</b>"),
            grid,
            timing,
            output,
        ]
    )
