"""The likelihood's error model: growth rates as rates, heavy tails, derived values, model error."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innosd.analysis import calibration as cal
from innosd.core.equations import ModelError


def _table(**extra):
    base = {"obs_id": ["lvl", "rate"], "indicator": ["rd_expenditure_reported", "rd_growth_reported"],
            "year": [2019, 2020], "model_value": [10.0, 0.0443], "confidence": ["high", "high"],
            "unit": ["hundred_million_CNY/year", "percent/year"]}
    base.update(extra)
    return pd.DataFrame(base)


def test_a_growth_rate_is_compared_as_a_rate_with_an_additive_one_year_error():
    em = cal.ErrorModel(_table(), 2015, 2020)
    t = em.table.set_index("obs_id")
    assert t.loc["rate", "growth_rate"] and t.loc["rate", "error"] == "additive"
    # sqrt(2) x the level's log-error: 7 percentage points for a "high" figure, in 1/year
    assert t.loc["rate", "sd_model_units"] == pytest.approx(np.sqrt(2) * cal.SIGMA_BY_CONFIDENCE["high"])
    assert t.loc["lvl", "error"] == "log-normal" and not t.loc["lvl", "growth_rate"]
    # a model rate of 12 %/yr against the observed 4.43 %: about one scale away, not 50 sds
    r = (0.12 - 0.0443) / em.s[1]
    assert 0.5 < r < 1.5


def test_student_t_tails_discount_one_atypical_year():
    """A residual of 10 scales costs far less under the t(4) than under a normal error, and the
    ratio of penalties grows with the residual: an outlier cannot pin a parameter."""
    obs = _table()
    t_model = cal.ErrorModel(obs, 2015, 2020)
    normal = cal.ErrorModel(obs, 2015, 2020, dof=None)
    s = t_model.s[1]
    pred = np.array([[10.0, 0.0443], [10.0, 0.0443 + 10 * s]])
    drop_t = np.diff(t_model.pointwise(pred)[:, 1])[0]
    drop_n = np.diff(normal.pointwise(pred)[:, 1])[0]
    assert drop_n == pytest.approx(-50.0)                          # -r^2/2
    assert drop_t == pytest.approx(-2.5 * np.log1p(100 / 4))       # -(df+1)/2 log(1 + r^2/df)
    assert drop_t > 0.2 * drop_n
    # the density is a proper one: it integrates to 1 over the observed rate
    grid = np.linspace(-3, 3, 60001)
    dens = np.exp(t_model.pointwise(np.column_stack([np.full_like(grid, 10.0), grid]))[:, 1])
    assert np.trapezoid(dens, grid) == pytest.approx(1.0, abs=1e-3)
    assert t_model.dof == cal.STUDENT_T_DF == 4


def test_derived_values_weigh_less_and_conflicting_measures_stay():
    obs = pd.DataFrame({"obs_id": ["a", "b", "c"], "indicator": ["hte_count"] * 3, "year": [2019, 2020, 2020],
                        "model_value": [300.0, 530.0, 450.0], "confidence": ["high"] * 3,
                        "kind": ["derived", "actual", "actual"], "measure": ["x", "fyp", "bureau"]})
    em = cal.ErrorModel(obs, 2015, 2020)
    t = em.table.set_index("obs_id")
    assert t.loc["a", "sigma"] == cal.DERIVED_FACTOR * t.loc["b", "sigma"]
    assert len(em) == 3 and (t.loc[["b", "c"], "discrepancy"] > 0).all()


def test_model_error_is_added_in_quadrature_by_column_or_by_callable():
    em0 = cal.ErrorModel(_table(), 2015, 2020)
    col = cal.ErrorModel(_table(model_error_sd=[0.0, 0.05]), 2015, 2020)
    assert col.scale()[0] == pytest.approx(em0.s[0])
    assert col.scale()[1] == pytest.approx(np.hypot(em0.s[1], 0.05))

    def noise(params, table):   # e.g. a calibrated rd_growth_noise_sd, per run, on the rate only
        return np.where(table["growth_rate"].to_numpy(), params["rd_growth_noise_sd"][:, None], 0.0)

    fn = cal.ErrorModel(_table(), 2015, 2020, model_error=noise)
    params = {"rd_growth_noise_sd": np.array([0.0, 0.1])}
    s = fn.scale(params)
    assert s.shape == (2, 2)
    assert s[0] == pytest.approx(em0.s) and s[1, 1] == pytest.approx(np.hypot(em0.s[1], 0.1))
    pred = np.array([[10.0, 0.15], [10.0, 0.15]])
    ll = fn.pointwise(pred, params)
    assert ll[1, 1] > ll[0, 1]                     # a wider model error forgives the miss more
    assert fn.pointwise(pred)[0, 1] == pytest.approx(ll[0, 1])   # no params: observation error only
    with pytest.raises(ModelError, match="model_error_sd"):
        cal.ErrorModel(_table(model_error_sd=[0.0, -1.0]), 2015, 2020)


# --- influence: leave one out by PSIS -----------------------------------------------------------

def test_leaving_an_observation_out_by_psis_matches_the_exact_posterior():
    """theta with a flat prior and two unit-error observations y1=1, y2=3: the posterior is
    N(2, 1/2); without y2 it is N(1, 1). P(theta >= 1.5) moves from 0.76 to 0.31."""
    from scipy import stats
    rng = np.random.default_rng(4)
    theta = rng.normal(2.0, np.sqrt(0.5), 8000)
    pointwise = pd.DataFrame({"y1": stats.norm.logpdf(1.0, theta), "y2": stats.norm.logpdf(3.0, theta),
                              "flat": np.zeros_like(theta)})
    met = pd.DataFrame({"theta>=1.5": (theta >= 1.5).astype(float)})
    inf = cal.leave_one_out(pointwise, met).set_index("obs_id")
    assert inf.loc["y2", "probability"] == pytest.approx(stats.norm.sf(1.5, 2.0, np.sqrt(0.5)), abs=0.02)
    assert inf.loc["y2", "probability_without"] == pytest.approx(stats.norm.sf(1.5, 1.0, 1.0), abs=0.03)
    assert inf.loc["y1", "probability_without"] == pytest.approx(stats.norm.sf(1.5, 3.0, 1.0), abs=0.03)
    assert inf.loc["y2", "decides"] and 0 < inf.loc["y2", "k_hat"] < 1
    # an observation no parameter moves changes nothing, and says so reliably
    assert inf.loc["flat", "change"] == pytest.approx(0.0, abs=1e-12) and not inf.loc["flat", "decides"]
    assert inf.loc["flat", "k_hat"] == 0 and inf.loc["flat", "reliable"]
