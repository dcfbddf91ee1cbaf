"""The model error's size (innosd.analysis.model_error): priors.csv records what the estimation
code gives, and the variance it implies for the likelihood behaves as stated."""
import numpy as np
import pytest

from innosd.analysis.model_error import estimate_noise_sds, log_variance, ou_integral_variance, ou_mean_variance
from innosd.inputs.priors import load_priors
from innosd.sectors import compiled_model
from innosd.sectors.model_error import CORRELATION_TIME, NOISY_RATES, sd_name


def test_priors_record_the_estimates():
    series, rates = estimate_noise_sds()
    priors, defaults = load_priors(), compiled_model().defaults
    assert set(rates["parameter"]) == {sd_name(r) for r in NOISY_RATES}
    for row in rates.itertuples():
        prior = priors[row.parameter]
        assert prior.distribution == "lognormal"
        assert prior.p1 == row.prior_median == defaults[row.parameter], row.parameter
        assert prior.p2 == row.prior_log_sd, row.parameter
        assert ("borrowed" in prior.source) == row.how.startswith("borrowed"), row.parameter
    assert priors[CORRELATION_TIME].source.startswith("assumption")
    # estimated from data to 2020 only, and every estimated rate has at least one degree of freedom
    assert (rates.loc[rates["how"] == "estimated", "dof"] >= 1).all()
    assert all(int(y) <= 2020 for years in series["years"] for y in years.split())


def test_log_variance_for_the_likelihood():
    params = {sd_name("enterprise_rd_growth"): 0.05, sd_name("tech_deals"): 0.2, CORRELATION_TIME: 1.0}
    t = np.array([1.0, 5.0, 10.0])
    rd = log_variance("rd_expenditure_reported", t, params)
    assert np.all(np.diff(rd) > 0)  # the growth error accumulates
    np.testing.assert_allclose(rd, 0.05 ** 2 * ou_integral_variance(t, 1.0))
    deals = log_variance("tech_contract_turnover", t, params)
    np.testing.assert_allclose(deals, 0.2 ** 2 * ou_mean_variance(1.0, 1.0))  # stationary
    assert 0 < ou_mean_variance(1.0, 1.0) < 1
    with pytest.raises(KeyError, match="no model error reaches"):
        log_variance("gdp", t, params)
