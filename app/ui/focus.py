"""Keyboard focus goes back where it was after a dialog or a progress dialog closes.

When a modal dialog closes, Qt leaves the choice of the next active window to the
platform. On a slow office PC (and on the offscreen platform the tests use) the main
window is often not re-activated at once, so no widget has keyboard focus and the
next key the secretary types on the grid opens no editor until she clicks. Every
dialog of the window is therefore shown through `exec_dialog`, and every progress
dialog remembers the focus with `remember_focus` and gives it back when it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QDialog, QWidget


def _usable(widget: QWidget | None) -> bool:
    return widget is not None and shiboken6.isValid(widget) and widget.isVisible()


def restore_focus(widget: QWidget | None, window: QWidget | None = None) -> None:
    """Activate the window of `widget` and give the widget keyboard focus again.

    When the widget is gone or hidden (a page was switched while the dialog was
    open), the window's own last focused widget takes the focus instead.
    """
    fallback = window.focusWidget() if _usable(window) else None  # type: ignore[union-attr]
    target = next((w for w in (widget, fallback, window) if _usable(w)), None)
    if target is None:
        return
    top = target.window()
    if QApplication.activeWindow() is not top:
        top.activateWindow()  # the platform confirms it with its next event
    target.setFocus(Qt.FocusReason.ActiveWindowFocusReason)  # kept by the window meanwhile


def remember_focus(parent: QWidget | None = None) -> Callable[[], None]:
    """The focus now, as a function that gives it back (call it after the dialog closed)."""
    widget = QApplication.focusWidget()
    if parent is not None and shiboken6.isValid(parent):
        window: QWidget | None = parent.window()
    else:
        window = widget.window() if widget is not None else None

    def give_back() -> None:
        restore_focus(widget, window)

    return give_back


def exec_dialog(dialog: QDialog) -> int:
    """`dialog.exec()`, then focus back to where it was before the dialog opened."""
    give_back = remember_focus(dialog.parentWidget())
    try:
        return dialog.exec()
    finally:
        give_back()


@contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while the GUI thread works (opening a period's grid): Qt shows it
    only once the event loop runs, so quick work never flickers it."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class WheelNeedsFocus(QObject):
    """On a scrolling page, the mouse wheel over a combo or spin box scrolls the page; it
    changes the box's value only once the box has the focus (a click), never in passing."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget):
            if not watched.hasFocus():
                event.ignore()  # goes on to the scroll area
                return True
        return super().eventFilter(watched, event)


def wheel_needs_focus(page: QWidget) -> None:
    """Apply WheelNeedsFocus to every combo and spin box of `page`."""
    guard = WheelNeedsFocus(page)
    for box in [*page.findChildren(QComboBox), *page.findChildren(QAbstractSpinBox)]:
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        box.installEventFilter(guard)
