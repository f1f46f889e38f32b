"""Deterministic random streams: one numpy Generator per (seed, purpose, key...)."""

from __future__ import annotations

import zlib

import numpy as np


def _key(part: int | str) -> int:
    if isinstance(part, int):
        return part & 0xFFFFFFFF
    return zlib.crc32(part.encode("utf-8"))


def stream(seed: int, *parts: int | str) -> np.random.Generator:
    """A Generator that depends only on the seed and the named purpose.

    Separate streams per purpose (and per year) keep one part of the city unchanged when
    another part draws more or fewer numbers, e.g. when fewer years are generated.
    """
    entropy = [seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF, *(_key(p) for p in parts)]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))
