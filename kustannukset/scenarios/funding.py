"""An estimate of the state funding (valtionosuus) the employment task brings, and the pools and
keys built on it.

The amount ``kokonaismaara`` less ``vieraskielisyysosa`` is allocated over the municipalities of
mainland Finland by the weighted shares of ``kriteerit`` (reported 50/50 working-age population and
unemployment); ``vieraskielisyysosa`` by the share of foreign-language speakers. The funding is of
2025, so the allocation is over the municipalities of the 2025 division: Mäntyharju's figures of an
earlier year include Pertunmaa's (added up by the statistics loader, and the note says so). A
criterion's year ``uusin`` is the latest year, no later than ``tilastovuosi_enintaan`` (the last
year whose statistics existed when the 2025 grants were decided), in which every municipality of
the allocation has the figure (a municipality without the figure in any such year stays out and is
named). An area's estimate is the sum over its members. All parameters are in
``data/parametrit/valtionosuus.yaml`` with their sources, and the result is always labelled an
estimate (ARVIO).

A municipality's share is of the whole country, so the estimate needs the figures of every mainland
municipality: when the register holds fewer than ``kuntia_vahintaan`` of them, the estimate is not
made and the note says why.

On top of the estimate: the pool bases ``valtionosuus`` (members' estimated funding times a
factor), ``talousarvio`` (a published budget figure) and ``kustannusmalli`` (a fixed cost per area
plus a variable cost per unemployed jobseeker, calibrated on a published budget), and the key part
``valtionosuus`` (each member's share of the area's estimated funding).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Annotated, ClassVar

import pandas as pd
from annotated_types import MinLen
from pydantic import AfterValidator, Field, PlainValidator

from kustannukset.core.errors import InputError
from kustannukset.core.money import exact, largest_remainder, round_half_up
from kustannukset.core.schema import Problem, Schema, Text, Year, choice, exact_between
from kustannukset.core.years import year_or_none, year_problem
from kustannukset.scenarios.context import COSTS_FILE, RULES_DATE, Context
from kustannukset.scenarios.model import (
    FUNDING_KEY,
    POOL_BUDGET,
    POOL_COST_MODEL,
    POOL_FUNDING,
    Area,
    Municipality,
    Pool,
    PoolSpec,
    Scenario,
    measure_label,
)
from kustannukset.stats.loader import DIVISION_2025, MEASURES, DivisionValues
from kustannukset.view.formatting import euros, percent

LATEST = "uusin"
LAST_YEAR = "tilastovuosi_enintaan"
CACHE_KEY = "valtionosuus"


# --- the schemas of the dict-valued parameters (valtionosuus.yaml, alueiden_kustannukset.yaml) -------


def _year_or_latest(value: object) -> int | str:
    if value == LATEST:
        return LATEST
    year = year_or_none(value)
    if year is None:
        raise Problem(f"{year_problem(value)} tai '{LATEST}'")
    return year


YearOrLatest = Annotated[int | str, PlainValidator(_year_or_latest)]
Measure = choice(MEASURES, "mittari")


def _weights_add_up(parts: tuple) -> tuple:
    if sum((p.weight for p in parts), Fraction(0)) != 1:
        raise Problem("kriteerien painojen summa ei ole 1", column="paino")
    return parts


class CriterionSpec(Schema):
    """``{mittari: tyoikaiset_15_64, vuosi: uusin, paino: 0.5}``"""

    fi_in: ClassVar[str] = "kriteerissä"
    fi_from: ClassVar[str] = "kriteeriltä"
    measure: Measure = Field(alias="mittari")
    year: YearOrLatest = Field(alias="vuosi")
    weight: exact_between(0, 1) = Field(alias="paino")


class LanguageSpec(Schema):
    """``vieraskielisyys``: ``{mittari: vieraskieliset, vuosi: uusin}``"""

    fi_in: ClassVar[str] = "vieraskielisyysosassa"
    fi_from: ClassVar[str] = "vieraskielisyysosalta"
    measure: Measure = Field(alias="mittari")
    year: YearOrLatest = Field(alias="vuosi")


Criteria = Annotated[tuple[CriterionSpec, ...], MinLen(1), AfterValidator(_weights_add_up)]
Regions = tuple[Text, ...] | None


class CalibrationSpec(Schema):
    """``kustannusmalli.kalibrointi``: the budget, its area's municipalities and their measure."""

    fi_in: ClassVar[str] = "kalibroinnissa"
    fi_from: ClassVar[str] = "kalibroinnilta"
    budget: Text = Field(alias="talousarvio")
    measure: Measure = Field(alias="mittari")
    year: Year = Field(alias="vuosi")
    municipalities: Annotated[tuple[Municipality, ...], MinLen(1)] = Field(alias="kunnat")


@dataclass(frozen=True)
class Criterion:
    measure: str
    year: int
    amount: Fraction  # euros allocated by this criterion
    weight: Fraction  # of ``amount``

    @property
    def label(self) -> str:
        return measure_label(self.measure, self.year)


@dataclass(frozen=True)
class FundingEstimate:
    by_municipality: dict[str, int]  # whole euros (largest remainder over the whole country)
    by_area: dict[str, int | None]
    note: str


@dataclass(frozen=True)
class Allocation:
    exact: dict[str, Fraction]  # every municipality in the shares (codes of the 2025 division)
    parts: dict[str, dict[str, Fraction]]  # criterion label -> municipality -> euros
    criteria: tuple[Criterion, ...]
    missing: list[str]  # mainland municipalities left out (a criterion figure missing)
    # the criteria figures of a municipality that took in another: what was added up
    mergers: tuple[str, ...] = ()


def criteria_specs(context: Context) -> tuple[tuple[CriterionSpec, ...], LanguageSpec]:
    """The criteria and the foreign-language part as written in the parameter file (read once
    per context; a mistake is an error every time)."""
    key = (CACHE_KEY, "kriteerit")
    if key not in context.cache:
        pf = context.funding
        context.cache[key] = (
            pf["kriteerit"].value_as(RULES_DATE, Criteria),
            pf["vieraskielisyys"].value_as(RULES_DATE, LanguageSpec),
        )
    return context.cache[key]


def last_year(context: Context) -> int | None:
    """The last statistical year a criterion may take (``tilastovuosi_enintaan``), if set."""
    pf = context.funding
    if LAST_YEAR not in pf.parameters:
        return None
    return int(pf[LAST_YEAR].at(RULES_DATE).value)


def _latest_complete_year(context: Context, measure: str, codes: list[str]) -> int:
    """The latest year, no later than :func:`last_year`, in which every municipality (of the
    2025 division) has the figure, apart from those that have it in no such year at all."""
    cap = last_year(context)
    have = {
        year: found
        for year, found in context.statistics.codes_by_year_2025(measure).items()
        if cap is None or year <= cap
    }
    never = set(codes).difference(*have.values())
    for year in sorted(have, reverse=True):
        if not (set(codes) - have[year] - never):
            return year
    raise InputError(
        f"valtionosuuden peruste {measure}: yhdeltäkään vuodelta"
        + (f" {cap} tai aiemmin" if cap is not None else "")
        + " ei ole lukua kaikille kunnille",
        file=context.funding.path,
    )


def _year(context: Context, measure: str, year: int | str, codes: list[str]) -> int:
    return _latest_complete_year(context, measure, codes) if year == LATEST else int(year)


def _mainland(context: Context) -> list[str]:
    """The municipalities of the 2025 division the allocation is over."""
    pf = context.funding
    register = context.statistics.municipalities
    table = register.table
    excluded_param = pf["ulkopuolella"]
    excluded = set(excluded_param.value_as(RULES_DATE, Regions) or ())
    codes = [c for c in register.all_2025 if table.at[c, "maakunta"] not in excluded]
    needed = int(pf["kuntia_vahintaan"].at(RULES_DATE).value)
    if len(codes) < needed:
        raise InputError(
            f"valtionosuusarviota ei lasketa: kuntarekisterissä on {len(codes)} kuntaa "
            f"(kuntajako {DIVISION_2025}), koko maan osuuksiin tarvitaan vähintään {needed} "
            "kunnan luvut",
            file=context.data_dir / "kunnat.csv",
        )
    unknown = sorted(excluded - set(table["maakunta"]))
    if unknown:
        # With the whole country in the register, a region spelt otherwise than there would
        # silently stay in the shares.
        raise InputError(
            f"maakuntaa {', '.join(unknown)} ei ole kuntarekisterissä (data/kunnat.csv)",
            file=excluded_param.file,
            row=excluded_param.at(RULES_DATE).line,
            column="arvo",
        )
    return codes


def criteria(context: Context, codes: list[str] | None = None) -> tuple[Criterion, ...]:
    """The criteria with their years resolved and the euros each allocates."""
    pf = context.funding
    codes = _mainland(context) if codes is None else codes
    total = exact(pf["kokonaismaara"].at(RULES_DATE).value)
    foreign = exact(pf["vieraskielisyysosa"].at(RULES_DATE).value)
    specs, lang = criteria_specs(context)
    result = [
        Criterion(c.measure, _year(context, c.measure, c.year, codes), total - foreign, c.weight)
        for c in specs
    ]
    result.append(
        Criterion(lang.measure, _year(context, lang.measure, lang.year, codes), foreign, 1)
    )
    return tuple(result)


def _available(context: Context, measure: str, year: int) -> DivisionValues:
    """Every municipality's figure on the 2025 division (the merged ones' added up)."""
    return context.statistics.division_figures(measure, year).as_values()


def allocation(context: Context) -> Allocation:
    """Every mainland municipality's estimated funding, exactly and by criterion (computed once
    per context)."""
    cached = context.cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    codes = _mainland(context)
    crit = criteria(context, codes)
    available = {(c.measure, c.year): _available(context, c.measure, c.year) for c in crit}
    figures = {key: made.values for key, made in available.items()}
    missing = [c for c in codes if any(c not in figures[(k.measure, k.year)] for k in crit)]
    used = [c for c in codes if c not in missing]
    mergers = tuple(
        note
        for made in available.values()
        for code, note in zip(made.merged, made.notes, strict=True)
        if code in used
    )
    result = dict.fromkeys(used, Fraction(0))
    parts: dict[str, dict[str, Fraction]] = {}
    for criterion in crit:
        values = figures[(criterion.measure, criterion.year)]
        whole = sum(values[c] for c in used)
        column = parts.setdefault(criterion.label, dict.fromkeys(used, Fraction(0)))
        for code in used:
            euros_ = criterion.amount * criterion.weight * values[code] / whole
            column[code] += euros_
            result[code] += euros_
    made = Allocation(result, parts, crit, missing, mergers)
    context.cache[CACHE_KEY] = made
    return made


def national_allocation(context: Context) -> tuple[dict[str, Fraction], list[str]]:
    """Every mainland municipality's estimated funding, exactly, and the municipalities left out
    of the shares because a criterion figure is missing (they get no estimate; never a zero)."""
    made = allocation(context)
    return made.exact, made.missing


def describe(context: Context) -> str:
    pf = context.funding
    total = exact(pf["kokonaismaara"].at(RULES_DATE).value)
    foreign = exact(pf["vieraskielisyysosa"].at(RULES_DATE).value)
    try:
        crit = criteria(context)
    except InputError:
        return (
            f"Valtionosuus on ARVIO: {euros(total)} € (perusteet "
            + ", ".join(c.measure for c in criteria_specs(context)[0])
            + "; lähteet: data/parametrit/valtionosuus.yaml)"
        )
    main = " ja ".join(f"{percent(c.weight, 0)} {c.label}" for c in crit[:-1])
    cap = last_year(context)
    which = (
        f"vuosi on uusin enintään {cap}, jolta luku on kaikille kunnille"
        if cap is not None
        else "vuosi on uusin, jolta luku on kaikille kunnille"
    )
    return (
        f"Valtionosuus on ARVIO: {euros(total - foreign)} € jaettuna {main} suhteessa, lisäksi "
        f"{euros(foreign)} € {crit[-1].label} suhteessa (yhteensä {euros(total)} €; {which}; "
        f"kuntajako {DIVISION_2025}; lähteet: data/parametrit/valtionosuus.yaml)"
    )


def rounded_national(context: Context) -> dict[str, int]:
    """Whole euros per municipality, rounded once over the whole country (computed once per
    context)."""
    key = (CACHE_KEY, "euroina")
    if key not in context.cache:
        made = allocation(context)
        total = round_half_up(sum(made.exact.values()))
        rounded = largest_remainder(made.exact, total)
        context.cache[key] = {c: int(v) for c, v in rounded.items()}
    return context.cache[key]


def _estimate_note(context: Context) -> str:
    """What the estimate is and whom it leaves out (worded once per context)."""
    key = (CACHE_KEY, "huomautus")
    if key not in context.cache:
        made = allocation(context)
        note = describe(context) + f". Osuudet {len(made.exact)} kunnan luvuista."
        if made.mergers:
            note += " Kuntaliitos: " + "; ".join(made.mergers) + "."
        if made.missing:
            names = ", ".join(f"{context.name(c)} ({c})" for c in made.missing)
            note += (
                f" Jakajasta puuttuu {names}: jonkin perusteen luku puuttuu aineistosta, joten "
                "muiden osuudet ovat hieman yläkanttiin eikä näille kunnille ole arviota."
            )
        context.cache[key] = note
    return context.cache[key]


def funding_estimate(context: Context, scenario: Scenario) -> FundingEstimate:
    criteria_specs(context)  # a mistake in the parameter file is an error, not a note
    try:
        allocation(context)
    except InputError as exc:
        return FundingEstimate(
            {}, {a.name: None for a in scenario.areas}, f"{describe(context)}. {exc.message}."
        )
    rounded = rounded_national(context)
    by_area: dict[str, int | None] = {}
    for area in scenario.areas:
        by_area[area.name] = (
            sum(rounded[c] for c in area.members)
            if all(c in rounded for c in area.members)
            else None
        )
    return FundingEstimate(rounded, by_area, _estimate_note(context))


def funding_table(context: Context, codes: list[str]) -> pd.DataFrame:
    """Each municipality's estimate by criterion (euros, unrounded) and in whole euros."""
    made = allocation(context)
    rounded = rounded_national(context)
    rows = []
    for code in codes:
        row: dict[str, object] = {"Kunta": context.name(code), "Kuntanumero": code}
        for label, column in made.parts.items():
            row[f"{label} €"] = float(column[code]) if code in column else None
        row["Valtionosuus, arvio €"] = rounded.get(code)
        row["Tila"] = "ARVIO"
        rows.append(row)
    return pd.DataFrame(rows)


# --- keys and pools built on the estimate -----------------------------------------------------------


def key_figures(
    context: Context, measure: str, year: int, codes, *, purpose: str = ""
) -> dict[str, Fraction]:
    """A key part's figures: a statistic, or (``valtionosuus``) each municipality's estimated
    funding, whose shares inside an area are its shares of the area's estimate."""
    codes = list(codes)
    if measure != FUNDING_KEY:
        return context.values(measure, year, codes, purpose=purpose)
    made = allocation(context)
    register = context.statistics.municipalities
    merged = [c for c in codes if c in register.table.index and register.merged_into(c)]
    if merged:
        code = merged[0]
        receiver = register.successor(code)
        raise InputError(
            f"valtionosuusarvio on vuodelle {DIVISION_2025}: {register.merger(code)}, joten "
            f"kunnan {context.name(code)} osuus on kunnan {context.name(receiver)} ({receiver}) "
            f"arviossa" + (f" – tarvitaan: {purpose}" if purpose else ""),
            file=context.data_dir / "kunnat.csv",
            column="kunta_2025",
        )
    outside = [c for c in codes if c not in made.exact]
    if outside:
        names = ", ".join(f"{context.name(c)} ({c})" for c in outside)
        raise InputError(
            f"valtionosuusarvio puuttuu: {names} (jonkin valtionosuuden perusteen luku puuttuu)"
            + (f" – tarvitaan: {purpose}" if purpose else ""),
            file=context.data_dir / "parametrit" / "valtionosuus.yaml",
        )
    return {c: made.exact[c] for c in codes}


def _cost_parameter(context: Context, name: str):
    if context.costs is None:
        raise InputError(
            "kustannusparametrit puuttuvat", file=context.data_dir / COSTS_FILE, column=name
        )
    return context.costs[name].at(RULES_DATE)


def _confidence(value) -> str:
    level = value.extra.get("luotettavuus")
    return f", luotettavuus {level}" if level else ""


def budget(context: Context, name: str):
    """A published budget figure (``talousarviot.<name>``) with its status and source."""
    if context.costs is not None and f"talousarviot.{name}" not in context.costs.parameters:
        known = ", ".join(
            p.split(".", 1)[1] for p in context.costs.parameters if p.startswith("talousarviot.")
        )
        raise InputError(
            f"tuntematon talousarvio '{name}' (tunnetut: {known})",
            file=context.data_dir / COSTS_FILE,
            column="talousarvio",
        )
    return _cost_parameter(context, f"talousarviot.{name}")


def calibration(context: Context) -> CalibrationSpec:
    """How the cost model is calibrated: the reference area's budget, members and measure."""
    _cost_parameter(context, "kustannusmalli.kalibrointi")  # an error when the file is missing
    parameter = context.costs["kustannusmalli.kalibrointi"]
    return parameter.value_as(RULES_DATE, CalibrationSpec, context={"names": context.names})


@dataclass(frozen=True)
class CostModel:
    fixed: Fraction  # euros per area
    per_jobseeker: Fraction  # euros per unemployed jobseeker
    measure: str
    year: int
    label: str
    status: str


def cost_model(context: Context) -> CostModel:
    """The fixed part from the parameters; the variable part calibrated so that the reference
    area's budget is its fixed part plus the variable part times its jobseekers."""
    cached = context.cache.get(POOL_COST_MODEL)
    if cached is not None:
        return cached
    fixed_value = _cost_parameter(context, "kustannusmalli.kiintea")
    fixed = exact(fixed_value.value)
    calib = calibration(context)
    reference = budget(context, calib.budget)
    codes, measure, year = list(calib.municipalities), calib.measure, calib.year
    jobseekers = sum(
        context.values(measure, year, codes, purpose="kustannusmallin kalibrointi").values()
    )
    rate = (exact(reference.value) - fixed) / jobseekers
    status = fixed_value.status
    label = (
        f"kustannusmalli: kiinteä osa {euros(fixed)} € alueelle ({status.upper()}) + "
        f"{euros(rate, 2)} € työtöntä työnhakijaa kohden ({measure_label(measure, year)}); "
        f"muuttuva osa kalibroitu: ({euros(reference.value)} € − {euros(fixed)} €) / "
        f"{euros(jobseekers, 2)} työtöntä työnhakijaa; {euros(reference.value)} € = "
        f"talousarvio '{calib.budget}' ({reference.status.upper()}"
        f"{_confidence(reference)}), työttömät työnhakijat sen {len(codes)} kunnasta"
    )
    made = CostModel(fixed, rate, measure, year, label, status)
    context.cache[POOL_COST_MODEL] = made
    return made


def resolve_pool(context: Context, spec: PoolSpec, area: Area) -> Pool:
    """An area's pool for any basis: the funding, budget and cost-model bases here, the
    experiment-era bases and explicit euros by the context."""
    factor_text = f", kerroin {float(spec.factor):g}" if spec.factor != 1 else ""
    if spec.base == POOL_FUNDING:
        funding = key_figures(context, FUNDING_KEY, 0, area.members, purpose="potti")
        total = sum(funding.values()) * spec.factor
        label = (
            f"jäsenkuntien valtionosuusarvioiden summa{factor_text} (ARVIO; "
            "data/parametrit/valtionosuus.yaml)"
        )
        return Pool((("valtionosuusarvio", total),), label, "arvio")
    if spec.base == POOL_BUDGET:
        value = budget(context, spec.budget)
        total = exact(value.value) * spec.factor
        label = (
            f"talousarvio '{spec.budget}' {euros(value.value)} €{factor_text} "
            f"({value.status.upper()}{_confidence(value)}): {value.source}"
        )
        return Pool((("talousarvio", total),), label, value.status)
    if spec.base == POOL_COST_MODEL:
        model = cost_model(context)
        jobseekers = sum(
            context.values(
                model.measure, model.year, area.members, purpose="kustannusmalli"
            ).values()
        )
        services = (
            ("kiinteä osa", model.fixed * spec.factor),
            ("muuttuva osa", model.per_jobseeker * jobseekers * spec.factor),
        )
        return Pool(services, model.label + factor_text, model.status)
    return context.pool(spec, area)
