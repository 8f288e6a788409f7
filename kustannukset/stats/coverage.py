"""Which figures exist, of what status, and from where: coverage and citations.

``coverage`` gives one row per measure × municipality × year with its status, ``puuttuu`` where
there is no figure. A monthly measure's year has the status of its twelve months (the least final
of them), or ``osittain`` when only some of them exist; ``kuukausia`` counts them. ``kuntajako`` is
the municipal division of the figure (2023 or 2025); a merged municipality whose figure is inside
the one it joined (Pertunmaa in Mäntyharju's figures of the 2025 division) is ``liitetty``.
``division_notes`` says which municipalities' figures of an earlier year are of the 2025 division.
``note`` is the
sentence a notebook prints next to a result: which figures it used, how many of them are final, and
their sources. ``citation`` is the "Lähde: ..." line that
Statistics Finland's and the National Land Survey's CC BY 4.0 licences ask for.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.years import parse_year
from kustannukset.stats.loader import (
    DIVISION_2025,
    DIVISION_COLUMN,
    MEASURES,
    STATUSES,
    Municipalities,
    Statistics,
    load_statistics,
)

MISSING = "puuttuu"
PARTIAL = "osittain"  # a monthly measure's year with some of its months
MERGED = "liitetty"  # the figure is inside the one of the municipality it joined (2025 division)
LETTERS = {
    "lopullinen": "L",
    "ennakko": "E",
    "johdettu": "J",
    "arvio": "A",
    "esimerkki": "X",
    PARTIAL: "o",
    MERGED: "Y",
    MISSING: "·",
}
LEGEND = (
    "L = lopullinen, E = ennakkotieto, J = johdettu julkaistuista luvuista, A = arvio, "
    "X = esimerkki (ei todellinen luku), o = osa vuoden kuukausista (kuukausittainen mittari), "
    "Y = yhdistetty: luku sisältyy sen kunnan lukuun, johon kunta liitettiin (kuntajako 2025), "
    "· = puuttuu"
)
COLUMNS = ["mittari", "kuntanumero", "kunta", "vuosi", "tila", "kuukausia", "kuntajako"]
LICENCE = "CC BY 4.0"
MAP_CITATION = (
    "Lähde: Maanmittauslaitos, hallinnolliset aluejaot 2023 (kunta- ja maakuntarajat), "
    f"lisenssi {LICENCE}"
)


def select_municipalities(municipalities: Municipalities, words: Iterable[str]) -> list[str]:
    """Codes from words: a code ('020'), a name ('Akaa'), a region ('Pirkanmaa'), 'kokeilu'
    (the 22 experiment municipalities) or 'kaikki'."""
    table = municipalities.table
    regions = {r.lower(): r for r in set(table["maakunta"])}
    codes: list[str] = []
    for word in words:
        for part in (p.strip() for p in word.split(",")):
            if not part:
                continue
            low = part.lower()
            if low == "kaikki":
                codes += municipalities.all
            elif low == "kokeilu":
                codes += municipalities.experiment
            elif low in regions:
                codes += municipalities.in_region(regions[low])
            elif part.isdigit():
                if len(part) != 3 or part not in table.index:
                    raise InputError(
                        f"tuntematon kuntanumero '{part}' (kuntanumerot ovat kolminumeroisia, "
                        "esim. 020)"
                    )
                codes.append(part)
            else:
                codes.append(municipalities.code_of(part))
    return sorted(dict.fromkeys(codes))


def coverage(
    stats: Statistics,
    measures: Iterable[str] | None = None,
    codes: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """mittari, kuntanumero, kunta, vuosi, tila, kuukausia: every combination, ``puuttuu`` where
    none; ``kuukausia`` (months with a figure) only for a monthly measure."""
    measures = list(measures or MEASURES)
    register = stats.municipalities
    codes = list(codes if codes is not None else register.in_region("Pirkanmaa"))
    receivers = {register.successor(c) for c in codes if register.merged_into(c)}
    table = stats.table[stats.table["kuntanumero"].isin([*codes, *receivers])]
    if years is None:
        years = sorted(set(table[table["kuntanumero"].isin(codes)]["vuosi"]))
    years = list(years)
    have: dict[tuple[str, str, int], list[str]] = {}
    divisions: dict[tuple[str, str, int], int] = {}
    columns = (table[c] for c in ("mittari", "kuntanumero", "vuosi", "tila", DIVISION_COLUMN))
    for *key, status, division in zip(*columns, strict=True):
        have.setdefault(tuple(key), []).append(status)
        divisions[tuple(key)] = int(division)
    rows = []
    for m in measures:
        monthly = MEASURES[m].monthly
        for c in codes:
            name = register.name(c)
            receiver = register.merged_into(c)
            for y in years:
                statuses = have.get((m, c, y), [])
                status = _status(statuses, monthly)
                division = divisions.get((m, c, y))
                if (
                    status == MISSING
                    and receiver
                    and divisions.get((m, receiver, y)) == (DIVISION_2025)
                ):
                    status, division = MERGED, DIVISION_2025
                rows.append(
                    {
                        "mittari": m,
                        "kuntanumero": c,
                        "kunta": name,
                        "vuosi": y,
                        "tila": status,
                        "kuukausia": len(statuses) if monthly else None,
                        "kuntajako": division,
                    }
                )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["kuukausia"] = out["kuukausia"].astype("Int64")
    out["kuntajako"] = out["kuntajako"].astype("Int64")
    return out


def division_notes(cov: pd.DataFrame, municipalities: Municipalities) -> list[str]:
    """One line per municipality that took in another and has figures of a year before 2025 on
    the 2025 division (the merged area's, not its own), and per merged municipality shown."""
    lines = []
    early = cov[
        (cov["kuntajako"] == DIVISION_2025)
        & (cov["vuosi"] < DIVISION_2025)
        & cov["kuntanumero"].isin(municipalities.receivers)
    ]
    for code, part in early.groupby("kuntanumero", sort=True):
        merged = ", ".join(
            f"{municipalities.name(m)} ({m})" for m in municipalities.members_2025(code)[1:]
        )
        by_measure = "; ".join(
            f"{m} {_year_list(list(group['vuosi']))}"
            for m, group in part.groupby("mittari", sort=False)
        )
        lines.append(
            f"{municipalities.name(code)} ({code}): luvut ovat kuntajaon {DIVISION_2025} "
            f"mukaisia ja sisältävät kunnan {merged} ({municipalities.merger(code)}): {by_measure}"
        )
    for code in sorted(set(cov.loc[cov["tila"] == MERGED, "kuntanumero"])):
        lines.append(
            f"{municipalities.name(code)} ({code}): Y = luku sisältyy kunnan "
            f"{municipalities.name(municipalities.successor(code))} lukuun "
            f"({municipalities.merger(code)})"
        )
    return lines


def _status(statuses: list[str], monthly: bool) -> str:
    """A year's status: its figure's, or for a monthly measure its twelve months' least final."""
    if not statuses:
        return MISSING
    if monthly and len(statuses) < 12:
        return PARTIAL
    order = list(STATUSES)
    return max(statuses, key=order.index)


def summary(cov: pd.DataFrame) -> pd.DataFrame:
    """Measure × year: how many municipalities have a figure, e.g. '23 L', '22 L + 1 E', '·'."""
    n = cov["kuntanumero"].nunique()

    def cell(group: pd.DataFrame) -> str:
        counts = group["tila"].value_counts()
        parts = [f"{counts[s]} {LETTERS[s]}" for s in [*STATUSES, PARTIAL, MERGED] if s in counts]
        return " + ".join(parts) if parts else LETTERS[MISSING]

    out = cov.groupby(["mittari", "vuosi"], sort=False)[["tila"]].apply(cell).unstack("vuosi")
    out.columns = [str(c) for c in out.columns]
    out.index.name = f"mittari ({n} kuntaa)"
    return out


def matrix(cov: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Municipality × year of one measure, a status letter in each cell."""
    part = cov[cov["mittari"] == measure].copy()
    part["merkki"] = part["tila"].map(LETTERS)
    part["kunta"] = part["kunta"] + " (" + part["kuntanumero"] + ")"
    out = part.pivot(index="kunta", columns="vuosi", values="merkki")
    out = out.loc[list(dict.fromkeys(part["kunta"]))]
    out.columns = [str(c) for c in out.columns]
    out.index.name = None
    return out


def _year_list(years: list[int]) -> str:
    """2015 2019-2024: runs of consecutive years as spans."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return " ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def fill_command(cov: pd.DataFrame, municipalities: Municipalities) -> str | None:
    """The ``kustannukset data paivita`` command that would fetch what is missing, if any can be."""
    missing = cov[cov["tila"].isin([MISSING, PARTIAL])]
    missing = missing[missing["mittari"].map(lambda m: bool(MEASURES[m].table))]
    if missing.empty:
        return None
    order = ["11re", "11rm", "12r5", "115b"]
    tables = sorted({MEASURES[m].table for m in missing["mittari"]}, key=order.index)
    codes = set(missing["kuntanumero"])
    if codes <= set(municipalities.in_region("Pirkanmaa")):
        who = ""
    elif codes == set(municipalities.all):
        who = " --kunnat kaikki"
    else:
        who = " --kunnat " + " ".join(sorted(codes))
    return (
        f"kustannukset data paivita --taulukot {' '.join(tables)} "
        f"--vuodet {_year_list(list(set(missing['vuosi'])))}{who}"
    )


def citation(rows: pd.DataFrame) -> str:
    """'Lähde: Tilastokeskus, StatFin 11re (väestörakenne); ...' for the figures in ``rows``."""
    pairs = []
    for publisher, table in zip(rows["julkaisija"], rows["taulukko"], strict=True):
        for one in str(table).split("; "):
            pairs.append((publisher or "", one))
    by_publisher: dict[str, list[str]] = {}
    for publisher, table in dict.fromkeys(pairs):
        by_publisher.setdefault(publisher, []).append(table)
    parts = [
        f"{publisher}, {', '.join(tables)}" if publisher else ", ".join(tables)
        for publisher, tables in by_publisher.items()
    ]
    return f"Lähde: {'; '.join(parts)} (lisenssi {LICENCE})" if parts else ""


def note(stats: Statistics, measure: str, year: int, codes: Iterable[str]) -> str:
    """One sentence for a notebook: the figures a result used, their status and their sources."""
    codes = list(codes)
    rows = stats.rows(measure, year)
    rows = rows[rows["kuntanumero"].isin(codes)]
    counts = rows["tila"].value_counts()
    status = ", ".join(f"{counts[s]} {STATUSES[s]}" for s in STATUSES if s in counts)
    if MEASURES[measure].monthly:
        wanted, what = 12 * len(codes), "kuukausiluku"
        where = f"{wanted} kunta-kuukaudelta"
    else:
        wanted, what = len(codes), "luku"
        where = f"{wanted} kunnalta"
    missing = wanted - len(rows)
    text = (
        f"{MEASURES[measure].name} {year}: {what} {len(rows)}/{where} ({status}"
        + (f", {missing} puuttuu" if missing else "")
        + "). "
    )
    return text + citation(rows)


# --- for notebooks/tilastot.ipynb -------------------------------------------------------------

KEY_MEASURES = ("vakiluku", "tyoikaiset_15_64", "vieraskieliset", "tyolliset", "tyottomat_18_64")


def validate_parameters(
    kunnat: object, vuosi: object, data_kansio: object = ""
) -> tuple[Statistics, list[str]]:
    """The statistics notebook's parameters checked: the statistics and the chosen municipalities."""

    parse_year(vuosi, what="parametri vuosi")
    stats = load_statistics(Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR)
    return stats, select_municipalities(stats.municipalities, [str(kunnat)])


def figures_table(
    stats: Statistics, codes: Iterable[str], year: int, measures: Iterable[str] = KEY_MEASURES
) -> pd.DataFrame:
    """One row per municipality with the measures of ``year`` (missing stays empty) and a total
    row over the figures that exist, on the year's own division: a figure of the 2025 division of
    an earlier year for a municipality that took in another (Mäntyharju with Pertunmaa) is not its
    own, so it is left out and its name says so."""
    measures = list(measures)
    register = stats.municipalities
    rows = []
    for code in codes:
        row: dict[str, object] = {"kunta": register.name(code)}
        left_out = []
        for measure in measures:
            figures = stats.rows(measure, year).set_index("kuntanumero")
            row[measure] = int(figures.at[code, "arvo"]) if code in figures.index else None
            if (
                row[measure] is not None
                and code in register.receivers
                and year < DIVISION_2025
                and figures.at[code, DIVISION_COLUMN] == DIVISION_2025
            ):
                row[measure] = None
                left_out.append(measure)
        if left_out:
            row["kunta"] = (
                f"{register.name(code)} ({', '.join(left_out)}: vain kuntajaon {DIVISION_2025} "
                f"luku, ei mukana; {register.merger(code)})"
            )
        rows.append(row)
    table = pd.DataFrame(rows)
    total = {"kunta": "Yhteensä", **{m: int(table[m].sum()) for m in measures}}
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)
