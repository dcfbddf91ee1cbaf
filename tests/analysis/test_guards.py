"""Numerical guards: runs with NaN, an infinity or a negative stock are listed and never summarised."""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from innosd.analysis.guards import invalid_runs, valid_runs


def _ensemble():
    times = np.arange(2015.0, 2020.0)
    stock = np.ones((4, 5))
    stock[1, 3] = -2.0          # run 1: a negative stock at 2018
    flow = np.ones((4, 5))
    flow[2, 1] = np.nan         # run 2: NaN at 2016
    flow[3, 4] = np.inf         # run 3: infinity at 2019
    param = np.repeat(np.array([[0.1], [0.2], [0.3], [0.4]]), 5, axis=1)
    return xr.Dataset({"firms": (("run", "time"), stock, {"kind": "stock"}),
                       "entry": (("run", "time"), flow, {"kind": "flow"}),
                       "rate": (("run", "time"), param, {"kind": "constant"})},
                      coords={"run": np.arange(4), "time": times})


def test_each_invalid_run_is_named_with_element_time_and_parameters():
    table = invalid_runs(_ensemble())
    assert table[["run", "element", "time", "problem"]].values.tolist() == [
        [1, "firms", 2018.0, "negative stock"], [2, "entry", 2016.0, "NaN"], [3, "entry", 2019.0, "infinite"]]
    assert table["parameters"].tolist() == ["rate=0.2", "rate=0.3", "rate=0.4"]


def test_invalid_runs_are_left_out_of_the_ensemble():
    ds, excluded = valid_runs(_ensemble())
    assert ds["run"].values.tolist() == [0] and len(excluded) == 3


def test_forecast_excludes_a_run_with_a_negative_stock_and_says_so(home, tmp_path):
    from innosd import api
    start = np.array([131.0, -5000.0, 131.0, 131.0])  # run 1 starts with a negative HTE count
    fc = api.forecast("xingtai/baseline", runs=4, overrides={"init_hte_count": start})
    assert fc.ensemble.sizes["run"] == 3 and fc.runs_simulated == 4
    assert fc.excluded["run"].tolist() == [1] and fc.excluded["problem"].tolist() == ["negative stock"]
    assert "init_hte_count=-5000" in fc.excluded["parameters"].iloc[0]
    folder = api.write_forecast(fc, out=tmp_path / "out", charts=False)
    assert pd.read_csv(folder / "excluded-runs.csv")["run"].tolist() == [1]
    report = (folder / "report.html").read_text(encoding="utf-8")
    assert "1 of 4 runs excluded" in report and "1 of 4" in report
