# The two commands a newcomer needs: `make run` and `make test`. Each creates .venv when it is
# missing and installs exactly the versions locked in requirements/*.txt (hash-checked, nothing
# resolved anew), so a fresh machine with Python 3.11+ and access to PyPI is enough.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQ := requirements

.PHONY: run test lint typecheck audit lock bench screenshots installer clean translations

# A .venv that no longer runs, lacks pip, or was made by a Python older than 3.11 (say after
# `make PYTHON=python3.10 ...`) would make every target fail the same way forever; it is
# removed here, when the Makefile is read, so that the rules below build it again.
ifneq ($(wildcard $(VENV)),)
ifneq ($(shell $(BIN)/python -c 'import sys, pip; print(sys.version_info >= (3, 11))' 2>/dev/null),True)
$(info $(VENV) does not run, lacks pip or is older than Python 3.11: building it again)
$(shell rm -rf $(VENV))
endif
endif

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "svjournal needs Python 3.11 or newer; '$(PYTHON)' is not. Try: make PYTHON=python3.11 ..." >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs one lock file, then svjournal itself. --require-hashes: every file must match the
# lock. --no-deps: pip installs the list as it is and resolves nothing. --only-binary: no sdist
# gets built (its build would fetch unlocked tools). svjournal is then installed editable with
# --no-deps and --no-build-isolation, so it builds with the locked setuptools already in .venv.
define install_locked
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --only-binary :all: -r $(1)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  --no-build-isolation -e .
endef

# Stamps: each set is installed again when its lock or pyproject.toml changes. A larger set
# contains the smaller ones (dev ⊃ test ⊃ app), so installing it touches their stamps too.
$(VENV)/.installed-app: $(REQ)/app.txt pyproject.toml | $(BIN)/python
	$(call install_locked,$(REQ)/app.txt)
	touch $@

$(VENV)/.installed-test: $(REQ)/test.txt pyproject.toml | $(BIN)/python
	$(call install_locked,$(REQ)/test.txt)
	touch $@ $(VENV)/.installed-app

$(VENV)/.installed-dev: $(REQ)/dev.txt pyproject.toml | $(BIN)/python
	$(call install_locked,$(REQ)/dev.txt)
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-app

run: $(VENV)/.installed-app
	$(BIN)/svjournal $(ARGS)

# Only what the tests need: the app and the test extras (no ruff, mypy or pyinstaller).
test: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check svjournal tests benchmarks tools
	$(BIN)/ruff format --check svjournal tests benchmarks tools

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

# pip-audit over the whole locked set; see tools/audit.py for what fails and what only reports.
audit: $(VENV)/.installed-dev
	$(BIN)/python tools/audit.py $(AUDIT_ARGS) $(REQ)/dev.txt

# Refreshes requirements/*.txt from pyproject.toml, keeping the versions already locked where
# they still fit; `make lock UPGRADE=1` moves everything to the newest versions allowed.
# uv resolves for every platform at once (see requirements/README.md); pip installs the result.
LOCK := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' $(if $(UPGRADE),--upgrade) $(LOCK_ARGS)

lock: $(VENV)/.installed-dev
	$(LOCK) pyproject.toml $(REQ)/build.in -o $(REQ)/app.txt
	$(LOCK) pyproject.toml $(REQ)/build.in --extra test -c $(REQ)/app.txt -o $(REQ)/test.txt
	$(LOCK) pyproject.toml $(REQ)/build.in --extra dev -c $(REQ)/test.txt -o $(REQ)/dev.txt

# The translation catalogues (svjournal/locale/): the marked strings extracted anew and every
# language brought in step; `make translations ADD=de` starts a catalogue for a language.
translations: $(VENV)/.installed-dev
	$(BIN)/python -m tools.translations update $(if $(ADD),--add $(ADD))

bench: $(VENV)/.installed-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.run --workdir bench-data --output BENCHMARKS.md

# Offscreen, one process per screen size (tools/screenshots.py); docs/screenshots/<size>/,
# and the Spanish and German window at the common size in docs/screenshots/<lang>/1366x768/.
screenshots: $(VENV)/.installed-app
	$(BIN)/python -m tools.screenshots --out docs/screenshots
	$(BIN)/python -m tools.screenshots --out docs/screenshots/es --sizes 1366x768 --scheme light --lang es
	$(BIN)/python -m tools.screenshots --out docs/screenshots/de --sizes 1366x768 --scheme light --lang de

# The one-folder bundle in dist/svjournal (see build_installer.spec), then its self-test. The
# console executable runs the self-test: `svjournal` on Linux, `svjournal-cli` on macOS
# (tools/platforms.py decides, for the spec too; `=`: asked only once .venv exists).
FROZEN = dist/svjournal/$(shell $(BIN)/python -m tools.platforms self-test)

# Beside the bundle, for IT: a CycloneDX SBOM of what it ships and a SHA-256 manifest of its
# files (after the self-test, so it describes the folder as it will be copied).
installer: $(VENV)/.installed-dev
	$(BIN)/pyinstaller --noconfirm build_installer.spec
	QT_QPA_PLATFORM=offscreen $(FROZEN) --self-test
	$(BIN)/python tools/sbom.py pyproject.toml dist/svjournal.cdx.json
	$(BIN)/python tools/manifest.py dist/svjournal dist/svjournal.sha256
	@du -sh dist/svjournal

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis bench-data

# --- Real windows (X11) ----------------------------------------------------------------------
# The app under Xvfb with the openbox window manager and Qt's xcb plugin, keys typed through the
# X server (tools/real_window.py; it names the Debian packages it needs when they are missing).
# smoke-x11 is .ci/run's real-window smoke test; screenshots-x11 writes whole-screen pictures
# at 1024x640, 1366x768 and 1920x1080 into build/screenshots-x11 (not committed).
.PHONY: smoke-x11 screenshots-x11

smoke-x11: $(VENV)/.installed-app
	$(BIN)/python -m tools.real_window smoke $(X11_ARGS)

screenshots-x11: $(VENV)/.installed-app
	$(BIN)/python -m tools.real_window screenshots $(X11_ARGS)
# --- end of real windows ---------------------------------------------------------------------
