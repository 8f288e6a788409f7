"""Dividing a cost pool between municipalities by a key: the formulas of the cost-sharing annex.

Everything here is exact (``Fraction``); rounding to euros happens once, in :func:`round_division`,
by a rule of :mod:`kustannukset.core.money`.

1. A service's total is its cost plus the flat rate: ``kulut * (1 + flat_rate_pct / 100)``.
2. Each service total is split by the key: municipality *i* gets ``total * key_i / sum(key)``.
3. A municipality's *Yhteensä* is the sum of its service cells.
4. A discount of *p* % takes ``p / 100 * Yhteensä`` off; the discounted amount is carried by nobody
   (the pool is left short), by the lead municipality, or by the other municipalities in proportion
   to the key (those without a discount of their own).
5. *Maksuosuus* = Yhteensä - Alennus € + the share of others' discounts it carries.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from kustannukset.core.money import (
    EXACT_SUM,
    PUBLISHED,
    allocate,
    check_rule,
    largest_remainder,
    round_half_up,
)

CARRIER_NOBODY = "ei_kukaan"
CARRIER_LEAD = "vastuukunta"
CARRIER_OTHERS = "muut"
CARRIERS = {
    CARRIER_NOBODY: "ei kukaan (alennus jää kattamatta, potti jää vajaaksi)",
    CARRIER_LEAD: "vastuukunta kattaa alennukset",
    CARRIER_OTHERS: "muut kunnat kattavat alennukset jakoperusteen suhteessa",
}


@dataclass(frozen=True)
class Service:
    code: str  # column name, e.g. "ict"
    heading: str  # column heading as published
    cost: Fraction  # Kulut/vuosi, without the flat rate


@dataclass(frozen=True)
class DivisionInput:
    """What a division needs; every figure exact."""

    services: Sequence[Service]
    flat_rate_pct: Fraction
    key: Mapping[str, Fraction]  # kuntanumero -> key value (e.g. population)
    names: Mapping[str, str]  # kuntanumero -> name
    lead: str  # kuntanumero of the lead municipality
    discounts_pct: Mapping[str, Fraction] = field(default_factory=dict)
    carrier: str = CARRIER_NOBODY


def with_flat_rate(cost: Fraction, flat_rate_pct: Fraction) -> Fraction:
    """Yhteensä = Kulut/vuosi + flat rate."""
    return cost * (1 + flat_rate_pct / 100)


def split_by_key(total: Fraction, key: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Split ``total`` in proportion to ``key``; the parts add up to ``total`` exactly."""
    key_sum = sum(key.values())
    if key_sum <= 0:
        raise ValueError("jakoperusteen summa ei ole positiivinen")
    return {code: total * value / key_sum for code, value in key.items()}


def carry(
    total: Fraction,
    key: Mapping[str, Fraction],
    discounts_pct: Mapping[str, Fraction],
    carrier: str,
    lead: str,
) -> dict[str, Fraction]:
    """Who carries ``total`` of discounts: nobody, the lead, or the undiscounted others by key."""
    if carrier not in CARRIERS:
        raise ValueError(f"tuntematon alennuksen kattaja '{carrier}'")
    carried = dict.fromkeys(key, Fraction(0))
    if total and carrier == CARRIER_LEAD:
        carried[lead] = total
    elif total and carrier == CARRIER_OTHERS:
        others = {code: value for code, value in key.items() if not discounts_pct.get(code)}
        carried.update(split_by_key(total, others))
    return carried


def discount_amounts(
    gross: Mapping[str, Fraction],
    key: Mapping[str, Fraction],
    discounts_pct: Mapping[str, Fraction],
    carrier: str,
    lead: str,
) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """Each municipality's discount (Alennus €) and its share of carrying the others' discounts."""
    discount = {code: gross[code] * discounts_pct.get(code, Fraction(0)) / 100 for code in gross}
    return discount, carry(sum(discount.values()), key, discounts_pct, carrier, lead)


@dataclass(frozen=True)
class ExactDivision:
    """The division before rounding."""

    input: DivisionInput
    service_totals: dict[str, Fraction]  # service code -> Yhteensä (with flat rate)
    cells: dict[str, dict[str, Fraction]]  # service code -> kuntanumero -> share
    gross: dict[str, Fraction]  # kuntanumero -> Yhteensä
    discount: dict[str, Fraction]  # kuntanumero -> Alennus €
    carried: dict[str, Fraction]  # kuntanumero -> share of others' discounts carried
    payment: dict[str, Fraction]  # kuntanumero -> Maksuosuus

    @property
    def codes(self) -> list[str]:
        return sorted(self.input.key)

    @property
    def pool(self) -> Fraction:
        return sum(self.service_totals.values())

    def key_share(self, code: str) -> Fraction:
        return self.input.key[code] / sum(self.input.key.values())


def divide(inp: DivisionInput) -> ExactDivision:
    if inp.lead not in inp.key:
        raise ValueError(f"vastuukunta {inp.lead} ei ole jaossa mukana")
    totals = {s.code: with_flat_rate(s.cost, inp.flat_rate_pct) for s in inp.services}
    cells = {s.code: split_by_key(totals[s.code], inp.key) for s in inp.services}
    gross = {code: sum(cells[s.code][code] for s in inp.services) for code in inp.key}
    discount, carried = discount_amounts(gross, inp.key, inp.discounts_pct, inp.carrier, inp.lead)
    payment = {code: gross[code] - discount[code] + carried[code] for code in inp.key}
    return ExactDivision(inp, totals, cells, gross, discount, carried, payment)


def round_division(division: ExactDivision, rule: str = PUBLISHED) -> pd.DataFrame:
    """The division in whole euros, one row per municipality in code order.

    Columns: kunta, kuntanumero, one per service, yhteensa, alennus,
    [alennuksen_kattaminen when someone carries discounts], maksuosuus.

    ``julkaistu``: every cell half-up on its own; yhteensa, alennus and maksuosuus from the
    unrounded amounts. ``tasasumma``: each service column by largest remainder to its rounded total,
    yhteensa as the sum of the row's cells, the discount half-up from that, the carried discounts by
    largest remainder; so every row and every column adds up and the payments add up to the pool
    (less the uncarried discounts) to the euro.
    """
    check_rule(rule)
    inp = division.input
    codes = division.codes

    def ints(amounts: dict[str, Fraction]) -> dict[str, int]:
        return {c: int(amounts[c]) for c in codes}

    columns = {s.code: ints(allocate(division.cells[s.code], rule)) for s in inp.services}
    if rule == PUBLISHED:
        gross = ints(allocate(division.gross, PUBLISHED))
        discount = ints(allocate(division.discount, PUBLISHED))
        carried = ints(allocate(division.carried, PUBLISHED))
        payment = ints(allocate(division.payment, PUBLISHED))
    else:
        # Every row and column adds up: the row totals are the sums of the rounded cells, the
        # discounts are taken from them, and the discounts carried are allocated to their sum.
        gross = {c: sum(columns[s.code][c] for s in inp.services) for c in codes}
        discount = {
            c: int(round_half_up(gross[c] * inp.discounts_pct.get(c, Fraction(0)) / 100))
            for c in codes
        }
        discounted = sum(discount.values())
        shares = carry(Fraction(discounted), inp.key, inp.discounts_pct, inp.carrier, inp.lead)
        carried_total = discounted if inp.carrier != CARRIER_NOBODY else 0
        carried = ints(largest_remainder(shares, carried_total))
        payment = {c: gross[c] - discount[c] + carried[c] for c in codes}
    frame = pd.DataFrame(
        {
            "kunta": [inp.names[c] for c in codes],
            "kuntanumero": codes,
            **{s.code: [columns[s.code][c] for c in codes] for s in inp.services},
            "yhteensa": [gross[c] for c in codes],
            "alennus": [discount[c] for c in codes],
        }
    )
    if inp.carrier != CARRIER_NOBODY:
        frame["alennuksen_kattaminen"] = [carried[c] for c in codes]
    frame["maksuosuus"] = [payment[c] for c in codes]
    return frame


@dataclass(frozen=True)
class NonLeadShare:
    """Yhteensä kuntien osuus: what the municipalities other than the lead pay, per service."""

    per_service: dict[str, int]
    total: int
    share: Fraction  # 1 - lead's key share


def non_lead_share(division: ExactDivision, rule: str = PUBLISHED) -> NonLeadShare:
    """The non-lead municipalities' part of each service total, in whole euros.

    ``julkaistu``: each service half-up from its unrounded amount, the total from the unrounded sum
    (2023: 78 915 + 49 749 + 26 592 + 43 180, total 198 436). ``tasasumma``: the sums of the
    non-lead municipalities' exact-sum cells.
    """
    inp = division.input
    share = 1 - division.key_share(inp.lead)
    if rule == PUBLISHED:
        exact = {code: total * share for code, total in division.service_totals.items()}
        return NonLeadShare(
            {code: int(round_half_up(v)) for code, v in exact.items()},
            int(round_half_up(sum(exact.values()))),
            share,
        )
    check_rule(rule)
    frame = round_division(division, EXACT_SUM)
    others = frame[frame["kuntanumero"] != inp.lead]
    per_service = {s.code: int(others[s.code].sum()) for s in inp.services}
    return NonLeadShare(per_service, sum(per_service.values()), share)
