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

import dataclasses
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
from kustannukset.scenarios.model import (
    AREA_BASES,
    POOL_PER_CAPITA_2023,
    SCENARIO_DIR,
    Area,
    Basis,
    KeyPart,
    Pool,
    PoolSpec,
    Scenario,
    basis_of,
    basis_spec,
    measure_label,
)
from kustannukset.scenarios.rules import check_area
from kustannukset.shared_costs import (
    CARRIER_OTHERS,
    DivisionInput,
    Service,
    divide,
    round_division,
)
from kustannukset.view.formatting import percent

# The basis of the experiment's price table: its costs per inhabitant (over the 22 municipalities
# of the table, its whole shared costs)
EXPERIMENT_SPEC = basis_spec(POOL_PER_CAPITA_2023)


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
    members or of the sliders recomputes only the areas it changes. An area whose figures are
    missing is found so once, too, and its error raised each time it is asked for."""
    discounts = tuple(
        sorted((c, p) for c, p in scenario.discounts_pct.items() if c in area.members)
    )
    key = ("alueen jako", area, discounts, scenario.carrier, scenario.path)

    def attempt() -> AreaDivision | InputError:
        try:
            return _divide_area(context, scenario, area)
        except InputError as exc:
            return exc

    made = context.remember(key, attempt)
    if isinstance(made, InputError):
        raise made.with_traceback(None)
    return made


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


class MixedBases(ValueError):
    """A difference of two payments that rest on different pool bases, or a net of a payment on
    the experiment era's costs against the 2025 state funding: refused, never computed."""


@dataclass(frozen=True)
class BasedPayments:
    """Whole-euro payments by municipality code, each with the pool basis it rests on. A
    difference is only ever taken between payments on the same basis (:meth:`minus`), and a net
    against the 2025 state funding only of payments that are not the experiment era's
    (:meth:`net`)."""

    euros: dict[str, int]
    bases: dict[str, Basis]
    what: str = ""  # whose payments, for a refusal's message

    def only(self, codes) -> BasedPayments:
        chosen = [c for c in codes if c in self.euros]
        return BasedPayments(
            {c: self.euros[c] for c in chosen}, {c: self.bases[c] for c in chosen}, self.what
        )

    def minus(self, other: BasedPayments) -> dict[str, int]:
        """``self − other`` for each municipality in both; refused (:class:`MixedBases`) if a
        municipality's two payments rest on different bases."""
        result = {}
        for code, value in self.euros.items():
            if code not in other.euros:
                continue
            if self.bases[code] != other.bases[code]:
                raise MixedBases(
                    f"kunnan {code} maksuja ei verrata: {self.what or 'maksu'} on perusteella "
                    f"'{self.bases[code]}', {other.what or 'vertailukohta'} perusteella "
                    f"'{other.bases[code]}'"
                )
            result[code] = value - other.euros[code]
        return result

    def net(self, funding: dict[str, int]) -> dict[str, int]:
        """The state funding less each payment, for each municipality with both; refused
        (:class:`MixedBases`) for a payment on the experiment era's costs."""
        result = {}
        for code, value in self.euros.items():
            if self.bases[code].experiment:
                raise MixedBases(
                    f"kunnan {code} maksu on kokeilukauden kustannuksista ('{self.bases[code]}'): "
                    "sitä ei verrata vuoden 2025 valtionosuuteen"
                )
            if funding.get(code) is not None:
                result[code] = funding[code] - value
        return result


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    municipalities: pd.DataFrame
    areas: pd.DataFrame
    notes: list[str]
    divisions: dict[str, AreaDivision]
    payments: BasedPayments | None = None  # each payment with its basis

    @property
    def bases(self) -> list[Basis]:
        """The pool bases the payments rest on, in the order of the areas."""
        return list(dict.fromkeys(basis_of(area.pool) for area in self.scenario.areas))


def experiment_payments(context: Context) -> BasedPayments:
    """The experiment-era payments (maksuosuudet as published) by municipality code, on the basis
    'kokeilu 2023'; computed once per context and comparison year."""

    def make() -> dict[str, int]:
        table = round_division(context.experiment.divide(), PUBLISHED)
        return dict(zip(table["kuntanumero"], (int(v) for v in table["maksuosuus"]), strict=True))

    payments = dict(context.remember(("kokeilun maksuosuudet", context.comparison_year), make))
    basis = experiment_basis(context)
    return BasedPayments(
        payments, dict.fromkeys(payments, basis), f"kokeilu {context.comparison_year}"
    )


def experiment_basis(context: Context) -> Basis:
    """The basis of the experiment's price table: its shared costs per inhabitant, divided by
    population (over its 22 municipalities, the whole costs)."""
    return basis_of(EXPERIMENT_SPEC)


def _optional_values(
    context: Context, measure: str, year: int, codes
) -> dict[str, Fraction | None]:
    """Each municipality's figure, or None where it is missing (each remembered, a miss too)."""

    def one(code: str):
        def make() -> Fraction | None:
            try:
                return context.values(measure, year, [code])[code]
            except InputError:
                return None

        return context.remember(("luku tai puuttuu", measure, year, code), make)

    return {code: one(code) for code in codes}


def _nullable_ints(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Whole euros stay integers; a missing figure is <NA>, never a zero or a float."""
    for column in columns:
        if column in frame:
            frame[column] = pd.array(
                [None if v is None or pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
            )
    return frame


def _frame(rows: list[dict], ints: list[str]) -> pd.DataFrame:
    """Rows of whole euros (int or None) as a frame whose euro columns are Int64: a missing
    figure is <NA>, never a zero or a float."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    data = {}
    for column in columns:
        values = [row.get(column) for row in rows]
        data[column] = pd.array(values, dtype="Int64") if column in ints else values
    return pd.DataFrame(data, columns=columns)


STATUS_LABELS = {"esimerkki": "ESIMERKKI", "arvio": "ARVIO", "julkaistu": "JULKAISTU"}


def baseline_payments(context: Context, spec: PoolSpec) -> tuple[str, BasedPayments] | None:
    """The payments of the comparison scenario (``vertailuskenaario``: the decided 2025 areas)
    with every area on the pool basis ``spec``, by municipality code; None when that scenario is
    not in the data folder or the basis gives no pool from an area's members (a published budget,
    explicit euros, the experiment's costs): then there is nothing on the same basis to compare
    with."""
    if spec.base not in AREA_BASES:
        return None
    basis = basis_of(spec)
    key = ("vertailu", basis)
    if key in context.cache:
        return context.cache[key]
    name = str(context.rule("vertailuskenaario").value)
    path = context.data_dir / SCENARIO_DIR / f"{name}.yaml"
    made = None
    if present(path, kind="skenaariotiedosto"):
        decided = context.scenario(path)
        decided = dataclasses.replace(
            decided, areas=tuple(dataclasses.replace(a, pool=spec) for a in decided.areas)
        )
        payments: dict[str, int] = {}
        for area in decided.areas:
            try:
                payments.update(divide_area(context, decided, area).payments)
            except InputError:
                continue
        made = (decided.name, BasedPayments(payments, dict.fromkeys(payments, basis), decided.name))
    context.cache[key] = made
    return made


def _per(value, base) -> float | None:
    """``value / base`` as the nearest float (a whole base divides as integers, which Python
    rounds correctly: the same float as the exact fraction's, without building it)."""
    if value is None or base is None or not base:
        return None
    if base.denominator == 1:
        return int(value) / base.numerator
    return float(Fraction(int(value)) / base)


def evaluate(context: Context, scenario: Scenario, *, with_funding: bool = True) -> ScenarioResult:
    """Payments per municipality and totals per area; an area whose figures are missing is reported
    as not computable (with the reason) and the others are still computed. Every payment carries
    its pool basis (column "Potin peruste"), and figures are only set against figures on the same
    basis:

    - a payment on the experiment era's costs (``kokeilu_2023``) is compared with the experiment's
      price table ("Muutos kokeiluun"), and with nothing of 2025;
    - a 2025 payment gets, with the funding, the municipality's estimated state funding, its net
      (funding − payment) and its change against the decided 2025 areas evaluated on the same
      basis ("Muutos päätettyyn 2025", "Vertailun peruste"), when that basis gives any area a
      pool (the cost model, the state funding);
    - the experiment's payment is shown beside every row as a historical figure ("Kokeilu 2023 €")
      and never subtracted from a 2025 payment.

    Each figure has its status (ESIMERKKI, ARVIO, JULKAISTU) in a column."""

    notes: list[str] = []
    divisions: dict[str, AreaDivision] = {}
    for area in scenario.areas:
        try:
            divisions[area.name] = divide_area(context, scenario, area)
        except InputError as exc:
            notes.append(f"Alue '{area.name}': ei laskettavissa – {exc.message}")
    year = context.comparison_year
    history = experiment_payments(context)
    per_capita = context.spec("tunnusluvut")
    inhabitant, unemployed = per_capita.inhabitant, per_capita.jobless
    capita = _optional_values(context, inhabitant.measure, inhabitant.year, scenario.members)
    jobless = _optional_values(context, unemployed.measure, unemployed.year, scenario.members)

    euros_by_code: dict[str, int] = {}
    bases: dict[str, Basis] = {}
    for area in scenario.areas:
        division = divisions.get(area.name)
        if division is not None:
            euros_by_code.update(division.payments)
            bases.update(dict.fromkeys(area.members, basis_of(area.pool)))
    payments = BasedPayments(euros_by_code, bases, scenario.name)
    historical = [c for c in euros_by_code if bases[c].experiment]
    current = [c for c in euros_by_code if not bases[c].experiment]
    # the experiment's own basis only: a payment on the 2023 costs against the 2023 price table
    same_as_history = [c for c in historical if bases[c] == experiment_basis(context)]
    to_history = payments.only(same_as_history).minus(history)

    # a scenario wholly on the experiment era's costs has nothing to set against 2025 funding
    with_funding = with_funding and any(not basis_of(a.pool).experiment for a in scenario.areas)
    funding = funding_estimate(context, scenario) if with_funding else None
    nets: dict[str, int] = {}
    changes: dict[str, int] = {}
    baselines: dict[str, tuple[str, BasedPayments] | None] = {}
    if funding is not None:
        nets = payments.only(current).net(funding.by_municipality)
        for area in scenario.areas:
            if area.name not in divisions or basis_of(area.pool).experiment:
                continue
            baselines[area.name] = baseline_payments(context, area.pool)
            if baselines[area.name] is not None:
                changes.update(payments.only(area.members).minus(baselines[area.name][1]))

    rows = []
    for area in scenario.areas:
        division = divisions.get(area.name)
        basis = basis_of(area.pool)
        for code in sorted(area.members, key=context.name):
            payment = division.payments[code] if division else None
            row = {
                "Alue": area.name,
                "Kunta": context.name(code),
                "Kuntanumero": code,
                "Osuus %": float(division.shares[code] * 100) if division else None,
                "Maksuosuus €": payment,
                "Potin peruste": basis.name,
                f"Kokeilu {year} €": history.euros.get(code),
                f"Muutos kokeiluun {year} €": to_history.get(code),
                "€/asukas": _per(payment, capita[code]),
                "€/työtön": _per(payment, jobless[code]),
            }
            if with_funding:
                experiment = basis.experiment
                net = nets.get(code)
                change = changes.get(code)
                row.update(
                    {
                        "Valtionosuus, arvio €": None
                        if experiment
                        else funding.by_municipality.get(code),
                        "Netto €": net,
                        "Netto €/asukas": _per(net, capita[code]),
                        "Muutos päätettyyn 2025 €": change,
                        "Muutos päätettyyn 2025 €/asukas": _per(change, capita[code]),
                        "Vertailun peruste": basis.name if change is not None else None,
                    }
                )
            row["Maksuosuuden tila"] = STATUS_LABELS[division.pool.status] if division else None
            if with_funding:
                row["Valtionosuuden tila"] = None if basis.experiment else "ARVIO"
            rows.append(row)
    municipalities = _frame(
        rows,
        [
            "Maksuosuus €",
            f"Kokeilu {year} €",
            f"Muutos kokeiluun {year} €",
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
        basis = basis_of(area.pool)
        row = {
            "Alue": area.name,
            "Vastuukunta": check["Vastuukunta"],
            "Kuntia": check["Kuntia"],
            "Potti €": pool,
            "Potin peruste": basis.name,
            "Työvoima": check["Työvoima"],
            "20 000 -sääntö": check["20 000 -sääntö"],
            "Yhtenäinen": check["Yhtenäinen"],
        }
        if funding is not None:
            given = None if basis.experiment else funding.by_area.get(area.name)
            row["Valtionosuus, arvio €"] = given
            row["Netto €"] = given - pool if given is not None and pool is not None else None
            row["Potin tila"] = STATUS_LABELS[division.pool.status] if division else None
        area_rows.append(row)
    areas = _frame(area_rows, ["Potti €", "Työvoima", "Valtionosuus, arvio €", "Netto €"])

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
    # a municipality that took in another (kuntajako 2025): its figures are the merged area's
    notes.extend(f"Kuntaliitos: {note}" for note in context.division_notes(scenario.members))
    notes.extend(_comparison_notes(context, scenario, historical, current, funding, baselines))
    return ScenarioResult(scenario, municipalities, areas, notes, divisions, payments)


def _comparison_notes(context, scenario, historical, current, funding, baselines) -> list[str]:
    """What each comparison column set against what, and why a column is empty."""
    year = context.comparison_year
    notes = [
        f"Kokeilu {year} € on kokeilukauden maksuosuus (hintataulukko {year}) historiallisena "
        f"tietona. Muutos kokeiluun {year} lasketaan vain maksuista, joiden potti on "
        f"kokeilukauden kustannukset ('{experiment_basis(context)}'); vuoden 2025 maksuista sitä "
        "ei vähennetä."
    ]
    if funding is None:
        if historical:
            notes.append(
                "Kokeilukauden kustannuksista laskettuja maksuja ei verrata vuoden 2025 "
                "valtionosuuteen eikä päätettyihin alueisiin (ei nettoa eikä muutosta)."
            )
        return notes
    if historical:
        notes.append(
            "Kokeilukauden kustannuksista laskettuja maksuja ei verrata vuoden 2025 "
            "valtionosuuteen eikä päätettyihin alueisiin (ei nettoa eikä muutosta)."
        )
    if current:
        notes.append(funding.note)
        decided = next((b[0] for b in baselines.values() if b is not None), None)
        notes.append(
            "Netto = valtionosuusarvio − maksuosuus (ARVIO). Muutos päätettyyn 2025 = maksuosuus "
            "− maksuosuus skenaariossa "
            + (f"'{decided}'" if decided else "päätetyt alueet 2025")
            + " samalla potin perusteella (sarake Vertailun peruste)."
        )
        missing = sorted(
            {
                basis_of(a.pool).name
                for a in scenario.areas
                if a.name in baselines and baselines[a.name] is None
            }
        )
        if missing:
            notes.append(
                "Muutos päätettyyn 2025 puuttuu perusteilta "
                + ", ".join(f"'{m}'" for m in missing)
                + ": päätettyjä alueita ei voi laskea niillä (potti ei määräydy alueen kunnista "
                "tai päätetyt alueet puuttuvat aineistosta)."
            )
    return notes


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
