"""The period report as a formatted workbook the province copies numbers from.

Three sheets: "Thông tin" (who, which plan, which period, when), "Chỉ tiêu"
and "Nhiệm vụ" laid out like the report's appendices. Numbers are stored as
numbers so formulas and consolidation work: a percentage is stored as the
fraction Excel expects (65 % as 0.65, with a percent format), a target as its
number with the comparator in a column of its own; statuses and
attainment are text, coloured by conditional formatting so a re-typed status
recolours itself.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..models.assessment import Assessment
from ..models.plan import IndicatorKind, Value
from ..models.progress import TaskStatus
from ..models.xlsx_text import keep_texts_as_text
from .content import ASSESSMENT_ORDER, BAND_LABELS, STATUS_ORDER, ReportData
from .letterhead import reference_in_sentence
from .xlsx_print import fit_print

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEEEEE")
GROUP_FILL = PatternFill("solid", fgColor="F5F5F5")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTRE = Alignment(wrap_text=True, vertical="top", horizontal="center")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADER_ROW = 5  # rows 1–3: title, 4: blank, 5: column headers

ASSESSMENT_FILLS = {
    Assessment.EXCEEDED: "C6EFCE",
    Assessment.MET: "E2F0D9",
    Assessment.AHEAD: "E2F0D9",
    Assessment.ON_TRACK: "DDEBF7",
    Assessment.BEHIND: "FFC7CE",
    Assessment.NOT_ASSESSABLE: "EDEDED",
    Assessment.NO_DATA: "FFF2CC",
    Assessment.SELF_MET: "E2F0D9",
    Assessment.SELF_NOT_MET: "FFC7CE",
    Assessment.SELF_IN_PROGRESS: "DDEBF7",
}
STATUS_FILLS = {
    TaskStatus.DONE: "C6EFCE",
    TaskStatus.IN_PROGRESS: "DDEBF7",
    TaskStatus.NOT_STARTED: "FFC7CE",
    TaskStatus.PAUSED: "FCE4D6",
    TaskStatus.CANCELLED: "EDEDED",
    TaskStatus.NOT_REPORTED: "FFF2CC",
}


def number_format(kind: IndicatorKind, value: float) -> str:
    """Excel format showing the value as the report prints it (65 → "65%", 0,61 → "0,61");
    `value` in the data's units (a percentage in percent), the cell holds `excel_number`."""
    whole = float(value).is_integer()
    if kind is IndicatorKind.PERCENT:
        return "0%" if whole else "0.0#%"
    if kind is IndicatorKind.INDEX:
        return "0.00"
    return "#,##0" if whole else "#,##0.##"


def excel_number(kind: IndicatorKind, value: object) -> object:
    """The cell's value: a percentage as Excel's fraction (35,5 % → 0.355); others as they are."""
    if (
        kind is IndicatorKind.PERCENT
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return round(value / 100, 10)
    return value


def cell_value(value: Value | None) -> object:
    """Numbers stay numbers; yes/no becomes "Có"/"Không"; text stays text."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return value


def _excel_time(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)  # Excel has no time zones: local wall time


def _title(ws: Worksheet, report: ReportData, columns: int, number: str, title: str) -> None:
    last = get_column_letter(columns)
    lines = [
        (f"PHỤ LỤC {number}", Font(name=FONT, size=13, bold=True)),
        (f"{title} {report.period_phrase.upper()}", Font(name=FONT, size=13, bold=True)),
        (
            f"(Kèm theo {reference_in_sentence(report).replace(chr(160), ' ')} "
            f"của {report.office_in_sentence})",
            Font(name=FONT, size=12, italic=True),
        ),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[3].height = 32


# Cell styles as named styles: set once per workbook, assigned by name (styling
# cell by cell costs openpyxl a hash of every style object, most of the time).
CELL, CELL_CENTRE, HEAD, GROUP, GROUP_CENTRE = (
    "Ô bảng", "Ô bảng giữa", "Tiêu đề cột", "Dòng nhóm", "Dòng nhóm giữa",
)  # fmt: skip


def _add_styles(wb: Workbook) -> None:
    plain, bold = Font(name=FONT, size=11), Font(name=FONT, size=11, bold=True)
    for name, font, alignment, fill in (
        (CELL, plain, WRAP, None),
        (CELL_CENTRE, plain, WRAP_CENTRE, None),
        (HEAD, bold, HEADER_ALIGN, HEADER_FILL),
        (GROUP, bold, WRAP, GROUP_FILL),
        (GROUP_CENTRE, bold, WRAP_CENTRE, GROUP_FILL),
    ):
        style = NamedStyle(name=name, font=font, alignment=alignment, border=BORDER)
        if fill is not None:
            style.fill = fill
        wb.add_named_style(style)


def _header(ws: Worksheet, labels: list[str], widths: Sequence[float]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        ws.cell(HEADER_ROW, col, label).style = HEAD
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 45


def _group_row(ws: Worksheet, row: int, code: str, title: str, columns: int) -> None:
    ws.cell(row, 1, code)
    ws.cell(row, 2, title)
    _fit_height(ws, row, [code, title], [6, 150])
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=columns)
    for col in range(1, columns + 1):
        ws.cell(row, col).style = GROUP_CENTRE if col == 1 else GROUP


def _data_cell(ws: Worksheet, row: int, col: int, value: object, centre: bool = False) -> None:
    ws.cell(row, col, value if value != "" else None).style = CELL_CENTRE if centre else CELL


def _fit_height(ws: Worksheet, row: int, values: Sequence[object], widths: Sequence[float]) -> None:
    """Set the row tall enough for its wrapped text (neither Excel nor LibreOffice
    grows rows written by openpyxl)."""
    ws.row_dimensions[row].height = wrapped_height(values, widths)


def wrapped_height(values: Sequence[object], widths: Sequence[float]) -> int:
    """Points for a row of `values` wrapped in columns of `widths`: ~1.2 Times characters
    per width unit at 11 pt, 15 points a line."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None or value == "":
            continue
        per_line = max(int(width * 1.2) - 1, 1)
        count = sum(-(-max(len(part), 1) // per_line) for part in str(value).split("\n"))
        lines = max(lines, count)
    return 15 * lines + 2


def _print_setup(ws: Worksheet, columns: int, landscape: bool = True) -> None:
    """Call last, when the sheet holds all its content (the print area covers it)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.8, 0.8
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10
    fit_print(ws, ws.page_setup.orientation, "A:B" if landscape else None)
    if landscape:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.freeze_panes = f"C{HEADER_ROW + 1}"


def _colour_rule(ws: Worksheet, column: int, first: int, last: int, fills: dict) -> None:
    if last < first:
        return
    ref = f"{get_column_letter(column)}{first}:{get_column_letter(column)}{last}"
    for key, colour in fills.items():
        ws.conditional_formatting.add(
            ref,
            CellIsRule(
                operator="equal",
                formula=[f'"{key.label}"'],
                fill=PatternFill("solid", fgColor=colour, bgColor=colour),
            ),
        )


def _info_sheet(ws: Worksheet, report: ReportData) -> None:
    p = report.period
    rows: list[tuple[str, object, str | None]] = [
        ("Đơn vị", report.office.name, None),
        ("Cơ quan ban hành báo cáo", " ".join(report.issuing_lines), None),
        ("Kế hoạch", f"Kế hoạch số {report.plan.number}: {report.plan.title}", None),
        ("Kỳ báo cáo", f"{p.label} ({p.id})", None),
        ("Từ ngày", p.start, "dd/mm/yyyy"),
        ("Đến ngày", p.end, "dd/mm/yyyy"),
        ("Chốt số liệu từ ngày", p.cutoff_start, "dd/mm/yyyy"),
        ("Chốt số liệu đến ngày", p.cutoff_end, "dd/mm/yyyy"),
        ("Hạn nộp báo cáo", p.due, "dd/mm/yyyy"),
        ("Tình hình tính đến ngày", report.as_of, "dd/mm/yyyy"),
        ("Ngày báo cáo", report.today, "dd/mm/yyyy"),
        ("Thời điểm tạo", _excel_time(report.generated_at), "dd/mm/yyyy hh:mm:ss"),
        ("Mã gói báo cáo", report.package_id, None),
        ("Loại báo cáo", _kind_text(report), None),
        ("Tình hình cập nhật", report.completeness.text() if report.completeness else None, None),
        ("", None, None),
        ("Số chỉ tiêu", len(report.indicators), "0"),
    ]
    counts = report.assessment_counts()
    rows += [(f"Chỉ tiêu — {BAND_LABELS[a]}", counts.get(a, 0), "0") for a in ASSESSMENT_ORDER]
    rows.append(("Số nhiệm vụ", len(report.tasks), "0"))
    statuses = report.status_counts()
    rows += [(f"Nhiệm vụ — {s.label}", statuses.get(s, 0), "0") for s in STATUS_ORDER]
    rows.append(("Nhiệm vụ quá hạn", len(report.overdue), "0"))

    ws.merge_cells("A1:B1")
    ws["A1"] = "THÔNG TIN BÁO CÁO"
    ws["A1"].font = Font(name=FONT, size=13, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    for i, (label, value, fmt) in enumerate(rows, start=3):
        if not label:
            continue
        a, b = ws.cell(i, 1, label), ws.cell(i, 2, value)
        a.font = Font(name=FONT, size=12, bold=True)
        b.font = Font(name=FONT, size=12)
        a.alignment = b.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if fmt:
            b.number_format = fmt
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    _print_setup(ws, 2, landscape=False)


def _kind_text(report: ReportData) -> str:
    if report.correction is None:
        return "Báo cáo"
    return (
        f"Báo cáo bổ sung, điều chỉnh (thay thế lần gửi {report.correction.corrects}; "
        f"{len(report.correction.changes)} nội dung điều chỉnh)"
    )


def _indicator_sheet(ws: Worksheet, report: ReportData) -> None:
    target = f"Mục tiêu năm {report.main_milestone}" if report.main_milestone else "Mục tiêu"
    previous = f"Kỳ trước ({report.previous.label})" if report.previous else "Kỳ trước"
    labels = ["STT", "Chỉ tiêu", "Đơn vị tính", "Hiện trạng", target,
              f"Kết quả {report.period.label}", previous, "Đánh giá", "Cơ quan theo dõi",
              "Ghi chú", "Mục tiêu: so sánh", "Mục tiêu: giá trị"]  # fmt: skip
    _title(ws, report, len(labels), "I", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    widths = [6, 48, 11, 18, 18, 14, 14, 14, 30, 22, 10, 11]
    _header(ws, labels, widths)
    row = HEADER_ROW + 1
    for group in report.indicator_groups:
        _group_row(ws, row, group.code, group.title, len(labels))
        row += 1
        for ind in group.rows:
            values = [ind.code, ind.name, ind.unit, ind.baseline, ind.target,
                      excel_number(ind.kind, cell_value(ind.value)),
                      excel_number(ind.kind, cell_value(ind.previous)), ind.assessment_text,
                      ind.lead_agency, ind.note, ind.target_comparator or None,
                      excel_number(ind.kind, ind.target_value)]  # fmt: skip
            for col, value in enumerate(values, start=1):
                _data_cell(ws, row, col, value, centre=col in (1, 3, 5, 6, 7, 8, 11, 12))
            _fit_height(ws, row, values, widths)
            for col, value in ((6, ind.value), (7, ind.previous), (12, ind.target_value)):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    ws.cell(row, col).number_format = number_format(ind.kind, value)
            row += 1
    _colour_rule(ws, 8, HEADER_ROW + 1, row - 1, ASSESSMENT_FILLS)
    _print_setup(ws, len(labels))


def _task_sheet(ws: Worksheet, report: ReportData) -> None:
    labels = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn",
              "Tình trạng", "Tiến độ", "Kết quả / minh chứng", "Quá hạn"]  # fmt: skip
    _title(ws, report, len(labels), "II", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")
    widths = [6, 50, 22, 22, 20, 14, 16, 10, 30, 9]
    _header(ws, labels, widths)
    row = HEADER_ROW + 1
    before = None
    for group in report.task_groups:
        if group.starts_appendix(before):
            _group_row(ws, row, "", group.appendix_heading, len(labels))
            row += 1
        before = group
        if not group.body:
            _group_row(ws, row, group.code, group.title, len(labels))
            row += 1
        for t in group.rows:
            values = [t.code, t.name, t.lead_agency, t.partners, t.output, t.deadline,
                      t.status.label, excel_number(IndicatorKind.PERCENT, t.percent), t.result,
                      "Quá hạn" if t.overdue else ""]  # fmt: skip
            for col, value in enumerate(values, start=1):
                _data_cell(ws, row, col, value, centre=col in (1, 6, 7, 8, 10))
            _fit_height(ws, row, values, widths)
            if t.percent is not None:
                ws.cell(row, 8).number_format = number_format(IndicatorKind.PERCENT, t.percent)
            row += 1
    _colour_rule(ws, 7, HEADER_ROW + 1, row - 1, STATUS_FILLS)
    ref = f"J{HEADER_ROW + 1}:J{max(row - 1, HEADER_ROW + 1)}"
    ws.conditional_formatting.add(
        ref,
        CellIsRule(
            operator="equal",
            formula=['"Quá hạn"'],
            fill=PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE"),
        ),
    )
    _print_setup(ws, len(labels))


def render_xlsx(report: ReportData) -> bytes:
    """The report as xlsx bytes: sheets "Thông tin", "Chỉ tiêu", "Nhiệm vụ"."""
    wb = Workbook()
    _add_styles(wb)
    info = wb.active
    info.title = "Thông tin"
    _info_sheet(info, report)
    _indicator_sheet(wb.create_sheet("Chỉ tiêu"), report)
    _task_sheet(wb.create_sheet("Nhiệm vụ"), report)
    wb.properties.title = report.document_title
    wb.properties.creator = report.office.name
    wb.properties.subject = f"{report.period.label} ({report.period.id})"
    wb.properties.created = _excel_time(report.generated_at)
    keep_texts_as_text(wb)  # no formulas from data
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
