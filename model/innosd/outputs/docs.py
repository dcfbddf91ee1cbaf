"""Model documentation generated from the model itself (``innosd docs``).

Writes, per sector, an equation listing with units and sources; the feedback loops with
their polarity; and stock-and-flow diagrams as images.  Link polarity is measured, not
guessed: each equation is evaluated at the baseline state of 2020 with one input nudged
up by 1 %, and the sign of the response is the link's sign.  A loop's polarity is the
product of its links' signs (a stock's outflow counts negative).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from ..core import builtins
from ..core.engine import Model, equation_code
from .files import atomic_write


def causal_links(model: Model) -> list[tuple[str, str]]:
    """(cause, effect) pairs: equation inputs -> element, flows -> stocks."""
    links = []
    for name, el in model.elements.items():
        if el.kind in ("auxiliary", "flow"):
            links += [(d, name) for d in sorted(model.deps[name]) if model.elements[d].kind != "lookup"]
        elif el.kind == "stock":
            links += [(f, name) for f in el.inflows + el.outflows]
    return links


def link_polarity(model: Model, state: dict[str, float], links) -> dict[tuple[str, str], int]:
    """Sign (+1, -1, 0) of d effect / d cause at ``state``, by a 1 % nudge of the cause."""
    ns = dict(builtins.NAMESPACE, __builtins__={})
    tables = {n: (np.array([p[0] for p in e.points]), np.array([p[1] for p in e.points]))
              for n, e in model.elements.items() if e.kind == "lookup"}
    compiled = {}
    out = {}
    for cause, effect in links:
        el = model.elements[effect]
        if el.kind == "stock":
            out[(cause, effect)] = -1 if cause in el.outflows else 1
            continue
        if effect not in compiled:
            compiled[effect] = compile(equation_code(model, effect), effect, "eval")
        env = {**tables, **state}
        base = float(np.asarray(eval(compiled[effect], ns, env)).ravel()[0])
        x = state[cause]
        env[cause] = x * 1.01 if x != 0 else 1e-3
        with np.errstate(all="ignore"):
            new = float(np.asarray(eval(compiled[effect], ns, env)).ravel()[0])
        diff = new - base
        out[(cause, effect)] = 0 if not np.isfinite(diff) or abs(diff) < 1e-12 * max(1, abs(base)) \
            else int(np.sign(diff) * (1 if env[cause] > x else -1))
    return out


def feedback_loops(model: Model, state: dict[str, float], max_length: int = 8, limit: int = 400):
    """Loops among the public elements: (elements, polarity 'R'/'B'/'?') sorted by length."""
    import networkx as nx
    links = causal_links(model)
    signs = link_polarity(model, state, links)
    g = nx.DiGraph()
    g.add_edges_from(sorted(links))  # sorted: the listing must not change from one run to the next
    loops = []
    for cyc in nx.simple_cycles(g, length_bound=max_length):
        if len(loops) >= limit:
            break
        if all(model.elements[n].internal for n in cyc):
            continue  # the inner workings of one smooth or delay, not a loop of the model
        first = cyc.index(min(cyc))
        cyc = cyc[first:] + cyc[:first]  # each loop written from its alphabetically first element
        pairs = list(zip(cyc, cyc[1:] + cyc[:1]))
        prod = int(np.prod([signs[p] for p in pairs]))
        loops.append((cyc, {1: "R", -1: "B"}.get(prod, "?")))
    loops.sort(key=lambda lp: (len(lp[0]), lp[0]))
    return loops


def _state_2020(model: Model) -> dict[str, float]:
    """Every element's value in 2020 on the Xingtai baseline (internal delay stages too)."""
    from ..inputs.region import load_region
    r = load_region("xingtai")
    cm = model.compile()
    ds = cm.run(r.parameters(), start=r.start_year, stop=2020, dt=0.25, outputs=cm.all_names)
    state = {name: float(ds[name].values[0, -1]) for name in ds.data_vars}
    state["time"], state["time_step"] = 2020.0, 0.25
    return state


def _diagram(model: Model, names: list[str], path: Path, title: str):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import networkx as nx
    keep = set(names)
    g = nx.DiGraph()
    for n in names:
        g.add_node(n)
    for c, e in causal_links(model):
        if c in keep and e in keep:
            g.add_edge(c, e)
    size = max(8, min(26, 0.55 * len(names) ** 0.8 + 6))
    fig, ax = plt.subplots(figsize=(size, size * 0.7))
    pos = nx.kamada_kawai_layout(g) if len(g) > 1 else {n: (0, 0) for n in g}
    kinds = {"stock": ("s", "#f6c85f", 1400), "flow": ("D", "#6f9ed6", 500), "auxiliary": ("o", "#c8d6e5", 300),
             "constant": ("o", "#eeeeee", 150), "lookup": ("h", "#eeeeee", 150)}
    for kind, (shape, colour, sz) in kinds.items():
        nodes = [n for n in g if model.elements[n].kind == kind]
        nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_shape=shape, node_color=colour, node_size=sz,
                               edgecolors="#555555", ax=ax, label=kind)
    nx.draw_networkx_edges(g, pos, ax=ax, arrowsize=8, width=0.6, edge_color="#888888",
                           connectionstyle="arc3,rad=0.08", node_size=600)
    nx.draw_networkx_labels(g, pos, font_size=6, ax=ax)
    ax.set_title(title)
    ax.legend(scatterpoints=1, fontsize=7, loc="lower right")
    ax.axis("off")
    fig.tight_layout()
    try:
        atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=110))
    finally:
        plt.close(fig)


def _md_escape(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def write_reference(out: Path) -> list[Path]:
    """The scenario-file reference (from the schema) and the lever reference (from levers.csv)."""
    from ..inputs import scenario
    from ..inputs.scenario import EXOGENOUS, PARAMETER_SOURCES, SCHEDULE_KINDS, TOP_KEYS, UNCERTAINTY_KEYS, levers
    lines = ["# Scenario file reference", "",
             "Generated by `innosd docs` from the schema in `model/innosd/inputs/scenario.py`.", "",
             (scenario.__doc__ or "").strip(), "", "## Keys", "", "| key | expected |", "|---|---|"]
    lines += [f"| `{k}` | {_md_escape(v)} |" for k, v in TOP_KEYS.items()]
    lines += ["", "`name` and `region` are required (a file that `extends` another inherits them).", "",
              "## `uncertainty`", "", "| key | expected |", "|---|---|"]
    lines += [f"| `{k}` | {_md_escape(v)} |" for k, v in UNCERTAINTY_KEYS.items()]
    lines += ["", f"Parameter sources: {', '.join(f'`{p}`' for p in PARAMETER_SOURCES)} — `posterior` uses "
              "`calibration/<region>/posterior.nc` when it exists (else the priors, and the report says so).", "",
              "## Schedules", "",
              f"A lever or exogenous series is a number (from the start of the run) or a schedule of calendar "
              f"years: `{{2021: 0.1, 2024: 0.2}}` (held between years), or "
              f"`{{kind: linear, values: {{...}}}}`; kinds: {', '.join(SCHEDULE_KINDS)}. Exogenous series: "
              f"{', '.join(f'`{e}`' for e in EXOGENOUS)} (fractions per year). Every value must lie within the "
              "lever's bounds (see [levers.md](levers.md)).", ""]
    p1 = out / "scenario-file.md"
    p1.write_text("\n".join(lines) + "\n", encoding="utf-8")
    lv = ["# Lever reference", "", "Generated by `innosd docs` from `scenarios/levers.csv`. Defaults are the "
          "policy as it stood in 2020 (the baseline scenario).", "",
          "| lever | units | min | max | default | description | 说明 | mechanism | source |",
          "|---|---|---|---|---|---|---|---|---|"]
    for v in levers().values():
        lv.append(f"| `{v.name}` | {_md_escape(v.units)} | {v.min:g} | {v.max:g} | {v.default:g} | "
                  f"{_md_escape(v.description_en)} | {_md_escape(v.description_zh)} | {_md_escape(v.mechanism)} | "
                  f"{_md_escape(v.source)} |")
    p2 = out / "levers.md"
    p2.write_text("\n".join(lv) + "\n", encoding="utf-8")
    return [p1, p2]


def write_docs(out: Path | str, diagrams: bool = True) -> list[Path]:
    """Regenerate the model documentation under ``out``; returns the files written."""
    from ..sectors import SECTORS, shipped_model
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = shipped_model()
    written = write_reference(out)
    by_sector = defaultdict(list)
    for el in model.elements.values():
        if not el.internal:
            by_sector[el.sector].append(el)
    index = ["# Model reference", "",
             "Generated by `innosd docs` from the model's declarations; do not edit by hand.", "",
             f"{len(model.elements)} elements ({len(model.stocks)} stocks, including the internal stocks of "
             "delays and smooths). Units are pint expressions; `dimensionless` shares are fractions.", "",
             "| sector | elements | listing | diagram |", "|---|---|---|---|"]
    for sector, mod in SECTORS.items():
        els = by_sector.get(sector, [])
        lines = [f"# Sector: {sector}", "", (mod.__doc__ or "").strip(), "",
                 "| element | kind | equation (stock: initial value; inflows − outflows) | units | description "
                 "| source |",
                 "|---|---|---|---|---|---|"]
        for el in sorted(els, key=lambda e: ("stock flow auxiliary lookup constant".split().index(e.kind), e.name)):
            if el.kind == "stock":
                eq = f"init {el.equation}; d/dt = {' + '.join(el.inflows) or '0'}" + \
                     (f" − ({' + '.join(el.outflows)})" if el.outflows else "")
            elif el.kind == "lookup":
                eq = "lookup " + ", ".join(f"({x:g}, {y:g})" for x, y in el.points) + f" [x in {el.x_units}]"
            else:
                eq = el.equation
            desc = f"{el.en} / {el.zh}" if el.zh else el.en
            lines.append(f"| `{el.name}` | {el.kind} | `{_md_escape(eq)}` | {_md_escape(el.units)} | "
                         f"{_md_escape(desc)} | {_md_escape(el.source)} |")
        p = out / f"sector-{sector}.md"
        if diagrams:
            img = out / f"sector-{sector}.png"
            _diagram(model, [e.name for e in els if e.kind != "constant"], img, f"{sector}: stocks, flows, auxiliaries")
            lines += ["", f"![{sector} stock-and-flow diagram]({img.name})"]
            written.append(img)
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(p)
        index.append(f"| {sector} | {len(els)} | [listing]({p.name}) | "
                     + (f"[diagram](sector-{sector}.png) |" if diagrams else "|"))
    if diagrams:
        img = out / "stock-and-flow.png"
        _diagram(model, [e.name for e in model.stocks if not e.internal]
                 + [n for n in model.flow_names if not model.elements[n].internal], img,
                 "Stocks and flows of the whole model")
        index += ["", "![stock-and-flow diagram of the whole model](stock-and-flow.png)"]
        written.append(img)
    loops = feedback_loops(model, _state_2020(model))
    loop_lines = ["# Feedback loops", "",
                  "Cycles in the causal graph (up to 8 elements), with polarity measured at the Xingtai "
                  "baseline in 2020: R = reinforcing, B = balancing, ? = a link with no effect at that state.", "",
                  f"{len(loops)} loops; {sum(1 for _, p in loops if p == 'R')} reinforcing, "
                  f"{sum(1 for _, p in loops if p == 'B')} balancing.", "",
                  "| # | polarity | length | loop |", "|---|---|---|---|"]
    for i, (cyc, pol) in enumerate(loops, 1):
        loop_lines.append(f"| {i} | {pol} | {len(cyc)} | {' → '.join(cyc)} → {cyc[0]} |")
    p = out / "feedback-loops.md"
    p.write_text("\n".join(loop_lines) + "\n", encoding="utf-8")
    written.append(p)
    # every number or relation the data could not give: where a researcher should look first
    assumed = [e for e in model.elements.values() if not e.internal and "assumption" in e.source.lower()]
    by_sector: dict[str, list] = {}
    for e in assumed:
        by_sector.setdefault(e.sector or "other", []).append(e)
    lines = ["# Assumptions", "",
             "Elements whose source is, or includes, an assumption made for lack of data (the source "
             "says why). Uncertain ones have a prior in `calibration/priors.csv`; the calibration's fit "
             "report says which of those the history informs.", "",
             f"{len(assumed)} of {len(model.elements)} elements.", ""]
    for sector, els in by_sector.items():
        lines += [f"## {sector}", "", "| element | kind | value or equation | units | source |",
                  "|---|---|---|---|---|"]
        lines += [f"| `{e.name}` | {e.kind} | `{_md_escape(e.equation)}` | {e.units} | {_md_escape(e.source)} |"
                  for e in sorted(els, key=lambda e: e.name)]
        lines.append("")
    p = out / "assumptions.md"
    p.write_text("\n".join(lines), encoding="utf-8")
    written.append(p)
    index += ["", f"Feedback loops: [feedback-loops.md](feedback-loops.md) ({len(loops)} loops).", "",
              f"Assumptions made for lack of data: [assumptions.md](assumptions.md) ({len(assumed)} elements).", "",
              "References for scenario authors: [scenario-file.md](scenario-file.md), [levers.md](levers.md)."]
    p = out / "README.md"
    p.write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(p)
    return written
