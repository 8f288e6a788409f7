"""``kustannukset jako VUOSI``: print a year's division."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from kustannukset.cli.common import data_dir_arg, year_arg
from kustannukset.core.money import PUBLISHED, RULE_DESCRIPTIONS, RULES
from kustannukset.shared_costs.division import CARRIER_NOBODY, CARRIERS
from kustannukset.shared_costs.pricing import division_table, load_year, published_layout
from kustannukset.view import terminal
from kustannukset.view.formatting import percent, spreadsheet_safe


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' ei ole päivämäärä muodossa VVVV-KK-PP"
        ) from None


def register(sub) -> None:
    p = sub.add_parser(
        "jako",
        help="tulosta vuoden kustannusjako kunnittain",
        description="Tulostaa vuoden yhteisten kustannusten jaon: yksi rivi kuntaa kohden, "
        "palvelut, yhteensä, alennus ja maksuosuus kokonaisina euroina.",
    )
    p.add_argument("vuosi", type=year_arg, metavar="VUOSI", help="hinnoitteluvuosi, esim. 2023")
    data_dir_arg(p)
    p.add_argument(
        "--pyoristys",
        choices=RULES,
        default=PUBLISHED,
        help="pyöristyssääntö: " + "; ".join(RULE_DESCRIPTIONS[r] for r in RULES),
    )
    p.add_argument("--csv", action="store_true", help="pilkuin eroteltu CSV (desimaalipiste)")
    terminal.add_width_option(p)
    p.add_argument(
        "--alennuksen-kattaja",
        choices=list(CARRIERS),
        default=CARRIER_NOBODY,
        help="kuka kattaa alennukset: " + "; ".join(f"{k} = {v}" for k, v in CARRIERS.items()),
    )
    p.add_argument(
        "--alennukset-paivalta",
        type=_date,
        metavar="PVM",
        help="käytä tänä päivänä voimassa olleita alennuksia (esim. 2021-03-01)",
    )
    p.set_defaults(run=run)


def _discount_pct(value) -> str:
    return "" if pd.isna(value) else f"{value:g} %".replace(".", ",")


def run(args: argparse.Namespace) -> int:
    inputs = load_year(
        args.vuosi,
        args.data,
        carrier=args.alennuksen_kattaja,
        discounts_on=args.alennukset_paivalta,
    )
    table = division_table(inputs, args.pyoristys)
    if inputs.is_estimate:
        print(f"Huom: vuoden {inputs.year} luvut ovat ARVIO.", file=sys.stderr)
    if args.csv:
        spreadsheet_safe(table).to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    columns = terminal.width(args.leveys)
    print(f"Kuntien maksuosuudet {inputs.label}")
    header = (
        f"Jakoperuste: {inputs.key_name}{inputs.key_year}; pyöristys: "
        f"{RULE_DESCRIPTIONS[args.pyoristys]}"
    )
    print(terminal.note(header, columns))
    layout = published_layout(inputs, args.pyoristys)
    formats = {"%-osuus": lambda v: percent(v, 1), "Alennus %": _discount_pct}
    print(terminal.table(layout, columns, formats))
    if inputs.is_estimate:
        print(terminal.note(inputs.services[0].source, columns))
    return 0
