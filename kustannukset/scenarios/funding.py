"""An estimate of the state funding (valtionosuus) the employment task brings, per area.

The amount ``kokonaismaara`` less ``vieraskielisyysosa`` is allocated over the municipalities of
mainland Finland by the weighted shares of ``kriteerit`` (reported 50/50 working-age population and
unemployment); ``vieraskielisyysosa`` by the share of foreign-language speakers. An area's estimate
is the sum over its members. All parameters are in ``data/parametrit/valtionosuus.yaml`` with their
sources, and the result is always labelled an estimate.

A municipality's share is of the whole country, so the estimate needs the figures of every mainland
municipality: when the register holds fewer than ``kuntia_vahintaan`` of them, the estimate is not
made and the note says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from kustannukset.core.errors import InputError
from kustannukset.core.money import exact, largest_remainder, round_half_up
from kustannukset.scenarios.context import RULES_DATE, Context
from kustannukset.scenarios.model import Scenario, measure_label
from kustannukset.view.formatting import euros, percent


@dataclass(frozen=True)
class FundingEstimate:
    by_municipality: dict[str, int]  # whole euros (largest remainder over the whole country)
    by_area: dict[str, int | None]
    note: str


def _criteria(context: Context):
    pf = context.funding
    total = exact(pf["kokonaismaara"].at(RULES_DATE).value)
    foreign = exact(pf["vieraskielisyysosa"].at(RULES_DATE).value)
    entry = pf["kriteerit"].at(RULES_DATE)
    parts = [(str(c["mittari"]), int(c["vuosi"]), exact(c["paino"])) for c in entry.value]
    if sum(w for _, _, w in parts) != 1:
        raise InputError(
            "kriteerien painojen summa ei ole 1", file=pf.path, row=entry.line, column="paino"
        )
    lang = pf["vieraskielisyys"].at(RULES_DATE).value
    return total, foreign, parts, (str(lang["mittari"]), int(lang["vuosi"]))


def _available(context: Context, measure: str, year: int) -> dict[str, Fraction]:
    rows = context.statistics.rows(measure, year)
    return {
        code: Fraction(value) for code, value in zip(rows["kuntanumero"], rows["arvo"], strict=True)
    }


def national_allocation(context: Context) -> tuple[dict[str, Fraction], list[str]]:
    """Every mainland municipality's estimated funding, exactly, and the municipalities left out
    of the shares because a criterion figure is missing (they get no estimate; never a zero)."""
    pf = context.funding
    table = context.statistics.municipalities.table
    excluded_param = pf["ulkopuolella"]
    excluded = set(excluded_param.at(RULES_DATE).value or [])
    codes = sorted(table.index[~table["maakunta"].isin(excluded)])
    needed = int(pf["kuntia_vahintaan"].at(RULES_DATE).value)
    if len(codes) < needed:
        raise InputError(
            f"valtionosuusarviota ei lasketa: kuntarekisterissä on {len(codes)} kuntaa, koko maan "
            f"osuuksiin tarvitaan vähintään {needed} kunnan luvut",
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
    total, foreign, parts, language = _criteria(context)
    criteria = [(m, y, total - foreign, w) for m, y, w in parts]
    criteria.append((language[0], language[1], foreign, Fraction(1)))
    figures = {(m, y): _available(context, m, y) for m, y, _, _ in criteria}
    missing = [c for c in codes if any(c not in figures[(m, y)] for m, y, _, _ in criteria)]
    used = [c for c in codes if c not in missing]
    result = dict.fromkeys(used, Fraction(0))
    for measure, year, amount, weight in criteria:
        values = figures[(measure, year)]
        whole = sum(values[c] for c in used)
        for code in used:
            result[code] += amount * weight * values[code] / whole
    return result, missing


def describe(context: Context) -> str:
    total, foreign, parts, (lang_measure, lang_year) = _criteria(context)
    crit = " ja ".join(f"{percent(w, 0)} {measure_label(m, y)}" for m, y, w in parts)
    return (
        f"Valtionosuus on ARVIO: {euros(total - foreign)} € jaettuna {crit} suhteessa, lisäksi "
        f"{euros(foreign)} € {measure_label(lang_measure, lang_year)} suhteessa "
        f"(yhteensä {euros(total)} €; lähteet: data/parametrit/valtionosuus.yaml)"
    )


def funding_estimate(context: Context, scenario: Scenario) -> FundingEstimate:
    try:
        exact_amounts, missing = national_allocation(context)
    except InputError as exc:
        return FundingEstimate(
            {}, {a.name: None for a in scenario.areas}, f"{describe(context)}. {exc.message}."
        )
    total = round_half_up(sum(exact_amounts.values()))
    rounded = {c: int(v) for c, v in largest_remainder(exact_amounts, total).items()}
    by_area: dict[str, int | None] = {}
    for area in scenario.areas:
        by_area[area.name] = (
            sum(rounded[c] for c in area.members)
            if all(c in rounded for c in area.members)
            else None
        )
    note = describe(context) + f". Osuudet {len(exact_amounts)} kunnan luvuista."
    if missing:
        names = ", ".join(f"{context.name(c)} ({c})" for c in missing)
        note += (
            f" Jakajasta puuttuu {names}: jonkin perusteen luku puuttuu aineistosta, joten muiden "
            "osuudet ovat hieman yläkanttiin eikä näille kunnille ole arviota."
        )
    return FundingEstimate(rounded, by_area, note)
