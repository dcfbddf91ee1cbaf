"""Dimensional analysis of a model with pint.

The checker infers the units of every equation from the units of its inputs and reports
each mismatch with the element's name, the units expected and the units found.

Rules (Vensim's, with one leniency stated here):
* ``a + b``, ``a - b``, comparisons, ``min``/``max``/``clip``/``if_then_else`` branches
  need equal units — the same dimension *and* the same scale (亿元 is not 万元);
* ``*`` and ``/`` combine units; ``x ** n`` needs a literal ``n`` unless ``x`` is
  dimensionless; ``exp``/``log`` need a dimensionless argument;
* a bare number takes the units its context needs (``x + 1`` has the units of ``x``;
  ``2 * x`` those of ``x``): planners write ``1 - share`` and ``0.5 * rate``;
* a stock's inflows and outflows must have the stock's units per year; its initial value
  the stock's units; a lookup's input the table's declared ``x_units``;
* ``time`` and ``time_step`` are in years.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import pint

from .engine import Model
from .equations import ModelError

ANY = "any units"  # marker for a bare number


@dataclass(frozen=True)
class UnitIssue:
    element: str
    expected: str
    found: str
    detail: str = ""

    def __str__(self) -> str:
        msg = f"element '{self.element}': units mismatch: expected '{self.expected}', found '{self.found}'"
        return msg + (f" ({self.detail})" if self.detail else "")


class _Mismatch(Exception):
    def __init__(self, expected, found, detail):
        self.expected, self.found, self.detail = expected, found, detail


@lru_cache(maxsize=8)
def registry(definitions: tuple[str, ...] = ()) -> pint.UnitRegistry:
    ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    for line in definitions:
        line = line.split("#")[0].strip()
        if line:
            ureg.define(line)
    return ureg


class UnitChecker:
    def __init__(self, model: Model, definitions: Sequence[str] = ()):
        self.model = model
        self.ureg = registry(tuple(definitions))
        self.year = self.ureg.year
        self._inferred: dict[str, object] = {}

    def parse(self, text: str, element: str):
        try:
            return self.ureg.parse_units(text.replace("dmnl", "dimensionless"))
        except (pint.errors.PintError, AttributeError, TypeError, ValueError, SyntaxError) as exc:
            raise ModelError(f"element '{element}': cannot read units '{text}' ({exc})") from None

    def same(self, a, b) -> bool:
        if a is ANY or b is ANY:
            return True
        if a.dimensionality != b.dimensionality:
            return False
        factor = (self.ureg.Quantity(1, a) / self.ureg.Quantity(1, b)).to("dimensionless").magnitude
        return abs(factor - 1) < 1e-9

    def fmt(self, u) -> str:
        if u is ANY:
            return ANY
        s = str(u) if u != self.ureg.dimensionless else "dimensionless"
        return s or "dimensionless"

    def units_of(self, name: str):
        """Declared units of an element, or (internal elements) the units inferred for it."""
        el = self.model[name]
        if el.units is not None:
            return self.parse(el.units, name)
        if name not in self._inferred:
            self._inferred[name] = ANY  # guard against recursion through internal loops
            self._inferred[name] = self._internal_units(el)
        return self._inferred[name]

    def _internal_units(self, el):
        """Units of the stocks and flows that a smooth or delay expands into.

        A smooth's stage holds its input's units; a delay's pipeline holds the input flow
        integrated over time.  Derived from the input, since delay times are often bare numbers.
        """
        times = lambda u, k: ANY if u is ANY else u * k  # noqa: E731  (a bare number stays "any units")
        if el.kind == "stock" and el.inflows and el.inflows[0].endswith("_in"):  # delay stage 1
            return times(self.units_of(el.inflows[0]), self.year)
        if el.kind == "stock" and "_l" in el.name.rsplit("__", 1)[-1]:           # delay stage k
            return times(self.units_of(el.inflows[0]), self.year)
        if el.kind == "stock" and el.inflows and el.inflows[0].endswith("_change"):  # smooth stage
            # its input's units (the change flow is (input - stage) / time): the initial value may be a bare number
            change = self.model.trees[el.inflows[0]]
            found = self.infer(el.name, change.left.left)
            return found if found is not ANY else self.infer(el.name, self.model.trees[el.name])
        if el.kind == "flow" and el.name.endswith("_change"):                     # smooth stage rate
            return times(self.units_of(el.name[: -len("_change")]), 1 / self.year)
        if el.kind == "flow" and "_out" in el.name.rsplit("__", 1)[-1]:            # delay outflow
            stage = el.name.rsplit("_out", 1)
            return times(self.units_of(f"{stage[0]}_l{stage[1]}"), 1 / self.year)
        return self.infer(el.name, self.model.trees[el.name])

    def infer(self, owner: str, node: ast.AST):
        u = lambda n: self.infer(owner, n)  # noqa: E731
        if isinstance(node, ast.Constant):
            return ANY
        if isinstance(node, ast.Name):
            if node.id in ("time", "time_step"):
                return self.year
            return self.units_of(node.id)
        if isinstance(node, ast.UnaryOp):
            inner = u(node.operand)
            return self.ureg.dimensionless if isinstance(node.op, ast.Not) else inner
        if isinstance(node, ast.BinOp):
            a, b = u(node.left), u(node.right)
            if isinstance(node.op, (ast.Add, ast.Sub)):
                return self.unify(a, b, node)
            if isinstance(node.op, ast.Pow):
                if a is ANY:
                    return ANY
                if isinstance(node.right, ast.Constant):
                    return a ** node.right.value
                if b is not ANY and not self.same(b, self.ureg.dimensionless):
                    raise _Mismatch("dimensionless", self.fmt(b), f"exponent in `{ast.unparse(node)}`")
                if not self.same(a, self.ureg.dimensionless):
                    raise _Mismatch("dimensionless", self.fmt(a),
                                    f"a base with units needs a literal exponent in `{ast.unparse(node)}`")
                return a
            if a is ANY and b is ANY:
                return ANY
            a = self.ureg.dimensionless if a is ANY else a
            b = self.ureg.dimensionless if b is ANY else b
            return a * b if isinstance(node.op, ast.Mult) else a / b
        if isinstance(node, ast.Compare):
            units = [u(node.left)] + [u(c) for c in node.comparators]
            for b in units[1:]:
                self.unify(units[0], b, node)
            return self.ureg.dimensionless
        if isinstance(node, ast.BoolOp):
            return self.ureg.dimensionless
        if isinstance(node, ast.Call):
            return self.call(owner, node)
        raise _Mismatch("?", "?", f"cannot infer units of `{ast.unparse(node)}`")

    def unify(self, a, b, node):
        if a is ANY:
            return b
        if b is ANY or self.same(a, b):
            return a
        raise _Mismatch(self.fmt(a), self.fmt(b), f"terms of `{ast.unparse(node)}` differ")

    def call(self, owner, node: ast.Call):
        fn, args = node.func.id, node.args
        u = lambda n: self.infer(owner, n)  # noqa: E731
        dimless = self.ureg.dimensionless
        if fn in ("min", "max", "clip"):
            out = u(args[0])
            for a in args[1:]:
                out = self.unify(out, u(a), node)
            return out
        if fn == "abs":
            return u(args[0])
        if fn in ("exp", "log"):
            self.expect(u(args[0]), dimless, f"argument of {fn} in `{ast.unparse(node)}`")
            return dimless
        if fn == "sqrt":
            a = u(args[0])
            return ANY if a is ANY else a ** 0.5
        if fn == "if_then_else":
            u(args[0])
            return self.unify(u(args[1]), u(args[2]), node)
        if fn == "step":
            self.expect(u(args[1]), self.year, f"start time of step in `{ast.unparse(node)}`")
            return u(args[0])
        if fn == "ramp":
            for a in args[1:]:
                self.expect(u(a), self.year, f"times of ramp in `{ast.unparse(node)}`")
            s = u(args[0])
            return ANY if s is ANY else s * self.year
        if fn == "modulo":
            self.expect(u(args[1]), u(args[0]), f"divisor of modulo in `{ast.unparse(node)}`")
            return u(args[0])
        if fn == "pulse_train":
            for a in args:
                self.expect(u(a), self.year, f"times of pulse_train in `{ast.unparse(node)}`")
            return dimless
        if fn == "pulse":
            for a in args:
                self.expect(u(a), self.year, f"times of pulse in `{ast.unparse(node)}`")
            return dimless
        if fn == "lookup":
            table = self.model[args[0].id]
            self.expect(u(args[1]), self.parse(table.x_units or "dimensionless", table.name),
                        f"input of lookup '{table.name}'")
            return self.parse(table.units, table.name)
        raise _Mismatch("?", "?", f"no unit rule for function '{fn}'")

    def expect(self, found, expected, detail):
        if not self.same(found, expected):
            raise _Mismatch(self.fmt(expected), self.fmt(found), detail)

    def check(self) -> list[UnitIssue]:
        issues: list[UnitIssue] = []
        m = self.model
        for el in m.elements.values():
            try:
                if el.units is None and not el.internal:
                    issues.append(UnitIssue(el.name, "declared units", "none"))
                    continue
                if el.kind == "lookup":
                    self.parse(el.units, el.name)
                    self.parse(el.x_units or "dimensionless", el.name)
                    continue
                declared = self.units_of(el.name)
                if el.kind != "constant" and not el.internal:
                    found = self.infer(el.name, m.trees[el.name])
                    if not self.same(found, declared):
                        what = "initial value" if el.kind == "stock" else "equation"
                        issues.append(UnitIssue(el.name, self.fmt(declared), self.fmt(found), what))
                if el.kind == "stock":
                    want = declared / self.year if declared is not ANY else ANY
                    for f in el.inflows + el.outflows:
                        fu = self.units_of(f)
                        if not self.same(fu, want):
                            issues.append(UnitIssue(f, self.fmt(want), self.fmt(fu),
                                                    f"flow of stock '{el.name}' must be in its units per year"))
            except _Mismatch as mm:
                issues.append(UnitIssue(el.name, mm.expected, mm.found, mm.detail))
        return issues


def check_units(model: Model, definitions: Sequence[str] = ()) -> list[UnitIssue]:
    return UnitChecker(model, definitions).check()
