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
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill
from openpyxl.utils import get_column_letter

from ..models.assessment import Assessment
from ..models.atomic_file import write_bytes_atomic
from ..models.period_states import EntryChange, change_value_text
from ..models.plan import IndicatorKind
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
    THIN,
    WRAP_CENTRE,
    _add_styles,
    _print_setup,
    cell_value,
    excel_number,
    number_format,
    wrapped_height,
)
from ..reports.xlsx_print import BODY_PT, row_height_for
from .consolidation import Consolidation, IndicatorSummary
from .matrix import CellState, shown_date
from .xlsx_stream import Cell, StreamedSheet, StyleIds

MATRIX_SHEET = "Tình hình nộp báo cáo"
SUMMARY_SHEET = "Tổng hợp chỉ tiêu"
OVERDUE_SHEET = "Nhiệm vụ quá hạn"
UNMATCHED_SHEET = "Chỉ tiêu không khớp"
CHANGES_SHEET = "Điều chỉnh"
PACKAGES_TITLE = "CÁC GÓI BÁO CÁO ĐÃ NHẬN"
PACKAGE_WIDTHS = (6, 34, 8, 12, 12, 18, 28, 40)  # least widths of the packages table
TITLE_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
# what a merge leaves on the cells it covers of a bordered row (openpyxl's MergedCell)
MERGED_INNER = Border(top=THIN, bottom=THIN)
MERGED_LAST = Border(right=THIN, top=THIN, bottom=THIN)


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


def _title_font(row: int) -> Font:
    return Font(name=FONT, size=13 if row < 3 else 12, bold=row < 3, italic=row == 3)


class _Sheet(StreamedSheet):
    """A consolidated sheet: three title rows kept until the columns have their widths."""

    def __init__(self, wb: Workbook, title: str, styles: StyleIds) -> None:
        super().__init__(wb, title, styles, held=3)
        self.titles: list[str] = []
        self.s = styles.of


def _title(ws: _Sheet, columns: int, lines: list[str]) -> None:
    last = get_column_letter(max(columns, 2))
    ws.titles = lines[:3]
    for row, text in enumerate(ws.titles, start=1):
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.add_row([(text, ws.s(font=_title_font(row), alignment=TITLE_ALIGN))])
    ws.skip_to(HEADER_ROW)  # row 4 stays empty


def _header(ws: _Sheet, labels: list[str], widths: Sequence[float], height: float = 45) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    head = ws.s(HEAD)
    ws.add_row([(label, head) for label in labels], height)


def _finish(ws: _Sheet, columns: int) -> None:
    """Print setup once every row is written (the print area covers them all), then the
    title rows' heights (the titles may have been merged over the first page only)."""
    _print_setup(ws, columns)
    _fit_titles(ws)


def _fit_titles(ws: _Sheet) -> None:
    """Rows 1–3 as tall as their wrapped text over the merged width, once the columns have
    their widths: a title over a narrow sheet (a group of two indicators) or the name of a
    town's office in the subtitle takes two lines, which a default row height overprints."""
    for row, text in enumerate(ws.titles, start=1):
        if not text:
            continue
        font = _title_font(row)
        span = next((r.max_col for r in ws.merged_cells.ranges
                     if r.min_row == row and r.min_col == 1), 1)  # fmt: skip
        width = sum(ws.column_dimensions[get_column_letter(i)].width or 8.43
                    for i in range(1, span + 1))  # fmt: skip
        share = 0.65 if font.b else 0.9  # bold capitals are wider; words wrap whole
        height = row_height_for([(text, width * share)], font.sz or BODY_PT)
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, height)


def _subtitle(c: Consolidation) -> str:
    return (f"(Kèm theo tổng hợp của {c.receiving_office.name}; lập ngày "
            f"{datetime.now():%d/%m/%Y})")  # fmt: skip


def _matrix_sheet(ws: _Sheet, c: Consolidation) -> None:
    m = c.matrix
    from ..models.periods import parse_period_id

    labels = ["STT", "Đơn vị", "Cấp", "Mã"] + [parse_period_id(p).label for p in m.periods]
    widths = [6, 34, 10, 8] + [13] * len(m.periods)
    _title(ws, len(labels), ["TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ",
                             f"Kỳ tổng hợp: {c.period.label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    states = {state: ws.s(_state_style(state)) for state in CellState}
    for n, office in enumerate(m.offices, start=1):
        cells: list[Cell] = [(n, centre), (office.name, plain), (office.level, centre),
                                    (office.code, centre)]  # fmt: skip
        for pid in m.periods:
            state = m.cell(office.id, pid).state
            cells.append((state.label, states[state]))
        ws.add_row(cells)
    for state in CellState:
        counts: list[Cell] = [(None, plain), (f"Số đơn vị {state.label.lower()}", plain),
                                     (None, plain), (None, plain)]  # fmt: skip
        counts += [(m.counts(pid)[state], centre) for pid in m.periods]
        ws.add_row(counts)
    ws.skip_to(ws.last_row + 2)
    _packages_table(ws, c)
    _finish(ws, len(labels))  # after the second table: the print area covers both


def _packages_table(ws: _Sheet, c: Consolidation) -> None:
    """Below the matrix: every package of the chosen period, valid or not, with why."""
    title = f"{PACKAGES_TITLE} — {c.period.label.upper()}"
    ws.add_row([(title, ws.s(font=Font(name=FONT, size=12, bold=True)))])
    labels = ["STT", "Đơn vị", "Lần gửi", "Ngày lập", "Hạn nộp", "Trạng thái", "Lý do", "Tệp"]
    for col, least in enumerate(PACKAGE_WIDTHS, start=1):
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = max(dimension.width or 0, least)  # shared with the matrix above
    head = ws.s(HEAD)
    ws.add_row([(label, head) for label in labels])
    matrix = c.matrix
    packages = [p for o in matrix.offices for p in matrix.cell(o.id, c.period.id).packages]
    widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, 9)]
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    styles = [centre, plain, centre, centre, centre, plain, plain, plain]
    for n, p in enumerate(packages, start=1):
        timing = "" if p.late is None else (" (trễ hạn)" if p.late else " (đúng hạn)")
        values = [n, p.office_name, p.sequence, shown_date(p.created_at), shown_date(p.due),
                  p.status.label + (timing if p.status.valid else ""),
                  "" if p.status.valid else (p.reason or ""), p.file_name]  # fmt: skip
        # the reason wraps in a narrow column
        ws.add_row(zip(values, styles, strict=True), wrapped_height(values, widths))


def _value_cell(ws: _Sheet, summary: IndicatorSummary, office_id: int) -> Cell:
    item = summary.values.get(office_id)
    value = excel_number(summary.ref.kind, cell_value(item.value)) if item else None
    if item is None or item.value is None:
        return value, ws.s(CELL_CENTRE)
    shown = item.value
    numeric = isinstance(shown, int | float) and not isinstance(shown, bool)
    fmt = number_format(summary.ref.kind, shown) if numeric else None  # type: ignore[arg-type]
    return value, ws.s(_assessment_style(item.assessment), fmt)


def _stat_format(kind: IndicatorKind, value: float | None) -> str | None:
    return None if value is None else number_format(kind, value)


def _group_sheet(ws: _Sheet, c: Consolidation, code: str, title: str,
                 rows: list[IndicatorSummary]) -> None:  # fmt: skip
    labels = ["STT", "Đơn vị"] + [
        f"{s.ref.code}. {s.ref.name}" + (f" ({s.ref.unit})" if s.ref.unit else "") for s in rows
    ]
    widths = [6, 30] + [16] * len(rows)
    _title(ws, len(labels), [f"NHÓM CHỈ TIÊU {code}. {title}".upper(),
                             f"Số liệu {c.period.title_label} của các đơn vị", _subtitle(c)])  # fmt: skip
    # tall enough for the longest indicator name, wrapped in its column (bold: ~10 % wider)
    height = max(
        110,
        row_height_for([(label, width * 0.9) for label, width in zip(labels, widths, strict=True)]),
    )
    _header(ws, labels, widths, height)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    for n, (office, _package) in enumerate(c.reported, start=1):
        cells: list[Cell] = [(n, centre), (office.name, plain)]
        cells += [_value_cell(ws, summary, office.id) for summary in rows]
        ws.add_row(cells)
    stats = [
        ("Số đơn vị có số liệu", lambda s: s.reported, False),
        ("Số đơn vị đạt, vượt mục tiêu", lambda s: s.met, False),
        ("Nhỏ nhất", lambda s: s.minimum, True),
        ("Trung vị", lambda s: s.median, True),
        ("Lớn nhất", lambda s: s.maximum, True),
    ]
    for label, get, formatted in stats:
        cells = [(None, plain), (label, ws.s(GROUP))]
        for summary in rows:
            value = get(summary)
            kind = summary.ref.kind
            if formatted:
                cells.append(
                    (excel_number(kind, value), ws.s(GROUP_CENTRE, _stat_format(kind, value)))
                )
            else:
                cells.append((value, ws.s(GROUP_CENTRE)))
        ws.add_row(cells)
    _finish(ws, len(labels))


def _summary_sheet(ws: _Sheet, c: Consolidation) -> None:
    labels = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số đơn vị có số liệu",
              "Số đơn vị đạt, vượt mục tiêu", "Tỷ lệ đơn vị đạt", "Nhỏ nhất", "Trung vị",
              "Lớn nhất"]  # fmt: skip
    widths = [6, 52, 11, 13, 14, 12, 12, 12, 12]
    _title(ws, len(labels), ["TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                             f"{c.period.label}: {len(c.reported)}/{len(c.offices)} đơn vị đã "
                             f"nộp báo cáo hợp lệ; danh mục theo {c.reference_source}",
                             _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    inner, last = ws.s(border=MERGED_INNER), ws.s(border=MERGED_LAST)
    for code, title, rows in c.groups:
        inside: Cell = (None, inner)  # the cells the merged title covers
        covered: list[Cell] = [inside] * (len(labels) - 3) + [(None, last)]
        row = ws.add_row([(code, ws.s(GROUP_CENTRE)), (title, ws.s(GROUP)), *covered])
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(labels))
        for s in rows:
            share = round(100 * s.met / s.reported, 1) if s.reported else None
            kind = s.ref.kind
            values = [s.ref.code, s.ref.name, s.ref.unit, s.reported, s.met,
                      excel_number(IndicatorKind.PERCENT, share), excel_number(kind, s.minimum),
                      excel_number(kind, s.median), excel_number(kind, s.maximum)]  # fmt: skip
            styles = [centre, plain, centre, centre, centre,
                      ws.s(CELL_CENTRE, _stat_format(IndicatorKind.PERCENT, share)),
                      ws.s(CELL_CENTRE, _stat_format(kind, s.minimum)),
                      ws.s(CELL_CENTRE, _stat_format(kind, s.median)),
                      ws.s(CELL_CENTRE, _stat_format(kind, s.maximum))]  # fmt: skip
            ws.add_row(zip(values, styles, strict=True), wrapped_height(values, widths))
    _finish(ws, len(labels))


def _overdue_sheet(ws: _Sheet, c: Consolidation) -> None:
    labels = ["STT", "Đơn vị", "Mã", "Nhiệm vụ", "Thời hạn", "Tình trạng", "Cơ quan chủ trì"]
    widths = [6, 28, 7, 60, 16, 16, 28]
    _title(ws, len(labels), ["CÁC NHIỆM VỤ QUÁ HẠN CỦA CÁC ĐƠN VỊ",
                             f"Đến hết {c.period.title_label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    styles = [centre, plain, centre, plain, centre, centre, plain]
    for n, t in enumerate(c.overdue, start=1):
        values = [n, t.office.name, t.code, t.name, t.deadline, t.status, t.lead_agency]
        height = wrapped_height([t.office.name, t.name, t.lead_agency], [28, 60, 28])
        ws.add_row(zip(values, styles, strict=True), height)
    _finish(ws, len(labels))


def _unmatched_sheet(ws: _Sheet, c: Consolidation) -> None:
    labels = ["STT", "Đơn vị", "Mã", "Chỉ tiêu (theo kế hoạch của đơn vị)", "Giá trị",
              "Đơn vị tính"]  # fmt: skip
    widths = [6, 30, 8, 62, 14, 14]
    _title(ws, len(labels), ["CHỈ TIÊU KHÔNG KHỚP DANH MỤC TỔNG HỢP",
                             f"Danh mục theo {c.reference_source}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    for n, u in enumerate(c.unmatched, start=1):  # a national consolidation lists 80,000
        value = excel_number(u.kind, cell_value(u.value)) if u.kind else cell_value(u.value)
        numeric = isinstance(u.value, int | float) and not isinstance(u.value, bool)
        fmt = number_format(u.kind, u.value) if u.kind and numeric else None  # type: ignore[arg-type]
        cells: list[Cell] = [(n, centre), (u.office.name, plain), (u.code, centre),
                                    (u.name, plain), (value, ws.s(CELL_CENTRE, fmt)),
                                    (u.unit, centre)]  # fmt: skip
        ws.add_row(cells, wrapped_height([u.office.name, u.name], [30, 62]))
    _finish(ws, len(labels))


def _changes_sheet(ws: _Sheet, c: Consolidation) -> None:
    """Every change of every correction received for the period, office by office."""
    labels = ["STT", "Đơn vị", "Lần gửi", "Điều chỉnh lần gửi", "Nội dung", "Mục",
              "Đã báo cáo", "Điều chỉnh thành"]  # fmt: skip
    widths = [6, 28, 9, 11, 50, 14, 18, 18]
    _title(ws, len(labels), ["CÁC NỘI DUNG ĐIỀU CHỈNH SO VỚI BÁO CÁO ĐÃ GỬI",
                             f"Kỳ tổng hợp: {c.period.label}", _subtitle(c)])  # fmt: skip
    _header(ws, labels, widths)
    plain, centre = ws.s(CELL), ws.s(CELL_CENTRE)
    styles = [centre, plain, centre, centre, plain, plain, centre, centre]
    m, n = c.matrix, 0
    for office in m.offices:
        fixes = [p for p in m.cell(office.id, c.period.id).packages
                 if p.status.valid and p.is_correction]  # fmt: skip
        for p in sorted(fixes, key=lambda p: p.sequence or 0):
            for change in (EntryChange.from_json(x) for x in p.changes):
                n += 1
                values = [n, office.name, p.sequence, p.corrects,
                          f"{change.item_label}. {change.name}", change.field_label,
                          _change_cell(change, True), _change_cell(change, False)]  # fmt: skip
                height = wrapped_height([office.name, values[4]], [28, 50])
                ws.add_row(zip(values, styles, strict=True), height)
    _finish(ws, len(labels))


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
    """The workbook as bytes. The cyclic garbage collector is paused meanwhile: hundreds of
    thousands of small row tuples are made and dropped, none of them cyclic."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(c)
    finally:
        if enabled:
            gc.enable()


def _render(c: Consolidation) -> bytes:
    """Sheet by sheet, each row written as it is made (xlsx_stream): nothing of a sheet but
    its layout stays in memory, whatever the number of offices."""
    wb = Workbook(write_only=True)
    _add_styles(wb)
    _add_fill_styles(wb)
    styles = StyleIds(wb)
    taken = {MATRIX_SHEET.casefold(), SUMMARY_SHEET.casefold(), OVERDUE_SHEET.casefold(),
             UNMATCHED_SHEET.casefold(), CHANGES_SHEET.casefold()}  # fmt: skip
    _matrix_sheet(_Sheet(wb, MATRIX_SHEET, styles), c)
    _summary_sheet(_Sheet(wb, SUMMARY_SHEET, styles), c)
    for code, title, rows in c.groups:
        sheet = _Sheet(wb, sheet_title(f"{code}. {title}", taken), styles)
        _group_sheet(sheet, c, code, title, rows)
    _overdue_sheet(_Sheet(wb, OVERDUE_SHEET, styles), c)
    if c.unmatched:
        _unmatched_sheet(_Sheet(wb, UNMATCHED_SHEET, styles), c)
    _changes_sheet(_Sheet(wb, CHANGES_SHEET, styles), c)
    wb.properties.title = f"Tổng hợp báo cáo {c.period.label}"
    wb.properties.creator = c.receiving_office.name
    buffer = io.BytesIO()
    wb.save(buffer)  # texts are written as text (xlsx_stream): no formulas from data
    return buffer.getvalue()


def write_consolidation_xlsx(c: Consolidation, out: Path) -> Path:
    """Write the workbook atomically (temporary file, fsync, rename)."""
    write_bytes_atomic(Path(out), render_consolidation_xlsx(c), mode=0o644)
    return Path(out)
