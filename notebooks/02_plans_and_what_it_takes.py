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
# `scenarios/xingtai/`: lever schedules, each with a comment quoting the clause it encodes.
# A plan that builds on an earlier one says so with `extends:`, so the 2023-2027 action plan
# carries the 14th Five-Year Plan's measures, which carry the 2020-2022 complex plan's.
# Three stress tests (a fiscal squeeze, a talent drain, both together) sit next to them.
#
# We forecast every scenario with **the same parameter draws** (same seed: common random
# numbers), so differences between scenarios come from the levers alone, not from sampling
# noise. Then we ask, for a target a plan misses, how far one lever must move to meet it with
# 80 % probability (`api.reach`, the same as `innosd reach`).

# %%
# %matplotlib inline
import pandas as pd

from innosd import api
from innosd.figures import charts
from innosd.inputs.workspace import scenarios_dir

folder = scenarios_dir() / "xingtai"
scenarios = {p.stem: api.load(p) for p in sorted(folder.glob("*.yaml"))}


def english(text: str) -> str:
    """The English half of a bilingual description ('中文 / English')."""
    return text.split(" / ", 1)[-1].strip()


pd.DataFrame({
    "builds on": {k: " <- ".join(p.stem for p in sc.files[1:]) for k, sc in scenarios.items()},
    "description": {k: english(sc.description)[:110] for k, sc in scenarios.items()},
})

# %% [markdown]
# ## Forecast every scenario
#
# 300 runs each are enough to compare probabilities to within a few points (the standard
# error of a probability near 50 % is about 3 points with 300 runs); `innosd run` uses the
# scenario's own 1,000.

# %%
plans = ["baseline", "complexes-2020-2022", "fyp14", "innovative-xingtai-2023-2027"]
order = [k for k in plans if k in scenarios] + [k for k in scenarios if k not in plans]
fcs = {k: api.forecast(scenarios[k], runs=300, seed=7) for k in order}
print(f"{len(fcs)} scenarios, {sum(f.seconds for f in fcs.values()):.1f} s of simulation")

table = pd.DataFrame({k: f.attainment.set_index("target_id")["probability"] for k, f in fcs.items()}).dropna()
likely = (table >= 0.5).sum().rename("targets more likely met than not")
likely.to_frame().T

# %% [markdown]
# Most targets do not depend on the scenario at all: they are met, or missed, whatever the
# plan. The interesting ones are those the scenarios move. Here are the targets whose
# probability differs by 10 points or more between any two scenarios:

# %%
spread = table.max(axis=1) - table.min(axis=1)
moved = table[spread >= 0.10].copy()
moved["spread"] = spread[spread >= 0.10]
print(f"{len(moved)} of {len(table)} scored targets move by 10 points or more")
moved.sort_values("spread", ascending=False).round(2)

# %% [markdown]
# The same as a heat map: rows are targets, columns scenarios, cells the probability (red 0,
# green 1). Each row is labelled with the target in words.

# %%
targets = fcs["baseline"].region.targets.set_index("target_id")
symbol = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def label(tid: str) -> str:
    t = targets.loc[tid]
    comparator = symbol.get(t["comparator"], t["comparator"])
    what = f"{comparator} {t['value']:g}"
    return f"{tid}: {t['indicator']} {what}"


heat = pd.concat([f.attainment.assign(scenario=k) for k, f in fcs.items()])
heat = heat[heat["target_id"].isin(moved.index)].assign(label=lambda d: d["target_id"].map(label))
charts.attainment_heatmap(heat[["target_id", "scenario", "probability", "label"]])

# %% [markdown]
# ## Trajectories side by side
#
# `comparison_chart` draws the median and the 90 % band of one indicator for each scenario,
# with history and targets. High-tech enterprises under the three plans and the baseline:

# %%
region = fcs["baseline"].region
charts.comparison_chart({k: fcs[k].ensemble for k in order if k in plans}, "hte_count",
                        observations=region.observations, targets=region.targets)

# %% [markdown]
# The stress tests hit different parts of the system. The median in 2025 of a few indicators,
# relative to the baseline (same parameter draws, so the difference is the shock alone):

# %%
stress = [k for k in order if k not in plans]
indicators = ["rd_expenditure_reported", "fiscal_st_spending", "rd_personnel", "innovative_talents", "hte_count"]


def median_2025(k: str, name: str) -> float:
    return float(fcs[k].ensemble[name].sel(time=2025.0).median())


change = pd.DataFrame({k: {n: median_2025(k, n) / median_2025("baseline", n) - 1 for n in indicators}
                       for k in stress}).T
(100 * change).round(1).rename(columns=lambda n: f"{n} (% vs baseline)")

# %% [markdown]
# Innovative talents under the baseline and the talent drain (scenarios with identical
# trajectories would hide each other in one chart, so we draw two):

# %%
charts.comparison_chart({k: fcs[k].ensemble for k in ["baseline", "talent-drain"] if k in fcs}, "innovative_talents",
                        observations=region.observations, targets=region.targets)

# %% [markdown]
# ## What would it take?
#
# Take the 14th Five-Year Plan (`fyp14`) and its latest high-tech-enterprise target that it is
# not likely to meet (probability below 80 %; if it is likely to meet them all, its latest one,
# and `reach` says no change is needed). Suppose a mid-term review asks: how much larger
# would the HTE reserve pool (`hte_cultivation_pool_size`, a lever) have to be to meet it with
# 80 % probability? `api.reach` searches the smallest uniform change of the lever's schedule,
# from 2023 on for a target after 2023, with common random numbers across candidates. It runs
# its own 200 runs per candidate, so its starting probability can differ from the table's by a
# few points.

# %%
plan = "fyp14"
att = fcs[plan].attainment
hte = att[(att["status"] == "modelled") & (att["indicator"] == "hte_count")]
missed = hte[hte["probability"] < 0.8]
target = (missed if len(missed) else hte).sort_values(["year", "probability"]).iloc[-1]
print(f"{label(target['target_id'])} by {target['year']}; "
      f"probability under {plan}: {target['probability']:.0%}")
res = api.reach(plan, target["target_id"], "hte_cultivation_pool_size", probability=0.8, runs=200, seed=7)
print(res.message)

# %% [markdown]
# How does that compare with what the next plan actually did? Schedules in scenario files use
# calendar years, and calendar year *Y* is model time *[Y-1, Y)* (a stock at model time *t* is
# its end-of-year-*t* value), so the lever's value *during* year *Y* is read at *Y - 0.5*:

# %%
year = int(target["year"])
lever = "hte_cultivation_pool_size"
for k in (plan, "innovative-xingtai-2023-2027"):
    if k in scenarios:
        p = fcs[k].attainment.set_index("target_id").loc[target["target_id"], "probability"]
        print(f"{k:30s} {lever} during {year}: {scenarios[k].lever_value(lever, year - 0.5):6.0f} firms; "
              f"probability {p:.0%}")
if res.new_value_at_target_year is not None:
    print(f"{'reach answer':30s} {lever} during {year}: {res.new_value_at_target_year:6.0f} firms; "
          f"probability {res.probability:.0%} (with {res.change:+.0f} from {res.from_year})")

# %% [markdown]
# Not every lever can do it, and `reach` says so instead of extrapolating, with the
# probability at the lever's bound. Fiscal S&T spending growth, for the same target:

# %%
res2 = api.reach(plan, target["target_id"], "fiscal_st_share_growth", probability=0.8, runs=200, seed=7)
print(res2.message)

# %% [markdown]
# From the command line the same question is
#
# ```bash
# innosd reach xingtai/fyp14 --target <target id> --lever hte_cultivation_pool_size --probability 0.8
# ```
#
# and `innosd compare xingtai/baseline xingtai/fyp14 xingtai/innovative-xingtai-2023-2027`
# writes the comparison (table, heat map, charts and report) to a results folder.
