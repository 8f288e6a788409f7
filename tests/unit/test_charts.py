"""Chart scales: tick labels that follow the data's magnitude in Finnish, colour maps centred on
zero with a neutral band, readable heat-map labels."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from kustannukset.view import charts
from kustannukset.view.formatting import MINUS, NBSP, axis_number


def test_tick_decimals_follow_the_spacing():
    assert charts.tick_decimals([0, 25000, 50000, 175000]) == 0
    assert charts.tick_decimals([0.0, 0.2, 0.4, 0.6]) == 1
    assert charts.tick_decimals([0.0, 0.25, 0.5, 0.75]) == 2
    assert charts.tick_decimals([-2, -1, 0, 1, 2]) == 0


def test_axis_labels_use_the_minus_sign_and_non_breaking_thousands():
    assert axis_number(175000) == f"175{NBSP}000"
    assert axis_number(-1.5, 1) == f"{MINUS}1,5"
    assert axis_number(-0.0001, 0) == "0"  # never "−0"
    assert axis_number(-6000) == f"{MINUS}6{NBSP}000"


def test_per_inhabitant_axis_shows_decimals():
    names = pd.Series(["Akaa", "Tampere"])
    values = pd.Series([0.71, 0.42])
    chart = charts.payment_bars(names, values, title="t", xlabel="€/asukas", decimals=2)
    chart.png()  # draws, so the ticks are placed
    labels = [t.get_text() for t in chart.figure.axes[0].get_xticklabels()]
    # ticks at 0, 0.1, ..., 0.8: one decimal each, and all different (not "0 0 0 1 1")
    assert len(set(labels)) == len(labels) and "0,2" in labels


def test_differences_under_half_the_unit_are_neutral_and_the_scale_is_symmetric():
    values = [0.004, -0.004, 0.3, -0.1]
    norm = charts.diverging_norm(values, unit=0.01)
    assert norm.vmin == -0.3 and norm.vmax == 0.3
    colours = charts.diverging_colours(values, plt.get_cmap("RdBu_r"), norm, unit=0.01)
    neutral = plt.matplotlib.colors.to_rgba(charts.NEUTRAL)
    assert tuple(colours[0]) == neutral and tuple(colours[1]) == neutral
    assert tuple(colours[2]) != neutral
    # only noise or one unit: the scale is ten units wide either way, not a flat dark colour
    tiny = charts.diverging_norm([1e-12, -0.01], unit=0.01)
    assert tiny.vmax == 0.1 and tiny.vmin == -0.1


def test_text_colour_contrasts_with_the_cell():
    assert charts.text_colour("#67001f") == "white"  # dark red
    assert charts.text_colour("#f2f2f2") == "black"
    assert charts.text_colour("#053061") == "white"  # dark blue


def test_example_notice_is_on_the_chart():
    chart = charts.payment_bars(
        pd.Series(["Akaa"]), pd.Series([1.0]), title="t", xlabel="x", notice="ESIMERKKI"
    )
    assert "ESIMERKKI" in [t.get_text() for t in chart.figure.texts]


def _bars(title: str = "Tasaus 2021 kunnittain"):
    names = pd.Series(["Akaa", "Tampere", "Orivesi"])
    values = pd.Series([1.5, -2.25, 300.0])
    return charts.payment_bars(names, values, title=title, xlabel="euroa", decimals=2)


def test_a_repeated_chart_is_drawn_once():
    first = _bars().png()
    again = _bars()
    assert again.png() == first
    assert again._figure is None  # the PNG came from the first chart; no figure was made
    assert _bars("Tasaus 2022 kunnittain").png() != first  # another title is another picture


def test_a_chart_is_drawn_again_under_other_settings_or_when_its_figure_is_changed():
    first = _bars().png()
    with matplotlib.rc_context({"font.size": 14}):
        assert _bars().png() != first
    changed = _bars()
    changed.figure.text(0.5, 0.5, "LISÄYS")
    assert changed.png() != first


def test_a_chart_whose_key_cannot_be_hashed_is_drawn_on_its_own():
    chart = _bars()
    chart.key = ("lista", [1, 2])  # a list cannot be a key: no shared PNG, no error
    assert chart.png().startswith(b"\x89PNG")
    assert chart._figure is not None  # drawn from its own figure
