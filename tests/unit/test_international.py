"""International expertise services: billing by hand, the key's dates, the 10 % threshold, the
equalisation's exact sums, and every bad input naming its file, row and column."""

from __future__ import annotations

import datetime as dt
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kustannukset import international as kv
from kustannukset.core.errors import InputError
from kustannukset.core.money import CENT
from kustannukset.core.paths import DATA_DIR
from kustannukset.stats.loader import load_statistics
from tests.conftest import examples, run_cli

HEADER = "kunta;pvm;palvelu;maara;kotoutumisvuosi;paikan_paalla;paivarahat;kilometrikulut;tila"


@pytest.fixture(scope="module")
def rules() -> kv.Rules:
    return kv.Rules(DATA_DIR)


@pytest.fixture(scope="module")
def stats():
    return load_statistics(DATA_DIR)


def write_events(tmp_path: Path, *rows: str, encoding: str = "utf-8-sig", header=HEADER) -> Path:
    path = tmp_path / "tapahtumat.csv"
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


def billed(tmp_path, rules, stats, *rows, year=2021) -> kv.Billing:
    events = kv.read_events(write_events(tmp_path, *rows), rules, stats.municipalities)
    return kv.bill(events, rules, year, stats.municipalities.experiment)


# --- billing by hand, one case per price rule ---


def test_oma_valmennus_by_integration_year(tmp_path, rules, stats):
    b = billed(
        tmp_path,
        rules,
        stats,
        "Akaa;1.3.2021;oma_valmennus;3;1;ei;;;",
        "020;2.3.2021;oma_valmennus;2;2;ei;;;",
        "Akaa;3.3.2021;OMA-valmennus;1;3;;;;",
    )
    assert b.services_total("020") == 750 * 3 + 1150 * 2 + 1400  # 3 first-, 2 second-, 1 third-year


def test_integration_years_four_and_five_use_the_third_years_price(tmp_path, rules, stats):
    b = billed(
        tmp_path,
        rules,
        stats,
        "Nokia;1.3.2021;oma_valmennus;1;3;;;;",
        "Nokia;1.3.2021;oma_valmennus;1;4;;;;",
        "Nokia;1.3.2021;oma_valmennus;1;5;;;;",
    )
    assert b.services_total("536") == 1400 + 1400 + 1400  # "3 (+4 ja 5) vuoden kotoaikainen"


def test_sixth_integration_year_is_an_error(tmp_path, rules, stats):
    path = write_events(
        tmp_path, "Nokia;1.3.2021;oma_valmennus;1;5;;;;", "Nokia;1.3.2021;oma_valmennus;1;6;;;;"
    )
    with pytest.raises(InputError) as err:
        kv.read_events(path, rules, stats.municipalities)
    assert (err.value.row, err.value.column) == (3, "kotoutumisvuosi")
    assert "enintään 5 vuotta" in err.value.message


def test_other_unit_prices(tmp_path, rules, stats):
    b = billed(
        tmp_path,
        rules,
        stats,
        "Tampere;1.2.2021;yrityskoordinaattori;2;;;;;",
        "Tampere;1.2.2021;osaamiskartoitus_ryhma;1,5;;;;;",
        "Tampere;1.2.2021;osaamiskartoitus_asiakas;7;;;;;",
        "Tampere;1.2.2021;omakielinen_neuvonta;2,25;;;;;",
        "Tampere;1.2.2021;alkukartoitus;4;;;;;",
    )
    by = b.by_service["837"]
    assert by["yrityskoordinaattori"] == 490 * 2
    assert by["osaamiskartoitus_ryhma"] == 4200 * Fraction(3, 2)  # a group and a half
    assert by["osaamiskartoitus_asiakas"] == 280 * 7
    assert by["omakielinen_neuvonta"] == 40 * Fraction(9, 4)  # 2 h 15 min
    assert by["alkukartoitus"] == 140 * 4
    assert b.total("837") == 980 + 6300 + 1960 + 90 + 560


def test_travel_costs_are_passed_through_to_the_ordering_municipality(tmp_path, rules, stats):
    b = billed(
        tmp_path,
        rules,
        stats,
        "Virrat;20.9.2021;alkukartoitus;1;;kyllä;48,00;104,40;",
        "Virrat;21.9.2021;alkukartoitus;1;;ei;;;",
    )
    assert b.services_total("936") == 140 * 2
    assert b.travel("936") == Fraction("48.00") + Fraction("104.40")
    assert b.total("936") == 280 + Fraction("152.40")
    assert b.travel("837") == 0  # Tampere produces the service; it does not pay the trip


def test_plain_csv_and_cp1252_read_alike(tmp_path, rules, stats):
    plain = write_events(
        tmp_path,
        "Hämeenkyrö,2021-05-01,omakielinen_neuvonta,1.5,,,,,",
        header=HEADER.replace(";", ","),
        encoding="utf-8",
    )
    a = kv.read_events(plain, rules, stats.municipalities)
    excel = write_events(
        tmp_path, "Hämeenkyrö;1.5.2021;omakielinen_neuvonta;1,5;;;;;", encoding="cp1252"
    )
    b = kv.read_events(excel, rules, stats.municipalities)
    assert a.events[0].quantity == b.events[0].quantity == Fraction(3, 2)
    assert a.events[0].code == b.events[0].code == "108"


def test_no_price_before_2021_is_an_error_naming_the_event(tmp_path, rules, stats):
    events = kv.read_events(
        write_events(tmp_path, "Akaa;1.6.2020;alkukartoitus;1;;;;;"), rules, stats.municipalities
    )
    with pytest.raises(InputError) as err:
        kv.bill(events, rules, 2020, ["020"])
    assert (err.value.row, err.value.column) == (2, "pvm")


# --- the key: which date for which purpose ---


def test_key_dates_budget_two_years_invoicing_one_year_back(rules):
    assert rules.key_year(2021, kv.BUDGET) == 2019  # budget set in 2020 uses 31.12.2019
    assert rules.key_year(2021, kv.INVOICING) == 2020  # invoicing 2021 uses 31.12.2020
    assert rules.key_year(2022, kv.INVOICING) == 2021


def test_budget_2021_key_is_the_real_2019_count(rules, stats):
    key = kv.key_for(2021, kv.BUDGET, stats, rules)
    assert key.stat_year == 2019 and key.assumption is None
    assert key.values["837"] == 18996 and key.values["177"] == 15  # Tampere, Juupajoki 31.12.2019


def test_missing_count_names_municipality_and_date(rules, stats):
    with pytest.raises(InputError) as err:
        kv.key_for(2027, kv.INVOICING, stats, rules)  # no count of 31.12.2026 in the data
    assert "Akaa (020)" in err.value.message and "2026" in err.value.message


def test_a_derived_count_is_no_key(rules, stats):
    # 31.12.2020: Statistics Finland's own count for Akaa, Kangasala and Ylöjärvi only; the
    # others' counts are derived from the rounded share (johdettu), which the rule does not take
    with pytest.raises(InputError) as err:
        kv.key_for(2021, kv.INVOICING, stats, rules)
    message = err.value.message
    assert "Hämeenkyrö (108) luku on johdettu julkaistuista luvuista (19/22 kunnalla)" in message
    assert "2020" in message and "paivita --taulukot 11rm --vuodet 2020" in message
    assert err.value.column == "tila"


def test_split_cents_by_hand():
    # 100.00 € by 1:1:1 -> 33.333..., the extra cent to the smallest code
    assert kv.split_cents(Fraction(100), {"b": 1, "a": 1, "c": 1}) == {
        "a": Fraction("33.34"),
        "b": Fraction("33.33"),
        "c": Fraction("33.33"),
    }


# --- the threshold ---


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        (110_000, True),  # exactly +10 %
        (90_000, True),  # exactly -10 %
        (Fraction("109999.99"), False),  # a cent under +10 %
        (Fraction("90000.01"), False),  # a cent under -10 %
        (Fraction("110000.01"), True),  # a cent over
        (Fraction("89999.99"), True),
        (100_000, False),
    ],
)
def test_ten_percent_threshold(rules, actual, expected):
    assert (
        kv.exceeds_threshold(Fraction(100_000), Fraction(actual), rules.threshold(2021)) is expected
    )


def _costs(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "kustannukset.csv"
    lines = ["vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde;vieraskieliset_vuosi", *rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _equalise(tmp_path, rules, stats, event_rows, cost_rows, year=2021):
    events = kv.read_events(write_events(tmp_path, *event_rows), rules, stats.municipalities)
    costs = kv.read_costs(_costs(tmp_path, cost_rows), rules)
    return kv.equalise(year, events, costs, stats, rules)


def test_equalisation_by_hand(tmp_path, rules, stats):
    eq = _equalise(
        tmp_path,
        rules,
        stats,
        [
            "Tampere;1.3.2021;alkukartoitus;10;;;;;esimerkki",
            "Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki",
        ],
        [
            "2021;henkilostokulut;10000;11000;esimerkki;testi;2019",
            "2021;suoritteet;2800;3080;esimerkki;testi;2019",
        ],
    )
    assert eq.exceeds and eq.change == Fraction(1, 10)  # (14080 - 12800) / 12800 = exactly 10 %
    # unit-priced: 1400 € billed each; actual 3080 -> k = 1.1 -> 1540 each, +140 each
    assert eq.services_difference("837") == eq.services_difference("020") == 140
    # pool +1000 € by 2019 counts (Tampere 18996, Akaa 372 of 26166)
    assert sum(eq.pool_difference(c) for c in eq.names) == 1000
    assert eq.difference == 1000 + 280
    assert sum(eq.invoice(c) for c in eq.names) == eq.difference
    assert eq.key.assumption and "31.12.2019" in eq.key.assumption


def test_under_threshold_carries_the_difference_into_next_years_first_invoice(
    tmp_path, rules, stats
):
    eq = _equalise(
        tmp_path,
        rules,
        stats,
        ["Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki"],
        [
            "2021;henkilostokulut;10000;10500;esimerkki;testi;2019",
            "2021;suoritteet;1400;1400;esimerkki;testi;2019",
        ],
    )
    assert not eq.exceeds  # 500 / 11400 = 4.4 %
    assert "ensimmäisessä laskussa" in kv.summary_text(eq)
    assert sum(eq.invoice(c) for c in eq.names) == 500


# --- properties ---

amounts = st.integers(min_value=0, max_value=10**8).map(lambda c: Fraction(c, 100))
keys = st.dictionaries(
    st.text("0123456789", min_size=3, max_size=3), st.integers(1, 50_000), min_size=1, max_size=23
)


@settings(deadline=None)
@given(amounts, keys)
def test_split_cents_adds_up_and_ignores_order(total, key):
    shares = kv.split_cents(total, key)
    assert sum(shares.values()) == total
    assert all((v / CENT).denominator == 1 for v in shares.values())
    assert kv.split_cents(total, dict(reversed(list(key.items())))) == shares


@given(
    st.dictionaries(
        st.text("0123456789", min_size=3, max_size=3),
        st.integers(0, 10**7).map(lambda c: Fraction(c, 100)),
        min_size=1,
        max_size=23,
    ).filter(lambda d: sum(d.values()) > 0),
    amounts,
)
@settings(deadline=None)
def test_final_billing_settles_to_the_cent(billed_cents, actual):
    final = kv.final_billing(billed_cents, actual)
    assert sum(final.values()) == actual
    diff = {c: final[c] - billed_cents[c] for c in billed_cents}
    assert sum(diff.values()) == actual - sum(billed_cents.values())
    assert kv.final_billing(dict(reversed(list(billed_cents.items()))), actual) == final


@settings(deadline=None, max_examples=examples(50))
@given(
    st.integers(1, 10**7).map(lambda c: Fraction(c, 100)),
    st.integers(0, 10**7).map(lambda c: Fraction(c, 100)),
    st.integers(1, 10**7).map(lambda c: Fraction(c, 100)),
)
def test_example_equalisation_settles_any_costs(pool_budget, pool_actual, services_actual):
    inputs = _example()
    lines = [
        kv.CostLine(1, 2021, "henkilostokulut", pool_budget, pool_actual, "esimerkki", "t", 2019),
        kv.CostLine(2, 2021, "suoritteet", Fraction(1), services_actual, "esimerkki", "t", 2019),
    ]
    costs = kv.Costs(inputs.costs.path, tuple(lines))
    eq = kv.equalise(2021, inputs.events, costs, inputs.stats, inputs.rules)
    invoices = {c: eq.invoice(c) for c in eq.names}
    assert sum(invoices.values()) == eq.difference
    assert all((v / CENT).denominator == 1 for v in invoices.values())


_CACHE: dict = {}


def _example() -> kv.Inputs:
    if "x" not in _CACHE:
        _CACHE["x"] = kv.load_inputs(DATA_DIR)
    return _CACHE["x"]


# --- the example data set and the command line ---


def test_example_tasaus_csv_adds_up_exactly():
    result = run_cli("tasaus", "2021", "--csv")
    assert result.returncode == 0, result.stderr
    assert kv.EXAMPLE_NOTICE in result.stderr
    lines = result.stdout.strip().splitlines()
    header = lines[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=True)) for line in lines[1:]]
    assert len(rows) == 22 and {r["tila"] for r in rows} == {"esimerkki"}
    total_cents = sum(round(Fraction(r["tasaus"]) * 100) for r in rows)
    # 2021 example: actual 672 815,35 + 141 260 + 353 480 minus state project funding
    # 15 000 (OMA-valmennus) + 10 000 (whole pool), minus invoiced 600 000 + 130 000 + 316 210
    assert total_cents == (
        67281535 + 14126000 + 35348000 - 1500000 - 1000000 - 60000000 - 13000000 - 31621000
    )
    # the decision per service: henkilöstö (672 815,35 - 8 264,78) / 600 000 = +10,76 % and
    # OMA-valmennus (259 000 - 15 000) / 220 000 = +10,9 % reach 10 %; Mainio
    # (141 260 - 1 735,22) / 130 000 = +7,3 % and yrityskoordinaattori 9 400 / 9 000 = +4,4 % do not
    assert {r["henkilostokulut_paatos"] for r in rows} == {"tasauslasku"}
    assert {r["oma_valmennus_paatos"] for r in rows} == {"tasauslasku"}
    assert {r["mainio_paatos"] for r in rows} == {"siirto"}
    assert {r["yrityskoordinaattori_paatos"] for r in rows} == {"siirto"}


def test_example_arvio_text_shows_the_notice():
    result = run_cli("arvio", "2021")
    assert result.returncode == 0, result.stderr
    assert kv.EXAMPLE_NOTICE in result.stdout
    assert "Vieraskieliset 31.12.2019" in result.stdout
    assert "Summa" in result.stdout


def test_estimate_by_hand(rules, stats):
    inputs = _example()
    est = kv.estimate(2021, inputs.events, inputs.costs, stats, rules)
    assert est.base_year == 2019 and est.key.stat_year == 2019
    assert est.pool_total == Fraction("571230.40") + Fraction("118450.00")  # actual pool 2019
    assert sum(est.pool.values()) == est.pool_total
    # Akaa 2019: one first-year OMA client and 12,5 h of advice, at the 2021 prices
    assert est.services("020") == 750 * 1 + 40 * Fraction(25, 2)
    assert est.services("177") == 0  # Juupajoki: no events in 2019


# --- bad input ---

BAD_EVENTS = [
    ("Kuhmoinen;1.3.2021;alkukartoitus;1;;;;;", "kunta", "ei ole kokeilukunta"),
    ("Tampre;1.3.2021;alkukartoitus;1;;;;;", "kunta", "Tampere"),
    ("999;1.3.2021;alkukartoitus;1;;;;;", "kunta", "kuntanumero"),
    ("Akaa;31.2.2021;alkukartoitus;1;;;;;", "pvm", "päivämäärä"),
    ("Akaa;1.3.2021;tulkkaus;1;;;;;", "palvelu", "tulkkaus ei sisälly"),
    ("Akaa;1.3.2021;alkukartoitu;1;;;;;", "palvelu", "alkukartoitus"),
    ("Akaa;1.3.2021;alkukartoitus;;;;;;", "maara", "puuttuu"),
    ("Akaa;1.3.2021;alkukartoitus;x;;;;;", "maara", "ei ole luku"),
    ("Akaa;1.3.2021;alkukartoitus;-1;;;;;", "maara", "negatiivinen"),
    ("Akaa;1.3.2021;alkukartoitus;0;;;;;", "maara", "nolla"),
    ("Akaa;1.3.2021;alkukartoitus;1,5;;;;;", "maara", "kokonaisluku"),
    ("Akaa;1.3.2021;omakielinen_neuvonta;1,125;;;;;", "maara", "kaksi desimaalia"),
    ("Akaa;1.3.2021;oma_valmennus;1;;;;;", "kotoutumisvuosi", "puuttuu"),
    ("Akaa;1.3.2021;oma_valmennus;1;0;;;;", "kotoutumisvuosi", "1–5"),
    ("Akaa;1.3.2021;oma_valmennus;1;2,5;;;;", "kotoutumisvuosi", "1–5"),
    ("Akaa;1.3.2021;oma_valmennus;1;6;;;;", "kotoutumisvuosi", "enintään 5"),
    ("Akaa;1.3.2021;alkukartoitus;1;;joo;;;", "paikan_paalla", "kyllä"),
    ("Akaa;1.3.2021;alkukartoitus;1;;ei;10,00;;", "paivarahat", "paikan_paalla"),
    ("Akaa;1.3.2021;alkukartoitus;1;;kyllä;;-5;", "kilometrikulut", "negatiivinen"),
    ("Akaa;1.3.2021;alkukartoitus;1;;;;;arvaus", "tila", "tila"),
]


@pytest.mark.parametrize(("row", "column", "words"), BAD_EVENTS)
def test_bad_event_names_file_row_and_column(tmp_path, rules, stats, row, column, words):
    path = write_events(tmp_path, "Akaa;1.3.2021;alkukartoitus;1;;;;;", row)
    with pytest.raises(InputError) as err:
        kv.read_events(path, rules, stats.municipalities)
    assert (Path(err.value.file), err.value.row, err.value.column) == (path, 3, column)
    assert words in err.value.message


def test_missing_event_column(tmp_path, rules, stats):
    path = write_events(tmp_path, "Akaa;1.3.2021;1", header="kunta;pvm;maara")
    with pytest.raises(InputError) as err:
        kv.read_events(path, rules, stats.municipalities)
    assert err.value.row == 1 and "palvelu" in err.value.message


BAD_COSTS = [
    ("20x1;henkilostokulut;1;1;esimerkki;l;", "vuosi"),
    ("2021;palkat;1;1;esimerkki;l;", "kustannuslaji"),
    ("2021;henkilostokulut;-1;1;esimerkki;l;", "talousarvio"),
    ("2021;henkilostokulut;1;x;esimerkki;l;", "toteuma"),
    ("2021;henkilostokulut;1;1,001;esimerkki;l;", "toteuma"),
    ("2021;henkilostokulut;1;1;keksitty;l;", "tila"),
    ("2021;henkilostokulut;1;1;esimerkki;;", "lahde"),
    ("2021;henkilostokulut;1;1;toteuma;l;2019", "vieraskieliset_vuosi"),
    ("2021;mainio;1;1;esimerkki;l;", "kustannuslaji"),  # a second mainio row for 2021
]


@pytest.mark.parametrize(("row", "column"), BAD_COSTS)
def test_bad_cost_row_names_file_row_and_column(tmp_path, rules, row, column):
    path = _costs(tmp_path, ["2021;mainio;1;1;esimerkki;l;", row])
    with pytest.raises(InputError) as err:
        kv.read_costs(path, rules)
    assert (Path(err.value.file), err.value.row, err.value.column) == (path, 3, column)


def test_zero_budget_is_an_error(tmp_path, rules, stats):
    with pytest.raises(InputError) as err:
        _equalise(
            tmp_path,
            rules,
            stats,
            ["Akaa;1.3.2021;alkukartoitus;1;;;;;"],
            ["2021;mainio;0;5;esimerkki;l;2019"],
        )
    assert err.value.column == "talousarvio"


def test_cli_bad_events_file_one_line_exit_2(tmp_path, data_copy):
    target = data_copy / kv.EVENTS_FILE
    shutil.copy(write_events(tmp_path, "Akaa;1.3.2021;oma_valmennus;1;6;;;;"), target)
    result = run_cli("tasaus", "2021", "--data", str(data_copy))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Virhe: tiedosto ")
    assert "rivi 2, sarake 'kotoutumisvuosi'" in lines[0]


def test_notebook_parameters(tmp_path):
    assert kv.check_parameters("2021", 20) == (2021, "020")  # papermill's int for "020"
    assert kv.check_parameters(2021, "Tampere") == (2021, "837")
    assert kv.check_parameters(2021, "") == (2021, "")
    with pytest.raises(InputError):
        kv.check_parameters(2021, "291")  # Kuhmoinen is not an experiment municipality
    with pytest.raises(InputError):
        kv.check_parameters("vuosi", "")


def test_event_date_formats():
    assert kv.parse_date("15.3.2021", file=Path("x"), row=2, column="pvm") == dt.date(2021, 3, 15)
    assert kv.parse_date("2021-03-15", file=Path("x"), row=2, column="pvm") == dt.date(2021, 3, 15)


# --- the annex by the letter: per-service costs, project funding, periods, the first invoice ---

COST_HEADER = "vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde;vieraskieliset_vuosi;palvelu"


def _service_costs(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "kustannukset_palveluittain.csv"
    path.write_text("\n".join([COST_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _funding(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "hankerahoitus.csv"
    path.write_text("\n".join(["vuosi;kohde;summa;tila;lahde", *rows]) + "\n", encoding="utf-8")
    return path


def _rules_with(tmp_path: Path, old: str, new: str) -> kv.Rules:
    """The parameter file with one value changed, in a data folder of its own."""
    text = (DATA_DIR / kv.PARAMETER_FILE).read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / "data" / kv.PARAMETER_FILE
    target.parent.mkdir(parents=True)
    target.write_text(text.replace(old, new), encoding="utf-8")
    return kv.Rules(tmp_path / "data")


def test_per_service_prices_and_thresholds_one_over_one_under(tmp_path, rules, stats):
    events = kv.read_events(
        write_events(
            tmp_path,
            "Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki",  # 10 × 140 = 1 400 €
            "Akaa;1.3.2021;yrityskoordinaattori;2;;;;;esimerkki",  # 2 × 490 = 980 €
        ),
        rules,
        stats.municipalities,
    )
    costs = kv.read_costs(
        _service_costs(
            tmp_path,
            [
                "2021;henkilostokulut;10000;10000;esimerkki;testi;2019;",
                "2021;suoritteet;1400;1610;esimerkki;testi;2019;alkukartoitus",
                "2021;suoritteet;1000;1050;esimerkki;testi;2019;yrityskoordinaattori",
            ],
        ),
        rules,
    )
    eq = kv.equalise(2021, events, costs, stats, rules)
    by_code = {u.unit.code: u for u in eq.units}
    # alkukartoitus: (1610 - 1400) / 1400 = +15 % -> separate equalising invoice in February
    assert by_code["alkukartoitus"].change == Fraction(3, 20) and by_code["alkukartoitus"].exceeds
    # yrityskoordinaattori: (1050 - 1000) / 1000 = +5 % -> carried into next year's first invoice
    assert by_code["yrityskoordinaattori"].change == Fraction(1, 20)
    assert not by_code["yrityskoordinaattori"].exceeds
    # Akaa alone billed both: final = actual, so February 1610 - 1400 = 210, carried 1050 - 980 = 70
    assert eq.february("020") == 210 and eq.carried("020") == 70
    assert eq.invoice("020") == 280 and eq.invoice("837") == 0
    prices = eq.final_prices(rules).set_index("palvelu")["vahvistettu_hinta"]
    assert prices["Alkukartoitus (työvoiman ulkopuoliset)"] == 161.0  # 140 × 1610 / 1400
    assert prices["Yrityskoordinaattoripalvelu"] == 525.0  # 490 × 1050 / 980
    assert prices["Omakielinen neuvonta"] == 40.0  # no costs of its own: factor 1
    table = kv.units_table(eq).set_index("palvelu")
    assert table.loc["alkukartoitus", "paatos"] == "tasauslasku"
    assert table.loc["yrityskoordinaattori", "paatos"] == "siirto"


def test_fallback_one_factor_when_only_totals_exist(tmp_path, rules, stats):
    eq = _equalise(
        tmp_path,
        rules,
        stats,
        [
            "Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki",  # 1 400 €
            "Akaa;1.3.2021;yrityskoordinaattori;2;;;;;esimerkki",  # 980 €
        ],
        [
            "2021;henkilostokulut;10000;10000;esimerkki;testi;2019",
            "2021;suoritteet;2380;2618;esimerkki;testi;2019",  # +10 %, k = 2618 / 2380 = 1.1
        ],
    )
    assert [u.unit.code for u in eq.units] == ["henkilostokulut", "suoritteet"]
    prices = eq.final_prices(rules).set_index("palvelu")["vahvistettu_hinta"]
    assert prices["Alkukartoitus (työvoiman ulkopuoliset)"] == 154.0  # 140 × 1.1
    assert prices["Yrityskoordinaattoripalvelu"] == 539.0  # 490 × 1.1
    assert eq.february("020") == 238 and eq.carried("020") == 0
    assert "yhdellä kertoimella" in kv.summary_text(eq)


def test_service_billed_without_its_own_costs_is_an_error(tmp_path, rules, stats):
    events = kv.read_events(
        write_events(tmp_path, "Akaa;1.3.2021;alkukartoitus;1;;;;;"), rules, stats.municipalities
    )
    costs = kv.read_costs(
        _service_costs(tmp_path, ["2021;suoritteet;100;100;esimerkki;testi;2019;oma_valmennus"]),
        rules,
    )
    with pytest.raises(InputError) as err:
        kv.equalise(2021, events, costs, stats, rules)
    assert "Alkukartoitus" in err.value.message and err.value.column == "palvelu"


@pytest.mark.parametrize(
    ("rows", "column"),
    [
        (["2021;mainio;1;1;esimerkki;l;;oma_valmennus"], "palvelu"),  # a pool kind
        (["2021;suoritteet;1;1;esimerkki;l;;omavalmennus"], "palvelu"),  # unknown service
        (
            ["2021;suoritteet;1;1;esimerkki;l;;", "2021;suoritteet;1;1;esimerkki;l;;alkukartoitus"],
            "palvelu",
        ),
        (["2021;suoritteet;1;1;esimerkki;l;;alkukartoitus"] * 2, "kustannuslaji"),
    ],
)
def test_bad_per_service_cost_rows(tmp_path, rules, rows, column):
    path = _service_costs(tmp_path, rows)
    with pytest.raises(InputError) as err:
        kv.read_costs(path, rules)
    assert (err.value.row, err.value.column) == (len(rows) + 1, column)


def test_project_funding_reduces_the_cost_base_before_the_threshold(tmp_path, rules, stats):
    events = kv.read_events(
        write_events(tmp_path, "Akaa;1.3.2021;alkukartoitus;10;;;;;esimerkki"),
        rules,
        stats.municipalities,
    )
    costs = kv.read_costs(
        _costs(
            tmp_path,
            [
                "2021;henkilostokulut;10000;11500;esimerkki;testi;2019",
                "2021;suoritteet;1400;1400;esimerkki;testi;2019",
            ],
        ),
        rules,
    )
    without = kv.equalise(2021, events, costs, stats, rules)
    assert without.exceeds  # (11500 - 10000) / 10000 = +15 %
    funding = kv.read_funding(
        _funding(tmp_path, ["2021;henkilostokulut;1000;esimerkki;testi"]), rules
    )
    eq = kv.equalise(2021, events, costs, stats, rules, funding)
    staff = eq.units[0]
    assert staff.unit.net == 10500 and staff.change == Fraction(1, 20)  # 11500 - 1000 = +5 %
    assert not eq.exceeds
    assert eq.pool_actual == 10500 and sum(eq.carried(c) for c in eq.names) == 500
    assert eq.funding_total == 1000 and "hankerahoitus" in kv.summary_text(eq).lower()


def test_funding_for_the_whole_pool_is_spread_by_actual_cost(tmp_path, rules):
    costs = kv.read_costs(
        _costs(
            tmp_path,
            [
                "2021;henkilostokulut;10000;11000;esimerkki;testi;2019",
                "2021;mainio;2000;2000;esimerkki;testi;2019",
            ],
        ),
        rules,
    )
    funding = kv.read_funding(_funding(tmp_path, ["2021;potti;1200;esimerkki;testi"]), rules)
    units = {u.code: u for u in kv.cost_units(2021, costs, funding, rules)}
    # 1200 × 11000 / 13000 = 1015.3846, 1200 × 2000 / 13000 = 184.6153: floors 1015.38 + 184.61,
    # the cent left goes to the larger remainder (0.53 > 0.46): Mainio 184.62
    assert units["henkilostokulut"].funding == Fraction("1015.38")
    assert units["mainio"].funding == Fraction("184.62")


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("2021;tulkkaus;100;esimerkki;l", "kohde"),
        ("2021;potti;-1;esimerkki;l", "summa"),
        ("2021;potti;1;esimerkki;", "lahde"),
    ],
)
def test_bad_funding_rows(tmp_path, rules, row, column):
    path = _funding(tmp_path, [row])
    with pytest.raises(InputError) as err:
        kv.read_funding(path, rules)
    assert (err.value.row, err.value.column) == (2, column)


def test_funding_over_the_actual_cost_is_an_error(tmp_path, rules):
    costs = kv.read_costs(_costs(tmp_path, ["2021;mainio;100;100;esimerkki;testi;2019"]), rules)
    funding = kv.read_funding(_funding(tmp_path, ["2021;mainio;100,01;esimerkki;t"]), rules)
    with pytest.raises(InputError) as err:
        kv.cost_units(2021, costs, funding, rules)
    assert err.value.column == "summa"


def test_instalments_by_hand():
    # 1000.00 € by a:b = 1:2 over 3 periods. Due by period 1: 333.33 -> a 111.11, b 222.22;
    # by period 2: 666.67 -> 222.2233 and 444.4466, floors 666.66, the cent to b: 222.22, 444.45;
    # by period 3: 1000 -> 333.33, 666.67. Instalments are the differences.
    key = {"a": Fraction(1), "b": Fraction(2)}
    parts = [kv.instalment(Fraction(1000), key, n, 3) for n in (1, 2, 3)]
    assert [p["a"] for p in parts] == [Fraction("111.11")] * 3
    assert [p["b"] for p in parts] == [Fraction("222.22"), Fraction("222.23"), Fraction("222.22")]


def test_period_bounds():
    assert kv.period_bounds(2022, 1, kv.QUARTER) == (dt.date(2022, 1, 1), dt.date(2022, 3, 31))
    assert kv.period_bounds(2022, 4, kv.QUARTER) == (dt.date(2022, 10, 1), dt.date(2022, 12, 31))
    assert kv.period_bounds(2024, 2, kv.MONTH) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.mark.parametrize("kind", ["neljannes", "kuukausi"])
def test_periods_add_up_to_the_year(tmp_path, stats, kind):
    rules = _rules_with(
        tmp_path,
        "2021-01-01: {arvo: neljannes, lahde: kv_laskutus}",
        f"2021-01-01: {{arvo: {kind}, lahde: kv_laskutus}}",
    )
    inputs = _example()
    events, costs = inputs.events, inputs.costs
    n = rules.periods(2021)
    assert n == {"neljannes": 4, "kuukausi": 12}[kind]
    periods = [
        kv.period_invoices(2021, p, events, costs, stats, rules, carry=False)
        for p in range(1, n + 1)
    ]
    codes = stats.municipalities.experiment
    # every period's invoices add up to its events and its instalment of the 730 000 € budget pool
    for inv in periods:
        assert sum(inv.total(c) for c in codes) == (
            sum(inv.services(c) + inv.billing.travel(c) for c in codes)
            + sum(sum(part.values()) for part in inv.pool.values())
        )
    assert sum(inv.pool_total(c) for inv in periods for c in codes) == 600_000 + 130_000
    # the example's 2021 events at the 2021 prices: 316 210 € (as the tasaus test above)
    assert sum(inv.services(c) for inv in periods for c in codes) == 316_210
    eq = kv.equalise(2021, events, costs, stats, rules)
    for c in codes:
        assert sum(inv.services(c) for inv in periods) == eq.billed[c]
        assert sum(inv.pool_total(c) for inv in periods) == eq.pool_invoiced[c]


def test_first_invoice_of_2022_carries_the_2021_differences_under_ten_percent():
    result = run_cli("laskut", "2022", "--jakso", "1", "--csv")
    assert result.returncode == 0, result.stderr
    assert kv.EXAMPLE_NOTICE in result.stderr
    lines = result.stdout.strip().splitlines()
    header = lines[0].split(",")
    rows = {
        r["kunta"]: r for r in (dict(zip(header, x.split(","), strict=True)) for x in lines[1:])
    }
    assert len(rows) == 22 and {r["tila"] for r in rows.values()} == {"esimerkki"}

    def cents(column):
        return sum(round(Fraction(r[column]) * 100) for r in rows.values())

    # 2021 under 10 %: Mainio 141 260 - 1 735,22 (its part of the 10 000 pool funding:
    # 10 000 × 141 260 / 814 075,35) - 130 000 = 9 524,78; yrityskoordinaattori 9 400 - 8 820 = 580;
    # osaamiskartoitus, ryhmä 17 900 - 16 800 = 1 100; osaamiskartoitus, asiakas 12 300 - 12 040 = 260
    assert cents("tasaus_2021") == 952478 + 58000 + 110000 + 26000
    # Q1 2022 events: Akaa 750 + 1150 + 40 × (0,5 + 1,5) = 1 980 (its April event is in period 2)
    assert (
        Fraction(rows["Akaa"]["oma_valmennus"]) + Fraction(rows["Akaa"]["omakielinen_neuvonta"])
        == 1980
    )
    assert Fraction(rows["Kangasala"]["matkakulut"]) == Fraction("77.40")  # 45,00 + 32,40
    # Tampere: 40 × (120,5 + 110 + 130) = 14 420
    assert Fraction(rows["Tampere"]["omakielinen_neuvonta"]) == 14420
    # the pool's first quarter: 620 000 / 4 and 135 000 / 4
    assert cents("potti_henkilostokulut") == 15500000 and cents("potti_mainio") == 3375000
    # services 1 980 + 140 + (750 + 1 400 + 140 + 280) + (14 420 + 7 500) + 490 = 27 100
    assert cents("lasku_yhteensa") == 2710000 + 7740 + 15500000 + 3375000 + cents("tasaus_2021")
    # the carried row is each municipality's 'siirto' of the 2021 equalisation, to the cent
    tasaus = run_cli("tasaus", "2021", "--csv").stdout.strip().splitlines()
    theader = tasaus[0].split(",")
    carried = {
        r["kunta"]: r["siirto_seuraavaan_laskuun"]
        for r in (dict(zip(theader, x.split(","), strict=True)) for x in tasaus[1:])
    }
    assert {k: r["tasaus_2021"] for k, r in rows.items()} == carried


def test_laskut_text_and_a_period_out_of_range():
    result = run_cli("laskut", "2022", "--jakso", "2")
    assert result.returncode == 0, result.stderr
    assert "jakso 2/4" in result.stdout and "tasaus_2021" not in result.stdout
    bad = run_cli("laskut", "2022", "--jakso", "5")
    assert bad.returncode == 2 and bad.stdout == "" and "1–4" in bad.stderr


def test_unclosed_year_cannot_be_equalised():
    inputs = _example()
    with pytest.raises(InputError) as err:
        kv.equalise(2022, inputs.events, inputs.costs, inputs.stats, inputs.rules)
    assert err.value.column == "toteuma" and "2022" in err.value.message


@pytest.mark.parametrize(
    ("rule", "expected"),
    # 0,5 h one visit; 3 h in 4 visits; 2,5 h in 2 visits
    [
        ("suhteessa", 40 * Fraction(1, 2) + 40 * 3 + 40 * Fraction(5, 2)),
        ("vahintaan_tunti", 40 * 1 + 40 * 4 + 40 * Fraction(5, 2)),
    ],
)
def test_visit_rule_of_native_language_advice(tmp_path, stats, rule, expected):
    rules = _rules_with(
        tmp_path,
        "2021-01-01: {arvo: suhteessa, lahde: kv_kaynti}",
        f"2021-01-01: {{arvo: {rule}, lahde: kv_kaynti}}",
    )
    header = HEADER + ";asiakas;kaynnit"
    path = write_events(
        tmp_path,
        "Akaa;1.3.2021;omakielinen_neuvonta;0,5;;;;;;;",
        "Akaa;2.3.2021;omakielinen_neuvonta;3;;;;;;;4",
        "Akaa;3.3.2021;omakielinen_neuvonta;2,5;;;;;;;2",
        header=header,
    )
    events = kv.read_events(path, rules, stats.municipalities)
    assert kv.bill(events, rules, 2021, ["020"]).services_total("020") == expected


def test_visits_only_for_advice(tmp_path, rules, stats):
    path = write_events(
        tmp_path, "Akaa;1.3.2021;alkukartoitus;1;;;;;;;2", header=HEADER + ";asiakas;kaynnit"
    )
    with pytest.raises(InputError) as err:
        kv.read_events(path, rules, stats.municipalities)
    assert (err.value.row, err.value.column) == (2, "kaynnit")


def test_event_before_any_rule_names_the_events_row(tmp_path, rules, stats):
    path = write_events(
        tmp_path, "Akaa;1.3.2021;alkukartoitus;1;;;;;", "Akaa;1.6.2018;oma_valmennus;1;1;;;;"
    )
    with pytest.raises(InputError) as err:
        kv.read_events(path, rules, stats.municipalities)
    assert (Path(err.value.file), err.value.row, err.value.column) == (path, 3, "pvm")


def test_client_counts_distinct_or_events_labelled(tmp_path, rules, stats):
    path = write_events(
        tmp_path,
        "Akaa;1.3.2021;oma_valmennus;1;1;;;;;A1;",
        "Akaa;1.9.2021;oma_valmennus;1;1;;;;;A1;",  # the same client again
        "Akaa;1.3.2021;oma_valmennus;1;2;;;;;A2;",
        "Akaa;1.3.2021;alkukartoitus;1;;;;;;;",
        "Akaa;2.3.2021;alkukartoitus;1;;;;;;;",
        header=HEADER + ";asiakas;kaynnit",
    )
    events = kv.read_events(path, rules, stats.municipalities)
    summary = kv.client_summary(list(events.events), 2021, rules, ["020"]).set_index("palvelu")
    assert summary.loc["OMA-valmennus", "asiakkaita"] == 2  # A1 and A2
    assert summary.loc["OMA-valmennus", "laskettu"] == "eri asiakkaita"
    assert summary.loc["Alkukartoitus (työvoiman ulkopuoliset)", "asiakkaita"] == 2  # 2 events
    assert summary.loc["Alkukartoitus (työvoiman ulkopuoliset)", "laskettu"].startswith(
        "tapahtumia"
    )


# --- properties of periods and the equalisation ---


@settings(deadline=None, max_examples=examples(60))
@given(amounts, keys)
def test_instalments_add_up_whatever_the_period(budget, key):
    whole = kv.split_cents(budget, key)
    for periods in (4, 12):
        parts = [kv.instalment(budget, key, n, periods) for n in range(1, periods + 1)]
        assert {c: sum(p[c] for p in parts) for c in key} == whole
        assert all(
            sum(p.values()) == kv.instalment(budget, {"x": 1}, n + 1, periods)["x"]
            for n, p in enumerate(parts)
        )


_event_rows = st.lists(
    st.tuples(
        st.sampled_from(["020", "837", "536"]),
        st.dates(dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        st.sampled_from(["alkukartoitus", "omakielinen_neuvonta", "yrityskoordinaattori"]),
        st.integers(1, 2000).map(lambda c: Fraction(c, 4)),
    ),
    min_size=1,
    max_size=30,
)


@settings(deadline=None, max_examples=examples(40))
@given(_event_rows)
def test_splitting_a_year_into_periods_changes_no_yearly_total(rows):
    inputs = _example()
    rules = inputs.rules
    events = kv.Events(
        Path("x.csv"),
        tuple(
            kv.Event(
                i,
                code,
                date,
                service,
                q if service == "omakielinen_neuvonta" else Fraction(int(q) + 1),
                None,
                False,
                Fraction(0),
                Fraction(0),
                "esimerkki",
            )
            for i, (code, date, service, q) in enumerate(rows, start=2)
        ),
    )
    codes = ["020", "536", "837"]
    year = kv.bill(events, rules, 2021, codes)
    for kind in (kv.MONTH, kv.QUARTER):
        n = kv.PERIODS[kind]
        parts = [
            kv.bill(events, rules, 2021, codes, period=kv.period_bounds(2021, p, kind))
            for p in range(1, n + 1)
        ]
        for c in codes:
            for s in rules.services:
                assert sum(b.by_service[c][s] for b in parts) == year.by_service[c][s]


@settings(deadline=None, max_examples=examples(40))
@given(
    st.integers(1, 10**7).map(lambda c: Fraction(c, 100)),
    st.integers(0, 10**7).map(lambda c: Fraction(c, 100)),
    st.integers(1, 10**6).map(lambda c: Fraction(c, 100)),
)
def test_february_and_carried_add_up_to_the_equalisation(staff_actual, mainio_actual, grant):
    inputs = _example()
    lines = [
        kv.CostLine(
            1, 2021, "henkilostokulut", Fraction(600_000), staff_actual, "esimerkki", "t", 2019
        ),
        kv.CostLine(2, 2021, "mainio", Fraction(130_000), mainio_actual, "esimerkki", "t", 2019),
        kv.CostLine(
            3, 2021, "suoritteet", Fraction(300_000), Fraction(353_480), "esimerkki", "t", 2019
        ),
    ]
    costs = kv.Costs(inputs.costs.path, tuple(lines))
    grant = min(grant, staff_actual + mainio_actual)
    funding = kv.Funding(Path("f.csv"), (kv.Grant(2, 2021, "potti", grant, "esimerkki", "t"),))
    if staff_actual + mainio_actual == 0:
        return
    eq = kv.equalise(2021, inputs.events, costs, inputs.stats, inputs.rules, funding)
    for c in eq.names:
        assert eq.february(c) + eq.carried(c) == eq.invoice(c)
    assert sum(eq.invoice(c) for c in eq.names) == eq.difference
    assert eq.pool_actual == staff_actual + mainio_actual - grant
