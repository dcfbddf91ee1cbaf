"""Where a target's uncertainty comes from: its metric's variance over the ensemble split into
the part the parameter draws explain and the rest, and the parameter that decides it.

By the law of total variance, Var(Y) = Var(E[Y | parameters]) + E[Var(Y | parameters)].  Runs
of one scenario share its levers, so the scenario contributes nothing within a forecast (compare
scenarios with ``innosd compare``).  E[Y | parameters] is estimated by least squares on the
parameters' ranks and the squares of the most influential (:func:`variance_split`; with fewer
runs than 3 per coefficient, only the most correlated parameters), with the adjusted R^2 as the
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

#: Fewer runs than this leave the split unestimated.
MIN_RUNS = 50
#: Parameters (the most correlated) whose squared rank also enters the regression.
QUADRATIC = 15


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
    R = np.column_stack([_ranks(np.asarray(params[k], float)) for k in names]) if names and n else np.zeros((n, 0))
    for tid, y in metrics.items():
        y = np.asarray(y, float)
        ok = np.isfinite(y)
        row = {"target_id": tid, "variance": float(np.var(y[ok])) if ok.any() else np.nan,
               "share_parameters": np.nan, "share_residual": np.nan, "share_scenario": 0.0,
               "deciding_parameter": "", "deciding_rank_corr2": np.nan, "deciding_is_assumption": False}
        m = int(ok.sum())
        if not names or m < MIN_RUNS or not row["variance"] > 0:
            rows.append(row)
            continue
        Ro, yo = R[ok], y[ok]
        ry = _ranks(yo)
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = (Ro * ry[:, None]).sum(axis=0) / np.sqrt((Ro ** 2).sum(axis=0) * (ry ** 2).sum())
        c2 = np.nan_to_num(corr ** 2, nan=0.0)
        # regressors: every parameter's rank, and the squares of the QUADRATIC most correlated ones,
        # as many as the runs support (3 runs per coefficient); fewer runs: the top ranks only
        order = np.argsort(-c2)
        lin = order if m >= 3 * (len(names) + 1) + 10 else order[:max(1, (m - 10) // 3 - 1)]
        quad = order[:max(0, min(QUADRATIC, ((m - 10) // 3 - 1 - len(lin))))]
        X = np.column_stack([np.ones(m), Ro[:, lin], Ro[:, quad] ** 2 - (Ro[:, quad] ** 2).mean(axis=0)])
        k = X.shape[1]
        beta, *_ = np.linalg.lstsq(X, yo, rcond=None)
        ss_res = float(np.sum((yo - X @ beta) ** 2))
        ss_tot = float(np.sum((yo - yo.mean()) ** 2))
        share = float(np.clip(1 - (ss_res / (m - k)) / (ss_tot / (m - 1)), 0.0, 1.0))   # adjusted R^2
        row.update(share_parameters=share, share_residual=1 - share)
        if c2.max() > 0:
            j = int(order[0])
            src = str(getattr((priors or {}).get(names[j]), "source", "") or "")
            row.update(deciding_parameter=names[j], deciding_rank_corr2=float(c2[j]),
                       deciding_is_assumption=src.strip().lower().startswith("assumption"))
        rows.append(row)
    return pd.DataFrame(rows)
