"""Everything a scenario is evaluated against: statistics, boundaries, rules and the experiment era.

Loaded once per data folder; the notebooks and the command line pass it around.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import data_files, present
from kustannukset.core.memo import Recent
from kustannukset.core.params import ParameterFile
from kustannukset.core.paths import DATA_DIR
from kustannukset.scenarios.geo import Boundaries, load_boundaries
from kustannukset.scenarios.model import (
    AREA_BASES,
    BUDGETS_FILE,
    POOL_EXPERIMENT_2023,
    POOL_PER_CAPITA_2023,
    RULE_SCHEMAS,
    SCENARIO_DIR,
    Area,
    MunicipalityNames,
    Pool,
    PoolSpec,
    Scenario,
    basis_spec,
    load_scenario,
)
from kustannukset.shared_costs import YearInputs, load_year, with_flat_rate
from kustannukset.stats.loader import DivisionValues, Statistics, load_statistics

RULES_FILE = Path("parametrit") / "tyollisyysalueet.yaml"
FUNDING_FILE = Path("parametrit") / "valtionosuus.yaml"
COSTS_FILE = BUDGETS_FILE
# The rules of law 380/2023 hold from 1.1.2025; scenarios are read against them.
RULES_DATE = dt.date(2025, 1, 1)
# How many derived results (figures of a set of municipalities, an area's division, its checks)
# a context keeps for reuse.
MEMO_SIZE = 1024


@dataclass
class Context:
    data_dir: Path
    statistics: Statistics
    boundaries: Boundaries
    rules: ParameterFile
    funding: ParameterFile
    costs: ParameterFile | None = None  # budgets, the cost model and the reported real figures
    _experiment: YearInputs | None = field(default=None, repr=False)
    # Derived results computed once per context and kept for its life (such as the national
    # funding allocation); unlike remember's, they are never dropped.
    cache: dict = field(default_factory=dict, repr=False)
    # Results of pure functions of the context's data and a key (see remember), newest last; the
    # oldest are dropped beyond MEMO_SIZE.
    _memo: Recent = field(default_factory=lambda: Recent(MEMO_SIZE), repr=False)
    # municipality -> the notes of its merged figures read so far (see division_notes)
    _division_notes: dict = field(default_factory=dict, repr=False)

    @functools.cached_property
    def names(self) -> MunicipalityNames:
        register = self.statistics.municipalities.table["kunta"].to_dict()
        return MunicipalityNames.from_sources(register, self.boundaries.names)

    def remember(self, key: Hashable, make: Callable[[], object]):
        """``make()``, reused while the same ``key`` is asked for again. The key must hold every
        input the result depends on besides the context's data (which does not change once
        loaded), such as the area with its members, key, pool and exception: then a changed input
        is a new key, and nothing needs to be invalidated. The newest :data:`MEMO_SIZE` results
        are kept. An exception is not remembered: it is raised again the next time."""
        return self._memo.remember(key, make)

    def name(self, code: str) -> str:
        return self.names.by_code[code]

    def rule(self, name: str):
        return self.rules[name].at(RULES_DATE)

    def spec(self, name: str):
        """A dict-valued rule read as its declared schema (``RULE_SCHEMAS`` in the model); read
        once per context (the file does not change once loaded)."""
        key = ("sääntö", name)
        if key not in self.cache:
            self.cache[key] = self.rules[name].value_as(RULES_DATE, RULE_SCHEMAS[name])
        return self.cache[key]

    def pool_view(self, base: str | None = None) -> PoolSpec:
        """The pool of an area whose scenario file names none: the default basis of the 2025
        comparisons (``potin_peruste`` in data/parametrit/tyollisyysalueet.yaml), or ``base`` (one
        of :data:`AREA_BASES`, such as the parameter's second view) in its place."""
        rule = self.spec("potin_peruste")
        base = rule.default if base is None else base
        if base not in AREA_BASES:
            raise InputError(
                f"potin peruste '{base}' ei käy vertailun perusteeksi "
                f"(vaihtoehdot: {', '.join(AREA_BASES)})",
                file=self.data_dir / RULES_FILE,
            )
        note = {rule.default: "oletusperuste", rule.second: "toinen näkymä"}.get(base, "")
        return basis_spec(base, default=True, note=note)

    @property
    def comparison_year(self) -> int:
        return int(self.rule("vertailuvuosi").value)

    @property
    def experiment(self) -> YearInputs:
        """The experiment-era price table the scenarios are compared with."""
        if self._experiment is None:
            self._experiment = load_year(self.comparison_year, self.data_dir)
        return self._experiment

    def pool(self, spec: PoolSpec, area: Area | None = None) -> Pool:
        """An area's cost pool. The per-capita base needs the area: the experiment's cost per
        inhabitant times the area's population (in the year of the area's population key, or the
        experiment's key year)."""
        if spec.base in (POOL_EXPERIMENT_2023, POOL_PER_CAPITA_2023):
            inputs = self.experiment
            flat = inputs.division_input.flat_rate_pct
            scale = spec.factor
            if spec.base == POOL_PER_CAPITA_2023:
                if area is None:
                    raise ValueError("asukaskohtainen potti tarvitsee alueen")
                scale *= self.population_ratio(area.members, self.population_year(area))
            services = tuple(
                (s.name, with_flat_rate(s.cost, flat) * scale) for s in inputs.services
            )
            return Pool(services, spec.label, spec.status)
        return Pool(spec.services, spec.label, spec.status)

    def population_year(self, area: Area) -> int:
        """The population year an area's pool is scaled by: its key's, else the experiment's."""
        years = [p.year for p in area.key if p.measure == "vakiluku"]
        return years[0] if years else self.experiment.key_year

    def population_ratio(self, members, year: int) -> Fraction:
        """The members' population relative to the experiment municipalities' in the price table."""
        population = self.values("vakiluku", year, members, purpose="asukaskohtainen potti")
        experiment = self.experiment.division_input.key
        return sum(population.values()) / sum(experiment.values())

    def scenario_paths(self) -> list[Path]:
        return data_files(self.data_dir / SCENARIO_DIR, "*.yaml", kind="skenaariotiedosto")

    def scenario(self, name_or_path: str | Path) -> Scenario:
        """A shipped scenario by its file stem, or any scenario file by path."""
        text = str(name_or_path)
        path = Path(text)
        if not (text.endswith((".yaml", ".yml")) or present(path, kind="skenaariotiedosto")):
            path = self.data_dir / SCENARIO_DIR / f"{text}.yaml"
            if not present(path, kind="skenaariotiedosto"):
                known = ", ".join(p.stem for p in self.scenario_paths())
                raise InputError(
                    f"tuntematon skenaario '{text}' (tunnetut: {known})", file=path.parent
                )
        return load_scenario(path, self.names, self.budgets, self.pool_view())

    @property
    def budgets(self) -> list[str]:
        """The budget figures (``talousarviot.<nimi>``) a scenario's pool may name."""
        names = self.costs.parameters if self.costs else []
        return [p.split(".", 1)[1] for p in names if p.startswith("talousarviot.")]

    def values(self, measure: str, year: int, codes, *, purpose: str = "") -> dict[str, Fraction]:
        """Figures for municipalities of the 2025 division (the reform's), of any year: a
        municipality that took in another (Mäntyharju 507, with Pertunmaa 588 from 1.1.2025) gets
        the merged area's figure, its members' figures added up (:meth:`values_2025`; the notes
        are kept, :meth:`division_notes`), and a merged municipality is an error that names the
        one it is part of. A municipality outside the register is missing: an error."""
        codes = list(codes)
        outside = [c for c in codes if c not in self.statistics.municipalities.table.index]
        if outside:
            names = ", ".join(f"{self.name(c)} ({c})" for c in outside)
            raise InputError(
                f"{measure} vuodelta {year} puuttuu: {names} ei ole kuntarekisterissä eikä "
                f"tilastoissa{' – tarvitaan: ' + purpose if purpose else ''}",
                file=self.data_dir / "kunnat.csv",
            )
        return dict(self.values_2025(measure, year, codes, purpose=purpose).values)

    def values_2025(self, measure: str, year: int, codes, *, purpose: str = "") -> DivisionValues:
        """Figures of municipalities of the 2025 division, of any year: Mäntyharju's of a year
        before 2025 include Pertunmaa's, and the result's ``notes`` say so
        (:meth:`kustannukset.stats.loader.Statistics.values_2025`); the notes are also kept by
        municipality for :meth:`division_notes`."""
        codes = tuple(codes)
        # the purpose only words an error, and an error is not remembered
        key = ("luvut 2025", measure, year, codes)
        made = self.remember(
            key, lambda: self.statistics.values_2025(measure, year, codes, purpose=purpose)
        )
        for code, note in zip(made.merged, made.notes, strict=True):
            self._division_notes.setdefault(code, {})[note] = None
        return DivisionValues(dict(made.values), dict(made.merged), made.notes)

    def division_notes(self, codes) -> list[str]:
        """What every merged figure read so far for these municipalities is (one Finnish sentence
        each, in the order first read): 'Työvoima … 2021: Mäntyharju (507) = Mäntyharju 2 202 +
        Pertunmaa (588) 625 = 2 827 (kuntajako 2025: …)'."""
        notes: dict[str, None] = {}
        for code in codes:
            notes.update(self._division_notes.get(code, {}))
        return list(notes)


def load_context(data_dir: Path = DATA_DIR) -> Context:
    data_dir = Path(data_dir)
    return Context(
        data_dir=data_dir,
        statistics=load_statistics(data_dir),
        boundaries=load_boundaries(data_dir),
        rules=ParameterFile(data_dir / RULES_FILE),
        funding=ParameterFile(data_dir / FUNDING_FILE),
        costs=ParameterFile(data_dir / COSTS_FILE) if present(data_dir / COSTS_FILE) else None,
    )


def default_pool_spec(context: Context) -> PoolSpec:
    """The default pool basis of every 2025 comparison (the cost model, by
    ``potin_peruste.oletus``): what an area is evaluated on when its scenario names no pool."""
    return context.pool_view()


def second_pool_spec(context: Context) -> PoolSpec:
    """The second view of the 2025 comparisons (the members' state funding, by
    ``potin_peruste.toinen``)."""
    return context.pool_view(context.spec("potin_peruste").second)
