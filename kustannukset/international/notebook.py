"""What the international services' yearly report (notebooks/kansainvaliset.ipynb) shows, as
functions, its Excel workbook of invoices, and its jobs for ``kustannukset raportti``.

The report opens with :func:`summary` ("Yhteenveto": what the year's invoices came to, the
equalisation and who gets a February invoice; in a municipality's own report, its own figures),
then the tables, and ends with :func:`method_text` ("Menetelmä ja lähteet")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from kustannukset import international as kv
from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.paths import DATA_DIR
from kustannukset.stats import coverage as kattavuus
from kustannukset.view import charts
from kustannukset.view.excel import NOTE, TITLE, WARNING, note, put, save, write_frame
from kustannukset.view.formatting import euros
from kustannukset.view.html import Banner
from kustannukset.view.labels import count, in_words, label, labelled
from kustannukset.view.summary import Summary
from kustannukset.view.tables import Table

SUBDIR = "kansainvaliset"
# The notebook's parameters naming the user's own input files (empty: the example set).
FILE_PARAMETERS = ("tapahtumat", "kustannukset", "hankerahoitus")
EURO_FORMAT = "#,##0"  # Excel shows these in the reader's locale: # ##0 and # ##0,00 in Finnish
CENT_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Report:
    year: int
    code: str  # "" = all municipalities
    data_dir: Path
    inputs: kv.Inputs
    eq: kv.Equalisation
    first_invoice: kv.PeriodInvoices | None  # next year's first invoice, when its data exist

    @property
    def codes(self) -> list[str]:
        return [self.code] if self.code else list(self.eq.names)

    @property
    def who(self) -> str:
        return f"{self.eq.names[self.code]} ({self.code})" if self.code else "kaikki kokeilukunnat"


def validate_parameters(
    vuosi: object,
    kunta: object = "",
    data_kansio: object = "",
    tapahtumat: object = "",
    kustannukset: object = "",
    hankerahoitus: object = "",
) -> Report:
    """Check the notebook's parameters and compute the year's equalisation: from the example set
    of the data folder, or from the user's own files when ``tapahtumat`` and ``kustannukset`` name
    them (``hankerahoitus`` only with them); the two are never mixed (:func:`kv.load_inputs`)."""
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    year, code = kv.check_parameters(vuosi, kunta, data_dir)
    inputs = kv.load_inputs(
        data_dir, str(tapahtumat or ""), str(kustannukset or ""), str(hankerahoitus or "")
    )
    eq = kv.equalise(year, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding)
    first = None
    if year + 1 in inputs.costs.years():
        first = kv.period_invoices(
            year + 1, 1, inputs.events, inputs.costs, inputs.stats, inputs.rules, inputs.funding
        )
    return Report(year, code, data_dir, inputs, eq, first)


def banner(r: Report) -> Banner:
    """The report's title; an example's status goes to the header of every printed page."""
    status = "ESIMERKKI" if example_notice(r) else ""
    return Banner(f"# Kansainvälisen osaamisen palvelut {r.year}: {r.who}", status)


def _money(value) -> str:
    return f"{euros(value, 2)} €"


def _listed(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " ja " + items[-1] if len(items) > 1 else "".join(items)


def summary_sentences(r: Report, figures: kv.InvoiceSummary) -> list[str]:
    """The answer in four or five sentences of plain Finnish: the invoices, the equalisation, who
    gets a February invoice and what goes into next year's first invoice."""
    year, next_year = r.year, r.year + 1
    who = r.eq.names[r.code] if r.code else "Kokeilukunnat"
    sentences = [
        f"{who} {'maksoi' if r.code else 'maksoivat'} vuonna {year} kansainvälisen osaamisen "
        f"palveluista {_money(figures.invoiced)}: suoritteita {_money(figures.services)}, "
        f"kustannuspotin {'osuutena' if r.code else 'osuuksina'} {_money(figures.pool)} ja "
        f"matkakuluja {_money(figures.travel)}.",
    ]
    settled = figures.equalisation
    own = "sen osuus on" if r.code else "kuntien osuudet ovat yhteensä"
    sentences.append(
        f"Toteutuneiden kustannusten ja vahvistettujen hintojen mukaan "
        f"{own} {_money(figures.final)}, joten "
        + (
            f"tasauksena {'se maksaa' if r.code else 'kunnat maksavat'} {_money(settled)} lisää."
            if settled > 0
            else f"{'se saa' if r.code else 'kunnat saavat'} hyvitystä {_money(-settled)}."
            if settled < 0
            else "tasattavaa ei ole."
        )
    )
    if r.code:
        if figures.february > 0:
            sentences.append(
                f"Helmikuussa {next_year} {who} saa tasauslaskun {_money(figures.february)}."
            )
        elif figures.february < 0:
            sentences.append(
                f"Helmikuussa {next_year} {who} saa hyvityslaskun {_money(-figures.february)}."
            )
        else:
            sentences.append(f"Helmikuussa {next_year} {who} ei saa tasauslaskua.")
    elif figures.february_by_municipality:
        invoiced = figures.february_by_municipality
        n = len(invoiced)
        everyone = "kaikki " if n == len(r.eq.names) else ""
        largest = sorted(invoiced, key=lambda c: (-abs(invoiced[c]), c))[:3]
        sentences.append(
            f"Helmikuussa {next_year} {everyone}{count(n, 'kunta', 'kuntaa')} "
            f"{'saa' if n == 1 else 'saavat'} tasauslaskun, yhteensä {_money(figures.february)}; "
            "suurimmat: "
            + _listed([f"{r.eq.names[c]} {_money(invoiced[c])}" for c in largest])
            + "."
        )
    else:
        sentences.append(
            f"Helmikuussa {next_year} ei tehdä tasauslaskuja: yhdenkään palvelun kustannukset "
            f"eivät muuttuneet {euros(r.inputs.rules.threshold(year) * 100)} % talousarviosta."
        )
    first = ""
    if figures.first_invoice is not None:
        first = (
            f"Vuoden {next_year} ensimmäinen lasku ({figures.first_invoice_label}) on "
            f"{'sen osalta' if r.code else 'kaikkiaan'} {_money(figures.first_invoice)}"
        )
    if figures.carried:
        text = (
            f"Alle {euros(r.inputs.rules.threshold(year) * 100)} %:n rajan jääneiden palvelujen "
            f"erotus {_money(figures.carried)} tasataan vuoden {next_year} ensimmäisessä laskussa"
        )
        sentences.append(text + (f"; {first[0].lower()}{first[1:]}." if first else "."))
    elif first:
        sentences.append(first + ".")
    return sentences


def summary(r: Report) -> Summary:
    """Page 1, "Yhteenveto": the invoices' totals and the equalisation, and one chart: who gets a
    February invoice (all municipalities) or what the municipality's clients used (its own
    report)."""
    figures = kv.invoice_summary(r.eq, r.codes, r.first_invoice)
    next_year = r.year + 1
    rows = [
        ("Suoritelaskutus", figures.services),
        ("Kustannuspotin osuudet (talousarvion mukaan)", figures.pool),
        ("Matkakulut", figures.travel),
        ("Laskutettu yhteensä", figures.invoiced),
        ("Vahvistettu (toteutuneet kustannukset)", figures.final),
        ("Tasaus", figures.equalisation),
        (f"– tasauslaskuilla helmikuussa {next_year}", figures.february),
        (f"– vuoden {next_year} 1. laskussa", figures.carried),
    ]
    if figures.first_invoice is not None:
        rows.append((f"Vuoden {next_year} 1. lasku yhteensä", figures.first_invoice))
    frame = pd.DataFrame(
        {"Erä": [what for what, _ in rows], "€": [float(amount) for _, amount in rows]}
    )
    table = Table(
        frame, {"€": lambda v: euros(v, 2)}, caption=f"Laskut ja tasaus {r.year}: {r.who}"
    )
    chart = services_chart(r, compact=True) if r.code else february_chart(r)
    return Summary(summary_sentences(r, figures), [table], chart, notice=example_notice(r))


def method_text(r: Report) -> str:
    """ "Menetelmä ja lähteet": the prices and rules, the 10 % rule, the key and its sources, the
    project funding and the input files, each once (Markdown)."""
    notices = [n for n in r.eq.notices if n not in (kv.EXAMPLE_NOTICE, kv.INTERPRETING_NOTICE)]
    return "\n".join(
        [
            rules_text(r),
            "",
            "Tasausraja koetaan jokaiselle potin kustannuslajille ja suoritehintaiselle "
            "palvelulle erikseen: *tasauslasku helmikuussa* = hinnat päivitetään ja erotus "
            "laskutetaan erillisellä tasauslaskulla helmikuussa, *seuraavan vuoden 1. laskuun* = "
            "erotus tasataan seuraavan vuoden ensimmäisessä laskussa. Vahvistettu hinta on hinta "
            "kerrottuna toteutuneiden suoritekustannusten ja laskutuksen suhteella (näytetty "
            "sentteihin pyöristettynä; laskut lasketaan tarkoista arvoista).",
            "",
            "Asiakkaat lasketaan eri asiakkaina, kun tapahtumatiedosto yksilöi asiakkaan "
            "(sarake `asiakas`); muut tapahtumat lasketaan tapahtumina.",
            "",
            funding_text(r),
            "",
            "Lähteet:",
            "",
            f"- Jakoperuste: {key_sources_text(r)}",
            *(f"- {notice}" for notice in notices),
        ]
    )


def rules_text(r: Report) -> str:
    rules = r.inputs.rules
    when = kv.jan1(r.year)
    lines = ["Suoritehinnat (voimassa 1.1.):", ""]
    for service in rules.services.values():
        value = rules.price_value(service.code, when)
        if service.by_integration_year:
            prices = ", ".join(f"{y}. vuosi {euros(p)} €" for y, p in value.value.items())
            lines.append(f"- {service.name}: {prices} / {service.unit} ({value.status})")
        else:
            lines.append(
                f"- {service.name}: {euros(value.value)} € / {service.unit} ({value.status})"
            )
    lines += [
        "",
        f"Lähde: {rules.price_value('oma_valmennus', when).source}.",
        "",
        f"- Kotoutumisaika on tavallisesti enintään {rules.normal_integration_years(when)} vuotta, "
        f"pidennettynä enintään {rules.max_integration_year(when)}; 4. ja 5. vuosi hinnoitellaan "
        "3. vuoden hinnalla.",
        "- Kunnan tilaamasta paikan päällä tuotetusta palvelusta kunta maksaa päivärahat ja "
        "kilometrikulut sellaisinaan.",
        f"- {kv.INTERPRETING_NOTICE}",
        f"- Kustannuspotti (henkilöstö, Mainio) jaetaan vieraskielisten suhteessa: talousarviossa "
        f"31.12.{rules.key_year(r.year, kv.BUDGET)}, laskutuksessa "
        f"31.12.{rules.key_year(r.year, kv.INVOICING)}.",
        f"- Tasausraja palveluittain: |toteuma − hankerahoitus − talousarvio| / talousarvio ≥ "
        f"{euros(rules.threshold(r.year) * 100)} %.",
        f"- Laskutusjakso: {in_words(rules.period_kind(r.year))} ({rules.periods(r.year)} jaksoa "
        "vuodessa); "
        "palvelutapahtumat laskutetaan jälkikäteen jakson päätyttyä.",
        "- Omakielisen neuvonnan käynti: "
        + (
            "jokainen käynti vähintään tunnin hinnalla."
            if rules.visit_rule(when) == kv.AT_LEAST_AN_HOUR
            else "tunnit × hinta (alle tunnin käynti suhteessa kestoonsa)."
        ),
    ]
    return "\n".join(lines)


def example_notice(r: Report) -> str:
    """The example notice when the report's figures are examples, for every table and chart."""
    return kv.EXAMPLE_NOTICE if kv.EXAMPLE_NOTICE in r.eq.notices else ""


def client_table(r: Report) -> Table:
    """Client counts by service and integration year (the municipality's, or all together)."""
    counts = kv.client_counts(r.inputs.events.events, r.year, r.inputs.rules)
    counts = counts[counts["kuntanumero"].isin(r.codes)]
    if counts.empty:
        return Table(
            pd.DataFrame({"Palvelu": [], "Määrä": []}),
            caption="Ei palvelutapahtumia",
            notice=example_notice(r),
        )
    grouped = counts.groupby(["palvelu", "kotoutumisvuosi", "yksikko"], sort=False)["maara"].sum()
    frame = grouped.reset_index().rename(
        columns={
            "palvelu": "Palvelu",
            "kotoutumisvuosi": "Kotoutumisvuosi",
            "yksikko": "Yksikkö",
            "maara": "Määrä",
        }
    )
    return Table(
        frame,
        {"Määrä": lambda v: euros(v, 2).removesuffix(",00")},
        caption=f"Asiakkaat {r.year} palveluittain ja kotoutumisvuosittain: {r.who}",
        notice=example_notice(r),
    )


def invoiced_table(r: Report, detail: bool = False) -> Table:
    """What was invoiced at unit prices during the year, by service, plus travel costs (with
    ``detail``: per diems and kilometres apart)."""
    billing = r.eq.billing
    rules = r.inputs.rules
    rows = []
    for code in r.codes:
        row = {"Kunta": r.eq.names[code]}
        for service in rules.services.values():
            row[service.name] = kv.cents(billing.by_service[code][service.code])
        if detail:
            row["Päivärahat"] = kv.cents(billing.per_diems[code])
            row["Kilometrikulut"] = kv.cents(billing.kilometres[code])
        else:
            row["Matkakulut"] = kv.cents(billing.travel(code))
        row["Yhteensä"] = kv.cents(billing.total(code))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame = frame.loc[:, (frame != 0).any(axis=0)]
    if len(rows) > 1:
        frame = kv.with_total_row(frame, "Kunta")
    return Table(
        frame,
        {c: (lambda v: euros(v, 2)) for c in frame.columns if c != "Kunta"},
        caption=f"Suoritelaskutus {r.year} yksikköhinnoin ja matkakulut, €: {r.who}",
        notice=example_notice(r),
    )


def pool_table(r: Report) -> Table:
    """The key and each municipality's part of the cost pool (invoiced and actual)."""
    t = kv.equalisation_table(r.eq)
    t = t[t["kuntanumero"].isin(r.codes)][
        ["kunta", "vieraskieliset", "osuus_pct", "potti_laskutettu", "potti_toteutunut"]
    ]
    if len(t) > 1:
        t = kv.with_total_row(t)
    t = t.rename(
        columns={
            "kunta": "Kunta",
            "vieraskieliset": r.eq.key.label,
            "osuus_pct": "Osuus %",
            "potti_laskutettu": "Laskutettu (talousarvio)",
            "potti_toteutunut": "Toteutunut",
        }
    )
    return Table(
        t,
        {
            "Osuus %": lambda v: "" if pd.isna(v) else f"{v:.3f}".replace(".", ",") + " %",
            "Laskutettu (talousarvio)": lambda v: euros(v, 2),
            "Toteutunut": lambda v: euros(v, 2),
        },
        caption=f"Kustannuspotin jako {r.year}, €: {r.who}",
        notice=example_notice(r),
    )


def summary_text(r: Report) -> str:
    """The equalisation in words, one point a line (Markdown)."""
    return "\n".join(f"- {line}" for line in kv.summary_text(r.eq).splitlines())


def units_table(r: Report) -> Table:
    """The 10 % rule per service: budget, actual, project funding, change and the branch."""
    t = kv.with_total_row(kv.units_table(r.eq), "nimi").drop(columns=["palvelu"])
    t["paatos"] = [in_words(v) if isinstance(v, str) and v else "" for v in t["paatos"]]
    t = labelled(t)
    money = [label(c) for c in ("talousarvio", "toteuma", "hankerahoitus", "toteuma_netto")]
    money += [label("laskutettu"), label("tasaus")]
    formats = {c: (lambda v: euros(v, 2)) for c in money}
    formats[label("muutos_pct")] = lambda v: "" if pd.isna(v) else euros(v, 2)
    formats[label("hintakerroin")] = lambda v: "" if pd.isna(v) else euros(v, 4)
    return Table(t, formats, caption=f"Tasausraja palveluittain {r.year}", notice=example_notice(r))


def funding_text(r: Report) -> str:
    grants = r.inputs.funding.of_year(r.year)
    if not grants:
        return f"Valtion hankerahoitusta ei ole annettu vuodelle {r.year}."
    lines = [
        "Valtion hankerahoitus vähentää palvelun toteutuneita kustannuksia ennen hintojen "
        "vahvistamista ja ennen kustannuspotin jakoa:",
        "",
    ]
    for g in grants:
        target = "koko kustannuspotti" if g.target == kv.WHOLE_POOL else g.target
        lines.append(f"- {target}: {euros(g.amount, 2)} € ({g.status}; lähde: {g.source})")
    return "\n".join(lines)


def municipality_table(r: Report) -> Table:
    """The annex's yearly report per municipality: its clients (distinct clients where the events
    name them; the other events counted as events) and the services produced, beside what was
    invoiced and the equalisation."""
    events = [e for e in r.inputs.events.events if e.date.year == r.year]
    summary = kv.client_summary(events, r.year, r.inputs.rules, list(r.eq.names))
    rows = []
    for code in r.codes:
        own = [e for e in events if e.code == code]
        produced = "; ".join(
            f"{row.palvelu} {euros(row.maara, 2).removesuffix(',00')} {row.yksikko}"
            for row in summary[summary["kuntanumero"] == code].itertuples()
        )
        rows.append(
            {
                "Kunta": r.eq.names[code],
                "Asiakkaita (eri asiakkaita)": len({e.client for e in own if e.client}),
                "Tapahtumia, asiakasta ei yksilöity": sum(1 for e in own if not e.client),
                "Tuotetut palvelut": produced or "–",
                "Laskutettu": float(r.eq.billing.total(code) + r.eq.pool_invoiced[code]),
                "Tasauslasku helmikuussa": float(r.eq.february(code)),
                f"Tasaus vuoden {r.year + 1} 1. laskussa": float(r.eq.carried(code)),
            }
        )
    frame = pd.DataFrame(rows)
    if len(rows) > 1:
        frame = kv.with_total_row(frame, "Kunta")
    formats = {c: (lambda v: euros(v, 2)) for c in frame.columns[4:]}
    return Table(
        frame,
        formats,
        caption=f"Kuntakohtainen vuosiraportti {r.year}: {r.who}",
        notice=example_notice(r),
    )


def first_invoice_text(r: Report) -> str:
    inv = r.first_invoice
    if inv is None:
        return (
            f"Vuoden {r.year + 1} kustannuksia ei ole annettu, joten vuoden {r.year + 1} "
            "ensimmäistä laskua ei voi vielä muodostaa."
        )
    return (
        f"Vuoden {inv.year} ensimmäinen lasku ({kv.period_label(inv)}): jakson tapahtumat, "
        "kustannuspotin jakson osuus ja rivillä "
        f"Tasaus {r.year} vuoden {r.year} alle tasausrajan jääneiden palvelujen erotus. "
        f"Sama lasku komentoriviltä: kustannukset laskut {inv.year} --jakso 1."
    )


def first_invoice_table(r: Report) -> Table | None:
    """Next year's first invoice in its parts: services, travel, the pool's instalment, the
    carried equalisation and the total (by service: :func:`first_invoice_detail`)."""
    inv = r.first_invoice
    if inv is None:
        return None
    t = kv.invoice_totals_table(inv)
    t = t[t["kuntanumero"].isin(r.codes)]
    if len(t) > 1:
        t = kv.with_total_row(t)
    t = t.rename(
        columns={
            "kuntanumero": "Kuntanumero",
            "kunta": "Kunta",
            "suoritteet": "Suoritteet",
            "matkakulut": "Matkakulut",
            "kustannuspotti": "Kustannuspotti",
            f"tasaus_{r.year}": f"Tasaus {r.year}",
            "lasku_yhteensa": "Lasku yhteensä",
        }
    )
    return Table(
        t,
        {c: (lambda v: euros(v, 2)) for c in t.columns[2:]},
        caption=f"Vuoden {inv.year} ensimmäinen lasku, €: {r.who}",
        notice=example_notice(r),
    )


def first_invoice_detail(r: Report) -> Table | None:
    """Next year's first invoice with a column for each service and each part of the pool."""
    inv = r.first_invoice
    if inv is None:
        return None
    t = kv.invoices_table(inv, r.inputs.rules)
    t = t[t["kuntanumero"].isin(r.codes)]
    if len(t) > 1:
        t = kv.with_total_row(t)
    names = {s.code: s.name for s in r.inputs.rules.services.values()}
    t = t.rename(
        columns={
            "kuntanumero": "Kuntanumero",
            "kunta": "Kunta",
            "matkakulut": "Matkakulut",
            f"tasaus_{r.year}": f"Tasaus {r.year}",
            "lasku_yhteensa": "Lasku yhteensä",
            **{f"potti_{k}": f"Potti: {v.name}" for k, v in r.inputs.rules.cost_kinds.items()},
            **names,
        }
    )
    t = t.loc[:, [c for c in t.columns if c in ("Kuntanumero", "Kunta") or (t[c] != 0).any()]]
    return Table(
        t,
        {c: (lambda v: euros(v, 2)) for c in t.columns[2:]},
        caption=f"Vuoden {inv.year} ensimmäinen lasku palveluittain, €: {r.who}",
        notice=example_notice(r),
    )


def equalisation_table(r: Report) -> Table:
    t = kv.equalisation_table(r.eq)
    t = t[t["kuntanumero"].isin(r.codes)].drop(columns=["vieraskieliset", "osuus_pct"])
    if len(t) > 1:
        t = kv.with_total_row(t)
    t = labelled(t)
    return Table(
        t,
        {c: (lambda v: euros(v, 2)) for c in t.columns[2:]},
        caption=f"Tasauslaskut {r.year}, €: {r.who}",
        notice=example_notice(r),
    )


def final_prices_table(r: Report) -> Table:
    t = r.eq.final_prices(r.inputs.rules).rename(
        columns={
            "palvelu": "Palvelu",
            "yksikko": "Yksikkö",
            "hinta": "Hinta",
            "vahvistettu_hinta": "Vahvistettu hinta",
        }
    )
    return Table(
        t,
        {"Hinta": lambda v: euros(v, 2), "Vahvistettu hinta": lambda v: euros(v, 2)},
        caption=f"Hinnat ja vahvistetut hinnat {r.year}, €",
        notice=example_notice(r),
    )


def equalisation_chart(r: Report):
    t = kv.equalisation_table(r.eq)
    return charts.payment_bars(
        t["kunta"],
        t["tasaus"],
        title=f"Tasaus {r.year} kunnittain (positiivinen = lisälasku)",
        xlabel="euroa",
        decimals=2,
        notice=example_notice(r),
    )


def february_chart(r: Report):
    """Every municipality's February invoice (the whole equalisation when there is none)."""
    t = kv.equalisation_table(r.eq)
    february = t["tasauslasku_helmikuu"]
    if not february.any():
        return equalisation_chart(r)
    return charts.payment_bars(
        t["kunta"],
        february,
        title=f"Tasauslasku helmikuussa {r.year + 1}, €",
        xlabel="euroa",
        decimals=2,
        notice=example_notice(r),
        width=5.2,
        bar_height=0.24,
    )


def services_chart(r: Report, compact: bool = False):
    billing = r.eq.billing
    rules = r.inputs.rules
    names = pd.Series([s.name for s in rules.services.values()])
    values = pd.Series(
        [float(sum(billing.by_service[c][s] for c in r.codes)) for s in rules.services]
    )
    return charts.payment_bars(
        names,
        values,
        title=(
            f"Suoritelaskutus {r.year} palveluittain, €"
            if compact
            else f"Suoritelaskutus {r.year} palveluittain: {r.who}"
        ),
        xlabel="euroa",
        notice=example_notice(r),
        **({"width": 5.6} if compact else {}),
    )


def invoices_workbook(r: Report, path: Path) -> None:
    """The equalising invoices, unit-price billing and final prices, with a totals row."""
    from openpyxl import Workbook

    wb = Workbook()
    sheets = [
        ("Tasauslaskut", equalisation_table(r).frame),
        ("Suoritelaskutus", invoiced_table(r, detail=True).frame),
        ("Kustannuspotti", pool_table(r).frame),
        ("Vahvistetut hinnat", final_prices_table(r).frame),
        ("Palveluittain", units_table(r).frame),
        ("Kuntaraportti", municipality_table(r).frame),
    ]
    first = first_invoice_detail(r)
    if first is not None:
        sheets.append((f"Ensimmäinen lasku {r.year + 1}", first.frame))
    for index, (title, frame) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = title
        put(
            ws,
            1,
            1,
            f"Kansainvälisen osaamisen palvelut {r.year}: {title.lower()} – {r.who}",
            TITLE,
        )
        row = 2
        for notice in r.eq.notices:
            row = note(ws, row, notice, WARNING if notice == kv.EXAMPLE_NOTICE else NOTE)
        row += 1
        formats = {str(c): "0.000" for c in frame.columns if "%" in str(c)}
        formats[label("hintakerroin")] = "0.0000"
        formats[label("muutos_pct")] = "0.00"
        write_frame(ws, frame, row, formats, float_format=CENT_FORMAT)
    save(wb, path, status="ESIMERKKI" if example_notice(r) else "")


def available_years(
    data_dir: Path = DATA_DIR, files: tuple[str, str, str] = ("", "", "")
) -> list[int]:
    """Years with events, costs and rules in force: the years whose report can be made (from the
    example set, or from the user's own ``files``: events, costs, funding)."""
    inputs = kv.load_inputs(data_dir, *files)
    years = []
    for year in sorted(set(inputs.costs.years()) & set(inputs.events.years())):
        if not inputs.costs.is_closed(year):
            continue  # the year's actual costs are not known yet: nothing to equalise
        try:
            inputs.rules.key_measure(year)
        except InputError:
            continue
        years.append(year)
    return years


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """Report jobs for ``kustannukset raportti``: all municipalities per year, and with
    ``per_municipality`` also one report for each municipality (or for those named)."""
    files = tuple(str(Path(p).resolve()) if p else "" for p in options.international_files)
    known = available_years(data_dir, files)
    chosen = [y for y in (years if years is not None else known) if y in known]
    # A named municipality is checked (and a name turned into its code) before any kernel starts.
    named = [
        kv.check_parameters(known[0] if known else 2000, m, data_dir)[1]
        for m in options.municipalities
    ]
    out = []
    for year in chosen:
        report = validate_parameters(year, "", data_dir, *files)
        each = (named or list(report.eq.names)) if options.per_municipality else []
        for code in ["", *each]:
            # The year's equalisation is the same for every municipality's report: computed once
            # here, not again for each report's check and workbook.
            def check(year=year, code=code, report=report):
                return replace(report, code=kv.check_parameters(year, code, data_dir)[1])

            def excel(path: Path, check=check) -> None:
                invoices_workbook(check(), path)

            suffix = f"_{code}" if code else ""
            who = report.eq.names[code] if code else "kaikki kunnat"
            out.append(
                Job(
                    notebook="kansainvaliset.ipynb",
                    parameters={
                        "vuosi": year,
                        "kunta": code,
                        "data_kansio": data_parameter(data_dir),
                        **{
                            name: path
                            for name, path in zip(FILE_PARAMETERS, files, strict=True)
                            if path
                        },
                    },
                    subdir=f"{year}/{SUBDIR}",
                    stem=f"kansainvaliset_{year}{suffix}",
                    title=f"Kansainväliset palvelut {year}: {who}",
                    check=check,
                    excel=excel,
                    excel_name=f"kansainvaliset_laskut_{year}{suffix}.xlsx",
                )
            )
    return out


def key_sources_text(r: Report) -> str:
    """The coverage, status and source of the foreign-language counts the key used."""
    key = r.eq.key
    return kattavuus.note(r.inputs.stats, key.measure, key.stat_year, list(r.eq.names))
