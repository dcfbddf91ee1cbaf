"""Scenario files: schema errors, extends, schedules, every shipped scenario runs."""
import numpy as np
import pytest

from innosd import api
from innosd.core.series import Series
from innosd.inputs.scenario import ScenarioError, levers, load_scenario
from innosd.inputs.workspace import scenarios_dir

SHIPPED = sorted(scenarios_dir().glob("*/*.yaml"))


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


BAD = [
    # (file text, substrings the one-line message must contain)
    ("name: x\nregion: xingtai\nlevers:\n  complex_build_rate: 3\n",
     [":4:", "levers.complex_build_rate", "unknown lever", "did you mean 'complexes_built_per_year'"]),
    ("name: x\nregion: xingtia\n", [":2:", "region", "unknown region", "did you mean 'xingtai'"]),
    ("name: x\nregion: xingtai\nlever:\n  fiscal_st_share_growth: 0.1\n",
     [":3:", "lever", "unknown key", "did you mean 'levers'"]),
    ("name: x\nregion: xingtai\nlevers:\n  complexes_built_per_year: 9999\n",
     [":4:", "levers.complexes_built_per_year", "outside the allowed range"]),
    ("name: x\nregion: xingtai\nlevers:\n  complexes_built_per_year: lots\n",
     [":4:", "expected a number", "'lots'"]),
    ("name: x\nregion: xingtai\nlevers:\n  complexes_built_per_year: {kind: cubic, values: {2021: 1}}\n",
     ["kind", "expected 'step' or 'linear'"]),
    ("name: x\nregion: xingtai\nlevers:\n  complexes_built_per_year: {twenty21: 1}\n",
     ["calendar year"]),
    ("name: x\nregion: xingtai\nuncertainty: {runs: -5}\n", ["uncertainty.runs", "outside the allowed range"]),
    ("name: x\nregion: xingtai\nuncertainty: {parameters: posterior_mean}\n",
     ["uncertainty.parameters", "did you mean 'posterior'"]),
    ("name: x\nregion: xingtai\nextends: nonexistent\n", ["extends", "no scenario 'nonexistent'"]),
    ("name: x\nregion: xingtai\nlevers: [1, 2]\n", [":3:", "levers", "expected a mapping"]),
    ("name: x\nregion: xingtai\nperiod: {start: 2015, stop: 2010}\n", ["period.stop", "outside the allowed range"]),
    ("name: x\nregion: xingtai\ndt: 0.3\n", ["dt", "does not divide a year"]),
    ("region: xingtai\n", ["name", "missing required key"]),
    ("name: x\nregion: xingtai\nlevers:\n  a: [1, 2\n", ["not valid YAML"]),
    ("", ["empty"]),
    ("name: x\nregion: xingtai\nexogenous:\n  gdp_growth: 0.05\n",
     ["exogenous.gdp_growth", "did you mean 'gdp_growth_rate'"]),
]


@pytest.mark.parametrize("text,expected", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_files_give_one_clear_line(tmp_path, text, expected):
    p = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(p)
    msg = str(err.value)
    assert "\n" not in msg and str(p) in msg
    for part in expected:
        assert part in msg, (part, msg)


def test_cli_reports_bad_file_without_traceback(tmp_path, capsys):
    from innosd.cli import main
    p = write(tmp_path, BAD[0][0])
    assert main(["run", str(p), "--runs", "2", "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("innosd: error:") and "Traceback" not in err and err.count("\n") == 1


def test_circular_extends(tmp_path):
    write(tmp_path, "name: a\nregion: xingtai\nextends: b\n", "a.yaml")
    write(tmp_path, "name: b\nregion: xingtai\nextends: a\n", "b.yaml")
    with pytest.raises(ScenarioError, match="circle"):
        load_scenario(tmp_path / "a.yaml")


def test_extends_merges_levers_and_child_wins(tmp_path):
    write(tmp_path, "name: parent\nregion: xingtai\nperiod: {start: 2015, stop: 2028}\n"
                    "levers:\n  complexes_built_per_year: 4\n  fiscal_st_share_growth: 0.05\n"
                    "uncertainty: {runs: 50, seed: 7}\n", "parent.yaml")
    child = write(tmp_path, "name: child\nextends: parent\nlevers:\n  fiscal_st_share_growth: {2021: 0.1, 2024: 0.2}\n"
                            "uncertainty: {runs: 20}\n", "child.yaml")
    sc = load_scenario(child)
    assert sc.name == "child" and sc.region == "xingtai" and sc.stop == 2028
    assert sc.levers["complexes_built_per_year"] == 4.0
    fs = sc.levers["fiscal_st_share_growth"]
    # calendar year 2024 is model time [2023, 2024)
    assert isinstance(fs, Series) and fs(2021.5) == 0.1 and fs(2023.0) == 0.2 and fs(2019) == 0.055
    assert sc.runs == 20 and sc.seed == 7
    assert len(sc.files) == 2


def test_linear_schedule(tmp_path):
    p = write(tmp_path, "name: x\nregion: xingtai\nlevers:\n"
                        "  fiscal_st_share_growth: {kind: linear, values: {2021: 0.0, 2025: 0.2}}\n")
    s = load_scenario(p).levers["fiscal_st_share_growth"]
    assert s(2022) == pytest.approx(0.1) and s(2030) == pytest.approx(0.2)


def test_before_its_first_year_a_schedule_keeps_the_default(tmp_path):
    """{2023: 0.25} means 'from 2023 on', not 'since the start of the run'."""
    p = write(tmp_path, "name: x\nregion: xingtai\nlevers:\n  super_deduction_extra: {2023: 0.25}\n"
                        "  complexes_built_per_year: {kind: linear, values: {2021: 4, 2025: 8}}\n")
    sc = load_scenario(p)
    default = levers()["super_deduction_extra"].default
    # calendar 2022 is model time [2021, 2022); calendar 2023 starts at model time 2022
    assert sc.lever_value("super_deduction_extra", 2021.5) == default
    assert sc.lever_value("super_deduction_extra", 2022.0) == 0.25
    assert sc.levers["super_deduction_extra"](2022.0, left=True) == default   # the value saved for 2022
    assert sc.lever_value("complexes_built_per_year", 2019.75) == levers()["complexes_built_per_year"].default
    assert sc.lever_value("complexes_built_per_year", 2022.0) == pytest.approx(6.0)  # halfway 2021->2025


@pytest.mark.parametrize("path", SHIPPED, ids=[str(p.relative_to(p.parents[1])) for p in SHIPPED])
def test_every_shipped_scenario_runs(path):
    fc = api.forecast(path, runs=20, seed=1)
    assert fc.ensemble.sizes["run"] == 20
    modelled = fc.attainment[fc.attainment["status"] == "modelled"]
    assert len(modelled) > 0 and modelled["probability"].between(0, 1).all()
    for name in fc.indicators:
        assert np.isfinite(fc.ensemble[name].values).all(), name


def test_levers_change_attainment_in_the_expected_direction():
    """More complexes and more fiscal S&T money never lower the HTE count."""
    base = api.forecast("xingtai/baseline", runs=30, seed=2)
    lv = levers()
    more = api.forecast("xingtai/baseline", runs=30, seed=2, overrides={
        "fiscal_st_share_growth": lv["fiscal_st_share_growth"].max,
        "complexes_built_per_year": lv["complexes_built_per_year"].max})
    assert (more.ensemble["hte_count"].sel(time=2027.0).values
            >= base.ensemble["hte_count"].sel(time=2027.0).values - 1e-9).all()


def test_levers_command_lists_every_lever(capsys):
    from innosd.cli import main
    assert main(["levers"]) == 0
    out = capsys.readouterr().out
    for name, lv in levers().items():
        assert f"{name} " in out
    assert "mechanism:" in out and "[0 .. 30] default 11 complexes/yr" in out  # units in words, not pint
    assert main(["levers", "--lang", "zh"]) == 0
    zh = capsys.readouterr().out
    assert "科技创新综合体" in zh and "机制" in zh and "mechanism" not in zh
    assert main(["levers", "--csv"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.startswith("lever,units,min,max,default") and len(rows) >= len(levers())


def test_posterior_from_another_model_or_missing_a_prior_is_said(monkeypatch):
    """A posterior keeps working after the model or the priors change, but the forecast says so:
    parameters added to priors.csv since are drawn from their priors, not silently fixed."""
    import xarray as xr

    from innosd.inputs.priors import load_priors
    from innosd.inputs.region import load_region
    from innosd.runs import ensemble
    from innosd.sectors import model_fingerprint
    region = load_region("xingtai")
    priors = load_priors()
    kept = list(priors)[:-1]
    post = xr.Dataset({n: ("draw", np.full(5, priors[n].default)) for n in kept},
                      attrs={"model_sha256": model_fingerprint()})
    monkeypatch.setattr(ensemble, "load_posterior", lambda key: post)
    sets = ensemble.region_parameter_sets(region, "posterior", 200, seed=1)
    params, note = sets.values, sets.note
    newest = list(priors)[-1]
    assert newest in note and "WARNING" not in note
    assert np.ptp(params[newest]) > 0                 # drawn, so it carries its uncertainty
    assert np.ptp(params[kept[0]]) == 0                # posterior draws as they were
    post.attrs["model_sha256"] = "0" * 64
    note = ensemble.region_parameter_sets(region, "posterior", 10, seed=1).note
    assert "WARNING: the model's equations have changed" in note and "innosd calibrate --region xingtai" in note
