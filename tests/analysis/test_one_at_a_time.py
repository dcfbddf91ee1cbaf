"""One lever at a time: each lever at its bounds moves the targets its equations say it drives, in
the documented direction; targets set by policy are left out; a lever no compared target depends
on changes nothing at all (common random numbers); the history before the policy year is kept."""
from __future__ import annotations

import numpy as np
import pytest

from innosd.analysis.defaults import POLICY_YEAR
from innosd.analysis.one_at_a_time import one_lever_at_a_time, variant_schedule
from innosd.inputs.region import load_region
from innosd.inputs.scenario import as_scenario, levers
from innosd.inputs.targets import is_set_by_policy


@pytest.fixture(scope="module")
def oat():
    return one_lever_at_a_time("xingtai/baseline", runs=20)


def row(oat, lever, target):
    t = oat.table
    return t[(t["lever"] == lever) & (t["target_id"] == target)].iloc[0]


def test_rd_funding_raises_rd_growth_and_intensity(oat):
    # sectors/rd_funding.py: key_project_funding is matched by firms' own R&D (key_project_matching_ratio), and a
    # national super-deduction top-up lowers the user cost of R&D: reported R&D and its share of GDP rise
    for lever in ("key_project_funding", "super_deduction_extra"):
        for target in ("xt-002-rdgrowth-2025", "xt-001-rdintensity-2027"):
            r = row(oat, lever, target)
            assert r["median_high"] > r["median_baseline"] >= r["median_low"], (lever, target)
            assert r["change"] > 0 and r["moves"]
            assert r["p_high"] >= r["p_baseline"] >= r["p_low"]
    assert row(oat, "super_deduction_extra", "xt-002-rdgrowth-2025")["units"] == "1/year"


def test_talent_drain_lowers_rd(oat):
    r = row(oat, "talent_outflow_shock", "xt-001-rd-2025")
    assert r["median_high"] < r["median_baseline"] < r["median_low"] and r["moves"]


def test_targets_set_by_policy_are_left_out_with_their_reason(oat):
    tg = load_region("xingtai").targets
    policy = {t["target_id"] for _, t in tg.iterrows() if is_set_by_policy(t)}
    assert policy and not policy & set(oat.table["target_id"])
    reasons = oat.excluded.set_index("target_id")["reason"]
    assert all(reasons[i].startswith("set by policy") for i in policy)
    # a target dated before the levers move cannot be moved by them: left out too, with that reason
    early = set(tg.loc[tg["year"] < POLICY_YEAR, "target_id"]) - policy
    assert early and all(reasons[i].startswith("before the levers move") for i in early)
    assert set(oat.table["target_id"]) | set(oat.excluded["target_id"]) == set(tg["target_id"])


def test_every_lever_is_in_the_table_and_those_moving_nothing_say_why(oat):
    assert list(oat.levers["lever"]) == list(levers())
    assert len(oat.table) == len(levers()) * oat.table["target_id"].nunique()
    still = oat.levers[oat.levers["targets_moved"] == 0]
    assert len(still) and still["why_none"].str.len().gt(0).all()
    # alliances feed no compared target (only the alliance counts, set by policy): its bounds change
    # nothing, exactly, because every variant shares the baseline's draws
    alliance = oat.table[oat.table["lever"] == "alliance_formation_rate"]
    assert "alliance_formation_rate" in set(still["lever"])
    assert np.allclose(alliance["median_low"], alliance["median_baseline"], equal_nan=True)
    assert np.allclose(alliance["median_high"], alliance["median_baseline"], equal_nan=True)
    assert (alliance["p_low"] == alliance["p_baseline"]).all() and (alliance["p_high"] == alliance["p_baseline"]).all()


def test_variant_schedule_keeps_history_and_the_scenarios_own_schedule():
    sc = as_scenario("xingtai/fyp14")  # tech_sme_cultivation changes in 2020 (model time)
    rows = np.array([False, True])
    s = variant_schedule(sc, "tech_sme_cultivation", rows, np.array([0.0, 1000.0]), POLICY_YEAR)
    for t in (2015.0, 2018.5, 2019.75, 2020.0, 2025.0):
        base = sc.lever_value("tech_sme_cultivation", t)
        assert s(t)[0] == base
        assert s(t)[1] == (1000.0 if t >= POLICY_YEAR - 1 else base)
