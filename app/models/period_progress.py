"""What one report says about progress: each indicator on its path, each task in its cycle.

The dashboard, the entry grid, the report PDF/xlsx, `status`, `progress` and the
package all read this one answer, so they never disagree.

- Facts are stated *as of* the earlier of the report's date and the end of its
  data window (regime.as_of); values are judged on the path to the next
  milestone at the end of the data window (assessment.assess_path).
- An indicator's value is the one reported for this period; nothing is carried
  from an earlier report ("Chưa có số liệu" says it was not reported). A passed
  milestone is judged on that year's value — the yearly report's, else the last
  one reported in the year — and stays on record in every later report.
- A task's status is the one reported for this period, else the last one
  reported earlier *in the same cycle*: a "Hằng năm" task done in 2025 starts
  2026 with no status, while a one-off or "Thường xuyên" task carries its last
  status. With none, the task is "Chưa cập nhật" (not reported), not
  "Chưa triển khai". A task is overdue when the last on-time day of its deadline
  (of this cycle, for a recurring one; of the first product, for "Tháng 6/2025
  và thường xuyên") passed before the as-of date and it is not finished.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from .assessment import (
    Assessment,
    MilestoneResult,
    PathAssessment,
    assess_path,
    passed_milestones,
    self_assessment_of,
)
from .errors import UserError
from .periods import Period
from .plan import Indicator, Plan, PlanInfo, Task, Value
from .progress import TaskProgress, TaskStatus
from .regime import as_of as as_of_date
from .regime import period_of, previous_report
from .store import Store
from .task_labels import task_keys, task_labels


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    value: Value | None
    path: PathAssessment
    passed: list[MilestoneResult]
    previous: Value | None  # the value of "Kỳ trước" (regime.previous_report)

    @property
    def assessment(self) -> Assessment:
        return self.path.assessment


@dataclass(frozen=True)
class TaskState:
    task: Task
    status: TaskStatus  # NOT_REPORTED when neither this period nor its cycle has one
    entry: TaskProgress | None  # what was typed for this period
    carried_from: str | None  # the period the status comes from, when not this one
    overdue: bool
    group: str = ""  # the code of the task's group
    key: str = ""  # forms and `period values`: "IV.4", "PL III – IV.4" (task_labels)
    label: str = ""  # as printed: "IV.4", "4", "PL III – IV.4", "PL II – 4"

    @property
    def reported_this_period(self) -> bool:
        return self.entry is not None and self.entry.status is not TaskStatus.NOT_REPORTED


@dataclass(frozen=True)
class PeriodProgress:
    period: Period
    previous: Period | None
    as_of: date
    indicators: list[IndicatorProgress]
    tasks: list[TaskState]

    @property
    def data_window(self) -> tuple[date, date]:
        return self.period.cutoff_start, self.period.cutoff_end

    def assessment_counts(self) -> dict[Assessment, int]:
        counts = Counter(i.assessment for i in self.indicators)
        return {a: counts.get(a, 0) for a in Assessment}

    def overdue(self) -> list[TaskState]:
        return [t for t in self.tasks if t.overdue]

    def behind(self) -> list[IndicatorProgress]:
        return [i for i in self.indicators if i.assessment.off_track]


def _period(info: PlanInfo, period_id: str) -> Period | None:
    try:
        return period_of(info, period_id)
    except UserError:
        return None  # entries of a period the regime no longer has: not read


def _indicators(
    store: Store, plan: Plan, info: PlanInfo, period: Period, previous: Period | None
) -> list[IndicatorProgress]:
    history: list[tuple[Period, dict[int, Value]]] = []
    for pid, values in store.entries.all_values().items():
        p = _period(info, pid)
        if p is not None:
            history.append((p, values))
    history.sort(key=lambda item: item[0].cutoff_end)
    this = {k: v.value for k, v in store.entries.indicator_values(period.id).items()}
    before = (
        {k: v.value for k, v in store.entries.indicator_values(previous.id).items()}
        if previous
        else {}
    )
    out = []
    for ind in plan.indicators():
        iid = ind.id
        assert iid is not None  # loaded from the store
        first = next(((p.cutoff_end, v[iid]) for p, v in history if iid in v), None)
        latest: dict[int, Value] = {}
        yearly: dict[int, Value] = {}
        for p, values in history:  # the yearly report's value wins over the year's others
            if iid in values and p.cutoff_end <= period.cutoff_end:
                latest[p.year] = values[iid]
                if p.frequency is not None and p.months == 12:
                    yearly[p.year] = values[iid]
        year_values = {**latest, **yearly}
        value = this.get(iid) if iid is not None else None
        own = self_assessment_of(ind, value)
        path = assess_path(
            ind, value, period.cutoff_end, plan_date=info.date, first=first,
            yearly=period.frequency is not None and period.months == 12,
            self_assessment=own, tolerance_share=plan.path_tolerance,
        )  # fmt: skip
        passed = passed_milestones(
            ind, year_values, period.cutoff_end, tolerance_share=plan.path_tolerance
        )
        out.append(IndicatorProgress(ind, value, path, passed, before.get(iid)))
    return out


def _carried(
    task: Task, period: Period, history: list[tuple[Period, dict[int, TaskProgress]]]
) -> tuple[TaskStatus, str] | None:
    """The last status reported before `period`, within the task's cycle when recurring."""
    deadline = task.deadline
    cycle = deadline.cycle(period.cutoff_end) if deadline else None
    for p, entries in reversed(history):
        if p.cutoff_end >= period.cutoff_end or p.id == period.id:
            continue
        if cycle is not None and not cycle[0] <= p.cutoff_end <= cycle[1]:
            return None  # an earlier cycle's status is not this cycle's
        entry = entries.get(task.id or -1)
        if entry is not None and entry.status is not TaskStatus.NOT_REPORTED:
            return entry.status, p.id
    return None


def _overdue(task: Task, status: TaskStatus, on: date) -> bool:
    deadline = task.deadline
    if deadline is None or status.finished:
        return False
    if deadline.cycle(on) is not None:
        due = deadline.cycle_due(on)
        return due is not None and due < on
    return deadline.is_past(on)


def _history(store: Store, info: PlanInfo) -> list[tuple[Period, dict[int, TaskProgress]]]:
    history: list[tuple[Period, dict[int, TaskProgress]]] = []
    for pid in store.entries.periods_with_entries():
        p = _period(info, pid)
        if p is not None:
            history.append((p, store.entries.task_progress(pid)))
    history.sort(key=lambda item: item[0].cutoff_end)
    return history


def carried_status(store: Store, period: Period, task: Task) -> TaskStatus | None:
    """The status the grid shows in grey for a task with no entry of its own in `period`
    (the last one reported earlier in its cycle), None when there is none."""
    found = _carried(task, period, _history(store, store.regime.regime_info()))
    return found[0] if found else None


def _tasks(store: Store, plan: Plan, info: PlanInfo, period: Period, on: date) -> list[TaskState]:
    history = _history(store, info)
    this = store.entries.task_progress(period.id)
    groups = {t.id: g.code for g in plan.task_groups for t in g.tasks}
    keys, labels = task_keys(plan), task_labels(plan)
    out = []
    for task in plan.tasks():
        entry = this.get(task.id or -1)
        carried_from = None
        status: TaskStatus
        if entry is not None and entry.status is not TaskStatus.NOT_REPORTED:
            status = entry.status
        elif (found := _carried(task, period, history)) is not None:
            status, carried_from = found
        else:
            status = TaskStatus.NOT_REPORTED
        overdue = _overdue(task, status, on)
        tid = task.id or -1
        out.append(TaskState(task, status, entry, carried_from, overdue, groups.get(task.id, ""),
                             keys.get(tid, task.code), labels.get(tid, task.code)))  # fmt: skip
    return out


def reported_plan(store: Store, period: Period, plan: Plan | None = None) -> Plan:
    """The plan as `period` reports it: archived items only where the period holds their
    entries (Plan.for_period)."""
    plan = plan or store.plan.load()
    if not plan.archived:
        return plan
    return plan.for_period(
        set(store.entries.indicator_values(period.id)), set(store.entries.task_progress(period.id))
    )


def period_progress(
    store: Store, period: Period, report_date: date, plan: Plan | None = None
) -> PeriodProgress:
    """The progress the report of `period`, dated `report_date`, states (`plan`: the plan
    when the caller has it loaded already)."""
    plan = reported_plan(store, period, plan)
    info = store.regime.regime_info()
    previous = previous_report(info, period)
    on = as_of_date(period, report_date)
    return PeriodProgress(
        period=period,
        previous=previous,
        as_of=on,
        indicators=_indicators(store, plan, info, period, previous),
        tasks=_tasks(store, plan, info, period, on),
    )


def indicators_on_path(
    store: Store, period: Period, plan: Plan | None = None
) -> list[IndicatorProgress]:
    """Only the indicators of `period_progress` (the indicator grid needs no tasks)."""
    info = store.regime.regime_info()
    plan = reported_plan(store, period, plan)
    return _indicators(store, plan, info, period, previous_report(info, period))


def tasks_in_cycle(
    store: Store, period: Period, report_date: date, plan: Plan | None = None
) -> list[TaskState]:
    """Only the tasks of `period_progress` (the task grid needs no indicators)."""
    info = store.regime.regime_info()
    plan = reported_plan(store, period, plan)
    return _tasks(store, plan, info, period, as_of_date(period, report_date))
