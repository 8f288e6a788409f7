"""What a process that renders or checks notebooks does before the Jupyter stack is imported (light:
no import of the package's domains, so test and tool processes start quickly)."""

from __future__ import annotations

import sys


def skip_slow_optional_imports() -> None:
    """jsonschema (imported by nbformat, so by papermill and nbconvert) loads the optional package
    rfc3987_syntax when it is installed, and that builds a parser at import: about 1.5 s at every
    start of the converter. Notebook validation never checks IRI formats, so the report process goes
    without it. Call before the Jupyter stack is imported."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
