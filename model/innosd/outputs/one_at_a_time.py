"""The one-lever-at-a-time table (:mod:`innosd.analysis.one_at_a_time`) as Markdown and CSV,
for ``docs/model/`` (``innosd docs``)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..analysis.one_at_a_time import MEDIAN_THRESHOLD, PROBABILITY_THRESHOLD, OneAtATime
from ..figures.charts import display_units
from ..figures.format import format_number
from .files import atomic_write

STEM = "levers-one-at-a-time"
_CMP = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def _cell(s) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def _value(x, units: str, typical=None) -> str:
    scale, label = display_units(units, "en", typical)
    text = format_number(None if x is None or x != x else float(x) * scale)
    return text if text == "—" or not label else f"{text} {label}"


def _target_text(r) -> str:
    """The compared target, e.g. '≥ 1,000 firms', 'growth ≥ 15 %/yr from 2020'."""
    v = _value(r["target_value"], r["units"], r["target_value"])
    base = f" from {int(r['base_year'])}" if pd.notna(r["base_year"]) else ""
    cmp = r["comparator"]
    if cmp in _CMP:
        return f"{_CMP[cmp]} {v}" + (f" every year after {int(r['base_year'])}" if base else "")
    word = {"growth_per_year": "growth ≥", "multiple_of_base": "≥ base ×", "increase_per_year": "added each year ≥",
            "cumulative_from": "added ≥"}.get(cmp, cmp)
    if cmp == "multiple_of_base":
        v = format_number(r["target_value"])
    return f"{word} {v}{base}"


def _source_note(note: str) -> str:
    """Where the parameter draws came from, without the lists of parameter names."""
    parts = [p.strip() for p in note.split(";")]
    return "; ".join([parts[0]] + ["the model's equations have changed since this posterior was calibrated"
                                   if p.startswith("WARNING") else p.split(":")[0] for p in parts[1:]])


def _p(p) -> str:
    return "—" if p is None or p != p else f"{100 * float(p):.0f} %"


def ordered(table: pd.DataFrame) -> pd.DataFrame:
    """Moving rows by lever (levers.csv order), then by size of effect: the change of P(met)
    between the bounds, then the change of the median relative to the target's value."""
    t = table[table["moves"]].copy()
    order = {name: i for i, name in enumerate(dict.fromkeys(table["lever"]))}
    t["_lever"] = t["lever"].map(order)
    t["_dp"] = -(t["p_high"] - t["p_low"]).abs()
    t["_rel"] = -t["effect"]
    return t.sort_values(["_lever", "_dp", "_rel", "target_id"]).drop(columns=["_lever", "_dp", "_rel"])


def markdown(result: OneAtATime, label: str) -> list[str]:
    """One region's section: the levers, the levers that move nothing and why, each lever's
    moving targets, and the targets left out."""
    sc, lv = result.scenario, result.levers
    py = result.policy_year
    lines = [f"## {label} (`{sc.region}/{sc.path.stem}`)", "",
             f"{result.runs} runs per variant, seed {result.seed}; {_source_note(result.parameter_note)}. "
             f"{len(result.table['target_id'].unique())} targets compared, {len(result.excluded)} left out (below).",
             ""]
    lines += [n + "." for n in result.notes[1:]]
    lines += ["### Levers", "",
              f"| lever | units | low bound | baseline from {py} | high bound | who pulls it | targets moved "
              "| largest change of P(met), low → high |",
              "|---|---|---|---|---|---|---|---|"]
    for _, r in lv.iterrows():
        lines.append(f"| `{r['lever']}` | {_cell(r['lever_units'])} | {format_number(r['low'])} | "
                     f"{format_number(r['baseline_value'])} | {format_number(r['high'])} | {r['jurisdiction']} | "
                     f"{r['targets_moved']} | {_p(r['largest_dp']) if r['targets_moved'] else '—'} |")
    still = lv[lv["targets_moved"] == 0]
    lines += ["", "### Levers that move no target", ""]
    lines += [f"- `{r['lever']}`: {_cell(r['why_none'])}." for _, r in still.iterrows()] or ["None: every lever moves "
                                                                                             "at least one target."]
    lines += ["", "### Targets each lever moves", "",
              "Medians of the compared metric (the indicator in the target year, or its growth, increase or "
              "cumulative addition as the target states) in the units of the row; change = high − low bound.", "",
              "| lever | target | indicator | target | units | median at baseline | at low bound | at high bound "
              "| change | P(met) at baseline | at low bound | at high bound |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for _, r in ordered(result.table).iterrows():
        u, typ = r["units"], r["target_value"]
        label_u = "× base" if r["comparator"] == "multiple_of_base" else display_units(u, "en", typ)[1] or "count"
        scaled = lambda x: format_number(float(x) * display_units(u, "en", typ)[0])  # noqa: E731
        lines.append(f"| `{r['lever']}` | `{r['target_id']}` | {_cell(r['name'])} | {_cell(_target_text(r))} "
                     f"({r['year']}) | {_cell(label_u)} | {scaled(r['median_baseline'])} | {scaled(r['median_low'])} "
                     f"| {scaled(r['median_high'])} | {scaled(r['change'])} | {_p(r['p_baseline'])} | "
                     f"{_p(r['p_low'])} | {_p(r['p_high'])} |")
    ex = result.excluded
    lines += ["", "### Targets left out", ""]
    if ex.empty:
        lines.append("None.")
    for reason, group in ex.groupby(ex["reason"].str.split(":").str[0], sort=True):
        lines.append(f"- {reason} ({len(group)}): " + ", ".join(f"`{i}`" for i in group["target_id"]) + ".")
    return lines + [""]


def write_one_at_a_time(out: Path | str, results: Sequence[tuple[str, OneAtATime]],
                        without: Sequence[str] = ()) -> list[Path]:
    """``<out>/levers-one-at-a-time.md`` (every region's section) and ``.csv`` (every lever and
    compared target, moving or not, with a ``region`` column); ``without``: regions with targets
    but none a lever can move, named in the introduction."""
    out = Path(out)
    first = results[0][1]
    lines = ["# One lever at a time", "",
             "Generated by `innosd docs` (`innosd.analysis.one_at_a_time`); do not edit by hand.", "",
             "Each lever of `scenarios/levers.csv` is set to its lower and to its upper bound from "
             f"{first.policy_year} on, one at a time, everything else as in the region's baseline scenario. Every "
             "variant runs with the same parameter and model-error draws as the baseline (common random numbers), "
             "so a difference is the lever's effect. A lever moves a target when, at either bound, the target's "
             f"median metric differs from the baseline's by at least {MEDIAN_THRESHOLD:.0%} of the target's value "
             "(of the baseline's median when that is larger, as for a target of 0), or its probability of being "
             f"met by at least {PROBABILITY_THRESHOLD * 100:.0f} percentage points. Targets set by policy (a lever "
             "is the target, or a coefficient was read from it) are left out: their change would restate the plan. "
             f"Every lever with every compared target, moving or not: [{STEM}.csv]({STEM}.csv).", ""]
    if without:
        lines += [f"No table for {', '.join(without)}: every target there is set by policy or falls before "
                  f"{first.policy_year}, when the levers start to move.", ""]
    frames = []
    for label, res in results:
        lines += markdown(res, label)
        frames.append(res.table.assign(region=res.scenario.region))
    md = out / f"{STEM}.md"
    atomic_write(md, lambda fh: fh.write(("\n".join(lines)).encode("utf-8")))
    table = pd.concat(frames, ignore_index=True)
    table = table[["region"] + [c for c in table.columns if c != "region"]]
    csv = out / f"{STEM}.csv"
    text = table.to_csv(index=False, float_format=lambda x: f"{x:.6g}" if np.isfinite(x) else "")
    atomic_write(csv, lambda fh: fh.write(text.encode("utf-8")))
    return [md, csv]
