"""The consolidated workbook is written row by row (xlsx_stream) and reads back as the
workbook it always was: the sheets, every value, the styles and number formats, the
merged titles, column widths and title heights, frozen panes and print setup.

The expected values come from the consolidation itself (`consolidate`), not from the
writer: for `receive demo`'s two communes, every cell of every sheet is checked.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from app.models.periods import parse_period_id
from app.receiving.consolidation import consolidate
from app.receiving.consolidation_xlsx import (
    CHANGES_SHEET,
    MATRIX_SHEET,
    OVERDUE_SHEET,
    PACKAGES_TITLE,
    SUMMARY_SHEET,
    render_consolidation_xlsx,
    sheet_title,
)
from app.receiving.matrix import CellState, shown_date
from app.receiving.store import Receiving
from app.receiving.xlsx_stream import StreamedSheet, StyleIds
from app.reports.xlsx import CELL, CELL_CENTRE, _add_styles, cell_value, excel_number, number_format

from .test_receiving_sample import PERIOD, made  # noqa: F401 (a fixture)


def _workbook(made):  # noqa: ANN001, ANN202, F811
    with Receiving.open(made["db"]) as receiving:
        data = consolidate(receiving, PERIOD)
    return data, load_workbook(io.BytesIO(render_consolidation_xlsx(data)))


def _rows(ws, first: int = 6) -> list[tuple]:  # noqa: ANN001
    return list(ws.iter_rows(min_row=first, values_only=True))


def _subtitle(data) -> str:  # noqa: ANN001
    return (f"(Kèm theo tổng hợp của {data.receiving_office.name}; lập ngày "
            f"{datetime.now():%d/%m/%Y})")  # fmt: skip


def test_every_sheet_reads_back_with_the_consolidated_values(made):  # noqa: F811
    data, wb = _workbook(made)
    taken = {n.casefold() for n in (MATRIX_SHEET, SUMMARY_SHEET, OVERDUE_SHEET, CHANGES_SHEET)}
    taken.add("chỉ tiêu không khớp")
    groups = [sheet_title(f"{code}. {title}", taken) for code, title, _rows in data.groups]
    assert not data.unmatched  # both communes follow the receiver's plan
    assert wb.sheetnames == [MATRIX_SHEET, SUMMARY_SHEET, *groups, OVERDUE_SHEET, CHANGES_SHEET]
    assert wb.properties.title == f"Tổng hợp báo cáo {data.period.label}"
    assert wb.properties.creator == data.receiving_office.name

    # the matrix: offices × periods, the counts, then the packages of the period
    m, ws = data.matrix, wb[MATRIX_SHEET]
    periods = [parse_period_id(p).label for p in m.periods]
    last = chr(ord("A") + max(4 + len(m.periods), 2) - 1)
    assert [ws[f"A{r}"].value for r in (1, 2, 3)] == [
        "TÌNH HÌNH NỘP BÁO CÁO CỦA CÁC ĐƠN VỊ", f"Kỳ tổng hợp: {data.period.label}",
        _subtitle(data)]  # fmt: skip
    assert [c.value for c in ws[5]][: 4 + len(periods)] == ["STT", "Đơn vị", "Cấp", "Mã", *periods]
    expected = [(n, o.name, o.level, o.code, *(m.cell(o.id, p).state.label for p in m.periods))
                for n, o in enumerate(m.offices, start=1)]  # fmt: skip
    expected += [(None, f"Số đơn vị {s.label.lower()}", None, None,
                  *(m.counts(p)[s] for p in m.periods)) for s in CellState]  # fmt: skip
    rows = _rows(ws)
    width = 4 + len(m.periods)
    assert [r[:width] for r in rows[: len(expected)]] == expected
    assert rows[len(expected)] == (None,) * len(rows[0])  # one empty row before the packages
    title_row = 6 + len(expected) + 1
    assert ws.cell(title_row, 1).value == f"{PACKAGES_TITLE} — {data.period.label.upper()}"
    assert ws.cell(title_row, 1).font.b and ws.cell(title_row, 1).font.sz == 12
    assert [c.value for c in ws[title_row + 1]][:8] == [
        "STT", "Đơn vị", "Lần gửi", "Ngày lập", "Hạn nộp", "Trạng thái", "Lý do", "Tệp"]  # fmt: skip
    packages = [p for o in m.offices for p in m.cell(o.id, data.period.id).packages]
    assert packages
    got = _rows(ws, title_row + 2)
    assert len(got) == len(packages)
    for row, p in zip(got, packages, strict=True):
        timing = "" if p.late is None else (" (trễ hạn)" if p.late else " (đúng hạn)")
        assert row[:8] == (1 + packages.index(p), p.office_name, p.sequence,
                           shown_date(p.created_at), shown_date(p.due),
                           p.status.label + (timing if p.status.valid else ""),
                           None if p.status.valid else p.reason, p.file_name)  # fmt: skip
    # styles: a state's fill; a name wraps at the top, the other columns centred
    first = ws.cell(6, 5)
    assert first.style == f"Trạng thái {m.cell(m.offices[0].id, m.periods[0]).state.label}"
    assert ws.cell(6, 2).style == CELL and ws.cell(6, 1).style == CELL_CENTRE
    assert ws["A1"].font == Font(name="Times New Roman", size=13, bold=True, italic=False)
    assert ws["A3"].font.i and ws["A1"].alignment.wrap_text
    assert ws["A1"].alignment.horizontal == "center"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged == {f"A{r}:{last}{r}" for r in (1, 2, 3)}
    columns = max(width, 8)
    matrix_widths = [6, 34, 10, 8] + [13] * len(m.periods)
    package_widths = [6, 34, 8, 12, 12, 18, 28, 40]  # the table below shares the columns
    widths = [max((matrix_widths + [0] * 8)[i], (package_widths + [0] * width)[i])
              for i in range(columns)]  # fmt: skip
    assert [ws.column_dimensions[chr(65 + i)].width for i in range(columns)] == widths
    assert ws.freeze_panes == "C6" and ws.print_title_rows == "$5:$5"
    assert ws.print_area == f"'{MATRIX_SHEET}'!$A$1:${chr(64 + columns)}${ws.max_row}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.oddFooter.center.text == "Trang &P/&N"
    assert ws.row_dimensions[5].height == 45

    # the summary: a merged group row, then one row per indicator
    ws = wb[SUMMARY_SHEET]
    rows, at = _rows(ws), 0
    for code, title, summaries in data.groups:
        assert rows[at][:2] == (code, title), code
        assert f"B{6 + at}:I{6 + at}" in {str(r) for r in ws.merged_cells.ranges}
        assert ws.cell(6 + at, 9).border.right.style == "thin"  # the merge's right edge
        at += 1
        for s in summaries:
            share = round(100 * s.met / s.reported, 1) if s.reported else None
            kind = s.ref.kind
            assert rows[at] == (s.ref.code, s.ref.name, s.ref.unit or None, s.reported, s.met,
                                excel_number(kind.PERCENT, share), excel_number(kind, s.minimum),
                                excel_number(kind, s.median), excel_number(kind, s.maximum)), s.ref.code  # fmt: skip
            if s.minimum is not None:
                assert ws.cell(6 + at, 7).number_format == number_format(kind, s.minimum)
            at += 1
    assert at == len(rows)
    assert [ws.column_dimensions[chr(64 + i)].width for i in range(1, 10)] == [
        6, 52, 11, 13, 14, 12, 12, 12, 12]  # fmt: skip

    # a group sheet: offices as rows, each value in its assessment's colour and format
    for (code, title, summaries), name in zip(data.groups, groups, strict=True):
        ws = wb[name]
        assert ws["A1"].value == f"NHÓM CHỈ TIÊU {code}. {title}".upper()
        assert ws["A2"].value == f"Số liệu {data.period.title_label} của các đơn vị"
        rows = _rows(ws)
        assert len(rows) == len(data.reported) + 5
        for r, (n, (office, _p)) in enumerate(enumerate(data.reported, start=1)):
            assert rows[r][:2] == (n, office.name)
            for col, s in enumerate(summaries, start=3):
                item = s.values.get(office.id)
                cell = ws.cell(6 + r, col)
                if item is None or item.value is None:
                    assert cell.value is None and cell.style == CELL_CENTRE
                    continue
                assert cell.value == excel_number(s.ref.kind, cell_value(item.value))
                assert cell.style == f"Đánh giá {item.assessment.label}"
                if not isinstance(item.value, bool) and isinstance(item.value, int | float):
                    assert cell.number_format == number_format(s.ref.kind, item.value)
        stats = rows[len(data.reported) :]
        assert [r[1] for r in stats] == ["Số đơn vị có số liệu", "Số đơn vị đạt, vượt mục tiêu",
                                         "Nhỏ nhất", "Trung vị", "Lớn nhất"]  # fmt: skip
        assert list(stats[0][2:]) == [s.reported for s in summaries]
        assert list(stats[3][2:]) == [excel_number(s.ref.kind, s.median) for s in summaries]
        assert ws.row_dimensions[5].height >= 110
        assert ws.freeze_panes == "C6" and ws.print_title_rows == "$5:$5"
        assert ws.column_dimensions["B"].width == 30 and ws.column_dimensions["C"].width == 16

    # the overdue tasks, office by office
    ws = wb[OVERDUE_SHEET]
    assert _rows(ws) == [(n, t.office.name, t.code, t.name, t.deadline or None, t.status,
                          t.lead_agency or None)
                         for n, t in enumerate(data.overdue, start=1)]  # fmt: skip
    assert ws["A1"].value == "CÁC NHIỆM VỤ QUÁ HẠN CỦA CÁC ĐƠN VỊ"
    assert _rows(wb[CHANGES_SHEET]) == []  # no correction in the demo


def test_title_rows_are_sized_once_the_columns_have_widths(made):  # noqa: F811
    _data, wb = _workbook(made)
    for ws in wb.worksheets:
        for row in (1, 2, 3):
            assert ws.row_dimensions[row].height, (ws.title, row)  # each title row is sized
    group_one = wb.worksheets[2]  # two indicators wide: its title takes two lines
    assert group_one.row_dimensions[1].height >= 2 * 13 * 1.36


def _stream_book() -> tuple[Workbook, StreamedSheet, StyleIds]:
    wb = Workbook(write_only=True)
    _add_styles(wb)
    styles = StyleIds(wb)
    return wb, StreamedSheet(wb, "Thử", styles, held=1), styles


def test_a_streamed_sheet_writes_what_openpyxl_reads_back():
    wb, ws, styles = _stream_book()
    plain, centre = styles.of(CELL), styles.of(CELL_CENTRE)
    percent = styles.of(CELL_CENTRE, "0.0#%")
    title = styles.of(font=Font(name="Times New Roman", size=13, bold=True),
                      alignment=Alignment(horizontal="center", wrap_text=True))  # fmt: skip
    ws.add_row([("Tiêu đề & <chú thích>", title)])
    ws.merge_cells("A1:D1")
    ws.skip_to(3)
    ws.add_row([(1, centre), ("=1+1", plain), ("  lề hai bên  ", plain), (0.355, percent)], 32)
    ws.add_row([(True, centre), (None, plain), ("a\x07b", plain), (2**40, centre)])
    ws.add_row([("@SUM(A1:A9)", centre), ("", plain), ("dòng 1\r\ndòng 2", plain)])
    ws.column_dimensions["B"].width = 40
    ws.freeze_panes = "B4"
    ws.row_dimensions[1].height = 40  # a held row: its height may be set until the save
    ws.print_title_rows = "3:3"
    buffer = io.BytesIO()
    wb.save(buffer)
    back = load_workbook(io.BytesIO(buffer.getvalue()))["Thử"]
    assert [[c.value for c in row] for row in back.iter_rows()] == [
        ["Tiêu đề & <chú thích>", None, None, None],
        [None, None, None, None],
        [1, "=1+1", "  lề hai bên  ", 0.355],
        [True, None, "ab", 2**40],  # no control character in XML
        ["@SUM(A1:A9)", None, "dòng 1\r\ndòng 2", None],
    ]
    assert back["B3"].data_type == "s" and back["B3"].quotePrefix  # text, never a formula
    assert back["A5"].quotePrefix and back["A5"].style == CELL_CENTRE
    assert not back["C3"].quotePrefix and back["C3"].style == CELL
    assert back["D3"].number_format == "0.0#%" and back["D3"].style == CELL_CENTRE
    assert back["B4"].style == CELL  # an empty cell keeps its style (its borders)
    assert back["A1"].font.b and back["A1"].font.sz == 13
    assert {str(r) for r in back.merged_cells.ranges} == {"A1:D1"}
    assert back.row_dimensions[1].height == 40 and back.row_dimensions[3].height == 32
    assert back.row_dimensions[4].height is None
    assert back.column_dimensions["B"].width == 40
    assert back.freeze_panes == "B4" and back.print_title_rows == "$3:$3"
    with zipfile.ZipFile(buffer) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    assert b'<dimension ref="A1:D5"/>' in xml
