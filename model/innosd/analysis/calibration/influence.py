"""Influence of each observation on the target probabilities: leave it out by Pareto-smoothed
importance re-weighting of the posterior sample (PSIS; Vehtari, Gelman & Gabry 2017, as in
ArviZ's ``psislw``), with no refit.

Leaving observation *i* out re-weights each posterior draw *s* by ``1 / p(y_i | theta_s)``; PSIS
smooths the largest weights with a fitted generalised Pareto tail.  The tail's shape k-hat says
whether the estimate can be trusted: above :data:`K_HAT_RELIABLE` (0.7) the observation is so
influential that only a refit without it gives the answer (the row says so).

A target's probability without *i* is the weighted share of runs (one run per posterior draw,
same order) that meet it.  An observation *decides* a verdict when leaving it out moves the
probability across 0.5 or by more than :data:`DECISIVE_CHANGE`.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ...core.equations import ModelError

#: k-hat above which PSIS is unreliable (Vehtari et al. 2017/2024: 0.7).
K_HAT_RELIABLE = 0.7
#: A probability change larger than this (absolute) decides a verdict, as does crossing 0.5.
DECISIVE_CHANGE = 0.2


def psis_log_weights(log_ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pareto-smoothed, normalised log-weights and k-hat; ``log_ratios`` (observations, draws)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # arviz's FutureWarning on import, and its k-hat warnings
        import arviz as az
        lw, k = az.psislw(np.asarray(log_ratios, float))
    return np.asarray(lw, float), np.atleast_1d(np.asarray(k, float))


def leave_one_out(pointwise: pd.DataFrame, met: pd.DataFrame) -> pd.DataFrame:
    """Each observation's effect on each target's probability.

    ``pointwise``: log-likelihood per draw (rows) and observation (columns, obs_id);
    ``met``: per draw (same rows) and target (columns, target_id), 1 if met, 0 if not
    (NaN: no metric in that run).  Returns one row per observation and target: the probability
    with all data, without the observation, the change, k-hat, and whether it decides the verdict."""
    if len(pointwise) != len(met):
        raise ModelError(f"influence: {len(pointwise)} draws of the likelihood but {len(met)} runs of targets")
    ll = pointwise.to_numpy(float)
    ll = np.where(np.isfinite(ll), ll, np.nan)
    n = ll.shape[0]
    flat = np.nanmax(ll, axis=0) - np.nanmin(ll, axis=0) < 1e-12   # no draw fits it better than another
    lw, k = np.full(ll.T.shape, -np.log(n)), np.zeros(ll.shape[1])
    if (~flat).any():
        lw[~flat], k[~flat] = psis_log_weights(-ll[:, ~flat].T)      # leave-one-out ratio: 1 / p(y_i | theta)
    w = np.exp(lw)                              # (observations, draws), each row sums to 1
    m = met.to_numpy(float)
    ok = np.isfinite(m)
    p_all = np.nanmean(m, axis=0)
    p_loo = (w @ np.where(ok, m, 0.0)) / np.maximum(w @ ok.astype(float), 1e-300)
    rows = []
    for i, obs_id in enumerate(pointwise.columns):
        for j, tid in enumerate(met.columns):
            a, b = float(p_all[j]), float(p_loo[i, j])
            rows.append({"obs_id": obs_id, "target_id": tid, "probability": a, "probability_without": b,
                         "change": b - a, "k_hat": float(k[i]), "reliable": bool(k[i] <= K_HAT_RELIABLE),
                         "decides": bool((a >= 0.5) != (b >= 0.5) or abs(b - a) > DECISIVE_CHANGE)})
    return pd.DataFrame(rows)


def target_outcomes(ds, targets: pd.DataFrame) -> pd.DataFrame:
    """Per run and modelled target (columns target_id): 1 if met, 0 if not, NaN if no metric."""
    from ...inputs.targets import is_set_by_policy
    from ..attainment import meets, metric
    att_cols = {}
    times = set(float(t) for t in ds["time"].values)
    for _, t in targets.iterrows():
        if is_set_by_policy(t) or t["indicator"] not in ds or not np.isfinite(t["model_value"]) \
                or float(t["year"]) not in times:
            continue
        try:
            vals = metric(ds, t)
        except (KeyError, ValueError):
            continue
        att_cols[t["target_id"]] = np.where(np.isfinite(vals), meets(vals, t).astype(float), np.nan)
    return pd.DataFrame(att_cols)


def influence(result, scenario=None, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`leave_one_out` for a region's calibration: the targets of its region under
    ``scenario`` (default: the region's baseline), one run per posterior draw of ``result``."""
    from ...inputs.region import load_region
    from ...inputs.scenario import as_scenario
    from ...runs.ensemble import simulate
    if result.pointwise is None or result.region is None:
        raise ModelError("influence needs a region's calibration with its pointwise log-likelihood")
    reg = load_region(result.region)
    sc = as_scenario(scenario or f"{reg.key}/baseline")
    targets = reg.targets if targets is None else targets
    draws = result.draws
    set_by_scenario = set(sc.inputs())
    overrides = {n: draws[n].to_numpy(float) for n in draws.columns if n not in set_by_scenario}
    wanted = sorted(set(targets["indicator"]))
    ds = simulate(sc, runs=len(draws), overrides=overrides, outputs=[w for w in wanted if w in _outputs()])
    return leave_one_out(result.pointwise, target_outcomes(ds, targets))


def _outputs() -> set[str]:
    from ...sectors import compiled_model
    return set(compiled_model().recorded)
