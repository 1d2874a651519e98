"""The period's data-quality panel: state, completeness, rule violations, close and reopen.

It re-runs the core check (validation.check_period) whenever an entry of its
period changes, so the secretary sees what is missing and what needs an
explanation while typing. Closing and reopening are core operations through
the session; a refused close leaves the list of what blocks it on screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..models.change import Change, Subject
from ..models.errors import UserError
from ..models.outgoing import Outgoing
from ..models.period_states import PeriodNotReady, PeriodStatus
from ..models.plan import Severity
from ..models.validation import PeriodCheck, Violation
from ..operations import period as period_ops
from . import messages
from .session import Session

STATE_STYLES = {
    "open": "background:#e8f0fb; color:#1f5fa8;",
    "closed": "background:#fff4d6; color:#7a5a00;",
    "sent": "background:#e3f4e6; color:#1d7a3a;",
}
MISSING_SHOWN = 12


class PeriodChecks(QFrame):
    """State badge, completeness line, problem list, and the close/reopen buttons."""

    stateChanged = Signal(bool)  # locked
    checked = Signal(object)  # the PeriodCheck just made, for the grid to mark its cells
    problemChosen = Signal(int)  # an indicator id: a click on its problem in the list
    message = Signal(str, bool)  # text, True for a refusal

    def __init__(self, session: Session, period_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("periodChecks")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.session = session
        self.period_id = period_id
        self.check: PeriodCheck | None = None
        self.status: PeriodStatus | None = None

        self.state_label = QLabel()
        self.state_label.setObjectName("periodState")
        self.completeness_label = QLabel()
        self.completeness_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.close_button = QPushButton("Chốt số liệu kỳ")
        self.close_button.setToolTip(
            "Kiểm tra rồi chốt: không còn lỗi, mọi cảnh báo đã giải trình trong cột Ghi chú. "
            "Kỳ đã chốt chỉ còn xem."
        )
        self.close_button.clicked.connect(lambda: self.close_period())
        self.reopen_button = QPushButton("Mở lại kỳ…")
        self.reopen_button.setToolTip(
            "Mở lại để sửa; cần ghi lý do. Gói gửi sau là báo cáo điều chỉnh."
        )
        self.reopen_button.clicked.connect(lambda: self.reopen())
        for button in (self.close_button, self.reopen_button):  # a click leaves the grid's focus
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.problems = QListWidget()
        self.problems.setObjectName("periodProblems")
        self.problems.setWordWrap(True)
        self.toggle = QToolButton()  # the list folds away so the grid gets the screen
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.toggle.toggled.connect(lambda _on: self._fit_problems())
        self.problems.itemClicked.connect(
            lambda item: self.problemChosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )

        top = QHBoxLayout()
        top.addWidget(self.state_label)
        top.addWidget(self.completeness_label, 1)
        top.addWidget(self.toggle)
        top.addWidget(self.close_button)
        top.addWidget(self.reopen_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problems)
        session.changed.connect(self._on_change)
        session.planChanged.connect(self.refresh)
        self.refresh()

    @property
    def locked(self) -> bool:
        return bool(self.status and self.status.locked)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt override)
        self.refresh()  # an export in a worker may have sent the period meanwhile
        super().showEvent(event)

    def _on_change(self, change: Change) -> None:
        if change.period == self.period_id or change.subject in (
            Subject.RULE, Subject.PLAN_SETTING,
        ):  # fmt: skip
            self.refresh()

    def refresh(self) -> None:
        """Re-run the check and show it (a few milliseconds on a full plan)."""
        store = self.session.store
        self.check = period_ops.check(store, self.session.period(self.period_id))
        was = self.locked
        self.status = store.closing.period_status(self.period_id)
        state = self.status.state
        self.state_label.setText(f" {state.label} ")
        self.state_label.setStyleSheet(STATE_STYLES[state.value] + "padding:3px; font-weight:bold;")
        c = self.check.completeness
        missing = []
        if c.missing_indicators:
            codes = ", ".join(code for code, _ in c.missing_indicators[:MISSING_SHOWN])
            more = "…" if len(c.missing_indicators) > MISSING_SHOWN else ""
            missing.append(f"chỉ tiêu {codes}{more}")
        if c.missing_tasks:
            codes = ", ".join(code for code, _ in c.missing_tasks[:MISSING_SHOWN])
            more = "…" if len(c.missing_tasks) > MISSING_SHOWN else ""
            missing.append(f"nhiệm vụ {codes}{more}")
        tail = f" — còn thiếu: {'; '.join(missing)}" if missing else " — đủ số liệu"
        self.completeness_label.setText(f"<b>{c.text()}</b>{tail}")
        errors, warnings = self.check.errors, self.check.warnings
        open_warnings = [w for w in warnings if w.blocking]
        if state.value == "open":
            ready = "Có thể chốt số liệu." if not self.check.blocking else "Chưa chốt được."
        else:
            ready = "Kỳ chỉ còn xem; muốn sửa, hãy mở lại kỳ (ghi lý do)."
        pending = " Gói gửi tiếp theo là báo cáo bổ sung, điều chỉnh." if (
            self.status.correction_pending) else ""  # fmt: skip
        self.summary_label.setText(
            f"Lỗi: {len(errors)}; cảnh báo: {len(warnings)} ({len(open_warnings)} chưa giải "
            f"trình). {ready}{pending}"
        )
        self._fill(self.check.violations)
        self.checked.emit(self.check)
        self.close_button.setEnabled(not self.locked)
        self.reopen_button.setEnabled(self.locked)
        if was != self.locked:
            self.stateChanged.emit(self.locked)

    def _fill(self, violations: list[Violation]) -> None:
        self.problems.clear()
        for v in sorted(violations, key=lambda v: (not v.blocking, v.severity is Severity.WARNING)):
            item = QListWidgetItem(v.text())
            item.setData(Qt.ItemDataRole.UserRole, v.indicator_id)
            colour = "#a8231a" if v.severity is Severity.ERROR else (
                "#8a5a00" if v.blocking else "#555555")  # fmt: skip
            item.setToolTip(v.message)
            item.setForeground(QBrush(QColor(colour)))
            self.problems.addItem(item)
        self._fit_problems()

    def _fit_problems(self) -> None:
        """As many lines as the problems need, at most five; folded when asked."""
        count = self.problems.count()
        open_ = self.toggle.isChecked()
        self.toggle.setVisible(count > 0)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.toggle.setText(f"{'Ẩn' if open_ else 'Xem'} {count} vấn đề")
        line = self.problems.fontMetrics().height() + 6
        self.problems.setFixedHeight(min(count, 5) * line + 6)
        self.problems.setVisible(count > 0 and open_)

    # -- operations --------------------------------------------------------------------
    def close_period(self) -> bool:
        """Close the period after a confirmation; when refused, the list shows what blocks it."""
        self.refresh()
        if self.check is not None and not self.check.blocking and not self._confirm_close():
            self.message.emit("Chưa chốt kỳ: số liệu vẫn sửa được.", False)
            return False
        try:
            self.session.run(
                lambda s: period_ops.close_period(s, self.session.period(self.period_id))
            )
        except PeriodNotReady as exc:
            self.refresh()
            self._fill(exc.check.blocking)
            label = self.session.period(self.period_id).label
            self.message.emit(
                f"Chưa chốt được kỳ {label}: còn {len(exc.check.blocking)} mục cần xử lý "
                "(danh sách bên trên). Sửa lỗi, ghi giải trình cảnh báo vào cột Ghi chú rồi chốt lại.",
                True,
            )
            return False
        self.refresh()
        self.message.emit(f"Đã chốt số liệu kỳ {self.session.period(self.period_id).label}.", False)
        return True

    def _confirm_close(self) -> bool:
        """One question that says what closing does: the summary an export shows too."""
        summary = period_ops.outgoing(
            self.session.store, self.session.period(self.period_id), Outgoing.CLOSE
        )
        return messages.confirm(self, summary.title, summary.text())

    def reopen(self, reason: str | None = None) -> bool:
        """Reopen with a reason (asked for when not given); recorded in the audit history."""
        if reason is None:
            reason = messages.ask_text(
                self, "Mở lại kỳ báo cáo", "Lý do mở lại (ghi vào lịch sử thay đổi):"
            )
            if reason is None:
                return False
        try:
            self.session.run(
                lambda s: period_ops.reopen_period(s, self.session.period(self.period_id), reason)
            )
        except UserError as exc:
            self.message.emit(exc.message, True)
            return False
        self.refresh()
        self.message.emit(f"Đã mở lại kỳ {self.session.period(self.period_id).label}.", False)
        return True
