"""Rendering reports: a parameterised notebook runs in the project's kernel (papermill's
parameters cell and metadata), nbconvert writes an HTML report without code, and an optional writer
makes the Excel workbook.

Each report has a folder of its own (``reports/<year>/maksuosuudet_<year>/``,
``reports/<year>/kansainvaliset/kansainvaliset_<year>/``, ``reports/skenaariot/``,
``reports/kuntakortit/020_Akaa/``). A job renders into a
temporary folder beside it, and the finished folder replaces the old one whole in one rename, so a
failed, interrupted or killed run leaves the earlier report as it was. A lock file keeps a second run
out of the same target; Ctrl-C stops the kernels at once. All jobs are attempted; every failure is
reported, and the command exits non-zero if any failed.

A batch is rendered by workers (:func:`default_workers`), each with one warm kernel
(:class:`WarmKernel`) that runs the worker's notebooks one after another: the kernel starts and
imports pandas, matplotlib and the package once, and before each notebook
:mod:`kustannukset.render.kernel_state` puts it back as it was (namespace, figures, working
directory, options, warnings), so each report comes out as from a fresh kernel. A failed notebook
fails its report alone; its kernel is replaced for the next one. A worker takes next a job of the
notebook it ran last, else one of a notebook no other worker is running, else any. Each worker
keeps one HTML exporter. When :func:`render_all` reads and checks the data folder, the kernels
start meanwhile (the first at once, the others once the jobs are known and there are enough of
them), and the first worker's warm kernel takes the first job, the longest.

Each domain lists its reports in its ``notebook`` module (``jobs``: the requested years, ``None`` = all,
the data folder and the options, to ``Job`` objects); ``JOB_PROVIDERS`` names them.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import queue
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

from kustannukset.cards import notebook as cards
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
from kustannukset.districts import report as districts
from kustannukset.international import notebook as international
from kustannukset.render.startup import skip_slow_optional_imports
from kustannukset.scenarios import notebook as scenarios
from kustannukset.shared_costs import notebook as yearly
from kustannukset.stats.loader import load_statistics
from kustannukset.view.html import finish_report, report_exporter, report_status

KERNEL = "python3"
# The kernel's own start-up notices (such as ipykernel's note on unencrypted local TCP) are not for
# the report's reader; errors in cells still fail the run. The history stays in memory, as nbclient
# keeps it for the kernels it starts, so kernels side by side share no history file.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"]
WARM_ENGINE = "kustannukset-lammin"  # papermill's engine name for a notebook run in a warm kernel
KERNEL_STATE = "kustannukset.render.kernel_state"  # imported in the kernel, not here
SETUP_TIMEOUT = 120.0  # seconds for a kernel to start and import the libraries, or to be reset

# The current thread's warm kernel (in a batch's worker) and HTML exporter.
_worker = threading.local()


# In this order the workers take the jobs: the all-partitions report, the longest by far, first,
# so that the other reports render beside it instead of after it; the municipality cards, many
# and short, last.
JOB_PROVIDERS: list[Callable[[list[int] | None, Path, Options], list[Job]]] = [
    districts.jobs,
    yearly.jobs,
    international.jobs,
    scenarios.jobs,
    cards.jobs,
]


def execute_notebook(notebook: Path, output: Path, parameters: dict) -> None:
    """Run ``notebook`` with ``parameters`` in the project's kernel: in a batch, the worker's warm
    kernel; elsewhere a kernel of its own (:func:`execute_in_new_kernel`)."""
    kernel = getattr(_worker, "kernel", None)
    if kernel is None:
        execute_in_new_kernel(notebook, output, parameters)
    else:
        kernel.execute(notebook, output, parameters)


def execute_in_new_kernel(notebook: Path, output: Path, parameters: dict) -> None:
    """Run ``notebook`` with ``parameters`` through papermill in a new kernel, stopped after it."""
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
        extra_arguments=KERNEL_ARGUMENTS[:1],  # nbclient adds the history option itself
    )


class WarmKernel:
    """One kernel kept running for the notebooks of one worker, used from that worker's thread.

    The kernel starts (in notebooks/) at the first notebook and imports the libraries
    (:mod:`kustannukset.render.kernel_state`, which notes the clean state). Before each notebook
    the state is put back; the notebook then runs through papermill exactly as in a new kernel
    (parameters cell, metadata, error cell), only without starting one. After a failed cell or a
    dead kernel the kernel is stopped, and the next notebook starts a new one. Once ``cancelled``
    is set, no kernel is started any more.
    """

    def __init__(self, cancelled: threading.Event | None = None) -> None:
        self.km = None  # jupyter_client's AsyncKernelManager
        self.kc = None  # its client, shared by the notebooks
        self.cancelled = cancelled
        self.clear_caches = False  # empty the package's loaders before the next notebook

    def execute(self, notebook: Path, output: Path, parameters: dict) -> None:
        skip_slow_optional_imports()
        import papermill

        _register_warm_engine()
        try:
            self._ready()
            nb = papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                engine_name=WARM_ENGINE,
                kernel_name=KERNEL,
                progress_bar=False,
                log_output=False,
                # one write at the end (the error cell included), not one after every cell
                request_save_on_cell_execute=False,
                warm_kernel=self,
            )
        except BaseException:
            self.stop()
            raise
        # A warning (or anything else on stderr) may come from a loader that warns only when it
        # reads: the next notebook reads again, to show it again.
        self.clear_caches = any(
            shown.get("output_type") == "stream" and shown.get("name") == "stderr"
            for cell in nb.cells
            for shown in cell.get("outputs", [])
        )

    def _ready(self) -> None:
        """A kernel in its clean state: the running one put back, or a new one if there is none
        or it died since the last notebook."""
        from jupyter_core.utils import run_sync

        if self.km is not None:
            try:
                self._restore()
                return
            except Exception:
                if run_sync(self.km.is_alive)():
                    raise
                self.stop()
        self.start()
        self._restore()

    def _restore(self) -> None:
        self._run_quietly(
            f"__import__({KERNEL_STATE!r}, fromlist=['_'])"
            f".restore(clear_caches={self.clear_caches!r})"
        )

    def start(self) -> None:
        from jupyter_core.utils import run_sync

        if self.cancelled is not None and self.cancelled.is_set():
            raise KeyboardInterrupt
        run_sync(self._start)()
        self.clear_caches = False
        self._run_quietly(f"__import__({KERNEL_STATE!r}, fromlist=['_']).snapshot()")

    async def _start(self) -> None:
        from jupyter_client import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=KERNEL)
        await km.start_kernel(cwd=str(NOTEBOOKS_DIR), extra_arguments=KERNEL_ARGUMENTS)
        self.km = km
        kc = km.client()
        kc.start_channels()
        self.kc = kc
        await kc.wait_for_ready(timeout=SETUP_TIMEOUT)
        kc.allow_stdin = False

    def _run_quietly(self, code: str) -> None:
        """Run ``code`` in the kernel outside any notebook (no output, no execution count)."""
        from jupyter_core.utils import run_sync

        run_sync(self._quietly)(code)

    async def _quietly(self, code: str) -> None:
        kc, km = self.kc, self.km
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + SETUP_TIMEOUT
        while True:
            try:
                reply = await kc.get_shell_msg(timeout=0.5)
            except queue.Empty:
                # the kernel's end is noticed at once, not at the time limit
                if not await km.is_alive():
                    raise RuntimeError("Kernel died") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no reply in {SETUP_TIMEOUT:.0f} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    def kill(self) -> None:
        """Kill the kernel's process at once, from any thread; the kernel's own thread then finds
        it dead (and stops it)."""
        km = self.km
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if pid:
            with contextlib.suppress(psutil.Error):
                psutil.Process(pid).kill()

    def stop(self) -> None:
        """Stop the kernel at once (it holds nothing worth a graceful shutdown)."""
        from jupyter_core.utils import run_sync

        km, kc = self.km, self.kc
        self.km = self.kc = None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            with contextlib.suppress(Exception):
                run_sync(_kill)(km)


async def _kill(km) -> None:
    """Kill a kernel, then let jupyter_client wait for it and clean up. jupyter_client interrupts
    a kernel before killing it, and a living kernel would print its English note of the interrupt
    on the user's terminal; a dead one prints nothing."""
    with contextlib.suppress(Exception):  # already dead (Ctrl-C)
        await km.signal_kernel(signal.SIGKILL)
    await km.shutdown_kernel(now=True)


@contextlib.contextmanager
def warm_kernel(cancelled: threading.Event | None = None) -> Iterator[WarmKernel]:
    """Within the block, the notebooks this thread renders run in one warm kernel, stopped at
    the end."""
    kernel = WarmKernel(cancelled)
    _worker.kernel = kernel
    try:
        yield kernel
    finally:
        _worker.kernel = None
        kernel.stop()


@functools.cache
def _register_warm_engine() -> None:
    """papermill's nbclient engine, running the notebook in the given warm kernel with its client
    instead of starting a kernel (and leaving both running)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            warm_kernel: WarmKernel | None = None,
            **kwargs,
        ):
            assert warm_kernel is not None and warm_kernel.km is not None
            client = PapermillNotebookClient(
                nb_man,
                km=warm_kernel.km,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kc = warm_kernel.kc
            return client.execute()

    papermill_engines.register(WARM_ENGINE, WarmEngine)


def notebook_to_html(notebook: Path, output: Path, title: str) -> None:
    """An HTML report without code cells, prompts or the cells for developers
    (:data:`kustannukset.view.html.HIDDEN_TAG`), with the title and the notebook's status on every
    printed page."""
    skip_slow_optional_imports()
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    nb.metadata["title"] = title
    body, _ = _html_exporter().from_notebook_node(nb)
    output.write_text(finish_report(body, title, report_status(nb)), encoding="utf-8")


def _html_exporter():
    """This thread's HTML exporter (its templates are loaded once):
    :func:`kustannukset.view.html.report_exporter`."""
    exporter = getattr(_worker, "exporter", None)
    if exporter is None:
        skip_slow_optional_imports()
        exporter = report_exporter()
        _worker.exporter = exporter
    return exporter


def job_folder(job: Job, out_dir: Path = REPORTS_DIR) -> Path:
    """The folder that holds one report's files and is replaced whole: ``<subdir>/<stem>/``,
    ``<subdir>/<folder>/`` when the job names its folder (``kuntakortit/020_Akaa/``), or
    ``<subdir>/`` itself when it is named after the report (``reports/skenaariot/``)."""
    base = Path(out_dir) / job.subdir
    if job.folder:
        return base / job.folder
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
    providers = [cards.jobs] if options.only_cards else JOB_PROVIDERS
    for provider in providers:
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

    The data folder is read and checked first: an error in it stops everything before any report
    is made, with one line that names the file, the row and the column. Meanwhile the first
    worker's kernel is already starting (:func:`render_jobs`' ``prepare``)."""

    def prepare() -> list[Job]:
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
                    f"vuodelle {', '.join(map(str, unknown))} ei ole tietoja; vuodet, joilta on "
                    f"tiedot: {', '.join(map(str, known))}"
                )
        return jobs

    return render_jobs(prepare, out_dir, log=log, workers=workers)


def render_jobs(
    jobs: list[Job] | Callable[[], list[Job]],
    out_dir: Path = REPORTS_DIR,
    *,
    log=print,
    workers: int | None = None,
    warm: bool = True,
) -> list[tuple[Job, str]]:
    """Render ``jobs`` into ``out_dir`` holding its lock, after removing what dead runs left.

    ``jobs`` may be a function that lists them (``prepare``: reads and checks the data): it runs
    while the first worker's kernel starts, on the core that would otherwise wait, and its error
    stops the run before any report is made. ``warm``: each worker runs its notebooks in one warm
    kernel; without it, every notebook has a kernel of its own (as before; the benchmark's
    comparison)."""
    if callable(jobs):
        return _render_jobs(jobs, out_dir, log, workers, warm, early=True)
    return _render_jobs(lambda: jobs, out_dir, log, workers, warm, early=False)


def next_job(pending: list[Job], last: str | None, busy: set[str]) -> int:
    """Which of ``pending`` a worker takes next (its index): the first of the notebook the worker
    ran last (``last``), else the first of a notebook no other worker is running (``busy``), else
    the first."""
    for index, job in enumerate(pending):
        if job.notebook == last:
            return index
    for index, job in enumerate(pending):
        if job.notebook not in busy:
            return index
    return 0


class _Batch:
    """The jobs not yet taken, and the notebook each worker is running."""

    def __init__(self, jobs: list[Job]) -> None:
        self.pending = list(enumerate(jobs))
        self.running: dict[int, str] = {}
        self.lock = threading.Lock()

    def take(self, worker: int, last: str | None) -> tuple[int, Job] | None:
        with self.lock:
            self.running.pop(worker, None)
            if not self.pending:
                return None
            busy = set(self.running.values())
            chosen = self.pending.pop(next_job([job for _, job in self.pending], last, busy))
            self.running[worker] = chosen[1].notebook
            return chosen


def _render_jobs(
    prepare: Callable[[], list[Job]],
    out_dir: Path,
    log,
    workers: int | None,
    warm: bool,
    *,
    early: bool,
) -> list[tuple[Job, str]]:
    """Render the jobs ``prepare`` lists; ``early``: the first worker's kernel starts before they
    are known."""
    failures: list[tuple[int, Job, str]] = []
    cancelled = threading.Event()
    listed = threading.Event()  # the jobs are known (or the run was given up)
    kernels: list[WarmKernel] = []  # the workers' kernels
    first_taken = threading.Event()  # the first worker has taken its first job (or none)
    batch = _Batch([])
    results: queue.Queue = queue.Queue()

    def run(job: Job) -> tuple[list[Path] | None, str, float]:
        started = time.perf_counter()
        try:
            return render(job, out_dir, cancelled), "", time.perf_counter() - started
        except InputError as exc:
            return None, f"Virhe: {exc}", 0.0
        except KeyboardInterrupt:
            return None, "keskeytetty", 0.0
        except Exception as exc:  # a failing notebook must not stop the other reports
            return (
                None,
                f"Raportin teko epäonnistui ({type(exc).__name__}): {_first_line(exc)}",
                0.0,
            )

    def start_early(kernel: WarmKernel | None) -> None:
        # A kernel started before its first notebook imports its libraries while the main thread
        # works. One that does not start is started again for the first notebook, which reports
        # why not.
        if early and kernel is not None:
            with contextlib.suppress(Exception):
                kernel.start()

    def first_job(worker: int, kernel: WarmKernel | None) -> tuple[int, Job] | None:
        """The worker's first job. The first worker's kernel starts while the jobs are listed
        (the data is read and checked on one core, the kernel imports on the other), and it
        takes the first job, the longest; another worker's kernel starts once the jobs are known
        and there is one for it."""
        if worker == 0:
            try:
                start_early(kernel)
                listed.wait()
                return batch.take(worker, None)
            finally:
                first_taken.set()
        listed.wait()
        if len(batch.pending) > worker:
            start_early(kernel)
        first_taken.wait()
        return batch.take(worker, None)

    def work(worker: int) -> None:
        # Each worker's kernel is a process of its own; the threads here mostly wait on them, so
        # reports render side by side, as many at a time as the machine has cores.
        with warm_kernel(cancelled) if warm else contextlib.nullcontext() as kernel:
            if kernel is not None:
                kernels.append(kernel)
            taken = first_job(worker, kernel)
            while taken is not None and not cancelled.is_set():
                index, job = taken
                results.put((index, job, *run(job)))
                taken = batch.take(worker, job.notebook)

    count = max(1, workers or default_workers())
    pool = ThreadPoolExecutor(max_workers=count)
    threads = [pool.submit(work, worker) for worker in range(count)]

    def give_up(exc: BaseException) -> None:
        """Ctrl-C, or an error in the data or the target folder before any report: no report is
        swapped in any more, and the kernels are stopped at once (without their clients' English
        notes of their end), so the waiting threads end in moments; their temporary folders go
        with them. Ctrl-C stops every process this one started, and its notes stay silenced
        until the program ends; an error stops this run's kernels alone."""
        if cancelled.is_set():
            return
        cancelled.set()
        listed.set()
        previous = logging.root.manager.disable
        logging.disable(logging.CRITICAL)
        try:
            if isinstance(exc, KeyboardInterrupt):
                stop_kernels()
            else:
                for kernel in list(kernels):
                    kernel.kill()
            pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if not isinstance(exc, KeyboardInterrupt):
                logging.disable(previous)

    try:
        jobs = prepare()
        writable_folder(out_dir, "raporttikansio")
        with locked(out_dir, "Raporttien teko"):
            try:
                clean_dead(out_dir)
                batch.pending = list(enumerate(jobs))
                listed.set()
                _collect(jobs, threads, results, failures, log)
                pool.shutdown(wait=True)
            except BaseException as exc:
                give_up(exc)  # the workers end while the folder is still this run's
                raise
    except BaseException as exc:
        give_up(exc)
        raise
    for thread in threads:
        thread.result()  # a worker's own error (not a report's) is not hidden
    if failures:
        log(
            f"{len(failures)} raporttia epäonnistui; aiemmat raportit jätettiin ennalleen.",
            file=sys.stderr,
        )
    return [(job, error) for _, job, error in sorted(failures, key=lambda f: f[0])]


def _collect(jobs: list[Job], threads, results: queue.Queue, failures: list, log) -> None:
    """Report each job as it is done (a failure also into ``failures``), until all are."""
    done = 0
    while done < len(jobs):
        try:
            index, job, written, error, seconds = results.get(timeout=0.2)
        except queue.Empty:
            if all(thread.done() for thread in threads):
                break
            continue
        done += 1
        if written is None:
            failures.append((index, job, error))
            log(f"{job.title}: EPÄONNISTUI – {error}", file=sys.stderr)
        else:
            names = ", ".join(p.name for p in written)
            log(f"{job.title}: {display_path(written[0].parent)}/ ({names}) {seconds:.1f} s")


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
