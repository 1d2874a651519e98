"""Where an indicator stands on the path to its milestones: computed, never stored.

Pure functions: the caller passes the indicator, the value and the date the
value stands for (the end of the period's data window), and gets a judgement
with the numbers behind it. Nothing here reads the store.

The rules, in one place:

- **Good direction.** A target's comparator says which way is good (">", "≥"
  up; "<", "≤" down); a bare, "=" or range target follows the indicator's
  direction (ranks and `lower_better`: down).
- **Meeting a target (one rule for "Vượt").** `judge_target`: a value *meets*
  the target when it satisfies the comparator (a bare target: reached in the
  good direction; ">" and "<" strictly; a range: inside both bounds; "=" and
  "khoảng": within the tolerance). It *exceeds* it when it lies beyond the
  target — for a range, beyond the bound on the good side — by more than the
  tolerance in the good direction. Bare, "≥" and ">" targets follow the same
  rule, so "> 90" and "90" both count 95 as exceeded. A "khoảng" (approximate)
  target is met within max(tolerance, 5 % of the target). A year in which the
  plan requires nothing (`required=False`: "Chưa triển khai", "Chưa yêu cầu")
  is met by any value, and exceeded by a yes/no "Có" (early deployment).
- **Tolerance.** A plan setting passed in as `tolerance_share`, default
  `DEFAULT_TOLERANCE_SHARE` = 5 %, of the *step* of the path: the distance from
  the previous point to the next target (for a per-year indicator, the annual
  target itself). A 5G path from 65 % to 100 % has a tolerance of 1,75 points.
- **The path (level indicators).** The expected value lies on the straight
  line from the previous point to the next milestone's target at 31/12 of its
  year. The previous point is the later of the baseline at its date (`as_of`
  "Tháng 3/2025" is the end of that month; no date: the plan's date) and the
  previous milestone's target at 31/12 of its year. Days are calendar days
  between dates (`date` subtraction): from 31/12/2025 to 30/9/2026 is 273 of
  the 1826 days to 31/12/2030. An indicator without a baseline starts from its
  first reported value at that value's date (the result's `note` says so).
  Then: met/exceeded when the value already satisfies the next milestone's
  target; otherwise `ahead` beyond the expected value by more than the
  tolerance in the good direction, `on_track` within the tolerance of it,
  `behind` short of it by more than the tolerance. After the last milestone
  the expected value is that milestone's target. A milestone year that
  requires nothing is no point of a numeric path (the line runs past it).
- **Per-year indicators** (`Measure.PER_YEAR`: counted afresh each year) have
  no line: the year-to-date value is compared with the annual target — the
  next milestone's target — times the share of the year the data covers,
  counted in months (whole months plus the fraction of the last month: a data
  window ending 31/3 covers 3/12, one ending 15/6 covers 5,5/12), or with the
  whole target in the yearly report (`yearly=True`). A higher-is-better count
  that already reaches the annual target is met/exceeded; a lower-is-better
  one is only judged met in the yearly report.
- **Yes/no.** Met when the value is the target's answer (Có). In a year that
  requires nothing, "Có" is `ahead` and "Không" `on_track`, never behind.
  Before a milestone that requires "Có", "Không" is `on_track` (the plan
  allows until 31/12 of that year); at or after it (or in that year's yearly
  report) it is `behind`.
- **Qualitative** indicators and targets without a number take the
  secretary's own judgement (`self_met`, `self_not_met`, `self_in_progress`),
  shown as a self-assessment; without it they are not assessable.
- **Passed milestones** stay on record: `passed_milestones` judges the value of
  every milestone year whose 31/12 has passed against that year's target.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import cast

from .deadline import parse_deadline
from .errors import UserError
from .plan import (
    DEFAULT_PATH_TOLERANCE,
    Comparator,
    Direction,
    Indicator,
    IndicatorKind,
    Measure,
    Target,
    Value,
)
from .text import fold
from .values import format_number, format_target, format_value

DEFAULT_TOLERANCE_SHARE = (
    DEFAULT_PATH_TOLERANCE  # of the step from the previous point to the next target
)
APPROXIMATE_SHARE = 0.05  # "khoảng 50%" is met within 5 % of 50 (at least)
_EPS = 1e-9


class Assessment(StrEnum):
    """Where a value stands on the path to the next milestone."""

    EXCEEDED = "exceeded"
    MET = "met"
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_ASSESSABLE = "not_assessable"
    NO_DATA = "no_data"
    SELF_MET = "self_met"
    SELF_NOT_MET = "self_not_met"
    SELF_IN_PROGRESS = "self_in_progress"

    @property
    def label(self) -> str:
        return _ASSESSMENT_LABELS[self]

    @property
    def self_assessed(self) -> bool:
        """The secretary's own judgement (qualitative indicators), not a computed one."""
        return self in _SELF

    @property
    def favourable(self) -> bool:
        """On or ahead of the path, or the milestone already reached."""
        return self in (
            Assessment.EXCEEDED,
            Assessment.MET,
            Assessment.AHEAD,
            Assessment.ON_TRACK,
            Assessment.SELF_MET,
        )

    @property
    def off_track(self) -> bool:
        return self in (Assessment.BEHIND, Assessment.SELF_NOT_MET)


_ASSESSMENT_LABELS = {
    Assessment.EXCEEDED: "Vượt mục tiêu mốc",
    Assessment.MET: "Đạt mục tiêu mốc",
    Assessment.AHEAD: "Vượt lộ trình",
    Assessment.ON_TRACK: "Đúng lộ trình",
    Assessment.BEHIND: "Chậm so với lộ trình",
    Assessment.NOT_ASSESSABLE: "Không đánh giá được",
    Assessment.NO_DATA: "Chưa có số liệu",
    Assessment.SELF_MET: "Tự đánh giá: Đạt",
    Assessment.SELF_NOT_MET: "Tự đánh giá: Chưa đạt",
    Assessment.SELF_IN_PROGRESS: "Tự đánh giá: Đang thực hiện",
}
_SELF = frozenset((Assessment.SELF_MET, Assessment.SELF_NOT_MET, Assessment.SELF_IN_PROGRESS))


class MilestoneOutcome(StrEnum):
    """A milestone year's value judged against that year's target."""

    EXCEEDED = "exceeded"
    MET = "met"
    MISSED = "missed"
    NO_DATA = "no_data"
    NOT_ASSESSABLE = "not_assessable"

    @property
    def label(self) -> str:
        return {
            "exceeded": "Vượt",
            "met": "Đạt",
            "missed": "Chưa đạt",
            "no_data": "Chưa có số liệu",
            "not_assessable": "Không đánh giá được",
        }[self.value]

    @property
    def attained(self) -> bool:
        return self in (MilestoneOutcome.EXCEEDED, MilestoneOutcome.MET)


@dataclass(frozen=True)
class PathPoint:
    """Where a path starts: a value at a date, and what it is."""

    value: float
    on: date
    source: str  # "baseline" | "milestone" (a previous target) | "first_value"


@dataclass(frozen=True)
class PathAssessment:
    """The judgement of one value, with the numbers behind it.

    `expected` is the value the path asks for at that date (None when there is
    no line: yes/no, qualitative, not assessable); `milestone` and `target` the
    milestone judged against; `note` a Vietnamese remark (why it is not
    assessable, that the path starts from the first value, how a per-year
    target was scaled).
    """

    assessment: Assessment
    value: Value | None
    expected: float | None
    milestone: int | None
    target: Target | None
    note: str | None = None
    start: PathPoint | None = None
    tolerance: float | None = None

    @property
    def label(self) -> str:
        return self.assessment.label


@dataclass(frozen=True)
class MilestoneResult:
    year: int
    target: Target
    value: Value | None
    assessment: MilestoneOutcome
    line: str  # "Mốc 2025: chưa đạt — 62% / mục tiêu 65%"


# -- dates -------------------------------------------------------------------------------


def milestone_end(year: int) -> date:
    """A milestone year's target is due on 31/12 of that year."""
    return date(year, 12, 31)


_AS_OF_LEAD = re.compile(r"^(?:tính\s+)?(?:đến|tới|tại|vào|hết|thời điểm)\s+(?:ngày\s+)?", re.I)


@lru_cache(maxsize=4096)
def parse_as_of(text: str | None) -> date | None:
    """The date a baseline stands for: "Tháng 3/2025" → 31/3/2025, "Năm 2024" → 31/12/2024,
    "Quý I/2025" → 31/3/2025, "15/3/2025" → that day; None when there is none.

    Cached: a consolidation asks it for every indicator of every office (3,321 offices
    × 50 indicators), of a few hundred distinct texts; a date is immutable."""
    if not text:
        return None
    try:
        deadline = parse_deadline(_AS_OF_LEAD.sub("", text.strip()))
    except UserError:
        return None
    if deadline is None or not deadline.has_end:
        return None
    return deadline.end


def year_share(on: date) -> float:
    """The share of its year a data window ending on `on` covers, in months:
    31/3 → 3/12, 30/6 → 6/12, 15/6 → 5,5/12, 31/12 → 1."""
    days = calendar.monthrange(on.year, on.month)[1]
    return (on.month - 1 + on.day / days) / 12


# -- per-year indicators -------------------------------------------------------------------

# -- one value against one target ------------------------------------------------------------


def _blank(value: Value | None) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_float(value: object) -> float:
    """A number checked with `_numeric` (int or float, not bool) as a float."""
    return float(cast(float, value))


def _sign(indicator: Indicator, target: Target | None) -> int:
    """+1 when higher is better for this target, -1 when lower is."""
    comparator = target.comparator if target is not None else None
    if comparator in (Comparator.GT, Comparator.GE):
        return 1
    if comparator in (Comparator.LT, Comparator.LE):
        return -1
    return -1 if indicator.direction is Direction.LOWER_BETTER else 1


def _goal(indicator: Indicator, target: Target) -> float:
    """The number a path heads for: the target, or the range's bound to reach first."""
    assert _numeric(target.value)
    if target.high is not None and _sign(indicator, target) < 0:
        return float(target.high)
    return _as_float(target.value)


def judge_target(
    indicator: Indicator, value: Value | None, target: Target | None, tolerance: float = 0.0
) -> MilestoneOutcome:
    """Judge `value` against `target` by the one rule of this module (see its docstring):
    met when it satisfies the comparator, exceeded when beyond the target (a range's
    good-side bound) by more than `tolerance` in the good direction."""
    if _blank(value):
        return MilestoneOutcome.NO_DATA
    if target is None:
        return MilestoneOutcome.NOT_ASSESSABLE
    if not target.required:
        return MilestoneOutcome.EXCEEDED if value is True else MilestoneOutcome.MET
    if indicator.kind is IndicatorKind.QUALITATIVE:
        return MilestoneOutcome.NOT_ASSESSABLE
    if isinstance(target.value, bool) or indicator.kind is IndicatorKind.YES_NO:
        if not isinstance(value, bool) or not isinstance(target.value, bool):
            return MilestoneOutcome.NOT_ASSESSABLE
        return MilestoneOutcome.MET if value == target.value else MilestoneOutcome.MISSED
    if not _numeric(target.value) or not _numeric(value):
        return MilestoneOutcome.NOT_ASSESSABLE
    v, t = _as_float(value), _as_float(target.value)
    sign, tol = _sign(indicator, target), max(tolerance, 0.0)
    if target.high is not None:
        low, high = min(t, target.high), max(t, target.high)
        if low - _EPS <= v <= high + _EPS:
            return MilestoneOutcome.MET
        beyond = (v - (high if sign > 0 else low)) * sign
        if beyond > 0:
            return MilestoneOutcome.EXCEEDED if beyond > tol + _EPS else MilestoneOutcome.MET
        return MilestoneOutcome.MISSED
    beyond = (v - t) * sign
    if target.comparator is Comparator.EQ or target.approximate:
        band = max(tol, APPROXIMATE_SHARE * abs(t)) if target.approximate else tol
        if abs(v - t) <= band + _EPS:
            return MilestoneOutcome.MET
        return MilestoneOutcome.EXCEEDED if beyond > 0 else MilestoneOutcome.MISSED
    strict = target.comparator in (Comparator.GT, Comparator.LT)
    if not (beyond > _EPS if strict else beyond >= -_EPS):
        return MilestoneOutcome.MISSED
    return MilestoneOutcome.EXCEEDED if beyond > tol + _EPS else MilestoneOutcome.MET


# -- the path ------------------------------------------------------------------------------------


def _dmy(d: date) -> str:
    return f"{d.day}/{d.month}/{d.year}"


def _upcoming(indicator: Indicator, on: date) -> tuple[list[tuple[int, Target]], bool]:
    """The milestones with a target not ended before `on`, in order; after the last
    one, that one alone. The flag says whether every milestone has passed."""
    ordered = sorted(indicator.targets.items())
    upcoming = [(y, t) for y, t in ordered if milestone_end(y) >= on]
    if upcoming or not ordered:
        return upcoming, False
    return [ordered[-1]], True


def next_milestone(indicator: Indicator, on: date) -> tuple[int, Target] | None:
    """The milestone a value at `on` is judged against: the first whose 31/12 is not
    before `on` and that requires something (else the last one once all have passed)."""
    upcoming, _ = _upcoming(indicator, on)
    return next(((y, t) for y, t in upcoming if t.required), None)


def _baseline_point(
    indicator: Indicator, plan_date: date | None
) -> tuple[PathPoint | None, str | None]:
    b = indicator.baseline
    if b.not_assessed or not _numeric(b.value):
        return None, None
    on = parse_as_of(b.as_of) or plan_date
    if on is None:
        return None, "Hiện trạng chưa có thời điểm (và kế hoạch chưa có ngày ban hành)"
    return PathPoint(_as_float(b.value), on, "baseline"), None


def _previous_point(indicator: Indicator, before: int, on: date) -> PathPoint | None:
    """The latest milestone before `before` that ended before `on` with a number required."""
    past = [
        (y, t)
        for y, t in sorted(indicator.targets.items())
        if y < before and milestone_end(y) < on and t.required and _numeric(t.value)
    ]
    if not past:
        return None
    year, target = past[-1]
    return PathPoint(_goal(indicator, target), milestone_end(year), "milestone")


def _start(
    indicator: Indicator,
    milestone: int,
    on: date,
    plan_date: date | None,
    first: tuple[date, Value] | None,
) -> tuple[PathPoint | None, str | None]:
    """Where the path to `milestone` starts, and a note (why none, or that it is the
    first value)."""
    base, reason = _baseline_point(indicator, plan_date)
    prev = _previous_point(indicator, milestone, on)
    candidates = [p for p in (base, prev) if p is not None]
    if candidates:
        return max(candidates, key=lambda p: (p.on, p.source == "milestone")), None
    if first is not None and _numeric(first[1]):
        point = PathPoint(_as_float(first[1]), first[0], "first_value")
        shown = format_value(indicator, first[1])
        return point, (
            f"Chỉ tiêu chưa có hiện trạng: lộ trình tính từ số liệu đầu tiên "
            f"({shown} ngày {_dmy(first[0])})."
        )
    if reason:
        return None, f"{reason} và chưa có số liệu đầu tiên để làm điểm xuất phát của lộ trình."
    return None, "Chưa có hiện trạng và chưa có số liệu để làm điểm xuất phát của lộ trình."


def _on_path(value: float, expected: float, sign: int, tolerance: float) -> Assessment:
    gap = (value - expected) * sign
    if gap > tolerance + _EPS:
        return Assessment.AHEAD
    if gap >= -tolerance - _EPS:
        return Assessment.ON_TRACK
    return Assessment.BEHIND


_REACHED = {MilestoneOutcome.MET: Assessment.MET, MilestoneOutcome.EXCEEDED: Assessment.EXCEEDED}


def assess_path(
    indicator: Indicator,
    value: Value | None,
    on: date,
    *,
    plan_date: date | None = None,
    first: tuple[date, Value] | None = None,
    tolerance_share: float = DEFAULT_TOLERANCE_SHARE,
    yearly: bool = False,
    self_assessment: Assessment | None = None,
) -> PathAssessment:
    """Judge `value`, which stands for the date `on` (the end of the period's data
    window), on the path to the indicator's next milestone.

    `plan_date` dates a baseline printed without one; `first` is the earliest
    reported value with its date, the start of the path of an indicator without a
    baseline; `tolerance_share` the plan's tolerance (share of the step);
    `yearly` says the value is the yearly report's (per-year indicators are then
    compared with the whole annual target); `self_assessment` is the secretary's
    judgement of a qualitative indicator (one of the `self_…` values).
    """
    if self_assessment is not None and self_assessment not in _SELF:
        raise ValueError(f"not a self-assessment: {self_assessment!r}")
    if tolerance_share < 0:
        raise ValueError("tolerance_share must not be negative")
    upcoming, all_passed = _upcoming(indicator, on)
    if not upcoming:
        if self_assessment is not None:
            return PathAssessment(self_assessment, value, None, None, None)
        if _blank(value):
            return PathAssessment(Assessment.NO_DATA, value, None, None, None)
        return PathAssessment(
            Assessment.NOT_ASSESSABLE, value, None, None, None, "Chỉ tiêu chưa có mục tiêu."
        )
    required = next(((y, t) for y, t in upcoming if t.required), None)
    milestone, target = required or upcoming[0]
    numeric = _numeric(target.value) or isinstance(target.value, bool) or not target.required
    if indicator.kind is IndicatorKind.QUALITATIVE or not numeric:
        if self_assessment is not None:
            return PathAssessment(self_assessment, value, None, milestone, target)
        if _blank(value):
            return PathAssessment(Assessment.NO_DATA, value, None, milestone, target)
        reason = (
            "Chỉ tiêu định tính: cần tự đánh giá (Đạt, Chưa đạt hoặc Đang thực hiện)."
            if indicator.kind is IndicatorKind.QUALITATIVE
            else f"Mục tiêu mốc {milestone} không có số để so sánh: cần tự đánh giá."
        )
        return PathAssessment(Assessment.NOT_ASSESSABLE, value, None, milestone, target, reason)
    if indicator.kind is IndicatorKind.YES_NO or isinstance(target.value, bool):
        return _yes_no(indicator, value, on, upcoming[0], required, all_passed, yearly)
    if _blank(value):
        return PathAssessment(Assessment.NO_DATA, value, None, milestone, target)
    if not _numeric(value):
        return PathAssessment(
            Assessment.NOT_ASSESSABLE, value, None, milestone, target, "Số liệu không phải là số."
        )
    if required is None:
        note = f"Năm {milestone} kế hoạch chưa yêu cầu."
        return PathAssessment(Assessment.ON_TRACK, value, None, milestone, target, note)
    number = _as_float(value)
    if indicator.measure is Measure.PER_YEAR:
        return _per_year(indicator, number, on, milestone, target, tolerance_share, yearly)
    return _level(
        indicator, number, on, milestone, target, all_passed, plan_date, first, tolerance_share
    )


def _yes_no(
    indicator: Indicator,
    value: Value | None,
    on: date,
    nearest: tuple[int, Target],
    required: tuple[int, Target] | None,
    all_passed: bool,
    yearly: bool,
) -> PathAssessment:
    year, target = nearest
    if _blank(value):
        milestone, shown = required or nearest
        return PathAssessment(Assessment.NO_DATA, value, None, milestone, shown)
    if not isinstance(value, bool):
        return PathAssessment(
            Assessment.NOT_ASSESSABLE, value, None, year, target, "Số liệu phải là Có hoặc Không."
        )
    if not target.required:
        if value:
            note = f"Năm {year} kế hoạch chưa yêu cầu: đã triển khai sớm."
            return PathAssessment(Assessment.AHEAD, value, None, year, target, note)
        note = f"Năm {year} kế hoạch chưa yêu cầu ({format_target(indicator, target)})."
        return PathAssessment(Assessment.ON_TRACK, value, None, year, target, note)
    if not isinstance(target.value, bool):
        return PathAssessment(Assessment.NOT_ASSESSABLE, value, None, year, target)
    if value == target.value:
        return PathAssessment(Assessment.MET, value, None, year, target)
    due = all_passed or on >= milestone_end(year) or (yearly and on.year == year)
    if due:
        return PathAssessment(Assessment.BEHIND, value, None, year, target)
    note = f"Chưa đến hạn mốc {year} ({format_target(indicator, target)} trước 31/12/{year})."
    return PathAssessment(Assessment.ON_TRACK, value, None, year, target, note)


def _months(share: float) -> str:
    months = share * 12
    if abs(months - round(months)) < 1e-6:
        return f"{round(months)}/12"
    return f"{format_number(months, 1)}/12"


def _per_year(
    indicator: Indicator,
    value: float,
    on: date,
    milestone: int,
    target: Target,
    tolerance_share: float,
    yearly: bool,
) -> PathAssessment:
    goal = _goal(indicator, target)
    share = 1.0 if yearly else year_share(on)
    expected = goal * share
    tolerance = tolerance_share * abs(goal)
    sign = _sign(indicator, target)
    shown_goal = format_value(indicator, goal)
    if share >= 1 - _EPS:
        note = f"Chỉ tiêu tính theo năm: so với cả mục tiêu năm ({shown_goal})."
    else:
        note = (
            f"Chỉ tiêu tính theo năm: số liệu từ đầu năm so với {format_value(indicator, expected)}"
            f" (mục tiêu năm {shown_goal} × {_months(share)})."
        )
    if sign > 0 or share >= 1 - _EPS:
        reached = _REACHED.get(judge_target(indicator, value, target, tolerance))
        if reached is not None:
            return PathAssessment(
                reached, value, expected, milestone, target, note, None, tolerance
            )
    assessment = _on_path(value, expected, sign, tolerance)
    return PathAssessment(assessment, value, expected, milestone, target, note, None, tolerance)


def _level(
    indicator: Indicator,
    value: float,
    on: date,
    milestone: int,
    target: Target,
    all_passed: bool,
    plan_date: date | None,
    first: tuple[date, Value] | None,
    tolerance_share: float,
) -> PathAssessment:
    start, note = _start(indicator, milestone, on, plan_date, first)
    if start is None:
        return PathAssessment(Assessment.NOT_ASSESSABLE, value, None, milestone, target, note)
    goal = _goal(indicator, target)
    end = milestone_end(milestone)
    span = (end - start.on).days
    if all_passed or on >= end or span <= 0:
        fraction = 1.0
    else:
        fraction = min(max((on - start.on).days / span, 0.0), 1.0)
    expected = start.value + (goal - start.value) * fraction
    tolerance = tolerance_share * abs(goal - start.value)
    reached = _REACHED.get(judge_target(indicator, value, target, tolerance))
    assessment = reached or _on_path(value, expected, _sign(indicator, target), tolerance)
    return PathAssessment(assessment, value, expected, milestone, target, note, start, tolerance)


def describe_path(indicator: Indicator, result: PathAssessment) -> str:
    """One Vietnamese line for a report or a tooltip:
    "Đúng lộ trình: 70% (theo lộ trình 70,23%) — mốc 2030: 100%"."""
    label = result.assessment.label
    target = format_target(indicator, result.target) if result.target else ""
    where = f"mốc {result.milestone}: {target}" if result.milestone and target else ""
    if result.assessment is Assessment.NOT_ASSESSABLE:
        text = f"{label}: {result.note}" if result.note else label
        return text.rstrip(".")
    if result.assessment is Assessment.NO_DATA or result.assessment.self_assessed:
        return f"{label} — {where}" if where else label
    shown = format_value(indicator, result.value)
    if result.expected is not None and result.assessment not in _REACHED.values():
        shown += f" (theo lộ trình {format_value(indicator, round(result.expected, 2))})"
    return f"{label}: {shown} — {where}" if where else f"{label}: {shown}"


# -- passed milestones ------------------------------------------------------------------------------


def _milestone_tolerance(
    indicator: Indicator, year: int, target: Target, tolerance_share: float
) -> float:
    if not target.required or not _numeric(target.value):
        return 0.0
    goal = _goal(indicator, target)
    if indicator.measure is Measure.PER_YEAR:
        return tolerance_share * abs(goal)
    prev = _previous_point(indicator, year, milestone_end(year))
    if prev is not None:
        return tolerance_share * abs(goal - prev.value)
    b = indicator.baseline
    if _numeric(b.value) and not b.not_assessed:
        return tolerance_share * abs(goal - _as_float(b.value))
    return 0.0


def milestone_line(
    indicator: Indicator, year: int, target: Target, value: Value | None, outcome: MilestoneOutcome
) -> str:
    """ "Mốc 2025: chưa đạt — 62% / mục tiêu 65%"."""
    word = outcome.label.lower()
    if _blank(value):
        return f"Mốc {year}: {word} — mục tiêu {format_target(indicator, target) or 'không ghi số'}"
    shown = format_value(indicator, value)
    if not target.required:
        return f"Mốc {year}: {word} — {shown} (năm {year} kế hoạch chưa yêu cầu)"
    return f"Mốc {year}: {word} — {shown} / mục tiêu {format_target(indicator, target)}"


def relevant_milestone(milestones: list[int], year: int) -> int | None:
    """The milestone a report of `year` is set against: the nearest one not before it
    (after the last milestone, the last one)."""
    if not milestones:
        return None
    upcoming = [m for m in sorted(milestones) if m >= year]
    return upcoming[0] if upcoming else max(milestones)


def passed_milestones(
    indicator: Indicator,
    year_values: dict[int, Value],
    as_of: date,
    *,
    tolerance_share: float = DEFAULT_TOLERANCE_SHARE,
) -> list[MilestoneResult]:
    """Every milestone year whose 31/12 is before `as_of`, its value (the yearly
    value, from `year_values`) judged against that year's target, oldest first.

    The tolerance for "exceeded" is `tolerance_share` of the step into that
    milestone (from the previous milestone's target, else the baseline), or of
    the annual target for a per-year indicator.
    """
    out = []
    for year, target in sorted(indicator.targets.items()):
        if milestone_end(year) >= as_of:
            continue
        value = year_values.get(year)
        tolerance = _milestone_tolerance(indicator, year, target, tolerance_share)
        outcome = judge_target(indicator, value, target, tolerance)
        line = milestone_line(indicator, year, target, value, outcome)
        out.append(MilestoneResult(year, target, value, outcome, line))
    return out


_SELF_WORDS = {
    "dat": Assessment.SELF_MET,
    "chua dat": Assessment.SELF_NOT_MET,
    "dang thuc hien": Assessment.SELF_IN_PROGRESS,
}


def self_assessment_of(ind: Indicator, value: Value | None) -> Assessment | None:
    """The secretary's own judgement of a qualitative indicator, as the value states it
    ("Đạt", "Chưa đạt", "Đang thực hiện"): the office's report and the receiving office's
    consolidation read the same words the same way."""
    if ind.kind is not IndicatorKind.QUALITATIVE or not isinstance(value, str):
        return None
    return _SELF_WORDS.get(fold(value).strip(" ."), None)
