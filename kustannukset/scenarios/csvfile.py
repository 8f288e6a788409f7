"""Scenario tables as CSV: the one place the scenario commands and the explorer turn a table into
the CSV contract of :mod:`kustannukset.view.csv_output`.

The engine and the comparison build their tables with Finnish headers; here they get their CSV
names (:func:`kustannukset.view.labels.named`), and every row its ``tila``: the least final of its
payment's and its state funding's status (``puuttuu`` when the area's payments could not be
computed). Money is written as the money module rounds it, and a missing figure is an empty cell.
"""

from __future__ import annotations

import pandas as pd

from kustannukset.view import csv_output
from kustannukset.view.csv_output import PLAIN, Dialect
from kustannukset.view.labels import named, weakest

FIRST = ("skenaario", "skenaarion_nimi", "vaihtoehto", "kuntanumero", "kunta", "alue")


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A scenario table with CSV names, the identifying columns first and each row's ``tila``."""
    out = named(frame)
    first = [c for c in FIRST if c in out.columns]
    out = out[first + [c for c in out.columns if c not in first]]
    count = len(out)
    payment = out["maksuosuus_tila"] if "maksuosuus_tila" in out else [None] * count
    funding = out["valtionosuus_tila"] if "valtionosuus_tila" in out else [None] * count
    out["tila"] = [
        weakest([p if isinstance(p, str) else "puuttuu", f if isinstance(f, str) else ""])
        for p, f in zip(payment, funding, strict=True)
    ]
    return out


def csv_text(frame: pd.DataFrame, dialect: Dialect = PLAIN) -> str:
    """The table as CSV text in ``dialect``."""
    return csv_output.render(csv_frame(frame), dialect=dialect)


def write(frame: pd.DataFrame, dialect: Dialect = PLAIN) -> None:
    """The table as CSV to standard output."""
    csv_output.write(csv_frame(frame), dialect=dialect)
