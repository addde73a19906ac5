# One command per chore. `make run` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# `make run PORT=5001` when port 5000 is taken.
PORT ?= 5000
# The install is quiet: pip and setuptools write to $(INSTALL_LOG), shown only if it fails,
# so the demo's links and passwords are not buried under hundreds of build warnings.
INSTALL_LOG := $(VENV)/install.log
QUIET_PIP := env PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_WARN_SCRIPT_LOCATION=1 \
	PIP_PROGRESS_BAR=off PIP_NO_INPUT=1 PYTHONWARNINGS=ignore $(PIP) install --quiet \
	--disable-pip-version-check

.PHONY: run test lint bench screenshots system-deps install clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): setup.cfg pyproject.toml | $(PY)
	@echo "Installerar Lägesbild i $(VENV) (installing; the log is $(INSTALL_LOG)) …"
	@$(QUIET_PIP) --upgrade pip >$(INSTALL_LOG) 2>&1 || { cat $(INSTALL_LOG); exit 1; }
	@$(QUIET_PIP) --config-settings editable_mode=compat -e '.[test]' >>$(INSTALL_LOG) 2>&1 \
	  || { tail -n 60 $(INSTALL_LOG); exit 1; }
	@touch $(STAMP)

# UI text: each gettext catalogue (.po) compiled to the .mo Flask-Babel reads; .mo files are
# build output, not committed, and rebuilt when their .po changes.
PO := $(wildcard survey/web/translations/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

%.mo: %.po | $(STAMP)
	@out=$$($(VENV)/bin/pybabel compile -i $< -o $@ 2>&1) || { echo "$$out"; exit 1; }

install: $(STAMP) $(MO)

# Debian packages the browser tests and PDF checks need (Chromium, poppler, fonts).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; \
	fi

run: install
	@$(VENV)/bin/lagesbild demo --port $(PORT)

# The suite on every core (at most 4: each worker loads spaCy and its own Chromium), one test
# file per worker at a time, so a file's module fixtures are built once; files in collection
# order, the long browser files first. `pytest` alone still runs in one process.
test: install system-deps
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python -m pytest -n auto --maxprocesses 4 --dist loadfile --no-loadscope-reorder

# The page images in docs/ that the README shows, taken again by the browser tests.
screenshots: install system-deps
	LAGESBILD_SCREENSHOTS=1 $(VENV)/bin/python -m pytest -q tests/test_browser_receipt.py tests/test_browser_follow_up.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	@out=$$($(VENV)/bin/radon cc -n D survey coding reports); if [ -n "$$out" ]; then echo "$$out"; echo 'functions above radon grade C'; exit 1; fi

bench: install
	$(PY) benchmarks/coding.py
	$(PY) benchmarks/report.py
	$(PY) benchmarks/load.py

clean:
	rm -rf $(VENV) instance *.egg-info
