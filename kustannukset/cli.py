"""The command line ``kustannukset`` (also ``python -m kustannukset``), in Finnish.

A mistake in the user's input prints one line that says what is wrong and where, and exits with 2;
nothing is written. Subcommands live next to their formulas; this module only wires them up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kustannukset.errors import InputError
from kustannukset.paths import DATA_DIR

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


def _translate_argparse() -> None:
    # argparse looks up its few fixed words through gettext at call time.
    argparse._ = lambda text: _FINNISH.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
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
    if not (len(text) == 4 and text.isdigit()):
        raise argparse.ArgumentTypeError(f"'{text}' ei ole vuosiluku (esim. 2023)")
    return int(text)


Command = Callable[[argparse.ArgumentParser], None]


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    from kustannukset import cli_data, cli_jako, cli_kv, cli_raportti, cli_skenaariot

    parser = _Parser(
        prog="kustannukset",
        description="Pirkanmaan työllisyyspalvelujen yhteisten kustannusten jako kuntien kesken.",
    )
    sub = parser.add_subparsers(dest="komento", metavar="KOMENTO", parser_class=_Parser)
    sub.required = True
    for module in (cli_jako, cli_raportti, cli_kv, cli_data, cli_skenaariot):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except InputError as exc:
        print(f"Virhe: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Keskeytetty.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
