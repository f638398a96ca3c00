#!/usr/bin/env bash
# Mutation run: mutmut mutates the model core, its compiled kernel and its equations
# (model/kernel.py, model/core.py, model/equations.py, model/instruments.py,
# model/energy_equations.py), model/indicators.py and
# model/targets.py (configuration: [tool.mutmut] in pyproject.toml) and runs the fast model,
# teeth, instrument and energy tests against every mutant, at the lowest CPU priority (nice 19).
# Prints killed/total per file and the survivors; exits 1 when fewer than 90 % of the mutants
# tested are killed. docs/testing.md lists the survivors with the reason each survives.
#   tools/mutation.sh                         (or `make mutation`) every mutant: hours on 2 shared cores
#   tools/mutation.sh 'model.indicators*'     only the mutants whose names match (mutmut globs)
#   MUTATION_SAMPLE=200 tools/mutation.sh model.equations model.instruments
#                                             a seeded random sample (MUTATION_SEED, default 1) of
#                                             the mutants of these modules (after one run has
#                                             generated the mutants): an unbiased score estimate
#   MUTATION_JOBS=4 tools/mutation.sh         more parallel test processes (default 2)
# The compiled code runs as plain Python here (NUMBA_DISABLE_JIT=1): mutmut
# replaces every function of the mutated files by a trampoline numba cannot compile. mutmut
# does not mutate decorated functions, so compiled functions are compiled by assignment after
# their def (f = jit(f)), not by a decorator.
# mutmut keeps its copy of the sources and its results in mutants/ (git-ignored); a rerun
# re-tests only mutants whose function or tests changed.
set -eu
cd "$(dirname "$0")/.."
venv="${MFGBASE_VENV:-.venv}"
jobs="${MUTATION_JOBS:-2}"
export NUMBA_DISABLE_JIT=1
mkdir -p mutants
results() { "$venv/bin/mutmut" results --all true; }
if [ -n "${MUTATION_SAMPLE:-}" ]; then
  [ "$#" -gt 0 ] || { echo "MUTATION_SAMPLE needs module names (model.equations ...)" >&2; exit 2; }
  results | "$venv/bin/python" tools/mutation_sample.py --n "$MUTATION_SAMPLE" --seed "${MUTATION_SEED:-1}" \
    --modules "$@" > mutants/sample.txt
  set -- $(cat mutants/sample.txt)
  echo "sample of $# mutants of the modules asked for (list in mutants/sample.txt)" >&2
fi
echo "nice -n 19 mutmut run --max-children $jobs ($# names; progress in mutants/run.log)" >&2
if ! nice -n 19 "$venv/bin/mutmut" run --max-children "$jobs" "$@" > mutants/run.log 2>&1; then
  tr '\r' '\n' < mutants/run.log | tail -30 >&2
  echo "mutmut run failed (see mutants/run.log)" >&2
  exit 2
fi
if [ "$#" -gt 0 ]; then  # score only the mutants asked for
  printf '%s\n' "$@" | sed 's/[.]/\\./g; s/[*]/.*/g; s/^/^\\s*/; s/$/: /' > mutants/patterns.txt
  results | grep -E -f mutants/patterns.txt | "$venv/bin/python" tools/mutation_report.py --min-score 0.90
else
  results | "$venv/bin/python" tools/mutation_report.py --min-score 0.90
fi
