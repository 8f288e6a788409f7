"""``kustannukset laskut VUOSI [--jakso N] [--csv]``: the international expertise services'
invoices of one invoicing period, after the fact. The year's first period also carries the
previous year's equalisation of the services under the 10 % threshold."""

from __future__ import annotations

import argparse

from kustannukset import international as kv
from kustannukset.cli.common import csv_dialect, year_arg
from kustannukset.cli.kv import (
    EXAMPLE_SET,
    inputs_args,
    load,
    municipality_table,
    notices,
    service_columns,
    wrapped,
)
from kustannukset.view import csv_output
from kustannukset.view.labels import CENTS, Column


def _period(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' ei ole jakson numero (1, 2, …)")
    return int(text)


def register(sub) -> None:
    p = sub.add_parser(
        "laskut",
        help="kansainväliset palvelut: laskutusjakson laskut kunnittain",
        description="Kansainvälisen osaamisen palvelujen laskut laskutusjaksolta N vuonna VUOSI "
        "(jakso = kuukausi tai neljännes parametritiedoston laskutusjakso-arvon mukaan). Laskuun "
        "tulevat jaksolla päivätyt palvelutapahtumat, matkakulut, kustannuspotin jakson osuus "
        "kustannuslajeittain ja vuoden ensimmäisessä laskussa edellisen vuoden alle 10 %:n "
        "palvelujen tasaus. Summat sentin tarkkuudella. " + EXAMPLE_SET,
    )
    p.add_argument("vuosi", type=year_arg, metavar="VUOSI", help="laskutusvuosi, esim. 2022")
    p.add_argument(
        "--jakso", type=_period, default=1, metavar="N", help="laskutusjakso (oletus: 1)"
    )
    inputs_args(p, "kuntien laskut")
    p.set_defaults(run=run_invoices)


def run_invoices(args: argparse.Namespace) -> int:
    inputs = load(args)
    inv = kv.period_invoices(
        args.vuosi,
        args.jakso,
        inputs.events,
        inputs.costs,
        inputs.stats,
        inputs.rules,
        inputs.funding,
    )
    table = kv.invoices_table(inv, inputs.rules)
    notices(args, inv.notices)
    services = service_columns(inputs.rules)
    dialect = csv_dialect(args)
    if dialect is not None:
        csv_output.write(table, status=inputs.status, extra=services, dialect=dialect)
        return 0
    print(
        wrapped(
            args, f"Kansainvälisen osaamisen palvelut: laskut {inv.year}, {kv.period_label(inv)}"
        )
    )
    note = (
        "Palvelut jaksolla päivätyistä tapahtumista, matkakulut sellaisinaan, kustannuspotin "
        f"talousarviosta jakson osuus ({inv.period}/{inv.periods} kertymänä) jaettuna "
        "laskutuksen avaimella."
    )
    print(wrapped(args, note))
    if inv.carried is not None:
        carried = (
            f"Tasaus {inv.carried_from}: vuoden {inv.carried_from} tasaus niiden palvelujen "
            "osalta, joiden muutos jäi alle tasausrajan (kustannukset tasaus "
            f"{inv.carried_from})."
        )
        print(wrapped(args, carried))
    pools = {
        f"potti_{k}": Column(f"potti_{k}", f"Potti: {v.name} €", CENTS)
        for k, v in inputs.rules.cost_kinds.items()
    }
    print(municipality_table(args, table, {**services, **pools}))
    return 0
