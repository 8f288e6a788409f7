"""What the partitions notebook (notebooks/aluejaot.ipynb) shows, as functions, and its report job
for ``kustannukset raportti``. The notebook holds no formula, only calls to these. matplotlib is
imported by the functions that draw (see :mod:`kustannukset.view.charts`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.paths import DATA_DIR
from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.districts.partitions import PartitionSpace
from kustannukset.districts.region import BACKGROUND, MAP_ATTRIBUTION, SOURCES_LINE, load_context
from kustannukset.view import summary as page_one
from kustannukset.view.charts import DPI, Chart
from kustannukset.view.excel import DECIMAL_FORMAT, WorkbookPlan, planned_workbook
from kustannukset.view.formatting import euros
from kustannukset.view.labels import count as counted
from kustannukset.view.tables import Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_COMPARISON_KEY = "tyottomat_tyonhakijat_ka:2021"
POOL_STATUS = {"esimerkki": "ESIMERKKI", "arvio": "ARVIO"}


@dataclass
class Report:
    region: districts.Region
    space: PartitionSpace
    summaries: list[summaries.Summary]  # the key first, then the comparison key


def _names(value: object, what: str) -> list[str]:
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        raise InputError(f"parametri {what} = {value!r}: anna luettelo")
    return [i for i in items if i]


def validate_parameters(
    skenaario: object = districts.DEFAULT_SCENARIO,
    vertailuavain: object = DEFAULT_COMPARISON_KEY,
    kunnat: object = (),
    kiinnitetty: object = (),
    data_kansio: object = "",
    maakunta: object = districts.REGION,
    avain: object = "",
) -> Report:
    """Check the parameters, count every legal partition and evaluate them under the key (empty:
    the labour force of the 20 000 rule) and, if given, the comparison key, with the pool of the
    scenario's first area; a mistake is a Finnish error."""
    data_dir = Path(str(data_kansio)) if str(data_kansio or "") else DATA_DIR
    if not data_dir.is_dir():
        raise InputError("datakansiota ei löydy", file=data_dir)
    context = load_context(data_dir)
    region = districts.load_region(
        context,
        _names(kunnat, "kunnat"),
        region=districts.resolve_region(context, str(maakunta)),
        fixed=_names(kiinnitetty, "kiinnitetty"),
    )
    space = region.space()
    keys = [districts.parse_key(str(avain)) if str(avain or "").strip() else None]
    if str(vertailuavain or "").strip():
        keys.append(districts.parse_key(str(vertailuavain)))
    made = [
        summaries.summarise(region, districts.load_basis(region, str(skenaario), key), space=space)
        for key in keys
    ]
    return Report(region, space, made)


def intro(report: Report) -> str:
    region, first = report.region, report.summaries[0]
    fixed = ", ".join(a.name for a in region.fixed) or "ei"
    lines = [
        f"- {region.title()}: **{len(region.codes)}** kuntaa ({', '.join(region.names)})",
        f"- Työvoima: {region.labour_label}; raja **{euros(region.threshold)}**",
        *(f"- Kuntaliitos: {note}" for note in region.division_notes),
        "- Naapuruus: kuntarajoista (yhteinen rajajana), kuten skenaarioiden yhtenäisyystarkistus",
        f"- Kiinnitetyt alueet: {fixed}",
        f"- **Laillisia aluejakoja: {euros(first.count)}**",
    ]
    if first.decided is not None:
        legal = "on" if first.decided_legal else "**ei ole**"
        crossing = [
            area.name
            for area, outside in districts.decided_areas_in(region.context, region.codes)
            if outside
        ]
        lines.append(
            f"- Päätetyt alueet 2025 {legal} näiden kuntien laillinen jako"
            + (
                ""
                if not crossing
                else ": " + ", ".join(crossing) + " ulottuu maakunnan rajan yli, joten päätetyt "
                "alueet sijoitetaan maakunnan sisäisten osiensa mukaan"
            )
        )
    return "\n".join(lines)


def estimate_note(summary: summaries.Summary) -> str:
    """What in the payments is an estimate or an example, in one line for every output."""
    status = POOL_STATUS.get(summary.basis.pool_status)
    pool = (
        f"kustannuspotti on {status} ({summary.basis.pool_label.split(':')[0]})" if status else ""
    )
    parts = [p for p in (pool, "työvoima johdettu ARVIO") if p]
    if summary.basis.funding_label:
        parts.append("valtionosuus ARVIO")
    return (
        "; ".join(parts)[0].upper()
        + "; ".join(parts)[1:]
        + "; maksut ovat pyöristämättömiä laskelmia ilman alennuksia."
    )


def _listed(names: list[str]) -> str:
    return _and(names) if names else "ei yksikään kunta"


def summary_sentences(report: Report) -> list[str]:
    """The partitions report's answer in plain Finnish, from :func:`summaries.headline`."""
    first = report.summaries[0]
    head = summaries.headline(first)
    region = report.region
    towns = counted(head.municipalities, "kunta", "kuntaa") + (
        f" ({region.name})" if region.name else ""
    )
    sentences = [
        f"{towns} voidaan jakaa työllisyysalueisiin laillisesti {euros(head.count)} tavalla: "
        f"jokainen alue on yhtenäinen ja sen työvoima on vähintään {euros(region.threshold)}."
        if head.count
        else f"{towns}: ei yhtään laillista jakoa.",
    ]
    if head.count:
        sentences.append(
            f"Jaoissa on {head.fewest_areas}–{head.most_areas} aluetta, useimmissa "
            f"{head.usual_areas} ({euros(head.usual_count)} jakoa); yksin voisi järjestää "
            f"palvelut {_listed(head.alone)}."
        )
    if first.decided is not None:
        crossing = [
            area.name
            for area, outside in districts.decided_areas_in(region.context, region.codes)
            if outside
        ]
        if head.decided_legal:
            sentences.append("Päätetyt alueet 2025 ovat yksi näistä jaoista.")
        else:
            sentences.append(
                "Päätetyt alueet 2025 eivät ole yksi näistä jaoista"
                + (f", koska {_and(crossing)} ulottuu maakunnan rajan yli" if crossing else "")
                + "; kuntia verrataan päätettyjen alueiden maakunnan sisäisiin osiin."
            )
    if head.standings:
        under, over = head.most_under, head.most_over
        text = (
            f"Jakoperusteella {first.basis.key_label.lower()} päätetyillä alueilla "
            f"{counted(len(head.below_median), 'kunta', 'kuntaa')} maksaa vähemmän ja "
            f"{counted(len(head.above_median), 'kunta', 'kuntaa')} enemmän kuin mediaanijaossa"
        )
        details = []
        if over is not None:
            details.append(f"eniten yli {over.name} (+{euros(over.over)} €)")
        if under is not None:
            details.append(f"eniten alle {under.name} ({euros(under.over)} €)")
        sentences.append(text + (": " + ", ".join(details) if details else "") + ".")
    return sentences


def summary_page(report: Report) -> page_one.Summary:
    """Page 1, "Yhteenveto": how many legal partitions there are, of how many areas, and where
    the decided areas put each municipality's payment, with its range as the chart."""
    first = report.summaries[0]
    head = summaries.headline(first)
    tables = [count_table(report, caption="Laillisia jakoja alueiden määrän mukaan")]
    if head.standings:
        rows = [s for s in (head.most_over, head.most_under) if s is not None]
        frame = pd.DataFrame(
            {
                "Kunta": [s.name for s in rows],
                "Päätetyt alueet €": [s.decided for s in rows],
                "Mediaani €": [s.median for s in rows],
                "Ero €": [s.over for s in rows],
            }
        )
        tables.append(
            Table(
                frame,
                {c: _decimals(0) for c in frame.columns if c.endswith("€")},
                caption="Suurin ero päätettyjen alueiden ja mediaanijaon maksun välillä",
            )
        )
    return page_one.Summary(
        summary_sentences(report),
        tables,
        Chart(lambda: distribution_chart(first, compact=True), "€/asukas kaikissa jaoissa"),
        notice=estimate_note(first),
        data=workbook_plan(report).metadata(),
    )


def count_table(report: Report, caption: str = "") -> Table:
    summary = report.summaries[0]
    frame = pd.DataFrame(
        {"Alueita": list(summary.by_areas), "Laillisia jakoja": list(summary.by_areas.values())}
    )
    total = pd.DataFrame({"Alueita": ["yhteensä"], "Laillisia jakoja": [summary.count]})
    return Table(
        pd.concat([frame.astype({"Alueita": str}), total], ignore_index=True), caption=caption
    )


def basis_text(summary: summaries.Summary) -> str:
    basis = summary.basis
    lines = [
        f"- Jakoperuste: **{basis.key_label}**",
        f"- Kustannuspotti: {basis.pool_label} ({basis.source_title})",
        f"- €/asukas: {basis.population_label}",
    ]
    if basis.funding_label:
        lines.append("- Netto = valtionosuusarvio (ARVIO; sen peruste raportin lopussa) − maksu")
    return "\n".join(lines)


def _decimals(places: int):
    return lambda v: "–" if v is None or pd.isna(v) else euros(v, places)


def municipality_table(summary: summaries.Summary, whole: bool = False) -> Table:
    """Each municipality's payments and nets over every legal partition; the € per inhabitant
    columns and the nets' extremes only with ``whole`` (the report shows € per
    inhabitant as the summary's chart)."""
    frame = summary.table.drop(columns=["Kuntanumero"])
    if not whole:
        # the nets' extremes are the funding less the payments' extremes: left to the workbook
        dropped = ("€/asukas", "Netto pienin €", "Netto suurin €")
        frame = frame[[c for c in frame.columns if not c.endswith(dropped)]]
    formats = {c: _decimals(0) for c in frame.columns if c.endswith(" €")}
    formats.update({c: _decimals(2) for c in frame.columns if c.endswith("€/asukas")})
    if "Persentiili %" in frame:
        formats["Persentiili %"] = _decimals(1)
    return Table(frame, formats)


def distribution_chart(summary: summaries.Summary, compact: bool = False):
    """Each municipality's € per inhabitant over all legal partitions: the range, the median and
    the decided areas; ``compact`` for the summary page, beside its figures."""
    from matplotlib.figure import Figure

    frame = summary.table.iloc[::-1]
    # a Figure of its own, not pyplot's: the notebook shows it once, as the summary's chart
    fig = Figure(figsize=(5.2, 0.2 * len(frame) + 1.0) if compact else (7, 0.3 * len(frame) + 1.2))
    ax = fig.subplots()
    y = np.arange(len(frame))
    low = frame["Pienin €/asukas"].astype(float)
    high = frame["Suurin €/asukas"].astype(float)
    ax.hlines(y, low, high, color="#7570b3", linewidth=4, alpha=0.5, label="pienin–suurin")
    if frame["Mediaani €/asukas"].notna().all():
        ax.plot(frame["Mediaani €/asukas"], y, "|", color="black", markersize=12, label="mediaani")
    if "Päätetyt alueet €/asukas" in frame:
        ax.plot(frame["Päätetyt alueet €/asukas"], y, "o", color="#d95f02", label="päätetyt alueet")
    ax.set_yticks(y, frame["Kunta"], fontsize=8)
    ax.set_xlabel("€ asukasta kohden")
    ax.xaxis.set_major_formatter(lambda v, _pos: euros(v, 2 if not compact else 0))
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(
        "€/asukas kaikissa laillisissa jaoissa"
        + ("" if compact else f": {summary.basis.key_label}"),
        fontsize=10,
    )
    fig.tight_layout()
    return fig


# The comparison key's columns in the report (the rest are in the workbook and the CSV).
COMPARISON_COLUMNS = [
    "Kunta",
    "Pienin €",
    "Mediaani €",
    "Suurin €",
    "Päätetyt alueet €",
    "Persentiili %",
    "Netto päätetyt alueet €",
]


def key_text(summary: summaries.Summary) -> str:
    """The key of a summary, in one line (its pool and funding are told once, with the first)."""
    return f"Jakoperuste: **{summary.basis.key_label}**; potti ja valtionosuusarvio kuten edellä."


def comparison_table(summary: summaries.Summary) -> Table:
    """A second key's payments in brief: the range, the median and the decided areas."""
    frame = summary.table[[c for c in COMPARISON_COLUMNS if c in summary.table]]
    formats = {c: _decimals(0) for c in frame.columns if c.endswith(" €")}
    if "Persentiili %" in frame:
        formats["Persentiili %"] = _decimals(1)
    return Table(frame, formats)


def method_text(report: Report) -> str:
    """ "Menetelmä ja lähteet": the region and its rule, what is an estimate, and every note of
    the summaries once (Markdown)."""
    notes: list[str] = []
    for summary in report.summaries:
        for text in summary.notes:
            if text not in notes:
                notes.append(text)
    return "\n".join(
        [
            f"## {page_one.METHOD_HEADING}",
            "",
            intro(report),
            "",
            f"- {estimate_note(report.summaries[0])}",
            *(
                [f"- Valtionosuusarvio: {report.summaries[0].basis.funding_label}"]
                if report.summaries[0].basis.funding_label
                else []
            ),
            "- Jakoja ei luetella yksitellen: kunnan maksu riippuu vain sen omasta alueesta, "
            "joten jakaumat lasketaan täsmälleen alueista ja kunkin alueen laillisten jakojen "
            "määrästä.",
            *(f"- {text}" for text in notes),
            "- Minkä tahansa jaon saa skenaariotiedostoksi komennolla "
            "`kustannukset aluejaot --kirjoita TIEDOSTO.yaml --jako N`; kaikki luvut: "
            "`kustannukset aluejaot --csv` ja raportin Excel-tiedosto.",
        ]
    )


def top_frame(summary: summaries.Summary, places: int | None = None) -> pd.DataFrame:
    """The top partitions by each criterion, the first ``places`` of each (None: all)."""
    region = summary.region
    rows = []
    for name, label in summaries.CRITERIA.items():
        for place, ranked in enumerate(summary.top[name][:places], start=1):
            rows.append(
                {
                    "Peruste": label,
                    "Sija": place,
                    "Jako nro": ranked.index + 1,
                    "Alueita": ranked.areas,
                    "€/asukas-ero alueiden välillä": ranked.area_spread,
                    "€/asukas-ero kuntien välillä": ranked.spread,
                    "Alueet (vastuukunta: kunnat)": " | ".join(
                        f"{region.context.name(region.lead(b))}: "
                        + ", ".join(sorted(region.context.name(c) for c in b))
                        for b in ranked.blocks
                    ),
                }
            )
    return pd.DataFrame(rows)


# The criteria in a word each for the printed table (the report's text says them whole).
SHORT_CRITERIA = {
    summaries.CRITERIA["tasaisin"]: "tasaisin",
    summaries.CRITERIA["vahiten"]: "vähiten alueita",
    summaries.CRITERIA["eniten"]: "eniten alueita",
}


# The partitions' areas wrap in a column as wide as the page leaves (fewer lines per row).
TOP_AREAS_WRAP_PX = 900


def top_table(summary: summaries.Summary, places: int | None = None) -> Table:
    frame = top_frame(summary, places)
    frame["Peruste"] = frame["Peruste"].map(lambda label: SHORT_CRITERIA.get(label, label))
    return Table(
        frame,
        {
            "Sija": str,
            "Jako nro": euros,
            "Alueita": str,
            "€/asukas-ero alueiden välillä": _decimals(2),
            "€/asukas-ero kuntien välillä": _decimals(2),
        },
        wrap=TOP_AREAS_WRAP_PX,
    )


def minimal_frame(report: Report) -> pd.DataFrame:
    frames = []
    for code in sorted(report.region.codes, key=report.region.context.name):
        frame = districts.minimal_areas_table(report.region, code)
        frame.insert(0, "Kunta", report.region.context.name(code))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def minimal_area_maps(report: Report, columns: int = 8) -> Chart:
    """One small map per municipality: the municipality in black, and each other municipality
    coloured by the share of its minimal legal areas that include it."""
    return Chart(
        lambda: _minimal_area_maps_figure(report, columns),
        f"Kuntien pienimmät lailliset alueet kartalla ({report.region.name or 'valitut kunnat'})",
    )


def _minimal_area_maps_figure(report: Report, columns: int) -> Figure:
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import PolyCollection
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure

    region, context = report.region, report.region.context
    codes = sorted(region.codes, key=context.name)
    rows = -(-len(codes) // columns)
    # the maps fill the figure (no margins to shrink them on the page), above the source line
    fig = Figure(figsize=(2.4 * columns, 2.3 * rows), dpi=DPI, layout="constrained")
    fig.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
    axes = fig.subplots(rows, columns, squeeze=False)
    cmap = colormaps["Blues"]
    areas_of = {code: districts.minimal_areas(region, code) for code in codes}
    norm = Normalize(vmin=0, vmax=100)
    polygons = {c: districts.division_polygons(context, c) for c in region.codes}
    xs = [p[0] for c in region.codes for poly in polygons[c] for p in poly[0]]
    ys = [p[1] for c in region.codes for poly in polygons[c] for p in poly[0]]
    for ax, code in zip(axes.flat, codes, strict=False):
        found = max(1, len(areas_of[code]))
        times = {c: 100 * sum(c in a for a in areas_of[code]) / found for c in region.codes}
        rings, colours = [], []
        for other in region.codes:
            if other == code:
                colour = "black"
            elif times[other]:
                colour = cmap(norm(times[other]))
            else:
                colour = BACKGROUND
            for polygon in polygons[other]:
                rings.append(polygon[0])
                colours.append(colour)
        ax.add_collection(
            PolyCollection(rings, facecolors=colours, edgecolors="white", linewidths=0.4)
        )
        ax.set_xlim(min(xs), max(xs))
        ax.set_ylim(min(ys), max(ys))
        ax.set_aspect(1 / np.cos(np.radians((min(ys) + max(ys)) / 2)))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{context.name(code)} ({len(areas_of[code])})", fontsize=8)
    for ax in list(axes.flat)[len(codes) :]:
        ax.axis("off")
    fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=axes,
        shrink=0.5,
        label="osuus kunnan pienimmistä alueista, %",
    )
    fig.text(0.01, 0.005, MAP_ATTRIBUTION, fontsize=7, color="#444444")
    return fig


def _plain(line: str) -> str:
    """A line of the report's Markdown as plain text for a workbook cell."""
    return line.lstrip("-> ").replace("**", "").replace("`", "")


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def _key_word(label: str) -> str:
    """A key's first word, for a sheet's name: "Työvoima (…) 31.12.2021" -> "työvoima"."""
    word = label.split()[0].strip(",()") if label.split() else label
    return word.lower()


WORKBOOK_STATUS = "ARVIO / ESIMERKKI"


def workbook_plan(report: Report) -> WorkbookPlan:
    """The partitions in Excel: counts, each key's municipality summary, the top partitions, the
    minimal areas, and the notes. Every sheet has its title in A1 and its notices under it."""
    notice = estimate_note(report.summaries[0])
    plan = WorkbookPlan(WORKBOOK_STATUS)
    summary = report.summaries[0]
    counts = pd.DataFrame(
        {"Alueita": list(summary.by_areas), "Laillisia jakoja": list(summary.by_areas.values())}
    )
    plan.sheet(
        "Jakojen määrä", "Laillisten aluejakojen määrä alueiden määrän mukaan", [notice]
    ).gap().table(counts)
    for item in report.summaries:
        key = item.basis.key_label
        word = _key_word(key)
        frame = item.table
        formats = {c: DECIMAL_FORMAT for c in frame.columns if "asukas" in c or c.endswith("%")}
        plan.sheet(
            f"Kunnat, {word}", f"Kuntien maksut kaikissa jaoissa, jakoperuste: {key}", [notice]
        ).gap().table(_excel_frame(frame), formats)
        frame = top_frame(item)
        plan.sheet(f"Kärkijaot, {word}", f"Kärkijaot, jakoperuste: {key}", [notice]).gap()
        plan.table(_excel_frame(frame), {c: DECIMAL_FORMAT for c in frame.columns if "ero" in c})
    plan.sheet("Pienimmät alueet", "Kuntien pienimmät lailliset alueet", [notice]).gap()
    plan.table(_excel_frame(minimal_frame(report)))
    plan.sheet("Huomiot", "Menetelmä ja lähteet").gap()
    for item in report.summaries:
        for line in basis_text(item).splitlines():
            plan.text(_plain(line))
        plan.gap()
    for line in method_text(report).splitlines()[1:]:  # the report's method, without its heading
        if line.strip():
            plan.text(_plain(line))
    return plan.text(SOURCES_LINE)


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The partitions report for ``kustannukset raportti`` (only when every report is made)."""
    if years is not None:
        return []

    def check():
        context = load_context(data_dir)
        return context.scenario(districts.DEFAULT_SCENARIO)

    def excel(path: Path) -> None:
        # the plan in the summary page's metadata of the executed notebook beside it
        planned_workbook(
            path,
            path.with_name("aluejaot.ipynb"),
            lambda: workbook_plan(validate_parameters(data_kansio=data_parameter(data_dir))),
        )

    return [
        Job(
            notebook="aluejaot.ipynb",
            parameters={"data_kansio": data_parameter(data_dir)},
            subdir="aluejaot",
            stem="aluejaot",
            title="Kaikki lailliset työllisyysaluejaot",
            check=check,
            excel=excel,
            excel_name="aluejaot.xlsx",
        )
    ]


# --- the whole country: the decided areas of 2025 on a map, and a row per region -----------------

# Area colours on the national map: neighbouring areas get different ones (a greedy colouring), so
# a few soft colours that print apart are enough; each area is named by its number.
NATIONAL_COLOURS = ["#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5"]
OUTSIDE_COLOUR = "#d9d9d9"  # Ahvenanmaa: outside the reform
# The capital region's window on the national map (longitude, latitude), where areas are small.
CAPITAL_REGION = (24.2, 25.6, 59.95, 60.65)


def national(report: Report) -> pd.DataFrame:
    """The regions' table (:func:`kustannukset.districts.summaries.national`), reusing the
    report's own region's partitions when it is a whole region, and kept between runs: the counts
    of the large regions take seconds, and they change only with the data or the program. The
    table is stored under the user's cache folder by a digest of every file of the data folder
    and of the package (:func:`_fingerprint`); a cache that cannot be read or written is
    skipped."""
    region = report.region
    path = _cache_folder() / f"aluejaot-koko-maa-{_fingerprint(region.context.data_dir)}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        rows = json.loads(path.read_text(encoding="utf-8"))
        return summaries.national_frame(rows)
    spaces = {region.name: report.space} if region.name and not region.fixed else {}
    frame = summaries.national(region.context, spaces=spaces)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(
            json.dumps(frame.to_dict("records"), ensure_ascii=False), encoding="utf-8"
        )
        os.replace(partial, path)
        _prune(path)
    return frame


# Tables kept for other data folders or earlier versions of the program: the newest few stay.
KEPT_TABLES = 4


def _prune(kept: Path) -> None:
    """Remove all but the newest :data:`KEPT_TABLES` regions' tables beside ``kept`` (``kept``
    itself always stays); a file that cannot be removed stays."""
    older = sorted(
        (p for p in kept.parent.glob("aluejaot-koko-maa-*.json") if p != kept),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for path in older[KEPT_TABLES - 1 :]:
        with contextlib.suppress(OSError):
            path.unlink()


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kustannukset"


def _fingerprint(data_dir: Path) -> str:
    """A digest of every file of the data folder and every module of the package, by path and
    content."""
    digest = hashlib.blake2b(digest_size=16)
    for root in (Path(data_dir), Path(__file__).resolve().parents[1]):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def national_text(frame: pd.DataFrame) -> str:
    """The national page's words for a council member before the map (``frame``: the regions'
    table of :func:`national`, for the same signature as :func:`national_table_text`)."""
    lines = [
        "Työllisyyspalvelut siirtyivät kunnille 1.1.2025. Manner-Suomi jaettiin 45 "
        "työllisyysalueeseen: useimmat ovat usean kunnan yhteisiä alueita, joilla yksi kunta on "
        "vastuukunta, ja muutama suuri kaupunki järjestää palvelut yksin. Kuusi aluetta jäi alle "
        "20 000 hengen työvoiman valtioneuvoston poikkeusluvalla (kartassa tähti).",
    ]
    return "\n".join(lines)


def national_table_text(frame: pd.DataFrame) -> str:
    """The words before the regions' table, with its figures."""
    counted = frame.dropna(subset=["Laillisia jakoja"])
    one_way = counted[counted["Laillisia jakoja"] == 1]["Maakunta"].tolist()
    largest = counted.sort_values("Laillisia jakoja", ascending=False).iloc[0]
    alone = sum(bool(v) for v in frame["Voisi järjestää yksin"])
    lines = [
        "Taulukko kertoo maakunnittain, kuinka monella tavalla maakunnan kunnat olisi voitu jakaa "
        "alueisiin lain ehdoilla: jokainen alue yhtenäinen ja sen työvoima vähintään 20 000. "
        f"Eniten vaihtoehtoja on maakunnassa {largest['Maakunta']} "
        f"({euros(largest['Laillisia jakoja'])} tapaa)."
        + (
            f" {'Maakunnissa' if len(one_way) > 1 else 'Maakunnassa'} {_and(one_way)} lain "
            "ehdot täyttää vain yksi jako: koko maakunta yhtenä alueena."
            if one_way
            else ""
        ),
        "",
        "Sarake *Yksin riittäviä* kertoo, monenko kunnan oma työvoima riittää 20 000 hengen "
        f"rajaan; tällainen kunta on {alone} maakunnassa. Kunnat ja päätetyt alueet (*rajan yli*: "
        "alue ulottuu toiseen maakuntaan) on lueteltu taulukon alla. Kuntajako on vuoden 2025 "
        "(Pertunmaa on osa Mäntyharjua), työvoima 31.12.2021 (johdettu arvio).",
    ]
    return "\n".join(lines)


def national_table(frame: pd.DataFrame) -> Table:
    """The regions' table, narrow enough for a printed page: the count by number of areas as the
    range of areas, the decided areas and the municipalities that could stand alone as numbers
    (named in :func:`national_names`)."""
    rows = []
    for row in frame.to_dict("records"):
        areas = [part.split(": ")[0] for part in str(row["Alueiden määrän mukaan"]).split(", ")]
        areas = [a for a in areas if a]
        decided = [p for p in str(row["Päätetyt alueet 2025"]).split("; ") if p]
        crossing = sum("rajan yli" in p for p in decided)
        alone = [n for n in str(row["Voisi järjestää yksin"]).split(", ") if n]
        rows.append(
            {
                "Maakunta": row["Maakunta"],
                "Kuntia": row["Kuntia"],
                "Työvoima": row["Työvoima"],
                "Laillisia jakoja": row["Laillisia jakoja"],
                "Alueita jaossa": f"{areas[0]}–{areas[-1]}" if len(areas) > 1 else "".join(areas),
                "Päätettyjä alueita": f"{len(decided)}"
                + (f" ({crossing} rajan yli)" if crossing else ""),
                "Yksin riittäviä": len(alone),
            }
        )
    count = _decimals(0)
    return Table(
        pd.DataFrame(rows),
        {
            "Kuntia": str,
            "Työvoima": count,
            "Laillisia jakoja": count,
            "Alueita jaossa": str,
            "Päätettyjä alueita": str,
            "Yksin riittäviä": str,
        },
    )


def national_names(frame: pd.DataFrame) -> str:
    """Per region, the decided areas of 2025 that lie in it and the municipalities that could
    organise the services alone, as a list (long names wrap on a printed page)."""
    lines = []
    for row in frame.to_dict("records"):
        alone = row["Voisi järjestää yksin"] or "ei yksikään kunta"
        lines.append(
            f"- **{row['Maakunta']}**: päätetyt alueet {_decided_names(row['Päätetyt alueet 2025'])}"
            f"; voisi järjestää yksin: {alone}"
        )
    return "\n".join(lines)


def _and(names: list[str]) -> str:
    """'A', 'A ja B', 'A, B ja C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ja " + names[-1]


def _decided_names(text: str) -> str:
    """'Tampereen seutu (16 kuntaa); Eteläinen Keski-Suomi (8 kuntaa, ulottuu maakunnan rajan
    yli)' -> 'Tampereen seutu, Eteläinen Keski-Suomi (rajan yli)'."""
    names = []
    for part in str(text).split("; "):
        if not part:
            continue
        name = part.rsplit(" (", 1)[0]
        names.append(name + (" (rajan yli)" if "rajan yli" in part else ""))
    return ", ".join(names) or "–"


def national_map(report: Report, scenario: str = districts.DECIDED_SCENARIO) -> Chart:
    """Finland's municipalities coloured by the decided areas of 2025, each area numbered, the
    numbers named beside the map (an exception to the 20 000 rule marked *); Ahvenanmaa, outside
    the reform, in grey. Pertunmaa is drawn as part of Mäntyharju's area (the 2025 division)."""
    return Chart(
        lambda: _national_map_figure(report, scenario),
        "Päätetyt työllisyysalueet 1.1.2025 Suomen kartalla",
    )


def _national_map_figure(report: Report, scenario: str) -> Figure:
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    context = report.region.context
    areas = context.scenario(scenario).areas
    boundaries = context.boundaries
    register = context.statistics.municipalities
    area_of = {}
    for number, area in enumerate(areas):
        for code in area.members:
            area_of[code] = number
    owner = {
        code: area_of.get(register.successor(code) if code in register.table.index else code)
        for code in boundaries.polygons
    }
    colours = _area_colours(areas, districts.division_adjacency(context, list(area_of)), area_of)
    fig = Figure(figsize=(10.5, 7.2), dpi=DPI)
    ax = fig.add_axes((0.0, 0.04, 0.42, 0.94))
    rings, faces = [], []
    for code, polygons in boundaries.polygons.items():
        number = owner[code]
        for polygon in polygons:
            rings.append(polygon[0])
            faces.append(OUTSIDE_COLOUR if number is None else colours[number])
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    labels = [_label_point(boundaries, register, area.members) for area in areas]
    # the capital region, where the areas are small, again beside the map
    inset = fig.add_axes((0.73, 0.16, 0.25, 0.24))
    for axes, (x0, x1, y0, y1), size in (
        (ax, (min(xs), max(xs), min(ys), max(ys)), 6),
        (inset, CAPITAL_REGION, 7),
    ):
        axes.add_collection(
            PolyCollection(rings, facecolors=faces, edgecolors="white", linewidths=0.15)
        )
        axes.set_xlim(x0, x1)
        axes.set_ylim(y0, y1)
        axes.set_aspect(1 / np.cos(np.radians((y0 + y1) / 2)))
        axes.set_xticks([])
        axes.set_yticks([])
        for number, (x, y) in enumerate(labels):
            if x0 <= x <= x1 and y0 <= y <= y1:
                axes.text(
                    x,
                    y,
                    str(number + 1),
                    fontsize=size,
                    ha="center",
                    va="center",
                    fontweight="bold",
                )
    ax.axis("off")
    x0, x1, y0, y1 = CAPITAL_REGION
    ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="#333333", linewidth=0.6)
    inset.set_title("Pääkaupunkiseutu", fontsize=8)
    # the names beside the map, in two columns
    lines = [f"{i + 1}  {a.name}{' *' if a.exception else ''}" for i, a in enumerate(areas)]
    half = -(-len(lines) // 2)
    for column, chunk in enumerate((lines[:half], lines[half:])):
        fig.text(
            0.45 + 0.28 * column,
            0.95,
            "\n".join(chunk),
            fontsize=8,
            va="top",
            linespacing=1.45,
        )
    fig.text(
        0.45,
        0.15,
        "* alle 20 000 hengen työvoima valtioneuvoston poikkeusluvalla (30.11.2023)\n"
        "Harmaa: Ahvenanmaa, ei kuulu uudistukseen\n"
        f"Alueet: data/skenaariot/{scenario}.yaml (Tilastokeskus, työllisyysalueet 2025)",
        fontsize=8,
        va="top",
        linespacing=1.45,
    )
    fig.text(0.45, 0.02, MAP_ATTRIBUTION, fontsize=7, color="#444444")
    fig.suptitle("Päätetyt työllisyysalueet 1.1.2025 (45 aluetta)", x=0.45, ha="left", fontsize=12)
    return fig


def _area_colours(areas, adjacency: dict[str, set[str]], area_of: dict[str, int]) -> list[str]:
    """A colour per area, different from its neighbours' (greedy, most neighbours first)."""
    touching = {i: set() for i in range(len(areas))}
    for code, around in adjacency.items():
        for other in around:
            a, b = area_of[code], area_of[other]
            if a != b:
                touching[a].add(b)
                touching[b].add(a)
    colour: dict[int, int] = {}
    for i in sorted(touching, key=lambda i: (-len(touching[i]), i)):
        used = {colour[j] for j in touching[i] if j in colour}
        colour[i] = next(c for c in range(len(areas)) if c not in used)
    return [NATIONAL_COLOURS[colour[i] % len(NATIONAL_COLOURS)] for i in range(len(areas))]


def _label_point(boundaries, register, members) -> tuple[float, float]:
    """Where an area's number goes: the centre of its largest municipality's largest polygon."""
    best, where = -1.0, (0.0, 0.0)
    for code in members:
        for member in register.members_2025(code) if code in register.table.index else (code,):
            for polygon in boundaries.polygons[member]:
                ring = np.asarray(polygon[0])
                x, y = ring[:, 0], ring[:, 1]
                cross = x * np.roll(y, -1) - np.roll(x, -1) * y
                size = abs(cross.sum()) / 2
                if size > best and cross.sum():
                    cx = ((x + np.roll(x, -1)) * cross).sum() / (3 * cross.sum())
                    cy = ((y + np.roll(y, -1)) * cross).sum() / (3 * cross.sum())
                    best, where = size, (float(cx), float(cy))
    return where
