"""calibrate(): reproducibility of calibration/parameters.yaml, provenance of every parameter,
the model reading calibrated defaults, the priors `calibrated:` block, report and CLI."""

from pathlib import Path

import pytest
import yaml

from model.calibrate import calibrate
from model.calibrate.api import PRIORS_MARKER
from model.parameters import load_parameters
from model.paths import CALIBRATION_DIR

PARAMS = CALIBRATION_DIR / "parameters.yaml"
PRIORS = CALIBRATION_DIR / "priors.yaml"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calib")
    res = calibrate(params_out=tmp / "parameters.yaml", priors_out=tmp / "priors.yaml",
                    report_dir=tmp / "report")
    return tmp, res


def test_reproduces_committed_parameters_byte_identical(fresh):
    tmp, _ = fresh
    assert (tmp / "parameters.yaml").read_bytes() == PARAMS.read_bytes()


def test_rerun_is_deterministic(fresh):
    _, res = fresh
    again = calibrate(write=False)
    assert again.text == res.text


def test_committed_priors_calibrated_block_is_current(fresh):
    tmp, _ = fresh
    new = (tmp / "priors.yaml").read_text(encoding="utf-8").split(PRIORS_MARKER)[1]
    old = PRIORS.read_text(encoding="utf-8").split(PRIORS_MARKER)[1]
    assert new == old


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
    assert set(res.backtest) == {"gdp_growth", "depreciation", "energy_growth"}


def test_cli_check(capsys):
    from model.cli import main

    assert main(["calibrate", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_writes_to_paths(tmp_path: Path):
    from model.cli import main

    rc = main(["calibrate", "--params-out", str(tmp_path / "p.yaml"), "--priors-out",
               str(tmp_path / "priors.yaml"), "--no-report"])
    assert rc == 0
    assert (tmp_path / "p.yaml").read_bytes() == PARAMS.read_bytes()
