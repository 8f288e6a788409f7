"""The HTML report's finish: Finnish, offline, printable; tables with captions, notices,
non-breaking numbers and an emphasised summary row, split to the printed page's width; cells for
developers hidden; the page header and numbers; the summary page."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pandas as pd

from kustannukset.view.charts import payment_bars
from kustannukset.view.formatting import NBSP
from kustannukset.view.html import (
    HIDDEN_TAG,
    Banner,
    exporter_config,
    finish_report,
    report_status,
)
from kustannukset.view.summary import Summary
from kustannukset.view.tables import PRINT_WIDTH_PX, Table, text_width


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


# --- printed as the page


def _notebook(*cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    nb.metadata["title"] = "Raportti"
    return nb


def test_cells_for_developers_stay_out_of_the_report_and_the_status_goes_to_every_page():
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    hidden = nbformat.v4.new_markdown_cell("Tämä muistio laskee paketissa `kustannukset`.")
    hidden.metadata["tags"] = [HIDDEN_TAG]
    shown = nbformat.v4.new_code_cell("vr.banner(syotteet)")
    data, metadata = IPython_format(Banner("# Kuntien maksuosuudet 2024 (arvio)", "ARVIO"))
    shown.outputs = [nbformat.v4.new_output("display_data", data, metadata=metadata)]
    nb = _notebook(hidden, shown)
    body, _ = HTMLExporter(config=Config(exporter_config())).from_notebook_node(nb)
    assert "Tämä muistio" not in body and "Kuntien maksuosuudet 2024" in body
    assert "vr.banner" not in body  # no code
    assert report_status(nb) == "ARVIO"
    html = finish_report(body, "Kuntien maksuosuudet 2024", report_status(nb), dt.date(2025, 3, 1))
    page = html.rsplit("@page", 1)[1]
    assert '@top-left { content: "Kuntien maksuosuudet 2024"' in page
    assert '@top-right { content: "ARVIO"' in page
    assert '"Laadittu 1.3.2025"' in page
    assert 'content: "Sivu " counter(page) " / " counter(pages)' in page


def IPython_format(obj):
    from IPython.core.formatters import DisplayFormatter

    return DisplayFormatter().format(obj)


def test_text_is_measured_in_the_print_font():
    # DejaVu Sans: a digit advances 1303/2048 em; at 8 pt (32/3 px) five digits take 33.93 px
    assert abs(text_width("00000") - 5 * 1303 / 2048 * 32 / 3) < 0.1
    assert text_width("Summa", bold=True) > text_width("Summa")


def _wide(columns: int) -> Table:
    frame = pd.DataFrame(
        {
            "Kunta": ["Mänttä-Vilppula", "Akaa", "Summa"],
            **{f"Palvelu {n} €": [123456, 7, 123463] for n in range(columns)},
        }
    )
    return Table(frame, caption="Maksut", notice="ESIMERKKI – ei todellisia lukuja")


def test_a_table_wider_than_the_page_is_split_repeating_the_municipality():
    # each column: "Palvelu" (bold) or "123 456" plus 2 * 6 px padding, about 70 px; the page's
    # printable width is (297 - 20) mm = 1047 px: 30 columns cannot fit, 5 can
    assert _wide(5).parts() == [[0, 1, 2, 3, 4, 5]]
    wide = _wide(30)
    parts = wide.parts()
    assert len(parts) >= 2 and all(part[0] == 0 for part in parts)
    assert sorted({c for part in parts for c in part}) == list(range(31))  # every column
    for part in parts:
        # a column is as wide as its widest figure (the bold totals row) or its header's longest
        # word ("Mänttä-Vilppula", "123 463", "Palvelu"), plus 6 px of padding on either side
        widths = [
            max(
                *(text_width(v, bold=True) for v in wide._formatted().iloc[:, i]),
                *(text_width(w, bold=True) for w in str(wide.frame.columns[i]).split()),
            )
            + 12
            for i in part
        ]
        assert sum(widths) < PRINT_WIDTH_PX
    html = wide._repr_html_()
    assert html.count("<table") == len(parts)
    assert f"Maksut (osa 1/{len(parts)})" in html and f"(osa {len(parts)}/{len(parts)})" in html
    assert html.count("ESIMERKKI") == len(parts)  # the notice on every part
    assert html.count('class="summa"') == len(parts)  # the totals row named in every part
    assert str(wide).count("Mänttä-Vilppula") == 1  # the text for nbval is the whole table


def test_long_text_wraps_in_its_cell_and_a_hyphenated_header_stays_whole():
    services = "; ".join(f"OMA-valmennus {n} asiakasta" for n in range(12))
    frame = pd.DataFrame({"Kunta": ["Akaa"], "Tuotetut palvelut": [services], "%-osuus": ["3,1 %"]})
    html = Table(frame, {"%-osuus": str}).parts(), Table(frame, {"%-osuus": str})._repr_html_()
    assert html[0] == [[0, 1, 2]]
    assert 'class="teksti"' in html[1] and "white-space: normal" in html[1]
    assert '<span style="white-space: nowrap">%-osuus</span>' in html[1]


def test_summary_is_one_block_with_its_chart_and_unbroken_numbers():
    chart = payment_bars(
        pd.Series(["Akaa", "Tampere"]), pd.Series([11625, 172405]), title="t", xlabel="euroa"
    )
    table = Table(pd.DataFrame({"Erä": ["Yhteensä"], "€": [370841]}))
    page = Summary(["Jaetaan 370 841 €.", "Tampere maksaa 46,5 %."], [table], chart, "ARVIO")
    html = page._repr_html_()
    assert html.startswith('<section class="yhteenveto">') and "<h2" in html
    assert "Yhteenveto</h2>" in html
    assert f"370{NBSP}841{NBSP}€" in html and f"46,5{NBSP}%" in html
    assert 'src="data:image/png;base64,' in html and html.count("<table") == 1
    assert repr(page).splitlines()[:3] == ["Yhteenveto", "", "ARVIO"]
    assert "Kaavio: t" in repr(page)


def test_a_charts_title_is_its_pictures_alternative_text_in_the_report():
    import nbformat
    from matplotlib.figure import Figure

    from kustannukset.view.charts import Chart
    from kustannukset.view.html import report_exporter

    chart = Chart(lambda: Figure(figsize=(1, 1)), 'Maksut "kunnittain" & alueittain')
    cell = nbformat.v4.new_code_cell("kaavio")
    data, metadata = IPython_format(chart)
    data["image/png"] = base64.b64encode(data["image/png"]).decode("ascii")  # as a kernel sends it
    png = nbformat.v4.new_output("display_data", {"image/png": data["image/png"]})
    cell.outputs = [nbformat.v4.new_output("display_data", data, metadata=metadata), png]
    body, _ = report_exporter().from_notebook_node(_notebook(cell))
    alts = re.findall(r"""<img\b[^>]*?\balt=(["'])(.*?)\1""", body)
    # the chart's title as a browser reads it (quotes and ampersand escaped in the attribute); a
    # picture without one: "Kaavio"
    assert [html.unescape(a) for _, a in alts] == ['Maksut "kunnittain" & alueittain', "Kaavio"]
    assert "No description" not in body
