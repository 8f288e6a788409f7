"""The README stays true: every command in its shell blocks runs as written and exits 0.

Each line of a ```sh block is a command a user copies. The two ``make`` commands are what this test
run and the report run are, so they are not run again here; every other line must start with
``.venv/bin/kustannukset``. They run in a folder of their own, in the README's order (``skenaariot
oma.yaml`` reads what ``aluejaot --kirjoita oma.yaml`` wrote): the first one with bash as a user
types it, the others through the same entry point in this process (``main``, what
``.venv/bin/kustannukset`` calls), so that the data is read once; a pipe's other end runs in bash
on the output, and ``> file`` writes the output to that file. The files a command names as the
user's own (``omat/…``) are made there first, small and by hand. Three things differ from a user's
machine, each so that the test writes nothing into the project and needs no network: ``data
paivita`` asks a local PxWeb server (its test tables), a ``data paivita`` that would write gets
``--data`` pointing to a copy, and ``raportti`` runs in this process into a temporary folder with
the notebook execution and HTML conversion stood in for (the real rendering is checked by
test_report.py): its parameters, checks, jobs and workbooks are the command's own.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from kustannukset.cli import main
from kustannukset.core.paths import DATA_DIR, PROJECT_ROOT
from kustannukset.render import driver
from tests.conftest import run_cli
from tests.pxweb_palvelin import demo_tables, serve

README = PROJECT_ROOT / "README.md"
COMMAND = ".venv/bin/kustannukset"

OWN_EVENTS = """kunta;pvm;palvelu;maara;kotoutumisvuosi;paikan_paalla;paivarahat;kilometrikulut;tila
Akaa;15.3.2019;oma_valmennus;2;1;ei;;;toteuma
Tampere;20.5.2019;omakielinen_neuvonta;10;;ei;;;toteuma
"""
OWN_COSTS = """vuosi;kustannuslaji;talousarvio;toteuma;tila;lahde
2019;henkilostokulut;500 000,00;510 000,00;toteuma;kirjanpito 2019
2019;mainio;100 000,00;98 000,00;toteuma;kirjanpito 2019
2019;suoritteet;250 000,00;249 000,00;toteuma;kirjanpito 2019
"""


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def test_the_readme_shows_only_commands_that_run_as_written():
    commands = readme_commands()
    others = [c for c in commands if not c.startswith(("make ", COMMAND + " "))]
    assert others == []
    assert [c.split("#")[0].strip() for c in commands if c.startswith("make ")] == [
        "make report",
        "make test",
    ]
    # every subcommand has an example
    shown = {c.split()[1] for c in commands if c.startswith(COMMAND)}
    assert shown == {
        "jako",
        "raportti",
        "arvio",
        "tasaus",
        "laskut",
        "skenaariot",
        "aluejaot",
        "data",
    }


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "kansio"
    folder.mkdir()
    (folder / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    (folder / "omat").mkdir()
    (folder / "omat" / "palvelutapahtumat.csv").write_text(OWN_EVENTS, encoding="utf-8")
    (folder / "omat" / "kustannukset.csv").write_text(OWN_COSTS, encoding="utf-8")
    return folder


def _raportti(line: str, out: Path) -> tuple[int, str]:
    """``raportti`` in this process, rendering with stand-ins, into ``out``."""
    words = shlex.split(line.split("#")[0])[1:]
    if "--kohde" in words:
        words[words.index("--kohde") + 1] = str(out)
    else:
        words += ["--kohde", str(out)]
    saved = driver.execute_notebook, driver.notebook_to_html
    driver.execute_notebook = lambda notebook, output, parameters: Path(output).write_text("{}")
    driver.notebook_to_html = lambda nb, output, title: Path(output).write_text(title)
    err = io.StringIO()
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = main(words)
    finally:
        driver.execute_notebook, driver.notebook_to_html = saved
    return code, err.getvalue()


def _in_process(line: str, workdir: Path) -> tuple[int, str]:
    """A README line run through ``main`` in ``workdir``: ``| …`` in bash on its output,
    ``> file`` into the file."""
    words = shlex.split(line, comments=True)[1:]
    pipe = redirect = None
    if "|" in words:
        at = words.index("|")
        words, pipe = words[:at], shlex.join(words[at + 1 :])
    elif ">" in words:
        at = words.index(">")
        words, redirect = words[:at], words[at + 1]
    result = run_cli(*words, cwd=workdir)
    if result.returncode != 0:
        return result.returncode, result.stderr
    if redirect:
        (workdir / redirect).write_text(result.stdout, encoding="utf-8")
    if pipe:
        after = subprocess.run(
            ["bash", "-c", pipe], input=result.stdout, capture_output=True, text=True, cwd=workdir
        )
        return after.returncode, after.stderr or f"{pipe}: ei tulosta"
    return 0, ""


def test_every_readme_command_exits_0(workdir, tmp_path, monkeypatch):
    data_copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_copy)
    failures = []
    commands = [line for line in readme_commands() if not line.startswith("make ")]
    with serve(demo_tables()) as server:
        monkeypatch.setenv("KUSTANNUKSET_PXWEB_OSOITE", server.base_url)
        # the first as a user types it: the installed command, in bash
        first = subprocess.run(
            ["bash", "-o", "pipefail", "-c", commands[0]],
            cwd=workdir,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert first.returncode == 0, first.stderr
        for line in commands[1:]:
            if " raportti" in line.split("#")[0]:
                code, err = _raportti(line, tmp_path / "raportit")
            else:
                if " data paivita" in line and "--kokeile" not in line:
                    line = line.replace(" data paivita", f" data paivita --data {data_copy}", 1)
                code, err = _in_process(line, workdir)
            if code != 0:
                failures.append((line, code, err[-500:]))
    assert failures == []
    # what the examples wrote went into their own folder, as a user's would
    assert (workdir / "oma.yaml").is_file() and (workdir / "maksuosuudet_2023.csv").is_file()
    assert (workdir / "maksuosuudet_2023.csv").read_text(encoding="utf-8").startswith("\ufeff")
