"""The statistics loader: codes stay strings, duplicates, negatives and unknown sources are errors,
an implausible jump is a warning, and the real data in data/ is whole and sourced."""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest

from kustannukset.core.errors import InputError
from kustannukset.stats.fetch import TABLES
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


def test_the_first_repeated_row_of_a_later_file_is_named(tmp_path):
    data = make_data(
        tmp_path,
        {"vakiluku": [("020", 2022, 16454), ("211", 2022, 32959), ("837", 2022, 244223)]},
    )
    header, akaa, kangasala, tampere = (
        (data / "tilastot" / "vakiluku.csv").read_text(encoding="utf-8").splitlines()
    )
    later = data / "tilastot" / "vakiluku_lisa.csv"  # read after vakiluku.csv (by name)
    tampere_2023 = tampere.replace(",2022,", ",2023,")
    # line 2 repeats vakiluku.csv's line 3; line 4 repeats this file's line 3
    later.write_text("\n".join([header, kangasala, tampere_2023, tampere_2023]) + "\n")
    with pytest.raises(InputError, match=r"kahdesti; toinen: vakiluku.csv rivi 3") as err:
        load_statistics(data)
    assert (err.value.file.name, err.value.row) == ("vakiluku_lisa.csv", 2)
    # line 3 repeats this file's line 2, before line 4 repeats vakiluku.csv's line 2
    later.write_text("\n".join([header, tampere_2023, tampere_2023, akaa]) + "\n")
    with pytest.raises(InputError, match=r"kahdesti; toinen: vakiluku_lisa.csv rivi 2") as err:
        load_statistics(data)
    assert (err.value.file.name, err.value.row) == ("vakiluku_lisa.csv", 3)


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


def test_2024_population_is_final_on_the_2025_division(real):
    rows = real.rows("vakiluku", 2024)
    # 308 municipalities of the 2025 division: Pertunmaa is in Mäntyharju's figure
    assert len(rows) == 308 and set(rows["tila"]) == {"lopullinen"}
    assert "588" not in set(rows["kuntanumero"])
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
        "tyottomat_tyonhakijat_kk",
        "tyottomat_tyonhakijat_ka",
        "tyovoima_jakaja",
        "tyottomyysaste",
    }
    # and the table each names gives it
    for code in fetchable:
        assert code in TABLES[MEASURES[code].table].measures, code


def test_values_are_exact_fractions(real):
    rate = real.values("tyottomyysaste", 2019, ["020"])["020"]
    assert rate == Fraction(8)


# --- monthly measures -------------------------------------------------------------------------

MONTHLY_HEADER = "mittari,kuntanumero,kunta,vuosi,kuukausi,arvo,tila,lahde\n"


def _monthly(tmp_path, lines: list[str]):
    data = make_data(tmp_path, {"vakiluku": [("020", 2023, 16405)]})
    (data / "tilastot" / "tyottomat_tyonhakijat_kk.csv").write_text(
        MONTHLY_HEADER + "".join(f"tyottomat_tyonhakijat_kk,020,Akaa,{x},testi\n" for x in lines),
        encoding="utf-8",
    )
    return data


def test_monthly_figures_are_read_by_month(tmp_path):
    data = _monthly(tmp_path, ["2023,1,900,lopullinen", "2023,2,880,lopullinen"])
    stats = load_statistics(data)
    assert stats.values("tyottomat_tyonhakijat_kk", 2023, ["020"], month=2) == {"020": 880}
    assert len(stats.rows("tyottomat_tyonhakijat_kk", 2023)) == 2
    # a year's figure has month 0
    assert stats.rows("vakiluku", 2023)["kuukausi"].tolist() == [0]
    with pytest.raises(InputError, match="kuukausittainen: valitse kuukausi"):
        stats.values("tyottomat_tyonhakijat_kk", 2023, ["020"])
    with pytest.raises(InputError, match="kuukaudelta 2023M03 puuttuu kunnalta Akaa"):
        stats.values("tyottomat_tyonhakijat_kk", 2023, ["020"], month=3)


def test_monthly_figure_needs_its_month_and_a_year_has_none(tmp_path):
    with pytest.raises(InputError, match="kuukauden pitää olla 1–12, ei '13'") as err:
        load_statistics(_monthly(tmp_path / "a", ["2023,13,900,lopullinen"]))
    assert (err.value.row, err.value.column) == (2, "kuukausi")
    with pytest.raises(InputError, match="kuukauden pitää olla 1–12, ei ''"):
        load_statistics(_monthly(tmp_path / "b", ["2023,,900,lopullinen"]))
    data = make_data(tmp_path / "c", {"vakiluku": [("020", 2023, 16405)]})
    path = data / "tilastot" / "vakiluku.csv"
    path.write_text(
        MONTHLY_HEADER + "vakiluku,020,Akaa,2023,12,16405,lopullinen,testi\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="vuositieto: kuukausi pitää jättää tyhjäksi"):
        load_statistics(data)


def test_the_same_month_twice_is_an_error(tmp_path):
    data = _monthly(tmp_path, ["2023,1,900,lopullinen", "2023,01,900,lopullinen"])
    with pytest.raises(
        InputError, match=r"\(tyottomat_tyonhakijat_kk, Akaa, 2023M01\) on kahdesti"
    ):
        load_statistics(data)


def test_monthly_jump_is_measured_from_the_month_before(tmp_path):
    # December 2022 -> January 2023 are adjacent; 60 -> 610 is a slipped digit (more than 5-fold);
    # March after January is not compared with it
    data = _monthly(
        tmp_path, ["2022,12,60,lopullinen", "2023,1,610,lopullinen", "2023,3,5000,lopullinen"]
    )
    with pytest.warns(JumpWarning) as caught:
        stats = load_statistics(data)
    assert len(stats.warnings) == 1
    assert "Akaa (020): 2022M12 60 -> 2023M01 610 (+917 %)" in str(caught[0].message)


def test_derived_status_is_accepted(tmp_path):
    data = make_data(tmp_path, {"tyottomat_tyonhakijat_ka": [("020", 2021, "722.33", "johdettu")]})
    row = load_statistics(data).rows("tyottomat_tyonhakijat_ka", 2021).iloc[0]
    assert (row["arvo"], row["tila"]) == (Fraction("722.33"), "johdettu")


# --- the jobseekers and labour force of every municipality (data-research/turn2) -------------


def test_akaa_2021_mean_is_the_mean_of_its_twelve_months(real):
    # turn2/unemployed_jobseekers_monthly_all.csv, Akaa 2021M01-2021M12
    months = [831, 796, 819, 783, 700, 757, 750, 649, 631, 634, 637, 681]
    got = [
        real.values("tyottomat_tyonhakijat_kk", 2021, ["020"], month=m)["020"] for m in range(1, 13)
    ]
    assert got == months
    # 831+796+819+783+700+757+750+649+631+634+637+681 = 8 668; 8 668 / 12 = 722.333...
    assert sum(months) == 8668
    mean = real.rows("tyottomat_tyonhakijat_ka", 2021).set_index("kuntanumero").loc["020"]
    assert mean["arvo"] == Fraction("722.33") and mean["tila"] == "johdettu"
    assert "JOHDETTU" in mean["lahde"] and "2021M01–2021M12" in mean["lahde"]
    # December is the twelfth month
    assert real.values("tyottomat_tyonhakijat", 2021, ["020"]) == {"020": 681}


def test_december_is_month_twelve_everywhere(real):
    months = real.rows("tyottomat_tyonhakijat_kk")
    december = months[months["kuukausi"] == 12].set_index(["kuntanumero", "vuosi"])["arvo"]
    year_end = real.rows("tyottomat_tyonhakijat").set_index(["kuntanumero", "vuosi"])["arvo"]
    assert december.to_dict() == year_end.to_dict()


def test_valkeakoski_2021_labour_force_is_derived_and_says_so(real):
    row = real.rows("tyovoima", 2021).set_index("kuntanumero").loc["908"]
    # turn2/labour_force_115b_derived_all.csv: 9 009, "about 9 000" in the Government's decision
    assert row["arvo"] == 9009 and row["tila"] == "arvio"
    assert row["lahde"].startswith("ARVIO, johdettu: työssäkäyntitilaston (StatFin 115b)")
    assert "TYOVOIMATK kaksi vuotta myöhemmin" in row["lahde"]
    # ... which is the 12r5 denominator of 2023
    assert real.values("tyovoima_jakaja", 2023, ["908"]) == {"908": 9009}


def test_kangasala_labour_force_is_the_12r5_denominator_two_years_later(real):
    # the identity the derived figures rest on: 115b 2019-2021 (real, Kangasala's repository) =
    # TYOVOIMATK 2021-2023 (two pulls of 12r5 that agree)
    force = real.rows("tyovoima").set_index(["kuntanumero", "vuosi"])
    denominator = real.rows("tyovoima_jakaja").set_index(["kuntanumero", "vuosi"])
    for year, value in {2019: 15316, 2020: 15562, 2021: 15904}.items():
        assert force.loc[("211", year), "arvo"] == value
        assert force.loc[("211", year), "tila"] == "lopullinen"  # the real 115b figure is kept
        assert denominator.loc[("211", year + 2), "arvo"] == value
        assert " | " in denominator.loc[("211", year + 2), "lahdetunnus"]
    # Kangasala 2017 has no real 115b figure here: derived from TYOVOIMATK 2019 = 15 182
    assert force.loc[("211", 2017), "arvo"] == 15182
    assert force.loc[("211", 2017), "tila"] == "arvio"


def test_every_municipality_has_the_new_figures(real):
    everyone = set(real.municipalities.all)
    for measure, years in {
        "tyovoima": range(2017, 2022),
        "tyovoima_jakaja": range(2019, 2024),
    }.items():
        for year in years:
            have = set(real.rows(measure, year)["kuntanumero"])
            # Pertunmaa (588), absent from turn2's list of the 2025 division, has its own
            # figures from 2020 on in turn3 (TYOVOIMATK 2020-2023 = labour force 2018-2021)
            missing = {"588"} if year < (2018 if measure == "tyovoima" else 2020) else set()
            assert everyone - have == missing, (measure, year)
    # Mäntyharju's figure is its own: employed 1 957 + unemployed 18-64 251 (Kuntien avainluvut
    # 2019) + 1 unemployed of another age = 2 209; with Pertunmaa it would be about 2 880
    assert real.values("tyovoima", 2019, ["507"]) == {"507": 2209}
    assert real.values("tyolliset", 2019, ["507"]) == {"507": 1957}
    assert real.values("tyottomat_18_64", 2019, ["507"]) == {"507": 251}


def test_suppressed_aland_months_are_missing_not_zero(real):
    # Kökar 2019: only July (5) in the source; the other months are empty cells
    kokar = real.rows("tyottomat_tyonhakijat_kk", 2019)
    kokar = kokar[kokar["kuntanumero"] == "318"]
    assert kokar[["kuukausi", "arvo"]].values.tolist() == [[7, 5]]
    with pytest.raises(InputError, match="kuukaudelta 2019M01 puuttuu kunnalta Kökar"):
        real.values("tyottomat_tyonhakijat_kk", 2019, ["318"], month=1)
    # ... and a year with a month missing has no annual mean (the source's 5.0 is of one month)
    assert "318" not in set(real.rows("tyottomat_tyonhakijat_ka", 2019)["kuntanumero"])
    assert "318" not in set(real.rows("tyottomat_tyonhakijat", 2019)["kuntanumero"])


def test_row_counts_of_the_new_measures(real):
    counts = real.table.groupby("mittari").size()
    # 308 municipalities x 58 months (2019M01-2023M10) - 137 empty Åland cells in the source
    # + Kangasala's 2023M11-2024M12 (14) from its own repository; turn3: Pertunmaa's 46 months
    # 2020M01-2023M10, Kangasala's 2025M01 and 2026M06 of 304 municipalities (4 suppressed)
    assert counts["tyottomat_tyonhakijat_kk"] == 308 * 58 - 137 + 14 + 46 + 1 + 304
    # 308 x 4 years - 20 years with a month missing (Åland) = 1 212, + Pertunmaa 2020-2022
    assert counts["tyottomat_tyonhakijat_ka"] == 308 * 4 - 20 + 3
    # 308 x 4 Decembers - 8 empty + Kangasala's 2023 and 2024 + Pertunmaa 2020-2022
    assert counts["tyottomat_tyonhakijat"] == 308 * 4 - 8 + 2 + 3
    # 308 x 5 years (2017-2021) derived; Kangasala 2019-2021 real instead, and its 2022-2023;
    # Pertunmaa 2018-2021 and every municipality of the 2025 division 2024 (from 2026M06)
    assert counts["tyovoima"] == 308 * 5 + 2 + 4 + 308
    # 308 x 5 years (2019-2023) + Kangasala 2024 + Pertunmaa 2020-2023 + 308 of 2026
    assert counts["tyovoima_jakaja"] == 308 * 5 + 1 + 4 + 308
