"""The municipality cards as ``kustannukset raportti`` makes them (the session's report run): a
folder per Pirkanmaa municipality, every figure a card shows the same as the command line's CSV
for that municipality, each card printed to A4 landscape on one page or two with its answer on
the first, and a wrong name refused before anything is written."""

from __future__ import annotations

import csv
import io
import re
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kustannukset.core.money import display, exact
from tests.conftest import run_cli
from tests.printing import missing, print_reports

pytestmark = pytest.mark.integration

MINUS = "\u2212"


@pytest.fixture(scope="module")
def folders(reports) -> dict[str, Path]:
    """Each card's folder by the municipality's code."""
    root = reports / "kuntakortit"
    return {p.name.split("_", 1)[0]: p for p in sorted(root.iterdir())}


def test_every_pirkanmaa_municipality_has_a_card_folder_named_by_code_and_name(folders):
    names = [p.name for p in folders.values()]
    assert len(names) == 23
    assert {"020_Akaa", "108_Hameenkyro", "508_Mantta-Vilppula", "936_Virrat"} <= set(names)
    assert all(re.fullmatch(r"\d{3}_[A-Za-z0-9_-]+", n) for n in names)
    for folder in folders.values():
        assert sorted(p.name for p in folder.iterdir()) == [
            "kuntakortti.html",
            "kuntakortti.ipynb",
            "kuntakortti.xlsx",
        ]
        wb = load_workbook(folder / "kuntakortti.xlsx")
        assert wb.sheetnames == ["Kuntakortti"]


# --- what a card shows, read back from its HTML --------------------------------------------------


class _Card(HTMLParser):
    """The card's tables (by their ``data-osa``) as rows of cell texts, the bar values of its key
    chart, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.bars: list[str] = []
        self.text: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._bar = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-osa" in attrs:
            self._table = attrs["data-osa"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        elif tag == "text" and attrs.get("class") == "arvo":
            self._bar = True
            self.bars.append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "text":
            self._bar = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._bar:
            self.bars[-1] += data
        self.text.append(data)


def _read(folder: Path) -> _Card:
    parser = _Card()
    parser.feed((folder / "kuntakortti.html").read_text(encoding="utf-8"))
    return parser


def _number(text: str) -> Fraction | None:
    """A figure as the card shows it ('2 505 989', '−827 927', '152,18'); '–' is none."""
    text = text.replace("\u00a0", "").replace(" ", "").replace(MINUS, "-").replace(",", ".")
    return None if text in ("", "–") else Fraction(text)


def _csv_number(text: str) -> Fraction | None:
    return None if text == "" else Fraction(text)


def _rows(*args: str) -> list[dict]:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


@pytest.fixture(scope="module")
def command_line(folders):
    """The CSVs a user gets for the same figures: the comparison (and its scenarios in detail
    for the € per inhabitant), the partitions' summary and each municipality's minimal areas."""
    comparison = _rows("skenaariot", "--csv")
    detailed = _rows("skenaariot", "--tarkat", "--csv")
    partitions = _rows("aluejaot", "--csv")
    counted = run_cli("aluejaot")
    minimal = {code: _rows("aluejaot", "--kunta", code, "--csv") for code in folders}
    return comparison, detailed, partitions, counted.stdout, minimal


def test_every_figure_of_every_card_is_the_command_lines(folders, command_line):
    comparison, detailed, partitions, counted, minimal = command_line
    per_inhabitant = {
        (r["skenaario"], r["kuntanumero"]): r["maksuosuus_per_asukas"] for r in detailed
    }
    summary = {r["kuntanumero"]: r for r in partitions}
    count = re.search(r"Laillisia aluejakoja: ([\d\u00a0 ]+)", counted).group(1).strip()
    compared = 0
    for code, folder in folders.items():
        card = _read(folder)
        ours = {r["vaihtoehto"]: r for r in comparison if r["kuntanumero"] == code}

        # the alternatives: payment, € per inhabitant, state funding, net, change
        header, *rows = card.tables["vaihtoehdot"]
        assert header[:5] == [
            "Vaihtoehto",
            "Aluejako",
            "Kunnan alue",
            "Jakoperuste",
            "Maksuosuus €",
        ]
        assert [r[0] for r in rows] == list(ours)
        for row in rows:
            want = ours[row[0]]
            assert row[2] == want["alue"], (code, row)
            figures = [_number(v) for v in row[4:]]
            assert figures == [
                _csv_number(want["maksuosuus"]),
                _csv_number(per_inhabitant[(want["skenaario"], code)]),
                _csv_number(want["valtionosuus"]),
                _csv_number(want["netto"]),
                _csv_number(want["muutos_paatettyyn_2025"]),
            ], (code, row)
            compared += len(figures)
        # the key chart's bars: the decided areas' payment with each key (C, C1–C6)
        keys = [r for r in rows if r[1] == rows[[r[0] for r in rows].index("C")][1]]
        assert [_number(v) for v in card.bars] == [_number(r[4]) for r in keys]

        # the payment over every legal partition, rounded as the CSV rounds it
        s = summary[code]
        header, *rows = card.tables["vaihteluvali"]
        assert header == ["", "Maksuosuus €", "€/asukas"]
        shown = {r[0]: (_number(r[1]), _number(r[2])) for r in rows}
        for label, name in [
            ("Pienin", "pienin"),
            ("Alakvartiili", "alakvartiili"),
            ("Mediaani", "mediaani"),
            ("Yläkvartiili", "ylakvartiili"),
            ("Suurin", "suurin"),
            ("Päätetyt alueet", "paatetyt_alueet"),
        ]:
            euros, per = shown[label]
            assert euros == _csv_number(s[f"maksuosuus_{name}"]), (code, label)
            assert per == _csv_number(s.get(f"maksuosuus_{name}_per_asukas", "")), (code, label)
            compared += 2
        text = " ".join("".join(card.text).split())
        if "persentiili" in text:
            shown_pct = re.search(r"persentiili ([\d,]+)", text).group(1)
            assert _number(shown_pct) == _csv_number(s["persentiili_pct"]), code
            compared += 1
        assert f"Kaikissa {count} laillisessa" in text

        # the smallest legal areas: the rows of `aluejaot --kunta`, by their number
        header, *rows = card.tables["pienimmat"]
        assert header == ["Nro", "Kuntia", "Työvoima", "Vastuukunta", "Kunnat"]
        by_number = {r["nro"]: r for r in minimal[code]}
        for row in rows:
            want = by_number[row[0]]
            assert [_number(row[1]), _number(row[2]), row[3], row[4]] == [
                _csv_number(want["kuntia"]),
                _csv_number(want["tyovoima"]),
                want["vastuukunta"],
                want["kunnat"],
            ], (code, row)
            compared += 4

        # the reality check: the key's payment is the alternative's
        if "todellisuus" in card.tables:
            header, *rows = card.tables["todellisuus"]
            for row in rows:
                assert _number(row[2]) == _csv_number(ours[row[0]]["maksuosuus"]), row
                compared += 1
    assert compared > 23 * 60


def test_the_answer_states_the_cards_own_figures(folders, command_line):
    comparison, _, partitions, _, _ = command_line
    summary = {r["kuntanumero"]: r for r in partitions}
    for code, folder in folders.items():
        answer = _read(folder)
        text = " ".join("".join(answer.text).split())
        c = next(r for r in comparison if r["kuntanumero"] == code and r["vaihtoehto"] == "C")
        assert f"maksaa {_money(c['maksuosuus'])} €" in text, code
        assert f"valtionosuusarvio on {_money(c['valtionosuus'])} €" in text, code
        net = _csv_number(c["netto"])
        assert f"{_money(abs(net))} eurolla" in text, code
        s = summary[code]
        low, high = _money(s["maksuosuus_pienin"]), _money(s["maksuosuus_suurin"])
        assert f"maksaisi {low}–{high} €" in text, code


def _money(text) -> str:
    """Whole euros as the card writes them in words: '2 505 989'."""
    value = int(display(exact(text)))
    return f"{value:,}".replace(",", " ").replace("-", MINUS)


# --- printed -------------------------------------------------------------------------------------


@pytest.mark.skipif(missing() is not None, reason=missing() or "")
def test_each_card_prints_on_one_a4_landscape_page_or_two_with_its_answer_first(folders, tmp_path):
    htmls = [folder / "kuntakortti.html" for folder in folders.values()]
    printed = print_reports(htmls, tmp_path)
    pages = {}
    for folder, paper in zip(folders.values(), printed, strict=True):
        pages[folder.name] = paper.pages
        assert paper.too_wide == [], (folder.name, paper.too_wide)
        assert paper.lost_headers == [], (folder.name, paper.lost_headers)
        assert 1 <= paper.pages <= 2, folder.name
        first = " ".join(paper.first_page.split())
        assert re.search(r"^\s*Yhteenveto\s*$", paper.first_page, flags=re.MULTILINE), folder.name
        card = _read(folder)
        title = next(t for t in card.text if t.startswith("Kuntakortti: "))
        assert title.split(" – ")[0] in first, folder.name
        # the answer, the alternatives and the three blocks all on the first page
        answer = [p for p in card.text if p.startswith("Päätetyillä alueilla (vaihtoehto C")]
        assert " ".join(answer[0].split()) in first, folder.name
        for heading in (
            "Maksu vaihtoehdoittain",
            "Jakoperusteen vaikutus",
            "Maksu kaikissa laillisissa aluejaoissa",
            "Pienimmät lailliset alueet",
        ):
            assert heading in first, (folder.name, heading)
        assert "ESIMERKKI" in first and "ARVIO" in first
        assert "Menetelmä ja lähteet" in " ".join(paper.page_texts[-1].split())
    assert set(pages) == {f.name for f in folders.values()}


# --- a wrong name ------------------------------------------------------------------------------


def test_an_unknown_municipality_is_one_line_with_the_closest_name_and_nothing_is_written(
    tmp_path,
):
    target = tmp_path / "raportit"
    result = run_cli("raportti", "--kuntakortit", "Tampre", "--kohde", str(target))
    assert result.returncode == 2
    assert result.stderr == (
        "Virhe: valinta --kuntakortit: tuntematon kunta 'Tampre' (tarkoititko 'Tampere'?)\n"
    )
    assert not target.exists()


def test_a_municipality_outside_pirkanmaa_says_why_it_has_no_card(tmp_path):
    target = tmp_path / "raportit"
    result = run_cli("raportti", "--kuntakortit", "Akaa", "Jämsä", "--kohde", str(target))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Virhe: valinta --kuntakortit: Jämsä (182) ei ole Pirkanmaan kunta (maakunta Keski-Suomi)"
    )
    assert not target.exists()
