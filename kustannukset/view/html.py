"""The finishing touches of an HTML report exported by nbconvert: Finnish language, no script or
font from the internet (the report opens complete offline), and a print stylesheet for A4 landscape
paper.

The print stylesheet: every page carries the report's title and its status (ESIMERKKI, ARVIO) at
the top and the date and "Sivu N / M" at the bottom (CSS ``@page`` margin boxes); a heading stays
with what follows it; a table, a chart or the summary page is never split across two pages when it
fits on one; a chart is at most as high as the page; the summary page ("Yhteenveto",
:mod:`kustannukset.view.summary`) is page 1 alone. Tables keep every column because
:mod:`kustannukset.view.tables` splits a table too wide for the page into parts.

Cells of a report notebook that are for its developers only (what the notebook does, how to run it
again) carry the cell tag :data:`HIDDEN_TAG`; the render driver's exporter
(:func:`exporter_config`) leaves them out of the HTML, and they stay in the notebook.

A report's status comes from the notebook's own output: :class:`Banner` (the report's title and
notices) records it in the output's metadata, and :func:`report_status` reads it back for the page
header. The render driver calls :func:`finish_report` on the exported HTML before writing it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from kustannukset.view.formatting import date

# A cell tagged so stays in the notebook but not in the rendered report (nbconvert's
# TagRemovePreprocessor; the same tag hides a cell in Jupyter Book).
HIDDEN_TAG = "remove-cell"
# Key of a display output's metadata that holds the report's status for the page header.
STATUS_KEY = "kustannukset_tila"
FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
PAGE_MARGIN_MM = 10

PRINT_CSS = """
/* kustannukset: raportin tulostus- ja taulukkotyylit */
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
table.kustannukset { border-collapse: collapse; margin: 0.4em 0 1.2em 0; font-size: 12px; }
table.kustannukset caption { caption-side: top; text-align: left; padding: 0 0 0.3em 0; }
table.kustannukset th { vertical-align: bottom; white-space: normal; word-break: keep-all;
  overflow-wrap: normal; hyphens: manual; padding: 2px 6px; border-bottom: 1px solid #444; }
table.kustannukset td { white-space: nowrap; padding: 1px 6px; }
table.kustannukset td.teksti { white-space: normal; }
table.kustannukset tr.summa td { font-weight: bold; border-top: 1px solid #444; }
.jp-RenderedText pre, .jp-OutputArea-output pre { white-space: pre-wrap; word-break: normal;
  overflow-wrap: normal; }
.yhteenveto p { max-width: 60em; }
@media print {
  html, body { font-size: 10pt; }
  body, .jp-Notebook { margin: 0 !important; padding: 0 !important; }
  .jp-Cell, .jp-OutputArea, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
    overflow: visible !important; max-width: none !important; padding: 0 !important; }
  .jp-Cell { margin: 0 !important; }
  /* JupyterLab keeps every output whole (break-inside: avoid-page); a long text may break
     between its paragraphs. Tables, charts and the summary page are kept whole below. */
  .jp-OutputArea-child { display: block !important; break-inside: auto !important; }
  .jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
  .jp-RenderedHTMLCommon h1 { font-size: 16pt; margin: 0 0 0.4em 0; }
  .jp-RenderedHTMLCommon h2 { font-size: 13pt; margin: 0.8em 0 0.3em 0; }
  .jp-RenderedHTMLCommon h3 { font-size: 11pt; margin: 0.6em 0 0.2em 0; }
  .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { font-size: 10pt; line-height: 1.35; }
  .jp-RenderedHTMLCommon p { margin: 0 0 0.5em 0; }
  .jp-RenderedHTMLCommon ul, .jp-RenderedHTMLCommon ol { margin: 0.2em 0 0.5em 0; }
  .jp-RenderedHTMLCommon li { margin: 0 0 0.15em 0; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .jp-MarkdownCell { break-after: avoid; page-break-after: avoid; }
  p { orphans: 3; widows: 3; }
  table.kustannukset { font-size: 8pt; break-inside: avoid; page-break-inside: avoid; }
  table.kustannukset thead { display: table-header-group; }
  table.kustannukset tr { break-inside: avoid; page-break-inside: avoid; }
  table.kustannukset th, table.kustannukset td { padding: 1px 6px; }
  .jp-RenderedText pre { font-size: 8pt; }
  .jp-RenderedImage, .jp-OutputArea-output img, img { break-inside: avoid; page-break-inside: avoid; }
  img { max-width: 100% !important; max-height: 175mm !important; width: auto; height: auto;
    object-fit: contain; }
  .yhteenveto { break-after: page; page-break-after: always; break-inside: avoid; }
  .yhteenveto img { max-height: 150mm !important; }
}
"""

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*href=\"https?://[^>]*>", re.IGNORECASE)
_REMOTE_IMPORT = re.compile(r"@import\s+url\(\s*['\"]?https?://[^)]*\)\s*;?", re.IGNORECASE)


# The reports' template: nbconvert's JupyterLab template, with every chart's alternative text
# (read aloud by a screen reader in place of the picture) from its output's metadata
# (:class:`kustannukset.view.charts.Chart` puts its title there), else "Kaavio"; without it
# nbconvert gives every picture the English "No description has been provided for this image".
REPORT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block data_png scoped %}
{%- set alt = output | get_metadata('alt', 'image/png') -%}
{{ super() | replace('<img src=', '<img alt="' ~ ((alt or 'Kaavio') | escape_html) ~ '" src=') }}
{%- endblock data_png %}
"""


def report_exporter():
    """nbconvert's HTML exporter for a report (:func:`exporter_config`,
    :data:`REPORT_TEMPLATE`); nbconvert is imported when first asked for."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    return HTMLExporter(config=Config(exporter_config()), raw_template=REPORT_TEMPLATE)


def exporter_config() -> dict:
    """nbconvert's configuration for every report's HTML: no code, no prompts, and no cell tagged
    :data:`HIDDEN_TAG` (``HTMLExporter(config=Config(exporter_config()))``)."""
    return {
        "HTMLExporter": {
            "exclude_input": True,
            "exclude_input_prompt": True,
            "exclude_output_prompt": True,
        },
        "TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": [HIDDEN_TAG]},
    }


class Banner:
    """A report's title and notices (Markdown) that also tell the page header the report's status
    (ESIMERKKI, ARVIO; empty for published figures)."""

    def __init__(self, markdown: str, status: str = "") -> None:
        self.markdown = markdown
        self.status = status

    def _repr_markdown_(self):
        return self.markdown, {STATUS_KEY: self.status}

    def __repr__(self) -> str:
        return self.markdown


def report_status(nb) -> str:
    """The status a report notebook's :class:`Banner` recorded, or ""."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            # IPython files a representation's metadata under its MIME type
            for metadata in (output.get("metadata") or {}).values():
                if isinstance(metadata, dict) and metadata.get(STATUS_KEY):
                    return str(metadata[STATUS_KEY])
    return ""


def output_data(path: Path, key: str):
    """The data an executed notebook (the file ``path``) carries under ``key`` in an output's
    metadata (which no report shows), or None when none does; ``OSError`` when the file cannot be
    read, ``ValueError`` when it is no JSON."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            # IPython files a representation's metadata under its MIME type
            for metadata in (output.get("metadata") or {}).values():
                if isinstance(metadata, dict) and key in metadata:
                    return metadata[key]
    return None


def _css_string(text: str) -> str:
    return '"' + " ".join(text.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_css(title: str = "", status: str = "", made: dt.date | None = None) -> str:
    """The ``@page`` rule: A4 landscape, the title and the status at the top of every page, the
    date made and "Sivu N / M" at the bottom."""
    made = made or dt.date.today()
    box = f"font-family: {FONT}; font-size: 8pt; color: #444;"
    return (
        f"@page {{ size: A4 landscape; margin: {PAGE_MARGIN_MM}mm;\n"
        f"  @top-left {{ content: {_css_string(title)}; {box} }}\n"
        f"  @top-right {{ content: {_css_string(status)}; {box} color: #c00000; "
        "font-weight: bold; }\n"
        f"  @bottom-left {{ content: {_css_string('Laadittu ' + date(made))}; {box} }}\n"
        f'  @bottom-right {{ content: "Sivu " counter(page) " / " counter(pages); {box} }}\n'
        "}\n"
    )


def finish_report(body: str, title: str = "", status: str = "", made: dt.date | None = None) -> str:
    """The exported HTML with ``lang="fi"``, without scripts or remote fonts and stylesheets
    (require.js, MathJax and Mermaid would load from the internet; a report needs none of them),
    and with the report stylesheet last in the head, so that it wins."""
    body = _SCRIPT.sub("", body)
    body = _COMMENT.sub("", body)
    body = _REMOTE_LINK.sub("", body)
    body = _REMOTE_IMPORT.sub("", body)
    body = _HTML_TAG.sub('<html lang="fi">', body, count=1)
    style = f'<style type="text/css">{PRINT_CSS}{page_css(title, status, made)}</style>\n'
    if "</head>" in body:
        return body.replace("</head>", style + "</head>", 1)
    return style + body
