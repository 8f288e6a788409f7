"""The international services' report rendered through papermill: for one municipality and for all."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kustannukset import international as kv
from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.international.notebook import jobs
from kustannukset.render.driver import Options, all_jobs

pytestmark = pytest.mark.integration


def _job(code: str):
    chosen = [
        j
        for j in jobs([2021], DATA_DIR, Options(per_municipality=True))
        if j.parameters["kunta"] == code
    ]
    assert len(chosen) == 1
    return chosen[0]


def test_report_is_one_of_the_pipelines_jobs():
    titles = [j.title for j in all_jobs(None, DATA_DIR)]
    assert "Kansainväliset palvelut 2021: kaikki kunnat" in titles
    # no report per municipality unless asked for (the municipality cards are another notebook's)
    assert not any(
        j.parameters.get("kunta")
        for j in all_jobs(None, DATA_DIR)
        if j.notebook == "kansainvaliset.ipynb"
    )


def test_per_municipality_reports_on_request():
    # `kustannukset raportti --kunnittain`: one report for all and one for each of the 22
    kv = [
        j
        for j in all_jobs([2021], DATA_DIR, Options(per_municipality=True))
        if j.notebook == "kansainvaliset.ipynb"
    ]
    assert len(kv) == 1 + 22
    assert {j.parameters["kunta"] for j in kv} >= {"", "837", "020"}
    assert len({j.stem for j in kv}) == len(kv)  # no report overwrites another


def test_only_the_named_municipality_gets_its_own_report(reports):
    # each report in a folder of its own, replaced whole
    folder = reports / "2021" / "kansainvaliset"
    assert sorted(p.name for p in folder.iterdir()) == [
        "kansainvaliset_2021",
        "kansainvaliset_2021_837",
    ]
    assert sorted(p.name for p in (folder / "kansainvaliset_2021").iterdir()) == [
        "kansainvaliset_2021.html",
        "kansainvaliset_2021.ipynb",
        "kansainvaliset_laskut_2021.xlsx",
    ]
    assert sorted(p.name for p in (folder / "kansainvaliset_2021_837").iterdir()) == [
        "kansainvaliset_2021_837.html",
        "kansainvaliset_2021_837.ipynb",
        "kansainvaliset_laskut_2021_837.xlsx",
    ]


def test_named_municipalities_become_codes_and_an_unknown_name_is_refused():
    chosen = jobs([2021], DATA_DIR, Options(per_municipality=True, municipalities=("Akaa", "837")))
    assert [j.parameters["kunta"] for j in chosen] == ["", "020", "837"]
    with pytest.raises(InputError, match="tuntematon kunta 'Akka'"):
        jobs([2021], DATA_DIR, Options(per_municipality=True, municipalities=("Akka",)))


@pytest.mark.parametrize("code", ["", "837"])
def test_render_for_all_and_for_one(reports, code):
    tmp_path = reports
    suffix = f"_{code}" if code else ""
    folder = tmp_path / "2021" / "kansainvaliset" / f"kansainvaliset_2021{suffix}"
    html = (folder / f"kansainvaliset_2021{suffix}.html").read_text(encoding="utf-8")
    assert kv.EXAMPLE_NOTICE in html
    assert "validate_parameters" not in html
    assert ("Tampere (837)" in html) if code else ("kaikki kokeilukunnat" in html)
    wb = load_workbook(folder / f"kansainvaliset_laskut_2021{suffix}.xlsx")
    assert {"Palveluittain", "Kuntaraportti", "Ensimmäinen lasku 2022"} <= set(wb.sheetnames)
    ws = wb["Tasauslaskut"]
    assert kv.EXAMPLE_NOTICE in [c.value for c in ws["A"]]
    values = [row for row in ws.iter_rows(values_only=True)]
    header = next(r for r in values if r and r[0] == "Kuntanumero")
    col = header.index("Tasaus €")
    data = [r for r in values[values.index(header) + 1 :] if r and r[1] not in (None, "Summa")]
    if code:
        assert len(data) == 1 and data[0][0] == "837"
    else:
        total = next(r for r in values if r and r[1] == "Summa")
        assert len(data) == 22
        # actual 1 167 555,35 - project funding 25 000 - invoiced 1 046 210 = 96 345,35
        assert round(sum(r[col] for r in data) * 100) == round(total[col] * 100) == 9634535
        cell = ws.cell(row=values.index(total) + 1, column=col + 1)
        assert cell.number_format == "#,##0.00" and cell.font.bold
