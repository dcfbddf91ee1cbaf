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

from ..analysis.loops import causal_links, feedback_loops
from ..core.engine import Model
from .files import atomic_write

#: runs per variant of the one-lever-at-a-time table (77 variants for 38 levers: about 10 s a region)
ONE_AT_A_TIME_RUNS = 100


def write_levers_one_at_a_time(out: Path, runs: int = ONE_AT_A_TIME_RUNS) -> list[Path]:
    """The one-lever-at-a-time table of every region with a baseline scenario and targets a lever
    can move (after the policy year, not set by policy), the region with most targets first."""
    from ..analysis.one_at_a_time import one_lever_at_a_time
    from ..inputs.region import load_region
    from ..inputs.targets import load_targets
    from ..inputs.workspace import scenarios_dir
    from .one_at_a_time import write_one_at_a_time
    counts = load_targets()["region"].str.lower().str.split().str[0].value_counts()
    regions = sorted((r for r in counts.index if (scenarios_dir() / r / "baseline.yaml").is_file()),
                     key=lambda r: (-counts[r], r))
    from ..analysis.one_at_a_time import compared_targets
    from ..inputs.scenario import as_scenario
    movable = [r for r in regions if len(compared_targets(load_region(r), as_scenario(f"{r}/baseline").settings)[0])]
    results = [(load_region(r).name, one_lever_at_a_time(f"{r}/baseline", runs=runs)) for r in movable]
    return write_one_at_a_time(out, results, [load_region(r).name for r in regions if r not in movable])


def _state_2020(model: Model) -> dict[str, float]:
    """Every element's value in 2020 on the Xingtai baseline (internal delay stages too)."""
    from ..inputs.region import load_region
    r = load_region("xingtai")
    cm = model.compile()
    ds = cm.run(r.parameters(), start=r.start_year, stop=2020, dt=0.25, outputs=cm.all_names)
    state = {name: float(ds[name].values[0, -1]) for name in ds.data_vars}
    state["time"], state["time_step"] = 2020.0, 0.25
    return state


def _dominance_chart(model: Model, loops, path: Path, top: int = 8):
    """Relative loop scores over 2016-2030 on the Xingtai baseline (default parameters)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..analysis.loops import loop_dominance
    from ..core.engine import RunSettings
    from ..inputs.region import load_region
    r = load_region("xingtai")
    df = loop_dominance(model, model.compile(), r.parameters(), RunSettings(r.start_year, 2030), loops,
                        times=list(range(r.start_year + 1, 2030)))
    table = df.pivot(index="time", columns="loop", values="score")
    shown = table.abs().max().sort_values(ascending=False).index[:top]
    fig, ax = plt.subplots(figsize=(11, 5.5))
    for name in shown:
        label = name if len(name) < 110 else name[:107] + "..."
        ax.plot(table.index, table[name], marker="o", ms=3, label=label)
    ax.axhline(0, color="#888888", lw=0.8)
    ax.set_xlabel("year (end of)")
    ax.set_ylabel("relative loop score")
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1, frameon=False)
    fig.tight_layout()
    atomic_write(path, lambda fh: fig.savefig(fh, format="png", dpi=110, metadata={"Software": None}))
    plt.close(fig)


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
          "`jurisdiction` says who pulls a lever: `city`, `county`, `province`, `nation` (national rules: "
          "assumptions a scenario may change, not the city's levers) or `assumption` (stress shocks). The cost "
          "columns say who pays and what one unit of the lever costs, with a source or `assumption: …`.", "",
          "| lever | units | min | max | default | description | 说明 | mechanism | source | jurisdiction | paid by "
          "| cost per unit | cost |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for v in levers().values():
        cost = "" if v.cost_per_unit != v.cost_per_unit else f"{v.cost_per_unit:g} {v.cost_units}"
        lv.append(f"| `{v.name}` | {_md_escape(v.units)} | {v.min:g} | {v.max:g} | {v.default:g} | "
                  f"{_md_escape(v.description_en)} | {_md_escape(v.description_zh)} | {_md_escape(v.mechanism)} | "
                  f"{_md_escape(v.source)} | {v.jurisdiction} | {_md_escape(v.payer)} | {_md_escape(cost)} | "
                  f"{_md_escape(v.cost_source)} |")
    p2 = out / "levers.md"
    p2.write_text("\n".join(lv) + "\n", encoding="utf-8")
    return [p1, p2]


def write_docs(out: Path | str, diagrams: bool = True) -> list[Path]:
    """Regenerate the model documentation under ``out``; returns the files written."""
    from ..sectors import SECTORS, shipped_model
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = shipped_model()
    written = write_reference(out) + write_levers_one_at_a_time(out)
    by_sector = defaultdict(list)
    for el in model.elements.values():
        if not el.internal:
            by_sector[el.sector].append(el)
    from ..inputs.constants import classes
    from ..inputs.priors import load_priors
    klass, priors = classes(), load_priors()
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
            kind = el.kind
            if el.kind == "constant":  # its class (calibration/constants.csv) and, if uncertain, its prior
                kind += f": {klass.get(el.name, 'unclassified')}"
                if el.name in priors:
                    p = priors[el.name]
                    kind += f", prior {p.distribution} [{p.lo:g}, {p.hi:g}]"
            lines.append(f"| `{el.name}` | {kind} | `{_md_escape(eq)}` | {_md_escape(el.units)} | "
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
    main = [e.name for e in model.stocks if not e.internal]
    through = sorted(((sum(1 for lp in loops if n in lp.elements), n) for n in main), reverse=True)
    loop_lines = ["# Feedback loops", "",
                  "Every loop through up to 8 stocks, found on the stock graph (a stock links to another "
                  "when a chain of auxiliaries and flows leads to it without passing a third; up to three "
                  "shortest chains per pair), with polarity measured at the Xingtai baseline in 2020: "
                  "R = reinforcing, B = balancing, ? = a link with no effect at that state. "
                  "See `innosd.analysis.loops`.", "",
                  f"{len(loops)} loops; {sum(lp.polarity == 'R' for lp in loops)} reinforcing, "
                  f"{sum(lp.polarity == 'B' for lp in loops)} balancing.", "",
                  "## Loops through each stock", "",
                  "| stock | loops |", "|---|---|"]
    loop_lines += [f"| {n} | {k} |" for k, n in through if k]
    loop_lines += ["", "Stocks in no loop (driven, not feeding back): "
                   + ", ".join(f"`{n}`" for k, n in sorted(through, key=lambda x: x[1]) if not k) + ".", ""]
    img = out / "loop-dominance.png"
    if diagrams:
        _dominance_chart(model, loops, img)
        written.append(img)
    loop_lines += ["## Which loops drive the baseline, year by year", "",
                   "Relative loop scores (loops that matter; Schoenberg, Davidsen & Eberlein 2020) on the "
                   "Xingtai baseline at the default parameters: each loop's share of the listed loops' "
                   "activity, signed by its polarity. The eight loops with the largest scores are shown. By the "
                   "method's definition a stock link scores inflow / net flow, so loops through stocks near "
                   "balance (inflow ≈ outflow, e.g. the stages of a delay) score high.", "",
                   f"![loop dominance]({img.name})", ""]
    loop_lines += ["## All loops", "", "| # | polarity | elements | loop |", "|---|---|---|---|"]
    for i, lp in enumerate(loops, 1):
        path = " → ".join([*lp.elements, lp.elements[0]])
        loop_lines.append(f"| {i} | {lp.polarity} | {len(lp.elements)} | {path} |")
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
              "Constants by class (`calibration/constants.csv`: rule and measured are fixed with their rule or "
              "source; assumption and calibrated carry a prior in `calibration/priors.csv` unless the reason "
              "says why they are fixed; levers are set by scenarios): "
              + ", ".join(f"{c} {sum(1 for v in klass.values() if v == c)}"
                          for c in ("rule", "measured", "assumption", "calibrated", "lever"))
              + f"; {sum(1 for n in model.constants if n in priors)} constants have a prior.", "",
              "References for scenario authors: [scenario-file.md](scenario-file.md), [levers.md](levers.md).", "",
              "What each lever moves: [levers-one-at-a-time.md](levers-one-at-a-time.md) (each lever at its "
              "bounds, one at a time: which targets move and how much)."]
    p = out / "README.md"
    p.write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(p)
    return written
