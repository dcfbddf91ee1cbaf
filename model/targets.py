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

import numpy as np
import pandas as pd
import xarray as xr

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_TOL = 1e-9


def _at(ds: xr.Dataset, name: str, year: float) -> np.ndarray:
    return ds[name].sel(time=float(year)).values


def metric(ds: xr.Dataset, t: pd.Series, year: float | None = None) -> np.ndarray:
    """The compared quantity, per run, for target row ``t`` (optionally at another year)."""
    year = t["year"] if year is None else year
    x = _at(ds, t["indicator"], year)
    cmp = t["comparator"]
    if cmp in ("ge", "gt", "le", "lt"):
        return x
    base = _at(ds, t["indicator"], t["base_year"])
    span = year - t["base_year"]
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
    names = indicators or [n for n in ds.data_vars if ds[n].attrs.get("kind") != "constant"]
    qs = np.array(QUANTILES)
    rows = []
    for name in names:
        arr = ds[name].values  # (run, time)
        with np.errstate(invalid="ignore"):
            q = np.nanquantile(arr, qs, axis=0)
            mean = np.nanmean(arr, axis=0)
        for j, year in enumerate(ds["time"].values):
            rows.append({"indicator": name, "units": ds[name].attrs.get("units", ""), "year": float(year),
                         **{f"q{int(round(p * 100)):02d}": q[i, j] for i, p in enumerate(qs)}, "mean": mean[j]})
    return pd.DataFrame(rows)


def attainment(ds: xr.Dataset, targets: pd.DataFrame, supports=lambda indicator: True) -> pd.DataFrame:
    """One row per target: probability of meeting it, median and 90 % range of the metric."""
    times = ds["time"].values
    rows = []
    for _, t in targets.iterrows():
        row = {k: t[k] for k in ("target_id", "indicator", "year", "comparator", "value", "unit", "base_year",
                                 "source", "clause") if k in t}
        row.update(probability=np.nan, median=np.nan, p05=np.nan, p95=np.nan, first_year_median=np.nan,
                   model_target=t["model_value"], status="modelled")
        years_needed = [t["year"]] + ([t["base_year"]] if pd.notna(t.get("base_year")) and t["comparator"] not in
                                      ("ge", "gt", "le", "lt") else [])
        if np.isnan(t["model_value"]):
            row["status"] = "no model element for this indicator"
        elif t["indicator"] not in ds:
            row["status"] = "not an output of this run"
        elif not supports(t["indicator"]):
            row["status"] = "not modelled for this region (data lacking)"
        elif any(float(y) not in times for y in years_needed):
            row["status"] = f"outside the simulated period ({times[0]:.0f}-{times[-1]:.0f})"
        if row["status"] != "modelled":
            rows.append(row)
            continue
        values = metric(ds, t)
        ok = meets(values, t)
        row["probability"] = float(np.mean(ok))
        row["median"], row["p05"], row["p95"] = (float(v) for v in np.nanquantile(values, [0.5, 0.05, 0.95]))
        median_run = ds[[t["indicator"]]].median("run").expand_dims(run=[0])
        first = t["base_year"] + 1 if t["comparator"] not in ("ge", "gt", "le", "lt") else times[0]
        for y in times[times >= first]:
            if bool(meets(metric(median_run, t, year=y), t)[0]):
                row["first_year_median"] = int(y)
                break
        rows.append(row)
    return pd.DataFrame(rows)
