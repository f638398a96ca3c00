"""Written outputs: CSVs, self-contained HTML with every chart, Markdown twin, CJK glyphs, CLI."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from model.cli import main
from model.outputs import compare as report_mod
from model.outputs.compare import write_comparison
from model.outputs.compare_charts import scorecard_grid, sector_chart, target_charts
from model.reporting import figure_png
from model.studies.compare import compare
from model.targets import load_targets
from tests.support.checks import embedded_images, external_references

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
FILES = [str(SCENARIOS / f) for f in ("baseline.yaml", "plan-2004.yaml", "green-first.yaml")]
N_CHARTS = 1 + len(load_targets()) + 1  # scorecard grid, one chart per target, sector composition


@pytest.fixture(scope="module")
def cmp():
    return compare(FILES[:2], lang="zh")


@pytest.fixture(scope="module")
def written(cmp, tmp_path_factory):
    out = {}
    for lang in ("zh", "en"):
        out[lang] = write_comparison(cmp, tmp_path_factory.mktemp(lang) / "cmp", lang=lang)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_self_contained_and_embeds_every_chart(written, lang):
    html = (written[lang] / f"report.{lang}.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    charts = sorted((written[lang] / "charts" / lang).glob("*.png"))
    assert len(charts) == N_CHARTS
    assert html.count("data:image/png") == N_CHARTS == embedded_images(html)
    assert "<script" not in html
    if lang == "zh":
        assert 'lang="zh-CN"' in html and "情景比较" in html and "作用最大的杠杆" in html
        assert "逐项切换" in html  # the attribution method is stated
    else:
        assert "Scenario comparison" in html and "Lever that moved it most" in html
        assert "one-at-a-time" in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_markdown_twin_references_existing_charts(written, lang):
    md = (written[lang] / f"report.{lang}.md").read_text(encoding="utf-8")
    refs = [line.split("](")[1].rstrip(")") for line in md.splitlines() if line.startswith("![")]
    assert len(refs) == N_CHARTS
    for ref in refs:
        assert (written[lang] / ref).is_file(), ref
    assert "data:image" not in md


def test_csv_outputs(written, cmp):
    d = written["zh"]
    levers = pd.read_csv(d / "levers.csv")
    assert list(levers.columns) == ["field", "group", "label_en", "label_zh", "unit", "baseline", "plan-2004", "note"]
    assert levers["field"].tolist() == cmp.levers["field"].tolist()
    assert "levers.rd_special_fund.values" in set(levers["field"])
    oc = pd.read_csv(d / "outcomes.csv")
    assert len(oc) == 2 * len(load_targets())
    assert {"scenario", "target_id", "value", "target", "met", "diff_vs_reference", "first_year_met"} <= set(oc.columns)
    assert "not by 2010" in set(oc["first_year_met"].astype(str))
    for name in ("paths.csv", "attribution.csv", "sector_output.csv"):
        assert (d / name).stat().st_size > 0


def test_chinese_charts_have_no_missing_glyphs(cmp):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = itertools.chain(
            [scorecard_grid(cmp, "zh"), sector_chart(cmp, "zh")],
            (f for _t, f in itertools.islice(target_charts(cmp, "zh"), 3)),
        )
        for fig in charts:
            figure_png(fig, dpi=60)
            plt.close(fig)
    glyph = [str(w.message) for w in caught if "glyph" in str(w.message).lower() or "missing from" in str(w.message)]
    assert glyph == []


def test_cli_compare_end_to_end(tmp_path, capsys):
    out = tmp_path / "cmp"
    assert main(["compare", *FILES, "--out", str(out), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "targets met in 2007" in printed and "report.en.html" in printed
    for name in ("levers.csv", "outcomes.csv", "report.en.html", "report.en.md", "report.zh.html", "report.zh.md",
                 "comparison.xlsx", "charts/en/scorecard_grid.png", "charts/zh/sector_output_2007.png",
                 "charts/en/task19_energy_intensity_change.png"):
        assert (out / name).is_file(), name
    oc = pd.read_csv(out / "outcomes.csv")
    assert oc["scenario"].unique().tolist() == ["baseline", "plan-2004", "green-first"]
    assert not list(tmp_path.glob(".cmp.*"))  # no temporary folders left behind


def test_cli_bad_file_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: " + FILES[0] + "\nname: {en: bad, zh: 坏}\nlevers:\n  investmnet: {values: 0.1}\n",
                   encoding="utf-8")
    out = tmp_path / "cmp"
    assert main(["compare", FILES[0], str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'investmnet'" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["compare", FILES[0], "--out", str(out)]) == 2  # one file is not a comparison
    assert not out.exists()
    assert main(["diff", FILES[0], str(bad)]) == 2


def test_zh_and_en_reports_coexist(written):
    """Both languages are written side by side; writing with --lang en does not replace the zh page."""
    for out in written.values():
        zh = (out / "report.zh.html").read_text(encoding="utf-8")
        en = (out / "report.en.html").read_text(encoding="utf-8")
        assert 'lang="zh-CN"' in zh and 'lang="en"' in en
        assert (out / "report.zh.md").is_file() and (out / "report.en.md").is_file()
        assert not (out / "report.html").exists()


def test_failed_write_leaves_earlier_results_intact(cmp, tmp_path, monkeypatch):
    out = tmp_path / "cmp"
    write_comparison(cmp, out)  # earlier results (a folder mfgbase created)
    (out / "earlier.txt").write_text("keep me", encoding="utf-8")
    before = sorted(p.name for p in out.iterdir())

    def boom(self, path):
        raise RuntimeError("disk full")

    monkeypatch.setattr(report_mod._NamedMarkdown, "write", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_comparison(cmp, out)
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "earlier.txt").read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["cmp"]


def test_cli_diff_prints_table(capsys):
    assert main(["diff", FILES[1], str(SCENARIOS / "rd-led.yaml"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "levers.rd_special_fund.values" in out and "Provincial special fund" in out
    assert main(["diff", FILES[1], FILES[1]]) == 0
    assert "完全相同" in capsys.readouterr().out
