"""What the scenario comparison notebook (notebooks/skenaariot.ipynb) shows, as functions, and its
report job for ``kustannukset raportti``. The notebook holds no formula, only calls to these."""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios.comparison import Comparison as Overview
from kustannukset.scenarios.comparison import compare, wide
from kustannukset.scenarios.context import RULES_DATE, Context, load_context
from kustannukset.scenarios.engine import (
    ScenarioResult,
    cost_model_text,
    evaluate,
    real_figures,
    reality_check,
)
from kustannukset.scenarios.fast import engine_for, sensitivity, sweep_measures
from kustannukset.scenarios.funding import criteria, funding_table, key_figures
from kustannukset.scenarios.geo import SOURCES_LINE
from kustannukset.scenarios.maps import area_map, value_map
from kustannukset.scenarios.model import FUNDING_KEY, Scenario
from kustannukset.scenarios.tables import rule_summary, side_by_side, table
from kustannukset.stats import coverage as kattavuus
from kustannukset.view.charts import (
    MIN_ANNOTATION_PT,
    FinnishTicks,
    add_notice,
    diverging_colours,
    diverging_norm,
    text_colour,
)
from kustannukset.view.excel import (
    DECIMAL_FORMAT,
    NORMAL,
    TITLE,
    notices,
    put,
    save,
    sheet_title,
    write_frame,
)
from kustannukset.view.formatting import axis_number, euros
from kustannukset.view.tables import Table

WORKBOOK_NOTICE = (
    "Potin ja valtionosuuden tila on sarakkeissa (ESIMERKKI, ARVIO, JULKAISTU); "
    "valtionosuus, netto ja työvoima ovat ARVIOITA."
)
# the workbook's status in every printed page's header: pools are examples or estimates, the
# state funding, net and labour force estimates
WORKBOOK_STATUS = "ARVIO / ESIMERKKI"
DEFAULT_SCENARIOS = [
    "paatetty_2025",
    "paatetty_2025_tyovoima",
    "paatetty_2025_tyottomat",
    "paatetty_2025_valtionosuus",
    "paatetty_2025_seka",
    "elokuu_2023",
    "huhtikuu_2023",
]
# The sensitivity heat map: the decided areas on the default basis
DEFAULT_SENSITIVITY = "paatetty_2025"
# The keys compared in the closing table: the decided areas by population and by the state-grant
# criteria.
POPULATION_SCENARIO = "paatetty_2025"
CRITERIA_SCENARIO = "paatetty_2025_valtionosuus"
NEUTRAL_BAND = 1.0  # € per inhabitant: a smaller change is drawn as "no change"


@dataclass
class Comparison:
    """The report's alternatives on the default basis (``results``) and on the second view
    (``second``), both from :func:`kustannukset.scenarios.comparison.compare`."""

    context: Context
    results: list[ScenarioResult]
    sensitivity_scenario: str = ""
    sensitivity_delta: float = 0.1
    second: list[ScenarioResult] = dataclasses.field(default_factory=list)
    basis: str = ""  # the default basis ('kustannusmalli')
    second_basis: str = ""
    overview: Overview | None = None  # the comparison of the default basis

    @property
    def scenarios(self) -> list[Scenario]:
        return [r.scenario for r in self.results]

    @property
    def notice(self) -> str:
        """The notice of every table and sheet: the statuses and the basis of the figures."""
        return f"{WORKBOOK_NOTICE} {self.basis_notice}"

    @property
    def basis_notice(self) -> str:
        return (
            f"Maksut, netot ja muutokset potin perusteella '{self.basis}' (oletus), ellei "
            "skenaario nimeä muuta (sarake Potin peruste)."
        )

    @property
    def figure_notice(self) -> str:
        """The notice on two lines, for the width of a figure."""
        return f"{WORKBOOK_NOTICE}\n{self.basis_notice}"


def scenario_names(skenaariot: object) -> list[str]:
    """The parameter as a list of names: a list, or one string of names separated by commas."""
    if isinstance(skenaariot, str):
        names = [n.strip() for n in skenaariot.split(",")]
    elif isinstance(skenaariot, list | tuple):
        names = [str(n).strip() for n in skenaariot]
    else:
        raise InputError(
            f"parametri skenaariot = {skenaariot!r}: anna luettelo skenaarioiden nimiä"
        )
    names = [n for n in names if n]
    if not names:
        raise InputError("parametri skenaariot on tyhjä: anna vähintään yksi skenaario")
    return names


def data_folder(data_kansio: object) -> Path:
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    return data_dir


def validate_parameters(
    skenaariot: object,
    data_kansio: object = "",
    herkkyys_skenaario: object = "",
    herkkyys_muutos: object = 0.1,
) -> Comparison:
    """Check the parameters, read every scenario and evaluate it; a mistake is a Finnish error."""
    context = load_context(data_folder(data_kansio))
    names = scenario_names(skenaariot)
    chosen = str(
        herkkyys_skenaario or (DEFAULT_SENSITIVITY if DEFAULT_SENSITIVITY in names else names[-1])
    )
    if chosen not in names:
        raise InputError(
            f"parametri herkkyys_skenaario = '{chosen}' ei ole vertailussa ({', '.join(names)})"
        )
    try:
        delta = float(str(herkkyys_muutos).replace(",", "."))
    except ValueError:
        raise InputError(f"parametri herkkyys_muutos = '{herkkyys_muutos}' ei ole luku") from None
    if not 0 < delta <= 0.5:
        raise InputError(f"parametrin herkkyys_muutos pitää olla 0–0,5, ei {herkkyys_muutos}")
    scenarios = [context.scenario(name) for name in names]
    default = compare(context, scenarios)
    second = compare(context, scenarios, context.spec("potin_peruste").second)
    return Comparison(
        context,
        default.results,
        chosen,
        delta,
        second.results,
        default.basis,
        second.basis,
        default,
    )


def intro(comparison: Comparison) -> str:
    lines = ["| Skenaario | Kuvaus | Lähde |", "|---|---|---|"]
    for s in comparison.scenarios:
        lines.append(f"| **{s.name}** | {s.description} | {s.source} |")
    pools = sorted(
        {n for r in comparison.results for n in r.notes if n.startswith("Kustannuspotti")}
    )
    basis = comparison.context.rules["potin_peruste"].at(RULES_DATE)
    lines += [
        "",
        f"**Potin peruste: '{comparison.basis}'** (oletus; toinen näkymä "
        f"'{comparison.second_basis}'). {basis.source}",
        "",
    ]
    return "\n".join(lines) + "\n" + "\n".join(f"> {p}" for p in pools)


def overview_table(comparison: Comparison) -> Table:
    """The comparison of ``kustannukset skenaariot``: payment and net per municipality and
    alternative, sums per decided area."""
    frame = wide(comparison.overview)
    return table(
        frame,
        caption=f"Maksuosuus ja netto kunnittain, potin peruste '{comparison.basis}'",
        notice=comparison.notice,
    )


def rules_table(comparison: Comparison) -> Table:
    return table(rule_summary(comparison.results), caption="Alueet ja lain säännöt")


def rules_text(comparison: Comparison) -> str:
    """Per area, in words: does it meet the 20 000 rule, and which figures said so."""
    lines = []
    for result in comparison.results:
        lines.append(f"**{result.scenario.name}**")
        for row in result.areas.to_dict("records"):
            force = row["Työvoima"]
            figure = "ei tiedossa" if pd.isna(force) else f"{int(force):,}".replace(",", " ")
            lines.append(
                f"- {row['Alue']}: 20 000 -sääntö **{row['20 000 -sääntö']}** "
                f"(työvoima {figure}); yhtenäinen: {row['Yhtenäinen']}"
            )
        lines.append("")
    used = sorted({n for r in comparison.results for n in r.notes if n.startswith("20 000")})
    lines.extend(f"> {u}. Työvoima on johdettu arvio, ei tilastoitu työvoima." for u in used)
    missing = sorted({n for r in comparison.results for n in r.notes if "ei laskettavissa" in n})
    lines.extend(f"> {m}" for m in missing)
    return "\n".join(lines)


def payments_table(comparison: Comparison) -> Table:
    return table(
        side_by_side(comparison.results, "Maksuosuus €"),
        caption=f"Kuntien maksuosuudet skenaarioittain, € (potin peruste '{comparison.basis}')",
        notice=comparison.notice,
    )


PER_UNIT_CAPTIONS = {
    "€/asukas": "Maksuosuus asukasta kohden skenaarioittain, € / asukas",
    "€/työtön": "Maksuosuus työtöntä kohden skenaarioittain, € / työtön",
}


def decided_changes_table(
    comparison: Comparison, column: str = "Muutos päätettyyn 2025 €"
) -> Table:
    return table(
        side_by_side(comparison.results, column),
        caption="Maksuosuuden muutos päätettyihin alueisiin 2025 (skenaario C) verrattuna, "
        f"molemmat potin perusteella '{comparison.basis}'",
    )


def net_table(comparison: Comparison, column: str = "Netto €", *, second: bool = False) -> Table:
    """The net per municipality and scenario, on the default basis or (``second``) on the
    second view."""
    results, basis = (
        (comparison.second, comparison.second_basis)
        if second
        else (comparison.results, comparison.basis)
    )
    return table(
        side_by_side(results, column),
        caption=f"Netto = valtionosuusarvio − maksuosuus (ARVIO), potin peruste '{basis}'",
    )


def funding_tables(comparison: Comparison) -> tuple[Table, Table]:
    """The state-funding estimate per municipality by criterion, and summed per area of every
    scenario."""
    context = comparison.context
    codes = sorted(
        {c for s in comparison.scenarios for c in s.members}, key=lambda c: context.name(c).lower()
    )
    frame = funding_table(context, codes)
    rows = []
    for result in comparison.results:
        for row in result.areas.to_dict("records"):
            rows.append(
                {
                    "Skenaario": result.scenario.name.split(" – ")[0],
                    "Alue": row["Alue"],
                    "Valtionosuus, arvio €": row.get("Valtionosuus, arvio €"),
                    "Tila": "ARVIO",
                }
            )
    return table(frame.drop(columns=["Kuntanumero"])), table(pd.DataFrame(rows))


def key_switch(
    comparison: Comparison,
    first: str = POPULATION_SCENARIO,
    second: str = CRITERIA_SCENARIO,
    count: int = 5,
) -> pd.DataFrame:
    """The municipalities whose net changes most between two scenarios (by default the decided
    areas by population and by the state-grant criteria)."""
    context = comparison.context
    frames = [evaluate(context, context.scenario(name)).municipalities for name in (first, second)]
    a = frames[0].set_index("Kuntanumero")
    b = frames[1].set_index("Kuntanumero")
    frame = pd.DataFrame(
        {
            "Kunta": a["Kunta"],
            "Alue": a["Alue"],
            "Netto, väkiluku €": a["Netto €"],
            "Netto, valtionosuusperusteet €": b["Netto €"],
        }
    )
    frame["Muutos €"] = frame["Netto, valtionosuusperusteet €"] - frame["Netto, väkiluku €"]
    frame = frame.dropna(subset=["Muutos €"])
    order = frame["Muutos €"].astype(float).abs().sort_values(ascending=False, kind="stable")
    return frame.loc[order.index[:count]].reset_index(drop=True)


def key_switch_table(comparison: Comparison) -> Table:
    return table(
        key_switch(comparison),
        caption="Päätetyt alueet 2025: viisi kuntaa, joiden netto muuttuu eniten, kun väkiluvun "
        "sijaan jaetaan valtionosuuden laskentaperusteilla (ARVIO)",
    )


def reality(comparison: Comparison) -> pd.DataFrame:
    """The reality check over every shipped scenario of the decided areas (each key)."""
    context = comparison.context
    scenarios = [context.scenario(p) for p in context.scenario_paths()]
    return reality_check(context, scenarios)


def reality_table(comparison: Comparison) -> Table:
    return table(reality(comparison))


def real_figures_table(comparison: Comparison) -> Table:
    return table(real_figures(comparison.context))


def reality_text(comparison: Comparison) -> str:
    frame = reality(comparison)
    if frame.empty:
        return "Vertailtavaa jakoperustetta ei ole."
    best = frame.iloc[0]
    population = frame[frame["Skenaario"] == comparison.context.scenario(POPULATION_SCENARIO).name]
    lines = [
        f"Lähimpänä raportoitua on jakoperuste **{best['Jakoperuste']}**: Virrat maksaisi "
        f"{euros(best['Virrat 2025 €'])} € (ero {euros(best['Ero €'])} €, "
        f"{euros(best['Ero %'], 1)} %)."
    ]
    if len(population):
        row = population.iloc[0]
        lines.append(
            f"Väkiluvun mukaan Virrat maksaisi {euros(row['Virrat 2025 €'])} € "
            f"({euros(row['Ero %'], 1)} % raportoitua enemmän), joten väkiluku ei sovi "
            "raportoituun lukuun."
        )
    lines.append(
        "Raportoitu vuoden 2025 luku on johdettu (vuoden 2026 arvio 729 790 € + noin 53 000 €; "
        "luotettavuus melko matala) ja kokonaissumma 70,9 milj. € on katkennut teksti "
        "(luotettavuus kohtalainen): "
        "alle muutaman prosentin erot eivät erottele jakoperusteita."
    )
    lines.append(f"\n> {cost_model_text(comparison.context)}")
    return "\n\n".join(lines)


def per_capita_table(comparison: Comparison, column: str = "€/asukas") -> Table:
    frame = side_by_side(comparison.results, column)
    return Table(
        frame,
        {c: (lambda v: "–" if pd.isna(v) else euros(v, 2)) for c in frame.columns[1:]},
        caption=PER_UNIT_CAPTIONS.get(column, column),
        notice=comparison.notice,
    )


def area_totals_table(comparison: Comparison) -> Table:
    frames = []
    for result in comparison.results:
        frame = result.areas.copy()
        frame.insert(0, "Skenaario", result.scenario.name.split(" – ")[0])
        frames.append(frame)
    return table(
        pd.concat(frames, ignore_index=True),
        caption="Alueiden kustannuspotit, työvoima ja valtionosuus",
        notice=comparison.notice,
    )


def notes_text(comparison: Comparison) -> str:
    lines = []
    for result in comparison.results:
        lines.append(f"**{result.scenario.name}**")
        lines.extend(f"- {note}" for note in result.notes)
        lines.append("")
    return "\n".join(lines)


def area_maps(comparison: Comparison):
    count = len(comparison.results)
    fig, axes = plt.subplots(1, count, figsize=(5.2 * count, 5.5), squeeze=False)
    for ax, scenario in zip(axes[0], comparison.scenarios, strict=True):
        area_map(comparison.context.boundaries, scenario, ax=ax)
    fig.tight_layout()
    return fig


def change_maps(comparison: Comparison, column: str = "Muutos päätettyyn 2025 €/asukas"):
    """Change against the decided 2025 areas, € per inhabitant, on one diverging scale centred on
    zero for every map of the comparison (one colour bar), so that a colour means the same change
    in each; changes under 1 € per inhabitant are drawn as "no change"."""
    count = len(comparison.results)
    per_row = min(count, 4)
    rows = -(-count // per_row)
    fig, axes = plt.subplots(rows, per_row, figsize=(4.6 * per_row, 4.6 * rows), squeeze=False)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    maps = []
    for result in comparison.results:
        frame = result.municipalities
        maps.append(
            {
                c: None if pd.isna(v) else float(v)
                for c, v in zip(frame["Kuntanumero"], frame[column], strict=True)
            }
        )
    norm = diverging_norm([v for values in maps for v in values.values() if v is not None], 1.0)
    for ax, result, values in zip(axes.flat, comparison.results, maps, strict=False):
        value_map(
            comparison.context.boundaries,
            values,
            ax=ax,
            title=result.scenario.name.replace(", ", ",\n"),
            label="muutos €/asukas",
            neutral=NEUTRAL_BAND,
            norm=norm,
        )
    fig.tight_layout(rect=(0, 0.03, 0.93, 1))
    bar = fig.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=plt.get_cmap("RdBu_r")),
        cax=fig.add_axes((0.945, 0.25, 0.012, 0.5)),
        label="muutos €/asukas (sama asteikko kaikissa kartoissa)",
    )
    bar.formatter = FinnishTicks()
    bar.update_ticks()
    add_notice(fig, comparison.figure_notice)
    return fig


def computable(result: ScenarioResult) -> Scenario:
    """The scenario without the areas whose figures are missing."""
    areas = tuple(a for a in result.scenario.areas if a.name in result.divisions)
    return dataclasses.replace(result.scenario, areas=areas)


def sweepable(context: Context, scenario: Scenario) -> tuple[Scenario, list[str]]:
    """The scenario without the areas some of whose members lack a sweep measure's figure (the
    sensitivity moves every measure's weight), and those areas' names."""
    measures = sweep_measures(context)
    kept, left = [], []
    for area in scenario.areas:
        try:
            for measure, year in measures:
                key_figures(context, measure, year, area.members, purpose="herkkyys")
        except InputError:
            left.append(area.name)
            continue
        kept.append(area)
    return dataclasses.replace(scenario, areas=tuple(kept)), left


def sensitivity_table(comparison: Comparison, name: str, delta: float) -> pd.DataFrame:
    chosen = [r for r in comparison.results if r.scenario.code == name]
    if not chosen:
        known = ", ".join(s.code for s in comparison.scenarios)
        raise InputError(f"herkkyysskenaario '{name}' ei ole vertailussa (vertailussa: {known})")
    if not 0 < delta <= 0.5:
        raise InputError(f"herkkyyden painomuutoksen pitää olla 0–0,5, ei {delta}")
    scenario, _ = sweepable(comparison.context, computable(chosen[0]))
    if not scenario.areas:
        raise InputError(
            f"herkkyysskenaarion '{name}' millekään alueelle ei ole kaikkien mittarien lukuja"
        )
    engine = engine_for(comparison.context, scenario)
    weights = engine.weights_of(scenario.areas[0].key)
    return sensitivity(engine, weights, delta)


def sensitivity_text(comparison: Comparison, name: str) -> str:
    """Which scenario, basis and areas the heat map shows, and which areas it leaves out."""
    result = next(r for r in comparison.results if r.scenario.code == name)
    shown, left = sweepable(comparison.context, computable(result))
    text = (
        f"Kuva: {result.scenario.name}, potin peruste "
        f"{', '.join(repr(b.name) for b in result.bases)}; alueet "
        f"{', '.join(a.name for a in shown.areas)}."
    )
    if left:
        text += (
            f" Kuvasta puuttuu {', '.join(left)}: sen kunnilta puuttuu jonkin mittarin luku "
            "(herkkyys muuttaa jokaisen mittarin painoa)."
        )
    return text


def _short(label: str) -> str:
    """A measure label short enough for a chart axis: the name without the table, wrapped at
    words to a column's width, and the year."""
    year = label[-4:]
    name = label[:-4].split(" (")[0].replace(" 31.12.", "").strip()
    name = name.replace("Alueella asuva työllinen työvoima", "Työlliset")
    name = name.replace(", vuoden kuukausien keskiarvo", ", keskiarvo")
    return textwrap.fill(name.replace(",", ""), 13) + f"\n{year}"


def sensitivity_chart(comparison: Comparison, name: str, delta: float = 0.1):
    """Heat map: the change in each payment (€) when one key weight rises by ``delta``."""
    frame = sensitivity_table(comparison, name, delta)
    pivot = frame.pivot(index="Kunta", columns="Mittari", values="Paino ylös €")
    pivot = pivot.loc[sorted(pivot.index, key=str.lower), list(dict.fromkeys(frame["Mittari"]))]
    values = pivot.to_numpy(dtype=float)
    norm = diverging_norm(values.ravel(), unit=1.0)
    colormap = plt.get_cmap("RdBu_r")
    colours = np.array(diverging_colours(values.ravel(), colormap, norm, unit=1.0))
    fig, ax = plt.subplots(figsize=(9, 0.34 * len(pivot) + 2.2))
    ax.imshow(colours.reshape(*values.shape, 4), aspect="auto")
    ax.set_xticks(range(len(pivot.columns)), [_short(c) for c in pivot.columns], fontsize=8)
    ax.set_yticks(range(len(pivot.index)), pivot.index, fontsize=8)
    for i in range(pivot.shape[0]):
        for j in range(pivot.shape[1]):
            value = values[i, j]
            label = axis_number(value, 0)
            ax.text(
                j,
                i,
                label if label == "0" or value < 0 else "+" + label,
                ha="center",
                va="center",
                fontsize=MIN_ANNOTATION_PT,
                color=text_colour(colours[i * values.shape[1] + j]),
            )
    bar = fig.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=colormap), ax=ax, label="muutos €", shrink=0.6
    )
    bar.formatter = FinnishTicks()
    bar.update_ticks()
    scenario = next(s for s in comparison.scenarios if s.code == name)
    ax.set_title(
        f"{scenario.name}: maksuosuuden muutos, kun mittarin painoa nostetaan "
        f"{delta * 100:g} prosenttiyksikköä\n(muiden painot pienenevät samassa suhteessa)",
        fontsize=9,
    )
    ax.text(0, -0.08, "Lähde: Tilastokeskus", transform=ax.transAxes, fontsize=7, va="top")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    add_notice(fig, comparison.figure_notice)
    return fig


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def workbook(comparison: Comparison, path: Path) -> None:
    """The comparison in Excel: areas and rules, payments, changes, and the notes. Every sheet
    starts with its title and the example notice."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)

    def sheet(title: str, heading: str):
        ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
        put(ws, 1, 1, heading, TITLE)
        return ws, notices(ws, [comparison.notice]) + 1

    ws, row = sheet("Alueet", "Alueet ja säännöt")
    frames = []
    for result in comparison.results:
        frame = result.areas.copy()
        frame.insert(0, "Skenaario", result.scenario.name)
        frames.append(frame)
    write_frame(ws, _excel_frame(pd.concat(frames, ignore_index=True)), row)
    sheets = [
        ("Maksuosuudet", side_by_side(comparison.results, "Maksuosuus €"), {}),
        ("Valtionosuusarvio", side_by_side(comparison.results, "Valtionosuus, arvio €"), {}),
        ("Netto", side_by_side(comparison.results, "Netto €"), {}),
        (
            "Muutos päätettyyn 2025",
            side_by_side(comparison.results, "Muutos päätettyyn 2025 €"),
            {},
        ),
        (
            f"Netto, {comparison.second_basis}",
            side_by_side(comparison.second, "Netto €"),
            {},
        ),
        ("Euroa per asukas", side_by_side(comparison.results, "€/asukas"), "dec"),
        ("Netto per asukas", side_by_side(comparison.results, "Netto €/asukas"), "dec"),
        (
            "Valtionosuuden perusteet",
            funding_table(
                comparison.context, sorted({c for s in comparison.scenarios for c in s.members})
            ),
            "dec",
        ),
        ("Todellisuustarkistus", reality(comparison), "dec"),
        ("Todelliset luvut", real_figures(comparison.context), {}),
        ("Euroa per työtön", side_by_side(comparison.results, "€/työtön"), "dec"),
    ]
    for title, frame, kind in sheets:
        ws, row = sheet(title, f"{title} skenaarioittain")
        formats = (
            {c: DECIMAL_FORMAT for c in frame.columns if frame[c].dtype == float}
            if kind == "dec"
            else {}
        )
        write_frame(ws, _excel_frame(frame), row, formats)
    for result in comparison.results:
        ws, row = sheet(result.scenario.name, f"{result.scenario.name}: kunnat")
        decimals = {c: DECIMAL_FORMAT for c in ("Osuus %", "Netto €/asukas")}
        write_frame(ws, _excel_frame(result.municipalities), row, decimals)
    ws, row = sheet("Huomiot", "Huomiot ja lähteet")
    for result in comparison.results:
        put(ws, row, 1, result.scenario.name, TITLE)
        row += 1
        for note in result.notes:
            put(ws, row, 1, note, NORMAL)
            row += 1
        row += 1
    put(ws, row, 1, SOURCES_LINE, NORMAL)
    save(wb, path, status=WORKBOOK_STATUS)


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The comparison report for ``kustannukset raportti`` (only when every report is made)."""
    if years is not None:
        return []

    def check():
        context = load_context(data_dir)
        return [context.scenario(name) for name in DEFAULT_SCENARIOS]

    def excel(path: Path) -> None:
        workbook(validate_parameters(DEFAULT_SCENARIOS, data_dir), path)

    return [
        Job(
            notebook="skenaariot.ipynb",
            parameters={"skenaariot": DEFAULT_SCENARIOS, "data_kansio": data_parameter(data_dir)},
            subdir="skenaariot",
            stem="skenaariot",
            title="Työllisyysalueiden skenaariot 2025",
            check=check,
            excel=excel,
            excel_name="skenaariot.xlsx",
        )
    ]


def statistics_text(comparison: Comparison) -> str:
    """The coverage, status and sources of every figure the comparison used (keys and the labour
    force of the 20 000 rule), one line per measure and year."""
    used: dict[tuple[str, int], set[str]] = {}
    for scenario in comparison.scenarios:
        for area in scenario.areas:
            for part in area.key:
                if part.measure == FUNDING_KEY:
                    # the state-grant criteria stand behind this key part
                    for criterion in criteria(comparison.context):
                        used.setdefault((criterion.measure, criterion.year), set()).update(
                            area.members
                        )
                    continue
                used.setdefault((part.measure, part.year), set()).update(area.members)
            labour = comparison.context.spec("tyovoima")
            for measure in labour.measures:
                used.setdefault((measure, labour.year), set()).update(area.members)
    stats = comparison.context.statistics
    return "\n".join(
        f"- {kattavuus.note(stats, measure, year, sorted(codes))}"
        for (measure, year), codes in sorted(used.items())
    )
