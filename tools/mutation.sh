#!/usr/bin/env bash
# Mutation run: mutmut mutates model/core.py, model/equations.py, model/indicators.py and
# model/targets.py (configuration: [tool.mutmut] in pyproject.toml) and runs the fast model,
# teeth and energy tests against every mutant. Prints killed/total per file and the survivors;
# exits 1 when fewer than 90 % of the mutants are killed. docs/testing.md lists the survivors
# with the reason each survives.
#   tools/mutation.sh            (or `make mutation`)   ~20-30 min on 2 shared cores
#   MUTATION_JOBS=4 tools/mutation.sh                   more parallel test processes
# mutmut keeps its copy of the sources and its results in mutants/ (git-ignored); a rerun
# re-tests only mutants whose function or tests changed.
set -eu
cd "$(dirname "$0")/.."
venv="${MFGBASE_VENV:-.venv}"
jobs="${MUTATION_JOBS:-2}"
mkdir -p mutants
echo "mutmut run --max-children $jobs (progress in mutants/run.log)" >&2
if ! "$venv/bin/mutmut" run --max-children "$jobs" > mutants/run.log 2>&1; then
  tr '\r' '\n' < mutants/run.log | tail -30 >&2
  echo "mutmut run failed (see mutants/run.log)" >&2
  exit 2
fi
"$venv/bin/mutmut" results --all true | "$venv/bin/python" tools/mutation_report.py --min-score 0.90
