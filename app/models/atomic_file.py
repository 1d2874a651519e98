"""Write files so that a power cut leaves either the old file or the new one.

Temporary file in the same folder, write, flush, fsync, rename over the
target, then fsync the folder so the rename itself is durable.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import UserError


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a no-op where the OS cannot open folders)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def disk_error_message(exc: OSError, target: Path) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return f"Không đủ chỗ trống trên ổ đĩa để ghi '{target}'."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không có quyền ghi vào '{target.parent}'."
    if exc.errno == errno.ENOENT:
        return f"Thư mục '{target.parent}' không tồn tại hoặc ổ đĩa đã bị rút ra."
    return f"Không ghi được '{target}': {exc.strerror or exc}."


STALE_SECONDS = 3600


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete hidden temporaries of `target` left by a crash or power cut; returns them.

    A writer killed between creating its temporary and renaming it leaves
    `.<name>.<random>.tmp` (and SQLite's `-journal` beside it). Only files
    untouched for an hour are removed, so a slow writer of the same target
    in another process is never disturbed.
    """
    import time

    removed: list[Path] = []
    limit = time.time() - STALE_SECONDS
    try:
        candidates = list(Path(target).parent.glob(f".{glob_escape(Path(target).name)}.*.tmp*"))
    except OSError:
        return removed
    for path in candidates:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    import glob

    return glob.escape(name)


@contextlib.contextmanager
def atomic_path(target: Path, mode: int = 0o600) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` atomically.

    For writers that need a path rather than a handle (SQLite's backup API).
    The content is fsync'd before the rename and the folder after it. On any
    failure the temporary file is removed and `target` is untouched.
    """
    target = Path(target)
    tmp_path: Path | None = None
    remove_stale_temporaries(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.chmod(fd, mode)
        os.close(fd)
        tmp_path = Path(name)
        yield tmp_path
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp_path, target)
        tmp_path = None
        fsync_dir(target.parent)
    except OSError as exc:
        raise UserError(disk_error_message(exc, target), "disk") from None
    finally:
        if tmp_path is not None:
            with contextlib.suppress(OSError):
                tmp_path.unlink()


@contextlib.contextmanager
def atomic_write(target: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """Yield a binary handle; on success the content replaces `target` atomically."""
    with atomic_path(target, mode) as tmp, open(tmp, "wb") as handle:
        yield handle


def write_bytes_atomic(target: Path, data: bytes, mode: int = 0o600) -> None:
    with atomic_write(target, mode) as handle:
        handle.write(data)
