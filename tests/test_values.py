import json

import jsonschema
import pytest

from app.models.errors import UserError
from app.models.plan import Comparator, Indicator, IndicatorKind, Measure, Target
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.samples import load_sample, samples_dir
from app.models.values import (
    format_number,
    format_target,
    parse_number,
    parse_target,
    parse_value,
    reread_target,
)
from app.paths import resources_dir


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


# -- targets as plans write them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "target"),
    [
        (IndicatorKind.PERCENT, "80% - 90%", Target(None, 80.0, None, high=90.0)),
        (IndicatorKind.PERCENT, "5 - 10%", Target(None, 5.0, None, high=10.0)),
        (IndicatorKind.COUNT, "01 - 02 doanh nghiệp", Target(None, 1.0, "01 - 02 doanh nghiệp", high=2.0)),
        (IndicatorKind.PERCENT, "90% - 80%", Target(None, 80.0, None, high=90.0)),
        (IndicatorKind.PERCENT, "Phấn đấu ít nhất 3%", Target(Comparator.GE, 3.0, "Phấn đấu ít nhất 3%")),
        (IndicatorKind.PERCENT, "Phấn đấu 80%", Target(Comparator.GE, 80.0, "Phấn đấu 80%")),
        (IndicatorKind.RANK, "Phấn đấu 5", Target(Comparator.LE, 5.0, "Phấn đấu 5")),
        (IndicatorKind.PERCENT, "ít nhất 3,0%", Target(Comparator.GE, 3.0, "ít nhất 3,0%")),
        (IndicatorKind.PERCENT, "tối thiểu 70%", Target(Comparator.GE, 70.0, "tối thiểu 70%")),
        (IndicatorKind.PERCENT, "không dưới 70%", Target(Comparator.GE, 70.0, "không dưới 70%")),
        (IndicatorKind.PERCENT, "80% trở lên", Target(Comparator.GE, 80.0, "80% trở lên")),
        (IndicatorKind.PERCENT, "trên 60%", Target(Comparator.GT, 60.0, "trên 60%")),
        (IndicatorKind.PERCENT, "Hơn 60%", Target(Comparator.GT, 60.0, "Hơn 60%")),
        (IndicatorKind.PERCENT, "Phấn đấu đạt trên 3,5%", Target(Comparator.GT, 3.5, "Phấn đấu đạt trên 3,5%")),
        (IndicatorKind.PERCENT, "dưới 5%", Target(Comparator.LT, 5.0, "dưới 5%")),
        (IndicatorKind.COUNT, "tối đa 5", Target(Comparator.LE, 5.0, "tối đa 5")),
        (IndicatorKind.COUNT, "không quá 5", Target(Comparator.LE, 5.0, "không quá 5")),
        (IndicatorKind.PERCENT, "khoảng 50%", Target(Comparator.EQ, 50.0, "khoảng 50%", approximate=True)),
        (IndicatorKind.PERCENT, "~ 50%", Target(Comparator.EQ, 50.0, None, approximate=True)),
        (IndicatorKind.PERCENT, "xấp xỉ 50%", Target(Comparator.EQ, 50.0, "xấp xỉ 50%", approximate=True)),
        (IndicatorKind.YES_NO, "Chưa triển khai", Target(None, False, "Chưa triển khai", required=False)),
        (IndicatorKind.YES_NO, "Chưa yêu cầu", Target(None, False, "Chưa yêu cầu", required=False)),
        (IndicatorKind.YES_NO, "-", Target(None, None, "-", required=False)),
        (IndicatorKind.PERCENT, "Chưa yêu cầu", Target(None, None, "Chưa yêu cầu", required=False)),
        (IndicatorKind.YES_NO, "Đạt", Target(None, True, "Đạt")),
        (IndicatorKind.YES_NO, "Không", Target(None, False, None)),
        (IndicatorKind.PERCENT, "Trên trung bình của Tỉnh", Target(None, None, "Trên trung bình của Tỉnh")),
        (IndicatorKind.PERCENT, "Đạt mức tiên tiến", Target(None, None, "Đạt mức tiên tiến")),
    ],
)  # fmt: skip
def test_parse_target_as_plans_write_it(kind, text, target):
    assert parse_target(kind, text) == target


def test_format_target_prints_ranges_approximate_and_years_without_requirement():
    ind = Indicator(code="1", name="x", kind=IndicatorKind.PERCENT)
    assert format_target(ind, Target(None, 80.0, None, high=90.0)) == "80% - 90%"
    assert format_target(ind, Target(Comparator.EQ, 50.0, None, approximate=True)) == "khoảng 50%"
    assert format_target(ind, Target(None, None, None, required=False)) == "Chưa yêu cầu"
    assert format_target(ind, parse_target(IndicatorKind.PERCENT, "5 - 10%")) == "5% - 10%"
    # The plan's wording wins when it was kept.
    assert format_target(ind, parse_target(IndicatorKind.PERCENT, "Phấn đấu ít nhất 3%")) == (
        "Phấn đấu ít nhất 3%"
    )


def test_reread_target_adds_what_the_old_reading_missed():
    """Targets stored before ranges and not-required years existed (value + wording)."""
    yes_no, percent = IndicatorKind.YES_NO, IndicatorKind.PERCENT
    assert reread_target(yes_no, Target(None, False, "Chưa triển khai")) == Target(
        None, False, "Chưa triển khai", required=False
    )
    assert reread_target(percent, Target(None, 80.0, "80% - 90%")) == Target(
        None, 80.0, "80% - 90%", high=90.0
    )
    assert reread_target(percent, Target(None, None, "Phấn đấu ít nhất 3%")) == Target(
        Comparator.GE, 3.0, "Phấn đấu ít nhất 3%"
    )
    # A value the importer set from a wording it understood is kept.
    worded = Target(None, True, "Đảng ủy, UBND phường sử dụng phần mềm quản trị")
    assert reread_target(yes_no, worded) == worded
    plain = Target(Comparator.GT, 90.0)
    assert reread_target(percent, plain) is plain


def test_plan_json_carries_the_new_target_and_indicator_fields():
    plan = load_sample("bim-son")
    ind = plan.indicators()[0]
    ind.targets[2030] = Target(None, 80.0, None, high=90.0)
    ind.targets[2035] = Target(Comparator.EQ, 95.0, "khoảng 95%", approximate=True)
    ind.measure = Measure.PER_YEAR  # overridden: kept as set
    doc = plan_to_json(plan)
    first = doc["indicator_groups"][0]["indicators"][0]
    assert first["measure"] == "per_year"
    assert first["targets"]["2030"] == {
        "comparator": None, "value": 80.0, "text": None,
        "high": 90.0, "approximate": False, "required": True,
    }  # fmt: skip
    assert plan_from_json(doc) == plan
    schema = json.loads((resources_dir() / "schema" / "plan.schema.json").read_text("utf-8"))
    jsonschema.validate(doc, schema)


def test_plan_json_written_before_the_new_fields_reads_their_meaning():
    """The bundled samples were written without high/approximate/required/measure."""
    raw = json.loads((samples_dir() / "bim-son.json").read_text(encoding="utf-8"))
    first = raw["indicator_groups"][0]["indicators"][0]
    assert "measure" not in first and "required" not in first["targets"]["2025"]
    plan = plan_from_json(raw)
    by_code = {i.code: i for i in plan.indicators()}
    for code in ("14", "49", "50"):  # "Chưa triển khai" in 2025: nothing required that year
        assert by_code[code].targets[2025] == Target(None, False, "Chưa triển khai", required=False)
        assert by_code[code].targets[2030] == Target(None, True, None)
    assert by_code["11"].measure is Measure.PER_YEAR  # inferred: "… mỗi năm"
    assert by_code["1"].measure is Measure.LEVEL


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"high": "nhiều"}, "cận trên của khoảng phải là số"),
        ({"value": True, "high": 2}, "chỉ dùng khi 'value' là số"),
        ({"value": 90, "high": 80}, "cận trên nhỏ hơn cận dưới"),
        ({"required": "không"}, "required: phải là true hoặc false"),
        ({"approximate": 1}, "approximate: phải là true hoặc false"),
    ],
)
def test_plan_json_refuses_bad_target_fields(change, message):
    doc = plan_to_json(load_sample("thong-nhat"))
    doc["indicator_groups"][0]["indicators"][1]["targets"]["2030"].update(change)
    with pytest.raises(UserError) as err:
        plan_from_json(doc)
    assert message in err.value.message
    assert "indicator_groups[0].indicators[1].targets.2030" in err.value.message


def test_plan_json_refuses_an_unknown_measure():
    doc = plan_to_json(load_sample("thong-nhat"))
    doc["indicator_groups"][0]["indicators"][0]["measure"] = "weekly"
    with pytest.raises(UserError) as err:
        plan_from_json(doc)
    assert "measure: 'weekly' không hợp lệ" in err.value.message
