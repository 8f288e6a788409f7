"""Batch rendering in warm kernels (kustannukset.render.driver): one kernel per worker runs the
notebooks one after another, each as if in a fresh kernel; a failing notebook fails only itself;
Ctrl-C stops the kernels at once.

Tiny notebooks written into a temporary folder keep these fast; one real report checks that a
report rendered after another in the same kernel has the outputs of one rendered alone."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import Job, Options
from kustannukset.core.paths import DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from kustannukset.international.notebook import jobs as international_jobs
from kustannukset.render import driver
from kustannukset.shared_costs.notebook import jobs as yearly_jobs

pytestmark = pytest.mark.integration

QUIET = {"log": lambda *a, **k: None}


def _notebook(folder: Path, name: str, *cells: str) -> str:
    """A notebook with a parameters cell (``kansio``: where it may write) and ``cells``."""
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('kansio = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(textwrap.dedent(c)) for c in cells)]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / name
    nbformat.write(nb, path)
    return str(path)  # absolute: NOTEBOOKS_DIR / job.notebook is then this path


def _job(notebook: str, stem: str, folder: Path) -> Job:
    return Job(
        notebook=notebook,
        parameters={"kansio": str(folder)},
        subdir="testi",
        stem=stem,
        title=stem,
    )


def _cells(path: Path) -> list[tuple[int | None, list]]:
    """Each code cell's execution count and outputs (no metadata: timings differ by run). A
    warning names the cell's file, ``/tmp/ipykernel_<process id>/...``, which differs between any
    two kernels: the process id is left out."""
    text = re.sub(r"ipykernel_\d+", "ipykernel_", path.read_text(encoding="utf-8"))
    nb = json.loads(text)
    return [(c.get("execution_count"), c["outputs"]) for c in nb["cells"] if "outputs" in c]


def _printed(cells: list[tuple[int | None, list]]) -> str:
    return "".join(
        "".join(o["text"]) for _, outputs in cells for o in outputs if o.get("name") == "stdout"
    )


def _stderr(cells: list[tuple[int | None, list]]) -> str:
    return "".join(
        "".join(o["text"]) for _, outputs in cells for o in outputs if o.get("name") == "stderr"
    )


def _pid_cell(stem: str) -> str:
    """A cell that writes its kernel's process id to ``kansio/pid-<stem>`` and shows nothing."""
    return f"import os as _os\nopen(kansio + '/pid-{stem}', 'w').write(str(_os.getpid()));"


def _pid(folder: Path, stem: str) -> int:
    return int((folder / f"pid-{stem}").read_text(encoding="utf-8"))


WARNER = 'import warnings\n\n\ndef varoita():\n    warnings.warn("varoitus")\n'

# Shows the module's warning (no warning from the same line is shown again in this kernel,
# unless the record of shown warnings is cleared).
WARNS = "import sys\nsys.path.insert(0, kansio)\nimport varoittaja\nvaroittaja.varoita()"

# Shows what the notebook before it may have left behind.
CHECKS = [
    WARNS,
    """
    import os, warnings
    import matplotlib as mpl, matplotlib.pyplot as plt, numpy as np, pandas as pd
    print("vuotava" in dir())
    print(plt.get_fignums())
    print(mpl.rcParams["lines.linewidth"], pd.get_option("display.max_rows"),
          np.get_printoptions()["precision"])
    print(os.getcwd() == {notebooks!r}, os.environ.get("KUSTANNUKSET_VUOTO"), "/vuoto" in sys.path)
    warnings.warn("toinen")  # an error if the filter "error" had stayed
    print(mpl.is_interactive())
    """.replace("{notebooks!r}", repr(str(NOTEBOOKS_DIR))),
]

# Changes all of it.
MESS = [
    """
    import os, sys, warnings
    import matplotlib as mpl, matplotlib.pyplot as plt, numpy as np, pandas as pd
    vuotava = 1
    mpl.rcParams["lines.linewidth"] = 7
    pd.set_option("display.max_rows", 3)
    np.set_printoptions(precision=2)
    os.environ["KUSTANNUKSET_VUOTO"] = "1"
    sys.path.append("/vuoto")
    os.chdir("/")
    plt.ioff()  # not interactive: the inline backend leaves these figures open
    plt.figure()
    plt.figure()
    warnings.simplefilter("error")
    """,
]


def test_nothing_leaks_from_one_notebook_to_the_next(tmp_path):
    (tmp_path / "varoittaja.py").write_text(WARNER, encoding="utf-8")
    mess = _notebook(tmp_path, "sotkee.ipynb", _pid_cell("sotkee"), *MESS)
    warns = _notebook(tmp_path, "varoittaa.ipynb", WARNS)
    check = _notebook(tmp_path, "tarkistaa.ipynb", _pid_cell("tarkistaa"), *CHECKS)
    out = tmp_path / "raportit"
    jobs = [
        _job(mess, "sotkee", tmp_path),
        _job(warns, "varoittaa", tmp_path),
        _job(check, "tarkistaa", tmp_path),
    ]
    assert driver.render_jobs(jobs, out, workers=1, **QUIET) == []
    # one warm kernel ran them all
    assert _pid(tmp_path, "sotkee") == _pid(tmp_path, "tarkistaa")
    assert "UserWarning: varoitus" in _stderr(
        _cells(out / "testi" / "varoittaa" / "varoittaa.ipynb")
    )
    warm = _cells(out / "testi" / "tarkistaa" / "tarkistaa.ipynb")
    # matplotlib's default line width 1.5, pandas' display.max_rows 60, NumPy's precision 8
    assert _printed(warm).splitlines()[:4] == ["False", "[]", "1.5 60 8", "True None False"]
    # the module's warning is shown again, as the first time in a fresh kernel
    assert "UserWarning: varoitus" in _stderr(warm)
    assert "UserWarning: toinen" in _stderr(warm)
    # the execution count starts again from 1 (the injected parameters cell is the second cell)
    assert [count for count, _ in warm] == [1, 2, 3, 4, 5]
    # and everything is as in a fresh kernel of its own
    fresh = tmp_path / "tuore.ipynb"
    driver.execute_in_new_kernel(Path(check), fresh, {"kansio": str(tmp_path)})
    assert warm == _cells(fresh)


# A memoised loader of the package that warns when it reads (as the statistics loader does).
CACHED_WARNING = """
import sys, types
name = "kustannukset._testi_valimuisti"
if name not in sys.modules:
    module = types.ModuleType(name)
    exec(
        "import functools, warnings\\n@functools.lru_cache\\ndef lue():\\n"
        "    warnings.warn('luettiin')\\n    return 1\\n",
        module.__dict__,
    )
    sys.modules[name] = module
sys.modules[name].lue()
"""


def test_a_warning_of_a_memoised_loader_is_shown_in_every_report(tmp_path):
    first = _notebook(tmp_path, "eka.ipynb", _pid_cell("eka"), CACHED_WARNING)
    second = _notebook(tmp_path, "toka.ipynb", _pid_cell("toka"), CACHED_WARNING)
    out = tmp_path / "raportit"
    jobs = [_job(first, "eka", tmp_path), _job(second, "toka", tmp_path)]
    assert driver.render_jobs(jobs, out, workers=1, **QUIET) == []
    assert _pid(tmp_path, "eka") == _pid(tmp_path, "toka")
    for stem in ("eka", "toka"):
        # as in a fresh kernel: the loader reads, and warns
        assert "UserWarning: luettiin" in _stderr(_cells(out / "testi" / stem / f"{stem}.ipynb"))


def test_a_failing_notebook_fails_only_itself_and_the_next_gets_a_new_kernel(tmp_path):
    def ok(stem: str) -> str:
        return _notebook(tmp_path, f"{stem}.ipynb", _pid_cell(stem), f"print({stem!r})")

    failing = _notebook(tmp_path, "kaatuu.ipynb", "raise ValueError('rikki tahallaan')")
    dying = _notebook(tmp_path, "kuolee.ipynb", "import os\nos.kill(os.getpid(), 9)")
    killed_after = _job(ok("kaksi"), "kaksi", tmp_path)

    def kill_the_kernel(path: Path) -> None:
        # the kernel dies between two notebooks: after this report's notebook, before the next
        os.kill(_pid(tmp_path, "kaksi"), signal.SIGKILL)
        path.write_text("työkirja", encoding="utf-8")

    killed_after = Job(**{**killed_after.__dict__, "excel": kill_the_kernel})
    out = tmp_path / "raportit"
    jobs = [
        _job(ok("yksi"), "yksi", tmp_path),
        _job(failing, "kaatuu", tmp_path),
        killed_after,
        _job(ok("kolme"), "kolme", tmp_path),
        _job(dying, "kuolee", tmp_path),
        _job(ok("nelja"), "nelja", tmp_path),
    ]
    failures = driver.render_jobs(jobs, out, workers=1, **QUIET)
    # the messages of a failed cell and of a dead kernel, as papermill and nbclient give them
    assert [(job.stem, message) for job, message in failures] == [
        (
            "kaatuu",
            "Raportin teko epäonnistui (PapermillExecutionError): ValueError: rikki tahallaan",
        ),
        ("kuolee", "Raportin teko epäonnistui (DeadKernelError): Kernel died"),
    ]
    stems = ["yksi", "kaksi", "kolme", "nelja"]
    assert sorted(p.name for p in (out / "testi").iterdir()) == sorted(stems)
    for stem in stems:
        assert _printed(_cells(out / "testi" / stem / f"{stem}.ipynb")) == f"{stem}\n"
    # each failure, and the kernel's death between two notebooks, gave the next a new kernel
    assert len({_pid(tmp_path, stem) for stem in stems}) == 4
    assert not list(out.rglob(".*"))


RUNNER = textwrap.dedent(
    """
    import sys
    import signal
    # Ctrl-C as at a terminal, even when the test run was started in the background: a shell
    # ignores SIGINT in its background jobs, and this process would inherit that
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from pathlib import Path
    from kustannukset.core.jobs import Job
    from kustannukset.render import driver

    out, notebook, folder = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    job = Job(notebook=notebook, parameters={"kansio": folder}, subdir="testi", stem="nukkuu",
              title="nukkuu")
    try:
        driver.render_jobs([job], out, workers=1)
    except KeyboardInterrupt:
        print("Keskeytetty.", file=sys.stderr)
        sys.exit(130)
    """
)


def test_ctrl_c_stops_the_warm_kernel_at_once_and_keeps_the_earlier_report(tmp_path):
    sleeper = _notebook(
        tmp_path, "nukkuu.ipynb", _pid_cell("nukkuu"), "import time\ntime.sleep(60)"
    )
    out = tmp_path / "raportit"
    earlier = out / "testi" / "nukkuu" / "nukkuu.ipynb"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("aiempi", encoding="utf-8")
    script = tmp_path / "aja.py"
    script.write_text(RUNNER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(out), sleeper, str(tmp_path)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "pid-nukkuu").exists():  # the notebook is running
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    kernel = _pid(tmp_path, "nukkuu")
    process.send_signal(signal.SIGINT)
    # the notebook would sleep 60 s: an exit within 30 s means the kernel was stopped
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert "Keskeytetty." in stderr and "Traceback" not in stderr
    assert not psutil.pid_exists(kernel) or psutil.Process(kernel).status() == "zombie"
    assert earlier.read_text(encoding="utf-8") == "aiempi"
    assert not list(out.rglob(".*"))


def test_a_report_after_another_in_the_same_kernel_is_the_report_alone(tmp_path):
    yearly = yearly_jobs([2023], DATA_DIR)[0]
    tampere = next(
        job
        for job in international_jobs([2021], DATA_DIR, Options(True, ("Tampere",)))
        if job.parameters["kunta"] == "837"
    )
    out = tmp_path / "raportit"
    assert driver.render_jobs([yearly, tampere], out, workers=1, **QUIET) == []
    warm = out / tampere.subdir / tampere.stem / f"{tampere.stem}.ipynb"
    fresh = tmp_path / "tuore.ipynb"
    driver.execute_in_new_kernel(NOTEBOOKS_DIR / tampere.notebook, fresh, tampere.parameters)
    assert _cells(warm) == _cells(fresh)
    # the same cells were run: the report's own and papermill's injected parameters
    sources = [c["source"] for c in json.loads(warm.read_text(encoding="utf-8"))["cells"]]
    assert sources == [c["source"] for c in json.loads(fresh.read_text(encoding="utf-8"))["cells"]]


def test_an_error_in_the_data_stops_this_runs_kernel_alone_and_writes_nothing(tmp_path):
    # The first kernel starts while the data is read and checked. An error there stops that
    # kernel; before, every process the program had started was killed with it (here the
    # stand-in for a browser or a server started beside the reports).
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    started: list[int] = []

    def prepare():
        deadline = time.monotonic() + 60
        while not started:  # the kernel has started meanwhile
            started.extend(p.pid for p in me.children(recursive=True) if p.pid not in before)
            assert time.monotonic() < deadline
            time.sleep(0.05)
        raise InputError("arvo puuttuu", file=tmp_path / "tilastot.csv", row=3, column="arvo")

    out = tmp_path / "raportit"
    try:
        with pytest.raises(InputError, match="arvo puuttuu"):
            driver.render_jobs(prepare, out, **QUIET)
        assert other.poll() is None  # still running
        assert not any(psutil.pid_exists(pid) for pid in started if pid != other.pid)
        assert {p.pid for p in me.children(recursive=True)} == before
        assert not out.exists()
    finally:
        other.kill()
        other.wait()
