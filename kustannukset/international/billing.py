"""Kansainvälisen osaamisen keskitetyt palvelut (international expertise services): unit-price
billing of service events, the cost pool split by foreign-language speakers, the August estimate
and the February equalisation.

The rules and prices are dated parameters in ``data/parametrit/kansainvaliset_palvelut.yaml``; the
service events and the cost pool are CSV files (by default the example data set in
``data/esimerkki/``). Everything is exact (``Fraction``); money is rounded once, to the cent, and
every column of invoices adds up exactly to the amount it divides (largest remainder, ties to the
smaller municipality code; :mod:`kustannukset.core.money`).

The formulas, for year V and municipality i:

1. *Suoritelaskutus*: each event costs ``unit price in force on its date × quantity``; OMA-valmennus
   is priced by integration year (1.–5.; a 6th year is an error). Per diems and kilometres of
   on-site service are passed through to the ordering municipality. Interpreting is not included.
2. *Kustannuspotti*: the cost kinds split by key (staff costs and Mainio) are divided in proportion
   to foreign-language speakers on 31.12. of V - viive, where viive is 2 for the budget (set in
   V-1, using the last day of the year before) and 1 for invoicing.
3. *Arvio* (August of V-1, for year V): the client counts of V-2 priced with the prices in force on
   1.1.V, plus the actual pool of V-2 split by the budget key (31.12.(V-2)).
4. *Tasaus* (February of V+1, for year V): change = (actual - budget) / budget over all cost
   kinds. The final prices are set by the actual costs: unit prices are scaled by
   k = actual unit-priced costs / billed at the prices used, and the pool is split with its actual
   amount. Each municipality's equalisation = (final pool share - invoiced pool share)
   + (final billing - billed). When |change| >= 10 %, prices are updated and the equalisation is a
   separate equalising invoice (tasauslasku); below the threshold the same difference is carried
   into the first invoice of V+1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.money import CENT, largest_remainder, round_half_up
from kustannukset.international.inputs import Costs, Event, Events
from kustannukset.international.rules import (
    BUDGET,
    EXAMPLE_NOTICE,
    INTERPRETING_NOTICE,
    INVOICING,
    SPLIT_BY_EVENTS,
    SPLIT_BY_KEY,
    Rules,
    jan1,
)
from kustannukset.shared_costs import split_by_key
from kustannukset.stats.loader import MEASURES, Statistics

# --- key


@dataclass(frozen=True)
class Key:
    """Foreign-language speakers as the key of ``year`` for ``purpose``."""

    year: int
    purpose: str
    measure: str
    rule_year: int  # the statistical year the rule asks for
    stat_year: int  # the year actually used (differs only by an example assumption)
    values: dict[str, Fraction]
    assumption: str | None = None

    @property
    def label(self) -> str:
        return f"{MEASURES[self.measure].name}{self.stat_year}"

    def share(self, code: str) -> Fraction:
        return self.values[code] / sum(self.values.values())


def key_for(
    year: int,
    purpose: str,
    stats: Statistics,
    rules: Rules,
    *,
    example_year: int | None = None,
) -> Key:
    """The key the rule picks from ``year`` and ``purpose``; a missing count is an error naming
    the municipality and the date. ``example_year`` replaces the statistical year (example data
    only)."""
    measure = rules.key_measure(year)
    rule_year = rules.key_year(year, purpose)
    stat_year = example_year or rule_year
    what = "talousarviossa" if purpose == BUDGET else "laskutuksessa"
    codes = stats.municipalities.experiment
    values = stats.values(
        measure, stat_year, codes, purpose=f"vuoden {year} {purpose} (tilanne 31.12.{stat_year})"
    )
    assumption = None
    if stat_year != rule_year:
        assumption = (
            f"ESIMERKKIOLETUS: sääntö käyttää vuoden {year} {what} vieraskielisiä "
            f"31.12.{rule_year}, "
            f"mutta niitä ei ole kaikilta kunnilta; esimerkissä käytetään lukuja 31.12.{stat_year}."
        )
    return Key(year, purpose, measure, rule_year, stat_year, values, assumption)


def split_cents(total: Fraction, key: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """``total`` (a whole number of cents) split by ``key`` into cents that add up to it exactly."""
    if (total / CENT).denominator != 1:
        raise ValueError(f"{total} ei ole sentin monikerta")
    if not total:
        return dict.fromkeys(key, Fraction(0))
    return largest_remainder(split_by_key(total, key), total, CENT)


# --- billing


def event_amount(event: Event, rules: Rules, price_date: dt.date | None = None) -> Fraction:
    """Unit price (in force on the event's date, or on ``price_date``) × quantity; no travel."""
    when = price_date or event.date
    return rules.unit_price(event.service, when, event.integration_year) * event.quantity


@dataclass(frozen=True)
class Billing:
    """Unit-price billing of one year's events, exact; per municipality and service."""

    year: int
    codes: tuple[str, ...]
    by_service: dict[str, dict[str, Fraction]]  # kuntanumero -> service -> amount
    quantities: dict[str, dict[str, Fraction]]  # kuntanumero -> service -> quantity
    per_diems: dict[str, Fraction]
    kilometres: dict[str, Fraction]

    def services_total(self, code: str) -> Fraction:
        return sum(self.by_service[code].values(), Fraction(0))

    def travel(self, code: str) -> Fraction:
        return self.per_diems[code] + self.kilometres[code]

    def total(self, code: str) -> Fraction:
        return self.services_total(code) + self.travel(code)

    @property
    def grand_services_total(self) -> Fraction:
        return sum((self.services_total(c) for c in self.codes), Fraction(0))


def bill(
    events: Events,
    rules: Rules,
    year: int,
    codes: Iterable[str],
    *,
    price_date: dt.date | None = None,
) -> Billing:
    """Price the events of ``year`` (by each event's date, or all at ``price_date``); an event
    without a price in force is an error naming its row."""
    codes = tuple(codes)
    by_service = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    quantities = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    per_diems = dict.fromkeys(codes, Fraction(0))
    kilometres = dict.fromkeys(codes, Fraction(0))
    for event in events.of_year(year):
        try:
            amount = event_amount(event, rules, price_date)
        except InputError as exc:
            when = price_date or event.date
            raise InputError(
                f"{rules.services[event.service].name}: hintaa ei ole päivälle {when:%d.%m.%Y} "
                f"({exc.message})",
                file=events.path,
                row=event.line,
                column="pvm",
            ) from None
        by_service[event.code][event.service] += amount
        quantities[event.code][event.service] += event.quantity
        per_diems[event.code] += event.per_diems
        kilometres[event.code] += event.kilometres
    return Billing(year, codes, by_service, quantities, per_diems, kilometres)


def client_counts(events: Iterable[Event], year: int, rules: Rules) -> pd.DataFrame:
    """Quantities by municipality, service and integration year (one row each), for reports."""
    totals: dict[tuple[str, str, str], Fraction] = {}
    for e in events:
        if e.date.year != year:
            continue
        iy = str(e.integration_year) if e.integration_year else "–"
        totals[e.code, e.service, iy] = (
            totals.get((e.code, e.service, iy), Fraction(0)) + e.quantity
        )
    order = list(rules.services)
    rows = [
        {
            "kuntanumero": code,
            "palvelu": rules.services[service].name,
            "kotoutumisvuosi": iy,
            "maara": float(q),
            "yksikko": rules.services[service].unit,
        }
        for (code, service, iy), q in sorted(
            totals.items(), key=lambda item: (item[0][0], order.index(item[0][1]), item[0][2])
        )
    ]
    return pd.DataFrame(
        rows, columns=["kuntanumero", "palvelu", "kotoutumisvuosi", "maara", "yksikko"]
    )


# --- the yearly cycle


@dataclass(frozen=True)
class Estimate:
    """The August estimate for ``year`` (made in year - 1, from the actuals of ``base_year``)."""

    year: int
    base_year: int
    price_date: dt.date
    key: Key
    names: dict[str, str]
    billing: Billing  # base year's events at the prices of ``price_date``
    pool_total: Fraction
    pool: dict[str, Fraction]  # cents, adding up to pool_total
    notices: tuple[str, ...]

    def total(self, code: str) -> Fraction:
        return self.services(code) + self.pool[code]

    def services(self, code: str) -> Fraction:
        return round_half_up(self.billing.services_total(code), CENT)


def estimate(year: int, events: Events, costs: Costs, stats: Statistics, rules: Rules) -> Estimate:
    """Next year's cost estimate per municipality, as sent in August of ``year - 1``."""
    base_year = year - 2
    price_date = jan1(year)
    key = key_for(year, BUDGET, stats, rules, example_year=costs.key_year_override(base_year))
    codes = stats.municipalities.experiment
    if not events.of_year(base_year):
        raise InputError(f"palvelutapahtumia vuodelta {base_year} ei ole", file=events.path)
    pool_total = costs.total(base_year, "actual", SPLIT_BY_KEY, rules)
    billing = bill(events, rules, base_year, codes, price_date=price_date)
    return Estimate(
        year=year,
        base_year=base_year,
        price_date=price_date,
        key=key,
        names={c: stats.municipalities.name(c) for c in codes},
        billing=billing,
        pool_total=pool_total,
        pool=split_cents(pool_total, key.values),
        notices=_notices(events, costs, key),
    )


def _notices(events: Events, costs: Costs, key: Key) -> tuple[str, ...]:
    notices = []
    if events.is_example or costs.is_example:
        notices.append(EXAMPLE_NOTICE)
    if key.assumption:
        notices.append(key.assumption)
    notices.append(INTERPRETING_NOTICE)
    return tuple(notices)


def exceeds_threshold(budget: Fraction, actual: Fraction, threshold: Fraction) -> bool:
    """|actual - budget| / budget >= threshold (either way; the threshold itself included)."""
    if budget <= 0:
        raise ValueError("talousarvion pitää olla positiivinen")
    return abs(actual - budget) / budget >= threshold


def final_billing(billed: Mapping[str, Fraction], actual: Fraction) -> dict[str, Fraction]:
    """Billing at the final prices, in cents adding up to ``actual``: every unit price is scaled by
    k = actual / billed total, so each municipality's share is billed_i × k."""
    total = sum(billed.values(), Fraction(0))
    if total <= 0:
        raise ValueError("laskutettuja suoritteita ei ole")
    return largest_remainder({c: b * actual / total for c, b in billed.items()}, actual, CENT)


@dataclass(frozen=True)
class Equalisation:
    """The February equalisation of ``year`` (made in February of year + 1)."""

    year: int
    key: Key
    names: dict[str, str]
    threshold: Fraction
    budget_total: Fraction
    actual_total: Fraction
    pool_budget: Fraction
    pool_actual: Fraction
    pool_invoiced: dict[str, Fraction]  # cents: the budget pool split by the invoicing key
    pool_final: dict[str, Fraction]  # cents: the actual pool split by the same key
    billing: Billing
    billed: dict[str, Fraction]  # cents: unit-price billing during the year (without travel)
    services_actual: Fraction
    services_final: dict[str, Fraction]  # cents at the final prices, adding up to services_actual
    notices: tuple[str, ...] = field(default=())

    @property
    def change(self) -> Fraction:
        return (self.actual_total - self.budget_total) / self.budget_total

    @property
    def exceeds(self) -> bool:
        return exceeds_threshold(self.budget_total, self.actual_total, self.threshold)

    @property
    def price_factor(self) -> Fraction:
        return self.services_actual / sum(self.billed.values(), Fraction(0))

    def pool_difference(self, code: str) -> Fraction:
        return self.pool_final[code] - self.pool_invoiced[code]

    def services_difference(self, code: str) -> Fraction:
        return self.services_final[code] - self.billed[code]

    def invoice(self, code: str) -> Fraction:
        """The equalisation of a municipality: positive = it pays, negative = it is credited."""
        return self.pool_difference(code) + self.services_difference(code)

    @property
    def difference(self) -> Fraction:
        """What the equalisation settles: actual costs minus what was invoiced for them."""
        return (
            self.pool_actual
            + self.services_actual
            - self.pool_budget
            - sum(self.billed.values(), Fraction(0))
        )

    def final_prices(self, rules: Rules) -> pd.DataFrame:
        """The confirmed unit prices: the prices in force scaled by the price factor."""
        when = jan1(self.year)
        rows = []
        for service in rules.services.values():
            years = [1, 2, 3, 4, 5] if service.by_integration_year else [None]
            for iy in years:
                try:
                    price = rules.unit_price(service.code, when, iy)
                except InputError:
                    continue
                rows.append(
                    {
                        "palvelu": service.name + (f", {iy}. kotoutumisvuosi" if iy else ""),
                        "yksikko": service.unit,
                        "hinta": float(price),
                        "vahvistettu_hinta": float(round_half_up(price * self.price_factor, CENT)),
                    }
                )
        return pd.DataFrame(rows)


def equalise(
    year: int, events: Events, costs: Costs, stats: Statistics, rules: Rules
) -> Equalisation:
    """Compare year's actual costs with the budget and settle the difference per municipality."""
    codes = stats.municipalities.experiment
    lines = costs.of_year(year)
    budget_total = sum((c.budget for c in lines), Fraction(0))
    if budget_total <= 0:
        raise InputError(
            f"vuoden {year} talousarvio on yhteensä nolla: muutosta ei voi laskea",
            file=costs.path,
            row=lines[0].line,
            column="talousarvio",
        )
    actual_total = sum((c.actual for c in lines), Fraction(0))
    key = key_for(year, INVOICING, stats, rules, example_year=costs.key_year_override(year))
    pool_budget = costs.total(year, "budget", SPLIT_BY_KEY, rules)
    pool_actual = costs.total(year, "actual", SPLIT_BY_KEY, rules)
    billing = bill(events, rules, year, codes)
    billed = {c: round_half_up(billing.services_total(c), CENT) for c in codes}
    services_actual = costs.total(year, "actual", SPLIT_BY_EVENTS, rules)
    if sum(billed.values()) <= 0:
        if services_actual:
            raise InputError(
                f"suoritteita ei ole laskutettu vuodelta {year}, mutta suoritteiden toteutuneet "
                f"kustannukset ovat {float(services_actual):.2f} €: hintoja ei voi vahvistaa",
                file=events.path,
            )
        services_final = dict.fromkeys(codes, Fraction(0))
    else:
        services_final = final_billing(billed, services_actual)
    return Equalisation(
        year=year,
        key=key,
        names={c: stats.municipalities.name(c) for c in codes},
        threshold=rules.threshold(year),
        budget_total=budget_total,
        actual_total=actual_total,
        pool_budget=pool_budget,
        pool_actual=pool_actual,
        pool_invoiced=split_cents(pool_budget, key.values),
        pool_final=split_cents(pool_actual, key.values),
        billing=billing,
        billed=billed,
        services_actual=services_actual,
        services_final=services_final,
        notices=_notices(events, costs, key),
    )
