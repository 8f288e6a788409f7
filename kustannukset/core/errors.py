"""Errors in a user's input: one Finnish line that names the file, the row and the column.

The command line prints these without a traceback and exits non-zero; everything else is a bug and
keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

from kustannukset.core.paths import display_path


class InputError(Exception):
    """Virhe käyttäjän syötteessä (datatiedostossa, parametreissa tai komentorivillä)."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        place = []
        if self.file is not None:
            place.append(f"tiedosto {display_path(Path(self.file))}")
        if self.row is not None:
            place.append(f"rivi {self.row}")
        if self.column is not None:
            place.append(f"sarake '{self.column}'")
        where = ", ".join(place)
        return f"{where}: {self.message}" if where else self.message
