"""``calibrate()``: fit, back-test and build the ``parameters.yaml`` document and the
``calibrated:`` block of ``priors.yaml`` (data only; :func:`model.outputs.calibration.write_calibration`
writes them and the report in ``results/calibration/``).

Determinism: the output YAML has sorted keys and no timestamps; inputs are identified by sha256
content hashes; fitted numbers keep only the digits their standard errors justify (rules in
``model/studies/calibrate/precision.py``). Rerunning on the same data gives a byte-identical
``parameters.yaml`` on one machine; across machines two fits agree within the tolerance of
``precision.differences``, and a file that already agrees within it is left untouched (so
``mfgbase calibrate`` on a clean checkout leaves git clean).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from model.errors import DataError
from model.observations import load_observations
from model.parameters import PRIORS_FILE, load_parameters
from model.paths import CALIBRATION_DIR
from model.safeio.safe_yaml import load_mapping
from model.studies.calibrate import fit as F
from model.studies.calibrate import precision as P
from model.studies.calibrate.history import END, START, History, build_history

BACKTEST_END = 2000
PRIORS_MARKER = "# ==== calibrated: written by `mfgbase calibrate` (do not edit by hand) ===="
SERIES_LABELS = {
    "gdp_growth": "Zhejiang real GDP growth (revised vintage, composite deflator)",
    "depreciation": "Zhejiang income-approach depreciation (nominal, log)",
}
LEVEL_SERIES = {"gdp_growth": "gdp_real", "depreciation": "depreciation"}


def _r(x: float) -> float:
    """Round to 10 significant digits (stable YAML output of inputs copied from priors.yaml;
    fitted numbers are rounded before, by the rules of ``model.studies.calibrate.precision``)."""
    return float(f"{float(x):.10g}")


def _diag(obj):
    """Every float in ``obj`` (a fit diagnostic) at ``precision.DIAG_DIGITS`` significant digits."""
    if isinstance(obj, dict):
        return {k: _diag(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_diag(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return P.round_sig(obj)
    return obj


def _clean(obj):
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return None if not np.isfinite(obj) else _r(obj)
    return obj


def dump_yaml(doc: dict) -> str:
    return yaml.safe_dump(_clean(doc), sort_keys=True, allow_unicode=True, width=100,
                          default_flow_style=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _priors_hash(path: Path) -> str:
    """sha256 of the ``parameters:`` mapping of priors.yaml (canonical JSON), so that the
    ``calibrated:`` block this command writes does not feed back into the hash."""
    doc = load_mapping(path, "parameter priors file", error=DataError)
    canon = json.dumps(doc["parameters"], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


@dataclass
class BacktestRow:
    series: str
    years: list[int]
    observed: list[float]
    model: list[float]
    naive: list[float]
    mape_model: float
    bias_model: float
    mape_naive: float
    bias_naive: float

    @property
    def winner(self) -> str:
        return "model" if self.mape_model < self.mape_naive else "naive"


@dataclass
class CalibrationResult:
    """Full-window fit, back-test fit and its forecast errors, and the written document."""

    fit: F.Fit
    backtest_fit: F.Fit
    backtest: dict[str, BacktestRow]
    history: History
    document: dict
    text: str
    #: the ``calibrated:`` mapping of priors.yaml (:func:`update_priors_text`)
    priors_block: dict = field(default_factory=dict)
    #: the calibration folder the fit read
    calibration_dir: Path = CALIBRATION_DIR
    #: files :func:`model.outputs.calibration.write_calibration` wrote (empty until then)
    paths: dict[str, Path] = field(default_factory=dict)
    #: files it left as they were because they already agree with this fit within tolerance
    unchanged: dict[str, Path] = field(default_factory=dict)

    @property
    def estimates(self) -> dict[str, dict]:
        return self.document["estimates"]


def backtest(hist: History, bt_fit: F.Fit, end: int = BACKTEST_END) -> dict[str, BacktestRow]:
    """Project end+1..END with the back-test parameters and the realised inputs; compare with
    the observed levels and with a naive trend (mean log growth of START..end, from the level
    in ``end``). Errors in % of observed: MAPE and bias (mean of model - observed)."""
    run = F.historical_run({**bt_fit.held, **bt_fit.theta}, hist)
    y = hist.years
    i_end = int(np.where(y == end)[0][0])
    h = y > end
    steps = (y[h] - end).astype(float)
    out = {}
    for s, lvl in LEVEL_SERIES.items():
        obs = getattr(hist, lvl)
        if lvl == "depreciation":
            mod = run[lvl][h]
        else:  # growth equations: project from the observed level in `end`
            mod = obs[i_end] * run[lvl][h] / run[lvl][i_end]
        g = np.mean(np.diff(np.log(obs[: i_end + 1])))
        naive = obs[i_end] * np.exp(g * steps)
        e_m = 100.0 * (mod - obs[h]) / obs[h]
        e_n = 100.0 * (naive - obs[h]) / obs[h]
        out[s] = BacktestRow(
            series=s, years=[int(v) for v in y[h]], observed=list(obs[h]), model=list(mod),
            naive=list(naive), mape_model=float(np.mean(np.abs(e_m))), bias_model=float(np.mean(e_m)),
            mape_naive=float(np.mean(np.abs(e_n))), bias_naive=float(np.mean(e_n)),
        )
    return out


def _document(full: F.Fit, bt_fit: F.Fit, bt: dict[str, BacktestRow], hist: History,
              obs_path: Path, priors_path: Path) -> dict:
    estimates, prior_only = {}, {}
    for n in full.names:
        pr = full.priors[n]
        value, se = P.round_estimate(full.theta[n], full.se[n])
        bt_value, bt_se = P.round_estimate(bt_fit.theta[n], bt_fit.se[n])
        rec = {
            "value": value,
            "se": se,
            "prior": {"central": pr.central, "sd": pr.sd, "low": pr.low, "high": pr.high,
                      "penalty": "(theta - central) / sd, sd = (high - low) / 4"},
            "posterior_to_prior_sd": P.round_sig(full.posterior_ratio(n)),
            "status": full.status(n),
            "at_bound": full.at_bound[n],
            "series": [SERIES_LABELS[s] for s in F.INFORMED_BY[n]],
            "window": [START, END],
            "backtest_value": bt_value,
            "backtest_se": bt_se,
        }
        if full.calibrated(n):
            estimates[n] = rec
        else:
            prior_only[n] = {**rec, "model_default": pr.central,
                             "why": "data add little (posterior sd >= 0.9 prior sd) or estimate at a bound; "
                                    "the model keeps the literature prior"}
    corr = full.correlation()
    return {
        "calibration": {
            "method": "scipy.optimize.least_squares (trf, bounds = prior range) on weighted residuals "
                      "plus prior rows; two-pass series weights (1/RMSE); cov = s^2 (J^T J)^-1 incl. prior rows",
            "window": [START, END],
            "equations": "model/calibrate/equations.py (aggregate versions of core blocks A, B, C)",
            "rules": list(hist.notes),
            "held_at_prior": {k: v for k, v in full.held.items()},
            "s2": P.round_sig(full.s2),
            "n_data": full.n_data,
            "n_prior_rows": len(full.names),
            "correlation": {a: {b: P.round_sig(corr[i, j]) for j, b in enumerate(full.names)}
                            for i, a in enumerate(full.names)},
            "statistical_breaks": [
                "GDP vintage: only `gdp` (post-2004-census revision) is fitted; `gdp_prelim_vintage` unused",
                "above-size scope 1998 / classification 2003: no above-size or sector series enters the fit",
                "population: 2000 census re-basing removed (H3)",
            ],
        },
        "data": {
            "vintage": "calibration/observations.csv built from /work/shared/data "
                       "(zhejiang_1995_2003.csv, zhejiang_sectors_energy.csv, raw/ CapitalStock inputs); "
                       "GDP post-2004-census revised vintage",
            "sha256": {"calibration/observations.csv": _sha256(obs_path),
                       "calibration/priors.yaml#parameters": _priors_hash(priors_path)},
            "series": {s: hist.series_used[k] for s, k in
                       (("gdp_growth", "gdp_real"), ("depreciation", "depreciation"))},
            "inputs": hist.series_used["inputs"],
            "deflator_check_vs_gdp_index": _diag({str(y): {"gdp_index_growth": a, "deflated_growth": b}
                                                  for y, (a, b) in hist.gdp_index_check.items()}),
        },
        "fit": {s: _diag({**full.stats[s], "sigma": full.sigma[s], "label": SERIES_LABELS[s]})
                for s in F.SERIES},
        "backtest": {
            "fit_window": [START, BACKTEST_END],
            "forecast_years": [BACKTEST_END + 1, END],
            "naive": "mean log growth of the fit window, extrapolated from the last fitted year's level",
            "series": {s: _diag({"mape_model_pct": r.mape_model, "bias_model_pct": r.bias_model,
                                 "mape_naive_pct": r.mape_naive, "bias_naive_pct": r.bias_naive,
                                 "better": r.winner}) for s, r in bt.items()},
        },
        "estimates": estimates,
        "prior_only": prior_only,
    }


def calibrated_priors_block(full: F.Fit) -> dict:
    """The ``calibrated:`` mapping of priors.yaml: truncated normal at (estimate, se) on the prior
    bounds, for parameters whose fitted value is the model default."""
    out = {}
    for n in full.names:
        if not full.calibrated(n):
            continue
        pr = full.priors[n]
        mean, sd = P.round_estimate(full.theta[n], full.se[n])
        out[n] = {
            "distribution": "truncnorm",
            "mean": mean,
            "sd": sd,
            "low": pr.low,
            "high": pr.high,
            "source": "calibration: " + "; ".join(SERIES_LABELS[s] for s in F.INFORMED_BY[n])
                      + f", {START}-{END} (calibration/parameters.yaml)",
        }
    return out


def update_priors_text(text: str, block: dict) -> str:
    """priors.yaml text with the calibrated block (after PRIORS_MARKER) replaced."""
    head = text.split(PRIORS_MARKER)[0].rstrip("\n") + "\n"
    body = dump_yaml({"calibrated": block})
    comment = (
        "# Calibrated distributions for the sensitivity analysis: name -> {distribution: truncnorm,\n"
        "# mean: estimate, sd: standard error, low/high: prior bounds, source}. model/parameters.py\n"
        "# reads only `parameters:`; see calibration/README.md, section Calibration.\n"
    )
    return f"{head}\n{PRIORS_MARKER}\n{comment}{body}"


def parameters_differences(path: Path, text: str) -> list[str]:
    """Differences beyond the tolerance rule (``model.studies.calibrate.precision``) between the
    parameters file at ``path`` and a fresh document ``text``; ``["missing"]`` if absent."""
    if not path.exists():
        return [f"{path}: missing"]
    old = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(P.differences(old, yaml.safe_load(text)))


def priors_differences(text: str, block: dict) -> list[str]:
    """Differences beyond tolerance between the ``calibrated:`` block of priors.yaml ``text``
    and a fresh ``block``."""
    if PRIORS_MARKER not in text:
        return ["priors.yaml: no calibrated block"]
    old = yaml.safe_load(text.split(PRIORS_MARKER)[1]) or {}
    new = yaml.safe_load(dump_yaml({"calibrated": block}))
    return [f"priors.yaml {d}" for d in P.differences(old, new)]


def check(calibration_dir: str | Path | None = None, params_path: str | Path | None = None) -> list[str]:
    """Refit (writing nothing) and list where the committed ``parameters.yaml`` and the
    ``calibrated:`` block of ``priors.yaml`` differ from it beyond tolerance (empty: current)."""
    cdir = Path(calibration_dir) if calibration_dir else CALIBRATION_DIR
    res = calibrate(cdir)
    path = Path(params_path) if params_path else cdir / "parameters.yaml"
    priors_text = (cdir / PRIORS_FILE).read_text(encoding="utf-8")
    return parameters_differences(path, res.text) + priors_differences(priors_text, res.priors_block)


def calibrate(calibration_dir: str | Path | None = None) -> CalibrationResult:
    """Fit the free dynamic parameters to 1995-2003 and back-test on 2001-2003; writes nothing.

    Write the result with :func:`model.outputs.calibration.write_calibration`
    (``parameters.yaml``, the ``calibrated:`` block of ``priors.yaml``, the report).
    """
    cdir = Path(calibration_dir) if calibration_dir else CALIBRATION_DIR
    obs_path = cdir / "observations.csv"
    priors_path = cdir / PRIORS_FILE
    hist = build_history(load_observations(obs_path))
    params = load_parameters(cdir, use_fitted=False)
    priors = F.priors_for(params)
    held = {n: params[n].central for n in F.HELD}
    full = F.fit(hist, priors, held, END)
    bt_fit = F.fit(hist, priors, held, BACKTEST_END)
    bt = backtest(hist, bt_fit)
    doc = _document(full, bt_fit, bt, hist, obs_path, priors_path)
    # header and the "equations" entry are bytes of the committed calibration/parameters.yaml
    # (`mfgbase calibrate --check` compares them); they name the package path of that refit
    header = ("# Fitted parameters of mfgbase, written by `mfgbase calibrate` (model/calibrate/).\n"
              "# Deterministic: no timestamps; inputs identified by sha256. Do not edit by hand.\n")
    return CalibrationResult(full, bt_fit, bt, hist, doc, header + dump_yaml(doc),
                             priors_block=calibrated_priors_block(full), calibration_dir=cdir)
