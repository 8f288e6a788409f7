"""The research import (tools/tuo_tutkimusdata.py) gives back exactly the data committed in data/,
when the raw research files are beside the project (as in CI); otherwise it is skipped."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

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
    # the file has the column kuntajako (Mäntyharju's figures of the 2025 division): empty here
    assert "vieraskieliset,020,Akaa,2021,500,lopullinen,testihaku,\n" in fetched.read_text("utf-8")


def _research_copy(tmp_path, edit) -> Path:
    """The research folder by links, with turn2's monthly jobseekers file edited by ``edit``."""
    copy = tmp_path / "research"
    copy.mkdir()
    for path in RESEARCH.iterdir():
        if path.name != "turn2":
            (copy / path.name).symlink_to(path)
    (copy / "turn2").mkdir()
    for path in (RESEARCH / "turn2").iterdir():
        (copy / "turn2" / path.name).symlink_to(path)
    name = "unemployed_jobseekers_monthly_all.csv"
    lines = (RESEARCH / "turn2" / name).read_text(encoding="utf-8").splitlines(keepends=True)
    (copy / "turn2" / name).unlink()
    (copy / "turn2" / name).write_text("".join(edit(lines)), encoding="utf-8")
    return copy


def test_import_stops_when_another_municipality_is_missing(tmp_path):
    # only Pertunmaa (merged into Mäntyharju 1.1.2025) may be absent from the 2025-division list
    research = _research_copy(
        tmp_path, lambda lines: [x for x in lines if ",020,Pirkanmaa," not in x]
    )
    with pytest.raises(SystemExit, match=r"puuttuvat kunnat \['020', '588'\]"):
        _tool().main(research, tmp_path / "data")


def test_import_stops_at_an_empty_month_outside_aland(tmp_path):
    # turn2: Akaa 2019M01 is 628; an empty cell is accepted only in Åland (suppressed there)
    def empty_akaa_january(lines):
        edited = [x.replace(",2019M01,628,", ",2019M01,,") for x in lines]
        assert sum(a != b for a, b in zip(lines, edited, strict=True)) == 1
        return edited

    research = _research_copy(tmp_path, empty_akaa_january)
    with pytest.raises(SystemExit, match="Akaa 2019M01: luku puuttuu"):
        _tool().main(research, tmp_path / "data")
