"""Build appendix workbooks as offices keep them, from the bundled sample plans.

The Bỉm Sơn Phụ lục I is written from resources/samples/bim-son.json, so
every expected value is exact: two header rows with merged cells, title and
"Kèm theo Kế hoạch số …" lines above, a "(1) (2) …" numbering row, Roman
group rows, long names wrapped into a continuation row, lead agencies merged
down, identical targets merged across, values typed the many ways offices
type them (65%, a real 0.65 formatted as percent, ">1%", "≥ 80%", "02",
"0,16", "-") and a note under the table. Text can be written in TCVN3, VNI or
NFD instead of Unicode NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.importers.legacy_text import encode_tcvn3, encode_vni
from app.models.plan import Indicator, IndicatorKind, Plan, Target, TaskAppendix
from app.models.values import format_number

Encoder = Callable[[str], tuple[str, str]]  # text → (cell text, font name)


def encoder(encoding: str) -> Encoder:
    if encoding == "tcvn3":

        def tcvn3(text: str) -> tuple[str, str]:
            encoded, capitals = encode_tcvn3(text)
            return encoded, ".VnTimeH" if capitals else ".VnTime"

        return tcvn3
    if encoding == "vni":
        return lambda text: (encode_vni(text), "VNI-Times")
    if encoding == "nfd":
        return lambda text: (unicodedata.normalize("NFD", text), "Times New Roman")
    return lambda text: (text, "Times New Roman")


class _Writer:
    def __init__(self, ws, encode: Encoder) -> None:  # noqa: ANN001
        self.ws = ws
        self.encode = encode

    def put(self, row: int, col: int, value: object, number_format: str | None = None) -> None:
        cell = self.ws.cell(row=row, column=col)
        if isinstance(value, str):
            text, font = self.encode(value)
            cell.value = text
            cell.font = Font(name=font)
        else:
            cell.value = value
        if number_format:
            cell.number_format = number_format
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _split_long(name: str, limit: int = 70) -> tuple[str, str | None]:
    """Split a long name at a space, as a cell wrapped into the next row."""
    if len(name) <= limit:
        return name, None
    cut = name.rfind(" ", 0, limit)
    return name[:cut], name[cut + 1 :]


def _number(value: float) -> str:
    return format_number(value, 6)


def office_value(ind: Indicator, target: Target | None, variant: int) -> object:
    """The cell a secretary would have typed for this target (or baseline)."""
    if target is None:
        return "-" if variant % 2 else None
    if target.text:
        return target.text
    value = target.value
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None:
        return None
    if ind.kind is IndicatorKind.PERCENT:
        if target.comparator is None and variant % 3 == 0:
            return ("number", value / 100, "0%" if value == int(value) else "0.00%")
        shown = _number(value) + "%"
    elif ind.kind is IndicatorKind.COUNT and value < 10 and variant % 4 == 1:
        shown = f"{int(value):02d}"
    elif ind.kind is IndicatorKind.COUNT and variant % 5 == 2 and target.comparator is None:
        return ("number", int(value), "0")
    else:
        shown = _number(value)
    if target.comparator is None:
        return shown
    sign = target.comparator.symbol
    return f"{sign} {shown}" if variant % 2 else f"{sign}{shown}"


def write_indicator_sheet(ws, plan: Plan, encode: Encoder, wrap: bool = True) -> None:  # noqa: ANN001
    """Phụ lục I in the Bỉm Sơn layout (data from row 7)."""
    w = _Writer(ws, encode)
    years = sorted(plan.info.milestones)
    last_col = 5 + len(years)
    ws.title = "Phụ lục I"
    w.put(1, 1, "PHỤ LỤC I: CÁC CHỈ TIÊU CỤ THỂ")
    w.merge(1, 1, 1, last_col)
    date_text = f"{plan.info.date.day}/{plan.info.date.month}/{plan.info.date.year}"
    w.put(
        2, 1, f"(Kèm theo Kế hoạch số {plan.info.number} ngày {date_text} của {plan.info.issuer})"
    )
    w.merge(2, 1, 2, last_col)
    as_of = plan.indicators()[0].baseline.as_of or ""
    heads = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính/đo lường", f"Hiện trạng\n({as_of.lower()})"]
    for col, text in enumerate(heads, start=1):
        w.put(4, col, text)
        w.merge(4, col, 5, col)
    w.put(4, 5, "CHỈ TIÊU")
    w.merge(4, 5, 4, 4 + len(years))
    for i, year in enumerate(years):
        w.put(5, 5 + i, f"Năm {year}")
    w.put(4, last_col, "Cơ quan, đơn vị chủ trì tham mưu; theo dõi, báo cáo")
    w.merge(4, last_col, 5, last_col)
    for col in range(1, last_col + 1):
        w.put(6, col, f"({col})")
    row = 7
    variant = 0
    for group in plan.indicator_groups:
        w.put(row, 1, group.code)
        w.put(row, 2, group.title)
        w.merge(row, 2, row, last_col)
        row += 1
        spans: list[tuple[int, int, str | None]] = []
        for ind in group.indicators:
            variant += 1
            first, rest = _split_long(ind.name) if wrap else (ind.name, None)
            w.put(row, 1, ind.code)
            w.put(row, 2, first)
            w.put(row, 3, ind.unit)
            base = ind.baseline
            if base.text:
                w.put(row, 4, base.text)
            elif base.value is not None:
                cell = office_value(ind, Target(None, base.value), variant + 1)
                _put_value(w, row, 4, cell)
            texts = [ind.targets.get(y) for y in years]
            same_text = (
                texts[0] is not None
                and texts[0].text
                and all(t is not None and t.text == texts[0].text for t in texts)
            )
            if same_text:
                w.put(row, 5, texts[0].text)
                w.merge(row, 5, row, 4 + len(years))
            else:
                for i, target in enumerate(texts):
                    _put_value(w, row, 5 + i, office_value(ind, target, variant + i))
            end = row + (1 if rest else 0)
            if rest:
                w.put(row + 1, 2, rest)
            spans.append((row, end, ind.lead_agency))
            row = end + 1
        _merge_leads(w, spans, last_col)
    row += 1
    w.put(row, 1, "Ghi chú: (*) Chỉ tiêu mới, chưa có số liệu đánh giá hiện trạng.")
    w.merge(row, 1, row, last_col)
    widths = [6, 48, 12, 16] + [10] * len(years) + [30]
    for col, width in zip(range(1, last_col + 1), widths, strict=True):
        ws.column_dimensions[get_column_letter(col)].width = width


def _merge_leads(w: _Writer, spans: list[tuple[int, int, str | None]], col: int) -> None:
    """Lead agencies merged down over consecutive indicators that share one."""
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][2] == spans[i][2] and spans[i][2]:
            j += 1
        w.put(spans[i][0], col, spans[i][2])
        w.merge(spans[i][0], col, spans[j][1], col)
        i = j + 1


def _put_value(w: _Writer, row: int, col: int, value: object) -> None:
    if isinstance(value, tuple):
        _, number, fmt = value
        w.put(row, col, number, fmt)
    elif value is not None:
        w.put(row, col, value)


def write_task_sheet(ws, plan: Plan, encode: Encoder, title: str = "Phụ lục II",  # noqa: ANN001
                     appendix: TaskAppendix | None = None) -> None:  # fmt: skip
    """Phụ lục II in the Thống Nhất layout (one header row, groups I–VI); with `appendix`,
    that task appendix of a plan of several, titled as Bỉm Sơn's seed ("PHỤ LỤC II:" over
    its title; an ungrouped appendix's tasks under the header with no group row)."""
    w = _Writer(ws, encode)
    ws.title = title
    groups = plan.task_groups
    if appendix is not None:
        groups = [g for g in plan.task_groups if g.appendix == appendix.code]
    w.put(1, 1, plan.office.issuing_body or plan.office.name.upper())
    w.merge(1, 1, 1, 3)
    w.put(1, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    w.merge(1, 4, 1, 7)
    w.put(2, 1, f"PHỤ LỤC {appendix.code}:" if appendix else "PHỤ LỤC II")
    w.merge(2, 1, 2, 7)
    w.put(3, 1, appendix.title if appendix else "DANH MỤC CÁC NHIỆM VỤ TRIỂN KHAI")
    w.merge(3, 1, 3, 7)
    date_text = f"{plan.info.date.day}/{plan.info.date.month}/{plan.info.date.year}"
    w.put(
        4, 1, f"(Kèm theo Kế hoạch số {plan.info.number} ngày {date_text} của {plan.info.issuer})"
    )
    w.merge(4, 1, 4, 7)
    heads = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả thực hiện",
             "Thời gian\nthực hiện", "Ghi chú"]  # fmt: skip
    for col, text in enumerate(heads, start=1):
        w.put(6, col, text)
    row = 7
    for gi, group in enumerate(groups):
        if appendix is not None and not group.code:
            pass  # the body of an ungrouped appendix: its tasks follow the header
        elif gi == 1:
            # As in the scanned plan: a group title merged across, with no numeral.
            w.put(row, 1, group.title)
            w.merge(row, 1, row, 7)
        else:
            w.put(row, 1, group.code)
            w.put(row, 2, group.title)
            w.merge(row, 2, row, 7)
        row += 1
        for ti, task in enumerate(group.tasks):
            first, rest = _split_long(task.name, 200)
            w.put(row, 1, task.code)
            w.put(row, 2, first)
            w.put(row, 3, task.lead_agency)
            sep = "\n" if ti % 2 else "; "
            w.put(row, 4, sep.join(task.partners) if task.partners else None)
            w.put(row, 5, task.output)
            w.put(row, 6, task.deadline.text if task.deadline else None)
            w.put(row, 7, task.note)
            if rest:
                w.put(row + 1, 2, rest)
                row += 1
            row += 1


def write_workbook(
    path: Path,
    plan: Plan,
    encoding: str = "unicode",
    indicators: bool = True,
    tasks: bool = True,
) -> Path:
    """Write `plan`'s appendices to `path` as an office's workbook."""
    wb = Workbook()
    encode = encoder(encoding)
    first = wb.active
    if indicators:
        write_indicator_sheet(first, plan, encode)
    if tasks and len(plan.task_appendices) > 1:
        for i, appendix in enumerate(plan.task_appendices):
            ws = wb.create_sheet() if indicators or i else first
            write_task_sheet(ws, plan, encode, f"Phụ lục {appendix.code}", appendix)
    elif tasks:
        ws = wb.create_sheet() if indicators else first
        write_task_sheet(ws, plan, encode)
    wb.save(path)
    return path
