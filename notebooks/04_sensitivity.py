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
# # Sensitivity: which levers and which parameters drive the 2025 and 2027 targets
#
# *For analysts and researchers.* Two different questions, two methods:
#
# * **Which levers matter?** A planner can set levers, so we want to know which of them move
#   the targets at all. There are many levers and each run is cheap, so **Morris screening**
#   fits: it moves one lever at a time along random paths through the levers' ranges and
#   reports `mu_star`, the mean absolute effect of a lever's full range on an output (in the
#   output's units), and `sigma`, how much that effect depends on the other levers
#   (interactions, non-linearity).
# * **Which uncertain parameters make the forecast uncertain?** Parameters are not chosen,
#   they are estimated. **Sobol' indices** split the variance of an output across the
#   parameters varied over their priors: `S1` is the share a parameter explains alone, `ST`
#   its share including interactions. A parameter with a large `ST` is where better data
#   would narrow the forecast most.
#
# Both run the whole design in one vectorised ensemble (`api.sensitivity`, the same as
# `innosd sensitivity`: sample the design, evaluate the model at every point, analyze). The
# outputs are, by default, the indicators of the region's targets in 2025 and 2027 and the
# *gaps* of those targets (the target's metric minus its value: positive means met). The
# result holds the indices as a tidy table (`to_df()`) and draws them (`plot()`); it writes
# nothing. We use a modest `n` so the notebook runs in seconds; the warnings say how large `n`
# should be for publishable indices.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from innosd import api


def heat(table: pd.DataFrame, title: str, label: str) -> None:
    """A factors x outputs table as a heat map with the values written in."""
    fig, ax = plt.subplots(figsize=(0.5 * table.shape[1] + 3.5, 0.32 * table.shape[0] + 2.6))
    im = ax.imshow(table.to_numpy(float), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(table.shape[1]), table.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(table.shape[0]), table.index, fontsize=8)
    for (i, j), v in np.ndenumerate(table.to_numpy(float)):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=6.5, color="white" if v > 0.6 else "black")
    fig.colorbar(im, ax=ax, label=label, shrink=0.8)
    ax.set_title(title, fontsize=10)
    plt.show()


def tidy(result, value: str) -> pd.DataFrame:
    """factors x outputs of one index; the gap of a level target (the indicator minus a constant,
    with the indicator's indices) is left out."""
    info = result.outputs
    shown = info.loc[(info["kind"] == "indicator") | ~info["comparator"].isin(["ge", "gt", "le", "lt"]), "output"]
    df = result.to_df()
    df = df[df["output"].isin(shown)].dropna(subset=[value])
    column = np.where(df["output"].str.startswith("gap:"), df["output"],
                      df["output"] + " " + df["year"].astype(int).astype(str))
    return df.assign(column=column).pivot(index="factor", columns="column", values=value)


scenario = "xingtai/baseline"
levers = api.sensitivity(scenario, "morris", factors="levers", years=[2025, 2027], n=68, over_time="hte_count")
print(f"Morris: {len(levers.design.factors)} levers, {levers.n} trajectories, {levers.runs} runs; "
      + ", ".join(f"{k} {v:.1f} s" for k, v in levers.seconds.items()))
for note in levers.notes:
    print("note:", note)
for w in levers.warnings:
    print("warning:", w)

# %% [markdown]
# ## Levers: the screening table
#
# `mu_star` is in each output's own units, so it ranks levers *within* an output. To read all
# outputs at once, each column below is divided by its largest `mu_star`: 1 is the most
# influential lever for that output, 0 a lever with no effect. The gap of a level target (at
# least X in year Y) is the indicator minus a constant, with the same indices, so only the
# indicators and the gaps of growth, multiple and yearly-increase targets are shown. The
# twelve levers with the largest average are drawn; `levers.to_df()` holds them all.

# %%
table = tidy(levers, "mu_star")
relative = table / table.max()
top = relative.mean(axis=1).sort_values(ascending=False).index[:12]
heat(relative.loc[top], "Levers: mu* relative to the most influential lever of each output (Morris)",
     "mu* / largest mu* of the output")

# %%
best = relative.idxmax()
print("the most influential lever for each output:")
for column, lever in best.items():
    print(f"  {column:42s} {lever}")

# %% [markdown]
# The bars for one output, high-tech enterprises in 2025: `mu_star` with its bootstrap
# confidence interval, and `sigma`. A `sigma` as large as `mu_star` means the lever's effect
# depends strongly on where the other levers are set.

# %%
levers.plot("hte_count", 2025)

# %% [markdown]
# ## Parameters: Sobol' indices
#
# Now the uncertain parameters, varied over their priors, with the levers held at the
# baseline's values. (The priors, not the posterior: this asks which parameters the model's
# forecasts are most sensitive to before the history is taken into account; notebook 03 shows
# which of them the history pins down.)

# %%
params = api.sensitivity(scenario, "sobol", factors="params", years=[2025, 2027], n=512, second_order=False,
                         over_time="hte_count")
print(f"Sobol': {len(params.design.factors)} parameters, N={params.n}, {params.runs} runs; "
      + ", ".join(f"{k} {v:.1f} s" for k, v in params.seconds.items()))
for w in params.warnings:
    print("warning:", w[:300] + ("..." if len(w) > 300 else ""))

# %% [markdown]
# Total indices `ST` per parameter (rows) and output (columns), for the twelve parameters with
# the largest total effect on any output. A column's total indices add up to about 1, or more
# when parameters interact.

# %%
st = tidy(params, "ST")
heat(st.loc[st.max(axis=1).sort_values(ascending=False).index[:12]],
     "Parameters: total Sobol' index ST (share of the output's variance)", "ST")
print("sum of ST per output:", ", ".join(f"{c}: {v:.2f}" for c, v in st.sum().items()))

# %%
lead = st.idxmax()
print("the parameter with the largest total index for each output:")
for column, p in lead.items():
    print(f"  {column:42s} {p} (ST {st.loc[p, column]:.2f})")

# %%
params.plot("hte_count", 2025)

# %% [markdown]
# ## Indices over time
#
# The same indices for one indicator in every year show when a factor starts to matter and
# when it stops. For levers, nothing varies before the sampled values start (the analysis
# holds the scenario's own schedule until then), which is why the warnings list the early
# years as "does not vary".

# %%
ot = params.over_time.dropna(subset=["ST"])
leader = ot.loc[ot.groupby("year")["ST"].idxmax(), ["year", "factor", "ST"]].set_index("year")
changes = leader[leader["factor"] != leader["factor"].shift()]
print(f"largest total index on {params.over_time_indicator}, year by year (first year of each leader):")
print(changes.round(2).to_string())
params.plot(over_time=True)

# %%
levers.plot(over_time=True)

# %% [markdown]
# ## Saving the analysis
#
# `api.write_sensitivity` writes what `innosd sensitivity` writes: `indices.csv`,
# `indices_over_time.csv`, `factors.csv`, `outputs.csv`, `warnings.txt`, bar charts and a
# `manifest.json`, to a new folder. Here into a temporary folder, without the charts (drawing
# one per output and year takes a while), then removed.

# %%
import shutil
import tempfile
from pathlib import Path

tmp = Path(tempfile.mkdtemp(prefix="innosd-nb04-"))
folder = api.write_sensitivity(params, out=tmp / "sobol", charts=False)
print(sorted(p.name for p in folder.iterdir()))
shutil.rmtree(tmp)

# %% [markdown]
# For publication, use the sizes the warnings recommend, e.g.
#
# ```bash
# innosd sensitivity xingtai/baseline --method sobol --factors params --n 2048
# innosd sensitivity xingtai/baseline --method morris --factors levers --n 68
# ```
