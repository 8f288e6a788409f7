"""One municipality's card for the 2025 reform: what its figures are, read from the region's
figures (:mod:`kustannukset.cards.figures`) and never computed again, and its answer in plain
Finnish.

- its decided area (the comparison scenario, ``paatetty_2025``): name, members and lead;
- each 2025 alternative on the default pool basis: the row of
  :func:`kustannukset.scenarios.comparison.compare` (payment, state-funding estimate, net, change
  against the decided areas) and its € per inhabitant from the same evaluation;
- its smallest legal areas (:func:`kustannukset.districts.region.minimal_areas_table`, as
  ``kustannukset aluejaot --kunta``);
- its payment over every legal partition of Pirkanmaa and where the decided areas put it (the
  row of :func:`kustannukset.districts.summaries.summarise`, as ``kustannukset aluejaot``);
- how the key moves its payment: the alternatives that are the decided areas with other keys;
- the reality check, on the card of the municipality whose reported payment it checks.

The figures keep their exact or unrounded values; they are rounded only where they are shown, by
the same display rule as the CSV output (:func:`kustannukset.view.formatting.euros`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kustannukset.cards.figures import RegionFigures, region_figures
from kustannukset.core.errors import InputError
from kustannukset.core.schema import Problem
from kustannukset.districts import region as districts
from kustannukset.scenarios import Context, Scenario, describe_funding
from kustannukset.scenarios.comparison import (
    ALTERNATIVE,
    CHANGE,
    FUNDING,
    NET,
    PAYMENT,
    short_name,
)
from kustannukset.scenarios.context import RULES_DATE
from kustannukset.scenarios.engine import key_label
from kustannukset.scenarios.funding import cost_model
from kustannukset.scenarios.geo import SOURCES_LINE
from kustannukset.view.formatting import MINUS, decimal, euros
from kustannukset.view.html import output_data
from kustannukset.view.labels import count

REGION = districts.REGION
SHOWN_MINIMAL = 5  # smallest legal areas shown on the card (all of them are in its workbook)


@dataclass(frozen=True)
class DecidedArea:
    """The municipality's area in the decided division (names, the lead first among equals)."""

    scenario: str  # the decided scenario's name
    name: str
    lead: str
    members: tuple[str, ...]  # in alphabetical order
    outside: tuple[str, ...]  # members outside the region


@dataclass(frozen=True)
class Alternative:
    """One 2025 alternative for the municipality, as the comparison has it."""

    short: str  # A, B, C, C1 …
    partition: str  # the division in words ("Päätetyt alueet 2025")
    area: str  # the municipality's area in it
    key: str  # the key of that area, in full
    key_short: str  # the same in a word or two ("työikäiset")
    payment: int | None
    per_inhabitant: float | None
    funding: int | None
    net: int | None
    change: int | None  # against the decided areas, on the same basis
    decided_areas: bool  # the decided areas (with this alternative's key)
    is_decided: bool  # the decided scenario itself (C)
    key_parts: tuple = ()  # the key itself (KeyPart), to tell keys apart


@dataclass(frozen=True)
class PaymentRange:
    """The municipality's payment over every legal partition of the region (unrounded)."""

    partitions: int
    key: str  # the key in full
    key_short: str
    key_alternative: str | None  # the alternative of the decided areas with the same key (C2)
    stats: dict[str, float]  # Pienin, Alakvartiili, Mediaani, Yläkvartiili, Suurin (€)
    per_inhabitant: dict[str, float | None]  # Pienin, Mediaani, Suurin (€/asukas)
    decided: float | None  # on the decided areas (the municipality's part of them in the region)
    decided_per_inhabitant: float | None
    percentile: float | None  # share of partitions in which it pays less, ties counting half
    decided_legal: bool  # the decided areas are a legal partition of the region
    crossing: bool  # the municipality's decided area crosses the region's border


@dataclass(frozen=True)
class Reported:
    """A reported real figure of ``data/parametrit/alueiden_kustannukset.yaml``."""

    description: str
    euros: int
    status: str  # julkaistu, arvio …
    confidence: str  # luotettavuus
    source: str


@dataclass(frozen=True)
class Reality:
    """The reality check: the reference area's reported payments split by each key, and the
    reported payments of the municipality it checks."""

    rows: pd.DataFrame  # Vaihtoehto, Jakoperuste, Laskettu 2025 €, Ero raportoituun €, Ero %
    reported: tuple[Reported, ...]
    reported_2025: int  # the figure the check compares with

    @property
    def compared(self) -> Reported | None:
        return next((r for r in self.reported if r.euros == self.reported_2025), None)


@dataclass(frozen=True)
class Card:
    code: str
    name: str
    decided: DecidedArea
    alternatives: tuple[Alternative, ...]
    range: PaymentRange | None
    minimal: pd.DataFrame  # every smallest legal area (Nro, Kuntia, Työvoima, Vastuukunta, Kunnat)
    reality: Reality | None
    basis: str  # the pool basis of the alternatives ('kustannusmalli')
    statuses: str  # the figures' statuses, said once
    method: tuple[str, ...]  # how the figures were made, and their sources

    @property
    def folder(self) -> str:
        return folder_name(self.code, self.name)

    @property
    def key_variants(self) -> tuple[Alternative, ...]:
        """The decided areas with each key (C, C1–C6)."""
        return tuple(a for a in self.alternatives if a.decided_areas)

    @property
    def decided_alternative(self) -> Alternative | None:
        return next((a for a in self.alternatives if a.is_decided), None)

    @property
    def shown_minimal(self) -> pd.DataFrame:
        return smallest(self.minimal)


# --- names --------------------------------------------------------------------------------------


def file_safe(name: str) -> str:
    """A name for a folder: letters with diacritics without them (ä → a, ö → o, å → a, é → e),
    and every character other than a letter, a digit or a hyphen as '_'."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9-]", "_", plain)


def folder_name(code: str, name: str) -> str:
    """A card's folder: ``020_Akaa``, ``508_Mantta-Vilppula``."""
    return f"{code}_{file_safe(name)}"


def region_codes(context: Context) -> list[str]:
    """The municipalities that have a card: the region's, as ``kustannukset aluejaot`` counts them."""
    return districts.region_municipalities(context, REGION)


def resolve(context: Context, text: object, where: str) -> str:
    """A municipality of the region by name or code; a misspelt name is one Finnish line with the
    closest name, and a municipality outside the region says why it has no card. ``where`` is
    the option (``--kuntakortit``) or the notebook's parameter (``kunta``)."""
    option = where if where.startswith("--") else None
    prefix = "" if option else f"parametri {where}: "
    try:
        code = context.names.code(text)
    except Problem as exc:  # the names' own Finnish message, with the closest name
        raise InputError(prefix + exc.message, option=option) from None
    codes = region_codes(context)
    if code not in codes:
        table = context.statistics.municipalities.table
        home = table.at[code, "maakunta"] if code in table.index else None
        where_is = f"maakunta {home}" if home else "ei kuntarekisterissä"
        raise InputError(
            f"{prefix}{context.name(code)} ({code}) ei ole {REGION}n kunta ({where_is}): "
            f"kuntakortit tehdään {REGION}n {len(codes)} kunnalle, koska kortin aluejaot ovat "
            f"{REGION}n kuntien jakoja. Kunnan luvut vuoden 2025 vaihtoehdoissa: kustannukset "
            "skenaariot --csv",
            option=option,
        )
    return code


# --- the card -------------------------------------------------------------------------------------


def make_card(data_dir: Path, text: object, where: str = "kunta") -> Card:
    """The card of the municipality ``text`` (name or code) from the figures of ``data_dir``."""
    figures = region_figures(data_dir)
    return card_of(figures, resolve(figures.context, text, where))


def card_of(figures: RegionFigures, code: str) -> Card:
    context = figures.context
    name = context.name(code)
    if code not in figures.decided.members:
        raise InputError(
            f"päätetyissä alueissa ei ole kuntaa {name} ({code}): kortti kertoo kunnan päätetyn "
            "alueen",
            file=figures.decided.path,
        )
    alternatives = tuple(_alternatives(figures, code))
    statuses = _statuses(figures, code)
    return Card(
        code=code,
        name=name,
        decided=_decided_area(figures, code),
        alternatives=alternatives,
        range=_range(figures, code, alternatives),
        minimal=districts.minimal_areas_table(figures.region, code),
        reality=_reality(figures, code, alternatives),
        basis=figures.comparison.basis,
        statuses=statuses,
        method=tuple(_method(figures, code)),
    )


def _decided_area(figures: RegionFigures, code: str) -> DecidedArea:
    context = figures.context
    area = figures.decided.area_of(code)
    members = tuple(sorted((context.name(c) for c in area.members), key=str.lower))
    outside = tuple(
        sorted(
            (context.name(c) for c in area.members if c not in figures.region.codes), key=str.lower
        )
    )
    return DecidedArea(figures.decided.name, area.name, context.name(area.lead), members, outside)


def partition_of(scenario: Scenario) -> frozenset[frozenset[str]]:
    """A scenario's areas as a set of member sets: the same for the same division."""
    return frozenset(frozenset(a.members) for a in scenario.areas)


def key_words(scenario: Scenario, key_text: str) -> str:
    """A key in a word or two: the scenario's own ('…, jakoperuste työikäiset'), else its
    measures without their dates (:func:`label_words`)."""
    name = scenario.name
    if ", jakoperuste " in name:
        return name.split(", jakoperuste ", 1)[1]
    return label_words(key_text)


def label_words(key_text: str) -> str:
    """A key's label without its dates: 'Väkiluku 31.12.2021' → 'väkiluku'."""
    parts = [
        re.sub(r"\s+(\d{1,2}\.\d{1,2}\.)?\d{4}$", "", p.strip()) for p in key_text.split(" + ")
    ]
    text = " + ".join(parts)
    return text[:1].lower() + text[1:]


def division_words(scenario: Scenario) -> str:
    """'Päätetyt alueet 2025' of 'C1 – Päätetyt alueet 2025, jakoperuste työikäiset'."""
    text = scenario.name.split(" – ", 1)[-1]
    return text.split(", jakoperuste ", 1)[0]


def _optional_int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _optional_float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _alternatives(figures: RegionFigures, code: str):
    frame = figures.comparison.frame
    decided = partition_of(figures.decided)
    for result in figures.comparison.results:
        scenario = result.scenario
        if code not in scenario.members:
            continue
        short = short_name(scenario)
        row = frame[(frame[ALTERNATIVE] == short) & (frame["Kuntanumero"] == code)].iloc[0]
        own = result.municipalities
        per = own.loc[own["Kuntanumero"] == code, "€/asukas"].iloc[0]
        key = key_label(scenario.area_of(code).key)
        yield Alternative(
            short=short,
            partition=division_words(scenario),
            area=str(row["Alue"]),
            key=key,
            key_short=key_words(scenario, key),
            payment=_optional_int(row[PAYMENT]),
            per_inhabitant=_optional_float(per),
            funding=_optional_int(row[FUNDING]),
            net=_optional_int(row[NET]),
            change=_optional_int(row[CHANGE]),
            decided_areas=partition_of(scenario) == decided,
            is_decided=scenario.code == figures.decided.code,
            key_parts=tuple(scenario.area_of(code).key),
        )


def _range(figures: RegionFigures, code: str, alternatives) -> PaymentRange | None:
    summary = figures.summary
    if not summary.count:
        return None
    row = summary.table[summary.table["Kuntanumero"] == code].iloc[0]
    basis_key = tuple(summary.basis.key)
    same_key = next((a for a in alternatives if a.decided_areas and a.key_parts == basis_key), None)
    crossing = code in figures.crossing
    labels = ("Pienin", "Alakvartiili", "Mediaani", "Yläkvartiili", "Suurin")
    return PaymentRange(
        partitions=summary.count,
        key=summary.basis.key_label,
        key_short=same_key.key_short if same_key else label_words(summary.basis.key_label),
        key_alternative=same_key.short if same_key else None,
        stats={label: float(row[f"{label} €"]) for label in labels},
        per_inhabitant={
            label: _optional_float(row[f"{label} €/asukas"])
            for label in ("Pienin", "Mediaani", "Suurin")
        },
        decided=_optional_float(row.get("Päätetyt alueet €")),
        decided_per_inhabitant=_optional_float(row.get("Päätetyt alueet €/asukas")),
        percentile=_optional_float(row.get("Persentiili %")),
        decided_legal=summary.decided_legal,
        crossing=crossing,
    )


def _reality(figures: RegionFigures, code: str, alternatives) -> Reality | None:
    """The reality check on the card of the municipality it checks (the engine's column
    '<kunta> 2025 €')."""
    name = figures.context.name(code)
    frame = figures.reality
    column = f"{name} 2025 €"
    if frame.empty or column not in frame.columns:
        return None
    by_name = {r.scenario.name: short_name(r.scenario) for r in figures.comparison.results}
    words = {a.short: a.key_short for a in alternatives}
    rows = pd.DataFrame(
        {
            "Vaihtoehto": [by_name.get(s, s) for s in frame["Skenaario"]],
            "Jakoperuste": [
                words.get(by_name.get(s, ""), k)
                for s, k in zip(frame["Skenaario"], frame["Jakoperuste"], strict=True)
            ],
            "Laskettu 2025 €": frame[column],
            "Ero raportoituun €": frame["Ero €"],
            "Ero %": frame["Ero %"].astype(float),
        }
    )
    reported = []
    costs = figures.context.costs
    for parameter_name, parameter in costs.parameters.items() if costs else []:
        if not parameter_name.startswith("todellisuus."):
            continue
        value = parameter.at(RULES_DATE)
        reported.append(
            Reported(
                " ".join(parameter.description.split()),
                int(value.value),
                value.status,
                str(value.extra.get("luotettavuus", "")),
                value.source,
            )
        )
    return Reality(rows, tuple(reported), int(frame["Raportoitu 2025 €"].iloc[0]))


def _statuses(figures: RegionFigures, code: str) -> str:
    """The statuses of the card's figures in one sentence: the pool's (the cost model's fixed
    part), the state funding's and the labour force's."""
    model = cost_model(figures.context)
    frame = figures.comparison.frame
    funding = sorted(set(frame.loc[frame["Kuntanumero"] == code, "Valtionosuuden tila"].dropna()))
    unpublished = " (todellista ei ole julkaistu)" if model.status == "esimerkki" else ""
    text = (
        "Laskelmia kustannusmallilla (vuoden 2025 vertailujen oletusperuste): sen kiinteä osa "
        f"{euros(model.fixed)} € alueelle on {model.status.upper()}{unpublished}"
    )
    if funding:
        text += f", valtionosuus {' / '.join(funding)}"
    return text + ", työvoima johdettu arvio."


def _method(figures: RegionFigures, code: str):
    comparison, summary = figures.comparison, figures.summary
    basis = summary.basis
    yield (
        f"Vaihtoehdot: kustannukset skenaariot (potin peruste '{comparison.basis}'); maksut "
        "euroina alueittain suurimman jakojäännöksen menetelmällä, €/asukas väkiluvusta 31.12.2021."
    )
    for note in comparison.notes:
        if note.startswith("Kustannuspotti"):
            yield note
    yield describe_funding(figures.context) + "."
    shorts = [short_name(r.scenario) for r in comparison.results]
    yield "; ".join(n for n in comparison.notes if n.split(" = ", 1)[0] in shorts) + "."
    region = figures.region
    yield (
        f"Kaikki lailliset aluejaot: kustannukset aluejaot ({region.name}, "
        f"{count(len(region.codes), 'kunta', 'kuntaa')}, {euros(summary.count)} jakoa; "
        f"20 000 -säännön työvoima {region.labour_label}, raja {euros(region.threshold)}): "
        "jakoperuste "
        f"{basis.key_label}, potti {basis.pool_label.split(':', 1)[0]} ({basis.source_title}); "
        "maksut ovat pyöristämättömiä laskelmia ilman alennuksia, näytetty euroiksi "
        "pyöristettyinä. Persentiili = osuus jaoista, joissa kunta maksaa vähemmän kuin "
        "päätetyillä alueilla (yhtä suuri maksu puoliksi). Pienin laillinen alue: yhtenäinen "
        "kuntajoukko, jonka työvoima on vähintään raja ja josta ei voi poistaa yhtäkään muuta "
        "kuntaa."
    )
    yield from summary.notes
    yield (
        f"{SOURCES_LINE}. Päätetyt alueet: data/skenaariot/{figures.decided.code}.yaml; "
        "kustannusmalli ja raportoidut luvut: data/parametrit/alueiden_kustannukset.yaml; "
        "valtionosuus: data/parametrit/valtionosuus.yaml."
    )


# --- what the card shows ---------------------------------------------------------------------------


def smallest(minimal: pd.DataFrame, shown: int = SHOWN_MINIMAL) -> pd.DataFrame:
    """The smallest legal areas the card shows: those of fewest municipalities, then of least
    labour force, then by number; at most ``shown``."""
    order = minimal.sort_values(["Kuntia", "Työvoima", "Nro"], kind="stable")
    return order.head(shown).reset_index(drop=True)


def alternatives_frame(card: Card) -> pd.DataFrame:
    """A row per alternative: the division, the municipality's area and key, and its figures."""
    return pd.DataFrame(
        {
            "Vaihtoehto": [a.short for a in card.alternatives],
            "Aluejako": [a.partition for a in card.alternatives],
            "Kunnan alue": [a.area for a in card.alternatives],
            "Jakoperuste": [a.key_short for a in card.alternatives],
            "Maksuosuus €": pd.array([a.payment for a in card.alternatives], dtype="Int64"),
            "€/asukas": [a.per_inhabitant for a in card.alternatives],
            "Valtionosuus, arvio €": pd.array(
                [a.funding for a in card.alternatives], dtype="Int64"
            ),
            "Netto €": pd.array([a.net for a in card.alternatives], dtype="Int64"),
            "Muutos päätettyyn €": pd.array([a.change for a in card.alternatives], dtype="Int64"),
        }
    )


RANGE_LABELS = ("Pienin", "Alakvartiili", "Mediaani", "Yläkvartiili", "Suurin")


def range_frame(card: Card) -> pd.DataFrame:
    """The payment over every legal partition: a row per figure (the five of the distribution and
    the decided areas), in euros and in euros per inhabitant (the quartiles have none, as in
    ``kustannukset aluejaot``)."""
    r = card.range
    labels = [*RANGE_LABELS, "Päätetyt alueet"]
    payments = [r.stats[label] for label in RANGE_LABELS] + [r.decided]
    per = [r.per_inhabitant.get(label) for label in RANGE_LABELS] + [r.decided_per_inhabitant]
    return pd.DataFrame(
        {
            "": labels,
            "Maksuosuus €": pd.array(payments, dtype="Float64"),
            "€/asukas": pd.array(per, dtype="Float64"),
        }
    )


def key_frame(card: Card) -> pd.DataFrame:
    """The decided areas' payment with each key (C, C1–C6)."""
    rows = card.key_variants
    return pd.DataFrame(
        {
            "Vaihtoehto": [a.short for a in rows],
            "Jakoperuste": [a.key_short for a in rows],
            "Maksuosuus €": pd.array([a.payment for a in rows], dtype="Int64"),
        }
    )


# --- the answer -------------------------------------------------------------------------------


def _money(value: float | int) -> str:
    """Euros in prose: '2 505 989', a negative with the minus sign."""
    text = euros(abs(value))
    return f"{MINUS}{text}" if value < 0 and text != "0" else text


def _area_in(name: str, case: str) -> str:
    """'Tampereen seudun työllisyysalue' in the illative ('…alueeseen') or the genitive
    ('…alueen'); a name that is not '…alue' goes after the word 'alue' so inflected."""
    ending = {"illative": "eseen", "genitive": "en"}[case]
    if name.endswith("alue"):
        return name + ending
    return f"alue{ending} {name}"


def area_sentence(card: Card) -> str:
    area = card.decided
    size = count(len(area.members), "kunta", "kuntaa")
    crossing = ""
    if area.outside:
        crossing = (
            f"; alue ulottuu {REGION}n ulkopuolelle "
            f"({count(len(area.outside), 'kunta', 'kuntaa')} muista maakunnista)"
        )
    if area.lead == card.name:
        return (
            f"{card.name} on {_area_in(area.name, 'genitive')} vastuukunta; alueella on "
            f"{size}{crossing}."
        )
    return (
        f"{card.name} kuuluu {_area_in(area.name, 'illative')}, jonka vastuukunta on "
        f"{area.lead}; alueella on {size}{crossing}."
    )


def decided_sentence(card: Card) -> str | None:
    c = card.decided_alternative
    if c is None or c.payment is None:
        return None
    text = (
        f"Päätetyillä alueilla (vaihtoehto {c.short}, jakoperuste {c.key_short}) {card.name} "
        f"maksaa {_money(c.payment)} €"
    )
    if c.per_inhabitant is not None:
        text += f" eli {euros(c.per_inhabitant, 2)} € asukasta kohden"
    if c.funding is not None and c.net is not None:
        text += f"; valtionosuusarvio on {_money(c.funding)} €, joten "
        if c.net < 0:
            text += f"maksu ylittää sen {_money(-c.net)} eurolla"
        elif c.net > 0:
            text += f"se ylittää maksun {_money(c.net)} eurolla"
        else:
            text += "ne ovat yhtä suuret"
    return text + "."


def key_sentence(card: Card) -> str | None:
    known = [a for a in card.key_variants if a.payment is not None]
    if len(known) < 2:
        return None
    low = min(known, key=lambda a: a.payment)
    high = max(known, key=lambda a: a.payment)
    return (
        f"Samoilla alueilla maksu vaihtelee jakoperusteen mukaan {_money(low.payment)} eurosta "
        f"({low.short}, {low.key_short}) {_money(high.payment)} euroon ({high.short}, "
        f"{high.key_short})."
    )


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " ja " + items[-1]


def others_sentence(card: Card) -> str | None:
    decided = card.decided_alternative
    others = [a for a in card.alternatives if not a.decided_areas and a.payment is not None]
    if not others:
        return None
    same = decided is not None and all(a.key == decided.key for a in others)
    shown = [
        f"{_money(a.payment)} € ({a.short}, {a.area}"
        + ("" if same else f", jakoperuste {a.key_short}")
        + ")"
        for a in others
    ]
    return (
        "Muissa aluejaoissa"
        + (" samalla jakoperusteella" if same else "")
        + f" maksu olisi {_and(shown)}."
    )


def reality_sentence(card: Card) -> str | None:
    reality = card.reality
    if reality is None or reality.rows.empty:
        return None
    best = reality.rows.iloc[0]
    percent = decimal(abs(best["Ero %"]), 1)
    sign = "+" if best["Ero %"] > 0 else (MINUS if best["Ero %"] < 0 else "")
    compared = reality.compared
    how = ""
    if compared is not None:
        how = f" ({compared.status}" + (
            f", luotettavuus {compared.confidence})" if compared.confidence else ")"
        )
    return (
        f"Raportoitu maksuosuus 2025, {_money(reality.reported_2025)} €{how}, on lähimpänä "
        f"vaihtoehtoa {best['Vaihtoehto']} (jakoperuste {best['Jakoperuste']}: "
        f"{_money(int(best['Laskettu 2025 €']))} €, ero {sign}{percent} %)."
    )


def range_sentence(card: Card) -> str | None:
    r = card.range
    if r is None:
        return None
    like = f" (kuten vaihtoehdossa {r.key_alternative})" if r.key_alternative else ""
    text = (
        f"Kaikissa {euros(r.partitions)} laillisessa {REGION}n aluejaossa jakoperusteella "
        f"{r.key_short}{like} {card.name} maksaisi {_money(r.stats['Pienin'])}–"
        f"{_money(r.stats['Suurin'])} € (mediaani {_money(r.stats['Mediaani'])} €)"
    )
    if r.crossing:
        text += (
            f"; sen päätetty alue ulottuu {REGION}n rajan yli, joten päätettyjä alueita ei voi "
            "sijoittaa näiden jakojen joukkoon"
        )
    elif r.decided is not None and r.percentile is not None:
        text += f"; päätetyillä alueilla maksu, {_money(r.decided)} €, {_place(r.percentile)}"
    return text + "."


def _place(percentile: float) -> str:
    """Where a payment stands among the partitions, in words (the percentile: the share of
    partitions in which the municipality pays less, ties counting half)."""
    shown = decimal(percentile, 1)
    if percentile == 0:
        return "on pienin, jonka kunta maksaa missään jaossa"
    if percentile == 100:
        return "on suurempi kuin missään muussa jaossa"
    if shown == "0,0":
        return "on suurempi vain alle 0,1 %:ssa jaoista"
    if shown == "100,0":
        return "on suurempi kuin yli 99,9 %:ssa jaoista"
    return f"on suurempi kuin {shown} %:ssa jaoista"


def answer(card: Card) -> list[str]:
    """Three to five sentences: the area, the decided areas' figures, what the key does, the
    reality check where there is one (else the other divisions), and all legal partitions."""
    middle = reality_sentence(card) or others_sentence(card)
    sentences = [
        area_sentence(card),
        decided_sentence(card),
        key_sentence(card),
        middle,
        range_sentence(card),
    ]
    return [s for s in sentences if s]


# --- the card as data ---------------------------------------------------------------------------

# The card's figures travel from the kernel that made them to the workbook (written by the
# render process) in the executed notebook: in the metadata of the card's heading under this key,
# which the HTML report does not show.
DATA_KEY = "kuntakortti"


def _frame_data(frame: pd.DataFrame) -> dict:
    return {
        "columns": [str(c) for c in frame.columns],
        "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False)],
    }


def _plain(value):
    """A cell as JSON has it: an int, a float, a text or None."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # a NumPy scalar
        value = value.item()
    return value


def _frame(data: dict, ints: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(data["rows"], columns=data["columns"])
    for column in ints:
        frame[column] = pd.array(list(frame[column]), dtype="Int64")
    return frame


MINIMAL_INTS = ("Nro", "Kuntia", "Työvoima")
REALITY_INTS = ("Laskettu 2025 €", "Ero raportoituun €")


def to_data(card: Card) -> dict:
    """The card as JSON-ready data (its figures exactly as they are: whole euros as integers,
    unrounded figures as floats)."""
    return {
        "code": card.code,
        "name": card.name,
        "decided": {
            "scenario": card.decided.scenario,
            "name": card.decided.name,
            "lead": card.decided.lead,
            "members": list(card.decided.members),
            "outside": list(card.decided.outside),
        },
        "alternatives": [
            {k: v for k, v in a.__dict__.items() if k != "key_parts"} for a in card.alternatives
        ],
        "range": None if card.range is None else dict(card.range.__dict__),
        "minimal": _frame_data(card.minimal),
        "reality": None
        if card.reality is None
        else {
            "rows": _frame_data(card.reality.rows),
            "reported": [dict(r.__dict__) for r in card.reality.reported],
            "reported_2025": card.reality.reported_2025,
        },
        "basis": card.basis,
        "statuses": card.statuses,
        "method": list(card.method),
    }


def from_data(data: dict) -> Card:
    """The card of :func:`to_data`'s data."""
    decided = data["decided"]
    reality = data["reality"]
    return Card(
        code=data["code"],
        name=data["name"],
        decided=DecidedArea(
            decided["scenario"],
            decided["name"],
            decided["lead"],
            tuple(decided["members"]),
            tuple(decided["outside"]),
        ),
        alternatives=tuple(Alternative(**a) for a in data["alternatives"]),
        range=None if data["range"] is None else PaymentRange(**data["range"]),
        minimal=_frame(data["minimal"], MINIMAL_INTS),
        reality=None
        if reality is None
        else Reality(
            _frame(reality["rows"], REALITY_INTS),
            tuple(Reported(**r) for r in reality["reported"]),
            reality["reported_2025"],
        ),
        basis=data["basis"],
        statuses=data["statuses"],
        method=tuple(data["method"]),
    )


def from_notebook(path: Path) -> Card:
    """The card an executed card notebook made (an output's metadata under :data:`DATA_KEY`)."""
    data = output_data(path, DATA_KEY)
    if data is None:
        raise ValueError(f"{path}: muistiossa ei ole kuntakortin lukuja ({DATA_KEY})")
    return from_data(data)
