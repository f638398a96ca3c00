"""Adapter between the mfgbase model and the model-free engine (:mod:`model.uq`).

:func:`build_problem` turns a scenario's ``uncertainty:`` block into a
:class:`~model.uq.problem.Problem` plus one :class:`Column` per input
(where the sampled value goes), and :class:`ModelFunction` is the vectorised,
picklable ``f(X: (n, D)) -> Y: (n, K)`` the evaluators call (it carries the resolved
scenario inputs, not a file path).

Inputs (columns of ``X``)
-------------------------
* ``use_priors: true`` (default): every parameter of ``calibration/priors.yaml`` over
  its range ``[low, high]`` (distribution from the priors: ``uniform`` unless stated;
  a parameter with a fitted value and standard error in ``calibration/parameters.yaml``
  is sampled from a normal truncated to the prior range, centred on the estimate),
  minus ``exclude`` and minus parameters the scenario itself fixes in its
  ``parameters:`` block (listed in the notices; list them under ``inputs`` to vary them).
* ``inputs``: ``parameters.<name>`` (override the range / distribution of a parameter),
  ``levers.<name>`` / ``assumptions.<name>`` (scenario paths of
  :data:`model.scenario.registry.INPUTS`). For a path, ``op: set`` puts the sampled value
  in every projection year 2004-2010 (and every sector: per-sector overrides are replaced),
  ``op: scale`` multiplies the scenario's resolved path (all years, all sectors) by it, and
  holds the product inside the lever's allowed range (``model.scenario.ranges`` refuses a
  factor range that takes the whole path outside it).
  The driver is the one of the mode the scenario uses for that path.

Outputs (columns of ``Y``)
--------------------------
Every plan target's indicator in every year 2003-2010, target-major:
``Y[:, k * T + t]`` is target ``k`` in year ``YEARS[t]``; names ``"<target_id>@<year>"``.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from model.scenario.loader import excluded_parameters
from model.uq import Problem, ProblemError, UncertainInput

#: parameter-family / lever-family display names (en, zh)
FAMILY_LABELS: dict[str, tuple[str, str]] = {
    "production": ("Production", "生产"),
    "rd": ("R&D", "研发"),
    "fdi": ("FDI", "外资"),
    "trade": ("Trade", "贸易"),
    "energy": ("Energy", "能源"),
    "firms": ("Firms", "企业规模"),
    "diffusion": ("Diffusion", "扩散"),
    "counters": ("Counters", "计数"),
    "base_year": ("Base year", "基年"),
    "prices": ("Prices", "价格"),
    "levers": ("Levers", "政策杠杆"),
    "assumptions": ("Assumptions", "外部假设"),
}


class UncertaintyError(ValueError):
    """The scenario's uncertainty block is invalid (bad path, bad range...)."""


@dataclass(frozen=True)
class Column:
    """Where column ``j`` of ``X`` goes.

    kind : ``"parameter"`` (``target`` = parameter name) or ``"driver"`` (``target`` =
    core driver name, ``op`` = ``set`` | ``scale``).
    """

    name: str
    path: str
    kind: str
    target: str
    op: str = "set"


# ----------------------------------------------------------------------------- problem
def _prior_input(spec: Any, path: str, group: str) -> UncertainInput:
    lo, hi, c = float(spec.low), float(spec.high), float(spec.default)
    dist = str(getattr(spec, "distribution", "uniform") or "uniform").lower()
    fitted, se = getattr(spec, "fitted", None), getattr(spec, "fitted_se", None)
    common = dict(
        name=spec.name, group=group, label_en=spec.label_en, label_zh=spec.label_zh,
        path=path, unit=spec.unit,
    )
    if fitted is not None and se is not None and se > 0:
        return UncertainInput(distribution="truncnorm", params=(lo, hi, float(fitted), float(se)), **common)
    if dist in ("uniform", "unif"):
        return UncertainInput(distribution="uniform", params=(lo, hi), **common)
    if dist in ("triangular", "triang"):
        peak = (float(spec.central) - lo) / (hi - lo)
        return UncertainInput(distribution="triangular", params=(lo, hi, min(peak, 0.999999)), **common)
    if dist in ("loguniform", "logunif"):
        return UncertainInput(distribution="loguniform", params=(lo, hi), **common)
    if dist in ("normal", "truncnorm"):
        # normal prior: centred on the central value, the range as +/- 2 sd, truncated to it
        return UncertainInput(
            distribution="truncnorm", params=(lo, hi, c, (hi - lo) / 4.0), **common
        )
    raise UncertaintyError(f"parameter {spec.name}: unsupported prior distribution {dist!r}")


def _explicit_input(item: Any, name: str, group: str, label_en: str, label_zh: str,
                    unit: str, default_lo: float | None, default_hi: float | None,
                    central: float | None) -> UncertainInput:
    where = f"uncertainty.inputs[{item.path}]"
    lo = item.low if item.low is not None else default_lo
    hi = item.high if item.high is not None else default_hi
    common = dict(name=name, group=group, label_en=label_en, label_zh=label_zh,
                  path=item.path, unit=unit)
    try:
        if item.distribution == "uniform":
            if lo is None or hi is None:
                raise UncertaintyError(f"{where}: a uniform input needs low and high")
            return UncertainInput(distribution="uniform", params=(lo, hi), **common)
        if item.distribution == "triangular":
            if lo is None or hi is None:
                raise UncertaintyError(f"{where}: a triangular input needs low and high")
            mode = item.mean if item.mean is not None else (central if central is not None else (lo + hi) / 2)
            if not lo <= mode <= hi:
                raise UncertaintyError(f"{where}: peak {mode} outside [{lo}, {hi}]")
            return UncertainInput(distribution="triangular",
                                  params=(lo, hi, min((mode - lo) / (hi - lo), 0.999999)), **common)
        if item.distribution == "normal":
            if item.low is not None and item.high is not None:
                return UncertainInput(distribution="truncnorm",
                                      params=(item.low, item.high, item.mean, item.sd), **common)
            return UncertainInput(distribution="normal", params=(item.mean, item.sd), **common)
        if item.distribution == "lognormal":
            # mean / sd of the value itself -> mu, sigma of its logarithm
            m, s = float(item.mean), float(item.sd)
            if m <= 0:
                raise UncertaintyError(f"{where}: lognormal needs mean > 0, got {m}")
            sigma2 = math.log(1.0 + (s / m) ** 2)
            return UncertainInput(distribution="lognormal",
                                  params=(math.log(m) - sigma2 / 2, math.sqrt(sigma2)), **common)
    except ProblemError as exc:
        raise UncertaintyError(f"{where}: {exc}") from exc
    raise UncertaintyError(f"{where}: unsupported distribution {item.distribution!r}")


def _driver_range(driver: str) -> tuple[float, float]:
    """Allowed [low, high] of a core driver (the registry mode that fills it)."""
    from model.scenario.registry import INPUTS

    for inp in INPUTS.values():
        for ms in inp.modes.values():
            if ms.driver == driver:
                return ms.low, ms.high
    return -np.inf, np.inf


def _scenario_mode(scenario: Any, section: str, name: str, inp: Any) -> str:
    block = getattr(scenario.spec, section)
    spec = getattr(block, name, None)
    mode = getattr(spec, "mode", None) if spec is not None else None
    return mode or inp.default_mode


def build_problem(scenario: Any, model: Any) -> tuple[Problem, list[Column], list[str]]:
    """Problem, column mapping and notices from a scenario's ``uncertainty:`` block.

    Raises :class:`UncertaintyError` for unknown paths, unknown parameters, bad ranges.
    """
    inputs_of = scenario.spec.registry.inputs  # the registry the scenario's schema was built from

    unc = scenario.spec.uncertainty
    use_priors = True if unc is None else unc.use_priors
    exclude = [] if unc is None else list(unc.exclude)
    items = [] if unc is None else list(unc.inputs)
    params = model.parameters
    notices: list[str] = []

    # the loader validated the block (model.scenario.loader.uncertainty_errors): every path is a
    # known parameter (op set) or assumption, listed once; exclude names parameters
    excluded = excluded_parameters(exclude)
    explicit_params: dict[str, Any] = {}
    path_items: list[Any] = []
    for item in items:
        section, _, name = item.path.partition(".")
        if section == "parameters":
            explicit_params[name] = item
        else:
            path_items.append(item)

    fixed_by_scenario = set(scenario.spec.parameters)
    inputs: list[UncertainInput] = []
    cols: list[Column] = []
    for name, spec in params.specs.items():
        path = f"parameters.{name}"
        if name in explicit_params:
            item = explicit_params[name]
            inputs.append(_explicit_input(item, name, item.group or spec.family, spec.label_en,
                                          spec.label_zh, spec.unit, spec.low, spec.high, spec.default))
        elif not use_priors or name in excluded:
            continue
        elif name in fixed_by_scenario:
            notices.append(f"{path} is fixed by the scenario's parameters block; not varied")
            continue
        else:
            inputs.append(_prior_input(spec, path, spec.family))
        cols.append(Column(name, path, "parameter", name))
    for item in path_items:
        section, _, name = item.path.partition(".")
        inp = inputs_of[name]
        mode = _scenario_mode(scenario, section, name, inp)
        ms = inp.modes[mode]
        if item.op == "set":
            unit, lo_d, hi_d = ms.unit, None, None
            for v in (item.low, item.high, item.mean):
                if v is not None and not ms.low <= v <= ms.high:
                    raise UncertaintyError(
                        f"{scenario.path}: uncertainty.inputs: {item.path!r}: value {v} outside the "
                        f"allowed range [{ms.low}, {ms.high}] {ms.unit} of mode {mode!r}"
                    )
            lab_en, lab_zh = inp.label_en, inp.label_zh
        else:
            unit, lo_d, hi_d = "multiplier", None, None
            lab_en, lab_zh = f"{inp.label_en} (× path)", f"{inp.label_zh}(路径倍数)"
        uname = f"{item.path}:scale" if item.op == "scale" else item.path
        group = item.group or ("levers" if section == "levers" else inp.family)
        inputs.append(_explicit_input(item, uname, group, lab_en, lab_zh,
                                      unit, lo_d, hi_d, None))
        cols.append(Column(uname, item.path, "driver", ms.driver, item.op))
    if not inputs:
        raise UncertaintyError(f"{scenario.path}: uncertainty: no uncertain inputs (use_priors is false "
                               "and inputs is empty)")
    try:
        problem = Problem(tuple(inputs))
    except ProblemError as exc:
        raise UncertaintyError(f"{scenario.path}: uncertainty: {exc}") from exc
    return problem, cols, notices


def state_sample(scenario: Any, model: Any, n: int = 1000, seed: int | None = None) -> tuple[np.ndarray, list[Column]]:
    """The fixed sample of states of the world of P(met | policy): ``(X (n, D), columns)``.

    ``n`` draws of the scenario's uncertainty block (seeded with the scenario's ``seed`` unless
    ``seed`` is given), scaled to the inputs' distributions. One implementation for
    ``model.studies.policy`` (P(met | policy), the dashboard) and the instrument sweep
    (``model.studies.sensitivity.sweep``), so their probabilities agree exactly.
    """
    from SALib.util import scale_samples

    problem, columns, _ = build_problem(scenario, model)
    seed = scenario.spec.seed if seed is None else seed
    rng = np.random.default_rng(seed)
    return scale_samples(rng.random((n, problem.num_vars)), problem.to_salib(groups=False)), columns


# ----------------------------------------------------------------------------- function
@dataclass(frozen=True, eq=False)
class ModelFunction:
    """Picklable vectorised model ``f(X: (n, D)) -> Y: (n, K)`` of one scenario.

    Holds the model and the scenario's resolved inputs (parameter overrides, driver paths
    without run dimension, definition switches) - resolved once, in the process that builds
    it - and the column mapping. The evaluator ships the object itself to its workers: no
    worker re-reads a scenario file, and nothing is cached between studies. Pickling drops
    the base year's provenance (``model.base_year``), which evaluation does not use.
    Build it with :meth:`for_scenario`.
    """

    model: Any  # model.run.Model
    overrides: dict
    drivers: dict  # no run dimension: (T,) or (T, S)
    switches: dict
    columns: tuple[Column, ...]

    @classmethod
    def for_scenario(cls, scenario: Any, columns: Sequence[Column], model: Any = None) -> ModelFunction:
        """The function of ``scenario`` (a Scenario or a path) on ``model`` (default ``load_model()``)."""
        from model.run import load_model, scenario_inputs
        from model.scenario import Scenario, load_scenario

        scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        model = model if model is not None else load_model()
        overrides, drivers, switches = scenario_inputs(model, scen)
        return cls(model, dict(overrides), dict(drivers), dict(switches), tuple(columns))

    def _shipped(self) -> dict[str, Any]:
        state = {k: v for k, v in self.__dict__.items() if k != "_token"}
        state["model"] = replace(self.model, base_year=None)
        return state

    def __getstate__(self) -> dict[str, Any]:
        return {**self._shipped(), "_token": self.__dask_tokenize__()}

    def __dask_tokenize__(self) -> str:
        """Content hash, computed once where the function is built and shipped with it, so dask
        task keys are cheap and the same in every process."""
        tok = self.__dict__.get("_token")
        if tok is None:
            tok = hashlib.sha256(pickle.dumps(self._shipped(), protocol=5)).hexdigest()
            object.__setattr__(self, "_token", tok)
        return tok

    # -- metadata ------------------------------------------------------------------
    @property
    def years(self) -> tuple[int, ...]:
        from model.core import YEARS

        return tuple(YEARS)

    def targets(self) -> tuple:
        return tuple(self.model.targets)

    def output_names(self) -> list[str]:
        return [f"{t.target_id}@{y}" for t in self.targets() for y in self.years]

    # -- evaluation ----------------------------------------------------------------
    def inputs(self, X: np.ndarray) -> tuple[dict, dict, dict]:
        """(params, drivers, switches) for the rows of ``X``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.columns):
            raise ValueError(f"X must be (n, {len(self.columns)}), got {X.shape}")
        n = X.shape[0]
        # a scenario's per-sector value (S,) is per sector for any n (ParameterSet.arrays reads a
        # 1-D array of length n as one value per run: wrong when a block has n == S rows)
        n_sec = len(self.model.sector_ids)
        overrides = {k: (np.broadcast_to(v, (n, n_sec)).copy() if np.ndim(v) == 1 else v)
                     for k, v in self.overrides.items()}
        drivers = {k: np.asarray(v, dtype=float)[None, ...] for k, v in self.drivers.items()}
        for j, col in enumerate(self.columns):
            x = X[:, j]
            if col.kind == "parameter":
                overrides[col.target] = x
                continue
            base = np.asarray(self.drivers[col.target], dtype=float)  # (T,) or (T, S)
            shape = (n, *base.shape)
            xb = x.reshape((n,) + (1,) * base.ndim)
            # always a fresh (n, ...) array: never write into the scenario's paths
            cur = np.broadcast_to(drivers[col.target], shape).copy()
            if col.op == "set":
                cur[:, 1:, ...] = np.broadcast_to(xb, shape)[:, 1:, ...]
            else:  # scale, held inside the driver's allowed range (a share cannot pass 100 %)
                lo, hi = _driver_range(col.target)
                cur = np.clip(cur * xb, lo, hi)
            drivers[col.target] = cur
        params = self.model.parameters.arrays(n, overrides)
        return params, drivers, self.switches

    def indicators(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """``{target_id: (n, T)}`` indicator paths for the rows of ``X``.

        Rows are evaluated in blocks of ``model.run.CORE_BLOCK_ROWS``, the size at which the
        core's working set stays in cache (benchmarks/bench_simulate.py).
        """
        from model.run import CORE_BLOCK_ROWS, evaluate_indicators

        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        targets = self.targets()
        out = {t.target_id: np.empty((n, len(self.years))) for t in targets}
        for start in range(0, max(n, 1), CORE_BLOCK_ROWS):
            stop = min(start + CORE_BLOCK_ROWS, n)
            params, drivers, switches = self.inputs(X[start:stop])
            inds = evaluate_indicators(self.model, params, drivers, switches)
            for t in targets:
                out[t.target_id][start:stop] = inds[t.indicator].value
        return out

    def __call__(self, X: np.ndarray) -> np.ndarray:
        paths = self.indicators(X)
        with np.errstate(all="ignore"):
            return np.concatenate([paths[t.target_id] for t in self.targets()], axis=1)


@dataclass(frozen=True, eq=False)
class YearSlice:
    """A :class:`ModelFunction` restricted to some year columns (picklable, same token rules)."""

    f: ModelFunction
    year_idx: tuple[int, ...]

    def __dask_tokenize__(self) -> tuple:
        return ("YearSlice", self.f.__dask_tokenize__(), self.year_idx)

    def __call__(self, X: np.ndarray) -> np.ndarray:
        Y = self.f(X)
        T = len(self.f.years)
        K = Y.shape[1] // T
        return Y.reshape(-1, K, T)[:, :, list(self.year_idx)].reshape(Y.shape[0], -1)
