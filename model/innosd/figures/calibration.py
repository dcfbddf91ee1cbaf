"""Charts of a calibration's fit: each fitted series against its posterior bands, and what the
history tells about each parameter. Drawn from the result's tidy tables; never saved here."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .charts import new_figure

_MARKERS = ("o", "s", "^", "D", "v", "P")
_MEASURE_COLORS = ("#d62728", "#ff7f0e", "#2ca02c")


def fit_chart(bands: pd.DataFrame, observed: pd.DataFrame, title: str) -> Figure:
    """One indicator over the calibration window: the posterior median, the model's 5-95 % band
    (parameter uncertainty), the wider posterior predictive band (with observation error), and
    the data, one marker per measure.

    ``bands``: rows of year, model_p05, model_median, model_p95, pred_p05, pred_p95;
    ``observed``: rows of year, observed, measure."""
    fig = new_figure((6.4, 3.8))
    ax = fig.add_subplot()
    ax.fill_between(bands["year"], bands["pred_p05"], bands["pred_p95"], color="#9ecae1", alpha=0.6,
                    label="posterior predictive 5-95 % (with observation error)")
    ax.fill_between(bands["year"], bands["model_p05"], bands["model_p95"], color="#3182bd", alpha=0.35,
                    label="model 5-95 % (parameter uncertainty only)")
    ax.plot(bands["year"], bands["model_median"], color="#08519c", lw=2, label="posterior median")
    for k, (measure, g) in enumerate(observed.groupby("measure", sort=True)):
        ax.scatter(g["year"], g["observed"], marker=_MARKERS[k % len(_MARKERS)], s=45, zorder=5,
                   color=_MEASURE_COLORS[min(k, len(_MEASURE_COLORS) - 1)], edgecolor="black",
                   label=f"observed ({measure or 'n/a'})")
    ax.set_title(title)
    ax.set_xlabel("year")
    ax.set_xticks(bands["year"])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    return fig


def identification_chart(identification: pd.DataFrame, informed_ratio: float) -> Figure:
    """Posterior/prior 90 % width ratio per parameter, coloured by whether the data inform it
    (ratio below ``informed_ratio``), it is in the likelihood, or it keeps its prior."""
    ident = identification.sort_values("ratio")
    fig = new_figure((6.4, max(2.5, 0.28 * len(ident) + 1)))
    ax = fig.add_subplot()
    colors = ["#2ca02c" if informed else ("#1f77b4" if in_likelihood else "#7f7f7f")
              for informed, in_likelihood in zip(ident["informed"], ident["in_likelihood"])]
    ax.barh(ident["parameter"], ident["ratio"], color=colors)
    line = ax.axvline(informed_ratio, color="red", ls="--", lw=1, label=f"informed if < {informed_ratio}")
    ax.set_xlabel("posterior 90 % width / prior 90 % width")
    handles = [Patch(color="#2ca02c", label="informed by the data"),
               Patch(color="#1f77b4", label="in the likelihood, not informed"),
               Patch(color="#7f7f7f", label="cannot move a fitted output (prior)")]
    ax.legend(handles=handles + [line], fontsize=7, loc="lower right")
    ax.set_title("What the history tells about each parameter")
    ax.grid(alpha=0.3, axis="x")
    return fig
