"""Statistics to 2025 for every municipality, on both municipal divisions.

- The imported files: municipalities per year, statuses and sources. The expected figures are
  typed from the research files (``../shared/data-research/turn3/stats/`` and its README), and
  the derived ones worked out by hand in the comments.
- Nothing imported before changed, except the preliminary population of 2024 that the final
  figures replaced: every row of the statistics as committed before the import (``git show
  c5fc1850:data/tilastot/*.csv``, kept in ``tests/fixtures/tilastot_ennen_19.csv.gz``: measure,
  code, year, month, value, status) is compared with the data now, and so is the register
  (``tests/fixtures/kunnat_ennen_19.csv``).
- The merger: Pertunmaa (588) joined Mäntyharju (507) on 1.1.2025; the loader adds Pertunmaa's
  figures to Mäntyharju's on the 2025 division and says so.
"""

from __future__ import annotations

import csv
import gzip
import warnings
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios.context import load_context
from kustannukset.stats import coverage, refresh
from kustannukset.stats.fetch import Figure
from kustannukset.stats.loader import load_municipalities, load_sources, load_statistics

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MANTYHARJU, PERTUNMAA = "507", "588"

# The 23 Pirkanmaa municipalities' population 31.12.2024: the preliminary figure the project had
# (population_total_prelim_2024M12.csv, StatFin 11lj) and the final one that replaced it
# (turn3/stats/vaesto_yhteensa.csv, vaestoalue:kunta_vaki2024).
POPULATION_2024 = {
    "020": (16383, 16387),
    "108": (10339, 10348),
    "143": (6766, 6758),
    "177": (1666, 1668),
    "211": (33966, 33951),
    "250": (1699, 1703),
    "291": (2037, 2038),
    "418": (24815, 24854),
    "508": (9278, 9270),
    "536": (36171, 36176),
    "562": (8866, 8869),
    "581": (6071, 6069),
    "604": (21034, 21042),
    "619": (2609, 2607),
    "635": (6236, 6238),
    "702": (4039, 4039),
    "790": (23457, 23464),
    "837": (260358, 260180),
    "887": (4492, 4493),
    "908": (20837, 20847),
    "922": (4515, 4511),
    "936": (6188, 6190),
    "980": (33681, 33704),
}


@pytest.fixture(scope="module")
def real():
    return load_statistics(DATA_DIR)


def _figures(stats, measure: str, year: int) -> dict[str, tuple[Fraction, str, int]]:
    rows = stats.rows(measure, year)
    return {
        code: (value, status, int(division))
        for code, value, status, division in zip(
            rows["kuntanumero"], rows["arvo"], rows["tila"], rows["kuntajako"], strict=True
        )
    }


# --- nothing of the old data changed -----------------------------------------------------------


def test_nothing_imported_before_changed_but_the_preliminary_2024_population(real):
    with gzip.open(FIXTURES / "tilastot_ennen_19.csv.gz", "rt", encoding="utf-8") as f:
        before = list(csv.DictReader(f))
    assert len(before) == 27871  # every row of the 16 files as committed before
    now = {
        (m, c, int(y), int(k)): (v, t)
        for m, c, y, k, v, t in zip(
            real.table["mittari"],
            real.table["kuntanumero"],
            real.table["vuosi"],
            real.table["kuukausi"],
            real.table["arvo"],
            real.table["tila"],
            strict=True,
        )
    }
    changed = {}
    for row in before:
        key = (row["mittari"], row["kuntanumero"], int(row["vuosi"]), int(row["kuukausi"] or 0))
        assert key in now, key  # no figure went missing
        value, status = now[key]
        if (value, status) != (Fraction(row["arvo"]), row["tila"]):
            changed[key] = (row["arvo"], row["tila"], value, status)
    # only the preliminary population of 2024: a final figure replaced it
    assert changed == {
        ("vakiluku", code, 2024, 0): (str(old), "ennakko", new, "lopullinen")
        for code, (old, new) in POPULATION_2024.items()
    }


def test_the_register_keeps_its_municipalities_and_names_the_2025_one():
    with open(FIXTURES / "kunnat_ennen_19.csv", encoding="utf-8", newline="") as f:
        before = {r["kuntanumero"]: r for r in csv.DictReader(f)}
    now = load_municipalities().table
    assert sorted(now.index) == sorted(before)  # 309 municipalities of the 2023 division
    for code, row in before.items():
        for column in ("kunta", "maakunta"):
            assert now.at[code, column] == row[column], (code, column)
        assert now.at[code, "kokeilukunta"] == (row["kokeilukunta"] == "kyllä")
        # the 2025 division: Pertunmaa is part of Mäntyharju, every other goes on as it is
        assert now.at[code, "kunta_2025"] == (MANTYHARJU if code == PERTUNMAA else code)
        assert now.at[code, "lahde"] == row["lahde"] + " | tk-kuntajako-2025"
    assert "tk-kuntajako-2025" in load_sources()
    register = load_municipalities()
    assert len(register.all_2025) == 308 and PERTUNMAA not in register.all_2025
    assert register.members_2025(MANTYHARJU) == (MANTYHARJU, PERTUNMAA)
    assert register.receivers == {MANTYHARJU}
    assert register.merger(PERTUNMAA) == (
        "Pertunmaa (588) liitetty kuntaan Mäntyharju (507) 1.1.2025"
    )
    # the 2025 division of a region: Etelä-Savo without Pertunmaa
    assert MANTYHARJU in register.in_region_2025("Etelä-Savo")
    assert PERTUNMAA not in register.in_region_2025("Etelä-Savo")


# --- the imported files --------------------------------------------------------------------------


def test_population_2020_to_2025(real):
    register = real.municipalities
    # turn3 README: Tampere and Helsinki 2020-2025, and the national sums
    tampere = [241009, 244223, 249009, 255050, 260180, 263337]
    helsinki = [656920, 658457, 664028, 674500, 684018, 694392]
    national = [5533793, 5548241, 5563970, 5603851, 5635971, 5652881]
    for i, year in enumerate(range(2020, 2026)):
        figures = _figures(real, "vakiluku", year)
        assert {status for _, status, _ in figures.values()} == {"lopullinen"}, year
        assert figures["837"][0] == tampere[i] and figures["091"][0] == helsinki[i]
        assert sum(value for value, _, _ in figures.values()) == national[i], year
        if year <= 2023:  # the 2023 division: 309, Pertunmaa on its own
            assert set(figures) == set(register.all), year
            assert {d for _, _, d in figures.values()} == {2023}
        else:  # the 2025 division: 308, Mäntyharju's figure includes Pertunmaa's
            assert set(figures) == set(register.all_2025), year
            assert figures[MANTYHARJU][2] == 2025
    # 2023: Mäntyharju 5 522 and Pertunmaa 1 577 (7 099 together); 2024: 7 057 on the 2025
    # division, 2025: 7 034
    assert _figures(real, "vakiluku", 2023)[PERTUNMAA][0] == 1577
    assert _figures(real, "vakiluku", 2024)[MANTYHARJU][0] == 7057
    # two independent copies agree for 2022 and 2025: both sources are named
    rows = real.rows("vakiluku", 2022).set_index("kuntanumero")
    assert rows.loc["091", "lahdetunnus"] == (
        "tutkimus-turn3-vakiluku-11re-1 | tutkimus-turn3-vakiluku-wfs-1"
    )
    assert "kunta_vaki2022" in rows.loc["091", "lahde"]
    rows = real.rows("vakiluku", 2025).set_index("kuntanumero")
    assert rows.loc["091", "lahdetunnus"] == (
        "tutkimus-turn3-vakiluku-wfs-3 | tutkimus-turn3-vakiluku-11re-2"
    )
    rows = real.rows("vakiluku", 2024).set_index("kuntanumero")
    assert "kuntajako 2025, joten Mäntyharjun (507) luku sisältää" in rows.loc["507", "lahde"]


def test_working_age_2022_2024_2025(real):
    register = real.municipalities
    # turn3 README: Helsinki 452 284 / 467 768 / 474 866, Tampere 169 376 / 178 691 / 181 087
    expected = {2022: (452284, 169376), 2024: (467768, 178691), 2025: (474866, 181087)}
    for year, (helsinki, tampere) in expected.items():
        figures = _figures(real, "tyoikaiset_15_64", year)
        assert (figures["091"][0], figures["837"][0]) == (helsinki, tampere)
        assert {status for _, status, _ in figures.values()} == {"lopullinen"}
        assert set(figures) == set(register.all if year == 2022 else register.all_2025)
    # Mäntyharju 2022: 2 782 and Pertunmaa 797 on their own; 2024: 3 495 together
    assert _figures(real, "tyoikaiset_15_64", 2022)[PERTUNMAA][0] == 797
    assert _figures(real, "tyoikaiset_15_64", 2024)[MANTYHARJU][:3:2] == (3495, 2025)


def test_foreign_language_share_and_the_counts_derived_from_it(real):
    register = real.municipalities
    for year in range(2020, 2026):
        share = _figures(real, "vieraskielisten_osuus", year)
        # 159t: the 2026 (= 2025) division in every year
        assert set(share) == set(register.all_2025)
        assert {status for _, status, _ in share.values()} == {"lopullinen"}
        assert share[MANTYHARJU][2] == 2025
        counts = _figures(real, "vieraskieliset", year)
        assert set(counts) == set(register.all_2025)
        assert counts[MANTYHARJU][2] == 2025
        real_counts = {c for c, (_, status, _) in counts.items() if status != "johdettu"}
        # Statistics Finland's own counts stay: Akaa, Kangasala and Ylöjärvi 2020-2023,
        # Kangasala's preliminary figure of 2024
        assert real_counts == (
            {"020", "211", "980"} if year <= 2023 else {"211"} if year == 2024 else set()
        ), year
    # Helsinki 2020: 16,6 % (README) of 656 920 = 109 048,72 -> 109 049
    assert _figures(real, "vieraskielisten_osuus", 2020)["091"][0] == Fraction("16.6")
    assert _figures(real, "vieraskieliset", 2020)["091"][:2] == (109049, "johdettu")
    # Mäntyharju 2023: 4,2 % of (5 522 + 1 577 = 7 099) = 298,158 -> 298, on the 2025 division
    assert _figures(real, "vieraskieliset", 2023)[MANTYHARJU] == (298, "johdettu", 2025)
    # Kangasala 2023: its 11rm count 1 132 stays (3,4 % of 33 473 would give 1 138,08 -> 1 138)
    assert _figures(real, "vieraskieliset", 2023)["211"][:2] == (1132, "lopullinen")
    row = real.rows("vieraskieliset", 2021).set_index("kuntanumero").loc["837"]
    assert row["tila"] == "johdettu" and row["lahde"].startswith("JOHDETTU: vieraskielisten")
    assert "enintään 0,05 % väkiluvusta" in row["lahde"]


def test_pertunmaa_jobseekers_and_labour_force_from_the_same_cache(real):
    # turn3/stats/tyottomat_tyonhakijat.csv, Pertunmaa 2022M01-2022M12
    months = [63, 65, 61, 57, 59, 58, 59, 62, 60, 63, 60, 66]
    got = [
        real.values("tyottomat_tyonhakijat_kk", 2022, [PERTUNMAA], month=m)[PERTUNMAA]
        for m in range(1, 13)
    ]
    assert got == months
    # 63+65+61+57+59+58+59+62+60+63+60+66 = 733; 733 / 12 = 61,083... -> 61,08
    assert sum(months) == 733
    assert _figures(real, "tyottomat_tyonhakijat_ka", 2022)[PERTUNMAA][:2] == (
        Fraction("61.08"),
        "johdettu",
    )
    assert real.values("tyottomat_tyonhakijat", 2022, [PERTUNMAA]) == {PERTUNMAA: 66}
    # TYOVOIMATK 2020-2023 (turn3/stats/tyovoima.csv) = labour force 2018-2021 (arvio)
    for year, value in {2020: 698, 2021: 673, 2022: 633, 2023: 625}.items():
        assert real.values("tyovoima_jakaja", year, [PERTUNMAA]) == {PERTUNMAA: value}
        assert _figures(real, "tyovoima", year - 2)[PERTUNMAA][:2] == (value, "arvio")
    # 2019: employed 603 + unemployed 18-64 70 (Kuntien avainluvut 2019) = 673: the lag holds
    assert real.values("tyolliset", 2019, [PERTUNMAA]) == {PERTUNMAA: 603}
    assert real.values("tyottomat_18_64", 2019, [PERTUNMAA]) == {PERTUNMAA: 70}
    # June 2026's denominator: Tampere 135 571 = its labour force 2024 (arvio), and Mäntyharju's
    # 2 775 is of the 2025 division
    assert real.values("tyovoima_jakaja", 2026, ["837"]) == {"837": 135571}
    assert _figures(real, "tyovoima", 2024)["837"][:2] == (135571, "arvio")
    assert _figures(real, "tyovoima", 2024)[MANTYHARJU] == (2775, "arvio", 2025)
    assert len(real.rows("tyottomat_tyonhakijat_kk", 2026, 6)) == 304  # 4 suppressed


def test_december_rate_of_every_municipality_on_the_2025_division(real):
    for year in range(2020, 2025):
        rates = _figures(real, "tyottomyysaste", year)
        assert PERTUNMAA not in rates and rates[MANTYHARJU][2] == 2025
        assert len(rates) >= 303, year  # a few small municipalities suppressed
    # Mäntyharju + Pertunmaa, December 2022: (219 + 66) / (2 208 + 633) = 285 / 2 841 = 10,03 %
    assert _figures(real, "tyottomyysaste", 2022)[MANTYHARJU][0] == 10


# --- the merger in the loader --------------------------------------------------------------------


def test_values_2025_adds_pertunmaa_to_mantyharju_and_says_so(real):
    # labour force 31.12.2021: Mäntyharju 2 202 + Pertunmaa 625 = 2 827
    got = real.values_2025("tyovoima", 2021, [MANTYHARJU, "837"])
    assert got.values == {MANTYHARJU: 2827, "837": real.values("tyovoima", 2021, ["837"])["837"]}
    assert got.merged == {MANTYHARJU: (MANTYHARJU, PERTUNMAA)}
    assert got.notes == (
        "Työvoima (työssäkäyntitilasto) 31.12. vuodelta 2021: Mäntyharju (507) = Mäntyharju "
        "2 202 + Pertunmaa (588) 625 = 2 827 (kuntajako 2025: Pertunmaa (588) liitetty kuntaan "
        "Mäntyharju (507) 1.1.2025)",
    )
    # population 2023: 5 522 + 1 577 = 7 099
    assert real.values_2025("vakiluku", 2023, [MANTYHARJU]).values == {MANTYHARJU: 7099}
    # 2024 is published on the 2025 division: taken as it is, and the note says what it covers
    published = real.values_2025("vakiluku", 2024, [MANTYHARJU])
    assert published.values == {MANTYHARJU: 7057}
    assert "7 057 on kuntajaon 2025 mukainen luku, johon sisältyy Pertunmaa (588)" in (
        published.note
    )
    # from 2025 on, Mäntyharju is the merged municipality: no note
    assert real.values_2025("vakiluku", 2025, [MANTYHARJU]).notes == ()
    # a municipality that took in none: its own figure, no note
    assert real.values_2025("vakiluku", 2019, ["837"]).notes == ()
    assert set(real.codes_by_year_2025("vakiluku")[2021]) == set(real.municipalities.all_2025)


def test_the_merger_is_an_error_where_it_cannot_apply(real):
    # a year's own division: Mäntyharju's own 2024 figure is not in the data
    with pytest.raises(InputError, match="Mäntyharju \\(507\\) luku on vain kuntajaon 2025"):
        real.values("vakiluku", 2024, [MANTYHARJU])
    with pytest.raises(InputError, match="kuntaa Pertunmaa \\(588\\) ei ole enää"):
        real.values("vakiluku", 2025, [PERTUNMAA])
    with pytest.raises(InputError, match="Pertunmaa \\(588\\) ei ole kunta kuntajaossa 2025"):
        real.values_2025("vakiluku", 2021, [PERTUNMAA])
    # a share is not added up: 2019 has no rate of the 2025 division for Mäntyharju
    with pytest.raises(InputError, match="eikä osuutta \\(%\\) voi laskea"):
        real.values_2025("vieraskielisten_osuus", 2019, [MANTYHARJU])
    # Pertunmaa's 2019 months are missing: so is the merged Mäntyharju's
    with pytest.raises(InputError, match="puuttuu kunnalta Pertunmaa \\(588\\), joka kuuluu"):
        real.values_2025("tyottomat_tyonhakijat_kk", 2019, [MANTYHARJU], month=1)
    # ... and with Mäntyharju's own figure missing, the note says what else the figure needs
    with pytest.raises(InputError, match="kuntajaon 2025 lukuun kuuluu myös Pertunmaa \\(588\\)"):
        real.values_2025("tyoikaiset_15_64", 2021, [MANTYHARJU])


# --- the loader's checks of the division ---------------------------------------------------------

REGISTER = [
    ("507", "Mäntyharju", "Etelä-Savo", "ei", "507"),
    ("588", "Pertunmaa", "Etelä-Savo", "ei", "507"),
    ("837", "Tampere", "Pirkanmaa", "kyllä", "837"),
]


def _division_data(tmp_path: Path, rows: list[str], register=REGISTER) -> Path:
    data = tmp_path / "data"
    (data / "tilastot").mkdir(parents=True)
    lines = ["kuntanumero,kunta,maakunta,kokeilukunta,kunta_2025,lahde"]
    lines += [",".join([*r, "testiaineisto"]) for r in register]
    (data / "kunnat.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    header = "mittari,kuntanumero,kunta,vuosi,arvo,tila,lahde,kuntajako"
    (data / "tilastot" / "vakiluku.csv").write_text(
        "\n".join([header, *rows]) + "\n", encoding="utf-8"
    )
    return data


def test_a_merged_area_has_its_own_series_for_the_jump_check(tmp_path):
    data = _division_data(
        tmp_path,
        [
            "vakiluku,507,Mäntyharju,2023,5522,lopullinen,testiaineisto (ei tunnus),",
            "vakiluku,588,Pertunmaa,2023,1577,lopullinen,testiaineisto (ei tunnus),",
            "vakiluku,507,Mäntyharju,2024,7057,lopullinen,testiaineisto (ei tunnus),2025",
            "vakiluku,507,Mäntyharju,2025,7034,lopullinen,testiaineisto (ei tunnus),",
        ],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 5 522 -> 7 057 (+28 %) would be a jump
        stats = load_statistics(data)
    assert stats.warnings == []
    assert stats.values_2025("vakiluku", 2023, ["507"]).values == {"507": 7099}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "vakiluku,837,Tampere,2023,255050,lopullinen,testiaineisto (ei tunnus),2024",
            "kuntajaon pitää olla 2023 tai",
        ),
        (
            "vakiluku,837,Tampere,2025,263337,lopullinen,testiaineisto (ei tunnus),2023",
            "kuntajakoa 2023 ei ole enää",
        ),
        (
            "vakiluku,588,Pertunmaa,2024,1550,lopullinen,testiaineisto (ei tunnus),2025",
            "ei ole kuntajaon 2025 lukua",
        ),
        (
            "vakiluku,588,Pertunmaa,2025,1540,lopullinen,testiaineisto (ei tunnus),",
            "vuoden 2025 luku kuuluu kuntaan",
        ),
    ],
)
def test_a_figure_on_a_division_it_cannot_be_on_is_an_error(tmp_path, row, message):
    data = _division_data(tmp_path, [row])
    with pytest.raises(InputError, match=message) as exc:
        load_statistics(data)
    assert exc.value.row == 2


def test_the_register_names_a_2025_municipality_that_exists(tmp_path):
    unknown = [*REGISTER[:1], ("588", "Pertunmaa", "Etelä-Savo", "ei", "999"), *REGISTER[2:]]
    with pytest.raises(InputError, match="osa kuntaa '999', jota ei ole kuntaluettelossa") as exc:
        load_municipalities(_division_data(tmp_path, [], unknown))
    assert (exc.value.row, exc.value.column) == (3, "kunta_2025")
    chain = [("507", "Mäntyharju", "Etelä-Savo", "ei", "837"), *REGISTER[1:]]
    with pytest.raises(InputError, match="joka itse on osa kuntaa 837"):
        load_municipalities(_division_data(tmp_path / "b", [], chain))


def test_a_register_without_the_column_keeps_every_municipality_as_it_is(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "kunnat.csv").write_text(
        "kuntanumero,kunta,maakunta,kokeilukunta,lahde\n020,Akaa,Pirkanmaa,kyllä,testi\n",
        encoding="utf-8",
    )
    register = load_municipalities(data)
    assert register.all_2025 == ["020"] and register.receivers == frozenset()


def test_a_refresh_does_not_write_the_merged_area_over_mantyharjus_own_figures(tmp_path):
    # Statistics Finland's tables are on the current division: its Mäntyharju of 2023 is
    # Mäntyharju and Pertunmaa together (7 099), not Mäntyharju's own 5 522
    data = _division_data(
        tmp_path,
        [
            "vakiluku,507,Mäntyharju,2023,5522,lopullinen,testiaineisto (ei tunnus),",
            "vakiluku,588,Pertunmaa,2023,1577,lopullinen,testiaineisto (ei tunnus),",
        ],
    )
    stats = load_statistics(data)
    fetched = [
        Figure("vakiluku", "507", 2023, "7099", "lopullinen", "11re"),
        Figure("vakiluku", "507", 2025, "7034", "lopullinen", "11re"),
    ]
    changes = refresh.compare(stats, fetched, allow_preliminary=False)
    assert [c.kind for c in changes] == [refresh.OTHER_DIVISION, refresh.NEW]
    lines = refresh.report(changes, {}, stats)
    assert "  vakiluku: 1 uutta, 1 kuntajaon 2025 lukua ei kirjoiteta" in lines
    assert (
        "  HUOM: Mäntyharju (507): rajapinnan luvut ennen vuotta 2025 ovat kuntajaon 2025 "
        "mukaisia (Pertunmaa (588) liitetty kuntaan Mäntyharju (507) 1.1.2025); niitä ei "
        "kirjoiteta kunnan omien lukujen päälle"
    ) in lines


def test_the_statistics_table_of_a_year_leaves_out_a_merged_area_figure(real):
    table = coverage.figures_table(real, [MANTYHARJU, "837"], 2023).set_index("kunta")
    label = (
        "Mäntyharju (vieraskieliset: vain kuntajaon 2025 luku, ei mukana; Pertunmaa (588) "
        "liitetty kuntaan Mäntyharju (507) 1.1.2025)"
    )
    # Mäntyharju's own population 5 522 stays; its foreign-language count of 2023 (298) is the
    # merged area's and is not in the table or its total
    assert table.at[label, "vakiluku"] == 5522
    assert pd.isna(table.at[label, "vieraskieliset"])
    assert table.at["Yhteensä", "vieraskieliset"] == table.at["Tampere", "vieraskieliset"]


def test_the_context_gives_the_2025_division_to_scenario_code():
    context = load_context(DATA_DIR)
    got = context.values_2025("tyovoima", 2021, [MANTYHARJU], purpose="20 000 -sääntö")
    assert got.values == {MANTYHARJU: 2202 + 625}
    assert got.merged == {MANTYHARJU: (MANTYHARJU, PERTUNMAA)} and len(got.notes) == 1
    got.values[MANTYHARJU] = 0  # the caller's copy: the next answer is whole
    assert context.values_2025("tyovoima", 2021, [MANTYHARJU]).values == {MANTYHARJU: 2827}
    with pytest.raises(InputError, match="tarvitaan: 20 000 -sääntö"):
        context.values_2025("tyovoima", 2021, [PERTUNMAA], purpose="20 000 -sääntö")
