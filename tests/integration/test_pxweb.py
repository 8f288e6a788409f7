"""The PxWeb client through its real HTTP path, against a local server (127.0.0.1) that serves
Statistics Finland's real metadata and response rows (tests/fixtures/pxweb/); the figures a test
adds to the server are test data."""

from __future__ import annotations

import json
import shutil
import time
from fractions import Fraction
from pathlib import Path

import pytest

from kustannukset.cli import main
from kustannukset.core import replace as replace_module
from kustannukset.core.paths import DATA_DIR
from kustannukset.stats import fetch as tilastohaku
from kustannukset.stats import pxweb
from kustannukset.stats.loader import load_statistics
from kustannukset.stats.pxweb import Client, NoNetworkError, PxWebError, parse_response
from tests.pxweb_palvelin import FIXTURES, Table, demo_tables, sample, serve

RM = "vaerak/statfin_vaerak_pxt_11rm.px"
RE = "vaerak/statfin_vaerak_pxt_11re.px"
R5 = "tyonv/statfin_tyonv_pxt_12r5.px"
B115 = "tyokay/statfin_tyokay_pxt_115b.px"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(pxweb, "BACKOFF_SECONDS", 0.0)


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the real data folder, so that a test may write into it."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def table_11re() -> Table:
    """11re as cached, with test rows: each one-year age 15-64 has 200 people in Akaa and 400 in
    Kangasala (so Akaa's 15-64 = 10 000, 18-64 = 9 400, 20-64 = 9 000), and totals near the real
    ones, so that no jump is flagged."""
    re_ = Table.from_sample("vaerak_11re_age.json")
    for code, per_age, totals in (("KU020", 200, (16500, 16400)), ("KU211", 400, (33000, 33500))):
        for year, total in zip(("2022", "2023"), totals, strict=True):
            key = {"Alue": code, "Sukupuoli": "SSS", "Vuosi": year}
            re_.add({**key, "Ikä": "SSS"}, {"vaesto": str(total)})
            for age in range(15, 65):
                re_.add({**key, "Ikä": f"{age:03d}"}, {"vaesto": str(per_age)})
    return re_


def table_12r5() -> Table:
    """12r5 as cached (metadata, and the real 2024M12 row of Kangasala from query_bodies.json with
    all 23 figures, one of them '...'), plus a test row for Akaa with a '...' jobseeker count."""
    r5 = Table.from_sample("tyonv_12r5_unemployment_rate.json")
    bodies = sample("query_bodies.json")["js_post_bodies"]
    row = next(b for b in bodies if "12r5" in b["url"])["response_row_as_saved_2024M12"]
    contents = r5.variable("Tiedot")["values"]
    r5.add(
        {"Alue": row["key"][0], "Kuukausi": row["key"][1]},
        dict(zip(contents, row["values"], strict=True)),
    )
    r5.add(
        {"Alue": "KU020", "Kuukausi": "2024M12"}, {"TYOTTOMATLOPUSSA": "...", "TYOTOSUUS": "10.6"}
    )
    return r5


def table_115b() -> Table:
    """115b: no metadata was cached, so it is written here after the real query body's variables;
    the one cached response row is kept, the rest are test rows."""
    bodies = sample("query_bodies.json")["js_post_bodies"]
    body = next(b for b in bodies if "115b" in b["url"])
    variables = [
        {
            "code": q["code"],
            "text": q["code"],
            "values": q["selection"]["values"],
            "valueTexts": q["selection"]["values"],
            "elimination": q["code"] != "Alue",
            "time": False,
        }
        for q in body["body"]["query"]
    ]
    years = ["1987", "2021", "2022", "2023*"]
    variables.append(
        {
            "code": "Vuosi",
            "text": "Vuosi",
            "values": [y.rstrip("*") for y in years],
            "valueTexts": years,
            "time": True,
            "elimination": False,
        }
    )
    variables.append(
        {
            "code": "Tiedot",
            "text": "Tiedot",
            "values": ["vaesto"],
            "valueTexts": ["Väestö"],
            "time": False,
            "elimination": False,
        }
    )
    table = Table(
        {"title": body["response_metadata_as_saved"]["label"], "variables": variables},
        [],
        [body["response_metadata_as_saved"]],
    )
    first = body["response_first_row_as_saved"]
    table.add(
        dict(
            zip(
                ["Alue", "Pääasiallinen toiminta", "Sukupuoli", "Ikä", "Vuosi"],
                first["key"],
                strict=True,
            )
        ),
        {"vaesto": first["values"][0]},
    )
    # test rows near Akaa's real size, so that no jump from its 2021 labour force (7 598) is flagged
    for year, (employed, unemployed) in {"2022": (7000, 600), "2023": (7100, 500)}.items():
        key = {"Alue": "KU020", "Sukupuoli": "SSS", "Ikä": "SSS", "Vuosi": year}
        table.add({**key, "Pääasiallinen toiminta": "11"}, {"vaesto": str(employed)})
        table.add({**key, "Pääasiallinen toiminta": "12"}, {"vaesto": str(unemployed)})
        table.add(
            {**key, "Pääasiallinen toiminta": "11+12"}, {"vaesto": str(employed + unemployed)}
        )
    return table


# --- the client alone ------------------------------------------------------------------------


def test_parse_response_reads_the_real_row_with_its_missing_marker():
    bodies = sample("query_bodies.json")["js_post_bodies"]
    row = next(b for b in bodies if "12r5" in b["url"])["response_row_as_saved_2024M12"]
    meta = sample("tyonv_12r5_unemployment_rate.json")["table_metadata_GET"]
    contents = meta["variables"][2]["values"]
    payload = {
        "columns": [{"code": "Alue", "type": "d"}, {"code": "Kuukausi", "type": "t"}]
        + [{"code": c, "type": "c"} for c in contents],
        "data": [row],
    }
    result = parse_response(payload)
    assert len(result.cells) == 23
    by_content = {c.content: c for c in result.cells}
    assert by_content["TYOTTOMATLOPUSSA"].value == "1543"
    assert by_content["TYOTOSUUS"].value == "9.5"
    assert [(c.content, c.marker) for c in result.missing] == [("VALMENNUSLOP", "...")]


def test_metadata_and_query_over_http():
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        client = Client(server.base_url)
        meta = client.metadata(RM)
        assert meta.variable("Kieli").text_of("02") == "VIERASKIELISET YHTEENSÄ"
        assert meta.time_variable.code == "Vuosi"
        result = client.query(
            RM, {"Alue": ["KU211"], "Kieli": ["02"], "Sukupuoli": ["SSS"], "Vuosi": ["2019"]}
        )
    # the real cached figure: Kangasala's foreign-language speakers 31.12.2019
    assert [(c.key, c.value) for c in result.cells] == [
        ({"Alue": "KU211", "Kieli": "02", "Sukupuoli": "SSS", "Vuosi": "2019"}, "781")
    ]
    assert result.updated == "2024-04-26T05.00.00Z"
    method, path, body = server.requests[-1]
    assert (method, path) == ("POST", "/PxWeb/api/v1/fi/StatFin/" + RM)
    assert body["response"] == {"format": "json"}
    assert body["query"][0] == {
        "code": "Alue",
        "selection": {"filter": "item", "values": ["KU211"]},
    }


def test_a_server_error_is_retried_with_backoff():
    waits = []
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fail_posts = {1: 503, 2: 429}
        client = Client(server.base_url, backoff=1.0, sleep=waits.append)
        result = client.query(RM, {"Alue": ["KU211"], "Kieli": ["02"], "Vuosi": ["2019"]})
    assert result.cells[0].value == "781"
    assert client.retried == 2
    assert len(waits) == 2 and 1.0 <= waits[0] <= 1.25 and 2.0 <= waits[1] <= 2.5


def test_a_persistent_server_error_gives_up_with_a_finnish_message():
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fail_always = 500
        client = Client(server.base_url, retries=2, sleep=lambda s: None)
        with pytest.raises(PxWebError, match=r"epäonnistui 3 yrityksen jälkeen.*HTTP 500"):
            client.query(RM, {"Alue": ["KU211"], "Kieli": ["02"], "Vuosi": ["2019"]})
    assert server.posts == 3


def test_a_bad_query_is_not_retried():
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        client = Client(server.base_url, sleep=lambda s: pytest.fail("no retry expected"))
        with pytest.raises(PxWebError, match="kysely ei kelpaa palvelulle \\(HTTP 400"):
            client.query(RM, {"Alue": ["KU999"]})
        with pytest.raises(PxWebError, match="taulukkoa ei löydy"):
            client.metadata("vaerak/ei_ole.px")


def test_no_network_fails_at_once():
    with serve({}) as server:
        url = server.base_url
    # the server is closed: connection refused, as with no network
    client = Client(url, sleep=lambda s: pytest.fail("no retry expected"))
    started = time.monotonic()
    with pytest.raises(NoNetworkError, match=r"ei saada yhteyttä.*Tarkista verkkoyhteys"):
        client.metadata(RM)
    assert time.monotonic() - started < 2


def test_rate_limit_is_respected():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        client = Client(server.base_url, max_calls=3, window=10, sleep=sleep, clock=lambda: now[0])
        for _ in range(4):
            client.metadata(RM)
    assert waits == [10]


# --- the command ------------------------------------------------------------------------------


def run(capsys, options: str, url: str, data: Path) -> tuple[int, str, str]:
    """``kustannukset data paivita OPTIONS --osoite URL --data DATA``."""
    code = main(["data", "paivita", *options.split(), "--osoite", url, "--data", str(data)])
    out, err = capsys.readouterr()
    return code, out, err


def test_paivita_fills_a_missing_measure_and_reports_what_changed(data, capsys):
    before = load_statistics(data).rows("vieraskieliset", 2020).set_index("kuntanumero")
    # Statistics Finland's own counts for Akaa, Kangasala and Ylöjärvi; the others are derived
    # from the rounded share (Nokia: 2,8 % x 34 476 = 965,328 -> 965)
    real = before[before["tila"] == "lopullinen"]
    assert real.index.tolist() == ["020", "211", "980"]
    assert (before.loc["536", "arvo"], before.loc["536", "tila"]) == (965, "johdettu")
    tables = demo_tables()  # 11rm as cached; test rows for Nokia 2020-2023
    key = {"Alue": "KU211", "Kieli": "02", "Sukupuoli": "SSS", "Vuosi": "2020"}
    tables[RM].add(key, {"vaesto": "850"})  # a test value, not the real 847
    tables[RM].ensure_values("Alue", ["KU837"], ["Tampere"])  # left out of the shortened metadata
    with serve(tables) as server:
        code, out, err = run(
            capsys, "--taulukot 11rm --vuodet 2019-2020 --kunnat 211 536 837", server.base_url, data
        )
    assert code == 0, err
    assert "Taulukko 11rm (väestö kielen mukaan), vuodet 2019–2020: 3 lukua" in out
    assert "Puuttuvia lukuja 3 (merkintä '...': 3); niitä ei kirjoiteta" in out
    assert "vieraskieliset: 2 muuttuu, 1 ennallaan" in out
    assert "muuttuu: vieraskieliset Kangasala (211) 2020: 847 -> 850" in out
    # the fetched count replaces the one derived from the share
    assert "muuttuu: vieraskieliset Nokia (536) 2020: 965 -> 1 100, johdettu -> lopullinen" in out
    assert "Kirjoitettu: " in out
    after = load_statistics(data).rows("vieraskieliset", 2020).set_index("kuntanumero")
    assert after.loc["536", "arvo"] == 1100 and after.loc["211", "arvo"] == 850
    assert after.loc["536", "julkaisija"] == "Tilastokeskus"
    assert after.loc["536", "taulukko"] == "StatFin 11rm (väestö kielen mukaan)"
    assert after.loc["536", "haettu"].startswith("20")
    assert "Alue KU536; Vuosi 2020; Kieli 02" in after.loc["536", "lahde"]
    # Kangasala's 2019 figure was the same: its row and its three sources are kept
    assert len(load_statistics(data).rows("vieraskieliset", 2019)) == 308


def test_paivita_adds_new_years_and_sums_ages(data, capsys):
    with serve({RE: table_11re()}) as server:
        code, out, err = run(
            capsys, "--taulukot 11re --vuodet 2022-2024 --kunnat Akaa", server.base_url, data
        )
    assert code == 0, err
    assert "taulukossa 11re ei ole lukuja vuodelta 2024 (uusin: 2023)" in out
    stats = load_statistics(data)
    got = {m: stats.values(m, 2023, ["020"])["020"] for m in tilastohaku.TABLES["11re"].measures}
    assert got == {
        "vakiluku": 16400,
        "tyoikaiset_15_64": 50 * 200,
        "tyoikaiset_18_64": 47 * 200,
        "tyoikaiset_20_64": 45 * 200,
    }
    assert "vakiluku: 2 muuttuu" in out


def test_a_final_figure_is_not_replaced_by_a_preliminary_one_without_saying_so(data, capsys):
    table = table_115b()  # 2023 is marked '2023*' in the metadata: preliminary
    rows = (data / "tilastot" / "tyolliset.csv").read_text(encoding="utf-8")
    rows += "tyolliset,020,Akaa,2023,7050,lopullinen,testirivi käsin\n"  # a test row
    (data / "tilastot" / "tyolliset.csv").write_text(rows, encoding="utf-8")
    with serve({B115: table}) as server:
        options = "--taulukot 115b --vuodet 2022 2023 --kunnat 020"
        code, out, _ = run(capsys, options, server.base_url, data)
        assert code == 0
        assert (
            "HUOM: tyolliset Akaa (020) 2023: lopullinen 7 050 pidetään; rajapinnan ennakkotieto "
            "7 100" in out
        )
        assert "Varoitus" not in out
        stats = load_statistics(data)
        assert stats.values("tyolliset", 2023, ["020"])["020"] == 7050
        assert (
            stats.rows("tyottomat", 2023).set_index("kuntanumero").loc["020", "tila"] == "ennakko"
        )
        assert (
            stats.rows("tyovoima", 2022).set_index("kuntanumero").loc["020", "tila"] == "lopullinen"
        )
        code, out, _ = run(capsys, options + " --salli-ennakko", server.base_url, data)
    assert "HUOM: lopullinen luku korvataan ennakkotiedolla" in out
    assert load_statistics(data).values("tyolliset", 2023, ["020"])["020"] == 7100


def test_missing_marker_in_a_response_is_reported_not_written(data, capsys):
    with serve({R5: table_12r5()}) as server:
        code, out, _ = run(
            capsys, "--taulukot 12r5 --vuodet 2024 --kunnat 020 211", server.base_url, data
        )
    assert code == 0
    assert "tyottomat_tyonhakijat Akaa (020) 2024: ..." in out
    stats = load_statistics(data)
    assert "020" not in set(stats.rows("tyottomat_tyonhakijat", 2024)["kuntanumero"])
    # Kangasala's real December 2024 figures, as cached, agree with the imported ones
    assert "tyottomat_tyonhakijat: 1 ennallaan" in out
    assert stats.values("tyottomyysaste", 2024, ["020"])["020"] == pytest.approx(10.6)


# Test values (not real figures): Akaa's unemployed jobseekers 2024M01-2024M12 and 2025M01-M03.
AKAA_2024 = [700, 701, 702, 703, 704, 705, 706, 707, 708, 709, 710, 712]


def table_12r5_months() -> Table:
    """12r5 as cached, with test rows for Akaa: every month of 2024 (denominator and rate in
    December), and January-March 2025."""
    r5 = Table.from_sample("tyonv_12r5_unemployment_rate.json")
    for month, value in enumerate(AKAA_2024, start=1):
        r5.add({"Alue": "KU020", "Kuukausi": f"2024M{month:02d}"}, {"TYOTTOMATLOPUSSA": str(value)})
    r5.add({"Alue": "KU020", "Kuukausi": "2024M12"}, {"TYOVOIMATK": "7600", "TYOTOSUUS": "10.6"})
    for month in (1, 2, 3):
        r5.add({"Alue": "KU020", "Kuukausi": f"2025M{month:02d}"}, {"TYOTTOMATLOPUSSA": "720"})
    return r5


def test_paivita_reads_every_month_of_12r5_and_derives_the_year(data, capsys):
    with serve({R5: table_12r5_months()}) as server:
        code, out, err = run(
            capsys, "--taulukot 12r5 --vuodet 2024-2025 --kunnat 020", server.base_url, data
        )
    assert code == 0, err
    assert "taulukossa 12r5 on vuodelta 2025 vain kuukaudet 2025M01–2025M03" in out
    stats = load_statistics(data)
    months = stats.rows("tyottomat_tyonhakijat_kk", 2024)
    months = months[months["kuntanumero"] == "020"].set_index("kuukausi")
    assert months["arvo"].tolist() == AKAA_2024 and list(months.index) == list(range(1, 13))
    assert set(months["tila"]) == {"lopullinen"}
    assert (
        "Kuukausi <vuosi>M01–<vuosi>M12" in stats.sources[months["lahdetunnus"].iloc[0]].description
    )
    # Akaa's three months fetched, beside Kangasala's January 2025 from the research data
    assert sorted(stats.rows("tyottomat_tyonhakijat_kk", 2025)["kuntanumero"]) == [
        "020",
        "020",
        "020",
        "211",
    ]
    # December gives the year's figures
    assert stats.values("tyottomat_tyonhakijat", 2024, ["020"]) == {"020": 712}
    assert stats.values("tyovoima_jakaja", 2024, ["020"]) == {"020": 7600}
    # the mean of the twelve months: (12 x 700 + 0+1+...+9 + 10 + 12) / 12 = 8 467 / 12
    # = 705.583..., written to two decimals and marked derived
    mean = stats.rows("tyottomat_tyonhakijat_ka", 2024).set_index("kuntanumero").loc["020"]
    assert mean["arvo"] == Fraction("705.58") and mean["tila"] == "johdettu"
    assert "keskiarvo kahdella desimaalilla (johdettu)" in mean["lahde"]
    # no mean and no December for 2025, which has three months
    assert stats.rows("tyottomat_tyonhakijat_ka", 2025).empty
    assert stats.rows("tyottomat_tyonhakijat", 2025).empty
    text = (data / "tilastot" / "tyottomat_tyonhakijat_kk.csv").read_text(encoding="utf-8")
    assert "tyottomat_tyonhakijat_kk,020,Akaa,2024,12,712,lopullinen,pxweb-12r5-" in text


def test_fetched_115b_labour_force_replaces_the_derived_estimate(data, capsys):
    table = table_115b()
    # test rows whose sum is Akaa's derived 2021 labour force (7 598)
    key = {"Alue": "KU020", "Sukupuoli": "SSS", "Ikä": "SSS", "Vuosi": "2021"}
    for activity, value in (("11", "7000"), ("12", "598"), ("11+12", "7598")):
        table.add({**key, "Pääasiallinen toiminta": activity}, {"vaesto": value})
    before = load_statistics(data).rows("tyovoima", 2021).set_index("kuntanumero").loc["020"]
    assert (before["arvo"], before["tila"]) == (7598, "arvio")
    with serve({B115: table}) as server:
        code, out, err = run(
            capsys, "--taulukot 115b --vuodet 2021 --kunnat 020", server.base_url, data
        )
    assert code == 0, err
    assert "muuttuu: tyovoima Akaa (020) 2021: 7 598 -> 7 598, arvio -> lopullinen" in out
    after = load_statistics(data).rows("tyovoima", 2021).set_index("kuntanumero").loc["020"]
    assert (after["arvo"], after["tila"]) == (7598, "lopullinen")
    assert after["taulukko"] == "StatFin 115b (työssäkäyntitilasto)"


def test_a_server_error_mid_way_is_retried_and_the_run_completes(data, capsys, monkeypatch):
    monkeypatch.setattr(tilastohaku, "MAX_CELLS", 60)  # 51 cells per municipality and year
    with serve({RE: table_11re()}) as server:
        server.fail_posts = {2: 503}
        code, out, err = run(
            capsys, "--taulukot 11re --vuodet 2023 --kunnat 020 211", server.base_url, data
        )
    assert code == 0, err
    assert server.posts == 3  # two queries, the second one twice
    assert "Tilapäisiä virheitä uusittiin 1 kertaa" in out
    assert load_statistics(data).values("tyoikaiset_18_64", 2023, ["020", "211"]) == {
        "020": 9400,
        "211": 18800,
    }


def test_a_server_that_keeps_failing_mid_way_leaves_the_data_whole(data, capsys, monkeypatch):
    monkeypatch.setattr(tilastohaku, "MAX_CELLS", 60)
    before = snapshot(data)
    with serve({RE: table_11re()}) as server:
        server.fail_always = None
        server.fail_posts = {n: 503 for n in range(2, 20)}
        code, _, err = run(
            capsys, "--taulukot 11re --vuodet 2023 --kunnat 020 211", server.base_url, data
        )
    assert code == 1
    assert "Mitään ei kirjoitettu; data on ennallaan." in err
    assert snapshot(data) == before


def test_no_network_fails_at_once_in_finnish_and_writes_nothing(data, capsys):
    with serve({}) as server:
        url = server.base_url
    before = snapshot(data)
    started = time.monotonic()
    code, _, err = run(capsys, "", url, data)
    assert time.monotonic() - started < 5
    assert code == 1
    assert "Tilastokeskuksen rajapintaan ei saada yhteyttä" in err
    assert "Mitään ei kirjoitettu" in err
    assert snapshot(data) == before


def test_kokeile_shows_but_writes_nothing(data, capsys):
    before = snapshot(data)
    with serve(demo_tables()) as server:
        code, out, _ = run(
            capsys, "--taulukot 11rm --vuodet 2021 --kunnat Nokia --kokeile", server.base_url, data
        )
    assert code == 0
    # Nokia's count of 2021 in the data is derived from the share (johdettu): the fetched one
    # would replace it
    assert "vieraskieliset: 1 muuttuu" in out
    assert "johdettu -> lopullinen" in out
    assert "Mitään ei kirjoitettu (--kokeile)." in out
    assert snapshot(data) == before


def test_an_interrupted_write_is_completed_by_the_next_load(data, capsys, monkeypatch):
    real_replace = replace_module.os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the journal's own rename, then the first file, then this
            raise KeyboardInterrupt  # as if the run died between two renames
        real_replace(src, dst)

    monkeypatch.setattr(replace_module.os, "replace", replace_then_fail)
    with serve({RE: table_11re()}) as server:
        code = main(
            [
                "data",
                "paivita",
                "--taulukot",
                "11re",
                "--vuodet",
                "2023",
                "--kunnat",
                "020",
                "--osoite",
                server.base_url,
                "--data",
                str(data),
            ]
        )
    assert code == 130
    assert len(calls) == 3
    monkeypatch.undo()
    # the journal names every rename; the next run (here: this process, as if it had died)
    # completes them, so the figures and their sources arrive together
    assert (data / ".vaihto.json").exists()
    assert replace_module.complete_journal(data, own=True)
    stats = load_statistics(data)  # loads: every new row's source tag is in the sources file
    # the loopback table gives Akaa 16 400 for 2023 (the data had 16 405)
    assert stats.values("vakiluku", 2023, ["020"]) == {"020": 16400}
    assert not list(data.rglob(".*"))  # no journal, staged file, copy or lock left


def test_an_interrupted_fetch_writes_nothing(data, monkeypatch):
    before = snapshot(data)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tilastohaku, "run_request", interrupted)
    with serve({RE: table_11re()}) as server:
        assert (
            main(
                [
                    "data",
                    "paivita",
                    "--taulukot",
                    "11re",
                    "--osoite",
                    server.base_url,
                    "--data",
                    str(data),
                ]
            )
            == 130
        )
    assert snapshot(data) == before


def test_unknown_municipality_is_an_input_error(data, capsys):
    assert main(["data", "paivita", "--kunnat", "Tamper", "--data", str(data)]) == 2
    assert "tuntematon kunta 'Tamper' (tarkoititko 'Tampere'?)" in capsys.readouterr().err


def test_fixtures_are_the_real_samples():
    research = DATA_DIR.parents[1] / "shared" / "data-research" / "pxweb-samples"
    if not research.exists():
        pytest.skip("../shared/data-research/ ei ole saatavilla")
    for path in FIXTURES.glob("*.json"):
        assert json.loads(path.read_text("utf-8")) == json.loads(
            (research / path.name).read_text("utf-8")
        )


def test_an_implausible_fetched_figure_is_flagged_before_it_is_written(data, capsys):
    tables = demo_tables()
    key = {"Alue": "KU211", "Kieli": "02", "Sukupuoli": "SSS", "Vuosi": "2020"}
    tables[RM].add(key, {"vaesto": "8470"})  # a test value: the real 847 with a digit too many
    with serve(tables) as server:
        code, out, _ = run(
            capsys, "--taulukot 11rm --vuodet 2020 --kunnat 211 --kokeile", server.base_url, data
        )
    assert code == 0
    assert (
        "Varoitus: epätavallinen muutos: Vieraskieliset 31.12., Kangasala (211): "
        "2019 781 -> 2020 8 470 (+985 %)" in out
    )
