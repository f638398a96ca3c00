"""Family colours (model/reporting/palette.py): one colour per family, the same in every figure."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.colors import to_hex

from model.parameters import load_parameters
from model.reporting.palette import (
    FAMILY_COLOURS,
    NO_FAMILY,
    SPARE_COLOURS,
    family_colour,
    family_colours,
)
from model.scenario.registry import REGISTRY
from model.studies.sensitivity import FAMILY_LABELS
from model.uq import plots


def test_every_family_has_its_own_colour():
    families = {s.family for s in REGISTRY} | {p.family for p in load_parameters().specs.values()} | set(FAMILY_LABELS)
    missing = sorted(families - set(FAMILY_COLOURS))
    assert not missing, f"add these families to model/reporting/palette.py FAMILY_COLOURS: {missing}"
    colours = list(FAMILY_COLOURS.values()) + list(SPARE_COLOURS) + [NO_FAMILY]
    assert len(set(colours)) == len(colours)  # no two families (or spares) share a colour


def test_unknown_family_gets_a_stable_spare_colour():
    assert family_colour("a_new_family") == family_colour("a_new_family") in SPARE_COLOURS
    assert family_colour("") == family_colour(None) == NO_FAMILY
    # independent of what else a figure shows, and of order
    assert family_colours(["rd", "fdi"])["rd"] == family_colours(["energy", "power", "rd"])["rd"] == FAMILY_COLOURS["rd"]


def _bars(inputs: dict[str, str]) -> dict[str, str]:
    """A Sobol bar chart of ``{input: family}`` with the palette; ``{family: bar colour}``."""
    rows = []
    for k, name in enumerate(inputs):
        rows += [{"output": "y", "input": name, "index": "S1", "value": 0.1 * (k + 1)},
                 {"output": "y", "input": name, "index": "ST", "value": 0.2 * (k + 1)}]
    fig = plots.sobol_bars(pd.DataFrame(rows), groups=inputs, colours=family_colours(inputs.values()))
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]  # tick k labels bar k (set together)
    out: dict[str, set] = {}
    for name, bar in zip(labels, ax.containers[0], strict=True):  # the S1 bars
        out.setdefault(inputs[name], set()).add(to_hex(bar.get_facecolor()))
    return {fam: cols.pop() for fam, cols in out.items() if len(cols) == 1}


def test_the_same_family_has_the_same_colour_in_two_figures():
    a = _bars({"rd_return": "rd", "gamma_f": "fdi"})  # rd drawn first here ...
    b = _bars({"aeei": "energy", "kappa": "trade", "rd_hightech_multiplier": "rd"})  # ... third here
    assert a["rd"] == b["rd"] == FAMILY_COLOURS["rd"]
    assert a["fdi"] == FAMILY_COLOURS["fdi"] and b["energy"] == FAMILY_COLOURS["energy"]


def test_sensitivity_figures_colour_families_with_the_palette(monkeypatch, tmp_path):
    """Through the study writer: every family legend entry of every indices figure has the
    palette's colour, and at least one family appears in two figures."""
    from matplotlib.patches import Patch

    from model.outputs import sensitivity as out
    from model.studies.sensitivity import study

    figs = []
    monkeypatch.setattr(out.plots, "save", lambda fig, path, dpi=None: figs.append((path.name, fig)))
    st = study("scenarios/plan-2004.yaml", "sobol", 16, seed=2)
    out.write_figures(st, tmp_path)
    seen: dict[str, list[str]] = {}
    label_to_family = {out._short_label(st, g): g for g in st.problem.group_names}
    for name, fig in figs:
        if not name.startswith("indices_"):
            continue
        for h in fig.axes[0].get_legend().legend_handles:
            fam = label_to_family.get(h.get_label())
            if isinstance(h, Patch) and fam:
                assert to_hex(h.get_facecolor()) == family_colour(fam), (name, fam)
                seen.setdefault(fam, []).append(name)
    assert any(len(v) >= 2 for v in seen.values()), seen


@pytest.mark.parametrize("plot", ["sobol", "morris"])
def test_without_a_palette_colours_go_by_position(plot):
    """The figures' own fallback (no ``colours``) is by position: why the writers pass the palette."""
    inputs = {"x": "rd", "y": "fdi"}
    if plot == "sobol":
        assert _bars_no_palette(inputs)["rd"] != _bars_no_palette({"z": "fdi", **inputs})["rd"]
    else:
        rows = [{"output": "y", "input": n, "index": i, "value": v} for n in inputs
                for i, v in (("mu_star", 0.5), ("sigma", 0.2), ("mu", 0.1))]
        fig = plots.morris_scatter(pd.DataFrame(rows), groups=inputs, colours=family_colours(inputs.values()))
        pts = next(c for c in fig.axes[0].collections if len(c.get_offsets()) == len(inputs))  # the points
        assert {to_hex(c) for c in pts.get_facecolors()} == {FAMILY_COLOURS["rd"], FAMILY_COLOURS["fdi"]}


def _bars_no_palette(inputs: dict[str, str]) -> dict[str, str]:
    rows = [{"output": "y", "input": n, "index": "S1", "value": 0.1} for n in inputs]
    fig = plots.sobol_bars(pd.DataFrame(rows), groups=inputs)
    handles = fig.axes[0].get_legend().legend_handles
    return {h.get_label(): to_hex(h.get_facecolor()) for h in handles if h.get_label() in inputs.values()}
