"""Errors in a user's input: one Finnish line that names the file, the row and the column, or the
command-line option ("valinta --kunta"; an option is not a column: a ``column`` written as an
option, "--kunta", is named as one). Where a file has no columns (YAML), or the fault is found before
the text is read as a table (a byte no encoding decodes, a control character), the place on the row
is its character ("rivi 33, merkki 24").

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
        option: str | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        if option is None and column is not None and str(column).startswith("--"):
            option, column = str(column), None
        self.column = column
        self.option = option
        self.position = position  # the character on the row, from 1 (see the module docstring)

    def __str__(self) -> str:
        place = []
        if self.file is not None:
            place.append(f"tiedosto {display_path(Path(self.file))}")
        if self.row is not None:
            place.append(f"rivi {self.row}")
        if self.position is not None:
            place.append(f"merkki {self.position}")
        if self.column is not None:
            place.append(f"sarake '{self.column}'")
        if self.option is not None:
            place.append(f"valinta {self.option}")
        where = ", ".join(place)
        return f"{where}: {self.message}" if where else self.message
