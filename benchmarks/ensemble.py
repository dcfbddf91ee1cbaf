"""Ensemble throughput of the innosd engine (runs per second); see benchmarks/README.md.

    python benchmarks/ensemble.py

Prints one compact table and writes nothing. The comparison with PySD is benchmarks/xmile.py.
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # write nothing next to the benchmark
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test12 import CONSTANTS, DT, ELEMENTS, START, STOP, VARIED, hand_loop  # noqa: E402

from innosd.core.engine import Model  # noqa: E402
from innosd.runs.ensemble import CHUNK  # noqa: E402  (runs per call for large n, as innosd runs ensembles)

SIZES = [1, 1_000, 10_000, 100_000]
ONE_CALL = 100_000  # runs in one engine call (the engine integrates them in blocks itself)
OUTPUTS = ["patents", "hte_total", "researchers"]  # recorded outputs (the engine keeps only these)


def sample(n, seed=0):
    rng = np.random.default_rng(seed)
    return {k: CONSTANTS[k][0] * rng.uniform(0.8, 1.2, n) for k in VARIED}


def scalar(params, i):
    return {k: float(v[i]) for k, v in params.items()}


def chunks(n):
    return [(lo, min(lo + CHUNK, n)) for lo in range(0, n, CHUNK)]


def timed(fn, n, repeat):
    """Best-of-``repeat`` throughput of ``fn(params, n)`` in runs/s."""
    best = float("inf")
    for r in range(repeat):
        params = sample(n, seed=r)
        t0 = time.perf_counter()
        fn(params, n)
        best = min(best, time.perf_counter() - t0)
    return n / best


def throughput(run_chunk, n):
    """runs/s at n: n = 1 repeats single runs; large n runs in chunks of CHUNK."""
    if n == 1:
        params = sample(50, seed=9)
        t0 = time.perf_counter()
        for i in range(50):
            run_chunk(scalar(params, i), 1)
        return 50 / (time.perf_counter() - t0)

    def whole(params, n):
        for lo, hi in chunks(n):
            run_chunk({k: v[lo:hi] for k, v in params.items()}, hi - lo)
    return timed(whole, n, repeat=3 if n <= 10_000 else 2)


def one_call(fn, n, repeat=3):
    """Seconds of single calls ``fn(params, n)``: (first, best of ``repeat``)."""
    seconds = []
    for r in range(repeat):
        params = sample(n, seed=r)
        t0 = time.perf_counter()
        fn(params, n)
        seconds.append(time.perf_counter() - t0)
    return seconds[0], min(seconds)


def main():
    rows, notes = {}, []
    kw = dict(start=START, stop=STOP, dt=DT, save_every=1.0)

    # (b1) the test model in our equation language, compiled by our engine
    cm = Model(ELEMENTS, name="test12").compile()
    engine = lambda p, n: cm.run(p, outputs=OUTPUTS, **kw)  # noqa: E731
    engine(sample(10), 10)  # warm-up
    # (b2) the same equations as a hand-written vectorised NumPy Euler loop
    hand = lambda p, n: hand_loop(p, n, outputs=OUTPUTS)  # noqa: E731
    hand(sample(10), 10)

    # One call of ONE_CALL runs each, measured first: a process's first large call is where
    # per-step temporaries used to be paged in afresh every step.
    engine_first, engine_best = one_call(engine, ONE_CALL)
    hand_first, hand_best = one_call(hand, ONE_CALL)

    rows["test12: innosd engine"] = [throughput(engine, n) for n in SIZES]
    rows["test12: hand NumPy loop"] = [throughput(hand, n) for n in SIZES]

    # check the two agree (same equations, same Euler steps)
    p = sample(1000, seed=5)
    ours, theirs = cm.run(p, outputs=OUTPUTS, **kw), hand(p, 1000)
    hand_diff = max(float(np.max(np.abs(ours[k].values.T - theirs[k]) / np.abs(theirs[k]))) for k in OUTPUTS)

    # (a) the shipped model
    try:
        from innosd.sectors import all_elements
        shipped = Model(all_elements(), name="shipped").compile()
        stocks = shipped.stock_names[:3]
        ship = lambda p, n: shipped.run(None, n_runs=n, outputs=stocks, **kw)  # noqa: E731
        ship(None, 10)
        rows[f"shipped model ({len(shipped.stock_names)} stocks)"] = [throughput(ship, n) for n in SIZES]
    except Exception as exc:  # noqa: BLE001 - report and carry on
        notes.append(f"shipped model not available: {type(exc).__name__}: {exc}")

    width = max(len(k) for k in rows) + 2
    print(f"runs/s, 2016-2030 dt {DT} Euler, {len(OUTPUTS)} outputs kept yearly, chunks of {CHUNK:,}")
    print(f"{'':{width}}" + "".join(f"{'n=' + format(n, ','):>12}" for n in SIZES))
    for name, vals in rows.items():
        print(f"{name:{width}}" + "".join(f"{v:>12,.0f}" for v in vals))
    eng, hnd = rows["test12: innosd engine"][2], rows["test12: hand NumPy loop"][2]
    ratio = hnd / eng
    print(f"engine time / hand-loop time at n=10,000: {ratio:.2f} "
          f"({'OK' if ratio <= 1.5 else 'SLOW'}, limit 1.5); max rel. difference engine vs hand {hand_diff:.1e}")
    first, best = engine_first / hand_first, engine_best / hand_best
    print(f"one call of n={ONE_CALL:,}: engine {engine_first:.2f} s first, {engine_best:.2f} s best of 3; hand loop "
          f"{hand_first:.2f} s first, {hand_best:.2f} s best; engine / hand loop {first:.2f} first calls, "
          f"{best:.2f} best ({'OK' if max(first, best) <= 1.2 else 'SLOW'}, limit 1.2)")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
