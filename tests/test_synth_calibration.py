"""Calibration: the 2020 规上 aggregates reproduce Taizhou 2020 (METHODS.md §4)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from industry_brain.synth import TAIZHOU_2020, calibration_figures, generate_population, write_city
from industry_brain.synth.calibration import solve_revenue_factor, targets
from test_synth_support import figures_from_files, manifest, small_city

TOLERANCE = 0.005


def _close(got: dict[str, float], want: dict[str, float]) -> None:
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=TOLERANCE), key


def test_published_figures() -> None:
    assert TAIZHOU_2020["output"] == 52_690_000  # 5269 亿元 in 万元
    assert TAIZHOU_2020["value_added_rate"] == 0.229
    assert TAIZHOU_2020["value_added_per_mu"] == 115.6
    assert TAIZHOU_2020["tax_per_mu"] == 20.7
    assert TAIZHOU_2020["labour_productivity"] == 18.3
    assert targets(0.5)["output"] == 26_345_000
    assert targets(0.5)["tax_per_mu"] == 20.7


def test_full_scale_truth_and_files(tmp_path: Path) -> None:
    """At scale 1 the truth and the written 2020 files both hit the published figures."""
    pop = generate_population(seed=2020, scale=1.0, years=[2020])
    truth = calibration_figures(pop.enterprise_years, 2020)
    _close(truth, TAIZHOU_2020)
    assert 4500 <= truth["above_scale_enterprises"] <= 5500
    write_city(tmp_path, seed=2020, scale=1.0, years=[2020])
    _close(figures_from_files(tmp_path, 2020), TAIZHOU_2020)


def test_small_city_files_hold_the_ratios() -> None:
    city = small_city()
    m = manifest(city)
    want = targets(m.scale)
    _close(m.calibration, want)
    _close(figures_from_files(city, 2020), want)


def test_ratios_hold_at_any_scale() -> None:
    for scale in (0.02, 0.2):
        pop = generate_population(seed=3, scale=scale, years=[2020])
        _close(calibration_figures(pop.enterprise_years, 2020), targets(scale))


def test_solve_revenue_factor_is_exact_between_jumps() -> None:
    rng = np.random.default_rng(0)
    revenue = np.exp(rng.normal(6.5, 1.8, 5000))
    output = revenue * rng.uniform(0.9, 1.1, 5000)
    target = 2.0 * output[revenue >= 2000].sum()
    k = solve_revenue_factor(revenue, output, target)
    above = k * revenue >= 2000
    assert (k * output[above]).sum() == pytest.approx(target, rel=1e-3)


def test_other_years_are_not_forced() -> None:
    pop = generate_population(seed=5, scale=0.05)
    f2019 = calibration_figures(pop.enterprise_years, 2019)
    f2024 = calibration_figures(pop.enterprise_years, 2024)
    assert f2024["output"] > f2019["output"]  # nominal growth
    assert 0.15 < f2024["value_added_rate"] < 0.32
