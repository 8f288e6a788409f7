"""The one guarded path by which every input file is read.

A data file must be a regular file: a folder, a device (``/dev/zero``), a pipe or a link that leads
nowhere or round in a loop in its place is refused with one Finnish line naming it, before anything
is read (:func:`check_file`; :func:`present` for an optional file, :func:`data_files` for the files
of a folder). A file is read whole only when it is small enough; its encoding is UTF-8 (with or
without BOM) or Windows-1252, as Finnish Excel writes it; control characters are refused; YAML may
not use anchors or aliases (a "billion laughs" is refused at its first anchor) and may nest only so
deep. Every failure is one Finnish :class:`InputError` naming the file, the row and the column.

Numbers are checked as text before they are converted: a figure such as ``1e999999999`` would
otherwise make an exact conversion run for ever. Every number of a YAML file is checked as it is
read (:class:`GuardedLoader`): ``.inf``, ``.nan``, ``1e309`` (which YAML reads as text), ``inf`` and
magnitudes of 10^18 or more are refused wherever they stand, whatever the key.
"""

from __future__ import annotations

import copy
import errno
import os
import re
import stat
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
# No figure of the project (a cost in euros, a price, a count of people) is anywhere near a
# thousand billion; an amount at or over this is a typing error, refused with its place.
PLAUSIBLE_LIMIT = 10**12
# Plain decimals with an optional short exponent; digits only, no 'nan', 'inf' or '1e309'.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Windows-1252 bytes 0x80-0x9f decode to these; C1 controls instead mean the guess was wrong.
_C1 = re.compile(r"[\x80-\x9f]")


def file_problem(path: Path | str, *, kind: str = "tiedosto") -> str | None:
    """Why ``path`` is not a regular file that can be read, as a Finnish sentence about ``kind``
    ("tiedosto on kansio, ei tiedosto"), or None when it is one. A link is followed: a link to a
    regular file is a regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"{kind} on linkki, jonka kohdetta ei ole"
        return f"{kind}a ei löydy"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{kind} on linkki, joka kiertää kehää (linkki osoittaa lopulta itseensä)"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return f"{kind}a ei voi lukea (ei lukuoikeutta)"
        if exc.errno == errno.ENOTDIR:
            return f"{kind}a ei löydy (polun osa on tiedosto, ei kansio)"
        return f"{kind}a ei voi lukea ({exc.strerror})"
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return f"{kind} on kansio, ei tiedosto"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return f"{kind} on laite, ei tiedosto"
    if stat.S_ISFIFO(mode):
        return f"{kind} on putki (FIFO), ei tiedosto"
    return f"{kind} ei ole tavallinen tiedosto"


def check_file(path: Path | str, *, kind: str = "tiedosto") -> Path:
    """``path`` as a Path when it is a regular file; else one Finnish error naming it."""
    path = Path(path)
    problem = file_problem(path, kind=kind)
    if problem is not None:
        raise InputError(problem, file=path)
    return path


def present(path: Path | str, *, kind: str = "tiedosto") -> bool:
    """Whether an optional file is there: False when nothing at all is at ``path``, True for a
    regular file, and an error for anything else in its place (a folder, a device, a broken or
    looping link), which must not pass for a missing file."""
    if not os.path.lexists(path):
        return False
    check_file(path, kind=kind)
    return True


def data_files(folder: Path | str, pattern: str, *, kind: str = "tiedosto") -> list[Path]:
    """The files of ``folder`` matching ``pattern``, sorted; hidden names (a refresh's staged
    ``.kesken-*`` copies) are not data. Anything but a regular file under a data file's name is an
    error naming it."""
    found = sorted(p for p in Path(folder).glob(pattern) if not p.name.startswith("."))
    for path in found:
        check_file(path, kind=kind)
    return found


def read_bytes(path: Path | str, *, kind: str = "tiedosto", max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, when there are at most ``max_bytes`` of them."""
    path = check_file(path, kind=kind)
    too_large = f"{kind} on liian suuri (yli {max_bytes // 1024} kt)"
    try:
        size = path.stat().st_size
        if size > max_bytes:
            too_large = (
                f"{kind} on liian suuri ({size // 1024} kt; enintään {max_bytes // 1024} kt)"
            )
            raise InputError(too_large, file=path)
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1)  # a file that grew meanwhile is still read only so far
    except PermissionError:
        raise InputError(f"{kind}a ei voi lukea (ei lukuoikeutta)", file=path) from None
    except OSError as exc:
        raise InputError(f"{kind}a ei voi lukea ({exc.strerror})", file=path) from None
    if len(raw) > max_bytes:
        raise InputError(too_large, file=path)
    return raw


def read_text(path: Path | str, *, kind: str = "tiedosto", max_bytes: int = MAX_BYTES) -> str:
    """A text file's contents, decoded; its kind, size, encoding and control characters checked."""
    return decode(read_bytes(path, kind=kind, max_bytes=max_bytes), path)


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
                position=column,
            ) from None
    bad = _CONTROL.search(text) or _C1.search(text)
    if bad:
        row, column = _place(text[: bad.start()])
        raise InputError(
            f"tiedostossa on ohjausmerkki (koodi {ord(bad.group()):#04x}), jota ei sallita; "
            "tallenna tiedosto tekstinä uudelleen",
            file=path,
            row=row,
            position=column,
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
                position=event.start_mark.column + 1,
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise InputError(
                f"YAML-rakenne on liian syvä (yli {MAX_YAML_DEPTH} sisäkkäistä tasoa)",
                file=self.name,
                row=event.start_mark.line + 1,
                position=event.start_mark.column + 1,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# A plain YAML scalar that YAML 1.1 reads as text but a reader takes for a number: 'inf', 'nan',
# '1e309' (an exponent without a decimal point).
_TEXT_NUMBER = re.compile(
    r"^[-+]?(\.?(inf|infinity|nan)|(\d[\d_]*(\.\d*)?|\.\d+)[eE][-+]?\d+)$", re.IGNORECASE
)


def _bad_number(loader: GuardedLoader, node: yaml.ScalarNode, why: str) -> InputError:
    shown = node.value if len(node.value) <= MAX_NUMBER_CHARS else node.value[:20] + "…"
    return InputError(
        f"'{shown}' ei kelpaa luvuksi: {why}",
        file=loader.name,
        row=node.start_mark.line + 1,
        position=node.start_mark.column + 1,
    )


def _guarded_int(loader: GuardedLoader, node: yaml.ScalarNode) -> int:
    digits = node.value.replace("_", "").lstrip("+-")
    if len(digits) > MAX_NUMBER_CHARS:
        raise _bad_number(loader, node, "luku on epäuskottavan suuri")
    value = yaml.SafeLoader.construct_yaml_int(loader, node)
    if abs(value) >= 10**18:
        raise _bad_number(loader, node, "luku on epäuskottavan suuri")
    return value


def _guarded_float(loader: GuardedLoader, node: yaml.ScalarNode) -> float:
    if len(node.value) > MAX_NUMBER_CHARS:
        raise _bad_number(loader, node, "luku on epäuskottavan suuri")
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    if value != value or value in (float("inf"), float("-inf")):
        raise _bad_number(loader, node, "ääretön tai epäluku (nan) ei ole luku")
    if abs(value) >= 1e18:
        raise _bad_number(loader, node, "luku on epäuskottavan suuri")
    return value


def _guarded_text(loader: GuardedLoader, node: yaml.ScalarNode) -> str:
    value = yaml.SafeLoader.construct_yaml_str(loader, node)
    if node.style is None and _TEXT_NUMBER.match(value):
        if not any(c.isdigit() for c in value):
            raise _bad_number(loader, node, "ääretön tai epäluku (nan) ei ole luku")
        try:
            exact_number(value.replace("_", ""))
        except InputError:
            raise _bad_number(loader, node, "luku on epäuskottavan suuri tai pieni") from None
    return value


GuardedLoader.add_constructor("tag:yaml.org,2002:int", _guarded_int)
GuardedLoader.add_constructor("tag:yaml.org,2002:float", _guarded_float)
GuardedLoader.add_constructor("tag:yaml.org,2002:str", _guarded_text)


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
            position=mark.column + 1 if mark else None,
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
    if len(text) <= 18 and text.isascii() and text.isdigit():
        # a whole number below 10**18 (most figures): what the checks below accept, made at once
        return Fraction(int(text))
    shown = text if len(text) <= MAX_NUMBER_CHARS else text[:MAX_NUMBER_CHARS] + "…"
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.match(text):
        raise InputError(f"'{shown}' ei ole luku", file=file, row=row, column=column)
    value = Decimal(text)
    if value != 0 and not (-30 <= value.adjusted() <= 17):
        raise InputError(
            f"luku '{shown}' on epäuskottavan suuri tai pieni", file=file, row=row, column=column
        )
    return Fraction(value)
