"""Emissions per pollutant: each firm's 排放当量 split into the four main pollutants
(化学需氧量, 氨氮, 二氧化硫, 氮氧化物) and a few others that are reported but not part of
it (颗粒物, 总磷, VOCs).

Water-heavy industries (chemicals, pharma, food, leather, paper, plating) emit mostly COD
and ammonia; rubber, plastics, ceramics, casting, stone and power mostly SO2 and NOx.
Amounts are whole tenths of a kilogram (0.0001 t), the finest any file writes, and the
firm's 排放当量 is recomputed from them — Σ amount (t) / 污染当量值 (kg) over the main
pollutants — so the truth is exactly what the written amounts imply.
"""

from __future__ import annotations

import numpy as np

from industry_brain.reference.pollutants import pollutants
from industry_brain.synth.rng import stream

UNIT_T = 1e-4  # amounts are whole multiples of this many tonnes (0.1 kg)
MAIN = ("COD", "NH3N", "SO2", "NOX")
OTHER = ("PM", "TP", "VOCS")
CODES = MAIN + OTHER
WATER = ("COD", "NH3N", "TP")
_WATER_HEAVY = ("13", "14", "15", "17", "19", "22", "26", "27", "28", "46", "3360")
_AIR_HEAVY = ("09", "10", "25", "29", "30", "31", "32", "44", "3391")
_VOC = ("19", "21", "23", "26", "27", "29", "36", "37", "2641", "3352", "3360")
_PHOSPHORUS = ("13", "14", "15", "17", "26", "27", "46", "3360")


def pev() -> dict[str, float]:
    """污染当量值 (kg) of the main pollutants, from the 环境保护税法 table."""
    values = {p.code: p.pev_kg for p in pollutants() if p.code in MAIN}
    return {c: float(v) for c, v in values.items() if v is not None}


def _matches(codes: np.ndarray, prefixes: tuple[str, ...]) -> np.ndarray:
    return np.array([c.startswith(prefixes) for c in codes], dtype=bool)


class Mix:
    """Each firm's persistent mix of pollutants (one stream, whatever the years generated)."""

    def __init__(self, seed: int, industry: np.ndarray) -> None:
        rng = stream(seed, "pollutant-mix")
        n = len(industry)
        base = np.where(
            _matches(industry, _WATER_HEAVY),
            0.8,
            np.where(_matches(industry, _AIR_HEAVY), 0.15, 0.45),
        )
        water = np.clip(base + rng.normal(0.0, 0.15, n), 0.0, 1.0)
        self.water = np.where(water < 0.08, 0.0, np.where(water > 0.92, 1.0, water))
        self.cod = rng.uniform(0.8, 0.95, n)  # of the water part
        self.so2 = rng.uniform(0.3, 0.65, n)  # of the air part
        self.pm = rng.uniform(0.3, 1.2, n)
        self.voc = np.where(_matches(industry, _VOC), rng.uniform(0.2, 1.0, n), 0.0)
        self.tp = np.where(_matches(industry, _PHOSPHORUS), rng.uniform(0.005, 0.02, n), 0.0)


def split(seed: int, mix: Mix, eq: np.ndarray, year: int) -> tuple[np.ndarray, np.ndarray]:
    """Amounts (firms, CODES) in tonnes, NaN for a pollutant a firm does not emit, and the
    排放当量 they imply; NaN where the firm has no emission record."""
    rng = stream(seed, "pollutants", year)
    n = len(eq)
    noise = np.exp(rng.normal(0.0, 0.05, (n, 3)))
    water = np.clip(mix.water * noise[:, 0], 0.0, 1.0)
    water = np.where(mix.water == 1.0, 1.0, water)
    cod = np.clip(mix.cod * noise[:, 1], 0.5, 0.98)
    so2 = np.clip(mix.so2 * noise[:, 2], 0.1, 0.9)
    values = pev()
    eq0 = np.nan_to_num(eq)
    parts = {
        "COD": eq0 * water * cod * values["COD"],
        "NH3N": eq0 * water * (1 - cod) * values["NH3N"],
        "SO2": eq0 * (1 - water) * so2 * values["SO2"],
        "NOX": eq0 * (1 - water) * (1 - so2) * values["NOX"],
    }
    units = np.column_stack([np.rint(parts[c] / UNIT_T) for c in MAIN])
    empty = (units.sum(axis=1) == 0) & (eq0 > 0)  # too small to write: one unit of the main one
    main = np.argmax(np.column_stack([parts[c] for c in MAIN]), axis=1)
    units[empty, main[empty]] = 1
    has_water, has_air = water > 0, water < 1
    present = np.column_stack([has_water, has_water, has_air, has_air])
    amounts = np.where(present, np.round(units * UNIT_T, 4), np.nan)
    air_eq = eq0 * (1 - water)
    others = {
        "PM": np.where(has_air, air_eq * mix.pm, np.nan),
        "TP": np.where(has_water & (mix.tp > 0), amounts[:, 0] * mix.tp, np.nan),
        "VOCS": np.where(has_air & (mix.voc > 0), air_eq * mix.voc, np.nan),
    }
    other = np.column_stack([np.round(np.rint(others[c] / UNIT_T) * UNIT_T, 4) for c in OTHER])
    out = np.column_stack([amounts, other])
    none = np.isnan(eq)
    out[none] = np.nan
    pev_row = np.array([values[c] for c in MAIN])
    implied = np.nansum(out[:, : len(MAIN)] / pev_row, axis=1)
    return out, np.where(none, np.nan, implied)
