"""Calibration: fit uncertain parameters to history (Bayesian, with emcee). Writes nothing.

The pipeline, in the order :func:`calibrate_model` runs it:

1. **Likelihood** (:mod:`.likelihood`, :class:`ErrorModel`): each observation against the model
   output of the same name at time = its year, with a log-normal error by the source's
   confidence and a measure-discrepancy term for conflicting measures.
2. **Screening** (:mod:`.problem`, :func:`screen_parameters`): parameters that cannot move any
   fitted output inside the window (checked exactly, by simulation) are not in the likelihood:
   their posterior *is* their prior, so they are drawn from it directly.
3. **Posterior mode** (:mod:`.sampler`, :func:`find_mode`): differential evolution, then L-BFGS-B.
4. **Posterior sample** (:func:`sample_posterior`): emcee in z = logit(prior CDF).
5. **Checks** (:mod:`.diagnostics`): posterior predictive bands, MAPE (Lewis scale), Theil's
   decomposition, prior-vs-posterior widths, and an out-of-sample check (fit to the years
   before the last, predict the last) against statsmodels baselines.

Two entry points, both returning a :class:`CalibrationResult` (:mod:`.result`):

* :func:`calibrate_model` calibrates ANY compiled model (a researcher's own) to an observation
  table, with priors given as a mapping name -> :class:`innosd.inputs.priors.Prior`;
* :func:`calibrate` does it for a region: its observations, the priors of
  ``calibration/priors.csv``, its constants and its baseline scenario's levers over the window.

Writing the posterior, the fit report and charts is :func:`innosd.outputs.calibration.write_calibration`
(a new results folder); making it the region's posterior is ``innosd adopt``.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ... import __version__
from ...core.engine import CompiledModel
from ...core.equations import ModelError
from ...core.names import closest
from ...inputs.constants import classes
from ...inputs.region import Region, load_region, observations_in_model_units
from ...inputs.scenario import load_scenario
from ...inputs.workspace import calibration_dir, scenarios_dir
from ...runs.ensemble import merge_inputs
from ...sectors import compiled_model
from ...sectors.model_error import MODEL_ERROR_PARAMETERS
from ..model_error import model_error_sd as region_model_error
from .diagnostics import (  # noqa: F401
    BAND,
    BASELINE_MIN_YEARS,
    INFORMED_RATIO,
    LEWIS_SCALE,
    baseline_forecasts,
    fit_statistics,
    holdout_check,
    identification_table,
    lewis_label,
    predictive_bands,
    split_rhat,
    theil,
)
from .influence import DECISIVE_CHANGE, K_HAT_RELIABLE, leave_one_out, psis_log_weights  # noqa: F401
from .influence import influence as observation_influence
from .likelihood import (  # noqa: F401
    COUNT_UNITS,
    DERIVED_FACTOR,
    RATE_SD_FACTOR,
    SIGMA_BY_CONFIDENCE,
    SIGMA_UNKNOWN,
    STUDENT_T_DF,
    ErrorModel,
    is_count,
    is_rate,
)
from .problem import Problem, fast_ppf, screen_parameters  # noqa: F401
from .result import CalibrationResult
from .sampler import (  # noqa: F401
    DEFAULT_SEED,
    DEFAULT_STEPS,
    TARGET_DRAWS,
    Config,
    burn_in,
    default_config,
    find_mode,
    laplace_covariance,
    sample_posterior,
)

# --- any model -----------------------------------------------------------------------------------


def calibrate_model(model: CompiledModel, observations: pd.DataFrame, priors: Mapping, *, start: int,
                    fixed: Mapping[str, object] | None = None, dt: float = 0.25, method: str = "euler",
                    window: tuple[int, int] | None = None, steps: int | None = None, walkers: int | None = None,
                    seed: int | None = None, quick: bool = False, holdout: bool = True,
                    progress: bool = False, model_error=None, draw_only: Sequence[str] = ()) -> CalibrationResult:
    """Calibrate ``model``'s parameters that have a prior to ``observations``; writes nothing.

    ``observations``: columns obs_id, indicator (a model output), year, model_value (in the
    model's units), confidence (high/medium/low), optionally measure, kind (actual/derived) and
    unit (counts get a Poisson term).  Year *Y* is compared with the model at time *Y*.
    ``priors``: name -> :class:`innosd.inputs.priors.Prior`; a name also in ``fixed`` is held at
    that value.  ``fixed``: the model's other inputs (constants, :class:`innosd.core.Series`).
    Runs start at ``start`` (a year); ``window`` (first, last year) limits the observations fitted
    (default: ``start`` to the last observation).  ``quick``: a short configuration for trying
    things out; ``holdout``: also fit the years before the last and check the last year's forecast.
    ``model_error``: a callable ``(params, table) -> sd`` added in quadrature to each observation's
    error (see :class:`ErrorModel`; e.g. from calibrated ``<rate>_noise_sd`` parameters).
    """
    t0 = time.perf_counter()
    fixed = dict(fixed or {})
    start = int(start)
    obs = observations
    if obs is None or len(obs) == 0:
        raise ModelError("no observations to calibrate to")
    if "year" not in obs.columns:
        raise ModelError("observations: missing column 'year' (needed: obs_id, indicator, year, model_value, "
                         "confidence)")
    if window is None:
        window = (start, int(obs["year"].astype(int).max()))
    w0, w1 = int(window[0]), int(window[1])
    if w0 < start:
        raise ModelError(f"window starts in {w0}, before the region's start year {start}")
    if w1 <= start:
        raise ModelError(f"window must end after the start year {start} (got {w1})")
    errors = ErrorModel(obs[obs["year"].astype(int) >= w0], start, w1, model_error=model_error)
    notes = []
    n_before = int((obs["year"].astype(int) < w0).sum())
    if n_before:
        notes.append(f"{n_before} observation(s) before {w0} skipped (context)")
    unknown = [i for i in errors.indicators if i not in model.recorded]
    if unknown:
        raise ModelError(f"observation indicator '{unknown[0]}' is not an output of the model"
                         + closest(unknown[0], model.recorded))
    not_constant = [n for n in priors if n not in model.defaults]
    if not_constant:
        raise ModelError(f"prior '{not_constant[0]}' is not a constant of the model"
                         + closest(not_constant[0], model.defaults))

    draw_only = [n for n in draw_only if n in priors and n not in fixed]
    candidates = [n for n in priors if n not in fixed and n not in draw_only]
    seed = DEFAULT_SEED if seed is None else int(seed)
    calibrated, prior_only, sensitivity = screen_parameters(model, start, errors, candidates, priors, fixed,
                                                            dt, method, seed)
    if errors.model_error is not None:
        # the model-error sizes move no trajectory, only the likelihood's variance: fitted all the same
        sizes = [n for n in prior_only if n in MODEL_ERROR_PARAMETERS]
        calibrated += sizes
        prior_only = [n for n in prior_only if n not in sizes]
    # Not-fitted assumptions that move the fitted history are held at the values the fit conditioned
    # on (their defaults): drawing them afresh, independently of the fitted parameters, would undo
    # the fit (Xingtai's 2020 HTE band became 447-824 around observed 450 and 530). Those that cannot
    # move the history are drawn from their priors: no data speak to them.
    moving, silent, _ = screen_parameters(model, start, errors, draw_only, priors, fixed, dt, method, seed)
    prior_only = list(prior_only) + silent
    if not calibrated:
        raise ModelError("no parameter with a prior can move any fitted output in the window; nothing to calibrate")
    cfg = default_config(len(calibrated), steps=steps, walkers=walkers, seed=seed, quick=quick)
    held = {n: fixed[n] for n in priors if n in fixed and np.ndim(fixed[n]) == 0}
    held.update({n: priors[n].default for n in moving})
    run = _Run(model, start, dt, method, priors, fixed, calibrated, cfg, progress, model_error)
    res = run.estimate(errors, prior_only, held)
    if moving:
        notes.append(f"{len(moving)} not-fitted assumption(s) move the fitted history and are held at their "
                     f"defaults, the values the fit conditioned on ({', '.join(moving[:8])}"
                     f"{', ...' if len(moving) > 8 else ''}); {len(silent)} that cannot are drawn from their priors")
    res.notes = notes + res.notes
    res.sensitivity = sensitivity
    if holdout:
        run.holdout(res, obs[(obs["year"].astype(int) >= w0) & (obs["year"].astype(int) <= w1)], w1)
    res.units = {ind: model.model.elements[ind].units or "" for ind in errors.indicators}
    res.provenance = {"observations_sha256": table_sha256(obs), "priors_sha256": priors_sha256(priors),
                      "model_sha256": model.model.fingerprint()}
    res.seconds = time.perf_counter() - t0
    res.created = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return res


@dataclass
class _Run:
    """What every stage of one calibration shares: the model, its clock, the priors and the sampler."""
    model: CompiledModel
    start: int
    dt: float
    method: str
    priors: Mapping
    fixed: dict
    calibrated: list[str]
    cfg: Config
    progress: bool
    model_error: object = None

    def problem(self, errors: ErrorModel) -> Problem:
        return Problem(self.model, self.start, errors, self.calibrated, self.priors, self.fixed, self.dt, self.method)

    def estimate(self, errors: ErrorModel, prior_only: list[str], held: dict) -> CalibrationResult:
        """Mode, posterior sample, draws of every parameter, fit and identification."""
        calibrated, priors, cfg = self.calibrated, self.priors, self.cfg
        prob = self.problem(errors)
        t = time.perf_counter()
        mode = find_mode(prob, cfg, self.progress)
        t_mode = time.perf_counter() - t
        t = time.perf_counter()
        mc = sample_posterior(prob, mode["u"], cfg, self.progress)
        t_mcmc = time.perf_counter() - t
        X = mc["x"]
        n = X.shape[0]
        rng = np.random.default_rng(cfg.seed + 2)
        cols = {name: X[:, i] for i, name in enumerate(calibrated)}
        for name in prior_only:
            cols[name] = priors[name].sample(rng, n)
        for name, v in held.items():
            if name not in cols:
                cols[name] = np.full(n, float(v))
        draws = pd.DataFrame(cols)
        traj = prob.trajectories(X)                       # (n, indicators, years)
        pred = traj[:, errors.ind_idx, errors.t_idx]
        pointwise = pd.DataFrame(errors.pointwise(pred, prob.params(X) if errors.model_error is not None else None),
                                 columns=errors.table["obs_id"].tolist())
        fit, series = fit_statistics(errors, pred, rng)
        bands = predictive_bands(errors, traj, rng)
        ident = identification_table(draws, priors, calibrated, prior_only, dict(zip(calibrated, mode["x"])))
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
        return CalibrationResult(
            name=self.model.model.name, draws=draws, diagnostics=diag, fit=fit, series=series,
            identification=ident, identified=identified, calibrated=list(calibrated), prior_only=list(prior_only),
            mode=dict(zip(calibrated, map(float, mode["x"]))), config=cfg,
            priors={name: priors[name] for name in draws.columns if name in priors},
            bands=bands, notes=notes, version=__version__, pointwise=pointwise)

    def holdout(self, res: CalibrationResult, obs_w: pd.DataFrame, target: int) -> None:
        """Fit to the observations before ``target`` and forecast those of ``target``; fills
        ``res.holdout`` and ``res.baselines`` (or says in ``res.notes`` why it could not)."""
        before = obs_w[obs_w["year"].astype(int) < target]
        after = obs_w[obs_w["year"].astype(int) == target]
        if len(after) == 0:
            res.notes.append(f"out-of-sample check skipped: no observation in {target}")
            return
        cfg = self.cfg
        errors_all = ErrorModel(obs_w, self.start, target, model_error=self.model_error)
        hcfg = Config(**{**cfg.__dict__, "steps": cfg.holdout_steps, "seed": cfg.seed + 7,
                         "de_generations": max(10, cfg.de_generations // 2), "local_starts": 1})
        prob_all = self.problem(errors_all)
        if len(before) and before["year"].astype(int).max() > self.start:
            errors_before = ErrorModel(before, self.start, target - 1, model_error=self.model_error)
            prob = self.problem(errors_before)
            mode = find_mode(prob, hcfg, self.progress)
            X = sample_posterior(prob, mode["u"], hcfg, self.progress)["x"]
            how = (f"posterior from the {len(errors_before)} observation(s) of {self.start}-{target - 1} "
                   f"({hcfg.walkers} walkers x {hcfg.steps} steps)")
        else:
            rng0 = np.random.default_rng(cfg.seed + 8)
            X = prob_all.x_from_u(rng0.random((TARGET_DRAWS, len(self.calibrated))))
            how = "no observation before the target year inside the window: the prior predictive"
        res.holdout, res.baselines = holdout_check(errors_all, prob_all.predict(X), before, target,
                                                   np.random.default_rng(cfg.seed + 9))
        res.diagnostics["holdout"] = how


# --- a region ------------------------------------------------------------------------------------

@dataclass
class _RegionInputs:
    """A region's calibration inputs: observations to fit (model units), priors, the constants
    its data and baseline scenario fix, the baseline's clock, and the files read."""
    region: Region
    observations: pd.DataFrame
    priors: dict
    fixed: dict
    dt: float
    method: str
    notes: list[str]
    files: dict[str, Path]


def observations_to_fit(region, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """The observations to fit: the region's (``use=fit``), or a table given by the user, either
    as edited (``value`` in ``unit``, the columns of observations.csv) or already in model units;
    observations before the region's start year are left out."""
    if observations is None:
        return region.fit_observations()
    obs = observations.copy()
    if "model_value" not in obs.columns:
        obs = observations_in_model_units(obs, "observations passed to calibrate()")
    if "use" in obs.columns:
        obs = obs[obs["use"].astype(str).isin(["fit", ""])]
    return obs[obs["year"].astype(int) >= region.start_year] if len(obs) else obs


def _region_inputs(key: str, observations: pd.DataFrame | None = None) -> _RegionInputs:
    reg = load_region(key)
    priors = reg.priors_in_use()
    obs = observations_to_fit(reg, observations)
    # the region's baseline scenario, if shipped: its levers and exogenous series over the window
    path = scenarios_dir() / reg.key / "baseline.yaml"
    scenario = load_scenario(path) if path.is_file() else None
    fixed = merge_inputs(region=reg, scenario=scenario)
    notes = []
    files = {"observations": reg.folder / "observations.csv", "exogenous": reg.folder / "exogenous.csv",
             "profile": reg.folder / "profile.yaml", "priors": calibration_dir() / "priors.csv"}
    if scenario is not None:
        notes.append(f"levers and exogenous series over the window from the region's baseline scenario "
                     f"({scenario.path.name})")
        files.update({f"scenario:{p.name}": p for p in scenario.files})
    return _RegionInputs(reg, obs, priors, fixed, scenario.dt if scenario is not None else 0.25,
                         scenario.method if scenario is not None else "euler", notes,
                         {k: p for k, p in files.items() if p.is_file()})


def region_inputs(key: str, observations: pd.DataFrame | None = None) -> _RegionInputs:
    """A region's calibration inputs (observations in model units, priors, the constants its data
    and baseline scenario fix, the clock), as :func:`calibrate` reads them."""
    return _region_inputs(key, observations)


def calibrate(region: str, *, steps: int | None = None, walkers: int | None = None, seed: int | None = None,
              quick: bool = False, window: tuple[int, int] | None = None,
              observations: pd.DataFrame | None = None, holdout: bool = True,
              parameters: Sequence[str] | None = None, fixed: Mapping[str, float] | None = None,
              prior_overrides: Mapping | None = None, progress: bool = False, influence: bool = False,
              model_error=None) -> CalibrationResult:
    """Calibrate ``region``'s uncertain parameters to its observations; writes nothing.

    ``window`` (start, end) limits the observations used (default: the profile's
    ``calibration_window``; start no earlier than the region's start year, where the model
    always starts).  ``observations`` replaces the region's table
    (same columns as :meth:`Region.fit_observations`, or as ``observations.csv``).
    ``parameters`` restricts the calibration to those priors, holding the others at their
    defaults (or at ``fixed``).  ``prior_overrides`` (name -> Prior) replaces priors, e.g. the
    province-level prior of a pooled calibration (:mod:`.pooled`).
    ``influence``: also each observation's effect on the region's
    target probabilities under its baseline scenario (:mod:`.influence`; one forecast run per
    posterior draw).  ``model_error``: as :func:`calibrate_model`.  Write the result with
    :func:`innosd.outputs.calibration.write_calibration`.
    """
    t0 = time.perf_counter()
    data = _region_inputs(region, observations)
    reg, obs = data.region, data.observations
    priors = {**data.priors, **(prior_overrides or {})}
    if obs is None or len(obs) == 0:
        raise ModelError(f"region '{reg.key}' has no observations marked use=fit; nothing to calibrate")
    if window is None:  # the profile's calibration_window, else every observation from the start year
        cw = reg.profile.get("calibration_window") or {}
        window = (int(cw.get("start", reg.start_year)), int(cw.get("end", obs["year"].astype(int).max())))
    region_set = set(data.fixed)
    fixed = dict(fixed or {})
    if parameters is not None:
        bad = [p for p in parameters if p not in priors]
        if bad:
            raise ModelError(f"'{bad[0]}' has no prior in calibration/priors.csv" + closest(bad[0], priors))
        candidates = [p for p in parameters if p not in region_set]
        held = {n: fixed.get(n, priors[n].default) for n in priors if n not in candidates and n not in region_set}
    else:
        candidates = [n for n in priors if n not in region_set and n not in fixed]
        held = fixed
    # Fitted: the constants classed "calibrated" in calibration/constants.csv (the ones the data are
    # meant to inform, the model-error sizes among them) and the region's own priors (its sourced
    # levels); every other assumption is drawn from its prior, not fitted: ~40 points cannot
    # identify ~200 parameters, and fitting them all would let assumptions absorb the data.
    kinds = classes()
    draw_only = [] if parameters is not None or not kinds else \
        [n for n in candidates if kinds.get(n, "calibrated") != "calibrated" and n not in reg.own_priors]
    candidates = [n for n in candidates if n not in draw_only]
    # the calibrated parameters first, in the order asked for: it is the order of the sampler's coordinates
    used = {n: priors[n] for n in candidates + draw_only}
    used.update({n: priors[n] for n in held if n in priors})
    res = calibrate_model(compiled_model(), obs, used, start=reg.start_year, fixed={**held, **data.fixed},
                          dt=data.dt, method=data.method, window=window, steps=steps, walkers=walkers, seed=seed,
                          quick=quick, holdout=holdout, progress=progress,
                          model_error=region_model_error(reg.start_year) if model_error is None else model_error,
                          draw_only=draw_only)
    res.name = res.region = reg.key
    res.notes = data.notes + res.notes
    if prior_overrides:
        res.notes.append(f"{len(prior_overrides)} prior(s) replaced for this calibration: "
                         + ", ".join(prior_overrides))
    res.inputs = data.files
    res.provenance = {
        "observations_sha256": (file_sha256(reg.folder / "observations.csv") if observations is None
                                else table_sha256(observations)),
        "priors_sha256": file_sha256(data.files.get("priors")),
        "profile_sha256": file_sha256(data.files.get("profile")),
        "model_sha256": res.provenance["model_sha256"]}
    if influence:
        if (scenarios_dir() / reg.key / "baseline.yaml").is_file():
            res.influence = observation_influence(res)
        else:
            res.notes.append(f"influence of observations not computed: {reg.key} has no baseline scenario")
    res.seconds = time.perf_counter() - t0
    return res


def synthetic_observations(region: str, truth: Mapping[str, float], *, seed: int = 0,
                           observations: pd.DataFrame | None = None, noise: bool = True) -> pd.DataFrame:
    """The region's observation pattern (indicators, years, confidences) filled with values
    simulated from ``truth`` (other priors at their defaults) plus noise from the error model.

    Used by the synthetic recovery test, and by anyone checking what the data could identify.
    """
    data = _region_inputs(region, observations)
    reg, priors = data.region, data.priors
    obs = data.observations.reset_index(drop=True)
    errors = ErrorModel(obs, reg.start_year, int(obs["year"].astype(int).max()))
    held = {n: p.default for n, p in priors.items() if n not in data.fixed and n not in truth}
    names = list(truth)
    prob = Problem(compiled_model(), reg.start_year, errors, names, priors, {**held, **data.fixed},
                   data.dt, data.method)
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
    data = _region_inputs(region, observations)
    reg, priors, obs = data.region, data.priors, data.observations
    errors = ErrorModel(obs, reg.start_year, int(obs["year"].astype(int).max()))
    names = [n for n in priors if n not in data.fixed]
    _, _, effects = screen_parameters(compiled_model(), reg.start_year, errors, names, priors, data.fixed,
                                      data.dt, data.method, seed)
    return effects.max(axis=1).rename("effect").sort_values(ascending=False)


# --- provenance ----------------------------------------------------------------------------------

def file_sha256(path: Path | None) -> str:
    """SHA-256 of a file the calibration read, or "missing"."""
    if path is None or not Path(path).is_file():
        return "missing"
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_sha256(table: pd.DataFrame) -> str:
    """SHA-256 of a table passed in memory (its CSV text)."""
    return hashlib.sha256(table.to_csv(index=False).encode("utf-8")).hexdigest()


def priors_sha256(priors: Mapping) -> str:
    """SHA-256 of the priors' definitions (name, distribution, bounds, parameters, default)."""
    rows = [(p.name, p.distribution, p.lo, p.hi, p.p1, p.p2, p.default) for p in priors.values()]
    return table_sha256(pd.DataFrame(rows, columns=["parameter", "distribution", "lo", "hi", "p1", "p2", "default"]))
