"""Shared builders for model tests: a tiny two-sector base and neutral inputs."""

from __future__ import annotations

import numpy as np

from model.core import ModelBase
from model.parameters import load_parameters
from model.run import with_runs
from model.scenario.resolve import neutral_drivers


def tiny_base(**overrides) -> ModelBase:
    fields = dict(
        sectors=("a", "b"),
        high_tech=np.array([False, True]),
        value_added=np.array([100.0, 50.0]),
        gross_output=np.array([400.0, 250.0]),
        sales=np.array([380.0, 240.0]),
        capital=np.array([300.0, 120.0]),
        labour=np.array([40.0, 20.0]),
        investment=np.array([60.0, 30.0]),
        export_delivery=np.array([80.0, 60.0]),
        rd=np.array([3.8, 2.4]),
        energy=np.array([200.0, 20.0]),
        china_gross_output=np.array([4000.0, 1000.0]),
        china_export_delivery=1000.0,
        fdi_actually_used=2.0,
        key_firms_count=301.0,
        key_firms_output=2954.9,
        top_firms_anchor_count=183.0,
        rd_growth_presample=0.1,
        local_fiscal_expenditure_2003=900.0,
        above_size_firms_2003=20000.0,
    )
    fields.update(overrides)
    return ModelBase(**fields)


def neutral_inputs(n_runs: int = 1, **param_overrides):
    """Central parameters (+ overrides) and neutral drivers with exchange rate 8."""
    # hand-computed cases switch terms off (e.g. gamma_r = 0), outside the plausible prior ranges
    params = load_parameters().arrays(n_runs, param_overrides, check=False)
    drivers = neutral_drivers(2)
    drivers["exchange_rate"][:] = 8.0
    return params, drivers


def run_tiny(params, drivers, base=None):
    from model.core import simulate

    return simulate(base or tiny_base(), params, with_runs(drivers))
