"""The comparison of the 2025 alternatives: each alternative's payment, net and change against the
decided areas per municipality, all on one pool basis (the default of the 2025 comparisons, or its
second view), as one long frame that the command line, the report notebook, the explorer and the
municipality cards read alike.

The figures are :func:`kustannukset.scenarios.engine.evaluate`'s, so the basis rules hold here
too: a payment's net is the 2025 state funding less the payment, its change is against the decided
areas evaluated on the same basis, and the experiment era's payment is a historical column only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.scenarios.context import Context
from kustannukset.scenarios.engine import ScenarioResult, evaluate, key_label
from kustannukset.scenarios.model import Scenario, basis_of, on_basis, read_scenario_yaml

# The columns of the long frame, one row per alternative and municipality
ALTERNATIVE = "Vaihtoehto"
FILE = "Skenaario (tiedosto)"
DECIDED_AREA = "Päätetty alue"
PAYMENT = "Maksuosuus €"
FUNDING = "Valtionosuus, arvio €"
NET = "Netto €"
CHANGE = "Muutos päätettyyn 2025 €"
BASIS = "Potin peruste"
CHANGE_BASIS = "Vertailun peruste"
TOTAL = "Yhteensä"
OUTSIDE = "(ei päätetyillä alueilla)"


def in_order(paths: Sequence[Path]) -> list[Path]:
    """Scenario files in the order of their names: A, B, C, C1 …, then the others."""
    return sorted(paths, key=lambda p: (str(read_scenario_yaml(p).get("nimi", "")), p.stem))


def is_alternative(scenario: Scenario) -> bool:
    """A 2025 alternative: not every area on the experiment era's costs (as ``perusura`` is)."""
    return any(not basis_of(area.pool).experiment for area in scenario.areas)


def alternatives(context: Context) -> list[Scenario]:
    """The 2025 alternatives of the data folder for the decided areas' municipalities, in the
    order of their names. A scenario that reaches further (the decided areas of all of mainland
    Finland) is no alternative for them: it is evaluated by its name."""
    scenarios = [context.scenario(path) for path in in_order(context.scenario_paths())]
    within = set(decided_areas(context))
    return [s for s in scenarios if is_alternative(s) and (not within or set(s.members) <= within)]


def short_name(scenario: Scenario) -> str:
    """'C1' of 'C1 – Päätetyt alueet 2025, …'; a name without a letter as it is."""
    return scenario.name.split(" – ")[0]


@dataclass(frozen=True)
class Comparison:
    """The alternatives evaluated on one view: the long frame, the results and the notes."""

    frame: pd.DataFrame
    results: list[ScenarioResult]
    notes: list[str]
    basis: str  # the view's basis ('kustannusmalli')


def compare(
    context: Context, scenarios: Sequence[Scenario] | None = None, base: str | None = None
) -> Comparison:
    """Every alternative (by default those of the data folder) evaluated with the areas whose
    file names no pool on the view's basis (``base``: by default the default basis of the 2025
    comparisons, or e.g. its second view ``valtionosuus``)."""
    scenarios = alternatives(context) if scenarios is None else list(scenarios)
    spec = context.pool_view(base)
    results = [evaluate(context, on_basis(s, spec)) for s in scenarios]
    return Comparison(
        comparison_frame(context, results),
        results,
        comparison_notes(context, results, basis_of(spec).name),
        basis_of(spec).name,
    )


def decided_areas(context: Context) -> dict[str, str]:
    """Each municipality's decided area (the comparison scenario ``vertailuskenaario``)."""
    key = ("päätetyt alueet", "kunnittain")
    if key not in context.cache:
        name = str(context.rule("vertailuskenaario").value)
        try:
            decided = context.scenario(name)
        except InputError:  # a data folder without the decided areas: nothing to group by
            return {}
        context.cache[key] = {code: area.name for area in decided.areas for code in area.members}
    return context.cache[key]


def comparison_frame(context: Context, results: Sequence[ScenarioResult]) -> pd.DataFrame:
    """One row per alternative and municipality: its area, the pool basis, the payment, the
    state-funding estimate, the net, the change against the decided areas on the same basis (and
    that basis), the experiment's historical payment and the statuses."""
    year = context.comparison_year
    decided = decided_areas(context)
    money = [PAYMENT, FUNDING, NET, CHANGE, f"Kokeilu {year} €"]
    columns = [
        "Alue",
        "Kunta",
        "Kuntanumero",
        BASIS,
        PAYMENT,
        FUNDING,
        NET,
        CHANGE,
        CHANGE_BASIS,
        f"Kokeilu {year} €",
        "Maksuosuuden tila",
        "Valtionosuuden tila",
    ]
    frames = []
    for result in results:
        rows = result.municipalities
        count = len(rows)
        data: dict[str, object] = {
            ALTERNATIVE: [short_name(result.scenario)] * count,
            FILE: [result.scenario.code] * count,
            DECIDED_AREA: [decided.get(c, OUTSIDE) for c in rows["Kuntanumero"]],
        }
        for column in columns:
            if column in rows:
                data[column] = rows[column].array
            else:  # the experiment's costs have no funding, net or change
                data[column] = pd.array(
                    [None] * count, dtype="Int64" if column in money else object
                )
        order = [ALTERNATIVE, FILE, "Alue", DECIDED_AREA, *columns[1:]]
        frames.append(pd.DataFrame(data, columns=order))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def wide(comparison: Comparison) -> pd.DataFrame:
    """The comparison as a table: a row per municipality, grouped by decided area with a sum row
    per area, a column pair (payment, net) per alternative, the state funding once and the
    experiment's payment as a historical column. A sum is shown when every member has the
    figure."""
    frame = comparison.frame
    year_column = next(c for c in frame.columns if c.startswith("Kokeilu "))
    order = list(dict.fromkeys(frame[ALTERNATIVE]))
    base = (
        frame.drop_duplicates("Kuntanumero")
        .set_index("Kuntanumero")[["Kunta", DECIDED_AREA, FUNDING, year_column]]
        .rename(columns={year_column: f"{year_column[:-2]} € (historia)"})
    )
    for short in order:
        part = frame[frame[ALTERNATIVE] == short].set_index("Kuntanumero")
        base[f"{short} maksu €"] = part[PAYMENT]
        base[f"{short} netto €"] = part[NET]
    groups = list(dict.fromkeys(frame.sort_values(DECIDED_AREA, key=_area_order)[DECIDED_AREA]))
    rows = []
    for group in groups:
        members = base[base[DECIDED_AREA] == group].sort_values(
            "Kunta", key=lambda s: s.str.lower()
        )
        rows.append(members)
        total = {"Kunta": TOTAL, DECIDED_AREA: group}
        for column in members.columns[2:]:
            values = members[column]
            total[column] = values.sum() if values.notna().all() else pd.NA
        rows.append(pd.DataFrame([total], index=[f"{TOTAL} {group}"]))
    table = pd.concat(rows)
    for column in table.columns[2:]:
        table[column] = table[column].astype("Int64")
    return table.reset_index(drop=True)


def with_headings(table: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    """The :func:`wide` table without its area column, a heading row before each decided area's
    municipalities ('Tampereen seudun työllisyysalue (päätetty alue)'), and the headings' rows."""
    parts, titles, count = [], [], 0
    for group, members in table.groupby(DECIDED_AREA, sort=False):
        heading = {"Kunta": group if group == OUTSIDE else f"{group} (päätetty alue)"}
        parts.append(pd.DataFrame([heading]))
        parts.append(members.drop(columns=[DECIDED_AREA]))
        titles.append(count)
        count += 1 + len(members)
    shown = pd.concat(parts, ignore_index=True)
    for column in shown.columns[1:]:
        shown[column] = shown[column].astype("Int64")
    return shown, titles


def _area_order(names: pd.Series) -> pd.Series:
    """The decided areas in their order of first appearance, municipalities outside them last."""
    first = list(dict.fromkeys(names))
    return names.map(lambda n: (n == OUTSIDE, first.index(n)))


def comparison_notes(context: Context, results: Sequence[ScenarioResult], basis: str) -> list[str]:
    """What the comparison shows and rests on, said once for all alternatives."""
    year = context.comparison_year
    other = [
        f"{short_name(r.scenario)}: {', '.join(b.name for b in r.bases)}"
        for r in results
        if [b.name for b in r.bases] != [basis]
    ]
    notes = [
        f"Maksu = maksuosuus, netto = valtionosuusarvio − maksuosuus (ARVIO). Kaikki maksut ja "
        f"netot on laskettu potin perusteella '{basis}'"
        + (f", paitsi {'; '.join(other)}" if other else "")
        + "; muutokset päätettyihin alueisiin samalla perusteella."
    ]
    pools = dict.fromkeys(division.pool.label for r in results for division in r.divisions.values())
    notes.extend(f"Kustannuspotti: {label}" for label in pools)
    funding = next((n for r in results for n in r.notes if n.startswith("Valtionosuus on")), None)
    if funding:
        notes.append(funding)
    notes.append(
        f"Kokeilu {year} € (historia): kokeilukauden maksuosuus (hintataulukko {year}); sitä ei "
        "vähennetä vuoden 2025 maksuista."
    )
    for result in results:
        scenario = result.scenario
        areas = result.areas
        rule = "; ".join(
            f"{row['Alue']} {row['20 000 -sääntö']}"
            for row in areas.to_dict("records")
            if row["20 000 -sääntö"] != "täyttyy"
        )
        first = scenario.areas[0].key
        keys = "; ".join(
            [key_label(first)]
            + [f"{a.name}: {key_label(a.key)}" for a in scenario.areas if a.key != first]
        )
        count = len(scenario.areas)
        notes.append(
            f"{short_name(scenario)} = {scenario.name.split(' – ', 1)[-1]}: {count} "
            f"{'alue' if count == 1 else 'aluetta'}; {keys}"
            + (f"; 20 000 -sääntö: {rule}" if rule else "")
        )
        notes.extend(
            f"{short_name(scenario)}: {n}" for n in result.notes if "ei laskettavissa" in n
        )
    return notes
