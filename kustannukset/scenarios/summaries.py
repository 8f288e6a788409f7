"""The answer of the 2025 comparison for its first page: who gains and who loses in each
alternative against the decided areas 2025, and the decided areas' totals, read from the long
frame of :func:`kustannukset.scenarios.comparison.compare` (the frame ``kustannukset skenaariot
--csv`` writes), so that the summary's figures are the comparison's own.

A change is the alternative's payment less the decided areas' payment on the same pool basis
(column ``Muutos päätettyyn 2025 €``): below zero the municipality pays less (gains), above zero
it pays more (loses). The state-funding estimate of a municipality is the same in every
alternative, so its net moves by the same amount the other way. Sums are of whole euros (each
payment, estimate and net is rounded once where it is made), and an area's sum is shown only when
every member has the figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kustannukset.scenarios.comparison import (
    ALTERNATIVE,
    CHANGE,
    FILE,
    FUNDING,
    NET,
    PAYMENT,
    TOTAL,
)
from kustannukset.scenarios.model import Scenario
from kustannukset.view.formatting import euros


@dataclass(frozen=True)
class Move:
    """One municipality's change in one alternative against the decided areas, €."""

    alternative: str
    municipality: str
    change: int


@dataclass(frozen=True)
class Swing:
    """An alternative's biggest gain and biggest loss against the decided areas; ``same_areas``
    when its areas are the decided areas' (only the key differs)."""

    alternative: str
    same_areas: bool
    gain: Move | None  # the biggest fall in payment (below zero), or None
    loss: Move | None  # the biggest rise in payment (above zero), or None


@dataclass(frozen=True)
class AreaTotal:
    """An area's (or, as ``Yhteensä``, all areas') sum of payments, state-funding estimates and
    nets, € (None when a member lacks the figure)."""

    area: str
    payment: int | None
    funding: int | None
    net: int | None


@dataclass(frozen=True)
class Answer:
    """The first page's figures: the decided areas' alternative (``base``), its totals per area,
    and every other alternative's swing."""

    base: str
    totals: list[AreaTotal]
    swings: list[Swing]

    def of(self, same_areas: bool) -> list[Swing]:
        return [s for s in self.swings if s.same_areas == same_areas]


def _sum(values: pd.Series) -> int | None:
    return int(values.sum()) if len(values) and values.notna().all() else None


def area_totals(frame: pd.DataFrame, base: str) -> list[AreaTotal]:
    """The base alternative's (file name ``base``) payments, estimates and nets summed per area,
    in the frame's order, and over all areas (``Yhteensä``); empty if it is not compared."""
    rows = frame[frame[FILE] == base]
    if rows.empty:
        return []
    totals = [
        AreaTotal(area, _sum(part[PAYMENT]), _sum(part[FUNDING]), _sum(part[NET]))
        for area, part in rows.groupby("Alue", sort=False)
    ]
    totals.append(AreaTotal(TOTAL, _sum(rows[PAYMENT]), _sum(rows[FUNDING]), _sum(rows[NET])))
    return totals


def geography(rows: pd.DataFrame) -> frozenset[frozenset[str]]:
    """An alternative's areas as sets of municipality numbers (names of areas aside)."""
    return frozenset(frozenset(part["Kuntanumero"]) for _, part in rows.groupby("Alue"))


def swings(frame: pd.DataFrame, base: str) -> list[Swing]:
    """Every alternative but the base (file name ``base``), in the frame's order: the
    municipality whose payment falls most and the one whose payment rises most against the
    decided areas (the first in the frame's order on a tie); no gain or loss where nothing
    falls or rises. ``same_areas`` when its areas are those of the base."""
    decided = geography(frame[frame[FILE] == base])
    found = []
    for _, rows in frame[frame[FILE] != base].groupby(FILE, sort=False):
        changes = rows[CHANGE].dropna().astype("int64")
        alternative = str(rows[ALTERNATIVE].iloc[0])
        gain = loss = None
        if len(changes) and changes.min() < 0:
            at = changes.idxmin()
            gain = Move(alternative, str(rows.at[at, "Kunta"]), int(changes[at]))
        if len(changes) and changes.max() > 0:
            at = changes.idxmax()
            loss = Move(alternative, str(rows.at[at, "Kunta"]), int(changes[at]))
        found.append(Swing(alternative, geography(rows) == decided, gain, loss))
    return found


def extremes(found: list[Swing]) -> tuple[Move | None, Move | None]:
    """The biggest gain and the biggest loss over ``found`` (the first on a tie)."""
    gains = [s.gain for s in found if s.gain is not None]
    losses = [s.loss for s in found if s.loss is not None]
    gain = min(gains, key=lambda m: m.change) if gains else None
    loss = max(losses, key=lambda m: m.change) if losses else None
    return gain, loss


def answer(frame: pd.DataFrame, base: str) -> Answer:
    """The first page's figures of a comparison frame, against the base alternative ``base``
    (its file name, the decided areas 2025)."""
    rows = frame[frame[FILE] == base]
    short = str(rows[ALTERNATIVE].iloc[0]) if len(rows) else ""
    return Answer(short, area_totals(frame, base), swings(frame, base))


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " ja " + names[-1] if len(names) > 1 else "".join(names)


def _moves(lead: str, found: list[Swing]) -> str:
    """One sentence: over ``found``, who would pay the most less and who the most more;
    ``lead`` opens it with ``{}`` where the alternatives are listed."""
    gain, loss = extremes(found)
    parts = []
    if gain is not None:
        parts.append(
            f"eniten hyötyisi {gain.municipality} ({gain.alternative}: "
            f"{euros(-gain.change)} € vähemmän)"
        )
    if loss is not None:
        parts.append(
            f"eniten maksaisi lisää {loss.municipality} ({loss.alternative}: "
            f"{euros(loss.change)} € enemmän)"
        )
    said = " ja ".join(parts) if parts else "yhdenkään kunnan maksu ei muuttuisi"
    return lead.format(_listed([s.alternative for s in found])) + f" {said}."


def sentences(found: Answer, basis: str) -> list[str]:
    """The answer in three to five sentences of plain Finnish."""
    said = []
    total = found.totals[-1] if found.totals else None
    if total is not None and None not in (total.payment, total.funding, total.net):
        areas = len(found.totals) - 1
        said.append(
            f"Päätetyillä alueilla 2025 (vaihtoehto {found.base}, {areas} "
            f"{'alue' if areas == 1 else 'aluetta'}) kuntien maksuosuudet ovat yhteensä "
            f"{euros(total.payment)} €, valtionosuusarvio {euros(total.funding)} € ja netto "
            f"{euros(total.net)} € (ARVIO)."
        )
    same, other = found.of(True), found.of(False)
    if same:
        said.append(_moves("Kun samoilla alueilla vaihdetaan vain jakoperuste ({}),", same))
    if other:
        said.append(_moves("Toisin rajatuissa vaihtoehdoissa ({})", other))
    said.append(
        "Kunnan valtionosuusarvio on sama kaikissa vaihtoehdoissa, joten netto muuttuu yhtä "
        "paljon toiseen suuntaan."
    )
    said.append(
        f"Luvut on laskettu potin perusteella '{basis}'; kaikki luvut kunnittain: "
        "kustannukset skenaariot --csv."
    )
    return said


def shared_geographies(scenarios: list[Scenario]) -> list[list[Scenario]]:
    """The scenarios grouped by their areas (the same municipalities in the same areas, whatever
    the key), each group in the scenarios' order, the groups in the order of their first."""
    groups: dict[frozenset[frozenset[str]], list[Scenario]] = {}
    for scenario in scenarios:
        areas = frozenset(frozenset(area.members) for area in scenario.areas)
        groups.setdefault(areas, []).append(scenario)
    return list(groups.values())
