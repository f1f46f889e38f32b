"""Land parcels (宗地): owned, leased and let out; 1–4 per enterprise, stable across years.

A few owners let part of a parcel: the owner's 'let' record and the tenant's 'leased' record
share a sub-parcel id, and both remember the owned parcel they are part of (`parent`); the
tenant's record also names its lessor. Departments write this in several ways (an 出租 row, a
lease on the owner's own 宗地编号, an 出租方 column), see department_files.land_table."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industry_brain.synth.industries import PROFILES
from industry_brain.synth.metrics import THRESHOLD
from industry_brain.synth.panel import Panel
from industry_brain.synth.rng import stream

MAX_PARCEL_MU = 3000.0
TENURES = ("owned", "leased", "let")


@dataclass
class Parcels:
    """One record per (enterprise, parcel) with the years it is held."""

    firm: np.ndarray  # index into the panel
    parcel_id: np.ndarray  # str
    tenure: np.ndarray  # str: owned / leased / let
    area: np.ndarray  # 亩
    first_year: np.ndarray
    last_year: np.ndarray
    parent: np.ndarray  # let and paired leased records: index of the owned parcel; else -1
    lessor: np.ndarray  # a tenant's leased record: the firm letting it; else -1

    def active(self, year: int) -> np.ndarray:
        return (self.first_year <= year) & (self.last_year >= year)

    def land_by_firm(self, n_firms: int, year: int) -> dict[str, np.ndarray]:
        """owned / leased / let sums per firm in a year, and land_mu = owned + leased − let."""
        on = self.active(year)
        out: dict[str, np.ndarray] = {
            t: np.bincount(
                self.firm[on & (self.tenure == t)], self.area[on & (self.tenure == t)], n_firms
            )
            for t in TENURES
        }
        out["land_mu"] = out["owned"] + out["leased"] - out["let"]
        out["has_land"] = np.bincount(self.firm[on], minlength=n_firms) > 0
        return out

    def frame(self, usccs: np.ndarray, years: list[int]) -> pl.DataFrame:
        has_parent, has_lessor = self.parent >= 0, self.lessor >= 0
        parent_id = np.where(has_parent, self.parcel_id[np.maximum(self.parent, 0)], None)
        lessor = np.where(has_lessor, usccs[np.maximum(self.lessor, 0)], None)
        parts = []
        for y in years:
            on = self.active(y)
            parts.append(
                pl.DataFrame(
                    {
                        "uscc": usccs[self.firm[on]],
                        "year": np.full(int(on.sum()), y, dtype=np.int32),
                        "parcel_id": self.parcel_id[on],
                        "tenure": self.tenure[on],
                        "area_mu": self.area[on],
                        "parent_id": parent_id[on].tolist(),
                        "lessor_uscc": lessor[on].tolist(),
                    },
                    schema={
                        "uscc": pl.String,
                        "year": pl.Int32,
                        "parcel_id": pl.String,
                        "tenure": pl.String,
                        "area_mu": pl.Float64,
                        "parent_id": pl.String,
                        "lessor_uscc": pl.String,
                    },
                )
            )
        return pl.concat(parts)


def _need(panel: Panel, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    mean_rev = np.nanmean(panel.revenue, axis=1)
    yield_ = np.array([PROFILES[c].land_yield for c in panel.industry])
    need = (mean_rev / yield_) ** 0.95 * np.exp(rng.normal(-0.1, 0.45, len(panel)))
    return np.clip(need, 0.3, 0.8 * MAX_PARCEL_MU * 4), mean_rev


def generate(seed: int, panel: Panel, k: float) -> Parcels:
    rng = stream(seed, "land")
    n = len(panel)
    need, mean_rev = _need(panel, rng)
    ever_above = np.nanmax(panel.revenue, axis=1) * k >= THRESHOLD
    has_land = ever_above | (rng.random(n) < 0.72)
    rev = mean_rev * k
    lease_only = rng.random(n) < np.where(rev < 500, 0.65, np.where(rev < THRESHOLD, 0.3, 0.06))
    count = 1 + rng.binomial(3, np.where(rev < 500, 0.05, np.where(rev < THRESHOLD, 0.2, 0.45)))
    firm = np.repeat(np.nonzero(has_land)[0], count[has_land])
    first = np.r_[0, np.cumsum(count[has_land])[:-1]]
    position = np.arange(len(firm)) - np.repeat(first, count[has_land])
    split = rng.gamma(2.0, 1.0, len(firm))
    split /= np.bincount(firm, split, n)[firm]
    area = np.minimum(need[firm] * split, 0.8 * MAX_PARCEL_MU)
    extra_lease = (position == count[firm] - 1) & (position > 0) & (rng.random(len(firm)) < 0.3)
    tenure = np.where(lease_only[firm] | extra_lease, "leased", "owned").astype(object)
    y0 = panel.first_year[firm].copy()
    y1 = panel.last_year[firm].copy()
    later = (position > 0) & (rng.random(len(firm)) < 0.15)
    y0 = np.where(later, np.minimum(y1, y0 + rng.integers(1, 4, len(firm))), y0)
    earlier = (position > 0) & ~later & (rng.random(len(firm)) < 0.08)
    y1 = np.where(earlier, np.maximum(y0, y1 - rng.integers(1, 4, len(firm))), y1)
    none = np.full(len(firm), -1)
    parcels = Parcels(firm, np.empty(0, dtype=object), tenure, area, y0, y1, none, none)
    parcels = _with_lettings(rng, panel, parcels)
    parcels.parcel_id = _parcel_ids(rng, panel, parcels)
    return parcels


def _with_lettings(rng: np.random.Generator, panel: Panel, p: Parcels) -> Parcels:
    """Some owners let part of a parcel: a 'let' record, and often a tenant's 'leased' record."""
    lets = np.nonzero((p.tenure == "owned") & (p.area >= 8) & (rng.random(len(p.firm)) < 0.06))[0]
    lessor = p.firm[lets]
    area = p.area[lets] * rng.uniform(0.15, 0.4, len(lets))
    y0, y1 = p.first_year[lets], p.last_year[lets]
    tenant = _same_county(rng, panel.county, lessor)
    t0 = np.maximum(y0, panel.first_year[tenant])
    t1 = np.minimum(y1, panel.last_year[tenant])
    ok = (t0 <= t1) & (tenant != lessor) & (rng.random(len(lets)) < 0.7)
    # The let record and the tenant's lease share a new sub-parcel; mark the pair by group id.
    group = np.arange(len(lets))
    firm = np.concatenate([p.firm, lessor, tenant[ok]])
    tenure = np.concatenate(
        [p.tenure, np.full(len(lets), "let", object), np.full(int(ok.sum()), "leased", object)]
    )
    out = Parcels(
        firm=firm,
        parcel_id=np.concatenate([np.full(len(p.firm), -1), group, group[ok]]),
        tenure=tenure,
        area=np.concatenate([p.area, area, area[ok]]),
        first_year=np.concatenate([p.first_year, y0, t0[ok]]),
        last_year=np.concatenate([p.last_year, y1, t1[ok]]),
        parent=np.concatenate([p.parent, lets, lets[ok]]),
        lessor=np.concatenate([p.lessor, np.full(len(lets), -1), lessor[ok]]),
    )
    return out


def _same_county(rng: np.random.Generator, county: np.ndarray, firms: np.ndarray) -> np.ndarray:
    """A random firm of the same county for each of `firms`."""
    codes, inverse = np.unique(county.astype(str), return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=len(codes))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    c = inverse[firms]
    return order[starts[c] + (rng.random(len(firms)) * counts[c]).astype(np.int64)]


def _parcel_ids(rng: np.random.Generator, panel: Panel, p: Parcels) -> np.ndarray:
    """宗地代码 style ids: county (6) + 街道 (3) + 宗地区 (3) + GB/JC + sequence (5); a let
    record and its tenant's lease carry the same id."""
    group = p.parcel_id.astype(np.int64)
    key = np.where(group < 0, np.arange(len(group)) + 10_000_000_000, group)  # one id per key
    _, inverse = np.unique(key, return_inverse=True)
    n_ids = int(inverse.max()) + 1 if len(inverse) else 0
    owner = np.zeros(n_ids, dtype=np.int64)
    owner[inverse[::-1]] = p.firm[::-1]  # first record of each id decides its county
    county = panel.county[owner]
    street = rng.integers(1, 13, n_ids)
    zone = rng.integers(1, 31, n_ids)
    collective = (p.tenure == "leased") & (group < 0)
    kind = np.full(n_ids, "GB", dtype=object)
    kind[inverse[collective]] = np.where(rng.random(int(collective.sum())) < 0.5, "JC", "GB")
    frame = pl.DataFrame({"c": county.astype(str), "s": street, "z": zone})
    seq = (
        frame.with_columns(pl.int_range(pl.len()).over("c", "s", "z").alias("q"))["q"].to_numpy()
        + 1
    )
    ids = np.array(
        [
            f"{c}{s:03d}{z:03d}{k}{q:05d}"
            for c, s, z, k, q in zip(county, street, zone, kind, seq, strict=True)
        ],
        dtype=object,
    )
    return ids[inverse]
