"""Issue 22, point 2: nothing leaves the office unasked, and export refuses what closing refuses.

The demo's 2026-Y report is empty (0/52), 2025-Q3 has 3 unexplained warnings,
2026-Q3 is complete but for 3 indicators and has none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.models.outgoing import Outgoing
from app.models.period_states import PeriodNotReady, PeriodState
from app.operations import package as package_ops

from .conftest import read_store


def make_key(window, dialogs) -> None:  # noqa: ANN001
    dialogs.answers["new_passphrase"] = "mat-khau-ky-57"
    window.show_page("settings").keys.generate()
    dialogs.answers["passphrase"] = "mat-khau-ky-57"


def select(page, period_id: str) -> None:  # noqa: ANN001
    page.period_combo.setCurrentIndex(page.period_combo.findData(period_id))


def state_of(demo_db: Path, period_id: str) -> PeriodState:
    with read_store(demo_db) as store:
        return store.closing.period_status(period_id).state


def test_export_of_an_empty_period_shows_the_summary_and_no_sends_nothing(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    make_key(window, dialogs)
    page = window.show_page("packages")
    select(page, "2026-Y")
    assert "Kỳ Năm 2026: <b>Đang nhập</b> — Đã cập nhật 0/52 chỉ tiêu, 0/104 nhiệm vụ." in (
        page.period_state.text()
    )
    out = tmp_path / "goi"
    out.mkdir()
    dialogs.answers["confirm"] = False
    assert page.export_current(out) is None
    question = dialogs.texts("confirm")[-1]
    assert question.startswith("Ký và xuất gói báo cáo kỳ Năm 2026?")
    assert "Kỳ này chưa nhập số liệu nào." in question
    assert "Mục báo cáo còn trống" not in question  # the demo wrote every section
    assert "kỳ được ghi là đã gửi và khóa" in question
    assert f"Nơi lưu gói: {out}" in question
    assert list(out.iterdir()) == []
    assert state_of(demo_db, "2026-Y") is PeriodState.OPEN
    assert page.status.text() == "Chưa xuất: không có tệp nào được ghi."

    dialogs.answers["confirm"] = True  # "Có": signed, sent and locked
    job = page.export_current(out)
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    assert job.error is None, job.error
    assert state_of(demo_db, "2026-Y") is PeriodState.SENT
    assert "<b>Đã gửi</b>" in page.period_state.text()


def test_export_refuses_unexplained_warnings_like_closing(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    make_key(window, dialogs)
    page = window.show_page("packages")
    select(page, "2025-Q3")
    assert "Chưa xuất được: 0 lỗi, 3 cảnh báo chưa giải trình." in page.period_state.text()
    dialogs.answers["passphrase"] = None  # never asked
    assert page.export_current(tmp_path) is None
    refused = dialogs.texts("error")[-1]
    assert refused.startswith("Chưa ký và xuất gói báo cáo kỳ Quý III/2025 được.")
    assert "Cảnh báo chưa giải trình (3)" in refused
    assert not [kind for kind, _ in dialogs.calls if kind in ("passphrase", "confirm")][1:]
    assert state_of(demo_db, "2025-Q3") is PeriodState.OPEN
    with read_store(demo_db) as store:
        assert store.packages.exported_packages("2025-Q3") == []


def test_the_export_operation_itself_applies_the_closing_gate(demo_db, tmp_path) -> None:  # noqa: ANN001
    with read_store(demo_db) as store:
        period = store.period("2025-Q3")
    out = tmp_path / "goi"
    out.mkdir()
    with pytest.raises(PeriodNotReady) as refused:
        package_ops.export_package(
            demo_db, period, out, key_path=tmp_path / "khong-co.key", passphrase="x"
        )  # refused before any key is read
    assert len(refused.value.check.blocking) == 3
    assert "Cảnh báo chưa giải trình (3)" in refused.value.message
    assert list(out.iterdir()) == []


def test_closing_shows_the_summary_and_goes_ahead_only_on_yes(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    entry = window.show_page("periods").open_period("2026-Q3")
    dialogs.answers["confirm"] = False
    qtbot.mouseClick(entry.checks.close_button, Qt.MouseButton.LeftButton)
    assert state_of(demo_db, "2026-Q3") is PeriodState.OPEN
    question = dialogs.texts("confirm")[-1]
    assert question.startswith("Chốt số liệu kỳ Quý III/2026?")
    assert (
        "Số liệu: Đã cập nhật 49/52 chỉ tiêu, 104/104 nhiệm vụ. Còn 3 chỉ tiêu chưa có" in question
    )
    assert "Sau khi chốt, số liệu của kỳ chỉ còn xem" in question

    dialogs.answers["confirm"] = True
    qtbot.mouseClick(entry.checks.close_button, Qt.MouseButton.LeftButton)
    assert state_of(demo_db, "2026-Q3") is PeriodState.CLOSED


def test_summary_is_one_core_read_for_both(demo_db) -> None:  # noqa: ANN001
    from app.operations import period as period_ops

    with read_store(demo_db) as store:
        period = store.period("2025-Q3")
        close = period_ops.outgoing(store, period, Outgoing.CLOSE)
        export = period_ops.outgoing(store, period, Outgoing.EXPORT)
    assert close.blocked and export.blocked
    assert close.unexplained == export.unexplained and len(close.unexplained) == 3
