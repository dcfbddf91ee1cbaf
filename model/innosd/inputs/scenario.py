"""Scenario files: policy levers and exogenous assumptions a planner edits.

A scenario is a YAML file under ``scenarios/<region>/``::

    name: innovative-xingtai
    description: 加快建设创新型邢台行动方案 (2023-2027) as lever schedules
    region: xingtai
    extends: baseline            # optional: another scenario, by name or relative path
    period: {start: 2015, stop: 2030}
    dt: 0.25
    levers:
      fiscal_st_share_growth: 0.15                     # one value from the start of the run
      complexes_built_per_year: {2020: 6, 2023: 2}   # its default until 2019, 6 a year in 2020-2022, then 2
      soe_rd_growth: {kind: linear, values: {2022: 0.1, 2025: 0.2}}
    exogenous:
      gdp_growth_rate: {2020: 0.04, 2021: 0.065}
    uncertainty: {runs: 1000, seed: 20240101, parameters: posterior}

Years in schedules are calendar years: a value given for 2023 applies during 2023, that is
over model time [2022, 2023), since a stock at model time t is its end-of-year-t value.
Before the first year a schedule names, a lever keeps its default (``innosd levers``) and an
exogenous series the region's value.
Every mistake is reported as one line naming the file, the line, the key, what was
expected and the closest valid choice.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.engine import RunSettings
from ..core.equations import ModelError
from ..core.names import closest
from ..core.series import Series
from ..sectors import compiled_model, shipped_model
from .declarations import check_restated
from .region import load_region
from .tables import DataError
from .validate import nearest_name, number_hint, read_table
from .workspace import scenarios_dir
from .yamlfile import YamlError, read_yaml

TOP_KEYS = {
    "name": "a short name (text)",
    "description": "what the scenario represents (text)",
    "region": "a region key such as 'xingtai'",
    "extends": "the scenario this one builds on (name or relative path)",
    "period": "a mapping {start: year, stop: year}",
    "dt": "the time step in years (e.g. 0.25)",
    "method": "'euler' or 'rk4'",
    "levers": "a mapping of lever name to a value or a schedule",
    "exogenous": "a mapping of exogenous series (gdp_growth_rate, population_growth_rate) to schedules",
    "parameters": "fixed values for uncertain model parameters (researchers)",
    "uncertainty": "a mapping {runs, seed, parameters: posterior|prior|fixed}",
    "source": "the document the scenario encodes",
}
UNCERTAINTY_KEYS = {"runs": "a whole number of runs (1 to 1,000,000)", "seed": "a whole number",
                    "parameters": "'posterior', 'prior' or 'fixed'"}
PARAMETER_SOURCES = ("posterior", "prior", "fixed")
EXOGENOUS = ("gdp_growth_rate", "population_growth_rate", "province_rd_growth_rate")
SCHEDULE_KINDS = ("step", "linear")


class ScenarioError(ModelError):
    def __init__(self, path, line, key, message):
        # a key merged from an `extends` parent is reported in the parent file
        path = getattr(line, "file", None) or path
        self.path, self.line, self.key = path, line, key
        where = f"{path}" + (f":{line}" if line else "")
        super().__init__(f"{where}: {key + ': ' if key else ''}{message}")


#: who pulls a lever: the government level that decides it (national rules are "nation": assumptions a
#: scenario may change, not city levers), or "assumption" for stress shocks no one pulls
#: (scenarios/levers.csv ``jurisdiction``)
JURISDICTIONS = ("city", "county", "province", "nation", "assumption")
#: columns of levers.csv saying who pulls each lever and what it costs (an older workspace may lack them)
COST_COLUMNS = ("jurisdiction", "payer", "cost_per_unit", "cost_units", "cost_source")


@dataclass(frozen=True)
class Lever:
    name: str
    units: str
    min: float
    max: float
    default: float
    kind: str
    description_en: str
    description_zh: str
    mechanism: str
    source: str
    jurisdiction: str = ""     # one of JURISDICTIONS ("" in an older workspace's levers.csv)
    payer: str = ""            # who pays
    cost_per_unit: float = float("nan")   # money per unit of the lever, in cost_units (NaN: not stated)
    cost_units: str = ""       # cost_per_unit x cost_units x the lever's units is money, or money a year
    cost_source: str = ""      # source of the cost, or "assumption: ..."
    mechanism_zh: str = ""     # the mechanism in Chinese ("" in an older workspace's levers.csv)


def levers() -> dict[str, Lever]:
    """Lever definitions from ``scenarios/levers.csv`` (units, bounds, descriptions); units,
    bounds and defaults are checked against the model's declarations."""
    return _levers_in(scenarios_dir() / "levers.csv")


@lru_cache(maxsize=4)  # keyed by the file: another workspace has its own levers.csv
def _levers_in(path: Path) -> dict[str, Lever]:
    df = read_table(path, "levers")
    consts = shipped_model().constants
    for i, r in df.iterrows():
        if r["lever"] not in consts:
            raise ModelError(f"{path} row {i + 2}: lever '{r['lever']}' is not a model constant"
                             + closest(r["lever"], consts))
    check_restated(path, df, "lever")
    for column in COST_COLUMNS + ("mechanism_zh",):
        if column not in df.columns:
            df[column] = ""
    out = {}
    for i, r in df.iterrows():
        if r["jurisdiction"] and r["jurisdiction"] not in JURISDICTIONS:
            raise DataError(f"{path}:{i + 2}:jurisdiction: '{r['jurisdiction']}' for lever '{r['lever']}' is not one "
                            f"of {', '.join(JURISDICTIONS)}" + closest(r["jurisdiction"], JURISDICTIONS))
        try:
            cost = float(r["cost_per_unit"]) if r["cost_per_unit"].strip() else float("nan")
        except ValueError:
            raise DataError(f"{path}:{i + 2}:cost_per_unit: '{r['cost_per_unit']}' for lever '{r['lever']}' is not a "
                            "number (leave it empty when no cost is stated, and say why in cost_source)") from None
        out[r["lever"]] = Lever(r["lever"], r["units"], float(r["min"]), float(r["max"]), float(r["default"]),
                                r["kind"], r["description_en"], r["description_zh"], r["mechanism"], r["source"],
                                r["jurisdiction"], r["payer"], cost, r["cost_units"], r["cost_source"],
                                r["mechanism_zh"])
    return out


@dataclass
class Scenario:
    name: str
    path: Path
    region: str
    description: str = ""
    source: str = ""
    start: float = 2015
    stop: float = 2030
    dt: float = 0.25
    method: str = "euler"
    levers: dict[str, object] = field(default_factory=dict)      # name -> float or Series
    exogenous: dict[str, object] = field(default_factory=dict)
    parameters: dict[str, float] = field(default_factory=dict)
    runs: int = 1000
    seed: int = 12345
    parameter_source: str = "posterior"
    files: list[Path] = field(default_factory=list)              # this file and those it extends

    @property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            h.update(f.read_bytes())
        return h.hexdigest()

    @property
    def settings(self) -> RunSettings:
        return RunSettings(self.start, self.stop, self.dt, self.method)

    def inputs(self) -> dict[str, object]:
        """Model constants this scenario sets (levers, exogenous schedules, parameters)."""
        return {**self.parameters, **self.exogenous, **self.levers}

    def lever_value(self, name: str, year: float) -> float:
        v = self.levers.get(name, levers()[name].default if name in levers() else np.nan)
        return float(v(year)) if isinstance(v, Series) else float(v)


def _read_yaml(path: Path):
    try:
        data, lines = read_yaml(path, "scenario file")
    except YamlError as exc:
        raise ScenarioError(exc.path, exc.line, "", exc.message) from None
    if data is None:
        raise ScenarioError(path, None, "", "the file is empty; expected a mapping with at least 'name' and 'region'")
    if not isinstance(data, dict):
        raise ScenarioError(path, 1, "",
                            f"expected a mapping of keys ({', '.join(TOP_KEYS)}), got {type(data).__name__}")
    return data, lines


def _resolve_path(ref: str, base: Path) -> Path:
    cands = [base.parent / ref, base.parent / f"{ref}.yaml", scenarios_dir() / ref,
             scenarios_dir() / f"{ref}.yaml"]
    for c in cands:
        if c.is_file():
            return c
    return cands[1]


def _merged(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict, dict, list[Path]]:
    """The file's content merged over what it extends; line numbers of this file's keys."""
    path = path.resolve()
    if path in seen:
        raise ScenarioError(path, None, "extends", "scenarios extend each other in a circle: "
                            + " -> ".join(p.name for p in seen + (path,)))
    data, lines = _read_yaml(path)
    for k in data:
        if k not in TOP_KEYS:
            raise ScenarioError(path, lines.get((k,)), k, "unknown key" + closest(k, TOP_KEYS)
                                + f" (valid keys: {', '.join(TOP_KEYS)})")
    files = [path]
    if "extends" in data:
        ref = data["extends"]
        if not isinstance(ref, str):
            raise ScenarioError(path, lines.get(("extends",)), "extends", f"expected {TOP_KEYS['extends']}")
        parent_path = _resolve_path(ref, path)
        if not parent_path.is_file():
            others = [p.stem for p in path.parent.glob("*.yaml")]
            raise ScenarioError(path, lines.get(("extends",)), "extends",
                                f"no scenario '{ref}' next to this file" + closest(ref, others))
        parent, plines, pfiles = _merged(parent_path, seen + (path,))
        merged = dict(parent)
        for k, v in data.items():
            if k in ("levers", "exogenous", "parameters", "uncertainty", "period") and isinstance(v, dict) \
                    and isinstance(parent.get(k), dict):
                merged[k] = {**parent[k], **v}
            else:
                merged[k] = v
        merged.pop("extends", None)
        return merged, {**plines, **lines}, files + pfiles
    return data, lines, files


def _number(path, lines, key_path, value, what, lo=None, hi=None):
    line = lines.get(key_path)
    key = ".".join(str(k) for k in key_path)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(path, line, key, f"expected {what}, got {_shown(value)}"
                            + (number_hint(value) if isinstance(value, str) else ""))
    # an integer too large for a float64 ufunc (YAML allows any size) is as out of range as 1e400
    if abs(value) > 1e300 or not np.isfinite(float(value)):
        raise ScenarioError(path, line, key, f"expected {what}, got {_shown(value)} (not a finite number)")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        span = f"[{lo:g}, {hi:g}]" if lo is not None and hi is not None else (
            f"at least {lo:g}" if lo is not None else f"at most {hi:g}")
        near = lo if lo is not None and value < lo else hi
        raise ScenarioError(path, line, key, f"{value:g} is outside the allowed range {span}; nearest valid "
                            f"choice {near:g}"
                            + (f" ({what})" if what else ""))
    return float(value)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _schedule(path, lines, key_path, spec, lo, hi, units, default, horizon=(1949, 2100)):
    """A number, {year: value, ...} (step) or {kind: step|linear, values: {year: value}};
    before the first year of a schedule the value is ``default``."""
    what = f"a number in {units}" if units else "a number"
    if not isinstance(spec, dict):
        return _number(path, lines, key_path, spec, what, lo, hi)
    kind = "step"
    values = spec
    if "kind" in spec or "values" in spec:
        for k in spec:
            if k not in ("kind", "values"):
                raise ScenarioError(path, lines.get(key_path + (k,)), ".".join(map(str, key_path + (k,))),
                                    "unknown key in a schedule" + closest(k, ("kind", "values")))
        kind = spec.get("kind", "step")
        if kind not in SCHEDULE_KINDS:
            raise ScenarioError(path, lines.get(key_path + ("kind",)), ".".join(map(str, key_path)) + ".kind",
                                f"expected 'step' or 'linear', got {kind!r}" + closest(kind, SCHEDULE_KINDS))
        values = spec.get("values")
        if not isinstance(values, dict) or not values:
            raise ScenarioError(path, lines.get(key_path + ("values",), lines.get(key_path)),
                                ".".join(map(str, key_path)) + ".values",
                                "expected a mapping of year to value, e.g. {2021: 0.1, 2025: 0.2}")
        key_path = key_path + ("values",)
    elif not spec:
        raise ScenarioError(path, lines.get(key_path), ".".join(map(str, key_path)),
                            f"expected {what} or a mapping of year to value, e.g. {{2021: 0.1, 2025: 0.2}}; "
                            "got an empty mapping")
    years, vals = [], []
    for y, v in values.items():
        where = (path, lines.get(key_path + (y,), lines.get(key_path)), ".".join(map(str, key_path)) + f".{y}")
        if isinstance(y, bool) or not isinstance(y, (int, float)) or not 1949 <= y <= 2100 or y != int(y):
            raise ScenarioError(*where, "expected a whole calendar year (e.g. 2023) as the key of a schedule"
                                + (f"; did you mean {int(y)}?" if isinstance(y, float) and 1949 <= y <= 2100 else ""))
        if not horizon[0] <= y <= horizon[1]:
            raise ScenarioError(*where, f"year {y} is outside the scenario's period {horizon[0]:g}-{horizon[1]:g}; "
                                f"nearest valid choice {int(min(max(y, horizon[0]), horizon[1]))}")
        if float(y) in years:
            raise ScenarioError(*where, f"year {y} is given twice in this schedule; give each year once")
        years.append(float(y))
        vals.append(_number(path, lines, key_path + (y,), v, what, lo, hi))
    order = np.argsort(years)
    # Calendar year Y runs over model time [Y-1, Y): stocks at t = Y are end-of-year Y values.
    return Series(np.array(years)[order] - 1.0, np.array(vals)[order], kind=kind, before=default)


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".yaml")
    data, lines, files = _merged(path)
    path = files[0]

    def req(key):
        if key not in data:
            raise ScenarioError(path, None, key, f"missing required key ({TOP_KEYS[key]})")
        return data[key]

    name, region_key = req("name"), req("region")
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(path, lines.get(("name",)), "name", "expected a non-empty text")
    from .region import available_regions
    if region_key not in available_regions():
        raise ScenarioError(path, lines.get(("region",)), "region", f"unknown region {region_key!r}"
                            + closest(region_key, available_regions())
                            + f" (regions: {', '.join(available_regions())})")
    for key in ("description", "source", "extends"):
        if key in data and not isinstance(data[key], (str, type(None))):
            raise ScenarioError(path, lines.get((key,)), key, f"expected {TOP_KEYS[key]}, got a "
                                f"{type(data[key]).__name__}")
    if len(name) > 100:
        raise ScenarioError(path, lines.get(("name",)), "name", f"{len(name)} characters; expected a short name "
                            "(at most 100 characters: it names the results folder)")
    if not isinstance(region_key, str):
        raise ScenarioError(path, lines.get(("region",)), "region", f"expected {TOP_KEYS['region']}")
    sc = Scenario(name=name, path=path, region=region_key, description=str(data.get("description", "")),
                  source=str(data.get("source", "")), files=files)
    period = data.get("period", {})
    if not isinstance(period, dict):
        raise ScenarioError(path, lines.get(("period",)), "period", f"expected {TOP_KEYS['period']}")
    for k in period:
        if k not in ("start", "stop"):
            raise ScenarioError(path, lines.get(("period", k)), f"period.{k}",
                                "unknown key" + closest(k, ("start", "stop")))
    region = load_region(region_key)
    sc.start = _number(path, lines, ("period", "start"), period.get("start", region.start_year), "a year", 1990, 2100)
    sc.stop = _number(path, lines, ("period", "stop"), period.get("stop", 2030), "a year", sc.start + 1, 2100)
    sc.dt = _number(path, lines, ("dt",), data.get("dt", 0.25), "a time step in years", 1 / 512, 1)
    if abs(1 / sc.dt - round(1 / sc.dt)) > 1e-9:
        raise ScenarioError(path, lines.get(("dt",)), "dt",
                            f"{sc.dt} does not divide a year; use 1, 0.5, 0.25, 0.125 ...")
    sc.method = data.get("method", "euler")
    if sc.method not in ("euler", "rk4"):
        raise ScenarioError(path, lines.get(("method",)), "method", f"expected 'euler' or 'rk4', got {sc.method!r}")

    defs = levers()
    for section, allowed in (("levers", defs), ("exogenous", EXOGENOUS)):
        spec = data.get(section) or {}
        if not isinstance(spec, dict):
            raise ScenarioError(path, lines.get((section,)), section, f"expected {TOP_KEYS[section]}")
        for key, value in spec.items():
            if key not in allowed:
                what = "lever" if section == "levers" else "exogenous series"
                hint = (f"; did you mean '{nearest_name(key, 'lever')}'?" if section == "levers"
                        and isinstance(key, str) and nearest_name(key, "lever") else closest(str(key), allowed))
                raise ScenarioError(path, lines.get((section, key)), f"{section}.{key}",
                                    f"unknown {what}" + hint
                                    + (" (list them with `innosd levers`)" if section == "levers" else
                                       f" (allowed: {', '.join(EXOGENOUS)})"))
            lo, hi, units = ((defs[key].min, defs[key].max, defs[key].units) if section == "levers"
                             else (-0.5, 0.5, "1/year"))
            default = defs[key].default if section == "levers" else region.parameters().get(
                key, compiled_model().defaults[key])
            getattr(sc, section)[key] = _schedule(path, lines, (section, key), value, lo, hi, units, default,
                                                  (sc.start, sc.stop))

    params = data.get("parameters") or {}
    consts = shipped_model().constants
    if not isinstance(params, dict):
        raise ScenarioError(path, lines.get(("parameters",)), "parameters", f"expected {TOP_KEYS['parameters']}")
    for key, value in params.items():
        if key not in consts or key in defs:
            raise ScenarioError(path, lines.get(("parameters", key)), f"parameters.{key}",
                                ("is a lever; set it under 'levers'" if key in defs else
                                 "not a model parameter" + closest(key, consts)))
        lo, hi = _parameter_range(key)
        sc.parameters[key] = _number(path, lines, ("parameters", key), value, f"a number in {consts[key].units}",
                                     lo, hi)

    unc = data.get("uncertainty") or {}
    if not isinstance(unc, dict):
        raise ScenarioError(path, lines.get(("uncertainty",)), "uncertainty", f"expected {TOP_KEYS['uncertainty']}")
    for k in unc:
        if k not in UNCERTAINTY_KEYS:
            raise ScenarioError(path, lines.get(("uncertainty", k)), f"uncertainty.{k}",
                                "unknown key" + closest(k, UNCERTAINTY_KEYS))
    if "runs" in unc:
        sc.runs = int(_number(path, lines, ("uncertainty", "runs"), unc["runs"], UNCERTAINTY_KEYS["runs"],
                              1, 1_000_000))
        if sc.runs != unc["runs"]:
            raise ScenarioError(path, lines.get(("uncertainty", "runs")), "uncertainty.runs", "expected a whole number")
    if "seed" in unc:
        sc.seed = int(_number(path, lines, ("uncertainty", "seed"), unc["seed"], UNCERTAINTY_KEYS["seed"],
                              0, 2**32 - 1))
    if "parameters" in unc:
        if unc["parameters"] not in PARAMETER_SOURCES:
            raise ScenarioError(path, lines.get(("uncertainty", "parameters")), "uncertainty.parameters",
                                f"expected one of {', '.join(PARAMETER_SOURCES)}, got {unc['parameters']!r}"
                                + closest(unc["parameters"], PARAMETER_SOURCES))
        sc.parameter_source = unc["parameters"]
    return sc


def _parameter_range(name: str) -> tuple[float | None, float | None]:
    """The range a scenario may set a parameter to: its prior's, else its declared bounds; an initial
    value (``init_*``, a stock's start) is never negative."""
    from .priors import load_priors
    priors = load_priors()
    if name in priors:
        return priors[name].lo, priors[name].hi
    lo, hi = shipped_model().constants[name].bounds or (None, None)
    if lo is None and name.startswith("init_"):
        lo = 0.0
    return lo, hi


def find_scenario(ref: str) -> Path:
    """A scenario given as a path, or as ``region/name`` or a bare name under scenarios/."""
    p = Path(ref)
    if p.is_file():
        return p
    root = scenarios_dir()
    for cand in (root / ref, root / f"{ref}.yaml", *root.glob(f"*/{ref}.yaml")):
        if Path(cand).is_file():
            return Path(cand)
    known = [str(q.relative_to(root)).removesuffix(".yaml") for q in root.glob("*/*.yaml")]
    raise ScenarioError(ref, None, "", "no such scenario file" + closest(ref, known)
                        + f" (shipped: {', '.join(sorted(known))})")


def as_scenario(ref: str | Path | Scenario) -> Scenario:
    """A scenario given as a loaded :class:`Scenario`, a file path, or a shipped name (``xingtai/baseline``)."""
    return ref if isinstance(ref, Scenario) else load_scenario(find_scenario(str(ref)))


def lever_table() -> pd.DataFrame:
    """Every lever as a table, with the columns of ``scenarios/levers.csv`` (``lever`` first)."""
    return pd.DataFrame([vars(lv) for lv in levers().values()]).rename(columns={"name": "lever"})
