"""What a calibration returns: a tidy result object, written by nobody here.

The posterior as an :class:`xarray.Dataset` (:meth:`CalibrationResult.posterior_dataset`) has
one variable per parameter over dimension ``draw``, and attributes recording the seed, the
sampler settings, the diagnostics and the SHA-256 of the data fitted; it is the format
:func:`innosd.inputs.posterior.load_posterior` reads once a calibration has been adopted
(``innosd adopt``).  :func:`innosd.outputs.calibration.write_calibration` writes it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import xarray as xr

from .likelihood import DERIVED_FACTOR, RATE_SD_FACTOR, SIGMA_BY_CONFIDENCE, STUDENT_T_DF
from .sampler import Config


@dataclass
class CalibrationResult:
    name: str                           # what was calibrated: the region's key, or the model's name
    draws: pd.DataFrame                 # one column per parameter (calibrated, prior-only, held), one row per draw
    diagnostics: dict                   # sampler diagnostics, engine calls, timings, the hold-out's method
    fit: pd.DataFrame                   # one row per observation: observed, band, in-band, error
    series: pd.DataFrame                # per indicator: MAPE (Lewis), Theil decomposition
    identification: pd.DataFrame        # per parameter: prior vs posterior 90 % width
    identified: list[str]               # parameters informed by the data (ratio < INFORMED_RATIO)
    calibrated: list[str]               # parameters in the likelihood (sampled by MCMC)
    prior_only: list[str]               # parameters that cannot move a fitted output: drawn from the prior
    mode: dict                          # posterior mode of the calibrated parameters
    config: Config
    priors: Mapping                     # name -> innosd.inputs.priors.Prior of every parameter in ``draws``
    region: str | None = None           # the region's key when a region was calibrated
    holdout: pd.DataFrame | None = None     # the last year's observations forecast from a fit to earlier ones
    baselines: pd.DataFrame | None = None   # the same observations against statsmodels baselines
    bands: pd.DataFrame | None = None   # per indicator and year: predictive and model bands (charts)
    sensitivity: pd.DataFrame | None = None  # parameter x observation: largest relative effect over the prior
    pointwise: pd.DataFrame | None = None    # log-likelihood per draw (rows, as ``draws``) and observation (obs_id)
    influence: pd.DataFrame | None = None    # per observation and target: probability without it (PSIS)
    units: dict[str, str] = field(default_factory=dict)       # units of each fitted indicator
    provenance: dict[str, str] = field(default_factory=dict)  # SHA-256 of the observations, priors... fitted
    inputs: dict[str, Path] = field(default_factory=dict)     # files the calibration read
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    created: str = ""                   # when the calibration finished (UTC, ISO 8601)
    version: str = ""                   # innosd's version
    pooled: object | None = None        # a pooled calibration's province-level prior (pooled.PooledPrior)

    def posterior_dataset(self) -> xr.Dataset:
        """The posterior sample: one variable per parameter over ``draw``, with the calibration's
        settings, diagnostics and provenance as attributes (netCDF3-compatible)."""
        d, cfg = self.diagnostics, self.config
        data = {}
        for name in self.draws.columns:
            p = self.priors.get(name)
            how = ("emcee (in the likelihood)" if name in self.calibrated else
                   "prior (cannot move any fitted output in the window)" if name in self.prior_only else
                   "held fixed")
            data[name] = xr.Variable(("draw",), self.draws[name].to_numpy(float),
                                     attrs={"units": p.units if p else "", "sampled_from": how})
        summary = (f"acceptance {d['acceptance_mean']:.2f} (min {d['acceptance_min']:.2f}); "
                   f"tau max {d['tau_max']:.1f}; chain/tau min {d['chain_over_tau_min']:.1f}; "
                   f"split-R-hat max {d['rhat_max']:.3f}")
        attrs = {"title": f"innosd posterior sample for {self.name}"}
        if self.region:
            attrs["region"] = self.region
        attrs.update({
            "seed": cfg.seed, "steps": cfg.steps, "walkers": cfg.walkers,
            "burn_in": d["burn_in"], "thin": d["thin"], "draws": len(self.draws),
            "diagnostics": summary, "acceptance_mean": d["acceptance_mean"], "tau_max": d["tau_max"],
            "chain_over_tau_min": d["chain_over_tau_min"], "rhat_max": d["rhat_max"],
            "date": self.created,
            **self.provenance,
            "calibrated_parameters": ",".join(self.calibrated),
            "prior_only_parameters": ",".join(self.prior_only),
            "informed_parameters": ",".join(self.identified),
            "error_model": (f"Student-t (df {STUDENT_T_DF:g}) on log values, log-scale by confidence "
                            f"{SIGMA_BY_CONFIDENCE}, x{DERIVED_FACTOR} for derived; growth rates additive in 1/year "
                            f"with scale {RATE_SD_FACTOR:.3f} x that; additive for zero values; "
                            "measure-discrepancy term for conflicting measures"),
            "innosd_version": self.version, "wall_time_seconds": round(self.seconds, 1),
        })
        return xr.Dataset(data, coords={"draw": np.arange(len(self.draws))}, attrs=attrs)
