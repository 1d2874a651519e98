"""Check a workbook file before any XML parser sees it.

Workbooks arrive by email and USB. An .xlsx is a zip of XML parts, so the
checks run first on the zip directory, from the file system's size before a
byte is read: the file size, the number of parts, the unzipped size and
compression ratio (zip bombs). Then every XML part is streamed once through
expat (xml_scan.py): any DTD or entity, anywhere, is refused; so is a macro
workbook (by its content types or a vbaProject part); rows, columns, cells,
cell length and merged area are counted while reading, with hard limits.
openpyxl then streams the sheets (read-only mode) with defusedxml as a second
line of defence, without keeping external links.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from ..models.errors import UserError
from .xml_scan import WorkbookScan, is_xml_part, scan_part

T = TypeVar("T")

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_PART_RATIO = 200  # a sheet of repeated cells compresses ~20×; bombs go far beyond
MAX_PARTS = 2000


@dataclass(frozen=True)
class WorkbookCheck:
    """What the pre-check learnt: the parts holding external links (ignored on load),
    the cells holding values, and each sheet's extent and merged ranges."""

    external_links: int
    cells: int
    scan: WorkbookScan | None = None


def _not_a_workbook(path: Path, head: bytes) -> UserError:
    name = path.name
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return UserError(
            f"Tệp '{name}' là tệp Excel 97–2003 (.xls) hoặc tệp đã đặt mật khẩu. "
            "Hãy mở tệp bằng Excel, bỏ mật khẩu nếu có và lưu lại dạng Excel Workbook (.xlsx).",
            "file_type",
        )
    if head.startswith(b"%PDF"):
        return UserError(
            f"Tệp '{name}' là tệp PDF, không phải bảng tính Excel. "
            "Hãy dùng tệp Excel (.xlsx) của phụ lục.",
            "file_type",
        )
    if head[:5].lower().startswith((b"<html", b"<!doc", b"<?xml")):
        return UserError(
            f"Tệp '{name}' là trang web/XML được đổi tên, không phải bảng tính Excel (.xlsx).",
            "file_type",
        )
    return UserError(
        f"Tệp '{name}' không phải là bảng tính Excel (.xlsx) hoặc đã bị hỏng.", "file_type"
    )


def file_head(path: Path, kind: str) -> tuple[int, bytes]:
    """(size, first 8 bytes) of an appendix file, with the size refused first when it is
    beyond MAX_FILE_BYTES; `kind` names what a folder given instead is not ("tệp Excel")."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp '{path}'.", "missing") from None
    except IsADirectoryError:
        raise UserError(f"'{path}' là một thư mục, không phải {kind}.", "file_type") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp '{path}': {exc.strerror or exc}.", "io") from None
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"Tệp '{path.name}' quá lớn ({size / 1024 / 1024:.1f} MB; tối đa "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB cho một phụ lục kế hoạch).",
            "too_large",
        )
    return size, head


def check_workbook_file(path: Path | str) -> WorkbookCheck:
    """Refuse files that are not safe or not sensible to open; UserError says why."""
    path = Path(path)
    name = path.name
    size, head = file_head(path, "tệp Excel")
    if size == 0:
        raise UserError(f"Tệp '{name}' rỗng (0 byte).", "file_type")
    if not head.startswith(b"PK"):
        raise _not_a_workbook(path, head)
    return open_checked_zip(path, _check_archive)


def open_checked_zip(path: Path, inspect: Callable[[zipfile.ZipFile, str], T]) -> T:
    """`inspect(archive, name)` over the zip at `path`; a damaged or truncated zip is a
    Vietnamese "bị hỏng" message, whatever exception the zip module raises."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            return inspect(archive, name)
    except zipfile.BadZipFile:
        raise UserError(
            f"Tệp '{name}' bị hỏng hoặc chưa tải về hết (không đọc được cấu trúc tệp). "
            "Hãy tải lại hoặc chép lại tệp.",
            "corrupt",
        ) from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError, zlib.error):
        raise UserError(
            f"Tệp '{name}' bị hỏng hoặc chưa tải về hết. Hãy tải lại hoặc chép lại tệp.",
            "corrupt",
        ) from None


def _check_archive(archive: zipfile.ZipFile, name: str) -> WorkbookCheck:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            raise UserError(
                f"Tệp '{name}' là văn bản Word, không phải bảng tính Excel.", "file_type"
            )
        raise UserError(f"Tệp '{name}' không phải là bảng tính Excel (.xlsx).", "file_type")
    check_zip_sizes(infos, name)
    external = 0
    for info in infos:
        lower = info.filename.lower()
        if lower.startswith("xl/externallinks/") and lower.endswith(".xml"):
            external += 1
        if lower.endswith("vbaproject.bin") or lower.endswith("vbaprojectsignature.bin"):
            raise UserError(
                f"Tệp '{name}' là sổ làm việc có macro (VBA, {info.filename}). Ứng dụng không "
                "mở tệp có macro; hãy lưu lại dạng Excel Workbook (.xlsx) không macro.",
                "macro",
            )
    scan = WorkbookScan()
    # [Content_Types].xml first: a macro workbook is refused before its sheets are read.
    for info in sorted(infos, key=lambda i: i.filename != "[Content_Types].xml"):
        if is_xml_part(archive, info, scan):
            scan_part(archive, info, name, scan)
    return WorkbookCheck(external_links=external, cells=scan.cells, scan=scan)


def check_zip_sizes(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse an archive of absurd part count, unzipped size or compression ratio (bombs)."""
    if len(infos) > MAX_PARTS:
        raise UserError(
            f"Tệp '{name}' có {len(infos)} thành phần bên trong — bất thường đối với một "
            "phụ lục kế hoạch, không mở.",
            "too_large",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise UserError(
            f"Tệp '{name}' khi giải nén lên tới {total / 1024 / 1024:.0f} MB — bất thường "
            "(có thể là tệp độc hại), không mở.",
            "too_large",
        )
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_PART_RATIO * max(
            info.compress_size, 1
        ):
            raise UserError(
                f"Tệp '{name}' có thành phần nén bất thường ({info.filename}: "
                f"{info.compress_size} byte nén thành {info.file_size} byte) — có thể là "
                "tệp độc hại, không mở.",
                "too_large",
            )
