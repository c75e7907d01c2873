# The two commands a fresh machine needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: demo test bench bench-scale docs lint install install-dev system-deps clean ui-shots

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -e .
	touch $@

# dbt-core and dbt-duckdb go in with --no-deps: their dependencies are in the dev extra
# (pyproject.toml says why dbt-core's own pins are left out)
DBT_PACKAGES := 'dbt-core>=1.11,<1.12' 'dbt-duckdb>=1.8'
$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	$(PIP) install --no-deps $(DBT_PACKAGES)
	touch $@ $(VENV)/.installed

## install: assetgraph into $(VENV); EXTRAS=ui,dask,... adds optional dependencies
## (the extras of pyproject.toml: postgres dask ui duckdb fsspec pandera polars deltalake dbt ml test docs dev)
install: $(VENV)/.installed
ifneq ($(strip $(EXTRAS)),)
	$(PIP) install -e '.[$(EXTRAS)]'
endif
install-dev: $(VENV)/.installed-dev

## demo: materialize the quickstart example (SQLite metadata and files under .assetgraph/);
## installs what every example and the tutorial need (pandera, scikit-learn) and pytest,
## which runs the tests of a project that 'assetgraph init' made
DEMO_EXTRAS ?= pandera,ml,test
$(VENV)/.installed-demo: pyproject.toml | $(PY)
	$(PIP) install -e '.[$(DEMO_EXTRAS)]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed-demo
	$(VENV)/bin/assetgraph materialize -f examples/quickstart/defs.py
	$(VENV)/bin/assetgraph list -f examples/quickstart/defs.py

## system-deps: Debian packages the tests drive (Graphviz's dot, Chromium for the UI tests);
## each is installed when missing, and its tests skip with a reason if that fails
system-deps:
	@for pair in dot:graphviz chromium:chromium; do \
		tool=$${pair%%:*}; package=$${pair#*:}; \
		command -v $$tool >/dev/null 2>&1 && continue; \
		command -v apt-get >/dev/null 2>&1 || { echo "note: no apt-get to install $$package"; continue; }; \
		apt-get install -y -q $$package >/dev/null 2>&1 || \
			(apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $$package >/dev/null 2>&1) || \
			echo "note: could not install $$package; its tests will skip"; \
	done

## test: the whole suite, on TEST_WORKERS processes (pytest-xdist; 0 runs it in this one),
## each test file on one worker, the files marked slow first; PostgreSQL tests run when a
## server answers on 127.0.0.1:5432. The project's bytecode is written first, as an install
## does: with PYTHONDONTWRITEBYTECODE set, every CLI, worker and daemon process the tests
## start would otherwise compile assetgraph's source again.
TEST_WORKERS ?= 2
test: install-dev system-deps
	@if [ -z "$$ASSETGRAPH_TEST_POSTGRES_URL" ] && $(PY) -c "import socket; socket.create_connection(('127.0.0.1', 5432), 1)" 2>/dev/null; then \
		export ASSETGRAPH_TEST_POSTGRES_URL="$(PG_URL)"; \
	fi; \
	$(PY) -m compileall -q -j 0 assetgraph io_managers >/dev/null; \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

## bench: benchmark scenarios of shared/BENCH.md, results under bench/results/
bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

## bench-scale: S2, S3, S5 and S8 at three sizes each: cost per unit and largest/smallest
bench-scale: install-dev
	$(PY) bench/scale.py $(BENCH_SCALE_ARGS)

## ui-shots: a screenshot of every UI page at 1440x900 and 390x844 under ui-shots/
ui-shots: install-dev system-deps
	$(PY) -m tests.ui.shots ui-shots

## docs: the documentation site under site/; warnings are errors
docs: install-dev
	$(VENV)/bin/mkdocs build --strict

## lint: ruff, mypy --strict, and the import contracts
lint: install-dev
	$(VENV)/bin/ruff check assetgraph io_managers tests bench examples
	$(VENV)/bin/ruff format --check assetgraph io_managers
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) .assetgraph .pytest_cache .mypy_cache .ruff_cache

## bench-peers: the scenarios side by side with Dagster (in its own .venv-peers, pinned in
## bench/peers/requirements.txt; never an assetgraph dependency) and hand-written Python
PEERS_VENV ?= .venv-peers
.PHONY: bench-peers

$(PEERS_VENV)/.installed: bench/peers/requirements.txt
	python3 -m venv $(PEERS_VENV)
	$(PEERS_VENV)/bin/python -m pip --disable-pip-version-check -q install -r bench/peers/requirements.txt
	touch $@

## Hamilton has its own environment too (.venv-hamilton, pinned in bench/peers/requirements-hamilton.txt)
HAMILTON_VENV ?= .venv-hamilton

$(HAMILTON_VENV)/.installed: bench/peers/requirements-hamilton.txt
	python3 -m venv $(HAMILTON_VENV)
	$(HAMILTON_VENV)/bin/python -m pip --disable-pip-version-check -q install -r bench/peers/requirements-hamilton.txt
	touch $@

bench-peers: install-dev $(PEERS_VENV)/.installed $(HAMILTON_VENV)/.installed
	$(PY) bench/peers/run.py --peers-python $(PEERS_VENV)/bin/python \
		--hamilton-python $(HAMILTON_VENV)/bin/python $(BENCH_PEERS_ARGS)
