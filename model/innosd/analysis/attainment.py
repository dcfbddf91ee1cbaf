"""Target attainment: the probability that an ensemble meets each official target.

A target compares a *metric* of one indicator with a value:

=================  ===========================================================
comparator         metric (from each run) and test
=================  ===========================================================
ge / gt / le / lt  the indicator's value in the target year, >=, >, <=, <; with a
                   base year, the bound holds in *every* year after it up to the
                   target year ("每年 at least 10"): the smallest value of those
                   years is tested (the largest for le / lt)
growth_per_year    (x[year] / x[base]) ** (1 / (year - base)) - 1  >= value
                   (average growth, "年均增长")
multiple_of_base   x[year] / x[base]  >= value
increase_per_year  the yearly increment x[y] - x[y - 1] in *every* year y after the
                   base year up to the target year ("每年新增 50"): its smallest value
                   is tested, so "+50 a year" is a net addition of the stock each year
cumulative_from    x[year] - x[base]  >= value
=================  ===========================================================

A target with a ``basis`` (``VALUE@YEAR``) is scored on the indicator restated on the plan's own
base: x * VALUE / x[YEAR], run by run.  A plan that counts 530 HTEs in 2020 where another source
counts 450 asks for growth from 530; the model's trajectory, fitted to both, is rescaled to 530.

Targets marked ``set_by_policy`` get the status "set by policy" and no probability: a lever sets
them (or a coefficient was read from the target itself), so a probability would restate the
scenario, not forecast it.  Their metric's median and range are still reported when the model has
the element.  Values are compared in model units (targets are converted when loaded).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from ..inputs.targets import LEVEL_COMPARATORS, is_set_by_policy

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_TOL = 1e-9
SET_BY_POLICY = "set by policy"


def _given(x) -> bool:
    return x is not None and not (isinstance(x, float) and np.isnan(x)) and not pd.isna(x)


def _base_year(t):
    b = t.get("base_year")
    return float(b) if _given(b) else None


def _basis(t):
    v, y = t.get("basis_value"), t.get("basis_year")
    return (float(v), float(y)) if _given(v) and _given(y) else (None, None)


def years_needed(t) -> list[float]:
    """Calendar years whose values the target's metric reads."""
    year, base = float(t["year"]), _base_year(t)
    years = [year]
    if base is not None:
        years.append(base)
    basis_year = _basis(t)[1]
    if basis_year is not None:
        years.append(basis_year)
    return years


def _series_metric(arr: np.ndarray, times: np.ndarray, t, year: float) -> np.ndarray:
    """The compared quantity per row of ``arr`` (runs x times) for target ``t`` at ``year``."""
    column = {float(y): j for j, y in enumerate(times)}
    value, basis_year = _basis(t)
    if value is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            arr = arr * (value / arr[:, column[basis_year]])[:, None]
    cmp, base = t["comparator"], _base_year(t)
    x = arr[:, column[float(year)]]
    if cmp in LEVEL_COMPARATORS:
        if base is None:
            return x
        cols = [j for j, y in enumerate(times) if base < y <= year]
        if not cols:
            return x
        worst = np.min if cmp in ("ge", "gt") else np.max  # every year: the year furthest from meeting it
        return worst(arr[:, cols], axis=1)
    b = arr[:, column[base]]
    with np.errstate(divide="ignore", invalid="ignore"):
        if cmp == "growth_per_year":
            return (x / b) ** (1.0 / (year - base)) - 1.0
        if cmp == "multiple_of_base":
            return x / b
        if cmp == "increase_per_year":
            cols = [j for j, y in enumerate(times) if base <= y <= year]
            steps = np.diff(arr[:, cols], axis=1) / np.diff(times[cols])[None, :]
            return steps.min(axis=1) if steps.shape[1] else np.full(len(arr), np.nan)
    return x - b  # cumulative_from


def metric(ds: xr.Dataset, t: pd.Series, year: float | None = None) -> np.ndarray:
    """The compared quantity, per run, for target row ``t`` (optionally at another year)."""
    year = float(t["year"] if year is None else year)
    arr = ds.variables[t["indicator"]].transpose("run", "time").values
    return _series_metric(arr, ds["time"].values.astype(float), t, year)


def meets(values: np.ndarray, t: pd.Series) -> np.ndarray:
    v = t["model_value"]
    tol = _TOL * max(1.0, abs(v))
    return {"gt": values > v + tol, "lt": values < v - tol, "le": values <= v + tol}.get(
        t["comparator"], values >= v - tol)


def summarize(ds: xr.Dataset, indicators=None) -> pd.DataFrame:
    """Tidy quantiles: indicator, units, year, q05, q25, q50, q75, q95, mean."""
    variables = ds.variables  # plain Variables: cheaper than building one DataArray per indicator
    names = indicators or [n for n in ds.data_vars if variables[n].attrs.get("kind") != "constant"]
    qs = np.array(QUANTILES)
    years = ds["time"].values.astype(float)
    arr = np.stack([variables[n].transpose("run", "time").values for n in names], axis=1)  # (run, name, time)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN indicator gives NaN, as it should
        q = np.nanquantile(arr, qs, axis=0)  # (q, name, time)
        mean = np.nanmean(arr, axis=0)
    table = {"indicator": np.repeat(names, len(years)),
             "units": np.repeat([variables[n].attrs.get("units", "") for n in names], len(years)),
             "year": np.tile(years, len(names))}
    for i, p in enumerate(qs):
        table[f"q{int(round(p * 100)):02d}"] = q[i].ravel()
    table["mean"] = mean.ravel()
    return pd.DataFrame(table)


ATTAINMENT_COLUMNS = ["target_id", "indicator", "year", "comparator", "value", "unit", "base_year", "measure", "source",
                      "clause", "probability", "median", "p05", "p95", "first_year_median", "model_target", "status",
                      "set_by_policy"]


def attainment(ds: xr.Dataset, targets: pd.DataFrame, supports=lambda indicator: True) -> pd.DataFrame:
    """One row per target: probability of meeting it, median and 90 % range of the metric.

    ``status`` says why a target has no probability: "set by policy" (the reason is in
    ``set_by_policy``), no model element, not an output of the run, not modelled for the region,
    or outside the simulated period."""
    times = ds["time"].values.astype(float)
    column = {float(y): j for j, y in enumerate(times)}
    runs, medians = {}, {}  # per indicator: (run, time) values and the median run

    def values_of(name):
        if name not in runs:
            runs[name] = ds.variables[name].transpose("run", "time").values
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                medians[name] = np.nanmedian(runs[name], axis=0)
        return runs[name], medians[name]

    rows = []
    for _, t in targets.iterrows():
        row = {k: t[k] for k in ("target_id", "indicator", "year", "comparator", "value", "unit", "base_year",
                                 "measure", "source", "clause") if k in t}
        policy = is_set_by_policy(t)
        row.update(probability=np.nan, median=np.nan, p05=np.nan, p95=np.nan, first_year_median=np.nan,
                   model_target=t["model_value"], status=SET_BY_POLICY if policy else "modelled",
                   set_by_policy=t["set_by_policy"] if policy else "")
        problem = None
        if np.isnan(t["model_value"]):
            problem = "no model element for this indicator"
        elif t["indicator"] not in ds:
            problem = "not an output of this run"
        elif not supports(t["indicator"]):
            problem = "not modelled for this region (data lacking)"
        elif any(float(y) not in column for y in years_needed(t)):
            problem = f"outside the simulated period ({times[0]:.0f}-{times[-1]:.0f})"
        if problem and not policy:
            row["status"] = problem
        if problem:
            rows.append(row)
            continue
        arr, median_run = values_of(t["indicator"])
        values = _series_metric(arr, times, t, float(t["year"]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a metric NaN in every run stays NaN
            row["median"], row["p05"], row["p95"] = (float(v) for v in np.nanquantile(values, [0.5, 0.05, 0.95]))
        if policy:
            rows.append(row)
            continue
        row["probability"] = float(np.mean(meets(values, t)))
        # the first year the median trajectory meets the target (same comparator, base year and basis)
        base = _base_year(t)
        for y in times:
            if base is not None and y <= base:
                continue
            if bool(meets(_series_metric(median_run[None, :], times, t, float(y)), t)[0]):
                row["first_year_median"] = int(y)
                break
        rows.append(row)
    if not rows:  # a region without targets: an empty table with the columns readers expect
        return pd.DataFrame(columns=ATTAINMENT_COLUMNS)
    return pd.DataFrame(rows)


# --- what a planner reads first --------------------------------------------------------------

LIKELY, UNLIKELY = 0.8, 0.2   # probability at or above which a target is "likely met", at or below "unlikely"
OUTLOOKS = ("likely", "uncertain", "unlikely")


def outlook(probability) -> str | None:
    """"likely" (p ≥ 0.8), "unlikely" (p ≤ 0.2), "uncertain" between, None without a probability."""
    if not _given(probability):
        return None
    p = float(probability)
    return "likely" if p >= LIKELY else "unlikely" if p <= UNLIKELY else "uncertain"


def deciding_uncertainty(ds: xr.Dataset, t: pd.Series, parameters) -> tuple[str, float] | None:
    """The uncertain parameter whose draws go with the target's metric most closely across runs
    (largest absolute Spearman rank correlation), and that correlation; None when nothing varies."""
    values = metric(ds, t)
    if values.size < 3 or not np.isfinite(values).any() or np.nanstd(values) == 0:
        return None
    names = [p for p in parameters if p in ds.variables and "run" in ds.variables[p].dims]
    if not names:
        return None
    first = {n: ds.variables[n].transpose("run", ...).values for n in names}
    draws = np.stack([(v[:, 0] if v.ndim > 1 else v) for v in first.values()], axis=1)  # (run, parameter)
    keep = np.isfinite(values)
    ranks = lambda a: np.argsort(np.argsort(a, axis=0), axis=0).astype(float)  # noqa: E731
    x, y = ranks(draws[keep]), ranks(values[keep])
    x -= x.mean(axis=0)
    y -= y.mean()
    sx, sy = np.sqrt((x ** 2).sum(axis=0)), np.sqrt((y ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (x * y[:, None]).sum(axis=0) / (sx * sy)
    rho = np.where(np.isfinite(rho), rho, 0.0)
    i = int(np.argmax(np.abs(rho)))
    return (names[i], float(rho[i])) if abs(rho[i]) > 0 else None
