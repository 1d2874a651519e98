"""Read the appendix tables of a Word document (.docx) into the same preview as a workbook.

Many plans are issued as Word documents whose appendices are Word tables.
Each table becomes a `SheetGrid` named "Bảng N" (its number in the document),
so column detection, group rows, values, legacy encodings and problems are
exactly the workbook's (workbook._read_sheet); a problem's place reads
"Bảng 2, dòng 5, cột 'Năm 2030'".

Merged cells are filled in as the workbook reader fills them: a horizontal
span (`gridSpan`) and a vertical one (`vMerge="continue"`) carry the text and
the address of their first cell. Spans are followed row by row from our own
grid, never by recursion, so a hostile table of thousands of merged rows costs
no stack. A cell's legacy encoding (TCVN3 .VnTime, VNI) is decided from the
font of its first run and its characters, as in a workbook.

The file is checked before any XML parser sees it: its size, the number and
unzipped size of its parts, their compression ratios, and a DTD or entity
declaration in any XML part (real documents never carry one) — then parsed by
python-docx, whose parser resolves no entities.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from ..models.errors import UserError
from .grid import MAX_COLS, MAX_ROWS, Cell, Pending, SheetGrid, convert_pending
from .legacy_text import Encoding, font_encoding, guess_encoding, may_be_legacy
from .preview import ImportPreview, Problem, Severity
from .safety import check_zip_sizes, file_head, open_checked_zip

TABLE_TITLE = "Bảng {n}"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_SCAN_BYTES = 64 * 1024  # a DTD can only come before the root element


def check_document_file(path: Path) -> None:
    """Refuse a file that is not a sane .docx before parsing it; UserError says why."""
    name = path.name
    if path.suffix.lower() == ".doc":
        raise UserError(
            f"Tệp '{name}' là văn bản Word 97–2003 (.doc). Hãy mở bằng Word và lưu lại dạng "
            "Word Document (.docx), rồi nhập tệp .docx.",
            "file_type",
        )
    _size, head = file_head(path, "văn bản Word")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(
            f"Tệp '{name}' là văn bản Word 97–2003 (.doc) được đổi tên. Hãy mở bằng Word và "
            "lưu lại dạng Word Document (.docx).",
            "file_type",
        )
    if not head.startswith(b"PK"):
        raise UserError(
            f"Tệp '{name}' không phải văn bản Word (.docx) hoặc đã bị hỏng.", "file_type"
        )
    open_checked_zip(path, _check_parts)


def _check_parts(archive: zipfile.ZipFile, name: str) -> None:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise UserError(
                f"Tệp '{name}' là bảng tính Excel được đặt đuôi .docx; hãy đổi lại đuôi .xlsx.",
                "file_type",
            )
        raise UserError(f"Tệp '{name}' không phải văn bản Word (.docx).", "file_type")
    check_zip_sizes(infos, name)
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with archive.open(info) as part:
                if _DTD.search(part.read(_SCAN_BYTES)):
                    raise UserError(
                        f"Tệp '{name}' chứa khai báo XML không được phép ({info.filename}) — "
                        "có thể là tệp độc hại, không mở.",
                        "unsafe",
                    )


def _cell_font(tc: Any) -> str | None:
    """The font of the first run of a cell (`w:rFonts w:ascii`), where legacy text shows."""
    from docx.oxml.ns import qn

    for fonts in tc.iter(qn("w:rFonts")):
        name = fonts.get(qn("w:ascii")) or fonts.get(qn("w:hAnsi"))
        if name:
            return str(name)
    return None


def _cell_text(tc: Any) -> str:
    """Paragraphs of the cell joined by line breaks (as Excel shows a wrapped cell)."""
    from docx.oxml.ns import qn

    paragraphs = []
    for p in tc.iter(qn("w:p")):
        parts = []
        for node in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag == qn("w:tab"):
                parts.append("\t")
            else:
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs).strip()


def table_grid(tbl: Any, number: int) -> SheetGrid:
    """One Word table (`w:tbl`) as a grid of texts with merged cells filled in."""
    from docx.oxml.ns import qn

    cells: dict[tuple[int, int], Cell] = {}
    pending: Pending = []
    decisions: Counter[Encoding] = Counter()
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    max_col = 0
    truncated = False
    row = 0
    for tr in tbl.iterchildren(qn("w:tr")):
        row += 1
        if row > MAX_ROWS:
            truncated, row = True, MAX_ROWS
            break
        col = 1 + int(getattr(tr, "grid_before", 0) or 0)
        for tc in tr.iterchildren(qn("w:tc")):
            span = max(1, int(tc.grid_span or 1))
            if tc.vMerge == "continue" and (row - 1, col) in origins:
                origin = origins[(row - 1, col)]
            else:
                origin = (row, col)
                text = _cell_text(tc)
                if text and col <= MAX_COLS:
                    cells[origin] = Cell(text)
                    if may_be_legacy(text):
                        by_font, capitals = font_encoding(_cell_font(tc))
                        guessed = guess_encoding(text)
                        chosen = (
                            Encoding.UNICODE if guessed is Encoding.UNICODE else by_font or guessed
                        )
                        if chosen is not None:
                            decisions[chosen] += 1
                        pending.append((origin, text, chosen, capitals))
            for c in range(col, min(col + span, MAX_COLS + 1)):
                origins[(row, c)] = origin
                source = cells.get(origin)
                if (row, c) != origin and source is not None:
                    cells[(row, c)] = Cell(source.text, None, False, origin)
            col += span
            if col > MAX_COLS + 1:
                truncated = True
        max_col = max(max_col, min(col - 1, MAX_COLS))
    converted, capitalized = _convert_legacy(cells, pending, decisions)
    return SheetGrid(
        TABLE_TITLE.format(n=number), row, max_col, cells, converted, truncated, capitalized
    )


def _convert_legacy(
    cells: dict[tuple[int, int], Cell], pending: Pending, decisions: Counter[Encoding]
) -> tuple[Counter[Encoding], list[tuple[int, int]]]:
    """Convert legacy-encoded cells as a sheet's are, then give merged copies their first
    cell's converted text."""
    converted, capitalized = convert_pending(cells, pending, decisions)
    for cell in cells.values():
        if cell.origin is not None and cell.origin in cells:
            cell.text = cells[cell.origin].text
    return converted, capitalized


def _text_before(body: Any, qn: Any) -> dict[int, list[str]]:
    """The paragraphs between each top-level table and the one before it (its title:
    "PHỤ LỤC III", "DANH MỤC CÁC NHIỆM VỤ …"), by the table's id."""
    out: dict[int, list[str]] = {}
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t"))).strip()
            if text:
                lines.append(text)
        elif child.tag == qn("w:tbl"):
            out[id(child)] = lines[-6:]
            lines = []
    return out


def read_plan_document(path: Path | str) -> ImportPreview:
    """Parse the appendix tables of the Word document at `path` (a dry run)."""
    import docx  # python-docx (with lxml): bundled; a missing one is a packaging fault

    from .workbook import _read_sheet  # the workbook's table reading, shared

    path = Path(path)
    check_document_file(path)
    try:
        document = docx.Document(str(path))
    except UserError:
        raise
    except Exception as exc:  # a malformed part: python-docx and lxml raise many kinds
        raise UserError(
            f"Tệp '{path.name}' bị hỏng, không đọc được nội dung văn bản "
            f"({type(exc).__name__}). Hãy mở bằng Word, lưu lại rồi thử lại.",
            "corrupt",
        ) from None
    from docx.oxml.ns import qn

    preview = ImportPreview(source=path)
    body = document.element.body
    # Tables inside a cell belong to their outer table's text; the others are numbered
    # in document order, as Word's own "Bảng" numbering reads.
    tables = [t for t in body.iter(qn("w:tbl")) if t.getparent().tag != qn("w:tc")]
    before = _text_before(body, qn)
    for number, tbl in enumerate(tables, start=1):
        _read_sheet(table_grid(tbl, number), preview, before.get(id(tbl), []))
    preview.settle_appendices()
    if not preview.has_indicators and not preview.has_tasks:
        preview.problems.append(
            Problem(
                TABLE_TITLE.format(n=1),
                1,
                None,
                "không tìm thấy bảng Phụ lục I (danh mục các chỉ tiêu) hoặc Phụ lục II "
                "(danh mục các nhiệm vụ) trong văn bản: cần một bảng có cột 'STT' và cột "
                "'Nội dung chỉ tiêu' hoặc 'Tên nhiệm vụ'",
                Severity.ERROR,
            )
        )
    years = {y for g in preview.indicator_groups for i in g.indicators for y in i.targets}
    preview.milestones = sorted(years | set(preview.milestones))
    return preview
