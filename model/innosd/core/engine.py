"""Compile element declarations to vectorised NumPy code and integrate them.

The engine knows nothing of innovation: it takes a list of :class:`Element` and returns
an ``xarray.Dataset`` with dimensions ``(run, time)``.  Every parameter may be a scalar,
an array of shape ``(n_runs,)`` or a :class:`~innosd.series.Series`; runs advance together
(in blocks of up to :data:`RUNS_PER_BLOCK`), one NumPy operation per equation per step, never
one Python call per run.

Code is generated once per model: auxiliaries and flows are ordered topologically and
written out as a straight-line Python function (``CompiledModel.source``) that reads the
stocks from a ``(n_stocks, n_runs)`` array and writes their net rates of change.
"""
from __future__ import annotations

import ast
import keyword
import math
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from . import builtins
from .equations import (
    RESERVED,
    VENSIM_NAMES,
    Element,
    EquationError,
    ModelError,
    expand_stateful,
    names_in,
    parse,
    vensim_words,
)
from .names import closest
from .series import Series

#: How far before a save time comparisons with the clock are evaluated (years): far below any
#: time step, so it only decides comparisons made exactly at the save time.
CLOCK_LEFT_LIMIT = 1e-7

#: Runs integrated together: a call with more runs is integrated block by block (see
#: :meth:`CompiledModel.run_arrays`). A per-step array of 4,096 runs is 32 kB: a block's arrays
#: stay in the CPU's caches and far below the size the allocator hands back to the system when
#: freed. Smaller blocks pay more Python overhead per run; larger ones fall out of cache on the
#: shipped model (figures in benchmarks/README.md).
RUNS_PER_BLOCK = 4_096


class AlgebraicLoopError(ModelError):
    def __init__(self, cycle: Sequence[str], phase: str = "simultaneous equations"):
        self.cycle = list(cycle)
        super().__init__(f"algebraic loop ({phase}): " + " -> ".join(self.cycle)
                         + "; break it with a stock, a smooth() or a delay")


class Model:
    """A validated set of elements (stateful functions already expanded)."""

    def __init__(self, elements: Sequence[Element], name: str = "model"):
        self.name = name
        self.declared = tuple(elements)  # as written, before delays and smooths are expanded
        lookups = {el.name for el in elements if el.kind == "lookup"}  # Vensim calls them like functions
        expanded: list[Element] = []
        for el in elements:
            expanded.extend(expand_stateful(el, lookups))
        self.elements: dict[str, Element] = {}
        for el in expanded:
            if el.kind not in ("stock", "flow", "auxiliary", "constant", "lookup"):
                raise ModelError(f"element '{el.name}': unknown kind '{el.kind}'")
            # FIX (tests): Python keywords (e.g. 'yield', 'lambda') passed isidentifier() and then
            # broke the generated code with a SyntaxError at compile(); reject them here.
            if not el.name.isidentifier() or el.name.startswith("_") or el.name in RESERVED \
                    or keyword.iskeyword(el.name):
                raise ModelError(f"element '{el.name}': not a valid element name (identifier, no leading "
                                 f"underscore, not a Python keyword, not one of {sorted(RESERVED)})")
            if el.name in self.elements:
                raise ModelError(f"element '{el.name}' is declared twice")
            self.elements[el.name] = el
        self.trees: dict[str, ast.expr] = {}
        self.deps: dict[str, set[str]] = {}
        for el in self.elements.values():
            if el.kind == "lookup":
                continue
            tree = parse(el.name, el.equation, lookups)
            refs = names_in(tree)
            for ref in refs:
                if ref not in self.elements and ref not in RESERVED:
                    clock = VENSIM_NAMES.get(vensim_words(ref))  # Vensim's Time, TIME STEP, DT
                    raise EquationError(el.name, el.equation, f"unknown name '{ref}'"
                                        + (f"; did you mean '{clock}'?" if clock else closest(ref, self.elements)))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and node.func.id == "lookup":
                    tbl = node.args[0].id
                    if self.elements[tbl].kind != "lookup":
                        raise EquationError(el.name, el.equation, f"'{tbl}' is not a lookup element")
                elif isinstance(node, ast.Name) and node.id in self.elements \
                        and self.elements[node.id].kind == "lookup" and not _is_table_arg(tree, node):
                    raise EquationError(el.name, el.equation,
                                        f"lookup '{node.id}' must be used as lookup({node.id}, x)")
            # FIX (tests): step/ramp/pulse read the clock, so a constant calling them is not a
            # number either; it used to pass here and fail later with a NameError at compile().
            clocked = any(isinstance(n, ast.Call) and n.func.id in builtins.CLOCKED for n in ast.walk(tree))
            if el.kind == "constant" and (refs - {"time_step"} or clocked):
                raise EquationError(el.name, el.equation, "a constant must be a number; "
                                    "declare an auxiliary to compute it from other elements")
            self.trees[el.name] = tree
            self.deps[el.name] = refs - RESERVED
        for el in self.stocks:
            for f in el.inflows + el.outflows:
                if f not in self.elements or self.elements[f].kind != "flow":
                    raise ModelError(f"stock '{el.name}': '{f}' is not a flow" + closest(f, self.flow_names))

    def of_kind(self, kind: str) -> list[Element]:
        return [e for e in self.elements.values() if e.kind == kind]

    @property
    def stocks(self) -> list[Element]:
        return self.of_kind("stock")

    @property
    def flow_names(self) -> list[str]:
        return [e.name for e in self.of_kind("flow")]

    @property
    def constants(self) -> dict[str, Element]:
        return {e.name: e for e in self.of_kind("constant")}

    def __getitem__(self, name: str) -> Element:
        try:
            return self.elements[name]
        except KeyError:
            raise ModelError(f"no element '{name}'" + closest(name, self.elements)) from None

    def dependency_order(self, phase: str = "rates") -> list[str]:
        """Topological order of the equations evaluated in a phase ('rates' or 'init')."""
        if phase == "rates":
            nodes = [n for n, e in self.elements.items() if e.kind in ("auxiliary", "flow")]
        else:
            nodes = [n for n, e in self.elements.items() if e.kind in ("auxiliary", "flow", "stock")]
        keep = set(nodes)
        graph = {n: {d for d in self.deps[n] if d in keep} for n in nodes}
        try:
            return list(TopologicalSorter(graph).static_order())
        except CycleError as exc:
            cycle = exc.args[1]
            raise AlgebraicLoopError(list(reversed(cycle)),
                                     "initial values" if phase == "init" else "simultaneous equations") from None

    def compile(self) -> "CompiledModel":
        return CompiledModel(self)

    def fingerprint(self) -> str:
        """SHA-256 of what the model computes: every declared element's kind, equation, flows, units
        and lookup points (descriptions and sources excluded). A posterior records the fingerprint
        of the model it was calibrated with, so a forecast can say when the equations have changed."""
        import hashlib
        h = hashlib.sha256()
        for el in sorted(self.declared, key=lambda e: e.name):
            # interpolation only when not the default, so models without step lookups keep their fingerprints
            step = ("step",) if el.interpolation == "step" else ()
            declared = (el.name, el.kind, el.equation, el.units, el.inflows, el.outflows, el.points) + step
            h.update(repr(declared).encode())
        return h.hexdigest()


def _is_table_arg(tree: ast.AST, name_node: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func.id == "lookup" and n.args[0] is name_node
               for n in ast.walk(tree))


class _ToNumpy(ast.NodeTransformer):
    """Rewrite a whitelisted expression into calls to the vectorised builtins."""

    def __init__(self, step_tables=frozenset()):
        self.step_tables = step_tables  # lookups declared with interpolation='step'

    def visit_Call(self, node):
        self.generic_visit(node)
        fn = node.func.id
        args = node.args
        if fn == "lookup" and args[0].id in self.step_tables:
            fn = "lookup_step"
        if fn in builtins.CLOCKED:
            args = [ast.Name("time", ast.Load()), ast.Name("time_step", ast.Load())] + args
        return ast.Call(ast.Name(f"_f_{fn}", ast.Load()), args, [])

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        fn = "_f_and" if isinstance(node.op, ast.And) else "_f_or"
        out = node.values[0]
        for v in node.values[1:]:
            out = ast.Call(ast.Name(fn, ast.Load()), [out, v], [])
        return out

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Not):
            return ast.Call(ast.Name("_f_not", ast.Load()), [node.operand], [])
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1:
            return node
        parts, left = [], node.left
        for op, right in zip(node.ops, node.comparators):
            parts.append(ast.Compare(left, [op], [right]))
            left = right
        out = parts[0]
        for p in parts[1:]:
            out = ast.Call(ast.Name("_f_and", ast.Load()), [out, p], [])
        return out


class _LeftClock(ast.NodeTransformer):
    """In comparisons, read the clock as ``_time_left`` (its left limit): used when saving. A step
    lookup compares its input with its points, so its input reads the left limit too."""

    def __init__(self, step_tables=frozenset()):
        self.step_tables = step_tables

    def _left(self, node):
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id == "time":
                sub.id = "_time_left"
        return node

    def visit_Compare(self, node):
        return self._left(node)

    def visit_Call(self, node):
        if node.func.id == "lookup" and node.args[0].id in self.step_tables:
            return self._left(node)
        self.generic_visit(node)
        return node


def expression_code(tree: ast.expr, left_clock: bool = False, step_tables=frozenset()) -> str:
    """The NumPy code the engine generates for one whitelisted equation tree (``step_tables``:
    lookups declared with interpolation='step'; ``left_clock``: comparisons read the clock's left
    limit, as recorded values do)."""
    import copy
    tree = copy.deepcopy(tree)
    if left_clock:
        tree = _LeftClock(step_tables).visit(tree)
    return ast.unparse(ast.fix_missing_locations(_ToNumpy(step_tables).visit(tree)))


@dataclass(frozen=True)
class RunSettings:
    """The clock of a run: start and stop (model time, years), time step, integration method
    (``euler`` or ``rk4``) and how often values are saved."""
    start: float
    stop: float
    dt: float = 0.25
    method: str = "euler"
    save_every: float = 1.0

    def kwargs(self) -> dict:
        return dict(start=self.start, stop=self.stop, dt=self.dt, method=self.method, save_every=self.save_every)


class CompiledModel:
    """Generated NumPy code for one model; :meth:`run` integrates any number of runs.

    A compiled model pickles as its declarations (generated functions do not pickle): a Dask
    worker recompiles it once, then reuses it (:func:`compiled`)."""

    def __reduce__(self):
        return compiled, (self.model.declared, self.model.name)

    def __init__(self, model: Model):
        self.model = model
        m = model
        self.stock_names = [e.name for e in m.stocks]
        self.constant_names = list(m.constants)
        self.lookup_names = [e.name for e in m.of_kind("lookup")]
        self.step_tables = frozenset(n for n in self.lookup_names if m.elements[n].interpolation == "step")
        order = m.dependency_order("rates")
        init_order = m.dependency_order("init")
        self.all_names = self.stock_names + order + self.constant_names
        self.recorded = [n for n in self.all_names if not m.elements[n].internal]  # kept by default
        self._order = order
        self._recorders: dict[tuple[str, ...], object] = {}
        self._pruned_rates: dict[frozenset, object] = {}
        # The generated functions' own variables are _S, _C, _D and _time_left: element names
        # cannot start with an underscore, so an element named S, C or D cannot clash with them.
        inputs = [f"    {n} = _C['{n}']" for n in self.constant_names + self.lookup_names + ["time_step"]]
        init_body = [f"    {n} = {expression_code(m.trees[n], step_tables=self.step_tables)}" for n in init_order]
        init_store = [f"    _S[{i}] = {n}" for i, n in enumerate(self.stock_names)]
        self.source = "\n".join(
            self._rates_source(set(self.stock_names), set(order)) + ["", "",
             "def _init(time, _S, _C):"] + inputs + init_body + init_store) + "\n"
        self._rates, self._init = self._exec(self.source, "_rates", "_init")
        # FIX (tests): constants were eval'ed as raw text without the function namespace, so
        # `exp(0)` or `min(1, 2)` raised NameError, and `time_step` was always 0.25 whatever the
        # run's dt.  Evaluate the translated (whitelisted) code with the builtins, and re-evaluate
        # constants that use time_step in run() with the actual dt.
        self._const_code = {n: compile(expression_code(m.trees[n], step_tables=self.step_tables), "<const>", "eval")
                            for n in self.constant_names}
        self._dt_constants = [n for n in self.constant_names if "time_step" in names_in(m.trees[n])]
        self.defaults = {n: self._const_value(n, 0.25)
                         for n in self.constant_names}  # numbers only (checked in Model)
        self.tables = {n: (np.array([p[0] for p in m.elements[n].points]),
                           np.array([p[1] for p in m.elements[n].points])) for n in self.lookup_names}

    def _exec(self, source: str, *names: str):
        namespace = dict(builtins.NAMESPACE)
        namespace["__builtins__"] = {}
        exec(compile(source, f"<innosd model {self.model.name}>", "exec"), namespace)
        return tuple(namespace[n] for n in names)

    def _rates_source(self, stocks: set[str], computed: set[str]) -> list[str]:
        """Lines of ``_rates``: the net rate of each stock in ``stocks`` from the auxiliaries and
        flows in ``computed``; rows of other stocks are left as they are (zero)."""
        m = self.model
        body = [n for n in self._order if n in computed]
        used = set().union(*(m.deps[n] for n in body), *(m.elements[n].inflows + m.elements[n].outflows
                                                          for n in stocks)) | {"time_step"}
        lines = ["def _rates(time, _S, _C, _D):"]
        lines += [f"    {n} = _C['{n}']" for n in self.constant_names + self.lookup_names + ["time_step"] if n in used]
        lines += [f"    {n} = _S[{i}]" for i, n in enumerate(self.stock_names) if n in used]
        lines += [f"    {n} = {expression_code(m.trees[n], step_tables=self.step_tables)}" for n in body]
        for i, el in enumerate(m.stocks):
            if el.name in stocks:
                ins = " + ".join(el.inflows) or "0.0"
                outs = " + ".join(el.outflows)
                lines.append(f"    _D[{i}] = {ins}" + (f" - ({outs})" if outs else ""))
        return lines

    def _closure(self, names, through_stocks: bool) -> set[str]:
        """The auxiliaries and flows ``names`` depend on (and ``names`` themselves); with
        ``through_stocks`` also the stocks they read and, recursively, the flows moving those."""
        m = self.model
        found, pending = set(), list(names)
        while pending:
            name = pending.pop()
            el = m.elements[name]
            if name in found or el.kind not in ("stock", "auxiliary", "flow"):
                continue
            if el.kind == "stock":
                if through_stocks:
                    found.add(name)
                    pending.extend(el.inflows + el.outflows)
            else:
                found.add(name)
                pending.extend(m.deps[name])
        return found

    def rates_for(self, keep: Sequence[str]):
        """``_rates`` restricted to what ``keep`` depends on (cached per set of outputs): the stocks
        behind those outputs, the flows that move them and the auxiliaries those flows need.
        Other stocks keep their initial values, so they must not be recorded."""
        key = frozenset(keep)
        if key not in self._pruned_rates:
            behind = self._closure(key, through_stocks=True)
            stocks = {n for n in behind if self.model.elements[n].kind == "stock"}
            computed = behind - stocks
            if len(stocks) == len(self.stock_names) and len(computed) == len(self._order):
                self._pruned_rates[key] = self._rates
            else:
                (self._pruned_rates[key],) = self._exec("\n".join(self._rates_source(stocks, computed)) + "\n",
                                                        "_rates")
        return self._pruned_rates[key]

    def recorder(self, keep: Sequence[str]):
        """Generated function returning the values of ``keep`` from the stocks and constants:
        only the equations those outputs depend on are evaluated (cached per set of outputs)."""
        key = tuple(keep)
        if key not in self._recorders:
            needed = self._closure(key, through_stocks=False)  # stocks and constants are read, not computed
            # A value saved at t reports the period ending at t, so comparisons with the clock take
            # its left limit (as lever schedules do): `time < end` saved at t = end still shows the
            # period [end - 1, end), and a programme starting at t0 shows nothing in the period
            # ending at t0. Arithmetic with the clock is continuous and keeps the exact time.
            lines = ["def _record(time, _S, _C):", f"    _time_left = time - {CLOCK_LEFT_LIMIT!r}"]
            lines += [f"    {n} = _C['{n}']" for n in self.constant_names + self.lookup_names + ["time_step"]]
            lines += [f"    {n} = _S[{i}]" for i, n in enumerate(self.stock_names)]
            lines += [f"    {n} = {expression_code(self.model.trees[n], left_clock=True, step_tables=self.step_tables)}"
                      for n in self._order if n in needed]
            lines.append("    return (" + "".join(f"{n}, " for n in key) + ")")
            (self._recorders[key],) = self._exec("\n".join(lines) + "\n", "_record")
        return self._recorders[key]

    def _const_value(self, name: str, dt: float) -> float:
        """Value of a constant's (whitelisted, translated) expression for a time step ``dt``."""
        return float(eval(self._const_code[name], dict(builtins.NAMESPACE, __builtins__={}), {"time_step": dt}))

    # --- running -------------------------------------------------------------------

    def _inputs(self, params: Mapping[str, object] | None, n_runs: int | None):
        params = dict(params or {})
        sizes = set()
        for name, value in params.items():
            if name in self.tables:
                xs, ys = value
                continue
            if name not in self.defaults:
                raise ModelError(self._not_a_parameter(name))
            if isinstance(value, Series):
                if value.n_runs is not None:
                    sizes.add(value.n_runs)
            else:
                arr = np.asarray(value, dtype=float)
                if arr.ndim > 1:
                    raise ModelError(f"parameter '{name}': expected a scalar or a 1-D array over runs, "
                                     f"got shape {arr.shape}")
                if arr.ndim == 1:
                    sizes.add(arr.shape[0])
                params[name] = arr
        if n_runs is not None:
            sizes.add(n_runs)
        if len(sizes) > 1:
            raise ModelError(f"parameters disagree on the number of runs: {sorted(sizes)}")
        n = sizes.pop() if sizes else 1
        consts = {n_: params.get(n_, v) for n_, v in self.defaults.items()}
        tables = {n_: tuple(np.asarray(a, float) for a in params.get(n_, t)) for n_, t in self.tables.items()}
        series = {k: v for k, v in consts.items() if isinstance(v, Series)}
        return n, consts, tables, series

    def _not_a_parameter(self, name: str) -> str:
        """Why ``name`` cannot be passed as a parameter, and what to pass instead."""
        el = self.model.elements.get(name)
        if el is None or el.internal:
            return (f"unknown parameter '{name}': not a constant of the model"
                    + closest(name, list(self.defaults) + self.lookup_names))
        uses = sorted(d for d in self.model.deps[name] if d in self.defaults)  # the constants it is computed from
        if el.kind == "stock":
            # Vensim users set a stock's initial value by its name; here a stock starts from its
            # equation, by convention a constant init_<stock> that can be passed per run.
            if uses:
                return (f"parameter '{name}' is a stock: it starts from its initial value `{el.equation}`; "
                        f"pass {', '.join(repr(c) for c in uses)} per run instead")
            return (f"parameter '{name}' is a stock: its initial value is its equation `{el.equation}`; to set it "
                    f"per run, declare const('init_{name}', {el.equation}, '{el.units or ''}'), use it as the "
                    f"stock's initial value (stock('{name}', 'init_{name}', ...)) and pass 'init_{name}'")
        equation = next((e.equation for e in self.model.declared if e.name == name), el.equation)  # as written
        return (f"unknown parameter '{name}': {'an' if el.kind == 'auxiliary' else 'a'} {el.kind} computed by its "
                f"equation `{equation}`, not a constant" + (f"; pass the constants it uses ({', '.join(uses)})"
                                                            if uses else ""))

    def run(self, params: Mapping[str, object] | None = None, *, start: float, stop: float,
            dt: float = 0.25, method: str = "euler", save_every: float = 1.0,
            n_runs: int | None = None, outputs: Sequence[str] | None = None,
            initial: Mapping[str, object] | None = None) -> xr.Dataset:
        """Simulate all runs (vectorised, in blocks of runs); return a Dataset with dims ``(run, time)``.

        ``outputs`` limits what is kept (default: every stock, flow, auxiliary and constant),
        so memory holds only what was asked for. ``initial`` gives stocks (any, internal ones of
        smooths and delays included) their values at ``start`` instead of their initial equations,
        per run or shared: with every stock's value at ``start`` from another run, this run resumes it.
        """
        out, times = self.run_arrays(params, start=start, stop=stop, dt=dt, method=method,
                                     save_every=save_every, n_runs=n_runs, outputs=outputs, initial=initial)
        n = next(iter(out.values())).shape[0] if out else 1
        return self._dataset(out, times, n, dict(start=start, stop=stop, dt=dt, method=method,
                                                 save_every=save_every))

    def run_arrays(self, params: Mapping[str, object] | None = None, *, start: float, stop: float,
                   dt: float = 0.25, method: str = "euler", save_every: float = 1.0,
                   n_runs: int | None = None, outputs: Sequence[str] | None = None,
                   initial: Mapping[str, object] | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """As :meth:`run`, without the Dataset: ``({output: array (run, time)}, times)``.
        For callers that run the model thousands of times (calibration), where building
        labelled datasets would cost as much as simulating."""
        keep = list(dict.fromkeys(outputs)) if outputs is not None else self.recorded  # each output once
        for name in keep:
            if name not in self.model.elements or name not in self.all_names:
                raise ModelError(f"unknown output '{name}'" + closest(name, self.recorded))
        if method not in ("euler", "rk4"):
            raise ModelError(f"unknown integration method '{method}' (expected 'euler' or 'rk4')")
        if not dt > 0 or stop <= start:
            raise ModelError(f"need dt > 0 and stop > start (got dt={dt}, start={start}, stop={stop})")
        n_steps = round((stop - start) / dt)
        stride = round(save_every / dt)
        if not math.isclose(n_steps * dt, stop - start, rel_tol=1e-9) or stride < 1 \
                or not math.isclose(stride * dt, save_every, rel_tol=1e-9) or n_steps % stride:
            raise ModelError(f"the run length ({stop - start}) and save interval ({save_every}) "
                             f"must be whole multiples of dt ({dt}), and the run length a multiple of the save "
                             f"interval")
        n, consts, tables, series = self._inputs(params, n_runs)
        rows = {name: i for i, name in enumerate(self.stock_names)}
        for name in initial or {}:
            if name not in rows:
                raise ModelError(f"initial value for '{name}', which is not a stock" + closest(name, self.stock_names))
        initial = {rows[name]: np.asarray(v, float) for name, v in (initial or {}).items()}
        C = dict(consts)
        C.update(tables)
        C["time_step"] = dt
        for name in self._dt_constants:  # FIX (tests): follow this run's dt unless overridden
            if name not in (params or {}):
                C[name] = self._const_value(name, dt)
        n_save = n_steps // stride + 1
        out = {name: np.empty((n_save, n)) for name in keep}
        times = start + dt * stride * np.arange(n_save)
        clock = dict(start=start, dt=dt, n_steps=n_steps, stride=stride, method=method)
        record_values = self.recorder(keep)
        rates = self.rates_for(keep) if outputs is not None else self._rates
        # Runs are independent, so a large call is integrated block after block of runs (each
        # block from start to stop). Every per-step temporary then holds one block, stays in
        # the CPU's cache and is reused from the allocator's free lists, instead of megabytes
        # being paged in afresh every step. Each run's numbers are the same in any block.
        for lo in range(0, n, RUNS_PER_BLOCK):
            hi = min(lo + RUNS_PER_BLOCK, n)
            block_inputs = {name: value[lo:hi] if isinstance(value, np.ndarray) and value.ndim == 1 else value
                            for name, value in C.items()}
            block_series = {name: s.runs(lo, hi) for name, s in series.items()}
            block_out = {name: arr[:, lo:hi] for name, arr in out.items()}
            block_initial = {i: v[lo:hi] if v.ndim == 1 else v for i, v in initial.items()}
            self._integrate(rates, record_values, block_inputs, block_series, hi - lo, block_out, block_initial,
                            **clock)
        return {name: arr.T for name, arr in out.items()}, times

    def _integrate(self, rates, record_values, C, series, n, out, initial, *, start, dt, n_steps, stride, method):
        """Integrate ``n`` runs from their initial values (``initial``: stock row -> values replacing
        them), writing the saved values into ``out`` (``{output: array (save time, run)}``). ``C``
        holds the inputs (updated in place from ``series`` as the clock advances)."""
        def set_time(t, left=False):
            for name, s in series.items():
                C[name] = s(t, left)

        def record(k, t):
            for name, value in zip(out, record_values(t, S, C)):
                out[name][k] = value

        S = np.zeros((len(self.stock_names), n))
        set_time(start)
        self._init(start, S, C)
        for i, values in initial.items():
            S[i] = values
        D = np.zeros_like(S)
        if method == "rk4":
            K = [np.zeros_like(S) for _ in range(4)]
        with np.errstate(divide="ignore", invalid="ignore"):
            record(0, start)
            for i in range(n_steps):
                t = start + i * dt
                set_time(t)
                if method == "euler":
                    rates(t, S, C, D)
                    D *= dt  # in place: no temporary the size of the whole state
                    S += D
                else:
                    rates(t, S, C, K[0])
                    set_time(t + dt / 2)
                    rates(t + dt / 2, S + dt / 2 * K[0], C, K[1])
                    rates(t + dt / 2, S + dt / 2 * K[1], C, K[2])
                    set_time(t + dt)
                    rates(t + dt, S + dt * K[2], C, K[3])
                    S += dt / 6 * (K[0] + 2 * K[1] + 2 * K[2] + K[3])
                if (i + 1) % stride == 0:
                    # a value saved at t reports the period ending at t: inputs take their left limit,
                    # so a step schedule's value for the next period does not leak into this one
                    set_time(t + dt, left=True)
                    record((i + 1) // stride, start + (i + 1) * dt)

    def _dataset(self, out, times, n, settings) -> xr.Dataset:
        els = self.model.elements
        data = {}
        for name, arr in out.items():
            el = els[name]
            data[name] = xr.Variable(("run", "time"), arr, attrs={
                "units": el.units or "", "kind": el.kind, "long_name": el.en, "long_name_zh": el.zh,
                "sector": el.sector, "source": el.source,
                # a stock declared without a lower bound (a deviation, e.g. model error) may go negative
                "signed": int(el.kind == "stock" and el.bounds[0] is None)})
        ds = xr.Dataset(data, coords={"run": np.arange(n), "time": times})
        ds.attrs.update({"model": self.model.name, **settings})
        return ds

    def run_frame(self, params=None, **kw) -> pd.DataFrame:
        """A single run as a DataFrame indexed by time (one column per element)."""
        ds = self.run(params, **kw)
        if ds.sizes["run"] != 1:
            raise ModelError(f"run_frame is for a single run; these parameters give {ds.sizes['run']} runs")
        return ds.isel(run=0).to_dataframe().drop(columns="run", errors="ignore")


_COMPILED: dict[str, CompiledModel] = {}


def compiled(elements: Sequence[Element], name: str = "model") -> CompiledModel:
    """The compiled model of these declarations, compiled once per process (keyed by fingerprint)."""
    model = Model(elements, name=name)
    key = model.fingerprint()
    if key not in _COMPILED:
        _COMPILED[key] = model.compile()
    return _COMPILED[key]
