"""The figures of the reports' first pages ("Yhteenveto"): the price table's totals against the
published 2023 table, and the international services' invoices and equalisation worked out by
hand."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from kustannukset import international as kv
from kustannukset.core.paths import DATA_DIR
from kustannukset.international import notebook as kr
from kustannukset.shared_costs import notebook as vr
from kustannukset.shared_costs.pricing import load_year, price_summary
from kustannukset.stats.loader import load_statistics

# --- the yearly price table


def test_2023_summary_is_the_published_table():
    s = price_summary(load_year(2023))
    # Kokeilun jaettavat kustannukset 2022 / Hinnat vuodelle 2023 (Kustannustenjakoliite):
    # Kulut/vuosi 316 958, Flat rate 53 883, Yhteensä 370 841
    assert (s.costs, s.flat_rate, s.pool) == (316_958, 53_883, 370_841)
    assert s.costs + s.flat_rate == s.pool
    assert s.flat_rate_pct == 17
    assert s.payments == 370_841  # Maksuosuudet 2023, Summa
    assert s.discounts == 0 and s.same_per_key_unit  # no discounts in 2023
    assert s.municipalities == 22 and s.key_total == 525_320  # Asukasluku 31.12.2021
    # Tampere 172 405; the others' part as published ("Yhteensä kuntien osuus 54 %"): 198 436
    assert (s.lead.name, s.lead.payment) == ("Tampere", 172_405)
    assert s.lead.share == Fraction(244_223, 525_320)
    assert s.others == 198_436 and s.lead.payment + s.others == s.pool
    assert s.others_share == 1 - Fraction(244_223, 525_320)  # 53.5 %, printed "54 %"
    # 370 841 / 525 320 = 0.7059 € per inhabitant
    assert s.per_key_unit == Fraction(71, 100)
    # the five largest Maksuosuudet 2023 of the published table
    assert [(p.name, p.payment) for p in s.largest] == [
        ("Tampere", 172_405),
        ("Nokia", 24_626),
        ("Ylöjärvi", 23_672),
        ("Kangasala", 23_029),
        ("Lempäälä", 17_058),
    ]


def test_a_discount_nobody_carries_leaves_the_payments_short():
    # The 2021 rule on the 2023 table: Sastamala (23 998 inhabitants) pays 80 %.
    # Its Yhteensä: 316 958 * 1.17 * 23 998 / 525 320 = 16 940.92; 20 % of it = 3 388.18.
    # Payments: 370 840.86 - 3 388.18 = 367 452.68 -> 367 453 (rounded once, from the exact sum).
    s = price_summary(load_year(2023, discounts_on=dt.date(2021, 1, 1)))
    assert s.pool == 370_841
    assert s.discounts == 3_388
    assert s.payments == 367_453
    assert not s.same_per_key_unit


def test_summary_page_says_it_in_words_and_marks_an_estimate():
    page = vr.summary(load_year(2023))
    text = page.text()
    assert len(page.sentences) in range(3, 6)
    assert "370 841 €" in text and "0,71 € asukasta kohden" in text
    assert "Tampere maksaa 172 405 € (46,5 %)" in text
    assert "muut 21 kuntaa yhteensä 198 436 € (53,5 %)" in text
    assert "Nokia 24 626 €, Ylöjärvi 23 672 € ja Kangasala 23 029 €" in text
    assert page.notice == "" and page.chart is not None
    estimate = vr.summary(load_year(2024))
    assert estimate.notice.startswith("ARVIO")
    assert vr.banner(load_year(2024)).status == "ARVIO"
    assert vr.banner(load_year(2023)).status == ""


# --- the international services, by hand

HEADER = "kunta;pvm;palvelu;maara;kotoutumisvuosi;paikan_paalla;paivarahat;kilometrikulut;tila"


@pytest.fixture(scope="module")
def rules() -> kv.Rules:
    return kv.Rules(DATA_DIR)


@pytest.fixture(scope="module")
def stats():
    return load_statistics(DATA_DIR)


def _equalise(tmp_path: Path, rules, stats, events: list[str], costs: list[str]):
    path = tmp_path / "tapahtumat.csv"
    path.write_text("\n".join([HEADER, *events]) + "\n", encoding="utf-8")
    cost_path = tmp_path / "kustannukset.csv"
    cost_path.write_text(
        "\n".join(
            ["vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde;vieraskieliset_vuosi", *costs]
        )
        + "\n",
        encoding="utf-8",
    )
    events_read = kv.read_events(path, rules, stats.municipalities)
    return kv.equalise(2021, events_read, kv.read_costs(cost_path, rules), stats, rules)


def test_invoices_and_february_equalisation_by_hand(tmp_path, rules, stats):
    eq = _equalise(
        tmp_path,
        rules,
        stats,
        [
            "Tampere;1.3.2021;alkukartoitus;10;;;;;esimerkki",
            "Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki",
            "Akaa;2.3.2021;alkukartoitus;1;;kyllä;12,50;30,00;esimerkki",
        ],
        [
            "2021;henkilostokulut;10000;11000;esimerkki;testi;2019",
            "2021;suoritteet;2940;3234;esimerkki;testi;2019",
        ],
    )
    s = kv.invoice_summary(eq)
    # unit prices: 21 assessments at 140 € = 2 940; the pool's budget 10 000 in instalments
    assert s.services == 2940 and s.pool == 10_000
    assert s.travel == Fraction("42.50")  # Akaa's per diem 12.50 + kilometres 30.00
    assert s.invoiced == 2940 + 10_000 + Fraction("42.50")
    # actual: pool 11 000, services 3 234 (= 2 940 * 1.1), travel passed through
    assert s.final == 11_000 + 3234 + Fraction("42.50")
    assert s.equalisation == 1000 + 294  # both units changed by exactly 10 %: February
    assert s.february == s.equalisation and s.carried == 0
    # every municipality has foreign-language speakers, so every one gets a pool difference
    assert len(s.february_by_municipality) == 22
    assert sum(s.february_by_municipality.values()) == s.february
    # Akaa: services 11 * 140 = 1 540 -> 1 694 (+154); pool 1 000 * 372 / 26 166 = 14.22
    akaa = kv.invoice_summary(eq, ["020"])
    assert akaa.services == 1540 and akaa.travel == Fraction("42.50")
    assert abs(akaa.february - (154 + Fraction(1000 * 372, 26_166))) <= Fraction(1, 100)
    assert akaa.first_invoice is None and akaa.first_invoice_label == ""


def test_under_the_threshold_nothing_goes_to_february(tmp_path, rules, stats):
    eq = _equalise(
        tmp_path,
        rules,
        stats,
        ["Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki"],
        [
            "2021;henkilostokulut;10000;10500;esimerkki;testi;2019",  # +5 %
            "2021;suoritteet;1400;1400;esimerkki;testi;2019",
        ],
    )
    s = kv.invoice_summary(eq)
    assert s.february == 0 and s.february_by_municipality == {}
    assert s.carried == s.equalisation == 500  # into next year's first invoice


def test_international_summary_in_words():
    report = kr.validate_parameters(2021)
    page = kr.summary(report)
    text = page.text()
    assert len(page.sentences) in range(3, 6)
    assert page.notice == kv.EXAMPLE_NOTICE
    assert "saavat tasauslaskun" in text and "ensimmäisessä laskussa" in text
    own = kr.summary(kr.validate_parameters(2021, "Akaa"))
    assert own.text().startswith("Akaa maksoi vuonna 2021")
    assert "Helmikuussa 2022 Akaa saa" in own.text()
