"""`innosd backtest`: fit up to a year, forecast the rest, score it; a quick version for CI."""
import json

import numpy as np
import pandas as pd
import pytest

from innosd.analysis.backtest import FORECASTERS, backtest
from innosd.cli import main
from innosd.inputs.region import load_region


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("bt") / "xt2018"
    assert main(["backtest", "--region", "xingtai", "--until", "2018", "--quick", "--steps", "20",
                 "--seed", "3", "--out", str(out)]) == 0
    return out


def test_backtest_writes_scores_for_every_forecaster_on_the_held_out_points(folder):
    assert {p.name for p in folder.iterdir()} == {"backtest.csv", "backtest.md", "manifest.json"}
    pts = pd.read_csv(folder / "backtest.csv")
    obs = load_region("xingtai").fit_observations()
    held = obs[(obs["year"].astype(int) > 2018) & (obs["year"].astype(int) <= 2020)]
    assert sorted(pts["obs_id"]) == sorted(held["obs_id"])          # exactly the later observations
    for f in ("posterior", "prior"):
        assert (pts[f"{f}_p05"] <= pts[f"{f}_p25"]).all() and (pts[f"{f}_p75"] <= pts[f"{f}_p95"]).all()
        assert pts[f"{f}_in90"].mean() >= pts[f"{f}_in50"].mean()    # the wider band covers at least as much
    # the HTE count's trend runs through the 2015 point and the 2012 context point (25 -> 131)
    hte = pts[pts["obs_id"] == "xt-hte-2020-fyp"].iloc[0]
    assert hte["log-linear trend"] == pytest.approx(131 * (131 / 25) ** (5 / 3), rel=1e-6)
    assert hte["plan target"] == 360                                   # the 2018 plan's figure for 2020
    report = (folder / "backtest.md").read_text()
    for f in FORECASTERS:
        assert f"| {f} |" in report
    m = json.loads((folder / "manifest.json").read_text())
    assert m["kind"] == "backtest" and m["until"] == 2018 and m["outputs"]["backtest.csv"]


def test_with_nothing_to_fit_the_posterior_is_the_prior():
    res = backtest("shijiazhuang", 2015, quick=True, draws=50)   # its first fitted point is of 2016
    s = res.summary.set_index("forecaster")
    assert res.training == 0 and any("nothing to fit" in n for n in res.notes)
    assert s.loc["posterior", "median_abs_log_error"] == s.loc["prior", "median_abs_log_error"]
    assert np.isnan(s.loc["log-linear trend", "median_abs_log_error"])   # no series to draw a trend through


def test_a_cut_year_outside_the_history_is_one_line(capsys):
    assert main(["backtest", "--region", "xingtai", "--until", "2020"]) == 2
    err = capsys.readouterr().err
    assert "--until" in err and "2019" in err and "Traceback" not in err
