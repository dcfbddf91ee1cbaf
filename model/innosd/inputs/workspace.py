"""Where the project's data lives: the folder holding ``calibration/`` and ``scenarios/``."""
from __future__ import annotations

import os
from pathlib import Path


def project_home() -> Path:
    """Folder holding ``calibration/`` and ``scenarios/`` (override with INNOSD_HOME)."""
    return Path(os.environ.get("INNOSD_HOME", Path(__file__).resolve().parents[3]))


def calibration_dir() -> Path:
    return project_home() / "calibration"


def scenarios_dir() -> Path:
    return project_home() / "scenarios"
