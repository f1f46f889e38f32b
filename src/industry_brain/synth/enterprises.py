"""The enterprise register of the synthetic city: codes, names, dates, parks and addresses."""

from __future__ import annotations

import numpy as np
import polars as pl

from industry_brain.synth.clusters import CLUSTERS
from industry_brain.synth.geography import IN_PARK, Park, addresses, county_short, parks
from industry_brain.synth.groups import group_indices
from industry_brain.synth.identity import names, registration_dates, usccs
from industry_brain.synth.industries import PROFILES
from industry_brain.synth.panel import Panel
from industry_brain.synth.rng import stream

CHEMICAL_IN_PARK = 0.95  # chemical and pharmaceutical plants must sit in a chemical park


def _park_weights(county_parks: list[Park], code: str) -> np.ndarray:
    """Parks attract their focus clusters; chemical firms go to a chemical park."""
    weight = np.array(
        [p.weight * (1 + 5 * any(code in CLUSTERS[c] for c in p.focus)) for p in county_parks]
    )
    if code in CLUSTERS["医药化工"]:
        weight *= np.array([8.0 if "医药化工" in p.focus else 1.0 for p in county_parks])
    return weight / weight.sum()


def _park_choice(rng: np.random.Generator, panel: Panel) -> np.ndarray:
    out = np.full(len(panel), None, dtype=object)
    by_county: dict[str, list[Park]] = {}
    for p in parks():
        by_county.setdefault(p.county_code, []).append(p)
    u = rng.random(len(panel))
    for (county, code), idx in group_indices(county=panel.county, industry=panel.industry):
        county_parks = by_county[county]
        chosen = rng.choice(len(county_parks), len(idx), p=_park_weights(county_parks, code))
        share = CHEMICAL_IN_PARK if code in CLUSTERS["医药化工"] else IN_PARK
        codes = np.array([p.code for p in county_parks], dtype=object)[chosen]
        out[idx] = np.where(u[idx] < share, codes, np.full(len(idx), None, dtype=object))
    return out


def register(seed: int, panel: Panel) -> pl.DataFrame:
    """One row per enterprise of the panel (every firm that ever existed in the window)."""
    rng = stream(seed, "register")
    first = np.argmax(~np.isnan(panel.revenue), axis=1)
    rev0 = panel.revenue[np.arange(len(panel)), first]
    size_z = (np.log(rev0) - np.log(560.0)) / 1.75
    registered = registration_dates(rng, panel.first_year, size_z)
    county = panel.county.astype(str)
    codes = usccs(rng, list(county), registered)
    prefixes = [county_short(c) for c in sorted(set(county))]
    short = dict(zip(sorted(set(county)), prefixes, strict=True))
    words = [PROFILES[c].words for c in panel.industry]
    large = size_z > 1.5
    firm_names = names(rng, [short[c] for c in county], words, large)
    park = _park_choice(rng, panel)
    return pl.DataFrame(
        {
            "uscc": codes,
            "name": firm_names,
            "region_code": county,
            "park_code": list(park),
            "industry_code": panel.industry.astype(str),
            "registered_on": registered,
            "address": addresses(rng, panel.county, park),
            "first_year": panel.first_year.astype(np.int32),
            "last_year": panel.last_year.astype(np.int32),
        },
        schema={
            "uscc": pl.String,
            "name": pl.String,
            "region_code": pl.String,
            "park_code": pl.String,
            "industry_code": pl.String,
            "registered_on": pl.Date,
            "address": pl.String,
            "first_year": pl.Int32,
            "last_year": pl.Int32,
        },
    )
