"""The office's data file: one SQLite file holding the plan and every period's entries.

`Store` owns the connection, transactions and the audit log, and carries the
features of the data file as parts (composition, like Anki's `col.decks`):

- `store.plan` — office, plan header, groups, indicators, targets, tasks, search;
- `store.rules` — validation rules and the outlier share;
- `store.entries` — values, task progress, narrative, evidence of each period;
- `store.closing` — period states: close, reopen, corrections;
- `store.packages` — the office id and the packages exported;
- `store.regime` — the reporting regime and the reports created by hand (ad hoc);
- `store.agencies` — the agencies reporting to the office, their links and returns.
- `store.register` — the outgoing register (numbers given) and the signing images.

Every write runs in one transaction together with its audit entries and
returns a `Change` saying what changed. The period checks read the file
through `StoreReader`, a narrow read-only view (entry_reader.EntryReader).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from .agency import AgenciesPart
from .appendix_edits import AppendicesPart
from .atomic_file import disk_error_message, fsync_dir
from .audit import AuditEntry
from .database import open_database, unfinished_data_file
from .errors import UserError
from .outgoing_register import RegisterPart
from .package_records import PackagesPart
from .period_entries import EntriesPart
from .period_states import ClosingPart
from .periods import Period
from .plan import DEFAULT_OUTLIER_SHARE, DEFAULT_PATH_TOLERANCE, Office, Plan, PlanInfo
from .plan_edits import PlanPart
from .progress import IndicatorValue, NarrativeSection, TaskProgress
from .regime import period_of
from .regime_store import RegimePart
from .rows import office_row, plan_info_row
from .rule_edits import RulesPart
from .store_part import StoreCore


class StoreReader:
    """What the checks and snapshots read, and nothing else (entry_reader.EntryReader)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def load_plan(self) -> Plan:
        return self._store.plan.load()

    def indicator_values(self, period_id: str) -> dict[int, IndicatorValue]:
        return self._store.entries.indicator_values(period_id)

    def all_values(self) -> dict[str, dict[int, Any]]:
        return self._store.entries.all_values()

    def task_progress(self, period_id: str) -> dict[int, TaskProgress]:
        return self._store.entries.task_progress(period_id)

    def updated_tasks(self, period_id: str) -> set[int]:
        sql = "SELECT task_id FROM task_progress WHERE period_id = ? AND status IS NOT NULL"
        return {r["task_id"] for r in self._store.db.query(sql, [period_id])}

    def narrative(self, period_id: str) -> dict[NarrativeSection, str]:
        return self._store.entries.narrative(period_id)

    def has_rules(self) -> bool:
        return bool(list(self._store.db.query("SELECT 1 FROM validation_rule LIMIT 1")))

    def period(self, period_id: str) -> Period:
        return self._store.period(period_id)

    def indicator_brief(self, indicator_id: int) -> tuple[str, str, str]:
        row = self._store.db.get("indicator", indicator_id)
        return row["code"], row["name"], row["kind"]


class Store(StoreCore):
    def __init__(self, db: Any, path: Path) -> None:
        super().__init__(db, path)
        self.reader = StoreReader(self)
        self.rules = RulesPart(self)
        self.plan = PlanPart(self, self.rules)
        self.appendices = AppendicesPart(self)
        self.closing = ClosingPart(self, self.reader)
        self.entries = EntriesPart(self, self.closing)
        self.packages = PackagesPart(self, self.closing)
        self.regime = RegimePart(self)
        self.agencies = AgenciesPart(self)
        self.register = RegisterPart(self)

    def period(self, period_id: str) -> Period:
        """The period an id names in this file's plan: its regime's due date and data
        window; an ad-hoc or review report by its id (`2026-A01`)."""
        return period_of(self.regime.regime_info(), period_id)

    # -- opening -----------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str) -> Store:
        path = Path(path)
        store = cls(open_database(path), path)
        if store.db.count("office") == 0:
            store.close()
            raise UserError(f"Tệp '{path}' chưa có thông tin đơn vị (tệp tạo dở?).", "empty")
        return store

    @classmethod
    def create(cls, path: Path | str, office: Office, plan: Plan | None = None) -> Store:
        """Create a new data file for `office`, optionally holding `plan`.

        The file is built under a hidden temporary name beside `path` and renamed
        into place once whole, so a kill or power cut while creating leaves no
        half-made file at `path` (the temporary is cleaned on the next try). A file
        left at `path` by an older version killed while creating — ours, with no
        office yet, so holding nothing — is replaced (`unfinished_data_file`).
        """
        path = Path(path)
        if path.exists() and unfinished_data_file(path):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        if path.exists():
            raise UserError(f"Tệp '{path}' đã có; chọn tên khác để tạo tệp dữ liệu mới.", "exists")
        path.parent.mkdir(parents=True, exist_ok=True)
        building = path.with_name(f".{path.name}.creating.tmp")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(building) + suffix).unlink(missing_ok=True)
        made = cls._build(building, office, plan)
        try:
            made.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            made.close()
            os.replace(building, path)
            fsync_dir(path.parent)
        except OSError as exc:
            building.unlink(missing_ok=True)
            raise UserError(disk_error_message(exc, path), "disk") from None
        return cls.open(path)

    @classmethod
    def _build(cls, path: Path, office: Office, plan: Plan | None) -> Store:
        db = open_database(path, create=True)
        store = cls(db, path)
        try:
            with store.transaction():
                db.table("office").insert({"id": 1, **office_row(office)})
                info = plan.info if plan else PlanInfo(number="", title="")
                db.table("plan_info").insert({"id": 1, **plan_info_row(info)})
                if plan:
                    store.plan.insert_groups(plan)
                    store._insert_rules(plan)
                    for report in plan.info.ad_hoc:  # kept under their own ids
                        store.regime.add_ad_hoc(report)
                    for agency in plan.agencies:
                        store.agencies.add(agency)
                    if plan.agencies:
                        store.agencies.relink(plan)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
            raise
        return store

    def _insert_rules(self, plan: Plan) -> None:
        """The plan's validation rules, their indicators named by code (first match)."""
        for i, rule in enumerate(plan.rules):
            try:
                rule.id = self.rules.add_rule(replace(rule, indicator_id=None, other_id=None))
            except UserError as exc:
                raise UserError(f"validation.rules[{i}]: {exc.message}") from None
        if plan.outlier_share != DEFAULT_OUTLIER_SHARE:
            self.rules.set_outlier_share(plan.outlier_share)
        if plan.path_tolerance != DEFAULT_PATH_TOLERANCE:
            self.rules.set_path_tolerance(plan.path_tolerance)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- history ------------------------------------------------------------------
    def history(self, limit: int = 200, **filters: Any) -> list[AuditEntry]:
        return self.audit.history(limit, **filters)
