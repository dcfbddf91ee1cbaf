"""Time a Sobol' analysis end to end: 10 uncertain parameters, N = 1024, second-order indices.

    python benchmarks/sobol.py [--scenario xingtai/baseline] [--n 1024] [--k 10] [--workers N]

22,528 runs (N(2D + 2)) of the shipped model on the Xingtai baseline; prints the time of each
phase (loading and compiling the model, sampling, simulation, analysis, writing files and
charts) and the total.  The results folder goes to a temporary directory that is removed
unless ``--keep`` is given.  Target: under 10 s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

# PySD runs one model at a time.  The issue estimates about five minutes for these 22,528
# simulations (75 runs/s); benchmarks/ensemble.py measures PySD's rate on its 12-stock test
# model, which has been far lower on the 2-core machine (see benchmarks/README.md).
PYSD_RUNS_PER_SECOND = 75


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="xingtai/baseline")
    ap.add_argument("--n", type=int, default=1024, help="Sobol' base samples N (default 1024)")
    ap.add_argument("--k", type=int, default=10, help="number of parameters (the widest priors; default 10)")
    ap.add_argument("--workers", type=int, help="simulate on a local Dask cluster of this many processes")
    ap.add_argument("--keep", action="store_true", help="keep the results folder (printed)")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from innosd import api
    from innosd.analysis.sensitivity import widest_parameters
    from innosd.runs.distributed import cluster
    from innosd.sectors import compiled_model
    sc = api.load(args.scenario)
    compiled_model()
    factors = widest_parameters(sc, args.k)
    t_load = time.perf_counter() - t0

    tmp = Path(tempfile.mkdtemp(prefix="innosd-sobol-"))
    try:
        with cluster(args.workers) as client:
            t1 = time.perf_counter()
            res = api.sensitivity(sc, "sobol", factors=factors, n=args.n, second_order=True, client=client)
            t_analysis = time.perf_counter() - t1
        folder = api.write_sensitivity(res, out=tmp / "sobol")
        s = res.seconds
        total = time.perf_counter() - t0
        n_out = res.indices.groupby(["output", "year"]).ngroups
        n_charts = len(list((folder / "charts").glob("*.png")))
        print(f"Sobol' analysis: {args.scenario}, {len(factors)} parameters (widest priors), N={res.n}, "
              f"second order, {res.runs:,} runs, {n_out} outputs"
              + (f", {args.workers} Dask workers" if args.workers else ""))
        print(f"  parameters: {', '.join(factors)}")
        print(f"  {'load scenario, compile model':<34}{t_load:7.2f} s")
        print(f"  {'sample (SALib, priors ppf)':<34}{s['sample']:7.2f} s")
        print(f"  {'simulate (vectorised engine)':<34}{s['simulate']:7.2f} s   "
              f"({res.runs / s['simulate']:,.0f} runs/s)")
        print(f"  {'analyze (S1, ST, S2 + bootstrap)':<34}{s['analyze']:7.2f} s   "
              f"({n_out} outputs + {res.over_time['year'].nunique() if res.over_time is not None else 0} "
              f"years of '{res.over_time_indicator}')")
        print(f"  {'write files and charts':<34}{s['write']:7.2f} s   ({n_charts} charts, PNG + SVG)")
        other = t_analysis - s["sample"] - s["simulate"] - s["analyze"]
        print(f"  {'other (outputs, checks)':<34}{other:7.2f} s")
        phases = s["sample"] + s["simulate"] + s["analyze"] + s["write"] + other
        print(f"  {'sample to charts':<34}{phases:7.2f} s   ({'under' if phases < 10 else 'OVER'} the 10 s target)")
        print(f"  {'total, with loading':<34}{total:7.2f} s")
        print(f"  PySD, one run at a time, would need about {res.runs / PYSD_RUNS_PER_SECOND / 60:.0f} minutes for "
              f"the simulations alone (at {PYSD_RUNS_PER_SECOND} runs/s; benchmarks/ensemble.py measures its rate)")
        for w in res.warnings:
            print(f"  warning: {w}")
        if args.keep:
            kept = Path("results") / folder.name
            shutil.copytree(folder, kept)
            print(f"  kept {kept}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
