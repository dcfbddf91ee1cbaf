"""The results folder of a sensitivity analysis (``innosd sensitivity``): the indices as tables,
warnings, bar charts per output and year, the indices over time, and a manifest."""
from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..analysis.sensitivity import POLICY_YEAR, SensitivityResult
from ..figures.charts import draw_in_parallel
from ..figures.sensitivity import bar_chart, over_time_chart
from ..inputs.targets import LEVEL_COMPARATORS
from .files import results_folder, safe_name, save_figure, scenario_input_files, write_manifest
from .tables import write_tables

CHART_DPI = 100


def chart_jobs(result: SensitivityResult) -> list[tuple]:
    """The charts of a result: ``(stem, kind, data, method, title)``.

    A bar chart per output and year; the gap of a level target (ge/gt/le/lt) in a year whose
    indicator is itself an output is skipped: a gap is the indicator minus a constant, so its
    indices are the indicator's (only growth, multiple, increase and cumulative targets differ).
    """
    info = result.outputs
    same = set()
    if info is not None and len(info):
        level = info[(info["kind"] == "gap") & info["comparator"].isin(LEVEL_COMPARATORS)]
        ind = info[info["kind"] == "indicator"]
        shown = set(zip(ind["indicator"], ind["year"]))
        same = {(o, y) for o, i, y in zip(level["output"], level["indicator"], level["year"]) if (i, y) in shown}
    jobs = []
    for (output, year), g in result.indices.groupby(["output", "year"], dropna=False, sort=False):
        if g.iloc[:, 3:].isna().all().all() or (output, year) in same:
            continue
        has_year = not pd.isna(year)
        jobs.append((f"bar-{safe_name(output)}" + (f"-{int(year)}" if has_year else ""), "bar", g, result.method,
                     f"{output} {int(year)}" if has_year else str(output)))
    if result.over_time is not None and result.over_time.iloc[:, 3:].notna().any().any():
        jobs.append((f"over-time-{safe_name(result.over_time_indicator)}", "over_time", result.over_time,
                     result.method, result.over_time_indicator))
    return jobs


def _draw(job, folder: Path) -> list[Path]:
    stem, kind, data, method, title = job
    fig = bar_chart(data, method, title) if kind == "bar" else over_time_chart(data, method, title)
    return save_figure(fig, folder, stem, dpi=CHART_DPI)


def draw_charts(jobs: Sequence[tuple], folder: Path) -> list[Path]:
    """Draw and save the charts (PNG and SVG), on all cores when there are many."""
    return [p for paths in draw_in_parallel(partial(_draw, folder=folder), list(jobs)) for p in paths]


def _year(y) -> int | float | None:
    """An output's year for the manifest (JSON): whole years as integers, none as null."""
    return None if pd.isna(y) else int(y) if float(y).is_integer() else float(y)


def write_sensitivity(result: SensitivityResult, out: Path | str | None = None, charts: bool = True,
                      lang: str = "en") -> Path:
    """Write a results folder (new, atomic, never overwritten); returns its path.

    indices.csv (and indices_s2.csv), indices_over_time.csv, factors.csv, outputs.csv,
    warnings.txt, charts/ (bar charts per output and year, indices over time; PNG and SVG)
    and manifest.json; the tables also as sheets of tables.xlsx (CSV with a UTF-8 BOM, Chinese
    headers with ``lang="zh"``).
    """
    sc = result.scenario
    t0 = time.perf_counter()
    name = f"{sc.region}-{sc.name}" if sc is not None else "model"
    with results_folder(out, f"sensitivity-{name}-{result.method}") as folder:
        tables = {"indices": result.indices, "indices_s2": result.s2, "indices_over_time": result.over_time,
                  "factors": result.factors, "outputs": result.outputs}
        write_tables(folder, {k: v for k, v in tables.items() if v is not None}, lang)
        folder.path("warnings.txt").write_text("".join(w + "\n" for w in result.warnings), encoding="utf-8")
        if charts:
            cdir = folder.staging / "charts"
            cdir.mkdir()
            draw_charts(chart_jobs(result), cdir)
        inputs, extra = {}, {}
        if sc is not None:
            inputs = scenario_input_files(sc)
            extra = {"scenario": sc.name, "region": sc.region, "scenario_sha256": sc.sha256,
                     "years": list(result.years)}
        extra.update({
            "analysis": "sensitivity", "method": result.method, "N": result.n, "second_order": result.second_order,
            "factors": [{"name": f.name, "kind": f.kind, "distribution": f.distribution, "lo": f.lo, "hi": f.hi,
                         "units": f.units} for f in result.design.factors],
            # "outputs" is the manifest's map of files to their SHA-256; the analysed outputs are these
            "analysed_outputs": [{"output": o, "year": _year(y)}
                                 for o, y in dict.fromkeys(zip(result.indices["output"], result.indices["year"]))],
            "over_time": result.over_time_indicator, "policy_year": POLICY_YEAR,
            "conf_level": result.conf_level, "warnings": result.warnings, "notes": result.notes,
            "seconds": {k: round(v, 3) for k, v in {**result.seconds,
                                                    "write": time.perf_counter() - t0}.items()}})
        write_manifest(folder, inputs=inputs, seed=result.seed, runs=result.runs, extra=extra)
    result.seconds["write"] = time.perf_counter() - t0
    return folder.final
