"""Payments over all legal partitions, from the blocks alone.

A municipality's payment depends only on the area it lands in: the area's pool divided by the cost
key inside the area. So its distribution over all legal partitions is the payments of the blocks
that contain it (:meth:`kustannukset.districts.partitions.PartitionSpace.blocks`), each counted as
many times as there are legal partitions containing the block. Minimum, quartiles, median,
maximum, the net against the state-funding estimate and the decided areas' percentile follow
exactly, without listing a single partition.

A :class:`Basis` is plain numbers over the nodes (in the region's order):

- the key: one row of figures per measure and its weight; municipality ``i`` of area ``A`` gets the
  share ``sum over measures of weight * key_i / (sum of key over A)``;
- the pool of an area: a fixed part (the same for every area, or none) plus the sum of the members'
  contributions (a pool per inhabitant, a cost per unemployed jobseeker, the members' state
  funding), so that the pool, like the key, is a function of the area's member set;
- the population of each municipality, for euros per inhabitant, and its state-funding estimate
  (whole euros) for the net, when there is one.

The arithmetic is the listing's, operation for operation (sums over an area's members in node order,
the shares accumulated measure by measure), so a block's payments are the same floating-point
numbers as in any listed partition that contains it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kustannukset.districts.partitions import area_totals, key_shares, mask_members

# Payments closer than half a cent count as equal when placing the decided areas.
TIE_EUROS = 0.005
QUARTILES = (0.25, 0.5, 0.75)


@dataclass
class Basis:
    """A cost key and a pool over the region's municipalities, as numbers (see the module
    docstring). ``pool_fixed`` is None when there is no fixed part; ``pool_of_node`` None when no
    part is summed over the members."""

    key_weights: tuple[float, ...]
    key_values: np.ndarray  # (measures, n)
    pool_fixed: float | None
    pool_of_node: np.ndarray | None
    population: np.ndarray  # (n,) the €-per-inhabitant measure
    funding: np.ndarray | None = None  # (n,) whole euros, when the estimate exists

    def _pools(self, sums: np.ndarray | None, shape) -> np.ndarray:
        if sums is None:
            return np.full(shape, self.pool_fixed, dtype=np.float64)
        return sums if self.pool_fixed is None else self.pool_fixed + sums

    def payments(self, labels: np.ndarray) -> np.ndarray:
        """Each municipality's payment in each partition of a label matrix, euros unrounded:
        (rows, n). The listing's formula, kept for single partitions and the tests."""
        labels = np.asarray(labels)
        shares = np.zeros(labels.shape, dtype=np.float64)
        for weight, values in zip(self.key_weights, self.key_values, strict=True):
            shares += weight * np.nan_to_num(key_shares(labels, values))
        sums = None
        if self.pool_of_node is not None:
            totals = area_totals(labels, self.pool_of_node)
            sums = np.take_along_axis(totals, labels.astype(np.intp), axis=1)
        return self._pools(sums, labels.shape) * shares

    def blocks(self, masks: np.ndarray, n: int) -> BlockValues:
        """Every member's payment in each block (an area given as a bit mask), and each block's
        euros per inhabitant."""
        masks = np.asarray(masks, dtype=np.int64)
        block, node = np.nonzero(mask_members(masks, n))  # by block, then node order
        count = len(masks)

        def sums(values: np.ndarray) -> np.ndarray:
            return np.bincount(block, weights=values[node], minlength=count)

        shares = np.zeros(len(block), dtype=np.float64)
        with np.errstate(invalid="ignore", divide="ignore"):
            for weight, values in zip(self.key_weights, self.key_values, strict=True):
                shares += weight * np.nan_to_num(values[node] / sums(values)[block])
        pools = None if self.pool_of_node is None else sums(self.pool_of_node)[block]
        pay = self._pools(pools, len(block)) * shares
        paid = np.bincount(block, weights=pay, minlength=count)
        people = sums(self.population)
        with np.errstate(invalid="ignore", divide="ignore"):
            per_area = np.where(people > 0, paid / people, np.nan)
            per_capita = pay / self.population[node]
        first = np.flatnonzero(np.r_[True, block[1:] != block[:-1]]) if len(block) else block
        low = np.fmin.reduceat(per_capita, first) if len(block) else per_capita
        high = np.fmax.reduceat(per_capita, first) if len(block) else per_capita
        return BlockValues(block, node, pay, per_area, low, high)


@dataclass
class BlockValues:
    """Payments of the blocks' members (one entry per block and member, by block then node) and
    per block: euros per inhabitant of the area, and the smallest and largest euros per
    inhabitant of its members."""

    block: np.ndarray
    node: np.ndarray
    payment: np.ndarray
    per_area: np.ndarray
    low: np.ndarray
    high: np.ndarray
    _sorted: tuple[np.ndarray, np.ndarray] | None = None

    def by_node(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The entries ordered by node, then payment (stable), and where each node's begin."""
        if self._sorted is None:
            order = np.argsort(self.node.astype(np.int16), kind="stable")
            start = np.searchsorted(self.node[order], np.arange(n + 1))
            for i in range(n):
                mine = order[start[i] : start[i + 1]]
                order[start[i] : start[i + 1]] = mine[np.argsort(self.payment[mine], kind="stable")]
            self._sorted = (order, start)
        return self._sorted


@dataclass
class Distribution:
    """One value per municipality for each statistic over all legal partitions."""

    minimum: np.ndarray
    quartiles: np.ndarray  # (3, n): lower quartile, median, upper quartile
    maximum: np.ndarray


def _lerp(a: float, b: float, t: float) -> float:
    """numpy's linear interpolation of a quantile between two order statistics, as it computes
    it (from the nearer end)."""
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def _order_statistic(values: np.ndarray, cumulative: np.ndarray, k: int) -> float:
    """The k-th smallest (from 0) of values repeated as many times as their weights say."""
    return float(values[np.searchsorted(cumulative, k, side="right")])


def weighted_summary(
    values: np.ndarray, weights: np.ndarray, total: int, *, ordered: bool = False
) -> tuple[float, tuple[float, float, float], float]:
    """Minimum, (lower quartile, median, upper quartile) and maximum of ``values`` each repeated
    ``weights`` times (``total`` in all): numpy's median (the mean of the two middle values) and
    its linear quantiles, over the repeated values, without repeating them. ``ordered``: the
    values are already in increasing order."""
    if not ordered:
        order = np.argsort(values, kind="stable")
        values, weights = values[order], weights[order]
    cumulative = np.cumsum(weights)
    result = []
    for q in QUARTILES:
        if q == 0.5:
            middle = (total - 1) // 2
            a = _order_statistic(values, cumulative, middle)
            if total % 2:
                result.append(a)
            else:
                b = _order_statistic(values, cumulative, middle + 1)
                result.append(float(np.mean([a, b])))
            continue
        position = (total - 1) * q
        below = int(np.floor(position))
        a = _order_statistic(values, cumulative, below)
        b = _order_statistic(values, cumulative, min(below + 1, total - 1))
        result.append(_lerp(a, b, position - below))
    return float(values[0]), (result[0], result[1], result[2]), float(values[-1])


def distribution(
    values: BlockValues, weights: np.ndarray, total: int, n: int, offset: np.ndarray | None = None
) -> Distribution:
    """Each node's payment over all legal partitions (``weights``: the blocks' numbers of legal
    partitions, ``total`` the count). With ``offset``, of ``offset - payment`` (the net against
    the state-funding estimate)."""
    minimum = np.full(n, np.nan)
    maximum = np.full(n, np.nan)
    quartiles = np.full((3, n), np.nan)
    if not total:
        return Distribution(minimum, quartiles, maximum)
    order, start = values.by_node(n)
    pay, weight = values.payment[order], weights[values.block[order]]
    for i in range(n):
        mine = slice(int(start[i]), int(start[i + 1]))
        if offset is None:
            low, middle, high = weighted_summary(pay[mine], weight[mine], total, ordered=True)
        else:
            low, middle, high = weighted_summary(
                (offset[i] - pay[mine])[::-1], weight[mine][::-1], total, ordered=True
            )
        minimum[i], quartiles[:, i], maximum[i] = low, middle, high
    return Distribution(minimum, quartiles, maximum)


def percentiles(
    values: BlockValues, weights: np.ndarray, total: int, n: int, target: np.ndarray
) -> np.ndarray:
    """For each node, the share (%) of legal partitions in which it pays less than ``target``
    (payments within :data:`TIE_EUROS` counting half)."""
    result = np.full(n, np.nan)
    if not total:
        return result
    order, start = values.by_node(n)
    pay, weight = values.payment[order], weights[values.block[order]]
    for i in range(n):
        mine = slice(int(start[i]), int(start[i + 1]))
        below = int(weight[mine][pay[mine] < target[i] - TIE_EUROS].sum())
        equal = int(weight[mine][np.abs(pay[mine] - target[i]) <= TIE_EUROS].sum())
        result[i] = 100.0 * (below + equal / 2) / total
    return result


def percentile_of(values: np.ndarray, target: float) -> float:
    """The share (%) of ``values`` below ``target``, values within :data:`TIE_EUROS` counting
    half: the definition of :func:`percentiles`, over a plain list."""
    values = np.asarray(values, dtype=float)
    below = (values < target - TIE_EUROS).sum()
    equal = (np.abs(values - target) <= TIE_EUROS).sum()
    return 100.0 * (below + equal / 2) / len(values)
