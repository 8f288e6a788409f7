"""Shared fixtures: the project's data, and copies of it that a test may break."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kustannukset.paths import DATA_DIR, PROJECT_ROOT

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(scope="session")
def published_2023() -> list[dict]:
    with open(FIXTURES / "hintataulukko_2023.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def run_cli(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m kustannukset`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kustannukset", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def edit_csv(path: Path, match: dict, changes: dict) -> int:
    """Change the cells of the first row matching ``match``; returns its line number."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys())
    found = [i for i, row in enumerate(rows) if all(row[k] == v for k, v in match.items())]
    assert found, f"no row {match} in {path}"
    index = found[0]
    rows[index].update(changes)
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return index + 2
