"""Numerical guards: runs that produced NaN, an infinity or a negative stock.

A stock declared without a lower bound (``bounds=(None, ...)``: a signed deviation such as a
model-error state) may be negative.

Such a run is not a forecast: it is listed (element, run, simulated time, problem and that run's
parameter values) and left out of every summary and probability, and the report and
``excluded-runs.csv`` say how many runs were excluded and why.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from ..core.equations import ModelError

#: a stock below -NEGATIVE_TOLERANCE x max(1, its largest magnitude in the run) is negative (not rounding)
NEGATIVE_TOLERANCE = 1e-9
COLUMNS = ["run", "element", "time", "problem", "value", "parameters"]


def invalid_runs(ds: xr.Dataset) -> pd.DataFrame:
    """One row per invalid run: its first problem (earliest time, then element in declaration order)
    and the values of the parameters that vary across runs (``name=value; ...``)."""
    n = ds.sizes["run"]
    first_time = np.full(n, np.inf)
    found: dict[int, tuple] = {}
    times = ds["time"].values.astype(float)
    for name in ds.data_vars:
        var = ds.variables[name]
        if "time" not in var.dims or "run" not in var.dims:
            continue
        v = var.transpose("run", "time").values
        bad = ~np.isfinite(v)
        if var.attrs.get("kind") == "stock" and not var.attrs.get("signed"):
            with np.errstate(invalid="ignore"):
                scale = np.maximum(1.0, np.nanmax(np.abs(np.where(np.isfinite(v), v, 0)), axis=1, keepdims=True))
                bad |= v < -NEGATIVE_TOLERANCE * scale
        rows = np.flatnonzero(bad.any(axis=1))
        for r in rows:
            k = int(np.argmax(bad[r]))
            if times[k] < first_time[r]:
                x = float(v[r, k])
                problem = "NaN" if np.isnan(x) else ("infinite" if np.isinf(x) else "negative stock")
                first_time[r] = times[k]
                found[int(r)] = (name, float(times[k]), problem, x)
    if not found:
        return pd.DataFrame(columns=COLUMNS)
    varied = [name for name in ds.data_vars if ds.variables[name].attrs.get("kind") == "constant"
              and "run" in ds.variables[name].dims and _varies(ds.variables[name])]
    rows = []
    for r, (element, t, problem, x) in sorted(found.items()):
        params = "; ".join(f"{p}={_first(ds.variables[p], r):.6g}" for p in varied)
        rows.append({"run": int(ds["run"].values[r]), "element": element, "time": t, "problem": problem,
                     "value": x, "parameters": params})
    return pd.DataFrame(rows, columns=COLUMNS)


def _varies(var) -> bool:
    v = var.transpose("run", ...).values.reshape(var.sizes["run"], -1)[:, 0]
    return bool(np.nanmax(v) != np.nanmin(v)) if len(v) > 1 else False


def _first(var, r: int) -> float:
    return float(var.transpose("run", ...).values.reshape(var.sizes["run"], -1)[r, 0])


def valid_runs(ds: xr.Dataset) -> tuple[xr.Dataset, pd.DataFrame]:
    """``ds`` without its invalid runs, and the table of those runs (:func:`invalid_runs`)."""
    excluded = invalid_runs(ds)
    if excluded.empty:
        return ds, excluded
    keep = ~np.isin(ds["run"].values, excluded["run"].values)
    if not keep.any():
        first = excluded.iloc[0]
        raise ModelError(f"every one of the {ds.sizes['run']} runs is invalid (run {first['run']}: "
                         f"{first['element']} {first['problem']} at time {first['time']:g}); check the scenario's "
                         "levers and parameters")
    return ds.isel(run=np.flatnonzero(keep)), excluded


def exclusion_note(excluded: pd.DataFrame, total: int) -> str:
    """One sentence for the report: how many runs were excluded and why."""
    if excluded.empty:
        return f"all {total} runs valid (no NaN, infinity or negative stock)"
    why = excluded["problem"].value_counts()
    where = excluded["element"].value_counts().head(3)
    return (f"{len(excluded)} of {total} runs excluded from every summary and probability ("
            + ", ".join(f"{k}: {v}" for k, v in why.items()) + "; first in "
            + ", ".join(f"{k} ({v})" for k, v in where.items()) + "); each with its parameters in excluded-runs.csv")
