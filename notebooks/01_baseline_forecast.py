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
# *For planners and analysts.* The **baseline** scenario (`scenarios/xingtai/baseline.yaml`)
# keeps every policy lever where it stood in 2020. It is the yardstick the plans are measured
# against (notebook 02): what happens if nothing changes?
#
# A forecast is an **ensemble**: the model is run many times, each run with a different set of
# uncertain parameters drawn from the calibration's posterior (notebook 03), so every result is
# a distribution, not one number. This notebook
#
# 1. runs the ensemble (the same as `innosd run xingtai/baseline`),
# 2. reads the probability of meeting each official target,
# 3. draws fan charts with the observed history and the targets,
# 4. writes the report files to a temporary folder and shows what is in them.
#
# Nothing is written into the repository. Every number below is computed when the notebook
# runs; none is typed in by hand.

# %%
# %matplotlib inline
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from innosd import api
from innosd.figures import charts

fc = api.forecast("xingtai/baseline", runs=1000, seed=1)
print(f"scenario '{fc.scenario.name}': {fc.scenario.description}")
print(f"{fc.ensemble.sizes['run']} runs, {fc.scenario.start:.0f}-{fc.scenario.stop:.0f}, "
      f"simulated in {fc.seconds:.1f} s")
for note in fc.notes:
    print("-", note)

# %% [markdown]
# The notes say where the parameters come from (the posterior sample in
# `calibration/xingtai/posterior.nc`) and which sectors Xingtai's data supports only
# partly: there, levels are anchored to one observed year but the dynamics are not.
#
# ## How many targets are likely to be met?
#
# Every quantitative target of the seed plans is in `calibration/targets.csv`. For each
# target, `probability` is the share of runs that meet it. We group the targets by the
# document that sets them and by how likely they are.

# %%
att = fc.attainment
modelled = att[att["status"] == "modelled"].copy()
modelled["document"] = [charts.source_tag(s, clause=c) for s, c in zip(modelled["source"], modelled["clause"])]
bins = [-0.001, 0.2, 0.5, 0.8, 1.0]
labels = ["p <= 20 %", "20-50 %", "50-80 %", "p > 80 %"]
modelled["chance"] = pd.cut(modelled["probability"], bins, labels=labels)
likely = int((modelled["probability"] >= 0.5).sum())
print(f"{len(modelled)} of {len(att)} targets can be scored; {likely} of them are more likely met than not "
      f"(probability >= 50 %) if policies stay as in 2020.")
pd.crosstab(modelled["document"], modelled["chance"], margins=True, margins_name="all")

# %% [markdown]
# ## The attainment table
#
# A target is stated in the document's own words and units (`comparator`, `value`, `unit`:
# "at least 0.3 percent", "15 % growth a year from 2020"). The model compares it in **model
# units**, where shares are fractions and growth rates are fractions per year: `model_target`
# is the target in those units, and `median`, `p05` and `p95` describe the compared quantity
# across runs (a level, an average growth rate or a multiple, as the target states it).
# `first_year_median` is the first year in which the median run meets the target (empty if it
# never does before 2030).
#
# Here are the 2025 targets on the region's *headline indicators* (the 14th Five-Year Plan's
# indicator table and the goals of the 2023-2027 action plan, listed in
# `calibration/xingtai/profile.yaml`), least likely first:

# %%
def describe(t) -> str:
    """A target in words, e.g. 'hte_count >= 900 firm' or 'rd_expenditure_reported growth_per_year >= 0.15'."""
    symbol = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}.get(t["comparator"])
    if symbol:
        return f"{t['indicator']} {symbol} {t['value']:g} {t['unit']}"
    return f"{t['indicator']} {t['comparator']} {t['value']:g} (base {int(t['base_year'])})"


modelled["target"] = modelled.apply(describe, axis=1)
cols = ["target_id", "document", "target", "probability", "model_target", "median", "p05", "p95",
        "first_year_median"]
headline = fc.region.profile["headline_indicators"]
y2025 = modelled[(modelled["year"] == 2025) & modelled["indicator"].isin(headline)].sort_values("probability")
print(f"{len(y2025)} targets for 2025 on headline indicators; "
      f"{int((y2025['probability'] >= 0.5).sum())} more likely met than not")
y2025[cols].round(4).reset_index(drop=True)

# %% [markdown]
# Some targets cannot be scored, and the table says why instead of hiding them: the
# indicator has no model element, this region's data does not support it, or the year is
# outside the simulated period.

# %%
att.loc[att["status"] != "modelled", ["target_id", "indicator", "year", "status"]]

# %% [markdown]
# ## Fan charts: median, 50 % and 90 % of runs, observed history and targets
#
# The dark line is the median run, the bands hold the middle 50 % and 90 % of runs. Markers are
# observed values (one marker style per measure, hollow for low-confidence sources); stars are
# level targets, tagged with the document that sets them. Where two sources disagree (Xingtai's
# high-tech enterprises in 2020: the 14th Five-Year Plan and the S&T bureau give different
# counts) both are drawn.

# %%
obs, tg = fc.region.observations, fc.region.targets
charts.fan_chart(fc.ensemble, "hte_count", observations=obs, targets=tg)

# %%
hte = obs[obs["indicator"] == "hte_count"]
print("observed high-tech enterprise counts:")
print(hte[["obs_id", "year", "value", "measure", "confidence"]].to_string(index=False))

# %% [markdown]
# The same chart in Chinese, for a report to the bureau (`lang="zh"`; this needs a CJK font,
# see `docs/fonts.md`), here for the registered value of technology contracts and its history:

# %%
charts.fan_chart(fc.ensemble, "tech_contract_registered", observations=obs, targets=tg, lang="zh")

# %% [markdown]
# ## The tidy summary
#
# `fc.summary` holds quantiles of every reported indicator in every year, in model units
# (here R&D intensity, a fraction of GDP). It is what `summary.csv` in a results folder
# contains, ready for a spreadsheet.

# %%
s = fc.summary
ri = s[(s["indicator"] == "rd_intensity") & s["year"].isin([2020.0, 2025.0, 2027.0])]
for _, r in ri.iterrows():
    print(f"R&D intensity {r['year']:.0f}: median {100 * r['q50']:.2f} % of GDP "
          f"(90 % of runs between {100 * r['q05']:.2f} % and {100 * r['q95']:.2f} %)")
ri

# %% [markdown]
# ## The report files
#
# `innosd run xingtai/baseline` writes a results folder with `report.html`, `attainment.csv`,
# `summary.csv`, fan charts and `manifest.json`. From Python the same is
# `api.write_forecast`. We write it to a temporary folder (without charts, to stay quick) and
# look inside; `docs/user-guide.md` explains every file.

# %%
tmp = Path(tempfile.mkdtemp(prefix="innosd-nb01-"))
folder = api.write_forecast(fc, out=tmp / "baseline", charts=False)
print(folder)
for p in sorted(folder.iterdir()):
    print(f"  {p.name:16s} {p.stat().st_size:>9,d} bytes")

# %%
import json

manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
print("manifest keys:", ", ".join(manifest))
pd.read_csv(folder / "attainment.csv").head(3)

# %%
shutil.rmtree(tmp)  # the notebook leaves nothing behind
