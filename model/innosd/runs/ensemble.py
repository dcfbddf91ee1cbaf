"""The one ensemble path: any compiled model x parameter sets x scenario inputs -> results.

Forecasting, calibration, sensitivity analysis, "what would it take" and the behaviour checks
all run their ensembles through :func:`run_ensemble`, for the shipped model or a researcher's
own. Three things live here once:

* **Parameter sets** (:class:`ParameterSets`): ``n`` values per uncertain parameter, drawn from
  a posterior sample, from the priors, held fixed, or given (a design from SALib, a
  calibration's walkers).
* **The merge order** (:func:`merge_inputs`): parameter sets, then the region's constants
  (sourced initial values, settings), then the scenario's levers, exogenous series and
  parameters, then overrides (a lever varied over runs). Later wins.
* **Evaluation** in chunks of at most :data:`CHUNK` runs, in this process
  (:class:`LocalEvaluator`) or on a Dask cluster (:class:`innosd.runs.distributed.DaskEvaluator`);
  a run's numbers depend only on its own inputs, so both give the same result.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence

import numpy as np
import xarray as xr

from ..core.engine import CompiledModel, RunSettings
from ..core.equations import ModelError
from ..core.series import Series
from ..inputs.posterior import load_posterior
from ..inputs.region import Region, load_region
from ..sectors import compiled_model, model_fingerprint
from ..sectors.model_error import NOISY_RATES, shock_name, start_name

# Runs per engine call at most. The engine integrates a call's runs in cache-sized blocks by itself
# (core.engine.RUNS_PER_BLOCK), so chunks are not for speed here and change no number: a chunk is
# the task a DaskEvaluator sends to a worker (two per worker, runs/distributed.py), so a large
# ensemble is spread over the cluster and no task carries more than CHUNK runs' inputs and results.
CHUNK = 4_096
PARAMETER_SOURCES = ("posterior", "prior", "fixed")
#: the model-error draws use their own stream of the run seed, so the parameter draws of a seed are
#: the same with or without model error
MODEL_ERROR_STREAM = 11


@dataclass
class ParameterSets:
    """``n`` sets of uncertain parameters: ``values`` maps a parameter to its ``(n,)`` values;
    ``note`` says where they came from (it is printed in every report)."""

    values: dict[str, np.ndarray]
    n: int
    note: str

    @classmethod
    def fixed(cls, n: int) -> "ParameterSets":
        return cls({}, n, "parameters fixed at their calibrated defaults (no parameter uncertainty)")

    @classmethod
    def from_priors(cls, priors: Mapping, n: int, rng: np.random.Generator, *, exclude=(),
                    note: str = "parameters drawn from the priors") -> "ParameterSets":
        return cls({name: p.sample(rng, n) for name, p in priors.items() if name not in exclude}, n, note)

    @classmethod
    def from_design(cls, names: Sequence[str], matrix: np.ndarray, note: str = "a design") -> "ParameterSets":
        matrix = np.atleast_2d(np.asarray(matrix, float))
        if matrix.shape[1] != len(names):
            raise ModelError(f"a design of {matrix.shape[1]} columns for {len(names)} parameters")
        return cls({name: np.ascontiguousarray(matrix[:, i]) for i, name in enumerate(names)}, matrix.shape[0], note)


def posterior_parameters(post) -> tuple[list[str], str]:
    """The posterior's parameters that are still constants of the shipped model, and a note naming
    those it no longer has (left out: an older calibration may hold parameters since removed)."""
    constants = compiled_model().defaults
    names = [name for name in post.data_vars if name in constants]
    gone = sorted(set(post.data_vars) - set(names))
    return names, (f"; {len(gone)} posterior parameter(s) no longer in the model, ignored: " + ", ".join(gone)
                   if gone else "")


def stale_region_parameters(post, region: Region) -> list[str]:
    """Parameters with a prior of the region's own (profile.yaml) whose posterior draws predate the
    profile in use (its SHA-256 differs from the one the posterior records)."""
    own = region.own_priors
    if not own:
        return []
    path = region.folder / "profile.yaml"
    current = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return [] if post.attrs.get("profile_sha256") == current else [n for n in own if n in post.data_vars]


def region_parameter_sets(region: Region, source: str, n: int, seed: int) -> ParameterSets:
    """``n`` parameter sets for a region: from its posterior (``posterior``, falling back to the
    priors when it has none), its priors (``prior``) or none (``fixed``). Parameters the region's
    data sets (initial values, settings) are never drawn."""
    if source not in PARAMETER_SOURCES:
        raise ModelError(f"unknown parameter source '{source}' (expected one of {', '.join(PARAMETER_SOURCES)})")
    rng = np.random.default_rng(seed)
    if source == "fixed":
        return ParameterSets.fixed(n)
    priors, region_set = region.priors_in_use(), region.parameters()
    if source == "posterior":
        post = load_posterior(region.key)
        if post is not None:
            idx = rng.integers(0, post.sizes["draw"], n)
            names, gone = posterior_parameters(post)
            values = {name: post[name].values[idx] for name in names}
            note = (f"{n} draws from the posterior sample calibration/{region.key}/posterior.nc "
                    f"({post.sizes['draw']} draws)") + gone
            # the region's own priors (profile.yaml) newer than the posterior: its draws of those
            # parameters came from other priors (Xingtai's scale), so they are drawn afresh
            stale = stale_region_parameters(post, region)
            for name in stale:
                values.pop(name, None)
            if stale:
                note += (f"; the profile's own priors changed since this posterior: {len(stale)} parameter(s) drawn "
                         f"from them (recalibrate: innosd calibrate --region {region.key})")
            # priors added after the calibration: drawn from their priors rather than silently fixed
            newer = [name for name in priors if name not in values and name not in region_set]
            for name in newer:
                values[name] = priors[name].sample(rng, n)
            newer = [name for name in newer if name not in stale]
            if newer:
                note += f"; {len(newer)} parameter(s) added to priors.csv since, drawn from their priors: " \
                        + ", ".join(newer)
            if post.attrs.get("model_sha256") != model_fingerprint():
                note += (f"; WARNING: the model's equations have changed since this posterior was calibrated "
                         f"(recalibrate: innosd calibrate --region {region.key}, then innosd adopt its results folder)")
            return ParameterSets(values, n, note)
        note = f"no posterior for {region.key} yet: parameters drawn from the priors"
    else:
        note = "parameters drawn from the priors (calibration/priors.csv)"
    return ParameterSets.from_priors(priors, n, rng, exclude=region_set, note=note)


def model_error_inputs(n: int, settings: RunSettings, seed: int) -> dict[str, object]:
    """The standard-normal inputs of the model-error processes (``sectors/model_error.py``) for
    ``n`` runs from ``seed``: per noisy rate, a start value per run and one innovation per run and
    time step (a step series over the run's clock). Run k's draws do not depend on ``n``, so an
    ensemble's first runs are those of a smaller one with the same seed."""
    steps = round((settings.stop - settings.start) / settings.dt)
    years = settings.start + settings.dt * np.arange(steps + 1)
    rng = np.random.default_rng([seed, MODEL_ERROR_STREAM])
    draws = rng.standard_normal((n, len(NOISY_RATES), steps + 2))  # per run: [start, shocks...] of each rate
    out: dict[str, object] = {}
    for i, rate in enumerate(NOISY_RATES):
        out[start_name(rate)] = np.ascontiguousarray(draws[:, i, 0])
        out[shock_name(rate)] = Series(years, draws[:, i, 1:], kind="step")
    return out


def merge_inputs(parameters: Mapping[str, object] | ParameterSets | None = None, *, region: Region | None = None,
                 scenario=None, overrides: Mapping[str, object] | None = None,
                 model_error: Mapping[str, object] | None = None) -> dict[str, object]:
    """The model constants of an ensemble, merged in the one order every analysis uses:
    parameter sets < model-error draws < the region's constants < the scenario's inputs < overrides."""
    if isinstance(parameters, ParameterSets):
        parameters = parameters.values
    return {**(parameters or {}), **(model_error or {}), **(region.parameters() if region is not None else {}),
            **(scenario.inputs() if scenario is not None else {}), **(overrides or {})}


def runs_of(value, lo: int, hi: int, n: int):
    """The part of one input that belongs to runs ``lo..hi-1`` of ``n``: a per-run array or
    schedule is sliced, a value shared by all runs is passed as it is."""
    if isinstance(value, Series):
        return value.runs(lo, hi) if value.n_runs == n else value
    if isinstance(value, tuple):  # a lookup's (xs, ys): shared
        return value
    arr = np.asarray(value)
    return arr[lo:hi] if arr.ndim == 1 and arr.shape[0] == n else value


def chunks(params: Mapping[str, object], n: int, chunk: int) -> list[tuple[int, int, dict]]:
    """``(lo, hi, inputs of runs lo..hi-1)`` for consecutive chunks of at most ``chunk`` runs."""
    if chunk < 1:
        raise ModelError(f"chunk must be at least 1 run, got {chunk}")
    return [(lo, min(n, lo + chunk), {k: runs_of(v, lo, min(n, lo + chunk), n) for k, v in params.items()})
            for lo in range(0, n, chunk)]


#: key of a chunk's inputs under which the stocks' values at the start travel (no element name starts with "~")
INITIAL = "~initial"


def run_chunk(model: CompiledModel, params: dict, lo: int, hi: int, settings: RunSettings,
              outputs: Sequence[str] | None, arrays: bool):
    """Simulate runs ``lo..hi-1`` in one engine call, numbered as in the whole ensemble."""
    params = dict(params)
    kw = dict(settings.kwargs(), n_runs=hi - lo, outputs=outputs, initial=params.pop(INITIAL, None))
    if arrays:
        return model.run_arrays(params, **kw)[0]
    return model.run(params, **kw).assign_coords(run=np.arange(lo, hi))


class Evaluator(Protocol):
    """Simulates the chunks of an ensemble and returns their results in run order."""

    def chunk_size(self, n: int) -> int: ...

    def __call__(self, model: CompiledModel, parts: list[tuple[int, int, dict]], settings: RunSettings,
                 outputs: Sequence[str] | None, arrays: bool) -> list: ...


class LocalEvaluator:
    """Simulates chunk after chunk in this process."""

    def chunk_size(self, n: int) -> int:
        return CHUNK

    def __call__(self, model, parts, settings, outputs, arrays):
        return [run_chunk(model, sub, lo, hi, settings, outputs, arrays) for lo, hi, sub in parts]


def run_ensemble(model: CompiledModel, params: Mapping[str, object], n: int, settings: RunSettings, *,
                 outputs: Sequence[str] | None = None, chunk: int | None = None, evaluator: Evaluator | None = None,
                 arrays: bool = False, initial: Mapping[str, object] | None = None
                 ) -> xr.Dataset | dict[str, np.ndarray]:
    """Run ``n`` runs of ``model`` with ``params`` (scalars, arrays over the runs, or Series),
    in chunks of at most ``chunk`` runs, on ``evaluator`` (default: this process). ``initial``:
    stocks' values at the start instead of their initial equations (per run or shared), e.g. the
    state of an earlier ensemble at ``settings.start``, which this one then resumes.

    Returns a Dataset with dims ``(run, time)``, or with ``arrays=True`` ``{output: array (run, time)}``
    (calibration runs the model thousands of times, and labelling each result would cost as much)."""
    if n < 1:
        raise ModelError(f"need at least one run, got {n}")
    evaluator = evaluator or LocalEvaluator()
    size = chunk or evaluator.chunk_size(n)
    parts = chunks(params, n, size)
    if initial:
        for (_, _, sub), (_, _, values) in zip(parts, chunks(initial, n, size)):
            sub[INITIAL] = values
    parts = evaluator(model, parts, settings, outputs, arrays)
    if arrays:
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    return parts[0] if len(parts) == 1 else xr.concat(parts, dim="run", combine_attrs="override")


#: copies of an ensemble's numbers alive at once (the runs, their concatenation, summaries' stacks)
COPIES = 3


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux /proc/meminfo), or None if unknown."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_memory(runs: int, outputs: int, settings: RunSettings) -> None:
    """Refuse an ensemble that would not fit in memory, naming the number of runs that would."""
    available = available_memory()
    if available is None:
        return
    points = int(round((settings.stop - settings.start) / max(settings.save_every or 1.0, settings.dt))) + 1
    per_run = COPIES * 8 * outputs * points
    if runs * per_run > 0.8 * available:
        fits = max(1, int(0.8 * available // per_run))
        raise ModelError(f"{runs:,} runs would need about {runs * per_run / 2**30:.1f} GiB of memory and "
                         f"{available / 2**30:.1f} GiB is available; at most {fits:,} runs fit (--runs {fits})")


def simulate(scenario, *, runs: int | None = None, seed: int | None = None, parameter_source: str | None = None,
             outputs: Sequence[str] | None = None, overrides: Mapping[str, object] | None = None,
             chunk: int | None = None, evaluator: Evaluator | None = None, model_error: bool = True) -> xr.Dataset:
    """Run a scenario's ensemble of the shipped model (``overrides``, e.g. a lever over runs, win).
    ``model_error``: each run carries its own draw of the model-error processes (from ``seed``);
    False runs the deterministic model for each parameter set."""
    region = load_region(scenario.region)
    n = runs if runs is not None else scenario.runs
    seed = scenario.seed if seed is None else seed
    if n < 1:
        raise ModelError(f"need at least one run, got {n}")
    check_memory(n, len(outputs) if outputs else len(compiled_model().model.elements), scenario.settings)
    sets = region_parameter_sets(region, parameter_source or scenario.parameter_source, n, seed)
    noise = model_error_inputs(n, scenario.settings, seed) if model_error else None
    params = merge_inputs(sets, region=region, scenario=scenario, overrides=overrides, model_error=noise)
    ds = run_ensemble(compiled_model(), params, n, scenario.settings, outputs=outputs, chunk=chunk,
                      evaluator=evaluator)
    ds.attrs.update({"scenario": scenario.name, "region": scenario.region, "seed": seed,
                     "parameter_source": sets.note, "runs": n,
                     "model_error": "on" if model_error else "off"})
    return ds


def median_parameters(region: Region) -> tuple[dict[str, float], str]:
    """One parameter set for a region: each parameter's median over its posterior sample, or over
    its prior for parameters the posterior lacks (no posterior yet, or added since). A median per
    parameter, not a draw: a single run that a reader can reproduce in another tool."""
    priors, region_set = region.priors_in_use(), region.parameters()
    post = load_posterior(region.key)
    names, gone = posterior_parameters(post) if post is not None else ([], "")
    stale = stale_region_parameters(post, region) if post is not None else []
    values = {name: float(np.median(post[name].values)) for name in names if name not in stale}
    from_priors = [name for name in priors if name not in values and name not in region_set]
    values.update({name: float(priors[name].ppf(0.5)) for name in from_priors})
    note = (f"posterior medians (calibration/{region.key}/posterior.nc, {post.sizes['draw']} draws)"
            if post is not None else f"no posterior for {region.key}: prior medians")
    if post is not None and from_priors:
        note += f"; prior medians for {len(from_priors)} parameter(s) the posterior lacks"
    return values, note + gone
