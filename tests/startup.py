"""Loaded before pytest's other plugins (``-p tests.startup``): nbval's plugin imports nbformat at
start-up, and nbformat's schema library would build the optional IRI grammar (seconds, never used)
in every test process; the report process goes without it the same way."""

from kustannukset.render.startup import skip_slow_optional_imports

skip_slow_optional_imports()
