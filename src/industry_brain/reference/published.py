"""Published figures the platform is checked against (METHODS.md §4).

Source: 台州市制造业高质量发展"十四五"规划 (台政办发〔2021〕51号), 发展基础; R&D/营业收入 is the
2019 figure. Money in 万元, land in 亩.
"""

from __future__ import annotations

TAIZHOU_2020: dict[str, float] = {
    "output": 52_690_000.0,  # 规上工业总产值 5269 亿元, in 万元
    "value_added_rate": 0.229,  # 规上工业增加值率
    "value_added_per_mu": 115.6,  # 规上工业亩均增加值, 万元/亩
    "tax_per_mu": 20.7,  # 规上工业亩均税收, 万元/亩
    "labour_productivity": 18.3,  # 规上工业全员劳动生产率, 万元/人
    "rd_intensity": 0.0186,  # R&D经费支出占营业收入比重 (2019)
    "new_product_rate": 0.35,  # 新产品产值率
}

TITLES: dict[str, str] = {
    "output": "规上工业总产值（亿元）",
    "value_added_rate": "规上工业增加值率",
    "value_added_per_mu": "亩均增加值（万元/亩）",
    "tax_per_mu": "亩均税收（万元/亩）",
    "labour_productivity": "全员劳动生产率（万元/人）",
    "rd_intensity": "R&D经费占营业收入比重",
    "new_product_rate": "新产品产值率",
}

# Each figure as numerator / denominator of sums over 规上 industrial enterprises (None: a sum).
FORMULAS: dict[str, tuple[str, str | None]] = {
    "output": ("output", None),
    "value_added_rate": ("value_added", "output"),
    "value_added_per_mu": ("value_added", "land_mu"),
    "tax_per_mu": ("tax_paid", "land_mu"),
    "labour_productivity": ("value_added", "employees"),
    "rd_intensity": ("rd_expense", "revenue"),
    "new_product_rate": ("new_product_output", "output"),
}
SUMMED: tuple[str, ...] = tuple(
    dict.fromkeys(part for pair in FORMULAS.values() for part in pair if part is not None)
)


def figures_from_sums(sums: dict[str, float | None]) -> dict[str, float | None]:
    """The published figures from the population's sums (ratios after aggregation)."""
    out: dict[str, float | None] = {}
    for key, (num, den) in FORMULAS.items():
        top, bottom = sums.get(num), sums.get(den) if den else 1.0
        out[key] = top / bottom if top is not None and bottom else None
    return out
