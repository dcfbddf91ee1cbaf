"""The equation language: what it rejects, how it says so, and that rejected text never runs."""
from __future__ import annotations

import os

import numpy as np
import pytest

from innosd.core.engine import AlgebraicLoopError, Model
from innosd.core.equations import EquationError, ModelError, aux, const, flow, lookup, parse, stock
from innosd.core.units import UnitIssue, check_units


def base():
    """A small valid model that the rejected equations are added to."""
    return [
        const("growth_rate", 0.1, "1/year"),
        stock("capital", 100, "CNY", inflows=["investment"]),
        flow("investment", "growth_rate * capital", "CNY/year"),
        lookup("effect_table", [(0, 0), (1, 1), (2, 1.5)], "dmnl", "dmnl"),
    ]


def reject(equation, kind=aux, units="dmnl"):
    """Build a model with one extra element ``bad`` and return the EquationError raised."""
    with pytest.raises(EquationError) as info:
        Model(base() + [kind("bad", equation, units)])
    err = info.value
    assert err.element == "bad" and err.text == equation
    assert "element 'bad'" in str(err) and f"`{equation}`" in str(err)  # names the element, quotes the text
    return err


# --- the whitelist ------------------------------------------------------------------------

@pytest.mark.parametrize("equation, reason", [
    ("__import__('os')", "function '__import__' is not allowed"),
    ("__import__('os').system('echo hi')", "only plain function names may be called"),
    ("capital.__class__", "attribute access is not allowed"),
    ("open('f')", "function 'open' is not allowed"),
    ("eval('1')", "function 'eval' is not allowed"),
    ("lambda x: x", "lambda is not allowed"),
    ("(lambda: 1)()", "only plain function names may be called"),
    ("'abc'", "only numbers are allowed as literals"),
    ("capital * 'x'", "only numbers are allowed as literals"),
    ("True", "only numbers are allowed as literals"),
    ("capital[0]", "subscripts are not allowed"),
    ("min(capital, 1, key=abs)", "'min' takes positional arguments only"),
    ("exp(1, 2)", "'exp' takes 1 arguments, got 2"),
    ("clip(capital, 0)", "'clip' takes 3 arguments, got 2"),
    ("min(capital)", "'min' takes 2 to 8 arguments, got 1"),
    ("smooth(capital)", "'smooth' takes 2 to 3 arguments, got 1"),
    ("capital if capital > 1 else 0", "use if_then_else(cond, a, b)"),
    ("[x for x in capital]", "`ListComp` expressions are not allowed"),
    ("capital // 2", "operator `FloorDiv` is not allowed"),
    ("capital @ capital", "operator `MatMult` is not allowed"),
    ("~capital", "operator `Invert` is not allowed"),
    ("capital is None", "only < <= > >= == != comparisons are allowed"),
    ("_hidden + 1", "names may not start with an underscore ('_hidden')"),
    ("capital +", "syntax error"),
    ("mim(capital, 1)", "function 'mim' is not allowed; did you mean 'min'?"),
    ("lookup(2, capital)", "the first argument of lookup must be the name of a lookup element"),
])
def test_rejected_by_whitelist(equation, reason):
    err = reject(equation)
    assert reason in err.reason


# --- equations written the Vensim way ----------------------------------------------------------

@pytest.mark.parametrize("equation, habit, write", [
    ("capital ^ 2", "`^` is `**` (`^` is exclusive or in Python)", "capital ** 2"),
    ("growth_rate * capital^0.5", "`^` is `**`", "growth_rate * capital ** 0.5"),  # Vensim's precedence kept
    ("MAX(capital, 1)", "`MAX` is `max`", "max(capital, 1)"),
    ("Min(capital, MAX(1, 2))", "`MAX` is `max`; `Min` is `min`", "min(capital, max(1, 2))"),
    ("ABS(capital - 1)", "`ABS` is `abs`", "abs(capital - 1)"),
    ("EXP(growth_rate)", "`EXP` is `exp`", "exp(growth_rate)"),
    ("LN(capital)", "`LN` is `log`", "log(capital)"),
    ("LOG(capital, 10)", "`LOG(x, base)` is log(x) / log(base)", "log(capital) / log(10)"),
    ("SQRT(capital)", "`SQRT` is `sqrt`", "sqrt(capital)"),
    ("IF THEN ELSE(capital > 1, 2, 3)", "`IF THEN ELSE` is `if_then_else`", "if_then_else(capital > 1, 2, 3)"),
    ("If_Then_Else(capital > 1, 2, 3)", "`If_Then_Else` is `if_then_else`", "if_then_else(capital > 1, 2, 3)"),
    ("STEP(10, 2020)", "`STEP` is `step`", "step(10, 2020)"),
    ("RAMP(1, 2018, 2020)", "`RAMP` is `ramp`", "ramp(1, 2018, 2020)"),
    ("PULSE(2020, 1)", "`PULSE` is `pulse`", "pulse(2020, 1)"),
    ("SMOOTH(capital, 2)", "`SMOOTH` is `smooth`", "smooth(capital, 2)"),
    ("SMOOTHI(capital, 2, 100)", "`SMOOTHI` is `smooth`", "smooth(capital, 2, 100)"),
    ("smooth3i(capital, 2, 100)", "`smooth3i` is `smooth3`", "smooth3(capital, 2, 100)"),
    ("DELAY3(investment, 2)", "`DELAY3` is `delay3`", "delay3(investment, 2)"),
    ("DELAY1I(investment, 2, 5)", "`DELAY1I` is `delay1`", "delay1(investment, 2, 5)"),
    ("XIDZ(capital, growth_rate, 1)", "`XIDZ` is if_then_else(b == 0, x, a / b)",
     "if_then_else(growth_rate == 0, 1, capital / growth_rate)"),
    ("ZIDZ(capital, growth_rate)", "`ZIDZ` is if_then_else(b == 0, 0, a / b)",
     "if_then_else(growth_rate == 0, 0, capital / growth_rate)"),
    ("POWER(capital, 2)", "`POWER(a, b)` is `a ** b`", "capital ** 2"),
    ("capital <> 2", "`<>` is `!=`", "capital != 2"),
    ("capital > 1 :AND: capital < 3", "`:AND:` is `and`", "capital > 1 and capital < 3"),
    ("capital * TIME STEP", "`TIME STEP` is `time_step`", "capital * time_step"),
    ("effect_table(capital / 100)", "a lookup is read with lookup(effect_table, x), not called like a function",
     "lookup(effect_table, capital / 100)"),
    ("bad = capital * 2", "`=` assigns, but an equation is only its right-hand side", "capital * 2"),
    ("bad := capital * 2", "`:=` assigns, but an equation is only its right-hand side", "capital * 2"),
    ("(bad := capital * 2)", "`:=` assigns", "capital * 2"),
])
def test_vensim_habits_name_the_innosd_equation(equation, habit, write):
    err = reject(equation)
    assert err.reason.startswith("written the Vensim way: ") and habit in err.reason
    assert str(err) == f"element 'bad': {err.reason} in equation `{equation}`; write `{write}`"
    Model(base() + [aux("bad", write, "dmnl")])  # what it says to write is a valid equation


def test_integ_says_how_a_stock_is_declared():
    err = reject("INTEG(investment, 100)")
    assert "INTEG: a stock is declared with stock(name, initial, units, inflows=..., outflows=...)" in err.reason
    assert err.hint is None  # a stock is a declaration, not an equation to write here


def test_with_lookup_says_how_a_lookup_is_declared():
    err = reject("WITH LOOKUP(capital, ([(0,0)-(2,2)],(0,0),(2,2)))")
    assert "declare lookup(name, points, units, x_units) and read it with lookup(name, x)" in err.reason
    assert err.hint is None


def test_vensim_habit_with_another_mistake_names_the_habit_without_a_rewrite():
    err = reject("MAX(capital, 1) // 2")
    assert err.reason == "written the Vensim way: `MAX` is `max`" and err.hint is None


@pytest.mark.parametrize("name, meant", [("TIME", "time"), ("Time", "time"), ("TIME_STEP", "time_step"),
                                         ("dt", "time_step"), ("DT", "time_step")])
def test_vensim_clock_names_suggest_innosd_ones(name, meant):
    assert f"unknown name '{name}'; did you mean '{meant}'?" in reject(f"capital * {name}").reason


def test_a_stock_passed_as_a_parameter_explains_the_init_convention():
    cm = Model(base()).compile()
    with pytest.raises(ModelError) as info:
        cm.run({"capital": [50.0, 200.0]}, start=0, stop=1)
    assert str(info.value) == ("parameter 'capital' is a stock: its initial value is its equation `100`; to set it "
                               "per run, declare const('init_capital', 100, 'CNY'), use it as the stock's initial "
                               "value (stock('capital', 'init_capital', ...)) and pass 'init_capital'")
    # following the advice: the stock starts from each run's init_capital
    els = [e for e in base() if e.name != "capital"] + [const("init_capital", 100, "CNY"),
                                                        stock("capital", "init_capital", "CNY", inflows=["investment"])]
    cm = Model(els).compile()
    ds = cm.run({"init_capital": [50.0, 200.0]}, start=0, stop=1)
    np.testing.assert_array_equal(ds["capital"].values[:, 0], [50.0, 200.0])
    with pytest.raises(ModelError, match="parameter 'capital' is a stock: it starts from its initial value "
                                         "`init_capital`; pass 'init_capital' per run instead"):
        cm.run({"capital": [50.0, 200.0]}, start=0, stop=1)


def test_parse_rejects_before_anything_else():
    with pytest.raises(EquationError, match="only plain function names may be called"):
        parse("x", "().__class__.__bases__[0].__subclasses__()")
    with pytest.raises(EquationError, match="attribute access"):
        parse("x", "().__class__")


def test_unknown_name_with_did_you_mean():
    err = reject("grwoth_rate * 2", units="1/year")
    assert "unknown name 'grwoth_rate'; did you mean 'growth_rate'?" in err.reason


def test_unknown_name_without_close_match():
    err = reject("zzzqqq + 1")
    assert err.reason == "unknown name 'zzzqqq'"


def test_lookup_must_be_called_through_lookup():
    assert "must be used as lookup(effect_table, x)" in reject("effect_table * 2").reason
    assert "'capital' is not a lookup element" in reject("lookup(capital, 1)").reason
    Model(base() + [aux("ok", "lookup(effect_table, capital / 100)", "dmnl")])  # the right way


def test_constant_defined_by_other_elements():
    err = reject("growth_rate * 2", kind=const, units="1/year")
    assert "a constant must be a number" in err.reason and "declare an auxiliary" in err.reason


def test_delay_in_stock_initial_value():
    with pytest.raises(EquationError, match="delays and smooths cannot be used in a stock's initial value"):
        Model(base() + [stock("s", "smooth(capital, 2)", "CNY")])


def test_duplicate_element_names():
    with pytest.raises(ModelError, match="element 'capital' is declared twice"):
        Model(base() + [aux("capital", "1", "CNY")])


@pytest.mark.parametrize("name", ["time", "min", "_secret", "2x", "a-b"])
def test_invalid_element_names(name):
    with pytest.raises(ModelError, match="not a valid element name"):
        Model(base() + [aux(name, "1", "dmnl")])


def test_stock_inflow_must_be_a_flow():
    els = base() + [aux("subsidy", "5", "CNY/year"), stock("fund", 0, "CNY", inflows=["subsidy"])]
    with pytest.raises(ModelError, match="stock 'fund': 'subsidy' is not a flow"):
        Model(els)
    with pytest.raises(ModelError, match="stock 'fund': 'investmnet' is not a flow; did you mean 'investment'"):
        Model(base() + [stock("fund", 0, "CNY", outflows=["investmnet"])])


def test_lookup_needs_increasing_points():
    with pytest.raises(ModelError, match="increasing x"):
        lookup("t", [(0, 1), (0, 2)], "dmnl", "dmnl")
    with pytest.raises(ModelError, match="two or more points"):
        lookup("t", [(0, 1)], "dmnl", "dmnl")


def test_unknown_parameter_override_with_did_you_mean():
    cm = Model(base()).compile()
    with pytest.raises(ModelError, match="unknown parameter 'growth_rat': not a constant of the model; "
                                         "did you mean 'growth_rate'"):
        cm.run({"growth_rat": 0.2}, start=0, stop=1)
    with pytest.raises(ModelError) as info:  # a flow is not a parameter: its equation says what is
        cm.run({"investment": 1.0}, start=0, stop=1)
    assert str(info.value) == ("unknown parameter 'investment': a flow computed by its equation "
                               "`growth_rate * capital`, not a constant; pass the constants it uses (growth_rate)")


def test_units_mismatch_is_a_unit_issue():
    els = base() + [const("fee", 3, "hundred_million_CNY"), aux("bad", "capital + fee", "CNY")]
    issues = check_units(Model(els), ["CNY = [currency]", "hundred_million_CNY = 1e8 * CNY"])
    assert len(issues) == 1 and isinstance(issues[0], UnitIssue)
    assert issues[0].element == "bad"
    assert {issues[0].expected, issues[0].found} == {"CNY", "hundred_million_CNY"}
    assert "units mismatch" in str(issues[0]) and "`capital + fee`" in str(issues[0])


def test_algebraic_loop_names_every_element():
    els = base() + [aux("a", "b + 1", "dmnl"), aux("b", "2 * c", "dmnl"),
                    flow("c", "a + capital", "dmnl"), aux("d", "a", "dmnl")]
    model = Model(els)  # the loop is found when the equations are ordered
    with pytest.raises(AlgebraicLoopError) as info:
        model.compile()
    err = info.value
    assert set(err.cycle) == {"a", "b", "c"} and err.cycle[0] == err.cycle[-1]
    assert "algebraic loop (simultaneous equations)" in str(err)
    for name in "abc":
        assert f"{name}" in str(err).split(":")[1]
    assert "break it with a stock" in str(err)
    assert isinstance(err, ModelError)


def test_self_reference_is_an_algebraic_loop():
    with pytest.raises(AlgebraicLoopError, match="x -> x"):
        Model(base() + [aux("x", "x + 1", "dmnl")]).compile()


def test_loop_in_initial_values():
    els = [stock("s", "a", "CNY", inflows=["f"]), flow("f", "0", "CNY/year"), aux("a", "s * 2", "CNY")]
    with pytest.raises(AlgebraicLoopError, match=r"initial values.*(s -> a -> s|a -> s -> a)"):
        Model(els).compile()


def test_loop_through_a_stock_or_smooth_is_fine():
    els = base() + [aux("a", "smooth(b, 1, 0) + 1", "dmnl"), aux("b", "2 * a", "dmnl")]
    ds = Model(els).compile().run(start=0, stop=1, dt=0.5)
    assert np.isfinite(ds["a"]).all()
    # with the default initial value (init = input) the smooth's initial value is itself in a loop
    els = base() + [aux("a", "smooth(b, 1) + 1", "dmnl"), aux("b", "2 * a", "dmnl")]
    with pytest.raises(AlgebraicLoopError, match="initial values"):
        Model(els).compile()


# --- rejected text never executes ------------------------------------------------------

ATTACKS = [
    "open('{p}', 'w')",
    "__import__('os').system('touch {p}')",
    "__import__('pathlib').Path('{p}').touch()",
    "().__class__.__base__.__subclasses__()",
    "exec(\"open('{p}', 'w')\")",
    "capital + open('{p}', 'w').write('x')",
    "min(capital, open('{p}', 'w'))",
]


@pytest.mark.parametrize("template", ATTACKS)
@pytest.mark.parametrize("kind", ["aux", "flow", "const", "stock_initial"])
def test_rejected_equations_do_not_execute(tmp_path, monkeypatch, template, kind):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "pwned.txt"
    eq = template.format(p=target)
    el = {"aux": lambda: aux("bad", eq, "dmnl"), "flow": lambda: flow("bad", eq, "CNY/year"),
          "const": lambda: const("bad", eq, "dmnl"),
          "stock_initial": lambda: stock("bad", eq, "CNY")}[kind]()
    with pytest.raises(ModelError):
        cm = Model(base() + [el]).compile()
        cm.run(start=0, stop=1)
    assert not target.exists() and not os.listdir(tmp_path)


def test_generated_code_has_no_builtins():
    cm = Model(base()).compile()
    assert "import" not in cm.source and "__" not in cm.source.replace("__builtins__", "")
    assert cm._rates.__globals__["__builtins__"] == {}
