# DAKS — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-unit test-browser test-postgres lint bench bench-engine messages install clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c requirements.lock -e ".[test,semantic]"
	touch $(STAMP)

install: $(STAMP)

## make run: set up everything and serve http://127.0.0.1:$(PORT) on SQLite with the demo data
run: $(STAMP)
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py createcachetable
	DEBUG=true $(PY) manage.py collectstatic --noinput -v 0
	DEBUG=true $(PY) manage.py load_demography
	DEBUG=true $(PY) manage.py seed_demo
	@echo "DAKS läuft auf http://127.0.0.1:$(PORT)/ (Beenden mit Strg+C)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: ruff, pytest on SQLite and the Chromium browser suite (skipped without /usr/bin/chromium);
## under CI=true Chromium and axe-core are installed when missing and pytest also runs on PostgreSQL
test: $(STAMP)
	CI=$(CI) bash scripts/test.sh all

## make test-unit / test-browser / test-postgres: one part of `make test` (pytest arguments via ARGS="-k …")
test-unit: $(STAMP)
	CI=$(CI) bash scripts/test.sh unit $(ARGS)

test-browser: $(STAMP)
	CI=$(CI) bash scripts/test.sh browser $(ARGS)

test-postgres: $(STAMP)
	CI=$(CI) bash scripts/test.sh postgres $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

## make bench: every benchmark in benchmarks/, results in benchmarks/results/
bench: $(STAMP)
	$(PIP) install -q -c requirements.lock -e ".[test,bench]"
	mkdir -p benchmarks/results
	bash scripts/bench.sh

## make bench-engine: projection of all regions, naive loop, import of the largest age table → engine.json
bench-engine: $(STAMP)
	mkdir -p benchmarks/results
	DAKS_TESTING=true $(PY) benchmarks/bench_engine.py

## make messages: refresh and compile the translation catalogues (needs GNU gettext)
messages: $(STAMP)
	for app in core accounts municipalities pages demography strategy profile meetings comments exports plans workshops reviews toolbox network events news exchange api opendata portability; do \
	  (cd daks/$$app && DEBUG=true ../../$(PY) ../../manage.py makemessages -l de --no-obsolete); done
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles var/test-*
