"""A backtest's files: ``backtest.csv`` (one row per held-out observation and forecaster's
forecast) and ``backtest.md`` (the scores), with ``manifest.json``, in a NEW results folder
``results/backtest-<region>-<until>-<timestamp>/``."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analysis.backtest import BANDS, BacktestResult
from ..inputs.workspace import results_dir
from .calibration import format_number
from .files import ResultsFolder, write_manifest

CSV, REPORT = "backtest.csv", "backtest.md"


def summary_table(result: BacktestResult) -> str:
    """The scores as a markdown table (also used in docs/backtest.md)."""
    lines = ["| forecaster | points | 50 % band covers | 90 % band covers | median abs log error "
             "(levels) | posterior's on the same points |", "|---|---|---|---|---|---|"]
    for _, r in result.summary.iterrows():
        cov = [("–" if pd.isna(r[f"coverage_{k}"]) else f"{r[f'coverage_{k}']:.0%}") for k in BANDS]
        lines.append(f"| {r['forecaster']} | {r['points']} ({r['level_points']} levels) | {cov[0]} | {cov[1]} | "
                     f"{format_number(r['median_abs_log_error'])} | "
                     f"{format_number(r['posterior_median_abs_log_error_same_points'])} |")
    return "\n".join(lines)


def backtest_report(result: BacktestResult) -> str:
    r = result
    s = r.settings
    out = [f"# Backtest: {r.region}, fitted to the observations up to {r.until}, forecasting "
           f"{r.until + 1}-{s['last']}", "",
           f"{r.training} observation(s) up to {r.until}; {len(r.points)} held out. "
           f"Calibrated parameters: {len(r.calibrated)}. Settings: quick={s['quick']}, steps={s['steps']}, "
           f"walkers={s['walkers']}, seed={s['seed']}, {s['draws']} draws per forecaster. "
           f"{r.seconds:.0f} s.", "",
           "Coverage: the share of held-out observations inside the forecaster's predictive band (model plus "
           "observation error); a well-calibrated 90 % band covers about 90 %. Median |log error|: of the median "
           "forecast, over held-out levels (growth rates count in the coverage only).", "",
           summary_table(r), ""]
    if r.posterior_worse_than_prior:
        out += ["**The posterior forecasts the held-out points worse than the prior: calibration does not earn its "
                "keep here, and the likelihood is suspect.**", ""]
    if r.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in r.notes] + [""]
    cols = ["obs_id", "year", "observed", "posterior_median", "posterior_p05", "posterior_p95", "prior_median",
            "log-linear trend", "plan target"]
    out += ["## Held-out points", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, p in r.points.iterrows():
        out.append("| " + " | ".join(str(p[c]) if isinstance(p[c], str) or c == "year" else format_number(p[c])
                                     for c in cols) + " |")
    return "\n".join(out) + "\n"


def write_backtest(result: BacktestResult, out: Path | str | None = None) -> Path:
    """Write a backtest to a new results folder (default ``results/backtest-<region>-<until>-<timestamp>/``,
    or exactly ``out``, which must not exist or be empty); returns its path."""
    base, exact = (Path(out), True) if out else (results_dir(), False)
    with ResultsFolder(base, f"backtest-{result.region}-{result.until}", exact=exact) as folder:
        result.points.to_csv(folder.path(CSV), index=False)
        folder.path(REPORT).write_text(backtest_report(result), encoding="utf-8")
        write_manifest(folder, inputs=result.inputs, seed=result.settings["seed"], runs=result.settings["draws"],
                       extra={"kind": "backtest", "region": result.region, "until": result.until,
                              **{k: v for k, v in result.settings.items() if k != "seed"}})
    return folder.final
