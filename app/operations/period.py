"""Operations on one reporting period: entries, evidence, closing and reopening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..models.change import Action, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.outgoing import Outgoing, OutgoingSummary, outgoing_summary
from ..models.period_entries import parse_percent, parse_status
from ..models.period_progress import PeriodProgress, carried_status, period_progress
from ..models.period_states import PeriodStatus
from ..models.periods import Period
from ..models.plan import Plan, Target
from ..models.progress import NarrativeSection, TaskStatus
from ..models.redo import redo_last
from ..models.regime import valid_period
from ..models.store import Store
from ..models.task_labels import TaskLookup, several_appendices, task_codes
from ..models.undo import undo_last
from ..models.validation import PeriodCheck, check_period


def period_of(store: Store, period_id: str, today: date | None = None) -> Period:
    """The plan's period for an id typed (`2026-Q1`), with its due date and data window.

    Only the reports the plan's regime has are accepted, up to a year ahead (a
    secretary prepares the next report early); any other id gets a Vietnamese
    message listing the valid ones (regime.valid_period)."""
    upto = (today or date.today()) + timedelta(days=366)
    return valid_period(store.regime.regime_info(), period_id, upto)


def set_value(
    store: Store, period: Period, indicator_id: int, text: object, note: object = None
) -> Outcome[None]:
    """An indicator's value as typed (checked like the grid checks it); None clears it."""
    changes: dict[str, Any] = {"value": text}
    if note is not None:
        changes["note"] = note
    return Outcome(None, store.entries.set_indicator_value(period.id, indicator_id, **changes))


def set_value_note(
    store: Store, period: Period, indicator_id: int, note: str | None
) -> Outcome[None]:
    """The note (explanation) beside an indicator's value."""
    return Outcome(None, store.entries.set_indicator_value(period.id, indicator_id, note=note))


class DoneQuestion(UserError):
    """100 % done on a task "Đang thực hiện": the window asks whether the task is done."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "question")


def progress_as_shown(
    store: Store,
    period: Period,
    task_id: int,
    fields: dict[str, Any],
    done: bool | None = None,
    plan: Plan | None = None,
) -> dict[str, Any]:
    """The fields to write so the saved row means what the grid shows.

    A task with no entry of its own in the period shows its carried status in grey
    (period_progress.carried_status); typing only a % done or a result keeps that
    status instead of turning it into "Đang thực hiện". 100 % with "Đang thực hiện"
    needs an answer: `done=True` writes "Đã hoàn thành", `done=False` keeps the
    status, `done=None` raises DoneQuestion for the window to ask.
    """
    fields = dict(fields)
    own = store.entries.task_progress(period.id).get(task_id)
    typed = any(v not in (None, "") for v in fields.values())
    plan = plan or store.plan.load()
    task = next((t for t in plan.tasks() if t.id == task_id), None)
    if task is None:
        raise UserError(f"Không tìm thấy nhiệm vụ số {task_id} (đã bị xóa?).", "missing")
    if "status" not in fields and own is None and typed:
        carried = carried_status(store, period, task)
        if carried is not None:
            fields["status"] = carried
    where = f"Nhiệm vụ {task_codes(plan).get(task_id, task.code)}"  # "PL II – 4" with several
    if "status" in fields:
        status = parse_status(fields["status"], where)
    else:
        status = own.status.value if own else None
    if "percent" in fields:
        percent = parse_percent(fields["percent"], where)
    else:
        percent = own.percent if own else None
    if percent == 100 and status in (None, TaskStatus.IN_PROGRESS.value):
        if done is None:
            raise DoneQuestion(
                f"{where}: tiến độ 100% nhưng tình trạng là “Đang thực hiện”. "
                "Nhiệm vụ đã hoàn thành chưa?"
            )
        if done:
            fields["status"] = TaskStatus.DONE.value
    return fields


def set_progress(
    store: Store, period: Period, task_id: int, done: bool | None = None, **fields: Any
) -> Outcome[None]:
    """A task's status, % done, result and evidence for the period, as typed, meaning what
    the grid shows (progress_as_shown; `done` answers the 100 % question)."""
    fields = progress_as_shown(store, period, task_id, fields, done)
    return Outcome(None, store.entries.set_task_progress(period.id, task_id, **fields))


def set_narrative(
    store: Store, period: Period, section: NarrativeSection, text: str | None
) -> Outcome[None]:
    """One narrative section of the period's report."""
    return Outcome(None, store.entries.set_narrative(period.id, section, text))


def attach_evidence(
    store: Store, period: Period, task_id: int, source: Path, name: str | None = None
) -> Outcome[int]:
    """Copy an evidence file into the data file (backups and packages carry it)."""
    aid = store.entries.add_attachment(period.id, task_id, source, name)
    return Outcome(aid, Change(Subject.ATTACHMENT, aid, period.id, action=Action.INSERT))


def remove_evidence(store: Store, attachment_id: int) -> Outcome[None]:
    return Outcome(None, store.entries.remove_attachment(attachment_id))


def check(store: Store, period: Period) -> PeriodCheck:
    """Completeness and every rule violation (a read: no Change)."""
    return check_period(store.reader, period.id)


def outgoing(
    store: Store, period: Period, action: Outgoing, destination: Path | None = None
) -> OutgoingSummary:
    """What closing or exporting the period sends and locks, for the one confirmation the
    window shows before either (a read; `blocked` when both would refuse)."""
    return outgoing_summary(store, period.id, action, destination)


def close_period(store: Store, period: Period) -> Outcome[PeriodStatus]:
    """Lock the period after the checks (PeriodNotReady lists what blocks it)."""
    change = store.closing.close_period(period.id)
    return Outcome(store.closing.period_status(period.id), change)


def reopen_period(store: Store, period: Period, reason: str | None) -> Outcome[PeriodStatus]:
    """Open a closed or sent period again; the reason goes into the audit history."""
    change = store.closing.reopen_period(period.id, reason)
    return Outcome(store.closing.period_status(period.id), change)


def undo(store: Store, after_audit_id: int) -> Outcome[bool]:
    """Undo the last edit made after `after_audit_id` (this session's edits)."""
    change = undo_last(store, after_audit_id)
    return Outcome(change is not None, change or Change(Subject.NOTHING))


def redo(store: Store, after_audit_id: int) -> Outcome[bool]:
    """Write again what the last undo undid, unless something was edited since."""
    change = redo_last(store, after_audit_id)
    return Outcome(change is not None, change or Change(Subject.NOTHING))


def progress(store: Store, period: Period, report_date: date) -> PeriodProgress:
    """What the report of `period` dated `report_date` says about progress (a read)."""
    return period_progress(store, period, report_date)


def progress_json(result: PeriodProgress) -> dict[str, Any]:
    """The `progress --json` shape: plain values, assessments by their English codes."""

    def number(value: object) -> object:
        return round(value, 4) if isinstance(value, float) else value

    def target(t: Target | None) -> dict[str, Any] | None:
        if t is None:
            return None
        comparator = t.comparator.value if t.comparator else None
        return {"comparator": comparator, "value": t.value, "high": t.high, "text": t.text}

    start, end = result.data_window
    return {
        "period": result.period.id,
        "as_of": result.as_of.isoformat(),
        "data_window": {"start": start.isoformat(), "end": end.isoformat()},
        "previous": result.previous.id if result.previous else None,
        "indicators": [
            {
                "code": i.indicator.code,
                "value": number(i.value),
                "expected": number(i.path.expected),
                "milestone": {"year": i.path.milestone, "target": target(i.path.target)},
                "assessment": i.assessment.value,
                "note": i.path.note,
                "passed_milestones": [
                    {
                        "year": m.year,
                        "target": target(m.target),
                        "value": number(m.value),
                        "assessment": m.assessment.value,
                    }  # fmt: skip
                    for m in i.passed
                ],
            }
            for i in result.indicators
        ],
        "tasks": [
            {
                "group": t.group,
                "code": t.task.code,
                "key": t.key,  # as `period values` takes it: "IV.4", "PL III – IV.4"
                "status": t.status.value,
                "overdue": t.overdue,
                "reported_this_period": t.reported_this_period,
            }
            for t in result.tasks
        ],
    }


@dataclass(frozen=True)
class ValuesResult:
    """What `apply_values` did: entries accepted, every problem, whether it was written."""

    accepted: int
    problems: list[str]
    written: bool


class _RollBack(Exception):
    """Leaves the outer transaction without writing anything."""


def _key_shape(plan: Plan) -> str:
    """How a task key is written, for the message naming an unknown one."""
    if several_appendices(plan):
        return "phụ lục – nhóm.mã, ví dụ 'PL III – IV.4' hoặc 'PL II – 4'"
    return "nhóm.mã"


TASK_FIELDS = ("status", "percent", "result", "evidence_number", "evidence_date")


def apply_values(
    store: Store, period: Period, data: dict[str, Any], dry_run: bool = False
) -> Outcome[ValuesResult]:
    """A period's values and task progress from plain data, all or nothing.

    `data` is `{"indicators": {"<code>": value as typed}, "tasks": {"<group>.<code>":
    {"status", "percent", "result", …}}}` (in a plan of several task appendices the key
    names the appendix too: "PL III – IV.4", "PL II – 4"; task_labels). Every entry goes through the very store
    calls the grid makes (same checks, same messages); any problem, or `dry_run`,
    writes nothing.
    """
    if not isinstance(data, dict):
        raise UserError("Tệp số liệu phải là một đối tượng JSON có 'indicators' và/hoặc 'tasks'.")
    plan = store.plan.load()
    indicators = {i.code: i for i in plan.indicators()}
    tasks = TaskLookup(plan)
    problems: list[str] = []
    accepted = 0
    try:
        with store.transaction():
            for code, raw in dict(data.get("indicators") or {}).items():
                ind = indicators.get(str(code))
                if ind is None or ind.id is None:
                    problems.append(f"Chỉ tiêu mã '{code}' không có trong kế hoạch.")
                    continue
                try:
                    with store.transaction():
                        store.entries.set_indicator_value(period.id, ind.id, value=raw)
                    accepted += 1
                except UserError as exc:
                    problems.append(exc.message)
            for key, fields in dict(data.get("tasks") or {}).items():
                task = tasks.get(str(key))
                if task is None or task.id is None:
                    problems.append(
                        f"Nhiệm vụ '{key}' ({_key_shape(plan)}) không có trong kế hoạch."
                    )
                    continue
                if not isinstance(fields, dict) or set(fields) - set(TASK_FIELDS):
                    problems.append(f"Nhiệm vụ {key}: chỉ nhận các mục {', '.join(TASK_FIELDS)}.")
                    continue
                try:
                    with store.transaction():
                        fields = progress_as_shown(store, period, task.id, fields, False, plan)
                        store.entries.set_task_progress(period.id, task.id, **fields)
                    accepted += 1
                except UserError as exc:
                    problems.append(f"Nhiệm vụ {key}: {exc.message}")
            if problems or dry_run:
                raise _RollBack
    except _RollBack:
        return Outcome(ValuesResult(accepted, problems, False))
    change = Change(Subject.VALUE, None, period.id, frozenset({"value", "status"}))
    return Outcome(ValuesResult(accepted, problems, True), change)
