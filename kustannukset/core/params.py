"""Dated parameters, read from YAML files in ``data/parametrit/``, in the manner of OpenFisca.

A parameter is a mapping with the key ``arvot``; each value is keyed by the date from which it
holds::

    flat_rate_pct:
      kuvaus: Yleiskustannuslisä palvelun kuluihin
      yksikko: "%"
      arvot:
        2023-01-01: {arvo: 17, lahde: hintataulukko_2023}

``arvo: null`` ends a parameter. ``lahde`` is either a key of the file's ``lahteet`` mapping or the
source itself; ``tila`` (``julkaistu``, ``arvio``, ``esimerkki``) says whether the figure is
published or an estimate. Formulas ask ``parameter.at(date)`` and never hold a literal.

Everything else in a file (names, descriptions) is metadata, kept as read. Every value remembers its
line, so an error in a file names it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from annotated_types import MinLen
from pydantic import Field, PlainValidator, model_validator

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import PLAUSIBLE_LIMIT, GuardedLoader, exact_number, load_yaml
from kustannukset.core.schema import Problem, Schema, Text, Year, choice, validate

STATUSES = ("julkaistu", "lopullinen", "ennakko", "arvio", "esimerkki")


class LineDict(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    line: int = 0
    lines: dict[Any, int]


class _LineLoader(GuardedLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise InputError(
                f"avain '{key}' on kahdesti",
                file=loader.name,
                row=key_node.start_mark.line + 1,
                column=str(key),
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


class LineList(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    line: int = 0
    lines: list[int]


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path, *, kind: str = "tiedosto") -> LineDict:
    """Read a YAML file whose mappings and sequences remember their lines; a syntax error names
    the line. ``kind`` names the file in messages ("skenaariotiedosto")."""
    path = Path(path)
    data = load_yaml(path, _LineLoader, kind=kind)
    if not isinstance(data, LineDict):
        raise InputError(f"{kind}n pitää olla YAML-avain-arvo-rakenne", file=path)
    return data


@dataclass(frozen=True)
class Value:
    start: dt.date
    value: Any
    source: str
    status: str
    line: int
    extra: dict


@dataclass(frozen=True)
class Parameter:
    """One dated parameter, its values sorted by start date."""

    name: str
    description: str
    unit: str
    values: tuple[Value, ...]
    file: Path

    def at(self, when: dt.date) -> Value:
        """The value in force on ``when``; an error if none is (or the parameter had ended)."""
        current = None
        for value in self.values:
            if value.start <= when:
                current = value
        if current is None or current.value is None:
            known = ", ".join(v.start.isoformat() for v in self.values if v.value is not None)
            raise InputError(
                f"parametrilla '{self.name}' ei ole arvoa päivänä "
                f"{when.day}.{when.month}.{when.year} "
                f"(arvot alkaen: {known or 'ei yhtään'})",
                file=self.file,
                row=current.line if current else None,
            )
        return current

    def value_as(self, when: dt.date, schema: Any, *, context: dict | None = None) -> Any:
        """The value in force on ``when`` checked against ``schema`` (:mod:`core.schema`): a
        dict- or list-valued parameter read as its declared model."""
        value = self.at(when)
        return validate(schema, value.value, file=self.file, line=value.line, context=context)


# No parameter (a cost in euros, a percentage, a price) is anywhere near a thousand billion.
MAX_PARAMETER_VALUE = PLAUSIBLE_LIMIT
# Quoted text that a reader takes for a number ("1e17", "inf"): checked as a number is.
_NUMERIC_TEXT = re.compile(r"^[-+]?(\d|\.\d|inf|nan)", re.IGNORECASE)


def _check_value(value: Any, *, file: Path, row: int) -> None:
    """A numeric parameter value (also one written as quoted text) must be finite and of a
    plausible size."""
    if isinstance(value, bool):
        return
    if isinstance(value, str):
        text = value.strip()
        if not _NUMERIC_TEXT.match(text):
            return
        try:
            number = exact_number(text.replace("_", ""), file=file, row=row, column="arvo")
        except InputError:
            if any(c.isalpha() and c not in "eE" for c in text):
                return  # text that only starts like a number ("2 kuntaa"): not a number
            raise
        finite = True
    elif isinstance(value, int | float):
        number, finite = value, math.isfinite(value)
    else:
        return
    if not finite or abs(number) >= MAX_PARAMETER_VALUE:
        raise InputError(
            f"arvo {str(value)[:20]} on epäuskottava (sallittu itseisarvo alle 10^12)",
            file=file,
            row=row,
            column="arvo",
        )


# --- the schema of a parameter and its dated values ----------------------------------------------


def _start_date(value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise Problem(f"arvon avaimen pitää olla päivämäärä muodossa VVVV-KK-PP, ei '{value}'")
    return value


class ValueSpec(Schema):
    """``{arvo: 17, lahde: hintataulukko_2023, tila: julkaistu}`` and the metadata a value may
    carry; ``arvo: null`` ends the parameter."""

    fi_in: ClassVar[str] = "arvossa"
    fi_from: ClassVar[str] = "arvolta"
    value: Any = Field(alias="arvo")
    source: Text | None = Field(None, alias="lahde")
    status: choice(STATUSES, "tila") = Field("julkaistu", alias="tila")
    cost_year: Year | None = Field(None, alias="kustannusvuosi")
    confidence: Text | None = Field(None, alias="luotettavuus")
    note: Text | None = Field(None, alias="huom")
    earlier: dict | None = Field(None, alias="aiempi")  # the previous choice, for the record

    @model_validator(mode="after")
    def _sourced(self) -> ValueSpec:
        if self.value is not None and self.source is None:
            raise Problem("arvolta puuttuu lähde ('lahde')", column="lahde")
        return self


class ParameterSpec(Schema):
    """A dated parameter: ``{kuvaus:, yksikko:, arvot: {VVVV-KK-PP: {arvo:, lahde:}}}``."""

    fi_in: ClassVar[str] = "parametrissa"
    fi_from: ClassVar[str] = "parametrilta"
    description: Text = Field("", alias="kuvaus")
    unit: Text = Field("", alias="yksikko")
    values: Annotated[
        dict[Annotated[dt.date, PlainValidator(_start_date)], ValueSpec], MinLen(1)
    ] = Field(alias="arvot")


class ParameterFile:
    """A parameter file: its dated parameters by dotted name, its sources and its raw metadata."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.raw = read_yaml(self.path)
        sources = self.raw.get("lahteet", {})
        if not isinstance(sources, dict):
            raise InputError(
                "'lahteet' pitää olla avain-arvo-luettelo",
                file=self.path,
                row=self.raw.lines.get("lahteet"),
            )
        self.sources: dict[str, str] = {str(k): str(v) for k, v in sources.items()}
        self.parameters: dict[str, Parameter] = {}
        for name, node in self._walk(self.raw, ""):
            self.parameters[name] = self._parameter(name, node)

    def _walk(self, node: LineDict, prefix: str) -> Iterator[tuple[str, LineDict]]:
        for key, child in node.items():
            if key == "lahteet" and not prefix:
                continue
            if isinstance(child, LineDict):
                name = f"{prefix}{key}"
                if "arvot" in child:
                    yield name, child
                else:
                    yield from self._walk(child, name + ".")

    def _parameter(self, name: str, node: LineDict) -> Parameter:
        spec = validate(ParameterSpec, node, file=self.path)
        values = []
        for start, entry in spec.values.items():
            raw = node["arvot"][start]
            line = node["arvot"].lines[start]
            _check_value(entry.value, file=self.path, row=raw.lines.get("arvo", line))
            values.append(
                Value(
                    start=start,
                    value=entry.value,
                    source=self.sources.get(str(entry.source), str(entry.source or "")),
                    status=entry.status,
                    line=line,
                    extra={k: v for k, v in raw.items() if k not in ("arvo", "lahde", "tila")},
                )
            )
        values.sort(key=lambda v: v.start)
        return Parameter(
            name=name,
            description=spec.description,
            unit=spec.unit,
            values=tuple(values),
            file=self.path,
        )

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self.parameters), n=1, cutoff=0.75)
            if close:  # most likely a misspelt name: point at it
                raise InputError(
                    f"parametri '{name}' puuttuu; tiedostossa on '{close[0]}' – onko nimi "
                    f"kirjoitettu väärin?",
                    file=self.path,
                    row=self._line_of(close[0]),
                    column=close[0].rsplit(".", 1)[-1],
                ) from None
            raise InputError(f"parametri '{name}' puuttuu", file=self.path) from None

    def _line_of(self, dotted: str) -> int | None:
        """The line where a (dotted) parameter's name is written."""
        node: Any = self.raw
        line = None
        for part in dotted.split("."):
            if not isinstance(node, LineDict) or part not in node:
                return None
            line = node.lines.get(part)
            node = node[part]
        return line

    def node(self, dotted: str) -> LineDict:
        """The raw mapping at a dotted path (for metadata such as names and descriptions)."""
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, LineDict) or part not in node:
                raise InputError(f"kohta '{dotted}' puuttuu", file=self.path)
            node = node[part]
        return node
