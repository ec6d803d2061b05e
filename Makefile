# Meedoen — the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The suite runs on every core (pytest-xdist), a test file per worker at a time: the Redis session tests
# share one Redis database, so they stay in one worker. PARALLEL= runs it in one process.
PARALLEL ?= -n auto --dist loadfile

.PHONY: install demo demo-reset serve test test-postgres lint typecheck bench bench-tools messages compilemessages clean

## install: Python packages from the lock file into .venv, front-end packages from package-lock.json (idempotent)
install: $(VENV)/.installed node_modules/.installed

# --no-compile: byte-compiling every installed module (scipy, OR-Tools, Faker's locales) took minutes on a
# slow machine; Python compiles what it imports, on first import.
$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Meedoen needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## demo: prepare var/meedoen.sqlite3 with the demo municipalities and serve on http://127.0.0.1:8000
demo: install
	$(BIN)/meedoen demo

## demo-reset: throw the demo database away and build it again
demo-reset: install
	rm -f var/meedoen.sqlite3
	$(BIN)/meedoen demo --no-serve

## test: lint, types, migrations check and the whole suite (SQLite; with CI=true also PostgreSQL and Chromium)
test: install
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	$(BIN)/mypy src
	PYTHONPATH=src $(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=meedoen.settings.test $(BIN)/python -m django makemigrations --check --dry-run --verbosity 0
	$(BIN)/pytest -q $(PARALLEL)
	@if [ "$$CI" = "true" ] || [ -n "$$MEEDOEN_TEST_POSTGRES" ]; then $(MAKE) --no-print-directory test-postgres; fi

## test-postgres: the suite against the PostgreSQL server on 127.0.0.1:5432 (a throwaway database per run)
test-postgres: install
	MEEDOEN_TEST_DATABASE=postgres $(BIN)/pytest -q $(PARALLEL) -p no:randomly -m "not browser"

## lint: ruff, and the import contracts of pyproject.toml (the layers of docs/architecture.md)
lint: install
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

typecheck: install
	$(BIN)/mypy src

## bench: benchmarks; figures go to bench/results/latest.json
## (the HTTP benchmark needs PostgreSQL on 127.0.0.1:5432 and Debian's wrk; it seeds the region demo once, ~5 min)
bench: install bench-tools
	$(BIN)/python bench/run.py
	$(BIN)/python bench/run.py --postgres
	$(BIN)/python bench/http_bench.py --size region
	$(BIN)/python bench/budget_bench.py
	$(BIN)/python bench/matching_bench.py
	$(BIN)/python bench/invoice_import_bench.py
	$(BIN)/python bench/programme_bench.py

## messages: refresh the translation catalogue (needs gettext) and compile it
messages: install
	cd src/meedoen && ../../$(BIN)/django-admin makemessages -l en --no-obsolete --no-location --settings=meedoen.settings.test
	cd src/meedoen && ../../$(BIN)/django-admin compilemessages --settings=meedoen.settings.test

## bench-tools: Debian's wrk for the HTTP benchmark (installed with apt-get when missing and we are root)
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's wrk for the HTTP benchmark"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "The HTTP benchmark needs Debian's wrk: sudo apt-get install wrk" >&2; exit 1; fi; }

clean:
	rm -rf $(VENV) node_modules staticfiles
