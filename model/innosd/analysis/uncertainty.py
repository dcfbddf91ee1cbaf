"""Where a target's uncertainty comes from: its metric's variance over the ensemble split into
the part the parameter draws explain and the rest, and the parameter that decides it.

By the law of total variance, Var(Y) = Var(E[Y | parameters]) + E[Var(Y | parameters)].  Runs
of one scenario share its levers, so the scenario contributes nothing within a forecast (compare
scenarios with ``innosd compare``).  E[Y | parameters] is estimated by least squares on the
parameters' ranks and their squares (:func:`variance_split`), with the adjusted R^2 as the
parameters' share; the residual is the model's own error (process noise, where the model has it)
plus what a main-effects fit misses (interactions).

The *deciding* parameter is the one whose draws are most correlated with the metric (squared
Spearman correlation).  When its prior's source in ``calibration/priors.csv`` starts with
"assumption", the verdict rests on an unsourced assumption, and the row says so.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats

#: Fewer runs than this (or than 3 x regressors + 10) leave the split unestimated.
MIN_RUNS = 50


def _ranks(x: np.ndarray) -> np.ndarray:
    r = stats.rankdata(x) / len(x) - 0.5
    return r - r.mean()


def variance_split(metrics: Mapping[str, np.ndarray], params: Mapping[str, np.ndarray],
                   priors: Mapping | None = None) -> pd.DataFrame:
    """One row per target (``metrics``: target_id -> metric per run; ``params``: parameter ->
    value per run, same runs): variance, the parameters' share, the residual's share, the
    deciding parameter, its squared rank correlation and whether its prior is an assumption."""
    names = [n for n, v in params.items() if np.ptp(np.asarray(v, float)) > 0]
    rows = []
    n = len(next(iter(metrics.values()))) if metrics else 0
    if names and n:
        R = np.column_stack([_ranks(np.asarray(params[k], float)) for k in names])
        X = np.column_stack([np.ones(n), R, R ** 2 - (R ** 2).mean(axis=0)])
    for tid, y in metrics.items():
        y = np.asarray(y, float)
        ok = np.isfinite(y)
        row = {"target_id": tid, "variance": float(np.var(y[ok])) if ok.any() else np.nan,
               "share_parameters": np.nan, "share_residual": np.nan, "share_scenario": 0.0,
               "deciding_parameter": "", "deciding_rank_corr2": np.nan, "deciding_is_assumption": False}
        k = X.shape[1] if names and n else 0
        if not names or ok.sum() < max(MIN_RUNS, 3 * k + 10) or not row["variance"] > 0:
            rows.append(row)
            continue
        Xo, yo = X[ok], y[ok]
        beta, *_ = np.linalg.lstsq(Xo, yo, rcond=None)
        ss_res = float(np.sum((yo - Xo @ beta) ** 2))
        ss_tot = float(np.sum((yo - yo.mean()) ** 2))
        m = len(yo)
        r2_adj = 1 - (ss_res / (m - k)) / (ss_tot / (m - 1))
        share = float(np.clip(r2_adj, 0.0, 1.0))
        ry = _ranks(yo)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = (R[ok] * ry[:, None]).sum(axis=0) / np.sqrt((R[ok] ** 2).sum(axis=0) * (ry ** 2).sum())
        if not np.isfinite(corr).any():   # the metric's ranks are all tied: nothing decides it
            row.update(share_parameters=share, share_residual=1 - share)
            rows.append(row)
            continue
        j = int(np.nanargmax(corr ** 2))
        src = str(getattr((priors or {}).get(names[j]), "source", "") or "")
        row.update(share_parameters=share, share_residual=1 - share, deciding_parameter=names[j],
                   deciding_rank_corr2=float(corr[j] ** 2),
                   deciding_is_assumption=src.strip().lower().startswith("assumption"))
        rows.append(row)
    return pd.DataFrame(rows)
