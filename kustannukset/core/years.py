"""The one check of a year, wherever a year is given: command line, notebook parameter, YAML or CSV.

A year is a four-digit number between 1900 and 2100, written as an integer (``2023``) or as text
(``"2023"``); ``'20x3'``, ``'123'`` and ``2023.5`` are refused with the same Finnish wording.
"""

from __future__ import annotations

import numbers
import re

from kustannukset.core.errors import InputError

FIRST_YEAR = 1900
LAST_YEAR = 2100
_DIGITS = re.compile(r"^\d{4}$")


def year_problem(value: object) -> str:
    """The Finnish sentence that refuses ``value`` as a year."""
    return (
        f"vuoden pitää olla nelinumeroinen vuosiluku {FIRST_YEAR}–{LAST_YEAR} (esim. 2023), "
        f"ei '{value}'"
    )


def year_or_none(value: object) -> int | None:
    """``value`` as a year, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        year = int(value)
    elif isinstance(value, str) and _DIGITS.match(value.strip()):
        year = int(value.strip())
    else:
        return None
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def parse_year(
    value: object,
    *,
    what: str = "",
    file=None,
    row: int | None = None,
    column: str | None = None,
) -> int:
    """``value`` as a year; otherwise an :class:`InputError` naming the place (``what`` names a
    parameter that has no file, such as a notebook's ``vuosi``)."""
    year = year_or_none(value)
    if year is None:
        message = year_problem(value)
        raise InputError(
            f"{what}: {message}" if what else message, file=file, row=row, column=column
        )
    return year
