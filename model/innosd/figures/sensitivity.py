"""Charts of sensitivity indices, from the tidy tables of
:class:`innosd.analysis.sensitivity.SensitivityResult`: bars per factor for one output, and
one indicator's indices over the years.  They return figures and write nothing."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .charts import new_figure

MAX_BAR_FACTORS = 20          # bars per chart (the largest total effects)
MAX_LINE_FACTORS = 8          # lines in the over-time chart


def bar_chart(indices: pd.DataFrame, method: str, title: str):
    """S1 and ST (or mu* and sigma) per factor, with confidence intervals, largest first.
    ``indices``: the rows of one output and year of the tidy indices table."""
    g = indices
    if len(g) > MAX_BAR_FACTORS:
        title = f"{title} (largest {MAX_BAR_FACTORS} of {len(g)} factors)"
    if method == "sobol":
        g = g.sort_values("ST", ascending=False, na_position="last").head(MAX_BAR_FACTORS)
        a, b, ea, eb, la, lb = g["S1"], g["ST"], g["S1_conf"], g["ST_conf"], "first order (S1)", "total (ST)"
    else:
        g = g.sort_values("mu_star", ascending=False, na_position="last").head(MAX_BAR_FACTORS)
        a, b, ea, eb, la, lb = g["mu_star"], g["sigma"], g["mu_star_conf"], None, "mu*", "sigma"
    k = len(g)
    height = 1.3 + 0.3 * k
    fig = new_figure((7.0, height), layout=None)
    # fixed margins (a layout engine would draw the figure once more just to measure it)
    label = max((len(str(f)) for f in g["factor"]), default=10)
    fig.subplots_adjust(left=min(0.5, 0.03 + 0.0085 * label), right=0.97, top=1 - 0.45 / height,
                        bottom=0.6 / height)
    ax = fig.add_subplot()
    y = np.arange(k)[::-1]
    h = 0.38
    ax.barh(y + h / 2, a, h, xerr=ea, color="#4C72B0", label=la, error_kw={"elinewidth": 0.8, "capsize": 2})
    ax.barh(y - h / 2, b, h, xerr=eb, color="#DD8452", label=lb, error_kw={"elinewidth": 0.8, "capsize": 2})
    ax.set_yticks(y, list(g["factor"]), fontsize=8)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("Sobol' index (share of output variance)" if method == "sobol" else
                  "mean |elementary effect| (output units per factor range)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def over_time_chart(indices: pd.DataFrame, method: str, indicator: str):
    """S1 and ST (or mu* and sigma) of one indicator in every year, for the factors with the
    largest effect in any year."""
    key = "ST" if method == "sobol" else "mu_star"
    top = indices.groupby("factor")[key].max().sort_values(ascending=False).index[:MAX_LINE_FACTORS]
    panels = [("S1", "first order (S1)"), ("ST", "total (ST)")] if method == "sobol" else \
        [("mu_star", "mu*"), ("sigma", "sigma")]
    fig = new_figure((11.0, 4.8), layout=None)
    fig.subplots_adjust(left=0.06, right=0.98, top=0.92, bottom=0.24, wspace=0.18)
    axes = [fig.add_subplot(1, 2, i + 1) for i in range(2)]
    for ax, (col, label) in zip(axes, panels):
        for f in top:
            g = indices[indices["factor"] == f]
            ax.plot(g["year"], g[col], marker="o", ms=3, lw=1.2, label=f)
            if f"{col}_conf" in g:
                ax.fill_between(g["year"].astype(float), g[col] - g[f"{col}_conf"], g[col] + g[f"{col}_conf"],
                                alpha=0.12)
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(f"{label}: {indicator}", fontsize=10)
        ax.set_xlabel("year")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    return fig
