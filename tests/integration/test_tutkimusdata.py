"""The research import (tools/tuo_tutkimusdata.py) gives back exactly the data committed in data/,
when the raw research files are beside the project (as in CI); otherwise it is skipped."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from kustannukset.core.paths import DATA_DIR, PROJECT_ROOT

RESEARCH = PROJECT_ROOT.parent / "shared" / "data-research"
pytestmark = pytest.mark.skipif(
    not (RESEARCH / "README.md").exists(), reason="../shared/data-research/ ei ole saatavilla"
)


def _tool():
    spec = importlib.util.spec_from_file_location(
        "tuo_tutkimusdata", PROJECT_ROOT / "tools" / "tuo_tutkimusdata.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_import_reproduces_the_committed_data(tmp_path):
    out = tmp_path / "data"
    counts = _tool().main(RESEARCH, out)
    assert counts["vakiluku"] > 23 * 6
    written = sorted(p.relative_to(out) for p in out.rglob("*.csv"))
    # what the import owns: the register, the sources and the statistics (not parameters,
    # examples or maps)
    committed = sorted(
        p.relative_to(DATA_DIR)
        for p in [
            DATA_DIR / "kunnat.csv",
            DATA_DIR / "tilastolahteet.csv",
            *(DATA_DIR / "tilastot").glob("*.csv"),
        ]
    )
    assert written == committed
    for name in written:
        assert (out / name).read_text(encoding="utf-8") == (DATA_DIR / name).read_text(
            encoding="utf-8"
        ), name


def test_import_keeps_fetched_figures(tmp_path):
    out = tmp_path / "data"
    shutil.copytree(DATA_DIR, out)
    fetched = out / "tilastot" / "vieraskieliset.csv"
    text = fetched.read_text(encoding="utf-8")
    fetched.write_text(text + "vieraskieliset,020,Akaa,2021,500,lopullinen,testihaku\n", "utf-8")
    _tool().main(RESEARCH, out)
    assert "vieraskieliset,020,Akaa,2021,500,lopullinen,testihaku\n" in fetched.read_text("utf-8")
