"""Calibration: fit the uncertain parameters to a region's history (Bayesian, with emcee).

The pipeline, in the order :func:`calibrate` runs it:

1. **Likelihood** (:class:`ErrorModel`).  Every ``use=fit`` observation of the region maps to
   one model element and one year; year *Y* is compared with the model at time *Y* (stocks at
   the end of year *Y*, flows as the rate at *Y*).  Observations before the start year are
   context and skipped.  The error is multiplicative (log-normal) with a log-sd set by the
   observation's confidence (:data:`SIGMA_BY_CONFIDENCE`), doubled for derived values; a value
   of zero (or below) uses an additive normal error instead.  Observations of the same
   indicator and year that disagree because they use different *measures* (Xingtai's HTE count
   2020: 530 in the 14th FYP table, 450 in the S&T bureau's year-end report) are both kept, and
   each gets a measure-discrepancy term (the spread of the conflicting values) added in
   quadrature, so two sources that disagree do not make the posterior falsely precise.
2. **Screening.**  Parameters with a prior that cannot move any fitted output inside the
   window (checked exactly, by simulation) are not in the likelihood: their posterior *is*
   their prior, so they are drawn from it directly and kept in the posterior file, where
   forecasts need them.
3. **Posterior mode**: ``scipy.optimize.differential_evolution`` (vectorised, deferred
   updating: one engine call per generation) on the unit cube of the priors' CDFs, then
   L-BFGS-B from the best few candidates with finite-difference gradients evaluated in one
   batched engine call each.
4. **Posterior sample**: emcee, ``vectorize=True`` (one engine call per half-step of the
   ensemble), in the unbounded space ``z = logit(F_prior(x))`` so bounds always hold; the prior
   in that space is the logistic density.  Diagnostics: acceptance fraction, integrated
   autocorrelation time, chain length / tau, split-R-hat across walkers.
5. **Checks and report**: posterior predictive bands (with observation error), MAPE (Lewis
   scale), Theil's decomposition, prior-vs-posterior widths, and an out-of-sample check (fit to
   2019, predict 2020) against statsmodels baselines where a series is long enough.

The posterior is written to ``calibration/<region>/posterior.nc`` (netCDF3 via
``engine="scipy"``, one variable per parameter over dimension ``draw``), the format
:func:`innosd.ensemble.load_posterior` reads.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from ..core.engine import RunSettings
from ..core.equations import ModelError
from ..runs.ensemble import ParameterSets, merge_inputs, run_ensemble
from ..sectors import compiled_model

# --- the error model (assumptions; stated in the report) ---------------------------------------

#: log-sd of the multiplicative observation error by the observation's stated confidence.
#: An assumption of this project (no published error rates exist for these city figures):
#: "high" = a figure printed in an official plan or bureau report (rounding and definition
#: noise of a few percent), "medium" = ~10 %, "low" = aggregator or estimate, ~25 %.
SIGMA_BY_CONFIDENCE = {"high": 0.05, "medium": 0.10, "low": 0.25}
#: Unknown confidence labels are treated as low.
SIGMA_UNKNOWN = 0.25
#: Derived values (arithmetic on other figures, not printed numbers) get this multiple.
DERIVED_FACTOR = 2.0
#: Observations whose unit is a count of discrete things (numerator one of these, per nothing or
#: per year) get a Poisson term: the model gives an expected count, a realised count of N varies
#: by about sqrt(N), i.e. a log-sd of 1/sqrt(N) added in quadrature (matters for small counts:
#: 1 national incubator, 2 tech leaders, 7 B-class counties).
COUNT_UNITS = ("firm", "county", "platform", "project", "person", "enterprise", "patent", "award")
#: A posterior 90 % interval narrower than this fraction of the prior's marks a parameter
#: as informed by the data.
INFORMED_RATIO = 0.5
#: Lewis (1982) MAPE scale.
LEWIS_SCALE = ((10.0, "highly accurate"), (20.0, "good"), (50.0, "reasonable"), (math.inf, "inaccurate"))
BAND = (0.05, 0.95)
#: emcee moves and their weights.
MOVES = (("DEMove", 0.8), ("DESnookerMove", 0.2))
DEFAULT_SEED = 20240101
DEFAULT_STEPS = 8000  # about 6-7 minutes for Xingtai on the 2-core machine
TARGET_DRAWS = 1500


def lewis_label(mape: float) -> str:
    if not np.isfinite(mape):
        return "n/a"
    for limit, label in LEWIS_SCALE:
        if mape < limit:
            return label
    return LEWIS_SCALE[-1][1]


def _is_count(unit: str) -> bool:
    parts = [p.strip() for p in str(unit).replace(" ", "").split("/")]
    return parts[0] in COUNT_UNITS and (len(parts) == 1 or (len(parts) == 2 and parts[1] == "year"))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, float)))


def _logit(u):
    u = np.asarray(u, float)
    return np.log(u) - np.log1p(-u)


# --- likelihood ----------------------------------------------------------------------------

class ErrorModel:
    """The observation table as a likelihood.

    ``table`` needs the columns obs_id, indicator, year, model_value, confidence and,
    optionally, measure, kind, source.  Rows outside ``[start, stop]`` are dropped (and
    counted in :attr:`skipped`).  A table that already states each row's error (columns
    ``error``, "log-normal" or "additive", and ``error_sd``, as :func:`synthetic_observations`
    writes them) keeps it: data simulated with an error model is fitted with the same one.
    """

    def __init__(self, table: pd.DataFrame, start: int, stop: int):
        need = ["obs_id", "indicator", "year", "model_value", "confidence"]
        missing = [c for c in need if c not in table.columns]
        if missing:
            raise ModelError(f"observations: missing column '{missing[0]}' (needed: {', '.join(need)})")
        df = table.copy()
        for col, default in (("measure", ""), ("kind", "actual"), ("source", "")):
            if col not in df.columns:
                df[col] = default
        df["year"] = df["year"].astype(int)
        df["model_value"] = pd.to_numeric(df["model_value"], errors="coerce")
        keep = (df["year"] >= start) & (df["year"] <= stop) & np.isfinite(df["model_value"])
        self.skipped = df[~keep]
        df = df[keep].reset_index(drop=True)
        if df.empty:
            raise ModelError(f"no observations to fit between {start} and {stop}")
        self.start, self.stop = int(start), int(stop)
        conf = df["confidence"].astype(str).str.strip().str.lower()
        sigma = conf.map(SIGMA_BY_CONFIDENCE).fillna(SIGMA_UNKNOWN).astype(float)
        derived = df["kind"].astype(str).str.lower().eq("derived")
        sigma = np.where(derived, sigma * DERIVED_FACTOR, sigma)
        y = df["model_value"].to_numpy(float)
        is_log = y > 0
        # additive error for zeros/negatives: sd = sigma x the indicator's largest |value| (at least 1 unit)
        ref = df.assign(a=np.abs(y)).groupby("indicator")["a"].transform("max").to_numpy(float)
        scale = np.where(is_log, 1.0, np.maximum(ref, 1.0))
        # measure discrepancy: same indicator and year, different measures, different values
        disc = np.zeros(len(df))
        for (_, _), idx in df.groupby(["indicator", "year"]).groups.items():
            idx = np.asarray(list(idx))
            if len(idx) < 2 or df.loc[idx, "measure"].nunique() < 2:
                continue
            vals = y[idx]
            if np.all(vals > 0):
                spread = np.std(np.log(vals), ddof=1)
            else:
                spread = np.std(vals, ddof=1) / np.max(np.maximum(np.abs(vals), 1.0))
            disc[idx] = spread
        units = df["unit"].astype(str) if "unit" in df.columns else pd.Series([""] * len(df))
        counts = np.array([_is_count(u) for u in units])
        poisson = np.where(counts & is_log, 1.0 / np.sqrt(np.maximum(np.abs(y), 1.0)), 0.0)
        total = np.sqrt(sigma ** 2 + disc ** 2 + poisson ** 2)
        df["sigma"] = sigma
        df["count_term"] = poisson
        df["discrepancy"] = disc
        df["sigma_total"] = total
        df["error"] = np.where(is_log, "log-normal", "additive")
        # zero counts: a Poisson count with an expected value of 1 is 0 a third of the time, so
        # the additive sd of a zero count is at least one unit
        add_sd = np.sqrt((total * scale) ** 2 + np.where(counts, 1.0, 0.0))
        df["sd_model_units"] = np.where(is_log, np.nan, add_sd)
        if {"error", "error_sd"} <= set(table.columns):  # stated errors win over derived ones
            given = df["error"].astype(str).isin(["log-normal", "additive"]) & \
                pd.to_numeric(df["error_sd"], errors="coerce").gt(0)
            stated_log = given & df["error"].eq("log-normal") & (y > 0)
            sd = pd.to_numeric(df["error_sd"], errors="coerce").to_numpy(float)
            is_log = np.where(given, stated_log, is_log)
            total = np.where(given & is_log, sd, total)
            add_sd = np.where(given & ~is_log, sd, add_sd)
            df["sigma_total"] = total
            df["error"] = np.where(is_log, "log-normal", "additive")
            df["sd_model_units"] = np.where(is_log, np.nan, add_sd)
        self.table = df
        self.indicators = sorted(df["indicator"].unique())
        self.ind_idx = np.array([self.indicators.index(i) for i in df["indicator"]])
        self.t_idx = (df["year"].to_numpy() - self.start).astype(int)
        self.y = y
        self.is_log = is_log
        self.s = np.where(is_log, total, add_sd)              # log-sd or additive sd
        self.logy = np.where(is_log, np.log(np.where(is_log, y, 1.0)), 0.0)
        self._const = np.where(is_log, -np.log(self.s) - self.logy, -np.log(self.s)) - 0.5 * np.log(2 * np.pi)

    def __len__(self) -> int:
        return len(self.y)

    def pointwise(self, pred: np.ndarray) -> np.ndarray:
        """Log-likelihood per run and observation; ``pred`` has shape (runs, observations)."""
        pred = np.asarray(pred, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.log(np.where(pred > 0, pred, np.nan))
            r = np.where(self.is_log, (self.logy - lp) / self.s, (self.y - pred) / self.s)
            ll = self._const - 0.5 * r * r
        return np.where(np.isfinite(ll), ll, -np.inf)

    def loglik(self, pred: np.ndarray) -> np.ndarray:
        return self.pointwise(pred).sum(axis=1)

    def sample(self, pred: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Noisy observations given model values (the posterior predictive)."""
        pred = np.asarray(pred, float)
        eps = rng.standard_normal(pred.shape) * self.s
        with np.errstate(invalid="ignore"):
            return np.where(self.is_log, pred * np.exp(eps), pred + eps)


# --- the calibration problem ---------------------------------------------------------------------

def _history_scenario(region_key: str):
    """The region's baseline scenario, if shipped: its levers and exogenous series over the window."""
    from ..inputs.workspace import scenarios_dir
    path = scenarios_dir() / region_key / "baseline.yaml"
    if not path.is_file():
        return None
    from ..inputs.scenario import load_scenario
    return load_scenario(path)


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

    def __init__(self, model, start: float, errors: ErrorModel, names: Sequence[str], priors: Mapping,
                 fixed: Mapping[str, object], dt: float = 0.25, method: str = "euler"):
        self.model = model
        self.start = float(start)
        self.errors = errors
        self.names = list(names)
        self.priors = priors
        self.fixed = dict(fixed)
        self.dt, self.method = dt, method
        self.calls = 0
        self.runs = 0

    @property
    def d(self) -> int:
        return len(self.names)

    # transforms
    def x_from_u(self, U: np.ndarray) -> np.ndarray:
        U = np.clip(np.atleast_2d(U), 1e-12, 1 - 1e-12)
        if not hasattr(self, "_ppfs"):
            self._ppfs = [fast_ppf(self.priors[n]) for n in self.names]
        return np.column_stack([f(U[:, i]) for i, f in enumerate(self._ppfs)]) \
            if self.d else np.zeros((U.shape[0], 0))

    def x_from_z(self, Z: np.ndarray) -> np.ndarray:
        return self.x_from_u(_sigmoid(Z))

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
        params = merge_inputs(sets, overrides=self.fixed)  # fixed: the region's and scenario's inputs
        self.calls += 1
        self.runs += n
        settings = RunSettings(self.start, stop or self.errors.stop, self.dt, self.method)
        out = run_ensemble(self.model, params, n, settings, outputs=self.errors.indicators, arrays=True)
        return np.stack([out[name] for name in self.errors.indicators], axis=1)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Model values at the observations: (runs, observations)."""
        tr = self.trajectories(X)
        return tr[:, self.errors.ind_idx, self.errors.t_idx]

    def loglik(self, X: np.ndarray) -> np.ndarray:
        return self.errors.loglik(self.predict(X))

    def logpost_z(self, Z: np.ndarray) -> np.ndarray:
        Z = np.atleast_2d(Z)
        lp = -np.sum(_softplus(Z) + _softplus(-Z), axis=1)  # logistic prior density of z
        ll = self.loglik(self.x_from_z(Z))
        out = lp + ll
        return np.where(np.isfinite(out), out, -np.inf)

    def neg_logpost_u(self, U: np.ndarray) -> np.ndarray:
        """Objective of the mode search: -(log-likelihood + log prior density in x)."""
        X = self.x_from_u(U)
        out = -(self.loglik(X) + self.logprior_x(X))
        return np.where(np.isfinite(out), out, 1e12)


def screen_parameters(region, errors: ErrorModel, candidates: Sequence[str], priors, fixed, dt, method,
                      seed: int, backgrounds: int = 3, effects: bool = False):
    """Split parameters into those that move a fitted output in the window and those that cannot
    (with ``effects=True`` also return each parameter's largest relative effect on a fitted output).

    Each parameter is set to its prior's 2 % and 98 % quantiles over ``backgrounds`` random
    settings of the others (drawn from the priors); all runs go through the engine in one call.
    """
    names = list(candidates)
    if not names:
        return [], []
    rng = np.random.default_rng(seed)
    prob = Problem(compiled_model(), region.start_year, errors, names, priors, fixed, dt, method)
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
    if effects:  # largest relative change of each fitted output (columns), per parameter (rows)
        eff = np.nan_to_num(diff, nan=0.0).max(axis=0)
        return yes, no, pd.DataFrame(eff, index=names, columns=errors.table["obs_id"].tolist())
    return yes, no


# --- estimation ----------------------------------------------------------------------------------

@dataclass
class Config:
    steps: int
    walkers: int
    seed: int
    de_generations: int
    de_popsize: int
    local_starts: int
    holdout_steps: int
    quick: bool = False


def default_config(d: int, *, steps=None, walkers=None, seed=None, quick=False) -> Config:
    min_walkers = 2 * d + 2
    if walkers is None:
        walkers = max(min_walkers, 16 if quick else 64)
        walkers += walkers % 2
    if steps is None:
        steps = 400 if quick else DEFAULT_STEPS
    seed = DEFAULT_SEED if seed is None else seed
    if int(steps) != steps or steps < 20:
        raise ModelError(f"--steps must be a whole number of at least 20 (got {steps})")
    if int(walkers) != walkers or walkers < min_walkers or walkers % 2:
        raise ModelError(f"--walkers must be an even number of at least {min_walkers} "
                         f"(2 x {d} calibrated parameters + 2), got {walkers}")
    return Config(steps=int(steps), walkers=int(walkers), seed=int(seed),
                  de_generations=25 if quick else 80, de_popsize=6 if quick else 10,
                  local_starts=1 if quick else 3, holdout_steps=max(20, int(steps) // 4), quick=bool(quick))


def _progress(total, desc, enabled):
    # plain tqdm: tqdm.auto warns in notebooks without ipywidgets, even for a disabled bar
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, disable=not enabled, leave=False, dynamic_ncols=True)


def find_mode(prob: Problem, cfg: Config, progress: bool = False) -> dict:
    """Multi-start search for the posterior mode; returns u, x, value and the DE population."""
    from scipy.optimize import differential_evolution, minimize
    d = prob.d
    eps = 1e-6
    bar = _progress(cfg.de_generations, "mode search (differential evolution)", progress)

    def f_vec(Ut):  # scipy passes (d, S) when vectorized
        return prob.neg_logpost_u(np.asarray(Ut).T)

    def cb(*_a, **_k):
        if bar is not None:
            bar.update(1)
        return False

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        de = differential_evolution(f_vec, bounds=[(eps, 1 - eps)] * d, vectorized=True, updating="deferred",
                                    popsize=cfg.de_popsize, maxiter=cfg.de_generations, seed=cfg.seed,
                                    polish=False, init="latinhypercube", tol=1e-8, callback=cb)
    if bar is not None:
        bar.close()
    pop, energies = np.asarray(de.population), np.asarray(de.population_energies)
    order = np.argsort(energies)
    starts = [pop[order[0]]]
    for k in order[1:]:
        if len(starts) >= cfg.local_starts:
            break
        if min(np.max(np.abs(pop[k] - s)) for s in starts) > 0.05:
            starts.append(pop[k])

    h = 1e-5

    def fg(u):  # value and forward-difference gradient in ONE batched engine call
        u = np.clip(u, eps, 1 - eps)
        steps_ = np.where(u + h < 1 - eps, h, -h)
        U = np.vstack([u, u + np.diag(steps_)])
        f = prob.neg_logpost_u(U)
        g = (f[1:] - f[0]) / steps_
        g = np.where(np.isfinite(g) & (np.abs(g) < 1e10), g, 0.0)
        return float(f[0]), g

    best_u, best_f = pop[order[0]], float(energies[order[0]])
    for s in starts:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = minimize(fg, s, jac=True, method="L-BFGS-B", bounds=[(eps, 1 - eps)] * d,
                             options={"maxiter": 60 if not cfg.quick else 20})
            if r.fun < best_f:
                best_u, best_f = np.asarray(r.x), float(r.fun)
        except Exception:  # a failed polish keeps the DE answer
            pass
    return {"u": best_u, "x": prob.x_from_u(best_u)[0], "neg_logpost": best_f, "de": de,
            "population": pop, "energies": energies}


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


def burn_in(steps: int) -> int:
    """Steps discarded: a third of the chain, at least half of it up to 600 steps (walkers start
    from a Laplace approximation and reach the typical set in a few hundred steps here)."""
    return max(steps // 3, min(steps // 2, 600))


def laplace_covariance(prob: Problem, z0: np.ndarray, h: float = 1e-2) -> np.ndarray:
    """Inverse Hessian of -log posterior at ``z0`` (in z space), by central differences
    evaluated in ONE engine call; eigenvalues clipped so the result is a usable covariance
    for starting the walkers (not used for inference)."""
    d = len(z0)
    E = np.eye(d) * h
    pts = [z0]
    pairs = [(i, j) for i in range(d) for j in range(i, d)]
    for i, j in pairs:
        pts += [z0 + E[i] + E[j], z0 + E[i] - E[j], z0 - E[i] + E[j], z0 - E[i] - E[j]]
    f = -prob.logpost_z(np.array(pts))
    H = np.zeros((d, d))
    for k, (i, j) in enumerate(pairs):
        a, b, c, e = f[1 + 4 * k: 5 + 4 * k]
        H[i, j] = H[j, i] = (a - b - c + e) / (4 * h * h)
    H = np.where(np.isfinite(H), H, 0.0)
    w, V = np.linalg.eigh(0.5 * (H + H.T))
    w = np.clip(w, 0.25, 1e6)  # curvature at least that of the logistic prior near its centre
    return (V / w) @ V.T


def sample_posterior(prob: Problem, mode_u: np.ndarray, cfg: Config, progress: bool = False,
                     target_draws: int = TARGET_DRAWS) -> dict:
    try:
        import emcee
    except ImportError:
        raise ModelError("calibration needs emcee: pip install 'innosd[calibration]'") from None
    d, W = prob.d, cfg.walkers
    rng = np.random.default_rng(cfg.seed + 1)
    z0 = _logit(np.clip(mode_u, 1e-6, 1 - 1e-6))
    cov = laplace_covariance(prob, z0)
    p0 = rng.multivariate_normal(z0, cov, size=W, method="eigh")
    lp = prob.logpost_z(p0)
    for k in range(30):  # walkers must start where the posterior is positive
        bad = ~np.isfinite(lp)
        if not bad.any():
            break
        shrink = 0.5 ** (k + 1)
        p0[bad] = rng.multivariate_normal(z0, cov * shrink, size=int(bad.sum()), method="eigh")
        lp[bad] = prob.logpost_z(p0[bad])
    moves = [(getattr(emcee.moves, name)(), w) for name, w in MOVES]
    sampler = emcee.EnsembleSampler(W, d, prob.logpost_z, vectorize=True, moves=moves)
    state = emcee.State(p0, log_prob=lp, random_state=np.random.RandomState(cfg.seed % (2 ** 32)).get_state())
    sampler.run_mcmc(state, cfg.steps, progress=progress,
                     progress_kwargs={"desc": "posterior sample (emcee)", "leave": False})
    burn = burn_in(cfg.steps)
    chain = sampler.get_chain(discard=burn)  # (n, W, d) in z
    n_post = chain.shape[0]
    import logging
    logger = logging.getLogger("emcee.autocorr")
    level = logger.level
    logger.setLevel(logging.ERROR)  # the shortfall is reported as chain / tau instead
    try:
        with warnings.catch_warnings():  # a very short chain divides by zero inside emcee's estimator
            warnings.simplefilter("ignore", RuntimeWarning)
            tau = np.asarray(sampler.get_autocorr_time(discard=burn, quiet=True), float) if d else np.zeros(0)
    finally:
        logger.setLevel(level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # R-hat in the original parameter space (monotone transform of z; computed on z is
        # equivalent in spirit, but x is what users read)
        xchain = prob.x_from_z(chain.reshape(-1, d)).reshape(chain.shape) if d else chain
        rhat = split_rhat(xchain)
    thin = max(1, (n_post * W) // target_draws)
    # keep whole thinned steps, ending with the last one: (steps/thin) x walkers draws
    flat = chain[(n_post - 1) % thin::thin].reshape(-1, d)
    acc = np.asarray(sampler.acceptance_fraction)
    return {"z": flat, "x": prob.x_from_z(flat), "burn": burn, "thin": thin, "tau": tau,
            "chain_over_tau": n_post / np.where(tau > 0, tau, np.nan), "rhat": rhat,
            "acceptance": acc, "n_post": n_post, "sampler": sampler}


# --- results -------------------------------------------------------------------------------------

@dataclass
class CalibrationResult:
    region: str
    draws: pd.DataFrame                 # one column per parameter (calibrated and prior-only), one row per draw
    diagnostics: dict
    fit: pd.DataFrame                   # one row per observation: observed, band, in-band, error
    series: pd.DataFrame                # per indicator: MAPE (Lewis), Theil decomposition
    identification: pd.DataFrame        # per parameter: prior vs posterior 90 % width
    identified: list[str]               # parameters informed by the data (ratio < INFORMED_RATIO)
    calibrated: list[str]               # parameters in the likelihood (sampled by MCMC)
    prior_only: list[str]               # parameters that cannot move a fitted output: drawn from the prior
    mode: dict
    holdout: pd.DataFrame | None = None
    baselines: pd.DataFrame | None = None
    config: Config | None = None
    seconds: float = 0.0
    paths: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    bands: pd.DataFrame | None = None   # per indicator and year: predictive and model bands (charts)
    sensitivity: pd.DataFrame | None = None  # parameter x observation: largest relative effect over the prior

    @property
    def posterior(self) -> xr.Dataset:
        return posterior_dataset(self)


def _sha256(path: Path) -> str:
    if not path.exists():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _theil(sim: np.ndarray, act: np.ndarray) -> dict:
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


def fit_statistics(errors: ErrorModel, pred_draws: np.ndarray, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per observation (band, in-band, error) and per series (MAPE, Theil) from model draws."""
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
        th = _theil(g["model_median"].to_numpy(), g["observed"].to_numpy())
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


def identification_table(draws: pd.DataFrame, priors, calibrated, prior_only, mode_x=None) -> pd.DataFrame:
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


# --- out-of-sample baselines -------------------------------------------------------------------

def baseline_forecasts(years: Sequence[int], values: Sequence[float], target_year: int) -> dict:
    """Log-linear trend (OLS) and exponential smoothing forecasts of ``target_year``.

    Needs at least 3 positive points; returns {} otherwise.  ETS needs consecutive years.
    """
    import statsmodels.api as sm
    yrs, vals = np.asarray(years, float), np.asarray(values, float)
    ok = vals > 0
    yrs, vals = yrs[ok], vals[ok]
    out = {}
    if len(np.unique(yrs)) < 3:
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


# --- the driver ----------------------------------------------------------------------------------

def _fit_table(region, observations) -> pd.DataFrame:
    """The observations to fit: the region's, or a table given by the user, either as edited
    (``value`` in ``unit``, the columns of observations.csv) or already in model units."""
    if observations is None:
        return region.fit_observations()
    obs = observations.copy()
    if "model_value" not in obs.columns:
        from ..inputs.region import observations_in_model_units
        obs = observations_in_model_units(obs, "observations passed to calibrate()")
    if "use" in obs.columns:
        obs = obs[obs["use"].astype(str).isin(["fit", ""])]
    return obs[obs["year"].astype(int) >= region.start_year] if len(obs) else obs


def _fixed_inputs(region, scenario) -> tuple[dict, list[str]]:
    fixed = merge_inputs(region=region, scenario=scenario)
    notes = []
    if scenario is not None:
        notes.append(f"levers and exogenous series over the window from the region's baseline scenario "
                     f"({scenario.path.name})")
    return fixed, notes


def calibrate(region: str, *, steps: int | None = None, walkers: int | None = None, seed: int | None = None,
              quick: bool = False, window: tuple[int, int] | None = None,
              observations: pd.DataFrame | None = None, write: bool = True, holdout: bool = True,
              parameters: Sequence[str] | None = None, fixed: Mapping[str, float] | None = None,
              progress: bool = False, charts: bool = True) -> CalibrationResult:
    """Calibrate ``region``'s uncertain parameters to its observations.

    ``window`` (start, end) limits the observations used (default: the profile's
    ``calibration_window``; start no earlier than the region's start year, where the model
    always starts).  ``observations`` replaces the region's table
    (same columns as :meth:`Region.fit_observations`).  ``parameters`` restricts the calibration
    to those priors, holding the others at their defaults (or at ``fixed``).  ``write`` writes
    ``posterior.nc``, ``fit-report.md`` and ``fit-charts/`` under ``calibration/<region>/``.
    """
    from ..inputs.priors import load_priors
    from ..inputs.workspace import writable_home
    from ..inputs.region import load_region

    t0 = time.perf_counter()
    reg = load_region(region)
    # refused before the work, not after it, when the data are the read-only shipped copy
    out = writable_home() / "calibration" / reg.key if write else None
    priors = load_priors()
    obs = _fit_table(reg, observations)
    if obs is None or len(obs) == 0:
        raise ModelError(f"region '{reg.key}' has no observations marked use=fit; nothing to calibrate")
    start = reg.start_year
    if window is None:  # the profile's calibration_window, else every observation from the start year
        cw = reg.profile.get("calibration_window") or {}
        window = (int(cw.get("start", start)), int(cw.get("end", obs["year"].astype(int).max())))
    w0, w1 = int(window[0]), int(window[1])
    if w0 < start:
        raise ModelError(f"window starts in {w0}, before the region's start year {start}")
    if w1 <= start:
        raise ModelError(f"window must end after the start year {start} (got {w1})")
    scenario = _history_scenario(reg.key)
    fixed_inputs, notes = _fixed_inputs(reg, scenario)
    dt = scenario.dt if scenario is not None else 0.25
    method = scenario.method if scenario is not None else "euler"
    table = obs[(obs["year"].astype(int) >= w0)]
    errors = ErrorModel(table, start, w1)
    n_before = int((obs["year"].astype(int) < w0).sum())
    if n_before:
        notes.append(f"{n_before} observation(s) before {w0} skipped (context)")
    unknown = [i for i in errors.indicators if i not in _model_outputs()]
    if unknown:
        raise ModelError(f"observation indicator '{unknown[0]}' is not an output of the model")

    region_set = set(fixed_inputs)
    if parameters is not None:
        bad = [p for p in parameters if p not in priors]
        if bad:
            from ..core.names import closest
            raise ModelError(f"'{bad[0]}' has no prior in calibration/priors.csv" + closest(bad[0], priors))
        candidates = [p for p in parameters if p not in region_set]
        held = {n: (fixed or {}).get(n, priors[n].default) for n in priors if n not in candidates
                and n not in region_set}
    else:
        candidates = [n for n in priors if n not in region_set and n not in (fixed or {})]
        held = dict(fixed or {})
    fixed_all = {**held, **fixed_inputs}
    seed_ = DEFAULT_SEED if seed is None else int(seed)
    calibrated, prior_only, sens = screen_parameters(reg, errors, candidates, priors, fixed_all, dt, method, seed_,
                                                     effects=True)
    if not calibrated:
        raise ModelError("no parameter with a prior can move any fitted output in the window; nothing to calibrate")
    cfg = default_config(len(calibrated), steps=steps, walkers=walkers, seed=seed_, quick=quick)

    res = _run(reg, errors, calibrated, prior_only, priors, fixed_all, held, dt, method, cfg, progress)
    res.notes = notes + res.notes
    res.sensitivity = sens
    if holdout:
        _holdout(res, reg, obs, calibrated, priors, fixed_all, dt, method, cfg, w0, w1, progress)
    res.seconds = time.perf_counter() - t0
    if write:
        res.paths = write_outputs(res, out, charts=charts)
        res.seconds = time.perf_counter() - t0
        # the report states the wall time; rewrite it with the final figure
        (out / "fit-report.md").write_text(fit_report(res), encoding="utf-8")
    return res


def synthetic_observations(region: str, truth: Mapping[str, float], *, seed: int = 0,
                           observations: pd.DataFrame | None = None, noise: bool = True) -> pd.DataFrame:
    """The region's observation pattern (indicators, years, confidences) filled with values
    simulated from ``truth`` (other priors at their defaults) plus noise from the error model.

    Used by the synthetic recovery test, and by anyone checking what the data could identify.
    """
    from ..inputs.priors import load_priors
    from ..inputs.region import load_region
    reg = load_region(region)
    priors = load_priors()
    obs = _fit_table(reg, observations).reset_index(drop=True)
    errors = ErrorModel(obs, reg.start_year, int(obs["year"].astype(int).max()))
    scenario = _history_scenario(reg.key)
    fixed_inputs, _ = _fixed_inputs(reg, scenario)
    held = {n: p.default for n, p in priors.items() if n not in fixed_inputs and n not in truth}
    names = list(truth)
    prob = Problem(compiled_model(), reg.start_year, errors, names, priors, {**held, **fixed_inputs},
                   scenario.dt if scenario is not None else 0.25, scenario.method if scenario is not None else "euler")
    pred = prob.predict(np.array([[float(truth[n]) for n in names]]))
    values = errors.sample(pred, np.random.default_rng(seed))[0] if noise else pred[0]
    out = errors.table[[c for c in obs.columns if c in errors.table.columns]].copy()
    out["model_value"] = values
    # the noise was drawn with the real table's errors: fit the synthetic data with the same ones
    # (re-deriving them from simulated values would change zeros to log-normal, conflicts' spread...)
    out["error"] = np.where(errors.is_log, "log-normal", "additive")
    out["error_sd"] = errors.s
    if "value" in out.columns:
        out["value"] = np.nan
    out["source"] = f"synthetic (seed {seed})"
    return out


def parameter_effects(region: str, observations: pd.DataFrame | None = None, seed: int = DEFAULT_SEED) -> pd.Series:
    """Each prior parameter's largest relative effect on a fitted output (0 = not in the likelihood),
    largest first: which parameters the history could possibly inform."""
    from ..inputs.priors import load_priors
    from ..inputs.region import load_region
    reg = load_region(region)
    priors = load_priors()
    obs = _fit_table(reg, observations)
    errors = ErrorModel(obs, reg.start_year, int(obs["year"].astype(int).max()))
    scenario = _history_scenario(reg.key)
    fixed_inputs, _ = _fixed_inputs(reg, scenario)
    names = [n for n in priors if n not in fixed_inputs]
    _, _, eff = screen_parameters(reg, errors, names, priors, fixed_inputs,
                                  scenario.dt if scenario is not None else 0.25,
                                  scenario.method if scenario is not None else "euler", seed, effects=True)
    return eff.max(axis=1).rename("effect").sort_values(ascending=False)


_OUTPUTS_CACHE: list[str] = []


def _model_outputs() -> list[str]:
    if not _OUTPUTS_CACHE:
        _OUTPUTS_CACHE.extend(compiled_model().recorded)
    return _OUTPUTS_CACHE


def _run(reg, errors, calibrated, prior_only, priors, fixed_all, held, dt, method, cfg, progress) -> CalibrationResult:
    prob = Problem(compiled_model(), reg.start_year, errors, calibrated, priors, fixed_all, dt, method)
    t = time.perf_counter()
    mode = find_mode(prob, cfg, progress)
    t_mode = time.perf_counter() - t
    t = time.perf_counter()
    mc = sample_posterior(prob, mode["u"], cfg, progress)
    t_mcmc = time.perf_counter() - t
    X = mc["x"]
    n = X.shape[0]
    rng = np.random.default_rng(cfg.seed + 2)
    cols = {name: X[:, i] for i, name in enumerate(calibrated)}
    for name in prior_only:
        cols[name] = priors[name].sample(rng, n)
    for name, v in held.items():
        if name in priors and name not in cols:
            cols[name] = np.full(n, float(v))
    draws = pd.DataFrame(cols)
    traj = prob.trajectories(X)                       # (n, indicators, years)
    pred = traj[:, errors.ind_idx, errors.t_idx]
    fit, series = fit_statistics(errors, pred, rng)
    bands = _bands(errors, traj, rng)
    ident = identification_table(draws, priors, calibrated, prior_only,
                                 dict(zip(calibrated, mode["x"])))
    identified = ident.loc[ident["informed"], "parameter"].tolist()
    tau = mc["tau"]
    diag = {
        "acceptance_mean": float(np.mean(mc["acceptance"])), "acceptance_min": float(np.min(mc["acceptance"])),
        "tau_max": float(np.nanmax(tau)), "tau_mean": float(np.nanmean(tau)),
        "chain_over_tau_min": float(np.nanmin(mc["chain_over_tau"])),
        "rhat_max": float(np.nanmax(mc["rhat"])), "burn_in": mc["burn"], "thin": mc["thin"],
        "draws": n, "post_burn_steps": mc["n_post"], "engine_calls": prob.calls, "engine_runs": prob.runs,
        "seconds_mode": t_mode, "seconds_mcmc": t_mcmc,
        "tau": dict(zip(calibrated, map(float, tau))), "rhat": dict(zip(calibrated, map(float, mc["rhat"]))),
        "neg_logpost_mode": mode["neg_logpost"],
        "loglik_mode": float(prob.loglik(mode["x"][None, :])[0]),
    }
    notes = []
    if diag["chain_over_tau_min"] < 50:
        notes.append(f"the shortest chain is {diag['chain_over_tau_min']:.0f} autocorrelation times long "
                     "(emcee suggests at least 50); the tau estimate itself is then uncertain")
    if diag["rhat_max"] > 1.1:
        notes.append(f"split-R-hat reaches {diag['rhat_max']:.2f} (> 1.1): some walkers have not mixed")
    return CalibrationResult(region=reg.key, draws=draws, diagnostics=diag, fit=fit, series=series,
                             identification=ident, identified=identified, calibrated=list(calibrated),
                             prior_only=list(prior_only), mode=dict(zip(calibrated, map(float, mode["x"]))),
                             config=cfg, notes=notes, bands=bands)


def _bands(errors: ErrorModel, traj: np.ndarray, rng) -> pd.DataFrame:
    """Per indicator and year: model and predictive (model + observation error) quantiles."""
    t = errors.table
    years = np.arange(errors.start, errors.stop + 1)
    rows = []
    for k, ind in enumerate(errors.indicators):
        g = t[t["indicator"] == ind]
        logs = g[g["error"] == "log-normal"]
        model = traj[:, k, :]
        if len(logs):
            s = float(logs["sigma_total"].median())
            noisy = model * np.exp(s * rng.standard_normal(model.shape))
        else:
            s = float(g["sd_model_units"].median())
            noisy = model + s * rng.standard_normal(model.shape)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mq = np.nanquantile(model, [BAND[0], 0.5, BAND[1]], axis=0)
            pq = np.nanquantile(noisy, [BAND[0], BAND[1]], axis=0)
        for j, y in enumerate(years):
            rows.append({"indicator": ind, "year": int(y), "model_p05": mq[0, j], "model_median": mq[1, j],
                         "model_p95": mq[2, j], "pred_p05": pq[0, j], "pred_p95": pq[1, j]})
    return pd.DataFrame(rows)


def _holdout(res: CalibrationResult, reg, obs, calibrated, priors, fixed_all, dt, method, cfg, w0, w1, progress):
    """Fit to observations up to w1-1, predict the observations of w1; compare with baselines."""
    target = w1
    obs_w = obs[(obs["year"].astype(int) >= w0) & (obs["year"].astype(int) <= w1)]
    before = obs_w[obs_w["year"].astype(int) < target]
    after = obs_w[obs_w["year"].astype(int) == target]
    if len(after) == 0:
        res.notes.append(f"out-of-sample check skipped: no observation in {target}")
        return
    errors_all = ErrorModel(obs_w, reg.start_year, w1)
    if len(before) == 0 or before["year"].astype(int).max() <= reg.start_year:
        fit_before = None
    else:
        fit_before = ErrorModel(before, reg.start_year, target - 1)
    hcfg = Config(**{**cfg.__dict__, "steps": cfg.holdout_steps, "seed": cfg.seed + 7,
                     "de_generations": max(10, cfg.de_generations // 2), "local_starts": 1})
    prob_all = Problem(compiled_model(), reg.start_year, errors_all, calibrated, priors, fixed_all, dt, method)
    if fit_before is not None:
        prob = Problem(compiled_model(), reg.start_year, fit_before, calibrated, priors, fixed_all, dt, method)
        mode = find_mode(prob, hcfg, progress)
        X = sample_posterior(prob, mode["u"], hcfg, progress)["x"]
        how = (f"posterior from the {len(fit_before)} observation(s) of {reg.start_year}-{target - 1} "
               f"({hcfg.walkers} walkers x {hcfg.steps} steps)")
    else:
        rng0 = np.random.default_rng(cfg.seed + 8)
        X = prob_all.x_from_u(rng0.random((TARGET_DRAWS, len(calibrated))))
        how = "no observation before the target year inside the window: the prior predictive"
    pred = prob_all.predict(X)
    rng = np.random.default_rng(cfg.seed + 9)
    noisy = errors_all.sample(pred, rng)
    sel = (errors_all.table["year"] == target).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        q = np.nanquantile(noisy[:, sel], [BAND[0], 0.5, BAND[1]], axis=0)
        med = np.nanmedian(pred[:, sel], axis=0)
    t = errors_all.table[sel].reset_index(drop=True)
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
            if n_years >= 3 else {}
        for _, r in g.iterrows():
            row = {"indicator": ind, "obs_id": r["obs_id"], "points_before": int(len(pts)),
                   "years_before": int(n_years), "observed": r["observed"], "model": r["forecast_median"],
                   "model_abs_error": abs(r["forecast_median"] - r["observed"])}
            if not fc:
                row["note"] = (f"too few points for a baseline ({n_years} year(s) before {target}; "
                               "3 needed)")
            else:
                errs = {"innosd model": row["model_abs_error"]}
                for k, v in fc.items():
                    row[k] = v
                    errs[k] = abs(v - r["observed"])
                row["best"] = min(errs, key=errs.get)
                row["note"] = ""
            rows.append(row)
    res.holdout = ho
    res.baselines = pd.DataFrame(rows)
    res.diagnostics["holdout"] = how


# --- outputs -------------------------------------------------------------------------------------

def posterior_dataset(res: CalibrationResult) -> xr.Dataset:
    from .. import __version__
    from ..inputs.priors import load_priors
    from ..inputs.workspace import calibration_dir
    from ..sectors import model_fingerprint
    priors = load_priors()
    d = res.diagnostics
    data = {}
    for name in res.draws.columns:
        p = priors.get(name)
        how = ("emcee (in the likelihood)" if name in res.calibrated else
               "prior (cannot move any fitted output in the window)" if name in res.prior_only else
               "held fixed")
        data[name] = xr.Variable(("draw",), res.draws[name].to_numpy(float),
                                 attrs={"units": p.units if p else "", "sampled_from": how})
    cfg = res.config
    summary = (f"acceptance {d['acceptance_mean']:.2f} (min {d['acceptance_min']:.2f}); "
               f"tau max {d['tau_max']:.1f}; chain/tau min {d['chain_over_tau_min']:.1f}; "
               f"split-R-hat max {d['rhat_max']:.3f}")
    folder = calibration_dir() / res.region
    attrs = {
        "title": f"innosd posterior sample for {res.region}",
        "region": res.region, "seed": cfg.seed, "steps": cfg.steps, "walkers": cfg.walkers,
        "burn_in": d["burn_in"], "thin": d["thin"], "draws": int(len(res.draws)),
        "diagnostics": summary, "acceptance_mean": d["acceptance_mean"], "tau_max": d["tau_max"],
        "chain_over_tau_min": d["chain_over_tau_min"], "rhat_max": d["rhat_max"],
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "observations_sha256": _sha256(folder / "observations.csv"),
        "priors_sha256": _sha256(calibration_dir() / "priors.csv"),
        "profile_sha256": _sha256(folder / "profile.yaml"),
        "model_sha256": model_fingerprint(),
        "calibrated_parameters": ",".join(res.calibrated),
        "prior_only_parameters": ",".join(res.prior_only),
        "informed_parameters": ",".join(res.identified),
        "error_model": (f"log-normal, log-sd by confidence {SIGMA_BY_CONFIDENCE}, x{DERIVED_FACTOR} for derived; "
                        "additive for zero values; measure-discrepancy term for conflicting measures"),
        "innosd_version": __version__, "wall_time_seconds": round(res.seconds, 1),
    }
    return xr.Dataset(data, coords={"draw": np.arange(len(res.draws))}, attrs=attrs)


def write_outputs(res: CalibrationResult, folder: Path, charts: bool = True) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    ds = posterior_dataset(res)
    post = folder / "posterior.nc"
    tmp = folder / f".posterior.nc.partial-{os.getpid()}"
    ds.to_netcdf(tmp, engine="scipy")
    os.replace(tmp, post)
    paths["posterior"] = post
    if charts:
        paths["charts"] = write_charts(res, folder / "fit-charts")
    report = folder / "fit-report.md"
    report.write_text(fit_report(res), encoding="utf-8")
    paths["report"] = report
    return paths


def _units_of(name: str) -> str:
    try:
        from ..sectors import shipped_model
        return shipped_model().elements[name].units or ""
    except Exception:
        return ""


def write_charts(res: CalibrationResult, folder: Path) -> Path:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    markers = ["o", "s", "^", "D", "v", "P"]
    for ind, b in res.bands.groupby("indicator", sort=True):
        f = res.fit[res.fit["indicator"] == ind]
        fig, ax = plt.subplots(figsize=(6.4, 3.8))
        ax.fill_between(b["year"], b["pred_p05"], b["pred_p95"], color="#9ecae1", alpha=0.6,
                        label="posterior predictive 5-95 % (with observation error)")
        ax.fill_between(b["year"], b["model_p05"], b["model_p95"], color="#3182bd", alpha=0.35,
                        label="model 5-95 % (parameter uncertainty only)")
        ax.plot(b["year"], b["model_median"], color="#08519c", lw=2, label="posterior median")
        for k, (meas, g) in enumerate(f.groupby("measure", sort=True)):
            ax.scatter(g["year"], g["observed"], marker=markers[k % len(markers)], s=45, zorder=5,
                       color="#d62728" if k == 0 else "#ff7f0e" if k == 1 else "#2ca02c",
                       edgecolor="black", label=f"observed ({meas or 'n/a'})")
        units = _units_of(ind)
        ax.set_title(ind + (f" [{units}]" if units else ""))
        ax.set_xlabel("year")
        ax.set_xticks(b["year"])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, loc="upper left")
        fig.tight_layout()
        fig.savefig(folder / f"{ind}.png", dpi=110)
        plt.close(fig)
    ident = res.identification
    if len(ident):
        ident = ident.sort_values("ratio")
        fig, ax = plt.subplots(figsize=(6.4, max(2.5, 0.28 * len(ident) + 1)))
        colors = ["#2ca02c" if r else ("#7f7f7f" if not l else "#1f77b4")
                  for r, l in zip(ident["informed"], ident["in_likelihood"])]
        ax.barh(ident["parameter"], ident["ratio"], color=colors)
        ax.axvline(INFORMED_RATIO, color="red", ls="--", lw=1, label=f"informed if < {INFORMED_RATIO}")
        ax.set_xlabel("posterior 90 % width / prior 90 % width")
        from matplotlib.patches import Patch
        handles = [Patch(color="#2ca02c", label="informed by the data"),
                   Patch(color="#1f77b4", label="in the likelihood, not informed"),
                   Patch(color="#7f7f7f", label="cannot move a fitted output (prior)")]
        ax.legend(handles=handles + [ax.get_lines()[0]], fontsize=7, loc="lower right")
        ax.set_title("What the history tells about each parameter")
        ax.grid(alpha=0.3, axis="x")
        fig.tight_layout()
        fig.savefig(folder / "_parameters.png", dpi=110)
        plt.close(fig)
    return folder


def _fmt(v, digits=3):
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "**no**"
    if isinstance(v, (int, np.integer)):
        return str(v)
    a = abs(float(v))
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{v:.{digits}g}"
    return f"{v:.{digits}g}" if a < 1 else f"{v:,.{max(0, digits - len(str(int(a))))}f}" if a < 1000 else f"{v:,.0f}"


def _md_table(df: pd.DataFrame, cols: Sequence[str], headers: Sequence[str] | None = None) -> str:
    headers = headers or cols
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(_fmt(r[c]) if not isinstance(r[c], str) else r[c] for c in cols) + " |")
    return "\n".join(lines)


def _miss_reason(r, res: CalibrationResult) -> str:
    side = "above" if r["observed"] > r["pred_p95"] else "below"
    if r["discrepancy"] > 0:
        return (f"conflicting measures of the same year ({side} the band): one model value cannot match both, "
                "even with the measure-discrepancy term")
    ratio = r["observed"] / r["model_median"] if r["model_median"] else np.nan
    txt = f"observed {side} the band ({_fmt(ratio, 2)} x the model median)"
    sens = res.sensitivity
    ident = res.identification.set_index("parameter")
    if sens is not None and r["obs_id"] in sens.columns:
        col = sens[r["obs_id"]]
        col = col[col.index.isin(res.calibrated) & (col > 1e-3)].sort_values(ascending=False)[:3]
        if len(col):
            parts = []
            for p, v in col.items():
                b = ident.at[p, "at_bound"] if p in ident.index else ""
                parts.append(f"`{p}`" + (f" (pressed against its {b} bound)" if b else ""))
            txt += "; the parameters that move it most: " + ", ".join(parts)
            if any(ident.at[p, "at_bound"] for p in col.index if p in ident.index):
                txt += ". Reaching it would need a parameter beyond its prior range"
            else:
                txt += ". They are held back by the other observations they also drive"
        else:
            txt += "; no calibrated parameter moves it: only the model structure or fixed inputs could"
    return txt + (". Either the model's definition differs from the source's measure, or the structure misses "
                  "what drove this value; by chance alone about 1 in 10 observations falls outside a 90 % band.")


def fit_report(res: CalibrationResult) -> str:
    d, cfg = res.diagnostics, res.config
    fit, series, ident = res.fit, res.series, res.identification
    L = []
    L.append(f"# Calibration fit report: {res.region}")
    L.append("")
    L.append(f"Written {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `innosd calibrate --region {res.region}`"
             f" (seed {cfg.seed}, {cfg.walkers} walkers x {cfg.steps} steps{', quick' if cfg.quick else ''}); "
             f"wall time {res.seconds:.0f} s on this machine.")
    L.append("")
    n_in = int(fit["in_band"].sum())
    L.append(f"**Summary.** {len(fit)} observations fitted with {len(res.calibrated)} parameters in the "
             f"likelihood ({len(res.prior_only)} more cannot move any fitted output in the window and keep their "
             f"prior). {n_in} of {len(fit)} observations fall inside the 5-95 % posterior predictive band. "
             f"{len(res.identified)} parameter(s) are informed by the data: "
             + (", ".join(f"`{p}`" for p in res.identified) or "none") + ".")
    L.append("")
    L.append("## 1. Likelihood and its assumptions")
    L.append("")
    L.append("* Each observation (`use=fit` in `observations.csv`) is compared with the model element of the same "
             "name at time = its year: stocks as the end-of-year value, flows as the rate at that time. "
             "Observations before the region's start year are context and skipped.")
    L.append(f"* **Assumption** (no published error rates exist for these figures): a multiplicative log-normal "
             f"error with log-sd by the source's stated confidence: high {SIGMA_BY_CONFIDENCE['high']}, medium "
             f"{SIGMA_BY_CONFIDENCE['medium']}, low {SIGMA_BY_CONFIDENCE['low']} (unknown labels as low); derived "
             f"values (arithmetic on other figures) x{DERIVED_FACTOR:g}. Multiplicative because the figures span "
             "orders of magnitude and official counts are revised by proportions, not fixed amounts.")
    L.append("* A value of zero (e.g. 'no A-class county in 2019') cannot be log-normal: it gets an additive "
             "normal error with sd = (its log-sd) x max(the indicator's largest observed value, 1 model unit).")
    L.append("* **Conflicting measures are both used.** When one indicator has two values for the same year from "
             "different measures (HTE 2020: 530 in the 14th FYP table, 450 in the S&T bureau's year-end report), "
             "both enter the likelihood. Because each alone has a tight high-confidence error, together they "
             "would pull the model to their geometric mean with a falsely small error and show both as misfits. "
             "A measure-discrepancy term, the standard deviation of the conflicting log values, is added in "
             "quadrature to each one's error, so the posterior reflects that the sources disagree.")
    conf = fit[fit["discrepancy"] > 0]
    if len(conf):
        L.append("")
        L.append(_md_table(conf, ["obs_id", "indicator", "year", "measure", "observed", "discrepancy", "sigma"],
                           ["observation", "indicator", "year", "measure", "value", "discrepancy (log-sd)",
                            "total log-sd"]))
    L.append("")
    L.append("## 2. Estimation and convergence")
    L.append("")
    L.append(f"* Posterior mode: differential evolution (vectorised, {cfg.de_generations} generations of "
             f"{cfg.de_popsize} x {len(res.calibrated)} candidates, one engine call each) on the unit cube of the "
             f"prior CDFs, then L-BFGS-B from {cfg.local_starts} start(s) with batched finite-difference gradients. "
             f"Log-likelihood at the mode: {d['loglik_mode']:.2f}.")
    L.append(f"* Posterior sample: emcee ({cfg.walkers} walkers x {cfg.steps} steps, DE 80 % / DE-snooker 20 % "
             f"moves, vectorised) in z = logit(prior CDF), where the prior density is logistic. First "
             f"{d['burn_in']} steps discarded; thinned by {d['thin']} to {d['draws']} draws.")
    L.append(f"* {d['engine_calls']} engine calls, {d['engine_runs']:,} simulated runs; mode search "
             f"{d['seconds_mode']:.0f} s, sampling {d['seconds_mcmc']:.0f} s.")
    L.append("")
    L.append("| diagnostic | value | rule of thumb |")
    L.append("|---|---|---|")
    L.append(f"| mean acceptance fraction | {d['acceptance_mean']:.2f} (min {d['acceptance_min']:.2f}) | 0.2-0.5 |")
    L.append(f"| integrated autocorrelation time tau (max / mean over parameters) | {d['tau_max']:.1f} / "
             f"{d['tau_mean']:.1f} steps | |")
    L.append(f"| post-burn chain length / tau (min) | {d['chain_over_tau_min']:.1f} | > 50 for a reliable tau |")
    L.append(f"| split-R-hat across walkers (max) | {d['rhat_max']:.3f} | < 1.1 (< 1.01 strict) |")
    L.append("")
    for note in res.notes:
        L.append(f"* Note: {note}")
    if res.notes:
        L.append("")
    L.append("## 3. Fit per observation")
    L.append("")
    L.append("Band = 5-95 % of the posterior predictive (model runs from the posterior, plus observation error "
             "drawn from the error model above). Error = posterior median of the model vs the observation.")
    L.append("")
    fit2 = fit.copy()
    fit2["why"] = ""
    for i, r in fit2.iterrows():
        if not r["in_band"]:
            fit2.at[i, "why"] = _miss_reason(r, res)
    L.append(_md_table(fit2, ["obs_id", "indicator", "year", "observed", "model_median", "pred_p05", "pred_p95",
                              "pct_error", "in_band", "why"],
                       ["observation", "indicator", "year", "observed", "model median", "band 5 %", "band 95 %",
                        "error %", "in band", "why not"]))
    L.append("")
    L.append("## 4. Fit per series: MAPE (Lewis scale) and Theil's decomposition")
    L.append("")
    L.append("MAPE on the Lewis (1982) scale: < 10 % highly accurate, 10-20 % good, 20-50 % reasonable, > 50 % "
             "inaccurate (zeros are left out of MAPE; see MAE). Theil's decomposition (Sterman 1984) splits the "
             "mean squared error into bias U^M, unequal variation U^S and unequal covariation U^C (ideal: error "
             "mostly in U^C). It needs at least 2 points and means little with fewer than about 4 points in 3 "
             "or more years, which is the case for every series here: **most series have a single point (2020) "
             "or two (start year and 2020), so the decomposition is shown only for completeness.**")
    L.append("")
    L.append(_md_table(series, ["indicator", "points", "MAPE_pct", "lewis", "MAE", "in_band", "UM", "US", "UC",
                                "theil_note"],
                       ["series", "points", "MAPE %", "Lewis", "MAE", "in band", "U^M", "U^S", "U^C", "note"]))
    L.append("")
    L.append("## 5. Which parameters the data inform")
    L.append("")
    L.append(f"Rule: a parameter is **informed by the data** when its posterior 90 % interval is narrower than "
             f"{INFORMED_RATIO} x its prior 90 % interval (ratio < {INFORMED_RATIO}). Parameters that cannot move "
             "any fitted output inside the window are not in the likelihood: their posterior is their prior "
             "(drawn directly; ratio about 1 by construction). A ratio near 1 means the history says nothing "
             "about the parameter and forecasts carry its full prior uncertainty.")
    L.append("")
    show = ident.sort_values(["in_likelihood", "ratio"], ascending=[False, True])
    L.append(_md_table(show, ["parameter", "units", "prior_p05", "prior_p95", "post_median", "post_p05", "post_p95",
                              "ratio", "informed", "in_likelihood", "at_bound"],
                       ["parameter", "units", "prior 5 %", "prior 95 %", "posterior median", "posterior 5 %",
                        "posterior 95 %", "width ratio", "informed", "in likelihood", "pressed against bound"]))
    L.append("")
    pinned = ident[ident["at_bound"] != ""]
    if len(pinned):
        L.append("**Pressed against a prior bound** (the whole posterior 90 % interval lies in the outer tenth of the "
                 "prior's range): " + ", ".join(f"`{r['parameter']}` ({r['at_bound']})" for _, r in pinned.iterrows())
                 + ". The data pull these parameters beyond what their priors allow; their narrow posteriors say "
                 "more about the bound than about the data. Either the prior range or the model structure behind "
                 "the observations they drive deserves a second look.")
        L.append("")
    if res.identified:
        L.append("Informed by the data: " + ", ".join(f"`{p}`" for p in res.identified) + ".")
    else:
        L.append("No parameter is informed by the data under this rule.")
    L.append("")
    L.append("## 6. Out-of-sample check inside the window")
    L.append("")
    if res.holdout is None:
        L.append("Not run.")
    else:
        ho = res.holdout
        tgt = int(ho["year"].iloc[0])
        L.append(f"Fit to observations up to {tgt - 1}, predict each {tgt} observation. Forecast source: "
                 f"{d.get('holdout', '')}. With this region's history most series are observed only at the start "
                 f"year and in {tgt}, so the earlier data constrain little and the bands are wide: the check "
                 "mainly tests whether the priors and model structure make the later values plausible.")
        L.append("")
        L.append(_md_table(ho, ["obs_id", "indicator", "observed", "forecast_median", "pred_p05", "pred_p95",
                                "pct_error", "in_band"],
                           ["observation", "indicator", "observed", "forecast median", "band 5 %", "band 95 %",
                            "error %", "in 90 % band"]))
        L.append("")
        n_in = int(ho["in_band"].sum())
        L.append(f"{n_in} of {len(ho)} {tgt} observations fall inside the 90 % predictive band of the fit to "
                 f"earlier data.")
        L.append("")
        b = res.baselines
        has = b[b["note"] == ""] if len(b) else b
        few = b[b["note"] != ""] if len(b) else b
        L.append("Baselines (statsmodels: log-linear trend by OLS; Holt exponential smoothing on logs when the "
                 f"years are consecutive) need at least 3 points before {tgt}.")
        L.append("")
        if len(few):
            per = few.groupby("indicator")["years_before"].first()
            L.append(f"**Too few points for a baseline** ({len(per)} series): "
                     + ", ".join(f"`{i}` ({n} year(s))" for i, n in per.items()) + ".")
            L.append("")
        if len(has):
            cols = ["obs_id", "observed", "model"] + [c for c in has.columns if c in (
                "log-linear trend (OLS)", "Holt exponential smoothing (log)")] + ["best"]
            L.append(_md_table(has, cols))
        else:
            L.append(f"No series has 3 or more points before {tgt}, so no baseline could be fitted and no "
                     "comparison with the model is possible on this data.")
    L.append("")
    L.append("## 7. Charts")
    L.append("")
    L.append("`fit-charts/<indicator>.png`: data (markers by measure) against the posterior median, the model's "
             "5-95 % band (parameter uncertainty) and the wider posterior predictive band (with observation "
             "error), over the window. `fit-charts/_parameters.png`: posterior/prior width ratio per parameter.")
    L.append("")
    for ind in sorted(res.fit["indicator"].unique()):
        L.append(f"![{ind}](fit-charts/{ind}.png)")
    L.append("")
    L.append("## 8. Files")
    L.append("")
    L.append(f"`calibration/{res.region}/posterior.nc`: {d['draws']} draws, one variable per parameter over "
             "dimension `draw` (netCDF3); attributes record seed, steps, walkers, diagnostics, date and the SHA-256 "
             "of observations.csv and priors.csv. `innosd run` draws its parameters from it.")
    L.append("")
    return "\n".join(L)
