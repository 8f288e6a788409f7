"""The yearly price table as an Excel workbook, laid out like the official one."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from kustannukset.core.money import EXACT_SUM, PUBLISHED, RULE_DESCRIPTIONS
from kustannukset.shared_costs.pricing import YearInputs, cost_table, published_layout
from kustannukset.stats import coverage as kattavuus
from kustannukset.view.excel import BOLD, DECIMAL_FORMAT, PERCENT_FORMAT, WARNING, write_frame


def price_table_workbook(inputs: YearInputs, path: Path) -> None:
    """The year's price table (as published), the exact-sum invoices and the sources."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"Hinnat {inputs.year}"[:31]
    ws["A1"] = f"Hinnat vuodelle {inputs.label}"
    ws["A1"].font = Font(bold=True, size=14)
    row = 2
    if inputs.is_estimate:
        ws.cell(row=row, column=1, value=f"ARVIO – {inputs.services[0].source}").font = WARNING
        row += 1
    ws.cell(row=row, column=1, value="Pyöristys: " + RULE_DESCRIPTIONS[PUBLISHED])
    row += 2
    costs = cost_table(inputs)
    row = write_frame(ws, costs, row, {"HTV": DECIMAL_FORMAT})
    ws.cell(row=row, column=1, value=f"Kuntien maksuosuudet {inputs.label}").font = BOLD
    layout = published_layout(inputs, PUBLISHED)
    layout["Alennus %"] = layout["Alennus %"] / 100
    write_frame(ws, layout, row + 1, {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT})
    ws.freeze_panes = None

    invoices = wb.create_sheet("Laskut (tasasumma)")
    invoices["A1"] = f"Laskut {inputs.label}: " + RULE_DESCRIPTIONS[EXACT_SUM]
    invoices["A1"].font = BOLD
    if inputs.is_estimate:
        invoices["A2"] = "ARVIO"
        invoices["A2"].font = WARNING
    exact = published_layout(inputs, EXACT_SUM)
    exact["Alennus %"] = exact["Alennus %"] / 100
    write_frame(invoices, exact, 3, {"%-osuus": PERCENT_FORMAT, "Alennus %": PERCENT_FORMAT})

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
    for r, (what, text) in enumerate(lines, start=1):
        sources.cell(row=r, column=1, value=what).font = BOLD
        sources.cell(row=r, column=2, value=text)
    sources.column_dimensions["A"].width = 18
    sources.column_dimensions["B"].width = 120
    wb.save(path)
