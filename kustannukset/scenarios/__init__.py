"""Scenarios for organising the employment services from 2025: employment areas, cost keys, checks
against the law, payments compared with the experiment era, a state-funding estimate, and a fast
vectorised engine for sweeps.

``model`` reads and validates scenario files, ``context`` loads what they are evaluated against,
``rules`` checks the areas, ``engine`` divides the pools exactly, ``funding`` estimates the state
funding, ``fast`` evaluates many weight mixes at once, ``geo`` knows the municipal boundaries.
"""

from kustannukset.scenarios.context import Context, load_context
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.model import Scenario, load_scenario

__all__ = ["Context", "Scenario", "ScenarioResult", "evaluate", "load_context", "load_scenario"]
