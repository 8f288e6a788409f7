"""The yearly price table as an Excel workbook, laid out like the official one."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

from kustannukset.core.money import EXACT_SUM, PUBLISHED, RULE_DESCRIPTIONS
from kustannukset.shared_costs.pricing import YearInputs, cost_table, published_layout
from kustannukset.stats import coverage as kattavuus
from kustannukset.view.excel import (
    BOLD,
    DECIMAL_FORMAT,
    NORMAL,
    PERCENT_FORMAT,
    TITLE,
    notices,
    put,
    save,
    write_frame,
)


def estimate_notice(inputs: YearInputs) -> str:
    """The estimate notice: the cost source's own text, marked ARVIO once."""
    source = inputs.services[0].source.strip()
    return source if source.upper().startswith("ARVIO") else f"ARVIO – {source}"


def price_table_workbook(inputs: YearInputs, path: Path) -> None:
    """The year's price table (as published), the exact-sum invoices and the sources."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Hinnat {inputs.year}"
    put(ws, 1, 1, f"Hinnat vuodelle {inputs.label}", TITLE)
    notice = [estimate_notice(inputs)] if inputs.is_estimate else []
    row = notices(ws, notice)
    put(ws, row, 1, "Pyöristys: " + RULE_DESCRIPTIONS[PUBLISHED], NORMAL)
    row += 2
    costs = cost_table(inputs)
    row = write_frame(ws, costs, row, {"HTV": DECIMAL_FORMAT}, main=False)
    put(ws, row, 1, f"Kuntien maksuosuudet {inputs.label}", BOLD)
    layout = published_layout(inputs, PUBLISHED)
    layout["Alennus %"] = layout["Alennus %"] / 100
    # the municipalities' rows scroll under their own header, which every printed page repeats
    write_frame(
        ws,
        layout,
        row + 1,
        {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT},
        main=True,
    )

    invoices = wb.create_sheet("Laskut (tasasumma)")
    put(invoices, 1, 1, f"Laskut {inputs.label}: " + RULE_DESCRIPTIONS[EXACT_SUM], TITLE)
    row = notices(invoices, notice) + 1
    exact = published_layout(inputs, EXACT_SUM)
    exact["Alennus %"] = exact["Alennus %"] / 100
    write_frame(invoices, exact, row, {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT})

    sources = wb.create_sheet("Lähteet")
    lines = [
        ("Palvelujen kulut", inputs.services[0].source),
        ("Flat rate", inputs.flat_rate_source),
        (
            "Jakoperuste",
            kattavuus.note(
                inputs.statistics, inputs.key_measure, inputs.key_year, inputs.division_input.key
            ),
        ),
        ("Alennukset", inputs.discount_source),
        ("Tila", "ARVIO" if inputs.is_estimate else "julkaistu hintataulukko"),
    ]
    put(sources, 1, 1, f"Lähteet {inputs.label}", TITLE)
    row = notices(sources, notice) + 1
    for r, (what, text) in enumerate(lines, start=row):
        put(sources, r, 1, what, BOLD)
        put(sources, r, 2, text, NORMAL).alignment = Alignment(wrap_text=True, vertical="top")
    sources.column_dimensions["A"].width = 18
    sources.column_dimensions["B"].width = 100
    for r in range(row, row + len(lines)):
        text = str(sources.cell(row=r, column=2).value)
        sources.row_dimensions[r].height = 15 * (len(text) // 95 + 1) + 2
    save(wb, path, status="ARVIO" if inputs.is_estimate else "")
