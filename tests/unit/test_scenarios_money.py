"""Scenarios in money: the pool bases (valtionosuus, talousarvio, kustannusmalli), the keys, the
state-funding criteria as a key, net and the reality check. Hand-derived cases on the small data
folder of test_scenarios (two-municipality areas worked by hand), properties on it and on the
shipped scenarios."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba

from kustannukset.core.errors import InputError
from kustannukset.core.money import round_half_up
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import evaluate, reality_check
from kustannukset.scenarios.funding import resolve_pool
from kustannukset.scenarios.maps import NEUTRAL, value_map
from tests.conftest import run_cli
from tests.unit.test_scenarios import write_mini_data, write_scenario

# Example figures on top of test_scenarios.MINI (vakiluku Tampere 1000, Pirkkala 300, Nokia 200,
# Sastamala 400, Kihniö 100; tyovoima 16000, 4500, 3500, 8600, 900).
EXTRA = {
    "tyoikaiset_15_64": {"837": 600, "604": 200, "536": 100, "790": 80, "250": 20},
    "vieraskieliset": {"837": 50, "604": 20, "536": 20, "790": 10, "250": 0},
    "tyottomat_tyonhakijat_ka": {"837": 1000, "604": 500, "536": 500, "790": 600, "250": 100},
}
TAMPERE = "837"
PIRKKALA = "604"


def money_data(tmp_path: Path) -> Path:
    """The mini data with state funding of 1 100 000 € (100 000 € by foreign-language speakers)
    over the five municipalities, a budget of 2 400 000 € and a cost model calibrated on
    Tampere, Pirkkala and Nokia."""
    data = write_mini_data(tmp_path / "data", extra=EXTRA)
    funding = data / "parametrit" / "valtionosuus.yaml"
    text = funding.read_text(encoding="utf-8")
    text = text.replace("arvo: 657954000", "arvo: 1100000").replace(
        "arvo: 30000000", "arvo: 100000"
    )
    text = text.replace("{arvo: 293, lahde: kuntaluokitus}", "{arvo: 5, lahde: kuntaluokitus}")
    text = text.replace(
        "{arvo: [Ahvenanmaan maakunta], lahde: kuntaluokitus}", "{arvo: [], lahde: kuntaluokitus}"
    )
    funding.write_text(text, encoding="utf-8")
    costs = data / "parametrit" / "alueiden_kustannukset.yaml"
    text = costs.read_text(encoding="utf-8")
    text = text.replace("arvo: 70900000", "arvo: 2400000")
    start = text.index("          kunnat: [Tampere, Akaa")
    end = text.index("]", start) + 1
    text = text[:start] + "          kunnat: [Tampere, Pirkkala, Nokia]" + text[end:]
    text = text.replace("vuosi: 2022", "vuosi: 2019")
    costs.write_text(text, encoding="utf-8")
    return data


@pytest.fixture
def money(tmp_path: Path) -> Path:
    return money_data(tmp_path)


def two(key: str, pool: str, members: str = "[Tampere, Pirkkala]") -> str:
    return f"""
        nimi: kaksi
        jakoperuste: {key}
        potti: {pool}
        alueet:
          - {{nimi: A, vastuukunta: Tampere, jasenet: {members}}}
        """


def run(data: Path, text: str):
    context = load_context(data)
    return context, evaluate(context, context.scenario(write_scenario(data, text)))


def pay(result) -> dict[str, int]:
    rows = result.municipalities
    return dict(zip(rows["Kuntanumero"], (int(v) for v in rows["Maksuosuus €"]), strict=True))


# Hand arithmetic of the funding (1 000 000 € by 50 % working-age + 50 % jobseekers, 100 000 € by
# foreign-language speakers; totals 1000, 2700 and 100):
#   Tampere  = 1 000 000 * (0.5 * 600/1000 + 0.5 * 1000/2700) + 100 000 * 50/100
#            = 300 000 + 5 000 000/27 + 50 000 = 14 450 000/27  (535 185,19 €)
#   Pirkkala = 1 000 000 * (0.5 * 200/1000 + 0.5 * 500/2700) + 100 000 * 20/100
#            = 100 000 + 2 500 000/27 + 20 000 = 5 740 000/27   (212 592,59 €)
T_FUNDING = Fraction(14_450_000, 27)
P_FUNDING = Fraction(5_740_000, 27)


def test_pool_valtionosuus_is_the_members_funding_by_hand(money):
    context, result = run(
        money, two("{vakiluku: {paino: 1, vuosi: 2021}}", "{peruste: valtionosuus}")
    )
    area = result.scenario.areas[0]
    assert resolve_pool(context, area.pool, area).total == T_FUNDING + P_FUNDING
    # pool 20 190 000/27 = 747 777,78 €; population 1000 : 300 ->
    # Tampere 747 777,78 * 10/13 = 575 213,68 -> 575 214; Pirkkala * 3/13 = 172 564,10 -> 172 564
    assert pay(result) == {TAMPERE: 575_214, PIRKKALA: 172_564}
    assert int(result.areas.loc[0, "Potti €"]) == 747_778
    rows = result.municipalities.set_index("Kuntanumero")
    assert (rows["Maksuosuuden tila"] == "ARVIO").all()
    assert (rows["Valtionosuuden tila"] == "ARVIO").all()


def test_pool_valtionosuus_with_a_factor(money):
    _, result = run(
        money,
        two("{vakiluku: {paino: 1, vuosi: 2021}}", "{peruste: valtionosuus, kerroin: 1.5}"),
    )
    # 747 777,78 * 1,5 = 1 121 666,67; Tampere * 10/13 = 862 820,51 -> 862 821;
    # Pirkkala * 3/13 = 258 846,15 -> 258 846
    assert pay(result) == {TAMPERE: 862_821, PIRKKALA: 258_846}


def test_pool_talousarvio_splits_the_published_figure(money):
    _, result = run(
        money,
        two(
            "{vakiluku: {paino: 1, vuosi: 2021}}",
            "{peruste: talousarvio, talousarvio: tampere_2025}",
        ),
    )
    # 2 400 000 * 10/13 = 1 846 153,85 -> 1 846 154; * 3/13 = 553 846,15 -> 553 846
    assert pay(result) == {TAMPERE: 1_846_154, PIRKKALA: 553_846}
    assert (result.municipalities["Maksuosuuden tila"] == "JULKAISTU").all()
    assert any("talousarvio 'tampere_2025' 2 400 000 €" in n for n in result.notes)


def test_pool_kustannusmalli_by_hand(money):
    _, result = run(
        money,
        two(
            "{vakiluku: {paino: 1, vuosi: 2021}}",
            "{peruste: kustannusmalli}",
            members="[Sastamala, Kihniö]",
        ).replace("vastuukunta: Tampere", "vastuukunta: Sastamala"),
    )
    # variable part: (2 400 000 - 400 000) / (1000 + 500 + 500 jobseekers) = 1 000 €/jobseeker;
    # pool 400 000 + 1 000 * (600 + 100) = 1 100 000; population 400 : 100 -> 880 000 : 220 000
    assert pay(result) == {"790": 880_000, "250": 220_000}
    assert (result.municipalities["Maksuosuuden tila"] == "ESIMERKKI").all()
    note = next(n for n in result.notes if n.startswith("Kustannuspotti"))
    assert "1 000,00 € työtöntä työnhakijaa kohden" in note and "ESIMERKKI" in note


def test_unknown_budget_is_an_error_naming_the_file_row_and_the_known(money):
    context = load_context(money)
    path = write_scenario(
        money,
        two("{vakiluku: {paino: 1, vuosi: 2021}}", "{peruste: talousarvio, talousarvio: x}"),
    )
    with pytest.raises(InputError, match=r"tuntematon talousarvio 'x'.*tampere_2025") as exc:
        context.scenario(path)
    assert exc.value.row == 3 and exc.value.column == "talousarvio"


def test_budget_base_needs_a_budget_name(money):
    with pytest.raises(InputError, match="pitää nimetä talousarvioluku") as exc:
        run(money, two("{vakiluku: {paino: 1, vuosi: 2021}}", "{peruste: talousarvio}"))
    assert exc.value.row == 3


POOL_1200 = "{palvelut: {yhteiset: 1200}, tila: esimerkki, lahde: testi}"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        # population 1000 : 300 -> 1200 * 10/13 = 923,08 ; 276,92
        ("{vakiluku: {paino: 1, vuosi: 2021}}", (923, 277)),
        # working-age 600 : 200 -> 900 ; 300
        ("{tyoikaiset_15_64: {paino: 1, vuosi: 2019}}", (900, 300)),
        # labour force 16 000 : 4 500 -> 1200 * 160/205 = 936,59 ; 263,41
        ("{tyovoima: {paino: 1, vuosi: 2021}}", (937, 263)),
        # unemployed jobseekers 1000 : 500 -> 800 ; 400
        ("{tyottomat_tyonhakijat_ka: {paino: 1, vuosi: 2019}}", (800, 400)),
        # foreign-language speakers 50 : 20 -> 1200 * 5/7 = 857,14 ; 342,86
        ("{vieraskieliset: {paino: 1, vuosi: 2019}}", (857, 343)),
        # state-funding criteria: 14 450 000 : 5 740 000 -> 1200 * 1445/2019 = 858,84 ; 341,16
        ("{valtionosuus: {paino: 1, vuosi: 2025}}", (859, 341)),
        # mix 50 % population + 50 % funding: 1200 * (0.5 * 10/13 + 0.5 * 1445/2019)
        # = 1200 * 38 975/52 494 = 890,96 ; 309,04
        (
            "{vakiluku: {paino: 0.5, vuosi: 2021}, valtionosuus: {paino: 0.5, vuosi: 2025}}",
            (891, 309),
        ),
    ],
)
def test_every_key_on_a_two_municipality_area_by_hand(money, key, expected):
    _, result = run(money, two(key, POOL_1200))
    assert pay(result) == {TAMPERE: expected[0], PIRKKALA: expected[1]}


def test_key_labels_name_measure_and_year(money):
    _, result = run(
        money,
        two(
            "{tyovoima: {paino: 0.5, vuosi: 2021}, valtionosuus: {paino: 0.5, vuosi: 2025}}",
            POOL_1200,
        ),
    )
    note = next(n for n in result.notes if n.startswith("Jakoperuste"))
    assert "50 % Työvoima (työssäkäyntitilasto) 31.12.2021" in note
    assert "50 % Valtionosuuden laskentaperusteet (ARVIO) 2025" in note


def test_net_is_funding_minus_payment(money):
    _, result = run(money, two("{vakiluku: {paino: 1, vuosi: 2021}}", POOL_1200))
    rows = result.municipalities.set_index("Kuntanumero")
    for code in (TAMPERE, PIRKKALA):
        row = rows.loc[code]
        assert row["Netto €"] == row["Valtionosuus, arvio €"] - row["Maksuosuus €"]
    # funding rounded once over the five municipalities lies within a euro of the exact
    assert abs(rows.loc[TAMPERE, "Valtionosuus, arvio €"] - T_FUNDING) < 1
    assert abs(rows.loc[PIRKKALA, "Valtionosuus, arvio €"] - P_FUNDING) < 1


# --- properties -----------------------------------------------------------------------------------

CODES = ["837", "604", "536", "790", "250"]
KEYS = [
    "{vakiluku: {paino: 1, vuosi: 2021}}",
    "{valtionosuus: {paino: 1, vuosi: 2025}}",
    "{tyovoima: {paino: 0.3, vuosi: 2021}, tyottomat_tyonhakijat_ka: {paino: 0.7, vuosi: 2019}}",
]
POOLS = [
    "{peruste: valtionosuus}",
    "{peruste: kustannusmalli}",
    "{peruste: valtionosuus, kerroin: 0.9}",
]


@settings(max_examples=15, deadline=None)
@given(st.permutations(CODES), st.integers(1, 4), st.sampled_from(KEYS), st.sampled_from(POOLS))
def test_money_properties_on_random_splits(tmp_path_factory, order, cut, key, pool):
    data = money_data(tmp_path_factory.mktemp("raha"))
    groups = [order[:cut], order[cut:]]

    def scenario_text(groups):
        lines = [f"nimi: p\njakoperuste: {key}\npotti: {pool}\nalueet:"]
        for i, group in enumerate(groups):
            members = ", ".join(f"'{c}'" for c in group)
            lines.append(f"  - {{nimi: A{i}, vastuukunta: '{group[0]}', jasenet: [{members}]}}")
        return "\n".join(lines) + "\n"

    context = load_context(data)
    scenario = context.scenario(write_scenario(data, scenario_text(groups)))
    result = evaluate(context, scenario)
    rows = result.municipalities
    for area, row in zip(scenario.areas, result.areas.to_dict("records"), strict=True):
        mine = rows[rows["Alue"] == area.name]
        # payments add up to the area's pool (rounded once) to the euro
        expected_pool = round_half_up(resolve_pool(context, area.pool, area).total)
        assert int(mine["Maksuosuus €"].sum()) == expected_pool == row["Potti €"]
        # net sums to funding - pool per area
        assert int(mine["Netto €"].sum()) == row["Valtionosuus, arvio €"] - row["Potti €"]
    # permuting the municipalities (inside the areas, and the areas) changes nothing
    again_scenario = context.scenario(
        write_scenario(data, scenario_text([list(reversed(g)) for g in reversed(groups)]), "b")
    )
    again = evaluate(context, again_scenario).municipalities
    first = rows.set_index("Kuntanumero")["Maksuosuus €"].sort_index()
    second = again.set_index("Kuntanumero")["Maksuosuus €"].sort_index()
    pd.testing.assert_series_equal(first, second)


def test_shipped_scenarios_add_up_and_differ():
    context = load_context()
    results = {p.stem: evaluate(context, context.scenario(p)) for p in context.scenario_paths()}
    for result in results.values():
        for area, row in zip(result.scenario.areas, result.areas.to_dict("records"), strict=True):
            mine = result.municipalities[result.municipalities["Alue"] == area.name]
            pool = resolve_pool(context, area.pool, area).total
            assert int(mine["Maksuosuus €"].sum()) == round_half_up(pool) == row["Potti €"]
            if row["Valtionosuus, arvio €"] is not None:  # (no estimate: a member lacks one)
                assert int(mine["Netto €"].sum()) == row["Valtionosuus, arvio €"] - row["Potti €"]
    # the keys move real money: Tampere's payment differs by more than a million euros between
    # the population key and the state-grant criteria in the decided areas
    tampere = {
        name: int(r.municipalities.set_index("Kunta").loc["Tampere", "Maksuosuus €"])
        for name, r in results.items()
        if name.startswith("paatetty_2025")
    }
    assert abs(tampere["paatetty_2025"] - tampere["paatetty_2025_valtionosuus"]) > 1_000_000
    changes = results["paatetty_2025_tyottomat"].municipalities["Muutos päätettyyn 2025 €"]
    assert changes.abs().max() > 100_000
    assert (results["paatetty_2025"].municipalities["Muutos päätettyyn 2025 €"] == 0).all()


def test_reality_check_population_key_for_virrat():
    context = load_context()
    frame = reality_check(context, [context.scenario("paatetty_2025")]).iloc[0]
    # Virrat 6 465 of the Tampere area's 465 888 inhabitants (31.12.2021):
    # 70 900 000 * 6 465 / 465 888 = 983 859,85
    assert abs(frame["Virrat 2025 €"] - Fraction(70_900_000 * 6_465, 465_888)) < 1
    # reported 2025: 729 790 + about 53 000 = 782 790
    assert frame["Raportoitu 2025 €"] == 782_790


def test_csv_carries_the_status_of_each_figure():
    result = run_cli("skenaariot", "elokuu_2023_kustannusmalli", "paatetty_2025", "--csv")
    assert result.returncode == 0, result.stderr
    header = next(csv.reader(io.StringIO(result.stdout)))
    for column in ("Maksuosuuden tila", "Valtionosuuden tila", "Netto €", "Valtionosuus, arvio €"):
        assert column in header
    body = result.stdout
    assert ",ESIMERKKI,ARVIO" in body  # cost model (example fixed part), funding estimate
    assert ",ARVIO,ARVIO" in body  # the decided areas: pool = funding estimate


def test_change_map_draws_changes_under_a_euro_as_no_change():
    context = load_context()
    # Tampere +0,40 €/as. (no change), Nokia +10, Ylöjärvi -10, Pirkkala -0,99 (no change)
    values = {"837": 0.4, "536": 10.0, "980": -10.0, "604": -0.99}
    ax = value_map(context.boundaries, values, label="muutos €/asukas", neutral=1.0)
    colours = [tuple(c) for coll in ax.collections for c in coll.get_facecolors()]
    neutral = to_rgba(NEUTRAL)
    rings = {code: len(context.boundaries.polygons[code]) for code in values}
    assert colours.count(neutral) == rings["837"] + rings["604"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["ei muutosta (alle 1 €/asukas)"]
