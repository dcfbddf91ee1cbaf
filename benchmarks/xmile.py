"""The shipped model exported to XMILE: innosd against PySD, runs per second; see benchmarks/README.md.

    python benchmarks/xmile.py [--scenario xingtai/baseline] [--pysd-runs 5]

Exports the scenario with its posterior medians (`innosd export`), reads the file with
`pysd.read_xmile`, and runs both engines with the same parameter draws from the posterior.
innosd runs n = 1 (one run per call, repeated), 100 and 10,000 (one ensemble each, through
`run_ensemble`); PySD runs one run per call, so a few runs are timed and the rate extrapolated
to n = 100 and 10,000 (marked ~). Prints one table and the largest relative difference of
every stock between the engines. Writes nothing outside a temporary folder it removes.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True  # write nothing next to the benchmark

from innosd import api  # noqa: E402
from innosd.inputs.region import load_region  # noqa: E402
from innosd.runs.ensemble import merge_inputs, region_parameter_sets, run_ensemble  # noqa: E402
from innosd.sectors import compiled_model, shipped_model  # noqa: E402

SIZES = (1, 100, 10_000)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="xingtai/baseline")
    ap.add_argument("--pysd-runs", type=int, default=5, help="PySD runs timed (default 5)")
    args = ap.parse_args()
    import pysd

    sc = api.load(args.scenario)
    region = load_region(sc.region)
    stocks = [e.name for e in shipped_model().stocks if not e.internal]
    draws = region_parameter_sets(region, "posterior", max(SIZES), sc.seed)
    cm = compiled_model()
    settings = sc.settings

    def params(n):
        return merge_inputs({k: v[:n] for k, v in draws.values.items()}, region=region, scenario=sc)

    ours = {}
    for n in SIZES:
        p = params(n)
        run_ensemble(cm, params(min(n, 10)), min(n, 10), settings, outputs=stocks)  # warm-up (compiles)
        if n == 1:
            repeat = 20
            t0 = time.perf_counter()
            for _ in range(repeat):
                run_ensemble(cm, p, 1, settings, outputs=stocks)
            ours[n] = repeat / (time.perf_counter() - t0)
        else:
            t0 = time.perf_counter()
            run_ensemble(cm, p, n, settings, outputs=stocks)
            ours[n] = n / (time.perf_counter() - t0)

    folder = Path(tempfile.mkdtemp(prefix="innosd-xmile-bench-"))
    try:
        path = api.export_xmile(sc, folder / "shipped.xmile")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PySD warns at every lookup read beyond its last point
            t0 = time.perf_counter()
            pm = pysd.read_xmile(str(path))
            load = time.perf_counter() - t0
            k = args.pysd_runs
            varied = sorted(draws.values)
            reference = run_ensemble(cm, params(k), k, settings, outputs=stocks)
            t0 = time.perf_counter()
            results = [pm.run(params={name: float(draws.values[name][i]) for name in varied},
                              return_columns=stocks, return_timestamps=reference.time.values)
                       for i in range(k)]
            rate = k / (time.perf_counter() - t0)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    worst = max(float(np.max(np.abs(res[s].to_numpy() - reference[s].values[i])
                             / np.maximum(np.abs(reference[s].values[i]), 1e-12)))
                for i, res in enumerate(results) for s in stocks)

    print(f"{args.scenario}: the shipped model ({len(stocks)} stocks, {len(cm.model.elements)} elements), "
          f"{settings.start:g}-{settings.stop:g} dt {settings.dt} Euler, every stock kept yearly; "
          f"{len(varied)} parameters drawn from the posterior per run")
    print(f"{'runs/s':<22}" + "".join(f"{'n=' + format(n, ','):>14}" for n in SIZES))
    print(f"{'innosd':<22}" + "".join(f"{ours[n]:>14,.0f}" for n in SIZES))
    print(f"{'PySD ' + pysd.__version__:<22}" + f"{rate:>14,.2f}" + "".join(f"{'~' + format(rate, ',.2f'):>14}"
                                                                          for n in SIZES[1:]))
    print(f"{'innosd / PySD':<22}" + "".join(f"{ours[n] / rate:>14,.0f}" for n in SIZES))
    print(f"PySD: {k} runs timed one after another (~: the same rate extrapolated; 10,000 runs would take "
          f"~{10_000 / rate / 60:,.0f} min); reading the XMILE file took {load:.1f} s.")
    print(f"largest relative difference of any stock, PySD vs innosd, over the {k} runs: {worst:.1e} "
          f"({'OK' if worst < 1e-9 else 'FAIL'}, tolerance 1e-9)")


if __name__ == "__main__":
    main()
