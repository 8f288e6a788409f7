"""Rendering reports: papermill runs a parameterised notebook, nbconvert writes an HTML report without
code, and an optional writer makes the Excel workbook.

Each report has a folder of its own (``reports/<year>/maksuosuudet_<year>/``,
``reports/<year>/kansainvaliset/kansainvaliset_<year>/``, ``reports/skenaariot/``). A job renders into a
temporary folder beside it, and the finished folder replaces the old one whole in one rename, so a
failed, interrupted or killed run leaves the earlier report as it was. A lock file keeps a second run
out of the same target; Ctrl-C stops the kernels at once. All jobs are attempted; every failure is
reported, and the command exits non-zero if any failed.

Each domain lists its reports in its ``notebook`` module (``jobs``: the requested years, ``None`` = all,
the data folder and the options, to ``Job`` objects); ``JOB_PROVIDERS`` names them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options
from kustannukset.core.paths import DATA_DIR, NOTEBOOKS_DIR, REPORTS_DIR, display_path
from kustannukset.core.replace import (
    checkpoint,
    clean_dead,
    locked,
    swap_in,
    temporary_name,
    writable_folder,
)
from kustannukset.international import notebook as international
from kustannukset.scenarios import districts_report as districts
from kustannukset.scenarios import notebook as scenarios
from kustannukset.shared_costs import notebook as yearly
from kustannukset.stats.loader import load_statistics
from kustannukset.view.html import finish_report

KERNEL = "python3"


def skip_slow_optional_imports() -> None:
    """jsonschema (imported by nbformat, so by papermill and nbconvert) loads the optional package
    rfc3987_syntax when it is installed, and that builds a parser at import: about 1.5 s at every
    start of the converter. Notebook validation never checks IRI formats, so the report process goes
    without it. Call before the Jupyter stack is imported."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


JOB_PROVIDERS: list[Callable[[list[int] | None, Path, Options], list[Job]]] = [
    yearly.jobs,
    international.jobs,
    scenarios.jobs,
    districts.jobs,
]


def execute_notebook(notebook: Path, output: Path, parameters: dict) -> None:
    """Run ``notebook`` with ``parameters`` through papermill in the project's own kernel."""
    skip_slow_optional_imports()
    import papermill

    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=KERNEL,
        # The kernel starts in notebooks/ (nbclient's resources), without papermill's ``cwd``,
        # which would change this whole process's working directory under the other threads.
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
        progress_bar=False,
        log_output=False,
        # The kernel's own start-up notices (such as ipykernel's note on unencrypted local TCP)
        # are not for the report's reader; errors in cells still fail the run.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )


def notebook_to_html(notebook: Path, output: Path, title: str) -> None:
    """An HTML report without code cells or prompts."""
    skip_slow_optional_imports()
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb)
    output.write_text(finish_report(body), encoding="utf-8")


def job_folder(job: Job, out_dir: Path = REPORTS_DIR) -> Path:
    """The folder that holds one report's files and is replaced whole: ``<subdir>/<stem>/``, or
    ``<subdir>/`` itself when it is named after the report (``reports/skenaariot/``)."""
    base = Path(out_dir) / job.subdir
    return base if base.name == job.stem else base / job.stem


def render(
    job: Job, out_dir: Path = REPORTS_DIR, cancelled: threading.Event | None = None
) -> list[Path]:
    """Render one job; returns the files written. Raises on failure, leaving ``out_dir`` as it was.

    The files are made in a temporary folder beside the report's folder, which is then swapped in
    whole (:func:`kustannukset.core.replace.swap_in`); until then the previous version stays.
    """
    if job.check is not None:
        job.check()
    folder = job_folder(job, out_dir)
    created = [p for p in (folder.parent, *folder.parent.parents) if not p.exists()]
    writable_folder(folder.parent, "raporttikansio")
    tmp_dir = folder.parent / temporary_name(folder.name)
    try:
        tmp_dir.mkdir()
        produced = [tmp_dir / f"{job.stem}.ipynb", tmp_dir / f"{job.stem}.html"]
        execute_notebook(NOTEBOOKS_DIR / job.notebook, produced[0], job.parameters)
        checkpoint("muistio-valmis")
        notebook_to_html(produced[0], produced[1], job.title)
        if job.excel is not None:
            produced.append(tmp_dir / (job.excel_name or f"{job.stem}.xlsx"))
            job.excel(produced[-1])
        if cancelled is not None and cancelled.is_set():
            raise KeyboardInterrupt
        swap_in(tmp_dir, folder)
    finally:
        if tmp_dir.exists():
            shutil.rmtree(tmp_dir, ignore_errors=True)
        for parent in created:  # no empty folders after a failure
            with contextlib.suppress(OSError):
                parent.rmdir()
    return [folder / path.name for path in produced]


def all_jobs(
    years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS
) -> list[Job]:
    jobs = []
    for provider in JOB_PROVIDERS:
        jobs.extend(provider(years, data_dir, options))
    return jobs


def render_all(
    years: list[int] | None = None,
    *,
    data_dir: Path = DATA_DIR,
    out_dir: Path = REPORTS_DIR,
    log=print,
    workers: int | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> list[tuple[Job, str]]:
    """Render every job; returns the failures as (job, Finnish message).

    The data folder is read and checked first: an error in it stops everything before any kernel
    starts, with one line that names the file, the row and the column.
    """
    load_statistics(data_dir)
    jobs = all_jobs(years, data_dir, options)
    if years is not None:
        covered = {job.parameters.get("vuosi") for job in jobs}
        unknown = [year for year in years if year not in covered]
        if unknown:
            known = sorted(
                {job.parameters.get("vuosi") for job in all_jobs(None, data_dir)} - {None}
            )
            raise InputError(
                f"vuodelle {', '.join(map(str, unknown))} ei ole tietoja; vuodet, joilta on tiedot: "
                f"{', '.join(map(str, known))}"
            )
    return render_jobs(jobs, out_dir, log=log, workers=workers)


def render_jobs(
    jobs: list[Job], out_dir: Path = REPORTS_DIR, *, log=print, workers: int | None = None
) -> list[tuple[Job, str]]:
    """Render ``jobs`` into ``out_dir`` holding its lock, after removing what dead runs left."""
    writable_folder(out_dir, "raporttikansio")
    with locked(out_dir, "Raporttien teko"):
        clean_dead(out_dir)
        return _render_jobs(jobs, out_dir, log, workers)


def _render_jobs(jobs: list[Job], out_dir: Path, log, workers: int | None) -> list[tuple[Job, str]]:
    failures: list[tuple[Job, str]] = []
    cancelled = threading.Event()

    def run(job: Job) -> tuple[Job, list[Path] | None, str, float]:
        started = time.perf_counter()
        try:
            return job, render(job, out_dir, cancelled), "", time.perf_counter() - started
        except InputError as exc:
            return job, None, f"Virhe: {exc}", 0.0
        except KeyboardInterrupt:
            return job, None, "keskeytetty", 0.0
        except Exception as exc:  # a failing notebook must not stop the other reports
            return (
                job,
                None,
                f"Raportin teko epäonnistui ({type(exc).__name__}): {_first_line(exc)}",
                0.0,
            )

    # Each report runs in a kernel process of its own; the threads here only wait on them, so
    # reports render side by side, as many at a time as the machine has cores.
    pool = ThreadPoolExecutor(max_workers=workers or default_workers())
    try:
        for job, written, error, seconds in pool.map(run, jobs):
            if written is None:
                failures.append((job, error))
                log(f"{job.title}: EPÄONNISTUI – {error}", file=sys.stderr)
            else:
                names = ", ".join(p.name for p in written)
                log(f"{job.title}: {display_path(written[0].parent)}/ ({names}) {seconds:.1f} s")
    except KeyboardInterrupt:
        # Ctrl-C: no report is swapped in any more, and the kernels are stopped at once, so the
        # waiting threads end in moments; their temporary folders go with them.
        cancelled.set()
        logging.disable(logging.CRITICAL)  # the kernel clients' English notes of their end
        stop_kernels()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    if failures:
        log(
            f"{len(failures)} raporttia epäonnistui; aiemmat raportit jätettiin ennalleen.",
            file=sys.stderr,
        )
    return failures


def default_workers() -> int:
    """Reports rendered at a time: one per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1] if text else type(exc).__name__


def stop_kernels() -> None:
    """Kill this process's child processes (the notebook kernels) and theirs."""
    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(children, timeout=5)


def clean_stale_temporaries(out_dir: Path = REPORTS_DIR) -> None:
    """Remove what interrupted runs left (temporary folders, set-aside old versions); a live run's
    temporaries are kept."""
    clean_dead(Path(out_dir))
