"""Faults injected into report runs and statistics refreshes: kills at chosen points (through the
pause hook ``KUSTANNUKSET_PYSAHDY`` of :mod:`kustannukset.core.replace`), Ctrl-C, a second run into
the same folder, unwritable targets, and a loopback PxWeb server with each fault.

The report runs here render a stand-in notebook (a child process that sleeps, as a kernel would),
so that a whole run takes moments; the real notebooks are rendered by test_report.py."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kustannukset.cli import main
from kustannukset.core.errors import InputError
from kustannukset.core.jobs import Job
from kustannukset.core.paths import DATA_DIR, PROJECT_ROOT
from kustannukset.core.replace import clean_dead
from kustannukset.render import driver
from kustannukset.stats.loader import load_statistics
from kustannukset.stats.pxweb import Client, PxWebError
from tests.conftest import edit_csv, run_cli, run_cli_process
from tests.integration.test_pxweb import RE, RM, snapshot, table_11re
from tests.pxweb_palvelin import Server, Table, serve

RUNNER = textwrap.dedent(
    """
    import subprocess, sys, time
    import signal
    # Ctrl-C as at a terminal, even when the test run was started in the background: a shell
    # ignores SIGINT in its background jobs, and this process would inherit that
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pathlib import Path
    from kustannukset.core import replace
    from kustannukset.core.jobs import Job
    from kustannukset.render import driver

    out, version = Path(sys.argv[1]), sys.argv[2]
    if len(sys.argv) > 3 and sys.argv[3] == "ei-vaihtoa":
        replace._exchange = lambda a, b: False  # the two-rename swap of other systems

    def execute(notebook, output, parameters):
        kernel = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(float(%r))"
                                   % parameters["kesto"]])
        Path(output).write_text(version, encoding="utf-8")
        kernel.wait()
        if kernel.returncode:
            raise RuntimeError("kernel died")

    driver.execute_notebook = execute
    driver.notebook_to_html = lambda nb, output, title: Path(output).write_text(version)
    job = Job(notebook="x.ipynb", parameters={"kesto": sys.argv[4] if len(sys.argv) > 4
              else "0"}, subdir="2023", stem="maksuosuudet_2023", title="Testiraportti",
              excel=lambda path: path.write_text(version), excel_name="hintataulukko_2023.xlsx")
    from kustannukset.core.errors import InputError
    try:
        failures = driver.render_jobs([job], out, workers=1)
    except InputError as exc:
        print(f"Virhe: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("Keskeytetty.", file=sys.stderr)
        sys.exit(130)
    sys.exit(1 if failures else 0)
    """
)
FILES = ["hintataulukko_2023.xlsx", "maksuosuudet_2023.html", "maksuosuudet_2023.ipynb"]


def _start(tmp_path: Path, out: Path, version: str, *extra: str, pause: str = "", **env):
    script = tmp_path / "aja.py"
    script.write_text(RUNNER, encoding="utf-8")
    marker = tmp_path / f"merkki-{version}"
    environment = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "KUSTANNUKSET_PYSAHDY": pause,
        "KUSTANNUKSET_PYSAHDY_MERKKI": str(marker),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, str(script), str(out), version, *extra],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, marker


def _run(tmp_path, out, version, *extra, **env) -> subprocess.CompletedProcess:
    process, _ = _start(tmp_path, out, version, *extra, **env)
    stdout, stderr = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def _wait_for(marker: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the pause point was never reached"
        time.sleep(0.05)


def _report(out: Path) -> dict[str, str]:
    folder = out / "2023" / "maksuosuudet_2023"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _leftovers(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob(".*"))


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def _earlier_report(out: Path) -> None:
    """Version v1 of the report, as an earlier run left it."""
    folder = out / "2023" / "maksuosuudet_2023"
    folder.mkdir(parents=True)
    for name in FILES:
        (folder / name).write_text("v1", encoding="utf-8")


@pytest.mark.parametrize(
    ("point", "extra", "expected"),
    [
        # killed while rendering: the earlier report stays
        ("muistio-valmis", (), "v1"),
        # killed after the atomic exchange: the new report is in place whole
        ("vaihdon-jalkeen", (), "v2"),
        # two-rename swap killed between the renames: the old one is put back
        ("ennen-vaihtoa", ("ei-vaihtoa",), "v1"),
    ],
)
def test_kill_at_each_step_leaves_one_whole_report(tmp_path, out, point, extra, expected):
    _earlier_report(out)
    process, marker = _start(tmp_path, out, "v2", *extra, pause=point)
    _wait_for(marker, process)
    process.kill()
    process.wait(timeout=30)
    if point == "ennen-vaihtoa":
        # set aside, not lost: what the next run does first (it finds the dead run's process id)
        assert not (out / "2023" / "maksuosuudet_2023").exists()
        clean_dead(out)
    assert _report(out) == dict.fromkeys(FILES, expected)
    # the next run takes over the dead run's lock, cleans only what it left, and renders
    follow = _run(tmp_path, out, "v3", *extra)
    assert follow.returncode == 0, follow.stderr
    assert _report(out) == dict.fromkeys(FILES, "v3")
    assert _leftovers(out) == []


def test_second_run_into_the_same_folder_is_refused_and_the_first_finishes(tmp_path, out):
    resume = tmp_path / "jatka"
    first, marker = _start(
        tmp_path, out, "v1", pause="muistio-valmis", KUSTANNUKSET_PYSAHDY_JATKA=str(resume)
    )
    _wait_for(marker, first)
    second = _run(tmp_path, out, "v2")
    resume.touch()  # the first run goes on only now
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "on jo käynnissä" in lines[0] and f"prosessi {first.pid}" in lines[0]
    assert first.wait(timeout=30) == 0, first.communicate()
    assert _report(out) == dict.fromkeys(FILES, "v1")
    assert _leftovers(out) == []


def test_ctrl_c_stops_the_kernel_at_once_and_keeps_the_earlier_report(tmp_path, out):
    _earlier_report(out)
    # the stand-in kernel would run for 40 s; the pause hook is not used, the kernel's start is
    process, _ = _start(tmp_path, out, "v2", "vaihto", "40")
    deadline = time.monotonic() + 30
    while not list((out / "2023").glob(".kesken-*/maksuosuudet_2023.ipynb")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    # the stand-in kernel would sleep 40 s: an exit within 30 s means it was stopped
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Keskeytetty." in stderr and "Traceback" not in stderr
    assert _report(out) == dict.fromkeys(FILES, "v1")
    assert _leftovers(out) == []


@pytest.fixture
def stand_in(monkeypatch):
    """The driver in this process, with a stand-in notebook that writes its version."""

    def execute(notebook, output, parameters):
        if parameters["kesto"] != "0":
            raise RuntimeError("muistion solu epäonnistui")
        Path(output).write_text("v1", encoding="utf-8")

    monkeypatch.setattr(driver, "execute_notebook", execute)
    monkeypatch.setattr(
        driver, "notebook_to_html", lambda nb, output, title: output.write_text("v1")
    )

    def job(kesto: str = "0") -> Job:
        return Job(
            notebook="x.ipynb",
            parameters={"kesto": kesto},
            subdir="2023",
            stem="maksuosuudet_2023",
            title="Testiraportti",
            excel=lambda path: path.write_text("v1"),
            excel_name="hintataulukko_2023.xlsx",
        )

    return job


def test_a_run_renders_and_leaves_nothing_else(out, stand_in):
    assert driver.render_jobs([stand_in()], out, log=lambda *a, **k: None) == []
    assert _report(out) == dict.fromkeys(FILES, "v1")
    assert _leftovers(out) == []


def test_failed_first_render_leaves_no_empty_year_folder(out, stand_in):
    failures = driver.render_jobs([stand_in("rikki")], out, log=lambda *a, **k: None)
    assert [message for _, message in failures] == [
        "Raportin teko epäonnistui (RuntimeError): muistion solu epäonnistui"
    ]
    assert sorted(out.iterdir()) == []


def test_a_file_as_target_is_a_finnish_line(tmp_path, stand_in):
    target = tmp_path / "raportit.txt"
    target.write_text("ei kansio", encoding="utf-8")
    with pytest.raises(InputError, match="on tiedosto, ei kansio") as caught:
        driver.render_jobs([stand_in()], target / "2023")
    assert str(caught.value).startswith(f"tiedosto {target / '2023'}")


def test_a_read_only_target_is_a_finnish_line(out, stand_in):
    if shutil.which("chattr") is None:
        pytest.skip("chattr puuttuu")
    if subprocess.run(["chattr", "+i", str(out)], capture_output=True).returncode != 0:
        pytest.skip("tiedostojärjestelmä ei tue chattr +i")
    try:
        with pytest.raises(InputError, match="ei kirjoitusoikeutta"):
            driver.render_jobs([stand_in()], out)
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert sorted(out.iterdir()) == []


# --- kustannukset data paivita against a loopback PxWeb server with each fault -----------------

QUERY = {"Alue": ["KU211"], "Kieli": ["02"], "Vuosi": ["2019"]}


def _client(server: Server, **options) -> Client:
    return Client(server.base_url, **options)


def test_retry_after_an_hour_is_refused_at_once_within_the_time_limit():
    waits, lines = [], []
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fault = "retry-after"
        client = _client(server, sleep=waits.append, progress=lines.append, time_limit=60)
        with pytest.raises(PxWebError, match=r"aikarajassa \(60 s.*Retry-After"):
            client.query(RM, QUERY)
    assert waits == []  # the hour was never slept
    assert server.posts == 1


def test_a_server_that_never_answers_is_given_up_at_the_time_limit():
    # without the overall limit: 60 s per attempt, 5 attempts (336 s in the probe)
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fault = "hang"
        client = _client(server, time_limit=1.5, backoff=0.2)
        with pytest.raises(PxWebError, match="aikarajassa") as caught:
            client.metadata(RM)
    assert "TimeoutError" not in str(caught.value)


def test_waiting_is_shown_as_a_progress_line():
    lines = []
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fail_posts = {1: 503}
        client = _client(server, backoff=0.01, progress=lines.append)
        assert client.query(RM, QUERY).cells[0].value == "781"
    assert len(lines) == 1 and lines[0].startswith("Odotetaan ") and "aikaa jäljellä" in lines[0]


def test_a_redirect_to_another_host_is_not_followed():
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fault = "redirect"
        with pytest.raises(PxWebError, match=r"toiseen osoitteeseen.*localhost"):
            _client(server).metadata(RM)
        assert len(server.requests) == 1  # nothing was asked of the other host


@pytest.mark.parametrize("fault", ["huge", "huge-no-length"])
def test_a_huge_answer_is_refused(fault):
    with serve({RM: Table.from_sample("vaerak_11rm_language.json")}) as server:
        server.fault = fault
        with pytest.raises(PxWebError, match="liian suuri"):
            _client(server).metadata(RM)


@pytest.fixture
def data(tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy, ignore=shutil.ignore_patterns("kartat"))
    return copy


def _paivita(url: str, data: Path, *extra: str) -> list[str]:
    return [
        "data", "paivita", "--taulukot", "11re", "--vuodet", "2023", "--kunnat", "020",
        "--osoite", url, "--data", str(data), *extra,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("nan", "ei ole luku"),
        ("inf", "ei ole luku"),
        ("1e309", "epäuskottavan"),
        ("1e999999999", "ei ole luku"),
        # 20 000 000 > MAX_PEOPLE (10 000 000)
        ("20000000", "epäuskottavan suuri"),
        ("16400.5", "kokonaisluku"),
    ],
)
def test_a_bad_figure_in_a_response_is_refused_and_nothing_is_written(data, capsys, value, words):
    before = snapshot(data)
    table = table_11re()
    table.add(
        {"Alue": "KU020", "Sukupuoli": "SSS", "Vuosi": "2023", "Ikä": "SSS"}, {"vaesto": value}
    )
    with serve({RE: table}) as server:
        code = main(_paivita(server.base_url, data))
    err = capsys.readouterr().err
    assert code == 1
    assert words in err and "Mitään ei kirjoitettu" in err and "Traceback" not in err
    assert snapshot(data) == before


def test_the_time_limit_is_an_option_and_its_message_is_finnish(data, capsys):
    before = snapshot(data)
    with serve({RE: table_11re()}) as server:
        server.fault = "hang"
        code = main(_paivita(server.base_url, data, "--aikaraja", "1"))
    err = capsys.readouterr().err
    assert code == 1 and "aikarajassa (1 s" in err and "--aikaraja" in err
    assert snapshot(data) == before


def _kill_paivita_at(point: str, url: str, data: Path, tmp_path: Path) -> None:
    marker = tmp_path / "merkki"
    process = subprocess.Popen(
        [sys.executable, "-m", "kustannukset", *_paivita(url, data)],
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "KUSTANNUKSET_PYSAHDY": point,
            "KUSTANNUKSET_PYSAHDY_MERKKI": str(marker),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _wait_for(marker, process)
    process.kill()
    process.wait(timeout=30)


@pytest.mark.parametrize("point", ["tarkistus", "ennen-vaihtoa"])
def test_killed_before_the_journal_leaves_the_old_data(data, tmp_path, capsys, point):
    before = snapshot(data)
    with serve({RE: table_11re()}) as server:
        _kill_paivita_at(point, server.base_url, data, tmp_path)
        left = [p.name for p in data.rglob(".kesken-*")]
        if point == "tarkistus":  # the validation copy
            assert [name.split("-")[-1] for name in left] == ["tarkistus"]
        else:  # the staged statistics and sources files
            assert any(name.endswith("vakiluku.csv") for name in left)
            assert any(name.endswith("tilastolahteet.csv") for name in left)
        # the data loads as it was (staged files are hidden, and never read)
        assert load_statistics(data).values("vakiluku", 2023, ["020"]) == {"020": 16405}
        # the next run removes the dead run's temporary files and lock
        assert main(_paivita(server.base_url, data, "--kokeile")) == 0
    capsys.readouterr()
    assert snapshot(data) == before


def test_killed_between_renames_the_next_load_completes_the_update(data, tmp_path, capsys):
    with serve({RE: table_11re()}) as server:
        _kill_paivita_at("siirron-jalkeen", server.base_url, data, tmp_path)
        assert (data / ".vaihto.json").exists()  # one file renamed, the rest still staged
        stats = load_statistics(data)  # completes the dead run's renames, then loads
        # the loopback table gives Akaa 16 400 for 2023 (the data had 16 405)
        assert stats.values("vakiluku", 2023, ["020"]) == {"020": 16400}
        assert main(_paivita(server.base_url, data, "--kokeile")) == 0  # takes over the lock
    assert "Ei muutoksia" in capsys.readouterr().out
    assert not list(data.rglob(".*"))


def test_ascii_terminal_prints_replacement_characters():
    result = subprocess.run(
        [sys.executable, "-m", "kustannukset", "jako", "2023"],
        capture_output=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONIOENCODING": "ascii", "LANG": "C"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("ascii", "replace")
    assert b"Traceback" not in result.stderr
    # "Kuntien maksuosuudet" is plain ASCII; "Hämeenkyrö" is printed as "H?meenkyr?"
    assert b"H?meenkyr?" in result.stdout


def test_jump_warning_is_one_finnish_line(data_copy):
    # Akaa's population 2021 is about 16 500; 40 000 is a jump of more than 10 % (the measure's
    # max_change 0.1) and more than 50 people, so a warning, not an error.
    edit_csv(
        data_copy / "tilastot" / "vakiluku.csv",
        {"kuntanumero": "020", "vuosi": "2021"},
        {"arvo": "40000"},
    )
    # In a process of its own: pytest records warnings in-process instead of showing them.
    result = run_cli_process("jako", "2023", "--data", str(data_copy))
    warnings = [x for x in result.stderr.splitlines() if x.strip()]
    assert warnings, result.stderr
    assert all(x.startswith("Varoitus: ") for x in warnings), result.stderr
    assert "UserWarning" not in result.stderr and "JumpWarning" not in result.stderr


# --- a bad file in place of a data file: one Finnish line naming it, nothing written


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _one_line(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Virhe: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    ("relative", "fault"),
    [
        ("tilastot/vakiluku.csv", "kansio"),  # before: a KeyError traceback
        ("tilastot/vakiluku.csv", "/dev/zero"),
        ("tilastot/vakiluku.csv", "linkkisilmukka"),
        ("parametrit/yhteiset_kustannukset.yaml", "arvo: 1e309"),  # before: OverflowError
    ],
)
def test_raportti_refuses_a_bad_data_file_and_keeps_the_earlier_reports(
    data_copy, out, relative, fault
):
    _earlier_report(out)
    before = _tree(out)
    path = data_copy / relative
    if fault.startswith("arvo"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("arvo: 126049", fault, 1), encoding="utf-8")
    else:
        path.unlink()
        if fault == "kansio":
            path.mkdir()
        elif fault == "/dev/zero":
            path.symlink_to("/dev/zero")
        else:
            path.symlink_to(path.name)
    result = run_cli_process("raportti", "--data", str(data_copy), "--kohde", str(out))
    _one_line(result, Path(relative).name)
    assert _tree(out) == before and _leftovers(out) == []


# The command that reads each data file (the notes README.md and LAHDE.md are read by no command).
READERS = {
    "parametrit/kansainvaliset_palvelut.yaml": ["tasaus", "2021"],
    "esimerkki/": ["tasaus", "2021"],
    "parametrit/tyollisyysalueet.yaml": ["skenaariot", "perusura"],
    "parametrit/valtionosuus.yaml": ["skenaariot", "perusura"],
    "parametrit/alueiden_kustannukset.yaml": ["skenaariot", "perusura"],
    "kartat/": ["skenaariot", "perusura"],
    "skenaariot/": ["skenaariot", "--lista"],  # every scenario file, listed from the folder
    "": ["jako", "2023"],  # the register, the statistics, their sources, the shared costs
}


def _reader(relative: str) -> list[str]:
    return next(command for prefix, command in READERS.items() if relative.startswith(prefix))


DATA_FILES = sorted(
    str(p.relative_to(DATA_DIR))
    for p in DATA_DIR.rglob("*")
    if p.is_file() and p.suffix in (".csv", ".yaml", ".geojson")
)


def test_a_folder_in_place_of_any_data_file_is_one_line_naming_it(data_copy):
    assert len(DATA_FILES) > 30  # every data file of the project, listed from the folder
    for relative in DATA_FILES:
        path = data_copy / relative
        kept = path.read_bytes()
        path.unlink()
        path.mkdir()
        try:
            result = run_cli(*_reader(relative), "--data", str(data_copy))
        finally:
            path.rmdir()
            path.write_bytes(kept)
        assert result.stdout == "", relative
        _one_line(result, Path(relative).name, "on kansio, ei tiedosto")
