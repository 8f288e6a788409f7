"""Scenarios for organising the employment services from 2025: employment areas, cost keys, checks
against the law, payments compared on one pool basis, a state-funding estimate, and a fast
vectorised engine for sweeps.

``model`` reads and validates scenario files, ``context`` loads what they are evaluated against
(and the default pool basis of the 2025 comparisons), ``rules`` checks the areas, ``engine``
divides the pools exactly, ``funding`` estimates the state funding, ``comparison`` sets the 2025
alternatives side by side, ``fast`` evaluates many weight mixes at once, ``geo`` knows the
municipal boundaries.
"""

from kustannukset.scenarios.context import (
    Context,
    default_pool_spec,
    load_context,
    second_pool_spec,
)
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.model import Scenario, load_scenario

__all__ = [
    "Context",
    "Scenario",
    "ScenarioResult",
    "default_pool_spec",
    "evaluate",
    "load_context",
    "load_scenario",
    "second_pool_spec",
]
