"""Numbers as Finnish readers expect them: 370 841, 3,1 %, 1 234,50 €."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from fractions import Fraction

import pandas as pd

from kustannukset.core.money import display, exact

NBSP = "\u00a0"
MINUS = "\u2212"


def euros(value: float | int | Fraction, decimals: int = 0) -> str:
    """'370 841' or '1 234,50' (a space between thousands, a decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    # a whole number is shown as it is (no rounding to do); others are rounded for display
    rounded = int(value) if isinstance(value, numbers.Integral) else display(exact(value), decimals)
    sign = "-" if rounded < 0 else ""
    units, rest = divmod(abs(rounded) * 10**decimals, 10**decimals)
    text = f"{int(units):,}".replace(",", " ")
    if decimals:
        text += "," + str(int(rest)).zfill(decimals)
    return sign + text


def axis_number(value: float, decimals: int = 0) -> str:
    """A chart label: '175 000', '0,25', '−2' (the minus sign U+2212 and a non-breaking space
    between thousands; never '−0')."""
    text = euros(abs(value), decimals).replace(" ", NBSP)
    if value < 0 and text.strip("0,") != "":
        return MINUS + text
    return text


def date(day: dt.date) -> str:
    """A date as Finns write it: 1.1.2021 (no leading zeros)."""
    return f"{day.day}.{day.month}.{day.year}"


def decimal(value: float | Fraction, decimals: int = 1) -> str:
    """A shown figure with a decimal comma: 2.4 -> '2,4' (display rounding, half up)."""
    return euros(value, decimals).replace(" ", "")


def percent(value: float | Fraction, decimals: int = 1) -> str:
    """0.031 -> '3,1 %'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return euros(exact(value) * 100, decimals).replace(" ", "") + " %"


def euro_table(frame: pd.DataFrame) -> str:
    """A plain-text table with integers in Finnish format, for terminals and nbval."""
    formatters = {
        column: euros for column in frame.columns if pd.api.types.is_numeric_dtype(frame[column])
    }
    return frame.to_string(index=False, formatters=formatters)
