"""Element declarations and the safe equation language.

A model is a list of :class:`Element` declarations.  Each element is declared once, with
its equation as text, its units, a description in Chinese and English and its source.
Equation text is a small subset of Python expression syntax, parsed with :mod:`ast` and
checked against a whitelist *before* anything is compiled:

* names of other elements, ``time`` (the simulation clock, in years) and ``time_step``;
* numbers (int or float literals);
* ``+ - * / **``, unary minus, comparisons ``< <= > >= == !=``, ``and``/``or``/``not``;
* calls to the functions in :data:`FUNCTIONS`, by plain name, with positional arguments.

Anything else (attribute access, subscripts, strings, lambdas, comprehensions, keyword
arguments, calls to anything outside the whitelist) raises :class:`EquationError` naming
the element and quoting the offending text.  Because only whitelisted nodes reach the
code generator, an equation cannot execute arbitrary code.  An equation written the Vensim
way (``x ^ 2``, ``MAX(a, b)``, ``IF THEN ELSE(c, a, b)``, ``INTEG(...)``, ``a = b``, a lookup
called like a function) is rejected with the innosd spelling and, when it can be rewritten,
the equation to write instead.

Stateful functions (``smooth``, ``smooth3``, ``delay1``, ``delay3``) are rewritten here
into internal stocks and flows, so the engine only ever integrates plain stocks.

How to write a model of your own with these helpers, check its units, run, calibrate and
analyse it, and export it to XMILE: ``docs/writing-a-model.md`` (executed by the tests).
"""
from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, replace
from typing import Collection, Sequence

from .names import closest, nearest  # noqa: F401 (re-exported: sectors and engine use them)

KINDS = ("stock", "flow", "auxiliary", "constant", "lookup")
#: How a lookup reads between its points: straight lines, or each point's value held up to the next
#: (an XMILE discrete graphical function; a lever schedule written to XMILE comes back as one).
INTERPOLATIONS = ("linear", "step")

#: Functions an equation may call: name -> (min args, max args, one-line semantics).
#: Conventions follow Vensim where Vensim has the function (docs/writing-a-model.md lists what a Vensim
#: user trips on).
FUNCTIONS: dict[str, tuple[int, int, str]] = {
    "min": (2, 8, "element-wise minimum of its arguments"),
    "max": (2, 8, "element-wise maximum of its arguments"),
    "abs": (1, 1, "absolute value"),
    "exp": (1, 1, "e to the power x (x dimensionless)"),
    "log": (1, 1, "natural logarithm (x dimensionless)"),
    "sqrt": (1, 1, "square root"),
    "modulo": (2, 2, "modulo(x, y): the remainder of x / y, with the sign of y (Vensim and XMILE MODULO)"),
    "clip": (3, 3, "clip(x, lo, hi): x limited to [lo, hi]"),
    "if_then_else": (3, 3, "if_then_else(cond, a, b): a where cond holds, else b (both evaluated, as Vensim IF THEN "
                           "ELSE)"),
    "step": (2, 2, "step(height, t0): 0 before t0, height from t0 on (Vensim STEP, switches when time + dt/2 > t0)"),
    "ramp": (3, 3, "ramp(slope, t0, t1): 0 before t0, slope*(time-t0) until t1, then constant (Vensim RAMP)"),
    "pulse": (2, 2, "pulse(t0, width): 1 for t0 <= time < t0+width, else 0; width 0 means one time step "
                    "(Vensim PULSE)"),
    "pulse_train": (4, 4, "pulse_train(t0, width, interval, t_end): a pulse every interval from t0 to t_end "
                          "(Vensim PULSE TRAIN); width 0 means one time step"),
    "lookup": (2, 2, "lookup(table, x): piecewise-linear graphical function, flat beyond its end points (Vensim WITH "
                     "LOOKUP); a table declared with interpolation='step' holds each point's value up to the next "
                     "point (XMILE discrete)"),
    "smooth": (2, 3, "smooth(x, tau[, init]): first-order exponential smooth (Vensim SMOOTH/SMOOTHI); init defaults "
                     "to x"),
    "smooth3": (2, 3, "smooth3(x, tau[, init]): third-order smooth, three stages of tau/3 (Vensim SMOOTH3/SMOOTH3I)"),
    "delay1": (2, 3, "delay1(x, tau[, init]): first-order material delay of a flow (Vensim DELAY1/DELAY1I)"),
    "delay3": (2, 3, "delay3(x, tau[, init]): third-order material delay, Erlang-3 response (Vensim DELAY3/DELAY3I)"),
}
STATEFUL = ("smooth", "smooth3", "delay1", "delay3")
RESERVED = {"time", "time_step"} | set(FUNCTIONS)

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


class ModelError(Exception):
    """A mistake in a model declaration, reported as one readable line."""

    def __init__(self, *args):
        # a name or value quoted from a user's file may hold a newline or control character: show it escaped
        if len(args) == 1 and isinstance(args[0], str) and not args[0].isprintable():
            args = ("".join(c if c.isprintable() else repr(c)[1:-1] for c in args[0]),)
        super().__init__(*args)


class EquationError(ModelError):
    """A rejected equation: the element, its text, why, and (``hint``) what to write instead."""

    def __init__(self, element: str, text: str, reason: str, hint: str | None = None):
        self.element, self.text, self.reason, self.hint = element, text, reason, hint
        super().__init__(f"element '{element}': {reason} in equation `{text}`" + (f"; {hint}" if hint else ""))


@dataclass(frozen=True)
class Element:
    """One model element.  ``equation`` is the initial value for a stock."""

    name: str
    kind: str
    equation: str
    units: str | None
    en: str = ""
    zh: str = ""
    source: str = ""
    inflows: tuple[str, ...] = ()
    outflows: tuple[str, ...] = ()
    points: tuple[tuple[float, float], ...] = ()
    x_units: str | None = None
    sector: str = ""
    internal: bool = False  # created by the engine for a delay or smooth
    bounds: tuple[float | None, float | None] = (None, None)
    interpolation: str = "linear"  # lookups only: one of INTERPOLATIONS

    @property
    def is_constant(self) -> bool:
        return self.kind == "constant"


# --- declaration helpers (what sector modules call) -----------------------------------

def stock(name, initial, units, *, inflows=(), outflows=(), en="", zh="", source="", bounds=(0, None)):
    return Element(name, "stock", str(initial), units, en, zh, source,
                   tuple(inflows), tuple(outflows), bounds=bounds)


def flow(name, equation, units, *, en="", zh="", source=""):
    return Element(name, "flow", str(equation), units, en, zh, source)


def aux(name, equation, units, *, en="", zh="", source=""):
    return Element(name, "auxiliary", str(equation), units, en, zh, source)


def const(name, value, units, *, en="", zh="", source="", bounds=(None, None)):
    return Element(name, "constant", repr(float(value)) if not isinstance(value, str) else value,
                   units, en, zh, source, bounds=bounds)


def lookup(name, points, units, x_units, *, interpolation="linear", en="", zh="", source=""):
    pts = tuple((float(x), float(y)) for x, y in points)
    if len(pts) < 2 or any(b[0] <= a[0] for a, b in zip(pts, pts[1:])):
        raise ModelError(f"lookup '{name}': needs two or more points with increasing x")
    if interpolation not in INTERPOLATIONS:
        raise ModelError(f"lookup '{name}': interpolation must be one of {', '.join(INTERPOLATIONS)}, "
                         f"not '{interpolation}'" + closest(interpolation, INTERPOLATIONS))
    return Element(name, "lookup", "", units, en, zh, source, points=pts, x_units=x_units,
                   interpolation=interpolation)


def aging_chain(name, cohorts, *, inflow, cohort_time, initial, units, time_units="year",
                attrition=None, final_outflow=None, en="", zh="", source=""):
    """Stocks ``name_1 .. name_n`` of equal residence time, as an HTE certificate chain.

    ``inflow`` enters cohort 1; each cohort passes on ``name_i / cohort_time``; the last
    cohort leaves through ``final_outflow`` (a flow named here, e.g. certificate expiry) or,
    if None, stays.  ``attrition`` (a rate per year, a constant name) adds an outflow
    ``name_attrition_i`` from every cohort.  ``initial`` is one expression split equally over
    the cohorts, or a list of one expression per cohort.  Also declares ``name_total``.
    """
    inits = list(initial) if isinstance(initial, (list, tuple)) else [f"({initial}) / {cohorts}"] * cohorts
    if len(inits) != cohorts:
        raise ModelError(f"aging chain '{name}': {len(inits)} initial values for {cohorts} cohorts")
    rate_units = f"{units}/{time_units}"
    out: list[Element] = []
    for i in range(1, cohorts + 1):
        ins = [inflow] if i == 1 else [f"{name}_aging_{i - 1}"]
        outs = []
        if i < cohorts:
            outs.append(f"{name}_aging_{i}")
            out.append(flow(f"{name}_aging_{i}", f"{name}_{i} / {cohort_time}", rate_units,
                            en=f"{en}: cohort {i} moving to cohort {i + 1}", zh=f"{zh}:第{i}年转入第{i + 1}年",
                            source=source))
        elif final_outflow:
            outs.append(final_outflow)
            out.append(flow(final_outflow, f"{name}_{i} / {cohort_time}", rate_units,
                            en=f"{en}: leaving the last cohort", zh=f"{zh}:末年期满流出", source=source))
        if attrition:
            outs.append(f"{name}_attrition_{i}")
            out.append(flow(f"{name}_attrition_{i}", f"{name}_{i} * {attrition}", rate_units,
                            en=f"{en}: attrition from cohort {i}", zh=f"{zh}:第{i}年流失", source=source))
        out.append(stock(f"{name}_{i}", inits[i - 1], units, inflows=ins, outflows=outs,
                         en=f"{en}, cohort {i}", zh=f"{zh}(第{i}年)", source=source))
    out.append(aux(f"{name}_total", " + ".join(f"{name}_{i}" for i in range(1, cohorts + 1)), units,
                   en=f"{en}, all cohorts", zh=f"{zh}(合计)", source=source))
    return out


# --- parsing ---------------------------------------------------------------------------

def parse(element: str, text: str, lookups: Collection[str] = ()) -> ast.expr:
    """Parse ``text`` and reject anything outside the whitelist. An equation written the Vensim
    way is rejected with what to write instead (``lookups``: the model's lookup names, which
    Vensim calls like functions)."""
    try:
        return _whitelisted(element, text)
    except EquationError as exc:
        raise _vensim_habits(element, text, lookups) or exc from None


def _whitelisted(element: str, text: str) -> ast.expr:
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise EquationError(element, text, f"syntax error ({exc.msg})") from None
    for node in ast.walk(tree):
        _check_node(element, text, node)
    return tree


def _check_node(element: str, text: str, node: ast.AST) -> None:
    bad = lambda why: EquationError(element, text, why)  # noqa: E731
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise bad(f"only numbers are allowed as literals, not {node.value!r}")
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise bad(f"names may not start with an underscore ('{node.id}')")
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise bad(f"only plain function names may be called, not `{ast.unparse(node.func)}`")
        fn = node.func.id
        if fn not in FUNCTIONS:
            hint = difflib.get_close_matches(fn, FUNCTIONS, 1)
            raise bad(f"function '{fn}' is not allowed" + (f"; did you mean '{hint[0]}'?" if hint else
                                                           f" (allowed: {', '.join(FUNCTIONS)})"))
        if node.keywords:
            raise bad(f"'{fn}' takes positional arguments only")
        lo, hi, _ = FUNCTIONS[fn]
        if not lo <= len(node.args) <= hi:
            raise bad(f"'{fn}' takes {lo if lo == hi else f'{lo} to {hi}'} arguments, got {len(node.args)}")
        if fn == "lookup" and not isinstance(node.args[0], ast.Name):
            raise bad("the first argument of lookup must be the name of a lookup element")
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINOPS:
            raise bad(f"operator `{type(node.op).__name__}` is not allowed")
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
            raise bad(f"operator `{type(node.op).__name__}` is not allowed")
    elif isinstance(node, ast.Compare):
        if any(type(op) not in _CMPOPS for op in node.ops):
            raise bad("only < <= > >= == != comparisons are allowed")
    elif isinstance(node, ast.BoolOp):
        pass
    elif isinstance(node, (ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.Load)):
        pass
    else:
        what = type(node).__name__
        raise bad({"Attribute": "attribute access is not allowed",
                   "Lambda": "lambda is not allowed",
                   "Subscript": "subscripts are not allowed",
                   "IfExp": "conditional expressions are not allowed; use if_then_else(cond, a, b)",
                   }.get(what, f"`{what}` expressions are not allowed"))


# --- equations written the Vensim way --------------------------------------------------------

#: Vensim functions (lower case, words joined by one space) and the innosd function that takes
#: the same arguments.
VENSIM_FUNCTIONS = {
    "max": "max", "min": "min", "abs": "abs", "exp": "exp", "ln": "log", "log": "log", "sqrt": "sqrt",
    "if then else": "if_then_else", "step": "step", "ramp": "ramp", "pulse": "pulse",
    "smooth": "smooth", "smoothi": "smooth", "smooth3": "smooth3", "smooth3i": "smooth3",
    "delay1": "delay1", "delay1i": "delay1", "delay3": "delay3", "delay3i": "delay3",
}
#: Vensim's names for the clock and its step, and innosd's.
VENSIM_NAMES = {"time": "time", "time step": "time_step", "timestep": "time_step", "dt": "time_step"}

#: Vensim spellings that are not Python, so are rewritten as text before parsing:
#: (pattern, innosd spelling, why if more than the spelling).
_VENSIM_TEXT = [
    (re.compile(r"\bif\s+then\s+else\b", re.IGNORECASE), "if_then_else", ""),
    (re.compile(r"\btime\s+step\b", re.IGNORECASE), "time_step", ""),
    (re.compile(r"<>"), "!=", ""),
    (re.compile(r"\s*:(and|or)\s*:\s*", re.IGNORECASE), lambda m: f" {m.group(1).lower()} ", ""),
    (re.compile(r":not:\s*", re.IGNORECASE), "not ", ""),
    (re.compile(r"\^"), "**", " (`^` is exclusive or in Python)"),
]
_WITH_LOOKUP = re.compile(r"\bwith\s+lookup\b", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"^\s*([A-Za-z_]\w*)\s*(:?=)(?!=)(.*)$", re.DOTALL)


def vensim_words(name: str) -> str:
    """A Vensim name as lower-case words (``IF_THEN_ELSE``, ``If Then Else`` -> ``if then else``)."""
    return " ".join(re.split(r"[\s_]+", name.strip().lower()))


class _VensimCalls(ast.NodeTransformer):
    """Rewrite calls to Vensim functions as innosd equations, noting each change; ``complete`` is
    False when something has no one-line rewrite (INTEG is a stock)."""

    def __init__(self, lookups: Collection[str]):
        self.lookups, self.notes, self.complete = set(lookups), [], True

    def visit_Call(self, node):
        self.generic_visit(node)
        if not isinstance(node.func, ast.Name):
            return node
        fn, args = node.func.id, node.args
        key = vensim_words(fn)
        call = lambda name, *a: ast.Call(ast.Name(name, ast.Load()), list(a), [])  # noqa: E731
        if fn in self.lookups and len(args) == 1:
            self.notes.append(f"a lookup is read with lookup({fn}, x), not called like a function")
            return call("lookup", ast.Name(fn, ast.Load()), args[0])
        if key == "integ":
            self.notes.append("INTEG: a stock is declared with stock(name, initial, units, inflows=..., "
                              "outflows=...), each flow as an element of its own")
            self.complete = False
            return node
        if key == "log" and len(args) == 2:
            self.notes.append(f"`{fn}(x, base)` is log(x) / log(base), `log` being the natural logarithm")
            return ast.BinOp(call("log", args[0]), ast.Div(), call("log", args[1]))
        if key in ("xidz", "zidz") and len(args) == (3 if key == "xidz" else 2):
            when_zero = args[2] if key == "xidz" else ast.Constant(0)
            self.notes.append(f"`{fn}` is if_then_else(b == 0, {'x' if key == 'xidz' else '0'}, a / b)")
            zero = ast.Compare(args[1], [ast.Eq()], [ast.Constant(0)])
            return call("if_then_else", zero, when_zero, ast.BinOp(args[0], ast.Div(), args[1]))
        if key == "power" and len(args) == 2:
            self.notes.append(f"`{fn}(a, b)` is `a ** b`")
            return ast.BinOp(args[0], ast.Pow(), args[1])
        if key in VENSIM_FUNCTIONS and fn != VENSIM_FUNCTIONS[key]:
            self.notes.append(f"`{fn}` is `{VENSIM_FUNCTIONS[key]}`")
            return call(VENSIM_FUNCTIONS[key], *args)
        return node

    def visit_NamedExpr(self, node):
        self.generic_visit(node)
        self.notes.append(_assignment_note(":="))
        return node.value


def _assignment_note(sign: str) -> str:
    return f"`{sign}` assigns, but an equation is only its right-hand side (the name is declared with the element)"


def _vensim_habits(element: str, text: str, lookups: Collection[str] = ()) -> EquationError | None:
    """The error for an equation written the Vensim way: which habits it shows (`^`, MAX, LN,
    IF THEN ELSE, INTEG, `a = b`, ...) and, when the rewritten equation passes the whitelist,
    the equation to write. None if the text shows no such habit."""
    notes, complete, rewritten = [], True, text.strip()
    if _WITH_LOOKUP.search(rewritten):
        notes.append("WITH LOOKUP is a lookup element: declare lookup(name, points, units, x_units) "
                     "and read it with lookup(name, x)")
        complete = False
    assignment = _ASSIGNMENT.match(rewritten)
    if assignment:
        notes.append(_assignment_note(assignment.group(2)) + "; `==` compares")
        rewritten = assignment.group(3).strip()
    for pattern, innosd, why in _VENSIM_TEXT:
        found = pattern.search(rewritten)
        if found:
            notes.append(f"`{found.group(0).strip()}` is `{pattern.sub(innosd, found.group(0)).strip()}`{why}")
            rewritten = pattern.sub(innosd, rewritten)
    try:
        tree = ast.parse(rewritten, mode="eval").body
    except SyntaxError:
        tree, complete = None, False
    if tree is not None:
        calls = _VensimCalls(lookups)
        tree = calls.visit(tree)
        notes += calls.notes
        complete = complete and calls.complete
    if not notes:
        return None
    hint = None
    if complete:
        suggestion = ast.unparse(ast.fix_missing_locations(tree))
        try:
            _whitelisted(element, suggestion)
            hint = f"write `{suggestion}`"
        except EquationError:
            pass  # other mistakes remain: the notes still say what to change
    return EquationError(element, text, "written the Vensim way: " + "; ".join(notes), hint)


def names_in(tree: ast.AST) -> set[str]:
    """Names an expression refers to (element names, ``time``), function names excluded."""
    funcs = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in funcs}


# --- stateful functions become internal stocks ----------------------------------------

class _StatefulRewriter(ast.NodeTransformer):
    """Replace smooth/delay calls by a reference to new internal elements."""

    def __init__(self, owner: Element):
        self.owner = owner
        self.new: list[Element] = []
        self.count = 0

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)  # nested delays are rewritten inside out
        fn = node.func.id
        if fn not in STATEFUL:
            return node
        self.count += 1
        base = f"{self.owner.name}__{fn}{self.count}"
        x, tau = ast.unparse(node.args[0]), ast.unparse(node.args[1])
        init = ast.unparse(node.args[2]) if len(node.args) > 2 else x
        src = f"internal {fn} of {self.owner.name}"
        mk = lambda name, kind, eq, **kw: Element(name, kind, eq, None, source=src, sector=self.owner.sector,  # noqa: E731
                                                 internal=True, **kw)
        if fn in ("smooth", "smooth3"):
            order = 1 if fn == "smooth" else 3
            prev = x
            for k in range(1, order + 1):
                s = f"{base}_s{k}"
                self.new.append(mk(f"{s}_change", "flow", f"({prev} - {s}) / (({tau}) / {order})"))
                self.new.append(mk(s, "stock", init, inflows=(f"{s}_change",)))
                prev = s
            return ast.Name(id=prev, ctx=ast.Load())
        order = 1 if fn == "delay1" else 3
        inflow = f"{base}_in"
        self.new.append(mk(inflow, "flow", x))
        for k in range(1, order + 1):
            s, out = f"{base}_l{k}", f"{base}_out{k}"
            self.new.append(mk(out, "flow", f"{s} / (({tau}) / {order})"))
            self.new.append(mk(s, "stock", f"({init}) * ({tau}) / {order}",
                               inflows=(inflow if k == 1 else f"{base}_out{k - 1}",), outflows=(out,)))
        return ast.Name(id=f"{base}_out{order}", ctx=ast.Load())


def expand_stateful(el: Element, lookups: Collection[str] = ()) -> list[Element]:
    """Return ``el`` (rewritten) plus the internal elements its delays and smooths need
    (``lookups``: the model's lookup names, for the error when one is called like a function)."""
    if el.kind in ("lookup",) or not any(f"{f}(" in el.equation for f in STATEFUL):
        return [el]
    tree = parse(el.name, el.equation, lookups)
    if el.kind == "stock":
        raise EquationError(el.name, el.equation, "delays and smooths cannot be used in a stock's initial value")
    rw = _StatefulRewriter(el)
    new_tree = rw.visit(tree)
    out = [replace(el, equation=ast.unparse(new_tree))]
    for sub in rw.new:
        out.extend(expand_stateful(sub))
    return out


def with_sector(elements: Sequence[Element], sector: str) -> list[Element]:
    return [replace(e, sector=sector) for e in elements]
