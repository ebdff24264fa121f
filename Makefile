# The two commands a newcomer needs: `make run` and `make test`. Each creates .venv when it
# is missing and installs what it needs, so a fresh machine with Python 3.11+ is enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck bench screenshots installer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed-app: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(BIN)/svjournal $(ARGS)

test: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check svjournal tests benchmarks
	$(BIN)/ruff format --check svjournal tests benchmarks

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.run --output BENCHMARKS.md

screenshots: $(VENV)/.installed-app
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m svjournal.ui.screenshots --out docs/screenshots

# The one-folder bundle in dist/svjournal (see build_installer.spec), then its self-test. The
# console executable runs the self-test: `svjournal` on Linux, `svjournal-cli` on macOS.
FROZEN := dist/svjournal/$(if $(filter Darwin,$(shell uname -s)),svjournal-cli,svjournal)

installer: $(VENV)/.installed-dev
	$(BIN)/pyinstaller --noconfirm build_installer.spec
	QT_QPA_PLATFORM=offscreen $(FROZEN) --self-test
	@du -sh dist/svjournal

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
