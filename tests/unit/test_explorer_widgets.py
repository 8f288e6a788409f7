"""The explorer's interface without a browser: full Finnish slider labels, sliders that send their
value on release, a table and a figure in the display, and a figure updated in place."""

from __future__ import annotations

import asyncio
import io
from fractions import Fraction

import ipywidgets as w
import numpy as np
import PIL.Image
import pytest

from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios import explorer as se
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.maps import nice_ceiling


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


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [
        (1.0, 1.0),  # already a step
        (1.01, 1.2),  # 1 < 1.01 <= 1.2
        (0.37, 0.4),  # 3.7 * 0.1 lies between 3 and 4
        (2_600.0, 3_000.0),  # 2.6 * 1000 lies between 2.5 and 3
        (8_100.0, 10_000.0),  # above 8 * 1000: the next power of ten
        (0.0123, 0.015),  # 1.23 * 0.01 lies between 1.2 and 1.5
    ],
)
def test_scales_end_at_a_nice_ceiling(value, ceiling):
    assert nice_ceiling(value) == pytest.approx(ceiling)


def test_a_figure_draws_its_scales_again_only_when_they_change(explorer):
    drawing = se.ExplorerFigure(explorer)
    first = drawing.update(explorer.result())
    assert drawing.scale_draws == 1
    assert drawing.update(explorer.result()) == first  # same state: same picture, scales kept
    assert drawing.scale_draws == 1
    weights = explorer.weights.copy()
    explorer.weights = weights * 0 + 1  # every measure weighs the same: new payments
    changed = drawing.update(explorer.result())
    draws = drawing.scale_draws
    explorer.weights = weights
    # back to the first state: its scales are reused, and the picture is the first one again
    assert drawing.update(explorer.result()) == first
    assert drawing.scale_draws == draws and changed != first


def test_slider_percents_are_divided_by_their_sum_exactly(explorer):
    weights = explorer.weights
    try:
        explorer.weights = weights * 0
        explorer.weights[:3] = [5, 5, 10]  # per cents of three sliders
        key = explorer.key()
    finally:
        explorer.weights = weights
    # 5 / (5 + 5 + 10) = 1/4, 10 / 20 = 1/2
    assert [part.weight for part in key] == [Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)]


class _Value:
    def __init__(self) -> None:
        self.value = ""


def test_in_a_kernel_the_table_comes_first_and_the_figure_once_for_the_last_change(explorer):
    """In an event loop (as in a Jupyter kernel) the figure is drawn after the table is shown, and
    changes that come before it is drawn are drawn once, with the last state."""
    table, picture, status = _Value(), _Value(), _Value()
    shown = se.Display(explorer, table, picture, status)
    weights = explorer.weights.copy()

    async def changes() -> tuple[str, str, int]:
        shown.show()  # the first state
        first_table = table.value
        explorer.weights = weights * 0 + 1
        shown.show()  # a second change before the first figure is drawn
        drawn_before = (picture.value, shown.figures)
        await asyncio.sleep(se.FIGURE_DELAY + 0.05)
        return first_table, drawn_before, shown.figures

    try:
        first_table, drawn_before, figures = asyncio.run(changes())
        last = se.Display(explorer, _Value(), _Value(), _Value())
        last.show(defer=False)  # the last state drawn at once, for comparison
    finally:
        explorer.weights = weights
    assert first_table and table.value != first_table  # each change showed its table at once
    assert drawn_before == ("", 0)  # no figure until the loop runs
    assert figures == 1  # one figure for the two changes
    assert picture.value == last.picture.value  # and it is the last state's


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _full_drawing(explorer) -> np.ndarray:
    """The explorer's state drawn in full, every artist anew."""
    drawing = se.ExplorerFigure(explorer)
    drawing.update(explorer.result())  # sets the bars, colours and scales
    for artist in [*drawing.data_artists, *drawing.scale_artists]:
        artist.set_animated(False)
    drawing.canvas.draw()
    width, height = drawing.canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), drawing.canvas.buffer_rgba())
    return np.asarray(image.convert("RGB")).astype(int)


def test_figure_updated_in_place_looks_like_a_full_drawing(explorer):
    """Bars, map colours and scales drawn over a saved background give the full drawing's
    picture, also when a state's scales are reused. Allowed: the bars' antialiased edges where
    the names' tick marks (drawn under the bars here, over them in full) meet the axis line, at
    most two pixels per bar; stale tick labels would differ in thousands."""
    drawing = se.ExplorerFigure(explorer)
    weights = explorer.weights.copy()
    states = [weights, weights * 0 + np.arange(1, len(weights) + 1), weights]
    try:
        for state in states:
            explorer.weights = state
            shown = _pixels(drawing.update(explorer.result()))
            differing = int((np.abs(shown - _full_drawing(explorer)).sum(axis=2) > 0).sum())
            assert differing <= 2 * len(explorer.codes)
    finally:
        explorer.weights = weights
    assert drawing.scale_draws == 2  # the third state reused the first one's scales
