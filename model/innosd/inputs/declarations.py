"""One source of truth for each lever's and parameter's units, bounds and default.

The model's declarations are the source: ``const(name, value, units, bounds=(lo, hi))`` in
``innosd.sectors``.  ``scenarios/levers.csv`` (units, min, max, default) and
``calibration/priors.csv`` (units, lo, hi, default) and ``calibration/constants.csv`` (units, value)
restate them beside the descriptions and
sources a reader needs; every read of those files checks each restated cell against the
declaration, so a copy cannot drift: a difference is an error naming ``file:line:column``, the
file's value and the declared one.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..sectors import SECTORS, shipped_model
from .tables import DataError, read_csv
from .validate import read_table
from .workspace import calibration_dir, scenarios_dir

# what a column restates: the declaration's units, lower bound, upper bound or value
UNITS, LOWER, UPPER, VALUE = "units", "lower bound", "upper bound", "value"

#: the column naming the constant (levers.csv: lever, priors.csv: parameter) -> {column: what it restates}
RESTATED = {
    "lever": {"units": UNITS, "min": LOWER, "max": UPPER, "default": VALUE},
    "parameter": {"units": UNITS, "lo": LOWER, "hi": UPPER, "default": VALUE},
    "name": {"units": UNITS, "value": VALUE},  # calibration/constants.csv
}


def _declared(element, what: str):
    if what == UNITS:
        return element.units
    if what in (LOWER, UPPER):
        return element.bounds[0 if what == LOWER else 1]
    try:
        return float(element.equation)
    except ValueError:  # declared as an expression: no single number to restate
        return element.equation


def _same(cell: str, declared, what: str) -> bool:
    if what == UNITS:
        return cell == declared
    try:
        return declared is not None and float(cell) == float(declared)
    except ValueError:
        return False


def mismatches(path: Path, table: pd.DataFrame, key: str) -> list[str]:
    """Every cell of ``table`` (read from ``path``; ``key`` is its column naming the constant,
    ``lever`` or ``parameter``) that differs from the model's declaration, one line each. Rows
    naming no model constant are left to the file's reader, which reports them with a suggestion."""
    columns = RESTATED[key]
    constants = shipped_model().constants
    out = []
    for i, row in table.reset_index(drop=True).iterrows():
        element = constants.get(row[key])
        if element is None:
            continue
        module = SECTORS[element.sector].__name__ if element.sector in SECTORS else "the model"
        for column, what in columns.items():
            declared = _declared(element, what)
            if _same(row[column], declared, what):
                continue
            said = (f"declares no {what} for it (add bounds=(lo, hi) to its const)" if declared is None
                    else f"declares {what} {declared!r}")
            # line i + 2: the header is line 1
            out.append(f"{path}:{i + 2}:{column}: '{row[column]}' for {key} '{row[key]}', but {module} {said}; "
                       "the model's declaration is the source: correct the file")
    return out


def check_restated(path: Path, table: pd.DataFrame, key: str) -> None:
    """Raise the first mismatch of :func:`mismatches` (a reader of levers.csv or priors.csv calls this)."""
    found = mismatches(path, table, key)
    if found:
        more = f" (and {len(found) - 1} more: `innosd check` lists them)" if len(found) > 1 else ""
        raise DataError(found[0] + more)


def all_mismatches() -> list[str]:
    """Mismatches of the files in use (``innosd check``)."""
    out = []
    for path, key in ((scenarios_dir() / "levers.csv", "lever"), (calibration_dir() / "priors.csv", "parameter")):
        out += mismatches(path, read_table(path, {"lever": "levers", "parameter": "priors"}[key]), key)
    constants = calibration_dir() / "constants.csv"
    if constants.exists():  # a workspace made before constants.csv existed has none
        out += mismatches(constants, read_csv(constants, ["name", *RESTATED["name"]]), "name")
    return out
