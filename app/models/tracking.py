"""Overdue tasks from one package's statuses, as the receiving office judges them (the
office's own reports use period_progress). Derived, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .plan import Plan, Task
from .progress import TaskStatus


@dataclass(frozen=True)
class TaskState:
    task: Task
    status: TaskStatus
    overdue: bool


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
