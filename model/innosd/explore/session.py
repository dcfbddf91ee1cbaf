"""What the explorer keeps in memory, and one recomputation per change.

Loaded once: the scenario, its region (history, targets), the compiled model, the ``n`` parameter
sets drawn from the region's posterior with the scenario's seed, and the inputs merged in the one
order (:func:`innosd.runs.ensemble.merge_inputs`). A change of levers only replaces those levers'
inputs and runs :func:`~innosd.runs.ensemble.run_ensemble` for the indicators the page shows (those
with a target or an observation): the engine evaluates only the equations they depend on. The same
seed and parameter draws serve every change, so a difference from the baseline is the levers' alone,
and the years before the earliest moved lever's start year are the baseline's: the ensemble resumes
from the baseline's stocks at the end of the year before (kept in memory), with the same numbers as
a run from the start.
"""
from __future__ import annotations

import datetime as dt
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from ..analysis.attainment import attainment, meets, metric
from ..core.engine import RunSettings
from ..core.equations import ModelError
from ..core.series import Series
from ..inputs.region import load_region
from ..inputs.scenario import as_scenario, levers
from ..inputs.workspace import writable_home
from ..outputs.files import safe_name
from ..runs.ensemble import merge_inputs, model_error_inputs, region_parameter_sets, run_ensemble
from ..sectors import compiled_model

#: quantiles of the fan charts: 90 % and 50 % bands and the median
BANDS = (0.05, 0.25, 0.5, 0.75, 0.95)
#: attainment summary: a target is "likely met" at P >= LIKELY, "unlikely" below UNLIKELY
LIKELY, UNLIKELY = 0.8, 0.2


@dataclass
class Outcome:
    """One ensemble as the page shows it: each indicator's runs (``runs[name]``, ``(run, year)``),
    their fan-chart bands on demand, and ``probability``: P(target met) per scored target id."""

    years: np.ndarray
    runs: dict[str, np.ndarray]
    probability: dict[str, float]
    seconds: float
    cache: dict = field(default_factory=dict)

    def bands(self, name: str) -> np.ndarray:
        """``(len(BANDS), len(years))`` quantiles over the runs (computed for the charts shown only)."""
        if name not in self.cache:
            arr = self.runs[name]
            with np.errstate(invalid="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN year stays NaN
                self.cache[name] = np.nanquantile(arr, BANDS, axis=0) if np.isnan(arr).any() \
                    else np.quantile(arr, BANDS, axis=0)
        return self.cache[name]

    def counts(self) -> dict[str, int]:
        p = pd.Series(self.probability, dtype=float).dropna()
        return {"likely": int((p >= LIKELY).sum()), "uncertain": int(((p >= UNLIKELY) & (p < LIKELY)).sum()),
                "unlikely": int((p < UNLIKELY).sum())}


def lever_step(lo: float, hi: float) -> float:
    """A round slider step giving 100 to 1,000 positions between ``lo`` and ``hi``."""
    span = hi - lo
    return 10.0 ** np.floor(np.log10(span / 100)) if span > 0 else 1.0


class Session:
    """A scenario ready to be re-run with other lever settings.

    ``settings`` passed to :meth:`compute`, :meth:`scenario_yaml` and :meth:`save` map a lever to
    ``(value, start year)``: the lever keeps the scenario's schedule before the start (calendar)
    year and takes ``value`` from it on."""

    def __init__(self, scenario, runs: int | None = None):
        if runs is not None and runs < 1:
            raise ModelError(f"--runs: need at least one run, got {runs}")
        self.scenario = as_scenario(scenario)
        sc = self.scenario
        self.region = load_region(sc.region)
        self.model = compiled_model()
        self.runs = int(runs if runs is not None else sc.runs)
        sets = region_parameter_sets(self.region, sc.parameter_source, self.runs, sc.seed)
        self.parameter_note = sets.note
        # the model error of a forecast (innosd run's default): the same noise draws for every change
        self.inputs = merge_inputs(sets, region=self.region, scenario=sc,
                                   model_error=model_error_inputs(self.runs, sc.settings, sc.seed))
        self.levers = levers()
        self.targets = self.region.targets
        self.observations = self.region.observations
        wanted = set(self.targets["indicator"]) | set(self.observations.get("indicator", []))
        self.indicators = [n for n in self.model.recorded if n in wanted and self.region.supports(n)]
        last_observed = int(self.observations["year"].max()) if len(self.observations) else int(sc.start)
        #: the start year a lever's control offers first: the first year after the region's history
        self.first_year = int(min(max(last_observed + 1, sc.start + 1), sc.stop))
        # The full attainment table once (status, set by policy, measures); a change then scores only
        # the targets that got a probability here, each as attainment() scores it (metric, meets).
        ds = run_ensemble(self.model, self.inputs, self.runs, sc.settings, outputs=self.indicators)
        self.table = attainment(ds, self.targets, supports=self.region.supports)
        scored = set(self.table.loc[self.table["probability"].notna(), "target_id"])
        self.scored = [r for r in self.targets.to_dict("records") if r["target_id"] in scored]
        #: what every change computes: the indicators of the scored targets (charts add theirs)
        self.needed = [n for n in self.indicators if n in {t["indicator"] for t in self.scored}]
        self.baseline = self.compute({})
        # Every stock of every run at the end of each year: a change from start year Y resumes the
        # baseline at the end of Y-1, since the years before are the baseline's (same draws, same levers).
        self.states = run_ensemble(self.model, self.inputs, self.runs, sc.settings, outputs=self.model.stock_names,
                                   arrays=True)

    def baseline_with(self, shown) -> Outcome:
        """The baseline, computed again if it lacks an indicator now shown."""
        if not set(shown) <= set(self.baseline.runs):
            self.baseline = self.compute({}, [*self.baseline.runs, *shown])
        return self.baseline

    # --- levers ------------------------------------------------------------------------

    def lever_value(self, name: str, year: int) -> float:
        """The scenario's value of a lever in calendar year ``year``."""
        v = self.scenario.levers.get(name, self.levers[name].default)
        return float(v(year - 1.0)) if isinstance(v, Series) else float(v)

    def schedule_points(self, name: str, value: float, start: int) -> tuple[dict[int, float], str]:
        """``({calendar year: value}, kind)``: the scenario's schedule before ``start``, then ``value``
        (a linear schedule of the scenario stays linear: it ramps from its last earlier point to ``value``)."""
        lever = self.levers.get(name)
        if lever is None:
            raise ModelError(f"unknown lever '{name}'")
        if not lever.min <= value <= lever.max:
            raise ModelError(f"{name}: {value:g} is outside its bounds [{lever.min:g}, {lever.max:g}] {lever.units}")
        sc = self.scenario
        if not sc.start < start <= sc.stop:
            raise ModelError(f"{name}: start year {start} is outside the run ({int(sc.start) + 1}-{int(sc.stop)})")
        old = sc.levers.get(name)
        points, kind = {}, "step"
        if isinstance(old, Series):  # its own points before the start year (calendar year = model time + 1)
            kind = old.kind
            points = {int(round(y + 1)): float(v) for y, v in zip(old.years, old.values) if y + 1 < start}
        elif old is not None:  # one value from the start of the run
            points = {int(sc.start): float(old)}
        points[int(start)] = float(value)
        return points, kind

    def schedule(self, name: str, value: float, start: int) -> Series:
        """The lever's input, built as a scenario file's schedule is (calendar year Y is model time Y-1)."""
        points, kind = self.schedule_points(name, value, start)
        years = np.array(sorted(points), float)
        return Series(years - 1.0, [points[int(y)] for y in years], kind=kind, before=self.levers[name].default)

    # --- one ensemble ------------------------------------------------------------------

    def compute(self, settings: Mapping[str, tuple[float, int]], shown=(), resume: bool = True) -> Outcome:
        """The ensemble with these lever settings: the runs of the scored targets' indicators and of
        those ``shown`` in charts (only the equations they depend on are evaluated), and attainment.
        With ``resume`` the ensemble starts from the baseline's state at the earliest start year
        (the same numbers as from the start of the run, in fewer steps)."""
        t0 = time.perf_counter()
        overrides = {name: self.schedule(name, float(v), int(start)) for name, (v, start) in settings.items()}
        params = merge_inputs(self.inputs, overrides=overrides)
        sc = self.scenario
        outputs = list(dict.fromkeys([*self.needed, *shown]))
        years = self.baseline.years if hasattr(self, "states") else None
        first = min((int(start) for _, start in settings.values()), default=None)
        if resume and years is not None and first is not None and first - 1 in years[1:]:
            # resume the baseline at the end of year first-1: its years up to then are this run's
            k = int(np.searchsorted(years, first - 1))
            base = self.baseline_with(outputs).runs
            later = run_ensemble(self.model, params, self.runs, RunSettings(first - 1.0, sc.stop, sc.dt, sc.method),
                                 outputs=outputs, arrays=True,
                                 initial={s: v[:, k] for s, v in self.states.items()})
            runs = {n: np.concatenate([base[n][:, :k + 1], later[n][:, 1:]], axis=1) for n in outputs}
        else:
            runs = run_ensemble(self.model, params, self.runs, sc.settings, outputs=outputs, arrays=True)
            years = sc.start + np.arange(next(iter(runs.values())).shape[1], dtype=float)
        ds = xr.Dataset({n: (("run", "time"), v) for n, v in runs.items()}, coords={"time": years})
        probability = {t["target_id"]: float(np.mean(meets(metric(ds, t), t))) for t in self.scored}
        return Outcome(years, runs, probability, time.perf_counter() - t0)

    # --- save as a scenario file -------------------------------------------------------

    def scenario_yaml(self, name: str, settings: Mapping[str, tuple[float, int]], folder: Path,
                      description: str = "") -> str:
        """A scenario file that extends this scenario with ``settings``; ``folder`` is where it goes
        (``extends`` names this scenario relative to it)."""
        sc = self.scenario
        rel = os.path.relpath(sc.path.with_suffix(""), folder)
        lever_spec = {}
        for lever, (value, start) in sorted(settings.items()):
            points, kind = self.schedule_points(lever, float(value), int(start))
            step = lever_step(self.levers[lever].min, self.levers[lever].max)
            digits = max(0, int(-np.floor(np.log10(step))) + 2)
            points = {y: float(round(v, digits)) for y, v in points.items()}
            lever_spec[lever] = points if kind == "step" else {"kind": kind, "values": points}
        data = {"name": name, "description": description or f"{sc.name} with {len(settings)} lever(s) moved in "
                                                            "innosd explore",
                "region": sc.region, "extends": rel, "levers": lever_spec}
        head = (f"# Made by `innosd explore {sc.region}/{sc.name}` on {dt.date.today().isoformat()}: "
                f"'{sc.name}' with the levers below moved.\n"
                "# Years are calendar years; each lever keeps its earlier schedule before its first year here.\n")
        return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)

    def save(self, name: str, settings: Mapping[str, tuple[float, int]], description: str = "") -> Path:
        """Write ``scenarios/<region>/<name>.yaml`` in the workspace in use, as a new file: written
        under a temporary name and linked into place, so it never overwrites and is never half-written."""
        if not name or safe_name(name) != name:
            raise ModelError(f"scenario name '{name}': use letters, digits and - _ . only, e.g. "
                             f"'{safe_name(name) or 'my-scenario'}'")
        if not settings:
            raise ModelError("no lever has been moved: nothing to save")
        folder = writable_home() / "scenarios" / self.scenario.region
        final = folder / f"{name}.yaml"
        if final.exists():
            raise ModelError(f"{final} already exists; innosd never overwrites a file: choose another name")
        text = self.scenario_yaml(name, settings, folder, description).encode("utf-8")
        tmp = folder / f".{name}.yaml.{os.getpid()}.tmp"
        tmp.write_bytes(text)
        try:
            os.link(tmp, final)  # fails if the name was taken meanwhile: never overwrites
        except FileExistsError:
            raise ModelError(f"{final} already exists; innosd never overwrites a file: choose another name") from None
        finally:
            tmp.unlink()
        return final
