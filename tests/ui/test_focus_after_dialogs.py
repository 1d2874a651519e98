"""After a dialog or a progress dialog closes, the next key typed lands on the grid.

The progress dialog is forced to show (`PROGRESS_DELAY_MS = 0`), as on a slow office
PC, and the message boxes here are the real ones, answered from inside their own
modal loop. Each test then types straight at whatever has the keyboard focus, as the
secretary does, and checks the value reached the data file.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from app.models.period_states import PeriodState
from app.ui import messages, workers
from app.ui.period_models import IndicatorEntryModel as IM

from .conftest import read_store
from .test_period_entry import indicator_row

PERIOD = "2026-Y"


@pytest.fixture
def slow_pc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PROGRESS_DELAY_MS", 0)


def answer_next_dialog(act) -> None:  # noqa: ANN001
    """Act on the next modal dialog from inside its own event loop (no timing involved)."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None, "no modal dialog is open"
        act(dialog)

    QTimer.singleShot(0, run)


def focus_returns_to(qtbot, widget) -> None:  # noqa: ANN001
    """The window is activated again (the platform confirms it by an event) with `widget`
    holding the keyboard focus: the key the secretary types next goes there."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=10000)


def type_at_focus(qtbot, text: str) -> None:  # noqa: ANN001
    """Keys go to whatever has the keyboard focus now, like a real keyboard."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the keyboard focus"
    qtbot.keyClick(target, text[0])
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def entry_on_value_cell(window, code: str = "1"):  # noqa: ANN001, ANN201
    entry = window.show_page("periods").open_period(PERIOD)
    grid = entry.indicator_grid
    row = indicator_row(entry, code)
    grid.setCurrentIndex(entry.indicators.index(row, IM.VALUE))
    grid.setFocus()
    return entry, row


def stored_value(demo_db, entry, row: int):  # noqa: ANN001, ANN201
    with read_store(demo_db) as store:
        return store.entries.indicator_values(PERIOD).get(entry.indicators.rows[row].item.id)


def test_typing_after_a_report_export_with_its_progress_dialog(
    qtbot, window, demo_db, tmp_path, slow_pc, dialogs, monkeypatch
):  # noqa: ANN001
    monkeypatch.setattr(messages, "show_info", dialogs.real["show_info"])
    entry, row = entry_on_value_cell(window)
    job = entry.save_report("pdf", tmp_path / "bao-cao.pdf")
    assert job.dialog.isVisible()  # the slow-PC case: the progress dialog is up
    closed = []
    job.finished.connect(lambda: answer_next_dialog(lambda box: closed.append(box.accept())))
    qtbot.waitUntil(lambda: not job.running and bool(closed), timeout=60000)
    assert job.error is None, job.error
    assert (tmp_path / "bao-cao.pdf").stat().st_size > 10_000

    focus_returns_to(qtbot, entry.indicator_grid)
    type_at_focus(qtbot, "72")
    assert stored_value(demo_db, entry, row).value == 72.0


def test_typing_after_a_package_export_and_back_to_the_grid(
    qtbot, window, demo_db, tmp_path, slow_pc, dialogs
):  # noqa: ANN001
    dialogs.answers["new_passphrase"] = dialogs.answers["passphrase"] = "mat-khau-ky-57"
    window.show_page("settings").keys.generate()
    dialogs.answers["folder"] = tmp_path
    entry, row = entry_on_value_cell(window, "2")
    window.export_current()  # Ctrl+E from the grid: the export page, then the package
    job = window.show_page("packages").job
    assert job is not None and job.dialog.isVisible()
    qtbot.waitUntil(lambda: not job.running, timeout=60000)
    assert job.error is None, job.error

    window.show_page("periods")  # back to Kỳ báo cáo: the grid has the focus again
    focus_returns_to(qtbot, entry.indicator_grid)
    assert QApplication.activeWindow() is window


def test_typing_after_declining_to_close(qtbot, window, demo_db, dialogs, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(messages, "confirm", dialogs.real["confirm"])
    entry, row = entry_on_value_cell(window)
    seen = []

    def decline(box: QMessageBox) -> None:
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()

    answer_next_dialog(decline)
    qtbot.mouseClick(entry.checks.close_button, Qt.MouseButton.LeftButton)
    assert seen and seen[0].startswith("Chốt số liệu kỳ Năm 2026?")
    assert "Đã cập nhật 0/52 chỉ tiêu" in seen[0]
    with read_store(demo_db) as store:
        assert store.closing.period_status(PERIOD).state is PeriodState.OPEN

    focus_returns_to(qtbot, entry.indicator_grid)
    type_at_focus(qtbot, "47")
    assert stored_value(demo_db, entry, row).value == 47.0


def test_typing_after_reopening_with_a_typed_reason(qtbot, window, demo_db, dialogs, monkeypatch):  # noqa: ANN001
    entry, row = entry_on_value_cell(window, "3")
    assert entry.checks.close_period() is True and entry.locked
    monkeypatch.setattr(messages, "ask_text", dialogs.real["ask_text"])

    def give_reason(dialog: QInputDialog) -> None:
        dialog.setTextValue("Bổ sung số liệu của Phòng Văn hóa")
        dialog.accept()

    answer_next_dialog(give_reason)
    qtbot.mouseClick(entry.checks.reopen_button, Qt.MouseButton.LeftButton)
    assert not entry.locked

    focus_returns_to(qtbot, entry.indicator_grid)
    type_at_focus(qtbot, "5")
    assert stored_value(demo_db, entry, row).value == 5.0
