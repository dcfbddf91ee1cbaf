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
# These two regions use only the parts of the model their data supports: Shijiazhuang's
# county tiers A/B/C (21 county-level units; seed 003) and Taizhou's industrial innovation
# service complexes (seed 004). Their profiles (`calibration/<region>/profile.yaml`) say so,
# and every report lists the sectors left out.

# %%
from innosd import api, charts

sjz = api.forecast("shijiazhuang/county-leap-2022-2025", runs=500, seed=3)
for note in sjz.notes[:3]:
    print("-", note)
sjz.attainment[sjz.attainment.status == "modelled"][["target_id", "indicator", "year", "value", "probability",
                                                     "median"]]

# %%
charts.fan_chart(sjz.ensemble, "counties_tier_a", observations=sjz.region.observations, targets=sjz.region.targets)

# %% [markdown]
# Taizhou has targets but no history at all: its runs rest on the priors, and the report
# says the region cannot be calibrated.

# %%
tz = api.forecast("taizhou/complexes-2018-2020", runs=500, seed=3)
print(tz.notes[0])
tz.attainment[tz.attainment.status == "modelled"][["target_id", "indicator", "year", "value", "probability", "median"]]

# %%
charts.fan_chart(tz.ensemble, "innovation_complexes", targets=tz.region.targets)
