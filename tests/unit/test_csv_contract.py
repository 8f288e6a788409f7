"""The CSV contract, checked on every command that offers ``--csv``, in both dialects: parsed
with the ``csv`` module, snake_case headers, ``tila`` last and valid on every row, money with the
decimals of its kind (whole euros or cents), codes kept as text, and the Finnish Excel dialect
(``--excel-csv``) the same table as the plain one."""

from __future__ import annotations

import argparse
import csv
import io
import re

import pandas as pd
import pytest

from kustannukset.cli import build_parser
from kustannukset.core.paths import PROJECT_ROOT
from kustannukset.view import csv_output, labels
from tests.conftest import run_cli

# Every command that offers --csv, with the runs that show each of its tables (a test below fails
# when a command offers --csv and is missing here). The money of a command's own columns (one
# per service) is in whole euros (jako) or cents (the international services).
RUNS = {
    ("jako",): [["jako", "2023"], ["jako", "2024"]],
    ("arvio",): [["arvio", "2021"]],
    ("tasaus",): [["tasaus", "2021"]],
    ("laskut",): [["laskut", "2022"], ["laskut", "2022", "--jakso", "2"]],
    ("skenaariot",): [
        ["skenaariot"],
        ["skenaariot", "paatetty_2025", "elokuu_2023", "perusura"],
    ],
    ("aluejaot",): [
        ["aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski", "--raja", "7598"],
        ["aluejaot", "--kunta", "Valkeakoski"],
    ],
    ("data", "kattavuus"): [
        ["data", "kattavuus", "--kunnat", "Akaa", "Tampere"],
        ["data", "kattavuus", "--yhteenveto"],
    ],
}
OWN_COLUMNS_DECIMALS = {"jako": 0, "arvio": 2, "tasaus": 2, "laskut": 2}
RUN_IDS = [" ".join(run) for runs in RUNS.values() for run in runs]
ALL_RUNS = [run for runs in RUNS.values() for run in runs]


def _commands_with(option: str) -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*path, name))
            elif option in action.option_strings:
                found[path] = parser

    walk(build_parser(), ())
    return found


def test_every_command_offering_csv_is_checked_here_and_offers_the_excel_dialect():
    with_csv = _commands_with("--csv")
    assert set(with_csv) == set(RUNS)
    assert set(_commands_with("--excel-csv")) == set(with_csv)


def _expected_decimals(name: str, command: str) -> tuple[str, int] | None:
    """The kind of a column, and its decimals, from the one registry (or the command's own)."""
    try:
        col = labels.column(name)
    except ValueError:
        return ("money", OWN_COLUMNS_DECIMALS[command])
    return (col.kind.name, col.kind.decimals)


def _parse(result, excel: bool) -> tuple[list[str], list[list[str]]]:
    assert result.returncode == 0, result.stderr
    text = result.stdout
    if excel:
        assert text.startswith("\ufeff"), "UTF-8 BOM for Excel"
        assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
        text = text[1:]
    else:
        assert not text.startswith("\ufeff") and "\r" not in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))
    return rows[0], rows[1:]


@pytest.fixture(scope="module", params=ALL_RUNS, ids=RUN_IDS)
def both(request) -> tuple[list[str], tuple, tuple]:
    run = request.param
    plain = _parse(run_cli(*run, "--csv"), excel=False)
    excel = _parse(run_cli(*run, "--excel-csv"), excel=True)
    return run, plain, excel


def test_headers_are_snake_case_and_tila_is_last_and_valid(both):
    _run, (header, rows), _ = both
    assert rows, "rows"
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", h) for h in header), header
    assert header[-1] == "tila" and header.count("tila") == 1
    for row in rows:
        assert len(row) == len(header)
        assert row[-1] in labels.STATUSES, row[-1]


def test_money_and_figures_carry_the_decimals_of_their_kind(both):
    run, (header, rows), _ = both
    patterns = {
        "code": r"\d{3}",
        "count": r"-?\d+",
    }
    for i, name in enumerate(header):
        kind, decimals = _expected_decimals(name, run[0])
        if kind in ("money", "decimal"):
            pattern = r"-?\d+" + (rf"\.\d{{{decimals}}}" if decimals else "")
        elif kind in patterns:
            pattern = patterns[kind]
        else:
            continue
        for row in rows:
            assert row[i] == "" or re.fullmatch(pattern, row[i]), (name, row[i])
        # no unrounded floats anywhere (the 1524332.9856967523 of before)
        assert not any(re.fullmatch(r"-?\d+\.\d{5,}", row[i]) for row in rows), name


def test_the_excel_dialect_is_the_same_table_in_finnish_form(both):
    run, (header, rows), (excel_header, excel_rows) = both
    assert excel_header == header and len(excel_rows) == len(rows)
    for plain_row, excel_row in zip(rows, excel_rows, strict=True):
        for name, plain, excel in zip(header, plain_row, excel_row, strict=True):
            kind, _ = _expected_decimals(name, run[0])
            if kind == "code":
                # ="020": Excel shows the text 020, not the number 20
                assert excel == f'="{plain}"', (name, excel)
            elif kind in ("money", "decimal"):
                assert excel == plain.replace(".", ","), (name, excel)
                assert "." not in excel
            else:
                assert excel == plain, (name, excel)


def test_codes_stay_text_and_notes_stay_out_of_the_rows():
    result = run_cli(
        "aluejaot", "--vain", "--kunnat", "Akaa", "Valkeakoski", "--raja", "7598", "--csv"
    )
    header, rows = _parse(result, excel=False)
    assert header[:2] == ["kuntanumero", "kunta"]
    assert [r[0] for r in rows] == ["020", "908"]
    # the 90-character note of before is on standard error, not a column of every row
    assert "Huom" in result.stderr and "huom" not in header
    assert not any("ARVIO" in cell for row in rows for cell in row)


def test_aluejaot_kunta_prints_csv_not_the_table():
    # before: `aluejaot --kunta Valkeakoski --csv` printed the human table, byte for byte
    result = run_cli("aluejaot", "--kunta", "Valkeakoski", "--csv")
    header, rows = _parse(result, excel=False)
    assert header == ["nro", "kuntia", "tyovoima", "vastuukunta", "kunnat", "tila"]
    # Valkeakoski's nine minimal legal areas; the labour force is a derived estimate
    assert len(rows) == 9 and {r[-1] for r in rows} == {"johdettu"}
    assert "Nro  Kuntia" not in result.stdout


def test_kattavuus_summary_csv_is_the_summary():
    # before: `data kattavuus --yhteenveto --csv` ignored --yhteenveto
    header, rows = _parse(run_cli("data", "kattavuus", "--yhteenveto", "--csv"), excel=False)
    assert header[:3] == ["mittari", "vuosi", "kuntia"]
    population = {r[1]: r for r in rows if r[0] == "vakiluku"}
    # Pirkanmaa's 23 municipalities: 31.12.2021 and 31.12.2024 final for all (2024 was a
    # preliminary figure before the statistics up to 2025)
    index = header.index("lopullinen")
    assert population["2021"][index] == "23" and population["2021"][-1] == "lopullinen"
    assert population["2024"][index] == "23" and population["2024"][header.index("ennakko")] == "0"
    assert population["2024"][-1] == "lopullinen"


def test_jako_2024_says_estimate_in_every_row():
    # before: the ARVIO note went to standard error only, so `> file.csv` lost it
    _header, rows = _parse(run_cli("jako", "2024", "--csv"), excel=False)
    assert {row[-1] for row in rows} == {"arvio"}


def test_scenario_rows_are_rounded_and_carry_their_status():
    header, rows = _parse(run_cli("skenaariot", "paatetty_2025", "--csv"), excel=False)
    row = dict(
        zip(header, next(r for r in rows if r[header.index("kunta")] == "Akaa"), strict=True)
    )
    # Akaa's share 3,5345404904… % of the Tampere area's pool, which the cost model makes the
    # area's reported 70 900 000 €: 2 505 989,2… €, 152,1825… € for each of its 16 467
    # inhabitants: shown as the kinds say (three and two decimals); the payment in whole euros
    assert row["osuus_pct"] == "3.535" and row["maksuosuus_per_asukas"] == "152.18"
    assert row["maksuosuus"] == "2505989"
    assert row["skenaarion_nimi"] == "C – Päätetyt alueet 2025"
    # the cost model's fixed part is an example, so the payment is one; the funding an estimate
    assert row["maksuosuus_tila"] == "esimerkki" and row["valtionosuus_tila"] == "arvio"
    assert row["tila"] == "esimerkki"


def test_a_formula_like_text_is_guarded_in_both_dialects():
    frame = pd.DataFrame({"kuntanumero": ["020"], "kunta": ["=HYPERLINK(1)"], "maksuosuus": [-5]})
    plain = csv_output.render(frame, status="arvio")
    excel = csv_output.render(frame, status="arvio", dialect=csv_output.EXCEL_FI)
    assert plain.splitlines()[1] == "020,'=HYPERLINK(1),-5,arvio"
    assert excel.splitlines()[1] == '="020";\'=HYPERLINK(1);-5;arvio'


def _readme_rows() -> dict[str, str]:
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## CSV-tiedostot", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| `([^`]+)` \| (.*) \|$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def _readme_key(run: list[str]) -> str:
    if run[0] == "data":
        return "data kattavuus --yhteenveto" if "--yhteenveto" in run else "data kattavuus"
    if run[0] == "aluejaot" and "--kunta" in run:
        return "aluejaot --kunta"
    if run[0] == "aluejaot" and "--koko-maa" in run:
        return "aluejaot --koko-maa"
    if run[0] == "skenaariot" and len(run) > 1:  # named scenarios: the detailed rows
        return "skenaariot --tarkat"
    return run[0]


def test_every_header_is_listed_in_the_readme(both):
    run, (header, _rows), _ = both
    row = _readme_rows()[_readme_key(run)]
    listed = set(re.findall(r"`([^`]+)`", row))
    # a placeholder such as <vuosi> or <yksikkö> stands for any name part
    patterns = [
        re.compile("^" + "[a-z0-9_]+".join(map(re.escape, re.split(r"<[^>]+>", name))) + "$")
        for name in listed
        if "<" in name
    ]
    for name in header:
        assert name in listed or any(p.match(name) for p in patterns), (name, run)
