"""One way to run an ensemble, used by forecasting, calibration and sensitivity alike.

Parameters come from the calibration's posterior sample when it exists (``posterior``),
from the priors (``prior``), or are held at their defaults (``fixed``).  All runs go
through the engine in one vectorised pass, split into chunks so memory stays bounded.
"""
from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from ..core.equations import ModelError
from ..core.series import Series
from ..inputs.posterior import load_posterior
from ..inputs.priors import load_priors
from ..inputs.region import Region, load_region
from ..sectors import compiled_model, model_fingerprint

# Runs per engine call. Memory stays bounded, and a few thousand runs keep each (n_runs,) array in
# the CPU's cache: on the 2-core machine 4,096 runs per chunk simulate about twice as fast per run
# as 20,000 (benchmarks/ensemble.py).
CHUNK = 4_096


def sample_parameters(region: Region, source: str, n: int, seed: int) -> tuple[dict[str, np.ndarray], str]:
    """Draw ``n`` parameter sets; returns (params, a sentence saying where they came from)."""
    rng = np.random.default_rng(seed)
    if source == "fixed":
        return {}, "parameters fixed at their calibrated defaults (no parameter uncertainty)"
    if source == "posterior":
        post = load_posterior(region.key)
        if post is not None:
            idx = rng.integers(0, post.sizes["draw"], n)
            params = {name: post[name].values[idx] for name in post.data_vars}
            note = (f"{n} draws from the posterior sample calibration/{region.key}/posterior.nc "
                    f"({post.sizes['draw']} draws)")
            # priors added after the calibration: drawn from their priors rather than silently fixed
            priors, region_set = load_priors(), region.parameters()
            newer = [name for name in priors if name not in params and name not in region_set]
            for name in newer:
                params[name] = priors[name].sample(rng, n)
            if newer:
                note += f"; {len(newer)} parameter(s) added to priors.csv since, drawn from their priors: " \
                        + ", ".join(newer)
            if post.attrs.get("model_sha256") != model_fingerprint():
                note += (f"; WARNING: the model's equations have changed since this posterior was calibrated "
                         f"(innosd calibrate --region {region.key} brings it up to date)")
            return params, note
        note = f"no posterior for {region.key} yet: parameters drawn from the priors"
    else:
        note = "parameters drawn from the priors (calibration/priors.csv)"
    priors = load_priors()
    region_set = region.parameters()
    params = {name: p.sample(rng, n) for name, p in priors.items() if name not in region_set}
    return params, note


def _slice(value, lo, hi, n):
    if isinstance(value, Series):
        return Series(value.years, value.values[lo:hi], value.kind) if value.n_runs == n else value
    arr = np.asarray(value)
    return arr[lo:hi] if arr.ndim == 1 and arr.shape[0] == n else value


def run_ensemble(params: Mapping[str, object], n: int, *, start: float, stop: float, dt: float = 0.25,
                 method: str = "euler", outputs: Sequence[str] | None = None, save_every: float = 1.0,
                 chunk: int = CHUNK, arrays: bool = False) -> xr.Dataset | dict[str, np.ndarray]:
    """Run ``n`` runs of the shipped model, in chunks of at most ``chunk`` runs.

    ``arrays=True`` returns ``{output: array (run, time)}`` instead of a Dataset (calibration
    runs the model thousands of times, and labelling each result would cost as much)."""
    model = compiled_model()
    parts = []
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sub = {k: _slice(v, lo, hi, n) for k, v in params.items()}
        kw = dict(start=start, stop=stop, dt=dt, method=method, save_every=save_every, n_runs=hi - lo,
                  outputs=outputs)
        parts.append(model.run_arrays(sub, **kw)[0] if arrays else
                     model.run(sub, **kw).assign_coords(run=np.arange(lo, hi)))
    if arrays:
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    return parts[0] if len(parts) == 1 else xr.concat(parts, dim="run", combine_attrs="override")


def simulate(scenario, *, runs: int | None = None, seed: int | None = None, parameter_source: str | None = None,
             outputs: Sequence[str] | None = None, overrides: Mapping[str, object] | None = None,
             chunk: int = CHUNK) -> xr.Dataset:
    """Run a scenario's ensemble.  ``overrides`` (e.g. a lever over runs) win over everything."""
    region = load_region(scenario.region)
    n = runs if runs is not None else scenario.runs
    seed = scenario.seed if seed is None else seed
    source = parameter_source or scenario.parameter_source
    if n < 1:
        raise ModelError(f"need at least one run, got {n}")
    sampled, note = sample_parameters(region, source, n, seed)
    params = {**sampled, **region.parameters(), **scenario.inputs(), **(overrides or {})}
    ds = run_ensemble(params, n, start=scenario.start, stop=scenario.stop, dt=scenario.dt,
                      method=scenario.method, outputs=outputs, chunk=chunk)
    ds.attrs.update({"scenario": scenario.name, "region": scenario.region, "seed": seed,
                     "parameter_source": note, "runs": n})
    return ds
