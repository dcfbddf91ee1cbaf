"""The likelihood: an observation table as the probability of the data given the model.

Every observation maps to one model output and one year; year *Y* is compared with the model
at time *Y* (stocks at the end of year *Y*, flows as the rate at *Y*).

* **Levels** (counts, money, scores) are compared on the log scale: a multiplicative error with
  a log-scale set by the observation's confidence (:data:`SIGMA_BY_CONFIDENCE`).  A value of
  zero (or below) uses an additive error instead.
* **Growth rates** (unit ``1/year`` or ``percent/year``, or an indicator named ``*growth*``) are
  compared as rates, with an additive error in 1/year: a one-year rate is the difference of two
  log levels, each carrying the confidence's log-error, so its error is ``sqrt(2)`` times it
  (:data:`RATE_SD_FACTOR`) -- 7 percentage points for a "high" figure, not 5 % of the rate.
* Errors are **Student-t** with :data:`STUDENT_T_DF` degrees of freedom (the scale is the
  sigma above): one atypical year (Xingtai's R&D growth of 4.43 % in 2020, a COVID year) costs
  a logarithmic, not a quadratic, penalty and cannot pin a parameter to a bound.
* **Derived** values (arithmetic on other figures) get :data:`DERIVED_FACTOR` times the error.
* Observations of the same indicator and year that disagree because they use different
  *measures* (Xingtai's HTE count 2020: 530 in the 14th FYP table, 450 in the S&T bureau's
  year-end report) are both kept, and each gets a measure-discrepancy term (the spread of the
  conflicting values) added in quadrature, so two sources that disagree do not make the
  posterior falsely precise.
* An optional **model error** per observation (a process-noise allowance: the model's own
  error, not the data's) is added in quadrature, on the row's own scale: a column
  ``model_error_sd`` of the table, and/or a callable ``model_error(params, table)`` returning
  an sd per run and observation from the parameter draw (e.g. a calibrated ``<rate>_noise_sd``).
  Default: none.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ...core.equations import ModelError

#: log-sd of the multiplicative observation error by the observation's stated confidence.
#: An assumption of this project (no published error rates exist for these city figures):
#: "high" = a figure printed in an official plan or bureau report (rounding and definition
#: noise of a few percent), "medium" = ~10 %, "low" = aggregator or estimate, ~25 %.
SIGMA_BY_CONFIDENCE = {"high": 0.05, "medium": 0.10, "low": 0.25}
#: Degrees of freedom of the Student-t observation error. 4 is the value Lange, Little & Taylor
#: (1989, JASA 84:881, "Robust statistical modeling using the t distribution") found to work
#: across their examples: heavy enough tails that one outlying year is discounted, yet finite
#: variance (df > 2), so an ordinary year still informs as a normal error would.
STUDENT_T_DF = 4.0
#: A one-year growth rate is log(Y_t / Y_t-1), the difference of two levels each with the
#: confidence's log-error: its additive error (1/year) is sqrt(2) x that log-error.
RATE_SD_FACTOR = float(np.sqrt(2.0))
#: Units (model's or observation's) that mark an observation as a growth rate.
RATE_UNITS = ("1/year", "percent/year", "%/yr", "%/year", "1/yr")
#: Unknown confidence labels are treated as low.
SIGMA_UNKNOWN = 0.25
#: Derived values (arithmetic on other figures, not printed numbers) get this multiple.
DERIVED_FACTOR = 2.0
#: Observations whose unit is a count of discrete things (numerator one of these, per nothing or
#: per year) get a Poisson term: the model gives an expected count, a realised count of N varies
#: by about sqrt(N), i.e. a log-sd of 1/sqrt(N) added in quadrature (matters for small counts:
#: 1 national incubator, 2 tech leaders, 7 B-class counties).
COUNT_UNITS = ("firm", "county", "platform", "project", "person", "enterprise", "patent", "award")
#: Columns an observation table must have.
OBSERVATION_COLUMNS = ("obs_id", "indicator", "year", "model_value", "confidence")


def is_count(unit: str) -> bool:
    """Whether ``unit`` counts discrete things (``firm``, ``firm/year``...), see :data:`COUNT_UNITS`."""
    parts = [p.strip() for p in str(unit).replace(" ", "").split("/")]
    return parts[0] in COUNT_UNITS and (len(parts) == 1 or (len(parts) == 2 and parts[1] == "year"))


def is_rate(unit: str, indicator: str = "") -> bool:
    """Whether an observation is a growth rate (by unit, see :data:`RATE_UNITS`, or by name)."""
    u = str(unit).replace(" ", "").lower()
    return u in RATE_UNITS or "growth" in str(indicator).lower()


def _t_logpdf_std(r: np.ndarray, df: float) -> np.ndarray:
    """log density of the standard Student-t at ``r`` (without the -log(scale) term)."""
    c = special.gammaln((df + 1) / 2) - special.gammaln(df / 2) - 0.5 * np.log(df * np.pi)
    return c - 0.5 * (df + 1) * np.log1p(r * r / df)


class ErrorModel:
    """The observation table as a likelihood.

    ``table`` needs the columns obs_id, indicator, year, model_value, confidence and,
    optionally, measure, kind, unit, source.  Rows outside ``[start, stop]`` are dropped (and
    counted in :attr:`skipped`).  A table that already states each row's error (columns
    ``error``, "log-normal" or "additive", and ``error_sd``, as
    :func:`innosd.analysis.calibration.synthetic_observations` writes them) keeps it: data
    simulated with an error model is fitted with the same one.  ``dof``: the Student-t's
    degrees of freedom (``None`` or ``numpy.inf``: a normal error).  ``model_error``: a callable
    ``(params, table) -> sd`` (params: name -> array over runs; sd broadcastable to (runs,
    observations), on each row's scale), the model-error term added in quadrature.
    """

    def __init__(self, table: pd.DataFrame, start: int, stop: int, *, dof: float | None = STUDENT_T_DF,
                 model_error=None):
        missing = [c for c in OBSERVATION_COLUMNS if c not in table.columns]
        if missing:
            raise ModelError(f"observations: missing column '{missing[0]}' (needed: {', '.join(OBSERVATION_COLUMNS)})")
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
        units = df["unit"].astype(str) if "unit" in df.columns else pd.Series([""] * len(df))
        rate = np.array([is_rate(u, i) for u, i in zip(units, df["indicator"])], bool)
        is_log = (y > 0) & ~rate
        # additive error for zeros/negatives: sd = sigma x the indicator's largest |value| (at least
        # 1 unit); for growth rates sd = sqrt(2) x sigma, in 1/year
        ref = df.assign(a=np.abs(y)).groupby("indicator")["a"].transform("max").to_numpy(float)
        scale = np.where(is_log, 1.0, np.where(rate, RATE_SD_FACTOR, np.maximum(ref, 1.0)))
        # measure discrepancy: same indicator and year, different measures, different values
        disc = np.zeros(len(df))
        for (_, _), idx in df.groupby(["indicator", "year"]).groups.items():
            idx = np.asarray(list(idx))
            if len(idx) < 2 or df.loc[idx, "measure"].nunique() < 2:
                continue
            vals = y[idx]
            if np.all(vals > 0) and not rate[idx].any():
                spread = np.std(np.log(vals), ddof=1)
            else:
                spread = np.std(vals, ddof=1) / np.max(np.maximum(np.abs(vals), 1.0))
            disc[idx] = spread / (RATE_SD_FACTOR if rate[idx].any() else 1.0)  # x scale below
        counts = np.array([is_count(u) for u in units])
        poisson = np.where(counts & is_log, 1.0 / np.sqrt(np.maximum(np.abs(y), 1.0)), 0.0)
        total = np.sqrt(sigma ** 2 + disc ** 2 + poisson ** 2)
        df["sigma"] = sigma
        df["count_term"] = poisson
        df["discrepancy"] = disc
        df["sigma_total"] = total
        stated_error = df["error"].astype(str) if "error" in df.columns else None  # read before it is derived
        df["error"] = np.where(is_log, "log-normal", "additive")
        df["growth_rate"] = rate
        # zero counts: a Poisson count with an expected value of 1 is 0 a third of the time, so
        # the additive sd of a zero count is at least one unit
        add_sd = np.sqrt((total * scale) ** 2 + np.where(counts, 1.0, 0.0))
        df["sd_model_units"] = np.where(is_log, np.nan, add_sd)
        if {"error", "error_sd"} <= set(table.columns):  # stated errors win over derived ones
            given = stated_error.isin(["log-normal", "additive"]) & \
                pd.to_numeric(df["error_sd"], errors="coerce").gt(0)
            stated_log = given & stated_error.eq("log-normal") & (y > 0)
            sd = pd.to_numeric(df["error_sd"], errors="coerce").to_numpy(float)
            is_log = np.where(given, stated_log, is_log)
            total = np.where(given & is_log, sd, total)
            add_sd = np.where(given & ~is_log, sd, add_sd)
            df["sigma_total"] = total
            df["error"] = np.where(is_log, "log-normal", "additive")
            df["sd_model_units"] = np.where(is_log, np.nan, add_sd)
        mod = pd.to_numeric(df["model_error_sd"], errors="coerce").fillna(0.0).to_numpy(float) \
            if "model_error_sd" in df.columns else np.zeros(len(df))
        if np.any(mod < 0):
            raise ModelError("observations: column 'model_error_sd' must be >= 0")
        self.model_error_sd = mod
        self.model_error = model_error
        self.dof = np.inf if dof is None else float(dof)
        self.table = df
        self.indicators = sorted(df["indicator"].unique())
        self.ind_idx = np.array([self.indicators.index(i) for i in df["indicator"]])
        self.t_idx = (df["year"].to_numpy() - self.start).astype(int)
        self.y = y
        self.is_log = is_log
        self.s = np.where(is_log, total, add_sd)              # log-sd or additive sd
        self.logy = np.where(is_log, np.log(np.where(is_log, y, 1.0)), 0.0)
        #: the log-density's constant per observation (the log-normal's Jacobian -log y)
        self.log_jacobian = np.where(is_log, -self.logy, 0.0)

    def __len__(self) -> int:
        return len(self.y)

    def scale(self, params=None) -> np.ndarray:
        """Each observation's error scale, (observations,) or (runs, observations) with a
        model-error callable: the observation error and the model error in quadrature."""
        s2 = self.s ** 2 + self.model_error_sd ** 2
        if self.model_error is not None and params is not None:
            extra = np.asarray(self.model_error(params, self.table), float)
            s2 = s2 + extra ** 2
        return np.sqrt(s2)

    @property
    def log_density_at_match(self) -> np.ndarray:
        """Each observation's log-density when the model matches it exactly (residual zero)."""
        return self.standard_logpdf(np.zeros(len(self))) - np.log(self.scale()) + self.log_jacobian

    def standard_logpdf(self, r: np.ndarray) -> np.ndarray:
        if np.isinf(self.dof):
            return -0.5 * r * r - 0.5 * np.log(2 * np.pi)
        return _t_logpdf_std(r, self.dof)

    def pointwise(self, pred: np.ndarray, params=None) -> np.ndarray:
        """Log-likelihood per run and observation; ``pred`` has shape (runs, observations),
        ``params`` (name -> values over runs) feeds the model-error callable, if any."""
        pred = np.asarray(pred, float)
        s = self.scale(params)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.log(np.where(pred > 0, pred, np.nan))
            r = np.where(self.is_log, (self.logy - lp) / s, (self.y - pred) / s)
            ll = self.standard_logpdf(r) - np.log(s) + self.log_jacobian
        return np.where(np.isfinite(ll), ll, -np.inf)

    def loglik(self, pred: np.ndarray, params=None) -> np.ndarray:
        return self.pointwise(pred, params).sum(axis=1)

    def noise(self, shape, rng: np.random.Generator) -> np.ndarray:
        """Standardised observation noise (Student-t, or normal when ``dof`` is infinite)."""
        return rng.standard_normal(shape) if np.isinf(self.dof) else rng.standard_t(self.dof, shape)

    def sample(self, pred: np.ndarray, rng: np.random.Generator, params=None) -> np.ndarray:
        """Noisy observations given model values (the posterior predictive)."""
        pred = np.asarray(pred, float)
        eps = self.noise(pred.shape, rng) * self.scale(params)
        with np.errstate(invalid="ignore"):
            return np.where(self.is_log, pred * np.exp(eps), pred + eps)
