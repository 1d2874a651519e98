"""Cơ quan, đơn vị: the list built, forms written in a job, collected with a preview and a
choice per conflict, a reminder copied."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from .conftest import read_store


def _value(path, code, value):
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu"]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == code)
    ws.cell(row, 7).value = value
    wb.save(path)


def test_agencies_page_round_trip(qtbot, window, demo_db, tmp_path, dialogs):  # noqa: ANN001
    page = window.show_page("agencies")
    assert page.model.rowCount() == 0
    dialogs.answers["confirm"] = True  # merge the near-duplicates
    page.build_list()
    assert page.model.rowCount() == 21  # with Phụ lục II's bodies of the Thị ủy
    assert page.period_combo.currentData() == "2026-Y"  # the period due on 23/11/2026
    assert page.model.index(0, 0).data() == "Phòng Văn hóa, KH&TT"
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026-Q3"))  # has demo values

    job = page.make_forms(tmp_path / "usb")
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    assert job.error is None, job.error
    assert page.status.text() == f"Đã lập 21 biểu mẫu trong {tmp_path / 'usb'}."
    form = tmp_path / "usb" / "bieu-mau-2026-Q3-phong-noi-vu.xlsx"
    with read_store(demo_db) as store:
        ind = next(i for i in store.plan.load().indicators() if i.code == "5")
        before = store.entries.indicator_values("2026-Q3")[ind.id].value
    _value(form, "5", before + 1)  # differs from the demo's value: a conflict
    _value(form, "6", 55)

    shown = []

    def take_it(dialog):  # noqa: ANN001, ANN202
        shown.append(dialog)
        dialog.conflicts.item(0).setCheckState(Qt.CheckState.Checked)
        return True

    page.ask_preview = take_it
    job = page.collect([form])
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    qtbot.waitUntil(lambda: page.job is not job and not page.job.running, timeout=30000)
    assert shown and shown[0].conflicts.count() == 2  # 5 and 6 both had demo values
    assert page.last_results[0].conflicts[0].replaced
    assert not page.last_results[0].conflicts[1].replaced
    with read_store(demo_db) as store:
        assert store.entries.indicator_values("2026-Q3")[ind.id].value == before + 1
        entry = store.history(table="indicator_value", row_key=f"2026-Q3/{ind.id}")[0]
        assert entry.source.startswith(
            "Phòng Nội vụ, tệp bieu-mau-2026-Q3-phong-noi-vu.xlsx, nhận ngày 23/11/2026"
        )
    row = [s.agency.short_name for s in page.model.items()].index("Phòng Nội vụ")
    assert page.model.index(row, 6).data() == "23/11/2026"

    page.table.selectRow(row)
    assert page.copy_reminder() is None  # the demo has every value of 2026-Q3: nothing owed
    assert dialogs.texts("info")[-1] == "Phòng Nội vụ không còn thiếu mục nào."
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026-Y"))  # nothing entered
    page.table.selectRow(row)
    text = page.copy_reminder()
    assert QGuiApplication.clipboard().text() == text
    assert text.startswith("Kính gửi Phòng Nội vụ: Thị ủy Bỉm Sơn đề nghị đơn vị báo cáo kết quả "
                           "thực hiện Nghị quyết số 57-NQ/TW kỳ Năm 2026. Còn thiếu 3 chỉ tiêu "
                           "(5, 6, 10) và 6 nhiệm vụ")  # fmt: skip


def test_contacts_and_the_agency_due_date_from_the_page(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    page = window.show_page("agencies")
    page.build_list()
    page.table.selectRow(2)
    assert page.edit_selected({"contact": "Lê Thị Hoa", "phone": "0912 345 678", "kind": "package"})
    assert [page.model.index(2, c).data() for c in range(4)] == [
        "Phòng Nội vụ",
        "Gửi gói báo cáo có ký số",
        "Lê Thị Hoa",
        "0912 345 678",
    ]
    assert not page.edit_selected({"email": "sai"})
    assert dialogs.texts("error")[-1] == "Thư điện tử 'sai' của Phòng Nội vụ không hợp lệ."
    assert page.set_due("20/11/2026")
    assert page.due.text() == ("Hạn của cơ quan, đơn vị: chậm nhất ngày 20/11/2026; hạn báo cáo "
                               "của đơn vị: trước ngày 25/11/2026.")  # fmt: skip
    assert not page.set_due("31/11/2026")
    with read_store(demo_db) as store:
        assert store.agencies.find("Phòng Nội vụ").contact == "Lê Thị Hoa"
        assert str(store.agencies.period_due("2026-Y")) == "2026-11-20"
