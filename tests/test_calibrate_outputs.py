"""calibrate(): reproducibility of calibration/parameters.yaml (within the stated tolerance,
never byte for byte across machines), provenance of every parameter, the model reading
calibrated defaults, the priors `calibrated:` block, report and CLI."""

import shutil
from pathlib import Path

import pytest
import yaml

from model.outputs.calibration import write_calibration
from model.parameters import load_parameters
from model.paths import CALIBRATION_DIR
from model.studies.calibrate import api, calibrate
from model.studies.calibrate import fit as F
from model.studies.calibrate import precision as P
from model.studies.calibrate.api import PRIORS_MARKER, parameters_differences, priors_differences

PARAMS = CALIBRATION_DIR / "parameters.yaml"
PRIORS = CALIBRATION_DIR / "priors.yaml"


def fit_and_write(calibration_dir=None, **where):
    """What `mfgbase calibrate` does: fit (writes nothing), then write_calibration."""
    res = calibrate(calibration_dir)
    write_calibration(res, **where)
    return res


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calib")
    res = fit_and_write(params_out=tmp / "parameters.yaml", priors_out=tmp / "priors.yaml",
                        report_dir=tmp / "report")
    return tmp, res


def test_reproduces_committed_parameters_within_tolerance(fresh):
    tmp, res = fresh
    assert parameters_differences(PARAMS, res.text) == []
    assert parameters_differences(tmp / "parameters.yaml", PARAMS.read_text(encoding="utf-8")) == []


def test_committed_values_carry_only_the_digits_their_se_justifies():
    fitted = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    for name, rec in {**fitted["estimates"], **fitted["prior_only"]}.items():
        assert P.round_estimate(rec["value"], rec["se"]) == (rec["value"], rec["se"]), name
        assert P.round_estimate(rec["backtest_value"], rec["backtest_se"]) == \
            (rec["backtest_value"], rec["backtest_se"]), name
        assert len(f"{rec['se']:.10g}".lstrip("0.").rstrip("0")) <= P.SE_DIGITS, name
    for v in fitted["calibration"]["correlation"]["tfp_growth"].values():
        assert P.round_sig(v) == v


def test_rounding_rule_examples():
    # the figures of the issue: 0.04557166301 on one CPU, ...307 on another
    assert P.round_estimate(0.04557166301, 0.004557166) == (0.04557, 0.00456)
    assert P.round_estimate(0.04557166307, 0.004557166) == (0.04557, 0.00456)
    assert P.round_estimate(0.04557166301, 0.01302548324) == (0.0456, 0.013)
    assert P.round_estimate(1234.567, 123.4) == (1235.0, 123.0)
    assert P.round_estimate(0.5, 0.0) == (0.5, 0.0)  # no se: 4 significant digits
    assert P.round_sig(-0.000121973115) == -0.000122


def test_tolerance_has_teeth():
    doc = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    assert P.agree(doc, doc)

    def moved(path, f):
        d = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = f(node[path[-1]], node)
        return d

    se = doc["estimates"]["delta_k"]["se"]
    # an estimate moved by 1 % of its se agrees, by 5 % it does not
    assert P.agree(doc, moved(["estimates", "delta_k", "value"], lambda v, n: v + 0.01 * se))
    assert not P.agree(doc, moved(["estimates", "delta_k", "value"], lambda v, n: v + 0.05 * se))
    assert P.agree(doc, moved(["estimates", "delta_k", "se"], lambda v, n: v * 1.01))
    assert not P.agree(doc, moved(["estimates", "delta_k", "se"], lambda v, n: v * 1.05))
    assert P.agree(doc, moved(["calibration", "s2"], lambda v, n: v * (1 + 1e-3)))
    assert not P.agree(doc, moved(["calibration", "s2"], lambda v, n: v * 1.01))
    assert not P.agree(doc, moved(["estimates", "delta_k", "status"], lambda v, n: "at_bound"))
    key = "calibration/observations.csv"
    assert not P.agree(doc, moved(["data", "sha256", key], lambda v, n: "0" * 64))
    extra = moved(["estimates"], lambda v, n: {**v, "new_param": v["delta_k"]})
    assert any("only in" in d for d in P.differences(doc, extra))


@pytest.fixture
def calib_copy(tmp_path):
    """A copy of calibration/ in which `mfgbase calibrate` may write."""
    dst = tmp_path / "calibration"
    shutil.copytree(CALIBRATION_DIR, dst)
    return dst


def _snapshot(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_calibrate_on_another_machine_leaves_files_untouched(calib_copy, monkeypatch):
    """A fit that differs in the 10th digit (another CPU / BLAS) rewrites nothing."""
    before = _snapshot(calib_copy)
    real_fit = F.fit

    def noisy_fit(*args, **kwargs):
        f = real_fit(*args, **kwargs)
        f.theta.update({k: v * (1 + 3e-10) for k, v in f.theta.items()})
        f.se.update({k: v * (1 - 3e-10) for k, v in f.se.items()})
        return f

    monkeypatch.setattr(F, "fit", noisy_fit)
    res = fit_and_write(calib_copy, report=False)
    assert set(res.unchanged) == {"parameters", "priors"} and not res.paths
    assert _snapshot(calib_copy) == before


def test_calibrate_rewrites_a_stale_file(calib_copy):
    doc = yaml.safe_load((calib_copy / "parameters.yaml").read_text(encoding="utf-8"))
    doc["estimates"]["delta_k"]["value"] += 0.1 * doc["estimates"]["delta_k"]["se"]
    (calib_copy / "parameters.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    from model.cli import main

    assert main(["calibrate", "--calibration-dir", str(calib_copy), "--check"]) == 1
    res = fit_and_write(calib_copy, report=False)
    assert "parameters" in res.paths and "priors" in res.unchanged
    assert (calib_copy / "parameters.yaml").read_text(encoding="utf-8") == res.text
    assert main(["calibrate", "--calibration-dir", str(calib_copy), "--check"]) == 0


def test_rerun_is_deterministic(fresh):
    _, res = fresh
    again = calibrate()
    assert again.text == res.text


def test_committed_priors_calibrated_block_is_current(fresh):
    tmp, res = fresh
    assert priors_differences(PRIORS.read_text(encoding="utf-8"),
                              api.calibrated_priors_block(res.fit)) == []
    head = (tmp / "priors.yaml").read_text(encoding="utf-8").split(PRIORS_MARKER)[0]
    assert head == PRIORS.read_text(encoding="utf-8").split(PRIORS_MARKER)[0]


def test_every_parameter_has_source_or_fit_record():
    pri = yaml.safe_load(PRIORS.read_text(encoding="utf-8"))
    fitted = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))
    for name, entry in pri["parameters"].items():
        assert str(entry.get("source", "")).strip(), name
    for name, rec in {**fitted["estimates"], **fitted["prior_only"]}.items():
        assert name in pri["parameters"]
        assert rec["series"] and rec["se"] > 0 and "central" in rec["prior"], name
        assert rec["status"] in ("identified", "informed", "prior_dominated", "at_bound")
    for name, rec in pri["calibrated"].items():
        assert name in fitted["estimates"]
        assert rec["source"].startswith("calibration:")
        assert rec["distribution"] == "truncnorm"
        assert rec["low"] <= rec["mean"] <= rec["high"] and rec["sd"] > 0
    assert set(pri["calibrated"]) == set(fitted["estimates"])
    for s, st in fitted["fit"].items():
        assert st["n"] > 0 and st["rmse"] >= 0, s
    assert len(fitted["data"]["sha256"]["calibration/observations.csv"]) == 64


def test_model_uses_calibrated_values():
    from model.run import load_model

    fitted = yaml.safe_load(PARAMS.read_text(encoding="utf-8"))["estimates"]
    params = load_model().parameters
    assert "tfp_growth" in fitted
    for name, rec in fitted.items():
        assert params[name].default == rec["value"]
        assert params[name].fitted_se == rec["se"]
    # parameters the data do not identify keep the literature prior
    for name in yaml.safe_load(PARAMS.read_text(encoding="utf-8"))["prior_only"]:
        assert params[name].default == params[name].central


def test_priors_with_calibrated_block_still_load():
    ps = load_parameters(use_fitted=False)
    assert "alpha_k" in ps and "calibrated" not in ps


def test_report_and_plots_written(fresh):
    tmp, res = fresh
    rep = tmp / "report"
    text = (rep / "report.md").read_text(encoding="utf-8")
    assert "Back-test" in text and "MAPE" in text
    for f in ("fit.png", "residuals.png", "backtest.png"):
        assert (rep / f).stat().st_size > 1000
    assert set(res.backtest) == {"gdp_growth", "depreciation"}


def test_cli_check(capsys):
    from model.cli import main

    assert main(["calibrate", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_writes_to_paths(tmp_path: Path):
    from model.cli import main

    rc = main(["calibrate", "--params-out", str(tmp_path / "p.yaml"), "--priors-out",
               str(tmp_path / "priors.yaml"), "--no-report"])
    assert rc == 0
    assert parameters_differences(PARAMS, (tmp_path / "p.yaml").read_text(encoding="utf-8")) == []
