import pytest

from industry_brain.ingest.spec import SOURCES, SpecError, all_specs, load_spec, parse_spec


def test_every_packaged_spec_loads_and_has_a_uscc_key():
    """Enterprise data is about an enterprise (a buyer, for purchases): its code comes first."""
    for source in SOURCES:
        spec = load_spec(source)
        code = spec.field(spec.key[0])
        assert code.type == "uscc" and code.required, source


def test_header_synonyms_map_to_one_field_each():
    for spec in all_specs():
        keys = [k for f in spec.fields for k in dict.fromkeys(f.header_keys)]
        assert len(keys) == len(set(keys)), spec.source


def test_plan_figures_are_keyed_by_indicator_and_load_whole():
    spec = load_spec("plan_actuals")
    assert spec.key == ("indicator", "region_code", "year") and "uscc" not in spec.field_names
    assert (spec.scope, spec.max_rejected_share, spec.identity) == ("plan", 0, "indicator")
    assert all(s.scope is None for s in map(load_spec, SOURCES))


def test_unknown_source_suggests_closest():
    with pytest.raises(SpecError, match="statistics"):
        load_spec("statistic")


def test_misspelt_key_suggests_closest():
    data = load_spec("tax").model_dump()
    data["conflcts"] = data.pop("conflicts")
    with pytest.raises(SpecError, match="did you mean 'conflicts'"):
        parse_spec(data, "tax.yaml")


def test_unknown_field_in_key_suggests_closest():
    data = load_spec("tax").model_dump()
    data["key"] = ["usc", "year"]
    with pytest.raises(SpecError, match="did you mean 'uscc'"):
        parse_spec(data, "tax.yaml")


def test_unit_must_fit_dimension():
    data = load_spec("tax").model_dump()
    data["fields"][4]["unit"] = "亩"  # tax_paid
    with pytest.raises(SpecError, match="not money"):
        parse_spec(data, "tax.yaml")
