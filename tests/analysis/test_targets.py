"""Attainment probabilities on cases where the answer is known."""
import numpy as np
import pandas as pd
import pytest
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
    # "+20 every year": the smallest yearly increment is the first, 100 * growth < 20 in every run,
    # although the average increment (x25 - 100) / 5 reaches 20 in 51 runs
    assert a.loc["inc", "probability"] == 0.0
    x = ds["x"].values
    assert np.mean((x[:, -1] - x[:, 0]) / 5 >= 20) == 0.51
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


def test_increase_per_year_holds_in_every_year():
    ds = _ensemble()
    # run r adds 100 * (0.10 + r/1000) in its first year, more later: +10.5 every year needs r >= 5
    t = pd.DataFrame([_target(target_id="inc", indicator="x", comparator="increase_per_year", model_value=10.5,
                              base_year=2020)])
    a = attainment(ds, t).set_index("target_id")
    assert a.loc["inc", "probability"] == 0.95
    np.testing.assert_allclose(metric(ds, t.iloc[0])[:2], [10.0, 10.1])


def test_level_bound_with_a_base_year_holds_in_every_year():
    """"Every year at least 30": a dip in one year fails the target even if the last year is above."""
    ds = _ensemble()
    dip = ds["level"].values.copy()
    dip[:, 3] -= 50            # 2023 dips by 50 in every run
    ds["dip"] = (("run", "time"), dip, {"units": "firm", "kind": "stock"})
    t = pd.DataFrame([_target(target_id="yearly", indicator="dip", model_value=30.0, base_year=2020),
                      _target(target_id="last", indicator="dip", model_value=30.0)])
    a = attainment(ds, t).set_index("target_id")
    assert a.loc["yearly", "probability"] == 0.20   # r - 50 >= 30 in 2023: runs 80..99
    assert a.loc["last", "probability"] == 0.70     # 2025 alone: runs 30..99


def test_basis_scores_on_the_plans_own_base():
    """A plan counting 200 where the model has 100 in 2020 asks for growth from 200, not a level."""
    ds = _ensemble()
    t = pd.DataFrame([_target(target_id="own", indicator="x", model_value=300.0, basis_value=200.0, basis_year=2020),
                      _target(target_id="raw", indicator="x", model_value=300.0)])
    a = attainment(ds, t).set_index("target_id")
    # x25 * 200 / 100 >= 300 <=> (1 + g)**5 >= 1.5 <=> g >= 0.0845: every run; raw: (1 + g)**5 >= 3: none
    assert a.loc["own", "probability"] == 1.0 and a.loc["raw", "probability"] == 0.0
    assert a.loc["own", "median"] == pytest.approx(2 * 100 * 1.1495 ** 5, rel=1e-3)


def test_set_by_policy_targets_have_a_status_not_a_probability():
    ds = _ensemble()
    t = pd.DataFrame([_target(target_id="lever", set_by_policy="the lever sets it", model_value=90.0),
                      _target(target_id="nothing", indicator="not_an_element", set_by_policy="the city decides",
                              model_value=np.nan),
                      _target(target_id="gap", indicator="not_an_element", model_value=np.nan),
                      _target(target_id="scored", model_value=90.0)])
    a = attainment(ds, t).set_index("target_id")
    assert a.loc["lever", "status"] == "set by policy" and np.isnan(a.loc["lever", "probability"])
    assert a.loc["lever", "set_by_policy"] == "the lever sets it"
    assert a.loc["lever", "median"] == 49.5          # what the scenario implies is still reported
    assert a.loc["nothing", "status"] == "set by policy" and np.isnan(a.loc["nothing", "median"])
    assert a.loc["gap", "status"] == "no model element for this indicator"
    assert a.loc["scored", "status"] == "modelled" and a.loc["scored", "probability"] == 0.10
