"""Municipality cards (kustannukset.cards): the card's own arithmetic and words on small hand-made
cards, and on the real data that a card reads the one formula's figures and adds nothing of its
own."""

from __future__ import annotations

import dataclasses
import json
import os
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from kustannukset.cards import card as cards
from kustannukset.cards import charts
from kustannukset.cards import notebook as kk
from kustannukset.cards.card import (
    Alternative,
    Card,
    DecidedArea,
    PaymentRange,
    Reality,
    Reported,
)
from kustannukset.cards.figures import _made, fingerprint, region_figures
from kustannukset.core.errors import InputError
from kustannukset.core.jobs import Job, Options
from kustannukset.core.money import display, exact
from kustannukset.core.paths import DATA_DIR, REPORTS_DIR
from kustannukset.render import driver
from kustannukset.scenarios.comparison import compare
from kustannukset.view.formatting import euros

# --- names and folders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "folder"),
    [
        ("020", "Akaa", "020_Akaa"),
        ("108", "Hämeenkyrö", "108_Hameenkyro"),
        ("508", "Mänttä-Vilppula", "508_Mantta-Vilppula"),
        ("980", "Ylöjärvi", "980_Ylojarvi"),
        ("478", "Maarianhamina – Mariehamn", "478_Maarianhamina___Mariehamn"),
        ("060", "Brändö", "060_Brando"),
        ("000", "Pedersören kunta/Å", "000_Pedersoren_kunta_A"),
    ],
)
def test_folder_is_the_code_and_the_name_made_file_safe(code, name, folder):
    assert cards.folder_name(code, name) == folder


# --- a hand-made card ------------------------------------------------------------------------------


def _alternative(short, payment, *, key="väkiluku", decided_areas=True, area="Alue X", net=None):
    funding = 1_000_000
    return Alternative(
        short=short,
        partition="Päätetyt alueet 2025" if decided_areas else f"Jako {short}",
        area=area,
        key=key,
        key_short=key,
        payment=payment,
        per_inhabitant=payment / 10_000,
        funding=funding,
        net=funding - payment if net is None else net,
        change=payment - 1_200_000,
        decided_areas=decided_areas,
        is_decided=short == "C",
    )


def _card(**changes) -> Card:
    made = {
        "code": "999",
        "name": "Testilä",
        "decided": DecidedArea(
            "C – Päätetyt alueet 2025", "Testin työllisyysalue", "Isola", ("Isola", "Testilä"), ()
        ),
        "alternatives": (
            _alternative("A", 1_150_000, decided_areas=False, area="Koko maakunta"),
            _alternative("C", 1_200_000),
            _alternative("C1", 900_000, key="työikäiset"),
            _alternative("C2", 1_300_000, key="työvoima"),
        ),
        "range": PaymentRange(
            partitions=1234,
            key="Työvoima 31.12.2021",
            key_short="työvoima",
            key_alternative="C2",
            stats={
                "Pienin": 800_000.4,
                "Alakvartiili": 950_000.0,
                "Mediaani": 1_000_000.5,
                "Yläkvartiili": 1_100_000.0,
                "Suurin": 1_400_000.49,
            },
            per_inhabitant={"Pienin": 80.0, "Mediaani": 100.0, "Suurin": 140.0},
            decided=1_300_000.0,
            decided_per_inhabitant=130.0,
            percentile=76.25,
            decided_legal=True,
            crossing=False,
        ),
        "minimal": pd.DataFrame(
            {
                "Nro": [1, 2, 3, 4],
                "Kuntia": [3, 2, 2, 4],
                "Työvoima": [21_000, 25_000, 20_500, 30_000],
                "Vastuukunta": ["Isola", "Isola", "Isola", "Isola"],
                "Kunnat": ["a", "b", "c", "d"],
            }
        ),
        "reality": None,
        "basis": "kustannusmalli",
        "statuses": "tila",
        "method": ("menetelmä",),
    }
    made.update(changes)
    return Card(**made)


def test_the_answer_words_the_figures_of_a_hand_made_card():
    sentences = cards.answer(_card())
    assert sentences == [
        "Testilä kuuluu Testin työllisyysalueeseen, jonka vastuukunta on Isola; alueella on 2 "
        "kuntaa.",
        # net 1 000 000 − 1 200 000 = −200 000: the payment exceeds the funding by 200 000
        "Päätetyillä alueilla (vaihtoehto C, jakoperuste väkiluku) Testilä maksaa 1 200 000 € "
        "eli 120,00 € asukasta kohden; valtionosuusarvio on 1 000 000 €, joten maksu ylittää sen "
        "200 000 eurolla.",
        # the decided areas' keys: C1 900 000 the least, C2 1 300 000 the most
        "Samoilla alueilla maksu vaihtelee jakoperusteen mukaan 900 000 eurosta (C1, "
        "työikäiset) 1 300 000 euroon (C2, työvoima).",
        "Muissa aluejaoissa samalla jakoperusteella maksu olisi 1 150 000 € (A, Koko maakunta).",
        # 800 000,4 → 800 000 and 1 400 000,49 → 1 400 000 (half up, as the CSV rounds)
        "Kaikissa 1 234 laillisessa Pirkanmaan aluejaossa jakoperusteella työvoima (kuten "
        "vaihtoehdossa C2) Testilä maksaisi 800 000–1 400 000 € (mediaani 1 000 001 €); "
        "päätetyillä alueilla maksu, 1 300 000 €, on suurempi kuin 76,3 %:ssa jaoista.",
    ]
    assert 3 <= len(sentences) <= 5


def test_the_answer_for_the_lead_for_a_positive_net_and_another_key_elsewhere():
    card = _card(
        name="Isola",
        alternatives=(
            _alternative("A", 1_150_000, decided_areas=False, area="Koko", key="työttömät"),
            _alternative("C", 900_000),
            _alternative("C1", 950_000, key="työikäiset"),
        ),
    )
    sentences = cards.answer(card)
    assert sentences[0] == ("Isola on Testin työllisyysalueen vastuukunta; alueella on 2 kuntaa.")
    assert sentences[1].endswith(
        "valtionosuusarvio on 1 000 000 €, joten se ylittää maksun 100 000 eurolla."
    )
    assert sentences[3] == (
        "Muissa aluejaoissa maksu olisi 1 150 000 € (A, Koko, jakoperuste työttömät)."
    )


@pytest.mark.parametrize(
    ("percentile", "words"),
    [
        (76.25, "on suurempi kuin 76,3 %:ssa jaoista"),
        (0.04, "on suurempi vain alle 0,1 %:ssa jaoista"),
        (0.0, "on pienin, jonka kunta maksaa missään jaossa"),
        (99.97, "on suurempi kuin yli 99,9 %:ssa jaoista"),
        (100.0, "on suurempi kuin missään muussa jaossa"),
    ],
)
def test_where_the_decided_areas_stand_in_words(percentile, words):
    assert cards._place(percentile) == words


def test_an_area_across_the_border_is_not_placed_among_the_partitions():
    card = _card()
    crossing = _card(range=PaymentRange(**{**card.range.__dict__, "crossing": True}))
    sentence = cards.range_sentence(crossing)
    assert "ulottuu Pirkanmaan rajan yli" in sentence and "%:ssa" not in sentence


def test_the_reality_check_replaces_the_other_divisions_in_the_answer():
    rows = pd.DataFrame(
        {
            "Vaihtoehto": ["C2", "C"],
            "Jakoperuste": ["työvoima", "väkiluku"],
            "Laskettu 2025 €": [793_755, 983_860],
            "Ero raportoituun €": [793_755 - 782_790, 983_860 - 782_790],
            "Ero %": [100 * (793_755 - 782_790) / 782_790, 100 * (983_860 - 782_790) / 782_790],
        }
    )
    reported = (Reported("Maksuosuus 2025", 782_790, "arvio", "melko matala", "lähde"),)
    card = _card(reality=Reality(rows, reported, 782_790))
    sentences = cards.answer(card)
    # (793 755 − 782 790) / 782 790 = 1,40 %
    assert sentences[3] == (
        "Raportoitu maksuosuus 2025, 782 790 € (arvio, luotettavuus melko matala), on lähimpänä "
        "vaihtoehtoa C2 (jakoperuste työvoima: 793 755 €, ero +1,4 %)."
    )
    assert not any(s.startswith("Muissa aluejaoissa") for s in sentences)


def test_the_card_shows_the_smallest_legal_areas_of_fewest_municipalities_first():
    shown = cards.smallest(_card().minimal, shown=3)
    # two municipalities first (the smaller labour force first), then three
    assert list(shown["Nro"]) == [3, 2, 1]


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Väkiluku 31.12.2021", "väkiluku"),
        (
            "Työttömät työnhakijat, vuoden kuukausien keskiarvo 2022",
            "työttömät työnhakijat, vuoden kuukausien keskiarvo",
        ),
        (
            "50 % Työvoima 31.12.2021 + 50 % Vieraskieliset 31.12.2019",
            "50 % Työvoima + 50 % Vieraskieliset",
        ),
    ],
)
def test_a_keys_label_in_words_has_no_dates(label, words):
    assert cards.label_words(label) == words


def test_the_key_variants_are_the_decided_areas_with_each_key():
    card = _card()
    assert [a.short for a in card.key_variants] == ["C", "C1", "C2"]
    assert card.decided_alternative.short == "C"
    assert list(cards.key_frame(card)["Maksuosuus €"]) == [1_200_000, 900_000, 1_300_000]


def test_range_frame_has_a_row_per_figure_and_none_for_the_quartiles_per_inhabitant():
    frame = cards.range_frame(_card())
    assert list(frame[""]) == [
        "Pienin",
        "Alakvartiili",
        "Mediaani",
        "Yläkvartiili",
        "Suurin",
        "Päätetyt alueet",
    ]
    assert frame["€/asukas"].isna().tolist() == [False, True, False, True, False, False]


# --- the charts --------------------------------------------------------------------------------


def test_ticks_are_round_steps_that_cover_the_figures():
    # 2 505 989 / 3 = 835 330: the step is the first of 1, 2, 2,5, 5, 10 × 100 000 that is larger
    assert charts.nice_ticks(2_505_989, 3) == [0, 1_000_000, 2_000_000, 3_000_000]
    # 1 765 237 … 2 635 967: span / 4 = 217 683 → step 250 000, from 7 × 250 000 to 11 × 250 000
    assert charts._ticks_between(1_765_237, 2_635_967) == [
        1_750_000,
        2_000_000,
        2_250_000,
        2_500_000,
        2_750_000,
    ]


def test_charts_are_inline_svg_with_the_figures_as_text():
    card = _card()
    bars = charts.key_chart(card)
    assert bars.markup.startswith("<svg") and 'width="330"' in bars.markup
    for figure in ("1 200 000", "900 000", "1 300 000", "valtionosuusarvio"):
        assert figure in bars.markup
    assert repr(bars) == "Kaavio: Testilä: maksuosuus jakoperusteittain"
    span = charts.range_chart(card)
    assert "päätetyt alueet" in span.markup and "mediaani" in span.markup


# --- the region's figures, once per data folder --------------------------------------------------


def test_the_fingerprint_changes_with_a_file_and_ignores_hidden_ones(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.csv").write_text("1", encoding="utf-8")
    first = fingerprint(tmp_path)
    (tmp_path / ".kesken-x").write_text("staged", encoding="utf-8")
    (tmp_path / "a" / ".lukko").write_text("", encoding="utf-8")
    assert fingerprint(tmp_path) == first
    os.utime(tmp_path / "a" / "x.csv", ns=(1, 1))
    assert fingerprint(tmp_path) != first
    touched = fingerprint(tmp_path)
    (tmp_path / "a" / "y.csv").write_text("", encoding="utf-8")
    assert fingerprint(tmp_path) != touched


@pytest.fixture(scope="module")
def figures():
    return region_figures(DATA_DIR)


@pytest.fixture(scope="module")
def made(figures) -> dict[str, Card]:
    """Every municipality's card, made once for the tests that read them."""
    return {code: cards.card_of(figures, code) for code in figures.region.codes}


def test_the_figures_are_made_once_per_data_folder(figures):
    misses = _made.cache_info().misses
    assert region_figures(DATA_DIR) is figures
    assert region_figures(Path(str(DATA_DIR) + "/")) is figures
    assert _made.cache_info().misses == misses


def test_every_municipality_of_pirkanmaa_has_a_card_and_no_other(figures):
    context = figures.context
    assert cards.region_codes(context) == figures.region.codes
    assert len(figures.region.codes) == 23  # the 22 experiment municipalities and Kuhmoinen
    assert cards.resolve(context, "936", "kunta") == "936"
    assert cards.resolve(context, "Virrat", "kunta") == "936"
    with pytest.raises(InputError) as unknown:
        cards.resolve(context, "Tampre", "--kuntakortit")
    assert str(unknown.value) == (
        "valinta --kuntakortit: tuntematon kunta 'Tampre' (tarkoititko 'Tampere'?)"
    )
    with pytest.raises(InputError) as outside:
        cards.resolve(context, "Jämsä", "kunta")
    message = str(outside.value)
    assert message.startswith("parametri kunta: Jämsä (182) ei ole Pirkanmaan kunta")
    assert "maakunta Keski-Suomi" in message and "kustannukset skenaariot --csv" in message


def test_a_papermill_integer_code_is_read_as_the_code():
    assert kk.validate_parameters(20).code == "020"  # -p kunta 020 arrives as 20


def _source_yaml(path: str) -> dict:
    return yaml.safe_load((DATA_DIR / path).read_text(encoding="utf-8"))


def test_a_municipality_missing_from_the_decided_areas_is_named_with_the_file(figures):
    # the experiment era's 22 municipalities, without Kuhmoinen (291), as the decided areas
    other = dataclasses.replace(figures, decided=figures.context.scenario("perusura"))
    with pytest.raises(InputError) as missing:
        cards.card_of(other, "291")
    assert "päätetyissä alueissa ei ole kuntaa Kuhmoinen (291)" in str(missing.value)
    assert "perusura.yaml" in str(missing.value)


def test_the_decided_area_is_the_scenario_files(figures):
    source = _source_yaml("skenaariot/paatetty_2025.yaml")["alueet"][0]
    card = cards.card_of(figures, "020")
    assert card.decided.name == source["nimi"] == "Tampereen seudun työllisyysalue"
    assert card.decided.lead == source["vastuukunta"] == "Tampere"
    assert sorted(card.decided.members) == sorted(source["jasenet"])
    assert card.decided.outside == ()
    manttä = cards.card_of(figures, "508")
    # Mänttä-Vilppula's area is led by Jämsä and reaches outside Pirkanmaa (7 of its 8)
    assert manttä.decided.lead == "Jämsä" and len(manttä.decided.outside) == 7
    assert manttä.range.crossing and not card.range.crossing


def test_a_card_reads_the_comparison_and_adds_nothing(figures, made):
    comparison = compare(figures.context)
    frame = comparison.frame
    for code, card in made.items():
        assert [a.short for a in card.alternatives] == [
            "A",
            "B",
            "C",
            "C1",
            "C2",
            "C3",
            "C4",
            "C5",
            "C6",
        ]
        assert [a.short for a in card.key_variants] == ["C", "C1", "C2", "C3", "C4", "C5", "C6"]
        for alternative, result in zip(card.alternatives, comparison.results, strict=True):
            row = frame[(frame["Vaihtoehto"] == alternative.short) & (frame["Kuntanumero"] == code)]
            assert alternative.payment == row["Maksuosuus €"].item()
            assert alternative.funding == row["Valtionosuus, arvio €"].item()
            assert alternative.net == row["Netto €"].item()
            assert alternative.change == row["Muutos päätettyyn 2025 €"].item()
            own = result.municipalities.set_index("Kuntanumero")
            assert alternative.per_inhabitant == own.at[code, "€/asukas"]
            # the net is the funding less the payment, the change of C itself nothing
            assert alternative.net == alternative.funding - alternative.payment
        assert card.decided_alternative.change == 0


def test_the_tampere_areas_payments_add_up_to_the_reported_contributions(figures, made):
    # The cost model is calibrated so that the Tampere area's pool is its municipalities'
    # reported contributions for 2025 (data/parametrit/alueiden_kustannukset.yaml): 70 900 000 €,
    # whatever the key.
    reported = _source_yaml("parametrit/alueiden_kustannukset.yaml")["talousarviot"]
    total = reported["tampere_2025"]["arvot"][next(iter(reported["tampere_2025"]["arvot"]))]
    members = _source_yaml("skenaariot/paatetty_2025.yaml")["alueet"][0]["jasenet"]
    context = figures.context
    codes = [context.names.code(name) for name in members]
    for short in ("C", "C1", "C2", "C3", "C4", "C5", "C6"):
        payments = [
            next(a for a in made[code].alternatives if a.short == short).payment for code in codes
        ]
        assert sum(payments) == total["arvo"] == 70_900_000


def test_the_range_is_the_summarys_row(figures, made):
    table = figures.summary.table.set_index("Kuntanumero")
    for code, card in made.items():
        r = card.range
        stats = [r.stats[k] for k in cards.RANGE_LABELS]
        assert stats == sorted(stats)  # least, quartiles, median, most
        assert r.stats["Pienin"] == table.at[code, "Pienin €"]
        assert r.decided == table.at[code, "Päätetyt alueet €"]
        assert r.percentile == table.at[code, "Persentiili %"]
        assert r.partitions == figures.summary.count
        assert r.key_alternative == "C2"  # the labour force, as in C2
    # where the decided areas are legal for it, C2's payment is the decided areas' payment
    akaa = made["020"]
    c2 = next(a for a in akaa.alternatives if a.short == "C2")
    assert abs(akaa.range.decided - c2.payment) < 1


def test_only_virrat_has_the_reality_check_with_its_reported_figures(made):
    source = _source_yaml("parametrit/alueiden_kustannukset.yaml")["todellisuus"]
    reported = {
        name: values["arvot"][next(iter(values["arvot"]))]["arvo"]
        for name, values in source.items()
    }
    assert reported == {"virrat_2026": 729_790, "virrat_2025": 782_790}
    with_check = [code for code, card in made.items() if card.reality is not None]
    assert with_check == ["936"]
    virrat = made["936"]
    assert {r.euros for r in virrat.reality.reported} == {729_790, 782_790}
    assert virrat.reality.reported_2025 == 782_790
    rows = virrat.reality.rows
    assert list(rows["Ero raportoituun €"]) == [v - 782_790 for v in rows["Laskettu 2025 €"]]
    # the rows are the keys of C, C1–C6, closest first, and each is that alternative's payment
    by_short = {a.short: a.payment for a in virrat.alternatives}
    assert sorted(rows["Vaihtoehto"]) == ["C", "C1", "C2", "C3", "C4", "C5", "C6"]
    assert list(rows["Laskettu 2025 €"]) == [by_short[s] for s in rows["Vaihtoehto"]]
    assert list(rows["Ero %"].abs()) == sorted(rows["Ero %"].abs())


def test_the_statuses_are_said_once_from_the_data(figures):
    card = cards.card_of(figures, "020")
    assert card.statuses.count("ESIMERKKI") == 1 and card.statuses.count("ARVIO") == 1
    assert "400 000 €" in card.statuses
    assert not any("ESIMERKKI" in s or "ARVIO" in s for s in cards.answer(card))


# --- what the notebook shows, the workbook and the jobs ---------------------------------------


def test_the_cards_stylesheet_is_its_own_and_prints_a4_landscape():
    style = kk.style()._repr_html_()
    assert "@page { size: A4 landscape; margin: 10mm; }" in style
    # every rule is the card's: its cells, classes and tables, never the shared report's alone
    for line in kk.STYLE.splitlines():
        if "{" in line and not line.lstrip().startswith(("@page", "@media", "/*")):
            assert "kortti" in line or "body.jp-Notebook" in line, line


def test_the_tables_are_marked_as_the_cards(figures):
    card = cards.card_of(figures, "020")
    markup = kk.alternatives_table(card)._repr_html_()
    assert markup.startswith('<table class="kustannukset kortti" data-osa="vaihtoehdot">')
    c = card.decided_alternative
    assert f">{euros(c.payment)}<".replace(" ", "\u00a0") in markup
    assert kk.range_table(card)._repr_html_().count('data-osa="vaihteluvali"') == 1
    assert 'data-osa="pienimmat"' in kk.minimal_table(card)._repr_html_()


def test_the_workbook_is_one_sheet_with_the_cards_figures(figures, tmp_path):
    card = cards.card_of(figures, "936")
    path = tmp_path / "kuntakortti.xlsx"
    kk.workbook(card, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Kuntakortti"]
    ws = wb["Kuntakortti"]
    assert ws["A1"].value == "Kuntakortti: Virrat (936) – työllisyysalueuudistus 2025"
    assert ws["A2"].value == card.statuses
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = rows.index(list(cards.alternatives_frame(card).columns))
    payments = [row[4] for row in rows[header + 1 : header + 10]]
    assert payments == [a.payment for a in card.alternatives]
    assert isinstance(payments[0], int)  # money as the money module rounded it, never a float
    # € per inhabitant rounded to cents as the CSV rounds it (half up), not the unrounded float
    per = [row[5] for row in rows[header + 1 : header + 10]]
    assert per == [float(display(exact(a.per_inhabitant), 2)) for a in card.alternatives]
    # every smallest legal area, not only the five of the page
    minimal = rows.index(["Nro", "Kuntia", "Työvoima", "Vastuukunta", "Kunnat"] + [None] * 4)
    assert len([r for r in rows[minimal + 1 :] if isinstance(r[0], int)]) >= len(card.minimal)


def _same(a: Card, b: Card) -> None:
    """Two cards with the same figures (their frames compared as frames)."""
    for name in ("code", "name", "decided", "range", "basis", "statuses", "method"):
        assert getattr(a, name) == getattr(b, name), name
    drop = [{k: v for k, v in x.__dict__.items() if k != "key_parts"} for x in a.alternatives]
    assert drop == [
        {k: v for k, v in x.__dict__.items() if k != "key_parts"} for x in b.alternatives
    ]
    pd.testing.assert_frame_equal(a.minimal, b.minimal, check_dtype=False)
    assert (a.reality is None) == (b.reality is None)
    if a.reality is not None:
        pd.testing.assert_frame_equal(a.reality.rows, b.reality.rows, check_dtype=False)
        assert a.reality.reported == b.reality.reported
        assert a.reality.reported_2025 == b.reality.reported_2025


def test_a_card_travels_as_data_whole(made):
    for code in ("020", "936", "508", "837"):
        card = made[code]
        _same(cards.from_data(json.loads(json.dumps(cards.to_data(card)))), card)


def test_the_workbook_reads_the_card_from_the_executed_notebook(made):
    # the committed notebook is Akaa's card, run with the default parameters
    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "kuntakortti.ipynb"
    _same(cards.from_notebook(notebook), made["020"])


def test_a_notebook_run_without_the_figures_gets_them_made_again(tmp_path, made):
    (tmp_path / "kuntakortti.ipynb").write_text("{}", encoding="utf-8")
    _same(kk.workbook_card(tmp_path / "kuntakortti.xlsx", DATA_DIR, "Akaa"), made["020"])


def test_jobs_make_every_card_or_the_named_ones_and_name_their_folders():
    every = kk.jobs(None, DATA_DIR)
    assert len(every) == 23
    assert len({driver.job_folder(j) for j in every}) == 23
    akaa = next(j for j in every if j.parameters["kunta"] == "Akaa")
    assert driver.job_folder(akaa) == REPORTS_DIR / "kuntakortit" / "020_Akaa"
    assert akaa.parameters == {"kunta": "Akaa", "data_kansio": ""}
    assert (akaa.stem, akaa.excel_name, akaa.notebook) == (
        "kuntakortti",
        "kuntakortti.xlsx",
        "kuntakortti.ipynb",
    )
    assert kk.jobs([2023], DATA_DIR) == []  # a year's reports have no cards
    named = kk.jobs([2023], DATA_DIR, Options(cards=("936", "Akaa", "020")))
    assert [j.folder for j in named] == ["936_Virrat", "020_Akaa"]
    with pytest.raises(InputError, match="tarkoititko 'Tampere'"):
        kk.jobs(None, DATA_DIR, Options(cards=("Tampre",)))


def test_only_cards_asks_no_other_report():
    jobs = driver.all_jobs(None, DATA_DIR, Options(cards=("Akaa",), only_cards=True))
    assert [j.notebook for j in jobs] == ["kuntakortti.ipynb"]
    every = driver.all_jobs(None, DATA_DIR)
    assert [j.notebook for j in every].count("kuntakortti.ipynb") == 23


def test_a_job_may_name_its_folder():
    job = Job("x.ipynb", {}, "kuntakortit", "kuntakortti", "x", folder="020_Akaa")
    assert driver.job_folder(job, Path("/r")) == Path("/r/kuntakortit/020_Akaa")
    plain = Job("x.ipynb", {}, "2023", "maksuosuudet_2023", "x")
    assert driver.job_folder(plain, Path("/r")) == Path("/r/2023/maksuosuudet_2023")


def test_exact_inputs_are_not_needed_for_the_words():
    # a payment given as a fraction is shown as the CSV shows it (half up to whole euros)
    assert cards._money(Fraction(5, 2)) == "3"
    assert cards._money(-1_234_567) == "\u22121 234 567"
