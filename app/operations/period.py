"""Operations on one reporting period: entries, evidence, closing and reopening."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..models.change import Action, Change, Outcome, Subject
from ..models.period_states import PeriodStatus
from ..models.periods import Period, parse_period_id
from ..models.progress import NarrativeSection
from ..models.store import Store
from ..models.undo import undo_last
from ..models.validation import PeriodCheck, check_period


def period_of(store: Store, period_id: str) -> Period:
    """The plan's period for an id typed or stored (`2026-Q1`), with its due date."""
    return parse_period_id(period_id, store.plan.info().reporting)


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


def set_progress(store: Store, period: Period, task_id: int, **fields: Any) -> Outcome[None]:
    """A task's status, % done, result and evidence for the period, as typed."""
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
