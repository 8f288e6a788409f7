"""The figures every municipality card reads, computed once per data folder and its contents.

A card shows one municipality's rows of results that hold for the whole region: the 2025
alternatives on the default pool basis (:func:`kustannukset.scenarios.comparison.compare`, the one
formula the command line, the reports and the explorer read), every legal partition of Pirkanmaa
summarised on its default basis (:func:`kustannukset.districts.summaries.summarise`), and the
reality check (:func:`kustannukset.scenarios.engine.reality_check`). These take seconds; a card
takes its rows. So they are computed once per data folder and kept while none of its files
changes (:func:`fingerprint`): a batch of cards rendered in one warm kernel pays for them once,
and so does the render process, which writes every card's workbook.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.scenarios import Context, Scenario, load_context
from kustannukset.scenarios.comparison import Comparison, compare
from kustannukset.scenarios.engine import reality_check


@dataclass(frozen=True)
class RegionFigures:
    """What the cards of one data folder read; ``seconds`` is how long it took to make."""

    context: Context
    comparison: Comparison  # the alternatives on the default basis
    decided: Scenario  # the decided areas (``vertailuskenaario``: paatetty_2025)
    region: districts.Region  # Pirkanmaa's municipalities, as ``kustannukset aluejaot``
    summary: summaries.Summary  # every legal partition on the default basis (no top lists)
    reality: pd.DataFrame  # the reference area's reported payments split by each key
    crossing: frozenset[str]  # the region's municipalities whose decided area crosses its border
    seconds: float


def fingerprint(data_dir: Path) -> tuple:
    """Every file of the data folder (hidden ones, such as a refresh's staged copies, left out)
    by its path, modification time and size: a changed, added or removed file changes it."""
    found = []
    for root, folders, files in os.walk(data_dir):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = Path(root) / name
            try:
                stat = path.stat()
            except OSError:  # a broken link: the loaders name it when they read
                continue
            found.append((path.relative_to(data_dir).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


# Two threads of the render process (its workers write workbooks side by side) wait for one
# computation instead of making two.
_LOCK = threading.Lock()


def region_figures(data_dir: Path) -> RegionFigures:
    """The figures of ``data_dir``: made once, and again only when a file of it changes."""
    data_dir = Path(data_dir).resolve()
    with _LOCK:
        return _made(data_dir, fingerprint(data_dir))


@functools.lru_cache(maxsize=2)
def _made(data_dir: Path, fingerprint: tuple) -> RegionFigures:
    """``fingerprint`` is only the key. A functools cache, so that a warm kernel asked to read
    its data again (after a notebook showed a warning) makes these again, too."""
    started = time.perf_counter()
    context = load_context(data_dir)
    comparison = compare(context)
    decided = context.scenario(str(context.rule("vertailuskenaario").value))
    region = districts.load_region(context)
    basis = districts.load_basis(region)
    # The same summary as ``kustannukset aluejaot`` prints; a card shows no top list.
    summary = summaries.summarise(region, basis, top=0)
    reality = reality_check(context, [r.scenario for r in comparison.results])
    crossing = frozenset(
        code
        for area, outside in districts.decided_areas_in(context, region.codes)
        if outside
        for code in area.members
        if code in region.codes
    )
    return RegionFigures(
        context,
        comparison,
        decided,
        region,
        summary,
        reality,
        crossing,
        time.perf_counter() - started,
    )
