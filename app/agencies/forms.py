"""Fill-in workbooks: one per agency (or the whole period for the secretary), in Excel.

Few agencies will install an application; they all have Excel. A form has an
instructions sheet (what to fill, by when, whom to send it to), a sheet of the
agency's indicators, one of its tasks, one of the tasks it partners on, and a
hidden protected sheet `_form` that names the plan, the period, the agency,
the form version and a hash of the structure, so that a returned form is
recognised whatever its file name (collect.py). Only the cells to fill are
unlocked; each carries data validation by kind with Vietnamese messages; the
sheets print on A4 landscape with their header row repeated.

Every text cell is written as text (data type "s"), also when the plan's
wording starts with "=": no cell of a form is ever a formula.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models.agency import Agency
from ..models.atomic_file import atomic_write
from ..models.periods import Period
from ..models.plan import Indicator, IndicatorKind, Plan, Task
from ..models.progress import ENTERABLE_STATUSES
from ..models.text import slug
from ..models.values import format_target, format_value
from ..models.xlsx_text import keep_texts_as_text

FORMAT = "theodoi57/agency-form"
FORM_VERSION = 1
IDENTITY_SHEET = "_form"
WHOLE_PERIOD = "*"  # the identity's agency of the secretary's sheet (period sheet)

INDICATOR_SHEET = "Chỉ tiêu"
TASK_SHEET = "Nhiệm vụ"
PARTNER_SHEET = "Phối hợp"
GUIDE_SHEET = "Hướng dẫn"

# header names: collect.py finds the columns by these, not by position
H_CODE = "Mã"
H_INDICATOR = "Chỉ tiêu"
H_UNIT = "Đơn vị tính"
H_TARGET = "Mục tiêu"
H_EXPECTED = "Dự kiến theo lộ trình"
H_PREVIOUS = "Kỳ trước"
H_VALUE = "Giá trị kỳ này"
H_NOTE = "Ghi chú, giải trình"
H_TASK = "Nhiệm vụ"
H_DEADLINE = "Thời hạn"
H_PREVIOUS_STATUS = "Tình trạng kỳ trước"
H_STATUS = "Tình trạng"
H_PERCENT = "Tiến độ (%)"
H_RESULT = "Kết quả kỳ này"
H_EVIDENCE_NUMBER = "Số văn bản minh chứng"
H_EVIDENCE_DATE = "Ngày văn bản"
H_LEAD = "Đơn vị chủ trì"
H_CONTRIBUTION = "Nội dung phối hợp kỳ này"

INDICATOR_COLUMNS = [(H_CODE, 8, False), (H_INDICATOR, 48, False), (H_UNIT, 10, False),
                     (H_TARGET, 14, False), (H_EXPECTED, 14, False), (H_PREVIOUS, 12, False),
                     (H_VALUE, 14, True), (H_NOTE, 36, True)]  # fmt: skip
TASK_COLUMNS = [(H_CODE, 8, False), (H_TASK, 52, False), (H_DEADLINE, 16, False),
                (H_PREVIOUS_STATUS, 16, False), (H_STATUS, 18, True), (H_PERCENT, 10, True),
                (H_RESULT, 44, True), (H_EVIDENCE_NUMBER, 16, True),
                (H_EVIDENCE_DATE, 13, True)]  # fmt: skip
PARTNER_COLUMNS = [(H_CODE, 8, False), (H_TASK, 52, False), (H_LEAD, 26, False),
                   (H_DEADLINE, 16, False), (H_CONTRIBUTION, 60, True)]  # fmt: skip
HEADER_ROW = 4  # rows 1–3: title, agency and period, what to do


@dataclass(frozen=True)
class IndicatorLine:
    indicator: Indicator
    target: str
    expected: str
    previous: str


@dataclass(frozen=True)
class TaskLine:
    key: str  # "<group>.<code>", as `period values` names tasks
    task: Task
    previous_status: str
    lead: str = ""  # partner lines: the lead agency's name


@dataclass
class FormContent:
    """What one form holds; `agency` None is the whole period (the secretary's sheet)."""

    plan: Plan
    period: Period
    agency: Agency | None
    due_text: str
    send_to: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    tasks: list[TaskLine] = field(default_factory=list)
    partner_tasks: list[TaskLine] = field(default_factory=list)
    milestone: int | None = None

    @property
    def agency_name(self) -> str:
        return self.agency.short_name if self.agency else WHOLE_PERIOD

    def structure(self) -> str:
        """A hash of what the form asks: its items by code, in order."""
        items = [["i", x.indicator.code, x.indicator.kind.value] for x in self.indicators]
        items += [["t", x.key] for x in self.tasks] + [["p", x.key] for x in self.partner_tasks]
        text = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def identity(self) -> dict[str, str]:
        return {
            "format": FORMAT,
            "form_version": str(FORM_VERSION),
            "plan_number": self.plan.info.number,
            "plan_title": self.plan.info.title,
            "office": self.plan.office.name,
            "period": self.period.id,
            "agency_id": str(self.agency.id) if self.agency else "",
            "agency": self.agency_name,
            "structure": self.structure(),
        }

    def file_name(self) -> str:
        who = slug(self.agency.short_name) if self.agency else "toan-ky"
        return f"bieu-mau-{self.period.id}-{who}.xlsx"


def indicator_line(ind: Indicator, target: Any, expected: float | None, previous: Any,
                   milestone: int | None) -> IndicatorLine:  # fmt: skip
    shown_target = format_target(ind, target) if target is not None else ""
    if milestone and shown_target:
        shown_target = f"{shown_target} ({milestone})"
    shown_expected = format_value(ind, expected) if expected is not None else ""
    return IndicatorLine(ind, shown_target, shown_expected, format_value(ind, previous))


# -- writing --------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="808080")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "head_font": Font(name="Times New Roman", bold=True, size=11),
        "font": Font(name="Times New Roman", size=11),
        "title_font": Font(name="Times New Roman", bold=True, size=13),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(wrap_text=True, vertical="center", horizontal="center"),
        "fill_in": PatternFill("solid", fgColor="FFF2CC"),
        "head_fill": PatternFill("solid", fgColor="D9E1F2"),
        "unlocked": Protection(locked=False),
    }


def put_text(ws: Any, row: int, column: int, value: object) -> Any:
    """A cell holding `value` as text (never a formula, whatever it starts with)."""
    cell = ws.cell(row=row, column=column)
    if value is None or value == "":
        return cell
    cell.value = str(value)
    cell.data_type = "s"
    return cell


def _validation(kind: str, **options: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, allow_blank=True, showErrorMessage=True,
                        showInputMessage=True, errorStyle="stop", **options)  # fmt: skip
    return dv


_NUMBER_RULES: dict[IndicatorKind, tuple[str, str, str, str]] = {
    IndicatorKind.PERCENT: ("decimal", "0", "100", "một số từ 0 đến 100 (phần trăm), ví dụ 65"),
    IndicatorKind.INDEX: ("decimal", "0", "1", "một số từ 0 đến 1, ví dụ 0,65"),
    IndicatorKind.COUNT: ("whole", "0", "1000000000", "một số nguyên không âm, ví dụ 12"),
    IndicatorKind.RANK: ("whole", "1", "100000", "một số nguyên dương, ví dụ 5"),
    IndicatorKind.RATIO: ("decimal", "-1000000000000", "1000000000000", "một số, ví dụ 0,61"),
}


def _protect(ws: Any) -> None:
    ws.protection.sheet = True
    ws.protection.formatCells = False  # the agency may widen, wrap and colour
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False  # and add rows of its own (ignored on collection)


def _print_setup(ws: Any) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    ws.oddFooter.center.text = "Trang &P / &N"


def _table_sheet(wb: Any, title: str, columns: list, heading: list[str], st: dict) -> Any:
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for i, line in enumerate(heading, start=1):
        cell = put_text(ws, i, 1, line)
        cell.font = st["title_font"] if i == 1 else st["font"]
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(columns))
    for col, (name, width, fill) in enumerate(columns, start=1):
        cell = put_text(ws, HEADER_ROW, col, name)
        cell.font, cell.alignment, cell.border = st["head_font"], st["center"], st["border"]
        cell.fill = st["fill_in"] if fill else st["head_fill"]
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEADER_ROW].height = 33
    _print_setup(ws)
    return ws


def _lines(text: str, width: float) -> int:
    """How many printed lines a wrapped cell takes (Times New Roman 11 at Excel's widths)."""
    per_line = max(1, int(width * 1.15))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _row(ws: Any, row: int, columns: list, values: list[object], st: dict) -> None:
    lines = max(_lines(str(v or ""), w) for (_, w, _), v in zip(columns, values, strict=True))
    ws.row_dimensions[row].height = max(30, 15 * lines + 3)  # room to write in by hand too
    for col, ((_, _, fill), value) in enumerate(zip(columns, values, strict=True), start=1):
        cell = put_text(ws, row, col, value)
        cell.font, cell.alignment, cell.border = st["font"], st["wrap"], st["border"]
        if fill:
            cell.protection = st["unlocked"]
            cell.fill = st["fill_in"]


def write_form(content: FormContent, path: Path) -> Path:
    """Write the form to `path` (an .xlsx) and return it."""
    import openpyxl

    st = _styles()
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    _guide(guide, content, st)
    who = content.agency.name if content.agency else "Toàn bộ chỉ tiêu, nhiệm vụ của kỳ"
    period = content.period
    heading = [f"BIỂU MẪU BÁO CÁO KỲ {period.label.upper()}", f"Đơn vị: {who}",
               f"Số liệu từ ngày {period.cutoff_start:%d/%m/%Y} đến ngày "
               f"{period.cutoff_end:%d/%m/%Y}; hạn gửi: {content.due_text}. "
               "Chỉ điền vào các ô nền vàng."]  # fmt: skip
    if content.indicators:
        _indicator_sheet(wb, content, heading, st)
    if content.tasks:
        _task_sheet(wb, content.tasks, heading, st)
    if content.partner_tasks:
        _partner_sheet(wb, content.partner_tasks, heading, st)
    ident = wb.create_sheet(IDENTITY_SHEET)
    for i, (key, value) in enumerate(content.identity().items(), start=1):
        put_text(ident, i, 1, key)
        put_text(ident, i, 2, value)
    ident.sheet_state = "hidden"
    ident.protection.sheet = True
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    keep_texts_as_text(wb)  # no formulas from data, whatever a name starts with
    with atomic_write(path, 0o644) as handle:
        wb.save(handle)
    return path


def _guide(ws: Any, c: FormContent, st: dict) -> None:
    period = c.period
    who = c.agency.name if c.agency else "Toàn bộ chỉ tiêu, nhiệm vụ của kỳ"
    lines = [
        ("BIỂU MẪU BÁO CÁO KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW", st["title_font"]),
        (f"Kế hoạch: {c.plan.info.number} — {c.plan.info.title}", st["font"]),
        (f"Đơn vị báo cáo: {who}", st["head_font"]),
        (f"Kỳ báo cáo: {period.label} ({period.id}); số liệu từ ngày "
         f"{period.cutoff_start:%d/%m/%Y} đến ngày {period.cutoff_end:%d/%m/%Y}.", st["font"]),
        (f"Hạn gửi lại: {c.due_text}.", st["head_font"]),
        (f"Gửi lại cho: {c.send_to}.", st["font"]),
        ("", st["font"]),
        ("Cách điền:", st["head_font"]),
        ("1. Chỉ điền vào các ô nền vàng; các ô khác đã khóa để giữ đúng cấu trúc biểu mẫu.",
         st["font"]),
        (f"2. Trang “{INDICATOR_SHEET}”: ghi giá trị của kỳ này (số, không ghi đơn vị; tỷ lệ "
         "ghi số phần trăm, ví dụ 65) và giải trình khi chưa đạt lộ trình.", st["font"]),
        (f"3. Trang “{TASK_SHEET}”: chọn tình trạng trong danh sách, ghi tiến độ (%), kết quả "
         "kỳ này, số và ngày văn bản minh chứng (ngày/tháng/năm).", st["font"]),
        (f"4. Trang “{PARTNER_SHEET}”: ghi nội dung đơn vị đã phối hợp thực hiện trong kỳ.",
         st["font"]),
        ("5. Có thể đổi tên tệp, thêm dòng ghi chú, chỉnh định dạng; không xóa các trang, "
         "không đổi mã và tiêu đề cột.", st["font"]),
        ("6. Lưu lại dạng Excel (.xlsx) và gửi lại qua thư điện tử hoặc Zalo.", st["font"]),
    ]  # fmt: skip
    for i, (text, font) in enumerate(lines, start=1):
        cell = put_text(ws, i, 1, text)
        cell.font, cell.alignment = font, st["wrap"]
    ws.column_dimensions["A"].width = 120
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def _indicator_sheet(wb: Any, c: FormContent, heading: list[str], st: dict) -> None:
    columns = list(INDICATOR_COLUMNS)
    if c.milestone:
        columns[3] = (f"{H_TARGET} {c.milestone}", 14, False)
    ws = _table_sheet(wb, INDICATOR_SHEET, columns, heading, st)
    value_col = 7
    validations: dict[str, Any] = {}
    for row, line in enumerate(c.indicators, start=HEADER_ROW + 1):
        ind = line.indicator
        _row(ws, row, columns, [ind.code, ind.name, ind.unit, line.target, line.expected,
                                line.previous, None, None], st)  # fmt: skip
        dv = validations.get(ind.kind.value)
        if dv is None:
            dv = _indicator_validation(ind.kind)
            if dv is not None:
                ws.add_data_validation(dv)
                validations[ind.kind.value] = dv
        if dv is not None:
            dv.add(ws.cell(row=row, column=value_col))
        ws.cell(row=row, column=value_col).number_format = "General"
    _protect(ws)


def _indicator_validation(kind: IndicatorKind) -> Any:
    if kind is IndicatorKind.YES_NO:
        return _validation("list", formula1='"Có,Không"', promptTitle="Có/Không",
                           prompt="Chọn Có hoặc Không.", errorTitle="Giá trị không hợp lệ",
                           error="Chỉ tiêu này chỉ nhận Có hoặc Không.")  # fmt: skip
    rule = _NUMBER_RULES.get(kind)
    if rule is None:
        return None
    vtype, low, high, example = rule
    return _validation(vtype, operator="between", formula1=low, formula2=high,
                       promptTitle="Giá trị kỳ này", prompt=f"Nhập {example}.",
                       errorTitle="Giá trị không hợp lệ",
                       error=f"Giá trị phải là {example}.")  # fmt: skip


def _task_sheet(wb: Any, lines: list[TaskLine], heading: list[str], st: dict) -> None:
    ws = _table_sheet(wb, TASK_SHEET, TASK_COLUMNS, heading, st)
    labels = ",".join(s.label for s in ENTERABLE_STATUSES)
    status = _validation("list", formula1=f'"{labels}"', promptTitle="Tình trạng",
                         prompt="Chọn tình trạng trong danh sách.",
                         errorTitle="Tình trạng không hợp lệ",
                         error=f"Chọn một trong: {labels.replace(',', ', ')}.")  # fmt: skip
    percent = _validation("decimal", operator="between", formula1="0", formula2="100",
                          promptTitle="Tiến độ", prompt="Nhập số phần trăm đã làm, từ 0 đến 100.",
                          errorTitle="Tiến độ không hợp lệ",
                          error="Tiến độ phải là số từ 0 đến 100 (%).")  # fmt: skip
    when = _validation("date", operator="between", formula1="DATE(2000,1,1)",
                       formula2="DATE(2100,12,31)", promptTitle="Ngày văn bản",
                       prompt="Nhập ngày/tháng/năm, ví dụ 05/02/2026.",
                       errorTitle="Ngày không hợp lệ",
                       error="Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/02/2026.")  # fmt: skip
    for dv in (status, percent, when):
        ws.add_data_validation(dv)
    for row, line in enumerate(lines, start=HEADER_ROW + 1):
        t = line.task
        deadline = t.deadline.text if t.deadline else ""
        _row(ws, row, TASK_COLUMNS, [line.key, t.name, deadline, line.previous_status,
                                     None, None, None, None, None], st)  # fmt: skip
        ws.cell(row=row, column=9).number_format = "DD/MM/YYYY"
    last = HEADER_ROW + len(lines)
    for dv, column in ((status, "E"), (percent, "F"), (when, "I")):
        dv.add(f"{column}{HEADER_ROW + 1}:{column}{last}")
    _protect(ws)


def _partner_sheet(wb: Any, lines: list[TaskLine], heading: list[str], st: dict) -> None:
    ws = _table_sheet(wb, PARTNER_SHEET, PARTNER_COLUMNS, heading, st)
    for row, line in enumerate(lines, start=HEADER_ROW + 1):
        t = line.task
        deadline = t.deadline.text if t.deadline else ""
        _row(ws, row, PARTNER_COLUMNS, [line.key, t.name, line.lead, deadline, None], st)
    _protect(ws)
