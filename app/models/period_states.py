"""Period states: đang nhập → đã chốt → đã gửi, reopening, and what a correction changed.

A report that has left the office is an official document: once a period is
closed (the secretary checked it) or sent (a package was exported) the store
refuses every write to it. Reopening needs a reason, is recorded in the audit
history, and makes the next package of the period a correction
("báo cáo bổ sung, điều chỉnh") whose change list is computed against the
snapshot of the last package sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .audit import now_iso
from .change import Change, Subject
from .entry_reader import EntryReader
from .errors import UserError
from .plan import Indicator, IndicatorKind
from .progress import NarrativeSection, TaskStatus
from .store_part import StoreCore, StorePart
from .text import clean
from .validation import PeriodCheck, check_period
from .values import format_number, format_value


class PeriodState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    SENT = "sent"

    @property
    def label(self) -> str:
        return {"open": "Đang nhập", "closed": "Đã chốt", "sent": "Đã gửi"}[self.value]


FIELD_LABELS = {
    "value": "Giá trị", "note": "Ghi chú", "status": "Tình trạng", "percent": "Tiến độ (%)",
    "result": "Kết quả", "evidence_number": "Số văn bản", "evidence_date": "Ngày văn bản",
    "text": "Nội dung",
}  # fmt: skip
ITEM_LABELS = {"indicator": "Chỉ tiêu", "task": "Nhiệm vụ", "narrative": "Mục"}


class PeriodNotReady(UserError):
    """Closing refused: `check.blocking` lists the errors and unexplained warnings."""

    def __init__(self, message: str, check: PeriodCheck) -> None:
        super().__init__(message, "not_ready")
        self.check = check


@dataclass(frozen=True)
class EntryChange:
    """One difference between the package sent before and the data now."""

    item: str  # indicator | task | narrative
    item_id: int | str
    code: str
    name: str
    field: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "id": self.item_id, "code": self.code, "name": self.name,
                "field": self.field, "before": self.before, "after": self.after}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EntryChange:
        return cls(data.get("item", ""), data.get("id", ""), str(data.get("code", "")),
                   str(data.get("name", "")), data.get("field", ""), data.get("before"),
                   data.get("after"))  # fmt: skip

    @property
    def item_label(self) -> str:
        return f"{ITEM_LABELS.get(self.item, self.item)} {self.code}".strip()

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class Correction:
    """What the next (or this) package corrects: the sequence and the change list."""

    corrects: int
    sent_at: str | None
    changes: list[EntryChange]


@dataclass(frozen=True)
class PeriodStatus:
    period_id: str
    state: PeriodState
    changed_at: str | None = None
    correction_pending: bool = False  # reopened after a package was sent

    @property
    def locked(self) -> bool:
        return self.state is not PeriodState.OPEN


def snapshot(store: EntryReader, period_id: str) -> dict[str, Any]:
    """What a package of the period says, in the form corrections are compared in."""
    values = {
        str(k): {"value": v.value, "note": v.note}
        for k, v in store.indicator_values(period_id).items()
    }
    progress = {
        str(k): {
            "status": p.status.value, "percent": p.percent, "result": p.result,
            "evidence_number": p.evidence_number,
            "evidence_date": p.evidence_date.isoformat() if p.evidence_date else None,
        }
        for k, p in store.task_progress(period_id).items()
    }  # fmt: skip
    narrative = {s.value: t for s, t in store.narrative(period_id).items()}
    return {"values": values, "progress": progress, "narrative": narrative}


def diff_snapshots(
    store: EntryReader, before: dict[str, Any], after: dict[str, Any]
) -> list[EntryChange]:
    """Every field that differs, in plan order: indicators, then tasks, then narrative."""
    plan = store.load_plan()
    out: list[EntryChange] = []
    empty: dict[str, Any] = {}
    for item, key, things in (("indicator", "values", plan.indicators()),
                              ("task", "progress", plan.tasks())):  # fmt: skip
        for thing in things:
            old = before.get(key, {}).get(str(thing.id), empty)
            new = after.get(key, {}).get(str(thing.id), empty)
            for f in (*old, *(k for k in new if k not in old)):
                if old.get(f) != new.get(f):
                    out.append(EntryChange(item, thing.id or 0, thing.code, thing.name, f,
                                           old.get(f), new.get(f)))  # fmt: skip
    for section in NarrativeSection:
        old_text = before.get("narrative", {}).get(section.value)
        new_text = after.get("narrative", {}).get(section.value)
        if old_text != new_text:
            out.append(EntryChange("narrative", section.value, "", section.label, "text",
                                   old_text, new_text))  # fmt: skip
    return out


class ClosingPart(StorePart):
    """`store.closing`: each period's state, closing, reopening and corrections."""

    def __init__(self, core: StoreCore, reader: EntryReader) -> None:
        super().__init__(core)
        self.reader = reader  # what the checks and snapshots read

    def period_status(self, period_id: str) -> PeriodStatus:
        pid = self.core.period(period_id).id
        rows = list(self.db.query("SELECT * FROM period_state WHERE period_id = ?", [pid]))
        if not rows:
            return PeriodStatus(pid, PeriodState.OPEN)
        r = rows[0]
        return PeriodStatus(pid, PeriodState(r["state"]), r["changed_at"], bool(r["correction"]))

    def period_states(self) -> dict[str, PeriodState]:
        """Every period that is not open, with its state."""
        return {
            r["period_id"]: PeriodState(r["state"])
            for r in self.db.query("SELECT period_id, state FROM period_state")
            if r["state"] != PeriodState.OPEN.value
        }

    def check_writable(self, period_id: str) -> None:
        """UserError when the period is closed or sent (its numbers must not change)."""
        status = self.period_status(period_id)
        if status.locked:
            label = self.core.period(period_id).label
            raise UserError(
                f"Kỳ {label} {status.state.label.lower()}, không sửa được số liệu. "
                "Muốn sửa, hãy mở lại kỳ (ghi rõ lý do); báo cáo gửi sau đó là báo cáo bổ sung, "
                "điều chỉnh.",
                "period_locked",
            )

    def _set_state(self, pid: str, state: PeriodState, correction: bool) -> None:
        old = self.period_status(pid)
        self.db.table("period_state").upsert(
            {"period_id": pid, "state": state.value, "changed_at": now_iso(),
             "correction": int(correction)},
            pk="period_id",
        )  # fmt: skip
        if old.state is not state:
            self.audit.record("period_state", pid, "state", old.state.value, state.value)

    def close_period(self, period_id: str) -> Change:
        """Close after the checks: no errors and every warning explained, else PeriodNotReady."""
        pid = self.core.period(period_id).id
        with self.transaction():
            status = self.period_status(pid)
            if status.locked:
                return Change(Subject.PERIOD_STATE, pid, pid)
            check = check_period(self.reader, pid)
            if check.blocking:
                lines = "\n".join(f"- {v.text()}" for v in check.blocking)
                raise PeriodNotReady(
                    f"Chưa chốt được kỳ {self.core.period(pid).label}: còn "
                    f"{len(check.errors)} lỗi và {len(check.blocking) - len(check.errors)} "
                    f"cảnh báo chưa giải trình (ghi lý do vào cột Ghi chú):\n{lines}",
                    check,
                )
            self._set_state(pid, PeriodState.CLOSED, status.correction_pending)
        return Change(Subject.PERIOD_STATE, pid, pid, frozenset({"state"}))

    def reopen_period(self, period_id: str, reason: str | None) -> Change:
        """Open a closed or sent period again; the reason goes into the audit history."""
        pid = self.core.period(period_id).id
        text = clean(reason)
        if not text:
            raise UserError("Cần ghi lý do mở lại kỳ báo cáo.", "reason")
        with self.transaction():
            status = self.period_status(pid)
            if not status.locked:
                raise UserError(f"Kỳ {self.core.period(pid).label} đang mở, không cần mở lại.")
            sent = bool(self.db.execute(
                "SELECT count(*) FROM package_export WHERE period_id = ?", [pid]
            ).fetchone()[0])  # fmt: skip
            self._set_state(pid, PeriodState.OPEN, sent or status.correction_pending)
            self.audit.record("period_state", pid, "reason", None, text)
        return Change(Subject.PERIOD_STATE, pid, pid, frozenset({"state"}))

    def mark_sent(self, period_id: str) -> None:
        """After an export: the period is sent and its correction (if any) delivered."""
        with self.transaction():
            self._set_state(self.core.period(period_id).id, PeriodState.SENT, False)

    def correction_for(self, period_id: str) -> Correction | None:
        """The correction the next package of the period is, or the last package was.

        Pending (reopened after sending): the changes against the last package's
        snapshot. Otherwise, when the last package was a correction, its own
        change list (an export without reopening repeats what was sent).
        """
        pid = self.core.period(period_id).id
        rows = list(self.db.query(
            "SELECT sequence, created_at, kind, corrects, changes, snapshot FROM package_export "
            "WHERE period_id = ? ORDER BY sequence DESC LIMIT 1", [pid],
        ))  # fmt: skip
        if not rows:
            return None
        last = rows[0]
        if self.period_status(pid).correction_pending:
            changes = []  # a package sent before this version kept no snapshot
            if last["snapshot"]:
                now = snapshot(self.reader, pid)
                changes = diff_snapshots(self.reader, json.loads(last["snapshot"]), now)
            return Correction(last["sequence"], last["created_at"], changes)
        if last["kind"] == "correction":
            changes = [EntryChange.from_json(c) for c in json.loads(last["changes"] or "[]")]
            return Correction(last["corrects"] or 0, None, changes)
        return None


def change_value_text(change: EntryChange, kind: str | None = None, before: bool = True) -> str:
    """A value of a change list as printed ("65%", "Đang thực hiện", "(trống)").

    `kind` is the indicator's kind when known (the receiving side may not know it).
    """
    value = change.before if before else change.after
    if value is None or value == "":
        return "(trống)"
    if change.field == "value" and kind:
        return format_value(Indicator("", "", kind=IndicatorKind(kind)), value) or str(value)
    if change.field == "status":
        try:
            return TaskStatus(value).label
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int | float):
        return format_number(float(value))
    if change.field == "evidence_date" and len(str(value)) == 10:
        y, m, d = str(value).split("-")
        return f"{d}/{m}/{y}"
    return str(value)
