"""The reports, rendered once per test run, end to end as a user makes them:
``kustannukset raportti --kohde KANSIO --kunnittain Tampere`` (every report with the default data, and
the international services' report for one municipality). Every report test reads these files, so
no notebook is rendered twice for the same parameters."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli_process


@pytest.fixture(scope="session")
def raportti(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("reports")
    result = run_cli_process("raportti", "--kohde", str(out), "--kunnittain", "Tampere")
    return out, result


@pytest.fixture(scope="session")
def reports(raportti) -> Path:
    out, result = raportti
    assert result.returncode == 0, result.stdout + result.stderr
    return out
