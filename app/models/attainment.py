"""Whether an indicator value meets its target: computed, never stored."""

from __future__ import annotations

from enum import StrEnum

from .plan import Comparator, Direction, Indicator, IndicatorKind, Target, Value

_EPS = 1e-9


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


def assess(indicator: Indicator, value: Value | None, target: Target | None) -> Attainment:
    """Judge `value` against `target`, honouring comparator, kind and direction.

    A bare target (no comparator) is met when the value reaches it in the
    indicator's direction and exceeded when it goes beyond. With a strict
    comparator (">", "<") satisfying it is "met"; "=" is met only when equal.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return Attainment.NO_DATA
    if indicator.kind is IndicatorKind.QUALITATIVE or target is None:
        return Attainment.NOT_COMPARABLE
    if isinstance(target.value, bool) or indicator.kind is IndicatorKind.YES_NO:
        if not isinstance(value, bool) or not isinstance(target.value, bool):
            return Attainment.NOT_COMPARABLE
        return Attainment.MET if value == target.value else Attainment.NOT_MET
    if target.value is None or isinstance(value, bool | str):
        return Attainment.NOT_COMPARABLE
    v, t = float(value), float(target.value)
    comparator = target.comparator
    lower = indicator.direction is Direction.LOWER_BETTER
    if comparator is None:
        comparator = Comparator.LE if lower else Comparator.GE
    if comparator is Comparator.EQ:
        return Attainment.MET if abs(v - t) <= _EPS else Attainment.NOT_MET
    if comparator is Comparator.GT:
        return Attainment.MET if v > t + _EPS else Attainment.NOT_MET
    if comparator is Comparator.LT:
        return Attainment.MET if v < t - _EPS else Attainment.NOT_MET
    if comparator is Comparator.GE:
        if v < t - _EPS:
            return Attainment.NOT_MET
        return Attainment.MET if abs(v - t) <= _EPS else Attainment.EXCEEDED
    # Comparator.LE
    if v > t + _EPS:
        return Attainment.NOT_MET
    return Attainment.MET if abs(v - t) <= _EPS else Attainment.EXCEEDED
