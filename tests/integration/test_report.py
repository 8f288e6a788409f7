"""Every report rendered through papermill, as `make report` does, into a temporary folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from openpyxl import load_workbook

from kustannukset.core.jobs import Job
from kustannukset.core.paths import DATA_DIR, NOTEBOOKS_DIR
from kustannukset.render.driver import execute_notebook, render
from kustannukset.shared_costs.notebook import jobs as yearly_jobs

pytestmark = pytest.mark.integration


@pytest.fixture
def rendered(reports) -> Path:
    return reports


def test_raportti_renders_every_report_and_says_where(raportti):
    out, result = raportti
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for title in (
        "Kuntien maksuosuudet 2023",
        "Kuntien maksuosuudet 2024",
        "Kansainväliset palvelut 2021: kaikki kunnat",
        "Kansainväliset palvelut 2021: Tampere",
        "Työllisyysalueiden skenaariot 2025",
        "Kaikki lailliset työllisyysaluejaot",
        "Kuntakortti: Akaa",
        "Kuntakortti: Ylöjärvi",
    ):
        assert any(line.startswith(title + ":") for line in lines), (title, result.stdout)
    assert sorted(p.name for p in out.iterdir()) == [
        "2021",
        "2023",
        "2024",
        "aluejaot",
        "kuntakortit",
        "skenaariot",
    ]


def test_every_year_has_notebook_html_and_excel(rendered):
    for year in (2023, 2024):
        # each report in a folder of its own, replaced whole
        assert sorted(p.name for p in (rendered / str(year)).iterdir()) == [f"maksuosuudet_{year}"]
        names = sorted(p.name for p in (rendered / str(year) / f"maksuosuudet_{year}").iterdir())
        assert names == [
            f"hintataulukko_{year}.xlsx",
            f"maksuosuudet_{year}.html",
            f"maksuosuudet_{year}.ipynb",
        ]
    assert not list(rendered.rglob(".*"))  # no temporaries, set-aside versions or locks left


def test_html_has_no_code_and_shows_the_result(rendered):
    html = (rendered / "2023" / "maksuosuudet_2023" / "maksuosuudet_2023.html").read_text(
        encoding="utf-8"
    )
    assert "validate_parameters" not in html and "import" not in html.split("<body")[1][:20000]
    assert "172\u00a0405" in html  # Tampere's payment, as published (a non-breaking space)
    assert "198\u00a0436\u00a0€" in html  # Yhteensä kuntien osuus (in the summary's prose)
    assert "Tämä muistio" not in html  # the developers' introduction stays in the notebook


def test_estimate_is_labelled_in_every_output(rendered):
    html = (rendered / "2024" / "maksuosuudet_2024" / "maksuosuudet_2024.html").read_text(
        encoding="utf-8"
    )
    assert "ARVIO" in html
    wb = load_workbook(rendered / "2024" / "maksuosuudet_2024" / "hintataulukko_2024.xlsx")
    assert "ARVIO" in str(wb.active["A2"].value)
    assert "(arvio)" in str(wb.active["A1"].value)


def test_excel_is_laid_out_like_the_price_table(rendered):
    wb = load_workbook(rendered / "2023" / "maksuosuudet_2023" / "hintataulukko_2023.xlsx")
    ws = wb["Hinnat 2023"]
    cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
    by_value = {c.value: c for c in cells.values() if isinstance(c.value, str)}
    header = by_value["Maksuosuudet 2023"]
    summa_rows = [c.row for c in cells.values() if c.value == "Summa"]
    total = ws.cell(row=max(summa_rows), column=header.column)
    assert total.value == 370841 and total.number_format == "#,##0"
    tampere = next(c for c in cells.values() if c.value == "Tampere")
    assert ws.cell(row=tampere.row, column=header.column).value == 172405
    share = ws.cell(row=tampere.row, column=3)
    assert share.number_format == "0.0 %" and round(share.value, 3) == 0.465  # 244 223 / 525 320
    exact = wb["Laskut (tasasumma)"]
    values = [c.value for c in exact[exact.max_row]]
    assert values[0] == "Summa" and 370841 in values


def test_failed_render_leaves_earlier_report_untouched(tmp_path):
    out = tmp_path / "reports"
    (out / "2023" / "maksuosuudet_2023").mkdir(parents=True)
    earlier = out / "2023" / "maksuosuudet_2023" / "maksuosuudet_2023.ipynb"
    earlier.write_text("aiempi", encoding="utf-8")
    job = yearly_jobs([2023], DATA_DIR)[0]

    def broken_excel(path: Path) -> None:
        raise RuntimeError("levy täynnä")

    bad = Job(**{**job.__dict__, "excel": broken_excel})
    with pytest.raises(RuntimeError):
        render(bad, out)
    assert earlier.read_text(encoding="utf-8") == "aiempi"
    assert sorted(p.name for p in (out / "2023").iterdir()) == ["maksuosuudet_2023"]
    assert [p.name for p in (out / "2023" / "maksuosuudet_2023").iterdir()] == [earlier.name]


def _printed_in_kernel(tmp_path: Path, code: str) -> str:
    """Run one cell through papermill in the project's kernel; what it printed."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    source, output = tmp_path / "in.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nb, source)
    execute_notebook(source, output, {})
    cell = json.loads(output.read_text(encoding="utf-8"))["cells"][0]
    return "".join(cell["outputs"][0]["text"]).strip()


def test_kernel_is_the_projects_own_python(tmp_path):
    printed = _printed_in_kernel(tmp_path, "import sys\nprint(sys.executable)")
    assert Path(printed).resolve() == Path(sys.executable).resolve()


def test_kernel_starts_in_notebooks_and_the_process_keeps_its_directory(tmp_path):
    before = Path.cwd()
    printed = _printed_in_kernel(tmp_path, "import os\nprint(os.getcwd())")
    assert Path(printed) == NOTEBOOKS_DIR
    assert Path.cwd() == before  # safe with reports rendered side by side in threads
