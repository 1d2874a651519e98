"""Appendix tables as offices really hold them, in a workbook and in a Word document.

Built from the Thống Nhất seed (001_…): a task table whose header row comes back
in the middle (a Word table that ran over pages, pasted into Excel), an
indicator table whose target column is headed "Chỉ tiêu" like the name column,
the heading row "2. Thực hiện TTHC, DVC…" over indicators 2.1–2.10, and cells
typed in TCVN3 whose capital with a tone mark the font could not hold.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from app.importers import read_plan_workbook
from app.importers.legacy_text import encode_tcvn3
from app.importers.word import read_plan_document
from app.models.samples import load_sample
from app.models.values import format_target

from .word_documents import TableSheet, add_table

pytest.importorskip("docx")

HEADING = "Thực hiện TTHC, DVC và chỉ đạo điều hành, quản trị nội bộ trên môi trường điện tử"
TASK_HEAD = ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả, sản phẩm",
             "Thời gian hoàn thành"]  # fmt: skip


def _put(sheet, row: int, col: int, text: str | None, font: str = "Times New Roman") -> None:  # noqa: ANN001
    if text:
        cell = sheet.cell(row=row, column=col)
        cell.value = text
        cell.font = Font(name=font)


def _save(tmp_path: Path, kind: str, fill) -> Path:  # noqa: ANN001
    if kind == "xlsx":
        wb = Workbook()
        fill(wb.active)
        path = tmp_path / "phu-luc.xlsx"
        wb.save(path)
        return path
    import docx

    document = docx.Document()
    sheet = TableSheet()
    fill(sheet)
    add_table(document, sheet)
    path = tmp_path / "phu-luc.docx"
    document.save(str(path))
    return path


def _read(path: Path):  # noqa: ANN202
    return read_plan_document(path) if path.suffix == ".docx" else read_plan_workbook(path)


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_header_repeated_mid_table_is_skipped_and_said(tmp_path, kind):
    plan = load_sample("thong-nhat")
    groups = plan.task_groups[:2]
    repeat_at: list[int] = []

    def fill(ws) -> None:  # noqa: ANN001
        _put(ws, 1, 1, "DANH MỤC CÁC NHIỆM VỤ")
        row = 2
        for col, text in enumerate(TASK_HEAD, 1):
            _put(ws, row, col, text)
        row += 1
        for group in groups:
            _put(ws, row, 1, group.code)
            _put(ws, row, 2, group.title)
            row += 1
            for i, task in enumerate(group.tasks):
                if group is groups[0] and i == 4:  # the next page of the Word table
                    repeat_at.append(row)
                    for col, text in enumerate(TASK_HEAD, 1):
                        _put(ws, row, col, text)
                    for col in range(1, 7):
                        _put(ws, row + 1, col, f"({col})")
                    row += 2
                for col, text in enumerate((task.code, task.name, task.lead_agency,
                                            "; ".join(task.partners), task.output,
                                            task.deadline.text if task.deadline else None), 1):  # fmt: skip
                    _put(ws, row, col, text)
                row += 1

    preview = _read(_save(tmp_path, kind, fill))
    assert preview.errors == []
    assert [(g.code, g.title) for g in preview.task_groups] == [(g.code, g.title) for g in groups]
    for got, want in zip(preview.task_groups, groups, strict=True):
        assert [(t.code, t.name, t.lead_agency, t.deadline) for t in got.tasks] == [
            (t.code, t.name, t.lead_agency, t.deadline) for t in want.tasks
        ]
    (note,) = preview.warnings
    assert note.row == repeat_at[0]
    assert note.message == "dòng tiêu đề bảng lặp lại giữa bảng (bảng sang trang), đã bỏ qua"
    assert "Không phát hiện vấn đề nào." not in preview.summary_lines()


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_chi_tieu_target_column_headings_and_tcvn3_capitals(tmp_path, kind):
    plan = load_sample("thong-nhat")
    group = plan.indicator_groups[0]  # "Đến năm 2030": 1, 2.1–2.10, …
    heading_row: list[int] = []

    def fill(ws) -> None:  # noqa: ANN001
        for col, text in enumerate(("STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu",
                                    "Cơ quan chủ trì theo dõi, báo cáo"), 1):  # fmt: skip
            _put(ws, 1, col, text)
        _put(ws, 2, 1, group.code)
        _put(ws, 2, 2, group.title)
        row = 3
        for ind in group.indicators:
            if ind.code == "2.1":
                heading_row.append(row)
                _put(ws, row, 1, "2")
                _put(ws, row, 2, HEADING)
                row += 1
            name, font = ind.name, "Times New Roman"
            if ind.code == "2.2":  # typed in .VnTime: "Tỷ" keeps its capital, "Ứ" could not
                name, font = encode_tcvn3("Ứng dụng " + ind.name)[0], ".VnTime"
            _put(ws, row, 1, ind.code)
            _put(ws, row, 2, name, font)
            _put(ws, row, 3, ind.unit)
            _put(ws, row, 4, format_target(ind, ind.targets[2030]))
            _put(ws, row, 5, ind.lead_agency)
            row += 1

    preview = _read(_save(tmp_path, kind, fill))
    assert preview.errors == []
    (got,) = preview.indicator_groups
    assert [i.code for i in got.indicators] == [i.code for i in group.indicators]
    for mine, want in zip(got.indicators, group.indicators, strict=True):
        name = "Ứng dụng " + want.name if want.code == "2.2" else want.name
        assert (mine.name, mine.unit, mine.lead_agency) == (name, want.unit, want.lead_agency)
        assert mine.targets[2030] == want.targets[2030], mine.code
        under = want.code.startswith("2.")
        assert mine.note == (f"Thuộc mục 2. {HEADING}" if under else want.note), mine.code
    notes = [p.message for p in preview.warnings]
    assert notes[0].startswith("đã viết hoa chữ cái đầu của 1 ô gõ bằng phông TCVN3")
    assert notes[1] == (
        f"dòng '2. {HEADING[:50]}' là tiêu đề của các mục 2.1–2.10, không nhập thành một mục riêng"
    )
    assert [p.row for p in preview.warnings][1] == heading_row[0]
