"""A report printed to A4 as a reader's browser prints it: Debian's Chromium driven by Playwright
(``tests/jupyterlab_selain.chromium``), the page's own print stylesheet (``@page``), and what is on
the paper read back from the PDF with poppler's ``pdfinfo`` and ``pdftotext``.

:func:`print_report` returns the page count, each page's text, and every table, image or block of
text that is wider than the printable area (it would be cut at the page edge or shrink the page).
Shared by the print tests of every report and municipality card; :func:`print_reports` prints many
with one browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.jupyterlab_selain import chromium
from tests.jupyterlab_selain import missing as browser_missing

MM = 96 / 25.4  # CSS pixels per millimetre
A4_LANDSCAPE_MM = (297, 210)
A4_PORTRAIT_MM = (210, 297)

# Elements that must fit the printable width: a wider one is cut at the page edge.
MEASURED = "table, img, svg, pre, .jp-RenderedImage, .jp-RenderedSVG"

_MEASURE = """
([selector, limit]) => {
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const wide = Math.max(box.width, el.scrollWidth || 0);
    if (box.right > limit + 1 || wide > limit + 1) {
      const head = el.tagName === 'TABLE'
        ? Array.from(el.querySelectorAll('th')).map(t => t.innerText.trim()).slice(0, 4).join(' | ')
        : (el.getAttribute('alt') || el.className || '');
      found.push(`${el.tagName.toLowerCase()} ${Math.round(wide)} px > ${Math.round(limit)} px: ${head}`);
    }
  }
  return found;
}
"""


@dataclass
class Printed:
    pdf: Path
    pages: int
    page_texts: list[str]
    too_wide: list[str] = field(default_factory=list)  # elements wider than the printable area

    @property
    def first_page(self) -> str:
        return self.page_texts[0] if self.page_texts else ""


def missing() -> str | None:
    """Why a report cannot be printed here (no browser or no poppler), or None."""
    reason = browser_missing()
    if reason:
        return reason
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            return (
                f"{tool} puuttuu (apt-get install -y poppler-utils) / "
                f"{tool} is missing (apt-get install -y poppler-utils)"
            )
    return None


def _page_size_mm(html: str) -> tuple[float, float]:
    """The page size the report's stylesheet asks for (``@page { size: A4 landscape }``)."""
    sizes = re.findall(r"@page\s*{[^}]*size:\s*([^;}]+)", html)
    size = sizes[-1].strip().lower() if sizes else "a4"
    return A4_LANDSCAPE_MM if "landscape" in size else A4_PORTRAIT_MM


def _margins_mm(html: str) -> float:
    margins = re.findall(r"@page\s*{[^}]*margin:\s*([\d.]+)mm", html)
    return float(margins[-1]) if margins else 10.0


def print_report(html: Path, out_dir: Path) -> Printed:
    """Print ``html`` to ``out_dir/<stem>.pdf`` as Chromium prints it, and read the paper back."""
    return print_reports([html], out_dir)[0]


def print_reports(htmls: list[Path], out_dir: Path) -> list[Printed]:
    """:func:`print_report` for many reports with one browser (a municipality card each): each
    printed to ``out_dir/<n>-<folder>-<stem>.pdf``, ``n`` its place in ``htmls``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    width_mm, height_mm = _page_size_mm(Path(htmls[0]).read_text(encoding="utf-8"))
    margin = _margins_mm(Path(htmls[0]).read_text(encoding="utf-8"))
    printed = []
    with chromium(
        out_dir,
        width=int((width_mm - 2 * margin) * MM),
        height=int((height_mm - 2 * margin) * MM),
    ) as b:
        for n, html in enumerate(htmls):
            name = html.stem if len(htmls) == 1 else f"{n}-{html.parent.name}-{html.stem}"
            printed.append(_print(b, Path(html), out_dir / f"{name}.pdf"))
    return printed


def _print(b, html: Path, pdf: Path) -> Printed:
    text = html.read_text(encoding="utf-8")
    width_mm, _ = _page_size_mm(text)
    printable = (width_mm - 2 * _margins_mm(text)) * MM
    page = b.context.new_page()
    page.goto(html.resolve().as_uri(), wait_until="load")
    page.emulate_media(media="print")
    too_wide = page.evaluate(_MEASURE, [MEASURED, printable])
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.close()
    if b.refused:  # a report opens whole offline: nothing may be fetched from elsewhere
        raise AssertionError(f"{html.name} haki verkosta: {b.refused}")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    texts = [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    return Printed(pdf, pages, texts, too_wide)
