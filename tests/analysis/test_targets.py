"""Attainment probabilities on cases where the answer is known."""
import numpy as np
import pandas as pd
import xarray as xr

from innosd.analysis.attainment import attainment, metric, summarize


def _ensemble():
    years = np.arange(2020.0, 2026.0)
    runs = np.arange(100)
    # run r grows from 100 at 10 % + r/1000 a year: run r has growth 0.10 + r/1000
    growth = 0.10 + runs / 1000
    x = 100 * (1 + growth[:, None]) ** (years[None, :] - 2020)
    level = np.tile(runs[:, None].astype(float), (1, years.size))  # run r holds the value r
    return xr.Dataset({"x": (("run", "time"), x, {"units": "firm", "kind": "stock"}),
                       "level": (("run", "time"), level, {"units": "firm", "kind": "stock"})},
                      coords={"run": runs, "time": years})


def _target(**kw):
    base = dict(target_id="t", indicator="level", year=2025, comparator="ge", value=0, unit="firm",
                base_year=None, source="test", clause="", model_value=0.0)
    base.update(kw)
    return base


def test_level_targets_count_runs_exactly():
    ds = _ensemble()
    t = pd.DataFrame([_target(target_id="ge90", model_value=90.0),
                      _target(target_id="gt90", comparator="gt", model_value=90.0),
                      _target(target_id="le9", comparator="le", model_value=9.0),
                      _target(target_id="lt9", comparator="lt", model_value=9.0)])
    a = attainment(ds, t).set_index("target_id")
    assert a.loc["ge90", "probability"] == 0.10   # runs 90..99
    assert a.loc["gt90", "probability"] == 0.09   # runs 91..99
    assert a.loc["le9", "probability"] == 0.10    # runs 0..9
    assert a.loc["lt9", "probability"] == 0.09
    assert a.loc["ge90", "median"] == 49.5


def test_growth_multiple_and_increase_targets():
    ds = _ensemble()
    t = pd.DataFrame([
        _target(target_id="g", indicator="x", comparator="growth_per_year", model_value=0.15, base_year=2020),
        _target(target_id="m", indicator="x", comparator="multiple_of_base", model_value=2.0, base_year=2020),
        _target(target_id="inc", indicator="x", comparator="increase_per_year", model_value=20.0, base_year=2020),
        _target(target_id="cum", indicator="x", comparator="cumulative_from", model_value=100.0, base_year=2020),
    ])
    a = attainment(ds, t).set_index("target_id")
    assert a.loc["g", "probability"] == 0.50        # growth >= 0.15 for runs 50..99
    np.testing.assert_allclose(metric(ds, t.iloc[0])[:3], [0.10, 0.101, 0.102])
    # doubling in 5 years needs growth >= 2**0.2 - 1 = 0.1487 -> runs 49..99
    assert a.loc["m", "probability"] == 0.51
    # cumulative +100 is the same as a doubling here
    assert a.loc["cum", "probability"] == 0.51
    # +20 a year: (x25 - 100)/5 >= 20 <=> x25 >= 200: same runs
    assert a.loc["inc", "probability"] == 0.51
    # the median run (growth ~0.1495) doubles by 2025, not before
    assert a.loc["m", "first_year_median"] == 2025


def test_targets_outside_period_or_unsupported_are_reported_not_scored():
    ds = _ensemble()
    t = pd.DataFrame([_target(target_id="late", indicator="x", year=2030), _target(target_id="ok")])
    a = attainment(ds, t, supports=lambda name: name != "level").set_index("target_id")
    assert np.isnan(a.loc["late", "probability"]) and "outside" in a.loc["late", "status"]
    assert "not modelled" in a.loc["ok", "status"]


def test_summary_quantiles():
    s = summarize(_ensemble(), ["level"])
    row = s[(s.year == 2025.0)].iloc[0]
    assert row["q50"] == 49.5 and row["mean"] == 49.5
    assert abs(row["q05"] - 4.95) < 1e-9 and abs(row["q95"] - 94.05) < 1e-9
