"""The log book: unexpected errors written to a file in the user data folder.

The windowed build has no console, so a bug's traceback would otherwise vanish.
`log_unexpected` appends it to `<user data>/logs/theodoi57.log` (rotated at
about 1 MB, five old files kept, UTF-8), with the app version, Python and
operating system and a short context naming the action ("lệnh status",
"giao diện"…). The file is opened only when the first error is written, so a
normal run leaves nothing behind.

What is written is the exception's type, message and traceback (file names,
line numbers, source lines), never argument or local variable values, and
callers pass a context that names the action, never the data it worked on:
a passphrase or a key never reaches the log. Exceptions raised by our own code
never carry a secret in their message.

Writing the log never raises: a full disk or a read-only folder makes
`log_unexpected` return None and the caller says less (no log path).

No Qt here: the command line and the core use it too.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from . import __version__
from .paths import user_data_dir

LOG_NAME = "theodoi57.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
_FORMAT = "%(asctime)s %(levelname)s %(message)s"

_logger = logging.getLogger("theodoi57")
_logger.propagate = False  # ours alone: never into a root logger a library configures
_logger.setLevel(logging.INFO)
_lock = threading.RLock()
_platform: str | None = None
_current: Any = None  # the file handler (opens the file only to write), made on the first write


def log_path() -> Path:
    """The current log file (THEODOI57_HOME moves it with the data folder)."""
    return user_data_dir() / "logs" / LOG_NAME


def _open_handler(path: Path) -> Any:
    """A rotating file handler that remembers a failed write.

    (logging's own prints "--- Logging error ---" on stderr and carries on.)
    logging.handlers is imported only here: it costs the window's start-up
    several milliseconds, and most runs never log anything.
    """
    import logging.handlers

    class LogFile(logging.handlers.RotatingFileHandler):
        failed = False

        def handleError(self, record: logging.LogRecord) -> None:
            self.failed = True

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = LogFile(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    return handler


def _handler() -> Any:  # a RotatingFileHandler (logging.handlers is imported on first use)
    """The handler for `log_path()`, made once (again when THEODOI57_HOME changed)."""
    global _current
    path = os.path.abspath(log_path())
    if _current is not None:
        if _current.baseFilename == path:
            return _current
        _logger.removeHandler(_current)
        _current.close()
        _current = None
    try:
        _current = _open_handler(Path(path))
    except (OSError, ValueError):
        return None
    _logger.addHandler(_current)
    return _current


def setup() -> Path | None:
    """Prepare the log file's folder and handler; idempotent. None when it cannot be made."""
    with _lock:
        return log_path() if _handler() is not None else None


def platform_text() -> str:
    """Version, Python and OS in one line.

    Not `platform.platform()`: on Windows it runs `cmd /c ver`, which flashes a
    console window from the windowed build.
    """
    global _platform
    if _platform is None:
        if sys.platform == "win32":
            winver = sys.getwindowsversion()
            major, minor, build = getattr(winver, "platform_version", None) or winver[:3]
            system = (
                f"Windows {major}.{minor}.{build} {os.environ.get('PROCESSOR_ARCHITECTURE', '')}"
            )
        else:
            uname = os.uname()
            system = f"{uname.sysname} {uname.release} {uname.machine}"
        python = ".".join(str(n) for n in sys.version_info[:3])
        build_kind = "bản đóng gói" if getattr(sys, "frozen", False) else "mã nguồn"
        _platform = f"Theo dõi NQ57 {__version__} ({build_kind}); Python {python}; {system.strip()}"
    return _platform


def _write(level: int, message: str, exc: BaseException | None = None) -> Path | None:
    try:
        with _lock:
            handler = _handler()
            if handler is None:
                return None
            handler.failed = False
            exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
            _logger.log(level, message, exc_info=exc_info)
            if handler.stream is not None:  # closed between errors: another instance may rotate
                handler.stream.close()
                handler.stream = None
            return None if handler.failed else Path(handler.baseFilename)
    except Exception:  # the log must never become the error
        return None


def log_unexpected(exc: BaseException, context: str) -> Path | None:
    """Append `exc`'s full traceback with version, platform and `context`.

    Returns the log file, or None when it could not be written (never raises).
    """
    try:
        header = f"Lỗi không mong đợi ({type(exc).__name__}) — {context}\n{platform_text()}"
    except Exception:
        header = f"Lỗi không mong đợi — {context}"
    return _write(logging.ERROR, header, exc)


def log_message(message: str) -> Path | None:
    """One line without a traceback (e.g. "the same error again"); None when not written."""
    return _write(logging.WARNING, message)


def install_fallback_hook() -> None:
    """Log whatever escapes `main()` (before the window's own hook, or without Qt).

    The previous `sys.excepthook` still runs afterwards. Idempotent.
    """
    previous = sys.excepthook
    if getattr(previous, "theodoi57_fallback", False):
        return

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if not issubclass(exc_type, KeyboardInterrupt):
            log_unexpected(exc if exc.__traceback__ else exc.with_traceback(tb), "lỗi chưa xử lý")
        previous(exc_type, exc, tb)

    hook.theodoi57_fallback = True  # type: ignore[attr-defined]
    sys.excepthook = hook
