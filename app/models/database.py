"""Opening a data file safely: look before touching, pragmas for durability, migrations.

A file is inspected before SQLite may write anything to it: its size and the
100-byte SQLite header (magic, `application_id`, `user_version`) are read with
a plain `open()`, so a 0-byte file, another program's SQLite file or a file of
a newer version is refused byte-identical — the WAL switch, the first write of
every connection, comes only after. A file on read-only media (a write-protected
USB stick, mode 0444) is opened with SQLite's `mode=ro` (`immutable` when no WAL
sits beside it) and never switched to WAL: it can be viewed, reported on and
backed up. `PRAGMA quick_check` runs on every open, so a damaged file is named
damaged, with its backups offered, before any command relies on it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import UserError
from .schema import SCHEMA_VERSION, migrate
from .sql import Database
from .text import fold

APPLICATION_ID = 0x4E513537  # "NQ57": tells our data files from other SQLite files
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
QUICK_CHECK_ROWS = 3  # how many problems a damaged-file message quotes at most


class DamagedFileError(UserError):
    """The data file failed SQLite's own check (or a read found a malformed page)."""


class DiskFullError(UserError):
    """The disk holding the data file (or an output) has no room left."""


@dataclass(frozen=True)
class FileHeader:
    """What the first 100 bytes of a file say, read without SQLite."""

    size: int
    sqlite: bool
    application_id: int
    user_version: int
    writable: bool


def read_file_header(path: Path) -> FileHeader:
    """Size, magic, application_id and user_version of `path`, read with open() only."""
    try:
        info = path.stat()
        with path.open("rb") as handle:
            head = handle.read(HEADER_BYTES)
    except IsADirectoryError:
        raise UserError(f"'{path}' là một thư mục, không phải tệp dữ liệu.", "foreign") from None
    except OSError as exc:
        raise UserError(
            f"Không đọc được tệp dữ liệu '{path}': {exc.strerror or exc}.", "open"
        ) from None
    writable = (
        bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        and os.access(path, os.W_OK)
        and os.access(path.parent, os.W_OK)
    )
    is_sqlite = len(head) == HEADER_BYTES and head.startswith(SQLITE_MAGIC)
    return FileHeader(
        size=info.st_size,
        sqlite=is_sqlite,
        application_id=int.from_bytes(head[68:72], "big") if is_sqlite else 0,
        user_version=int.from_bytes(head[60:64], "big") if is_sqlite else 0,
        writable=writable,
    )


def on_read_only_media(path: Path) -> bool:
    """Whether the data file cannot be written here (write-protected stick, mode 0444,
    read-only folder): it is then opened read-only, without a lock file or WAL."""
    try:
        return Path(path).exists() and not read_file_header(Path(path)).writable
    except UserError:
        return False


def connect(path: Path) -> Database:
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
        raise sqlite_fault(exc, path) from None
    conn.create_function("fold", 1, fold, deterministic=True)
    return Database(conn)


def connect_read_only(path: Path) -> Database:
    """A connection that cannot write and switches nothing (read-only media).

    `immutable=1` when no WAL file sits beside the data file: SQLite then needs
    no `-shm` file either, which a write-protected folder could not hold.
    """
    wal = Path(f"{path}-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    uri = path.resolve().as_uri() + ("?mode=ro" if has_wal else "?mode=ro&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        raise sqlite_fault(exc, path) from None
    conn.create_function("fold", 1, fold, deterministic=True)
    return Database(conn)


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "tệp không phải tệp dữ liệu của ứng dụng hoặc đã bị hỏng"
    if "locked" in text:
        return "tệp đang được một chương trình khác ghi"
    if "unable to open" in text:
        return "không có quyền mở hoặc thư mục không tồn tại"
    if "readonly" in text:
        return "tệp hoặc thư mục chứa nó chỉ cho phép đọc"
    return text


BACKUP_LOG_SUFFIX = ".sao-luu.json"  # where backup.note_backup remembers the backups made


def backup_log(source: Path) -> list[str]:
    """The backups `note_backup` remembered for the data file at `source`, newest first."""
    import json

    log = Path(source).with_name(Path(source).name + BACKUP_LOG_SUFFIX)
    try:
        if log.stat().st_size > 64 * 1024:
            return []
        data = json.loads(log.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in data if isinstance(e, str)] if isinstance(data, list) else []


def find_backups(path: Path) -> list[Path]:
    """Copies that can replace the data file at `path`, newest first.

    The automatic copies beside it: `<name>.v<N>-<time>.bak` (before each
    schema upgrade) and `<name>.truoc-khoi-phuc-<time>.sqlite` (before each
    restore), and backups named after the file (`<name>*.sqlite`) in the
    same folder.
    """
    path = Path(path)
    found: list[Path] = []
    try:
        for item in path.parent.iterdir():
            if item == path or not item.is_file() or not item.name.startswith(path.stem):
                continue
            if item.name.endswith((".bak", ".sqlite", ".db")) and not item.name.startswith("."):
                found.append(item)
    except OSError:
        return []
    for remembered in backup_log(path):  # backups saved elsewhere (a USB stick)
        item = Path(remembered)
        with contextlib.suppress(OSError):
            if item.is_file() and item not in found:
                found.append(item)
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def damaged_message(path: Path, detail: str = "") -> str:
    """ "The file is damaged", with what can replace it (newest first)."""
    path = Path(path)
    text = f"Tệp dữ liệu '{path}' bị hỏng"
    text += f" ({detail})." if detail else "."
    copies = find_backups(path)
    if copies:
        newest = copies[0]
        text += (
            f" Bản sao mới nhất: '{newest}' ({datetime.fromtimestamp(newest.stat().st_mtime):%d/%m/%Y %H:%M});"
            f' khôi phục bằng: theodoi57 restore --db "{path}" --from "{newest}".'
        )
        others = [str(p.name) for p in copies[1:6]]
        if others:
            text += f" Các bản sao khác: {', '.join(others)}."
    else:
        text += (
            " Không thấy bản sao tự động (.bak) nào cạnh tệp; hãy khôi phục từ bản sao lưu "
            "gần nhất của đơn vị (lệnh restore hoặc Cài đặt → Khôi phục)."
        )
    return text


def is_disk_full(exc: BaseException) -> bool:
    import errno

    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.Error) and (
        "disk is full" in str(exc) or "SQLITE_FULL" in str(exc)
    )


def disk_full_message(path: Path) -> str:
    folder = Path(path).resolve().parent
    return (
        f"Ổ đĩa chứa thư mục '{folder}' đã đầy: không ghi được vào '{Path(path).name}'. "
        "Thao tác vừa rồi đã bị hủy trọn vẹn, không có gì được ghi dở. "
        "Hãy giải phóng chỗ trống trên ổ đĩa rồi thử lại."
    )


def sqlite_fault(exc: sqlite3.Error, path: Path) -> UserError:
    """The user's words for a SQLite failure on the data file at `path`."""
    known = known_fault(exc, path)
    if known is not None:
        return known
    return UserError(f"Không mở được tệp dữ liệu '{path}': {_reason(exc)}.", "open")


def known_fault(exc: BaseException, path: Path) -> UserError | None:
    """A full disk, a damaged file or read-only media in the user's words; None otherwise."""
    if not isinstance(exc, sqlite3.Error | OSError):
        return None
    text = str(exc)
    if is_disk_full(exc):
        return DiskFullError(disk_full_message(path), "disk_full")
    if isinstance(exc, OSError):
        return None
    if "disk I/O" in text:
        return UserError(
            f"Không đọc/ghi được tệp dữ liệu '{path}' (lỗi vào/ra của ổ đĩa: ổ USB bị rút ra, "
            "ổ mạng bị ngắt hoặc ổ đĩa hỏng). Hãy kiểm tra ổ đĩa rồi mở lại tệp.",
            "io",
        )
    if "malformed" in text or "not a database" in text:
        return DamagedFileError(damaged_message(path, "SQLite: " + text), "damaged")
    if "readonly" in text:
        return UserError(
            f"Tệp dữ liệu '{path}' nằm trên ổ hoặc thư mục chỉ cho phép đọc, nên không lưu "
            "được thay đổi. Hãy chép tệp vào máy (ổ ghi được) rồi mở bản đó để sửa.",
            "read_only",
        )
    return None


def _inspect(path: Path) -> FileHeader:
    """Refuse, touching nothing, what is not a data file of ours we may open."""
    header = read_file_header(path)
    if header.size == 0:
        raise UserError(
            f"Tệp '{path}' rỗng (0 byte), không phải tệp dữ liệu Theo dõi NQ57; "
            "tệp được giữ nguyên.",
            "foreign",
        )
    if not header.sqlite:
        raise UserError(
            f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57 (không phải tệp SQLite); "
            "tệp được giữ nguyên.",
            "foreign",
        )
    app_id, version = header.application_id, header.user_version
    if app_id != APPLICATION_ID and Path(f"{path}-wal").exists():
        # Written but not yet folded into the file: the header lags behind its WAL.
        app_id, version = _pragmas_read_only(path)
    if app_id != APPLICATION_ID:
        raise UserError(
            f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57 (tệp SQLite của chương trình "
            "khác); tệp được giữ nguyên.",
            "foreign",
        )
    if version > SCHEMA_VERSION:
        raise UserError(
            f"Tệp '{path}' được tạo bởi phiên bản mới hơn của ứng dụng "
            f"(lược đồ {version} > {SCHEMA_VERSION}); hãy cập nhật ứng dụng. "
            "Tệp được giữ nguyên.",
            "newer",
        )
    return header


def _pragmas_read_only(path: Path) -> tuple[int, int]:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise sqlite_fault(exc, path) from None
    return app_id, version


def quick_check(db: Database, path: Path) -> None:
    """SQLite's structural check of every page; DamagedFileError with the backups if not ok."""
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check").fetchmany(QUICK_CHECK_ROWS)]
    except sqlite3.DatabaseError as exc:
        raise sqlite_fault(exc, path) from None
    if rows != ["ok"]:
        detail = "; ".join(str(r) for r in rows)[:300]
        raise DamagedFileError(damaged_message(path, f"kiểm tra của SQLite: {detail}"), "damaged")


def unfinished_data_file(path: Path) -> bool:
    """Whether `path` is a data file of ours whose creation never finished: our
    application id, no office recorded yet, so nothing anyone entered. Read-only,
    and False for anything else (another program's file is never touched)."""
    try:
        header = read_file_header(path)
    except UserError:
        return False
    if not header.sqlite or header.application_id != APPLICATION_ID:
        return False
    try:
        db = connect_read_only(path)
    except UserError:
        return False
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "office" not in tables:
            return True
        return db.execute("SELECT count(*) FROM office").fetchone()[0] == 0
    except sqlite3.Error:
        return False
    finally:
        db.close()


def open_database(path: Path, create: bool = False) -> Database:
    """Open (or create) a data file and bring its schema up to date."""
    path = Path(path)
    if not create and not path.exists():
        raise UserError(f"Không tìm thấy tệp dữ liệu '{path}'.", "missing")
    if create and path.exists():
        raise UserError(f"Tệp '{path}' đã có; chọn tên khác để tạo tệp dữ liệu mới.", "exists")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = connect(path)
        with _closed_on_error(db, path):
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(db)
        return db
    header = _inspect(path)
    db = connect(path) if header.writable else connect_read_only(path)
    with _closed_on_error(db, path):
        version, app_id = _read_header(db, path)
        if app_id != APPLICATION_ID:  # the header said ours; SQLite's view decides
            raise UserError(f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57.", "foreign")
        if version > SCHEMA_VERSION:
            raise UserError(
                f"Tệp '{path}' được tạo bởi phiên bản mới hơn của ứng dụng "
                f"(lược đồ {version} > {SCHEMA_VERSION}); hãy cập nhật ứng dụng.",
                "newer",
            )
        quick_check(db, path)
        if version < SCHEMA_VERSION and not header.writable:
            raise UserError(
                f"Tệp '{path}' nằm trên ổ chỉ cho phép đọc và cần được nâng cấp lên phiên bản "
                f"lược đồ {SCHEMA_VERSION}; hãy chép tệp vào máy rồi mở bản đó.",
                "read_only_version",
            )
        if 0 < version < SCHEMA_VERSION:
            backup_before_migration(db, path, version)
        migrate(db)
    return db


@contextlib.contextmanager
def _closed_on_error(db: Database, path: Path) -> Iterator[None]:
    """Close the connection on any failure; a SQLite fault gets its own words (sqlite_fault)."""
    try:
        yield
    except sqlite3.Error as exc:
        db.close()
        raise sqlite_fault(exc, path) from None
    except BaseException:
        db.close()
        raise


def _read_header(db: Database, path: Path) -> tuple[int, int]:
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise sqlite_fault(exc, path) from None
    return version, app_id


def backup_before_migration(db: Database, path: Path, version: int) -> Path:
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
