import pytest

from app.models.attainment import Attainment, assess, relevant_milestone, target_for
from app.models.plan import Comparator, Direction, Indicator, IndicatorKind, Target

A = Attainment


def ind(kind=IndicatorKind.PERCENT, direction=Direction.HIGHER_BETTER, targets=None):
    return Indicator(code="1", name="x", kind=kind, direction=direction, targets=targets or {})


@pytest.mark.parametrize(
    ("comparator", "target", "value", "expected"),
    [
        (None, 65, 64.9, A.NOT_MET), (None, 65, 65, A.MET), (None, 65, 70, A.EXCEEDED),
        (Comparator.GE, 80, 79, A.NOT_MET), (Comparator.GE, 80, 80, A.MET), (Comparator.GE, 80, 81, A.EXCEEDED),
        # One rule for "Vượt": beyond the target in the good direction, strict or not.
        (Comparator.GT, 1, 1, A.NOT_MET), (Comparator.GT, 1, 1.2, A.EXCEEDED),
        (Comparator.LT, 10, 10, A.NOT_MET), (Comparator.LT, 10, 9, A.EXCEEDED),
        (Comparator.LE, 10, 11, A.NOT_MET), (Comparator.LE, 10, 10, A.MET), (Comparator.LE, 10, 3, A.EXCEEDED),
        (Comparator.EQ, 100, 100, A.MET), (Comparator.EQ, 100, 99, A.NOT_MET), (Comparator.EQ, 100, 101, A.EXCEEDED),
    ],
)  # fmt: skip
def test_comparators_higher_better(comparator, target, value, expected):
    assert assess(ind(), float(value), Target(comparator, float(target))) is expected


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [(10, 11, A.NOT_MET), (10, 10, A.MET), (10, 4, A.EXCEEDED)],
)
def test_rank_lower_is_better_with_bare_target(target, value, expected):
    rank = ind(IndicatorKind.RANK, Direction.LOWER_BETTER)
    assert assess(rank, float(value), Target(None, float(target))) is expected


def test_rank_with_explicit_less_than():
    rank = ind(IndicatorKind.RANK, Direction.LOWER_BETTER)
    t = Target(Comparator.LT, 10.0, "< 10 các huyện, TX, TP")
    assert assess(rank, 9.0, t) is A.EXCEEDED
    assert assess(rank, 9.0, t, tolerance=1.0) is A.MET  # within the tolerance of 10
    assert assess(rank, 10.0, t) is A.NOT_MET


def test_strict_comparator_is_met_within_the_tolerance_and_exceeded_beyond():
    t = Target(Comparator.GT, 90.0)
    assert assess(ind(), 90.0, t, tolerance=1.0) is A.NOT_MET
    assert assess(ind(), 90.5, t, tolerance=1.0) is A.MET
    assert assess(ind(), 95.0, t, tolerance=1.0) is A.EXCEEDED
    assert assess(ind(), 95.0, Target(None, 90.0), tolerance=1.0) is A.EXCEEDED


def test_ranges_and_years_without_requirement():
    band = Target(None, 80.0, None, high=90.0)
    assert [assess(ind(), v, band) for v in (79.0, 80.0, 85.0, 90.0, 95.0)] == [
        A.NOT_MET, A.MET, A.MET, A.MET, A.EXCEEDED
    ]  # fmt: skip
    nothing = Target(None, False, "Chưa triển khai", required=False)
    yn = ind(IndicatorKind.YES_NO)
    assert assess(yn, True, nothing) is A.EXCEEDED
    assert assess(yn, False, nothing) is A.MET
    assert assess(yn, None, nothing) is A.NO_DATA


def test_yes_no():
    yn = ind(IndicatorKind.YES_NO)
    assert assess(yn, True, Target(None, True)) is A.MET
    assert assess(yn, False, Target(None, True)) is A.NOT_MET
    assert assess(yn, 1.0, Target(None, True)) is A.NOT_COMPARABLE


def test_qualitative_missing_and_textual_targets():
    assert (
        assess(ind(IndicatorKind.QUALITATIVE), "Khá", Target(None, None, "Tốt")) is A.NOT_COMPARABLE
    )
    assert assess(ind(), None, Target(None, 50.0)) is A.NO_DATA
    assert assess(ind(), 50.0, None) is A.NOT_COMPARABLE
    assert assess(ind(), 50.0, Target(None, None, "Đạt mức tiên tiến")) is A.NOT_COMPARABLE
    assert A.NOT_MET.label == "Chưa đạt" and A.EXCEEDED.label == "Vượt"


def test_milestone_choice():
    milestones = [2025, 2030, 2035]
    assert relevant_milestone(milestones, 2026) == 2030
    assert relevant_milestone(milestones, 2025) == 2025
    assert relevant_milestone(milestones, 2040) == 2035
    # 2030 left blank in the plan: the next milestone with a target applies.
    i = ind(targets={2035: Target(None, 80.0)})
    assert target_for(i, milestones, 2026) == (2035, Target(None, 80.0))
    j = ind(targets={2025: Target(None, 10.0)})
    assert target_for(j, milestones, 2027) == (2025, Target(None, 10.0))
