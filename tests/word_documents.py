"""Build Word documents whose appendices are tables, from the same layouts as tests/workbooks.py.

`write_indicator_sheet` and `write_task_sheet` write into a worksheet; here
they write into a `TableSheet`, which records cells, fonts and merges the way
openpyxl would, and each sheet becomes a Word table (python-docx) with the
same text, fonts and merged cells — numbers as Word holds them, as text
("65%", "02"). So a document and a workbook built from one plan must import
to the same plan.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.models.values import format_number

from .workbooks import encoder, write_indicator_sheet, write_task_sheet


@dataclass
class _Cell:
    value: Any = None
    number_format: str | None = None
    font: Any = None
    alignment: Any = None


@dataclass
class TableSheet:
    """Just enough of an openpyxl worksheet for the layout writers."""

    title: str = ""
    cells: dict[tuple[int, int], _Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    column_dimensions: Any = field(default_factory=lambda: defaultdict(_Cell))

    def cell(self, row: int, column: int) -> _Cell:
        return self.cells.setdefault((row, column), _Cell())

    def merge_cells(self, start_row: int, start_column: int, end_row: int, end_column: int) -> None:
        self.merges.append((start_row, start_column, end_row, end_column))


def _text(cell: _Cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if cell.number_format and "%" in cell.number_format:
        return format_number(float(value) * 100, 6) + "%"
    return format_number(float(value), 6)


def add_table(document: Any, sheet: TableSheet) -> None:
    """The sheet as one Word table: text, the cell's font, merged ranges merged."""
    rows = max(r for r, _ in sheet.cells)
    cols = max(c for _, c in sheet.cells)
    table = document.add_table(rows=rows, cols=cols)
    grid = [list(row.cells) for row in table.rows]  # table.cell() re-walks the whole table
    for (r, c), cell in sheet.cells.items():
        text = _text(cell)
        if not text:
            continue
        target = grid[r - 1][c - 1]
        lines = text.split("\n")
        paragraph = target.paragraphs[0]
        for i, line in enumerate(lines):
            if i:
                paragraph = target.add_paragraph()
            run = paragraph.add_run(line)
            if cell.font is not None and getattr(cell.font, "name", None):
                run.font.name = cell.font.name
    for r1, c1, r2, c2 in sheet.merges:
        table.cell(r1 - 1, c1 - 1).merge(table.cell(r2 - 1, c2 - 1))


def write_document(path: Path, plan: Any, encoding: str = "unicode") -> Path:
    """`plan`'s Phụ lục I and II as two Word tables with a line of text between them."""
    import docx

    document = docx.Document()
    document.add_paragraph("PHỤ LỤC KÈM THEO KẾ HOẠCH")
    encode = encoder(encoding)
    indicators = TableSheet()
    write_indicator_sheet(indicators, plan, encode)
    add_table(document, indicators)
    for appendix in plan.task_appendices if len(plan.task_appendices) > 1 else [None]:
        tasks = TableSheet()
        write_task_sheet(tasks, plan, encode, appendix=appendix)
        document.add_paragraph("")
        add_table(document, tasks)
    document.save(str(path))
    return path
