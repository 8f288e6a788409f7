"""Benchmark of the scenario explorer in the browser: ``python bench/selain.py [--toistot N]``.

The same setup as the browser test (tests/jupyterlab_selain.py): JupyterLab on 127.0.0.1, Debian's
Chromium driven by Playwright, the explorer notebook run from the Run menu. Measured in the page
(``performance.now()``, a MutationObserver on the explorer's output) from the browser event of a
user's change (the dropdown's ``change``, the press on a slider's track) until
- the text table in the DOM differs from before, and
- the figure's image (its ``src``) differs from before,
as median and worst over N changes of each kind. Every change is one the explorer has not seen
before: the dropdowns move the municipalities in turn to their next area (so the areas drift), and
the slider is clicked at a new point each time; nothing is served from what an earlier change
computed, except the parts of the state it leaves as they were (the other areas).

The baseline is a second notebook in the same server and browser with the same controls (a
dropdown, a slider released to send its value) and the same display (an HTML table and an HTML
image) that only shows their values and one of two images of the explorer figure's size, drawn
beforehand: the round trip browser → kernel → browser with
no computation and no drawing, measured the same way. Changes of the two notebooks alternate.

Then a fast drag: the slider's handle is moved to the right end, back to the left end and on to a
point away from where it started (so that the released value differs), in many small steps within
about half a second, and released; measured is the time from the release until the display settles
(its last change before the output stays unchanged for a while with the kernel idle). A drag that
changes neither the table nor the figure is an error, not a time of zero.

Targets: median under 50 ms to the table, under 150 ms to the figure, and a display that settles
within 200 ms of the release.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kustannukset.core.paths import NOTEBOOKS_DIR
from tests.jupyterlab_selain import (
    EXPLORER,
    FIGURE,
    OUTPUT,
    SLIDER,
    TABLE,
    UPDATE_TIMEOUT,
    ExplorerWidgets,
    NotebookPage,
    chromium,
    jupyterlab,
    missing,
)

TARGET_TABLE_MS = 50
TARGET_FIGURE_MS = 150
TARGET_SETTLE_MS = 200
WARM_UP = 2  # changes of each kind before the measured ones
PAUSE = 0.3  # seconds between changes, after the kernel is idle again
DRAG_MOVES = 40
DRAG_SECONDS = 0.5
DRAGS = 3
# Where the slider is clicked along its track, in turn: each click a new value, well away from the
# handle (a click on the handle grabs it and changes nothing)
SLIDER_FRACTIONS = (0.3, 0.7, 0.2, 0.8, 0.4, 0.6, 0.1, 0.9, 0.35, 0.65, 0.25, 0.75, 0.45, 0.85, 0.5)
# Where the drags end, in turn: away from every click point and from each other, so that each drag
# releases a new value
DRAG_ENDS = (0.62, 0.38, 0.82)
QUIET = 1.5  # seconds without a change in the output: the display has settled

BASELINE = "perustaso.ipynb"
BASELINE_CELLS = [
    # Two images of the explorer figure's size, drawn before any change.
    """import io

import ipywidgets as w
import matplotlib.pyplot as plt
from IPython.display import Image, display


def kuva(n):
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 5.4), dpi=72)
    axes[0].barh([str(i) for i in range(30)], [i + n for i in range(30)])
    axes[1].plot(range(50), [(i * n) % 7 for i in range(50)])
    fig.tight_layout()
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=72)
    plt.close(fig)
    return png.getvalue()


kuvat = [kuva(1), kuva(2)]""",
    # The same controls as the explorer; a change only prints the values and shows an image.
    """import base64
import html

valinta = w.Dropdown(
    options=["Alue A", "Alue B"],
    description="Kunta",
    layout=w.Layout(width="300px"),
    style={"description_width": "120px"},
)
liuku = w.IntSlider(
    value=0, min=0, max=100, step=5, continuous_update=False, layout=w.Layout(width="260px")
)
taulukko = w.HTML().add_class("selain-taulukko")
kuva = w.HTML().add_class("selain-kuva")
laskuri = [0]
kuvat_url = [base64.b64encode(k).decode("ascii") for k in kuvat]


def paivita(_muutos=None):
    laskuri[0] += 1
    taulukko.value = "<pre>" + html.escape(f"{valinta.value} {liuku.value} ({laskuri[0]})") + "</pre>"
    kuva.value = f'<img src="data:image/png;base64,{kuvat_url[laskuri[0] % 2]}">'


valinta.observe(paivita, names="value")
liuku.observe(paivita, names="value")
paivita()
display(w.VBox([liuku, valinta, w.VBox([taulukko, kuva]).add_class("selain-naytto")]))""",
]

# In the page: notes the time of the user's event (capture phase, before any widget code) and,
# for each change of the output, whether the table text or the figure's src changed.
RECORDER = """([output, table, figure, slider, index]) => {
    const text = () => [...document.querySelectorAll(table)].map(e => e.textContent).join('');
    const image = () => document.querySelector(figure)?.getAttribute('src') ?? '';
    const m = window.__mittari = {rec: null};
    m.arm = () => {
        const t = text(), f = image();
        m.rec = {t0: null, released: null, table: null, figure: null, last: null,
                 tables: 0, figures: 0, values: 0, lastTable: t, lastFigure: f};
    };
    m.result = () => {
        const r = m.rec;
        return {t0: r.t0, released: r.released, table: r.table, figure: r.figure, last: r.last,
                tables: r.tables, figures: r.figures, values: r.values, now: performance.now()};
    };
    const start = () => { if (m.rec && m.rec.t0 === null) m.rec.t0 = performance.now(); };
    for (const type of ['change', 'pointerdown']) document.addEventListener(type, start, true);
    document.addEventListener('pointerup', () => {
        if (m.rec) m.rec.released = performance.now();
    }, true);
    new MutationObserver(() => {
        const r = m.rec;
        if (!r || r.t0 === null) return;
        const now = performance.now(), t = text(), f = image();
        if (t !== '' && t !== r.lastTable) {
            r.lastTable = t; r.tables++; r.last = now;
            if (r.table === null) r.table = now - r.t0;
        }
        if (f !== '' && f !== r.lastFigure) {
            r.lastFigure = f; r.figures++; r.last = now;
            if (r.figure === null) r.figure = now - r.t0;
        }
    }).observe(document.querySelector(output), {
        subtree: true, childList: true, characterData: true, attributes: true,
        attributeFilter: ['src'],
    });
    new MutationObserver(() => { if (m.rec && m.rec.t0 !== null) m.rec.values++; })
        .observe(document.querySelectorAll(slider)[index], {
            subtree: true, attributes: true, attributeFilter: ['aria-valuenow'],
        });
}"""


class Measured:
    """One notebook in its page, instrumented."""

    def __init__(self, notebook: NotebookPage, slider: int) -> None:
        self.notebook = notebook
        self.page = notebook.page
        self.widgets = ExplorerWidgets(self.page)
        self.slider = slider
        self.page.evaluate(RECORDER, [OUTPUT, TABLE, FIGURE, SLIDER, slider])

    def _arm(self) -> None:
        self.page.bring_to_front()
        self.page.evaluate("() => window.__mittari.arm()")

    def change(self, action) -> dict:
        """Time from the user's event to the new table and the new figure in the DOM."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        self._arm()
        before = self.widgets.slider_values()
        action()
        try:
            self.page.wait_for_function(
                """() => { const r = window.__mittari.rec;
                           return r.t0 !== null && r.table !== null && r.figure !== null; }""",
                timeout=UPDATE_TIMEOUT,
                polling=50,
            )
        except PlaywrightTimeout:
            result = self.page.evaluate("() => window.__mittari.result()")
            raise RuntimeError(
                f"no new table and figure in {UPDATE_TIMEOUT / 1000:.0f} s: {result}; sliders "
                f"{before} -> {self.widgets.slider_values()}"
            ) from None
        result = self.page.evaluate("() => window.__mittari.result()")
        self.notebook.wait_until_idle()
        time.sleep(PAUSE)
        return result

    def drag(self, end: float) -> dict:
        """A fast drag from the handle out to the right end, back to the left end and on to
        ``end`` (a fraction of the track, away from where the handle started, so that the released
        value differs); time from the release until the display settles."""
        handle = self.widgets.handle_point(self.slider)
        left, y = self.widgets.slider_point(self.slider, 0.0)
        right, _ = self.widgets.slider_point(self.slider, 1.0)
        start = (handle[0] - left) / (right - left)
        legs = [(start, 0.95), (0.95, 0.05), (0.05, end)]
        lengths = [abs(b - a) for a, b in legs]
        points = []
        for i in range(1, DRAG_MOVES + 1):
            along = sum(lengths) * i / DRAG_MOVES
            for (a, b), length in zip(legs, lengths, strict=True):
                if along <= length or (a, b) == legs[-1]:
                    fraction = a + (b - a) * min(1.0, along / length if length else 1.0)
                    break
                along -= length
            points.append((left + fraction * (right - left), y))
        self._arm()
        mouse = self.page.mouse
        mouse.move(*handle)
        mouse.down()
        for point in points:
            mouse.move(*point)
            time.sleep(DRAG_SECONDS / DRAG_MOVES)
        mouse.up()
        deadline = time.monotonic() + UPDATE_TIMEOUT / 1000
        while time.monotonic() < deadline:
            result = self.page.evaluate("() => window.__mittari.result()")
            quiet_since = max(result["last"] or 0, result["released"] or 0)
            if result["released"] and result["now"] - quiet_since > QUIET * 1000:
                self.notebook.wait_until_idle()
                result = self.page.evaluate("() => window.__mittari.result()")
                if result["now"] - max(result["last"] or 0, result["released"]) > QUIET * 1000:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("the display did not settle after the drag")
        if result["last"] is None or not (result["tables"] and result["figures"]):
            raise RuntimeError(
                "the drag changed nothing in the display: "
                f"{result['tables']} tables, {result['figures']} figures"
            )
        result["settle"] = max(0.0, result["last"] - result["released"])
        time.sleep(PAUSE)
        return result


def dropdown_action(measured: Measured, municipality: str, areas: list[str], i: int):
    return lambda: measured.widgets.choose_area(municipality, areas[i % 2])


def moving_action(measured: Measured, municipalities: list[str], i: int):
    """Municipality ``i`` (in turn) moves to the next area in its list: the areas drift, and each
    change is a state the explorer has not computed before."""
    municipality = municipalities[i % len(municipalities)]
    options = measured.widgets.areas(municipality)
    current = options.index(measured.widgets.area(municipality))
    target = options[(current + 1) % len(options)]
    return lambda: measured.widgets.choose_area(municipality, target)


def slider_action(measured: Measured, i: int):
    fraction = SLIDER_FRACTIONS[i % len(SLIDER_FRACTIONS)]
    return lambda: measured.page.mouse.click(
        *measured.widgets.slider_point(measured.slider, fraction)
    )


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toistot", type=int, default=15, help="changes of each kind (15)")
    args = parser.parse_args()
    reason = missing()
    if reason:
        print(reason)
        return 1

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="selain-bench-") as folder:
        folder = Path(folder)
        baseline = nbformat.v4.new_notebook()
        baseline.metadata = nbformat.read(NOTEBOOKS_DIR / EXPLORER, as_version=4).metadata
        baseline.cells = [nbformat.v4.new_code_cell(source) for source in BASELINE_CELLS]
        nbformat.write(baseline, folder / BASELINE)
        with (
            jupyterlab(folder / "lab", [NOTEBOOKS_DIR / EXPLORER, folder / BASELINE]) as lab,
            chromium(folder) as browser,
        ):
            pages = {}
            for name in (EXPLORER, BASELINE):
                notebook = NotebookPage(browser, lab, name)
                notebook.run_all()
                ExplorerWidgets(notebook.page).wait_until_drawn()
                if notebook.error_outputs():
                    raise RuntimeError(f"{name}: {notebook.error_outputs()}")
                pages[name] = notebook
            explorer_widgets = ExplorerWidgets(pages[EXPLORER].page)
            values = explorer_widgets.slider_values()
            explorer = Measured(pages[EXPLORER], values.index(min(values)))
            base = Measured(pages[BASELINE], 0)
            municipalities = explorer_widgets.municipalities()
            base_areas = ["Alue B", "Alue A"]

            results = {key: [] for key in ("explorer-dd", "base-dd", "explorer-sl", "base-sl")}
            for i in range(WARM_UP + args.toistot):
                round_ = [
                    (
                        "explorer-dd",
                        explorer.change(moving_action(explorer, municipalities, i)),
                    ),
                    ("base-dd", base.change(dropdown_action(base, "Kunta", base_areas, i))),
                    ("explorer-sl", explorer.change(slider_action(explorer, i))),
                    ("base-sl", base.change(slider_action(base, i))),
                ]
                if i >= WARM_UP:
                    for key, result in round_:
                        results[key].append(result)
            drags = {"explorer": [], "base": []}
            for i in range(DRAGS):
                end = DRAG_ENDS[i % len(DRAG_ENDS)]
                drags["explorer"].append(explorer.drag(end))
                drags["base"].append(base.drag(end))
            image_kb = {
                key: len(ExplorerWidgets(pages[name].page).figure()) / 1024
                for key, name in (("explorer", EXPLORER), ("base", BASELINE))
            }
            console = [e for p in pages.values() for e in p.console_errors]
            agent = pages[EXPLORER].page.evaluate("() => navigator.userAgent")
            version = next((w for w in agent.split() if "Chrome/" in w), agent)

    load_after = os.getloadavg()[0]
    print(f"Selain: {version}; {args.toistot} muutosta kutakin, selain ja perustaso vuorotellen")
    print(
        f"Perustaso: samat ohjaimet, muutos vain tulostaa arvot ja näyttää valmiin kuvan "
        f"(kuvat {image_kb['base']:.0f} kt; selaimen {image_kb['explorer']:.0f} kt)"
    )
    print(f"Koneen kuorma (1 min): {decimal(load_before)} alussa, {decimal(load_after)} lopussa")
    print()
    print("Viive käyttäjän muutoksesta DOM:iin, ms      mediaani          hitain")
    print("                                         selain   perus   selain   perus")
    rows = [
        ("pudotusvalikko → taulukko", "dd", "table"),
        ("pudotusvalikko → kuva", "dd", "figure"),
        ("liukusäädin → taulukko", "sl", "table"),
        ("liukusäädin → kuva", "sl", "figure"),
    ]
    medians = {}
    for label, kind, part in rows:
        ex = summary([r[part] for r in results[f"explorer-{kind}"]])
        ba = summary([r[part] for r in results[f"base-{kind}"]])
        medians[(kind, part)] = ex[0]
        print(f"{label:<40} {ex[0]:6.0f}  {ba[0]:6.0f}   {ex[1]:6.0f}  {ba[1]:6.0f}")
    print()
    settle = {key: summary([d["settle"] for d in runs]) for key, runs in drags.items()}
    print(
        f"Nopea veto ({DRAG_MOVES} siirtoa {decimal(DRAG_SECONDS)} s:ssa, {DRAGS} kertaa), "
        "näyttö asettuu vapautuksesta:"
    )
    for key, label in (("explorer", "selain"), ("base", "perus")):
        runs = drags[key]
        print(
            f"  {label:<7} mediaani {settle[key][0]:6.0f} ms, hitain {settle[key][1]:6.0f} ms; "
            f"arvoja {statistics.median([d['values'] for d in runs]):.0f}, "
            f"taulukon päivityksiä {statistics.median([d['tables'] for d in runs]):.0f}, "
            f"kuvan {statistics.median([d['figures'] for d in runs]):.0f}"
        )
    if console:
        print(f"Konsolin virheet: {console}")
    print()
    table = max(medians[("dd", "table")], medians[("sl", "table")])
    figure = max(medians[("dd", "figure")], medians[("sl", "figure")])
    ok = (
        table < TARGET_TABLE_MS
        and figure < TARGET_FIGURE_MS
        and settle["explorer"][0] < TARGET_SETTLE_MS
    )
    print(
        f"Tavoitteet: taulukko alle {TARGET_TABLE_MS} ms (mediaani {table:.0f}), kuva alle "
        f"{TARGET_FIGURE_MS} ms ({figure:.0f}), asettuminen alle {TARGET_SETTLE_MS} ms "
        f"({settle['explorer'][0]:.0f})."
    )
    print("Tavoitteet saavutettu." if ok else "TAVOITE EI TÄYTY.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
