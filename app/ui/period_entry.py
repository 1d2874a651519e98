"""The entry screen of one period: indicator grid, task grid (with evidence files), narrative."""

from __future__ import annotations

from functools import partial
from html import escape
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..models.periods import Period
from ..models.progress import NarrativeSection
from ..models.text import fold
from ..operations import agency as agency_ops
from ..operations import period as period_ops
from . import messages
from .entry_grid import EntryGrid
from .frozen_columns import with_frozen_columns
from .period_checks import PeriodChecks
from .period_models import IndicatorEntryModel, TaskEntryModel
from .report_export import save_report
from .session import Session
from .workers import Job

NARRATIVE_HINTS = {
    NarrativeSection.LEADERSHIP: "Các văn bản đã ban hành, hội nghị, kiểm tra, tuyên truyền…",
    NarrativeSection.SHORTCOMINGS: "Những việc chưa làm được và nguyên nhân…",
    NarrativeSection.DIRECTIONS: "Nhiệm vụ trọng tâm kỳ tới…",
    NarrativeSection.PROPOSALS: "Đề xuất, kiến nghị với cấp trên…",
}


class TaskGrid(EntryGrid):
    """The task grid also takes evidence files dropped on a task's row."""

    filesDropped = Signal(int, list)  # row, [Path]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        index = self.indexAt(event.position().toPoint())
        if paths and index.isValid():
            self.filesDropped.emit(index.row(), paths)
            event.acceptProposedAction()


class PeriodEntry(QWidget):
    back = Signal()

    def __init__(self, session: Session, period_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.indicators = IndicatorEntryModel(session, period_id)
        self.tasks = TaskEntryModel(session, period_id)
        self.indicators.setParent(self)  # deleted (and disconnected) with the screen
        self.tasks.setParent(self)
        period = self.indicators.period

        back = QPushButton("← Danh sách kỳ")
        back.clicked.connect(self.back.emit)
        title = QLabel(f"<b>Báo cáo {period.label}</b>")
        title.setObjectName("pageTitle")
        info = QLabel(
            f"Chốt số liệu {period.cutoff_start:%d/%m/%Y} – {period.cutoff_end:%d/%m/%Y}; "
            f"hạn nộp {period.due:%d/%m/%Y}. Mọi thay đổi được lưu ngay."
        )
        info.setObjectName("muted")
        self.agencies = QLabel()  # the agencies still owing this period (core's words)
        self.agencies.setObjectName("agencyOwing")
        self.agencies.setWordWrap(True)
        self.agencies.setToolTip("Mở trang Cơ quan, đơn vị của kỳ này")
        self.agencies.linkActivated.connect(lambda _href: self.open_agencies())
        self._agency_timer = QTimer(self)  # edits come in bursts: recount once after them
        self._agency_timer.setSingleShot(True)
        self._agency_timer.setInterval(400)
        self._agency_timer.timeout.connect(self.refresh_agencies)
        session.changed.connect(lambda _change: self._agency_timer.start())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm theo mã, tên (không cần dấu)…  Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.setMinimumWidth(320)
        head = QHBoxLayout()
        head.addWidget(back)
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.search)
        for kind, text in (("pdf", "Xuất PDF…"), ("xlsx", "Xuất Excel…")):
            button = QPushButton(text)
            button.setToolTip(f"Lưu báo cáo {period.label} ra tệp .{kind}")
            button.clicked.connect(lambda _c=False, k=kind: self.save_report(k))
            head.addWidget(button)

        self.status = QLabel("")
        self.status.setObjectName("gridMessage")
        self.status.setWordWrap(True)
        self.checks = PeriodChecks(session, period_id)
        self.checks.message.connect(self.show_message)
        session.changed.connect(lambda _change: self.show_message(""))  # stale messages go
        self.checks.stateChanged.connect(self.set_locked)
        self.checks.checked.connect(lambda check: self.indicators.set_problems(check.violations))
        self.checks.problemChosen.connect(self.go_to_indicator)
        if self.checks.check is not None:  # the check made while the panel was built
            self.indicators.set_problems(self.checks.check.violations)

        self.indicator_grid = EntryGrid()
        self.indicator_grid.setModel(self.indicators)
        widths = {0: 48, 1: 380, 2: 90, 3: 120, 4: 90, 5: 100, 6: 150}
        self._size_columns(self.indicator_grid, widths)
        indicator_box, self.indicator_frozen = with_frozen_columns(self.indicator_grid, widths)
        self.indicator_grid.message.connect(self.show_message)

        self.task_grid = TaskGrid()
        self.task_grid.setModel(self.tasks)
        self.task_grid.set_combo_column(TaskEntryModel.STATUS)
        widths = {0: 48, 1: 330, 2: 130, 3: 130, 4: 80, 5: 200, 6: 120, 7: 100}
        self._size_columns(self.task_grid, widths)
        task_box, self.task_frozen = with_frozen_columns(self.task_grid, widths)
        self.task_grid.message.connect(self.show_message)
        self.task_grid.filesDropped.connect(self._add_files_to_row)
        self.task_grid.doubleClicked.connect(self._task_double_clicked)
        add_file = QPushButton("Đính kèm tệp minh chứng…")
        add_file.setToolTip("Chọn tệp cho nhiệm vụ đang chọn (hoặc kéo thả tệp vào dòng nhiệm vụ).")
        add_file.clicked.connect(self._choose_files)
        self.remove_file = QPushButton("Gỡ tệp minh chứng")
        self.remove_file.clicked.connect(self._remove_files)
        task_page = QWidget()
        task_layout = QVBoxLayout(task_page)
        task_layout.setContentsMargins(0, 0, 0, 0)
        task_layout.addWidget(task_box)
        buttons = QHBoxLayout()
        buttons.addWidget(add_file)
        buttons.addWidget(self.remove_file)
        buttons.addStretch(1)
        task_layout.addLayout(buttons)
        self.file_buttons = (add_file, self.remove_file)

        self.tabs = QTabWidget()
        self.tabs.addTab(indicator_box, "Chỉ tiêu")
        self.tabs.addTab(task_page, "Nhiệm vụ")
        self.tabs.addTab(self._narrative_tab(period_id), "Nội dung báo cáo")

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(info)
        layout.addWidget(self.agencies)
        layout.addWidget(self.checks)
        layout.addWidget(self.tabs, 1)
        self.detail = QLabel("")  # the selected row in full: rows show at most three lines
        self.detail.setObjectName("rowDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)
        for grid in (self.indicator_grid, self.task_grid):
            grid.selectionModel().currentRowChanged.connect(
                lambda current, _previous, g=grid: self.show_detail(g, current.row())
            )
        layout.addWidget(self.status)
        self.set_locked(self.checks.locked)
        self.refresh_agencies()

    def refresh_agencies(self) -> None:
        """Who still owes this period's figures; hidden while there is no list of agencies."""
        line = ""
        if self.session.store.agencies.all():
            status = agency_ops.agency_status(self.session.store, self.period, self.session.today)
            line = status.owing_text()
        self.agency_line = line
        self.agencies.setText(f'<a href="agencies">{escape(line)}</a>' if line else "")
        self.agencies.setVisible(bool(line))

    def open_agencies(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("agencies").select_period(self.period_id)

    @property
    def locked(self) -> bool:
        return self.checks.locked

    def show_detail(self, grid: EntryGrid, row: int) -> None:
        """One line under the grid with the selected item in full: name, unit and target
        or lead agency, output and deadline."""
        model = grid.model()
        item = model.rows[row].item if 0 <= row < len(model.rows) else None
        if item is None:
            self.detail.setText("")
            return
        parts = [f"<b>{escape(item.code)}. {escape(item.name)}</b>"]
        if grid is self.indicator_grid:
            target = model.index(row, IndicatorEntryModel.TARGET).data()
            parts += [
                f"Đơn vị tính: {escape(item.unit or '—')}",
                f"Mục tiêu: {escape(target or '—')}",
            ]
        else:
            if item.output:
                parts.append(f"Sản phẩm: {escape(item.output)}")
            if item.deadline:
                parts.append(f"Thời hạn: {escape(item.deadline.text)}")
        if item.lead_agency:
            parts.append(f"Chủ trì: {escape(item.lead_agency)}")
        self.detail.setText(" — ".join(parts))

    def go_to_indicator(self, indicator_id: int) -> None:
        """A click on a problem selects the value cell it is about."""
        row = self.indicators.row_of(indicator_id)
        if row is None:
            return
        self.tabs.setCurrentIndex(0)
        index = self.indicators.index(row, IndicatorEntryModel.VALUE)
        self.indicator_grid.setCurrentIndex(index)
        self.indicator_grid.scrollTo(index)
        self.indicator_grid.setFocus()

    def set_locked(self, locked: bool) -> None:
        """A closed or sent period: grids, narrative and evidence buttons become read-only."""
        for model in (self.indicators, self.tasks):
            model.set_locked(locked)
        for edit in self.narrative_edits.values():
            edit.setReadOnly(locked)
        for button in self.file_buttons:
            button.setEnabled(not locked)

    @property
    def period(self) -> Period:
        return self.indicators.period

    @property
    def period_id(self) -> str:
        return self.indicators.period.id

    @staticmethod
    def _size_columns(grid: EntryGrid, widths: dict[int, int]) -> None:
        header = grid.horizontalHeader()
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def save_report(self, kind: str, out: Path | None = None) -> Job | None:
        """Save this period's report alone (PDF or xlsx), rendered in a worker."""
        self.save_narrative()
        self.report_job = save_report(
            self, self.session.path, self.period, kind, self.session.today, out=out
        )
        return self.report_job

    def show_message(self, text: str, error: bool = False) -> None:
        """The grid's message line: refusals red, the rest in the normal colour."""
        self.status.setText(text)
        self.status.setStyleSheet("color: #a8231a;" if error else "color: palette(text);")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, text: str) -> None:
        needle = fold(text)
        for grid, model in ((self.indicator_grid, self.indicators), (self.task_grid, self.tasks)):
            for row, entry in enumerate(model.rows):
                if entry.group is not None:
                    grid.setRowHidden(row, False)
                    continue
                hay = fold(f"{entry.item.code} {entry.item.name}")
                grid.setRowHidden(row, bool(needle) and needle not in hay)

    # -- narrative ----------------------------------------------------------------------
    def _narrative_tab(self, period_id: str) -> QWidget:
        page = self.narrative_page = QWidget()
        form = QFormLayout(page)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.narrative_edits: dict[NarrativeSection, QPlainTextEdit] = {}
        current = self.session.store.entries.narrative(period_id)
        self._narrative_timer = QTimer(self)
        self._narrative_timer.setSingleShot(True)
        self._narrative_timer.setInterval(700)
        self._narrative_timer.timeout.connect(self.save_narrative)
        for number, section in enumerate(NarrativeSection, start=1):
            edit = QPlainTextEdit(current.get(section, ""))
            edit.setPlaceholderText(NARRATIVE_HINTS[section])
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._narrative_timer.start)
            self.narrative_edits[section] = edit
            form.addRow(f"{number}. {section.label}", edit)
        return page

    def focus_narrative(self, section: NarrativeSection) -> QPlainTextEdit:
        """The "Nội dung báo cáo" tab with the cursor in `section`: where an export refused
        for an empty section takes the secretary."""
        edit = self.narrative_edits[section]
        self.tabs.setCurrentWidget(self.narrative_page)
        edit.setFocus(Qt.FocusReason.OtherFocusReason)
        return edit

    def save_narrative(self) -> None:
        """Write the sections whose text changed (each one store call, audited)."""
        self._narrative_timer.stop()
        if self.locked:
            return
        stored = self.session.store.entries.narrative(self.period_id)
        for section, edit in self.narrative_edits.items():
            text = edit.toPlainText()
            if (text.strip() or None) != (stored.get(section) or None) and text != stored.get(
                section
            ):
                try:
                    self.session.run(
                        partial(
                            period_ops.set_narrative, period=self.period, section=section, text=text
                        )
                    )
                except UserError as exc:
                    self.show_message(exc.message, error=True)
                    return
        self.show_message("Đã lưu nội dung báo cáo.")

    def hideEvent(self, event) -> None:  # noqa: ANN001
        if self._narrative_timer.isActive():
            self.save_narrative()
        super().hideEvent(event)

    # -- evidence files ------------------------------------------------------------------------
    def _task_row(self) -> int | None:
        index = self.task_grid.currentIndex()
        if not index.isValid() or self.tasks.is_group(index.row()):
            return None
        return index.row()

    def _task_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == TaskEntryModel.FILES and not self.tasks.is_group(index.row()):
            self._choose_files()

    def _choose_files(self) -> None:
        row = self._task_row()
        if row is None:
            self.show_message("Hãy chọn một nhiệm vụ trong bảng trước khi đính kèm tệp.")
            return
        paths = messages.choose_open_files(self, "Chọn tệp minh chứng")
        if paths:
            self._add_files_to_row(row, paths)

    def _add_files_to_row(self, row: int, paths: list[Path]) -> None:
        task_id = self.tasks.item_id(row)
        if task_id is None:
            return
        added = []
        for path in paths:
            try:
                self.session.run(
                    partial(
                        period_ops.attach_evidence, period=self.period, task_id=task_id, source=path
                    )
                )
            except UserError as exc:
                self.show_message(exc.message, error=True)
                continue
            added.append(path.name)
        if added:
            self.show_message("Đã đính kèm: " + ", ".join(added))

    def _remove_files(self) -> None:
        row = self._task_row()
        task_id = self.tasks.item_id(row) if row is not None else None
        files = self.tasks.files.get(task_id, []) if task_id is not None else []
        if not files:
            self.show_message("Nhiệm vụ đang chọn chưa có tệp minh chứng.")
            return
        names = ", ".join(a.file_name for a in files)
        if not messages.confirm(self, "Gỡ tệp minh chứng", f"Gỡ các tệp: {names}?"):
            return
        for attachment in files:
            self.session.run(partial(period_ops.remove_evidence, attachment_id=attachment.id))
        self.show_message("Đã gỡ tệp minh chứng.")
