"""The one guarded path by which every input file is read.

A file is read whole only when it is small enough; its encoding is UTF-8 (with or without BOM) or
Windows-1252, as Finnish Excel writes it; control characters are refused; YAML may not use anchors
or aliases (a "billion laughs" is refused at its first anchor) and may nest only so deep. Every
failure is one Finnish :class:`InputError` naming the file, the row and the column.

Numbers are checked as text before they are converted: a figure such as ``1e999999999`` would
otherwise make an exact conversion run for ever.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from kustannukset.core.errors import InputError
from kustannukset.core.memo import Recent

MAX_BYTES = 50 * 1024 * 1024  # data files of the project are well under 5 MB
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 30
MAX_NUMBER_CHARS = 40
# Plain decimals with an optional short exponent; digits only, no 'nan', 'inf' or '1e309'.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Windows-1252 bytes 0x80-0x9f decode to these; C1 controls instead mean the guess was wrong.
_C1 = re.compile(r"[\x80-\x9f]")


def read_text(path: Path | str, *, kind: str = "tiedosto", max_bytes: int = MAX_BYTES) -> str:
    """A text file's contents, decoded; size, encoding and control characters checked."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{kind} on kansio, ei tiedosto", file=path)
    if not path.is_file():
        raise InputError(f"{kind}a ei löydy", file=path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{kind} on liian suuri ({size // 1024} kt; enintään {max_bytes // 1024} kt)",
                file=path,
            )
        raw = path.read_bytes()
    except PermissionError:
        raise InputError(f"{kind}a ei voi lukea (ei lukuoikeutta)", file=path) from None
    except OSError as exc:
        raise InputError(f"{kind}a ei voi lukea ({exc.strerror})", file=path) from None
    return decode(raw, path)


def decode(raw: bytes, path: Path | str) -> str:
    """UTF-8 (BOM optional) or else Windows-1252; control characters are an error with place."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            row, column = _place(raw[: exc.start].decode("latin-1"))
            raise InputError(
                "tiedoston merkistöä ei tunnistettu (odotettiin UTF-8 tai Windows-1252)",
                file=path,
                row=row,
                column=str(column),
            ) from None
    bad = _CONTROL.search(text) or _C1.search(text)
    if bad:
        row, column = _place(text[: bad.start()])
        raise InputError(
            f"tiedostossa on ohjausmerkki (koodi {ord(bad.group()):#04x}), jota ei sallita; "
            "tallenna tiedosto tekstinä uudelleen",
            file=path,
            row=row,
            column=f"merkki {column}",
        )
    return text


def _place(before: str) -> tuple[int, int]:
    """1-based row and column just after ``before``."""
    row = before.count("\n") + 1
    return row, len(before) - (before.rfind("\n") + 1) + 1


_YAML_PROBLEMS = {
    "found character that cannot start any token": "merkki, jolla ei voi alkaa mikään arvo",
    "mapping values are not allowed here": "kaksoispiste väärässä kohdassa (lainaa teksti)",
    "found undefined alias": "viittaus (*) ei ole sallittu",
    "could not find expected ':'": "kaksoispiste puuttuu",
    "expected <block end>, but found": "sisennys ei täsmää",
    "found unexpected end of stream": "tiedosto loppuu kesken (lainausmerkki tai sulku auki?)",
    "found unknown escape character": "tuntematon kenoviivamerkintä lainauksessa",
    "expected ',' or '}'": "aaltosulkeissa pilkku tai '}' puuttuu",
    "expected ',' or ']'": "hakasulkeissa pilkku tai ']' puuttuu",
    "found duplicate anchor": "ankkuri (&) ei ole sallittu",
    "while scanning a quoted scalar": "lainausmerkki jää auki",
    "found a tab character": "sarkainmerkki sisennyksessä (käytä välilyöntejä)",
}


def _finnish_yaml_problem(exc: yaml.YAMLError) -> str:
    text = f"{getattr(exc, 'context', '') or ''} {getattr(exc, 'problem', '') or ''}"
    for english, finnish in _YAML_PROBLEMS.items():
        if english in text:
            return finnish
    return "rakenne on virheellinen"


class GuardedLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases and nesting deeper than MAX_YAML_DEPTH."""

    _depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError(
                "YAML-ankkurit (&) ja -viittaukset (*) eivät ole sallittuja; kirjoita arvo auki",
                file=self.name,
                row=event.start_mark.line + 1,
                column=f"merkki {event.start_mark.column + 1}",
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise InputError(
                f"YAML-rakenne on liian syvä (yli {MAX_YAML_DEPTH} sisäkkäistä tasoa)",
                file=self.name,
                row=event.start_mark.line + 1,
                column=f"merkki {event.start_mark.column + 1}",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(path: Path | str, loader_class: type[GuardedLoader] = GuardedLoader, *, kind: str):
    """Parse a YAML file through ``loader_class`` (a :class:`GuardedLoader`)."""
    path = Path(path)
    text = read_text(path, kind=kind, max_bytes=MAX_YAML_BYTES)
    parsed = _PARSED.remember((loader_class, text), lambda: _parse_yaml(path, text, loader_class))
    # Each caller gets a copy of its own: the parsed data stays as the file says.
    return copy.deepcopy(parsed)


# Parsed YAML by (loader, text): the same text is not parsed twice in one process (a parameter file
# is read by many functions). Only successful parses are kept; a faulty file fails every time.
_PARSED: Recent[object] = Recent(64)


def _parse_yaml(path: Path, text: str, loader_class: type[GuardedLoader]):
    loader = loader_class(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(
            f"YAML-tiedosto ei ole kelvollinen: {_finnish_yaml_problem(exc)}",
            file=path,
            row=mark.line + 1 if mark else None,
            column=f"merkki {mark.column + 1}" if mark else None,
        ) from None
    except yaml.YAMLError:
        raise InputError("YAML-tiedosto ei ole kelvollinen", file=path) from None
    except ValueError:  # e.g. an integer of thousands of digits
        raise InputError("YAML-tiedostossa on arvo, jota ei voi lukea", file=path) from None
    except RecursionError:
        raise InputError("YAML-rakenne on liian syvä", file=path) from None
    finally:
        loader.dispose()


def check_number(value: object, *, file=None, row=None, column=None) -> Fraction:
    """A YAML or JSON number (int, float or numeric text) as an exact, finite Fraction."""
    if isinstance(value, bool) or value is None:
        raise InputError(f"'{value}' ei ole luku", file=file, row=row, column=column)
    if isinstance(value, int):
        if abs(value) >= 10**18:
            raise InputError(
                f"luku {str(value)[:20]}… on epäuskottavan suuri", file=file, row=row, column=column
            )
        return Fraction(value)
    return exact_number(str(value), file=file, row=row, column=column)


def exact_number(text: str, *, file=None, row=None, column=None) -> Fraction:
    """Plain decimal text (point as separator) as an exact Fraction; the text is checked first,
    so 'nan', 'inf', '1e309' and '1e999999999' are refused at once."""
    shown = text if len(text) <= MAX_NUMBER_CHARS else text[:MAX_NUMBER_CHARS] + "…"
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.match(text):
        raise InputError(f"'{shown}' ei ole luku", file=file, row=row, column=column)
    value = Decimal(text)
    if value != 0 and not (-30 <= value.adjusted() <= 17):
        raise InputError(
            f"luku '{shown}' on epäuskottavan suuri tai pieni", file=file, row=row, column=column
        )
    return Fraction(value)
