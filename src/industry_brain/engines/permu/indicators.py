"""The 亩均 indicators as formulas over enterprise_year columns (glossary names)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Indicator:
    name: str
    title: str
    numerator: str
    denominator: str
    scale: float  # multiplies numerator / denominator into the indicator's unit
    unit: str


INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator("tax_per_mu", "亩均税收", "tax_paid", "land_mu", 1.0, "万元/亩"),
        Indicator("value_added_per_mu", "亩均增加值", "value_added", "land_mu", 1.0, "万元/亩"),
        Indicator("revenue_per_mu", "亩均营业收入", "revenue", "land_mu", 1.0, "万元/亩"),
        Indicator(
            "value_added_per_tce",
            "单位能耗增加值",
            "value_added",
            "energy_tce",
            1.0,
            "万元/吨标准煤",
        ),
        Indicator(
            "value_added_per_emission",
            "单位排放增加值",
            "value_added",
            "emissions_eq",
            1.0,
            "万元/吨",
        ),
        # 单位电耗税收 is published in 元 per 千瓦时 (Huangyan 2022 benchmark 0.2352).
        Indicator("tax_per_kwh", "单位电耗税收", "tax_paid", "electricity_kwh", 1e4, "元/千瓦时"),
        Indicator(
            "labour_productivity", "全员劳动生产率", "value_added", "employees", 1.0, "万元/人"
        ),
        Indicator(
            "rd_intensity", "R&D经费支出占营业收入比重", "rd_expense", "revenue", 1.0, "比值"
        ),
    )
}
