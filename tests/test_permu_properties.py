"""Properties of the 亩均 engine (Hypothesis)."""

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain.engines.permu.spec import load_method
from permu_helpers import firm, run

HUANGYAN = load_method("taizhou-huangyan-2022")
WENLING = load_method("taizhou-wenling-quotas")
positive = st.floats(min_value=0.1, max_value=1e5, allow_nan=False)
industries = st.sampled_from(["3525", "3670", "2710", "1810", "3311", "4411"])


@st.composite
def firms(draw, min_size=1, max_size=12):
    n = draw(st.integers(min_size, max_size))
    return [
        firm(
            i,
            industry=draw(industries),
            tax_paid=draw(positive),
            value_added=draw(positive),
            land_mu=draw(st.floats(1.0, 500.0)),
            energy_tce=draw(positive),
            employees=draw(st.floats(1.0, 5000.0)),
            emissions_eq=draw(st.one_of(st.none(), positive)),
        )
        for i in range(n)
    ]


def _total(spec, population, uscc):
    return next(r["total"] for r in run(spec, population).to_dicts() if r["uscc"] == uscc)


@settings(max_examples=12, deadline=None)
@given(firms(), st.floats(1.01, 10.0), st.sampled_from(["tax_paid", "value_added"]))
def test_more_tax_or_value_added_never_lowers_a_score(population, factor, figure):
    target = population[0]
    if target["industry_code"] == "4411":
        return  # exempt: no score
    before = _total(HUANGYAN, population, target["uscc"])
    raised = [dict(f, **{figure: f[figure] * factor}) if f is target else f for f in population]
    assert _total(HUANGYAN, raised, target["uscc"]) >= before - 1e-9


@settings(max_examples=12, deadline=None)
@given(firms(), st.floats(1.01, 10.0))
def test_more_land_never_raises_a_score(population, factor):
    target = population[0]
    if target["industry_code"] == "4411":
        return
    before = _total(HUANGYAN, population, target["uscc"])
    bigger = [dict(f, land_mu=f["land_mu"] * factor) if f is target else f for f in population]
    assert _total(HUANGYAN, bigger, target["uscc"]) <= before + 1e-9


@settings(max_examples=10, deadline=None)
@given(firms(min_size=5, max_size=40))
def test_grade_shares_follow_the_quotas_in_every_group(population):
    result = run(WENLING, population)
    quotas = WENLING.tracks[0].grading.quotas
    evaluated = result.filter(result["status"] == "evaluated")
    for (_, _), group in evaluated.group_by(["track", "group"]):
        n, cumulative = group.height, 0.0
        for grade in "ABC":
            cumulative += quotas[grade]
            count = group.filter(group["grade"] <= grade).height  # grades A..grade
            assert abs(count - n * cumulative) <= 0.5 + 1e-9


@settings(max_examples=10, deadline=None)
@given(firms(max_size=20), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(population, rnd: random.Random):
    shuffled = population[:]
    rnd.shuffle(shuffled)
    a, b = run(WENLING, population), run(WENLING, shuffled)
    assert a.sort("uscc").equals(b.sort("uscc"))


@settings(max_examples=10, deadline=None)
@given(firms())
def test_exempt_and_deferred_are_never_ranked(population):
    result = run(HUANGYAN, population)
    for row in result.to_dicts():
        if row["status"] != "evaluated":
            assert row["rank"] is None and row["grade"] is None and row["reason"]
        else:
            assert row["rank"] >= 1 and row["grade"] in "ABCD" and not math.isnan(row["total"])
