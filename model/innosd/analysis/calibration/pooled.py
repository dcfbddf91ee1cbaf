"""Pooled calibration across the province (two-stage, hierarchical). Writes nothing.

The parameters of ``calibration/pooled.yaml`` are shared by the province and its cities (one
county evaluation, one HTE certification office, one statistics bureau). Rather than let a city's
few points decide them alone, each city's value is taken as a draw around a province-level mean:

1. **Stage 1** calibrates the shared parameters in every other region of ``groups`` (their own
   parameters held at the medians of their region priors), giving each region j a posterior
   mean m_j and sd s_j per parameter;
2. a normal random-effects model (DerSimonian-Laird) gives the province-level mean mu, its
   standard error, and the spread tau of the regions around it (floored: see the YAML);
3. **Stage 2** calibrates the target region with, for each shared parameter, the predictive prior
   of a new member, normal(mu, tau^2 + se(mu)^2) truncated to the flat prior's bounds, where it is
   narrower than the flat prior. The target thus borrows strength from the province.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ...core.equations import ModelError
from ...core.names import closest
from ...inputs.priors import Prior
from ...inputs.region import load_region
from ...inputs.workspace import calibration_dir
from ...inputs.yamlfile import read_yaml

#: a normal's 90 % interval is 3.29 sd wide
WIDTH90_PER_SD = 3.2897


@dataclass
class PooledSpec:
    """``calibration/pooled.yaml``: shared parameters with reasons, the regions that inform them."""
    parameters: dict[str, str]
    groups: list[str]
    min_spread_fraction: float
    path: Path


def load_pooled_spec(path: Path | None = None) -> PooledSpec:
    path = Path(path) if path else calibration_dir() / "pooled.yaml"
    if not path.is_file():
        raise ModelError(f"{path}: not found (a pooled calibration lists its shared parameters there)")
    spec = read_yaml(path, "pooled-calibration file")[0] or {}
    if not isinstance(spec, dict):
        raise ModelError(f"{path}: expected a mapping with 'parameters' and 'groups'")
    params = spec.get("parameters") or {}
    if not isinstance(params, dict) or not params:
        raise ModelError(f"{path}: key 'parameters' expected a mapping of shared parameters to reasons")
    return PooledSpec({k: str(v).strip() for k, v in params.items()}, [str(g) for g in spec.get("groups") or []],
                      float(spec.get("min_spread_fraction", 0.25)), path)


def random_effects(means: np.ndarray, sds: np.ndarray, min_spread: float) -> tuple[float, float, float]:
    """DerSimonian-Laird: the common mean, its standard error and the between-group spread tau
    (at least ``min_spread``) from group estimates ``means`` with standard errors ``sds``."""
    m, v = np.asarray(means, float), np.maximum(np.asarray(sds, float), 1e-12) ** 2
    w = 1 / v
    mu_fixed = np.sum(w * m) / np.sum(w)
    k = len(m)
    tau2 = 0.0
    if k > 1:
        q = np.sum(w * (m - mu_fixed) ** 2)
        tau2 = max(0.0, (q - (k - 1)) / (np.sum(w) - np.sum(w ** 2) / np.sum(w)))
    tau = max(np.sqrt(tau2), min_spread)
    w_star = 1 / (v + tau ** 2)
    mu = float(np.sum(w_star * m) / np.sum(w_star))
    return mu, float(np.sqrt(1 / np.sum(w_star))), float(tau)


@dataclass
class PooledPrior:
    """The province-level prior: ``table`` (one row per shared parameter: each region's estimate,
    mean, spread, the prior used and whether it is narrower than the flat one), ``priors`` (the
    priors to use in the target's calibration), stage-1 timings and notes."""
    table: pd.DataFrame
    priors: dict[str, Prior]
    stage_seconds: dict[str, float]
    notes: list[str]


def pooled_prior(target: str, *, spec: PooledSpec | None = None, groups: list[str] | None = None,
                 steps: int | None = None, walkers: int | None = None, seed: int | None = None,
                 quick: bool = False, progress: bool = False) -> PooledPrior:
    """Stage 1 and the random-effects step for ``target``: the prior its shared parameters get."""
    from . import calibrate
    spec = spec or load_pooled_spec()
    target = target.lower()
    flat = load_region(target).priors_in_use()
    missing = [p for p in spec.parameters if p not in flat]
    if missing:
        raise ModelError(f"{spec.path}: shared parameter '{missing[0]}' has no prior in calibration/priors.csv"
                         + closest(missing[0], flat))
    members = [g for g in (groups if groups is not None else spec.groups) if g != target]
    if not members:
        raise ModelError(f"{spec.path}: no region besides '{target}' in 'groups' to pool with")
    estimates: dict[str, pd.DataFrame] = {}
    seconds: dict[str, float] = {}
    notes: list[str] = []
    for g in members:
        t0 = time.perf_counter()
        res = calibrate(g, parameters=list(spec.parameters), steps=steps, walkers=walkers, seed=seed, quick=quick,
                        holdout=False, progress=progress)
        seconds[g] = time.perf_counter() - t0
        informs = [p for p in spec.parameters if p in res.calibrated]
        estimates[g] = pd.DataFrame({"mean": res.draws[informs].mean(), "sd": res.draws[informs].std(ddof=1)})
        notes.append(f"stage 1: {g} ({len(res.fit)} observations) informs {len(informs)} of {len(spec.parameters)} "
                     f"shared parameters in {seconds[g]:.0f} s")
    rows, priors = [], {}
    for name, reason in spec.parameters.items():
        p = flat[name]
        lo90, hi90 = p.interval(0.9)
        flat_sd = (hi90 - lo90) / WIDTH90_PER_SD
        have = [g for g in members if name in estimates[g].index]
        row = {"parameter": name, "reason": reason, "flat_lo90": lo90, "flat_hi90": hi90,
               **{f"{g}_mean": estimates[g].loc[name, "mean"] if g in have else np.nan for g in members},
               **{f"{g}_sd": estimates[g].loc[name, "sd"] if g in have else np.nan for g in members}}
        if not have:
            rows.append({**row, "used": "flat (no region's data moves it)"})
            continue
        mu, se, tau = random_effects(np.array([estimates[g].loc[name, "mean"] for g in have]),
                                     np.array([estimates[g].loc[name, "sd"] for g in have]),
                                     spec.min_spread_fraction * flat_sd)
        sd = float(np.hypot(tau, se))
        pooled = Prior(name, "normal", p.lo, p.hi, mu, sd, float(np.clip(mu, p.lo, p.hi)), p.units,
                       f"pooled: province-level mean {mu:.4g} and spread {tau:.3g} from {', '.join(have)} "
                       f"({spec.path.name}); flat prior {p.distribution} [{p.lo:g}, {p.hi:g}]")
        lo_p, hi_p = pooled.interval(0.9)
        narrower = (hi_p - lo_p) < (hi90 - lo90)
        row.update({"province_mean": mu, "se_mean": se, "spread": tau, "pooled_lo90": lo_p, "pooled_hi90": hi_p,
                    "width_ratio": (hi_p - lo_p) / (hi90 - lo90),
                    "used": "pooled" if narrower else "flat (pooled prior not narrower)"})
        if narrower:
            priors[name] = pooled
        rows.append(row)
    return PooledPrior(pd.DataFrame(rows), priors, seconds, notes)


def calibrate_pooled(region: str, *, steps: int | None = None, walkers: int | None = None, seed: int | None = None,
                     quick: bool = False, holdout: bool = True, groups: list[str] | None = None,
                     progress: bool = False, **options):
    """Pooled calibration of ``region``: stage 1 in the other regions, then ``region`` with the
    province-level prior of the shared parameters. Returns the
    :class:`~innosd.analysis.calibration.result.CalibrationResult` of stage 2 with ``pooled``
    (the :class:`PooledPrior`) and the total time in ``seconds``."""
    from . import calibrate
    t0 = time.perf_counter()
    prior = pooled_prior(region, groups=groups, steps=steps, walkers=walkers, seed=seed, quick=quick,
                         progress=progress)
    res = calibrate(region, steps=steps, walkers=walkers, seed=seed, quick=quick, holdout=holdout,
                    progress=progress, prior_overrides=prior.priors, **options)
    res.pooled = prior
    used = ", ".join(prior.priors) or "none"
    res.notes = prior.notes + [f"pooled prior used for: {used}"] + res.notes
    res.diagnostics["seconds_stage1"] = float(sum(prior.stage_seconds.values()))
    res.seconds = time.perf_counter() - t0
    return res
