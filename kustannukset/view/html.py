"""The finishing touches of an HTML report exported by nbconvert: Finnish language, no script or
font from the internet (the report opens complete offline), and a print stylesheet (A4 landscape,
tables that keep every column, no word broken in the middle).

The render driver calls :func:`finish_report` on the exported HTML before writing it."""

from __future__ import annotations

import re

PRINT_CSS = """
/* kustannukset: raportin tulostus- ja taulukkotyylit */
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
table.kustannukset { border-collapse: collapse; margin: 0.4em 0 1.2em 0; font-size: 12px; }
table.kustannukset caption { caption-side: top; text-align: left; padding: 0 0 0.3em 0; }
table.kustannukset th { vertical-align: bottom; white-space: normal; word-break: keep-all;
  overflow-wrap: normal; hyphens: manual; padding: 2px 6px; border-bottom: 1px solid #444; }
table.kustannukset td { white-space: nowrap; padding: 1px 6px; }
table.kustannukset tr.summa td { font-weight: bold; border-top: 1px solid #444; }
.jp-RenderedText pre, .jp-OutputArea-output pre { white-space: pre-wrap; word-break: normal;
  overflow-wrap: normal; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body, .jp-Notebook { margin: 0 !important; padding: 0 !important; }
  .jp-Cell, .jp-OutputArea, .jp-OutputArea-output, .jp-RenderedHTMLCommon {
    overflow: visible !important; max-width: none !important; padding: 0 !important; }
  .jp-OutputArea-child { display: block !important; }
  .jp-OutputPrompt, .jp-InputPrompt { display: none !important; }
  table.kustannukset { font-size: 8pt; page-break-inside: auto; }
  table.kustannukset thead { display: table-header-group; }
  table.kustannukset tr { page-break-inside: avoid; }
  table.kustannukset th, table.kustannukset td { padding: 1px 3px; }
  .jp-RenderedText pre { font-size: 8pt; }
  img { max-width: 100% !important; height: auto; page-break-inside: avoid; }
}
"""

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b[^>]*href=\"https?://[^>]*>", re.IGNORECASE)
_REMOTE_IMPORT = re.compile(r"@import\s+url\(\s*['\"]?https?://[^)]*\)\s*;?", re.IGNORECASE)


def finish_report(body: str) -> str:
    """The exported HTML with ``lang="fi"``, without scripts or remote fonts and stylesheets
    (require.js, MathJax and Mermaid would load from the internet; a report needs none of them),
    and with the report stylesheet last in the head, so that it wins."""
    body = _SCRIPT.sub("", body)
    body = _COMMENT.sub("", body)
    body = _REMOTE_LINK.sub("", body)
    body = _REMOTE_IMPORT.sub("", body)
    body = _HTML_TAG.sub('<html lang="fi">', body, count=1)
    style = f'<style type="text/css">{PRINT_CSS}</style>\n'
    if "</head>" in body:
        return body.replace("</head>", style + "</head>", 1)
    return style + body
