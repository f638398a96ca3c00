"""The policy search of a scenario: the front, the cheapest feasible mix, its re-check on a
fresh sample, what binds, and the PRIM boxes (the ``mfgbase search`` study; no file output).

    >>> from model.studies.search import search
    >>> res = search("scenarios/plan-2004.yaml", alpha=0.8, samples=1000, seed=0)
    >>> res.front                 # cost against P(all met): one row per point of the front
    >>> res.mix, res.reached      # cheapest feasible mix (or the best P reached) and whether alpha is
    >>> res.recheck               # P(met) of that mix on a fresh, larger sample, with intervals
    >>> res.scenario_yaml()       # the mix as a scenario file that extends the scenario

States of the world are drawn once from the scenario's ``uncertainty:`` block
(``model.uq.random_sample``: seeded PCG64, the stream P(met | policy) uses) and every mix is
scored on them (SAA). The re-check draws the next ``recheck_samples`` states of the same stream:
fresh (disjoint from the search's) and larger.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from model.studies.search.optimize import Archive, cheapest_mix, trade_off_front
from model.studies.search.prim import prim
from model.studies.search.problem import Constraints, ModelMixProblem
from model.studies.search.space import (
    DecisionSpace,
    SearchError,
    decision_space,
    instrument_decisions,
)
from model.uq.probability import wilson_interval

MAX_SAMPLES = 100_000  # states of the world of the search (bounded: rows = population x states)
MAX_POPULATION = 1000
MAX_GENERATIONS = 1000
CONF_LEVEL = 0.95
SIGNIFICANT = 4  # digits kept in the scenario file; levels are rounded up (monotone instruments keep P)


@dataclass(frozen=True)
class SearchSettings:
    """Options of a search (validated by :func:`check_settings`)."""

    alpha: float = 0.8
    budget: float | None = None
    locks: dict = field(default_factory=dict)
    per_target: dict = field(default_factory=dict)
    targets: tuple[str, ...] | None = None  # scored targets in P(all met) (default: every modelled one)
    samples: int = 1000
    recheck_samples: int | None = None  # default 4 x samples
    seed: int = 0
    pop_size: int = 40
    max_gen: int = 60
    stall: int = 8
    hv_tol: float = 1e-3
    de_popsize: int = 5
    de_maxiter: int = 20
    per_target_objectives: bool = False
    prim_samples: int = 2000
    workers: int | None = None
    scheduler: str | None = None
    chunk_size: int = 8192

    @property
    def n_recheck(self) -> int:
        return int(self.recheck_samples or 4 * self.samples)


def _check_prob(name: str, value, open_upper: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SearchError(f"{name}: {value!r} is not a number; allowed: a probability strictly between 0 and 1") from None
    if not (math.isfinite(v) and 0.0 < v < 1.0):
        raise SearchError(f"{name} {v:g}: outside (0, 1); allowed: a probability strictly between 0 and 1, e.g. 0.8")
    return v


def check_settings(s: SearchSettings, target_ids: tuple[str, ...] | None = None) -> None:
    """Raise :class:`SearchError` (one message naming the option) for a bad option.

    ``target_ids``: the scored targets (the checks naming targets are skipped without them).
    """
    _check_prob("--alpha", s.alpha)
    if s.budget is not None and not (math.isfinite(float(s.budget)) and float(s.budget) >= 0):
        raise SearchError(f"--budget {s.budget:g}: must be a number >= 0 (100m yuan nominal, 2004-2010)")
    for name, v, lo, hi in (("--samples", s.samples, 10, MAX_SAMPLES), ("--recheck-samples", s.n_recheck, 10, 4 * MAX_SAMPLES),
                            ("--population", s.pop_size, 4, MAX_POPULATION), ("--generations", s.max_gen, 1, MAX_GENERATIONS),
                            ("--prim-samples", s.prim_samples, 0, MAX_SAMPLES)):
        if not (isinstance(v, int | np.integer) and lo <= v <= hi):
            raise SearchError(f"{name} {v}: allowed a whole number from {lo} to {hi:,}")
    if not (isinstance(s.seed, int | np.integer) and 0 <= s.seed <= 2**32 - 1):
        raise SearchError(f"--seed {s.seed}: allowed a whole number from 0 to {2**32 - 1}")
    for tid, a in s.per_target.items():
        _check_prob(f"--require {tid}", a)
    if target_ids is None:
        return
    for tid in s.per_target:
        if tid not in target_ids:
            raise SearchError(f"--require {tid}: not a scored target; allowed: {', '.join(target_ids)}")
    if s.targets is not None:
        bad = [t for t in s.targets if t not in target_ids]
        if bad or not s.targets:
            raise SearchError(f"--targets {','.join(bad) or '(empty)'}: not a scored target; allowed: "
                              f"{', '.join(target_ids)}")
        for tid in s.per_target:
            if tid not in s.targets:
                raise SearchError(f"--require {tid}: not among --targets {','.join(s.targets)}")


@dataclass
class SearchResult:
    """Everything the search found (tables are pandas DataFrames; levels in registry units)."""

    scenario: object
    scenario_model: object  # the model.run.Model searched
    settings: SearchSettings
    space: DecisionSpace
    target_ids: tuple[str, ...]
    front: pd.DataFrame
    mix: dict  # instrument -> level of the chosen mix (free and locked instruments)
    reached: bool
    chosen: dict  # cost, p_all, p_each of the chosen mix on the search sample (after rounding)
    best_p: float
    recheck: pd.DataFrame
    binding_targets: pd.DataFrame
    binding_instruments: pd.DataFrame
    prim_boxes: pd.DataFrame
    reach: pd.DataFrame  # per target: P at the scenario's mix, at the chosen mix, highest P found
    history: pd.DataFrame
    scenario_point: dict  # the scenario's own mix on the search sample
    timings: dict
    rows_evaluated: int
    envelope_2004_2010: float  # budget envelope of the scenario at its central values

    @property
    def recheck_flagged(self) -> bool:
        return bool(self.recheck.loc[self.recheck.target == "all", "flag"].iloc[0])

    def scenario_yaml(self, out_dir: str | os.PathLike | None = None) -> str:
        """The chosen mix as a scenario file that ``extends:`` the searched scenario.

        ``out_dir``: folder the file will sit in (``extends`` is written relative to it).
        """
        from model.studies.search.scenario_file import mix_yaml

        return mix_yaml(self, Path(out_dir) if out_dir else None)


def _round_up(x: float, lo: float, hi: float, sig: int = SIGNIFICANT) -> float:
    """``x`` rounded up to ``sig`` significant digits, held in [lo, hi]."""
    if x <= lo or x == 0:
        return float(lo)
    e = math.floor(math.log10(abs(x))) - sig + 1
    v = math.ceil(round(x / 10.0**e, 9)) * 10.0**e
    return float(min(max(round(v, max(-e, 0)), lo), hi))


def _cost_variables() -> list[str]:
    from model import core

    return [k for k in core.VARIABLES if k.startswith("cost_")]


def _evaluator(settings: SearchSettings):
    from model.uq import DaskEvaluator, LocalEvaluator

    if settings.workers or settings.scheduler:
        return DaskEvaluator(n_workers=settings.workers, scheduler_address=settings.scheduler,
                             chunk_size=settings.chunk_size)
    return LocalEvaluator(chunk_size=settings.chunk_size)


def search(scenario, alpha: float = 0.8, *, model=None, evaluator=None, progress: bool = False,
           **options) -> SearchResult:
    """Search the cheapest mix of ``scenario``'s instruments reaching P(all met) >= ``alpha``
    and the cost-P front; options are the fields of :class:`SearchSettings`.

    ``evaluator``: a ``model.uq`` evaluator to use (else local, or dask with ``workers`` /
    ``scheduler``); the same seed gives the same front on every evaluator (chunks of
    ``chunk_size`` rows are evaluated independently and assembled in order).
    """
    from model.run import load_model, resolve_inputs
    from model.scenario import Scenario, load_scenario

    settings = SearchSettings(alpha=alpha, **options)
    scen = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    model = model or load_model()
    all_ids = tuple(t.target_id for t in model.targets if t.modelled)
    check_settings(settings, all_ids)
    inputs = resolve_inputs(model, scen)
    space = decision_space(instrument_decisions(inputs, _cost_variables()), settings.locks)
    if evaluator is not None:
        return _search(scen, model, inputs, space, settings, evaluator, progress)
    with _evaluator(settings) as ev:
        return _search(scen, model, inputs, space, settings, ev, progress)


def _states(scen, model, settings: SearchSettings):
    from model.studies.sensitivity.adapter import UncertaintyError, build_problem
    from model.uq import random_sample

    try:
        problem, columns, _ = build_problem(scen, model)
    except UncertaintyError as exc:
        raise SearchError(str(exc)) from None
    n = settings.samples
    both = random_sample(problem, n + settings.n_recheck, settings.seed)
    return problem, columns, both[:n], both[n:]


def _search(scen, model, inputs, space, settings, ev, progress) -> SearchResult:
    t0 = time.perf_counter()
    problem, columns, states, fresh = _states(scen, model, settings)
    mp = ModelMixProblem(model, scen, space, states, columns, evaluator=ev, chunk_size=settings.chunk_size,
                         target_ids=settings.targets)
    cons = Constraints(settings.alpha, dict(settings.per_target), settings.budget)
    archive = Archive(mp, cons)
    own = np.array([d.scenario_value for d in space.free])
    start = np.vstack([own, space.high, space.low])
    timings = {}
    t = time.perf_counter()
    run = trade_off_front(archive, settings.seed, settings.pop_size, settings.max_gen, settings.stall,
                          settings.hv_tol, settings.per_target_objectives, start)
    timings["front"] = time.perf_counter() - t
    t = time.perf_counter()
    f_idx = archive.front()
    de_start = np.vstack([archive.X[f_idx[archive.column("p_all")[f_idx] >= settings.alpha]][:3], start])
    cheapest_mix(archive, settings.seed, settings.de_popsize, settings.de_maxiter, start=de_start)
    timings["cheapest"] = time.perf_counter() - t
    best = archive.cheapest_feasible()
    reached = best is not None
    if not reached:
        best = archive.best_p()
    raw = archive.X[best]
    mix_free = np.array([_round_up(float(x), d.low, d.high) for x, d in zip(raw, space.free, strict=True)])
    t = time.perf_counter()
    from model.studies.search.score import score

    own_scores = score(mp.scenario_outcome(), cons, mp.target_ids, archive.tau, archive.cost_scale)
    chosen_scores = archive.score_only(mix_free[None, :])
    reached = bool(chosen_scores.feasible[0]) if reached else False
    recheck = _recheck(mp, mix_free, chosen_scores, fresh, cons)
    timings["recheck"] = time.perf_counter() - t
    t = time.perf_counter()
    b_targets = binding_targets(mp, mix_free, cons)
    b_instruments = binding_instruments(archive, mix_free, reached)
    timings["binding"] = time.perf_counter() - t
    t = time.perf_counter()
    boxes = prim_boxes(mp, problem, columns, settings) if settings.prim_samples else _empty_boxes()
    timings["prim"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    mix = {d.name: float(v) for d, v in zip(space.free, mix_free, strict=True)}
    mix.update({d.name: float(v) for d, v in space.locked})
    pe = archive.column("p_each")
    reach = pd.DataFrame({"target_id": mp.target_ids, "p_scenario_mix": own_scores.p_each[0],
                          "p_chosen_mix": chosen_scores.p_each[0], "p_highest_found": pe.max(axis=0)})
    return SearchResult(
        scenario=scen, scenario_model=model, settings=settings, space=space, target_ids=mp.target_ids,
        front=front_frame(archive), mix=mix, reached=reached,
        chosen={"cost": float(chosen_scores.cost[0]), "p_all": float(chosen_scores.p_all[0]),
                "p_within_envelope": float(chosen_scores.p_within_envelope[0]),
                "p_each": dict(zip(mp.target_ids, map(float, chosen_scores.p_each[0]), strict=True))},
        best_p=float(archive.column("p_all")[archive.best_p()]),
        recheck=recheck, binding_targets=b_targets, binding_instruments=b_instruments, prim_boxes=boxes,
        reach=reach, history=pd.DataFrame([g.__dict__ for g in run.history]).assign(converged=run.converged),
        scenario_point={"cost": float(own_scores.cost[0]), "p_all": float(own_scores.p_all[0])},
        timings=timings, rows_evaluated=mp.rows_evaluated, envelope_2004_2010=_envelope(scen, model),
    )


def _envelope(scen, model) -> float:
    from model.run import run_scenario

    return float(run_scenario(scen, model).budget_summary()["budget_2004_2010"])


def front_frame(archive: Archive) -> pd.DataFrame:
    """The front: cost (SAA mean), P(all met), P per target, share within the envelope, levels."""
    f = archive.front()
    prob = archive.problem
    df = pd.DataFrame({"cost_2004_2010": archive.column("cost")[f], "p_all": archive.column("p_all")[f]})
    pe = archive.column("p_each")[f]
    for k, tid in enumerate(prob.target_ids):
        df[f"p_{tid}"] = pe[:, k]
    df["p_within_envelope"] = archive.column("p_within_envelope")[f]
    df["feasible"] = archive.column("feasible")[f]
    X = archive.X[f]
    for j, d in enumerate(prob.space.free):
        df[d.name] = X[:, j]
    return df


def _recheck(mp, mix, chosen, fresh, cons) -> pd.DataFrame:
    """P(met) of the chosen mix on the fresh sample against the search sample and the floors.

    se = sqrt(p (1 - p) / n) of the fresh estimate; ``flag`` when the fresh P falls short of its
    floor (alpha for "all", the per-target floor) by more than 2 se; ``gap_se`` is the
    difference fresh - search in units of the standard error of a difference of two independent
    estimates (the optimiser picks the mix where the search sample happens to be kind).
    """
    out = mp.outcomes_on(mix[None, :], fresh)
    n = fresh.shape[0]
    met = out.met[0]  # (W', K)
    rows = []
    series = [("all", met.all(axis=1), chosen.p_all[0], cons.alpha)]
    series += [(tid, met[:, k], chosen.p_each[0, k], cons.per_target.get(tid))
               for k, tid in enumerate(mp.target_ids)]
    w = mp.n_states
    for name, m, p_search, floor in series:
        k = int(np.count_nonzero(m))
        p = k / n
        lo, hi = wilson_interval(k, n, CONF_LEVEL)
        se = math.sqrt(max(p * (1 - p), 1e-12) / n)
        se_diff = math.sqrt(max(p * (1 - p), 1e-12) / n + max(p_search * (1 - p_search), 1e-12) / w)
        short = (floor - p) if floor is not None else float("nan")
        rows.append({"target": name, "alpha": floor if floor is not None else float("nan"),
                     "p_search": p_search, "n_search": w, "p_fresh": p, "low": float(lo), "high": float(hi),
                     "conf_level": CONF_LEVEL, "n_fresh": n, "se_fresh": se, "shortfall": short,
                     "flag": bool(floor is not None and short > 2 * se),
                     "gap_se": (p - p_search) / se_diff})
    return pd.DataFrame(rows)


def binding_targets(mp, mix, cons) -> pd.DataFrame:
    """Per target at the chosen mix: P(met), the share of states where it is the *only* target
    missed (relaxing it alone would raise P(all met) by that much) and whether it binds
    (sole share > 0, or its own floor holds with less than one state to spare)."""
    out = mp.outcomes(mix[None, :])
    met = out.met[0]
    missed = ~met
    sole = (missed & (missed.sum(axis=1, keepdims=True) == 1)).mean(axis=0)
    p = met.mean(axis=0)
    w = mp.n_states
    rows = []
    for k, tid in enumerate(mp.target_ids):
        floor = cons.per_target.get(tid)
        tight = floor is not None and p[k] - floor < 1.0 / w
        rows.append({"target_id": tid, "p_met": float(p[k]), "sole_blocker_share": float(sole[k]),
                     "floor": floor if floor is not None else float("nan"),
                     "binding": bool(sole[k] > 0 or tight)})
    return pd.DataFrame(rows).sort_values(["sole_blocker_share", "p_met"], ascending=[False, True],
                                          kind="stable").reset_index(drop=True)


STEP_SHARE = 0.02  # binding test: lower each instrument by 2 % of its range


def binding_instruments(archive: Archive, mix, reached: bool) -> pd.DataFrame:
    """Per instrument: level, status and what one step down (2 % of its range) costs in P.

    status: ``locked``; ``at lower bound`` (unused); ``at upper bound``; ``binding`` (one step
    down loses feasibility); ``slack`` (a step down keeps it: a cheaper mix is near). The step
    mixes are evaluated in one call.
    """
    space = archive.problem.space
    M = np.repeat(mix[None, :], space.dim, axis=0)
    step = STEP_SHARE * (space.high - space.low)
    idx = np.arange(space.dim)
    M[idx, idx] = np.maximum(mix - step, space.low)
    sc = archive.score_only(np.vstack([mix[None, :], M]))  # row 0: the mix, row j + 1: instrument j down
    rows = []
    for j, d in enumerate(space.free):
        at_lo, at_hi = mix[j] <= d.low, mix[j] >= d.high
        if at_lo:
            status = "at lower bound"
        elif at_hi:
            status = "at upper bound"
        elif reached and not sc.feasible[j + 1]:
            status = "binding"
        else:
            status = "slack"
        rows.append({"instrument": d.name, "level": float(mix[j]), "unit": d.unit, "low": d.low, "high": d.high,
                     "status": status, "step_down": float(mix[j] - M[j, j]),
                     "p_all_after_step": float(sc.p_all[j + 1]), "p_all": float(sc.p_all[0]),
                     "cost_saved": float(sc.cost[0] - sc.cost[j + 1])})
    for d, v in space.locked:
        rows.append({"instrument": d.name, "level": v, "unit": d.unit, "low": d.low, "high": d.high,
                     "status": "locked", "step_down": float("nan"), "p_all_after_step": float("nan"),
                     "p_all": float(sc.p_all[0]), "cost_saved": float("nan")})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- PRIM
PRIM_MIN_CASES = 20  # a target met (or missed) in fewer sampled cases gets no box


def _empty_boxes() -> pd.DataFrame:
    return pd.DataFrame(columns=["target", "dimension", "kind", "low", "high", "unit", "label_en", "label_zh",
                                 "density", "coverage", "mass", "n_cases", "note"])


def prim_boxes(mp, problem, columns, settings: SearchSettings) -> pd.DataFrame:
    """PRIM boxes (Bryant & Lempert 2010) per target and for all together, over the free
    instruments and the uncertain inputs: ``prim_samples`` mixes (Latin hypercube over the
    instruments' ranges) each paired with a state of the search sample; one call."""
    from model.studies.search.optimize import latin_start

    n = settings.prim_samples
    space = mp.space
    M = latin_start(space, n, settings.seed + 2)
    S = mp.states[np.arange(n) % mp.n_states]
    Y = mp.function_pairs(M, S)
    met = Y.met  # (n, K)
    X = np.concatenate([M, S], axis=1)
    names = [d.key for d in space.free] + [c.path if c.kind == "parameter" else c.name for c in columns]
    kinds = ["instrument"] * space.dim + ["uncertainty"] * len(columns)
    units = [d.unit for d in space.free] + [problem[c.name].unit for c in columns]
    lab_en = [d.label_en for d in space.free] + [problem[c.name].label("en") for c in columns]
    lab_zh = [d.label_zh for d in space.free] + [problem[c.name].label("zh") for c in columns]
    rows = []
    for tid, y in [("all", met.all(axis=1)), *[(t, met[:, k]) for k, t in enumerate(mp.target_ids)]]:
        k = int(y.sum())
        if k < PRIM_MIN_CASES or n - k < PRIM_MIN_CASES:
            rows.append({"target": tid, "dimension": "", "kind": "", "low": np.nan, "high": np.nan, "unit": "",
                         "density": k / n, "coverage": np.nan, "mass": 1.0, "n_cases": n,
                         "note": f"met in {k} of {n} sampled cases: too few met or missed cases for a box "
                                 f"(at least {PRIM_MIN_CASES} of each)"})
            continue
        box = prim(X, y.astype(float))
        for j in box.restricted:
            rows.append({"target": tid, "dimension": names[j], "kind": kinds[j], "low": box.low[j],
                         "high": box.high[j], "unit": units[j], "label_en": lab_en[j], "label_zh": lab_zh[j],
                         "density": box.density, "coverage": box.coverage,
                         "mass": box.mass, "n_cases": n, "note": ""})
        if not box.restricted:
            rows.append({"target": tid, "dimension": "", "kind": "", "low": np.nan, "high": np.nan, "unit": "",
                         "density": box.density, "coverage": box.coverage, "mass": box.mass, "n_cases": n,
                         "note": "no box beats the whole space"})
    return pd.DataFrame(rows, columns=_empty_boxes().columns)
