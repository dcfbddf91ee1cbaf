"""A region: its profile, history and settings, read from ``calibration/<region>/``.

A region profile lives in ``calibration/<region>/`` (data, not code):

* ``profile.yaml``: names, start year, supported sectors, initial values with sources;
* ``observations.csv``: history, each row with its source, quote and confidence;
* ``exogenous.csv``: sourced points of GDP and population;
* targets for every region are in ``calibration/targets.csv``.

Values in data files keep the units their source states; they are converted to the model's
units here, with pint, so a reader can compare every file against its source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import pandas as pd

from ..core.names import closest
from ..sectors import shipped_model
from .documents import read_profile
from .tables import DataError, to_model_units
from .targets import load_targets
from .validate import read_table, validate_table
from .workspace import calibration_dir

#: Observations of a county evaluation stated by the year of publication (the evaluation of data
#: year Y is published in Y+1, 003: "2021年度（2022年公布）") are compared with the model's tiers of
#: the data year; ``eval_named_year`` is probably publication (calibration/README.md).
MEASURE_YEAR_SHIFT = {"eval_pub_year": -1, "eval_named_year": -1}

OBSERVATION_COLUMNS = ["obs_id", "indicator", "year", "value", "unit", "measure", "use", "source", "confidence"]


def observations_in_model_units(df: pd.DataFrame, label: str, notes: list[str] | None = None,
                                validated: bool = False) -> pd.DataFrame:
    """An observation table (columns of ``observations.csv``) with ``model_value`` in model units.

    Rows whose indicator is not a model element, or that have no number, are left out, each
    with a note; rows marked ``use=exclude`` are left out silently."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"{label}: missing column '{missing[0]}' (expected columns: {', '.join(OBSERVATION_COLUMNS)})"
                        + closest(missing[0], df.columns))
    if not validated:  # a table passed to the API is checked like the file
        df = validate_table(df.fillna(""), "observations", label)
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
        shift = MEASURE_YEAR_SHIFT.get(str(r["measure"]), 0)
        rows.append({**r.to_dict(), "stated_year": year, "year": year + shift, "value": value,
                     "model_value": model_value})
    return pd.DataFrame(rows, columns=list(df.columns) + ["stated_year", "model_value"] if not rows else None)


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
        df = read_table(path, "observations")
        exo = self.folder / "exogenous.csv"
        if exo.exists():  # sourced GDP and population points are history of those stocks as well
            points = read_table(exo, "exogenous")
            if len(points):
                ids = [f"{self.key}-{r.series}-{r.year}-exogenous" for r in points.itertuples()]
                points = points.assign(obs_id=ids, indicator=points["series"], measure="exogenous.csv", use="fit",
                                       kind="actual")
                df = pd.concat([df, points[[c for c in df.columns if c in points.columns]]], ignore_index=True)
        return observations_in_model_units(df.fillna(""), path.name, self.notes, validated=True)

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
            # the provincial county evaluation may cover fewer units (Xingtai: 18 of 20)
            evaluated = units.get("in_county_tier_evaluation")
            value = evaluated.get("value") if isinstance(evaluated, dict) else evaluated
            out["evaluated_county_count"] = float(value if value is not None else units["value"])
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


def load_region(key: str) -> Region:
    key = key.lower()
    folder = calibration_dir() / key
    if not (folder / "profile.yaml").exists():
        raise DataError(f"unknown region '{key}'" + closest(key, available_regions())
                        + f" (regions: {', '.join(available_regions()) or 'none found in ' + str(calibration_dir())})")
    return _region_in(folder)


@lru_cache(maxsize=8)  # keyed by the folder: another workspace has its own region data
def _region_in(folder: Path) -> Region:
    key = folder.name
    path = folder / "profile.yaml"
    return Region(key, read_profile(path), folder)
