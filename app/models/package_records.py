"""What the data file remembers about signed packages: the office id and every export.

The office id is a random UUID made at the first export and kept in the data
file, so it survives key rotation and renaming the office; the province sees
the same id on every package. Each export of a period takes the next sequence
number, so a corrected report is recognisably newer than the first one sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .audit import now_iso
from .period_states import ClosingPart
from .store_part import StoreCore, StorePart

OFFICE_ID_KEY = "office_id"


@dataclass(frozen=True)
class PackageRecord:
    """One package written to disk (the file may since have been moved or sent)."""

    period_id: str
    sequence: int
    path: Path
    sha256: str
    fingerprint: str
    created_at: str
    size: int = 0

    @property
    def file_name(self) -> str:
        return self.path.name


class PackagesPart(StorePart):
    """`store.packages`: the office id and every package exported."""

    def __init__(self, core: StoreCore, closing: ClosingPart) -> None:
        super().__init__(core)
        self.closing = closing

    def office_uid(self, create: bool = True) -> str | None:
        """The office's stable id; made (and stored) on first use unless `create` is False."""
        rows = list(self.db.query("SELECT value FROM meta WHERE key = ?", [OFFICE_ID_KEY]))
        if rows:
            return rows[0]["value"]
        if not create:
            return None
        import uuid  # once per data file: not worth importing on every open

        value = str(uuid.uuid4())
        with self.db.atomic():
            self.db.table("meta").insert({"key": OFFICE_ID_KEY, "value": value})
            self.audit.record("meta", OFFICE_ID_KEY, "value", None, value, "insert")
        return value

    def next_package_sequence(self, period_id: str) -> int:
        """One more than any sequence recorded or reserved for the period (never reused)."""
        row = self.db.execute(
            "SELECT max(s) FROM (SELECT max(sequence) AS s FROM package_export WHERE period_id = ?"
            " UNION ALL SELECT max(sequence) FROM package_reservation WHERE period_id = ?)",
            [period_id, period_id],
        ).fetchone()
        return (row[0] or 0) + 1

    def reserve_sequence(
        self, period_id: str, sequence: int, path: Path, extra: dict[str, Any]
    ) -> None:
        """Take `sequence` before the package is written (committed at once), see schema."""
        row = {"period_id": period_id, "sequence": sequence, "path": str(path),
               "reserved_at": now_iso(), "extra": json.dumps(extra, ensure_ascii=False,
                                                             sort_keys=True), "done": 0}  # fmt: skip
        with self.db.atomic():
            self.db.table("package_reservation").insert(row, replace=True)

    def open_reservations(self, period_id: str) -> list[tuple[int, Path, dict[str, Any]]]:
        """(sequence, path, extra) of reservations whose package was never recorded."""
        rows = self.db.execute(
            "SELECT sequence, path, extra FROM package_reservation WHERE period_id = ? AND done = 0"
            " AND sequence NOT IN (SELECT sequence FROM package_export WHERE period_id = ?)"
            " ORDER BY sequence",
            [period_id, period_id],
        ).fetchall()
        return [(r[0], Path(r[1]), json.loads(r[2] or "{}")) for r in rows]

    def close_reservation(self, period_id: str, sequence: int) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE package_reservation SET done = 1 WHERE period_id = ? AND sequence = ?",
                [period_id, sequence],
            )

    def record_package(
        self,
        period_id: str,
        sequence: int,
        path: Path,
        sha256: str,
        fingerprint: str,
        size: int,
        created_at: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> PackageRecord:
        """Remember an export (hash, time, where it was written), with an audit entry.

        `extra` holds what package.json said (kind, corrects, changes, completeness)
        and the snapshot of the data sent; the period becomes *sent*.
        """
        extra = extra or {}
        row = {
            "period_id": period_id,
            "sequence": sequence,
            "path": str(path),
            "file_name": Path(path).name,
            "size": size,
            "sha256": sha256,
            "fingerprint": fingerprint,
            "created_at": created_at or now_iso(),
        }
        stored = {k: _json(extra.get(k)) for k in ("kind", "changes", "completeness", "snapshot")}
        with self.db.atomic():
            pk = (
                self.db.table("package_export")
                .insert({**row, **stored, "corrects": extra.get("corrects")})
                .last_pk
            )
            self.audit.record("package_export", pk, "*", None, row, "insert")
            self.db.execute(
                "UPDATE package_reservation SET done = 1 WHERE period_id = ? AND sequence = ?",
                [period_id, sequence],
            )
            self.closing.mark_sent(period_id)
        return _record(row)

    def exported_packages(self, period_id: str | None = None) -> list[PackageRecord]:
        """Packages exported, oldest first; only those of `period_id` when given."""
        sql = "SELECT * FROM package_export"
        params: list[str] = []
        if period_id is not None:
            sql += " WHERE period_id = ?"
            params.append(period_id)
        return [_record(r) for r in self.db.query(sql + " ORDER BY id", params)]


def _json(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _record(row: dict) -> PackageRecord:
    return PackageRecord(
        period_id=row["period_id"],
        sequence=row["sequence"],
        path=Path(row["path"]),
        sha256=row["sha256"],
        fingerprint=row["fingerprint"],
        created_at=row["created_at"],
        size=row["size"] or 0,
    )
