"""Run-time implementations of the equation functions (vectorised over runs).

Semantics follow Vensim (see :data:`innosd.equations.FUNCTIONS`).  ``step``, ``ramp`` and
``pulse`` read the clock through the ``time`` and ``time_step`` arguments that the code
generator passes in; the stateful functions never reach this module because they are
rewritten into internal stocks (:func:`innosd.equations.expand_stateful`).
"""
from __future__ import annotations

from functools import reduce

import numpy as np


def f_min(*xs):
    return reduce(np.minimum, xs)


def f_max(*xs):
    return reduce(np.maximum, xs)


def f_clip(x, lo, hi):
    return np.minimum(np.maximum(x, lo), hi)


def f_if_then_else(cond, a, b):
    return np.where(cond, a, b)


def f_step(time, time_step, height, t0):
    # Vensim: the step is seen from the first computation at or after t0 (time + dt/2 > t0).
    return np.where(time + time_step / 2 > t0, height, 0.0 * height)


def f_ramp(time, time_step, slope, t0, t1):
    return slope * (np.clip(time, t0, np.maximum(t0, t1)) - t0)


def f_pulse(time, time_step, t0, width):
    width = np.maximum(width, time_step)
    return np.where((time + time_step / 2 > t0) & (time + time_step / 2 < t0 + width), 1.0, 0.0)


def f_pulse_train(time, time_step, t0, width, interval, t_end):
    # Vensim PULSE TRAIN: a pulse of ``width`` (one time step when 0) every ``interval`` from t0
    # until t_end, seen from the computation at or after each start (as pulse and step).
    width = np.maximum(width, time_step)
    t = time + time_step / 2
    phase = np.mod(t - t0, interval)
    return np.where((t > t0) & (t < t_end + width) & (phase < width), 1.0, 0.0)


def f_lookup(table, x):
    xs, ys = table
    return np.interp(x, xs, ys)  # np.interp holds the end values beyond the table: flat


def f_lookup_step(table, x):
    xs, ys = table
    # the last point at or before x; before the first point, the first value (flat, as lookup)
    return ys[np.clip(np.searchsorted(xs, x, side="right") - 1, 0, len(xs) - 1)]


def f_and(a, b):
    return np.logical_and(a, b)


def f_or(a, b):
    return np.logical_or(a, b)


def f_not(a):
    return np.logical_not(a)


NAMESPACE = {
    "_f_min": f_min, "_f_max": f_max, "_f_abs": np.abs, "_f_exp": np.exp, "_f_log": np.log,
    "_f_sqrt": np.sqrt, "_f_modulo": np.mod, "_f_clip": f_clip, "_f_if_then_else": f_if_then_else,
    "_f_step": f_step, "_f_ramp": f_ramp, "_f_pulse": f_pulse, "_f_pulse_train": f_pulse_train,
    "_f_lookup": f_lookup, "_f_lookup_step": f_lookup_step,
    "_f_and": f_and, "_f_or": f_or, "_f_not": f_not,
}
#: functions that also receive (time, time_step) as their first two arguments
CLOCKED = {"step", "ramp", "pulse", "pulse_train"}
