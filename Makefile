# Two commands do all set-up on a machine with Python 3.11+:
#   make run   - install, migrate, create an admin, start web + worker + beat (Ctrl-C stops all)
#   make test  - install and run the whole test suite
# What installs comes from the lock files in requirements/ (exact versions and hashes);
# `make lock` regenerates them from pyproject.toml (see README.md, "Installing").
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_LOCK := requirements/runtime.txt
DEV_LOCK := requirements/dev.txt
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip --disable-pip-version-check
# Universal locks (markers for other platforms and Python versions), hashed. uv writes no
# index or find-links options unless told to: those belong to a machine, not to the project.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock"
DSAR_PORT ?= 8000
DSAR_PUBLIC_URL ?= http://127.0.0.1:$(DSAR_PORT)
export DSAR_PORT DSAR_PUBLIC_URL

.PHONY: install install-runtime run test lint bench lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# The project goes in with --no-deps: every dependency comes from the lock.
$(RUNTIME_STAMP): $(RUNTIME_LOCK) pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r $(RUNTIME_LOCK)
	$(PIP) install --quiet --no-deps -e .
	@touch $@

# The dev lock holds every runtime pin too (it is compiled against the runtime lock),
# so installing it also satisfies the runtime stamp.
$(DEV_STAMP): $(DEV_LOCK) $(RUNTIME_LOCK) pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r $(DEV_LOCK)
	$(PIP) install --quiet --no-deps -e .
	@touch $(RUNTIME_STAMP) $@

install-runtime: $(RUNTIME_STAMP)

install: $(DEV_STAMP)

run: install-runtime
	$(BIN)/python manage.py setup_local --base-url http://127.0.0.1:$(DSAR_PORT)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# bench/ imports only the service and its runtime dependencies.
bench: install-runtime
	$(BIN)/python -m bench $(BENCH_ARGS)

# Versions already locked are kept, so upgrades are on purpose: LOCK_ARGS="--upgrade-package
# django" (one package) or LOCK_ARGS=--upgrade (all). holidays and phonenumbers move only when
# their exact pin in pyproject.toml does.
lock: install
	$(UV_COMPILE) $(LOCK_ARGS) --output-file $(RUNTIME_LOCK)
	$(UV_COMPILE) $(LOCK_ARGS) --extra dev --constraint $(RUNTIME_LOCK) --output-file $(DEV_LOCK)
