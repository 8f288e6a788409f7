"""The committed notebooks: papermill understands every parameter, and the notebooks are thin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_parses_every_parameter(path):
    params_cell = [c for c in _cells(path) if "parameters" in c["metadata"].get("tags", [])]
    assert len(params_cell) == 1, "one cell tagged 'parameters'"
    source = "".join(params_cell[0]["source"])
    declared = re.findall(r"^(\w+)\s*:", source, flags=re.MULTILINE)
    assert declared, "parameters are annotated literals"
    import papermill  # here: only the test process that runs this test pays for the import

    # A line papermill cannot parse (e.g. an '=' in its comment) silently drops the parameter.
    assert sorted(papermill.inspect_notebook(str(path))) == sorted(declared)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_executed_without_errors(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert any(c.get("outputs") for c in code), "commit the notebook with its outputs"
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert all(c["metadata"].get("tags") != ["parameters"] or not c.get("outputs") for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_formula_lives_in_a_notebook(path):
    # No function or class definitions, and no arithmetic on money columns in the notebooks:
    # they call the package.
    for cell in _cells(path):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        assert not re.search(r"^\s*(def|class)\s", source, flags=re.MULTILINE), source
