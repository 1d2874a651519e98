"""Reading appendix workbooks as offices keep them: exact values, problems with their location."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from app.importers.legacy_text import decode_tcvn3, encode_tcvn3
from app.importers.preview import Severity
from app.importers.workbook import read_plan_workbook
from app.models.deadline import parse_deadline
from app.models.plan import Comparator, Direction, IndicatorKind, Target
from app.models.samples import load_sample

from .workbooks import write_workbook


def _strip_ids(items):
    for item in items:
        item.id = None
    return items


@pytest.fixture(scope="module")
def bim_son():
    return load_sample("bim-son")


@pytest.fixture(scope="module")
def thong_nhat():
    return load_sample("thong-nhat")


@pytest.fixture(scope="module")
def books(tmp_path_factory, bim_son, thong_nhat) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    out = {}
    for enc in ("unicode", "tcvn3", "vni", "nfd"):
        out[f"bim-son-{enc}"] = write_workbook(folder / f"bs-{enc}.xlsx", bim_son, enc, tasks=False)
        out[f"thong-nhat-{enc}"] = write_workbook(
            folder / f"tn-{enc}.xlsx", thong_nhat, enc, indicators=False
        )
    return out


def test_bim_son_appendix_i_every_indicator_exact(books, bim_son):
    preview = read_plan_workbook(books["bim-son-unicode"])
    assert preview.problems == []
    assert preview.importable
    assert [(g.code, g.title) for g in preview.indicator_groups] == [
        (g.code, g.title) for g in bim_son.indicator_groups
    ]
    expected = _strip_ids(bim_son.indicators())
    got = [i for g in preview.indicator_groups for i in g.indicators]
    assert len(got) == 52
    for want, have in zip(expected, got, strict=True):
        assert have == want, want.code  # name, unit, kind, direction, baseline, every target, lead
    assert preview.milestones == [2025, 2030, 2035, 2040, 2045]
    assert preview.plan_number == "261-KH/TU"
    assert preview.plan_date == date(2025, 5, 13)
    assert preview.office_name == "Ban Thường vụ Thị ủy Bỉm Sơn"
    assert preview.sheets[0].header_rows == (4, 5)


def test_values_as_offices_type_them(books):
    got = {
        i.code: i
        for g in read_plan_workbook(books["bim-son-unicode"]).indicator_groups
        for i in g.indicators
    }
    four = got["4"]  # "0,61%", ">1%", "> 1,5%"
    assert four.baseline.value == pytest.approx(0.61)
    assert four.targets[2025] == Target(Comparator.GT, 1.0, None)
    assert four.targets[2030] == Target(Comparator.GT, 1.5, None)
    assert got["1"].targets[2025] == Target(None, 65.0, None)  # a real 0.65 formatted as %
    assert got["11"].baseline.value == 2  # "02"
    assert got["52"].kind is IndicatorKind.RATIO and got["52"].baseline.value == pytest.approx(0.16)
    assert got["2"].baseline.not_assessed and 2025 not in got["2"].targets  # "-"
    rank = got["51"]
    assert (rank.kind, rank.direction) == (IndicatorKind.RANK, Direction.LOWER_BETTER)
    assert rank.targets[2030] == Target(Comparator.LT, 10.0, None)
    assert got["26"].targets[2045] == Target(Comparator.LT, 10.0, "< 10 các huyện, TX, TP")
    assert got["14"].kind is IndicatorKind.YES_NO and got["14"].targets[2030].value is True
    assert got["24"].kind is IndicatorKind.QUALITATIVE
    # A long name wrapped into the next row is read whole.
    assert got["50"].name.startswith("Ứng dụng AI, IoT và Big Data") and got["50"].name.endswith(
        "dịch vụ công"
    )


def test_thong_nhat_appendix_ii_every_task_and_deadline(books, thong_nhat):
    preview = read_plan_workbook(books["thong-nhat-unicode"])
    assert preview.problems == []
    assert [(g.code, g.title) for g in preview.task_groups] == [
        (g.code, g.title) for g in thong_nhat.task_groups
    ]
    got = [t for g in preview.task_groups for t in g.tasks]
    expected = _strip_ids(thong_nhat.tasks())
    assert len(got) == 51
    for want, have in zip(expected, got, strict=True):
        assert have == want, want.code
        assert have.deadline == parse_deadline(want.deadline.text)
    deadlines = {t.code: t.deadline.text for t in thong_nhat.task_groups[0].tasks}
    assert deadlines["6"] == "Tháng 10/2025"
    assert preview.plan_number == "4888/KH-UBND" and preview.plan_date == date(2025, 11, 18)


def _tcvn3_can_carry(text):
    """.VnTime has no capitals with tone marks: such letters arrive lowered."""
    if text is None:
        return None
    encoded, capitals = encode_tcvn3(text)
    return decode_tcvn3(encoded, capitals)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni", "nfd"])
def test_legacy_and_decomposed_workbooks(books, bim_son, thong_nhat, encoding):
    carry = _tcvn3_can_carry if encoding == "tcvn3" else (lambda t: t)
    preview = read_plan_workbook(books[f"bim-son-{encoding}"])
    assert preview.problems == []
    got = [i for g in preview.indicator_groups for i in g.indicators]
    for want, have in zip(_strip_ids(bim_son.indicators()), got, strict=True):
        assert (have.name, have.unit, have.lead_agency) == (
            carry(want.name),
            carry(want.unit),
            carry(want.lead_agency),
        )
        assert (have.kind, have.direction, have.targets) == (
            want.kind,
            want.direction,
            want.targets,
        )
    assert [g.title for g in preview.indicator_groups] == [
        g.title for g in bim_son.indicator_groups
    ]
    if encoding != "nfd":
        assert preview.sheets[0].encoding == encoding and preview.sheets[0].converted_cells > 100
    tasks = read_plan_workbook(books[f"thong-nhat-{encoding}"])
    assert tasks.problems == []
    for want, have in zip(
        thong_nhat.tasks(), [t for g in tasks.task_groups for t in g.tasks], strict=True
    ):
        assert have.name == carry(want.name)
        assert have.partners == [carry(p) for p in want.partners]
        assert have.deadline.text == carry(want.deadline.text)
    if encoding == "vni":  # VNI carries capitals: everything is exact
        assert [t for g in tasks.task_groups for t in g.tasks] == _strip_ids(thong_nhat.tasks())


def _sheet(rows, merges=(), title="Phụ lục I"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for m in merges:
        ws.merge_cells(m)
    return wb


def test_problems_say_sheet_row_and_column(tmp_path):
    wb = _sheet(
        [
            [
                "STT",
                "Nội dung chỉ tiêu",
                "ĐVT",
                "Hiện trạng",
                "Năm 2025",
                "Năm 2030",
                "Cơ quan chủ trì",
            ],
            ["I", "HẠ TẦNG"],
            ["1", "Tỷ lệ phủ sóng 5G", "%", "0%", "65%", "1OO%", "Phòng Văn hóa"],
            ["2", None, "%", "10%", "20%", "30%", None],
            ["3", "Tỷ lệ hộ có cáp quang", "%", "10%", "150%", "60%", None],
        ]
    )
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    assert not preview.importable
    texts = [p.text() for p in preview.errors]
    assert "Trang 'Phụ lục I', dòng 3, cột 'Năm 2030': không hiểu giá trị '1OO%'" in texts
    assert "Trang 'Phụ lục I', dòng 4, cột 'Nội dung chỉ tiêu': thiếu tên chỉ tiêu" in texts
    assert any(
        p.row == 5 and p.column == "Năm 2025" and "0–100%" in p.message for p in preview.errors
    )
    assert preview.errors[0].column_letter == "F"


def test_header_variants_single_target_column_and_groups_without_numerals(tmp_path):
    """Thống Nhất's Phụ lục I: one target column, the year in the group title."""
    wb = _sheet(
        [
            ["DANH MỤC CÁC CHỈ TIÊU CỤ THỂ"],
            ["(Kèm theo Kế hoạch số 4888/KH-UBND ngày 18/11/2025 của UBND xã Thống Nhất)"],
            [
                "STT",
                "Chỉ tiêu",
                "Đơn vị\ntính",
                "Kết quả đánh giá",
                "Cơ quan chủ trì theo dõi, đánh giá",
            ],
            ["I", "Đến năm 2030"],
            ["1", "Tỷ lệ sử dụng dịch vụ công trực tuyến", "%", "> 80", "Phòng Văn hóa - Xã hội"],
            ["2.1", "Tỷ lệ cung cấp DVCTT toàn trình", "%", 1, "Trung tâm Phục vụ hành chính công"],
            ["Đến năm 2045"],
            ["1", "Quy mô kinh tế số", "%GRDP", ">30", "Phòng Kinh tế"],
            [],
            ["Ghi chú: số liệu ước tính."],
        ],
        merges=["A7:E7", "A10:E10"],
    )
    ws = wb.active
    ws["D6"].number_format = "0%"
    path = tmp_path / "tn1.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    assert preview.problems == []
    g1, g2 = preview.indicator_groups
    assert (g1.code, g1.title, g2.code, g2.title) == ("I", "Đến năm 2030", "II", "Đến năm 2045")
    assert g1.indicators[0].targets == {2030: Target(Comparator.GT, 80.0, None)}
    assert g1.indicators[1].targets == {2030: Target(None, 100.0, None)}
    assert g1.indicators[1].code == "2.1"
    assert g2.indicators[0].targets == {2045: Target(Comparator.GT, 30.0, None)}
    assert preview.milestones == [2030, 2045]


def test_task_header_variants_and_bad_deadline(tmp_path):
    wb = _sheet(
        [
            [
                "TT",
                "Tên nhiệm vụ",
                "Cơ quan chủ trì tham mưu/thực hiện",
                "Cơ quan phối hợp",
                "Kết quả hoàn thành",
                "Thời gian hoàn thành",
            ],
            ["I", "Công tác lãnh đạo, chỉ đạo"],
            [
                "1",
                "Xây dựng kế hoạch",
                "Phòng Văn hóa",
                "Các phòng;\nUBND các xã",
                "Kế hoạch",
                "Quý III/2026",
            ],
            ["2", "Rà soát", "Văn phòng", None, None, "Tháng 13/2025"],
            ["3", "Tuyên truyền", "Văn phòng", None, None, "Năm 2025 và những năm tiếp theo"],
        ],  # fmt: skip
        title="PL II",
    )
    path = tmp_path / "tasks.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    tasks = preview.task_groups[0].tasks
    assert tasks[0].partners == ["Các phòng", "UBND các xã"]
    assert tasks[0].deadline.end == date(2026, 9, 30)
    assert [p.text() for p in preview.errors] == [
        "Trang 'PL II', dòng 4, cột 'Thời gian hoàn thành': thời hạn 'Tháng 13/2025': "
        "tháng 13 không hợp lệ (1–12)."
    ]
    # The row stays in the preview (without the deadline it could not read).
    assert [t.code for t in tasks] == ["1", "2", "3"] and tasks[1].deadline is None


def test_no_appendix_found(tmp_path):
    wb = _sheet([["Báo cáo tháng"], ["Nội dung", "Ghi chú"]])
    path = tmp_path / "other.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    assert not preview.importable
    assert (
        preview.errors[-1].row == 1
        and "không tìm thấy bảng Phụ lục I" in preview.errors[-1].message
    )


def test_reading_changes_nothing_on_disk(books):
    path = books["bim-son-unicode"]
    before = path.read_bytes()
    read_plan_workbook(path)
    assert path.read_bytes() == before
    assert load_workbook(path).sheetnames == ["Phụ lục I"]


def test_warnings_do_not_block(tmp_path):
    wb = _sheet(
        [
            ["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Năm 2030", "Cột lạ"],
            ["1", "Chỉ tiêu A", "%", "50%", "x"],
            ["2", "Chỉ tiêu B", "%", "60%", None],
            ["?!", "rác"],
        ]
    )
    path = tmp_path / "warn.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    assert preview.importable
    assert {p.severity for p in preview.problems} == {Severity.WARNING}
    assert {p.row for p in preview.problems} == {4}


def test_three_header_rows_with_merged_cells(tmp_path):
    wb = _sheet(
        [
            [
                "TT",
                "Tên chỉ tiêu",
                "ĐVT",
                "Thực trạng (năm 2024)",
                "CHỈ TIÊU",
                None,
                None,
                "Ghi chú",
            ],
            [None, None, None, None, "Giai đoạn 2025–2030", None, "Tầm nhìn", None],
            [None, None, None, None, "2025", "Đến năm 2030", "Năm 2045", None],
            ["a)", "Hạ tầng số"],
            ["1.", "Tỷ lệ thôn có cáp quang", "%", 0.5, 0.8, "≥ 95%", "100%", "dòng\nhai"],
            ["2", "Xếp hạng chuyển đổi số", "Thứ hạng", 12, "<10", "≤ 5", 1, None],
        ],
        merges=["A1:A3", "B1:B3", "C1:C3", "D1:D3", "E1:G1", "E2:F2", "H1:H3"],
    )
    ws = wb.active
    for ref in ("D5", "E5"):
        ws[ref].number_format = "0%"
    path = tmp_path / "three.xlsx"
    wb.save(path)
    preview = read_plan_workbook(path)
    assert preview.problems == []
    assert preview.sheets[0].header_rows == (1, 3)
    group = preview.indicator_groups[0]
    assert (group.code, group.title) == ("a", "Hạ tầng số")
    cable, rank = group.indicators
    assert cable.code == "1" and cable.baseline.value == 50 and cable.baseline.as_of == "Năm 2024"
    assert cable.targets == {
        2025: Target(None, 80.0, None),
        2030: Target(Comparator.GE, 95.0, None),
        2045: Target(None, 100.0, None),
    }
    assert cable.note == "dòng\nhai"
    assert (rank.kind, rank.direction) == (IndicatorKind.RANK, Direction.LOWER_BETTER)
    assert rank.targets[2030] == Target(Comparator.LE, 5.0, None)
