"""Damaged input files, each refused with one Finnish line naming the file, the row and the column
(exit 2, nothing printed on standard output, no traceback), or read correctly when the damage is
only an encoding that Finnish Excel writes."""

from __future__ import annotations

import os
from fractions import Fraction

import pytest

from kustannukset.core import guarded
from kustannukset.core.errors import InputError
from tests.conftest import edit_csv, run_cli
from tests.unit.test_cli import assert_one_line_error

COST_LINE = "{arvo: 126049, kustannusvuosi: 2022, lahde: hintataulukko_2023}"
PARAMS = ("parametrit", "yhteiset_kustannukset.yaml")


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


# --- numbers: checked as text first, so huge exponents cannot hang the conversion


@pytest.mark.parametrize("text", ["nan", "inf", "-Infinity", "1e309", "1e999999999", "0x10"])
def test_numbers_that_are_not_finite_decimals_are_refused(text):
    with pytest.raises(InputError, match=r"ei ole luku|epäuskottavan"):
        guarded.exact_number(text, file="x.csv", row=2, column="arvo")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", Fraction(0)),
        ("007", Fraction(7)),
        ("5736", Fraction(5736)),
        ("9" * 18, Fraction(10**18 - 1)),  # the largest whole number taken without Decimal
        ("12.5", Fraction(25, 2)),
        ("+3", Fraction(3)),
    ],
)
def test_whole_and_decimal_numbers_are_exact(text, expected):
    assert guarded.exact_number(text) == expected


@pytest.mark.parametrize("text", ["9" * 19, "²", "1 000"])
def test_digits_past_the_whole_number_path_are_still_checked(text):
    # 19 digits is above the plausible size; a superscript two is a digit to str.isdigit but no
    # number; a space is not read here (the CSV reader removes thousands spaces first)
    with pytest.raises(InputError, match=r"ei ole luku|epäuskottavan"):
        guarded.exact_number(text)


def test_a_huge_exponent_is_refused_without_converting_it():
    # Decimal('1e999999999') converted to a Fraction would build a billion-digit integer; the text
    # check refuses it first. One thousand refusals must take well under the time of one conversion,
    # so the loop below finishing at all is the check (no timing assert).
    for _ in range(1000):
        with pytest.raises(InputError):
            guarded.exact_number("1e999999999")
    with pytest.raises(InputError):
        guarded.exact_number("9" * 100_000)


@pytest.mark.parametrize("value", ["1" + "0" * 30, "1.0e+309", ".inf", ".nan", "9" * 5000])
def test_implausible_cost_is_an_error(data_copy, value):
    path = data_copy.joinpath(*PARAMS)
    text = path.read_text(encoding="utf-8")
    line_no = _line_of(text, COST_LINE)
    path.write_text(
        text.replace(COST_LINE, COST_LINE.replace("126049", value), 1), encoding="utf-8"
    )
    result = run_cli("jako", "2023", "--data", str(data_copy))
    assert_one_line_error(result, "yhteiset_kustannukset.yaml")
    if len(value) < 100:  # a 5 000-digit integer fails in the parser, before lines are kept
        assert f"rivi {line_no}" in result.stderr


# --- encodings and characters


def test_parameters_saved_in_windows_1252_are_read_as_such(data_copy):
    expected = run_cli("jako", "2023", "--csv", "--data", str(data_copy))
    path = data_copy.joinpath(*PARAMS)
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = run_cli("jako", "2023", "--csv", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout


def test_parameters_in_utf8_with_bom_are_read(data_copy):
    expected = run_cli("jako", "2023", "--csv", "--data", str(data_copy))
    path = data_copy.joinpath(*PARAMS)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli("jako", "2023", "--csv", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout


def test_bytes_in_no_known_encoding_name_the_place(data_copy):
    path = data_copy.joinpath(*PARAMS)
    raw = path.read_bytes()
    # 0x81 is invalid both in UTF-8 (a lone continuation byte) and in Windows-1252 (undefined);
    # put it as the third character of line 2.
    second = raw.index(b"\n") + 1
    path.write_bytes(raw[: second + 2] + b"\x81" + raw[second + 2 :])
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        "rivi 2, merkki 3:",
        "merkistöä ei tunnistettu",
    )


def test_utf16_is_refused_not_misread(data_copy):
    path = data_copy.joinpath(*PARAMS)
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        "rivi 1",
        "ohjausmerkki",
    )


def test_control_character_in_yaml_names_row_and_column(data_copy):
    path = data_copy.joinpath(*PARAMS)
    text = path.read_text(encoding="utf-8")
    line_no = _line_of(text, COST_LINE)
    path.write_text(text.replace(COST_LINE, "\x07" + COST_LINE, 1), encoding="utf-8")
    line = assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        f"rivi {line_no}",
        "ohjausmerkki",
        "0x07",
    )
    # the place on the row is a character, not a column (a YAML file has none)
    position = text.splitlines()[line_no - 1].index(COST_LINE) + 1
    assert f"rivi {line_no}, merkki {position}:" in line and "sarake" not in line


def test_control_character_in_csv(data_copy):
    line_no = edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "020", "vuosi": "2021"},
        {"tila": "lopullinen\x00"},
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "vakiluku.csv",
        f"rivi {line_no}",
        "ohjausmerkki",
    )


# --- YAML structure


def test_malformed_yaml_is_explained_in_finnish(data_copy):
    path = data_copy.joinpath(*PARAMS)
    text = path.read_text(encoding="utf-8")
    line_no = _line_of(text, COST_LINE)
    broken = "{arvo: 126049, kustannusvuosi: 2022 lahde: hintataulukko_2023}"
    path.write_text(text.replace(COST_LINE, broken, 1), encoding="utf-8")
    result = run_cli("jako", "2023", "--data", str(data_copy))
    line = assert_one_line_error(result, "yhteiset_kustannukset.yaml", f"rivi {line_no}")
    assert "expected" not in line and "but got" not in line


def test_yaml_alias_bomb_is_refused_at_the_first_anchor(data_copy):
    # The classic "billion laughs": nine levels, each a list of nine references to the one above.
    lines = ['a0: &a0 "lol"']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = data_copy.joinpath(*PARAMS)
    path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n", encoding="utf-8")
    first = path.read_text(encoding="utf-8").splitlines().index(lines[0]) + 1
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        f"rivi {first}",
        "ankkurit",
    )


def test_deeply_nested_scenario_is_refused(data_copy, tmp_path):
    scenario = tmp_path / "syva.yaml"
    scenario.write_text("nimi: syvä\nalueet: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert_one_line_error(
        run_cli("skenaariot", str(scenario), "--data", str(data_copy)),
        "syva.yaml",
        "rivi 2",
        "liian syvä",
    )


def test_a_folder_in_place_of_a_yaml_file(data_copy):
    path = data_copy.joinpath(*PARAMS)
    path.unlink()
    path.mkdir()
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)), "yhteiset_kustannukset.yaml", "kansio"
    )


# --- the register of municipalities


def test_header_only_municipality_register(data_copy):
    path = data_copy / "kunnat.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)), "kunnat.csv", "yhtään kuntaa"
    )


def test_tampere_deleted_from_register_names_the_register(data_copy):
    path = data_copy / "kunnat.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if ",Tampere," not in x), encoding="utf-8")
    line = assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)), "kunnat.csv", "Tampere", "837"
    )
    assert line.startswith(f"Virhe: tiedosto {data_copy / 'kunnat.csv'}")


# --- international services: an event before any rule


def test_event_before_any_rule_names_the_events_row(data_copy, tmp_path):
    source = data_copy / "esimerkki" / "kv_palvelutapahtumat_esimerkki.csv"
    text = source.read_text(encoding="utf-8-sig")
    # The integration-time rule starts on 1.1.2019 (kansainvaliset_palvelut.yaml); 15.3.2018
    # predates it. The new row is the file's last line.
    events = tmp_path / "tapahtumat.csv"
    events.write_text(
        text.rstrip("\n") + "\nAkaa;15.3.2018;oma_valmennus;1;1;ei;;;esimerkki\n", encoding="utf-8"
    )
    last = len(events.read_text(encoding="utf-8").splitlines())
    assert_one_line_error(
        run_cli(
            "arvio",
            "2020",
            "--tapahtumat",
            str(events),
            "--kustannukset",
            str(data_copy / "esimerkki" / "kv_kustannukset_esimerkki.csv"),
            "--data",
            str(data_copy),
        ),
        "tapahtumat.csv",
        f"rivi {last}",
        "sarake 'pvm'",
    )


# --- output and warnings


def test_scenario_saved_in_windows_1252_reads_as_in_utf8(data_copy, tmp_path):
    source = data_copy / "skenaariot" / "perusura.yaml"
    utf8, cp1252 = tmp_path / "perusura.yaml", tmp_path / "w" / "perusura.yaml"
    cp1252.parent.mkdir()
    text = source.read_text(encoding="utf-8")
    assert any(ch in text for ch in "äöÄÖ")  # the test means something only with such letters
    utf8.write_text(text, encoding="utf-8")
    cp1252.write_bytes(text.encode("cp1252"))
    expected = run_cli("skenaariot", str(utf8), "--csv", "--data", str(data_copy))
    assert expected.returncode == 0, expected.stderr
    result = run_cli("skenaariot", str(cp1252), "--csv", "--data", str(data_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected.stdout


# --- anything but a regular file in place of a data file


def _put_in_place(path, fault: str) -> str:
    """Put ``fault`` where the file ``path`` is (or would be); returns the words the error uses."""
    if path.exists() or path.is_symlink():
        path.unlink()
    if fault == "kansio":
        path.mkdir()
        return "on kansio, ei tiedosto"
    if fault == "/dev/zero":
        path.symlink_to("/dev/zero")
        return "on laite, ei tiedosto"
    if fault == "/dev/null":
        path.symlink_to("/dev/null")
        return "on laite, ei tiedosto"
    if fault == "linkkisilmukka":
        path.symlink_to(path.name)  # a link to itself
        return "kiertää kehää"
    if fault == "katkennut linkki":
        path.symlink_to(path.parent / "ei-ole.csv")
        return "linkki, jonka kohdetta ei ole"
    if fault == "putki":
        os.mkfifo(path)
        return "putki (FIFO)"
    raise AssertionError(fault)


FAULTS = ["kansio", "/dev/zero", "/dev/null", "linkkisilmukka", "katkennut linkki", "putki"]


@pytest.mark.parametrize("fault", FAULTS)
def test_anything_but_a_regular_file_is_refused_by_every_reader(tmp_path, fault):
    path = tmp_path / "luvut.csv"
    words = _put_in_place(path, fault)
    for read in (
        guarded.check_file,
        guarded.read_bytes,
        guarded.read_text,
        guarded.present,
        lambda p: guarded.load_yaml(p, kind="tiedosto"),
        lambda p: guarded.data_files(p.parent, "*.csv"),
    ):
        with pytest.raises(InputError) as caught:
            read(path)
        assert words in caught.value.message and caught.value.file == path


def test_an_optional_file_that_is_not_there_is_absent_and_a_regular_file_present(tmp_path):
    assert guarded.present(tmp_path / "ei-ole.csv") is False
    (tmp_path / "on.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / ".kesken-1-on.csv").write_text("a\n", encoding="utf-8")
    assert guarded.present(tmp_path / "on.csv") is True
    # a link to a regular file is a regular file; hidden (staged) names are not data
    (tmp_path / "linkki.csv").symlink_to(tmp_path / "on.csv")
    assert guarded.data_files(tmp_path, "*.csv") == [tmp_path / "linkki.csv", tmp_path / "on.csv"]


@pytest.mark.parametrize("fault", FAULTS)
def test_a_statistics_file_replaced_is_one_line_naming_it(data_copy, fault):
    # before: a folder gave a KeyError traceback from `jako` and `raportti`
    words = _put_in_place(data_copy / "tilastot" / "vakiluku.csv", fault)
    assert_one_line_error(run_cli("jako", "2023", "--data", str(data_copy)), "vakiluku.csv", words)


@pytest.mark.parametrize(
    ("relative", "command"),
    [
        ("parametrit/alueiden_kustannukset.yaml", ["skenaariot", "paatetty_2025"]),
        ("tilastolahteet.csv", ["jako", "2023"]),
        ("kartat/kuntarajat-2023.geojson", ["skenaariot", "perusura"]),
        # the decided areas are read for the change against them
        ("skenaariot/paatetty_2025.yaml", ["skenaariot", "elokuu_2023"]),
    ],
)
def test_an_optional_or_listed_file_replaced_is_not_taken_for_missing(data_copy, relative, command):
    # these were read only "if the file is there": a folder in place was silently no file
    words = _put_in_place(data_copy / relative, "kansio")
    assert_one_line_error(
        run_cli(*command, "--data", str(data_copy)), relative.rsplit("/", 1)[-1], words
    )


# --- every number of every YAML file: finite and of a plausible size, whatever the key


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e309", "epäuskottavan suuri"),  # YAML 1.1 reads this as text: Fraction took it whole
        ("1e999", "epäuskottavan suuri"),
        ("inf", "ääretön"),
        ("nan", "ääretön tai epäluku"),
        ("Infinity", "ääretön"),
        (".inf", "ääretön"),
        ("-.inf", "ääretön"),
        (".nan", "ääretön tai epäluku"),
        ("1.0e309", "epäuskottavan suuri"),
        ("99999999999999999999", "epäuskottavan suuri"),
    ],
)
def test_a_non_finite_or_absurd_number_anywhere_in_yaml_names_file_and_row(tmp_path, value, words):
    path = tmp_path / "oma.yaml"
    path.write_text(f"nimi: Oma\nalueet:\n  - nimi: A\n    paino: {value}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        guarded.load_yaml(path, kind="skenaariotiedosto")
    assert words in caught.value.message and value in caught.value.message
    assert caught.value.row == 4
    # the row is "    paino: <value>": the value starts at its 12th character
    assert str(caught.value).startswith(f"tiedosto {path}, rivi 4, merkki 12: ")


def test_quoted_text_and_ordinary_numbers_stay_as_written(tmp_path):
    path = tmp_path / "oma.yaml"
    path.write_text('a: "inf"\nb: 1e5\nc: 2.5\nd: 17\ne: Infinity-hanke\n', encoding="utf-8")
    assert guarded.load_yaml(path, kind="tiedosto") == {
        "a": "inf",
        "b": "1e5",
        "c": 2.5,
        "d": 17,
        "e": "Infinity-hanke",
    }


@pytest.mark.parametrize("value", ["1e309", "inf", "nan", "1e999", '"1e17"', '"1e309"'])
def test_a_cost_of_1e309_is_refused_before_any_payment_is_computed(data_copy, value):
    # before: `arvo: 1e309` gave payments of 300 digits from `jako` and an OverflowError inside
    # papermill from `raportti`
    path = data_copy.joinpath(*PARAMS)
    text = path.read_text(encoding="utf-8")
    line_no = _line_of(text, COST_LINE)
    path.write_text(
        text.replace(COST_LINE, COST_LINE.replace("126049", value), 1), encoding="utf-8"
    )
    for command in (["jako", "2023"], ["jako", "2023", "--csv"]):
        assert_one_line_error(
            run_cli(*command, "--data", str(data_copy)),
            "yhteiset_kustannukset.yaml",
            f"rivi {line_no}",
        )
