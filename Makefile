# CX Inspiration Hub: `make run` to try the site, `make test` before pushing.

SHELL       := bash
.SHELLFLAGS := -euo pipefail -c
PYTHON      ?= python3
VENV        := .venv
PY          := $(VENV)/bin/python
ARGS        ?=

.PHONY: run test lint clean backup restore
.DELETE_ON_ERROR:

# Serve the site with demo content on http://127.0.0.1:8000 (DEBUG on).
run: export DJANGO_DEBUG := 1
run: $(VENV)/.stamp-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Run the suite on SQLite and on a throwaway PostgreSQL: make test ARGS="-k feeds".
test:
	bash .ci/test $(ARGS)

# Check the code with ruff: lint rules, then formatting.
lint: $(VENV)/.stamp-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Back up database and media into one archive (README, Backups): make backup [BACKUP_DIR=...].
backup: $(VENV)/.stamp-run
	$(PY) manage.py backup $(or $(BACKUP_DIR),.)

# Restore such an archive: make restore ARCHIVE=cxhub-backup-....tar.gz [FORCE=1].
restore: $(VENV)/.stamp-run
	@[ -n "$(ARCHIVE)" ] || { echo "usage: make restore ARCHIVE=path/to/archive.tar.gz [FORCE=1]" >&2; exit 2; }
	$(PY) manage.py restore "$(ARCHIVE)" $(if $(FORCE),--force)

# Remove the virtualenv, the local SQLite database and collected static files.
clean:
	rm -rf $(VENV) db.sqlite3* staticfiles

# Create the virtualenv.
$(PY):
	$(PYTHON) -m venv $(VENV)

# Install the project; again whenever pyproject.toml changes.
$(VENV)/.stamp-run: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e .
	touch $@

# Install the project with its test tools (pytest, Playwright, ruff); same names as .ci/test.
$(VENV)/.stamp-test: pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -e ".[test]"
	touch $@ $(VENV)/.stamp-run
