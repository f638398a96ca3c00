"""Summarise `mutmut results --all true` (read from stdin): killed / total per source file,
the survivors by name, and exit 1 when the overall share killed is below ``--min-score``.

Status counting: ``killed`` and ``timeout`` (the mutant made the tests hang: detected) count as
killed; ``survived``, ``no tests``, ``suspicious``, ``skipped`` and ``not checked`` do not.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict

DETECTED = {"killed", "timeout"}


def parse(lines) -> tuple[dict[str, Counter], dict[str, list[str]]]:
    """(module -> Counter of statuses, module -> names of the mutants not killed)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for raw in lines:
        line = raw.strip()
        if ": " not in line:
            continue
        name, status = line.rsplit(": ", 1)  # e.g. model.core.x_simulate__mutmut_12: survived
        module = name.rsplit(".", 1)[0]
        counts[module][status] += 1
        if status not in DETECTED:
            survivors[module].append(f"{name} ({status})")
    return counts, survivors


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % Wilson score interval of a share k / n."""
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return c - h, c + h


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--min-score", type=float, default=0.90)
    args = ap.parse_args(argv)
    counts, survivors = parse(sys.stdin)
    if not counts:
        print("no mutmut results (run `mutmut run` first)", file=sys.stderr)
        return 2
    total_k = total_n = 0
    print(f"{'file':<24} {'killed':>7} {'total':>6} {'score':>7}  other")
    for module in sorted(counts):
        c = counts[module]
        k, n = sum(c[s] for s in DETECTED), sum(c.values())
        total_k, total_n = total_k + k, total_n + n
        other = ", ".join(f"{s} {v}" for s, v in sorted(c.items()) if s not in DETECTED)
        print(f"{module.replace('.', '/') + '.py':<24} {k:>7} {n:>6} {k / n:>7.1%}  {other}")
    score = total_k / total_n
    lo, hi = wilson(total_k, total_n)
    print(f"{'all':<24} {total_k:>7} {total_n:>6} {score:>7.1%}  (95 % Wilson interval {lo:.1%}-{hi:.1%}, "
          "the score's range if these mutants are a random sample)")
    for module in sorted(survivors):
        print(f"\nnot killed in {module}:")
        for s in survivors[module]:
            print(f"  {s}")
    if score < args.min_score:
        print(f"\nmutation score {score:.1%} is below {args.min_score:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
