"""Batch rendering without kernels: which job a worker takes next, and how a warm kernel's
process-wide settings are put back (kustannukset.render.kernel_state, run in this process)."""

from __future__ import annotations

import functools
import os
import sys
import types
import warnings

import matplotlib
import numpy as np
import pandas as pd

from kustannukset.core.jobs import Job
from kustannukset.render import kernel_state
from kustannukset.render.driver import _Batch, next_job


def _job(notebook: str, stem: str) -> Job:
    return Job(notebook=notebook, parameters={}, subdir="testi", stem=stem, title=stem)


def test_a_worker_keeps_to_its_notebook_then_goes_where_no_one_is():
    pending = [_job("a.ipynb", "a1"), _job("b.ipynb", "b1"), _job("a.ipynb", "a2")]
    assert next_job(pending, "a.ipynb", {"a.ipynb"}) == 0  # its own notebook, even if busy
    assert next_job(pending, "b.ipynb", {"a.ipynb"}) == 1
    assert next_job(pending, "c.ipynb", {"a.ipynb"}) == 1  # b: no other worker runs it
    assert next_job(pending, None, {"a.ipynb", "b.ipynb"}) == 0  # all busy: the first
    assert next_job(pending, None, set()) == 0


def test_two_workers_share_a_batch_like_raportti_kunnittain():
    # two yearly reports, six international ones, the scenarios and the districts
    jobs = [
        _job("vuosi.ipynb", "v1"),
        _job("vuosi.ipynb", "v2"),
        *(_job("kv.ipynb", f"k{i}") for i in range(6)),
        _job("skenaariot.ipynb", "s"),
        _job("aluejaot.ipynb", "a"),
    ]
    batch = _Batch(jobs)
    last = {0: None, 1: None}
    taken = []
    # the workers ask in turn, as if every report took as long
    while True:
        took = False
        for worker in (0, 1):
            chosen = batch.take(worker, last[worker])
            if chosen is not None:
                taken.append((worker, chosen[1].stem))
                last[worker] = chosen[1].notebook
                took = True
        if not took:
            break
    # worker 0 keeps to the yearly reports, worker 1 to the international ones; when worker 0
    # runs out, it takes the notebooks no one runs, and then helps with the international ones
    assert taken == [
        (0, "v1"), (1, "k0"),
        (0, "v2"), (1, "k1"),
        (0, "s"), (1, "k2"),
        (0, "a"), (1, "k3"),
        (0, "k4"), (1, "k5"),
    ]  # fmt: skip
    assert sorted(stem for _, stem in taken) == sorted(job.stem for job in jobs)


def test_restore_puts_back_what_a_notebook_changed(tmp_path):
    before = kernel_state.current()
    try:
        os.chdir(tmp_path)
        sys.path.append("/vuoto")
        os.environ["KUSTANNUKSET_VUOTO"] = "1"
        matplotlib.rcParams["lines.linewidth"] = before.rc["lines.linewidth"] + 5
        pd.set_option("display.max_rows", before.pandas_options["display.max_rows"] + 7)
        np.set_printoptions(precision=before.numpy_print["precision"] + 3)
        np.seterr(divide="raise")
        warnings.simplefilter("error")
        changed = kernel_state.current()
        assert changed != before
    finally:
        kernel_state.restore(before)
    after = kernel_state.current()
    assert after.cwd == before.cwd and after.path == before.path
    assert "KUSTANNUKSET_VUOTO" not in os.environ and after.environ == before.environ
    assert after.rc["lines.linewidth"] == before.rc["lines.linewidth"]
    assert after.pandas_options == before.pandas_options
    assert after.numpy_print == before.numpy_print and after.numpy_errors == before.numpy_errors
    assert after.filters == before.filters
    assert after == before


def test_restore_without_a_snapshot_says_so(monkeypatch):
    monkeypatch.setattr(kernel_state, "_saved", None)
    try:
        kernel_state.restore()
    except RuntimeError as exc:
        assert "snapshot" in str(exc)
    else:
        raise AssertionError("restore() ran without a snapshot")


def test_the_package_caches_are_emptied_and_others_kept(monkeypatch):
    own = types.ModuleType("kustannukset._testi_valimuisti")
    other = types.ModuleType("muu_paketti")

    def make(module: types.ModuleType):
        @functools.lru_cache
        def double(x: int) -> int:
            return 2 * x

        double.__module__ = module.__name__
        module.double = double
        return double

    own_double, other_double = make(own), make(other)
    monkeypatch.setitem(sys.modules, own.__name__, own)
    monkeypatch.setitem(sys.modules, other.__name__, other)
    own_double(1)
    other_double(1)
    kernel_state.clear_package_caches()
    assert own_double.cache_info().currsize == 0
    assert other_double.cache_info().currsize == 1
