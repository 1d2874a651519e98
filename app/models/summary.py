"""The plan summary shown by `status` and the dashboard: counts, current period, what is late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .attainment import Attainment
from .periods import Period, current_period
from .store import Store
from .tracking import (
    IndicatorStatus,
    TaskState,
    indicator_statuses,
    latest_status,
    latest_values,
    task_states,
)


@dataclass(frozen=True)
class Summary:
    office: str
    plan_number: str
    plan_title: str
    indicator_groups: int
    indicators: int
    task_groups: int
    tasks: int
    current: Period | None
    values_entered: int
    progress_entered: int
    overdue: list[TaskState]
    off_track: list[IndicatorStatus]
    attainment_counts: dict[Attainment, int]


def summarize(store: Store, today: date) -> Summary:
    plan = store.plan.load()
    period = current_period(plan.info.reporting, today)
    values = latest_values(store.entries.all_values(), period) if period else {}
    statuses = latest_status(store.entries.progress_history(), period) if period else {}
    year = period.year if period else today.year
    inds = indicator_statuses(plan, values, year)
    counts = {a: 0 for a in Attainment}
    for s in inds:
        counts[s.attainment] += 1
    return Summary(
        office=plan.office.name,
        plan_number=plan.info.number,
        plan_title=plan.info.title,
        indicator_groups=len(plan.indicator_groups),
        indicators=len(plan.indicators()),
        task_groups=len(plan.task_groups),
        tasks=len(plan.tasks()),
        current=period,
        values_entered=len(store.entries.indicator_values(period.id)) if period else 0,
        progress_entered=len(store.entries.task_progress(period.id)) if period else 0,
        overdue=[s for s in task_states(plan, statuses, today) if s.overdue],
        off_track=[s for s in inds if s.attainment is Attainment.NOT_MET],
        attainment_counts=counts,
    )
