"""nbval over the reports' own runs: each notebook is executed at most once per test run.

``make test`` renders every report once (``kustannukset raportti`` in a subprocess, the session's
first use of :func:`rendered_reports`); the integration tests read those files. A report notebook
that was rendered with its default parameters is the same execution nbval would make: the same
notebook in the same kernel, started in ``notebooks/``. This plugin (``-p tests.nbval_reports
--nbval-raporteista``) collects each notebook with nbval's own collector and cell items, but
gives nbval the rendered run's messages instead of executing the notebook again: nbval checks
every cell for errors and compares the cells marked ``# NBVAL_CHECK_OUTPUT`` with the committed
outputs, after ``notebooks/nbval_sanitize.cfg``, exactly as when it runs the kernel itself.

A notebook that no report renders with its defaults (the statistics notebook, the explorer) is
run by nbval in a kernel of its own, as without this plugin. Which way each notebook went is
printed at the end of the run.
"""

from __future__ import annotations

import ast
import atexit
import shutil
import tempfile
import uuid
from collections import deque
from functools import cache
from pathlib import Path
from queue import Empty

import nbformat
from nbval.plugin import IPyNbFile

from tests.conftest import run_cli_process

OPTION = "--nbval-raporteista"
INJECTED = "injected-parameters"
_USED: dict[str, str] = {}  # notebook name -> how its cells were checked


def pytest_addoption(parser) -> None:
    parser.getgroup("nbval").addoption(
        OPTION,
        action="store_true",
        dest="nbval_reports",
        help="check the notebooks with nbval from the reports' own run (kustannukset raportti) "
        "where a report renders the notebook with its default parameters",
    )


def pytest_collect_file(file_path, parent):
    if parent.config.option.nbval_reports and file_path.suffix == ".ipynb":
        return ReportNotebook.from_parent(parent, path=file_path)
    return None


def pytest_terminal_summary(terminalreporter) -> None:
    if _USED:
        terminalreporter.write_sep("-", "nbval: muistioiden ajot")
        for name, how in sorted(_USED.items()):
            terminalreporter.write_line(f"{name}: {how}")


@cache
def rendered_reports() -> tuple[Path, object]:
    """Render every report once per process, end to end as a user makes them:
    ``kustannukset raportti --kohde KANSIO --kunnittain Tampere``. Returns the folder and the
    finished process (its exit code and output)."""
    out = Path(tempfile.mkdtemp(prefix="kustannukset-raportit-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    result = run_cli_process("raportti", "--kohde", str(out), "--kunnittain", "Tampere")
    return out, result


def default_parameters(notebook) -> dict:
    """The literal defaults of a notebook's cell tagged ``parameters``."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            values = {}
            for statement in ast.parse(cell.source).body:
                if isinstance(statement, ast.AnnAssign) and statement.value is not None:
                    values[statement.target.id] = ast.literal_eval(statement.value)
                elif isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        values[target.id] = ast.literal_eval(statement.value)
            return values
    return {}


def rendered_with_defaults(notebook_path: Path, out: Path):
    """The report run of ``notebook_path`` whose parameters are all the notebook's defaults, or
    None."""
    defaults = default_parameters(nbformat.read(notebook_path, as_version=4))
    for path in sorted(out.rglob("*.ipynb")):
        executed = nbformat.read(path, as_version=4)
        papermill = executed.metadata.get("papermill", {})
        if Path(papermill.get("input_path", "")).name != notebook_path.name:
            continue
        parameters = papermill.get("parameters", {})
        if all(name in defaults and defaults[name] == value for name, value in parameters.items()):
            return path, executed
    return None


class ReplayKernel:
    """What nbval needs of a kernel, answered from a finished run of the same notebook: each
    executed cell's outputs as the kernel's messages, then the idle status."""

    def __init__(self, executed, source: Path) -> None:
        self.cells = [
            cell
            for cell in executed.cells
            if cell.cell_type == "code" and INJECTED not in cell.metadata.get("tags", [])
        ]
        self.source = source
        self.position = 0
        self.messages: deque = deque()

    def execute_cell_input(self, cell_input: str, allow_stdin=None) -> str:
        if self.position >= len(self.cells) or self.cells[self.position].source != cell_input:
            raise RuntimeError(
                f"{self.source.name}: the rendered report's cell {self.position} is not the "
                "notebook's; the report was made from another version of the notebook"
            )
        cell = self.cells[self.position]
        self.position += 1
        msg_id = uuid.uuid4().hex
        for output in cell.outputs:
            self.messages.append(_message(output, msg_id))
        self.messages.append(_idle(msg_id))
        return msg_id

    def await_reply(self, msg_id, timeout=None) -> None:
        return None

    def get_message(self, stream, timeout=None) -> dict:
        if stream != "iopub" or not self.messages:
            raise Empty
        return self.messages.popleft()

    def await_idle(self, parent_id, timeout) -> None:
        while self.messages:
            message = self.messages.popleft()
            if message["msg_type"] == "status" and message["parent_header"]["msg_id"] == parent_id:
                return

    def is_alive(self) -> bool:
        return True

    def interrupt(self) -> None:
        pass

    def stop(self) -> None:
        pass


def _message(output, msg_id: str) -> dict:
    kind = output["output_type"]
    if kind == "stream":
        content = {"name": output["name"], "text": output["text"]}
    elif kind in ("display_data", "execute_result"):
        content = {"data": output["data"], "metadata": output.get("metadata", {})}
        if kind == "execute_result":
            content["execution_count"] = output.get("execution_count")
    elif kind == "error":
        content = {k: output[k] for k in ("ename", "evalue", "traceback")}
    else:  # pragma: no cover - nbformat has no other output types
        raise ValueError(f"unknown output type {kind}")
    return {"msg_type": kind, "content": content, "parent_header": {"msg_id": msg_id}}


def _idle(msg_id: str) -> dict:
    return {
        "msg_type": "status",
        "content": {"execution_state": "idle"},
        "parent_header": {"msg_id": msg_id},
    }


class ReportNotebook(IPyNbFile):
    """nbval's notebook collector in lax mode (only cells marked ``# NBVAL_CHECK_OUTPUT`` are
    compared), fed by the reports' run where there is one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compare_outputs = False  # --nbval-lax

    def setup(self) -> None:
        out, result = rendered_reports()
        found = rendered_with_defaults(Path(self.path), out) if result.returncode == 0 else None
        if found is None:
            _USED[self.path.name] = "ajettu omassa ytimessään (ei raporttia oletusparametreilla)"
            super().setup()
            return
        path, executed = found
        _USED[self.path.name] = f"raportin ajosta ({path.relative_to(out)})"
        self.kernel = ReplayKernel(executed, Path(self.path))
        self.setup_sanitize_files()
