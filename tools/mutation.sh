#!/usr/bin/env bash
# Mutation run: mutmut mutates the model core and its equations (model/core.py,
# model/equations.py, model/instruments.py, model/energy_equations.py), model/indicators.py and
# model/targets.py (configuration: [tool.mutmut] in pyproject.toml) and runs the fast model,
# teeth, instrument and energy tests against every mutant, at the lowest CPU priority (nice 19).
# Prints killed/total per file and the survivors; exits 1 when fewer than 90 % of the mutants
# tested are killed. docs/testing.md lists the survivors with the reason each survives.
#   tools/mutation.sh                         (or `make mutation`) every file, ~1 h on 2 shared cores
#   tools/mutation.sh 'model.indicators*'     only the mutants whose names match (mutmut globs)
#   MUTATION_JOBS=4 tools/mutation.sh         more parallel test processes (default 2)
# The numba kernel (if model/core.py has one) runs as plain Python here (NUMBA_DISABLE_JIT=1), so
# mutmut's trampolines see every mutated function. mutmut keeps its copy of the sources and its
# results in mutants/ (git-ignored); a rerun re-tests only mutants whose function or tests changed.
set -eu
cd "$(dirname "$0")/.."
venv="${MFGBASE_VENV:-.venv}"
jobs="${MUTATION_JOBS:-2}"
export NUMBA_DISABLE_JIT=1
mkdir -p mutants
echo "nice -n 19 mutmut run --max-children $jobs $* (progress in mutants/run.log)" >&2
if ! nice -n 19 "$venv/bin/mutmut" run --max-children "$jobs" "$@" > mutants/run.log 2>&1; then
  tr '\r' '\n' < mutants/run.log | tail -30 >&2
  echo "mutmut run failed (see mutants/run.log)" >&2
  exit 2
fi
results() { "$venv/bin/mutmut" results --all true; }
if [ "$#" -gt 0 ]; then  # score only the mutants asked for
  pattern=$(printf '%s\n' "$@" | sed 's/[.]/\\./g; s/[*]/.*/g' | paste -sd'|')
  results | grep -E "^\s*($pattern): " | "$venv/bin/python" tools/mutation_report.py --min-score 0.90
else
  results | "$venv/bin/python" tools/mutation_report.py --min-score 0.90
fi
