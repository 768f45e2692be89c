# The two commands that matter: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench bench-rules bench-tools deps dev-deps browser pdf-libs backup restore clean mutation screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.runtime node_modules/.installed pdf-libs

dev-deps: $(VENV)/.dev node_modules/.installed pdf-libs

# Pango for WeasyPrint's PDF plans; installed only when missing and we are root.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pdf-libs:
	@libs=$$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null); \
	if echo "$$libs" | grep -q libpangoft2-1.0.so.0 && echo "$$libs" | grep -q libharfbuzz-subset.so.0; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Pango for PDF treatment plans..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; \
	else \
		echo "Pango is missing and cannot be installed here: PDF plans answer 503 (use Print) and their tests skip."; \
	fi

# Debian's Chromium for the browser tests; installed only when missing and we are root.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "chromium is missing and cannot be installed here: browser tests will skip unless REQUIRE_BROWSER=1."; \
	fi

run: deps
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker (Ctrl-C to stop both)"
	@DEBUG=1 $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# pytest-xdist runs the tests on every core (each worker with its own test database), with
# one worker more than cores: the tests wait on PostgreSQL and the browser much of the time
# (2 cores: 167 s with 3 workers, 185 s with 2, 177 s with 4).
TEST_WORKERS ?= $(shell echo $$(( $$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1) + 1 )))
test: dev-deps browser lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal

# The README's screenshots (docs/screenshots/*.png), taken from the real pages by
# docs/screenshots.py on a live server with the demo data; commit the PNGs it writes.
screenshots: dev-deps browser
	PYTHONPATH=. $(VENV)/bin/pytest docs/screenshots.py -p tests.conftest -p no:cacheprovider -q

# Debian's wrk for the load benchmark; installed only when missing and we are root.
bench-tools:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's wrk for the load benchmark..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else \
		echo "wrk is missing and cannot be installed here: install it to run make bench."; exit 1; \
	fi

# The load benchmark on a generated clinic in PostgreSQL (README.md, "Performance"):
# DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/clinic_bench (a database the
# benchmark did not make is refused); BENCH_CLIENTS, BENCH_INTAKES, BENCH_THERAPISTS,
# BENCH_SEED, BENCH_SECONDS, BENCH_PAGES change the run; BENCH_JOBS, the generator's processes.
bench: dev-deps pdf-libs bench-tools
	$(PY) -m bench.run

# The rules engine's CPU time per call: standard library only, so just the venv.
bench-rules: | $(PY)
	$(PY) -m intake.rules.bench

# Mutation testing of the rules (intake/rules/README.md, "Mutation testing"): mutmut
# mutates engine.py and case.py and runs tests/rules (pure, no database; fewer Hypothesis
# examples) against each mutant, then prints the score. Config: [tool.mutmut] in pyproject.toml.
mutation: $(VENV)/.dev
	rm -rf mutants
	env -u DATABASE_URL RULES_PROPERTY_EXAMPLES=25 $(VENV)/bin/mutmut run --max-children 2 > /dev/null
	$(PY) tests/rules/mutation_score.py

# Back up the database named by DATABASE_URL (SQLite by default) into backups/.
backup: deps
	$(PY) manage.py backup

# Restore a backup: make restore FILE=backups/clinic-....dump (or .sqlite3)
restore: deps
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<file>"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .hypothesis mutants
