"""Benchmark of the scenario engine: ``python bench/skenaariot.py`` (or ``make bench``).

Measures, in the same run and on the same random weight mixes:
- the vectorised numpy engine (kustannukset.scenarios.fast), scenario evaluations per second;
- a straightforward pandas implementation, one scenario at a time (shares by groupby, weighted sum);
- an explorer update: recompute one scenario and redraw its table as text; then its figure
  (chart and map updated in place, encoded as PNG), as the explorer shows it after the table.

Both engines must agree; the targets are at least 1 000 000 evaluations per second for the 23
Pirkanmaa municipalities, with the new keys (labour force, unemployed jobseekers, the state-grant
criteria) and the default pool basis (the cost model; a second scenario with four areas), and an
explorer update under 50 ms (from the decided areas, as the explorer starts). The machine is
shared, so the vectorised engine's rate is the best of several repetitions.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.explorer import Explorer, ExplorerFigure
from kustannukset.scenarios.fast import engine_for, random_weights

SCENARIO = "huhtikuu_2023"  # all 23 municipalities in one area, the default basis (cost model)
SECOND = "elokuu_2023"  # four areas
REPEAT = 5
FAST_COUNT = 200_000
PANDAS_COUNT = 300
TARGET_RATE = 1_000_000
TARGET_UPDATE_MS = 50
UPDATES = 30


def pandas_payments(frame: pd.DataFrame, measures: list[str], pools: dict[str, float], weights):
    """One scenario, the plain pandas way: each measure's share inside its area, mixed by weight."""
    shares = pd.Series(0.0, index=frame.index)
    for measure, weight in zip(measures, weights, strict=True):
        shares += weight * frame[measure] / frame.groupby("alue")[measure].transform("sum")
    return shares * frame["alue"].map(pools)


def main() -> int:
    context = load_context()
    scenario = context.scenario(SCENARIO)
    engine = engine_for(context, scenario)
    rng = np.random.default_rng(2025)
    weights = random_weights(rng, FAST_COUNT, len(engine.measures))

    engine.payments(weights[:1000])  # warm-up
    fast_seconds = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fast = engine.payments(weights)
        fast_seconds.append(time.perf_counter() - started)
    fast_rate = FAST_COUNT / min(fast_seconds)
    median_rate = FAST_COUNT / float(np.median(fast_seconds))
    second = engine_for(context, context.scenario(SECOND))
    second_seconds = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        second.payments(weights)
        second_seconds.append(time.perf_counter() - started)
    second_rate = FAST_COUNT / min(second_seconds)

    measures = [f"m{i}" for i in range(len(engine.measures))]
    frame = pd.DataFrame(engine.values.T, columns=measures)
    frame["alue"] = [engine.area_names[i] for i in engine.area_index]
    pools = dict(zip(engine.area_names, engine.pools, strict=True))
    started = time.perf_counter()
    slow = [pandas_payments(frame, measures, pools, w).to_numpy() for w in weights[:PANDAS_COUNT]]
    slow_seconds = time.perf_counter() - started
    slow_rate = PANDAS_COUNT / slow_seconds
    np.testing.assert_allclose(np.array(slow), fast[:PANDAS_COUNT], rtol=1e-9)

    # The explorer's update: its state evaluated as a scenario by the exact engine (the same
    # functions as the CLI and the report) and printed as text tables, then its figure updated in
    # place. The states are slider positions (whole per cents in steps of 5), each new to the
    # context, in REPEAT passes with a fresh context; the best pass's median is reported.
    sliders = len(Explorer.from_scenario(context).measures)
    states = rng.integers(0, 21, size=(UPDATES, sliders)).astype(float) * 5
    states[:, 0] += 5  # never all zero
    table_runs, figure_runs = [], []
    for _ in range(REPEAT):
        explorer = Explorer.from_scenario(load_context())
        drawing = ExplorerFigure(explorer)
        drawing.update(explorer.result())
        explorer.weights = np.ones(sliders)  # every measure once: the one-time funding estimate
        drawing.update(explorer.result())
        tables, figures = [], []
        for state in states:
            explorer.weights = state
            started = time.perf_counter()
            result = explorer.result()
            explorer.text_of(result)
            tables.append(time.perf_counter() - started)
            started = time.perf_counter()
            drawing.update(result)
            figures.append(time.perf_counter() - started)
        table_runs.append(tables)
        figure_runs.append(figures)
    tables = min(table_runs, key=np.median)
    figures = min(figure_runs, key=np.median)
    update_ms = 1000 * float(np.median(tables))
    worst_ms = 1000 * max(tables)
    figure_ms = 1000 * float(np.median(figures))
    figure_worst_ms = 1000 * max(figures)

    print(
        f"Skenaario: {scenario.name}: {len(engine.codes)} kuntaa, {len(engine.measures)} mittaria"
    )
    print(
        f"numpy (vektoroitu): {fast_rate:,.0f} skenaariota/s ({FAST_COUNT} kpl, paras "
        f"{REPEAT} toistosta; mediaani {median_rate:,.0f})"
    )
    print(f"numpy, {len(second.area_names)} aluetta ({SECOND}): {second_rate:,.0f} skenaariota/s")
    print(f"pandas (yksi kerrallaan): {slow_rate:,.0f} skenaariota/s ({PANDAS_COUNT} kpl)")
    print(f"nopeusero: {fast_rate / slow_rate:,.0f}-kertainen; tulokset samat")
    print(
        f"skenaarioselaimen päivitys ({UPDATES} liukusäätimien asentoa, paras {REPEAT} toistosta):"
    )
    print(
        f"  tarkka laskenta + taulukot tekstinä: mediaani {update_ms:.1f} ms, "
        f"hitain {worst_ms:.1f} ms"
    )
    print(
        f"  kuva ja kartta paikallaan + PNG: mediaani {figure_ms:.1f} ms, "
        f"hitain {figure_worst_ms:.1f} ms"
    )
    ok = min(fast_rate, second_rate) >= TARGET_RATE and update_ms < TARGET_UPDATE_MS
    print("Tavoitteet saavutettu." if ok else "TAVOITE EI TÄYTY.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
