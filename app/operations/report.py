"""Operations writing the period report alone, as PDF or xlsx (no package, no state change)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..models.atomic_file import write_bytes_atomic
from ..models.change import Outcome
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..models.periods import Period
from ..models.plan import DocumentStyle
from ..models.store import Store
from ..reports.content import ReportData, build_report
from ..reports.pdf import render_pdf
from ..reports.xlsx import render_xlsx

RENDERERS: dict[str, Callable[[ReportData], bytes]] = {"pdf": render_pdf, "xlsx": render_xlsx}


@dataclass(frozen=True)
class WrittenReport:
    path: Path
    size: int
    period: Period


def render_report(report: ReportData, kind: str) -> bytes:
    """The report as `kind` ("pdf" or "xlsx") bytes."""
    if kind not in RENDERERS:
        raise UserError(f"Không có định dạng báo cáo '{kind}' (chỉ có pdf, xlsx).")
    return RENDERERS[kind](report)


def write_report(
    db_path: Path,
    period: Period,
    kind: str,
    out: Path,
    today: date,
    *,
    style: DocumentStyle | None = None,
    package_id: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[WrittenReport]:
    """Read the period, lay the report out, write `out` atomically (a `.pdf`/`.xlsx`)."""
    out = Path(out)
    if out.suffix.lower() != f".{kind}":
        raise UserError(f"Tệp kết quả '{out}' phải có đuôi .{kind}.")
    progress(0, 2, "Đang lập báo cáo…")
    with Store.open(db_path) as store:
        report = build_report(store, period.id, today, package_id)
    if style is not None:
        report = report.with_style(style)
    checkpoint(cancel, "Đã hủy; không có tệp nào được ghi.")
    progress(1, 2, f"Đang ghi {out.name}…")
    data = render_report(report, kind)
    checkpoint(cancel, "Đã hủy; không có tệp nào được ghi.")
    write_bytes_atomic(out, data, mode=0o644)
    progress(2, 2, "Đã ghi báo cáo")
    return Outcome(WrittenReport(out, len(data), report.period))
