"""``kustannukset raportti [VUOSI ...]``: render the yearly reports into reports/."""

from __future__ import annotations

import argparse
from pathlib import Path

from kustannukset.cli import data_dir_arg, year_arg
from kustannukset.paths import REPORTS_DIR


def register(sub) -> None:
    p = sub.add_parser(
        "raportti",
        help="tee vuosiraportit (muistio, HTML, Excel) kansioon reports/",
        description="Ajaa raporttimuistiot papermillillä ja tallentaa kunkin vuoden raportin "
        "kansioon reports/<vuosi>/. Ilman vuotta tehdään kaikki vuodet, joilta on tiedot.",
    )
    p.add_argument(
        "vuodet", nargs="*", type=year_arg, metavar="VUOSI", help="vuodet (oletus: kaikki)"
    )
    data_dir_arg(p)
    p.add_argument(
        "--kohde", type=Path, default=REPORTS_DIR, metavar="KANSIO", help="raporttien kansio"
    )
    p.add_argument(
        "--kunnittain",
        action="store_true",
        help="tee kansainvälisten palvelujen raportti myös jokaiselle kunnalle erikseen",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from kustannukset.report import Options, render_all

    failures = render_all(
        args.vuodet or None,
        data_dir=args.data,
        out_dir=args.kohde,
        options=Options(per_municipality=args.kunnittain),
    )
    return 1 if failures else 0
