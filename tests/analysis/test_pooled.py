"""Pooled calibration across the province (issue 11.4): the shared parameters get a
province-level prior from the other regions, narrower than the flat prior where their data
inform it, and the random-effects step behaves as the textbook one."""
from __future__ import annotations

import numpy as np
import pytest

from innosd.analysis.calibration.pooled import load_pooled_spec, pooled_prior, random_effects
from innosd.inputs.priors import load_priors


def test_shared_parameters_are_listed_with_reasons_and_have_priors():
    spec = load_pooled_spec()
    priors = load_priors()
    assert {"county_score_slope", "base_hte_certification_rate", "init_rd_statistical_coverage"} <= set(spec.parameters)
    for name, reason in spec.parameters.items():
        assert name in priors and len(reason) > 20, name
    assert "hebei" in spec.groups


def test_random_effects_pools_towards_the_precise_groups_and_floors_the_spread():
    # identical groups: no spread beyond the floor, the mean is theirs
    mu, se, tau = random_effects(np.array([2.0, 2.0, 2.0]), np.array([0.1, 0.1, 0.1]), min_spread=0.05)
    assert mu == pytest.approx(2.0) and tau == pytest.approx(0.05)
    # groups far apart: the spread is estimated from them, and the mean leans to the precise one
    mu, se, tau = random_effects(np.array([0.0, 10.0]), np.array([0.1, 3.0]), min_spread=0.0)
    assert tau > 5 and 0 < mu < 5


@pytest.mark.slow
def test_pooled_prior_is_narrower_than_the_flat_prior_on_the_shipped_data():
    prior = pooled_prior("xingtai", groups=["shijiazhuang"], quick=True, steps=40, seed=1)
    t = prior.table.set_index("parameter")
    pooled = t[t["used"] == "pooled"]
    assert len(pooled) >= 1 and (pooled["width_ratio"] < 1).all()
    # the county-score parameters are what Shijiazhuang's tiers inform
    assert any(name.startswith("county_score") for name in pooled.index)
    for name, p in prior.priors.items():
        assert p.distribution == "normal" and p.lo == load_priors()[name].lo
