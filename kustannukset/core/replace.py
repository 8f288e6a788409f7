"""Replacing a folder whole, a lock per target, and cleaning up only after dead runs.

A new version is written into a temporary folder beside its target (``.kesken-<pid>-<name>``) and
swapped in by one rename: on Linux the two folders are exchanged atomically (``renameat2`` with
``RENAME_EXCHANGE``), elsewhere the old version is first renamed aside (``.vanha-<pid>-<name>``) and
put back by the next run if the process died between the two renames. The old version is removed
only after the swap. A lock file (``.lukko``) holds the process id of the run that writes into a
folder; a second run refuses with a Finnish message, and a lock whose process is dead is taken over.

For tests, :func:`checkpoint` pauses at a named point when ``KUSTANNUKSET_PYSAHDY`` names it, so a
test can kill the process exactly there.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from kustannukset.core.errors import InputError

TEMPORARY = ".kesken-"
OLD = ".vanha-"
LOCK_NAME = ".lukko"
PAUSE_ENV = "KUSTANNUKSET_PYSAHDY"  # the name of the point to pause at
PAUSE_MARKER_ENV = "KUSTANNUKSET_PYSAHDY_MERKKI"  # a file written when the pause begins
PAUSE_SECONDS_ENV = "KUSTANNUKSET_PYSAHDY_SEK"  # how long to pause (default a minute)
PAUSE_RESUME_ENV = "KUSTANNUKSET_PYSAHDY_JATKA"  # a file whose appearance ends the pause
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def checkpoint(name: str) -> None:
    """A test hook: when ``KUSTANNUKSET_PYSAHDY`` is ``name``, note the moment and wait to be
    killed (a minute, or ``KUSTANNUKSET_PYSAHDY_SEK`` seconds, or until the file named by
    ``KUSTANNUKSET_PYSAHDY_JATKA`` appears)."""
    if os.environ.get(PAUSE_ENV) != name:
        return
    marker = os.environ.get(PAUSE_MARKER_ENV)
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    resume = os.environ.get(PAUSE_RESUME_ENV)
    end = time.monotonic() + float(os.environ.get(PAUSE_SECONDS_ENV, "60"))
    while time.monotonic() < end and not (resume and os.path.exists(resume)):
        time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def temporary_name(name: str) -> str:
    return f"{TEMPORARY}{os.getpid()}-{name}"


def _owner(entry: Path) -> int | None:
    """The process id in a ``.kesken-<pid>-...`` or ``.vanha-<pid>-...`` name."""
    for prefix in (TEMPORARY, OLD):
        if entry.name.startswith(prefix):
            head = entry.name[len(prefix) :].split("-", 1)[0]
            return int(head) if head.isdigit() else None
    return None


def clean_dead(folder: Path) -> None:
    """Remove what dead runs left in ``folder`` (recursively): their temporary folders, and their
    set-aside old versions, which are put back first if the new version never arrived."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for entry in sorted(folder.rglob(".*-*")):
        pid = _owner(entry)
        if pid is None or pid_alive(pid) or not entry.exists():
            continue
        if entry.name.startswith(OLD):
            target = entry.parent / entry.name[len(OLD) :].split("-", 1)[1]
            if not target.exists():
                os.rename(entry, target)  # the swap was cut between its two renames: roll back
                continue
        _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically where the system can (Linux); False where it cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        rename = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Put the finished folder ``new`` in place of ``target``, keeping the old version until the
    new one is in place; the old version is then removed."""
    new, target = Path(new), Path(target)
    if not target.exists():
        checkpoint("ennen-vaihtoa")
        os.rename(new, target)
        return
    if _exchange(new, target):
        checkpoint("vaihdon-jalkeen")
        _remove(new)  # now holds the old version
        return
    aside = target.parent / f"{OLD}{os.getpid()}-{target.name}"
    os.rename(target, aside)
    checkpoint("ennen-vaihtoa")
    os.rename(new, target)
    checkpoint("vaihdon-jalkeen")
    _remove(aside)


@contextlib.contextmanager
def locked(folder: Path, what: str, *, wait: float = 0.0) -> Iterator[None]:
    """Hold ``folder/.lukko`` for the duration; another live run's lock is waited for up to
    ``wait`` seconds and then refused with a Finnish line; a dead run's lock is taken over."""
    folder = Path(folder)
    lock = folder / LOCK_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:
                text = lock.read_text(encoding="utf-8").strip()
            except OSError:
                text = ""
            pid = int(text) if text.isdigit() else None
            if pid is not None and pid_alive(pid):
                if time.monotonic() < deadline:
                    time.sleep(0.2)
                    continue
                raise InputError(
                    f"{what} on jo käynnissä samaan kansioon (prosessi {pid}); odota sen "
                    "päättymistä ja yritä uudelleen",
                    file=folder,
                ) from None
            if pid is None and time.monotonic() < deadline + 1:
                time.sleep(0.1)  # being written just now
                continue
            _remove(lock)  # left by a run that no longer exists
            continue
        except PermissionError:
            raise InputError(
                "kansioon ei voi kirjoittaa (ei kirjoitusoikeutta)", file=folder
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        _remove(lock)


def writable_folder(folder: Path, what: str) -> Path:
    """Create ``folder`` if needed; a file in its place or a missing permission is a Finnish line."""
    folder = Path(folder)
    for parent in (folder, *folder.parents):
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"{what}: '{parent}' on tiedosto, ei kansio", file=folder)
            break
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise InputError(
            f"{what}: kansiota ei voi luoda (ei kirjoitusoikeutta)", file=folder
        ) from None
    except OSError as exc:
        raise InputError(f"{what}: kansiota ei voi luoda ({exc.strerror})", file=folder) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{what}: kansioon ei voi kirjoittaa (ei kirjoitusoikeutta)", file=folder)
    return folder


JOURNAL = ".vaihto.json"


def write_journal(folder: Path, moves: list[tuple[Path, Path]]) -> None:
    """Record the renames (staged file -> target) that replace several files together; the
    journal itself appears in one rename, so it is either whole or absent."""
    folder = Path(folder)
    record = {"pid": os.getpid(), "siirrot": [[str(a), str(b)] for a, b in moves]}
    tmp = folder / temporary_name(JOURNAL)
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(record, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / JOURNAL)


def complete_journal(folder: Path, *, own: bool = False) -> bool:
    """Finish the renames of a journal left in ``folder`` (by this run with ``own``, else only a
    dead run's); True if there was one. Every rename is idempotent, so a repeat is harmless."""
    journal = Path(folder) / JOURNAL
    try:
        record = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        raise InputError(
            "keskeneräisen päivityksen kirjanpito on vioittunut", file=journal
        ) from None
    if not own and pid_alive(int(record.get("pid", 0))):
        return False  # a live run is finishing it right now
    for staged, target in record["siirrot"]:
        if os.path.exists(staged):
            os.replace(staged, target)
        checkpoint("siirron-jalkeen")
    journal.unlink(missing_ok=True)
    return True
