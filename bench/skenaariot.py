"""Benchmark of the scenario engine: ``python bench/skenaariot.py`` (or ``make bench``).

Measures, in the same run and on the same random weight mixes:
- the vectorised numpy engine (kustannukset.scenarios.fast), scenario evaluations per second;
- a straightforward pandas implementation, one scenario at a time (shares by groupby, weighted sum);
- an explorer update: recompute one scenario and redraw its table as text.

Both engines must agree; the targets are at least 1 000 000 evaluations per second for the 23
Pirkanmaa municipalities, with the new keys (labour force, unemployed jobseekers, the state-grant
criteria) and pool bases (the cost model, a second scenario with the funding pool and four
areas), and an explorer update under 50 ms. The machine is shared, so the vectorised engine's
rate is the best of several repetitions.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.explorer import Explorer
from kustannukset.scenarios.fast import engine_for, random_weights

SCENARIO = "pirkanmaa_kustannusmalli"  # all 23 municipalities in one area, the cost model
SECOND = "elokuu_2023_kustannusmalli"  # four areas
REPEAT = 5
FAST_COUNT = 200_000
PANDAS_COUNT = 300
TARGET_RATE = 1_000_000
TARGET_UPDATE_MS = 50


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
    # functions as the CLI and the report) and printed as text tables.
    explorer = Explorer.from_scenario(context, "elokuu_2023")
    explorer.render_text()
    timings = []
    for w in weights[:30]:
        explorer.weights = w
        started = time.perf_counter()
        explorer.render_text()
        timings.append(time.perf_counter() - started)
    update_ms = 1000 * float(np.median(timings))
    worst_ms = 1000 * max(timings)

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
        f"skenaarioselaimen päivitys (tarkka laskenta + taulukot tekstinä): mediaani {update_ms:.1f} ms, "
        f"hitain {worst_ms:.1f} ms"
    )
    ok = min(fast_rate, second_rate) >= TARGET_RATE and update_ms < TARGET_UPDATE_MS
    print("Tavoitteet saavutettu." if ok else "TAVOITE EI TÄYTY.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
