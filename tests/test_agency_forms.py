"""The agency round trip on the Bỉm Sơn sample: forms written, filled as agencies would, collected.

The forms are parsed back with openpyxl; one returned form goes through
LibreOffice headless (re-saved as agencies do); the printable form is checked
through LibreOffice's PDF when soffice is present.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.agencies.apply import Conflict
from app.agencies.forms import FORMAT, IDENTITY_SHEET
from app.models.audit import os_user
from app.models.progress import TaskStatus
from app.models.task_labels import TaskLookup
from app.operations import agency as ops
from app.operations.period import period_of

SOFFICE = shutil.which("soffice")
RECEIVED = date(2026, 9, 18)
FILE_NAMES = [  # with the Thị ủy's bodies of Phụ lục II
    "bieu-mau-2026-Q3-ban-chi-huy-quan-su-thi-xa.xlsx",
    "bieu-mau-2026-Q3-ban-noi-chinh.xlsx",
    "bieu-mau-2026-Q3-ban-qlda.xlsx",
    "bieu-mau-2026-Q3-ban-to-chuc-thi-uy.xlsx",
    "bieu-mau-2026-Q3-ban-tuyen-giao-va-dan-van-thi-uy.xlsx",
    "bieu-mau-2026-Q3-doanh-nghiep-vien-thong.xlsx",
    "bieu-mau-2026-Q3-don-vi-su-nghiep-truc-thuoc.xlsx",
    "bieu-mau-2026-Q3-hoi-doanh-nghiep.xlsx",
    "bieu-mau-2026-Q3-phong-giao-duc-dao-tao.xlsx",
    "bieu-mau-2026-Q3-phong-kinh-te-ha-tang-do-thi.xlsx",
    "bieu-mau-2026-Q3-phong-noi-vu.xlsx",
    "bieu-mau-2026-Q3-phong-nong-nghiep-va-moi-truong.xlsx",
    "bieu-mau-2026-Q3-phong-tai-chinh-kh.xlsx",
    "bieu-mau-2026-Q3-phong-van-hoa-kh-tt.xlsx",
    "bieu-mau-2026-Q3-thanh-tra-thi-xa.xlsx",
    "bieu-mau-2026-Q3-trung-tam-vh-tt-dl.xlsx",
    "bieu-mau-2026-Q3-trung-tam-vhttdl.xlsx",
    "bieu-mau-2026-Q3-uy-ban-kiem-tra-thi-uy.xlsx",
    "bieu-mau-2026-Q3-uy-ban-mttq.xlsx",
    "bieu-mau-2026-Q3-van-phong-hdnd-ubnd.xlsx",
    "bieu-mau-2026-Q3-van-phong-thi-uy.xlsx",
]


@pytest.fixture
def store(bim_son_store):
    ops.build_agencies(bim_son_store, merge=True)
    return bim_son_store


def q3(store):
    return period_of(store, "2026-Q3", date(2026, 9, 1))


def fill(path: Path, out: Path, cells: dict[str, dict[tuple[str, str], object]]) -> Path:
    """Type values as an agency does: find the row by its code, the column by its header."""
    wb = openpyxl.load_workbook(path)
    for sheet, values in cells.items():
        ws = wb[sheet]
        header = {c.value: c.column for c in ws[4]}
        rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
        for (code, column), value in values.items():
            cell = ws.cell(rows[code], header[column])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed with a leading apostrophe, as Excel users do
    wb.save(out)
    return out


def values_of(store, period):
    plan = store.plan.load()
    codes = {i.id: i.code for i in plan.indicators()}
    return {
        codes[k]: (v.value, v.note) for k, v in store.entries.indicator_values(period.id).items()
    }


def progress_of(store, period, key):
    plan = store.plan.load()
    task = TaskLookup(plan).get(key)  # "PL III – V.35": Bỉm Sơn has two task appendices
    assert task is not None
    return store.entries.task_progress(period.id).get(task.id)


def test_a_form_per_agency_lists_its_items_ready_to_fill_and_print(store, tmp_path):
    plan = store.plan.load()
    v35 = next(t for g in plan.task_groups for t in g.tasks if g.code == "V" and t.code == "35")
    store.plan.update_task(v35.id, name='=HYPERLINK("http://x") Xây dựng chương trình')
    written = ops.write_forms(store, q3(store), tmp_path / "forms").result
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == FILE_NAMES
    assert [(w.agency, w.indicators, w.tasks, w.partner_tasks) for w in written][:4] == [
        ("Phòng Văn hóa, KH&TT", 15, 31, 43), ("Phòng Tài chính - KH", 6, 5, 21),
        ("Phòng Nội vụ", 3, 6, 4), ("Văn phòng HĐND&UBND", 17, 16, 5),
    ]  # fmt: skip

    wb = openpyxl.load_workbook(tmp_path / "forms" / "bieu-mau-2026-Q3-phong-noi-vu.xlsx")
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ tiêu", "Nhiệm vụ", "Phối hợp", IDENTITY_SHEET]
    guide = [wb["Hướng dẫn"].cell(r, 1).value for r in range(1, 7)]
    assert guide[2:] == [
        "Đơn vị báo cáo: Phòng Nội vụ",
        "Kỳ báo cáo: Quý III/2026 (2026-Q3); số liệu từ ngày 15/06/2026 đến ngày 14/09/2026.",
        "Hạn gửi lại: trước ngày 20/09/2026.",
        "Gửi lại cho: Thị ủy Bỉm Sơn.",
    ]
    ident = wb[IDENTITY_SHEET]
    assert ident.sheet_state == "hidden" and ident.protection.sheet
    identity = {ident.cell(r, 1).value: ident.cell(r, 2).value for r in range(1, 10)}
    assert {k: identity[k] for k in ("format", "form_version", "plan_number", "period", "agency")} \
        == {"format": FORMAT, "form_version": "1", "plan_number": "261-KH/TU", "period": "2026-Q3",
            "agency": "Phòng Nội vụ"}  # fmt: skip
    assert len(identity["structure"]) == 16

    ind = wb["Chỉ tiêu"]
    assert [c.value for c in ind[4]] == ["Mã", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu 2030",
                                        "Dự kiến theo lộ trình", "Kỳ trước", "Giá trị kỳ này",
                                        "Ghi chú, giải trình"]  # fmt: skip
    rows = [[c.value for c in row] for row in ind.iter_rows(min_row=5)]
    assert [r[0] for r in rows] == ["5", "6", "10"]
    assert rows[0][2:6] == ["%", "100% (2030)", "100%", None]
    assert rows[2][2:6] == ["Người", "5 (2030)", "0,7", None]
    assert ind.protection.sheet and ind.protection.insertRows is False
    unlocked = sorted(
        c.coordinate for row in ind.iter_rows() for c in row if not c.protection.locked
    )
    assert unlocked == ["G5", "G6", "G7", "H5", "H6", "H7"]
    dv = {str(d.sqref): d for d in ind.data_validations.dataValidation}
    assert dv["G5 G6"].type == "decimal" and (dv["G5 G6"].formula1, dv["G5 G6"].formula2) == (
        "0",
        "100",
    )
    assert dv["G5 G6"].error == "Giá trị phải là một số từ 0 đến 100 (phần trăm), ví dụ 65."
    assert dv["G7"].type == "whole" and dv["G7"].errorTitle == "Giá trị không hợp lệ"
    assert ind.page_setup.orientation == "landscape" and ind.page_setup.paperSize == 9
    assert ind.print_title_rows == "$4:$4"

    tasks = wb["Nhiệm vụ"]
    assert tasks["A5"].value == "PL III – V.35"
    assert tasks["B5"].value == '=HYPERLINK("http://x") Xây dựng chương trình'
    assert tasks["B5"].data_type == "s"  # text, never a formula
    status = next(d for d in tasks.data_validations.dataValidation if d.type == "list")
    assert (
        status.formula1 == '"Chưa triển khai,Đang thực hiện,Đã hoàn thành,Tạm dừng,Không thực hiện"'
    )
    assert str(status.sqref) == "E5:E10"
    assert status.error == ("Chọn một trong: Chưa triển khai, Đang thực hiện, Đã hoàn thành, "
                            "Tạm dừng, Không thực hiện.")  # fmt: skip
    partner = wb["Phối hợp"]
    assert [partner.cell(r, 1).value for r in range(5, 9)] == [
        "PL II – 5", "PL III – II.4", "PL III – III.8", "PL III – III.11"]  # fmt: skip
    assert partner["C5"].value == "Ban Tổ chức Thị ủy"
    assert partner["C6"].value == "Phòng Văn hóa, KH&TT"
    unlocked = sorted(
        c.coordinate for row in partner.iter_rows() for c in row if not c.protection.locked
    )
    assert unlocked == ["E5", "E6", "E7", "E8"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_the_form_prints_on_a4_landscape(store, tmp_path):
    ops.write_forms(store, q3(store), tmp_path, "Phòng Nội vụ")
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "bieu-mau-2026-Q3-phong-noi-vu.xlsx")],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9", str(tmp_path / "bieu-mau-2026-Q3-phong-noi-vu.pdf")],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    sizes = [line.split(":", 1)[1].strip() for line in info.splitlines()
             if line.startswith("Page") and " size:" in line]  # fmt: skip
    assert sizes == ["841.89 x 595.304 pts (A4)"] * 4  # guide, indicators, tasks, partners


def _resave_in_libreoffice(path: Path, out_dir: Path) -> Path:
    out_dir.mkdir()
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out_dir),
                    str(path)], check=True, capture_output=True, timeout=180)  # fmt: skip
    return out_dir / path.name


def test_returned_forms_are_collected_with_the_grids_checks_and_conflicts(store, tmp_path):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: the re-saved form cannot be made")
    period = q3(store)
    forms = tmp_path / "forms"
    ops.write_forms(store, period, forms)
    ops.write_forms(store, period_of(store, "2026-H1", date(2026, 9, 1)), tmp_path / "h1",
                    "Phòng Giáo dục & Đào tạo")  # fmt: skip
    plan = store.plan.load()
    ind7 = next(i for i in plan.indicators() if i.code == "7")
    store.entries.set_indicator_value(period.id, ind7.id, value="40")  # typed by the secretary

    back = tmp_path / "back"
    back.mkdir()
    # Phòng Nội vụ: adds a row, types a note starting with "=", re-saves in LibreOffice, renames
    filled = fill(forms / "bieu-mau-2026-Q3-phong-noi-vu.xlsx", tmp_path / "noi-vu.xlsx", {
        "Chỉ tiêu": {("5", "Giá trị kỳ này"): 75, ("5", "Ghi chú, giải trình"): "=Đạt nhờ lớp bồi dưỡng",
                     ("10", "Giá trị kỳ này"): 3},
        "Nhiệm vụ": {("PL III – V.35", "Tình trạng"): "Đang thực hiện", ("PL III – V.35", "Tiến độ (%)"): 40,
                     ("PL III – V.35", "Kết quả kỳ này"): "Đã mở 2 lớp bồi dưỡng",
                     ("PL III – V.35", "Số văn bản minh chứng"): "12/BC-NV",
                     ("PL III – V.35", "Ngày văn bản"): date(2026, 9, 5)},
        "Phối hợp": {("PL III – II.4", "Nội dung phối hợp kỳ này"): "Cử 2 cán bộ tham gia tập huấn"},
    })  # fmt: skip
    wb = openpyxl.load_workbook(filled)
    wb["Chỉ tiêu"].insert_rows(6)
    wb["Chỉ tiêu"]["B6"] = "Dòng đơn vị tự thêm"
    wb["Chỉ tiêu"]["H6"] = "Ghi chú thêm của đơn vị"
    wb.save(filled)
    resaved = _resave_in_libreoffice(filled, tmp_path / "lo")
    resaved.rename(back / "BC quy 3 - Noi vu (da sua).xlsx")
    # Phòng Tài chính - KH: one value the grid refuses
    fill(forms / "bieu-mau-2026-Q3-phong-tai-chinh-kh.xlsx", back / "tai-chinh.xlsx", {
        "Chỉ tiêu": {("4", "Giá trị kỳ này"): 120, ("15", "Giá trị kỳ này"): 12},
    })  # fmt: skip
    # Phòng Giáo dục & Đào tạo: last half-year's form
    fill(tmp_path / "h1" / "bieu-mau-2026-H1-phong-giao-duc-dao-tao.xlsx", back / "giao-duc.xlsx",
         {"Nhiệm vụ": {("PL III – V.36", "Tình trạng"): "Đã hoàn thành"}})  # fmt: skip
    # Văn phòng HĐND&UBND: differs from the value the secretary typed
    fill(forms / "bieu-mau-2026-Q3-van-phong-hdnd-ubnd.xlsx", back / "van-phong.xlsx", {
        "Chỉ tiêu": {("7", "Giá trị kỳ này"): 45, ("8", "Giá trị kỳ này"): "30,5"},
    })  # fmt: skip
    # Phòng Văn hóa, KH&TT: leads PL III – II.4, which Nội vụ partners on
    fill(forms / "bieu-mau-2026-Q3-phong-van-hoa-kh-tt.xlsx", back / "van-hoa.xlsx", {
        "Nhiệm vụ": {("PL III – II.4", "Tình trạng"): "Đang thực hiện",
                     ("PL III – II.4", "Kết quả kỳ này"): "Đã in 500 cuốn cẩm nang"},
    })  # fmt: skip

    dry = ops.collect_forms(store, period, [back], dry_run=True, received_on=RECEIVED).result
    assert values_of(store, period) == {"7": (40.0, None)}  # a dry run writes nothing
    assert store.agencies.returns(period.id) == {}

    results = ops.collect_forms(store, period, [back], received_on=RECEIVED).result
    by_file = {r.file_name: r for r in results}
    assert [r.file_name for r in results] == [
        "BC quy 3 - Noi vu (da sua).xlsx", "giao-duc.xlsx", "tai-chinh.xlsx", "van-hoa.xlsx",
        "van-phong.xlsx",
    ]  # fmt: skip
    for r, d in zip(results, dry, strict=True):  # the dry run said what would happen
        assert (r.written, r.problems, r.conflicts, r.refused) == (
            d.written,
            d.problems,
            d.conflicts,
            d.refused,
        )
    nv = by_file["BC quy 3 - Noi vu (da sua).xlsx"]
    assert nv.agency == "Phòng Nội vụ"
    assert nv.written == [
        "Chỉ tiêu 5: giá trị 75%",
        "Chỉ tiêu 5: ghi chú “=Đạt nhờ lớp bồi dưỡng”",
        "Chỉ tiêu 10: giá trị 3",
        "Nhiệm vụ PL III – II.4: nội dung phối hợp “Cử 2 cán bộ tham gia tập huấn”",
        "Nhiệm vụ PL III – V.35: tình trạng Đang thực hiện, tiến độ 40, kết quả Đã mở 2 lớp bồi dưỡng, "
        "số văn bản 12/BC-NV, ngày văn bản 05/09/2026",
    ]
    assert nv.problems == [] and nv.conflicts == []
    assert nv.notices == ["Bỏ qua trang “Chỉ tiêu”, dòng 6, cột H (Ghi chú, giải trình): "
                          "dòng không có mã của biểu mẫu."]  # fmt: skip
    tc = by_file["tai-chinh.xlsx"]
    assert tc.written == ["Chỉ tiêu 15: giá trị 12"]
    assert tc.problems == [
        "trang “Chỉ tiêu”, dòng 5, cột G (Giá trị kỳ này): Chỉ tiêu 4 (Tỷ lệ tổng chi ngân sách "
        "địa phương chi cho khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số): 120% nằm "
        "ngoài khoảng 0–100%."
    ]
    assert by_file["giao-duc.xlsx"].refused == (
        "Tệp 'giao-duc.xlsx' là biểu mẫu kỳ 2026-H1, không phải kỳ 2026-Q3 (Quý III/2026): không đọc."
    )
    vp = by_file["van-phong.xlsx"]
    day = date.today()
    assert vp.conflicts == [Conflict(
        "trang “Chỉ tiêu”, dòng 5, cột G (Giá trị kỳ này)", "Chỉ tiêu 7", "value", "40%",
        f"nhập trên máy, người dùng {os_user()}, ngày {day:%d/%m/%Y}", "45%",
        "Văn phòng HĐND&UBND", False,
    )]  # fmt: skip
    assert vp.conflicts[0].text() == (
        "Chỉ tiêu 7, giá trị (trang “Chỉ tiêu”, dòng 5, cột G (Giá trị kỳ này)): đã có “40%” "
        f"(nhập trên máy, người dùng {os_user()}, ngày {day:%d/%m/%Y}), biểu mẫu ghi “45%” "
        "(Văn phòng HĐND&UBND); giữ giá trị đã có."
    )
    assert vp.written == ["Chỉ tiêu 8: giá trị 30,5%"]
    assert by_file["van-hoa.xlsx"].notices == [
        "Đã ghép nội dung phối hợp của Phòng Nội vụ vào kết quả nhiệm vụ PL III – II.4."
    ]

    assert values_of(store, period) == {
        "5": (75.0, "=Đạt nhờ lớp bồi dưỡng"), "7": (40.0, None), "8": (30.5, None),
        "10": (3.0, None), "15": (12.0, None),
    }  # fmt: skip
    v35 = progress_of(store, period, "PL III – V.35")
    assert (v35.status, v35.percent, v35.result, v35.evidence_number, v35.evidence_date) == (
        TaskStatus.IN_PROGRESS,
        40.0,
        "Đã mở 2 lớp bồi dưỡng",
        "12/BC-NV",
        date(2026, 9, 5),
    )
    ii4 = progress_of(store, period, "PL III – II.4")
    assert ii4.result == ("Đã in 500 cuốn cẩm nang\n"
                          "Phòng Nội vụ (phối hợp): Cử 2 cán bộ tham gia tập huấn")  # fmt: skip
    assert ii4.status is TaskStatus.IN_PROGRESS

    # every value written names its source in the audit history
    sources = {(e.row_key.split("/")[1], e.field): e.source
               for e in store.history(table="indicator_value")}  # fmt: skip
    ids = {i.code: i.id for i in plan.indicators()}
    assert sources[(str(ids["5"]), "value")] == (
        "Phòng Nội vụ, tệp BC quy 3 - Noi vu (da sua).xlsx, nhận ngày 18/09/2026"
    )
    assert (
        sources[(str(ids["15"]), "value")]
        == "Phòng Tài chính - KH, tệp tai-chinh.xlsx, nhận ngày 18/09/2026"
    )
    assert sources[(str(ids["7"]), "value")] is None  # the secretary's own entry
    task_sources = [e.source for e in store.history(table="task_progress") if e.field == "result"]
    assert (
        task_sources[0] == "Phòng Nội vụ, tệp BC quy 3 - Noi vu (da sua).xlsx, nhận ngày 18/09/2026"
    )

    # collected again: nothing new; with --replace the conflict takes the form's value
    again = ops.collect_forms(store, period, [back / "van-phong.xlsx"], replace=True,
                              received_on=date(2026, 9, 19)).result  # fmt: skip
    assert again[0].written == ["Chỉ tiêu 7: giá trị 45%"]
    assert again[0].conflicts[0].replaced
    assert values_of(store, period)["7"] == (45.0, None)
    assert [(r["file_name"], r["received_on"], r["written"], r["problems"])
            for r in store.agencies.returns(period.id)[store.agencies.find("Văn phòng HĐND&UBND").id]] \
        == [("van-phong.xlsx", "2026-09-18", 1, 0), ("van-phong.xlsx", "2026-09-19", 1, 0)]  # fmt: skip


def test_a_file_that_is_no_form_is_refused_with_a_reason(store, tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Báo cáo tự làm"
    wb.save(tmp_path / "tu-lam.xlsx")
    (tmp_path / "anh.xlsx").write_bytes(b"%PDF-1.7 not a workbook")
    results = ops.collect_forms(store, q3(store), [tmp_path], received_on=RECEIVED).result
    assert [(r.file_name, r.refused) for r in results] == [
        ("anh.xlsx", "Tệp 'anh.xlsx' là tệp PDF, không phải bảng tính Excel. Hãy dùng tệp Excel "
                     "(.xlsx) của phụ lục."),
        ("tu-lam.xlsx", "Tệp 'tu-lam.xlsx' không phải biểu mẫu báo cáo do ứng dụng lập (không có "
                        "trang nhận dạng “_form”). Hãy dùng biểu mẫu đã gửi cho đơn vị."),
    ]  # fmt: skip


def test_a_hostile_returned_file_is_refused_before_any_parser(store, tmp_path):
    import zipfile

    ops.write_forms(store, q3(store), tmp_path / "forms", "Phòng Nội vụ")
    good = tmp_path / "forms" / "bieu-mau-2026-Q3-phong-noi-vu.xlsx"
    bomb = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode()
                       for i in range(1, 10)).replace(b"&lol0;", b"&lol;")
            + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>&lol9;</t></si></sst>")  # fmt: skip
    bad = tmp_path / "back" / "noi-vu.xlsx"
    bad.parent.mkdir()
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
        out.writestr("xl/sharedStrings.xml", bomb)
    result = ops.collect_forms(store, q3(store), [bad], received_on=RECEIVED).result[0]
    assert result.refused is not None and "khai báo XML" in result.refused
    assert store.agencies.returns("2026-Q3") == {}


def test_links_follow_the_plan_as_it_is_now(store, tmp_path):
    from app.models.plan import Task

    plan = store.plan.load()
    group = plan.task_groups[0]
    store.plan.add_task(group.id, Task("99", "Nhiệm vụ mới thêm", lead_agency="Phòng Nội vụ"))
    written = ops.write_forms(store, q3(store), tmp_path, "Phòng Nội vụ").result
    assert written[0].tasks == 7  # the 6 of the plan and the one added since the list was made
    ws = openpyxl.load_workbook(written[0].path)["Nhiệm vụ"]
    assert ws["A5"].value == "PL II – 99"  # added to the first group: Phụ lục II's body
