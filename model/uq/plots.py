"""Matplotlib figures for sensitivity and uncertainty results (no display needed).

All functions build a standalone :class:`matplotlib.figure.Figure` without pyplot
(no global state, no GUI backend; saving renders with Agg), accept ``labels`` (``{name: display label}``, e.g. ``problem.labels('zh')``),
``title`` and ``font_family`` (e.g. a CJK font registered by the caller; otherwise
the caller's ``rcParams`` apply), and return the Figure. :func:`save` writes it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]


def _fig(figsize: tuple[float, float], font_family: str | Sequence[str] | None) -> Figure:
    fig = Figure(figsize=figsize, layout="constrained")
    fig._sa_font = font_family  # type: ignore[attr-defined]
    return fig


def _font(fig: Figure) -> dict:
    ff = getattr(fig, "_sa_font", None)
    return {"family": ff} if ff else {}


def _apply_font(fig: Figure) -> None:
    ff = getattr(fig, "_sa_font", None)
    if not ff:
        return
    for text in fig.findobj(Text):
        text.set_fontfamily(ff)


def _group_colours(gnames: Sequence[str], colours: Mapping[str, str] | None) -> dict[str, str]:
    """Colour per group: ``colours[g]`` when the caller gives one (a fixed palette, so a group
    has the same colour in every figure: model.reporting.palette), else by position."""
    given = colours or {}
    return {g: given.get(g) or _PALETTE[i % len(_PALETTE)] for i, g in enumerate(gnames)}


def _label(labels: Mapping[str, str] | None, name: str) -> str:
    return labels.get(name, name) if labels else name


def sobol_bars(
    indices: pd.DataFrame,
    output: str | None = None,
    labels: Mapping[str, str] | None = None,
    groups: Mapping[str, str | None] | None = None,
    title: str | None = None,
    font_family: str | Sequence[str] | None = None,
    sort: bool = True,
    first: str = "S1",
    total: str = "ST",
    figsize: tuple[float, float] | None = None,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """Horizontal bars of first-order and total indices with confidence intervals.

    Inputs are ordered by group, then by decreasing ``ST``; bar colour = group
    (family; ``colours`` = ``{group: colour}``, by position for groups it lacks); ``S1``
    solid, ``ST`` hatched, error bars = ``*_conf`` half-widths.
    """
    out = indices["output"].iloc[0] if output is None else output
    d = indices[indices["output"] == out]
    wide = d.pivot_table(index="input", columns="index", values="value", sort=False, dropna=False)
    has_total = total in wide.columns
    key = total if has_total else first
    names = list(wide.index)
    grp = {n: (groups or {}).get(n) or "" for n in names}
    gnames = list(dict.fromkeys(grp[n] for n in names))
    if sort:
        names.sort(key=lambda n: (gnames.index(grp[n]), -np.nan_to_num(wide.loc[n, key], nan=-1)))
    colours = _group_colours(gnames, colours)
    fig = _fig(figsize or (7.0, 1.2 + 0.35 * len(names)), font_family)
    ax = fig.add_subplot()
    ypos = np.arange(len(names))[::-1]
    h = 0.38 if has_total else 0.7
    col = [colours[grp[n]] for n in names]

    def series(idx: str) -> np.ndarray:
        return wide.reindex(names)[idx].to_numpy(dtype=float) if idx in wide.columns else None

    s1, s1c = series(first), series(f"{first}_conf")
    ax.barh(ypos + (h / 2 if has_total else 0), s1, height=h, color=col, xerr=s1c,
            ecolor="0.2", capsize=2, label=first)
    if has_total:
        st, stc = series(total), series(f"{total}_conf")
        ax.barh(ypos - h / 2, st, height=h, color=col, alpha=0.45, hatch="//",
                edgecolor=col, xerr=stc, ecolor="0.2", capsize=2, label=total)
    ax.set_yticks(ypos, [_label(labels, n) for n in names])
    ax.axvline(0, color="0.3", lw=0.8)
    ax.set_xlabel("Sensitivity index")
    handles = [Patch(facecolor="0.4", label=first)]
    if has_total:
        handles.append(Patch(facecolor="0.4", alpha=0.45, hatch="//", label=total))
    if any(gnames):
        handles += [Patch(facecolor=colours[g], label=_label(labels, g)) for g in gnames if g]
    # legend outside the axes, so it never hides a bar
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
              borderaxespad=0.0)
    ax.set_title(title or str(out))
    _apply_font(fig)
    return fig


def morris_scatter(
    indices: pd.DataFrame,
    output: str | None = None,
    labels: Mapping[str, str] | None = None,
    groups: Mapping[str, str | None] | None = None,
    title: str | None = None,
    font_family: str | Sequence[str] | None = None,
    figsize: tuple[float, float] = (6.5, 5.0),
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """Morris ``mu*`` (x) against ``sigma`` (y) with input labels and mu* error bars; point
    colour = group (``colours`` as in :func:`sobol_bars`).

    The lines ``sigma / mu* = 0.1, 0.5, 1`` (Garcia Sanchez et al. 2014) separate
    almost linear, monotonic and non-linear/interacting effects.
    """
    out = indices["output"].iloc[0] if output is None else output
    d = indices[indices["output"] == out]
    wide = d.pivot_table(index="input", columns="index", values="value", sort=False, dropna=False)
    names = list(wide.index)
    grp = {n: (groups or {}).get(n) or "" for n in names}
    gnames = list(dict.fromkeys(grp[n] for n in names))
    colours = _group_colours(gnames, colours)
    fig = _fig(figsize, font_family)
    ax = fig.add_subplot()
    mu = wide["mu_star"].to_numpy(float)
    sig = wide["sigma"].to_numpy(float)
    conf = wide["mu_star_conf"].to_numpy(float) if "mu_star_conf" in wide else None
    ax.errorbar(mu, sig, xerr=conf, fmt="none", ecolor="0.6", lw=0.8)
    ax.scatter(mu, sig, c=[colours[grp[n]] for n in names], zorder=3)
    for n, x, y in zip(names, mu, sig, strict=True):
        ax.annotate(_label(labels, n), (x, y), xytext=(4, 3), textcoords="offset points",
                    fontsize="small")
    top = np.nanmax(np.r_[mu, sig, 1e-12]) * 1.1
    xx = np.linspace(0, top, 2)
    for r, ls in ((0.1, ":"), (0.5, "--"), (1.0, "-.")):
        ax.plot(xx, r * xx, color="0.7", ls=ls, lw=0.8, label=f"σ/μ* = {r}")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("μ* (mean |elementary effect|)")
    ax.set_ylabel("σ (std of elementary effects)")
    if any(gnames):
        for g in gnames:
            if g:
                ax.scatter([], [], color=colours[g], label=_label(labels, g))
    ax.legend(fontsize="small", loc="upper left")
    ax.set_title(title or str(out))
    _apply_font(fig)
    return fig


def fan_chart(
    years: Sequence[float],
    Y: np.ndarray,
    target: float | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    font_family: str | Sequence[str] | None = None,
    ylabel: str | None = None,
    target_label: str = "target",
    color: str = "#1f77b4",
    figsize: tuple[float, float] = (7.0, 4.2),
) -> Figure:
    """Fan chart of an ``(n, T)`` ensemble: nested decile bands 10-90, 20-80, 30-70, 40-60
    (darker towards the centre), the median line and an optional horizontal target line.
    """
    Y = np.asarray(Y, dtype=np.float64)
    yrs = np.asarray(years, dtype=float)
    if Y.ndim != 2 or Y.shape[1] != yrs.size:
        raise ValueError(f"Y must be (n, {yrs.size}), got {Y.shape}")
    q = np.nanquantile(Y, np.arange(1, 10) / 10.0, axis=0)  # deciles 10..90
    fig = _fig(figsize, font_family)
    ax = fig.add_subplot()
    for k, alpha in zip(range(4), (0.15, 0.25, 0.35, 0.45), strict=True):
        lo, hi = q[k], q[8 - k]
        ax.fill_between(yrs, lo, hi, color=color, alpha=alpha, lw=0,
                        label=f"{(k + 1) * 10}–{(9 - k) * 10} %")
    ax.plot(yrs, q[4], color=color, lw=2, label=_label(labels, "median"))
    if target is not None:
        ax.axhline(target, color="#d62728", ls="--", lw=1.2, label=_label(labels, target_label))
    ax.set_xlabel(_label(labels, "year"))
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.legend(fontsize="small", loc="best")
    if title:
        ax.set_title(title)
    _apply_font(fig)
    return fig


def response_curve_plot(
    curve: pd.DataFrame,
    lever: str = "lever",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    font_family: str | Sequence[str] | None = None,
    figsize: tuple[float, float] = (6.5, 4.0),
) -> Figure:
    """P(met) against a lever (output of :func:`probability.response_curve`) with its
    Wilson band; empty bins are skipped."""
    c = curve[curve["n"] > 0]
    x = c["x_mean"].to_numpy(float)
    fig = _fig(figsize, font_family)
    ax = fig.add_subplot()
    ax.fill_between(x, c["lo"].to_numpy(float), c["hi"].to_numpy(float), color="#1f77b4",
                    alpha=0.25, lw=0, label=_label(labels, "interval"))
    ax.plot(x, c["p"].to_numpy(float), "o-", color="#1f77b4", label=_label(labels, "P(met)"))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(_label(labels, lever))
    ax.set_ylabel(_label(labels, "P(met)"))
    ax.legend(fontsize="small", loc="best")
    if title:
        ax.set_title(title)
    _apply_font(fig)
    return fig


def save(fig: Figure, path: str | Path, dpi: int = 150) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix; parent directories created)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    # bbox "tight": long bilingual titles, labels and outside legends are never clipped
    fig.savefig(p, dpi=dpi, bbox_inches="tight")
    return p
