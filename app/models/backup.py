"""Backup and restore of a data file: one action each, never a half-written file.

Backup uses SQLite's online backup API (consistent even while the file is
open), writes to a temporary file beside the target, checks it, then renames.
Restore checks the chosen file first (integrity, that it is ours, schema not
newer than this application) and keeps the current file aside before
replacing it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import datetime
from pathlib import Path

from .atomic_file import atomic_path, disk_error_message, write_bytes_atomic
from .database import (
    APPLICATION_ID,
    BACKUP_LOG_SUFFIX,
    backup_log,
    open_database,
    read_file_header,
)
from .errors import UserError
from .schema import SCHEMA_VERSION


def backup(source: Path, target: Path) -> Path:
    """Copy the data file at `source` to `target` atomically; returns `target`."""
    source, target = Path(source), Path(target)
    if target.resolve() == source.resolve():
        raise UserError("Tệp sao lưu phải khác tệp dữ liệu đang dùng.")
    db = open_database(source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            dest = sqlite3.connect(str(tmp))
            try:
                db.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
            check_file(tmp)
    except OSError as exc:
        raise UserError(disk_error_message(exc, target), "disk") from None
    except sqlite3.Error as exc:
        raise UserError(f"Sao lưu thất bại: {exc}.", "backup") from None
    finally:
        db.close()
    note_backup(source, target)
    return target


BACKUP_LOG_ENTRIES = 20


def note_backup(source: Path, target: Path) -> None:
    """Remember where the data file was backed up, in `<name>.sao-luu.json` beside it,
    so a damaged-file message can point at the newest backup wherever it was saved (a
    USB stick, another folder). Best effort: a folder that cannot be written skips it."""
    import json

    log = source.with_name(source.name + BACKUP_LOG_SUFFIX)
    try:
        if not read_file_header(source).writable:
            return  # read-only media: nothing is written beside the data file
        entries = [e for e in backup_log(source) if e != str(target.resolve())]
        entries.insert(0, str(target.resolve()))
        write_bytes_atomic(log, json.dumps(entries[:BACKUP_LOG_ENTRIES], ensure_ascii=False,
                                           indent=1).encode("utf-8"), mode=0o600)  # fmt: skip
    except (OSError, UserError):
        pass


def _raw_copy(db_path: Path, aside: Path) -> Path:
    import shutil

    try:
        shutil.copy2(db_path, aside)
        wal = Path(f"{db_path}-wal")
        if wal.exists():
            shutil.copy2(wal, Path(f"{aside}-wal"))
    except OSError as exc:
        raise UserError(disk_error_message(exc, aside), "disk") from None
    return aside


def check_file(path: Path) -> int:
    """Verify that `path` is a sound data file of ours; returns its schema version.

    Read-only, except when a crash left a hot rollback journal beside the file:
    then SQLite must roll it back first (what any later open would do), which a
    read-only connection cannot, so the file is opened for writing.
    """
    hot_journal = Path(f"{path}-journal").exists()
    try:
        conn = sqlite3.connect(
            str(path) if hot_journal else f"file:{path}?mode=ro", uri=not hot_journal
        )
    except sqlite3.Error:
        raise UserError(f"Không mở được tệp '{path}'.", "open") from None
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise UserError(
            f"Tệp '{path}' không phải tệp dữ liệu hoặc đã bị hỏng.", "corrupt"
        ) from None
    finally:
        conn.close()
    if result != "ok":
        raise UserError(f"Tệp '{path}' bị hỏng (kiểm tra toàn vẹn: {result}).", "corrupt")
    if app_id != APPLICATION_ID:
        raise UserError(f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57.", "foreign")
    if version > SCHEMA_VERSION:
        raise UserError(f"Tệp '{path}' do phiên bản mới hơn của ứng dụng tạo ra.", "newer")
    return version


def restore(db_path: Path, source: Path) -> Path | None:
    """Replace the data file at `db_path` with the backup `source`.

    The backup is checked before anything is touched; a copy of the current
    file (if any) is kept as `<name>.truoc-khoi-phuc-<time>.sqlite` and its
    path returned; the new file then replaces the old one in one rename.
    The caller must have closed its own connection to `db_path`.
    """
    db_path, source = Path(db_path), Path(source)
    if not source.exists():
        raise UserError(f"Không tìm thấy tệp sao lưu '{source}'.", "missing")
    check_file(source)
    kept: Path | None = None
    if db_path.exists():
        # Keep a consistent copy of the current file first; it is never moved away,
        # so at every instant a complete data file exists at `db_path`.
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = db_path.with_name(f"{db_path.stem}.truoc-khoi-phuc-{stamp}{db_path.suffix}")
        try:
            _checkpoint(db_path)
            kept = backup(db_path, aside)
        except UserError:
            # A damaged (or unreadable) current file cannot be copied through SQLite:
            # it is kept byte for byte instead, so restoring over it loses nothing.
            kept = _raw_copy(db_path, aside)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(db_path) as tmp:
            src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            dest = sqlite3.connect(str(tmp))
            try:
                src.backup(dest)
                # WAL before it takes the data file's place: switching the journal mode
                # later would leave a rollback journal beside it if killed meanwhile.
                dest.execute("PRAGMA journal_mode = WAL")
            finally:
                src.close()
                dest.close()
            check_file(tmp)
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
    except OSError as exc:
        raise UserError(disk_error_message(exc, db_path), "disk") from None
    # Upgrade an older backup to the current schema right away.
    open_database(db_path).close()
    return kept


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the main file so the kept copy is complete on its own."""
    with contextlib.suppress(sqlite3.Error):
        conn = sqlite3.connect(str(path))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
