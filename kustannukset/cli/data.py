"""``kustannukset data paivita`` and ``kustannukset data kattavuus``: refresh and survey figures.

``paivita`` fetches from Statistics Finland's PxWeb API (tables 11re, 11rm, 12r5, 115b), shows what
would change, and writes it atomically into the data folder; ``--kokeile`` only shows.
``kattavuus`` prints, for each measure, which municipality has a figure for which year, and of what
status.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

import pandas as pd

from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options, year_arg
from kustannukset.core.errors import InputError
from kustannukset.core.paths import display_path
from kustannukset.core.replace import clean_dead, locked, writable_folder
from kustannukset.stats import coverage as k
from kustannukset.stats import fetch
from kustannukset.stats import refresh as paivitys
from kustannukset.stats.coverage import select_municipalities
from kustannukset.stats.fetch import TABLES
from kustannukset.stats.loader import MEASURES, load_statistics
from kustannukset.stats.pxweb import DEFAULT_BASE_URL, DEFAULT_TIME_LIMIT, Client, PxWebError
from kustannukset.view import csv_output, terminal
from kustannukset.view.labels import STATUSES, weakest

BASE_URL_ENV = "KUSTANNUKSET_PXWEB_OSOITE"


def years_arg(text: str) -> list[int]:
    """'2023' or '2019-2023'."""
    parts = text.split("-")
    if len(parts) > 2:
        raise argparse.ArgumentTypeError(f"'{text}' ei ole vuosi tai väli (esim. 2019-2023)")
    years = [year_arg(part) for part in parts]
    if years[0] > years[-1]:
        raise argparse.ArgumentTypeError(f"välin '{text}' alku on sen lopun jälkeen")
    return list(range(years[0], years[-1] + 1))


def _years(values: list[list[int]] | None) -> list[int] | None:
    if not values:
        return None
    return sorted({y for group in values for y in group})


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ei ole sekuntimäärä") from None
    if not 1 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"aikarajan pitää olla 1–3600 sekuntia, ei {text}")
    return value


def register(sub) -> None:

    p = sub.add_parser(
        "data",
        help="tilastojen päivitys Tilastokeskuksesta ja kattavuus",
        description="Tilastot: hae uudet luvut Tilastokeskuksen rajapinnasta (paivita) tai katso, "
        "mitkä luvut ovat datassa (kattavuus).",
    )
    data_sub = p.add_subparsers(dest="data_komento", metavar="KOMENTO", parser_class=type(p))
    data_sub.required = True

    kunnat_help = (
        "kunnat: kuntanumero (020), nimi (Akaa), maakunta (Pirkanmaa), 'kokeilu' "
        "(22 kokeilukuntaa) "
        "tai 'kaikki'; oletus: Pirkanmaan 23 kuntaa"
    )
    up = data_sub.add_parser(
        "paivita",
        help="hae luvut Tilastokeskuksen PxWeb-rajapinnasta kansioon data/",
        description="Hakee taulukot 11re (väestö iän mukaan), 11rm (kieli), 12r5 "
        "(työnvälitystilasto) ja 115b (työssäkäynti) Tilastokeskuksen PxWeb-rajapinnasta, näyttää "
        "mitä muuttuu ja kirjoittaa muutokset datakansioon kokonaan tai ei lainkaan. Lopullista "
        "lukua ei korvata ennakkotiedolla, ellei sitä erikseen sallita.",
    )
    up.add_argument(
        "--taulukot",
        nargs="+",
        choices=list(TABLES),
        default=list(TABLES),
        metavar="TAULUKKO",
        help=f"haettavat taulukot ({', '.join(TABLES)}); oletus: kaikki",
    )
    up.add_argument(
        "--vuodet",
        nargs="+",
        type=years_arg,
        metavar="VUOSI",
        help=f"vuodet, esim. 2023 tai 2019-2023; oletus: kaikki vuodet {2019}–uusin",
    )
    up.add_argument("--kunnat", nargs="+", default=["Pirkanmaa"], metavar="KUNTA", help=kunnat_help)
    up.add_argument(
        "--kokeile", action="store_true", help="näytä muutokset mutta älä kirjoita mitään"
    )
    up.add_argument(
        "--salli-ennakko",
        action="store_true",
        help="korvaa lopullinen luku ennakkotiedolla, jos rajapinta antaa vain sen",
    )
    up.add_argument(
        "--osoite",
        default=os.environ.get(BASE_URL_ENV),
        metavar="URL",
        help="PxWeb-tietokannan osoite (oletus: Tilastokeskuksen StatFin; ympäristömuuttuja "
        f"{BASE_URL_ENV})",
    )
    up.add_argument(
        "--aikaraja",
        type=_seconds,
        default=DEFAULT_TIME_LIMIT,
        metavar="SEKUNTIA",
        help=f"koko haun enimmäisaika sekunteina, odotukset mukaan lukien (oletus "
        f"{DEFAULT_TIME_LIMIT:g})",
    )
    data_dir_arg(up)
    up.set_defaults(run=run_update)

    cov = data_sub.add_parser(
        "kattavuus",
        help="näytä, mitkä luvut datassa on (mittari × kunta × vuosi, tila)",
        description="Tulostaa jokaisesta mittarista kunnat × vuodet ja kunkin luvun tilan "
        "(lopullinen, ennakkotieto, johdettu, arvio, esimerkki, puuttuu; kuukausittaisesta "
        "mittarista osittain, jos osa vuoden kuukausista puuttuu) sekä komennon, jolla puuttuvat "
        "luvut haetaan.",
    )
    cov.add_argument(
        "--mittarit",
        nargs="+",
        choices=list(MEASURES),
        metavar="MITTARI",
        help=f"mittarit ({', '.join(MEASURES)}); oletus: kaikki",
    )
    which = cov.add_mutually_exclusive_group()
    which.add_argument(
        "--kunnat", nargs="+", default=["Pirkanmaa"], metavar="KUNTA", help=kunnat_help
    )
    which.add_argument("--koko-maa", action="store_true", help="koko maan kunnat (309)")
    which.add_argument("--maakunta", metavar="NIMI", help="yhden maakunnan kunnat")
    cov.add_argument("--vuodet", nargs="+", type=years_arg, metavar="VUOSI", help="vuodet")
    cov.add_argument("--yhteenveto", action="store_true", help="vain yhteenveto (mittari × vuosi)")
    output_options(
        cov,
        "luvut pitkänä taulukkona (mittari, kunta, vuosi, tila; --yhteenveto: mittari × vuosi)",
    )
    data_dir_arg(cov)
    cov.set_defaults(run=run_coverage)


def _load(data_dir):

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        stats = load_statistics(data_dir)
    for w in stats.warnings:
        print(f"Varoitus: {w}", file=sys.stderr)
    return stats


def summary_rows(cov) -> pd.DataFrame:
    """``--yhteenveto --csv``: one row per measure and year: how many municipalities, how many of
    their figures of each status, and the year's status (the least final of them)."""
    rows = []
    for (measure, year), part in cov.groupby(["mittari", "vuosi"], sort=False):
        counts = part["tila"].value_counts()
        row = {"mittari": measure, "vuosi": int(year), "kuntia": part["kuntanumero"].nunique()}
        for status in (*(s for s in STATUSES if s in k.LETTERS), k.PARTIAL, k.MERGED, k.MISSING):
            row[status] = int(counts.get(status, 0))
        row["tila"] = weakest(part["tila"])
        rows.append(row)
    return pd.DataFrame(rows)


def run_coverage(args: argparse.Namespace) -> int:
    stats = _load(args.data)
    register = stats.municipalities
    if args.koko_maa:
        codes = register.all
    elif args.maakunta:
        codes = register.in_region(register.region_named(args.maakunta))
    else:
        codes = k.select_municipalities(register, args.kunnat)
    cov = k.coverage(stats, args.mittarit, codes, _years(args.vuodet))
    dialect = csv_dialect(args)
    if dialect is not None:
        csv_output.write(summary_rows(cov) if args.yhteenveto else cov, dialect=dialect)
        return 0
    columns = terminal.width(args.leveys)

    def say(text: str = "") -> None:
        print(terminal.note(text, columns, hanging=2) if text else "")

    say(f"Tilastojen kattavuus: {len(codes)} kuntaa, datakansio {display_path(args.data)}")
    say(k.LEGEND)
    print()
    summary = k.summary(cov)
    summary.index = [MEASURES[m].name for m in summary.index]
    first = f"Mittari ({len(codes)} kuntaa)"
    frame = summary.rename_axis(first).reset_index()
    print(terminal.table(frame, columns, keep=[first], kept_width=28))
    if not args.yhteenveto:
        for measure in dict.fromkeys(cov["mittari"]):
            part = cov[cov["mittari"] == measure]
            have = (part["tila"] != k.MISSING).sum()
            print()
            if MEASURES[measure].monthly:
                say(
                    f"{MEASURES[measure].name} – kuukausittainen: "
                    f"{int(part['kuukausia'].sum())}/{12 * len(part)} kuukausilukua; vuoden "
                    "kirjain koskee kaikkia 12 kuukautta, o = osa kuukausista puuttuu"
                )
            else:
                say(f"{MEASURES[measure].name} – {have}/{len(part)} lukua")
            rows = stats.table[
                (stats.table["mittari"] == measure) & stats.table["kuntanumero"].isin(codes)
            ]
            if len(rows):
                say(k.citation(rows))
            matrix = k.matrix(cov, measure).rename_axis("Kunta").reset_index()
            print(terminal.table(matrix, columns, keep=["Kunta"]))
    notes = k.division_notes(cov, register)
    if notes:
        print()
        say("Kuntajako:")
        for line in notes:
            say(f"  {line}")
    command = k.fill_command(cov, stats.municipalities)
    print()
    if command:
        say("Puuttuvat luvut (ne, jotka Tilastokeskuksen rajapinnassa on) hakee komento:")
        print(terminal.command(command, columns))
    else:
        say("Kaikki rajapinnasta haettavat luvut ovat datassa.")
    return 0


def run_update(args: argparse.Namespace) -> int:
    writable_folder(args.data, "datakansio")
    with locked(args.data, "Tilastojen päivitys"):
        clean_dead(args.data)
        return _update(args)


def _update(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    stats = _load(args.data)
    codes = select_municipalities(stats.municipalities, args.kunnat)
    if not codes:
        raise InputError("yhtään kuntaa ei valittu (--kunnat)")
    years = _years(args.vuodet)
    client = Client(
        args.osoite or DEFAULT_BASE_URL,
        time_limit=args.aikaraja,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    print(
        f"Haetaan {client.base_url}: taulukot {', '.join(args.taulukot)}; {len(codes)} kuntaa; "
        f"vuodet {', '.join(map(str, years)) if years else 'kaikki 2019 alkaen'}; aikaraja "
        f"{args.aikaraja:g} s",
        file=sys.stderr,
    )
    try:
        requests, fetches, metas = fetch.plan(client, codes, years, args.taulukot)
        for request in tqdm(
            requests, desc="Haetaan", unit="kysely", file=sys.stderr, disable=len(requests) < 2
        ):
            table = request.spec.id
            fetch.run_request(client, request, metas[table], fetches[table])
        figures = [f for fetch in fetches.values() for f in fetch.figures]
        paivitys.check_figures(figures)
    except PxWebError as exc:
        print(f"Virhe: {exc}\nMitään ei kirjoitettu; data on ennallaan.", file=sys.stderr)
        return 1
    changes = paivitys.compare(stats, figures, args.salli_ennakko)
    files = paivitys.new_files(args.data, stats, changes, fetches)
    checked = paivitys.validate(args.data, files) if files else stats
    for line in paivitys.report(changes, fetches, stats):
        print(line)
    for warning in paivitys.new_warnings(stats, checked):
        print(f"  Varoitus: epätavallinen muutos: {warning}")
    if client.retried:
        print(f"(Tilapäisiä virheitä uusittiin {client.retried} kertaa.)")
    if args.kokeile:
        print("Mitään ei kirjoitettu (--kokeile).")
        return 0
    if files:
        paivitys.write_atomically(args.data, files)
        print("Kirjoitettu: " + ", ".join(display_path(p) for p in files))
    return 0
