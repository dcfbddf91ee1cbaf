"""How large the model error is: its size from the data, and what it implies for an output.

The model error (``innosd.sectors.model_error``) multiplies each noisy rate by ``exp(x)``, ``x`` an
Ornstein-Uhlenbeck process of stationary sd ``s`` and correlation time ``τ``. Two things live here:

* :func:`estimate_noise_sds`: ``s`` for each rate from the year-to-year variation of historical
  series (``calibration/<region>/observations.csv``, data to 2020 only). A series observed at
  years ``y0 < y1 < ...`` gives average log growth rates ``g_i`` over intervals of ``Δ_i`` years.
  The trend is the series' own mean growth; the deviations from it are what the model error must
  explain. Under the noise model a deviation has variance ``s² · v_i``, where ``v_i`` depends on
  how the rate reaches the series (:data:`LINKS`) and on ``Δ_i`` and ``τ``; so ``s²`` is the
  generalised-least-squares residual variance ``Σ r_i² / v_i / (n - 1)`` pooled over the series
  of a rate (``n - 1`` degrees of freedom per series: one is spent on its trend). The series are
  short (three points at most), so each estimate has one or two degrees of freedom and the priors
  built from them (``calibration/priors.csv``) are wide. Rates without a usable series borrow the
  pooled estimate of the yearly recognition flows, with a wider prior, and say so.
* :func:`log_variance`: the variance of the log of an affected output implied by ``s`` and ``τ``,
  for a likelihood that adds the model error to the observation error (the calibration fits the
  deterministic model).

``python -m innosd.analysis.model_error`` prints the estimates (docs/model-error.md records them).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..inputs.workspace import calibration_dir
from ..sectors import compiled_model
from ..sectors.model_error import CORRELATION_TIME, NOISY_RATES, sd_name

#: data after this year are never used for the noise sizes (the forecasts start in 2021)
LAST_DATA_YEAR = 2020

#: How a rate's noise reaches an observed series' log growth over ``Δ`` years (``k``: the noisy flow's
#: yearly share of the stock it feeds):
#: ``flow``   a stock fed by the noisy flow: growth deviation ≈ k · (mean of x over Δ);
#: ``growth`` the noise is the growth rate itself: deviation = mean of x over Δ;
#: ``level``  the noise multiplies the level: deviation = (x(end) - x(start)) / Δ.
LINKS = ("flow", "growth", "level")


@dataclass(frozen=True)
class SeriesSpec:
    """One historical series: observation ids in calibration/<region>/observations.csv."""
    rate: str
    link: str
    region: str
    obs_ids: tuple[str, ...]
    #: (added, stock) observation ids whose ratio is the flow's yearly share k (link ``flow``); the data
    #: give net additions, a lower bound of the gross inflow, so k is low and the sd high, if anything
    share: tuple[str, str] | None = None
    note: str = ""


SERIES = (
    SeriesSpec("firm_formation", "flow", "hebei",
               ("hb-techsme-2016-news", "hb-techsme-2017-news"),
               share=("hb-techsmenew-2017-news", "hb-techsme-2017-news"),
               # 2013 (8900) left out: the registry grew 4.3-fold to 2015, a change of scale rather than
               # year-to-year variation; with it this series alone would give an sd of 2.1 (docs/model-error.md)
               note="Hebei provincial tech-SME registry (2013 left out)"),
    SeriesSpec("hte_certification", "flow", "hebei",
               ("hb-hte-2012-bulletin", "hb-hte-2016-news", "hb-hte-2017-news"),
               share=("hb-htenew-2017-news", "hb-hte-2017-news"),
               note="Hebei HTE stock (2020 county sum left out: another measure)"),
    SeriesSpec("enterprise_rd_growth", "growth", "hebei",
               ("hb-rd-2012-paper", "hb-rd-2016-paper", "hb-rd-2020-bulletin"),
               note="Hebei total R&D expenditure (enterprises perform most of it)"),
    SeriesSpec("county_score", "level", "hebei",
               ("hb-tiera-2018-forum", "hb-tiera-2019-forum", "hb-tiera-2020-lit"),
               note="Hebei mean county score implied by the tier-A share (logistic spread)"),
    SeriesSpec("county_score", "level", "hebei",
               ("hb-tierb-2018-forum", "hb-tierb-2019-forum", "hb-tierb-2020-lit"),
               note="Hebei mean county score implied by the tier-A-or-B share (logistic spread)"),
)
#: rates without a usable series borrow the pooled estimate of these (yearly recognition flows)
BORROW_FROM = ("firm_formation", "hte_certification")
#: the log-sd of a borrowed prior: a factor e ≈ 2.7 either way
BORROWED_LOG_SD = 1.0


def ou_mean_variance(span, tau):
    """Variance of the time average over ``span`` years of a unit-variance OU process (τ = ``tau``)."""
    a = np.asarray(span, float) / tau
    return 2.0 * (a - 1.0 + np.exp(-a)) / a ** 2


def ou_integral_variance(t, tau):
    """Variance of the integral over ``t`` years of a unit-variance OU process, started stationary."""
    t = np.asarray(t, float)
    return 2.0 * tau ** 2 * (t / tau - 1.0 + np.exp(-t / tau))


def deviation_variance(link: str, span, tau: float, k: float = 1.0):
    """``v``: variance of a growth-rate deviation over ``span`` years per unit noise variance."""
    if link == "flow":
        return k ** 2 * ou_mean_variance(span, tau)
    if link == "growth":
        return ou_mean_variance(span, tau)
    if link == "level":
        return 2.0 * (1.0 - np.exp(-np.asarray(span, float) / tau)) / np.asarray(span, float) ** 2
    raise ValueError(f"unknown link '{link}' (expected one of {', '.join(LINKS)})")


def _observations() -> pd.DataFrame:
    frames = []
    for path in sorted(calibration_dir().glob("*/observations.csv")):
        df = pd.read_csv(path)
        df["region"] = path.parent.name
        frames.append(df)
    obs = pd.concat(frames, ignore_index=True)
    return obs[(obs["kind"] == "actual") & (obs["year"] <= LAST_DATA_YEAR)].set_index("obs_id")


def _county_score_from_tiers(obs: pd.DataFrame, ids) -> np.ndarray:
    """The mean county score implied by the share of counties at or above a tier, with the model's
    logistic spread of scores and tier thresholds: mean = threshold - spread · logit(1 - share)."""
    d = compiled_model().defaults
    spread = d["county_score_spread"]
    out = []
    for obs_id in ids:
        row = obs.loc[obs_id]
        year = row["year"]
        tiers = obs[(obs["region"] == row["region"]) & (obs["year"] == year)
                    & obs["indicator"].isin(["counties_tier_a", "counties_tier_b", "counties_tier_c"])]
        counts = tiers.groupby("indicator")["value"].first()
        if "counties_tier_c" not in counts:  # the province's evaluated counties: the other years' totals
            totals = obs[(obs["region"] == row["region"]) & obs["indicator"].str.startswith("counties_tier_")]
            total = totals.groupby("year")["value"].sum().max()
        else:
            total = counts.sum()
        if row["indicator"] == "counties_tier_a":
            share, threshold = counts["counties_tier_a"] / total, d["tier_a_threshold"]
        else:
            share, threshold = (counts["counties_tier_a"] + counts["counties_tier_b"]) / total, d["tier_b_threshold"]
        out.append(threshold - spread * np.log((1 - share) / share))
    return np.array(out)


def estimate_noise_sds(tau: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The noise sd of each rate from the historical series, with correlation time ``tau`` (default:
    the model's ``model_error_correlation_time``). Returns ``(series, rates)``: one row per series
    (its growth rates, deviations and GLS sum of squares) and one per noisy rate (estimate, degrees
    of freedom, how it was obtained, the lognormal prior's median and log-sd)."""
    tau = compiled_model().defaults[CORRELATION_TIME] if tau is None else tau
    obs = _observations()
    rows = []
    for spec in SERIES:
        years = obs.loc[list(spec.obs_ids), "year"].to_numpy(float)
        if spec.rate == "county_score":
            values = _county_score_from_tiers(obs, spec.obs_ids)
        else:
            values = obs.loc[list(spec.obs_ids), "value"].to_numpy(float)
        k = 1.0
        if spec.share is not None:
            k = obs.loc[spec.share[0], "value"] / obs.loc[spec.share[1], "value"]
        span = np.diff(years)
        growth = np.diff(np.log(values)) / span
        v = deviation_variance(spec.link, span, tau, k)
        trend = np.sum(growth / v) / np.sum(1 / v)  # GLS mean growth
        rows.append(dict(rate=spec.rate, series=spec.note, link=spec.link, years=" ".join(f"{y:.0f}" for y in years),
                         k=round(k, 3), growth=" ".join(f"{g:.3f}" for g in growth), trend=trend,
                         ss=float(np.sum((growth - trend) ** 2 / v)), dof=len(years) - 2))
    series = pd.DataFrame(rows)
    rates = []
    pooled = series.groupby("rate")[["ss", "dof"]].sum()
    lenders = [r for r in BORROW_FROM if r in pooled.index and pooled.loc[r, "dof"] > 0]
    borrowed = pooled.loc[lenders].sum()
    for rate in NOISY_RATES:
        if rate in pooled.index and pooled.loc[rate, "dof"] > 0:
            ss, dof = pooled.loc[rate, "ss"], int(pooled.loc[rate, "dof"])
            sd, how, log_sd = np.sqrt(ss / dof), "estimated", 1 / np.sqrt(2 * dof)
        else:
            ss, dof = borrowed["ss"], int(borrowed["dof"])
            sd, how, log_sd = np.sqrt(ss / dof), "borrowed from " + " and ".join(lenders), BORROWED_LOG_SD
        rates.append(dict(rate=rate, parameter=sd_name(rate), sd=sd, dof=dof, how=how,
                          prior_median=float(f"{sd:.3g}"), prior_log_sd=round(float(log_sd), 2)))
    return series, pd.DataFrame(rates)


#: observed output -> (noisy rate, link, k): how the model error reaches the log of that output
AFFECTED = {
    "tech_sme_new_registrations": ("firm_formation", "level", 1.0),
    "tech_sme_provincial": ("firm_formation", "flow", None),
    "hte_new_certifications": ("hte_certification", "level", 1.0),
    "hte_count": ("hte_certification", "flow", None),
    "rd_expenditure_reported": ("enterprise_rd_growth", "growth", 1.0),
    "enterprise_rd_expenditure": ("enterprise_rd_growth", "growth", 1.0),
    "tech_contract_turnover": ("tech_deals", "level", 1.0),
    "tech_contract_registered": ("tech_deals", "level", 1.0),
    "county_capability_score": ("county_score", "level", 1.0),
}


def log_variance(output: str, years_since_start, params: dict[str, float], k: float | None = None):
    """Variance of log(``output``) added by the model error, ``years_since_start`` years after the
    run's start (linearised, feedback ignored). ``params`` gives the sds and the correlation time by
    their model names (missing ones: the model's defaults); ``k`` the noisy flow's yearly share of
    the stock for a stock output (default: the share the noise-size estimate used).

    * a noisy level (a yearly flow, the deal volume, the score): the stationary variance of the
      yearly mean of x, ``s² · A(1)``;
    * enterprise R&D: its growth error accumulates from zero at the start, ``s² · I(t)``;
    * a stock fed by a noisy flow (HTEs, tech SMEs): ``k² s² · I(min(t, 1/k))``, the flow's error
      integrated over about one turnover time of the stock (approximate).
    """
    if output not in AFFECTED:
        raise KeyError(f"no model error reaches '{output}'; outputs with one: {', '.join(AFFECTED)}")
    rate, link, k_default = AFFECTED[output]
    d = compiled_model().defaults
    sd = params.get(sd_name(rate), d[sd_name(rate)])
    tau = params.get(CORRELATION_TIME, d[CORRELATION_TIME])
    t = np.asarray(years_since_start, float)
    if link == "level":
        return sd ** 2 * ou_mean_variance(1.0, tau) * np.ones_like(t)
    if link == "growth":
        return sd ** 2 * ou_integral_variance(t, tau)
    if k is None:
        k = k_default if k_default is not None else _flow_share(rate)
    return (k * sd) ** 2 * ou_integral_variance(np.minimum(t, 1.0 / k), tau)


def _flow_share(rate: str) -> float:
    spec = next(s for s in SERIES if s.rate == rate and s.share is not None)
    obs = _observations()
    return float(obs.loc[spec.share[0], "value"] / obs.loc[spec.share[1], "value"])


def main() -> None:  # pragma: no cover - a report for docs/model-error.md
    series, rates = estimate_noise_sds()
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60):
        print(series.round(4).to_string(index=False))
        print()
        print(rates.round(4).to_string(index=False))


if __name__ == "__main__":  # pragma: no cover
    main()
