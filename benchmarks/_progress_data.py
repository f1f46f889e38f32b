"""Data for the plan-indicator benchmark: the 亩均 dataset plus 新产品产值 (numpy, seed 20230).

`progress_dataset(n)` reuses `benchmarks/data/permu-{n}/enterprise.parquet` as it is and writes
`benchmarks/data/progress-{n}/enterprise_year.parquet`: the permu `enterprise_year` rows (same
order and values) with one more column, `new_product_output` (万元), which the formulas need and
the permu data lacks: ~60 % of the rows have new products worth 5–60 % of output, ~38 % none (0)
and ~2 % no record (null). The permu files are not touched. Also the formula registry written
out by hand, for the pandas and SQL implementations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from _permu_data import DATA, permu_dataset
from _permu_data import GENERATOR as PERMU_GENERATOR

GENERATOR = f"progress-v1+{PERMU_GENERATOR}"
SEED = 20230
CITY = "331000"
COUNTIES = [  # regions().counties("331000"), written out so the hand implementations need no src
    *("331002", "331003", "331004", "331022", "331023", "331024", "331081", "331082", "331083")
]
WORKLOADS = {"city": [CITY], "counties": [CITY, *COUNTIES]}

# population: (above_scale, lowest 大类, highest 大类)
POPULATIONS = {
    "above_scale_industry": (True, 6, 46),
    "above_scale_manufacturing": (True, 13, 43),
}
# formula: (population, numerator, denominator or None, scale): formulas.yaml written out
FORMULAS: dict[str, tuple[str, str, str | None, float]] = {
    "above_scale_output": ("above_scale_industry", "output", None, 0.0001),
    "above_scale_value_added": ("above_scale_industry", "value_added", None, 0.0001),
    "value_added_rate": ("above_scale_industry", "value_added", "output", 100.0),
    "value_added_per_mu": ("above_scale_industry", "value_added", "land_mu", 1.0),
    "tax_per_mu": ("above_scale_industry", "tax_paid", "land_mu", 1.0),
    "labour_productivity": ("above_scale_industry", "value_added", "employees", 1.0),
    "rd_intensity": ("above_scale_industry", "rd_expense", "revenue", 100.0),
    "new_product_rate": ("above_scale_industry", "new_product_output", "output", 100.0),
    "energy_per_value_added": ("above_scale_industry", "energy_tce", "value_added", 1.0),
    "mfg_value_added_rate": ("above_scale_manufacturing", "value_added", "output", 100.0),
    "mfg_labour_productivity": ("above_scale_manufacturing", "value_added", "employees", 1.0),
    "mfg_rd_intensity": ("above_scale_manufacturing", "rd_expense", "revenue", 100.0),
}
COLUMNS = sorted({c for _, num, den, _ in FORMULAS.values() for c in (num, den) if c})


@dataclass(frozen=True)
class ProgressData:
    n: int
    enterprise: Path
    enterprise_year: Path

    @property
    def rows(self) -> int:
        return 2 * self.n


def new_product_output(output: np.ndarray, rng: np.random.Generator) -> pa.Array:
    k = len(output)
    share = np.where(rng.random(k) < 0.6, rng.uniform(0.05, 0.6, k), 0.0)
    value = output * share
    missing = rng.random(k) < 0.02
    return pa.array(value, mask=missing)


def progress_dataset(n: int) -> ProgressData:
    permu = permu_dataset(n)
    folder = DATA / f"progress-{n}"
    data = ProgressData(n, permu.enterprise, folder / "enterprise_year.parquet")
    stamp = folder / "GENERATOR"
    if stamp.exists() and stamp.read_text() == GENERATOR and data.enterprise_year.exists():
        return data
    folder.mkdir(parents=True, exist_ok=True)
    ey = pq.read_table(permu.enterprise_year)
    output = ey["output"].to_numpy()
    ey = ey.append_column(
        "new_product_output", new_product_output(output, np.random.default_rng(SEED))
    )
    pq.write_table(ey, data.enterprise_year)
    stamp.write_text(GENERATOR)
    return data
