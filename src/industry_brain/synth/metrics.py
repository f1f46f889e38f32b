"""Per enterprise-year figures derived from revenue: output, value added, tax, people, energy…

Arrays are (firms, years) in canonical units; NaN means "no value" (inactive, or a 规下 firm
that does not report the item). Calibration rescales them afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from industry_brain.synth.industries import PROFILES
from industry_brain.synth.panel import Panel
from industry_brain.synth.rng import stream

THRESHOLD = 2000.0  # 万元 of revenue: 规模以上
KWH_PER_TCE = 8137.0  # 1 kWh = 0.1229 kgce (equivalent value)
MAX_ELECTRICITY_SHARE = 0.9  # electricity ≤ 90% of energy
EMISSION_SCALE = 0.35  # profiles are relative; this matches Huangyan's ~4900 万元 VA per tonne
NO_TAX = 0.03  # share of 规下 firm-years without a tax figure
POLLUTER = 1e-4  # emission intensity (profile value) above which a firm is a key polluter


@dataclass(frozen=True)
class Traits:
    """Persistent per-firm draws (one stream, independent of the years generated)."""

    out_ratio: np.ndarray
    va_rate: np.ndarray
    tax_rate: np.ndarray
    margin: np.ndarray
    productivity: np.ndarray
    energy: np.ndarray
    elec_share: np.ndarray
    emission: np.ndarray
    rd_rate: np.ndarray
    new_share: np.ndarray
    export_share: np.ndarray
    u: np.ndarray  # (firms, 6) uniforms: rd, new product, export, emission record, report, elec


def _industry(panel: Panel, attr: str) -> np.ndarray:
    values = {code: getattr(p, attr) for code, p in PROFILES.items()}
    return np.array([values[c] for c in panel.industry], dtype=float)


def draw_traits(seed: int, panel: Panel) -> Traits:
    rng = stream(seed, "traits")
    n = len(panel)

    def noise(sd: float) -> np.ndarray:
        return np.exp(rng.normal(-sd * sd / 2, sd, n))

    energy = _industry(panel, "energy") * noise(0.5)
    heavy = energy > 0.15
    return Traits(
        out_ratio=rng.uniform(0.9, 1.1, n),
        va_rate=np.clip(_industry(panel, "va_rate") * noise(0.18), 0.06, 0.6),
        tax_rate=0.18 * noise(0.45),
        margin=rng.normal(0.06, 0.045, n),
        productivity=_industry(panel, "productivity") * noise(0.3),
        energy=energy,
        elec_share=np.where(heavy, rng.uniform(0.25, 0.7, n), rng.uniform(0.5, 0.9, n)),
        emission=_industry(panel, "emission") * EMISSION_SCALE * noise(0.6),
        rd_rate=_industry(panel, "rd") * noise(0.6),
        new_share=np.clip(_industry(panel, "new_product") * noise(0.5), 0.0, 0.95),
        export_share=np.clip(_industry(panel, "export") * noise(0.5), 0.0, 0.98),
        u=rng.random((n, 6)),
    )


def _year(
    seed: int, panel: Panel, t: Traits, revenue: np.ndarray, year: int
) -> dict[str, np.ndarray]:
    rng = stream(seed, "year", year)
    n = len(panel)
    above = revenue >= THRESHOLD
    small = ~above
    output = revenue * np.clip(t.out_ratio * np.exp(rng.normal(0, 0.02, n)), 0.88, 1.12)
    va = output * np.clip(t.va_rate * np.exp(rng.normal(0, 0.05, n)), 0.05, 0.6)
    tax = va * t.tax_rate * np.where(small, 0.7, 1.0) * np.exp(rng.normal(0, 0.1, n))
    size = (revenue / 3000.0) ** 0.12 * 1.04 ** (year - 2019)
    energy = output * t.energy * np.exp(rng.normal(0, 0.08, n))
    u = t.u
    reports = u[:, 4] < np.where(above, 1.0, 0.3)
    rd = np.where(u[:, 0] < np.where(above, 0.72, 0.4), revenue * t.rd_rate, 0.0)
    new = np.where(u[:, 1] < np.where(above, 0.6, 0.3), output * t.new_share, 0.0)
    export = np.where(u[:, 2] < np.where(above, 0.7, 0.35), output * t.export_share, 0.0)
    polluter = t.emission >= POLLUTER * EMISSION_SCALE
    has_emission = u[:, 3] < np.where(
        above, np.where(polluter, 0.98, 0.85), np.where(polluter, 0.5, 0.1)
    )
    return {
        "revenue": revenue,
        "output": output,
        "value_added": va,
        "tax_paid": np.where(
            above | (rng.random(n) >= NO_TAX), np.minimum(tax, 0.45 * revenue), np.nan
        ),
        "employees": va / (t.productivity * size),  # rounded after calibration
        "energy_latent": energy,
        "energy_tce": np.where(reports, energy, np.nan),
        "emissions_eq": np.where(has_emission, output * t.emission, np.nan),
        "rd_expense": np.where(above | (u[:, 4] < 0.2), np.minimum(rd, 0.25 * revenue), np.nan),
        "new_product_output": np.where(above | (u[:, 4] < 0.15), new, np.nan),
        "export_value": np.where(above | (u[:, 5] < 0.7), export, np.nan),
        "profit": revenue * (t.margin + rng.normal(0, 0.03, n) - (0.012 if year == 2020 else 0.0)),
        "has_electricity": above | (u[:, 5] < 0.9),
    }


def firm_years(
    seed: int, panel: Panel, traits: Traits, years: list[int], k: float
) -> dict[str, np.ndarray]:
    """Figures for the given years (columns in that order); revenue is multiplied by k."""
    columns = [
        _year(seed, panel, traits, np.round(panel.revenue[:, panel.years.index(y)] * k, 2), y)
        for y in years
    ]
    return {name: np.column_stack([c[name] for c in columns]) for name in columns[0]}


def electricity(energy_tce: np.ndarray, share: np.ndarray, present: np.ndarray) -> np.ndarray:
    """kWh from (rounded) energy: never more than 90% of the energy in electricity."""
    kwh = np.floor(energy_tce * KWH_PER_TCE * np.minimum(share, MAX_ELECTRICITY_SHARE)[:, None])
    return np.where(present, np.maximum(kwh, 1.0), np.nan)
