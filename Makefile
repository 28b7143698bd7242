# Homeward: `make demo` starts a realistic demo on SQLite; `make test` runs every check.
# DATABASE_URL selects PostgreSQL for either (see README.md).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO_ENV := HOMEWARD_ENV=demo
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM_PATH ?= /usr/bin/chromium
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck pytest messages venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: venv
	mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py geo_load
	$(DEMO_ENV) $(PY) manage.py demo_load
	$(DEMO_ENV) $(PY) manage.py referrals_escalate
	$(DEMO_ENV) $(PY) manage.py carers_expiry_tasks
	@echo "Homeward is starting on http://$(HOST):$(PORT)/ (Ctrl+C stops it)."
	$(DEMO_ENV) sh -c '$(PY) manage.py db_worker & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)'

test: venv lint typecheck pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv
	HOMEWARD_ENV=test $(BIN)/mypy homeward

pytest: venv
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		echo "No system Chromium at $(CHROMIUM_PATH): installing Playwright's own."; \
		$(BIN)/playwright install chromium; \
	fi
	CHROMIUM_PATH=$(CHROMIUM_PATH) $(PY) -m pytest -n $(PYTEST_WORKERS)

# Re-extract translatable strings after changing them; then translate the .po files.
messages: venv
	cd homeward && $(DEMO_ENV) ../$(PY) ../manage.py makemessages -l ru -l be -l bg --no-obsolete --no-location \
		--ignore "tests/*" --ignore "*/tests/*"
	cd homeward && $(DEMO_ENV) ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
