"""Legal partitions into contiguous areas (kustannukset.districts.partitions).

Expected counts come from hand arithmetic (worked out in the comments) or from a brute force
written here: every set partition of the nodes, generated as restricted growth strings and
filtered by the rules with plain Python sets.
"""

from __future__ import annotations

import functools
import itertools
import operator
import random
from collections import Counter, deque
from fractions import Fraction

import numpy as np
import pytest
from graphillion import GraphSet
from hypothesis import given, settings
from hypothesis import strategies as st

from kustannukset.districts import partitions
from kustannukset.districts.partitions import (
    PartitionInputError,
    PartitionSpace,
    area_count,
    area_sums,
    area_totals,
    blocks_of,
    canonical_labels,
    find_partition,
    induced_adjacency,
    key_shares,
    minimal_areas,
    recursive_partitions,
    split_pool,
)
from kustannukset.scenarios.context import load_context
from tests.conftest import examples

# --- independent helpers ----------------------------------------------------------------------


def each_set_partition(n: int, visit) -> None:
    """Call ``visit(blocks)`` once for every partition of the items 0 … n-1; each block is a bit
    mask of its items. Item i goes into one of the blocks made so far or into a new one, so each
    partition comes once (as its restricted growth string a[0] = 0, a[i] <= 1 + max(a[:i]))."""
    blocks: list[int] = []

    def place(i: int) -> None:
        if i == n:
            visit(blocks)
            return
        bit = 1 << i
        for b in range(len(blocks)):
            blocks[b] |= bit
            place(i + 1)
            blocks[b] ^= bit
        blocks.append(bit)
        place(i + 1)
        blocks.pop()

    place(0)


def connected(block, adjacency) -> bool:
    block = set(block)
    start = next(iter(block))
    seen, queue = {start}, deque([start])
    while queue:
        v = queue.popleft()
        for u in adjacency.get(v, ()):
            if u in block and u not in seen:
                seen.add(u)
                queue.append(u)
    return seen == block


def brute_force(nodes, adjacency, weights, threshold, fixed=()) -> set[frozenset]:
    """The legal partitions, each as a frozenset of frozenset blocks: every set partition of the
    nodes, kept when every fixed block is one of its blocks and every block is legal."""
    nodes = list(nodes)

    def members(mask: int) -> frozenset:
        return frozenset(v for i, v in enumerate(nodes) if mask >> i & 1)

    position = {v: i for i, v in enumerate(nodes)}
    fixed_masks = {sum(1 << position[v] for v in block) for block in fixed}
    legal_block: dict[int, bool] = {}  # the same blocks recur in many partitions

    def legal(mask: int) -> bool:
        if mask not in legal_block:
            block = members(mask)
            legal_block[mask] = sum(weights[v] for v in block) >= threshold and connected(
                block, adjacency
            )
        return legal_block[mask]

    found = set()

    def visit(blocks: list[int]) -> None:
        if fixed_masks.issubset(blocks) and all(legal(b) for b in blocks):
            found.add(frozenset(members(b) for b in blocks))

    if nodes:
        each_set_partition(len(nodes), visit)
    else:
        found.add(frozenset())
    return found


def enumerated(space: PartitionSpace, **options) -> list[frozenset]:
    found = []
    for chunk in space.iter_labels(**options):
        found += [frozenset(blocks_of(row, space.nodes)) for row in chunk]
    return found


def by_areas(partitions) -> dict[int, int]:
    return dict(sorted(Counter(len(p) for p in partitions).items()))


def path(names: str) -> dict[str, set[str]]:
    adjacency = {v: set() for v in names}
    for a, b in itertools.pairwise(names):
        adjacency[a].add(b)
        adjacency[b].add(a)
    return adjacency


def cycle(names: str) -> dict[str, set[str]]:
    adjacency = path(names)
    adjacency[names[0]].add(names[-1])
    adjacency[names[-1]].add(names[0])
    return adjacency


def ones(names: str) -> dict[str, int]:
    return dict.fromkeys(names, 1)


def P(*blocks: str) -> frozenset:
    return frozenset(frozenset(b) for b in blocks)


def test_each_set_partition_comes_once():
    # the Bell numbers B(0) … B(8): 1, 1, 2, 5, 15, 52, 203, 877, 4140
    for n, bell in enumerate([1, 1, 2, 5, 15, 52, 203, 877, 4140]):
        seen: list[frozenset] = []
        each_set_partition(n, lambda blocks, seen=seen: seen.append(frozenset(blocks)))
        assert len(seen) == len(set(seen)) == bell
        assert all(sum(p) == 2**n - 1 and all(p) for p in seen)  # the blocks cover 0 … n-1


# --- hand-counted graphs ----------------------------------------------------------------------


def test_path_of_four_unit_weights():
    # The connected blocks of a path are intervals, so a partition is a composition of 4.
    # Threshold 1: every composition, 2^3 = 8 (any subset of the 3 cuts).
    # Threshold 2: parts of at least 2: 4 and 2+2, so 2 partitions.
    assert PartitionSpace("abcd", path("abcd"), ones("abcd"), 1).count() == 8
    space = PartitionSpace("abcd", path("abcd"), ones("abcd"), 2)
    assert space.count() == 2
    assert space.count_by_areas() == {1: 1, 2: 1}
    assert set(enumerated(space)) == {P("abcd"), P("ab", "cd")}


def test_path_of_five_unit_weights_threshold_two():
    # Compositions of 5 into parts of at least 2: 5, 2+3, 3+2.
    space = PartitionSpace("abcde", path("abcde"), ones("abcde"), 2)
    assert space.count() == 3
    assert set(enumerated(space)) == {P("abcde"), P("ab", "cde"), P("abc", "de")}


def test_weighted_path():
    # a(3) - b(1) - c(1) - d(3), threshold 3. The 8 subsets of the cuts a|b, b|c, c|d:
    # none: abcd 8 ok; a|bcd: 3, 5 ok; ab|cd: 4, 4 ok; abc|d: 5, 3 ok;
    # a|b|cd: b = 1 fails; a|bc|d: bc = 2 fails; ab|c|d: c = 1 fails; a|b|c|d fails.
    weights = {"a": 3, "b": 1, "c": 1, "d": 3}
    space = PartitionSpace("abcd", path("abcd"), weights, 3)
    assert space.count() == 4
    assert space.count_by_areas() == {1: 1, 2: 3}
    assert set(enumerated(space)) == {P("abcd"), P("a", "bcd"), P("ab", "cd"), P("abc", "d")}
    # the same as tuples of blocks, each tuple ordered by the blocks' first nodes
    assert sorted(space.iter_partitions()) == sorted(
        [
            (frozenset("abcd"),),
            (frozenset("a"), frozenset("bcd")),
            (frozenset("ab"), frozenset("cd")),
            (frozenset("abc"), frozenset("d")),
        ]
    )


def test_cycle_of_four():
    # Blocks of a cycle are arcs. Threshold 1: cutting k >= 2 of the 4 edges gives k arcs
    # (cutting one edge leaves one block): 1 + C(4,2) + C(4,3) + C(4,4) = 1 + 6 + 4 + 1 = 12.
    # (Of the 15 set partitions, {ac, bd}, {ac, b, d} and {bd, a, c} are not arcs.)
    assert PartitionSpace("abcd", cycle("abcd"), ones("abcd"), 1).count() == 12
    # Threshold 2: the whole cycle, or two arcs of two: {ab, cd} and {bc, da}.
    space = PartitionSpace("abcd", cycle("abcd"), ones("abcd"), 2)
    assert space.count() == 3
    assert set(enumerated(space)) == {P("abcd"), P("ab", "cd"), P("bc", "da")}


def test_cycle_of_six_threshold_two():
    # Arcs of at least 2 nodes: the whole cycle (1); k cut edges with no two adjacent:
    # k = 2: C(6,2) - 6 adjacent pairs = 9; k = 3: every other edge, 2 ways. 1 + 9 + 2 = 12.
    space = PartitionSpace("abcdef", cycle("abcdef"), ones("abcdef"), 2)
    assert space.count() == 12
    assert space.count_by_areas() == {1: 1, 2: 9, 3: 2}


def test_star():
    # Hub h, leaves x, y, z. Threshold 1, unit weights: each leaf alone or with the hub: 2^3 = 8.
    star = {"h": {"x", "y", "z"}, "x": {"h"}, "y": {"h"}, "z": {"h"}}
    assert PartitionSpace("hxyz", star, ones("hxyz"), 1).count() == 8
    # Threshold 2: no leaf reaches it alone, so all join the hub: 1.
    assert PartitionSpace("hxyz", star, ones("hxyz"), 2).count() == 1
    # h = 1, x = 2, y = 2, z = 1, threshold 2: z must join h (h + z = 2); x and y may each
    # stand alone or join: 2 * 2 = 4 partitions, with 1, 2, 2 and 3 areas.
    weights = {"h": 1, "x": 2, "y": 2, "z": 1}
    space = PartitionSpace("hxyz", star, weights, 2)
    assert space.count() == 4
    assert space.count_by_areas() == {1: 1, 2: 2, 3: 1}
    assert set(enumerated(space)) == {
        P("hxyz"),
        P("hxz", "y"),
        P("hyz", "x"),
        P("hz", "x", "y"),
    }


def test_canonical_rows_of_a_small_case():
    # Canonical labels: blocks numbered by their first node in the node order.
    space = PartitionSpace("abcd", path("abcd"), {"a": 3, "b": 1, "c": 1, "d": 3}, 3)
    rows = {tuple(row) for chunk in space.iter_labels() for row in chunk.tolist()}
    assert rows == {(0, 0, 0, 0), (0, 1, 1, 1), (0, 0, 1, 1), (0, 0, 0, 1)}


# --- disconnected input, no partition, fixed blocks -------------------------------------------


def test_disconnected_node_set_is_partitioned_part_by_part():
    # Two separate edges a-b and c-d: each part is partitioned on its own.
    adjacency = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}
    # Threshold 1: each edge either whole or split, 2 * 2 = 4.
    assert PartitionSpace("abcd", adjacency, ones("abcd"), 1).count() == 4
    # Threshold 2: each edge whole, 1.
    space = PartitionSpace("abcd", adjacency, ones("abcd"), 2)
    assert space.count() == 1
    assert enumerated(space) == [P("ab", "cd")]
    # An isolated node below the threshold cannot be placed anywhere: no partition, no error.
    adjacency["e"] = set()
    space = PartitionSpace("abcde", adjacency, ones("abcde"), 2)
    assert space.count() == 0
    assert space.count_by_areas() == {}
    assert enumerated(space) == []


def test_threshold_nobody_meets_gives_zero():
    space = PartitionSpace("abcd", path("abcd"), ones("abcd"), 5)
    assert space.count() == 0
    assert space.count_by_areas() == {}
    assert list(space.iter_labels()) == []
    assert list(recursive_partitions("abcd", path("abcd"), ones("abcd"), 5)) == []


def test_empty_node_set_has_the_empty_partition():
    space = PartitionSpace([], {}, {}, 10)
    assert space.count() == 1
    assert space.count_by_areas() == {0: 1}
    chunks = list(space.iter_labels())
    assert [c.shape for c in chunks] == [(1, 0)]


def test_fixed_block_and_the_rest():
    # Path a-b-c-d-e, unit weights, threshold 2.
    # Without fixing: compositions of 5 into parts >= 2: 5, 2+3, 3+2 = 3.
    # Fixing {a, b}: the rest c-d-e must be one block (3 = 3 only): 1 partition.
    space = PartitionSpace("abcde", path("abcde"), ones("abcde"), 2, fixed=[["a", "b"]])
    assert space.count() == 1
    assert enumerated(space) == [P("ab", "cde")]
    assert space.fixed == (frozenset("ab"),)
    # Fixing {c, d}: a-b is fine but e is alone with weight 1: nothing.
    space = PartitionSpace("abcde", path("abcde"), ones("abcde"), 2, fixed=[["c", "d"]])
    assert space.count() == 0
    assert enumerated(space) == []
    # Fixing a block that a free partition would also produce does not double it.
    space = PartitionSpace("abcde", path("abcde"), ones("abcde"), 1, fixed=[["b", "c"]])
    # a alone; d-e: whole or split: 2 partitions, each with {b, c}.
    assert set(enumerated(space)) == {P("a", "bc", "de"), P("a", "bc", "d", "e")}


def test_everything_fixed():
    space = PartitionSpace("abcd", path("abcd"), ones("abcd"), 2, fixed=[["c", "d"], ["a", "b"]])
    assert space.count() == 1
    assert space.count_by_areas() == {2: 1}
    assert [c.tolist() for c in space.iter_labels()] == [[[0, 0, 1, 1]]]


@pytest.mark.parametrize(
    ("fixed", "message"),
    [
        ([["a", "x"]], "tuntematon kunta x"),
        ([[]], "kiinnitetty alue on tyhjä"),
        ([["a", "b"], ["b", "c"]], "kunta b on kahdessa kiinnitetyssä alueessa"),
        ([["a", "c"]], "kiinnitetty alue {a, c} ei ole yhtenäinen"),
        ([["a"]], "kiinnitetyn alueen {a} työvoima 1 on alle rajan 2"),
    ],
)
def test_bad_fixed_blocks(fixed, message):
    with pytest.raises(PartitionInputError, match=message.replace("{", r"\{").replace("}", r"\}")):
        PartitionSpace("abcde", path("abcde"), ones("abcde"), 2, fixed=fixed)


def test_bad_fixed_block_names_the_nodes():
    with pytest.raises(PartitionInputError) as caught:
        PartitionSpace("abcde", path("abcde"), ones("abcde"), 2, fixed=[["a", "c"]])
    assert set(caught.value.nodes) == {"a", "c"}
    assert isinstance(caught.value, ValueError)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nodes", "adjacency", "weights", "threshold", "message"),
    [
        ("ab", {"a": {"b"}, "b": {"a"}, "q": set()}, ones("ab"), 1, "tuntematon kunta q"),
        ("ab", {"a": {"b", "q"}, "b": {"a"}}, ones("ab"), 1, "tuntematon kunta q"),
        ("ab", {"a": {"b"}}, ones("ab"), 1, "naapuruus ei ole symmetrinen"),
        ("aba", {}, ones("ab"), 1, "kunta a on annettu kahdesti"),
        ("ab", {}, {"a": 1}, 1, "kunnalta b puuttuu työvoima"),
        ("ab", {}, {"a": 1, "b": 1, "c": 1}, 1, "työvoimatiedoissa on tuntematon kunta c"),
        ("ab", {}, {"a": 1, "b": -1}, 1, "kunnan b työvoima on negatiivinen"),
        ("ab", {}, {"a": 1, "b": 1.5}, 1, "kunnan b työvoima ei ole kokonaisluku"),
        ("ab", {}, ones("ab"), "20 000", "työvoimaraja ei ole kokonaisluku"),
    ],
)
def test_bad_input(nodes, adjacency, weights, threshold, message):
    with pytest.raises(PartitionInputError, match=message):
        PartitionSpace(list(nodes), adjacency, weights, threshold)


def test_integral_weights_of_other_types_are_accepted():
    weights = {"a": Fraction(4, 2), "b": np.int64(2), "c": 2.0}
    assert PartitionSpace("abc", path("abc"), weights, 2).count() == 4  # compositions of 3


def test_induced_adjacency_drops_outside_nodes():
    country = {"a": {"b", "z"}, "b": {"a", "c"}, "c": {"b"}, "z": {"a"}}
    assert induced_adjacency(country, ["a", "b"]) == {"a": {"b"}, "b": {"a"}}
    assert induced_adjacency(country, ["a", "q"]) == {"a": set(), "q": set()}


# --- brute-force cross-check ------------------------------------------------------------------


def random_case(rng: random.Random, n: int, connected_only: bool = True, extra: float = 0.3):
    """A random graph on ``n`` nodes (connected: a random tree plus extra edges), random weights
    from 0 to 9, and a threshold from 0 to just above the total weight, often a small fraction of
    it so that there are many partitions. Nodes come in a random order."""
    names = [f"k{i}" for i in range(n)]
    adjacency = {v: set() for v in names}

    def link(a, b):
        adjacency[a].add(b)
        adjacency[b].add(a)

    if connected_only:
        for i in range(1, n):
            link(names[i], names[rng.randrange(i)])
    for a, b in itertools.combinations(names, 2):
        if rng.random() < extra:
            link(a, b)
    weights = {v: rng.randint(0, 9) for v in names}
    total = sum(weights.values())
    upper = max(1, total // 3) if rng.random() < 0.7 else total + 1
    threshold = rng.randint(0, upper)
    rng.shuffle(names)
    return names, adjacency, weights, threshold


@st.composite
def graphs(draw, connected_only: bool = True, max_nodes: int = 9):
    n = draw(st.integers(1, max_nodes))
    rng = random.Random(draw(st.integers(0, 2**32)))
    extra = draw(st.floats(0, 0.6))
    return random_case(rng, n, connected_only, extra)


@pytest.mark.parametrize("seed", range(24))
def test_matches_brute_force_on_seeded_random_graphs(seed):
    # sizes 4 to 9 in turn, each four times, connected and not
    rng = random.Random(seed)
    n = 4 + seed % 6
    nodes, adjacency, weights, threshold = random_case(rng, n, connected_only=seed % 4 != 3)
    expected = brute_force(nodes, adjacency, weights, threshold)
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    found = enumerated(space, chunk_size=16)
    assert len(found) == len(set(found)) == space.count()
    assert set(found) == expected
    assert space.count_by_areas() == by_areas(expected)


@settings(max_examples=examples(40))
@given(graphs())
def test_matches_brute_force_on_random_connected_graphs(case):
    nodes, adjacency, weights, threshold = case
    expected = brute_force(nodes, adjacency, weights, threshold)
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    found = enumerated(space, chunk_size=64)
    assert len(found) == len(set(found))
    assert set(found) == expected
    assert space.count() == len(expected)
    assert space.count_by_areas() == by_areas(expected)


@settings(max_examples=examples(30))
@given(graphs(connected_only=False, max_nodes=8))
def test_matches_brute_force_on_random_disconnected_graphs(case):
    nodes, adjacency, weights, threshold = case
    expected = brute_force(nodes, adjacency, weights, threshold)
    space = PartitionSpace(nodes, adjacency, weights, threshold, cache_bytes=0)
    found = enumerated(space, chunk_size=1)
    assert len(found) == len(set(found)) == space.count()
    assert set(found) == expected


@settings(max_examples=examples(30))
@given(graphs(max_nodes=8), st.randoms(use_true_random=False))
def test_fixed_blocks_match_brute_force(case, rng):
    nodes, adjacency, weights, threshold = case
    legal = sorted(brute_force(nodes, adjacency, weights, threshold), key=sorted)
    if not legal:
        return
    # fix some blocks of one legal partition
    blocks = sorted(rng.choice(legal), key=sorted)
    fixed = [b for b in blocks if rng.random() < 0.5]
    expected = brute_force(nodes, adjacency, weights, threshold, fixed)
    space = PartitionSpace(nodes, adjacency, weights, threshold, fixed=fixed)
    found = enumerated(space, chunk_size=3)
    assert len(found) == len(set(found))
    assert set(found) == expected


@settings(max_examples=examples(40))
@given(graphs(max_nodes=8))
def test_baseline_matches_brute_force(case):
    nodes, adjacency, weights, threshold = case
    found = [frozenset(p) for p in recursive_partitions(nodes, adjacency, weights, threshold)]
    assert len(found) == len(set(found))
    assert set(found) == brute_force(nodes, adjacency, weights, threshold)


@settings(max_examples=examples(30))
@given(graphs(), st.randoms(use_true_random=False))
def test_count_does_not_depend_on_the_order(case, rng):
    nodes, adjacency, weights, threshold = case
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    shuffled = list(nodes)
    rng.shuffle(shuffled)
    reordered_adjacency = {v: adjacency[v] for v in reversed(shuffled)}
    other = PartitionSpace(shuffled, reordered_adjacency, weights, threshold)
    assert other.count() == space.count()
    assert other.count_by_areas() == space.count_by_areas()
    assert set(enumerated(other)) == set(enumerated(space))


@pytest.fixture(scope="module")
def pirkanmaa():
    """Pirkanmaa's municipalities, their neighbours as the contiguity check sees them, and the
    labour force of the 20 000 rule as the parameter file defines it."""
    context = load_context()
    codes = context.statistics.municipalities.in_region("Pirkanmaa")
    spec = context.rule("tyovoima").value
    weights = dict.fromkeys(codes, 0)
    for measure in spec["mittarit"]:
        for code, value in context.values(measure, int(spec["vuosi"]), codes).items():
            weights[code] += value
    return codes, induced_adjacency(context.boundaries.neighbours, codes), weights


@pytest.mark.parametrize("seed", range(12))
def test_matches_brute_force_on_parts_of_the_real_map(pirkanmaa, seed):
    # a random connected set of 4 to 9 Pirkanmaa municipalities, grown from a random one
    codes, adjacency, weights = pirkanmaa
    rng = random.Random(seed)
    size = 4 + seed % 6
    chosen = [rng.choice(codes)]
    while len(chosen) < size:
        frontier = sorted({u for v in chosen for u in adjacency[v]} - set(chosen))
        chosen.append(rng.choice(frontier))
    local = induced_adjacency(adjacency, chosen)
    total = sum(weights[v] for v in chosen)
    threshold = rng.randint(0, int(total) // 2)
    expected = brute_force(chosen, local, weights, threshold)
    space = PartitionSpace(chosen, local, {v: weights[v] for v in chosen}, threshold)
    found = enumerated(space)
    assert len(found) == len(set(found)) == space.count()
    assert set(found) == expected


@pytest.mark.parametrize("length", [40, 63])
def test_long_paths(length):
    # Unit weights, threshold t = a third of the length rounded down (4t > length, so at most
    # 3 parts): compositions of `length` into parts of at least t. One part; two parts a + b
    # with t <= a <= length - t: length - 2t + 1 ways; three parts: the length - 3t units over
    # t each spread over 3 parts, C(length - 3t + 2, 2) ways (3 for the lengths here).
    names = [f"n{i}" for i in range(length)]
    adjacency = {v: set() for v in names}
    for a, b in itertools.pairwise(names):
        adjacency[a].add(b)
        adjacency[b].add(a)
    t = length // 3
    two = length - 2 * t + 1
    three = (length - 3 * t + 1) * (length - 3 * t + 2) // 2
    space = PartitionSpace(names, adjacency, dict.fromkeys(names, 1), t)
    assert space.count_by_areas() == {1: 1, 2: two, 3: three}
    chunks = list(space.iter_labels())
    assert all(c.dtype == np.int8 for c in chunks)
    rows = np.concatenate(chunks)
    assert len(rows) == 1 + two + three
    # every row is a composition: labels never decrease along the path, each part >= t
    assert (np.diff(rows.astype(int), axis=1) >= 0).all()
    for row in rows:
        assert np.bincount(row).min() >= t


def test_chunks_have_the_asked_size():
    # Threshold 1 on a path of 7: 2^6 = 64 compositions.
    space = PartitionSpace("abcdefg", path("abcdefg"), ones("abcdefg"), 1)
    sizes = [len(c) for c in space.iter_labels(chunk_size=10)]
    assert sizes == [10] * 6 + [4]
    assert all(c.dtype == np.int8 for c in space.iter_labels(chunk_size=10))


def test_the_order_is_the_same_every_time():
    names, adjacency, weights = grid()
    first = list(PartitionSpace(names, adjacency, weights, 9).iter_labels(chunk_size=100))
    again = list(PartitionSpace(names, adjacency, weights, 9).iter_labels(chunk_size=100))
    assert len(first) == len(again) > 1
    assert all((a == b).all() for a, b in zip(first, again, strict=True))


def test_enumerating_after_counting_gives_the_same_partitions():
    nodes = "abcdefgh"
    space = PartitionSpace(nodes, cycle(nodes), ones(nodes), 2)
    space.count()
    again = PartitionSpace(nodes, cycle(nodes), ones(nodes), 2)
    assert sorted(enumerated(space), key=sorted) == sorted(enumerated(again), key=sorted)
    assert len(enumerated(space)) == space.count()


# --- a larger real-looking case: properties without brute force -------------------------------

GRID_ROWS, GRID_COLUMNS = 3, 5


def grid() -> tuple[list[str], dict[str, set[str]], dict[str, int]]:
    """A 3 x 5 grid of 15 nodes with varied weights: too many set partitions to brute-force
    (Bell(15) = 1 382 958 545)."""
    names = [f"{r}{c}" for r in range(GRID_ROWS) for c in range(GRID_COLUMNS)]
    adjacency = {v: set() for v in names}
    for r in range(GRID_ROWS):
        for c in range(GRID_COLUMNS):
            if c + 1 < GRID_COLUMNS:
                adjacency[f"{r}{c}"].add(f"{r}{c + 1}")
                adjacency[f"{r}{c + 1}"].add(f"{r}{c}")
            if r + 1 < GRID_ROWS:
                adjacency[f"{r}{c}"].add(f"{r + 1}{c}")
                adjacency[f"{r + 1}{c}"].add(f"{r}{c}")
    weights = {v: 1 + (7 * i) % 5 for i, v in enumerate(names)}
    return names, adjacency, weights


def test_every_partition_of_a_grid_is_legal_and_unique():
    names, adjacency, weights = grid()
    space = PartitionSpace(names, adjacency, weights, 8)
    found = enumerated(space, chunk_size=1000)
    assert len(found) == space.count() > 1000
    assert len(set(found)) == len(found)
    for partition in found:
        assert sorted(v for b in partition for v in b) == sorted(names)
        for block in partition:
            assert connected(block, adjacency)
            assert sum(weights[v] for v in block) >= 8
    assert by_areas(found) == space.count_by_areas()
    # the baseline agrees
    baseline = [frozenset(p) for p in recursive_partitions(names, adjacency, weights, 8)]
    assert set(baseline) == set(found)
    assert len(baseline) == len(found)


def test_more_nodes_than_the_masks_hold_is_refused():
    names = [f"n{i}" for i in range(64)]
    with pytest.raises(PartitionInputError, match="enintään 63"):
        PartitionSpace(names, {}, dict.fromkeys(names, 1), 1)


def test_numbers_follow_the_listing_and_come_back():
    # Every partition's number is its place in the listing, and the number gives it back.
    names, adjacency, weights = grid()
    space = PartitionSpace(names, adjacency, weights, 8)
    listed = enumerated(space)
    assert len(listed) == space.count() > 100
    for index, partition in enumerate(listed):
        assert space.index_of(partition) == index
        assert frozenset(space.partition_at(index)) == partition
    with pytest.raises(IndexError):
        space.partition_at(len(listed))
    # not legal: one block below the threshold
    assert space.index_of([{names[0]}, set(names[1:])]) is None


def test_the_first_partition_is_the_whole_set_as_one_area():
    # Larger pivot blocks come first, so number 0 is one area when the whole set is legal.
    names, adjacency, weights = grid()
    space = PartitionSpace(names, adjacency, weights, 8)
    assert space.partition_at(0) == (frozenset(names),)


def test_numbers_of_parts_are_mixed_radix_first_part_most_significant():
    # Two separate paths ab and cd, threshold 1: each has 2 partitions (whole, or cut).
    adjacency = path("ab") | path("cd")
    space = PartitionSpace("abcd", adjacency, ones("abcd"), 1)
    shown = [frozenset(space.partition_at(i)) for i in range(4)]
    assert shown == [P("ab", "cd"), P("ab", "c", "d"), P("a", "b", "cd"), P("a", "b", "c", "d")]


def block_weights_by_brute_force(partitions) -> Counter:
    return Counter(block for partition in partitions for block in partition)


@settings(max_examples=examples(40))
@given(graphs(connected_only=False, max_nodes=8))
def test_block_weights_match_brute_force(case):
    # Each block's weight is the number of legal partitions that contain it.
    nodes, adjacency, weights, threshold = case
    expected = block_weights_by_brute_force(brute_force(nodes, adjacency, weights, threshold))
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    masks, counts = space.blocks()
    found = {space.members_of(m): int(c) for m, c in zip(masks, counts, strict=True)}
    assert found == dict(expected)


@settings(max_examples=examples(30))
@given(graphs(max_nodes=8), st.randoms(use_true_random=False))
def test_block_weights_with_fixed_blocks_match_brute_force(case, rng):
    nodes, adjacency, weights, threshold = case
    legal = brute_force(nodes, adjacency, weights, threshold)
    blocks = sorted({b for p in legal for b in p}, key=sorted)
    fixed = [rng.choice(blocks)] if blocks else []
    expected = block_weights_by_brute_force(
        brute_force(nodes, adjacency, weights, threshold, fixed)
    )
    space = PartitionSpace(nodes, adjacency, weights, threshold, fixed)
    masks, counts = space.blocks()
    assert {space.members_of(m): int(c) for m, c in zip(masks, counts, strict=True)} == dict(
        expected
    )


def test_a_memory_limit_stops_the_build_in_finnish():
    names, adjacency, weights = grid()
    space = PartitionSpace(names, adjacency, weights, 8, memory_limit=1000)
    with pytest.raises(PartitionInputError, match="muistia"):
        space.count()


def test_size_estimate_is_cheap_and_grows_with_the_problem():
    names, adjacency, weights = grid()
    small = PartitionSpace(names, adjacency, weights, 30).estimate()
    large = PartitionSpace(names, adjacency, weights, 8).estimate()
    assert 0 < small.edges < large.edges
    assert large.fits(1 << 30) and not large.fits(1000)


def test_grid_with_a_small_cache_and_chunks():
    names, adjacency, weights = grid()
    full = set(enumerated(PartitionSpace(names, adjacency, weights, 10)))
    tight = PartitionSpace(names, adjacency, weights, 10, cache_bytes=2000)
    found = enumerated(tight, chunk_size=7)
    assert len(found) == len(full)
    assert set(found) == full


def test_product_of_parts_streamed_row_by_row():
    # Three separate paths of 4 (threshold 1: 8 partitions each) give 8^3 = 512 partitions;
    # chunks of 5 rows force the stream to split the product of the parts.
    adjacency = {}
    for names in ("abcd", "efgh", "ijkl"):
        adjacency |= path(names)
    nodes = "aeibfjcgkdhl"  # interleaved, so the canonical labels interleave the parts
    space = PartitionSpace(nodes, adjacency, ones(nodes), 1, cache_bytes=0)
    found = enumerated(space, chunk_size=5)
    assert len(found) == len(set(found)) == space.count() == 512
    # each path is cut at any subset of its 3 gaps, independently of the others
    per_path = [
        brute_force(names, path(names), ones(names), 1) for names in ("abcd", "efgh", "ijkl")
    ]
    assert [len(p) for p in per_path] == [8, 8, 8]
    expected = {frozenset().union(*combo) for combo in itertools.product(*per_path)}
    assert set(found) == expected


# --- minimal areas ----------------------------------------------------------------------------

# v is joined to a and b, both to c, c to d:      v(1) - a(2) - c(3) - d(10)
#                                                   \- b(2) -/
SQUARE = {"v": {"a", "b"}, "a": {"v", "c"}, "b": {"v", "c"}, "c": {"a", "b", "d"}, "d": {"c"}}
SQUARE_WEIGHTS = {"v": 1, "a": 2, "b": 2, "c": 3, "d": 10}


def test_minimal_areas_by_hand():
    # Threshold 5. For v: {v,a,b} = 5, {v,a,c} = 6, {v,b,c} = 6 reach it, and no connected
    # proper subset containing v does ({v}, {v,a}, {v,b} weigh 1, 3, 3). Every other area of v
    # contains one of them, so it has a removable member.
    nodes = "vabcd"
    assert minimal_areas("v", nodes, SQUARE, SQUARE_WEIGHTS, 5) == [
        frozenset("vab"),
        frozenset("vac"),
        frozenset("vbc"),
    ]
    # d alone is 10: only {d}.
    assert minimal_areas("d", nodes, SQUARE, SQUARE_WEIGHTS, 5) == [frozenset("d")]
    # c (3): {a,c} = 5, {b,c} = 5, {c,d} = 13; each minus its other member is {c} = 3.
    assert minimal_areas("c", nodes, SQUARE, SQUARE_WEIGHTS, 5) == [
        frozenset("ac"),
        frozenset("bc"),
        frozenset("cd"),
    ]
    # A threshold above the total: none.
    assert minimal_areas("v", nodes, SQUARE, SQUARE_WEIGHTS, 100) == []
    space = PartitionSpace(nodes, SQUARE, SQUARE_WEIGHTS, 5)
    assert space.minimal_areas("v") == minimal_areas("v", nodes, SQUARE, SQUARE_WEIGHTS, 5)


def test_minimal_areas_of_unknown_node():
    with pytest.raises(PartitionInputError, match="tuntematon kunta q"):
        minimal_areas("q", "vabcd", SQUARE, SQUARE_WEIGHTS, 5)


def brute_minimal_areas(node, nodes, adjacency, weights, threshold) -> set[frozenset]:
    """The definition, literally: connected, contains node, reaches the threshold, and removing
    any one other member leaves a disconnected set or one below the threshold."""
    others = [v for v in nodes if v != node]
    found = set()
    for size in range(len(others) + 1):
        for extra in itertools.combinations(others, size):
            area = frozenset([node, *extra])
            if not connected(area, adjacency):
                continue
            if sum(weights[v] for v in area) < threshold:
                continue
            if all(
                not connected(area - {m}, adjacency)
                or sum(weights[v] for v in area - {m}) < threshold
                for m in extra
            ):
                found.add(area)
    return found


@settings(max_examples=examples(50))
@given(graphs(), st.data())
def test_minimal_areas_match_the_definition(case, data):
    nodes, adjacency, weights, threshold = case
    node = data.draw(st.sampled_from(nodes))
    found = minimal_areas(node, nodes, adjacency, weights, threshold)
    assert len(found) == len(set(found))
    assert set(found) == brute_minimal_areas(node, nodes, adjacency, weights, threshold)


# --- single partitions ------------------------------------------------------------------------


def test_labels_of_and_finding_a_partition():
    space = PartitionSpace("abcd", path("abcd"), {"a": 3, "b": 1, "c": 1, "d": 3}, 3)
    row = space.labels_of([["d", "c"], ["b", "a"]])  # any block order, any member order
    assert row.tolist() == [0, 0, 1, 1]
    hits = [(k, find_partition(chunk, row)) for k, chunk in enumerate(space.iter_labels())]
    assert sum(len(found) for _, found in hits) == 1
    assert space.is_legal([["a", "b"], ["c", "d"]])
    assert space.is_legal([["a", "b", "c"], ["d"]])  # abc|d: 5, 3
    assert not space.is_legal([["a", "b"], ["c"], ["d"]])  # c = 1
    assert not PartitionSpace("abc", path("abc"), ones("abc"), 1).is_legal([["a", "c"], ["b"]])


def test_is_legal_requires_the_fixed_blocks():
    space = PartitionSpace("abcd", path("abcd"), ones("abcd"), 1, fixed=[["a", "b"]])
    assert space.is_legal([["a", "b"], ["c", "d"]])
    assert not space.is_legal([["a"], ["b"], ["c", "d"]])


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([["a", "b"], ["c"]], "aluejaosta puuttuu kunta d"),
        ([["a", "b"]], "aluejaosta puuttuu 2 kuntaa: c, d"),
        ([["a", "b"], ["b", "c", "d"]], "kunta b on aluejaossa kahdesti"),
        ([["a", "b", "c", "d", "q"]], "aluejaossa on tuntematon kunta q"),
    ],
)
def test_labels_of_rejects_what_is_not_a_partition(blocks, message):
    space = PartitionSpace("abcd", path("abcd"), ones("abcd"), 1)
    with pytest.raises(PartitionInputError, match=message):
        space.labels_of(blocks)


# --- label matrices ---------------------------------------------------------------------------


def reference_canonical(row) -> list[int]:
    seen: dict[int, int] = {}
    return [seen.setdefault(label, len(seen)) for label in row]


@settings(max_examples=examples(50))
@given(
    st.integers(1, 12).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(-5, 300), min_size=n, max_size=n), min_size=1, max_size=20
        )
    )
)
def test_canonical_labels_number_blocks_by_first_appearance(rows):
    matrix = np.array(rows, dtype=np.int64)
    canonical = canonical_labels(matrix)
    assert canonical.tolist() == [reference_canonical(r) for r in rows]


def test_canonical_labels_make_equal_partitions_equal():
    a = np.array([[5, 5, 2, 9], [1, 2, 1, 2]], dtype=np.int8)
    b = np.array([[0, 0, 7, 3], [4, 0, 4, 0]], dtype=np.int8)
    assert (canonical_labels(a) == canonical_labels(b)).all()
    assert canonical_labels(a).dtype == np.int8


# Two partitions of four nodes p, q, r, s: {p, q}{r, s} and {p}{q, r, s}.
LABELS = np.array([[0, 0, 1, 1], [0, 1, 1, 1]], dtype=np.int8)
POPULATION = np.array([10.0, 30.0, 20.0, 40.0])


def test_area_totals_and_sums():
    # {p,q} = 40, {r,s} = 60; {p} = 10, {q,r,s} = 90.
    assert area_totals(LABELS, POPULATION).tolist() == [[40, 60], [10, 90]]
    assert area_sums(LABELS, POPULATION).tolist() == [[40, 40, 60, 60], [10, 90, 90, 90]]
    assert area_count(LABELS).tolist() == [2, 2]
    assert area_count(np.array([[0, 1, 2, 0]])).tolist() == [3]


def test_key_shares_and_split_pool():
    # Shares by population: p 10/40, q 30/40, r 20/60, s 40/60; then 1, 30/90, 20/90, 40/90.
    shares = key_shares(LABELS, POPULATION)
    expected = [[0.25, 0.75, 1 / 3, 2 / 3], [1.0, 1 / 3, 2 / 9, 4 / 9]]
    np.testing.assert_allclose(shares, expected)
    # A pool of 2 € per inhabitant split by a different key (jobseekers 1, 1, 2, 0):
    # first partition: {p,q} pool 80, key 1+1 -> 40, 40; {r,s} pool 120, key 2+0 -> 120, 0.
    # second: {p} pool 20 -> 20; {q,r,s} pool 180, key 1+2+0 -> 60, 120, 0.
    payments = split_pool(LABELS, [1, 1, 2, 0], 2 * POPULATION)
    np.testing.assert_allclose(payments, [[40, 40, 120, 0], [20, 60, 120, 0]])


def test_area_key_sum_zero_gives_nan():
    shares = key_shares(np.array([[0, 1]]), [0, 5])
    assert np.isnan(shares[0, 0])
    assert shares[0, 1] == 1.0


def test_vectorised_pool_split_matches_a_loop():
    names, adjacency, weights = grid()
    space = PartitionSpace(names, adjacency, weights, 9)
    key = np.array([weights[v] for v in names], dtype=float)
    pool = np.arange(1, len(names) + 1, dtype=float) * 100
    for chunk in space.iter_labels(chunk_size=500):
        payments = split_pool(chunk, key, pool)
        for row, paid in zip(chunk[:50], payments[:50], strict=True):
            for label in set(row.tolist()):
                members = [i for i, x in enumerate(row) if x == label]
                area_pool = sum(pool[i] for i in members)
                area_key = sum(key[i] for i in members)
                for i in members:
                    assert paid[i] == pytest.approx(area_pool * key[i] / area_key)
            assert paid.sum() == pytest.approx(pool.sum())


# --- an independent implementation: graphillion's frontier-based decision diagrams -------------


def graphillion_count(nodes, adjacency, weights, threshold) -> int:
    """The legal partitions counted by graphillion (GraphSet.balanced_partitions over the graph's
    edges, vertex weights, lower bound = the threshold). Isolated nodes are not in its universe:
    each must reach the threshold alone."""
    index = {v: i + 1 for i, v in enumerate(nodes)}
    edges = sorted(
        {tuple(sorted((index[a], index[b]))) for a in nodes for b in adjacency.get(a, ())}
    )
    alone = [v for v in nodes if not adjacency.get(v)]
    if any(weights[v] < threshold for v in alone):
        return 0
    if not edges:
        return 1
    GraphSet.set_universe(edges)
    in_universe = {i for e in edges for i in e}
    found = GraphSet.balanced_partitions(
        weight_list={index[v]: int(weights[v]) for v in nodes if index[v] in in_universe},
        lower=threshold,
    )
    return found.len()


@settings(max_examples=examples(40))
@given(graphs(max_nodes=12))
def test_count_matches_graphillion(case):
    nodes, adjacency, weights, threshold = case
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    assert space.count() == graphillion_count(nodes, adjacency, weights, threshold)


def test_count_of_the_real_map_matches_graphillion(pirkanmaa):
    nodes, adjacency, weights = pirkanmaa
    for threshold in (20000, 40000):
        space = PartitionSpace(nodes, adjacency, weights, threshold)
        assert space.count() == graphillion_count(nodes, adjacency, weights, threshold)


def graph_arrays(space: PartitionSpace) -> list[np.ndarray]:
    dag = space.dag
    return [dag.masks, dag.pivots, dag.start, dag.blocks, dag.children]


@pytest.mark.parametrize("threads", [2, 3])
def test_the_build_shared_among_threads_gives_the_same_graph(monkeypatch, threads):
    # the branching is split among the threads as soon as there are two rows: the sets, edges,
    # their order and the components come out exactly as from one thread
    nodes, adjacency, weights = grid()
    monkeypatch.setattr(partitions, "THREADS", 1)
    alone = PartitionSpace(nodes, adjacency, weights, 9)
    assert alone.dag is not None  # built now, in one thread (the graph is built when first used)
    monkeypatch.setattr(partitions, "THREADS", threads)
    monkeypatch.setattr(partitions, "SPLIT_ROWS", 2)
    shared = PartitionSpace(nodes, adjacency, weights, 9)
    assert shared.dag is not None
    for ours, theirs in zip(graph_arrays(shared), graph_arrays(alone), strict=True):
        assert np.array_equal(ours, theirs)
    assert shared.count() == alone.count() > 1000
    assert shared.count_by_areas() == alone.count_by_areas()


def test_the_edges_packed_into_one_sort_come_out_as_from_the_lexsort(monkeypatch):
    # (set, size, mask) packed into one number and sorted, or sorted by numpy's lexsort when they
    # do not fit: the same sets, edges, edge order and components, with and without fixed blocks
    nodes, adjacency, weights = grid()
    cases = [(nodes, adjacency, weights, 9, ()), (nodes, adjacency, weights, 9, [nodes[:3]])]
    rng = random.Random(5)
    cases += [(*random_case(rng, 6 + k % 4), ()) for k in range(6)]
    for case_nodes, case_adjacency, case_weights, threshold, fixed in cases:
        packed = PartitionSpace(case_nodes, case_adjacency, case_weights, threshold, fixed)
        assert packed.dag is not None  # the graph is built when first asked for
        monkeypatch.setattr(partitions, "PACKED_BITS", 0)
        wide = PartitionSpace(case_nodes, case_adjacency, case_weights, threshold, fixed)
        assert wide.dag is not None
        monkeypatch.undo()
        for ours, theirs in zip(graph_arrays(packed), graph_arrays(wide), strict=True):
            assert ours.shape == theirs.shape
            assert np.array_equal(ours, theirs)
        assert packed.count() == wide.count()


@pytest.mark.parametrize("seed", range(12))
def test_threads_match_brute_force(monkeypatch, seed):
    monkeypatch.setattr(partitions, "THREADS", 2)
    monkeypatch.setattr(partitions, "SPLIT_ROWS", 1 + seed % 3)
    nodes, adjacency, weights, threshold = random_case(random.Random(100 + seed), 5 + seed % 5)
    expected = brute_force(nodes, adjacency, weights, threshold)
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    assert set(enumerated(space)) == expected
    assert space.count() == len(expected)


@pytest.mark.parametrize("n", [0, 1, 5, 16, 17, 33, 40])
def test_the_lookup_tables_combine_the_values_of_the_set_bits(n):
    # the tables are made by numpy for ordinary values and by Python for huge ones: either way a
    # mask's sum (or OR) is that of its members' values, computed here bit by bit
    rng = random.Random(n)
    for values in (
        [rng.randrange(0, 500_000) for _ in range(n)],
        [rng.randrange(0, 1 << 62) | 1 << 61 for _ in range(n)],
    ):
        for add in (True, False):
            combine = partitions._lookup(values, n, add)
            for _ in range(200):
                mask = rng.randrange(0, 1 << n) if n else 0
                members = [values[i] for i in range(n) if mask >> i & 1]
                expected = sum(members) if add else functools.reduce(operator.or_, members, 0)
                assert combine(mask) == expected


def test_stable_order_is_numpys_stable_argsort():
    rng = np.random.default_rng(7)
    for bits in (3, 20, 40):
        keys = rng.integers(0, 1 << bits, 5000)
        assert np.array_equal(partitions._stable_order(keys, bits), np.argsort(keys, kind="stable"))
    # keys too wide to pack beside their positions: numpy's own argsort
    keys = rng.integers(0, 1 << 60, 5000)
    assert np.array_equal(partitions._stable_order(keys, 60), np.argsort(keys, kind="stable"))


def test_mask_table_finds_every_mask_and_refuses_others():
    rng = np.random.default_rng(3)
    masks = np.unique(rng.integers(1, 1 << 40, 20000))
    values = np.arange(len(masks), dtype=np.int32)[::-1].copy()
    table = partitions._MaskTable(masks, values)
    asked = rng.permutation(len(masks))
    assert np.array_equal(table(masks[asked]), values[asked])
    missing = np.setdiff1d(np.arange(1, 5000, dtype=np.int64), masks)[:10]
    with pytest.raises(KeyError):
        table(missing)


def test_mask_totals_add_each_masks_members():
    # 40 nodes: the masks span three 16-node tables
    values = [(7 * i) % 11 + 1000 * (i % 3) for i in range(40)]
    masks = np.array([0, 1, 1 << 39, (1 << 40) - 1, 0b1011 << 14, (1 << 16) | (1 << 32)])
    expected = [sum(v for i, v in enumerate(values) if (int(m) >> i) & 1) for m in masks.tolist()]
    assert partitions.mask_totals(masks, values, 40).tolist() == expected
