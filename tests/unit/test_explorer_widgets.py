"""The explorer without a browser: it starts from the decided areas on the default pool basis, its
readouts show the weights the key uses, its areas are named after their members, its display holds
the results beside the controls, its figure is updated in place, and it saves a scenario file that
the command line reads back to the same figures."""

from __future__ import annotations

import asyncio
import csv
import html
import io
from fractions import Fraction

import ipywidgets as w
import numpy as np
import PIL.Image
import pytest

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios import explorer as se
from kustannukset.scenarios.context import load_context
from kustannukset.scenarios.maps import nice_ceiling
from tests.conftest import run_cli

TAMPERE_AREA = "Tampereen seudun työllisyysalue"
WEST = "Läntisen Pirkanmaan työllisyysalue"


@pytest.fixture(scope="module")
def context():
    return load_context(DATA_DIR)


@pytest.fixture
def explorer(context):
    return se.Explorer.from_scenario(context)


def _all(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _all(child)


def _code(explorer, name: str) -> str:
    return explorer.codes[explorer.names.index(name)]


def _payments(explorer) -> dict[str, int]:
    return explorer.result().payments.euros


def test_starts_from_the_decided_areas_on_the_default_basis(explorer):
    assert explorer.start.code == "paatetty_2025"
    result = explorer.result()
    assert {b.name for b in result.bases} == {"kustannusmalli"}
    # nothing moved yet: every change against the decided areas is zero
    assert (result.municipalities["Muutos päätettyyn 2025 €"] == 0).all()
    # moving Valkeakoski changes payments at once: the Tampere area's pool loses Valkeakoski's
    # variable part and Valkeakoski carries a fixed part of its own
    before = _payments(explorer)
    valkeakoski = _code(explorer, "Valkeakoski")
    explorer.assignment[valkeakoski] = WEST
    after = _payments(explorer)
    assert after[valkeakoski] != before[valkeakoski]
    assert after[_code(explorer, "Akaa")] != before[_code(explorer, "Akaa")]
    assert after[_code(explorer, "Sastamala")] != before[_code(explorer, "Sastamala")]


def test_areas_are_named_after_their_members(explorer):
    titles = explorer.titles()
    assert titles[TAMPERE_AREA] == TAMPERE_AREA and titles["Uusi alue 1"] == "Uusi alue 1"
    valkeakoski, tampere = _code(explorer, "Valkeakoski"), _code(explorer, "Tampere")
    # Valkeakoski alone in a new area: named after its responsible municipality
    explorer.assignment[valkeakoski] = "Uusi alue 1"
    assert explorer.titles()["Uusi alue 1"] == "Valkeakosken alue"
    # Tampere leaves its area: the area is named after its new responsible municipality, the
    # member with the largest labour force 31.12.2021 (data/tilastot/tyovoima.csv: Nokia 16 908,
    # Ylöjärvi 16 356, Kangasala 15 904, Lempäälä 11 791 ...)
    explorer.assignment[tampere] = "Uusi alue 1"
    titles = explorer.titles()
    assert titles[TAMPERE_AREA] == "Nokian alue"
    assert titles["Uusi alue 1"] == "Tampereen alue"  # Tampere's labour force is the largest
    names = set(explorer.result().areas["Alue"])
    assert {"Nokian alue", "Tampereen alue", WEST} <= names
    assert TAMPERE_AREA not in names


def test_a_new_area_is_offered_when_every_area_has_members(explorer):
    assert not explorer.grow()  # two new areas are empty
    explorer.assignment[_code(explorer, "Valkeakoski")] = "Uusi alue 1"
    explorer.assignment[_code(explorer, "Akaa")] = "Uusi alue 2"
    assert explorer.grow() and explorer.slots[-1] == "Uusi alue 3"
    assert not explorer.grow()


def test_readouts_show_the_weights_the_key_uses(explorer):
    ui = se.widgets(explorer)
    parts = list(_all(ui))
    sliders = [p for p in parts if isinstance(p, w.IntSlider)]
    readouts = [p for p in parts if se.WEIGHT_CLASS in getattr(p, "_dom_classes", ())]
    labels = [p.value for p in parts if se.MEASURE_CLASS in getattr(p, "_dom_classes", ())]
    assert len(sliders) == len(readouts) == len(explorer.measures)
    assert all(not s.continuous_update for s in sliders)  # a drag computes once, at release
    assert all(s.max == 100 and s.step == 5 and not s.readout for s in sliders)
    # in full (wrapped, not cut), e.g. "Alueella asuva työllinen työvoima"
    assert labels == [html.escape(label) for label in explorer.measure_labels]
    # the start: population 31.12.2021 alone
    assert [r.value for r in readouts[:2]] == ["100 %", "0 %"]
    sliders[1].value = 60
    # 100 / (100 + 60) = 62,5 %, 60 / 160 = 37,5 %
    assert [r.value for r in readouts[:2]] == ["62,5 %", "37,5 %"]
    assert [r.value for r in readouts[2:]] == ["0 %"] * (len(readouts) - 2)


def test_results_sit_beside_the_controls_and_follow_a_move(explorer):
    ui = se.widgets(explorer)
    results, controls = ui.children
    assert se.DISPLAY_CLASS in results._dom_classes
    assert any(isinstance(p, w.Dropdown) for p in _all(controls))
    assert not any(isinstance(p, w.Dropdown | w.IntSlider) for p in _all(results))
    parts = {
        cls: next(p for p in _all(results) if cls in getattr(p, "_dom_classes", ()))
        for cls in (se.TABLE_CLASS, se.FIGURE_CLASS, se.LEGEND_CLASS, se.STATUS_CLASS)
    }
    table, figure, legend = (parts[se.TABLE_CLASS], parts[se.FIGURE_CLASS], parts[se.LEGEND_CLASS])
    assert table.value.startswith("<pre") and "Tampere" in table.value
    assert 'src="data:image/png;base64,' in figure.value
    assert "kustannusmalli" in parts[se.STATUS_CLASS].value
    assert TAMPERE_AREA in legend.value and "Valkeakosken alue" not in legend.value
    dropdown = next(
        p for p in _all(controls) if isinstance(p, w.Dropdown) and p.description == "Valkeakoski"
    )
    before = table.value, figure.value
    dropdown.value = "Uusi alue 1"
    assert table.value != before[0] and figure.value != before[1]
    assert "Valkeakosken alue" in legend.value and "Valkeakosken alue" in table.value
    # every dropdown offers the area by its new name, and keeps its own municipality's area
    for part in _all(controls):
        if isinstance(part, w.Dropdown):
            assert ("Valkeakosken alue", "Uusi alue 1") in part.options
            assert part.value == explorer.assignment[_code(explorer, part.description)]


def test_figure_is_updated_in_place(explorer):
    drawing = se.ExplorerFigure(explorer)
    bars, collection = drawing.bars, drawing.collection
    artists = len(drawing.figure.get_children())
    first = drawing.update(explorer.result())
    weights = explorer.weights.copy()
    explorer.weights = weights * 0 + 1 / len(weights)  # every measure weighs the same
    second = drawing.update(explorer.result())
    assert first.startswith(b"\x89PNG") and first != second
    assert drawing.bars is bars and drawing.collection is collection
    assert len(drawing.figure.get_children()) == artists
    explorer.weights = weights
    # a municipality moved to another area: its bar and its place on the map take the new
    # area's colour
    start = dict(explorer.assignment)
    explorer.assignment = {**start, _code(explorer, "Valkeakoski"): se.EXTRA_AREAS[1]}
    third = drawing.update(explorer.result())
    explorer.assignment = start
    assert third != drawing.update(explorer.result())
    # the change view colours the map by the change against the decided areas
    drawing.set_view(se.CHANGE_VIEW)
    assert drawing.update(explorer.result()) != first


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
    explorer.weights = explorer.weights * 0
    explorer.weights[:3] = [5, 5, 10]  # per cents of three sliders
    # 5 / (5 + 5 + 10) = 1/4, 10 / 20 = 1/2
    assert [part.weight for part in explorer.key()] == [
        Fraction(1, 4),
        Fraction(1, 4),
        Fraction(1, 2),
    ]


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

    first_table, drawn_before, figures = asyncio.run(changes())
    last = se.Display(explorer, _Value(), _Value(), _Value())
    last.show(defer=False)  # the last state drawn at once, for comparison
    assert first_table and table.value != first_table  # each change showed its table at once
    assert drawn_before == ("", 0)  # no figure until the loop runs
    assert figures == 1  # one figure for the two changes
    assert picture.value == last.picture.value  # and it is the last state's


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _full_drawing(explorer, view: str) -> np.ndarray:
    """The explorer's state drawn in full, every artist anew, the names drawn by matplotlib."""
    drawing = se.ExplorerFigure(explorer, view=view)
    drawing.update(explorer.result())  # sets the bars, colours and scales
    for artist in [*drawing.data_artists, *drawing.scale_artists]:
        artist.set_animated(False)
    for (x, y), code in zip(drawing.label_points, drawing.codes, strict=True):
        drawing.map_ax.text(
            x, y, explorer.name(code), fontsize=5.5, ha="center", va="center", color="#222222"
        )
    drawing.canvas.draw()
    width, height = drawing.canvas.get_width_height()
    image = PIL.Image.frombuffer("RGBA", (width, height), drawing.canvas.buffer_rgba())
    return np.asarray(image.convert("RGB")).astype(int)


@pytest.mark.parametrize("view", [se.AREAS_VIEW, se.CHANGE_VIEW])
def test_figure_updated_in_place_looks_like_a_full_drawing(explorer, view):
    """Bars, map colours and scales drawn over a saved background and the names laid over them
    give the full drawing's picture, also when a state's scales are reused. Allowed: the
    antialiased edges where the names' tick marks meet the bars and the names' edges blended in
    whole numbers, at most 2 % of the pixels differing by more than 24 in a channel; stale tick
    labels, a wrong colour or a missing name would differ in thousands of pixels."""
    drawing = se.ExplorerFigure(explorer, view=view)
    weights = explorer.weights.copy()
    states = [weights, weights * 0 + np.arange(1, len(weights) + 1), weights]
    for state in states:
        explorer.weights = state
        shown = _pixels(drawing.update(explorer.result()))
        full = _full_drawing(explorer, view)
        differing = int((np.abs(shown - full).max(axis=2) > 24).sum())
        assert differing <= 0.02 * shown.shape[0] * shown.shape[1]
    assert drawing.scale_draws == 2  # the third state reused the first one's scales


def test_save_writes_a_scenario_that_the_command_line_reads_to_the_same_figures(explorer, tmp_path):
    valkeakoski = _code(explorer, "Valkeakoski")
    explorer.assignment[valkeakoski] = WEST
    explorer.weights = explorer.weights * 0
    explorer.weights[:3] = [5, 5, 5]  # a third each: a weight no decimal holds
    yaml_path, csv_path = explorer.save(tmp_path / "omat", "Valkeakoski länteen")
    assert yaml_path == tmp_path / "omat" / "valkeakoski_lanteen.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    assert 'paino: "1/3"' in text
    assert "potti" not in text.split("alueet:")[0]  # the default basis stays the default
    shown = run_cli("skenaariot", str(yaml_path), "--csv")
    assert shown.returncode == 0, shown.stderr
    cli = {row["kuntanumero"]: row for row in csv.DictReader(io.StringIO(shown.stdout))}
    saved = {row["kuntanumero"]: row for row in csv.DictReader(io.StringIO(csv_path.read_text()))}
    expected = _payments(explorer)
    # every municipality of the three areas (16 + 6 + 8) has the sliders' figures of 2021
    assert len(expected) == len(cli) == len(saved) == 16 + 6 + 8
    assert {c: int(row["maksuosuus"]) for c, row in cli.items() if row["maksuosuus"]} == expected
    assert {c: int(r["maksuosuus"]) for c, r in saved.items() if r["maksuosuus"]} == expected
    assert cli[valkeakoski]["alue"] == WEST
    assert {row["potin_peruste"] for row in saved.values()} == {"kustannusmalli"}
    # saving again under the same name is refused, and the file stays as it was
    explorer.assignment[valkeakoski] = TAMPERE_AREA
    with pytest.raises(InputError, match="on jo olemassa"):
        explorer.save(tmp_path / "omat", "Valkeakoski länteen")
    assert yaml_path.read_text(encoding="utf-8") == text
    explorer.save(tmp_path / "omat", "Valkeakoski länteen", overwrite=True)
    assert yaml_path.read_text(encoding="utf-8") != text
    with pytest.raises(InputError, match="anna skenaariolle nimi"):
        explorer.save(tmp_path / "omat", " ?! ")
