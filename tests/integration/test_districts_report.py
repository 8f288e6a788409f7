"""The partitions report: papermill renders it with maps and charts into reports/aluejaot/
(notebook, HTML without code, Excel), labelled as example and estimate."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kustannukset.core.paths import DATA_DIR
from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.render.driver import all_jobs
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.engine import evaluate
from kustannukset.view.excel import MISSING, PLAN_KEY, WorkbookPlan
from kustannukset.view.html import output_data

pytestmark = pytest.mark.integration


@pytest.fixture
def rendered(reports) -> Path:
    return reports / "aluejaot"


def test_partitions_report_is_one_of_all_reports_but_not_of_a_single_year():
    assert "aluejaot.ipynb" in [job.notebook for job in all_jobs(None, DATA_DIR)]
    assert "aluejaot.ipynb" not in [job.notebook for job in all_jobs([2023], DATA_DIR)]


def test_notebook_html_and_excel(rendered):
    names = sorted(p.name for p in rendered.iterdir())
    assert names == ["aluejaot.html", "aluejaot.ipynb", "aluejaot.xlsx"]


def test_html_shows_counts_maps_charts_and_labels(rendered):
    html = (rendered / "aluejaot.html").read_text(encoding="utf-8")
    assert "ar.validate_parameters" not in html  # no code
    assert "Laillisia aluejakoja" in html and "Persentiili" in html
    assert "ESIMERKKI" in html and "ARVIO" in html
    # the count chart, the minimal-area maps, the distribution chart
    assert html.count("data:image/png;base64") >= 3
    assert "Maanmittauslaitos" in html


def test_excel_has_counts_municipalities_top_and_minimal_areas(rendered):
    wb = load_workbook(rendered / "aluejaot.xlsx")
    assert wb.sheetnames == [
        "Jakojen määrä",
        "Kunnat, työvoima",
        "Kärkijaot, työvoima",
        "Kunnat, työttömät",
        "Kärkijaot, työttömät",
        "Pienimmät alueet",
        "Huomiot",
    ]
    assert "ESIMERKKI" in wb["Jakojen määrä"]["A2"].value  # under the sheet's title
    counts = [
        (r[0].value, r[1].value) for r in wb["Jakojen määrä"].iter_rows(min_row=5) if r[0].value
    ]
    assert [a for a, _ in counts] == sorted(a for a, _ in counts)
    # Valkeakoski (labour force 9 009) with Kangasala (15 904): 24 913, one of its minimal areas.
    minimal = [[c.value for c in r] for r in wb["Pienimmät alueet"].iter_rows(min_row=2)]
    assert ["Valkeakoski", 1, 2, 24913, "Kangasala", "Valkeakoski, Kangasala"] in minimal
    header = [c.value for c in wb["Kunnat, työvoima"][4]]
    assert header[:7] == [
        "Kunta",
        "Kuntanumero",
        "Pienin €",
        "Alakvartiili €",
        "Mediaani €",
        "Yläkvartiili €",
        "Suurin €",
    ]
    assert "Persentiili %" in header


def test_the_workbook_holds_the_figures_the_notebook_planned(rendered):
    # the render process writes the workbook from the plan in the executed notebook's summary
    # page, so the workbook and the report come from one computation
    plan = WorkbookPlan.from_data(output_data(rendered / "aluejaot.ipynb", PLAN_KEY))
    wb = load_workbook(rendered / "aluejaot.xlsx")
    assert wb.sheetnames == [sheet["name"] for sheet in plan.sheets]
    (table,) = [item for item in plan.sheets[1]["items"] if "rows" in item]
    ws = wb["Kunnat, työvoima"]
    assert [c.value for c in ws[4]] == table["columns"]
    for planned, row in zip(table["rows"], ws.iter_rows(min_row=5), strict=False):
        for value, cell in zip(planned, row, strict=True):
            if value is None:
                assert cell.value == MISSING
            elif isinstance(value, float):  # to its format's precision: euros or cents
                cents = cell.number_format.endswith(".00")
                assert cell.value == pytest.approx(value, abs=0.005 if cents else 0.5)
            else:
                assert cell.value == value


def test_export_round_trip(tmp_path):
    # the first legal partition of the real region, written as a scenario, read and evaluated
    context = load_context()
    region = districts.load_region(context)
    basis = districts.load_basis(region)
    space = region.space()
    blocks = summaries.partition_at(space, 0)
    path = tmp_path / "jako.yaml"
    districts.write_scenario(path, districts.scenario_text(region, blocks, basis, "Jako 1", "x"))
    scenario = context.scenario(path)
    assert {frozenset(a.members) for a in scenario.areas} == set(blocks)
    assert space.is_legal([a.members for a in scenario.areas])
    assert summaries.position_of(space, [a.members for a in scenario.areas]) == 0
    result = evaluate(context, scenario, with_funding=False)
    assert set(result.areas["20 000 -sääntö"]) == {"täyttyy"}
    assert set(result.areas["Yhtenäinen"]) == {"kyllä"}


def test_html_has_the_national_page(rendered):
    html = (rendered / "aluejaot.html").read_text(encoding="utf-8")
    assert "Koko Suomi: päätetyt työllisyysalueet" in html
    # the regions' table and the lists below it, on the 2025 division
    assert "Laillisia jakoja" in html and "Yksin riittäviä" in html
    assert "Varsinais-Suomi" in html and "19 933 276" in html.replace("\xa0", " ")
    assert "Pertunmaa on osa Mäntyharjua" in html
    # the map with its legend beside the other figures
    assert html.count("data:image/png;base64") >= 4
