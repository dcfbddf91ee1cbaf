"""One lever at a time: each lever at its lower and at its upper bound, everything else as in the
scenario, and which targets move and by how much.

Every variant runs in one stacked ensemble with the baseline: the same parameter draws and the
same model-error draws for each (common random numbers), so a difference between a variant and
the baseline is the lever's effect alone, not sampling noise.  A lever takes its bound from
calendar year :data:`~innosd.analysis.defaults.POLICY_YEAR` on (the history before it is the
scenario's), as in ``innosd sensitivity --factors levers``.

A target moves when, at either bound, its median metric differs from the baseline's by at least
:data:`MEDIAN_THRESHOLD` of the target's value (of the baseline's median if that is larger: a
target of 0), or its probability of being met by at least
:data:`PROBABILITY_THRESHOLD`.  Targets set by policy (a lever is the target, or a coefficient was
read from it) and targets the model or the region cannot compare are left out, each with its
reason: their "effect" would restate the plan.
"""
from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.equations import ModelError
from ..core.series import Series
from ..inputs.region import load_region
from ..inputs.scenario import Scenario, as_scenario, levers
from ..inputs.targets import is_set_by_policy
from ..runs.ensemble import check_memory, merge_inputs, model_error_inputs, region_parameter_sets, run_ensemble
from ..sectors import compiled_model, shipped_model
from .attainment import SET_BY_POLICY, meets, metric, years_needed
from .defaults import POLICY_YEAR
from .guards import invalid_runs
from .reach import upstream_levers

MEDIAN_THRESHOLD = 0.01       # of the target's value: a smaller change of the median metric is no move
PROBABILITY_THRESHOLD = 0.05  # a smaller change of P(met) is no move

TABLE_COLUMNS = ["lever", "lever_units", "low", "baseline_value", "high", "jurisdiction", "target_id", "indicator",
                 "name", "year", "comparator", "base_year", "target_value", "units", "median_baseline", "median_low",
                 "median_high", "change", "p_baseline", "p_low", "p_high", "effect", "moves"]


@dataclass
class OneAtATime:
    """``table``: one row per lever and compared target (medians of the target's metric in
    ``units`` at the baseline and at each bound; ``change`` = high − low; probabilities of meeting
    it; ``effect``: the larger change of the median at a bound, over the target's value or the
    baseline's median, whichever is larger; ``moves``).  ``levers``: one row per lever with how
    many targets it moves and, when none, why.  ``excluded``: targets left out and why."""
    scenario: Scenario
    table: pd.DataFrame
    levers: pd.DataFrame
    excluded: pd.DataFrame
    runs: int
    seed: int
    policy_year: int
    parameter_note: str
    seconds: float = 0.0
    invalid: int = 0              # (variant, run) pairs left out: NaN, infinity or a negative stock
    notes: list[str] = field(default_factory=list)


def metric_units(t, units: str) -> str:
    """Units of a target's metric, given its indicator's units (pint strings)."""
    cmp = t["comparator"]
    if cmp == "growth_per_year":
        return "1/year"
    if cmp == "multiple_of_base":
        return "dimensionless"
    if cmp == "increase_per_year":
        return units if str(units).replace(" ", "").endswith("/year") else f"{units}/year"
    return units


def compared_targets(region, settings, policy_year: int = POLICY_YEAR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The region's targets a lever can move (rows of ``region.targets``) and those left out,
    with the reason (``target_id``, ``indicator``, ``reason``)."""
    out, keep = [], []
    times = np.arange(settings.start, settings.stop + 1)
    for _, t in region.targets.iterrows():
        if is_set_by_policy(t):
            reason = f"{SET_BY_POLICY}: {t['set_by_policy']}"
        elif t["model_value"] != t["model_value"]:
            reason = "no model element for this indicator"
        elif not region.supports(t["indicator"]):
            reason = "not modelled for this region (data lacking)"
        elif any(float(y) not in times for y in years_needed(t)):
            reason = f"outside the simulated period ({times[0]:.0f}-{times[-1]:.0f})"
        elif t["year"] < policy_year:
            reason = f"before the levers move ({policy_year})"
        else:
            keep.append(t)
            continue
        out.append({"target_id": t["target_id"], "indicator": t["indicator"], "reason": reason})
    kept = pd.DataFrame(keep).reset_index(drop=True) if keep else region.targets.iloc[:0]
    return kept, pd.DataFrame(out, columns=["target_id", "indicator", "reason"])


def variant_schedule(sc: Scenario, name: str, rows: np.ndarray, bound: np.ndarray, policy_year: int) -> Series:
    """A per-run step schedule of lever ``name``: the scenario's own in every run, except that run
    ``i`` with ``rows[i]`` takes ``bound[i]`` from calendar year ``policy_year`` (model time
    ``policy_year - 1``) on.  Break points: the scenario's own (every time step of a linear one,
    as the engine reads it) and the policy year."""
    py = max(float(policy_year) - 1.0, float(sc.start))
    own = sc.levers.get(name)
    points = {float(sc.start), py}
    if isinstance(own, Series) and own.kind == "step":
        points |= {float(y) for y in own.years if sc.start <= y <= sc.stop}
    elif isinstance(own, Series):
        points |= set(float(sc.start) + sc.dt * np.arange(int(round((sc.stop - sc.start) / sc.dt)) + 1))
    times = np.array(sorted(points))
    base = np.array([sc.lever_value(name, t) for t in times])
    values = np.repeat(base[None, :], len(rows), axis=0)
    after = times >= py
    values[np.ix_(rows, after)] = bound[rows][:, None]
    return Series(times, values, kind="step")


def one_lever_at_a_time(scenario, *, runs: int = 100, seed: int | None = None,
                        policy_year: int = POLICY_YEAR) -> OneAtATime:
    """Each lever of ``scenarios/levers.csv`` at its lower and upper bound, one at a time, against
    every target of the scenario's region that the model forecasts; ``runs`` per variant."""
    t0 = time.perf_counter()
    sc = as_scenario(scenario)
    region = load_region(sc.region)
    seed = sc.seed if seed is None else seed
    defs = levers()
    targets, excluded = compared_targets(region, sc.settings, policy_year)
    names = list(defs)
    if runs < 1:
        raise ModelError(f"need at least one run per variant, got {runs}")
    k = 1 + 2 * len(names)   # variant 0 is the scenario; variants 1 + 2i and 2 + 2i lever i at its low, high bound
    outputs = sorted(set(targets["indicator"])) or [shipped_model().stocks[0].name]
    check_memory(k * runs, len(outputs), sc.settings)
    draws = region_parameter_sets(region, sc.parameter_source, runs, seed)
    tiled = {n: np.tile(v, k) for n, v in draws.values.items()}
    noise = {n: Series(v.years, np.tile(v.values, (k, 1)), v.kind) if isinstance(v, Series) else np.tile(v, k)
             for n, v in model_error_inputs(runs, sc.settings, seed).items()}
    variant_of_run = np.repeat(np.arange(k), runs)
    overrides = {}
    for i, name in enumerate(names):
        rows, bound = np.zeros(k, bool), np.zeros(k)
        rows[[1 + 2 * i, 2 + 2 * i]] = True
        bound[[1 + 2 * i, 2 + 2 * i]] = defs[name].min, defs[name].max
        overrides[name] = variant_schedule(sc, name, rows[variant_of_run], bound[variant_of_run], policy_year)
    params = merge_inputs(tiled, region=region, scenario=sc, overrides=overrides, model_error=noise)
    ds = run_ensemble(compiled_model(), params, k * runs, sc.settings, outputs=outputs)
    bad = np.zeros(k * runs, bool)
    bad[invalid_runs(ds)["run"].to_numpy(int)] = True
    bad = bad.reshape(k, runs)

    model = shipped_model()
    units = {n: model.elements[n].units or "dimensionless" for n in outputs}
    target_rows = [t for _, t in targets.iterrows()]
    medians, probs = {}, {}
    for t in target_rows:
        m = metric(ds, t).reshape(k, runs).astype(float)
        m[bad] = np.nan
        ok = meets(m, t) & ~np.isnan(m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a variant whose every run is invalid: NaN
            medians[t["target_id"]] = np.nanmedian(m, axis=1)
            probs[t["target_id"]] = ok.sum(axis=1) / np.maximum((~np.isnan(m)).sum(axis=1), 1)

    py = max(float(policy_year) - 1.0, float(sc.start))
    now = {name: sc.lever_value(name, py) for name in names}
    rows = []
    for i, name in enumerate(names):
        lv = defs[name]
        lo, hi = 1 + 2 * i, 2 + 2 * i
        for t in target_rows:
            med, p = medians[t["target_id"]], probs[t["target_id"]]
            # a target of 0 ("no county in tier C") is measured against the baseline's median instead
            scale = max(abs(float(t["model_value"])), abs(med[0]) if np.isfinite(med[0]) else 0.0, 1e-12)
            finite = bool(np.isfinite(med[[0, lo, hi]]).all())
            effect = float(np.max(np.abs(med[[lo, hi]] - med[0]))) / scale if finite else np.nan
            moves = finite and bool(effect >= MEDIAN_THRESHOLD
                                    or np.max(np.abs(p[[lo, hi]] - p[0])) >= PROBABILITY_THRESHOLD)
            el = model.elements[t["indicator"]]
            rows.append({"lever": name, "lever_units": lv.units, "low": lv.min,
                         "baseline_value": now[name], "high": lv.max,
                         "jurisdiction": lv.jurisdiction, "target_id": t["target_id"],
                         "indicator": t["indicator"], "name": el.en or t["indicator"], "year": int(t["year"]),
                         "comparator": t["comparator"],
                         "base_year": int(t["base_year"]) if pd.notna(t["base_year"]) else None,
                         "target_value": float(t["model_value"]),
                         "units": metric_units(t, units[t["indicator"]]), "median_baseline": med[0],
                         "median_low": med[lo], "median_high": med[hi], "change": med[hi] - med[lo],
                         "p_baseline": p[0], "p_low": p[lo], "p_high": p[hi], "effect": effect, "moves": moves})
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    summary = lever_summary(table, defs, sc, targets, excluded, py)
    invalid = int(bad.sum())
    notes = [draws.note]
    if invalid:
        notes.append(f"{invalid} of {k * runs} runs invalid (NaN, infinity or a negative stock), left out of their "
                     "variant's median and probability")
    return OneAtATime(sc, table, summary, excluded, runs, seed, int(policy_year), draws.note,
                      time.perf_counter() - t0, invalid, notes)


def lever_summary(table: pd.DataFrame, defs, sc: Scenario, targets: pd.DataFrame, excluded: pd.DataFrame,
                  py: float) -> pd.DataFrame:
    """One row per lever: its bounds and baseline value, the targets it moves, and, for a lever
    that moves none, why (as far as the model's structure says)."""
    compared = set(targets["indicator"])
    policy = excluded[excluded["reason"].str.startswith(SET_BY_POLICY)]
    rows = []
    for name, lv in defs.items():
        mine = table[table["lever"] == name]
        moved = mine[mine["moves"]]
        why = ""
        if moved.empty:
            reached = sorted({ind for ind in compared if name in upstream_levers(ind, defs)})
            sets = sorted(policy.loc[[name in upstream_levers(ind, defs) for ind in policy["indicator"]],
                                     "target_id"]) if len(policy) else []
            base = sc.lever_value(name, py)
            if not reached:
                why = "no compared target's indicator depends on it in the model's equations"
                if sets:
                    why += f"; it reaches only targets set by policy ({', '.join(sets)})"
            elif base == lv.min == lv.max:
                why = "its bounds are its baseline value"
            else:
                why = (f"reaches {len(reached)} compared target indicator(s) in the equations "
                       f"({', '.join(reached[:4])}{', …' if len(reached) > 4 else ''}), but moves none of them by "
                       "the threshold between its bounds")
        rows.append({"lever": name, "lever_units": lv.units, "low": lv.min, "baseline_value": sc.lever_value(name, py),
                     "high": lv.max, "jurisdiction": lv.jurisdiction, "targets_moved": int(len(moved)),
                     "largest_dp": float((moved["p_high"] - moved["p_low"]).abs().max()) if len(moved) else 0.0,
                     "why_none": why})
    return pd.DataFrame(rows)
