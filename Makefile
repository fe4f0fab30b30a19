# Two commands matter: `make run` (install, migrate, demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
LOCALES := zh_Hans zh_Hant_HK en fr es
export FLASK_APP := portal

RUN_APT := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_APT := $(RUN_APT) chromium poppler-utils redis-server

.PHONY: run test bench install install-test sysdeps sysdeps-test translations db extract-messages clean

run: install sysdeps translations db
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --timeout 120 --access-logfile - "portal.wsgi:app"

test: install-test sysdeps-test translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install-test sysdeps-test translations
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the packaging metadata changed.
$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

sysdeps:
	@scripts/ensure-apt $(RUN_APT)

sysdeps-test:
	@scripts/ensure-apt $(TEST_APT)

translations: install
	$(BIN)/pybabel -q compile -d translations

db: install
	$(BIN)/flask db upgrade heads
	$(BIN)/flask seed-demo

# After changing user-visible strings: extract them and merge into the five catalogues.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -o translations/messages.pot --no-location --sort-output \
		-k _l -k lazy_gettext -k ngettext:1,2 -k pgettext:1c,2 -k lazy_pgettext:1c,2 --add-comments=TRANSLATORS: --width 100 . 2>/dev/null
	@for l in $(LOCALES); do \
	  if [ -f translations/$$l/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel update -i translations/messages.pot -d translations -l $$l --no-fuzzy-matching --ignore-obsolete --width 100; \
	  else $(BIN)/pybabel init -i translations/messages.pot -d translations -l $$l --width 100; fi; \
	done
	$(BIN)/python scripts/fill-english-catalogue

clean:
	rm -rf $(VENV) instance/*.db instance/*.db-wal instance/*.db-shm
