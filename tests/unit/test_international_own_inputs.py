"""The international services billed from a user's own input files, beside the example folder:
exact invoices on small cases computed by hand, and no example figure (the example project funding
above all) in any command's result. Every output names the files it used and their status."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kustannukset.core.paths import DATA_DIR
from kustannukset.international import notebook as kr
from tests.conftest import make_data, run_cli
from tests.unit.test_cli import assert_one_line_error

# Foreign-language speakers on 31.12. of each year: the budget key of year V is 31.12.(V-2), the
# invoicing key 31.12.(V-1).
SPEAKERS = {
    2019: {"020": 100, "211": 300, "837": 600},
    2020: {"020": 100, "211": 300, "837": 600},
    2021: {"020": 200, "211": 300, "837": 500},
}
EVENTS = """kunta;pvm;palvelu;maara;kotoutumisvuosi;paikan_paalla;paivarahat;kilometrikulut;tila
Akaa;10.2.2021;oma_valmennus;1;1;ei;;;toteuma
Tampere;5.5.2021;oma_valmennus;2;2;ei;;;
Kangasala;1.3.2022;yrityskoordinaattori;1;;ei;;;
"""
COSTS = """vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde;palvelu
2021;henkilostokulut;10 000,00;11 000,00;toteuma;kirjanpito 2021;
2021;mainio;2 000,00;2 100,00;toteuma;kirjanpito 2021;
2021;suoritteet;3 000,00;3 355,00;toteuma;kirjanpito 2021;oma_valmennus
2022;henkilostokulut;12 000,00;;toteuma;talousarvio 2022;
2022;mainio;2 400,00;;toteuma;talousarvio 2022;
2022;suoritteet;500,00;;toteuma;talousarvio 2022;yrityskoordinaattori
"""
FUNDING = """vuosi;kohde;summa;tila;lahde
2021;potti;1 310,00;toteuma;valtionavustuspäätös 2021
"""
CODES = ("020", "211", "837")


@pytest.fixture
def own(tmp_path: Path) -> dict[str, Path]:
    """A data folder of three experiment municipalities with the example folder in it, and the
    user's own events, costs and project funding beside it."""
    data = make_data(
        tmp_path / "data",
        {
            "vieraskieliset": [
                (code, year, count)
                for year, counts in SPEAKERS.items()
                for code, count in counts.items()
            ]
        },
    )
    (data / "parametrit").mkdir()
    shutil.copy(DATA_DIR / "parametrit" / "kansainvaliset_palvelut.yaml", data / "parametrit")
    shutil.copytree(DATA_DIR / "esimerkki", data / "esimerkki")
    files = {"data": data}
    for name, text in (("tapahtumat", EVENTS), ("kustannukset", COSTS), ("rahoitus", FUNDING)):
        files[name] = tmp_path / "omat" / f"{name}.csv"
        files[name].parent.mkdir(exist_ok=True)
        files[name].write_text(text, encoding="utf-8")
    return files


def _run(own, *args: str, funding: bool = False):
    extra = ["--hankerahoitus", str(own["rahoitus"])] if funding else []
    return run_cli(
        *args,
        "--data",
        str(own["data"]),
        "--tapahtumat",
        str(own["tapahtumat"]),
        "--kustannukset",
        str(own["kustannukset"]),
        *extra,
    )


def _rows(result) -> dict[str, dict[str, str]]:
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return {row["kuntanumero"]: row for row in rows}


def _column(rows, name: str) -> dict[str, Decimal]:
    return {code: Decimal(rows[code][name]) for code in CODES}


def _no_example(result, own) -> None:
    """Nothing of the example set: no example notice or status, the user's files named."""
    text = result.stdout + result.stderr
    assert "ESIMERKKI" not in text and "esimerkki" not in text.lower().replace(
        str(own["data"]).lower(), ""
    )
    assert str(own["tapahtumat"].name) in result.stderr + result.stdout
    assert str(own["kustannukset"].name) in result.stderr + result.stdout


def test_equalisation_is_exact_with_own_inputs_and_no_example_funding(own):
    result = _run(own, "tasaus", "2021", "--csv")
    rows = _rows(result)
    _no_example(result, own)
    assert {row["tila"] for row in rows.values()} == {"toteuma"}
    # Staff costs: budget 10 000 split by the invoicing key 31.12.2020 (100 : 300 : 600), four
    # quarterly instalments adding up to 1 000 / 3 000 / 6 000. Actual 11 000 (+10,0 %, at the
    # threshold: a February invoice): 1 100 / 3 300 / 6 600, so +100 / +300 / +600.
    # OMA-valmennus: billed Akaa 1 × 750 (1st year), Tampere 2 × 1 150 (2nd year) = 3 050; actual
    # 3 355 (+11,83 % of the budget 3 000: February); factor 3 355 / 3 050 = 1,1, so Akaa
    # 750 × 1,1 = 825 (+75) and Tampere 2 300 × 1,1 = 2 530 (+230).
    # Mainio: budget 2 000 → 200 / 600 / 1 200; actual 2 100 (+5 %, under: carried) → 210 / 630 /
    # 1 260, so +10 / +30 / +60 into the first invoice of 2022.
    assert _column(rows, "tasauslasku_helmikuu") == {
        "020": Decimal("175.00"),  # 100 + 75
        "211": Decimal("300.00"),
        "837": Decimal("830.00"),  # 600 + 230
    }
    assert _column(rows, "siirto_seuraavaan_laskuun") == {
        "020": Decimal("10.00"),
        "211": Decimal("30.00"),
        "837": Decimal("60.00"),
    }
    assert _column(rows, "tasaus") == {
        "020": Decimal("185.00"),
        "211": Decimal("330.00"),
        "837": Decimal("890.00"),
    }


def test_own_project_funding_is_used_only_when_named(own):
    rows = _rows(_run(own, "tasaus", "2021", "--csv", funding=True))
    # The pool's 1 310 € is spread over its kinds by actual cost: 1 310 × 11 000 / 13 100 = 1 100
    # to staff costs (net 9 900, −1 %: carried) and 210 to Mainio (net 1 890, −5,5 %: carried).
    # Staff: 990 / 2 970 / 5 940 against 1 000 / 3 000 / 6 000 → −10 / −30 / −60; Mainio: 189 /
    # 567 / 1 134 against 200 / 600 / 1 200 → −11 / −33 / −66. OMA-valmennus as without funding.
    assert _column(rows, "siirto_seuraavaan_laskuun") == {
        "020": Decimal("-21.00"),
        "211": Decimal("-63.00"),
        "837": Decimal("-126.00"),
    }
    assert _column(rows, "tasauslasku_helmikuu") == {
        "020": Decimal("75.00"),
        "211": Decimal("0.00"),
        "837": Decimal("230.00"),
    }


def test_estimate_is_exact_with_own_inputs(own):
    result = _run(own, "arvio", "2023", "--csv")
    rows = _rows(result)
    _no_example(result, own)
    # August 2022 for 2023, from 2021: the 2021 events at the prices of 1.1.2023 (Akaa 750,
    # Tampere 2 × 1 150) and the 2021 pool (11 000 + 2 100 = 13 100) split by 31.12.2021
    # (200 : 300 : 500): 2 620 / 3 930 / 6 550.
    assert _column(rows, "suoritteet") == {
        "020": Decimal("750.00"),
        "211": Decimal("0.00"),
        "837": Decimal("2300.00"),
    }
    assert _column(rows, "arvio_yhteensa") == {
        "020": Decimal("3370.00"),
        "211": Decimal("3930.00"),
        "837": Decimal("8850.00"),
    }
    assert {row["tila"] for row in rows.values()} == {"toteuma"}


def test_first_invoice_of_the_next_year_is_exact_with_own_inputs(own):
    result = _run(own, "laskut", "2022", "--jakso", "1", "--csv")
    rows = _rows(result)
    _no_example(result, own)
    # Quarter 1 of 2022: staff costs 12 000 / 4 = 3 000 and Mainio 2 400 / 4 = 600, split by
    # 31.12.2021 (200 : 300 : 500); Kangasala's business coordination 490 €; and the 2021
    # equalisation carried (10 / 30 / 60).
    assert _column(rows, "lasku_yhteensa") == {
        "020": Decimal("730.00"),  # 600 + 120 + 10
        "211": Decimal("1600.00"),  # 900 + 180 + 490 + 30
        "837": Decimal("1860.00"),  # 1 500 + 300 + 60
    }
    assert _column(rows, "tasaus_2021") == {
        "020": Decimal("10.00"),
        "211": Decimal("30.00"),
        "837": Decimal("60.00"),
    }


@pytest.mark.parametrize("command", [["tasaus", "2021"], ["arvio", "2023"], ["laskut", "2022"]])
def test_text_output_names_the_own_files_and_no_example(own, command):
    result = _run(own, *command, "--leveys", "200")
    assert result.returncode == 0, result.stderr
    _no_example(result, own)
    assert "Syötteet: palvelutapahtumat" in result.stdout
    assert "hankerahoitus: ei annettu" in result.stdout


@pytest.mark.parametrize(
    ("given", "missing"),
    [("--tapahtumat", "--kustannukset"), ("--kustannukset", "--tapahtumat")],
)
def test_one_own_file_is_never_mixed_with_the_example_set(own, given, missing):
    name = "tapahtumat" if given == "--tapahtumat" else "kustannukset"
    result = run_cli("tasaus", "2021", "--data", str(own["data"]), given, str(own[name]))
    assert_one_line_error(result, given, missing, "esimerkkiaineistoa ei yhdistetä")


def test_own_funding_is_never_mixed_with_the_example_set(own):
    result = run_cli(
        "tasaus", "2021", "--data", str(own["data"]), "--hankerahoitus", str(own["rahoitus"])
    )
    assert_one_line_error(result, "--tapahtumat", "--kustannukset")


def test_the_report_takes_the_own_files_and_says_so(own, tmp_path):
    report = kr.validate_parameters(
        2021,
        "",
        str(own["data"]),
        tapahtumat=str(own["tapahtumat"]),
        kustannukset=str(own["kustannukset"]),
    )
    banner = kr.banner(report)
    assert "ESIMERKKI" not in banner.markdown and banner.status == ""
    assert "ESIMERKKI" not in repr(kr.summary(report))
    assert "tapahtumat.csv (toteuma)" in kr.method_text(report)
    assert float(report.eq.february("837")) == 830.0  # as the command line, by hand above
    path = tmp_path / "laskut.xlsx"
    kr.invoices_workbook(report, path)
    from openpyxl import load_workbook

    cells = [
        str(cell.value)
        for sheet in load_workbook(path).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert not any("ESIMERKKI" in c or "esimerkki" in c for c in cells)
    assert any("Syötteet: palvelutapahtumat" in c for c in cells)
