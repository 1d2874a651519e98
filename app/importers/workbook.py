"""Read a plan workbook (Phụ lục I and/or II) into a preview: the dry run.

The file is checked before any XML parser sees it (safety.py, xml_scan.py:
every part streamed once with hard limits), then streamed by openpyxl in
read-only mode with defusedxml protection, without external links and with
cached values only (formulas are never evaluated), over the extent the
pre-check counted (never the dimension a sheet declares). Every sheet is searched for an
appendix table; what is found is parsed into plan items, and everything that
could not be read becomes a Problem with its sheet, row and column. Nothing
is written anywhere.
"""

from __future__ import annotations

import re
import warnings
from datetime import date
from pathlib import Path

from ..models.errors import UserError
from ..models.plan import TaskAppendix
from ..models.text import clean
from .build import build_indicator_groups, build_task_groups
from .columns import find_header
from .grid import SheetGrid, read_grid
from .plan_info_sheet import INFO_SHEET, read_info_sheet
from .preview import ImportPreview, Problem, Severity, SheetSummary
from .safety import WorkbookCheck, check_workbook_file
from .table import read_table
from .xml_scan import SheetExtent

_ATTACHED = re.compile(
    r"kèm theo\s+(?:kế hoạch|kh)\s*(?:số)?\s*:?\s*(?P<number>[^\s,)]*)"
    r"(?:.*?ngày\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4}))?"
    r"(?:.*?\bcủa\s+(?P<issuer>[^)]+))?",
    re.IGNORECASE | re.S,
)


def load_workbook_safely(path: Path):  # noqa: ANN201 (openpyxl Workbook)
    """Open `path` with openpyxl after the pre-checks; UserError on anything wrong."""
    import openpyxl

    check = check_workbook_file(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                path,
                read_only=True,
                data_only=True,
                keep_links=False,
                keep_vba=False,
                rich_text=False,
            )
    except UserError:
        raise
    except Exception as exc:  # a malformed part: openpyxl raises many kinds
        raise _unreadable(path, exc) from None
    return workbook, check


def _unreadable(path: Path, exc: BaseException) -> UserError:
    if _is_defused(exc):
        return UserError(
            f"Tệp '{path.name}' chứa khai báo XML không được phép — có thể là tệp độc hại, "
            "không mở.",
            "unsafe",
        )
    return UserError(
        f"Tệp '{path.name}' bị hỏng, không đọc được nội dung bảng tính "
        f"({type(exc).__name__}). Hãy mở bằng Excel, lưu lại rồi thử lại.",
        "corrupt",
    )


def _formulas_without_values(
    title: str, extent: SheetExtent | None, preview: ImportPreview
) -> None:
    """A formula cell without the value Excel stores beside it would read as empty and
    drop a target silently (formulas are never evaluated here): an error per cell."""
    from openpyxl.utils import get_column_letter

    for row, col in (extent.uncached if extent else [])[:20]:
        preview.problems.append(
            Problem(
                title,
                row,
                None,
                "ô có công thức nhưng tệp chưa lưu giá trị đã tính của nó (tệp do chương trình "
                "khác tạo, chưa mở bằng Excel); hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại "
                "rồi nhập",
                Severity.ERROR,
                get_column_letter(col),
            )
        )


def _extent(check: WorkbookCheck, ws: object) -> SheetExtent | None:
    """The extent the pre-check counted for `ws` (its part name), if it knows it."""
    if check.scan is None:
        return None
    part = str(getattr(ws, "_worksheet_path", "")).lstrip("/")
    return check.scan.sheets.get(part, SheetExtent())


def _is_defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused something anywhere in the exception's chain."""
    from defusedxml import DefusedXmlException

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def read_plan_workbook(path: Path | str) -> ImportPreview:
    """Parse the workbook at `path` into an ImportPreview (a dry run)."""
    path = Path(path)
    workbook, check = load_workbook_safely(path)
    preview = ImportPreview(source=path)
    try:
        if check.external_links:
            preview.problems.append(
                Problem(
                    workbook.worksheets[0].title if workbook.worksheets else "",
                    1,
                    None,
                    "tệp có liên kết tới tệp khác; các liên kết đã được bỏ qua, chỉ đọc giá trị đã lưu",
                    Severity.WARNING,
                )
            )
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible":
                continue
            if ws.title == INFO_SHEET:  # a template written by the app: the plan's header
                preview.header, problems = read_info_sheet(ws)
                preview.problems.extend(problems)
                continue
            extent = _extent(check, ws)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    grid = read_grid(ws, extent)
            except UserError:
                raise
            except Exception as exc:  # openpyxl streams the sheet only now
                raise _unreadable(path, exc) from None
            _read_sheet(grid, preview)
            _formulas_without_values(ws.title, extent, preview)
    finally:
        workbook.close()
    if not preview.has_indicators and not preview.has_tasks:
        first = workbook.worksheets[0].title if workbook.worksheets else ""
        preview.problems.append(
            Problem(
                first,
                1,
                None,
                "không tìm thấy bảng Phụ lục I (danh mục các chỉ tiêu) hoặc Phụ lục II "
                "(danh mục các nhiệm vụ): cần một dòng tiêu đề có cột 'STT' và cột "
                "'Nội dung chỉ tiêu' hoặc 'Tên nhiệm vụ'",
            )
        )
    preview.settle_appendices()
    years = {y for g in preview.indicator_groups for i in g.indicators for y in i.targets}
    if preview.header is not None:
        years |= set(preview.header.info.milestones)
        preview.plan_number = preview.header.info.number or preview.plan_number
        preview.plan_date = preview.header.info.date or preview.plan_date
    preview.milestones = sorted(years | set(preview.milestones))
    return preview


_APPENDIX = re.compile(r"^\s*ph[uụ]\s+l[uụ]c\s+([IVXLC]+)\b[\s:.\-–]*(.*)$", re.IGNORECASE | re.S)


def appendix_in(lines: list[str]) -> TaskAppendix | None:
    """The task appendix a table's title names: "PHỤ LỤC II:" over "DANH MỤC CÁC NHIỆM
    VỤ …" (or both on one line) gives ("II", "DANH MỤC CÁC NHIỆM VỤ …")."""
    texts = [t for t in (clean(x) for x in lines) if t]
    for i, text in enumerate(texts):
        m = _APPENDIX.match(text)
        if not m:
            continue
        title = clean(m.group(2)) or next(
            (t for t in texts[i + 1 :] if not t.startswith("(") and not _APPENDIX.match(t)), ""
        )
        return TaskAppendix(m.group(1).upper(), title or "")
    return None


def _title_lines(grid: SheetGrid, start: int, header_row: int) -> list[str]:
    return [cell.text for row in range(start, header_row) for _, cell in grid.row_cells(row)
            if cell.origin is None and cell.text]  # fmt: skip


def _read_sheet(grid: SheetGrid, preview: ImportPreview, before: list[str] | None = None) -> None:
    """Read the tables of one sheet (or Word table); `before` is the text above it that the
    grid does not hold (the paragraphs before a Word table: "PHỤ LỤC II …")."""
    if grid.truncated:
        preview.problems.append(
            Problem(
                grid.title,
                grid.max_row,
                None,
                f"trang tính quá lớn, chỉ đọc {grid.max_row} dòng và {grid.max_col} cột đầu",
                Severity.WARNING,
            )
        )
    if grid.capitalized:
        row, col = min(grid.capitalized)
        preview.problems.append(
            Problem(
                grid.title,
                row,
                None,
                f"đã viết hoa chữ cái đầu của {len(grid.capitalized)} ô gõ bằng phông TCVN3 "
                f"(phông .VnTime không có chữ hoa có dấu), ví dụ '{(grid.text(row, col) or '')[:40]}'; "
                "hãy xem lại",
                Severity.WARNING,
            )
        )
    start = 1
    found = False
    while start <= grid.max_row:
        header = find_header(grid, start)
        if header is None:
            break
        table = header.table_kind()
        if table is None:
            preview.problems.append(
                Problem(
                    grid.title,
                    header.first_row,
                    None,
                    "có dòng tiêu đề nhưng không rõ là bảng chỉ tiêu hay bảng nhiệm vụ; "
                    "đã bỏ qua bảng này",
                    Severity.WARNING,
                )
            )
            start = header.data_start
            continue
        found = True
        _read_title(grid, header.first_row, start, preview)
        title = [*(before or []), *_title_lines(grid, start, header.first_row)]
        before = None  # the text before a Word table titles its first table only
        appendix = appendix_in(title) if table == "tasks" else None
        for dup in header.duplicates:
            preview.problems.append(
                Problem(
                    grid.title,
                    header.first_row,
                    dup.label,
                    "cột này trùng nội dung với một cột trước, đã bỏ qua",
                    Severity.WARNING,
                    dup.letter,
                )
            )
        groups, end = read_table(grid, header, preview.problems)
        preview.sheets.append(
            SheetSummary(
                grid.title,
                table,
                (header.first_row, header.last_row),
                grid.encoding.value,
                sum(grid.converted.values()),
                appendix.code if appendix else "",
            )
        )
        if table == "indicators":
            preview.has_indicators = True
            preview.explicit_kinds = preview.explicit_kinds or header.get("kind") is not None
            built, rows = build_indicator_groups(grid, header, groups, preview.problems)
            preview.indicator_groups.extend(built)
            preview.milestones.extend(c.year for c in header.years if c.year)
        else:
            preview.has_tasks = True
            tbuilt, rows = build_task_groups(grid, header, groups, preview.problems)
            preview.add_task_groups(tbuilt, appendix, grid.title, header.first_row)
        preview.rows.extend(rows)
        if end <= header.data_start:
            break
        start = end
    if not found and grid.cells:
        preview.problems.append(
            Problem(
                grid.title,
                1,
                None,
                "không thấy bảng chỉ tiêu hay nhiệm vụ trong trang này, đã bỏ qua",
                Severity.WARNING,
            )
        )


def _read_title(grid: SheetGrid, header_row: int, start: int, preview: ImportPreview) -> None:
    """Plan number, date and issuer from "(Kèm theo Kế hoạch số … ngày … của …)"."""
    for row in range(start, header_row):
        for _, cell in grid.row_cells(row):
            if cell.origin is not None:
                continue
            text = clean(cell.text) or ""
            m = _ATTACHED.search(text)
            if not m:
                continue
            number = (m.group("number") or "").strip(" .:;")
            if "/" in number and any(ch.isdigit() for ch in number) and not preview.plan_number:
                preview.plan_number = number
            if m.group("y") and not preview.plan_date:
                try:
                    preview.plan_date = date(
                        int(m.group("y")), int(m.group("m")), int(m.group("d"))
                    )
                except ValueError:
                    pass
            issuer = clean((m.group("issuer") or "").strip(" .;)…"))
            if issuer and not preview.office_name:
                preview.office_name = issuer
