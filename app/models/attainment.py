"""Whether an indicator value meets its target: computed, never stored."""

from __future__ import annotations

from enum import StrEnum

from .assessment import MilestoneOutcome, judge_target
from .plan import Indicator, Target, Value


class Attainment(StrEnum):
    EXCEEDED = "exceeded"
    MET = "met"
    NOT_MET = "not_met"
    NOT_COMPARABLE = "not_comparable"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return {
            "exceeded": "Vượt",
            "met": "Đạt",
            "not_met": "Chưa đạt",
            "not_comparable": "Không so sánh được",
            "no_data": "Chưa có số liệu",
        }[self.value]

    @property
    def on_track(self) -> bool:
        return self in (Attainment.EXCEEDED, Attainment.MET)


def relevant_milestone(milestones: list[int], year: int) -> int | None:
    """The milestone a value of `year` is judged against: the nearest one not before it."""
    if not milestones:
        return None
    upcoming = [m for m in sorted(milestones) if m >= year]
    return upcoming[0] if upcoming else max(milestones)


def target_for(
    indicator: Indicator, milestones: list[int], year: int
) -> tuple[int | None, Target | None]:
    """The milestone year and target that apply to a value reported in `year`.

    When the nearest milestone has no target for this indicator, the next one
    that has a target is used (plans often leave 2025 blank for new indicators).
    """
    for m in sorted(x for x in milestones if x >= year):
        if m in indicator.targets:
            return m, indicator.targets[m]
    past = [m for m in indicator.targets if m < year]
    if past:
        m = max(past)
        return m, indicator.targets[m]
    return relevant_milestone(milestones, year), None


def assess(
    indicator: Indicator, value: Value | None, target: Target | None, tolerance: float = 0.0
) -> Attainment:
    """Judge `value` against `target` itself (not the path to it), honouring
    comparator, range, kind and direction: assessment.judge_target's one rule.

    Met when the value satisfies the target, exceeded when it lies beyond it by
    more than `tolerance` in the good direction — alike for bare, "≥" and ">"
    targets (with no tolerance, any value strictly beyond counts as exceeded).
    A year the plan requires nothing of is met. For the judgement on the path
    to a milestone use assessment.assess_path.
    """
    return _FROM_OUTCOME[judge_target(indicator, value, target, tolerance)]


_FROM_OUTCOME = {
    MilestoneOutcome.EXCEEDED: Attainment.EXCEEDED,
    MilestoneOutcome.MET: Attainment.MET,
    MilestoneOutcome.MISSED: Attainment.NOT_MET,
    MilestoneOutcome.NO_DATA: Attainment.NO_DATA,
    MilestoneOutcome.NOT_ASSESSABLE: Attainment.NOT_COMPARABLE,
}
