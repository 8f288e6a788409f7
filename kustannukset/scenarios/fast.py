"""The vectorised scenario engine (numpy), for sweeps over key weights and the explorer.

Same formulas as :mod:`kustannukset.scenarios.engine` (mixed key shares inside each area, the pool
split by them, discounts carried by nobody, the responsible municipality or the others), in floating
point and for many weight vectors at once: one matrix product per batch. Results are unrounded
euros; the exact engine rounds invoices. The tests check that both agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kustannukset.core.money import display_array
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.funding import key_figures, resolve_pool
from kustannukset.scenarios.model import KeyPart, Scenario, measure_label
from kustannukset.shared_costs import CARRIER_LEAD, CARRIER_NOBODY, CARRIER_OTHERS

BLOCK = 1024  # weight vectors per matrix product (a block's result fits in the cache)


def sweep_measures(context: Context) -> list[tuple[str, int]]:
    """The measures and years that sweeps, the sensitivity table and the explorer offer as key
    parts (``herkkyysmittarit`` in ``data/parametrit/tyollisyysalueet.yaml``)."""
    return [(m.measure, m.year) for m in context.spec("herkkyysmittarit")]


@dataclass
class VectorEngine:
    codes: list[str]
    names: list[str]
    area_names: list[str]
    area_index: np.ndarray  # (n,) area of each municipality
    pools: np.ndarray  # (areas,) euros
    lead_index: np.ndarray  # (areas,) municipality index of each responsible municipality
    measures: list[tuple[str, int]]
    values: np.ndarray  # (m, n)
    discount: np.ndarray  # (n,) fraction 0..1
    carrier: str = CARRIER_NOBODY

    def __post_init__(self) -> None:
        self.values = np.asarray(self.values, dtype=float)
        self.area_index = np.asarray(self.area_index, dtype=int)
        self.pools = np.asarray(self.pools, dtype=float)
        self.discount = np.asarray(self.discount, dtype=float)
        n_areas = len(self.pools)
        self._onehot = np.zeros((len(self.codes), n_areas))
        self._onehot[np.arange(len(self.codes)), self.area_index] = 1.0
        sums = self.values @ self._onehot  # (m, areas)
        with np.errstate(invalid="ignore", divide="ignore"):
            self._shares = np.nan_to_num(self.values / sums[:, self.area_index])  # (m, n)
        self._pool_of = self.pools[self.area_index]
        # Each measure's share times the area's pool: without discounts, the payments of a batch
        # of weight vectors are one matrix product.
        self._scaled = self._shares * self._pool_of
        self._undiscounted = (self.discount == 0).astype(float)

    @property
    def measure_labels(self) -> list[str]:
        return [measure_label(m, y) for m, y in self.measures]

    def _product(self, weights: np.ndarray) -> np.ndarray:
        """``weights @ self._scaled`` in blocks that stay in the processor's cache."""
        out = np.empty((weights.shape[0], self._scaled.shape[1]))
        for start in range(0, weights.shape[0], BLOCK):
            np.matmul(weights[start : start + BLOCK], self._scaled, out=out[start : start + BLOCK])
        return out

    def shares(self, weights: np.ndarray) -> np.ndarray:
        """Key shares inside each area for each weight vector: (s, m) -> (s, n)."""
        return np.atleast_2d(weights) @ self._shares

    def payments(self, weights: np.ndarray) -> np.ndarray:
        """Unrounded payments, one row per weight vector (rows of ``weights`` add up to 1)."""
        if not self.discount.any():
            return self._product(np.atleast_2d(weights))
        shares = self.shares(weights)
        gross = shares * self._pool_of
        disc = gross * self.discount
        pay = gross - disc
        if self.carrier == CARRIER_NOBODY:
            return pay
        per_area = disc @ self._onehot  # (s, areas)
        if self.carrier == CARRIER_LEAD:
            pay[:, self.lead_index] += per_area
            return pay
        if self.carrier == CARRIER_OTHERS:
            carrying = shares * self._undiscounted
            carrying_sum = carrying @ self._onehot
            with np.errstate(invalid="ignore", divide="ignore"):
                pay += np.nan_to_num(carrying * (per_area / carrying_sum)[:, self.area_index])
            return pay
        raise ValueError(self.carrier)

    def weights_of(self, key: Sequence[KeyPart]) -> np.ndarray:
        weights = np.zeros(len(self.measures))
        for part in key:
            weights[self.measures.index((part.measure, part.year))] = float(part.weight)
        return weights

    def table(self, weights: np.ndarray) -> pd.DataFrame:
        """One scenario's payments as a table (whole euros by simple rounding, for display)."""
        pay = self.payments(np.asarray(weights, dtype=float))[0]
        return pd.DataFrame(
            {
                "Alue": [self.area_names[i] for i in self.area_index],
                "Kunta": self.names,
                "Maksuosuus €": display_array(pay, 0).astype(int),
            }
        )


def engine_for(
    context: Context,
    scenario: Scenario,
    measures: Sequence[tuple[str, int]] | None = None,
) -> VectorEngine:
    """A vector engine over the scenario's areas and pools, with every area's key measures (and by
    default the sweep measures of the parameter file)."""
    measures = list(sweep_measures(context) if measures is None else measures)
    for area in scenario.areas:
        for part in area.key:
            if (part.measure, part.year) not in measures:
                measures.append((part.measure, part.year))
    codes = [c for area in scenario.areas for c in area.members]
    area_index = [i for i, area in enumerate(scenario.areas) for _ in area.members]
    values = np.array(
        [
            [
                float(v)
                for v in key_figures(context, m, y, codes, purpose="skenaariolaskin").values()
            ]
            for m, y in measures
        ]
    )
    pools = [float(resolve_pool(context, area.pool, area).total) for area in scenario.areas]
    return VectorEngine(
        codes=codes,
        names=[context.name(c) for c in codes],
        area_names=[a.name for a in scenario.areas],
        area_index=np.array(area_index),
        pools=np.array(pools),
        lead_index=np.array([codes.index(a.lead) for a in scenario.areas]),
        measures=measures,
        values=values,
        discount=np.array([float(scenario.discounts_pct.get(c, 0)) / 100 for c in codes]),
        carrier=scenario.carrier,
    )


def random_weights(rng: np.random.Generator, count: int, measures: int) -> np.ndarray:
    """Random weight mixes (uniform on the simplex): each row adds up to 1."""
    return rng.dirichlet(np.ones(measures), size=count)


def moved(weights: np.ndarray, index: int, delta: float) -> np.ndarray:
    """Move one weight by ``delta`` (clipped to 0..1) and scale the others so the sum stays 1."""
    weights = np.asarray(weights, dtype=float)
    new = min(1.0, max(0.0, weights[index] + delta))
    rest = 1.0 - weights[index]
    out = np.empty_like(weights)
    if rest > 0:
        out[:] = weights * (1.0 - new) / rest
    else:  # all weight was on this measure: give the freed weight to the others equally
        out[:] = (1.0 - new) / (len(weights) - 1)
    out[index] = new
    return out


def sensitivity(engine: VectorEngine, weights: np.ndarray, delta: float = 0.1) -> pd.DataFrame:
    """How each payment moves when one key weight moves by ±``delta`` (the others scaled to keep
    the sum 1): one row per municipality and measure, changes in euros against ``weights``."""
    weights = np.asarray(weights, dtype=float)
    base = engine.payments(weights)[0]
    batch = []
    for i in range(len(engine.measures)):
        batch.append(moved(weights, i, +delta))
        batch.append(moved(weights, i, -delta))
    result = engine.payments(np.array(batch)) - base
    rows = []
    labels = engine.measure_labels
    for i, label in enumerate(labels):
        for j, name in enumerate(engine.names):
            rows.append(
                {
                    "Kunta": name,
                    "Mittari": label,
                    "Paino ylös €": result[2 * i, j],
                    "Paino alas €": result[2 * i + 1, j],
                }
            )
    return pd.DataFrame(rows)
