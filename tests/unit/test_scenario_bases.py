"""One pool basis for every 2025 comparison: the default basis from the parameter file, the
comparison worked by hand on the small data folder, the engine's refusal to compare figures on
different bases, and every shipped scenario's CSV walked for it."""

from __future__ import annotations

import csv
import io
import itertools
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios import default_pool_spec
from kustannukset.scenarios.comparison import compare, wide
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import BasedPayments, MixedBases, evaluate
from kustannukset.scenarios.model import Basis, load_scenario, scenario_text
from tests.conftest import run_cli
from tests.unit.test_scenarios import write_scenario
from tests.unit.test_scenarios_money import money_data

T, P, N, S, K = "837", "604", "536", "790", "250"  # Tampere, Pirkkala, Nokia, Sastamala, Kihniö

DECIDED = """
nimi: C – Päätetyt
jakoperuste: {vakiluku: {paino: 1, vuosi: 2021}}
alueet:
  - {nimi: Itä, vastuukunta: Tampere, jasenet: [Tampere, Pirkkala, Nokia]}
  - {nimi: Länsi, vastuukunta: Sastamala, jasenet: [Sastamala, Kihniö]}
"""
ONE = """
nimi: A – Yksi alue
jakoperuste: {vakiluku: {paino: 1, vuosi: 2021}}
alueet:
  - {nimi: Kaikki, vastuukunta: Tampere, jasenet: [Tampere, Pirkkala, Nokia, Sastamala, Kihniö]}
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The money data (test_scenarios_money: cost model 400 000 € per area + 1 000 € per
    unemployed jobseeker) with the decided areas and one alternative, neither naming a pool."""
    folder = money_data(tmp_path)
    write_scenario(folder, DECIDED, "paatetty_2025")
    write_scenario(folder, ONE, "yksi")
    return folder


def _rows(result) -> pd.DataFrame:
    return result.municipalities.set_index("Kuntanumero")


def test_the_default_basis_is_the_parameter_and_a_file_without_a_pool_uses_it(data):
    context = load_context(data)
    spec = default_pool_spec(context)
    assert spec.base == "kustannusmalli" and spec.default
    scenario = context.scenario("yksi")
    assert all(area.pool == spec for area in scenario.areas)
    result = evaluate(context, scenario)
    assert set(result.municipalities["Potin peruste"]) == {"kustannusmalli"}
    assert [b.name for b in result.bases] == ["kustannusmalli"]


def test_the_comparison_on_the_default_basis_by_hand(data):
    comparison = compare(load_context(data))
    assert comparison.basis == "kustannusmalli"
    frame = comparison.frame.set_index(["Vaihtoehto", "Kuntanumero"])
    # one area of all five: pool 400 000 + 1 000 * (1000 + 500 + 500 + 600 + 100) = 3 100 000,
    # by population 1000 : 300 : 200 : 400 : 100 of 2 000
    one = {T: 1_550_000, P: 465_000, N: 310_000, S: 620_000, K: 155_000}
    # the decided areas: east 400 000 + 1 000 * 2 000 = 2 400 000 by 1000 : 300 : 200,
    # west 400 000 + 1 000 * 700 = 1 100 000 by 400 : 100
    decided = {T: 1_600_000, P: 480_000, N: 320_000, S: 880_000, K: 220_000}
    # the funding of 1 100 000 € rounded once over the five (test_scenarios_money): Tampere
    # 535 185,19, Pirkkala 212 592,59, Nokia 162 592,59, Sastamala 161 111,11, Kihniö 28 518,52;
    # floors 1 099 998, the two euros to the largest remainders (Pirkkala and Nokia, ,59)
    funding = {T: 535_185, P: 212_593, N: 162_593, S: 161_111, K: 28_518}
    for code in one:
        row = frame.loc[("A", code)]
        assert row["Maksuosuus €"] == one[code]
        assert row["Muutos päätettyyn 2025 €"] == one[code] - decided[code]
        assert row["Netto €"] == funding[code] - one[code]
        assert row["Potin peruste"] == row["Vertailun peruste"] == "kustannusmalli"
        assert frame.loc[("C", code), "Muutos päätettyyn 2025 €"] == 0
    table = wide(comparison).set_index(["Päätetty alue", "Kunta"])
    # the sums per decided area: east 1 550 000 + 465 000 + 310 000 under A, 2 400 000 under C
    assert table.loc[("Itä", "Yhteensä"), "A maksu €"] == 2_325_000
    assert table.loc[("Itä", "Yhteensä"), "C maksu €"] == 2_400_000
    assert table.loc[("Länsi", "Yhteensä"), "C netto €"] == (161_111 + 28_518) - 1_100_000


def test_the_second_view_by_hand(data):
    comparison = compare(load_context(data), base="valtionosuus")
    frame = comparison.frame.set_index(["Vaihtoehto", "Kuntanumero"])
    assert set(comparison.frame["Potin peruste"]) == {"valtionosuus"}
    # one area: the members' funding, 1 100 000 € exactly, by population: Tampere 550 000
    assert frame.loc[("A", T), "Maksuosuus €"] == 550_000
    # the decided east on the same basis: (14 450 000 + 5 740 000) / 27 + 162 592,59
    # = 910 370,37 by 1000 : 300 : 200 = 606 913,58 ; 182 074,07 ; 121 382,72 (Nokia gets the
    # leftover euro); Tampere's change 550 000 - 606 913
    assert frame.loc[("A", T), "Muutos päätettyyn 2025 €"] == 550_000 - 606_913
    assert frame.loc[("A", T), "Vertailun peruste"] == "valtionosuus"


def test_a_difference_across_bases_is_refused():
    model, funding = Basis("kustannusmalli"), Basis("valtionosuus")
    a = BasedPayments({T: 100, P: 50}, {T: model, P: model})
    b = BasedPayments({T: 90, P: 40}, {T: model, P: funding})
    assert a.only([T]).minus(b) == {T: 10}
    with pytest.raises(MixedBases, match=r"'kustannusmalli'.*'valtionosuus'"):
        a.minus(b)
    old = BasedPayments({T: 100}, {T: Basis("kokeilu 2023 asukasta kohden", experiment=True)})
    assert a.net({T: 150, P: 40}) == {T: 50, P: -10}
    with pytest.raises(MixedBases, match="kokeilukauden"):
        old.net({T: 150})


def _csv(*args: str) -> list[dict[str, str]]:
    result = run_cli("skenaariot", *args, "--csv")
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.mark.parametrize("view", [[], ["--peruste", "valtionosuus"]], ids=["oletus", "toinen"])
def test_every_shipped_csv_pairs_figures_of_one_basis(view):
    """Each change is a payment less the decided areas' payment on the same basis, each net is the
    funding less a 2025 payment, and the experiment's payment is subtracted only from a payment
    on its own basis: walked over every shipped scenario's CSV and the comparison's."""
    names = sorted(p.stem for p in (DATA_DIR / "skenaariot").glob("*.yaml"))
    outputs = {name: _csv(name, *view) for name in names}
    outputs["vertailu"] = _csv(*view)
    decided = {(r["potin_peruste"], r["kuntanumero"]): r for r in outputs["paatetty_2025"]}
    seen = {"muutos": 0, "netto": 0, "kokeilu": 0}
    for name, rows in outputs.items():
        for row in rows:
            basis = row["potin_peruste"]
            assert basis and row["tila"], (name, row)
            if row.get("muutos_paatettyyn_2025"):
                assert row["vertailun_peruste"] == basis, (name, row)
                other = decided[(basis, row["kuntanumero"])]
                assert int(row["muutos_paatettyyn_2025"]) == int(row["maksuosuus"]) - int(
                    other["maksuosuus"]
                )
                seen["muutos"] += 1
            if row.get("netto"):
                assert not basis.startswith("kokeilu"), (name, row)
                assert int(row["netto"]) == int(row["valtionosuus"]) - int(row["maksuosuus"])
                seen["netto"] += 1
            if row.get("muutos_kokeiluun_2023"):
                assert basis == "kokeilu 2023 asukasta kohden", (name, row)
                assert int(row["muutos_kokeiluun_2023"]) == int(row["maksuosuus"]) - int(
                    row["kokeilu_2023"]
                )
                seen["kokeilu"] += 1
    # every rule was met on real rows, not on none
    assert min(seen.values()) > 0, seen
    # the experiment baseline shows its own payments and nothing against 2025
    assert all(
        not r.get("netto") and not r.get("muutos_paatettyyn_2025") for r in outputs["perusura"]
    )
    expected = "valtionosuus" if view else "kustannusmalli"
    assert {r["potin_peruste"] for r in outputs["vertailu"]} == {expected}


def test_no_two_shipped_scenarios_are_the_same():
    context = load_context()
    results = {p.stem: evaluate(context, context.scenario(p)) for p in context.scenario_paths()}
    for (a, first), (b, second) in itertools.combinations(results.items(), 2):
        assert first.payments.euros != second.payments.euros, (a, b)


def test_a_weight_may_be_an_exact_fraction_and_a_scenario_writes_back_to_itself(data):
    context = load_context(data)
    path = write_scenario(
        data,
        """
        nimi: kolmannes
        jakoperuste:
          vakiluku: {paino: 1/3, vuosi: 2021}
          tyottomat_tyonhakijat_ka: {paino: "2/3", vuosi: 2019}
        alennukset: {kattaja: muut, kunnat: {Kihniö: 20}}
        alueet:
          - {nimi: Itä, vastuukunta: Tampere, jasenet: [Tampere, Pirkkala, Nokia]}
          - nimi: Länsi
            vastuukunta: Sastamala
            jasenet: [Sastamala, Kihniö]
            potti: {peruste: valtionosuus, kerroin: 1.1}
            poikkeus: haettu
        """,
        "kolmannes",
    )
    scenario = context.scenario(path)
    assert [p.weight for p in scenario.areas[0].key] == [Fraction(1, 3), Fraction(2, 3)]
    again = data / "skenaariot" / "uudelleen.yaml"
    again.write_text(scenario_text(scenario), encoding="utf-8")
    read = load_scenario(again, context.names, context.budgets, default_pool_spec(context))
    for field in ("name", "description", "source", "discounts_pct", "carrier", "names"):
        assert getattr(read, field) == getattr(scenario, field), field
    for first, second in zip(read.areas, scenario.areas, strict=True):
        assert (first.name, first.lead, first.members, first.exception, first.key) == (
            second.name,
            second.lead,
            second.members,
            second.exception,
            second.key,
        )
        assert first.pool.base == second.pool.base and first.pool.factor == second.pool.factor
        assert first.pool.default == second.pool.default
    assert evaluate(context, read).payments == evaluate(context, scenario).payments
