"""The expert-facing sensitivity and uncertainty study of a scenario.

    >>> from model.studies.sensitivity import study
    >>> from model.outputs import write_study
    >>> st = study("scenarios/plan-2004.yaml", "sobol", n=4096, seed=1)
    >>> st.indices          # tidy: target, year, input, path, group, index, value, conf, lo, hi
    >>> st.probabilities    # P(target met) per target (+ 'all') with bootstrap/Wilson intervals
    >>> write_study(st, "results/plan-2004-sensitivity-sobol")

Pipeline: scenario ``uncertainty:`` block -> :func:`.adapter.build_problem` ->
:func:`model.uq.run_study` (the engine's one pipeline: design, evaluation in local chunks
or on dask, analysis, convergence) over :class:`.adapter.ModelFunction` ->
probabilities, first year reached, Monte Carlo filtering, and the instrument response.

The uncertainty results - P(met) with its intervals, the first year a target is reached, the
fan charts and their quantiles, and Monte Carlo filtering - all come from one **independent
pseudo-random sample** of the inputs (:func:`model.uq.random_sample`: numpy PCG64 iid draws from
the input distributions, a seed stream of its own), never from the sensitivity design: Sobol
(quasi-random), Morris and FAST designs spread points evenly or along trajectories on purpose
and are not iid samples, so shares and quantiles read off them are not probabilities. The
sample has as many runs as the design's random rows (Sobol: ``2 N``; other methods: the
design's row count): ``SensitivityStudy.sample_X`` / ``paths``. Filtering states only what that
sample supports (:mod:`model.uq.support`: at least 50 met and 50 missed runs,
Bonferroni-corrected tests; "too few met runs to say" otherwise).

Instruments are decisions, not uncertainties, so they are never sampled; the planner's question
"what does more of this instrument buy?" is answered by the instrument sweep
(:func:`model.studies.sensitivity.sweep.instrument_sweep`): P(met | policy) for every modelled target with
each instrument in turn over its range and the others as the scenario sets them, on the fixed
state sample of P(met | policy) (``instrument_response``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from model.safeio.resources import check_memory, study_bytes
from model.studies.sensitivity.sweep import instrument_sweep
from model.uq import (
    DEFAULT_RULE,
    DaskEvaluator,
    DesignError,
    Evaluator,
    LocalEvaluator,
    Problem,
    Samples,
    SupportRule,
    canonical_method,
    first_year_reached,
    mc_filter,
    p_met,
    random_sample,
    run_study,
)
from model.uq import METHODS as UQ_METHODS
from model.uq import Target as PTarget
from model.uq.pipeline import DEFAULT_MAX_N
from model.uq.support import class_counts_note, separates

from .adapter import Column, ModelFunction, UncertaintyError, YearSlice, build_problem

#: rows per model call (and per dask task): 8192 rows run at ~70k rows/s once the process's
#: heap is warm, with ~10 MB per (rows, years, sectors) temporary
MODEL_CHUNK = 8192
#: states of the world per point of the instrument sweep (at most; fewer for tiny designs)
SWEEP_STATES = 500
#: method names, in the order of the engine's method table
METHODS = tuple(UQ_METHODS)


class StudyError(ValueError):
    """Invalid study request (method, sample size, uncertainty block)."""


@dataclass
class SensitivityStudy:
    """Result of :func:`study`; tidy frames, write with :meth:`write`."""

    scenario_path: str
    scenario_id: str
    scenario_name: dict[str, str]
    method: str
    seed: int | None
    problem: Problem
    columns: list[Column]
    samples: Samples
    years: tuple[int, ...]
    index_years: tuple[int, ...]
    targets: tuple  # model.targets.Target
    Y: np.ndarray  # (rows, K * len(eval_years)) target-major
    eval_years: tuple[int, ...]
    paths: np.ndarray  # (n, T, K) indicator paths of the independent random sample, all years
    indices: pd.DataFrame
    probabilities: pd.DataFrame
    first_year: pd.DataFrame
    instrument_response: pd.DataFrame  # model.studies.sensitivity.sweep.instrument_sweep (tidy)
    filtering: pd.DataFrame
    inputs_table: pd.DataFrame
    convergence: pd.DataFrame
    convergence_message: str = ""
    notices: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    scenario_files: tuple[str, ...] = ()  # the scenario file and its extends chain
    #: the independent pseudo-random sample behind ``filtering`` (rows, D)
    #: and its indicator paths (rows, T, K)
    sample_X: np.ndarray | None = None

    @property
    def filter_X(self) -> np.ndarray | None:
        """The sample behind ``filtering``: ``sample_X``."""
        return self.sample_X

    @property
    def filter_paths(self) -> np.ndarray:
        """Indicator paths of ``filter_X``: ``paths``."""
        return self.paths

    @property
    def X(self) -> np.ndarray:
        return self.samples.X

    @property
    def n(self) -> int:
        return self.samples.n

    def main_indices(self) -> pd.DataFrame:
        """Indices in each target's scoring year (2007)."""
        ty = {t.target_id: t.year for t in self.targets}
        sel = self.indices["year"] == self.indices["target"].map(ty)
        return self.indices[sel].reset_index(drop=True)

    def top_drivers(self, target_id: str, k: int = 3, index: str | None = None) -> pd.DataFrame:
        """The ``k`` inputs with the largest ``index`` (ST for Sobol/FAST, mu_star for Morris...)."""
        index = index or UQ_METHODS[self.method].rank
        d = self.main_indices()
        d = d[(d["target"] == target_id) & (d["index"] == index)].dropna(subset=["value"])
        return d.sort_values("value", ascending=False).head(k)


def make_evaluator(workers: int | None = None, scheduler: str | None = None,
                   chunk_size: int = MODEL_CHUNK, progress: bool = False,
                   processes: bool = True) -> Evaluator:
    """Local chunked evaluator, or dask (``workers`` local processes / a ``scheduler`` address)."""
    if scheduler:
        return DaskEvaluator(scheduler_address=scheduler, chunk_size=chunk_size, progress=progress)
    if workers and workers > 1:
        return DaskEvaluator(n_workers=int(workers), chunk_size=chunk_size, progress=progress,
                             processes=processes)
    return LocalEvaluator(chunk_size=chunk_size, progress=progress)


def _tidy_indices(raw: pd.DataFrame, problem: Problem, columns: Sequence[Column]) -> pd.DataFrame:
    df = raw.copy()
    split = df["output"].str.rsplit("@", n=1, expand=True)
    df.insert(0, "target", split[0])
    df.insert(1, "year", split[1].astype(int))
    meta = {c.name: c for c in columns}
    df["path"] = df["input"].map(lambda n: meta[n].path if n in meta else n)
    df["op"] = df["input"].map(lambda n: meta[n].op if n in meta and meta[n].kind == "driver" else "")
    grp = problem.group_of()
    df["group"] = df["input"].map(lambda n: grp.get(n) or n)
    df["label_en"] = df["input"].map(lambda n: problem[n].label("en") if n in problem.names else n)
    df["label_zh"] = df["input"].map(lambda n: problem[n].label("zh") if n in problem.names else n)
    # confidence interval next to each point estimate
    conf = df[df["index"].str.endswith("_conf")].copy()
    conf["index"] = conf["index"].str[: -len("_conf")]
    key = ["output", "input", "index"]
    pt = df[~df["index"].str.endswith("_conf")].merge(
        conf[key + ["value"]].rename(columns={"value": "conf"}), on=key, how="left"
    )
    pt["lo"] = pt["value"] - pt["conf"]
    pt["hi"] = pt["value"] + pt["conf"]
    cols = ["target", "year", "input", "path", "op", "group", "label_en", "label_zh", "index",
            "value", "conf", "lo", "hi"]
    return pt[cols].reset_index(drop=True)


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _no_finding_row(target_id: str, n_met: int, n_missed: int, en: str, zh: str) -> dict:
    return {"target": target_id, "input": "", "ks": np.nan, "p_value": np.nan, "n_met": n_met,
            "n_missed": n_missed, "path": "", "op": "", "separates": False,
            "statement": en, "statement_zh": zh}


def filtering_frame(X: np.ndarray, paths: np.ndarray, problem: Problem, columns: Sequence[Column],
                    targets: Sequence, years: Sequence[int],
                    rule: SupportRule = DEFAULT_RULE) -> pd.DataFrame:
    """Monte Carlo filtering per target (scoring year), stated in scenario-file terms.

    ``X`` must be an independent random sample (:func:`model.uq.random_sample`). The support
    rules of :mod:`model.uq.support` decide what is said: with fewer than
    ``rule.min_class_runs`` met or missed runs one row says "too few ... to say"; otherwise
    every input gets a row, ``separates`` is True where its KS p-value is below
    ``alpha / D``, and a row with an empty ``input`` says so when no input separates.
    ``statement`` (English) and ``statement_zh`` (Chinese) are the sentences a report prints.
    """
    meta = {c.name: c for c in columns}
    n_inputs = len(problem.names)
    frames = []
    for k, t in enumerate(targets):
        met = t.met(paths[:, list(years).index(t.year), k])
        n_met, n_missed = int(met.sum()), int((~met).sum())
        note = class_counts_note(n_met, n_missed, rule)
        if note:
            frames.append(pd.DataFrame([_no_finding_row(t.target_id, n_met, n_missed, *note)]))
            continue
        f = mc_filter(X, met, problem.names).reset_index()
        f.insert(0, "target", t.target_id)
        f["path"] = f["input"].map(lambda n: meta[n].path)
        f["op"] = f["input"].map(lambda n: meta[n].op if meta[n].kind == "driver" else "set")
        f["separates"] = separates(f["p_value"].to_numpy(), n_inputs, rule)
        cut = rule.alpha / n_inputs

        def statement(r: pd.Series, cut: float = cut) -> tuple[str, str]:
            sym = " × " if r["op"] == "scale" else " in "
            ranges = (f"[{_fmt(r['met_q10'])}, {_fmt(r['met_q90'])}]",
                      f"[{_fmt(r['missed_q10'])}, {_fmt(r['missed_q90'])}]")
            test = f"KS {r['ks']:.2f}, p = {r['p_value']:.2g}"
            if r["separates"]:
                return (f"{r['path']}{sym}{ranges[0]} among met runs vs {ranges[1]} among missed "
                        f"(medians {_fmt(r['met_median'])} vs {_fmt(r['missed_median'])}; {test})",
                        f"{r['path']}{sym}{ranges[0]}(达标运行)对比{ranges[1]}(未达标运行)"
                        f"(中位数 {_fmt(r['met_median'])} 对 {_fmt(r['missed_median'])};{test})")
            return (f"{r['path']}: no significant difference between met and missed runs "
                    f"({test}; needs p < {cut:.2g})",
                    f"{r['path']}:达标与未达标运行之间无显著差异({test};需 p < {cut:.2g})")

        st = f.apply(statement, axis=1, result_type="expand")
        f["statement"], f["statement_zh"] = st[0], st[1]
        if not f["separates"].any():
            f = pd.concat([pd.DataFrame([_no_finding_row(
                t.target_id, n_met, n_missed,
                f"no input separates met from missed runs ({n_met} met, {n_missed} missed; "
                f"KS p < {rule.alpha:g}/{n_inputs} needed)",
                f"没有输入能显著区分达标与未达标运行({n_met}次达标,{n_missed}次未达标;"
                f"需 KS p < {rule.alpha:g}/{n_inputs})")]), f], ignore_index=True)
        frames.append(f)
    if not frames:
        return pd.DataFrame(columns=["target", "input", "ks", "p_value", "n_met", "n_missed", "path", "op",
                                     "separates", "statement", "statement_zh"])
    return pd.concat(frames, ignore_index=True)


def sensitivity_note(model: Any, column: Column) -> str:
    """The documented reason an input stays although it may move no scored target
    (``sensitivity_note`` of its prior in calibration/priors.yaml or of its registry entry)."""
    from model.scenario.registry import INPUTS

    if column.kind == "parameter":
        spec = model.parameters.specs.get(column.target)
        return spec.sensitivity_note if spec is not None else ""
    entry = INPUTS.get(column.path.partition(".")[2])
    return entry.sensitivity_note if entry is not None else ""


def inputs_frame(problem: Problem, columns: Sequence[Column], model: Any = None) -> pd.DataFrame:
    rows = []
    for inp, c in zip(problem.inputs, columns, strict=True):
        rows.append({
            "input": inp.name, "path": c.path, "kind": c.kind, "target": c.target, "op": c.op,
            "group": inp.group, "distribution": inp.distribution,
            "params": " ".join(f"{p:.6g}" for p in inp.params), "unit": inp.unit,
            "label_en": inp.label("en"), "label_zh": inp.label("zh"),
            "sensitivity_note": sensitivity_note(model, c) if model is not None else "",
        })
    return pd.DataFrame(rows)


def study(
    scenario: str | os.PathLike,
    method: str = "sobol",
    n: int = 1024,
    seed: int | None = 0,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    evaluator: Evaluator | None = None,
    per_year: bool = False,
    until_ci_width: float | None = None,
    max_n: int | None = None,
    chunk_size: int = MODEL_CHUNK,
    num_resamples: int = 100,
    progress: bool = False,
    calibration_dir: str | None = None,
    sweep_points: int = 7,
) -> SensitivityStudy:
    """Run a sensitivity + uncertainty study of a scenario.

    Parameters
    ----------
    scenario : path of a scenario YAML (its ``uncertainty:`` block defines the inputs)
    method : ``sobol | morris | fast | rbd-fast | delta | pawn``
    n : base sample size (Sobol: rounded up to a power of two; see :mod:`.sampling`)
    seed : sampling and bootstrap seed (same seed -> same results, local or dask)
    workers, scheduler : dask evaluation (local worker processes / ``tcp://host:port``)
    evaluator : use this evaluator instead (not closed here)
    per_year : indices for every year 2004-2010 as well as the scoring year
    until_ci_width : double ``n`` until the widest ST (Sobol/FAST) or mu_star (Morris)
        interval is narrower than this, up to ``max_n`` (default max(n, 32768))
    sweep_points : points per instrument of the instrument sweep (plus the scenario's value),
        on min(SWEEP_STATES, random rows) states
    """
    from model.core import YEARS
    from model.run import load_model
    from model.scenario import load_scenario

    try:
        method = canonical_method(method)
    except ValueError as exc:
        raise StudyError(str(exc)) from exc
    if int(n) < 1:
        raise StudyError(f"--samples must be a positive integer, got {n}")
    if until_ci_width is not None and until_ci_width <= 0:
        raise StudyError(f"--until-ci must be > 0, got {until_ci_width}")
    if workers is not None and workers < 1:
        raise StudyError(f"--workers must be >= 1, got {workers}")
    scen = load_scenario(scenario)
    model = load_model(calibration_dir)
    try:
        problem, columns, notices = build_problem(scen, model)
    except UncertaintyError as exc:
        raise StudyError(str(exc)) from exc
    targets = tuple(model.targets)
    years = tuple(int(y) for y in YEARS)
    index_years = tuple(y for y in years if y >= 2004) if per_year else tuple(sorted({t.year for t in targets}))
    # the bulk evaluation returns only the years whose indices are wanted (memory: rows x K x years)
    f_all = ModelFunction.for_scenario(scen, columns, model)
    f = YearSlice(f_all, tuple(years.index(y) for y in index_years))
    names = [f"{t.target_id}@{y}" for t in targets for y in index_years]

    own_ev = evaluator is None
    ev = evaluator or make_evaluator(workers, scheduler, chunk_size, progress)
    # refuse a design the machine cannot hold before anything is allocated
    largest = max(int(n), int(max_n or max(int(n), DEFAULT_MAX_N))) if until_ci_width is not None else int(n)
    check_memory(study_bytes(method, largest, problem.num_vars, len(names)),
                 f"--samples {largest} ({method}, {problem.num_vars} inputs)", StudyError)
    t_start = time.perf_counter()
    try:
        res = run_study(f, problem, method, int(n), seed, evaluator=ev, output_names=names,
                        num_resamples=num_resamples, until_ci_width=until_ci_width, max_n=max_n)
    except DesignError as exc:
        raise StudyError(str(exc)) from exc
    finally:
        if own_ev:
            ev.close()
    smp: Samples = res.samples
    timings = dict(res.timings)
    notices += res.notices

    # every uncertainty result from one independent pseudo-random sample, as large as the design's
    # random rows, all years - never the (quasi-random, trajectory or stratified) design itself
    t0 = time.perf_counter()
    n_sample = len(res.uncertainty_rows())
    Xi = random_sample(problem, n_sample, seed)
    paths = np.concatenate(
        [f_all(Xi[a : a + chunk_size]).reshape(-1, len(targets), len(years)) for a in range(0, len(Xi), chunk_size)]
    ).transpose(0, 2, 1)  # (n, T, K)
    ptargets = [PTarget(t.target_id, t.value, t.comparator) for t in targets]
    ty = [years.index(t.year) for t in targets]
    Y_score = np.stack([paths[:, ty[k], k] for k in range(len(targets))], axis=1)
    prob = p_met(Y_score, ptargets, seed=seed)
    fy = first_year_reached(paths[:, 1:, :], years[1:], ptargets)
    filt = filtering_frame(Xi, paths, problem, columns, targets, years)
    # instruments over their ranges on the state sample of P(met | policy)
    n_states = min(SWEEP_STATES, n_sample)
    resp = instrument_sweep(scen, model, points=sweep_points, n_states=n_states, seed=seed)
    timings["uncertainty"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start

    return SensitivityStudy(
        scenario_path=os.fspath(scenario), scenario_id=scen.id,
        scenario_name={"en": scen.spec.name.en, "zh": scen.spec.name.zh},
        method=method, seed=seed, problem=problem, columns=list(columns), samples=smp,
        years=years, index_years=index_years, targets=targets, Y=res.Y, eval_years=index_years,
        paths=paths, indices=_tidy_indices(res.indices, problem, columns),
        probabilities=prob, first_year=fy, instrument_response=resp, filtering=filt,
        inputs_table=inputs_frame(problem, columns, model), convergence=res.convergence,
        convergence_message=res.convergence_message, notices=notices, timings=timings,
        settings={"n_requested": int(n), "n": smp.n, "rows": smp.n_rows, "seed": seed,
                  "workers": workers, "scheduler": scheduler, "per_year": per_year,
                  "until_ci": until_ci_width, "chunk_size": chunk_size, "num_resamples": num_resamples,
                  "uncertainty_sample": {"kind": "independent pseudo-random (numpy PCG64), iid from the input distributions",
                                         "runs": int(len(Xi)), "seed": seed,
                                         "used_for": "P(met), first year, fan charts, filtering"},
                  "instrument_sweep": {"points": sweep_points, "states": n_states,
                                       "sample": "the seeded state sample of P(met | policy)"},
                  "support_rule": {"min_class_runs": DEFAULT_RULE.min_class_runs,
                                   "alpha": DEFAULT_RULE.alpha, "min_bin_runs": DEFAULT_RULE.min_bin_runs},
                  "evaluator": type(ev).__name__},
        scenario_files=tuple(str(p) for p in scen.chain),
        sample_X=Xi,
    )


__all__ = ["METHODS", "SensitivityStudy", "StudyError", "make_evaluator", "study"]
