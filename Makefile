# One command per chore. `make run` and `make test` work on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test lint bench system-deps install clean

$(PY):
	python3 -m venv $(VENV)

$(STAMP): setup.cfg pyproject.toml | $(PY)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --config-settings editable_mode=compat -e '.[test]'
	touch $(STAMP)

# UI text: each gettext catalogue (.po) compiled to the .mo Flask-Babel reads; .mo files are
# build output, not committed, and rebuilt when their .po changes.
PO := $(wildcard survey/web/translations/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

%.mo: %.po | $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

install: $(STAMP) $(MO)

# Debian packages the browser tests and PDF checks need (Chromium, poppler, fonts).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; \
	fi

run: install
	$(VENV)/bin/lagesbild demo

test: install system-deps
	$(VENV)/bin/lint-imports
	$(VENV)/bin/python -m pytest

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
