"""Prior distributions of the uncertain parameters (``calibration/priors.csv``).

Each row: parameter, distribution, lo, hi, p1, p2, default, units, source.

* ``uniform``: on [lo, hi];
* ``normal``: mean p1, sd p2, truncated to [lo, hi];
* ``lognormal``: median p1, log-sd p2, truncated to [lo, hi];
* ``beta``: shape a = p1, b = p2, scaled to [lo, hi].

Every prior offers ``ppf`` (so a unit-cube design from SALib or a Latin hypercube maps onto
it), ``sample`` and ``logpdf`` (for the calibration's posterior).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from ..core.equations import ModelError
from ..sectors import shipped_model
from .declarations import check_restated
from .tables import DataError
from .validate import read_table
from .workspace import calibration_dir

DISTRIBUTIONS = ("uniform", "normal", "lognormal", "beta")


def _f(x):
    return float(x) if str(x).strip() not in ("", "nan") else np.nan


@dataclass(frozen=True)
class Prior:
    name: str
    distribution: str
    lo: float
    hi: float
    p1: float
    p2: float
    default: float
    units: str
    source: str

    @cached_property
    def _dist(self):
        from scipy import stats  # imported here: a forecast from the posterior never needs it
        lo, hi = self.lo, self.hi
        if self.distribution == "uniform":
            return stats.uniform(lo, hi - lo)
        if self.distribution == "normal":
            a, b = (lo - self.p1) / self.p2, (hi - self.p1) / self.p2
            return stats.truncnorm(a, b, loc=self.p1, scale=self.p2)
        if self.distribution == "lognormal":
            mu, s = np.log(self.p1), self.p2
            with np.errstate(divide="ignore"):  # lo = 0 (a scale such as a noise sd): unbounded below in log
                a, b = (np.log(lo) - mu) / s, (np.log(hi) - mu) / s
            return _LogTruncNorm(stats.truncnorm(a, b, loc=mu, scale=s))
        return stats.beta(self.p1, self.p2, loc=lo, scale=hi - lo)

    def ppf(self, u):
        if self.distribution == "uniform":  # the same numbers as scipy's, without importing scipy.stats (~1 s)
            return self.lo + np.asarray(u, float) * (self.hi - self.lo)
        return self._dist.ppf(np.asarray(u, float))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.ppf(rng.random(n))

    def logpdf(self, x):
        x = np.asarray(x, float)
        with np.errstate(divide="ignore"):
            out = self._dist.logpdf(x)
        return np.where((x >= self.lo) & (x <= self.hi), out, -np.inf)

    def interval(self, level=0.9):
        return tuple(self.ppf([(1 - level) / 2, (1 + level) / 2]))


class _LogTruncNorm:
    def __init__(self, tn):
        self.tn = tn

    def ppf(self, u):
        return np.exp(self.tn.ppf(u))

    def logpdf(self, x):
        with np.errstate(divide="ignore", invalid="ignore"):
            lx = np.log(x)
            return self.tn.logpdf(lx) - lx


def load_priors(path: str | Path | None = None) -> dict[str, Prior]:
    """The priors of ``calibration/priors.csv`` in use (or of ``path``); units, bounds and defaults
    are checked against the model's declarations."""
    return _priors_in(Path(path) if path is not None else calibration_dir() / "priors.csv")


@lru_cache(maxsize=4)  # keyed by the file: another workspace has its own priors.csv
def _priors_in(p: Path) -> dict[str, Prior]:
    df = read_table(p, "priors")
    consts = shipped_model().constants
    for i, r in df.iterrows():
        if r["parameter"] not in consts:
            from ..core.names import closest
            raise DataError(f"{p} row {i + 2} ({r['parameter']}): not a model constant"
                            + closest(r["parameter"], consts))
    check_restated(p, df, "parameter")
    out = {}
    for i, r in df.iterrows():
        where = f"{p} row {i + 2} ({r['parameter']})"
        if r["distribution"] not in DISTRIBUTIONS:
            raise DataError(f"{where}: distribution '{r['distribution']}' is not one of {', '.join(DISTRIBUTIONS)}")
        pr = Prior(r["parameter"], r["distribution"], _f(r["lo"]), _f(r["hi"]), _f(r["p1"]), _f(r["p2"]),
                   _f(r["default"]), r["units"], r["source"])
        if not (pr.lo < pr.hi) or not (pr.lo <= pr.default <= pr.hi):
            raise DataError(f"{where}: need lo < hi and the default inside [lo, hi]")
        if pr.distribution in ("normal", "lognormal", "beta") and (np.isnan(pr.p1) or np.isnan(pr.p2)):
            raise DataError(f"{where}: a {pr.distribution} prior needs p1 and p2")
        out[pr.name] = pr
    if not out:
        raise ModelError(f"{p}: no priors")
    return out
