"""Evaluating a scenario exactly: each municipality's payment, and how it compares.

Inside an area the pool is divided by the area's key. A mixed key is a weighted mix of *shares*:
municipality *i* gets ``sum_m w_m * x_mi / sum_j x_mj`` (``j`` over the area's members), so measures
of different size (population, unemployed) weigh as the weights say. The division itself, the
discounts and their carriers are those of :mod:`kustannukset.shared_costs.division`; each
municipality's payment is exact until the area's payments are rounded once, together, by
``tasasumma``, so that they add up to the area's pool to the euro.

Results are compared with the experiment era's price table (``vertailuvuosi``, by default 2023,
population split, as published).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import present
from kustannukset.core.money import EXACT_SUM, PUBLISHED, allocate
from kustannukset.scenarios.context import RULES_DATE, Context
from kustannukset.scenarios.funding import (
    budget,
    calibration,
    cost_model,
    funding_estimate,
    key_figures,
    resolve_pool,
)
from kustannukset.scenarios.model import SCENARIO_DIR, Area, KeyPart, Pool, Scenario, measure_label
from kustannukset.scenarios.rules import check_area
from kustannukset.shared_costs import (
    CARRIER_OTHERS,
    DivisionInput,
    Service,
    divide,
    round_division,
)
from kustannukset.view.formatting import percent


def mixed_shares(
    values: dict[str, dict[str, Fraction]], key: tuple[KeyPart, ...]
) -> dict[str, Fraction]:
    """Weighted mix of each measure's shares; ``values[measure][code]``. The shares add up to 1."""
    codes = list(next(iter(values.values())))
    shares = dict.fromkeys(codes, Fraction(0))
    for part in key:
        column = values[part.measure]
        total = sum(column.values())
        if total <= 0:
            if part.weight:
                raise ValueError(f"jakoperusteen {part.measure} summa on nolla")
            continue
        scale = part.weight / total  # the same exact share as weight * value / total
        for code in codes:
            shares[code] += scale * column[code]
    return shares


def key_values(context: Context, area: Area) -> dict[str, dict[str, Fraction]]:
    return {
        part.measure: key_figures(
            context, part.measure, part.year, area.members, purpose=f"jakoperuste, alue {area.name}"
        )
        for part in area.key
    }


@functools.lru_cache(maxsize=256)
def key_label(key: tuple[KeyPart, ...]) -> str:
    """'Väkiluku 31.12.2021' or '50 % Väkiluku 31.12.2021 + 50 % Työttömät ... 2019' (the same key,
    the same text: worded once)."""

    if len(key) == 1:
        return measure_label(key[0].measure, key[0].year)
    return " + ".join(
        f"{percent(p.weight, 0 if p.weight * 100 == int(p.weight * 100) else 1)} "
        f"{measure_label(p.measure, p.year)}"
        for p in key
    )


@dataclass(frozen=True)
class AreaDivision:
    area: Area
    pool: Pool
    shares: dict[str, Fraction]  # exact key shares inside the area
    payments: dict[str, int]  # whole euros, tasasumma
    exact: dict[str, Fraction]


def divide_area(context: Context, scenario: Scenario, area: Area) -> AreaDivision:
    """The area's exact payments and their rounding. The same area (members, key, pool) with the
    same discounts and carrier is divided once per context: the explorer's change of one area's
    members or of the sliders recomputes only the areas it changes."""
    discounts = tuple(
        sorted((c, p) for c, p in scenario.discounts_pct.items() if c in area.members)
    )
    key = ("alueen jako", area, discounts, scenario.carrier)
    return context.remember(key, lambda: _divide_area(context, scenario, area))


def _divide_area(context: Context, scenario: Scenario, area: Area) -> AreaDivision:
    pool = resolve_pool(context, area.pool, area)
    shares = mixed_shares(key_values(context, area), area.key)
    inp = DivisionInput(
        services=[
            Service(f"palvelu_{i}", name, amount) for i, (name, amount) in enumerate(pool.services)
        ],
        flat_rate_pct=Fraction(0),
        key=shares,
        names={c: context.name(c) for c in area.members},
        lead=area.lead,
        discounts_pct={c: p for c, p in scenario.discounts_pct.items() if c in area.members},
        carrier=scenario.carrier,
    )
    if scenario.carrier == CARRIER_OTHERS and all(inp.discounts_pct.get(c) for c in area.members):
        raise InputError(
            f"alueen '{area.name}' kaikilla kunnilla on alennus, joten muut eivät voi kattaa "
            "alennuksia (kattaja 'muut')",
            file=scenario.path,
            row=area.line,
            column="alennukset",
        )
    division = divide(inp)
    # Each payment is exact until here, and the area's payments are rounded once, together, so
    # that they add up to the area's pool (less any discount nobody carries) to the euro.
    payments = {c: int(v) for c, v in allocate(division.payment, EXACT_SUM).items()}
    return AreaDivision(area, pool, shares, payments, division.payment)


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    municipalities: pd.DataFrame
    areas: pd.DataFrame
    notes: list[str]
    divisions: dict[str, AreaDivision]


def experiment_payments(context: Context) -> dict[str, int]:
    """The experiment-era payments (maksuosuudet as published) by municipality code; computed
    once per context and comparison year."""

    def make() -> dict[str, int]:
        table = round_division(context.experiment.divide(), PUBLISHED)
        return dict(zip(table["kuntanumero"], (int(v) for v in table["maksuosuus"]), strict=True))

    return dict(context.remember(("kokeilun maksuosuudet", context.comparison_year), make))


def _optional_values(
    context: Context, measure: str, year: int, codes
) -> dict[str, Fraction | None]:
    result: dict[str, Fraction | None] = {}
    for code in codes:
        try:
            result[code] = context.values(measure, year, [code])[code]
        except InputError:
            result[code] = None
    return result


def _nullable_ints(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Whole euros stay integers; a missing figure is <NA>, never a zero or a float."""
    for column in columns:
        if column in frame:
            frame[column] = pd.array(
                [None if v is None or pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
            )
    return frame


STATUS_LABELS = {"esimerkki": "ESIMERKKI", "arvio": "ARVIO", "julkaistu": "JULKAISTU"}


def baseline_payments(context: Context) -> tuple[str, dict[str, int]] | None:
    """The payments of the comparison scenario (``vertailuskenaario``: the decided 2025 areas), by
    municipality code; None when that scenario is not in the data folder."""
    if "vertailu" in context.cache:
        return context.cache["vertailu"]
    name = str(context.rule("vertailuskenaario").value)
    path = context.data_dir / SCENARIO_DIR / f"{name}.yaml"
    made = None
    if present(path, kind="skenaariotiedosto"):
        scenario = context.scenario(path)
        payments: dict[str, int] = {}
        for area in scenario.areas:
            try:
                payments.update(divide_area(context, scenario, area).payments)
            except InputError:
                continue
        made = (scenario.name, payments)
    context.cache["vertailu"] = made
    return made


def _per(value, base) -> float | None:
    if value is None or base is None or not base:
        return None
    return float(Fraction(int(value)) / base)


def evaluate(context: Context, scenario: Scenario, *, with_funding: bool = True) -> ScenarioResult:
    """Payments per municipality and totals per area; an area whose figures are missing is reported
    as not computable (with the reason) and the others are still computed. With the funding: each
    municipality's estimated state funding, its net (funding - payment) and the change against the
    decided 2025 areas, each figure with its status (ESIMERKKI, ARVIO, JULKAISTU) in a column."""

    notes: list[str] = []
    divisions: dict[str, AreaDivision] = {}
    for area in scenario.areas:
        try:
            divisions[area.name] = divide_area(context, scenario, area)
        except InputError as exc:
            notes.append(f"Alue '{area.name}': ei laskettavissa – {exc.message}")
    before = experiment_payments(context)
    per_capita = context.spec("tunnusluvut")
    inhabitant, unemployed = per_capita.inhabitant, per_capita.jobless
    capita = _optional_values(context, inhabitant.measure, inhabitant.year, scenario.members)
    jobless = _optional_values(context, unemployed.measure, unemployed.year, scenario.members)
    funding = funding_estimate(context, scenario) if with_funding else None
    baseline = baseline_payments(context) if with_funding else None

    rows = []
    for area in scenario.areas:
        division = divisions.get(area.name)
        for code in sorted(area.members, key=context.name):
            payment = division.payments[code] if division else None
            old = before.get(code)
            row = {
                "Alue": area.name,
                "Kunta": context.name(code),
                "Kuntanumero": code,
                "Osuus %": float(division.shares[code] * 100) if division else None,
                "Maksuosuus €": payment,
                f"Kokeilu {context.comparison_year} €": old,
                "Muutos €": payment - old if payment is not None and old is not None else None,
                "€/asukas": float(payment / capita[code])
                if payment is not None and capita[code]
                else None,
                "€/työtön": float(payment / jobless[code])
                if payment is not None and jobless[code]
                else None,
            }
            if with_funding:
                given = funding.by_municipality.get(code)
                net = given - payment if given is not None and payment is not None else None
                decided = baseline[1].get(code) if baseline else None
                change = payment - decided if payment is not None and decided is not None else None
                row.update(
                    {
                        "Valtionosuus, arvio €": given,
                        "Netto €": net,
                        "Netto €/asukas": _per(net, capita[code]),
                        "Muutos päätettyyn 2025 €": change,
                        "Muutos päätettyyn 2025 €/asukas": _per(change, capita[code]),
                        "Maksuosuuden tila": STATUS_LABELS[division.pool.status]
                        if division
                        else None,
                        "Valtionosuuden tila": "ARVIO",
                    }
                )
            rows.append(row)
    municipalities = _nullable_ints(
        pd.DataFrame(rows),
        [
            "Maksuosuus €",
            f"Kokeilu {context.comparison_year} €",
            "Muutos €",
            "Valtionosuus, arvio €",
            "Netto €",
            "Muutos päätettyyn 2025 €",
        ],
    )

    # the rows of check_scenario, without a frame in between
    checks = [check_area(context, area) for area in scenario.areas]
    area_rows = []
    for area, check in zip(scenario.areas, checks, strict=True):
        division = divisions.get(area.name)
        pool = int(sum(division.payments.values())) if division else None
        row = {
            "Alue": area.name,
            "Vastuukunta": check["Vastuukunta"],
            "Kuntia": check["Kuntia"],
            "Potti €": pool,
            "Työvoima": check["Työvoima"],
            "20 000 -sääntö": check["20 000 -sääntö"],
            "Yhtenäinen": check["Yhtenäinen"],
        }
        if funding is not None:
            given = funding.by_area.get(area.name)
            row["Valtionosuus, arvio €"] = given
            row["Netto €"] = given - pool if given is not None and pool is not None else None
            row["Potin tila"] = STATUS_LABELS[division.pool.status] if division else None
        area_rows.append(row)
    areas = _nullable_ints(
        pd.DataFrame(area_rows), ["Potti €", "Työvoima", "Valtionosuus, arvio €", "Netto €"]
    )

    pools = {divisions[a.name].pool.label for a in scenario.areas if a.name in divisions}
    for label in sorted(pools):
        notes.append(f"Kustannuspotti: {label}")
    keys = sorted({key_label(a.key) for a in scenario.areas})
    notes.append("Jakoperuste: " + "; ".join(keys))
    notes.append(
        "Tunnusluvut: €/asukas = "
        + measure_label(inhabitant.measure, inhabitant.year)
        + "; €/työtön = "
        + measure_label(unemployed.measure, unemployed.year)
    )
    forces = sorted({check["Työvoiman mittarit"] for check in checks})
    notes.append("20 000 -sääntö tarkistettu luvuilla: " + "; ".join(forces))
    notes.extend(f"Alue '{r['Alue']}': {r['Huom']}" for r in checks if r["Huom"])
    if funding is not None:
        notes.append(funding.note)
        notes.append(
            "Netto = valtionosuusarvio − maksuosuus (ARVIO). Muutos päätettyyn 2025 = maksuosuus "
            "− maksuosuus skenaariossa "
            + (f"'{baseline[0]}'" if baseline else "päätetyt alueet 2025 (ei aineistossa)")
        )
    return ScenarioResult(scenario, municipalities, areas, notes, divisions)


# --- the reality check --------------------------------------------------------------------------


def reference_area(context: Context) -> tuple[list[str], str]:
    """The members of the area whose budget calibrates the cost model (the Tampere area), and
    the budget's name."""
    spec = calibration(context)
    return list(spec.municipalities), spec.budget


def reality_check(context: Context, scenarios: list[Scenario]) -> pd.DataFrame:
    """The reference area's reported municipal contributions split by the key each scenario gives
    that area, and Virrat's result beside its reported payment."""
    codes, budget_name = reference_area(context)
    reported = context.costs["todellisuus.virrat_2025"].at(RULES_DATE)
    total = budget(context, budget_name)
    virrat = context.names.resolve("Virrat", file=context.costs.path, row=0, column="kunnat")
    rows = []
    seen = set()
    for scenario in scenarios:
        for area in scenario.areas:
            if set(area.members) != set(codes):
                continue
            label = key_label(area.key)
            if label in seen:
                continue
            seen.add(label)
            values = {
                p.measure: key_figures(context, p.measure, p.year, codes, purpose="vertailu")
                for p in area.key
            }
            shares = mixed_shares(values, area.key)
            # the reported total split exactly and rounded once, as an area's payments are
            split = allocate({c: Fraction(total.value) * shares[c] for c in codes}, EXACT_SUM)
            pay = int(split[virrat])
            rows.append(
                {
                    "Jakoperuste": label,
                    "Skenaario": scenario.name,
                    "Virtain osuus %": float(shares[virrat] * 100),
                    "Virrat 2025 €": pay,
                    "Raportoitu 2025 €": int(reported.value),
                    "Ero €": pay - int(reported.value),
                    "Ero %": float(Fraction(pay - int(reported.value), int(reported.value)) * 100),
                }
            )
    frame = _nullable_ints(pd.DataFrame(rows), ["Virrat 2025 €", "Raportoitu 2025 €", "Ero €"])
    if len(frame):
        frame = frame.sort_values("Ero %", key=lambda s: s.abs()).reset_index(drop=True)
    return frame


def real_figures(context: Context) -> pd.DataFrame:
    """The reported real figures the reality check and the cost model use, with status and
    confidence."""
    rows = []
    for name, parameter in context.costs.parameters.items():
        if not name.startswith(("talousarviot.", "todellisuus.")):
            continue
        value = parameter.at(RULES_DATE)
        rows.append(
            {
                "Luku": parameter.description,
                "€": int(value.value),
                "Tila": STATUS_LABELS.get(value.status, value.status.upper()),
                "Luotettavuus": str(value.extra.get("luotettavuus", "")),
                "Lähde": value.source,
            }
        )
    return _nullable_ints(pd.DataFrame(rows), ["€"])


def cost_model_text(context: Context) -> str:
    return cost_model(context).label
