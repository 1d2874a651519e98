"""A worksheet as a plain grid of Unicode texts, with merged cells filled in.

openpyxl gives cells with fonts, number formats and merged ranges; the table
readers want text. Each cell becomes its Unicode NFC text (legacy TCVN3/VNI
converted, decided per cell from its font and characters, and per sheet for
cells whose characters do not tell), numbers keep their value (a cell
formatted as percent holding 0.65 is 65 %), and every cell of a merged range
carries the range's value and the address of the range's first cell.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from openpyxl.worksheet.worksheet import Worksheet

from .legacy_text import (
    Encoding,
    font_encoding,
    guess_encoding,
    may_be_legacy,
    to_unicode,
)
from .xml_scan import SheetExtent

MAX_ROWS = 5000
MAX_COLS = 60


@dataclass(slots=True)
class Cell:
    text: str  # Unicode NFC as the office typed it (line breaks kept)
    number: float | None = None  # the value of a numeric cell, percent units for % cells
    percent: bool = False
    origin: tuple[int, int] | None = None  # first cell of the merged range this one belongs to
    is_date: bool = False  # a date (or time) cell: Excel turns "1.5" or "3/4" into dates
    is_bool: bool = False  # a TRUE/FALSE cell (read "Có"/"Không")


@dataclass
class SheetGrid:
    title: str
    max_row: int
    max_col: int
    cells: dict[tuple[int, int], Cell]
    converted: Counter[Encoding]  # how many text cells were converted from each legacy encoding
    truncated: bool = False
    # TCVN3 cells whose first letter was restored as a capital (convert_pending)
    capitalized: list[tuple[int, int]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Cell | None:
        return self.cells.get((row, col))

    def text(self, row: int, col: int) -> str | None:
        cell = self.cells.get((row, col))
        return cell.text if cell else None

    def row_cells(self, row: int) -> list[tuple[int, Cell]]:
        return [
            (c, self.cells[(row, c)]) for c in range(1, self.max_col + 1) if (row, c) in self.cells
        ]

    @property
    def encoding(self) -> Encoding:
        """The legacy encoding most of the sheet was in (UNICODE when none)."""
        if not self.converted:
            return Encoding.UNICODE
        return max(self.converted, key=self.converted.__getitem__)


def number_text(number: float) -> str:
    """A number as Vietnamese text without rounding it: 0.61 → "0,61", 1000 → "1000"."""
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    text = repr(round(number, 10))
    if "e" in text:
        return text
    return text.replace(".", ",")


def _convert_value(value: object, number_format: str) -> Cell | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return Cell("Có" if value else "Không", is_bool=True)
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return Cell(str(value))
        percent = "%" in (number_format or "")
        if percent:
            number = round(number * 100, 10)
        return Cell(number_text(number) + ("%" if percent else ""), number, percent)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return Cell(f"{value.day}/{value.month}/{value.year}", is_date=True)
        return Cell(value.isoformat(sep=" "), is_date=True)
    if isinstance(value, date):
        return Cell(f"{value.day}/{value.month}/{value.year}", is_date=True)
    if isinstance(value, time | timedelta):
        return Cell(str(value), is_date=True)
    text = str(value)
    return Cell(text) if text.strip() else None


def _fix_capitals(text: str) -> str:
    """TCVN3 capitals typed in .VnTimeH read without the font: "PHáT" → "PHÁT"."""
    letters = [ch for ch in text if ch.isalpha()]
    ascii_letters = [ch for ch in letters if ch.isascii()]
    if ascii_letters and all(ch.isupper() for ch in ascii_letters) and len(ascii_letters) >= 2:
        if any(ch.islower() and not ch.isascii() for ch in letters):
            return text.upper()
    return text


def read_grid(ws: Worksheet, extent: SheetExtent | None = None) -> SheetGrid:
    """Read `ws` (at most MAX_ROWS × MAX_COLS) into a SheetGrid.

    `extent` is what the pre-check counted in the sheet's XML (the last row and
    column holding a value, the merged ranges); a streaming (read-only) sheet
    is read over it, never over the dimension the sheet declares. Without it
    (a sheet built in memory) the sheet's own size and merged ranges are used.
    """
    if extent is not None:
        rows, cols, merged = extent.max_row, extent.max_col, extent.merged
    else:
        rows, cols = ws.max_row or 0, ws.max_column or 0
        merged = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    max_row = min(rows, MAX_ROWS)
    max_col = min(cols, MAX_COLS)
    truncated = rows > MAX_ROWS or cols > MAX_COLS
    cells: dict[tuple[int, int], Cell] = {}
    pending: list[tuple[tuple[int, int], str, Encoding | None, bool]] = []
    decisions: Counter[Encoding] = Counter()
    rows_iter = ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col) if max_row else ()
    for row in rows_iter:
        for xl in row:
            value = xl.value
            if value is None:
                continue
            cell = _convert_value(value, xl.number_format)
            if cell is None:
                continue
            key = (xl.row, xl.column)
            if isinstance(value, str) and may_be_legacy(value):
                by_font, capitals = font_encoding(xl.font.name if xl.font else None)
                guessed = guess_encoding(value)
                if guessed is Encoding.UNICODE:
                    chosen: Encoding | None = Encoding.UNICODE
                else:
                    chosen = by_font or guessed
                if chosen is not None:
                    decisions[chosen] += 1
                pending.append((key, value, chosen, capitals))
            else:
                if isinstance(value, str):
                    by_font, capitals = font_encoding(xl.font.name if xl.font else None)
                    if by_font is not None and capitals:
                        # ASCII-only text in a capitals font is still capitals.
                        cell.text = value.upper()
                cell.text = to_unicode(cell.text, None)
            cells[key] = cell
    converted, capitalized = convert_pending(cells, pending, decisions)
    _fill_merged(merged, cells, max_row, max_col)
    return SheetGrid(ws.title, max_row, max_col, cells, converted, truncated, capitalized)


Pending = list[tuple[tuple[int, int], str, "Encoding | None", bool]]


def convert_pending(
    cells: dict[tuple[int, int], Cell], pending: Pending, decisions: Counter[Encoding]
) -> tuple[Counter[Encoding], list[tuple[int, int]]]:
    """Convert the cells that may be in a legacy encoding (the sheet's majority decides
    for cells whose characters do not tell); returns how many were converted from each
    encoding and the cells whose first letter was restored as a capital.

    TCVN3 (.VnTime) has no capitals with tone marks: a cell the document meant as
    "Ứng dụng AI…" holds "øng dông AI…", read "ứng dụng AI…". Such a first letter
    is written as a capital when the other texts of its column start with capitals.
    """
    majority = _majority(decisions)
    converted: Counter[Encoding] = Counter()
    lowered: list[tuple[int, int]] = []
    for key, value, chosen, capitals in pending:
        encoding = chosen if chosen is not None else majority
        text = to_unicode(value, encoding, capitals)
        if encoding is Encoding.TCVN3 and not capitals:
            text = _fix_capitals(text)
            first = next((ch for ch in text if ch.isalpha()), "")
            if first and first.islower() and not first.isascii():
                lowered.append(key)
        if encoding is not None and encoding is not Encoding.UNICODE:
            converted[encoding] += 1
        cells[key].text = text
    return converted, _restore_capitals(cells, lowered)


def _restore_capitals(
    cells: dict[tuple[int, int], Cell], lowered: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    if not lowered:
        return []
    starts: dict[int, list[bool]] = {}
    for (_row, col), cell in cells.items():
        first = next((ch for ch in cell.text if ch.isalpha()), "")
        if first and cell.origin is None and (first.isascii() or first.isupper()):
            starts.setdefault(col, []).append(first.isupper())
    restored = []
    for key in lowered:
        seen = starts.get(key[1], [])
        if len(seen) >= 2 and sum(seen) >= 0.8 * len(seen):
            text = cells[key].text
            i = next(i for i, ch in enumerate(text) if ch.isalpha())
            cells[key].text = text[:i] + text[i].upper() + text[i + 1 :]
            restored.append(key)
    return restored


def _majority(decisions: Counter[Encoding]) -> Encoding | None:
    """The legacy encoding to assume for cells whose characters do not tell."""
    legacy = [(decisions[e], e) for e in (Encoding.TCVN3, Encoding.VNI) if decisions[e]]
    if not legacy:
        return None
    count, encoding = max(legacy)
    return encoding if count > decisions[Encoding.UNICODE] else None


def _fill_merged(
    merged: list[tuple[int, int, int, int]],
    cells: dict[tuple[int, int], Cell],
    max_row: int,
    max_col: int,
) -> None:
    for r0, c0, r1, c1 in merged:
        if r0 > max_row or c0 > max_col:
            continue
        source = cells.get((r0, c0))
        if source is None:
            continue
        for r in range(r0, min(r1, max_row) + 1):
            for c in range(c0, min(c1, max_col) + 1):
                if (r, c) != (r0, c0):
                    cells[(r, c)] = Cell(
                        source.text, source.number, source.percent, (r0, c0), source.is_date
                    )
