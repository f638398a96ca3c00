"""Write a calibration: ``parameters.yaml``, the ``calibrated:`` block of ``priors.yaml``, and
the report (``report.md`` and plots of fit, residuals, back-test)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from model.outputs.atomic import (  # noqa: E402
    atomic_directory,
    check_output_dir,
    check_output_file,
    write_file_atomic,
)
from model.parameters import PRIORS_FILE  # noqa: E402
from model.paths import RESULTS_DIR  # noqa: E402
from model.studies.calibrate import fit as F  # noqa: E402
from model.studies.calibrate.api import (  # noqa: E402
    LEVEL_SERIES,
    PRIORS_MARKER,
    CalibrationResult,
    parameters_differences,
    priors_differences,
    update_priors_text,
)
from model.studies.calibrate.history import END, START  # noqa: E402

LEVEL_LABELS = {
    "gdp_growth": "Zhejiang real GDP (level, 2003 prices)",
    "depreciation": "Zhejiang depreciation (level, nominal)",
    "energy_growth": "Zhejiang industry final energy (level)",
}
TITLES = {
    "gdp_growth": "Real GDP growth (log)",
    "depreciation": "Depreciation, log 100m yuan",
    "energy_growth": "Industry final energy growth (log)",
}


def _save(fig, path: Path) -> str:
    """Lay out, write and close a figure; returns its file name."""
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path.name


def _plots(result, out: Path) -> list[str]:
    full = result.fit
    hist = result.history
    obs = F.observed(hist)
    mod = F.modelled(full.run)
    y = hist.years
    files = []
    n = len(F.SERIES)
    fig, axes = plt.subplots(1, n, figsize=(4.4 * n, 3.6))
    for ax, s in zip(axes, F.SERIES, strict=True):
        ax.plot(y, obs[s], "o-", label="observed")
        ax.plot(y, mod[s], "s--", label=f"fitted {START}-{END}")
        ax.set_title(TITLES[s])
        ax.grid(alpha=0.3)
    axes[0].legend()
    files.append(_save(fig, out / "fit.png"))

    fig, axes = plt.subplots(1, n, figsize=(4.4 * n, 3.2))
    for ax, s in zip(axes, F.SERIES, strict=True):
        ax.bar(y, obs[s] - mod[s])
        ax.axhline(0, color="k", lw=0.8)
        ax.set_title(f"Residual: {TITLES[s]}")
        ax.grid(alpha=0.3)
    files.append(_save(fig, out / "residuals.png"))

    fig, axes = plt.subplots(1, len(LEVEL_SERIES), figsize=(4.4 * len(LEVEL_SERIES), 3.6))
    for ax, (s, lvl) in zip(axes, LEVEL_SERIES.items(), strict=True):
        row = result.backtest[s]
        ax.plot(y, getattr(hist, lvl), "o-", label="observed")
        ax.plot(row.years, row.model, "s--", label="model (fit to 2000)")
        ax.plot(row.years, row.naive, "^:", label="naive trend")
        ax.axvline(2000.5, color="grey", lw=0.8)
        ax.set_title({"gdp_real": "Real GDP, 100m yuan 2003", "depreciation": "Depreciation, 100m yuan",
                      "industry_energy": "Industry final energy, Mt tce"}[lvl])
        ax.grid(alpha=0.3)
    axes[0].legend()
    files.append(_save(fig, out / "backtest.png"))
    return files


def _fmt(x: float, d: int = 4) -> str:
    return f"{x:.{d}f}"


#: how a parameters file is recognised before it is overwritten: the header `mfgbase calibrate`
#: writes, or (after a hand edit dropped the header) its top-level ``estimates:`` key
PARAMS_SIGNATURE = ("written by `mfgbase calibrate`", "\nestimates:")


def output_paths(
    calibration_dir: str | Path | None = None,
    params_out: str | Path | None = None,
    priors_out: str | Path | None = None,
    report_dir: str | Path | None = None,
) -> tuple[Path, Path, Path]:
    """(parameters file, priors file, report folder) a calibration writes, defaults filled in."""
    from model.paths import CALIBRATION_DIR

    cdir = Path(calibration_dir) if calibration_dir else CALIBRATION_DIR
    return (Path(params_out) if params_out else cdir / "parameters.yaml",
            Path(priors_out) if priors_out else cdir / PRIORS_FILE,
            Path(report_dir) if report_dir else RESULTS_DIR / "calibration")


def check_calibration_outputs(
    calibration_dir: str | Path | None = None,
    params_out: str | Path | None = None,
    priors_out: str | Path | None = None,
    report_dir: str | Path | None = None,
    report: bool = True,
) -> None:
    """Refuse unsafe output paths before the fit runs (``model.outputs.atomic``): the
    parameters and priors files must be missing or files mfgbase wrote, the report folder
    missing or a result folder mfgbase created."""
    p_out, pri_out, rdir = output_paths(calibration_dir, params_out, priors_out, report_dir)
    check_output_file(p_out, PARAMS_SIGNATURE)
    check_output_file(pri_out, PRIORS_MARKER)
    if report:
        check_output_dir(rdir)


def write_calibration(
    result: CalibrationResult,
    params_out: str | Path | None = None,
    priors_out: str | Path | None = None,
    report_dir: str | Path | None = None,
    report: bool = True,
) -> dict[str, Path]:
    """Write ``parameters.yaml`` (default ``<calibration_dir>/parameters.yaml``), rewrite the
    ``calibrated:`` block of ``priors_out`` (default ``<calibration_dir>/priors.yaml``; read from
    there if it does not exist yet) and, with ``report``, the report folder (default
    ``results/calibration``). Each file is replaced atomically. A file that already agrees with
    the fit within tolerance (``model.studies.calibrate.precision``) is not rewritten, so
    rerunning on another machine leaves a clean checkout clean: it is listed in
    ``result.unchanged``. Returns the files written (also recorded in ``result.paths``).
    """
    cdir = Path(result.calibration_dir)
    paths: dict[str, Path] = {}
    p_out = Path(params_out) if params_out else cdir / "parameters.yaml"
    if parameters_differences(p_out, result.text):
        write_file_atomic(p_out, result.text, PARAMS_SIGNATURE)
        paths["parameters"] = p_out
    else:
        result.unchanged["parameters"] = p_out
    pri_out = Path(priors_out) if priors_out else cdir / PRIORS_FILE
    src_text = (pri_out if pri_out.exists() else cdir / PRIORS_FILE).read_text(encoding="utf-8")
    if not pri_out.exists() or priors_differences(src_text, result.priors_block):
        write_file_atomic(pri_out, update_priors_text(src_text, result.priors_block), PRIORS_MARKER)
        paths["priors"] = pri_out
    else:
        result.unchanged["priors"] = pri_out
    if report:
        paths["report"] = write_report(result, Path(report_dir) if report_dir else RESULTS_DIR / "calibration")
    result.paths.update(paths)
    return paths


def write_report(result: CalibrationResult, out_dir: Path) -> Path:
    """Write report.md and its plots to ``out_dir`` atomically (a failure keeps the old report)."""
    target = Path(out_dir)
    with atomic_directory(target) as out:
        _write_report_files(result, out)
    return target / "report.md"


def _write_report_files(result, out: Path) -> Path:
    _plots(result, out)
    full, bt_fit, doc = result.fit, result.backtest_fit, result.document
    L = ["# Calibration of mfgbase on Zhejiang statistics, 1995-2003", ""]
    L += ["Generated by `mfgbase calibrate` (model/studies/calibrate/). Values in `calibration/parameters.yaml`.", ""]
    L += ["## Parameters", "",
          "| parameter | prior central (sd) [range] | fit 1995-2003 ± se | post/prior sd | status | model default | fit to 2000 ± se |",
          "|---|---|---|---|---|---|---|"]
    for n in full.names:
        pr = full.priors[n]
        default = full.theta[n] if full.calibrated(n) else pr.central
        L.append(f"| {n} | {pr.central:g} ({pr.sd:.4g}) [{pr.low:g}, {pr.high:g}] | "
                 f"{_fmt(full.theta[n])} ± {_fmt(full.se[n])} | {full.posterior_ratio(n):.2f} | "
                 f"{full.status(n)} | {default:.4g} | {_fmt(bt_fit.theta[n])} ± {_fmt(bt_fit.se[n])}"
                 f"{' (at bound)' if bt_fit.at_bound[n] else ''} |")
    L += ["", "Status: *identified* (posterior sd < 0.5 prior sd), *informed* (< 0.9), *prior_dominated* "
          "(the data add little; the model keeps the prior). Held at the prior: "
          + ", ".join(f"{k} = {v:g}" for k, v in full.held.items()) + ". "
          "Not in the historical equations at all (prior-only): gamma_f, mu_absorptive, eta_y, eta_p, kappa, "
          "rebound, pareto_zeta, bass_p, bass_q and the base-year / assumption parameters.", ""]
    corr = full.correlation()
    L += ["Correlation of the estimates:", "", "| | " + " | ".join(full.names) + " |",
          "|---" * (len(full.names) + 1) + "|"]
    for i, a in enumerate(full.names):
        L.append(f"| {a} | " + " | ".join(f"{corr[i, j]:.2f}" for j in range(len(full.names))) + " |")
    L += ["", "## Fit 1995-2003", "", "| series | years | n | RMSE | R² | sigma used |", "|---|---|---|---|---|---|"]
    for s in F.SERIES:
        st = full.stats[s]
        L.append(f"| {doc['fit'][s]['label']} | {st['years'][0]}-{st['years'][1]} | {st['n']} | "
                 f"{st['rmse']:.4f} | {st['r2']:.3f} | {full.sigma[s]:.4f} |")
    L += ["", "R² of growth series is measured against the series' own mean: a constant-growth model "
          "cannot beat it by much, and a negative R² means the year-to-year swings are not explained.", "",
          "![fit](fit.png)", "", "![residuals](residuals.png)", ""]
    L += ["## Back-test: fit 1995-2000, project 2001-2003 with realised inputs", "",
          "Naive: mean log growth 1995-2000 extrapolated from the 2000 level. Errors in % of observed; "
          "bias = mean(forecast - observed).", "",
          "| series | years | MAPE model | bias model | MAPE naive | bias naive | better |",
          "|---|---|---|---|---|---|---|"]
    for s, r in result.backtest.items():
        L.append(f"| {LEVEL_LABELS[s]} | {r.years[0]}-{r.years[-1]} | {r.mape_model:.2f}% | "
                 f"{r.bias_model:+.2f}% | {r.mape_naive:.2f}% | {r.bias_naive:+.2f}% | {r.winner} |")
    L += ["", "Per year (observed / model / naive):", "", "| series | year | observed | model | naive |",
          "|---|---|---|---|---|"]
    for s, r in result.backtest.items():
        for i, yr in enumerate(r.years):
            L.append(f"| {LEVEL_LABELS[s]} | {yr} | {r.observed[i]:.1f} | {r.model[i]:.1f} | {r.naive[i]:.1f} |")
    L += ["", "![backtest](backtest.png)", ""]
    L += ["## Data rules and statistical breaks", ""] + [f"- {n}" for n in result.history.notes]
    L += [f"- {b}" for b in doc["calibration"]["statistical_breaks"]]
    L += ["", "Deflator check (H2) against the official real GDP index (CSY 2000, preliminary vintage):", "",
          "| year | gdp_index growth | deflated revised GDP growth |", "|---|---|---|"]
    for y, (a, b) in sorted(result.history.gdp_index_check.items()):
        L.append(f"| {y} | {100 * a:.1f}% | {100 * b:.1f}% |")
    L += ["", "No real GDP index after 1999 is in the data, so the deflator is unchecked for 2000-2003.",
          "", "## Caveats", "",
          "- Output is province GDP, not manufacturing value added (no Zhejiang industry VA series before "
          "2003 in the data): tfp_growth is an economy-wide TFP trend used for manufacturing.",
          "- aeei is not fitted here: it is estimated on manufacturing sectors (LMDI intensity effect, "
          "model/energy_history.py, docs/model.md block E).",
          "- delta_k is pinned by income-approach depreciation, an accounting (book) figure; Zhang, Wu & "
          "Zhang (2004) preferred 9.6 % over such figures.",
          "- The R&D term uses national R&D / GDP (no Zhejiang R&D series): rd_return cannot be told "
          "apart from tfp_growth, so it is held at its literature prior and tfp_growth is fitted net of it.",
          "", "Input hashes: " + ", ".join(f"`{k}` {v[:12]}…" for k, v in doc["data"]["sha256"].items()), ""]
    path = out / "report.md"
    path.write_text("\n".join(L), encoding="utf-8")
    return path
