"""What the yearly notebook (notebooks/vuosiraportti.ipynb) shows, as functions: the notebook holds
no formula, only calls to these."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.money import EXACT_SUM, PUBLISHED, RULE_DESCRIPTIONS, to_euros
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.years import parse_year
from kustannukset.shared_costs.division import (
    CARRIER_NOBODY,
    CARRIERS,
    non_lead_share,
    round_division,
)
from kustannukset.shared_costs.pricing import (
    YearInputs,
    available_years,
    cost_table,
    key_label_of,
    load_year,
    published_layout,
)
from kustannukset.shared_costs.workbook import price_table_workbook
from kustannukset.stats import coverage as kattavuus
from kustannukset.view import charts
from kustannukset.view.formatting import date, euros, percent
from kustannukset.view.tables import Table, percent_format

WHAT_IF_DISCOUNT_DATE = dt.date(2021, 1, 1)


def validate_parameters(vuosi: object, data_kansio: object = "") -> YearInputs:
    """Check the notebook's parameters and read the year's inputs; a mistake is a Finnish error."""
    year = parse_year(vuosi, what="parametri vuosi")
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    return load_year(year, data_dir)


def banner(inputs: YearInputs) -> str:
    """Markdown shown at the top: the year, and a warning when the figures are an estimate."""
    text = f"# Kuntien maksuosuudet {inputs.label}\n\n"
    if inputs.is_estimate:
        text += f"> **ARVIO – ei vahvistettu hintataulukko.** {inputs.services[0].source}\n\n"
    text += (
        f"Yhteiset kustannukset jaetaan {len(inputs.division_input.key)} kokeilukunnan kesken "
        f"suhteessa mittariin *{key_label_of(inputs)}*. Vastuukunta: "
        f"{inputs.division_input.names[inputs.division_input.lead]}."
    )
    return text


def estimate_notice(inputs: YearInputs) -> str:
    """The notice every table and chart of an estimated year carries."""
    return (
        f"ARVIO: vuoden {inputs.year} luvut ovat arvio, eivät julkaistu hintataulukko."
        if (inputs.is_estimate)
        else ""
    )


def inputs_table(inputs: YearInputs) -> Table:
    """The services with their costs, flat rate and source."""
    rows = [
        {
            "Palvelu": s.name,
            "Kulut/vuosi €": int(s.cost) if s.cost.denominator == 1 else float(s.cost),
            "Kustannusvuosi": str(s.cost_year or ""),
            "Tila": s.status,
        }
        for s in inputs.services
    ]
    return Table(
        pd.DataFrame(rows),
        {"Kustannusvuosi": str},
        caption=f"Palvelujen kulut (flat rate {euros(inputs.division_input.flat_rate_pct)} %)",
        notice=estimate_notice(inputs),
    )


def sources_text(inputs: YearInputs) -> str:
    """Markdown list of where each input comes from."""
    coverage = kattavuus.note(
        inputs.statistics, inputs.key_measure, inputs.key_year, inputs.division_input.key
    )
    lines = [
        f"- **Palvelujen kulut**: {inputs.services[0].source}",
        f"- **Flat rate**: {inputs.flat_rate_source}",
        f"- **Jakoperuste**: {coverage}",
        f"- **Alennukset** (voimassa {date(inputs.discount_date)}): {inputs.discount_source}",
        f"- Parametritiedosto: `{inputs.params.path.name}`, tilastot: `data/tilastot/`",
    ]
    return "\n".join(lines)


def cost_summary(inputs: YearInputs) -> Table:
    frame = cost_table(inputs)
    return Table(
        frame,
        {"HTV": lambda v: euros(v, 2)},
        caption=f"Kokeilun jaettavat kustannukset {inputs.label}",
        notice=estimate_notice(inputs),
    )


def key_shares(inputs: YearInputs) -> Table:
    division = inputs.divide()
    frame = pd.DataFrame(
        {
            "Kunta": [inputs.division_input.names[c] for c in division.codes],
            "Kuntanumero": division.codes,
            key_label_of(inputs): [int(inputs.division_input.key[c]) for c in division.codes],
            "%-osuus": [float(division.key_share(c)) for c in division.codes],
        }
    )
    return Table(
        frame,
        {"%-osuus": percent_format(2)},
        caption=f"Jakoperusteen osuudet {inputs.label}",
        notice=estimate_notice(inputs),
    )


def price_table(inputs: YearInputs, rule: str = PUBLISHED) -> Table:
    """The price table in the published layout, with the Summa row."""
    frame = published_layout(inputs, rule)
    return Table(
        frame,
        {"%-osuus": percent_format(1), "Alennus %": lambda v: "" if pd.isna(v) else f"{v:g} %"},
        caption=f"Kuntien maksuosuudet {inputs.label} (pyöristys: {rule})",
        notice=estimate_notice(inputs),
    )


def non_lead_text(inputs: YearInputs) -> str:
    division = inputs.divide()
    published = non_lead_share(division, PUBLISHED)
    exact = non_lead_share(division, EXACT_SUM)
    lead = inputs.division_input.names[inputs.division_input.lead]
    return (
        f"Yhteensä kuntien osuus (muut kuin {lead}): {euros(published.total)} € "
        f"= {percent(published.share, 1)} kustannuksista "
        f"(hintataulukossa pyöristettynä {percent(published.share, 0)}).\n"
        f"Palveluittain: "
        + ", ".join(f"{s.heading} {euros(published.per_service[s.code])}" for s in inputs.services)
        + f".\nTasasummapyöristyksellä kuntien osuus on {euros(exact.total)} €."
    )


def rounding_differences(inputs: YearInputs) -> Table:
    """Where the two rounding rules give different payments, and by how much."""
    division = inputs.divide()
    published = round_division(division, PUBLISHED).set_index("kuntanumero")
    exact = round_division(division, EXACT_SUM).set_index("kuntanumero")
    diff = exact["maksuosuus"] - published["maksuosuus"]
    changed = diff[diff != 0].index
    frame = pd.DataFrame(
        {
            "Kunta": published.loc[changed, "kunta"],
            "Julkaistu €": published.loc[changed, "maksuosuus"],
            "Tasasumma €": exact.loc[changed, "maksuosuus"],
            "Ero €": diff[changed],
        }
    ).reset_index(drop=True)
    total_pub = int(published["maksuosuus"].sum())
    total_exact = int(exact["maksuosuus"].sum())
    caption = (
        f"Pyöristyssääntöjen erot: julkaistu-säännön maksuosuuksien summa {euros(total_pub)} €, "
        f"tasasumman {euros(total_exact)} € (kustannukset yhteensä "
        f"{euros(to_euros(division.pool))} €); eroja {len(changed)} kunnalla"
    )
    return Table(frame, caption=caption, notice=estimate_notice(inputs))


def rounding_rules_text() -> str:
    return "\n".join(
        f"- **{rule}**: {text.split(': ', 1)[1]}" for rule, text in RULE_DESCRIPTIONS.items()
    )


def what_if_discounts(inputs: YearInputs, on: dt.date = WHAT_IF_DISCOUNT_DATE) -> Table:
    """The year's table with the discounts in force on ``on`` (2021: Sastamala pays 80 %), under
    each way of carrying the discounted amount."""
    base = round_division(inputs.divide(), PUBLISHED).set_index("kuntanumero")
    frame = pd.DataFrame({"Kunta": base["kunta"], "Ilman alennusta": base["maksuosuus"]})
    for carrier, label in CARRIERS.items():
        alt = load_year(inputs.year, inputs.statistics.data_dir, carrier=carrier, discounts_on=on)
        table = round_division(alt.divide(), PUBLISHED).set_index("kuntanumero")
        frame[_carrier_heading(carrier)] = table["maksuosuus"]
        del label
    frame = frame.reset_index(drop=True)
    total = {"Kunta": "Summa", **{c: int(frame[c].sum()) for c in frame.columns[1:]}}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    return Table(
        frame,
        caption=f"Mitä jos: vuoden {inputs.label} taulukko alennuksilla, jotka olivat voimassa "
        f"{date(on)} (maksuosuudet €; rivien summa)",
        notice=estimate_notice(inputs),
    )


def _carrier_heading(carrier: str) -> str:
    return {
        CARRIER_NOBODY: "Alennus, ei katettu",
        "vastuukunta": "Alennus, vastuukunta kattaa",
        "muut": "Alennus, muut kattavat",
    }[carrier]


def payment_chart(inputs: YearInputs):
    table = round_division(inputs.divide(), PUBLISHED)
    return charts.payment_bars(
        table["kunta"],
        table["maksuosuus"],
        title=f"Maksuosuus {inputs.label}",
        xlabel="euroa",
        notice=estimate_notice(inputs),
    )


def per_capita_chart(inputs: YearInputs):
    table = round_division(inputs.divide(), PUBLISHED)
    population = pd.Series([float(inputs.division_input.key[c]) for c in table["kuntanumero"]])
    return charts.payment_bars(
        table["kunta"],
        table["maksuosuus"] / population,
        title=f"Maksuosuus asukasta kohden {inputs.label} ({key_label_of(inputs)})",
        xlabel="euroa / asukas",
        decimals=2,
        notice=estimate_notice(inputs),
    )


def state_funded_text(inputs: YearInputs) -> str:
    return "\n".join(
        f"- **{s['nimi']}** ({s['rahoitus']}): {s['sisalto']}" for s in inputs.state_funded
    )


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The yearly division reports for ``kustannukset raportti``: one per year with data."""
    known = available_years(data_dir)
    chosen = [year for year in years if year in known] if years is not None else known
    out = []
    for year in chosen:

        def check(year=year):
            return load_year(year, data_dir)

        def excel(path: Path, year=year) -> None:
            price_table_workbook(load_year(year, data_dir), path)

        out.append(
            Job(
                notebook="vuosiraportti.ipynb",
                parameters={"vuosi": year, "data_kansio": data_parameter(data_dir)},
                subdir=str(year),
                stem=f"maksuosuudet_{year}",
                title=f"Kuntien maksuosuudet {year}",
                check=check,
                excel=excel,
                excel_name=f"hintataulukko_{year}.xlsx",
            )
        )
    return out
