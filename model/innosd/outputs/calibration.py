"""A calibration's files: the fit report (markdown), the fit charts and the posterior (netCDF),
written to a NEW results folder; and adopting such a folder as a region's posterior.

* :func:`write_calibration` writes ``results/calibration-<region>-<timestamp>/`` with
  ``posterior.nc``, ``fit-report.md``, ``fit-charts/`` and ``manifest.json``. It never writes
  into ``calibration/<region>/``: a quick test calibration cannot replace the published posterior.
* :func:`adopt` makes such a folder the region's posterior, explicitly (``innosd adopt``): it
  checks every file against the manifest, moves the current posterior, report and charts to
  ``calibration/<region>/previous/<timestamp>/`` (a posterior is never deleted), then copies
  the folder's in.
"""
from __future__ import annotations

import datetime as _dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..analysis.calibration import (
    BASELINE_MIN_YEARS,
    DECISIVE_CHANGE,
    DERIVED_FACTOR,
    INFORMED_RATIO,
    K_HAT_RELIABLE,
    RATE_SD_FACTOR,
    SIGMA_BY_CONFIDENCE,
    STUDENT_T_DF,
    CalibrationResult,
    file_sha256,
)
from ..core.equations import ModelError
from ..core.names import closest
from ..figures.calibration import fit_chart, identification_chart
from ..figures.charts import draw_in_parallel
from ..inputs.region import available_regions, load_region
from ..inputs.workspace import calibration_dir, results_dir, writable_home
from .files import ResultsFolder, save_figure, verify_folder, write_manifest

#: What a calibration results folder holds and adoption copies into calibration/<region>/.
POSTERIOR, REPORT, CHARTS = "posterior.nc", "fit-report.md", "fit-charts"
POOLED = "pooled-prior.csv"
ADOPTED = (POSTERIOR, REPORT, CHARTS)
#: Each observation's influence on each target's probability (when computed).
INFLUENCE = "influence.csv"
#: Resolution of the fit charts (PNG).
CHART_DPI = 110


# --- writing ---------------------------------------------------------------------------------------

def write_calibration(result: CalibrationResult, out: Path | str | None = None) -> Path:
    """Write a calibration to a new results folder (default ``results/calibration-<name>-<timestamp>/``,
    or exactly ``out``, which must not exist or be empty); returns its path."""
    base, exact = (Path(out), True) if out else (results_dir(), False)
    cfg = result.config
    with ResultsFolder(base, f"calibration-{result.name}", exact=exact) as folder:
        result.posterior_dataset().to_netcdf(folder.path(POSTERIOR), engine="scipy")
        write_fit_charts(result, folder.staging / CHARTS)
        folder.path(REPORT).write_text(fit_report(result), encoding="utf-8")
        if result.influence is not None:
            result.influence.to_csv(folder.path(INFLUENCE), index=False)
        if result.pooled is not None:
            result.pooled.table.to_csv(folder.path(POOLED), index=False)
        write_manifest(folder, inputs=result.inputs, seed=cfg.seed, runs=result.diagnostics["engine_runs"],
                       extra={"kind": "calibration", "region": result.region, "name": result.name,
                              "steps": cfg.steps, "walkers": cfg.walkers, "quick": cfg.quick,
                              "draws": len(result.draws), "calibrated": result.created,
                              **result.provenance})
    return folder.final


def _draw_fit_chart(job) -> Path:
    bands, observed, title, folder, stem = job
    return save_figure(fit_chart(bands, observed, title), folder, stem, dpi=CHART_DPI, formats=("png",))[0]


def write_fit_charts(result: CalibrationResult, folder: Path) -> list[Path]:
    """``<indicator>.png`` per fitted series and ``_parameters.png`` (what the data inform)."""
    jobs = []
    for ind, bands in result.bands.groupby("indicator", sort=True):
        units = result.units.get(ind, "")
        jobs.append((bands, result.fit[result.fit["indicator"] == ind], ind + (f" [{units}]" if units else ""),
                     folder, ind))
    paths = draw_in_parallel(_draw_fit_chart, jobs)
    if len(result.identification):
        paths += save_figure(identification_chart(result.identification, INFORMED_RATIO), folder, "_parameters",
                             dpi=CHART_DPI, formats=("png",))
    return paths


# --- the fit report --------------------------------------------------------------------------------

def format_number(v, digits: int = 3) -> str:
    """A number for a table cell: about ``digits`` significant figures, thousands separated."""
    if v is None or (isinstance(v, float) and not np.isfinite(v)):
        return "–"
    if isinstance(v, (int, np.integer)):
        return str(v)
    a = abs(float(v))
    if a != 0 and (a >= 1e5 or a < 1e-3):
        return f"{v:.{digits}g}"
    return f"{v:.{digits}g}" if a < 1 else f"{v:,.{max(0, digits - len(str(int(a))))}f}" if a < 1000 else f"{v:,.0f}"


def _cell(v) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "**no**"
    return format_number(v)


def _md_table(df: pd.DataFrame, cols: Sequence[str], headers: Sequence[str] | None = None) -> str:
    headers = headers or cols
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        lines.append("| " + " | ".join(_cell(r[c]) for c in cols) + " |")
    return "\n".join(lines)


def _miss_reason(r, res: CalibrationResult) -> str:
    side = "above" if r["observed"] > r["pred_p95"] else "below"
    if r["discrepancy"] > 0:
        return (f"conflicting measures of the same year ({side} the band): one model value cannot match both, "
                "even with the measure-discrepancy term")
    ratio = r["observed"] / r["model_median"] if r["model_median"] else np.nan
    txt = f"observed {side} the band ({format_number(ratio, 2)} x the model median)"
    sens = res.sensitivity
    ident = res.identification.set_index("parameter")
    if sens is not None and r["obs_id"] in sens.columns:
        col = sens[r["obs_id"]]
        col = col[col.index.isin(res.calibrated) & (col > 1e-3)].sort_values(ascending=False)[:3]
        if len(col):
            parts = []
            for p in col.index:
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
    """The fit report (markdown): likelihood and its assumptions, convergence, fit per observation
    and per series, what the data inform, the out-of-sample check, charts and files."""
    d, cfg = res.diagnostics, res.config
    fit, series, ident = res.fit, res.series, res.identification
    by = f"`innosd calibrate --region {res.region}`" if res.region else "`innosd.analysis.calibration.calibrate_model`"
    when = res.created[:16].replace("T", " ") + " UTC"  # created is ISO 8601 in UTC
    L = []
    L.append(f"# Calibration fit report: {res.name}")
    L.append("")
    L.append(f"Calibrated {when} by {by}"
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
    L.append("* Each observation" + (" (`use=fit` in `observations.csv`)" if res.region else "")
             + " is compared with the model element of the same "
             "name at time = its year: stocks as the end-of-year value, flows as the rate at that time. "
             "Observations before the " + ("region's " if res.region else "") + "start year are context and skipped.")
    L.append(f"* **Assumption** (no published error rates exist for these figures): a multiplicative error on the "
             f"log scale, by the source's stated confidence: high {SIGMA_BY_CONFIDENCE['high']}, medium "
             f"{SIGMA_BY_CONFIDENCE['medium']}, low {SIGMA_BY_CONFIDENCE['low']} (unknown labels as low); derived "
             f"values (arithmetic on other figures) x{DERIVED_FACTOR:g}. Multiplicative because the figures span "
             "orders of magnitude and official counts are revised by proportions, not fixed amounts.")
    L.append(f"* **Heavy tails**: the error is Student-t with {STUDENT_T_DF:g} degrees of freedom (scale as above; "
             "Lange, Little & Taylor 1989), so one atypical year (a COVID year) costs a logarithmic, not a quadratic, "
             "penalty and cannot pin a parameter to a bound.")
    L.append(f"* **Growth rates are compared as rates**: an additive error in 1/year of {RATE_SD_FACTOR:.2f} x the "
             "confidence's log-error (a one-year rate is the difference of two log levels), e.g. 7 percentage "
             "points for a high-confidence figure, not a few percent of the rate.")
    L.append("* A value of zero (e.g. 'no A-class county in 2019') cannot be log-normal: it gets an additive "
             "error with scale = (its log-sd) x max(the indicator's largest observed value, 1 model unit).")
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
             "or more years" + _theil_caveat(series))
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
                 "mainly tests whether the priors and model structure make the later values plausible."
                 if res.region else
                 f"Fit to observations up to {tgt - 1}, predict each {tgt} observation. Forecast source: "
                 f"{d.get('holdout', '')}.")
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
                 f"years are consecutive) need at least {BASELINE_MIN_YEARS} points before {tgt}.")
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
            L.append(f"No series has {BASELINE_MIN_YEARS} or more points before {tgt}, so no baseline could be "
                     "fitted and no comparison with the model is possible on this data.")
    L.append("")
    L += _influence_section(res)
    L.append("## 7. Charts")
    L.append("")
    L.append(f"`{CHARTS}/<indicator>.png`: data (markers by measure) against the posterior median, the model's "
             "5-95 % band (parameter uncertainty) and the wider posterior predictive band (with observation "
             f"error), over the window. `{CHARTS}/_parameters.png`: posterior/prior width ratio per parameter.")
    L.append("")
    for ind in sorted(res.fit["indicator"].unique()):
        L.append(f"![{ind}]({CHARTS}/{ind}.png)")
    L.append("")
    L.append("## 8. Files")
    L.append("")
    L.append(f"`{POSTERIOR}` (beside this report): {d['draws']} draws, one variable per parameter over dimension "
             "`draw` (netCDF3); attributes record seed, steps, walkers, diagnostics, date and the SHA-256 of the "
             "observations and priors fitted. `manifest.json` records the same and the SHA-256 of every file here.")
    if res.region:
        L.append("")
        L.append(f"`innosd adopt <this folder>` makes it the region's posterior, `calibration/{res.region}/{POSTERIOR}`"
                 f" (with this report and `{CHARTS}/`), which `innosd run` draws its parameters from; the posterior "
                 f"it replaces is kept in `calibration/{res.region}/previous/<timestamp>/`.")
    L.append("")
    if res.pooled is not None:
        L += pooled_section(res)
    if res.region:
        L += region_priors_section(res.region)
    return "\n".join(L)


def _influence_section(res: CalibrationResult) -> list[str]:
    """Observations that decide a target's verdict (leave-one-out by PSIS re-weighting)."""
    inf = res.influence
    if inf is None or inf.empty:
        return []
    L = ["## 6b. Observations that decide a verdict", "",
         "Each observation left out by Pareto-smoothed importance re-weighting of the posterior sample (PSIS, "
         "no refit), with the region's targets under its baseline scenario, one run per posterior draw. Listed: "
         f"leaving it out moves a target's probability across 0.5 or by more than {DECISIVE_CHANGE:g}. k-hat above "
         f"{K_HAT_RELIABLE:g} means the re-weighting is unreliable for that observation (only a refit without it "
         "can tell)."]
    dec = inf[inf["decides"]].copy()
    if dec.empty:
        L += ["", f"No observation decides a verdict ({inf['obs_id'].nunique()} observations x "
                  f"{inf['target_id'].nunique()} targets checked).", ""]
        return L
    dec["abs"] = dec["change"].abs()
    dec = dec.sort_values(["abs"], ascending=False)
    per = dec.groupby("obs_id")["target_id"].count().sort_values(ascending=False)
    L += ["", "Verdicts decided, per observation: " + ", ".join(f"`{o}` ({n})" for o, n in per.items()) + ".", ""]
    L.append(_md_table(dec.head(40), ["obs_id", "target_id", "probability", "probability_without", "change", "k_hat",
                                      "reliable"],
                       ["observation", "target", "P(met)", "P(met) without it", "change", "k-hat", "k-hat <= 0.7"]))
    if len(dec) > 40:
        L.append(f"(the 40 largest of {len(dec)} shown)")
    L.append("")
    return L


def region_priors_section(key: str) -> list[str]:
    """Which of the region's starting values are its own data and which are scaled priors (the
    profile's ``priors:`` and ``scaled_priors:``; a basis saying LACKING has no figure of its own)."""
    own = load_region(key).own_priors
    if not own:
        return []
    L = ["## The region's own priors", "",
         f"`calibration/{key}/profile.yaml` replaces {len(own)} priors of `calibration/priors.csv` (Xingtai's scale). "
         "A basis citing sourced points is derived from the region's data; `scaled prior` means the region lacks "
         "the figure and Xingtai's value is scaled by a stated size factor.", "",
         "| parameter | prior | 90 % | basis |", "|---|---|---|---|"]
    for name, p in own.items():
        lo, hi = p.interval(0.9)
        L.append(f"| `{name}` | {p.distribution} | {format_number(lo)} – {format_number(hi)} | "
                 f"{p.source.replace('|', '/')} |")
    L.append("")
    return L


def pooled_section(res: CalibrationResult) -> list[str]:
    """The province-level prior of a pooled calibration: per shared parameter, the flat and pooled
    90 % intervals and which one was used (the table is also ``pooled-prior.csv``)."""
    t = res.pooled.table
    stage1 = res.diagnostics.get("seconds_stage1", 0.0)
    L = ["## 9. Pooled across the province", "",
         f"Two-stage calibration (`--pooled`, `calibration/pooled.yaml`): stage 1 took {stage1:.0f} s, the whole "
         f"calibration {res.seconds:.0f} s. Shared parameters, their flat prior and the province-level prior "
         "(mean of the regions' estimates, spread of city deviations, DerSimonian-Laird):", "",
         "| parameter | flat 90 % | pooled 90 % | width ratio | used |", "|---|---|---|---|---|"]
    for r in t.to_dict("records"):
        pooled = (f"{format_number(r.get('pooled_lo90'))} – {format_number(r.get('pooled_hi90'))}"
                  if "pooled_lo90" in r and r["pooled_lo90"] == r["pooled_lo90"] else "–")
        flat = f"{format_number(r['flat_lo90'])} – {format_number(r['flat_hi90'])}"
        L.append(f"| `{r['parameter']}` | {flat} | {pooled} | {format_number(r.get('width_ratio'))} | {r['used']} |")
    L += ["", "Why each is shared: `calibration/pooled.yaml`. Stage notes: " + "; ".join(res.pooled.notes) + ".", ""]
    return L


def _theil_caveat(series: pd.DataFrame) -> str:
    """What the report says about the decomposition, depending on how many points the series have."""
    thin = series[(series["points"] < 4) | (series["years"] < 3)] if len(series) else series
    if len(series) and len(thin) == len(series):
        return (", which is the case for every series here: **most series have a single point or two, so the "
                "decomposition is shown only for completeness.**")
    return "; the note column says where that is the case."


# --- adopting --------------------------------------------------------------------------------------

@dataclass
class Adoption:
    """What :func:`adopt` did: the folder adopted, the region's calibration folder, what was
    copied in and where the files it replaced were moved."""
    region: str
    source: Path
    target: Path
    adopted: list[Path]                 # the files now in calibration/<region>/
    previous: Path | None = None        # calibration/<region>/previous/<timestamp>/, if anything was replaced
    replaced: list[str] = field(default_factory=list)   # names moved there
    notes: list[str] = field(default_factory=list)


def read_calibration_manifest(folder: Path) -> dict:
    """The manifest of a calibration results folder, after checking every file it lists is there
    and unchanged (one-line ModelError otherwise)."""
    try:
        manifest = verify_folder(folder)
    except ModelError as exc:
        raise ModelError(f"{exc}; refusing to adopt") from None
    if manifest.get("kind") != "calibration":
        raise ModelError(f"{folder}: not a calibration results folder (its manifest.json has no kind 'calibration')")
    if not manifest.get("region"):
        raise ModelError(f"{folder}: a calibration of the model '{manifest.get('name', '?')}', not of a region; "
                         "only a region's calibration can be adopted")
    if POSTERIOR not in manifest["outputs"]:
        raise ModelError(f"{folder}: its manifest.json lists no {POSTERIOR}; refusing to adopt")
    return manifest


def adopt(folder: Path | str) -> Adoption:
    """Make a calibration results folder the posterior of its region (read from its manifest):
    move ``calibration/<region>/``'s posterior.nc, fit-report.md and fit-charts/ to
    ``calibration/<region>/previous/<timestamp>/``, then copy the folder's in."""
    home = writable_home()  # never the read-only shipped copy: refused before anything is read
    source = Path(folder)
    manifest = read_calibration_manifest(source)
    region = str(manifest["region"])
    target = home / "calibration" / region
    if not (target / "profile.yaml").is_file():
        raise ModelError(f"{source}: calibrated region '{region}' is not in {calibration_dir()}"
                         + closest(region, available_regions()))
    # only the files the manifest vouches for are copied
    listed = [rel for rel in manifest["outputs"] if rel.split("/")[0] in ADOPTED]
    stage = target / f".adopting-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        for rel in listed:
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / rel, stage / rel)
        replaced = [name for name in ADOPTED if (target / name).exists()]
        previous = None
        if replaced:
            previous = _new_previous_folder(target)
            for name in replaced:
                os.replace(target / name, previous / name)
        for name in ADOPTED:
            if (stage / name).exists():
                os.replace(stage / name, target / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    notes = []
    fitted = {"observations.csv": (target / "observations.csv", manifest.get("observations_sha256")),
              "priors.csv": (calibration_dir() / "priors.csv", manifest.get("priors_sha256"))}
    for name, (path, digest) in fitted.items():
        if digest and file_sha256(path) != digest:
            notes.append(f"the posterior was fitted to another {name} than {path} now holds "
                         "(edited since, or a table passed to calibrate)")
    return Adoption(region, source, target, [target / rel for rel in listed], previous, replaced, notes)


def _new_previous_folder(target: Path) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = target / "previous"
    path, k = base / stamp, 2
    while path.exists():
        path, k = base / f"{stamp}-{k}", k + 1
    path.mkdir(parents=True)
    return path
