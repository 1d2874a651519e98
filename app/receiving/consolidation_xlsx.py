"""The consolidated workbook the province files and forwards.

Sheets: "Tình hình nộp báo cáo" (offices × periods, one coloured state per
cell, and the packages of the chosen period), "Tổng hợp chỉ tiêu" (per
indicator: how many offices reported, met their target, min/median/max),
one sheet per indicator group (offices as rows, indicators as columns, each
value coloured by the office's own path assessment), "Nhiệm vụ quá hạn" across
offices, "Chỉ tiêu không khớp" when some office's indicators match
nothing in the reference list, and "Điều chỉnh" (every change of every
correction received for the period). Numbers stay numbers with the formats of the
office report (report_xlsx), so the province can compute on them.
"""

from __future__ import annotations

import gc
import io
import re
from copy import copy
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..models.assessment import Assessment
from ..models.atomic_file import write_bytes_atomic
from ..models.period_states import EntryChange, change_value_text
from ..models.plan import IndicatorKind
from ..models.xlsx_text import keep_texts_as_text
from ..reports.xlsx import (
    ASSESSMENT_FILLS,
    BORDER,
    CELL,
    CELL_CENTRE,
    FONT,
    GROUP,
    GROUP_CENTRE,
    HEAD,
    HEADER_ROW,
    WRAP_CENTRE,
    _add_styles,
    _fit_height,
    _header,
    _print_setup,
    cell_value,
    excel_number,
    number_format,
)
from ..reports.xlsx_print import BODY_PT, row_height_for
from .consolidation import Consolidation, IndicatorSummary
from .matrix import CellState, shown_date

MATRIX_SHEET = "Tình hình nộp báo cáo"
SUMMARY_SHEET = "Tổng hợp chỉ tiêu"
OVERDUE_SHEET = "Nhiệm vụ quá hạn"
UNMATCHED_SHEET = "Chỉ tiêu không khớp"
CHANGES_SHEET = "Điều chỉnh"
PACKAGES_TITLE = "CÁC GÓI BÁO CÁO ĐÃ NHẬN"
PACKAGE_WIDTHS = (6, 34, 8, 12, 12, 18, 28, 40)  # least widths of the packages table


class _Put:
    """Write a cell with a named style, copying the style of the first cell that had it.

    Assigning a named style by name makes openpyxl search the workbook's
    styles for every cell; copying the resolved style array is the same
    result at a fraction of the cost (tens of thousands of cells here).
    """

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.protos: dict[str, object] = {}

    def __call__(self, row: int, col: int, value: object, style: str):  # noqa: ANN204
        cell = self.ws.cell(row, col, value)
        proto = self.protos.get(style)
        if proto is None:
            cell.style = style
            self.protos[style] = cell._style
        else:
            cell._style = copy(proto)
        return cell


def _state_style(state: CellState) -> str:
    return f"Trạng thái {state.label}"


def _assessment_style(assessment: Assessment) -> str:
    return f"Đánh giá {assessment.label}"


def _add_fill_styles(wb: Workbook) -> None:
    plain = Font(name=FONT, size=11)
    fills = [(_state_style(s), s.colour) for s in CellState]
    fills += [(_assessment_style(a), colour) for a, colour in ASSESSMENT_FILLS.items()]
    for name, colour in fills:
        wb.add_named_style(
            NamedStyle(
                name=name,
                font=plain,
                alignment=WRAP_CENTRE,
                border=BORDER,
                fill=PatternFill("solid", fgColor=colour),
            )  # fmt: skip
        )


def _title(ws: Worksheet, columns: int, lines: list[str]) -> None:
    last = get_column_letter(max(columns, 2))
    for row, text in enumerate(lines[:3], start=1):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row, 1, text)
        cell.font = Font(name=FONT, size=13 if row < 3 else 12, bold=row < 3, italic=row == 3)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _fit_titles(ws: Worksheet) -> None:
    """Rows 1–3 as tall as their wrapped text over the merged width, once the columns have
    their widths: a title over a narrow sheet (a group of two indicators) or the name of a
    town's office in the subtitle takes two lines, which a default row height overprints."""
    for row in range(1, 4):
        cell = ws.cell(row, 1)
        if not cell.value:
            continue
        span = next((r.max_col for r in ws.merged_cells.ranges
                     if r.min_row == row and r.min_col == 1), 1)  # fmt: skip
        width = sum(ws.column_dimensions[get_column_letter(i)].width or 8.43
                    for i in range(1, span + 1))  # fmt: skip
        share = 0.65 if cell.font.b else 0.9  # bold capitals are wider; words wrap whole
        height = row_height_for([(str(cell.value), width * share)], cell.font.sz or BODY_PT)
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)


def _subtitle(c: Consolidation) -> str:
    return (f"(Kèm theo tổng hợp của {c.receiving_office.name}; lập ngày "
            f"{datetime.now():%d/%m/%Y})")  # fmt: skip


def _matrix_sheet(ws: Worksheet, c: Consolidation) -> None:
    m = c.matrix
    from ..models.periods import parse_period_id

    labels = ["STT", "Đơn vị", "Cấp", "Mã"] + [parse_period_id(p).label for p in m.periods]
    widths = [6, 34, 10, 8] + [13] * len(m.periods)
    _title(ws, len(labels), ["TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ",
                             f"Kỳ tổng hợp: {c.period.label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    row = HEADER_ROW + 1
    put = _Put(ws)
    for n, office in enumerate(m.offices, start=1):
        for col, value in enumerate([n, office.name, office.level, office.code], start=1):
            put(row, col, value, CELL_CENTRE if col != 2 else CELL)
        for col, pid in enumerate(m.periods, start=5):
            state = m.cell(office.id, pid).state
            put(row, col, state.label, _state_style(state))
        row += 1
    for state in CellState:
        ws.cell(row, 2, f"Số đơn vị {state.label.lower()}").style = CELL
        for col in (1, 3, 4):
            ws.cell(row, col).style = CELL
        for col, pid in enumerate(m.periods, start=5):
            ws.cell(row, col, m.counts(pid)[state]).style = CELL_CENTRE
        row += 1
    _packages_table(ws, c, row + 1)
    _print_setup(ws, len(labels))  # after the second table: the print area covers both


def _packages_table(ws: Worksheet, c: Consolidation, start: int) -> None:
    """Below the matrix: every package of the chosen period, valid or not, with why."""
    ws.cell(start, 1, f"{PACKAGES_TITLE} — {c.period.label.upper()}").font = Font(
        name=FONT, size=12, bold=True
    )
    labels = ["STT", "Đơn vị", "Lần gửi", "Ngày lập", "Hạn nộp", "Trạng thái", "Lý do", "Tệp"]
    for col, (label, least) in enumerate(zip(labels, PACKAGE_WIDTHS, strict=True), start=1):
        ws.cell(start + 1, col, label).style = HEAD
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = max(dimension.width or 0, least)  # shared with the matrix above
    row = start + 2
    matrix = c.matrix
    packages = [p for o in matrix.offices for p in matrix.cell(o.id, c.period.id).packages]
    put = _Put(ws)
    widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, 9)]
    for n, p in enumerate(packages, start=1):
        timing = "" if p.late is None else (" (trễ hạn)" if p.late else " (đúng hạn)")
        values = [n, p.office_name, p.sequence, shown_date(p.created_at), shown_date(p.due),
                  p.status.label + (timing if p.status.valid else ""),
                  "" if p.status.valid else (p.reason or ""), p.file_name]  # fmt: skip
        for col, value in enumerate(values, start=1):
            put(row, col, value, CELL if col in (2, 6, 7, 8) else CELL_CENTRE)
        _fit_height(ws, row, values, widths)  # the reason wraps in a narrow column
        row += 1


def _value_cell(put: _Put, row: int, col: int, summary: IndicatorSummary, office_id: int):
    item = summary.values.get(office_id)
    value = excel_number(summary.ref.kind, cell_value(item.value)) if item else None
    if item is None or item.value is None:
        put(row, col, value, CELL_CENTRE)
        return
    cell = put(row, col, value, _assessment_style(item.assessment))
    if isinstance(item.value, int | float) and not isinstance(item.value, bool):
        cell.number_format = number_format(summary.ref.kind, item.value)


def _stat_format(cell, kind: IndicatorKind, value: float | None) -> None:  # noqa: ANN001
    if value is not None:
        cell.number_format = number_format(kind, value)


def _group_sheet(ws: Worksheet, c: Consolidation, code: str, title: str,
                 rows: list[IndicatorSummary]) -> None:  # fmt: skip
    labels = ["STT", "Đơn vị"] + [
        f"{s.ref.code}. {s.ref.name}" + (f" ({s.ref.unit})" if s.ref.unit else "") for s in rows
    ]
    widths = [6, 30] + [16] * len(rows)
    _title(ws, len(labels), [f"NHÓM CHỈ TIÊU {code}. {title}".upper(),
                             f"Số liệu {c.period.title_label} của các đơn vị", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    # tall enough for the longest indicator name, wrapped in its column (bold: ~10 % wider)
    ws.row_dimensions[HEADER_ROW].height = max(
        110,
        row_height_for([(label, width * 0.9) for label, width in zip(labels, widths, strict=True)]),
    )
    row = HEADER_ROW + 1
    put = _Put(ws)
    for n, (office, _package) in enumerate(c.reported, start=1):
        put(row, 1, n, CELL_CENTRE)
        put(row, 2, office.name, CELL)
        for col, summary in enumerate(rows, start=3):
            _value_cell(put, row, col, summary, office.id)
        row += 1
    stats = [
        ("Số đơn vị có số liệu", lambda s: s.reported, False),
        ("Số đơn vị đạt, vượt mục tiêu", lambda s: s.met, False),
        ("Nhỏ nhất", lambda s: s.minimum, True),
        ("Trung vị", lambda s: s.median, True),
        ("Lớn nhất", lambda s: s.maximum, True),
    ]
    for label, get, formatted in stats:
        ws.cell(row, 1).style = CELL
        ws.cell(row, 2, label).style = GROUP
        for col, summary in enumerate(rows, start=3):
            value = get(summary)
            cell = ws.cell(row, col, excel_number(summary.ref.kind, value) if formatted else value)
            cell.style = GROUP_CENTRE
            if formatted:
                _stat_format(cell, summary.ref.kind, value)
        row += 1
    _print_setup(ws, len(labels))


def _summary_sheet(ws: Worksheet, c: Consolidation) -> None:
    labels = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số đơn vị có số liệu",
              "Số đơn vị đạt, vượt mục tiêu", "Tỷ lệ đơn vị đạt", "Nhỏ nhất", "Trung vị",
              "Lớn nhất"]  # fmt: skip
    widths = [6, 52, 11, 13, 14, 12, 12, 12, 12]
    _title(ws, len(labels), ["TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                             f"{c.period.label}: {len(c.reported)}/{len(c.offices)} đơn vị đã "
                             f"nộp báo cáo hợp lệ; danh mục theo {c.reference_source}",
                             _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    row = HEADER_ROW + 1
    for code, title, rows in c.groups:
        ws.cell(row, 1, code).style = GROUP_CENTRE
        ws.cell(row, 2, title).style = GROUP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(labels))
        row += 1
        for s in rows:
            share = round(100 * s.met / s.reported, 1) if s.reported else None
            kind = s.ref.kind
            values = [s.ref.code, s.ref.name, s.ref.unit, s.reported, s.met,
                      excel_number(IndicatorKind.PERCENT, share), excel_number(kind, s.minimum),
                      excel_number(kind, s.median), excel_number(kind, s.maximum)]  # fmt: skip
            for col, value in enumerate(values, start=1):
                ws.cell(row, col, value).style = CELL if col == 2 else CELL_CENTRE
            _fit_height(ws, row, values, widths)
            if share is not None:
                ws.cell(row, 6).number_format = number_format(IndicatorKind.PERCENT, share)
            for col, value in ((7, s.minimum), (8, s.median), (9, s.maximum)):
                _stat_format(ws.cell(row, col), s.ref.kind, value)
            row += 1
    _print_setup(ws, len(labels))


def _overdue_sheet(ws: Worksheet, c: Consolidation) -> None:
    labels = ["STT", "Đơn vị", "Mã", "Nhiệm vụ", "Thời hạn", "Tình trạng", "Cơ quan chủ trì"]
    widths = [6, 28, 7, 60, 16, 16, 28]
    _title(ws, len(labels), ["CÁC NHIỆM VỤ QUÁ HẠN CỦA CÁC ĐƠN VỊ",
                             f"Đến hết {c.period.title_label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    put = _Put(ws)
    for n, t in enumerate(c.overdue, start=1):
        row = HEADER_ROW + n
        values = [n, t.office.name, t.code, t.name, t.deadline, t.status, t.lead_agency]
        for col, value in enumerate(values, start=1):
            put(row, col, value, CELL if col in (2, 4, 7) else CELL_CENTRE)
        _fit_height(ws, row, [t.office.name, t.name, t.lead_agency], [28, 60, 28])
    _print_setup(ws, len(labels))


def _unmatched_sheet(ws: Worksheet, c: Consolidation) -> None:
    labels = ["STT", "Đơn vị", "Mã", "Chỉ tiêu (theo kế hoạch của đơn vị)", "Giá trị",
              "Đơn vị tính"]  # fmt: skip
    widths = [6, 30, 8, 62, 14, 14]
    _title(ws, len(labels), ["CHỈ TIÊU KHÔNG KHỚP DANH MỤC TỔNG HỢP",
                             f"Danh mục theo {c.reference_source}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    put = _Put(ws)  # a national consolidation lists tens of thousands of these
    for n, u in enumerate(c.unmatched, start=1):
        row = HEADER_ROW + n
        value = excel_number(u.kind, cell_value(u.value)) if u.kind else cell_value(u.value)
        for col, item in enumerate([n, u.office.name, u.code, u.name, value, u.unit], 1):
            put(row, col, item, CELL if col in (2, 4) else CELL_CENTRE)
        if u.kind and isinstance(u.value, int | float) and not isinstance(u.value, bool):
            ws.cell(row, 5).number_format = number_format(u.kind, u.value)
        _fit_height(ws, row, [u.office.name, u.name], [30, 62])
    _print_setup(ws, len(labels))


def _changes_sheet(ws: Worksheet, c: Consolidation) -> None:
    """Every change of every correction received for the period, office by office."""
    labels = ["STT", "Đơn vị", "Lần gửi", "Điều chỉnh lần gửi", "Nội dung", "Mục",
              "Đã báo cáo", "Điều chỉnh thành"]  # fmt: skip
    widths = [6, 28, 9, 11, 50, 14, 18, 18]
    _title(ws, len(labels), ["CÁC NỘI DUNG ĐIỀU CHỈNH SO VỚI BÁO CÁO ĐÃ GỬI",
                             f"Kỳ tổng hợp: {c.period.label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    m, row, n = c.matrix, HEADER_ROW, 0
    for office in m.offices:
        fixes = [p for p in m.cell(office.id, c.period.id).packages
                 if p.status.valid and p.is_correction]  # fmt: skip
        for p in sorted(fixes, key=lambda p: p.sequence or 0):
            for change in (EntryChange.from_json(x) for x in p.changes):
                n, row = n + 1, row + 1
                values = [n, office.name, p.sequence, p.corrects,
                          f"{change.item_label}. {change.name}", change.field_label,
                          _change_cell(change, True), _change_cell(change, False)]  # fmt: skip
                for col, value in enumerate(values, start=1):
                    ws.cell(row, col, value).style = CELL if col in (2, 5, 6) else CELL_CENTRE
                _fit_height(ws, row, [office.name, values[4]], [28, 50])
    _print_setup(ws, len(labels))


def _change_cell(change: EntryChange, before: bool) -> object:
    """Numbers stay numbers (Excel can sum them); everything else as printed."""
    value = change.before if before else change.after
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return change_value_text(change, before=before)


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique (case-insensitive)."""
    base = re.sub(r"[\[\]:*?/\\]", " ", " ".join(text.split()))[:31].strip() or "Nhóm"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.casefold())
    return name


def render_consolidation_xlsx(c: Consolidation) -> bytes:
    """The workbook as bytes. The cyclic garbage collector is paused meanwhile: the
    tens of thousands of cell objects are all live until saved, and collecting
    repeatedly over them costs a third of the time for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(c)
    finally:
        if enabled:
            gc.enable()


def _render(c: Consolidation) -> bytes:
    wb = Workbook()
    _add_styles(wb)
    _add_fill_styles(wb)
    taken = {MATRIX_SHEET.casefold(), SUMMARY_SHEET.casefold(), OVERDUE_SHEET.casefold(),
             UNMATCHED_SHEET.casefold(), CHANGES_SHEET.casefold()}  # fmt: skip
    ws = wb.active
    ws.title = MATRIX_SHEET
    _matrix_sheet(ws, c)
    _summary_sheet(wb.create_sheet(SUMMARY_SHEET), c)
    for code, title, rows in c.groups:
        _group_sheet(wb.create_sheet(sheet_title(f"{code}. {title}", taken)), c, code, title, rows)
    _overdue_sheet(wb.create_sheet(OVERDUE_SHEET), c)
    if c.unmatched:
        _unmatched_sheet(wb.create_sheet(UNMATCHED_SHEET), c)
    _changes_sheet(wb.create_sheet(CHANGES_SHEET), c)
    for sheet in wb.worksheets:
        _fit_titles(sheet)
    wb.properties.title = f"Tổng hợp báo cáo {c.period.label}"
    wb.properties.creator = c.receiving_office.name
    keep_texts_as_text(wb)  # no formulas from data
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_consolidation_xlsx(c: Consolidation, out: Path) -> Path:
    """Write the workbook atomically (temporary file, fsync, rename)."""
    write_bytes_atomic(Path(out), render_consolidation_xlsx(c), mode=0o644)
    return Path(out)
