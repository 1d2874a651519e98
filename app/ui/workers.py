"""Long work off the GUI thread: a core operation, its progress dialog, cancel, its Change.

A job wraps one core operation, `fn(progress, cancel) -> Outcome`, given only
plain data (paths, periods): the operation opens its own Store, so no SQLite
connection crosses threads. `progress(done, total, label)` and the `cancel`
event are the core's own (models.long_work). When the operation returns, the
job broadcasts its Change through the session and hands its result to the page;
results and errors come back to the GUI thread only through queued signals.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from .. import logbook
from ..models.change import Outcome
from ..models.errors import UserError
from ..models.long_work import Cancelled, Progress
from .focus import remember_focus

if TYPE_CHECKING:
    from .session import Session

JobFunction = Callable[[Progress, threading.Event], Any]

# How long a job runs before its progress dialog appears; tests set 0 to force it.
PROGRESS_DELAY_MS = 300


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal(object)  # what the operation kept (Cancelled.partial), or None


class _Runnable(QRunnable):
    def __init__(self, fn: JobFunction, signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.cancel = cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self.cancel)
        except Cancelled as exc:
            self.signals.cancelled.emit(exc.partial)
        except UserError as exc:
            if self.cancel.is_set():
                self.signals.cancelled.emit(None)
            else:
                self.signals.failed.emit(exc.message)
        except Exception as exc:  # a bug: one Vietnamese line, never a traceback window
            log = logbook.log_unexpected(exc, "công việc chạy nền")
            self.signals.failed.emit(
                f"Lỗi không mong đợi ({type(exc).__name__}): {exc}."
                + (f" Chi tiết đã được ghi vào tệp nhật ký: {log}." if log else "")
            )
        else:
            if self.cancel.is_set():
                self.signals.cancelled.emit(None)
            else:
                self.signals.done.emit(result)


class Job(QObject):
    """A running job with its progress dialog; keep a reference until it finishes."""

    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fn: JobFunction,
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None],
        cancellable: bool = True,
        on_cancel: Callable[[Any], None] | None = None,
        session: Session | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.cancel = threading.Event()
        self.result: Any = None
        self.error: str | None = None
        self.was_cancelled = False
        self._on_done, self._on_error, self._on_cancel = on_done, on_error, on_cancel
        self._give_focus_back = remember_focus(parent)
        self.dialog = QProgressDialog(title, "Hủy" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(PROGRESS_DELAY_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.dialog.canceled.connect(self._cancel_requested)
        self.signals = _Signals()
        self.signals.progress.connect(self._progress)
        self.signals.done.connect(self._done)
        self.signals.failed.connect(self._failed)
        self.signals.cancelled.connect(self._cancelled)
        self.running = True
        if PROGRESS_DELAY_MS <= 0:
            self.dialog.show()
        QThreadPool.globalInstance().start(_Runnable(fn, self.signals, self.cancel))

    def _cancel_requested(self) -> None:
        self.cancel.set()
        self.dialog.setLabelText("Đang dừng…")

    def _progress(self, done: int, total: int, label: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)
        if label:
            self.dialog.setLabelText(label)

    def _finish(self) -> None:
        self.running = False
        self.dialog.canceled.disconnect(self._cancel_requested)
        self.dialog.close()
        self.dialog.deleteLater()
        self._give_focus_back()
        self.finished.emit()

    def _done(self, result: Any) -> None:
        if isinstance(result, Outcome):
            if self.session is not None:
                self.session.notify(result.change)
            result = result.result
        self.result = result
        self._finish()
        self._on_done(result)

    def _failed(self, message: str) -> None:
        self.error = message
        self._finish()
        self._on_error(message)

    def _cancelled(self, partial: Any) -> None:
        self.was_cancelled = True
        self.result = partial
        self._finish()
        if self._on_cancel:
            self._on_cancel(partial)


def start_job(
    parent: QWidget | None,
    title: str,
    fn: JobFunction,
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
    cancellable: bool = True,
    on_cancel: Callable[[Any], None] | None = None,
    session: Session | None = None,
) -> Job:
    """Run the operation `fn` on the thread pool with a window-modal progress dialog (the
    window stays live); its Change goes to `session`, its result to `on_done`."""
    return Job(parent, title, fn, on_done, on_error, cancellable, on_cancel, session)
