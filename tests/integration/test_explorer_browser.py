"""The scenario explorer (notebooks/skenaarioselain.ipynb) in a real browser: JupyterLab started on
127.0.0.1 by the test, Debian's Chromium driven by Playwright. All cells run from the Run menu; an
area chosen in a dropdown and a weight slider moved with the mouse must each change the text table
and the figure, and neither a cell nor the browser console may show an error. Valkeakoski moved
to a new area changes the payments, the legend and the areas' names; the state saved with
Tallenna is read back by ``kustannukset skenaariot`` to the same payments.

Skipped, with the reason and how to install, where Playwright or /usr/bin/chromium is missing.
The browser latency is measured by bench/selain.py, not here.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys

import pytest

from kustannukset.core.paths import PROJECT_ROOT
from kustannukset.view.formatting import euros
from tests.jupyterlab_selain import (
    EXPLORER,
    ExplorerWidgets,
    NotebookPage,
    chromium,
    jupyterlab,
    missing,
)

REASON = missing()
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
]


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of the explorer notebook; stopped with its kernels at the end."""
    with jupyterlab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("chromium")) as chromium_browser:
        yield chromium_browser


def _row(table: str, municipality: str, area: str) -> str | None:
    """The table line that puts ``municipality`` in ``area``, if any."""
    name = re.compile(rf"(?<!\w){re.escape(municipality)}(?!\w)")
    return next((line for line in table.splitlines() if area in line and name.search(line)), None)


def test_area_and_weight_changes_redraw_table_and_figure_without_errors(lab, browser):
    notebook = NotebookPage(browser, lab, EXPLORER)
    notebook.run_all()
    explorer = ExplorerWidgets(notebook.page)
    explorer.wait_until_drawn()
    assert notebook.error_outputs() == [], "a cell shows an error after Run All"
    table, figure = explorer.table(), explorer.figure()
    assert table.strip(), "no text table"
    assert figure.startswith("data:image/png"), "no figure"

    # A municipality moves to an area it is not in (another starting area: its name stays); the
    # table puts it there.
    municipality = explorer.municipalities()[0]
    areas = explorer.areas(municipality)
    area = next(a for a in areas[:3] if a != explorer.area(municipality))
    assert _row(table, municipality, area) is None
    explorer.choose_area(municipality, area)
    after_area = explorer.wait_for_update(table, figure)
    assert after_area[0] != table, f"the table did not change when {municipality} moved to {area}"
    assert _row(after_area[0], municipality, area), (
        f"the table does not show {municipality} in {area}"
    )
    assert after_area[1] != figure, f"the figure did not change when {municipality} moved to {area}"

    # The lightest weight moves to 60 % of its slider: the normalised weights change.
    values = explorer.slider_values()
    index = values.index(min(values))
    explorer.drag_slider(index, 0.6)
    assert explorer.slider_values()[index] > values[index], "the slider did not move"
    after_weight = explorer.wait_for_update(*after_area)
    assert after_weight[0] != after_area[0], "the table did not change when a weight moved"
    assert after_weight[1] != after_area[1], "the figure did not change when a weight moved"

    notebook.wait_until_idle()
    assert notebook.error_outputs() == [], "a cell shows an error after the changes"
    assert notebook.console_errors == [], "the browser console shows errors"
    assert browser.refused == [], "the page tried to reach beyond 127.0.0.1"


def _payment(table: str, municipality: str) -> str:
    """The table line of ``municipality`` among the payments (the second table)."""
    payments = table.split("\n\n", 1)[1]
    name = re.compile(rf"\s{re.escape(municipality)}\s")
    return next(line for line in payments.splitlines() if name.search(line))


def test_valkeakoski_moved_changes_payments_legend_and_names_and_saves(lab, browser):
    notebook = NotebookPage(browser, lab, EXPLORER)
    notebook.run_all()
    explorer = ExplorerWidgets(notebook.page)
    explorer.wait_until_drawn()
    assert notebook.error_outputs() == [], "a cell shows an error after Run All"
    table, figure, legend = explorer.table(), explorer.figure(), explorer.legend()
    # the start: the decided areas of 2025 on the default basis
    assert "Tampereen seudun työllisyysalue" in legend and "Valkeakosken alue" not in legend
    assert explorer.area("Valkeakoski") == "Tampereen seudun työllisyysalue"
    before = {name: _payment(table, name) for name in ("Valkeakoski", "Akaa")}

    explorer.choose_area("Valkeakoski", "Uusi alue 1")
    table, figure = explorer.wait_for_update(table, figure)
    notebook.wait_until_idle()
    legend = explorer.legend()
    # the payments change at once: Valkeakoski's own, and Akaa's in the area it left
    for name, line in before.items():
        assert _payment(table, name) != line, f"{name}'s payment did not change"
    # the new area is named after its responsible municipality, in the legend, the table and
    # every dropdown; an empty new area is still offered
    assert "Valkeakosken alue" in legend and "Valkeakosken alue" in table
    assert explorer.area("Valkeakoski") == "Valkeakosken alue"
    assert "Valkeakosken alue" in explorer.areas("Akaa") and "Uusi alue 2" in explorer.areas("Akaa")

    said = explorer.save("Valkeakoski omana alueenaan")
    assert "Tallennettu" in said, said
    saved = lab.root / "omat" / "valkeakoski_omana_alueenaan.yaml"
    assert saved.is_file() and saved.with_suffix(".csv").is_file()
    # the command line reads the file back to the payments the explorer shows
    run = subprocess.run(
        [sys.executable, "-m", "kustannukset", "skenaariot", str(saved), "--csv"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert {r["alue"] for r in rows if r["kunta"] == "Valkeakoski"} == {"Valkeakosken alue"}
    for row in rows:
        assert euros(int(row["maksuosuus"])) in _payment(table, row["kunta"]), row["kunta"]
    saved_rows = list(csv.DictReader(io.StringIO(saved.with_suffix(".csv").read_text("utf-8"))))
    assert {r["kuntanumero"]: r["maksuosuus"] for r in saved_rows} == {
        r["kuntanumero"]: r["maksuosuus"] for r in rows
    }
    # saving again under the same name is refused, the file kept
    text = saved.read_text(encoding="utf-8")
    assert "on jo olemassa" in explorer.save("Valkeakoski omana alueenaan")
    assert saved.read_text(encoding="utf-8") == text
    notebook.wait_until_idle()
    assert notebook.error_outputs() == [], "a cell shows an error after the changes"
    assert notebook.console_errors == [], "the browser console shows errors"
    assert browser.refused == [], "the page tried to reach beyond 127.0.0.1"
