"""Read an XMILE 1.0 model (Stella, Vensim's XMILE export, innosd's own export) as an innosd model.

:func:`read_xmile` returns the :class:`~innosd.core.engine.Model` with its clock and unit
definitions; the model then runs through the one ensemble path like the shipped one.

How XMILE maps onto the equation language:

* ``<stock>`` -> stock (its ``<eqn>`` is the initial value), ``<flow>`` -> flow, ``<aux>`` ->
  constant when its equation is a number, else auxiliary; ``<gf>`` (standalone, or inside an
  aux or flow, whose equation is then the input) -> lookup, ``continuous`` interpolated
  linearly and ``discrete`` held from point to point, both flat beyond the ends;
* a flow marked ``<non_negative/>`` (a uniflow) -> ``max(0, equation)``;
* ``IF c THEN a ELSE b`` -> ``if_then_else(c, a, b)``; ``= <>`` -> ``== !=``; ``^`` -> ``**``;
  ``AND OR NOT`` -> ``and or not``;
* builtins: ABS EXP LN SQRT MIN MAX (two or more arguments) STEP, RAMP (2 or 3 arguments),
  PULSE(magnitude, first) (one time step, as magnitude / DT), SMTH1 SMTH3 DELAY1 DELAY3 (with
  an optional initial value), SMTHN/DELAYN of order 1 or 3, LOOKUP(table, x) and ``table(x)``,
  TIME, DT, STARTTIME, STOPTIME, PI;
* names are case-insensitive, spaces are underscores: ``Birth Rate`` is ``birth_rate``;
  a name that is not a valid innosd name (a Python keyword, a builtin's name) gets a
  trailing ``_var``, and the rename is reported.

Anything else (arrays, modules, macros, non-negative stocks, other builtins) is a
:class:`~innosd.core.equations.ModelError` naming the element and the construct.
Units: the file's ``<model_units>`` and any unit name pint does not know are defined as units
of their own; mismatches are returned as warnings, one line each (:func:`unit_warnings`).
"""
from __future__ import annotations

import ast
import keyword
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.engine import Model, RunSettings
from ..core.equations import FUNCTIONS, RESERVED, Element, ModelError, aux, const, flow, lookup, stock
from ..core.units import check_units, registry

_TOKEN = re.compile(r"""
    (?P<num>(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)
  | (?P<quoted>"(\\.|[^"\\])*")
  | (?P<name>[^\W\d]\w*)
  | (?P<op><>|<=|>=|[-+*/^(),=<>\[\]{}])
  | (?P<space>\s+)
""", re.VERBOSE)
_WORDS = {"if", "then", "else", "and", "or", "not", "mod"}
_CMP = {"=": ast.Eq(), "<>": ast.NotEq(), "<": ast.Lt(), "<=": ast.LtE(), ">": ast.Gt(), ">=": ast.GtE()}
#: XMILE builtin -> innosd function of the same meaning and arguments
_SAME = {"abs": "abs", "exp": "exp", "ln": "log", "sqrt": "sqrt", "step": "step", "modulo": "modulo",
         "smth1": "smooth", "smth3": "smooth3", "delay1": "delay1", "delay3": "delay3"}


class XmileError(ModelError):
    def __init__(self, path, element: str | None, message: str):
        super().__init__(f"{path}: " + (f"element '{element}': " if element else "") + message)


def innosd_name(text: str) -> str:
    """An XMILE name as an innosd name: case-insensitive, spaces and underscores alike."""
    text = text.strip().strip('"').replace("\\n", " ")
    name = re.sub(r"\W+", "_", re.sub(r"\s+", "_", text.lower())).strip("_")
    if not name or name[0].isdigit():
        name = f"v_{name}"
    if keyword.iskeyword(name) or name in RESERVED:
        name = f"{name}_var"
    return name


def innosd_units(text: str | None) -> str | None:
    """XMILE unit text in pint's syntax (``^`` is ``**``; dmnl, 1 and unitless are dimensionless)."""
    if text is None or not text.strip():
        return None
    t = text.strip()
    if t.lower() in ("dmnl", "1", "dimensionless", "unitless", "fraction"):
        return "dimensionless"
    return re.sub(r"\s+", "_", re.sub(r"\s*([*/^()])\s*", r"\1", t)).replace("^", "**")


class _Parser:
    """Recursive descent over XMILE's equation syntax, building Python ``ast`` nodes
    (whose ``ast.unparse`` is the innosd equation). Precedence, loosest first: OR, AND, NOT,
    comparisons, + -, * / MOD, unary + -, ^; IF THEN ELSE takes the rest of its operand."""

    def __init__(self, text: str, owner: str, reader: "_Reader"):
        self.owner, self.reader, self.text = owner, reader, text
        self.tokens = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m:
                self.fail(f"cannot read `{text[pos:pos + 10]}`")
            pos = m.end()
            kind = m.lastgroup
            if kind == "space":
                continue
            value = m.group(kind)
            if kind == "name" and value.lower() in _WORDS:
                kind, value = "word", value.lower()
            self.tokens.append((kind, value))
        self.i = 0

    def fail(self, why: str):
        raise XmileError(self.reader.path, self.owner, f"{why} in equation `{self.text.strip()}`")

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            self.fail(f"expected `{value}`" if value else "unexpected end")
        self.i += 1
        return tok

    def parse(self) -> ast.expr:
        if not self.tokens:
            self.fail("empty equation")
        node = self.expr()
        if self.i < len(self.tokens):
            self.fail(f"unexpected `{self.tokens[self.i][1]}`")
        return node

    def expr(self):
        if self.peek() == ("word", "if"):
            self.take()
            cond = self.expr()
            self.take("then")
            a = self.expr()
            self.take("else")
            b = self.expr()
            return self.call("if_then_else", [cond, a, b])
        return self.boolean("or")

    def boolean(self, word):
        inner = (lambda: self.boolean("and")) if word == "or" else self.negation
        values = [inner()]
        while self.peek() == ("word", word):
            self.take()
            values.append(inner())
        return values[0] if len(values) == 1 else ast.BoolOp(ast.Or() if word == "or" else ast.And(), values)

    def negation(self):
        if self.peek() == ("word", "not"):
            self.take()
            return ast.UnaryOp(ast.Not(), self.negation())
        return self.comparison()

    def comparison(self):
        left = self.additive()
        if self.peek()[0] == "op" and self.peek()[1] in _CMP:
            op = _CMP[self.take()[1]]
            return ast.Compare(left, [op], [self.additive()])
        return left

    def additive(self):
        node = self.multiplicative()
        while self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = ast.Add() if self.take()[1] == "+" else ast.Sub()
            node = ast.BinOp(node, op, self.multiplicative())
        return node

    def multiplicative(self):
        node = self.unary()
        while (self.peek()[0] == "op" and self.peek()[1] in "*/") or self.peek() == ("word", "mod"):
            tok = self.take()
            if tok[1] == "mod":
                self.fail("MOD is not in innosd's equation language")
            node = ast.BinOp(node, ast.Mult() if tok[1] == "*" else ast.Div(), self.unary())
        return node

    def unary(self):
        if self.peek()[0] == "op" and self.peek()[1] in "+-":
            sign = self.take()[1]
            inner = self.unary()
            return inner if sign == "+" else ast.UnaryOp(ast.USub(), inner)
        return self.power()

    def power(self):
        base = self.primary()
        if self.peek() == ("op", "^"):
            self.take()
            return ast.BinOp(base, ast.Pow(), self.unary())
        return base

    def primary(self):
        if self.peek() == ("word", "if"):  # IF THEN ELSE as an operand takes the rest of it
            return self.expr()
        kind, value = self.take()
        if kind == "num":
            return ast.Constant(float(value))
        if kind == "op" and value == "(":
            node = self.expr()
            self.take(")")
            return node
        if kind == "op" and value in "[{":
            self.fail("arrays (subscripts) are not supported")
        if kind in ("name", "quoted"):
            if self.peek() == ("op", "["):
                self.fail(f"arrays are not supported (`{value}[...]`)")
            if self.peek() == ("op", "("):
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.expr())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.expr())
                self.take(")")
                return self.builtin(value, args)
            return self.reference(value)
        self.fail(f"unexpected `{value}`")

    def reference(self, text):
        key = text.strip('"').strip().lower().replace(" ", "_")
        if key == "time":
            return ast.Name("time", ast.Load())
        if key == "dt":
            return ast.Name("time_step", ast.Load())
        if key in ("starttime", "stoptime"):
            return ast.Constant(self.reader.settings.start if key == "starttime" else self.reader.settings.stop)
        if key == "pi":
            return ast.Constant(math.pi)
        return ast.Name(self.reader.name_of(text, self.owner, self.text), ast.Load())

    def call(self, fn, args):
        return ast.Call(ast.Name(fn, ast.Load()), list(args), [])

    def builtin(self, text, args):
        fn = text.strip('"').strip().lower().replace(" ", "_")
        n = len(args)

        def arity(*allowed):
            if n not in allowed:
                self.fail(f"{fn.upper()} takes {' or '.join(map(str, allowed))} arguments, got {n}")

        if self.reader.is_table(text):
            arity(1)
            return self.call("lookup", [ast.Name(self.reader.name_of(text, self.owner, self.text), ast.Load()),
                                        args[0]])
        if fn == "lookup":
            arity(2)
            if not isinstance(args[0], ast.Name) or not self.reader.is_table(args[0].id):
                self.fail("the first argument of LOOKUP must be a graphical function")
            return self.call("lookup", args)
        if fn in _SAME:
            lo, hi, _ = FUNCTIONS[_SAME[fn]]
            arity(*range(lo, hi + 1))
            return self.call(_SAME[fn], args)
        if fn in ("min", "max"):
            if n < 2:
                self.fail(f"{fn.upper()} of one argument (an array) is not supported")
            return self.call(fn, args)
        if fn == "ramp":
            arity(2, 3)
            if n == 3:
                return self.call("ramp", args)
            slope, t0 = args  # no end: slope * (time - t0) from t0 on
            since = ast.BinOp(ast.Name("time", ast.Load()), ast.Sub(), t0)
            return ast.BinOp(slope, ast.Mult(), self.call("max", [ast.Constant(0.0), since]))
        if fn == "pulse":
            arity(2, 3)
            if n == 3:
                self.fail("PULSE with a repeat interval (a pulse train) is not supported")
            magnitude, first = args  # XMILE: magnitude spread over one DT
            rate = ast.BinOp(magnitude, ast.Div(), ast.Name("time_step", ast.Load()))
            return ast.BinOp(rate, ast.Mult(), self.call("pulse", [first, ast.Constant(0.0)]))
        if fn in ("smthn", "delayn"):
            arity(3, 4)
            order = args[2]
            if not isinstance(order, ast.Constant) or order.value not in (1, 3):
                self.fail(f"{fn.upper()} is supported for order 1 or 3 only")
            base = {("smthn", 1): "smooth", ("smthn", 3): "smooth3",
                    ("delayn", 1): "delay1", ("delayn", 3): "delay3"}[fn, int(order.value)]
            return self.call(base, args[:2] + args[3:])
        if fn == "if_then_else":
            arity(3)
            return self.call("if_then_else", args)
        self.fail(f"the builtin {text.strip().upper()} is not in innosd's equation language "
                  f"(supported: ABS EXP LN SQRT MIN MAX MODULO STEP RAMP PULSE SMTH1 SMTH3 DELAY1 DELAY3 LOOKUP)")


@dataclass
class ImportedModel:
    """An XMILE file read as an innosd model: the model, its clock, the unit definitions it needs
    (for :func:`innosd.core.units.check_units`) and what was renamed on the way."""
    model: Model
    settings: RunSettings
    unit_definitions: tuple[str, ...]
    path: Path
    renamed: dict[str, str] = field(default_factory=dict)
    time_units: str = "year"

    @property
    def elements(self) -> list[Element]:
        return list(self.model.declared)


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.root = ET.parse(path).getroot()
        except FileNotFoundError:
            raise XmileError(path, None, "file not found") from None
        except ET.ParseError as exc:
            raise XmileError(path, None, f"not valid XML ({exc})") from None
        ns = self.root.tag[1:].split("}")[0] if self.root.tag.startswith("{") else ""
        self.ns = {"x": ns} if ns else {}
        if self.root.tag.split("}")[-1] != "xmile":
            raise XmileError(path, None, f"expected an <xmile> document, found <{self.root.tag.split('}')[-1]}>")
        self.names: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        self.tables: set[str] = set()
        self.settings: RunSettings | None = None
        self.time_units = "year"

    def q(self, tag: str) -> str:
        return "/".join(f"x:{t}" if self.ns else t for t in tag.split("/"))

    def find(self, node, tag):
        return node.find(self.q(tag), self.ns)

    def findall(self, node, tag):
        return node.findall(self.q(tag), self.ns)

    def text(self, node, tag, default=None):
        child = self.find(node, tag)
        return child.text if child is not None and child.text is not None else default

    def name_of(self, text: str, owner: str, equation: str) -> str:
        key = innosd_name(text)
        if key not in self.names.values():
            raise XmileError(self.path, owner, f"unknown name '{text.strip()}' in equation `{equation.strip()}`")
        return key

    def is_table(self, text: str) -> bool:
        return innosd_name(text) in self.tables

    def read_settings(self) -> RunSettings:
        specs = self.find(self.root, "sim_specs")
        if specs is None:
            raise XmileError(self.path, None, "no <sim_specs> (start, stop and dt of the run)")
        method = specs.get("method", "Euler").strip().lower()
        if method not in ("euler", "rk4"):
            raise XmileError(self.path, None, f"integration method '{specs.get('method')}' is not supported "
                                              f"(innosd integrates with Euler or RK4)")
        try:
            start, stop = float(self.text(specs, "start", "0")), float(self.text(specs, "stop", "0"))
            dt_node = self.find(specs, "dt")
            dt = float(dt_node.text) if dt_node is not None else 1.0
            if dt_node is not None and dt_node.get("reciprocal", "").lower() == "true":
                dt = 1.0 / dt
        except ValueError as exc:
            raise XmileError(self.path, None, f"<sim_specs>: a number was expected ({exc})") from None
        self.time_units = (specs.get("time_units") or "year").strip()
        span = stop - start
        save = 1.0 if span > 0 and abs(span - round(span)) < 1e-9 and abs(1 / dt - round(1 / dt)) < 1e-9 else dt
        return RunSettings(start, stop, dt, method, save)


def read_xmile(path: Path | str) -> ImportedModel:
    """Read an XMILE file as an innosd :class:`Model` with its clock and unit definitions."""
    path = Path(path)
    r = _Reader(path)
    for tag, what in (("macro", "macros"), ("dimensions", "arrays (dimensions)")):
        for node in r.findall(r.root, tag):
            raise XmileError(path, node.get("name"), f"{what} are not supported")
    models = r.findall(r.root, "model")
    if not models:
        raise XmileError(path, None, "no <model>")
    if len(models) > 1:
        raise XmileError(path, models[1].get("name"), "modules (more than one <model>) are not supported")
    behavior = r.find(r.root, "behavior")
    if behavior is not None and behavior.find(".//" + r.q("non_negative"), r.ns) is not None:
        raise XmileError(path, None, "<behavior> makes stocks or flows non-negative by default; "
                                     "innosd has no non-negative stocks (remove it, or clip flows with MAX)")
    r.settings = r.read_settings()
    variables = r.find(models[0], "variables")
    nodes = [] if variables is None else list(variables)
    kinds = ("stock", "flow", "aux", "gf")
    for node in nodes:
        tag = node.tag.split("}")[-1]
        if tag == "module":
            raise XmileError(path, node.get("name"), "modules are not supported")
        if tag not in kinds:
            continue
        original = node.get("name", "")
        name = innosd_name(original)
        if name in r.names.values():
            raise XmileError(path, original, f"two elements are both '{name}' once case, spaces and "
                                             f"underscores are ignored")
        r.names[original] = name
        if name != re.sub(r"\s+", "_", original.strip().lower()):  # more than case and spaces changed
            r.renamed[original] = name
        if tag == "gf" or (tag != "stock" and r.find(node, "gf") is not None):
            r.tables.add(name if tag == "gf" else f"{name}_table")
    out: list[Element] = []
    for node in nodes:
        tag = node.tag.split("}")[-1]
        if tag in kinds:
            out.extend(_element(r, node, tag))
    header = r.find(r.root, "header")
    title = (r.text(header, "name") if header is not None else None) or path.stem
    try:
        model = Model(_with_lookup_inputs(out), name=innosd_name(title))
    except ModelError as exc:
        raise XmileError(path, None, str(exc)) from None
    return ImportedModel(model, r.settings, _unit_definitions(r, model), path, r.renamed, r.time_units)


def _points(r: _Reader, gf, owner: str) -> tuple[list[tuple[float, float]], str]:
    kind = gf.get("type", "continuous").lower()
    if kind not in ("continuous", "discrete"):
        raise XmileError(r.path, owner, f"graphical function type '{kind}' is not supported "
                                        f"(innosd lookups are continuous or discrete, flat beyond their ends)")

    def numbers(tag):
        node = r.find(gf, tag)
        if node is None or not (node.text or "").strip():
            return None
        sep = node.get("sep", ",")
        try:
            return [float(v) for v in node.text.replace("\n", sep).split(sep) if v.strip()]
        except ValueError:
            raise XmileError(r.path, owner, f"<{tag}> of its graphical function: numbers expected") from None

    ys = numbers("ypts")
    if ys is None:
        raise XmileError(r.path, owner, "a graphical function without <ypts>")
    xs = numbers("xpts")
    if xs is None:
        scale = r.find(gf, "xscale")
        if scale is None:
            raise XmileError(r.path, owner, "a graphical function needs <xpts> or <xscale>")
        lo, hi = float(scale.get("min")), float(scale.get("max"))
        xs = [lo + (hi - lo) * i / (len(ys) - 1) for i in range(len(ys))] if len(ys) > 1 else [lo]
    if len(xs) != len(ys):
        raise XmileError(r.path, owner, f"its graphical function has {len(xs)} x and {len(ys)} y points")
    return list(zip(xs, ys)), ("step" if kind == "discrete" else "linear")


def _doc_fields(doc: str | None) -> dict[str, str]:
    """English, Chinese and source from a <doc> (innosd writes them as lines, the source prefixed)."""
    en, zh, source = [], [], ""
    for line in (doc or "").splitlines():
        line = line.strip()
        if line.startswith("Source: "):
            source = line[len("Source: "):]
        elif re.search(r"[\u4e00-\u9fff]", line) and not zh:
            zh.append(line)
        elif line:
            en.append(line)
    return {"en": " ".join(en), "zh": " ".join(zh), "source": source}


def _equation(r: _Reader, text: str | None, owner: str) -> str:
    if text is None or not text.strip():
        raise XmileError(r.path, owner, "no equation")
    return ast.unparse(_Parser(text, owner, r).parse())


def _element(r: _Reader, node, tag: str) -> list[Element]:
    original = node.get("name", "")
    name = r.names[original]
    if node.find(r.q("dimensions"), r.ns) is not None or node.find(r.q("element"), r.ns) is not None:
        raise XmileError(r.path, original, "arrays (dimensions) are not supported")
    units = innosd_units(r.text(node, "units"))
    info = _doc_fields(r.text(node, "doc"))
    if info["source"] == "":
        info["source"] = f"imported from {r.path.name}"
    if tag == "gf":
        pts, interp = _points(r, node, original)
        return [lookup(name, pts, units, None, interpolation=interp, **info)]
    eqn = _equation(r, r.text(node, "eqn"), original)
    non_negative = node.find(r.q("non_negative"), r.ns)
    if tag == "stock":
        if non_negative is not None and (non_negative.text or "true").strip().lower() != "false":
            raise XmileError(r.path, original, "non-negative stocks are not supported (innosd stocks may go "
                                               "negative; remove <non_negative/> or limit the outflows)")
        ins = [r.name_of(f.text or "", original, f.text or "") for f in r.findall(node, "inflow")]
        outs = [r.name_of(f.text or "", original, f.text or "") for f in r.findall(node, "outflow")]
        return [stock(name, eqn, units, inflows=ins, outflows=outs, **info)]
    out = []
    gf = r.find(node, "gf")
    if gf is not None:
        pts, interp = _points(r, gf, original)
        out.append(lookup(f"{name}_table", pts, units, None, interpolation=interp,
                          en=f"graphical function of {name}", source=info["source"]))
        eqn = f"lookup({name}_table, {eqn})"
    if tag == "flow":
        if non_negative is not None and (non_negative.text or "true").strip().lower() != "false":
            eqn = f"max(0, {eqn})"  # a uniflow never runs backwards
        out.append(flow(name, eqn, units, **info))
    elif _number(eqn) is not None:
        out.append(const(name, _number(eqn), units, **info))
    else:
        out.append(aux(name, eqn, units, **info))
    return out


def _number(eqn: str) -> float | None:
    """The value of an equation that is a number (possibly negative), else None."""
    tree = ast.parse(eqn, mode="eval").body
    sign = 1.0
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub):
        tree, sign = tree.operand, -1.0
    return sign * tree.value if isinstance(tree, ast.Constant) else None


def _with_lookup_inputs(elements: list[Element]) -> list[Element]:
    """Lookups get the units of their input (XMILE does not state them) where every call passes the
    clock or the same element with declared units, so the unit check can check the call."""
    units = {e.name: e.units for e in elements}
    units["time"] = "year"
    seen: dict[str, set] = {}
    for el in elements:
        if el.kind == "lookup":
            continue
        for node in ast.walk(ast.parse(el.equation, mode="eval")):
            if isinstance(node, ast.Call) and node.func.id == "lookup":
                arg = node.args[1]
                seen.setdefault(node.args[0].id, set()).add(units.get(arg.id) if isinstance(arg, ast.Name) else None)
    return [replace(e, x_units=next(iter(seen[e.name])))
            if e.kind == "lookup" and e.x_units is None and len(seen.get(e.name, ())) == 1 else e
            for e in elements]


def _unit_definitions(r: _Reader, model: Model) -> tuple[str, ...]:
    """pint definitions for the file's <model_units> and for every unit name pint does not know."""
    defs: list[str] = []
    known = registry(())
    units_node = r.find(r.root, "model_units")
    declared = set()
    for unit in ([] if units_node is None else r.findall(units_node, "unit")):
        uname = innosd_units(unit.get("name", ""))
        if not uname or uname == "dimensionless":
            continue
        eqn = r.text(unit, "eqn")
        defs.append(f"{uname} = {innosd_units(eqn)}" if eqn and eqn.strip() else f"{uname} = [{uname}]")
        declared.add(uname)
        for alias in r.findall(unit, "alias"):
            a = innosd_units(alias.text or "")
            if a and a not in declared:
                defs.append(f"{a} = {uname}")
                declared.add(a)
    words = set()
    for el in model.declared:
        for text in (el.units, el.x_units):
            words.update(re.findall(r"[^\W\d]\w*", text or ""))
    for word in sorted(words - declared - {"dimensionless"}):
        if not _pint_knows(known, word):
            defs.append(f"{word} = [{word}]")
    return tuple(defs)


def _pint_knows(ureg, word: str) -> bool:
    """Whether pint knows ``word`` as a unit, spelled in full: pint also reads "unit" as micro-nit,
    and a modeller's "unit" is a unit of its own."""
    try:
        candidates = ureg.parse_unit_name(word)
    except Exception:  # pint raises several kinds for names it cannot read
        return False
    return any(len(prefix) != 1 for prefix, _, _ in candidates)


def unit_warnings(imported: ImportedModel) -> list[str]:
    """One line per units mismatch (or unreadable units) in an imported model."""
    first = []
    if imported.time_units.lower() not in ("year", "years", "yr", "a"):
        first.append(f"{imported.path.name}: time is in '{imported.time_units}', and innosd checks units with the "
                     f"clock in years: rates per {imported.time_units} show as mismatches below (the numbers "
                     f"do not depend on it)")
    try:
        return first + [str(issue) for issue in check_units(imported.model, imported.unit_definitions)]
    except ModelError as exc:
        return first + [str(exc)]
