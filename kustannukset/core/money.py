"""Money rounding: the one place where euros become whole euros (or cents).

Every amount is computed exactly (``fractions.Fraction``) and rounded only at the end, by one of two
named rules:

``julkaistu`` (as published)
    Each cell is rounded half-up on its own; a row's total is the rounded *unrounded* sum. This is
    how the official price table was made, so it reproduces the published figures, but the rounded
    cells of a row or a column need not add up to the rounded total (Parkano 2023:
    1765+1112+595+966 = 4438, published total 4437).

``tasasumma`` (exact sum)
    Largest remainder (Hamilton): each share is floored, and the units left over go one each to the
    largest remainders, ties to the smaller municipality code. The rounded shares add up exactly to
    the rounded total, whatever the order of the rows. Use it for invoices.

Half-up means away from zero at exactly one half (0.5 -> 1, 2.5 -> 3, -0.5 -> -1), as a
spreadsheet's ROUND does; not Python's round-half-even.

Display rounding (``display``, ``display_array``) is the same half-up rule to a given number of
decimals, for figures that are shown but not billed: euros per inhabitant, percentages, person-years,
and unrounded amounts from the vectorised engines. Nothing else in the package rounds money: no
``round()``, ``numpy.rint`` or ``numpy.round``, and number formatting receives already-rounded values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import numpy as np

PUBLISHED = "julkaistu"
EXACT_SUM = "tasasumma"
RULES = (PUBLISHED, EXACT_SUM)
RULE_DESCRIPTIONS = {
    PUBLISHED: "julkaistu: jokainen solu pyöristetään erikseen (puolikas ylöspäin), rivin summa "
    "pyöristämättömästä summasta, kuten virallisessa hintataulukossa",
    EXACT_SUM: "tasasumma: suurimman jakojäännöksen menetelmä, tasapelit pienemmälle "
    "kuntanumerolle; laskut täsmäävät euron tarkasti kokonaissummaan",
}

EURO = Fraction(1)
CENT = Fraction(1, 100)

Number = int | Fraction | Decimal | float


def exact(value: Number | str) -> Fraction:
    """An amount as an exact fraction; a float via its shortest decimal form (0.1 -> 1/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, np.generic):  # a numpy scalar, e.g. from a DataFrame column
        value = value.item()
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        return Fraction(Decimal(value.strip().replace(",", ".")))
    return Fraction(value)


def check_rule(rule: str) -> str:
    if rule not in RULES:
        raise ValueError(f"tuntematon pyöristyssääntö '{rule}': valitse {' tai '.join(RULES)}")
    return rule


def round_half_up(value: Number, unit: Fraction = EURO) -> Fraction:
    """Round to a multiple of ``unit``, halves away from zero."""
    units = exact(value) / unit
    sign = -1 if units < 0 else 1
    return sign * math.floor(abs(units) + Fraction(1, 2)) * unit


def to_euros(value: Number) -> int:
    """Half-up to whole euros, as an int."""
    return int(round_half_up(value, EURO))


def largest_remainder(
    shares: Mapping[str, Number], total: Number, unit: Fraction = EURO
) -> dict[str, Fraction]:
    """Round ``shares`` to multiples of ``unit`` so that they add up exactly to ``total``.

    ``total`` must itself be a multiple of ``unit`` and lie within ``len(shares)`` units above the
    sum of the floored shares (which holds whenever it is the rounded sum of the shares). The keys
    are the tie-break: among equal remainders the smaller key gets the unit first, so the result
    never depends on the order of ``shares``.
    """
    total_units = exact(total) / unit
    if total_units.denominator != 1:
        raise ValueError(f"summa {total} ei ole yksikön {unit} monikerta")
    units = {key: exact(value) / unit for key, value in shares.items()}
    floors = {key: math.floor(u) for key, u in units.items()}
    left = int(total_units) - sum(floors.values())
    if not 0 <= left <= len(units):
        raise ValueError(
            f"summaa {total} ei voi jakaa osuuksille, joiden summa on {sum(units.values()) * unit}"
        )
    order = sorted(units, key=lambda key: (-(units[key] - floors[key]), key))
    for key in order[:left]:
        floors[key] += 1
    return {key: floors[key] * unit for key in shares}


def round_shares(
    shares: Mapping[str, Number], rule: str, unit: Fraction = EURO
) -> tuple[dict[str, Fraction], Fraction]:
    """Round a column of shares by ``rule``; returns the rounded shares and the rounded total.

    Under ``julkaistu`` the total is the rounded unrounded sum and the shares need not add up to it;
    under ``tasasumma`` they do.
    """
    check_rule(rule)
    total = round_half_up(sum(exact(v) for v in shares.values()), unit)
    if rule == PUBLISHED:
        return {k: round_half_up(v, unit) for k, v in shares.items()}, total
    return largest_remainder(shares, total, unit), total


def display(value: Number, decimals: int = 0) -> Fraction:
    """A shown figure rounded half-up to ``decimals`` decimals (exact, as a fraction)."""
    return round_half_up(value, Fraction(1, 10**decimals))


def display_array(values, decimals: int = 0) -> np.ndarray:
    """Floating-point figures (from the vectorised engines) rounded half-up to ``decimals``, for
    display only; NaN stays NaN. Billing never uses this: it rounds exact amounts."""
    array = np.asarray(values, dtype=float)
    scale = 10.0**decimals
    return np.sign(array) * np.floor(np.abs(array) * scale + 0.5) / scale


def allocate(
    amounts: Mapping[str, Number], rule: str = EXACT_SUM, unit: Fraction = EURO
) -> dict[str, Fraction]:
    """Exact amounts that together make one sum (an area's pool, a column of invoices), rounded
    once by ``rule``: under ``tasasumma`` they add up to the rounded sum exactly."""
    return round_shares(amounts, rule, unit)[0]
