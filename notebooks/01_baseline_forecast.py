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
# # Xingtai baseline forecast: fan charts and target attainment
#
# *For planners and analysts.* The baseline keeps every policy lever where it stood in 2020.
# We run an ensemble (parameters drawn from the calibration's posterior), read the
# probability of meeting each official target, and draw fan charts with history and targets.

# %%
from innosd import api, charts

fc = api.forecast("xingtai/baseline", runs=1000, seed=1)
print(f"{fc.ensemble.sizes['run']} runs in {fc.seconds:.2f} s; {fc.notes[0]}")

# %% [markdown]
# ## Which targets will be met?
# `probability` is the share of runs meeting the target; `median`, `p05` and `p95` describe
# the compared quantity (a level, a growth rate or a multiple, as the target states it, in
# model units: shares are fractions).

# %%
att = fc.attainment
cols = ["target_id", "indicator", "year", "comparator", "value", "unit", "probability", "median", "p05", "p95",
        "first_year_median"]
modelled = att[att["status"] == "modelled"].sort_values("probability")
modelled[cols].head(15)

# %% [markdown]
# Targets the model cannot score say why (outside the period, or an indicator this
# region's data does not support):

# %%
att[att["status"] != "modelled"][["target_id", "indicator", "year", "status"]]

# %% [markdown]
# ## Fan charts: median, 50 % and 90 % bands, observed history and targets

# %%
obs, tg = fc.region.observations, fc.region.targets
charts.fan_chart(fc.ensemble, "hte_count", observations=obs, targets=tg)

# %%
charts.fan_chart(fc.ensemble, "tech_contract_registered", observations=obs, targets=tg, lang="zh")

# %% [markdown]
# ## Tidy summary for reports

# %%
s = fc.summary
s[(s.indicator == "rd_intensity") & s.year.isin([2020.0, 2025.0, 2027.0])]
