"""generate_population: the whole synthetic city in memory, calibrated, in canonical units."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import polars as pl

from industry_brain.synth import calibration as cal
from industry_brain.synth import land, metrics, pollutants
from industry_brain.synth.enterprises import register
from industry_brain.synth.errors import SynthError
from industry_brain.synth.geography import parks
from industry_brain.synth.panel import START, simulate
from industry_brain.synth.purchases import Purchases, purchases

DEFAULT_YEARS = tuple(range(2019, 2025))
MONEY = (
    "revenue",
    "output",
    "value_added",
    "tax_paid",
    "rd_expense",
    "new_product_output",
    "export_value",
    "profit",
)
COLUMNS = (
    "uscc",
    "year",
    "above_scale",
    "revenue",
    "output",
    "value_added",
    "tax_paid",
    "land_mu",
    "land_owned_mu",
    "land_leased_mu",
    "land_let_mu",
    "employees",
    "energy_tce",
    "electricity_kwh",
    "emissions_eq",
    "rd_expense",
    "new_product_output",
    "export_value",
    "profit",
)


@dataclass(frozen=True)
class Population:
    """The synthetic city. Frames are in canonical units (万元, 亩, 吨标准煤, 千瓦时, 吨, 人)."""

    seed: int
    scale: float
    years: tuple[int, ...]
    enterprises: pl.DataFrame  # one row per enterprise active in any of the years
    enterprise_years: pl.DataFrame  # one row per active enterprise and year
    # uscc, year, parcel_id, tenure (owned/leased/let), area_mu, parent_id, lessor_uscc
    parcels: pl.DataFrame
    pollutants: pl.DataFrame  # uscc, year, pollutant (COD, NH3N, SO2, NOX, PM, TP, VOCS), amount_t
    # year, buyer_uscc, buyer_name, seller_uscc, seller_name, seller_region, seller_place,
    # seller_code, product_code, product_name, amount (万元): one row per purchase, netted
    trade: pl.DataFrame
    chain_risks: pl.DataFrame  # the planted supply risks (risks.TRUTH)
    parks: pl.DataFrame  # code, name, county_code
    # suppliers in other Zhejiang counties: uscc, name, region_code, industry_code
    outside: pl.DataFrame
    far: pl.DataFrame  # suppliers outside Zhejiang (parties.COLUMNS), abroad without a uscc


def _round(x: np.ndarray, digits: int, floor: float = 0.0) -> np.ndarray:
    r = np.round(x, digits)
    return np.where(np.isnan(r), r, np.maximum(r, floor)) if floor else r


def _calibrate(
    m: dict[str, np.ndarray], parcels: land.Parcels, years: list[int], scale: float
) -> None:
    """Rescale value added, land, tax, employees, R&D and new products to the 2020 targets."""
    t = cal.targets(scale)
    j = years.index(cal.CALIBRATION_YEAR)
    above = m["revenue"][:, j] >= metrics.THRESHOLD  # NaN (inactive) compares False

    def total(a: np.ndarray) -> float:
        return float(np.nansum(a[above, j]))

    def r2(a: np.ndarray) -> np.ndarray:
        return _round(a, 2)

    out, rev = total(m["output"]), total(m["revenue"])
    m["value_added"] = cal.fit(
        m["value_added"], total, t["value_added_rate"] * out, 0.95 * m["output"], r2
    )
    va = total(m["value_added"])
    sign = np.select([parcels.tenure == "let"], [-1.0], 1.0)
    weight = sign * parcels.active(cal.CALIBRATION_YEAR) * above[parcels.firm]
    parcels.area = cal.fit(
        parcels.area,
        lambda a: float(weight @ a),
        va / t["value_added_per_mu"],
        land.MAX_PARCEL_MU,
        lambda a: _round(a, 2, 0.01),
    )
    land_2020 = float(weight @ parcels.area)
    m["tax_paid"] = cal.fit(
        m["tax_paid"], total, t["tax_per_mu"] * land_2020, 0.45 * m["revenue"], r2
    )
    m["employees"] = cal.fit(
        m["employees"],
        total,
        va / t["labour_productivity"],
        None,
        lambda a: np.maximum(1, np.round(a)),
    )
    m["rd_expense"] = cal.fit(
        m["rd_expense"], total, t["rd_intensity"] * rev, 0.25 * m["revenue"], r2
    )
    m["new_product_output"] = cal.fit(
        m["new_product_output"], total, t["new_product_rate"] * out, m["output"], r2
    )


def _finish(m: dict[str, np.ndarray], traits: metrics.Traits) -> None:
    for name in MONEY:
        m[name] = _round(m[name], 2)
    m["export_value"] = np.minimum(m["export_value"], m["output"])
    latent = _round(m["energy_latent"], 2, 0.01)
    m["energy_tce"] = np.where(np.isnan(m["energy_tce"]), np.nan, latent)
    m["electricity_kwh"] = metrics.electricity(latent, traits.elec_share, m["has_electricity"])
    m["emissions_eq"] = _round(m["emissions_eq"], 4, 0.0001)


def _frame(
    m: dict[str, np.ndarray], parcels: land.Parcels, usccs: np.ndarray, years: list[int]
) -> pl.DataFrame:
    parts = []
    for j, year in enumerate(years):
        on = ~np.isnan(m["revenue"][:, j])
        held = parcels.land_by_firm(len(usccs), year)
        cols: dict[str, object] = {
            "uscc": usccs[on],
            "year": np.full(int(on.sum()), year, np.int32),
        }
        cols["above_scale"] = m["revenue"][on, j] >= metrics.THRESHOLD
        has = held["has_land"][on]
        for name, key in (
            ("land_mu", "land_mu"),
            ("land_owned_mu", "owned"),
            ("land_leased_mu", "leased"),
            ("land_let_mu", "let"),
        ):
            cols[name] = np.where(has, np.round(held[key][on], 2), np.nan)
        for name in COLUMNS[3:]:
            if name not in cols:
                cols[name] = m[name][on, j]
        frame = pl.DataFrame(cols).with_columns(pl.selectors.float().fill_nan(None))
        frame = frame.with_columns(pl.col("employees", "electricity_kwh").cast(pl.Int64))
        parts.append(frame.select(COLUMNS))
    return pl.concat(parts)


def _pollutants(
    seed: int, industry: np.ndarray, m: dict[str, np.ndarray], usccs: np.ndarray, years: list[int]
) -> pl.DataFrame:
    """Each firm's 排放当量 split by pollutant; m["emissions_eq"] becomes what the amounts imply."""
    mix = pollutants.Mix(seed, industry)
    parts = []
    for j, year in enumerate(years):
        amounts, eq = pollutants.split(seed, mix, m["emissions_eq"][:, j], year)
        m["emissions_eq"][:, j] = eq
        firm, code = np.nonzero(~np.isnan(amounts))
        parts.append(
            pl.DataFrame(
                {
                    "uscc": usccs[firm],
                    "year": np.full(len(firm), year, np.int32),
                    "pollutant": np.array(pollutants.CODES, dtype=object)[code],
                    "amount_t": np.round(amounts[firm, code], 4),
                },
                schema={
                    "uscc": pl.String,
                    "year": pl.Int32,
                    "pollutant": pl.String,
                    "amount_t": pl.Float64,
                },
            )
        )
    return pl.concat(parts).sort("uscc", "year", maintain_order=True)


def generate_population(
    seed: int = 2020, scale: float = 1.0, years: Iterable[int] = DEFAULT_YEARS
) -> Population:
    """Generate the city for the given years (a subset gives the same rows for those years)."""
    wanted = sorted(set(years))
    if not wanted or wanted[0] < START:
        raise SynthError(f"years must be {START} or later, got {wanted}")
    if scale <= 0:
        raise SynthError(f"scale must be positive, got {scale}")
    panel = simulate(seed, scale, max(2024, wanted[-1]))
    traits = metrics.draw_traits(seed, panel)
    base = metrics.firm_years(seed, panel, traits, [cal.CALIBRATION_YEAR], 1.0)
    k = cal.solve_revenue_factor(
        base["revenue"][:, 0], base["output"][:, 0], cal.targets(scale)["output"]
    )
    calc = sorted(set(wanted) | {cal.CALIBRATION_YEAR})
    m = metrics.firm_years(seed, panel, traits, calc, k)
    parcels = land.generate(seed, panel, k)
    _calibrate(m, parcels, calc, scale)
    _finish(m, traits)
    reg = register(seed, panel)
    usccs = reg["uscc"].to_numpy()
    cols = [calc.index(y) for y in wanted]
    m = {name: a[:, cols] for name, a in m.items()}
    emitted = _pollutants(seed, panel.industry, m, usccs, wanted)
    ey = _frame(m, parcels, usccs, wanted)
    active_any = ~np.isnan(m["revenue"]).all(axis=1)
    size = np.nanmean(panel.revenue, axis=1) * k
    bought: Purchases = purchases(seed, scale, panel.industry, size, reg, m["revenue"], wanted)
    park_frame = pl.DataFrame(
        [{"code": p.code, "name": p.name, "county_code": p.county_code} for p in parks()]
    )
    return Population(
        seed=seed,
        scale=scale,
        years=tuple(wanted),
        enterprises=reg.filter(pl.Series(active_any)),
        enterprise_years=ey,
        parcels=parcels.frame(usccs, wanted),
        pollutants=emitted,
        trade=bought.trade,
        chain_risks=bought.risks,
        parks=park_frame,
        outside=bought.outside,
        far=bought.far,
    )
