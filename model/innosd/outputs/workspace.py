"""Making a planner's workspace (``innosd init``): editable copies of the data in use.

The folder is assembled under a hidden name beside its final place and renamed into place
when complete (:class:`~innosd.outputs.files.ResultsFolder`), so an interrupted ``init``
leaves nothing that looks like a workspace.
"""
from __future__ import annotations

import datetime as _dt
import shutil
from pathlib import Path

from .. import __version__
from ..core.equations import ModelError
from ..inputs.workspace import DATA_FOLDERS
from .files import ResultsFolder

README = """\
# innosd workspace

Made by `innosd init` (innosd {version}, {date}) from the data in {source}.

| folder | what it holds |
|---|---|
| `scenarios/` | `levers.csv` (every policy lever) and the scenario files of each region: copy one, edit its levers |
| `calibration/` | targets, priors, each region's observations, profile and posterior, behaviour checks |
| `results/` | one new folder per command (`innosd run`, `compare`, `sensitivity`), never overwritten |

innosd reads `scenarios/` and `calibration/` from here, and writes to `results/`, when run from
this folder:

```bash
cd {folder}
innosd run xingtai/baseline        # or a scenario file of your own, e.g. scenarios/xingtai/my-plan.yaml
innosd check                       # your edited files against the model
```

From any other folder, add `--home {folder}` before the command (or set `INNOSD_HOME`).
The units, bounds and defaults in `levers.csv` and `priors.csv` restate the model's declarations
and are checked against them; a lever's range is changed in the model, not here.
"""


def write_workspace(folder: Path | str, source: Path) -> Path:
    """Copy ``scenarios/`` and ``calibration/`` from ``source`` into the new folder ``folder``,
    with an empty ``results/`` and a README.md; returns the folder."""
    folder = Path(folder).expanduser().resolve()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ModelError(f"{folder} already exists and is not empty; innosd init makes a new workspace: "
                         "give a new folder (or an empty one)")
    with ResultsFolder(folder, folder.name, exact=True) as staged:
        for name in DATA_FOLDERS:
            # copyfile, not copy2: the copies are the planner's to edit even when the shipped files are read-only
            shutil.copytree(source / name, staged.path(name), copy_function=shutil.copyfile,
                            ignore=shutil.ignore_patterns("__pycache__"))
        staged.path("results").mkdir()
        staged.path("README.md").write_text(
            README.format(version=__version__, date=_dt.date.today().isoformat(), source=source, folder=folder),
            encoding="utf-8")
    return staged.final
