"""How a workbook sheet prints: print area over all of its content, at least 8 pt.

openpyxl writes no layout, so the sheet says it all: the print area spans
every used row and column (a second table under the first included); a
sheet that fits one page width at 8 pt or more is fitted to it, a wider one
prints at the scale that keeps 8 pt across as many pages as it needs, with
its code and name columns repeated on each (Excel and LibreOffice honour
both). Widths are Excel's character units: about 1.9 mm each at 11 pt.
"""

from __future__ import annotations

import math

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MM_PER_WIDTH_UNIT = 1.9
BODY_PT = 11.0
MIN_PT = 8.0
A4_MM = {"landscape": 297.0, "portrait": 210.0}


def printable_mm(ws: Worksheet, orientation: str) -> float:
    margins = (ws.page_margins.left or 0) + (ws.page_margins.right or 0)
    return A4_MM[orientation] - margins * 25.4


def content_mm(ws: Worksheet) -> float:
    """The width of the used columns on paper at 100 %."""
    total = 0.0
    for col in range(1, (ws.max_column or 1) + 1):
        width = ws.column_dimensions[get_column_letter(col)].width or 8.43
        total += width * MM_PER_WIDTH_UNIT
    return total


def fit_print(ws: Worksheet, orientation: str, repeat_columns: str | None = "A:B") -> int:
    """Set the print area and the scale; returns the smallest font size's scale in percent."""
    last = get_column_letter(max(ws.max_column or 1, 1))
    ws.print_area = f"A1:{last}{max(ws.max_row or 1, 1)}"
    scale = printable_mm(ws, orientation) / max(content_mm(ws), 1) * 100
    floor = math.ceil(MIN_PT / BODY_PT * 100)
    if scale >= floor:  # one page wide, no smaller than 8 pt
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return min(100, int(scale))
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.scale = floor  # pages across, code and name columns on each
    if repeat_columns:
        ws.print_title_cols = repeat_columns
    _titles_on_first_page(ws, floor, orientation)
    return floor


def _titles_on_first_page(ws: Worksheet, scale: float, orientation: str, rows: int = 3) -> None:
    """A title merged across every column would be cut between the pages it spans; on a
    sheet printed across pages it is merged (and centred) over the first page's columns."""
    room = printable_mm(ws, orientation) / (scale / 100)
    used, last = 0.0, 1
    for col in range(1, (ws.max_column or 1) + 1):
        used += (ws.column_dimensions[get_column_letter(col)].width or 8.43) * MM_PER_WIDTH_UNIT
        if used > room:
            break
        last = col
    for merged in list(ws.merged_cells.ranges):
        if merged.max_row <= rows and merged.max_col > last:
            ws.unmerge_cells(str(merged))
            ws.merge_cells(start_row=merged.min_row, start_column=merged.min_col,
                           end_row=merged.max_row, end_column=max(last, merged.min_col))  # fmt: skip


def row_height_for(texts: list[tuple[str, float]], size: float = BODY_PT) -> float:
    """Points for a row whose cells hold `texts` (text, column width) wrapped."""
    lines = 1
    for text, width in texts:
        per_line = max(int(width * 1.2 * BODY_PT / size) - 1, 1)
        count = sum(-(-max(len(part), 1) // per_line) for part in str(text).split("\n"))
        lines = max(lines, count)
    return round(size * 1.36 * lines + 2, 1)
