"""The international services' report rendered through papermill: for one municipality and for all."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from kustannukset import international as kv
from kustannukset.international_report import jobs
from kustannukset.paths import DATA_DIR
from kustannukset.report import Options, all_jobs, render

pytestmark = pytest.mark.integration


def _job(code: str):
    chosen = [
        j for j in jobs([2021], DATA_DIR, per_municipality=True) if j.parameters["kunta"] == code
    ]
    assert len(chosen) == 1
    return chosen[0]


def test_report_is_one_of_the_pipelines_jobs():
    titles = [j.title for j in all_jobs(None, DATA_DIR)]
    assert "Kansainväliset palvelut 2021: kaikki kunnat" in titles
    assert not any(j.parameters.get("kunta") for j in all_jobs(None, DATA_DIR))


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


@pytest.mark.parametrize("code", ["", "837"])
def test_render_for_all_and_for_one(tmp_path, code):
    written = render(_job(code), tmp_path)
    suffix = f"_{code}" if code else ""
    assert sorted(p.name for p in written) == sorted(
        [
            f"kansainvaliset_2021{suffix}.ipynb",
            f"kansainvaliset_2021{suffix}.html",
            f"kansainvaliset_laskut_2021{suffix}.xlsx",
        ]
    )
    assert all(p.parent == tmp_path / "2021" / "kansainvaliset" for p in written)
    html = (tmp_path / "2021" / "kansainvaliset" / f"kansainvaliset_2021{suffix}.html").read_text(
        encoding="utf-8"
    )
    assert kv.EXAMPLE_NOTICE in html
    assert "validate_parameters" not in html
    assert ("Tampere (837)" in html) if code else ("kaikki kokeilukunnat" in html)
    wb = load_workbook(
        tmp_path / "2021" / "kansainvaliset" / f"kansainvaliset_laskut_2021{suffix}.xlsx"
    )
    ws = wb["Tasauslaskut"]
    assert kv.EXAMPLE_NOTICE in [c.value for c in ws["A"]]
    values = [row for row in ws.iter_rows(values_only=True)]
    header = next(r for r in values if r and r[0] == "Kuntanumero")
    col = header.index("Tasaus")
    data = [r for r in values[values.index(header) + 1 :] if r and r[1] not in (None, "Summa")]
    if code:
        assert len(data) == 1 and data[0][0] == "837"
    else:
        total = next(r for r in values if r and r[1] == "Summa")
        assert len(data) == 22
        assert round(sum(r[col] for r in data) * 100) == round(total[col] * 100) == 12134535
        cell = ws.cell(row=values.index(total) + 1, column=col + 1)
        assert cell.number_format == "#,##0.00" and cell.font.bold
