"""Saving one period's report as PDF or xlsx, rendered off the GUI thread."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..commands.report import write_report
from ..models.store import Store
from ..reports.content import build_report
from ..settings import Settings
from . import messages
from .workers import Job, Progress, start_job

FILTERS = {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Bảng tính Excel (*.xlsx)"}


def render_report_file(
    db_path: Path, period_id: str, kind: str, out: Path, today: date
) -> tuple[Path, int]:
    """Worker side: its own Store, read, render, atomic write. Plain data in and out."""
    with Store.open(db_path) as store:
        report = build_report(store, period_id, today)
    return out, write_report(report, kind, out)


def save_report(
    parent: QWidget,
    db_path: Path,
    period_id: str,
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
        suggested = str(start / f"bao-cao-{period_id.lower()}.{kind}")
        out = messages.choose_save_file(parent, "Lưu báo cáo kỳ", suggested, FILTERS[kind])
        if out is None:
            return None
    if out.suffix.lower() != f".{kind}":
        out = out.with_name(f"{out.name}.{kind}")
    if settings is not None:
        settings.set("last_export_dir", str(out.parent))
        settings.save()

    def work(progress: Progress, cancel: threading.Event) -> tuple[Path, int]:
        progress(0, 1, "Đang lập báo cáo…")
        return render_report_file(db_path, period_id, kind, out, today)

    def done(result: tuple[Path, int]) -> None:
        path, size = result
        messages.show_info(parent, f"Đã lưu báo cáo vào {path} ({size // 1024 + 1} KB).")

    return start_job(
        parent,
        f"Xuất báo cáo {kind.upper()}",
        work,
        done,
        lambda message: messages.show_error(parent, message),
        cancellable=False,
    )
