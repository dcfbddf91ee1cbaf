"""Global sensitivity analysis: a known answer (Ishigami), SALib's numbers, warnings, a
researcher's own model, results folders, user mistakes, and Dask runs equal to local ones."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from innosd.analysis import sensitivity as sa
from innosd.cli import main
from innosd.core.engine import Model, RunSettings
from innosd.core.equations import ModelError, aux, const, flow, stock
from innosd.inputs.workspace import scenarios_dir
from innosd.outputs.sensitivity import write_sensitivity


def ishigami(X, a=7.0, b=0.1):
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


ISHIGAMI = [sa.uniform_factor(f"x{i}", -math.pi, math.pi) for i in (1, 2, 3)]


@pytest.fixture(scope="module")
def scenario():
    """The shipped Xingtai baseline."""
    return str(scenarios_dir() / "xingtai" / "baseline.yaml")


@pytest.fixture(scope="module")
def three_params(scenario):
    return sa.widest_parameters(scenario, 3)


# --- the pipeline on a known answer -----------------------------------------------------------

def test_ishigami_known_answer():
    """a = 7, b = 0.1: S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244 (Ishigami and Homma 1990)."""
    design = sa.sample(ISHIGAMI, "sobol", 8192, seed=11, second_order=True)
    res = sa.analyze(design, ishigami(design.values))
    df = res.indices.set_index("factor")
    np.testing.assert_allclose(df["S1"], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(df["ST"], [0.5576, 0.4424, 0.2437], atol=0.03)
    s2 = res.s2.set_index(["factor_1", "factor_2"])["S2"]
    assert abs(s2[("x1", "x3")] - 0.2437) < 0.05          # the only interaction: x1 with x3
    assert abs(s2[("x1", "x2")]) < 0.05 and abs(s2[("x2", "x3")]) < 0.05
    # every confidence interval covers the analytic value
    exact = np.array([0.3139, 0.4424, 0.0])
    assert ((df["S1"] - df["S1_conf"] <= exact) & (df["S1"] + df["S1_conf"] >= exact)).all()
    assert res.runs == 8192 * 8


def test_morris_ranks_ishigami():
    design = sa.sample(ISHIGAMI, "morris", 50, seed=3)
    res = sa.analyze(design, {"y": ishigami(design.values)})
    df = res.indices.set_index("factor")
    assert list(res.indices.columns) == sa.MORRIS_COLUMNS
    assert df.loc["x3", "sigma"] > df.loc["x3", "mu_star"] * 0.5   # x3 acts through its interaction
    assert (df["mu_star"] > 0).all() and res.runs == 50 * 4


def test_analyze_equals_salib():
    """analyze(design, Y) gives SALib.analyze.sobol.analyze's S1/ST/S2 and bootstrap intervals on the same Y
    (SALib called directly, and through backend="salib")."""
    from SALib.analyze import sobol as salib_sobol
    for second in (True, False):
        design = sa.sample(ISHIGAMI, "sobol", 256, seed=5, second_order=second)
        y = ishigami(design.values)
        res = sa.analyze(design, y)
        ref = salib_sobol.analyze(sa.problem_of(design.factors), y, calc_second_order=second,
                                  num_resamples=sa.NUM_RESAMPLES, conf_level=sa.CONF_LEVEL, seed=design.seed + 1)
        df = res.to_df()
        for key in ("S1", "S1_conf", "ST", "ST_conf"):
            np.testing.assert_allclose(df[key], ref[key], rtol=1e-10, atol=1e-12)
        if second:
            s2 = res.s2.set_index(["factor_1", "factor_2"])
            for j, k in [(0, 1), (0, 2), (1, 2)]:
                pair = (f"x{j + 1}", f"x{k + 1}")
                np.testing.assert_allclose(s2.loc[pair, ["S2", "S2_conf"]], [ref["S2"][j, k], ref["S2_conf"][j, k]],
                                           rtol=1e-10, atol=1e-12)
        via = sa.analyze(design, {"y": y}, backend="salib")
        pd.testing.assert_frame_equal(df, via.to_df(), rtol=1e-10, atol=1e-12)


def test_first_order_only_from_a_second_order_design():
    d2 = sa.sample(ISHIGAMI, "sobol", 512, seed=2, second_order=True)
    full = sa.analyze(d2, {"y": ishigami(d2.values)}, backend="salib").indices
    quick = sa.analyze(d2, {"y": ishigami(d2.values)}, second_order=False)
    assert quick.s2 is None
    np.testing.assert_allclose(quick.indices["S1"], full["S1"], atol=0.01)   # same A, AB, B rows; normalised apart
    np.testing.assert_allclose(quick.indices["ST"], full["ST"], atol=0.01)


def test_result_table_and_figure():
    """to_df() is the tidy table (a copy); plot() returns a figure with one bar per factor and index, writing
    nothing."""
    from matplotlib.figure import Figure
    design = sa.sample(ISHIGAMI, "sobol", 512, seed=4, second_order=False)
    X = design.values
    res = sa.analyze(design, {("a", 2025): ishigami(X), ("b", 2025): X[:, 1], ("b", 2030): X[:, 0] + X[:, 2]})
    df = res.to_df()
    assert list(df.columns) == sa.SOBOL_COLUMNS and len(df) == 3 * 3
    assert list(df.drop_duplicates(["output", "year"])[["output", "year"]].itertuples(index=False, name=None)) == \
        [("a", 2025), ("b", 2025), ("b", 2030)]
    b = df[(df["output"] == "b") & (df["year"] == 2025)].set_index("factor")
    assert b.loc["x2", "ST"] > 0.95 and abs(b.loc["x1", "ST"]) < 0.05      # b depends on x2 alone
    df.loc[0, "S1"] = 99.0
    assert res.indices.loc[0, "S1"] != 99.0                                # a copy: the result is unchanged
    fig = res.plot("b", 2030)
    assert isinstance(fig, Figure) and fig.axes[0].get_title() == "b 2030"
    bars = fig.axes[0].patches
    assert len(bars) == 2 * 3                                              # S1 and ST for each factor
    rows = {round(t.get_position()[1]): t.get_text() for t in fig.axes[0].get_yticklabels()}
    st = {rows[round(bar.get_y() + bar.get_height())]: bar.get_width() for bar in bars[3:]}  # ST bars sit below the row
    assert st["x2"] == pytest.approx(0.0, abs=0.05)                        # x1 + x3 does not depend on x2
    assert res.plot().axes[0].get_title() == "a 2025"                      # default: the first output
    with pytest.raises(ModelError, match="no output 'c' in this result; the closest valid one is 'b'"):
        res.plot("c")
    with pytest.raises(ModelError, match="no year 2027; the closest valid one is 2025"):
        res.plot("a", 2027)


# --- warnings ---------------------------------------------------------------------------------

def test_warnings_fire_for_a_too_small_n():
    design = sa.sample(ISHIGAMI, "sobol", 48, seed=1)
    res = sa.analyze(design, ishigami(design.values))
    text = "\n".join(res.warnings)
    assert "N=48 is too small for 3 factors" in text and "use N=512" in text
    assert "not a power of 2" in text
    assert "confidence interval" in text and "spans zero" in text
    assert not sa.check_design("sobol", 1024, 10)               # the benchmark's design is fine
    assert "use --n 20" in " ".join(sa.check_design("morris", 4, 6))


def test_warnings_on_nonsensical_sums():
    df = pd.DataFrame({"output": "y", "year": 2025, "factor": ["a", "b", "c"], "S1": [0.7, 0.6, -0.2],
                       "S1_conf": [0.01] * 3, "ST": [0.8, 0.3, 0.1], "ST_conf": [0.01] * 3})
    text = "\n".join(sa.check_indices(df, "sobol", 256))
    assert "sum to 1.10" in text and "use N=1024" in text
    assert "total index below the first-order index" in text and "negative indices" in text


def test_output_that_does_not_vary_is_reported():
    design = sa.sample(ISHIGAMI, "sobol", 64, seed=1, second_order=False)
    res = sa.analyze(design, {"flat": np.ones(design.runs)})
    assert res.indices["S1"].isna().all() and any("'flat' does not vary" in w for w in res.warnings)


# --- a researcher's own model -------------------------------------------------------------------

def tiny_model():
    """A population growing at birth_rate, with a constant that does not enter any equation's result."""
    return Model([
        stock("population", "init_population", inflows=["births"], units="person"),
        flow("births", "population * birth_rate", "person/year"),
        const("init_population", 100.0, "person"),
        const("birth_rate", 0.02, "1/year"),
        const("unused_rate", 0.5, "1/year"),
        aux("doubled", "2 * population + 0 * unused_rate", "person"),
    ], name="tiny").compile()


def test_sensitivity_of_a_model_of_ones_own(tmp_path):
    """sample -> evaluate_model -> analyze on a model declared with the core helpers, then its folder."""
    model = tiny_model()
    factors = [sa.uniform_factor("birth_rate", 0.0, 0.05, "1/year"), sa.uniform_factor("init_population", 50, 150),
               sa.uniform_factor("unused_rate", 0.0, 1.0)]
    design = sa.sample(factors, "sobol", 512, seed=3, second_order=False)
    Y = sa.evaluate_model(model, design, RunSettings(0, 20), [("population", 20), ("doubled", 10)])
    assert sorted(Y) == [("doubled", 10), ("population", 20)] and Y[("population", 20)].shape == (design.runs,)
    # each run is the model at that design point: population(20) ~ init * exp(20 rate) with dt 0.25
    X = design.values
    np.testing.assert_allclose(Y[("population", 20)], X[:, 1] * (1 + 0.25 * X[:, 0]) ** 80, rtol=1e-9)
    res = sa.analyze(design, Y)
    st = res.to_df().set_index(["output", "factor"])["ST"]
    assert st[("population", "unused_rate")] == 0.0 and st[("population", "birth_rate")] > 0.3
    assert st[("population", "init_population")] > 0.3
    folder = write_sensitivity(res, out=tmp_path / "own")
    m = json.loads((folder / "manifest.json").read_text())
    assert m["analysed_outputs"] == [{"output": "population", "year": 20}, {"output": "doubled", "year": 10}]
    assert m["inputs"] == {} and pd.read_csv(folder / "indices.csv").shape == (6, 7)
    assert (folder / "charts" / "bar-population-20.png").exists()
    with pytest.raises(ModelError, match="21 is not a saved time.*closest valid one is 20"):
        sa.evaluate_model(model, design, RunSettings(0, 20), [("population", 21)])
    with pytest.raises(ModelError, match="did you mean 'population'"):
        sa.evaluate_model(model, design, RunSettings(0, 20), [("populaton", 20)])


# --- the model --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(scenario, three_params):
    return sa.sensitivity(scenario, "sobol", factors=three_params, years=(2025,), n=64, seed=7, second_order=True)


def test_model_analysis_and_results_folder(small, tmp_path):
    res = small
    assert res.runs == 64 * 8 and list(res.indices.columns) == sa.SOBOL_COLUMNS
    assert set(res.indices["factor"]) == set(res.design.names)
    assert res.indices["output"].str.startswith("gap:").any()     # targets' gaps are outputs by default
    assert res.over_time is not None and sorted(res.over_time["year"].unique())[0] == 2016
    assert any("too small" in w for w in res.warnings)
    folder = write_sensitivity(res, out=tmp_path / "gsa")
    names = {p.name for p in folder.iterdir()}
    assert {"indices.csv", "indices_s2.csv", "indices_over_time.csv", "factors.csv", "outputs.csv",
            "warnings.txt", "manifest.json", "charts"} <= names
    charts = {p.name for p in (folder / "charts").iterdir()}
    assert any(c.startswith("bar-") and c.endswith(".png") for c in charts)
    assert any(c.startswith("bar-") and c.endswith(".svg") for c in charts)
    assert any(c.startswith("over-time-") for c in charts)
    df = pd.read_csv(folder / "indices.csv")
    assert list(df.columns) == sa.SOBOL_COLUMNS and len(df) == len(res.indices)
    assert "too small" in (folder / "warnings.txt").read_text()
    m = json.loads((folder / "manifest.json").read_text())
    assert m["method"] == "sobol" and m["N"] == 64 and m["seed"] == 7 and m["runs"] == 512
    assert len(m["scenario_sha256"]) == 64 and m["version"] and m["warnings"]
    assert [f["name"] for f in m["factors"]] == res.design.names and m["analysed_outputs"]
    assert m["outputs"]["indices.csv"] and m["outputs"]["warnings.txt"]      # files with their SHA-256
    with pytest.raises(ModelError, match="already exists"):
        write_sensitivity(res, out=tmp_path / "gsa")          # never overwritten


def test_the_pipeline_is_sample_evaluate_analyze(scenario, three_params, small):
    """sensitivity() is the three steps of SALib's contract: the same design, the same Y, the same indices."""
    from innosd.inputs.scenario import as_scenario
    sc = as_scenario(scenario)
    factors, _ = sa.scenario_factors(sc, three_params)
    design = sa.sample(factors, "sobol", 64, seed=7, second_order=True)
    np.testing.assert_array_equal(design.values, small.design.values)
    Y = sa.evaluate(design, sc, years=(2025,))
    assert sorted(Y) == sorted(zip(small.outputs["output"], small.outputs["year"]))
    res = sa.analyze(design, Y)
    pd.testing.assert_frame_equal(res.indices, small.indices, check_exact=True)


def test_analyses_write_nothing(tmp_path, scratch_home, monkeypatch, three_params):
    """A forecast and a sensitivity analysis, run in an empty folder on a copy of the project's data,
    leave both exactly as they were: writing is the outputs layer's job."""
    from innosd.analysis.forecast import forecast
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)

    def snapshot():
        return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")}
    before = snapshot()
    fc = forecast("xingtai/baseline", runs=20, seed=1)
    res = sa.sensitivity("xingtai/baseline", "morris", factors=three_params, years=(2025,), n=4, seed=1)
    res.plot()
    assert len(fc.attainment) and len(res.to_df())
    assert snapshot() == before


def test_levers_vary_from_the_policy_year(scenario):
    from innosd.inputs.scenario import as_scenario, levers
    sc = as_scenario(scenario)
    name = next(iter(levers()))
    s = sa.lever_schedule(sc, name, np.array([1.0, 2.0]))
    # calendar year 2021 (the policy year) is model time [2020, 2021): the sampled values hold in it
    assert sa.POLICY_YEAR == 2021
    assert np.allclose(s(2030.0), [1.0, 2.0]) and np.allclose(s(2020.0), [1.0, 2.0])
    assert np.allclose(s(2019.75), sc.lever_value(name, 2019.75))
    assert np.allclose(s(2020.0, left=True), sc.lever_value(name, 2019.75))  # 2020's saved value


def test_bad_names_are_one_line_errors(scenario, three_params):
    p = three_params[0]
    with pytest.raises(ModelError, match=f"unknown factor '{p}x'; the closest valid one is '{p}'"):
        sa.sensitivity(scenario, factors=[p + "x"], n=8)
    with pytest.raises(ModelError, match="unknown method 'sobl'; the closest valid one is 'sobol'"):
        sa.sensitivity(scenario, method="sobl", n=8)
    with pytest.raises(ModelError, match="unknown factor 'paramz'.*'params'"):
        sa.sensitivity(scenario, factors="paramz", n=8)
    with pytest.raises(ModelError, match="unknown output 'no_such_indicator'; the closest valid one is"):
        sa.sensitivity(scenario, factors=three_params, outputs=["no_such_indicator"], n=8)
    with pytest.raises(ModelError, match="unknown output 'gap:nope'"):
        sa.sensitivity(scenario, factors=three_params, outputs=["gap:nope"], n=8)
    with pytest.raises(ModelError, match="--years 2040 is outside.*closest valid year is 2030"):
        sa.sensitivity(scenario, factors=three_params, years=(2040,), n=8)
    with pytest.raises(ModelError, match="at least two factors"):
        sa.sensitivity(scenario, factors=three_params[:1], n=8)


def test_cli_morris_with_levers(scenario, tmp_path, capsys):
    assert main(["sensitivity", scenario, "--method", "morris", "--factors", "levers", "--n", "4",
                 "--years", "2025", "--seed", "3", "--out", str(tmp_path / "m"), "--no-charts"]) == 0
    out = capsys.readouterr().out
    assert "warning:" in out and "Morris trajectories are too few" in out
    df = pd.read_csv(tmp_path / "m" / "indices.csv")
    assert list(df.columns) == sa.MORRIS_COLUMNS
    assert json.loads((tmp_path / "m" / "manifest.json").read_text())["method"] == "morris"


# --- Dask ---------------------------------------------------------------------------------------

def test_dask_cluster_gives_the_local_result(scenario, three_params, small):
    """Only simulation is distributed (the design is drawn locally): results are identical."""
    from innosd.core.engine import RunSettings
    from innosd.runs.distributed import DaskEvaluator, cluster
    from innosd.runs.ensemble import run_ensemble
    from innosd.sectors import compiled_model
    settings = RunSettings(2015, 2020)
    with cluster(workers=2, processes=False) as client:
        remote = sa.sensitivity(scenario, "sobol", factors=three_params, years=(2025,), n=64, seed=7,
                                second_order=True, client=client, chunk=100)
        params = {three_params[0]: remote.design.values[:7, 0]}
        ds_remote = run_ensemble(compiled_model(), params, 7, settings, chunk=3, evaluator=DaskEvaluator(client))
    pd.testing.assert_frame_equal(remote.indices, small.indices, check_exact=True)
    pd.testing.assert_frame_equal(remote.s2, small.s2, check_exact=True)
    pd.testing.assert_frame_equal(remote.over_time, small.over_time, check_exact=True)
    ds_local = run_ensemble(compiled_model(), params, 7, settings)
    assert ds_remote.equals(ds_local) and list(ds_remote["run"].values) == list(range(7))
