"""The path to each milestone: the worked examples of the issue, with exact numbers."""

from datetime import date

import pytest

from app.models.assessment import (
    DEFAULT_TOLERANCE_SHARE,
    Assessment,
    MilestoneOutcome,
    MilestoneResult,
    PathPoint,
    assess_path,
    describe_path,
    judge_target,
    next_milestone,
    parse_as_of,
    passed_milestones,
    year_share,
)
from app.models.measure import infer_measure
from app.models.plan import (
    Baseline,
    Comparator,
    Direction,
    Indicator,
    IndicatorKind,
    Measure,
    Target,
)
from app.models.samples import load_sample
from app.models.values import parse_target

A, M = Assessment, MilestoneOutcome


@pytest.fixture(scope="module")
def bim_son():
    plan = load_sample("bim-son")
    return plan, {i.code: i for i in plan.indicators()}


def percent(targets, baseline=None, as_of="Tháng 3/2025", **kw):
    return Indicator(
        code="x",
        name="Tỷ lệ thử nghiệm",
        unit="%",
        kind=IndicatorKind.PERCENT,
        baseline=Baseline(value=baseline, as_of=as_of if baseline is not None else None),
        targets={y: parse_target(IndicatorKind.PERCENT, t) for y, t in targets.items()},
        **kw,
    )


# -- 5G coverage in Bỉm Sơn: 0 % (3/2025) → 65 % (2025) → 100 % (2030) -------------------


def test_5g_expected_value_on_the_line_from_2025_to_2030(bim_son):
    plan, ind = bim_son
    five_g = ind["1"]
    assert five_g.name == "Tỷ lệ phủ sóng 5G trên địa bàn"
    result = assess_path(five_g, 72.0, date(2026, 9, 30), plan_date=plan.info.date)
    # From 65 % at 31/12/2025 to 100 % at 31/12/2030: 273 of 1826 days have passed.
    assert (date(2026, 9, 30) - date(2025, 12, 31)).days == 273
    assert (date(2030, 12, 31) - date(2025, 12, 31)).days == 1826
    assert result.expected == pytest.approx(65 + 35 * 273 / 1826)
    assert round(result.expected, 1) == 70.2
    assert result.start == PathPoint(65.0, date(2025, 12, 31), "milestone")
    assert result.milestone == 2030 and result.target == Target(None, 100.0, None)
    # Tolerance: 5 % of the 35-point step = 1,75; 72 is 1,767 above the line.
    assert result.tolerance == pytest.approx(1.75)
    assert result.assessment is A.AHEAD
    assert result.label == "Vượt lộ trình"
    wider = assess_path(five_g, 72.0, date(2026, 9, 30), tolerance_share=0.10)
    assert wider.assessment is A.ON_TRACK
    assert assess_path(five_g, 70.0, date(2026, 9, 30)).assessment is A.ON_TRACK
    assert assess_path(five_g, 60.0, date(2026, 9, 30)).assessment is A.BEHIND
    assert assess_path(five_g, 100.0, date(2026, 9, 30)).assessment is A.MET


def test_5g_before_the_first_milestone_starts_from_the_baseline(bim_son):
    _plan, ind = bim_son
    result = assess_path(ind["1"], 20.0, date(2025, 6, 30))
    # Baseline 0 % at 31/3/2025 ("Tháng 3/2025") → 65 % at 31/12/2025: 91 of 275 days.
    assert result.start == PathPoint(0.0, date(2025, 3, 31), "baseline")
    assert result.expected == pytest.approx(65 * 91 / 275)
    assert result.milestone == 2025
    assert result.assessment is A.ON_TRACK  # 21,5 expected, tolerance 3,25
    assert assess_path(ind["1"], 70.0, date(2025, 6, 30)).assessment is A.EXCEEDED


def test_describe_path_gives_one_vietnamese_line(bim_son):
    _plan, ind = bim_son
    result = assess_path(ind["1"], 60.0, date(2026, 9, 30))
    assert describe_path(ind["1"], result) == (
        "Chậm so với lộ trình: 60% (theo lộ trình 70,23%) — mốc 2030: 100%"
    )
    met = assess_path(ind["1"], 100.0, date(2026, 9, 30))
    assert describe_path(ind["1"], met) == "Đạt mục tiêu mốc: 100% — mốc 2030: 100%"


# -- a rank, lower is better -----------------------------------------------------------------


def test_rank_below_ten_on_its_path():
    rank = Indicator(
        code="26",
        name="Xếp hạng chỉ số phát triển Chính quyền số",
        unit="Thứ bậc",
        kind=IndicatorKind.RANK,
        direction=Direction.LOWER_BETTER,
        baseline=Baseline(value=20.0, as_of="Tháng 12/2025"),
        targets={2030: parse_target(IndicatorKind.RANK, "< 10 các huyện, TX, TP")},
    )
    on = date(2027, 12, 31)
    result = assess_path(rank, 16.0, on)
    # 20th at 31/12/2025 → 10th at 31/12/2030: 730 of 1826 days, going down.
    assert result.expected == pytest.approx(20 - 10 * 730 / 1826)
    assert result.tolerance == pytest.approx(0.5)
    assert result.assessment is A.ON_TRACK
    assert assess_path(rank, 15.0, on).assessment is A.AHEAD
    assert assess_path(rank, 18.0, on).assessment is A.BEHIND
    # 9th satisfies "< 10" and is beyond it by more than the tolerance: exceeded.
    assert assess_path(rank, 9.0, on).assessment is A.EXCEEDED
    assert assess_path(rank, 9.0, on, tolerance_share=0.2).assessment is A.MET
    assert assess_path(rank, 10.0, on).assessment is A.AHEAD  # not below 10 yet: not met


# -- per-year indicators -------------------------------------------------------------------------


def test_per_year_count_against_the_scaled_annual_target(bim_son):
    _plan, ind = bim_son
    patents = ind["19"]
    assert patents.name == "Số lượng sáng chế, giải pháp hữu ích có địa chỉ tại Thị xã mỗi năm"
    assert patents.measure is Measure.PER_YEAR
    q1 = assess_path(patents, 1.0, date(2026, 3, 31))
    assert q1.milestone == 2030 and q1.target.value == 2.0  # the annual target
    assert q1.expected == pytest.approx(0.5)  # 2 × 3/12
    assert q1.assessment is A.AHEAD
    assert q1.note == (
        "Chỉ tiêu tính theo năm: số liệu từ đầu năm so với 0,5 (mục tiêu năm 2 × 3/12)."
    )
    assert q1.start is None  # no line
    yearly = assess_path(patents, 1.0, date(2026, 11, 14), yearly=True)
    assert yearly.expected == pytest.approx(2.0)
    assert yearly.assessment is A.BEHIND
    assert yearly.note == "Chỉ tiêu tính theo năm: so với cả mục tiêu năm (2)."
    assert assess_path(patents, 2.0, date(2026, 11, 14), yearly=True).assessment is A.MET
    assert assess_path(patents, 3.0, date(2026, 11, 14), yearly=True).assessment is A.EXCEEDED
    assert assess_path(patents, 0.0, date(2026, 3, 31)).assessment is A.BEHIND
    half = assess_path(patents, 1.0, date(2026, 6, 30))
    assert half.expected == pytest.approx(1.0) and half.assessment is A.ON_TRACK


def test_per_year_lower_is_better_is_met_only_in_the_yearly_report():
    incidents = Indicator(
        code="x",
        name="Số sự cố mất an toàn thông tin mạng trong năm",
        unit="Vụ",
        kind=IndicatorKind.COUNT,
        direction=Direction.LOWER_BETTER,
        targets={2030: parse_target(IndicatorKind.COUNT, "tối đa 2")},
    )
    assert incidents.measure is Measure.PER_YEAR
    assert assess_path(incidents, 0.0, date(2026, 3, 31)).assessment is A.AHEAD
    assert assess_path(incidents, 1.0, date(2026, 3, 31)).assessment is A.BEHIND
    assert assess_path(incidents, 2.0, date(2026, 12, 31), yearly=True).assessment is A.MET
    assert assess_path(incidents, 3.0, date(2026, 12, 31), yearly=True).assessment is A.BEHIND


def test_year_share_counts_months():
    assert year_share(date(2026, 3, 31)) == pytest.approx(3 / 12)
    assert year_share(date(2026, 6, 15)) == pytest.approx(5.5 / 12)
    assert year_share(date(2026, 12, 31)) == pytest.approx(1.0)
    assert year_share(date(2028, 2, 29)) == pytest.approx(2 / 12)


# -- one rule for "Vượt" ------------------------------------------------------------------------


def test_a_range_is_met_inside_and_exceeded_beyond_the_high_bound():
    ind = percent({2030: "80% - 90%"}, baseline=50.0)
    target = ind.targets[2030]
    assert target == Target(None, 80.0, None, high=90.0)
    assert judge_target(ind, 85.0, target) is M.MET
    assert judge_target(ind, 95.0, target) is M.EXCEEDED
    assert judge_target(ind, 79.0, target) is M.MISSED
    on = date(2026, 6, 30)
    assert assess_path(ind, 85.0, on).assessment is A.MET
    assert assess_path(ind, 95.0, on).assessment is A.EXCEEDED
    # The path heads for the low bound: 50 % at 31/3/2025 → 80 % at 31/12/2030.
    assert assess_path(ind, 60.0, on).expected == pytest.approx(
        50 + 30 * (on - date(2025, 3, 31)).days / (date(2030, 12, 31) - date(2025, 3, 31)).days
    )


def test_strict_and_bare_targets_follow_one_rule():
    on = date(2026, 6, 30)
    strict, bare = percent({2030: "> 90"}, baseline=80.0), percent({2030: "90"}, baseline=80.0)
    assert assess_path(strict, 95.0, on).assessment is A.EXCEEDED
    assert assess_path(bare, 95.0, on).assessment is A.EXCEEDED
    # Tolerance 5 % of the 10-point step: within 0,5 above the target is met.
    assert assess_path(strict, 90.4, on).assessment is A.MET
    assert assess_path(bare, 90.4, on).assessment is A.MET
    assert assess_path(bare, 90.0, on).assessment is A.MET
    assert assess_path(strict, 90.0, on).assessment is not A.MET  # "> 90" needs more than 90
    at_least = percent({2030: "Phấn đấu ít nhất 90%"}, baseline=80.0)
    assert at_least.targets[2030].comparator is Comparator.GE
    assert assess_path(at_least, 95.0, on).assessment is A.EXCEEDED
    for t in (strict, bare, at_least):
        assert judge_target(t, 95.0, t.targets[2030], tolerance=1.0) is M.EXCEEDED


def test_approximate_target_is_met_within_its_band():
    ind = percent({2030: "khoảng 50%"}, baseline=20.0)
    target = ind.targets[2030]
    assert judge_target(ind, 52.0, target) is M.MET  # within 5 % of 50
    assert judge_target(ind, 55.0, target) is M.EXCEEDED
    assert judge_target(ind, 45.0, target) is M.MISSED


# -- yes/no --------------------------------------------------------------------------------------


def test_yes_no_not_deployed_in_2025_is_never_behind(bim_son):
    _plan, ind = bim_son
    ai = ind["14"]
    assert ai.targets[2025].required is False  # "Chưa triển khai"
    early = assess_path(ai, True, date(2025, 9, 30))
    assert early.assessment is A.AHEAD and early.milestone == 2025
    assert early.note == "Năm 2025 kế hoạch chưa yêu cầu: đã triển khai sớm."
    waiting = assess_path(ai, False, date(2025, 9, 30))
    assert waiting.assessment is A.ON_TRACK
    assert waiting.note == "Năm 2025 kế hoạch chưa yêu cầu (Chưa triển khai)."
    # 2026–2030: the 2030 milestone requires "Có".
    assert assess_path(ai, True, date(2026, 6, 30)).assessment is A.MET
    later = assess_path(ai, False, date(2027, 6, 30))
    assert later.assessment is A.ON_TRACK and later.milestone == 2030
    assert later.note == "Chưa đến hạn mốc 2030 (Có trước 31/12/2030)."
    assert assess_path(ai, False, date(2030, 12, 31)).assessment is A.BEHIND
    assert assess_path(ai, False, date(2030, 11, 14), yearly=True).assessment is A.BEHIND
    for code in ("49", "50"):
        assert assess_path(ind[code], True, date(2025, 9, 30)).assessment is A.AHEAD


# -- passed milestones stay on record ---------------------------------------------------------------


def test_a_missed_2025_milestone_stays_visible_in_2026(bim_son):
    _plan, ind = bim_son
    five_g = ind["1"]
    results = passed_milestones(five_g, {2025: 62.0}, date(2026, 3, 31))
    assert results == [
        MilestoneResult(
            2025,
            Target(None, 65.0, None),
            62.0,
            M.MISSED,
            "Mốc 2025: chưa đạt — 62% / mục tiêu 65%",
        )
    ]
    assert passed_milestones(five_g, {2025: 62.0}, date(2025, 12, 31)) == []  # not passed yet
    in_2031 = passed_milestones(five_g, {2025: 66.0}, date(2031, 1, 15))
    assert [(r.year, r.assessment) for r in in_2031] == [(2025, M.MET), (2030, M.NO_DATA)]
    assert in_2031[1].line == "Mốc 2030: chưa có số liệu — mục tiêu 100%"
    # Exceeded beyond the tolerance (5 % of the 65-point step from the baseline: 3,25).
    assert passed_milestones(five_g, {2025: 70.0}, date(2026, 1, 1))[0].assessment is M.EXCEEDED
    assert passed_milestones(five_g, {2025: 67.0}, date(2026, 1, 1))[0].assessment is M.MET


def test_passed_milestones_of_yes_no_and_per_year_indicators(bim_son):
    _plan, ind = bim_son
    [ai_2025] = passed_milestones(ind["14"], {2025: True}, date(2026, 1, 15))
    assert ai_2025.assessment is M.EXCEEDED
    assert ai_2025.line == "Mốc 2025: vượt — Có (năm 2025 kế hoạch chưa yêu cầu)"
    [tasks_2025] = passed_milestones(ind["11"], {2025: 15.0}, date(2026, 1, 15))
    assert tasks_2025.assessment is M.MISSED
    assert tasks_2025.line == "Mốc 2025: chưa đạt — 15 / mục tiêu 17"


# -- where the path starts ----------------------------------------------------------------------------


def test_indicator_without_baseline_starts_from_its_first_value(bim_son):
    _plan, ind = bim_son
    six_g = ind["2"]  # "Chỉ tiêu mới, chưa đánh giá"; 50 % by 2030
    first = (date(2026, 3, 31), 10.0)
    result = assess_path(six_g, 14.0, date(2026, 9, 30), first=first)
    assert result.start == PathPoint(10.0, date(2026, 3, 31), "first_value")
    # 10 % at 31/3/2026 → 50 % at 31/12/2030: 183 of 1736 days.
    assert result.expected == pytest.approx(10 + 40 * 183 / 1736)
    assert result.assessment is A.ON_TRACK
    assert result.note == (
        "Chỉ tiêu chưa có hiện trạng: lộ trình tính từ số liệu đầu tiên (10% ngày 31/3/2026)."
    )
    at_first = assess_path(six_g, 10.0, date(2026, 3, 31), first=first)
    assert at_first.expected == pytest.approx(10.0) and at_first.assessment is A.ON_TRACK
    none = assess_path(six_g, 14.0, date(2026, 9, 30))
    assert none.assessment is A.NOT_ASSESSABLE and none.label == "Không đánh giá được"
    assert none.note == (
        "Chưa có hiện trạng và chưa có số liệu để làm điểm xuất phát của lộ trình."
    )


def test_baseline_without_date_uses_the_plan_date():
    ind = percent({2030: "100"}, baseline=40.0, as_of=None)
    ind.baseline.as_of = None
    plan_date = date(2025, 11, 18)
    result = assess_path(ind, 50.0, date(2026, 6, 30), plan_date=plan_date)
    assert result.start == PathPoint(40.0, plan_date, "baseline")
    undated = assess_path(ind, 50.0, date(2026, 6, 30))
    assert undated.assessment is A.NOT_ASSESSABLE
    assert undated.note.startswith("Hiện trạng chưa có thời điểm")


def test_after_the_last_milestone_the_target_itself_is_expected():
    ind = percent({2025: "65", 2030: "100"}, baseline=0.0)
    result = assess_path(ind, 90.0, date(2031, 6, 30))
    assert result.milestone == 2030 and result.expected == pytest.approx(100.0)
    assert result.assessment is A.BEHIND


# -- qualitative, no data, no target --------------------------------------------------------------------


def test_qualitative_takes_the_secretarys_own_judgement(bim_son):
    _plan, ind = bim_son
    potential = ind["24"]
    assert potential.kind is IndicatorKind.QUALITATIVE
    own = assess_path(
        potential, "Đạt mức khá", date(2026, 6, 30), self_assessment=A.SELF_IN_PROGRESS
    )
    assert own.assessment is A.SELF_IN_PROGRESS and own.assessment.self_assessed
    assert own.label == "Tự đánh giá: Đang thực hiện"
    alone = assess_path(potential, "Đạt mức khá", date(2026, 6, 30))
    assert alone.assessment is A.NOT_ASSESSABLE
    assert alone.note == "Chỉ tiêu định tính: cần tự đánh giá (Đạt, Chưa đạt hoặc Đang thực hiện)."
    with pytest.raises(ValueError):
        assess_path(potential, "x", date(2026, 6, 30), self_assessment=A.MET)


def test_no_data_and_no_target(bim_son):
    _plan, ind = bim_son
    empty = assess_path(ind["1"], None, date(2026, 6, 30))
    assert empty.assessment is A.NO_DATA and empty.milestone == 2030
    assert empty.label == "Chưa có số liệu"
    bare = Indicator(code="x", name="Tỷ lệ chưa có mục tiêu", unit="%")
    assert assess_path(bare, 5.0, date(2026, 6, 30)).assessment is A.NOT_ASSESSABLE
    wording = Indicator(
        code="x",
        name="Đảm bảo an toàn thông tin",
        unit="%",
        targets={2030: Target(None, None, "Đạt cấp độ an toàn thông tin")},
    )
    worded = assess_path(wording, 90.0, date(2026, 6, 30))
    assert worded.assessment is A.NOT_ASSESSABLE
    assert worded.note == "Mục tiêu mốc 2030 không có số để so sánh: cần tự đánh giá."


def test_labels_are_vietnamese():
    assert {a.value: a.label for a in Assessment} == {
        "exceeded": "Vượt mục tiêu mốc",
        "met": "Đạt mục tiêu mốc",
        "ahead": "Vượt lộ trình",
        "on_track": "Đúng lộ trình",
        "behind": "Chậm so với lộ trình",
        "not_assessable": "Không đánh giá được",
        "no_data": "Chưa có số liệu",
        "self_met": "Tự đánh giá: Đạt",
        "self_not_met": "Tự đánh giá: Chưa đạt",
        "self_in_progress": "Tự đánh giá: Đang thực hiện",
    }
    assert [o.label for o in MilestoneOutcome] == [
        "Vượt", "Đạt", "Chưa đạt", "Chưa có số liệu", "Không đánh giá được"
    ]  # fmt: skip
    assert DEFAULT_TOLERANCE_SHARE == 0.05


# -- dates and measures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Tháng 3/2025", date(2025, 3, 31)),
        ("tháng 02 năm 2024", date(2024, 2, 29)),
        ("Năm 2024", date(2024, 12, 31)),
        ("Quý I/2025", date(2025, 3, 31)),
        ("15/3/2025", date(2025, 3, 15)),
        ("Đến tháng 3/2025", date(2025, 3, 31)),
        ("Thường xuyên", None),
        ("không rõ", None),
        (None, None),
    ],
)
def test_parse_as_of(text, day):
    assert parse_as_of(text) == day


@pytest.mark.parametrize(
    ("name", "unit", "measure"),
    [
        ("Số lượng nhiệm vụ khoa học và công nghệ triển khai mỗi năm", "Nhiệm vụ", Measure.PER_YEAR),
        ("Số doanh nghiệp thành lập mới trong năm", "Doanh nghiệp", Measure.PER_YEAR),
        ("Số sáng kiến được công nhận hằng năm", None, Measure.PER_YEAR),
        ("Số hồ sơ đăng ký sáng chế", "Hồ sơ/năm", Measure.PER_YEAR),
        ("Số lượng doanh nghiệp khoa học và công nghệ trên địa bàn", "Doanh nghiệp", Measure.LEVEL),
        ("Tỷ lệ chi ngân sách hằng năm cho khoa học, công nghệ", "%", Measure.LEVEL),
        ("Tỷ lệ doanh nghiệp đổi mới trong năm", "Tỷ lệ %", Measure.LEVEL),
        ("Số cán bộ nam giới trong năm", "Người", Measure.PER_YEAR),
        ("Số cán bộ trong nam giới", "Người", Measure.LEVEL),
        ("Tổ chức hội nghị tại Việt Nam", "Hội nghị", Measure.LEVEL),
    ],
)  # fmt: skip
def test_infer_measure(name, unit, measure):
    assert infer_measure(name, unit) is measure


def test_measures_inferred_over_the_bundled_samples():
    """Per-year: Bỉm Sơn's counts "… mỗi năm" (tasks, IP filings, products, projects,
    patents, public-sector initiatives, start-up projects); nothing in the others (budget
    shares "hằng năm" in Gia Phúc and Ngã Năm are shares, so levels)."""
    per_year = {
        name: [i.code for i in load_sample(name).indicators() if i.measure is Measure.PER_YEAR]
        for name in ("bim-son", "phuoc-long", "thong-nhat", "gia-phuc", "nga-nam")
    }
    assert per_year == {
        "bim-son": ["11", "12", "17", "18", "19", "21", "22"],
        "phuoc-long": [],
        "thong-nhat": [],
        "gia-phuc": [],
        "nga-nam": [],
    }


def test_measure_can_be_overridden_and_next_milestone():
    ind = Indicator(code="x", name="Số doanh nghiệp khởi nghiệp", measure=Measure.PER_YEAR)
    assert ind.measure is Measure.PER_YEAR
    assert Indicator(code="x", name="y", measure="per_year").measure is Measure.PER_YEAR
    ai = Indicator(
        code="x",
        name="Ứng dụng AI",
        kind=IndicatorKind.YES_NO,
        targets={
            2025: Target(None, False, "Chưa triển khai", required=False),
            2030: Target(None, True),
        },
    )
    assert next_milestone(ai, date(2025, 6, 30)) == (2030, Target(None, True))
    assert next_milestone(ai, date(2031, 1, 1)) == (2030, Target(None, True))
