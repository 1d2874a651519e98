"""The office's data file: one SQLite file holding the plan and every period's entries.

Every write goes through a method here (or in the mixins it combines), runs in
one transaction together with its audit entries, and returns a `Change` that
says what changed, so a view can redraw exactly those cells.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlite_utils

from .audit import AuditEntry, AuditLog
from .change import Change
from .database import open_database
from .errors import UserError
from .package_records import PackageRecords
from .period_entries import PeriodEntries
from .period_states import PeriodClosing
from .plan import (
    DEFAULT_OUTLIER_SHARE,
    IndicatorGroup,
    Office,
    Plan,
    PlanInfo,
    TaskGroup,
)
from .plan_edits import PlanEdits
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
from .rule_edits import RuleEdits
from .text import fold


class Store(PlanEdits, PeriodEntries, PackageRecords, RuleEdits, PeriodClosing):
    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = Path(path)
        self.audit = AuditLog(db)

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path)
        store = cls(open_database(path), path)
        if store.db["office"].count == 0:
            store.close()
            raise UserError(f"Tệp '{path}' chưa có thông tin đơn vị (tệp tạo dở?).", "empty")
        return store

    @classmethod
    def create(cls, path: Path | str, office: Office, plan: Plan | None = None) -> Store:
        """Create a new data file for `office`, optionally holding `plan`, in one transaction."""
        path = Path(path)
        db = open_database(path, create=True)
        store = cls(db, path)
        try:
            with store.transaction():
                db["office"].insert({"id": 1, **office_row(office)})
                info = plan.info if plan else PlanInfo(number="", title="")
                db["plan_info"].insert({"id": 1, **plan_info_row(info)})
                if plan:
                    store._insert_groups(plan)
                    store._insert_rules(plan)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One all-or-nothing unit of work; nests as a savepoint."""
        with self.db.atomic():
            yield

    # -- office and plan header -----------------------------------------------
    def office(self) -> Office:
        return office_from_row(self.db["office"].get(1))

    def update_office(self, office: Office) -> Change:
        with self.transaction():
            old = dict(self.db["office"].get(1))
            new = office_row(office)
            fields = self.audit.record_diff("office", 1, old, new)
            if fields:
                self.db["office"].update(1, new)
        return Change("office", "1", fields)

    def plan_info(self) -> PlanInfo:
        return plan_info_from_row(self.db["plan_info"].get(1))

    def update_plan_info(self, info: PlanInfo) -> Change:
        with self.transaction():
            old = dict(self.db["plan_info"].get(1))
            new = plan_info_row(info)
            fields = self.audit.record_diff("plan_info", 1, old, new)
            if fields:
                self.db["plan_info"].update(1, new)
        return Change("plan_info", "1", fields)

    # -- the whole plan ---------------------------------------------------------
    def load_plan(self) -> Plan:
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
            info=self.plan_info(),
            indicator_groups=[
                IndicatorGroup(r["code"], r["title"], indicators.get(r["id"], []), r["id"])
                for r in self.db.query("SELECT * FROM indicator_group ORDER BY position, id")
            ],
            task_groups=[
                TaskGroup(r["code"], r["title"], tasks.get(r["id"], []), r["id"])
                for r in self.db.query("SELECT * FROM task_group ORDER BY position, id")
            ],
            rules=self.validation_rules(),
            outlier_share=self.outlier_share(),
        )

    def _insert_rules(self, plan: Plan) -> None:
        """The plan's validation rules, their indicators named by code (first match)."""
        for i, rule in enumerate(plan.rules):
            try:
                rule.id = self.add_rule(replace(rule, indicator_id=None, other_id=None))
            except UserError as exc:
                raise UserError(f"validation.rules[{i}]: {exc.message}") from None
        if plan.outlier_share != DEFAULT_OUTLIER_SHARE:
            self.set_outlier_share(plan.outlier_share)

    def _insert_groups(self, plan: Plan) -> None:
        """Insert all groups and items of `plan`, filling in their new ids."""
        for gpos, group in enumerate(plan.indicator_groups):
            group.id = (
                self.db["indicator_group"]
                .insert({"code": group.code, "title": group.title, "position": gpos})
                .last_pk
            )
            self.audit.record("indicator_group", group.id, "*", None, group.title, "insert")
            for pos, ind in enumerate(group.indicators):
                row = {"group_id": group.id, "position": pos, **indicator_row(ind)}
                ind.id = self.db["indicator"].insert(row).last_pk
                self.audit.record("indicator", ind.id, "*", None, row, "insert")
                for year, target in ind.targets.items():
                    self.db["target"].insert(
                        {"indicator_id": ind.id, "year": int(year), **target_row(target)}
                    )
        for gpos, tgroup in enumerate(plan.task_groups):
            tgroup.id = (
                self.db["task_group"]
                .insert({"code": tgroup.code, "title": tgroup.title, "position": gpos})
                .last_pk
            )
            self.audit.record("task_group", tgroup.id, "*", None, tgroup.title, "insert")
            for pos, task in enumerate(tgroup.tasks):
                row = {"group_id": tgroup.id, "position": pos, **task_row(task)}
                task.id = self.db["task"].insert(row).last_pk
                self.audit.record("task", task.id, "*", None, row, "insert")

    # -- search and history -------------------------------------------------------
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

    def history(self, limit: int = 200, **filters: Any) -> list[AuditEntry]:
        return self.audit.history(limit, **filters)
