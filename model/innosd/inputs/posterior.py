"""A region's posterior sample (``calibration/<region>/posterior.nc``): one variable per
parameter over dimension ``draw``, written by a calibration."""
from __future__ import annotations

from pathlib import Path

import xarray as xr

from .workspace import calibration_dir


def posterior_path(region: str) -> Path:
    return calibration_dir() / region / "posterior.nc"


def load_posterior(region: str) -> xr.Dataset | None:
    path = posterior_path(region)
    if not path.exists():
        return None
    with xr.open_dataset(path, engine="scipy") as ds:
        return ds.load()
