"""International expertise services: the estimate and the equalisation as tables and text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from kustannukset.core.money import CENT, exact, round_half_up
from kustannukset.international.billing import Equalisation, Estimate, PeriodInvoices
from kustannukset.international.inputs import Event
from kustannukset.international.rules import MONTH, Rules
from kustannukset.view.formatting import date, euros, percent

# --- tables


def _cent(value: Fraction) -> Fraction:
    """An invoice line: the exact amount to the cent, half-up."""
    return round_half_up(value, CENT)


def _cents(value: Fraction) -> float:
    return float(_cent(value))


def cents(value: Fraction) -> float:
    """An amount to the cent (half-up), as a table's number."""
    return _cents(value)


def estimate_table(est: Estimate) -> pd.DataFrame:
    """One row per municipality: key, unit-priced services, pool share, total (euros and cents)."""
    rows = []
    for code, name in est.names.items():
        rows.append(
            {
                "kuntanumero": code,
                "kunta": name,
                "vieraskieliset": int(est.key.values[code]),
                "osuus_pct": float(round_half_up(est.key.share(code) * 100, Fraction(1, 1000))),
                "suoritteet": _cents(est.services(code)),
                "kustannuspotti": _cents(est.pool[code]),
                "arvio_yhteensa": _cents(est.total(code)),
            }
        )
    return pd.DataFrame(rows)


def equalisation_table(eq: Equalisation) -> pd.DataFrame:
    """One row per municipality: invoiced and final pool share and billing, and the equalisation."""
    rows = []
    for code, name in eq.names.items():
        rows.append(
            {
                "kuntanumero": code,
                "kunta": name,
                "vieraskieliset": int(eq.key.values[code]),
                "osuus_pct": float(round_half_up(eq.key.share(code) * 100, Fraction(1, 1000))),
                "potti_laskutettu": _cents(eq.pool_invoiced[code]),
                "potti_toteutunut": _cents(eq.pool_final[code]),
                "suoritteet_laskutettu": _cents(eq.billed[code]),
                "suoritteet_vahvistettu": _cents(eq.services_final[code]),
                "matkakulut": _cents(eq.billing.travel(code)),
                "tasaus": _cents(eq.invoice(code)),
                "tasauslasku_helmikuu": _cents(eq.february(code)),
                "siirto_seuraavaan_laskuun": _cents(eq.carried(code)),
            }
        )
    return pd.DataFrame(rows)


FEBRUARY = "tasauslasku"
CARRIED = "siirto"
DECISIONS = {
    FEBRUARY: "vähintään raja: hinnat päivitetään, erillinen tasauslasku helmikuussa",
    CARRIED: "alle rajan: erotus seuraavan vuoden ensimmäiseen laskuun",
}


def decision(exceeds: bool) -> str:
    return FEBRUARY if exceeds else CARRIED


def units_table(eq: Equalisation) -> pd.DataFrame:
    """One row per service (cost unit): budget, actual, project funding, net, change, the branch of
    the 10 % rule that applies, the price factor and the equalisation it settles."""
    rows = []
    for u in eq.units:
        factor = u.price_factor
        rows.append(
            {
                "palvelu": u.unit.code,
                "nimi": u.unit.name,
                "talousarvio": _cents(u.unit.budget),
                "toteuma": _cents(u.unit.actual),
                "hankerahoitus": _cents(u.unit.funding),
                "toteuma_netto": _cents(u.unit.net),
                "laskutettu": _cents(sum(u.invoiced.values(), Fraction(0))),
                "muutos_pct": float(round_half_up(u.change * 100, Fraction(1, 100)))
                if u.unit.budget
                else 0.0,
                "paatos": decision(u.exceeds) if u.unit.budget else CARRIED,
                "hintakerroin": float(round_half_up(factor, Fraction(1, 10000)))
                if factor is not None
                else float("nan"),
                "tasaus": _cents(sum((u.difference(c) for c in eq.names), Fraction(0))),
            }
        )
    return pd.DataFrame(rows)


def period_label(inv: PeriodInvoices) -> str:
    what = "kuukausi" if inv.kind == MONTH else "neljännes"
    return (
        f"jakso {inv.period}/{inv.periods} ({what}) "
        f"{inv.start.day}.{inv.start.month}.{inv.start.year}–"
        f"{inv.end.day}.{inv.end.month}.{inv.end.year}"
    )


def invoices_table(inv: PeriodInvoices, rules: Rules) -> pd.DataFrame:
    """One row per municipality: the period's services (one column each), travel, the pool's
    instalment by cost kind, the carried equalisation (first period) and the invoice total."""
    rows = []
    for code, name in inv.names.items():
        row: dict[str, object] = {"kuntanumero": code, "kunta": name}
        for service in rules.services:
            row[service] = _cents(inv.billing.by_service[code][service])
        row["matkakulut"] = _cents(inv.billing.travel(code))
        for kind, part in inv.pool.items():
            row[f"potti_{kind}"] = _cents(part[code])
        if inv.carried is not None:
            row[f"tasaus_{inv.carried_from}"] = _cents(inv.carried[code])
        row["lasku_yhteensa"] = _cents(inv.total(code))
        rows.append(row)
    return pd.DataFrame(rows)


def invoice_totals_table(inv: PeriodInvoices) -> pd.DataFrame:
    """One row per municipality: the period's invoice in its parts (services, travel, the pool's
    instalment, the carried equalisation) and its total, each to the cent."""
    rows = []
    for code, name in inv.names.items():
        row: dict[str, object] = {
            "kuntanumero": code,
            "kunta": name,
            "suoritteet": _cents(inv.services(code)),
            "matkakulut": _cents(inv.billing.travel(code)),
            "kustannuspotti": _cents(inv.pool_total(code)),
        }
        if inv.carried is not None:
            row[f"tasaus_{inv.carried_from}"] = _cents(inv.carried[code])
        row["lasku_yhteensa"] = _cents(inv.total(code))
        rows.append(row)
    return pd.DataFrame(rows)


def client_summary(events: list[Event], year: int, rules: Rules, codes: list[str]) -> pd.DataFrame:
    """Per municipality and service: clients and what was produced. Clients are counted as
    distinct identifiers when every event of the municipality and service names its client;
    otherwise the events are counted, and the column ``laskettu`` says which."""
    groups: dict[tuple[str, str], list[Event]] = {}
    for e in events:
        if e.date.year == year and e.code in codes:
            groups.setdefault((e.code, e.service), []).append(e)
    order = list(rules.services)
    rows = []
    for (code, service), group in sorted(
        groups.items(), key=lambda item: (codes.index(item[0][0]), order.index(item[0][1]))
    ):
        identified = all(e.client for e in group)
        rows.append(
            {
                "kuntanumero": code,
                "palvelu": rules.services[service].name,
                "asiakkaita": len({e.client for e in group}) if identified else len(group),
                "laskettu": "eri asiakkaita"
                if identified
                else "tapahtumia (asiakasta ei yksilöity)",
                "maara": float(sum((e.quantity for e in group), Fraction(0))),
                "yksikko": rules.services[service].unit,
            }
        )
    return pd.DataFrame(
        rows, columns=["kuntanumero", "palvelu", "asiakkaita", "laskettu", "maara", "yksikko"]
    )


def with_total_row(frame: pd.DataFrame, label_column: str = "kunta") -> pd.DataFrame:
    """The table with a 'Summa' row: every numeric column summed exactly in cents."""
    total: dict[str, object] = {c: "" for c in frame.columns}
    total[label_column] = "Summa"
    for column in frame.columns:
        if column in ("osuus_pct", "muutos_pct", "hintakerroin"):
            total[column] = float("nan")
        elif pd.api.types.is_numeric_dtype(frame[column]):
            cents = sum(int(round_half_up(exact(v) * 100)) for v in frame[column])
            total[column] = cents / 100 if frame[column].dtype.kind == "f" else cents // 100
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


def euros_cents(value: float) -> str:
    """'1 234,50' for tables."""

    return euros(value, 2)


def text_table(frame: pd.DataFrame) -> str:
    """A plain-text table: amounts with cents, the share with three decimals, in Finnish format."""

    formatters = {}
    for column in frame.columns:
        if column == "osuus_pct":
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.3f}".replace(".", ",") + " %"
        elif column == "muutos_pct":
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.2f}".replace(".", ",") + " %"
        elif column == "hintakerroin":
            formatters[column] = lambda v: "" if pd.isna(v) else f"{v:.4f}".replace(".", ",")
        elif column in ("vieraskieliset",):
            formatters[column] = lambda v: euros(v, 0)
        elif pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = euros_cents
    return frame.to_string(index=False, formatters=formatters, na_rep="")


def summary_text(eq: Equalisation) -> str:
    """The equalisation in words: budget, actual, funding, the threshold per service and what
    follows."""

    limit = percent(eq.threshold, 0)
    over = [u.unit.name for u in eq.units if u.unit.budget and u.exceeds]
    under = [u.unit.name for u in eq.units if not (u.unit.budget and u.exceeds)]
    lines = [
        f"Talousarvio {euros_cents(float(eq.budget_total))} €, toteuma hankerahoituksen jälkeen "
        f"{euros_cents(float(eq.actual_total))} €, muutos {percent(eq.change, 2)}. Raja "
        f"{limit} koetaan palveluittain (|toteuma - talousarvio| / talousarvio).",
    ]
    if eq.funding_total:
        lines.append(
            f"Valtion hankerahoitus {euros_cents(float(eq.funding_total))} € vähentää "
            "kustannuksia ennen hintojen vahvistamista ja potin jakoa."
        )
    if over:
        lines.append(
            f"Vähintään {limit}: {', '.join(over)}. Näiden hinnat päivitetään ja erotus "
            f"laskutetaan tasauslaskuilla helmikuussa {eq.year + 1}."
        )
    if under:
        lines.append(
            f"Alle {limit}: {', '.join(under)}. Näiden erotus tasataan vuoden {eq.year + 1} "
            "ensimmäisessä laskussa."
        )
    if eq.by_service:
        lines.append(
            "Suoritteiden hinnat vahvistetaan palveluittain: hinta × palvelun hintakerroin."
        )
    else:
        factor = (
            float(round_half_up(eq.price_factor, Fraction(1, 10000)))
            if sum(eq.billed.values())
            else 1
        )
        lines.append(
            "Kustannuksia ei ole annettu palveluittain: kaikkien suoritteiden hinnat vahvistetaan "
            f"yhdellä kertoimella, hinnat × {str(factor).replace('.', ',')}."
        )
    lines += [
        f"Kustannuspotti (henkilöstö ja Mainio) jaetaan: {eq.key.label}; "
        f"laskutettu {euros_cents(float(eq.pool_budget))} €, toteutunut "
        f"{euros_cents(float(eq.pool_actual))} €.",
        f"Suoritteet: laskutettu {euros_cents(float(sum(eq.billed.values())))} €, toteutuneet "
        f"kustannukset {euros_cents(float(eq.services_actual))} €.",
        f"Tasattava erotus {euros_cents(float(eq.difference))} € (positiivinen = kunnat "
        "maksavat lisää, negatiivinen = hyvitys), josta helmikuun tasauslaskuilla "
        f"{euros_cents(float(sum(eq.february(c) for c in eq.names)))} € ja vuoden "
        f"{eq.year + 1} ensimmäisessä laskussa "
        f"{euros_cents(float(sum(eq.carried(c) for c in eq.names)))} €. Matkakulut "
        "laskutetaan sellaisinaan, ne eivät kuulu tasaukseen.",
    ]
    return "\n".join(lines)


# --- the report's first page


@dataclass(frozen=True)
class InvoiceSummary:
    """What the year's invoices came to and how the equalisation settles them, for the
    municipalities ``codes`` (all, or one): the answer of the report's first page.

    Each municipality's amount is its invoice line, in cents (:func:`_cents`, as in the tables); a
    total is the sum of those lines, so the figures add up to the tables' Summa rows."""

    year: int
    codes: tuple[str, ...]
    services: Fraction  # unit-price billing during the year
    pool: Fraction  # the pool's instalments (the budget split by the key)
    travel: Fraction  # per diems and kilometres, passed through
    final: Fraction  # services and pool at the confirmed prices and actual costs, travel included
    equalisation: Fraction  # final - invoiced; positive: the municipalities pay more
    february: Fraction  # settled by the February invoices
    carried: Fraction  # settled in next year's first invoice
    february_by_municipality: dict[str, Fraction]  # the municipalities with a February invoice
    first_invoice: Fraction | None  # next year's first invoice in all, when its data exist
    first_invoice_label: str  # its period: "1.1.2022–31.3.2022"

    @property
    def invoiced(self) -> Fraction:
        return self.services + self.pool + self.travel


def invoice_summary(
    eq: Equalisation,
    codes: Sequence[str] | None = None,
    first_invoice: PeriodInvoices | None = None,
) -> InvoiceSummary:
    """The invoices and the equalisation of ``codes`` (default: every municipality)."""
    codes = tuple(codes or eq.names)

    def total(amount) -> Fraction:
        return sum((_cent(amount(code)) for code in codes), Fraction(0))

    february = {code: _cent(eq.february(code)) for code in codes if _cent(eq.february(code))}
    return InvoiceSummary(
        year=eq.year,
        codes=codes,
        services=total(lambda c: eq.billed[c]),
        pool=total(lambda c: eq.pool_invoiced[c]),
        travel=total(eq.billing.travel),
        final=total(lambda c: eq.services_final[c] + eq.pool_final[c] + eq.billing.travel(c)),
        equalisation=total(eq.invoice),
        february=total(eq.february),
        carried=total(eq.carried),
        february_by_municipality=february,
        first_invoice=total(first_invoice.total) if first_invoice is not None else None,
        first_invoice_label=(
            f"{date(first_invoice.start)}–{date(first_invoice.end)}"
            if first_invoice is not None
            else ""
        ),
    )
