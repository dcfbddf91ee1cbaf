"""The likelihood: an observation table as the probability of the data given the model.

Every observation maps to one model output and one year; year *Y* is compared with the model
at time *Y* (stocks at the end of year *Y*, flows as the rate at *Y*).  The error is
multiplicative (log-normal) with a log-sd set by the observation's confidence
(:data:`SIGMA_BY_CONFIDENCE`), doubled for derived values; a value of zero (or below) uses an
additive normal error instead.  Observations of the same indicator and year that disagree
because they use different *measures* (Xingtai's HTE count 2020: 530 in the 14th FYP table,
450 in the S&T bureau's year-end report) are both kept, and each gets a measure-discrepancy
term (the spread of the conflicting values) added in quadrature, so two sources that disagree
do not make the posterior falsely precise.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.equations import ModelError

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
#: Columns an observation table must have.
OBSERVATION_COLUMNS = ("obs_id", "indicator", "year", "model_value", "confidence")


def is_count(unit: str) -> bool:
    """Whether ``unit`` counts discrete things (``firm``, ``firm/year``...), see :data:`COUNT_UNITS`."""
    parts = [p.strip() for p in str(unit).replace(" ", "").split("/")]
    return parts[0] in COUNT_UNITS and (len(parts) == 1 or (len(parts) == 2 and parts[1] == "year"))


class ErrorModel:
    """The observation table as a likelihood.

    ``table`` needs the columns obs_id, indicator, year, model_value, confidence and,
    optionally, measure, kind, unit, source.  Rows outside ``[start, stop]`` are dropped (and
    counted in :attr:`skipped`).  A table that already states each row's error (columns
    ``error``, "log-normal" or "additive", and ``error_sd``, as
    :func:`innosd.analysis.calibration.synthetic_observations` writes them) keeps it: data
    simulated with an error model is fitted with the same one.
    """

    def __init__(self, table: pd.DataFrame, start: int, stop: int):
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
        counts = np.array([is_count(u) for u in units])
        poisson = np.where(counts & is_log, 1.0 / np.sqrt(np.maximum(np.abs(y), 1.0)), 0.0)
        total = np.sqrt(sigma ** 2 + disc ** 2 + poisson ** 2)
        df["sigma"] = sigma
        df["count_term"] = poisson
        df["discrepancy"] = disc
        df["sigma_total"] = total
        stated_error = df["error"].astype(str) if "error" in df.columns else None  # read before it is derived
        df["error"] = np.where(is_log, "log-normal", "additive")
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
        self.table = df
        self.indicators = sorted(df["indicator"].unique())
        self.ind_idx = np.array([self.indicators.index(i) for i in df["indicator"]])
        self.t_idx = (df["year"].to_numpy() - self.start).astype(int)
        self.y = y
        self.is_log = is_log
        self.s = np.where(is_log, total, add_sd)              # log-sd or additive sd
        self.logy = np.where(is_log, np.log(np.where(is_log, y, 1.0)), 0.0)
        #: each observation's log-density when the model matches it exactly (residual zero)
        self.log_density_at_match = np.where(is_log, -np.log(self.s) - self.logy, -np.log(self.s)) \
            - 0.5 * np.log(2 * np.pi)

    def __len__(self) -> int:
        return len(self.y)

    def pointwise(self, pred: np.ndarray) -> np.ndarray:
        """Log-likelihood per run and observation; ``pred`` has shape (runs, observations)."""
        pred = np.asarray(pred, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.log(np.where(pred > 0, pred, np.nan))
            r = np.where(self.is_log, (self.logy - lp) / self.s, (self.y - pred) / self.s)
            ll = self.log_density_at_match - 0.5 * r * r
        return np.where(np.isfinite(ll), ll, -np.inf)

    def loglik(self, pred: np.ndarray) -> np.ndarray:
        return self.pointwise(pred).sum(axis=1)

    def sample(self, pred: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Noisy observations given model values (the posterior predictive)."""
        pred = np.asarray(pred, float)
        eps = rng.standard_normal(pred.shape) * self.s
        with np.errstate(invalid="ignore"):
            return np.where(self.is_log, pred * np.exp(eps), pred + eps)
