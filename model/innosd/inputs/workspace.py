"""Where innosd finds its data and where it writes results.

A *workspace* is a folder holding both ``calibration/`` and ``scenarios/`` (the repository's root
is one; ``innosd init DIR`` makes one with editable copies).  The data are read from the first of:

1. the folder given with ``innosd --home DIR`` (:func:`using_home`) or, failing that, the
   environment variable ``INNOSD_HOME``; either must be a workspace;
2. the current folder, if it is a workspace;
3. the copy shipped with the package (package data ``innosd/shipped/``, read-only).

Results go to ``<workspace>/results/`` when the data come from a workspace (1 or 2), else to
``./results/`` in the current folder: nothing ever writes into the installed package, and a
command that changes the data themselves asks :func:`writable_home` first.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..core.equations import ModelError

DATA_FOLDERS = ("calibration", "scenarios")
#: where the home came from, as messages name it
OPTION, ENVIRONMENT, CURRENT_FOLDER, SHIPPED = "--home", "INNOSD_HOME", "the current folder", "the shipped copy"

_home_option: Path | None = None


@dataclass(frozen=True)
class Home:
    path: Path
    source: str   # one of OPTION, ENVIRONMENT, CURRENT_FOLDER, SHIPPED

    @property
    def is_shipped(self) -> bool:
        return self.source == SHIPPED


def is_workspace(folder: Path | str) -> bool:
    """A workspace holds both ``calibration/`` and ``scenarios/``."""
    return all((Path(folder) / name).is_dir() for name in DATA_FOLDERS)


def _checked(folder: Path | str, source: str) -> Path:
    folder = Path(folder).expanduser().resolve()
    missing = [name for name in DATA_FOLDERS if not (folder / name).is_dir()]
    if missing:
        label = f"--home {folder}" if source == OPTION else f"INNOSD_HOME={folder}"
        problem = f"it has no {missing[0]}/ folder" if folder.is_dir() else "no such folder"
        raise ModelError(f"{label}: not a workspace, {problem} (a workspace holds calibration/ and scenarios/; "
                         f"make one with `innosd init {folder}`)")
    return folder


def _installed_copy() -> Path:
    return Path(str(resources.files("innosd") / "shipped"))


def shipped_home() -> Path:
    """The read-only copy of ``calibration/`` and ``scenarios/`` that comes with the package.

    An installed package carries it as package data in ``innosd/shipped/``. Run from a source
    checkout (an editable install, or ``PYTHONPATH=model``) there is no such copy: the
    checkout's own top-level folders, which the copy is made from, are used instead."""
    installed = _installed_copy()
    if is_workspace(installed):
        return installed
    checkout = Path(__file__).resolve().parents[3]
    if is_workspace(checkout):
        return checkout
    raise ModelError(f"this innosd installation carries no data ({installed} has no calibration/ and scenarios/); "
                     "reinstall it, or give a workspace with --home DIR")


def find_home() -> Home:
    """The folder the data are read from, and why (see the module's docstring for the order)."""
    if _home_option is not None:
        home = Home(_home_option, OPTION)
    elif os.environ.get("INNOSD_HOME"):
        home = Home(_checked(os.environ["INNOSD_HOME"], ENVIRONMENT), ENVIRONMENT)
    elif is_workspace(Path.cwd()):
        home = Home(Path.cwd(), CURRENT_FOLDER)
    else:
        return Home(shipped_home(), SHIPPED)
    # the installed copy named as a workspace is still read-only
    return Home(home.path, SHIPPED) if home.path.resolve() == _installed_copy().resolve() else home


@contextlib.contextmanager
def using_home(folder: Path | str | None):
    """Read the data from ``folder`` (a workspace) inside the block, before INNOSD_HOME and the
    current folder: what ``innosd --home DIR`` does. ``None`` changes nothing."""
    global _home_option
    previous = _home_option
    if folder is not None:
        _home_option = _checked(folder, OPTION)
    try:
        yield
    finally:
        _home_option = previous


def project_home() -> Path:
    """The folder holding the ``calibration/`` and ``scenarios/`` in use."""
    return find_home().path


def calibration_dir() -> Path:
    return project_home() / "calibration"


def scenarios_dir() -> Path:
    return project_home() / "scenarios"


def results_dir() -> Path:
    """Where a command's new results folder goes: the workspace's ``results/``, or ``./results/``
    when the data are the shipped copy."""
    home = find_home()
    return (Path.cwd() if home.is_shipped else home.path) / "results"


def writable_home() -> Path:
    """The workspace in use, for a command that changes the data themselves (e.g. adopting a
    calibration as the region's posterior); refuses the read-only shipped copy."""
    home = find_home()
    if home.is_shipped:
        raise ModelError(f"no workspace in use: the data are the copy shipped with innosd ({home.path}), which is "
                         "never changed; make a workspace with `innosd init DIR`, then run from DIR "
                         "(or add --home DIR)")
    return home.path
