"""The reports, rendered once per test run, end to end as a user makes them:
``kustannukset raportti --kohde KANSIO --kunnittain Tampere`` (every report with the default data, and
the international services' report for one municipality). Every report test reads these files, and
nbval checks the notebooks from the same run (:mod:`tests.nbval_reports`), so no notebook is
rendered twice for the same parameters."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.nbval_reports import rendered_reports


@pytest.fixture(scope="session")
def raportti() -> tuple[Path, subprocess.CompletedProcess]:
    return rendered_reports()


@pytest.fixture(scope="session")
def reports(raportti) -> Path:
    out, result = raportti
    assert result.returncode == 0, result.stdout + result.stderr
    return out
