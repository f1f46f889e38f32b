"""Codes as names for people: an industry code as its name (lists and their exports)."""

from __future__ import annotations

from functools import lru_cache

from industry_brain.reference.errors import UnknownCodeError
from industry_brain.reference.industries import industries


@lru_cache(maxsize=4096)
def industry_name(code: str | None) -> str:
    """An industry code (GB/T 4754) as its name, the code when unknown."""
    if not code:
        return ""
    try:
        return industries().get(code).name
    except UnknownCodeError:
        return code


def region_name(code: str | None) -> str:
    """A region code as its name (web/app.py's template filter; imported late, app imports
    the pages)."""
    from industry_brain.web.app import region_name as name

    return name(code)
