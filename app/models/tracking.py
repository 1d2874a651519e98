"""Derived facts for a period: overdue tasks and indicators off track. Never typed in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .attainment import Attainment, assess, target_for
from .periods import Period, parse_period_id
from .plan import Indicator, Plan, Target, Task, Value
from .progress import TaskStatus


@dataclass(frozen=True)
class IndicatorStatus:
    indicator: Indicator
    value: Value | None
    milestone: int | None
    target: Target | None
    attainment: Attainment


@dataclass(frozen=True)
class TaskState:
    task: Task
    status: TaskStatus
    overdue: bool


def latest_values(history: dict[str, dict[int, Value]], upto: Period) -> dict[int, Value]:
    """For each indicator the newest value reported in a period ending no later than `upto`."""
    out: dict[int, tuple[date, Value]] = {}
    for pid, values in history.items():
        end = parse_period_id(pid).end
        if end > upto.end:
            continue
        for iid, value in values.items():
            if iid not in out or end > out[iid][0]:
                out[iid] = (end, value)
    return {iid: v for iid, (_, v) in out.items()}


def latest_status(history: dict[str, dict[int, TaskStatus]], upto: Period) -> dict[int, TaskStatus]:
    """Task status carried forward: the newest update from a period ending by `upto`."""
    out: dict[int, tuple[date, TaskStatus]] = {}
    for pid, statuses in history.items():
        end = parse_period_id(pid).end
        if end > upto.end:
            continue
        for tid, status in statuses.items():
            if tid not in out or end > out[tid][0]:
                out[tid] = (end, status)
    return {tid: s for tid, (_, s) in out.items()}


def indicator_statuses(
    plan: Plan, values: Mapping[int, Value | None], year: int
) -> list[IndicatorStatus]:
    out = []
    for ind in plan.indicators():
        milestone, target = target_for(ind, plan.info.milestones, year)
        value = values.get(ind.id) if ind.id is not None else None
        out.append(IndicatorStatus(ind, value, milestone, target, assess(ind, value, target)))
    return out


def task_states(plan: Plan, statuses: dict[int, TaskStatus], on: date) -> list[TaskState]:
    """Each task's status at `on`; overdue when its deadline has passed and it is unfinished."""
    out = []
    for task in plan.tasks():
        status = (
            statuses.get(task.id, TaskStatus.NOT_STARTED)
            if task.id is not None
            else TaskStatus.NOT_STARTED
        )
        overdue = bool(task.deadline and task.deadline.is_past(on) and not status.finished)
        out.append(TaskState(task, status, overdue))
    return out
