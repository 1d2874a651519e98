"""The rows of an appendix table: group rows, numbered rows, continuation rows.

Group rows carry a Roman numeral (`I | PHÁT TRIỂN HẠ TẦNG`) or a letter
(`a) Phát triển hạ tầng số`), or are one title merged across the table.
Numbered rows (`1`, `2.3`, `b.1`) start an item. A row with no number that
follows an item is the rest of a long cell that wrapped into the next row
and is appended to the item. The table ends at the notes under it ("Ghi
chú", "(*)") or after two blank rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..models.text import clean, fold, from_roman, roman
from .columns import CODE, LEAD, NAME, NOTE, PARTNERS, Header, repeated_header, row_is_header
from .grid import Cell, SheetGrid
from .preview import Problem, Severity

_ROMAN_CODE = re.compile(r"([IVXivx]{1,6})((?:\.\d{1,2})*)[.):]?")
_ROMAN_TITLE = re.compile(r"([IVX]{1,6})[.):]?\s+(\S.+)", re.S)
_LETTER_CODE = re.compile(r"([a-zđA-ZĐ])[.):]?")
_ITEM_CODE = re.compile(r"(\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?|[a-zđ]\.\d{1,3}(?:\.\d{1,3})?)[.):]?")
_NOTE_START = ("ghi chu", "luu y", "chu thich", "nguon", "(*)", "*", "chu y")
MAX_BLANK_RUN = 2


@dataclass
class Record:
    """One numbered item with its cells' texts (continuation rows appended)."""

    row: int
    code: str
    texts: dict[int, str] = field(default_factory=dict)
    last_row: int = 0
    dates: dict[int, int] = field(default_factory=dict)  # column -> row of a date cell in it
    bools: dict[int, int] = field(default_factory=dict)  # column -> row of a TRUE/FALSE cell
    heading: str | None = None  # "2. Thực hiện TTHC…": the heading row above 2.1, 2.2…


@dataclass
class GroupRecord:
    row: int
    code: str
    title: str
    records: list[Record] = field(default_factory=list)


def _code_text(cell: Cell | None, row: int) -> str | None:
    """The STT cell's text; a cell merged down from an earlier row counts as empty."""
    if cell is None or (cell.origin is not None and cell.origin[0] != row):
        return None
    if cell.number is not None and not cell.percent:
        n = cell.number
        return str(int(n)) if n == int(n) else repr(n)
    return clean(cell.text)


def read_table(
    grid: SheetGrid, header: Header, problems: list[Problem]
) -> tuple[list[GroupRecord], int]:
    """Group the rows under `header` into groups of item records; also return
    the row where the table ended (notes, blank rows or the sheet's end)."""
    code_col = header.get(CODE)
    name_col = header.get(NAME)
    known_cols = {c.index for c in header.columns}
    groups: list[GroupRecord] = []
    current: Record | None = None
    blank_run = 0
    last = grid.max_row
    end = last + 1

    def warn(row: int, message: str) -> None:
        problems.append(Problem(grid.title, row, None, message, Severity.WARNING))

    def new_group(row: int, code: str, title: str) -> None:
        nonlocal current
        groups.append(GroupRecord(row, code, title))
        current = None

    resume = 0  # rows before this belong to a repeated header
    for row in range(header.data_start, last + 1):
        if row < resume:
            continue
        cells = grid.row_cells(row)
        own = [(c, cell) for c, cell in cells if cell.origin is None]
        if not own:
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN and (groups or current):
                end = row
                break
            continue
        blank_run = 0
        code = _code_text(grid.cell(row, code_col.index), row) if code_col else None
        first_text = fold(own[0][1].text)
        if code is None or not _ITEM_CODE.fullmatch(code):
            if row_is_header(grid, row):
                again = repeated_header(grid, row, header)
                if again is not None:
                    warn(row, "dòng tiêu đề bảng lặp lại giữa bảng (bảng sang trang), đã bỏ qua")
                    resume = again
                    continue
                end = row  # the header of a second table on the same sheet
                break
        if (not code or len(code) > 12) and first_text.startswith(_NOTE_START):
            end = row  # the notes under the table
            break
        name_text = clean(grid.text(row, name_col.index)) if name_col else None
        other_texts = [clean(cell.text) for c, cell in own if not code_col or c != code_col.index]
        title = name_text or next((t for t in other_texts if t), None)
        if code and (m := _ROMAN_CODE.fullmatch(code)) and from_roman(m.group(1)):
            new_group(row, m.group(1).upper() + m.group(2), title or "")
            if not title:
                problems.append(Problem(grid.title, row, None, f"nhóm '{code}' chưa có tên"))
            continue
        if code and (m := _ROMAN_TITLE.fullmatch(code)) and from_roman(m.group(1)):
            new_group(row, m.group(1), clean(m.group(2)) or "")
            continue
        if code and (m := _LETTER_CODE.fullmatch(code)) and not _ITEM_CODE.fullmatch(code):
            new_group(row, m.group(1), title or "")
            if not title:
                problems.append(Problem(grid.title, row, None, f"nhóm '{code}' chưa có tên"))
            continue
        if code and (m := _ITEM_CODE.fullmatch(code)) and name_col is not None:
            across = sum(1 for _c, cell in cells if cell.origin == (row, name_col.index))
            if across >= 2 and len(own) == 2 and name_text and "." not in code:
                # "1 | Đến năm 2030" with the title merged across the table: a group
                # numbered in Arabic numerals (some plans number groups 1, 2, 3), not an item
                new_group(row, code, name_text)
                continue
        if code and (m := _ITEM_CODE.fullmatch(code)):
            texts = {c: cell.text for c, cell in cells if c in known_cols}
            dates = {c: row for c, cell in cells if c in known_cols and cell.is_date}
            current = Record(row, m.group(1), texts, last_row=row, dates=dates)
            current.bools = {c: row for c, cell in cells if c in known_cols and cell.is_bool}
            if not groups:
                groups.append(GroupRecord(row, "", ""))
            groups[-1].records.append(current)
            continue
        wide = (
            len(own) == 1 and sum(1 for _c, cell in cells if cell.origin == (row, own[0][0])) >= 2
        )
        if wide:
            # A title merged across the table: a group row without a numeral.
            new_group(row, roman(min(len(groups) + 1, 39)), clean(own[0][1].text) or "")
            continue
        if not code and current is not None:
            for c, cell in own:
                if c in known_cols:
                    if cell.is_date:
                        current.dates.setdefault(c, row)
                    previous = current.texts.get(c)
                    current.texts[c] = f"{previous} {cell.text}" if previous else cell.text
            current.last_row = row
            continue
        if code:
            warn(row, f"không hiểu số thứ tự '{code[:40]}', đã bỏ qua dòng này")
        else:
            warn(row, "dòng không thuộc mục nào của bảng, đã bỏ qua")
    for group in groups:
        _headings(group, header, warn)
    return groups, end


def _headings(group: GroupRecord, header: Header, warn: Callable[[int, str], None]) -> None:
    """A numbered row with only a name, followed by its sub-items ("2." over 2.1–2.10),
    is the heading of those items, not an item: it is left out, and each sub-item
    keeps it (Record.heading) for its note."""
    wording = {c.index for c in header.columns if c.field in (CODE, NAME, LEAD, PARTNERS, NOTE)}
    name_col = header.get(NAME)
    kept: list[Record] = []
    records = group.records
    for i, record in enumerate(records):
        prefix = record.code + "."
        subs = [r for r in records[i + 1 :] if r.code.startswith(prefix)]
        bare = not any(t.strip() for c, t in record.texts.items() if c not in wording)
        if subs and bare and records[i + 1].code.startswith(prefix):
            name = clean(record.texts.get(name_col.index, "")) if name_col else ""
            for sub in subs:
                sub.heading = f"{record.code}. {name}" if name else record.code
            warn(record.row, f"dòng '{record.code}. {(name or '')[:50]}' là tiêu đề của các mục "
                             f"{subs[0].code}–{subs[-1].code}, không nhập thành một mục riêng")  # fmt: skip
            continue
        kept.append(record)
    group.records = kept
