"""Coverage (measure × municipality × year, with status), its command, and citations."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from kustannukset.cli import main
from kustannukset.core.errors import InputError
from kustannukset.stats import coverage as k
from kustannukset.stats.loader import load_statistics
from tests.conftest import make_data, run_cli


@pytest.fixture
def stats(tmp_path):
    data = make_data(
        tmp_path / "data",
        {
            "vakiluku": [
                ("020", 2022, 16473),
                ("211", 2022, 32959),
                ("837", 2022, 249009),
                ("020", 2023, 16405),
                ("211", 2023, 33473, "ennakko"),
            ],
            "tyottomyysaste": [("020", 2023, "10.6", "arvio", "arvio: testirivi")],
        },
    )
    return load_statistics(data)


def test_coverage_has_every_combination_with_its_status(stats):
    cov = k.coverage(stats, ["vakiluku"], ["020", "211", "837"], [2022, 2023])
    status = {(r.kuntanumero, r.vuosi): r.tila for r in cov.itertuples()}
    assert status == {
        ("020", 2022): "lopullinen",
        ("211", 2022): "lopullinen",
        ("837", 2022): "lopullinen",
        ("020", 2023): "lopullinen",
        ("211", 2023): "ennakko",
        ("837", 2023): "puuttuu",
    }


def test_summary_and_matrix(stats):
    cov = k.coverage(stats, ["vakiluku", "tyottomyysaste"], ["020", "211", "837"], [2022, 2023])
    summary = k.summary(cov)
    assert summary.loc["vakiluku", "2022"] == "3 L"
    assert summary.loc["vakiluku", "2023"] == "1 L + 1 E"
    assert summary.loc["tyottomyysaste", "2022"] == "·"
    assert summary.loc["tyottomyysaste", "2023"] == "1 A"
    matrix = k.matrix(cov, "vakiluku")
    assert matrix.loc["Tampere (837)"].tolist() == ["L", "·"]
    assert matrix.loc["Kangasala (211)"].tolist() == ["L", "E"]


def test_fill_command_names_tables_years_and_municipalities(stats):
    cov = k.coverage(stats, ["vakiluku", "tyottomyysaste"], ["020", "211", "837"], [2022, 2023])
    assert k.fill_command(cov, stats.municipalities) == (
        "kustannukset data paivita --taulukot 11re 12r5 --vuodet 2022-2023"
    )
    outside = k.coverage(stats, ["vakiluku"], ["182"], [2019, 2021, 2022])
    assert k.fill_command(outside, stats.municipalities) == (
        "kustannukset data paivita --taulukot 11re --vuodet 2019 2021-2022 --kunnat 182"
    )


def test_select_municipalities_by_code_name_region_and_group(stats):
    m = stats.municipalities
    assert k.select_municipalities(m, ["020", "Tampere"]) == ["020", "837"]
    assert k.select_municipalities(m, ["pirkanmaa"]) == ["020", "211", "291", "837"]
    assert k.select_municipalities(m, ["kokeilu"]) == ["020", "211", "837"]
    assert k.select_municipalities(m, ["kaikki"]) == ["020", "182", "211", "291", "837"]
    assert k.select_municipalities(m, ["020,182"]) == ["020", "182"]
    with pytest.raises(InputError, match="tuntematon kuntanumero '20'"):
        k.select_municipalities(m, ["20"])


def test_citation_names_publisher_and_table_once(stats):
    rows = stats.rows("vakiluku")
    assert k.citation(rows) == (
        "Lähde: Tilastokeskus, StatFin 11re (väestörakenne) (lisenssi CC BY 4.0)"
    )
    assert k.MAP_CITATION.startswith("Lähde: Maanmittauslaitos")


def test_note_for_a_notebook(stats):
    note = k.note(stats, "vakiluku", 2023, ["020", "211", "837"])
    assert note == (
        "Väkiluku 31.12. 2023: luku 2/3 kunnalta (1 lopullinen, 1 ennakkotieto, 1 puuttuu). "
        "Lähde: Tilastokeskus, StatFin 11re (väestörakenne) (lisenssi CC BY 4.0)"
    )


def _summary_line(rows: list[dict[str, str]], measure: str) -> str:
    """A measure's years as the text summary shows them ("23 L", "1 L + 22 A", "·"), from the
    summary's CSV rows (counts of each status)."""
    cells = []
    for row in (r for r in rows if r["mittari"] == measure):
        parts = [
            f"{row[status]} {letter}"
            for status, letter in k.LETTERS.items()
            if status != "puuttuu" and int(row[status])
        ]
        cells.append(" + ".join(parts) if parts else "·")
    return " ".join(cells)


def test_kattavuus_command_shows_the_imported_coverage(capsys):
    assert main(["data", "kattavuus", "--yhteenveto", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # years: 2015 (key figures), 2017-2018 (derived labour force), 2019-2026
    assert list(dict.fromkeys(r["vuosi"] for r in rows)) == [
        "2015",
        "2017",
        "2018",
        *map(str, range(2019, 2027)),
    ]
    assert {r["kuntia"] for r in rows} == {"23"}
    summary = rows
    # 2024 final (it was preliminary) and 2025, on the 2025 division (no merger in Pirkanmaa)
    assert _summary_line(summary, "vakiluku") == "23 L · · 23 L 23 L 23 L 23 L 23 L 23 L 23 L ·"
    # the labour force: derived from the 12r5 denominator (A) for 2017-2021, except Kangasala's
    # real 115b figures 2019-2023 (L); 2024 derived from the denominator of June 2026
    assert _summary_line(summary, "tyovoima") == (
        "· 23 A 23 A 1 L + 22 A 1 L + 22 A 1 L + 22 A 1 L 1 L 23 A · ·"
    )
    # months 2019M01-2023M10 for all 23; Kangasala's own series runs to 2025M01; June 2026
    assert _summary_line(summary, "tyottomat_tyonhakijat_kk") == (
        "· · · 23 L 23 L 23 L 23 L 1 L + 22 o 1 L 1 o 23 o"
    )
    assert _summary_line(summary, "tyottomat_tyonhakijat_ka") == (
        "· · · 23 J 23 J 23 J 23 J · · · ·"
    )
    # counts of Akaa, Kangasala and Ylöjärvi are Statistics Finland's; the others derived from
    # the share (J); Kangasala's 2024 count is its preliminary figure
    assert _summary_line(summary, "vieraskieliset") == (
        "23 L · · 23 L 3 L + 20 J 3 L + 20 J 3 L + 20 J 3 L + 20 J 1 E + 22 J 23 J ·"
    )
    # 23 municipalities x 8 years (2015, 2019-2025) of the 11 years shown
    assert main(["data", "kattavuus", "--leveys", "200"]) == 0
    out = capsys.readouterr().out
    assert f"Väkiluku 31.12. – {23 * 8}/{23 * 11} lukua" in out
    # 23 x 58 months 2019M01-2023M10, Kangasala's 2023M11-2025M01 (15 months), 23 of 2026M06
    assert (
        "Työttömät työnhakijat kuukauden laskentapäivänä – "
        f"kuukausittainen: {23 * 58 + 15 + 23}/{12 * 23 * 11} kuukausilukua"
    ) in out
    assert main(["data", "kattavuus"]) == 0
    out = capsys.readouterr().out
    assert "Tilastojen kattavuus: 23 kuntaa" in out
    assert "Tampere (837)" in out
    assert "Kuntajako:" not in out  # no merger in Pirkanmaa
    assert "kustannukset data paivita --taulukot 11re 11rm 12r5 115b" in out


def test_kattavuus_of_the_whole_country(capsys):
    args = ["data", "kattavuus", "--koko-maa", "--vuodet", "2020-2025", "--yhteenveto"]
    assert main([*args, "--csv"]) == 0
    summary = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(dict.fromkeys(r["vuosi"] for r in summary)) == [str(y) for y in range(2020, 2026)]
    assert {r["kuntia"] for r in summary} == {"309"}
    # every municipality 2020-2023 (309 of the 2023 division); 2024 and 2025 on the 2025
    # division: 308, Pertunmaa (Y) inside Mäntyharju's figure
    assert _summary_line(summary, "vakiluku") == ("309 L 309 L 309 L 309 L 308 L + 1 Y 308 L + 1 Y")
    # 2022, 2024, 2025 for every municipality; Kangasala's own 2020, 2021 and 2023
    assert _summary_line(summary, "tyoikaiset_15_64") == (
        "1 L 1 L 309 L 1 L 308 L + 1 Y 308 L + 1 Y"
    )
    # the counts derived from the share (308 municipalities of the 2025 division every year),
    # Statistics Finland's own counts where the data has them (Akaa, Kangasala, Ylöjärvi)
    assert _summary_line(summary, "vieraskieliset") == (
        "3 L + 305 J + 1 Y 3 L + 305 J + 1 Y 3 L + 305 J + 1 Y 3 L + 305 J + 1 Y "
        "1 E + 307 J + 1 Y 308 J + 1 Y"
    )
    assert main([*args, "--leveys", "200"]) == 0
    out = capsys.readouterr().out
    assert "Tilastojen kattavuus: 309 kuntaa" in out
    assert "Mäntyharju (507): luvut ovat kuntajaon 2025 mukaisia ja sisältävät kunnan " in out
    assert "vakiluku 2024; vieraskieliset 2020-2024" in out
    assert "Pertunmaa (588): Y = luku sisältyy kunnan Mäntyharju lukuun" in out


def test_kattavuus_of_one_region(capsys):
    assert main(["data", "kattavuus", "--maakunta", "keski-suomi", "--yhteenveto", "--csv"]) == 0
    summary = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # Keski-Suomi's 22 municipalities (Statistics Finland's regions, 2023 division)
    assert {r["kuntia"] for r in summary} == {"22"}
    assert _summary_line(summary, "vakiluku").endswith("22 L 22 L 22 L 22 L 22 L 22 L ·")


def test_kattavuus_names_the_closest_region_for_a_misspelt_one():
    result = run_cli("data", "kattavuus", "--maakunta", "Pirkanma")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "tuntematon maakunta 'Pirkanma' (tarkoititko 'Pirkanmaa'?)" in result.stderr


def test_kattavuus_csv_is_the_long_table(capsys):
    assert main(["data", "kattavuus", "--csv", "--kunnat", "kaikki", "--vuodet", "2019"]) == 0
    cov = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert list(cov.columns) == [
        "mittari",
        "kuntanumero",
        "kunta",
        "vuosi",
        "kuukausia",
        "kuntajako",
        "tila",
    ]
    assert len(cov) == 16 * 309  # 16 measures
    population = cov[cov["mittari"] == "vakiluku"]
    assert (population["tila"] == "lopullinen").all()
    assert (population["kuntajako"] == "2023").all()
    assert population["kuntanumero"].str.len().eq(3).all()
    assert (population["kuukausia"] == "").all()  # a year's figure has no months
    months = cov[cov["mittari"] == "tyottomat_tyonhakijat_kk"].set_index("kuntanumero")
    assert months.loc["837", ["tila", "kuukausia"]].tolist() == ["lopullinen", "12"]
    # Kökar's 2019: only July has a figure (the others are suppressed in the source, '')
    assert months.loc["318", ["tila", "kuukausia"]].tolist() == ["osittain", "1"]
    # Pertunmaa's 2019 is in neither research list (turn2 leaves it out, turn3 starts in 2020)
    assert months.loc["588", ["tila", "kuukausia", "kuntajako"]].tolist() == ["puuttuu", "0", ""]


def _monthly_data(tmp_path, rows: list[tuple]) -> Path:
    """A data folder with tyottomat_tyonhakijat_kk rows (code, year, month, value[, status])."""
    data = make_data(tmp_path / "data", {"vakiluku": [("020", 2023, 16405)]})
    lines = ["mittari,kuntanumero,kunta,vuosi,kuukausi,arvo,tila,lahde"]
    for code, year, month, value, *status in rows:
        name = {"020": "Akaa", "211": "Kangasala"}[code]
        lines.append(
            f"tyottomat_tyonhakijat_kk,{code},{name},{year},{month},{value},"
            f"{status[0] if status else 'lopullinen'},testi"
        )
    (data / "tilastot" / "tyottomat_tyonhakijat_kk.csv").write_text(
        "\n".join(lines) + "\n", encoding="utf-8"
    )
    return data


def test_monthly_measure_year_is_whole_only_with_twelve_months(tmp_path):
    rows = [("020", 2023, m, 100 + m) for m in range(1, 13)]  # Akaa: all twelve
    rows += [("211", 2023, m, 500) for m in range(1, 11)]  # Kangasala: January-October
    rows += [("211", 2022, m, 500, "ennakko" if m == 12 else "lopullinen") for m in range(1, 13)]
    stats = load_statistics(_monthly_data(tmp_path, rows))
    cov = k.coverage(stats, ["tyottomat_tyonhakijat_kk"], ["020", "211"], [2022, 2023])
    got = {(r.kuntanumero, r.vuosi): (r.tila, r.kuukausia) for r in cov.itertuples()}
    assert got == {
        ("020", 2022): ("puuttuu", 0),
        ("020", 2023): ("lopullinen", 12),
        ("211", 2022): ("ennakko", 12),  # one preliminary month makes the year preliminary
        ("211", 2023): ("osittain", 10),
    }
    summary = k.summary(cov)
    assert summary.loc["tyottomat_tyonhakijat_kk", "2023"] == "1 L + 1 o"
    assert k.matrix(cov, "tyottomat_tyonhakijat_kk").loc["Kangasala (211)"].tolist() == ["E", "o"]
    # a year with months missing is worth fetching again; 2022 of Akaa too
    assert k.fill_command(cov, stats.municipalities) == (
        "kustannukset data paivita --taulukot 12r5 --vuodet 2022-2023"
    )
    note = k.note(stats, "tyottomat_tyonhakijat_kk", 2023, ["020", "211"])
    assert note.startswith(
        "Työttömät työnhakijat kuukauden laskentapäivänä 2023: kuukausiluku 22/24 "
        "kunta-kuukaudelta (22 lopullinen, 2 puuttuu)."
    )


def test_figures_table_keeps_missing_figures_missing(small_data):
    stats = load_statistics(small_data)
    table = k.figures_table(stats, ["020", "211", "837"], 2023, ["vakiluku", "vieraskieliset"])
    assert list(table["kunta"]) == ["Akaa", "Kangasala", "Tampere", "Yhteensä"]
    assert table.loc[0, "vakiluku"] == 16405 and pd.isna(table.loc[2, "vakiluku"])
    # the total is over the figures that exist: 16 405 + 33 473
    assert table.loc[3, "vakiluku"] == 16405 + 33473
    assert table.loc[3, "vieraskieliset"] == 1190


def test_statistics_notebook_parameters_are_checked():
    with pytest.raises(InputError, match="parametri vuosi: vuoden pitää olla nelinumeroinen"):
        k.validate_parameters("Pirkanmaa", "viime vuosi")
    _, codes = k.validate_parameters("Pirkanmaa", 2019)
    assert len(codes) == 23
