"""Small, hand-made data folders for tests: a few municipalities and figures, written as CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

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
