"""Pirkanmaa's figures from the blocks against the listing of all its 984 406 legal partitions: every
municipality's minimum, quartiles, median and maximum payment, the decided areas' percentile and
the three top lists are the same numbers, compared exactly, under the labour-force key and under the
unemployed-jobseeker key with the default pool (the members' state-funding estimate), and under the
population key with the experiment's cost per inhabitant."""

from __future__ import annotations

import numpy as np
import pytest

from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.scenarios.context import load_context
from tests.unit.test_districts import evaluated, listed

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pirkanmaa():
    context = load_context()
    region = districts.load_region(context)
    space = region.space()
    return region, space, np.concatenate(list(space.iter_labels()))


@pytest.mark.parametrize(
    ("scenario", "key"),
    [
        ("paatetty_2025", None),
        ("paatetty_2025", "tyottomat_tyonhakijat_ka:2021"),
        ("perusura", "vakiluku:2021"),
    ],
)
def test_pirkanmaa_from_the_blocks_equals_the_listing(pirkanmaa, scenario, key):
    region, space, labels = pirkanmaa
    assert space.count() == len(labels) == 984406
    parsed = districts.parse_key(key) if key else None
    basis = districts.load_basis(region, scenario, parsed).numbers
    decided = districts.decided_blocks(region)
    target = basis.payments(space.labels_of(decided)[None, :])[0]
    listing = listed(space, basis, target, labels)
    blocks = evaluated(space, basis, target)
    for name in listing[0]:
        assert np.array_equal(blocks[0][name], listing[0][name]), name
    assert blocks[1] == listing[1]
    assert blocks[2] == listing[2]


def test_the_summary_table_shows_the_same_figures(pirkanmaa):
    region, space, labels = pirkanmaa
    basis = districts.load_basis(region)
    summary = summaries.summarise(region, basis, space=space)
    target = basis.numbers.payments(space.labels_of(summary.decided)[None, :])[0]
    stats, ranks, top = listed(space, basis.numbers, target, labels)
    table = summary.table
    assert np.array_equal(table["Mediaani €"].to_numpy(float), stats["median"])
    assert np.array_equal(table["Alakvartiili €"].to_numpy(float), stats["q1"])
    assert table["Persentiili %"].tolist() == ranks
    assert [r.index for r in summary.top["tasaisin"]] == top["tasaisin"]
    # the net is the funding estimate less the payment: its median mirrors the payment's
    funding = basis.numbers.funding
    assert np.array_equal(
        table["Netto mediaani €"].to_numpy(float),
        np.median(funding - listed_payments(space, basis.numbers), axis=0),
    )


def listed_payments(space, basis):
    return basis.payments(np.concatenate(list(space.iter_labels())))


def test_the_whole_country_has_a_row_per_mainland_region():
    # Counts that other tests check by hand or against the listing (Pirkanmaa 984 406,
    # Kymenlaakso 5), and graphillion's for Uusimaa (59 982 832, bench/aluejaot.py).
    frame = summaries.national(load_context()).set_index("Maakunta")
    assert len(frame) == 18 and "Ahvenanmaan maakunta" not in frame.index
    assert frame.loc["Pirkanmaa", "Laillisia jakoja"] == 984406
    assert frame.loc["Kymenlaakso", "Laillisia jakoja"] == 5
    assert frame.loc["Kymenlaakso", "Alueiden määrän mukaan"] == "1: 1, 2: 4"
    assert frame.loc["Kymenlaakso", "Voisi järjestää yksin"] == "Kotka, Kouvola"
    assert frame.loc["Uusimaa", "Laillisia jakoja"] == 59982832
    # Eteläinen Keski-Suomi (Jämsä's area) reaches into Pirkanmaa: named as crossing the border
    assert (
        "Eteläinen Keski-Suomi (8 kuntaa, ulottuu maakunnan rajan yli)"
        in frame.loc["Pirkanmaa", "Päätetyt alueet 2025"]
    )
    # every region is counted, on the 2025 division: Etelä-Savo has 11 municipalities, Pertunmaa
    # in Mäntyharju (13 partitions, checked against two enumerations in tests/unit), and its row
    # says what Mäntyharju's labour force is; no other region has a note
    assert frame["Laillisia jakoja"].notna().all()
    assert frame.loc["Etelä-Savo", "Kuntia"] == 11
    assert frame.loc["Etelä-Savo", "Laillisia jakoja"] == 13
    assert "Mäntyharju 2 202 + Pertunmaa (588) 625 = 2 827" in frame.loc["Etelä-Savo", "Huom"]
    assert not frame.drop(index="Etelä-Savo")["Huom"].any()
    # the labour force is the sum of the municipalities' (data/tilastot/tyovoima.csv, 2021):
    # Kymenlaakso 8 614 + 22 543 + 35 611 + 732 + 2 319 + 1 291 = 71 110
    assert frame.loc["Kymenlaakso", "Työvoima"] == 71110
