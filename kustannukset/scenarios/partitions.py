"""Every partition of a set of municipalities into contiguous areas that each reach a threshold.

A *legal partition* of the nodes (municipalities) divides them into blocks (employment areas) so that
every block is connected in the adjacency graph and its total weight (labour force) is at least the
threshold. This module enumerates all of them exactly, counts them, lists the minimal legal areas of
one node, and evaluates a whole set of partitions at once with numpy.

It takes plain inputs and imports nothing else of the package:

- ``nodes``: the node ids in a fixed order (for example kuntanumero strings). The order names the
  columns of every label matrix and defines the canonical labelling.
- ``adjacency``: node -> neighbouring nodes. It must be symmetric and name only known nodes (see
  :func:`induced_adjacency` to cut a larger map down to the node set). A node missing from it has
  no neighbours.
- ``weights``: node -> non-negative integer weight (labour force), for exactly the nodes.
- ``threshold``: the integer minimum weight of a block.

Partitions are returned as **label matrices**: one row per partition, one column per node, the
entry being the block (area) number of the node. Labels are *canonical*: blocks are numbered 0, 1,
... in the order of their first node in ``nodes``, so every partition has exactly one row, and two
rows are equal exactly when the partitions are. A row has ``k`` areas when its largest label is
``k - 1``.

A disconnected node set can be partitioned: every block must be connected, so each connected part of
the graph is partitioned on its own and the partitions of the whole are the combinations of those of
the parts. If one part cannot be partitioned (for example its total weight is below the threshold),
there is no legal partition at all: the count is 0, which is not an error.

**How it works.** The count is a memoised recursion over connected sets of nodes. For a connected
set ``C``, pick a pivot node ``p`` of ``C``; every partition of ``C`` has exactly one block ``B``
containing ``p``, and the rest ``C - B`` falls into connected components that are partitioned
independently, so ``count(C) = sum over B of the product of count(component)``. While ``B`` is
grown from ``p`` (each connected superset reached exactly once by an include/exclude branching on
its neighbours), a component of the rest that is lighter than the threshold must be absorbed into
``B`` whole, and if it holds a node that the branching has already excluded, the branch is dead.
The memo is keyed by the connected set; its values are polynomials in the number of blocks, packed
into one integer (Kronecker substitution), so one pass gives the count by number of areas too.

Enumeration walks the same recursion and builds the label matrices of each connected set from those
of its components with numpy (repeat, tile, add), keeping the matrices of small sets in a cache of
bounded size and streaming the large ones. Memory is bounded by the memo (one entry per connected
set the recursion meets and, while enumerating, the blocks found for each), the cache limit and the
chunk size, not by the number of partitions.

:func:`recursive_partitions` is the straightforward enumerator (smallest unassigned node first,
every connected block containing it, recurse) kept as the baseline for the benchmark and the tests.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from numbers import Integral, Rational

import numpy as np

__all__ = [
    "PartitionInputError",
    "PartitionSpace",
    "area_count",
    "area_sums",
    "area_totals",
    "blocks_of",
    "canonical_labels",
    "find_partition",
    "induced_adjacency",
    "key_shares",
    "minimal_areas",
    "recursive_partitions",
    "split_pool",
]

Node = Hashable

DEFAULT_CHUNK = 1 << 16
DEFAULT_CACHE_BYTES = 256 << 20
_TABLE_BITS = 16


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
    for start in range(0, max(n, 1), _TABLE_BITS):
        width = min(_TABLE_BITS, n - start)
        table = [0] * (1 << width)
        for b in range(1, 1 << width):
            low = b & -b
            value = values[start + low.bit_length() - 1]
            table[b] = table[b ^ low] + value if add else table[b ^ low] | value
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


def _bell(n: int) -> int:
    """The number of partitions of an n-set (Bell triangle)."""
    row = [1]
    for _ in range(n):
        nxt = [row[-1]]
        for x in row:
            nxt.append(nxt[-1] + x)
        row = nxt
    return row[0]


# --- the partition space ----------------------------------------------------------------------


class PartitionSpace:
    """All legal partitions of ``nodes``: connected blocks of weight at least ``threshold``.

    ``fixed`` lists blocks (iterables of nodes) that every partition must contain as they are; the
    other nodes are partitioned freely among themselves (never joined to a fixed block). Each fixed
    block must be non-empty, connected, of weight at least the threshold, and disjoint from the
    others; otherwise :class:`PartitionInputError`.

    ``cache_bytes`` bounds the memory of the label matrices kept for reuse during enumeration.
    """

    def __init__(
        self,
        nodes: Sequence[Node],
        adjacency: Mapping[Node, Iterable[Node]],
        weights: Mapping[Node, object],
        threshold,
        fixed: Iterable[Iterable[Node]] = (),
        *,
        cache_bytes: int = DEFAULT_CACHE_BYTES,
    ) -> None:
        g = _Graph(nodes, adjacency, weights, threshold)
        self._g = g
        self.nodes = g.nodes
        self.threshold = g.threshold
        self.weights = dict(zip(g.nodes, g.weights, strict=True))
        self.dtype = np.int8 if g.n < 127 else np.int16

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
        self._free = g.full & ~taken
        self._fixed_masks = tuple(fixed_masks)
        self._fixed_set = frozenset(fixed_masks)

        self._shift = max(_bell(g.n).bit_length() + 1, 2)
        self._x = 1 << self._shift  # the polynomial "one block"
        self._memo: dict[int, int] = {}
        self._counts: dict[int, int] = {}
        self._keep_edges = False
        self._edges_of: dict[int, array | list] = {}
        self._cache: dict[int, np.ndarray] = {}
        self._cache_left = cache_bytes
        self._ind: dict[int, np.ndarray] = {}
        self._top: list[int] | None = None

    # -- counting --

    def _top_parts(self) -> list[int]:
        """The independent parts of a partition: the fixed blocks and the connected components of
        the free nodes."""
        if self._top is None:
            for mask in self._fixed_masks:
                self._memo[mask] = self._x  # a fixed block: exactly one way, one block
            self._top = [*self._fixed_masks, *self._g.components(self._free)]
        return self._top

    def _poly(self, mask: int) -> int:
        """The packed block-count polynomial of a connected free set (or a fixed block)."""
        found = self._memo.get(mask)
        if found is None:
            found = self._grow(mask)
        return found

    def _pivot(self, c: int) -> int:
        """The node whose block is enumerated: the one with the fewest neighbours inside ``c`` (on
        a tie, the first in node order). Any choice is correct; this one keeps the recursion small."""
        nb = self._g.neighbours
        best, best_degree = 0, None
        for i in _bits(c):
            degree = (nb[i] & c).bit_count()
            if best_degree is None or degree < best_degree:
                best, best_degree = i, degree
        return 1 << best

    def _grow(self, c: int) -> int:
        """Every block containing the pivot of the connected set ``c`` that leaves a partitionable
        rest; returns the packed polynomial of ``c`` and memoises it. While enumerating, also
        keeps, in a fixed order, the components of the rest that each such block leaves (see
        :meth:`_edges`)."""
        g = self._g
        edges = self._new_edges() if self._keep_edges else None
        expand, weigh, threshold = g.expand, g.weigh, g.threshold
        memo, x = self._memo, self._x
        total = 0
        if weigh(c) >= threshold:
            stack = [(self._pivot(c), 0)]
            while stack:
                block, excluded = stack.pop()
                rest = c & ~block
                parts = []
                dead = False
                while rest:  # components of the rest; the light ones must join the block
                    comp = front = rest & -rest
                    while front:
                        front = expand(front) & rest & ~comp
                        comp |= front
                    rest &= ~comp
                    if weigh(comp) < threshold:
                        if comp & excluded:
                            dead = True
                            break
                        block |= comp
                    else:
                        parts.append(comp)
                if dead:
                    continue
                if weigh(block) >= threshold:
                    product = x
                    for comp in parts:
                        value = memo.get(comp)
                        if value is None:
                            value = self._grow(comp)
                        product *= value
                        if not product:
                            break
                    if product:
                        total += product
                        if edges is not None:
                            edges.append(len(parts))
                            edges.extend(parts)
                candidates = expand(block) & c & ~block & ~excluded
                children = []
                while candidates:
                    u = candidates & -candidates
                    children.append((block | u, excluded))
                    excluded |= u
                    candidates ^= u
                stack.extend(reversed(children))
        memo[c] = total
        if edges is not None and total:
            self._edges_of[c] = edges
        return total

    def _polynomial(self) -> int:
        product = 1
        for part in self._top_parts():
            product *= self._poly(part)
            if not product:
                break
        return product

    def _coefficients(self, packed: int) -> list[int]:
        digits, mask = [], (1 << self._shift) - 1
        while packed:
            digits.append(packed & mask)
            packed >>= self._shift
        return digits

    def keep_for_listing(self) -> None:
        """Counting from now on also keeps what :meth:`iter_labels` needs, so that counting and
        then listing walk the parts once, not twice (at the cost of the memory the listing would
        take anyway)."""
        self._keep_edges = True

    def count(self) -> int:
        """The exact number of legal partitions."""
        return sum(self._coefficients(self._polynomial()))

    def count_by_areas(self) -> dict[int, int]:
        """Number of areas -> number of legal partitions with that many areas (fixed blocks
        included), for the numbers that occur, in increasing order."""
        return {k: c for k, c in enumerate(self._coefficients(self._polynomial())) if c}

    def _count_of(self, mask: int) -> int:
        found = self._counts.get(mask)
        if found is None:
            found = self._counts[mask] = sum(self._coefficients(self._poly(mask)))
        return found

    # -- enumeration --
    #
    # A part's matrix has one row per partition of the part: labels 1, 2, ... on the part's
    # nodes and 0 on all other nodes, so that the matrices of disjoint parts combine by addition
    # once the labels of one are offset past the other's. The labels are made canonical only when
    # a chunk is handed out.

    def _indicator(self, mask: int) -> np.ndarray:
        row = self._ind.get(mask)
        if row is None:
            row = self._ind[mask] = self._g.indicator(mask, self.dtype)
        return row

    def _max_blocks(self, mask: int) -> int:
        """An upper bound of the number of blocks of a part: its largest label."""
        size = mask.bit_count()
        if self.threshold > 0:
            size = min(size, self._g.weigh(mask) // self.threshold)
        return size

    def _new_edges(self) -> array | list:
        # Flat and compact (8 bytes an entry) when the masks fit in 64 bits: the edges of every
        # connected set are kept at once while enumerating.
        return array("Q") if self._g.n <= 64 else []

    def _edges(self, c: int) -> Iterator[list[int]]:
        """For each block of the part ``c`` (in a fixed order), the components of the rest. The
        block itself is ``c`` minus the components. Stored flat: a count, then that many masks."""
        if c in self._fixed_set:
            yield []
            return
        found = self._edges_of.get(c)
        if found is None:  # counted before enumeration started: walk it again
            self._keep_edges = True
            self._memo.pop(c, None)
            self._grow(c)
            found = self._edges_of.get(c, ())
        i, end = 0, len(found)
        while i < end:
            k = found[i]
            yield [found[i + 1]] if k == 1 else list(found[i + 1 : i + 1 + k])
            i += 1 + k

    def _matrix(self, c: int) -> np.ndarray:
        """All partitions of the part ``c`` (see above). Cached while the cache has room."""
        found = self._cache.get(c)
        if found is not None:
            return found
        cache = self._cache
        pieces = []
        for parts in self._edges(c):
            if len(parts) == 1:
                single = cache.get(parts[0])
                pieces.append(single if single is not None else self._matrix(parts[0]))
            else:
                pieces.append(self._product(parts))
        if pieces:
            result = np.concatenate(pieces)
            result += self._indicator(c)
        else:
            result = np.zeros((0, self._g.n), self.dtype)
        if result.nbytes <= self._cache_left:
            cache[c] = result
            self._cache_left -= result.nbytes
            self._edges_of.pop(c, None)
        return result

    def _offset(self, mask: int, offset: int) -> np.ndarray:
        return self._indicator(mask) * self.dtype(offset)

    def _product(self, parts: list[int]) -> np.ndarray:
        """All combinations of the parts' partitions, their labels kept apart by offsets."""
        if not parts:
            return np.zeros((1, self._g.n), self.dtype)
        result = self._matrix(parts[0])
        offset = self._max_blocks(parts[0])
        for part in parts[1:]:
            other = self._matrix(part)
            shift = self._offset(part, offset)
            offset += self._max_blocks(part)
            result = (result[:, None, :] + (other + shift)[None, :, :]).reshape(-1, self._g.n)
        return result

    def _stream_part(self, c: int, limit: int) -> Iterator[np.ndarray]:
        """The part's matrix in pieces of at most ``limit`` rows."""
        if self._count_of(c) <= limit:
            yield self._matrix(c)
            return
        indicator = self._indicator(c)
        for parts in self._edges(c):
            for piece in self._stream_product(parts, limit):
                yield piece + indicator

    def _stream_product(self, parts: list[int], limit: int) -> Iterator[np.ndarray]:
        counts = [self._count_of(p) for p in parts]
        if math.prod(counts) <= limit:
            yield self._product(parts)
            return
        first, rest = parts[0], parts[1:]
        shift = self._offset(sum(rest), self._max_blocks(first))
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
        """Every legal partition exactly once, as canonical label matrices of ``chunk_size`` rows
        (the last one shorter) and ``len(nodes)`` columns, dtype int8 (int16 from 127 nodes).

        The order is fixed for given inputs but is not sorted. Nothing is yielded when there is no
        legal partition. Each chunk is a new array that the caller may keep or modify.
        """
        if chunk_size < 1:
            raise ValueError("chunk_size must be positive")
        self._keep_edges = True
        if not self._polynomial():
            return
        buffer: list[np.ndarray] = []
        buffered = 0
        for piece in self._stream_product(self._top_parts(), chunk_size):
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
        """Whether a partition (given as blocks covering the nodes) is one of the enumerated
        ones: every block connected and at least the threshold, the fixed blocks among them."""
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
