# Two commands do all set-up on a machine with Python 3.11+:
#   make run   - install, migrate, create an admin, start web + worker + beat (Ctrl-C stops all)
#   make test  - install and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DSAR_PORT ?= 8000
DSAR_PUBLIC_URL ?= http://127.0.0.1:$(DSAR_PORT)
export DSAR_PORT DSAR_PUBLIC_URL

.PHONY: install run test lint bench

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py setup_local --base-url http://127.0.0.1:$(DSAR_PORT)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)
