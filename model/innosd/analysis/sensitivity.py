"""Global sensitivity analysis with SALib: Sobol' indices or Morris screening, of any model.

The module follows SALib's contract, sample -> evaluate -> analyze:

1. :func:`sample` draws a design on the unit cube with SALib (``SALib.sample.sobol`` or
   ``SALib.sample.morris``) and maps each column onto its factor through the factor's ``ppf``
   (an uncertain parameter through its prior, a lever or a :func:`uniform_factor` uniformly
   over its bounds);
2. the whole design is evaluated at once, in one ensemble through
   :func:`innosd.runs.ensemble.run_ensemble` (chunked, locally or on a Dask cluster):
   :func:`evaluate` for a scenario of the shipped model, :func:`evaluate_model` for any
   compiled model (a researcher's own); or by any vectorised function of ``design.values``;
3. :func:`analyze` computes, per output, first-order and total indices with bootstrap
   confidence intervals (and second-order indices), or Morris' mu* and sigma, and returns a
   :class:`SensitivityResult` (``to_df()``, ``plot()``) with warnings about the design's size
   and the estimates.

:func:`sensitivity` runs the three steps for a scenario (``innosd sensitivity``); writing its
results folder is :func:`innosd.outputs.sensitivity.write_sensitivity`.  Nothing here writes a file.

Sobol' indices use SALib's estimators (Saltelli et al. 2010 for S1 and ST, Saltelli 2002
for S2) and SALib's bootstrap, evaluated for all factors and factor pairs at once with NumPy
(``SALib.analyze.sobol.analyze`` loops over the 45 pairs of 10 factors and their resamples
one by one, about 0.35 s per output).  The numbers are SALib's: the test suite checks them
against ``SALib.analyze.sobol.analyze``, and ``backend="salib"`` calls SALib itself.
Morris indices come from ``SALib.analyze.morris.analyze``.

Outputs of a scenario analysis are an indicator's value in a year, or ``gap:<target_id>``:
the target's metric (:func:`innosd.analysis.attainment.metric`, e.g. yearly growth since the
base year) minus the target value, in model units; positive means above the target.
Levers vary as one constant value from :data:`POLICY_YEAR` on; before it the scenario's own
schedule holds.  Parameters that are not factors hold their model defaults.
"""
from __future__ import annotations

import math
import time
import warnings as _warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.engine import CompiledModel, RunSettings
from ..core.equations import ModelError
from ..core.names import nearest_always
from ..core.series import Series
from ..figures.sensitivity import bar_chart, over_time_chart
from ..inputs.region import load_region
from ..inputs.scenario import as_scenario, levers
from ..inputs.targets import LEVEL_COMPARATORS
from ..runs.distributed import DaskEvaluator
from ..runs.ensemble import Evaluator, check_memory, merge_inputs, run_ensemble
from ..sectors import compiled_model
from ..sectors.model_error import MODEL_ERROR_PARAMETERS
from .attainment import metric
from .defaults import DEFAULT_YEARS, MAX_DEFAULT_INDICATORS, METHODS, POLICY_YEAR  # noqa: F401 (re-exported)

FACTOR_SETS = ("params", "levers", "both")
MORRIS_LEVELS = 4
CONF_LEVEL = 0.95
NUM_RESAMPLES = 100
BACKENDS = ("numpy", "salib")

SOBOL_COLUMNS = ["output", "year", "factor", "S1", "S1_conf", "ST", "ST_conf"]
MORRIS_COLUMNS = ["output", "year", "factor", "mu", "mu_star", "mu_star_conf", "sigma"]
S2_COLUMNS = ["output", "year", "factor_1", "factor_2", "S2", "S2_conf"]


def _next_pow2(x: float) -> int:
    return 1 << max(0, math.ceil(math.log2(max(1.0, x))))


def _is_pow2(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


# --- factors and the design ----------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    """One input varied by the analysis; ``ppf`` maps the unit interval onto its values."""

    name: str
    kind: str                 # 'parameter', 'lever' or 'custom'
    lo: float
    hi: float
    ppf: Callable[[np.ndarray], np.ndarray] = field(compare=False, repr=False)
    distribution: str = "uniform"
    units: str = ""

    def values(self, u) -> np.ndarray:
        return np.asarray(self.ppf(np.asarray(u, float)), float)


def uniform_factor(name: str, lo: float, hi: float, units: str = "", kind: str = "custom") -> Factor:
    lo, hi = float(lo), float(hi)
    return Factor(name, kind, lo, hi, lambda u: lo + (hi - lo) * np.asarray(u, float), "uniform", units)


def prior_factor(prior) -> Factor:
    """An uncertain parameter varied over its prior (an :class:`innosd.inputs.priors.Prior`):
    the design's unit interval is mapped through the prior's ``ppf``."""
    p = prior
    desc = p.distribution if p.distribution == "uniform" else f"{p.distribution}({p.p1:g}, {p.p2:g})"
    return Factor(p.name, "parameter", p.lo, p.hi, p.ppf, f"{desc} on [{p.lo:g}, {p.hi:g}]", p.units)


def problem_of(factors: Sequence[Factor]) -> dict:
    """SALib's problem dict; the design lives on the unit cube (``ppf`` maps it onto values)."""
    return {"num_vars": len(factors), "names": [f.name for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}


@dataclass
class Design:
    method: str
    factors: list[Factor]
    n: int                    # Sobol: base samples N; Morris: trajectories r
    seed: int
    second_order: bool
    unit: np.ndarray          # (runs, D) on the unit cube, as SALib drew it
    values: np.ndarray        # (runs, D) factor values
    num_levels: int = MORRIS_LEVELS

    @property
    def runs(self) -> int:
        return self.unit.shape[0]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.factors]


def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ModelError(f"unknown method '{method}'; the closest valid one is '{nearest_always(method, METHODS)}' "
                         f"(methods: {', '.join(METHODS)})")
    return method


def runs_needed(method: str, n: int, d: int, second_order: bool = True) -> int:
    """Model runs of a design: N(2D+2) or N(D+2) for Sobol', r(D+1) for Morris."""
    if method == "sobol":
        return n * (2 * d + 2 if second_order else d + 2)
    return n * (d + 1)


def sample(factors: Sequence[Factor], method: str = "sobol", n: int = 1024, *, seed: int = 0,
           second_order: bool = True, num_levels: int = MORRIS_LEVELS) -> Design:
    """Draw the design with SALib on the unit cube and map it onto the factors."""
    _check_method(method)
    factors = list(factors)
    if len(factors) < 2:
        raise ModelError(f"a sensitivity analysis needs at least two factors, got {len(factors)}")
    names = [f.name for f in factors]
    dup = sorted({x for x in names if names.count(x) > 1})
    if dup:
        raise ModelError(f"factor '{dup[0]}' is given twice")
    n = int(n)
    if n < 2:
        raise ModelError(f"--n must be at least 2, got {n}; the closest valid value is 2 "
                         f"(use {'1024' if method == 'sobol' else '20'} or more for usable indices)")
    problem = problem_of(factors)
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")      # our own warnings say what to do (see check_design)
        if method == "sobol":
            from SALib.sample import sobol as salib_sobol
            unit = salib_sobol.sample(problem, n, calc_second_order=second_order, seed=seed)
        else:
            from SALib.sample import morris as salib_morris
            unit = salib_morris.sample(problem, n, num_levels=num_levels, seed=seed)
    unit = np.asarray(unit, float)
    values = np.column_stack([f.values(unit[:, j]) for j, f in enumerate(factors)])
    bad = [f.name for j, f in enumerate(factors) if not np.all(np.isfinite(values[:, j]))]
    if bad:
        raise ModelError(f"factor '{bad[0]}': its distribution gives non-finite values on the unit cube")
    return Design(method, factors, n, int(seed), bool(second_order and method == "sobol"), unit, values,
                  num_levels)


# --- analysis ------------------------------------------------------------------------------

def _sobol_numpy(Y: np.ndarray, D: int, second_order: bool, seed: int, conf_level: float,
                 num_resamples: int) -> dict:
    """SALib's Sobol' estimators and bootstrap (``SALib.analyze.sobol.analyze``), all factors and
    pairs at once.  Same normalisation, same resample indices, same formulas."""
    from scipy.stats import norm
    step = 2 * D + 2 if second_order else D + 2
    N = Y.size // step
    Y = (Y - Y.mean()) / Y.std()
    M = Y.reshape(N, step)
    A, B, AB = M[:, 0], M[:, step - 1], M[:, 1:D + 1]
    BA = M[:, D + 1:2 * D + 1] if second_order else None
    rng = np.random.default_rng(seed).integers if seed else np.random.randint
    r = rng(N, size=(N, num_resamples))
    Z = norm.ppf(0.5 + conf_level / 2)
    eps = np.finfo(float).eps

    def estimates(A, B, AB, BA):
        # runs on the last axis: A, B (..., N); AB, BA (D, ..., N).  S1, ST: (D, ...); S2: (D, D, ...)
        var = np.var(np.concatenate([A, B], axis=-1), axis=-1)
        ok = var > eps
        safe = np.where(ok, var, 1.0)
        n = A.shape[-1]
        # mean(B (AB_j - A)), as mean(B AB_j) - mean(B A): the same number, without an (D, ..., N) temporary
        S1 = np.where(ok, (np.einsum("...n,j...n->j...", B, AB) - np.einsum("...n,...n->...", B, A)) / n / safe, 0.0)
        ST = np.where(ok, 0.5 * np.mean((A - AB) ** 2, axis=-1) / safe, 0.0)
        S2 = None
        if BA is not None:
            # mean(BA_j AB_k) for every pair at once, as a batched matrix product
            cross = np.moveaxis(np.matmul(np.moveaxis(BA, 0, -2), np.moveaxis(AB, 0, -1)), (-2, -1), (0, 1)) / n
            V = np.where(ok, (cross - np.mean(A * B, axis=-1)) / safe, 0.0)
            S2 = V - S1[:, None] - S1[None, :]
        return S1, ST, S2

    ABt = np.ascontiguousarray(AB.T)
    BAt = np.ascontiguousarray(BA.T) if second_order else None
    S1, ST, S2 = estimates(A, B, ABt, BAt)
    rt = np.ascontiguousarray(r.T)                     # (resamples, N)
    Ar, Br, ABr = A[rt], B[rt], ABt[:, rt]
    BAr = BAt[:, rt] if second_order else None
    S1r, STr, S2r = estimates(Ar, Br, ABr, BAr)
    constant = np.ptp(np.concatenate([Ar, Br])) == 0.0
    out = {"S1": S1, "ST": ST,
           "S1_conf": np.zeros(D) if constant else Z * S1r.std(axis=-1, ddof=1),
           "ST_conf": np.zeros(D) if constant else Z * STr.std(axis=-1, ddof=1)}
    if second_order:
        upper = np.triu(np.ones((D, D), bool), 1)
        out["S2"] = np.where(upper, S2, np.nan)
        out["S2_conf"] = np.where(upper, Z * S2r.std(axis=-1, ddof=1), np.nan)
    return out


def _sobol_salib(Y, D, second_order, seed, conf_level, num_resamples, problem) -> dict:
    from SALib.analyze import sobol as salib_sobol
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        S = salib_sobol.analyze(problem, Y, calc_second_order=second_order, num_resamples=num_resamples,
                                conf_level=conf_level, seed=seed)
    keys = ("S1", "S1_conf", "ST", "ST_conf") + (("S2", "S2_conf") if second_order else ())
    return {k: np.asarray(S[k]) for k in keys}


def _first_order_rows(Y: np.ndarray, D: int) -> np.ndarray:
    """The A, AB_j and B rows of a second-order Saltelli design (enough for S1 and ST)."""
    N = Y.size // (2 * D + 2)
    return Y.reshape(N, 2 * D + 2)[:, list(range(D + 1)) + [2 * D + 1]].ravel()


def _as_outputs(design: Design, Y) -> dict:
    """``Y`` as ``{output: values per run}``: a mapping (keys ``(output, year)`` or names), one
    value per run (output ``y``), or a (runs, k) array (outputs ``y0``, ``y1``, ...)."""
    if isinstance(Y, Mapping):
        return dict(Y)
    Y = np.asarray(Y, float)
    if Y.ndim == 2 and Y.shape[1] == 1:
        Y = Y[:, 0]
    if Y.ndim == 1:
        return {"y": Y}
    if Y.ndim == 2 and Y.shape[0] == design.runs:
        return {f"y{i}": Y[:, i] for i in range(Y.shape[1])}
    raise ModelError(f"expected one value per run of the design ({design.runs} runs) or a (runs, outputs) "
                     f"array, got an array of shape {Y.shape}")


def _check_backend(backend: str) -> str:
    if backend not in BACKENDS:
        raise ModelError(f"unknown backend '{backend}'; the closest valid one is '{nearest_always(backend, BACKENDS)}'")
    return backend


def _indices(design: Design, Y: Mapping, second_order: bool | None, conf_level: float, num_resamples: int,
             backend: str) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """The tidy indices of every output, the second-order table (Sobol' with second-order
    indices) and notes about outputs that could not be analysed (not varying, or not finite)."""
    method, D, names = design.method, len(design.factors), design.names
    s2 = design.second_order if second_order is None else (second_order and design.second_order)
    seed = design.seed + 1          # SALib treats seed 0 as "unseeded"
    problem = problem_of(design.factors)
    rows, s2_rows, notes = [], [], []
    problems: dict[tuple[str, str], list] = {}
    for key, y in Y.items():
        output, year = key if isinstance(key, tuple) else (key, np.nan)
        y = np.asarray(y, float).ravel()
        if y.size != design.runs:
            raise ModelError(f"output '{output}': {y.size} values for a design of {design.runs} runs")
        bad = int(np.sum(~np.isfinite(y)))
        res = None
        if bad:
            problems.setdefault((output, "nonfinite"), []).append((year, bad))
        elif np.ptp(y) <= np.finfo(float).eps * max(1.0, float(np.abs(y).max())):
            problems.setdefault((output, "constant"), []).append((year, 0))
        elif method == "sobol":
            if design.second_order and not s2:
                y = _first_order_rows(y, D)
            if backend == "salib":
                res = _sobol_salib(y, D, s2, seed, conf_level, num_resamples, problem)
            else:
                res = _sobol_numpy(y, D, s2, seed, conf_level, num_resamples)
        else:
            from SALib.analyze import morris as salib_morris
            with _warnings.catch_warnings():
                _warnings.simplefilter("ignore")
                res = salib_morris.analyze(problem, design.unit, y, num_resamples=num_resamples,
                                           conf_level=conf_level, num_levels=design.num_levels, seed=seed)
            res = {k: np.asarray(res[k], float) for k in ("mu", "mu_star", "mu_star_conf", "sigma")}
        cols = ("S1", "S1_conf", "ST", "ST_conf") if method == "sobol" else ("mu", "mu_star", "mu_star_conf", "sigma")
        for j, name in enumerate(names):
            rows.append({"output": output, "year": year, "factor": name,
                         **{c: (float(res[c][j]) if res is not None else np.nan) for c in cols}})
        if method == "sobol" and s2:
            for j in range(D):
                for k in range(j + 1, D):
                    s2_rows.append({"output": output, "year": year, "factor_1": names[j], "factor_2": names[k],
                                    "S2": float(res["S2"][j, k]) if res is not None else np.nan,
                                    "S2_conf": float(res["S2_conf"][j, k]) if res is not None else np.nan})
    for (output, why), items in problems.items():
        years = [int(y) for y, _ in items if not pd.isna(y)]
        what = f"'{output}'" + (f" in {', '.join(map(str, years))}" if years else "")
        if why == "nonfinite":
            worst = max(b for _, b in items)
            most = " (at most, in any year)" if len(items) > 1 else ""
            notes.append(f"{what}: {worst} of {design.runs} runs{most}"
                         + " have no finite value (the model breaks down for some factor values); indices not "
                         "computed: narrow the factors' ranges")
        else:
            notes.append(f"{what} does not vary across the design: the factors do not affect it; indices undefined")
    columns = SOBOL_COLUMNS if method == "sobol" else MORRIS_COLUMNS
    df = pd.DataFrame(rows, columns=columns)
    s2df = pd.DataFrame(s2_rows, columns=S2_COLUMNS) if method == "sobol" and s2 else None
    return df, s2df, notes


# --- warnings ------------------------------------------------------------------------------

def recommended_n(method: str, d: int) -> int:
    """Sobol': base samples N, a power of 2 of at least 512 and 64 per factor (the usual rule of
    thumb is N of 500-1000 or more, more with more factors).  Morris: trajectories r, at least
    20 and two per factor (Campolongo et al. 2007 found 10-20 enough for screening)."""
    if method == "sobol":
        return _next_pow2(max(512, 64 * d))
    return max(20, 2 * d)


def check_design(method: str, n: int, d: int) -> list[str]:
    """Warnings about the size of a design, before anything is run."""
    out = []
    rec = recommended_n(method, d)
    if method == "sobol":
        if n < rec:
            out.append(f"N={n} is too small for {d} factors: Sobol' indices and their confidence intervals will "
                       f"be unreliable; use N={rec} or more (rule of thumb: 500-1000 base samples or more, "
                       f"at least 64 per factor, a power of 2)")
        if not _is_pow2(n):
            out.append(f"N={n} is not a power of 2: Sobol' sequences are balanced only at powers of 2, which "
                       f"the estimates' convergence relies on; use N={_next_pow2(max(n, rec))}")
    elif n < max(10, d):
        out.append(f"{n} Morris trajectories are too few for {d} factors: the screening (mu*, sigma) will be "
                   f"unreliable; use --n {rec} or more (at least 20 trajectories and two per factor)")
    return out


def check_indices(df: pd.DataFrame, method: str, n: int) -> list[str]:
    """Warnings about the estimates: confidence intervals spanning zero, sums that make no sense."""
    out: list[str] = []
    if df.empty:
        return out
    where = lambda r: f"'{r['output']}'" + (f" {int(r['year'])}" if not pd.isna(r["year"]) else "")  # noqa: E731
    if method == "morris":
        wide = df[df["mu_star_conf"] > df["mu_star"]]
        if len(wide):
            ex = ", ".join(f"{r['factor']} on {where(r)}" for _, r in wide.head(3).iterrows())
            out.append(f"the confidence interval of mu* is wider than mu* itself for {len(wide)} of {len(df)} "
                       f"factor-output pairs (e.g. {ex}): the ranking of those factors is uncertain; use "
                       f"--n {max(2 * n, 20)} or more trajectories")
        return out
    floor = recommended_n("sobol", int(df["factor"].nunique()))   # never suggest less than the rule of thumb
    for idx in ("S1", "ST"):
        lo, hi = df[idx] - df[f"{idx}_conf"], df[idx] + df[f"{idx}_conf"]
        defined = int(df[idx].notna().sum())
        span = df[(lo < 0) & (hi > 0) & df[idx].notna()]   # an exact 0 ± 0 is no effect at all, not doubt
        if not len(span):
            continue
        # N to shrink an interval below its estimate: the interval narrows as 1/sqrt(N)
        span = span.reindex(span[idx].abs().sort_values(ascending=False).index)
        big = span[span[idx].abs() >= 0.05]
        need = (n * (big[f"{idx}_conf"] / big[idx].abs()) ** 2).max() if len(big) else 4 * n
        need = _next_pow2(max(min(max(need, 2 * n), 64 * n), floor))
        ex = ", ".join(f"{r['factor']} on {where(r)} ({r[idx]:.3f} ± {r[f'{idx}_conf']:.3f})"
                       for _, r in (big if len(big) else span).head(3).iterrows())
        label = "first-order (S1)" if idx == "S1" else "total (ST)"
        out.append(f"the 95% confidence interval of the {label} index spans zero for {len(span)} of {defined} "
                   f"factor-output pairs, e.g. {ex}: those effects are not distinguishable from zero at N={n}"
                   + (f"; use N={need} to resolve the ones that are not small" if len(big) else
                      f"; they are small (the factors are likely not influential); N={need} would confirm it"))
    for (output, year), g in df.groupby(["output", "year"], dropna=False, sort=False):
        if g["S1"].isna().all():
            continue
        r = g.iloc[0]
        tag = where(r)
        s1sum = g["S1"].sum()
        rec = _next_pow2(max(4 * n, floor))
        if s1sum > 1.05:
            out.append(f"{tag}: first-order indices sum to {s1sum:.2f} (> 1): the estimates are noisy; use N={rec}")
        low = g[g["ST"] < g["S1"] - np.maximum(0.05, g["S1_conf"] + g["ST_conf"])]
        if len(low):
            f0 = low.iloc[0]
            out.append(f"{tag}: total index below the first-order index for {len(low)} factor(s) (e.g. "
                       f"{f0['factor']}: ST {f0['ST']:.3f} < S1 {f0['S1']:.3f}), which cannot be; use N={rec}")
        big_st = g[g["ST"] - g["ST_conf"] > 1.0]
        if len(big_st) or g["ST"].max() > 1.05:
            f0 = g.loc[g["ST"].idxmax()]
            out.append(f"{tag}: total index above 1 ({f0['factor']}: ST {f0['ST']:.2f} ± {f0['ST_conf']:.2f}), which "
                       f"cannot be: the output is probably heavy-tailed (a few runs far from the rest), which the "
                       f"estimators handle badly; use N={rec} or more, or narrow the factors' ranges")
        # negative beyond noise: clearly below zero, or below zero with the whole interval
        neg = g[(g["S1"] < -0.05) | (g["ST"] < -0.05) | ((g["S1"] + g["S1_conf"] < 0) & (g["S1"] < -0.01))
                | ((g["ST"] + g["ST_conf"] < 0) & (g["ST"] < -0.01))]
        if len(neg):
            f0 = neg.iloc[0]
            out.append(f"{tag}: negative indices for {len(neg)} factor(s) (e.g. {f0['factor']}: S1 {f0['S1']:.3f}, "
                       f"ST {f0['ST']:.3f}); indices are shares of variance and cannot be negative; use N={rec}")
    return out


# --- results -------------------------------------------------------------------------------

@dataclass
class SensitivityResult:
    method: str
    design: Design
    indices: pd.DataFrame                     # tidy: one row per output, year and factor
    s2: pd.DataFrame | None = None            # Sobol' second-order indices
    over_time: pd.DataFrame | None = None     # indices of one indicator in every year
    over_time_indicator: str | None = None
    outputs: pd.DataFrame | None = None       # what each output is (and its spread over the design)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    scenario: object = None                   # the Scenario of a scenario analysis
    years: tuple[int, ...] = ()
    conf_level: float = CONF_LEVEL            # of the confidence intervals

    @property
    def factors(self) -> pd.DataFrame:
        return pd.DataFrame([{"factor": f.name, "kind": f.kind, "distribution": f.distribution, "lo": f.lo,
                              "hi": f.hi, "units": f.units} for f in self.design.factors])

    @property
    def n(self) -> int:
        return self.design.n

    @property
    def runs(self) -> int:
        return self.design.runs

    @property
    def seed(self) -> int:
        return self.design.seed

    @property
    def second_order(self) -> bool:
        return self.design.second_order

    def to_df(self) -> pd.DataFrame:
        """The tidy indices table: one row per output, year and factor, with S1, S1_conf, ST and
        ST_conf (Sobol') or mu, mu_star, mu_star_conf and sigma (Morris)."""
        return self.indices.copy()

    def plot(self, output: str | None = None, year: int | None = None, *, over_time: bool = False):
        """A figure (nothing is written): the bars of one output's indices per factor (default:
        the first output, in its first year), or with ``over_time=True`` the over-time indicator's
        indices in every year."""
        if over_time:
            if self.over_time is None:
                raise ModelError("this result has no indices over time (sensitivity(..., over_time=INDICATOR))")
            return over_time_chart(self.over_time, self.method, self.over_time_indicator)
        df = self.indices
        labels = list(dict.fromkeys(df["output"]))
        output = labels[0] if output is None else output
        if output not in labels:
            raise ModelError(f"no output '{output}' in this result; the closest valid one is "
                             f"'{nearest_always(output, labels)}'")
        rows = df[df["output"] == output]
        years = [int(y) for y in dict.fromkeys(rows["year"]) if not pd.isna(y)]
        if years:
            year = years[0] if year is None else year
            if year not in years:
                raise ModelError(f"output '{output}' has no year {year}; the closest valid one is "
                                 f"{min(years, key=lambda y: abs(y - year))}")
            rows = rows[rows["year"] == year]
        return bar_chart(rows, self.method, f"{output} {year}" if years else str(output))


def analyze(design: Design, Y, *, second_order: bool | None = None, conf_level: float = CONF_LEVEL,
            num_resamples: int = NUM_RESAMPLES, backend: str = "numpy") -> SensitivityResult:
    """Indices of each output in ``Y`` over ``design``: SALib's ``analyze`` step.

    ``Y``: ``{output: one value per run}`` (keys ``(output, year)`` or names, as :func:`evaluate`
    and :func:`evaluate_model` return), one value per run, or a (runs, k) array.
    ``second_order=False`` on a second-order design computes S1 and ST only (faster).
    The result's warnings say whether the design is large enough and the estimates make sense.
    """
    _check_backend(backend)
    t0 = time.perf_counter()
    df, s2, notes = _indices(design, _as_outputs(design, Y), second_order, conf_level, num_resamples, backend)
    warns = check_design(design.method, design.n, len(design.factors)) + notes \
        + check_indices(df, design.method, design.n)
    return SensitivityResult(design.method, design, df, s2, warnings=warns,
                             seconds={"analyze": time.perf_counter() - t0}, conf_level=conf_level)


# --- a scenario's factors and outputs ------------------------------------------------------

def scenario_factors(scenario, factors: str | Sequence[str] = "params") -> tuple[list[Factor], list[str]]:
    """Factors of a scenario: ``params`` (uncertain parameters, from the priors), ``levers``
    (the scenario's levers over their bounds), ``both``, or names of parameters and levers.
    Returns the factors and notes for the reader."""
    region = load_region(scenario.region)
    priors = region.priors_in_use()
    defs = levers()
    region_set = set(region.parameters())
    fixed_by_scenario = set(scenario.parameters)
    # the model error's sizes move nothing in these deterministic runs (no noise inputs): not factors
    params = [p for p in priors if p not in region_set and p not in fixed_by_scenario and p not in defs
              and p not in MODEL_ERROR_PARAMETERS]
    lever_names = [n for n, lv in defs.items() if lv.max > lv.min]
    items = [factors] if isinstance(factors, str) else list(factors)
    if not items:
        raise ModelError(f"no factors given; expected one of {', '.join(FACTOR_SETS)} or parameter/lever names")
    names: list[str] = []
    notes: list[str] = []
    for item in items:
        if item in ("params", "both"):
            names += params
            if fixed_by_scenario & set(priors):
                notes.append("parameters the scenario fixes are not varied: "
                             + ", ".join(sorted(fixed_by_scenario & set(priors))))
        if item in ("levers", "both"):
            names += lever_names
        if item in FACTOR_SETS:
            continue
        if item in region_set:
            near = nearest_always(item, params + lever_names)
            raise ModelError(f"factor '{item}' is a constant the region's data sets ({scenario.region}), not an "
                             f"uncertain parameter; the closest valid factor is '{near}'")
        if item in defs:
            lv = defs[item]
            if not lv.max > lv.min:
                raise ModelError(f"lever '{item}' has no range to vary ([{lv.min}, {lv.max}])")
            names.append(item)
        elif item in priors:
            names.append(item)
        else:
            valid = list(FACTOR_SETS) + params + lever_names
            raise ModelError(f"unknown factor '{item}'; the closest valid one is '{nearest_always(item, valid)}' "
                             f"(factors: params, levers, both, or names of uncertain parameters and levers)")
    names = list(dict.fromkeys(names))
    out = []
    for nm in names:
        if nm in defs:
            lv = defs[nm]
            out.append(uniform_factor(nm, lv.min, lv.max, lv.units, kind="lever"))
        else:
            out.append(prior_factor(priors[nm]))
    if not out:
        raise ModelError(f"no factors to vary for '{factors}' in scenario '{scenario.name}'")
    return out, notes


def widest_parameters(scenario, k: int = 10) -> list[str]:
    """The ``k`` uncertain parameters whose priors are widest relative to their default
    (90 % interval over |default|, or over the interval's midpoint when the default is 0)."""
    scenario = as_scenario(scenario)
    facs, _ = scenario_factors(scenario, "params")
    priors = load_region(scenario.region).priors_in_use()

    def width(name):
        p = priors[name]
        lo, hi = p.interval(0.9)
        scale = abs(p.default) or abs(lo + hi) / 2 or 1.0
        return (hi - lo) / scale
    return sorted((f.name for f in facs), key=width, reverse=True)[:k]


@dataclass(frozen=True)
class Output:
    label: str                # an indicator's name or 'gap:<target_id>'
    year: int
    indicator: str
    target: dict | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.label, self.year)


def scenario_outputs(scenario, outputs: Sequence[str] | None,
                     years: Sequence[int]) -> tuple[list[Output], list[str]]:
    """Outputs of a scenario analysis; by default the indicators of the region's targets in
    ``years`` (at most :data:`MAX_DEFAULT_INDICATORS`) and those targets' gaps.  Returns the
    outputs and notes for the reader."""
    region = load_region(scenario.region)
    recorded = compiled_model().recorded
    needs_targets = not outputs or any(str(o).startswith("gap:") for o in outputs)
    targets = region.targets if needs_targets else None
    start, stop = int(round(scenario.start)), int(round(scenario.stop))
    notes = []

    def in_period(t) -> bool:
        base = t.get("base_year")
        needs_base = t["comparator"] not in LEVEL_COMPARATORS and not pd.isna(base)
        return start <= int(t["year"]) <= stop and (not needs_base or start <= int(base) <= stop)

    out: list[Output] = []
    if outputs is None or len(outputs) == 0:
        if targets is None or not len(targets):
            raise ModelError(f"region '{scenario.region}' has no targets to take default outputs from; "
                             f"give --outputs (e.g. '{nearest_always('gdp', recorded)}')")
        chosen = targets[targets["year"].isin(list(years))]
        chosen = chosen[[in_period(t) and t["indicator"] in recorded and region.supports(t["indicator"])
                         for _, t in chosen.iterrows()]]
        if not len(chosen):
            yrs = sorted({int(y) for y in targets["year"]})
            raise ModelError(f"region '{scenario.region}' has no modelled target in {', '.join(map(str, years))}; "
                             f"choose --years among the target years ({', '.join(map(str, yrs))}; closest: "
                             f"{min(yrs, key=lambda y: abs(y - years[0]))}) or give --outputs")
        indicators = list(dict.fromkeys(chosen["indicator"]))
        if len(indicators) > MAX_DEFAULT_INDICATORS:
            notes.append(f"default outputs limited to the first {MAX_DEFAULT_INDICATORS} of {len(indicators)} "
                         f"target indicators; left out: {', '.join(indicators[MAX_DEFAULT_INDICATORS:])} "
                         "(name them with --outputs)")
            indicators = indicators[:MAX_DEFAULT_INDICATORS]
        for ind in indicators:
            out += [Output(ind, int(y), ind) for y in years]
        for _, t in chosen[chosen["indicator"].isin(indicators)].iterrows():
            out.append(Output(f"gap:{t['target_id']}", int(t["year"]), t["indicator"], t.to_dict()))
        notes.append("default outputs: " + ", ".join(indicators) + f" in {', '.join(map(str, years))}, and the gaps "
                     "of their targets in those years: " + ", ".join(o.label[4:] for o in out if o.target))
        return out, notes
    ids = list(targets["target_id"]) if targets is not None and len(targets) else []
    for name in outputs:
        if name.startswith("gap:"):
            tid = name[4:]
            if tid not in ids:
                raise ModelError(f"unknown output '{name}': region '{scenario.region}' has no target '{tid}'; the "
                                 f"closest valid one is 'gap:{nearest_always(tid, ids)}'" if ids else
                                 f"unknown output '{name}': region '{scenario.region}' has no targets")
            t = targets[targets["target_id"] == tid].iloc[0]
            if t["indicator"] not in recorded:
                raise ModelError(f"output '{name}': the target's indicator '{t['indicator']}' is not a model output")
            if not in_period(t):
                raise ModelError(f"output '{name}': the target's year(s) fall outside the scenario's period "
                                 f"{start}-{stop}")
            if not region.supports(t["indicator"]):
                notes.append(f"'{t['indicator']}' is not modelled for {region.name} (data lacking); its indices "
                             "describe the model only")
            out.append(Output(name, int(t["year"]), t["indicator"], t.to_dict()))
        else:
            if name not in recorded:
                valid = recorded + [f"gap:{i}" for i in ids]
                raise ModelError(f"unknown output '{name}'; the closest valid one is '{nearest_always(name, valid)}' "
                                 "(outputs: model indicators, or gap:<target_id>)")
            if not region.supports(name):
                notes.append(f"'{name}' is not modelled for {region.name} (data lacking); its indices describe "
                             "the model only")
            out += [Output(name, int(y), name) for y in years]
    keys = [o.key for o in out]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ModelError(f"output '{dup[0][0]}' is given twice")
    return out, notes


def _check_years(scenario, years) -> tuple[int, ...]:
    start, stop = int(round(scenario.start)), int(round(scenario.stop))
    valid = list(range(start + 1, stop + 1))
    out = []
    for y in years:
        if isinstance(y, bool) or float(y) != int(float(y)):
            raise ModelError(f"--years {y}: expected whole years; the closest valid one is {round(float(y))}")
        y = int(float(y))
        if y not in valid:
            near = min(valid, key=lambda v: abs(v - y))
            raise ModelError(f"--years {y} is outside the scenario's period ({start + 1}-{stop}); the closest "
                             f"valid year is {near}")
        out.append(y)
    if not out:
        raise ModelError(f"no --years given; choose years in {start + 1}-{stop}, e.g. {min(2025, stop)}")
    return tuple(dict.fromkeys(out))


def lever_schedule(scenario, name: str, values: np.ndarray, policy_year: int = POLICY_YEAR):
    """A per-run Series: the scenario's schedule before ``policy_year``, ``values`` (one per run) from it on."""
    values = np.asarray(values, float)
    start = float(scenario.start)
    py = max(float(policy_year) - 1.0, start)  # calendar year Y starts at model time Y - 1
    if py <= start:
        return values
    current = scenario.levers.get(name)
    if current is None or not isinstance(current, Series):
        before = [start]
    elif current.kind == "step":
        before = [start] + [float(y) for y in current.years if start < y < py]
    else:  # linear: hold it at each time step, as the engine would read it
        before = list(start + scenario.dt * np.arange(int(round((py - start) / scenario.dt))))
    pts = np.array([scenario.lever_value(name, y) for y in before])
    sched = np.empty((values.size, len(before) + 1))
    sched[:, :-1] = pts
    sched[:, -1] = values
    return Series(np.array(before + [py]), sched, kind="step")


def simulate_design(scenario, design: Design, record: Sequence[str], *, evaluator: Evaluator | None = None,
                    chunk: int | None = None):
    """Run every point of the design through the shipped model on ``scenario``, in one ensemble;
    returns the Dataset of the ``record``ed indicators.  The design's columns override the
    scenario (a lever factor replaces its schedule from :data:`POLICY_YEAR` on)."""
    region = load_region(scenario.region)
    check_memory(design.runs, len(record), scenario.settings)
    varied = {}
    for j, f in enumerate(design.factors):
        col = np.ascontiguousarray(design.values[:, j])
        varied[f.name] = lever_schedule(scenario, f.name, col) if f.kind == "lever" else col
    params = merge_inputs(region=region, scenario=scenario, overrides=varied)
    return run_ensemble(compiled_model(), params, design.runs, scenario.settings, outputs=list(record),
                        chunk=chunk, evaluator=evaluator)


def output_values(ds, outputs: Sequence[Output]) -> dict:
    """``{(label, year): one value per run}`` of the outputs in a simulated design."""
    Y = {}
    for o in outputs:
        if o.target is not None:
            t = pd.Series(o.target)
            Y[o.key] = metric(ds, t) - float(t["model_value"])
        else:
            Y[o.key] = ds[o.indicator].sel(time=float(o.year)).values
    return Y


# --- evaluate: the design through a model ----------------------------------------------------

def evaluate(design: Design, scenario, outputs: Sequence[str] | None = None, years: Sequence[int] = DEFAULT_YEARS,
             *, evaluator: Evaluator | None = None, chunk: int | None = None) -> dict:
    """The outputs of a scenario of the shipped model at every point of the design:
    ``{(output, year): one value per run}``, for :func:`analyze`.

    ``outputs``: indicators and/or ``gap:<target_id>`` (default: the region's target
    indicators in ``years`` and those targets' gaps); ``evaluator``: where the ensemble runs
    (default this process; :class:`innosd.runs.distributed.DaskEvaluator` for a cluster).
    """
    sc = as_scenario(scenario)
    years = _check_years(sc, [years] if isinstance(years, (int, float)) else years)
    outs, _ = scenario_outputs(sc, outputs, years)
    ds = simulate_design(sc, design, sorted({o.indicator for o in outs}), evaluator=evaluator, chunk=chunk)
    return output_values(ds, outs)


def evaluate_model(model: CompiledModel, design: Design, settings: RunSettings, outputs: Sequence[tuple[str, float]],
                   *, inputs: Mapping[str, object] | None = None, evaluator: Evaluator | None = None,
                   chunk: int | None = None) -> dict:
    """Any compiled model at every point of the design: ``{(indicator, time): one value per run}``
    for each ``(indicator, time)`` pair of ``outputs``, for :func:`analyze`.

    Each factor sets the model constant of its name for the whole run; ``inputs`` (constants,
    per-run arrays or schedules shared by the design) hold everything else, and the factors win
    over them.  The design runs as one ensemble through :func:`innosd.runs.ensemble.run_ensemble`.
    """
    keys = [(str(name), float(t)) for name, t in outputs]
    if not keys:
        raise ModelError("no outputs given; expected (indicator, time) pairs such as ('population', 2030)")
    params = {**(inputs or {}), **{f.name: np.ascontiguousarray(design.values[:, j])
                                   for j, f in enumerate(design.factors)}}
    ds = run_ensemble(model, params, design.runs, settings, outputs=sorted({k[0] for k in keys}), chunk=chunk,
                      evaluator=evaluator)
    saved = [float(t) for t in ds["time"].values]
    Y = {}
    for name, t in keys:
        if not any(abs(t - s) < 1e-9 for s in saved):
            near = min(saved, key=lambda s: abs(s - t))
            raise ModelError(f"output ({name!r}, {t:g}): {t:g} is not a saved time of the run ({saved[0]:g} to "
                             f"{saved[-1]:g} every {settings.save_every:g}); the closest valid one is {near:g}")
        Y[(name, int(t) if t == int(t) else t)] = ds[name].sel(time=t, method="nearest").values
    return Y


# --- the whole analysis of a scenario --------------------------------------------------------

def sensitivity(scenario, method: str = "sobol", factors: str | Sequence[str] = "params",
                outputs: Sequence[str] | None = None, years: Sequence[int] = DEFAULT_YEARS, n: int = 1024,
                seed: int | None = None, second_order: bool = True, client=None, *,
                over_time: str | bool | None = None, chunk: int | None = None, backend: str = "numpy",
                conf_level: float = CONF_LEVEL, num_resamples: int = NUM_RESAMPLES) -> SensitivityResult:
    """Global sensitivity analysis of a scenario (path, ``region/name`` or Scenario):
    :func:`scenario_factors`, :func:`sample`, :func:`simulate_design`, :func:`analyze`
    (``innosd sensitivity``, without writing; :func:`innosd.outputs.sensitivity.write_sensitivity`
    writes the results folder).

    ``client``: a Dask client to simulate on (see :mod:`innosd.runs.distributed`); the design is
    drawn locally, so the result equals a local run with the same seed.
    ``over_time``: the indicator whose S1/ST (or mu*) are computed in every year; default the
    first output's indicator; ``False`` to skip.
    """
    t0 = time.perf_counter()
    _check_method(method)
    _check_backend(backend)
    sc = as_scenario(scenario)
    seed = sc.seed if seed is None else int(seed)
    years = _check_years(sc, [years] if isinstance(years, (int, float)) else years)
    facs, notes = scenario_factors(sc, factors)
    outs, out_notes = scenario_outputs(sc, outputs, years)
    notes += out_notes
    if any(f.kind == "lever" for f in facs):
        if sc.stop <= POLICY_YEAR:
            raise ModelError(f"levers are varied from {POLICY_YEAR} on, but scenario '{sc.name}' stops in "
                             f"{sc.stop:g}; the closest valid factor set is 'params'")
        notes.append(f"levers vary as one constant value from {max(POLICY_YEAR, int(sc.start))} on (uniform over "
                     "their bounds); before it the scenario's schedule holds")
    if any(f.kind == "parameter" for f in facs):
        notes.append("uncertain parameters vary over their priors (calibration/priors.csv), mapped from the unit "
                     "cube through each prior's quantile function")
    held = "levers hold the scenario's values" if all(f.kind == "parameter" for f in facs) else \
        "levers that are not factors hold the scenario's values"
    notes.append("parameters that are not factors hold their model defaults; " + held)
    if over_time is None or over_time is True:
        ot = outs[0].indicator
    elif over_time is False or over_time == "":
        ot = None
    else:
        ot = str(over_time)
        recorded = compiled_model().recorded
        if ot not in recorded:
            raise ModelError(f"--over-time '{ot}' is not a model indicator; the closest valid one is "
                             f"'{nearest_always(ot, recorded)}'")
    warns = check_design(method, int(n), len(facs))
    design = sample(facs, method, n, seed=seed, second_order=second_order)
    t1 = time.perf_counter()
    record = sorted({o.indicator for o in outs} | ({ot} if ot else set()))
    evaluator = DaskEvaluator(client) if client is not None else None
    ds = simulate_design(sc, design, record, evaluator=evaluator, chunk=chunk)
    t2 = time.perf_counter()
    Y = output_values(ds, outs)
    df, s2, bad = _indices(design, Y, None, conf_level, num_resamples, backend)
    over = None
    if ot:
        times = [int(round(t)) for t in ds["time"].values if t > sc.start + 1e-9]
        arr = ds[ot].sel(time=[float(t) for t in times]).values
        over, _, bad_t = _indices(design, {(ot, y): arr[:, i] for i, y in enumerate(times)}, False, conf_level,
                                  num_resamples, backend)
        bad += [b for b in bad_t if b not in bad]
    t3 = time.perf_counter()
    warns += bad + check_indices(df, method, design.n)
    info = []
    for o in outs:
        y = Y[o.key]
        t = o.target or {}
        info.append({"output": o.label, "year": o.year, "indicator": o.indicator,
                     "units": ds[o.indicator].attrs.get("units", ""),
                     "kind": "gap" if o.target else "indicator", "comparator": t.get("comparator", ""),
                     "target_value": t.get("model_value", np.nan), "base_year": t.get("base_year", np.nan),
                     "mean": float(np.nanmean(y)), "sd": float(np.nanstd(y)),
                     "q05": float(np.nanquantile(y, 0.05)), "q95": float(np.nanquantile(y, 0.95))})
    return SensitivityResult(method, design, df, s2, over, ot, pd.DataFrame(info), warns, notes,
                             {"sample": t1 - t0, "simulate": t2 - t1, "analyze": t3 - t2}, sc, years, conf_level)
