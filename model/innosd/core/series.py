"""Time-varying inputs: lever schedules and exogenous series over calendar years."""
from __future__ import annotations

import numpy as np


class Series:
    """A value that changes with calendar time.

    ``values`` has shape ``(n_points,)`` (the same schedule for every run) or
    ``(n_runs, n_points)`` (one schedule per run, e.g. a lever under sensitivity analysis).
    ``kind='linear'`` interpolates between points; ``kind='step'`` holds each value until
    the next point.  After the last point the last value holds; before the first point the
    first value holds, or ``before`` when given (a scenario's lever keeps its default until
    the first year its schedule names).
    """

    def __init__(self, years, values, kind: str = "linear", before: float | None = None):
        self.before = None if before is None else float(before)
        self.years = np.asarray(years, dtype=float)
        self.values = np.asarray(values, dtype=float)
        if kind not in ("linear", "step"):
            raise ValueError(f"series kind must be 'linear' or 'step', not {kind!r}")
        if self.years.ndim != 1 or self.years.size == 0 or self.values.shape[-1] != self.years.size:
            raise ValueError("series needs one value per year (values' last axis must match years)")
        if np.any(np.diff(self.years) <= 0):
            raise ValueError("series years must be strictly increasing")
        self.kind = kind

    @property
    def n_runs(self) -> int | None:
        return self.values.shape[0] if self.values.ndim == 2 else None

    def runs(self, lo: int, hi: int) -> "Series":
        """The schedules of runs ``lo..hi-1`` (a per-run series), or this series (one for all runs)."""
        if self.values.ndim == 1:
            return self
        return Series(self.years, self.values[lo:hi], self.kind, before=self.before)

    def __call__(self, t: float, left: bool = False):
        """Value at ``t``; ``left=True`` gives the left limit (a step's value just before ``t``)."""
        y, v = self.years, self.values
        if self.before is not None and (t < y[0] or (left and t == y[0])):
            return self.before if v.ndim == 1 else np.full(v.shape[0], self.before)
        if t <= y[0] or y.size == 1:
            return v[..., 0]
        if self.kind == "step":
            i = int(np.searchsorted(y, t, side="left" if left else "right")) - 1
            return v[..., min(i, y.size - 1)]
        if t >= y[-1]:
            return v[..., -1]
        i = int(np.searchsorted(y, t, side="right")) - 1
        w = (t - y[i]) / (y[i + 1] - y[i])
        return v[..., i] * (1.0 - w) + v[..., i + 1] * w

    def __repr__(self) -> str:
        before = "" if self.before is None else f", before={self.before:g}"
        return f"Series({self.kind}, {self.years.tolist()}, shape={self.values.shape}{before})"
