"""Coverage (measure × municipality × year, with status), its command, and citations."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from kustannukset.cli import main
from kustannukset.core.errors import InputError
from kustannukset.stats import coverage as k
from kustannukset.stats.loader import load_statistics
from tests.conftest import make_data


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


def test_kattavuus_command_shows_the_imported_coverage(capsys):
    assert main(["data", "kattavuus"]) == 0
    out = capsys.readouterr().out
    assert "Tilastojen kattavuus: 23 kuntaa" in out
    summary = out.split("\n\n")[1]
    assert "vakiluku               23 L  23 L  23 L  23 L  23 L  23 L  23 E" in summary
    assert "vakiluku: Väkiluku 31.12. – 161/161 lukua" in out
    assert "Tampere (837)" in out
    assert "kustannukset data paivita --taulukot 11re 11rm 12r5 115b" in out


def test_kattavuus_csv_is_the_long_table(capsys):
    assert main(["data", "kattavuus", "--csv", "--kunnat", "kaikki", "--vuodet", "2019"]) == 0
    cov = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)
    assert list(cov.columns) == ["mittari", "kuntanumero", "kunta", "vuosi", "tila"]
    assert len(cov) == 12 * 309
    population = cov[cov["mittari"] == "vakiluku"]
    assert (population["tila"] == "lopullinen").all()
    assert population["kuntanumero"].str.len().eq(3).all()


def test_figures_table_keeps_missing_figures_missing(small_data):
    stats = load_statistics(small_data)
    table = k.figures_table(stats, ["020", "211", "837"], 2023, ["vakiluku", "vieraskieliset"])
    assert list(table["kunta"]) == ["Akaa", "Kangasala", "Tampere", "Yhteensä"]
    assert table.loc[0, "vakiluku"] == 16405 and pd.isna(table.loc[2, "vakiluku"])
    # the total is over the figures that exist: 16 405 + 33 473
    assert table.loc[3, "vakiluku"] == 16405 + 33473
    assert table.loc[3, "vieraskieliset"] == 1190


def test_statistics_notebook_parameters_are_checked():
    with pytest.raises(InputError, match="ei ole vuosiluku"):
        k.validate_parameters("Pirkanmaa", "viime vuosi")
    _, codes = k.validate_parameters("Pirkanmaa", 2019)
    assert len(codes) == 23
