"""Tổng quan: the next report due, task counts, indicators off track, charts.

Every figure is clickable and opens the list behind it in a small window.
The figures are recomputed from the core (`summarize`, `tracking`) whenever an
edit arrives, so they never disagree with the report.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.assessment import Assessment
from ..models.progress import TaskStatus
from ..models.summary import Owed, Summary, summarize
from ..models.task_labels import task_codes
from ..models.values import format_target, format_value
from ..operations import agency as agency_ops
from .charts import GroupBar, GroupProgressChart, SparklineDelegate

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A read-only table of strings (plus optional per-cell UserRole data)."""

    def __init__(
        self, headers: list[str], rows: list[list[Any]], extra: dict | None = None
    ) -> None:
        super().__init__()
        self.headers, self.rows, self.extra = headers, rows, extra or {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return self.extra.get((index.row(), index.column()))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.rows[index.row()][index.column()]
        return None


class ListWindow(QDialog):
    """The list behind a figure: non-modal, so the secretary can keep it open beside the grid."""

    def __init__(
        self, title: str, headers: list[str], rows: list[list[str]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 480)
        self.model = RowsModel(headers, rows)
        table = QTableView()
        table.setModel(self.model)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        # the code column fits its longest code ("PL III – VII.64" with several appendices)
        metrics = table.fontMetrics()
        widest = max((metrics.horizontalAdvance(r[0]) for r in rows if r), default=0)
        table.setColumnWidth(0, max(70, widest + 16))
        table.setColumnWidth(1, 420)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{title}</b> ({len(rows)})"))
        layout.addWidget(table)


class Card(QFrame):
    clicked = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.figure = QLabel("")
        self.figure.setObjectName("cardFigure")
        self.detail = QLabel("")
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.figure)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set(self, figure: str, detail: str = "") -> None:
        self.figure.setText(figure)
        self.detail.setText(detail)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()


SHOWN_LATE = 3


def late_text(owed: list[Owed]) -> str:
    """ "Quá hạn, chưa gửi: Báo cáo năm 2025 (quá hạn 322 ngày); …" newest first."""
    if not owed:
        return ""
    newest = list(reversed(owed))
    names = "; ".join(f"{o.period.title_label} (quá hạn {o.days_late} ngày)"
                      for o in newest[:SHOWN_LATE])  # fmt: skip
    more = f"; và {len(owed) - SHOWN_LATE} báo cáo khác" if len(owed) > SHOWN_LATE else ""
    return f"<b>Quá hạn, chưa gửi ({len(owed)}):</b> {names}{more}."


def next_step_text(s: Summary, has_key: bool) -> str:
    """The one next thing to do: enter the next report, then a signing key if none."""
    steps = []
    if s.current is not None:
        steps.append(f"Nhập số liệu kỳ {s.current.label} (Kỳ báo cáo → {s.current.label}).")
    if not has_key:
        steps.append("Tạo khóa ký gói báo cáo (Cài đặt → Khóa ký gói báo cáo).")
    return ("<b>Việc tiếp theo:</b> " + " ".join(steps)) if steps else ""


class DashboardPage(QScrollArea):
    def __init__(self, session, window=None) -> None:  # noqa: ANN001
        super().__init__()
        self.session = session
        self.window_ = window
        self.lists: list[ListWindow] = []
        self.setWidgetResizable(True)
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.late = QLabel()  # overdue unsent reports lead the page, then the next one due
        self.late.setObjectName("lateReports")
        self.late.setWordWrap(True)
        self.late.setStyleSheet(
            "background:#fbe0dd; color:#a8231a; padding:6px 10px; border-radius:4px;"
        )
        layout.addWidget(self.late)
        self.next_step = QLabel()  # what to do next, in words (after the wizard too)
        self.next_step.setObjectName("nextStep")
        self.next_step.setWordWrap(True)
        layout.addWidget(self.next_step)
        self.agencies = QLabel()  # who still owes the next report's figures (core's words)
        self.agencies.setObjectName("agencyLine")
        self.agencies.setWordWrap(True)
        self.agencies.setToolTip("Mở trang Cơ quan, đơn vị")
        self.agencies.linkActivated.connect(lambda _href: self.open_agencies())
        layout.addWidget(self.agencies)

        cards = QGridLayout()
        self.next_card = Card("Kỳ báo cáo tiếp theo")
        self.next_card.clicked.connect(self._open_period)
        self.overdue_card = Card("Nhiệm vụ quá hạn")
        self.overdue_card.clicked.connect(self.show_overdue)
        self.off_track_card = Card("Chỉ tiêu chậm so với lộ trình")
        self.off_track_card.clicked.connect(self.show_off_track)
        cards.addWidget(self.next_card, 0, 0)
        cards.addWidget(self.overdue_card, 0, 1)
        cards.addWidget(self.off_track_card, 0, 2)
        self.status_cards: dict[TaskStatus, Card] = {}
        for status in TaskStatus:
            card = Card(status.label)
            card.clicked.connect(lambda s=status: self.show_status(s))
            self.status_cards[status] = card
        status_row = QHBoxLayout()
        for card in self.status_cards.values():
            status_row.addWidget(card)
        layout.addLayout(cards)
        layout.addWidget(self._section("Nhiệm vụ theo tình trạng"))
        layout.addLayout(status_row)

        layout.addWidget(self._section("Tiến độ chỉ tiêu theo nhóm (so với lộ trình đến mốc)"))
        self.chart = GroupProgressChart()
        self.chart.barClicked.connect(self.show_group)
        layout.addWidget(self.chart)

        layout.addWidget(self._section("Xu hướng từng chỉ tiêu qua các kỳ"))
        self.trends = QTableView()
        self.trends.setItemDelegateForColumn(2, SparklineDelegate(self.trends))
        self.trends.verticalHeader().setVisible(False)
        self.trends.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trends.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trends.setMinimumHeight(360)
        layout.addWidget(self.trends, 1)
        self._dirty = False
        self.refresh()
        session.changed.connect(lambda _c: self._changed())
        session.storeReplaced.connect(self._changed)

    def _changed(self) -> None:
        """Recompute now when visible, otherwise when next shown (edits stay fast)."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:  # noqa: ANN001
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 10, 0, 0)
        return label

    def _has_key(self) -> bool:
        settings = getattr(self.window_, "settings", None)
        if settings is None:
            return True
        from .key_section import key_path

        return key_path(settings).exists()

    # -- figures ------------------------------------------------------------------------
    def refresh(self) -> None:
        self._dirty = False
        store, today = self.session.store, self.session.today
        plan = self.session.plan()
        s = summarize(store, today)
        self.summary = s
        self.heading.setText(
            f"<b>{plan.office.name}</b> — Kế hoạch số {plan.info.number}: {len(plan.indicators())} "
            f"chỉ tiêu, {len(plan.tasks())} nhiệm vụ"
        )
        self.late.setText(late_text(s.owed))  # what is late leads, newest first
        self.late.setVisible(bool(s.owed))
        self.next_step.setText(next_step_text(s, self._has_key()))
        self._fill_agencies(s)
        if s.current:
            days = (s.current.due - today).days
            left = (
                f"còn {days} ngày"
                if days > 0
                else ("hôm nay" if days == 0 else f"quá {-days} ngày")
            )
            self.next_card.set(  # what is late has its own line above
                s.current.label,
                f"Hạn nộp {s.current.due:%d/%m/%Y} ({left}). Đã nhập {s.values_entered}/"
                f"{s.indicators} chỉ tiêu, {s.progress_entered}/{s.tasks} nhiệm vụ.",
            )
        else:
            self.next_card.set("—", "Kế hoạch không còn kỳ báo cáo nào sắp đến hạn.")
        self.overdue_card.set(str(len(s.overdue)), "Đã qua thời hạn mà chưa hoàn thành.")
        shown = s.progress.period.label if s.progress else "mới nhất"
        self.off_track_card.set(
            str(len(s.behind)), f"Chậm so với lộ trình đến mốc, theo số liệu kỳ {shown}."
        )

        progress = s.progress
        self.task_states = progress.tasks if progress else []
        counts = {st: 0 for st in TaskStatus}
        for state in self.task_states:
            counts[state.status] += 1
        for status, card in self.status_cards.items():
            card.set(str(counts[status]))

        history = store.entries.all_values()
        self.indicator_states = progress.indicators if progress else []
        by_id = {st.indicator.id: st for st in self.indicator_states}
        bars = []
        for group in plan.indicator_groups:
            states = [by_id[i.id] for i in group.indicators if i.id in by_id]
            bars.append(
                GroupBar(
                    f"{group.code}. {group.title}",
                    sum(st.assessment.favourable for st in states),
                    sum(st.assessment.off_track for st in states),
                    sum(
                        st.assessment in (Assessment.NO_DATA, Assessment.NOT_ASSESSABLE)
                        for st in states
                    ),
                )
            )
        self.chart.set_bars(bars)
        self._fill_trends(plan, history)

    def _fill_agencies(self, s: Summary) -> None:
        """ "Cơ quan, đơn vị kỳ …: 8/10 đã gửi …; 2 trễ hạn: …" for the next report, a link to
        the agencies page; hidden while the office has no list of agencies."""
        line = ""
        if s.current is not None and self.session.store.agencies.all():
            status = agency_ops.agency_status(self.session.store, s.current, self.session.today)
            line = status.summary_text()
        self.agency_line = line
        self.agencies.setText(f'<a href="agencies">{escape(line)}</a>' if line else "")
        self.agencies.setVisible(bool(line))

    def open_agencies(self) -> None:
        if self.window_ is None:
            return
        page = self.window_.show_page("agencies")
        if self.summary.current is not None:
            page.select_period(self.summary.current.id)

    def _fill_trends(self, plan, history: dict) -> None:  # noqa: ANN001
        periods = {pid: self.session.store.period(pid) for pid in history}
        ordered = sorted(history, key=lambda pid: (periods[pid].end, periods[pid].start))
        rows: list[list[Any]] = []
        extra: dict[tuple[int, int], list[float]] = {}
        for st in self.indicator_states:
            ind = st.indicator
            series = [history[pid][ind.id] for pid in ordered if ind.id in history[pid]]
            numbers = [
                float(v) for v in series if isinstance(v, int | float) and not isinstance(v, bool)
            ]
            extra[(len(rows), 2)] = numbers
            rows.append(
                [
                    ind.code,
                    ind.name,
                    "",
                    format_value(ind, st.value),
                    format_target(ind, st.path.target),
                    st.assessment.label,
                ]
            )
        model = RowsModel(
            ["Mã", "Chỉ tiêu", "Xu hướng", "Mới nhất", "Mục tiêu", "Đánh giá"], rows, extra
        )
        self.trends.setModel(model)
        header = self.trends.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 60), (2, 130), (3, 100), (4, 110), (5, 130)):
            self.trends.setColumnWidth(column, width)

    # -- the lists behind the figures --------------------------------------------------------
    def _show(self, title: str, headers: list[str], rows: list[list[str]]) -> ListWindow:
        window = ListWindow(title, headers, rows, self)
        self.lists.append(window)
        window.show()
        return window

    def _task_rows(self, states) -> list[list[str]]:  # noqa: ANN001
        codes = task_codes(self.session.plan())  # "PL II – 4" with several appendices
        return [
            [
                codes.get(st.task.id, st.task.code),
                st.task.name,
                st.task.deadline.text if st.task.deadline else "",
                st.status.label,
            ]
            for st in states
        ]

    def show_overdue(self) -> ListWindow:
        return self._show(
            "Nhiệm vụ quá hạn",
            ["Mã", "Nhiệm vụ", "Thời hạn", "Tình trạng"],
            self._task_rows(self.summary.overdue),
        )

    def show_status(self, status: TaskStatus) -> ListWindow:
        states = [st for st in self.task_states if st.status is status]
        return self._show(
            f"Nhiệm vụ: {status.label}",
            ["Mã", "Nhiệm vụ", "Thời hạn", "Tình trạng"],
            self._task_rows(states),
        )

    def _indicator_rows(self, states) -> list[list[str]]:  # noqa: ANN001
        return [
            [
                st.indicator.code,
                st.indicator.name,
                format_value(st.indicator, st.value),
                f"{format_target(st.indicator, st.path.target)} ({st.path.milestone})"
                if st.path.target
                else "",
                st.assessment.label,
            ]
            for st in states
        ]

    def show_off_track(self) -> ListWindow:
        return self._show(
            "Chỉ tiêu chậm so với lộ trình",
            ["Mã", "Chỉ tiêu", "Số liệu", "Mục tiêu mốc", "Đánh giá"],
            self._indicator_rows(self.summary.behind),
        )

    def show_group(self, row: int) -> ListWindow:
        group = self.session.plan().indicator_groups[row]
        ids = {i.id for i in group.indicators}
        states = [st for st in self.indicator_states if st.indicator.id in ids]
        return self._show(
            f"Nhóm {group.code}. {group.title}",
            ["Mã", "Chỉ tiêu", "Số liệu mới nhất", "Mục tiêu", "Đánh giá"],
            self._indicator_rows(states),
        )

    def _open_period(self) -> None:
        if self.summary.current is not None and self.window_ is not None:
            self.window_.show_page("periods").open_period(self.summary.current.id)
