"""What leaves the office: the one summary shown before a period is closed or exported.

Closing locks the period; exporting signs it, sends it and locks it. Neither goes
ahead unasked: the window shows this summary (the period, its state, how complete
it is, every error and unexplained warning, the empty report sections, what will be
locked, where the file goes) and acts only on "Có". Both refuse the same thing: an
open period with errors or unexplained warnings (`blocked`), so an export never
locks what closing would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .errors import UserError
from .period_states import PeriodNotReady, PeriodState
from .progress import NarrativeSection
from .store import Store
from .validation import PeriodCheck, check_period

SHOWN = 15  # problems listed by name; the rest are counted


class Outgoing(StrEnum):
    CLOSE = "close"
    EXPORT = "export"


@dataclass(frozen=True)
class OutgoingSummary:
    action: Outgoing
    period_id: str
    period_label: str
    state: PeriodState
    check: PeriodCheck
    empty_sections: list[str] = field(default_factory=list)
    destination: Path | None = None

    @property
    def errors(self) -> list[str]:
        return [v.message for v in self.check.errors]

    @property
    def unexplained(self) -> list[str]:
        return [v.message for v in self.check.warnings if v.blocking]

    @property
    def blocked(self) -> bool:
        """An open period with errors or unexplained warnings: closing and export refuse it."""
        return self.state is PeriodState.OPEN and bool(self.check.blocking)

    @property
    def title(self) -> str:
        return "Chốt số liệu kỳ" if self.action is Outgoing.CLOSE else "Ký và xuất gói báo cáo"

    def question(self) -> str:
        verb = "Chốt số liệu" if self.action is Outgoing.CLOSE else "Ký và xuất gói báo cáo"
        if self.blocked:
            return f"Chưa {verb.lower()} kỳ {self.period_label} được."
        return f"{verb} kỳ {self.period_label}?"

    def lines(self) -> list[str]:
        """The summary, line by line, in the order the secretary reads it."""
        c = self.check.completeness
        out = [self.question(), "", f"Tình trạng kỳ: {self.state.label}."]
        gaps = len(c.missing_indicators) + len(c.missing_tasks)
        line = f"Số liệu: {c.text()}."
        if c.indicators_filled == 0 and c.tasks_updated == 0:
            line += " Kỳ này chưa nhập số liệu nào."
        elif gaps:
            parts = [f"{len(c.missing_indicators)} chỉ tiêu"] if c.missing_indicators else []
            parts += [f"{len(c.missing_tasks)} nhiệm vụ"] if c.missing_tasks else []
            line += f" Còn {' và '.join(parts)} chưa có số liệu; báo cáo sẽ ghi là chưa cập nhật."
        out.append(line)
        checked = self.state is PeriodState.OPEN
        if checked and self.errors:
            out.append(f"Lỗi số liệu ({len(self.errors)}):")
            out += _listed(self.errors)
        if checked and self.unexplained:
            out.append(
                f"Cảnh báo chưa giải trình ({len(self.unexplained)}) — ghi lý do vào cột Ghi chú:"
            )
            out += _listed(self.unexplained)
        if self.empty_sections:
            out.append("Mục báo cáo còn trống: " + "; ".join(self.empty_sections) + ".")
        if self.blocked:
            out.append("Hãy sửa lỗi và giải trình các cảnh báo, rồi làm lại.")
            return out
        if self.action is Outgoing.CLOSE:
            out.append(
                "Sau khi chốt, số liệu của kỳ chỉ còn xem; muốn sửa phải mở lại kỳ và ghi lý do."
            )
        else:
            out.append(
                "Gói báo cáo được ký bằng khóa của đơn vị. Sau khi xuất, kỳ được ghi là đã gửi và "
                "khóa; muốn sửa phải mở lại kỳ, ghi lý do và gửi báo cáo điều chỉnh."
            )
            if self.destination is not None:
                out.append(f"Nơi lưu gói: {self.destination}")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())

    def refuse(self) -> None:
        """PeriodNotReady with the summary when the period is blocked (closing's own refusal)."""
        if self.blocked:
            raise PeriodNotReady(self.text(), self.check)


def _listed(items: list[str]) -> list[str]:
    shown = [f"- {text}" for text in items[:SHOWN]]
    if len(items) > SHOWN:
        shown.append(f"- … và {len(items) - SHOWN} mục khác")
    return shown


def outgoing_summary(
    store: Store, period_id: str, action: Outgoing, destination: Path | None = None
) -> OutgoingSummary:
    """The summary of what closing or exporting `period_id` would send and lock (a read)."""
    period = store.period(period_id)
    status = store.closing.period_status(period.id)
    if action is Outgoing.CLOSE and status.locked:
        raise UserError(f"Kỳ {period.label} đã {status.state.label.lower()}, không cần chốt lại.")
    texts = store.entries.narrative(period.id)
    empty = [s.label for s in NarrativeSection if not (texts.get(s) or "").strip()]
    return OutgoingSummary(
        action, period.id, period.label, status.state, check_period(store.reader, period.id),
        empty, destination,
    )  # fmt: skip
