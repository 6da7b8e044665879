# Forløb: two commands for a fresh machine.
#   make run   set up, migrate the embedded SQLite database, load the demo, serve on :8000
#   make test  set up (including Debian's chromium for browser tests) and run the whole suite
# DATABASE_URL=postgres://... makes `make test` run against PostgreSQL instead of SQLite.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test deps lint lock messages syslibs demo clean

$(VENV)/.deps: requirements/test.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/test.lock
	touch $@

node_modules/.deps: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.deps node_modules/.deps messages syslibs

# WeasyPrint (decision letters as PDF) needs Pango and a font; installed once, when missing.
syslibs:
	@PATH="$$PATH:/sbin:/usr/sbin" ldconfig -p | grep -q libpango-1.0 && test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
	  || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null)

messages: $(VENV)/.deps
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	cd src/forlob && ../../$(PY) ../../manage.py compilemessages --verbosity 0

$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

run: deps
	DJANGO_SETTINGS_MODULE=forlob.settings.demo $(PY) manage.py migrate --no-input --verbosity 0
	DJANGO_SETTINGS_MODULE=forlob.settings.demo $(PY) manage.py load_demo
	DJANGO_SETTINGS_MODULE=forlob.settings.demo $(PY) manage.py runserver $(HOST):$(PORT)

test: deps $(CHROMIUM)
	DJANGO_SETTINGS_MODULE=forlob.settings.test $(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/ruff check src tests
	FORLOB_CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lock:
	$(VENV)/bin/pip install --quiet uv==0.13.9
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements/test.lock -q

clean:
	rm -rf $(VENV) node_modules staticfiles var test-artifacts
