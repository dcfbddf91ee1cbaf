"""What each model constant is, and why it is fixed or uncertain (``calibration/constants.csv``).

One row per constant of the model: ``name, class, value, units, sector, reason``. Classes:

* ``rule``: a definition, a law or a plan's rule (certificate validity, tax rates, unit
  conversions, a programme's dates); fixed, and the reason names the rule;
* ``measured``: a sourced number (an initial value a region's profile sets, a count a plan
  states); fixed, the reason names the source;
* ``assumption``: a number made for lack of data; it has a prior in ``priors.csv`` (drawn in
  every ensemble) or a reason to be fixed, written ``fixed: why``;
* ``calibrated``: an assumption the history informs: a prior in ``priors.csv``, narrowed by the
  region's posterior when its calibration includes it;
* ``lever``: set by the scenario (``scenarios/levers.csv``).

``innosd check`` lists every row that breaks this (:func:`class_problems`), one line each.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.names import closest
from ..sectors import shipped_model
from .tables import read_csv
from .workspace import calibration_dir, scenarios_dir

CLASSES = ("rule", "measured", "assumption", "calibrated", "lever")
COLUMNS = ["name", "class", "value", "units", "sector", "reason"]
#: the prefix of an assumption's reason that says it is fixed on purpose
FIXED = "fixed:"


def constants_path() -> Path:
    return calibration_dir() / "constants.csv"


def load_constants(path: str | Path | None = None) -> pd.DataFrame:
    """The classification table in use (or at ``path``), indexed by constant name."""
    df = read_csv(Path(path) if path else constants_path(), COLUMNS)
    return df.set_index("name", drop=False)


def class_problems(path: str | Path | None = None, priors=None) -> list[str]:
    """Every constant the table leaves unexplained, one line each: a row naming no model constant,
    a model constant with no row, an unknown class, an assumption (or calibrated parameter) with
    neither a prior nor a ``fixed:`` reason, a lever that levers.csv does not list, an empty reason."""
    from .priors import load_priors
    path = Path(path) if path else constants_path()
    df = read_csv(path, COLUMNS).reset_index(drop=True)
    consts = shipped_model().constants
    priors = load_priors() if priors is None else priors
    levers = set(read_csv(scenarios_dir() / "levers.csv", ["lever"])["lever"])
    out = []
    for i, r in df.iterrows():
        where, name, cls = f"{path}:{i + 2}", r["name"], r["class"]
        reason = str(r["reason"]).strip()
        if name not in consts:
            out.append(f"{where}: '{name}' is not a model constant{closest(name, consts)}; remove the row")
        elif cls not in CLASSES:
            out.append(f"{where}: class '{cls}' of '{name}' is not one of {', '.join(CLASSES)}{closest(cls, CLASSES)}")
        elif cls == "lever" and name not in levers:
            out.append(f"{where}: '{name}' is classed lever but scenarios/levers.csv does not list it")
        elif cls == "calibrated" and name not in priors:
            out.append(f"{where}: calibrated parameter '{name}' has no prior in priors.csv")
        elif cls == "assumption" and name not in priors and not reason.lower().startswith(FIXED):
            out.append(f"{where}: assumption '{name}' has neither a prior in priors.csv nor a reason to be fixed "
                       f"(a reason starting '{FIXED}')")
        elif not reason or reason == "nan":
            out.append(f"{where}: '{name}' ({cls}) states no reason or source")
    listed = set(df["name"])
    out += [f"{path}: model constant '{n}' ({consts[n].sector}) has no row; add it with its class and reason"
            for n in consts if n not in listed]
    dup = df["name"][df["name"].duplicated()].unique()
    out += [f"{path}: '{n}' has more than one row" for n in dup]
    return out


def classes() -> dict[str, str]:
    """Constant name -> its class (an empty mapping when the workspace has no constants.csv)."""
    if not constants_path().exists():
        return {}
    df = load_constants()
    return dict(zip(df["name"], df["class"]))
