"""Scenario tables as CSV: the one place the scenario commands and the explorer write CSV.

Headers are snake_case (the same name for the same quantity in every table), money is whole euros
as the engine rounded it, statuses are lowercase words as in the data files (``esimerkki``,
``arvio``, ``julkaistu``), a missing figure is an empty cell, and a text cell that a spreadsheet
would read as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import re

import pandas as pd

from kustannukset.view.formatting import spreadsheet_safe

HEADERS = {
    "Skenaario": "skenaario",
    "Tiedosto": "tiedosto",
    "Päätetty alue": "paatetty_alue",
    "Alue": "alue",
    "Kunta": "kunta",
    "Kuntanumero": "kuntanumero",
    "Osuus %": "osuus_pct",
    "Potin peruste": "potin_peruste",
    "Maksuosuus €": "maksuosuus",
    "Valtionosuus, arvio €": "valtionosuus_arvio",
    "Netto €": "netto",
    "Netto €/asukas": "netto_asukasta_kohden",
    "Muutos päätettyyn 2025 €": "muutos_paatettyyn_2025",
    "Muutos päätettyyn 2025 €/asukas": "muutos_paatettyyn_2025_asukasta_kohden",
    "Vertailun peruste": "vertailun_peruste",
    "€/asukas": "euroa_asukasta_kohden",
    "€/työtön": "euroa_tyotonta_kohden",
    "Maksuosuuden tila": "tila",
    "Valtionosuuden tila": "valtionosuuden_tila",
}
STATUS_COLUMNS = ("tila", "valtionosuuden_tila")


def header(name: str) -> str:
    """A table's header as the CSV's: 'Kokeilu 2023 €' -> 'kokeilu_2023',
    'Muutos kokeiluun 2023 €' -> 'muutos_kokeiluun_2023'."""
    if name in HEADERS:
        return HEADERS[name]
    text = name.lower().replace("€", "").replace("ä", "a").replace("ö", "o").replace("å", "a")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (comma, decimal point, one line per row)."""
    out = frame.rename(columns=header)
    for column in STATUS_COLUMNS:
        if column in out:
            out[column] = out[column].map(lambda v: v.lower() if isinstance(v, str) else v)
    return spreadsheet_safe(out).to_csv(index=False, lineterminator="\n")
