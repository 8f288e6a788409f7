"""The published 2023 price table comes out of the data: every Maksuosuus exact, every service cell
within 1 €, the total 370 841 and the other municipalities' share 198 436 (seed: "Hinnat vuodelle
2023"; the expectations are in tests/fixtures/hintataulukko_2023.csv, typed from the seed)."""

import datetime as dt

from kustannukset.core.money import EXACT_SUM, PUBLISHED
from kustannukset.shared_costs.division import (
    CARRIER_LEAD,
    CARRIER_NOBODY,
    CARRIER_OTHERS,
    non_lead_share,
)
from kustannukset.shared_costs.pricing import cost_table, division_table, load_year

SERVICES = ["johtaminen", "ict", "tyollisyysmaararaha", "viestinta"]


def test_population_2021_is_the_published_key(published_2023):
    inputs = load_year(2023)
    assert inputs.key_year == 2021
    names = inputs.division_input.names
    key = {names[c]: int(v) for c, v in inputs.division_input.key.items()}
    assert key == {r["kunta"]: int(r["asukasluku_31_12_2021"]) for r in published_2023}
    assert sum(key.values()) == 525320


def test_all_22_payments_exact(published_2023):
    table = division_table(load_year(2023), PUBLISHED).set_index("kunta")
    assert len(table) == 22
    for row in published_2023:
        assert table.loc[row["kunta"], "maksuosuus"] == int(row["maksuosuus"]), row["kunta"]
        assert table.loc[row["kunta"], "yhteensa"] == int(row["yhteensa"]), row["kunta"]


def test_every_service_cell_within_one_euro(published_2023):
    table = division_table(load_year(2023), PUBLISHED).set_index("kunta")
    for row in published_2023:
        for service in SERVICES:
            assert abs(table.loc[row["kunta"], service] - int(row[service])) <= 1, (
                row["kunta"],
                service,
            )


def test_totals_as_published():
    inputs = load_year(2023)
    division = inputs.divide()
    # 316 958 * 1.17 = 370 840.86 from the published (rounded) costs; the table prints 370 841
    assert round(division.pool) == 370841
    costs = cost_table(inputs).set_index("Palvelu")
    assert costs.loc["Summa", "Kulut/vuosi"] == 316958
    assert costs.loc["Summa", "Flat rate (17 %)"] == 53883
    nonlead = non_lead_share(division, PUBLISHED)
    assert nonlead.total == 198436
    assert nonlead.per_service == {
        "johtaminen": 78915,
        "ict": 49749,
        "tyollisyysmaararaha": 26592,
        "viestinta": 43180,
    }
    # 1 - 244 223 / 525 320 = 53.5 %, printed "54 %"
    assert round(float(nonlead.share) * 100, 1) == 53.5


def test_exact_sum_invoices_add_up_to_the_pool():
    table = division_table(load_year(2023), EXACT_SUM)
    assert table["maksuosuus"].sum() == 370841
    for service, total in zip(SERVICES, [147477, 92972, 49696, 80696], strict=True):
        # 126 049, 79 463, 42 475, 68 971 each * 1.17, half-up
        assert table[service].sum() == total
    assert (table[SERVICES].sum(axis=1) == table["yhteensa"]).all()


def test_2024_is_an_estimate_on_population_2022():
    inputs = load_year(2024)
    assert inputs.is_estimate and inputs.label == "2024 (arvio)"
    assert inputs.key_year == 2022


def test_2021_sastamala_rule_on_the_2023_table():
    # Sastamala's 2023 Yhteensä is 16 941 (published); 20 % of it is 3 388.2 -> 3 388 off, and it
    # pays 80 %: 13 552.8 -> 13 553.
    for carrier in (CARRIER_NOBODY, CARRIER_LEAD, CARRIER_OTHERS):
        inputs = load_year(2023, carrier=carrier, discounts_on=dt.date(2021, 3, 1))
        table = division_table(inputs, PUBLISHED).set_index("kunta")
        assert table.loc["Sastamala", "alennus"] == 3388
        assert table.loc["Sastamala", "maksuosuus"] == 13553
    lead = division_table(load_year(2023, carrier=CARRIER_LEAD, discounts_on=dt.date(2021, 3, 1)))
    # Tampere carries the 3 388.2: 172 405.3 + 3 388.2 = 175 793.5 -> 175 793 or 175 794
    tampere = lead.set_index("kunta").loc["Tampere", "maksuosuus"]
    assert abs(tampere - (172405 + 3388)) <= 1
    exact = division_table(
        load_year(2023, carrier=CARRIER_OTHERS, discounts_on=dt.date(2021, 3, 1)), EXACT_SUM
    )
    assert exact["maksuosuus"].sum() == 370841  # the others carry it all: the pool is whole
    nobody = division_table(
        load_year(2023, carrier=CARRIER_NOBODY, discounts_on=dt.date(2021, 3, 1)), EXACT_SUM
    )
    assert nobody["maksuosuus"].sum() == 370841 - nobody["alennus"].sum()
