# Backpropagation, step by step.
#   make lab      set up .venv if needed, copy the released notebooks to $(WORK) (never overwriting your work),
#                 open JupyterLab there; `make lab LANG=fr`: the French edition, JupyterLab in French
#   make test     set up .venv with the test extras if needed, run the whole test suite
#   make teacher-lab  JupyterLab on the course itself (source/, release/, the formgrader for manual grading)
#   make release  regenerate release/ from source/ with nbgrader and check that nothing secret leaked
#   make grade    autograde submitted/ in parallel, each kernel sandboxed (GRADE_ARGS="03_relu --force" ...)
# Only Python 3.11 (with pip and venv) and make are needed on a fresh machine.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(CURDIR)/$(VENV)/bin/python
WORK   ?= work
# JupyterLab refuses to run as root unless told to (containers, some lab machines).
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
# The edition: `make lab LANG=fr` (or a French locale, LANG=fr_FR.UTF-8) gives the French one, and JupyterLab in
# French; anything else the English one. `make lab LANG=en` on a French machine gives the English edition.
COURSE_LANG := $(if $(filter fr%,$(LANG)),fr,en)
LAB_SETTINGS := $(CURDIR)/build/jupyterlab-$(COURSE_LANG)
# The suite runs on every core (pytest-xdist); modules marked xdist_group stay on one worker, so a class they grade
# in a module fixture is graded once. `make test PYTEST_ARGS=...` runs a part of it.
PYTEST_ARGS ?= -n auto --dist loadgroup
# nbgrader looks tools up on PATH (alembic when it opens the gradebook: the formgrader fails without it).
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: lab teacher-lab test release grade clean-venv

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

lab: $(VENV)/.installed
	$(PY) -m autograder workcopy $(WORK) --language $(COURSE_LANG) --lab-settings $(LAB_SETTINGS)
	JUPYTERLAB_SETTINGS_DIR=$(LAB_SETTINGS) $(PY) -m jupyter lab --ServerApp.root_dir=$(WORK) $(LAB_ARGS)

# jupyter-config/ enables autograder.formgrader: the formgrader's Autograde button runs `python -m autograder grade`.
teacher-lab: $(VENV)/.installed
	JUPYTER_CONFIG_PATH=$(CURDIR)/jupyter-config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH} \
	  $(PY) -m jupyter lab --ServerApp.root_dir=$(CURDIR) $(LAB_ARGS)

test: $(VENV)/.installed-test
	$(PY) -m pytest $(PYTEST_ARGS)

release: $(VENV)/.installed
	$(PY) -m autograder release

grade: $(VENV)/.installed
	$(PY) -m autograder grade $(GRADE_ARGS)

clean-venv:
	rm -rf $(VENV)
