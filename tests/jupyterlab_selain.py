"""JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright, shared by the browser test of
the scenario explorer (tests/integration/test_explorer_browser.py) and its latency benchmark
(bench/selain.py).

- :func:`jupyterlab` starts JupyterLab with this interpreter (``sys.executable``) on a free loopback
  port with a random token, from a folder holding copies of the notebooks. Its kernels run the same
  interpreter (JupyterLab's ``python3`` kernel is started with the server's own Python) and import
  this checkout's ``kustannukset`` first (``PYTHONPATH``), which reads the project's data through
  ``kustannukset.core.paths``. Nothing is fetched from the internet: no news, no update check, a read-only
  extension manager. On exit the server is asked to shut down with its kernels, and what is still
  running is ended.
- :func:`chromium` launches ``/usr/bin/chromium`` (no browser download) with a fresh profile; every
  request that is not for 127.0.0.1 is refused.
- :class:`NotebookPage` opens a notebook, runs all cells from the Run menu and reads cell errors and
  console errors; :class:`ExplorerWidgets` reads and moves the explorer's controls (ipywidgets 8 in
  JupyterLab 4), its text table and its figure.

Playwright is imported only inside :func:`chromium`, so this module imports without it;
:func:`missing` says, in Finnish and English, what is missing and how to install it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kustannukset.core.paths import NOTEBOOKS_DIR, PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXPLORER = "skenaarioselain.ipynb"
START_TIMEOUT = 120  # seconds for JupyterLab to answer
STOP_TIMEOUT = 30

# Output areas that show an error: a traceback (application/vnd.jupyter.error in JupyterLab 4 is
# rendered as text with this MIME type) or text written to stderr.
ERROR_OUTPUTS = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"], '
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
)


def missing() -> str | None:
    """Why the browser cannot be driven here, with how to install what is missing; None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright puuttuu: asenna testiriippuvuudet (pip install -e '.[test]'). "
            "/ Playwright is missing: install the test extras (pip install -e '.[test]')."
        )
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"Chromium puuttuu ({CHROMIUM}): asenna se Debianin paketista "
            "(apt-get install -y chromium); selainta ei ladata verkosta. "
            f"/ Chromium is missing ({CHROMIUM}): install Debian's package "
            "(apt-get install -y chromium); no browser is downloaded."
        )
    return None


@dataclass
class JupyterLab:
    root: Path  # the folder JupyterLab serves: copies of the notebooks
    url: str  # base URL, ending in "/"
    token: str
    process: subprocess.Popen
    log: Path

    def notebook_url(self, name: str) -> str:
        return f"{self.url}lab/tree/{name}?token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> object:
        request = urllib.request.Request(
            self.url + path.lstrip("/"),
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method == "POST" else None,
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@contextlib.contextmanager
def jupyterlab(folder: Path, notebooks: Iterable[Path] = (NOTEBOOKS_DIR / EXPLORER,)):
    """JupyterLab serving copies of ``notebooks`` from ``folder``/notebooks; stopped on exit."""
    root = folder / "notebooks"
    root.mkdir(parents=True, exist_ok=True)
    for notebook in notebooks:
        shutil.copy2(notebook, root / Path(notebook).name)
    env = dict(os.environ)
    paths = [str(PROJECT_ROOT), *env.get("PYTHONPATH", "").split(os.pathsep)]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(p for p in paths if p))
    env.pop("MPLBACKEND", None)  # the kernel draws inline, as for a user
    # Settings, workspaces, runtime files and IPython profiles of their own: nothing of the user's
    # is read or changed.
    for variable, name in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTERLAB_SETTINGS_DIR", "settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (folder / name).mkdir(exist_ok=True)
        env[variable] = str(folder / name)
    # Never ask about the Jupyter news feed (a notice that would cover part of the page), never
    # fetch it or check for updates.
    notification = folder / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8"
    )
    token = secrets.token_hex(24)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",  # the system picks a free port; the runtime file tells which
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log = folder / "jupyterlab.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, ended as one if need be
        )
    lab = JupyterLab(root=root, url="", token=token, process=process, log=log)
    try:
        lab.url = _wait_until_answering(lab, folder / "runtime")
        yield lab
    finally:
        _stop(lab)


def _wait_until_answering(lab: JupyterLab, runtime: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    info = runtime / f"jpserver-{lab.process.pid}.json"
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab stopped at start (exit code {lab.process.returncode}):\n"
                + lab.log_tail()
            )
        if info.exists():
            try:
                port = json.loads(info.read_text(encoding="utf-8"))["port"]
            except (ValueError, KeyError):
                port = None  # written but not complete yet
            if port:
                lab.url = f"http://127.0.0.1:{port}/"
                try:
                    lab.api("api/status", timeout=5)
                    return lab.url
                except (OSError, http.client.HTTPException, ValueError):
                    pass  # not serving yet
        time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer in {START_TIMEOUT} s:\n" + lab.log_tail())


def _stop(lab: JupyterLab) -> None:
    """Shut the server and its kernels down; end whatever of them is still running."""
    try:
        import psutil  # installed with IPython; without it the server alone ends its kernels
    except ImportError:
        psutil = None
    children = []
    if psutil is not None:
        with contextlib.suppress(psutil.Error):
            children = psutil.Process(lab.process.pid).children(recursive=True)
    if lab.url and lab.process.poll() is None:
        with contextlib.suppress(OSError, http.client.HTTPException, ValueError):
            lab.api("api/shutdown", method="POST")  # stops the kernels, then the server
    try:
        lab.process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(lab.process.pid, sig)
            try:
                lab.process.wait(10)
                break
            except subprocess.TimeoutExpired:
                continue
    # Kernels run in sessions of their own: end any the server left behind.
    for child in children:
        with contextlib.suppress(psutil.Error):
            if child.is_running():
                child.kill()


def _is_loopback(url: str) -> bool:
    """A request that stays on this machine: loopback, inline data, or a local file (a printed
    report)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or parts.hostname in (
        "127.0.0.1",
        "localhost",
    )


@dataclass
class Browser:
    context: object  # playwright BrowserContext
    refused: list[str] = field(default_factory=list)  # requests that would have left the machine


@contextlib.contextmanager
def chromium(folder: Path, width: int = 1400, height: int = 1000) -> Iterator[Browser]:
    """Debian's Chromium, headless, with a fresh profile in ``folder``; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(folder / "chromium-profiili"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height},
        )
        browser = Browser(context)

        def refuse(route) -> None:
            browser.refused.append(route.request.url)
            route.abort()

        try:
            context.route(lambda url: not _is_loopback(url), refuse)
            yield browser
        finally:
            context.close()


class NotebookPage:
    """One notebook open in JupyterLab: run it, read its outputs and errors."""

    def __init__(self, browser: Browser, lab: JupyterLab, name: str) -> None:
        self.page = browser.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.console_errors.append(message.text),
        )
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.goto(lab.notebook_url(name))
        self.page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        self.wait_until_idle()

    def wait_until_idle(self, timeout: float = 120_000) -> None:
        """Until the notebook's kernel is connected and idle. The toolbar's execution indicator reads
        "idle" already before a kernel exists, so the status bar's "<kernel> | Idle" is needed too."""
        self.page.wait_for_function(
            """() => {
                const indicator = document.querySelector(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
                const status = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
                    .map(item => item.textContent.trim());
                return indicator?.dataset.status === 'idle'
                    && status.some(text => /\\|\\s*Idle$/.test(text) && !text.startsWith('No Kernel'));
            }""",
            timeout=timeout,
            polling=100,
        )

    def run_all(self, timeout: float = 180_000) -> None:
        """Run > Run All Cells, then wait until no cell is queued or running any more. A cell's
        prompt reads [*] from the moment it is queued; a mutation observer notes that the run has
        begun, however quickly the cells finish."""
        self.page.evaluate(
            """() => {
                const notebook = document.querySelector(
                    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
                window.__runStarted = false;
                const queued = () => [...notebook.querySelectorAll('.jp-InputPrompt')]
                    .some(prompt => prompt.textContent.includes('*'));
                window.__cellsQueued = queued;
                new MutationObserver(() => { if (queued()) window.__runStarted = true; })
                    .observe(notebook, {subtree: true, childList: true, characterData: true});
            }"""
        )
        self.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator(".lm-Menu-item:not(.lm-mod-hidden) .lm-Menu-itemLabel").filter(
            has_text=re.compile(r"^Run All Cells$")
        ).first.click()
        self.page.wait_for_function(
            "() => window.__runStarted && !window.__cellsQueued()", timeout=timeout, polling=100
        )
        self.wait_until_idle(timeout)

    def error_outputs(self) -> list[str]:
        return [text.strip() for text in self.page.locator(ERROR_OUTPUTS).all_inner_texts()]


# The explorer's widgets (kustannukset.scenarios.explorer.widgets) as ipywidgets 8 draws them: a
# box (CSS class selain-naytto) holds HTML widgets, among them the text table (selain-taulukko, a
# <pre>), the figure (selain-kuva, an <img> with a PNG data URL) and the areas' legend
# (selain-selite); the save form's outcome is another (selain-tallennettu).
OUTPUT = ".selain-naytto"
TABLE = f"{OUTPUT} .selain-taulukko pre"
FIGURE = f"{OUTPUT} .selain-kuva img"
LEGEND = f"{OUTPUT} .selain-selite"
SAVED = ".selain-tallennettu"
DROPDOWN = ".widget-dropdown"  # <label>municipality</label><select>areas</select>
SLIDER = ".widget-slider"  # noUiSlider: .noUi-base is the track, .noUi-handle the handle
UPDATE_TIMEOUT = 60_000  # ms; a limit for a hung update, not a speed requirement


class ExplorerWidgets:
    """The explorer's controls and display in a page where its notebook has run."""

    def __init__(self, page) -> None:
        self.page = page

    def wait_until_drawn(self, timeout: float = UPDATE_TIMEOUT) -> None:
        """Until the controls, the table and the figure are drawn, or a cell shows an error."""
        self.page.wait_for_function(
            """([dropdown, slider, table, figure, errors]) =>
                document.querySelector(errors) !== null || (
                    document.querySelector(`${dropdown} select`) !== null
                    && document.querySelector(`${slider} .noUi-handle`) !== null
                    && (document.querySelector(table)?.textContent ?? '').trim() !== ''
                    && (document.querySelector(figure)?.getAttribute('src') ?? '') !== '')""",
            arg=[DROPDOWN, SLIDER, TABLE, FIGURE, ERROR_OUTPUTS],
            timeout=timeout,
            polling=100,
        )

    def table(self) -> str:
        return "".join(self.page.locator(TABLE).all_text_contents())

    def figure(self) -> str:
        """The figure's image (its data URL); empty when none is shown."""
        image = self.page.locator(FIGURE)
        return (image.first.get_attribute("src") or "") if image.count() else ""

    def legend(self) -> str:
        return "".join(self.page.locator(LEGEND).all_text_contents())

    def save(self, name: str, timeout: float = UPDATE_TIMEOUT) -> str:
        """Type ``name`` into the save form, press Tallenna and return what it says (once it says
        something new)."""
        before = self.page.locator(SAVED).inner_text()
        field = self.page.locator(".widget-text").filter(
            has=self.page.locator("label", has_text=re.compile(r"^\s*Nimi\s*$"))
        )
        field.locator("input").fill(name)
        field.locator("input").press("Enter")
        self.page.locator("button", has_text="Tallenna").click()
        self.page.wait_for_function(
            """([selector, before]) => {
                const now = (document.querySelector(selector)?.innerText ?? '').trim();
                return now !== '' && now !== before.trim();
            }""",
            arg=[SAVED, before],
            timeout=timeout,
            polling=100,
        )
        return self.page.locator(SAVED).inner_text()

    def municipalities(self) -> list[str]:
        labels = self.page.locator(f"{DROPDOWN} label").all_text_contents()
        return [label.strip() for label in labels]

    def dropdown(self, municipality: str):
        label = self.page.locator("label").filter(
            has_text=re.compile(rf"^\s*{re.escape(municipality)}\s*$")
        )
        return self.page.locator(DROPDOWN).filter(has=label).locator("select")

    def areas(self, municipality: str) -> list[str]:
        # ipywidgets shows the spaces of an option as no-break spaces
        options = self.dropdown(municipality).locator("option").all_text_contents()
        return [option.replace("\xa0", " ").strip() for option in options]

    def area(self, municipality: str) -> str:
        return self.areas(municipality)[
            self.dropdown(municipality).evaluate("s => s.selectedIndex")
        ]

    def choose_area(self, municipality: str, area: str) -> None:
        self.dropdown(municipality).select_option(index=self.areas(municipality).index(area))

    def slider_values(self) -> list[float]:
        handles = self.page.locator(f"{SLIDER} .noUi-handle")
        return [float(v) for v in handles.evaluate_all("hs => hs.map(h => h.ariaValueNow)")]

    def slider_point(self, index: int, fraction: float) -> tuple[float, float]:
        """The page coordinates of ``fraction`` (0…1) along slider ``index``'s track."""
        track = self.page.locator(f"{SLIDER} .noUi-base").nth(index)
        track.scroll_into_view_if_needed()
        box = track.bounding_box()
        return box["x"] + fraction * box["width"], box["y"] + box["height"] / 2

    def handle_point(self, index: int) -> tuple[float, float]:
        handle = self.page.locator(f"{SLIDER} .noUi-handle").nth(index)
        handle.scroll_into_view_if_needed()
        box = handle.bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def drag_slider(self, index: int, fraction: float, steps: int = 5) -> None:
        """Press slider ``index``'s handle, drag it to ``fraction`` of its track and release."""
        start = self.handle_point(index)
        target = self.slider_point(index, fraction)
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        mouse.move(*target, steps=steps)
        mouse.up()

    def wait_for_update(
        self, table: str, figure: str, timeout: float = UPDATE_TIMEOUT
    ) -> tuple[str, str]:
        """The table and figure once both differ from ``table`` and ``figure``; what is shown when
        ``timeout`` ms pass first (the caller checks what changed)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):
            self.page.wait_for_function(
                """([tableSelector, figureSelector, table, figure]) => {
                    const now = [...document.querySelectorAll(tableSelector)]
                        .map(e => e.textContent).join('');
                    const image = document.querySelector(figureSelector)?.getAttribute('src') ?? '';
                    return now !== '' && now !== table && image !== '' && image !== figure;
                }""",
                arg=[TABLE, FIGURE, table, figure],
                timeout=timeout,
                polling=100,
            )
        return self.table(), self.figure()
