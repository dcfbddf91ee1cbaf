"""Behaviour checks as data (``calibration/behaviour-checks.yaml``), after SDEverywhere.

Each check names a region, a change to make (``set``: levers or parameters, a number or
``min``/``max`` for a lever's bound), and an expectation a domain expert can read::

    - name: with fiscal S&T spending frozen, R&D intensity does not rise faster
      region: xingtai
      set: {fiscal_st_share_growth: 0}
      expect: {output: rd_intensity, years: [2025, 2030], vs_baseline: le}

``vs_baseline`` compares the changed run with the unchanged one (lt, le, gt, ge, approx);
``{output: x, years: [...], ge: 0}`` compares with a number; ``all_stocks`` checks every
stock (``{all_stocks: ge, value: 0}``); ``sum_of: [a, b], equals: c`` checks an identity.
``set: {levers: min}`` (or max) puts every lever at that bound at once.  All checks of a file
run as one vectorised ensemble at the parameters' default values.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.engine import RunSettings
from ..core.equations import ModelError
from ..inputs.documents import read_checks
from ..inputs.region import load_region
from ..inputs.workspace import calibration_dir
from ..runs.ensemble import merge_inputs, run_ensemble
from ..sectors import compiled_model

RELATIONS = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal}


@dataclass
class CheckResult:
    name: str
    passed: bool
    detail: str


def _arm(check: dict, consts, levers) -> dict[str, float]:
    out = {}
    for key, value in (check.get("set") or {}).items():
        if key == "levers":
            for name, lv in levers.items():
                out[name] = lv.min if value == "min" else lv.max
            continue
        if key not in consts:
            from ..core.names import closest
            raise ModelError(f"check '{check.get('name')}': '{key}' is not a lever or parameter" + closest(key, consts))
        if value in ("min", "max"):
            if key in levers:
                value = getattr(levers[key], value)
            else:  # a parameter's declared bounds
                lo, hi = compiled_model().model.elements[key].bounds
                value = lo if value == "min" else hi
                if value is None:
                    raise ModelError(f"check '{check.get('name')}': '{key}' declares no {check['set'][key]} bound")
        out[key] = float(value)
    return out


def run_checks(path: Path | str | None = None, stop: float = 2035) -> list[CheckResult]:
    from ..inputs.scenario import levers as lever_defs
    path = Path(path) if path else calibration_dir() / "behaviour-checks.yaml"
    checks = read_checks(path)
    cm = compiled_model()
    consts, levers = cm.defaults, lever_defs()
    regions = sorted({c.get("region", "xingtai") for c in checks})
    results = []
    for key in regions:
        region = load_region(key)
        mine = [c for c in checks if c.get("region", "xingtai") == key]
        arms = [{}] + [_arm(c, consts, levers) for c in mine]  # run 0 is the unchanged baseline
        names = sorted({k for a in arms for k in a})
        base = {**cm.defaults, **region.parameters()}
        varied = {n: np.array([a.get(n, base[n]) for a in arms]) for n in names}
        ds = run_ensemble(cm, merge_inputs(region=region, overrides=varied), len(arms),
                          RunSettings(region.start_year, stop))
        for i, c in enumerate(mine, start=1):
            results.append(_evaluate(c, ds, i))
    return results


def _evaluate(c: dict, ds, i: int) -> CheckResult:
    e = c.get("expect") or {}
    name = c.get("name", "?")
    if "all_stocks" in e:
        rel = RELATIONS[e["all_stocks"]]
        stocks = [n for n in ds.data_vars if ds[n].attrs.get("kind") == "stock"]
        bad = [n for n in stocks if not np.all(rel(ds[n].values[i], e.get("value", 0)) & np.isfinite(ds[n].values[i]))]
        return CheckResult(name, not bad, "all stocks hold" if not bad else f"fails for: {', '.join(bad[:5])}")
    if "sum_of" in e:
        years = [float(y) for y in e.get("years", [ds.time.values[-1]])]
        total = sum(ds[n].sel(time=years).values[i] for n in e["sum_of"])
        want = ds[e["equals"]].sel(time=years).values[i]
        ok = bool(np.allclose(total, want, rtol=1e-9))
        return CheckResult(name, ok, f"sum of {', '.join(e['sum_of'])} {np.round(total, 6).tolist()} "
                                     f"vs {e['equals']} {np.round(want, 6).tolist()}")
    out = e.get("output")
    if out not in ds:
        raise ModelError(f"check '{name}': no output '{out}'")
    years = [float(y) for y in e.get("years", [ds.time.values[-1]])]
    x = ds[out].sel(time=years).values[i]
    if "vs_baseline" in e:
        base = ds[out].sel(time=years).values[0]
        rel = e["vs_baseline"]
        if rel == "approx":
            ok = np.allclose(x, base, rtol=e.get("rtol", 1e-6))
        else:
            tol = 1e-9 * np.maximum(1, np.abs(base))  # "no higher" must not fail on rounding
            shifted = {"le": base + tol, "ge": base - tol}.get(rel, base)
            ok = bool(np.all(RELATIONS[rel](x, shifted)))
        detail = f"{out} at {years}: changed {np.round(x, 4).tolist()} vs baseline {np.round(base, 4).tolist()}"
        return CheckResult(name, ok, detail)
    for rel, fn in RELATIONS.items():
        if rel in e:
            ok = bool(np.all(fn(x, e[rel])))
            return CheckResult(name, ok, f"{out} at {years}: {np.round(x, 4).tolist()} {rel} {e[rel]}")
    raise ModelError(f"check '{name}': expect needs vs_baseline, all_stocks or one of {', '.join(RELATIONS)}")
