"""Hebei as one region (issue 11.4): it runs from 2012 on its own data, and a region without
targets runs, says so and still writes its forecast."""
from __future__ import annotations

import contextlib
import io

import pandas as pd

from innosd import api
from innosd.cli import main


def test_hebei_runs_on_the_provinces_numbers():
    fc = api.forecast("hebei/baseline", runs=40, seed=3)
    hte = fc.ensemble["hte_count"]
    assert float(hte.sel(time=2012).median()) == 825          # the sourced 2012 count, not Xingtai's 131
    gdp_2012 = float(fc.ensemble["gdp"].sel(time=2012).median())
    assert 16890 <= gdp_2012 <= 33780
    assert "counties_tier_a" in fc.indicators and "hte_count" in fc.indicators


def test_a_region_without_targets_says_so_and_writes_the_forecast(scratch_home):
    targets = scratch_home / "calibration" / "targets.csv"
    df = pd.read_csv(targets, dtype=str, keep_default_na=False)
    df[df["region"] != "hebei"].to_csv(targets, index=False)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "hebei/baseline", "--runs", "30", "--no-charts"]) == 0
    assert "no targets for hebei" in out.getvalue()
    folder = next((scratch_home / "results").glob("hebei-baseline-*"))
    assert (folder / "summary.csv").is_file()
    assert len(pd.read_csv(folder / "attainment.csv")) == 0
