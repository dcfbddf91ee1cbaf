"""Diagnostics of a posterior sample and of its fit: convergence (split-R-hat), posterior
predictive bands, MAPE on the Lewis scale, Theil's decomposition, prior-vs-posterior widths,
and an out-of-sample check against statsmodels baselines.

Every function here works on arrays and tables (model values at the observations, draws);
none runs a model.
"""
from __future__ import annotations

import math
import warnings
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .likelihood import ErrorModel

#: A posterior 90 % interval narrower than this fraction of the prior's marks a parameter
#: as informed by the data.
INFORMED_RATIO = 0.5
#: Lewis (1982) MAPE scale.
LEWIS_SCALE = ((10.0, "highly accurate"), (20.0, "good"), (50.0, "reasonable"), (math.inf, "inaccurate"))
#: The predictive band's quantiles.
BAND = (0.05, 0.95)
#: Points a series needs before the hold-out year for a baseline forecast.
BASELINE_MIN_YEARS = 3


def lewis_label(mape: float) -> str:
    if not np.isfinite(mape):
        return "n/a"
    for limit, label in LEWIS_SCALE:
        if mape < limit:
            return label
    return LEWIS_SCALE[-1][1]


def split_rhat(chain: np.ndarray) -> np.ndarray:
    """Split-R-hat per parameter; ``chain`` has shape (steps, walkers, d), walkers as chains."""
    n = chain.shape[0] // 2
    if n < 2:
        return np.full(chain.shape[2], np.nan)
    parts = np.concatenate([chain[:n], chain[n:2 * n]], axis=1)  # (n, 2W, d)
    means = parts.mean(axis=0)
    w = parts.var(axis=0, ddof=1).mean(axis=0)
    b = n * means.var(axis=0, ddof=1)
    var_plus = (n - 1) / n * w + b / n
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.sqrt(var_plus / w)
    return np.where(w > 0, r, 1.0)


def theil(sim: np.ndarray, act: np.ndarray) -> dict:
    """Theil's inequality U and its decomposition (Sterman 1984): bias U^M, unequal variation
    U^S, unequal covariation U^C (they sum to 1)."""
    sim, act = np.asarray(sim, float), np.asarray(act, float)
    mse = float(np.mean((sim - act) ** 2))
    if len(sim) < 2 or mse <= 0:
        return {"U": np.nan, "UM": np.nan, "US": np.nan, "UC": np.nan}
    ss, sa = sim.std(), act.std()
    r = float(np.corrcoef(sim, act)[0, 1]) if ss > 0 and sa > 0 else 0.0
    um = (sim.mean() - act.mean()) ** 2 / mse
    us = (ss - sa) ** 2 / mse
    uc = 2 * (1 - r) * ss * sa / mse
    u = math.sqrt(mse) / (math.sqrt(np.mean(sim ** 2)) + math.sqrt(np.mean(act ** 2)))
    return {"U": u, "UM": um, "US": us, "UC": uc}


def fit_statistics(errors: ErrorModel, pred_draws: np.ndarray, rng: np.random.Generator
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per observation (band, in-band, error) and per series (MAPE, Theil) from model draws
    ``pred_draws`` (runs, observations)."""
    noisy = errors.sample(pred_draws, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = np.nanquantile(noisy, [BAND[0], 0.5, BAND[1]], axis=0)
        med_model = np.nanmedian(pred_draws, axis=0)
        mq = np.nanquantile(pred_draws, [BAND[0], BAND[1]], axis=0)
    t = errors.table
    fit = pd.DataFrame({
        "obs_id": t["obs_id"], "indicator": t["indicator"], "measure": t["measure"], "year": t["year"],
        "confidence": t["confidence"], "kind": t["kind"], "observed": errors.y, "model_median": med_model,
        "model_p05": mq[0], "model_p95": mq[1], "pred_p05": q[0], "pred_median": q[1], "pred_p95": q[2],
        "error": t["error"], "sigma": t["sigma_total"], "discrepancy": t["discrepancy"]})
    fit["in_band"] = (fit["observed"] >= fit["pred_p05"]) & (fit["observed"] <= fit["pred_p95"])
    with np.errstate(divide="ignore", invalid="ignore"):
        fit["pct_error"] = np.where(fit["observed"] != 0,
                                    100 * (fit["model_median"] - fit["observed"]) / np.abs(fit["observed"]), np.nan)
    rows = []
    for ind, g in fit.groupby("indicator", sort=True):
        nz = g[g["observed"] != 0]
        mape = float(np.mean(np.abs(nz["pct_error"]))) if len(nz) else np.nan
        th = theil(g["model_median"].to_numpy(), g["observed"].to_numpy())
        n, years = len(g), g["year"].nunique()
        if n < 2:
            note = "one point: Theil's decomposition does not apply"
        elif years < 3 or n < 4:
            note = (f"{n} points in {years} year(s): the decomposition is reported but means little "
                    "(with two distinct years the correlation is +1 or -1 by construction)")
        else:
            note = ""
        rows.append({"indicator": ind, "points": n, "years": years, "MAPE_pct": mape, "lewis": lewis_label(mape),
                     "MAE": float(np.mean(np.abs(g["model_median"] - g["observed"]))),
                     "in_band": int(g["in_band"].sum()), **th, "theil_note": note})
    return fit, pd.DataFrame(rows)


def predictive_bands(errors: ErrorModel, trajectories: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Per indicator and year of the window: model and predictive (model + observation error)
    quantiles, from ``trajectories`` (runs, indicators, years) as :meth:`Problem.trajectories`."""
    t = errors.table
    years = np.arange(errors.start, errors.stop + 1)
    rows = []
    for k, ind in enumerate(errors.indicators):
        g = t[t["indicator"] == ind]
        logs = g[g["error"] == "log-normal"]
        model = trajectories[:, k, :]
        if len(logs):
            s = float(logs["sigma_total"].median())
            noisy = model * np.exp(s * errors.noise(model.shape, rng))
        else:
            s = float(g["sd_model_units"].median())
            noisy = model + s * errors.noise(model.shape, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mq = np.nanquantile(model, [BAND[0], 0.5, BAND[1]], axis=0)
            pq = np.nanquantile(noisy, [BAND[0], BAND[1]], axis=0)
        for j, y in enumerate(years):
            rows.append({"indicator": ind, "year": int(y), "model_p05": mq[0, j], "model_median": mq[1, j],
                         "model_p95": mq[2, j], "pred_p05": pq[0, j], "pred_p95": pq[1, j]})
    return pd.DataFrame(rows)


def identification_table(draws: pd.DataFrame, priors: Mapping, calibrated: Sequence[str],
                         prior_only: Sequence[str], mode_x: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per parameter: prior and posterior 90 % intervals, their width ratio, whether the data
    inform it (ratio < :data:`INFORMED_RATIO`) and whether it is pressed against a prior bound."""
    rows = []
    for name in list(calibrated) + list(prior_only):
        p = priors[name]
        lo, hi = p.interval(0.9)
        v = draws[name].to_numpy()
        plo, phi = np.quantile(v, [0.05, 0.95])
        pw, qw = hi - lo, phi - plo
        ratio = qw / pw if pw > 0 else np.nan
        rows.append({"parameter": name, "units": p.units, "prior": p.distribution,
                     "prior_p05": lo, "prior_p95": hi, "prior_width": pw,
                     "post_median": float(np.median(v)), "post_p05": plo, "post_p95": phi, "post_width": qw,
                     "ratio": ratio, "mode": (mode_x or {}).get(name, np.nan),
                     "at_bound": ("upper" if plo >= p.hi - 0.1 * (p.hi - p.lo) else
                                  "lower" if phi <= p.lo + 0.1 * (p.hi - p.lo) else ""),
                     "in_likelihood": name in calibrated,
                     "informed": bool(name in calibrated and np.isfinite(ratio) and ratio < INFORMED_RATIO)})
    return pd.DataFrame(rows)


# --- out of sample -----------------------------------------------------------------------------

def baseline_forecasts(years: Sequence[int], values: Sequence[float], target_year: int) -> dict:
    """Log-linear trend (OLS) and exponential smoothing forecasts of ``target_year``.

    Needs at least 3 positive points; returns {} otherwise.  ETS needs consecutive years.
    """
    import statsmodels.api as sm
    yrs, vals = np.asarray(years, float), np.asarray(values, float)
    ok = vals > 0
    yrs, vals = yrs[ok], vals[ok]
    out = {}
    if len(np.unique(yrs)) < BASELINE_MIN_YEARS:
        return out
    # one value per year (average conflicting values in log space)
    df = pd.DataFrame({"y": yrs, "v": np.log(vals)}).groupby("y")["v"].mean()
    X = sm.add_constant(df.index.to_numpy(float) - df.index[0])
    ols = sm.OLS(df.to_numpy(), X).fit()
    out["log-linear trend (OLS)"] = float(np.exp(ols.params[0] + ols.params[1] * (target_year - df.index[0])))
    idx = df.index.to_numpy(int)
    if np.all(np.diff(idx) == 1):
        from statsmodels.tsa.holtwinters import ExponentialSmoothing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ets = ExponentialSmoothing(df.to_numpy(), trend="add", initialization_method="estimated").fit()
            h = int(target_year - idx[-1])
            out["Holt exponential smoothing (log)"] = float(np.exp(ets.forecast(h)[-1]))
    return out


def holdout_check(errors: ErrorModel, pred: np.ndarray, before: pd.DataFrame, target: int,
                  rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The forecast of year ``target`` from a fit to earlier data, against its observations.

    ``errors`` holds every observation of the window, ``pred`` the model values there (runs,
    observations) from the posterior fitted to ``before`` (the observations before ``target``).
    Returns one row per ``target`` observation (forecast band, error, in band) and the same
    observations against the baselines fitted to ``before`` (:func:`baseline_forecasts`)."""
    noisy = errors.sample(pred, rng)
    sel = (errors.table["year"] == target).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = np.nanquantile(noisy[:, sel], [BAND[0], 0.5, BAND[1]], axis=0)
        med = np.nanmedian(pred[:, sel], axis=0)
    t = errors.table[sel].reset_index(drop=True)
    ho = pd.DataFrame({"obs_id": t["obs_id"], "indicator": t["indicator"], "year": t["year"],
                       "observed": t["model_value"], "forecast_median": med, "pred_p05": q[0], "pred_p95": q[2]})
    with np.errstate(divide="ignore", invalid="ignore"):
        ho["pct_error"] = np.where(ho["observed"] != 0, 100 * (ho["forecast_median"] - ho["observed"])
                                   / np.abs(ho["observed"]), np.nan)
    ho["in_band"] = (ho["observed"] >= ho["pred_p05"]) & (ho["observed"] <= ho["pred_p95"])
    # baselines on the same points before the target year
    rows = []
    for ind, g in ho.groupby("indicator", sort=True):
        pts = before[before["indicator"] == ind]
        n_years = pts["year"].nunique()
        fc = baseline_forecasts(pts["year"].astype(int), pts["model_value"].astype(float), target) \
            if n_years >= BASELINE_MIN_YEARS else {}
        for _, r in g.iterrows():
            row = {"indicator": ind, "obs_id": r["obs_id"], "points_before": len(pts),
                   "years_before": int(n_years), "observed": r["observed"], "model": r["forecast_median"],
                   "model_abs_error": abs(r["forecast_median"] - r["observed"])}
            if not fc:
                row["note"] = (f"too few points for a baseline ({n_years} year(s) before {target}; "
                               f"{BASELINE_MIN_YEARS} needed)")
            else:
                errs = {"innosd model": row["model_abs_error"]}
                for k, v in fc.items():
                    row[k] = v
                    errs[k] = abs(v - r["observed"])
                row["best"] = min(errs, key=errs.get)
                row["note"] = ""
            rows.append(row)
    return ho, pd.DataFrame(rows)
