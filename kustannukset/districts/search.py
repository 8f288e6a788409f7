"""The top partitions by a criterion, found by branch and bound over the graph of sets and blocks.

Every criterion ranks a partition by a pair (first, second), then by its number, smallest first:

- ``tasaisin``: the spread of the areas' euros per inhabitant (max - min, in whole cents), then the
  spread of the municipalities' euros per inhabitant;
- ``vahiten``: the number of areas, then the municipalities' spread;
- ``eniten``: minus the number of areas, then the municipalities' spread.

A spread below 1e-9 € is 0 (floating-point noise of equal areas), and an area spread is rounded to
whole cents (floor(x * 100 + 0.5)) before it is compared: spreads closer than a cent are equal.

The search walks the partitions depth first: a state is the blocks chosen so far and the sets still
to be partitioned, the first of which chooses its next block, the most promising block first (by
its bound, then by number). A state is dropped when a lower bound of its triple (first, second, the
smallest number in its branch) is not smaller than the worst of the best ``top`` found so far, so
ties are decided by the number exactly as in a ranking of all partitions. The bounds come from
each set's exact extremes over its own partitions (fewest and most areas, the smallest possible
largest and the largest possible smallest euros per inhabitant), computed once from the smallest
sets up: a set still to be partitioned adds at least its fewest areas, and its blocks reach at
least its smallest largest value and at most its largest smallest value. The result is the same as
ranking every partition, without listing them.
"""

from __future__ import annotations

import heapq
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from kustannukset.districts.partitions import PartitionSpace, component_column

CRITERIA = ("tasaisin", "vahiten", "eniten")
# The candidate blocks of a set are turned into Python numbers this many at a time (the search
# usually stops after a few).
_CHUNK = 64
NOISE = 1e-9
INF = float("inf")


def denoise(x: float) -> float:
    return 0.0 if x < NOISE else x


def cents(x: float) -> float:
    return math.floor(denoise(x) * 100 + 0.5)


@dataclass
class Found:
    """One of the top partitions: its number, the edges of its blocks (in the order chosen), its
    number of areas, and its two spreads."""

    index: int
    edges: tuple[int, ...]
    areas: int
    area_spread: float
    spread: float


class _Extremes:
    """Per set: fewest and most areas, and for each per-edge interval (smallest, largest value of
    the edge's block) the smallest possible largest value and the largest possible smallest value
    over the set's partitions. Index -1 (the padding of an edge's components) is neutral."""

    def __init__(self, space: PartitionSpace, intervals: list[tuple[np.ndarray, np.ndarray]]):
        dag = space.dag
        self.fewest, self.most = space.area_range()
        # the intervals are independent: each in a thread of its own (numpy lets go of the
        # interpreter lock in its vector operations)
        with ThreadPoolExecutor(max(len(intervals), 1)) as pool:
            done = list(pool.map(lambda pair: _extremes(dag, *pair), intervals))
        self.low_top = [lowest_max for lowest_max, _ in done]
        self.high_bottom = [highest_min for _, highest_min in done]


def _extremes(
    dag, low_values: np.ndarray, high_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per set (and the padding -1), the smallest possible largest and the largest possible
    smallest value of its partitions, from the per-edge intervals, smallest sets first."""
    sets = len(dag.masks)
    lowest_max = np.full(sets + 1, -INF)
    highest_min = np.full(sets + 1, INF)
    for _, chosen in dag.levels():
        children = dag.children[chosen]
        top = high_values[chosen].copy()
        bottom = low_values[chosen].copy()
        for k in range(children.shape[1]):
            rows, child = component_column(children, k)  # the padding -1 is neutral
            top[rows] = np.maximum(top[rows], lowest_max[child])
            bottom[rows] = np.minimum(bottom[rows], highest_min[child])
        parents = dag.parent[chosen]
        first = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
        lowest_max[parents[first]] = np.minimum.reduceat(top, first)
        highest_min[parents[first]] = np.maximum.reduceat(bottom, first)
    return lowest_max, highest_min


class Search:
    """The bounds of one space and one set of block values, computed once for every criterion.
    ``area_value``, ``low`` and ``high`` give per edge of ``space.dag`` its block's euros per
    inhabitant and its members' smallest and largest euros per inhabitant."""

    def __init__(
        self, space: PartitionSpace, area_value: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> None:
        self.space = space
        self.area_value, self.low, self.high = area_value, low, high
        if not space.count():
            return
        self.counts = [int(c) for c in space.set_counts()]
        weights = space.edge_weights()
        self.prefix = np.cumsum(weights) - weights
        ext = _Extremes(space, [(area_value, area_value), (low, high)])
        self.fewest, self.most = ext.fewest, ext.most
        self.r_top, self.r_bottom = ext.low_top[0], ext.high_bottom[0]
        self.m_top, self.m_bottom = ext.low_top[1], ext.high_bottom[1]
        self._padded_fewest = np.append(self.fewest, 0)
        self._padded_most = np.append(self.most, 0)
        self._edges: dict[int, tuple[np.ndarray, ...]] = {}
        self._making = threading.Lock()

    def edges(self, s: int) -> tuple[np.ndarray, ...]:
        """Per edge of the set ``s``, what choosing it adds whatever else is chosen: its block
        and its components' fewest and most areas, and the extremes (made when the search first
        meets the set, for the sets it meets)."""
        found = self._edges.get(s)
        if found is not None:
            return found
        # the criteria are searched in threads of their own: a set met by several is made once
        # (the largest sets' arrays are large), by the first, while the others wait
        with self._making:
            found = self._edges.get(s)
            if found is None:
                found = self._edges[s] = self._make_edges(s)
        return found

    def _make_edges(self, s: int) -> tuple[np.ndarray, ...]:
        dag = self.space.dag
        lo, hi = int(dag.start[s]), int(dag.start[s + 1])
        children = dag.children[lo:hi]
        fewest = np.ones(hi - lo, dtype=np.int64)
        most = np.ones(hi - lo, dtype=np.int64)
        r_top, r_bottom = self.area_value[lo:hi].copy(), self.area_value[lo:hi].copy()
        m_top, m_bottom = self.high[lo:hi].copy(), self.low[lo:hi].copy()
        for k in range(children.shape[1]):
            child = children[:, k]
            fewest += self._padded_fewest[child]
            most += self._padded_most[child]
            r_top = np.maximum(r_top, self.r_top[child])
            r_bottom = np.minimum(r_bottom, self.r_bottom[child])
            m_top = np.maximum(m_top, self.m_top[child])
            m_bottom = np.minimum(m_bottom, self.m_bottom[child])
        return fewest, most, r_top, r_bottom, m_top, m_bottom

    def top(self, criterion: str, top: int) -> tuple[list[Found], int]:
        """The ``top`` best partitions by ``criterion``, best first, and the number of search
        states visited."""
        if criterion not in CRITERIA:
            raise ValueError(criterion)
        if top <= 0 or not self.space.count():
            return [], 0
        return _run(self, criterion, top)


def top_partitions(
    space: PartitionSpace,
    area_value: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    criterion: str,
    top: int,
) -> tuple[list[Found], int]:
    """:meth:`Search.top` for one criterion."""
    return Search(space, area_value, low, high).top(criterion, top)


def _run(search: Search, criterion: str, top: int) -> tuple[list[Found], int]:
    space = search.space
    dag = space.dag
    counts, prefix = search.counts, search.prefix
    area_value, low, high = search.area_value, search.low, search.high
    per_set = search.most if criterion == "eniten" else search.fewest
    r_top, r_bottom, m_top, m_bottom = search.r_top, search.r_bottom, search.m_top, search.m_bottom
    children = dag.children
    start = dag.start
    heap: list = []  # max-heap of the best: (-first, -second, -index, edges, areas, spreads)

    def key(areas: int, r_lo: float, r_hi: float, m_lo: float, m_hi: float) -> tuple:
        spread = denoise(m_hi - m_lo) if m_hi >= m_lo else 0.0
        if criterion == "tasaisin":
            return (cents(r_hi - r_lo) if r_hi >= r_lo else 0.0, spread)
        return (areas if criterion == "vahiten" else -areas, spread)

    visited = 0

    def visit(pending: list[int], chosen: list[int], index: int, state: tuple) -> None:
        nonlocal visited
        visited += 1
        areas, r_lo, r_hi, m_lo, m_hi = state
        if not pending:
            first, second = key(areas, r_lo, r_hi, m_lo, m_hi)
            item = (
                -first,
                -second,
                -index,
                tuple(chosen),
                areas,
                denoise(r_hi - r_lo),
                denoise(m_hi - m_lo),
            )
            if len(heap) < top:
                heapq.heappush(heap, item)
            elif item[:3] > heap[0][:3]:
                heapq.heapreplace(heap, item)
            return
        s, rest = pending[0], pending[1:]
        scale = math.prod(counts[p] for p in rest)
        lo, hi = int(start[s]), int(start[s + 1])
        # the bounds of every edge of this set at once
        rest_areas = areas + sum(int(per_set[p]) for p in rest)
        top_r = max([r_hi, *(r_top[p] for p in rest)])
        bottom_r = min([r_lo, *(r_bottom[p] for p in rest)])
        top_m = max([m_hi, *(m_top[p] for p in rest)])
        bottom_m = min([m_lo, *(m_bottom[p] for p in rest)])
        fewest, most, edge_r_top, edge_r_bottom, edge_m_top, edge_m_bottom = search.edges(s)
        edge_areas = most if criterion == "eniten" else fewest
        spread = np.maximum(edge_m_top, top_m) - np.minimum(edge_m_bottom, bottom_m)
        spread = np.where(spread < NOISE, 0.0, spread)
        if criterion == "tasaisin":
            gap = np.maximum(edge_r_top, top_r) - np.minimum(edge_r_bottom, bottom_r)
            first = np.floor(np.where(gap < NOISE, 0.0, gap) * 100 + 0.5)
        elif criterion == "vahiten":
            first = (edge_areas + rest_areas).astype(np.float64)
        else:
            first = -(edge_areas + rest_areas).astype(np.float64)
        survivors = np.arange(hi - lo)
        if len(heap) >= top:
            worst_first, worst_second = -heap[0][0], -heap[0][1]
            better = (first <= worst_first) & ((first < worst_first) | (spread <= worst_second))
            survivors = survivors[better]
        # the most promising first (then in the order of the numbers), so that good partitions
        # are found early and bound the rest
        survivors = survivors[np.lexsort((survivors, spread[survivors], first[survivors]))]
        # In this order the triples (first, second, smallest number) never decrease (the numbers
        # grow with the edge), and the worst kept triple never grows: once one is bounded off, so
        # is every later one, unless a bound is NaN (no population), which compares as neither.
        ordered = not (np.isnan(first).any() or np.isnan(spread).any())
        base = int(prefix[lo])
        for at in range(0, len(survivors), _CHUNK):
            chunk = survivors[at : at + _CHUNK]
            for j, bound, second, before in zip(
                chunk.tolist(),
                first[chunk].tolist(),
                spread[chunk].tolist(),
                prefix[lo + chunk].tolist(),
                strict=True,
            ):
                # the smallest number in this branch: a tie with the worst kept one is decided by
                # it
                least = index + (before - base) * scale
                if len(heap) >= top and (bound, second, least) >= (
                    -heap[0][0],
                    -heap[0][1],
                    -heap[0][2],
                ):
                    if ordered:
                        return
                    continue
                e = lo + j
                next_pending = [int(c) for c in children[e] if c >= 0] + rest
                next_state = (
                    areas + 1,
                    min(r_lo, area_value[e]),
                    max(r_hi, area_value[e]),
                    min(m_lo, low[e]),
                    max(m_hi, high[e]),
                )
                chosen.append(e)
                visit(next_pending, chosen, least, next_state)
                chosen.pop()

    tops = [int(i) for i in space._top_ids()]
    visit(tops, [], 0, (0, INF, -INF, INF, -INF))
    found = [
        Found(-item[2], item[3], item[4], item[5], item[6])
        for item in sorted(heap, key=lambda it: (-it[0], -it[1], -it[2]))
    ]
    return found, visited
