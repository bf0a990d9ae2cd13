# Sociale basis — the two commands of the README, and a few helpers.
# Every target installs what it needs (Debian packages, virtualenv) idempotently.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export FLASK_APP := app:create_app

RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_PACKAGES := $(RUN_PACKAGES) chromium

.PHONY: run test install install-test system-run system-test translations lint clean bench

run: install system-run translations
	@bash scripts/run.sh

test: install-test system-test translations lint
	$(BIN)/pytest -q -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The queue benchmark on PostgreSQL (needs DATABASE_URL; see benchmarks/queue.py).
bench: install-test
	$(BIN)/python -m benchmarks.queue

translations: install
	@bash scripts/translations.sh compile

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

system-run:
	@bash scripts/debian-packages.sh $(RUN_PACKAGES)

system-test:
	@bash scripts/debian-packages.sh $(TEST_PACKAGES)

clean:
	rm -rf $(VENV) instance
