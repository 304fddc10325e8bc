# fawang — the two commands a newcomer needs are `make run` and `make test`; `make check` is exactly what CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/fawang
PYTEST_ARGS ?=
# Python's own default: compiled modules are kept in __pycache__ (ignored by git). An environment that turns this
# off (PYTHONDONTWRITEBYTECODE) made every process of a test run compile fawang again, ~0.5 s of CPU each (the
# site, its worker, each command process), and pytest rewrite and compile every test module in each worker again
# (collection 7.6 s of CPU -> 5.0 s with the caches).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check lint typecheck migrations-check test-sqlite test-postgres summary bench system-deps runtime-deps setup db clean messages

# The virtualenv is rebuilt whenever the lock file changes.
$(BIN)/.installed: requirements/lock.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

setup: $(BIN)/.installed

# System packages the tests and PDFs need: headless Chromium for end-to-end tests, a CJK font.
system-deps:
	@bin/system-deps

# What the running site needs of them: the CJK font and Pango for the PDFs.
runtime-deps:
	@bin/system-deps run

# Migrations, regions, demo data, laws and their index, static files: one process, each step timed, and
# collectstatic only when the static sources changed (fawang/portal/management/commands/prepare_site.py).
db: setup
	$(BIN)/python manage.py prepare_site

# The demo: one-time codes also show on the page while the local outbox is the SMS sender (fawang.notify.conf).
run: runtime-deps db
	FAWANG_DEMO=1 PORT=$(PORT) bin/serve

test: setup system-deps
	bin/pytest-ok $(BIN)/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py check_help_text

typecheck: setup
	$(BIN)/mypy fawang bench

migrations-check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

# The SQLite run measures line and branch coverage of fawang/ ([tool.coverage] in pyproject.toml); `summary`
# prints it at the end of `make check`. The end-to-end tests' server runs in its own process and is not measured.
test-sqlite: setup system-deps
	bin/pytest-ok $(BIN)/pytest -n 2 --dist loadfile -q --cov --cov-report= $(PYTEST_ARGS)

test-postgres: setup system-deps
	$(BIN)/python bin/ensure-pg-db "$(PG_URL)"
	DATABASE_URL="$(PG_URL)" bin/pytest-ok $(BIN)/pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

check: lint typecheck migrations-check test-sqlite test-postgres summary

# What `make check` reports last: coverage of the SQLite run, and the `type: ignore` comments left in fawang/ (140
# before issue 23; every function is annotated, mypy's disallow_untyped_defs keeps it so).
summary: setup
	@bin/coverage-summary
	@echo "fawang/ 中的 type: ignore：$$(grep -rF 'type: ignore' fawang --include='*.py' | wc -l) 处"

bench: setup system-deps
	$(BIN)/python bench/run.py $(ARGS)

messages: setup
	$(BIN)/python manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) var
