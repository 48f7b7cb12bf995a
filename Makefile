# The two set-up commands of the README, and the pieces they are made of.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/antwoord
# A recipe that pipes its output (the suites' labels below) fails when the command before the pipe fails.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.PHONY: run test install lint types test-sqlite test-postgres import-public-data bench calibrate openapi

$(BIN)/antwoord: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/antwoord

# NL Design System CSS and htmx, served as static files; axe-core for the accessibility tests.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

# Dutch for the strings Django's own Dutch catalogue lacks, compiled from the committed .po file.
MESSAGES := src/antwoord/locale/nl/LC_MESSAGES/django
$(MESSAGES).mo: $(MESSAGES).po $(BIN)/antwoord
	$(BIN)/pybabel -q compile -i $< -o $@

install: $(BIN)/antwoord node_modules/.installed $(MESSAGES).mo

run: install
	$(BIN)/antwoord serve --port 8000 --smtp-port 2525

# The two database suites and the checks run side by side, two at a time, the longest first. Each suite keeps
# its own data directory (file cache, search index, sent mail), so neither clears or reads the other's. All four
# run to the end, so one run reports every failure. Their lines appear as they come, each labelled with its part.
test: install
	$(MAKE) --no-print-directory --jobs=2 --keep-going test-postgres test-sqlite lint types

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/antwoord makemigrations --check --dry-run

types: install
	$(BIN)/mypy src tests bench

test-sqlite: install
	scripts/ensure-redis
	PYTHONUNBUFFERED=1 ANTWOORD_DATA_DIR=var/test-sqlite $(BIN)/pytest -q -p no:cacheprovider 2>&1 | sed -u 's/^/[sqlite] /'

test-postgres: install
	scripts/ensure-postgres
	scripts/ensure-redis
	PYTHONUNBUFFERED=1 ANTWOORD_DATA_DIR=var/test-postgres DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider --create-db 2>&1 \
		| sed -u 's/^/[postgres] /'

import-public-data: install
	$(BIN)/antwoord migrate
	$(BIN)/antwoord import-public-data ../shared/data

# The answer engine's benchmark (not a test): real corpus and 300,000 documents, against PostgreSQL FTS and
# SQLite FTS5. Prints a table and writes var/bench/engine-results.json. The benchmark process runs on one
# core (taskset, one BLAS thread); the PostgreSQL server is its own process.
ONE_CORE := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(shell command -v taskset >/dev/null && echo taskset -c 0)
bench: install
	scripts/ensure-postgres
	PYTHONPATH=src $(ONE_CORE) $(BIN)/python -m bench.engine

# Refit the confidence model and thresholds on the development questions only, then benchmark.
calibrate: install
	scripts/ensure-postgres
	PYTHONPATH=src $(ONE_CORE) $(BIN)/python -m bench.engine --calibrate

# Regenerate the committed OpenAPI document after an API change (a test compares it with the code).
openapi: install
	$(BIN)/antwoord spectacular --validate --fail-on-warn --file openapi.yaml
