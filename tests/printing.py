"""A report printed to A4 as a reader's browser prints it: Debian's Chromium driven by Playwright
(``tests/jupyterlab_selain.chromium``), the page's own print stylesheet (``@page``), and what is on
the paper read back from the PDF with poppler's ``pdfinfo`` and ``pdftotext``.

:func:`print_report` returns the page count, each page's text, every table, image or block of
text that is wider than the printable area (it would be cut at the page edge or shrink the page),
and the table headers (``<th>``) of the HTML that are not on the paper (cut off at the page edge, or
read apart from a neighbour's). Shared by the print tests of every report and municipality card;
:func:`print_reports` prints many with one browser.
"""

from __future__ import annotations

import html as html_module
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.jupyterlab_selain import chromium
from tests.jupyterlab_selain import missing as browser_missing

MM = 96 / 25.4  # CSS pixels per millimetre
A4_LANDSCAPE_MM = (297, 210)
A4_PORTRAIT_MM = (210, 297)

# Elements that must fit the printable width: a wider one is cut at the page edge.
MEASURED = "table, img, svg, pre, .jp-RenderedImage, .jp-RenderedSVG"
# Pictures that must fit one printed page: a taller one is sliced between two pages.
WHOLE = "img, svg"

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

_TALL = """
([selector, limit]) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.getBoundingClientRect().height > limit + 1)
  .map(el => `${el.tagName.toLowerCase()} ${Math.round(el.getBoundingClientRect().height)} px`
    + ` > ${Math.round(limit)} px: ${el.getAttribute('alt') || el.className || ''}`)
"""


@dataclass
class Printed:
    pdf: Path
    pages: int
    page_texts: list[str]
    too_wide: list[str] = field(default_factory=list)  # elements wider than the printable area
    lost_headers: list[str] = field(default_factory=list)  # table headers not on the paper
    too_tall: list[str] = field(default_factory=list)  # pictures higher than the printable area

    @property
    def first_page(self) -> str:
        return self.page_texts[0] if self.page_texts else ""


def _squashed(text: str) -> str:
    """Text without any white space, in lower case: a header wrapped on paper reads as one."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " ")).lower()


def table_headers(html: str) -> list[str]:
    """The text of every ``<th>`` of the HTML, once each."""
    found = re.findall(r"<th\b[^>]*>(.*?)</th>", html, flags=re.DOTALL | re.IGNORECASE)
    texts = [" ".join(html_module.unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in found]
    return sorted({t for t in texts if t})


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
    sizes = re.findall(r"@page\s*{[^}]*?(?<![-\w])size:\s*([^;}]+)", html)
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
    first = Path(htmls[0]).read_text(encoding="utf-8")
    width_mm, height_mm = _page_size_mm(first)
    margin = _margins_mm(first)

    def in_browser() -> list[tuple[Path, list[str], list[str]]]:
        measured = []
        with chromium(
            out_dir,
            width=int((width_mm - 2 * margin) * MM),
            height=int((height_mm - 2 * margin) * MM),
        ) as b:
            for n, html in enumerate(htmls):
                html = Path(html)
                name = html.stem if len(htmls) == 1 else f"{n}-{html.parent.name}-{html.stem}"
                pdf = out_dir / f"{name}.pdf"
                text = html.read_text(encoding="utf-8")
                page_w, page_h = _page_size_mm(text)
                own_margin = _margins_mm(text)
                printable = (page_w - 2 * own_margin) * MM
                printable_height = (page_h - 2 * own_margin) * MM
                page = b.context.new_page()
                page.goto(html.resolve().as_uri(), wait_until="load")
                page.emulate_media(media="print")
                wide = page.evaluate(_MEASURE, [MEASURED, printable])
                tall = page.evaluate(_TALL, [WHOLE, printable_height])
                page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
                page.close()
                if b.refused:  # a report opens whole offline: nothing may be fetched from elsewhere
                    raise AssertionError(f"{html.name} haki verkosta: {b.refused}")
                measured.append((pdf, wide, tall))
        return measured

    # Playwright's synchronous API refuses a thread whose asyncio loop runs (a test before may
    # have left one, e.g. a kernel client's): the browser gets a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        measured = pool.submit(in_browser).result()
    return [
        _read_back(Path(html), pdf, wide, tall)
        for html, (pdf, wide, tall) in zip(htmls, measured, strict=True)
    ]


def _read_back(html: Path, pdf: Path, too_wide: list[str], too_tall: list[str]) -> Printed:
    """What is on the paper: pages, each page's text, and the table headers that are not there."""
    text = html.read_text(encoding="utf-8")
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
    # As a reader's eye takes it (poppler's reading order, not the layout): a header wrapped into
    # lines is found when its lines follow each other, not interleaved with a neighbour's.
    read = _squashed(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )
    lost = [h for h in table_headers(text) if _squashed(h) not in read]
    return Printed(pdf, pages, texts, too_wide, lost, too_tall)
