"""Benchmark: how long reports take to render, against two floors, and a batch of reports in warm
kernels against one kernel per report.

- Floor 1: the same machinery (a new kernel through papermill, then the HTML export) running an
  empty notebook.
- Floor 2: the same, with an empty notebook that imports what a report imports (pandas,
  matplotlib, the package's report module). One yearly report (notebook, HTML, Excel) in a kernel
  of its own should take at most 1.3 times this floor. The same report in a warm kernel (after
  the first) is printed beside it.
- The batch: all international services' reports of ``kustannukset raportti --kunnittain`` (all
  municipalities and each of them), rendered as the command renders them (one warm kernel per
  worker), and the same jobs with a new kernel for every report, in the same run. Target: under
  20 s for the warm batch on a 2-core machine.
- All reports of ``kustannukset raportti`` in one process (warm kernels).

Single-report runs are interleaved and repeated, batches alternate; the medians are printed, with
the machine's load average before and after (the machine may be shared: compare figures of the
same run only).

    .venv/bin/python bench/raportit.py [--toistot N] [--erat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from kustannukset.core.jobs import Job, Options
from kustannukset.core.paths import DATA_DIR, NOTEBOOKS_DIR
from kustannukset.international.notebook import jobs as international_jobs
from kustannukset.render.driver import (
    all_jobs,
    default_workers,
    render,
    render_all,
    render_jobs,
    warm_kernel,
)
from kustannukset.shared_costs.notebook import jobs as yearly_jobs

IMPORTS = "import pandas\nimport matplotlib.pyplot\nimport kustannukset.shared_costs.notebook"


def floor_job(name: str, code: str = "") -> Job:
    """A notebook with the yearly report's parameters cell and ``code``, in notebooks/."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('vuosi: int = 2023\ndata_kansio: str = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell] + ([nbformat.v4.new_code_cell(code)] if code else [])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = NOTEBOOKS_DIR / f"_{name}_bench.ipynb"
    nbformat.write(nb, path)
    return Job(notebook=path.name, parameters={"vuosi": 2023}, subdir=name, stem=name, title=name)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def quiet(*args, **kwargs) -> None:
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--toistot", type=int, default=5, help="yksittäisten ajojen toistot")
    parser.add_argument("--erat", type=int, default=1, help="kunnittaisen erän toistot")
    args = parser.parse_args()
    print(f"kuormitus alussa (1 min keskiarvo): {os.getloadavg()[0]:.2f}; "
          f"rinnakkaisia ytimiä: {default_workers()}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        empty, imports = floor_job("tyhja"), floor_job("tuonnit", IMPORTS)
        report = yearly_jobs([2023], DATA_DIR)[0]
        try:
            render(empty, out)  # warm the disk cache and the kernel spec lookup once
            floors, import_floors, reports = [], [], []
            for _ in range(args.toistot):
                floors.append(timed(lambda: render(empty, out)))
                import_floors.append(timed(lambda: render(imports, out)))
                reports.append(timed(lambda: render(report, out)))
        finally:
            (NOTEBOOKS_DIR / empty.notebook).unlink(missing_ok=True)
            (NOTEBOOKS_DIR / imports.notebook).unlink(missing_ok=True)
        floor, import_floor = statistics.median(floors), statistics.median(import_floors)
        one = statistics.median(reports)
        print(f"lattia 1 (tyhjä muistio, sama koneisto): mediaani {floor:.2f} s  {_all(floors)}")
        print(
            "lattia 2 (tyhjä muistio, joka tuo pandasin, matplotlibin ja paketin): "
            f"mediaani {import_floor:.2f} s  {_all(import_floors)}"
        )
        print(f"yksi vuosiraportti (muistio+HTML+Excel): mediaani {one:.2f} s  {_all(reports)}")
        print(f"suhde raportti / lattia 1: {one / floor:.2f}")
        print(f"suhde raportti / lattia 2: {one / import_floor:.2f} (tavoite enintään 1.30)")
        with warm_kernel():
            render(report, out)  # the kernel starts and reads the statistics once
            warm_reports = [timed(lambda: render(report, out)) for _ in range(args.toistot)]
        warm_one = statistics.median(warm_reports)
        print(
            f"sama raportti lämpimässä ytimessä: mediaani {warm_one:.2f} s  {_all(warm_reports)}; "
            f"suhde lattiaan 2: {warm_one / import_floor:.2f}"
        )

        batch = international_jobs(None, DATA_DIR, Options(per_municipality=True))
        warm, cold = [], []
        for round_ in range(args.erat):
            for kind, times, use_warm in (("lammin", warm, True), ("kylma", cold, False)):
                target = out / f"{kind}-{round_}"
                times.append(
                    timed(lambda: render_jobs(batch, target, log=quiet, warm=use_warm))  # noqa: B023
                )
        n = len(batch)
        print(
            f"kunnittaiset kansainvälisten palvelujen raportit ({n} kpl, {default_workers()} "
            f"rinnakkain): lämpimät ytimet {statistics.median(warm):.2f} s "
            f"({statistics.median(warm) / n:.2f} s/raportti) {_all(warm)} (tavoite alle 20 s); "
            f"uusi ydin joka raportille {statistics.median(cold):.2f} s "
            f"({statistics.median(cold) / n:.2f} s/raportti) {_all(cold)}"
        )
        jobs = all_jobs(None, DATA_DIR)
        total = timed(lambda: render_all(out_dir=out / "kaikki", log=quiet))
        print(f"kaikki raportit ({len(jobs)} kpl) yhdessä prosessissa: {total:.2f} s")
    print(f"kuormitus lopussa (1 min keskiarvo): {os.getloadavg()[0]:.2f}")


def _all(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


if __name__ == "__main__":
    main()
