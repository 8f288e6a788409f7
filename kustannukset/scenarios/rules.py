"""The rules an employment area must meet (law 380/2023), checked per area.

1. Labour force at least 20 000 (``tyovoimaraja``), or an exception applied for (``poikkeus`` in the
   scenario). The labour force is the sum of the measures in ``tyovoima`` of
   ``data/parametrit/tyollisyysalueet.yaml`` (by default the employment-statistics labour force
   31.12.2021, for most municipalities derived from the 12r5 denominator: the parameter's status
   ``arvio`` makes every result say "johdettu arvio").
2. Geographically contiguous: the members form one connected set of neighbours on the map.
3. Each municipality in exactly one area (a second membership is already an error when the scenario
   is read); the region's municipalities left without an area are listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.model import Area, Scenario, measure_label

MEETS = "täyttyy"
FAILS = "ei täyty"
EXCEPTION = "poikkeus haettu"
UNKNOWN = "ei tiedossa"


@dataclass(frozen=True)
class LabourForce:
    total: Fraction | None
    measures: tuple[str, ...]
    year: int
    missing: str | None  # the error message when a figure is missing
    estimate: bool = True  # the rule's status is 'arvio'

    @property
    def description(self) -> str:
        names = " + ".join(measure_label(m, self.year) for m in self.measures)
        return f"{names} (johdettu arvio)" if self.estimate else names


def labour_force(context: Context, codes) -> LabourForce:
    spec = context.spec("tyovoima")
    measures, year = spec.measures, spec.year
    estimate = context.rule("tyovoima").status == "arvio"
    try:
        total = Fraction(0)
        for measure in measures:
            total += sum(
                context.values(measure, year, codes, purpose="työvoiman 20 000 -raja").values()
            )
    except InputError as exc:
        return LabourForce(None, measures, year, exc.message, estimate)
    return LabourForce(total, measures, year, None, estimate)


def default_lead(context: Context, codes) -> str:
    """The responsible municipality of an area that names none: the member with the largest labour
    force (the measures of the 20 000 rule), ties to the smaller municipality code."""
    codes = sorted(codes)
    force = {code: labour_force(context, [code]).total for code in codes}
    known = [c for c in codes if force[c] is not None]
    if not known:
        return codes[0]
    return max(known, key=lambda c: (force[c], -int(c)))


def verdict(total: Fraction | None, threshold: int, exception: str | None) -> str:
    if total is None:
        return UNKNOWN
    if total >= threshold:
        return MEETS
    return EXCEPTION if exception else FAILS


def check_area(context: Context, area: Area) -> dict:
    """The area's checks; the same members, responsible municipality and exception are checked
    once per context (the key and the pool do not enter the checks)."""
    key = ("alueen tarkistus", area.name, area.lead, area.members, area.exception)
    return dict(context.remember(key, lambda: _check_area(context, area)))


def _check_area(context: Context, area: Area) -> dict:
    threshold = int(context.rule("tyovoimaraja").value)
    force = labour_force(context, area.members)
    parts = context.boundaries.components(area.members)
    contiguous = len(parts) == 1
    detached = [] if contiguous else [context.name(c) for part in parts[1:] for c in part]
    return {
        "Alue": area.name,
        "Vastuukunta": context.name(area.lead),
        "Kuntia": len(area.members),
        "Työvoima": None if force.total is None else int(force.total),
        "Raja": threshold,
        "20 000 -sääntö": verdict(force.total, threshold, area.exception),
        "Yhtenäinen": "kyllä" if contiguous else "ei: erillään " + ", ".join(detached),
        "Työvoiman mittarit": force.description,
        "Huom": force.missing or (f"poikkeus: {area.exception}" if area.exception else ""),
    }


def check_scenario(context: Context, scenario: Scenario) -> pd.DataFrame:
    """One row per area: labour force against the threshold, contiguity, and what the check used."""
    return pd.DataFrame([check_area(context, area) for area in scenario.areas])


def unassigned(context: Context, scenario: Scenario, region: str = "Pirkanmaa") -> list[str]:
    """The region's municipalities (by the register) that the scenario puts in no area."""
    table = context.statistics.municipalities.table
    in_region = sorted(table.index[table["maakunta"] == region])
    members = set(scenario.members)
    return [context.name(c) for c in in_region if c not in members]
