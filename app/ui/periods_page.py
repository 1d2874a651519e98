"""Kỳ báo cáo: the plan's reporting periods with due date, cut-off and state; opens entry."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.change import Subject
from ..models.errors import UserError
from ..models.period_states import PeriodState as StoredState
from ..models.periods import Period
from ..operations import plan as plan_ops
from . import messages
from .ad_hoc_dialog import AdHocReportDialog
from .focus import busy_cursor, exec_dialog
from .list_model import ListTableModel
from .period_entry import PeriodEntry
from .session import Session

Index = QModelIndex | QPersistentModelIndex


class PeriodState(StrEnum):
    EMPTY = "Chưa nhập"
    IN_PROGRESS = "Đang nhập"
    CLOSED = "Đã chốt"
    EXPORTED = "Đã gửi"
    OVERDUE = "Quá hạn"


STATE_COLOURS = {
    PeriodState.EMPTY: "#666666",
    PeriodState.IN_PROGRESS: "#1f5fa8",
    PeriodState.CLOSED: "#7a5a00",
    PeriodState.EXPORTED: "#1d7a3a",
    PeriodState.OVERDUE: "#a8231a",
}


def period_state(
    period: Period,
    entered: set[str],
    exported: set[str],
    today: date,
    locked: dict[str, StoredState] | None = None,
) -> PeriodState:
    """Sent wins; a report owed, past its due date and not sent is overdue whatever was entered
    or closed; before its due date it is closed, being entered, or not entered yet.

    A period reopened after it was sent shows as being entered again, not as sent.
    """
    stored = (locked or {}).get(period.id)
    if stored is StoredState.SENT or (period.id in exported and locked is None):
        return PeriodState.EXPORTED
    if period.due < today:
        return PeriodState.OVERDUE
    if stored is StoredState.CLOSED:
        return PeriodState.CLOSED
    return PeriodState.IN_PROGRESS if period.id in entered else PeriodState.EMPTY


def overdue_detail(period: Period, entered: set[str], closed: bool, today: date) -> str:
    """ "Quá hạn 23 ngày · đang nhập": how late, and how far the report got."""
    got = "đã chốt, chưa gửi" if closed else ("đang nhập" if period.id in entered else "chưa nhập")
    return f"{PeriodState.OVERDUE.value} {(today - period.due).days} ngày · {got}"


def exported_period_ids(store: Any) -> set[str]:
    """Periods with an exported package (empty until the package store exists)."""
    lister = getattr(store, "exported_packages", None)
    if lister is None:
        return set()
    return {p.period_id for p in lister()}


class PeriodListModel(ListTableModel):
    HEADERS = ("Kỳ báo cáo", "Mã kỳ", "Chốt số liệu", "Hạn nộp", "Tình trạng")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.periods: list[Period] = []
        self.states: dict[str, PeriodState] = {}
        self.texts: dict[str, str] = {}
        self.current: Period | None = None
        self.reload()
        session.entriesChanged.connect(lambda _pid: self.reload())
        session.changed.connect(
            lambda c: self.reload() if c.subject is Subject.PERIOD_STATE else None
        )
        session.storeReplaced.connect(self.reload)
        session.planChanged.connect(self.reload)

    def reload(self) -> None:
        self.beginResetModel()
        store = self.session.store
        self.periods = list(reversed(self.session.periods()))
        entered = set(store.entries.periods_with_entries())
        exported = exported_period_ids(store)
        today = self.session.today
        locked = store.closing.period_states()
        self.states = {
            p.id: period_state(p, entered, exported, today, locked) for p in self.periods
        }
        self.texts = {p.id: self.states[p.id].value for p in self.periods}
        for p in self.periods:
            if self.states[p.id] is PeriodState.OVERDUE:
                closed = locked.get(p.id) is StoredState.CLOSED
                self.texts[p.id] = overdue_detail(p, entered, closed, today)
        self.current = self.session.current_period()
        self.endResetModel()

    def items(self) -> list:
        return self.periods

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.periods[index.row()]
        col = index.column()
        state = self.states[p.id]
        is_current = self.current is not None and p.id == self.current.id
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return p.label + ("  (kỳ hiện tại)" if is_current else "")
            if col == 1:
                return p.id
            if col == 2:
                return f"{p.cutoff_start:%d/%m/%Y} – {p.cutoff_end:%d/%m/%Y}"
            if col == 3:
                days = (p.due - self.session.today).days
                if 0 <= days <= 30 and state is not PeriodState.EXPORTED:
                    return f"{p.due:%d/%m/%Y} (còn {days} ngày)"
                return f"{p.due:%d/%m/%Y}"
            return self.texts[p.id]
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            return QBrush(QColor(STATE_COLOURS[state]))
        if role == Qt.ItemDataRole.FontRole and (is_current or col == 4):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and is_current:
            return QBrush(QColor("#fff6d8"))
        return None


class PeriodsPage(QWidget):
    """The period list; double-click or "Nhập số liệu" opens the entry screen."""

    periodOpened = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = PeriodListModel(session)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda index: self.open_period(self.model.periods[index.row()].id)
        )
        self.table.activated.connect(  # Enter on the selected row
            lambda index: self.open_period(self.model.periods[index.row()].id)
        )
        open_button = QPushButton("Nhập số liệu kỳ đã chọn")
        open_button.setDefault(True)
        open_button.clicked.connect(self._open_selected)
        current_button = QPushButton("Mở kỳ hiện tại")
        current_button.clicked.connect(self.open_current)
        add_button = QPushButton("Thêm báo cáo đột xuất, sơ kết…")
        add_button.setToolTip(
            "Báo cáo theo công văn yêu cầu (đột xuất, theo yêu cầu) hoặc sơ kết, tổng kết: "
            "tên, thời gian lấy số liệu và hạn nộp riêng."
        )
        add_button.clicked.connect(self.add_report)

        title = QLabel("<b>Kỳ báo cáo</b>")
        title.setObjectName("pageTitle")
        hint = QLabel(
            "Các kỳ theo chế độ báo cáo của kế hoạch. Chọn một kỳ rồi nhấn Enter (hoặc nhấp đúp) để nhập số liệu chỉ "
            "tiêu, tiến độ nhiệm vụ và nội dung báo cáo."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(current_button)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        buttons.addWidget(add_button)
        list_page = QWidget()
        list_layout = QVBoxLayout(list_page)
        list_layout.addWidget(title)
        list_layout.addWidget(hint)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)

        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.entry: PeriodEntry | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        session.storeReplaced.connect(self._store_replaced)

    def add_report(self) -> str | None:
        """Ask for a report a công văn requests; add it to the regime and select it."""
        dialog = AdHocReportDialog(self.session.today, self)
        if not exec_dialog(dialog):
            return None
        try:
            period_id = self.session.run(
                lambda s: plan_ops.add_ad_hoc_report(s, dialog.report())
            ).result
        except UserError as exc:
            messages.show_error(self, exc.message)
            return None
        self.model.reload()
        for row, period in enumerate(self.model.periods):
            if period.id == period_id:
                self.table.selectRow(row)
        return period_id

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_period(self.model.periods[rows[0].row()].id)
        else:
            self.open_current()

    def open_current(self) -> None:
        period = self.session.current_period()
        if period is not None:
            self.open_period(period.id)

    def open_period(self, period_id: str) -> PeriodEntry:
        if self.entry is not None and self.entry.period_id == period_id:
            self.stack.setCurrentWidget(self.entry)
            return self.entry
        self._drop_entry()
        with busy_cursor():  # about 0.2–0.5 s on a loaded office PC (bench/bench_gui.py)
            self.entry = PeriodEntry(self.session, period_id)
        self.entry.back.connect(self.show_list)
        self.stack.addWidget(self.entry)
        self.stack.setCurrentWidget(self.entry)
        self.entry.indicator_grid.setFocus()
        self.periodOpened.emit(period_id)
        return self.entry

    def _drop_entry(self) -> None:
        if self.entry is not None:
            if self.stack.currentWidget() is self.entry:
                self.stack.setCurrentIndex(0)
            self.entry.save_narrative()
            self.stack.removeWidget(self.entry)
            self.entry.deleteLater()
            self.entry = None

    def _store_replaced(self) -> None:
        """Another data file: the open entry screen belongs to the old one."""
        if self.entry is not None:
            self.stack.setCurrentIndex(0)
            self.stack.removeWidget(self.entry)
            self.entry.deleteLater()
            self.entry = None

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.model.reload()

    def focus_search(self) -> None:
        if self.entry is not None and self.stack.currentWidget() is self.entry:
            self.entry.focus_search()
