"""Check a workbook file before any XML parser sees it.

Workbooks arrive by email and USB. An .xlsx is a zip of XML parts, so the
checks run on the zip directory and on the first bytes of each part: the
file size, the number of parts, the unzipped size and compression ratio
(zip bombs), the declared sheet dimensions (absurd cell counts), and any DTD
(XML entity bombs and external entities: real workbooks never carry one).
openpyxl then parses with defusedxml as a second line of defence, and the
workbook is opened without keeping external links.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..models.errors import UserError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_PART_RATIO = 200  # a sheet of repeated cells compresses ~20×; bombs go far beyond
MAX_PARTS = 2000
MAX_CELLS = 2_000_000  # per workbook, from the sheets' declared dimensions
PROLOG_BYTES = 4096

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")


@dataclass(frozen=True)
class WorkbookCheck:
    """What the pre-check learnt: the parts holding external links (ignored on load)."""

    external_links: int
    declared_cells: int


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


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


def check_workbook_file(path: Path | str) -> WorkbookCheck:
    """Refuse files that are not safe or not sensible to open; UserError says why."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp '{path}'.", "missing") from None
    except IsADirectoryError:
        raise UserError(f"'{path}' là một thư mục, không phải tệp Excel.", "file_type") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp '{path}': {exc.strerror or exc}.", "io") from None
    if size == 0:
        raise UserError(f"Tệp '{name}' rỗng (0 byte).", "file_type")
    if size > MAX_FILE_BYTES:
        raise UserError(
            f"Tệp '{name}' quá lớn ({size / 1024 / 1024:.1f} MB; tối đa "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB cho một phụ lục kế hoạch).",
            "too_large",
        )
    if not head.startswith(b"PK"):
        raise _not_a_workbook(path, head)
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, name)
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
    cells = 0
    external = 0
    for info in infos:
        lower = info.filename.lower()
        if lower.startswith("xl/externallinks/") and lower.endswith(".xml"):
            external += 1
        if not lower.endswith((".xml", ".rels", ".vml")):
            continue
        with archive.open(info) as part:
            prolog = part.read(PROLOG_BYTES)
        if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
            raise UserError(
                f"Tệp '{name}' chứa khai báo XML không được phép ({info.filename}) — có thể là "
                "tệp độc hại, không mở.",
                "unsafe",
            )
        if lower.startswith("xl/worksheets/") and (m := _DIMENSION.search(prolog)):
            first_col, first_row = _col_number(m.group(1)), int(m.group(2))
            last_col = _col_number(m.group(3)) if m.group(3) else first_col
            last_row = int(m.group(4)) if m.group(4) else first_row
            cells += (last_col - first_col + 1) * (last_row - first_row + 1)
    if cells > MAX_CELLS:
        count = f"{cells:,}".replace(",", ".")  # Vietnamese thousands separator
        raise UserError(
            f"Tệp '{name}' khai báo {count} ô — quá lớn đối với một phụ lục kế hoạch, không mở.",
            "too_large",
        )
    return WorkbookCheck(external_links=external, declared_cells=cells)
