"""The audit history: who changed what, when, from which value to which.

Every write through the store records here in the same transaction, so an
edit and its audit entry are committed together or not at all. Values are
stored as JSON text so that numbers, booleans and text read back exactly.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .sql import Database


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some service contexts
        return "không rõ"


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    os_user: str
    table: str
    row_key: str
    field: str
    old: Any
    new: Any
    action: str  # insert | update | delete
    source: str | None = None  # where the value came from: "Công an xã, tệp …, nhận ngày …"


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.user = os_user()
        self.source: str | None = None

    @contextmanager
    def sourced(self, source: str) -> Iterator[None]:
        """Every entry recorded inside says where its value came from (a returned form)."""
        before, self.source = self.source, source
        try:
            yield
        finally:
            self.source = before

    def record(
        self, table: str, key: object, field: str, old: Any, new: Any, action: str = "update"
    ) -> None:
        row = {
            "at": now_iso(),
            "os_user": self.user,
            "table_name": table,
            "row_key": str(key),
            "field": field,
            "old": to_json(old),
            "new": to_json(new),
            "action": action,
            **({"source": self.source} if self.source else {}),
        }
        # a plain INSERT: sqlite_utils' insert reads the table's schema again on every call
        # (two queries per entry; an ingest of 3,000 packages writes 3,000 entries)
        marks = ", ".join("?" * len(row))
        self.db.execute(
            f"INSERT INTO audit ({', '.join(row)}) VALUES ({marks})", list(row.values())
        )

    def record_diff(
        self, table: str, key: object, old: dict[str, Any], new: dict[str, Any]
    ) -> frozenset[str]:
        """Record one entry per field that differs; returns the changed field names."""
        changed = [f for f in new if old.get(f) != new.get(f)]
        for f in changed:
            self.record(table, key, f, old.get(f), new.get(f))
        return frozenset(changed)

    def history(
        self, limit: int = 200, table: str | None = None, row_key: str | None = None
    ) -> list[AuditEntry]:
        where, args = [], []
        if table:
            where.append("table_name = ?")
            args.append(table)
        if row_key:
            where.append("row_key = ?")
            args.append(row_key)
        sql = "SELECT * FROM audit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC LIMIT ?"
        return [
            AuditEntry(
                r["id"],
                r["at"],
                r["os_user"],
                r["table_name"],
                r["row_key"],
                r["field"],
                from_json(r["old"]),
                from_json(r["new"]),
                r["action"],
                r.get("source"),
            )  # fmt: skip
            for r in self.db.query(sql, [*args, limit])
        ]
