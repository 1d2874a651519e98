"""The data-file lock in the window: the "open read-only or cancel" question, the
heartbeat while the file is open, and a read-only window that offers no editing.

The core (`app.models.file_lock`) refuses every write of a read-only store with
a Vietnamese message; this module only makes the window say so up front, so
nobody types values that cannot be saved.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from ..models.file_lock import HEARTBEAT_EVERY, STALE_AFTER, FileLock, LockHeld, LockInfo
from . import messages
from .focus import exec_dialog

READ_ONLY_TITLE = "chỉ xem"
# Buttons whose action writes the data file; their pages are built lazily, so they are
# found by their (Vietnamese) label when each page first appears.
WRITE_VERBS = ("Lưu", "Thêm", "Xóa", "Sửa", "Khôi phục", "Nhập", "Đính kèm", "Gỡ", "Chốt", "Mở lại")


def lock_question(path: Path, holder: LockInfo | None) -> str:
    """The Vietnamese explanation shown when `path` is already open elsewhere."""
    if holder is None:
        who = "một cửa sổ hoặc một máy khác"
    elif holder.on_this_host():
        who = f"một cửa sổ khác trên máy này ({holder.describe()})"
    else:
        who = holder.describe()
    minutes = int(STALE_AFTER.total_seconds() // 60)
    return (
        f"Tệp dữ liệu “{path.name}” đang được mở bởi {who}.\n\n"
        "Nếu hai nơi cùng sửa một tệp, thay đổi của nơi này có thể ghi đè lên nơi kia.\n\n"
        "• Mở chỉ để xem: xem và xuất báo cáo, không sửa được số liệu.\n"
        "• Hủy: không mở tệp.\n\n"
        f"Nếu ứng dụng ở nơi kia đã bị tắt đột ngột, khóa sẽ tự được gỡ sau {minutes} phút "
        "(trên cùng máy: ngay khi mở lại)."
    )


def ask_open_read_only(parent: QWidget | None, path: Path, holder: LockInfo | None) -> bool:
    """True when the user chooses to open the locked file read-only, False to cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Tệp dữ liệu đang được dùng", "", parent=parent)
    box.setText(lock_question(path, holder))
    read_only = box.addButton("Mở chỉ để xem", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    exec_dialog(box)
    return box.clickedButton() is read_only


class LockKeeper(QObject):
    """Holds this window's lock: refreshes its heartbeat, follows the file, releases on exit."""

    lockLost = Signal()  # another session took the file over; emitted once

    def __init__(self, lock: FileLock | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = lock
        self.timer = QTimer(self)
        self.timer.setInterval(int(HEARTBEAT_EVERY.total_seconds() * 1000))
        self.timer.timeout.connect(self.beat)
        if lock is not None:
            self.timer.start()

    def beat(self) -> bool:
        """Refresh the heartbeat; on losing the lock stop beating and say so once."""
        if self.lock is None or self.lock.refresh():
            return True
        self.timer.stop()
        self.lockLost.emit()
        return False

    def follow(self, path: Path) -> LockHeld | None:
        """The window switched to `path` (open another file): move the lock there.

        The old lock is kept when `path` is held elsewhere, so the caller can go back.
        """
        if self.lock is not None and self.lock.data_file == path:
            return None
        try:
            fresh = FileLock.acquire(path)
        except LockHeld as exc:
            return exc
        self.release()
        self.lock = fresh
        self.timer.start()
        return None

    def release(self) -> None:
        self.timer.stop()
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def make_read_only(window: QMainWindow) -> None:
    """Show `window` as a viewer: title and status bar say so, editing controls are off."""
    if not window.windowTitle().endswith(READ_ONLY_TITLE):
        window.setWindowTitle(f"{window.windowTitle()} — {READ_ONLY_TITLE}")
    label = QLabel("CHỈ XEM: tệp đang được dùng ở nơi khác, không sửa được")
    label.setObjectName("problem")
    window.statusBar().insertPermanentWidget(0, label)
    for action in window.findChildren(QAction):
        if action.text().startswith(("Khôi phục", "Hoàn tác")):
            action.setEnabled(False)  # undo is a write too; the store would refuse it
    stack = getattr(window, "stack", None)
    if stack is not None:
        stack.currentChanged.connect(lambda _row: disable_editing(stack.currentWidget()))
        disable_editing(stack.currentWidget())


def disable_editing(widget: QWidget | None) -> None:
    """Grids stop editing, text boxes become read-only and write buttons are disabled.

    Search boxes and other plain line edits stay usable: they change nothing.
    """
    if widget is None:
        return
    for view in widget.findChildren(QAbstractItemView):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    for edit in widget.findChildren(QPlainTextEdit) + widget.findChildren(QTextEdit):
        edit.setReadOnly(True)
    for button in widget.findChildren(QPushButton):
        if button.text().lstrip("&").startswith(WRITE_VERBS):
            button.setEnabled(False)
            button.setToolTip("Tệp đang mở chỉ để xem.")
    for line in widget.findChildren(QLineEdit):
        if line.parent() is not None and isinstance(line.parent(), QAbstractItemView):
            line.setReadOnly(True)  # an editor already open in a grid


def warn_lock_lost(parent: QWidget | None) -> None:
    messages.show_error(
        parent,
        "Một cửa sổ hoặc máy khác vừa mở tệp dữ liệu này để sửa (khóa của cửa sổ này đã "
        "bị coi là hết hạn, ví dụ sau khi máy ngủ lâu). Hãy đóng một trong hai nơi để "
        "tránh ghi đè số liệu của nhau.",
        "Tệp dữ liệu đang được dùng ở nơi khác",
    )
