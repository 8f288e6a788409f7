"""The yearly price table (hinnoittelu): a year's division assembled from the data folder.

The prices for year V use the parameters in force on V-01-01 in
``data/parametrit/yhteiset_kustannukset.yaml`` and the key statistic of year V - viive from
``data/tilastot/``. A year "has data" when every invoiced service has a cost that starts on
V-01-01; a year whose figures are estimates says so (``tila == "arvio"``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Annotated, ClassVar

import pandas as pd
from pydantic import AfterValidator, BeforeValidator, Field, ValidationInfo, model_validator

from kustannukset.core.errors import InputError
from kustannukset.core.money import PUBLISHED, display, exact, round_half_up
from kustannukset.core.params import ParameterFile
from kustannukset.core.paths import DATA_DIR
from kustannukset.core.schema import Exact, Problem, Schema, Text, exact_between, validate
from kustannukset.shared_costs.division import (
    CARRIER_NOBODY,
    CARRIERS,
    DivisionInput,
    ExactDivision,
    Service,
    divide,
    non_lead_share,
    round_division,
)
from kustannukset.stats.loader import MEASURES, Statistics, load_statistics
from kustannukset.view.labels import weakest

PARAMETER_FILE = Path("parametrit") / "yhteiset_kustannukset.yaml"
ESTIMATE = "arvio"


def parameter_file(data_dir: Path = DATA_DIR) -> ParameterFile:
    return ParameterFile(Path(data_dir) / PARAMETER_FILE)


class ServiceSpec(Schema):
    """A shared service under ``palvelut``; ``htv`` and ``kulut`` are its dated parameters."""

    fi_in: ClassVar[str] = "palvelussa"
    fi_from: ClassVar[str] = "palvelulta"
    name: Text = Field(alias="nimi")
    heading: Text | None = Field(None, alias="otsikko")
    invoiced: bool = Field(True, alias="laskutetaan")
    content: Text = Field("", alias="sisalto")
    funding: Text = Field("", alias="rahoitus")
    htv: dict | None = Field(None, alias="htv")
    costs: dict | None = Field(None, alias="kulut")

    @model_validator(mode="after")
    def _invoiced_has_costs(self) -> ServiceSpec:
        if self.invoiced and self.costs is None:
            raise Problem("laskutettavalta palvelulta puuttuu 'kulut'", column="kulut")
        return self


def _services(params: ParameterFile) -> dict[str, ServiceSpec]:
    return validate(dict[str, ServiceSpec], params.node("palvelut"), file=params.path)


def _service_codes(services: dict[str, ServiceSpec]) -> tuple[list[str], list[str]]:
    """The codes of the invoiced services and of the state-funded ones, in the file's order."""
    invoiced = [code for code, s in services.items() if s.invoiced]
    return invoiced, [code for code in services if code not in invoiced]


def available_years(data_dir: Path = DATA_DIR, params: ParameterFile | None = None) -> list[int]:
    """Years whose price table can be computed: every invoiced service has a cost from 1.1."""
    params = params or parameter_file(data_dir)
    invoiced, _ = _service_codes(_services(params))
    years = None
    for code in invoiced:
        cost = params[f"palvelut.{code}.kulut"]
        starts = {v.start.year for v in cost.values if v.start.month == 1 and v.start.day == 1}
        years = starts if years is None else years & starts
    return sorted(years or [])


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name: str
    heading: str
    cost: Fraction
    cost_year: int | None
    htv: list[float]
    source: str
    status: str


@dataclass(frozen=True)
class YearInputs:
    """Everything a year's division is made of, with where each figure comes from."""

    year: int
    division_input: DivisionInput
    status: str  # "julkaistu" or "arvio"
    key_measure: str
    key_year: int
    services: list[ServiceInfo]
    state_funded: list[dict]
    flat_rate_source: str
    discount_source: str
    discount_date: dt.date
    key_rows: pd.DataFrame
    statistics: Statistics
    params: ParameterFile

    @property
    def is_estimate(self) -> bool:
        return self.status == ESTIMATE

    @property
    def figures_status(self) -> str:
        """The status of the year's payments: the least final of its costs' (julkaistu, arvio)
        and its key's figures (lopullinen, ennakko ...)."""
        return weakest([self.status, *self.key_rows["tila"]])

    @property
    def label(self) -> str:
        """The year as it is shown: '2024 (arvio)' when the figures are an estimate."""
        return f"{self.year} (arvio)" if self.is_estimate else str(self.year)

    @property
    def key_name(self) -> str:
        return MEASURES[self.key_measure].name

    def divide(self) -> ExactDivision:
        return divide(self.division_input)


def _check_positive_cost(value, param, when: dt.date) -> Fraction:
    entry = param.at(when)
    try:
        amount = Fraction(str(entry.value))
    except (TypeError, ValueError):
        raise InputError(
            f"{param.name}: '{entry.value}' ei ole luku",
            file=param.file,
            row=entry.line,
            column="arvo",
        ) from None
    if amount <= 0:
        raise InputError(
            f"{param.name}: kulun pitää olla positiivinen, ei {entry.value}",
            file=param.file,
            row=entry.line,
            column="arvo",
        )
    return amount


def _discounts_for_participants(value: dict, info: ValidationInfo) -> dict:
    municipalities, participants = info.context["municipalities"], info.context["participants"]
    for code, pct in value.items():
        name = municipalities.name(code) if code in municipalities.table.index else None
        if code not in participants:
            hint = f" ({name} ei ole kokeilukunta)" if name else ""
            raise Problem(f"alennus tuntemattomalle kunnalle '{code}'{hint}", column="arvo")
        if not 0 <= pct <= 100:
            raise Problem(
                f"alennuksen pitää olla 0–100 %, ei {float(pct):g} % (kunta {name})", column="arvo"
            )
    return value


# ``htv``: the person-years (HTV1, HTV2, HTV3) of a service
HTV = tuple[exact_between(0, 100), ...]

# ``alennukset``: {kuntanumero: prosentti} for the experiment's municipalities
Discounts = Annotated[
    dict[Annotated[str, BeforeValidator(str)], Exact], AfterValidator(_discounts_for_participants)
]


def _discounts(params: ParameterFile, when: dt.date, participants: list[str], stats: Statistics):
    param = params["alennukset"]
    context = {"municipalities": stats.municipalities, "participants": participants}
    return param.value_as(when, Discounts, context=context), param.at(when).source


def load_year(
    year: int,
    data_dir: Path = DATA_DIR,
    *,
    carrier: str = CARRIER_NOBODY,
    discounts_on: dt.date | None = None,
) -> YearInputs:
    """Read and check everything the price table of ``year`` needs.

    ``discounts_on`` takes the discounts in force on another date (a what-if: the 2021 rule on the
    2023 table); ``carrier`` says who carries the discounted amount.
    """
    data_dir = Path(data_dir)
    params = parameter_file(data_dir)
    years = available_years(data_dir, params)
    if year not in years:
        raise InputError(
            f"vuodelle {year} ei ole hinnoittelutietoja; vuodet, joilta on tiedot: "
            f"{', '.join(map(str, years)) or 'ei yhtään'}",
            file=params.path,
        )
    if carrier not in CARRIERS:
        raise InputError(
            f"tuntematon alennuksen kattaja '{carrier}' (vaihtoehdot: {', '.join(CARRIERS)})"
        )
    when = dt.date(year, 1, 1)
    stats = load_statistics(data_dir)
    participants = stats.municipalities.experiment
    specs = _services(params)
    invoiced, state_funded = _service_codes(specs)

    services, statuses = [], set()
    for code in invoiced:
        spec = specs[code]
        cost_param = params[f"palvelut.{code}.kulut"]
        entry = cost_param.at(when)
        htv = params[f"palvelut.{code}.htv"].value_as(when, HTV) if spec.htv else []
        services.append(
            ServiceInfo(
                code=code,
                name=spec.name,
                heading=spec.heading or spec.name,
                cost=_check_positive_cost(entry.value, cost_param, when),
                cost_year=entry.extra.get("kustannusvuosi"),
                htv=[float(h) for h in htv],
                source=entry.source,
                status=entry.status,
            )
        )
        statuses.add(entry.status)

    flat = params["flat_rate_pct"].at(when)
    try:
        flat_rate = Fraction(str(flat.value))
    except (TypeError, ValueError):
        raise InputError(
            f"flat rate '{flat.value}' ei ole luku", file=params.path, row=flat.line, column="arvo"
        ) from None
    if not 0 <= flat_rate <= 100:
        raise InputError(
            f"flat raten pitää olla 0–100 %, ei {flat.value}",
            file=params.path,
            row=flat.line,
            column="arvo",
        )

    measure = str(params["jakoperuste"].at(when).value)
    if measure not in MEASURES:
        entry = params["jakoperuste"].at(when)
        raise InputError(
            f"tuntematon jakoperuste '{measure}'", file=params.path, row=entry.line, column="arvo"
        )
    lag = int(params["jakoperusteen_viive_vuotta"].at(when).value)
    key_year = year - lag
    key = stats.values(measure, key_year, participants, purpose=f"vuoden {year} hinnat")
    key_rows = stats.rows(measure, key_year)
    key_rows = key_rows[key_rows["kuntanumero"].isin(participants)]

    discount_date = discounts_on or when
    discounts, discount_source = _discounts(params, discount_date, participants, stats)
    lead = str(params["vastuukunta"].at(when).value)

    state = []
    for code in state_funded:
        spec = specs[code]
        state.append({"nimi": spec.name, "rahoitus": spec.funding, "sisalto": spec.content})

    status = ESTIMATE if ESTIMATE in statuses else "julkaistu"
    return YearInputs(
        year=year,
        division_input=DivisionInput(
            services=[Service(s.code, s.heading, s.cost) for s in services],
            flat_rate_pct=flat_rate,
            key=key,
            names={c: stats.municipalities.name(c) for c in participants},
            lead=lead,
            discounts_pct=discounts,
            carrier=carrier,
        ),
        status=status,
        key_measure=measure,
        key_year=key_year,
        services=services,
        state_funded=state,
        flat_rate_source=flat.source,
        discount_source=discount_source,
        discount_date=discount_date,
        key_rows=key_rows,
        statistics=stats,
        params=params,
    )


def division_table(inputs: YearInputs, rule: str = PUBLISHED) -> pd.DataFrame:
    """The division in whole euros: the columns of ``kustannukset jako``."""
    return round_division(inputs.divide(), rule)


def cost_table(inputs: YearInputs) -> pd.DataFrame:
    """The services as in the price table's upper part: Kulut/vuosi, Flat rate, Yhteensä, kuntien
    osuus and HTV, with the Summa row; figures half-up from the exact amounts."""
    division = inputs.divide()
    nonlead = non_lead_share(division, PUBLISHED)
    rows = []
    for s in inputs.services:
        total = division.service_totals[s.code]
        rows.append(
            {
                "Palvelu": s.name,
                "Kulut/vuosi": int(round_half_up(s.cost)),
                f"Flat rate ({_pct(inputs.division_input.flat_rate_pct)})": int(
                    round_half_up(total - s.cost)
                ),
                "Yhteensä": int(round_half_up(total)),
                f"Kuntien osuus {_pct(nonlead.share, 0)}": nonlead.per_service[s.code],
                "HTV": float(display(sum(exact(h) for h in s.htv), 2)),
            }
        )
    frame = pd.DataFrame(rows)
    costs = sum(s.cost for s in inputs.services)
    summa = {
        "Palvelu": "Summa",
        "Kulut/vuosi": int(round_half_up(costs)),
        frame.columns[2]: int(round_half_up(division.pool - costs)),
        "Yhteensä": int(round_half_up(division.pool)),
        frame.columns[4]: nonlead.total,
        "HTV": float(display(sum(exact(h) for h in frame["HTV"]), 2)),
    }
    return pd.concat([frame, pd.DataFrame([summa])], ignore_index=True)


def _pct(value: Fraction, decimals: int = 0) -> str:
    number = value * 100 if value <= 1 else value
    text = f"{float(round_half_up(number, Fraction(1, 10**decimals))):.{decimals}f}"
    return text.replace(".", ",") + " %"


def key_label_of(inputs: YearInputs) -> str:
    """'Väkiluku 31.12.2021': the key's name and its statistical year."""
    name = MEASURES[inputs.key_measure].name
    return f"{name}{inputs.key_year}" if name.endswith("31.12.") else f"{name} {inputs.key_year}"


def published_layout(inputs: YearInputs, rule: str = PUBLISHED) -> pd.DataFrame:
    """The municipalities' part of the price table as published: Asukasluku, %-osuus, services,
    Yhteensä, Alennus %, Alennus €, Maksuosuudet, and a Summa row."""
    division = inputs.divide()
    table = round_division(division, rule)
    key_label = key_label_of(inputs)
    out = pd.DataFrame(
        {
            "Kunta": table["kunta"],
            key_label: [int(inputs.division_input.key[c]) for c in table["kuntanumero"]],
            "%-osuus": [float(division.key_share(c)) for c in table["kuntanumero"]],
        }
    )
    for s in inputs.services:
        out[s.heading] = table[s.code]
    out["Yhteensä"] = table["yhteensa"]
    out["Alennus %"] = [
        float(inputs.division_input.discounts_pct.get(c, 0)) for c in table["kuntanumero"]
    ]
    out["Alennus €"] = table["alennus"]
    if "alennuksen_kattaminen" in table:
        out["Alennusten kattaminen €"] = table["alennuksen_kattaminen"]
    out[f"Maksuosuudet {inputs.label}"] = table["maksuosuus"]
    summa: dict[str, object] = {
        "Kunta": "Summa",
        key_label: int(sum(inputs.division_input.key.values())),
    }
    summa["%-osuus"] = 1.0
    for s in inputs.services:
        summa[s.heading] = int(round_half_up(division.service_totals[s.code]))
    if rule == PUBLISHED:
        summa["Yhteensä"] = int(round_half_up(division.pool))
        summa["Alennus €"] = int(round_half_up(sum(division.discount.values())))
        if "Alennusten kattaminen €" in out:
            summa["Alennusten kattaminen €"] = int(round_half_up(sum(division.carried.values())))
        summa[f"Maksuosuudet {inputs.label}"] = int(round_half_up(sum(division.payment.values())))
    else:
        for column in out.columns[3:]:
            if column != "Alennus %":
                summa[column] = int(out[column].sum())
    summa["Alennus %"] = float("nan")
    return pd.concat([out, pd.DataFrame([summa])], ignore_index=True)


@dataclass(frozen=True)
class Payer:
    name: str
    code: str
    payment: int  # Maksuosuus, whole euros as in the price table
    share: Fraction  # of the key


@dataclass(frozen=True)
class PriceSummary:
    """The price table's answer in figures, for its first page: what is divided, what the lead
    and the others pay, the largest payments. Every amount is a figure of the published table
    (``julkaistu``: a total is rounded from the unrounded sum, once)."""

    year: int
    label: str
    municipalities: int
    costs: int  # Kulut/vuosi of the invoiced services
    flat_rate_pct: Fraction
    flat_rate: int
    pool: int  # Yhteensä: what is divided
    discounts: int  # Alennus € in all
    payments: int  # Maksuosuudet in all
    key_total: int  # e.g. the population of the experiment's municipalities
    per_key_unit: Fraction  # euros per inhabitant (the pool over the key), to the cent
    same_per_key_unit: bool  # no discounts: every municipality pays the same per inhabitant
    lead: Payer
    others: int  # what the municipalities other than the lead pay (Yhteensä kuntien osuus)
    others_share: Fraction
    largest: list[Payer]  # the largest payments, largest first


def price_summary(inputs: YearInputs, top: int = 5) -> PriceSummary:
    """The figures of the year's first page, from the published layout's rows and totals."""
    division = inputs.divide()
    table = round_division(division, PUBLISHED)
    payments = dict(zip(table["kuntanumero"], table["maksuosuus"], strict=True))
    names = inputs.division_input.names
    lead = inputs.division_input.lead

    def payer(code: str) -> Payer:
        return Payer(names[code], code, int(payments[code]), division.key_share(code))

    order = sorted(payments, key=lambda code: (-payments[code], code))
    costs = sum(s.cost for s in inputs.services)
    discounts = sum(division.discount.values())
    key_total = sum(inputs.division_input.key.values())
    nonlead = non_lead_share(division, PUBLISHED)
    return PriceSummary(
        year=inputs.year,
        label=inputs.label,
        municipalities=len(payments),
        costs=int(round_half_up(costs)),
        flat_rate_pct=inputs.division_input.flat_rate_pct,
        flat_rate=int(round_half_up(division.pool - costs)),
        pool=int(round_half_up(division.pool)),
        discounts=int(round_half_up(discounts)),
        payments=int(round_half_up(sum(division.payment.values()))),
        key_total=int(key_total),
        per_key_unit=display(division.pool / key_total, 2),
        same_per_key_unit=not discounts and not any(division.carried.values()),
        lead=payer(lead),
        others=nonlead.total,
        others_share=nonlead.share,
        largest=[payer(code) for code in order[:top]],
    )
