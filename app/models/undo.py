"""Undo of the last edit, read from the audit history (the core owns undo, the GUI asks).

An edit is the run of newest audit entries with the same table, row and time,
each field once (one store call records a field at most once), that has not
been undone yet. Undoing it writes the old values back through
the same store methods (so validation and the returned `Change` are the usual
ones), marks the entries that write produced as action "undo", and records one
marker row per undone entry (table "undo", row key = the undone entry's id).
Undo therefore walks back through earlier edits instead of undoing itself, and
every undo is itself in the audit history.

Bookkeeping rows (exported packages, the office id) are not edits and are
skipped. A structural delete (a whole indicator, task or group) is one step: the
audit holds every row it removed (the item, its targets, period entries,
validation rules and attachments with their content), and undo puts them back
with their ids, parent first. Entries of a period closed since are not written
back (sent is sent). `after_id` limits undo to one working session, so Ctrl+Z
never unpicks the creation of the plan.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .audit import AuditEntry, from_json
from .change import Action, Change, Subject
from .errors import UserError
from .plan import TaskAppendix
from .progress import NarrativeSection
from .rows import target_from_row
from .task_labels import stored_task_code

if TYPE_CHECKING:
    from .store import Store

_ROW_TABLES = ("indicator", "task", "indicator_group", "task_group", "office", "plan_info")
_ENTRY_TABLES = ("indicator_value", "task_progress", "narrative", "target")
# Audited as one value (row "0", field "*"): the plan's list of task appendices.
_LIST_TABLES = ("task_appendix",)
_INSERT_UNDO = ("indicator", "task", "indicator_group", "task_group", "attachment", "target")
# What a structural delete removes, put back row by row (validation rules only when deleted).
_DELETE_UNDO = ("indicator", "task", "indicator_group", "task_group", "indicator_value",
                "task_progress", "target", "validation_rule", "attachment")  # fmt: skip


@dataclass(frozen=True)
class _Edit:
    table: str
    row_key: str
    action: str
    entries: list[AuditEntry]


def last_audit_id(store: Store) -> int:
    """The newest audit id: pass it as `after_id` to undo only this session's edits."""
    return store.db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]


def _entry(row: dict) -> AuditEntry:
    return AuditEntry(
        row["id"], row["at"], row["os_user"], row["table_name"], row["row_key"],
        row["field"], from_json(row["old"]), from_json(row["new"]), row["action"],
    )  # fmt: skip


def _last_edit(store: Store, after_id: int) -> _Edit | None:
    undone = {
        r["row_key"]
        for r in store.db.query(
            "SELECT row_key FROM audit WHERE table_name = 'undo' AND id > ?", [after_id]
        )
    }
    tables = sorted({*_ROW_TABLES, *_ENTRY_TABLES, *_INSERT_UNDO, *_LIST_TABLES})
    marks = ", ".join("?" * len(tables))
    rows = store.db.query(
        f"SELECT * FROM audit WHERE id > ? AND (table_name IN ({marks}) AND action IN "
        "('insert', 'update', 'delete') OR table_name = 'validation_rule' AND action = 'delete')"
        " ORDER BY id DESC",
        [after_id, *tables],
    )
    edit: _Edit | None = None
    for row in rows:
        if str(row["id"]) in undone:
            if edit is None:
                continue
            break
        entry = _entry(row)
        if edit is None:
            edit = _Edit(entry.table, entry.row_key, entry.action, [entry])
            continue
        first = edit.entries[0]
        if (entry.table, entry.row_key, entry.at, entry.action) != (
            first.table, first.row_key, first.at, first.action,
        ) or entry.field in {e.field for e in edit.entries}:  # fmt: skip
            break
        edit.entries.append(entry)
    if edit is None or not _undoable(edit):
        return None
    return edit


def _undoable(edit: _Edit) -> bool:
    if edit.action == "update":
        return edit.table in (*_ROW_TABLES, *_ENTRY_TABLES, *_LIST_TABLES)
    if edit.action == "insert":
        return edit.table in _INSERT_UNDO
    old = edit.entries[0].old
    if not (edit.table in _DELETE_UNDO and isinstance(old, dict)):
        return False
    return edit.table != "attachment" or "content" in old  # older rows kept only the name


def _item_code(store: Store, table: str, item_id: str) -> str:
    if table == "task":  # "PL II – 4" in a plan of several task appendices
        return stored_task_code(store.db, int(item_id)) or item_id
    rows = list(store.db.query(f"SELECT code FROM {table} WHERE id = ?", [int(item_id)]))
    return rows[0]["code"] if rows else item_id


def _describe(store: Store, edit: _Edit) -> str:
    t, key = edit.table, edit.row_key
    if t == "indicator_value":
        period, iid = key.split("/")
        return (
            f"sửa số liệu chỉ tiêu {_item_code(store, 'indicator', iid)} "
            f"({store.period(period).label})"
        )
    if t == "task_progress":
        period, tid = key.split("/")
        return (
            f"sửa tiến độ nhiệm vụ {_item_code(store, 'task', tid)} ({store.period(period).label})"
        )
    if t == "narrative":
        period, section = key.split("/")
        return f"sửa mục “{NarrativeSection(section).label}” ({store.period(period).label})"
    if t == "target":
        iid, year = key.split("/")
        return f"sửa mục tiêu năm {year} của chỉ tiêu {_item_code(store, 'indicator', iid)}"
    if t == "attachment":
        return "xóa tệp minh chứng" if edit.action == "delete" else "thêm tệp minh chứng"
    if t == "validation_rule":
        return "xóa quy tắc kiểm tra"
    if t == "task_appendix":
        return "sửa danh sách phụ lục nhiệm vụ"
    if edit.action == "delete":
        old = edit.entries[0].old
        noun = {"indicator": "chỉ tiêu", "task": "nhiệm vụ", "indicator_group": "nhóm chỉ tiêu",
                "task_group": "nhóm nhiệm vụ"}.get(t, "mục")  # fmt: skip
        return f"xóa {noun} {old.get('code') or old.get('title') or ''}".rstrip()
    noun = {
        "indicator": "chỉ tiêu", "task": "nhiệm vụ", "indicator_group": "nhóm chỉ tiêu",
        "task_group": "nhóm nhiệm vụ", "office": "thông tin đơn vị", "plan_info": "thông tin kế hoạch",
    }[t]  # fmt: skip
    verb = "thêm" if edit.action == "insert" else "sửa"
    if t in ("office", "plan_info"):
        return f"{verb} {noun}"
    return f"{verb} {noun} {_item_code(store, t, key)}".rstrip()


def undo_label(store: Store, after_id: int = 0) -> str | None:
    """What Ctrl+Z would undo, in Vietnamese ("Hoàn tác sửa số liệu chỉ tiêu 1.2 (Quý I/2026)")."""
    edit = _last_edit(store, after_id)
    if edit is None:
        return None
    start = _step_start(store, after_id, edit)
    if start is not None:
        rows = store.db.query(
            "SELECT new FROM audit WHERE table_name = 'step' AND row_key = ? AND id > ?",
            [str(start), after_id],
        )
        for row in rows:
            return f"Hoàn tác {from_json(row['new'])}"
    return "Hoàn tác " + _describe(store, edit)


def _step_start(store: Store, after_id: int, edit: _Edit) -> int | None:
    """The first audit id of the step (a paste, a block delete) `edit` belongs to, if any.

    A step is marked by one audit row (table "step", row key = its first audit id)
    written after its edits; every edit between the two is undone together."""
    newest = max(e.id for e in edit.entries)
    rows = list(
        store.db.query(
            "SELECT id, row_key FROM audit WHERE table_name = 'step' AND id > ? AND id > ? "
            "ORDER BY id LIMIT 1",
            [after_id, newest],
        )
    )
    if rows and int(rows[0]["row_key"]) <= min(e.id for e in edit.entries):
        return int(rows[0]["row_key"])
    return None


def _merge(changes: list[Change]) -> Change:
    if len(changes) == 1:
        return changes[0]
    first = changes[0]
    periods = {c.period for c in changes}
    return Change(
        first.subject,
        None,
        first.period if len(periods) == 1 else None,
        frozenset().union(*(c.fields for c in changes)),
        first.action,  # a delete undone: the item is back (an insert)
    )


def undo_last(store: Store, after_id: int = 0) -> Change | None:
    """Undo the newest edit not undone yet — the whole step when the edit was part of a
    paste or block delete; None when there is nothing to undo."""
    edit = _last_edit(store, after_id)
    if edit is None:
        return None
    start = _step_start(store, after_id, edit)
    label = (undo_label(store, after_id) or "").removeprefix("Hoàn tác ")
    changes = []
    undone: list[int] = []
    with store.transaction():
        while edit is not None:
            before = last_audit_id(store)
            changes.append(_revert(store, edit))
            store.db.execute("UPDATE audit SET action = 'undo' WHERE id > ?", [before])
            for entry in edit.entries:
                store.audit.record("undo", entry.id, "*", None, _describe(store, edit), "undo")
            undone += [e.id for e in edit.entries]
            if start is None:
                break
            edit = _last_edit(store, after_id)
            if edit is not None and min(e.id for e in edit.entries) < start:
                break
        # One row per Ctrl+Z: which entries it undid, so redo can write them again.
        store.audit.record("undo_step", "*", "*", sorted(undone), label, "undo")
    return _merge(changes)


def _old_fields(edit: _Edit) -> dict[str, Any]:
    return {e.field: e.old for e in edit.entries}


def _revert(store: Store, edit: _Edit) -> Change:
    t, key, action = edit.table, edit.row_key, edit.action
    if action == "delete" and t != "target":
        return _restore_row(store, t, key, edit.entries[0].old)
    if action == "insert":
        if t == "indicator":
            return store.plan.delete_indicator(int(key))
        if t == "task":
            return store.plan.delete_task(int(key))
        if t in ("indicator_group", "task_group"):
            return store.plan.delete_group(t, int(key))
        if t == "attachment":
            return store.entries.remove_attachment(int(key))
        iid, year = key.split("/")
        return store.plan.set_target(int(iid), int(year), None)
    old = _old_fields(edit)
    if t == "task_appendix":
        store.appendices.restore([TaskAppendix(c, title) for c, title in old["*"] or []])
        return Change(Subject.TASK_APPENDIX, None, fields=frozenset({"*"}))
    if t == "indicator_value":
        period, iid = key.split("/")
        return store.entries.set_indicator_value(period, int(iid), **old)
    if t == "task_progress":
        period, tid = key.split("/")
        return store.entries.set_task_progress(period, int(tid), **old)
    if t == "narrative":
        period, section = key.split("/")
        return store.entries.set_narrative(period, section, old.get("text"))
    if t == "target":
        iid, year = key.split("/")
        if action == "delete":
            return store.plan.set_target(int(iid), int(year), target_from_row(old["*"]))
        rows = list(
            store.db.query(
                "SELECT comparator, value, text FROM target WHERE indicator_id = ? AND year = ?",
                [int(iid), int(year)],
            )
        )
        if not rows:
            raise UserError("Mục tiêu này đã bị xóa nên không hoàn tác được.", "missing")
        return store.plan.set_target(int(iid), int(year), target_from_row({**rows[0], **old}))
    return _revert_row(store, t, int(key), old)


_SUBJECTS = {
    "indicator": Subject.INDICATOR,
    "task": Subject.TASK,
    "indicator_group": Subject.INDICATOR_GROUP,
    "task_group": Subject.TASK_GROUP,
    "office": Subject.OFFICE,
    "plan_info": Subject.PLAN_INFO,
}


def _revert_row(store: Store, table: str, row_id: int, old: dict[str, Any]) -> Change:
    """Put back column values of a plan row (indicator, task, group, office, plan header)."""
    rows = list(store.db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]))
    if not rows:
        raise UserError("Mục này đã bị xóa nên không hoàn tác được.", "missing")
    fields = store.audit.record_diff(table, row_id, rows[0], old)
    if fields:
        store.db.table(table).update(row_id, {f: old[f] for f in fields})
    return Change(_SUBJECTS[table], row_id, fields=fields)


_ENTRY_SUBJECTS = {"indicator_value": Subject.VALUE, "task_progress": Subject.PROGRESS}


def _restore_row(store: Store, table: str, key: str, row: dict[str, Any]) -> Change:
    """Put back a row a structural delete removed, with its id (audited as an insert)."""
    period = row.get("period_id")
    if table in ("indicator_value", "task_progress", "attachment") and period:
        states = list(store.db.query(
            "SELECT state FROM period_state WHERE period_id = ?", [period]))  # fmt: skip
        if states and states[0]["state"] != "open":
            raise UserError(
                f"Kỳ {store.period(period).label} đã chốt hoặc đã gửi nên không khôi phục "
                "được số liệu đã xóa.",
                "locked",
            )
    values = dict(row)
    if table == "attachment":
        values["content"] = base64.b64decode(values["content"])
    store.db.table(table).insert(values)
    shown = {k: v for k, v in row.items() if k != "content"}
    store.audit.record(table, key, "*", None, shown, "insert")
    if table in _ENTRY_SUBJECTS:
        item = int(key.split("/")[1])
        return Change(_ENTRY_SUBJECTS[table], item, period, action=Action.INSERT)
    others = {"validation_rule": Subject.RULE, "attachment": Subject.ATTACHMENT}
    subject = _SUBJECTS.get(table) or others[table]
    return Change(subject, int(key), action=Action.INSERT)
