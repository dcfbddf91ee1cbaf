"""`innosd run`, `compare` and `reach` end to end: files written, never overwritten, atomic."""
import json

import pandas as pd
import pytest

from innosd import api
from innosd.cli import main
from innosd.core.equations import ModelError


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("res") / "baseline"
    assert main(["run", "xingtai/baseline", "--runs", "40", "--seed", "5", "--out", str(out)]) == 0
    return out


def test_run_writes_the_documented_folder(run_folder):
    names = {p.name for p in run_folder.iterdir()}
    assert {"manifest.json", "summary.csv", "attainment.csv", "report.html", "charts"} <= names
    charts = list((run_folder / "charts").iterdir())
    assert any(p.suffix == ".png" for p in charts) and any(p.suffix == ".svg" for p in charts)
    summary = pd.read_csv(run_folder / "summary.csv")
    assert list(summary.columns) == ["indicator", "units", "year", "q05", "q25", "q50", "q75", "q95", "mean"]
    att = pd.read_csv(run_folder / "attainment.csv")
    for col in ("target_id", "indicator", "year", "value", "comparator", "source", "probability", "median",
                "p05", "p95", "first_year_median"):
        assert col in att.columns
    m = json.loads((run_folder / "manifest.json").read_text())
    assert m["seed"] == 5 and m["runs"] == 40 and m["version"]
    assert "scenario:baseline.yaml" in m["inputs"] and len(m["inputs"]["targets"]["sha256"]) == 64
    assert m["outputs"]["summary.csv"] and m["outputs"]["report.html"]


def test_run_never_overwrites(run_folder, capsys):
    before = (run_folder / "summary.csv").read_bytes()
    assert main(["run", "xingtai/baseline", "--runs", "5", "--out", str(run_folder)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (run_folder / "summary.csv").read_bytes() == before


def test_default_folders_are_new_each_time(tmp_path, monkeypatch):
    fc = api.forecast("xingtai/baseline", runs=5, seed=1)
    monkeypatch.chdir(tmp_path)  # not a workspace: results go to ./results/
    a = api.write_forecast(fc, charts=False)
    b = api.write_forecast(fc, charts=False)
    assert a != b and a.parent == b.parent == tmp_path / "results"
    assert not [p for p in (tmp_path / "results").iterdir() if p.name.startswith(".")]


def test_interrupted_write_leaves_nothing_that_looks_complete(tmp_path, monkeypatch):
    fc = api.forecast("xingtai/baseline", runs=5, seed=1)

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr("innosd.outputs.forecast.write_report", boom)
    with pytest.raises(RuntimeError):
        api.write_forecast(fc, out=tmp_path / "x", charts=False)
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.iterdir()) == []


def test_compare_gives_probability_differences(tmp_path):
    folder, table = api.compare(["xingtai/baseline", "xingtai/fiscal-squeeze"], runs=30, seed=1,
                                out=tmp_path / "cmp")
    assert (folder / "comparison.csv").exists() and (folder / "charts" / "attainment-heatmap.png").exists()
    assert "dp[fiscal-squeeze - baseline]" in table.columns
    rd = table[table["indicator"] == "rd_intensity"]["dp[fiscal-squeeze - baseline]"]
    assert (rd.dropna() <= 1e-9).all()  # a fiscal squeeze never helps R&D intensity


def test_reach_finds_a_change_or_says_it_cannot():
    att = api.forecast("xingtai/baseline", runs=50, seed=1).attainment
    missed = att[(att.status == "modelled") & (att.indicator == "hte_count") & (att.probability < 0.8)]
    if missed.empty:
        pytest.skip("baseline already meets every HTE target")
    t = missed.iloc[0]["target_id"]
    res = api.reach("xingtai/baseline", t, "hte_cultivation_pool_size", probability=0.8, runs=50, seed=1)
    assert res.baseline_probability < 0.8
    if res.change is not None:
        assert res.probability >= 0.8 and res.change > 0
    else:
        assert "cannot" in res.message


def test_reach_rejects_unknown_lever():
    with pytest.raises(ModelError, match="did you mean"):
        api.reach("xingtai/baseline", "xt-002-hte-2025", "hte_cultivation_pool", runs=5)
