"""Deterministic synthetic warehouse tables for the 亩均 benchmark (numpy, seed 20220).

`permu_dataset(n)` writes `benchmarks/data/permu-{n}/enterprise.parquet` (n rows) and
`enterprise_year.parquet` (2n rows: 2021 and 2022) once and reuses them while GENERATOR is
unchanged. Log-normal sizes; Taizhou counties (2 % of firms elsewhere in Zhejiang, to exercise
the region filter); real 4-digit industrial classes (GB/T 4754-2017, divisions 06–46, so some
exempt divisions 16 and 44–46); ~25 % above scale; ~15 % of the above-scale without an
emission record; ~30 % of the below-scale with land < 3 亩; ~3 % registered in 2022 and ~4 %
in 2020–2021 (deferred); a few non-positive taxes and zero land.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

GENERATOR = "permu-v1"
SEED = 20220
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
GBT = ROOT / "src" / "industry_brain" / "reference" / "data" / "gbt4754_2017.csv"
COUNTIES = ["331002", "331003", "331004", "331022", "331023", "331024", "331081", "331082"]
COUNTIES.append("331083")
YEARS = (2021, 2022)


@dataclass(frozen=True)
class PermuData:
    n: int
    enterprise: Path
    enterprise_year: Path

    @property
    def rows(self) -> int:
        return 2 * self.n


def industrial_classes() -> list[str]:
    import csv

    with GBT.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(
        r["code"] for r in rows if r["level"] == "class" and 6 <= int(r["code"][:2]) <= 46
    )


def _uscc(n: int) -> np.ndarray:
    # 18 characters, unique, sortable: "913310" + 12-digit serial (checksum not needed here)
    return np.char.add("913310", np.char.zfill(np.arange(n).astype(str), 12))


def generate(n: int, rng: np.random.Generator) -> tuple[pa.Table, pa.Table]:
    classes = np.array(industrial_classes())
    uscc = _uscc(n)
    # shuffle so that uscc order and size are unrelated
    uscc = uscc[rng.permutation(n)]
    county = np.array(COUNTIES)[rng.integers(0, len(COUNTIES), n)]
    elsewhere = rng.random(n) < 0.02
    region = np.where(elsewhere, "330102", county)
    park = np.where(rng.random(n) < 0.3, np.char.add(region, "101"), None)
    industry = classes[rng.integers(0, len(classes), n)]
    days = rng.integers(0, 365 * 30, n)  # 1992 .. 2021
    registered = np.datetime64("1992-01-01") + days.astype("timedelta64[D]")
    new = rng.random(n)
    registered = np.where(
        new < 0.03,
        np.datetime64("2022-01-01") + rng.integers(0, 365, n).astype("timedelta64[D]"),
        np.where(
            new < 0.07,
            np.datetime64("2020-01-01") + rng.integers(0, 731, n).astype("timedelta64[D]"),
            registered,
        ),
    )
    enterprise = pa.table(
        {
            "uscc": pa.array(uscc, pa.string()),
            "name": pa.array(np.char.add("台州测试企业", np.arange(n).astype(str)), pa.string()),
            "region_code": pa.array(region, pa.string()),
            "park_code": pa.array(park, pa.string()),
            "industry_code": pa.array(industry, pa.string()),
            "registered_on": pa.array(registered.astype("datetime64[D]"), pa.date32()),
        }
    )
    above = rng.random(n) < 0.25
    size = rng.lognormal(0.0, 1.2, n) * np.where(above, 8.0, 1.0)  # firm size factor
    land = np.round(rng.lognormal(1.6, 0.9, n) * np.sqrt(size), 2)  # 亩
    land[rng.random(n) < 0.005] = 0.0
    no_emission = above & (rng.random(n) < 0.15)
    years = []
    for k, year in enumerate(YEARS):
        g = 1.0 + 0.06 * k + rng.normal(0, 0.08, n)  # growth to 2022
        revenue = 800.0 * size * g * rng.lognormal(0, 0.3, n)  # 万元
        value_added = revenue * rng.uniform(0.12, 0.35, n)
        tax = revenue * rng.uniform(0.01, 0.06, n)
        tax[rng.random(n) < 0.02] *= -0.2  # refunds: non-positive tax scores 0
        energy = revenue * rng.uniform(0.02, 0.2, n)
        emissions = np.where(no_emission, np.nan, revenue * rng.uniform(0.001, 0.02, n))
        employees = np.maximum(1.0, np.round(revenue / rng.uniform(60, 200, n)))
        rd = np.where(rng.random(n) < 0.7, revenue * rng.uniform(0.0, 0.06, n), 0.0)
        kwh = energy * rng.uniform(6000, 9000, n)
        years.append(
            pa.table(
                {
                    "uscc": pa.array(uscc, pa.string()),
                    "year": pa.array(np.full(n, year, np.int32)),
                    "above_scale": pa.array(above),
                    "revenue": pa.array(revenue),
                    "output": pa.array(revenue * rng.uniform(0.9, 1.1, n)),
                    "value_added": pa.array(value_added),
                    "tax_paid": pa.array(tax),
                    "land_mu": pa.array(land),
                    "employees": pa.array(employees),
                    "energy_tce": pa.array(energy),
                    "emissions_eq": pa.array(emissions, from_pandas=True),
                    "rd_expense": pa.array(rd),
                    "electricity_kwh": pa.array(kwh),
                }
            )
        )
    return enterprise, pa.concat_tables(years)


def permu_dataset(n: int) -> PermuData:
    folder = DATA / f"permu-{n}"
    data = PermuData(n, folder / "enterprise.parquet", folder / "enterprise_year.parquet")
    stamp = folder / "GENERATOR"
    if stamp.exists() and stamp.read_text() == GENERATOR and data.enterprise_year.exists():
        return data
    folder.mkdir(parents=True, exist_ok=True)
    enterprise, enterprise_year = generate(n, np.random.default_rng(SEED))
    pq.write_table(enterprise, data.enterprise)
    pq.write_table(enterprise_year, data.enterprise_year)
    stamp.write_text(GENERATOR)
    return data
