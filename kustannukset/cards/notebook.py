"""What the municipality card (notebooks/kuntakortti.ipynb) shows, as functions: its blocks of
text, tables and charts, its own stylesheet (one A4 landscape page, two columns), its one-sheet
workbook, and its report jobs for ``kustannukset raportti``. The notebook holds no formula, only
calls to these; every figure comes from :mod:`kustannukset.cards.card`.

A card is written to ``reports/kuntakortit/<kuntanumero>_<kunta>/`` (``kuntakortti.html``,
``kuntakortti.ipynb``, ``kuntakortti.xlsx``); the folder's name is the municipality's code and its
name made file-safe (:func:`kustannukset.cards.card.folder_name`: ``020_Akaa``,
``508_Mantta-Vilppula``).
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from kustannukset.cards import card as cards
from kustannukset.cards import charts
from kustannukset.cards.card import Card
from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.money import display, exact
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios import load_context
from kustannukset.view.excel import NORMAL, TITLE, notices, put, save, write_frame
from kustannukset.view.formatting import euros
from kustannukset.view.labels import count
from kustannukset.view.summary import HEADING
from kustannukset.view.tables import Table

SUBDIR = "kuntakortit"
STEM = "kuntakortti"
NOTEBOOK = "kuntakortti.ipynb"
OPTION = "--kuntakortit"

# The card's own stylesheet, shown by the notebook's first cell. It applies to the exported
# report only (``body.jp-Notebook > main`` and the code cells' ``celltag_*`` classes are
# nbconvert's, not JupyterLab's), after the shared report stylesheet, which it extends: one A4
# landscape page; the title, the answer and the alternatives across the page (cells tagged
# ``koko``), then three columns (cells tagged ``palsta-1``, ``palsta-2``, ``palsta-3``, each a
# block with its own heading), the reality check (where there is one) and the method in small print
# across the page at the end.
STYLE = """
/* kuntakortti: kortin oma asettelu */
@page { size: A4 landscape; margin: 10mm; }
body.jp-Notebook > main { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr));
  column-gap: 6mm; grid-auto-flow: row dense; align-items: start; max-width: 277mm;
  margin: 0 auto; }
body.jp-Notebook > main > * { grid-column: 1 / -1; min-width: 0; }
body.jp-Notebook > main > .celltag_palsta-1 { grid-column: 1; }
body.jp-Notebook > main > .celltag_palsta-2 { grid-column: 2; }
body.jp-Notebook > main > .celltag_palsta-3 { grid-column: 3; }
body.jp-Notebook > main > .jp-Cell { break-inside: avoid; padding: 0 !important; }
body.jp-Notebook > main > .jp-mod-noOutputs { display: none; }
body.jp-Notebook .jp-RenderedHTMLCommon { font-size: 9pt; line-height: 1.3;
  padding-right: 0 !important; }
body.jp-Notebook .jp-RenderedHTMLCommon h1 { font-size: 15pt; margin: 0 0 1mm 0; }
body.jp-Notebook .jp-RenderedHTMLCommon h3 { font-size: 10pt; margin: 1.5mm 0 0.5mm 0; }
body.jp-Notebook .jp-RenderedHTMLCommon p { margin: 0 0 0.8mm 0; }
body.jp-Notebook .jp-OutputArea-output { padding: 0 !important; }
.kortti-tila { color: #c00000; font-size: 8pt; margin: 0 0 1mm 0; }
.kortti-vastaus { border-left: 3px solid #2b6ca3; background: #eef4fa; padding: 1mm 3mm;
  margin: 0 0 1mm 0; font-size: 9.5pt; }
.kortti-vastaus p { margin: 0 0 0.5mm 0; }
.kortti-alue { margin: 0 0 1mm 0; }
svg.kortti-kaavio { display: block; max-width: 100%; height: auto; margin: 1mm 0; }
.kortti-pieni { font-size: 6.5pt; line-height: 1.2; color: #333333; margin-top: 1.5mm;
  column-count: 2; column-gap: 6mm; }
.kortti-pieni p { margin: 0 0 0.4mm 0; }
table.kortti { margin: 0.5mm 0 1mm 0 !important; table-layout: auto !important; }
table.kortti caption { font-size: 8.5pt; }
table.kortti[data-osa="vaihtoehdot"], table.kortti[data-osa="pienimmat"] { width: 100%; }
/* the alternatives' texts on one line each: the table keeps the first page's height */
table.kortti[data-osa="vaihtoehdot"] td.teksti { white-space: nowrap !important;
  width: auto !important; }
table.kortti[data-osa="pienimmat"] td:last-child,
table.kortti[data-osa="todellisuus"] td:nth-child(2) { white-space: normal !important; }
@media print {
  table.kortti { font-size: 7.5pt !important; }
  table.kortti th, table.kortti td { padding: 0 3px !important; }
  /* the card's own sizes over the shared report stylesheet's 10-point paragraphs */
  body.jp-Notebook .jp-RenderedHTMLCommon p, body.jp-Notebook .jp-RenderedHTMLCommon li {
    font-size: 9pt; line-height: 1.3; }
  body.jp-Notebook .kortti-vastaus p { font-size: 9.5pt; margin: 0 0 0.5mm 0; }
  body.jp-Notebook .kortti-pieni p { font-size: 6.5pt; line-height: 1.2; margin: 0 0 0.4mm 0; }
}
"""


class Block:
    """A piece of the card: HTML in the report, the same text in plain words for nbval, and
    optionally data for the output's metadata (which the report does not show)."""

    def __init__(self, markup: str, text: str, metadata: dict | None = None) -> None:
        self.markup = markup
        self.text = text
        self.metadata = metadata

    def _repr_html_(self):
        return self.markup if self.metadata is None else (self.markup, self.metadata)

    def __repr__(self) -> str:
        return self.text


class CardTable(Table):
    """A table of the card: the shared table, marked as the card's (``data-osa``) so that the
    card's stylesheet can let its text columns wrap and a test can find it."""

    def __init__(self, frame: pd.DataFrame, part: str, formats=None, caption: str = "") -> None:
        super().__init__(frame, formats, caption)
        self.part = part

    def _repr_html_(self) -> str:
        return (
            super()
            ._repr_html_()
            .replace(
                '<table class="kustannukset">',
                f'<table class="kustannukset kortti" data-osa="{self.part}">',
                1,
            )
        )


def validate_parameters(kunta: object = "Akaa", data_kansio: object = "") -> Card:
    """Check the notebook's parameters and make the municipality's card; a mistake is one
    Finnish line (an unknown name with the closest one, a municipality outside Pirkanmaa with
    the reason it has no card)."""
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    if isinstance(kunta, int) and not isinstance(kunta, bool):
        kunta = f"{kunta:03d}"  # papermill's -p kunta 020 arrives as 20
    return cards.make_card(data_dir, kunta, "kunta")


def style() -> Block:
    return Block(f'<style type="text/css">{STYLE}</style>', "Kuntakortin tyyli")


def section(title: str, text: str = "") -> Block:
    """A block's heading and its explanation."""
    markup = f"<h3>{html.escape(title)}</h3>" + (f"<p>{html.escape(text)}</p>" if text else "")
    return Block(markup, f"{title}\n{text}".strip())


def _paragraphs(lines) -> str:
    return "".join(f"<p>{html.escape(line)}</p>" for line in lines)


def heading(card: Card) -> Block:
    """The title and the statuses. The output also carries the card's figures in its metadata
    (:data:`kustannukset.cards.card.DATA_KEY`, not shown): the render process writes the card's
    workbook from them, so that the workbook holds the very figures the card shows and the
    region's figures are not computed again for it."""
    title = f"Kuntakortti: {card.name} ({card.code})"
    subtitle = "työllisyysalueuudistus 2025"
    return Block(
        f"<h1>{html.escape(title)} – {html.escape(subtitle)}</h1>"
        f'<p class="kortti-tila">{html.escape(card.statuses)}</p>',
        f"{title} – {subtitle}\n{card.statuses}",
        {cards.DATA_KEY: cards.to_data(card)},
    )


def answer(card: Card) -> Block:
    """The answer first: three to five sentences with the key figures."""
    sentences = cards.answer(card)
    return Block(
        f"<h3>{html.escape(HEADING)}</h3>"
        f'<div class="kortti-vastaus">{_paragraphs(sentences)}</div>',
        "\n".join([HEADING, *sentences]),
    )


def decided_area(card: Card) -> Block:
    area = card.decided
    lead = f"vastuukunta {area.lead}"
    members = ", ".join(area.members)
    text = (
        f"Päätetty alue ({area.scenario}): {area.name}, {lead}, "
        f"{count(len(area.members), 'kunta', 'kuntaa')}: {members}."
    )
    markup = (
        f'<p class="kortti-alue"><strong>Päätetty alue:</strong> {html.escape(area.name)} '
        f"({html.escape(lead)}; {count(len(area.members), 'kunta', 'kuntaa')}): "
        f"{html.escape(members)}.</p>"
    )
    return Block(markup, text)


def _shown(decimals: int = 0):
    return lambda v: "–" if v is None or pd.isna(v) else euros(v, decimals)


def alternatives_table(card: Card) -> CardTable:
    frame = cards.alternatives_frame(card)
    formats = {c: _shown() for c in frame.columns[4:]}
    formats["€/asukas"] = _shown(2)
    return CardTable(
        frame,
        "vaihtoehdot",
        formats,
        caption=f"Maksu vaihtoehdoittain, potin peruste '{card.basis}' (netto = "
        "valtionosuusarvio − maksu; muutos = maksu − maksu vaihtoehdossa C)",
    )


def key_table(card: Card) -> CardTable:
    frame = cards.key_frame(card)
    return CardTable(frame, "jakoperusteet", {"Maksuosuus €": _shown()})


def key_chart(card: Card) -> charts.Svg | None:
    return charts.key_chart(card)


def range_table(card: Card) -> CardTable | None:
    if card.range is None:
        return None
    frame = cards.range_frame(card)
    return CardTable(frame, "vaihteluvali", {"Maksuosuus €": _shown(), "€/asukas": _shown(2)})


def range_text(card: Card) -> Block | None:
    r = card.range
    if r is None:
        return None
    like = f" (kuten {r.key_alternative})" if r.key_alternative else ""
    lines = [f"{euros(r.partitions)} jakoa; jakoperuste {r.key_short}{like}."]
    if r.crossing:
        lines.append(
            "Päätetty alue ulottuu maakunnan rajan yli: sen Pirkanmaan osa on laskettu omana "
            "osanaan, eikä sijoitusta laillisten jakojen joukossa ole."
        )
    elif r.percentile is not None:
        lines.append(
            f"Päätetyt alueet: persentiili {euros(r.percentile, 1)} (osuus jaoista, joissa "
            "kunta maksaa vähemmän)."
        )
    return Block(_paragraphs(lines), "\n".join(lines))


def range_chart(card: Card) -> charts.Svg | None:
    return charts.range_chart(card)


def minimal_text(card: Card) -> Block:
    total = len(card.minimal)
    shown = len(card.shown_minimal)
    if not total:
        text = f"{card.name}: pienimpiä laillisia alueita ei ole."
    elif total == 1 and card.minimal.iloc[0]["Kuntia"] == 1:
        text = f"{card.name} täyttää 20 000 -rajan yksin: pienin laillinen alue on kunta itse."
    else:
        text = f"{count(total, 'pienin laillinen alue', 'pienintä laillista aluetta')}" + (
            f"; alla {shown} vähäkuntaisinta (kaikki: työkirja ja kustannukset aluejaot "
            f"--kunta {card.name})."
            if shown < total
            else "."
        )
    return Block(f"<p>{html.escape(text)}</p>", text)


def minimal_table(card: Card) -> CardTable | None:
    frame = card.shown_minimal
    if frame.empty:
        return None
    return CardTable(frame, "pienimmat", {"Nro": str, "Kuntia": str, "Työvoima": _shown()})


def reality(card: Card) -> list | None:
    """On the card of the municipality whose reported payment the reality check uses: the
    reported figures and the reference area's reported total split by each key."""
    r = card.reality
    if r is None:
        return None
    lines = [
        f"Raportoitu: {item.description}: {euros(item.euros)} € ({item.status}"
        + (f", luotettavuus {item.confidence}" if item.confidence else "")
        + ")."
        for item in r.reported
    ]
    lines.append(
        "Alueen kuntien raportoidut maksuosuudet 2025 jaettuina kunkin vaihtoehdon "
        "jakoperusteella; lähimmät ensin."
    )
    text = Block(
        "<h3>Todellisuustarkistus</h3>" + _paragraphs(lines),
        "Todellisuustarkistus\n" + "\n".join(lines),
    )
    table = CardTable(
        r.rows,
        "todellisuus",
        {
            "Laskettu 2025 €": _shown(),
            "Ero raportoituun €": _shown(),
            "Ero %": _shown(1),
        },
    )
    return [text, table]


def method(card: Card) -> Block:
    lines = ["Menetelmä ja lähteet", *card.method]
    markup = (
        '<div class="kortti-pieni"><p><strong>Menetelmä ja lähteet.</strong></p>'
        + _paragraphs(card.method)
        + "</div>"
    )
    return Block(markup, "\n".join(lines))


# --- the workbook ---------------------------------------------------------------------------


def _decimals(column: str) -> int | None:
    """How the workbook rounds a column, as the CSV does: € per inhabitant to cents, a percentage
    to one decimal, other euros to whole euros; None for a column that is no figure."""
    if "€/asukas" in column:
        return 2
    if column.endswith("%"):
        return 1
    if column.endswith("€"):
        return 0
    return None


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for the workbook: every figure rounded once by the money module's display rule
    (whole euros as integers), a missing one empty."""
    out = frame.astype(object).where(frame.notna(), None)
    for column in out.columns:
        places = _decimals(str(column))
        if places is None:
            continue
        out[column] = [
            None
            if v is None
            else (int(display(exact(v))) if places == 0 else float(display(exact(v), places)))
            for v in out[column]
        ]
    return out


def workbook(card: Card, path: Path) -> None:
    """The card on one sheet: the title and the statuses, the answer, the decided area, the
    alternatives, the payment over every legal partition, every smallest legal area, the reality
    check where there is one, and the method."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Kuntakortti"
    put(ws, 1, 1, f"Kuntakortti: {card.name} ({card.code}) – työllisyysalueuudistus 2025", TITLE)
    row = notices(ws, [card.statuses]) + 1
    for sentence in cards.answer(card):
        put(ws, row, 1, sentence, NORMAL)
        row += 1
    row += 1
    put(ws, row, 1, repr(decided_area(card)), NORMAL)
    row += 2
    put(ws, row, 1, "Maksu vaihtoehdoittain", TITLE)
    row = write_frame(ws, _excel_frame(cards.alternatives_frame(card)), row + 1)
    if card.range is not None:
        put(ws, row, 1, "Maksu kaikissa laillisissa aluejaoissa", TITLE)
        put(ws, row + 1, 1, repr(range_text(card)).replace("\n", " "), NORMAL)
        row = write_frame(ws, _excel_frame(cards.range_frame(card)), row + 2)
    put(ws, row, 1, "Pienimmät lailliset alueet", TITLE)
    row = write_frame(ws, _excel_frame(card.minimal), row + 1)
    if card.reality is not None:
        put(ws, row, 1, "Todellisuustarkistus", TITLE)
        row += 1
        for item in card.reality.reported:
            put(
                ws,
                row,
                1,
                f"Raportoitu: {item.description}: {euros(item.euros)} € ({item.status})",
                NORMAL,
            )
            row += 1
        row = write_frame(ws, _excel_frame(card.reality.rows), row + 1)
    put(ws, row, 1, "Menetelmä ja lähteet", TITLE)
    for line in card.method:
        row += 1
        put(ws, row, 1, line, NORMAL)
    save(wb, path, status=workbook_status(card))


def workbook_status(card: Card) -> str:
    """The page header's status of the card's workbook, from the card's own statuses sentence:
    ARVIO, ESIMERKKI or both."""
    said = card.statuses.upper()
    return " / ".join(word for word in ("ARVIO", "ESIMERKKI") if word in said)


# --- the report jobs -----------------------------------------------------------------------------


def workbook_card(path: Path, data_dir: Path, name: str) -> Card:
    """The card whose workbook is written to ``path``: the figures the executed notebook beside
    it made (its heading's metadata), or, from a notebook run without them, made again."""
    try:
        return cards.from_notebook(path.with_name(f"{STEM}.ipynb"))
    except (OSError, ValueError):
        return cards.make_card(data_dir, name, OPTION)


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The cards for ``kustannukset raportti``: every municipality's of Pirkanmaa when every
    report is made or ``--kuntakortit`` names none, else those named. A name is checked (an
    unknown one, or one outside Pirkanmaa, is one Finnish line) before any kernel starts."""
    if options.cards is None and years is not None:
        return []
    context = load_context(data_dir)
    wanted = options.cards or ()
    codes = [cards.resolve(context, name, OPTION) for name in wanted] or cards.region_codes(context)
    out = []
    for code in dict.fromkeys(codes):
        name = context.name(code)

        def check(name=name):
            return cards.resolve(load_context(data_dir), name, OPTION)

        def excel(path: Path, name=name) -> None:
            workbook(workbook_card(path, data_dir, name), path)

        out.append(
            Job(
                notebook=NOTEBOOK,
                parameters={"kunta": name, "data_kansio": data_parameter(data_dir)},
                subdir=SUBDIR,
                stem=STEM,
                title=f"Kuntakortti: {name}",
                check=check,
                excel=excel,
                excel_name=f"{STEM}.xlsx",
                folder=cards.folder_name(code, name),
            )
        )
    return out
