"""The Python API, mirroring the CLI: a notebook does what ``innosd`` does in three lines::

    from innosd import api
    fc = api.forecast("xingtai/baseline", runs=1000)
    fc.attainment[["target_id", "probability"]]

===========================  ==========================================================
``innosd run``               :func:`forecast` then :func:`write_forecast` (or :func:`run`)
``innosd compare``           :func:`compare` (:func:`comparison_table` then :func:`write_comparison`)
``innosd reach``             :func:`reach`
``innosd calibrate``         :func:`calibrate` (writes the posterior and fit report)
``innosd sensitivity``       :func:`sensitivity` then :func:`write_sensitivity`
``innosd levers``            :func:`levers` (name -> Lever), or :func:`lever_table` as a table
===========================  ==========================================================

The analyses (``forecast``, ``reach``, ``sensitivity``, ``comparison_table``) return results and
write nothing; the ``write_*`` functions and :func:`save_figure` write files.  This module only
gathers them: each lives in its layer (:mod:`innosd.analysis`, :mod:`innosd.outputs`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from .analysis.forecast import Forecast, check_comparable, comparison_table, forecast
from .analysis.reach import ReachResult, reach
from .analysis.sensitivity import SensitivityResult, sensitivity
from .core.equations import ModelError
from .inputs.region import load_region
from .inputs.scenario import as_scenario as load
from .inputs.scenario import lever_table, levers
from .outputs.files import save_figure
from .outputs.forecast import write_comparison, write_forecast
from .outputs.sensitivity import write_sensitivity

__all__ = ["Forecast", "ReachResult", "SensitivityResult", "calibrate", "compare", "comparison_table", "forecast",
           "lever_table", "levers", "load", "load_region", "reach", "run", "save_figure", "sensitivity",
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


def calibrate(region: str, **options):
    """Calibrate a region to its history (``innosd calibrate``); see
    :func:`innosd.analysis.calibration.calibrate`.

    ``write=False`` keeps the shipped posterior and report untouched (e.g. to try a new observation)."""
    from .analysis.calibration import calibrate as calibrate_region
    return calibrate_region(region, **options)
