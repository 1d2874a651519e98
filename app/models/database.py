"""Opening a data file safely: pragmas for durability, migrations with a backup first."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import sqlite_utils

from .errors import UserError
from .schema import SCHEMA_VERSION, migrate
from .text import fold

APPLICATION_ID = 0x4E513537  # "NQ57": tells our data files from other SQLite files


def connect(path: Path) -> sqlite_utils.Database:
    """Open a SQLite connection with the durability settings every file needs.

    WAL keeps readers off the writer's way; synchronous=FULL makes every
    committed edit survive a power cut; foreign keys keep the plan whole.
    """
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Không mở được tệp dữ liệu '{path}': {_reason(exc)}.", "open") from None
    conn.create_function("fold", 1, fold, deterministic=True)
    return sqlite_utils.Database(conn)


def _reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "tệp không phải tệp dữ liệu của ứng dụng hoặc đã bị hỏng"
    if "locked" in text:
        return "tệp đang được một chương trình khác ghi"
    if "unable to open" in text:
        return "không có quyền mở hoặc thư mục không tồn tại"
    return text


def open_database(path: Path, create: bool = False) -> sqlite_utils.Database:
    """Open (or create) a data file and bring its schema up to date."""
    path = Path(path)
    if not create and not path.exists():
        raise UserError(f"Không tìm thấy tệp dữ liệu '{path}'.", "missing")
    if create and path.exists():
        raise UserError(f"Tệp '{path}' đã có; chọn tên khác để tạo tệp dữ liệu mới.", "exists")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        version, app_id = _read_header(db, path)
        if create:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        elif app_id != APPLICATION_ID:
            raise UserError(f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57.", "foreign")
        if version > SCHEMA_VERSION:
            raise UserError(
                f"Tệp '{path}' được tạo bởi phiên bản mới hơn của ứng dụng "
                f"(lược đồ {version} > {SCHEMA_VERSION}); hãy cập nhật ứng dụng.",
                "newer",
            )
        if 0 < version < SCHEMA_VERSION:
            backup_before_migration(db, path, version)
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _read_header(db: sqlite_utils.Database, path: Path) -> tuple[int, int]:
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Không mở được tệp dữ liệu '{path}': {_reason(exc)}.", "open") from None
    return version, app_id


def backup_before_migration(db: sqlite_utils.Database, path: Path, version: int) -> Path:
    """Copy the whole file aside (online backup API) before changing its schema."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.v{version}-{stamp}.bak")
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
    return target


def copy_file_durably(source: Path, target: Path) -> None:
    """Copy with fsync of the file and its folder (used for restore staging)."""
    shutil.copyfile(source, target)
    with open(target, "rb") as handle:
        os.fsync(handle.fileno())
