"""What the yearly notebook (notebooks/vuosiraportti.ipynb) shows, as functions: the notebook holds
no formula, only calls to these.

The report opens with :func:`summary` ("Yhteenveto": the price table's totals, what the lead and
the others pay, the largest payments, one chart), then the tables, and ends with
:func:`method_text` ("Menetelmä ja lähteet")."""

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
    round_division,
)
from kustannukset.shared_costs.pricing import (
    PriceSummary,
    YearInputs,
    available_years,
    cost_table,
    key_label_of,
    load_year,
    price_summary,
    published_layout,
)
from kustannukset.shared_costs.workbook import price_table_workbook
from kustannukset.stats import coverage as kattavuus
from kustannukset.view import charts
from kustannukset.view.formatting import date, euros, percent
from kustannukset.view.html import Banner
from kustannukset.view.labels import count
from kustannukset.view.summary import Summary
from kustannukset.view.tables import Table, percent_format

WHAT_IF_DISCOUNT_DATE = dt.date(2021, 1, 1)


def validate_parameters(vuosi: object, data_kansio: object = "") -> YearInputs:
    """Check the notebook's parameters and read the year's inputs; a mistake is a Finnish error."""
    year = parse_year(vuosi, what="parametri vuosi")
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    return load_year(year, data_dir)


def banner(inputs: YearInputs) -> Banner:
    """The report's title; an estimate's status goes to the header of every printed page (the
    summary below says how the estimate was made)."""
    return Banner(f"# Kuntien maksuosuudet {inputs.label}", "ARVIO" if inputs.is_estimate else "")


def summary_sentences(inputs: YearInputs, figures: PriceSummary) -> list[str]:
    """The answer in four or five sentences of plain Finnish."""
    lead = figures.lead
    others = [p for p in figures.largest if p.code != lead.code][:3]
    key = key_label_of(inputs)
    unit = "asukasta kohden" if inputs.key_measure == "vakiluku" else f"kohden ({key})"
    sentences = [
        f"Vuoden {inputs.year} hintataulukossa kokeilun yhteisiä kustannuksia jaetaan "
        f"{euros(figures.pool)} €: palvelujen kulut {euros(figures.costs)} € ja "
        f"{euros(figures.flat_rate_pct)} %:n flat rate {euros(figures.flat_rate)} €.",
        f"Jakoperusteena on {key[0].lower()}{key[1:]}: kustannukset jaetaan "
        f"{figures.municipalities} kokeilukunnan kesken sen suhteessa"
        + (
            f", joten jokainen kunta maksaa saman {euros(figures.per_key_unit, 2)} € {unit}."
            if figures.same_per_key_unit
            else f", ja alennuksia on yhteensä {euros(figures.discounts)} €."
        ),
        f"Vastuukunta {lead.name} maksaa {euros(lead.payment)} € "
        f"({percent(lead.share, 1)}), ja muut "
        f"{count(figures.municipalities - 1, 'kunta', 'kuntaa')} yhteensä "
        f"{euros(figures.others)} € ({percent(figures.others_share, 1)}).",
    ]
    if others:
        listed = [f"{p.name} {euros(p.payment)} €" for p in others]
        joined = ", ".join(listed[:-1]) + " ja " + listed[-1] if len(listed) > 1 else listed[0]
        sentences.append(f"Suurimmat maksuosuudet vastuukunnan jälkeen: {joined}.")
    return sentences


def summary(inputs: YearInputs) -> Summary:
    """Page 1, "Yhteenveto": the totals, the lead and the others, the largest payments, and every
    municipality's payment as a chart."""
    figures = price_summary(inputs)
    lead = figures.lead
    totals = pd.DataFrame(
        {
            "Erä": [
                "Palvelujen kulut",
                f"Flat rate {euros(figures.flat_rate_pct)} %",
                "Jaettavat kustannukset yhteensä",
                f"{lead.name} (vastuukunta)",
                f"Muut {count(figures.municipalities - 1, 'kunta', 'kuntaa')}",
            ],
            "€": [figures.costs, figures.flat_rate, figures.pool, lead.payment, figures.others],
            "Osuus": ["", "", "", percent(lead.share, 1), percent(figures.others_share, 1)],
        }
    )
    largest = pd.DataFrame(
        {
            "Kunta": [p.name for p in figures.largest],
            "Maksuosuus €": [p.payment for p in figures.largest],
            "Osuus": [percent(p.share, 1) for p in figures.largest],
        }
    )
    notice = estimate_source(inputs) if inputs.is_estimate else ""
    return Summary(
        summary_sentences(inputs, figures),
        [
            Table(totals, {"Osuus": str}, caption=f"Kustannukset ja maksut {inputs.label}"),
            Table(largest, {"Osuus": str}, caption="Suurimmat maksuosuudet"),
        ],
        payment_chart(inputs, compact=True),
        notice=notice,
    )


def estimate_source(inputs: YearInputs) -> str:
    """How an estimated year's figures were made, marked ARVIO once."""
    source = inputs.services[0].source.strip()
    return source if source.upper().startswith("ARVIO") else f"ARVIO – {source}"


def estimate_notice(inputs: YearInputs) -> str:
    """The notice every table and chart of an estimated year carries."""
    return (
        f"ARVIO: vuoden {inputs.year} luvut ovat arvio, eivät julkaistu hintataulukko."
        if (inputs.is_estimate)
        else ""
    )


def method_text(inputs: YearInputs) -> str:
    """ "Menetelmä ja lähteet": how the table is computed, the rounding rules and where each input
    comes from, each once (Markdown)."""
    coverage = kattavuus.note(
        inputs.statistics, inputs.key_measure, inputs.key_year, inputs.division_input.key
    )
    costs = "; ".join(
        f"{s.name} {euros(s.cost)} € (kustannusvuosi {s.cost_year}, {s.status})"
        if s.cost_year
        else f"{s.name} {euros(s.cost)} € ({s.status})"
        for s in inputs.services
    )
    lead = inputs.division_input.names[inputs.division_input.lead]
    lines = [
        f"Jokaisen palvelun vuosikuluihin lisätään {euros(inputs.division_input.flat_rate_pct)} "
        "%:n flat rate (yleiskustannuslisä), ja näin saatu *Yhteensä* jaetaan kokeilukuntien "
        f"kesken mittarin *{key_label_of(inputs)}* suhteessa (väkiluku kaksi vuotta ennen "
        "hinnoitteluvuotta). Kunnan maksuosuus on sen palvelusolujen summa vähennettynä "
        f"alennuksilla. *Kuntien osuus* on se osa, jonka muut kunnat kuin vastuukunta {lead} "
        "maksavat.",
        "",
        "Pyöristyssäännöt:",
        "",
        rounding_rules_text(),
        "",
        "Hintataulukko on julkaistun säännön mukainen: jokainen solu on pyöristetty erikseen "
        "kokonaisiksi euroiksi ja rivin *Yhteensä* pyöristämättömästä summasta, joten "
        "palvelusarakkeiden solut eivät aina summaudu täsmälleen palvelun yhteissummaan. "
        "Laskuihin sopii tasasumma.",
        "",
        f"Palvelujen kulut: {costs}.",
        "",
        "Lähteet:",
        "",
        *_sources(
            [
                ("Palvelujen kulut", inputs.services[0].source),
                ("flat rate", inputs.flat_rate_source),
                (f"alennukset (voimassa {date(inputs.discount_date)})", inputs.discount_source),
                ("jakoperuste", coverage),
            ]
        ),
        f"- Parametritiedosto: `{inputs.params.path.name}`, tilastot: `data/tilastot/`",
    ]
    return "\n".join(lines)


def _sources(items: list[tuple[str, str]]) -> list[str]:
    """One line per source, naming every input it is the source of (each source once)."""
    by_source: dict[str, list[str]] = {}
    for what, source in items:
        by_source.setdefault(source.strip(), []).append(what)
    lines = []
    for source, whats in by_source.items():
        named = ", ".join(whats[:-1]) + " ja " + whats[-1] if len(whats) > 1 else whats[0]
        lines.append(f"- **{named[0].upper()}{named[1:]}**: {source}")
    return lines


def cost_summary(inputs: YearInputs) -> Table:
    frame = cost_table(inputs)
    return Table(
        frame,
        {"HTV": lambda v: euros(v, 2)},
        caption=f"Kokeilun jaettavat kustannukset {inputs.label}",
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
    caption = (
        f"Maksuosuudet kahdella pyöristyssäännöllä {inputs.label}: eroja {len(changed)} kunnalla"
    )
    return Table(frame, caption=caption, notice=estimate_notice(inputs))


def rounding_text(inputs: YearInputs) -> str:
    """The sums of the two rules' payments beside the costs to divide."""
    division = inputs.divide()
    published = int(round_division(division, PUBLISHED)["maksuosuus"].sum())
    exact = int(round_division(division, EXACT_SUM)["maksuosuus"].sum())
    return (
        f"Jaettavat kustannukset {euros(to_euros(division.pool))} €. Hintataulukon "
        f"maksuosuuksien summa on {euros(published)} € ja tasasummalla pyöristettyjen laskujen "
        f"{euros(exact)} €."
    )


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


def payment_chart(inputs: YearInputs, compact: bool = False):
    """Every municipality's payment; ``compact`` for the summary page, beside its figures."""
    table = round_division(inputs.divide(), PUBLISHED)
    return charts.payment_bars(
        table["kunta"],
        table["maksuosuus"],
        title=f"Maksuosuus {inputs.label}, €",
        xlabel="euroa",
        notice=estimate_notice(inputs),
        **({"width": 5.2, "bar_height": 0.24} if compact else {}),
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
