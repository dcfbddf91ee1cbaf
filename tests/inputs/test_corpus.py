"""A corpus of bad inputs (tests/inputs/corpus/): every file a user edits and every command.

Each case must end with exit status 2, one line on stderr starting ``innosd: error:`` that contains
the expected words, no traceback, and nothing written (no results folder, no data file changed).

* ``edits.csv``: one text edit of one shipped data file in a copy of the workspace, then a command;
* ``scenarios/*.yaml``: a scenario file run as it is (its first line says what the error names);
* ``commands.csv``: arguments of every command (``{ws}`` is the workspace).

The property tests below mutate valid scenario and data files at random: whatever the mutation,
innosd either runs or says one line; it never raises anything but its own error.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from innosd import cli
from innosd.core.equations import ModelError

CORPUS = Path(__file__).parent / "corpus"
EDITS = list(csv.DictReader(open(CORPUS / "edits.csv", encoding="utf-8")))
COMMANDS = list(csv.DictReader(open(CORPUS / "commands.csv", encoding="utf-8")))
SCENARIOS = sorted(p for p in (CORPUS / "scenarios").glob("*.yaml"))
RUN = ["run", "xingtai/baseline", "--runs", "2", "--no-charts"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from conftest import copy_data
    return copy_data(tmp_path_factory.mktemp("template"))


@pytest.fixture
def ws(template, tmp_path, monkeypatch):
    """A fresh copy of the workspace for one case (posterior and fit charts linked, not copied)."""
    folder = tmp_path / "ws"
    shutil.copytree(template, folder, copy_function=_link_or_copy)
    monkeypatch.delenv("INNOSD_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def _link_or_copy(src, dst):
    if src.endswith((".nc", ".png", ".svg")):  # never edited by a case: hard links are enough
        try:
            return shutil.os.link(src, dst)
        except OSError:
            pass
    return shutil.copy2(src, dst)


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _fails_cleanly(args: list[str], ws: Path, expect: str, capsys) -> None:
    before = _snapshot(ws)
    status = cli.main(["--home", str(ws), *args] if args[0] != "--home" else args)
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert status == 2, f"exit {status}, stderr: {err}"
    assert len(lines) == 1, err
    assert lines[0].startswith("innosd: error:"), err
    assert "Traceback" not in err
    assert expect in lines[0], lines[0]
    assert _snapshot(ws) == before, "a file was written or changed"
    assert not any((ws / "results").iterdir()) if (ws / "results").exists() else True


def _args(text: str, ws: Path) -> list[str]:
    return shlex.split(text.replace("{ws}", str(ws)))


def test_corpus_is_large():
    assert len(EDITS) + len(COMMANDS) + len(SCENARIOS) >= 80
    kinds = {Path(e["file"]).name for e in EDITS}
    assert {"observations.csv", "exogenous.csv", "targets.csv", "priors.csv", "levers.csv", "indicators.csv",
            "profile.yaml", "behaviour-checks.yaml"} <= kinds


@pytest.mark.parametrize("case", EDITS, ids=[e["case"] for e in EDITS])
def test_bad_data_file(case, ws, capsys):
    path = ws / case["file"]
    new = case["new"]
    if "\\x" in new:  # raw bytes, e.g. a binary file
        path.write_bytes(codecs.decode(new, "unicode_escape").encode("latin-1"))
    elif case["old"] == "*":
        path.write_text(new, encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
        assert case["old"] in text, f"{case['case']}: the text to edit is not in {case['file']}"
        path.write_text(text.replace(case["old"], new, 1), encoding="utf-8")
    args = RUN if case["command"] == "run" else shlex.split(case["command"])
    _fails_cleanly(args, ws, case["expect"], capsys)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_bad_scenario_file(path, ws, capsys):
    expect = path.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect:").strip()
    target = ws / "scenarios" / "xingtai" / "corpus"
    shutil.copytree(path.parent, target)
    _fails_cleanly(["run", str(target / path.name), "--runs", "2", "--no-charts"], ws, expect, capsys)


@pytest.mark.parametrize("case", COMMANDS, ids=[c["case"] for c in COMMANDS])
def test_bad_command(case, ws, capsys):
    _fails_cleanly(_args(case["args"], ws), ws, case["expect"], capsys)


def test_a_table_passed_to_the_api_is_checked_like_the_file(home):
    import pandas as pd

    from innosd.inputs.region import observations_in_model_units
    from innosd.inputs.tables import DataError
    df = pd.read_csv(home / "calibration/xingtai/observations.csv", dtype=str, keep_default_na=False)
    df.loc[2, "value"] = "约530家"
    with pytest.raises(DataError, match="my table:4:value: '约530家' is not valid; expected a finite number; "
                                        "did you mean 530"):
        observations_in_model_units(df, "my table")


# ---- properties: random mutations of valid files never end in a traceback ------------------------------

BASE_SCENARIO = {"name": "x", "region": "xingtai", "levers": {"tech_sme_cultivation": 200},
                 "period": {"start": 2015, "stop": 2030}}
values = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                   st.text(max_size=12), st.lists(st.integers(), max_size=3),
                   st.dictionaries(st.one_of(st.integers(1900, 2200), st.floats(), st.text(max_size=5)),
                                   st.one_of(st.floats(), st.integers(), st.text(max_size=5)), max_size=3))
keys = st.sampled_from(["levers", "exogenous", "parameters", "period", "uncertainty", "dt", "name", "region",
                        "description", "method", "extends"])
inner = st.sampled_from(["tech_sme_cultivation", "gdp_growth_rate", "init_hte_count", "start", "stop", "runs",
                         "seed", "parameters", "fiscal_st_share_growth", "科技型中小企业", "nope"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=keys, sub=inner, value=values)
@example(key="levers", sub="tech_sme_cultivation", value={})  # an empty schedule once tracebacked
def test_mutated_scenario_never_tracebacks(home, tmp_path_factory, key, sub, value):
    from innosd.inputs.scenario import load_scenario
    doc = yaml.safe_load(yaml.safe_dump(BASE_SCENARIO))
    doc[key] = {sub: value} if key in ("levers", "exogenous", "parameters", "period", "uncertainty") else value
    path = tmp_path_factory.mktemp("mutant") / "s.yaml"
    try:
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    except (ValueError, yaml.YAMLError):  # not representable as YAML at all
        return
    try:
        load_scenario(path)
    except ModelError as exc:
        assert "\n" not in str(exc)


cells = st.one_of(st.text(max_size=10), st.sampled_from(["nan", "inf", "-1", "1e400", "15%", "约530家", "二〇二〇",
                                                          "", "0", "2020.5", "fitt", "hte_cout", "firm/year"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, 20), column=st.integers(0, 11), cell=cells,
       table=st.sampled_from(["observations", "targets", "priors", "levers"]))
@example(row=0, column=0, cell="\n", table="observations")  # once printed raw, breaking the line
def test_mutated_table_never_tracebacks(home, row, column, cell, table):
    import pandas as pd

    from innosd.inputs.validate import validate_table
    path = {"observations": home / "calibration/xingtai/observations.csv", "targets": home / "calibration/targets.csv",
            "priors": home / "calibration/priors.csv", "levers": home / "scenarios/levers.csv"}[table]
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.iat[row % len(df), column % len(df.columns)] = cell
    try:
        validate_table(df, table, path.name)
    except ModelError as exc:
        assert "\n" not in str(exc)
