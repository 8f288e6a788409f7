"""The data folder as the package reads it: codes stay strings, every figure has a source."""

from kustannukset.stats.loader import MEASURES, load_municipalities, load_statistics


def test_codes_are_three_digit_strings():
    municipalities = load_municipalities()
    assert municipalities.name("020") == "Akaa"
    assert all(isinstance(c, str) and len(c) == 3 for c in municipalities.table.index)


def test_22_experiment_municipalities_without_kuhmoinen():
    municipalities = load_municipalities()
    experiment = municipalities.experiment
    assert len(experiment) == 22
    assert "291" not in experiment  # Kuhmoinen did not take part
    assert municipalities.name("291") == "Kuhmoinen"


def test_every_figure_names_its_source_and_status():
    stats = load_statistics()
    table = stats.table
    assert (table["lahde"].str.len() > 0).all()
    assert set(table["tila"]) <= {"lopullinen", "ennakko", "johdettu", "arvio", "esimerkki"}
    assert set(table["mittari"]) <= set(MEASURES)


def test_population_years_final_to_2025():
    stats = load_statistics()
    pop = stats.rows("vakiluku")
    pirkanmaa = load_municipalities().table.query("maakunta == 'Pirkanmaa'").index
    for year in range(2019, 2026):
        rows = pop[(pop["vuosi"] == year) & pop["kuntanumero"].isin(pirkanmaa)]
        assert len(rows) == 23, year
    # the final 2024 figures (Statistics Finland, kunta_vaki2024) replaced the preliminary ones
    assert set(pop[pop["vuosi"] == 2024]["tila"]) == {"lopullinen"}
    assert set(pop[pop["vuosi"] == 2023]["tila"]) == {"lopullinen"}
    # 2021, as in the 2023 price table: Tampere 244 223, the 22 together 525 320
    values = stats.values("vakiluku", 2021, load_municipalities().experiment)
    assert values["837"] == 244223 and sum(values.values()) == 525320
