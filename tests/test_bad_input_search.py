"""Bad-input suite: ``mfgbase search`` options. Each bad option gets one clear message, exit 2,
and nothing is written. The four cases of issue #15 run the command in a subprocess against a
throw-away project tree (hashed before and after); the others run ``model.cli.main`` in-process
(fast) and check the output folder was never created."""

from __future__ import annotations

import pytest

from tests._bad_input import assert_clean_failure, make_workspace

PLAN = "scenarios/plan-2004.yaml"


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return make_workspace(tmp_path_factory.mktemp("search"))


CASES = [
    (("--alpha", "1.2"), "--alpha 1.2: outside (0, 1)"),
    (("--alpha", "0"), "--alpha 0: outside (0, 1)"),
    (("--alpha", "1"), "outside (0, 1)"),
    (("--alpha", "high"), "--alpha: 'high' is not a number"),
    (("--alpha", "nan"), "outside (0, 1)"),
    (("--budget", "-5"), "--budget -5: must be a number >= 0"),
    (("--lock", "fdi_subsidy=3"), "--lock fdi_subsidy: 'fdi_subsidy' is not an instrument; allowed: renovation_grants"),
    (("--lock", "rd_tax_credit=0.9"), "--lock rd_tax_credit=0.9: outside the instrument's range; allowed 0 to 0.5"),
    (("--lock", "rd_tax_credit"), "expected name=value"),
    (("--lock", "rd_special_fund=1", "--lock", "rd_special_fund=2"), "given twice"),
    (("--require", "brands=0.9"), "--require brands: not a scored target"),
    (("--require", "fdi_share=2"), "--require fdi_share 2: outside (0, 1)"),
    (("--targets", "erp_share,bogus"), "--targets bogus: not a scored target"),
    (("--samples", "0"), "--samples 0: allowed a whole number from 10"),
    (("--samples", "many"), "expected a whole number"),
]
IDS = ["alpha-above-1", "alpha-0", "alpha-1", "alpha-text", "alpha-nan", "budget-negative", "lock-unknown",
        "lock-out-of-range", "lock-no-value", "lock-twice", "require-designation", "require-p", "targets-unknown",
        "samples-0", "samples-text"]
ISSUE_CASES = ("alpha-above-1", "budget-negative", "lock-unknown", "lock-out-of-range")


@pytest.mark.parametrize("args, expect", [c for c, i in zip(CASES, IDS, strict=True) if i in ISSUE_CASES],
                         ids=ISSUE_CASES)
def test_bad_search_options_subprocess(ws, args, expect):
    before = ws.state()
    proc = ws.mfgbase("search", PLAN, "--prim-samples", "0", *args, timeout=120)
    assert_clean_failure(proc, codes=(2,), contains=expect)
    assert ws.state() == before
    assert not any(ws.results.iterdir())


@pytest.mark.parametrize("args, expect", CASES, ids=IDS)
def test_bad_search_options_in_process(tmp_path, capsys, args, expect):
    from model.cli import main
    from tests._bad_input import ROOT

    out = tmp_path / "out"
    try:
        code = main(["search", str(ROOT / PLAN), "--prim-samples", "0", "--out", str(out), *args])
    except SystemExit as exc:  # argparse's own refusals (a value of the wrong type)
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert expect in err and "Traceback" not in err and err.count("error:") == 1
    assert not out.exists() and not any(tmp_path.iterdir())
