"""The card's two charts as inline SVG: the decided areas' payment with each key, and the payment
over every legal partition.

A card's charts are small and the card is printed: drawn as SVG in the page they print sharp at
any size and print whatever the browser's "background graphics" setting, their text is text (it
reads back from the PDF), and a chart takes a millisecond instead of a matplotlib figure's tenth
of a second, so that a batch of cards renders fast. The numbers on them are formatted like the
tables' (:mod:`kustannukset.view.formatting`).
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from kustannukset.cards.card import Card
from kustannukset.view.formatting import axis_number, euros

WIDTH = 330  # CSS pixels: a column of the printed card (about 88 mm)
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'
SIZE = 9  # px, about 6.8 pt
BAR = "#8fb3d9"
DECIDED_BAR = "#2b6ca3"
FUNDING = "#1b7837"
REPORTED = "#c00000"
RANGE = "#7570b3"
BOX = "#cbc9e2"
DECIDED_POINT = "#d95f02"
AXIS = "#444444"


@dataclass(frozen=True)
class Svg:
    """A chart: inline SVG in the report, its title as plain text for nbval."""

    markup: str
    title: str

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return f"Kaavio: {self.title}"


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """About ``count`` ticks from 0 to at least ``high`` at a step of 1, 2, 2,5 or 5 times a power
    of ten."""
    if high <= 0:
        return [0.0]
    raw = high / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [i * step for i in range(math.ceil(high / step) + 1)]


def _text(
    x: float,
    y: float,
    text: str,
    *,
    anchor: str = "start",
    colour: str = "black",
    size: float = SIZE,
    kind: str = "",
) -> str:
    """A line of text; ``kind`` (the class) names what it is, such as a bar's value ('arvo')."""
    named = f' class="{kind}"' if kind else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{colour}"{named}>{html.escape(text)}</text>'
    )


def _lines(x: float, y: float, lines: Sequence[str], anchor: str, line_height: float) -> str:
    """Text of one or more lines, centred vertically on ``y``."""
    first = y - (len(lines) - 1) * line_height / 2 + SIZE * 0.35
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + i * line_height:.1f}">{html.escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="{SIZE}" text-anchor="{anchor}">{spans}</text>'


def _svg(height: float, body: list[str], title: str) -> Svg:
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kortti-kaavio" width="{WIDTH}" '
        f'height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" {FONT} role="img" '
        f'aria-label="{html.escape(title)}">' + "".join(body) + "</svg>"
    )
    return Svg(markup, title)


def _label(text: str, width: int = 24) -> list[str]:
    """A label on one line, or on two of about equal length."""
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, len(text) // 2 + 3)[:2]


def key_chart(card: Card) -> Svg | None:
    """The decided areas' payment with each key (C, C1–C6) as bars, the decided key's darker;
    the municipality's state-funding estimate and, on the checked municipality's card, its
    reported payment as vertical lines."""
    rows = [a for a in card.key_variants if a.payment is not None]
    if not rows:
        return None
    funding = next((a.funding for a in rows if a.funding is not None), None)
    reported = card.reality.reported_2025 if card.reality is not None else None
    left, right, top, row, bottom = 122.0, WIDTH - 52.0, 14.0, 21.0, 25.0
    height = top + row * len(rows) + bottom
    ticks = nice_ticks(max([a.payment for a in rows] + [funding or 0, reported or 0]), 3)
    scale = (right - left) / ticks[-1] if ticks[-1] else 0.0

    def x(value: float) -> float:
        return left + value * scale

    body = []
    axis_y = top + row * len(rows)
    for tick in ticks:
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 2:.1f}" x2="{x(tick):.1f}" y2="{axis_y + 3:.1f}" '
            f'stroke="#dddddd" stroke-width="0.6"/>'
        )
        body.append(_text(x(tick), axis_y + 12, axis_number(tick), anchor="middle", size=8))
    for i, alternative in enumerate(rows):
        y = top + i * row
        colour = DECIDED_BAR if alternative.is_decided else BAR
        width = max(alternative.payment * scale, 0.0)
        body.append(
            f'<rect x="{left:.1f}" y="{y + 3:.1f}" width="{width:.1f}" height="{row - 6:.1f}" '
            f'fill="{colour}"/>'
        )
        body.append(
            _lines(
                left - 4,
                y + row / 2,
                _label(f"{alternative.short} {alternative.key_short}"),
                "end",
                SIZE + 1,
            )
        )
        body.append(
            _text(left + width + 3, y + row / 2 + 3, euros(alternative.payment), kind="arvo")
        )
    body.append(
        f'<line x1="{left:.1f}" y1="{axis_y:.1f}" x2="{right:.1f}" y2="{axis_y:.1f}" '
        f'stroke="{AXIS}" stroke-width="0.8"/>'
    )
    body.append(_text((left + right) / 2, axis_y + 23, "maksuosuus, €", anchor="middle", size=8))
    marks = sorted(
        (value, label, colour, dash)
        for value, label, colour, dash in (
            (funding, "valtionosuusarvio", FUNDING, "2,2"),
            (reported, "raportoitu 2025", REPORTED, "5,2"),
        )
        if value is not None
    )
    for i, (value, label, colour, dash) in enumerate(marks):
        body.append(
            f'<line x1="{x(value):.1f}" y1="{top - 3:.1f}" x2="{x(value):.1f}" y2="{axis_y:.1f}" '
            f'stroke="{colour}" stroke-width="1.1" stroke-dasharray="{dash}"/>'
        )
        # two labels side by side: the left one ends at its line, the right one starts there
        anchor = "middle" if len(marks) == 1 else ("end" if i == 0 else "start")
        body.append(_text(x(value), top - 5, label, anchor=anchor, colour=colour, size=8))
    return _svg(height, body, f"{card.name}: maksuosuus jakoperusteittain")


def range_chart(card: Card) -> Svg | None:
    """The payment over every legal partition: the range (a line), the quartiles (a box), the
    median (a tick) and the decided areas (a point)."""
    r = card.range
    if r is None:
        return None
    s = r.stats
    left, right, height = 26.0, WIDTH - 26.0, 66.0
    low = min(s["Pienin"], r.decided if r.decided is not None else s["Pienin"])
    high = max(s["Suurin"], r.decided if r.decided is not None else s["Suurin"])
    ticks = _ticks_between(low, high)
    start, end = ticks[0], ticks[-1]
    scale = (right - left) / (end - start) if end > start else 0.0

    def x(value: float) -> float:
        return left + (value - start) * scale

    mid = 30.0
    body = [
        f'<line x1="{x(s["Pienin"]):.1f}" y1="{mid}" x2="{x(s["Suurin"]):.1f}" y2="{mid}" '
        f'stroke="{RANGE}" stroke-width="2"/>',
        f'<rect x="{x(s["Alakvartiili"]):.1f}" y="{mid - 6}" '
        f'width="{x(s["Yläkvartiili"]) - x(s["Alakvartiili"]):.1f}" height="12" fill="{BOX}" '
        f'stroke="{RANGE}" stroke-width="0.8"/>',
        f'<line x1="{x(s["Mediaani"]):.1f}" y1="{mid - 7}" x2="{x(s["Mediaani"]):.1f}" '
        f'y2="{mid + 7}" stroke="black" stroke-width="1.6"/>',
    ]
    if r.decided is not None:
        body.append(f'<circle cx="{x(r.decided):.1f}" cy="{mid}" r="4" fill="{DECIDED_POINT}"/>')
    axis_y = mid + 14
    body.append(
        f'<line x1="{left:.1f}" y1="{axis_y}" x2="{right:.1f}" y2="{axis_y}" stroke="{AXIS}" '
        'stroke-width="0.8"/>'
    )
    for tick in ticks:
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{axis_y}" x2="{x(tick):.1f}" y2="{axis_y + 3}" '
            f'stroke="{AXIS}" stroke-width="0.8"/>'
        )
        body.append(_text(x(tick), axis_y + 12, axis_number(tick), anchor="middle", size=8))
    legend = [
        (
            f'<line x1="0" y1="-3" x2="10" y2="-3" stroke="{RANGE}" stroke-width="2"/>',
            "pienin–suurin",
        ),
        (
            f'<rect x="0" y="-7" width="10" height="8" fill="{BOX}" stroke="{RANGE}" '
            'stroke-width="0.8"/>',
            "kvartiilit",
        ),
        ('<line x1="5" y1="-8" x2="5" y2="2" stroke="black" stroke-width="1.6"/>', "mediaani"),
    ]
    if r.decided is not None:
        legend.append(
            (f'<circle cx="5" cy="-3" r="3.5" fill="{DECIDED_POINT}"/>', "päätetyt alueet")
        )
    at = left
    for mark, label in legend:
        body.append(f'<g transform="translate({at:.1f},12)">{mark}</g>')
        body.append(_text(at + 13, 12, label, size=8))
        at += 13 + 4.6 * len(label) + 9
    return _svg(height, body, f"{card.name}: maksuosuus kaikissa laillisissa jaoissa")


def _ticks_between(low: float, high: float) -> list[float]:
    """Nice ticks that cover ``low``–``high`` (about four)."""
    span = max(high - low, 1.0)
    raw = span / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [(first + i) * step for i in range(last - first + 1)]
