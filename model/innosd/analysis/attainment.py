"""Target attainment: the probability that an ensemble meets each official target.

A target compares a *metric* of one indicator with a value:

=================  ===========================================================
comparator         metric (from each run) and test
=================  ===========================================================
ge / gt / le / lt  the indicator's value in the target year, >=, >, <=, <
growth_per_year    (x[year] / x[base]) ** (1 / (year - base)) - 1  >= value
multiple_of_base   x[year] / x[base]  >= value
increase_per_year  (x[year] - x[base]) / (year - base)  >= value
cumulative_from    x[year] - x[base]  >= value
=================  ===========================================================

Values are compared in model units (targets are converted when loaded).
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from ..inputs.targets import LEVEL_COMPARATORS

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_TOL = 1e-9


def _at(ds: xr.Dataset, name: str, year: float) -> np.ndarray:
    return ds[name].sel(time=float(year)).values


def metric(ds: xr.Dataset, t: pd.Series, year: float | None = None) -> np.ndarray:
    """The compared quantity, per run, for target row ``t`` (optionally at another year)."""
    year = t["year"] if year is None else year
    if t["comparator"] in LEVEL_COMPARATORS:
        return _at(ds, t["indicator"], year)
    return _metric(_at(ds, t["indicator"], year), _at(ds, t["indicator"], t["base_year"]), t["comparator"],
                   year - t["base_year"])


def _metric(x: np.ndarray, base: np.ndarray | None, cmp: str, span: float) -> np.ndarray:
    """The comparator's quantity from the value in the target year ``x`` and in the base year."""
    if cmp in LEVEL_COMPARATORS:
        return x
    with np.errstate(divide="ignore", invalid="ignore"):
        if cmp == "growth_per_year":
            return (x / base) ** (1.0 / span) - 1.0
        if cmp == "multiple_of_base":
            return x / base
        if cmp == "increase_per_year":
            return (x - base) / span
        return x - base  # cumulative_from


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


def attainment(ds: xr.Dataset, targets: pd.DataFrame, supports=lambda indicator: True) -> pd.DataFrame:
    """One row per target: probability of meeting it, median and 90 % range of the metric."""
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
                                 "source", "clause") if k in t}
        row.update(probability=np.nan, median=np.nan, p05=np.nan, p95=np.nan, first_year_median=np.nan,
                   model_target=t["model_value"], status="modelled")
        level = t["comparator"] in LEVEL_COMPARATORS
        years_needed = [t["year"]] + ([t["base_year"]] if pd.notna(t.get("base_year")) and not level else [])
        if np.isnan(t["model_value"]):
            row["status"] = "no model element for this indicator"
        elif t["indicator"] not in ds:
            row["status"] = "not an output of this run"
        elif not supports(t["indicator"]):
            row["status"] = "not modelled for this region (data lacking)"
        elif any(float(y) not in column for y in years_needed):
            row["status"] = f"outside the simulated period ({times[0]:.0f}-{times[-1]:.0f})"
        if row["status"] != "modelled":
            rows.append(row)
            continue
        arr, median_run = values_of(t["indicator"])
        jb = None if level else column[float(t["base_year"])]
        values = _metric(arr[:, column[float(t["year"])]], None if level else arr[:, jb], t["comparator"],
                         t["year"] - (0 if level else t["base_year"]))
        ok = meets(values, t)
        row["probability"] = float(np.mean(ok))
        row["median"], row["p05"], row["p95"] = (float(v) for v in np.nanquantile(values, [0.5, 0.05, 0.95]))
        # the first year the median trajectory meets the target (same comparator, same base year)
        later = times > t["base_year"] if not level else np.ones(len(times), bool)
        spans = times - (0 if level else t["base_year"])
        with np.errstate(divide="ignore", invalid="ignore"):
            m = _metric(median_run, None if level else median_run[jb], t["comparator"], spans)
        hit = np.flatnonzero(later & meets(m, t))
        if hit.size:
            row["first_year_median"] = int(times[hit[0]])
        rows.append(row)
    return pd.DataFrame(rows)
