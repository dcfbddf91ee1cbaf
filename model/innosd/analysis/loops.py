"""Feedback loops of a model: which loops exist, their polarity, and which dominate over time.

**Listing.**  Enumerating loops on the element graph of a model of several hundred elements
explodes (the loops through the main stocks run through ten or more auxiliaries and flows).
Loops are therefore found on the *stock graph* (Oliva 2004): stock A links to stock B when a
chain of auxiliaries and flows leads from A to B without passing another stock; every feedback
loop of the model passes through at least one stock, so every loop is a cycle of the stock
graph.  Each cycle is written out through the shortest element chain between consecutive stocks.

**Polarity** is measured, not guessed: each equation is evaluated at a state with one input
nudged up by 1 %; the sign of the response is the link's sign, a stock's outflow counts negative,
and a loop's polarity is the product of its links' signs.

**Dominance over time** follows the loops-that-matter method (Schoenberg, Davidsen & Eberlein,
2020, System Dynamics Review 36(2)): the score of a link x → z over a step is the share of z's
change that the change of x alone explains, signed by the link's polarity; a flow's link to its
stock scores ±flow / net flow; a loop's score is the product of its links' scores, and its
relative score (its share of all listed loops' absolute scores, signed) says how much of the
system's behaviour that loop drives at that time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core import builtins
from ..core.engine import CompiledModel, Model, RunSettings, expression_code


@dataclass(frozen=True)
class Loop:
    elements: tuple[str, ...]       # the loop written from its alphabetically first stock
    polarity: str                   # 'R' reinforcing, 'B' balancing, '?' a zero or undefined link

    @property
    def links(self) -> list[tuple[str, str]]:
        e = self.elements
        return list(zip(e, e[1:] + e[:1]))

    def __str__(self) -> str:
        return f"{self.polarity}: {' → '.join(self.elements)} → {self.elements[0]}"


def causal_links(model: Model) -> list[tuple[str, str]]:
    """(cause, effect) pairs: equation inputs -> element, flows -> stocks (lookups left out)."""
    links = []
    for name, el in model.elements.items():
        if el.kind in ("auxiliary", "flow"):
            links += [(d, name) for d in sorted(model.deps[name]) if model.elements[d].kind != "lookup"]
        elif el.kind == "stock":
            links += [(f, name) for f in el.inflows + el.outflows]
    return links


def _evaluator(model: Model):
    """A function evaluating one element's equation in an environment of element values."""
    ns = dict(builtins.NAMESPACE, __builtins__={})
    tables = {n: (np.array([p[0] for p in e.points]), np.array([p[1] for p in e.points]))
              for n, e in model.elements.items() if e.kind == "lookup"}
    steps = frozenset(n for n, e in model.elements.items() if e.kind == "lookup" and e.interpolation == "step")
    compiled: dict[str, object] = {}

    def evaluate(name: str, env: Mapping[str, object]) -> np.ndarray:
        if name not in compiled:
            compiled[name] = compile(expression_code(model.trees[name], step_tables=steps), name, "eval")
        with np.errstate(all="ignore"):
            return np.asarray(eval(compiled[name], ns, {**tables, **env}), float)
    return evaluate


def link_polarity(model: Model, state: Mapping[str, float], links) -> dict[tuple[str, str], int]:
    """Sign (+1, -1, 0) of d effect / d cause at ``state``, by a 1 % nudge of the cause."""
    evaluate = _evaluator(model)
    out = {}
    for cause, effect in links:
        el = model.elements[effect]
        if el.kind == "stock":
            out[(cause, effect)] = -1 if cause in el.outflows else 1
            continue
        base = float(evaluate(effect, state).ravel()[0])
        x = state[cause]
        nudged = x * 1.01 if x != 0 else 1e-3
        new = float(evaluate(effect, {**state, cause: nudged}).ravel()[0])
        diff = new - base
        out[(cause, effect)] = 0 if not np.isfinite(diff) or abs(diff) < 1e-12 * max(1, abs(base)) \
            else int(np.sign(diff) * np.sign(nudged - x))
    return out


def stock_graph(model: Model, paths_per_link: int = 3):
    """MultiDiGraph over stocks: an edge A → B for each of the ``paths_per_link`` shortest chains
    of auxiliaries and flows leading from A to B without another stock (attribute ``path``:
    A, ..., B); a stock's own loops (A → its flows → A) are edges A → A."""
    import itertools

    import networkx as nx
    g = nx.DiGraph()
    g.add_edges_from(sorted(causal_links(model)))
    stocks = sorted(e.name for e in model.stocks)
    sg = nx.MultiDiGraph()
    sg.add_nodes_from(stocks)
    for s in stocks:
        # the graph seen from s: s's out-links, then only non-stocks, into any stock
        sub = nx.DiGraph()
        sub.add_edges_from((s, v) for v in g.successors(s))
        sub.add_edges_from((u, v) for u, v in g.edges if model.elements[u].kind != "stock" and u != s)
        ends = [t for t in stocks if t in sub and t != s] + ([s] if any(u != s for u, _ in sub.in_edges(s)) else [])
        for t in ends:
            if t == s:  # a loop back to s: a path from a successor of s back into s
                found = []
                for first in sorted(g.successors(s)):
                    if first == s or first not in sub or model.elements[first].kind == "stock":
                        continue
                    inner = sub.copy()
                    inner.remove_node(s)
                    inner.add_edges_from((u, "__back__") for u in g.predecessors(s) if u in inner)
                    if first in inner and nx.has_path(inner, first, "__back__"):
                        for p in itertools.islice(nx.shortest_simple_paths(inner, first, "__back__"), paths_per_link):
                            found.append((s,) + tuple(p[:-1]) + (s,))
                for path in sorted(set(found), key=lambda p: (len(p), p))[:paths_per_link]:
                    sg.add_edge(s, s, path=path)
            elif nx.has_path(sub, s, t):
                for p in itertools.islice(nx.shortest_simple_paths(sub, s, t), paths_per_link):
                    if not any(model.elements[n].kind == "stock" for n in p[1:-1]):
                        sg.add_edge(s, t, path=tuple(p))
    return sg


def feedback_loops(model: Model, state: Mapping[str, float], max_stocks: int = 6, limit: int = 5000) -> list[Loop]:
    """Feedback loops through up to ``max_stocks`` stocks (a stock's own outflow or inflow loop
    included), each with its measured polarity, sorted by the number of elements."""
    import networkx as nx
    sg = stock_graph(model)
    signs = link_polarity(model, state, causal_links(model))
    loops, seen = [], set()
    import itertools
    simple = nx.DiGraph(sg)  # cycles over stocks; each is then written out through every chain combination
    candidates = []
    for cyc in nx.simple_cycles(simple, length_bound=max_stocks):
        if all(model.elements[s].internal for s in cyc):
            continue  # the inner workings of one smooth or delay, not a loop of the model
        # networkx returns a cycle from any of its stocks (set order varies with the hash seed); start it
        # at its smallest name so the first 27 chain combinations, hence the listing, are the same every run
        start = cyc.index(min(cyc))
        cyc = cyc[start:] + cyc[:start]
        options = [[d["path"] for d in sg.get_edge_data(a, b).values()] for a, b in zip(cyc, cyc[1:] + cyc[:1])]
        for combo in itertools.islice(itertools.product(*options), 27):
            candidates.append([n for path in combo for n in path[:-1]])
    for elements in candidates:
        if len(loops) >= limit:
            break
        if len(set(elements)) < len(elements):
            continue  # two stock links share an element: a figure-eight, listed as its two loops
        public = [e for e in elements if model.elements[e].kind == "stock" and not model.elements[e].internal]
        first = elements.index(min(public or elements))
        elements = elements[first:] + elements[:first]
        key = tuple(elements)
        if key in seen:
            continue
        seen.add(key)
        prod = int(np.prod([signs[p] for p in zip(elements, elements[1:] + elements[:1])]))
        loops.append(Loop(key, {1: "R", -1: "B"}.get(prod, "?")))
    loops.sort(key=lambda lp: (len(lp.elements), lp.elements))
    return loops


def loops_through(loops: Sequence[Loop], element: str) -> list[Loop]:
    return [lp for lp in loops if element in lp.elements]


def loop_dominance(model: Model, compiled: CompiledModel, params: Mapping[str, object], settings: RunSettings,
                   loops: Sequence[Loop], times: Sequence[float] | None = None) -> pd.DataFrame:
    """Relative loop scores (loops that matter) of ``loops`` over one run: one row per loop and
    time, with ``score`` in [-1, 1] (sign = polarity, size = share of the listed loops' activity).

    At each time t the state is taken at t and t + dt; a link x → z scores the change of z caused
    by x alone (x moved, z's other inputs held at t) over the change of z."""
    names = list(compiled.all_names)
    ds = compiled.run(params, n_runs=1, outputs=names, **{**settings.kwargs(), "save_every": settings.dt})
    values = {n: ds[n].values[0] for n in names}
    grid = ds["time"].values
    times = list(grid[:-1]) if times is None else [t for t in times if t < grid[-1]]
    evaluate = _evaluator(model)
    rows = []
    for t in times:
        i = int(np.argmin(np.abs(grid - t)))
        now = {n: values[n][i] for n in names} | {"time": grid[i], "time_step": settings.dt}
        nxt = {n: values[n][i + 1] for n in names}
        link_score: dict[tuple[str, str], float] = {}
        scores = []
        for lp in loops:
            product = 1.0
            for x, z in lp.links:
                if (x, z) not in link_score:
                    link_score[(x, z)] = _link_score(model, evaluate, x, z, now, nxt)
                product *= link_score[(x, z)]
            scores.append(product)
        scores = np.array(scores)
        total = np.nansum(np.abs(scores))
        for lp, s in zip(loops, scores):
            rows.append({"time": float(grid[i]), "loop": str(lp), "polarity": lp.polarity,
                         "score": float(s / total) if total > 0 else 0.0})
    return pd.DataFrame(rows)


def _link_score(model: Model, evaluate, x: str, z: str, now: Mapping, nxt: Mapping) -> float:
    el = model.elements[z]
    if el.kind == "stock":  # |flow / net flow|, signed by the link's polarity (an outflow is negative)
        net = sum(now[f] for f in el.inflows) - sum(now[f] for f in el.outflows)
        if net == 0:
            return 0.0
        return (1.0 if x in el.inflows else -1.0) * abs(now[x] / net)
    dz = nxt[z] - now[z]
    dx = nxt[x] - now[x]
    if dz == 0 or dx == 0:
        return 0.0
    moved = float(evaluate(z, {**now, x: nxt[x]}).ravel()[0]) - float(evaluate(z, now).ravel()[0])
    return abs(moved / dz) * np.sign(moved / dx)
