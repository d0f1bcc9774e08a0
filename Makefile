# Taza: `make run` starts the platform, `make test` runs the whole suite. See README.md.
# Both create the virtualenv on first use. DATABASE_URL and REDIS_URL switch from the embedded
# default (SQLite, filesystem broker) to PostgreSQL and Redis.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/ledger -x"`. The suite runs in
# TEST_WORKERS pytest-xdist workers (0: serially, in one process); each has its own test database,
# Redis database (REDIS_URL's number plus the worker's: tests/workers.py), ports and tmp_path.
PYTEST_ARGS ?=
TEST_WORKERS ?= 2

.PHONY: install run test lint format

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.version_info[:2] == (3, 11) or print("warning: Taza is built and tested on Python 3.11, this is", sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	PY=$(PY) bash platform/run-local.sh

test: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r . -c pyproject.toml

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
