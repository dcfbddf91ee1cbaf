"""The one number formatter: numbers as people read them in charts, reports and messages."""
from __future__ import annotations

import math

MISSING = "—"


def format_number(x, digits: int | None = None, missing: str = MISSING) -> str:
    """``x`` for people: thousands separated, no trailing zeros.

    By default the precision follows the magnitude (1,234 · 123 · 12.3 · 1.23 · 0.123 ·
    0.0123), enough to read a forecast without false precision.  ``digits`` asks for that many
    significant digits instead (for a value someone will act on, e.g. a lever setting); whole
    numbers of ``digits`` figures or more are still written in full.  ``None``, NaN and
    infinities give ``missing``.

    >>> format_number(1234.5), format_number(12.0), format_number(0.0123), format_number(0.12345, digits=4)
    ('1,234', '12', '0.0123', '0.1235')
    """
    try:
        x = float(x)
    except (TypeError, ValueError):
        return missing
    if not math.isfinite(x):
        return missing
    x += 0.0  # -0.0 becomes 0.0: no "-0" in a table
    a = abs(x)
    if digits is not None:
        return f"{x:,.0f}" if a >= 10 ** digits else f"{x:,.{digits}g}"
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}".rstrip("0").rstrip(".")
    if a >= 0.1 or a == 0:
        return f"{x:.2f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"
