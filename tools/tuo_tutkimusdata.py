"""Import the public figures gathered in ``../shared/data-research/`` into ``data/tilastot/``.

Run from the project root: ``python tools/tuo_tutkimusdata.py [POLKU]``. Each output row keeps
the source text of its input row; rows that two sources give with the same value are merged, their
sources joined, and rows that disagree stop the import. The raw files stay where they are: the
package reads only the small tidy files written here.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "tilastot"
COLUMNS = [
    "mittari",
    "kuntanumero",
    "kunta",
    "vuosi",
    "arvo",
    "tila",
    "taulukko",
    "lahde",
    "haettu",
]

# input file -> (measure, status)
FILES = {
    "population_total.csv": ("vakiluku", "lopullinen"),
    "population_total_prelim_2024M12.csv": ("vakiluku", "ennakko"),
    "foreign_language_speakers.csv": ("vieraskieliset", "lopullinen"),
    "working_age_15_64.csv": ("tyoikaiset_15_64", "lopullinen"),
    "working_age_18_64.csv": ("tyoikaiset_18_64", "lopullinen"),
    "working_age_20_64.csv": ("tyoikaiset_20_64", "lopullinen"),
    "employed.csv": ("tyolliset", "lopullinen"),
    "employed_18_64.csv": ("tyolliset_18_64", "lopullinen"),
    "unemployed_employment_stats.csv": ("tyottomat", "lopullinen"),
    "unemployed_18_64_employment_stats.csv": ("tyottomat_18_64", "lopullinen"),
    "labour_force_employment_stats.csv": ("tyovoima", "lopullinen"),
    "unemployed_jobseekers_dec.csv": ("tyottomat_tyonhakijat", "lopullinen"),
    "unemployment_rate_pct_dec.csv": ("tyottomyysaste", "lopullinen"),
}

TABLES = [
    ("11lj", "Tilastokeskus, StatFin 11lj (väestön ennakkotilasto)"),
    ("11re", "Tilastokeskus, StatFin 11re (väestörakenne)"),
    ("11rm", "Tilastokeskus, StatFin 11rm (väestö kielen mukaan)"),
    ("115b", "Tilastokeskus, StatFin 115b (työssäkäyntitilasto)"),
    ("12r5", "TEM/Tilastokeskus, StatFin 12r5 (työnvälitystilasto)"),
    ("142h", "Tilastokeskus, Kuntien avainluvut (StatFin 142h)"),
    ("Alueaikasarjat", "Tilastokeskus, Kuntien avainluvut (1.1.2020 aluejako)"),
    ("kansainvalisyys.html", "Tilastokeskus (vieraskieliset, kuntien kuukausiraportti)"),
]


def table_of(source: str) -> str:
    for needle, table in TABLES:
        if needle in source:
            return table
    raise SystemExit(f"taulukkoa ei tunnistettu lähteestä: {source}")


def fetched_of(source: str) -> str:
    # The Kangasala repository cached the API responses on 2025-03-19 (data-research/README.md).
    return "2025-03-19" if "Kangasalakehitys/kuukausiraportti@5aa26432" in source else ""


def main(research: Path) -> None:
    out: dict[str, dict[tuple[str, int], dict]] = {}
    for name, (measure, status) in FILES.items():
        with open(research / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                source = row["source"]
                row_status = "ennakko" if "PRELIMINARY" in source else status
                key = (row["code"], int(row["year"]))
                record = {
                    "mittari": measure,
                    "kuntanumero": row["code"],
                    "kunta": row["municipality"],
                    "vuosi": int(row["year"]),
                    "arvo": row["value"],
                    "tila": row_status,
                    "taulukko": table_of(source),
                    "lahde": f"{source} [data-research/{name}]",
                    "haettu": fetched_of(source),
                }
                rows = out.setdefault(measure, {})
                if key in rows:
                    old = rows[key]
                    if old["arvo"] != record["arvo"]:
                        raise SystemExit(
                            f"{measure} {key}: lähteet eroavat ({old['arvo']} / {record['arvo']})"
                        )
                    old["lahde"] += " | sama luku myös: " + record["lahde"]
                    if record["taulukko"] not in old["taulukko"]:
                        old["taulukko"] += "; " + record["taulukko"]
                    continue
                rows[key] = record
    OUT.mkdir(parents=True, exist_ok=True)
    for measure, rows in out.items():
        path = OUT / f"{measure}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
            writer.writeheader()
            for key in sorted(rows, key=lambda k: (k[1], k[0])):
                writer.writerow(rows[key])
        print(f"{path.relative_to(ROOT)}: {len(rows)} riviä")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data-research")
