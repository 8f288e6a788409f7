"""The yearly division reports and the international services' reports printed to A4 as a reader
prints them (Debian's Chromium, the report's own print stylesheet; :mod:`tests.printing`), and
read back from the paper: every column and chart on the page, the answer on page 1, the method
last, page numbers, and no more pages than the same reports took before they were made for paper.

Pages before (Chromium 156, A4, the reports of the version before): maksuosuudet_2023 9,
maksuosuudet_2024 10, kansainvaliset_2021 11, a municipality's international report 6 (Akaa and
Tampere alike), the all-partitions report 8."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.printing import missing, print_report

pytestmark = pytest.mark.integration

# report -> (HTML under the reports folder, pages before, figures page 1 must show)
REPORTS = {
    "maksuosuudet_2023": (
        "2023/maksuosuudet_2023/maksuosuudet_2023.html",
        9,
        # the published 2023 price table (Kustannustenjakoliite): the pool, Tampere's payment,
        # the other municipalities' part ("Yhteensä kuntien osuus 54 %") and Nokia's payment
        ["370 841", "172 405", "198 436", "24 626"],
    ),
    "maksuosuudet_2024": (
        "2024/maksuosuudet_2024/maksuosuudet_2024.html",
        10,
        # the 2023 costs, as the estimate takes them: 316 958 + 17 % = 370 841
        ["370 841", "316 958", "ARVIO"],
    ),
    "kansainvaliset_2021": (
        "2021/kansainvaliset/kansainvaliset_2021/kansainvaliset_2021.html",
        11,
        ["saavat tasauslaskun", "tasauslaskuilla helmikuussa 2022", "Laskutettu yhteensä"],
    ),
    "aluejaot": (
        "aluejaot/aluejaot.html",
        8,
        # Pirkanmaa's legal partitions under the 20 000 rule, as the listing of every one of them
        # counts them (tests/integration/test_districts_listing.py); the law's threshold
        ["984 406", "20 000", "Laillisia jakoja"],
    ),
    "kansainvaliset_2021_837": (
        "2021/kansainvaliset/kansainvaliset_2021_837/kansainvaliset_2021_837.html",
        6,
        ["Tampere maksoi vuonna 2021", "Laskutettu yhteensä", "ESIMERKKI"],
    ),
    "skenaariot": (  # 27 pages before; issue 22 asks for at most 12
        "skenaariot/skenaariot.html",
        12,
        # the Tampere region's pool on the default basis is its municipalities' reported
        # payments 2025 (data/parametrit/alueiden_kustannukset.yaml, tampere_2025: 70 900 000)
        ["70 900 000", "Päätetyt alueet 2025", "kustannukset skenaariot --csv"],
    ),
}

# The developers' introduction of each notebook, which stays in the notebook only.
DEVELOPER_TEXT = ("hinnoitteluvuodelle", "paketissa", "Aja se uudelleen", "Tämä muistio")


@pytest.fixture(scope="module")
def printed(reports, tmp_path_factory):
    reason = missing()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("tulosteet")
    return {name: print_report(Path(reports) / path, out) for name, (path, _, _) in REPORTS.items()}


def _plain(text: str) -> str:
    """Page text with one kind of space and a line's end as a space: a number reads "370 841"
    whatever space it had, and a sentence reads whole where it wraps."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def _flowing(text: str) -> str:
    return re.sub(r"\s+", " ", _plain(text))


@pytest.mark.parametrize("name", REPORTS)
def test_every_column_and_chart_fits_the_page(printed, name):
    paper = printed[name]
    assert paper.too_wide == []  # no table, picture or text wider than the printable area
    assert paper.too_tall == []  # no chart higher than a page (sliced between two)
    assert paper.lost_headers == []  # every column's header is on paper, readable


@pytest.mark.parametrize("name", REPORTS)
def test_page_one_is_the_answer_and_the_method_comes_last(printed, name):
    _, before, figures = REPORTS[name]
    paper = printed[name]
    first = _plain(paper.first_page)
    assert re.search(r"^\s*Yhteenveto\s*$", first, flags=re.MULTILINE), first
    for figure in figures:
        assert figure in _flowing(paper.first_page), (figure, first)
    pages = [_plain(text) for text in paper.page_texts]
    method = [n for n, text in enumerate(pages) if "Menetelmä ja lähteet" in text]
    assert method and method[0] >= paper.pages - 2  # the method and sources on the last pages
    assert not any(words in text for text in pages for words in DEVELOPER_TEXT)
    assert paper.pages <= before, paper.pages


@pytest.mark.parametrize("name", REPORTS)
def test_every_page_is_numbered_and_titled(printed, name):
    paper = printed[name]
    for number, text in enumerate(paper.page_texts, start=1):
        assert f"Sivu {number} / {paper.pages}" in text, (number, text[-300:])
        if name.startswith("kansainvaliset"):
            assert "ESIMERKKI" in text.splitlines()[0]  # the status in every page's header
        assert "Laadittu" in text
