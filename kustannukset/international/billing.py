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
4. *Laskutusjaksot*: events are invoiced after the fact by period (``laskutusjakso``: month or
   quarter). Period n of N bills the events dated in it (each event priced to the cent, half up)
   and the pool's instalment: for each cost kind split by key, the budget × n / N (to the cent)
   split by the invoicing key, minus the same for n - 1. The instalments add up over the year to
   the budget split by the key, whatever N is, so the choice of period changes no yearly total.
5. *Tasaus* (February of V+1, for year V), per service ("palvelusta syntyvät kustannukset"): the
   units are each cost kind split by key and each unit-priced service when the cost file gives
   costs per service (otherwise the unit-priced services together, one factor for all: the
   documented fallback). State project funding reduces a unit's actual cost first (funding for
   the whole pool is spread over its cost kinds in proportion to their actual cost). For a unit,
   change = (net actual - budget) / budget; the confirmed price is price × k with
   k = net actual / billed, and each municipality's final share is billed_i × k (a pool unit: the
   net actual split by the key). The unit's equalisation for municipality i = final_i - invoiced_i,
   where invoiced_i is what the periods billed. When |change| >= 10 % the unit's equalisation is
   a separate equalising invoice in February; below the threshold it is carried into the first
   invoice of V+1 as its own row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.money import CENT, largest_remainder, round_half_up
from kustannukset.international.inputs import (
    NO_FUNDING,
    Costs,
    Event,
    Events,
    Funding,
    inputs_notice,
)
from kustannukset.international.rules import (
    AT_LEAST_AN_HOUR,
    BUDGET,
    EXAMPLE_NOTICE,
    INTERPRETING_NOTICE,
    INVOICING,
    MONTH,
    SPLIT_BY_EVENTS,
    SPLIT_BY_KEY,
    WHOLE_POOL,
    Rules,
    jan1,
)
from kustannukset.shared_costs import split_by_key
from kustannukset.stats.loader import MEASURES, STATUSES, Statistics

# Statuses of a figure that is no published count: the key does not take it.
NOT_COUNTS = ("johdettu", "arvio")

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
    wanted = f"vuoden {year} {purpose} (tilanne 31.12.{stat_year})"
    values = stats.values(measure, stat_year, codes, purpose=wanted)
    # The rule divides by the counts Statistics Finland publishes; a count derived from a
    # rounded share (or an estimate) is not one.
    rows = stats.rows(measure, stat_year)
    derived = rows[rows["kuntanumero"].isin(codes) & rows["tila"].isin(NOT_COUNTS)]
    if len(derived):
        first = derived.iloc[0]
        raise InputError(
            f"{MEASURES[measure].name} {stat_year}: kunnan {first['kunta']} "
            f"({first['kuntanumero']}) luku on {STATUSES[first['tila']]} "
            f"({len(derived)}/{len(codes)} kunnalla), ei Tilastokeskuksen julkaisema määrä – "
            f"tarvitaan: {wanted}. Hae määrät: kustannukset data paivita --taulukot 11rm "
            f"--vuodet {stat_year} --kunnat kokeilu",
            file=Path(first["tiedosto"]),
            row=int(first["rivi"]),
            column="tila",
        )
    assumption = None
    if stat_year != rule_year:
        assumption = (
            f"ESIMERKKIOLETUS: sääntö käyttää vuoden {year} {what} vieraskielisiä "
            f"31.12.{rule_year}, mutta Tilastokeskuksen julkaisemia määriä ei ole kaikilta "
            f"kunnilta; esimerkissä käytetään lukuja 31.12.{stat_year}."
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


def billable_quantity(event: Event, rules: Rules, when: dt.date) -> Fraction:
    """The quantity priced: with 'vahintaan_tunti', a visit of native-language advice is at least
    an hour (a row of several visits: at least as many hours as visits)."""
    service = rules.services[event.service]
    if service.by_visit and rules.visit_rule(when) == AT_LEAST_AN_HOUR:
        return max(event.quantity, Fraction(event.visits or 1))
    return event.quantity


def event_amount(event: Event, rules: Rules, price_date: dt.date | None = None) -> Fraction:
    """Unit price (in force on the event's date, or on ``price_date``) × quantity; no travel."""
    when = price_date or event.date
    price = rules.unit_price(event.service, when, event.integration_year)
    return price * billable_quantity(event, rules, when)


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


def bill(
    events: Events,
    rules: Rules,
    year: int,
    codes: Iterable[str],
    *,
    price_date: dt.date | None = None,
    period: tuple[dt.date, dt.date] | None = None,
) -> Billing:
    """Price the events of ``year`` (by each event's date, or all at ``price_date``), each event
    to the cent (half up), or only those dated within ``period`` (first and last day); an event
    without a price in force is an error naming its row."""
    codes = tuple(codes)
    by_service = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    quantities = {c: dict.fromkeys(rules.services, Fraction(0)) for c in codes}
    per_diems = dict.fromkeys(codes, Fraction(0))
    kilometres = dict.fromkeys(codes, Fraction(0))
    for event in events.of_year(year):
        if period and not period[0] <= event.date <= period[1]:
            continue
        try:
            amount = event_amount(event, rules, price_date)
        except InputError as exc:
            when = price_date or event.date
            raise InputError(
                f"{rules.services[event.service].name}: hintaa ei ole päivälle "
                f"{when.day}.{when.month}.{when.year} "
                f"({exc.message})",
                file=events.path,
                row=event.line,
                column="pvm",
            ) from None
        by_service[event.code][event.service] += (
            amount if price_date else round_half_up(amount, CENT)
        )
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


def estimate(
    year: int,
    events: Events,
    costs: Costs,
    stats: Statistics,
    rules: Rules,
    funding: Funding = NO_FUNDING,
) -> Estimate:
    """Next year's cost estimate per municipality, as sent in August of ``year - 1`` (the base
    year's pool net of its state project funding)."""
    base_year = year - 2
    price_date = jan1(year)
    key = key_for(year, BUDGET, stats, rules, example_year=costs.key_year_override(base_year))
    codes = stats.municipalities.experiment
    if not events.of_year(base_year):
        raise InputError(f"palvelutapahtumia vuodelta {base_year} ei ole", file=events.path)
    pool_total = sum(
        (u.net for u in cost_units(base_year, costs, funding, rules) if u.split == SPLIT_BY_KEY),
        Fraction(0),
    )
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
        notices=_notices(events, costs, key, funding),
    )


def _notices(
    events: Events, costs: Costs, key: Key, funding: Funding = NO_FUNDING
) -> tuple[str, ...]:
    notices = []
    if events.is_example or costs.is_example or funding.is_example:
        notices.append(EXAMPLE_NOTICE)
    notices.append(inputs_notice(events, costs, funding))
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


# --- cost units: what the 10 % rule is applied to


ALL_SERVICES = "suoritteet"  # the unit of the fallback: unit-priced services together


@dataclass(frozen=True)
class CostUnit:
    """One service's costs in a year: a cost kind split by key, one unit-priced service, or (the
    fallback) all unit-priced services together."""

    code: str
    name: str
    split: str
    services: tuple[str, ...]  # the unit-priced services it covers (empty for the pool)
    budget: Fraction
    actual: Fraction
    funding: Fraction
    line: int  # the cost file's row (the first one)

    @property
    def net(self) -> Fraction:
        return self.actual - self.funding


def cost_units(year: int, costs: Costs, funding: Funding, rules: Rules) -> list[CostUnit]:
    """The year's units with their budget, actual cost and project funding; funding for the whole
    pool is spread over its cost kinds in proportion to their actual cost (to the cent)."""
    costs.check_closed(year)
    units: list[CostUnit] = []
    for line in costs.of_year(year):
        kind = rules.cost_kinds[line.kind]
        if line.service:
            code, name, services = line.service, rules.services[line.service].name, (line.service,)
        elif kind.split == SPLIT_BY_EVENTS:
            code, name, services = ALL_SERVICES, "Suoritteet yhteensä", tuple(rules.services)
        else:
            code, name, services = line.kind, kind.name, ()
        units.append(
            CostUnit(
                code, name, kind.split, services, line.budget, line.actual, Fraction(0), line.line
            )
        )
    grants: dict[str, Fraction] = {}
    for grant in funding.of_year(year):
        if grant.target == WHOLE_POOL:
            pool = [u for u in units if u.split == SPLIT_BY_KEY]
            weight = sum((u.actual for u in pool), Fraction(0))
            if not pool or weight <= 0:
                raise InputError(
                    f"vuoden {year} kustannuspotilla ei ole toteutuneita kustannuksia, joihin "
                    "hankerahoituksen voisi kohdistaa",
                    file=funding.path,
                    row=grant.line,
                    column="kohde",
                )
            parts = largest_remainder(
                {u.code: grant.amount * u.actual / weight for u in pool}, grant.amount, CENT
            )
            for code, amount in parts.items():
                grants[code] = grants.get(code, Fraction(0)) + amount
            continue
        target = next((u.code for u in units if u.code == grant.target), None)
        if target is None and grant.target in rules.services:
            target = next((u.code for u in units if grant.target in u.services), None)
        if target is None and grant.target == ALL_SERVICES:
            target = None  # costs given per service: the grant must name the service
        if target is None:
            raise InputError(
                f"hankerahoituksen kohdetta {grant.target} ei ole vuoden {year} kustannuksissa"
                + (
                    " (kustannukset on annettu palveluittain)"
                    if grant.target == ALL_SERVICES
                    else ""
                ),
                file=funding.path,
                row=grant.line,
                column="kohde",
            )
        grants[target] = grants.get(target, Fraction(0)) + grant.amount
    out = []
    for unit in units:
        amount = grants.get(unit.code, Fraction(0))
        if amount > unit.actual:
            raise InputError(
                f"{unit.name} {year}: hankerahoitus {float(amount):.2f} € on suurempi kuin "
                f"toteutuneet kustannukset {float(unit.actual):.2f} €",
                file=funding.path,
                column="summa",
            )
        out.append(
            CostUnit(
                unit.code,
                unit.name,
                unit.split,
                unit.services,
                unit.budget,
                unit.actual,
                amount,
                unit.line,
            )
        )
    return out


# --- invoicing periods


def period_bounds(year: int, period: int, kind: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``period`` (1-based) of ``year``; month or quarter."""
    months = 1 if kind == MONTH else 3
    first = dt.date(year, (period - 1) * months + 1, 1)
    after = (
        dt.date(year + 1, 1, 1) if period * months == 12 else dt.date(year, period * months + 1, 1)
    )
    return first, after - dt.timedelta(days=1)


def instalment(
    budget: Fraction, key: Mapping[str, Fraction], period: int, periods: int
) -> dict[str, Fraction]:
    """The pool's instalment of ``period``: what is due by its end minus what was due before,
    each split by the key in cents, so the instalments add up to the budget split by the key."""

    def due(n: int) -> dict[str, Fraction]:
        return split_cents(round_half_up(budget * n / periods, CENT), key)

    now, before = due(period), due(period - 1)
    return {c: now[c] - before[c] for c in key}


@dataclass(frozen=True)
class PeriodInvoices:
    """The invoices of one period: events dated in it, travel, the pool's instalment by cost kind,
    and in the year's first period the equalisation carried from the year before."""

    year: int
    period: int
    periods: int
    kind: str  # kuukausi / neljannes
    start: dt.date
    end: dt.date
    names: dict[str, str]
    billing: Billing  # the period's events, in cents per event
    pool: dict[str, dict[str, Fraction]]  # cost kind -> kuntanumero -> cents
    carried: dict[str, Fraction] | None  # the previous year's carried equalisation, cents
    carried_from: int | None
    notices: tuple[str, ...] = field(default=())

    def services(self, code: str) -> Fraction:
        return self.billing.services_total(code)

    def pool_total(self, code: str) -> Fraction:
        return sum((part[code] for part in self.pool.values()), Fraction(0))

    def carried_amount(self, code: str) -> Fraction:
        return self.carried[code] if self.carried else Fraction(0)

    def total(self, code: str) -> Fraction:
        return (
            self.services(code)
            + self.billing.travel(code)
            + self.pool_total(code)
            + self.carried_amount(code)
        )


def _invoicing_key(year: int, costs: Costs, stats: Statistics, rules: Rules) -> Key:
    return key_for(year, INVOICING, stats, rules, example_year=costs.key_year_override(year))


def period_invoices(
    year: int,
    period: int,
    events: Events,
    costs: Costs,
    stats: Statistics,
    rules: Rules,
    funding: Funding = NO_FUNDING,
    *,
    key: Key | None = None,
    carry: bool = True,
) -> PeriodInvoices:
    """The invoices of ``period`` of ``year``. In period 1 the previous year's equalisation of the
    units under the threshold is carried in as its own row (when that year's costs are closed)."""
    kind = rules.period_kind(year)
    periods = rules.periods(year)
    if not 1 <= period <= periods:
        raise InputError(
            f"vuodessa {year} on {periods} laskutusjaksoa ({kind}); jakso {period} ei ole 1–{periods}",
            file=rules.params.path,
        )
    codes = stats.municipalities.experiment
    key = key or _invoicing_key(year, costs, stats, rules)
    bounds = period_bounds(year, period, kind)
    billing = bill(events, rules, year, codes, period=bounds)
    pool = {
        line.kind: instalment(line.budget, key.values, period, periods)
        for line in costs.of_year(year)
        if rules.cost_kinds[line.kind].split == SPLIT_BY_KEY
    }
    carried, carried_from = None, None
    notices = list(_notices(events, costs, key, funding))
    if carry and period == 1:
        previous = year - 1
        if previous in costs.years() and costs.is_closed(previous):
            eq = equalise(previous, events, costs, stats, rules, funding)
            carried = {c: eq.carried(c) for c in codes}
            carried_from = previous
        elif previous in costs.years():
            notices.append(
                f"Vuoden {previous} toteuma puuttuu: sen tasausta ei voi vielä siirtää tähän laskuun."
            )
    return PeriodInvoices(
        year=year,
        period=period,
        periods=periods,
        kind=kind,
        start=bounds[0],
        end=bounds[1],
        names={c: stats.municipalities.name(c) for c in codes},
        billing=billing,
        pool=pool,
        carried=carried,
        carried_from=carried_from,
        notices=tuple(dict.fromkeys(notices)),
    )


# --- the February equalisation


@dataclass(frozen=True)
class UnitEqualisation:
    """One unit's budget, net actual, decision and per-municipality shares (cents)."""

    unit: CostUnit
    threshold: Fraction
    invoiced: dict[str, Fraction]  # what the periods billed
    final: dict[str, Fraction]  # at the confirmed prices (pool: net actual split by key)

    @property
    def change(self) -> Fraction:
        return (self.unit.net - self.unit.budget) / self.unit.budget

    @property
    def exceeds(self) -> bool:
        return exceeds_threshold(self.unit.budget, self.unit.net, self.threshold)

    @property
    def price_factor(self) -> Fraction | None:
        billed = sum(self.invoiced.values(), Fraction(0))
        return self.unit.net / billed if self.unit.split == SPLIT_BY_EVENTS and billed else None

    def difference(self, code: str) -> Fraction:
        return self.final[code] - self.invoiced[code]


@dataclass(frozen=True)
class Equalisation:
    """The February equalisation of ``year`` (made in February of year + 1)."""

    year: int
    key: Key
    names: dict[str, str]
    threshold: Fraction
    units: tuple[UnitEqualisation, ...]
    billing: Billing
    periods: tuple[PeriodInvoices, ...]
    by_service: bool  # the cost file gave unit-priced costs per service
    notices: tuple[str, ...] = field(default=())

    def _sum(self, values) -> Fraction:
        return sum(values, Fraction(0))

    def _units(self, split: str) -> list[UnitEqualisation]:
        return [u for u in self.units if u.unit.split == split]

    @property
    def budget_total(self) -> Fraction:
        return self._sum(u.unit.budget for u in self.units)

    @property
    def actual_total(self) -> Fraction:
        """Net of project funding."""
        return self._sum(u.unit.net for u in self.units)

    @property
    def funding_total(self) -> Fraction:
        return self._sum(u.unit.funding for u in self.units)

    @property
    def change(self) -> Fraction:
        return (self.actual_total - self.budget_total) / self.budget_total

    @property
    def exceeds(self) -> bool:
        """Whether any unit's change reaches the threshold (there are February invoices)."""
        return any(u.exceeds for u in self.units)

    @property
    def pool_budget(self) -> Fraction:
        return self._sum(u.unit.budget for u in self._units(SPLIT_BY_KEY))

    @property
    def pool_actual(self) -> Fraction:
        return self._sum(u.unit.net for u in self._units(SPLIT_BY_KEY))

    @property
    def pool_invoiced(self) -> dict[str, Fraction]:
        return {c: self._sum(u.invoiced[c] for u in self._units(SPLIT_BY_KEY)) for c in self.names}

    @property
    def pool_final(self) -> dict[str, Fraction]:
        return {c: self._sum(u.final[c] for u in self._units(SPLIT_BY_KEY)) for c in self.names}

    @property
    def billed(self) -> dict[str, Fraction]:
        return {c: self.billing.services_total(c) for c in self.names}

    @property
    def services_actual(self) -> Fraction:
        return self._sum(u.unit.net for u in self._units(SPLIT_BY_EVENTS))

    @property
    def services_final(self) -> dict[str, Fraction]:
        return {c: self._sum(u.final[c] for u in self._units(SPLIT_BY_EVENTS)) for c in self.names}

    @property
    def price_factor(self) -> Fraction:
        return self.services_actual / self._sum(self.billed.values())

    def pool_difference(self, code: str) -> Fraction:
        return self.pool_final[code] - self.pool_invoiced[code]

    def services_difference(self, code: str) -> Fraction:
        return self.services_final[code] - self.billed[code]

    def invoice(self, code: str) -> Fraction:
        """The equalisation of a municipality: positive = it pays, negative = it is credited."""
        return self._sum(u.difference(code) for u in self.units)

    def february(self, code: str) -> Fraction:
        """The separate equalising invoice of February: the units at or over the threshold."""
        return self._sum(u.difference(code) for u in self.units if u.exceeds)

    def carried(self, code: str) -> Fraction:
        """The row carried into next year's first invoice: the units under the threshold."""
        return self._sum(u.difference(code) for u in self.units if not u.exceeds)

    @property
    def difference(self) -> Fraction:
        """What the equalisation settles: net actual costs minus what was invoiced for them."""
        return (
            self.pool_actual
            + self.services_actual
            - self._sum(self.pool_invoiced.values())
            - self._sum(self.billed.values())
        )

    def service_factor(self, service: str) -> Fraction:
        """The factor confirming ``service``'s price: its unit's net actual ÷ billed (1 when
        nothing was billed)."""
        for u in self._units(SPLIT_BY_EVENTS):
            if service in u.unit.services:
                return u.price_factor or Fraction(1)
        return Fraction(1)

    def final_prices(self, rules: Rules) -> pd.DataFrame:
        """The confirmed unit prices: each price in force scaled by its unit's factor."""
        when = jan1(self.year)
        rows = []
        for service in rules.services.values():
            years = [1, 2, 3, 4, 5] if service.by_integration_year else [None]
            factor = self.service_factor(service.code)
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
                        "vahvistettu_hinta": float(round_half_up(price * factor, CENT)),
                    }
                )
        return pd.DataFrame(rows)


def equalise(
    year: int,
    events: Events,
    costs: Costs,
    stats: Statistics,
    rules: Rules,
    funding: Funding = NO_FUNDING,
) -> Equalisation:
    """Compare each unit's net actual cost with its budget and settle the difference per
    municipality, from what the year's periods billed."""
    codes = stats.municipalities.experiment
    units = cost_units(year, costs, funding, rules)
    for unit in units:
        if unit.budget <= 0 and unit.net != 0:
            raise InputError(
                f"{unit.name} {year}: talousarvio on nolla, muutosta ei voi laskea",
                file=costs.path,
                row=unit.line,
                column="talousarvio",
            )
    key = _invoicing_key(year, costs, stats, rules)
    periods = tuple(
        period_invoices(year, n, events, costs, stats, rules, funding, key=key, carry=False)
        for n in range(1, rules.periods(year) + 1)
    )
    billed_by_service = {
        c: {
            s: sum((p.billing.by_service[c][s] for p in periods), Fraction(0))
            for s in rules.services
        }
        for c in codes
    }
    covered = {s for u in units for s in u.services}
    for service in rules.services:
        if service not in covered and any(billed_by_service[c][service] for c in codes):
            raise InputError(
                f"palvelua {rules.services[service].name} on laskutettu vuonna {year}, mutta sen "
                "kustannuksia ei ole annettu (kustannukset palveluittain: lisää rivi palvelulle)",
                file=costs.path,
                column="palvelu",
            )
    threshold = rules.threshold(year)
    equalised = []
    for unit in units:
        if unit.split == SPLIT_BY_KEY:
            invoiced = {c: sum((p.pool[unit.code][c] for p in periods), Fraction(0)) for c in codes}
            final = split_cents(unit.net, key.values)
        else:
            invoiced = {
                c: sum((billed_by_service[c][s] for s in unit.services), Fraction(0)) for c in codes
            }
            if sum(invoiced.values()) <= 0:
                if unit.net:
                    raise InputError(
                        f"{unit.name}: suoritteita ei ole laskutettu vuodelta {year}, mutta "
                        f"toteutuneet kustannukset ovat {float(unit.net):.2f} €: hintaa ei voi "
                        "vahvistaa",
                        file=costs.path,
                        row=unit.line,
                        column="toteuma",
                    )
                final = dict.fromkeys(codes, Fraction(0))
            else:
                final = final_billing(invoiced, unit.net)
        equalised.append(UnitEqualisation(unit, threshold, invoiced, final))
    billing = bill(events, rules, year, codes)
    return Equalisation(
        year=year,
        key=key,
        names={c: stats.municipalities.name(c) for c in codes},
        threshold=threshold,
        units=tuple(equalised),
        billing=billing,
        periods=periods,
        by_service=costs.by_service(year),
        notices=_notices(events, costs, key, funding),
    )
