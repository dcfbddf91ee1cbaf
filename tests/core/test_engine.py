"""The simulation engine against analytic answers, integration order, conservation,
ensembles, builtin semantics and run settings."""
from __future__ import annotations

import math

import numpy as np
import pytest

from innosd.core.engine import Model
from innosd.core.equations import ModelError, aging_chain, aux, const, flow, lookup, stock
from innosd.core.series import Series

RTOL = 1e-6


def run(elements, params=None, **kw):
    kw.setdefault("start", 0.0)
    kw.setdefault("stop", 10.0)
    return Model(elements).compile().run(params, **kw)


def erlang3_cdf(t, tau):
    """Fraction of a unit step through a third-order delay (stages tau/3) by time t."""
    a = 3 * np.asarray(t) / tau
    return 1 - np.exp(-a) * (1 + a + a * a / 2)


# --- analytic solutions (RK4, small dt) -------------------------------------------------

def test_exponential_decay_and_growth():
    els = [const("k", 0.3, "1/year"),
           stock("decaying", 100, "u", outflows=["decay"]), flow("decay", "k * decaying", "u/year"),
           stock("growing", 2, "u", inflows=["growth"]), flow("growth", "k * growing", "u/year")]
    ds = run(els, {"k": [0.3, -0.1, 0.5]}, dt=0.05, method="rk4")
    t, k = ds.time.values, np.array([0.3, -0.1, 0.5])[:, None]
    np.testing.assert_allclose(ds["decaying"].values, 100 * np.exp(-k * t), rtol=RTOL)
    np.testing.assert_allclose(ds["growing"].values, 2 * np.exp(k * t), rtol=RTOL)
    np.testing.assert_allclose(ds["decay"].values, k * 100 * np.exp(-k * t), rtol=RTOL)


def test_logistic_growth():
    els = [const("r", 0.8, "1/year"), const("capacity", 1000, "u"),
           stock("n", 10, "u", inflows=["births"]),
           flow("births", "r * n * (1 - n / capacity)", "u/year")]
    ds = run(els, dt=0.02, stop=20, method="rk4")
    t = ds.time.values
    exact = 1000 / (1 + (1000 - 10) / 10 * np.exp(-0.8 * t))
    np.testing.assert_allclose(ds["n"].values[0], exact, rtol=RTOL)


def test_delay3_step_response_is_erlang3():
    # a unit step of height 50 starting at t=0, pipeline initially empty (DELAY3I with init 0)
    els = [const("delay_time", 4, "year"), aux("input", "step(50, 0)", "u/year"),
           flow("output", "delay3(input, delay_time, 0)", "u/year"),
           stock("delivered", 0, "u", inflows=["output"])]
    ds = run(els, dt=0.01, stop=20, save_every=0.5, method="rk4")
    t = ds.time.values
    np.testing.assert_allclose(ds["output"].values[0], 50 * erlang3_cdf(t, 4), rtol=RTOL, atol=1e-9)
    # material is conserved: what went in is either delivered or still in the pipeline
    integral = 50 * (t - 4 * erlang3_integral_factor(t, 4))
    np.testing.assert_allclose(ds["delivered"].values[0], integral, rtol=RTOL, atol=1e-9)


def erlang3_integral_factor(t, tau):
    """(1/tau) * integral_0^t of (1 - Erlang3 CDF), i.e. material still in the pipeline / tau."""
    a = 3 * t / tau
    # integral of exp(-a)(1 + a + a^2/2) da from 0 to a, times tau/3, divided by tau
    integ = 3 - np.exp(-a) * (3 + 2 * a + a * a / 2)
    return integ / 3


def test_delay1_and_smooth_step_responses_are_first_order_lags():
    els = [aux("x", "step(8, 0)", "u"),
           aux("smoothed", "smooth(x, 2.5, 0)", "u"),
           aux("smoothed3", "smooth3(x, 2.5, 0)", "u"),
           flow("delayed", "delay1(x, 2.5, 0)", "u/year")]
    ds = run(els, dt=0.01, stop=12, method="rk4")
    t = ds.time.values
    lag = 8 * (1 - np.exp(-t / 2.5))
    np.testing.assert_allclose(ds["smoothed"].values[0], lag, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(ds["delayed"].values[0], lag, rtol=RTOL, atol=1e-9)
    np.testing.assert_allclose(ds["smoothed3"].values[0], 8 * erlang3_cdf(t, 2.5), rtol=RTOL, atol=1e-9)


def test_smooth_tracks_a_ramp_with_lag_tau():
    # first-order smooth of a ramp: y = s*(t - tau*(1 - exp(-t/tau))) when starting at 0
    els = [aux("x", "ramp(3, 0, 100)", "u"), aux("y", "smooth(x, 2, 0)", "u")]
    ds = run(els, dt=0.01, stop=10, method="rk4")
    t = ds.time.values
    np.testing.assert_allclose(ds["y"].values[0], 3 * (t - 2 * (1 - np.exp(-t / 2))), rtol=RTOL, atol=1e-9)


def test_delays_and_smooths_start_in_equilibrium_by_default():
    els = [const("x", 7, "u"), aux("s", "smooth(x, 2)", "u"), aux("s3", "smooth3(x, 2)", "u"),
           flow("d", "delay3(x, 2)", "u/year"), flow("d1", "delay1(x, 2)", "u/year")]
    ds = run(els, dt=0.25)
    for name in ("s", "s3", "d", "d1"):
        np.testing.assert_allclose(ds[name].values, 7, rtol=1e-12)


def test_internal_elements_are_not_recorded():
    els = [const("x", 7, "u"), aux("s", "smooth3(x, 2)", "u")]
    ds = run(els)
    assert set(ds.data_vars) == {"x", "s"}


def test_time_varying_rate_and_series_with_rk4():
    # ds/dt = a * time * s  =>  s = s0 exp(a t^2 / 2);  dq/dt = g(t), g a linear Series  =>  q quadratic
    els = [const("a", 0.5, "1/year**2"), const("g", 0, "u/year"),
           stock("s", 1.5, "u", inflows=["gs"]), flow("gs", "a * time * s", "u/year"),
           stock("q", 0, "u", inflows=["gq"]), flow("gq", "g", "u/year")]
    g = Series([0, 4], [1, 9])  # g(t) = 1 + 2t
    ds = run(els, {"g": g}, stop=4, dt=0.01, method="rk4")
    t = ds.time.values
    np.testing.assert_allclose(ds["s"].values[0], 1.5 * np.exp(0.5 * t * t / 2), rtol=RTOL)
    np.testing.assert_allclose(ds["q"].values[0], t + t * t, rtol=1e-12, atol=1e-12)  # RK4 exact here
    np.testing.assert_allclose(ds["g"].values[0], 1 + 2 * t, rtol=1e-12)


# --- order of convergence ------------------------------------------------------------------

def _final_error(method, dt):
    els = [const("a", 0.5, "1/year**2"), stock("s", 1, "u", inflows=["gs"]),
           flow("gs", "a * time * s - 0.3 * s", "u/year")]
    ds = run(els, stop=2, dt=dt, save_every=0.5, method=method)
    exact = math.exp(0.5 * 2 * 2 / 2 - 0.3 * 2)
    return abs(float(ds["s"].values[0, -1]) - exact)


@pytest.mark.parametrize("method, order", [("euler", 1), ("rk4", 4)])
def test_halving_dt_converges_at_the_method_order(method, order):
    errors = [_final_error(method, dt) for dt in (0.1, 0.05, 0.025)]
    ratios = [errors[0] / errors[1], errors[1] / errors[2]]
    for r in ratios:
        assert r == pytest.approx(2 ** order, rel=0.1), (errors, ratios)
    assert math.log2(ratios[-1]) == pytest.approx(order, abs=0.1)


# --- conservation --------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_aging_chain_conserves_its_total(method):
    els = aging_chain("hte", 3, inflow="entry", cohort_time="cohort_time", initial=[300, 200, 100],
                      units="firm") + [const("cohort_time", 1, "year"), flow("entry", "0", "firm/year")]
    ds = run(els, stop=15, dt=0.25, method=method, save_every=0.25)
    total = ds["hte_total"].values
    np.testing.assert_allclose(total, 600, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ds["hte_1"] + ds["hte_2"] + ds["hte_3"], total, rtol=0, atol=1e-9)
    assert ds["hte_3"].values[0, -1] > 599  # everything ends up in the last cohort
    # cohort 1 only drains, at the method's one-step amplification factor for y' = -y, h = 0.25
    h = 0.25
    factor = 1 - h if method == "euler" else 1 - h + h**2 / 2 - h**3 / 6 + h**4 / 24
    np.testing.assert_allclose(ds["hte_1"].values[0], 300 * factor ** (ds.time.values / h), rtol=1e-12)


def test_aging_chain_with_entry_and_equal_split():
    els = aging_chain("hte", 3, inflow="entry", cohort_time="cohort_time", initial="90",
                      units="firm", final_outflow="expiry") + [
        const("cohort_time", 1, "year"), flow("entry", "30", "firm/year"),
        stock("expired", 0, "firm", inflows=["expiry"])]
    ds = run(els, stop=10, dt=0.25)
    for i in (1, 2, 3):  # 90 split in three at 30 each, already the steady state for entry 30/year
        np.testing.assert_allclose(ds[f"hte_{i}"].values, 30, rtol=1e-12)
    # total in the chain plus what expired = initial + cumulative entry
    np.testing.assert_allclose((ds["hte_total"] + ds["expired"]).values[0], 90 + 30 * ds.time.values, rtol=1e-12)


# --- builtins at specific times --------------------------------------------------------------

def test_builtin_values_at_specific_times():
    els = [aux("s", "step(5, 2020)", "u"),
           aux("r", "ramp(2, 2020, 2023)", "u"),
           aux("p", "pulse(2020, 1)", "dmnl"),
           aux("p0", "pulse(2020, 0)", "dmnl"),
           lookup("tbl", [(0, 0), (1, 10), (2, 15)], "u", "year"),
           aux("l", "lookup(tbl, time - 2017)", "u"),
           aux("ite", "if_then_else(time >= 2021 and time < 2022, 1, 2)", "u"),
           aux("c", "clip(time - 2018, 0, 3)", "year"),
           aux("cmp", "2018 < time <= 2020", "dmnl"),
           aux("neg", "not (time > 2019)", "dmnl")]
    ds = run(els, start=2016, stop=2026, dt=0.25, save_every=0.25)
    at = lambda name, t: float(ds[name].sel(time=t).values[0])  # noqa: E731
    # step switches at the first computation at or after t0
    assert [at("s", t) for t in (2016, 2019.75, 2020, 2020.25, 2025)] == [0, 0, 5, 5, 5]
    assert [at("r", t) for t in (2016, 2020, 2020.5, 2021, 2023, 2026)] == [0, 0, 1, 2, 6, 6]
    assert [at("p", t) for t in (2019.75, 2020, 2020.75, 2021, 2021.25)] == [0, 1, 1, 0, 0]
    assert [at("p0", t) for t in (2019.75, 2020, 2020.25)] == [0, 1, 0]
    # lookup: linear inside, flat beyond both ends
    assert [at("l", t) for t in (2016, 2017, 2017.5, 2018.5, 2019, 2024)] == [0, 0, 5, 12.5, 15, 15]
    # saved values report the period ending at the save time: comparisons read the clock's left limit
    assert [at("ite", t) for t in (2020.75, 2021, 2021.25, 2021.75, 2022, 2022.25)] == [2, 2, 1, 1, 1, 2]
    assert [at("c", t) for t in (2016, 2018, 2019.5, 2021, 2025)] == [0, 0, 1.5, 3, 3]
    assert [at("cmp", t) for t in (2018, 2018.25, 2020, 2020.25)] == [0, 1, 1, 0]
    assert [at("neg", t) for t in (2019, 2019.25)] == [1, 0]


def test_step_switches_at_half_step_with_offgrid_time():
    # Vensim: STEP is seen when time + dt/2 > t0, so a t0 between grid points rounds to the nearest
    ds = run([aux("s", "step(1, 2.6)", "u")], stop=4, dt=1.0, save_every=1.0)
    assert ds["s"].values[0].tolist() == [0, 0, 0, 1, 1]
    ds = run([aux("s", "step(1, 2.4)", "u")], stop=4, dt=1.0, save_every=1.0)
    assert ds["s"].values[0].tolist() == [0, 0, 1, 1, 1]


def test_min_max_clip_over_runs():
    els = [const("a", 0, "u"), const("b", 0, "u"),
           aux("mn", "min(a, b, 2)", "u"), aux("mx", "max(a, b, 2)", "u"),
           aux("cl", "clip(a, b, 4)", "u"), aux("ab", "abs(a - b)", "u"),
           aux("ite", "if_then_else(a > b, a, b)", "u"), aux("sq", "sqrt(abs(a))", "u")]
    a, b = np.array([1.0, 5.0, 3.0, -2.0]), np.array([4.0, 0.0, 3.0, -1.0])
    ds = run(els, {"a": a, "b": b}, stop=1, dt=0.5)
    assert ds.sizes["run"] == 4
    first = lambda name: ds[name].values[:, 0]  # noqa: E731
    np.testing.assert_array_equal(first("mn"), np.minimum(np.minimum(a, b), 2))
    np.testing.assert_array_equal(first("mx"), np.maximum(np.maximum(a, b), 2))
    np.testing.assert_array_equal(first("cl"), [4, 4, 3, -1])
    np.testing.assert_array_equal(first("ab"), np.abs(a - b))
    np.testing.assert_array_equal(first("ite"), np.maximum(a, b))
    np.testing.assert_array_equal(first("sq"), np.sqrt(np.abs(a)))


def test_lookup_table_override_per_call():
    els = [lookup("tbl", [(0, 0), (10, 10)], "u", "year"), aux("l", "lookup(tbl, time)", "u")]
    cm = Model(els).compile()
    ds = cm.run({"tbl": ([0, 10], [0, 100])}, start=0, stop=4, dt=1)
    assert ds["l"].values[0].tolist() == [0, 10, 20, 30, 40]
    ds = cm.run(start=0, stop=4, dt=1)
    assert ds["l"].values[0].tolist() == [0, 1, 2, 3, 4]


def test_constant_expressions():
    # a constant may be a numeric expression, including time_step (which follows the run's dt)
    els = [const("c", "2 * 3 + 1", "u"), const("half_dt", "time_step / 2", "year"),
           const("e", "exp(0)", "dmnl"), aux("use", "c + half_dt", "u")]
    ds = run(els, stop=2, dt=0.5)
    assert float(ds["c"][0, 0]) == 7
    assert float(ds["half_dt"][0, 0]) == 0.25
    assert float(ds["e"][0, 0]) == 1
    ds = run(els, stop=2, dt=0.125, save_every=0.5)
    assert float(ds["half_dt"][0, 0]) == 0.0625
    ds = run(els, {"half_dt": 9}, stop=2, dt=0.125, save_every=0.5)  # an override wins
    assert float(ds["use"][0, 0]) == 16


def test_constant_may_not_depend_on_time():
    with pytest.raises(ModelError, match="a constant must be a number"):
        Model([const("c", "step(1, 2020)", "u")])
    with pytest.raises(ModelError, match="a constant must be a number"):
        Model([const("c", "time * 2", "u")])


# --- ensembles ------------------------------------------------------------------------------

def _ensemble_model():
    return [
        const("rate", 0.1, "1/year"), const("cap", 500, "u"), const("lever", 0, "u/year"),
        const("t_switch", 2020, "year"),
        lookup("effect", [(0, 0.5), (1, 1), (3, 2)], "dmnl", "dmnl"),
        stock("x", 50, "u", inflows=["gain"], outflows=["loss"]),
        flow("gain", "rate * x * lookup(effect, x / cap) + lever + step(5, t_switch)", "u/year"),
        flow("loss", "min(x * 0.05, 20) + delay3(gain, 2) * 0.1", "u/year"),
        aux("smoothed", "smooth(x, 1.5)", "u"),
        stock("y", 1, "u", inflows=["yin"]), flow("yin", "clip(x / cap, 0, 1) * ramp(1, 2018, 2025)", "u/year"),
    ]


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_ensemble_equals_separate_runs(method):
    n = 5
    rng = np.random.default_rng(1)
    params = {
        "rate": rng.uniform(0.05, 0.2, n),
        "cap": rng.uniform(300, 900, n),
        "t_switch": np.array([2018, 2019.5, 2020, 2021.25, 2030]),
        "lever": Series([2016, 2020, 2030], rng.uniform(0, 10, (n, 3)), kind="step"),
    }
    cm = Model(_ensemble_model()).compile()
    kw = dict(start=2016, stop=2030, dt=0.25, method=method, save_every=0.5)
    ens = cm.run(params, **kw)
    assert ens.sizes == {"run": n, "time": 29}
    for i in range(n):
        single = {k: (Series(v.years, v.values[i], v.kind) if isinstance(v, Series) else float(v[i]))
                  for k, v in params.items()}
        one = cm.run(single, **kw)
        assert one.sizes["run"] == 1
        for name in ens.data_vars:
            np.testing.assert_array_equal(ens[name].values[i], one[name].values[0], err_msg=name)


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_runs_integrated_in_blocks_equal_one_block(method, monkeypatch):
    """A call with more runs than ``RUNS_PER_BLOCK`` is integrated block after block: every saved
    number equals the one-block integration exactly, with per-run constants, per-run step and
    linear Series, a lookup passed per call and outputs that prune the equations."""
    from innosd.core import engine
    n = 23
    rng = np.random.default_rng(4)
    params = {
        "rate": rng.uniform(0.05, 0.2, n), "cap": rng.uniform(300, 900, n),
        "t_switch": rng.choice([2018, 2019.5, 2020, 2021.25], n),
        "lever": Series([2016, 2020, 2030], rng.uniform(0, 10, (n, 3)), kind="step"),
        "effect": ([0, 1, 2, 4], [0.4, 1, 1.5, 1.7]),
    }
    cm = Model(_ensemble_model() + [aux("curved", "sqrt(x) * exp(-rate) + log(1 + y) * (x / cap) ** 0.6", "u")]
               ).compile()
    calls = [dict(params=params), dict(params=params, outputs=["y", "curved"]),
             dict(params={**params, "lever": Series([2016, 2030], rng.uniform(0, 10, (n, 2)))}),
             dict(params={"lever": Series([2016, 2030], [0, 14])}, n_runs=n)]
    for call in calls:
        kw = dict(start=2016, stop=2030, dt=0.25, method=method, save_every=0.5, **call)
        monkeypatch.setattr(engine, "RUNS_PER_BLOCK", n)
        plain, times = cm.run_arrays(**kw)
        monkeypatch.setattr(engine, "RUNS_PER_BLOCK", 5)  # blocks of 5, the last of 3
        blocked, _ = cm.run_arrays(**kw)
        assert list(blocked) == list(plain) == list(call.get("outputs", cm.recorded))
        assert plain["y"].shape == (n, len(times))
        for name in plain:
            np.testing.assert_array_equal(blocked[name], plain[name], err_msg=name)


def test_n_runs_broadcasts_scalars_and_shared_series():
    cm = Model(_ensemble_model()).compile()
    lever = Series([2016, 2030], [0, 14])
    ds = cm.run({"lever": lever}, n_runs=3, start=2016, stop=2020, dt=0.25)
    assert ds.sizes["run"] == 3
    np.testing.assert_array_equal(ds["x"].values[0], ds["x"].values[2])
    np.testing.assert_allclose(ds["lever"].values[0], [0, 1, 2, 3, 4])


def test_parameter_shapes_must_agree():
    cm = Model(_ensemble_model()).compile()
    kw = dict(start=2016, stop=2020)
    with pytest.raises(ModelError, match=r"disagree on the number of runs: \[2, 3\]"):
        cm.run({"rate": [0.1, 0.2], "cap": [1, 2, 3]}, **kw)
    with pytest.raises(ModelError, match=r"disagree on the number of runs"):
        cm.run({"lever": Series([2016, 2020], np.zeros((4, 2)))}, n_runs=3, **kw)
    with pytest.raises(ModelError, match=r"expected a scalar or a 1-D array over runs, got shape \(2, 2\)"):
        cm.run({"rate": [[0.1, 0.2], [0.1, 0.2]]}, **kw)


# --- outputs and run settings -----------------------------------------------------------------

def test_outputs_subset_and_metadata():
    cm = Model(_ensemble_model()).compile()
    ds = cm.run({"rate": [0.1, 0.2]}, start=2016, stop=2030, outputs=["x", "loss"])
    assert set(ds.data_vars) == {"x", "loss"}
    full = cm.run({"rate": [0.1, 0.2]}, start=2016, stop=2030)
    np.testing.assert_array_equal(ds["x"].values, full["x"].values)
    assert ds["x"].attrs["units"] == "u" and ds["x"].attrs["kind"] == "stock"
    assert ds.attrs["dt"] == 0.25 and ds.attrs["method"] == "euler"
    with pytest.raises(ModelError, match="unknown output 'los'; did you mean 'loss'"):
        cm.run(start=2016, stop=2030, outputs=["los"])


def test_save_every():
    cm = Model(_ensemble_model()).compile()
    fine = cm.run(start=2016, stop=2030, dt=0.25, save_every=0.25)
    assert fine.sizes["time"] == 57 and fine.time.values[-1] == 2030
    yearly = cm.run(start=2016, stop=2030, dt=0.25)  # default: every year
    np.testing.assert_array_equal(yearly.time.values, np.arange(2016, 2031))
    np.testing.assert_array_equal(yearly["x"].values, fine["x"].sel(time=yearly.time).values)
    np.testing.assert_array_equal(yearly["gain"].values, fine["gain"].sel(time=yearly.time).values)
    two = cm.run(start=2016, stop=2030, dt=0.25, save_every=2)
    np.testing.assert_array_equal(two.time.values, np.arange(2016, 2031, 2))


@pytest.mark.parametrize("kw, match", [
    (dict(start=0, stop=10, dt=0.3), "must be whole multiples of dt"),
    (dict(start=0, stop=1, dt=0.4), "must be whole multiples of dt"),
    (dict(start=0, stop=10, dt=0.25, save_every=0.3), "must be whole multiples of dt"),
    (dict(start=0, stop=10, dt=0.25, save_every=0.1), "must be whole multiples of dt"),
    (dict(start=0, stop=10, dt=0), "need dt > 0"),
    (dict(start=0, stop=10, dt=-0.25), "need dt > 0"),
    (dict(start=10, stop=10), "stop > start"),
    (dict(start=0, stop=10, method="rk45"), "unknown integration method 'rk45'"),
])
def test_bad_run_settings(kw, match):
    cm = Model(_ensemble_model()).compile()
    with pytest.raises(ModelError, match=match):
        cm.run(**kw)


def test_run_frame():
    cm = Model(_ensemble_model()).compile()
    df = cm.run_frame(start=2016, stop=2020)
    assert list(df.index) == [2016, 2017, 2018, 2019, 2020] and "x" in df.columns
    with pytest.raises(ModelError, match="run_frame is for a single run"):
        cm.run_frame({"rate": [0.1, 0.2]}, start=2016, stop=2020)


def test_generated_source_is_straight_line_numpy():
    cm = Model(_ensemble_model()).compile()
    assert cm.source.startswith("def _rates(time, _S, _C, _D):")
    assert "for " not in cm.source and "while " not in cm.source


def test_element_names_that_the_generated_code_also_uses():
    # an SIR model names its stocks S, I, R; C and D are plausible too
    els = [const("beta", 0.5, "1/year"), const("gamma", 0.2, "1/year"), const("C", 1000, "person"),
           stock("S", 990, "person", outflows=["infection"]), stock("I", 10, "person", inflows=["infection"],
                                                                     outflows=["recovery"]),
           stock("R", 0, "person", inflows=["recovery"]),
           flow("infection", "beta * S * I / C", "person/year"), flow("recovery", "gamma * I", "person/year"),
           aux("D", "S + I + R", "person")]
    ds = run(els, stop=30, dt=0.25)
    np.testing.assert_allclose(ds["D"].values, 1000, rtol=1e-12)
    assert ds["R"].values[0, -1] > 500 and float(ds["C"][0, 0]) == 1000


@pytest.mark.parametrize("name", ["yield", "lambda", "class", "None"])
def test_python_keywords_are_not_element_names(name):
    with pytest.raises(ModelError, match=f"element '{name}': not a valid element name"):
        Model([const(name, 1, "u")])


def test_saved_values_report_the_period_ending_at_the_save_time():
    """A step schedule that changes at t = 1 is saved at t = 1 with the value of [0, 1), and
    the stock it feeds integrates exactly the old value over [0, 1) and the new after."""
    els = [const("g", 0, "u/year"), stock("q", 0, "u", inflows=["gq"]), flow("gq", "g", "u/year")]
    ds = run(els, {"g": Series([0, 1, 2], [1, 5, 7], kind="step")}, stop=3, dt=0.25)
    np.testing.assert_allclose(ds["g"].values[0], [1, 1, 5, 7])
    np.testing.assert_allclose(ds["q"].values[0], [0, 1, 6, 13])


def test_saved_flows_read_the_clock_from_the_left():
    """A flow on during [1, 2) by a time condition is saved as on at t = 2 (the period ending at 2)
    and off at t = 1 (the period ending at 1), like the step schedule above; the stock agrees."""
    els = [stock("q", 0, "u", inflows=["on"]), flow("on", "if_then_else(time >= 1 and time < 2, 3, 0)", "u/year")]
    ds = run(els, stop=4, dt=0.25)
    np.testing.assert_allclose(ds["on"].values[0], [0, 0, 3, 0, 0])
    np.testing.assert_allclose(ds["q"].values[0], [0, 0, 3, 3, 3])


def test_outputs_run_only_the_equations_they_need_with_the_same_numbers():
    """Asking for some outputs integrates only the stocks and flows behind them: the numbers are
    those of the whole model, element for element."""
    from innosd.inputs.region import load_region
    from innosd.sectors import compiled_model
    cm = compiled_model()
    params = load_region("xingtai").parameters()
    keep = ["hte_count", "rd_intensity"]
    whole = cm.run(params, start=2015, stop=2030, dt=0.25)
    for method in ("euler", "rk4"):
        whole = cm.run(params, start=2015, stop=2030, dt=0.25, method=method)
        part = cm.run(params, start=2015, stop=2030, dt=0.25, method=method, outputs=keep)
        for name in keep:
            np.testing.assert_array_equal(part[name].values, whole[name].values)
    assert cm.rates_for(keep) is not cm._rates            # a smaller function was generated ...
    assert cm.rates_for(cm.recorded) is cm._rates          # ... and the whole model reuses the full one
