"""The statistics loader: codes stay strings, duplicates, negatives and unknown sources are errors,
an implausible jump is a warning, and the real data in data/ is whole and sourced."""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest

from kustannukset.core.errors import InputError
from kustannukset.stats.loader import (
    MEASURES,
    JumpWarning,
    load_municipalities,
    load_sources,
    load_statistics,
)
from tests.conftest import make_data


def test_codes_stay_strings_and_sources_resolve(small_data):
    stats = load_statistics(small_data)
    akaa = stats.rows("vakiluku", 2023).set_index("kuntanumero").loc["020"]
    assert akaa["arvo"] == 16405
    assert stats.values("vakiluku", 2022, ["020", "211"]) == {"020": 16454, "211": 32959}
    assert set(stats.table["kuntanumero"]) == {"020", "211", "837"}
    assert akaa["lahde"] == "testiluku, kunta 020, vuosi 2023"
    assert akaa["julkaisija"] == "Tilastokeskus"
    assert akaa["taulukko"] == "StatFin 11re (väestörakenne)"


def test_missing_figure_is_an_error_that_says_how_to_fetch_it(small_data):
    stats = load_statistics(small_data)
    with pytest.raises(InputError) as err:
        stats.values("vakiluku", 2023, ["020", "837"], purpose="vuoden 2025 hinnat")
    text = str(err.value)
    assert "Tampere (837)" in text and "2023" in text and "vuoden 2025 hinnat" in text
    assert "kustannukset data paivita --vuodet 2023 --kunnat 837" in text


def test_duplicate_is_an_error_naming_both_rows(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405), ("020", 2023, 16405)]})
    with pytest.raises(InputError, match=r"kahdesti; toinen: vakiluku.csv rivi 2") as err:
        load_statistics(data)
    assert err.value.row == 3


def test_negative_is_an_error(tmp_path):
    data = make_data(tmp_path, {"vieraskieliset": [("020", 2023, -5)]})
    with pytest.raises(InputError, match="negatiivinen") as err:
        load_statistics(data)
    assert (err.value.row, err.value.column) == (2, "arvo")


def test_zero_population_is_an_error(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 0)]})
    with pytest.raises(InputError, match="nolla"):
        load_statistics(data)


def test_code_without_leading_zero_is_an_error(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405)]})
    path = data / "tilastot" / "vakiluku.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",020,", ",20,"), encoding="utf-8")
    with pytest.raises(InputError, match="tuntematon kuntanumero '20'"):
        load_statistics(data)


def test_unknown_source_tag_is_an_error_with_a_suggestion(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405, "lopullinen", "testj")]})
    with pytest.raises(InputError, match="tuntematon lähdetunnus 'testj' \\(tarkoititko 'testi'"):
        load_statistics(data)


def test_source_written_out_is_accepted(tmp_path):
    source = "Tilastokeskus, StatFin 11re, luettu käsin verkkosivulta"
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405, "lopullinen", source)]})
    row = load_statistics(data).rows("vakiluku", 2023).iloc[0]
    assert row["lahde"] == source and row["lahdetunnus"] == ""


def test_unknown_status_is_an_error(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405, "valmis")]})
    with pytest.raises(InputError, match="tuntematon tila 'valmis'"):
        load_statistics(data)


def test_implausible_jump_is_a_warning_not_an_error(tmp_path):
    # 16 405 -> 164 050: a digit too many, the kind of slip this check is for
    data = make_data(tmp_path, {"vakiluku": [("020", 2022, 16405), ("020", 2023, 164050)]})
    with pytest.warns(JumpWarning) as caught:
        stats = load_statistics(data)
    assert len(stats.warnings) == 1
    text = str(caught[0].message)
    assert "Väkiluku 31.12., Akaa (020): 2022 16 405 -> 2023 164 050 (+900 %)" in text
    assert "vakiluku.csv rivi 3" in text


def test_plausible_changes_are_not_flagged(tmp_path):
    # +9 % population (limit 10 %), and a small municipality's count moving by 40 people
    data = make_data(
        tmp_path,
        {
            "vakiluku": [("020", 2022, 10000), ("020", 2023, 10900)],
            "vieraskieliset": [("291", 2022, 10), ("291", 2023, 50)],
        },
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", JumpWarning)
        assert load_statistics(data).warnings == []


def test_years_apart_are_not_compared(tmp_path):
    data = make_data(tmp_path, {"vakiluku": [("020", 2015, 10000), ("020", 2019, 20000)]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", JumpWarning)  # a warning would fail the test here
        stats = load_statistics(data)
    # 10 000 -> 20 000 would be a jump from one year to the next, but 2015 and 2019 are not adjacent
    assert stats.warnings == []


# --- the real data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    with warnings.catch_warnings():
        warnings.simplefilter("error", JumpWarning)
        return load_statistics()


def test_real_data_loads_without_jumps(real):
    assert real.warnings == []


def test_2021_population_matches_the_2023_price_table(real):
    # Kustannustenjakoliite, hintataulukko 2023: Asukasluku 31.12.2021 yhteensä 525 320
    population = real.values("vakiluku", 2021, real.municipalities.experiment)
    assert len(population) == 22
    assert sum(population.values()) == 525_320
    assert population["837"] == 244_223 and population["020"] == 16_467


def test_every_municipality_of_finland_has_the_2019_key_figures(real):
    everyone = real.municipalities.all
    assert len(everyone) == 309
    for measure in ("vakiluku", "tyoikaiset_15_64", "tyoikaiset_20_64"):
        assert len(real.values(measure, 2019, everyone)) == 309
    # Honkajoki's empty cells leave the merged Kankaanpää (214) without these, and nothing else
    for measure in ("vieraskieliset", "tyolliset", "tyolliset_18_64", "tyottomat_18_64"):
        have = set(real.rows(measure, 2019)["kuntanumero"])
        assert set(everyone) - have == {"214"}, measure


def test_an_area_across_pirkanmaas_border_from_real_figures(real):
    # Mänttä-Vilppula (Pirkanmaa) joined Jämsä's (Keski-Suomi) employment area
    regions = real.municipalities.table["maakunta"]
    assert (regions["508"], regions["182"]) == ("Pirkanmaa", "Keski-Suomi")
    area = real.values("tyolliset", 2019, ["508", "182"])
    assert all(v > 0 for v in area.values())


def test_pirkanmaa_is_the_23(real):
    pirkanmaa = real.municipalities.in_region("Pirkanmaa")
    assert len(pirkanmaa) == 23
    assert set(pirkanmaa) == set(real.municipalities.experiment) | {"291"}


def test_2024_population_is_preliminary(real):
    rows = real.rows("vakiluku", 2024)
    assert len(rows) == 23 and set(rows["tila"]) == {"ennakko"}
    assert set(real.rows("vakiluku", 2023)["tila"]) == {"lopullinen"}


def test_every_figure_names_its_publisher_and_table(real):
    assert (real.table["julkaisija"] != "").all()
    assert (real.table["taulukko"] != "").all()
    assert not real.table["lahde"].str.contains("<kuntanumero>|<vuosi>").any()


def test_every_municipality_source_tag_exists():
    sources = load_sources()
    for tags in load_municipalities().table["lahde"]:
        assert all(t in sources for t in tags.split(" | ")), tags


def test_measures_name_their_table_when_the_client_can_fetch_them():
    fetchable = {m.code for m in MEASURES.values() if m.table}
    assert fetchable == {
        "vakiluku",
        "vieraskieliset",
        "tyoikaiset_15_64",
        "tyoikaiset_18_64",
        "tyoikaiset_20_64",
        "tyolliset",
        "tyottomat",
        "tyovoima",
        "tyottomat_tyonhakijat",
        "tyottomyysaste",
    }


def test_values_are_exact_fractions(real):
    rate = real.values("tyottomyysaste", 2019, ["020"])["020"]
    assert rate == Fraction(8)
