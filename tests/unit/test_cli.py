"""The command line as a user meets it: the published table as CSV, and one clear Finnish line for
every kind of bad input, with a non-zero exit, no traceback and nothing written."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from kustannukset.view import terminal
from tests.conftest import edit_csv, run_cli


def assert_one_line_error(result, *fragments: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Virhe: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert result.stdout == ""
    return lines[0]


def test_jako_csv_reproduces_the_published_payments(published_2023):
    result = run_cli("jako", "2023", "--csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "kuntanumero",
        "kunta",
        "johtaminen",
        "ict",
        "tyollisyysmaararaha",
        "viestinta",
        "yhteensa",
        "alennus",
        "maksuosuus",
        "tila",
    ]
    # published costs, final population 31.12.2021
    assert {r["tila"] for r in rows} == {"julkaistu"}
    got = {r["kunta"]: int(r["maksuosuus"]) for r in rows}
    assert got == {r["kunta"]: int(r["maksuosuus"]) for r in published_2023}
    assert {r["kuntanumero"] for r in rows} >= {"020", "837"}  # codes stay strings


def test_jako_table_is_readable_and_labels_estimates():
    result = run_cli("jako", "2024")
    assert result.returncode == 0
    assert "Kuntien maksuosuudet 2024 (arvio)" in result.stdout
    assert "Huom: vuoden 2024 luvut ovat ARVIO." in result.stdout
    as_csv = run_cli("jako", "2024", "--csv")
    assert "ARVIO" in as_csv.stderr  # the note beside the rows, not in them
    assert {r["tila"] for r in csv.DictReader(io.StringIO(as_csv.stdout))} == {"arvio"}
    assert re.search(r"^Tampere\s+\d", result.stdout, re.MULTILINE)  # names left-aligned
    assert "alennus" not in result.stdout and "Alennus €" in result.stdout


def test_jako_fits_100_columns_and_sums_like_the_report():
    result = run_cli("jako", "2023")
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    # the summary row is the price table's: each column's exact total rounded once, so the
    # first service is 147 477 (its published total), not the 147 479 of the rounded rows
    summa = [line for line in lines if line.startswith("Summa")]
    assert any("147 477" in line for line in summa)
    assert not any("147 479" in line for line in summa)
    assert any(line.rstrip().endswith("370 841") for line in summa)
    wide = run_cli("jako", "2023", "--leveys", "250").stdout.splitlines()
    assert len([line for line in wide if line.startswith("Summa")]) == 1  # one block


def test_exact_sum_csv_adds_up():
    result = run_cli("jako", "2023", "--csv", "--pyoristys", "tasasumma")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sum(int(r["maksuosuus"]) for r in rows) == 370841


def test_year_without_data_lists_the_years():
    line = assert_one_line_error(run_cli("jako", "2030"), "2030", "2023, 2024")
    assert "yhteiset_kustannukset.yaml" in line


def test_not_a_year():
    result = run_cli("jako", "kaksituhatta")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    # the one year check's wording (kustannukset.core.years), the same for every entry point
    assert (
        "vuoden pitää olla nelinumeroinen vuosiluku 1900–2100 (esim. 2023), ei 'kaksituhatta'"
        in (result.stderr)
    )


def test_misspelled_municipality(data_copy):
    line_no = edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "837", "vuosi": "2021"},
        {"kunta": "Tamprere"},
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "vakiluku.csv",
        f"rivi {line_no}",
        "sarake 'kunta'",
        "Tamprere",
        "Tampere",
    )


def test_unknown_municipality_code(data_copy):
    line_no = edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "020", "vuosi": "2021"},
        {"kuntanumero": "999"},
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        f"rivi {line_no}",
        "sarake 'kuntanumero'",
        "999",
    )


def test_duplicate_figure(data_copy):
    path = data_copy / "tilastot" / "vakiluku.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    akaa = next(line for line in lines if line.startswith("vakiluku,020,Akaa,2021,"))
    path.write_text("\n".join([*lines, akaa]) + "\n", encoding="utf-8")
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        f"rivi {len(lines) + 1}",
        "kahdesti",
        "Akaa",
    )


def test_missing_population_for_the_reference_year(data_copy):
    path = data_copy / "tilastot" / "vakiluku.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith("vakiluku,020,Akaa,2021,")]
    assert len(kept) == len(lines) - 1
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "vakiluku.csv",
        "Akaa",
        "2021",
        "puuttuu",
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("-16467", "negatiivinen"),
        ("0", "nolla"),
        ("16 467 as.", "ei ole luku"),
        ("1e309", "epäuskottavan"),
        # 10^30 is above the check of every number (10^18) and far above Finland's population
        ("1" + "0" * 30, "epäuskottavan"),
        ("1e999999999", "ei ole luku"),
        # 20 000 000 > MAX_PEOPLE (10 000 000): a slipped digit, an error, not a warning
        ("20000000", "epäuskottavan suuri"),
        ("244223.5", "kokonaisluku"),
        ("nan", "ei ole luku"),
    ],
)
def test_bad_population(data_copy, value, words):
    line_no = edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "020", "vuosi": "2021"},
        {"arvo": value},
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "vakiluku.csv",
        f"rivi {line_no}",
        "sarake 'arvo'",
        words,
    )


def _replace_in(path, old: str, new: str) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line_no = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line_no


@pytest.mark.parametrize(
    ("value", "words"),
    [("-126049", "positiivinen"), ("0", "positiivinen"), ("paljon", "ei ole luku")],
)
def test_bad_cost(data_copy, value, words):
    path = data_copy / "parametrit" / "yhteiset_kustannukset.yaml"
    line_no = _replace_in(
        path,
        "{arvo: 126049, kustannusvuosi: 2022, lahde: hintataulukko_2023}",
        f"{{arvo: {value}, kustannusvuosi: 2022, lahde: hintataulukko_2023}}",
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        f"rivi {line_no}",
        "sarake 'arvo'",
        words,
    )


@pytest.mark.parametrize("pct", ["120", "-5"])
def test_discount_outside_0_100(data_copy, pct):
    path = data_copy / "parametrit" / "yhteiset_kustannukset.yaml"
    line_no = _replace_in(
        path,
        '2023-01-01: {arvo: {}, lahde: "hintataulukko_2023"}',
        f'2023-01-01: {{arvo: {{"790": {pct}}}, lahde: "hintataulukko_2023"}}',
    )
    assert_one_line_error(
        run_cli("jako", "2023", "--data", str(data_copy)),
        "yhteiset_kustannukset.yaml",
        f"rivi {line_no}",
        "0–100 %",
        "Sastamala",
    )


def test_report_with_bad_data_writes_nothing(data_copy, tmp_path):
    out = tmp_path / "reports"
    (out / "2023").mkdir(parents=True)
    earlier = out / "2023" / "maksuosuudet_2023.html"
    earlier.write_text("aiempi raportti", encoding="utf-8")
    edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "020", "vuosi": "2021"},
        {"arvo": "-1"},
    )
    result = run_cli("raportti", "--data", str(data_copy), "--kohde", str(out))
    assert_one_line_error(result, "vakiluku.csv", "sarake 'arvo'")
    assert earlier.read_text(encoding="utf-8") == "aiempi raportti"
    assert sorted(p.name for p in out.rglob("*")) == ["2023", "maksuosuudet_2023.html"]


def test_command_line_mistakes_are_explained_in_finnish():
    missing = run_cli("jako")
    assert missing.returncode == 2 and "pakollinen argumentti puuttuu: VUOSI" in missing.stderr
    choice = run_cli("jako", "2023", "--pyoristys", "pyorea")
    assert "virheellinen valinta 'pyorea'" in choice.stderr and "Traceback" not in choice.stderr


def test_skenaariot_compares_the_alternatives_in_one_table_that_fits():
    result = run_cli("skenaariot")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert len(lines) <= 200
    # a pair of columns per alternative, in the order of their letters, and the notes once
    headers = " ".join(lines)
    letters = ["A", "B", "C", "C1", "C2", "C3", "C4", "C5", "C6"]
    places = [headers.index(f"{letter} maksu €") for letter in letters]
    assert places == sorted(places)
    assert all(f"{letter} netto €" in headers for letter in letters)
    assert result.stdout.count("Huom: Kustannuspotti:") == 1
    assert "== " not in result.stdout  # no scenario's detailed tables
    # the municipalities grouped by the decided areas, each group summed, in every column block
    blocks = result.stdout.count("Tampereen seudun työllisyysalue (päätetty alue)")
    assert blocks >= 2
    assert result.stdout.count("Läntisen Pirkanmaan työllisyysalue (päätetty alue)") == blocks
    assert sum(line.startswith("Yhteensä ") for line in lines) == 3 * blocks
    assert "Perusura" not in result.stdout  # the experiment baseline is no 2025 alternative


def test_skenaariot_in_detail_fit_the_width_in_a_b_c_order():
    result = run_cli("skenaariot", "--tarkat")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    titles = [line for line in lines if line.startswith("== ")]
    # the scenarios' own letters, in order: A, B, C, C0 (the decided areas of all of mainland
    # Finland), C1 ... C6, then Perusura
    letters = [t[3:].split(" – ")[0] for t in titles]
    assert letters == ["A", "B", "C", "C0", "C1", "C2", "C3", "C4", "C5", "C6", "Perusura"]
    narrow = run_cli("skenaariot", "elokuu_2023", "--leveys", "80").stdout.splitlines()
    assert max(len(line) for line in narrow) <= 80
    # the municipality names start at the left edge, the share and the payment end at the right
    # of their columns (Akaa 16 467 of the 15 municipalities' 445 193 inhabitants 31.12.2021:
    # 3,70 %)
    akaa = next(line for line in narrow if "Akaa" in line)
    assert re.match(r"Akaa +Tampere ja 14 kuntaa +3,70 +\d{1,3}( \d{3})* ", akaa), akaa
    listed = run_cli("skenaariot", "--lista").stdout.splitlines()
    assert [line.split(":", 1)[0] for line in listed[:5]] == [
        "huhtikuu_2023",  # A
        "elokuu_2023",  # B
        "paatetty_2025",  # C
        "paatetty_2025_suomi",  # C0
        "paatetty_2025_tyoikaiset",  # C1
    ]


def test_terminal_table_wraps_headers_and_splits_blocks():
    frame = pd.DataFrame(
        {
            "Kunta": ["Mänttä-Vilppula", "Akaa"],
            "Alennus €": [1234, 5],
            "Pitkä otsikko tässä": [1, 2],
        }
    )
    text = terminal.table(frame, columns=30)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 30
    assert any(line.startswith("Mänttä-Vilppula") for line in lines)
    assert any(line.endswith("1 234") for line in lines)  # numbers right-aligned
    # "Pitkä otsikko tässä" wraps to its longest word (7); 15 + 2 + 9 + 2 + 7 = 35 > 30: two
    # blocks, each starting with the names
    assert "otsikko" in text and "Pitkä otsikko tässä" not in text
    assert sum(line.startswith("Akaa") for line in lines) == 2


def test_tasaus_fits_100_columns_with_finnish_headers():
    result = run_cli("tasaus", "2021")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "potti_laskutettu" not in result.stdout and "Tasaus €" in result.stdout
    assert any(re.match(r"837 +Tampere +18 996 +72,598 ", line) for line in lines)
    csv_header = run_cli("tasaus", "2021", "--csv").stdout.splitlines()[0]
    assert csv_header.startswith("kuntanumero,kunta,vieraskieliset,osuus_pct,")  # unchanged
