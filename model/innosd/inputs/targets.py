"""Official targets (``calibration/targets.csv``), read and converted to model units.

A target compares a *metric* of one indicator with a value (see
:mod:`innosd.analysis.attainment` for how an ensemble is scored against it).  Besides the
comparison, a row says which measure its plan means (``measure``), may restate the series on the
plan's own base (``basis``: ``VALUE@YEAR``, the indicator's value in YEAR as the plan states it,
in the indicator's model units) and may be ``set_by_policy`` (the reason): a target the model
cannot forecast independently because a lever sets it, or because a coefficient was read from the
target itself.  Such a target is reported as "set by policy", never with a probability.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.names import closest
from ..core.units import registry
from ..sectors import UNIT_DEFINITIONS, shipped_model
from .tables import DataError, to_model_units
from .validate import read_table
from .workspace import calibration_dir

LEVEL_COMPARATORS = ("ge", "gt", "le", "lt")  # a level in the target year; the others need a base year

TARGET_COLUMNS = ["target_id", "region", "indicator", "year", "comparator", "value", "unit", "base_year",
                  "source", "clause", "quote"]
#: columns a targets.csv of an older workspace may lack (read as empty)
OPTIONAL_COLUMNS = ["measure", "set_by_policy", "basis"]
COMPARATORS = ("ge", "gt", "le", "lt", "growth_per_year", "multiple_of_base", "increase_per_year",
               "cumulative_from")
_BASIS = re.compile(r"^\s*([0-9.eE+-]+)\s*@\s*(\d{4})\s*$")


def load_targets(region: str | None = None) -> pd.DataFrame:
    """Targets in model units (``model_value``); ``region`` filters by region key."""
    return _targets_in(calibration_dir() / "targets.csv", region)


def _basis(text: str, where: str) -> tuple[float, int] | tuple[None, None]:
    if not text.strip():
        return None, None
    m = _BASIS.match(text)
    if not m:
        raise DataError(f"{where}: basis '{text}' is not VALUE@YEAR (e.g. 530@2020: the plan's own value of the "
                        "indicator in that year, in the indicator's model units)")
    return float(m.group(1)), int(m.group(2))


@lru_cache(maxsize=8)  # keyed by the file: another workspace has its own targets.csv
def _targets_in(path: Path, region: str | None) -> pd.DataFrame:
    df = read_table(path, "targets")
    for column in OPTIONAL_COLUMNS:
        if column not in df.columns:
            df[column] = ""
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
        if r["comparator"] in ("growth_per_year", "multiple_of_base", "increase_per_year", "cumulative_from") \
                and base is None:
            raise DataError(f"{where}: comparator '{r['comparator']}' needs a base_year")
        basis_value, basis_year = _basis(r["basis"], where)
        common = {**r.to_dict(), "year": int(float(r["year"])), "value": value, "base_year": base,
                  "basis_value": basis_value, "basis_year": basis_year}
        if r["indicator"] not in shipped_model().elements:
            # kept and reported ("no model element", or "set by policy"), so a gap in the model is never hidden
            rows.append({**common, "model_value": np.nan})
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
        rows.append({**common, "model_value": model_value})
    # a region without targets (the province profile) gets an empty table with every column
    empty = pd.DataFrame(columns=[*df.columns, "basis_value", "basis_year", "model_value"])
    return pd.DataFrame(rows) if rows else empty


def is_set_by_policy(t) -> bool:
    """Whether a target row (from :func:`load_targets`, or any mapping) is marked set by policy."""
    reason = t.get("set_by_policy") if hasattr(t, "get") else None
    return isinstance(reason, str) and bool(reason.strip())


_PHRASE = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def comparison_text(t) -> str:
    """What a target compares, in words: the element, the metric and the test."""
    ind, cmp, year, value, unit = t["indicator"], t["comparator"], int(t["year"]), t["value"], t["unit"]
    base = t.get("base_year")
    base = int(base) if base is not None and not pd.isna(base) else None
    v = f"{value:g}"
    if cmp in LEVEL_COMPARATORS:
        text = f"{ind} {_PHRASE[cmp]} {v} {unit} " + (f"in every year {base + 1}-{year}" if base is not None
                                                      else f"in {year}")
    elif cmp == "growth_per_year":
        text = f"average yearly growth of {ind} from {base} to {year} ≥ {v} ({unit})"
    elif cmp == "multiple_of_base":
        text = f"{ind} in {year} over {base} ≥ {v}×"
    elif cmp == "increase_per_year":
        text = f"yearly increase of {ind} ≥ {v} {unit} in every year {base + 1}-{year}"
    else:
        text = f"increase of {ind} from end-{base} to end-{year} ≥ {v} {unit}"
    bv, by = t.get("basis_value"), t.get("basis_year")
    if bv is not None and not pd.isna(bv):
        text += f", on the plan's base ({bv:g} in {int(by)}: the series × {bv:g} / its {int(by)} value)"
    return text


def determined_by_levers(indicator: str, levers, uncertain) -> list[str]:
    """The levers that alone determine ``indicator`` (with constants that are neither uncertain nor
    exogenous), or [] when something else moves it.  Such a target's probability is 0 or 1 in every
    ensemble: a restatement of the scenario, not a forecast."""
    m = shipped_model()
    if indicator not in m.elements:
        return []
    seen, constants, pending = set(), set(), [indicator]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        el = m.elements[name]
        if el.kind in ("constant", "lookup"):
            constants.add(name)
            continue
        pending.extend(m.deps.get(name, ()))
        if el.kind == "stock":
            pending.extend(el.inflows + el.outflows)
    found = sorted(constants & set(levers))
    return found if found and not constants & set(uncertain) else []


def indicator_names(lang: str = "en") -> dict[str, str]:
    """Every indicator's name in words (``calibration/indicators.csv``), also of indicators the
    model has no element for; {} when the file is missing."""
    path = calibration_dir() / "indicators.csv"
    if not path.exists():
        return {}
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    column = "description_zh" if lang == "zh" else "description_en"
    if column not in df or "indicator" not in df:
        return {}
    return {r["indicator"]: r[column] for _, r in df.iterrows() if r[column]}
