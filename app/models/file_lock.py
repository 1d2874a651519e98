"""A lock file beside the data file, so two windows never edit the same file unknowingly.

SQLite keeps the file itself consistent, but two secretaries editing the same
plan from two windows (or two PCs on a shared drive) would silently overwrite
each other's values. `<data file>.lock` records who holds the file (host, pid,
OS user, start time) and a heartbeat the holder refreshes while it runs. A
second opener reads it and offers "open read-only" or "cancel" instead.

A lock left behind by a crash or a power cut is stale and is cleared: same
host and the process is gone, or the heartbeat is older than STALE_AFTER
(another PC cannot see our processes, so there only the heartbeat counts).
Clearing renames the stale file to a unique name first, so two openers that
both judged it stale cannot both win.

Read-only opening (`open_read_only`) uses SQLite's `mode=ro`, so the file
cannot be written even by code that forgets to ask, and every store edit is
refused up front with a Vietnamese message.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .audit import os_user
from .database import APPLICATION_ID, _reason
from .errors import UserError
from .schema import SCHEMA_VERSION
from .sql import Database
from .store import Store
from .text import fold

LOCK_SUFFIX = ".lock"
STALE_AFTER = timedelta(minutes=10)
HEARTBEAT_EVERY = timedelta(minutes=2)  # well under STALE_AFTER, so a live holder stays fresh
UNWRITTEN_GRACE = timedelta(seconds=30)  # an empty lock younger than this is being written
READ_ONLY_MESSAGE = (
    "Tệp dữ liệu đang mở ở chế độ chỉ xem (một cửa sổ hoặc máy khác đang dùng tệp này), "
    "nên không lưu được thay đổi. Hãy đóng ứng dụng ở nơi kia rồi mở lại tệp để sửa."
)


def _now() -> datetime:
    return datetime.now().astimezone()


def lock_path(data_file: Path | str) -> Path:
    """`theodoi57.sqlite` -> `theodoi57.sqlite.lock`, in the same folder."""
    data_file = Path(data_file)
    return data_file.with_name(data_file.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class LockInfo:
    """Who holds a data file, as written in its lock file."""

    host: str
    pid: int
    user: str
    started: datetime
    heartbeat: datetime
    token: str  # tells our own lock from a successor's after a takeover

    @classmethod
    def for_this_process(cls, now: datetime | None = None) -> LockInfo:
        now = (now or _now()).replace(microsecond=0)  # what the file keeps
        return cls(socket.gethostname(), os.getpid(), os_user(), now, now, uuid.uuid4().hex)

    def to_bytes(self) -> bytes:
        data = asdict(self)
        data["started"] = self.started.isoformat(timespec="seconds")
        data["heartbeat"] = self.heartbeat.isoformat(timespec="seconds")
        return json.dumps({"format": "theodoi57/lock", **data}, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> LockInfo | None:
        """None for anything that is not a complete lock record (half-written, foreign)."""
        try:
            data = json.loads(raw.decode("utf-8"))
            return cls(
                str(data["host"]),
                int(data["pid"]),
                str(data["user"]),
                datetime.fromisoformat(data["started"]),
                datetime.fromisoformat(data["heartbeat"]),
                str(data["token"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def on_this_host(self) -> bool:
        return fold(self.host) == fold(socket.gethostname())

    def describe(self) -> str:
        """One Vietnamese sentence: who, where, since when."""
        where = "trên máy này" if self.on_this_host() else f"trên máy “{self.host}”"
        return (
            f"người dùng “{self.user}” {where}, mở từ {self.started:%H:%M ngày %d/%m/%Y} "
            f"(còn hoạt động lúc {self.heartbeat:%H:%M ngày %d/%m/%Y})"
        )


class LockHeld(UserError):
    """The data file is open elsewhere; `holder` says where (None when unreadable)."""

    def __init__(self, path: Path, holder: LockInfo | None) -> None:
        who = holder.describe() if holder else "một cửa sổ hoặc máy khác"
        super().__init__(f"Tệp dữ liệu '{path}' đang được mở bởi {who}.", "locked")
        self.path = path
        self.holder = holder


def pid_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (never signals or kills it)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


def _windows_pid_alive(pid: int) -> bool:
    """os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # type: ignore[attr-defined]  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def is_stale(info: LockInfo, now: datetime | None = None) -> bool:
    """A crashed holder: its process is gone (same host) or its heartbeat stopped."""
    now = now or _now()
    if info.on_this_host() and not pid_alive(info.pid):
        return True
    return now - info.heartbeat > STALE_AFTER


def read_lock(data_file: Path | str) -> LockInfo | None:
    """The current holder of `data_file`, or None when there is no readable lock."""
    try:
        return LockInfo.from_bytes(_read_lock_bytes(lock_path(data_file)))
    except OSError:
        return None


MAX_LOCK_BYTES = 64 * 1024  # a lock record is ~300 bytes


def _read_lock_bytes(path: Path) -> bytes:
    """At most MAX_LOCK_BYTES of a lock file: a huge one (hostile, or a disk error) reads as
    a record that is not complete, never as gigabytes in memory."""
    with path.open("rb") as handle:
        return handle.read(MAX_LOCK_BYTES)


def _os_error(path: Path, exc: OSError) -> UserError:
    return UserError(
        f"Không ghi được tệp khóa '{path}' bên cạnh tệp dữ liệu ({exc.strerror or exc}). "
        "Hãy kiểm tra quyền ghi vào thư mục chứa tệp dữ liệu.",
        "lock",
    )


class FileLock:
    """This process's hold on a data file; release it (or use `with`) when the file closes."""

    def __init__(self, data_file: Path, info: LockInfo) -> None:
        self.data_file = Path(data_file)
        self.path = lock_path(data_file)
        self.info = info

    @classmethod
    def acquire(cls, data_file: Path | str, now: datetime | None = None) -> FileLock:
        """Take the lock, clearing a stale one; LockHeld when someone live holds it."""
        data_file = Path(data_file)
        path = lock_path(data_file)
        info = LockInfo.for_this_process(now)
        holder: LockInfo | None = None
        for _attempt in range(3):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = cls._existing_holder(path, now)
                if holder is not None:
                    raise LockHeld(data_file, holder) from None
                continue  # a stale lock was cleared: try again
            except OSError as exc:
                raise _os_error(path, exc) from None
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(info.to_bytes())
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                path.unlink(missing_ok=True)
                raise _os_error(path, exc) from None
            return cls(data_file, info)
        raise LockHeld(data_file, holder)

    @staticmethod
    def _existing_holder(path: Path, now: datetime | None) -> LockInfo | None:
        """The live holder of an existing lock file, or None after clearing a stale one."""
        now = now or _now()
        try:
            raw = _read_lock_bytes(path)
            written = datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        except FileNotFoundError:
            return None  # released meanwhile
        except OSError as exc:
            raise _os_error(path, exc) from None
        info = LockInfo.from_bytes(raw)
        if info is None and now - written < UNWRITTEN_GRACE:
            raise LockHeld(path.with_suffix(""), None)  # another opener is writing it now
        if info is not None and not is_stale(info, now):
            return info
        aside = path.with_name(f"{path.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(path, aside)  # only one of several racing openers succeeds
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _os_error(path, exc) from None
        aside.unlink(missing_ok=True)
        return None

    def held(self) -> bool:
        """Whether the lock file on disk is still ours (not cleared and taken over)."""
        current = read_lock(self.data_file)
        return current is not None and current.token == self.info.token

    def refresh(self, now: datetime | None = None) -> bool:
        """Write a new heartbeat; False when another session took the file over meanwhile.

        A lock that vanished (deleted by hand, or judged stale while this PC slept)
        is taken again if nobody else holds it.
        """
        current = read_lock(self.data_file)
        if current is None or current.token != self.info.token:
            if current is not None and not is_stale(current, now):
                return False
            try:
                fresh = FileLock.acquire(self.data_file, now)
            except LockHeld:
                return False
            self.info = fresh.info
            return True
        self.info = LockInfo(
            **{**asdict(self.info), "heartbeat": (now or _now()).replace(microsecond=0)}
        )
        temp = self.path.with_name(f"{self.path.name}.{self.info.token[:8]}.tmp")
        try:
            temp.write_bytes(self.info.to_bytes())
            os.replace(temp, self.path)
        except OSError:
            temp.unlink(missing_ok=True)
            return self.held()  # a network drive gone for a moment: try again next beat
        return True

    def release(self) -> None:
        """Remove the lock file if it is still ours; never raises (called on exit)."""
        try:
            if self.held():
                self.path.unlink(missing_ok=True)
        except OSError:
            pass

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class _ReadOnlyDatabase(Database):
    """Every transaction is refused before it starts, with a message the user can act on."""

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        raise UserError(READ_ONLY_MESSAGE, "read_only")
        yield self  # pragma: no cover - makes this a generator


class ReadOnlyStore(Store):
    """A Store over a `mode=ro` connection: reads work, every write is refused."""

    read_only = True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise UserError(READ_ONLY_MESSAGE, "read_only")
        yield  # pragma: no cover - makes this a generator


def open_read_only(path: Path | str) -> ReadOnlyStore:
    """Open an existing, up-to-date data file for reading only (no migration, no writes)."""
    path = Path(path)
    if not path.exists():
        raise UserError(f"Không tìm thấy tệp dữ liệu '{path}'.", "missing")
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("PRAGMA query_only = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"Không mở được tệp dữ liệu '{path}': {_reason(exc)}.", "open") from None
    problem = None
    if app_id != APPLICATION_ID:
        problem = UserError(f"Tệp '{path}' không phải tệp dữ liệu Theo dõi NQ57.", "foreign")
    elif version != SCHEMA_VERSION:
        problem = UserError(
            f"Tệp '{path}' cần được nâng cấp (lược đồ {version}, ứng dụng dùng {SCHEMA_VERSION}) "
            "nên không mở chỉ để xem được; hãy mở nó để sửa khi không còn ai dùng.",
            "read_only_version",
        )
    if problem is not None:
        conn.close()
        raise problem
    conn.create_function("fold", 1, fold, deterministic=True)
    store = ReadOnlyStore(_ReadOnlyDatabase(conn), path)
    if store.db.count("office") == 0:
        store.close()
        raise UserError(f"Tệp '{path}' chưa có thông tin đơn vị (tệp tạo dở?).", "empty")
    return store
