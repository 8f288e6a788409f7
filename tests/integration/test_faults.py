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

from kustannukset.core.paths import PROJECT_ROOT
from kustannukset.core.replace import clean_dead

RUNNER = textwrap.dedent(
    """
    import subprocess, sys, time
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


def test_a_run_renders_and_leaves_nothing_else(tmp_path, out):
    result = _run(tmp_path, out, "v1")
    assert result.returncode == 0, result.stderr
    assert _report(out) == dict.fromkeys(FILES, "v1")
    assert _leftovers(out) == []


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
    first, marker = _start(
        tmp_path, out, "v1", pause="muistio-valmis", KUSTANNUKSET_PYSAHDY_SEK="3"
    )
    _wait_for(marker, first)
    second = _run(tmp_path, out, "v2")
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


def test_failed_first_render_leaves_no_empty_year_folder(tmp_path, out):
    result = _run(tmp_path, out, "v1", "vaihto", "ei-luku")
    assert result.returncode == 1
    assert sorted(out.iterdir()) == []


def test_a_file_as_target_is_a_finnish_line(tmp_path):
    target = tmp_path / "raportit.txt"
    target.write_text("ei kansio", encoding="utf-8")
    result = _run(tmp_path, target, "v1")
    assert result.returncode == 2
    assert result.stderr.startswith("Virhe: ") and "on tiedosto, ei kansio" in result.stderr
    assert "Error" not in result.stderr


def test_a_read_only_target_is_a_finnish_line(tmp_path, out):
    if shutil.which("chattr") is None:
        pytest.skip("chattr puuttuu")
    made = subprocess.run(["chattr", "+i", str(out)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("tiedostojärjestelmä ei tue chattr +i")
    try:
        result = _run(tmp_path, out, "v1")
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert result.returncode == 2, result.stderr
    assert "ei kirjoitusoikeutta" in result.stderr and "Error" not in result.stderr
    assert sorted(out.iterdir()) == []
