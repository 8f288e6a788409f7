"""``kustannukset skenaariot [NIMI ...]``: evaluate scenarios and print areas and payments."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from kustannukset.cli.common import data_dir_arg
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import evaluate
from kustannukset.scenarios.model import read_scenario_yaml
from kustannukset.scenarios.tables import terminal_table
from kustannukset.view import terminal
from kustannukset.view.formatting import spreadsheet_safe


def register(sub) -> None:
    p = sub.add_parser(
        "skenaariot",
        help="vertaa työllisyysalueiden skenaarioita (alueet, 20 000 -sääntö, maksuosuudet)",
        description="Laskee skenaarioiden (data/skenaariot/*.yaml tai annettu tiedosto) alueet, "
        "tarkistaa 20 000 -säännön ja yhtenäisyyden sekä kuntien maksuosuudet ja niiden muutoksen "
        "kokeilukauteen verrattuna. Ilman nimeä lasketaan kaikki skenaariot.",
    )
    p.add_argument("nimet", nargs="*", metavar="NIMI", help="skenaarion nimi tai YAML-tiedosto")
    data_dir_arg(p)
    p.add_argument("--csv", action="store_true", help="kuntarivit pilkuin eroteltuna CSV:nä")
    p.add_argument("--lista", action="store_true", help="luettele skenaariot ja lopeta")
    terminal.add_width_option(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:

    context = load_context(args.data)
    if args.lista:
        for path in _in_order(context.scenario_paths()):
            print(f"{path.stem}: {read_scenario_yaml(path).get('nimi', '')}")
        return 0
    names = args.nimet or [p.stem for p in _in_order(context.scenario_paths())]
    # Read and check every scenario before printing anything.
    scenarios = [context.scenario(name) for name in names]
    results = [evaluate(context, scenario) for scenario in scenarios]
    if args.csv:
        frames = []
        for result in results:
            frame = result.municipalities.copy()
            frame.insert(0, "Skenaario", result.scenario.code)
            frames.append(frame)
        csv = spreadsheet_safe(pd.concat(frames, ignore_index=True))
        csv.to_csv(sys.stdout, index=False, lineterminator="\n")
        return 0
    columns = terminal.width(args.leveys)
    for result in results:
        print(terminal.note(f"== {result.scenario.name} ({result.scenario.code}) ==", columns))
        print(terminal_table(result.areas, columns))
        print()
        print(terminal_table(result.municipalities.drop(columns=["Kuntanumero"]), columns))
        for note in result.notes:
            print(terminal.note(f"Huom: {note}", columns, hanging=6))
        print()
    return 0


def _in_order(paths):
    """Scenario files in the order of their names: A, B, C, then the others."""
    return sorted(paths, key=lambda p: (str(read_scenario_yaml(p).get("nimi", "")), p.stem))
