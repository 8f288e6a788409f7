"""The scenario engines: properties of the exact division, the vectorised engine against it,
sensitivity, and the state-funding estimate."""

from __future__ import annotations

import math
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import divide_area, evaluate, mixed_shares
from kustannukset.scenarios.fast import VectorEngine, engine_for, moved, random_weights, sensitivity
from kustannukset.scenarios.funding import funding_estimate, key_figures, national_allocation
from kustannukset.scenarios.model import (
    POOL_PER_CAPITA_2023,
    Area,
    KeyPart,
    Pool,
    PoolSpec,
    Scenario,
    basis_spec,
    on_basis,
)
from tests.conftest import examples
from tests.unit.test_scenarios import write_mini_data, write_scenario

MEASURES = ("vakiluku", "tyottomat_18_64", "vieraskieliset")


class StubContext:
    """Just what the exact engine asks of a context: figures, names and pools."""

    def __init__(self, values: dict[str, dict[str, int]]):
        self._values = values

    def values(self, measure, year, codes, *, purpose=""):
        return {c: Fraction(self._values[measure][c]) for c in codes}

    def name(self, code):
        return f"kunta {code}"

    def pool(self, spec: PoolSpec, area=None) -> Pool:
        return Pool(spec.services, spec.label, spec.status)

    def remember(self, key, make):
        return make()  # nothing kept: each test case computes afresh


def make_area(name, members, lead, weights, pool_euros):
    key = tuple(KeyPart(m, Fraction(w), 2019) for m, w in zip(MEASURES, weights, strict=True) if w)
    services = tuple((f"palvelu {i}", Fraction(e)) for i, e in enumerate(pool_euros))
    return Area(
        name,
        lead,
        tuple(members),
        None,
        key,
        PoolSpec(None, 1, services, "testi", "esimerkki", 1),
        1,
    )


def make_scenario(areas, discounts=None, carrier="ei_kukaan"):
    return Scenario("x", "x", "", "", tuple(areas), discounts or {}, carrier, Path("x.yaml"))


@st.composite
def setups(draw):
    n = draw(st.integers(2, 9))
    codes = [f"{100 + i:03d}" for i in range(n)]
    values = {m: {c: draw(st.integers(1, 250_000)) for c in codes} for m in MEASURES}
    cut = sorted(draw(st.sets(st.integers(1, n - 1), max_size=3)))
    groups = [codes[a:b] for a, b in zip([0, *cut], [*cut, n], strict=True)]
    raw = draw(st.lists(st.integers(0, 10), min_size=3, max_size=3).filter(any))
    weights = [Fraction(w, sum(raw)) for w in raw]
    pools = [
        draw(st.lists(st.integers(0, 500_000), min_size=1, max_size=4).filter(any)) for _ in groups
    ]
    discounts = {c: Fraction(draw(st.integers(0, 100))) for c in codes if draw(st.booleans())}
    carrier = draw(st.sampled_from(["ei_kukaan", "vastuukunta", "muut"]))
    return values, groups, weights, pools, discounts, carrier


@settings(max_examples=examples(60), deadline=None)
@given(setups(), st.randoms(use_true_random=False))
def test_payments_add_up_to_each_pool_and_order_does_not_matter(setup, rnd):
    values, groups, weights, pools, _, _ = setup
    context = StubContext(values)
    areas = [
        make_area(f"alue {i}", g, g[0], weights, p)
        for i, (g, p) in enumerate(zip(groups, pools, strict=True))
    ]
    scenario = make_scenario(areas)
    results = {a.name: divide_area(context, scenario, a).payments for a in areas}
    for area, pool in zip(areas, pools, strict=True):
        # no discounts: the payments add up to the pool (integer euros) to the euro
        assert sum(results[area.name].values()) == sum(pool)
    # shuffle members inside each area and the areas themselves
    shuffled = []
    for area in areas:
        members = list(area.members)
        rnd.shuffle(members)
        shuffled.append(make_area(area.name, members, area.lead, weights, pools[areas.index(area)]))
    rnd.shuffle(shuffled)
    again = {a.name: divide_area(context, make_scenario(shuffled), a).payments for a in shuffled}
    assert again == results


@settings(max_examples=examples(60), deadline=None)
@given(setups())
def test_vector_engine_agrees_with_the_exact_engine(setup):
    values, groups, weights, pools, discounts, carrier = setup
    # 'muut' needs someone without a discount in each area (otherwise an error, tested below)
    assume(carrier != "muut" or all(any(not discounts.get(c) for c in g) for g in groups))
    context = StubContext(values)
    areas = [
        make_area(f"alue {i}", g, g[-1], weights, p)
        for i, (g, p) in enumerate(zip(groups, pools, strict=True))
    ]
    scenario = make_scenario(areas, discounts, carrier)
    exact = {}
    for area in areas:
        exact.update(divide_area(context, scenario, area).exact)
    codes = [c for g in groups for c in g]
    engine = VectorEngine(
        codes=codes,
        names=codes,
        area_names=[a.name for a in areas],
        area_index=np.array([i for i, g in enumerate(groups) for _ in g]),
        pools=np.array([float(sum(p)) for p in pools]),
        lead_index=np.array([codes.index(a.lead) for a in areas]),
        measures=[(m, 2019) for m in MEASURES],
        values=np.array([[values[m][c] for c in codes] for m in MEASURES], dtype=float),
        discount=np.array([float(discounts.get(c, 0)) / 100 for c in codes]),
        carrier=carrier,
    )
    got = engine.payments(np.array([float(w) for w in weights]))[0]
    expected = np.array([float(exact[c]) for c in codes])
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-6)


def test_others_cannot_carry_when_everyone_has_a_discount():
    context = StubContext({m: {"001": 1, "002": 1} for m in MEASURES})
    area = make_area("alue", ["001", "002"], "001", [1, 0, 0], [100])
    scenario = make_scenario([area], {"001": Fraction(10), "002": Fraction(20)}, "muut")
    with pytest.raises(InputError, match="kaikilla kunnilla on alennus"):
        divide_area(context, scenario, area)


def test_mixed_shares_by_hand():
    values = {
        "vakiluku": {"a": Fraction(3), "b": Fraction(1)},
        "vieraskieliset": {"a": Fraction(1), "b": Fraction(1)},
    }
    key = (
        KeyPart("vakiluku", Fraction(1, 4), 2021),
        KeyPart("vieraskieliset", Fraction(3, 4), 2019),
    )
    # a: 1/4 * 3/4 + 3/4 * 1/2 = 3/16 + 6/16 = 9/16
    assert mixed_shares(values, key) == {"a": Fraction(9, 16), "b": Fraction(7, 16)}


def test_moving_a_weight_keeps_the_sum():
    assert moved(np.array([0.5, 0.3, 0.2]), 0, 0.1) == pytest.approx([0.6, 0.24, 0.16])
    assert moved(np.array([1.0, 0.0, 0.0]), 0, -0.1) == pytest.approx([0.9, 0.05, 0.05])
    assert moved(np.array([1.0, 0.0]), 0, +0.1) == pytest.approx([1.0, 0.0])


def test_sensitivity_by_hand():
    # one area, pool 1000, two measures: a has shares 3/4 and 1/4, b 1/4 and 3/4
    engine = VectorEngine(
        codes=["001", "002"],
        names=["A", "B"],
        area_names=["alue"],
        area_index=np.array([0, 0]),
        pools=np.array([1000.0]),
        lead_index=np.array([0]),
        measures=[("vakiluku", 2021), ("vieraskieliset", 2019)],
        values=np.array([[3.0, 1.0], [1.0, 3.0]]),
        discount=np.zeros(2),
    )
    table = sensitivity(engine, np.array([0.5, 0.5]), delta=0.1).set_index(["Kunta", "Mittari"])
    # population weight 0.6: A pays 1000 * (0.6 * 3/4 + 0.4 * 1/4) = 550 against 500
    assert table.loc[("A", "Väkiluku 31.12.2021"), "Paino ylös €"] == pytest.approx(50)
    assert table.loc[("A", "Väkiluku 31.12.2021"), "Paino alas €"] == pytest.approx(-50)
    assert table.loc[("B", "Väkiluku 31.12.2021"), "Paino ylös €"] == pytest.approx(-50)


def test_vector_engine_on_real_data_matches_the_exact_payments():
    context = load_context()
    # August 2023 on the experiment's costs per inhabitant: pools worked out by hand below
    scenario = on_basis(context.scenario("elokuu_2023"), basis_spec(POOL_PER_CAPITA_2023))
    engine = engine_for(context, scenario)
    result = evaluate(context, scenario, with_funding=False)
    weights = engine.weights_of(scenario.areas[0].key)
    table = engine.table(weights).set_index("Kunta")["Maksuosuus €"]
    exact = result.municipalities.set_index("Kunta")["Maksuosuus €"]
    # simple rounding against largest remainder: at most 1 € apart for a one-service... four
    # services here, so within 4 €
    assert (table - exact.loc[table.index]).abs().max() <= 4
    rng = np.random.default_rng(5)
    mixes = engine.payments(random_weights(rng, 100, len(engine.measures)))
    # Each area's pool: the 2023 cost per inhabitant (Kulut/vuosi 316 958 + 17 %, over the
    # 525 320 inhabitants of 31.12.2021) times the area's population 31.12.2021 (price table; and
    # Kuhmoinen 2 158): west 23 998 + 10 337 + 6 877 + 1 808 + 6 286 + 2 721 = 52 027,
    # Valkeakoski 20 695, Mänttä-Vilppula 9 563, Tampere's 15: 525 320 - 52 027 - 20 695 - 9 563
    # + 2 158 = 445 193.
    per_inhabitant = 316958 * 1.17 / 525320
    areas = {"Tampere": 445193, "west": 52027, "Valkeakoski": 20695, "Mänttä-Vilppula": 9563}
    pools = per_inhabitant * np.array(list(areas.values()))
    per_area = mixes @ engine._onehot
    np.testing.assert_allclose(per_area, np.broadcast_to(pools, per_area.shape), rtol=1e-7)


# --- state funding -----------------------------------------------------------------------------------


TWO_AREAS = """
nimi: v
jakoperuste: {vakiluku: {paino: 1, vuosi: 2021}}
potti: {peruste: kokeilu_2023}
alueet:
  - {nimi: A, vastuukunta: Tampere, jasenet: [Tampere, Pirkkala, Nokia]}
  - {nimi: B, vastuukunta: Sastamala, jasenet: [Sastamala, Kihniö]}
"""


def _funding_data(tmp_path: Path, total: int, foreign: int) -> Path:
    data = write_mini_data(
        tmp_path / "data",
        extra={
            "tyoikaiset_15_64": {"837": 600, "604": 200, "536": 100, "790": 80, "250": 20},
            "vieraskieliset": {"837": 50, "604": 20, "536": 20, "790": 10, "250": 0},
            # the unemployment criterion: the same figures as the mini data's unemployed
            "tyottomat_tyonhakijat_ka": {
                "837": 1000,
                "604": 500,
                "536": 500,
                "790": 600,
                "250": 100,
            },
        },
    )
    path = data / "parametrit" / "valtionosuus.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("arvo: 657954000", f"arvo: {total}").replace(
        "arvo: 30000000", f"arvo: {foreign}"
    )
    text = text.replace("{arvo: 292, lahde: kuntaluokitus}", "{arvo: 5, lahde: kuntaluokitus}")
    # the five test municipalities are all in Pirkanmaa: no region to leave out
    text = text.replace(
        "{arvo: [Ahvenanmaan maakunta], lahde: kuntaluokitus}", "{arvo: [], lahde: kuntaluokitus}"
    )
    path.write_text(text, encoding="utf-8")
    return data


def test_a_misspelt_region_to_leave_out_is_an_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "parametrit" / "valtionosuus.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[Ahvenanmaan maakunta]", "[Ahvenanmaa]"), encoding="utf-8")
    with pytest.raises(InputError, match="maakuntaa Ahvenanmaa ei ole kuntarekisterissä") as exc:
        national_allocation(load_context(data))
    assert exc.value.row == 105  # the line of ulkopuolella's value


def test_state_funding_estimate_by_hand(tmp_path):
    data = _funding_data(tmp_path, total=1_100_000, foreign=100_000)
    context = load_context(data)
    amounts, missing = national_allocation(context)
    assert missing == []
    # Kihniö: 1 000 000 * (0.5 * 20/1000 + 0.5 * 100/2700) + 100 000 * 0/100
    assert amounts["250"] == 1_000_000 * (
        Fraction(1, 2) * Fraction(20, 1000) + Fraction(1, 2) * Fraction(100, 2700)
    )
    # Tampere: 1 000 000 * (0.5 * 600/1000 + 0.5 * 1000/2700) + 100 000 * 50/100
    assert amounts["837"] == 1_000_000 * (Fraction(3, 10) + Fraction(1000, 5400)) + 50_000
    assert sum(amounts.values()) == 1_100_000
    scenario = context.scenario(write_scenario(data, TWO_AREAS))
    estimate = funding_estimate(context, scenario)
    assert estimate.by_area["A"] + estimate.by_area["B"] == 1_100_000
    assert "ARVIO" in estimate.note


def test_state_funding_leaves_out_a_municipality_with_a_missing_figure(tmp_path):
    data = _funding_data(tmp_path, total=1_100_000, foreign=100_000)
    path = data / "tilastot" / "tyoikaiset_15_64.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if ",250,Kihniö," not in line) + "\n")
    context = load_context(data)
    amounts, missing = national_allocation(context)
    assert missing == ["250"]
    # Kihniö out of every denominator: Tampere 1 000 000 * (0.5 * 600/980 + 0.5 * 1000/2600)
    # + 100 000 * 50/100
    assert amounts["837"] == (
        1_000_000 * (Fraction(1, 2) * Fraction(600, 980) + Fraction(1, 2) * Fraction(1000, 2600))
        + 50_000
    )
    scenario = context.scenario(write_scenario(data, TWO_AREAS))
    estimate = funding_estimate(context, scenario)
    assert estimate.by_area["B"] is None and estimate.by_area["A"] is not None
    assert "Jakajasta puuttuu Kihniö (250)" in estimate.note


# every municipality of the 2025 division of the merger data, with a figure of 2024
LATER = [
    ("837", "Tampere"),
    ("604", "Pirkkala"),
    ("536", "Nokia"),
    ("790", "Sastamala"),
    ("250", "Kihniö"),
    ("507", "Mäntyharju"),
]


def _merger_data(tmp_path: Path) -> Path:
    """The funding data with Mäntyharju and Pertunmaa (kunta_2025: Mäntyharju) added: their
    2019 criteria figures of the 2023 division, except the foreign-language count, which is given
    on the 2025 division (Mäntyharju's only); and a newer year (2024) of working-age figures that
    the estimate for 2025 cannot have used (tilastovuosi_enintaan 2023)."""
    data = _funding_data(tmp_path, total=1_100_000, foreign=100_000)
    register = data / "kunnat.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    lines = [lines[0].replace(",lahde", ",kunta_2025,lahde")] + [
        line.replace(",kyllä,", ",kyllä,,") for line in lines[1:]
    ]
    lines += ["507,Mäntyharju,Etelä-Savo,ei,,testi", "588,Pertunmaa,Etelä-Savo,ei,507,testi"]
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    source = "esimerkkiluku testiä varten"
    extra = {
        "tyoikaiset_15_64": [
            "507,Mäntyharju,2019,60,",
            "588,Pertunmaa,2019,20,",
            *(f"{code},{name},2024,1000," for code, name in LATER),
        ],
        "tyottomat_tyonhakijat_ka": ["507,Mäntyharju,2019,150,", "588,Pertunmaa,2019,50,"],
        "vieraskieliset": ["507,Mäntyharju,2019,10,2025"],
    }
    for measure, rows in extra.items():
        path = data / "tilastot" / f"{measure}.csv"
        old = path.read_text(encoding="utf-8").splitlines()
        out = [old[0] + ",kuntajako"] + [line + "," for line in old[1:]]
        for row in rows:
            code, name, year, value, division = row.split(",")
            out.append(f"{measure},{code},{name},{year},{value},esimerkki,,{source},,{division}")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    path = data / "parametrit" / "valtionosuus.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{arvo: 5, lahde: kuntaluokitus}", "{arvo: 6, lahde: x}"))
    return data


def test_state_funding_is_on_the_2025_division_and_years_to_2023_by_hand(tmp_path):
    context = load_context(_merger_data(tmp_path))
    amounts, missing = national_allocation(context)
    assert missing == []
    # the 2025 division: Pertunmaa is in Mäntyharju; 15-64 2019 (2024 is after 2023)
    assert sorted(amounts) == ["250", "507", "536", "604", "790", "837"]
    # totals: 15-64 600+200+100+80+20 + (60+20) = 1 080; jobseekers 1000+500+500+600+100
    # + (150+50) = 2 900; foreign-language 50+20+20+10+0 + 10 = 110
    # Mäntyharju = 1 000 000 * (0.5 * 80/1080 + 0.5 * 200/2900) + 100 000 * 10/110
    assert amounts["507"] == 1_000_000 * (
        Fraction(1, 2) * Fraction(80, 1080) + Fraction(1, 2) * Fraction(200, 2900)
    ) + 100_000 * Fraction(10, 110)
    # Tampere = 1 000 000 * (0.5 * 600/1080 + 0.5 * 1000/2900) + 100 000 * 50/110
    assert amounts["837"] == 1_000_000 * (
        Fraction(1, 2) * Fraction(600, 1080) + Fraction(1, 2) * Fraction(1000, 2900)
    ) + 100_000 * Fraction(50, 110)
    assert sum(amounts.values()) == 1_100_000
    scenario = context.scenario(write_scenario(context.data_dir, TWO_AREAS))
    note = funding_estimate(context, scenario).note
    assert "15–64-vuotiaat 31.12.2019" in note and "vuosi on uusin enintään 2023" in note
    assert (
        "Kuntaliitos: 15–64-vuotiaat 31.12. vuodelta 2019: Mäntyharju (507) = Mäntyharju 60 + "
        "Pertunmaa (588) 20 = 80 (kuntajako 2025: Pertunmaa (588) liitetty kuntaan Mäntyharju "
        "(507) 1.1.2025)"
    ) in note
    assert "Mäntyharju (507) 10 on kuntajaon 2025 mukainen luku, johon sisältyy Pertunmaa" in note
    # a key on the funding cannot take Pertunmaa: its 2025 funding is Mäntyharju's
    with pytest.raises(InputError, match="Pertunmaa \\(588\\) liitetty kuntaan Mäntyharju"):
        key_figures(context, "valtionosuus", 2025, ["588"])


def test_state_funding_is_not_estimated_from_one_region(tmp_path):
    # the shipped parameters ask for the whole mainland (292 municipalities of the 2025
    # division); five are not enough
    data = write_mini_data(tmp_path / "data")
    context = load_context(data)
    scenario = context.scenario(
        write_scenario(
            data,
            """
            nimi: v
            jakoperuste: {vakiluku: {paino: 1, vuosi: 2021}}
            potti: {peruste: kokeilu_2023}
            alueet:
              - {nimi: A, vastuukunta: Tampere, jasenet: [Tampere, Pirkkala, Nokia]}
            """,
        )
    )
    estimate = funding_estimate(context, scenario)
    assert estimate.by_area == {"A": None}
    assert "kuntarekisterissä on 5 kuntaa" in estimate.note
    assert "vähintään 292 kunnan luvut" in estimate.note


def test_two_services_are_rounded_once_per_area_by_hand():
    # Two services of 0,60 € each, two municipalities of equal size: each owes 0,60 € exactly.
    # The area's 1,20 € is billed as 1 €, to the smaller code on the tie (largest remainder).
    # Rounding each service on its own would bill 1 € twice, 2 € against a pool of 1,20 €.
    context = StubContext({m: {"100": 5, "101": 5} for m in MEASURES})
    area = make_area("alue", ["100", "101"], "100", [1, 0, 0], [Fraction(60, 100)] * 2)
    division = divide_area(context, make_scenario([area]), area)
    assert division.exact == {"100": Fraction(60, 100), "101": Fraction(60, 100)}
    assert division.payments == {"100": 1, "101": 0}


@settings(max_examples=examples(60), deadline=None)
@given(setups(), st.data())
def test_payments_with_cents_add_up_to_the_rounded_pool_and_stay_within_a_euro(setup, data):
    values, groups, weights, _, _, _ = setup
    context = StubContext(values)
    areas = []
    for i, group in enumerate(groups):
        cents = data.draw(st.lists(st.integers(1, 50_000_000), min_size=1, max_size=5))
        areas.append(
            make_area(f"alue {i}", group, group[0], weights, [Fraction(c, 100) for c in cents])
        )
    scenario = make_scenario(areas)
    for area in areas:
        pool = sum(amount for _, amount in area.pool.services)
        payments = divide_area(context, scenario, area).payments
        # the pool, rounded half-up once, is what the area bills
        assert sum(payments.values()) == math.floor(pool + Fraction(1, 2))
        for code in area.members:
            share = sum(
                part.weight
                * values[part.measure][code]
                / sum(values[part.measure][c] for c in area.members)
                for part in area.key
            )
            assert abs(payments[code] - pool * share) < 1


def test_a_2025_scenario_reads_mantyharju_with_pertunmaa():
    # The decided areas of 2025 list Mäntyharju (507), of which Pertunmaa (588) has been a part
    # since 1.1.2025: its figures are the two municipalities' (data/tilastot/tyovoima.csv, 2021).
    # Mikkelin seutu: Hirvensalmi 847 + Juva 2 378 + Kangasniemi 2 037 + Mikkeli 23 475 +
    # Mäntyharju 2 202 + Pertunmaa 625 + Puumala 843 = 32 407.
    context = load_context()
    result = evaluate(context, context.scenario("paatetty_2025_suomi"))
    areas = result.areas.set_index("Alue")
    assert areas.loc["Mikkelin seutu", "Työvoima"] == 847 + 2378 + 2037 + 23475 + 2202 + 625 + 843
    assert any(
        "Kuntaliitos: " in note and "Mäntyharju 2 202 + Pertunmaa (588) 625 = 2 827" in note
        for note in result.notes
    )
    # a municipality merged into another is not one of 2025
    with pytest.raises(InputError, match="käytä kuntaa Mäntyharju"):
        context.values("tyovoima", 2021, ["588"])
