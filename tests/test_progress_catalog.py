"""The plan catalog: every row of every plan loads and parses; the rows that cannot be assessed
automatically are listed with their reason; spec errors name the closest valid name."""

import pytest

from industry_brain.engines.progress.catalog import PlanError, load_plan, plan_names
from progress_helpers import plan, row

PLANS = ["taizhou-14th-fyp", "taizhou-action-2020-2025", "wenzhou-2.0-2022", "zhejiang-14th-fyp"]

# Rows the method cannot assess by itself, and why (the bureau judges or enters them).
NOT_ASSESSABLE = {
    ("taizhou-14th-fyp", "energy_intensity_decline"): "assigned",
    ("taizhou-14th-fyp", "co2_intensity_decline"): "assigned",
    ("taizhou-14th-fyp", "water_intensity_decline"): "assigned",
    ("taizhou-14th-fyp", "business_environment_index"): "rank",
    ("taizhou-action-2020-2025", "energy_intensity"): "qualitative",
    ("taizhou-action-2020-2025", "basic_management_coverage"): "qualitative",
    ("taizhou-action-2020-2025", "refined_management_coverage"): "qualitative",
    ("taizhou-action-2020-2025", "digital_transformation_coverage"): "qualitative",
    ("wenzhou-2.0-2022", "value_added_per_mu_rank"): "rank",
    ("wenzhou-2.0-2022", "output_per_mu_rank"): "rank",
    ("zhejiang-14th-fyp", "co2_intensity_decline"): "assigned",
}


def test_the_four_plans_are_shipped():
    assert plan_names() == PLANS


@pytest.mark.parametrize("name", PLANS)
def test_every_row_parses_to_a_kind_with_a_figure_or_a_reason(name):
    p = load_plan(name)
    for r in p.indicators:
        t = r.parsed
        assert (t.value is not None) if t.assessable else bool(t.note), r.id
        assert r.source.file and (r.source.row or r.source.quote), r.id


def test_rows_not_assessable_automatically_and_why():
    found = {
        (name, r.id): r.parsed.kind
        for name in PLANS
        for r in load_plan(name).indicators
        if not r.effective.assessable
    }
    assert found == NOT_ASSESSABLE
    for name, key in found:
        assert load_plan(name).indicator(key).parsed.note  # the reason shown in the table


def test_table_rows_are_complete():
    taizhou, zhejiang = load_plan("taizhou-14th-fyp"), load_plan("zhejiang-14th-fyp")
    assert sum(r.source.section == "表1" for r in taizhou.indicators) == 21
    assert sum(r.source.section == "表1" for r in zhejiang.indicators) == 12
    rd = taizhou.indicator("规模以上工业企业R&D经费支出占营业收入比重")
    assert (rd.baseline, rd.baseline_year, rd.prior_year_baseline) == (1.86, 2019, True)
    output = taizhou.indicator("above_scale_output").parsed
    assert (output.value, output.stretch) == (10000.0, 12000.0)
    energy = zhejiang.indicator("energy_intensity_decline")
    assert (energy.parsed.kind, energy.direction, energy.attribute) == (
        "cumulative",
        "down",
        "binding",
    )


def test_unknown_names_suggest_the_closest():
    with pytest.raises(PlanError, match=r"did you mean 'taizhou-14th-fyp'"):
        load_plan("taizhou-14th-fp")
    with pytest.raises(PlanError, match=r"formula 'tax_per_muu'.*did you mean 'tax_per_mu'"):
        plan(row(formula="tax_per_muu"))
    with pytest.raises(PlanError, match=r"indicator 'x'.targt: unknown key.*did you mean 'target'"):
        plan(row(targt="1"))
    with pytest.raises(PlanError, match=r"did you mean 'labour_productivity'"):
        load_plan("taizhou-14th-fyp").indicator("labour_productivty")
