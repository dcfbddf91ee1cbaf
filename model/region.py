"""A region: the sectors assembled into one model, with the region's data.

A region profile lives in ``calibration/<region>/`` (data, not code):

* ``profile.yaml``: names, start year, supported sectors, initial values with sources;
* ``observations.csv``: history, each row with its source, quote and confidence;
* ``exogenous.csv``: sourced points of GDP and population;
* targets for every region are in ``calibration/targets.csv``.

Values in data files keep the units their source states; they are converted to the model's
units here, with pint, so a reader can compare every file against its source.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .engine import CompiledModel, Model
from .equations import ModelError, closest
from .units import registry


class DataError(ModelError):
    """A problem in a data file, named with the file, row and column."""


def project_home() -> Path:
    """Folder holding ``calibration/`` and ``scenarios/`` (override with INNOSD_HOME)."""
    return Path(os.environ.get("INNOSD_HOME", Path(__file__).resolve().parent.parent))


def calibration_dir() -> Path:
    return project_home() / "calibration"


def read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})".splitlines()[0]) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column '{missing[0]}' (expected columns: {', '.join(required)})"
                        + closest(missing[0], df.columns))
    return df


OBSERVATION_COLUMNS = ["obs_id", "indicator", "year", "value", "unit", "measure", "use", "source", "confidence"]


def observations_in_model_units(df: pd.DataFrame, label: str, notes: list[str] | None = None) -> pd.DataFrame:
    """An observation table (columns of ``observations.csv``) with ``model_value`` in model units.

    Rows whose indicator is not a model element, or that have no number, are left out, each
    with a note; rows marked ``use=exclude`` are left out silently."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{label}: missing column '{missing[0]}' (expected columns: {', '.join(OBSERVATION_COLUMNS)})"
                        + closest(missing[0], df.columns))
    notes = [] if notes is None else notes
    rows = []
    for i, r in df.reset_index(drop=True).iterrows():
        where = f"{label} row {i + 2} ({r['obs_id']})"
        if str(r["use"]) == "exclude":
            continue
        if r["indicator"] not in shipped_model().elements:
            notes.append(f"{where}: indicator '{r['indicator']}' is not in the model; kept as context")
            continue
        try:
            value, year = float(r["value"]), int(float(r["year"]))
        except (TypeError, ValueError):
            notes.append(f"{where}: no numeric value or year; not used")
            continue
        model_value = float(to_model_units(value, str(r["unit"]), r["indicator"], where))
        rows.append({**r.to_dict(), "year": year, "value": value, "model_value": model_value})
    return pd.DataFrame(rows, columns=list(df.columns) + ["model_value"] if not rows else None)


@lru_cache(maxsize=1)
def model_elements():
    from .sectors import UNIT_DEFINITIONS, all_elements
    return tuple(all_elements()), tuple(UNIT_DEFINITIONS)


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    els, _ = model_elements()
    return Model(list(els), name="innosd")


@lru_cache(maxsize=1)
def compiled_model() -> CompiledModel:
    return shipped_model().compile()


@lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """SHA-256 of what the model computes: every element's kind, equation, flows, units, lookup
    points and default (descriptions and sources excluded). A posterior records the fingerprint
    of the model it was calibrated with, so a forecast can say when the equations have changed."""
    import hashlib
    h = hashlib.sha256()
    for el in sorted(model_elements()[0], key=lambda e: e.name):
        h.update(repr((el.name, el.kind, el.equation, el.units, el.inflows, el.outflows, el.points)).encode())
    return h.hexdigest()


def unit_definitions() -> tuple[str, ...]:
    return model_elements()[1]


def to_model_units(values, unit: str, element: str, where: str) -> np.ndarray:
    """Convert numbers in ``unit`` to the units of model element ``element``."""
    m = shipped_model()
    if element not in m.elements:
        raise DataError(f"{where}: '{element}' is not a model element" + closest(element, m.elements))
    ureg = registry(unit_definitions())
    target = m.elements[element].units
    try:
        return np.asarray(ureg.Quantity(np.asarray(values, float), unit).to(target).magnitude, float)
    except Exception as exc:  # pint raises several kinds; all mean the same to a user
        raise DataError(f"{where}: cannot convert '{unit}' to the units of '{element}' ('{target}'): "
                        f"{str(exc).splitlines()[0]}") from None


def available_regions() -> list[str]:
    return sorted(p.parent.name for p in calibration_dir().glob("*/profile.yaml"))


@dataclass
class Region:
    key: str
    profile: dict
    folder: Path
    notes: list[str] = field(default_factory=list)

    @property
    def start_year(self) -> int:
        return int(self.profile.get("start_year", 2015))

    @property
    def name(self) -> str:
        return self.display_name("en")

    def display_name(self, lang: str = "en") -> str:
        names = self.profile.get("display_name") or {}
        return names.get(lang) or names.get("en") or self.key

    @property
    def sectors(self) -> dict[str, dict]:
        return self.profile.get("sectors") or {}

    @cached_property
    def supported_sectors(self) -> list[str]:
        """Sectors whose outputs the region's data supports (``supported: true`` or ``partial``)."""
        return [s for s, v in self.sectors.items() if isinstance(v, dict) and v.get("supported") in (True, "partial")]

    def sector_note(self, sector: str) -> str:
        v = self.sectors.get(sector)
        return (v.get("note") or v.get("reason") or "") if isinstance(v, dict) else ""

    def supports(self, indicator: str) -> bool:
        """Whether the region reports ``indicator``: its sector is supported and, where the
        profile lists the sector's ``indicators``, it is one of them."""
        m = shipped_model()
        if indicator not in m.elements or m.elements[indicator].sector not in self.supported_sectors:
            return False
        only = self.sectors[m.elements[indicator].sector].get("indicators")
        return only is None or indicator in only

    @cached_property
    def observations(self) -> pd.DataFrame:
        """History in model units: one row per observation, conflicts kept."""
        path = self.folder / "observations.csv"
        if not path.exists():
            return pd.DataFrame(columns=OBSERVATION_COLUMNS + ["model_value"])
        df = read_csv(path, OBSERVATION_COLUMNS)
        exo = self.folder / "exogenous.csv"
        if exo.exists():  # sourced GDP and population points are history of those stocks as well
            points = read_csv(exo, ["year", "series", "value", "unit", "source", "confidence"])
            if len(points):
                points = points.assign(obs_id=[f"{self.key}-{r.series}-{r.year}-exogenous" for r in points.itertuples()],
                                       indicator=points["series"], measure="exogenous.csv", use="fit", kind="actual")
                df = pd.concat([df, points[[c for c in df.columns if c in points.columns]]], ignore_index=True)
        return observations_in_model_units(df.fillna(""), path.name, self.notes)

    def fit_observations(self) -> pd.DataFrame:
        obs = self.observations
        return obs[(obs["use"] == "fit") & (obs["year"] >= self.start_year)] if len(obs) else obs

    @cached_property
    def initial_values(self) -> dict[str, float]:
        """Sourced initial values, as model constants ``init_<stock>`` in model units."""
        out = {}
        consts = shipped_model().constants
        for stock, spec in (self.profile.get("initial_values") or {}).items():
            if not isinstance(spec, dict) or spec.get("unknown") or "value" not in spec:
                continue
            name = stock if stock.startswith("init_") else f"init_{stock}"
            if name not in consts:
                self.notes.append(f"profile.yaml initial_values: '{stock}' has no model constant '{name}'")
                continue
            out[name] = float(to_model_units(spec["value"], spec.get("unit", consts[name].units), name,
                                             f"{self.folder.name}/profile.yaml initial_values.{stock}"))
        return out

    @cached_property
    def settings(self) -> dict[str, float]:
        """Region constants from the profile: ``county_units`` and the ``constants:`` section."""
        out = {}
        consts = shipped_model().constants
        units = self.profile.get("county_units") or {}
        if isinstance(units, dict) and units.get("value") is not None:
            out["county_count"] = float(units["value"])
        for name, spec in (self.profile.get("constants") or {}).items():
            if name not in consts:
                raise DataError(f"{self.folder.name}/profile.yaml constants: '{name}' is not a model constant"
                                + closest(name, consts))
            val = spec["value"] if isinstance(spec, dict) else spec
            unit = spec.get("unit", consts[name].units) if isinstance(spec, dict) else consts[name].units
            out[name] = float(to_model_units(val, unit, name, f"{self.folder.name}/profile.yaml constants.{name}"))
        return out

    def parameters(self) -> dict[str, float]:
        """Constants the region sets: initial values and region settings."""
        return {**self.initial_values, **self.settings}

    @cached_property
    def targets(self) -> pd.DataFrame:
        return load_targets(self.key)


@lru_cache(maxsize=8)
def load_region(key: str) -> Region:
    key = key.lower()
    folder = calibration_dir() / key
    path = folder / "profile.yaml"
    if not path.exists():
        raise DataError(f"unknown region '{key}'" + closest(key, available_regions())
                        + f" (regions: {', '.join(available_regions()) or 'none found in ' + str(calibration_dir())})")
    try:
        profile = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    return Region(key, profile, folder)


TARGET_COLUMNS = ["target_id", "region", "indicator", "year", "comparator", "value", "unit", "base_year",
                  "source", "clause", "quote"]
COMPARATORS = ("ge", "gt", "le", "lt", "growth_per_year", "multiple_of_base", "increase_per_year",
               "cumulative_from")


@lru_cache(maxsize=8)
def load_targets(region: str | None = None) -> pd.DataFrame:
    """Targets in model units (``model_value``); ``region`` filters by region key."""
    path = calibration_dir() / "targets.csv"
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
            ureg = registry(unit_definitions())
            unit = (r["unit"] or "dimensionless").replace("/year", "").replace("1/year", "") or "dimensionless"
            model_value = float(ureg.Quantity(value, unit).to("dimensionless").magnitude)
        if r["comparator"] in ("growth_per_year", "multiple_of_base", "increase_per_year", "cumulative_from") \
                and base is None:
            raise DataError(f"{where}: comparator '{r['comparator']}' needs a base_year")
        rows.append({**r.to_dict(), "year": int(float(r["year"])), "value": value, "model_value": model_value,
                     "base_year": base})
    return pd.DataFrame(rows)
