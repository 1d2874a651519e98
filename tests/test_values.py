import pytest

from app.models.errors import UserError
from app.models.plan import Comparator, Indicator, IndicatorKind, Target
from app.models.values import format_number, format_target, parse_number, parse_target, parse_value


@pytest.mark.parametrize(
    ("text", "number"),
    [("0,61", 0.61), ("1.000", 1000.0), ("02", 2.0), ("100", 100.0), ("1.234,5", 1234.5),
     ("0.6", 0.6), ("12 500", 12500.0), ("abc", None), ("", None), ("1,2,3", 123.0)],
)  # fmt: skip
def test_vietnamese_numbers(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("65%", Target(None, 65.0, None)),
        ("0,61%", Target(None, 0.61, None)),
        (">1%", Target(Comparator.GT, 1.0, None)),
        ("≥ 80%", Target(Comparator.GE, 80.0, None)),
        ("> 90", Target(Comparator.GT, 90.0, None)),
        ("≤5", Target(Comparator.LE, 5.0, None)),
        ("1.000", Target(None, 1000.0, None)),
        ("Có", Target(None, True, None)),
        ("< 10 các huyện, TX, TP", Target(Comparator.LT, 10.0, "< 10 các huyện, TX, TP")),
        ("Đạt mức tiên tiến", Target(None, None, "Đạt mức tiên tiến")),
    ],
)
def test_parse_target(text, target):
    assert parse_target(IndicatorKind.PERCENT, text) == target


@pytest.mark.parametrize("text", ["-", "", None, "–"])
def test_blank_target_is_absent(text):
    assert parse_target(IndicatorKind.PERCENT, text) is None


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (IndicatorKind.PERCENT, "65%", 65.0),
        (IndicatorKind.PERCENT, "65,5", 65.5),
        (IndicatorKind.PERCENT, 100, 100.0),
        (IndicatorKind.COUNT, "12", 12.0),
        (IndicatorKind.RATIO, "1.000", 1000.0),
        (IndicatorKind.INDEX, "0,65", 0.65),
        (IndicatorKind.RANK, "5", 5.0),
        (IndicatorKind.YES_NO, "có", True),
        (IndicatorKind.YES_NO, "Không", False),
        (IndicatorKind.QUALITATIVE, "Đạt mức khá", "Đạt mức khá"),
        (IndicatorKind.COUNT, "", None),
    ],
)
def test_parse_value_accepts(kind, raw, value):
    assert parse_value(kind, raw) == value


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (IndicatorKind.PERCENT, "120", "nằm ngoài khoảng 0–100%"),
        (IndicatorKind.COUNT, "ba", "số nguyên không âm"),
        (IndicatorKind.COUNT, "2,5", "số lượng phải là số nguyên không âm"),
        (IndicatorKind.COUNT, "-1", "số lượng phải là số nguyên không âm"),
        (IndicatorKind.INDEX, "1,5", "nằm ngoài khoảng 0–1"),
        (IndicatorKind.RANK, "0", "thứ hạng phải là số nguyên dương"),
        (IndicatorKind.YES_NO, "có lẽ", "Có hoặc Không"),
        (IndicatorKind.COUNT, "5%", "không tính bằng %"),
        (IndicatorKind.PERCENT, "1OO%", "Không hiểu '1OO%'"),
    ],
)
def test_parse_value_refuses_with_vietnamese_message(kind, raw, message):
    with pytest.raises(UserError) as err:
        parse_value(kind, raw)
    assert message in err.value.message


def test_formatting_uses_vietnamese_separators():
    assert format_number(1000) == "1.000"
    assert format_number(0.61) == "0,61"
    assert format_number(1234.5) == "1.234,5"
    ind = Indicator(code="1", name="x", kind=IndicatorKind.PERCENT)
    assert format_target(ind, Target(Comparator.GE, 80.0)) == "≥ 80%"
    assert format_target(ind, Target(None, 65.0)) == "65%"


def test_bare_zero_and_one_are_numbers_unless_yes_no():
    assert parse_target(IndicatorKind.COUNT, "0") == Target(None, 0.0, None)
    assert parse_target(IndicatorKind.RATIO, "1") == Target(None, 1.0, None)
    assert parse_target(IndicatorKind.YES_NO, "1") == Target(None, True, None)
    assert parse_target(IndicatorKind.COUNT, "Có") == Target(None, True, None)
