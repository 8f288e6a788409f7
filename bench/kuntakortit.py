"""Benchmark: the 23 municipality cards of Pirkanmaa, and every report, against
``kustannukset jako 2023`` in the same run.

- ``kustannukset jako 2023`` (a new process, as a user runs it): the unit of the targets.
- The cards (``kustannukset raportti --kuntakortit``'s jobs) rendered as the command renders them,
  one warm kernel per worker, and the same jobs with a new kernel for every card. Target: the
  warm batch in at most 20 s. Each kernel computes the region's figures once (the comparison,
  every legal partition summarised, the reality check: ``kustannukset.cards.figures``); the first
  card of each worker pays for them, the others do not: the slowest and the median card's time are
  printed, and the figures' own time in a fresh process.
- Every report (``kustannukset raportti`` in a new process, what ``make report`` runs). Target: at
  most 12 times ``jako 2023``.

Batches alternate; the medians are printed, with the machine's load average before and after (the
machine may be shared: compare figures of the same run only).

    .venv/bin/python bench/kuntakortit.py [--erat N] [--ilman-kaikkia]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kustannukset.cards.figures import region_figures
from kustannukset.cards.notebook import jobs as card_jobs
from kustannukset.core.jobs import Options
from kustannukset.core.paths import DATA_DIR, PROJECT_ROOT
from kustannukset.render.driver import default_workers, render_jobs

COMMAND = [sys.executable, "-m", "kustannukset"]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def run(*args: str) -> None:
    subprocess.run([*COMMAND, *args], cwd=PROJECT_ROOT, check=True, capture_output=True)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (5 min {five:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--erat", type=int, default=1, help="korttierien toistot")
    parser.add_argument(
        "--ilman-kaikkia", action="store_true", help="älä mittaa kaikkia raportteja"
    )
    args = parser.parse_args()
    print(f"kuormitus alussa (1 min keskiarvo): {load()}; rinnakkaisia ytimiä: {default_workers()}")
    jako = [timed(lambda: run("jako", "2023")) for _ in range(3)]
    unit = statistics.median(jako)
    print(f"kustannukset jako 2023: mediaani {unit:.2f} s  {_all(jako)}")

    figures = timed(lambda: region_figures(DATA_DIR))
    print(
        f"kortien yhteiset luvut yhdessä prosessissa (tilastot ja vertailu mukaan lukien): "
        f"{figures:.2f} s"
    )
    batch = card_jobs(None, DATA_DIR, Options(cards=(), only_cards=True))
    warm, cold, cards_seen = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for round_ in range(args.erat):
            for kind, times, use_warm in (("lammin", warm, True), ("kylma", cold, False)):
                seconds: list[float] = []

                def log(*parts, file=None, seconds=seconds):
                    text = " ".join(str(p) for p in parts)
                    if text.endswith(" s"):
                        seconds.append(float(text.rsplit(" ", 2)[-2]))

                target = out / f"{kind}-{round_}"
                times.append(
                    timed(
                        lambda t=target, w=use_warm, lg=log: render_jobs(batch, t, log=lg, warm=w)
                    )
                )
                if use_warm:
                    cards_seen.append(seconds)
        n = len(batch)
        print(
            f"kuntakortit ({n} kpl, {default_workers()} rinnakkain): lämpimät ytimet "
            f"{statistics.median(warm):.2f} s ({statistics.median(warm) / n:.2f} s/kortti) "
            f"{_all(warm)} (tavoite enintään 20 s); uusi ydin joka kortille "
            f"{statistics.median(cold):.2f} s ({statistics.median(cold) / n:.2f} s/kortti) "
            f"{_all(cold)}; suhde kortit / jako 2023: {statistics.median(warm) / unit:.1f}"
        )
        for seconds in cards_seen:
            ordered = sorted(seconds, reverse=True)
            print(
                f"  lämpimän erän kortit: kaksi hitainta (ytimen ensimmäiset, yhteiset luvut) "
                f"{_all(ordered[:2])}, mediaani {statistics.median(seconds):.2f} s"
            )
        if not args.ilman_kaikkia:
            total = timed(lambda: run("raportti", "--kohde", str(out / "kaikki")))
            print(
                f"kaikki raportit (kustannukset raportti, kuten make report): {total:.2f} s; "
                f"suhde jako 2023:een {total / unit:.1f} (tavoite enintään 12)"
            )
    after = [timed(lambda: run("jako", "2023")) for _ in range(3)]
    print(
        f"kustannukset jako 2023 lopussa: mediaani {statistics.median(after):.2f} s  {_all(after)}"
    )
    print(f"kuormitus lopussa (1 min keskiarvo): {load()}")


def _all(values: list[float]) -> str:
    return "[" + ", ".join(f"{v:.2f}" for v in values) + "]"


if __name__ == "__main__":
    main()
