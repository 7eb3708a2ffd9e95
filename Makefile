# motcua — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 2
# The citizens' sign-in talks to the local VNeID stand-in that the development server itself serves.
MOTCUA_OIDC_ISSUER ?= http://$(HOST):$(PORT)/idp

.PHONY: run dev test setup demo bench messages clean openapi

$(BIN)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

setup: $(BIN)/.installed
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: setup
	$(PY) manage.py load_demo
	$(PY) manage.py load_news_demo
	$(PY) manage.py generate_dossiers --count 400 --if-empty
	$(PY) manage.py rebuild_figures

## Set everything up and serve the portal on http://$(HOST):$(PORT) (SQLite, local files, the
## stand-ins) as production serves it: gunicorn, DEBUG off, static files by WhiteNoise
## (motcua.settings.demo), with the task worker and its periodic sweeps (Celery with beat) beside
## it; both stop together.
run: demo
	DJANGO_SETTINGS_MODULE=motcua.settings.demo $(PY) manage.py collectstatic --noinput --verbosity 0
	@export DJANGO_SETTINGS_MODULE=motcua.settings.demo MOTCUA_OIDC_ISSUER=$(MOTCUA_OIDC_ISSUER) \
	  MOTCUA_PUBLIC_URL=$${MOTCUA_PUBLIC_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/celery -A motcua worker --beat --pool=solo --loglevel=INFO --schedule=var/celerybeat-schedule & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn motcua.wsgi --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) --threads 8 \
	  --worker-class gthread --timeout 60 --graceful-timeout 10

## The same with Django's autoreloading development server (DEBUG on, motcua.settings.dev).
dev: demo
	@export MOTCUA_OIDC_ISSUER=$(MOTCUA_OIDC_ISSUER) MOTCUA_PUBLIC_URL=$${MOTCUA_PUBLIC_URL:-http://$(HOST):$(PORT)}; \
	$(BIN)/celery -A motcua worker --beat --pool=solo --loglevel=INFO --schedule=var/celerybeat-schedule & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## Set up and run the whole suite, browser tests included.
test: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

## The API's OpenAPI document, committed at docs/openapi.json (tests/test_openapi.py fails when it
## is not what the code declares): regenerate it after changing an endpoint.
openapi: $(BIN)/.installed
	$(PY) manage.py export_openapi_schema --api motcua.api.api --sorted --indent 2 --output docs/openapi.json

## Benchmarks (figures quoted in issue notes). See bench/README.md.
bench: $(BIN)/.installed
	$(PY) bench/search_quality.py
	$(PY) bench/search_latency.py
	$(BIN)/python bench/http_throughput.py
	$(PY) bench/dossiers_tracking.py
	$(PY) bench/dossiers_queue.py
	$(PY) bench/dossiers_submission.py
	$(PY) bench/dossiers_reception.py
	$(PY) bench/payments_ipn.py

## Rebuild the interface translation catalogs after changing user-facing strings.
messages: $(BIN)/.installed
	$(PY) manage.py makemessages --no-location -l en -l zh_Hans -l ko -l ja -i ".venv/*" -i "var/*"
	$(PY) manage.py compilemessages -i ".venv"

clean:
	rm -rf $(VENV) var
