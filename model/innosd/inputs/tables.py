"""Reading the project's tables: one error type and one CSV reader for every data file."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..core.equations import ModelError
from ..core.names import closest
from ..core.units import registry
from ..sectors import UNIT_DEFINITIONS, shipped_model


class DataError(ModelError):
    """A problem in a data file, named with the file, row and column."""


def read_csv(path: Path, required: list[str]) -> pd.DataFrame:
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a folder; expected a CSV file") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied (cannot read the file)") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty; expected a header line with the columns "
                        f"{', '.join(required) or 'of this table'}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})".splitlines()[0]) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column '{missing[0]}' (expected columns: {', '.join(required)})"
                        + closest(missing[0], df.columns))
    return df


def to_model_units(values, unit: str, element: str, where: str) -> np.ndarray:
    """Convert numbers in ``unit`` to the units of model element ``element``."""
    m = shipped_model()
    if element not in m.elements:
        raise DataError(f"{where}: '{element}' is not a model element" + closest(element, m.elements))
    ureg = registry(UNIT_DEFINITIONS)
    target = m.elements[element].units
    try:
        return np.asarray(ureg.Quantity(np.asarray(values, float), unit).to(target).magnitude, float)
    except Exception as exc:  # pint raises several kinds; all mean the same to a user
        raise DataError(f"{where}: cannot convert '{unit}' to the units of '{element}' ('{target}'): "
                        f"{str(exc).splitlines()[0]}") from None
