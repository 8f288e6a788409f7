"""Benchmark: how long one yearly report and all reports take to render, against the floor.

The floor is the same machinery (papermill in the project's kernel, then the HTML export) running an
empty notebook. One report (notebook, HTML, Excel) should take at most 1.3 times the floor. Runs are
interleaved and repeated; the medians are printed.

    .venv/bin/python bench/raportit.py [--toistot N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from kustannukset.core.jobs import Job
from kustannukset.core.paths import DATA_DIR, NOTEBOOKS_DIR
from kustannukset.render.driver import all_jobs, render, render_all
from kustannukset.shared_costs.notebook import jobs as yearly_jobs


def empty_job(folder: Path) -> Job:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('vuosi: int = 2023\ndata_kansio: str = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = NOTEBOOKS_DIR / "_tyhja_bench.ipynb"
    nbformat.write(nb, path)
    return Job(
        notebook=path.name, parameters={"vuosi": 2023}, subdir="tyhja", stem="tyhja", title="tyhjä"
    )


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--toistot", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        empty = empty_job(out)
        report = yearly_jobs([2023], DATA_DIR)[0]
        try:
            render(empty, out)  # warm the disk cache and the kernel spec lookup once
            floors, reports = [], []
            for _ in range(args.toistot):
                floors.append(timed(lambda: render(empty, out)))
                reports.append(timed(lambda: render(report, out)))
        finally:
            (NOTEBOOKS_DIR / empty.notebook).unlink(missing_ok=True)
        floor, one = statistics.median(floors), statistics.median(reports)
        print(f"lattia (tyhjä muistio, sama koneisto): mediaani {floor:.2f} s  {_all(floors)}")
        print(f"yksi vuosiraportti (muistio+HTML+Excel): mediaani {one:.2f} s  {_all(reports)}")
        print(f"suhde raportti / lattia: {one / floor:.2f} (tavoite enintään 1.30)")
        jobs = all_jobs(None, DATA_DIR)
        total = timed(lambda: render_all(out_dir=out / "kaikki", log=lambda *a, **k: None))
        print(
            f"kaikki raportit ({len(jobs)} kpl) yhdessä prosessissa: {total:.2f} s (tavoite alle 20 s)"
        )


def _all(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


if __name__ == "__main__":
    main()
