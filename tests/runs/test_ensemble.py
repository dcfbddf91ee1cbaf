"""The one ensemble path (innosd.runs.ensemble): the same seed gives the same numbers, and
chunking changes nothing (a run's numbers depend only on its own inputs)."""
import numpy as np

from innosd import api
from innosd.runs.ensemble import simulate


def test_same_seed_same_numbers_and_different_seed_differs():
    a = api.forecast("xingtai/baseline", runs=50, seed=3)
    b = api.forecast("xingtai/baseline", runs=50, seed=3)
    c = api.forecast("xingtai/baseline", runs=50, seed=4)
    name = "hte_count"
    np.testing.assert_array_equal(a.ensemble[name].values, b.ensemble[name].values)
    assert not np.array_equal(a.ensemble[name].values, c.ensemble[name].values)
    assert a.attainment["probability"].equals(b.attainment["probability"])


def test_chunked_ensemble_equals_one_pass():
    sc = api.load("xingtai/baseline")
    one = simulate(sc, runs=30, seed=1, outputs=["hte_count", "rd_intensity"])
    chunked = simulate(sc, runs=30, seed=1, outputs=["hte_count", "rd_intensity"], chunk=7)
    np.testing.assert_array_equal(one["hte_count"].values, chunked["hte_count"].values)
