"""Where data are read and results written: --home / INNOSD_HOME, a workspace in the current
folder, the copy shipped inside the package; ``innosd init``; a non-editable install run from
elsewhere; levers.csv and priors.csv checked against the model's declarations."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from innosd import api
from innosd.cli import main
from innosd.core.equations import ModelError
from innosd.inputs.priors import load_priors
from innosd.inputs.workspace import (
    CURRENT_FOLDER,
    ENVIRONMENT,
    OPTION,
    SHIPPED,
    find_home,
    results_dir,
    shipped_home,
    using_home,
    writable_home,
)


@pytest.fixture(autouse=True)
def no_innosd_home(monkeypatch):
    monkeypatch.delenv("INNOSD_HOME", raising=False)


def bare_workspace(folder: Path) -> Path:
    """A folder that is a workspace by structure only (enough to test where innosd looks)."""
    for name in ("calibration", "scenarios"):
        (folder / name).mkdir(parents=True)
    return folder


@pytest.fixture
def workspace(tmp_path, monkeypatch, root) -> Path:
    """A planner's workspace made by `innosd init` from the data of this checkout."""
    monkeypatch.chdir(tmp_path)
    assert main(["--home", str(root), "init", "ws"]) == 0
    return tmp_path / "ws"


def only_results_folder(folder: Path) -> Path:
    found = list((folder / "results").iterdir())
    assert len(found) == 1, found
    return found[0]


# --- (c) precedence -------------------------------------------------------------------------

def test_home_option_then_environment_then_current_folder_then_shipped(tmp_path, monkeypatch):
    option, env, cwd = (bare_workspace(tmp_path / n) for n in ("option", "env", "cwd"))
    monkeypatch.chdir(tmp_path)                      # not a workspace
    assert find_home().source == SHIPPED and find_home().path == shipped_home()
    monkeypatch.chdir(cwd)
    assert (find_home().path, find_home().source) == (cwd, CURRENT_FOLDER)
    assert results_dir() == cwd / "results"
    monkeypatch.setenv("INNOSD_HOME", str(env))
    assert (find_home().path, find_home().source) == (env, ENVIRONMENT)
    with using_home(option):
        assert (find_home().path, find_home().source) == (option, OPTION)
        assert results_dir() == option / "results"
    assert find_home().path == env                   # the option holds inside its block only


def test_a_home_that_is_not_a_workspace_is_one_line_naming_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "half" / "scenarios").mkdir(parents=True)
    assert main(["--home", str(tmp_path / "half"), "levers"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--home {tmp_path / 'half'}: not a workspace, it has no calibration/" in err
    assert "innosd init" in err
    monkeypatch.setenv("INNOSD_HOME", str(tmp_path / "missing"))
    assert main(["levers"]) == 2
    assert f"INNOSD_HOME={tmp_path / 'missing'}: not a workspace, no such folder" in capsys.readouterr().err


# --- (d) the shipped copy ---------------------------------------------------------------------

def test_outside_a_workspace_the_shipped_copy_is_read_and_results_go_to_the_current_folder(tmp_path, monkeypatch,
                                                                                            capsys):
    monkeypatch.chdir(tmp_path)
    shipped = shipped_home()
    assert (shipped / "scenarios" / "levers.csv").is_file() and (shipped / "calibration" / "priors.csv").is_file()
    assert main(["run", "xingtai/baseline", "--runs", "5", "--no-charts"]) == 0
    folder = only_results_folder(tmp_path)
    inputs = json.loads((folder / "manifest.json").read_text())["inputs"]
    assert Path(inputs["levers"]["path"]) == shipped / "scenarios" / "levers.csv"
    assert Path(inputs["scenario:baseline.yaml"]["path"]) == shipped / "scenarios" / "xingtai" / "baseline.yaml"
    capsys.readouterr()


def test_nothing_writes_into_the_shipped_copy(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelError, match="innosd init"):
        writable_home()
    # adopting a calibration would replace the region's posterior: refused at once, before any work
    assert main(["adopt", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "copy shipped with innosd" in err and "innosd init DIR" in err


# --- (b) innosd init ----------------------------------------------------------------------------

def test_init_copies_the_data_with_an_empty_results_folder_and_a_readme(workspace, root):
    for name in ("scenarios", "calibration"):
        theirs = sorted(p.relative_to(root / name) for p in (root / name).rglob("*") if p.is_file())
        ours = sorted(p.relative_to(workspace / name) for p in (workspace / name).rglob("*") if p.is_file())
        assert ours == theirs
    assert (workspace / "calibration" / "xingtai" / "posterior.nc").read_bytes() == \
        (root / "calibration" / "xingtai" / "posterior.nc").read_bytes()
    assert not any((workspace / "results").iterdir())
    readme = (workspace / "README.md").read_text(encoding="utf-8")
    assert "innosd run xingtai/baseline" in readme and "--home" in readme
    assert not [p for p in workspace.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_init_refuses_a_folder_that_is_not_empty(workspace, capsys):
    before = sorted(workspace.rglob("*"))
    assert main(["init", str(workspace)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{workspace} already exists and is not empty" in err
    assert sorted(workspace.rglob("*")) == before


def test_a_run_inside_a_workspace_reads_its_scenarios_and_writes_its_results(workspace, root, monkeypatch, capsys):
    baseline = workspace / "scenarios" / "xingtai" / "baseline.yaml"
    baseline.write_text(baseline.read_text(encoding="utf-8") + "levers:\n  tech_sme_cultivation: 600\n",
                        encoding="utf-8")
    monkeypatch.chdir(workspace)
    assert main(["run", "xingtai/baseline", "--runs", "20", "--seed", "3", "--no-charts"]) == 0
    folder = only_results_folder(workspace)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert Path(manifest["inputs"]["scenario:baseline.yaml"]["path"]) == baseline
    assert Path(manifest["inputs"]["posterior"]["path"]) == workspace / "calibration" / "xingtai" / "posterior.nc"
    with using_home(root):
        shipped = api.forecast("xingtai/baseline", runs=20, seed=3).summary
    edited = pd.read_csv(folder / "summary.csv")

    def smes_2025(summary):
        return summary.query("indicator == 'tech_sme_provincial' and year == 2025")["q50"].item()
    # same seed and parameter draws: only the edited lever (600 firms a year cultivated, not 150) differs
    assert smes_2025(edited) > smes_2025(shipped) + 50
    capsys.readouterr()


def test_home_option_reads_and_writes_the_workspace_from_anywhere(workspace, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["--home", str(workspace), "run", "xingtai/baseline", "--runs", "5", "--no-charts"]) == 0
    assert only_results_folder(workspace).name.startswith("xingtai-baseline-")  # region and scenario
    assert not any(elsewhere.iterdir())
    capsys.readouterr()


# --- one source of truth: levers.csv and priors.csv against the declarations -----------------------

def test_a_lever_unit_that_differs_from_the_declaration_fails_check_and_every_run(workspace, monkeypatch, capsys):
    levers_csv = workspace / "scenarios" / "levers.csv"
    text = levers_csv.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next(i for i, ln in enumerate(lines, 1) if ln.startswith("tech_sme_cultivation,firm/year,"))
    levers_csv.write_text(text.replace("tech_sme_cultivation,firm/year,", "tech_sme_cultivation,firms/yr,")
                          .replace("srdi_cultivation,firm/year,0,200,40.0,", "srdi_cultivation,firm/year,0,250,40.0,"),
                          encoding="utf-8")
    monkeypatch.chdir(workspace)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert (f"declarations: {levers_csv}:{line}:units: 'firms/yr' for lever 'tech_sme_cultivation', "
            "but innosd.sectors.firms declares units 'firm/year'") in out
    assert "srdi_cultivation', but innosd.sectors.firms declares upper bound 200" in out
    assert "declarations: 2 difference(s)" in out and "check: 2 error(s)" in out
    assert main(["run", "xingtai/baseline", "--runs", "5", "--no-charts"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{levers_csv}:{line}:units: 'firms/yr'" in err and "(and 1 more" in err
    assert not any((workspace / "results").iterdir())


def test_a_prior_bound_that_differs_from_the_declaration_is_refused(tmp_path, root):
    text = (root / "calibration" / "priors.csv").read_text(encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("county_score_spread,uniform,4,20,"))
    path = tmp_path / "priors.csv"
    path.write_text(text.replace("county_score_spread,uniform,4,20,", "county_score_spread,uniform,2,20,"),
                    encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_priors(path)
    assert str(err.value).startswith(f"{path}:{line}:lo: '2' for parameter 'county_score_spread', "
                                     "but innosd.sectors.counties declares lower bound 4")


def test_the_shipped_tables_agree_with_the_declarations(root):
    from innosd.inputs.declarations import all_mismatches
    with using_home(root):
        assert all_mismatches() == []


# --- (a) a non-editable install, run from elsewhere -------------------------------------------------

def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.mark.slow  # 13-20 s on two busy cores: a venv, a build and four fresh processes
def test_a_non_editable_install_runs_from_any_folder_and_never_writes_into_the_package(tmp_path, root):
    # Build from a copy of what the build reads, so the checkout gets no build/ or egg-info.
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    src.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(root / name, src / name)
    for name in ("model", "calibration", "scenarios"):
        shutil.copytree(root / name, src / name, ignore=skip)
    venv = tmp_path / "venv"
    # pip comes from the system site-packages, as do innosd's dependencies (--no-deps)
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "INNOSD_HOME")}
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", str(src)],
                   check=True, env=env, capture_output=True)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # pip compiled the package; innosd itself must write nothing there
    package = Path(subprocess.run([str(python), "-c", "import innosd; print(innosd.__file__)"], check=True,
                                  env=env, capture_output=True, text=True).stdout.strip()).parent
    assert venv in package.parents                      # the installed copy, not this checkout
    # every subpackage is installed (setup.cfg lists them by name), with the data beside them
    source = root / "model" / "innosd"
    subpackages = {p.parent.relative_to(source) for p in source.rglob("__init__.py")}
    assert all((package / sp / "__init__.py").is_file() for sp in subpackages)
    def files(folder):
        return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    for name in ("calibration", "scenarios"):
        assert files(src / name) == files(package / "shipped" / name)
    before = _listing(package)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    innosd = venv / "bin" / "innosd"
    run = subprocess.run([str(innosd), "run", "xingtai/baseline", "--runs", "50", "--no-charts"], cwd=elsewhere,
                         env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    (folder,) = (elsewhere / "results").iterdir()
    assert len(pd.read_csv(folder / "summary.csv")) > 100
    manifest = json.loads((folder / "manifest.json").read_text())
    assert Path(manifest["inputs"]["levers"]["path"]) == package / "shipped" / "scenarios" / "levers.csv"
    # even named as the home, the installed copy is read-only: adopting a calibration is refused at once
    refused = subprocess.run([str(innosd), "adopt", str(elsewhere)], cwd=elsewhere,
                             env={**env, "INNOSD_HOME": str(package / "shipped")}, capture_output=True, text=True,
                             check=False)
    assert refused.returncode == 2 and "innosd init" in refused.stderr
    assert _listing(package) == before
