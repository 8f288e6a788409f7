# kustannukset: `make report` renders every report, `make test` runs every test.
# Both create the project's own environment (.venv) first if it is missing or out of date.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.asennettu
PIP_FLAGS := --quiet --disable-pip-version-check

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

# Every test: unit, integration (reports rendered once, end to end) and the notebooks under nbval.
test: lint
	$(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env \
		--nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider

# The unit tests alone, for the edit-test loop (no kernel, no notebook).
test-fast: $(STAMP)
	$(PY) -m pytest tests/unit -q -p no:cacheprovider

bench: $(STAMP)
	$(PY) bench/raportit.py
	$(PY) bench/skenaariot.py
	$(PY) bench/selain.py
	$(PY) bench/aluejaot.py

clean:
	rm -rf $(VENV) reports .pytest_cache
