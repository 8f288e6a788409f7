"""Money rounding: the two named rules, by hand-worked cases and by properties."""

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kustannukset.core.money import (
    CENT,
    EXACT_SUM,
    PUBLISHED,
    exact,
    largest_remainder,
    round_half_up,
    round_shares,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (F(1, 2), 1),  # a half goes up, not to even (Python's round(0.5) == 0)
        (F(5, 2), 3),  # 2.5 -> 3 (round(2.5) == 2)
        (F(-1, 2), -1),  # halves go away from zero
        (F(249, 100), 2),
        (F(147477_33, 100), 147477),  # johtaminen 2023: 126 049 * 1.17 = 147 477.33
        (F(92971_71, 100), 92972),  # ICT from the rounded published cost: 79 463 * 1.17
    ],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


def test_round_half_up_to_cents():
    assert round_half_up(F(12345, 1000), CENT) == F(1235, 100)  # 12.345 -> 12.35


def test_exact_reads_decimal_text_and_floats_without_binary_error():
    assert exact("0,1") == F(1, 10)
    assert exact(0.1) == F(1, 10)


def test_largest_remainder_hand_case():
    # 100 split 1:1:1 -> 33.33 each; one euro left over goes to the smallest key (tie-break).
    shares = {"020": F(100, 3), "108": F(100, 3), "143": F(100, 3)}
    assert largest_remainder(shares, 100) == {"020": 34, "108": 33, "143": 33}


def test_largest_remainder_gives_leftover_to_largest_remainders():
    # floors 10 + 20 + 30 = 60, 2 left: remainders .7 (c) and .6 (a) win over .2 (b)
    shares = {"a": F(106, 10), "b": F(202, 10), "c": F(307, 10)}
    assert largest_remainder(shares, 62) == {"a": 11, "b": 20, "c": 31}


def test_largest_remainder_rejects_an_unreachable_total():
    with pytest.raises(ValueError):
        largest_remainder({"a": F(1, 2), "b": F(1, 2)}, 5)


def test_published_rule_does_not_force_the_sum():
    # Three thirds of 100: each cell 33, the total 100 from the unrounded sum.
    cells, total = round_shares({"a": F(100, 3), "b": F(100, 3), "c": F(100, 3)}, PUBLISHED)
    assert cells == {"a": 33, "b": 33, "c": 33} and total == 100


def test_unknown_rule_is_an_error():
    with pytest.raises(ValueError, match="tuntematon pyöristyssääntö"):
        round_shares({"a": F(1)}, "pyöreä")


amounts = st.dictionaries(
    st.from_regex(r"[0-9]{3}", fullmatch=True),
    st.fractions(min_value=0, max_value=10**6, max_denominator=10**4),
    min_size=1,
    max_size=40,
)


@given(amounts)
def test_exact_sum_adds_up_to_the_rounded_pool(shares):
    cells, total = round_shares(shares, EXACT_SUM)
    assert sum(cells.values()) == total == round_half_up(sum(shares.values()))
    # and no share moves by a euro or more
    assert all(abs(cells[k] - shares[k]) < 1 for k in shares)


@given(amounts, st.randoms())
def test_exact_sum_does_not_depend_on_row_order(shares, rnd):
    keys = list(shares)
    rnd.shuffle(keys)
    shuffled = {k: shares[k] for k in keys}
    assert round_shares(shuffled, EXACT_SUM)[0] == round_shares(shares, EXACT_SUM)[0]


@given(
    st.dictionaries(
        st.from_regex(r"[0-9]{3}", fullmatch=True),
        st.fractions(min_value=-(10**5), max_value=10**5, max_denominator=1000),
        min_size=1,
        max_size=30,
    )
)
def test_exact_sum_to_the_cent_with_refunds(shares):
    cells, total = round_shares(shares, EXACT_SUM, CENT)
    assert sum(cells.values()) == total
    assert all((c / CENT).denominator == 1 for c in cells.values())
