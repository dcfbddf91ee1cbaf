"""innosd: the command line.  Parses arguments, calls :mod:`innosd.api`, prints.

User mistakes (a wrong lever name, a malformed file, a missing column) print one line
starting with ``innosd: error:`` and exit with status 2; nothing prints a traceback unless
``INNOSD_DEBUG=1`` is set.
"""
from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import threading
import time

from . import __version__
from .core.equations import ModelError
from .inputs.workspace import using_home


def _cmd_check(args) -> int:
    from .core.engine import Model
    from .core.units import check_units
    from .inputs.region import available_regions, load_region
    from .inputs.targets import load_targets
    from .sectors import UNIT_DEFINITIONS, all_elements

    defs = UNIT_DEFINITIONS
    model = Model(all_elements(), name="innosd")  # structure: names, kinds, parse, flows
    model.dependency_order("rates")
    model.dependency_order("init")
    n_stock = len(model.stocks)
    print(f"structure: {len(model.elements)} elements ({n_stock} stocks), no algebraic loops")
    issues = check_units(model, defs)
    for i in issues:
        print(f"units: {i}")
    print(f"units: {len(issues)} mismatch(es)")
    errors = len(issues)
    from .inputs.declarations import all_mismatches
    mismatches = all_mismatches()
    for m in mismatches:
        print(f"declarations: {m}")
    print(f"declarations: {len(mismatches)} difference(s) between levers.csv, priors.csv, constants.csv and the model")
    if mismatches:  # every later check reads levers.csv and priors.csv, which refuse to load until they agree
        print(f"check: {errors + len(mismatches)} error(s)")
        return 1
    from .inputs.priors import load_priors
    from .inputs.scenario import levers, load_scenario
    targets = load_targets()
    print(f"levers: {len(levers())}, priors: {len(load_priors())}, targets: {len(targets)}")
    from .inputs.constants import class_problems
    unexplained = class_problems(priors=load_priors())
    for line in unexplained:
        print(f"constants: {line}")
    print(f"constants: {len(unexplained)} constant(s) unclassified or uncertain without a prior "
          "(calibration/constants.csv)")
    errors += len(unexplained)
    errors += _check_levers(levers())
    errors += _check_targets(targets, levers(), load_priors())
    for key in available_regions():
        r = load_region(key)
        print(f"region {key}: {len(r.observations)} observations, {len(r.targets)} targets, "
              f"{len(r.initial_values)} sourced initial values")
    from .inputs.workspace import scenarios_dir
    for path in sorted(scenarios_dir().glob("*/*.yaml")):
        try:
            load_scenario(path)
        except ModelError as exc:
            print(f"scenario: {exc}")
            errors += 1
    from .analysis.checks import run_checks
    results = run_checks()
    for r in results:
        if not r.passed:
            print(f"behaviour check failed: {r.name}: {r.detail}")
    failed = sum(not r.passed for r in results)
    print(f"behaviour checks: {len(results) - failed} of {len(results)} pass")
    errors += failed
    print("check: " + ("OK" if not errors else f"{errors} error(s)"))
    return 1 if errors else 0


def _check_levers(defs) -> int:
    """Every lever says who pulls it and what it costs; a stated cost has units that make money."""
    from .core.units import registry
    from .inputs.scenario import JURISDICTIONS
    from .sectors import UNIT_DEFINITIONS
    ureg, errors = registry(UNIT_DEFINITIONS), 0
    money = ureg.Quantity(1, "CNY").dimensionality
    for lv in defs.values():
        problem = None
        if lv.jurisdiction not in JURISDICTIONS:
            problem = f"no jurisdiction (expected one of {', '.join(JURISDICTIONS)})"
        elif not lv.cost_source.strip():
            problem = "no cost_source (a source, or 'assumption: …' when no cost is stated)"
        elif lv.cost_per_unit == lv.cost_per_unit:
            try:
                dims = ureg.Quantity(1, f"({lv.cost_units or 'dimensionless'}) * ({lv.units})").dimensionality
            except Exception as exc:  # pint raises several kinds
                dims, problem = None, f"cost_units '{lv.cost_units}' is not a unit ({str(exc).splitlines()[0]})"
            if dims is not None and dims not in (money, ureg.Quantity(1, "CNY/year").dimensionality):
                problem = (f"cost_per_unit × cost_units × the lever's units ({lv.cost_units} × {lv.units}) is "
                           "not money or money a year")
        if problem:
            print(f"levers: {lv.name}: {problem}")
            errors += 1
    by = {}
    for lv in defs.values():
        by.setdefault(lv.jurisdiction or "none", []).append(lv.name)
    print("levers by jurisdiction: " + "; ".join(f"{j} {len(v)}" for j, v in by.items()))
    return errors


def _check_targets(targets, defs, priors) -> int:
    """Each target with the element and measure it is compared on; set-by-policy targets flagged."""
    from .inputs.scenario import EXOGENOUS
    from .inputs.targets import comparison_text, determined_by_levers, is_set_by_policy
    errors, policy, lever_only = 0, 0, []
    uncertain = set(priors) | set(EXOGENOUS)
    for _, t in targets.iterrows():
        measure = str(t.get("measure") or "").strip()
        flag = is_set_by_policy(t)
        element = t["indicator"] if t["model_value"] == t["model_value"] else None  # NaN: no model element
        line = f"target {t['target_id']}: "
        if flag:
            policy += 1
            line += (f"SET BY POLICY ({t['set_by_policy']}); element {element or '— (no model element)'}"
                     + (f": {comparison_text(t)}" if element else ""))
        elif element is None:
            line += f"indicator '{t['indicator']}' has no model element"
            errors += 1
        else:
            line += comparison_text(t)
            if determined_by_levers(element, defs, uncertain):
                lever_only.append(t["target_id"])
        if not measure:
            line += "; NO MEASURE stated (targets.csv `measure`)"
            errors += 1
        print(line + (f" — measure: {measure}" if measure else ""))
    print(f"targets: {len(targets) - policy} compared with the model, {policy} set by policy")
    if lever_only:
        print(f"targets: {len(lever_only)} compared on elements moved only by levers and fixed constants (their "
              f"probability is 0 or 1; give those constants priors or mark the target set by policy): "
              + ", ".join(lever_only))
    return errors


# what the commands print for a planner, in English and Chinese (--lang)
SAY = {
    "en": {
        "run": ("{name}: {runs} runs in {seconds:.2f} s; of {n} targets forecast, {likely} likely met (p ≥ 0.8), "
                "{uncertain} uncertain, {unlikely} unlikely (p ≤ 0.2); {policy} set by policy"),
        "no_targets": "{name}: {runs} runs in {seconds:.2f} s; no targets for {region} yet (add them to "
                      "calibration/targets.csv): the report shows the forecast only",
        "wrote": "  wrote {folder}", "done": "done in {seconds:.1f} s",
        "compared": "{n} targets compared; {moved} change by 5 points or more:",
        "wrote_plain": "wrote {folder}",
        "sens": "{name}: {method}, {factors} factors, N={n}, {runs} runs; sample {sample:.2f} s, simulate "
                "{simulate:.2f} s, analyze {analyze:.2f} s, write {write:.2f} s",
        "sens_done": "wrote {folder}  ({seconds:.1f} s)", "note": "  note: {text}", "warning": "warning: {text}",
    },
    "zh": {
        "run": ("{name}：{runs} 次运行，用时 {seconds:.2f} 秒；模型预测的 {n} 项目标中，"
                "{likely} 项可能达成（概率 ≥ 0.8），{uncertain} 项不确定，{unlikely} 项不太可能（概率 ≤ 0.2）；"
                "另有 {policy} 项由政策设定"),
        "no_targets": "{name}：{runs} 次运行，用时 {seconds:.2f} 秒；地区 {region} 尚无目标（请在 "
                      "calibration/targets.csv 中添加）：报告仅显示预测",
        "wrote": "  已写入 {folder}", "done": "完成，用时 {seconds:.1f} 秒",
        "compared": "比较了 {n} 项目标；{moved} 项的达成概率变化 5 个百分点或以上：",
        "wrote_plain": "已写入 {folder}",
        "sens": "{name}：{method}，{factors} 个因素，N={n}，{runs} 次运行；抽样 {sample:.2f} 秒，"
                "模拟 {simulate:.2f} 秒，分析 {analyze:.2f} 秒，写入 {write:.2f} 秒",
        "sens_done": "已写入 {folder}（{seconds:.1f} 秒）", "note": "  说明：{text}", "warning": "警告：{text}",
    },
}


def _cmd_run(args) -> int:
    from . import api
    from .analysis.attainment import outlook
    from .analysis.guards import exclusion_note
    say = SAY[args.lang]
    t0 = time.perf_counter()
    for ref in args.scenarios:
        fc = api.forecast(ref, runs=args.runs, seed=args.seed)
        folder = api.write_forecast(fc, out=args.out, lang=args.lang, charts=False if args.no_charts else args.charts,
                                    explain_unlikely=not args.no_reach, chart_formats=tuple(args.chart_formats))
        att = fc.attainment
        if len(fc.excluded):
            print(f"warning: {fc.scenario.name}: {exclusion_note(fc.excluded, fc.runs_simulated)}")
        if len(att) == 0:
            print(say["no_targets"].format(name=fc.scenario.name, runs=fc.ensemble.sizes["run"], seconds=fc.seconds,
                                           region=fc.scenario.region))
        else:
            modelled = att[att["status"] == "modelled"]
            looks = modelled["probability"].map(outlook)
            print(say["run"].format(name=fc.scenario.name, runs=fc.ensemble.sizes["run"], seconds=fc.seconds,
                                    n=len(modelled), likely=int((looks == "likely").sum()),
                                    uncertain=int((looks == "uncertain").sum()),
                                    unlikely=int((looks == "unlikely").sum()),
                                    policy=int((att["status"] == "set by policy").sum())))
        print(say["wrote"].format(folder=folder))
    print(say["done"].format(seconds=time.perf_counter() - t0))
    return 0


def _cmd_explore(args) -> int:
    try:
        from .explore.app import serve
    except ImportError as exc:
        raise ModelError(f"innosd explore needs Bokeh ({exc.name} is not installed): "
                         "python -m pip install 'innosd[explore]'") from None
    from .explore.session import Session
    t0 = time.perf_counter()
    session = Session(args.scenario, runs=args.runs)
    sc = session.scenario
    print(f"{sc.region}/{sc.name}: {session.runs} runs ready in {time.perf_counter() - t0:.1f} s "
          f"(one change recomputes in about {session.baseline.seconds * 1000:.0f} ms); Ctrl-C stops the server",
          flush=True)
    serve(session, port=args.port, lang=args.lang, announce=lambda url: print(f"open {url}", flush=True))
    return 0


def _cmd_calibrate(args) -> int:
    from . import api
    t0 = time.perf_counter()
    res = api.calibrate(args.region, steps=args.steps, walkers=args.walkers, seed=args.seed, quick=args.quick,
                        holdout=not args.no_holdout, progress=not args.no_progress, pooled=args.pooled,
                        influence=True)
    d = res.diagnostics
    if res.pooled is not None:
        for r in res.pooled.table.itertuples():
            ratio = f"90 % width {r.width_ratio:.2f} of the flat prior's" if hasattr(r, "width_ratio") and \
                r.width_ratio == r.width_ratio else "no region informs it"
            print(f"  pooled prior {r.parameter}: {r.used} ({ratio})")
    fit = res.fit
    print(f"{res.region}: {len(fit)} observations, {len(res.calibrated)} parameters calibrated "
          f"({len(res.prior_only)} drawn from their priors: assumptions not fitted, or no effect on fitted "
          "outputs in the window)")
    print(f"  {res.config.walkers} walkers x {res.config.steps} steps; acceptance {d['acceptance_mean']:.2f}, "
          f"tau max {d['tau_max']:.1f}, chain/tau min {d['chain_over_tau_min']:.1f}, "
          f"split-R-hat max {d['rhat_max']:.3f}")
    print(f"  {int(fit['in_band'].sum())} of {len(fit)} observations inside the 5-95 % predictive band")
    print(f"  informed by the data: {', '.join(res.identified) or 'none'}")
    for note in res.notes:
        print(f"  note: {note}")
    folder = api.write_calibration(res, out=args.out)
    print(f"  wrote {folder} (posterior.nc, fit-report.md, fit-charts/)")
    print(f"  to make it {res.region}'s posterior: innosd adopt {folder}")
    print(f"done in {time.perf_counter() - t0:.1f} s (wall time)")
    return 0


def _cmd_backtest(args) -> int:
    from . import api
    res = api.backtest(args.region, args.until, quick=args.quick, steps=args.steps, walkers=args.walkers,
                       seed=args.seed)
    print(f"{res.region}: fitted to {res.training} observation(s) up to {res.until}, forecast {len(res.points)} "
          f"held-out point(s) in {res.seconds:.0f} s")
    for _, r in res.summary.iterrows():
        cov = "" if r["forecaster"] not in ("posterior", "prior") else \
            f"; 50 % band covers {r['coverage_50']:.0%}, 90 % band {r['coverage_90']:.0%}"
        print(f"  {r['forecaster']}: {r['points']} point(s), median |log error| {r['median_abs_log_error']:.3f}{cov}")
    for note in res.notes:
        print(f"  note: {note}")
    print(f"  wrote {api.write_backtest(res, out=args.out)}")
    return 0


def _cmd_adopt(args) -> int:
    from . import api
    done = api.adopt(args.folder)
    charts = sum(p.parent.name == "fit-charts" for p in done.adopted)
    print(f"adopted {done.source} as {done.region}'s posterior: {done.target / 'posterior.nc'}, fit-report.md, "
          f"fit-charts/ ({charts} charts)")
    if done.previous is not None:
        print(f"  replaced {', '.join(done.replaced)}: kept in {done.previous}")
    else:
        print("  there was no posterior before")
    for note in done.notes:
        print(f"  note: {note}")
    return 0


def _cmd_sensitivity(args) -> int:
    from . import api
    from .figures.format import format_number
    from .runs.distributed import cluster
    t0 = time.perf_counter()
    with cluster(args.workers, args.scheduler) as client:
        res = api.sensitivity(args.scenario, method=args.method, factors=args.factors, outputs=args.outputs,
                              years=args.years, n=args.n, seed=args.seed, second_order=args.second_order,
                              client=client, over_time=(False if args.over_time == "none" else args.over_time))
    folder = api.write_sensitivity(res, out=args.out, charts=not args.no_charts, lang=args.lang)
    say = SAY[args.lang]
    print(say["sens"].format(name=res.scenario.name, method=res.method, factors=len(res.design.factors), n=res.n,
                             runs=res.runs, **res.seconds))
    for note in res.notes:
        print(say["note"].format(text=note))
    key = "ST" if res.method == "sobol" else "mu_star"
    for (output, year), g in res.indices.groupby(["output", "year"], sort=False):
        top = g.sort_values(key, ascending=False).head(3)
        print(f"  {output} {int(year)}: "
              + ", ".join(f"{r['factor']} {key} {format_number(r[key], digits=3)}" for _, r in top.iterrows()))
    for w in res.warnings:
        print(say["warning"].format(text=w))
    print(say["sens_done"].format(folder=folder, seconds=time.perf_counter() - t0))
    return 0


def _cmd_compare(args) -> int:
    from . import api
    folder, table = api.compare(args.scenarios, runs=args.runs, seed=args.seed, out=args.out, lang=args.lang)
    cols = [c for c in table.columns if c.startswith("dp[")]
    moved = table.loc[table[cols].abs().max(axis=1) >= 0.05, ["target_id"] + cols] if cols else table.iloc[:0]
    say = SAY[args.lang]
    print(say["compared"].format(n=len(table), moved=len(moved)))
    if len(moved):
        from .outputs.tables import headers
        print(headers(moved, args.lang).to_string(index=False, float_format=lambda v: f"{v:+.2f}"))
    print(say["wrote_plain"].format(folder=folder))
    return 0


def _cmd_reach(args) -> int:
    from . import api
    res = api.reach(args.scenario, args.target, args.lever, probability=args.probability, runs=args.runs,
                    seed=args.seed, from_year=args.from_year, lang=args.lang)
    print(res.message)
    return 0 if res.change is not None else 1


def _cmd_levers(args) -> int:
    from .inputs.scenario import lever_table
    df = lever_table()
    if args.csv:
        df.to_csv(sys.stdout, index=False)
        return 0
    from .figures.format import format_number
    from .inputs.scenario import JURISDICTIONS
    desc = "description_zh" if args.lang == "zh" else "description_en"
    zh = args.lang == "zh"
    heading = {"city": ("city levers", "市级杠杆"), "county": ("county levers", "县级杠杆"),
               "province": ("provincial levers (the city applies)", "省级杠杆(市里申报)"),
               "nation": ("national rules: assumptions a scenario may change, not city levers",
                          "国家政策: 情景可改变的假设, 非市级杠杆"),
               "assumption": ("stress assumptions", "情景假设(压力测试)"),
               "": ("jurisdiction not stated", "未说明权限")}
    order = {j: i for i, j in enumerate(JURISDICTIONS + ("",))}
    df = df.assign(_order=df["jurisdiction"].map(order)).sort_values("_order", kind="stable")
    from .figures.charts import display_units
    who_zh = {"city": "市级", "county": "县级", "province": "省级", "nation": "国家", "assumption": "情景假设"}
    for jurisdiction, group in df.groupby("_order", sort=True):
        print(f"== {heading[group['jurisdiction'].iloc[0]][1 if zh else 0]}")
        for _, r in group.iterrows():
            scale, unit = display_units(r["units"], args.lang)
            bounds = f"[{format_number(r['min'] * scale)} .. {format_number(r['max'] * scale)}]"
            default = format_number(r["default"] * scale)
            print(f"{r['lever']:<34} {bounds} {'默认' if zh else 'default'} {default} {unit}")
            print(f"    {r[desc]}")
            mechanism = (r["mechanism_zh"] or r["mechanism"]) if zh else r["mechanism"]
            print(f"    {'机制' if zh else 'mechanism'}: {mechanism}")
            if zh:  # who pulls it; the payer and the cost's source are quoted as levers.csv states them
                print(f"    权限：{who_zh.get(r['jurisdiction'], '—')}")
                continue
            cost = ("" if r["cost_per_unit"] != r["cost_per_unit"] else
                    f"{format_number(r['cost_per_unit'])} {r['cost_units']} per unit; ")
            print(f"    pulled by: {r['jurisdiction'] or '—'}; paid by: {r['payer'] or '—'}")
            print(f"    cost: {cost}{r['cost_source'] or '—'}")
    return 0


def _cmd_init(args) -> int:
    from . import api
    folder = api.init(args.folder)
    print(f"made a workspace in {folder}: editable scenarios/ and calibration/, an empty results/, README.md")
    print(f"  cd {folder} && innosd run SCENARIO   (or from anywhere: innosd --home {folder} run SCENARIO)")
    return 0


def _cmd_docs(args) -> int:
    from .outputs.docs import write_docs
    files = write_docs(args.out, diagrams=not args.no_diagrams)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


def _cmd_export(args) -> int:
    from . import api
    path = api.export_xmile(args.scenario, args.output, parameters=args.parameters)
    _, note = api.export_parameters(args.scenario, args.parameters)
    print(f"wrote {path} (XMILE 1.0; parameters: {note})")
    return 0


def _cmd_import(args) -> int:
    from . import api
    from .inputs.xmile import unit_warnings
    imported = api.import_xmile(args.file)
    model = imported.model
    model.compile()  # algebraic loops and the like are reported now, not at the first run
    kinds = {"stock": "stocks", "flow": "flows", "auxiliary": "auxiliaries", "constant": "constants",
             "lookup": "lookups"}
    counts = {label: sum(e.kind == kind for e in model.declared) for kind, label in kinds.items()}
    s = imported.settings
    print(f"{args.file}: model '{model.name}', " + ", ".join(f"{n} {label}" for label, n in counts.items())
          + f"; {s.method}, {s.start:g} to {s.stop:g}, dt {s.dt:g}")
    for original, name in imported.renamed.items():
        print(f"  renamed '{original}' -> {name}")
    warnings = unit_warnings(imported)
    for w in warnings:
        print(f"warning: {w}")
    print(f"units: {len(warnings)} mismatch(es)")
    if args.out:
        print(f"wrote {api.write_python_model(imported, args.out)}")
    return 0


def _cmd_verify(args) -> int:
    from .outputs.files import verify_folder
    manifest = verify_folder(args.folder)
    print(f"{args.folder}: all {len(manifest['outputs'])} files match manifest.json (SHA-256)")
    return 0


class _Parser(argparse.ArgumentParser):
    """Argument mistakes as one line (argparse prints the usage too), exit status 2."""

    def error(self, message):
        self.exit(2, f"innosd: error: {self.prog.removeprefix('innosd ')}: {message} (see {self.prog} --help)\n")


MAX_RUNS = 10_000_000


def _runs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of runs (e.g. 1000)") from None
    if not 1 <= n <= MAX_RUNS:
        raise argparse.ArgumentTypeError(f"{n} runs: expected 1 to {MAX_RUNS:,}; nearest valid choice "
                                         f"{min(max(n, 1), MAX_RUNS)}")
    return n


def _base_samples(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number (e.g. 1024)") from None
    if not 1 <= n <= 2**20:
        raise argparse.ArgumentTypeError(f"{n}: expected 1 to {2**20:,}; nearest valid choice {min(max(n, 1), 2**20)}")
    return n


def build_parser() -> argparse.ArgumentParser:
    from .analysis.defaults import (
        DEFAULT_SEED,
        DEFAULT_STEPS,
        DEFAULT_YEARS,
        MAX_DEFAULT_INDICATORS,
        METHODS,
        POLICY_YEAR,
    )
    p = _Parser(prog="innosd", description="Simulate a city's innovation system and test plans "
                                "against their official targets.")
    p.add_argument("--version", action="version", version=f"innosd {__version__}")
    p.add_argument("--home", metavar="DIR",
                   help="the workspace to read calibration/ and scenarios/ from and write results/ to (default: "
                        "INNOSD_HOME, else the current folder if it holds both, else the copy shipped with innosd, "
                        "read-only, with results in ./results/)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser("check", help="check the model's structure and units, and every data and scenario file",
                       description="Check structure (names, loops), units (pint), levers, priors, targets, "
                                   "region data and every shipped scenario. Exits 1 on any error.")
    c.set_defaults(func=_cmd_check)

    def lang_opt(q):
        q.add_argument("--lang", choices=("en", "zh"), default="en",
                       help="language of what is printed and written: en (default) or zh (Chinese)")

    def ensemble_opts(q):
        q.add_argument("--runs", type=_runs, help="number of runs (default: the scenario's uncertainty.runs)")
        q.add_argument("--seed", type=int, help="random seed (default: the scenario's uncertainty.seed)")
        q.add_argument("--out", help="output folder (default: a new results/<name>-<timestamp>/); never overwritten")
        lang_opt(q)

    r = sub.add_parser("run", help="forecast scenarios with uncertainty and score them against the targets",
                       description="Run each scenario's ensemble; write manifest.json, summary.csv, "
                                   "attainment.csv, tables.xlsx, charts (PNG) and report.html to a new folder "
                                   "<region>-<scenario>-<timestamp>.")
    r.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="a scenario file, or a shipped name such as xingtai/baseline")
    ensemble_opts(r)
    r.add_argument("--charts", choices=("headline", "all"), default="headline",
                   help="fan charts for the region's headline indicators (default) or for every indicator "
                        "with a target or history")
    r.add_argument("--no-charts", action="store_true", help="skip charts (the report has tables only)")
    r.add_argument("--chart-formats", nargs="+", choices=("png", "svg"), default=["png"], metavar="FORMAT",
                   help="chart files to write: png (embedded in the report; default) and/or svg")
    r.add_argument("--no-reach", action="store_true",
                   help="skip the search for what would lift each unlikely target (two small ensembles)")
    r.set_defaults(func=_cmd_run)

    m = sub.add_parser("compare", help="compare scenarios side by side (same seed and parameter draws)",
                       description="Forecast two or more scenarios of one region with common random numbers; "
                                   "write comparison.csv (attainment per scenario and its difference), charts "
                                   "and a report.")
    m.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    ensemble_opts(m)
    m.set_defaults(func=_cmd_compare)

    w = sub.add_parser("reach", help="what would it take: the smallest lever change that meets a target",
                       description="Search the smallest uniform change of one lever's schedule (from --from-year on) "
                                   "that meets the target with the wanted probability, or say it cannot.")
    w.add_argument("scenario", metavar="SCENARIO")
    w.add_argument("--target", required=True, help="target id (see attainment.csv)")
    w.add_argument("--lever", required=True, help="lever name (see `innosd levers`)")
    w.add_argument("--probability", type=float, default=0.8, help="wanted probability (default 0.8)")
    w.add_argument("--runs", type=_runs, default=200, help="runs per candidate (default 200)")
    w.add_argument("--seed", type=int)
    w.add_argument("--from-year", type=int,
                   help="first year of the change (default 2021, or 2023 for targets after 2023)")
    lang_opt(w)
    w.set_defaults(func=_cmd_reach)

    c = sub.add_parser(
        "calibrate", help="fit the uncertain parameters to a region's history (posterior sample + fit report)",
        description="Find the posterior mode (differential evolution + L-BFGS-B), sample the posterior with "
                    "emcee, and write posterior.nc, fit-report.md and fit-charts/ to a new results folder "
                    "(results/calibration-<region>-<timestamp>/); `innosd adopt FOLDER` then makes it the "
                    "region's posterior. Also fits to the years before the last one and checks the forecast of "
                    "the last year.")
    c.add_argument("--region", required=True, help="region key, e.g. xingtai (a folder under calibration/)")
    c.add_argument("--steps", type=int, help=f"emcee steps per walker (default {DEFAULT_STEPS}; 400 with --quick)")
    c.add_argument("--walkers", type=int,
                   help="emcee walkers, even and at least 2 x parameters + 2 (default: 64 or that minimum)")
    c.add_argument("--seed", type=int, help=f"random seed (default {DEFAULT_SEED})")
    c.add_argument("--quick", action="store_true", help="a short run for trying things out (not for publishing)")
    c.add_argument("--no-holdout", action="store_true", help="skip the out-of-sample check (faster)")
    c.add_argument("--pooled", action="store_true",
                   help="pool across the province: the shared parameters of calibration/pooled.yaml get a "
                        "province-level prior fitted to the other regions first (takes several calibrations)")
    c.add_argument("--no-progress", action="store_true", help="no progress bars")
    c.add_argument("--out", help="output folder (default: a new results/calibration-<region>-<timestamp>/); "
                                 "never overwritten")
    c.set_defaults(func=_cmd_calibrate)

    b = sub.add_parser(
        "backtest", help="fit on the history up to a year, forecast the rest, and score it against naive forecasts",
        description="Calibrate the region on its observations up to --until, forecast the later ones (to 2020), "
                    "and report the coverage of the 50 %% and 90 %% predictive bands and the median |log error|, "
                    "with the same for the model run from its priors, a log-linear trend through the same data and "
                    "the plan's own target; writes backtest.csv, backtest.md and manifest.json to a new folder.")
    b.add_argument("--region", required=True, help="region key, e.g. xingtai")
    b.add_argument("--until", required=True, type=int, help="last year of the observations fitted")
    b.add_argument("--quick", action="store_true", help="short calibration settings (for trying things out)")
    b.add_argument("--steps", type=int, help="emcee steps per walker (default: as innosd calibrate)")
    b.add_argument("--walkers", type=int, help="emcee walkers (default: as innosd calibrate)")
    b.add_argument("--seed", type=int, help=f"random seed (default {DEFAULT_SEED})")
    b.add_argument("--out", help="output folder (default: a new results/backtest-<region>-<until>-<timestamp>/)")
    b.set_defaults(func=_cmd_backtest)

    a = sub.add_parser(
        "adopt", help="make a calibration results folder its region's posterior (keeps the previous one)",
        description="Check the folder's files against its manifest.json, move calibration/<region>/posterior.nc, "
                    "fit-report.md and fit-charts/ to calibration/<region>/previous/<timestamp>/, and copy the "
                    "folder's in. The region is read from the manifest.")
    a.add_argument("folder", metavar="RESULTS_FOLDER", help="a folder written by `innosd calibrate`")
    a.set_defaults(func=_cmd_adopt)

    s = sub.add_parser(
        "sensitivity", help="global sensitivity analysis (Sobol' indices or Morris screening) of a scenario",
        description="Vary uncertain parameters and/or levers, run the whole design in one vectorised ensemble, "
                    "and write Sobol' indices (S1, ST with confidence intervals, optionally S2) or Morris mu*/sigma "
                    "per output and year: indices.csv, bar charts, indices over time, warnings.txt and "
                    "manifest.json in a new results folder.")
    s.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or a shipped name such as xingtai/baseline")
    s.add_argument("--method", choices=METHODS, default="sobol",
                   help="sobol: variance-based indices (default); morris: cheap screening of many factors")
    s.add_argument("--factors", nargs="+", default=["params"], metavar="FACTORS",
                   help="params (uncertain parameters, over their priors), levers (the scenario's levers over "
                        f"their bounds, constant from {POLICY_YEAR}), both, or names of parameters and levers "
                        "(default: params)")
    s.add_argument("--outputs", nargs="+", metavar="OUTPUT",
                   help="indicators (model outputs) and/or gap:<target_id> (metric minus target value); default: "
                        f"the indicators of the region's targets in --years (at most {MAX_DEFAULT_INDICATORS}) "
                        "and those targets' gaps")
    s.add_argument("--years", nargs="+", type=float, default=list(DEFAULT_YEARS), metavar="YEAR",
                   help="years whose indicator values are analysed (default: 2025 2027)")
    s.add_argument("--n", type=_base_samples, default=1024,
                   help="Sobol': base samples N, a power of 2 (runs = N(2D+2) with --second-order, else N(D+2)); "
                        "Morris: trajectories (runs = N(D+1)); default 1024")
    s.add_argument("--seed", type=int, help="random seed of the design (default: the scenario's seed)")
    s.add_argument("--second-order", action=argparse.BooleanOptionalAction, default=False,
                   help="also compute second-order (pairwise) Sobol' indices (doubles the runs); default off")
    s.add_argument("--over-time", metavar="INDICATOR",
                   help="indicator whose indices are charted over every year (default: the first output's "
                        "indicator; 'none' to skip)")
    s.add_argument("--out", help="output folder (default: a new results/sensitivity-<scenario>-<method>-<timestamp>/);"
                                 " never overwritten")
    s.add_argument("--no-charts", action="store_true", help="skip charts")
    lang_opt(s)
    g = s.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, metavar="N",
                   help="simulate on a local Dask cluster of N worker processes (same results as a local run)")
    g.add_argument("--scheduler", metavar="ADDRESS",
                   help="simulate on a running Dask cluster, e.g. tcp://host:8786 (workers need innosd installed)")
    s.set_defaults(func=_cmd_sensitivity)

    x = sub.add_parser("export", help="write the model with a scenario and one parameter set as XMILE (Stella, PySD)",
                       description="Write the whole model with the scenario's levers (schedules as graphical "
                                   "functions of time) and one parameter set as an XMILE 1.0 file that PySD runs and "
                                   "Stella opens. An existing file is never overwritten.")
    x.add_argument("scenario", metavar="SCENARIO", help="a scenario file, or a shipped name such as xingtai/baseline")
    x.add_argument("--format", choices=("xmile",), default="xmile", help="file format (xmile)")
    x.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write, e.g. xingtai.xmile")
    x.add_argument("--parameters", default="median", metavar="median|run:K",
                   help="median: each parameter's posterior median (default); run:K: the parameters of run K of "
                        "`innosd run SCENARIO`")
    x.set_defaults(func=_cmd_export)

    i = sub.add_parser("import", help="read an XMILE model as an innosd model and check its units",
                       description="Read an XMILE 1.0 model (Stella, PySD, innosd export), check its structure and "
                                   "units (mismatches are warnings), and optionally write it as a Python module of "
                                   "declarations. Unsupported constructs are reported one per line, naming the "
                                   "element.")
    i.add_argument("file", metavar="FILE.xmile")
    i.add_argument("--out", metavar="FILE.py", help="write the model as a Python module (never overwrites a file)")
    i.set_defaults(func=_cmd_import)

    v = sub.add_parser("verify", help="check a results folder's files against its manifest.json (SHA-256)",
                       description="Check that every file a results folder's manifest.json lists is there and "
                                   "unchanged. Exits 2 naming the first file that is not.")
    v.add_argument("folder", metavar="RESULTS_FOLDER")
    v.set_defaults(func=_cmd_verify)

    e = sub.add_parser("explore", help="a local web page: move levers, see the fan charts and targets change",
                       description="Serve an explorer on http://127.0.0.1:PORT/ (this computer only): a slider and "
                                   "a start year per lever, fan charts with history and targets, the probability "
                                   "of meeting each target against the scenario as loaded, and saving the levers "
                                   "as a new scenario file. Needs the 'explore' extra (Bokeh).")
    e.add_argument("scenario", nargs="?", default="xingtai/baseline", metavar="SCENARIO",
                   help="a scenario file, or a shipped name (default xingtai/baseline)")
    e.add_argument("--port", type=int, default=5006, help="port on 127.0.0.1 (default 5006; 0: a free port)")
    e.add_argument("--runs", type=int, help="runs per change (default: the scenario's uncertainty.runs)")
    e.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the page")
    e.set_defaults(func=_cmd_explore)

    lv = sub.add_parser("levers", help="list the policy levers with units, bounds and mechanism")
    lang_opt(lv)
    lv.add_argument("--csv", action="store_true", help="print as CSV")
    lv.set_defaults(func=_cmd_levers)

    i = sub.add_parser("init", help="make a workspace: editable copies of the scenarios and calibration data",
                       description="Copy scenarios/ and calibration/ from the data in use into a new folder, with an "
                                   "empty results/ and a README.md. Run innosd from that folder (or with --home) to "
                                   "use and edit the copies; results then go to its results/.")
    i.add_argument("folder", metavar="DIR", help="a new or empty folder")
    i.set_defaults(func=_cmd_init)

    d = sub.add_parser("docs", help="regenerate the model documentation (equations, loops, diagrams)",
                       description="Write an equation listing per sector with units and sources, the feedback "
                                   "loops with measured polarity, and stock-and-flow diagrams.")
    d.add_argument("--out", default="docs/model", help="output folder (default docs/model)")
    d.add_argument("--no-diagrams", action="store_true", help="skip the diagram images")
    d.set_defaults(func=_cmd_docs)
    return p


def _one_line_warning(message, category, filename, lineno, line=None) -> str:
    return f"innosd: warning: {message}\n"


def _terminate(signum, frame):
    # SIGTERM unwinds like Ctrl-C: staging folders are removed and chart workers terminated
    raise KeyboardInterrupt


def main(argv=None) -> int:
    import warnings
    shown, warnings.formatwarning = warnings.formatwarning, _one_line_warning  # one line, not a source listing
    try:
        return _main(argv)
    finally:
        warnings.formatwarning = shown


def _main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version, or one line for a mistake: a status, also in-process
        return done.code if isinstance(done.code, int) else 2
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with using_home(args.home):
            return args.func(args)
    except OSError as exc:
        if os.environ.get("INNOSD_DEBUG") or exc.errno not in _WRITE_ERRORS:
            raise
        where = f" {exc.filename}" if exc.filename else ""
        print(f"innosd: error: cannot write{where}: {exc.strerror} (earlier results are untouched)", file=sys.stderr)
        return 2
    except MemoryError:
        print("innosd: error: out of memory; use fewer --runs", file=sys.stderr)
        return 2
    except ModelError as exc:
        if os.environ.get("INNOSD_DEBUG"):
            raise
        msg = str(exc)
        if len(msg) > 1 and msg[0] == msg[-1] and msg[0] in "'\"":  # a KeyError's message comes quoted
            msg = msg[1:-1]
        msg = msg or type(exc).__name__
        print(f"innosd: error: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("innosd: interrupted; nothing partial was left behind", file=sys.stderr)
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


#: errors of writing files a user can act on (permissions, a full or read-only disk)
_WRITE_ERRORS = {errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.ENAMETOOLONG}


if __name__ == "__main__":
    sys.exit(main())
