"""Data quality of a period: rule violations and completeness.

Built-in checks follow each indicator's kind (a percentage is 0–100, a count a
non-negative integer, yes/no a boolean, a rank a positive integer); the plan
adds its own rules (validation rules in plan.py). An error is refused when the
value is entered; a warning is kept but must be explained in the value's note
before the period can be closed. A value that moved more than the outlier
share from the previous period is a warning too.

Everything here is pure: `PeriodContext` holds what the checks read, so the
entry check (one value, before it is written) and the period check (all
values) apply the very same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .assessment import year_share
from .entry_reader import EntryReader
from .errors import UserError
from .plan import (
    Comparator,
    Indicator,
    IndicatorKind,
    Measure,
    Plan,
    RuleKind,
    Severity,
    ValidationRule,
)
from .task_labels import task_codes
from .values import format_number, format_value

NUMERIC = (IndicatorKind.PERCENT, IndicatorKind.COUNT, IndicatorKind.RATIO, IndicatorKind.INDEX,
           IndicatorKind.RANK)  # fmt: skip


@dataclass(frozen=True)
class Violation:
    """One failed check of one indicator's value in one period."""

    severity: Severity
    check: str  # "kind" or a RuleKind value
    indicator_id: int
    code: str
    message: str  # Vietnamese, names the indicator
    explained: bool = False  # a warning whose value carries a note

    @property
    def blocking(self) -> bool:
        """Stops the period from being closed."""
        return self.severity is Severity.ERROR or not self.explained

    def text(self) -> str:
        tail = " (đã giải trình)" if self.severity is Severity.WARNING and self.explained else ""
        return f"{self.severity.label}: {self.message}{tail}"


@dataclass(frozen=True)
class Completeness:
    """How much of the period has been entered, and what is missing."""

    indicators_total: int
    indicators_filled: int
    tasks_total: int
    tasks_updated: int
    missing_indicators: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    missing_tasks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing_indicators and not self.missing_tasks

    def text(self) -> str:
        """The line the documents print: "Đã cập nhật 50/52 chỉ tiêu, 89/89 nhiệm vụ"."""
        return (
            f"Đã cập nhật {self.indicators_filled}/{self.indicators_total} chỉ tiêu, "
            f"{self.tasks_updated}/{self.tasks_total} nhiệm vụ"
        )

    def to_json(self) -> dict[str, int]:
        return {
            "indicators_total": self.indicators_total,
            "indicators_filled": self.indicators_filled,
            "tasks_total": self.tasks_total,
            "tasks_updated": self.tasks_updated,
        }


@dataclass(frozen=True)
class PeriodCheck:
    period_id: str
    completeness: Completeness
    violations: list[Violation]

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity is Severity.WARNING]

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.blocking]


@dataclass
class PeriodContext:
    """What the checks of one period read: the plan, its rules, this and earlier values."""

    indicators: dict[int, Indicator]
    rules: list[ValidationRule]
    outlier_share: float
    values: dict[int, Any]  # this period's values
    notes: dict[int, str | None]
    previous: dict[int, Any]  # each indicator's latest value from a period ending earlier
    # per-year indicators: how much more of the year this period covers than the previous
    # value's period (Q3 after H1: 8.5/5.5), so a year-to-date count growing on pace is no outlier
    pace: dict[int, float] = field(default_factory=dict)

    def rules_of(self, indicator_id: int) -> list[ValidationRule]:
        return [r for r in self.rules if r.indicator_id == indicator_id]


def period_context(store: EntryReader, period_id: str, plan: Plan | None = None) -> PeriodContext:
    plan = plan or store.load_plan()
    period = store.period(period_id)
    entries = store.indicator_values(period.id)
    previous: dict[int, Any] = {}
    ends: dict[int, Any] = {}
    windows: dict[int, Any] = {}
    per_year = {i.id for i in plan.indicators() if i.measure is Measure.PER_YEAR}
    for pid, values in store.all_values().items():
        try:
            p = store.period(pid)
        except UserError:
            continue  # entries of a period the plan no longer has
        if p.end >= period.end:
            continue
        for iid, value in values.items():
            if iid in per_year and p.end.year != period.end.year:
                continue  # counted afresh each year: last year's total is no "previous" value
            if iid not in ends or p.end > ends[iid]:
                ends[iid], previous[iid], windows[iid] = p.end, value, p.cutoff_end
    return PeriodContext(
        indicators={i.id: i for i in plan.indicators() if i.id is not None},
        rules=plan.rules,
        outlier_share=plan.outlier_share,
        values={k: v.value for k, v in entries.items() if v.value is not None},
        notes={k: v.note for k, v in entries.items()},
        previous=previous,
        pace={
            iid: year_share(period.cutoff_end) / year_share(windows[iid])
            for iid in per_year
            if iid in windows and year_share(windows[iid]) > 0
        },
    )


def _name(ind: Indicator) -> str:
    return f"Chỉ tiêu {ind.code} ({ind.name})"


def _shown(ind: Indicator, value: Any) -> str:
    return format_value(ind, value) or "trống"


def kind_problem(ind: Indicator, value: Any) -> str | None:
    """What is wrong with a stored value for the indicator's kind, or None."""
    kind = ind.kind
    if kind is IndicatorKind.YES_NO:
        return None if isinstance(value, bool) else "giá trị phải là Có hoặc Không"
    if kind is IndicatorKind.QUALITATIVE:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "giá trị phải là một số"
    if kind is IndicatorKind.PERCENT and not 0 <= value <= 100:
        return f"tỷ lệ {format_number(value)}% nằm ngoài khoảng 0–100%"
    if kind is IndicatorKind.COUNT and (value < 0 or value != int(value)):
        return f"số lượng {format_number(value)} phải là số nguyên không âm"
    if kind is IndicatorKind.RANK and (value < 1 or value != int(value)):
        return f"thứ hạng {format_number(value)} phải là số nguyên dương"
    if kind is IndicatorKind.INDEX and not 0 <= value <= 1:
        return f"chỉ số {format_number(value)} nằm ngoài khoảng 0–1"
    return None


def _compare(a: float, comparator: Comparator, b: float) -> bool:
    return {
        Comparator.GT: a > b, Comparator.GE: a >= b, Comparator.LT: a < b,
        Comparator.LE: a <= b, Comparator.EQ: a == b,
    }[comparator]  # fmt: skip


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def indicator_violations(ctx: PeriodContext, indicator_id: int) -> list[Violation]:
    """Every check of one indicator's value in the context's period."""
    ind = ctx.indicators.get(indicator_id)
    value = ctx.values.get(indicator_id)
    if ind is None or value is None:
        return []
    explained = bool((ctx.notes.get(indicator_id) or "").strip())
    out: list[Violation] = []

    def add(severity: Severity, check: str, message: str) -> None:
        out.append(Violation(severity, check, indicator_id, ind.code, message, explained))

    problem = kind_problem(ind, value)
    if problem:
        add(Severity.ERROR, "kind", f"{_name(ind)}: {problem}.")
        return out
    if ind.kind is IndicatorKind.QUALITATIVE:  # the secretary's own judgement: say on what
        add(Severity.WARNING, "self_assessment",
            f"{_name(ind)}: tự đánh giá “{value}” cần ghi giải trình (căn cứ, kết quả) ở cột "
            "Ghi chú; báo cáo ghi rõ đây là tự đánh giá.")  # fmt: skip
    number = _number(value)
    share = ctx.outlier_share
    for rule in ctx.rules_of(indicator_id):
        if rule.kind is RuleKind.OUTLIER and rule.share:
            share = rule.share
        if number is None:
            continue
        if rule.kind is RuleKind.RANGE:
            if rule.minimum is not None and number < rule.minimum:
                add(rule.severity, rule.kind.value, f"{_name(ind)}: {_shown(ind, value)} nhỏ hơn "
                    f"mức tối thiểu cho phép {_shown(ind, rule.minimum)}.")  # fmt: skip
            if rule.maximum is not None and number > rule.maximum:
                add(rule.severity, rule.kind.value, f"{_name(ind)}: {_shown(ind, value)} lớn hơn "
                    f"mức tối đa cho phép {_shown(ind, rule.maximum)}.")  # fmt: skip
        elif rule.kind is RuleKind.NO_DECREASE:
            before = _number(ctx.previous.get(indicator_id))
            if before is not None and number < before:
                add(rule.severity, rule.kind.value, f"{_name(ind)}: {_shown(ind, value)} giảm so "
                    f"với kỳ trước ({_shown(ind, before)}); chỉ tiêu cộng dồn không được giảm.")  # fmt: skip
        elif rule.kind is RuleKind.COMPARE and rule.comparator and rule.other_id:
            other = ctx.indicators.get(rule.other_id)
            other_value = _number(ctx.values.get(rule.other_id))
            if other is not None and other_value is not None:
                if not _compare(number, rule.comparator, other_value):
                    add(rule.severity, rule.kind.value,
                        f"{_name(ind)}: {_shown(ind, value)} phải {rule.comparator.symbol} "
                        f"chỉ tiêu {other.code} ({_shown(other, other_value)}).")  # fmt: skip
    before = _number(ctx.previous.get(indicator_id))
    pace = ctx.pace.get(indicator_id)
    if ind.kind in NUMERIC and number is not None and before:
        on_pace = before * pace if pace else before
        moved = abs(number - on_pace) / abs(on_pace)
        compared = (
            f"kỳ trước ({_shown(ind, before)}, quy theo thời gian trong năm: "
            f"{format_number(on_pace, 1)})" if pace else f"kỳ trước ({_shown(ind, before)})"
        )  # fmt: skip
        if moved > share:
            add(Severity.WARNING, RuleKind.OUTLIER.value,
                f"{_name(ind)}: {_shown(ind, value)} thay đổi {format_number(moved * 100, 1)}% so "
                f"với {compared}, vượt ngưỡng {format_number(share * 100, 0)}%; "
                "kiểm tra lại hoặc giải trình trong ghi chú.")  # fmt: skip
    return out


def entry_errors(ctx: PeriodContext, indicator_id: int, value: Any) -> list[Violation]:
    """The errors a new value of one indicator would cause (itself and the rules comparing with it)."""
    values = dict(ctx.values)
    if value is None:
        values.pop(indicator_id, None)
    else:
        values[indicator_id] = value
    trial = PeriodContext(ctx.indicators, ctx.rules, ctx.outlier_share, values, ctx.notes,
                          ctx.previous, ctx.pace)  # fmt: skip
    related = {indicator_id} | {
        r.indicator_id for r in ctx.rules if r.other_id == indicator_id and r.indicator_id
    }
    return [
        v
        for iid in sorted(related)
        for v in indicator_violations(trial, iid)
        if v.severity is Severity.ERROR
    ]


def check_entry(store: EntryReader, period_id: str, indicator_id: int, value: Any) -> None:
    """Raise UserError when `value` breaks an error rule (called before it is written)."""
    if value is None:
        return
    if not store.has_rules():
        code, name, kind = store.indicator_brief(indicator_id)
        ind = Indicator(code, name, kind=IndicatorKind(kind))
        problem = kind_problem(ind, value)
        if problem:
            raise UserError(f"{_name(ind)}: {problem}.", "rule")
        return
    errors = entry_errors(period_context(store, period_id), indicator_id, value)
    if errors:
        raise UserError(" ".join(e.message for e in errors), "rule")


def completeness(store: EntryReader, period_id: str, plan: Plan | None = None) -> Completeness:
    plan = plan or store.load_plan()
    pid = store.period(period_id).id
    entered = store.indicator_values(pid)
    values = {k for k, v in entered.items() if v.value is not None}
    updated = store.updated_tasks(pid)
    plan = plan.for_period(set(entered), set(store.task_progress(pid)))  # archived items
    indicators, tasks = plan.indicators(), plan.tasks()
    codes = task_codes(plan)  # "PL II – 4" with several task appendices
    return Completeness(
        indicators_total=len(indicators),
        indicators_filled=sum(1 for i in indicators if i.id in values),
        tasks_total=len(tasks),
        tasks_updated=sum(1 for t in tasks if t.id in updated),
        missing_indicators=[(i.code, i.name) for i in indicators if i.id not in values],
        missing_tasks=[
            (codes.get(t.id or -1, t.code), t.name) for t in tasks if t.id not in updated
        ],  # fmt: skip
    )


def check_period(store: EntryReader, period_id: str) -> PeriodCheck:
    """Completeness and every rule violation of the period."""
    plan = store.load_plan()
    ctx = period_context(store, period_id, plan)
    violations = [v for ind in plan.indicators() for v in indicator_violations(ctx, ind.id or 0)]
    return PeriodCheck(store.period(period_id).id, completeness(store, period_id, plan),
                       violations)  # fmt: skip
