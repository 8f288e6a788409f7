"""``kustannukset skenaariot [NIMI ...]``: the 2025 alternatives compared, or scenarios in detail.

Without names: one comparison of every 2025 alternative of the data folder (a row per
municipality, a column pair per alternative, sums per decided area, the notes once). With names or
``--tarkat``: each scenario's areas, rules and payments in full. ``--peruste`` evaluates the areas
whose file names no pool on another basis (the second view).
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options
from kustannukset.scenarios import csvfile
from kustannukset.scenarios.comparison import TOTAL, compare, in_order, wide, with_headings
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import evaluate
from kustannukset.scenarios.model import AREA_BASES, on_basis, read_scenario_yaml
from kustannukset.scenarios.tables import terminal_table
from kustannukset.view import terminal


def register(sub) -> None:
    p = sub.add_parser(
        "skenaariot",
        help="vertaa vuoden 2025 vaihtoehtoja (maksut ja netot kunnittain) tai näytä skenaariot",
        description="Ilman nimeä: vuoden 2025 vaihtoehtojen vertailu (data/skenaariot/): kunnittain "
        "maksuosuus ja netto (valtionosuusarvio − maksuosuus) jokaisessa vaihtoehdossa samalla "
        "potin perusteella, summat päätetyittäin alueittain ja huomiot kerran. Nimetyt "
        "skenaariot (tai --tarkat): alueet, 20 000 -sääntö, yhtenäisyys ja kuntien maksuosuudet "
        "kokonaan.",
    )
    p.add_argument("nimet", nargs="*", metavar="NIMI", help="skenaarion nimi tai YAML-tiedosto")
    data_dir_arg(p)
    p.add_argument(
        "--tarkat",
        action="store_true",
        help="jokaisen skenaarion tarkat taulukot (ilman nimeä kaikki skenaariot)",
    )
    p.add_argument(
        "--peruste",
        choices=AREA_BASES,
        help="potin peruste alueille, joiden tiedosto ei nimeä pottia (oletus: "
        "data/parametrit/tyollisyysalueet.yaml, potin_peruste)",
    )
    output_options(
        p,
        "vertailu pitkänä taulukkona (rivi vaihtoehtoa ja kuntaa kohden) tai --tarkat-valinnalla "
        "skenaarioiden kuntarivit; huomiot virhetulosteeseen",
    )
    p.add_argument("--lista", action="store_true", help="luettele skenaariot ja lopeta")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    context = load_context(args.data)
    if args.lista:
        for path in in_order(context.scenario_paths()):
            print(f"{path.stem}: {read_scenario_yaml(path).get('nimi', '')}")
        return 0
    if args.nimet or args.tarkat:
        return _detailed(context, args)
    comparison = compare(context, base=args.peruste)
    dialect = csv_dialect(args)
    if dialect is not None:
        for note in comparison.notes:
            print(f"Huom: {note}", file=sys.stderr)
        csvfile.write(comparison.frame, dialect)
        return 0
    columns = terminal.width(args.leveys)
    shown, titles = with_headings(wide(comparison))
    print(
        terminal.note(
            f"Vuoden 2025 vaihtoehdot kunnittain, potin peruste '{comparison.basis}'; "
            f"kunnat ja summat ({TOTAL}) päätettyjen alueiden mukaan",
            columns,
        )
    )
    print()
    print(terminal_table(shown, columns, titles=titles))
    print()
    for note in comparison.notes:
        print(terminal.note(f"Huom: {note}", columns, hanging=6))
    others = [b for b in AREA_BASES if b != comparison.basis]
    print(
        terminal.note(
            "Tarkat taulukot: --tarkat tai skenaarion nimi; toinen näkymä: "
            + ", ".join(f"--peruste {b}" for b in others),
            columns,
        )
    )
    return 0


def _detailed(context, args: argparse.Namespace) -> int:
    names = args.nimet or [p.stem for p in in_order(context.scenario_paths())]
    # Read and check every scenario before printing anything.
    scenarios = [context.scenario(name) for name in names]
    if args.peruste:
        spec = context.pool_view(args.peruste)
        scenarios = [on_basis(s, spec) for s in scenarios]
    results = [evaluate(context, scenario) for scenario in scenarios]
    dialect = csv_dialect(args)
    if dialect is not None:
        frame = pd.concat(
            [
                r.municipalities.assign(
                    **{"Skenaario (tiedosto)": r.scenario.code, "Skenaario": r.scenario.name}
                )
                for r in results
            ],
            ignore_index=True,
        )
        for result in results:
            for note in result.notes:
                print(f"Huom: {result.scenario.name}: {note}", file=sys.stderr)
        csvfile.write(frame, dialect)
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
