"""The division formulas on small cases worked out by hand."""

from fractions import Fraction as F

import pytest

from kustannukset.core.money import EXACT_SUM, PUBLISHED
from kustannukset.shared_costs.division import (
    CARRIER_LEAD,
    CARRIER_NOBODY,
    CARRIER_OTHERS,
    DivisionInput,
    Service,
    divide,
    non_lead_share,
    round_division,
    split_by_key,
    with_flat_rate,
)

NAMES = {"001": "Iso", "002": "Keski", "003": "Pieni"}
KEY = {"001": F(600), "002": F(300), "003": F(100)}  # shares 60 %, 30 %, 10 %


def make(cost=1000, discounts=None, carrier=CARRIER_NOBODY, services=None):
    return DivisionInput(
        services=services or [Service("a", "A", F(cost))],
        flat_rate_pct=F(17),
        key=KEY,
        names=NAMES,
        lead="001",
        discounts_pct=discounts or {},
        carrier=carrier,
    )


def test_flat_rate_is_added_to_the_cost():
    assert with_flat_rate(F(1000), F(17)) == 1170  # 1000 + 17 % of 1000
    assert with_flat_rate(F(126049), F(17)) == F(14747733, 100)  # 126 049 * 1.17 = 147 477.33


def test_split_by_key_is_proportional_and_exact():
    assert split_by_key(F(1170), KEY) == {"001": 702, "002": 351, "003": 117}  # 60/30/10 %


def test_no_discount_payment_is_the_share():
    d = divide(make())
    assert d.payment == {"001": 702, "002": 351, "003": 117}
    assert d.pool == 1170


def test_discount_not_carried_leaves_the_pool_short():
    # "003" gets 20 % off its 117: pays 117 - 23.4 = 93.6; nobody carries 23.4.
    d = divide(make(discounts={"003": F(20)}))
    assert d.discount["003"] == F(234, 10)
    assert d.payment == {"001": 702, "002": 351, "003": F(936, 10)}
    assert sum(d.payment.values()) == 1170 - F(234, 10)


def test_discount_carried_by_lead():
    d = divide(make(discounts={"003": F(20)}, carrier=CARRIER_LEAD))
    assert d.payment["001"] == 702 + F(234, 10)  # lead pays its share plus the 23.4
    assert sum(d.payment.values()) == 1170


def test_discount_carried_by_others_by_key():
    # 23.4 split between 001 and 002 in 600:300 -> 15.6 and 7.8
    d = divide(make(discounts={"003": F(20)}, carrier=CARRIER_OTHERS))
    assert d.payment == {"001": 702 + F(156, 10), "002": 351 + F(78, 10), "003": F(936, 10)}
    assert sum(d.payment.values()) == 1170


def test_published_rounding_rounds_each_cell_and_total_from_unrounded_sum():
    # Two services of 1 € each, split 60/30/10 (no flat rate): 0.6, 0.3, 0.1 per service.
    services = [Service("a", "A", F(1)), Service("b", "B", F(1))]
    inp = DivisionInput(services, F(0), KEY, NAMES, "001")
    table = round_division(divide(inp), PUBLISHED).set_index("kuntanumero")
    assert list(table["a"]) == [1, 0, 0]  # 0.6 -> 1, 0.3 -> 0, 0.1 -> 0
    assert list(table["yhteensa"]) == [1, 1, 0]  # 1.2 -> 1, 0.6 -> 1, 0.2 -> 0
    assert table.loc["002", "a"] + table.loc["002", "b"] == 0  # cells of a row need not add up


def test_exact_sum_rounding_adds_up_across_rows_and_columns():
    services = [Service("a", "A", F(1)), Service("b", "B", F(1))]
    inp = DivisionInput(services, F(0), KEY, NAMES, "001")
    table = round_division(divide(inp), EXACT_SUM).set_index("kuntanumero")
    # column a: 0.6, 0.3, 0.1 -> total 1: floors 0, 0, 0; the unit goes to the largest (0.6)
    assert list(table["a"]) == [1, 0, 0] and list(table["b"]) == [1, 0, 0]
    assert list(table["yhteensa"]) == [2, 0, 0]
    assert table["maksuosuus"].sum() == 2


def test_exact_sum_with_carried_discount_adds_up_to_the_pool():
    table = round_division(
        divide(make(discounts={"003": F(20)}, carrier=CARRIER_OTHERS)), EXACT_SUM
    )
    # cells 702, 351, 117; discount 20 % of 117 = 23.4 -> 23; carried 23 by 600:300 -> 15.33, 7.67
    # -> largest remainder: 15 + 8
    assert list(table["alennus"]) == [0, 0, 23]
    assert list(table["alennuksen_kattaminen"]) == [15, 8, 0]
    assert list(table["maksuosuus"]) == [717, 359, 94]
    assert table["maksuosuus"].sum() == 1170


def test_non_lead_share():
    # The others (002, 003) hold 40 % of the key: 40 % of 1170 = 468
    nl = non_lead_share(divide(make()), PUBLISHED)
    assert nl.share == F(2, 5) and nl.total == 468 and nl.per_service == {"a": 468}


def test_lead_must_take_part():
    with pytest.raises(ValueError):
        divide(DivisionInput([Service("a", "A", F(1))], F(0), KEY, NAMES, "999"))
