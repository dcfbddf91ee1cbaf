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
# # Calibration diagnostics, and recalibrating after a new observation
#
# *For researchers.* The model's uncertain parameters (`calibration/priors.csv`) are fitted to
# Xingtai's 2015-2020 history (`calibration/xingtai/observations.csv`, rows with `use=fit`) by
# `innosd calibrate --region xingtai`. It writes a posterior sample (`posterior.nc`), a fit report
# (`fit-report.md`) and charts (`fit-charts/`) to a new results folder; `innosd adopt FOLDER` then
# makes them the region's: `calibration/xingtai/posterior.nc`, which every forecast draws its
# parameters from, with the report and charts beside it.
#
# This notebook reads the shipped posterior and asks:
#
# 1. Did the sampler converge, and was the posterior fitted to the current data?
# 2. Which parameters does the history inform (posterior much narrower than the prior), and
#    which does it leave at their prior?
# 3. How well does the posterior reproduce the observations?
#
# Then it adds one (hypothetical) observation to **a copy** of the observation table and
# recalibrates with a quick configuration (`api.calibrate` returns the result and writes nothing,
# so the shipped posterior is never touched), and shows how the posterior of the parameter that
# observation informs moves.

# %%
# %matplotlib inline
import hashlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Image, display

from innosd import api
from innosd.analysis.calibration import INFORMED_RATIO, identification_table, parameter_effects
from innosd.inputs.posterior import load_posterior, posterior_path
from innosd.inputs.priors import load_priors
from innosd.inputs.region import load_region
from innosd.inputs.tables import to_model_units
from innosd.inputs.workspace import calibration_dir


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


region = load_region("xingtai")
post = load_posterior("xingtai")
a = post.attrs
print(f"{posterior_path('xingtai')}: {post.sizes['draw']} draws of {len(post.data_vars)} parameters")
print(f"written {a['date']} by innosd {a['innosd_version']}: seed {a['seed']}, {a['walkers']} walkers x "
      f"{a['steps']} steps, burn-in {a['burn_in']}, thinned by {a['thin']}")
for name, path in (("observations", region.folder / "observations.csv"), ("priors", calibration_dir() / "priors.csv")):
    current = sha256(path) == a[f"{name}_sha256"]
    print(f"fitted to the current {path.name}: "
          + ("yes" if current else "NO: recalibrate (innosd calibrate, then innosd adopt its folder)"))

# %% [markdown]
# ## 1. Convergence
#
# The posterior is sampled with emcee (an ensemble of walkers). Its diagnostics are stored in
# the posterior file's attributes. A low acceptance fraction or a chain shorter than about 50
# autocorrelation times means the sample is usable for forecasts but its tails are uncertain;
# a split-R-hat above 1.1 means walkers have not mixed.

# %%
pd.DataFrame([
    ("mean acceptance fraction", a["acceptance_mean"], "0.2-0.5"),
    ("largest integrated autocorrelation time tau (steps)", a["tau_max"], ""),
    ("shortest post-burn chain / tau", a["chain_over_tau_min"], "> 50"),
    ("largest split-R-hat across walkers", a["rhat_max"], "< 1.1"),
], columns=["diagnostic", "value", "rule of thumb"]).round(3)

# %% [markdown]
# ## 2. Prior and posterior widths: what the history informs
#
# For every parameter we compare the 90 % interval of its posterior with that of its prior.
# The posterior file lists which parameters were in the likelihood (`calibrated_parameters`) and
# which cannot move any fitted output in the 2015-2020 window and are drawn from their prior
# (`prior_only_parameters`). A parameter counts as **informed by the data** when its
# posterior interval is narrower than `INFORMED_RATIO` times its prior interval.

# %%
priors = load_priors()
# a posterior older than the model may hold parameters the model has since dropped: left out here
calibrated = [p for p in a["calibrated_parameters"].split(",") if p in priors]
prior_only = [p for p in a["prior_only_parameters"].split(",") if p in priors]
draws = post.to_dataframe()
ident = identification_table(draws, priors, calibrated, prior_only).set_index("parameter")
informed = ident.index[ident["informed"]].tolist()
print(f"{len(calibrated)} parameters in the likelihood, {len(prior_only)} drawn from their prior; "
      f"{len(informed)} informed by the data (width ratio < {INFORMED_RATIO})")
cols = ["units", "prior_p05", "prior_p95", "post_p05", "post_median", "post_p95", "ratio", "informed",
        "in_likelihood", "at_bound"]
ident.sort_values("ratio")[cols]

# %% [markdown]
# The same on one picture. Each parameter's prior 90 % interval is stretched to [0, 1] (grey);
# the posterior 90 % interval (bar) and median (dot) are drawn on the same scale. A short bar
# means the history pins the parameter down; a bar at 0 or 1 means the data push it against
# the edge of its prior ("pressed against a bound" in the table), which says more about the
# prior range or the model structure than about the parameter.

# %%
order = ident.sort_values("ratio", ascending=False)
lo, width = order["prior_p05"], order["prior_p95"] - order["prior_p05"]
scaled = {q: (order[q] - lo) / width for q in ("post_p05", "post_median", "post_p95")}
colors = np.where(order["informed"], "#2ca02c", np.where(order["in_likelihood"], "#1f77b4", "#7f7f7f"))
y = np.arange(len(order))
fig, ax = plt.subplots(figsize=(8, 0.3 * len(order) + 1.2))
ax.barh(y, 1.0, color="#e0e0e0", label="prior 90 %")
ax.barh(y, scaled["post_p95"] - scaled["post_p05"], left=scaled["post_p05"], height=0.5, color=colors)
ax.plot(scaled["post_median"], y, "k.", label="posterior median")
ax.set_yticks(y, order.index, fontsize=8)
ax.set_xlabel("position within the prior's 90 % interval")
ax.set_title("Posterior 90 % interval within the prior's (green: informed; blue: in the likelihood; grey: prior only)",
             fontsize=9)
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
plt.show()

# %% [markdown]
# **Why** a parameter is informed or not: `parameter_effects` sets each parameter to its
# prior's 2 % and 98 % quantiles (others at random prior draws) and reports the largest
# relative change it causes in any fitted observation. A parameter with no effect cannot be
# learnt from this history, however long the sampler runs.

# %%
effects = parameter_effects("xingtai")
why = ident[["ratio", "informed"]].join(effects.rename("largest effect on a fitted observation"))
print(f"{int((effects == 0).sum())} parameter(s) move no fitted observation: "
      + ", ".join(effects.index[effects == 0]))
why.sort_values("largest effect on a fitted observation", ascending=False).round(3)

# %% [markdown]
# ## 3. Fit to the observations
#
# A forecast from the posterior (the baseline scenario holds the 2015-2020 levers the
# calibration used) against every fitted observation. The band here is the model's 5-95 %
# across runs, i.e. parameter uncertainty only; the fit report's band also adds the
# observation error of the likelihood, so it is wider and contains more points.

# %%
fc = api.forecast("xingtai/baseline", runs=500, seed=1)
rows = []
for _, o in region.fit_observations().iterrows():
    v = fc.ensemble[o["indicator"]].sel(time=float(o["year"])).values
    q05, q50, q95 = np.nanquantile(v, [0.05, 0.5, 0.95])
    rows.append({"obs_id": o["obs_id"], "indicator": o["indicator"], "year": o["year"], "observed": o["model_value"],
                 "model_p05": q05, "model_median": q50, "model_p95": q95,
                 "error_pct": 100 * (q50 - o["model_value"]) / abs(o["model_value"]) if o["model_value"] else np.nan,
                 "in_band": q05 <= o["model_value"] <= q95})
fit = pd.DataFrame(rows)
print(f"{int(fit['in_band'].sum())} of {len(fit)} observations inside the model's 5-95 % band; "
      f"median absolute error {fit['error_pct'].abs().median():.1f} %")
fit.sort_values("error_pct", key=abs, ascending=False).head(10).round(4)

# %% [markdown]
# The fit report's chart for high-tech enterprises (two conflicting 2020 values, both
# kept: the calibration adds a measure-discrepancy term rather than picking one):

# %%
chart = region.folder / "fit-charts" / "hte_count.png"
if chart.exists():
    display(Image(filename=str(chart), width=560))
else:
    print(f"{chart} not found: `innosd calibrate --region xingtai` draws the fit charts; `innosd adopt` puts them here")

# %% [markdown]
# ## 4. A new observation, and recalibrating
#
# Suppose a statistical yearbook gives Xingtai's count of firms in the **national** (MOST)
# registry of tech-based SMEs for 2020. The model has that indicator (`tech_sme_national`), but
# the shipped table has no history for it, so the parameter that sets it cannot be learnt
# from the data (the next cell checks which parameters the new row brings into the
# likelihood). The value below is **hypothetical**, for illustration only.
#
# We add it to a copy of the observation table. The table passed to `calibrate` is in model
# units (column `model_value`, as in `region.observations`), so the stated value is converted
# with `to_model_units`.

# %%
value, unit, indicator = 800, "firm", "tech_sme_national"
new = {"obs_id": "example-techsmenat-2020", "indicator": indicator, "year": 2020, "value": value, "unit": unit,
       "model_value": float(to_model_units(value, unit, indicator, "notebook 03")), "measure": "example",
       "kind": "actual", "use": "fit", "source": "hypothetical (notebook 03)", "confidence": "medium"}
table = pd.concat([region.fit_observations(), pd.DataFrame([new])], ignore_index=True)
print(f"{len(table)} observations to fit (was {len(region.fit_observations())}); the file on disk is unchanged")

effects_new = parameter_effects("xingtai", observations=table)
gained = effects_new[(effects.reindex(effects_new.index).fillna(0) == 0) & (effects_new > 0)]
param = gained.index[0] if len(gained) else (effects_new - effects.reindex(effects_new.index).fillna(0)).idxmax()
print(f"parameters that now move a fitted observation: {', '.join(gained.index) or 'none new'}")
print(f"followed below: {param} ({priors[param].units}); shipped posterior: "
      + ("drawn from its prior" if param in prior_only else "in the likelihood"))

# %% [markdown]
# Recalibrate. `quick=True` with few steps keeps this under a minute; it is for trying things
# out, not for publishing (the shipped posterior used the default configuration). `api.calibrate`
# writes nothing, so `calibration/xingtai/` stays untouched, and `holdout=False` skips the
# out-of-sample check.
#
# A quick run's chains are short, so its posterior differs from the shipped one for that
# reason alone. To see what the *observation* changes, we run the same quick configuration
# twice, with and without the new row, and compare the two.

# %%
import warnings

# notices that say nothing about the result: tqdm's when ipywidgets is absent, and emcee's when a
# chain is too short to estimate its autocorrelation (the diagnostics below say so in words)
warnings.filterwarnings("ignore", message="IProgress not found")
warnings.filterwarnings("ignore", category=RuntimeWarning, module="emcee")

shipped_hash = sha256(posterior_path("xingtai"))
quick = dict(quick=True, steps=60, holdout=False)
runs = {"without": api.calibrate("xingtai", **quick),
        "with": api.calibrate("xingtai", observations=table, **quick)}
for k, r in runs.items():
    d = r.diagnostics
    print(f"{k:7s} the new observation: {len(r.fit)} observations, {len(r.calibrated)} parameters calibrated, "
          f"{r.config.walkers} walkers x {r.config.steps} steps, {r.seconds:.0f} s; acceptance "
          f"{d['acceptance_mean']:.2f}, split-R-hat max {d['rhat_max']:.2f}")
print("shipped posterior untouched:", sha256(posterior_path("xingtai")) == shipped_hash)
res = runs["with"]
res.fit[res.fit["obs_id"] == new["obs_id"]][["obs_id", "observed", "model_median", "pred_p05", "pred_p95",
                                             "in_band"]].round(4)

# %% [markdown]
# A run this short usually has a split-R-hat far above 1.1 (printed above): the walkers have
# not mixed, and the full configuration is needed for a posterior to publish. It is still
# enough to see where the new observation pulls the parameter it informs.
#
# How the parameter's distribution moved: its prior, the shipped posterior, and the quick
# posteriors without and with the new observation.

# %%
rows = {"prior": [priors[param].interval(0.9)[0], np.nan, priors[param].interval(0.9)[1], 1.0]}
rows["shipped posterior"] = ident.loc[param, ["post_p05", "post_median", "post_p95", "ratio"]].tolist()
for k, r in runs.items():
    rows[f"quick, {k} the new observation"] = (r.identification.set_index("parameter")
                                               .loc[param, ["post_p05", "post_median", "post_p95", "ratio"]].tolist())
summary = pd.DataFrame(rows, index=["5 %", "median", "95 %", "width / prior width"]).T
after = res.identification.set_index("parameter").loc[param]
print(f"{param}: with the new observation its 90 % interval is {after['ratio']:.0%} of the prior's "
      f"({'informed' if after['informed'] else 'not informed'} by the data)")
display(summary.round(4))

rng = np.random.default_rng(0)
fig, ax = plt.subplots(figsize=(7, 3.2))
bins = np.linspace(priors[param].lo, priors[param].hi, 50)
ax.hist(priors[param].sample(rng, 5000), bins=bins, density=True, color="#cccccc", label="prior")
ax.hist(draws[param], bins=bins, density=True, histtype="step", lw=2, color="#1f77b4", label="shipped posterior")
ax.hist(runs["without"].draws[param], bins=bins, density=True, histtype="step", lw=1.5, ls="--", color="#555555",
        label="quick, without the new observation")
ax.hist(res.draws[param], bins=bins, density=True, alpha=0.6, color="#2ca02c", label="quick, with the new observation")
ax.set_xlabel(f"{param} [{priors[param].units}]")
ax.set_ylabel("density")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# Other parameters' medians shift between the two quick runs as well. Some of that is the new
# observation acting through the model's links, but with chains this short (split-R-hat far
# above 1.1) much of it is sampling noise; only the full configuration can separate the two.
# The shifts, in units of each prior's 90 % width, largest first:

# %%
i0, i1 = (r.identification.set_index("parameter") for r in runs.values())
shift = ((i1["post_median"] - i0["post_median"]) / i0["prior_width"]).rename("median shift")
moved = pd.concat([shift, i0["ratio"].rename("ratio without"), i1["ratio"].rename("ratio with")], axis=1)
moved.reindex(moved["median shift"].abs().sort_values(ascending=False).index).head(6).round(3)

# %% [markdown]
# ## 5. What it changes in the forecast
#
# Forecasts normally draw from `posterior.nc`. To see the effect of a posterior without writing
# it, we pass its draws as `overrides` (one value per run) and compare the targets on the
# national registry: shipped posterior, and the two quick posteriors.

# %%
n = fc.ensemble.sizes["run"]
probability = {"shipped posterior": fc.attainment.set_index("target_id")["probability"]}
for k, r in runs.items():
    sample = r.draws.sample(n, replace=True, random_state=1)
    f = api.forecast("xingtai/baseline", runs=n, seed=1, overrides={c: sample[c].to_numpy() for c in sample.columns})
    probability[f"quick, {k} the new observation"] = f.attainment.set_index("target_id")["probability"]
info = fc.attainment.set_index("target_id")
pd.DataFrame(probability)[info["indicator"] == indicator].join(info[["year", "comparator", "value"]])

# %% [markdown]
# To adopt a real new observation: add its row to `calibration/xingtai/observations.csv` with its
# source, quote and confidence, and run `innosd calibrate --region xingtai` (the full configuration
# takes a few minutes). It writes a new results folder and prints its path; read the
# `fit-report.md` there, then `innosd adopt <folder>` makes it Xingtai's posterior (the one it
# replaces is kept in `calibration/xingtai/previous/`). Commit the posterior with the data. In
# Python: `res = api.calibrate("xingtai")`, `folder = api.write_calibration(res)`, `api.adopt(folder)`.
