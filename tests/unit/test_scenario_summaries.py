"""The scenario report's first page (kustannukset.scenarios.summaries): the decided areas' totals
and each alternative's biggest gain and loss, worked out by hand on small frames shaped like the
comparison's long frame (``kustannukset skenaariot --csv``)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from kustannukset.scenarios import notebook as sn
from kustannukset.scenarios.summaries import (
    AreaTotal,
    Move,
    answer,
    area_totals,
    extremes,
    sentences,
    shared_geographies,
    swings,
)

COLUMNS = [
    "Vaihtoehto",
    "Skenaario (tiedosto)",
    "Alue",
    "Kunta",
    "Kuntanumero",
    "Maksuosuus €",
    "Valtionosuus, arvio €",
    "Netto €",
    "Muutos päätettyyn 2025 €",
]


def _frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in COLUMNS[5:]:
        frame[column] = frame[column].astype("Int64")
    return frame


# The decided areas (C): Pohjoinen = Aa + Bee, Etelä = Cee. Funding is the municipality's own
# and the same in every alternative; net = funding − payment; change = payment − C's payment.
# C2: the same areas, another key: Aa pays 100 less, Bee 100 more, Cee the same.
# B: one area of all three: Aa 30 more, Bee 50 less, Cee 20 more.
FRAME = _frame(
    [
        ["C", "paatetty", "Pohjoinen", "Aa", "001", 1_000, 700, -300, 0],
        ["C", "paatetty", "Pohjoinen", "Bee", "002", 500, 600, 100, 0],
        ["C", "paatetty", "Etelä", "Cee", "003", 250, 200, -50, 0],
        ["C2", "paatetty_c2", "Pohjoinen", "Aa", "001", 900, 700, -200, -100],
        ["C2", "paatetty_c2", "Pohjoinen", "Bee", "002", 600, 600, 0, 100],
        ["C2", "paatetty_c2", "Etelä", "Cee", "003", 250, 200, -50, 0],
        ["B", "elokuu", "Kaikki", "Aa", "001", 1_030, 700, -330, 30],
        ["B", "elokuu", "Kaikki", "Bee", "002", 450, 600, 150, -50],
        ["B", "elokuu", "Kaikki", "Cee", "003", 270, 200, -70, 20],
    ]
)


def test_decided_areas_totals_per_area_and_all():
    totals = area_totals(FRAME, "paatetty")
    # Pohjoinen: 1 000 + 500 = 1 500 paid, 700 + 600 = 1 300 funding, −300 + 100 = −200 net
    # Etelä: Cee's own; all: 1 750 paid, 1 500 funding, −250 net (= 1 500 − 1 750)
    assert totals == [
        AreaTotal("Pohjoinen", 1_500, 1_300, -200),
        AreaTotal("Etelä", 250, 200, -50),
        AreaTotal("Yhteensä", 1_750, 1_500, -250),
    ]


def test_a_sum_needs_every_member_and_a_missing_base_has_none():
    frame = FRAME.copy()
    frame.loc[2, "Valtionosuus, arvio €"] = pd.NA  # Cee's estimate unknown
    frame.loc[2, "Netto €"] = pd.NA
    totals = area_totals(frame, "paatetty")
    assert totals[0] == AreaTotal("Pohjoinen", 1_500, 1_300, -200)
    assert totals[1] == AreaTotal("Etelä", 250, None, None)
    assert totals[2] == AreaTotal("Yhteensä", 1_750, None, None)
    assert area_totals(FRAME, "ei_ole") == []


def test_biggest_gain_and_loss_of_each_alternative():
    found = swings(FRAME, "paatetty")
    assert [s.alternative for s in found] == ["C2", "B"]  # the base is left out
    c2, b = found
    # C2 keeps the decided areas: Aa −100 (gain), Bee +100 (loss)
    assert c2.same_areas and c2.gain == Move("C2", "Aa", -100) and c2.loss == Move("C2", "Bee", 100)
    # B joins them into one area: Bee −50 (gain); Aa +30 beats Cee +20 (loss)
    assert not b.same_areas
    assert b.gain == Move("B", "Bee", -50) and b.loss == Move("B", "Aa", 30)
    # over both: the biggest gain Aa −100 (C2), the biggest loss Bee +100 (C2)
    assert extremes(found) == (Move("C2", "Aa", -100), Move("C2", "Bee", 100))


def test_nothing_falls_nothing_to_gain_and_ties_go_to_the_first():
    frame = _frame(
        [
            ["C", "paatetty", "P", "Aa", "001", 100, 100, 0, 0],
            ["C", "paatetty", "P", "Bee", "002", 100, 100, 0, 0],
            ["C1", "c1", "P", "Aa", "001", 110, 100, -10, 10],
            ["C1", "c1", "P", "Bee", "002", 110, 100, -10, 10],
        ]
    )
    (only,) = swings(frame, "paatetty")
    assert only.gain is None  # no payment falls
    assert only.loss == Move("C1", "Aa", 10)  # Aa and Bee both +10: the first in the frame


def test_sentences_say_the_totals_and_who_gains_and_loses():
    found = answer(FRAME, "paatetty")
    assert found.base == "C"
    said = sentences(found, "kustannusmalli")
    assert 3 <= len(said) <= 5
    text = " ".join(said)
    assert "maksuosuudet ovat yhteensä 1 750 €, valtionosuusarvio 1 500 € ja netto -250 €" in text
    assert "vain jakoperuste (C2), eniten hyötyisi Aa (C2: 100 € vähemmän)" in text
    assert "eniten maksaisi lisää Bee (C2: 100 € enemmän)" in text
    assert "vaihtoehdoissa (B) eniten hyötyisi Bee (B: 50 € vähemmän)" in text
    assert "eniten maksaisi lisää Aa (B: 30 € enemmän)" in text
    assert "'kustannusmalli'" in text and "kustannukset skenaariot --csv" in text


def _scenario(code: str, areas: list[tuple[str, ...]]) -> SimpleNamespace:
    """A scenario as far as its areas' members go."""
    return SimpleNamespace(code=code, areas=[SimpleNamespace(members=m) for m in areas])


def test_alternatives_that_differ_by_key_share_their_areas():
    c = _scenario("c", [("001", "002"), ("003",)])
    c2 = _scenario("c2", [("003",), ("002", "001")])  # the same areas, written in another order
    b = _scenario("b", [("001", "002", "003")])
    assert shared_geographies([c, b, c2]) == [[c, c2], [b]]


def test_the_reports_method_says_every_note_once():
    comparison = sn.validate_parameters(sn.DEFAULT_SCENARIOS)
    text = sn.method_text(comparison)
    notes = sn.method_notes(comparison)
    assert len(notes) == len(set(notes))
    # said by all seven alternatives, once in the report
    for words in ("Tunnusluvut:", "20 000 -sääntö tarkistettu luvuilla", "Netto = "):
        assert text.count(words) == 1, words
    # a note of one alternative is named by it
    assert "- B: Alue 'Valkeakoski yksin': poikkeus" in text
    # every alternative once, with its areas and key (the comparison's own notes)
    for short in ("C", "C2", "C3", "C5", "C6", "B", "A"):
        assert sum(n.startswith(f"{short} = ") for n in notes) == 1, short
    assert text.count("Kustannuspotti: kustannusmalli") == 1
