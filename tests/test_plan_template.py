"""The appendix template: the office layout, drop-down lists, and an exact round trip."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.importers.plan_template import write_plan_template
from app.importers.workbook import read_plan_workbook
from app.models.errors import UserError
from app.models.samples import load_sample


def test_blank_template_layout(tmp_path):
    path = write_plan_template(tmp_path / "mau.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Phụ lục I", "Phụ lục II", "Thông tin kế hoạch", "Danh mục"]
    assert wb["Danh mục"].sheet_state == "hidden"
    ws = wb["Phụ lục I"]
    assert ws["A1"].value == "PHỤ LỤC I" and ws["A2"].value == "DANH MỤC CÁC CHỈ TIÊU"
    assert ws["A3"].value.startswith("(Kèm theo Kế hoạch số")
    assert ws.freeze_panes == "C7"
    assert ws["F5"].value == "Cách tính" and ws["G5"].value == "Dấu so sánh"
    assert ws["I5"].value == "CHỈ TIÊU" and [ws.cell(6, c).value for c in range(9, 14)] == [
        "Năm 2025", "Năm 2030", "Năm 2035", "Năm 2040", "Năm 2045"
    ]  # fmt: skip
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A5:A6", "B5:B6", "F5:F6", "I5:M5"} <= merged
    assert ws["A5"].font.bold and ws["A5"].fill.fgColor.rgb.endswith("D9E1F2")
    assert ws.column_dimensions["B"].width == 50
    lists = {str(dv.sqref)[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert {str(dv.sqref) for dv in ws.data_validations.dataValidation} >= {"D7:D507"}
    assert lists == {
        "C": "='Danh mục'!$A$2:$A$15",
        "D": "='Danh mục'!$B$2:$B$8",
        "E": "='Danh mục'!$C$2:$C$3",
        "F": "='Danh mục'!$E$2:$E$3",
        "G": "='Danh mục'!$D$2:$D$6",
    }
    assert [wb["Danh mục"].cell(r, 5).value for r in range(1, 4)] == [
        "Cách tính",
        "Giá trị tại thời điểm báo cáo",
        "Số phát sinh trong năm",
    ]
    assert [wb["Danh mục"].cell(r, 4).value for r in range(2, 7)] == [">", "≥", "<", "≤", "="]
    tasks = wb["Phụ lục II"]
    assert [tasks.cell(5, c).value for c in range(1, 8)] == [
        "STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả, sản phẩm",
        "Thời gian hoàn thành", "Ghi chú",
    ]  # fmt: skip


def test_blank_template_reads_back_as_an_empty_plan(tmp_path):
    preview = read_plan_workbook(
        write_plan_template(tmp_path / "mau.xlsx", milestones=[2026, 2030])
    )
    assert preview.problems == []
    assert preview.has_indicators and preview.has_tasks and preview.importable
    assert (preview.indicator_count(), preview.task_count()) == (0, 0)
    assert preview.milestones == [2026, 2030]
    assert preview.office_name is None and preview.plan_number is None


@pytest.mark.parametrize("name", ["bim-son", "thong-nhat", "phuoc-long", "gia-phuc", "nga-nam"])
def test_plan_to_xlsx_to_import_gives_the_same_plan(tmp_path, name):
    plan = load_sample(name)
    preview = read_plan_workbook(write_plan_template(tmp_path / f"{name}.xlsx", plan))
    assert preview.problems == []
    for item in plan.indicators() + plan.tasks():
        item.id = None
    for group in plan.indicator_groups + plan.task_groups:
        group.id = None
    assert preview.indicator_groups == plan.indicator_groups
    assert preview.task_groups == plan.task_groups
    assert preview.milestones == sorted(plan.info.milestones)
    # The sheet "Thông tin kế hoạch" carries the number exactly, even the placeholder
    # "…/KH-UBND" of Ngã Năm (its scan lost the first page), which the attached line
    # "(Kèm theo Kế hoạch số …)" alone would read as blank.
    assert preview.header is not None and preview.header.info == plan.info
    assert (preview.plan_number, preview.plan_date) == (plan.info.number, plan.info.date)
    assert preview.office_name == plan.info.issuer


def test_store_plan_round_trip(bim_son_store, tmp_path):
    plan = bim_son_store.plan.load()
    path = write_plan_template(tmp_path / "ke-hoach", plan)
    assert path.name == "ke-hoach.xlsx"
    preview = read_plan_workbook(path)
    for item in plan.indicators() + plan.tasks():
        item.id = None
    assert [i for g in preview.indicator_groups for i in g.indicators] == plan.indicators()
    assert [t for g in preview.task_groups for t in g.tasks] == plan.tasks()


def test_write_errors_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="không tồn tại"):
        write_plan_template(tmp_path / "no-such-folder" / "mau.xlsx")


def test_measure_overridden_in_the_template_is_read_back(tmp_path):
    """ "Cách tính" carries the office's choice; a wrong word is a problem at its cell."""
    from dataclasses import replace

    from openpyxl import load_workbook

    from app.models.measure import Measure

    plan = load_sample("bim-son")
    firms = next(i for i in plan.indicators() if i.code == "9")  # a level by its wording
    assert firms.measure is Measure.LEVEL
    path = write_plan_template(tmp_path / "mau.xlsx", plan)
    wb = load_workbook(path)
    ws = wb["Phụ lục I"]
    row = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "9")
    assert ws.cell(row, 6).value == "Giá trị tại thời điểm báo cáo"
    ws.cell(row, 6).value = "Số phát sinh trong năm"
    patents = next(r for r in range(7, ws.max_row + 1) if ws.cell(r, 1).value == "12")
    assert ws.cell(patents, 6).value == "Số phát sinh trong năm"  # "mỗi năm" in its name
    wb.save(path)
    preview = read_plan_workbook(path)
    assert preview.problems == []
    read = {i.code: i for g in preview.indicator_groups for i in g.indicators}
    assert read["9"].measure is Measure.PER_YEAR and read["12"].measure is Measure.PER_YEAR
    assert read["9"] == replace(firms, id=None, measure=Measure.PER_YEAR)

    ws.cell(row, 6).value = "Cộng dồn theo quý"
    wb.save(path)
    problems = read_plan_workbook(path).problems
    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        ("Phụ lục I", row, "Cách tính", "không hiểu cách tính 'Cộng dồn theo quý'")
    ]


def test_a_range_without_words_survives_the_template(tmp_path):
    """ "80% - 90%" typed as a range (no wording kept) comes back with both bounds."""
    from app.models.plan import IndicatorKind
    from app.models.values import parse_target

    plan = load_sample("thong-nhat")
    ind = plan.indicators()[1]
    assert ind.kind is IndicatorKind.PERCENT
    ind.targets[2030] = parse_target(IndicatorKind.PERCENT, "80% - 90%")
    assert ind.targets[2030].text is None and ind.targets[2030].high == 90.0
    preview = read_plan_workbook(write_plan_template(tmp_path / "t.xlsx", plan))
    read = next(i for g in preview.indicator_groups for i in g.indicators if i.code == ind.code)
    assert read.targets[2030] == ind.targets[2030]


def test_groups_numbered_in_arabic_numerals_read_back_as_groups(tmp_path):
    """Some plans number their groups 1, 2, 3: the template merges a group's title across
    the table, which tells it from an item numbered the same."""
    plan = load_sample("nga-nam")
    for i, group in enumerate(plan.indicator_groups, start=1):
        group.code = str(i)
    preview = read_plan_workbook(write_plan_template(tmp_path / "t.xlsx", plan))
    assert [p.text() for p in preview.errors] == []
    assert [(g.code, g.title, len(g.indicators)) for g in preview.indicator_groups] == [
        (g.code, g.title, len(g.indicators)) for g in plan.indicator_groups
    ]
