"""Long work in the core: one progress callback type and one way to cancel.

A long operation (export, ingest, backup, import) takes `progress(done, total,
label)` and a `cancel` event (a `threading.Event` the window or the terminal
sets). It calls `checkpoint(cancel, …)` between steps, which raises `Cancelled`
once the event is set; whatever the operation had already made final (the
batches of an ingest) is carried in `Cancelled.partial`. Nothing else cancels.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from .errors import UserError

Progress = Callable[[int, int, str], None]
Cancel = threading.Event


def no_progress(done: int, total: int, label: str) -> None:
    """The progress callback of a caller that shows none."""


class Cancelled(UserError):
    """The user cancelled; `partial` is what was kept (None: nothing was written)."""

    def __init__(self, message: str, partial: Any = None) -> None:
        super().__init__(message, "cancelled")
        self.partial = partial


def checkpoint(cancel: Cancel | None, message: str, partial: Any = None) -> None:
    """Raise `Cancelled(message)` when the user asked to stop."""
    if cancel is not None and cancel.is_set():
        raise Cancelled(message, partial)
