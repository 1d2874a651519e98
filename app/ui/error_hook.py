"""Unexpected errors in the window: the traceback to the log book, one Vietnamese line on screen.

PySide hands an exception raised in a slot (a button's handler, a timer, a
paint event) to `sys.excepthook`; the windowed build has no console, so
without this hook it would vanish. `install_exception_hook` replaces
`sys.excepthook` and `threading.excepthook`: every unexpected error is
written to the log file (`app.logbook`), then one message box says so,
through `messages.show_error`.

The rules, so an error can never lock the user in a loop of boxes:
- the box is shown from the event loop (queued), never inside the failing
  slot or paint event, and only from the GUI thread, whatever thread failed;
- while a box is open, further errors are only logged;
- the same error (same exception type raised at the same line) again within
  `BURST_SECONDS` of its previous occurrence is only logged, with one short
  line for the first few repeats and then every hundredth, not its traceback;
- an error while showing the box is only logged;
- with no QApplication (before start-up, after shutdown) errors are only logged.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from .. import logbook
from . import messages

BURST_SECONDS = 10.0
TITLE = "Lỗi không mong đợi"


def error_text(kind: str, log: Path | None) -> str:
    """The one line a user sees for an unexpected error of class `kind`."""
    where = (
        f"Chi tiết đã được ghi vào tệp nhật ký: {log}."
        if log is not None
        else "Không ghi được tệp nhật ký."
    )
    return f"Đã xảy ra lỗi không mong đợi ({kind}). {where}"


def _signature(exc: BaseException) -> tuple[str, str, int]:
    """What makes two errors "the same": the exception class and the line that raised it."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return (type(exc).__qualname__, "", 0)
    return (type(exc).__qualname__, frames[-1].filename, frames[-1].lineno or 0)


class _Box(QObject):
    """Lives in the GUI thread; a queued signal brings every report there."""

    report = Signal(str, str)  # exception class name, log path ("" when not written)

    def __init__(self, parent_widget: QWidget | None) -> None:
        super().__init__()
        self.parent_widget = parent_widget
        self.showing = False
        self.report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _parent(self) -> QWidget | None:
        widget = self.parent_widget
        if widget is not None and shiboken6.isValid(widget):
            return widget
        return QApplication.activeWindow()

    @Slot(str, str)
    def _show(self, kind: str, log: str) -> None:
        if self.showing or QApplication.instance() is None:
            return
        self.showing = True
        try:
            messages.show_error(self._parent(), error_text(kind, Path(log) if log else None), TITLE)
        except Exception as exc:  # never a second box, never a loop: the log only
            logbook.log_unexpected(exc, "khi hiển thị thông báo lỗi")
        finally:
            self.showing = False


class ExceptionHook:
    """The installed `sys.excepthook`; `uninstall()` puts the previous hooks back."""

    def __init__(self, parent_widget: QWidget | None, show: bool = True) -> None:
        self.box = _Box(parent_widget)
        self.show = show  # False in unattended runs (--screenshot): a box nobody closes would hang
        self.previous = sys.excepthook
        self.previous_thread = threading.excepthook
        self._lock = threading.Lock()
        self._recent: dict[tuple[str, str, int], tuple[float, int]] = {}

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in a console: not a bug
            self.previous(exc_type, exc, tb)
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        self.handle(exc, "giao diện")

    def thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.handle(args.exc_value, f"luồng {name}")

    def handle(self, exc: BaseException, context: str) -> None:
        """Log `exc`, then (unless it is a repeat) ask the GUI thread to show one box."""
        try:
            self._echo(exc)
            repeat = self._count(exc)
            if repeat > 1:
                if repeat <= 5 or repeat % 100 == 0:
                    logbook.log_message(
                        f"Lỗi {type(exc).__name__} lặp lại lần thứ {repeat} — {context}"
                    )
                return
            log = logbook.log_unexpected(exc, context)
            if (
                not self.show
                or QCoreApplication.instance() is None
                or not shiboken6.isValid(self.box)
            ):
                return
            self.box.report.emit(type(exc).__name__, str(log) if log is not None else "")
        except Exception as failure:  # the hook itself must never raise
            logbook.log_unexpected(failure, "trong bộ xử lý lỗi")

    def _count(self, exc: BaseException) -> int:
        """1 for a new error, n for the n-th occurrence of one seen under BURST_SECONDS ago."""
        key = _signature(exc)
        now = time.monotonic()
        with self._lock:
            last, count = self._recent.get(key, (float("-inf"), 0))
            count = count + 1 if now - last < BURST_SECONDS else 1
            self._recent[key] = (now, count)
        return count

    @staticmethod
    def _echo(exc: BaseException) -> None:
        """The traceback on stderr too, for a developer's console (the null device when frozen)."""
        if sys.stderr is None:
            return
        try:
            traceback.print_exception(exc, file=sys.stderr)
        except Exception:
            pass

    def uninstall(self) -> None:
        if sys.excepthook is self:
            sys.excepthook = self.previous
        if threading.excepthook == self.thread_hook:
            threading.excepthook = self.previous_thread


def install_exception_hook(
    app_or_window: QObject | None = None, show: bool = True
) -> ExceptionHook:
    """Route unexpected errors to the log book and one message box; returns the hook.

    Given a window, boxes are shown over it; given the QApplication (or None),
    over whichever window is active. `show=False` only logs (unattended runs).
    Call it from the GUI thread. Installing again replaces the previous hook
    of this kind.
    """
    current = sys.excepthook
    if isinstance(current, ExceptionHook):
        current.uninstall()
    widget = app_or_window if isinstance(app_or_window, QWidget) else None
    hook = ExceptionHook(widget, show)
    sys.excepthook = hook
    threading.excepthook = hook.thread_hook
    return hook
