"""A calibration's files: calibrating writes nothing, ``write_calibration`` writes a new results
folder with a manifest, and ``adopt`` makes it the region's posterior while keeping the previous
one, after checking the folder against its manifest.

Everything runs against a copy of calibration/ and scenarios/ (INNOSD_HOME), so the checkout's
shipped posteriors are never touched."""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
import xarray as xr

from innosd import __version__, api
from innosd.cli import main
from innosd.core.equations import ModelError
from innosd.inputs.posterior import load_posterior

REGION = "shijiazhuang"   # 13 thin observations: a quick calibration is short and draws few charts
QUICK = {"quick": True, "steps": 40, "seed": 1}


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256."""
    return {str(p.relative_to(root)): sha256(p) for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def calibrated(home):
    """A quick calibration of the region, with every file of the workspace before and after it."""
    before = snapshot(home)
    result = api.calibrate(REGION, **QUICK)
    return result, before, snapshot(home)


def test_calibrate_writes_nothing(home, calibrated):
    result, before, after = calibrated
    assert result.region == REGION and len(result.draws) > 0 and result.holdout is not None
    assert after == before                      # no file added, removed or changed
    assert not (home / "results").exists()


def test_write_calibration_writes_a_new_folder_with_a_manifest(home, calibrated):
    result = calibrated[0]
    shipped = snapshot(home / "calibration")
    folder = api.write_calibration(result)
    assert folder.parent == home / "results" and folder.name.startswith(f"calibration-{REGION}-")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    assert set(manifest["outputs"]) == files
    assert {"posterior.nc", "fit-report.md", "fit-charts/counties_tier_a.png", "fit-charts/_parameters.png"} <= files
    assert all(sha256(folder / rel) == digest for rel, digest in manifest["outputs"].items())
    assert (manifest["kind"], manifest["region"], manifest["seed"], manifest["steps"], manifest["version"]) == \
        ("calibration", REGION, QUICK["seed"], QUICK["steps"], __version__)
    assert manifest["observations_sha256"] == sha256(home / "calibration" / REGION / "observations.csv")
    assert manifest["priors_sha256"] == sha256(home / "calibration" / "priors.csv")
    with xr.open_dataset(folder / "posterior.nc", engine="scipy") as ds:
        assert set(ds.data_vars) == set(result.draws.columns) and ds.attrs["region"] == REGION
    report = (folder / "fit-report.md").read_text(encoding="utf-8")
    assert report.startswith(f"# Calibration fit report: {REGION}") and "innosd adopt" in report
    assert snapshot(home / "calibration") == shipped          # nothing written into calibration/
    again = api.write_calibration(result)                     # never overwritten: a folder of its own
    assert again != folder and (folder / "posterior.nc").read_bytes() == (again / "posterior.nc").read_bytes()


def test_cli_calibrate_prints_the_folder_and_how_to_adopt_it(home):
    shipped = snapshot(home / "calibration")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["calibrate", "--region", REGION, "--quick", "--steps", "40", "--no-holdout", "--no-progress"])
    text = out.getvalue()
    assert code == 0
    folder = Path(re.search(r"wrote (\S+)", text).group(1))
    assert (folder / "posterior.nc").is_file() and f"innosd adopt {folder}\n" in text
    assert "observations inside the 5-95 % predictive band" in text
    assert snapshot(home / "calibration") == shipped
    # each observation's influence on the region's target probabilities (PSIS leave-one-out)
    import pandas as pd
    inf = pd.read_csv(folder / "influence.csv")
    fitted = api.load_region(REGION).fit_observations()     # observations.csv and exogenous.csv points
    assert set(inf["obs_id"]) <= set(fitted["obs_id"]) and len(inf["obs_id"].unique()) >= 3
    assert inf["probability_without"].between(0, 1).all()
    assert (inf["decides"] == ((inf["probability"] >= 0.5) != (inf["probability_without"] >= 0.5))
            | (inf["change"].abs() > 0.2)).all()
    assert "Observations that decide a verdict" in (folder / "fit-report.md").read_text(encoding="utf-8")


def test_adopt_keeps_the_previous_posterior(home, calibrated):
    region_dir = home / "calibration" / REGION
    shipped = {name: sha256(region_dir / name) for name in ("posterior.nc", "fit-report.md")}
    shipped_charts = snapshot(region_dir / "fit-charts")
    folder = api.write_calibration(calibrated[0])
    done = api.adopt(folder)
    assert done.region == REGION and done.target == region_dir and done.notes == []
    assert sha256(region_dir / "posterior.nc") == sha256(folder / "posterior.nc")
    assert snapshot(region_dir / "fit-charts") == snapshot(folder / "fit-charts")
    # the posterior it replaced is kept, byte for byte
    assert done.previous.parent == region_dir / "previous" and set(done.replaced) == {"posterior.nc", "fit-report.md",
                                                                                      "fit-charts"}
    assert {name: sha256(done.previous / name) for name in shipped} == shipped
    assert snapshot(done.previous / "fit-charts") == shipped_charts
    # forecasts now draw from the adopted posterior
    assert load_posterior(REGION).attrs["steps"] == QUICK["steps"]
    # adopting again keeps both earlier posteriors, and says when the data changed since the calibration
    observations = region_dir / "observations.csv"
    text = observations.read_text(encoding="utf-8")
    observations.write_text(text + "\n", encoding="utf-8")
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            assert main(["adopt", str(folder)]) == 0
    finally:
        observations.write_text(text, encoding="utf-8")
    assert "replaced posterior.nc, fit-report.md, fit-charts: kept in" in out.getvalue()
    assert "note: the posterior was fitted to another observations.csv" in out.getvalue()
    assert len(list((region_dir / "previous").iterdir())) == 2


def test_adopt_refuses_an_altered_or_foreign_folder(home, calibrated, capsys):
    result = calibrated[0]
    workspace = snapshot(home / "calibration")
    folder = api.write_calibration(result)
    report = (folder / "fit-report.md").read_text(encoding="utf-8")
    (folder / "fit-report.md").write_text(report + "an edit after writing\n", encoding="utf-8")
    assert main(["adopt", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("innosd: error: ") and "fit-report.md: changed after it was written" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    (folder / "fit-report.md").write_text(report, encoding="utf-8")
    (folder / "posterior.nc").unlink()
    with pytest.raises(ModelError, match="posterior.nc: listed in manifest.json but missing"):
        api.adopt(folder)
    own_model = api.write_calibration(dataclasses.replace(result, region=None, name="my-model"))
    with pytest.raises(ModelError, match="a calibration of the model 'my-model', not of a region"):
        api.adopt(own_model)
    with pytest.raises(ModelError, match="no manifest.json"):
        api.adopt(home / "calibration")
    assert snapshot(home / "calibration") == workspace
