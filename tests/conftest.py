"""Fixtures several test files share: the checkout, and copies of its data to write into.

The tests are grouped by the layer they test (core/, sectors/, inputs/, runs/, analysis/,
outputs/, explore/, cli/) plus docs/ (the notebooks and documents that the tests execute); test_house.py
checks the house itself (ruff, the import contract, private names). Tests that take more than
about 20 s carry the ``slow`` marker: CI runs them all, ``-m "not slow"`` leaves them out.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ("calibration", "scenarios")


def copy_data(folder: Path) -> Path:
    """``folder`` made a workspace: copies of the checkout's calibration/ and scenarios/."""
    for name in DATA:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.fixture(scope="session")
def root() -> Path:
    """The checkout: its calibration/, scenarios/, docs/, notebooks/ and model/."""
    return ROOT


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A copy of the checkout's data used through INNOSD_HOME by the tests of one module (e.g. one
    calibration that several tests read): they may write results, edit a scenario or adopt a
    posterior, and the checkout stays as it was. INNOSD_HOME points at it from the first test that
    asks for it to the end of the module."""
    folder = copy_data(tmp_path_factory.mktemp("home"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INNOSD_HOME", str(folder))  # regions and priors are cached per folder
        yield folder


@pytest.fixture
def scratch_home(tmp_path, monkeypatch) -> Path:
    """As :func:`home`, for one test only."""
    folder = copy_data(tmp_path / "home")
    monkeypatch.setenv("INNOSD_HOME", str(folder))
    return folder
