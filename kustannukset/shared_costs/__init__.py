"""The shared costs of the experiment era: the yearly division of the services Tampere produces
for the municipalities (``division`` the formulas, ``pricing`` the year's inputs and tables,
``workbook`` the Excel price table, ``notebook`` the yearly report).

The names below are this domain's public interface: the other domains (the international services
and the 2025 scenarios) divide their pools with the same formulas and compare with the experiment
era's table, and they import them from here, never from the modules inside.
"""

from kustannukset.shared_costs.division import (
    CARRIER_LEAD,
    CARRIER_NOBODY,
    CARRIER_OTHERS,
    CARRIERS,
    DivisionInput,
    ExactDivision,
    Service,
    divide,
    round_division,
    split_by_key,
    with_flat_rate,
)
from kustannukset.shared_costs.pricing import YearInputs, load_year

__all__ = [
    "CARRIERS",
    "CARRIER_LEAD",
    "CARRIER_NOBODY",
    "CARRIER_OTHERS",
    "DivisionInput",
    "ExactDivision",
    "Service",
    "YearInputs",
    "divide",
    "load_year",
    "round_division",
    "split_by_key",
    "with_flat_rate",
]
