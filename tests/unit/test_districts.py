"""Every legal partition evaluated (kustannukset.districts) and the command ``kustannukset
aluejaot``: the adapter on hand-made data, the summaries by hand, the evaluation from the blocks
against brute force on small graphs, the pool as a function of an area's members, the export round
trip, and the command line end to end."""

from __future__ import annotations

import csv
import random
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest

from kustannukset.core.errors import InputError
from kustannukset.core.schema import validate
from kustannukset.districts import evaluation, search, summaries
from kustannukset.districts import region as districts
from kustannukset.districts import report as ar
from kustannukset.districts.partitions import (
    PartitionSpace,
    area_count,
    induced_adjacency,
    recursive_partitions,
)
from kustannukset.scenarios.context import default_pool_spec, load_context, second_pool_spec
from kustannukset.scenarios.model import RULE_SCHEMAS, KeyPart, MunicipalityNames
from kustannukset.view.formatting import euros
from tests.conftest import run_cli
from tests.unit.test_partitions import brute_force, graphillion_count

# A path A - B - C - D of four hand-made municipalities.
CODES = ["001", "002", "003", "004"]
NAMES = {"001": "Aa", "002": "Bee", "003": "Cee", "004": "Dee"}
EDGES = [("001", "002"), ("002", "003"), ("003", "004")]
LABOUR = {"001": 15000, "002": 8000, "003": 12000, "004": 9000}
POPULATION = {"001": 30000, "002": 16000, "003": 24000, "004": 20000}
JOBLESS = {"001": 300, "002": 100, "003": 200, "004": 200}


class StubContext:
    """The parts of the scenario context the adapter reads, over hand-made figures."""

    def __init__(self, threshold: int = 20000, decided=(("001", "002"), ("003", "004"))):
        graph = nx.Graph(EDGES)
        self.graph = graph
        self.statistics = SimpleNamespace(
            municipalities=SimpleNamespace(
                in_region_2025=lambda region: list(CODES),
                table=SimpleNamespace(index=list(CODES)),
                members_2025=lambda code: (code,),
                successor=lambda code: code,
            )
        )
        self.names = MunicipalityNames(dict(NAMES))
        self.boundaries = SimpleNamespace(
            neighbours={c: set(graph[c]) for c in CODES},
            components=lambda codes: [
                sorted(p) for p in nx.connected_components(graph.subgraph(codes))
            ],
        )
        self._rules = {
            "tyovoima": {"mittarit": ["tyovoima"], "vuosi": 2021},
            "tyovoimaraja": threshold,
            "tunnusluvut": {
                "asukas": {"mittari": "vakiluku", "vuosi": 2021},
                "tyoton": {"mittari": "tyottomat_18_64", "vuosi": 2019},
            },
        }
        self._figures = {"tyovoima": LABOUR, "vakiluku": POPULATION, "tyottomat": JOBLESS}
        self.statistics.codes_by_year_2025 = lambda measure: {2021: frozenset(CODES)}
        self._decided = SimpleNamespace(
            areas=[SimpleNamespace(members=m) for m in decided],
            members=[c for m in decided for c in m],
            path=Path("paatetty.yaml"),
        )

    def name(self, code):
        return NAMES[code]

    def rule(self, name):
        return SimpleNamespace(value=self._rules[name], status="arvio")

    def spec(self, name):
        # the dict-valued rules read through their declared schemas, as the real context does
        return validate(RULE_SCHEMAS[name], self._rules[name], file="tyollisyysalueet.yaml")

    def values(self, measure, year, codes, *, purpose=""):
        return {c: Fraction(self._figures[measure][c]) for c in codes}

    def division_notes(self, codes):
        return []  # no municipality of these took in another

    def scenario(self, name):
        return self._decided


def stub_basis() -> districts.CostBasis:
    """1 € per inhabitant as each municipality's contribution to its area's pool, split by the
    jobless key."""
    numbers = evaluation.Basis(
        key_weights=(1.0,),
        key_values=np.array([[JOBLESS[c] for c in CODES]], dtype=float),
        pool_fixed=None,
        pool_of_node=np.array([POPULATION[c] for c in CODES], dtype=float),
        population=np.array([POPULATION[c] for c in CODES], dtype=float),
    )
    return districts.CostBasis(
        numbers=numbers,
        key=(KeyPart("tyottomat", Fraction(1), 2021),),
        key_label="työttömät",
        pool_label="1 € asukasta kohden (ESIMERKKI)",
        population_label="väkiluku",
        source="testi",
    )


def test_adapter_reads_labour_force_adjacency_and_threshold():
    region = districts.load_region(StubContext())
    assert region.codes == CODES
    assert region.labour == LABOUR
    assert region.threshold == 20000
    assert region.adjacency["002"] == {"001", "003"}
    # Intervals of the path of at least 20 000: ABCD (44 000) and AB (23 000) | CD (21 000);
    # A alone (15 000), D alone (9 000), ABC | D and A | BCD all fail.
    space = region.space()
    assert space.count() == 2
    assert space.count_by_areas() == {1: 1, 2: 1}


def test_adapter_threshold_option_and_lead_by_labour_force():
    region = districts.load_region(StubContext(), threshold=8000)
    # With 8 000: every block of the path reaching it; the lead of C+D is C (12 000 > 9 000).
    assert region.lead({"003", "004"}) == "003"
    assert region.area_name({"003", "004"}) == "Cee ja 1 muu kunta"
    assert region.area_name({"002", "003", "004"}) == "Cee ja 2 muuta kuntaa"
    assert region.area_name({"001"}) == "Aa"
    # Partitions of the path into intervals of at least 8 000 (A 15, B 8, C 12, D 9 thousand):
    # every cut of the 3 gaps is legal, 2**3 = 8.
    assert region.space().count() == 8


def test_minimal_areas_of_a_municipality():
    region = districts.load_region(StubContext())
    # D (9 000) needs C (21 000); C+D is minimal; B+C+D would not be (B removable).
    assert districts.minimal_areas(region, "004") == [frozenset({"003", "004"})]
    # B (8 000): A+B 23 000 and B+C 20 000 are minimal.
    assert districts.minimal_areas(region, "002") == [
        frozenset({"001", "002"}),
        frozenset({"002", "003"}),
    ]
    table = districts.minimal_areas_table(region, "002")
    assert list(table["Työvoima"]) == [23000, 20000]
    assert table["Kunnat"].iloc[0] == "Bee, Aa"


def test_summaries_by_hand():
    region = districts.load_region(StubContext())
    summary = summaries.summarise(region, stub_basis(), decided="paatetty", top=2)
    assert summary.count == 2
    assert summary.decided_legal
    table = summary.table.set_index("Kuntanumero")
    # All in one area: pool 90 000, jobless 800: A 90 000 * 300/800 = 33 750, B 11 250,
    # C 22 500, D 22 500.
    # AB | CD: AB's pool 46 000 over 400 jobless: A 34 500, B 11 500; CD's 44 000 over 400:
    # C 22 000, D 22 000.
    assert table.loc["001", "Pienin €"] == pytest.approx(33750)
    assert table.loc["001", "Suurin €"] == pytest.approx(34500)
    assert table.loc["001", "Mediaani €"] == pytest.approx((33750 + 34500) / 2)
    assert table.loc["003", "Pienin €"] == pytest.approx(22000)
    assert table.loc["003", "Suurin €"] == pytest.approx(22500)
    # The decided areas are AB | CD: A pays more there than in the other partition (1 below,
    # 1 equal: (1 + 1/2) / 2 = 75 %); C pays less (0 below, 1 equal: 25 %).
    assert table.loc["001", "Päätetyt alueet €"] == pytest.approx(34500)
    assert table.loc["001", "Persentiili %"] == pytest.approx(75.0)
    assert table.loc["003", "Persentiili %"] == pytest.approx(25.0)
    assert table.loc["001", "Päätetyt alueet €/asukas"] == pytest.approx(34500 / 30000)
    assert table.loc["002", "Pienin €/asukas"] == pytest.approx(11250 / 16000)
    # € per inhabitant between municipalities: one area: A 1.125, B 0.703125, C 0.9375,
    # D 1.125, spread 0.421875; AB | CD: A 1.15, B 0.71875, C 0.91667, D 1.1, spread 0.43125.
    # The per-inhabitant pool gives every area 1 € per inhabitant: no spread between areas.
    first, second = summary.top["tasaisin"]
    assert first.blocks == (frozenset(CODES),)
    assert first.spread == pytest.approx(0.421875)
    assert first.area_spread == pytest.approx(0.0)
    assert second.spread == pytest.approx(0.43125)
    assert summary.top["vahiten"][0].areas == 1
    assert summary.top["eniten"][0].areas == 2
    assert summary.top["eniten"][0].blocks == (frozenset({"001", "002"}), frozenset({"003", "004"}))


def test_a_constant_pool_per_area_and_a_mixed_key():
    basis = stub_basis().numbers
    basis.pool_of_node, basis.pool_fixed = None, 1000.0
    basis.key_weights = (0.5, 0.5)
    basis.key_values = np.array(
        [[JOBLESS[c] for c in CODES], [POPULATION[c] for c in CODES]], dtype=float
    )
    labels = np.array([[0, 0, 1, 1]], dtype=np.int8)
    pay = basis.payments(labels)[0]
    # AB: 1 000 * (1/2 * 300/400 + 1/2 * 30 000/46 000) = 375 + 326.087 = 701.087
    assert pay[0] == pytest.approx(375 + 500 * 30000 / 46000)
    # CD: 1 000 * (1/2 * 200/400 + 1/2 * 24 000/44 000) = 250 + 272.727
    assert pay[2] == pytest.approx(250 + 500 * 24000 / 44000)
    assert pay[:2].sum() == pytest.approx(1000) and pay[2:].sum() == pytest.approx(1000)


def test_percentile_definition():
    # 1, 2, 3, 4 against 3: two below, one equal: (2 + 1/2) / 4 = 62.5 %
    assert evaluation.percentile_of(np.array([1.0, 2.0, 3.0, 4.0]), 3.0) == pytest.approx(62.5)


def test_no_partition_says_why():
    region = districts.load_region(StubContext(threshold=50000))
    assert region.space().count() == 0
    assert "alle rajan 50 000" in districts.no_partition_reason(region)


def test_parse_key_normalises_weights_and_rejects_mistakes():
    key = districts.parse_key("vakiluku:2021:1+tyottomat_tyonhakijat_ka:2021:3")
    assert [(p.measure, p.weight, p.year) for p in key] == [
        ("vakiluku", Fraction(1, 4), 2021),
        ("tyottomat_tyonhakijat_ka", Fraction(3, 4), 2021),
    ]
    with pytest.raises(districts.InputError, match="MITTARI:VUOSI"):
        districts.parse_key("vakiluku")


@pytest.fixture(scope="module")
def context():
    return load_context()


def test_scenario_pool_per_inhabitant(context):
    region = districts.load_region(context)
    basis = districts.load_basis(region, "perusura").numbers
    assert basis.pool_of_node is not None and basis.pool_fixed is None
    tampere = region.codes.index("837")
    # The 2023 shared costs with the flat rate, 147 477.33 + 92 971.71 + 49 695.75 + 80 696.07
    # = 370 840.86 €, per inhabitant of 525 320 (31.12.2021), times Tampere's 244 223.
    assert basis.pool_of_node[tampere] == pytest.approx(370840.86 * 244223 / 525320, abs=0.01)


def test_cli_counts_two_municipalities_by_hand():
    # Labour force 31.12.2021 (data/tilastot): Akaa 7 598, Valkeakoski 9 009; they are neighbours.
    # With the threshold 7 598 both alone or together: 2 partitions.
    result = run_cli("aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski", "--raja", "7598")
    assert result.returncode == 0, result.stderr
    assert "Laillisia aluejakoja: 2 " in result.stdout
    assert "1 alue: 1, 2 aluetta: 1" in result.stdout
    # the default pool is the default basis of the 2025 comparisons, the cost model, whose
    # fixed part is an example
    assert "Persentiili" in result.stdout and "potti on ESIMERKKI" in result.stdout


def test_cli_threshold_nobody_meets_is_a_count_of_zero():
    # 7 598 + 9 009 = 16 607 < 20 000
    result = run_cli("aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski")
    assert result.returncode == 0
    assert "Laillisia aluejakoja: 0 " in result.stdout
    assert "Laillisia aluejakoja ei ole" in result.stdout and "alle rajan 20 000" in result.stdout


def test_cli_disconnected_municipalities():
    # Tampere and Sastamala share no boundary: two parts, each on its own.
    result = run_cli("aluejaot", "--vain", "--kunnat", "Tampere", "Sastamala", "--raja", "1")
    assert result.returncode == 0, result.stderr
    assert "2 erillistä osaa" in result.stdout
    assert "Laillisia aluejakoja: 1 " in result.stdout


def test_cli_unknown_municipality_is_one_finnish_line():
    result = run_cli("aluejaot", "--kunnat", "Tamperee")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "tuntematon kunta 'Tamperee'" in result.stderr and "Tampere" in result.stderr


def test_cli_minimal_areas_of_valkeakoski():
    result = run_cli("aluejaot", "--kunta", "Valkeakoski")
    assert result.returncode == 0, result.stderr
    # Valkeakoski 9 009 + Kangasala 15 904 = 24 913; Valkeakoski + Lempäälä 20 800.
    assert "Valkeakoski, Kangasala" in result.stdout and "24 913" in result.stdout
    assert "Valkeakoski, Lempäälä" in result.stdout and "20 800" in result.stdout


def test_cli_writes_a_scenario_that_skenaariot_reads(tmp_path):
    path = tmp_path / "jako.yaml"
    args = ["--vain", "--kunnat", "Akaa", "Valkeakoski", "--raja", "7598"]
    result = run_cli("aluejaot", *args, "--kirjoita", str(path), "--jako", "2")
    assert result.returncode == 0, result.stderr
    shown = run_cli("skenaariot", str(path))
    assert shown.returncode == 0, shown.stderr
    assert "Akaa" in shown.stdout and "Valkeakoski" in shown.stdout
    missing = run_cli("aluejaot", *args, "--kirjoita", str(tmp_path / "x.yaml"), "--jako", "3")
    assert missing.returncode == 2 and "laillisia jakoja on 2" in missing.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_cli_count_agrees_with_the_straightforward_enumerator(context):
    # The decided Tampere area's 16 municipalities: the command's count against the recursive
    # baseline (every connected block of the first unassigned municipality, recursively).
    area = next(a for a in context.scenario("paatetty_2025").areas if a.lead == "837")
    region = districts.load_region(context, area.members, only=True)
    expected = sum(
        1
        for _ in recursive_partitions(
            region.codes, region.adjacency, region.labour, region.threshold
        )
    )
    names = [context.name(c) for c in area.members]
    result = run_cli("aluejaot", "--vain", "--kunnat", *names)
    assert result.returncode == 0, result.stderr
    assert f"Laillisia aluejakoja: {euros(expected)} " in result.stdout


def test_cli_fixed_area_partitions_the_rest(context):
    # Western Pirkanmaa fixed as decided: the partitions of the other 17 municipalities alone.
    _, west = districts.scenario_area(context, "paatetty_2025:2")
    region = districts.load_region(context)
    rest = [c for c in region.codes if c not in west.members]
    alone = PartitionSpace(
        rest,
        induced_adjacency(region.adjacency, rest),
        {c: region.labour[c] for c in rest},
        region.threshold,
    )
    result = run_cli("aluejaot", "--kiinnitetty", "paatetty_2025:2", "--karki", "1")
    assert result.returncode == 0, result.stderr
    assert f"Laillisia aluejakoja: {euros(alone.count())} " in result.stdout
    assert "kiinnitetty: Läntisen Pirkanmaan työllisyysalue" in result.stdout


# --- the evaluation from the blocks, against the listing and brute force -----------------------


def listed(space: PartitionSpace, basis: evaluation.Basis, target=None, labels=None):
    """The listing's figures: every partition's payments (by the listing's formula), each
    municipality's minimum, quartiles (numpy's) and maximum, the percentile against ``target``,
    and the top partitions of each criterion ranked over all partitions."""
    if labels is None:
        labels = np.concatenate(list(space.iter_labels()))
    pay = basis.payments(labels)
    stats = {
        "min": pay.min(axis=0),
        "q1": np.quantile(pay, 0.25, axis=0),
        "median": np.median(pay, axis=0),
        "q3": np.quantile(pay, 0.75, axis=0),
        "max": pay.max(axis=0),
    }
    ranks = None
    if target is not None:
        ranks = [evaluation.percentile_of(pay[:, i], target[i]) for i in range(pay.shape[1])]
    rows, width = len(labels), int(labels.max()) + 1
    flat = labels.astype(np.intp) + (np.arange(rows) * width)[:, None]
    paid = np.bincount(flat.ravel(), weights=pay.ravel(), minlength=rows * width)
    people = np.bincount(
        flat.ravel(),
        weights=np.broadcast_to(basis.population, pay.shape).ravel(),
        minlength=rows * width,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        per_area = np.where(people > 0, paid / people, np.nan).reshape(rows, width)
        per_capita = pay / basis.population
    area_spread = np.nanmax(per_area, axis=1) - np.nanmin(per_area, axis=1)
    area_spread[area_spread < 1e-9] = 0.0
    spread = np.nanmax(per_capita, axis=1) - np.nanmin(per_capita, axis=1)
    spread[spread < 1e-9] = 0.0
    areas = area_count(labels)
    firsts = {
        "tasaisin": np.floor(area_spread * 100 + 0.5),
        "vahiten": areas.astype(float),
        "eniten": -areas.astype(float),
    }
    top = {
        name: np.lexsort((np.arange(rows), spread, first))[:5].tolist()
        for name, first in firsts.items()
    }
    return stats, ranks, top


def evaluated(space: PartitionSpace, basis: evaluation.Basis, target=None):
    n = len(space.nodes)
    count = space.count()
    masks, weights = space.blocks()
    values = basis.blocks(masks, n)
    found = evaluation.distribution(values, weights, count, n)
    stats = {
        "min": found.minimum,
        "q1": found.quartiles[0],
        "median": found.quartiles[1],
        "q3": found.quartiles[2],
        "max": found.maximum,
    }
    ranks = None
    if target is not None:
        ranks = list(evaluation.percentiles(values, weights, count, n, target))
    where = np.searchsorted(masks, space.dag.blocks)
    bound = search.Search(space, values.per_area[where], values.low[where], values.high[where])
    top = {name: [f.index for f in bound.top(name, 5)[0]] for name in search.CRITERIA}
    return stats, ranks, top


def random_basis(rng: random.Random, n: int, fixed: bool, mixed: bool) -> evaluation.Basis:
    # whole numbers, or (every other basis) fractions: the blocks add whole numbers by table
    # look-ups and fractions in node order, and both must give the listing's numbers
    scale = 1.0 if rng.random() < 0.5 else 0.37
    keys = [[rng.randint(1, 50) * scale for _ in range(n)] for _ in range(2 if mixed else 1)]
    return evaluation.Basis(
        key_weights=(0.3, 0.7) if mixed else (1.0,),
        key_values=np.array(keys, dtype=float),
        pool_fixed=float(rng.randint(100, 1000)) if fixed else None,
        pool_of_node=np.array([rng.randint(0, 500) * scale for _ in range(n)], dtype=float),
        population=np.array([rng.randint(10, 90) * scale for _ in range(n)], dtype=float),
    )


def random_graph(rng: random.Random, n: int):
    """A connected random graph (a random tree plus extra edges) with random weights."""
    nodes = [f"k{i}" for i in range(n)]
    adjacency = {v: set() for v in nodes}
    for i in range(1, n):
        j = rng.randrange(i)
        adjacency[nodes[i]].add(nodes[j])
        adjacency[nodes[j]].add(nodes[i])
    for _ in range(n // 2):
        a, b = rng.sample(nodes, 2)
        adjacency[a].add(b)
        adjacency[b].add(a)
    weights = {v: rng.randint(1, 9) for v in nodes}
    return nodes, adjacency, weights, rng.randint(3, 12)


@pytest.mark.parametrize("seed", range(30))
def test_distributions_percentiles_and_top_lists_match_the_listing(seed):
    # The figures from the blocks are the listing's own floating-point numbers: compared exactly.
    rng = random.Random(seed)
    nodes, adjacency, weights, threshold = random_graph(rng, rng.randint(4, 10))
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    if not space.count():
        pytest.skip("no legal partition")
    basis = random_basis(rng, len(nodes), fixed=seed % 2 == 0, mixed=seed % 3 == 0)
    one = space.labels_of([nodes])  # everything as one area, legal or not
    target = basis.payments(one[None, :])[0] * 1.01
    listing = listed(space, basis, target)
    blocks = evaluated(space, basis, target)
    for name in listing[0]:
        assert np.array_equal(blocks[0][name], listing[0][name]), name
    assert blocks[1] == listing[1]
    assert blocks[2] == listing[2]


def test_brute_force_agrees_with_the_listing_that_the_comparison_uses():
    # The listing compared above is itself every legal partition once (brute force: every set
    # partition filtered by the rules).
    rng = random.Random(7)
    nodes, adjacency, weights, threshold = random_graph(rng, 8)
    space = PartitionSpace(nodes, adjacency, weights, threshold)
    listed_partitions = {frozenset(p) for p in space.iter_partitions()}
    assert listed_partitions == brute_force(nodes, adjacency, weights, threshold)


def test_quartiles_by_hand():
    # Values 10 (twice), 20, 40 (three times): 6 in all, sorted 10 10 20 40 40 40. numpy's linear
    # quantiles: position (6 - 1) * 0.25 = 1.25 -> 10 + 0.25 * (20 - 10) = 12.5; the median the
    # mean of the 3rd and 4th, (20 + 40) / 2 = 30; position 3.75 -> 40.
    low, (q1, median, q3), high = evaluation.weighted_summary(
        np.array([40.0, 10.0, 20.0]), np.array([3, 2, 1]), 6
    )
    assert (low, q1, median, q3, high) == (10.0, 12.5, 30.0, 40.0, 40.0)
    assert q1 == np.quantile([10, 10, 20, 40, 40, 40], 0.25)


def test_cost_model_pool_is_a_fixed_part_and_a_sum_over_members(context):
    # The cost model's pool: 400 000 € per area (ESIMERKKI) plus the calibrated euros per
    # unemployed jobseeker (2022) of each member; read back as fixed part + contributions.
    region = districts.load_region(context)
    fixed, parts = districts.affine_pool(
        context, default_pool_spec(context), districts.default_key(context), region.codes
    )
    assert fixed == 400000
    jobless = context.values("tyottomat_tyonhakijat_ka", 2022, region.codes)
    rates = {parts[i] / jobless[c] for i, c in enumerate(region.codes)}
    assert len(rates) == 1  # the same euros per jobseeker for every municipality
    (rate,) = rates
    # calibrated: (70 900 000 - 400 000) / the Tampere area's 16 municipalities' jobseekers
    area = context.scenario("paatetty_2025").areas[0].members
    assert rate == (70900000 - 400000) / sum(
        context.values("tyottomat_tyonhakijat_ka", 2022, area).values()
    )


def test_funding_pool_has_no_fixed_part(context):
    # the second view of the 2025 comparisons: each area's pool is its members' funding estimates
    region = districts.load_region(context)
    fixed, parts = districts.affine_pool(
        context, second_pool_spec(context), districts.default_key(context), region.codes
    )
    assert fixed is None and all(p > 0 for p in parts)
    basis = districts.load_basis(region)
    assert basis.numbers.pool_fixed == 400000  # the default basis, the cost model
    assert basis.key_label.startswith("Työvoima")  # the default key: the labour force
    assert basis.funding_label and basis.numbers.funding is not None


def test_a_region_too_large_is_refused_before_anything_is_built(context):
    region = districts.load_region(context)
    with pytest.raises(InputError, match="liian suuri tarkkaan laskentaan"):
        region.space(memory_limit=1000)


def test_region_names(context):
    assert districts.resolve_region(context, "pirkanmaa") == "Pirkanmaa"
    with pytest.raises(InputError, match="tarkoititko 'Uusimaa'"):
        districts.resolve_region(context, "Uusimaaa")
    with pytest.raises(InputError, match="ei kuulu työllisyysalueuudistukseen"):
        districts.resolve_region(context, "Ahvenanmaa")
    assert "Ahvenanmaan maakunta" not in districts.mainland_regions(context)
    assert len(districts.mainland_regions(context)) == 18


def test_decided_areas_of_the_whole_country(context):
    # 45 areas, 292 municipalities of the 2025 division (Pertunmaa in Mäntyharju), six by the
    # exception of 30.11.2023.
    scenario = context.scenario("paatetty_2025_suomi")
    assert len(scenario.areas) == 45
    assert len(scenario.members) == len(set(scenario.members)) == 292
    assert "588" not in scenario.members
    exceptions = {a.name for a in scenario.areas if a.exception}
    assert exceptions == {
        "Hanko-Inkoo-Raasepori",
        "Pietarsaaren seutu",
        "Savonlinna",
        "Ylä-Savo",
        "Tunturi-Lappi - Pello",
        "Pohjois- ja Itä-Lappi",
    }
    # Pirkanmaa's part: the Tampere area (16), western Pirkanmaa (6) and Mänttä-Vilppula, whose
    # area (Eteläinen Keski-Suomi) crosses the border
    areas = districts.decided_areas_in(
        context, districts.region_municipalities(context, "Pirkanmaa")
    )
    assert {(a.name, len(a.members), crossing) for a, crossing in areas} == {
        ("Tampereen seutu", 16, False),
        ("Läntinen Pirkanmaa", 6, False),
        ("Eteläinen Keski-Suomi", 8, True),
    }


def test_cli_region_errors_are_one_finnish_line():
    result = run_cli("aluejaot", "--maakunta", "Uusimaaa")
    assert result.returncode == 2 and result.stdout == ""
    assert "tuntematon maakunta 'Uusimaaa' (tarkoititko 'Uusimaa'?)" in result.stderr
    result = run_cli("aluejaot", "--maakunta", "Ahvenanmaa")
    assert result.returncode == 2 and "ei kuulu työllisyysalueuudistukseen" in result.stderr
    # a key whose figures are not in the data: the figure and how to fetch it, no payments
    result = run_cli("aluejaot", "--maakunta", "Kymenlaakso", "--avain", "tyolliset:2021")
    assert result.returncode == 0, result.stderr
    assert "Maksuja ei voi laskea" in result.stdout
    assert "2021 puuttuu kunnalta Hamina (075)" in result.stdout
    assert "kustannukset data paivita --vuodet 2021 --kunnat 075" in result.stdout


def test_cli_a_small_region_by_hand():
    # Kymenlaakso's 6 municipalities (labour force 31.12.2021, data/tilastot/tyovoima.csv): Kotka
    # 22 543 and Kouvola 35 611 reach 20 000; Hamina 8 614, Miehikkälä 732, Pyhtää 2 319 and
    # Virolahti 1 291 together 12 956 do not, so every area holds Kotka or Kouvola. One area, or
    # two: Miehikkälä and Virolahti touch only Hamina and each other, so they go where Hamina
    # goes; Hamina and Pyhtää each border both Kotka and Kouvola: 2 * 2 = 4. In all 1 + 4 = 5.
    result = run_cli("aluejaot", "--maakunta", "Kymenlaakso", "--karki", "1")
    assert result.returncode == 0, result.stderr
    assert "Kymenlaakso: Kunnat (6, kuntajako 2025)" in result.stdout
    assert "Laillisia aluejakoja: 5 " in result.stdout
    assert "1 alue: 1, 2 aluetta: 4" in result.stdout


# --- the 2025 municipal division: Pertunmaa (588) merged into Mäntyharju (507) on 1.1.2025 -------


def test_etela_savo_is_partitioned_on_the_2025_division(context):
    region = districts.load_region(context, region="Etelä-Savo")
    # data/kunnat.csv: Pertunmaa's kunta_2025 is 507, so the region's 12 register municipalities
    # are 11 of the 2025 division, and Pertunmaa is no node of its own
    assert len(region.codes) == 11 and "588" not in region.codes and "507" in region.codes
    # labour force 31.12.2021 (data/tilastot/tyovoima.csv): Mäntyharju 2 202 + Pertunmaa 625
    assert region.labour["507"] == 2202 + 625 == 2827
    assert any(
        "Mäntyharju (507) = Mäntyharju 2 202 + Pertunmaa (588) 625 = 2 827" in note
        for note in region.division_notes
    )
    # the 2023 map: Mäntyharju borders Hirvensalmi 097 and Mikkeli 491 inside the region (and
    # Heinola, Kouvola, Savitaipale and Pertunmaa outside it or merged); Pertunmaa borders
    # Hirvensalmi and Mäntyharju. So in the region the merged Mäntyharju borders Hirvensalmi and
    # Mikkeli, and Hirvensalmi borders Mäntyharju, not a Pertunmaa.
    assert region.adjacency["507"] == {"097", "491"}
    assert "507" in region.adjacency["097"] and "588" not in region.adjacency["097"]
    # Pertunmaa's neighbours beyond the region, Joutsa 172 and Hartola 081, border Mäntyharju
    # on the 2025 division; Kouvola 286 borders Mäntyharju itself
    assert districts.division_adjacency(context, ["507", "081", "172", "286"])["507"] == {
        "081",
        "172",
        "286",
    }
    # the count against two independent enumerations of the same graph: the plain recursive
    # enumerator (partition by partition) and graphillion's decision diagrams
    space = region.space()
    listed = {frozenset(p) for p in space.iter_partitions()}
    plain = {
        frozenset(p)
        for p in recursive_partitions(
            region.codes, region.adjacency, region.labour, region.threshold
        )
    }
    assert listed == plain
    assert space.count() == len(plain) == 13
    assert space.count() == graphillion_count(
        region.codes, region.adjacency, region.labour, region.threshold
    )
    # only Mikkeli (23 475) reaches 20 000 alone and the region totals 55 795: a second area
    # would need 20 000 of the other 32 320, a third 40 000, so one or two areas
    assert sum(region.labour.values()) == 55795
    assert space.count_by_areas() == {1: 1, 2: 12}
    # the decided areas of 2025 now cover the region (Pertunmaa was outside the 2025 scenario)
    assert districts.decided_blocks(region) is not None


def test_mantyharju_carries_pertunmaas_key_pool_population_and_funding(context):
    region = districts.load_region(context, region="Etelä-Savo")
    basis = districts.load_basis(region)
    numbers, i = basis.numbers, region.codes.index("507")
    # the key, the labour force 31.12.2021: 2 202 + 625
    assert numbers.key_values[0, i] == 2827
    # the population 31.12.2021 (data/tilastot/vakiluku.csv): 5 635 + 1 644
    assert numbers.population[i] == 5635 + 1644
    # the pool, the cost model: the euros per unemployed jobseeker times the jobseekers (the
    # yearly mean of 2022, data/tilastot/tyottomat_tyonhakijat_ka.csv): 205,17 + 61,08 = 266,25
    tampere = context.scenario("paatetty_2025").areas[0].members
    rate = Fraction(70900000 - 400000) / sum(
        context.values("tyottomat_tyonhakijat_ka", 2022, tampere).values()
    )
    assert numbers.pool_of_node[i] == pytest.approx(float(rate * Fraction("266.25")), abs=1e-6)
    # the state funding estimate is of the 2025 division: 627 954 000 € by 50 % the 15–64-year-
    # olds 31.12.2022 and 50 % the jobseekers' mean of 2022, 30 000 000 € by the foreign-language
    # speakers 31.12.2023, over the 292 mainland municipalities of 2025 (summed here from the rows
    # of data/tilastot/); Mäntyharju's figures: 2 782 + 797, 205,17 + 61,08, and 298 (a figure of
    # the 2025 division that includes Pertunmaa)
    whole = {
        measure: _mainland_sum(context, measure, year)
        for measure, year in (
            ("tyoikaiset_15_64", 2022),
            ("tyottomat_tyonhakijat_ka", 2022),
            ("vieraskieliset", 2023),
        )
    }
    exact = (
        627954000
        * (
            Fraction(1, 2) * (2782 + 797) / whole["tyoikaiset_15_64"]
            + Fraction(1, 2)
            * (Fraction("205.17") + Fraction("61.08"))
            / whole["tyottomat_tyonhakijat_ka"]
        )
        + 30000000 * Fraction(298) / whole["vieraskieliset"]
    )
    assert abs(Fraction(numbers.funding[i]) - exact) < 1  # whole euros, rounded once nationally
    assert any("Mäntyharju (507) arvio sisältää kunnan Pertunmaa (588)" in n for n in basis.notes)
    assert any("Pertunmaa (588) 61,08 = 266,25" in n for n in basis.notes)
    assert any("Mäntyharju 5 635 + Pertunmaa (588) 1 644 = 7 279" in n for n in basis.notes)


def _mainland_sum(context, measure: str, year: int) -> Fraction:
    """A measure's total over mainland Finland, added up from the rows of its statistics file."""
    table = context.statistics.municipalities.table
    mainland = set(table.index[table["maakunta"] != "Ahvenanmaan maakunta"])
    path = Path(context.data_dir) / "tilastot" / f"{measure}.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [
            r for r in csv.DictReader(handle) if r["vuosi"] == str(year) and not r.get("kuukausi")
        ]
    assert rows
    return sum((Fraction(r["arvo"]) for r in rows if r["kuntanumero"] in mainland), Fraction(0))


def test_a_merged_municipality_is_refused_by_name(context):
    with pytest.raises(
        InputError, match=r"Pertunmaa ei ole kunta vuoden 2025 kuntajaossa.*Mäntyharju"
    ):
        districts.load_region(context, ["Pertunmaa"], only=True)


@pytest.mark.parametrize("buckets", [1, 2, 3])
def test_the_selection_is_exact_whatever_the_buckets(monkeypatch, buckets):
    # A municipality's k-th smallest payment is looked for in buckets of its payments; with one,
    # two or three buckets many payments share one, and the figures are still the listing's.
    monkeypatch.setattr(evaluation, "BUCKETS", buckets)
    for seed in range(8):
        rng = random.Random(100 + seed)
        nodes, adjacency, weights, threshold = random_graph(rng, rng.randint(5, 10))
        space = PartitionSpace(nodes, adjacency, weights, threshold)
        if not space.count():
            continue
        basis = random_basis(rng, len(nodes), fixed=seed % 2 == 0, mixed=seed % 3 == 0)
        target = basis.payments(space.labels_of([nodes])[None, :])[0]
        listing, blocks = listed(space, basis, target), evaluated(space, basis, target)
        for name in listing[0]:
            assert np.array_equal(blocks[0][name], listing[0][name]), name
        assert blocks[1] == listing[1]


def test_the_reports_national_table_is_kept_by_a_digest_of_the_data_and_the_program(
    monkeypatch, tmp_path
):
    # The regions' table takes seconds: the report keeps it in the user's cache folder, by a
    # digest of the data folder and the package, and makes it again when the file is unreadable.
    made = []

    def national(context, spaces=None):
        made.append(sorted(spaces or {}))
        return summaries.national_frame(
            [
                {
                    "Maakunta": "Kymenlaakso",
                    "Kuntia": 6,
                    "Työvoima": 71110,
                    "Laillisia jakoja": 5,
                    "Alueiden määrän mukaan": "1: 1, 2: 4",
                    "Päätetyt alueet 2025": "Kouvola (1 kuntaa)",
                    "Voisi järjestää yksin": "Kotka, Kouvola",
                    "Huom": "",
                }
            ]
        )

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(summaries, "national", national)
    data = tmp_path / "data"
    data.mkdir()
    (data / "kunnat.csv").write_text("a", encoding="utf-8")
    report = SimpleNamespace(
        region=SimpleNamespace(context=SimpleNamespace(data_dir=data), name="Pirkanmaa", fixed=()),
        space="pirkanmaan jaot",
    )
    first = ar.national(report)
    again = ar.national(report)
    assert made == [["Pirkanmaa"]]  # once, with the report's own partitions
    assert again.equals(first) and again.loc[0, "Laillisia jakoja"] == 5
    (cached,) = (tmp_path / "kustannukset").glob("aluejaot-koko-maa-*.json")
    cached.write_text("{rikki", encoding="utf-8")
    assert ar.national(report).equals(first) and len(made) == 2
    # another data folder content: another digest, made again
    (data / "kunnat.csv").write_text("b", encoding="utf-8")
    ar.national(report)
    assert len(made) == 3
    # each new digest adds a table; only the newest ones stay, the one just made among them
    for version in "cdefg":
        (data / "kunnat.csv").write_text(version, encoding="utf-8")
        ar.national(report)
    tables = list((tmp_path / "kustannukset").glob("aluejaot-koko-maa-*.json"))
    assert len(tables) == ar.KEPT_TABLES
    newest = max(tables, key=lambda p: p.stat().st_mtime_ns)
    (data / "kunnat.csv").write_text("g", encoding="utf-8")
    ar.national(report)
    assert len(made) == 8  # "g" is still kept: not made again
    assert newest.exists()


def test_headline_of_the_report_by_hand():
    region = districts.load_region(StubContext())
    summary = summaries.summarise(region, stub_basis(), decided="paatetty", top=2)
    head = summaries.headline(summary)
    # Two legal partitions of the path (all in one; AB | CD): one of 1 area and one of 2.
    assert (head.municipalities, head.count) == (4, 2)
    assert (head.fewest_areas, head.most_areas) == (1, 2)
    # a tie between 1 and 2 areas (one partition each): the fewer areas named
    assert (head.usual_areas, head.usual_count) == (1, 1)
    assert head.alone == []  # nobody reaches 20 000 alone (A 15 000 is the largest)
    assert head.decided_legal
    # Payments (see test_summaries_by_hand): one area A 33 750, B 11 250, C 22 500, D 22 500;
    # AB | CD (decided) A 34 500, B 11 500, C 22 000, D 22 000. Median of two = their mean:
    # A 34 125 (decided +375), B 11 375 (+125), C 22 250 (-250), D 22 250 (-250).
    over = {s.name: s.over for s in head.standings}
    assert over == pytest.approx({"Aa": 375, "Bee": 125, "Cee": -250, "Dee": -250})
    assert [s.name for s in head.above_median] == ["Aa", "Bee"]
    assert [s.name for s in head.below_median] == ["Cee", "Dee"]
    assert head.most_over.name == "Aa"
    assert head.most_under.over == pytest.approx(-250)


def test_headline_names_who_could_stand_alone():
    region = districts.load_region(StubContext(), threshold=12000)
    head = summaries.headline(summaries.summarise(region, stub_basis(), decided=None, top=1))
    # With 12 000: A (15 000) and C (12 000) reach it alone, B (8 000) and D (9 000) do not.
    assert head.alone == ["Aa", "Cee"]
    assert head.standings == []  # no decided areas, nothing to compare
