"""Tests of the model sectors: naming contract, documentation, levers, robustness, history."""
from __future__ import annotations

import csv

import numpy as np
import pint
import pytest

from innosd.core.engine import Model
from innosd.sectors import SECTORS, UNIT_DEFINITIONS, all_elements
from innosd.sectors.model_error import NOISY_RATES, state_name

START, STOP, DT = 2015, 2030, 0.25

#: name -> units: the elements observations and targets map to.
CONTRACT = {
    "tech_sme_provincial": "firm", "tech_sme_national": "firm", "tech_sme_new_registrations": "firm/year",
    "hte_count": "firm", "hte_new_certifications": "firm/year", "tech_leaders": "firm", "srdi_smes": "firm",
    "hte_share_in_dev_zones": "dimensionless",
    "rd_expenditure_reported": "hundred_million_CNY/year", "rd_expenditure_real": "hundred_million_CNY/year",
    "soe_rd_expenditure": "hundred_million_CNY/year", "fiscal_st_spending": "hundred_million_CNY/year",
    "rd_growth_reported": "1/year",
    "rd_intensity": "dimensionless", "basic_research_share": "dimensionless",
    "above_scale_rd_to_revenue": "dimensionless", "rd_active_firm_share": "dimensionless",
    "rd_personnel": "person", "tech_transfer_staff": "person", "high_skill_workers_new": "person",
    "innovative_talents": "person", "sme_innovation_talents": "person", "leading_teams": "team",
    "invention_patents_per_10k": "patent/ten_thousand_person",
    "hv_invention_patents_per_10k": "patent/ten_thousand_person",
    "key_core_tech_projects": "project", "major_achievement_transfers": "project",
    "provincial_st_awards": "project/year",
    "tech_contract_turnover": "hundred_million_CNY/year", "tech_contract_registered": "hundred_million_CNY/year",
    "bjt_tech_contracts": "hundred_million_CNY/year",
    "platforms_national": "platform", "platforms_provincial": "platform", "platforms_municipal": "platform",
    "provincial_plus_platforms": "platform", "provincial_enterprise_tech_centres": "platform",
    "provincial_tech_innovation_centres": "platform", "provincial_incubators_maker_spaces": "platform",
    "national_maker_spaces": "platform", "national_incubators": "platform",
    "innovation_complexes": "complex", "innovation_complexes_provincial": "complex",
    "hti_va_share": "dimensionless", "digital_core_share": "dimensionless", "science_literacy": "dimensionless",
    "gdp": "hundred_million_CNY/year", "population": "ten_thousand_person",
    "counties_tier_a": "county", "counties_tier_b": "county", "counties_tier_c": "county",
    "counties_b_or_better": "county",
    # the brief says [point]; pint already defines point as a length, so the model uses score_point
    "county_capability_score": "score_point",
    # target indicators added later (every target indicator is a model output)
    "st_commissioners": "person", "st_commissioners_new": "person/year",
    "key_labs_municipal_plus": "platform", "key_labs_provincial_plus": "platform",
    "municipal_tech_innovation_centres": "platform", "municipal_enterprise_rd_centres": "platform",
    "industrial_tech_institutes_municipal_plus": "platform", "high_level_industrial_tech_institutes": "platform",
    "new_rd_institutions": "platform", "intl_st_coop_bases_provincial": "platform",
    "innovation_consortia": "dimensionless", "tech_alliances_provincial": "dimensionless",
    "tech_alliances_municipal": "dimensionless", "dev_zone_incubator_coverage": "dimensionless",
    "complex_districts_started": "county", "complex_floor_area_county": "meter**2",
    "complex_floor_area_city": "meter**2", "complex_floor_area_provincial": "meter**2",
    "tech_transfer_institutions": "platform", "university_tto_coverage": "dimensionless",
    "national_st_awards_cum": "project", "new_products_processes": "project",
    "ip_finance_firms": "firm/year", "provincial_st_funds_obtained": "hundred_million_CNY/year",
    "hti_va_share_xingdong": "dimensionless", "dev_zone_revenue": "hundred_million_CNY/year",
    "agri_key_tech_projects": "project", "crop_lines_in_trials": "project", "crop_varieties_approved": "project",
    "crop_varieties_introduced": "project",
    # measures the plans mean (targets.csv `measure`): gross flows, programme counts, the province's R&D
    "crop_lines_entered_trials": "project", "team_introductions": "team/year", "sme_talent_awards": "person/year",
    "municipal_platform_builds": "platform/year", "municipal_key_lab_recognitions": "platform/year",
    "srdi_designations": "firm/year", "municipal_key_rd_project_starts": "project/year",
    "transfer_programme_projects": "project", "transfer_programme_new_products": "project",
    "rd_share_of_province": "dimensionless", "hte_net_additions": "firm/year", "tech_sme_net_additions": "firm/year",
}


@pytest.fixture(scope="module")
def elements():
    return all_elements()


@pytest.fixture(scope="module")
def model(elements):
    return Model(elements, "xingtai").compile()


@pytest.fixture(scope="module")
def baseline(model):
    return model.run(start=START, stop=STOP, dt=DT)


def _read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def levers(root):
    return _read(root / "scenarios" / "levers.csv")


@pytest.fixture(scope="module")
def lever_ensemble(model, levers):
    """One vectorised ensemble: baseline, each lever alone at each bound, all at min, all at max."""
    labels, runs = ["baseline"], [{}]
    for row in levers:
        for side in ("min", "max"):
            labels.append((row["lever"], side))
            runs.append({row["lever"]: float(row[side])})
    labels += ["all_min", "all_max"]
    runs += [{r["lever"]: float(r["min"]) for r in levers}, {r["lever"]: float(r["max"]) for r in levers}]
    params = {r["lever"]: np.array([run.get(r["lever"], model.defaults[r["lever"]]) for run in runs]) for r in levers}
    ds = model.run(params, start=START, stop=2035, dt=DT)
    return labels, runs, ds


# --- structure -------------------------------------------------------------------------

def test_model_compiles(model):
    assert model.stock_names and "hte_count" in model.recorded


def test_sectors_have_docstrings_and_elements():
    for name, module in SECTORS.items():
        assert module.__doc__ and "Feedback loops" in module.__doc__, name
        els = module.elements()
        assert els and all(e.sector == name for e in els), name


def test_naming_contract(model):
    els = model.model.elements
    missing = [n for n in CONTRACT if n not in els]
    assert not missing, f"missing contract elements: {missing}"
    wrong = {n: (els[n].units, u) for n, u in CONTRACT.items() if els[n].units != u}
    assert not wrong, f"units differ from the contract (declared, contract): {wrong}"


def test_every_element_documented(elements):
    undocumented = [e.name for e in elements if not (e.en.strip() and e.zh.strip() and e.source.strip())]
    assert not undocumented, undocumented
    no_units = [e.name for e in elements if not e.units]
    assert not no_units, no_units


def test_stocks_start_from_init_constants(elements):
    """Stocks start from init_<name> constants, except the documented derived initial values."""
    derived = {"hte_1", "hte_2", "hte_3", "srdi_1", "srdi_2", "srdi_3", "hte_in_dev_zones", "fiscal_st_share",
               "bjt_collaboration_links", "counties_tier_a_previous", "counties_b_or_better_previous"}
    derived |= {state_name(rate) for rate in NOISY_RATES}  # model error: starts stationary, sd × ε₀
    names = {e.name for e in elements}
    for e in elements:
        if e.kind == "stock" and e.name not in derived:
            assert e.equation == f"init_{e.name}" and f"init_{e.name}" in names, e.name


def test_constants_within_bounds(model):
    for name, el in model.model.constants.items():
        lo, hi = el.bounds
        v = model.defaults[name]
        assert (lo is None or v >= lo) and (hi is None or v <= hi), (name, v, el.bounds)


# --- units -------------------------------------------------------------------------------

def test_dimensional_consistency(model):
    from innosd.core.units import check_units
    issues = check_units(model.model, UNIT_DEFINITIONS)
    assert not issues, "\n".join(map(str, issues))


def test_unit_definitions_give_distinct_dimensions():
    ureg = pint.UnitRegistry()
    for line in UNIT_DEFINITIONS:
        ureg.define(line)
    assert ureg.Quantity(1, "score_point").dimensionality != ureg.Quantity(1, "meter").dimensionality
    assert ureg.Quantity(1, "hundred_million_CNY").to("ten_thousand_CNY").magnitude == pytest.approx(1e4)


def _target_model_units(row, element_units, ureg):
    """Convert a targets.csv row's value to the element's units, as the comparator reads it."""
    value, unit, comp = float(row["value"]), row["unit"], row["comparator"]
    if comp in ("ge", "gt", "le", "lt"):
        return ureg.Quantity(value, unit).to(element_units)
    if comp == "cumulative_from":  # a stock's increase, or a flow summed over years (flow unit × year)
        q = ureg.Quantity(value, unit)
        return q.to(element_units) if q.is_compatible_with(element_units) else (q / ureg.year).to(element_units)
    if comp == "increase_per_year":
        return ureg.Quantity(value, f"({unit}) * year").to(element_units)
    return ureg.Quantity(value, (unit or "dimensionless").replace("1/year", "dimensionless").replace("/year", "")
                         ).to("dimensionless")


def test_every_target_indicator_is_a_model_element(model, root):
    """Every indicator of targets.csv (unless set by policy) and of the fitted observations is an
    element, in convertible units."""
    ureg = pint.UnitRegistry()
    for line in UNIT_DEFINITIONS:
        ureg.define(line)
    els = model.model.elements
    problems = []
    for row in _read(root / "calibration" / "targets.csv"):
        name = row["indicator"]
        if name not in els:
            if not row["set_by_policy"].strip():  # a count the city decides may have no element
                problems.append((row["target_id"], name, "not a model element"))
            continue
        try:
            _target_model_units(row, els[name].units, ureg)
        except Exception as exc:  # pint raises several kinds
            problems.append((row["target_id"], name, str(exc).splitlines()[0]))
    for path in sorted((root / "calibration").glob("*/observations.csv")):
        for row in _read(path):
            if row["use"] != "fit":
                continue
            name = row["indicator"]
            if name not in els:
                problems.append((row["obs_id"], name, "not a model element"))
                continue
            try:
                ureg.Quantity(float(row["value"]), row["unit"]).to(els[name].units)
            except Exception as exc:
                problems.append((row["obs_id"], name, str(exc).splitlines()[0]))
    assert not problems, problems


# --- levers --------------------------------------------------------------------------------

def test_levers_are_bounded_constants(model, levers):
    consts = model.model.constants
    for row in levers:
        name = row["lever"]
        assert name in consts, f"lever {name} is not a constant of the model"
        lo, hi, default = float(row["min"]), float(row["max"]), float(row["default"])
        assert lo <= default <= hi, name
        assert default == pytest.approx(model.defaults[name]), name
        assert (lo, hi) == tuple(float(b) for b in consts[name].bounds), name
        assert row["units"] == consts[name].units, name
        assert row["kind"] in ("rate", "level", "share", "switch"), name
        for col in ("description_en", "description_zh", "mechanism", "source"):
            assert row[col].strip(), (name, col)


def test_required_levers_present(levers):
    required = """fiscal_st_share_growth rd_post_subsidy_rate super_deduction_extra hte_cultivation_pool_size
        tech_sme_cultivation srdi_cultivation complexes_built_per_year complex_reward_per_pass
        platform_build_rate_provincial incubator_build_rate innovation_voucher_budget broker_training_per_year
        bjt_collaboration_growth talent_introduction_per_year talent_outflow_shock high_skill_training_per_year
        st_commissioners science_finance_growth rd_statistical_capture county_special_fund popularisation_spending
        soe_rd_growth key_project_funding""".split()
    assert not set(required) - {r["lever"] for r in levers}


def test_every_lever_changes_an_output(lever_ensemble, model):
    labels, runs, ds = lever_ensemble
    outputs = [v for v in ds.data_vars if ds[v].attrs["kind"] != "constant"]
    data = np.stack([ds[v].values for v in outputs])  # (var, run, time)
    base = data[:, 0:1, :]
    changed = ~np.isclose(data, base, rtol=1e-9, atol=1e-12).all(axis=(0, 2))
    inert = []
    for i, label in enumerate(labels):
        if isinstance(label, tuple):
            name, _ = label
            if runs[i][name] != model.defaults[name] and not changed[i]:
                inert.append(label)
    assert not inert, f"levers that change nothing at a bound: {inert}"
    moved = {lab[0] for i, lab in enumerate(labels) if isinstance(lab, tuple) and changed[i]}
    assert moved == {lab[0] for lab in labels if isinstance(lab, tuple)}


def test_levers_at_bounds_stay_finite_and_non_negative(lever_ensemble, model):
    labels, _, ds = lever_ensemble
    for v in ds.data_vars:
        bad = ~np.isfinite(ds[v].values).all(axis=1)
        assert not bad.any(), (v, [labels[i] for i in np.where(bad)[0]])
    for s in (e.name for e in model.model.stocks if not e.internal):
        neg = (ds[s].values < -1e-9).any(axis=1)
        assert not neg.any(), (s, [labels[i] for i in np.where(neg)[0]])


# --- conservation and history ----------------------------------------------------------------

def test_hte_chain_conserves_firms(model):
    ds = model.run(start=START, stop=STOP, dt=DT, save_every=DT).isel(run=0)
    change = np.diff(ds["hte_count"].values)
    net = (ds["hte_new_certifications"] - ds["hte_lapses"] - ds["hte_revocations"]).values[:-1] * DT
    assert np.max(np.abs(change - net)) < 1e-6


def test_tier_chain_conserves_counties(baseline):
    total = baseline["counties_tier_a"] + baseline["counties_tier_b"] + baseline["counties_tier_c"]
    assert np.allclose(total.values, baseline["evaluated_county_count"].values)


def _at(ds, name, year):
    return float(ds[name].sel(time=year).values[0])


def test_baseline_reproduces_hte_history(baseline):
    assert _at(baseline, "hte_count", 2015) == pytest.approx(131, rel=0.25)
    assert _at(baseline, "hte_count", 2020) == pytest.approx(530, rel=0.25)


@pytest.mark.parametrize("name, year, value, rel", [
    ("tech_sme_provincial", 2020, 7141, 0.25),
    ("tech_contract_registered", 2016, 7.87, 0.3),
    ("tech_contract_registered", 2020, 35.9, 0.3),
    ("tech_contract_turnover", 2020, 19, 0.3),
    ("rd_expenditure_reported", 2020, 19, 0.25),
    ("hv_invention_patents_per_10k", 2020, 0.53, 0.3),
    ("hti_va_share", 2020, 0.20, 0.25),
    ("platforms_provincial", 2020, 137, 0.25),
])
def test_baseline_near_other_history(baseline, name, year, value, rel):
    assert _at(baseline, name, year) == pytest.approx(value, rel=rel)


def test_rd_personnel_order_of_magnitude(baseline):
    assert 7000 <= _at(baseline, "rd_personnel", 2022) <= 10000


# --- priors ------------------------------------------------------------------------------------

def test_priors_refer_to_constants(model, root):
    rows = _read(root / "calibration" / "priors.csv")
    assert len(rows) >= 15
    assert len({r["parameter"] for r in rows}) == len(rows), "a parameter has two priors"
    for row in rows:
        name = row["parameter"]
        assert name in model.defaults, name
        assert row["distribution"] in ("uniform", "normal", "lognormal", "beta"), name
        lo, hi = float(row["lo"]), float(row["hi"])
        assert lo <= model.defaults[name] <= hi, name
        assert float(row["default"]) == pytest.approx(model.defaults[name]), name
        assert row["units"] == model.model[name].units and row["source"].strip(), name
        if row["distribution"] != "uniform":
            assert row["p1"] and row["p2"], name
