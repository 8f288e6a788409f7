"""``kustannukset arvio VUOSI`` and ``kustannukset tasaus VUOSI``: the international expertise
services' August estimate and February equalisation, per municipality (with the decision of the
10 % rule per service)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from kustannukset import international as kv
from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options, year_arg
from kustannukset.view import csv_output, terminal
from kustannukset.view.formatting import date
from kustannukset.view.labels import CENTS, Column

INPUT_OPTIONS = (
    (
        kv.EVENTS_OPTION,
        "omat palvelutapahtumat (CSV); annetaan yhdessä --kustannukset-valinnan kanssa",
    ),
    (
        kv.COSTS_OPTION,
        "oma kustannuspotti (CSV); annetaan yhdessä --tapahtumat-valinnan kanssa",
    ),
    (
        kv.FUNDING_OPTION,
        "oma valtion hankerahoitus (CSV); vain omien tiedostojen kanssa, muuten ei hankerahoitusta",
    ),
)


def inputs_args(p: argparse.ArgumentParser, what: str) -> None:
    """The data folder, the input files' options and the output options (shared with
    ``laskut``). Without input files the example set of the data folder is used, whole."""
    data_dir_arg(p)
    for option, text in INPUT_OPTIONS:
        p.add_argument(option, type=Path, metavar="TIEDOSTO", help=text)
    output_options(p, what)


def load(args: argparse.Namespace) -> kv.Inputs:
    return kv.load_inputs(args.data, args.tapahtumat, args.kustannukset, args.hankerahoitus)


def _common(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("vuosi", type=year_arg, metavar="VUOSI", help="vuosi, esim. 2021")
    inputs_args(p, what)


EXAMPLE_SET = (
    "Ilman tiedostovalintoja käytetään datakansion esimerkkiaineistoa (data/esimerkki/) "
    "kokonaisena; omat tiedostot annetaan valinnoilla --tapahtumat ja --kustannukset yhdessä "
    "(hankerahoitus vain, jos --hankerahoitus annetaan)."
)


def register(sub) -> None:
    p = sub.add_parser(
        "arvio",
        help="kansainväliset palvelut: kuntien kustannusarvio vuodelle VUOSI (elokuu)",
        description="Kansainvälisen osaamisen palvelujen kuntakohtainen kustannusarvio vuodelle "
        "VUOSI, laadittu elokuussa VUOSI-1 vuoden VUOSI-2 toteumasta: asiakasmäärät hinnoitellaan "
        "1.1.VUOSI voimassa olevin hinnoin ja kustannuspotti jaetaan vieraskielisten "
        "(31.12.VUOSI-2) suhteessa. Summat sentin tarkkuudella; potin osuudet täsmäävät summaan. "
        + EXAMPLE_SET,
    )
    _common(p, "kuntien arviot")
    p.set_defaults(run=run_estimate)

    p = sub.add_parser(
        "tasaus",
        help="kansainväliset palvelut: vuoden VUOSI tasauslaskut (helmikuu VUOSI+1)",
        description="Vertaa vuoden VUOSI toteutuneita kustannuksia (valtion hankerahoituksen "
        "jälkeen) talousarvioon palveluittain. Muutos = |toteuma - talousarvio| / talousarvio; "
        "palvelulla, jonka muutos on vähintään 10 %, hinta päivitetään ja tehdään tasauslasku "
        "helmikuussa, muiden palvelujen erotus siirretään seuraavan vuoden ensimmäiseen laskuun "
        "(kustannukset laskut VUOSI+1 --jakso 1). Tasaukset täsmäävät sentilleen tasattavaan "
        "erotukseen. CSV:ssä palvelukohtaiset sarakkeet <palvelu>_paatos ja <palvelu>_tasaus. "
        + EXAMPLE_SET,
    )
    _common(p, "kuntien tasaukset")
    p.set_defaults(run=run_equalisation)


def notices(args: argparse.Namespace, texts: tuple[str, ...]) -> None:
    """The notices (example, input files, assumptions): with CSV to standard error, so that the
    rows stay rows; otherwise ahead of the table, wrapped to the width."""
    for text in texts:
        if csv_dialect(args) is not None:
            print(text, file=sys.stderr)
        else:
            print(wrapped(args, text))


def run_estimate(args: argparse.Namespace) -> int:
    inputs = load(args)
    est = kv.estimate(
        args.vuosi, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding
    )
    table = kv.estimate_table(est)
    notices(args, est.notices)
    dialect = csv_dialect(args)
    if dialect is not None:
        csv_output.write(table, status=inputs.status, dialect=dialect)
        return 0
    title = (
        f"Kansainvälisen osaamisen palvelut: kustannusarvio vuodelle {est.year} "
        f"(elokuu {est.year - 1}, vuoden {est.base_year} toteuman perusteella)"
    )
    print(wrapped(args, title))
    text = (
        f"Suoritteet: vuoden {est.base_year} asiakasmäärät × {date(est.price_date)} voimassa "
        f"olevat hinnat. Kustannuspotti {kv.euros_cents(float(est.pool_total))} € "
        f"(toteuma {est.base_year}) jaettuna: {est.key.label}."
    )
    print(wrapped(args, text))
    print(municipality_table(args, table))
    return 0


def equalisation_csv(eq: kv.Equalisation, table: pd.DataFrame) -> pd.DataFrame:
    """The CSV's rows: each municipality's equalisation, and beside it the decision of the 10 %
    rule per service (``<palvelu>_paatos``: tasauslasku or siirto) and its part of each service's
    equalisation (``<palvelu>_tasaus``)."""
    table = table.copy()
    for u in eq.units:
        table[f"{u.unit.code}_paatos"] = kv.decision(u.exceeds)
        table[f"{u.unit.code}_tasaus"] = [u.difference(c) for c in table["kuntanumero"]]
    return table


def run_equalisation(args: argparse.Namespace) -> int:
    inputs = load(args)
    eq = kv.equalise(
        args.vuosi, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding
    )
    table = kv.equalisation_table(eq)
    notices(args, eq.notices)
    dialect = csv_dialect(args)
    if dialect is not None:
        csv_output.write(equalisation_csv(eq, table), status=inputs.status, dialect=dialect)
        return 0
    title = f"Kansainvälisen osaamisen palvelut: vuoden {eq.year} tasaus (helmikuu {eq.year + 1})"
    print(wrapped(args, title))
    print(wrapped(args, kv.summary_text(eq)))
    print()
    print(
        wrapped(
            args,
            "Palveluittain. Päätös: kun muutos on vähintään raja, hinnat päivitetään ja erotus "
            "laskutetaan tasauslaskulla helmikuussa; alle rajan erotus siirtyy seuraavan vuoden "
            "ensimmäiseen laskuun.",
        )
    )
    units = kv.with_total_row(kv.units_table(eq), "nimi").drop(columns=["palvelu"])
    print(terminal.named_table(units, terminal.width(args.leveys), keep=("nimi",)))
    print()
    print(municipality_table(args, table))
    return 0


def wrapped(args: argparse.Namespace, text: str) -> str:
    columns = terminal.width(args.leveys)
    return "\n".join(terminal.note(line, columns) for line in text.splitlines())


def municipality_table(
    args: argparse.Namespace, table: pd.DataFrame, extra: dict[str, Column] | None = None
) -> str:
    """The table with its summary row for the terminal: Finnish headers, cents, the width, the
    municipality's number and name in every block."""
    return terminal.named_table(kv.with_total_row(table), terminal.width(args.leveys), extra=extra)


def service_columns(rules: kv.Rules) -> dict[str, Column]:
    """One column per unit-priced service (``laskut``), named by its code, in cents."""
    return {code: Column(code, f"{s.name} €", CENTS) for code, s in rules.services.items()}
