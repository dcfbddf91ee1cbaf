"""The Python API, mirroring the CLI: a notebook does what ``innosd`` does in three lines::

    from innosd import api
    fc = api.forecast("xingtai/baseline", runs=1000)
    fc.attainment[["target_id", "probability"]]

===========================  ==========================================================
``innosd run``               :func:`forecast` then :func:`write_forecast` (or :func:`run`)
``innosd compare``           :func:`compare`
``innosd reach``             :func:`reach`
``innosd calibrate``         :func:`calibrate` then :func:`write_calibration` (a new results folder)
``innosd adopt``             :func:`adopt` (a calibration results folder becomes the region's posterior)
``innosd sensitivity``       :func:`sensitivity` then :func:`write_sensitivity`
``innosd levers``            :func:`levers` (name -> Lever), or :func:`lever_table` as a table
``innosd init DIR``          :func:`init`
``innosd --home DIR ...``    ``with using_home(DIR): ...``
===========================  ==========================================================
"""
from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
import xarray as xr

from .inputs.posterior import posterior_path
from .runs.ensemble import merge_inputs, region_parameter_sets, run_ensemble, simulate
from .sectors import compiled_model
from .core.equations import ModelError
from .inputs.region import Region, load_region
from .inputs.workspace import calibration_dir, project_home, results_dir, scenarios_dir, using_home  # noqa: F401 (using_home: API)
from .inputs.scenario import Scenario, find_scenario, lever_table, levers, load_scenario  # noqa: F401 (lever_table: API)
from .core.series import Series
from .inputs.targets import LEVEL_COMPARATORS
from .analysis.attainment import attainment, summarize


@dataclass
class Forecast:
    scenario: Scenario
    region: Region
    ensemble: xr.Dataset
    summary: pd.DataFrame
    attainment: pd.DataFrame
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def indicators(self) -> list[str]:
        """Indicators with a target or an observation in this region, that the region's data supports."""
        names = set(self.region.targets["indicator"]) | set(self.region.observations.get("indicator", []))
        return [n for n in self.ensemble.data_vars if n in names and self.region.supports(n)]


def load(scenario: str | Path | Scenario) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(find_scenario(str(scenario)))


def forecast(scenario, *, runs: int | None = None, seed: int | None = None,
             parameter_source: str | None = None, overrides=None) -> Forecast:
    """Run a scenario's ensemble and score it against every target of its region."""
    sc = load(scenario)
    region = load_region(sc.region)
    t0 = _time.perf_counter()
    ds = simulate(sc, runs=runs, seed=seed, parameter_source=parameter_source, overrides=overrides)
    targets = region.targets
    att = attainment(ds, targets, supports=region.supports)
    wanted = sorted(set(targets["indicator"]) | set(region.observations.get("indicator", [])))
    summ = summarize(ds, [n for n in wanted if n in ds and region.supports(n)])
    notes = [ds.attrs["parameter_source"]] + region.notes
    for s, spec in region.sectors.items():
        reason = region.sector_note(s)
        if s not in region.supported_sectors:
            notes.append(f"sector '{s}' is not reported for {region.name}: its data does not support it"
                         + (f" ({reason})" if reason else ""))
        elif spec.get("supported") == "partial":
            notes.append(f"sector '{s}' is only partly supported by {region.name}'s data" + (f": {reason}" if reason else ""))
    return Forecast(sc, region, ds, summ, att, _time.perf_counter() - t0, notes)


# --- files -----------------------------------------------------------------------------

def _inputs_of(sc: Scenario) -> dict[str, Path]:
    cal = calibration_dir()
    files = {f"scenario:{p.name}": p for p in sc.files}
    files.update({
        "levers": scenarios_dir() / "levers.csv",
        "targets": cal / "targets.csv",
        "priors": cal / "priors.csv",
        "observations": cal / sc.region / "observations.csv",
        "profile": cal / sc.region / "profile.yaml",
        "posterior": posterior_path(sc.region),
    })
    return files


def _chart_indicators(fc: Forecast, which: str = "headline") -> list[str]:
    """Indicators to draw: the profile's ``headline_indicators`` (default), or ``all``: every
    indicator with a level target (ge/gt/le/lt) or with history."""
    headline = fc.region.profile.get("headline_indicators")
    if which == "headline" and headline:
        ordered = list(headline)
    else:
        t = fc.region.targets
        level = t[t["comparator"].isin(LEVEL_COMPARATORS) & t["model_value"].notna()]["indicator"]
        ordered = list(dict.fromkeys(list(level) + list(fc.region.observations.get("indicator", []))))
    return [n for n in ordered if n in fc.ensemble and fc.region.supports(n)]


def _draw_fan(job) -> tuple[str, Path]:
    from .figures import charts as ch
    ds, name, obs, tg, lang, folder = job
    fig = ch.fan_chart(ds, name, observations=obs, targets=tg, lang=lang)
    label = ds[name].attrs.get("long_name_zh" if lang == "zh" else "long_name") or name
    return label, ch.save(fig, folder, f"fan-{name}")[0]


def _draw_comparison(job) -> tuple[str, Path]:
    from .figures import charts as ch
    ensembles, name, obs, tg, lang, folder = job
    fig = ch.comparison_chart(ensembles, name, observations=obs, targets=tg, lang=lang)
    first = next(iter(ensembles.values()))
    label = first[name].attrs.get("long_name_zh" if lang == "zh" else "long_name") or name
    return label, ch.save(fig, folder, f"compare-{name}")[0]


def _names(ds: xr.Dataset, lang: str) -> dict[str, str]:
    key = "long_name_zh" if lang == "zh" else "long_name"
    return {n: ds[n].attrs.get(key) or n for n in ds.data_vars}


def write_forecast(fc: Forecast, out: Path | str | None = None, lang: str = "en", charts: str | bool = "headline") -> Path:
    """Write a results folder for one forecast; returns its path.

    ``charts``: "headline" (the region's headline indicators), "all", or False for none."""
    from .figures import charts as ch
    from .outputs.files import ResultsFolder, write_manifest
    from .outputs.report import write_report
    from . import __version__

    base, exact = (Path(out), True) if out else (results_dir(), False)
    with ResultsFolder(base, fc.scenario.name, exact=exact) as folder:
        fc.summary.to_csv(folder.path("summary.csv"), index=False)
        fc.attainment.to_csv(folder.path("attainment.csv"), index=False)
        figures = []
        if charts:
            (folder.staging / "charts").mkdir()
            which = "headline" if charts is True else charts
            jobs = [(fc.ensemble[[name]], name, fc.region.observations, fc.region.targets, lang,
                     folder.staging / "charts") for name in _chart_indicators(fc, which)]
            figures = ch.draw_in_parallel(_draw_fan, jobs)
        meta = {"scenario": fc.scenario.name, "description": fc.scenario.description,
                "region": fc.region.display_name(lang), "runs": fc.ensemble.sizes["run"],
                "seed": fc.ensemble.attrs["seed"], "parameter source": fc.ensemble.attrs["parameter_source"],
                "version": __version__, "created": _time.strftime("%Y-%m-%d %H:%M")}
        write_report(folder.path("report.html"), title=f"{fc.region.display_name(lang)}: {fc.scenario.name}",
                     subtitle=fc.scenario.description, meta=meta, attainment=fc.attainment, summary=fc.summary,
                     figures=figures, notes=fc.notes, lang=lang, indicator_names=_names(fc.ensemble, lang))
        write_manifest(folder, inputs=_inputs_of(fc.scenario), seed=fc.ensemble.attrs["seed"],
                       runs=fc.ensemble.sizes["run"],
                       extra={"scenario": fc.scenario.name, "region": fc.scenario.region,
                              "parameter_source": fc.ensemble.attrs["parameter_source"],
                              "scenario_sha256": fc.scenario.sha256, "lang": lang})
    return folder.final


def run(scenarios: Sequence, *, runs=None, seed=None, out=None, lang="en", charts="headline") -> list[Path]:
    """Forecast each scenario and write its results folder (``innosd run``)."""
    if out and len(scenarios) > 1:
        raise ModelError("--out names one folder; give one scenario, or leave --out out to get one folder each")
    return [write_forecast(forecast(s, runs=runs, seed=seed), out=out, lang=lang, charts=charts) for s in scenarios]


def compare(scenarios: Sequence, *, runs=None, seed=None, out=None, lang="en") -> tuple[Path, pd.DataFrame]:
    """Run scenarios with the same seed and parameter draws; tabulate attainment side by side."""
    from .figures import charts as ch
    from .outputs.files import ResultsFolder, write_manifest
    from .outputs.report import write_report
    from . import __version__

    if len(scenarios) < 2:
        raise ModelError("compare needs two or more scenarios")
    fcs = [forecast(s, runs=runs, seed=seed) for s in scenarios]
    regions = {fc.scenario.region for fc in fcs}
    if len(regions) > 1:
        raise ModelError(f"compare needs scenarios of one region, got {', '.join(sorted(regions))}")
    names = [fc.scenario.name for fc in fcs]
    if len(set(names)) < len(names):
        raise ModelError(f"two scenarios share a name ({', '.join(names)}); rename one")
    table = fcs[0].attainment[["target_id", "indicator", "year", "comparator", "value", "unit", "source"]].copy()
    for fc in fcs:
        table[f"p[{fc.scenario.name}]"] = fc.attainment["probability"].values
        table[f"median[{fc.scenario.name}]"] = fc.attainment["median"].values
    first = names[0]
    for nm in names[1:]:
        table[f"dp[{nm} - {first}]"] = table[f"p[{nm}]"] - table[f"p[{first}]"]
    base, exact = (Path(out), True) if out else (results_dir(), False)
    with ResultsFolder(base, "compare-" + "-vs-".join(names), exact=exact) as folder:
        table.to_csv(folder.path("comparison.csv"), index=False)
        pd.concat([fc.summary.assign(scenario=fc.scenario.name) for fc in fcs]).to_csv(
            folder.path("summary.csv"), index=False)
        (folder.staging / "charts").mkdir()
        figures = []
        heat = pd.concat([fc.attainment.assign(scenario=fc.scenario.name) for fc in fcs])
        paths = ch.save(ch.attainment_heatmap(heat[["target_id", "scenario", "probability"]], lang=lang),
                        folder.staging / "charts", "attainment-heatmap")
        figures.append(("attainment" if lang == "en" else "目标达成概率", paths[0]))
        jobs = [({fc.scenario.name: fc.ensemble[[name]] for fc in fcs}, name, fcs[0].region.observations,
                 fcs[0].region.targets, lang, folder.staging / "charts") for name in _chart_indicators(fcs[0])]
        figures += ch.draw_in_parallel(_draw_comparison, jobs)
        meta = {"scenarios": ", ".join(names), "region": fcs[0].region.display_name(lang),
                "runs": fcs[0].ensemble.sizes["run"], "seed": fcs[0].ensemble.attrs["seed"],
                "parameter source": fcs[0].ensemble.attrs["parameter_source"], "version": __version__,
                "created": _time.strftime("%Y-%m-%d %H:%M")}
        att = fcs[-1].attainment.copy()
        write_report(folder.path("report.html"), title=" vs ".join(names), subtitle="scenario comparison",
                     meta=meta, attainment=att, summary=fcs[-1].summary, figures=figures,
                     notes=[f"probabilities in the table are for '{names[-1]}'; comparison.csv has all scenarios"]
                     + fcs[0].notes, lang=lang, indicator_names=_names(fcs[0].ensemble, lang))
        inputs = {}
        for fc in fcs:
            inputs.update(_inputs_of(fc.scenario))
        write_manifest(folder, inputs=inputs, seed=fcs[0].ensemble.attrs["seed"], runs=fcs[0].ensemble.sizes["run"],
                       extra={"scenarios": names})
    return folder.final, table


def init(folder: Path | str) -> Path:
    """Make a planner's workspace in ``folder`` (``innosd init``): editable copies of the
    ``scenarios/`` and ``calibration/`` in use, an empty ``results/`` and a README.md."""
    from .outputs.workspace import write_workspace
    return write_workspace(folder, project_home())


# --- what would it take ------------------------------------------------------------------

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
    wanted probability, searched with common random numbers in two vectorised passes."""
    sc = load(scenario)
    region = load_region(sc.region)
    defs = levers()
    if lever not in defs:
        from .core.names import closest
        raise ModelError(f"unknown lever '{lever}'" + closest(lever, defs) + " (list them with `innosd levers`)")
    tg = region.targets
    if target_id not in set(tg["target_id"]):
        from .core.names import closest
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
        # common random numbers: the same parameter draws for every candidate change
        draws = region_parameter_sets(region, sc.parameter_source, runs, seed)
        tiled = {n: np.tile(v, k) for n, v in draws.values.items()}
        params = merge_inputs(tiled, region=region, scenario=sc, overrides={lever: sched})
        ds = run_ensemble(compiled_model(), params, k * runs, sc.settings, outputs=sorted({t["indicator"]}))
        from .analysis.attainment import meets, metric
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
                           f"[{lv.min}, {lv.max}] {lv.units}: at the bound the probability is {max(p_up, p_down):.0%}")
    lo, hi = 0.0, span
    for _ in range(2):  # two passes of a grid, the second inside the bracketing cell
        deltas = np.linspace(lo, hi, grid)
        ps = probabilities(deltas)
        i = int(np.argmax(ps >= probability))
        lo, hi = (deltas[i - 1] if i > 0 else deltas[0]), deltas[i]
        best_p = float(ps[i])
    return ReachResult(target_id, lever, probability, from_year, p0, float(hi), val_at(hi), best_p, bound,
                       f"raise '{lever}' by {hi:+.4g} {lv.units} from {from_year} (to {val_at(hi):.4g} in "
                       f"{int(t['year'])}): probability {p0:.0%} -> {best_p:.0%}" if hi >= 0 else
                       f"lower '{lever}' by {-hi:.4g} {lv.units} from {from_year} (to {val_at(hi):.4g} in "
                       f"{int(t['year'])}): probability {p0:.0%} -> {best_p:.0%}")


# --- calibration and sensitivity (the analyses live in their own modules) ---------------

def calibrate(region: str, **options):
    """Calibrate a region to its history (``innosd calibrate``) and return the result; writes
    nothing. Options: see :func:`innosd.analysis.calibration.calibrate` (steps, quick, window,
    observations, parameters, ...)."""
    from .analysis.calibration import calibrate as _calibrate
    return _calibrate(region, **options)


def write_calibration(result, out: Path | str | None = None) -> Path:
    """Write a calibration to a new results folder (posterior.nc, fit-report.md, fit-charts/,
    manifest.json), as ``innosd calibrate`` does; never into ``calibration/<region>/``."""
    from .outputs.calibration import write_calibration as _write
    return _write(result, out=out)


def adopt(folder: Path | str):
    """Make a calibration results folder its region's posterior (``innosd adopt``); the files it
    replaces are kept in ``calibration/<region>/previous/<timestamp>/``."""
    from .outputs.calibration import adopt as _adopt
    return _adopt(folder)


def sensitivity(scenario, method: str = "sobol", **options):
    """Global sensitivity analysis of a scenario (``innosd sensitivity``); see
    :func:`innosd.sensitivity.analyze` for the options (factors, outputs, years, n, seed, ...)."""
    from .analysis.sensitivity import analyze
    return analyze(scenario, method, **options)


def write_sensitivity(result, out: Path | str | None = None, charts: bool = True) -> Path:
    """Write a sensitivity result to a new results folder, as ``innosd sensitivity`` does."""
    from .analysis.sensitivity import write_sensitivity as _write
    return _write(result, out=out, charts=charts)


# --- interop: XMILE -------------------------------------------------------------------

def export_parameters(scenario, parameters: str = "median") -> tuple[dict[str, object], str]:
    """The inputs of one run of a scenario, merged as every ensemble merges them: ``median`` (each
    parameter's posterior median) or ``run:K`` (the parameters of run K of ``innosd run SCENARIO``)."""
    from .runs.ensemble import median_parameters
    sc = load(scenario)
    region = load_region(sc.region)
    if parameters == "median":
        values, note = median_parameters(region)
    else:
        kind, _, k = parameters.partition(":")
        if kind != "run" or not k.strip().isdigit():
            raise ModelError(f"--parameters: expected 'median' or 'run:K' (K a run number), got '{parameters}'")
        k = int(k)
        if k >= sc.runs:
            raise ModelError(f"--parameters: run {k} is not in '{sc.name}', whose ensemble has runs 0 to {sc.runs - 1}")
        sets = region_parameter_sets(region, sc.parameter_source, sc.runs, sc.seed)
        values = {name: float(v[k]) for name, v in sets.values.items()}
        note = f"run {k} of {sc.runs} (seed {sc.seed}): {sets.note}"
    return merge_inputs(values, region=region, scenario=sc), note


def export_xmile(scenario, path: Path | str, *, parameters: str = "median") -> Path:
    """Write the shipped model with a scenario's levers and one parameter set as XMILE 1.0
    (``innosd export``); an existing file is never overwritten."""
    from . import __version__
    from .outputs.xmile import write_xmile
    from .sectors import UNIT_DEFINITIONS, shipped_model
    sc = load(scenario)
    path = Path(path)
    if path.exists():
        raise ModelError(f"{path} already exists; innosd never overwrites a file: choose another name")
    if not path.parent.is_dir():
        raise ModelError(f"{path}: no folder '{path.parent}' to write into")
    values, note = export_parameters(sc, parameters)
    about = [f"innosd {__version__}: the shipped model with scenario '{sc.region}/{sc.name}' ({sc.description})",
             f"parameters: {note}",
             "model time: the stocks at t are end-of-year-t values; calendar year Y is model time [Y-1, Y)"]
    return write_xmile(path, shipped_model(), sc.settings, values=values, unit_definitions=UNIT_DEFINITIONS,
                       title=f"innosd {sc.region}/{sc.name}", about=about, values_source=f"scenario '{sc.name}'")


def import_xmile(path: Path | str):
    """Read an XMILE model (``innosd import``): an :class:`innosd.inputs.xmile.ImportedModel` with
    the model, its clock and its unit definitions."""
    from .inputs.xmile import read_xmile
    return read_xmile(path)


def import_model(path: Path | str):
    """An XMILE model as an innosd :class:`~innosd.core.engine.Model`, ready for ``run_ensemble``."""
    return import_xmile(path).model


def write_python_model(imported, path: Path | str) -> Path:
    """Write an imported model as a readable Python module of declarations (``innosd import --out``);
    an existing file is never overwritten."""
    from .outputs.python_model import write_python_module
    path = Path(path)
    if path.exists():
        raise ModelError(f"{path} already exists; innosd never overwrites a file: choose another name")
    if not path.parent.is_dir():
        raise ModelError(f"{path}: no folder '{path.parent}' to write into")
    return write_python_module(path, imported.model, imported.settings, unit_definitions=imported.unit_definitions,
                               origin=f"imported from {imported.path.name} by `innosd import`")
