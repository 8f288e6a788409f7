"""Every partition of a set of municipalities into contiguous areas that each reach a threshold.

A *legal partition* of the nodes (municipalities) divides them into blocks (employment areas) so that
every block is connected in the adjacency graph and its total weight (labour force) is at least the
threshold. This module counts them exactly (in total and by number of areas), finds every block that
occurs in some legal partition with the number of legal partitions that contain it, numbers the
partitions (a partition from its number and back), lists them, and gives the minimal legal areas of
one node.

It takes plain inputs and imports nothing else of the package:

- ``nodes``: the node ids in a fixed order (for example kuntanumero strings), at most
  :data:`MAX_NODES`. The order names the columns of every label matrix, the bits of every mask
  (node ``i`` is bit ``i``) and defines the canonical labelling.
- ``adjacency``: node -> neighbouring nodes. It must be symmetric and name only known nodes (see
  :func:`induced_adjacency` to cut a larger map down to the node set). A node missing from it has
  no neighbours.
- ``weights``: node -> non-negative integer weight (labour force), for exactly the nodes.
- ``threshold``: the integer minimum weight of a block.

A disconnected node set can be partitioned: every block must be connected, so each connected part of
the graph is partitioned on its own and the partitions of the whole are the combinations of those of
the parts. If one part cannot be partitioned (its total weight is below the threshold), there is no
legal partition at all: the count is 0, which is not an error. A connected set whose weight reaches
the threshold always has at least one legal partition: itself as one block.

**The decomposition.** For a connected set ``C`` take its *pivot*, the node with the fewest
neighbours inside ``C`` (on a tie the first in node order). Every partition of ``C`` has exactly one
block ``B`` containing the pivot, and the rest ``C - B`` falls into connected components that are
partitioned independently, so ``count(C) = sum over B of the product of count(component)``. The
blocks ``B`` are grown from the pivot by an include/exclude branching on their neighbours (each
connected superset reached once); a component of the rest lighter than the threshold must join ``B``
whole, and if it holds a node the branching has already excluded, the branch is dead.

The sets and blocks met this way form a directed acyclic graph: a *set* (a connected set to be
partitioned) has one *edge* per block ``B`` of its pivot, and the edge leads to the components of the
rest. It is built breadth first, all sets of a wave and all branches of a depth at once, on numpy
arrays of bit masks (one int64 a set), so that the work per branch is a few vector operations rather
than Python statements. The branches of a wave grow independently, so once there are
:data:`SPLIT_ROWS` of them they are shared among :data:`THREADS` threads (numpy lets go of the
interpreter lock in its vector operations); the edges are put in their order at the end, so the
graph is the same whatever the threads. Then, in order of set size:

- *inside*: each set's number of partitions, and its polynomial in the number of areas;
- *outside*: for each set, the number of ways to complete a partition of the whole node set around
  it, so that an edge's *use* (outside of its set times the product of its components' counts) is
  the number of legal partitions in which its block is a block. Every legal partition is reached by
  exactly one path of edges, so a block's *weight* (the sum of the uses of its edges) is the number
  of legal partitions that contain it.

A node's area in a partition is one block containing it, so anything that depends only on the node's
area (a payment, say) is distributed over all legal partitions as the blocks containing the node,
each counted by its weight: no partition needs to be listed.

**Numbering.** The partitions of a sequence of sets are numbered from 0 in mixed radix, the first
set most significant. Those of one set are ordered by the block of its pivot, larger blocks (more
nodes) first and blocks of equal size by their mask (the number whose bit ``i`` is node ``i``),
then by the partitions of the rest's components, the component with the lowest node first. The
whole node set is the sequence of the fixed blocks (as given) and then the connected components of
the other nodes (the one with the lowest node first). The number of a partition depends only on the
inputs (nodes in their order, adjacency, weights, threshold, fixed blocks). :meth:`partition_at`
and :meth:`index_of` convert between a number and its partition; :meth:`iter_labels` lists in this
order.

Memory is bounded by the graph (a few dozen bytes an edge) and, while listing, by the cache limit and
the chunk size, not by the number of partitions. :meth:`PartitionSpace.estimate` tells cheaply,
before anything is built, whether a node set is small enough (:func:`estimate_size`).

:func:`recursive_partitions` is the straightforward enumerator (smallest unassigned node first,
every connected block containing it, recurse) kept as the baseline for the benchmark and the tests.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from numbers import Integral, Rational

import numpy as np

__all__ = [
    "MAX_NODES",
    "PartitionInputError",
    "PartitionSpace",
    "SizeEstimate",
    "area_count",
    "area_sums",
    "area_totals",
    "blocks_of",
    "canonical_labels",
    "estimate_size",
    "find_partition",
    "induced_adjacency",
    "key_shares",
    "mask_totals",
    "minimal_areas",
    "recursive_partitions",
    "split_pool",
]

Node = Hashable

# Sets are int64 bit masks.
MAX_NODES = 63
DEFAULT_CHUNK = 1 << 16
DEFAULT_CACHE_BYTES = 256 << 20
# Counts are exact int64: a node set with more legal partitions than this is refused.
MAX_COUNT = 1 << 62
_TABLE_BITS = 16
# The memory a run takes per edge of the graph, the evaluation of its blocks included, and per set,
# with a margin: Varsinais-Suomi's 5,5 million edges peak at 1,1 GB, Uusimaa's 1,3 million at
# 0,56 GB, each with the process's own 0,25 GB (libraries and statistics).
EDGE_BYTES = 280
SET_BYTES = 160
# The peak memory per edge of the estimate, with a margin (Varsinais-Suomi: 1,1 GB for an estimate
# of 3,1 million edges; the estimate runs short of the real size by a factor of 1,5-2,5).
ESTIMATE_BYTES = 500
# The build shares a wave's branching among this many threads once it has this many rows (numpy
# lets go of the interpreter lock inside its vector operations; on smaller waves the threads cost
# more than they save: Pirkanmaa builds no faster with them, Varsinais-Suomi's large waves do).
THREADS = 2
SPLIT_ROWS = 65536
# The edges are put in order by one plain sort of numbers that pack the set, the block's size and
# its mask, when those fit in this many bits (else by a slower lexsort).
PACKED_BITS = 63


class PartitionInputError(ValueError):
    """Virheellinen syöte aluejakojen laskennalle. ``nodes`` names the offending nodes, so that a
    caller can rephrase the message with municipality names."""

    def __init__(self, message: str, nodes: Iterable[Node] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.nodes = tuple(nodes)


# --- input ------------------------------------------------------------------------------------


def induced_adjacency(
    adjacency: Mapping[Node, Iterable[Node]], nodes: Iterable[Node]
) -> dict[Node, set[Node]]:
    """The adjacency restricted to ``nodes`` (for example the whole country's map cut down to one
    region): neighbours outside the set are dropped, nodes without an entry get none."""
    keep = set(nodes)
    return {v: {u for u in adjacency.get(v, ()) if u in keep and u != v} for v in keep}


def _integer(value, what: str, node: Node | None = None) -> int:
    """An exact integer from an int, an integral Fraction/float, or a numpy integer."""
    if isinstance(value, bool):
        raise PartitionInputError(f"{what} ei ole kokonaisluku: {value!r}", _listed(node))
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Rational) and value.denominator == 1:
        return int(value.numerator)
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return int(value)
    raise PartitionInputError(f"{what} ei ole kokonaisluku: {value!r}", _listed(node))


def _listed(node: Node | None) -> tuple:
    return () if node is None else (node,)


def _show(nodes: Iterable[Node], order: Mapping[Node, int]) -> str:
    return "{" + ", ".join(str(v) for v in sorted(nodes, key=order.__getitem__)) + "}"


class _Graph:
    """Validated input as bitmasks: node i is bit i, a set of nodes is a Python int."""

    def __init__(
        self,
        nodes: Sequence[Node],
        adjacency: Mapping[Node, Iterable[Node]],
        weights: Mapping[Node, object],
        threshold,
    ) -> None:
        self.nodes = tuple(nodes)
        self.index: dict[Node, int] = {}
        for i, v in enumerate(self.nodes):
            if v in self.index:
                raise PartitionInputError(f"kunta {v} on annettu kahdesti", [v])
            self.index[v] = i
        n = len(self.nodes)
        if n > MAX_NODES:
            raise PartitionInputError(
                f"kuntia on {n}: aluejakoja voi laskea enintään {MAX_NODES} kunnalle kerrallaan"
            )
        self.n = n
        self.full = (1 << n) - 1
        self.threshold = _integer(threshold, "työvoimaraja")

        neighbour_sets: list[set[int]] = [set() for _ in range(n)]
        for v, around in adjacency.items():
            if v not in self.index:
                raise PartitionInputError(f"naapuruustiedoissa on tuntematon kunta {v}", [v])
            for u in around:
                if u not in self.index:
                    raise PartitionInputError(
                        f"naapuruustiedoissa on tuntematon kunta {u} (kunnan {v} naapurina)", [u]
                    )
                if u != v:
                    neighbour_sets[self.index[v]].add(self.index[u])
        for i, around in enumerate(neighbour_sets):
            for j in around:
                if i not in neighbour_sets[j]:
                    a, b = self.nodes[i], self.nodes[j]
                    raise PartitionInputError(
                        f"naapuruus ei ole symmetrinen: {b} on kunnan {a} naapuri, "
                        f"mutta {a} ei ole kunnan {b} naapuri",
                        [a, b],
                    )
        self.neighbours = [sum(1 << j for j in around) for around in neighbour_sets]

        unknown = [v for v in weights if v not in self.index]
        if unknown:
            raise PartitionInputError(
                f"työvoimatiedoissa on tuntematon kunta {unknown[0]}", unknown
            )
        self.weights = []
        for v in self.nodes:
            if v not in weights:
                raise PartitionInputError(f"kunnalta {v} puuttuu työvoima", [v])
            w = _integer(weights[v], f"kunnan {v} työvoima", v)
            if w < 0:
                raise PartitionInputError(f"kunnan {v} työvoima on negatiivinen: {w}", [v])
            self.weights.append(w)

        self.expand = _lookup(self.neighbours, n, add=False)
        self.weigh = _lookup(self.weights, n, add=True)
        # The build's masks are 32-bit when the nodes fit (half the memory traffic of 64 bits).
        self.mask_dtype = np.int32 if n <= 31 else np.int64
        self.expand_all = _VectorLookup(self.neighbours, n, add=False, dtype=self.mask_dtype)
        self.weigh_all = _VectorLookup(self.weights, n, add=True)
        self.neighbour_array = np.array(self.neighbours, dtype=np.int64)

    # bitmask helpers (cold paths; the recursion inlines what it needs)

    def mask(self, members: Iterable[Node], what: str) -> int:
        m = 0
        for v in members:
            if v not in self.index:
                raise PartitionInputError(f"{what}: tuntematon kunta {v}", [v])
            m |= 1 << self.index[v]
        return m

    def members(self, mask: int) -> tuple[Node, ...]:
        return tuple(self.nodes[i] for i in _bits(mask))

    def component(self, within: int, start: int) -> int:
        comp = front = start
        expand = self.expand
        while front:
            front = expand(front) & within & ~comp
            comp |= front
        return comp

    def components(self, within: int) -> list[int]:
        parts = []
        while within:
            comp = self.component(within, within & -within)
            parts.append(comp)
            within &= ~comp
        return parts

    def connected(self, mask: int) -> bool:
        return mask != 0 and self.component(mask, mask & -mask) == mask

    def indicator(self, mask: int, dtype) -> np.ndarray:
        row = np.zeros(self.n, dtype=dtype)
        row[list(_bits(mask))] = 1
        return row


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _lookup(values: list, n: int, add: bool) -> Callable[[int], int]:
    """A function of a bitmask that combines ``values`` over its set bits, by table look-ups 16
    bits at a time: their sum (``add``, for weights) or their bitwise OR (for neighbour masks)."""
    tables = []
    # numpy makes the tables when every sum fits in int64 with room to spare (always, for labour
    # forces and neighbour masks); Python's integers otherwise
    small = all(0 <= v < 1 << 58 for v in values)
    for start in range(0, max(n, 1), _TABLE_BITS):
        chunk = values[start : start + _TABLE_BITS]
        if small:
            tables.append(_table(chunk, add, np.int64).tolist())
            continue
        table = [0]
        for value in chunk:  # the same doubling as _table's, in Python's integers
            table += [t + value if add else t | value for t in table]
        tables.append(table)
    if len(tables) == 1:
        return tables[0].__getitem__
    if len(tables) == 2:
        t0, t1 = tables
        if add:
            return lambda m: t0[m & 0xFFFF] + t1[m >> 16]
        return lambda m: t0[m & 0xFFFF] | t1[m >> 16]

    def many(m: int) -> int:
        result = 0
        for table in tables:
            part = table[m & 0xFFFF]
            result = result + part if add else result | part
            m >>= _TABLE_BITS
        return result

    return many


class _VectorLookup:
    """:func:`_lookup` for a numpy array of masks (int64, or int32 below 32 nodes) at once: the
    sum (``add``) or the bitwise OR of ``values`` over each mask's set bits, by table look-ups 16
    bits at a time. The tables are of ``dtype`` (a sum is int64 whatever the masks)."""

    def __init__(self, values: list[int], n: int, add: bool, dtype=np.int64) -> None:
        self.add = add
        self.tables = [
            (start, _table(values[start : start + _TABLE_BITS], add, dtype))
            for start in range(0, max(n, 1), _TABLE_BITS)
        ]

    def __call__(self, masks: np.ndarray) -> np.ndarray:
        result = None
        for start, table in self.tables:
            part = table.take((masks >> start) & 0xFFFF if start else masks & 0xFFFF)
            if result is None:
                result = part
            elif self.add:
                result = result + part
            else:
                result = result | part
        if result is None:
            return np.zeros_like(masks)
        return result


def _table(values: Sequence[int], add: bool, dtype) -> np.ndarray:
    """The sums (``add``) or bitwise ORs of ``values`` over every mask of ``len(values)`` bits, by
    doubling: the masks whose highest bit is ``b`` are those below ``2**b`` with ``b`` added."""
    table = np.zeros(1 << len(values), dtype=dtype)
    for b, value in enumerate(values):
        low = 1 << b
        if add:
            np.add(table[:low], value, out=table[low : 2 * low])
        else:
            np.bitwise_or(table[:low], value, out=table[low : 2 * low])
    return table


def mask_totals(masks: np.ndarray, values: Sequence[int], n: int) -> np.ndarray:
    """The sum of the integer ``values`` of the ``n`` nodes over each int64 mask's members
    (int64, exact), by table look-ups 16 nodes at a time."""
    return _VectorLookup([int(v) for v in values], n, add=True)(np.asarray(masks, np.int64))


# --- the graph of sets and blocks -------------------------------------------------------------


class _Dag:
    """The sets and edges of the decomposition (see the module docstring), as numpy arrays.

    Sets are indexed by size, smallest first, and by mask among sets of one size (``masks``).
    Edges are grouped by their set (``start`` gives each set's first edge, ``start[-1]`` the
    number of edges) and ordered inside it as the numbering orders them, so the edges of the sets
    of one size are one run (:meth:`levels`); ``children`` lists each edge's rest components as
    set indices in the order of their lowest node, then ``-1`` to the width of the widest."""

    def __init__(self, masks, pivots, start, blocks, children) -> None:
        self.masks = masks
        self.pivots = pivots
        self.start = start
        self.blocks = blocks
        self.children = children
        self.sizes = np.bitwise_count(masks).astype(np.int64)
        counts = np.diff(start)
        self.parent = np.repeat(np.arange(len(masks), dtype=np.int32), counts)
        self._by_mask = np.argsort(masks)
        self._levels: list[tuple[int, slice]] | None = None

    def levels(self) -> list[tuple[int, slice]]:
        """The edges grouped by the size of their set, smallest sets first: (size, the run of its
        edges) pairs, so that a set's components (always smaller) come before it."""
        if self._levels is None:
            first = np.searchsorted(self.sizes, np.arange(self.sizes.max(initial=0) + 2))
            bounds = self.start[first]
            self._levels = [
                (s, slice(int(bounds[s]), int(bounds[s + 1])))
                for s in range(len(bounds) - 1)
                if bounds[s + 1] > bounds[s]
            ]
        return self._levels

    def index(self, masks) -> np.ndarray:
        """Set indices of masks that are sets (an error otherwise)."""
        masks = np.asarray(masks, dtype=np.int64)
        ordered = self.masks[self._by_mask]
        found = np.searchsorted(ordered, masks)
        if masks.size and (
            np.any(found >= len(ordered))
            or np.any(ordered[np.minimum(found, len(ordered) - 1)] != masks)
        ):
            raise KeyError("not a set of the graph")
        return self._by_mask[found]


def _pivots(g: _Graph, sets: np.ndarray) -> np.ndarray:
    """Each set's pivot as a one-bit mask: the member with the fewest neighbours inside the set,
    on a tie the first in node order."""
    best = np.full(len(sets), np.iinfo(np.int64).max, dtype=np.int64)
    pivot = np.zeros(len(sets), dtype=sets.dtype)
    one = sets.dtype.type(1)
    for i in range(g.n):
        inside = (sets >> i) & 1 == 1
        degree = np.bitwise_count(g.neighbour_array[i] & sets).astype(np.int64)
        better = inside & (degree < best)
        best = np.where(better, degree, best)
        pivot = np.where(better, one << i, pivot)
    return pivot


def _components(g: _Graph, rest: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The connected components of each mask of ``rest``, round by round: each round gives the
    rows that still have a component and, for each, its component with the lowest node."""
    expand = g.expand_all
    rows = np.flatnonzero(rest)
    left = rest[rows]
    while rows.size:
        comp = left & -left
        grow = np.arange(rows.size)
        while grow.size:
            current = comp[grow]
            wider = (expand(current) & left[grow]) | current
            changed = wider != current
            comp[grow] = wider
            grow = grow[changed]
        yield rows, comp
        left = left & ~comp
        more = left != 0
        rows, left = rows[more], left[more]


class _Budget:
    """The memory bound of one build: an error in Finnish when it would be exceeded."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit

    def check(self, used: int) -> None:
        if self.limit is not None and used > self.limit:
            raise PartitionInputError(
                f"aluejakojen laskenta tarvitsisi yli {self.limit >> 20} Mt muistia; rajaa "
                "kuntajoukkoa (esim. kiinnitä alueita) tai laske pienempi alue"
            )


class _Edges:
    """The edges one branch of the build finds: their sets and blocks, the components met (the
    sets to partition next), and how many edges. An edge's components are not kept: they are the
    connected components of its set less its block, found again once the edges are in order."""

    def __init__(self) -> None:
        self.parent: list[np.ndarray] = []
        self.block: list[np.ndarray] = []
        self.met: list[np.ndarray] = []
        self.count = 0


def _grow(
    g: _Graph,
    sets: np.ndarray,
    ids: np.ndarray,
    state: tuple[np.ndarray, np.ndarray, np.ndarray],
    out: _Edges,
    check: Callable[..., None],
    split: int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Grow the blocks of ``state`` (each row a block, the nodes excluded from it and its set,
    an index of ``sets``) by the include/exclude branching, depth by depth, adding every legal
    block to ``out``. Returns the rows left when they reach ``split`` in number (to be shared
    out), None when every branch is done."""
    expand, weigh, threshold = g.expand_all, g.weigh_all, g.threshold
    block, excluded, owner = state
    while block.size:
        if split is not None and block.size >= split:
            return block, excluded, owner
        within = sets[owner]
        dead = np.zeros(len(block), dtype=bool)
        heavy = []
        for rows, comp in _components(g, within & ~block):
            light = weigh(comp) < threshold
            lit, lc = rows[light], comp[light]
            dead[lit] |= (lc & excluded[lit]) != 0
            block[lit] |= lc
            heavy.append((rows[~light], comp[~light]))
        alive = ~dead
        is_valid = alive & (weigh(block) >= threshold)
        valid = np.flatnonzero(is_valid)
        if valid.size:
            out.parent.append(ids[owner[valid]])
            out.block.append(block[valid])
            for rows, comp in heavy:
                out.met.append(np.unique(comp[is_valid[rows]]))
            out.count += valid.size
            check()
        keep = np.flatnonzero(alive)
        block, excluded, owner = block[keep], excluded[keep], owner[keep]
        within = within[keep]
        candidates = expand(block) & within & ~block & ~excluded
        # one child per candidate u: u added, the candidates before it excluded (in any order of
        # the children: the edges are ordered at the end)
        grown_block, grown_excluded, grown_owner = [], [], []
        rows = np.flatnonzero(candidates)
        left, before = candidates[rows], excluded[rows]
        while rows.size:
            u = left & -left
            grown_block.append(block[rows] | u)
            grown_excluded.append(before)
            grown_owner.append(owner[rows])
            before = before | u
            left = left ^ u
            more = left != 0
            rows, left, before = rows[more], left[more], before[more]
        if not grown_block:
            break
        block = np.concatenate(grown_block)
        excluded = np.concatenate(grown_excluded)
        owner = np.concatenate(grown_owner)
        check(block.size)
    return None


class _MaskTable:
    """A hash table from set masks to numbers, looked up for a whole array at once: open
    addressing with linear probing in a table at most a third full, the home slot from a
    multiplicative hash. Every mask looked up must be in the table."""

    MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

    def __init__(self, masks: np.ndarray, values: np.ndarray) -> None:
        masks = np.asarray(masks, dtype=np.int64)
        self.bits = max(3 * len(masks), 8).bit_length()
        size = 1 << self.bits
        self.keys = np.full(size, -1, dtype=np.int64)
        self.values = np.zeros(size, dtype=values.dtype)
        slot = self._home(masks)
        pending = np.arange(len(masks))
        while pending.size:
            # each free slot goes to the first of the masks that want it; the others move on
            wanted = slot[pending]
            free = self.keys[wanted] == -1
            chosen, first = np.unique(wanted[free], return_index=True)
            winners = pending[free][first]
            self.keys[chosen] = masks[winners]
            self.values[chosen] = values[winners]
            placed = np.zeros(len(masks), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            slot[pending] = (slot[pending] + 1) & (size - 1)

    def _home(self, masks: np.ndarray) -> np.ndarray:
        hashed = masks.astype(np.uint64) * self.MULTIPLIER
        return (hashed >> np.uint64(64 - self.bits)).astype(np.int64)

    def __call__(self, masks: np.ndarray, missing: int | None = None) -> np.ndarray:
        """The numbers of ``masks``; a mask not in the table is an error, or with ``missing``
        gets that number."""
        masks = np.asarray(masks, dtype=np.int64)
        found = np.empty(len(masks), dtype=self.values.dtype)
        slot = self._home(masks)
        pending = np.arange(len(masks))
        mask = len(self.keys) - 1
        while pending.size:
            at = slot[pending]
            key = self.keys[at]
            hit = key == masks[pending]
            found[pending[hit]] = self.values[at[hit]]
            empty = key == -1
            if np.any(empty):
                if missing is None:
                    raise KeyError("not a set of the graph")
                found[pending[empty]] = missing
                hit |= empty
            pending = pending[~hit]
            slot[pending] = (slot[pending] + 1) & mask
        return found


def _build(g: _Graph, tops: list[int], fixed: frozenset[int], budget: _Budget) -> _Dag:
    """The graph of sets and edges reachable from the top-level parts, breadth first."""
    set_masks: list[np.ndarray] = []  # the sets in the order they were met, numbered so
    known = np.zeros(0, dtype=np.int64)  # the same masks, sorted
    count = 0
    edge_parent: list[np.ndarray] = []
    edge_block: list[np.ndarray] = []
    edges = 0

    dtype = g.mask_dtype
    fixed_masks = np.array(sorted(fixed), dtype=np.int64)

    def new_sets(masks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The masks (without repeats) not met before, in their order, and their numbers."""
        nonlocal known, count
        masks = np.asarray(masks, dtype=np.int64)
        if known.size:
            at = np.minimum(np.searchsorted(known, masks), len(known) - 1)
            masks = masks[known[at] != masks]
        set_masks.append(masks)
        numbers = np.arange(count, count + len(masks), dtype=np.int64)
        count += len(masks)
        known = np.sort(np.concatenate([known, masks]))
        return masks.astype(dtype), numbers

    queue, numbers = new_sets(np.array(tops, dtype=np.int64))
    while queue.size:
        is_fixed = np.isin(queue.astype(np.int64), fixed_masks)
        for m, number in zip(queue[is_fixed].tolist(), numbers[is_fixed].tolist(), strict=True):
            # a fixed block: one partition, itself
            edge_parent.append(np.array([number], dtype=np.int64))
            edge_block.append(np.array([m], dtype=dtype))
            edges += 1
        sets, ids = queue[~is_fixed], numbers[~is_fixed]
        met: list[np.ndarray] = []  # the components met in this wave, each array without repeats
        if sets.size:
            block = _pivots(g, sets)
            state = (block, np.zeros_like(block), np.arange(len(sets), dtype=np.int64))
            found = [_Edges()]

            def check(rows: int = 0, found: list[_Edges] = found, edges: int = edges) -> None:
                total = edges + sum(f.count for f in found)
                budget.check(total * EDGE_BYTES + count * SET_BYTES + rows * 40)

            split = SPLIT_ROWS if THREADS > 1 else None
            rest = _grow(g, sets, ids, state, found[0], check, split)
            if rest is not None:
                # the rows grow independently: every thread takes every THREADS-th row
                found += [_Edges() for _ in range(THREADS - 1)]
                parts = [tuple(a[k::THREADS] for a in rest) for k in range(THREADS)]
                with ThreadPoolExecutor(THREADS - 1) as pool:
                    others = [
                        pool.submit(_grow, g, sets, ids, parts[k], found[k], check)
                        for k in range(1, THREADS)
                    ]
                    _grow(g, sets, ids, parts[0], found[0], check)
                    for other in others:
                        other.result()
            for f in found:
                edge_parent += f.parent
                edge_block += f.block
                met += f.met
                edges += f.count
        if met:
            children = np.unique(np.concatenate(met))
            queue, numbers = new_sets(children[children != 0])
        else:
            queue = np.zeros(0, dtype=dtype)

    masks = np.concatenate(set_masks)
    # the sets' indices: by size, then by mask (rank: a set's index, from its number)
    by_rank = np.lexsort((masks, np.bitwise_count(masks)))
    rank = np.empty_like(by_rank)
    rank[by_rank] = np.arange(len(by_rank))
    lookup = _MaskTable(masks, rank.astype(np.int32))
    parent = np.concatenate(edge_parent) if edge_parent else np.zeros(0, dtype=np.int64)
    blocks = (np.concatenate(edge_block) if edge_block else np.zeros(0)).astype(np.int64)
    del edge_parent, edge_block
    parent = rank[parent]
    # within a set: more nodes first, then by mask
    size = np.bitwise_count(blocks).astype(np.int64)
    if max(len(masks) - 1, 1).bit_length() + g.n + 6 <= PACKED_BITS:
        # a set has each block once, so (set, size, mask) packed into one number is unique and
        # a plain sort of those numbers puts the edges in order
        key = parent << (g.n + 6) | (np.int64(63) - size) << g.n | blocks
        del parent, size, blocks
        key.sort()
        parent = (key >> (g.n + 6)).astype(np.int32)
        blocks = key & np.int64((1 << g.n) - 1)
        del key
    else:
        order = np.lexsort((blocks, -size, parent))
        parent, blocks = parent[order].astype(np.int32), blocks[order]
        del order, size
    masks = masks[by_rank]
    children = _rest_components(g, masks, parent, blocks, lookup)
    start = np.searchsorted(parent, np.arange(len(masks) + 1))
    pivots = np.zeros(len(masks), dtype=np.int64)
    free = ~np.isin(masks, fixed_masks)
    if free.any():
        pivots[free] = _pivots(g, masks[free])
    pivots[~free] = masks[~free]
    return _Dag(masks, pivots, start, blocks, children)


def _rest_components(
    g: _Graph, masks: np.ndarray, parent: np.ndarray, blocks: np.ndarray, lookup: _MaskTable
) -> np.ndarray:
    """Each edge's components as set indices, in the order of their lowest node, padded with -1:
    the connected components of its set less its block (each of them reaches the threshold, the
    lighter ones being in the block). Large graphs are shared among :data:`THREADS` threads."""
    rest = (masks[parent] & ~blocks).astype(g.mask_dtype)
    count = len(rest)
    parts = THREADS if THREADS > 1 and count >= SPLIT_ROWS else 1
    bounds = [count * k // parts for k in range(parts + 1)]

    def columns(lo: int, hi: int) -> list[tuple[np.ndarray, int, np.ndarray]]:
        """(edges, column, set indices) for the edges ``lo:hi``. A set is connected, so a rest
        that is a set is one component, itself (most are); only the others are split."""
        part = rest[lo:hi]
        whole = lookup(part, missing=-1)
        one = np.flatnonzero(whole >= 0)
        split = np.flatnonzero((whole < 0) & (part != 0))
        rounds = _components(g, part[split])
        return [(lo + one, 0, whole[one])] + [
            (lo + split[rows], k, lookup(comp)) for k, (rows, comp) in enumerate(rounds)
        ]

    if parts == 1:
        found = columns(0, count)
    else:
        with ThreadPoolExecutor(parts - 1) as pool:
            others = [pool.submit(columns, bounds[k], bounds[k + 1]) for k in range(1, parts)]
            found = columns(bounds[0], bounds[1]) + [c for o in others for c in o.result()]
    found = [(rows, k, ids) for rows, k, ids in found if rows.size]
    width = max((k + 1 for _, k, _ in found), default=0)
    children = np.full((count, width), -1, dtype=np.int32)
    for rows, k, ids in found:
        children[rows, k] = ids
    return children


def _stable_order(keys: np.ndarray, bits: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for non-negative integer keys below ``2**bits``: when
    a key and its position fit in 63 bits together, the positions are packed below the keys and
    sorted as plain numbers (numpy sorts plain int64 several times faster than it argsorts)."""
    keys = np.asarray(keys)
    low = max(len(keys) - 1, 1).bit_length()
    if bits + low > 63:
        return np.argsort(keys, kind="stable")
    packed = keys.astype(np.int64) << low
    packed |= np.arange(len(keys), dtype=np.int64)
    packed.sort()
    packed &= (np.int64(1) << low) - 1
    return packed


def _by_size(dag: _Dag, descending: bool = False) -> Iterator[tuple[int, slice]]:
    """:meth:`_Dag.levels`, smallest sets first (or last)."""
    levels = dag.levels()
    yield from reversed(levels) if descending else levels


def _add_by_parent(target: np.ndarray, parents: np.ndarray, values: np.ndarray) -> None:
    """``target[parents] += values`` summed per parent, for ``parents`` in increasing order (as
    :func:`_by_size` gives them): one reduction per group, exact in int64."""
    if not parents.size:
        return
    first = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
    target[parents[first]] += np.add.reduceat(values, first, axis=0)


def component_column(children: np.ndarray, k: int) -> tuple[slice | np.ndarray, np.ndarray]:
    """The rows of ``children``'s column ``k`` to read and their components: every row of the
    first column (nearly every edge has a component; the padding -1 reads a neutral last entry),
    only the rows that hold one of the others."""
    column = children[:, k]
    if k == 0:
        return slice(None), column
    rows = np.flatnonzero(column >= 0)
    return rows, column[rows]


def _padded(values: np.ndarray, fill) -> np.ndarray:
    """``values`` with ``fill`` appended, so that the padding index -1 reads ``fill``."""
    return np.append(values, np.array([fill], dtype=values.dtype))


@dataclass(frozen=True)
class SizeEstimate:
    """How large the graph of a node set is expected to be (see :func:`estimate_size`)."""

    edges: int  # estimated edges of the whole graph
    bytes: int  # estimated memory of the graph and its evaluation

    def fits(self, limit: int) -> bool:
        return self.bytes <= limit


# The whole graph has at most this many times the edges of the top-level set: the ratio is 2,5-12
# on the mainland regions (bench/aluejaot.py prints it).
GRAPH_FACTOR = 16
PROBES = 400


def estimate_size(
    nodes: Sequence[Node],
    adjacency: Mapping[Node, Iterable[Node]],
    weights: Mapping[Node, object],
    threshold,
    fixed: Iterable[Iterable[Node]] = (),
    *,
    probes: int = PROBES,
    seed: int = 0,
) -> SizeEstimate:
    """A cheap estimate of the graph's size before it is built: Knuth's estimator (random walks
    down the branching of the largest free part's pivot blocks, each walk weighted by the product of
    the branching factors on its way) of that part's edges, times :data:`GRAPH_FACTOR` for the sets
    below it. Deterministic for a given ``seed``."""
    g = _Graph(nodes, adjacency, weights, threshold)
    taken = 0
    for block in fixed:
        taken |= g.mask(list(block), "kiinnitetty alue")
    parts = g.components(g.full & ~taken)
    if not parts:
        return SizeEstimate(0, 0)
    top = max(parts, key=lambda m: (m.bit_count(), -m))
    rng = random.Random(seed)
    expand, weigh, threshold = g.expand, g.weigh, g.threshold
    pivot = int(_pivots(g, np.array([top], dtype=np.int64))[0])
    total = 0.0
    for _ in range(probes):
        block, excluded, factor = pivot, 0, 1.0
        while True:
            rest = top & ~block
            dead = False
            for comp in g.components(rest):
                if weigh(comp) < threshold:
                    if comp & excluded:
                        dead = True
                        break
                    block |= comp
            if dead:
                break
            if weigh(block) >= threshold:
                total += factor
            candidates = expand(block) & top & ~block & ~excluded
            if not candidates:
                break
            bits = list(_bits(candidates))
            k = rng.randrange(len(bits))
            u = 1 << bits[k]
            excluded |= sum(1 << b for b in bits[:k])
            block |= u
            factor *= len(bits)
    edges = int(total / probes * GRAPH_FACTOR) + 1
    return SizeEstimate(edges, edges * ESTIMATE_BYTES)


# --- the partition space ----------------------------------------------------------------------


class PartitionSpace:
    """All legal partitions of ``nodes``: connected blocks of weight at least ``threshold``.

    ``fixed`` lists blocks (iterables of nodes) that every partition must contain as they are; the
    other nodes are partitioned freely among themselves (never joined to a fixed block). Each fixed
    block must be non-empty, connected, of weight at least the threshold, and disjoint from the
    others; otherwise :class:`PartitionInputError`.

    ``memory_limit`` (bytes) bounds the graph: building a larger one stops with
    :class:`PartitionInputError`. ``cache_bytes`` bounds the label matrices kept for reuse while
    listing.
    """

    def __init__(
        self,
        nodes: Sequence[Node],
        adjacency: Mapping[Node, Iterable[Node]],
        weights: Mapping[Node, object],
        threshold,
        fixed: Iterable[Iterable[Node]] = (),
        *,
        memory_limit: int | None = None,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        g = _Graph(nodes, adjacency, weights, threshold)
        self._g = g
        self.nodes = g.nodes
        self.threshold = g.threshold
        self.weights = dict(zip(g.nodes, g.weights, strict=True))
        self.dtype = np.int8 if g.n < 127 else np.int16
        self.memory_limit = memory_limit

        fixed_masks: list[int] = []
        taken = 0
        for block in fixed:
            members = list(block)
            if not members:
                raise PartitionInputError("kiinnitetty alue on tyhjä")
            mask = g.mask(members, "kiinnitetty alue")
            shown = _show(g.members(mask), g.index)
            overlap = mask & taken
            if overlap:
                both = g.members(overlap)
                raise PartitionInputError(
                    f"kunta {both[0]} on kahdessa kiinnitetyssä alueessa", both
                )
            if not g.connected(mask):
                raise PartitionInputError(f"kiinnitetty alue {shown} ei ole yhtenäinen", members)
            weight = g.weigh(mask)
            if weight < g.threshold:
                raise PartitionInputError(
                    f"kiinnitetyn alueen {shown} työvoima {weight} on alle rajan {g.threshold}",
                    members,
                )
            taken |= mask
            fixed_masks.append(mask)
        self.fixed: tuple[frozenset, ...] = tuple(frozenset(g.members(m)) for m in fixed_masks)
        self._fixed_masks = tuple(fixed_masks)
        self._tops = [*fixed_masks, *g.components(g.full & ~taken)]
        self._dag: _Dag | None = None
        self._counts: np.ndarray | None = None
        self._areas: tuple[np.ndarray, np.ndarray] | None = None
        self._weights: np.ndarray | None = None
        self._by_areas: dict[int, int] | None = None
        self._blocks: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._cache: dict[int, np.ndarray] = {}
        self._cache_bytes = cache_bytes
        self._cache_left = cache_bytes
        self._ind: dict[int, np.ndarray] = {}
        # count_by_areas and area_range may run in threads of their own beside the other
        # evaluations (see kustannukset.districts.summaries): a second caller waits for the first
        # one's answer
        self._by_areas_lock = threading.Lock()
        self._areas_lock = threading.Lock()

    # -- the graph and its counts --

    @property
    def dag(self) -> _Dag:
        if self._dag is None:
            self._dag = _build(
                self._g, self._tops, frozenset(self._fixed_masks), _Budget(self.memory_limit)
            )
        return self._dag

    def _top_ids(self) -> np.ndarray:
        return self.dag.index(np.array(self._tops, dtype=np.int64))

    def set_counts(self) -> np.ndarray:
        """Each set's number of legal partitions (int64), inside out by set size."""
        if self._counts is None:
            dag = self.dag
            # the last entry is the padding -1: a product's neutral 1
            counts = np.zeros(len(dag.masks) + 1, dtype=np.int64)
            shadow = np.zeros(len(dag.masks) + 1, dtype=np.float64)
            counts[-1], shadow[-1] = 1, 1.0
            weights = np.ones(len(dag.blocks), dtype=np.int64)
            for _, chosen in _by_size(dag):
                children = dag.children[chosen]
                value = weights[chosen]
                rough = np.ones(len(value), dtype=np.float64)
                for k in range(children.shape[1]):
                    rows, child = component_column(children, k)
                    value[rows] *= counts[child]
                    rough[rows] *= shadow[child]
                parents = dag.parent[chosen]
                _add_by_parent(shadow, parents, rough)
                if shadow.max(initial=0) >= MAX_COUNT:
                    raise PartitionInputError(
                        "laillisia jakoja on liian monta tarkkaan laskentaan (yli 2^62)"
                    )
                _add_by_parent(counts, parents, value)
            self._counts = counts[:-1]
            self._weights = weights
        return self._counts

    def edge_weights(self) -> np.ndarray:
        """Each edge's number of partitions of its set: the product of its components' counts
        (made with the counts)."""
        self.set_counts()
        return self._weights

    def count(self) -> int:
        """The exact number of legal partitions."""
        if not self._tops:
            return 1
        counts = self.set_counts()
        return math.prod(int(c) for c in counts[self._top_ids()])

    def count_by_areas(self) -> dict[int, int]:
        """Number of areas -> number of legal partitions with that many areas (fixed blocks
        included), for the numbers that occur, in increasing order."""
        if not self._tops:
            return {0: 1}
        with self._by_areas_lock:
            if self._by_areas is None:
                polys = self._polynomials()
                total = np.array([1], dtype=object)
                for i in self._top_ids():
                    total = np.convolve(total, polys[i].astype(object))
                self._by_areas = {k: int(c) for k, c in enumerate(total) if c}
        return dict(self._by_areas)

    def _polynomials(self) -> np.ndarray:
        """Each set's number of partitions by number of areas: row = set, column = areas."""
        dag = self.dag
        width = int(self.area_range()[1].max(initial=0)) + 1
        # one row per number of areas, one column per set (the last column the padding: the
        # polynomial 1), so that a coefficient of many sets is one contiguous row
        polys = np.zeros((width, len(dag.masks) + 1), dtype=np.int64)
        polys[0, -1] = 1
        most = self.area_range()[1]
        for _, chosen in _by_size(dag):
            children = dag.children[chosen]
            # the degrees these sets can have (their components have fewer areas)
            span = int(most[dag.parent[chosen]].max(initial=0)) + 1
            if children.shape[1]:
                value = polys[:span, children[:, 0]]
            else:
                value = np.repeat(polys[:span, -1:], len(children), axis=1)
            for k in range(1, children.shape[1]):
                rows, child = component_column(children, k)  # the others multiply by 1
                if not rows.size:
                    continue
                other = polys[:span, child]
                mine = value[:, rows]
                # only the degrees that hold a coefficient somewhere among these edges
                degrees = np.flatnonzero(mine.any(axis=1)).tolist()
                theirs = np.flatnonzero(other.any(axis=1))
                product = np.zeros_like(mine)
                if theirs.size:
                    lo, hi = int(theirs[0]), int(theirs[-1]) + 1
                    for d in degrees:
                        top = min(hi, span - d)
                        if top > lo:
                            product[d + lo : d + top] += mine[d] * other[lo:top]
                value[:, rows] = product
            # the edge's own block is one more area: degree d of the edge is degree d + 1 of its
            # set (no partition of these sets has more than span - 1 areas)
            parents = dag.parent[chosen]
            first = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
            polys[1:span, parents[first]] += np.add.reduceat(value[: span - 1], first, axis=1)
        return polys[:, :-1].T

    def area_range(self) -> tuple[np.ndarray, np.ndarray]:
        """Each set's fewest and most areas over its partitions (int64 arrays)."""
        with self._areas_lock:
            if self._areas is None:
                self._areas = self._area_range()
        return self._areas

    def _area_range(self) -> tuple[np.ndarray, np.ndarray]:
        dag = self.dag
        fewest = np.zeros(len(dag.masks) + 1, dtype=np.int64)
        most = np.zeros(len(dag.masks) + 1, dtype=np.int64)
        for _, chosen in _by_size(dag):
            children = dag.children[chosen]
            low = np.ones(len(children), dtype=np.int64)
            high = np.ones(len(children), dtype=np.int64)
            for k in range(children.shape[1]):
                rows, child = component_column(children, k)
                low[rows] += fewest[child]
                high[rows] += most[child]
            parents = dag.parent[chosen]
            first = np.flatnonzero(np.r_[True, parents[1:] != parents[:-1]])
            fewest[parents[first]] = np.minimum.reduceat(low, first)
            most[parents[first]] = np.maximum.reduceat(high, first)
        return fewest[:-1], most[:-1]

    def edge_uses(self) -> np.ndarray:
        """Each edge's use: the number of legal partitions of all the nodes in which the edge's
        block is a block (reached through this edge), outside in by set size."""
        dag = self.dag
        counts = self.set_counts()
        padded = _padded(counts, 1)
        outside = np.zeros(len(dag.masks), dtype=np.int64)
        tops = self._top_ids()
        for i, t in enumerate(tops):
            outside[t] = math.prod(int(counts[o]) for j, o in enumerate(tops) if j != i)
        uses = np.zeros(len(dag.blocks), dtype=np.int64)
        weight = self.edge_weights()
        for _, chosen in _by_size(dag, descending=True):
            use = outside[dag.parent[chosen]] * weight[chosen]
            uses[chosen] = use
            children = dag.children[chosen]
            for k in range(children.shape[1]):
                # the ways around a component: the edge's use without the component's own
                # partitions (an exact quotient: the use is their product with the others'); the
                # first column's real components alone too, as the padding -1 would add to the
                # last set
                real = np.flatnonzero(children[:, k] >= 0)
                child = children[real, k]
                np.add.at(outside, child, use[real] // padded[child])
        return uses

    def blocks(self) -> tuple[np.ndarray, np.ndarray]:
        """Every block of a legal partition (int64 masks, increasing) and how many legal
        partitions contain it (int64). The weights of the blocks containing any one node add up
        to :meth:`count`."""
        if self._blocks is None:
            dag = self.dag
            uses = self.edge_uses()
            order = _stable_order(dag.blocks, self._g.n)
            masks = dag.blocks[order]
            if not masks.size:
                self._blocks = (masks, masks.copy(), np.zeros(0, dtype=np.int64))
            else:
                new = np.r_[True, masks[1:] != masks[:-1]]
                first = np.flatnonzero(new)
                weights = np.add.reduceat(uses[order], first)
                used = weights > 0  # when another part has no legal partition, nothing is used
                position = np.cumsum(used) - 1
                index = np.empty(len(order), dtype=np.int64)
                index[order] = np.where(used, position, -1)[np.cumsum(new) - 1]
                self._blocks = (masks[first][used], weights[used], index)
        masks, weights, _ = self._blocks
        return masks, weights

    def block_index(self) -> np.ndarray:
        """For each edge of :attr:`dag`, the position of its block in :meth:`blocks` (-1 for a
        block no legal partition uses)."""
        self.blocks()
        return self._blocks[2]

    # -- numbering --

    def partition_at(self, index: int) -> tuple[frozenset, ...]:
        """The partition numbered ``index`` (from 0; see the module docstring), its blocks in the
        order they were chosen."""
        total = self.count()
        if not 0 <= index < total:
            raise IndexError(index)
        if not self._tops:
            return ()
        dag, counts = self.dag, self.set_counts()
        weight = self.edge_weights()
        pending = [int(i) for i in self._top_ids()]
        chosen = []
        while pending:
            s, rest = pending[0], pending[1:]
            scale = math.prod(int(counts[r]) for r in rest)
            within = index // scale
            lo, hi = int(dag.start[s]), int(dag.start[s + 1])
            prefix = np.cumsum(weight[lo:hi])
            e = lo + int(np.searchsorted(prefix, within, side="right"))
            before = int(prefix[e - lo - 1]) if e > lo else 0
            index -= before * scale
            chosen.append(frozenset(self._g.members(int(dag.blocks[e]))))
            pending = [int(c) for c in dag.children[e] if c >= 0] + rest
        return tuple(chosen)

    def index_of(self, blocks: Iterable[Iterable[Node]]) -> int | None:
        """The number of a partition (given as blocks), None when it is not legal."""
        blocks = [list(b) for b in blocks]
        if not self.is_legal(blocks):
            return None
        if not self._tops:
            return 0
        g = self._g
        masks = {g.mask(b, "aluejako") for b in blocks}
        dag, counts = self.dag, self.set_counts()
        weight = self.edge_weights()
        pending = [int(i) for i in self._top_ids()]
        index = 0
        while pending:
            s, rest = pending[0], pending[1:]
            scale = math.prod(int(counts[r]) for r in rest)
            pivot = int(dag.pivots[s])
            own = next(m for m in masks if m & pivot)
            lo, hi = int(dag.start[s]), int(dag.start[s + 1])
            hits = np.flatnonzero(dag.blocks[lo:hi] == own)
            if not hits.size:
                return None
            e = lo + int(hits[0])
            index += int(weight[lo:e].sum()) * scale
            pending = [int(c) for c in dag.children[e] if c >= 0] + rest
        return index

    # -- listing --
    #
    # A part's matrix has one row per partition of the part: labels 1, 2, ... on the part's
    # nodes and 0 on all other nodes, so that the matrices of disjoint parts combine by addition
    # once the labels of one are offset past the other's. The labels are made canonical only when
    # a chunk is handed out. Rows come in the numbering's order.

    def _edges(self, s: int) -> Iterator[list[int]]:
        """For each edge of the set ``s`` in order, its components (set indices)."""
        dag = self.dag
        for e in range(int(dag.start[s]), int(dag.start[s + 1])):
            yield [int(c) for c in dag.children[e] if c >= 0]

    def _mask(self, s: int) -> int:
        return int(self.dag.masks[s])

    def _count_of(self, s: int) -> int:
        return int(self.set_counts()[s])

    def _indicator(self, s: int) -> np.ndarray:
        row = self._ind.get(s)
        if row is None:
            row = self._ind[s] = self._g.indicator(self._mask(s), self.dtype)
        return row

    def _max_blocks(self, s: int) -> int:
        """An upper bound of the number of blocks of a part: its largest label."""
        mask = self._mask(s)
        size = mask.bit_count()
        if self.threshold > 0:
            size = min(size, self._g.weigh(mask) // self.threshold)
        return size

    def _matrix(self, s: int) -> np.ndarray:
        """All partitions of the part ``s`` (see above). Cached while the cache has room."""
        found = self._cache.get(s)
        if found is not None:
            return found
        pieces = [self._product(parts) for parts in self._edges(s)]
        if pieces:
            result = np.concatenate(pieces)
            result += self._indicator(s)
        else:
            result = np.zeros((0, self._g.n), self.dtype)
        if result.nbytes <= self._cache_left:
            self._cache[s] = result
            self._cache_left -= result.nbytes
        return result

    def _offset(self, parts: list[int], offset: int) -> np.ndarray:
        row = np.zeros(self._g.n, dtype=self.dtype)
        for s in parts:
            row += self._indicator(s)
        return row * self.dtype(offset)

    def _product(self, parts: list[int]) -> np.ndarray:
        """All combinations of the parts' partitions, their labels kept apart by offsets."""
        if not parts:
            return np.zeros((1, self._g.n), self.dtype)
        result = self._matrix(parts[0])
        offset = self._max_blocks(parts[0])
        for part in parts[1:]:
            other = self._matrix(part)
            shift = self._offset([part], offset)
            offset += self._max_blocks(part)
            result = (result[:, None, :] + (other + shift)[None, :, :]).reshape(-1, self._g.n)
        return result

    def _stream_part(self, s: int, limit: int) -> Iterator[np.ndarray]:
        """The part's matrix in pieces of at most ``limit`` rows."""
        if self._count_of(s) <= limit:
            yield self._matrix(s)
            return
        indicator = self._indicator(s)
        for parts in self._edges(s):
            for piece in self._stream_product(parts, limit):
                yield piece + indicator

    def _stream_product(self, parts: list[int], limit: int) -> Iterator[np.ndarray]:
        counts = [self._count_of(p) for p in parts]
        if math.prod(counts) <= limit:
            yield self._product(parts)
            return
        first, rest = parts[0], parts[1:]
        shift = self._offset(rest, self._max_blocks(first))
        rest_count = math.prod(counts[1:])
        n = self._g.n
        if rest_count <= limit:
            tail = self._product(rest) + shift
            for piece in self._stream_part(first, max(1, limit // rest_count)):
                yield (piece[:, None, :] + tail[None, :, :]).reshape(-1, n)
            return
        for piece in self._stream_part(first, limit):
            for row in piece:
                for tail in self._stream_product(rest, limit):
                    yield tail + (row + shift)

    def iter_labels(self, chunk_size: int = DEFAULT_CHUNK) -> Iterator[np.ndarray]:
        """Every legal partition exactly once, in the order of their numbers, as canonical label
        matrices of ``chunk_size`` rows (the last one shorter) and ``len(nodes)`` columns, dtype
        int8 (int16 from 127 nodes). Nothing is yielded when there is no legal partition. Each
        chunk is a new array that the caller may keep or modify."""
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        if not self.count():
            return
        if not self._tops:
            yield np.zeros((1, 0), dtype=self.dtype)
            return
        buffer: list[np.ndarray] = []
        buffered = 0
        for piece in self._stream_product([int(i) for i in self._top_ids()], chunk_size):
            buffer.append(piece)
            buffered += len(piece)
            if buffered >= chunk_size:
                joined = np.concatenate(buffer)
                start = 0
                while buffered - start >= chunk_size:
                    yield canonical_labels(joined[start : start + chunk_size])
                    start += chunk_size
                buffer = [joined[start:]] if start < buffered else []
                buffered -= start
        if buffered:
            yield canonical_labels(np.concatenate(buffer))

    def iter_partitions(self) -> Iterator[tuple[frozenset, ...]]:
        """Every legal partition as a tuple of blocks (frozensets of nodes), blocks in canonical
        order. Convenient for small sets; use :meth:`iter_labels` for speed."""
        for chunk in self.iter_labels():
            for row in chunk:
                yield blocks_of(row, self.nodes)

    # -- single partitions --

    def mask_of(self, members: Iterable[Node]) -> int:
        """The bit mask of a set of nodes."""
        return self._g.mask(members, "alue")

    def members_of(self, mask: int) -> frozenset:
        return frozenset(self._g.members(int(mask)))

    def labels_of(self, blocks: Iterable[Iterable[Node]]) -> np.ndarray:
        """The canonical label row of a partition given as blocks, to find it among the
        enumerated ones. The blocks must cover the nodes exactly once; legality is not required
        (see :meth:`is_legal`)."""
        g = self._g
        row = np.full(g.n, -1, dtype=np.int64)
        for label, block in enumerate(blocks):
            for v in block:
                if v not in g.index:
                    raise PartitionInputError(f"aluejaossa on tuntematon kunta {v}", [v])
                if row[g.index[v]] >= 0:
                    raise PartitionInputError(f"kunta {v} on aluejaossa kahdesti", [v])
                row[g.index[v]] = label
        missing = [g.nodes[i] for i in np.flatnonzero(row < 0)]
        if missing:
            what = "kunta" if len(missing) == 1 else f"{len(missing)} kuntaa:"
            raise PartitionInputError(
                f"aluejaosta puuttuu {what} {', '.join(map(str, missing))}", missing
            )
        return canonical_labels(row[None, :]).astype(self.dtype)[0]

    def is_legal(self, blocks: Iterable[Iterable[Node]]) -> bool:
        """Whether a partition (given as blocks covering the nodes) is one of the legal ones:
        every block connected and at least the threshold, the fixed blocks among them."""
        row = self.labels_of(blocks)
        g = self._g
        masks = [g.mask(b, "aluejako") for b in blocks_of(row, self.nodes)]
        if any(m not in masks for m in self._fixed_masks):
            return False
        return all(g.connected(m) and g.weigh(m) >= g.threshold for m in masks)

    def minimal_areas(self, node: Node) -> list[frozenset]:
        """The minimal legal areas of ``node`` on this space's map; see :func:`minimal_areas`.
        Fixed blocks play no part here."""
        return _minimal_areas(self._g, node)

    def estimate(self) -> SizeEstimate:
        """:func:`estimate_size` of this space."""
        return estimate_size(
            self.nodes, _adjacency_of(self._g), self.weights, self.threshold, self.fixed
        )


def _adjacency_of(g: _Graph) -> dict[Node, set[Node]]:
    return {v: {g.nodes[j] for j in _bits(g.neighbours[i])} for i, v in enumerate(g.nodes)}


# --- minimal areas ----------------------------------------------------------------------------


def minimal_areas(
    node: Node,
    nodes: Sequence[Node],
    adjacency: Mapping[Node, Iterable[Node]],
    weights: Mapping[Node, object],
    threshold,
) -> list[frozenset]:
    """Every minimal legal area containing ``node``.

    An area ``A`` is listed when (1) ``node`` is in ``A``, (2) ``A`` is connected, (3) its weight is
    at least ``threshold``, and (4) no single member other than ``node`` itself can be removed:
    for every ``m`` in ``A`` other than ``node``, ``A - {m}`` is disconnected or weighs less than
    the threshold. (``node`` is never removable, since the area must contain it.)

    With non-negative weights this is the same as: no connected proper subset of ``A`` containing
    ``node`` reaches the threshold. (If one did, ``A`` would have a member outside it whose removal
    keeps ``A`` connected, a leaf of a spanning tree of ``A`` grown from that subset, and removing
    it keeps the weight at least that of the subset.) If ``node`` alone reaches the threshold, the
    only minimal area is ``{node}``.

    Returned sorted by size, then by the members' positions in ``nodes``.
    """
    return _minimal_areas(_Graph(nodes, adjacency, weights, threshold), node)


def _minimal_areas(g: _Graph, node: Node) -> list[frozenset]:
    if node not in g.index:
        raise PartitionInputError(f"tuntematon kunta {node}", [node])
    start = 1 << g.index[node]
    expand, weigh, threshold = g.expand, g.weigh, g.threshold
    found = []
    stack = [(start, 0)]
    while stack:
        block, excluded = stack.pop()
        if weigh(g.component(g.full & ~excluded, block)) < threshold:
            continue  # even everything still reachable would not reach the threshold
        weight = weigh(block)
        if weight >= threshold:
            # Supersets of a set that reaches the threshold are never minimal: stop growing.
            if all(
                weight - weigh(1 << i) < threshold or not g.connected(block & ~(1 << i))
                for i in _bits(block & ~start)
            ):
                found.append(block)
            continue
        candidates = expand(block) & ~block & ~excluded
        while candidates:
            u = candidates & -candidates
            stack.append((block | u, excluded))
            excluded |= u
            candidates ^= u
    found.sort(key=lambda m: (m.bit_count(), sorted(_bits(m))))
    return [frozenset(g.members(m)) for m in found]


# --- the baseline -----------------------------------------------------------------------------


def recursive_partitions(
    nodes: Sequence[Node],
    adjacency: Mapping[Node, Iterable[Node]],
    weights: Mapping[Node, object],
    threshold,
) -> Iterator[tuple[frozenset, ...]]:
    """The straightforward enumerator: take the first unassigned node (in ``nodes`` order), try
    every connected set of unassigned nodes containing it that reaches the threshold as its block,
    and recurse on the rest. Yields each legal partition once, blocks in canonical order. Plain
    Python sets, no pruning: the benchmark's baseline and an independent check in the tests."""
    g = _Graph(nodes, adjacency, weights, threshold)
    order = list(g.nodes)
    neighbours = {v: {g.nodes[i] for i in _bits(g.neighbours[g.index[v]])} for v in order}
    weight = dict(zip(order, g.weights, strict=True))

    def blocks_with(first: Node, free: set) -> Iterator[frozenset]:
        # Connected sets containing `first` inside `free`, each once: include/exclude branching
        # on the neighbours of the set grown so far.
        def grow(block: frozenset, total: int, around: set, excluded: set) -> Iterator[frozenset]:
            if total >= g.threshold:
                yield block
            candidates = sorted(around & free - block - excluded, key=g.index.__getitem__)
            for k, u in enumerate(candidates):
                yield from grow(
                    block | {u},
                    total + weight[u],
                    around | neighbours[u],
                    excluded | set(candidates[:k]),
                )

        yield from grow(frozenset([first]), weight[first], neighbours[first], set())

    def partitions(free: set) -> Iterator[tuple[frozenset, ...]]:
        if not free:
            yield ()
            return
        first = min(free, key=g.index.__getitem__)
        for block in blocks_with(first, free):
            for rest in partitions(free - block):
                yield (block, *rest)

    yield from partitions(set(order))


# --- label matrices ---------------------------------------------------------------------------


def canonical_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel each row so that blocks are numbered 0, 1, ... in order of first appearance along
    the row. Equal partitions get equal rows whatever labels they came with. Returns a new array
    of the input's integer dtype (int64 for other inputs)."""
    labels = np.asarray(labels)
    if labels.ndim != 2:
        raise ValueError("labels must be a 2-D array (partitions x nodes)")
    dtype = labels.dtype if np.issubdtype(labels.dtype, np.integer) else np.int64
    rows, n = labels.shape
    out = np.empty((rows, n), dtype=dtype)
    if rows == 0 or n == 0:
        return out
    if labels.min() < 0 or labels.max() >= 4 * n + 64:
        _, inverse = np.unique(labels, return_inverse=True)
        labels = inverse.reshape(rows, n)
    width = int(labels.max()) + 1
    columns = np.ascontiguousarray(labels.T).astype(np.intp)  # one contiguous row per node
    base = np.arange(rows, dtype=np.intp) * width
    # first[p, a]: the first node (column) of row p with label a; n when the row has no label a
    first = np.full(rows * width, n, dtype=np.int32)
    for j in range(n - 1, -1, -1):
        first[base + columns[j]] = j
    first = first.reshape(rows, width)
    # the new number of a label: how many of the row's labels first appear before it
    rank = np.zeros((rows, width), dtype=np.int32)
    for b in range(width):
        rank += first[:, b : b + 1] < first
    rank = rank.ravel()
    transposed = np.empty((n, rows), dtype=dtype)
    for j in range(n):
        transposed[j] = rank[base + columns[j]]
    out[...] = transposed.T
    return out


def blocks_of(row: Sequence[int] | np.ndarray, nodes: Sequence[Node]) -> tuple[frozenset, ...]:
    """The blocks of one label row, in label order (for a canonical row: by first node)."""
    members: dict[int, list] = {}
    for v, label in zip(nodes, np.asarray(row).tolist(), strict=True):
        members.setdefault(label, []).append(v)
    return tuple(frozenset(members[k]) for k in sorted(members))


def find_partition(labels: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``labels`` equal to ``row`` (both canonical): at most one in an
    enumerated chunk."""
    return np.flatnonzero((np.asarray(labels) == np.asarray(row)).all(axis=1))


def area_count(labels: np.ndarray) -> np.ndarray:
    """Number of areas of each partition (canonical labels)."""
    labels = np.asarray(labels)
    if labels.shape[1] == 0:
        return np.zeros(len(labels), dtype=np.int64)
    return labels.max(axis=1).astype(np.int64) + 1


def area_totals(labels: np.ndarray, values) -> np.ndarray:
    """Per partition and area, the sum of ``values`` (one per node) over the area's members:
    shape (partitions, max areas), float64, zero for area numbers a partition does not use."""
    labels = np.asarray(labels)
    values = np.asarray(values, dtype=np.float64)
    rows, n = labels.shape
    if values.shape != (n,):
        raise ValueError(f"values must have one entry per node ({n}), got shape {values.shape}")
    width = int(labels.max()) + 1 if labels.size else 0
    flat = labels.astype(np.intp) + (np.arange(rows, dtype=np.intp) * width)[:, None]
    sums = np.bincount(
        flat.ravel(), weights=np.broadcast_to(values, (rows, n)).ravel(), minlength=rows * width
    )
    return sums.reshape(rows, width)


def area_sums(labels: np.ndarray, values) -> np.ndarray:
    """Per partition and node, the sum of ``values`` over the node's area: shape (partitions,
    nodes), float64. For example the labour force of each municipality's area in each partition."""
    labels = np.asarray(labels)
    if labels.size == 0:
        return np.zeros(labels.shape, dtype=np.float64)
    return np.take_along_axis(area_totals(labels, values), labels.astype(np.intp), axis=1)


def key_shares(labels: np.ndarray, key) -> np.ndarray:
    """Each node's share of its area under a cost key: ``key_i / sum of key over i's area``, shape
    (partitions, nodes). The shares of an area add up to 1; NaN where the area's key sum is 0."""
    key = np.asarray(key, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return key / area_sums(labels, key)


def split_pool(labels: np.ndarray, key, pool) -> np.ndarray:
    """Each node's payment when each area's pool is divided by ``key``: ``pool`` gives every node's
    contribution to its area's pool (for example cost per inhabitant times population), so node i
    pays ``(sum of pool over its area) * key_i / (sum of key over its area)``. Shape (partitions,
    nodes), float64; within each area the payments add up to the area's pool."""
    return area_sums(labels, pool) * key_shares(labels, key)
