"""Print a seeded random sample of mutant names (one per line) for `mutmut run`.

Reads `mutmut results --all true` from stdin; keeps the mutants whose module matches one of the
``--modules`` (``model.equations model.instruments ...``), shuffles them with ``--seed`` (numpy
PCG64) and prints the first ``--n``. A random sample of the mutants gives an unbiased estimate of
the mutation score of those modules (tools/mutation_report.py prints it with a Wilson interval)
when testing every mutant does not fit the time available.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--modules", nargs="+", required=True)
    args = ap.parse_args(argv)
    names = []
    for raw in sys.stdin:
        line = raw.strip()
        if ": " not in line:
            continue
        name = line.rsplit(": ", 1)[0]
        if name.rsplit(".", 1)[0] in args.modules:
            names.append(name)
    if not names:
        print("no mutants of these modules: run tools/mutation.sh once first (it generates them)", file=sys.stderr)
        return 2
    names.sort()
    rng = np.random.default_rng(args.seed)
    for i in rng.permutation(len(names))[: args.n]:
        print(names[i])
    return 0


if __name__ == "__main__":
    sys.exit(main())
