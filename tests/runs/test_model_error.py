"""Model error (sectors/model_error.py, runs.ensemble.model_error_inputs): the noise is the same for
a seed, off at sd 0, has the stated stationary sd and autocorrelation, and widens the bands with the
horizon."""
import numpy as np
import pytest

from innosd import api
from innosd.analysis.model_error import ou_integral_variance
from innosd.runs.ensemble import model_error_inputs, simulate
from innosd.sectors.model_error import CORRELATION_TIME, NOISY_RATES, sd_name, state_name

OUTPUTS = ["rd_expenditure_reported", "hte_count", "tech_sme_provincial", "tech_contract_turnover",
           "county_capability_score", "platforms_provincial", "rd_statistical_coverage"]


@pytest.fixture(scope="module")
def baseline():
    return api.load("xingtai/baseline")


def test_same_seed_same_noise_other_seed_other_noise(baseline):
    a = simulate(baseline, runs=40, seed=5, outputs=OUTPUTS)
    b = simulate(baseline, runs=40, seed=5, outputs=OUTPUTS, chunk=9)
    c = simulate(baseline, runs=40, seed=6, outputs=OUTPUTS)
    for name in OUTPUTS:
        np.testing.assert_array_equal(a[name].values, b[name].values)
    assert not np.array_equal(a["hte_count"].values, c["hte_count"].values)
    # run k's noise draws do not depend on the ensemble's size
    small, large = model_error_inputs(10, baseline.settings, 5), model_error_inputs(40, baseline.settings, 5)
    for name, value in small.items():
        np.testing.assert_array_equal(getattr(value, "values", value), getattr(large[name], "values", large[name])[:10])


def test_sd_zero_is_the_deterministic_model(baseline):
    zero = {sd_name(rate): 0.0 for rate in NOISY_RATES}
    off = simulate(baseline, runs=30, seed=2, model_error=False)
    silent = simulate(baseline, runs=30, seed=2, overrides=zero)
    on = simulate(baseline, runs=30, seed=2)
    for name in off.data_vars:
        if name.endswith(("_noise_shock", "_noise_start")) or name in zero:
            continue  # the inputs themselves
        np.testing.assert_array_equal(silent[name].values, off[name].values, err_msg=name)
    assert not np.array_equal(on["hte_count"].values, off["hte_count"].values)
    # the parameter draws of a seed are the same with and without model error
    np.testing.assert_array_equal(on["base_hte_certification_rate"].values, off["base_hte_certification_rate"].values)


def test_noise_has_the_stated_sd_and_autocorrelation(baseline):
    sd, tau, runs = 0.2, 1.5, 4000
    overrides = {sd_name(rate): sd for rate in NOISY_RATES if rate != "enterprise_rd_growth"}
    overrides[CORRELATION_TIME] = tau
    names = [state_name(r) for r in NOISY_RATES if r != "enterprise_rd_growth"]
    ds = simulate(baseline, runs=runs, seed=11, parameter_source="fixed", overrides=overrides,
                  outputs=names + ["hte_certification_error_multiplier"])
    x = np.stack([ds[n].values for n in names])  # (rate, run, year)
    # sd over runs at every year, the processes start stationary: standard error about 1 % of sd
    # for 4,000 runs, so 6 % cannot fail by chance
    np.testing.assert_allclose(x.std(axis=1), sd, rtol=0.06)
    np.testing.assert_allclose(x.mean(axis=1), 0, atol=0.03)  # 4.7 standard errors
    # autocorrelation at lags of 1 and 3 years, exp(-lag/tau) = 0.51 and 0.14, pooled over the years
    # of each rate (standard error under 0.01, so 0.04 cannot fail by chance)
    for lag in (1, 3):
        r = np.sum(x[:, :, lag:] * x[:, :, :-lag], axis=(1, 2)) / np.sqrt(
            np.sum(x[:, :, lag:] ** 2, axis=(1, 2)) * np.sum(x[:, :, :-lag] ** 2, axis=(1, 2)))
        np.testing.assert_allclose(r, np.exp(-lag / tau), atol=0.04)
    # the multiplier's median is 1: the median rate is the deterministic one
    assert abs(np.median(ds["hte_certification_error_multiplier"].values) - 1) < 0.02


def test_rd_growth_error_accumulates_as_stated(baseline):
    sd, tau = 0.05, 1.0
    ds = simulate(baseline, runs=4000, seed=12, parameter_source="fixed",
                  overrides={sd_name("enterprise_rd_growth"): sd, CORRELATION_TIME: tau},
                  outputs=["enterprise_rd_level_error"])
    level = ds["enterprise_rd_level_error"]
    t = level["time"].values - level["time"].values[0]
    assert np.all(level.values[:, 0] == 0)
    # the variance of the log-level error grows as the OU integral (the likelihood's log_variance)
    np.testing.assert_allclose(level.values[:, 1:].var(axis=0), sd ** 2 * ou_integral_variance(t[1:], tau),
                               rtol=0.15)


def test_bands_widen_with_the_horizon(baseline):
    ds = simulate(baseline, runs=1000, seed=3, outputs=["rd_expenditure_reported", "hte_count"])
    for name in ("rd_expenditure_reported", "hte_count"):
        q = ds[name].sel(time=[2021, 2025, 2030]).quantile([0.05, 0.5, 0.95], dim="run").values
        relative = (q[2] - q[0]) / q[1]
        assert relative[0] < relative[1] < relative[2], (name, relative)
