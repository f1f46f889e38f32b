import pytest

from industry_brain.engines.permu.spec import (
    MethodSpecError,
    load_method,
    packaged_methods,
    parse_method,
)


def _data():
    return load_method("taizhou-huangyan-2022").model_dump()


def test_packaged_methods_load_and_hash():
    assert {"taizhou-huangyan-2022", "taizhou-wenling-quotas"} <= set(packaged_methods())
    a, b = load_method("taizhou-huangyan-2022"), load_method("taizhou-wenling-quotas")
    assert len(a.sha256) == 64 and a.sha256 != b.sha256


def test_unknown_indicator_names_the_closest():
    data = _data()
    data["tracks"][0]["items"][0]["indicator"] = "tax_per_muu"
    with pytest.raises(MethodSpecError, match="did you mean 'tax_per_mu'"):
        parse_method(data, "x.yaml")


def test_unknown_key_names_the_closest():
    data = _data()
    data["tracks"][0]["items"][0]["weigth"] = data["tracks"][0]["items"][0].pop("weight")
    with pytest.raises(MethodSpecError, match="did you mean 'weight'"):
        parse_method(data, "x.yaml")


def test_unknown_method_names_the_closest():
    with pytest.raises(MethodSpecError, match="taizhou-huangyan-2022"):
        load_method("taizhou-huangyan-2021")


def test_quotas_must_add_up_and_benchmarks_be_one_thing():
    data = _data()
    data["tracks"][0]["grading"]["quotas"]["A"] = 0.5
    with pytest.raises(MethodSpecError, match="add up to 1"):
        parse_method(data, "x.yaml")
    data = _data()
    data["tracks"][0]["items"][0]["benchmark"] = {"value": 1.0, "statistic": "mean"}
    with pytest.raises(MethodSpecError, match="either a value or a statistic"):
        parse_method(data, "x.yaml")
