# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # County tiers in Shijiazhuang, innovation complexes in Taizhou
#
# *For planners and analysts of other cities.* The model was built around Xingtai's data, but
# two other seed plans come from other cities, and each uses only the part of the model its
# data supports:
#
# * **Shijiazhuang** (Hebei): the county S&T leap plan 2022-2025 (seed 003). Hebei grades its
#   county-level units A, B or C every year; the plan sets how many should be A and B, and how
#   many should be promoted. Only the county sector is reported.
# * **Taizhou** (Zhejiang): the industrial innovation service complex plan 2018-2020 (seed
#   004): how many complexes, how many provincial. Only the complex indicators are reported.
#
# Each region's `calibration/<region>/profile.yaml` says which sectors its data supports;
# every forecast lists the sectors it leaves out. A region without a calibrated posterior
# (`calibration/<region>/posterior.nc`) draws its parameters from the priors: the first note
# printed below says which applies.

# %%
# %matplotlib inline
import numpy as np
import pandas as pd

from innosd import api
from innosd.figures import charts

sjz = {k: api.forecast(f"shijiazhuang/{k}", runs=500, seed=3) for k in ("baseline", "county-leap-2022-2025")}
leap = sjz["county-leap-2022-2025"]
print(f"{leap.region.name}: {leap.scenario.description.split(' / ')[-1]}")
for note in leap.notes:
    print("-", note)

# %% [markdown]
# ## Shijiazhuang: what the runs rest on
#
# Shijiazhuang's data are a few county-tier counts (listed below). Here is how they compare
# with the runs' 5-95 % band in the same year: a band far from the observations means the
# forecast does not yet know the region's starting point.

# %%
rows = []
ens = sjz["baseline"].ensemble
for _, o in leap.region.fit_observations().iterrows():
    v = ens[o["indicator"]].sel(time=float(o["year"])).values
    q05, q50, q95 = np.nanquantile(v, [0.05, 0.5, 0.95])
    rows.append({"obs_id": o["obs_id"], "indicator": o["indicator"], "year": o["year"], "observed": o["model_value"],
                 "run_p05": q05, "run_median": q50, "run_p95": q95, "inside": q05 <= o["model_value"] <= q95})
check = pd.DataFrame(rows)
print(f"{int(check['inside'].sum())} of {len(check)} observations inside the runs' 5-95 % band")
for _, r in check[~check["inside"]].iterrows():
    print(f"  {r['indicator']} {r['year']}: observed {r['observed']:g}, runs {r['run_p05']:.1f}-{r['run_p95']:.1f}")
check.round(2)

# %% [markdown]
# Where the observations fall outside the band, the probabilities below inherit that miss:
# they describe a region that starts from the priors, not Shijiazhuang's observed tiers. A
# researcher can fit the priors to these observations with `innosd calibrate --region
# shijiazhuang` (notebook 03 shows how to try it without writing anything); once
# `calibration/shijiazhuang/posterior.nc` exists, every forecast of the region draws from it.

# %% [markdown]
# ## The plan's targets, with and without the plan
#
# The county leap plan against the baseline (2020 policies, no special county fund), with the
# same parameter draws. Promotions count the counties moving up a tier in a year (or, for the
# 2025 target, cumulatively since 2021).

# %%
cols = ["target_id", "indicator", "year", "comparator", "value"]
att = leap.attainment[leap.attainment["status"] == "modelled"][cols + ["median"]].copy()
att["p[baseline]"] = sjz["baseline"].attainment.set_index("target_id").loc[att["target_id"], "probability"].values
att["p[county leap]"] = leap.attainment.set_index("target_id").loc[att["target_id"], "probability"].values
att.sort_values(["year", "indicator"]).round(3).reset_index(drop=True)

# %% [markdown]
# Fan chart of the A-class counties under the plan, with the observed counts (markers) and the
# plan's targets (stars):

# %%
reg = leap.region
charts.fan_chart(leap.ensemble, "counties_tier_a", observations=reg.observations, targets=reg.targets)

# %% [markdown]
# The three tiers under both scenarios (median number of counties in each tier):

# %%
years = [2020.0, 2022.0, 2025.0]
tiers = ["counties_tier_a", "counties_tier_b", "counties_tier_c"]
pd.DataFrame({(k, int(y)): {t: float(f.ensemble[t].sel(time=y).median()) for t in tiers}
              for k, f in sjz.items() for y in years}).round(1)

# %% [markdown]
# ## Taizhou: innovation service complexes
#
# Taizhou has targets but little or no history (the cell prints how many observations it
# has); without history there is nothing to calibrate and the runs rest on the priors. The
# plan builds at least one complex a year in each county-level unit in 2018-2020; the
# baseline builds none.

# %%
tz = {k: api.forecast(f"taizhou/{k}", runs=200, seed=3) for k in ("baseline", "complexes-2018-2020")}
plan = tz["complexes-2018-2020"]
print(f"{plan.region.name}: {len(plan.region.observations)} observations; {plan.notes[0]}")
cols = ["target_id", "indicator", "year", "comparator", "value", "unit"]
t = plan.attainment[plan.attainment["status"] == "modelled"][cols + ["median", "p05", "p95"]].copy()
for k, f in tz.items():
    t[f"p[{k}]"] = f.attainment.set_index("target_id").loc[t["target_id"], "probability"].values
t.round(3).reset_index(drop=True)

# %%
charts.comparison_chart({k: f.ensemble for k, f in tz.items()}, "innovation_complexes", targets=plan.region.targets)

# %% [markdown]
# Look at the width of the band. Where no uncertain parameter (no prior) acts on an
# indicator, every run gives the same number, the band has no width and a probability can
# only be 0 or 1. The spread across runs of each complex indicator in 2020:

# %%
for name in ("innovation_complexes", "innovation_complexes_provincial", "complexes_new_per_county"):
    v = plan.ensemble[name].sel(time=2020.0).values
    print(f"{name:34s} 2020: median {np.median(v):7.2f}, 5-95 % spread {np.ptp(np.quantile(v, [0.05, 0.95])):.3g}")
for _, r in t[t["indicator"] == "innovation_complexes"].iterrows():
    every = "in every run" if np.isclose(r["p05"], r["p95"]) else "median"
    print(f"{r['target_id']}: target {r['value']:g}, model {r['median']:.2f} ({every}) -> probability "
          f"{r['p[complexes-2018-2020]']:.0%}")

# %% [markdown]
# Flows are reported per calendar year. Compare the complexes started per county-level unit
# in each year with the plan's lever in that year (calendar year *Y* is model time
# *[Y-1, Y)*, so a lever's value during *Y* is read at *Y - 0.5*):

# %%
sc = plan.scenario
units = sc.parameters.get("county_count", np.nan)
rows = []
for y in range(2017, 2023):
    started = float(np.median(plan.ensemble["complexes_new_per_county"].sel(time=float(y)).values))
    lever = sc.lever_value("complexes_built_per_year", y - 0.5)
    rows.append({"year": y, "lever: complexes a year": lever, "lever per unit": lever / units,
                 "model: started per unit": started})
timing = pd.DataFrame(rows).set_index("year")
off = timing[~np.isclose(timing["lever per unit"], timing["model: started per unit"])]
if len(off):
    print("note: the model's yearly starts differ from the scenario's lever in " + ", ".join(map(str, off.index))
          + "; the target on new complexes per unit is scored on the model's value for its year")
timing.round(2)
