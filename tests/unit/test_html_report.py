"""The HTML report's finish: Finnish, offline, printable; tables with captions, notices,
non-breaking numbers and an emphasised summary row."""

from __future__ import annotations

import re

import pandas as pd

from kustannukset.view.formatting import NBSP
from kustannukset.view.html import finish_report
from kustannukset.view.tables import Table


def _table() -> Table:
    frame = pd.DataFrame({"Kunta": ["Mänttä-Vilppula", "Summa"], "Maksuosuus €": [252810, 252810]})
    return Table(frame, caption="Maksuosuudet 2023", notice="ESIMERKKI – ei todellisia lukuja")


def _exported() -> str:
    # Imported here: nbconvert takes half a second, paid only by the test process that runs these.
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("t")
    table = _table()
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            {"text/html": table._repr_html_(), "text/plain": str(table)},
            execution_count=1,
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Raportti"), cell]
    nb.metadata["title"] = "Raportti"
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    return exporter.from_notebook_node(nb)[0]


def test_report_is_finnish_and_opens_offline():
    raw = _exported()
    assert "<script" in raw and 'lang="en"' in raw  # what nbconvert gives on its own
    html = finish_report(raw)
    assert '<html lang="fi">' in html
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"https?://", html)
    assert "require.js" not in html and "mathjax" not in html.lower()


def test_print_stylesheet_is_a4_landscape_and_keeps_words_whole():
    html = finish_report(_exported())
    assert "@page { size: A4 landscape" in html
    style = html.rsplit("<style", 1)[1]  # the report's own stylesheet comes last
    assert "white-space: nowrap" in style and "word-break: keep-all" in style


def test_table_has_caption_notice_nbsp_numbers_and_bold_total():
    html = _table()._repr_html_()
    assert "<caption" in html and "Maksuosuudet 2023" in html and "ESIMERKKI" in html
    assert f"252{NBSP}810" in html  # 252 810 never splits across two lines
    assert "white-space: nowrap" in html  # nor does "Mänttä-Vilppula"
    total = next(line for line in html.splitlines() if "Summa" in line)
    assert 'class="summa"' in total
    text = str(_table())
    assert text.splitlines()[:2] == ["Maksuosuudet 2023", "ESIMERKKI – ei todellisia lukuja"]
