"""Read a small file whole only after the file system says it is small.

A "key file" or a "values file" picked by mistake (or on purpose) may be a
20 GB sparse file, a device or a folder. `read_bounded` asks the file system
for the size first, refuses with a Vietnamese message naming the limit, and
reads at most the limit plus one byte even if the size was not true (a pipe,
a file still growing), so no reader here ever holds more than its limit.
"""

from __future__ import annotations

from pathlib import Path

from .errors import UserError


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} byte"


def read_bounded(path: Path | str, limit: int, what: str = "Tệp") -> bytes:
    """The bytes of `path`, at most `limit`; UserError (naming the limit) for anything else."""
    path = Path(path)
    too_big = UserError(
        f"{what} '{path}' quá lớn (giới hạn {size_text(limit)}); hãy kiểm tra lại tệp đã chọn.",
        "too_large",
    )
    try:
        size = path.stat().st_size
        if size > limit:
            raise too_big
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy {what.lower()} '{path}'.", "missing") from None
    except IsADirectoryError:
        raise UserError(f"'{path}' là thư mục, không phải tệp.", "file_type") from None
    except OSError as exc:
        raise UserError(f"Không đọc được {what.lower()} '{path}': {exc.strerror or exc}.") from None
    if len(data) > limit:
        raise too_big
    return data
