"""Backtest: does calibration earn its keep?  Fit on the history up to a cut year, forecast the
later observations (to the end of the history), and score the forecast against naive ones.

Forecasters, all on the same held-out points:

* **posterior**: the model with its parameters calibrated to the observations up to ``until``
  (:func:`innosd.analysis.calibration.calibrate` with that subset); predictive bands include
  the observation error (the likelihood's Student-t);
* **prior**: the same model with every uncertain parameter drawn from its prior (no data);
* **log-linear trend**: per indicator, a least-squares line through the log of the same
  training observations (at least :data:`TREND_MIN_YEARS` distinct years), extrapolated; where
  they have fewer years, the region's context observations up to ``until`` (history before the
  model's start, e.g. Xingtai's HTE count of 2012) are added, and the point says so;
* **plan target**: the plan's own figure for that indicator and year (``calibration/targets.csv``,
  comparators ge/gt/le/lt), where one exists -- what the planners expected.

Scores: coverage of the 50 % and 90 % predictive bands (model forecasters only) and the median
|log error| of the median forecast (positive levels only: a growth rate has no log error; it
counts in the coverage).  Held-out points that no uncertain parameter moves (exogenous inputs,
constants set from that very figure) are flagged ``fixed_by_inputs`` and left out of the scores.
Writes nothing (:func:`innosd.outputs.backtest.write_backtest` does).
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.equations import ModelError
from ..inputs.targets import load_targets
from ..sectors import compiled_model
from .calibration import DEFAULT_SEED, ErrorModel, Problem, calibrate, region_inputs

#: The last year of history a backtest forecasts (the data end in 2020).
LAST_YEAR = 2020
#: Distinct years a trend needs (two points define a log-linear trend; it is the naive forecaster).
TREND_MIN_YEARS = 2
#: Draws of the prior and of the posterior forecasts.
DRAWS = 400
#: Quantiles of the 50 % and 90 % predictive bands.
BANDS = {"50": (0.25, 0.75), "90": (0.05, 0.95)}
FORECASTERS = ("posterior", "prior", "log-linear trend", "plan target")


@dataclass
class BacktestResult:
    region: str
    until: int
    points: pd.DataFrame           # one row per held-out observation: observed, each forecaster's median and bands
    summary: pd.DataFrame          # one row per forecaster: points, coverage 50/90, median |log error|
    training: int                  # observations fitted
    calibrated: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    settings: dict = field(default_factory=dict)
    inputs: dict = field(default_factory=dict)     # files read (label -> path)
    seconds: float = 0.0

    @property
    def posterior_worse_than_prior(self) -> bool:
        s = self.summary.set_index("forecaster")
        a, b = s.loc["posterior", "median_abs_log_error"], s.loc["prior", "median_abs_log_error"]
        return bool(np.isfinite(a) and np.isfinite(b) and a > b)


def _trend(train: pd.DataFrame, context: pd.DataFrame, indicator: str, year: int) -> tuple[float, str]:
    """The log-linear trend's forecast of ``indicator`` in ``year``, and what it was fitted to."""
    g = train[(train["indicator"] == indicator) & (train["model_value"] > 0)]
    basis = "fitted observations"
    if g["year"].nunique() < TREND_MIN_YEARS:
        g = pd.concat([g, context[(context["indicator"] == indicator) & (context["model_value"] > 0)]])
        basis = "fitted + context observations"
    if g["year"].nunique() < TREND_MIN_YEARS:
        return np.nan, f"fewer than {TREND_MIN_YEARS} years of data"
    basis += f" of {', '.join(str(y) for y in sorted(g['year'].astype(int).unique()))}"
    per_year = np.log(g["model_value"].astype(float)).groupby(g["year"].astype(int)).mean()
    slope, icpt = np.polyfit(per_year.index.to_numpy(float), per_year.to_numpy(), 1)
    return float(np.exp(icpt + slope * year)), basis


def _plan(targets: pd.DataFrame, indicator: str, year: int) -> float:
    t = targets[(targets["indicator"] == indicator) & (targets["year"].astype(int) == year)
                & targets["comparator"].isin(["ge", "gt", "le", "lt"])]
    vals = pd.to_numeric(t.get("model_value", t["value"]), errors="coerce").dropna()
    return float(vals.iloc[0]) if len(vals) else np.nan


def _bands(errors: ErrorModel, pred: np.ndarray, rng) -> dict:
    noisy = errors.sample(pred, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {"median": np.nanmedian(pred, axis=0)}
        for k, (lo, hi) in BANDS.items():
            out[f"p{int(lo * 100):02d}"], out[f"p{int(hi * 100):02d}"] = np.nanquantile(noisy, [lo, hi], axis=0)
    return out


def backtest(region: str, until: int, *, quick: bool = False, steps: int | None = None,
             walkers: int | None = None, seed: int | None = None, draws: int = DRAWS,
             last: int = LAST_YEAR) -> BacktestResult:
    """Fit ``region`` on its observations up to ``until``, forecast those of ``until``+1..``last``;
    writes nothing."""
    t0 = time.perf_counter()
    seed = DEFAULT_SEED if seed is None else int(seed)
    data = region_inputs(region)
    reg, obs, priors = data.region, data.observations.copy(), data.priors
    obs["year"] = obs["year"].astype(int)
    if not reg.start_year <= until < last:
        raise ModelError(f"--until must be from the region's start year {reg.start_year} to {last - 1} (got {until})")
    train = obs[obs["year"] <= until]
    held = obs[(obs["year"] > until) & (obs["year"] <= last)].reset_index(drop=True)
    if held.empty:
        raise ModelError(f"region '{reg.key}' has no observation after {until} (to {last}) to forecast")
    notes = []
    names = [n for n in priors if n not in data.fixed]
    rng = np.random.default_rng(seed + 11)
    # the prior forecaster: every uncertain parameter from its prior
    X_prior = np.column_stack([priors[n].sample(rng, draws) for n in names])
    calibrated: list[str] = []
    fitted = train[train["year"] > reg.start_year]
    if len(fitted) == 0:
        notes.append(f"no observation after the start year {reg.start_year} up to {until}: nothing to fit, "
                     "the posterior forecast is the prior's")
        X_post = X_prior
    else:
        try:
            res = calibrate(reg.key, observations=train, window=(reg.start_year, until), quick=quick, steps=steps,
                            walkers=walkers, seed=seed, holdout=False)
        except ModelError as exc:
            notes.append(f"calibration on the data to {until} failed ({exc}): the posterior forecast is the prior's")
            X_post = X_prior
        else:
            calibrated = res.calibrated
            d = res.draws
            idx = rng.choice(len(d), size=min(draws, len(d)), replace=False)
            X_post = np.column_stack([d[n].to_numpy(float)[idx] if n in d.columns else priors[n].sample(rng, len(idx))
                                      for n in names])
            notes += [f"fit: {n}" for n in res.notes]
    errors = ErrorModel(held, reg.start_year, last)
    prob = Problem(compiled_model(), reg.start_year, errors, names, priors, data.fixed, data.dt, data.method)
    pred_prior = prob.predict(X_prior)
    post = _bands(errors, prob.predict(X_post), rng)
    prior = _bands(errors, pred_prior, rng)
    # points no uncertain parameter moves are inputs (exogenous series, constants set from that very
    # figure): matching them says nothing about the forecast, so they are left out of the scores
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.nanmax(pred_prior, axis=0) - np.nanmin(pred_prior, axis=0)
        fixed = ~(spread > 1e-9 * np.maximum(1.0, np.abs(np.nanmedian(pred_prior, axis=0))))
    t = errors.table
    targets = load_targets(reg.key)
    pts = pd.DataFrame({"obs_id": t["obs_id"], "indicator": t["indicator"], "year": t["year"],
                        "confidence": t["confidence"], "growth_rate": t["growth_rate"], "observed": errors.y,
                        "fixed_by_inputs": fixed})
    for name, b in (("posterior", post), ("prior", prior)):
        for k, v in b.items():
            pts[f"{name}_{k}"] = v
    allobs = reg.observations
    context = allobs[(allobs["use"] == "context") & (allobs["year"].astype(int) <= until)].copy()
    context["year"] = context["year"].astype(int)
    trend = [_trend(train, context, i, y) for i, y in zip(pts["indicator"], pts["year"])]
    pts["log-linear trend"] = [v for v, _ in trend]
    pts["trend_basis"] = [b for _, b in trend]
    pts["plan target"] = [_plan(targets, i, y) for i, y in zip(pts["indicator"], pts["year"])]
    if pts["plan target"].notna().any():
        notes.append("plan targets are the plans' own figures for those years (calibration/targets.csv); a plan "
                     f"published after {until} knew more than the fit did")
    if fixed.any():
        notes.append(f"{int(fixed.sum())} of {len(pts)} held-out point(s) are not moved by any uncertain parameter "
                     "(exogenous inputs or constants set from that figure) and are left out of the scores: "
                     + ", ".join(pts.loc[fixed, "obs_id"]))
    scored = ~pts["fixed_by_inputs"]
    level = (~pts["growth_rate"]) & (pts["observed"] > 0) & scored
    rows = []
    for f in FORECASTERS:
        med = pts[f"{f}_median"] if f in ("posterior", "prior") else pts[f]
        with np.errstate(divide="ignore", invalid="ignore"):
            err = np.abs(np.log(med / pts["observed"])).where(level & (med > 0))
        pts[f"{f}_abs_log_error"] = err
        row = {"forecaster": f, "points": int((med.notna() & scored).sum()), "level_points": int(err.notna().sum()),
               "median_abs_log_error": float(err.median()) if err.notna().any() else np.nan}
        if f in ("posterior", "prior"):
            for k, (lo, hi) in BANDS.items():
                a, b = pts[f"{f}_p{int(lo * 100):02d}"], pts[f"{f}_p{int(hi * 100):02d}"]
                inside = (pts["observed"] >= a) & (pts["observed"] <= b)
                pts[f"{f}_in{k}"] = inside
                row[f"coverage_{k}"] = float(inside[scored].mean()) if scored.any() else np.nan
        else:
            row["coverage_50"] = row["coverage_90"] = np.nan
        # head to head: the posterior's error on the points this forecaster could forecast
        both = err.notna() & pts["posterior_abs_log_error"].notna() if "posterior_abs_log_error" in pts else err.notna()
        row["posterior_median_abs_log_error_same_points"] = (
            float(pts.loc[both, "posterior_abs_log_error"].median()) if both.any() else np.nan)
        rows.append(row)
    summary = pd.DataFrame(rows)
    out = BacktestResult(reg.key, int(until), pts, summary, int(len(train)), calibrated, notes,
                         {"quick": quick, "steps": steps, "walkers": walkers, "seed": seed, "draws": draws,
                          "last": last}, dict(data.files), time.perf_counter() - t0)
    if out.posterior_worse_than_prior:
        out.notes.append("the posterior forecasts the held-out points WORSE than the prior (median |log error|): "
                         "the likelihood is suspect")
    return out
