"""Nhận & tổng hợp: the receiving office's page — ingest packages, see who reported, export.

Self-contained: built from a receiving data file's path (or an open
Receiving, whose path it uses). Ingest and export run on the worker pool
with their own connection (nothing from SQLite crosses threads), with a
progress dialog and cancel; the page's own connection only reads. Views:
the offices × periods matrix (a coloured cell per state, the reason on
hover and in the detail panel), one indicator across offices with target
and attainment, and one office's history. Double-clicking a cell or a
package opens its report PDF in the system viewer.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..models.errors import UserError
from ..models.periods import parse_period_id
from ..models.text import fold
from ..models.values import format_value
from ..operations import receive as receive_ops
from ..paths import user_data_dir
from ..receiving.consolidation import Consolidation, consolidate
from ..receiving.ingest import IngestReport, extract_report_pdf
from ..receiving.matrix import (
    Cell,
    CellState,
    Matrix,
    open_matrix,
    rejected_packages,
    shown_date,
)
from ..receiving.store import ReceivedPackage, Receiving
from . import messages
from .consolidation_issue import ask_consolidation_issue
from .workers import Job, Progress, start_job

Index = QModelIndex | QPersistentModelIndex
ALL_STATES = "Tất cả tình trạng"


class MatrixModel(QAbstractTableModel):
    """Offices (rows, filtered) × periods (columns); the cell's state as text and colour."""

    def __init__(self) -> None:
        super().__init__()
        self.matrix: Matrix | None = None
        self.rows: list[Any] = []
        self.text_filter = ""
        self.state_filter: CellState | None = None

    def set_matrix(self, matrix: Matrix) -> None:
        self.matrix = matrix
        self.refilter()

    def refilter(self) -> None:
        self.beginResetModel()
        m = self.matrix
        needle = fold(self.text_filter)
        self.rows = []
        for office in m.offices if m else []:
            if needle and needle not in fold(office.name) and needle != fold(office.code or ""):
                continue
            states = {m.state(office.id, p) for p in m.periods}  # type: ignore[union-attr]
            if self.state_filter is not None and self.state_filter not in states:
                continue
            self.rows.append(office)
        self.endResetModel()

    def cell(self, index: Index) -> Cell | None:
        if self.matrix is None or not index.isValid():
            return None
        return self.matrix.cell(self.rows[index.row()].id, self.matrix.periods[index.column()])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.periods)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.matrix is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return parse_period_id(self.matrix.periods[section]).label
        return self.rows[section].name

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        cell = self.cell(index)
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.summary
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor("#" + cell.state.colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.detail
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class ReceivingPage(QWidget):
    """The "Nhận & tổng hợp" page."""

    TITLE = "Nhận & tổng hợp"

    def __init__(self, receiving: Receiving | Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._owned = not isinstance(receiving, Receiving)
        self.receiving = (
            receiving if isinstance(receiving, Receiving) else Receiving.open(receiving)
        )
        self.path = Path(self.receiving.store.path)
        self.job: Job | None = None
        self.last_report: IngestReport | None = None
        self.setAcceptDrops(True)
        self._build()
        self.reload()

    # -- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.ingest_button = QPushButton("Nhận gói từ thư mục…")
        self.ingest_button.clicked.connect(lambda: self.choose_and_ingest())
        self.trust_button = QPushButton("Tin cậy khóa đơn vị…")
        self.trust_button.clicked.connect(self.choose_and_trust)
        self.export_button = QPushButton("Xuất tổng hợp…")
        self.export_button.clicked.connect(lambda: self.export())
        self.period_box = QComboBox()
        self.period_box.currentIndexChanged.connect(self._period_changed)
        top = QHBoxLayout()
        for w in (self.ingest_button, self.trust_button, QLabel("Kỳ:"), self.period_box,
                  self.export_button):  # fmt: skip
            top.addWidget(w)
        top.addStretch(1)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Lọc theo tên đơn vị (không cần dấu)")
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.state_box = QComboBox()
        self.state_box.addItem(ALL_STATES, None)
        for state in CellState:
            self.state_box.addItem(state.label, state)
        self.state_box.currentIndexChanged.connect(self._filter_changed)
        self.counts_label = QLabel()
        self.counts_label.setWordWrap(True)
        self.rejected_button = QPushButton()
        self.rejected_button.setStyleSheet("color: #9C0006; font-weight: bold;")
        self.rejected_button.setFlat(True)
        self.rejected_button.clicked.connect(self.show_rejected)
        filters = QHBoxLayout()
        filters.addWidget(self.filter_edit, 2)
        filters.addWidget(self.state_box, 1)
        counts = QHBoxLayout()  # its own line: long counts never widen the page
        counts.addWidget(self.counts_label, 1)
        counts.addWidget(self.rejected_button)

        self.model = MatrixModel()
        self.matrix_view = QTableView()
        self.matrix_view.setModel(self.model)
        self.matrix_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix_view.selectionModel().currentChanged.connect(self._cell_selected)
        self.matrix_view.doubleClicked.connect(self._open_cell)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Chọn một ô để xem chi tiết gói báo cáo.")
        split = QSplitter()
        split.addWidget(self.matrix_view)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([900, 260])
        matrix_tab = QWidget()
        lay = QVBoxLayout(matrix_tab)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(filters)
        lay.addLayout(counts)
        lay.addWidget(split, 1)  # the matrix takes the height

        self.indicator_box = QComboBox()
        # Long indicator names must not widen the page past a 1366 px screen.
        self.indicator_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.indicator_box.setMinimumContentsLength(40)
        self.indicator_box.currentIndexChanged.connect(self._show_indicator)
        self.indicator_table = _table(["Đơn vị", "Giá trị", "Mục tiêu", "Đánh giá"])
        self.indicator_summary = QLabel()
        indicator_tab = QWidget()
        lay = QVBoxLayout(indicator_tab)
        lay.addWidget(self.indicator_box)
        lay.addWidget(self.indicator_table)
        lay.addWidget(self.indicator_summary)

        self.office_box = QComboBox()
        self.office_box.currentIndexChanged.connect(self._show_office)
        self.office_table = _table(["Kỳ", "Lần gửi", "Ngày lập", "Hạn nộp", "Trạng thái", "Lý do"])
        self.office_table.cellDoubleClicked.connect(self._open_history_row)
        office_tab = QWidget()
        lay = QVBoxLayout(office_tab)
        lay.addWidget(self.office_box)
        lay.addWidget(self.office_table)

        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.rejected_table = _table(["Tệp", "Đơn vị", "Kỳ", "Ngày nhận", "Lý do từ chối"])
        self.rejected_table.horizontalHeader().setSectionResizeMode(
            4, QHeaderView.ResizeMode.Stretch
        )
        from .trusted_keys import TrustedKeysTab

        self.keys_tab = TrustedKeysTab(self.receiving, self.reload)
        self.tabs = QTabWidget()
        self.tabs.addTab(matrix_tab, "Tình hình nộp báo cáo")
        self.tabs.addTab(indicator_tab, "Chỉ tiêu theo đơn vị")
        self.tabs.addTab(office_tab, "Lịch sử đơn vị")
        self.tabs.addTab(self.rejected_table, "Gói bị từ chối")
        self.tabs.addTab(self.keys_tab, "Khóa tin cậy")
        self.tabs.addTab(self.log, "Nhật ký nhận gói")
        self.indicator_tab = indicator_tab
        self.consolidation: Consolidation | None = None
        self._consolidated: str | None = None  # the period the indicator tab shows
        self.tabs.currentChanged.connect(lambda _i: self._show_consolidation())
        self.status_label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

    # -- data -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the matrix and lists (after an ingest or a trust)."""
        matrix = open_matrix(self.receiving)
        self.model.set_matrix(matrix)
        current = self.selected_period()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for pid in reversed(matrix.periods):
            self.period_box.addItem(parse_period_id(pid).label, pid)
        if current in matrix.periods:
            self.period_box.setCurrentIndex(self.period_box.findData(current))
        self.period_box.blockSignals(False)
        self.office_box.blockSignals(True)
        self.office_box.clear()
        for office in matrix.offices:
            self.office_box.addItem(office.name, office.id)
        self.office_box.blockSignals(False)
        self._update_counts()
        self._period_changed()
        self._show_office()
        self._show_rejected_list()
        self.keys_tab.reload()

    def selected_period(self) -> str | None:
        return self.period_box.currentData()

    def _update_counts(self) -> None:
        pid, m = self.selected_period(), self.model.matrix
        if not pid or m is None:
            self.counts_label.setText("Chưa nhận gói báo cáo nào.")
            return
        counts = m.counts(pid)
        self.counts_label.setText(
            f"{parse_period_id(pid).label}: "
            + ", ".join(f"{s.label.lower()} {counts[s]}" for s in CellState)
        )

    def _show_rejected_list(self) -> None:
        """Every rejected package (file, office, period, reason), and the flag on the matrix."""
        self.rejected = rejected_packages(self.receiving)
        self.rejected_table.setRowCount(len(self.rejected))
        for r, p in enumerate(self.rejected):
            period = _period_label(p.period_id)
            values = [p.file_name, p.office_name or "", period,
                      shown_date(p.received_at), p.reason or p.status.label]  # fmt: skip
            for col, text in enumerate(values):
                self.rejected_table.setItem(r, col, QTableWidgetItem(text))
        count = len(self.rejected)
        self.rejected_button.setVisible(count > 0)
        self.rejected_button.setText(f"⚠ {count} gói bị từ chối — xem danh sách")

    def show_rejected(self) -> None:
        self.tabs.setCurrentWidget(self.rejected_table)

    def _filter_changed(self) -> None:
        self.model.text_filter = self.filter_edit.text()
        self.model.state_filter = self.state_box.currentData()
        self.model.refilter()

    def _cell_selected(self, index: QModelIndex) -> None:
        cell = self.model.cell(index)
        self.detail.setPlainText(cell.detail if cell else "")

    def _period_changed(self) -> None:
        self._update_counts()
        self._consolidated = None
        self._show_consolidation()

    def _show_consolidation(self) -> None:
        """The indicator tab's consolidation, computed when that tab is shown (it reads every
        office's values: seconds for a whole country, which the matrix must not wait for)."""
        pid = self.selected_period()
        if self.tabs.currentWidget() is not self.indicator_tab or self._consolidated == pid:
            return
        self._consolidated = pid
        self.consolidation = consolidate(self.receiving, pid) if pid else None
        self.indicator_box.blockSignals(True)
        self.indicator_box.clear()
        for summary in self.consolidation.indicators if self.consolidation else []:
            self.indicator_box.addItem(f"{summary.ref.code}. {summary.ref.name}")
        self.indicator_box.blockSignals(False)
        self._show_indicator()

    def _show_indicator(self) -> None:
        c, i = self.consolidation, self.indicator_box.currentIndex()
        self.indicator_table.setRowCount(0)
        if c is None or i < 0:
            self.indicator_summary.setText("")
            return
        summary = c.indicators[i]
        from ..models.plan import Indicator

        shape = Indicator("", "", kind=summary.ref.kind)
        rows = [(o, summary.values.get(o.id)) for o, _p in c.reported]
        self.indicator_table.setRowCount(len(rows))
        for r, (office, item) in enumerate(rows):
            values = [office.name, format_value(shape, item.value) if item else "",
                      item.target_text if item else "", item.assessment.label if item else ""]  # fmt: skip
            for col, text in enumerate(values):
                self.indicator_table.setItem(r, col, QTableWidgetItem(text))
        spread = [format_value(shape, v) if v is not None else "—"
                  for v in (summary.minimum, summary.median, summary.maximum)]  # fmt: skip
        self.indicator_summary.setText(
            f"{summary.reported}/{len(c.reported)} đơn vị có số liệu; {summary.met} đơn vị đạt, "
            f"vượt mục tiêu; nhỏ nhất {spread[0]}, trung vị {spread[1]}, lớn nhất {spread[2]}."
        )

    def _show_office(self) -> None:
        office_id = self.office_box.currentData()
        packages = self.receiving.packages(office_id=office_id) if office_id is not None else []
        self.history = list(reversed(packages))
        self.office_table.setRowCount(len(self.history))
        for r, p in enumerate(self.history):
            timing = "" if p.late is None else (" — trễ hạn" if p.late else " — đúng hạn")
            if p.is_correction:
                timing += f" — bổ sung, điều chỉnh lần gửi {p.corrects}"
            values = [p.period_id or "", str(p.sequence or ""), shown_date(p.created_at),
                      shown_date(p.due), p.status.label + (timing if p.status.valid else ""),
                      "" if p.status.valid else (p.reason or "")]  # fmt: skip
            for col, text in enumerate(values):
                self.office_table.setItem(r, col, QTableWidgetItem(text))

    # -- opening a package's PDF --------------------------------------------------------------
    def _open_cell(self, index: QModelIndex) -> None:
        cell = self.model.cell(index)
        if cell is None:
            return
        package = cell.accepted or next(iter(cell.packages), None)
        if package is None:
            messages.show_info(self, cell.detail)
            return
        self.open_pdf(package)

    def _open_history_row(self, row: int, _column: int) -> None:
        if 0 <= row < len(self.history):
            self.open_pdf(self.history[row])

    def open_pdf(self, package: ReceivedPackage) -> Path | None:
        if not package.status.valid:
            messages.show_error(self, f"Gói {package.file_name} bị từ chối: {package.reason}")
            return None
        try:
            pdf = extract_report_pdf(package, user_data_dir() / "received-reports")
        except UserError as exc:
            messages.show_error(self, exc.message)
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
        return pdf

    # -- actions --------------------------------------------------------------------------------
    def choose_and_ingest(self, sources: list[Path] | None = None) -> Job | None:
        if sources is None:
            folder = messages.choose_folder(
                self, "Chọn thư mục chứa các gói báo cáo (USB, thư mục tải về)"
            )
            if folder is None:
                return None
            sources = [folder]
        return self.ingest(sources)

    def ingest(self, sources: list[Path]) -> Job | None:
        """Ingest off the GUI thread with a progress dialog; the page reloads when done."""
        if self.job is not None and self.job.running:
            return None
        path = self.path

        def work(progress: Progress, cancel: threading.Event) -> object:
            return receive_ops.ingest_packages(path, sources, progress, cancel)

        self.job = start_job(self, "Đang nhận gói báo cáo", work, self._ingested,
                             lambda text: messages.show_error(self, text),
                             on_cancel=lambda kept: self._ingested(kept) if kept is not None else None)  # fmt: skip
        return self.job

    def _ingested(self, report: IngestReport) -> None:
        self.last_report = report
        lines = [line.text() for line in report.lines] + [report.summary()]
        self.log.setPlainText("\n".join(lines))
        self.reload()

    def choose_and_trust(self, files: list[Path] | None = None) -> int:
        """Trust key files one by one: each shows its fingerprint first, asks whose key it is
        and trusts only after the phone check; the number trusted."""
        if files is None:
            files = messages.choose_open_files(
                self, "Chọn tệp khóa đơn vị (.office-key.json) hoặc khóa công khai (.pub.pem)",
                "Tệp khóa (*.office-key.json *.pem)",
            )  # fmt: skip
        trusted = 0
        for path in files or []:
            if self.trust_key_file(Path(path)):
                trusted += 1
        if trusted:
            self.reload()
        return trusted

    def trust_key_file(self, path: Path) -> bool:
        """One key: the fingerprint read from the file, the office, the confirmation, then
        `receive.trust_keys` with that office and that fingerprint (as `receive trust
        --office … --fingerprint …` does)."""
        from . import trust_dialog

        try:
            key = receive_ops.read_key_file(path)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        office = trust_dialog.ask_trust(self, key, self.receiving.offices())
        if office is None:
            return False
        try:
            keys = receive_ops.trust_keys(self.receiving, [path], office, [key.fingerprint]).result
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self.status_label.setText(f"Đã tin cậy khóa {keys[0].fingerprint} của {office}.")
        return True

    def export(self, out: Path | None = None) -> Job | None:
        """The consolidated xlsx of the chosen period, and the PDF summary beside it."""
        pid = self.selected_period()
        if pid is None:
            messages.show_error(self, "Chưa có kỳ báo cáo nào để tổng hợp.")
            return None
        if out is None:
            out = messages.choose_save_file(self, "Lưu bảng tổng hợp", f"tong-hop-{pid}.xlsx",
                                            "Bảng tính Excel (*.xlsx)")  # fmt: skip
            if out is None:
                return None
        path, target = self.path, Path(out)
        request = ask_consolidation_issue(
            self, path, pid, target, self.receiving.store.plan.office(), None
        )
        if request is None:
            return None

        def work(progress: Progress, cancel: threading.Event) -> object:
            return receive_ops.export_consolidation(
                path, pid, target, target.with_suffix(".pdf"), progress, cancel, request.issuing()
            )

        self.job = start_job(self, "Đang xuất tổng hợp", work,
                             lambda f: messages.show_info(self, f"Đã ghi {f.xlsx} và {f.pdf}."),
                             lambda text: messages.show_error(self, text))  # fmt: skip
        return self.job

    # -- drag and drop ----------------------------------------------------------------------------
    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.ingest(paths)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        if self._owned:
            self.receiving.close()
        super().closeEvent(event)


def _period_label(period_id: str | None) -> str:
    """ "Quý I/2026" for a package's period; a rejected package may name none or a bad one."""
    if not period_id:
        return ""
    try:
        return parse_period_id(period_id).label
    except (UserError, ValueError):
        return period_id


def _table(labels: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(labels))
    table.setHorizontalHeaderLabels(labels)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table
