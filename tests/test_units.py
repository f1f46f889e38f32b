import pytest

from industry_brain.units import factor, split_header


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("营业收入（万元）", ("营业收入", "万元")),
        ("营业收入 (元)", ("营业收入", "元")),
        ("工业总产值(当年价格)(千元)", ("工业总产值(当年价格)", "千元")),
        ("工业总产值(当年价格)", ("工业总产值(当年价格)", None)),
        ("用地面积（平方米）", ("用地面积", "平方米")),
        ("税收", ("税收", None)),
    ],
)
def test_split_header(header, expected):
    assert split_header(header) == expected


def test_factors():
    assert factor("元", "money") == 1e-4
    assert factor("平方米", "area") == pytest.approx(1 / 666.6667, rel=1e-4)
    assert factor("万千瓦时", "electricity") == 1e4
    with pytest.raises(ValueError, match="not a money unit"):
        factor("亩", "money")
