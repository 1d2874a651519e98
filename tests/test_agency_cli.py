"""The agency round trip and the secretary's period sheet on the command line (in process)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _fill(path: Path, sheet: str, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        wb[sheet][ref] = value
    wb.save(path)


def test_build_forms_collect_status(capsys, tmp_path):
    db = str(tmp_path / "bs.sqlite")
    assert run(capsys, "init", "--db", db, "--sample", "bim-son")[0] == 0
    code, out, _ = run(capsys, "agency", "build", "--db", db)
    assert code == 1  # near-duplicates wait for the secretary's word
    assert out.splitlines()[0] == (
        "Đề nghị gộp 1: Phòng Văn hóa, Khoa học & Thông tin | Phòng Văn hóa, Khoa học và Thông "
        "tin | Phòng Văn hóa, KH&TT → “Phòng Văn hóa, Khoa học và Thông tin” (tên gọn “Phòng Văn "
        "hóa, KH&TT”)"
    )
    assert out.splitlines()[-1].startswith("Chưa lập danh sách: xác nhận các đề nghị gộp")
    code, out, err = run(capsys, "agency", "build", "--db", db, "--merge", "7")
    assert (code, err) == (1, "Lỗi: Không có đề nghị gộp số 7.\n")
    code, out, _ = run(capsys, "agency", "build", "--db", db, "--merge", "all")
    assert code == 0 and out.splitlines()[-2].startswith("Đã lập 21 cơ quan, đơn vị: Phòng Văn hóa")
    code, out, _ = run(capsys, "agency", "set", "--db", db, "Phòng Nội vụ", "--contact", "Lê Thị Hoa",
                       "--phone", "0912 345 678")  # fmt: skip
    assert out == "Đã cập nhật “Phòng Nội vụ”.\n"
    code, out, _ = run(capsys, "agency", "due", "--db", db, "--period", "2026-Q3", "--date",
                       "12/09/2026", "--today", "2026-09-01")  # fmt: skip
    assert out == ("Kỳ Quý III/2026: hạn của cơ quan, đơn vị chậm nhất ngày 12/09/2026; hạn báo "
                   "cáo của đơn vị trước ngày 20/09/2026.\n")  # fmt: skip

    forms = tmp_path / "usb"
    code, out, _ = run(capsys, "agency", "forms", "--db", db, "--period", "2026-Q3", "--out",
                       str(forms), "--agency", "phong noi vu", "--today", "2026-09-01")  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        f"- Phòng Nội vụ: {forms / 'bieu-mau-2026-Q3-phong-noi-vu.xlsx'} (3 chỉ tiêu, 6 nhiệm vụ "
        "chủ trì, 4 nhiệm vụ phối hợp)",  # with PL II – 5
        f"Đã lập 1 biểu mẫu kỳ Quý III/2026 trong {forms}.",
    ]
    form = forms / "bieu-mau-2026-Q3-phong-noi-vu.xlsx"
    _fill(form, "Chỉ tiêu", {"G5": "75%", "G6": "nhiều"})
    _fill(form, "Nhiệm vụ", {"E5": "da hoan thanh"})  # typed without accents: accepted
    code, out, _ = run(capsys, "agency", "collect", "--db", db, "--period", "2026-Q3",
                       str(forms), "--dry-run", "--today", "2026-09-14")  # fmt: skip
    assert code == 1
    assert out.splitlines() == [
        "Tệp bieu-mau-2026-Q3-phong-noi-vu.xlsx: Phòng Nội vụ",
        "  Sẽ ghi: Chỉ tiêu 5: giá trị 75%",
        "  Sẽ ghi: Nhiệm vụ PL III – V.35: tình trạng Đã hoàn thành",
        "  Lỗi: trang “Chỉ tiêu”, dòng 6, cột G (Giá trị kỳ này): Chỉ tiêu 6 (Tỷ lệ cán bộ, công "
        "chức, viên chức làm chủ kỹ năng số, ứng dụng công nghệ trong quản lý, điều hành): Không "
        "hiểu 'nhiều': giá trị phải là một số từ 0 đến 100, ví dụ 65 hoặc 65%.",
        "Chạy thử: 2 mục sẽ được ghi, 1 lỗi, 0 mục khác số liệu đã có; chưa ghi gì.",
    ]
    code, out, _ = run(capsys, "agency", "collect", "--db", db, "--period", "2026-Q3",
                       str(form), "--today", "2026-09-14")  # fmt: skip
    assert out.splitlines()[-1] == "Đã ghi 2 mục từ 1 tệp; 1 lỗi."
    listing = tmp_path / "ds.xlsx"
    code, out, _ = run(capsys, "agency", "status", "--db", db, "--period", "2026-Q3", "--today",
                       "2026-09-15", "--out", str(listing))  # fmt: skip
    lines = out.splitlines()
    assert lines[0] == (
        "Kỳ Quý III/2026 (2026-Q3): hạn của cơ quan, đơn vị chậm nhất ngày 12/09/2026; hạn báo "
        "cáo của đơn vị trước ngày 20/09/2026; tính đến ngày 15/09/2026."
    )
    assert (
        "- Phòng Nội vụ: 2/9 mục có số liệu; nhận biểu mẫu ngày 14/09/2026; trễ hạn 2 ngày" in lines
    )
    assert "[Phòng Nội vụ]" in lines and listing.exists()


def test_the_secretary_fills_a_period_in_excel(capsys, tmp_path):
    db = str(tmp_path / "bs.sqlite")
    run(capsys, "init", "--db", db, "--sample", "bim-son")
    sheet = tmp_path / "ky-3.xlsx"
    code, out, _ = run(capsys, "period", "sheet", "--db", db, "--period", "2026-Q3", "--out",
                       str(sheet))  # fmt: skip
    assert (code, out) == (0, f"Đã ghi bảng số liệu kỳ Quý III/2026: {sheet}\n")
    wb = openpyxl.load_workbook(sheet)
    assert wb["Chỉ tiêu"].max_row == 4 + 52 and wb["Nhiệm vụ"].max_row == 4 + 21 + 83
    assert wb["Hướng dẫn"]["C1"].value is None
    assert wb["Hướng dẫn"]["A3"].value == "Đơn vị báo cáo: Toàn bộ chỉ tiêu, nhiệm vụ của kỳ"
    _fill(sheet, "Chỉ tiêu", {"G5": 70, "H5": "Theo số liệu nhà mạng", "G6": 120})
    _fill(sheet, "Nhiệm vụ", {"E5": "Đã hoàn thành", "I5": "31/02/2026"})
    code, out, _ = run(capsys, "period", "values", "--db", db, "--period", "2026-Q3", "--from",
                       str(sheet))  # fmt: skip
    assert code == 1  # the same checks and all-or-nothing as the JSON path
    assert out.splitlines()[-1] == "Không ghi gì: 2 mục bị từ chối (1 mục hợp lệ)."
    assert (
        "- Nhiệm vụ PL II – 1: Ngày '31/02/2026' không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026."
        in out.splitlines()
    )
    _fill(sheet, "Chỉ tiêu", {"G6": 12})
    _fill(sheet, "Nhiệm vụ", {"I5": "05/09/2026"})
    code, out, _ = run(capsys, "period", "values", "--db", db, "--period", "2026-Q3", "--from",
                       str(sheet))  # fmt: skip
    assert (code, out) == (0, "Đã ghi 3 mục số liệu kỳ Quý III/2026.\n")
    code, out, _ = run(capsys, "progress", "--db", db, "--period", "2026-Q3", "--json")
    import json

    data = json.loads(out)
    assert [(i["code"], i["value"]) for i in data["indicators"][:2]] == [("1", 70), ("2", 12)]
    assert data["tasks"][0]["status"] == "done"
