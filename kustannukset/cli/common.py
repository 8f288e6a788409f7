"""What the subcommands share: Finnish argparse, the data-folder option and the year argument."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.years import parse_year

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
