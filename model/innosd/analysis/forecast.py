"""Forecast a scenario: its ensemble, the summary of every indicator and the probability of
meeting each target of its region; and scenarios side by side."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from ..core.equations import ModelError
from ..inputs.priors import load_priors
from ..inputs.region import Region, load_region
from ..inputs.scenario import Scenario, as_scenario
from ..runs.ensemble import region_parameter_sets, simulate
from .attainment import attainment, metric, summarize
from .guards import COLUMNS, exclusion_note, valid_runs
from .uncertainty import variance_split


@dataclass
class Forecast:
    scenario: Scenario
    region: Region
    ensemble: xr.Dataset
    summary: pd.DataFrame
    attainment: pd.DataFrame
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    #: runs left out of every summary (NaN, infinity or a negative stock): :func:`innosd.analysis.guards.invalid_runs`
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    runs_simulated: int = 0

    @property
    def indicators(self) -> list[str]:
        """Indicators with a target or an observation in this region, that the region's data supports."""
        names = set(self.region.targets["indicator"]) | set(self.region.observations.get("indicator", []))
        return [n for n in self.ensemble.data_vars if n in names and self.region.supports(n)]


def forecast(scenario, *, runs: int | None = None, seed: int | None = None,
             parameter_source: str | None = None, overrides=None) -> Forecast:
    """Run a scenario's ensemble (a Scenario, a file path or a shipped name) and score it
    against every target of its region."""
    sc = as_scenario(scenario)
    region = load_region(sc.region)
    t0 = time.perf_counter()
    ds = simulate(sc, runs=runs, seed=seed, parameter_source=parameter_source, overrides=overrides)
    total = ds.sizes["run"]
    ds, excluded = valid_runs(ds)
    targets = region.targets
    att = attainment(ds, targets, supports=region.supports)
    att = _with_variance_split(att, ds, targets, sc, region, parameter_source, overrides)
    wanted = sorted(set(targets["indicator"]) | set(region.observations.get("indicator", [])))
    summ = summarize(ds, [n for n in wanted if n in ds and region.supports(n)])
    notes = [ds.attrs["parameter_source"], exclusion_note(excluded, total)] + region.notes
    if len(targets) == 0:
        notes.append(f"no targets for {region.key}: the forecast is written without attainment probabilities")
    for s, spec in region.sectors.items():
        reason = region.sector_note(s)
        if s not in region.supported_sectors:
            notes.append(f"sector '{s}' is not reported for {region.name}: its data does not support it"
                         + (f" ({reason})" if reason else ""))
        elif spec.get("supported") == "partial":
            notes.append(f"sector '{s}' is only partly supported by {region.name}'s data"
                         + (f": {reason}" if reason else ""))
    return Forecast(sc, region, ds, summ, att, time.perf_counter() - t0, notes, excluded, total)


def _with_variance_split(att, ds, targets, sc, region, parameter_source, overrides) -> pd.DataFrame:
    """``att`` with each modelled target's variance split (:mod:`.uncertainty`): the parameter
    draws are those :func:`simulate` used (same source, runs and seed: the draw is reproducible)."""
    n, seed = int(ds.attrs["runs"]), int(ds.attrs["seed"])
    sets = region_parameter_sets(region, parameter_source or sc.parameter_source, n, seed)
    fixed = set(sc.inputs()) | set(overrides or {})
    kept = ds["run"].values.astype(int)   # invalid runs are gone from ds (guards.valid_runs)
    params = {k: np.asarray(v)[kept] for k, v in sets.values.items()
              if k not in fixed and np.ndim(v) == 1 and len(v) == n}
    modelled = set(att.loc[att["status"] == "modelled", "target_id"])
    metrics = {t["target_id"]: metric(ds, t) for _, t in targets.iterrows() if t["target_id"] in modelled}
    split = variance_split(metrics, params, load_priors())
    return att.merge(split, on="target_id", how="left") if len(split) else att


def check_comparable(scenarios: Sequence[Scenario]) -> None:
    """Scenarios compared side by side: two or more, of one region, with distinct names."""
    if len(scenarios) < 2:
        raise ModelError("compare needs two or more scenarios")
    regions = {sc.region for sc in scenarios}
    if len(regions) > 1:
        raise ModelError(f"compare needs scenarios of one region, got {', '.join(sorted(regions))}")
    names = [sc.name for sc in scenarios]
    if len(set(names)) < len(names):
        raise ModelError(f"two scenarios share a name ({', '.join(names)}); rename one")


def comparison_table(forecasts: Sequence[Forecast]) -> pd.DataFrame:
    """Each target with every scenario's probability of meeting it and median, and the change of
    probability against the first scenario (``dp[<name> - <first>]``)."""
    check_comparable([fc.scenario for fc in forecasts])
    table = forecasts[0].attainment[["target_id", "indicator", "year", "comparator", "value", "unit", "source"]].copy()
    for fc in forecasts:
        table[f"p[{fc.scenario.name}]"] = fc.attainment["probability"].values
        table[f"median[{fc.scenario.name}]"] = fc.attainment["median"].values
    names = [fc.scenario.name for fc in forecasts]
    for nm in names[1:]:
        table[f"dp[{nm} - {names[0]}]"] = table[f"p[{nm}]"] - table[f"p[{names[0]}]"]
    return table


@dataclass
class Explanations:
    """For each unlikely target: what would lift it (``lifts``: target id -> reach.Lift) and which
    uncertainty decides it (``deciders``: target id -> (parameter, rank correlation, whether its
    prior is an assumption rather than an estimate from data))."""
    lifts: dict = field(default_factory=dict)
    deciders: dict = field(default_factory=dict)


def explain(fc: Forecast, *, runs: int = 20, reach_levers: bool = True) -> Explanations:
    """What it would take and what decides it, for the targets a forecast calls unlikely."""
    from ..inputs.priors import load_priors
    from .attainment import LIKELY, UNLIKELY, deciding_uncertainty
    from .reach import what_it_takes
    att = fc.attainment
    if len(att) == 0:
        return Explanations()
    unlikely = att[(att["status"] == "modelled") & (att["probability"] <= UNLIKELY)]
    ids = list(unlikely["target_id"])
    priors = load_priors()
    assumed = {n: str(p.source).strip().lower().startswith("assumption") for n, p in priors.items()}
    tg = fc.region.targets.set_index("target_id")
    deciders = {}
    for i in ids:
        row = tg.loc[i].copy()
        row["target_id"] = i
        found = deciding_uncertainty(fc.ensemble, row, list(priors))
        if found:
            deciders[i] = (found[0], found[1], assumed.get(found[0], False))
    lifts = what_it_takes(fc, ids, probability=LIKELY, runs=runs) if reach_levers and ids else {}
    return Explanations(lifts, deciders)
