"""``kustannukset arvio VUOSI`` and ``kustannukset tasaus VUOSI``: the international expertise
services' August estimate and February equalisation, per municipality (with the decision of the
10 % rule per service)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kustannukset import international as kv
from kustannukset.cli.common import data_dir_arg, year_arg
from kustannukset.view import terminal
from kustannukset.view.formatting import euros, spreadsheet_safe


def inputs_args(p: argparse.ArgumentParser) -> None:
    """The data folder and the input files' options (shared with ``laskut``)."""
    data_dir_arg(p)
    p.add_argument(
        "--tapahtumat",
        type=Path,
        metavar="TIEDOSTO",
        help=f"palvelutapahtumat (CSV; oletus: datakansion {kv.EVENTS_FILE})",
    )
    p.add_argument(
        "--kustannukset",
        type=Path,
        metavar="TIEDOSTO",
        help=f"kustannuspotti (CSV; oletus: datakansion {kv.COSTS_FILE})",
    )
    p.add_argument(
        "--hankerahoitus",
        type=Path,
        metavar="TIEDOSTO",
        help=f"valtion hankerahoitus (CSV; oletus: datakansion {kv.FUNDING_FILE}, jos on)",
    )
    p.add_argument("--csv", action="store_true", help="pilkuin eroteltu CSV (desimaalipiste)")
    terminal.add_width_option(p)


def load(args: argparse.Namespace) -> kv.Inputs:
    return kv.load_inputs(args.data, args.tapahtumat, args.kustannukset, args.hankerahoitus)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("vuosi", type=year_arg, metavar="VUOSI", help="vuosi, esim. 2021")
    inputs_args(p)


def register(sub) -> None:
    p = sub.add_parser(
        "arvio",
        help="kansainväliset palvelut: kuntien kustannusarvio vuodelle VUOSI (elokuu)",
        description="Kansainvälisen osaamisen palvelujen kuntakohtainen kustannusarvio vuodelle "
        "VUOSI, laadittu elokuussa VUOSI-1 vuoden VUOSI-2 toteumasta: asiakasmäärät hinnoitellaan "
        "1.1.VUOSI voimassa olevin hinnoin ja kustannuspotti jaetaan vieraskielisten "
        "(31.12.VUOSI-2) suhteessa. Summat sentin tarkkuudella; potin osuudet täsmäävät summaan.",
    )
    _common(p)
    p.set_defaults(run=run_estimate)

    p = sub.add_parser(
        "tasaus",
        help="kansainväliset palvelut: vuoden VUOSI tasauslaskut (helmikuu VUOSI+1)",
        description="Vertaa vuoden VUOSI toteutuneita kustannuksia (valtion hankerahoituksen "
        "jälkeen) talousarvioon palveluittain. Muutos = |toteuma - talousarvio| / talousarvio; "
        "palvelulla, jonka muutos on vähintään 10 %, hinta päivitetään ja tehdään tasauslasku "
        "helmikuussa, muiden palvelujen erotus siirretään seuraavan vuoden ensimmäiseen laskuun "
        "(kustannukset laskut VUOSI+1 --jakso 1). Tasaukset täsmäävät sentilleen tasattavaan "
        "erotukseen. CSV:ssä palvelukohtaiset sarakkeet <palvelu>_paatos ja <palvelu>_tasaus.",
    )
    _common(p)
    p.set_defaults(run=run_equalisation)


def _csv_or_notices(args: argparse.Namespace, table, notices: tuple[str, ...], inputs) -> bool:
    """With --csv: the notices to stderr and the table as CSV to stdout (True, done). Without:
    the notices to stdout, ahead of the readable table the caller prints (False)."""
    for notice in notices:
        print(
            notice if args.csv else _wrapped(args, notice),
            file=sys.stderr if args.csv else sys.stdout,
        )
    if args.csv:
        write_csv(table, status(inputs))
    return bool(args.csv)


def run_estimate(args: argparse.Namespace) -> int:
    inputs = load(args)
    est = kv.estimate(
        args.vuosi, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding
    )
    table = kv.estimate_table(est)
    if _csv_or_notices(args, table, est.notices, inputs):
        return 0
    title = (
        f"Kansainvälisen osaamisen palvelut: kustannusarvio vuodelle {est.year} "
        f"(elokuu {est.year - 1}, vuoden {est.base_year} toteuman perusteella)"
    )
    print(_wrapped(args, title))
    text = (
        f"Suoritteet: vuoden {est.base_year} asiakasmäärät × {est.price_date:%d.%m.%Y} voimassa "
        f"olevat hinnat. Kustannuspotti {kv.euros_cents(float(est.pool_total))} € "
        f"(toteuma {est.base_year}) jaettuna: {est.key.label}."
    )
    print(_wrapped(args, text))
    print(_terminal_table(args, table))
    return 0


def run_equalisation(args: argparse.Namespace) -> int:
    inputs = load(args)
    eq = kv.equalise(
        args.vuosi, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding
    )
    table = kv.equalisation_table(eq)
    if args.csv:
        # the decision of the 10 % rule per service, beside each municipality's part of it
        for u in eq.units:
            table[f"{u.unit.code}_paatos"] = kv.decision(u.exceeds)
            table[f"{u.unit.code}_tasaus"] = [float(u.difference(c)) for c in table["kuntanumero"]]
    if _csv_or_notices(args, table, eq.notices, inputs):
        return 0
    print(f"Kansainvälisen osaamisen palvelut: vuoden {eq.year} tasaus (helmikuu {eq.year + 1})")
    print(_wrapped(args, kv.summary_text(eq)))
    print()
    decisions = "; ".join(f"{k} = {v}" for k, v in kv.DECISIONS.items())
    print(_wrapped(args, f"Palveluittain (päätös: {decisions}):"))
    units = kv.with_total_row(kv.units_table(eq), "nimi")
    unit_formats = {c: kv.euros_cents for c in units.columns if units[c].dtype.kind == "f"}
    print(terminal.table(units, terminal.width(args.leveys), unit_formats, keep=1))
    print()
    print(_terminal_table(args, table))
    return 0


TERMINAL_HEADERS = {
    "kuntanumero": "Kuntanumero",
    "kunta": "Kunta",
    "vieraskieliset": "Vieraskieliset",
    "osuus_pct": "Osuus %",
    "suoritteet": "Suoritteet €",
    "kustannuspotti": "Kustannuspotti €",
    "arvio_yhteensa": "Arvio yhteensä €",
    "potti_laskutettu": "Potti laskutettu €",
    "potti_toteutunut": "Potti toteutunut €",
    "suoritteet_laskutettu": "Suoritteet laskutettu €",
    "suoritteet_vahvistettu": "Suoritteet vahvistetuin hinnoin €",
    "matkakulut": "Matkakulut €",
    "tasaus": "Tasaus €",
}


def _wrapped(args: argparse.Namespace, text: str) -> str:
    columns = terminal.width(args.leveys)
    return "\n".join(terminal.note(line, columns) for line in text.splitlines())


def _terminal_table(args: argparse.Namespace, table) -> str:
    """The table with its summary row for the terminal: Finnish headers, cents, the width."""
    frame = kv.with_total_row(table)
    formats = {c: kv.euros_cents for c in frame.columns if frame[c].dtype.kind == "f"}
    formats["vieraskieliset"] = lambda v: euros(v, 0)
    formats["osuus_pct"] = lambda v: "" if v != v else f"{v:.3f}".replace(".", ",") + " %"
    frame = frame.rename(columns=TERMINAL_HEADERS)
    formats = {TERMINAL_HEADERS.get(c, c): f for c, f in formats.items()}
    return terminal.table(frame, terminal.width(args.leveys), formats, keep=2)


def write_csv(table, status: str) -> None:
    table = table.copy()
    if "osuus_pct" in table:
        table["osuus_pct"] = [f"{v:.3f}" for v in table["osuus_pct"]]
    table["tila"] = status
    spreadsheet_safe(table).to_csv(
        sys.stdout, index=False, lineterminator="\n", float_format="%.2f"
    )


def status(inputs: kv.Inputs) -> str:
    return kv.EXAMPLE if inputs.events.is_example or inputs.costs.is_example else kv.ACTUAL
