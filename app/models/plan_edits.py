"""The plan part of the store: office, plan header, groups, indicators, targets, tasks.

`store.plan` reads the whole plan (`load`) and edits it item by item, each edit
in one transaction with its audit entries, returning the `Change` it made.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Any, cast

from .agency import load_agencies
from .audit import now_iso
from .change import Action, Change, Subject
from .deadline import parse_deadline
from .errors import UserError
from .plan import (
    Indicator,
    IndicatorGroup,
    Office,
    Plan,
    PlanInfo,
    Target,
    Task,
    TaskAppendix,
    TaskGroup,
)
from .rows import (
    indicator_from_row,
    indicator_row,
    office_from_row,
    office_row,
    plan_info_from_row,
    plan_info_row,
    target_from_row,
    target_row,
    task_from_row,
    task_row,
)
from .rule_edits import RulesPart
from .store_part import StoreCore, StorePart
from .text import clean, fold

# What a sent report does not state: these stay editable on a reported item.
_FREE_FIELDS = frozenset({"lead_agency", "partners", "note", "group_id", "position"})


class PlanPart(StorePart):
    """`store.plan`: the office, the plan header and the plan's items."""

    def __init__(self, core: StoreCore, rules: RulesPart) -> None:
        super().__init__(core)
        self.rules = rules

    # -- office and plan header -----------------------------------------------
    def office(self) -> Office:
        return office_from_row(self.db.get("office", 1))

    def update_office(self, office: Office) -> Change:
        with self.transaction():
            old = dict(self.db.table("office").get(1))
            new = office_row(office)
            fields = self.audit.record_diff("office", 1, old, new)
            if fields:
                self.db.table("office").update(1, new)
        return Change(Subject.OFFICE, 1, fields=fields)

    def info(self) -> PlanInfo:
        return plan_info_from_row(self.db.get("plan_info", 1))

    def update_info(self, info: PlanInfo) -> Change:
        with self.transaction():
            old = dict(self.db.table("plan_info").get(1))
            new = plan_info_row(info)
            fields = self.audit.record_diff("plan_info", 1, old, new)
            if fields:
                self.db.table("plan_info").update(1, new)
        return Change(Subject.PLAN_INFO, 1, fields=fields)

    # -- the whole plan ---------------------------------------------------------
    def load(self) -> Plan:
        """The whole plan as plain objects, with its rules (one read, no writes)."""
        targets: dict[int, dict] = {}
        for row in self.db.query("SELECT * FROM target ORDER BY indicator_id, year"):
            targets.setdefault(row["indicator_id"], {})[row["year"]] = target_from_row(row)
        indicators: dict[int, list] = {}
        for row in self.db.query("SELECT * FROM indicator ORDER BY group_id, position, id"):
            indicators.setdefault(row["group_id"], []).append(
                indicator_from_row(row, targets.get(row["id"], {}))
            )
        tasks: dict[int, list] = {}
        for row in self.db.query("SELECT * FROM task ORDER BY group_id, position, id"):
            tasks.setdefault(row["group_id"], []).append(task_from_row(row))
        return Plan(
            office=self.office(),
            info=self.info(),
            indicator_groups=[
                IndicatorGroup(r["code"], r["title"], indicators.get(r["id"], []), r["id"])
                for r in self.db.query("SELECT * FROM indicator_group ORDER BY position, id")
            ],
            # in their appendix's order first: a group added later to Phụ lục II stays in it
            task_groups=[
                TaskGroup(r["code"], r["title"], tasks.get(r["id"], []), r["id"], r["appendix"])
                for r in self.db.query(
                    "SELECT g.* FROM task_group g LEFT JOIN task_appendix a ON a.code = g.appendix "
                    "ORDER BY coalesce(a.position, 0), g.position, g.id"
                )
            ],
            rules=self.rules.validation_rules(),
            outlier_share=self.rules.outlier_share(),
            path_tolerance=self.rules.path_tolerance(),
            agencies=load_agencies(self.db),
            archived=frozenset(
                (table, r["id"])
                for table in ("indicator", "task")
                for r in self.db.query(f"SELECT id FROM {table} WHERE archived_at IS NOT NULL")
            ),
            task_appendices=self.appendices(),
        )

    def appendices(self) -> list[TaskAppendix]:
        return [TaskAppendix(r["code"], r["title"])
                for r in self.db.query("SELECT * FROM task_appendix ORDER BY position")]  # fmt: skip

    def set_appendices(self, appendices: list[TaskAppendix]) -> None:
        """The plan's task appendices, in order (an import states them all at once)."""
        with self.transaction():
            old = self.appendices()
            if old == list(appendices):
                return
            self.db.execute("DELETE FROM task_appendix")
            for pos, a in enumerate(appendices):
                self.db.table("task_appendix").insert(
                    {"code": a.code, "title": a.title, "position": pos}
                )
            # a group of an appendix no longer listed: in the last one (none: no appendix)
            codes = [a.code for a in appendices]
            self.db.execute(
                f"UPDATE task_group SET appendix = ? WHERE appendix NOT IN "
                f"({', '.join('?' * len(codes))})",
                [codes[-1] if codes else "", *codes],
            )
            self.audit.record("task_appendix", 0, "*",
                              [[a.code, a.title] for a in old] or None,
                              [[a.code, a.title] for a in appendices] or None, "update")  # fmt: skip

    def insert_groups(self, plan: Plan) -> None:
        """Insert all groups and items of `plan`, filling in their new ids."""
        for gpos, group in enumerate(plan.indicator_groups):
            group.id = (
                self.db.table("indicator_group")
                .insert({"code": group.code, "title": group.title, "position": gpos})
                .last_pk
            )
            self.audit.record("indicator_group", group.id, "*", None, group.title, "insert")
            for pos, ind in enumerate(group.indicators):
                row = {"group_id": group.id, "position": pos, **indicator_row(ind)}
                ind.id = self.db.table("indicator").insert(row).last_pk
                self.audit.record("indicator", ind.id, "*", None, row, "insert")
                for year, target in ind.targets.items():
                    self.db.table("target").insert(
                        {"indicator_id": ind.id, "year": int(year), **target_row(target)}
                    )
        for apos, appendix in enumerate(plan.task_appendices):
            self.db.table("task_appendix").insert(
                {"code": appendix.code, "title": appendix.title, "position": apos}
            )
        for gpos, tgroup in enumerate(plan.task_groups):
            tgroup.id = (
                self.db.table("task_group")
                .insert(
                    {
                        "code": tgroup.code,
                        "title": tgroup.title,
                        "position": gpos,
                        "appendix": tgroup.appendix,
                    }
                )  # fmt: skip
                .last_pk
            )
            self.audit.record("task_group", tgroup.id, "*", None, tgroup.title, "insert")
            for pos, task in enumerate(tgroup.tasks):
                row = {"group_id": tgroup.id, "position": pos, **task_row(task)}
                task.id = self.db.table("task").insert(row).last_pk
                self.audit.record("task", task.id, "*", None, row, "insert")

    # -- search ---------------------------------------------------------------------
    def search_indicators(self, query: str) -> list[int]:
        """Ids of indicators whose name or code contains `query`, ignoring accents and case."""
        return self._search("indicator", query)

    def search_tasks(self, query: str) -> list[int]:
        return self._search("task", query)

    def _search(self, table: str, query: str) -> list[int]:
        needle = fold(query)
        if not needle:
            return [r["id"] for r in self.db.query(f"SELECT id FROM {table} ORDER BY id")]
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql = (
            f"SELECT id FROM {table} WHERE name_folded LIKE ? ESCAPE '\\' "
            f"OR fold(code) = ? OR fold(coalesce(lead_agency, '')) LIKE ? ESCAPE '\\' ORDER BY id"
        )
        return [r["id"] for r in self.db.query(sql, [pattern, needle, pattern])]

    # -- groups ----------------------------------------------------------------
    def add_group(self, table: str, code: str, title: str, appendix: str = "") -> int:
        """Add an indicator or task group (`table` is indicator_group or task_group; a task
        group belongs to the task appendix coded `appendix`, "" in a plan of one)."""
        self._check_group_table(table)
        title_clean = clean(title)
        if not title_clean:
            raise UserError("Tên nhóm không được để trống.")
        appendices = self.appendices() if table == "task_group" else []
        if appendices and not appendix:
            appendix = appendices[-1].code  # a group added without a choice: the last appendix
        elif appendix:
            known = {a.code.upper(): a.code for a in appendices}
            if appendix.strip().upper() not in known:
                listed = ", ".join(known.values()) or "chưa có phụ lục nào"
                raise UserError(f"Kế hoạch không có Phụ lục {appendix} (có: {listed}).", "missing")
            appendix = known[appendix.strip().upper()]
        with self.transaction():
            position = self.db.execute(
                f"SELECT coalesce(max(position), -1) + 1 FROM {table}"
            ).fetchone()[0]
            gid = cast(
                int,
                self.db.table(table)
                .insert(
                    {
                        "code": clean(code) or "",
                        "title": title_clean,
                        "position": position,
                        **({"appendix": appendix} if table == "task_group" else {}),
                    }
                )  # fmt: skip
                .last_pk,
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
                self.db.table(table).update(
                    group_id, {"code": clean(code) or "", "title": title_clean}
                )
        return Change(Subject(table), group_id, fields=fields)

    def delete_group(self, table: str, group_id: int) -> Change:
        """Delete a group with all its items (and their period entries)."""
        self._check_group_table(table)
        item_table = "indicator" if table == "indicator_group" else "task"
        with self.transaction():
            first = self._first_of_step()
            old = self._get(table, group_id)
            for row in self.db.query(f"SELECT id FROM {item_table} WHERE group_id = ?", [group_id]):
                self._delete_item(item_table, row["id"])
            self.db.table(table).delete(group_id)
            # The whole row, so undo can put the group back with its id and position.
            self.audit.record(table, group_id, "*", dict(old), None, "delete")
            noun = "nhóm chỉ tiêu" if table == "indicator_group" else "nhóm nhiệm vụ"
            self._end_step(first, f"xóa {noun} {old['code'] or old['title']}".rstrip())
        return Change(Subject(table), group_id, action=Action.DELETE)

    def _first_of_step(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM audit").fetchone()[0])

    def _end_step(self, first: int, label: str) -> None:
        """Mark the audit entries from `first` on as one undo step (undo.py): a structural
        delete comes back whole with one Ctrl+Z — the item, its targets, entries, rules."""
        self.audit.record("step", first, "*", None, label, "step")

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
            iid = cast(int, self.db.table("indicator").insert(row).last_pk)
            self.audit.record("indicator", iid, "*", None, row, "insert")
            for year, target in indicator.targets.items():
                self.set_target(iid, int(year), target)
        return iid

    def update_indicator(self, indicator_id: int, **changes: Any) -> Change:
        """Change fields of an indicator: name, code, unit, kind, direction,
        baseline (a Baseline), lead_agency, note, measure (level or per year), group_id."""
        allowed = {"name", "code", "unit", "kind", "direction", "baseline", "lead_agency", "note",
                   "measure"}  # fmt: skip
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
            if fields - _FREE_FIELDS:
                self._refuse_if_reported("indicator", indicator_id, "sửa")
            if fields:
                self.db.table("indicator").update(indicator_id, new)
        return Change(Subject.INDICATOR, indicator_id, fields=fields)

    def _indicator(self, indicator_id: int) -> Indicator:
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
                    return Change(Subject.TARGET, key)
                self.db.execute(
                    "DELETE FROM target WHERE indicator_id = ? AND year = ?", [indicator_id, year]
                )
                self.audit.record("target", key, "*", old, None, "delete")
                return Change(Subject.TARGET, key, action=Action.DELETE)
            new = target_row(target)
            if old is None:
                self.db.table("target").insert({"indicator_id": indicator_id, "year": year, **new})
                self.audit.record("target", key, "*", None, new, "insert")
                return Change(Subject.TARGET, key, fields=frozenset(new), action=Action.INSERT)
            fields = self.audit.record_diff("target", key, old, new)
            if fields:
                self.db.table("target").update((indicator_id, year), new)
        return Change(Subject.TARGET, key, fields=fields)

    def delete_indicator(self, indicator_id: int) -> Change:
        with self.transaction():
            first = self._first_of_step()
            code = self._get("indicator", indicator_id)["code"]
            self._delete_item("indicator", indicator_id)
            self._end_step(first, f"xóa chỉ tiêu {code}")
        return Change(Subject.INDICATOR, indicator_id, action=Action.DELETE)

    # -- tasks ----------------------------------------------------------------
    def add_task(self, group_id: int, task: Task) -> int:
        with self.transaction():
            self._get("task_group", group_id)
            row = {
                "group_id": group_id,
                "position": self._next_position("task", group_id),
                **task_row(task),
            }
            tid = cast(int, self.db.table("task").insert(row).last_pk)
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
            old = dict(self._get("task", task_id))
            current = task_from_row(old)
            new = task_row(replace(current, **{k: v for k, v in changes.items() if k in allowed}))
            if "group_id" in changes:
                self._get("task_group", changes["group_id"])
                new["group_id"] = changes["group_id"]
            fields = self.audit.record_diff("task", task_id, old, new)
            if fields - _FREE_FIELDS:
                self._refuse_if_reported("task", task_id, "sửa")
            if fields:
                self.db.table("task").update(task_id, new)
        return Change(Subject.TASK, task_id, fields=fields)

    def delete_task(self, task_id: int) -> Change:
        with self.transaction():
            first = self._first_of_step()
            code = self._get("task", task_id)["code"]
            self._delete_item("task", task_id)
            self._end_step(first, f"xóa nhiệm vụ {code}")
        return Change(Subject.TASK, task_id, action=Action.DELETE)

    # -- sent is sent ------------------------------------------------------------------
    def locked_periods(self, table: str, item_id: int) -> list[str]:
        """Ids of the closed or sent periods that hold an entry of this indicator or task."""
        entries = "indicator_value" if table == "indicator" else "task_progress"
        column = "indicator_id" if table == "indicator" else "task_id"
        return [
            r["period_id"]
            for r in self.db.query(
                f"SELECT DISTINCT e.period_id FROM {entries} e JOIN period_state s "
                f"ON s.period_id = e.period_id WHERE e.{column} = ? AND s.state != 'open' "
                "ORDER BY e.period_id",
                [item_id],
            )
        ]

    def _refuse_if_reported(self, table: str, item_id: int, doing: str) -> None:
        """A closed or sent report states this item: it may not change or vanish under it."""
        periods = self.locked_periods(table, item_id)
        if not periods:
            return
        row = self._get(table, item_id)
        noun = "Chỉ tiêu" if table == "indicator" else "Nhiệm vụ"
        labels = ", ".join(self.core.period(p).label for p in periods)
        raise UserError(
            f"{noun} {row['code']} đã có số liệu trong kỳ đã chốt hoặc đã gửi ({labels}), "
            f"không {doing} được. Hãy lưu trữ {noun.lower()} này: nó không hiện ở các kỳ mới, "
            "các kỳ cũ vẫn giữ nguyên.",
            "reported",
        )

    def set_archived(self, table: str, item_id: int, archived: bool) -> Change:
        """Archive (or bring back) an indicator or task: hidden from periods without its
        entries, kept in every period that reports it. Audited, so undoable."""
        if table not in ("indicator", "task"):
            raise ValueError(table)
        with self.transaction():
            old = self._get(table, item_id)
            new = {"archived_at": (old["archived_at"] or now_iso()) if archived else None}
            fields = self.audit.record_diff(
                table, item_id, {"archived_at": old["archived_at"]}, new
            )
            if fields:
                self.db.table(table).update(item_id, new)
        return Change(Subject(table), item_id, fields=fields)

    def _delete_item(self, table: str, item_id: int) -> None:
        """Delete an indicator or task and everything hanging off it, all audited."""
        self._refuse_if_reported(table, item_id, "xóa")
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
            for r in self.db.query("SELECT * FROM attachment WHERE task_id = ?", [item_id]):
                # The content too (base64), so undoing the delete brings the file back.
                row = {**r, "content": base64.b64encode(bytes(r["content"])).decode("ascii")}
                self.audit.record("attachment", r["id"], "*", row, None, "delete")
            self.db.execute("DELETE FROM task_progress WHERE task_id = ?", [item_id])
            self.db.execute("DELETE FROM attachment WHERE task_id = ?", [item_id])
        self.db.table(table).delete(item_id)
        self.audit.record(table, item_id, "*", dict(old), None, "delete")
