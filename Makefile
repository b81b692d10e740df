# The README's commands. CI (.ci/run) calls the same targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# The newest Python >= 3.12 on this machine: $PYTHON if set, versioned
# commands on PATH, then pyenv's installs (whose shims may not be active).
define find_python
for candidate in $${PYTHON:-} python3.14 python3.13 python3.12 \
    $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3 python; do \
  if [ -n "$$candidate" ] && "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    "$$candidate" -c 'import sys; print(sys.executable)'; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help run serve bench test lint format data check-python clean static static-check

help:
	@echo "make run    install, migrate, load the fixtures, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   install and run the whole test suite (DATABASE_URL picks the database)"
	@echo "make lint   ruff, manage.py check, and a check for missing migrations"
	@echo "make format format the code with ruff"
	@echo "make serve  production mode under gunicorn (needs SECRET_KEY, ALLOWED_HOSTS and SITE_URL)"
	@echo "make bench  load benchmark against the static-file ceiling and Datasette (BENCH_ARGS=--help)"
	@echo "make data   migrate and load the fixtures if they changed, without serving"
	@echo "make static the public site as files in dist/ (STATIC_SITE_URL: where it will be served)"
	@echo "make static-check  check that every link in dist/ resolves to a file"
	@echo "make clean  remove the virtual environment and the SQLite database"

$(VENV)/.python-ok:
	@python=$$($(find_python)) || { echo "error: Python 3.12 or newer is needed (Django 6 requires it); none was found. Install one, or set PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then rm -rf $(VENV); fi; \
	[ -x $(PY) ] || { echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); }
	@touch $@

$(VENV)/.installed-runtime: requirements.txt $(VENV)/.python-ok
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed-runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

data: $(VENV)/.installed-runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_portal_data --if-changed

run: data
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production mode: DEBUG off, static files collected and served by
# whitenoise with hashed names, gunicorn with sync workers (see
# shell/gunicorn_conf.py), PostgreSQL through Django's connection pool.
# The documented set-up has one TLS-terminating proxy in front that appends
# the client's address to X-Forwarded-For, so the login lockout counts
# failures per client, not per proxy (with 0, every client shares the
# proxy's address and anyone can lock an admin out). Set
# TRUSTED_PROXY_COUNT=0 only when gunicorn faces the clients directly.
serve: data
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	DEBUG=false DATABASE_POOL=$${DATABASE_POOL:-true} TRUSTED_PROXY_COUNT=$${TRUSTED_PROXY_COUNT:-1} PORT=$(PORT) \
	  $(VENV)/bin/gunicorn shell.wsgi:application -c shell/gunicorn_conf.py

# The load benchmark (bench/run.py; BENCH_ARGS="--help" lists its options).
# It builds its own databases under /tmp (synthetic records from
# `python -m bench.synthetic`) and installs Datasette into bench/.venv for
# the comparison; it is not part of CI. bench/ also holds the search and
# export benchmarks (docs/performance.md); none of it is an installed app.
bench: $(VENV)/.installed-runtime
	$(PY) bench/run.py $(BENCH_ARGS)

# Browser tests need Debian's Chromium (apt-get install chromium); without it
# they are left out with a notice, except in CI, where they run and fail.
CHROMIUM ?= /usr/bin/chromium
NO_CHROMIUM := *** Chromium not found at $(CHROMIUM): browser tests NOT run; install it with apt-get install chromium (or set CHROMIUM=/path/to/chromium) ***

# Tests that read the source reports (REPORTS_DIR, by default ../shared/reports)
# are skipped without them, and the notice is repeated at the end; in CI they
# fail (tests/conftest.py, the `reports` fixture).
define reports_notice
$(PY) -c 'import os, django; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shell.settings"); django.setup(); \
from django.conf import settings; from portal.fixtures import reports_not_at_hand; missing = reports_not_at_hand(); \
print(f"*** The source reports are not at {settings.REPORTS_DIR} (missing {chr(44).join(missing)}): the tests that check the excerpts against them were skipped; set REPORTS_DIR ***" if missing else "")'
endef

test: $(VENV)/.installed-dev
	@status=0; \
	if [ -x "$(CHROMIUM)" ] || [ -n "$${CI:-}" ]; then \
	  echo "$(PY) -m pytest"; \
	  CHROMIUM="$(CHROMIUM)" $(PY) -m pytest || status=$$?; \
	else \
	  echo "$(NO_CHROMIUM)" >&2; \
	  echo "$(PY) -m pytest -m 'not browser'"; \
	  $(PY) -m pytest -m "not browser" || status=$$?; \
	  echo "$(NO_CHROMIUM)" >&2; \
	fi; \
	notice=$$($(reports_notice)); [ -z "$$notice" ] || echo "$$notice" >&2; \
	exit $$status

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) db.sqlite3

# The public site as files (publish/, README "The portal as files"):
# STATIC_SITE_DIR (default dist/) for STATIC_SITE_URL (the address it will
# be served at). ARGS=--check only checks a built folder's links.
static: data
	$(PY) manage.py build_static $(ARGS)

static-check: $(VENV)/.installed-runtime
	$(PY) manage.py build_static --check
