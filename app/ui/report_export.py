"""Saving one period's report as PDF or xlsx, rendered off the GUI thread."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..models.periods import Period
from ..operations.report import WrittenReport, write_report
from ..settings import Settings
from . import messages
from .workers import Job, Progress, start_job

FILTERS = {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Bảng tính Excel (*.xlsx)"}


def save_report(
    parent: QWidget,
    db_path: Path,
    period: Period,
    kind: str,
    today: date,
    settings: Settings | None = None,
    out: Path | None = None,
) -> Job | None:
    """Ask where to save (unless `out` is given), then render in a worker with progress."""
    if out is None:
        start = (
            Path(settings.last_export_dir) if settings and settings.last_export_dir else Path.home()
        )
        suggested = str(start / f"bao-cao-{period.id.lower()}.{kind}")
        out = messages.choose_save_file(parent, "Lưu báo cáo kỳ", suggested, FILTERS[kind])
        if out is None:
            return None
    if out.suffix.lower() != f".{kind}":
        out = out.with_name(f"{out.name}.{kind}")
    if settings is not None:
        settings.set("last_export_dir", str(out.parent))
        settings.save()

    def work(progress: Progress, cancel: threading.Event) -> object:
        return write_report(db_path, period, kind, out, today, progress=progress, cancel=cancel)

    def done(written: WrittenReport) -> None:
        messages.show_info(
            parent, f"Đã lưu báo cáo vào {written.path} ({written.size // 1024 + 1} KB)."
        )

    return start_job(
        parent,
        f"Xuất báo cáo {kind.upper()}",
        work,
        done,
        lambda message: messages.show_error(parent, message),
        cancellable=False,
    )
