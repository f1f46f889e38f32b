from __future__ import annotations

from collections import Counter

import pytest

from industry_brain.reference.pollutants import find_pollutant, normalise, pollutants


def by_code(code: str):
    return next(p for p in pollutants() if p.code == code)


def test_main_pollutants_and_their_values() -> None:
    main = {p.code: p.pev_kg for p in pollutants() if p.main}
    assert main == {"COD": 1.0, "NH3N": 0.8, "SO2": 0.95, "NOX": 0.95}
    assert by_code("SOOT").pev_kg == 2.18
    assert by_code("DUST").pev_kg == 4.0


def test_table_shape() -> None:
    rows = pollutants()
    counts = Counter((p.medium, p.pev_kg is not None) for p in rows)
    assert counts == {
        ("water", True): 61,
        ("air", True): 44,
        ("water", False): 1,
        ("air", False): 2,
    }
    assert {p.code for p in rows if p.pev_kg is None} == {"TN", "VOCS", "PM"}
    assert all(p.pev_kg is None or p.pev_kg > 0 for p in rows)


def test_codes_are_unique_upper_ascii() -> None:
    codes = [p.code for p in pollutants()]
    assert len(codes) == len(set(codes))
    assert all(c.isascii() and c == c.upper() for c in codes)


def test_every_alias_resolves_to_its_own_row_only() -> None:
    owners: dict[str, set[str]] = {}
    for p in pollutants():
        for text in (p.code, p.name, *p.aliases):
            owners.setdefault(normalise(text), set()).add(p.code)
    for p in pollutants():
        for alias in (p.code, *p.aliases):
            assert owners[normalise(alias)] == {p.code}, alias
            assert find_pollutant(alias) == p, alias


def test_names_resolve_and_shared_names_need_a_medium() -> None:
    names = Counter(p.name for p in pollutants())
    for p in pollutants():
        if names[p.name] == 1:
            assert find_pollutant(p.name) == p
        else:
            assert find_pollutant(p.name) is None
        assert find_pollutant(p.name, medium=p.medium) == p
    assert find_pollutant("苯并[a]芘", medium="air") == by_code("BAP_A")


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("化学需氧量（吨）", "COD"),
        ("COD(t)", "COD"),
        ("化学需氧量(CODcr)（吨）", "COD"),
        ("氨氮(NH3-N)", "NH3N"),
        ("氨氮（NH₃-N）（千克）", "NH3N"),
        ("SO₂", "SO2"),
        (" so2 (kg) ", "SO2"),
        ("氮氧化物（以NO2计）", "NOX"),
        ("NOₓ〔吨〕", "NOX"),
        ("烟尘", "SOOT"),
        ("烟（粉）尘", "SOOT"),
        ("悬浮物（SS）", "SS"),
        ("总氮", "TN"),
        ("VOCs（吨）", "VOCS"),
    ],
)
def test_department_headers(header: str, code: str) -> None:
    found = find_pollutant(header)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["", "（吨）", "排放当量", "化学需氧", "二氧化碳", "COD2", "氨"])
def test_unknown_text_gives_none(text: str) -> None:
    if text == "氨":  # 氨 is in the air table; make sure it is not confused with 氨氮
        assert find_pollutant(text) == by_code("NH3")
    else:
        assert find_pollutant(text) is None
