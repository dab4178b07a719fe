# Two commands on a fresh machine: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
RUN_ENV := DEBUG=1
HOST ?= 127.0.0.1:8000

.PHONY: setup run demo test test-browser lint format check-deploy bench bench-pages bench-search bench-live stack-setup stack stack-test clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py make_demo_signing_key
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py update_search_index --verbosity 0
	$(RUN_ENV) $(PY) manage.py make_renditions --verbosity 0

run: demo
	@echo "Serving http://$(HOST)/ (admin at http://$(HOST)/admin/)"
	$(RUN_ENV) $(PY) manage.py runserver $(HOST)

test: setup
	$(PY) -m pytest

# Django's deployment checklist under production settings, failing on warnings as
# tests/test_settings.py does: the environment's own SECRET_KEY, ALLOWED_HOSTS and content
# credentials when set, else a throwaway key, an example host and signing off (production
# refuses to start without its signing key; the checklist does not need one).
check-deploy: setup
	DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-news.example.com}" \
	  NEWSROOM_C2PA_SIGNING="$${NEWSROOM_C2PA_SIGNING:-0}" \
	  $(PY) manage.py check --deploy --fail-level WARNING

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(RUN_ENV) $(PY) manage.py makemigrations --check --dry-run

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Wire ingest, items per second: on SQLite, then on a throwaway PostgreSQL 15 if installed.
ITEMS ?= 10000
bench: setup
	$(RUN_ENV) $(PY) bench/ingest_ninjs.py --items $(ITEMS)
	if test -x /usr/lib/postgresql/15/bin/initdb; then \
	  $(RUN_ENV) .ci/with-postgres $(PY) bench/ingest_ninjs.py --items $(ITEMS); \
	else echo "PostgreSQL 15 is not installed: skipping the PostgreSQL run"; fi

# Reader pages under load on a throwaway PostgreSQL 15, with Debian's wrk, postgresql-15 and
# nginx (the static-file ceiling), installed here when missing. AGAINST=1000000: the same
# product at that size too, measured side by side in interleaved rounds.
ARTICLES ?= 20000
AGAINST ?=
SECONDS ?= 10
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
bench-pages: setup
	@missing=""; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	test -x /usr/lib/postgresql/15/bin/initdb || missing="$$missing postgresql-15"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	.ci/with-postgres $(PY) bench/pages.py --articles $(ARTICLES) --seconds $(SECONDS) \
	  $(if $(AGAINST),--against $(AGAINST))

# Search as readers get it, in-process: on a throwaway SQLite file, then on a throwaway
# PostgreSQL 15 if installed (ARTICLES as for bench-pages).
RUNS ?= 20
bench-search: setup
	$(PY) bench/search.py --articles $(ARTICLES) --runs $(RUNS)
	if test -x /usr/lib/postgresql/15/bin/initdb; then \
	  .ci/with-postgres $(PY) bench/search.py --articles $(ARTICLES) --runs $(RUNS); \
	else echo "PostgreSQL 15 is not installed: skipping the PostgreSQL run"; fi

bench-live: setup
	$(PY) bench/live_updates.py

# The multi-process stack on loopback (deploy/stack/): PostgreSQL 15 primary and streaming
# replica, Redis, moto's S3 server, two gunicorns, the worker and Varnish when present.
STACK_PACKAGES := postgresql-15 redis-server varnish varnish-modules
STACK_STAMP := $(VENV)/.stack-stamp
$(STACK_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,stack]'
	touch $(STACK_STAMP)

stack-setup: $(STACK_STAMP)
	@for p in $(STACK_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing; fi

stack: stack-setup
	$(PY) -m deploy.stack.stack

stack-test: stack-setup
	$(PY) -m deploy.stack.faults

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
