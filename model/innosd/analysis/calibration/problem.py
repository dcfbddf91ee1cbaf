"""The calibration problem: which parameters, in which coordinates, and the model runs behind
the likelihood.

Three coordinates for the same parameter vector:

* ``u``: the unit cube of the priors' CDFs (the mode search works here, bounds are [0, 1]);
* ``z = logit(u)``: unbounded (the sampler works here, so bounds always hold; the prior in
  this space is the logistic density);
* ``x = F_prior^-1(u)``: the model's own units.

Runs go through :func:`innosd.runs.ensemble.run_ensemble`, so any compiled model can be
calibrated, the shipped one or a researcher's own.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ...core.engine import CompiledModel, RunSettings
from ...runs.ensemble import ParameterSets, merge_inputs, run_ensemble
from .likelihood import ErrorModel


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, float)))


def logit(u):
    u = np.asarray(u, float)
    return np.log(u) - np.log1p(-u)


def fast_ppf(prior):
    """A closed-form quantile function equal to ``prior.ppf`` (scipy's generic one costs ~0.1 ms a
    call, which dominates an MCMC step); checked against it on a grid, else ``prior.ppf``."""
    from scipy import special
    dist, lo, hi, p1, p2 = prior.distribution, prior.lo, prior.hi, prior.p1, prior.p2
    f = None
    if dist == "uniform":
        def f(u):
            return lo + (hi - lo) * u
    elif dist in ("normal", "lognormal"):
        mu, s = (p1, p2) if dist == "normal" else (np.log(p1), p2)
        with np.errstate(divide="ignore"):  # a lognormal from lo = 0 (a noise sd): unbounded below in log
            a, b = ((lo, hi) if dist == "normal" else (np.log(lo), np.log(hi)))
        ca, cb = special.ndtr((a - mu) / s), special.ndtr((b - mu) / s)
        if cb - ca > 1e-6:
            def f(u):
                x = mu + s * special.ndtri(ca + u * (cb - ca))
                x = np.clip(x, a, b)
                return x if dist == "normal" else np.exp(x)
    elif dist == "beta":
        def f(u):
            return lo + (hi - lo) * special.betaincinv(p1, p2, u)
    if f is None:
        return prior.ppf
    grid = np.linspace(0.001, 0.999, 41)
    try:
        ok = np.allclose(f(grid), prior.ppf(grid), rtol=1e-6, atol=1e-9 * max(1.0, abs(hi - lo)))
    except Exception:
        ok = False
    return f if ok else prior.ppf


class Problem:
    """One calibration problem: parameters, fixed inputs, the likelihood and the model runs.

    ``model`` is any compiled model; ``fixed`` its other inputs (merged with
    :func:`innosd.runs.ensemble.merge_inputs`); runs start at ``start`` and use ``dt`` and ``method``."""

    def __init__(self, model: CompiledModel, start: float, errors: ErrorModel, names: Sequence[str],
                 priors: Mapping, fixed: Mapping[str, object], dt: float = 0.25, method: str = "euler"):
        self.model = model
        self.start = float(start)
        self.errors = errors
        self.names = list(names)
        self.priors = priors
        self.fixed = dict(fixed)
        self.dt, self.method = dt, method
        self.calls = 0
        self.runs = 0
        self.ppfs = [fast_ppf(self.priors[n]) for n in self.names]

    @property
    def d(self) -> int:
        return len(self.names)

    # transforms
    def x_from_u(self, U: np.ndarray) -> np.ndarray:
        U = np.clip(np.atleast_2d(U), 1e-12, 1 - 1e-12)
        return np.column_stack([f(U[:, i]) for i, f in enumerate(self.ppfs)]) \
            if self.d else np.zeros((U.shape[0], 0))

    def x_from_z(self, Z: np.ndarray) -> np.ndarray:
        return self.x_from_u(sigmoid(Z))

    def logprior_x(self, X: np.ndarray) -> np.ndarray:
        out = np.zeros(X.shape[0])
        for i, n in enumerate(self.names):
            out += self.priors[n].logpdf(X[:, i])
        return out

    # model
    def trajectories(self, X: np.ndarray, stop=None) -> np.ndarray:
        """Array (runs, indicators, years) of the fitted indicators."""
        X = np.atleast_2d(X)
        n = X.shape[0]
        sets = ParameterSets.from_design(self.names, X) if self.d else ParameterSets({}, n, "")
        params = merge_inputs(sets, overrides=self.fixed)  # fixed: e.g. a region's and its scenario's inputs
        self.calls += 1
        self.runs += n
        settings = RunSettings(self.start, stop or self.errors.stop, self.dt, self.method)
        out = run_ensemble(self.model, params, n, settings, outputs=self.errors.indicators, arrays=True)
        return np.stack([out[name] for name in self.errors.indicators], axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Model values at the observations: (runs, observations)."""
        tr = self.trajectories(X)
        return tr[:, self.errors.ind_idx, self.errors.t_idx]

    def params(self, X: np.ndarray) -> dict:
        """The parameter values of runs ``X``: name -> array over runs (fixed scalars included),
        for a model-error term that depends on them (e.g. a calibrated ``<rate>_noise_sd``)."""
        X = np.atleast_2d(X)
        out = {k: np.full(X.shape[0], float(v)) for k, v in self.fixed.items() if np.ndim(v) == 0
               and isinstance(v, (int, float, np.number))}
        out.update({n: X[:, i] for i, n in enumerate(self.names)})
        return out

    def loglik(self, X: np.ndarray) -> np.ndarray:
        params = self.params(X) if self.errors.model_error is not None else None
        return self.errors.loglik(self.predict(X), params)

    def logpost_z(self, Z: np.ndarray) -> np.ndarray:
        Z = np.atleast_2d(Z)
        lp = -np.sum(softplus(Z) + softplus(-Z), axis=1)  # logistic prior density of z
        ll = self.loglik(self.x_from_z(Z))
        out = lp + ll
        return np.where(np.isfinite(out), out, -np.inf)

    def neg_logpost_u(self, U: np.ndarray) -> np.ndarray:
        """Objective of the mode search: -(log-likelihood + log prior density in x)."""
        X = self.x_from_u(U)
        out = -(self.loglik(X) + self.logprior_x(X))
        return np.where(np.isfinite(out), out, 1e12)


def screen_parameters(model: CompiledModel, start: float, errors: ErrorModel, candidates: Sequence[str], priors,
                      fixed, dt: float, method: str, seed: int, backgrounds: int = 3
                      ) -> tuple[list[str], list[str], pd.DataFrame]:
    """Split parameters into those that move a fitted output in the window and those that cannot,
    and each parameter's largest relative effect on each fitted observation (rows: parameters,
    columns: obs_id).

    Each parameter is set to its prior's 2 % and 98 % quantiles over ``backgrounds`` random
    settings of the others (drawn from the priors); all runs go through the engine in one call.
    """
    names = list(candidates)
    if not names:
        return [], [], pd.DataFrame(index=[], columns=errors.table["obs_id"].tolist(), dtype=float)
    rng = np.random.default_rng(seed)
    prob = Problem(model, start, errors, names, priors, fixed, dt, method)
    d = len(names)
    base = rng.random((backgrounds, d))
    U = np.repeat(base, 2 * d, axis=0)
    for b in range(backgrounds):
        for i in range(d):
            U[b * 2 * d + 2 * i, i] = 0.02
            U[b * 2 * d + 2 * i + 1, i] = 0.98
    pred = prob.predict(prob.x_from_u(U)).reshape(backgrounds, d, 2, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = pred[:, :, 0, :], pred[:, :, 1, :]
        diff = np.abs(hi - lo) / (np.abs(lo) + np.abs(hi) + 1e-300)
        moved = (diff > 1e-9) | (np.isnan(lo) != np.isnan(hi))
    influential = moved.any(axis=(0, 2))
    yes = [n for n, k in zip(names, influential) if k]
    no = [n for n, k in zip(names, influential) if not k]
    effects = np.nan_to_num(diff, nan=0.0).max(axis=0)
    return yes, no, pd.DataFrame(effects, index=names, columns=errors.table["obs_id"].tolist())
