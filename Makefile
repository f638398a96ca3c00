# mfgbase: two commands set up a fresh machine.
#   make run   install into .venv, run the plan scenario, write results/plan-2004/
#   make test  install into .venv, run the test suite and ruff
# Installs use constraints.txt (the exact versions `make test` last passed with) on top of the
# bounds in pyproject.toml; `make constraints` refreshes it after an upgrade passed `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CONSTRAINTS := constraints.txt

.PHONY: install run test test-all lab bench mutation constraints clean dashboard

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --upgrade 'pip<27'
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) -e '.[dev,lab]'
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

# the planner's dashboard on http://127.0.0.1:5006/ (SCENARIO=..., PORT=..., LANG_UI=zh|en)
dashboard: install
	$(BIN)/mfgbase dashboard $(or $(SCENARIO),scenarios/plan-2004.yaml) --port $(or $(PORT),5006) --lang $(or $(LANG_UI),zh)

lab: install
	MFGBASE_VENV=$(VENV) bash tools/lab.sh

mutation: install
	MFGBASE_VENV=$(VENV) bash tools/mutation.sh

bench: install
	$(BIN)/python benchmarks/bench_simulate.py

constraints: install
	{ echo "# Exact versions \`make test\` passed with; used by \`make install\` (pip -c)."; \
	  echo "# Regenerate with \`make constraints\` after an upgrade has passed \`make test\`."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^mfgbase'; } > $(CONSTRAINTS).tmp
	mv $(CONSTRAINTS).tmp $(CONSTRAINTS)

clean:
	rm -rf $(VENV) build *.egg-info
