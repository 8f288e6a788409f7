"""What the partitions notebook (notebooks/aluejaot.ipynb) shows, as functions, and its report job
for ``kustannukset raportti``. The notebook holds no formula, only calls to these."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize

from kustannukset.core.errors import InputError
from kustannukset.core.jobs import DEFAULT_OPTIONS, Job, Options, data_parameter
from kustannukset.core.paths import DATA_DIR
from kustannukset.districts import region as districts
from kustannukset.districts import summaries
from kustannukset.districts.partitions import PartitionSpace
from kustannukset.districts.region import BACKGROUND, MAP_ATTRIBUTION, SOURCES_LINE, load_context
from kustannukset.view.excel import (
    DECIMAL_FORMAT,
    TITLE,
    WARNING,
    note,
    put,
    save,
    sheet_title,
    write_frame,
)
from kustannukset.view.formatting import euros
from kustannukset.view.tables import Table

DEFAULT_COMPARISON_KEY = "tyottomat_tyonhakijat_ka:2021"
ESTIMATE_NOTE = (
    "Kustannuspotti on ARVIO tai ESIMERKKI (potin kuvaus kertoo kumpi), työvoima johdettu ARVIO; "
    "maksut ovat pyöristämättömiä "
    "laskelmia ilman alennuksia."
)


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


def count_table(report: Report) -> Table:
    summary = report.summaries[0]
    frame = pd.DataFrame(
        {"Alueita": list(summary.by_areas), "Laillisia jakoja": list(summary.by_areas.values())}
    )
    total = pd.DataFrame({"Alueita": ["yhteensä"], "Laillisia jakoja": [summary.count]})
    return Table(pd.concat([frame.astype({"Alueita": str}), total], ignore_index=True))


def count_chart(report: Report):
    summary = report.summaries[0]
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar([str(k) for k in summary.by_areas], list(summary.by_areas.values()), color="#1b9e77")
    ax.set_xlabel("alueiden määrä")
    ax.set_ylabel("laillisia jakoja")
    ax.yaxis.set_major_formatter(lambda v, _pos: euros(v))
    ax.set_title(f"Lailliset aluejaot ({euros(summary.count)}) alueiden määrän mukaan", fontsize=10)
    fig.tight_layout()
    return fig


def basis_text(summary: summaries.Summary) -> str:
    basis = summary.basis
    lines = [
        f"- Jakoperuste: **{basis.key_label}**",
        f"- Kustannuspotti: {basis.pool_label} ({basis.source_title})",
        f"- €/asukas: {basis.population_label}",
    ]
    if basis.funding_label:
        lines.append(f"- Netto = valtionosuusarvio − maksu. {basis.funding_label}")
    lines.extend(f"> {note}" for note in summary.notes)
    return "\n".join(lines)


def _decimals(places: int):
    return lambda v: "–" if v is None or pd.isna(v) else euros(v, places)


def municipality_table(summary: summaries.Summary) -> Table:
    frame = summary.table.drop(columns=["Kuntanumero"])
    formats = {c: _decimals(0) for c in frame.columns if c.endswith(" €")}
    formats.update({c: _decimals(2) for c in frame.columns if c.endswith("€/asukas")})
    if "Persentiili %" in frame:
        formats["Persentiili %"] = _decimals(1)
    return Table(frame, formats)


def distribution_chart(summary: summaries.Summary):
    """Each municipality's € per inhabitant over all legal partitions: the range, the median and
    the decided areas."""
    frame = summary.table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(frame) + 1.2))
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
    ax.xaxis.set_major_formatter(lambda v, _pos: euros(v, 2))
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"€/asukas kaikissa laillisissa jaoissa: {summary.basis.key_label}", fontsize=10)
    fig.tight_layout()
    return fig


def top_frame(summary: summaries.Summary) -> pd.DataFrame:
    region = summary.region
    rows = []
    for name, label in summaries.CRITERIA.items():
        for place, ranked in enumerate(summary.top[name], start=1):
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


def top_table(summary: summaries.Summary) -> Table:
    frame = top_frame(summary)
    return Table(
        frame,
        {
            "Sija": str,
            "Jako nro": euros,
            "Alueita": str,
            "€/asukas-ero alueiden välillä": _decimals(2),
            "€/asukas-ero kuntien välillä": _decimals(2),
        },
    )


def minimal_frame(report: Report) -> pd.DataFrame:
    frames = []
    for code in sorted(report.region.codes, key=report.region.context.name):
        frame = districts.minimal_areas_table(report.region, code)
        frame.insert(0, "Kunta", report.region.context.name(code))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def minimal_counts_table(report: Report) -> Table:
    frame = minimal_frame(report)
    counts = frame.groupby("Kunta", sort=False).agg(
        **{"Pienimpiä alueita": ("Nro", "count"), "Pienin työvoima": ("Työvoima", "min")}
    )
    return Table(counts.reset_index(), {"Pienimpiä alueita": str})


def minimal_area_maps(report: Report, columns: int = 6):
    """One small map per municipality: the municipality in black, and each other municipality
    coloured by the share of its minimal legal areas that include it."""
    region, context = report.region, report.region.context
    boundaries = context.boundaries
    codes = sorted(region.codes, key=context.name)
    rows = -(-len(codes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(2.4 * columns, 2.6 * rows), squeeze=False)
    cmap = plt.get_cmap("Blues")
    areas_of = {code: districts.minimal_areas(region, code) for code in codes}
    norm = Normalize(vmin=0, vmax=100)
    xs = [p[0] for c in region.codes for poly in boundaries.polygons[c] for p in poly[0]]
    ys = [p[1] for c in region.codes for poly in boundaries.polygons[c] for p in poly[0]]
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
            for polygon in boundaries.polygons[other]:
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


def _excel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None)


def _key_word(label: str) -> str:
    """A key's first word, for a sheet's name: "Työvoima (…) 31.12.2021" -> "työvoima"."""
    word = label.split()[0].strip(",()") if label.split() else label
    return word.lower()


def workbook(report: Report, path: Path) -> None:
    """The partitions in Excel: counts, each key's municipality summary, the top partitions, the
    minimal areas, and the notes. Every sheet has its title in A1 and its notices under it."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)

    def sheet(name: str, title: str, *notes: str):
        ws = wb.create_sheet(sheet_title(name, wb.sheetnames))
        put(ws, 1, 1, title, TITLE)
        row = 2
        for text in notes:
            row = note(ws, row, text, WARNING)
        return ws, row + 1

    ws, row = sheet(
        "Jakojen määrä", "Laillisten aluejakojen määrä alueiden määrän mukaan", ESTIMATE_NOTE
    )
    summary = report.summaries[0]
    counts = pd.DataFrame(
        {"Alueita": list(summary.by_areas), "Laillisia jakoja": list(summary.by_areas.values())}
    )
    write_frame(ws, counts, row)
    for item in report.summaries:
        key = item.basis.key_label
        word = _key_word(key)
        ws, row = sheet(
            f"Kunnat, {word}",
            f"Kuntien maksut kaikissa jaoissa, jakoperuste: {key}",
            ESTIMATE_NOTE,
        )
        frame = item.table
        formats = {c: DECIMAL_FORMAT for c in frame.columns if "asukas" in c or c.endswith("%")}
        write_frame(ws, _excel_frame(frame), row, formats)
        ws, row = sheet(f"Kärkijaot, {word}", f"Kärkijaot, jakoperuste: {key}", ESTIMATE_NOTE)
        frame = top_frame(item)
        write_frame(
            ws, _excel_frame(frame), row, {c: DECIMAL_FORMAT for c in frame.columns if "ero" in c}
        )
    ws, row = sheet("Pienimmät alueet", "Kuntien pienimmät lailliset alueet", ESTIMATE_NOTE)
    write_frame(ws, _excel_frame(minimal_frame(report)), row)
    ws, row = sheet("Huomiot", "Huomiot ja lähteet")
    for item in report.summaries:
        for line in basis_text(item).splitlines():
            row = note(ws, row, line.lstrip("-> ").replace("**", ""))
        row += 1
    row = note(ws, row, ESTIMATE_NOTE)
    note(ws, row, SOURCES_LINE)
    save(wb, path, status="ARVIO / ESIMERKKI")


def jobs(years: list[int] | None, data_dir: Path, options: Options = DEFAULT_OPTIONS) -> list[Job]:
    """The partitions report for ``kustannukset raportti`` (only when every report is made)."""
    if years is not None:
        return []

    def check():
        context = load_context(data_dir)
        return context.scenario(districts.DEFAULT_SCENARIO)

    def excel(path: Path) -> None:
        workbook(validate_parameters(data_kansio=data_parameter(data_dir)), path)

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
