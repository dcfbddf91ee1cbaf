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

import numpy as np
import pandas as pd

from ..core.names import closest
from ..sectors import shipped_model
from .documents import read_profile
from .priors import DISTRIBUTIONS, Prior, load_priors
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
                # a start-year point that sets the stock's initial value is matched by construction:
                # context, not a fit (issue 11.1)
                sets_init = [f"init_{r.series}" in self.initial_values and int(r.year) == self.start_year
                             for r in points.itertuples()]
                points = points.assign(obs_id=ids, indicator=points["series"], measure="exogenous.csv",
                                       use=["context" if s else "fit" for s in sets_init], kind="actual")
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
    def own_priors(self) -> dict[str, Prior]:
        """Priors the profile gives this region: ``priors:`` (each with its distribution and the
        basis it was scaled from) and ``scaled_priors:`` (groups of constants whose only known
        value is Xingtai's, scaled by a stated size factor with a stated log-sd). They replace
        ``calibration/priors.csv``'s (whose scale is Xingtai's) for this region."""
        out: dict[str, Prior] = {}
        consts = shipped_model().constants
        where = f"{self.folder.name}/profile.yaml"
        scaled = self.profile.get("scaled_priors") or {}
        for group, spec in (scaled.get("groups") or {}).items():
            try:
                factor, sd = float(spec["factor"]), float(spec["log_sd"])
            except (KeyError, TypeError, ValueError):
                raise DataError(f"{where} scaled_priors.{group}: expected a number for 'factor' and 'log_sd'") from None
            for name in spec.get("constants") or []:
                if name not in consts:
                    raise DataError(f"{where} scaled_priors.{group}: '{name}' is not a model constant"
                                    + closest(name, consts))
                reference = float(consts[name].equation)
                median, spread = reference * factor, np.exp(3 * sd)
                out[name] = Prior(name, "lognormal", median / spread, median * spread, median, sd, median,
                                  consts[name].units or "",
                                  f"scaled prior: Xingtai's value {reference:g} x {factor:g} ({group}: "
                                  f"{spec.get('basis', 'no basis stated')}), log-sd {sd:g}")
        for name, spec in (self.profile.get("priors") or {}).items():
            here = f"{where} priors.{name}"
            if name not in consts:
                raise DataError(f"{here}: not a model constant" + closest(name, consts))
            if not isinstance(spec, dict) or spec.get("distribution") not in DISTRIBUTIONS:
                raise DataError(f"{here}: expected 'distribution' one of {', '.join(DISTRIBUTIONS)}")
            try:
                lo, hi = float(spec["lo"]), float(spec["hi"])
                p1, p2 = float(spec.get("p1", np.nan)), float(spec.get("p2", np.nan))
            except (KeyError, TypeError, ValueError):
                raise DataError(f"{here}: expected numbers for lo, hi (and p1, p2)") from None
            default = float(spec.get("default", p1 if spec["distribution"] in ("normal", "lognormal")
                                     else (lo + hi) / 2))
            if not lo < hi or not lo <= default <= hi:
                raise DataError(f"{here}: need lo < hi and the default inside [lo, hi]")
            out[name] = Prior(name, spec["distribution"], lo, hi, p1, p2, default, consts[name].units or "",
                              str(spec.get("basis", "")))
        return out

    def priors_in_use(self) -> dict[str, Prior]:
        """``calibration/priors.csv`` with this region's own priors in place of (or beside) it."""
        return {**load_priors(), **self.own_priors}

    def borrowed_defaults(self) -> list[str]:
        """Initial values the profile marks unknown that have neither a region value, nor a prior,
        nor a stated reason to keep the model's default (``model_default_kept``): they would run
        silently on the model's default, which is Xingtai's number."""
        priors = self.priors_in_use()
        out = []
        for stock, spec in (self.profile.get("initial_values") or {}).items():
            name = stock if stock.startswith("init_") else f"init_{stock}"
            if isinstance(spec, dict) and spec.get("unknown") and not spec.get("model_default_kept") \
                    and name in shipped_model().constants and name not in priors and name not in self.parameters():
                out.append(name)
        return out

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
