"""docs/model.md §9 (default-run reference values) agrees with a fresh run.

The block between the reference-values markers is written by ``tools/reference_values.py``.
Every number in it is compared with the same number from a fresh run, within one unit of its
last printed digit (floats are not byte-compared across machines); the words around the
numbers (which targets are met) must match exactly.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _tool():
    spec = importlib.util.spec_from_file_location("reference_values", ROOT / "tools" / "reference_values.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _numbers(text: str) -> list[tuple[float, float]]:
    """(value, one unit of the last printed digit) for every number in ``text``."""
    out = []
    for m in NUMBER.finditer(text):
        s = m.group().replace(",", "")
        decimals = len(s.split(".")[1]) if "." in s else 0
        out.append((float(s), 10.0 ** -decimals))
    return out


def _compare(doc: str, fresh: str) -> list[str]:
    problems = []
    if NUMBER.sub("#", doc) != NUMBER.sub("#", fresh):
        problems.append("the text around the numbers differs (targets met, rows or labels)")
    for (a, ua), (b, _) in zip(_numbers(doc), _numbers(fresh), strict=False):
        if abs(a - b) > ua * 1.0001:
            problems.append(f"doc {a} vs run {b}")
    return problems


@pytest.fixture(scope="module")
def tool():
    return _tool()


def test_reference_block_matches_a_fresh_run(tool):
    doc = tool.current_block(tool.DOC.read_text(encoding="utf-8"))
    fresh = tool.block()
    problems = _compare(doc, fresh)
    assert not problems, (
        "docs/model.md §9 is stale; run `.venv/bin/python tools/reference_values.py`:\n" + "\n".join(problems[:20])
    )


def test_parameter_table_is_priors_yaml(tool):
    """§6's table is written from priors.yaml / parameters.yaml: it must match exactly."""
    doc = tool.current_block(tool.DOC.read_text(encoding="utf-8"), tool.PARAMS_BEGIN, tool.PARAMS_END)
    assert doc == tool.parameters_block(), "docs/model.md §6 is stale; run `.venv/bin/python tools/reference_values.py`"


def test_compare_catches_a_moved_number_and_a_changed_word():
    row = "| rd_sales_ratio (strict) | 0.0060 | 0.0067 | 0.0071 | ≥ 0.02 |"
    assert _compare(row, row) == []
    assert _compare(row, row.replace("0.0071", "0.0072")) == []  # one unit of the last digit
    assert _compare(row, row.replace("0.0071", "0.0075"))
    assert _compare("met: `brands`", "met: `erp_share`")
