"""``kustannukset aluejaot``: every legal partition of a region's municipalities into employment
areas, counted and evaluated without listing them; a municipality's minimal legal areas; a
partition written as a scenario; and a row per mainland region (``--koko-maa``)."""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from kustannukset.cli.common import csv_dialect, data_dir_arg, output_options
from kustannukset.core.errors import InputError
from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.view import csv_output, terminal
from kustannukset.view.formatting import decimal, euros
from kustannukset.view.labels import count, named


def register(sub) -> None:
    p = sub.add_parser(
        "aluejaot",
        help="kaikki lailliset työllisyysaluejaot: määrä, kuntien maksut, vähimmäisalueet",
        description="Laskee kaikki tavat jakaa maakunnan kunnat maantieteellisesti yhtenäisiin "
        "työllisyysalueisiin, joiden työvoima on vähintään raja (oletus: Pirkanmaa, työvoima ja "
        "raja data/parametrit/tyollisyysalueet.yaml; vuoden 2025 kuntajako, jossa Pertunmaa on osa "
        "Mäntyharjua). Tulostaa jakojen määrän, kunkin kunnan "
        "maksun jakauman kaikissa jaoissa (pienin, kvartiilit, mediaani, suurin), nettovaikutuksen "
        "valtionosuusarvioon, päätettyjen alueiden sijoituksen ja kärkijaot. Jakoja ei luetella: "
        "kunnan maksu riippuu vain sen alueesta, joten jakaumat lasketaan alueista.",
    )
    p.add_argument(
        "--maakunta",
        metavar="NIMI",
        help=f"maakunta, jonka kunnat jaetaan (oletus {districts.REGION})",
    )
    p.add_argument(
        "--koko-maa",
        action="store_true",
        help="rivi kustakin Manner-Suomen maakunnasta: kunnat, työvoima, laillisten jakojen "
        "määrä, päätetyt alueet 2025 ja yksin järjestämään riittävät kunnat",
    )
    p.add_argument(
        "--kunnat",
        nargs="+",
        default=[],
        metavar="KUNTA",
        help="lisää kuntia maakunnan kuntiin (esim. Jämsä Keuruu)",
    )
    p.add_argument(
        "--vain", action="store_true", help="vain --kunnat-valinnan kunnat, ei maakuntaa"
    )
    p.add_argument("--kunta", metavar="KUNTA", help="luettele kunnan pienimmät lailliset alueet")
    p.add_argument(
        "--kiinnitetty",
        nargs="+",
        default=[],
        metavar="SKENAARIO:ALUE",
        help="pidä skenaarion alue sellaisenaan (alueen nimi tai numero), jaa loput",
    )
    p.add_argument("--raja", type=int, metavar="N", help="työvoiman raja (oletus parametreista)")
    p.add_argument(
        "--skenaario",
        default=districts.DEFAULT_SCENARIO,
        metavar="NIMI",
        help="skenaario, jonka ensimmäisen alueen kustannuspottia käytetään "
        f"(oletus {districts.DEFAULT_SCENARIO}: vuoden 2025 vertailujen oletusperuste)",
    )
    p.add_argument(
        "--avain",
        metavar="MITTARI:VUOSI",
        help="jakoperuste (oletus: 20 000 -säännön työvoima, tyovoima:2021), esim. "
        "tyottomat_tyonhakijat_ka:2021 tai vakiluku:2021:0.5+tyottomat_tyonhakijat_ka:2021:0.5",
    )
    p.add_argument(
        "--paatetyt",
        default=districts.DECIDED_SCENARIO,
        metavar="NIMI",
        help="skenaario, jonka alueiden sijoitus kaikkien jakojen joukossa näytetään (oletus: "
        "päätetyt alueet 2025 koko Manner-Suomessa)",
    )
    p.add_argument(
        "--karki",
        type=int,
        default=summaries.TOP,
        metavar="N",
        help=f"kärkijakoja kultakin perusteelta (oletus {summaries.TOP})",
    )
    output_options(
        p, "kuntien yhteenveto (--kunta: kunnan pienimmät alueet; --koko-maa: maakunnat)"
    )
    p.add_argument("--kirjoita", metavar="TIEDOSTO", help="kirjoita jako skenaariotiedostoksi")
    p.add_argument(
        "--jako",
        type=int,
        metavar="N",
        help="kirjoitettavan jaon numero (kärkilistoista; sama syöte antaa aina saman numeron, "
        "numerointi: docs/aluejaot.md)",
    )
    data_dir_arg(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    columns = terminal.width(args.leveys)
    if args.vain and not args.kunnat:
        raise InputError("--vain tarvitsee --kunnat-valinnan kunnat", option="--vain")
    if args.vain and args.maakunta:
        raise InputError("anna joko --maakunta tai --vain", option="--vain")
    if (args.kirjoita is None) != (args.jako is None):
        raise InputError("anna --kirjoita ja --jako yhdessä", option="--kirjoita")
    if args.raja is not None and args.raja < 0:
        raise InputError(f"raja {args.raja} on negatiivinen", option="--raja")
    context = districts.load_context(args.data)
    if args.koko_maa:
        return _national(context, args, columns)
    name = districts.resolve_region(context, args.maakunta) if args.maakunta else None
    region = districts.load_region(
        context,
        args.kunnat,
        region=name,
        only=args.vain,
        fixed=args.kiinnitetty,
        threshold=args.raja,
    )
    key = districts.parse_key(args.avain) if args.avain else None
    if args.kunta:
        (code,) = districts.resolve(context, [args.kunta], "--kunta")
        if code not in region.codes:
            raise InputError(f"{args.kunta} ei ole valittujen kuntien joukossa", option="--kunta")
        return _minimal(region, code, columns, csv_dialect(args))
    space = region.space()
    if args.kirjoita:
        basis = districts.load_basis(region, args.skenaario, key)
        blocks = summaries.partition_at(space, args.jako - 1)
        title = f"Aluejako {args.jako}/{space.count()}"
        description = (
            f"Laillinen aluejako numero {args.jako} ({len(region.codes)} kuntaa, raja "
            f"{region.threshold}); vastuukunta on alueen suurimman työvoiman kunta."
        )
        text = districts.scenario_text(region, blocks, basis, title, description)
        districts.write_scenario(args.kirjoita, text)
        _say(columns, f"Kirjoitettu {args.kirjoita}: {count(len(blocks), 'alue', 'aluetta')}.")
        _say(columns, terminal.table(districts.blocks_table(region, blocks), columns))
        return 0

    started = time.perf_counter()
    total = space.count()
    counted = time.perf_counter() - started
    summary = basis = failure = None
    if total:
        # the payments first: the count by number of areas is made beside them
        try:
            basis = districts.load_basis(region, args.skenaario, key)
            summary = summaries.summarise(
                region, basis, decided=args.paatetyt, top=args.karki, space=space
            )
        except InputError as exc:
            failure = exc
    by_areas = space.count_by_areas()
    dialect = csv_dialect(args)
    out = sys.stderr if dialect is not None else sys.stdout
    _say(columns, _header(region), file=out)
    parts = region.components()
    if len(parts) > 1:
        shown = "; ".join(", ".join(context.name(c) for c in p) for p in parts)
        _say(
            columns,
            f"Huom: kunnat eivät ole yhtenäinen joukko, vaan {len(parts)} erillistä osaa: "
            f"{shown}. Kukin osa jaetaan erikseen.",
            file=out,
        )
    _say(
        columns,
        f"Laillisia aluejakoja: {euros(total)} (laskettu {decimal(counted, 1)} s)",
        file=out,
    )
    if not total:
        _say(
            columns,
            f"Laillisia aluejakoja ei ole: {districts.no_partition_reason(region)}.",
            file=out,
        )
        return 0
    _say(
        columns,
        "Alueiden määrän mukaan: "
        + ", ".join(f"{count(k, 'alue', 'aluetta')}: {euros(v)}" for k, v in by_areas.items()),
        file=out,
    )
    if failure is not None:
        _say(columns, f"Maksuja ei voi laskea: {failure}", file=out)
        return 0
    if dialect is not None:
        _say(columns, f"Huom: {_estimate_note(basis)}", file=out)
        for note in summary.notes:
            _say(columns, f"Huom: {note}", file=out)
        table = named(summary.table)
        first = ["kuntanumero", "kunta"]
        table = table[first + [c for c in table.columns if c not in first]]
        csv_output.write(table, status=basis.pool_status, dialect=dialect)
        return 0
    _print_summary(summary, columns)
    return 0


def _national(context, args: argparse.Namespace, columns: int) -> int:
    dialect = csv_dialect(args)
    out = sys.stderr if dialect is not None else sys.stdout
    force = districts.default_key(context)
    _say(
        columns,
        f"Manner-Suomen maakunnat: lailliset aluejaot. Työvoima: {districts.key_label(force)} "
        f"(johdettu arvio); raja {euros(int(context.rule('tyovoimaraja').value))}; naapuruus "
        f"kuntarajoista. Päätetyt alueet: data/skenaariot/{args.paatetyt}.yaml.",
        file=out,
    )
    started = time.perf_counter()
    frame = summaries.national(context, args.paatetyt)
    if dialect is not None:
        for row in frame.to_dict("records"):
            if row["Huom"]:
                _say(columns, f"Huom: {row['Maakunta']}: {row['Huom']}", file=out)
        # the counts by number of areas as plain whole numbers for programs ("2: 9037", not the
        # terminal's "2: 9 037")
        frame["Alueiden määrän mukaan"] = frame["Alueiden määrän mukaan"].str.replace(
            r"(?<=\d)[ \u00a0](?=\d{3}\b)", "", regex=True
        )
        table = named(frame.drop(columns=["Huom"]))
        # the labour force is a derived estimate (johdettu arvio); a region without it: puuttuu
        status = ["puuttuu" if pd.isna(v) else "johdettu" for v in frame["Työvoima"]]
        csv_output.write(table, status=status, dialect=dialect)
    else:
        shown = frame[["Maakunta", "Kuntia", "Työvoima", "Laillisia jakoja"]]
        _say(
            columns,
            terminal.table(shown, columns, {"Työvoima": _count, "Laillisia jakoja": _count}),
        )
        for row in frame.to_dict("records"):
            _say(columns)
            _say(columns, f"{row['Maakunta']}:")
            if row["Alueiden määrän mukaan"]:
                _say(columns, f"  alueiden määrän mukaan: {row['Alueiden määrän mukaan']}")
            _say(columns, f"  päätetyt alueet 2025: {row['Päätetyt alueet 2025'] or '–'}")
            _say(
                columns,
                "  voisi järjestää yksin (työvoima vähintään raja): "
                + (row["Voisi järjestää yksin"] or "ei yksikään kunta"),
            )
            if row["Huom"]:
                _say(columns, f"  {row['Huom']}")
    _say(columns, f"(laskettu {decimal(time.perf_counter() - started, 1)} s)", file=out)
    return 0


def _count(value) -> str:
    return "–" if value is None or value != value else euros(value)


def _header(region: districts.Region) -> str:
    fixed = ""
    if region.fixed:
        fixed = "; kiinnitetty: " + ", ".join(a.name for a in region.fixed)
    title = f"{region.name}: " if region.name else ""
    merged = "".join(f"\nKuntaliitos: {note}" for note in region.division_notes)
    return (
        f"{title}Kunnat ({len(region.codes)}, kuntajako 2025): {', '.join(region.names)}\n"
        f"Työvoima: {region.labour_label}; raja {euros(region.threshold)}; naapuruus "
        f"kuntarajoista (yhteinen rajajana){fixed}{merged}"
    )


def _estimate_note(basis: districts.CostBasis) -> str:
    return f"{basis.pool_status.upper()}: potti {basis.pool_label}; jakoperuste {basis.key_label}"


def _minimal(
    region: districts.Region, code: str, columns: int, dialect: csv_output.Dialect | None
) -> int:
    """A municipality's minimal legal areas: a table, or with ``--csv`` its rows (the labour
    force is a derived estimate: ``tila`` johdettu) with the notes on standard error."""
    context = region.context
    table = districts.minimal_areas_table(region, code)
    out = sys.stderr if dialect is not None else sys.stdout
    _say(columns, _header(region), file=out)
    name = context.name(code)
    if table.empty:
        _say(
            columns,
            f"{name}: pienimpiä laillisia alueita ei ole (raja {euros(region.threshold)}).",
            file=out,
        )
    else:
        areas = count(len(table), "pienin laillinen alue", "pienintä laillista aluetta")
        _say(
            columns,
            f"{name}: {areas} (yhtenäinen, työvoima vähintään {euros(region.threshold)}, eikä "
            "yhtäkään muuta kuntaa voi poistaa):",
            file=out,
        )
    if dialect is not None:
        csv_output.write(named(table), status="johdettu", dialect=dialect)
    elif not table.empty:
        _say(columns, terminal.table(table, columns, keep=["Nro"]))
    return 0


def _shown(value, decimals: int = 0) -> str:
    return "–" if value is None or value != value else euros(value, decimals)


def _print_summary(summary: summaries.Summary, columns: int) -> None:
    region, basis = summary.region, summary.basis
    _say(columns)
    _say(columns, f"Jakoperuste: {basis.key_label}")
    _say(columns, f"Kustannuspotti: {basis.pool_label} ({basis.source_title})")
    _say(columns, f"€/asukas: {basis.population_label}")
    if basis.funding_label:
        _say(columns, f"Netto = valtionosuusarvio − maksu. {basis.funding_label}")
    table = summary.table.drop(columns=["Kuntanumero"]).copy()
    formats = {}
    for column in table.columns:
        if column.endswith(" €"):
            formats[column] = _shown
        elif column.endswith("€/asukas"):
            formats[column] = lambda v: _shown(v, 2)
        elif column == "Persentiili %":
            formats[column] = lambda v: _shown(v, 1)
    _say(columns)
    _say(
        columns,
        "Kuntien maksut kaikissa laillisissa jaoissa (pienin, alakvartiili, mediaani, "
        "yläkvartiili, suurin), laskettu täsmälleen alueista:",
    )
    _say(columns, terminal.table(table, columns, formats))
    if summary.decided is not None:
        legal = "on" if summary.decided_legal else "EI ole"
        _say(
            columns,
            "Päätetyt alueet: kuntien osat alueista; jako "
            f"{legal} näiden kuntien laillinen jako. Persentiili = osuus jaoista, joissa kunta "
            "maksaa vähemmän kuin päätetyillä alueilla (yhtä suuri maksu lasketaan puoliksi).",
        )
        if not summary.decided_legal:
            _say(
                columns,
                "  Rajan yli ulottuva alue on laskettu vain valittujen kuntien osalta (sen muut "
                "kunnat saa mukaan valinnalla --kunnat).",
            )
    for name, label in summaries.CRITERIA.items():
        _say(columns)
        _say(columns, f"Kärkijaot: {label}")
        for ranked in summary.top[name]:
            areas = " | ".join(
                f"{region.context.name(region.lead(b))}: "
                + ", ".join(sorted(region.context.name(c) for c in b))
                for b in ranked.blocks
            )
            _say(
                columns,
                f"  jako {ranked.index + 1}: {count(ranked.areas, 'alue', 'aluetta')}, "
                "€/asukas-ero alueiden "
                f"välillä {_shown(ranked.area_spread, 2)}, kuntien välillä "
                f"{_shown(ranked.spread, 2)}: {areas}",
            )
    _say(columns)
    _say(
        columns,
        f"Huom: potti on {basis.pool_status.upper()} ja työvoima johdettu arvio; maksut ovat "
        "pyöristämättömiä "
        "laskelmia ilman alennuksia. Kirjoita jako skenaarioksi: --kirjoita TIEDOSTO.yaml --jako N",
    )
    for note in summary.notes:
        _say(columns, f"Huom: {note}")


def _say(columns: int, text: object = "", file=None) -> None:
    """Print a line of text wrapped to the width (tables are already as wide as allowed)."""
    lines = str(text).splitlines() or [""]
    wrapped = [
        line if len(line) <= columns else terminal.note(line, columns, hanging=2) for line in lines
    ]
    print("\n".join(wrapped), file=file)
