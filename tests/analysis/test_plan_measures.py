"""Each target against the measure its plan means, set-by-policy targets, and who pulls each lever.

Runs on the shipped data (calibration/targets.csv, scenarios/levers.csv) and the shipped model."""
from __future__ import annotations

import contextlib
import io
import re

import numpy as np
import pytest
import xarray as xr

from innosd.analysis.attainment import attainment
from innosd.analysis.forecast import forecast
from innosd.cli import main
from innosd.inputs.scenario import JURISDICTIONS, levers
from innosd.inputs.targets import load_targets
from innosd.sectors import compiled_model

RUNS = 60


@pytest.fixture(scope="module")
def check_output():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check"])
    return code, out.getvalue()


def _line(text: str, target_id: str) -> str:
    found = [ln for ln in text.splitlines() if ln.startswith(f"target {target_id}: ")]
    assert len(found) == 1, target_id
    return found[0]


def test_check_lists_every_target_with_its_element_and_measure(check_output):
    code, text = check_output
    assert code == 0, text[-2000:]
    targets = load_targets()
    listed = re.findall(r"^target (\S+): ", text, flags=re.M)
    assert sorted(listed) == sorted(targets["target_id"])
    assert all(" — measure: " in ln for ln in text.splitlines() if ln.startswith("target "))
    # 成交总额 is turnover, never the registered value
    contract = _line(text, "xt-002-contract-2022")
    assert "tech_contract_turnover ≥ 39" in contract and "turnover (技术合同成交总额)" in contract
    # 新增 of a stock is its net addition, on 002's own base
    assert "increase of hte_count from end-2021 to end-2022 ≥ 100" in _line(text, "xt-002l-htenew-2022")
    assert "530 in 2020" in _line(text, "xt-002l-htenew-2022")
    # 001 states no base: scored on both
    assert "(530 in 2020" in _line(text, "xt-001-hte-2025") and "(450 in 2020" in _line(text, "xt-001-hte-2025-bureau")
    # the lever is the target
    assert "SET BY POLICY" in _line(text, "xt-001-soerd-2025")
    assert "SET BY POLICY" in _line(text, "xt-001-majortasks-2027") and "no model element" in \
        _line(text, "xt-001-majortasks-2027")
    policy = int(re.search(r"targets: \d+ compared with the model, (\d+) set by policy", text).group(1))
    assert policy == sum(bool(r.strip()) for r in targets["set_by_policy"])


def test_set_by_policy_targets_get_a_status_instead_of_a_probability():
    fc = forecast("xingtai/baseline", runs=RUNS)
    a = fc.attainment.set_index("target_id")
    for tid in ("xt-001-soerd-2025", "xt-001-keycore-2025", "xt-002-highskill-2025", "xt-001-loans-2023",
                "xt-001-bjt-2027", "xt-001-techsmenat-2023", "xt-001-majortasks-2027"):
        assert a.loc[tid, "status"] == "set by policy", tid
        assert np.isnan(a.loc[tid, "probability"]), tid
        assert a.loc[tid, "set_by_policy"], tid
    # the scenario's lever is still reported: 400 high-skill workers a year over 2021-2025
    assert a.loc["xt-002-highskill-2025", "median"] == pytest.approx(2000, rel=1e-6)
    modelled = a[a["status"] == "modelled"]
    assert modelled["probability"].between(0, 1).all() and len(modelled) > 50


def test_a_gross_versus_net_target_is_scored_on_the_net_addition():
    """The ledger's "HTE +100 in 2022": many first certifications while as many certificates lapse
    add nothing to the stock, so the target is not met."""
    t = load_targets("xingtai").set_index("target_id").loc[["xt-002l-htenew-2022"]].reset_index()
    assert t.loc[0, "indicator"] == "hte_count" and t.loc[0, "comparator"] == "cumulative_from"
    years = np.arange(2015.0, 2031.0)
    stock = np.full((3, years.size), 530.0)
    stock[1, years >= 2022] = 600.0      # +70 net in 2022
    stock[2, years >= 2022] = 650.0      # +120 net in 2022
    ds = xr.Dataset({"hte_count": (("run", "time"), stock),
                     "hte_new_certifications": (("run", "time"), np.full((3, years.size), 150.0))},
                    coords={"run": np.arange(3), "time": years})
    a = attainment(ds, t)
    # 150 first certifications a year in every run; only the run adding 120 firms net meets "+100"
    assert a.loc[0, "probability"] == pytest.approx(1 / 3)
    np.testing.assert_allclose(a.loc[0, "median"], 70.0)


def test_taizhou_floor_area_is_not_met_without_complexes():
    area = ["tz-004-areacounty-2020", "tz-004-areacity-2020", "tz-004-areaprov-2020"]
    none = forecast("taizhou/baseline", runs=RUNS).attainment.set_index("target_id")
    assert (none.loc[area, "probability"] == 0).all()          # no complex is built: no floor area
    assert (none.loc[area, "median"] == 0).all()
    plan = forecast("taizhou/complexes-2018-2020", runs=RUNS)
    built = plan.attainment.set_index("target_id")
    assert (built.loc[["tz-004-areacounty-2020", "tz-004-areacity-2020"], "probability"] > 0.5).all()
    # the provincial standard is met only in the runs where a provincial complex exists by 2020
    prov = plan.ensemble["innovation_complexes_provincial"].sel(time=2020.0).values
    assert built.loc["tz-004-areaprov-2020", "probability"] <= np.mean(prov >= 1) + 1e-12


def test_every_lever_says_who_pulls_it_and_what_it_costs():
    defs = levers()
    assert all(lv.jurisdiction in JURISDICTIONS for lv in defs.values())
    assert all(lv.payer.strip() and lv.cost_source.strip() for lv in defs.values())
    # national tax rules are assumptions a scenario may change, not city levers
    for name in ("super_deduction_extra", "hte_income_tax_rate", "tech_transfer_income_tax_rate"):
        assert defs[name].jurisdiction == "nation", name
    assert defs["talent_outflow_shock"].jurisdiction == "assumption"
    # money levers cost what they are
    assert defs["key_project_funding"].cost_per_unit == 1 and defs["county_special_fund"].cost_per_unit == 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["levers"]) == 0
    text = out.getvalue()
    assert text.count("    pulled by: ") == len(defs) and text.count("    cost: ") == len(defs)
    assert "== national rules: assumptions a scenario may change, not city levers" in text


def test_post_subsidies_are_bounded_by_the_s_and_t_budget():
    """A 20 % post-subsidy would cost more than the enterprise-R&D line of the S&T budget: the
    model pays what the budget can, and project grants get what is left."""
    model = compiled_model()
    ds = model.run({"rd_post_subsidy_rate": np.array([0.03, 0.2])}, start=2015, stop=2030, dt=0.25)
    paid = ds["post_subsidy_payments"].values
    budget = ds["enterprise_rd_support_budget"].values
    assert np.all(paid <= budget + 1e-9) and np.all(ds["business_rd_grants"].values >= -1e-9)
    effective = ds["rd_post_subsidy_effective_rate"].values
    assert np.all(effective[1] < 0.2)                      # the budget cannot pay 20 %
    assert np.allclose(effective[0], 0.03)                 # the default rate is paid in full
    # from 2020 on, 20 % of declared R&D is more than the whole S&T budget
    late = ds["time"].values >= 2020
    wanted = 0.2 * ds["rd_declared_previous_year"].values[1, late]
    assert np.all(wanted > ds["fiscal_st_spending"].values[1, late])


def test_rd_growth_above_the_province_is_a_rising_share():
    fc = forecast("xingtai/baseline", runs=RUNS)
    t = load_targets("xingtai").set_index("target_id").loc["xt-001-rdaboveprov-2023"]
    ds = fc.ensemble
    city = ds["rd_expenditure_reported"].sel(time=2023.0) / ds["rd_expenditure_reported"].sel(time=2022.0)
    prov = ds["province_rd_expenditure"].sel(time=2023.0) / ds["province_rd_expenditure"].sel(time=2022.0)
    row = fc.attainment.set_index("target_id").loc["xt-001-rdaboveprov-2023"]
    assert t["indicator"] == "rd_share_of_province"
    assert row["probability"] == pytest.approx(float(np.mean(city.values > prov.values)))
    assert 0 < np.ptp(prov.values)    # the province's growth is uncertain (a prior), not a fixed number
