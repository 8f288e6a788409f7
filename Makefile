# kustannukset: `make report` renders every report, `make test` runs every test.
# Both create the project's own environment (.venv) first if it is missing or out of date.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.asennettu
PIP_FLAGS := --quiet --disable-pip-version-check

# Python keeps its compiled modules in __pycache__, and pytest its assertion-rewritten test modules
# and plugins, even where the shell says PYTHONDONTWRITEBYTECODE: without them every test process
# compiles hypothesis and each test module again (a second or more per process).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: setup report test test-fast lint format bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Tarvitaan Python 3.11 tai uudempi (nyt: " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) --upgrade pip
	$(PY) -m pip install $(PIP_FLAGS) -e '.[test]'
	@touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/kustannukset raportti

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every test: the unit tests (on every core), then the integration tests and the notebooks under
# nbval. The reports are rendered once (`kustannukset raportti`); the integration tests read them and
# nbval checks each report notebook from that same run (tests/nbval_reports.py), so no notebook is
# executed twice. The notebooks that are no report (statistics, explorer) nbval runs itself.
NBVAL := -p tests.nbval_reports --nbval-raporteista --nbval-current-env \
	--nbval-sanitize-with notebooks/nbval_sanitize.cfg

test: lint
	$(PY) -m pytest -p tests.startup tests/unit -n auto -p no:cacheprovider
	$(PY) -m pytest -p tests.startup tests/integration notebooks $(NBVAL) -p no:cacheprovider

# The unit tests alone, for the edit-test loop (no kernel, no notebook, no subprocess), with fewer
# property-test examples than `make test` runs.
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit -q -n auto -p no:nbval -p no:cacheprovider \
		--hypothesis-profile=nopea

bench: $(STAMP)
	$(PY) bench/raportit.py
	$(PY) bench/skenaariot.py
	$(PY) bench/selain.py
	$(PY) bench/aluejaot.py
	$(PY) bench/kuntakortit.py

clean:
	rm -rf $(VENV) reports .pytest_cache
