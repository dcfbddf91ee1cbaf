"""Estimation: the posterior mode, then a posterior sample.

* **Mode** (:func:`find_mode`): ``scipy.optimize.differential_evolution`` (vectorised, deferred
  updating: one engine call per generation) on the unit cube of the priors' CDFs, then
  L-BFGS-B from the best few candidates with finite-difference gradients evaluated in one
  batched engine call each.
* **Sample** (:func:`sample_posterior`): emcee, ``vectorize=True`` (one engine call per
  half-step of the ensemble), in ``z = logit(F_prior(x))``, walkers started from a Laplace
  approximation at the mode.  Diagnostics: acceptance fraction, integrated autocorrelation
  time, chain length / tau, split-R-hat across walkers.
"""
from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np

from ...core.equations import ModelError
from ..defaults import DEFAULT_SEED, DEFAULT_STEPS  # noqa: F401 (re-exported)
from .diagnostics import split_rhat
from .problem import Problem, logit

#: emcee moves and their weights.
MOVES = (("DEMove", 0.8), ("DESnookerMove", 0.2))
#: Draws kept after thinning (about; whole thinned steps x walkers).
TARGET_DRAWS = 1500


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
    """The sampler's settings for ``d`` calibrated parameters; ``quick`` is for trying things out."""
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


def progress_bar(total, desc, enabled):
    # plain tqdm: tqdm.auto warns in notebooks without ipywidgets, even for a disabled bar
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, disable=not enabled, leave=False, dynamic_ncols=True)


def find_mode(prob: Problem, cfg: Config, progress: bool = False) -> dict:
    """Multi-start search for the posterior mode; returns u, x, value and the DE population."""
    from scipy.optimize import differential_evolution, minimize
    d = prob.d
    eps = 1e-6
    bar = progress_bar(cfg.de_generations, "mode search (differential evolution)", progress)

    def f_vec(Ut):  # scipy passes (d, S) when vectorized
        return prob.neg_logpost_u(np.asarray(Ut).T)

    def cb(*_a, **_k):
        bar.update(1)
        return False

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        de = differential_evolution(f_vec, bounds=[(eps, 1 - eps)] * d, vectorized=True, updating="deferred",
                                    popsize=cfg.de_popsize, maxiter=cfg.de_generations, seed=cfg.seed,
                                    polish=False, init="latinhypercube", tol=1e-8, callback=cb)
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
    """emcee from around the mode; returns the thinned draws (``x``, ``z``) and the diagnostics."""
    try:
        import emcee
    except ImportError:
        raise ModelError("calibration needs emcee: pip install 'innosd[calibration]'") from None
    d, W = prob.d, cfg.walkers
    rng = np.random.default_rng(cfg.seed + 1)
    z0 = logit(np.clip(mode_u, 1e-6, 1 - 1e-6))
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
