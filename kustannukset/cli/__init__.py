"""The command line ``kustannukset`` (also ``python -m kustannukset``), in Finnish.

A mistake in the user's input prints one line that says what is wrong and where, and exits with 2;
nothing is written. Subcommands live next to their formulas; this module only wires them up.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
import warnings
from collections.abc import Callable

from kustannukset.cli import aluejaot as cli_aluejaot
from kustannukset.cli import data as cli_data
from kustannukset.cli import jako as cli_jako
from kustannukset.cli import kv as cli_kv
from kustannukset.cli import laskut as cli_laskut
from kustannukset.cli import raportti as cli_raportti
from kustannukset.cli import skenaariot as cli_skenaariot
from kustannukset.cli.common import Parser, translate_argparse
from kustannukset.core.errors import InputError

Command = Callable[[argparse.ArgumentParser], None]


def build_parser() -> argparse.ArgumentParser:
    translate_argparse()

    parser = Parser(
        prog="kustannukset",
        description="Pirkanmaan työllisyyspalvelujen yhteisten kustannusten jako kuntien kesken.",
    )
    sub = parser.add_subparsers(dest="komento", metavar="KOMENTO", parser_class=Parser)
    sub.required = True
    for module in (
        cli_jako,
        cli_raportti,
        cli_kv,
        cli_laskut,
        cli_data,
        cli_skenaariot,
        cli_aluejaot,
    ):
        module.register(sub)
    return parser


def survive_terminal() -> None:
    """Characters the terminal's encoding lacks (ä, €, – on an ASCII terminal) are printed as
    replacement characters instead of ending the run."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # a closed or unusual stream keeps its settings
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _finnish_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """A warning is one Finnish line, not Python's "file:line: Category: text" format."""
    print(f"Varoitus: {message}", file=file or sys.stderr)


def main(argv: list[str] | None = None) -> int:
    # A command makes many small objects that are freed as soon as they are dropped (the
    # statistics' 36 610 rows, their figures): Python's cycle collector, by default a pass per 700
    # new objects, took about a tenth of `kustannukset jako 2023`'s processor time. It still runs,
    # after 50 000 new objects.
    gc.set_threshold(50_000, 20, 20)
    survive_terminal()
    warnings.showwarning = _finnish_warning
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
