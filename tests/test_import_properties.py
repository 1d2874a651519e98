"""Property tests: whatever the cells hold and whatever the sheet's shape, the importer
never crashes, reports every problem with its location, and what it accepts the
store accepts."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.styles import Font

from app.importers.apply import apply_import
from app.importers.legacy_text import encode_tcvn3, encode_vni
from app.importers.workbook import read_plan_workbook
from app.models.plan import Office
from app.models.store import Store

WORDS = ["STT", "TT", "Nội dung chỉ tiêu", "Tên nhiệm vụ", "ĐVT", "Đơn vị tính", "Hiện trạng",
         "Năm 2025", "Năm 2030", "CHỈ TIÊU", "Cơ quan chủ trì", "Cơ quan phối hợp",
         "Thời gian hoàn thành", "Kết quả", "Ghi chú", "I", "II", "a)", "1", "2.3", "10a", "b.1",
         "65%", "0,61%", ">1%", "≥ 80%", "> 90", "100", "02", "0,16", "1.000", "-", "Có",
         "Chưa triển khai", "Chỉ tiêu mới, chưa đánh giá", "< 10 các huyện, TX, TP", "1OO%",
         "Thường xuyên", "Quý III/2026", "Tháng 13/2025", "Hằng năm", "Thứ bậc", "%",
         "Ghi chú: (*)", "(Kèm theo Kế hoạch số 12/KH-UBND ngày 31/2/2025 của UBND xã)"]  # fmt: skip

text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
word = st.sampled_from(WORDS)
legacy = word.map(lambda w: encode_tcvn3(w)[0]) | word.map(encode_vni)
number = st.floats(allow_nan=True, allow_infinity=True, width=32) | st.integers(-(10**6), 10**6)
cell = st.one_of(
    st.none(), st.none(), word, word, legacy, text, number, st.booleans(),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)  # fmt: skip

HEADER = ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Hiện trạng", "Năm 2025", "Năm 2030",
          "Cơ quan chủ trì"]  # fmt: skip
TASK_HEADER = ["STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"]

SETTINGS = settings(
    max_examples=int(os.environ.get("IMPORT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _write(
    path: Path, sheets: list[tuple[list[list[object]], list[tuple[int, int, int, int]], list[str]]]
) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for i, (rows, merges, fonts) in enumerate(sheets):
        ws = wb.create_sheet(f"Trang {i + 1}")
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
                    if fonts:
                        ws.cell(r, c).font = Font(name=fonts[(r + c) % len(fonts)])
        for r1, c1, r2, c2 in merges:
            try:
                ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            except ValueError:
                pass
    wb.save(path)


def _check(path: Path) -> None:
    preview = read_plan_workbook(path)
    sheet_names = {"Trang 1", "Trang 2"}
    for problem in preview.problems:
        assert problem.sheet in sheet_names, problem
        assert isinstance(problem.row, int) and problem.row >= 1, problem
        assert problem.message and problem.text().startswith(f"Trang '{problem.sheet}', dòng ")
        if problem.column is not None:
            assert problem.column_letter, problem
    preview.summary_lines()
    if preview.importable:
        with Store.create(path.with_suffix(".sqlite"), Office(name="Xã thử")) as store:
            apply_import(store, preview)
            plan = store.plan.load()
            assert len(plan.indicators()) == preview.indicator_count()
            assert len(plan.tasks()) == preview.task_count()


merge = st.tuples(st.integers(1, 12), st.integers(1, 8), st.integers(0, 2), st.integers(0, 3)).map(
    lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3])
)
fonts = st.lists(st.sampled_from([".VnTime", ".VnTimeH", "VNI-Times", "Arial"]), max_size=2)


@SETTINGS
@given(
    header=st.sampled_from([HEADER, TASK_HEADER]),
    data=st.lists(st.lists(cell, min_size=0, max_size=8), min_size=0, max_size=12),
    merges=st.lists(merge, max_size=4),
    font_names=fonts,
)
def test_random_cells_under_a_real_header(header, data, merges, font_names):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.xlsx"
        _write(path, [([["PHỤ LỤC"], [], header, *data], merges, font_names)])
        _check(path)


@SETTINGS
@given(
    sheets=st.lists(
        st.tuples(
            st.lists(st.lists(cell, max_size=9), max_size=14),
            st.lists(merge, max_size=5),
            fonts,
        ),
        min_size=1,
        max_size=2,
    )
)
def test_random_sheet_shapes(sheets):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "shape.xlsx"
        _write(path, sheets)
        _check(path)
