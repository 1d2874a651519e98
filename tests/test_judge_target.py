"""judge_target: a value against a target itself (one rule for "Vượt"); the report's milestone."""

import pytest

from app.models.assessment import MilestoneOutcome, judge_target, relevant_milestone
from app.models.plan import Comparator, Direction, Indicator, IndicatorKind, Target

A = MilestoneOutcome


def ind(kind=IndicatorKind.PERCENT, direction=Direction.HIGHER_BETTER, targets=None):
    return Indicator(code="1", name="x", kind=kind, direction=direction, targets=targets or {})


@pytest.mark.parametrize(
    ("comparator", "target", "value", "expected"),
    [
        (None, 65, 64.9, A.MISSED), (None, 65, 65, A.MET), (None, 65, 70, A.EXCEEDED),
        (Comparator.GE, 80, 79, A.MISSED), (Comparator.GE, 80, 80, A.MET), (Comparator.GE, 80, 81, A.EXCEEDED),
        # One rule for "Vượt": beyond the target in the good direction, strict or not.
        (Comparator.GT, 1, 1, A.MISSED), (Comparator.GT, 1, 1.2, A.EXCEEDED),
        (Comparator.LT, 10, 10, A.MISSED), (Comparator.LT, 10, 9, A.EXCEEDED),
        (Comparator.LE, 10, 11, A.MISSED), (Comparator.LE, 10, 10, A.MET), (Comparator.LE, 10, 3, A.EXCEEDED),
        (Comparator.EQ, 100, 100, A.MET), (Comparator.EQ, 100, 99, A.MISSED), (Comparator.EQ, 100, 101, A.EXCEEDED),
    ],
)  # fmt: skip
def test_comparators_higher_better(comparator, target, value, expected):
    assert judge_target(ind(), float(value), Target(comparator, float(target))) is expected


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [(10, 11, A.MISSED), (10, 10, A.MET), (10, 4, A.EXCEEDED)],
)
def test_rank_lower_is_better_with_bare_target(target, value, expected):
    rank = ind(IndicatorKind.RANK, Direction.LOWER_BETTER)
    assert judge_target(rank, float(value), Target(None, float(target))) is expected


def test_rank_with_explicit_less_than():
    rank = ind(IndicatorKind.RANK, Direction.LOWER_BETTER)
    t = Target(Comparator.LT, 10.0, "< 10 các huyện, TX, TP")
    assert judge_target(rank, 9.0, t) is A.EXCEEDED
    assert judge_target(rank, 9.0, t, tolerance=1.0) is A.MET  # within the tolerance of 10
    assert judge_target(rank, 10.0, t) is A.MISSED


def test_strict_comparator_is_met_within_the_tolerance_and_exceeded_beyond():
    t = Target(Comparator.GT, 90.0)
    assert judge_target(ind(), 90.0, t, tolerance=1.0) is A.MISSED
    assert judge_target(ind(), 90.5, t, tolerance=1.0) is A.MET
    assert judge_target(ind(), 95.0, t, tolerance=1.0) is A.EXCEEDED
    assert judge_target(ind(), 95.0, Target(None, 90.0), tolerance=1.0) is A.EXCEEDED


def test_ranges_and_years_without_requirement():
    band = Target(None, 80.0, None, high=90.0)
    assert [judge_target(ind(), v, band) for v in (79.0, 80.0, 85.0, 90.0, 95.0)] == [
        A.MISSED, A.MET, A.MET, A.MET, A.EXCEEDED
    ]  # fmt: skip
    nothing = Target(None, False, "Chưa triển khai", required=False)
    yn = ind(IndicatorKind.YES_NO)
    assert judge_target(yn, True, nothing) is A.EXCEEDED
    assert judge_target(yn, False, nothing) is A.MET
    assert judge_target(yn, None, nothing) is A.NO_DATA


def test_yes_no():
    yn = ind(IndicatorKind.YES_NO)
    assert judge_target(yn, True, Target(None, True)) is A.MET
    assert judge_target(yn, False, Target(None, True)) is A.MISSED
    assert judge_target(yn, 1.0, Target(None, True)) is A.NOT_ASSESSABLE


def test_qualitative_missing_and_textual_targets():
    assert (
        judge_target(ind(IndicatorKind.QUALITATIVE), "Khá", Target(None, None, "Tốt"))
        is A.NOT_ASSESSABLE
    )
    assert judge_target(ind(), None, Target(None, 50.0)) is A.NO_DATA
    assert judge_target(ind(), 50.0, None) is A.NOT_ASSESSABLE
    assert judge_target(ind(), 50.0, Target(None, None, "Đạt mức tiên tiến")) is A.NOT_ASSESSABLE
    assert A.MISSED.label == "Chưa đạt" and A.EXCEEDED.label == "Vượt"


def test_milestone_choice():
    milestones = [2025, 2030, 2035]
    assert relevant_milestone(milestones, 2026) == 2030
    assert relevant_milestone(milestones, 2025) == 2025
    assert relevant_milestone(milestones, 2040) == 2035
    assert relevant_milestone([], 2026) is None
