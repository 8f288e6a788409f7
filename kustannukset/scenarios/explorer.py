"""The scenario explorer (notebooks/skenaarioselain.ipynb): assign municipalities to areas, move the
key weights, and see the payments, the area checks, a chart and a map update.

The computation (:class:`Explorer`) needs no widgets, so the notebook also runs headlessly under
papermill and nbval; :func:`widgets` builds the ipywidgets interface around it for JupyterLab.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kustannukset.maps import value_map
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.display import text_table
from kustannukset.scenarios.fast import DEFAULT_SWEEP, VectorEngine
from kustannukset.scenarios.model import (
    POOL_EXPERIMENT_2023,
    POOL_PER_CAPITA_2023,
    measure_label,
)
from kustannukset.scenarios.rules import FAILS, MEETS

EXTRA_AREAS = ("Uusi alue 1", "Uusi alue 2")


@dataclass
class Explorer:
    context: Context
    codes: list[str]
    names: list[str]
    values: np.ndarray  # (m, n) key measures of DEFAULT_SWEEP
    labour: np.ndarray  # (n,) labour force (derived estimate)
    population: np.ndarray  # (n,)
    pool: float  # every area's pool, when it does not depend on the area
    pool_label: str
    area_names: list[str]
    assignment: dict[str, str]  # kuntanumero -> area name
    weights: np.ndarray
    threshold: int
    labour_label: str
    pool_per_capita: float | None = None  # euros per inhabitant, when the pool follows population

    @classmethod
    def from_scenario(cls, context: Context, name: str, region: str = "Pirkanmaa") -> Explorer:
        """Start from a scenario: its areas for the region's municipalities, its key and pool."""
        from kustannukset.scenarios.rules import labour_force

        scenario = context.scenario(name)
        table = context.statistics.municipalities.table
        codes = sorted(table.index[table["maakunta"] == region], key=context.name)
        values = np.array(
            [
                [float(v) for v in context.values(m, y, codes, purpose="skenaarioselain").values()]
                for m, y in DEFAULT_SWEEP
            ]
        )
        spec = context.rule("tyovoima").value
        labour = np.zeros(len(codes))
        for measure in spec["mittarit"]:
            figures = context.values(
                str(measure), int(spec["vuosi"]), codes, purpose="20 000 -raja"
            )
            labour += np.array([float(figures[c]) for c in codes])
        force = labour_force(context, codes[:1])
        assignment, areas = {}, []
        for area in scenario.areas:
            for code in area.members:
                if code in codes:
                    assignment[code] = area.name
                    if area.name not in areas:
                        areas.append(area.name)
        for code in codes:
            assignment.setdefault(code, EXTRA_AREAS[0])
        areas += [a for a in EXTRA_AREAS if a not in areas]
        first = scenario.areas[0]
        weights = np.zeros(len(DEFAULT_SWEEP))
        for part in first.key:
            if (part.measure, part.year) in DEFAULT_SWEEP:
                weights[DEFAULT_SWEEP.index((part.measure, part.year))] = float(part.weight)
        if weights.sum() == 0:
            weights[0] = 1.0
        pool = context.pool(first.pool, first)
        per_capita = None
        if first.pool.base == POOL_PER_CAPITA_2023:
            experiment = context.experiment.division_input.key
            whole = context.pool(replace(first.pool, base=POOL_EXPERIMENT_2023))
            per_capita = float(whole.total) / float(sum(experiment.values()))
        return cls(
            context=context,
            codes=codes,
            names=[context.name(c) for c in codes],
            values=values,
            labour=labour,
            population=values[0],
            pool=float(pool.total),
            pool_label=pool.label,
            area_names=areas,
            assignment=assignment,
            weights=weights / weights.sum(),
            threshold=int(context.rule("tyovoimaraja").value),
            labour_label=force.description,
            pool_per_capita=per_capita,
        )

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(m, y) for m, y in DEFAULT_SWEEP]

    def engine(self) -> tuple[VectorEngine, list[str]]:
        used = [a for a in self.area_names if a in set(self.assignment.values())]
        index = np.array([used.index(self.assignment[c]) for c in self.codes])
        leads = []
        for i in range(len(used)):
            members = np.flatnonzero(index == i)
            leads.append(int(members[np.argmax(self.population[members])]))
        engine = VectorEngine(
            codes=self.codes,
            names=self.names,
            area_names=used,
            area_index=index,
            pools=self._pools(index, len(used)),
            lead_index=np.array(leads),
            measures=list(DEFAULT_SWEEP),
            values=self.values,
            discount=np.zeros(len(self.codes)),
        )
        return engine, used

    def _pools(self, index: np.ndarray, n_areas: int) -> np.ndarray:
        if self.pool_per_capita is None:
            return np.full(n_areas, self.pool)
        population = np.bincount(index, weights=self.population, minlength=n_areas)
        return self.pool_per_capita * population

    def compute(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Payments per municipality and the checks per area, for the current state."""
        engine, used = self.engine()
        pay = engine.payments(self.weights)[0]
        municipalities = pd.DataFrame(
            {
                "Alue": [self.assignment[c] for c in self.codes],
                "Kunta": self.names,
                "Maksuosuus €": np.rint(pay).astype(int),
                "€/asukas": np.round(pay / self.population, 2),
            }
        )
        rows = []
        for i, area in enumerate(used):
            members = [c for c, a in self.assignment.items() if a == area]
            mask = engine.area_index == i
            force = float(self.labour[mask].sum())
            parts = self.context.boundaries.components(members)
            rows.append(
                {
                    "Alue": area,
                    "Kuntia": len(members),
                    "Vastuukunta (suurin)": self.names[int(engine.lead_index[i])],
                    "Työvoima": round(force),
                    "20 000 -sääntö": MEETS if force >= self.threshold else FAILS,
                    "Yhtenäinen": "kyllä" if len(parts) == 1 else f"ei ({len(parts)} osaa)",
                }
            )
        return municipalities, pd.DataFrame(rows)

    def render_text(self) -> str:
        municipalities, areas = self.compute()
        return text_table(areas) + "\n\n" + text_table(municipalities)

    def time_update(self, repeats: int = 20) -> float:
        """Median milliseconds of one update: recompute and redraw the tables as text."""
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            self.render_text()
            timings.append(time.perf_counter() - started)
        return 1000 * float(np.median(timings))

    def chart(self, ax=None):
        municipalities, _ = self.compute()
        ax = ax or plt.subplots(figsize=(7, 6))[1]
        order = municipalities.sort_values("Maksuosuus €")
        ax.barh(order["Kunta"], order["Maksuosuus €"], color="#2b6ca3")
        ax.set_xlabel("maksuosuus € (esimerkkipotti)")
        ax.set_title("Maksuosuudet", fontsize=10)
        ax.tick_params(axis="y", labelsize=7)
        return ax

    def map(self, ax=None):
        municipalities, _ = self.compute()
        share = dict(zip(self.codes, municipalities["€/asukas"], strict=True))
        mean = float(np.mean(list(share.values())))
        values = {c: v - mean for c, v in share.items()}
        return value_map(
            self.context.boundaries,
            values,
            ax=ax,
            title="€/asukas, ero kuntien keskiarvoon",
            label="€/asukas",
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
        started = time.perf_counter()
        text = explorer.render_text()
        with output:
            output.clear_output(wait=True)
            print(text)
            fig, axes = plt.subplots(1, 2, figsize=(13, 6))
            explorer.chart(axes[0])
            explorer.map(axes[1])
            fig.tight_layout()
            display(fig)
            plt.close(fig)
        timing.value = (
            f"Painot normitetaan summaan 1. Taulukon päivitys {1000 * (time.perf_counter() - started):.0f}"
            " ms (sis. kuvat)."
        )

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
