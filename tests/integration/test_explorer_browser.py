"""The scenario explorer (notebooks/skenaarioselain.ipynb) in a real browser: JupyterLab started on
127.0.0.1 by the test, Debian's Chromium driven by Playwright. All cells run from the Run menu; an
area chosen in a dropdown and a weight slider moved with the mouse must each change the text table
and the figure, and neither a cell nor the browser console may show an error.

Skipped, with the reason and how to install, where Playwright or /usr/bin/chromium is missing.
The browser latency is measured by bench/selain.py, not here.
"""

from __future__ import annotations

import re

import pytest

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

    # A municipality moves to an area it is not in; the table puts it there.
    municipality = explorer.municipalities()[0]
    areas = explorer.areas(municipality)
    area = next(a for a in reversed(areas) if a != explorer.area(municipality))
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
