"""``kustannukset jako VUOSI``: print a year's division."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

import pandas as pd

from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options, year_arg
from kustannukset.core.money import PUBLISHED, RULE_DESCRIPTIONS, RULES
from kustannukset.shared_costs.division import CARRIER_NOBODY, CARRIERS
from kustannukset.shared_costs.pricing import division_table, load_year, published_layout
from kustannukset.view import csv_output, terminal
from kustannukset.view.formatting import percent
from kustannukset.view.labels import EUROS, Column


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
    output_options(p, "kuntien maksuosuudet")
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
    dialect = csv_dialect(args)
    if dialect is not None:
        if inputs.is_estimate:
            print(f"Huom: vuoden {inputs.year} luvut ovat ARVIO.", file=sys.stderr)
        table = division_table(inputs, args.pyoristys)
        first = ["kuntanumero", "kunta"]
        services = {s.code: Column(s.code, f"{s.heading} €", EUROS) for s in inputs.services}
        csv_output.write(
            table[first + [c for c in table.columns if c not in first]],
            status=inputs.figures_status,
            extra=services,
            dialect=dialect,
        )
        return 0
    columns = terminal.width(args.leveys)
    print(f"Kuntien maksuosuudet {inputs.label}")
    if inputs.is_estimate:
        print(f"Huom: vuoden {inputs.year} luvut ovat ARVIO.")
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
