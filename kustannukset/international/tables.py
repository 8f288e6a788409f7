"""International expertise services: the estimate and the equalisation as tables and text."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from kustannukset.core.money import CENT, exact, round_half_up
from kustannukset.international.billing import Equalisation, Estimate
from kustannukset.view.formatting import euros, percent

# --- tables


def _cents(value: Fraction) -> float:
    return float(round_half_up(value, CENT))


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
            }
        )
    return pd.DataFrame(rows)


def with_total_row(frame: pd.DataFrame, label_column: str = "kunta") -> pd.DataFrame:
    """The table with a 'Summa' row: every numeric column summed exactly in cents."""
    total: dict[str, object] = {c: "" for c in frame.columns}
    total[label_column] = "Summa"
    for column in frame.columns:
        if column == "osuus_pct":
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
        elif column in ("vieraskieliset",):
            formatters[column] = lambda v: euros(v, 0)
        elif pd.api.types.is_float_dtype(frame[column]):
            formatters[column] = euros_cents
    return frame.to_string(index=False, formatters=formatters, na_rep="")


def summary_text(eq: Equalisation) -> str:
    """The equalisation in words: budget, actual, change, the threshold and what follows."""

    change = eq.change
    decision = (
        f"Muutos on vähintään {percent(eq.threshold, 0)}: hinnat päivitetään ja tehdään "
        f"tasauslaskut helmikuussa {eq.year + 1}."
        if eq.exceeds
        else f"Muutos on alle {percent(eq.threshold, 0)}: erillisiä tasauslaskuja ei tehdä; "
        f"erotus tasataan vuoden {eq.year + 1} ensimmäisessä laskussa."
    )
    factor = (
        float(round_half_up(eq.price_factor, Fraction(1, 10000))) if sum(eq.billed.values()) else 1
    )
    return "\n".join(
        [
            f"Talousarvio {euros_cents(float(eq.budget_total))} €, toteuma "
            f"{euros_cents(float(eq.actual_total))} €, muutos {percent(change, 2)} "
            f"(|toteuma - talousarvio| / talousarvio).",
            decision,
            f"Kustannuspotti (henkilöstö ja Mainio) jaetaan: {eq.key.label}; "
            f"laskutettu {euros_cents(float(eq.pool_budget))} €, toteutunut "
            f"{euros_cents(float(eq.pool_actual))} €.",
            f"Suoritteet: laskutettu {euros_cents(float(sum(eq.billed.values())))} €, toteutuneet "
            f"kustannukset {euros_cents(float(eq.services_actual))} €; vahvistetut hinnat = "
            f"hinnat × {str(factor).replace('.', ',')}.",
            f"Tasattava erotus {euros_cents(float(eq.difference))} € (positiivinen = kunnat "
            "maksavat lisää, negatiivinen = hyvitys). Matkakulut laskutetaan sellaisinaan, "
            "ne eivät kuulu tasaukseen.",
        ]
    )
