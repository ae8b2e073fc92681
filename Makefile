# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz install messages lint check-ci worker bench load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/pybabel compile --domain django --directory locale --use-fuzzy --statistics 2>&1 | tail -n 3

## Runs the app on http://127.0.0.1:8000 with demo data (SQLite unless DATABASE_URL is set).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Runs the whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite).
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

## Schemathesis against the API schema as each demo role, with more examples per operation than `make test`.
FUZZ_MAX_EXAMPLES ?= 50
fuzz: install
	FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) $(BIN)/pytest -m fuzz -p no:cacheprovider tests/api/test_fuzz.py $(PYTEST_ARGS)

## Refreshes the French and Dutch catalogues (needs GNU gettext) and compiles them.
messages: install
	$(BIN)/python manage.py makemessages --locale fr --locale nl --no-location --ignore ".venv/*" --ignore "tests/*"
	$(BIN)/pybabel compile --domain django --directory locale --statistics

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## The volume benchmark on PostgreSQL (not part of `make test`): 20,000 grant files, gunicorn with the
## production settings, 8 clients; BENCH_SCALE=small for 400 files. See docs/PERFORMANCE.md.
BENCH_SCALE ?= full
bench: install
	BENCH_SCALE=$(BENCH_SCALE) $(BIN)/python -m bench.run

## Sustained mixed load with Locust (docs/RELIABILITY.md): builds the volume database, then
## LOAD_MINUTES (10) minutes with LOAD_USERS (16) simulated people against gunicorn. LOAD_ARGS=--reuse
## runs on the database the last `make bench` left.
LOAD_MINUTES ?= 10
LOAD_USERS ?= 16
load: install
	LOAD_MINUTES=$(LOAD_MINUTES) LOAD_USERS=$(LOAD_USERS) $(BIN)/python -m bench.load $(LOAD_ARGS)

## Background worker for the database task queue (production-like setups).
worker: install
	$(BIN)/python manage.py db_worker

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media
