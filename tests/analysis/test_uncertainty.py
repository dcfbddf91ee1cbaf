"""Where a target's uncertainty comes from: parameters vs residual, and the deciding parameter."""
import numpy as np
import pytest

from innosd.analysis.uncertainty import variance_split
from innosd.inputs.priors import Prior


def _prior(name, source):
    return Prior(name, "uniform", 0.0, 1.0, np.nan, np.nan, 0.5, "dimensionless", source)


def test_the_split_follows_the_law_of_total_variance_and_names_an_assumption():
    rng = np.random.default_rng(1)
    n = 4000
    a, b = rng.random(n), rng.random(n)
    noise = rng.normal(0, 1, n)
    # Var(3a) = 0.75, Var(noise) = 1: the parameters explain 0.75 / 1.75 of the variance
    metrics = {"t1": 3 * a + noise, "t2": b + 0 * a, "flat": np.ones(n)}
    priors = {"a": _prior("a", "assumption: not published"), "b": _prior("b", "literature-priors.md §2")}
    split = variance_split(metrics, {"a": a, "b": b}, priors).set_index("target_id")
    assert split.loc["t1", "share_parameters"] == pytest.approx(0.75 / 1.75, abs=0.03)
    assert split.loc["t1", "share_residual"] == pytest.approx(1 - split.loc["t1", "share_parameters"])
    assert split.loc["t1", "deciding_parameter"] == "a" and split.loc["t1", "deciding_is_assumption"]
    assert split.loc["t2", "share_parameters"] == pytest.approx(1.0, abs=0.01)
    assert split.loc["t2", "deciding_parameter"] == "b" and not split.loc["t2", "deciding_is_assumption"]
    assert (split["share_scenario"] == 0).all()          # one scenario: its levers are shared by all runs
    assert np.isnan(split.loc["flat", "share_parameters"]) and split.loc["flat", "deciding_parameter"] == ""
