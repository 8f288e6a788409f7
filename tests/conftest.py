"""Shared fixtures: the project's data, copies of it that a test may break, and small hand-made
data folders (a few municipalities and figures, written as CSV)."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from kustannukset.core.paths import DATA_DIR, PROJECT_ROOT
from kustannukset.render.startup import skip_slow_optional_imports

# As in the report process: nbformat (imported by the notebook tests) goes without the optional IRI
# grammar that takes seconds to build and is never used.
skip_slow_optional_imports()

# No per-example deadline (a loaded 2-core machine is slow, not wrong); in CI the examples are
# derived from the test itself, so a run is reproducible.
settings.register_profile(
    "kustannukset", deadline=None, derandomize=bool(os.environ.get("CI")), print_blob=True
)
# `make test-fast` (--hypothesis-profile=nopea): fewer examples for the edit-test loop; `make test`
# runs the full number.
settings.register_profile("nopea", parent=settings.get_profile("kustannukset"), max_examples=20)
settings.load_profile("kustannukset")


def pytest_collection_finish(session) -> None:
    # What is loaded by now (libraries, the package, the test modules) lives to the end of the
    # run: the garbage collector need not scan it again at every full collection (about a
    # second per test process).
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def examples(count: int) -> int:
    """A test's own number of property examples, at most the profile's (`nopea` gives 20)."""
    return min(count, settings.default.max_examples)


# The command line's width follows COLUMNS when it is set (pytest-xdist's workers set it to 80);
# the tests see the output as a pipe without it does: at the default width.
os.environ.pop("COLUMNS", None)

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
    """Run the command line as a user would, in this process (``kustannukset.cli.main`` with the
    arguments; the output and the exit code are captured as a subprocess would give them). The
    integration tests run the real ``python -m kustannukset`` in a subprocess."""
    # Imported here, not at the top: a test process that runs no command (pytest-xdist's main
    # process, for one) does not import every domain at start-up.
    from kustannukset import cli

    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse's own errors and --help
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(
        ["kustannukset", *args], code, out.getvalue(), err.getvalue()
    )


def run_cli_process(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m kustannukset`` in a subprocess, exactly as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "kustannukset", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
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


KUNNAT = [
    ("020", "Akaa", "Pirkanmaa", "kyllä"),
    ("182", "Jämsä", "Keski-Suomi", "ei"),
    ("211", "Kangasala", "Pirkanmaa", "kyllä"),
    ("291", "Kuhmoinen", "Pirkanmaa", "ei"),
    ("837", "Tampere", "Pirkanmaa", "kyllä"),
]
NAMES = {code: name for code, name, _, _ in KUNNAT}
STAT_HEADER = ["mittari", "kuntanumero", "kunta", "vuosi", "arvo", "tila", "lahde"]
SOURCE_HEADER = ["tunnus", "julkaisija", "taulukko", "kuvaus", "haettu", "paivitetty"]


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def make_data(
    root: Path,
    figures: dict[str, list[tuple]] | None = None,
    sources: list[tuple] | None = None,
) -> Path:
    """A data folder: ``figures`` maps a measure to rows (code, year, value[, status[, source]])."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "tilastot").mkdir(exist_ok=True)
    (root / "kunnat.csv").write_text(
        csv_text(
            ["kuntanumero", "kunta", "maakunta", "kokeilukunta", "lahde"],
            [[*k, "testiaineisto"] for k in KUNNAT],
        ),
        encoding="utf-8",
    )
    (root / "tilastolahteet.csv").write_text(
        csv_text(
            SOURCE_HEADER,
            sources
            or [
                (
                    "testi",
                    "Tilastokeskus",
                    "StatFin 11re (väestörakenne)",
                    "testiluku, kunta <kuntanumero>, vuosi <vuosi>",
                    "",
                    "",
                )
            ],
        ),
        encoding="utf-8",
    )
    for measure, rows in (figures or {}).items():
        lines = []
        for row in rows:
            code, year, value, *rest = row
            status = rest[0] if rest else "lopullinen"
            source = rest[1] if len(rest) > 1 else "testi"
            lines.append([measure, code, NAMES[code], year, value, status, source])
        (root / "tilastot" / f"{measure}.csv").write_text(
            csv_text(STAT_HEADER, lines), encoding="utf-8"
        )
    return root


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    return make_data(
        tmp_path / "data",
        {
            "vakiluku": [
                ("020", 2022, 16454),
                ("211", 2022, 32959),
                ("837", 2022, 249009),
                ("020", 2023, 16405),
                ("211", 2023, 33473),
            ],
            "vieraskieliset": [("211", 2023, 1190)],
        },
    )
