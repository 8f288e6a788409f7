"""The scenario comparison report: papermill renders it with maps and sensitivity into
reports/skenaariot/ (notebook, HTML without code, Excel), labelled as example and estimate."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kustannukset.core.paths import DATA_DIR
from kustannukset.render.driver import all_jobs

pytestmark = pytest.mark.integration


@pytest.fixture
def rendered(reports) -> Path:
    return reports / "skenaariot"


def test_scenario_report_is_one_of_all_reports_but_not_of_a_single_year():
    assert "skenaariot.ipynb" in [job.notebook for job in all_jobs(None, DATA_DIR)]
    assert "skenaariot.ipynb" not in [job.notebook for job in all_jobs([2023], DATA_DIR)]


def test_notebook_html_and_excel(rendered):
    names = sorted(p.name for p in rendered.iterdir())
    assert names == ["skenaariot.html", "skenaariot.ipynb", "skenaariot.xlsx"]


def test_html_shows_the_alternatives_rules_maps_and_labels(rendered):
    html = (rendered / "skenaariot.html").read_text(encoding="utf-8")
    assert "sn.validate_parameters" not in html  # no code
    for name in ["A – Koko Pirkanmaa", "B – Jako elokuussa 2023", "C – Päätetyt alueet 2025"]:
        assert name in html
    assert "poikkeus haettu" in html and "täyttyy" in html
    assert "johdettu arvio" in html  # which figures the 20 000 judgement used
    assert "ESIMERKKI" in html
    assert html.count("data:image/png;base64") >= 3  # area maps, change maps, sensitivity
    assert "Lähde: Maanmittauslaitos" in html or "kuntarajat" in html


def test_excel_has_rules_payments_and_labels(rendered):
    wb = load_workbook(rendered / "skenaariot.xlsx")
    assert wb.sheetnames[:3] == ["Alueet", "Maksuosuudet", "Muutokset"]
    assert "ESIMERKKI" in wb["Alueet"]["A2"].value
    ws = wb["Maksuosuudet"]
    header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Kunta")
    header = [c.value for c in ws[header_row]]
    assert header[0] == "Kunta" and len(header) == 4
    rows = {r[0].value: r for r in ws.iter_rows(min_row=header_row + 1)}
    # one area for all 23: the 2023 cost per inhabitant times the 23's population 2021
    # (525 320 + Kuhmoinen 2 158 = 527 478), and the area's payments rounded once, together:
    # (147 477.33 + 92 971.71 + 49 695.75 + 80 696.07) = 370 840.86;
    # 370 840.86 * 527 478 / 525 320 = 372 364.26 -> 372 364 (not 148 083 + 93 354 + 49 900 +
    # 81 028 = 372 365, which rounding each service on its own would bill)
    assert sum(r[1].value for r in rows.values() if isinstance(r[1].value, int)) == 372364
