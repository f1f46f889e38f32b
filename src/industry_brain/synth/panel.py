"""Enterprise life cycles and revenue paths: entries, exits and heavy-tailed, growing sizes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from industry_brain.synth.clusters import CLUSTERS, COUNTIES
from industry_brain.synth.industries import CODES, PROFILES
from industry_brain.synth.rng import stream

START = 2019
BASE_FIRMS = 20_000  # enterprises active in 2019 at scale 1
LOG_MEDIAN = np.log(560.0)  # median revenue (万元) of an established firm
SIGMA = 1.75  # spread of log revenue within an industry
ENTRY_RATE = 0.075  # entrants per active firm and year
# Nominal city-wide growth of revenue; 2020 dips, 2021 rebounds.
GROWTH = {2020: -0.03, 2021: 0.14, 2022: 0.05, 2023: 0.06, 2024: 0.07}
DEFAULT_GROWTH = 0.06
MIN_REVENUE = 8.0


@dataclass(frozen=True)
class Panel:
    years: tuple[int, ...]  # simulated years, START..end
    county: np.ndarray  # county code per firm (str)
    industry: np.ndarray  # industry code per firm (str)
    first_year: np.ndarray  # first active year
    last_year: np.ndarray  # last active year
    revenue: np.ndarray  # (firms, years), 万元, NaN when inactive

    def __len__(self) -> int:
        return len(self.county)

    def active(self) -> np.ndarray:
        return ~np.isnan(self.revenue)


def _industry_probabilities() -> dict[str, np.ndarray]:
    """County → probability of each industry code (order of CODES)."""
    index = {c: i for i, c in enumerate(CODES)}
    out = {}
    for county, profile in COUNTIES.items():
        p = np.zeros(len(CODES))
        for cluster, share in profile.clusters.items():
            weights = CLUSTERS[cluster]
            total = sum(weights.values())
            for code, w in weights.items():
                p[index[code]] += share * w / total
        out[county] = p / p.sum()
    return out


def _draw_firms(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    counties = np.array(list(COUNTIES))
    shares = np.array([COUNTIES[c].share for c in counties])
    county = rng.choice(counties, size=n, p=shares / shares.sum())
    industry = np.empty(n, dtype=object)
    probs = _industry_probabilities()
    codes = np.array(CODES, dtype=object)
    for c in counties:
        mask = county == c
        industry[mask] = rng.choice(codes, size=int(mask.sum()), p=probs[c])
    return county.astype(object), industry


def _size_offset(industry: np.ndarray) -> np.ndarray:
    return np.array([PROFILES[c].size for c in industry], dtype=float)


def _exit_probability(log_r: np.ndarray, year: int) -> np.ndarray:
    small = 0.11 / (1.0 + np.exp(1.2 * (log_r - np.log(300.0))))
    return 0.015 + small + (0.015 if year == 2020 else 0.0)


def simulate(seed: int, scale: float, end: int) -> Panel:
    """Simulate START..end; each year draws from its own stream, so a longer range leaves the
    earlier years unchanged."""
    years = tuple(range(START, end + 1))
    rng = stream(seed, "panel", START)
    n0 = max(1, round(BASE_FIRMS * scale))
    county, industry = _draw_firms(rng, n0)
    log_r = LOG_MEDIAN + _size_offset(industry) + rng.normal(0.0, SIGMA, n0)
    drift = rng.normal(0.0, 0.04, n0)
    paths = [np.maximum(log_r, np.log(MIN_REVENUE))]
    first = [np.full(n0, START)]
    counties, industries, drifts = [county], [industry], [drift]
    for year in years[1:]:
        rng = stream(seed, "panel", year)
        prev = paths[-1]
        alive = ~np.isnan(prev)
        exits = alive & (rng.random(len(prev)) < _exit_probability(np.nan_to_num(prev), year))
        d = np.concatenate(drifts)
        step = GROWTH.get(year, DEFAULT_GROWTH) + d + rng.normal(0.0, 0.13, len(prev))
        nxt = np.where(alive & ~exits, prev + step, np.nan)
        n_new = round(int(alive.sum()) * ENTRY_RATE)
        c_new, i_new = _draw_firms(rng, n_new)
        log_new = LOG_MEDIAN + _size_offset(i_new) + rng.normal(-1.2, 1.2, n_new)
        log_new = np.maximum(log_new, np.log(MIN_REVENUE))
        counties.append(c_new)
        industries.append(i_new)
        drifts.append(rng.normal(0.03, 0.05, n_new))
        first.append(np.full(n_new, year))
        paths = [np.concatenate([p, np.full(n_new, np.nan)]) for p in paths]
        paths.append(np.concatenate([np.maximum(nxt, np.log(MIN_REVENUE)), log_new]))
    revenue = np.exp(np.column_stack(paths))
    active = ~np.isnan(revenue)
    last = START + active.shape[1] - 1 - np.argmax(active[:, ::-1], axis=1)
    return Panel(
        years=years,
        county=np.concatenate(counties),
        industry=np.concatenate(industries),
        first_year=np.concatenate(first),
        last_year=last,
        revenue=revenue,
    )
