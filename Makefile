# The README's two commands: `make run` and `make test`. Everything they need
# is installed from here, on a fresh machine too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := facilitation

.PHONY: run test install install-test assets translations migrate demo messages lint clean bench

run: install assets translations migrate
	$(BIN)/flask demo --base-url http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(BIN)/python -m facilitation

test: install-test assets translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Browser libraries from npm; their dist files are copied, never committed.
static/vendor/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	cp node_modules/socket.io-client/dist/socket.io.min.js.map static/vendor/
	touch $@

assets: static/vendor/.built

translations: install
	$(BIN)/pybabel compile --statistics -d translations 2>&1 | grep -v '^$$' || true
	@test -f translations/fi/LC_MESSAGES/messages.mo

migrate: install
	$(BIN)/flask db upgrade

demo: install migrate
	$(BIN)/flask demo --base-url http://127.0.0.1:$(PORT)

# Developer helper: pull new strings from code and templates into the catalogues.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs='.* __pycache__ node_modules .venv' -o translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# Live load: the project against a bare Flask-SocketIO room at 200, 1,000 and
# 2,000 phones (about 15 minutes; not part of `make test`). Prints the table
# and writes it into docs/performance.md. BENCH_ARGS overrides, e.g.
# BENCH_ARGS="--phones 200 --duration 20".
BENCH_ARGS ?= --phones 200,1000,2000 --write docs/performance.md
bench: install translations
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/load.py $(BENCH_ARGS)

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor
