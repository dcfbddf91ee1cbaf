"""calibration/constants.csv: every model constant classified, and every assumption uncertain or
fixed for a stated reason (issue 11.1)."""
import numpy as np
import pandas as pd
import xarray as xr

from innosd.cli import main
from innosd.inputs.constants import CLASSES, class_problems, load_constants
from innosd.inputs.posterior import posterior_path
from innosd.inputs.priors import load_priors
from innosd.inputs.region import load_region
from innosd.runs.ensemble import region_parameter_sets
from innosd.sectors import shipped_model


def test_constants_csv_covers_the_model_exactly_and_explains_every_constant():
    table = load_constants()
    assert sorted(table["name"]) == sorted(shipped_model().constants)
    assert set(table["class"]) <= set(CLASSES)
    assert class_problems() == []


def test_every_uncertain_constant_has_a_prior_and_every_prior_a_row():
    table, priors = load_constants(), load_priors()
    uncertain = table[table["class"].isin(["assumption", "calibrated"])]
    unexplained = [n for n, r in uncertain.iterrows()
                   if n not in priors and not r["reason"].lower().startswith("fixed:")]
    assert unexplained == []
    assert set(priors) <= set(table.index)


def _edit(home, name, **cells):
    path = home / "calibration" / "constants.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column, value in cells.items():
        df.loc[df["name"] == name, column] = value
    df.to_csv(path, index=False)
    return path


def test_check_fails_on_an_assumption_with_neither_prior_nor_reason(scratch_home, capsys):
    """A constant reclassed as an unexplained assumption, a row for no constant, a constant with no
    row: `innosd check` exits non-zero with one line naming each."""
    path = _edit(scratch_home, "team_size", **{"class": "assumption", "reason": "a guess"})
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    # team_size has a prior: drop it from priors.csv so the assumption is left unexplained
    priors = scratch_home / "calibration" / "priors.csv"
    p = pd.read_csv(priors, dtype=str, keep_default_na=False)
    p[p["parameter"] != "team_size"].to_csv(priors, index=False)
    extra = df.iloc[[0]].assign(name="team_sise")
    pd.concat([df[df["name"] != "breeding_time"], extra]).to_csv(path, index=False)
    assert main(["--home", str(scratch_home), "check"]) == 1
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith("constants: ")]
    assert any("assumption 'team_size' has neither a prior" in ln for ln in lines), out
    assert any("'team_sise' is not a model constant" in ln and "team_size" in ln for ln in lines), out
    assert any("model constant 'breeding_time'" in ln and "has no row" in ln for ln in lines), out
    assert "constants: 3 constant(s)" in out


def test_an_assumption_fixed_for_a_stated_reason_passes(scratch_home):
    _edit(scratch_home, "tier_a_threshold",
          **{"class": "assumption", "reason": "fixed: the rule of 冀政办字〔2019〕9号"})
    assert class_problems(scratch_home / "calibration" / "constants.csv") == []


def test_new_priors_are_drawn_in_every_ensemble():
    """Parameters the posterior lacks are drawn from their priors: they vary over runs, inside their
    bounds (the region's own, where its profile scales them), for a region with a posterior and for one
    without. A not-fitted assumption the calibration held at its default (it moves the fitted history)
    stays at that default in the posterior's draws."""
    for region, source in (("xingtai", "posterior"), ("taizhou", "posterior"), ("xingtai", "prior")):
        reg = load_region(region)
        priors = reg.priors_in_use()
        sets = region_parameter_sets(reg, source, 200, seed=3)
        held = set()
        if source == "posterior" and posterior_path(region).exists():
            with xr.open_dataset(posterior_path(region), engine="scipy") as post:
                held = set(filter(None, str(post.attrs.get("held_at_default_parameters", "")).split(",")))
        for name in ("team_size", "hte_profit_to_rd_ratio", "init_platforms_provincial", "voucher_additionality",
                     "init_sme_innovation_talents"):
            v = sets.values[name]
            if name in held:
                assert np.all(v == priors[name].default), (region, name)
                continue
            assert np.std(v) > 0, (region, source, name)
            assert priors[name].lo <= v.min() and v.max() <= priors[name].hi
    once, again = (region_parameter_sets(load_region("xingtai"), "posterior", 200, seed=3) for _ in range(2))
    for name in once.values:  # same seed, same draws
        np.testing.assert_array_equal(once.values[name], again.values[name])
