"""What a report is: a notebook run with parameters, written as notebook, HTML and optionally a
workbook. Each domain lists its reports as ``Job`` objects; ``kustannukset.render`` renders them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kustannukset.core.paths import DATA_DIR


@dataclass(frozen=True)
class Job:
    """One report: a notebook run with parameters, written as ``<stem>.ipynb``, ``<stem>.html`` and
    optionally ``<excel_name>`` into its own folder under ``out_dir/subdir``: ``<stem>/``, or
    ``folder`` when the report's folder is named otherwise (a municipality card's
    ``kuntakortit/020_Akaa/kuntakortti.html``)."""

    notebook: str  # file name in notebooks/
    parameters: dict
    subdir: str  # e.g. "2023" or "2023/kansainvaliset"
    stem: str
    title: str
    check: Callable[[], object] | None = None  # raises InputError before any kernel starts
    excel: Callable[[Path], None] | None = None
    excel_name: str | None = None
    extra: dict = field(default_factory=dict)
    folder: str | None = None  # the report's folder under ``subdir``, when it is not ``stem``


def data_parameter(data_dir: Path) -> str:
    return "" if Path(data_dir).resolve() == DATA_DIR.resolve() else str(Path(data_dir).resolve())


@dataclass(frozen=True)
class Options:
    """What ``kustannukset raportti`` was asked to make besides the defaults."""

    per_municipality: bool = False  # also one international-services report per municipality
    municipalities: tuple[str, ...] = ()  # names or codes for those reports; empty: every one
    # the user's own input files of the international services (events, costs, project funding);
    # empty: the example set of the data folder
    international_files: tuple[str, str, str] = ("", "", "")
    # The municipality cards of the 2025 reform (kustannukset.cards): None = as the reports go
    # (every card when every report is made, none for named years); () = every card; names or
    # codes = those cards.
    cards: tuple[str, ...] | None = None
    only_cards: bool = False  # the cards alone (``--kuntakortit`` without a year)


DEFAULT_OPTIONS = Options()
