"""The receiving office's data file: reporting offices, their trusted keys, packages received.

A receiving file is an ordinary data file whose office row has mode
'receiving' (the same application opens both kinds). This module keeps what
the province needs about the offices reporting to it; verifying a package
and reading its contents live in app/exporters (consolidation_ingest), which
hands the outcome here to be recorded in one transaction.

Which package counts for an office and period is decided here, against what
is already recorded: the newest valid sequence is *accepted*, the one it
replaces becomes *superseded*, and a package whose sequence is not newer than
the accepted one is *rejected as a replay*. Only accepted packages feed the
consolidated data; superseded ones keep their data for the office's history.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from ..models.audit import now_iso
from ..models.errors import UserError
from ..models.plan import Office, OfficeMode, Plan
from ..models.store import Store
from ..models.text import clean, fold
from ..packages.signing_keys import fingerprint_of, load_public, raw_public


class PackageStatus(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    REPLAY = "replay"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {
            "accepted": "Đã chấp nhận",
            "superseded": "Đã được thay thế bằng lần gửi mới hơn",
            "replay": "Từ chối: gửi lại gói cũ",
            "rejected": "Từ chối",
        }[self.value]

    @property
    def valid(self) -> bool:
        return self in (PackageStatus.ACCEPTED, PackageStatus.SUPERSEDED)


@dataclass(frozen=True)
class ReportingOffice:
    id: int
    name: str
    level: str | None = None
    code: str | None = None
    uid: str | None = None  # the office id its packages carry, known from its first package


@dataclass(frozen=True)
class TrustedKey:
    id: int
    public_key: bytes
    fingerprint: str
    office_id: int | None
    source: str | None = None
    rotated_from: str | None = None  # fingerprint of the key whose rotation statement named it
    retired_at: str | None = None  # when a rotation statement replaced it (key_binding)


@dataclass(frozen=True)
class ReceivedPackage:
    id: int
    sha256: str
    file_name: str
    path: str
    size: int
    office_id: int | None
    office_uid: str | None
    office_name: str | None
    period_id: str | None
    sequence: int | None
    created_at: str | None
    received_at: str
    due: str | None
    late: bool | None
    status: PackageStatus
    reason_code: str | None
    reason: str | None
    fingerprint: str | None
    kind: str = "original"  # original | correction (package.json "kind")
    corrects: int | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    completeness: dict[str, int] | None = None
    flags: list[str] = field(default_factory=list)  # e.g. "missing_original" (FLAG_LABELS)

    @property
    def flag_text(self) -> str:
        """ "thiếu bản gốc" and the like, for the log and the lists ("" when none)."""
        return ", ".join(FLAG_LABELS.get(f, f) for f in self.flags)

    @property
    def is_correction(self) -> bool:
        return self.kind == "correction"

    @property
    def completeness_text(self) -> str:
        """The line "Đã cập nhật 50/52 chỉ tiêu, …" ("" when the package did not say)."""
        c = self.completeness or {}
        try:
            return (
                f"Đã cập nhật {int(c['indicators_filled'])}/{int(c['indicators_total'])} chỉ tiêu, "
                f"{int(c['tasks_updated'])}/{int(c['tasks_total'])} nhiệm vụ"
            )
        except (KeyError, TypeError, ValueError):
            return ""


FLAG_LABELS = {"missing_original": "thiếu bản gốc"}


@dataclass(frozen=True)
class Decision:
    """What the receiving rules (rules.decide) make of an arrival."""

    status: PackageStatus
    office_id: int | None
    reason_code: str | None = None
    reason: str | None = None
    supersedes: int | None = None
    flags: tuple[str, ...] = ()


@dataclass
class Arrival:
    """What ingest learnt about one package file, to be recorded."""

    sha256: str
    file_name: str
    path: str
    size: int
    ok: bool
    reason_code: str
    reason: str
    office_uid: str | None = None
    office_name: str | None = None
    period_id: str | None = None
    sequence: int | None = None
    created_at: str | None = None
    fingerprint: str | None = None
    public_key: bytes | None = None
    due: str | None = None
    late: bool | None = None
    data: dict[str, Any] | None = None
    data_raw: bytes | None = None  # data.json as signed, stored instead of re-serialising
    data_packed: bytes | None = None  # the same already compressed (by an ingest worker)
    plan_sha: str | None = None
    kind: str | None = None  # from package.json: original | correction
    corrects: int | None = None
    changes: list[dict[str, Any]] | None = None
    completeness: dict[str, int] | None = None


_PACKAGE_COLUMNS = (
    "id, sha256, file_name, path, size, office_id, office_uid, office_name, period_id, "
    "sequence, created_at, received_at, due, late, status, reason_code, reason, fingerprint, "
    "kind, corrects, changes, completeness, flags"
)


class Receiving:
    """The receiving side of a data file (composition: it wraps an open Store)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # -- opening -----------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, office: Office | str, plan: Plan | None = None) -> Receiving:
        """A new receiving data file for `office` (a name, or an Office whose mode is forced)."""
        if isinstance(office, str):
            office = Office(name=office, level="tỉnh")
        office.mode = OfficeMode.RECEIVING
        return cls(Store.create(path, office, plan))

    @classmethod
    def open(cls, path: Path | str) -> Receiving:
        store = Store.open(path)
        if store.plan.office().mode is not OfficeMode.RECEIVING:
            store.close()
            raise UserError(
                f"Tệp '{path}' là tệp dữ liệu của đơn vị báo cáo, không phải tệp của "
                "đơn vị tiếp nhận, tổng hợp.",
                "not_receiving",
            )
        return cls(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Receiving:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reporting offices -----------------------------------------------------------------
    def add_office(
        self, name: str, level: str | None = None, code: str | None = None, uid: str | None = None
    ) -> ReportingOffice:
        """Register a reporting office; an office with the same name (any accents/case) is reused."""
        name = clean(name) or ""
        if not name:
            raise UserError("Tên đơn vị báo cáo không được để trống.", "empty")
        found = self.office_by_name(name)
        if found is not None:
            return found
        row = {"uid": uid, "name": name, "name_folded": fold(name), "level": clean(level),
               "code": clean(code), "added_at": now_iso()}  # fmt: skip
        with self.store.transaction():
            pk = cast(int, self.db.table("recv_office").insert(row).last_pk)
            self.store.audit.record("recv_office", pk, "*", None, row, "insert")
        return self.office(pk)

    def office(self, office_id: int) -> ReportingOffice:
        rows = list(_rows(self.db, "SELECT * FROM recv_office WHERE id = ?", [office_id]))
        if not rows:
            raise UserError(f"Không có đơn vị báo cáo số {office_id}.", "missing")
        return _office(rows[0])

    def office_by_name(self, name: str) -> ReportingOffice | None:
        rows = list(_rows(self.db, "SELECT * FROM recv_office WHERE name_folded = ?", [fold(name)]))
        return _office(rows[0]) if rows else None

    def office_by_uid(self, uid: str) -> ReportingOffice | None:
        rows = list(_rows(self.db, "SELECT * FROM recv_office WHERE uid = ?", [uid]))
        return _office(rows[0]) if rows else None

    def offices(self) -> list[ReportingOffice]:
        """Offices in the order the province sees them: by code when given, then by name."""
        rows = _rows(self.db, "SELECT * FROM recv_office")
        return sorted((_office(r) for r in rows), key=lambda o: (o.code or "~", fold(o.name)))

    # -- trusted keys ----------------------------------------------------------------------
    def trust_key(
        self,
        key: bytes | Path,
        office_id: int | None = None,
        source: str | None = None,
        rotated_from: str | None = None,
    ) -> TrustedKey:
        """Trust a public key (PEM file, PEM bytes or 32 raw bytes); trusting it again is a no-op
        except that a key without an office gets the office given now. A key already bound
        to one office is never moved to another here (that is `rebind_key`, said explicitly)."""
        raw = raw_public(load_public(key))
        existing = self.key(raw)
        with self.store.transaction():
            if existing is not None:
                if existing.office_id is None and office_id is not None:
                    self.db.table("recv_key").update(existing.id, {"office_id": office_id})
                    self.store.audit.record("recv_key", existing.id, "office_id", None, office_id)
                elif office_id is not None and existing.office_id != office_id:
                    raise UserError(
                        f"Khóa {existing.fingerprint} đã được gắn với đơn vị "
                        f"{self.office(existing.office_id).name}; một khóa chỉ thuộc một đơn vị."  # type: ignore[arg-type]
                        " Nếu đơn vị đã đổi khóa, hãy nhận tuyên bố đổi khóa của đơn vị.",
                        "key_bound",
                    )
                return self.key(raw)  # type: ignore[return-value]
            row = {"office_id": office_id, "public_key": raw, "fingerprint": fingerprint_of(raw),
                   "source": source or (Path(key).name if isinstance(key, Path) else None),
                   "rotated_from": rotated_from, "added_at": now_iso()}  # fmt: skip
            pk = self.db.table("recv_key").insert(row).last_pk
            shown = {k: v for k, v in row.items() if k != "public_key"}
            self.store.audit.record("recv_key", pk, "*", None, shown, "insert")
        return self.key(raw)  # type: ignore[return-value]

    def trust_files(
        self,
        paths: list[Path],
        office_id: int | None = None,
        fingerprints: list[str] | None = None,
    ) -> list[TrustedKey]:
        """Trust the public keys in files and folders, then follow rotation statements.

        An office key file (`*.office-key.json`, key_binding) binds its key to
        the office it names, created or found by its office id. A PEM file
        binds its key to `office_id` when given, else to nothing: packages
        signed by an unbound key are refused until the officer says whose it
        is. `fingerprints`, when given, are the ones read over the phone: every
        key trusted directly must be among them, or nothing is trusted.

        A statement (`key-rotation-*.json`, signed by the old key) adds its new
        key for the same office only when the old key is already trusted, and
        retires the old key at the statement's time; one whose old key is
        unknown is refused with a message.
        """
        from ..packages.key_binding import (
            normal_fingerprint,
            read_office_key,
            read_rotation_statement,
            rotation_order,
            statement_kind,
        )

        added: list[TrustedKey] = []
        rotations: list[Path] = []
        bindings = []
        pems: list[tuple[Path, bytes]] = []
        expected = None if fingerprints is None else {normal_fingerprint(f) for f in fingerprints}
        for path in (Path(p) for p in paths):
            items = sorted(path.iterdir()) if path.is_dir() else [path]
            for item in items:
                if item.suffix.lower() == ".json":
                    if statement_kind(item) == "office-key":
                        bindings.append(read_office_key(item))
                    else:
                        rotations.append(item)
                elif item.is_dir():
                    continue
                elif not item.exists():
                    raise UserError(f"Không tìm thấy tệp khóa '{item}'.", "missing")
                elif path.is_dir() and item.suffix.lower() != ".pem":
                    continue
                else:
                    pems.append((item, raw_public(load_public(item))))
        for item, raw in pems:  # every fingerprint is checked before anything is trusted
            _confirm(expected, fingerprint_of(raw), item.name)
        for binding in bindings:
            _confirm(expected, binding.fingerprint, binding.office_name or "")
            if office_id is not None:
                self._check_binding_office(binding, office_id)
        for item, raw in pems:
            added.append(self.trust_key(raw, office_id, source=item.name))
        for binding in bindings:
            added.append(self._trust_binding(binding))
        statements = [read_rotation_statement(p) for p in rotations]
        ordered, never = rotation_order(statements, self.trusted_raw())
        for rotation in ordered:
            old_key = self.key(rotation.old)
            assert old_key is not None  # trusted before, or named by an earlier statement
            added.append(
                self.trust_key(
                    rotation.new,
                    old_key.office_id,
                    rotation.path.name,
                    rotated_from=old_key.fingerprint,
                )  # fmt: skip
            )
            if rotation.rotated_at and old_key.retired_at != rotation.rotated_at:
                with self.store.transaction():
                    update_row(self.db, "recv_key", old_key.id,
                               {"retired_at": rotation.rotated_at})  # fmt: skip
                    self.store.audit.record("recv_key", old_key.id, "retired_at",
                                            old_key.retired_at, rotation.rotated_at)  # fmt: skip
        if never:
            rotation = never[0]
            raise UserError(
                f"Tuyên bố đổi khóa '{rotation.path.name}' được ký bằng khóa "
                f"{fingerprint_of(rotation.old)} chưa có trong danh sách khóa tin cậy; "
                "hãy tin cậy khóa cũ trước.",
                "unknown_old_key",
            )
        return added

    def _check_binding_office(self, binding: Any, office_id: int) -> None:
        """An office key file names its office; trusting it for another one is refused."""
        office = self.office(office_id)
        if office.uid == binding.office_id or (
            office.uid is None and fold(office.name) == fold(binding.office_name)
        ):
            return
        raise UserError(
            f"Tệp khóa ghi khóa của đơn vị {binding.office_name}, không phải {office.name}; "
            "không tin cậy khóa nào. Hãy hỏi lại đơn vị trước khi tin cậy khóa này.",
            "office_mismatch",
        )

    def _trust_binding(self, binding: Any) -> TrustedKey:
        """Trust a key for the office its office key file names (found by id, else name)."""
        office = self.office_by_uid(binding.office_id)
        if office is None:
            office = self.office_by_name(binding.office_name)
            if office is not None and office.uid not in (None, binding.office_id):
                raise UserError(
                    f"Đã có đơn vị {office.name} với mã đơn vị {office.uid}; tệp khóa ghi mã "
                    f"{binding.office_id}. Hãy hỏi lại đơn vị trước khi tin cậy khóa này.",
                    "office_uid_conflict",
                )
            if office is None:
                office = self.add_office(binding.office_name)
            with self.store.transaction():
                update_row(self.db, "recv_office", office.id, {"uid": binding.office_id})
                self.store.audit.record("recv_office", office.id, "uid", office.uid,
                                        binding.office_id)  # fmt: skip
        return self.trust_key(binding.public_key, office.id, source=office_key_source(binding))

    def rebind_key(self, fingerprint: str, office_id: int) -> TrustedKey:
        """The receiving office says, explicitly, that a trusted key is now another office's."""
        from ..packages.key_binding import normal_fingerprint

        wanted = normal_fingerprint(fingerprint)
        key = next((k for k in self.keys() if k.fingerprint == wanted), None)
        if key is None:
            raise UserError(f"Không có khóa tin cậy nào có mã {wanted}.", "missing")
        office = self.office(office_id)
        with self.store.transaction():
            update_row(self.db, "recv_key", key.id, {"office_id": office.id})
            self.store.audit.record("recv_key", key.id, "office_id", key.office_id, office.id)
        return self.key(key.public_key)  # type: ignore[return-value]

    def withdraw_key(self, fingerprint: str) -> TrustedKey:
        """Stop trusting a key: packages it signs from now on are refused as unknown. Packages
        already received keep the status they were given; the audit keeps the key's row."""
        from ..packages.key_binding import normal_fingerprint

        wanted = normal_fingerprint(fingerprint)
        key = next((k for k in self.keys() if k.fingerprint == wanted), None)
        if key is None:
            raise UserError(f"Không có khóa tin cậy nào có mã {wanted}.", "missing")
        row = {"office_id": key.office_id, "fingerprint": key.fingerprint,
               "source": key.source, "rotated_from": key.rotated_from}  # fmt: skip
        with self.store.transaction():
            self.db.execute("DELETE FROM recv_key WHERE id = ?", [key.id])
            self.store.audit.record("recv_key", key.id, "*", row, None, "delete")
        return key

    def key(self, raw: bytes) -> TrustedKey | None:
        rows = list(_rows(self.db, "SELECT * FROM recv_key WHERE public_key = ?", [raw]))
        return _key(rows[0]) if rows else None

    def keys(self, office_id: int | None = None) -> list[TrustedKey]:
        if office_id is None:
            return [_key(r) for r in _rows(self.db, "SELECT * FROM recv_key ORDER BY id")]
        sql = "SELECT * FROM recv_key WHERE office_id = ? ORDER BY id"
        return [_key(r) for r in _rows(self.db, sql, [office_id])]

    def trusted_raw(self) -> set[bytes]:
        return {bytes(r[0]) for r in self.db.execute("SELECT public_key FROM recv_key")}

    # -- packages --------------------------------------------------------------------------
    def package_by_sha(self, sha256: str) -> ReceivedPackage | None:
        sql = f"SELECT {_PACKAGE_COLUMNS} FROM recv_package WHERE sha256 = ?"
        rows = list(_rows(self.db, sql, [sha256]))
        return _package(rows[0]) if rows else None

    def known_files(self) -> dict[str, str | None]:
        """SHA-256 → reason code of every file recorded (what ingest need not open again)."""
        return dict(self.db.execute("SELECT sha256, reason_code FROM recv_package").fetchall())

    def package(self, package_id: int) -> ReceivedPackage:
        sql = f"SELECT {_PACKAGE_COLUMNS} FROM recv_package WHERE id = ?"
        return _package(next(iter(_rows(self.db, sql, [package_id]))))

    def packages(
        self, office_id: int | None = None, period_id: str | None = None
    ) -> list[ReceivedPackage]:
        """Packages received, in arrival order, optionally of one office and/or period."""
        where: list[str] = []
        args: list[int | str] = []
        if office_id is not None:
            where.append("office_id = ?")
            args.append(office_id)
        if period_id is not None:
            where.append("period_id = ?")
            args.append(period_id)
        sql = f"SELECT {_PACKAGE_COLUMNS} FROM recv_package"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        return [_package(r) for r in _rows(self.db, sql + " ORDER BY id", args)]

    def package_data(self, package_id: int) -> dict[str, Any] | None:
        """The verified data.json of a valid package; None for a rejected one."""
        row = self.db.execute("SELECT data FROM recv_package WHERE id = ?", [package_id]).fetchone()
        return json.loads(zlib.decompress(row[0])) if row and row[0] else None

    def plan_hash(self, package_id: int) -> str | None:
        """The hash of the plan part a valid package carries (offices share plans)."""
        row = self.db.execute("SELECT plan_sha FROM recv_package WHERE id = ?", [package_id])
        found = row.fetchone()
        return found[0] if found else None

    def accepted(self, period_id: str) -> list[tuple[ReceivedPackage, str, bytes]]:
        """(package, plan hash, compressed data.json) of every accepted package of the period."""
        sql = (
            f"SELECT {_PACKAGE_COLUMNS}, plan_sha, data FROM recv_package "
            "WHERE period_id = ? AND status = 'accepted' ORDER BY office_id"
        )
        return [(_package(r), r["plan_sha"], r["data"]) for r in _rows(self.db, sql, [period_id])]

    def first_valid(self) -> tuple[ReceivedPackage, dict[str, Any]] | None:
        """The earliest-received valid package (its plan is the fallback reference list)."""
        sql = f"SELECT {_PACKAGE_COLUMNS} FROM recv_package WHERE status IN "
        rows = list(_rows(self.db, sql + "('accepted', 'superseded') ORDER BY id LIMIT 1"))
        if not rows:
            return None
        package = _package(rows[0])
        return package, self.package_data(package.id) or {}

    def period_ids(self) -> list[str]:
        rows = self.db.execute(
            "SELECT DISTINCT period_id FROM recv_package WHERE period_id IS NOT NULL"
        )
        return [r[0] for r in rows]

    def forget_package(self, package_id: int) -> None:
        """Drop a rejected package's row so its file can be checked again (after trusting its key)."""
        with self.store.transaction():
            self.db.execute(
                "DELETE FROM recv_package WHERE id = ? AND status = 'rejected'", [package_id]
            )
            self.store.audit.record("recv_package", package_id, "*", None, None, "delete")

    def record(
        self, arrival: Arrival, decision: Decision
    ) -> tuple[ReceivedPackage, ReceivedPackage | None]:
        """Record one arrival as `decision` (rules.decide) says; returns it and the package
        it superseded, if any. Call both inside one transaction (rules.record_arrival)."""
        with self.store.transaction():
            row = {
                "sha256": arrival.sha256, "file_name": arrival.file_name, "path": arrival.path,
                "size": arrival.size, "office_id": decision.office_id,
                "office_uid": arrival.office_uid, "office_name": arrival.office_name,
                "period_id": arrival.period_id, "sequence": arrival.sequence,
                "created_at": arrival.created_at, "received_at": now_iso(), "due": arrival.due,
                "late": None if arrival.late is None else int(arrival.late),
                "status": decision.status.value, "reason_code": decision.reason_code,
                "reason": decision.reason, "fingerprint": arrival.fingerprint,
                "plan_sha": arrival.plan_sha if decision.status.valid else None,
                "data": _pack(arrival) if decision.status.valid else None,
                "kind": arrival.kind, "corrects": arrival.corrects,
                "changes": None if arrival.changes is None else json.dumps(
                    arrival.changes, ensure_ascii=False),
                "completeness": None if arrival.completeness is None else json.dumps(
                    arrival.completeness),
                "flags": json.dumps(list(decision.flags)) if decision.flags else None,
            }  # fmt: skip
            if decision.supersedes is not None:
                update_row(self.db, "recv_package", decision.supersedes,
                           {"status": PackageStatus.SUPERSEDED.value})  # fmt: skip
                self.store.audit.record("recv_package", decision.supersedes, "status",
                                        "accepted", "superseded")  # fmt: skip
            pk = insert_row(self.db, "recv_package", row)
            shown = {k: v for k, v in row.items() if k != "data"}
            self.store.audit.record("recv_package", pk, "*", None, shown, "insert")
        old = self.package(decision.supersedes) if decision.supersedes is not None else None
        return _package({**row, "id": pk}), old  # as read back, without reading it back


def _rows(db: Any, sql: str, args: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Rows as dicts, from a plain execute (sqlite_utils' query wraps each read in a
    savepoint: four statements instead of one, per read, thousands of times in an ingest)."""
    cursor = db.execute(sql, args or [])
    names = [d[0] for d in cursor.description]
    return (dict(zip(names, row, strict=True)) for row in cursor)


def insert_row(db: Any, table: str, row: dict[str, Any]) -> int:
    """Plain INSERT (sqlite_utils' insert re-reads the table's schema on every call)."""
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    return db.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values())
    ).lastrowid


def update_row(db: Any, table: str, row_id: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{k} = ?" for k in changes)
    db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changes.values(), row_id])


def _pack(arrival: Arrival) -> bytes | None:
    if arrival.data_packed is not None:
        return arrival.data_packed
    raw = arrival.data_raw
    if raw is None and arrival.data is not None:
        raw = json.dumps(arrival.data, ensure_ascii=False).encode("utf-8")
    return zlib.compress(raw, 1) if raw is not None else None


def _office(row: dict) -> ReportingOffice:
    return ReportingOffice(row["id"], row["name"], row["level"], row["code"], row["uid"])


def _key(row: dict) -> TrustedKey:
    return TrustedKey(row["id"], bytes(row["public_key"]), row["fingerprint"], row["office_id"],
                      row["source"], row["rotated_from"], row.get("retired_at"))  # fmt: skip


def _confirm(expected: set[str] | None, fingerprint: str, what: str) -> None:
    """Refuse a key whose fingerprint is not among those read over the phone."""
    if expected is not None and fingerprint not in expected:
        raise UserError(
            f"Mã khóa của '{what}' là {fingerprint}, không khớp mã đã đối chiếu qua điện thoại; "
            "không tin cậy khóa nào.",
            "fingerprint_mismatch",
        )


def office_key_source(binding: Any) -> str:
    return f"tệp khóa đơn vị {binding.office_name} ({binding.office_id})"


def _package(row: dict) -> ReceivedPackage:
    late = row["late"]
    return ReceivedPackage(
        id=row["id"], sha256=row["sha256"], file_name=row["file_name"] or "",
        path=row["path"] or "", size=row["size"] or 0, office_id=row["office_id"],
        office_uid=row["office_uid"], office_name=row["office_name"],
        period_id=row["period_id"], sequence=row["sequence"], created_at=row["created_at"],
        received_at=row["received_at"], due=row["due"], late=None if late is None else bool(late),
        status=PackageStatus(row["status"]), reason_code=row["reason_code"],
        reason=row["reason"], fingerprint=row["fingerprint"],
        kind=row["kind"] or "original", corrects=row["corrects"],
        changes=_loads(row["changes"], []), completeness=_loads(row["completeness"], None),
        flags=_loads(row["flags"], []),
    )  # fmt: skip


def _loads(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default
