"""Kỳ báo cáo › "Thêm báo cáo đột xuất, sơ kết…": a report a công văn asks for, in the window."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from app.models.plan import PeriodKind
from app.ui.ad_hoc_dialog import AdHocReportDialog

from .conftest import TODAY, read_store


def test_dialog_checks_the_request_as_it_is_typed(qtbot):  # noqa: ANN001
    dialog = AdHocReportDialog(TODAY)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Lưu" and not save.isEnabled()
    assert dialog.problem.text() == "Chưa có tên báo cáo (ví dụ: Báo cáo sơ kết 6 tháng)."
    dialog.kind.setCurrentIndex(1)
    assert dialog.title_edit.itemText(0) == "Báo cáo sơ kết 6 tháng"
    dialog.title_edit.setEditText("Báo cáo sơ kết 1 năm thực hiện Nghị quyết 57")
    dialog.start.setDate(QDate(2025, 12, 1))
    dialog.end.setDate(QDate(2026, 11, 30))
    dialog.due.setDate(QDate(2026, 11, 30))  # "trước ngày 30/11": the last day is 29/11
    assert not save.isEnabled()
    assert dialog.problem.text() == (
        "Số liệu chốt đến ngày 30/11/2026, sau hạn nộp (trước ngày 30/11/2026)."
    )
    dialog.end.setDate(QDate(2026, 11, 20))
    assert save.isEnabled() and dialog.problem.text() == ""
    assert dialog.summary.text() == (
        "Số liệu tính từ ngày 01/12/2025 đến ngày 20/11/2026; hạn nộp: trước ngày 30/11/2026."
    )
    dialog.wording.setCurrentIndex(1)
    assert dialog.summary.text().endswith("hạn nộp: chậm nhất ngày 30/11/2026.")
    report = dialog.report()
    assert (report.kind, report.title, report.start, report.end, report.deadline, report.strict) == (
        PeriodKind.REVIEW, "Báo cáo sơ kết 1 năm thực hiện Nghị quyết 57",
        date(2025, 12, 1), date(2026, 11, 20), date(2026, 11, 30), False,
    )  # fmt: skip


def test_added_report_is_listed_and_opens_for_entry(qtbot, window, demo_db, monkeypatch):  # noqa: ANN001
    def fill(dialog: AdHocReportDialog) -> bool:
        dialog.title_edit.setEditText("Báo cáo kết quả chuyển đổi số theo Công văn 123/UBND")
        dialog.start.setDate(QDate(2026, 1, 1))
        dialog.end.setDate(QDate(2026, 11, 20))
        dialog.due.setDate(QDate(2026, 11, 28))
        return True

    monkeypatch.setattr(AdHocReportDialog, "exec", fill)
    page = window.show_page("periods")
    period_id = page.add_report()
    assert period_id == "2026-A01"
    (row,) = page.table.selectionModel().selectedRows()
    model = page.model
    assert [model.index(row.row(), c).data() for c in range(4)] == [
        "Báo cáo kết quả chuyển đổi số theo Công văn 123/UBND", "2026-A01",
        "01/01/2026 – 20/11/2026",
        "27/11/2026 (còn 4 ngày)",
    ]  # fmt: skip
    entry = page.open_period(period_id)
    assert entry.period_id == "2026-A01"
    with read_store(demo_db) as store:
        (report,) = store.regime.regime_info().ad_hoc
    assert (report.id, report.kind, report.deadline) == (
        "2026-A01",
        PeriodKind.AD_HOC,
        date(2026, 11, 28),
    )


def test_a_cancelled_dialog_adds_nothing(qtbot, window, demo_db, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(AdHocReportDialog, "exec", lambda self: False)
    page = window.show_page("periods")
    assert page.add_report() is None
    with read_store(demo_db) as store:
        assert store.regime.regime_info().ad_hoc == []
