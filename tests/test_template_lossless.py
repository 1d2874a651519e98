"""A plan's template imports into a new or empty data file as the same plan: `plan show --json`.

The sheet "Thông tin kế hoạch" carries the header the appendices do not: office
and letterhead, number, title, date, issuer, milestones, regime, document style,
validation; a wrong value there is a problem at its row like any other.
"""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.importers import read_plan_workbook
from app.importers.plan_info_sheet import INFO_SHEET
from app.models.samples import list_samples

SAMPLES = [s.name for s in list_samples()]


def _show(db, capsys) -> dict:  # noqa: ANN001
    capsys.readouterr()
    assert main(["plan", "show", "--db", str(db), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", SAMPLES)
def test_template_round_trips_into_a_new_file(tmp_path, capsys, name):  # noqa: ANN001
    source, copy, template = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "t.xlsx"
    assert main(["init", "--db", str(source), "--sample", name]) == 0
    assert main(["plan", "template", "--out", str(template), "--db", str(source)]) == 0
    assert main(["plan", "import", str(template), "--db", str(copy)]) == 0
    assert _show(copy, capsys) == _show(source, capsys)
    assert main(["status", "--db", str(copy), "--today", "2026-11-23"]) == 0
    assert "chưa có chế độ báo cáo" not in capsys.readouterr().out


def test_template_into_an_empty_data_file_and_edited_header(tmp_path, capsys):  # noqa: ANN001
    source, empty, template = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "t.xlsx"
    assert main(["init", "--db", str(source), "--sample", "thong-nhat"]) == 0
    assert main(["plan", "template", "--out", str(template), "--db", str(source)]) == 0
    wb = load_workbook(template)
    assert wb.sheetnames == ["Phụ lục I", "Phụ lục II", INFO_SHEET, "Danh mục"]
    ws = wb[INFO_SHEET]
    rows = {ws.cell(r, 10).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value}
    assert ws.cell(rows["plan.number"], 2).value == "4888/KH-UBND"
    assert ws.cell(rows["plan.date"], 2).value == "18/11/2025"
    assert ws.cell(rows["office.style"], 2).value == "Nhà nước"
    assert ws.column_dimensions["J"].hidden
    ws.cell(rows["office.signer_name"], 2).value = "Trần Thị Bình"
    ws.cell(rows["plan.end"], 2).value = "31/12/2030"
    ws.cell(rows["validation.path_tolerance"], 2).value = "2,5%"
    wb.save(template)

    assert main(["init", "--db", str(empty), "--empty", "--office", "Xã mới"]) == 0
    assert main(["plan", "import", str(template), "--db", str(empty)]) == 0
    shown, original = _show(empty, capsys), _show(source, capsys)
    assert shown["office"]["signer_name"] == "Trần Thị Bình"
    assert shown["plan"]["end"] == "2030-12-31"
    assert shown["validation"]["path_tolerance"] == 0.025
    for data in (shown, original):
        data["office"]["signer_name"] = data["plan"]["end"] = None
        data["validation"]["path_tolerance"] = 0
    assert shown == original


def test_a_wrong_header_value_is_a_problem_at_its_row(tmp_path):
    from app.importers.plan_template import write_plan_template
    from app.models.samples import load_sample

    template = write_plan_template(tmp_path / "t.xlsx", load_sample("bim-son"))
    wb = load_workbook(template)
    ws = wb[INFO_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value == "plan.date")
    ws.cell(row, 2).value = "31/02/2025"
    rule_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 10).value == "plan.reporting")
    wb.save(template)
    problems = read_plan_workbook(template).problems
    assert [(p.sheet, p.row, p.column, p.message) for p in problems] == [
        (INFO_SHEET, row, "Giá trị", "'31/02/2025' không phải ngày dạng dd/mm/yyyy")
    ]
    ws.cell(row, 2).value = "13/05/2025"
    ws.cell(rule_row, 1).value = "Hằng tuần"
    wb.save(template)
    (problem,) = read_plan_workbook(template).problems
    assert (problem.row, problem.column) == (rule_row, "Loại kỳ báo cáo")
    assert problem.message == (
        "không hiểu loại kỳ 'Hằng tuần' (chọn: Hằng tháng, Hằng quý, 6 tháng, Hằng năm)"
    )


def test_plan_set_and_office_set(tmp_path, capsys):  # noqa: ANN001
    db = tmp_path / "a.sqlite"
    assert main(["init", "--db", str(db), "--empty", "--office", "Xã Gia Phúc"]) == 0
    assert main(["plan", "set", "--db", str(db), "--number", "18-KH/ĐU", "--date", "29/8/2025",
                 "--title", "Kế hoạch hành động thực hiện Nghị quyết 57-NQ/TW",
                 "--milestones", "2025, 2030, 2045", "--style", "Đảng",
                 "--reporting", "Hằng tháng:25:0:trước ngày",
                 "--reporting", "6 tháng:15:0:chậm nhất ngày", "--path-tolerance", "3%"]) == 0  # fmt: skip
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith(
            "Đã lưu: Ngày ban hành (dd/mm/yyyy); Các mốc năm (cách nhau bởi dấu phẩy); Số, ký hiệu "
            "kế hoạch; Chế độ báo cáo định kỳ; Loại văn bản của kế hoạch (trống: theo số ký hiệu); "
            "Trích yếu kế hoạch; Dung sai lộ trình (% của bước đến mục tiêu)."
        )
    )
    assert main(["office", "set", "--db", str(db), "--issuing-body", "ĐẢNG ỦY XÃ GIA PHÚC",
                 "--parent-body", "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG", "--signer-name", "Vũ Văn An",
                 "--recipient", "Ban Thường vụ Thành ủy (b/c)", "--recipient", "Lưu VP"]) == 0  # fmt: skip
    shown = _show(db, capsys)
    plan, office = shown["plan"], shown["office"]
    assert (plan["number"], plan["date"], plan["milestones"], plan["style"]) == (
        "18-KH/ĐU",
        "2025-08-29",
        [2025, 2030, 2045],
        "party",
    )
    assert plan["reporting"] == [
        {"frequency": "month", "due_day": 25, "due_month_offset": 0, "strict": True},
        {"frequency": "half", "due_day": 15, "due_month_offset": 0, "strict": False},
    ]
    assert shown["validation"]["path_tolerance"] == 0.03
    assert (office["issuing_body"], office["parent_body"], office["signer_name"]) == (
        "ĐẢNG ỦY XÃ GIA PHÚC",
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG",
        "Vũ Văn An",
    )
    assert office["recipients"] == ["Ban Thường vụ Thành ủy (b/c)", "Lưu VP"]
    assert office["name"] == "Xã Gia Phúc"

    before = _show(db, capsys)
    code = main(["plan", "set", "--db", str(db), "--number", "19-KH/ĐU", "--end", "1/1/2020"])
    assert code == 1
    assert "trước ngày bắt đầu" in capsys.readouterr().err
    assert _show(db, capsys) == before  # nothing written
    assert main(["plan", "set", "--db", str(db), "--date", "31/2/2025"]) == 1
    assert capsys.readouterr().err.strip() == (
        "Lỗi: Ngày ban hành (dd/mm/yyyy): '31/2/2025' không phải ngày dạng dd/mm/yyyy."
    )


def test_agencies_travel_in_the_template(tmp_path, capsys):  # noqa: ANN001
    """The office's agency list (merged wordings, contacts, how each reports) comes back."""
    source, copy, template = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "t.xlsx"
    assert main(["init", "--db", str(source), "--sample", "bim-son"]) == 0
    assert main(["agency", "build", "--db", str(source), "--merge", "all"]) == 0
    listed = _show(source, capsys)["agencies"]
    assert len(listed) >= 10
    first = listed[0]["short_name"]
    assert main(["agency", "set", first, "--db", str(source), "--contact", "Lê Thị Hoa",
                 "--phone", "0912 345 678", "--email", "hoa@bimson.gov.vn",
                 "--kind", "package"]) == 0  # fmt: skip
    assert main(["plan", "template", "--out", str(template), "--db", str(source)]) == 0
    ws = load_workbook(template)[INFO_SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == first)
    assert [ws.cell(row, c).value for c in (3, 4, 5, 7)] == [
        "Lê Thị Hoa",
        "0912 345 678",
        "Gửi gói báo cáo có ký số",
        "hoa@bimson.gov.vn",
    ]
    assert main(["plan", "import", str(template), "--db", str(copy)]) == 0
    assert _show(copy, capsys) == _show(source, capsys)
    listed_by = {}
    for db in (source, copy):  # the same links: each agency leads and partners as many items
        capsys.readouterr()
        assert main(["agency", "list", "--db", str(db)]) == 0
        listed_by[db] = capsys.readouterr().out
    assert "(gửi gói báo cáo có ký số; chủ trì" in listed_by[copy]
    assert listed_by[copy] == listed_by[source]


def test_ad_hoc_reports_travel_in_the_plan_json_and_the_template(tmp_path, capsys):  # noqa: ANN001
    source, copy, template = tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "t.xlsx"
    assert main(["init", "--db", str(source), "--sample", "thong-nhat"]) == 0
    assert main(["period", "add", "--db", str(source), "--kind", "review",
                 "--title", "Báo cáo sơ kết 1 năm", "--from", "01/12/2025", "--to", "20/11/2026",
                 "--due", "30/11/2026"]) == 0  # fmt: skip
    shown = _show(source, capsys)
    assert [r["id"] for r in shown["plan"]["ad_hoc"]] == ["2026-A01"]
    assert main(["plan", "template", "--out", str(template), "--db", str(source)]) == 0
    assert main(["plan", "import", str(template), "--db", str(copy)]) == 0
    assert _show(copy, capsys) == shown
