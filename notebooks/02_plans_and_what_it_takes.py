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
# # The seed plans as scenarios, and what it would take to meet a missed target
#
# *For planners.* Each plan of the seed documents is a scenario file under
# `scenarios/xingtai/` (lever schedules with the clause they encode). We compare them with
# the baseline using the same parameter draws (common random numbers), then ask how far one
# lever must move to meet a target with 80 % probability.

# %%
import pandas as pd
from innosd import api, charts

names = ["xingtai/baseline", "xingtai/fyp14", "xingtai/innovative-xingtai-2023-2027", "xingtai/fiscal-squeeze"]
fcs = {n.split("/")[1]: api.forecast(n, runs=300, seed=7) for n in names}
table = pd.DataFrame({k: f.attainment.set_index("target_id")["probability"] for k, f in fcs.items()})
table.dropna().round(2).head(20)

# %%
charts.comparison_chart({k: f.ensemble for k, f in fcs.items()}, "hte_count",
                        observations=fcs["baseline"].region.observations, targets=fcs["baseline"].region.targets)

# %%
heat = pd.concat([f.attainment.assign(scenario=k) for k, f in fcs.items()])
key = heat[heat.target_id.str.startswith(("xt-001", "xt-002-"))]
charts.attainment_heatmap(key[["target_id", "scenario", "probability"]].dropna())

# %% [markdown]
# ## What would it take?
# Pick the baseline's least likely HTE target and search the smallest rise of the HTE
# cultivation pool (from 2023 on) that meets it with probability 0.8.

# %%
att = fcs["baseline"].attainment
missed = att[(att.indicator == "hte_count") & (att.status == "modelled")].sort_values("probability").iloc[0]
res = api.reach("xingtai/baseline", missed["target_id"], "hte_cultivation_pool_size", probability=0.8, runs=200)
print(missed["target_id"], "-", res.message)
