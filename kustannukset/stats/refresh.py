"""Bring fetched figures into ``data/``: what changes, shown first, then written all or nothing.

Every fetched figure is compared with the one in ``data/tilastot/``:

- ``uusi``: there was none; it is added.
- ``ennallaan``: the same value and status; the row is kept as it was, with its sources.
- ``muuttuu``: another value or status; the row is replaced by the fetched one.
- ``pidetaan``: the data has a final figure and the API a preliminary one. The final figure is
  kept, and the run says so; ``salli_ennakko`` replaces it anyway.
- ``kuntajako``: a figure of a year before 2025 for a municipality that took in another
  (Mäntyharju). The API's tables are on the 2025 division, so it is the merged area's figure; it
  is not written over the municipality's own, and the run says so.

The fetched rows name a new source in ``data/tilastolahteet.csv``: the table, its address, when it
was fetched and when Statistics Finland last updated it. Writing is atomic as a whole: the new files
are first written beside the old ones and loaded with the same validation as any data folder; only
then are they moved into place through a journal (:mod:`kustannukset.core.replace`), with Ctrl-C
held back for those few renames: a run killed during them is completed by the next load of the
folder, so the statistics and their sources file are always replaced together. An interrupted or
failed run leaves the old data whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import signal
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import exact_number, present
from kustannukset.core.replace import checkpoint, complete_journal, temporary_name, write_journal
from kustannukset.stats.fetch import Figure, TableFetch
from kustannukset.stats.loader import (
    DIVISION_2025,
    MEASURES,
    SOURCE_COLUMNS,
    SOURCES_FILE,
    Statistics,
    check_range,
    load_statistics,
)
from kustannukset.stats.pxweb import PxWebError

NEW, SAME, CHANGED, KEPT = "uusi", "ennallaan", "muuttuu", "pidetaan"
# A figure of a year before 2025 for a municipality that took in another: Statistics Finland's
# tables are on the current division, so it is the merged area's, not the municipality's own, and
# is not written over the municipality's own figures of the 2023 division.
OTHER_DIVISION = "kuntajako"


@dataclass(frozen=True)
class Change:
    kind: str
    figure: Figure
    old_value: Fraction | None = None
    old_status: str = ""


def source_tag(fetch: TableFetch) -> str:
    stamp = re.sub(r"[^0-9T]", "", fetch.fetched_at.split("+")[0])
    return f"pxweb-{fetch.spec.id}-{stamp}".lower()


def source_record(fetch: TableFetch) -> dict[str, str]:
    spec = fetch.spec
    return {
        "tunnus": source_tag(fetch),
        "julkaisija": spec.publisher,
        "taulukko": f"StatFin {spec.id} ({spec.name})",
        "kuvaus": f"PxWeb-rajapinta {fetch.url}: Alue KU<kuntanumero>; "
        + (
            "Kuukausi <vuosi>M01–<vuosi>M12 (kuukausiluvut rivin kuukaudelta, vuoden luvut "
            "joulukuulta)"
            if spec.monthly_measures
            else "Kuukausi <vuosi>M12"
            if spec.monthly
            else "Vuosi <vuosi>"
        )
        + "".join(f"; {k} {_selection(v)}" for k, v in spec.fixed.items())
        + (f" ({spec.note})" if spec.note else ""),
        "haettu": fetch.fetched_at,
        "paivitetty": fetch.updated,
    }


def _selection(values: list[str]) -> str:
    if len(values) <= 3:
        return ", ".join(values)
    return f"{values[0]}, {values[1]}…{values[-1]}"


def compare(stats: Statistics, figures: list[Figure], allow_preliminary: bool) -> list[Change]:
    columns = ["mittari", "kuntanumero", "vuosi", "kuukausi", "arvo", "tila"]
    current = {
        (r.mittari, r.kuntanumero, int(r.vuosi), int(r.kuukausi)): r
        for r in stats.table[columns].itertuples(index=False)
    }
    changes = []
    receivers = stats.municipalities.receivers
    for f in figures:
        if f.code in receivers and f.year < DIVISION_2025:
            changes.append(Change(OTHER_DIVISION, f))
            continue
        old = current.get((f.measure, f.code, f.year, f.month))
        if old is None:
            changes.append(Change(NEW, f))
            continue
        value = Fraction(f.value)
        kind = SAME if (value == old.arvo and f.status == old.tila) else CHANGED
        if kind == CHANGED and old.tila == "lopullinen" and f.status == "ennakko":
            kind = CHANGED if allow_preliminary else KEPT
        changes.append(Change(kind, f, old.arvo, old.tila))
    return changes


def _fmt(value: Fraction | str) -> str:
    value = Fraction(value)
    if value.denominator == 1:
        return f"{value.numerator:,}".replace(",", " ")
    return f"{float(value):g}".replace(".", ",")


def report(changes: list[Change], fetches: dict[str, TableFetch], stats: Statistics) -> list[str]:
    """What the run would do, in Finnish, one line each; changed values in full."""
    name = stats.municipalities.name
    lines = []
    for fetch in fetches.values():
        years = (
            "ei vuosia"
            if not fetch.years
            else str(fetch.years[0])
            if len(fetch.years) == 1
            else f"{min(fetch.years)}–{max(fetch.years)}"
        )
        lines.append(
            f"Taulukko {fetch.spec.id} ({fetch.spec.name}), vuodet {years}: "
            f"{len(fetch.figures)} lukua"
            + (f", päivitetty {fetch.updated}" if fetch.updated else "")
        )
        for note in fetch.notes:
            lines.append(f"  Huom: {note}")
        if fetch.missing:
            by_marker = Counter(m[3] for m in fetch.missing)
            lines.append(
                f"  Puuttuvia lukuja {len(fetch.missing)} (merkintä "
                + ", ".join(f"'{k}': {v}" for k, v in by_marker.items())
                + "); niitä ei kirjoiteta"
            )
            for measure, code, period, marker in fetch.missing[:10]:
                lines.append(f"    {measure} {name(code)} ({code}) {period}: {marker}")
            if len(fetch.missing) > 10:
                lines.append(f"    … ja {len(fetch.missing) - 10} muuta")
    counts = Counter((c.figure.measure, c.kind) for c in changes)
    lines.append("")
    lines.append("Muutokset datakansioon:")
    for measure in dict.fromkeys(c.figure.measure for c in changes):
        parts = [
            f"{counts[(measure, k)]} {label}"
            for k, label in (
                (NEW, "uutta"),
                (CHANGED, "muuttuu"),
                (SAME, "ennallaan"),
                (KEPT, "lopullista pidetään"),
                (OTHER_DIVISION, "kuntajaon 2025 lukua ei kirjoiteta"),
            )
            if counts[(measure, k)]
        ]
        lines.append(f"  {measure}: {', '.join(parts)}")
    for c in changes:
        f = c.figure
        where = f"{f.measure} {name(f.code)} ({f.code}) {f.period}"
        if c.kind == CHANGED:
            status = f", {c.old_status} -> {f.status}" if c.old_status != f.status else ""
            warn = (
                "  HUOM: lopullinen luku korvataan ennakkotiedolla"
                if c.old_status == "lopullinen" and f.status == "ennakko"
                else ""
            )
            lines.append(
                f"  muuttuu: {where}: {_fmt(c.old_value)} -> {_fmt(f.value)}{status}{warn}"
            )
        elif c.kind == KEPT:
            lines.append(
                f"  HUOM: {where}: lopullinen {_fmt(c.old_value)} pidetään; rajapinnan "
                f"ennakkotieto {_fmt(f.value)} ei korvaa sitä (--salli-ennakko korvaa)"
            )
    merged = sorted({c.figure.code for c in changes if c.kind == OTHER_DIVISION})
    for code in merged:
        lines.append(
            f"  HUOM: {name(code)} ({code}): rajapinnan luvut ennen vuotta {DIVISION_2025} ovat "
            f"kuntajaon {DIVISION_2025} mukaisia ({stats.municipalities.merger(code)}); niitä ei "
            "kirjoiteta kunnan omien lukujen päälle"
        )
    new = [c for c in changes if c.kind == NEW]
    if new:
        lines.append(f"  uusia lukuja {len(new)}:")
        by_measure: dict[str, list[Change]] = {}
        for c in new:
            by_measure.setdefault(c.figure.measure, []).append(c)
        for measure, items in by_measure.items():
            codes = sorted({c.figure.code for c in items})
            years = sorted({c.figure.year for c in items})
            prelim = sum(c.figure.status == "ennakko" for c in items)
            lines.append(
                f"    {measure}: {len(items)} lukua, {len(codes)} kuntaa, vuodet "
                f"{', '.join(map(str, years))}" + (f" ({prelim} ennakkotietoa)" if prelim else "")
            )
    if not any(c.kind in (NEW, CHANGED) for c in changes):
        lines.append("  Ei muutoksia: data on jo ajan tasalla.")
    return lines


def _read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not present(path):
        return [], []
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _csv(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def new_files(
    data_dir: Path, stats: Statistics, changes: list[Change], fetches: dict[str, TableFetch]
) -> dict[Path, str]:
    """The full new text of every file that changes: measure files and the sources file."""
    writes = [c for c in changes if c.kind in (NEW, CHANGED)]
    if not writes:
        return {}
    files: dict[Path, str] = {}
    used_tables = {c.figure.table for c in writes}
    by_measure: dict[str, list[Change]] = {}
    for c in writes:
        by_measure.setdefault(c.figure.measure, []).append(c)
    for measure, items in by_measure.items():
        replaced = {(c.figure.code, c.figure.year, c.figure.month) for c in items}
        # the replaced rows may live in any file; each file drops its own
        targets = {Path(p) for p in stats.rows(measure)["tiedosto"]}
        home = data_dir / "tilastot" / f"{measure}.csv"
        targets.add(home)
        for path in sorted(targets):
            columns, rows = _read_rows(path)
            columns = columns or MEASURES[measure].file_columns()
            kept = [
                r
                for r in rows
                if not (
                    r.get("mittari") == measure
                    and (
                        r.get("kuntanumero"),
                        int(r.get("vuosi", "0") or 0),
                        int(r.get("kuukausi", "0") or 0),
                    )
                    in replaced
                )
            ]
            if path == home:
                tags = {t: source_tag(fetches[t]) for t in used_tables}
                kept += [
                    {
                        "mittari": measure,
                        "kuntanumero": c.figure.code,
                        "kunta": stats.municipalities.name(c.figure.code),
                        "vuosi": str(c.figure.year),
                        **({"kuukausi": str(c.figure.month)} if c.figure.month else {}),
                        "arvo": c.figure.value,
                        "tila": c.figure.status,
                        "lahde": tags[c.figure.table],
                    }
                    for c in items
                ]
                kept.sort(
                    key=lambda r: (int(r["vuosi"]), int(r.get("kuukausi") or 0), r["kuntanumero"])
                )
            if path != home and len(kept) == len(rows):
                continue
            files[path] = _csv(columns, kept)
    sources_path = data_dir / SOURCES_FILE
    columns, rows = _read_rows(sources_path)
    columns = columns or list(SOURCE_COLUMNS)
    known = {r["tunnus"] for r in rows}
    for table in sorted(used_tables):
        record = source_record(fetches[table])
        if record["tunnus"] not in known:
            rows.append(record)
    files[sources_path] = _csv(columns, rows)
    return files


def validate(data_dir: Path, files: dict[Path, str]) -> Statistics:
    """Load a copy of the data folder with the new files in it, with the loader's own checks.

    The copy lives beside the data (``.kesken-<pid>-tarkistus``) and is removed on every ending;
    a killed run's copy is removed by the next run (:func:`kustannukset.core.replace.clean_dead`).
    """
    copy = Path(data_dir) / temporary_name("tarkistus")
    try:
        shutil.copytree(
            data_dir, copy, ignore=shutil.ignore_patterns("parametrit", ".*", "kartat", "esimerkki")
        )
        for path, text in files.items():
            (copy / path.relative_to(data_dir)).write_text(text, encoding="utf-8")
        checkpoint("tarkistus")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_statistics(copy)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def check_figures(figures: list[Figure]) -> None:
    """Every fetched figure within its measure's plausible range (as the loader demands), before
    any file is written; a wild figure stops the run."""
    for f in figures:
        measure = MEASURES[f.measure]
        try:
            check_range(exact_number(f.value), measure, f.value, file=None, row=None)
        except InputError as exc:
            raise PxWebError(
                f"taulukon {f.table} luku ei kelpaa ({f.measure}, kunta {f.code}, {f.period}): "
                f"{exc.message}"
            ) from None


@contextlib.contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Hold Ctrl-C until the block is done (main thread only; elsewhere, do nothing)."""
    received = []
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: received.append(True))
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def write_atomically(data_dir: Path, files: dict[Path, str]) -> None:
    """Write every file or none, the statistics and their sources together.

    The new files are written beside their targets (``.kesken-<pid>-<name>``); a journal listing
    the renames is then put in place in one rename, the renames are made, and the journal is
    removed. A run killed after the journal is in place is completed by the next load of the
    folder (:func:`kustannukset.core.replace.complete_journal`); one killed before leaves the old
    data, and its temporary files are removed by the next run.
    """
    staged: dict[Path, Path] = {}
    journal_written = False
    try:
        for path, text in files.items():
            tmp = path.parent / temporary_name(path.name)
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            staged[path] = tmp
        checkpoint("ennen-vaihtoa")
        with _deferred_interrupt():
            write_journal(data_dir, [(tmp, path) for path, tmp in staged.items()])
            journal_written = True
            checkpoint("kesken-vaihdon")
            complete_journal(data_dir, own=True)
    finally:
        if not journal_written:  # otherwise the journal's renames still need them
            for tmp in staged.values():
                tmp.unlink(missing_ok=True)


def new_warnings(before: Statistics, after: Statistics) -> list[str]:
    """The jump warnings that the new figures bring."""
    old = {str(w) for w in before.warnings}
    return [str(w) for w in after.warnings if str(w) not in old]
