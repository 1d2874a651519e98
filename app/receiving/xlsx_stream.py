"""A write-only worksheet whose rows go straight to disk as XML: a national workbook.

A national consolidation has about 850,000 cells (3,321 offices). openpyxl keeps
every cell of an ordinary workbook until it is saved (≈600 MB), and even its
write-only worksheets spend 10–15 µs on each cell (a cell object, its style
array, lxml's element calls), more than the 10 s the whole workbook may take.

`StreamedSheet` is one of openpyxl's write-only worksheets, added to an
openpyxl `Workbook(write_only=True)`: openpyxl writes the workbook, the styles,
and everything of the sheet around its rows (column widths, frozen panes,
merged cells, print setup and titles), read from the sheet when the workbook
is saved, so these may be set at any time before. Only the rows are
serialised here, about 1 µs a cell: each row is written to a temporary file
as it is appended, with style ids resolved once per style by `StyleIds`. Rows
1 to `held` (the titles) are kept until the save, so their heights can be set
once the columns have their widths and the titles their final merge.

Every string is written as text (an inline string), never a formula; one that
a spreadsheet would read as a formula when edited gets Excel's quote prefix,
as `keep_texts_as_text` does for ordinary workbooks.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterable
from copy import copy
from io import BytesIO
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter, create_temporary_file
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from ..models.xlsx_text import looks_like_formula

MAX_TEXT = 32767  # Excel's longest cell text (openpyxl cuts there too)
TEXTS_KEPT = 100_000  # texts whose XML is kept for the next time (office names repeat)

Cell = tuple[object, int]  # (value, style id)


class StyleIds:
    """The workbook's style id of a named style with a number format, or of ad-hoc
    font/alignment/border, resolved once (openpyxl's own style arrays and ids)."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.ids: dict[tuple[Any, ...], int] = {}

    def of(self, name: str | None = None, number_format: str | None = None,
           quote: bool = False, font: Font | None = None, alignment: Alignment | None = None,
           border: Border | None = None) -> int:  # fmt: skip
        key = (name, number_format, quote, font, alignment, border)
        found = self.ids.get(key)
        if found is None:
            proto = WriteOnlyCell(self.wb.worksheets[0])
            if name is not None:
                proto.style = name
            if number_format is not None:
                proto.number_format = number_format
            if font is not None:
                proto.font = font
            if alignment is not None:
                proto.alignment = alignment
            if border is not None:
                proto.border = border
            if quote:
                proto.quotePrefix = True
            found = self.ids[key] = proto.style_id if proto.has_style else 0
        return found

    def quoted(self, style: int) -> int:
        """The same style with the quote prefix (a text that looks like a formula)."""
        key = ("quoted", style)
        found = self.ids.get(key)
        if found is None:
            proto = WriteOnlyCell(self.wb.worksheets[0])
            proto._style = copy(self.wb._cell_styles[style])
            proto.quotePrefix = True
            found = self.ids[key] = proto.style_id
        return found


def _escape(text: str) -> str:
    """XML text; a carriage return as a reference, which a parser would make a line feed."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


class StreamedSheet(WriteOnlyWorksheet):
    """A write-only worksheet of rows of (value, style id) cells; see the module."""

    PAPERSIZE_A4 = Worksheet.PAPERSIZE_A4

    def __init__(self, wb: Workbook, title: str, styles: StyleIds, held: int = 0) -> None:
        super().__init__(wb, title)
        wb._add_sheet(self)
        self.styles = styles
        self.held = held
        self._held: dict[int, str] = {}  # row -> its cells' XML
        self._file: IO[bytes] = tempfile.TemporaryFile()
        self._row = 0  # the last row written
        self._columns = 0
        self._done = False
        self._texts: dict[str, str] = {}  # a text's cell XML after its style (names repeat)
        self._letters: list[str] = []
        self._rels_of: Any = None

    # what print setup and title sizing read of an ordinary worksheet
    @property
    def max_row(self) -> int:
        return max(self._row, 1)

    @property
    def last_row(self) -> int:
        """The last row written or skipped (0 before any)."""
        return self._row

    @property
    def max_column(self) -> int:
        return max(self._columns, 1)

    def calculate_dimension(self) -> str:
        return f"A1:{get_column_letter(self.max_column)}{self.max_row}"

    def merge_cells(self, range_string: str | None = None, start_row: int | None = None,
                    start_column: int | None = None, end_row: int | None = None,
                    end_column: int | None = None) -> None:  # fmt: skip
        """Merged ranges only (the cells a merge covers are written by whoever fills them)."""
        if range_string is None:
            range_string = CellRange(min_col=start_column, min_row=start_row,
                                     max_col=end_column, max_row=end_row).coord  # fmt: skip
        self.merged_cells.add(CellRange(range_string))

    def unmerge_cells(self, range_string: str) -> None:
        self.merged_cells.remove(CellRange(range_string))

    @property
    def closed(self) -> bool:
        return self._done

    def skip_to(self, row: int) -> None:
        """Leave the rows before `row` empty."""
        if row <= self._row:
            raise ValueError(f"row {row} is already written")
        self._row = row - 1

    def add_row(self, cells: Iterable[Cell | None], height: float | None = None) -> int:
        """Write the next row: cells from column A (None leaves one empty); its height in
        points when its text wraps. Returns the row's number."""
        row = self._row = self._row + 1
        number = str(row)
        letters = self._letters
        parts = []
        col = 0
        for col, cell in enumerate(cells, start=1):
            if cell is None:
                continue
            if col > len(letters):
                letters.extend(get_column_letter(i) for i in range(len(letters) + 1, col + 33))
            value, style = cell
            parts.append(self._cell(letters[col - 1] + number, value, style))
        self._columns = max(self._columns, col)
        body = "".join(parts)
        if row <= self.held:  # its height is read from row_dimensions when saved
            self._held[row] = body
            if height is not None:
                self.row_dimensions[row].height = height
            return row
        self._file.write(self._row_xml(row, body, height).encode())
        return row

    def _row_xml(self, row: int, body: str, height: float | None) -> str:
        if height is None:
            return f'<row r="{row}">{body}</row>'
        return f'<row r="{row}" ht="{float(height):.16g}" customHeight="1">{body}</row>'

    def _cell(self, ref: str, value: object, style: int) -> str:
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            return f'<c r="{ref}"{s}/>'
        if isinstance(value, str):
            tail = self._texts.get(value)
            if tail is None:
                tail = self._text(value)
            if tail[0] == "q":  # a formula-looking text: the same style, quote prefixed
                return f'<c r="{ref}" s="{self.styles.quoted(style)}"{tail[1:]}'
            return f'<c r="{ref}"{s}{tail}'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            if math.isnan(value) or math.isinf(value):
                return f'<c r="{ref}"{s} t="n"/>'
            return f'<c r="{ref}"{s} t="n"><v>{value:.16g}</v></c>'
        raise TypeError(f"không ghi được giá trị kiểu {type(value).__name__} vào bảng tính")

    def _text(self, value: str) -> str:
        text = ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]  # XML has no place for them
        space = ' xml:space="preserve"' if text != text.strip() else ""
        tail = f' t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'
        if looks_like_formula(text):
            tail = "q" + tail
        if len(self._texts) < TEXTS_KEPT:
            self._texts[value] = tail
        return tail

    def close(self) -> None:
        """Called by openpyxl when the workbook is saved: the sheet's XML in a temporary
        file that openpyxl puts into the workbook and removes."""
        if self._done:
            return
        head, tail = self._frame()
        out = create_temporary_file()
        with open(out, "wb") as target:
            target.write(head + b"<sheetData>")
            for row in sorted(self._held):
                height = self.row_dimensions[row].height if row in self.row_dimensions else None
                target.write(self._row_xml(row, self._held[row], height).encode())
            self._file.seek(0)
            shutil.copyfileobj(self._file, target, 1 << 20)
            target.write(b"</sheetData>" + tail)
        self._file.close()
        self._writer = _Written(out, self._rels_of)
        self._done = True

    def _frame(self) -> tuple[bytes, bytes]:
        """openpyxl's XML of this sheet around an empty sheetData."""
        writer = WorksheetWriter(self, out=BytesIO())
        writer.write_top()
        xf = writer.xf.send(True)
        with xf.element("sheetData"):
            pass
        writer.xf.send(None)
        writer.write_tail()
        self._rels_of = writer._rels
        data = writer.read()
        for empty in (b"<sheetData></sheetData>", b"<sheetData/>"):
            if data.count(empty) == 1:
                head, tail = data.split(empty)
                return head, tail
        raise RuntimeError("openpyxl wrote the sheet without one empty sheetData")


class _Written:
    """What openpyxl's workbook writer asks of a write-only sheet's writer once closed."""

    def __init__(self, out: str, rels: Any) -> None:
        self.out = out
        self._rels = rels

    def cleanup(self) -> None:
        WorksheetWriter.cleanup(self)
