import re

import pytest

from industry_brain.ingest.errors import BY_CODE, CATALOGUE, error_type


def test_codes_and_names_are_unique_and_well_formed():
    assert len(BY_CODE) == len(CATALOGUE)
    assert len({e.name for e in CATALOGUE}) == len(CATALOGUE)
    for e in CATALOGUE:
        prefix = {"file": "F", "row": "R", "warning": "W"}[e.severity]
        assert re.fullmatch(prefix + r"\d{3}", e.code), e.code


def test_lookup_by_name_or_code_and_suggestion():
    assert error_type("R203") is error_type("uscc-check-digit")
    with pytest.raises(KeyError, match="uscc-check-digit"):
        error_type("uscc-checkdigit")
