"""Write a model as an XMILE 1.0 file that PySD (``pysd.read_xmile``) runs and Stella opens.

What is written, and how it maps:

* every declared element: stocks with their inflows and outflows, flows, auxiliaries,
  constants (as auxiliaries holding a number) and lookups (standalone graphical functions,
  called as ``table(x)``), with units and a ``<doc>`` of the English and Chinese descriptions
  and the source;
* the values a run uses: a constant set by the caller (a lever, a region's initial value, a
  parameter drawn from the posterior) is written with that value; a time series (a lever
  schedule) becomes a graphical function of ``TIME`` named ``<constant>_schedule`` (discrete
  for a step schedule, continuous for a linear one) and the constant reads it;
* ``smooth``, ``smooth3``, ``delay1`` and ``delay3`` as the XMILE builtins ``SMTH1``, ``SMTH3``,
  ``DELAY1`` and ``DELAY3``: their stages, time constants and initial values are the ones
  innosd expands them into (``innosd.core.equations.expand_stateful``), so no internal stock
  is written;
* ``step`` as ``STEP`` (Vensim's and PySD's: it switches at the first step with
  ``TIME + DT/2 > t0``); ``ramp`` and ``pulse`` written out with ``MIN``/``MAX`` and
  ``IF THEN ELSE``, because XMILE's ``RAMP`` keeps falling when the end precedes the start and
  its ``PULSE`` has no width; ``time_step`` as the run's time step, a number, because PySD
  does not read ``DT`` (an XML comment says so beside each such element);
* the model's own units in ``<model_units>`` and the clock in ``<sim_specs>``.

Model time is innosd's: the stocks at t are end-of-year-t values, and calendar year Y is
model time [Y-1, Y).
"""
from __future__ import annotations

import ast
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .. import __version__
from ..core.engine import Model, RunSettings
from ..core.equations import Element, ModelError, parse
from ..core.series import Series
from .files import atomic_write

XMILE_NAMESPACE = "http://docs.oasis-open.org/xmile/ns/XMILE/v1.0"

#: innosd function -> XMILE builtin of the same meaning (arguments in the same order)
BUILTINS = {"abs": "ABS", "exp": "EXP", "log": "LN", "sqrt": "SQRT", "step": "STEP", "modulo": "MODULO",
            "smooth": "SMTH1", "smooth3": "SMTH3", "delay1": "DELAY1", "delay3": "DELAY3"}

# XMILE operator precedence, loosest first; an operand looser than its operator is parenthesised
_OR, _AND, _NOT, _CMP, _ADD, _MUL, _NEG, _POW, _ATOM = range(1, 10)
_BINOPS = {ast.Add: ("+", _ADD), ast.Sub: ("-", _ADD), ast.Mult: ("*", _MUL), ast.Div: ("/", _MUL)}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "=", ast.NotEq: "<>"}
# A name starting with a keyword is quoted: PySD's grammar would read `not_x` as NOT _x.
_KEYWORD_PREFIXES = ("not", "and", "or", "if", "then", "else", "mod")


def number(value: float) -> str:
    """A number as XMILE text that reads back to the same float."""
    value = float(value)
    if not math.isfinite(value):
        raise ModelError(f"cannot write the number {value} to XMILE")
    return repr(value)


def xmile_name(name: str) -> str:
    return f'"{name}"' if name.lower().startswith(_KEYWORD_PREFIXES) else name


def xmile_units(units: str | None) -> str | None:
    """pint's unit syntax as XMILE's: ``**`` is ``^``, dimensionless is ``dmnl``."""
    if units is None:
        return None
    text = units.replace("**", "^").strip()
    return "dmnl" if text in ("dimensionless", "", "1") else text


class ExpressionWriter:
    """An innosd equation (its whitelisted ``ast``) as XMILE equation text.

    ``dt`` replaces ``time_step``; ``used`` collects what needed a note in the file."""

    def __init__(self, dt: float):
        self.dt = dt
        self.used: set[str] = set()

    def __call__(self, tree: ast.expr) -> str:
        return self.expr(tree)[0]

    def operand(self, node, prec: int, strict: bool = False) -> str:
        text, p = self.expr(node)
        return f"({text})" if p < prec or (strict and p == prec) else text

    def expr(self, node) -> tuple[str, int]:
        if isinstance(node, ast.Constant):
            return (number(node.value), _ATOM) if node.value >= 0 else (f"({number(node.value)})", _ATOM)
        if isinstance(node, ast.Name):
            if node.id == "time":
                return "TIME", _ATOM
            if node.id == "time_step":
                self.used.add("time_step")
                return number(self.dt), _ATOM
            return xmile_name(node.id), _ATOM
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.Pow):
                # parenthesised unless an atom: XMILE and PySD disagree on -x^2 and on a^b^c
                return f"{self.operand(node.left, _ATOM)} ^ {self.operand(node.right, _ATOM)}", _POW
            op, prec = _BINOPS[type(node.op)]
            return f"{self.operand(node.left, prec)} {op} {self.operand(node.right, prec, strict=True)}", prec
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return f"NOT {self.operand(node.operand, _CMP)}", _NOT
            if isinstance(node.op, ast.UAdd):
                return self.expr(node.operand)
            operand = node.operand
            if isinstance(operand, ast.Constant):
                return f"-{number(operand.value)}", _NEG
            # -1 * x, not -x: PySD misreads a minus before a parenthesis in some sums (-(a) / b + c ^ (-(d)))
            return f"-1 * {self.operand(operand, _MUL, strict=True)}", _MUL
        if isinstance(node, ast.Compare):
            parts, left = [], node.left
            for op, right in zip(node.ops, node.comparators):
                parts.append(f"{self.operand(left, _ADD)} {_CMPOPS[type(op)]} {self.operand(right, _ADD)}")
                left = right
            if len(parts) == 1:
                return parts[0], _CMP
            return " AND ".join(f"({p})" for p in parts), _AND
        if isinstance(node, ast.BoolOp):
            word, prec = ("AND", _AND) if isinstance(node.op, ast.And) else ("OR", _OR)
            # any other boolean operation inside is parenthesised: PySD reads AND and OR left to right
            return f" {word} ".join(self.operand(v, _NOT) for v in node.values), prec
        if isinstance(node, ast.Call):
            return self.call(node.func.id, node.args), _ATOM
        raise ModelError(f"cannot write `{ast.unparse(node)}` to XMILE")

    def call(self, fn: str, args: Sequence[ast.expr]) -> str:
        a = [self(x) for x in args]
        if fn in ("min", "max"):  # XMILE's MIN and MAX take two arguments
            out = a[-1]
            for x in reversed(a[:-1]):
                out = f"{fn.upper()}({x}, {out})"
            return out
        if fn == "clip":
            return f"MIN(MAX({a[0]}, {a[1]}), {a[2]})"
        if fn == "if_then_else":
            return f"(IF {a[0]} THEN {a[1]} ELSE {a[2]})"
        if fn == "lookup":
            return f"{xmile_name(args[0].id)}({a[1]})"
        if fn == "ramp":
            self.used.add("ramp")
            slope, t0, t1 = (self.operand(x, _MUL) for x in args)
            return f"({slope} * (MIN(MAX(TIME, {t0}), MAX({t0}, {t1})) - {t0}))"
        if fn == "pulse":
            self.used.add("pulse")
            half, dt = number(self.dt / 2), number(self.dt)
            t0, width = (self.operand(x, _ADD) for x in args)
            return (f"(IF TIME + {half} > {t0} AND TIME + {half} < {t0} + MAX({width}, {dt}) "
                    f"THEN 1 ELSE 0)")
        if fn == "pulse_train":
            self.used.add("pulse_train")
            half, dt = number(self.dt / 2), number(self.dt)
            t0, width, interval, t_end = (self.operand(x, _ADD) for x in args)
            return (f"(IF TIME + {half} > {t0} AND TIME + {half} < {t_end} + MAX({width}, {dt}) AND "
                    f"MODULO(TIME + {half} - {t0}, {interval}) < MAX({width}, {dt}) THEN 1 ELSE 0)")
        return f"{BUILTINS[fn]}({', '.join(a)})"


NOTES = {
    "time_step": "time_step is written as the run's time step ({dt}): PySD does not read XMILE's DT",
    "ramp": "ramp(slope, t0, t1) written with MIN and MAX: XMILE's RAMP keeps falling when t1 < t0",
    "pulse": "pulse(t0, width) written with IF THEN ELSE (1 while TIME + DT/2 is in (t0, t0 + max(width, DT))): "
             "XMILE's PULSE has no width",
    "pulse_train": "pulse_train(t0, width, interval, t_end) written with IF THEN ELSE and MODULO (as pulse, repeated "
                   "every interval until t_end): XMILE's PULSE repeats with no width and no end",
}


def _doc(el: Element, extra: str = "") -> str:
    lines = [el.en, el.zh, f"Source: {el.source}" if el.source else "", extra]
    return "\n".join(line for line in lines if line)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def _graphical(parent, name: str, xs, ys, *, discrete: bool, units: str | None, doc: str) -> None:
    gf = _sub(parent, "gf", name=name, type="discrete" if discrete else "continuous")
    # no <xscale>: PySD would space the points evenly between its ends
    lo, hi = float(np.min(ys)), float(np.max(ys))
    _sub(gf, "yscale", min=number(lo), max=number(hi if hi > lo else lo + 1))
    _sub(gf, "xpts", ",".join(number(x) for x in xs))
    _sub(gf, "ypts", ",".join(number(y) for y in ys))
    if units:
        _sub(gf, "units", units)
    if doc:
        _sub(gf, "doc", doc)


def _schedule(parent, el: Element, series: Series, start: float, source: str) -> str:
    """Write a time series as a graphical function of TIME; return the constant's equation."""
    if series.n_runs is not None:
        raise ModelError(f"constant '{el.name}': a schedule per run cannot be written to XMILE; choose one run")
    xs, ys = list(series.years), list(series.values)
    if len(xs) == 1:
        xs, ys = [xs[0], xs[0] + 1.0], [ys[0], ys[0]]
    name = f"{el.name}_schedule"
    doc = (f"Schedule of '{el.name}' ({source}): value from model time x on (calendar year x + 1), "
           + ("held to the next point" if series.kind == "step" else "interpolated linearly")
           + "; flat beyond the ends")
    before = series.before
    equation = f"{xmile_name(name)}(TIME)"
    if before is not None and before != ys[0] and xs[0] > start:
        if series.kind == "step":  # the value before the first point, held up to it
            xs, ys = [xs[0] - 1.0] + xs, [before] + ys
        else:
            equation = f"(IF TIME < {number(xs[0])} THEN {number(before)} ELSE {equation})"
    _graphical(parent, name, xs, ys, discrete=series.kind == "step", units=xmile_units(el.units), doc=doc)
    return equation


def to_xmile(model: Model, settings: RunSettings, *, values: Mapping[str, object] | None = None,
             unit_definitions: Sequence[str] = (), title: str | None = None, about: Sequence[str] = (),
             values_source: str = "given values") -> str:
    """The model as XMILE 1.0 text. ``values`` sets constants (numbers or Series) and lookups
    (``(xs, ys)``), as the engine's run parameters do; ``about`` lines open the file as a comment."""
    values = dict(values or {})
    for name in values:
        if name not in model.elements or model.elements[name].kind not in ("constant", "lookup"):
            raise ModelError(f"'{name}' is not a constant or lookup of the model, so it has no value to export")
    writer = ExpressionWriter(settings.dt)
    root = ET.Element("xmile", {"version": "1.0", "xmlns": XMILE_NAMESPACE})
    header = _sub(root, "header")
    _sub(header, "smile", version="1.0", namespace="std")
    _sub(header, "name", title or model.name)
    _sub(header, "vendor", "innosd")
    _sub(header, "product", "innosd", version=__version__, lang="en")
    specs = _sub(root, "sim_specs", method="RK4" if settings.method == "rk4" else "Euler", time_units="year")
    _sub(specs, "start", number(settings.start))
    _sub(specs, "stop", number(settings.stop))
    _sub(specs, "dt", number(settings.dt))
    units = _sub(root, "model_units")
    for line in unit_definitions:
        name, _, definition = (part.strip() for part in line.split("#")[0].partition("="))
        unit = _sub(units, "unit", name=name)
        if not definition.startswith("["):  # "[dimension]" declares a base unit: no equation
            _sub(unit, "eqn", definition.replace("**", "^"))
    variables = _sub(_sub(root, "model"), "variables")
    for el in model.declared:
        writer.used.clear()
        doc = _doc(el)
        if el.kind == "lookup":
            xs, ys = values.get(el.name, (tuple(p[0] for p in el.points), tuple(p[1] for p in el.points)))
            doc = _doc(el, f"Input units: {el.x_units}" if el.x_units else "")
            _graphical(variables, el.name, xs, ys, discrete=el.interpolation == "step",
                       units=xmile_units(el.units), doc=doc)
            continue
        if el.kind == "constant" and el.name in values:
            value = values[el.name]
            if isinstance(value, Series):
                equation = _schedule(variables, el, value, settings.start, values_source)
            else:
                arr = np.asarray(value, dtype=float)
                if arr.size != 1:
                    raise ModelError(f"constant '{el.name}': {arr.size} values (one per run); "
                                     f"XMILE holds one run, so choose one")
                equation = number(arr.item())
        else:
            equation = writer(parse(el.name, el.equation))
        for used in sorted(writer.used):  # why this equation is not written with the XMILE builtin
            variables.append(ET.Comment(f" {el.name}: {NOTES[used].format(dt=settings.dt)} "))
        tag = {"stock": "stock", "flow": "flow"}.get(el.kind, "aux")
        node = _sub(variables, tag, name=el.name)
        _sub(node, "eqn", equation)
        for f in el.inflows:
            _sub(node, "inflow", f)
        for f in el.outflows:
            _sub(node, "outflow", f)
        if xmile_units(el.units):
            _sub(node, "units", xmile_units(el.units))
        if doc:
            _sub(node, "doc", doc)
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode")
    intro = "".join(f"<!-- {line.replace('--', '- -')} -->\n" for line in about)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{intro}{text}\n'


def write_xmile(path: Path | str, model: Model, settings: RunSettings, **kw) -> Path:
    """Write :func:`to_xmile` to ``path`` atomically (a reader never sees half a file)."""
    text = to_xmile(model, settings, **kw)
    return atomic_write(Path(path), lambda fh: fh.write(text.encode("utf-8")))
