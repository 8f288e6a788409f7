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

from dataclasses import dataclass, field

import numpy as np

from kustannukset.districts.partitions import area_totals, key_shares, mask_totals

# Payments closer than half a cent count as equal when placing the decided areas.
TIE_EUROS = 0.005
QUARTILES = (0.25, 0.5, 0.75)
# Buckets per municipality in which the k-th smallest payment is looked for (:class:`_Selection`).
BUCKETS = 4096


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
        euros per inhabitant.

        The entries are by node, then block (:func:`_members`), so each node's values are one
        run. A block's sums over its members (the pool, the payments) are accumulated node by node,
        in node order: the same additions, in the same order, as the listing's sums."""
        masks = np.asarray(masks, dtype=np.int64)
        count = len(masks)
        block, start = _members(masks, n)
        runs = [block[start[i] : start[i + 1]] for i in range(n)]

        def sums(values: np.ndarray) -> np.ndarray:
            if _whole(values):
                # whole numbers add up exactly in any order: by table look-ups, per block
                return mask_totals(masks, values.astype(np.int64), n).astype(np.float64)
            return _node_order_sums(runs, values, count)

        shares = [np.zeros(len(rows), dtype=np.float64) for rows in runs]
        with np.errstate(invalid="ignore", divide="ignore"):
            for weight, values in zip(self.key_weights, self.key_values, strict=True):
                totals = sums(values)
                for i, rows in enumerate(runs):
                    shares[i] += weight * np.nan_to_num(values[i] / totals[rows])
        pools = None if self.pool_of_node is None else sums(self.pool_of_node)
        payment = np.empty(len(block), dtype=np.float64)
        pays = [payment[start[i] : start[i + 1]] for i in range(n)]  # views: each node's run
        for rows, share, pay in zip(runs, shares, pays, strict=True):
            pay[:] = self._pools(None if pools is None else pools[rows], len(rows)) * share
        paid = _node_order_sums(runs, pays, count)
        people = sums(self.population)
        low = np.full(count, np.nan)
        high = np.full(count, np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            per_area = np.where(people > 0, paid / people, np.nan)
            for i, (rows, pay) in enumerate(zip(runs, pays, strict=True)):
                per_capita = pay / self.population[i]
                low[rows] = np.fmin(low[rows], per_capita)
                high[rows] = np.fmax(high[rows], per_capita)
        return BlockValues(block, payment, per_area, low, high, start)


def _members(masks: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The blocks containing each node, node by node (block indices in increasing order, int32),
    and where each node's run starts (``n + 1`` offsets)."""
    # a truth array is searched several times faster than the integers that hold the bit
    runs = [np.flatnonzero((masks & (1 << i)).astype(bool)).astype(np.int32) for i in range(n)]
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(r) for r in runs], out=start[1:])
    return (np.concatenate(runs) if runs else np.zeros(0, np.int32)), start


def _node_order_sums(runs: list[np.ndarray], values, count: int) -> np.ndarray:
    """Per block, the sum of its members' values added in node order from 0.0: ``values[i]`` is
    node ``i``'s value (one number) or its values in the blocks of its run (an array)."""
    total = np.zeros(count, dtype=np.float64)
    for rows, value in zip(runs, values, strict=True):
        total[rows] += value
    return total


def _whole(values: np.ndarray) -> bool:
    """Whether ``values`` are whole numbers whose sums float64 holds exactly."""
    values = np.asarray(values, dtype=np.float64)
    return bool(
        np.all(np.isfinite(values))
        and np.all(np.mod(values, 1.0) == 0.0)
        and np.abs(values).sum() < 2.0**53
    )


@dataclass
class BlockValues:
    """Payments of the blocks' members (one entry per block and member, by node then block;
    node ``i``'s entries are ``start[i]:start[i + 1]``) and per block: euros per inhabitant of the
    area, and the smallest and largest euros per inhabitant of its members."""

    block: np.ndarray
    payment: np.ndarray
    per_area: np.ndarray
    low: np.ndarray
    high: np.ndarray
    start: np.ndarray
    _tables: dict = field(default_factory=dict)

    def selection(self, weights: np.ndarray, n: int) -> _Selection:
        """:class:`_Selection` of these payments and block weights (made once)."""
        key = id(weights)
        if key not in self._tables:
            self._tables[key] = (weights, _Selection(self, weights, n))
        return self._tables[key][1]


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


def _summary(statistic, total: int) -> tuple[float, tuple[float, float, float], float]:
    """Minimum, (lower quartile, median, upper quartile) and maximum of ``total`` values given
    by ``statistic(k)``, the k-th smallest (from 0): numpy's median (the mean of the two middle
    values) and its linear quantiles."""
    result = []
    for q in QUARTILES:
        if q == 0.5:
            middle = (total - 1) // 2
            a = statistic(middle)
            result.append(a if total % 2 else float(np.mean([a, statistic(middle + 1)])))
            continue
        position = (total - 1) * q
        below = int(np.floor(position))
        a, b = statistic(below), statistic(min(below + 1, total - 1))
        result.append(_lerp(a, b, position - below))
    return statistic(0), (result[0], result[1], result[2]), statistic(total - 1)


def weighted_summary(
    values: np.ndarray, weights: np.ndarray, total: int
) -> tuple[float, tuple[float, float, float], float]:
    """Minimum, (lower quartile, median, upper quartile) and maximum of ``values`` each repeated
    ``weights`` times (``total`` in all), without repeating them."""
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(weights[order])
    return _summary(lambda k: float(values[np.searchsorted(cumulative, k, side="right")]), total)


class _Selection:
    """Each node's k-th smallest payment over all legal partitions (the payments of the blocks
    containing it, each counted by the block's weight), for a few ``k`` at a time, without sorting
    every payment.

    Each node's payments are counted into :data:`BUCKETS` buckets of equal width between its
    smallest and largest payment (the bucket grows with the payment, so the buckets are in the
    payments' order), with the weights added up exactly in 64-bit integers. The k-th smallest lies
    in the bucket where the running sum passes ``k``; only the entries of the buckets asked for
    are sorted. The answer is the payment itself, the same number as in a full sort.

    Everything is done node by node, on each node's run of entries (:class:`BlockValues`), so no
    temporary array is longer than one node's run."""

    def __init__(self, values: BlockValues, weights: np.ndarray, n: int) -> None:
        self.n, self.values = n, values
        self.weights = np.asarray(weights, dtype=np.int64)
        self.minimum = np.full(n, np.inf)
        self.maximum = np.full(n, -np.inf)
        self.bucket = np.empty(
            len(values.payment), dtype=np.int16 if BUCKETS <= 1 << 15 else np.int32
        )
        self.cumulative = np.zeros((n, BUCKETS), dtype=np.int64)
        with np.errstate(invalid="ignore", divide="ignore"):
            for i in range(n):
                payment, weight = self._run(i)
                if not payment.size:
                    continue
                low, high = payment.min(), payment.max()
                self.minimum[i], self.maximum[i] = low, high
                span = high - low
                scale = (BUCKETS - 1) / span if span > 0 else 0.0
                bucket = ((payment - low) * scale).astype(np.intp)
                np.minimum(bucket, BUCKETS - 1, out=bucket)
                self.bucket[self._slice(i)] = bucket
                counts = np.zeros(BUCKETS, dtype=np.int64)
                np.add.at(counts, bucket, weight)
                np.cumsum(counts, out=self.cumulative[i])

    def _slice(self, i: int) -> slice:
        return slice(int(self.values.start[i]), int(self.values.start[i + 1]))

    def _run(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Node ``i``'s payments and their blocks' weights."""
        part = self._slice(i)
        return self.values.payment[part], self.weights[self.values.block[part]]

    def smallest(self, wanted: dict[int, list[int]]) -> dict[tuple[int, int], float]:
        """(node, k) -> the node's k-th smallest payment (from 0), for node -> ks."""
        found = {}
        for i, ks in wanted.items():
            where = {k: int(np.searchsorted(self.cumulative[i], k, side="right")) for k in ks}
            payment, weight = self._run(i)
            bucket = self.bucket[self._slice(i)]
            asked = np.zeros(BUCKETS, dtype=bool)
            asked[list(where.values())] = True
            chosen = np.flatnonzero(asked[bucket])
            bucket, payment, weight = bucket[chosen], payment[chosen], weight[chosen]
            order = np.lexsort((payment, bucket))
            bucket, payment, weight = bucket[order], payment[order], weight[order]
            for k, b in where.items():
                lo, hi = np.searchsorted(bucket, [b, b + 1])
                before = int(self.cumulative[i, b - 1]) if b else 0
                within = np.cumsum(weight[lo:hi])
                found[(i, k)] = float(
                    payment[lo + np.searchsorted(within, k - before, side="right")]
                )
        return found

    def below(self, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per node, the number of partitions in which it pays less than ``target - TIE_EUROS``,
        and the number in which its payment is within :data:`TIE_EUROS` of ``target``."""
        target = np.asarray(target, dtype=np.float64)
        under = np.zeros(self.n, dtype=np.int64)
        equal = np.zeros(self.n, dtype=np.int64)
        for i in range(self.n):
            payment, weight = self._run(i)
            aim = target[i]
            under[i] = weight[payment < aim - TIE_EUROS].sum()
            # the ties are evaluated as defined, on the payments near the target
            near = np.flatnonzero(
                (payment >= aim - 2 * TIE_EUROS) & (payment <= aim + 2 * TIE_EUROS)
            )
            near = near[np.abs(payment[near] - aim) <= TIE_EUROS]
            equal[i] = weight[near].sum()
        return under, equal


def _ranks(total: int) -> list[int]:
    """The ranks (from 0) that :func:`_summary` reads for ``total`` values."""
    asked: list[int] = []

    def record(k: int) -> float:
        asked.append(k)
        return 0.0

    _summary(record, total)
    return asked


def distribution(
    values: BlockValues, weights: np.ndarray, total: int, n: int, offset: np.ndarray | None = None
) -> Distribution:
    """Each node's payment over all legal partitions (``weights``: the blocks' numbers of legal
    partitions, ``total`` the count). With ``offset``, of ``offset - payment`` (the net against
    the state-funding estimate): its k-th smallest is ``offset`` less the payment's k-th
    largest."""
    minimum = np.full(n, np.nan)
    maximum = np.full(n, np.nan)
    quartiles = np.full((3, n), np.nan)
    if not total:
        return Distribution(minimum, quartiles, maximum)
    ranks = _ranks(total)
    if offset is not None:
        ranks = [total - 1 - k for k in ranks]
    found = values.selection(weights, n).smallest({i: ranks for i in range(n)})
    for i in range(n):

        def smallest(k: int, i=i) -> float:
            return found[(i, k)]

        if offset is None:
            statistic = smallest
        else:

            def statistic(k: int, smallest=smallest, rest=float(offset[i])) -> float:
                return rest - smallest(total - 1 - k)

        minimum[i], quartiles[:, i], maximum[i] = _summary(statistic, total)
    return Distribution(minimum, quartiles, maximum)


def percentiles(
    values: BlockValues, weights: np.ndarray, total: int, n: int, target: np.ndarray
) -> np.ndarray:
    """For each node, the share (%) of legal partitions in which it pays less than ``target``
    (payments within :data:`TIE_EUROS` counting half)."""
    result = np.full(n, np.nan)
    if not total:
        return result
    under, equal = values.selection(weights, n).below(target)
    for i in range(n):
        result[i] = 100.0 * (int(under[i]) + int(equal[i]) / 2) / total
    return result


def percentile_of(values: np.ndarray, target: float) -> float:
    """The share (%) of ``values`` below ``target``, values within :data:`TIE_EUROS` counting
    half: the definition of :func:`percentiles`, over a plain list."""
    values = np.asarray(values, dtype=float)
    below = (values < target - TIE_EUROS).sum()
    equal = (np.abs(values - target) <= TIE_EUROS).sum()
    return 100.0 * (below + equal / 2) / len(values)
