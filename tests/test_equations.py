"""The equation language: what it rejects, how it says so, and that rejected text never runs."""
from __future__ import annotations

import os

import numpy as np
import pytest

from innosd.core.engine import AlgebraicLoopError, Model
from innosd.core.equations import (EquationError, ModelError, aux, const, flow, lookup, parse,
                              stock)
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
    with pytest.raises(ModelError, match="unknown parameter 'investment'"):  # a flow is not a parameter
        cm.run({"investment": 1.0}, start=0, stop=1)


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
