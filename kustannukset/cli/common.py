"""What the subcommands share: Finnish argparse, the data-folder option, the year argument, and the
output options (``--csv``, ``--excel-csv``, ``--leveys``) that every command printing a table offers
in the same words."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.years import parse_year
from kustannukset.view import terminal
from kustannukset.view.csv_output import EXCEL_FI, PLAIN, Dialect

_FINNISH = {
    "usage: ": "Käyttö: ",
    "positional arguments": "argumentit",
    "options": "valinnat",
    "show this help message and exit": "näytä tämä ohje ja lopeta",
    "the following arguments are required: %s": "pakollinen argumentti puuttuu: %s",
    "unrecognized arguments: %s": "tuntemattomat argumentit: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "virheellinen valinta %(value)r (vaihtoehdot: %(choices)s)"
    ),
    "expected one argument": "arvo puuttuu",
    "expected at least one argument": "ainakin yksi arvo puuttuu",
    "argument %(argument_name)s: %(message)s": "argumentti %(argument_name)s: %(message)s",
    "invalid %(type)s value: %(value)r": "virheellinen arvo %(value)r",
}


def translate_argparse() -> None:
    # argparse looks up its few fixed words through gettext at call time.
    argparse._ = lambda text: _FINNISH.get(text, text)  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"Virhe komentorivillä: {message}. Ohje: {self.prog} --help\n")


def data_dir_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA_DIR,
        metavar="KANSIO",
        help="datakansio (oletus: projektin data/)",
    )


def year_arg(text: str) -> int:
    try:
        return parse_year(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def output_options(parser: argparse.ArgumentParser, what: str, *, table: bool = True) -> None:
    """``--csv`` and ``--excel-csv`` (``what``: the rows they print), and ``--leveys`` when the
    command prints a table: the same options, in the same words, on every command."""
    parser.add_argument(
        "--csv",
        action="store_true",
        help=f"{what} CSV:nä ohjelmille (pilkku, desimaalipiste, UTF-8; sarakkeet README:ssä)",
    )
    parser.add_argument(
        "--excel-csv",
        action="store_true",
        help=f"{what} CSV:nä suomalaiselle Excelille (puolipiste, desimaalipilkku, UTF-8 BOM, "
        "kuntanumerot tekstinä): ohjaa tiedostoon (> tiedosto.csv) ja avaa kaksoisnapsautuksella",
    )
    if table:
        terminal.add_width_option(parser)


def csv_dialect(args: argparse.Namespace) -> Dialect | None:
    """The CSV dialect the options ask for, or None for the readable text."""
    if getattr(args, "excel_csv", False):
        return EXCEL_FI
    if getattr(args, "csv", False):
        return PLAIN
    return None
