"""Code paths of the core and the indicators that the small hand-computed cases do not take.

- The parallel kernel (``kernel.simulate_parallel``) runs only for blocks of at least
  ``core.PARALLEL_MIN_RUNS`` (256) runs. Here the threshold and the chunk size are lowered for
  the test (monkeypatch), so a few runs take that path: it must give the same bits as the
  serial path and the hand-worked values, with chunks that do not divide the runs evenly.
- ``Projection.total`` over a sector mask.
- ``indicators.compute`` on a Projection whose values were replaced after ``simulate`` (its
  kernel blocks are stale and must be rebuilt from the values) or built without blocks, on
  several runs, and with more than one high-tech sector.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re

import numpy as np
import pytest

from model import core, indicators, kernel
from model.run import with_runs
from tests._model_helpers import tiny_base
from tests.test_teeth_blocks import FDI0, _per_sector_by_hand, _quiet_runs

R = 5
DELTA = np.array([0.1, 0.2, 0.05, 0.15, 0.3])
FDI_GROWTH = np.array([0.0, 0.1, 0.5, -0.2, 0.3])
LABOUR_GROWTH = np.array([[0.0, 0.1], [0.2, 0.0], [0.05, 0.05], [-0.1, 0.3], [0.0, 0.0]])


def _five_runs():
    """Five runs, each with its own depreciation rate, FDI growth path and sector labour paths."""
    params, drivers = _quiet_runs(R)
    params["delta_k"] = DELTA.copy()
    d = with_runs(drivers)
    d["fdi_external_growth"] = np.repeat(FDI_GROWTH[:, None], 8, axis=1)
    d["labour_growth"] = np.repeat(LABOUR_GROWTH[:, None, :], 8, axis=1)
    return params, d


def _spy(monkeypatch):
    """Record which kernel entry point ``simulate`` calls (and the chunk size it passes)."""
    calls = []
    serial, parallel = kernel.simulate_serial, kernel.simulate_parallel

    def spy_serial(*args):
        calls.append(("serial", None))
        return serial(*args)

    def spy_parallel(*args):
        calls.append(("parallel", args[-1]))
        return parallel(*args)

    monkeypatch.setattr(kernel, "simulate_serial", spy_serial)
    monkeypatch.setattr(kernel, "simulate_parallel", spy_parallel)
    return calls


@pytest.mark.parametrize("min_runs, chunk", [(2, 2), (5, 3), (1, 1), (3, 8)])
def test_parallel_path_on_a_few_runs_equals_serial_and_hand_values(monkeypatch, min_runs, chunk):
    params, drivers = _five_runs()
    serial = core.simulate(tiny_base(), params, drivers)  # 5 runs < 256: the serial kernel
    calls = _spy(monkeypatch)
    monkeypatch.setattr(core, "PARALLEL_MIN_RUNS", min_runs)
    monkeypatch.setattr(core, "PARALLEL_CHUNK", chunk)
    par = core.simulate(tiny_base(), params, drivers)
    assert calls == [("parallel", chunk)]
    assert list(par.values) == list(serial.values) and len(serial.values) >= 50
    for name, arr in serial.values.items():
        assert par[name].shape == arr.shape, name
        assert par[name].tobytes() == arr.tobytes(), name  # same machine, same code: same bits
    # hand-worked values of every run (accelerator off: _per_sector_by_hand, plus the FDI growth)
    for r in range(R):
        k1, _ = _per_sector_by_hand(0.5, 1.0 - DELTA[r], 0.0)
        np.testing.assert_allclose(par["capital"][r, 1], k1 + FDI_GROWTH[r] * FDI0, rtol=1e-12)
        np.testing.assert_allclose(par["fdi_actually_used"][r, :3], 2.0 * (1 + FDI_GROWTH[r]) ** np.arange(3),
                                   rtol=1e-12)
        np.testing.assert_allclose(par["labour"][r, 2], np.array([40.0, 20.0]) * (1 + LABOUR_GROWTH[r]) ** 2,
                                   rtol=1e-12)


def test_the_parallel_threshold_is_the_first_block_size_that_runs_in_parallel(monkeypatch):
    params, drivers = _five_runs()
    calls = _spy(monkeypatch)
    monkeypatch.setattr(core, "PARALLEL_MIN_RUNS", R)
    core.simulate(tiny_base(), params, drivers)
    monkeypatch.setattr(core, "PARALLEL_MIN_RUNS", R + 1)
    core.simulate(tiny_base(), params, drivers)
    assert calls == [("parallel", core.PARALLEL_CHUNK), ("serial", None)]
    assert core.PARALLEL_MIN_RUNS == R + 1 and 1 <= core.PARALLEL_CHUNK


def test_projection_total_over_a_sector_mask():
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    va = p["value_added"]
    np.testing.assert_array_equal(p.total("value_added"), va.sum(axis=2))
    np.testing.assert_array_equal(p.total("value_added", np.array([False, True])), va[:, :, 1])
    np.testing.assert_array_equal(p.total("value_added", np.array([True, False])), va[:, :, 0])
    assert p.total("energy", np.array([True, True])).shape == (R, 8)


# --------------------------------------------------------------------------- indicators

HT = np.array([False, True])


def _indicators(p, params, hightech=HT, **switches):
    return indicators.compute(p, params, hightech, 1.6, 0.05, switches)


def _assert_same(a, b):
    assert set(a) == set(b) == set(indicators.INDICATORS)
    for name in a:
        np.testing.assert_allclose(a[name].numerator, b[name].numerator, rtol=1e-15, err_msg=name)
        np.testing.assert_allclose(a[name].denominator, b[name].denominator, rtol=1e-15, err_msg=name)


@pytest.mark.parametrize("switches", [{}, {"fdi_reading": "a", "rd_definition": "st_activities",
                                            "erp_denominator": "large_medium"}])
def test_indicators_of_each_run_equal_the_indicators_of_that_run_alone(switches):
    """Five runs at once give each run's indicators (per-run FDI funding share for reading a)."""
    params, drivers = _five_runs()
    params["fdi_funding_relative"] = np.array([1.0, 2.0, 0.5, 1.5, 3.0])
    params["erp_share_2003_above_size"] = np.array([0.05, 0.1, 0.2, 0.3, 0.4])
    params["erp_share_2003_large_medium"] = np.array([0.5, 0.4, 0.3, 0.2, 0.1])
    p = core.simulate(tiny_base(), params, drivers)
    assert len({p["investment_nominal"][r, 3] for r in range(R)}) == R  # the runs differ
    every = _indicators(p, params, **switches)
    for r in range(R):
        one_params = {k: v[r:r + 1] for k, v in params.items()}
        one_drivers = {k: (v[r:r + 1] if v.shape[0] == R else v) for k, v in drivers.items()}
        one = _indicators(core.simulate(tiny_base(), one_params, one_drivers), one_params, **switches)
        _assert_same({k: indicators.Indicator(v.numerator[r:r + 1], v.denominator[r:r + 1])
                      for k, v in every.items()}, one)
    if switches:
        c = p["fdi_manufacturing_nominal"] / p["investment_nominal"]
        np.testing.assert_allclose(every["fdi_share"].value,
                                   0.05 * params["fdi_funding_relative"][:, None] * c / c[:, :1], rtol=1e-12)
        np.testing.assert_allclose(every["erp_share"].value[:, 0], params["erp_share_2003_large_medium"])
    else:
        np.testing.assert_allclose(every["erp_share"].value[:, 0], params["erp_share_2003_above_size"])


def test_indicators_of_a_projection_without_kernel_blocks():
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    bare = core.Projection(values=dict(p.values), sectors=p.sectors)
    assert bare.blocks is None
    _assert_same(_indicators(bare, params), _indicators(p, params))


def test_indicators_read_replaced_values_not_the_stale_kernel_blocks():
    """A Projection whose values were replaced after ``simulate`` keeps the old kernel blocks:
    the indicators must come from the new values (each replaced variable checked)."""
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    ref = _indicators(p, params)
    cases = {  # variable replaced -> (indicator, factor on the variable, factor on the indicator's value)
        "rd": ("rd_sales_ratio", 2.0, 2.0), "sales": ("rd_sales_ratio", 0.5, 2.0),
        "export_delivery": ("xd_share_china", 3.0, 3.0), "china_export_delivery": ("xd_share_china", 0.25, 4.0),
        "energy": ("energy_intensity", 1.5, 1.5), "value_added": ("manufacturing_value_added", 2.0, 2.0),
        "fdi_manufacturing_nominal": ("fdi_share", 2.0, 2.0), "investment_nominal": ("fdi_share", 0.5, 2.0),
        "firms_over_10bn": ("firms_over_10bn", 2.0, 2.0), "small_giants": ("small_giants", 2.0, 2.0),
        "clean_production": ("clean_production", 0.5, 0.5), "erp_above_size": ("erp_share", 0.5, 0.5),
        "informatized_large_medium": ("informatized_large_medium", 0.5, 0.5), "key_parks": ("key_parks", 2.0, 2.0),
        "brands": ("brands", 2.0, 2.0), "national_centres": ("national_centres", 2.0, 2.0),
        "national_bases": ("national_bases", 2.0, 2.0),
    }
    for var, (name, scale, factor) in cases.items():
        values = dict(p.values)
        values[var] = p[var] * scale
        new = core.Projection(values=values, sectors=p.sectors, blocks=p.blocks)
        got = _indicators(new, params)[name]
        np.testing.assert_allclose(got.value, factor * ref[name].value, rtol=1e-12, err_msg=var)
    # high-tech gross output doubled: share 2 g1 / (g0 + 2 g1)
    values = dict(p.values)
    values["gross_output"] = p["gross_output"] * np.array([1.0, 2.0])
    new = core.Projection(values=values, sectors=p.sectors, blocks=p.blocks)
    g = p["gross_output"]
    np.testing.assert_allclose(_indicators(new, params)["hightech_output_share"].value,
                               2 * g[:, :, 1] / (g[:, :, 0] + 2 * g[:, :, 1]), rtol=1e-12)
    # large & medium ERP adoption replaced: read under its switch
    values = dict(p.values)
    values["erp_large_medium"] = np.full_like(p["erp_large_medium"], 0.3)
    new = core.Projection(values=values, sectors=p.sectors, blocks=p.blocks)
    np.testing.assert_allclose(_indicators(new, params, erp_denominator="large_medium")["erp_share"].value, 0.3)
    # a power block with a demand below 1 (100m kWh): curtailment is a share of that demand
    values = dict(p.values)
    values["electricity_demand_mfg"] = np.full_like(p["electricity_demand_mfg"], 0.5)
    values["power_curtailment"] = np.full_like(p["power_curtailment"], 0.2)
    new = core.Projection(values=values, sectors=p.sectors, blocks=p.blocks)
    curt = _indicators(new, params)["power_curtailment"]
    np.testing.assert_allclose(curt.denominator, 0.5)
    np.testing.assert_allclose(curt.value, 0.2)


def test_high_tech_sums_over_every_high_tech_sector():
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    both = _indicators(p, params, hightech=np.array([True, True]))
    np.testing.assert_allclose(both["rd_sales_ratio_hightech"].value, both["rd_sales_ratio"].value, rtol=1e-15)
    np.testing.assert_allclose(both["hightech_output_share"].value, 1.0, rtol=1e-15)
    none = _indicators(p, params, hightech=np.array([False, False]))
    np.testing.assert_array_equal(none["hightech_output_share"].value, 0.0)
    first = _indicators(p, params, hightech=np.array([True, False]))
    np.testing.assert_allclose(first["rd_sales_ratio_hightech"].value, p["rd"][:, :, 0] / p["sales"][:, :, 0],
                               rtol=1e-12)


def test_indicators_make_their_views_of_one_block_when_read_and_behave_as_built_whole():
    """compute's indicators hold compute's output block and make numerator and denominator on
    first read: the same values, equality, repr, copies and pickles as Indicator(n, d)."""
    params, drivers = _five_runs()
    inds = _indicators(core.simulate(tiny_base(), params, drivers), params)
    ind = inds["rd_sales_ratio"]
    assert "numerator" not in vars(ind)  # not made yet
    block = ind.numerator.base
    assert block.shape == (2, len(indicators.NAMES), R, 8) and ind.denominator.base is block
    assert ind.numerator is ind.numerator and "numerator" in vars(ind)  # made once, then kept
    for i, name in enumerate(indicators.NAMES):
        assert inds[name].numerator.base is block
        np.testing.assert_array_equal(inds[name].numerator, block[0, i], err_msg=name)
        np.testing.assert_array_equal(inds[name].denominator, block[1, i], err_msg=name)
    whole = indicators.Indicator(block[0, 1].copy(), block[1, 1].copy())
    lazy = inds[indicators.NAMES[1]]
    assert repr(lazy) == repr(whole)
    np.testing.assert_array_equal(lazy.value, whole.value)
    for twin in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy)),
                 dataclasses.replace(lazy)):
        assert type(twin) is indicators.Indicator and "_row" not in vars(twin)
        np.testing.assert_array_equal(twin.numerator, whole.numerator)
        np.testing.assert_array_equal(twin.denominator, whole.denominator)
    assert len(pickle.dumps(lazy)) < len(pickle.dumps(block)) / 4  # the row, not the block
    with pytest.raises(dataclasses.FrozenInstanceError):
        inds["brands"].numerator = np.zeros((R, 8))
    with pytest.raises(AttributeError, match="'Indicator' object has no attribute 'numer'"):
        inds["brands"].numer  # noqa: B018
    with pytest.raises(AttributeError, match="no attribute 'numerator'"):
        object.__new__(indicators.Indicator).numerator  # noqa: B018


def test_indicators_of_a_projection_missing_a_variable_they_read_refuse_it():
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    values = dict(p.values)
    del values["sales"]
    with pytest.raises(KeyError, match="sales"):
        _indicators(core.Projection(values=values, sectors=p.sectors, blocks=p.blocks), params)


# --------------------------------------------------------------------------- caches (no copies, bounded)


def test_simulate_hands_its_output_blocks_to_the_indicators_without_a_copy():
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    ots, ot, views = p.blocks
    assert ots.shape == (len(kernel.OUTPUTS_TS), R, 8, 2) and ot.shape == (len(kernel.OUTPUTS_T), R, 8)
    assert p["value_added"].base is ots and p["fdi_actually_used"].base is ot
    got_ots, got_ot = indicators._blocks(p)
    assert got_ots is ots and got_ot is ot
    # one value replaced: the blocks are rebuilt (a new stack holding the new value)
    values = dict(p.values)
    values["rd"] = p["rd"] + 1.0
    new_ots, _ = indicators._blocks(core.Projection(values=values, sectors=p.sectors, blocks=p.blocks))
    assert new_ots is not ots
    np.testing.assert_array_equal(new_ots[kernel.OUTPUTS_TS.index("rd")], p["rd"] + 1.0)


def test_base_array_cache_keeps_two_bases_apart_and_ignores_a_reused_id(monkeypatch):
    monkeypatch.setattr(core, "_BASE_CACHE", {})
    a, b = tiny_base(), tiny_base(capital=np.array([200.0, 100.0]))
    bs_a, bc_a = core._base_arrays(a)
    bs_b, _ = core._base_arrays(b)
    assert core._base_arrays(a)[0] is bs_a and core._base_arrays(b)[0] is bs_b  # both stay cached
    np.testing.assert_array_equal(bs_a[kernel.BASE_SECTOR.index("capital")], [300.0, 120.0])
    np.testing.assert_array_equal(bs_b[kernel.BASE_SECTOR.index("capital")], [200.0, 100.0])
    assert bs_a.dtype == bc_a.dtype == np.float64
    # an entry under this base's id that belongs to another (freed) base object is not used
    c = tiny_base(capital=np.array([10.0, 20.0]))
    core._BASE_CACHE[id(c)] = (a, bs_a, bc_a)
    np.testing.assert_array_equal(core._base_arrays(c)[0][kernel.BASE_SECTOR.index("capital")], [10.0, 20.0])
    for _ in range(20):  # bounded: never more than 9 entries
        core._base_arrays(tiny_base())
        assert len(core._BASE_CACHE) <= 9


def test_zero_fdi_reading_a_shares_are_cached_per_run_count_up_to_4096_runs(monkeypatch):
    """Reading c passes zeros for the unused reading-a share: cached per run count, at most for
    4096 runs (bounded memory), each of the right length."""
    params, drivers = _five_runs()
    p = core.simulate(tiny_base(), params, drivers)
    ref = _indicators(p, params)["rd_sales_ratio"].value
    monkeypatch.setattr(indicators, "_ZEROS", {})
    for n in (2, 5, 4096, 4097):
        reps = -(-n // R)
        values = {k: np.concatenate([v] * reps)[:n] for k, v in p.values.items()}
        big = core.Projection(values=values, sectors=p.sectors)
        got = _indicators(big, {k: np.concatenate([v] * reps)[:n] for k, v in params.items()})
        np.testing.assert_allclose(got["rd_sales_ratio"].value, np.concatenate([ref] * reps)[:n], rtol=1e-15)
    assert sorted(indicators._ZEROS) == [2, 5, 4096]
    assert all(v.shape == (n,) and not v.any() for n, v in indicators._ZEROS.items())


def test_adoption_shares_are_clipped_on_the_other_side_too():
    """The mirror of test_teeth_blocks' Bass clip case: the large & medium ERP share above 1 and
    the above-size ERP and informatization shares below 0 start clipped to [0, 1]."""
    params, drivers = _quiet_runs(2, erp_share_2003_above_size=-0.2, erp_share_2003_large_medium=1.3,
                                  informatized_2003_large_medium=-0.5, informatization_ceiling=0.9,
                                  erp_ceiling=0.8, bass_p=0.01, bass_q=0.4)
    params["erp_share_2003_large_medium"][1] = 0.5  # inside: not clipped
    p = core.simulate(tiny_base(), params, with_runs(drivers))
    np.testing.assert_array_equal(p["erp_large_medium"][0], 1.0)  # 1.3 -> 1, above the ceiling: stays
    assert p["erp_large_medium"][1, 0] == 0.5
    # -0.2 -> 0: F1 = p m = 0.008; -0.5 -> 0: F1 = 0.01 x 0.9 = 0.009
    np.testing.assert_allclose(p["erp_above_size"][:, :2], [[0.0, 0.008]] * 2, rtol=1e-12)
    np.testing.assert_allclose(p["informatized_large_medium"][:, :2], [[0.0, 0.009]] * 2, rtol=1e-12)


# --------------------------------------------------------------------------- kernel cache validity


def test_the_kernel_cache_is_stamped_with_the_equation_sources():
    """numba's cache checks only the source file of a cached function; the kernel's locators add
    the sources of the equation modules (and of the kernel and the indicators, whose fused pass
    calls the kernel), so editing an equation recompiles the kernel instead of loading stale
    machine code (a silently wrong model). Checked without compiling."""
    import hashlib
    from pathlib import Path

    from numba.core import caching

    from model import vecmath

    assert {m.__name__ for m in kernel.EQUATION_MODULES} == {"model.equations", "model.instruments",
                                                             "model.energy_equations"}
    h = hashlib.sha256()
    for mod in (*kernel.EQUATION_MODULES, vecmath, kernel, indicators):  # the vector maths too, and its choice
        h.update(Path(mod.__file__).read_bytes())
    h.update(vecmath.VARIANT.encode())
    assert kernel.STAMPED_FILES == (kernel.KERNEL_FILE, str(Path(indicators.__file__).resolve()))
    assert kernel._sources_stamp() == h.hexdigest() == kernel._EQUATIONS_STAMP
    classes = caching.CacheImpl._locator_classes
    n = len(classes)
    kernel._install_locators()  # idempotent: installed once, at import
    assert len(classes) == n
    for base in (caching.UserWideCacheLocator, caching.InTreeCacheLocator, caching.UserProvidedCacheLocator):
        dep = classes[classes.index(base) - 1]  # tried just before the locator it extends
        assert issubclass(dep, base) and dep.__name__ == f"Equations{base.__name__}"

    def f():
        return 0

    dep = classes[classes.index(caching.InTreeCacheLocator) - 1]
    assert dep.from_function(f, str(Path(core.__file__).resolve())) is None  # other files: numba's own
    for path in kernel.STAMPED_FILES:
        loc = dep.from_function(f, path)
        assert loc is not None
        stamp = loc.get_source_stamp()
        assert stamp[1] == kernel._EQUATIONS_STAMP
        assert stamp[0] == caching.InTreeCacheLocator.from_function(f, path).get_source_stamp()


def test_warm_up_runs_both_kernel_entry_points_on_a_tiny_block(monkeypatch):
    """``kernel.warm_up`` (the session header and the benchmark time it) packs a one-run block and
    runs both entry points; it has no output of its own beyond not failing."""
    calls = _spy(monkeypatch)
    with np.errstate(all="ignore"):  # its dummy inputs overflow exp: inf, as compiled code gives silently
        kernel.warm_up()
        assert kernel.compile_seconds() >= 0.0
    assert calls == [("serial", None), ("parallel", 1)] * 2


# --------------------------------------------------------------------------- packing the inputs


def test_packing_refuses_missing_and_misshapen_inputs_naming_the_shapes_allowed():
    params, drivers = _five_runs()
    base = tiny_base()
    p = dict(params)
    del p["kappa"]
    with pytest.raises(ValueError, match=r"^parameter 'kappa' missing from the core's inputs$"):
        core.simulate(base, p, drivers)
    d = dict(drivers)
    del d["exchange_rate"]
    with pytest.raises(ValueError, match=r"^driver 'exchange_rate' missing from the core's inputs$"):
        core.simulate(base, params, d)
    bad_params = {"rd_return": np.ones((5, 3)), "eta_y": np.ones(4), "aeei": np.ones((5, 2, 1))}
    for name, value in bad_params.items():
        msg = f"parameter '{name}': shape {value.shape}; the core takes (5,) or (5, 2)"
        with pytest.raises(ValueError, match=f"^{re.escape(msg)}$"):
            core.simulate(base, {**params, name: value}, drivers)
    province = r"\(1 \| 5, 8\)"
    sector = r"\(1 \| 5, 8\) or \(1 \| 5, 8, 1 \| 2\)"
    bad_drivers = {  # name -> (value, shapes allowed)
        "exchange_rate": (np.ones((1, 8, 2)), province),  # a province driver has no sector axis
        "world_demand_growth": (np.ones((1, 8, 1)), province),
        "fdi_promotion": (np.ones((2, 8)), province),  # neither 1 nor R runs
        "rd_special_fund": (np.ones((1, 7)), province),  # one year short
        "labour_growth": (np.ones((1, 8, 3)), sector),  # three sectors on a two-sector base
        "efficiency_spending": (np.ones((5, 8, 2, 1)), sector),
        "china_output_growth": (np.ones((3, 8, 2)), sector),
        "large_project_investment": (np.ones((1, 9, 2)), sector),
    }
    for name, (value, allowed) in bad_drivers.items():
        shape = str(value.shape).replace("(", r"\(").replace(")", r"\)")
        with pytest.raises(ValueError, match=rf"^driver '{name}': shape {shape}; the core takes {allowed}$"):
            core.simulate(base, params, {**drivers, name: value})


def test_packing_takes_lists_and_integers_and_caches_its_layouts(monkeypatch):
    """Inputs given as lists or integer arrays pack to the same float64 block; the layout of a
    set of shapes is computed once and reused (at most 65 layouts kept)."""
    params, drivers = _five_runs()
    ref = core.simulate(tiny_base(), params, drivers)
    as_lists = {k: v.tolist() for k, v in params.items()}
    as_lists["brands_2003"] = np.full(R, 50, dtype=np.int64)
    d = {k: v.tolist() for k, v in drivers.items()}
    d["new_brands"] = np.full((1, 8), 3, dtype=np.int64)
    got = core.simulate(tiny_base(), {**as_lists, "alpha_k": params["alpha_k"]}, d)
    ref2 = core.simulate(tiny_base(), {**params, "brands_2003": np.full(R, 50.0)},
                         {**drivers, "new_brands": np.full((1, 8), 3.0)})
    for name in ref.values:
        np.testing.assert_array_equal(got[name], ref2[name], err_msg=name)
    pb, pm = kernel.pack_parameters(as_lists, R, 2)
    db, dm = kernel.pack_drivers(d, R, 2, 8)
    assert pb.dtype == db.dtype == np.float64 and pm.dtype == dm.dtype == np.int64
    ints_p = {k: np.ones(R, dtype=np.int64) for k in kernel.PARAMETERS}
    ints_d = {k: np.ones((1, 8), dtype=np.int64) for k in kernel.DRIVERS_T + kernel.DRIVERS_TS}
    assert kernel.pack_parameters(ints_p, R, 2)[0].dtype == kernel.pack_drivers(ints_d, R, 2, 8)[0].dtype == np.float64
    monkeypatch.setattr(kernel, "_PARAM_META", {})
    monkeypatch.setattr(kernel, "_DRIVER_META", {})
    assert kernel.pack_parameters(params, R, 2)[1] is kernel.pack_parameters(params, R, 2)[1]
    assert kernel.pack_drivers(drivers, R, 2, 8)[1] is kernel.pack_drivers(drivers, R, 2, 8)[1]
    for n in range(1, 80):  # 79 run counts: 79 layouts, never more than 65 kept
        kernel.pack_parameters({k: np.zeros(n) for k in kernel.PARAMETERS}, n, 2)
        kernel.pack_drivers({k: np.zeros((n, 8)) for k in kernel.DRIVERS_T + kernel.DRIVERS_TS}, n, 2, 8)
        assert len(kernel._PARAM_META) <= 65 and len(kernel._DRIVER_META) <= 65


def test_packing_joins_float_buffers_and_casts_or_copies_anything_else_to_the_same_values():
    """Float64 C-contiguous inputs are joined byte for byte; integer, Fortran-ordered, strided
    and broadcast inputs take np.concatenate. Both give the values in PARAMETERS order."""
    params, drivers = _five_runs()
    rng = np.random.default_rng(3)
    params = {k: rng.uniform(0.1, 0.9, R) for k in kernel.PARAMETERS}
    params["rd_return"] = rng.uniform(0.1, 0.9, (R, 2))
    ref = np.concatenate([np.ravel(params[k]) for k in kernel.PARAMETERS])
    pb, _ = kernel.pack_parameters(params, R, 2)
    assert pb.dtype == np.float64 and pb.flags.writeable and pb.flags.c_contiguous
    assert isinstance(pb.base, memoryview)  # the joined path (np.frombuffer of the joined bytes)
    np.testing.assert_array_equal(pb, ref)
    others = {
        "kappa": np.arange(R),  # integers: cast
        "rd_return": np.asfortranarray(params["rd_return"]),
        "eta_y": np.repeat(params["eta_y"], 2)[::2],  # strided
        "aeei": np.broadcast_to(params["aeei"][:1], (R,)),
    }
    for name, value in others.items():
        got, _ = kernel.pack_parameters({**params, name: value}, R, 2)
        want = np.concatenate([np.ravel({**params, name: value}[k]) for k in kernel.PARAMETERS])
        assert got.base is None, name  # np.concatenate's own array
        np.testing.assert_array_equal(got, want, err_msg=name)
    db, _ = kernel.pack_drivers(drivers, R, 2, 8)
    np.testing.assert_array_equal(db, np.concatenate([np.ravel(drivers[k]) for k in kernel.DRIVERS_T + kernel.DRIVERS_TS]))
    assert isinstance(db.base, memoryview)


def test_the_kernel_locators_go_in_front_of_numbas_own(monkeypatch):
    """``_install_locators`` on numba's own list (as at the kernel's first import): one locator per
    numba locator it extends, each right in front of it, nothing else moved."""
    from numba.core import caching

    own = [c for c in caching.CacheImpl._locator_classes if not c.__name__.startswith("Equations")]
    monkeypatch.setattr(caching.CacheImpl, "_locator_classes", list(own))
    kernel._install_locators()
    new = caching.CacheImpl._locator_classes
    assert [c for c in new if not c.__name__.startswith("Equations")] == own
    assert len(new) == len(own) + 3
    for base in (caching.UserWideCacheLocator, caching.InTreeCacheLocator, caching.UserProvidedCacheLocator):
        dep = new[new.index(base) - 1]
        assert issubclass(dep, base) and dep.__name__ == dep.__qualname__ == f"Equations{base.__name__}"


def test_tax_price_of_rd_and_no_power_block_outputs():
    """rd_tax_price = 1 - credit from 2004 (1 in the base year); a base without a power block
    (the tiny base) has every power output exactly 0."""
    params, drivers = _quiet_runs(1)
    drivers["rd_tax_credit"][:] = 0.15
    p = core.simulate(tiny_base(), params, with_runs(drivers))
    np.testing.assert_allclose(p["rd_tax_price"][0], [1.0] + [0.85] * 7, rtol=1e-15)
    for name in ("electricity_demand_mfg", "electricity_demand_other", "power_capacity", "power_peak_demand",
                 "power_supply_peak", "power_shortfall", "power_curtailment", "curtailed_value_added",
                 "investment_power_nominal"):
        np.testing.assert_array_equal(p[name], 0.0, err_msg=name)


@pytest.mark.parametrize("switches", [{}, {"rd_definition": "st_activities", "fdi_reading": "a",
                                           "erp_denominator": "large_medium"}])
@pytest.mark.parametrize("min_runs, chunk", [(256, 64), (2, 3)])
def test_simulate_with_indicators_gives_the_bits_of_simulate_then_compute(monkeypatch, switches, min_runs, chunk):
    """The fused pass (each run's indicators right after the kernel wrote it; what run.evaluate
    uses), serial and parallel with chunks that do not divide the runs, against core.simulate and
    indicators.compute on plan-2004 with random parameters and with the five-run tiny base."""
    from model.paths import SCENARIOS_DIR
    from model.run import load_model, scenario_inputs
    from model.scenario import load_scenario

    model = load_model()
    _, drv, _ = scenario_inputs(model, load_scenario(SCENARIOS_DIR / "plan-2004.yaml"))
    rng = np.random.default_rng(7)
    values = {k: rng.uniform(s.low, s.high, 7) for k, s in model.parameters.specs.items()}
    cases = [(model.base, model.parameters.arrays(7, values), with_runs(drv), model.base.high_tech,
              model.st_to_rd_ratio, model.foreign_funding_share_china)]
    params, drivers = _five_runs()
    params["fdi_funding_relative"] = np.linspace(0.8, 1.2, R)
    cases.append((tiny_base(), params, drivers, np.array([True, False]), 1.7, 0.3))
    monkeypatch.setattr(core, "PARALLEL_MIN_RUNS", min_runs)
    monkeypatch.setattr(core, "PARALLEL_CHUNK", chunk)
    for base, p, d, ht, ratio, share in cases:
        proj, inds = indicators.simulate_with_indicators(base, p, d, ht, ratio, share, switches)
        ref = core.simulate(base, p, d)
        ref_inds = indicators.compute(ref, p, ht, ratio, share, switches)
        assert list(proj.values) == list(ref.values)
        for name, arr in ref.values.items():
            assert proj[name].tobytes() == arr.tobytes(), name
        assert list(inds) == list(ref_inds)
        for name, ind in ref_inds.items():
            assert inds[name].numerator.tobytes() == ind.numerator.tobytes(), name
            assert inds[name].denominator.tobytes() == ind.denominator.tobytes(), name
        # indicators only: each run's outputs in one reused slot, the same indicator bits
        none, only = indicators.simulate_with_indicators(base, p, d, ht, ratio, share, switches, keep_projection=False)
        assert none is None and list(only) == list(ref_inds)
        for name, ind in ref_inds.items():
            assert only[name].numerator.tobytes() == ind.numerator.tobytes(), name
            assert only[name].denominator.tobytes() == ind.denominator.tobytes(), name


def test_more_sectors_than_the_kernel_lanes_is_refused_by_name():
    """The kernel's scratch rows hold SECTOR_LANES sectors; a finer base is refused with a message
    naming the limit, never written past the rows."""
    from model import kernel

    base = tiny_base()
    n = kernel.SECTOR_LANES + 1
    wide = dataclasses.replace(base, sectors=tuple(f"s{i}" for i in range(n)))
    params, drivers = _five_runs()
    with pytest.raises(ValueError, match=f"at most {kernel.SECTOR_LANES} sectors, the base has {n}"):
        core.kernel_inputs(wide, params, drivers)
