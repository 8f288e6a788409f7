"""``kustannukset laskut VUOSI [--jakso N] [--csv]``: the international expertise services'
invoices of one invoicing period, after the fact. The year's first period also carries the
previous year's equalisation of the services under the 10 % threshold."""

from __future__ import annotations

import argparse
import sys

from kustannukset import international as kv
from kustannukset.cli.common import year_arg
from kustannukset.cli.kv import inputs_args, load, status, write_csv
from kustannukset.view import terminal


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
        "palvelujen tasaus. Summat sentin tarkkuudella.",
    )
    p.add_argument("vuosi", type=year_arg, metavar="VUOSI", help="laskutusvuosi, esim. 2022")
    p.add_argument(
        "--jakso", type=_period, default=1, metavar="N", help="laskutusjakso (oletus: 1)"
    )
    inputs_args(p)
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
    columns = terminal.width(args.leveys)
    for notice in inv.notices:
        if args.csv:
            print(notice, file=sys.stderr)
        else:
            print(terminal.note(notice, columns))
    if args.csv:
        write_csv(table, status(inputs))
        return 0
    print(f"Kansainvälisen osaamisen palvelut: laskut {inv.year}, {kv.period_label(inv)}")
    note = (
        "Palvelut jaksolla päivätyistä tapahtumista (palvelukoodit sarakkeina), matkakulut "
        f"sellaisinaan, kustannuspotin talousarviosta jakson osuus ({inv.period}/{inv.periods} "
        "kertymänä) jaettuna laskutuksen avaimella."
    )
    print(terminal.note(note, columns))
    if inv.carried is not None:
        carried = (
            f"Sarake tasaus_{inv.carried_from}: vuoden {inv.carried_from} tasaus niiden "
            "palvelujen osalta, joiden muutos jäi alle tasausrajan (kustannukset tasaus "
            f"{inv.carried_from})."
        )
        print(terminal.note(carried, columns))
    frame = kv.with_total_row(table)
    formats = {c: kv.euros_cents for c in frame.columns if frame[c].dtype.kind == "f"}
    print(terminal.table(frame, columns, formats, keep=2))
    return 0
