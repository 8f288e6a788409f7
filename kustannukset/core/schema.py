"""Input schemas declared once, and their errors in Finnish.

The structure of a YAML input (a scenario file, a dict-valued parameter) is a frozen pydantic
model that rejects unknown keys (:class:`Schema`); its domain declares it beside the code that uses
it. :func:`validate` checks the data read by the guarded YAML loader against it and turns the first
problem into one Finnish :class:`InputError` naming the file, the line (from the line marks the
loader keeps) and the key. A validator that finds a problem raises :class:`Problem`, optionally
pointing below its own place (``at``) and naming the lines of other places in its message
(``lines``).
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, PlainValidator, TypeAdapter, ValidationError

from kustannukset.core.errors import InputError
from kustannukset.core.guarded import check_number
from kustannukset.core.years import year_or_none, year_problem


class Schema(BaseModel):
    """A YAML mapping: frozen, unknown keys refused. Fields carry their Finnish key as alias."""

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    # Finnish phrases for messages: where an unknown key was found ("alueessa") and whence a
    # required key is missing ("alueelta").
    fi_in: ClassVar[str] = ""
    fi_from: ClassVar[str] = ""


class Problem(ValueError):
    """A validator's finding: a Finnish message, optionally a place below the validated value
    (``at``, keys and indices), a column, and the places whose lines the message names
    (``lines={"rivi": loc}`` fills ``{rivi}`` in the message)."""

    def __init__(
        self,
        message: str,
        *,
        at: tuple = (),
        column: str | None = None,
        lines: Mapping[str, tuple] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.at = tuple(at)
        self.column = column
        self.lines = dict(lines or {})


def suggest(word: object, choices: Iterable[object]) -> str:
    """ " (tarkoititko 'x'?)" for the choice closest to ``word``, or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (tarkoititko '{close[0]}'?)" if close else ""


# --- value types shared by the schemas ------------------------------------------------------------


def _exact(value: object) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        value = value.replace(" ", "").replace(",", ".")
    try:
        return check_number(value)
    except InputError as exc:
        raise Problem(exc.message) from None


def _fraction(text: str) -> Fraction:
    """'1/3' as an exact fraction; any other text as a number."""
    if "/" not in text:
        return _exact(text)
    numerator, _, denominator = text.partition("/")
    try:
        return Fraction(int(numerator.strip()), int(denominator.strip()))
    except (ValueError, ZeroDivisionError):
        raise Problem(f"'{text}' ei ole luku eikä murtoluku (esim. 1/3)") from None


def exact_between(
    low: int | None = None,
    high: int | None = None,
    *,
    above: int | None = None,
    fraction: bool = False,
):
    """An exact number (int, decimal or numeric text) within ``low``–``high`` (or > ``above``);
    with ``fraction``, also an exact fraction written as text (``1/3``)."""

    def check(value: object) -> Fraction:
        number = _fraction(value) if fraction and isinstance(value, str) else _exact(value)
        if above is not None and not number > above:
            raise Problem(f"pitää olla suurempi kuin {above}, ei {value}")
        if (low is not None and number < low) or (high is not None and number > high):
            if high is None:
                raise Problem(f"ei voi olla pienempi kuin {low}, ei {value}")
            raise Problem(f"pitää olla {low}–{high}, ei {value}")
        return number

    return Annotated[Fraction, PlainValidator(check)]


def _year(value: object) -> int:
    year = year_or_none(value)
    if year is None:
        raise Problem(year_problem(value))
    return year


def _text(value: object) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, Mapping | list):
        raise Problem(f"pitää olla teksti, ei '{value}'")
    text = str(value).strip()
    if not text:
        raise Problem("ei saa olla tyhjä")
    return text


Exact = Annotated[Fraction, PlainValidator(_exact)]
Year = Annotated[int, PlainValidator(_year)]
Text = Annotated[str, PlainValidator(_text)]


def choice(allowed: Iterable[str], what: str = "arvo"):
    """Text that is one of ``allowed`` (an unknown one is named, with the closest suggested)."""
    allowed = tuple(allowed)

    def check(value: object) -> str:
        text = str(value)
        if text not in allowed:
            raise Problem(
                f"tuntematon {what} '{text}'{suggest(text, allowed)}; sallitut: "
                f"{', '.join(allowed)}"
            )
        return text

    return Annotated[str, PlainValidator(check)]


# --- validation and its Finnish errors ------------------------------------------------------------


@functools.cache
def _adapter(schema: Any) -> TypeAdapter:
    return TypeAdapter(schema)


def validate(schema: Any, raw: Any, *, file: Path | str, line: int | None = None, context=None):
    """``raw`` (read by the guarded YAML loader) checked against ``schema`` (a :class:`Schema` or a
    type such as ``tuple[Model, ...]``); a mistake is one Finnish :class:`InputError`. ``line`` is
    the line of ``raw`` when it is a plain value; ``context`` reaches the validators."""
    try:
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            return schema.model_validate(raw, context=context)
        return _adapter(schema).validate_python(raw, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        error = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        raise _finnish(error, schema, raw, file=file, line=line) from None


def line_at(raw: Any, loc: Sequence, line: int | None = None) -> int | None:
    """The line of the place ``loc`` (keys and indices) in ``raw``: the line of its key or item,
    or of the nearest enclosing place that exists; a mapping or list's own first line."""
    row, consumed, node = _walk(raw, tuple(loc), line)
    return node.line if len(consumed) == len(loc) and hasattr(node, "line") else row


def _walk(raw: Any, loc: tuple, line: int | None) -> tuple[int | None, list, Any]:
    node, row, consumed = raw, getattr(raw, "line", None) or line, []
    for part in loc:
        if isinstance(node, Mapping) and part not in node:
            # pydantic names a key that is not text (a date, a number) by its text or repr
            part = next((key for key in node if str(part) in (str(key), repr(key))), part)
        if isinstance(node, Mapping) and _hashable(part) and part in node:
            row = getattr(node, "lines", {}).get(part, row)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            lines = getattr(node, "lines", None)
            row = lines[part] if lines else row
            node = node[part]
        else:
            break
        consumed.append(part)
    return row, consumed, node


def _hashable(part: object) -> bool:
    return isinstance(part, typing.Hashable)


def _finnish(error: dict, schema: Any, raw: Any, *, file, line: int | None) -> InputError:
    kind, loc, ctx = error["type"], tuple(error["loc"]), error.get("ctx") or {}
    problem = ctx.get("error") if isinstance(ctx.get("error"), Problem) else None
    if problem is not None:
        loc += problem.at
    row, consumed, node = _walk(raw, loc, line)
    whole = len(consumed) == len(loc)
    if whole and kind != "extra_forbidden" and hasattr(node, "line"):
        row = node.line  # a problem of a whole mapping or list: where it starts
    keys = [p for p in consumed if isinstance(p, str)]
    column = keys[-1] if keys else None
    rest = loc[len(consumed) :]
    if kind == "missing" and rest and isinstance(rest[0], str):
        column = rest[0]
    if problem is not None:
        message = problem.message
        if problem.lines:
            message = message.format(**{k: line_at(raw, v) for k, v in problem.lines.items()})
        column = problem.column or column
    else:
        message = _message(kind, error, ctx, schema, loc)
    return InputError(message, file=file, row=row, column=column)


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


_TYPES = {
    "int_type": "ei ole kokonaisluku",
    "int_parsing": "ei ole kokonaisluku",
    "int_from_float": "ei ole kokonaisluku",
    "float_type": "ei ole luku",
    "float_parsing": "ei ole luku",
    "bool_type": "pitää olla true tai false",
    "bool_parsing": "pitää olla true tai false",
    "string_type": "pitää olla teksti",
    "dict_type": "pitää antaa avain-arvo-rakenteena",
    "model_type": "pitää antaa avain-arvo-rakenteena",
    "model_attributes_type": "pitää antaa avain-arvo-rakenteena",
    "list_type": "pitää antaa luettelona",
    "tuple_type": "pitää antaa luettelona",
}


def _message(kind: str, error: dict, ctx: dict, schema: Any, loc: tuple) -> str:
    value = error.get("input")
    if kind == "extra_forbidden":
        model = _model_at(schema, loc[:-1])
        allowed = _keys(model)
        where = f" {model.fi_in}" if model is not None and model.fi_in else ""
        return (
            f"tuntematon kohta '{loc[-1]}'{where}{suggest(loc[-1], allowed)}; sallitut: "
            f"{', '.join(allowed)}"
        )
    if kind == "missing":
        model = _model_at(schema, loc[:-1])
        whence = f"{model.fi_from} " if model is not None and model.fi_from else ""
        return f"{whence}puuttuu '{loc[-1]}'"
    if kind in ("too_short", "string_too_short"):
        return "ei saa olla tyhjä"
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return (
            f"tuntematon arvo '{_shown(value)}'{suggest(value, allowed)}; sallitut: "
            f"{', '.join(allowed)}"
        )
    if kind in _TYPES:
        return f"'{_shown(value)}' {_TYPES[kind]}" if kind[:3] in ("int", "flo") else _TYPES[kind]
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", error["msg"]))
    return f"virheellinen arvo '{_shown(value)}'"


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in members if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = (models or members)[0]
        else:
            return tp


def _model_at(schema: Any, loc: tuple) -> type[Schema] | None:
    """The model that validates the place ``loc``, found through the type annotations."""
    tp = schema
    for part in loc:
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            fields = {f.alias or n: f for n, f in tp.model_fields.items()}
            if part not in fields:
                return None
            tp = fields[part].annotation
        elif origin in (dict, Mapping):
            tp = typing.get_args(tp)[1]
        elif origin in (list, tuple, Sequence):
            tp = typing.get_args(tp)[0]
        else:
            return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, Schema) else None


def _keys(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]
