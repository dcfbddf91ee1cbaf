"""What would it take: the smallest change of one lever that meets a target with a wanted probability."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.equations import ModelError
from ..core.names import closest
from ..core.series import Series
from ..figures.format import format_number
from ..inputs.region import load_region
from ..inputs.scenario import as_scenario, levers
from ..inputs.targets import is_set_by_policy
from ..runs.ensemble import merge_inputs, model_error_inputs, region_parameter_sets, run_ensemble
from ..sectors import compiled_model
from .attainment import meets, metric

DIGITS = 4   # significant digits of a lever value a planner is told to set


@dataclass
class ReachResult:
    target_id: str
    lever: str
    probability_wanted: float
    from_year: int
    baseline_probability: float
    change: float | None          # added to the lever's schedule from ``from_year``; None if unreachable
    new_value_at_target_year: float | None
    probability: float | None
    bound: float
    message: str


def reach(scenario, target_id: str, lever: str, *, probability: float = 0.8, runs: int = 200,
          seed: int | None = None, from_year: int | None = None, grid: int = 17) -> ReachResult:
    """Smallest uniform change of ``lever`` (from ``from_year`` on) that meets a target with the
    wanted probability, searched with common random numbers in two vectorised passes.  The
    message says when the target is set by policy (the answer restates the plan) or when the
    lever is not the city's (a national rule or a stress assumption)."""
    tg = load_region(as_scenario(scenario).region).targets
    t = tg.set_index("target_id").loc[target_id] if target_id in set(tg["target_id"]) else None
    if t is not None and t["model_value"] != t["model_value"]:  # NaN: the target names no model element
        raise ModelError(f"target '{target_id}' has no model element ('{t['indicator']}')"
                         + (f": it is set by policy ({t['set_by_policy']})" if is_set_by_policy(t) else ""))
    res = _reach(scenario, target_id, lever, probability=probability, runs=runs, seed=seed, from_year=from_year,
                 grid=grid)
    notes = []
    if is_set_by_policy(t):
        notes.append(f"the target is set by policy ({t['set_by_policy']}): the lever value that meets it restates "
                     "the plan, it is not a forecast")
    who = levers()[lever].jurisdiction
    if who in ("nation", "assumption"):
        notes.append(f"'{lever}' is " + ("a national rule: an assumption a scenario may change, not a city lever"
                                          if who == "nation" else "a stress assumption, not a policy"))
    if notes:
        res.message += "; note: " + "; ".join(notes)
    return res


def _reach(scenario, target_id: str, lever: str, *, probability: float, runs: int, seed: int | None,
           from_year: int | None, grid: int) -> ReachResult:
    sc = as_scenario(scenario)
    region = load_region(sc.region)
    defs = levers()
    if lever not in defs:
        raise ModelError(f"unknown lever '{lever}'" + closest(lever, defs) + " (list them with `innosd levers`)")
    tg = region.targets
    if target_id not in set(tg["target_id"]):
        raise ModelError(f"no target '{target_id}' for region {sc.region}" + closest(target_id, tg["target_id"]))
    if not 0 < probability < 1:
        raise ModelError(f"--probability must be between 0 and 1, got {probability}")
    t = tg[tg["target_id"] == target_id].iloc[0]
    lv = defs[lever]
    from_year = int(from_year or max(sc.start + 1, 2023 if t["year"] > 2023 else 2021))
    years = np.arange(sc.start, sc.stop + 1)
    base_sched = np.array([sc.lever_value(lever, y) for y in years])
    seed = sc.seed if seed is None else seed

    def probabilities(deltas):
        k = len(deltas)
        # calendar year from_year is model time [from_year - 1, from_year)
        values = np.clip(base_sched[None, :] + np.outer(deltas, years >= from_year - 1), lv.min, lv.max)
        sched = Series(years, np.repeat(values, runs, axis=0), kind="step")
        # common random numbers: the same parameter draws and model error for every candidate change
        draws = region_parameter_sets(region, sc.parameter_source, runs, seed)
        tiled = {n: np.tile(v, k) for n, v in draws.values.items()}
        noise = {n: Series(v.years, np.tile(v.values, (k, 1)), v.kind) if isinstance(v, Series) else np.tile(v, k)
                 for n, v in model_error_inputs(runs, sc.settings, seed).items()}
        params = merge_inputs(tiled, region=region, scenario=sc, overrides={lever: sched}, model_error=noise)
        ds = run_ensemble(compiled_model(), params, k * runs, sc.settings, outputs=sorted({t["indicator"]}))
        ok = meets(metric(ds, t), t).reshape(k, runs)
        return ok.mean(axis=1)

    p0 = float(probabilities(np.array([0.0]))[0])
    ceiling = lv.max - base_sched[years >= from_year - 1].min()
    floor = lv.min - base_sched[years >= from_year - 1].max()
    p_up, p_down = probabilities(np.array([ceiling, floor]))
    up = p_up >= p_down
    bound = lv.max if up else lv.min
    span = ceiling if up else floor
    # the lever's value during the target's calendar year, which is model time [year - 1, year)
    val_at = lambda d: float(np.clip(base_sched[years == t['year'] - 1][0] + d, lv.min, lv.max))  # noqa: E731
    if p0 >= probability:
        return ReachResult(target_id, lever, probability, from_year, p0, 0.0, val_at(0.0), p0, bound,
                           f"already met with probability {p0:.0%} in '{sc.name}'; no change needed")
    if max(p_up, p_down) < probability:
        return ReachResult(target_id, lever, probability, from_year, p0, None, None, float(max(p_up, p_down)), bound,
                           f"cannot reach {probability:.0%} with '{lever}' alone within its bounds "
                           f"[{format_number(lv.min, DIGITS)}, {format_number(lv.max, DIGITS)}] {lv.units}: "
                           f"at the bound the probability is {max(p_up, p_down):.0%}")
    lo, hi = 0.0, span
    for _ in range(2):  # two passes of a grid, the second inside the bracketing cell
        deltas = np.linspace(lo, hi, grid)
        ps = probabilities(deltas)
        i = int(np.argmax(ps >= probability))
        lo, hi = (deltas[i - 1] if i > 0 else deltas[0]), deltas[i]
        best_p = float(ps[i])
    verb = "raise" if hi >= 0 else "lower"
    return ReachResult(target_id, lever, probability, from_year, p0, float(hi), val_at(hi), best_p, bound,
                       f"{verb} '{lever}' by {format_number(abs(hi), DIGITS)} {lv.units} from {from_year} (to "
                       f"{format_number(val_at(hi), DIGITS)} in {int(t['year'])}): probability {p0:.0%} -> "
                       f"{best_p:.0%}")
