# The two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/singleportal
# The PostgreSQL stages run as production does (DEBUG off), so they need a secret.
PG_ENV := DATABASE_URL=$(PG_URL) SECRET_KEY=test-only-secret-key \
	PAYMENT_WEBHOOK_SECRET=test-only-webhook-secret PAYMENT_API_KEY=test-only-api-key
PYTEST := $(VENV)/pytest -q --reuse-db

.PHONY: demo test lint unit-sqlite unit-postgres browser messages

demo:
	scripts/bootstrap.sh runtime
	$(VENV)/singleportal demo

test:
	scripts/bootstrap.sh test
	$(MAKE) lint
	$(MAKE) unit-sqlite
	$(MAKE) unit-postgres
	$(MAKE) browser

lint:
	$(VENV)/ruff check src tests
	$(VENV)/ruff format --check src tests
	$(VENV)/mypy src
	$(VENV)/python manage.py makemigrations --check --dry-run
	scripts/check-translations.sh

unit-sqlite:
	$(PYTEST) -n 2 -m "not browser and not postgres and not broker"

unit-postgres:
	$(PG_ENV) $(PYTEST) -n 2 -m "not browser and not broker"
	$(PG_ENV) $(PYTEST) -m broker

browser:
	$(PG_ENV) $(PYTEST) -m browser

# Refresh the Khmer catalogue after changing strings; then translate what is new.
messages:
	$(VENV)/python manage.py makemessages -l km --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=bench
