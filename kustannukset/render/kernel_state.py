"""What a report notebook can leave behind in its kernel, and putting it back, so that one warm
kernel renders many reports as if each had a fresh kernel of its own.

The render driver imports this module in each warm kernel (the module is never imported by the
driver itself): :func:`snapshot` once, after the kernel has imported the libraries, and
:func:`restore` before every notebook. ``restore`` clears the user namespace and the output history
(IPython's ``%reset -f``) and sets the execution count back to 1, closes every matplotlib figure,
and puts back the working directory, ``sys.path``, the environment variables, matplotlib's
rcParams, pandas' and NumPy's options, the warnings filters (and forgets which warnings were
already shown, so a warning is shown again as in a fresh kernel) and the locale. Imported modules
stay imported, and the package's memoised loaders keep what they read (the statistics loader
checks the files' fingerprints; the loaded tables are never modified): that is what makes the
kernel warm. A loader warns only when it reads, so after a notebook that showed a warning the
driver asks for ``clear_caches``: the next notebook reads again and shows the same warning, as in
a fresh kernel.

What this cannot undo: a notebook that changes the package's module attributes, registers display
formatters or starts threads. The report notebooks do none of these.
"""

from __future__ import annotations

import gc
import locale
import os
import sys
import warnings
from dataclasses import dataclass
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython import get_ipython
from pandas._config import config as pandas_config

PACKAGE = "kustannukset"


@dataclass(frozen=True)
class State:
    """The process-wide settings a notebook may change, as they were before any notebook ran."""

    cwd: str
    path: list[str]
    environ: dict[str, str]
    rc: dict[str, Any]
    pandas_options: dict[str, Any]
    numpy_print: dict[str, Any]
    numpy_errors: dict[str, str]
    filters: list
    showwarning: Any
    formatwarning: Any
    locale: str


_saved: State | None = None


def _pandas_options() -> dict[str, Any]:
    keys = sorted(set(pandas_config._registered_options) - set(pandas_config._deprecated_options))
    return {key: pd.get_option(key) for key in keys}


def current() -> State:
    """The settings of this process now."""
    return State(
        cwd=os.getcwd(),
        path=list(sys.path),
        environ=dict(os.environ),
        rc=dict(dict.items(matplotlib.rcParams)),
        pandas_options=_pandas_options(),
        numpy_print=np.get_printoptions(),
        numpy_errors=np.geterr(),
        filters=list(warnings.filters),
        showwarning=warnings.showwarning,
        formatwarning=warnings.formatwarning,
        locale=locale.setlocale(locale.LC_ALL),
    )


def snapshot() -> State:
    """Remember the settings as they are now (before the first notebook)."""
    global _saved
    _saved = current()
    # The libraries imported by now stay for the kernel's life: full garbage collections during
    # the notebooks need not scan them again.
    gc.freeze()
    return _saved


def restore(state: State | None = None, *, clear_caches: bool = False) -> None:
    """Put the kernel back as :func:`snapshot` found it (or as ``state`` says); with
    ``clear_caches`` also empty the package's memoised loaders."""
    state = state or _saved
    if state is None:
        raise RuntimeError("kernel_state.snapshot() was never called in this kernel")
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # %reset -f, and the execution count back to 1
    plt.close("all")
    _forget_pending_figures()
    os.chdir(state.cwd)
    sys.path[:] = state.path
    for key in set(os.environ) - set(state.environ):
        del os.environ[key]
    for key, value in state.environ.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
    matplotlib.rcParams._update_raw(state.rc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, value in state.pandas_options.items():
            if not _same(pd.get_option(key), value):
                pd.set_option(key, value)
    np.set_printoptions(**state.numpy_print)
    np.seterr(**state.numpy_errors)
    if locale.setlocale(locale.LC_ALL) != state.locale:
        locale.setlocale(locale.LC_ALL, state.locale)
    if clear_caches:
        clear_package_caches()
    warnings.filters[:] = state.filters
    warnings.showwarning = state.showwarning
    warnings.formatwarning = state.formatwarning
    warnings.onceregistry.clear()
    warnings._filters_mutated()  # every module's record of warnings already shown is void
    # What is left now (the package's loaded data, the libraries' caches) stays for the kernel's
    # life, as the libraries did at the snapshot: the full collection that the next reset makes
    # (IPython's, at every %reset) then scans only what the next notebook made, not everything
    # every notebook before it left.
    gc.freeze()


def _same(a: object, b: object) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return a is b


def _forget_pending_figures() -> None:
    """The inline backend's list of figures still to show (a failed cell can leave one)."""
    backend = sys.modules.get("matplotlib_inline.backend_inline")
    if backend is not None:
        backend.show._to_draw = []
        backend.show._draw_called = False


def clear_package_caches() -> None:
    """Empty the ``functools`` caches of the package's module-level functions."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == PACKAGE or name.startswith(PACKAGE + ".")):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()
