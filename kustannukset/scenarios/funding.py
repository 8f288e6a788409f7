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

from kustannukset.errors import InputError
from kustannukset.formatting import euros, percent
from kustannukset.rounding import exact, largest_remainder, round_half_up
from kustannukset.scenarios.context import RULES_DATE, Context
from kustannukset.scenarios.model import Scenario, measure_label


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


def national_allocation(context: Context) -> dict[str, Fraction]:
    """Every mainland municipality's estimated funding, exactly."""
    pf = context.funding
    table = context.statistics.municipalities.table
    excluded = set(pf["ulkopuolella"].at(RULES_DATE).value or [])
    codes = sorted(table.index[~table["maakunta"].isin(excluded)])
    needed = int(pf["kuntia_vahintaan"].at(RULES_DATE).value)
    if len(codes) < needed:
        raise InputError(
            f"valtionosuusarviota ei lasketa: kuntarekisterissä on {len(codes)} kuntaa, koko maan "
            f"osuuksiin tarvitaan vähintään {needed} kunnan luvut",
            file=context.data_dir / "kunnat.csv",
        )
    total, foreign, parts, (lang_measure, lang_year) = _criteria(context)
    result = dict.fromkeys(codes, Fraction(0))
    base = total - foreign
    for measure, year, weight in parts:
        values = context.values(measure, year, codes, purpose="valtionosuusarvio")
        whole = sum(values.values())
        for code in codes:
            result[code] += base * weight * values[code] / whole
    values = context.values(lang_measure, lang_year, codes, purpose="valtionosuusarvio")
    whole = sum(values.values())
    for code in codes:
        result[code] += foreign * values[code] / whole
    return result


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
        exact_amounts = national_allocation(context)
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
    return FundingEstimate(rounded, by_area, describe(context) + ".")
