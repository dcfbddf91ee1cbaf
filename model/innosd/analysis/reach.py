"""What would it take: the smallest change of one lever that meets a target with a wanted probability."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core.equations import ModelError
from ..core.names import closest
from ..core.series import Series
from ..figures.charts import display_units
from ..figures.format import format_number
from ..inputs.region import load_region
from ..inputs.scenario import as_scenario, levers
from ..inputs.targets import is_set_by_policy
from ..runs.ensemble import merge_inputs, model_error_inputs, region_parameter_sets, run_ensemble
from ..sectors import compiled_model
from .attainment import meets, metric

DIGITS = 4   # significant digits of a lever value a planner is told to set

SAY = {
    "en": {
        "lang": "en",
        "met": "already met with probability {p0} in '{scenario}'; no change needed",
        "cannot": ("cannot reach {want} with '{lever}' alone within its bounds [{lo}, {hi}] {units}: at the bound "
                   "the probability is {best}"),
        "change": ("{verb} '{lever}' by {delta} {units} from {year} (to {value} in {target_year}): "
                   "probability {p0} -> {p}"),
        "raise": "raise", "lower": "lower", "note": "; note: ",
        "policy": "the target is set by policy ({why}): the lever value that meets it restates the plan, it is not a "
                  "forecast",
        "nation": "'{lever}' is a national rule: an assumption a scenario may change, not a city lever",
        "assumption": "'{lever}' is a stress assumption, not a policy",
    },
    "zh": {
        "lang": "zh",
        "met": "在情景 {scenario} 中已以 {p0} 的概率达成，无需调整",
        "cannot": "仅靠杠杆 {lever} 在其取值范围 [{lo}, {hi}] {units} 内无法达到 {want}：取到上下限时概率为 {best}",
        "change": "自 {year} 年起将杠杆 {lever} {verb} {delta} {units}（{target_year} 年为 {value}）：概率 {p0} -> {p}",
        "raise": "提高", "lower": "降低", "note": "；注意：",
        "policy": "该目标由政策设定（{why}）：达到它所需的杠杆值只是复述规划，不是预测",
        "nation": "{lever} 是国家政策：情景可改变的假设，不是市级杠杆",
        "assumption": "{lever} 是压力测试假设，不是政策",
    },
}


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
          seed: int | None = None, from_year: int | None = None, grid: int = 17, lang: str = "en") -> ReachResult:
    """Smallest uniform change of ``lever`` (from ``from_year`` on) that meets a target with the
    wanted probability, searched with common random numbers in two vectorised passes.  The
    message says when the target is set by policy (the answer restates the plan) or when the
    lever is not the city's (a national rule or a stress assumption)."""
    tg = load_region(as_scenario(scenario).region).targets
    t = tg.set_index("target_id").loc[target_id] if target_id in set(tg["target_id"]) else None
    if t is not None and t["model_value"] != t["model_value"]:  # NaN: the target names no model element
        raise ModelError(f"target '{target_id}' has no model element ('{t['indicator']}')"
                         + (f": it is set by policy ({t['set_by_policy']})" if is_set_by_policy(t) else ""))
    say = SAY["zh" if lang == "zh" else "en"]
    res = _reach(scenario, target_id, lever, probability=probability, runs=runs, seed=seed, from_year=from_year,
                 grid=grid, say=say)
    notes = []
    if is_set_by_policy(t):
        notes.append(say["policy"].format(why=t["set_by_policy"]))
    who = levers()[lever].jurisdiction
    if who in ("nation", "assumption"):
        notes.append(say[who].format(lever=lever))
    if notes:
        res.message += say["note"] + ("；" if lang == "zh" else "; ").join(notes)
    return res


def _reach(scenario, target_id: str, lever: str, *, probability: float, runs: int, seed: int | None,
           from_year: int | None, grid: int, say: dict) -> ReachResult:
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
    scale, units = display_units(lv.units, say["lang"])
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
                           say["met"].format(p0=f"{p0:.0%}", scenario=sc.name))
    if max(p_up, p_down) < probability:
        return ReachResult(target_id, lever, probability, from_year, p0, None, None, float(max(p_up, p_down)), bound,
                           say["cannot"].format(want=f"{probability:.0%}", lever=lever,
                                                lo=format_number(lv.min * scale, DIGITS),
                                                hi=format_number(lv.max * scale, DIGITS), units=units,
                                                best=f"{max(p_up, p_down):.0%}"))
    lo, hi = 0.0, span
    for _ in range(2):  # two passes of a grid, the second inside the bracketing cell
        deltas = np.linspace(lo, hi, grid)
        ps = probabilities(deltas)
        i = int(np.argmax(ps >= probability))
        lo, hi = (deltas[i - 1] if i > 0 else deltas[0]), deltas[i]
        best_p = float(ps[i])
    verb = say["raise"] if hi >= 0 else say["lower"]
    return ReachResult(target_id, lever, probability, from_year, p0, float(hi), val_at(hi), best_p, bound,
                       say["change"].format(verb=verb, lever=lever, delta=format_number(abs(hi) * scale, DIGITS),
                                            units=units, year=from_year,
                                            value=format_number(val_at(hi) * scale, DIGITS),
                                            target_year=int(t["year"]), p0=f"{p0:.0%}", p=f"{best_p:.0%}"))


# --- what it would take, for every target a report calls unlikely ------------------------------

PULLED_BY_THE_REGION = ("city", "county", "province")   # levers a city plan can pull (not national rules or stresses)


@dataclass
class Lift:
    """What would lift one target to ``probability_wanted``: ``lever`` set to ``value`` (its value in
    the target year) from ``from_year`` gives ``probability``; ``value`` is None when no level of
    the lever within its bounds gets there (``probability`` is then its best), ``lever`` None when
    no lever the region pulls moves the target at all."""
    target_id: str
    lever: str | None
    from_year: int
    baseline_probability: float
    value: float | None
    probability: float
    probability_wanted: float
    runs: int
    now: float | None = None      # the lever's value in the target year in the scenario as it is


def upstream_levers(indicator: str, defs) -> list[str]:
    """Levers that the indicator depends on, through any chain of equations and stocks."""
    return sorted(_upstream(indicator) & set(defs))


@lru_cache(maxsize=None)
def _upstream(indicator: str) -> frozenset:
    from ..sectors import shipped_model
    m = shipped_model()
    seen, pending = set(), [indicator]
    while pending:
        name = pending.pop()
        if name in seen or name not in m.elements:
            continue
        seen.add(name)
        el = m.elements[name]
        if el.kind in ("constant", "lookup"):
            continue
        pending.extend(m.deps.get(name, ()))
        if el.kind == "stock":
            pending.extend(el.inflows + el.outflows)
    return frozenset(seen)


def _from_year(sc, year) -> int:
    return int(max(sc.start + 1, 2023 if year > 2023 else 2021))


def what_it_takes(fc, target_ids, *, probability: float = 0.8, runs: int = 20, levels: int = 5) -> dict[str, Lift]:
    """For each target: the lever the region pulls that lifts it most, and the level of it that
    meets the target with ``probability``, from two batched ensembles of ``runs`` runs per
    variant with common random numbers (each lever at both bounds; then a grid of ``levels``
    levels toward the better bound).  Coarse by design: a report's pointer, which
    ``innosd reach`` then refines."""
    sc, region = fc.scenario, fc.region
    defs = levers()
    tg = region.targets.set_index("target_id")
    ids = [i for i in target_ids if i in tg.index]
    if not ids:
        return {}
    years = np.arange(sc.start, sc.stop + 1)
    draws = region_parameter_sets(region, sc.parameter_source, runs, sc.seed)
    rows = {i: tg.loc[i].copy() for i in ids}
    for i, t in rows.items():
        t["target_id"] = i
    candidates = {i: [lv for lv in upstream_levers(rows[i]["indicator"], defs)
                      if defs[lv].jurisdiction in PULLED_BY_THE_REGION] for i in ids}
    base = {lv: np.array([sc.lever_value(lv, y) for y in years]) for lv in {x for c in candidates.values() for x in c}}

    def simulate_variants(variants):
        """variants: [(lever, from_year, delta)] -> {target_id: probabilities (len variants + 1)}; the
        first of the returned probabilities is the scenario unchanged."""
        k = len(variants) + 1
        overrides = {}
        for lv in {v[0] for v in variants}:
            sched = np.repeat(np.tile(base[lv], (k, 1)), runs, axis=0)
            for j, (name, fy, delta) in enumerate(variants, start=1):
                if name == lv:
                    sched[j * runs:(j + 1) * runs, years >= fy - 1] += delta  # calendar year fy is model time fy - 1
            overrides[lv] = Series(years, np.clip(sched, defs[lv].min, defs[lv].max), kind="step")
        tiled = {n: np.tile(v, k) for n, v in draws.values.items()}
        params = merge_inputs(tiled, region=region, scenario=sc, overrides=overrides)
        ds = run_ensemble(compiled_model(), params, k * runs, sc.settings,
                          outputs=sorted({rows[i]["indicator"] for i in ids}))
        out = {}
        for i in ids:
            m = metric(ds, rows[i]).reshape(k, runs)
            with np.errstate(invalid="ignore"):
                sign = -1.0 if rows[i]["comparator"] in ("le", "lt") else 1.0
                out[i] = (meets(m.ravel(), rows[i]).reshape(k, runs).mean(axis=1), sign * np.nanmedian(m, axis=1))
        return out

    def now_at(lv, year):  # calendar year is model time year - 1
        at = base[lv][years == year - 1]
        return float(at[0] if at.size else base[lv][-1])

    # pass 1: every candidate lever at both bounds (over the years it can still act)
    first = []
    for i in ids:
        fy = _from_year(sc, rows[i]["year"])
        for lv in candidates[i]:
            b = base[lv][years >= fy - 1]
            for delta in (defs[lv].max - b.min(), defs[lv].min - b.max()):
                if (lv, fy, delta) not in first and delta != 0:
                    first.append((lv, fy, delta))
    if not first:
        return {i: Lift(i, None, _from_year(sc, rows[i]["year"]), np.nan, None, np.nan, probability, runs)
                for i in ids}
    p1 = simulate_variants(first)
    best = {}
    for i in ids:
        fy = _from_year(sc, rows[i]["year"])
        probs, medians = p1[i]
        # by probability, then (all at 0 or all at 1) by how far the median metric moves toward the target
        options = [((probs[j + 1], medians[j + 1]), v) for j, v in enumerate(first)
                   if v[1] == fy and v[0] in candidates[i]]
        p0 = float(probs[0])
        top = max(options, key=lambda o: o[0], default=None)
        moved = top is not None and (top[0][0] > p0 or top[0][1] > medians[0] * (1 + 1e-6) + 1e-12)
        if not moved:
            best[i] = Lift(i, None, fy, p0, None, p0, probability, runs)
        elif top[0][0] < probability:
            best[i] = Lift(i, top[1][0], fy, p0, None, float(top[0][0]), probability, runs,
                           now_at(top[1][0], rows[i]["year"]))
        else:
            best[i] = (top[1], p0)
    # pass 2: a grid of levels toward the better bound, for the levers that can get there
    grid = {}
    for i, b in best.items():
        if isinstance(b, tuple):
            lv, fy, delta = b[0]
            grid[i] = [(lv, fy, delta * s) for s in np.linspace(0, 1, levels + 1)[1:]]
    variants = list(dict.fromkeys(v for g in grid.values() for v in g))
    p2 = simulate_variants(variants) if variants else {}
    for i, g in grid.items():
        (lv, fy, _), p0 = best[i]
        ps = [float(p2[i][0][variants.index(v) + 1]) for v in g]
        j = next(j for j, p in enumerate(ps) if p >= probability) if max(ps) >= probability else len(ps) - 1
        now = now_at(lv, rows[i]["year"])
        value = float(np.clip(now + g[j][2], defs[lv].min, defs[lv].max))
        best[i] = Lift(i, lv, fy, p0, value, ps[j], probability, runs, now)
    return best
