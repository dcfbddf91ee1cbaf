"""The one "did you mean" helper: the valid name a user most likely meant.

Every user-facing error that rejects a name (a lever, an element, a region, a target, a
column) suggests the nearest valid one through :func:`nearest`, so the same typo gets the
same suggestion everywhere.
"""
from __future__ import annotations

import difflib
from typing import Iterable


def _token_score(word: str, choice: str) -> float:
    """Share of ``word``'s letters in tokens that match a token of ``choice`` (same stem or a typo)."""
    tokens, other = word.lower().split("_"), choice.lower().split("_")

    def match(a, b):
        common = len(next((a[:i] for i in range(min(len(a), len(b)), 0, -1) if a[:i] == b[:i]), ""))
        return a == b or common >= 4 or (len(a) > 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.8)
    total = sum(len(t) for t in tokens) or 1
    return sum(len(t) for t in tokens if any(match(t, o) for o in other)) / total


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The valid name a user most likely meant: shared word stems first, then spelling."""
    best, key = None, (0.0, 0.0)
    for c in map(str, choices):
        k = (_token_score(str(word), c), difflib.SequenceMatcher(None, str(word).lower(), c.lower()).ratio())
        if k > key:
            best, key = c, k
    return best if key[0] >= 0.34 or key[1] >= 0.6 else None


def closest(name: str, choices: Iterable[str]) -> str:
    hint = nearest(name, choices)
    return f"; did you mean '{hint}'?" if hint else ""


def nearest_always(word: str, choices: Iterable[str]) -> str:
    """The nearest valid choice, always one (for messages that must name one)."""
    choices = [str(c) for c in choices]
    if not choices:
        return ""
    return nearest(word, choices) or (difflib.get_close_matches(str(word), choices, 1, 0.0) or choices)[0]
