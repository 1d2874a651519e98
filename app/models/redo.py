"""Redo: write again what the last Ctrl+Z undid, as long as nothing was edited since.

Every undo records one "undo_step" audit row listing the entries it undid. Redo
takes the newest such step not redone yet, writes those entries' new values back
through the same store methods undo uses (so validation and the `Change` are the
usual ones), and records a "redo" row (row key = the step's id, old = the first
audit id its writes took). Those writes are ordinary edits: Ctrl+Z undoes them
again. Any other edit after a step ends redo, as in every editor.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .audit import from_json
from .change import Change
from .errors import UserError
from .undo import (
    _ENTRY_TABLES,
    _LIST_TABLES,
    _ROW_TABLES,
    _describe,
    _Edit,
    _entry,
    _merge,
    _revert,
    last_audit_id,
)

if TYPE_CHECKING:
    from .store import Store

_EDIT_TABLES = tuple(sorted({*_ROW_TABLES, *_ENTRY_TABLES, *_LIST_TABLES, "attachment"}))


def _pending_step(store: Store, after_id: int) -> dict | None:
    """The newest undo step redo may write again, None when there is none."""
    redo_rows = list(
        store.db.query("SELECT id, row_key, old FROM audit WHERE table_name = 'redo' AND id > ?",
                       [after_id])
    )  # fmt: skip
    redone = {r["row_key"] for r in redo_rows}
    ranges = [(int(from_json(r["old"])), r["id"]) for r in redo_rows]
    marks = ", ".join("?" * len(_EDIT_TABLES))
    edits = [
        r["id"]
        for r in store.db.query(
            f"SELECT id FROM audit WHERE id > ? AND table_name IN ({marks}) "
            "AND action IN ('insert', 'update', 'delete')",
            [after_id, *_EDIT_TABLES],
        )
        if not any(first <= r["id"] <= last for first, last in ranges)
    ]
    for step in store.db.query(
        "SELECT * FROM audit WHERE table_name = 'undo_step' AND id > ? ORDER BY id DESC",
        [after_id],
    ):
        if any(e > step["id"] for e in edits):
            return None  # edited since: the undone edits are gone for good
        if str(step["id"]) not in redone:
            return step
    return None


def redo_label(store: Store, after_id: int = 0) -> str | None:
    """What Ctrl+Y would write again ("Làm lại dán 6 ô"), None when nothing."""
    step = _pending_step(store, after_id)
    if step is None or not _only_updates(store, step):
        return None  # an undone delete or insert is not written again (see redo_last)
    return f"Làm lại {from_json(step['new'])}"


def _only_updates(store: Store, step: dict) -> bool:
    ids = from_json(step["old"]) or []
    if not ids:
        return False
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT count(*) FROM audit WHERE id IN ({marks}) AND action != 'update'"
    return store.db.execute(sql, ids).fetchone()[0] == 0


def redo_last(store: Store, after_id: int = 0) -> Change | None:
    """Write again the entries the newest undo step undid; None when there is nothing."""
    step = _pending_step(store, after_id)
    if step is None:
        return None
    ids = from_json(step["old"]) or []
    marks = ", ".join("?" * len(ids))
    rows = list(store.db.query(f"SELECT * FROM audit WHERE id IN ({marks}) ORDER BY id", ids))
    edits: list[_Edit] = []
    for row in rows:  # the original edits in the order they were made
        entry = _entry(row)
        swapped = replace(entry, old=entry.new, new=entry.old)
        if edits and (edits[-1].table, edits[-1].row_key) == (entry.table, entry.row_key):
            edits[-1].entries.append(swapped)
        else:
            edits.append(_Edit(entry.table, entry.row_key, entry.action, [swapped]))
    if any(e.action != "update" for e in edits):
        raise UserError("Không làm lại được thao tác này (thêm hoặc xóa cả mục).", "redo")
    with store.transaction():
        first = last_audit_id(store) + 1
        changes = [_revert(store, edit) for edit in edits]
        label = _describe(store, edits[-1]) if len(edits) == 1 else from_json(step["new"])
        if len(edits) > 1:  # written again as one step: one Ctrl+Z undoes it again
            store.audit.record("step", first, "*", None, label, "step")
        store.audit.record("redo", step["id"], "*", first, label, "redo")
    return _merge(changes)
