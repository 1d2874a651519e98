"""The plan appendices as an Excel workbook: a blank template, or the current plan.

Both sheets use the layout offices already keep (title, "Kèm theo Kế hoạch
số …" line, header over two rows with `CHỈ TIÊU` merged over the milestone
years, Roman group rows), plus the columns the importer needs to read a plan
back exactly: the indicator's kind and direction, what its value counts
("Cách tính": a level at the report's date or a count per year, inferred
from the name and unit unless the office chose), and a default comparator.
Lists for unit, kind, direction, measure and comparator come from a hidden sheet, so
Excel offers them in a drop-down. `app.importers.read_plan_workbook` reads
the file back to the same plan.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..models.atomic_file import atomic_write
from ..models.measure import Measure
from ..models.plan import Comparator, Direction, Indicator, IndicatorKind, Plan, Target, TaskGroup
from ..models.task_labels import several_appendices
from ..models.text import roman
from ..models.values import format_target
from ..models.xlsx_text import keep_texts_as_text
from .plan_info_sheet import write_info_sheet

DEFAULT_MILESTONES = (2025, 2030, 2035, 2040, 2045)
FIRST_DATA_ROW = 7
VALIDATION_ROWS = 500
FONT = "Times New Roman"
UNITS = ["%", "Người", "Doanh nghiệp", "Sản phẩm", "Dự án", "Nhiệm vụ", "Hệ thống",
         "Công trình", "Số lượng", "Thứ bậc", "Có/Không", "Chỉ số", "Lượt", "Hồ sơ"]  # fmt: skip
DIRECTIONS = {
    Direction.HIGHER_BETTER: "Càng cao càng tốt",
    Direction.LOWER_BETTER: "Càng thấp càng tốt",
}
LISTS_SHEET = "Danh mục"

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def write_plan_template(
    path: Path | str, plan: Plan | None = None, milestones: list[int] | None = None
) -> Path:
    """Write the two appendix sheets to `path` (atomically); with `plan`, filled in."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    years = sorted(milestones or (plan.info.milestones if plan else []) or DEFAULT_MILESTONES)
    wb = Workbook()
    lists = _lists_sheet(wb)
    _indicator_sheet(wb.active, plan, years, lists)
    if plan is not None and several_appendices(plan):
        # one sheet per task appendix, titled by it: the importer maps it back by its title
        for appendix in plan.task_appendices:
            name = f"Phụ lục {appendix.code}"
            sheet = wb.create_sheet(name if name != "Phụ lục I" else "Nhiệm vụ PL I")
            groups = [g for g in plan.task_groups if g.appendix == appendix.code]
            _task_sheet(sheet, plan, groups, appendix.code, appendix.title)
    else:
        _task_sheet(wb.create_sheet("Phụ lục II"), plan, plan.task_groups if plan else [])
    write_info_sheet(wb, plan)
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists.title))
    wb.active = 0
    keep_texts_as_text(wb)  # no formulas from data
    with atomic_write(path, 0o644) as handle:
        wb.save(handle)
    return path


def _attached_line(plan: Plan | None) -> str:
    if plan is None or not (plan.info.number or plan.info.issuer):
        return "(Kèm theo Kế hoạch số ……/KH-…… ngày …/…/20… của ……)"
    info = plan.info
    when = f" ngày {info.date.day}/{info.date.month}/{info.date.year}" if info.date else ""
    issuer = info.issuer or plan.office.name
    return f"(Kèm theo Kế hoạch số {info.number or '……'}{when} của {issuer})"


def _lists_sheet(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet(LISTS_SHEET)
    columns = {
        1: ("Đơn vị tính", UNITS),
        2: ("Loại chỉ tiêu", [k.label for k in IndicatorKind]),
        3: ("Chiều đánh giá", list(DIRECTIONS.values())),
        4: ("Dấu so sánh", [c.symbol for c in Comparator]),
        5: ("Cách tính", [m.label for m in Measure]),
    }
    for col, (title, values) in columns.items():
        ws.cell(1, col, title).font = Font(name=FONT, bold=True)
        for row, value in enumerate(values, start=2):
            ws.cell(row, col, value)
    ws.sheet_state = "hidden"
    return ws


def _validation(ws: Worksheet, col: int, list_col: int, count: int, strict: bool) -> None:
    letter = get_column_letter(list_col)
    dv = DataValidation(
        type="list",
        formula1=f"='{LISTS_SHEET}'!${letter}$2:${letter}${count + 1}",
        allow_blank=True,
        showErrorMessage=strict,
        errorTitle="Giá trị không hợp lệ",
        error="Hãy chọn một giá trị trong danh sách.",
    )
    target = get_column_letter(col)
    dv.add(f"{target}{FIRST_DATA_ROW}:{target}{FIRST_DATA_ROW + VALIDATION_ROWS}")
    ws.add_data_validation(dv)


def _style_header(ws: Worksheet, rows: range, last_col: int) -> None:
    for row in rows:
        for col in range(1, last_col + 1):
            cell = ws.cell(row, col)
            cell.font = Font(name=FONT, bold=True, size=11)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = _CENTER


def _title(ws: Worksheet, lines: list[str], last_col: int) -> None:
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row, 1, text)
        cell.font = Font(name=FONT, bold=row < len(lines), italic=row == len(lines), size=13)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)


def _put(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None) -> None:
    cell = ws.cell(row, col, value)
    cell.font = Font(name=FONT, size=11)
    cell.border = _BORDER
    cell.alignment = _WRAP
    if fmt:
        cell.number_format = fmt


def _group_row(ws: Worksheet, row: int, code: str, title: str, last_col: int) -> None:
    _put(ws, row, 1, code, "@")
    _put(ws, row, 2, title)
    for col in range(1, last_col + 1):
        ws.cell(row, col).font = Font(name=FONT, size=11, bold=True)
        ws.cell(row, col).fill = _GROUP_FILL
        ws.cell(row, col).border = _BORDER
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=last_col)


def _number_text(number: float) -> str:
    if number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(round(number, 10)).replace(".", ",")


def _value_cell(ind: Indicator, target: Target | None) -> tuple[object, str | None]:
    """What to write for a target (or baseline as a Target): text, or a real number."""
    if target is None:
        return None, None
    if target.text:
        return target.text, None
    value = target.value
    if isinstance(value, bool):
        return ("Có" if value else "Không"), None
    if value is None:
        return None, None
    if target.high is not None or target.approximate or not target.required:
        # a range ("80% - 90%"), "khoảng 50%", a year that asks nothing: as the plan writes it
        return format_target(ind, target), None
    percent = ind.kind is IndicatorKind.PERCENT
    if target.comparator is not None:
        return f"{target.comparator.symbol} {_number_text(value)}{'%' if percent else ''}", None
    if percent:
        return value / 100, "0%" if value == int(value) else "0.00##%"
    return value, "0" if value == int(value) else "0.00##"


def _indicator_sheet(ws: Worksheet, plan: Plan | None, years: list[int], lists: Worksheet) -> None:
    ws.title = "Phụ lục I"
    indicators = plan.indicators() if plan else []
    as_of = Counter(i.baseline.as_of for i in indicators if i.baseline.as_of).most_common(1)
    baseline_head = f"Hiện trạng\n({as_of[0][0].lower()})" if as_of else "Hiện trạng"
    fixed = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Loại chỉ tiêu", "Chiều đánh giá",
             "Cách tính", "Dấu so sánh", baseline_head]  # fmt: skip
    first_year = len(fixed) + 1
    lead_col = first_year + len(years)
    note_col = lead_col + 1
    _title(ws, ["PHỤ LỤC I", "DANH MỤC CÁC CHỈ TIÊU", _attached_line(plan)], note_col)
    for col, text in enumerate(fixed, start=1):
        _tall_header(ws, col, text)
    ws.cell(5, first_year, "CHỈ TIÊU")
    ws.merge_cells(start_row=5, start_column=first_year, end_row=5, end_column=lead_col - 1)
    for i, year in enumerate(years):
        ws.cell(6, first_year + i, f"Năm {year}")
    for col, text in ((lead_col, "Cơ quan chủ trì theo dõi, báo cáo"), (note_col, "Ghi chú")):
        _tall_header(ws, col, text)
    _style_header(ws, range(5, 7), note_col)
    row = FIRST_DATA_ROW
    for gi, group in enumerate(plan.indicator_groups if plan else []):
        _group_row(ws, row, group.code or roman(min(gi + 1, 39)), group.title, note_col)
        row += 1
        for ind in group.indicators:
            _put(ws, row, 1, ind.code, "@")
            _put(ws, row, 2, ind.name)
            _put(ws, row, 3, ind.unit)
            _put(ws, row, 4, ind.kind.label)
            _put(ws, row, 5, DIRECTIONS[ind.direction])
            _put(ws, row, 6, (ind.measure or Measure.LEVEL).label)
            _put(ws, row, 7, None)
            _put(ws, row, 8, *_baseline_cell(ind))
            for i, year in enumerate(years):
                _put(ws, row, first_year + i, *_value_cell(ind, ind.targets.get(year)))
            _put(ws, row, lead_col, ind.lead_agency)
            _put(ws, row, note_col, ind.note)
            row += 1
    widths = [6, 50, 12, 14, 16, 18, 9, 16] + [11] * len(years) + [30, 20]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    _validation(ws, 3, 1, len(UNITS), strict=False)
    _validation(ws, 4, 2, len(IndicatorKind), strict=True)
    _validation(ws, 5, 3, len(DIRECTIONS), strict=True)
    _validation(ws, 6, 5, len(Measure), strict=True)
    _validation(ws, 7, 4, len(Comparator), strict=True)


def _tall_header(ws: Worksheet, col: int, text: str) -> None:
    """A column header that spans both header rows (5 and 6), as the appendices print it."""
    ws.cell(5, col, text)
    ws.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)


def _baseline_cell(ind: Indicator) -> tuple[object, str | None]:
    base = ind.baseline
    if base.text:
        return base.text, None
    if base.value is None:
        return None, None
    return _value_cell(ind, Target(None, base.value, None))


def _task_sheet(ws: Worksheet, plan: Plan | None, groups: list[TaskGroup],
                appendix: str = "II", title: str = "") -> None:  # fmt: skip
    """A task appendix: its title ("PHỤ LỤC III" over its own title), then its groups; the
    body of an ungrouped appendix of a plan of several has no group row."""
    heads = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
             "Kết quả, sản phẩm", "Thời gian hoàn thành", "Ghi chú"]  # fmt: skip
    last = len(heads)
    heading = title or "DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI"
    _title(ws, [f"PHỤ LỤC {appendix}", heading, _attached_line(plan)], last)
    for col, text in enumerate(heads, start=1):
        _tall_header(ws, col, text)
    _style_header(ws, range(5, 7), last)
    row = FIRST_DATA_ROW
    several = plan is not None and several_appendices(plan)
    for gi, group in enumerate(groups):
        if not (several and not group.code):
            _group_row(ws, row, group.code or roman(min(gi + 1, 39)), group.title, last)
            row += 1
        for task in group.tasks:
            _put(ws, row, 1, task.code, "@")
            _put(ws, row, 2, task.name)
            _put(ws, row, 3, task.lead_agency)
            _put(ws, row, 4, "; ".join(task.partners) or None)
            _put(ws, row, 5, task.output)
            _put(ws, row, 6, task.deadline.text if task.deadline else None)
            _put(ws, row, 7, task.note)
            row += 1
    for col, width in enumerate([6, 60, 24, 28, 28, 16, 20], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
