"""Dimensional analysis: check_units(model, definitions) -> list of UnitIssue."""
from __future__ import annotations

import pytest

from innosd.core.engine import Model
from innosd.core.equations import ModelError, aging_chain, aux, const, flow, lookup, stock
from innosd.core.units import UnitIssue, check_units

DEFINITIONS = [
    "CNY = [currency]",
    "ten_thousand_CNY = 1e4 * CNY",
    "hundred_million_CNY = 1e8 * CNY  # 亿元",
    "firm = [firm]",
    "patent = [patent]",
    "person = [person]",
]


def issues(*elements):
    return check_units(Model(list(elements)), DEFINITIONS)


def only(found, element):
    assert len(found) == 1, [str(i) for i in found]
    assert isinstance(found[0], UnitIssue) and found[0].element == element
    return found[0]


def test_a_consistent_model_has_no_issues():
    els = [
        const("gdp", 20000, "hundred_million_CNY/year"), const("rd_share", 0.03, "dmnl"),
        const("life", 8, "year"), const("cohort_time", 1, "year"),
        const("patents_per_firm", 5, "patent/firm"),
        stock("rd_capital", 4000, "hundred_million_CNY", inflows=["rd_investment"], outflows=["depreciation"]),
        flow("rd_investment", "rd_share * gdp * (1 + step(0.1, 2020))", "hundred_million_CNY/year"),
        flow("depreciation", "rd_capital / life", "hundred_million_CNY/year"),
        aux("perceived_rd", "smooth3(rd_capital, 2)", "hundred_million_CNY"),
        flow("new_firms", "delay3(rd_investment / gdp, 3) * 100 * firm_rate", "firm/year"),
        const("firm_rate", 1, "firm/year"),
        lookup("effect", [(0, 0), (1, 1)], "dmnl", "dmnl"),
        aux("effect_now", "lookup(effect, rd_capital / (gdp * life))", "dmnl"),
        aux("patents_needed", "hte_total * patents_per_firm", "patent"),
        aux("growth", "exp(-depreciation / rd_investment) + log(2)", "dmnl"),
        aux("area", "sqrt(rd_capital ** 2)", "hundred_million_CNY"),
        aux("late", "if_then_else(time > 2020 and rd_capital > 0, ramp(1, 2020, 2025), 0)", "year"),
    ] + aging_chain("hte", 3, inflow="new_firms", cohort_time="cohort_time", initial=300, units="firm",
                    final_outflow="expiry")
    assert issues(*els) == []


def test_mismatched_scale_is_reported():
    # 亿元 and 元 have the same dimension but a different scale: adding them is a mistake
    found = issues(const("a", 1, "hundred_million_CNY"), const("b", 2, "CNY"), aux("total", "a + b", "CNY"))
    issue = only(found, "total")
    assert (issue.expected, issue.found) == ("hundred_million_CNY", "CNY")
    assert "terms of `a + b` differ" in str(issue)
    # declared units with the wrong scale
    issue = only(issues(const("a", 1, "hundred_million_CNY"), aux("copy", "a", "ten_thousand_CNY")), "copy")
    assert (issue.expected, issue.found) == ("ten_thousand_CNY", "hundred_million_CNY")
    assert issue.detail == "equation"
    # min/max/clip/if_then_else branches and comparisons need equal units too
    for eq in ("min(a, b)", "max(a, b, a)", "clip(a, 0, b)", "if_then_else(a > 0, a, b)"):
        assert only(issues(const("a", 1, "hundred_million_CNY"), const("b", 2, "CNY"),
                           aux("x", eq, "hundred_million_CNY")), "x")
    assert only(issues(const("a", 1, "CNY"), const("b", 2, "firm"), aux("x", "a < b", "dmnl")), "x")


def test_flows_must_be_per_year():
    found = issues(stock("firms", 10, "firm", inflows=["births"], outflows=["deaths"]),
                   flow("births", "firms * 0.1", "firm"),                 # not per anything
                   const("death_rate", 0.01, "1/month"),
                   flow("deaths", "firms * death_rate", "firm/month"))    # per month: wrong scale
    by_element = {i.element: i for i in found}
    assert set(by_element) == {"births", "deaths"}
    assert by_element["births"].expected == "firm / year" and by_element["births"].found == "firm"
    assert "flow of stock 'firms' must be in its units per year" in str(by_element["births"])
    assert by_element["deaths"].found == "firm / month"


def test_stock_initial_value_units():
    issue = only(issues(const("start", 5, "patent"), stock("firms", "start", "firm")), "firms")
    assert issue.detail == "initial value" and (issue.expected, issue.found) == ("firm", "patent")


def test_exp_and_log_need_dimensionless_arguments():
    issue = only(issues(const("money", 5, "CNY"), aux("bad", "exp(money)", "dmnl")), "bad")
    assert issue.expected == "dimensionless" and issue.found == "CNY"
    assert "argument of exp" in issue.detail
    only(issues(const("money", 5, "CNY"), aux("bad", "log(money / 2)", "dmnl")), "bad")
    assert issues(const("money", 5, "CNY"), const("ref", 1, "CNY"), aux("ok", "log(money / ref)", "dmnl")) == []


def test_powers():
    assert issues(const("x", 2, "CNY"), aux("sq", "x ** 2", "CNY**2")) == []
    issue = only(issues(const("x", 2, "CNY"), const("p", 2, "dmnl"), aux("bad", "x ** p", "CNY**2")), "bad")
    assert "needs a literal exponent" in issue.detail
    issue = only(issues(const("x", 2, "dmnl"), const("p", 2, "year"), aux("bad", "x ** p", "dmnl")), "bad")
    assert "exponent" in issue.detail and issue.found == "year"


def test_lookup_input_units():
    table = lookup("effect", [(0, 0), (10, 1)], "dmnl", "patent/firm")
    els = [table, const("patents", 100, "patent"), const("firms", 10, "firm")]
    assert issues(*els, aux("ok", "lookup(effect, patents / firms)", "dmnl")) == []
    issue = only(issues(*els, aux("bad", "lookup(effect, patents)", "dmnl")), "bad")
    assert (issue.expected, issue.found) == ("patent / firm", "patent")
    assert "input of lookup 'effect'" in issue.detail
    # the output has the table's units
    issue = only(issues(*els, aux("out", "lookup(effect, patents / firms)", "CNY")), "out")
    assert issue.found == "dimensionless"


def test_bare_numbers_adopt_context_units():
    base = [const("money", 5, "hundred_million_CNY"), const("share", 0.3, "dmnl"),
            const("t0", 2020, "year")]
    for eq in ("money + 1", "1 - money", "2 * money", "money / 2", "-money", "max(money, 0)",
               "clip(money, 0, 10)", "if_then_else(money > 3, money, 0)", "money * (1 - share)",
               "step(money, 2020)", "step(money, t0)", "abs(money - 1)"):
        assert issues(*base, aux("x", eq, "hundred_million_CNY")) == [], eq
    assert issues(*base, aux("s", "1 - share", "dmnl"), aux("p", "pulse(2020, 1)", "dmnl"),
                  aux("r", "ramp(1, 2020, 2025)", "year"), aux("late", "time > 2020", "dmnl")) == []
    # a bare number does not rescue a wrong declaration
    issue = only(issues(*base, aux("x", "money * 2", "CNY")), "x")
    assert issue.found == "hundred_million_CNY"
    # step/ramp/pulse times are in years
    issue = only(issues(*base, aux("x", "step(1, money)", "dmnl")), "x")
    assert "start time of step" in issue.detail


def test_smooth_and_delay_units_are_inferred():
    els = [const("price", 3, "ten_thousand_CNY"),
           aux("expected_price", "smooth(price, 2)", "ten_thousand_CNY"),
           aux("wrong", "smooth3(price, 2)", "CNY"),
           stock("firms", 10, "firm", inflows=["arrivals"]), const("entry", 5, "firm/year"),
           flow("arrivals", "delay3(entry, 3)", "firm/year")]
    issue = only(issues(*els), "wrong")
    assert (issue.expected, issue.found) == ("CNY", "ten_thousand_CNY")


def test_missing_and_unreadable_units():
    issue = only(issues(const("a", 1, None)), "a")
    assert issue.expected == "declared units" and issue.found == "none"
    with pytest.raises(ModelError, match="element 'a': cannot read units 'bananas_per_fortnight'"):
        issues(const("a", 1, "bananas_per_fortnight"))


def test_dmnl_is_dimensionless():
    assert issues(const("a", 1, "dmnl"), aux("b", "a + 1", "dimensionless"), aux("c", "b", "1")) == []
