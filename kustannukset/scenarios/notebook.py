"""What the scenario comparison notebook (notebooks/skenaariot.ipynb) shows, as functions, and its
report job for ``kustannukset raportti``. The notebook holds no formula, only calls to these.
matplotlib is imported by the functions that draw (see :mod:`kustannukset.view.charts`)."""

from __future__ import annotations

import dataclasses
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios.comparison import Comparison as Overview
from kustannukset.scenarios.comparison import compare, short_name, wide
from kustannukset.scenarios.context import RULES_DATE, Context, load_context
from kustannukset.scenarios.engine import (
    ScenarioResult,
    key_label,
    real_figures,
    reality_check,
)
from kustannukset.scenarios.fast import engine_for, sensitivity, sweep_measures
from kustannukset.scenarios.funding import criteria, funding_table, key_figures
from kustannukset.scenarios.geo import SOURCES_LINE
from kustannukset.scenarios.maps import area_map, attribution_text, value_map
from kustannukset.scenarios.model import FUNDING_KEY, Scenario
from kustannukset.scenarios.summaries import Answer, answer, sentences, shared_geographies
from kustannukset.scenarios.tables import rule_summary, side_by_side, table
from kustannukset.stats import coverage as kattavuus
from kustannukset.view.charts import (
    DPI,
    MIN_ANNOTATION_PT,
    Chart,
    add_notice,
    diverging_colours,
    diverging_norm,
    finnish_ticks,
    text_colour,
)
from kustannukset.view.excel import DECIMAL_FORMAT, WorkbookPlan, planned_workbook
from kustannukset.view.formatting import axis_number, euros
from kustannukset.view.html import Banner
from kustannukset.view.summary import Summary
from kustannukset.view.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WORKBOOK_NOTICE = (
    "Potin ja valtionosuuden tila on sarakkeissa (ESIMERKKI, ARVIO, JULKAISTU); "
    "valtionosuus, netto ja työvoima ovat ARVIOITA."
)
SUMMARY_NOTICE = (
    "ARVIO / ESIMERKKI: valtionosuus ja netto ovat arvioita, ja alueen potin kiinteä osa on "
    "esimerkki."
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


def overview_table(comparison: Comparison) -> Table:
    """The comparison of ``kustannukset skenaariot``: payment and net per municipality and
    alternative, sums per decided area."""
    frame = wide(comparison.overview)
    return table(
        frame,
        caption=f"Maksuosuus ja netto kunnittain, potin peruste '{comparison.basis}'",
        notice=comparison.notice,
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
    return "\n\n".join(lines)


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
    return textwrap.fill(name.replace(",", ""), 16, break_long_words=False) + f"\n{year}"


def sensitivity_chart(comparison: Comparison, name: str, delta: float = 0.1) -> Chart:
    """Heat map: the change in each payment (€) when one key weight rises by ``delta``."""
    frame = sensitivity_table(comparison, name, delta)
    scenario = next(s for s in comparison.scenarios if s.code == name)
    return Chart(
        lambda: _sensitivity_figure(comparison, frame, scenario, delta),
        f"{scenario.name}: maksuosuuden muutos, kun mittarin painoa nostetaan",
    )


def _sensitivity_figure(
    comparison: Comparison, frame: pd.DataFrame, scenario: Scenario, delta: float
) -> Figure:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    pivot = frame.pivot(index="Kunta", columns="Mittari", values="Paino ylös €")
    pivot = pivot.loc[sorted(pivot.index, key=str.lower), list(dict.fromkeys(frame["Mittari"]))]
    values = pivot.to_numpy(dtype=float)
    norm = diverging_norm(values.ravel(), unit=1.0)
    colormap = plt.get_cmap("RdBu_r")
    colours = np.array(diverging_colours(values.ravel(), colormap, norm, unit=1.0))
    # as wide as the printed page and low enough to share it with its heading: the measures'
    # labels side by side, each wrapped to its own column
    height = 0.13 * len(pivot) + 1.6
    fig = Figure(figsize=(10.4, height), dpi=DPI)
    # fixed margins: the municipalities' names on the left, the measures' labels (four lines)
    # and the notice (two) below
    fig.subplots_adjust(left=0.1, right=0.89, top=1 - 0.5 / height, bottom=1.15 / height)
    ax = fig.add_subplot()
    ax.imshow(colours.reshape(*values.shape, 4), aspect="auto")
    ax.set_xticks(range(len(pivot.columns)), [_short(c) for c in pivot.columns], fontsize=7)
    ax.set_yticks(range(len(pivot.index)), pivot.index, fontsize=7)
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
        plt.cm.ScalarMappable(norm=norm, cmap=colormap),
        ax=ax,
        label="muutos €",
        shrink=0.8,
        fraction=0.03,
        pad=0.01,
    )
    bar.formatter = finnish_ticks()
    bar.update_ticks()
    ax.set_title(
        f"{scenario.name}: maksuosuuden muutos, kun mittarin painoa nostetaan "
        f"{delta * 100:g} prosenttiyksikköä\n(muiden painot pienenevät samassa suhteessa)",
        fontsize=9,
    )
    fig.text(0.99, 0.005, "Lähde: Tilastokeskus", fontsize=7, ha="right", va="bottom")
    add_notice(fig, comparison.figure_notice)
    return fig


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def workbook_plan(comparison: Comparison) -> WorkbookPlan:
    """The comparison in Excel: areas and rules, payments, changes, and the notes. Every sheet
    starts with its title and the example notice."""
    plan = WorkbookPlan(WORKBOOK_STATUS)

    def sheet(title: str, heading: str) -> WorkbookPlan:
        return plan.sheet(title, heading, [comparison.notice]).gap()

    frames = []
    for result in comparison.results:
        frame = result.areas.copy()
        frame.insert(0, "Skenaario", result.scenario.name)
        frames.append(frame)
    sheet("Alueet", "Alueet ja säännöt").table(_excel_frame(pd.concat(frames, ignore_index=True)))
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
        formats = (
            {c: DECIMAL_FORMAT for c in frame.columns if frame[c].dtype == float}
            if kind == "dec"
            else {}
        )
        sheet(title, f"{title} skenaarioittain").table(_excel_frame(frame), formats)
    for result in comparison.results:
        decimals = {c: DECIMAL_FORMAT for c in ("Osuus %", "Netto €/asukas")}
        sheet(result.scenario.name, f"{result.scenario.name}: kunnat").table(
            _excel_frame(result.municipalities), decimals
        )
    sheet("Huomiot", "Huomiot ja lähteet")
    for note in method_notes(comparison):  # each once, as in the report
        plan.text(note)
    return plan.gap().text(SOURCES_LINE)


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The comparison report for ``kustannukset raportti`` (only when every report is made)."""
    if years is not None:
        return []

    def check():
        context = load_context(data_dir)
        return [context.scenario(name) for name in DEFAULT_SCENARIOS]

    def excel(path: Path) -> None:
        # the plan in the summary page's metadata of the executed notebook beside it
        planned_workbook(
            path,
            path.with_name("skenaariot.ipynb"),
            lambda: workbook_plan(validate_parameters(DEFAULT_SCENARIOS, data_dir)),
        )

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


# --- the report's first page


def banner(comparison: Comparison) -> Banner:
    """The report's title; its status (estimates and examples) goes to every printed page's
    header."""
    return Banner("# Työllisyysalueiden skenaariot 2025", WORKBOOK_STATUS)


def base_code(comparison: Comparison) -> str:
    """The file name of the decided areas 2025, the alternative every change is against."""
    return str(comparison.context.rule("vertailuskenaario").value)


def summary_answer(comparison: Comparison) -> Answer:
    """The first page's figures, from the comparison's long frame (that of ``kustannukset
    skenaariot --csv``)."""
    return answer(comparison.overview.frame, base_code(comparison))


def summary(comparison: Comparison) -> Summary:
    """Page 1, "Yhteenveto": the decided areas' totals, each alternative's biggest gain and loss
    against them, and those as a chart."""
    found = summary_answer(comparison)
    tables = []
    if found.totals:
        totals = pd.DataFrame(
            {
                "Alue": [t.area for t in found.totals],
                "Maksuosuudet €": pd.array([t.payment for t in found.totals], dtype="Int64"),
                "Valtionosuus, arvio €": pd.array([t.funding for t in found.totals], dtype="Int64"),
                "Netto €": pd.array([t.net for t in found.totals], dtype="Int64"),
            }
        )
        tables.append(
            table(totals, caption=f"Päätetyt alueet 2025 (vaihtoehto {found.base}), ARVIO")
        )
    if found.swings:
        rows = pd.DataFrame(
            {
                "Vaihtoehto": [s.alternative for s in found.swings],
                "Hyötyy eniten": [s.gain.municipality if s.gain else "–" for s in found.swings],
                "Maksaa vähemmän €": pd.array(
                    [-s.gain.change if s.gain else None for s in found.swings], dtype="Int64"
                ),
                "Maksaa eniten lisää": [
                    s.loss.municipality if s.loss else "–" for s in found.swings
                ],
                "Maksaa enemmän €": pd.array(
                    [s.loss.change if s.loss else None for s in found.swings], dtype="Int64"
                ),
            }
        )
        tables.append(
            table(
                rows,
                caption=f"Suurin hyöty ja suurin lisämaksu verrattuna vaihtoehtoon {found.base}",
            )
        )
    return Summary(
        sentences(found, comparison.basis),
        tables,
        swing_chart(found) if found.swings else None,
        notice=SUMMARY_NOTICE,
        data=workbook_plan(comparison).metadata(),
    )


GAIN_COLOUR = "#2166ac"
LOSS_COLOUR = "#b2182b"


def swing_chart(found: Answer) -> Chart:
    """Each alternative's biggest gain (blue, left) and biggest loss (red, right) against the
    decided areas, € , each bar named by its municipality."""
    key = ("swing_chart", repr(found))
    return Chart(lambda: _swing_figure(found), "Suurin hyöty ja lisämaksu vaihtoehdoittain", key)


def _swing_figure(found: Answer) -> Figure:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    swings = found.swings
    height = 0.5 * len(swings) + 1.4
    figure = Figure(figsize=(5.4, height), dpi=DPI)
    figure.subplots_adjust(left=0.1, right=0.97, top=1 - 0.6 / height, bottom=0.75 / height)
    ax = figure.add_subplot()
    places = list(range(len(swings)))[::-1]
    # drawn in millions of euros (the axis); the amounts themselves are in the table beside
    gains = [s.gain.change / 1e6 if s.gain else 0 for s in swings]
    losses = [s.loss.change / 1e6 if s.loss else 0 for s in swings]
    ax.barh(places, gains, color=GAIN_COLOUR, height=0.6)
    ax.barh(places, losses, color=LOSS_COLOUR, height=0.6)
    for place, swing in zip(places, swings, strict=True):
        for move, side in ((swing.gain, "right"), (swing.loss, "left")):
            if move is not None:
                ax.annotate(
                    move.municipality,
                    (move.change / 1e6, place),
                    xytext=(-3 if side == "right" else 3, 0),
                    textcoords="offset points",
                    ha=side,
                    va="center",
                    fontsize=8,
                )
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks(places, [s.alternative for s in swings], fontsize=9)
    ax.xaxis.set_major_locator(MaxNLocator(6))
    ax.xaxis.set_major_formatter(finnish_ticks())
    ax.tick_params(axis="x", labelsize=8)
    ax.margins(x=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlabel("muutos päätettyihin alueisiin, milj. € (sininen: maksaa vähemmän)", fontsize=8)
    ax.set_title(
        f"Suurin hyöty ja suurin lisämaksu verrattuna vaihtoehtoon {found.base}", fontsize=9
    )
    return figure


# --- the alternatives, their areas and the law


def alternatives_table(comparison: Comparison) -> Table:
    """Each alternative once: its name, its key and whose areas it has."""
    groups = shared_geographies(comparison.scenarios)
    first = {id(s): group[0] for group in groups for s in group}
    rows = []
    for result in comparison.results:
        scenario = result.scenario
        owner = first[id(scenario)]
        rows.append(
            {
                "Vaihtoehto": scenario.name,
                "Alueita": len(scenario.areas),
                "Alueet": "omat" if owner is scenario else f"samat kuin {short_name(owner)}",
                "Jakoperuste": key_label(scenario.areas[0].key),
            }
        )
    return table(pd.DataFrame(rows), caption="Vertailun vaihtoehdot")


def rules_table(comparison: Comparison) -> Table:
    """The law's rules per area, each distinct set of areas once (the alternatives that differ
    only by their key share one)."""
    groups = shared_geographies(comparison.scenarios)
    by_code = {r.scenario.code: r for r in comparison.results}
    parts = []
    for group in groups:
        frame = rule_summary([by_code[group[0].code]])
        frame["Skenaario"] = ", ".join(short_name(s) for s in group)
        parts.append(frame.rename(columns={"Skenaario": "Vaihtoehdot"}))
    return table(
        pd.concat(parts, ignore_index=True),
        caption="Alueet ja lain säännöt (20 000 -sääntö: työvoima on johdettu arvio)",
    )


# --- maps

MAP_NAME_PT = 6.5  # municipality names on the printed maps


def _shared_title(group: list[Scenario]) -> str:
    title = group[0].name.replace(", ", ",\n")
    if len(group) > 1:
        title += f"\n(samat alueet: {', '.join(short_name(s) for s in group[1:])})"
    return title


def area_maps(comparison: Comparison) -> Chart:
    """Each distinct set of areas once (the alternatives that differ only by key share a map),
    side by side on one page, every municipality named."""
    groups = shared_geographies(comparison.scenarios)
    count = len(groups)
    return Chart(
        lambda: _area_maps_figure(comparison, groups),
        f"Alueet kartalla ({count} aluejakoa)",
    )


def _area_maps_figure(comparison: Comparison, groups: list[list[Scenario]]) -> Figure:
    from matplotlib.figure import Figure

    count = len(groups)
    figure = Figure(figsize=(10.6, 6.6), dpi=DPI)
    for n, group in enumerate(groups):
        ax = figure.add_subplot(1, count, n + 1)
        area_map(
            comparison.context.boundaries,
            group[0],
            ax=ax,
            title=_shared_title(group),
            names=MAP_NAME_PT,
            legend_below=True,
            attribution=False,
        )
    figure.subplots_adjust(left=0.01, right=0.99, top=0.9, bottom=0.2, wspace=0.05)
    figure.text(0.01, 0.005, attribution_text(False), fontsize=7, color="#444444")
    return figure


def change_values(result: ScenarioResult, column: str) -> dict[str, float | None]:
    frame = result.municipalities
    return {
        c: None if pd.isna(v) else float(v)
        for c, v in zip(frame["Kuntanumero"], frame[column], strict=True)
    }


def change_maps(comparison: Comparison, column: str = "Muutos päätettyyn 2025 €/asukas") -> Chart:
    """Change against the decided 2025 areas, € per inhabitant, for every alternative but the
    decided areas themselves, on one diverging scale centred on zero for every map (one colour
    bar), so that a colour means the same change in each; changes under 1 € per inhabitant are
    drawn as "no change"."""
    base = base_code(comparison)
    results = [r for r in comparison.results if r.scenario.code != base]
    return Chart(
        lambda: _change_maps_figure(comparison, results, column),
        "Muutos päätettyihin alueisiin, € / asukas",
    )


def _change_maps_figure(
    comparison: Comparison, results: list[ScenarioResult], column: str
) -> Figure:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    count = max(len(results), 1)
    per_row = min(count, 3)
    rows = -(-count // per_row)
    figure = Figure(figsize=(10.6, 3.5 * rows + 0.6), dpi=DPI)
    maps = [change_values(result, column) for result in results]
    norm = diverging_norm([v for values in maps for v in values.values() if v is not None], 1.0)
    for n, (result, values) in enumerate(zip(results, maps, strict=True)):
        ax = figure.add_subplot(rows, per_row, n + 1)
        value_map(
            comparison.context.boundaries,
            values,
            ax=ax,
            title=result.scenario.name.replace(", jakoperuste", ",\njakoperuste").replace(
                " (", "\n("
            ),
            label="muutos €/asukas",
            neutral=NEUTRAL_BAND,
            norm=norm,
            names=MAP_NAME_PT - 0.5,
            attribution=False,
        )
    figure.subplots_adjust(left=0.01, right=0.9, top=0.93, bottom=0.09, wspace=0.05, hspace=0.2)
    bar = figure.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=plt.get_cmap("RdBu_r")),
        cax=figure.add_axes((0.92, 0.2, 0.015, 0.6)),
        label="muutos €/asukas, sama asteikko kaikissa kartoissa",
    )
    bar.formatter = finnish_ticks()
    bar.update_ticks()
    # the sources above the notice (two lines at the lower left)
    figure.text(0.01, 0.05, attribution_text(True), fontsize=7, color="#444444")
    add_notice(figure, comparison.figure_notice)
    return figure


def changes_table(comparison: Comparison, column: str = "Muutos päätettyyn 2025 €") -> Table:
    """The change of every municipality's payment against the decided areas, € (a column per
    alternative but the decided areas)."""
    base = base_code(comparison)
    results = [r for r in comparison.results if r.scenario.code != base]
    frame = side_by_side(results, column)
    frame = frame.rename(columns={r.scenario.name: short_name(r.scenario) for r in results})
    return table(
        frame,
        caption="Maksuosuuden muutos päätettyihin alueisiin 2025 verrattuna, € (+ maksaa "
        f"enemmän), potin peruste '{comparison.basis}'",
    )


# --- the method and sources, each once


def scenarios_table(comparison: Comparison) -> Table:
    """Each set of areas once: the alternatives that share it, its description (that of the
    first, whose areas they are; the others differ by their key only) and its sources (the
    fullest of the alternatives' texts, which name the same documents)."""
    rows = [
        {
            "Vaihtoehdot": ", ".join(short_name(s) for s in group),
            "Alueet": group[0].description,
            "Lähde": max((s.source for s in group), key=len),
        }
        for group in shared_geographies(comparison.scenarios)
    ]
    return table(pd.DataFrame(rows), caption="Aluejakojen kuvaukset ja lähteet")


# notes said elsewhere in the method: the comparison's own notes name each alternative's key,
# the pool and the state funding once
_SAID_ELSEWHERE = ("Jakoperuste:", "Kustannuspotti", "Valtionosuus on", "Kokeilu ")


def method_notes(comparison: Comparison) -> list[str]:
    """Every note of the comparison once: the comparison's own notes (the basis, the pool, the
    state funding, each alternative), then the alternatives' other notes, each once (one that
    concerns a single alternative named by it)."""
    notes = list(comparison.overview.notes)
    counts: dict[str, list[str]] = {}
    for result in comparison.results:
        for note in result.notes:
            if not note.startswith(_SAID_ELSEWHERE):
                counts.setdefault(note, []).append(short_name(result.scenario))
    everyone = len(comparison.results)
    for note, whose in counts.items():
        notes.append(note if len(whose) == everyone else f"{', '.join(whose)}: {note}")
    return list(dict.fromkeys(notes))


def method_text(comparison: Comparison) -> str:
    """ "Menetelmä ja lähteet": how the figures are made and every note, once (Markdown)."""
    basis = comparison.context.rules["potin_peruste"].at(RULES_DATE)
    lines = [
        f"Potin peruste: **'{comparison.basis}'** (oletus; toinen näkymä "
        f"'{comparison.second_basis}' on työkirjassa). {basis.source}",
        "",
        "Maksuosuus on alueen potin osuus jakoperusteen mukaan kokonaisina euroina "
        "(tasasumma: osuudet täsmäävät alueen pottiin euron tarkasti). Valtionosuus on ARVIO "
        "(painot ja ikärajat eivät ole säädöksestä varmistettuja). Muutos ja netto lasketaan "
        "vain saman perusteen luvuista.",
        "",
        "Huomiot:",
        "",
    ]
    lines.extend(f"- {note}" for note in method_notes(comparison))
    lines += [
        "",
        "Kaikki luvut kunnittain ja vaihtoehdoittain: `kustannukset skenaariot --csv`; "
        "työkirjassa skenaariot.xlsx lisäksi valtionosuusarvio perusteittain, toisen näkymän "
        "netot, euroa asukasta ja työtöntä kohden ja alueiden summat.",
    ]
    return "\n".join(lines)
