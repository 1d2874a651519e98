"""Editing the plan item by item (groups, indicators, targets, tasks), with audit."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .change import Change
from .deadline import parse_deadline
from .errors import UserError
from .plan import Indicator, Target, Task
from .rows import indicator_row, target_row, task_row
from .text import clean

if TYPE_CHECKING:
    import sqlite_utils

    from .audit import AuditLog


class PlanEdits:
    db: sqlite_utils.Database
    audit: AuditLog

    transaction: Callable[[], AbstractContextManager[None]]  # provided by Store

    # -- groups ----------------------------------------------------------------
    def add_group(self, table: str, code: str, title: str) -> int:
        """Add an indicator or task group (`table` is indicator_group or task_group)."""
        self._check_group_table(table)
        title_clean = clean(title)
        if not title_clean:
            raise UserError("Tên nhóm không được để trống.")
        with self.transaction():
            position = self.db.execute(
                f"SELECT coalesce(max(position), -1) + 1 FROM {table}"
            ).fetchone()[0]
            gid = (
                self.db[table]
                .insert({"code": clean(code) or "", "title": title_clean, "position": position})
                .last_pk
            )
            self.audit.record(table, gid, "*", None, title_clean, "insert")
        return gid

    def rename_group(self, table: str, group_id: int, code: str, title: str) -> Change:
        self._check_group_table(table)
        title_clean = clean(title)
        if not title_clean:
            raise UserError("Tên nhóm không được để trống.")
        with self.transaction():
            old = dict(self._get(table, group_id))
            fields = self.audit.record_diff(
                table, group_id, old, {"code": clean(code) or "", "title": title_clean}
            )
            if fields:
                self.db[table].update(group_id, {"code": clean(code) or "", "title": title_clean})
        return Change(table, str(group_id), fields)

    def delete_group(self, table: str, group_id: int) -> Change:
        """Delete a group with all its items (and their period entries)."""
        self._check_group_table(table)
        item_table = "indicator" if table == "indicator_group" else "task"
        with self.transaction():
            old = self._get(table, group_id)
            for row in self.db.query(f"SELECT id FROM {item_table} WHERE group_id = ?", [group_id]):
                self._delete_item(item_table, row["id"])
            self.db[table].delete(group_id)
            self.audit.record(table, group_id, "*", old["title"], None, "delete")
        return Change(table, str(group_id), frozenset(), "delete")

    @staticmethod
    def _check_group_table(table: str) -> None:
        if table not in ("indicator_group", "task_group"):
            raise ValueError(table)

    def _get(self, table: str, key: int) -> dict:
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [key]))
        if not rows:
            raise UserError(f"Không tìm thấy mục số {key} (đã bị xóa?).", "missing")
        return rows[0]

    def _next_position(self, table: str, group_id: int) -> int:
        return self.db.execute(
            f"SELECT coalesce(max(position), -1) + 1 FROM {table} WHERE group_id = ?", [group_id]
        ).fetchone()[0]

    # -- indicators --------------------------------------------------------------
    def add_indicator(self, group_id: int, indicator: Indicator) -> int:
        with self.transaction():
            self._get("indicator_group", group_id)
            row = {
                "group_id": group_id,
                "position": self._next_position("indicator", group_id),
                **indicator_row(indicator),
            }
            iid = self.db["indicator"].insert(row).last_pk
            self.audit.record("indicator", iid, "*", None, row, "insert")
            for year, target in indicator.targets.items():
                self.set_target(iid, int(year), target)
        return iid

    def update_indicator(self, indicator_id: int, **changes: Any) -> Change:
        """Change fields of an indicator: name, code, unit, kind, direction,
        baseline (a Baseline), lead_agency, note, group_id."""
        allowed = {"name", "code", "unit", "kind", "direction", "baseline", "lead_agency", "note"}
        unknown = set(changes) - allowed - {"group_id"}
        if unknown:
            raise ValueError(f"unknown indicator fields {unknown}")
        with self.transaction():
            old = dict(self._get("indicator", indicator_id))
            current = self._indicator(indicator_id)
            updated = replace(current, **{k: v for k, v in changes.items() if k in allowed})
            new = indicator_row(updated)
            if "group_id" in changes:
                self._get("indicator_group", changes["group_id"])
                new["group_id"] = changes["group_id"]
            fields = self.audit.record_diff("indicator", indicator_id, old, new)
            if fields:
                self.db["indicator"].update(indicator_id, new)
        return Change("indicator", str(indicator_id), fields)

    def _indicator(self, indicator_id: int) -> Indicator:
        from .rows import indicator_from_row, target_from_row

        row = self._get("indicator", indicator_id)
        targets = {
            r["year"]: target_from_row(r)
            for r in self.db.query("SELECT * FROM target WHERE indicator_id = ?", [indicator_id])
        }
        return indicator_from_row(row, targets)

    def set_target(self, indicator_id: int, year: int, target: Target | None) -> Change:
        """Set (or with None, remove) the target of an indicator for a milestone year."""
        key = f"{indicator_id}/{year}"
        with self.transaction():
            self._get("indicator", indicator_id)
            old_rows = list(
                self.db.query(
                    "SELECT comparator, value, text FROM target WHERE indicator_id = ? AND year = ?",
                    [indicator_id, year],
                )
            )
            old = old_rows[0] if old_rows else None
            if target is None:
                if old is None:
                    return Change("target", key, frozenset())
                self.db.execute(
                    "DELETE FROM target WHERE indicator_id = ? AND year = ?", [indicator_id, year]
                )
                self.audit.record("target", key, "*", old, None, "delete")
                return Change("target", key, frozenset(), "delete")
            new = target_row(target)
            if old is None:
                self.db["target"].insert({"indicator_id": indicator_id, "year": year, **new})
                self.audit.record("target", key, "*", None, new, "insert")
                return Change("target", key, frozenset(new), "insert")
            fields = self.audit.record_diff("target", key, old, new)
            if fields:
                self.db["target"].update((indicator_id, year), new)
        return Change("target", key, fields)

    def delete_indicator(self, indicator_id: int) -> Change:
        with self.transaction():
            self._delete_item("indicator", indicator_id)
        return Change("indicator", str(indicator_id), frozenset(), "delete")

    # -- tasks ----------------------------------------------------------------
    def add_task(self, group_id: int, task: Task) -> int:
        with self.transaction():
            self._get("task_group", group_id)
            row = {
                "group_id": group_id,
                "position": self._next_position("task", group_id),
                **task_row(task),
            }
            tid = self.db["task"].insert(row).last_pk
            self.audit.record("task", tid, "*", None, row, "insert")
        return tid

    def update_task(self, task_id: int, **changes: Any) -> Change:
        """Change fields of a task: name, code, lead_agency, partners, output,
        deadline (a Deadline or its text), note, group_id."""
        allowed = {"name", "code", "lead_agency", "partners", "output", "deadline", "note"}
        unknown = set(changes) - allowed - {"group_id"}
        if unknown:
            raise ValueError(f"unknown task fields {unknown}")
        if isinstance(changes.get("deadline"), str):
            changes["deadline"] = parse_deadline(changes["deadline"])
        with self.transaction():
            from .rows import task_from_row

            old = dict(self._get("task", task_id))
            current = task_from_row(old)
            new = task_row(replace(current, **{k: v for k, v in changes.items() if k in allowed}))
            if "group_id" in changes:
                self._get("task_group", changes["group_id"])
                new["group_id"] = changes["group_id"]
            fields = self.audit.record_diff("task", task_id, old, new)
            if fields:
                self.db["task"].update(task_id, new)
        return Change("task", str(task_id), fields)

    def delete_task(self, task_id: int) -> Change:
        with self.transaction():
            self._delete_item("task", task_id)
        return Change("task", str(task_id), frozenset(), "delete")

    def _delete_item(self, table: str, item_id: int) -> None:
        """Delete an indicator or task and everything hanging off it, all audited."""
        old = self._get(table, item_id)
        if table == "indicator":
            for r in self.db.query(
                "SELECT * FROM validation_rule WHERE indicator_id = ? OR other_id = ?",
                [item_id] * 2,
            ):
                self.audit.record("validation_rule", r["id"], "*", dict(r), None, "delete")
            self.db.execute(
                "DELETE FROM validation_rule WHERE indicator_id = ? OR other_id = ?", [item_id] * 2
            )
            for r in self.db.query("SELECT * FROM target WHERE indicator_id = ?", [item_id]):
                self.audit.record("target", f"{item_id}/{r['year']}", "*", dict(r), None, "delete")
            for r in self.db.query(
                "SELECT * FROM indicator_value WHERE indicator_id = ?", [item_id]
            ):
                key = f"{r['period_id']}/{item_id}"
                self.audit.record("indicator_value", key, "*", dict(r), None, "delete")
            self.db.execute("DELETE FROM target WHERE indicator_id = ?", [item_id])
            self.db.execute("DELETE FROM indicator_value WHERE indicator_id = ?", [item_id])
        else:
            for r in self.db.query("SELECT * FROM task_progress WHERE task_id = ?", [item_id]):
                key = f"{r['period_id']}/{item_id}"
                self.audit.record("task_progress", key, "*", dict(r), None, "delete")
            for r in self.db.query(
                "SELECT id, file_name, sha256 FROM attachment WHERE task_id = ?", [item_id]
            ):
                self.audit.record("attachment", r["id"], "*", dict(r), None, "delete")
            self.db.execute("DELETE FROM task_progress WHERE task_id = ?", [item_id])
            self.db.execute("DELETE FROM attachment WHERE task_id = ?", [item_id])
        self.db[table].delete(item_id)
        self.audit.record(table, item_id, "*", dict(old), None, "delete")
