"""Behaviour checks (calibration/behaviour-checks.yaml) and extreme conditions."""
import numpy as np
import pytest

from innosd.analysis.checks import run_checks
from innosd.core.engine import RunSettings
from innosd.inputs.priors import load_priors
from innosd.inputs.region import load_region
from innosd.inputs.scenario import levers
from innosd.runs.ensemble import merge_inputs, run_ensemble
from innosd.sectors import compiled_model

RESULTS = run_checks()


@pytest.mark.parametrize("result", RESULTS, ids=[r.name for r in RESULTS])
def test_behaviour_check(result):
    assert result.passed, result.detail


def test_checks_can_fail(tmp_path):
    """A check that contradicts the model must fail, so the file is not a list of tautologies."""
    p = tmp_path / "c.yaml"
    p.write_text("- name: fiscal squeeze raises R&D intensity (false)\n"
                 "  set: {fiscal_st_share_growth: min}\n"
                 "  expect: {output: rd_intensity, years: [2025], vs_baseline: gt}\n", encoding="utf-8")
    (r,) = run_checks(p)
    assert not r.passed


def test_zero_inputs_keep_every_stock_finite_and_non_negative():
    """Extreme condition: every lever at zero (or its lower bound if above zero) and no growth."""
    region = load_region("xingtai")
    cm = compiled_model()
    params = {**region.parameters(), **{n: max(lv.min, 0.0) for n, lv in levers().items()},
              "gdp_growth_rate": 0.0, "population_growth_rate": 0.0}
    ds = cm.run(params, start=2015, stop=2040, dt=0.25)
    for name in ds.data_vars:
        if ds[name].attrs["kind"] == "stock":
            v = ds[name].values
            assert np.isfinite(v).all() and (v >= -1e-9).all(), name


def extreme_arms():
    """One run per extreme: every lever and every uncertain parameter at each of its bounds, every
    initial value at zero alone, and all initial values at zero together (Sterman's battery)."""
    arms = []
    for name, lv in levers().items():
        arms += [(f"{name} = {lv.min:g} (min)", {name: lv.min}), (f"{name} = {lv.max:g} (max)", {name: lv.max})]
    for name, p in load_priors().items():
        arms += [(f"{name} = {p.lo:g} (prior lo)", {name: p.lo}), (f"{name} = {p.hi:g} (prior hi)", {name: p.hi})]
    inits = [n for n in compiled_model().defaults if n.startswith("init_")]
    arms += [(f"{n} = 0", {n: 0.0}) for n in inits]
    arms.append(("every init_* = 0", {n: 0.0 for n in inits}))
    return arms


def test_extreme_conditions_keep_every_stock_and_output_finite_and_stocks_non_negative():
    """Every lever and uncertain parameter at both bounds, and zero initial values: all runs in one
    vectorised ensemble to 2040; every stock finite and non-negative, every output finite."""
    region = load_region("xingtai")
    cm = compiled_model()
    arms = extreme_arms()
    base = {**cm.defaults, **region.parameters()}
    names = sorted({k for _, a in arms for k in a})
    varied = {n: np.array([a.get(n, base[n]) for _, a in arms]) for n in names}
    ds = run_ensemble(cm, merge_inputs(region=region, overrides=varied), len(arms), RunSettings(2015, 2040))
    failures = []
    for name in ds.data_vars:
        v = ds[name].values
        bad = ~np.isfinite(v).all(axis=1)
        if ds[name].attrs["kind"] == "stock":
            bad |= (v < -1e-9).any(axis=1)
        failures += [f"{arms[i][0]}: {name}" for i in np.flatnonzero(bad)]
    assert not failures, f"{len(failures)} failures, e.g. " + "; ".join(failures[:10])


def test_halving_dt_changes_key_outputs_negligibly():
    """Integration-error test (literature-priors §3.1): dt 0.25 vs 0.125 and RK4."""
    region = load_region("xingtai")
    cm = compiled_model()
    key = ["hte_count", "rd_expenditure_reported", "tech_contract_turnover", "rd_personnel", "hti_va_share"]
    a = cm.run(region.parameters(), start=2015, stop=2030, dt=0.25, outputs=key)
    b = cm.run(region.parameters(), start=2015, stop=2030, dt=0.125, outputs=key)
    c = cm.run(region.parameters(), start=2015, stop=2030, dt=0.25, method="rk4", outputs=key)
    for name in key:
        # stated tolerance: 5 % along the path (fast early growth carries Euler's first-order error),
        # 2 % in the final year
        np.testing.assert_allclose(a[name].values, b[name].values, rtol=0.05, err_msg=name)
        np.testing.assert_allclose(a[name].values, c[name].values, rtol=0.05, err_msg=name)
        np.testing.assert_allclose(a[name].values[:, -1], c[name].values[:, -1], rtol=0.02, err_msg=name)
