"""Closest-name suggestions for misspelt columns, fields, indicators and spec keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The candidate most similar to `name`, or None when nothing is close enough."""
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(name: str, candidates: Iterable[str], cutoff: float = 0.5) -> str:
    """' (did you mean X?)' or an empty string."""
    best = closest(name, candidates, cutoff)
    return f" (did you mean {best!r}?)" if best else ""
