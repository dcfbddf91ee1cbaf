"""XMILE interop: the exported model runs in PySD with the same numbers, models written in XMILE
import and run the same as in PySD, and export -> import gives back the same numbers."""
from __future__ import annotations

import importlib.util
import shutil
import warnings
from pathlib import Path

import numpy as np
import pysd
import pytest

from innosd import api, cli
from innosd.core.engine import Model, RunSettings
from innosd.core.equations import ModelError, aux, const, flow, lookup, stock
from innosd.core.series import Series
from innosd.inputs.xmile import innosd_name, read_xmile, unit_warnings
from innosd.outputs.xmile import write_xmile
from innosd.runs.ensemble import run_ensemble, simulate
from innosd.sectors import compiled_model, shipped_model

MODELS = Path(__file__).parent / "xmile"
TOLERANCE = 1e-9  # relative, on every stock at every saved time
STOCKS = [e.name for e in shipped_model().stocks if not e.internal]


def relative_difference(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-12)))


def run_in_pysd(path: Path, names, times, folder: Path):
    """PySD's values of ``names`` (innosd names) at ``times``: PySD translates the file into a Python
    module beside it, so it reads a copy in ``folder``."""
    copy = folder / path.name
    if copy != path:
        shutil.copy(path, copy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PySD warns at every lookup read beyond its last point
        model = pysd.read_xmile(str(copy))
        real = {innosd_name(n): n for n in model.doc["Real Name"]}
        frame = model.run(return_columns=[real[n] for n in names], return_timestamps=list(times))
    return {n: frame[real[n]].to_numpy() for n in names}


# --- the shipped model in PySD -------------------------------------------------------------

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The shipped model with the Xingtai baseline and the posterior medians, exported once and run
    in both engines once (PySD takes seconds to translate 600 elements). Lever schedules are
    checked against PySD in the tricky-expressions test, and round-tripped below."""
    folder = tmp_path_factory.mktemp("export")
    path = api.export_xmile("xingtai/baseline", folder / "shipped.xmile")
    values, _ = api.export_parameters("xingtai/baseline")
    sc = api.load("xingtai/baseline")
    ours = compiled_model().run(values, **sc.settings.kwargs(), outputs=STOCKS)
    theirs = run_in_pysd(path, STOCKS, ours.time.values, folder)
    return sc, path, ours, theirs


def test_exported_shipped_model_gives_every_stock_of_innosd_in_pysd(exported):
    sc, path, ours, theirs = exported
    assert len(STOCKS) > 60 and ours.sizes["time"] == sc.stop - sc.start + 1
    worst = {name: relative_difference(ours[name].values[0], theirs[name]) for name in STOCKS}
    assert max(worst.values()) < TOLERANCE, sorted(worst.items(), key=lambda kv: -kv[1])[:3]


def test_exported_file_carries_units_docs_schedules_builtins_and_clock(exported):
    sc, path, _, _ = exported
    text = path.read_text(encoding="utf-8")
    assert '<sim_specs method="Euler" time_units="year">' in text and "<dt>0.25</dt>" in text
    assert '<unit name="hundred_million_CNY">' in text and "<units>firm/year</units>" in text
    assert "省级科技型中小企业数" in text and "Source: " in text          # documentation in both languages
    assert "SMTH1(" in text and "DELAY3(" in text and "__smooth" not in text  # builtins, not internal stocks
    assert '<gf name="super_deduction_manufacturing" type="continuous">' in text


# --- models written in XMILE: import, run, compare with PySD ---------------------------------

@pytest.mark.parametrize("path", sorted(MODELS.glob("*.xmile")), ids=lambda p: p.stem)
def test_xmile_model_imports_and_runs_as_in_pysd(path, tmp_path):
    imported = read_xmile(path)
    assert unit_warnings(imported) == []
    stocks = [e.name for e in imported.model.stocks if not e.internal]
    ours = imported.model.compile().run(None, **imported.settings.kwargs(), outputs=stocks)
    theirs = run_in_pysd(path, stocks, ours.time.values, tmp_path)
    for name in stocks:
        assert relative_difference(ours[name].values[0], theirs[name]) < TOLERANCE, name
        assert np.ptp(ours[name].values) > 0, f"{name} never moves: the comparison would prove little"


def test_discrete_graphical_function_holds_each_value_to_the_next_point():
    imported = read_xmile(MODELS / "lookups.xmile")
    table = imported.model["price_schedule"]
    assert table.interpolation == "step" and table.x_units == "year"
    ds = imported.model.compile().run(None, **imported.settings.kwargs(), outputs=["shipments"])
    demand = np.interp(ds.time.values, np.linspace(0, 20, 5), [8, 12, 15, 11, 9])
    # a value saved at t reports the period ending at t: at a switch year it shows the old price
    price = np.select([ds.time <= 5, ds.time <= 10, ds.time <= 12.5], [1.0, 0.8, 1.3], 1.0)
    np.testing.assert_allclose(ds["shipments"].values[0], demand * price, rtol=1e-12)


# --- round trip and the ensemble path ------------------------------------------------------------

def test_export_then_import_gives_the_same_numbers_for_every_element(tmp_path):
    scenario = "xingtai/innovative-xingtai-2023-2027"
    path = api.export_xmile(scenario, tmp_path / "round.xmile")
    values, _ = api.export_parameters(scenario)
    sc = api.load(scenario)
    model = api.import_model(path)
    original = compiled_model().run(values, **sc.settings.kwargs())
    again = model.compile().run(None, **sc.settings.kwargs())
    names = [e.name for e in shipped_model().declared if e.kind != "lookup"]
    assert set(names) <= set(again.data_vars)
    for name in names:
        np.testing.assert_allclose(again[name].values, original[name].values, rtol=1e-12, atol=0, err_msg=name)


def test_exported_run_k_is_run_k_of_the_scenario_ensemble(tmp_path):
    scenario, k = "xingtai/baseline", 7
    path = api.export_xmile(scenario, tmp_path / "run7.xmile", parameters=f"run:{k}")
    assert "run 7 of 1000" in path.read_text(encoding="utf-8")
    ensemble = simulate(api.load(scenario), outputs=STOCKS)
    imported = read_xmile(path)
    single = imported.model.compile().run(None, **imported.settings.kwargs(), outputs=STOCKS)
    for name in STOCKS:
        np.testing.assert_allclose(single[name].values[0], ensemble[name].values[k], rtol=1e-12, err_msg=name)


def test_imported_model_runs_through_the_ensemble_path_with_parameters_over_runs():
    imported = read_xmile(MODELS / "aging_chain.xmile")
    cm = imported.model.compile()
    rates = np.array([0.0, 0.05, 0.1])
    ds = run_ensemble(cm, {"cohort_time": np.array([1.0, 2.0, 3.0])}, 3, imported.settings, outputs=["certified"])
    for i, t in enumerate([1.0, 2.0, 3.0]):
        one = cm.run({"cohort_time": t}, **imported.settings.kwargs(), outputs=["certified"])
        np.testing.assert_array_equal(ds["certified"].values[i], one["certified"].values[0])
    assert len(set(np.round(ds["certified"].values[:, -1], 6))) == len(rates)


def test_tricky_expressions_are_written_so_pysd_reads_them_as_innosd_does(tmp_path):
    """Precedence, chained comparisons, many-argument MIN, clip, ramp and a pulse with a width, a
    step lookup, a third-order smooth with an initial value, time_step, and lever schedules (step
    with a value before its first point, linear), against PySD."""
    elements = [
        stock("x", "2", "widget", inflows=["grow"], outflows=["shrink"]),
        flow("grow", "(-x ** 2 / 40 + 2 ** -(x / 10) + min(x, 3, 2 + x / 4, 5) - clip(x, 1, 4) / 2)"
                     " / unit_time * if_then_else(0 < x < 50 and not (x > 40 or time > 2028), 1, 0.5)", "widget/year"),
        flow("shrink", "x / (tau * (1 + x / (x + 10))) - (x - (x - 1)) / unit_time"
                       " + ramp(slope, 2018, 2021) + 4 * pulse(2020, 1.5) / unit_time * time_step / time_step"
                       " + lookup(policy, time) * smooth3(x, tau, 3) / tau + (lever - ramp_lever) * x / tau",
             "widget/year"),
        stock("memory", "0", "widget", inflows=["remember"]),
        flow("remember", "delay1(grow, tau / 2) - delay3(shrink, tau, 0.5)", "widget/year"),
        const("tau", 2.5, "year"), const("unit_time", 1, "year"), const("slope", 0.3, "widget/year/year"),
        lookup("policy", [(2015, 0.0), (2019, 0.2), (2024, 0.05)], "dimensionless", "year", interpolation="step"),
        aux("not_a_keyword", "x", "widget"), const("lever", 0.1, "dimensionless"),
        const("ramp_lever", 0.0, "dimensionless"),
    ]
    schedules = {"lever": Series([2019, 2022], [0.3, -0.2], kind="step", before=0.1),
                 "ramp_lever": Series([2017, 2020, 2025], [0.0, 0.4, 0.1], kind="linear", before=-0.3)}
    model = Model(elements, name="tricky")
    settings = RunSettings(2015, 2030, 0.125)
    path = write_xmile(tmp_path / "tricky.xmile", model, settings, values=schedules)
    ours = model.compile().run(schedules, **settings.kwargs(), outputs=["x", "memory"])
    theirs = run_in_pysd(path, ["x", "memory"], ours.time.values, tmp_path)
    for name in ("x", "memory"):
        assert relative_difference(ours[name].values[0], theirs[name]) < TOLERANCE, name
    text = path.read_text(encoding="utf-8")
    assert "PySD does not read XMILE's DT" in text and "XMILE's PULSE has no width" in text
    again = read_xmile(path).model.compile().run(None, **settings.kwargs(), outputs=["x", "memory"])
    for name in ("x", "memory"):
        np.testing.assert_allclose(again[name].values, ours[name].values, rtol=1e-12)


# --- the commands -----------------------------------------------------------------------------

def test_import_command_writes_a_python_module_that_rebuilds_the_model(tmp_path, capsys):
    out = tmp_path / "delays_model.py"
    assert cli.main(["import", str(MODELS / "delays.xmile"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "3 stocks, 4 flows, 3 auxiliaries, 1 constants, 0 lookups" in printed and "units: 0 mismatch(es)" in printed
    spec = importlib.util.spec_from_file_location("delays_model", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    imported = read_xmile(MODELS / "delays.xmile")
    assert module.model().declared == imported.model.declared
    assert module.SETTINGS == imported.settings and module.UNIT_DEFINITIONS == imported.unit_definitions
    assert "delay3(orders, delivery_time, 18.0)" in out.read_text(encoding="utf-8")
    # never overwritten
    assert cli.main(["import", str(MODELS / "delays.xmile"), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_import_reports_unit_mismatches_as_warnings_one_line_each(tmp_path, capsys):
    text = (MODELS / "aging_chain.xmile").read_text(encoding="utf-8")
    text = text.replace('<aux name="cohort_time"><eqn>1</eqn><units>year</units>',
                        '<aux name="cohort_time"><eqn>1</eqn><units>firm</units>')
    path = tmp_path / "wrong_units.xmile"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["import", str(path)]) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("warning:")]
    assert lines and all("units mismatch" in ln for ln in lines)
    assert any(ln.startswith("warning: element 'aging_1'") and "expected 'firm / year'" in ln for ln in lines)


UNSUPPORTED = {
    "arrays": ('<aux name="sales"><dimensions><dim name="region"/></dimensions><eqn>1</eqn></aux>',
               "element 'sales': arrays"),
    "module": ('<module name="factory"/>', "element 'factory': modules are not supported"),
    "builtin": ('<aux name="wave"><eqn>SIN(TIME)</eqn></aux>', "element 'wave': the builtin SIN is not in"),
    "fixed delay": ('<aux name="late"><eqn>DELAY(TIME, 2)</eqn></aux>', "element 'late': the builtin DELAY is not"),
    "pulse train": ('<aux name="kicks"><eqn>PULSE(1, 2, 3)</eqn></aux>', "element 'kicks': PULSE with a repeat"),
    "non-negative stock": ('<stock name="tank"><eqn>1</eqn><non_negative/></stock>', "element 'tank': non-negative"),
    "subscript": ('<aux name="pick"><eqn>sales[north]</eqn></aux>', "element 'pick': arrays are not supported"),
    "unknown name": ('<aux name="typo"><eqn>capaciti * 2</eqn></aux>', "element 'typo': unknown name 'capaciti'"),
}


@pytest.mark.parametrize("case", UNSUPPORTED, ids=str)
def test_unsupported_xmile_is_one_line_naming_the_element(case, tmp_path, capsys):
    snippet, expected = UNSUPPORTED[case]
    path = tmp_path / "model.xmile"
    path.write_text('<xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">'
                    '<header><vendor>x</vendor><product>x</product></header>'
                    '<sim_specs><start>0</start><stop>10</stop><dt>1</dt></sim_specs>'
                    f'<model><variables><aux name="capacity"><eqn>3</eqn></aux>{snippet}</variables></model>'
                    '</xmile>', encoding="utf-8")
    with pytest.raises(ModelError, match=expected.replace("[", r"\[")):
        read_xmile(path)
    assert cli.main(["import", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and expected in err


def test_import_reads_lookup_calls_spaced_names_and_clock_words(tmp_path):
    path = tmp_path / "spelling.xmile"
    path.write_text('<?xml version="1.0"?><xmile version="1.0" xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0">'
                    '<header><name>Spelling</name></header>'
                    '<sim_specs method="RK4"><start>1</start><stop>5</stop><dt reciprocal="true">4</dt></sim_specs>'
                    '<model><variables>'
                    '<gf name="Effect Table"><xpts>0,10</xpts><ypts>0,1</ypts></gf>'
                    '<aux name="Birth Rate"><eqn>LOOKUP(Effect_Table, TIME) + "Effect Table"(STARTTIME) + DT'
                    ' * (STOPTIME - 5)</eqn></aux>'
                    '<aux name="lookup"><eqn>-2.5</eqn></aux>'
                    '</variables></model></xmile>', encoding="utf-8")
    imported = read_xmile(path)
    assert imported.settings == RunSettings(1.0, 5.0, 0.25, "rk4", 1.0)
    assert imported.model["birth_rate"].equation == \
        "lookup(effect_table, time) + lookup(effect_table, 1.0) + time_step * (5.0 - 5.0)"
    assert imported.model["lookup_var"].equation == "-2.5" and imported.renamed == {"lookup": "lookup_var"}
    ds = imported.model.compile().run(None, **imported.settings.kwargs())
    np.testing.assert_allclose(ds["birth_rate"].values[0], ds.time.values / 10 + 0.1)


def test_export_command_writes_once_and_explains_bad_parameters(tmp_path, capsys):
    out = tmp_path / "xt.xmile"
    assert cli.main(["export", "xingtai/baseline", "--format", "xmile", "-o", str(out)]) == 0
    assert "posterior medians" in capsys.readouterr().out and out.stat().st_size > 100_000
    before = out.read_bytes()
    assert cli.main(["export", "xingtai/baseline", "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == before
    assert cli.main(["export", "xingtai/baseline", "-o", str(tmp_path / "b.xmile"), "--parameters", "run:1000"]) == 2
    assert "runs 0 to 999" in capsys.readouterr().err
    assert cli.main(["export", "xingtai/baseline", "-o", str(tmp_path / "c.xmile"), "--parameters", "mean"]) == 2
    assert "expected 'median' or 'run:K'" in capsys.readouterr().err
