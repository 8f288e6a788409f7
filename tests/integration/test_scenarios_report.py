"""The scenario comparison report: papermill renders it with maps and sensitivity into
reports/skenaariot/ (notebook, HTML without code, Excel), labelled as example and estimate."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kustannukset.core.paths import DATA_DIR
from kustannukset.render.driver import all_jobs
from kustannukset.scenarios import notebook as sn
from tests.conftest import run_cli

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
    assert "A2 –" not in html and "B2 –" not in html  # merged into A and B
    assert "Potin peruste:" in html and "kustannusmalli" in html  # the basis of the figures
    assert "poikkeus haettu" in html and "täyttyy" in html
    assert "johdettu arvio" in html  # which figures the 20 000 judgement used
    assert "ESIMERKKI" in html and "ARVIO" in html
    assert "Todellisuustarkistus: Virrat" in html and "782 790" in html
    assert html.count("data:image/png;base64") >= 3  # area maps, change maps, sensitivity
    assert "Lähde: Maanmittauslaitos" in html or "kuntarajat" in html


def test_excel_has_rules_payments_funding_net_and_labels(rendered):
    wb = load_workbook(rendered / "skenaariot.xlsx")
    assert wb.sheetnames[:5] == [
        "Alueet",
        "Maksuosuudet",
        "Valtionosuusarvio",
        "Netto",
        "Muutos päätettyyn 2025",
    ]
    notice = wb["Alueet"]["A2"].value
    assert "ESIMERKKI" in notice and "ARVIO" in notice
    assert "potin perusteella 'kustannusmalli'" in notice  # which basis every figure uses
    assert "Muutokset kokeiluun" not in wb.sheetnames  # no 2025 payment less a 2023 one

    def header_row(ws, first: str) -> int:
        return next(r[0].row for r in ws.iter_rows() if r[0].value == first)

    ws = wb["Maksuosuudet"]
    top = header_row(ws, "Kunta")
    header = [c.value for c in ws[top]]
    assert header[0] == "Kunta" and len(header) == 8  # seven scenarios
    decided = header.index("C – Päätetyt alueet 2025")

    def column(sheet: str) -> dict[str, int | None]:
        ws = wb[sheet]
        first = header_row(ws, "Kunta")
        return {
            r[0].value: (r[decided].value if isinstance(r[decided].value, int) else None)
            for r in ws.iter_rows(min_row=first + 1)
            if r[0].value
        }

    pay, funding, net = column("Maksuosuudet"), column("Valtionosuusarvio"), column("Netto")
    for name, value in pay.items():
        if value is not None and funding.get(name) is not None:
            assert net[name] == funding[name] - value
    # the second view: the decided areas' pool is their funding estimate, so their nets add up
    # to nothing (three areas, each rounded once: ±1 € each)
    second = column("Netto, valtionosuus")
    assert abs(sum(v for v in second.values() if v is not None)) <= 3
    per_scenario = next(
        wb[n]
        for n in wb.sheetnames
        if str(wb[n]["A1"].value).startswith("C – Päätetyt alueet 2025")
    )
    status = [c.value for c in per_scenario[header_row(per_scenario, "Alue")]]
    assert "Maksuosuuden tila" in status and "Valtionosuuden tila" in status
    reality = wb["Todellisuustarkistus"]
    assert header_row(reality, "Jakoperuste")


def test_the_first_pages_figures_are_the_command_lines():
    """Yhteenveto's totals and gains and losses, against the rows of `kustannukset skenaariot
    --csv` added up and compared here."""
    result = run_cli("skenaariot", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    comparison = sn.validate_parameters(sn.DEFAULT_SCENARIOS)
    found = sn.summary_answer(comparison)

    decided = [r for r in rows if r["skenaario"] == "paatetty_2025"]
    areas = list(dict.fromkeys(r["alue"] for r in decided))
    expected = [
        (
            area,
            sum(int(r["maksuosuus"]) for r in decided if r["alue"] == area),
            sum(int(r["valtionosuus"]) for r in decided if r["alue"] == area),
            sum(int(r["netto"]) for r in decided if r["alue"] == area),
        )
        for area in areas
    ]
    shown = [(t.area, t.payment, t.funding, t.net) for t in found.totals]
    assert shown[:-1] == expected
    assert shown[-1] == (
        "Yhteensä",
        sum(e[1] for e in expected),
        sum(e[2] for e in expected),
        sum(e[3] for e in expected),
    )
    # the Tampere region's pool is its municipalities' reported payments 2025
    # (data/parametrit/alueiden_kustannukset.yaml, talousarviot tampere_2025: 70 900 000 €)
    assert shown[0][:2] == ("Tampereen seudun työllisyysalue", 70_900_000)

    for swing in found.swings:
        mine = [
            (int(r["muutos_paatettyyn_2025"]), r["kunta"])
            for r in rows
            if r["vaihtoehto"] == swing.alternative and r["muutos_paatettyyn_2025"]
        ]
        lowest, highest = min(c for c, _ in mine), max(c for c, _ in mine)
        assert swing.gain.change == lowest
        assert (lowest, swing.gain.municipality) in mine
        assert swing.loss.change == highest
        assert (highest, swing.loss.municipality) in mine
    assert [s.alternative for s in found.swings] == ["C2", "C3", "C5", "C6", "B", "A"]
    assert [s.same_areas for s in found.swings] == [True, True, True, True, False, False]
