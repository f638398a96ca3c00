"""Probability of meeting targets, timing, response curves and Monte Carlo filtering.

Inputs are Monte Carlo outputs: ``Y`` of shape ``(n, K)`` (indicator values of n
runs for K targets, e.g. in the scoring year 2007) or ``(n, T, K)`` over years.
A target is met in a run if ``y >= value`` (comparator ``'>='``) or ``y <= value``
(``'<='``).

* :func:`p_met` - ``P(met) = k / n`` per target and ``P(all met)``, with a seeded
  bootstrap percentile interval. Resampling n runs with replacement makes the
  bootstrap count of successes exactly ``Binomial(n, p_hat)``, so the bootstrap is
  drawn from that distribution (identical in law, O(n_boot) instead of O(n n_boot)).
  The Wilson score interval is reported alongside.
* :func:`first_year_reached` - distribution of the first year a target is met.
* :func:`response_curve` - ``P(met | lever in bin)`` with other uncertainties
  integrated out, with Wilson intervals.
* :func:`mc_filter` - regional sensitivity analysis / Monte Carlo filtering
  (Hornberger & Spear 1981; Saltelli et al. 2008 ch. 5): two-sample
  Kolmogorov-Smirnov statistic ``sup_x |F_met(x) - F_missed(x)|`` per input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

COMPARATORS = (">=", "<=")


@dataclass(frozen=True)
class Target:
    """A quantitative target: met if ``value_of_run <comparator> value``."""

    name: str
    value: float
    comparator: str = ">="

    def __post_init__(self) -> None:
        if self.comparator not in COMPARATORS:
            raise ValueError(
                f"target {self.name!r}: comparator must be one of {COMPARATORS}, "
                f"got {self.comparator!r}"
            )

    def met(self, y: np.ndarray) -> np.ndarray:
        """Boolean array: target met (NaN counts as not met)."""
        y = np.asarray(y, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            return y >= self.value if self.comparator == ">=" else y <= self.value


TargetLike = Target | tuple[float, str] | tuple[str, float, str]


def as_targets(targets: Sequence[TargetLike], names: Sequence[str] | None = None) -> list[Target]:
    """Coerce ``Target``, ``(value, comparator)`` or ``(name, value, comparator)`` items."""
    out: list[Target] = []
    for k, t in enumerate(targets):
        if isinstance(t, Target):
            out.append(t)
        elif len(t) == 2:
            name = names[k] if names is not None else f"target{k}"
            out.append(Target(name, float(t[0]), str(t[1])))
        elif len(t) == 3:
            out.append(Target(str(t[0]), float(t[1]), str(t[2])))
        else:
            raise ValueError(f"cannot interpret target {t!r}")
    return out


def met_matrix(Y: np.ndarray, targets: Sequence[TargetLike]) -> np.ndarray:
    """Boolean ``met`` of shape ``Y.shape`` (last axis = targets)."""
    Y = np.asarray(Y, dtype=np.float64)
    ts = as_targets(targets)
    if Y.shape[-1] != len(ts):
        raise ValueError(f"Y has {Y.shape[-1]} columns but {len(ts)} targets were given")
    return np.stack([t.met(Y[..., k]) for k, t in enumerate(ts)], axis=-1)


def wilson_interval(k: np.ndarray | int, n: np.ndarray | int, conf_level: float = 0.95):
    """Wilson score interval for a binomial proportion ``k / n``.

    ``(p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``, z the normal quantile.
    Returns ``(lo, hi)`` (NaN where n == 0).
    """
    k = np.asarray(k, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    z = stats.norm.ppf(0.5 + conf_level / 2.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        den = 1.0 + z**2 / n
        centre = (p + z**2 / (2 * n)) / den
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / den
        lo = np.where(k <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        hi = np.where(k >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
        lo = np.where(n > 0, lo, np.nan)
        hi = np.where(n > 0, hi, np.nan)
    return lo, hi


def p_met(
    Y: np.ndarray,
    targets: Sequence[TargetLike],
    names: Sequence[str] | None = None,
    n_boot: int = 2000,
    conf_level: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Probability that each target is met, and that all are met jointly.

    Parameters
    ----------
    Y : ndarray (n, K)
        Indicator values per run and target.
    targets : sequence
        K targets (:class:`Target` or ``(value, comparator)``).
    names : sequence of str, optional
        Names for ``(value, comparator)`` targets.
    n_boot : int
        Bootstrap replicates.
    conf_level : float
    seed : int, optional

    Returns
    -------
    DataFrame indexed by target name (plus ``'all'``) with columns
    ``value, comparator, n, n_met, p, boot_lo, boot_hi, wilson_lo, wilson_hi``.
    """
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim == 1:
        Y = Y[:, None]
    ts = as_targets(targets, names)
    met = met_matrix(Y, ts)
    n = met.shape[0]
    cols = [met[:, k] for k in range(met.shape[1])] + [met.all(axis=1)]
    labels = [t.name for t in ts] + ["all"]
    rng = np.random.default_rng(seed)
    alpha = (1.0 - conf_level) / 2.0
    rows = []
    for lab, m, t in zip(labels, cols, [*ts, None], strict=True):
        k = int(m.sum())
        p = k / n if n else np.nan
        boot = rng.binomial(n, p, size=n_boot) / n if n else np.full(n_boot, np.nan)
        blo, bhi = np.quantile(boot, [alpha, 1.0 - alpha])
        wlo, whi = wilson_interval(k, n, conf_level)
        rows.append(
            {
                "target": lab,
                "value": t.value if t else np.nan,
                "comparator": t.comparator if t else "all",
                "n": n,
                "n_met": k,
                "p": p,
                "boot_lo": float(blo),
                "boot_hi": float(bhi),
                "wilson_lo": float(wlo),
                "wilson_hi": float(whi),
            }
        )
    return pd.DataFrame(rows).set_index("target")


def first_year_reached(
    Y: np.ndarray,
    years: Sequence[int],
    targets: Sequence[TargetLike],
    names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Distribution of the first year in which each target is met.

    Parameters
    ----------
    Y : ndarray (n, T, K)
    years : sequence of int, length T
    targets : K targets

    Returns
    -------
    Tidy DataFrame ``target, first_year, label, count, share, cumulative`` with one row
    per year and a final row ``first_year = <NA>``, ``label = 'not by <last year>'``.
    ``cumulative`` is P(reached by that year).
    """
    Y = np.asarray(Y, dtype=np.float64)
    if Y.ndim != 3:
        raise ValueError(f"Y must be (n, years, K), got shape {Y.shape}")
    years = [int(y) for y in years]
    if len(years) != Y.shape[1]:
        raise ValueError(f"{len(years)} years for {Y.shape[1]} year columns")
    ts = as_targets(targets, names)
    met = met_matrix(Y, ts)  # (n, T, K)
    n, T, _ = met.shape
    any_met = met.any(axis=1)  # (n, K)
    first = np.where(any_met, met.argmax(axis=1), T)  # T = not reached
    rows = []
    for k, t in enumerate(ts):
        counts = np.bincount(first[:, k], minlength=T + 1)
        cum = np.cumsum(counts[:T]) / n
        for j in range(T + 1):
            rows.append(
                {
                    "target": t.name,
                    "first_year": years[j] if j < T else pd.NA,
                    "label": str(years[j]) if j < T else f"not by {years[-1]}",
                    "count": int(counts[j]),
                    "share": counts[j] / n,
                    "cumulative": cum[j] if j < T else np.nan,
                }
            )
    df = pd.DataFrame(rows)
    df["first_year"] = df["first_year"].astype("Int64")
    return df


def response_curve(
    x_lever: np.ndarray,
    met: np.ndarray,
    bins: int | Sequence[float] = 10,
    conf_level: float = 0.95,
    quantile_bins: bool = False,
) -> pd.DataFrame:
    """P(met) as a function of one lever, other uncertainties integrated out.

    Runs are binned on ``x_lever``; in each bin ``P = k / n`` with a Wilson interval.

    Parameters
    ----------
    x_lever : ndarray (n,)
    met : ndarray (n,) of bool
    bins : int or sequence of edges
        Number of equal-width bins over the range of ``x_lever`` (or of equal-count bins
        when ``quantile_bins``), or explicit edges.
    conf_level : float

    Returns
    -------
    DataFrame ``bin_lo, bin_hi, x_mid, x_mean, n, n_met, p, lo, hi`` (one row per bin;
    empty bins have NaN p).
    """
    x = np.asarray(x_lever, dtype=np.float64).reshape(-1)
    m = np.asarray(met, dtype=bool).reshape(-1)
    if x.shape != m.shape:
        raise ValueError(f"x_lever ({x.size}) and met ({m.size}) differ in length")
    if np.isscalar(bins) or isinstance(bins, int):
        nb = int(bins)
        if quantile_bins:
            edges = np.quantile(x, np.linspace(0, 1, nb + 1))
        else:
            edges = np.linspace(np.min(x), np.max(x), nb + 1)
    else:
        edges = np.asarray(bins, dtype=np.float64)
    nb = edges.size - 1
    idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, nb - 1)
    inside = (x >= edges[0]) & (x <= edges[-1])
    idx, mm, xx = idx[inside], m[inside], x[inside]
    n = np.bincount(idx, minlength=nb)
    k = np.bincount(idx, weights=mm.astype(np.float64), minlength=nb)
    sx = np.bincount(idx, weights=xx, minlength=nb)
    lo, hi = wilson_interval(k, n, conf_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(n > 0, k / np.maximum(n, 1), np.nan)
        xmean = np.where(n > 0, sx / np.maximum(n, 1), np.nan)
    return pd.DataFrame(
        {
            "bin_lo": edges[:-1],
            "bin_hi": edges[1:],
            "x_mid": 0.5 * (edges[:-1] + edges[1:]),
            "x_mean": xmean,
            "n": n.astype(int),
            "n_met": k.astype(int),
            "p": p,
            "lo": lo,
            "hi": hi,
        }
    )


def mc_filter(
    X: np.ndarray,
    met: np.ndarray,
    names: Sequence[str] | None = None,
    quantiles: tuple[float, float] = (0.1, 0.9),
) -> pd.DataFrame:
    """Monte Carlo filtering: which inputs separate runs that meet from runs that miss.

    For each input column, the two-sample KS statistic and p-value between the
    input values in met and missed runs (``scipy.stats.ks_2samp``), plus medians
    and ``quantiles`` (default 10-90 %) of the input among met and missed runs.

    Returns
    -------
    DataFrame indexed by input, sorted by descending ``ks``; columns ``ks, p_value,
    n_met, n_missed, met_q10, met_median, met_q90, missed_q10, missed_median,
    missed_q90`` (NaN statistics if either class is empty).
    """
    X = np.asarray(X, dtype=np.float64)
    m = np.asarray(met, dtype=bool).reshape(-1)
    if X.ndim != 2 or X.shape[0] != m.size:
        raise ValueError(f"X shape {X.shape} does not match met length {m.size}")
    names = list(names) if names is not None else [f"x{i}" for i in range(X.shape[1])]
    if len(names) != X.shape[1]:
        raise ValueError(f"{len(names)} names for {X.shape[1]} columns")
    qlo, qhi = quantiles
    tag_lo, tag_hi = f"q{round(qlo * 100):d}", f"q{round(qhi * 100):d}"
    n_met, n_miss = int(m.sum()), int((~m).sum())
    rows = []
    for j, name in enumerate(names):
        a, b = X[m, j], X[~m, j]
        row = {"input": name, "n_met": n_met, "n_missed": n_miss}
        if n_met and n_miss:
            res = stats.ks_2samp(a, b)
            row.update(ks=float(res.statistic), p_value=float(res.pvalue))
        else:
            row.update(ks=np.nan, p_value=np.nan)
        for tag, v in (("met", a), ("missed", b)):
            q = np.quantile(v, [qlo, 0.5, qhi]) if v.size else [np.nan] * 3
            row[f"{tag}_{tag_lo}"], row[f"{tag}_median"], row[f"{tag}_{tag_hi}"] = map(float, q)
        rows.append(row)
    cols = ["input", "ks", "p_value", "n_met", "n_missed",
            f"met_{tag_lo}", "met_median", f"met_{tag_hi}",
            f"missed_{tag_lo}", "missed_median", f"missed_{tag_hi}"]
    df = pd.DataFrame(rows)[cols].set_index("input")
    return df.sort_values("ks", ascending=False, kind="stable")
