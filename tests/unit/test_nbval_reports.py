"""The plugin that lets nbval check the notebooks from the reports' own run."""

from __future__ import annotations

from pathlib import Path
from queue import Empty

import nbformat
import pytest

from kustannukset.core.paths import NOTEBOOKS_DIR
from tests.nbval_reports import ReplayKernel, default_parameters


def test_default_parameters_are_read_from_the_parameters_cell():
    # notebooks/vuosiraportti.ipynb: vuosi: int = 2023, data_kansio: str = ""
    nb = nbformat.read(NOTEBOOKS_DIR / "vuosiraportti.ipynb", as_version=4)
    assert default_parameters(nb) == {"vuosi": 2023, "data_kansio": ""}


def _executed():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("vuosi = 2023")
    params.metadata["tags"] = ["parameters"]
    injected = nbformat.v4.new_code_cell("vuosi = 2023")
    injected.metadata["tags"] = ["injected-parameters"]
    shown = nbformat.v4.new_code_cell("print('a'); vuosi")
    shown.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "2023"}, execution_count=3),
    ]
    failing = nbformat.v4.new_code_cell("1 / 0")
    failing.outputs = [
        nbformat.v4.new_output(
            "error", ename="ZeroDivisionError", evalue="division by zero", traceback=["..."]
        )
    ]
    nb.cells = [params, injected, shown, failing]
    return nb


def _drain(kernel: ReplayKernel) -> list[dict]:
    messages = []
    while True:
        try:
            messages.append(kernel.get_message("iopub"))
        except Empty:
            return messages


def test_replay_gives_each_cells_outputs_then_idle_and_skips_the_injected_cell():
    kernel = ReplayKernel(_executed(), Path("x.ipynb"))
    first = kernel.execute_cell_input("vuosi = 2023")
    assert [m["msg_type"] for m in _drain(kernel)] == ["status"]
    second = kernel.execute_cell_input("print('a'); vuosi")
    messages = _drain(kernel)
    assert [m["msg_type"] for m in messages] == ["stream", "execute_result", "status"]
    assert messages[0]["content"] == {"name": "stdout", "text": "a\n"}
    assert messages[1]["content"]["data"] == {"text/plain": "2023"}
    assert {m["parent_header"]["msg_id"] for m in messages} == {second} != {first}
    kernel.execute_cell_input("1 / 0")
    error = _drain(kernel)[0]
    assert error["msg_type"] == "error" and error["content"]["ename"] == "ZeroDivisionError"


def test_replay_refuses_a_notebook_that_is_not_the_rendered_one():
    kernel = ReplayKernel(_executed(), Path("x.ipynb"))
    with pytest.raises(RuntimeError, match="another version of the notebook"):
        kernel.execute_cell_input("vuosi = 2024")
