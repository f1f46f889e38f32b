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
