"""Input schemas declared once (kustannukset.core.schema): unknown keys, wrong types and ranges are
one Finnish error naming the file, the line and the key; the models are frozen; and every entry
point that takes a year refuses the same non-years with the same words (kustannukset.core.years)."""

from __future__ import annotations

import argparse
import datetime as dt
import textwrap
from pathlib import Path

import pydantic
import pytest

from kustannukset import international as kv
from kustannukset.cli.common import year_arg
from kustannukset.cli.data import years_arg
from kustannukset.core.errors import InputError
from kustannukset.core.params import ParameterFile
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.schema import line_at
from kustannukset.core.years import parse_year
from kustannukset.scenarios.model import (
    MunicipalityNames,
    ScenarioFile,
    load_scenario,
    read_scenario_yaml,
)
from kustannukset.shared_costs import notebook as shared_notebook
from kustannukset.stats import coverage
from kustannukset.stats.loader import load_statistics
from tests.conftest import make_data

NAMES = MunicipalityNames({"837": "Tampere", "536": "Nokia", "604": "Pirkkala", "790": "Sastamala"})

GOOD = """\
nimi: testi
jakoperuste:
  vakiluku: {paino: 1, vuosi: 2021}
potti: {peruste: kokeilu_2023}
alueet:
  - nimi: A
    vastuukunta: Tampere
    jasenet: [Tampere, Nokia]
"""


def scenario(tmp_path: Path, text: str):
    path = tmp_path / "testi.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_scenario(path, NAMES), path


def error_of(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as info:
        scenario(tmp_path, text)
    return info.value


def test_good_file_reads_into_the_scenario(tmp_path):
    made, _ = scenario(tmp_path, GOOD)
    assert [a.members for a in made.areas] == [("837", "536")]
    assert made.areas[0].lead == "837" and made.areas[0].line == 6
    assert made.carrier == "ei_kukaan" and made.discounts_pct == {}


def test_unknown_key_in_an_area_names_file_line_key_and_the_close_one(tmp_path):
    # line 9 is the misspelt key 'poikkeu' under area A
    error = error_of(tmp_path, GOOD + "    poikkeu: haettu\n")
    assert Path(error.file).name == "testi.yaml"
    assert (error.row, error.column) == (9, "poikkeu")
    assert error.message.startswith("tuntematon kohta 'poikkeu' alueessa (tarkoititko 'poikkeus'?)")
    assert "sallitut: nimi, vastuukunta, jasenet, poikkeus" in error.message
    text = str(error)
    assert "testi.yaml, rivi 9, sarake 'poikkeu': tuntematon kohta 'poikkeu'" in text


def test_unknown_key_in_the_pool_is_refused(tmp_path):
    error = error_of(
        tmp_path, GOOD.replace("{peruste: kokeilu_2023}", "{peruste: kokeilu_2023, x: 1}")
    )
    assert (error.row, error.column) == (4, "x")
    assert error.message.startswith("tuntematon kohta 'x' potissa")


@pytest.mark.parametrize(
    ("old", "new", "row", "column", "words"),
    [
        # a weight is a number 0-1
        (
            "{paino: 1, vuosi: 2021}",
            "{paino: 1.5, vuosi: 2021}",
            3,
            "paino",
            "pitää olla 0–1, ei 1.5",
        ),
        ("{paino: 1, vuosi: 2021}", "{paino: yksi, vuosi: 2021}", 3, "paino", "'yksi' ei ole luku"),
        # the factor must be positive
        (
            "{peruste: kokeilu_2023}",
            "{peruste: kokeilu_2023, kerroin: -1}",
            4,
            "kerroin",
            "pitää olla suurempi kuin 0, ei -1",
        ),
        # an unknown pool base is named with the close one
        (
            "{peruste: kokeilu_2023}",
            "{peruste: kokeilu_2032}",
            4,
            "peruste",
            "tuntematon potin peruste 'kokeilu_2032' (tarkoititko 'kokeilu_2023'?)",
        ),
        # members are a list, not one name
        (
            "jasenet: [Tampere, Nokia]",
            "jasenet: {Tampere: 1}",
            8,
            "jasenet",
            "pitää antaa luettelona",
        ),
        # an empty list of members
        ("jasenet: [Tampere, Nokia]", "jasenet: []", 8, "jasenet", "ei saa olla tyhjä"),
        # a required key missing: the line of the area, the key as the column
        ("    vastuukunta: Tampere\n", "", 6, "vastuukunta", "alueelta puuttuu 'vastuukunta'"),
    ],
    ids=[
        "weight-range",
        "weight-type",
        "factor",
        "pool-base",
        "members-type",
        "members-empty",
        "missing",
    ],
)
def test_wrong_type_or_range_is_named(tmp_path, old, new, row, column, words):
    assert old in GOOD
    error = error_of(tmp_path, GOOD.replace(old, new))
    assert (error.row, error.column) == (row, column), str(error)
    assert words in error.message, error.message


def test_a_problem_in_the_whole_mapping_names_where_it_starts(tmp_path):
    text = GOOD.replace("vakiluku: {paino: 1", "vakiluku: {paino: 0.5")
    error = error_of(tmp_path, text)
    # the key mapping starts on line 3; 0.5 ≠ 1
    assert (error.row, error.column) == (3, "paino")
    assert error.message == "jakoperusteen painojen summa on 0.5, pitää olla 1"


def test_models_are_frozen(tmp_path):
    _, path = scenario(tmp_path, GOOD)
    written = ScenarioFile.model_validate(read_scenario_yaml(path), context={"names": NAMES})
    with pytest.raises(pydantic.ValidationError):
        written.name = "toinen"
    with pytest.raises(pydantic.ValidationError):
        written.areas[0].lead = "536"


def test_line_at_finds_keys_items_and_the_nearest_enclosing_place(tmp_path):
    _, path = scenario(tmp_path, GOOD)
    raw = read_scenario_yaml(path)
    assert line_at(raw, ("alueet", 0, "vastuukunta")) == 7
    assert line_at(raw, ("alueet", 0)) == 6  # a mapping: its own first line
    assert line_at(raw, ("alueet", 0, "puuttuva")) == 6


def test_parameter_value_with_an_unknown_key_names_its_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "lahteet: {l: lähde}\nx:\n  arvot:\n    2021-01-01: {arvo: 1, lahde: l, tilaa: arvio}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        ParameterFile(path)
    assert (info.value.row, info.value.column) == (4, "tilaa")
    assert "tuntematon kohta 'tilaa' arvossa (tarkoititko 'tila'?)" in info.value.message


def test_dict_valued_price_with_a_bad_integration_year_names_the_line(tmp_path):
    text = (DATA_DIR / kv.PARAMETER_FILE).read_text(encoding="utf-8")
    old = "arvo: {1: 750, 2: 1150, 3: 1400, 4: 1400, 5: 1400}"
    assert old in text
    target = tmp_path / kv.PARAMETER_FILE
    target.parent.mkdir(parents=True)
    target.write_text(text.replace(old, "arvo: {1: 750, 2: 1150, x: 1400}"), encoding="utf-8")
    rules = kv.Rules(tmp_path)
    with pytest.raises(InputError) as info:
        rules.unit_price("oma_valmennus", dt.date(2021, 6, 1), 1)
    line = text[: text.index(old)].count("\n") + 1
    assert info.value.row == line
    assert "kotoutumisvuoden pitää olla kokonaisluku 1–9, ei 'x'" in info.value.message


# --- one year check everywhere ---------------------------------------------------------------------

NOT_YEARS = ["20x3", "123", 2023.5]


def wording(value) -> str:
    # written out by hand: the one sentence of kustannukset.core.years
    return f"vuoden pitää olla nelinumeroinen vuosiluku 1900–2100 (esim. 2023), ei '{value}'"


@pytest.mark.parametrize("value", NOT_YEARS)
def test_core_parse_year(value):
    with pytest.raises(InputError) as info:
        parse_year(value, file="x.csv", row=2, column="vuosi")
    assert info.value.message == wording(value)
    assert parse_year("2023") == 2023 and parse_year(2023) == 2023


@pytest.mark.parametrize("value", NOT_YEARS)
def test_command_line_year_and_year_range(value):
    with pytest.raises(argparse.ArgumentTypeError) as info:
        year_arg(str(value))
    assert str(info.value) == wording(value)
    with pytest.raises(argparse.ArgumentTypeError) as info:
        years_arg(f"2019-{value}")
    assert str(info.value) == wording(value)


@pytest.mark.parametrize("value", NOT_YEARS)
def test_scenario_file_year(tmp_path, value):
    error = error_of(tmp_path, GOOD.replace("vuosi: 2021", f"vuosi: {value}"))
    assert (error.row, error.column) == (3, "vuosi")
    assert error.message == wording(value)


@pytest.mark.parametrize("value", NOT_YEARS)
def test_notebook_parameters(value):
    expected = "parametri vuosi: " + wording(value)
    with pytest.raises(InputError) as info:
        shared_notebook.validate_parameters(value)
    assert info.value.message == expected
    with pytest.raises(InputError) as info:
        coverage.validate_parameters("Pirkanmaa", value)
    assert info.value.message == expected
    with pytest.raises(InputError) as info:
        kv.check_parameters(value, "")
    assert info.value.message == expected


@pytest.mark.parametrize("value", NOT_YEARS)
def test_international_cost_file_year(tmp_path, value):
    path = tmp_path / "kustannukset.csv"
    path.write_text(
        "vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde\n"
        f"{value};henkilostokulut;1;1;esimerkki;l\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        kv.read_costs(path, kv.Rules(DATA_DIR))
    assert (info.value.row, info.value.column) == (2, "vuosi")
    assert info.value.message == wording(value)


@pytest.mark.parametrize("value", NOT_YEARS)
def test_statistics_file_year_column(tmp_path, value):
    data = make_data(tmp_path / "data", {"vakiluku": [("020", value, 16405)]})
    with pytest.raises(InputError) as info:
        load_statistics(data)
    # the header is line 1, the one figure line 2
    assert (info.value.row, info.value.column) == (2, "vuosi")
    assert info.value.message == wording(value)
