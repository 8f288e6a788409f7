"""Every column the package shows or writes, in one place: its snake_case name (the CSV header, the
same for the same quantity in every command), its Finnish label (the header people read in the
terminal, reports and workbooks) and its kind (how a CSV cell is written: text, a code kept as
text, a count, money in whole euros or in cents, a figure with a fixed number of decimals, a
status). Also the Finnish words for the code values that tables carry (a decision, a period) and
the statuses every output names.

A command's table is built with snake_case names (``kuntanumero``, ``maksuosuus``) and shown with
:func:`labelled`; a table built with Finnish headers (the scenario engine's) is turned into CSV
names with :func:`named`. A name that is not here (nor matched by a pattern, nor given by the
command as an extra column, e.g. one column per service) is a programming error, so a new column
cannot reach a CSV without a name, a label and a kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Kind:
    """How a CSV cell is written: ``text``, ``code`` (digits kept as text: 020), ``count`` (a whole
    number), ``money`` (``decimals`` 0 = whole euros, 2 = cents, rounded by the money module),
    ``decimal`` (a shown figure with ``decimals`` decimals) or ``status`` (one of STATUSES)."""

    name: str
    decimals: int = 0


TEXT = Kind("text")
CODE = Kind("code")
COUNT = Kind("count")
EUROS = Kind("money", 0)
CENTS = Kind("money", 2)
STATUS = Kind("status")


def decimal(decimals: int) -> Kind:
    return Kind("decimal", decimals)


@dataclass(frozen=True)
class Column:
    name: str  # snake_case: the CSV header
    label: str  # Finnish: the header people read
    kind: Kind


def _columns(*specs: tuple[str, str, Kind]) -> dict[str, Column]:
    return {name: Column(name, label, kind) for name, label, kind in specs}


COLUMNS: dict[str, Column] = _columns(
    # who and what a row is
    ("kuntanumero", "Kuntanumero", CODE),
    ("kunta", "Kunta", TEXT),
    ("alue", "Alue", TEXT),
    ("vastuukunta", "Vastuukunta", TEXT),
    ("skenaario", "Skenaario (tiedosto)", TEXT),
    ("skenaarion_nimi", "Skenaario", TEXT),
    ("vaihtoehto", "Vaihtoehto", TEXT),
    ("paatetty_alue", "Päätetty alue", TEXT),
    ("mittari", "Mittari", TEXT),
    ("vuosi", "Vuosi", COUNT),
    ("palvelu", "Palvelukoodi", TEXT),
    ("nimi", "Palvelu", TEXT),
    ("nro", "Nro", COUNT),
    ("kunnat", "Kunnat", TEXT),
    ("kuntia", "Kuntia", COUNT),
    ("tila", "Tila", STATUS),
    # shared costs (jako)
    ("yhteensa", "Yhteensä €", EUROS),
    ("alennus", "Alennus €", EUROS),
    ("alennuksen_kattaminen", "Alennuksen kattaminen €", EUROS),
    ("maksuosuus", "Maksuosuus €", EUROS),
    # international services (arvio, tasaus, laskut)
    ("vieraskieliset", "Vieraskieliset", COUNT),
    ("osuus_pct", "Osuus %", decimal(3)),
    ("suoritteet", "Suoritteet €", CENTS),
    ("kustannuspotti", "Kustannuspotti €", CENTS),
    ("arvio_yhteensa", "Arvio yhteensä €", CENTS),
    ("potti_laskutettu", "Potti laskutettu €", CENTS),
    ("potti_toteutunut", "Potti toteutunut €", CENTS),
    ("suoritteet_laskutettu", "Suoritteet laskutettu €", CENTS),
    ("suoritteet_vahvistettu", "Suoritteet vahvistetuin hinnoin €", CENTS),
    ("matkakulut", "Matkakulut €", CENTS),
    ("tasaus", "Tasaus €", CENTS),
    ("tasauslasku_helmikuu", "Helmikuun tasauslasku €", CENTS),
    ("siirto_seuraavaan_laskuun", "Siirtyy seuraavaan laskuun €", CENTS),
    ("lasku_yhteensa", "Lasku yhteensä €", CENTS),
    ("talousarvio", "Talousarvio €", CENTS),
    ("toteuma", "Toteuma €", CENTS),
    ("hankerahoitus", "Hankerahoitus €", CENTS),
    ("toteuma_netto", "Toteuma − hankerahoitus €", CENTS),
    ("laskutettu", "Laskutettu €", CENTS),
    ("muutos_pct", "Muutos %", decimal(2)),
    ("paatos", "Päätös", TEXT),
    ("hintakerroin", "Hintakerroin", decimal(4)),
    # scenarios (skenaariot)
    ("potin_peruste", "Potin peruste", TEXT),
    ("vertailun_peruste", "Vertailun peruste", TEXT),
    ("maksuosuus_per_asukas", "€/asukas", decimal(2)),
    ("maksuosuus_per_tyoton", "€/työtön", decimal(2)),
    ("valtionosuus", "Valtionosuus, arvio €", EUROS),
    ("netto", "Netto €", EUROS),
    ("netto_per_asukas", "Netto €/asukas", decimal(2)),
    ("muutos_paatettyyn_2025", "Muutos päätettyyn 2025 €", EUROS),
    ("muutos_paatettyyn_2025_per_asukas", "Muutos päätettyyn 2025 €/asukas", decimal(2)),
    ("maksuosuus_tila", "Maksuosuuden tila", STATUS),
    ("valtionosuus_tila", "Valtionosuuden tila", STATUS),
    ("potti", "Potti €", EUROS),
    ("potti_tila", "Potin tila", STATUS),
    ("tyovoima", "Työvoima", COUNT),
    ("tyovoimaraja", "20 000 -sääntö", TEXT),
    ("yhtenainen", "Yhtenäinen", TEXT),
    # every legal partition (aluejaot)
    ("maksuosuus_pienin", "Pienin €", EUROS),
    ("maksuosuus_mediaani", "Mediaani €", EUROS),
    ("maksuosuus_alakvartiili", "Alakvartiili €", EUROS),
    ("maksuosuus_ylakvartiili", "Yläkvartiili €", EUROS),
    ("maksuosuus_suurin", "Suurin €", EUROS),
    ("maksuosuus_paatetyt_alueet", "Päätetyt alueet €", EUROS),
    ("maksuosuus_pienin_per_asukas", "Pienin €/asukas", decimal(2)),
    ("maksuosuus_mediaani_per_asukas", "Mediaani €/asukas", decimal(2)),
    ("maksuosuus_suurin_per_asukas", "Suurin €/asukas", decimal(2)),
    ("maksuosuus_paatetyt_alueet_per_asukas", "Päätetyt alueet €/asukas", decimal(2)),
    ("persentiili_pct", "Persentiili %", decimal(1)),
    ("netto_pienin", "Netto pienin €", EUROS),
    ("netto_mediaani", "Netto mediaani €", EUROS),
    ("netto_suurin", "Netto suurin €", EUROS),
    ("netto_paatetyt_alueet", "Netto päätetyt alueet €", EUROS),
    # the regions of mainland Finland (aluejaot --koko-maa)
    ("maakunta", "Maakunta", TEXT),
    ("laillisia_jakoja", "Laillisia jakoja", COUNT),
    ("alueiden_maaran_mukaan", "Alueiden määrän mukaan", TEXT),
    ("paatetyt_alueet_2025", "Päätetyt alueet 2025", TEXT),
    ("voisi_jarjestaa_yksin", "Voisi järjestää yksin", TEXT),
    # statistics coverage (data kattavuus)
    ("kuukausia", "Kuukausia", COUNT),
    ("lopullinen", "Lopullisia", COUNT),
    ("ennakko", "Ennakkotietoja", COUNT),
    ("johdettu", "Johdettuja", COUNT),
    ("arvio", "Arvioita", COUNT),
    ("esimerkki", "Esimerkkejä", COUNT),
    ("osittain", "Osittaisia", COUNT),
    ("liitetty", "Liitettyjen kuntien", COUNT),
    ("kuntajako", "Kuntajako", TEXT),
    ("puuttuu", "Puuttuvia", COUNT),
)

# Columns named after a year, a service or a cost kind: (the name's pattern, the label, the kind).
# ``{0}`` in the label is the name's part in parentheses.
PATTERNS: tuple[tuple[re.Pattern[str], str, Kind], ...] = (
    (re.compile(r"^kokeilu_(\d{4})$"), "Kokeilu {0} €", EUROS),
    (re.compile(r"^muutos_kokeiluun_(\d{4})$"), "Muutos kokeiluun {0} €", EUROS),
    (re.compile(r"^tasaus_(\d{4})$"), "Tasaus {0} €", CENTS),
    (re.compile(r"^potti_([a-z0-9_]+)$"), "Potti: {0} €", CENTS),
    (re.compile(r"^([a-z0-9_]+)_paatos$"), "Päätös: {0}", TEXT),
    (re.compile(r"^([a-z0-9_]+)_tasaus$"), "Tasaus: {0} €", CENTS),
)
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def column(name: str, extra: Mapping[str, Column] | None = None) -> Column:
    """The column ``name``: a command's own extra column, a registered one or a patterned one."""
    if extra and name in extra:
        return extra[name]
    if name in COLUMNS:
        return COLUMNS[name]
    for pattern, label, kind in PATTERNS:
        match = pattern.match(name)
        if match:
            return Column(name, label.format(*match.groups()), kind)
    raise ValueError(f"sarakkeella '{name}' ei ole nimeä, otsikkoa eikä lajia (view/labels.py)")


def label(name: str, extra: Mapping[str, Column] | None = None) -> str:
    return column(name, extra).label


def labelled(frame: pd.DataFrame, extra: Mapping[str, Column] | None = None) -> pd.DataFrame:
    """The frame with Finnish headers for people (the snake_case names stay in CSV)."""
    return frame.rename(columns={c: label(str(c), extra) for c in frame.columns})


_BY_LABEL = {c.label: c.name for c in COLUMNS.values()}
if len(_BY_LABEL) != len(COLUMNS):  # a label names one quantity only
    raise AssertionError("view/labels.py: kaksi saraketta samalla otsikolla")
_PATTERN_LABELS = (
    (re.compile(r"^Kokeilu (\d{4}) €$"), "kokeilu_{0}"),
    (re.compile(r"^Muutos kokeiluun (\d{4}) €$"), "muutos_kokeiluun_{0}"),
)


def named(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with Finnish headers (as the scenario engine builds them) with CSV names."""
    names = {}
    for header in frame.columns:
        text = str(header)
        if text in _BY_LABEL:
            names[header] = _BY_LABEL[text]
            continue
        for pattern, template in _PATTERN_LABELS:
            match = pattern.match(text)
            if match:
                names[header] = template.format(*match.groups())
                break
        else:
            raise ValueError(f"otsikolla '{text}' ei ole CSV-nimeä (view/labels.py)")
    return frame.rename(columns=names)


# --- values

# The statuses of figures, from the most to the least final. A result computed from figures of
# several statuses has the least final of them (:func:`weakest`).
STATUSES = (
    "lopullinen",
    "julkaistu",
    "toteuma",
    "ennakko",
    "johdettu",
    "arvio",
    "esimerkki",
    "osittain",
    "liitetty",
    "puuttuu",
)
STATUS_WORDS = {
    "lopullinen": "lopullinen",
    "julkaistu": "JULKAISTU",
    "toteuma": "toteuma",
    "ennakko": "ennakkotieto",
    "johdettu": "johdettu arvio",
    "arvio": "ARVIO",
    "esimerkki": "ESIMERKKI",
    "osittain": "osittain",
    "liitetty": "liitetty toisen kunnan lukuun",
    "puuttuu": "puuttuu",
}


def weakest(statuses: Iterable[str]) -> str:
    """The least final of ``statuses`` (lower or upper case), in lower case."""
    found = [s.lower() for s in statuses if s]
    unknown = [s for s in found if s not in STATUSES]
    if unknown:
        raise ValueError(f"tuntematon tila '{unknown[0]}' (tilat: {', '.join(STATUSES)})")
    return max(found, key=STATUSES.index) if found else "lopullinen"


# Code values that tables carry, in Finnish.
VALUES = {
    # the 10 % rule's branch (international services)
    "tasauslasku": "tasauslasku helmikuussa",
    "siirto": "seuraavan vuoden 1. laskuun",
    # invoicing periods
    "kuukausi": "kuukausi",
    "neljannes": "neljännes",
    # discount carriers (shared costs)
    "ei_kukaan": "ei kukaan",
    "vastuukunta": "vastuukunta",
    "muut": "muut kunnat",
}


def in_words(code: str) -> str:
    """A code value in Finnish words; an unknown value as it is."""
    return VALUES.get(code, code)


def count(n: int, one: str, many: str) -> str:
    """'1 alue', '2 aluetta', '0 aluetta' (the singular only for one)."""
    return f"{n} {one if n == 1 else many}"
