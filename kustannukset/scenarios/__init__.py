"""Scenarios for organising the employment services from 2025: employment areas, cost keys, checks
against the law, payments compared on one pool basis, a state-funding estimate, and a fast
vectorised engine for sweeps.

``model`` reads and validates scenario files, ``context`` loads what they are evaluated against
(and the default pool basis of the 2025 comparisons), ``rules`` checks the areas, ``engine``
divides the pools exactly, ``funding`` estimates the state funding, ``comparison`` sets the 2025
alternatives side by side, ``fast`` evaluates many weight mixes at once, ``geo`` knows the
municipal boundaries.

This package's names below are its public interface: the all-partitions domain
(:mod:`kustannukset.districts`) reads the scenarios through them and nothing else.
"""

from kustannukset.scenarios.context import (
    Context,
    default_pool_spec,
    load_context,
    second_pool_spec,
)
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.funding import describe as describe_funding
from kustannukset.scenarios.funding import key_figures, resolve_pool, rounded_national
from kustannukset.scenarios.geo import BACKGROUND, MAP_ATTRIBUTION, SOURCES_LINE
from kustannukset.scenarios.model import (
    Area,
    KeyPart,
    PoolSpec,
    Scenario,
    load_scenario,
    measure_label,
)
from kustannukset.scenarios.rules import LabourForce, default_lead, labour_force

__all__ = [
    "BACKGROUND",
    "MAP_ATTRIBUTION",
    "SOURCES_LINE",
    "Area",
    "Context",
    "KeyPart",
    "LabourForce",
    "PoolSpec",
    "Scenario",
    "ScenarioResult",
    "default_lead",
    "default_pool_spec",
    "describe_funding",
    "evaluate",
    "key_figures",
    "labour_force",
    "load_context",
    "load_scenario",
    "measure_label",
    "resolve_pool",
    "rounded_national",
    "second_pool_spec",
]
