"""Official targets (``calibration/targets.csv``), read and converted to model units.

A target compares a *metric* of one indicator with a value (see
:mod:`innosd.analysis.attainment` for how an ensemble is scored against it).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.names import closest
from ..core.units import registry
from ..sectors import UNIT_DEFINITIONS, shipped_model
from .tables import DataError, read_csv, to_model_units
from .workspace import calibration_dir

LEVEL_COMPARATORS = ("ge", "gt", "le", "lt")  # a level in the target year; the others need a base year

TARGET_COLUMNS = ["target_id", "region", "indicator", "year", "comparator", "value", "unit", "base_year",
                  "source", "clause", "quote"]
COMPARATORS = ("ge", "gt", "le", "lt", "growth_per_year", "multiple_of_base", "increase_per_year",
               "cumulative_from")


def load_targets(region: str | None = None) -> pd.DataFrame:
    """Targets in model units (``model_value``); ``region`` filters by region key."""
    return _targets_in(calibration_dir() / "targets.csv", region)


@lru_cache(maxsize=8)  # keyed by the file: another workspace has its own targets.csv
def _targets_in(path: Path, region: str | None) -> pd.DataFrame:
    df = read_csv(path, TARGET_COLUMNS)
    rows = []
    for i, r in df.iterrows():
        where = f"targets.csv row {i + 2} ({r['target_id']})"
        if r["comparator"] not in COMPARATORS:
            raise DataError(f"{where}: comparator '{r['comparator']}' is not one of {', '.join(COMPARATORS)}"
                            + closest(r["comparator"], COMPARATORS))
        rkey = r["region"].lower().split()[0] if r["region"] else ""
        if region is not None and rkey != region.lower():
            continue
        value = float(r["value"])
        base = int(float(r["base_year"])) if r["base_year"] not in ("", "nan") else None
        if r["indicator"] not in shipped_model().elements:
            # kept and reported as "no model element", so a gap in the model is never hidden
            rows.append({**r.to_dict(), "year": int(float(r["year"])), "value": value, "model_value": np.nan,
                         "base_year": base})
            continue
        if r["comparator"] in ("ge", "gt", "le", "lt", "cumulative_from"):
            model_value = float(to_model_units(value, r["unit"], r["indicator"], where))
        elif r["comparator"] == "increase_per_year":
            # "+50 HTE a year": compare the yearly increment of the stock (unit given per year)
            per_year = f"({r['unit']}) * year" if "year" in r["unit"] else r["unit"]
            model_value = float(to_model_units(value, per_year, r["indicator"], where))
        else:  # growth rates and multiples are pure numbers (a growth may be stated in percent)
            ureg = registry(UNIT_DEFINITIONS)
            unit = (r["unit"] or "dimensionless").replace("/year", "").replace("1/year", "") or "dimensionless"
            model_value = float(ureg.Quantity(value, unit).to("dimensionless").magnitude)
        if r["comparator"] in ("growth_per_year", "multiple_of_base", "increase_per_year", "cumulative_from") \
                and base is None:
            raise DataError(f"{where}: comparator '{r['comparator']}' needs a base_year")
        rows.append({**r.to_dict(), "year": int(float(r["year"])), "value": value, "model_value": model_value,
                     "base_year": base})
    return pd.DataFrame(rows)
