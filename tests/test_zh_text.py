"""Chinese text pass: full-width punctuation beside Chinese, codes and numbers untouched, cuts at sentence ends."""

from __future__ import annotations

import pytest

from model.reporting.zh import ascii_punct_after_cjk, cut_at_sentence, fullwidth


@pytest.mark.parametrize("raw, fixed", [
    ("判定方法(逐项切换):对每个情景B,模型运行一次.", "判定方法\uff08逐项切换\uff09\uff1a对每个情景B\uff0c模型运行一次\u3002"),
    ("研发驱动情景(参照): 2007年达成", "研发驱动情景\uff08参照\uff09\uff1a2007年达成"),
    ("1,234.6 亿元(2003年价)", "1,234.6 亿元\uff082003年价\uff09"),
    ("levers.csv:逐字段的输入差异", "levers.csv\uff1a逐字段的输入差异"),
    ("Value 1,234.5 (ok): yes", "Value 1,234.5 (ok): yes"),
])
def test_fullwidth(raw, fixed):
    assert fullwidth(raw) == fixed
    assert ascii_punct_after_cjk(fullwidth(raw)) == []


def test_cut_at_sentence_end_or_clause_end():
    text = "切实加强领导和协调\uff0c根据总体要求\uff0c加快组织实施\u3002落实推进先进制造业基地建设的各项任务和措施"
    shown, cut = cut_at_sentence(text, 30)
    assert cut and shown == "切实加强领导和协调\uff0c根据总体要求\uff0c加快组织实施\u3002\u2026\u2026"
    assert cut_at_sentence("大力发展高技术产业", 30) == ("大力发展高技术产业", False)
    shown, cut = cut_at_sentence("甲" * 20 + "\uff0c" + "乙" * 30, 30)
    assert cut and shown == "甲" * 20 + "\u2026\u2026"
