"""The explorer's interface without a browser: full Finnish slider labels, sliders that send their
value on release, a table and a figure in the display, and a figure updated in place."""

from __future__ import annotations

import ipywidgets as w
import pytest

from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios import explorer as se
from kustannukset.scenarios.context import load_context


@pytest.fixture(scope="module")
def explorer():
    return se.Explorer.from_scenario(load_context(DATA_DIR), "elokuu_2023")


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def test_sliders_have_full_labels_whole_percents_and_send_on_release(explorer):
    ui = se.widgets(explorer)
    parts = list(_all(ui))
    sliders = [p for p in parts if isinstance(p, w.IntSlider)]
    labels = [p.value for p in parts if isinstance(p, w.Label)]
    assert len(sliders) == len(explorer.measures)
    assert all(not s.continuous_update for s in sliders)  # a drag computes once, at release
    assert all(s.max == 100 and s.step == 5 for s in sliders)  # per cent: no "1.00" readouts
    for label in explorer.measure_labels:
        assert f"{label}, paino %" in labels  # in full, e.g. "Alueella asuva työllinen työvoima"


def test_display_holds_the_table_and_the_figure(explorer):
    ui = se.widgets(explorer)
    display = next(p for p in _all(ui) if se.DISPLAY_CLASS in p._dom_classes)
    table, figure = display.children
    assert se.TABLE_CLASS in table._dom_classes and table.value.startswith("<pre>")
    assert "Tampere" in table.value
    assert se.FIGURE_CLASS in figure._dom_classes
    assert 'src="data:image/png;base64,' in figure.value
    # the second measure gets weight beside the first: the payments inside each area move
    slider = [p for p in _all(ui) if isinstance(p, w.IntSlider)][1]
    before = table.value, figure.value
    slider.value = 50
    assert table.value != before[0] and figure.value != before[1]


def test_figure_is_updated_in_place(explorer):
    drawing = se.ExplorerFigure(explorer)
    bars, collection = list(drawing.bars), drawing.map.collection
    artists = len(drawing.figure.get_children())
    first = drawing.update(explorer.result())
    weights = explorer.weights.copy()
    explorer.weights = weights * 0 + 1 / len(weights)  # every measure weighs the same
    second = drawing.update(explorer.result())
    assert first.startswith(b"\x89PNG") and first != second
    assert list(drawing.bars) == bars and drawing.map.collection is collection
    assert len(drawing.figure.get_children()) == artists
    explorer.weights = weights
    # a municipality moved to another area: same payments (the pot is per inhabitant), but its
    # bar takes the new area's colour
    start = dict(explorer.assignment)
    explorer.assignment = {**start, explorer.codes[0]: se.EXTRA_AREAS[1]}
    third = drawing.update(explorer.result())
    explorer.assignment = start
    assert third != drawing.update(explorer.result())
