"""Dated parameters: the value in force on a date, both sides of a change, and errors with lines."""

import datetime as dt
from pathlib import Path

import pytest

from kustannukset.core.errors import InputError
from kustannukset.core.params import ParameterFile
from kustannukset.shared_costs.pricing import available_years, parameter_file

EXAMPLE = """\
lahteet:
  liite: Kustannustenjakoliite
palkkio_pct:
  kuvaus: esimerkki
  arvot:
    2021-01-01: {arvo: 20, lahde: liite}
    2023-01-01: {arvo: 17, lahde: liite}
    2025-01-01: {arvo: null}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_value_in_force_on_both_sides_of_a_change(tmp_path):
    param = ParameterFile(write(tmp_path, EXAMPLE))["palkkio_pct"]
    assert param.at(dt.date(2022, 12, 31)).value == 20
    assert param.at(dt.date(2023, 1, 1)).value == 17
    assert param.at(dt.date(2023, 1, 1)).source == "Kustannustenjakoliite"  # resolved from lahteet
    assert param.at(dt.date(2023, 1, 1)).line == 7


def test_before_the_first_value_and_after_the_end_are_errors(tmp_path):
    param = ParameterFile(write(tmp_path, EXAMPLE))["palkkio_pct"]
    with pytest.raises(InputError, match=r"ei ole arvoa päivänä 31\.12\.2020"):
        param.at(dt.date(2020, 12, 31))
    with pytest.raises(InputError, match=r"ei ole arvoa päivänä 1\.1\.2025") as exc:
        param.at(dt.date(2025, 1, 1))
    assert exc.value.row == 8


def test_a_value_without_source_names_its_line(tmp_path):
    text = EXAMPLE.replace("{arvo: 17, lahde: liite}", "{arvo: 17}")
    with pytest.raises(InputError) as exc:
        ParameterFile(write(tmp_path, text))
    assert exc.value.row == 7 and exc.value.column == "lahde"


def test_duplicate_key_and_bad_yaml_name_their_lines(tmp_path):
    text = EXAMPLE + "palkkio_pct:\n  arvot: {}\n"
    with pytest.raises(InputError, match="kahdesti") as exc:
        ParameterFile(write(tmp_path, text))
    assert exc.value.row == 9
    with pytest.raises(InputError, match="YAML") as exc:
        ParameterFile(write(tmp_path, "a: [1, 2\nb: 3\n"))
    assert exc.value.row is not None


def test_a_date_key_must_be_a_date(tmp_path):
    text = EXAMPLE.replace("2023-01-01: {arvo: 17", "1.1.2023: {arvo: 17")
    with pytest.raises(InputError, match="VVVV-KK-PP") as exc:
        ParameterFile(write(tmp_path, text))
    assert exc.value.row == 7


def test_project_parameters_give_the_2023_figures():
    params = parameter_file()
    on = dt.date(2023, 1, 1)
    assert params["flat_rate_pct"].at(on).value == 17
    assert params["vastuukunta"].at(on).value == "837"
    assert params["jakoperusteen_viive_vuotta"].at(on).value == 2
    assert params["alennukset"].at(dt.date(2021, 6, 1)).value == {"790": 20}  # Sastamala 2021
    assert params["alennukset"].at(on).value == {}
    assert params["palvelut.ict.kulut"].at(on).value == 79463
    assert available_years() == [2023, 2024]


def test_a_misspelt_parameter_name_is_pointed_at(tmp_path):
    # EXAMPLE with 'palkkio_pct' written 'palkio_pct' on line 3
    params = ParameterFile(write(tmp_path, EXAMPLE.replace("palkkio_pct:", "palkio_pct:")))
    with pytest.raises(InputError, match="tiedostossa on 'palkio_pct'") as exc:
        params["palkkio_pct"]
    assert (exc.value.row, exc.value.column) == (3, "palkio_pct")
    with pytest.raises(InputError, match=r"^.*parametri 'alennus' puuttuu$"):
        params["alennus"]
