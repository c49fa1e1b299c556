# Certeval — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTHON := $(shell for p in python3.13 python3.12; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)

.PHONY: demo test lint bench install messages clean-demo production

$(STAMP): pyproject.toml requirements.lock
	@if [ ! -x $(BIN)/python ]; then \
		if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or 3.13 is required (python3.13 / python3.12 not found)." >&2; exit 1; fi; \
		echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# `serve` runs the task worker (e-mails, receipts) beside the server and stops it with the server;
# the console e-mail back-end prints every e-mail in this terminal, links whole (docs/audit.md).
demo: $(STAMP)
	$(BIN)/certeval migrate --noinput
	$(BIN)/certeval demo
	EMAIL_BACKEND=certeval.core.console_mail.ReadableConsoleBackend $(BIN)/certeval serve 127.0.0.1:8000

# The production stack on this machine (docs/deployment.md): needs DEBUG=0, SECRET_KEY, ALLOWED_HOSTS,
# an SMTP EMAIL_BACKEND and DATABASE_URL (or PRODUCTION_ARGS=--local-postgres); Ctrl+C stops everything.
production: $(STAMP)
	DEBUG=$${DEBUG:-0} $(BIN)/certeval production $(PRODUCTION_ARGS)

# -n auto: one pytest-xdist worker per core, each with its own test database.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/certeval makemigrations --check --dry-run

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-bench.lock
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

messages: $(STAMP)
	cd certeval && ../$(BIN)/django-admin makemessages -l en --ignore=domain/* --ignore=data/* && ../$(BIN)/django-admin compilemessages
