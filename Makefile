# STEM4ALL Mentoring. `make demo` and `make test` do all set-up themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test test-postgres test-browser lint format bench messages check-deploy clean

# The virtualenv and installed package; re-installed when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.4"
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	STEM4ALL_REQUIRE_STAFF_MFA=0 TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend \
	PORT=$(PORT) $(BIN)/stem4all demo --port $(PORT)

test: $(VENV)/.installed
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/stem4all} $(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

test-browser: $(VENV)/.installed
	$(BIN)/pytest -m browser tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

# Refresh the catalogues after changing strings, then translate ru and ky by hand.
messages: $(VENV)/.installed
	$(BIN)/stem4all makemessages -l ru -l ky --no-obsolete --ignore=.venv --ignore=var --ignore=build
	$(BIN)/stem4all compilemessages --ignore=.venv

check-deploy: $(VENV)/.installed
	STEM4ALL_ENV=production SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=mentoring.example.org $(BIN)/stem4all check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var build *.egg-info
