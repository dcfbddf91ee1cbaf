"""One validation layer for every table a user edits, read from a file or passed to the API.

Each table (``observations.csv``, ``exogenous.csv``, ``targets.csv``, ``priors.csv``,
``levers.csv``, ``indicators.csv``) has a pandera schema: columns present, each cell of the type,
unit, range and enumeration it must have, names known to the model (with the nearest valid
choice), no duplicate rows, years whole and in range.  The first failure becomes one line::

    calibration/xingtai/observations.csv:5:value: '约530家' is not a number; expected a finite number

Cells are read as text (:func:`innosd.inputs.tables.read_csv`), so a check sees exactly what the
user typed: ``nan``, ``1e400``, ``15%`` and ``二〇二〇`` are refused here, before any row is used.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa

from ..core.names import nearest_always
from ..core.units import registry
from ..sectors import UNIT_DEFINITIONS, shipped_model
from .tables import DataError
from .workspace import calibration_dir

YEARS = (1949, 2100)             # a calendar year in any table (the People's Republic to the longest plan)
USES = ("fit", "context", "exclude")
CONFIDENCES = ("high", "medium", "low")
OBSERVATION_KINDS = ("actual", "derived")
TARGET_KINDS = ("stated", "derived")
LEVER_KINDS = ("level", "rate", "share")
INDICATOR_STATUSES = ("model", "policy", "proposed")
DISTRIBUTIONS = ("uniform", "normal", "lognormal", "beta")
COMPARATORS = ("ge", "gt", "le", "lt", "growth_per_year", "multiple_of_base", "increase_per_year",
               "cumulative_from")
JURISDICTIONS = ("city", "county", "province", "nation", "assumption")
#: units in which a value may be negative (a rate of change); every other quantity is a count or an amount
SIGNED_UNITS = ("percent", "percent/year", "1/year", "dimensionless", "")


# ---- cell tests: each returns None when the cell is valid, else what was expected -------------------------

def _as_number(text: str) -> float | None:
    try:
        v = float(str(text).strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def number_hint(text: str) -> str:
    """What a user probably meant by a cell that is not a number ('15%' -> 0.15, '约530家' -> 530)."""
    s = str(text).strip()
    m = re.fullmatch(r"([-+]?[0-9.]+)\s*%", s)
    if m and _as_number(m.group(1)) is not None:
        return f"; did you mean {_as_number(m.group(1)) / 100:g} (a share), or the unit 'percent'?"
    digits = re.findall(r"[-+]?\d+(?:\.\d+)?", s)
    if len(digits) == 1 and digits[0] != s:
        return f"; did you mean {digits[0]}?"
    return ""


def _finite(text) -> str | None:
    return None if _as_number(text) is not None else "a finite number"


def _finite_or_empty(text) -> str | None:
    return None if not str(text).strip() else _finite(text)


def _year(text) -> str | None:
    v = _as_number(text)
    if v is None or v != int(v) or not YEARS[0] <= v <= YEARS[1]:
        return f"a whole calendar year in digits, {YEARS[0]}-{YEARS[1]} (e.g. 2020)"
    return None


def _year_or_empty(text) -> str | None:
    return None if not str(text).strip() else _year(text)


def _text(text) -> str | None:
    return None if str(text).strip() else "a non-empty text"


@lru_cache(maxsize=256)
def _unit_problem(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        registry(UNIT_DEFINITIONS).Unit(text)
    except Exception:  # pint raises several kinds; all mean "not a unit"
        return "a unit known to the model (calibration/units.txt, e.g. firm, hundred_million_CNY/year, percent)"
    return None


def _unit(text) -> str | None:
    return _unit_problem(str(text))


def _choice(choices):
    def test(text) -> str | None:
        return None if text in choices else f"one of {', '.join(choices)}"
    test.choices = tuple(choices)
    return test


def _choice_or_empty(choices):
    inner = _choice(choices)

    def test(text) -> str | None:
        return None if not str(text).strip() else inner(text)
    test.choices = inner.choices
    return test


def _known(kind: str):
    """A name of ``kind`` (indicator, constant, parameter, lever, region) known to the model."""
    def test(text) -> str | None:
        return None if text in known_names(kind) else f"a known {kind}"
    test.kind = kind
    return test


def known_names(kind: str) -> tuple[str, ...]:
    """Names of ``kind`` the model and the workspace in use know."""
    return _known_names(kind, calibration_dir())


@lru_cache(maxsize=32)  # keyed by the workspace: another has its own indicators.csv and regions
def _known_names(kind: str, folder) -> tuple[str, ...]:
    m = shipped_model()
    if kind == "indicator":
        path = folder / "indicators.csv"
        listed = read_table(path, "indicators")["indicator"].tolist() if path.exists() else []
        return tuple(sorted(set(m.elements) | set(listed)))
    if kind in ("constant", "parameter", "lever"):
        return tuple(sorted(m.constants))
    if kind == "region":
        return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir()))
    if kind == "sector":
        return tuple(sorted({e.sector for e in m.elements.values() if e.sector}))
    raise ValueError(kind)


def _col(test, required=True) -> pa.Column:
    # the check's name carries the test: the error message asks it again for what was expected
    check = pa.Check(lambda s, t=test: s.map(lambda v: t(v) is None), name=test.__name__, error=test.__name__)
    check.test = test
    return pa.Column(str, checks=[check], required=required, nullable=False, coerce=True)


def _row_rule(test, name: str):
    """A check across columns of each row: ``test(row)`` returns None or (column, what was expected)."""
    check = pa.Check(lambda df: df.apply(lambda r: test(r) is None, axis=1), name=name)
    check.row_test = test
    return check


def _ordered(lo: str, mid: str | None, hi: str):
    def test(r):
        a, b = _as_number(r[lo]), _as_number(r[hi])
        if a is None or b is None:
            return None
        if (lo, hi) == ("lo", "hi") and not a < b:
            return hi, f"{hi} above {lo} ({r[lo]})"
        if a > b:
            return hi, f"{hi} at least {lo} ({r[lo]})"
        c = _as_number(r[mid]) if mid else None
        if mid and c is not None and not a <= c <= b:
            return mid, f"{mid} within [{lo}, {hi}] = [{r[lo]}, {r[hi]}]"
        return None
    return test


def _sign_by_unit(value: str, unit: str):
    def test(r):
        v = _as_number(r[value])
        if v is not None and v < 0 and str(r.get(unit, "")).strip() not in SIGNED_UNITS:
            return value, f"a count or amount, not negative ({r[unit]})"
        return None
    return test


def _base_before_year(r):
    b, y = _as_number(r["base_year"]) if str(r["base_year"]).strip() else None, _as_number(r["year"])
    if b is not None and y is not None and not b < y:
        return "base_year", f"a base year before the target year ({r['year']})"
    return None


_BASIS = re.compile(r"^\s*([0-9.eE+-]+)\s*@\s*(\d{4})\s*$")


def _basis(text) -> str | None:
    s = str(text)
    if not s.strip():
        return None
    m = _BASIS.match(s)
    return None if m and _as_number(m.group(1)) is not None else "VALUE@YEAR (e.g. 530@2020), or empty"


def _nonnegative_or_empty(text) -> str | None:
    if not str(text).strip():
        return None
    v = _as_number(text)
    return None if v is not None and v >= 0 else "a finite number, not negative, or empty"


@lru_cache(maxsize=1)
def schemas() -> dict[str, pa.DataFrameSchema]:
    S = pa.DataFrameSchema
    return {
        "observations": S({
            "obs_id": _col(_text), "indicator": _col(_known("indicator")), "year": _col(_year),
            "value": _col(_finite), "unit": _col(_unit), "measure": _col(_text),
            "kind": _col(_choice(OBSERVATION_KINDS), required=False), "use": _col(_choice(USES)),
            "source": _col(_text), "confidence": _col(_choice(CONFIDENCES))},
            checks=[_row_rule(_sign_by_unit("value", "unit"), "sign")], unique=["obs_id"]),
        "exogenous": S({
            "year": _col(_year), "series": _col(_known("indicator")), "value": _col(_finite), "unit": _col(_unit),
            "source": _col(_text), "confidence": _col(_choice(CONFIDENCES))},
            checks=[_row_rule(_sign_by_unit("value", "unit"), "sign")], unique=["series", "year"]),
        "targets": S({
            "target_id": _col(_text), "region": _col(_known("region")), "indicator": _col(_known("indicator")),
            "year": _col(_year), "comparator": _col(_choice(COMPARATORS)), "value": _col(_finite),
            "unit": _col(_unit), "base_year": _col(_year_or_empty), "source": _col(_text),
            "kind": _col(_choice(TARGET_KINDS), required=False),
            "confidence": _col(_choice(CONFIDENCES), required=False),
            "basis": _col(_basis, required=False)},
            checks=[_row_rule(_base_before_year, "base year")], unique=["target_id"]),
        "priors": S({
            "parameter": _col(_known("parameter")), "distribution": _col(_choice(DISTRIBUTIONS)),
            "lo": _col(_finite), "hi": _col(_finite), "p1": _col(_finite_or_empty), "p2": _col(_finite_or_empty),
            "default": _col(_finite), "units": _col(_unit), "source": _col(_text)},
            checks=[_row_rule(_ordered("lo", "default", "hi"), "order")], unique=["parameter"]),
        "levers": S({
            "lever": _col(_known("lever")), "units": _col(_unit), "min": _col(_finite), "max": _col(_finite),
            "default": _col(_finite), "kind": _col(_choice(LEVER_KINDS)), "description_en": _col(_text),
            "description_zh": _col(_text), "mechanism": _col(_text), "source": _col(_text),
            "jurisdiction": _col(_choice_or_empty(JURISDICTIONS), required=False),
            "cost_per_unit": _col(_nonnegative_or_empty, required=False)},
            checks=[_row_rule(_ordered("min", "default", "max"), "order")], unique=["lever"]),
        "indicators": S({
            "indicator": _col(_text), "unit": _col(_unit), "sector": _col(_text),
            "status": _col(_choice(INDICATOR_STATUSES))}, unique=["indicator"]),
    }


_CJK = re.compile(r"[\u3400-\u9fff]")


def _chinese_names(kind: str) -> dict[str, str]:
    """Chinese description -> name, from indicators.csv (indicators) or levers.csv (levers, constants)."""
    from .workspace import scenarios_dir
    path, key = ((calibration_dir() / "indicators.csv", "indicator") if kind == "indicator"
                 else (scenarios_dir() / "levers.csv", "lever"))
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        return dict(zip(df["description_zh"], df[key]))
    except (OSError, KeyError, ValueError, pd.errors.ParserError):
        return {}


def nearest_name(word: str, kind: str) -> str:
    """The known ``kind`` name (indicator, lever, parameter, constant) nearest to ``word``; a word in
    Chinese is matched against the Chinese descriptions (levers.csv, indicators.csv)."""
    word = str(word)
    if _CJK.search(word):
        import difflib
        names = _chinese_names(kind)
        if names:
            def score(zh):
                return (len(set(word) & set(zh)) / len(set(word)), difflib.SequenceMatcher(None, word, zh).ratio())
            best = max(names, key=score)
            if score(best)[0] >= 0.5:
                return names[best]
    return nearest_always(word, known_names(kind))


def _suggestion(test, value: str) -> str:
    if getattr(test, "choices", None):
        return f"; nearest valid choice '{nearest_always(value, test.choices)}'"
    if getattr(test, "kind", None):
        return f"; nearest valid choice '{nearest_name(value, test.kind)}'"
    if test in (_finite, _finite_or_empty, _nonnegative_or_empty):
        return number_hint(value)
    if test in (_year, _year_or_empty):
        digits = re.findall(r"\d{4}", str(value))
        return f"; did you mean {digits[0]}?" if len(digits) == 1 and _year(digits[0]) is None else ""
    return ""


def _shown(value) -> str:
    s = str(value)
    return s if len(s) <= 60 else s[:57] + "..."


def validate_table(df: pd.DataFrame, kind: str, label) -> pd.DataFrame:
    """``df`` (cells as text) if it is a valid ``kind`` table, else DataError naming the first bad cell
    as ``label:line:column`` (line 1 is the header, so row i of the table is line i + 2)."""
    schema = schemas()[kind]
    if df.empty and len(df.columns) == 0:
        raise DataError(f"{label}: the file is empty; expected a header line with the columns "
                        f"{', '.join(c for c, col in schema.columns.items() if col.required)}")
    df = df.reset_index(drop=True).astype(str)
    missing = [c for c, col in schema.columns.items() if col.required and c not in df.columns]
    if missing:
        raise DataError(f"{label}: missing column '{missing[0]}' (expected columns: "
                        f"{', '.join(c for c, col in schema.columns.items() if col.required)}); nearest column "
                        f"in the file '{nearest_always(missing[0], df.columns) or 'none'}'")
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise DataError(_first_failure(exc.failure_cases, schema, df, label)) from None
    return df


def _first_failure(cases: pd.DataFrame, schema: pa.DataFrameSchema, df: pd.DataFrame, label) -> str:
    """The failure a reader meets first (lowest line, then leftmost column), as one line."""
    order = {c: k for k, c in enumerate(schema.columns)}
    cases = cases.assign(line=pd.to_numeric(cases["index"], errors="coerce").fillna(-1).astype(int) + 2,
                         pos=cases["column"].map(lambda c: order.get(c, len(order))))
    first = cases.sort_values(["line", "pos"], kind="stable").iloc[0]
    i, column, check = first["line"] - 2, first["column"], str(first["check"])
    if "uniqueness" in check or "unique" in check:
        keys = list(schema.unique)
        same = df[keys].astype(str).agg(" ".join, axis=1)
        dup = same[same.duplicated(keep="first")]
        again = int(dup.index[0]) if len(dup) else i
        first_line = int(same[same == same[again]].index[0]) + 2
        return (f"{label}:{again + 2}:{keys[0]}: duplicate row (same {' and '.join(keys)} as line {first_line}: "
                f"'{_shown(same[again])}'); expected each once")
    rules = {rule.name: rule for rule in schema.checks}
    if check in rules and i >= 0:
        found = rules[check].row_test(df.iloc[i])
        if found:
            column, expected = found
            return f"{label}:{i + 2}:{column}: '{_shown(df.at[i, column])}' is not valid; expected {expected}"
    if column in schema.columns and schema.columns[column].checks:
        test = schema.columns[column].checks[0].test
        value = df.at[i, column] if i >= 0 else first["failure_case"]
        return (f"{label}:{i + 2}:{column}: '{_shown(value)}' is not valid; expected {test(value)}"
                + _suggestion(test, value))
    return f"{label}:{i + 2}:{column}: {check} failed for '{_shown(first['failure_case'])}'"


def read_table(path, kind: str) -> pd.DataFrame:
    """A table file read as text and validated as ``kind`` (see :func:`validate_table`)."""
    from .tables import read_csv
    required = [c for c, col in schemas()[kind].columns.items() if col.required]
    return validate_table(read_csv(path, required), kind, path)
