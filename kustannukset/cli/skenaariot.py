"""``kustannukset skenaariot [NIMI ...]``: evaluate scenarios and print areas and payments."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import ScenarioResult, evaluate
from kustannukset.scenarios.model import read_scenario_yaml
from kustannukset.scenarios.tables import terminal_table
from kustannukset.view import csv_output, terminal
from kustannukset.view.labels import named, weakest


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
    output_options(p, "kuntarivit (kaikki skenaariot peräkkäin)")
    p.add_argument("--lista", action="store_true", help="luettele skenaariot ja lopeta")
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
    dialect = csv_dialect(args)
    if dialect is not None:
        for result in results:
            for note in result.notes:
                print(f"{result.scenario.name}: {note}", file=sys.stderr)
        frame = pd.concat([csv_rows(result) for result in results], ignore_index=True)
        csv_output.write(frame, dialect=dialect)
        return 0
    columns = terminal.width(args.leveys)
    for result in results:
        print(terminal.note(f"== {result.scenario.name} ==", columns))
        print(terminal_table(result.areas, columns, keep=["Alue"]))
        print()
        municipalities = result.municipalities.drop(columns=["Kuntanumero"])
        print(terminal_table(municipalities, columns, keep=["Kunta", "Alue"]))
        print()
        for note in result.notes:
            print(terminal.note(f"Huom: {note}", columns, hanging=6))
        print()
    return 0


def csv_rows(result: ScenarioResult) -> pd.DataFrame:
    """A scenario's municipalities with CSV names, the scenario's file name and title first, and
    each row's status: the least final of its payment's and its state funding's (``puuttuu``
    when the area's payments could not be computed)."""
    frame = named(result.municipalities)
    first = ["skenaario", "skenaarion_nimi", "kuntanumero", "kunta", "alue"]
    frame.insert(0, "skenaario", result.scenario.code)
    frame.insert(1, "skenaarion_nimi", result.scenario.name)
    frame = frame[first + [c for c in frame.columns if c not in first]]
    payment = frame["maksuosuus_tila"] if "maksuosuus_tila" in frame else [None] * len(frame)
    funding = frame["valtionosuus_tila"] if "valtionosuus_tila" in frame else [None] * len(frame)
    frame["tila"] = [
        weakest([p or "puuttuu", f or ""]) for p, f in zip(payment, funding, strict=True)
    ]
    return frame


def _in_order(paths):
    """Scenario files in the order of their names: A, B, C, then the others."""
    return sorted(paths, key=lambda p: (str(read_scenario_yaml(p).get("nimi", "")), p.stem))
