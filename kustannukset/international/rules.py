"""International expertise services: the dated rules and unit prices
(``data/parametrit/kansainvaliset_palvelut.yaml``), file locations, statuses and the column layouts
of the input files."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import Field, PlainValidator

from kustannukset.core.errors import InputError
from kustannukset.core.params import ParameterFile
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.schema import Problem, Schema, Text, choice, exact_between, validate
from kustannukset.stats.loader import MEASURES

PARAMETER_FILE = Path("parametrit") / "kansainvaliset_palvelut.yaml"
EVENTS_FILE = Path("esimerkki") / "kv_palvelutapahtumat_esimerkki.csv"
COSTS_FILE = Path("esimerkki") / "kv_kustannukset_esimerkki.csv"
FUNDING_FILE = Path("esimerkki") / "kv_hankerahoitus_esimerkki.csv"

EXAMPLE = "esimerkki"
ACTUAL = "toteuma"
ROW_STATUSES = (ACTUAL, EXAMPLE)
EXAMPLE_NOTICE = "ESIMERKKI – ei todellisia lukuja"
INTERPRETING_NOTICE = (
    "Hinnat eivät sisällä tulkkauskustannuksia; tulkkausta ei laskuteta näillä laskuilla."
)

BUDGET = "talousarvio"
INVOICING = "laskutus"
PURPOSES = (BUDGET, INVOICING)
SPLIT_BY_KEY = "vieraskieliset"
SPLIT_BY_EVENTS = "suoritteet"

EVENT_COLUMNS = ["kunta", "pvm", "palvelu", "maara"]
OPTIONAL_EVENT_COLUMNS = [
    "kotoutumisvuosi",
    "paikan_paalla",
    "paivarahat",
    "kilometrikulut",
    "tila",
    "asiakas",
    "kaynnit",
]
COST_COLUMNS = ["vuosi", "kustannuslaji", "talousarvio", "toteuma", "tila", "lahde"]
COST_SERVICE = "palvelu"  # optional column: the unit-priced service of a 'suoritteet' row
FUNDING_COLUMNS = ["vuosi", "kohde", "summa", "tila", "lahde"]
WHOLE_POOL = "potti"  # funding for the whole cost pool split by key

MONTH = "kuukausi"
QUARTER = "neljannes"
PERIODS = {MONTH: 12, QUARTER: 4}
PRO_RATA = "suhteessa"
AT_LEAST_AN_HOUR = "vahintaan_tunti"
VISIT_RULES = (PRO_RATA, AT_LEAST_AN_HOUR)
KEY_YEAR_OVERRIDE = "vieraskieliset_vuosi"

YES_NO = {"kyllä": True, "kylla": True, "k": True, "ei": False, "e": False, "": False}


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


def _fraction(value, *, what: str, file: Path, line: int | None) -> Fraction:
    try:
        if isinstance(value, bool):
            raise ValueError
        return Fraction(str(value))
    except (TypeError, ValueError):
        raise InputError(
            f"{what}: '{value}' ei ole luku", file=file, row=line, column="arvo"
        ) from None


def jan1(year: int) -> dt.date:
    return dt.date(year, 1, 1)


# --- rules


@dataclass(frozen=True)
class ServiceType:
    code: str
    name: str
    unit: str  # Finnish: asiakasvuosi, ryhmä, tunti ...
    integer: bool  # the quantity is a count
    by_integration_year: bool  # priced by integration year (OMA-valmennus)
    by_visit: bool = False  # priced per hour per visit (omakielinen neuvonta)


@dataclass(frozen=True)
class CostKind:
    code: str
    name: str
    split: str  # SPLIT_BY_KEY or SPLIT_BY_EVENTS


# --- the schemas of the parameter file's services, cost kinds and prices by integration year


class ServiceSpec(Schema):
    """A unit-priced service under ``palvelut``; ``hinta`` is its dated price parameter."""

    fi_in: ClassVar[str] = "palvelussa"
    fi_from: ClassVar[str] = "palvelulta"
    name: Text = Field(alias="nimi")
    unit: Text = Field(alias="yksikko")
    integer: bool = Field(False, alias="kokonaisluku")
    by_integration_year: bool = Field(False, alias="kotoutumisvuosittain")
    by_visit: bool = Field(False, alias="kaynneittain")
    price: dict = Field(alias="hinta")


class CostKindSpec(Schema):
    """A kind of cost of the pool under ``kustannuslajit`` and how it is split."""

    fi_in: ClassVar[str] = "kustannuslajissa"
    fi_from: ClassVar[str] = "kustannuslajilta"
    name: Text = Field(alias="nimi")
    split: choice((SPLIT_BY_KEY, SPLIT_BY_EVENTS), "jako") = Field(alias="jako")


def _integration_year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9:
        raise Problem(f"kotoutumisvuoden pitää olla kokonaisluku 1–9, ei '{value}'")
    return value


# ``{1: 750, 2: 1150, ...}``: the price by integration year
PricesByYear = dict[Annotated[int, PlainValidator(_integration_year)], exact_between(0)]


class Rules:
    """The prices and rules of the parameter file, asked by date."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        self.params = ParameterFile(Path(data_dir) / PARAMETER_FILE)
        path = self.params.path
        services = validate(dict[str, ServiceSpec], self.params.node("palvelut"), file=path)
        self.services: dict[str, ServiceType] = {
            code: ServiceType(
                code, s.name, s.unit, s.integer, s.by_integration_year, by_visit=s.by_visit
            )
            for code, s in services.items()
        }
        kinds = validate(dict[str, CostKindSpec], self.params.node("kustannuslajit"), file=path)
        self.cost_kinds: dict[str, CostKind] = {
            code: CostKind(code, kind.name, kind.split) for code, kind in kinds.items()
        }

    def service_by_name(self, text: str) -> ServiceType | None:
        wanted = text.strip().lower()
        for service in self.services.values():
            if wanted in (service.code, service.name.lower()):
                return service
        return None

    def price_value(self, service: str, when: dt.date):
        return self.params[f"palvelut.{service}.hinta"].at(when)

    def unit_price(
        self, service: str, when: dt.date, integration_year: int | None = None
    ) -> Fraction:
        """The unit price in force on ``when`` (by integration year for OMA-valmennus)."""
        entry = self.price_value(service, when)
        name = f"palvelut.{service}.hinta"
        if self.services[service].by_integration_year:
            prices = self.params[name].value_as(when, PricesByYear)
            if integration_year not in prices:
                raise InputError(
                    f"{name}: hintaa ei ole {integration_year}. kotoutumisvuodelle",
                    file=self.params.path,
                    row=entry.line,
                    column="arvo",
                )
            return prices[integration_year]
        return _fraction(entry.value, what=name, file=self.params.path, line=entry.line)

    def _int(self, name: str, when: dt.date) -> int:
        entry = self.params[name].at(when)
        value = _fraction(entry.value, what=name, file=self.params.path, line=entry.line)
        if value.denominator != 1:
            raise InputError(
                f"{name}: pitää olla kokonaisluku",
                file=self.params.path,
                row=entry.line,
                column="arvo",
            )
        return int(value)

    def max_integration_year(self, when: dt.date) -> int:
        return self._int("kotoutumisaika.enintaan", when)

    def normal_integration_years(self, when: dt.date) -> int:
        return self._int("kotoutumisaika.tavallisesti_enintaan", when)

    def threshold(self, year: int) -> Fraction:
        """The equalisation threshold as a fraction (10 % -> 1/10)."""
        entry = self.params["tasausraja_pct"].at(jan1(year))
        return (
            _fraction(entry.value, what="tasausraja_pct", file=self.params.path, line=entry.line)
            / 100
        )

    def key_measure(self, year: int) -> str:
        entry = self.params["jakoperuste"].at(jan1(year))
        if entry.value not in MEASURES:
            raise InputError(
                f"tuntematon jakoperuste '{entry.value}'",
                file=self.params.path,
                row=entry.line,
                column="arvo",
            )
        return str(entry.value)

    def key_year(self, year: int, purpose: str) -> int:
        """The statistical year (31.12.) of the key for ``year`` and ``purpose``: V-2 for the
        budget, V-1 for invoicing."""
        if purpose not in PURPOSES:
            raise ValueError(f"tuntematon tarkoitus '{purpose}'")
        return year - self._int(f"jakoperusteen_viive_vuotta.{purpose}", jan1(year))

    def month(self, name: str, year: int) -> int:
        return self._int(name, jan1(year))

    def _choice(self, name: str, when: dt.date, choices) -> str:
        entry = self.params[name].at(when)
        if entry.value not in choices:
            raise InputError(
                f"{name} pitää olla {' tai '.join(choices)}, ei '{entry.value}'",
                file=self.params.path,
                row=entry.line,
                column="arvo",
            )
        return str(entry.value)

    def period_kind(self, year: int) -> str:
        """'kuukausi' or 'neljannes': the invoicing period of ``year``."""
        return self._choice("laskutusjakso", jan1(year), tuple(PERIODS))

    def periods(self, year: int) -> int:
        return PERIODS[self.period_kind(year)]

    def visit_rule(self, when: dt.date) -> str:
        """How a visit of native-language advice is priced: pro rata or at least an hour."""
        return self._choice("neuvontakaynti", when, VISIT_RULES)
