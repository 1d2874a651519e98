"""The package's zip container: one canonical byte layout, and a reader that trusts nothing.

Canonical form (format v1): members sorted by name (UTF-8 byte order), no
folder entries, ASCII names, stored without compression, every timestamp
1980-01-01 00:00, no extra fields, no comments, no data descriptors, Unix
mode 0644. Given the member names and contents there is exactly one valid
file, so the verifier rebuilds it and compares byte for byte: any change
anywhere in the zip is detected, including bytes that zip readers ignore.

Storing without compression also means opening a package never inflates
anything: a zip bomb is refused from its central directory alone.

`read_members` checks a zip's central directory before touching any data:
member count, names (absolute, `..`, drive letters, backslashes, control
characters, duplicates ignoring case), symlinks, total size and compression
ratio. Nothing is ever extracted to disk.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_RATIO = 100
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
DOS_TIME = 0
VERSION = 20  # 2.0: the version zip readers need for stored members
VERSION_MADE_BY = (3 << 8) | VERSION  # Unix, 2.0
EXTERNAL_ATTR = 0o100644 << 16
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
LOCAL_SIG, CENTRAL_SIG, END_SIG = 0x04034B50, 0x02014B50, 0x06054B50
_NAME_OK = re.compile(r"^[A-Za-z0-9._\-/]+$")


class ZipProblem(Exception):
    """A zip the verifier refuses; `code` is the package verifier's reason code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


def _local_header(name: bytes, data: bytes, crc: int) -> bytes:
    return _LOCAL.pack(
        LOCAL_SIG, VERSION, 0, 0, DOS_TIME, DOS_DATE, crc, len(data), len(data), len(name), 0
    )


def _central_header(name: bytes, size: int, crc: int, offset: int) -> bytes:
    return _CENTRAL.pack(
        CENTRAL_SIG, VERSION_MADE_BY, VERSION, 0, 0, DOS_TIME, DOS_DATE, crc, size, size,
        len(name), 0, 0, 0, 0, EXTERNAL_ATTR, offset,
    )  # fmt: skip


def canonical_order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: n.encode("utf-8"))


def write_canonical(out: BinaryIO, members: dict[str, bytes]) -> int:
    """Write `members` (name -> content) as the one canonical zip; returns bytes written."""
    offset = 0
    central = []
    for name in canonical_order(members):
        if not _NAME_OK.match(name) or name.endswith("/"):
            raise ValueError(f"non-canonical member name {name!r}")
        data = members[name]
        raw = name.encode("ascii")
        crc = zlib.crc32(data)
        header = _local_header(raw, data, crc)
        out.write(header)
        out.write(raw)
        out.write(data)
        central.append(_central_header(raw, len(data), crc, offset) + raw)
        offset += len(header) + len(raw) + len(data)
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(END_SIG, 0, 0, len(central), len(central), len(directory), offset, 0))
    return offset + len(directory) + _END.size


def canonical_bytes(members: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    write_canonical(buffer, members)
    return buffer.getvalue()


@dataclass(frozen=True)
class Member:
    name: str
    data: memoryview  # the stored bytes (format v1 never compresses)
    crc: int


def unsafe_name(name: str) -> str | None:
    """Why a member name could write outside the folder it is opened in, or None."""
    if not name or "\x00" in name or any(ord(ch) < 32 for ch in name):
        return "tên có ký tự điều khiển"
    if "\\" in name:
        return "tên có dấu gạch chéo ngược"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "đường dẫn tuyệt đối"
    if any(part == ".." for part in name.split("/")):
        return "đường dẫn có '..'"
    return None


def read_members(blob: bytes) -> list[Member]:
    """The zip's members in file order, after every structural safety check.

    Raises ZipProblem. Only stored members are accepted (format v1 has no
    others); their data is returned as views into `blob`, never inflated.
    """
    if len(blob) < _END.size or not blob.startswith(b"PK"):
        raise ZipProblem("not_zip")
    try:
        return _read_members(blob)
    except struct.error:  # every offset is bounds-checked; this is the last line of defence
        raise ZipProblem("corrupt_zip", "cấu trúc tệp nén hỏng") from None


def _read_members(blob: bytes) -> list[Member]:
    last = len(blob) - _END.size
    end_at = blob.rfind(struct.pack("<I", END_SIG), max(0, last - 65_535), last + 4)
    if end_at < 0:
        raise ZipProblem("corrupt_zip", "không tìm thấy mục lục của tệp nén")
    _sig, disk, cd_disk, on_disk, count, cd_size, cd_offset, _comment = _END.unpack_from(
        blob, end_at
    )
    if count > MAX_MEMBERS or on_disk > MAX_MEMBERS:
        raise ZipProblem("too_many_members", f"{count} tệp")
    if disk or cd_disk or on_disk != count or 0xFFFF in (count, on_disk):
        raise ZipProblem("unsupported_zip", "tệp nén nhiều phần hoặc ZIP64")
    if cd_offset + cd_size > end_at:
        raise ZipProblem("corrupt_zip", "mục lục vượt ra ngoài tệp")
    entries = []
    seen: set[str] = set()
    total = 0
    pos = cd_offset
    for _ in range(count):
        if pos + _CENTRAL.size > end_at:
            raise ZipProblem("corrupt_zip", "mục lục bị cắt cụt")
        fields = _CENTRAL.unpack_from(blob, pos)
        (sig, made_by, _need, flags, method, _t, _d, crc, csize, usize,
         name_len, extra_len, comment_len, _disk, _int, ext_attr, offset) = fields  # fmt: skip
        if sig != CENTRAL_SIG:
            raise ZipProblem("corrupt_zip", "mục lục hỏng")
        raw = bytes(blob[pos + _CENTRAL.size : pos + _CENTRAL.size + name_len])
        pos += _CENTRAL.size + name_len + extra_len + comment_len
        name = raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        if why := unsafe_name(name):
            raise ZipProblem("unsafe_path", f"'{name}': {why}")
        if (made_by >> 8) == 3 and (ext_attr >> 16) & 0o170000 == 0o120000:
            raise ZipProblem("symlink", f"'{name}'")
        folded = name.casefold().rstrip("/")
        if folded in seen:
            raise ZipProblem("duplicate_name", f"'{name}'")
        seen.add(folded)
        if 0xFFFFFFFF in (csize, usize, offset):
            raise ZipProblem("unsupported_zip", "ZIP64")
        total += usize
        if total > MAX_TOTAL_BYTES:
            raise ZipProblem("too_large", f"hơn {MAX_TOTAL_BYTES // (1024 * 1024)} MB khi giải nén")
        if usize > MAX_RATIO * max(csize, 1):
            raise ZipProblem("zip_bomb", f"'{name}' nén hơn {MAX_RATIO} lần")
        if flags & 0x1:
            raise ZipProblem("unsupported_zip", f"'{name}' được mã hóa")
        if method != 0 or csize != usize:
            raise ZipProblem("not_canonical", f"'{name}' được nén (định dạng yêu cầu lưu nguyên)")
        entries.append((name, offset, csize, crc))
    members = []
    view = memoryview(blob)
    for name, offset, size, crc in entries:
        if offset + _LOCAL.size > end_at:
            raise ZipProblem("corrupt_zip", f"'{name}' nằm ngoài tệp")
        local = _LOCAL.unpack_from(blob, offset)
        if local[0] != LOCAL_SIG:
            raise ZipProblem("corrupt_zip", f"'{name}': đầu mục hỏng")
        start = offset + _LOCAL.size + local[9] + local[10]
        if start + size > end_at:
            raise ZipProblem("corrupt_zip", f"'{name}' bị cắt cụt")
        members.append(Member(name, view[start : start + size], crc))
    return members
