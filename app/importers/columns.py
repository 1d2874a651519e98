"""Find the header of an appendix table and what each column holds, by its text.

Offices word their headers differently ("Đơn vị tính", "Đơn vị tính/đo
lường", "ĐVT"; "Cơ quan chủ trì", "Cơ quan, đơn vị chủ trì tham mưu; theo
dõi, báo cáo") and spread them over two or three rows with merged cells
(`CHỈ TIÊU` over `Năm 2025 | Năm 2030 | …`). Each column's header is the
text of its cells in all header rows, read with accents and case folded, and
classified by key words — never by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from ..models.text import clean, fold
from .grid import SheetGrid

HEADER_SEARCH_ROWS = 40

CODE = "code"
NAME = "name"
UNIT = "unit"
KIND = "kind"
DIRECTION = "direction"
MEASURE = "measure"  # "Cách tính": a level at a date or a count per year
COMPARATOR = "comparator"
BASELINE = "baseline"
YEAR = "year"
TARGET = "target"  # one target column whose year comes from the group title
LEAD = "lead"
PARTNERS = "partners"
OUTPUT = "output"
DEADLINE = "deadline"
NOTE = "note"
UNKNOWN = "unknown"

_CODE_WORDS = {"stt", "tt", "so tt", "so thu tu", "ma", "ma so", "ma chi tieu", "ma nhiem vu"}
_YEAR_HEADER = re.compile(
    r"(?:(?:den|muc tieu|chi tieu|ke hoach|giai doan|dat)\s*)?(?:nam\s*)?((?:19|20)\d\d)"
    r"(?:\s*\(.*\))?"
)
_AS_OF = re.compile(r"\(([^()]*\d{4}[^()]*)\)")


def classify(folded: str, bottom: str) -> str:
    """The field of a column from its folded header text (`bottom`: its lowest header cell)."""
    f = folded
    if f in _CODE_WORDS or f.startswith("stt") or bottom in _CODE_WORDS:
        return CODE
    if any(w in f for w in ("hien trang", "thuc trang", "nam goc", "gia tri co so", "xuat phat")):
        return BASELINE
    if _YEAR_HEADER.fullmatch(bottom):
        return YEAR
    if "ghi chu" in f:
        return NOTE
    if "loai chi tieu" in f or "kieu chi tieu" in f or f == "loai":
        return KIND
    if "chieu danh gia" in f or f == "chieu":
        return DIRECTION
    if "cach tinh" in f:
        return MEASURE
    if "so sanh" in f:
        return COMPARATOR
    if "phoi hop" in f:
        return PARTNERS
    if "chu tri" in f or "co quan thuc hien" in f or "don vi thuc hien" in f or "trach nhiem" in f:
        return LEAD
    if "don vi tinh" in f or f in {"dvt", "don vi", "dv tinh"} or f.startswith("don vi do"):
        return UNIT
    if any(w in f for w in ("thoi gian", "thoi han", "tien do", "han hoan thanh")):
        return DEADLINE
    if any(w in f for w in ("ket qua", "san pham")):
        return OUTPUT
    if f in {"muc tieu", "chi tieu can dat", "muc tieu can dat", "gia tri muc tieu"}:
        return TARGET
    if any(w in f for w in ("noi dung", "ten chi tieu", "ten nhiem vu", "chi tieu", "nhiem vu")):
        return NAME
    if f in {"ten", "ten goi"}:
        return NAME
    return UNKNOWN


@dataclass
class Column:
    index: int
    field: str
    label: str  # what messages call the column ("Năm 2030")
    year: int | None = None
    as_of: str | None = None  # baseline date from "Hiện trạng (tháng 3/2025)"

    @property
    def letter(self) -> str:
        return get_column_letter(self.index)


@dataclass
class Header:
    first_row: int
    last_row: int
    data_start: int
    columns: list[Column]
    title_text: str  # folded title lines above the header ("phu luc i danh muc …")
    duplicates: list[Column] = field(default_factory=list)

    def get(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.field == name), None)

    @property
    def years(self) -> list[Column]:
        return [c for c in self.columns if c.field == YEAR]

    def table_kind(self) -> str | None:
        """ "indicators", "tasks" or None, from which columns the table has."""
        fields = {c.field for c in self.columns}
        name = self.get(NAME)
        name_text = fold(name.label) if name else ""
        ind = 2 * bool(fields & {YEAR, TARGET}) + (BASELINE in fields) + (UNIT in fields)
        ind += (KIND in fields) + ("chi tieu" in name_text)
        task = 2 * (DEADLINE in fields) + (PARTNERS in fields) + (OUTPUT in fields)
        task += "nhiem vu" in name_text
        if "chi tieu" in self.title_text:
            ind += 2
        if "nhiem vu" in self.title_text:
            task += 2
        if NAME not in fields or max(ind, task) < 2 or ind == task:
            return None
        return "indicators" if ind > task else "tasks"


def row_is_header(grid: SheetGrid, row: int) -> bool:
    fields = []
    for _, cell in grid.row_cells(row):
        f = fold(cell.text)
        if len(f) > 120:
            continue
        fields.append(classify(f, f))
    known = {f for f in fields if f not in (UNKNOWN, YEAR)}
    return NAME in known and (CODE in known or len(known) >= 3)


def _is_numbering_row(grid: SheetGrid, row: int) -> bool:
    """The "(1) (2) (3) …" row some offices put under the header."""
    texts = [cell.text.strip() for _, cell in grid.row_cells(row) if cell.origin is None]
    if len(texts) < 3:
        return False
    numbers = []
    for text in texts:
        m = re.fullmatch(r"\(?(\d{1,2})\)?", text)
        if not m:
            return False
        numbers.append(int(m.group(1)))
    return numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def find_header(grid: SheetGrid, start: int = 1) -> Header | None:
    """The first header of an appendix table in `grid` at or after `start`, or None."""
    for row in range(start, min(grid.max_row, start + HEADER_SEARCH_ROWS - 1) + 1):
        if row_is_header(grid, row):
            return _build_header(grid, row, start)
    return None


def _build_header(grid: SheetGrid, first: int, start: int) -> Header:
    last = first
    # Cells merged down from the header's first row belong to the header.
    for (r, _c), cell in grid.cells.items():
        if cell.origin is not None and cell.origin[0] == first and r <= first + 3:
            last = max(last, r)
    # A following row of year cells ("Năm 2025 | Năm 2030") is a header row too.
    while last < first + 3 and last < grid.max_row:
        below = [fold(cell.text) for _, cell in grid.row_cells(last + 1) if cell.origin is None]
        if below and all(_YEAR_HEADER.fullmatch(t) for t in below):
            last += 1
        else:
            break
    columns: list[Column] = []
    duplicates: list[Column] = []
    seen: set[str] = set()
    for col in range(1, grid.max_col + 1):
        parts: list[str] = []
        for r in range(first, last + 1):
            text = clean(grid.text(r, col))
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        if not parts:
            continue
        folded = fold(" ".join(parts))
        bottom = fold(parts[-1])
        kind = classify(folded, bottom)
        label = parts[-1] if kind == YEAR else " ".join(parts)
        column = Column(col, kind, label)
        if kind == YEAR:
            m = _YEAR_HEADER.fullmatch(bottom)
            assert m is not None
            column.year = int(m.group(1))
            column.label = f"Năm {column.year}" if bottom[:1].isdigit() else parts[-1]
        if kind == BASELINE and (m := _AS_OF.search(" ".join(parts))):
            as_of = clean(m.group(1)) or ""
            column.as_of = as_of[:1].upper() + as_of[1:]
        key = f"{kind}:{column.year}" if kind == YEAR else kind
        if (
            kind == NAME
            and key in seen
            and TARGET not in seen
            and not any(k.startswith(f"{YEAR}:") for k in seen)
        ):
            # "Chỉ tiêu" heads both the name and the target column in some plans:
            # the one that holds targets ("≥ 80%", "02", "Có") is the target.
            name_col = next(c for c in columns if c.field == NAME)
            holds = _holds_targets(grid, col, last + 1)
            if holds and not _holds_targets(grid, name_col.index, last + 1):
                column.field, key = TARGET, TARGET
        if kind != UNKNOWN and key in seen:
            duplicates.append(column)
            continue
        seen.add(key)
        columns.append(column)
    data_start = last + 1
    if data_start <= grid.max_row and _is_numbering_row(grid, data_start):
        data_start += 1
    title = " ".join(
        fold(cell.text)
        for r in range(start, first)
        for _, cell in grid.row_cells(r)
        if cell.origin is None
    )
    header = Header(first, last, data_start, columns, title, duplicates)
    if not header.years and header.get(TARGET) is None and (out := header.get(OUTPUT)):
        # "Kết quả đánh giá" in a one-column indicator table is the target.
        if header.table_kind() == "indicators":
            out.field = TARGET
    return header


def repeated_header(grid: SheetGrid, row: int, header: Header) -> int | None:
    """Where the data resumes when `row` repeats `header` (a Word table that ran over
    several pages, pasted into Excel, repeats its header on every page); None when
    the row is the header of another table."""
    again = _build_header(grid, row, row)
    same = [(c.field, c.year) for c in again.columns if c.field != UNKNOWN]
    mine = [(c.field, c.year) for c in header.columns if c.field != UNKNOWN]
    return again.data_start if same == mine else None


_TARGET_TEXT = re.compile(r"(?:[<>≥≤=~]|>=|<=|khoảng|trên|dưới|ít nhất|tối thiểu|đạt)?\s*\d", re.I)
_YES_NO = {"co", "khong", "dat", "chua dat", "x"}


def _holds_targets(grid: SheetGrid, col: int, start: int, sample: int = 40) -> bool:
    """Whether most filled cells of a column under the header look like targets:
    numbers, "≥ 80%", "02", "Có" — not names (which are long words)."""
    filled = looks = 0
    for row in range(start, min(grid.max_row, start + sample) + 1):
        cell = grid.cell(row, col)
        if cell is None or cell.origin is not None or not cell.text.strip():
            continue
        filled += 1
        text = cell.text.strip()
        if cell.number is not None or _TARGET_TEXT.match(text) or fold(text) in _YES_NO:
            looks += 1
    return filled >= 2 and looks >= 0.6 * filled
