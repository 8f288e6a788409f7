"""`python -m kustannukset` runs the command line."""

from kustannukset.cli import main

raise SystemExit(main())
