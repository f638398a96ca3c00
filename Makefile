# mfgbase: two commands set up a fresh machine.
#   make run   install into .venv, run the plan scenario, write results/plan-2004/
#   make test  install into .venv, run the test suite and ruff
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test test-all lab bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	bash tools/setup-system.sh
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mfgbase run scenarios/plan-2004.yaml

test: install
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

test-all: install
	$(BIN)/python -m pytest -m ''
	$(BIN)/ruff check .

lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: install
	$(BIN)/python benchmarks/bench_simulate.py

clean:
	rm -rf $(VENV) build *.egg-info
