"""The engines: each sub-package defining `ENGINE` (an `engines.base.Engine`) is one. Adding an
engine means adding a folder: the registry finds it, runs/ stores its runs, reports/ publishes
them and the web's cache watches its tables."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from industry_brain.engines.base import Engine
from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean


class UnknownEngine(BrainError, KeyError):
    code, title, status = "unknown_engine", "没有这个分析引擎", 404


@cache
def registry() -> dict[str, Engine]:
    """Every engine found under engines/, by name."""
    found: dict[str, Engine] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        engine = getattr(module, "ENGINE", None)
        if isinstance(engine, Engine):
            found[engine.name] = engine
    return found


def engine(name: str) -> Engine:
    try:
        return registry()[name]
    except KeyError:
        raise UnknownEngine(f"unknown engine {name!r}{did_you_mean(name, registry())}") from None


def register(found: Engine) -> None:
    """Add an engine that lives outside this package (a plug-in, or a test's)."""
    registry()[found.name] = found
