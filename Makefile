# Neural Networks, hands-on. Two commands: `make lab` and `make test`.
# Windows / no make: see README ("Without make").

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

# Environment of `make test`: quick lessons, no network, exercise checks must pass.
TEST_ENV := NNLIB_QUICK=1 NNLIB_OFFLINE=1 NNLIB_STRICT_CHECKS=1 MPLBACKEND=Agg PYTHONHASHSEED=0

.PHONY: help install lab test test-unit test-notebooks lint format bench bench-quick clean

help:
	@echo "make lab    - create .venv if missing, install, start JupyterLab on the welcome lesson"
	@echo "make test   - unit tests + every notebook under nbval (quick mode, offline)"
	@echo "make lint   - ruff on nnlib, tests, benchmarks and notebooks"
	@echo "make bench  - run every notebook quick and full; print time and peak memory"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --no-browser notebooks/00_welcome.ipynb

test: $(STAMP) lint
	$(TEST_ENV) $(PY) -m pytest tests notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

test-unit: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest tests -p no:cacheprovider

test-notebooks: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check nnlib tests benchmarks notebooks
	$(BIN)/ruff format --check nnlib tests benchmarks notebooks

format: $(STAMP)
	$(BIN)/ruff check --fix nnlib tests benchmarks notebooks
	$(BIN)/ruff format nnlib tests benchmarks notebooks

bench: $(STAMP)
	$(PY) benchmarks/run_notebooks.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run_notebooks.py --modes quick

clean:
	rm -rf build .pytest_cache .ruff_cache
