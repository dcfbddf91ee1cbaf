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


def test_an_ensemble_resumed_from_every_stock_at_a_year_gives_the_same_numbers():
    """``initial``: an ensemble started in 2021 from another's stocks at 2021 (internal stocks of
    smooths and delays included), in chunks, continues it exactly."""
    from innosd.core.engine import RunSettings
    from innosd.runs.ensemble import merge_inputs, region_parameter_sets, run_ensemble
    from innosd.sectors import compiled_model
    sc, model = api.load("xingtai/baseline"), compiled_model()
    region = api.load_region(sc.region)
    params = merge_inputs(region_parameter_sets(region, "posterior", 30, 1), region=region, scenario=sc)
    whole = run_ensemble(model, params, 30, sc.settings, outputs=["hte_count", "rd_intensity"], arrays=True)
    states = run_ensemble(model, params, 30, sc.settings, outputs=model.stock_names, arrays=True)
    k = 2021 - int(sc.start)
    later = run_ensemble(model, params, 30, RunSettings(2021.0, sc.stop, sc.dt, sc.method), chunk=7, arrays=True,
                         outputs=["hte_count", "rd_intensity"], initial={s: v[:, k] for s, v in states.items()})
    for name in later:
        np.testing.assert_array_equal(later[name][:, 1:], whole[name][:, k + 1:])
