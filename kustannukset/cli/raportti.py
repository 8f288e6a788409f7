"""``kustannukset raportti [VUOSI ...]``: render the yearly reports into reports/."""

from __future__ import annotations

import argparse
from pathlib import Path

from kustannukset.cli.common import data_dir_arg, year_arg
from kustannukset.core.paths import REPORTS_DIR
from kustannukset.render.driver import Options, render_all


def register(sub) -> None:
    p = sub.add_parser(
        "raportti",
        help="tee vuosiraportit (muistio, HTML, Excel) kansioon reports/",
        description="Ajaa raporttimuistiot papermillillä ja tallentaa kunkin vuoden raportin "
        "omaan kansioonsa (reports/<vuosi>/maksuosuudet_<vuosi>/), joka vaihdetaan kerralla "
        "kokonaan. Ilman vuotta tehdään kaikki vuodet, joilta on tiedot, vuoden 2025 "
        "vertailut ja Pirkanmaan kuntien kuntakortit.",
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
        nargs="*",
        metavar="KUNTA",
        help="tee kansainvälisten palvelujen raportti myös kunnittain: jokaiselle kunnalle, tai "
        "vain luetelluille (nimi tai kuntanumero)",
    )
    p.add_argument(
        "--kuntakortit",
        nargs="*",
        metavar="KUNTA",
        help="tee kuntakortit (vuoden 2025 uudistus kunnan kannalta, yksi A4-sivu) kansioon "
        "reports/kuntakortit/<kuntanumero>_<kunta>/: Pirkanmaan jokaiselle kunnalle, tai vain "
        "luetelluille (nimi tai kuntanumero); ilman vuotta vain kortit",
    )
    p.add_argument(
        "--tapahtumat",
        type=Path,
        metavar="TIEDOSTO",
        help="kansainväliset palvelut: omat palvelutapahtumat (CSV; yhdessä --kustannukset-valinnan "
        "kanssa; oletus: datakansion esimerkkiaineisto)",
    )
    p.add_argument(
        "--kustannukset",
        type=Path,
        metavar="TIEDOSTO",
        help="kansainväliset palvelut: oma kustannuspotti (CSV; yhdessä --tapahtumat-valinnan kanssa)",
    )
    p.add_argument(
        "--hankerahoitus",
        type=Path,
        metavar="TIEDOSTO",
        help="kansainväliset palvelut: oma valtion hankerahoitus (CSV; vain omien tiedostojen kanssa)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    failures = render_all(
        args.vuodet or None,
        data_dir=args.data,
        out_dir=args.kohde,
        options=Options(
            per_municipality=args.kunnittain is not None,
            municipalities=tuple(args.kunnittain or ()),
            international_files=tuple(
                str(p) if p else ""
                for p in (args.tapahtumat, args.kustannukset, args.hankerahoitus)
            ),
            cards=None if args.kuntakortit is None else tuple(args.kuntakortit),
            only_cards=args.kuntakortit is not None and not args.vuodet,
        ),
    )
    return 1 if failures else 0
