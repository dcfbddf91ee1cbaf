"""The Python API, mirroring the CLI: a notebook does what ``innosd`` does in three lines::

    from innosd import api
    fc = api.forecast("xingtai/baseline", runs=1000)
    fc.attainment[["target_id", "probability"]]

===========================  ==========================================================
``innosd run``               :func:`forecast` then :func:`write_forecast` (or :func:`run`)
``innosd compare``           :func:`compare` (:func:`comparison_table` then :func:`write_comparison`)
``innosd reach``             :func:`reach`
``innosd calibrate``         :func:`calibrate` then :func:`write_calibration` (a new results folder)
``innosd adopt``             :func:`adopt` (a calibration results folder becomes the region's posterior)
``innosd backtest``          :func:`backtest` then :func:`write_backtest` (a new results folder)
``innosd sensitivity``       :func:`sensitivity` then :func:`write_sensitivity`
``innosd levers``            :func:`levers` (name -> Lever), or :func:`lever_table` as a table
``innosd docs``              :func:`one_lever_at_a_time` (docs/model: each lever at its bounds, what moves)
``innosd init DIR``          :func:`init`
``innosd --home DIR ...``    ``with using_home(DIR): ...``
===========================  ==========================================================

The analyses (``forecast``, ``reach``, ``sensitivity``, ``comparison_table``,
``one_lever_at_a_time``) return results and write nothing; the ``write_*`` functions and
:func:`save_figure` write files.  This module only gathers them: each lives in its layer
(:mod:`innosd.analysis`, :mod:`innosd.outputs`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from .analysis.forecast import Forecast, check_comparable, comparison_table, forecast
from .analysis.one_at_a_time import OneAtATime, one_lever_at_a_time
from .analysis.reach import ReachResult, reach
from .analysis.sensitivity import SensitivityResult, sensitivity
from .core.equations import ModelError
from .core.series import Series
from .inputs.region import load_region
from .inputs.scenario import as_scenario as load
from .inputs.scenario import lever_table, levers
from .inputs.workspace import project_home, using_home
from .outputs.files import save_figure
from .outputs.forecast import write_comparison, write_forecast
from .outputs.sensitivity import write_sensitivity
from .runs.ensemble import merge_inputs, model_error_inputs, region_parameter_sets

__all__ = ["Forecast", "OneAtATime", "ReachResult", "SensitivityResult", "adopt", "backtest", "calibrate", "compare",
           "comparison_table", "forecast", "lever_table", "levers", "load", "load_region", "one_lever_at_a_time",
           "reach", "run",
           "save_figure", "sensitivity", "using_home", "init", "write_backtest", "write_calibration",
           "write_comparison", "write_forecast", "write_sensitivity"]


def run(scenarios: Sequence, *, runs=None, seed=None, out=None, lang="en", charts="headline") -> list[Path]:
    """Forecast each scenario and write its results folder (``innosd run``)."""
    if out and len(scenarios) > 1:
        raise ModelError("--out names one folder; give one scenario, or leave --out out to get one folder each")
    return [write_forecast(forecast(s, runs=runs, seed=seed), out=out, lang=lang, charts=charts) for s in scenarios]


def compare(scenarios: Sequence, *, runs=None, seed=None, out=None, lang="en") -> tuple[Path, pd.DataFrame]:
    """Run scenarios with the same seed and parameter draws; tabulate attainment side by side and
    write the comparison's results folder (``innosd compare``)."""
    loaded = [load(s) for s in scenarios]
    check_comparable(loaded)
    forecasts = [forecast(sc, runs=runs, seed=seed) for sc in loaded]
    table = comparison_table(forecasts)
    return write_comparison(forecasts, table, out=out, lang=lang), table


def calibrate(region: str, pooled: bool = False, **options):
    """Calibrate a region to its history (``innosd calibrate``) and return the result; writes
    nothing. Options: see :func:`innosd.analysis.calibration.calibrate` (steps, quick, window,
    observations, parameters, ...). ``pooled``: the shared parameters of ``calibration/pooled.yaml``
    get a province-level prior from the other regions first
    (:func:`innosd.analysis.calibration.pooled.calibrate_pooled`)."""
    if pooled:
        from .analysis.calibration.pooled import calibrate_pooled
        return calibrate_pooled(region, **options)
    from .analysis.calibration import calibrate as _calibrate
    return _calibrate(region, **options)


def write_calibration(result, out: Path | str | None = None) -> Path:
    """Write a calibration to a new results folder (posterior.nc, fit-report.md, fit-charts/,
    manifest.json), as ``innosd calibrate`` does; never into ``calibration/<region>/``."""
    from .outputs.calibration import write_calibration as _write
    return _write(result, out=out)


def backtest(region: str, until: int, **options):
    """Fit a region on its observations up to ``until`` and score the forecast of the later ones
    against naive forecasters and the prior (``innosd backtest``); writes nothing. Options: see
    :func:`innosd.analysis.backtest.backtest` (quick, steps, walkers, seed, draws)."""
    from .analysis.backtest import backtest as _backtest
    return _backtest(region, until, **options)


def write_backtest(result, out: Path | str | None = None) -> Path:
    """Write a backtest to a new results folder (backtest.csv, backtest.md, manifest.json)."""
    from .outputs.backtest import write_backtest as _write
    return _write(result, out=out)


def adopt(folder: Path | str):
    """Make a calibration results folder its region's posterior (``innosd adopt``); the files it
    replaces are kept in ``calibration/<region>/previous/<timestamp>/``."""
    from .outputs.calibration import adopt as _adopt
    return _adopt(folder)


def init(folder: Path | str) -> Path:
    """Make a planner's workspace in ``folder`` (``innosd init``): editable copies of the
    ``scenarios/`` and ``calibration/`` in use, an empty ``results/`` and a README.md."""
    from .outputs.workspace import write_workspace
    return write_workspace(folder, project_home())


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
        # and run K's model error: its innovations as a step schedule over time, its start values
        noise = {name: Series(v.years, v.values[k], v.kind) if isinstance(v, Series) else float(v[k])
                 for name, v in model_error_inputs(sc.runs, sc.settings, sc.seed).items()}
        note = f"run {k} of {sc.runs} (seed {sc.seed}, with its model error): {sets.note}"
        return merge_inputs(values, region=region, scenario=sc, model_error=noise), note
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
