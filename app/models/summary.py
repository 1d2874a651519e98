"""The plan summary shown by `status` and the dashboard: what is late first, then the next
report, then progress on the path as the last report entered states it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .period_progress import IndicatorProgress, PeriodProgress, TaskState, period_progress
from .period_states import PeriodState
from .periods import Period
from .regime import current_period, owed_periods, plan_periods
from .store import Store


@dataclass(frozen=True)
class Owed:
    """A report past its last on-time day that has not been sent."""

    period: Period
    days_late: int

    def text(self) -> str:
        return f"Báo cáo {self.period.title_label} quá hạn {self.days_late} ngày, chưa gửi"


@dataclass(frozen=True)
class Summary:
    office: str
    plan_number: str
    plan_title: str
    indicator_groups: int
    indicators: int
    task_groups: int
    tasks: int
    owed: list[Owed]  # oldest first
    current: Period | None  # the next report due
    values_entered: int
    progress_entered: int
    progress: PeriodProgress | None  # the latest report with entries (or the current one)

    @property
    def overdue(self) -> list[TaskState]:
        return self.progress.overdue() if self.progress else []

    @property
    def behind(self) -> list[IndicatorProgress]:
        return self.progress.behind() if self.progress else []


def summarize(store: Store, today: date) -> Summary:
    plan = store.plan.load()
    info = store.regime.regime_info()
    states = store.closing.period_states()
    sent = {pid for pid, state in states.items() if state is PeriodState.SENT}
    owed = [Owed(p, (today - p.due).days) for p in owed_periods(info, today, sent)]
    period = current_period(info, today)
    entered = set(store.entries.periods_with_entries())
    reported = [p for p in plan_periods(info, today) if p.id in entered and p.cutoff_start <= today]
    shown = max(reported, key=lambda p: (p.cutoff_end, p.months)) if reported else period
    return Summary(
        office=plan.office.name,
        plan_number=plan.info.number,
        plan_title=plan.info.title,
        indicator_groups=len(plan.indicator_groups),
        indicators=len(plan.indicators()),
        task_groups=len(plan.task_groups),
        tasks=len(plan.tasks()),
        owed=owed,
        current=period,
        values_entered=len(store.entries.indicator_values(period.id)) if period else 0,
        progress_entered=len(store.entries.task_progress(period.id)) if period else 0,
        progress=period_progress(store, shown, today, plan) if shown else None,  # plan read once
    )
