"""Read every XML part of a workbook once, streaming, before openpyxl sees any of it.

expat, fed 64 KB at a time straight from the zip, with callbacks that:

- refuse any DTD (internal or external) and any entity declaration, in every
  part: real workbooks never carry one, so "no DTD, no entities" holds for
  `[Content_Types].xml`, `docProps/*`, `_rels/*`, styles and sheets alike,
  whatever their encoding or how far into the part the DTD hides;
- refuse macro workbooks by their content types (`macroEnabled`, `vbaProject`);
- count, in every worksheet, the rows and columns that hold values, the cells
  and each cell's length, and the merged ranges and their area, as they are
  read — never from the `<dimension>` a sheet declares — and stop at the first
  limit passed;
- count the characters of every shared string (where a 100 MB "cell" lives).

A hard cap on elements bounds the work of parts full of empty styled cells.
What the scan learnt (the extent of each sheet and its merged ranges) is what
the grid reads afterwards with openpyxl's streaming (read-only) reader.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from ..models.errors import UserError

CHUNK = 64 * 1024
MAX_ROWS = 10_000  # rows holding a value, per sheet (a plan appendix has a few hundred)
MAX_COLUMNS = 200  # columns holding a value, per sheet (Excel allows 16,384)
MAX_CELLS = 200_000  # cells holding a value, per workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_MERGED_RANGES = 10_000  # per sheet
MAX_MERGED_CELLS = 200_000  # cells covered by merged ranges, per sheet
MAX_UNCACHED = 1000  # formula cells without a stored value, listed per sheet
MAX_ELEMENTS = 1_000_000  # XML elements, per workbook (empty styled cells included)

MACRO_TYPES = ("macroenabled", "vbaproject", "ms-office.activex", "ms-excel.addin")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass
class SheetExtent:
    """What one worksheet part holds, counted while reading it."""

    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1
    uncached: list[tuple[int, int]] = field(default_factory=list)  # formula cells with no value


@dataclass
class WorkbookScan:
    sheets: dict[str, SheetExtent] = field(default_factory=dict)  # by part name
    elements: int = 0
    cells: int = 0
    overrides: dict[str, str] = field(default_factory=dict)  # part (lower case) -> content type
    defaults: dict[str, str] = field(default_factory=dict)  # extension -> content type

    def content_type(self, part: str) -> str:
        lower = part.lower()
        return self.overrides.get(lower) or self.defaults.get(lower.rsplit(".", 1)[-1], "")


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


_LOCAL: dict[str, str] = {}  # "ns}c" -> "c": a workbook uses a few dozen names


def _local(name: str) -> str:
    local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    if len(_LOCAL) < 10_000:
        _LOCAL[name] = local
    return local


class _Refused(Exception):
    def __init__(self, error: UserError) -> None:
        self.error = error


class _PartScan:
    """The callbacks for one part; `kind` is "sheet", "strings", "types" or "other"."""

    def __init__(self, book: str, part: str, kind: str, scan: WorkbookScan) -> None:
        self.book, self.part, self.kind, self.scan = book, part, kind, scan
        self.extent = SheetExtent() if kind == "sheet" else None
        self.row = 0
        self.col = 0
        self.ref: str | None = None  # the current cell's reference, parsed when needed
        self.in_value = False  # inside <v>, <t> or <f> of a cell / shared string
        self.in_formula = False
        self.has_formula = False  # the current cell has a formula …
        self.has_cached = False  # … and a value Excel stored for it
        self.chars = 0
        self.has_value = False
        self.merged_area = 0

    def refuse(self, message: str, code: str = "too_large") -> None:
        raise _Refused(UserError(f"Tệp '{self.book}' {message}", code))

    def unsafe(self, *_args: object) -> None:
        self.refuse(
            f"chứa khai báo XML không được phép (DTD hoặc thực thể trong {self.part}) — có thể "
            "là tệp độc hại, không mở.",
            "unsafe",
        )

    def start(self, name: str, attrs: dict[str, str]) -> None:
        scan = self.scan
        scan.elements += 1
        if scan.elements > MAX_ELEMENTS:
            self.refuse(
                f"có quá nhiều thành phần XML (giới hạn {_thousands(MAX_ELEMENTS)}) — bất "
                "thường đối với một phụ lục kế hoạch, không mở."
            )
        if self.kind == "other":
            return
        tag = _LOCAL.get(name) or _local(name)
        if tag == "c":  # the hot path: one call per cell, empty ones included
            self.ref = attrs.get("r")
            if self.ref is None:
                self.col = self._column() + 1
            self.chars = 0
            self.has_value = False
            self.has_formula = self.has_cached = False
        elif tag in ("v", "t", "f"):
            self.in_value = True
            self.in_formula = tag == "f"
            self.has_formula = self.has_formula or self.in_formula
        elif tag == "row":
            r = attrs.get("r")
            self.row = int(r) if r and r.isdigit() else self.row + 1
            self.col, self.ref = 0, None
        elif tag == "si":
            self.chars = 0
        elif tag == "mergeCell" and self.kind == "sheet":
            self._merge(attrs.get("ref") or "")
        elif self.kind == "types":
            content = (attrs.get("ContentType") or "").lower()
            if any(m in content for m in MACRO_TYPES):
                self.refuse(
                    "là sổ làm việc có macro (VBA) hoặc điều khiển ActiveX "
                    f"({attrs.get('PartName') or attrs.get('Extension') or content}). "
                    "Ứng dụng không mở tệp có macro; hãy lưu lại dạng Excel Workbook (.xlsx) "
                    "không macro.",
                    "macro",
                )
            if attrs.get("PartName"):
                scan.overrides[attrs["PartName"].lstrip("/").lower()] = content
            elif attrs.get("Extension"):
                scan.defaults[attrs["Extension"].lower()] = content

    def _column(self) -> int:
        """The current cell's column: from its reference, parsed only when needed."""
        if self.ref is not None:
            m = _REF.fullmatch(self.ref)
            if m:
                self.col = col_number(m.group(1))
                self.row = int(m.group(2))
            self.ref = None
        return self.col

    def _merge(self, ref: str) -> None:
        assert self.extent is not None
        first, _, last = ref.partition(":")
        a, b = _REF.fullmatch(first), _REF.fullmatch(last or first)
        if not a or not b:
            return
        r0, c0 = int(a.group(2)), col_number(a.group(1))
        r1, c1 = int(b.group(2)), col_number(b.group(1))
        r0, r1, c0, c1 = min(r0, r1), max(r0, r1), min(c0, c1), max(c0, c1)
        self.merged_area += (r1 - r0 + 1) * (c1 - c0 + 1)
        self.extent.merged.append((r0, c0, r1, c1))
        if len(self.extent.merged) > MAX_MERGED_RANGES:
            self.refuse(
                f"có quá nhiều vùng gộp ô trong {self.part} (giới hạn "
                f"{_thousands(MAX_MERGED_RANGES)} vùng) — không mở."
            )
        if self.merged_area > MAX_MERGED_CELLS:
            self.refuse(
                f"có vùng gộp ô quá lớn trong {self.part} ({ref}; giới hạn "
                f"{_thousands(MAX_MERGED_CELLS)} ô được gộp trong một trang) — không mở."
            )

    def data(self, text: str) -> None:
        if not self.in_value:
            return
        self.chars += len(text)
        if text.strip():
            self.has_value = True
            if not self.in_formula:
                self.has_cached = True
        if self.chars > MAX_CELL_CHARS:
            where = f"ô {self._ref()} trong {self.part}" if self.kind == "sheet" else self.part
            self.refuse(
                f"có một ô dài hơn giới hạn {_thousands(MAX_CELL_CHARS)} ký tự ({where}) — "
                "không mở."
            )

    def _ref(self) -> str:
        from openpyxl.utils import get_column_letter

        self._column()
        return f"{get_column_letter(min(max(self.col, 1), 18278))}{self.row}"

    def end(self, name: str) -> None:
        tag = _LOCAL.get(name) or _local(name)
        if tag == "c":
            if self.kind == "sheet" and self.has_formula and not self.has_cached:
                self._column()
                if len(self.extent.uncached) < MAX_UNCACHED:  # type: ignore[union-attr]
                    self.extent.uncached.append((self.row, self.col))  # type: ignore[union-attr]
            if self.has_value and self.kind == "sheet":
                self._column()
                self._count_cell()
        elif tag in ("v", "t", "f"):
            self.in_value = False

    def _count_cell(self) -> None:
        extent = self.extent
        assert extent is not None
        if self.row > MAX_ROWS:
            self.refuse(
                f"có dữ liệu ở dòng {_thousands(self.row)} của {self.part}, vượt giới hạn "
                f"{_thousands(MAX_ROWS)} dòng cho một phụ lục kế hoạch — không mở."
            )
        if self.col > MAX_COLUMNS:
            self.refuse(
                f"có dữ liệu ở cột {self._ref()} của {self.part}, vượt giới hạn "
                f"{MAX_COLUMNS} cột cho một phụ lục kế hoạch — không mở."
            )
        extent.cells += 1
        self.scan.cells += 1
        if self.scan.cells > MAX_CELLS:
            self.refuse(
                f"có hơn {_thousands(MAX_CELLS)} ô có dữ liệu (giới hạn cho một phụ lục kế "
                "hoạch) — không mở."
            )
        extent.max_row = max(extent.max_row, self.row)
        extent.max_col = max(extent.max_col, self.col)


def _kind(part: str, scan: WorkbookScan) -> str:
    """What a part is, by its content type first (a sheet may be stored under any name)."""
    lower = part.lower()
    if lower == "[content_types].xml":
        return "types"
    content = scan.content_type(part)
    if "worksheet+xml" in content:
        return "sheet"
    if "sharedstrings+xml" in content:
        return "strings"
    if lower.startswith("xl/worksheets/") and lower.endswith(".xml"):
        return "sheet"
    if lower == "xl/sharedstrings.xml":
        return "strings"
    return "other"


def scan_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, book: str, scan: WorkbookScan
) -> None:
    """Stream one part through expat with the checks above; UserError on the first refusal."""
    kind = _kind(info.filename, scan)
    state = _PartScan(book, info.filename, kind, scan)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = state.unsafe
    parser.EntityDeclHandler = state.unsafe
    parser.UnparsedEntityDeclHandler = state.unsafe
    parser.ExternalEntityRefHandler = state.unsafe  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    if kind in ("sheet", "strings"):
        parser.CharacterDataHandler = state.data
        parser.buffer_text = True
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        raise UserError(
            f"Tệp '{book}' bị hỏng, không đọc được nội dung bảng tính (phần {info.filename} "
            f"không phải XML hợp lệ: {expat.ErrorString(exc.code)}, dòng {exc.lineno}). "
            "Hãy mở bằng Excel, lưu lại rồi thử lại.",
            "corrupt",
        ) from None
    if state.extent is not None:
        scan.sheets[info.filename] = state.extent


_XML_STARTS = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")


def is_xml_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: WorkbookScan) -> bool:
    """Whether a part is XML: by its name, its content type, or (whatever it is called) by
    its first bytes, so no XML part escapes the scan by being renamed."""
    if info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return True
    if scan.content_type(info.filename).endswith("xml"):
        return True
    if info.is_dir() or info.file_size == 0:
        return False
    with archive.open(info) as part:
        head = part.read(64).lstrip(b" \t\r\n")
    return head.startswith(_XML_STARTS)
