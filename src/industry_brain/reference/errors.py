"""Errors raised by the reference-data lookups."""

from __future__ import annotations

import bisect
import difflib
import functools
from collections.abc import Mapping

from industry_brain.errors import BrainError


class UnknownCodeError(BrainError, KeyError, ValueError):
    """A code is not in a reference table.

    Subclasses both :class:`KeyError` (it is a failed lookup) and :class:`ValueError` (it is
    a bad input value), so callers can catch whichever suits them. `value` is the code looked
    up, `suggestion` the closest valid one.
    """

    code, title, status = "unknown_code", "代码不存在", 422

    def __init__(self, message: str, value: object = None, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.value = value
        self.suggestion = suggestion


def _prefix_len(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@functools.lru_cache(maxsize=16)
def _digit_codes(codes: tuple[str, ...], length: int) -> list[str]:
    return sorted(c for c in codes if len(c) == length and c.isdigit())


def closest_code(query: str, names: Mapping[str, str]) -> str | None:
    """The valid code nearest to ``query``, or None if nothing is reasonably close.

    A digit query is matched among codes of the same length by longest shared prefix, then
    numeric distance (codes are hierarchical: "331099" -> "331083", "3671" -> "3670").
    Otherwise the query is compared with the codes by similarity and, failing that, with the
    names, so a name passed where a code belongs ("黄岩") still gets a useful hint.
    """
    query = query.strip()
    if not query:
        return None
    if query.isascii() and query.isdigit():
        same = _digit_codes(tuple(names), len(query))
        if same:
            # Among equal-length digit codes the longest shared prefix, then the nearest
            # number, is always one of the two sorted neighbours of the query.
            i = bisect.bisect_left(same, query)
            near = same[max(i - 1, 0) : i + 1]
            return min(near, key=lambda c: (-_prefix_len(c, query), abs(int(c) - int(query))))
    hits = difflib.get_close_matches(query, list(names), n=1, cutoff=0.5)
    if hits:
        return hits[0]
    by_name = {name: code for code, name in names.items()}
    name_hits = difflib.get_close_matches(query, list(by_name), n=1, cutoff=0.4)
    return by_name[name_hits[0]] if name_hits else None


def unknown_code(kind: str, code: object, names: Mapping[str, str]) -> UnknownCodeError:
    """Build an :class:`UnknownCodeError` whose message suggests the closest valid code.

    ``names`` maps every valid code to its name.
    """
    suggestion = closest_code(str(code), names)
    message = f"unknown {kind} code {code!r}"
    if suggestion is not None:
        message += f"; did you mean {suggestion!r} ({names[suggestion]})?"
    return UnknownCodeError(message, value=code, suggestion=suggestion)
