"""Fit the dynamic parameters to the historical series (penalised least squares).

Residual vector (each block divided by its series' noise scale sigma):
  output growth   dln Y_obs[t]  - dln Y_model[t]     (t = START+1 .. fit_end)
  depreciation    ln D_obs[t]   - ln D_model[t]      (t = START .. fit_end)
  prior rows      (theta - central) / prior_sd,  prior_sd = (high - low) / 4
Sigmas are set by two passes (feasible weighted least squares): pass 1 with nominal sigmas,
pass 2 with each series' pass-1 RMSE (floored at SIGMA_FLOOR). Standard errors from the Jacobian
at the optimum: cov = s^2 (J^T J)^-1 with s^2 = SSR / (n_rows - p), prior rows included.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import least_squares

from model import equations
from model.parameters import ParameterSet
from model.studies.calibrate import equations as eq
from model.studies.calibrate.history import START, History

#: Parameters in the fit vector (all enter the historical equations).
#: ``aeei`` is not fitted here: an aggregate dlnE = -aeei + dlnGDP would count structural change as
#: efficiency; it is estimated on manufacturing sectors in ``model.energy_history`` (rules A1-A5).
FITTED: tuple[str, ...] = ("tfp_growth", "alpha_k", "delta_k")
#: Parameters of the historical equations held at their prior central value.
HELD: tuple[str, ...] = ("rd_return",)
SERIES: tuple[str, ...] = ("gdp_growth", "depreciation")
NOMINAL_SIGMA = {"gdp_growth": 0.01, "depreciation": 0.05}
SIGMA_FLOOR = 0.005
INITIAL_CAPITAL_RATIO = 0.10  # K_1952 = I_1952 / 0.10 (base-year rule R5)
#: Posterior sd / prior sd below IDENTIFIED_RATIO: identified by the data; below INFORMED_RATIO:
#: informed by the data but still leaning on the prior; otherwise prior-dominated (the data add
#: little: the fitted value is reported but the model keeps the literature prior).
IDENTIFIED_RATIO = 0.5
INFORMED_RATIO = 0.9
#: Which series inform which parameter (by the equations they enter).
INFORMED_BY = {
    "tfp_growth": ("gdp_growth",),
    "alpha_k": ("gdp_growth",),
    "delta_k": ("depreciation", "gdp_growth"),
}


@dataclass(frozen=True)
class Prior:
    central: float
    sd: float
    low: float
    high: float


def priors_for(params: ParameterSet, names=FITTED) -> dict[str, Prior]:
    """Prior (central, sd = (high - low)/4, bounds) of each fitted parameter, from priors.yaml."""
    return {
        n: Prior(params[n].central, (params[n].high - params[n].low) / 4.0, params[n].low, params[n].high)
        for n in names
    }


def historical_run(theta: dict[str, float], hist: History) -> dict[str, np.ndarray]:
    """Run the aggregate historical driver over the window with the realised inputs.

    Returns model paths over ``hist.years``: capital (2003 prices), dln_y (NaN at index 0),
    gdp_real (anchored to the observed first year), depreciation (nominal).
    """
    k_all = eq.capital_stock(
        hist.real_investment, theta["delta_k"], hist.real_investment[0] / INITIAL_CAPITAL_RATIO
    )
    i0 = int(np.searchsorted(hist.inv_years, hist.years[0]))
    k = k_all[i0 : i0 + hist.years.size]
    k_prev = k_all[i0 - 1 : i0 - 1 + hist.years.size]
    p_inv = hist.inv_deflator[i0 : i0 + hist.years.size]
    # R&D / output of the previous year is observed as a ratio: output_prev = 1
    dln_a = equations.tfp_log_growth(theta["tfp_growth"], theta["rd_return"], hist.rd_to_gdp[:-1], 1.0)
    # Cobb-Douglas in growth rates (the log form is linear)
    dln_y = equations.log_value_added(dln_a, theta["alpha_k"], np.diff(np.log(k)), np.diff(np.log(hist.labour)))
    nan = np.array([np.nan])
    return {
        "capital": k,
        "dln_y": np.concatenate([nan, dln_y]),
        "gdp_real": hist.gdp_real[0] * np.exp(np.concatenate([[0.0], np.cumsum(dln_y)])),
        "depreciation": eq.depreciation(theta["delta_k"], k_prev, p_inv),
    }


def observed(hist: History) -> dict[str, np.ndarray]:
    """Observed series over the window in the residual's form (NaN where undefined)."""
    nan = np.array([np.nan])
    return {
        "gdp_growth": np.concatenate([nan, np.diff(np.log(hist.gdp_real))]),
        "depreciation": np.log(hist.depreciation),
    }


def modelled(run: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {
        "gdp_growth": run["dln_y"],
        "depreciation": np.log(run["depreciation"]),
    }


def _masks(hist: History, fit_end: int) -> dict[str, np.ndarray]:
    y = hist.years
    return {
        "gdp_growth": (y > START) & (y <= fit_end),
        "depreciation": (y >= START) & (y <= fit_end),
    }


@dataclass
class Fit:
    """Result of one penalised least-squares fit."""

    names: tuple[str, ...]
    theta: dict[str, float]
    se: dict[str, float]
    cov: np.ndarray
    priors: dict[str, Prior]
    held: dict[str, float]
    sigma: dict[str, float]
    stats: dict[str, dict]
    fit_end: int
    at_bound: dict[str, bool]
    s2: float
    n_data: int
    run: dict[str, np.ndarray] = field(repr=False, default_factory=dict)

    def posterior_ratio(self, name: str) -> float:
        """Posterior sd / prior sd (1 = the data add nothing; small = identified by data)."""
        return self.se[name] / self.priors[name].sd

    def status(self, name: str) -> str:
        """'identified', 'informed', 'prior_dominated' or 'at_bound'."""
        if self.at_bound[name]:
            return "at_bound"
        ratio = self.posterior_ratio(name)
        if ratio < IDENTIFIED_RATIO:
            return "identified"
        return "informed" if ratio < INFORMED_RATIO else "prior_dominated"

    def calibrated(self, name: str) -> bool:
        """Does the fitted value become the model default? (identified or informed)."""
        return self.status(name) in ("identified", "informed")

    def correlation(self) -> np.ndarray:
        d = np.sqrt(np.diag(self.cov))
        return self.cov / np.outer(d, d)


def fit(
    hist: History,
    priors: dict[str, Prior],
    held: dict[str, float],
    fit_end: int,
    names: tuple[str, ...] = FITTED,
) -> Fit:
    """Penalised least squares over years up to ``fit_end`` (two passes, see module docstring)."""
    obs = observed(hist)
    masks = _masks(hist, fit_end)
    lo = np.array([priors[n].low for n in names])
    hi = np.array([priors[n].high for n in names])
    x0 = np.array([priors[n].central for n in names])
    c = x0.copy()
    sd = np.array([priors[n].sd for n in names])

    def theta_of(x):
        return {**held, **dict(zip(names, (float(v) for v in x), strict=True))}

    def data_resid(x):
        mod = modelled(historical_run(theta_of(x), hist))
        return {s: (obs[s] - mod[s])[masks[s]] for s in SERIES}

    def resid(x, sig):
        d = data_resid(x)
        return np.concatenate([d[s] / sig[s] for s in SERIES] + [(x - c) / sd])

    sigma = dict(NOMINAL_SIGMA)
    x = x0
    for _ in range(2):
        res = least_squares(resid, x, bounds=(lo, hi), args=(sigma,), method="trf",
                            x_scale=sd, xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=2000)
        x = res.x
        d = data_resid(x)
        sigma = {s: max(float(np.sqrt(np.mean(d[s] ** 2))), SIGMA_FLOOR) for s in SERIES}
    res = least_squares(resid, x, bounds=(lo, hi), args=(sigma,), method="trf",
                        x_scale=sd, xtol=1e-12, ftol=1e-12, gtol=1e-12, max_nfev=2000)
    x = res.x
    r = resid(x, sigma)
    n_rows, p = r.size, x.size
    s2 = float(r @ r / (n_rows - p))
    j = res.jac
    cov = s2 * np.linalg.inv(j.T @ j)
    se = np.sqrt(np.diag(cov))
    theta = theta_of(x)
    run = historical_run(theta, hist)
    mod = modelled(run)
    stats = {}
    for s in SERIES:
        m = masks[s]
        e = obs[s][m] - mod[s][m]
        ybar = obs[s][m].mean()
        sst = float(np.sum((obs[s][m] - ybar) ** 2))
        stats[s] = {
            "n": int(m.sum()),
            "rmse": float(np.sqrt(np.mean(e**2))),
            "r2": float(1.0 - np.sum(e**2) / sst) if sst > 0 else float("nan"),
            "years": [int(hist.years[m][0]), int(hist.years[m][-1])],
        }
    tol = 1e-6 * (hi - lo)
    at_bound = {n: bool(x[i] - lo[i] < tol[i] or hi[i] - x[i] < tol[i]) for i, n in enumerate(names)}
    return Fit(
        names=tuple(names),
        theta={n: theta[n] for n in names},
        se=dict(zip(names, (float(v) for v in se), strict=True)),
        cov=cov,
        priors=priors,
        held=dict(held),
        sigma=sigma,
        stats=stats,
        fit_end=fit_end,
        at_bound=at_bound,
        s2=s2,
        n_data=int(sum(masks[s].sum() for s in SERIES)),
        run=run,
    )


def synthetic_history(hist: History, theta: dict[str, float], noise: dict[str, float], seed: int) -> History:
    """History whose observed series are generated by the historical equations at ``theta``
    (realised inputs kept), plus normal noise of the given sd per series (log / log-growth)."""
    rng = np.random.default_rng(seed)
    run = historical_run(theta, hist)
    n = hist.years.size
    dln_y = run["dln_y"][1:] + rng.normal(0.0, noise["gdp_growth"], n - 1)
    gdp = hist.gdp_real[0] * np.exp(np.concatenate([[0.0], np.cumsum(dln_y)]))
    dep = run["depreciation"] * np.exp(rng.normal(0.0, noise["depreciation"], n))
    return replace(hist, gdp_real=gdp, depreciation=dep)
