"""Cơ quan, đơn vị: the agencies, their completeness for a period, forms out and back, reminders.

A thin view over operations/agency.py. Writing forms and collecting returned
files run as jobs (workers.start_job) that open their own Store; collecting is
always a dry run first, shown in a preview where each conflict can be ticked
to take the form's value, then applied with exactly those choices.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..agencies.apply import FileResult
from ..agencies.status import AgencyStatus, PeriodAgencies
from ..models.agency import Agency, AgencyKind
from ..models.change import Change
from ..models.errors import UserError
from ..models.period_entries import parse_entry_date
from ..models.periods import Period
from ..models.store import Store
from ..operations import agency as ops
from . import messages
from .focus import exec_dialog
from .list_model import ListTableModel
from .session import Session
from .workers import Job, Progress, start_job

Index = QModelIndex | QPersistentModelIndex


class AgencyStatusModel(ListTableModel):
    HEADERS = ("Cơ quan, đơn vị", "Hình thức", "Người liên hệ", "Điện thoại", "Được giao",
               "Đã có số liệu", "Nhận biểu mẫu, gói", "Tình trạng")  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.status: PeriodAgencies | None = None

    def set_status(self, status: PeriodAgencies | None) -> None:
        self.beginResetModel()
        self.status = status
        self.endResetModel()

    def items(self) -> list[AgencyStatus]:
        return self.status.agencies if self.status else []

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.status is None:
            return None
        s = self.items()[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                s.agency.short_name, s.agency.kind.label, s.agency.contact or "",
                s.agency.phone or "", str(s.assigned), str(s.filled),
                f"{s.returned_on:%d/%m/%Y}" if s.returned_on else "", self.status.state(s),
            ][index.column()]  # fmt: skip
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return s.agency.name
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return self.status.received_text(s) + (f" ({s.package_detail})"
                                                   if s.package_detail else "")  # fmt: skip
        return None


class AgencyDialog(QDialog):
    """The fields of one agency the secretary keeps (contact for reminders, kind)."""

    def __init__(self, agency: Agency, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Cơ quan, đơn vị: {agency.short_name}")
        self.fields = {
            "short_name": QLineEdit(agency.short_name), "name": QLineEdit(agency.name),
            "contact": QLineEdit(agency.contact or ""), "phone": QLineEdit(agency.phone or ""),
            "email": QLineEdit(agency.email or ""),
        }  # fmt: skip
        self.kind = QComboBox()
        for k in AgencyKind:
            self.kind.addItem(k.label, k.value)
        self.kind.setCurrentIndex(self.kind.findData(agency.kind.value))
        form = QFormLayout(self)
        for label, key in (("Tên gọn:", "short_name"), ("Tên đầy đủ:", "name"),
                           ("Người liên hệ:", "contact"), ("Điện thoại:", "phone"),
                           ("Thư điện tử:", "email")):  # fmt: skip
            form.addRow(label, self.fields[key])
        form.addRow("Hình thức báo cáo:", self.kind)
        buttons = QDialogButtonBox()
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {**{k: w.text() for k, w in self.fields.items()}, "kind": self.kind.currentData()}


class CollectPreview(QDialog):
    """What the returned files would do; tick a conflict to take the form's value."""

    def __init__(self, results: list[FileResult], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Xem trước biểu mẫu nhận về")
        self.resize(900, 600)
        text = QPlainTextEdit()
        text.setReadOnly(True)
        text.setPlainText(preview_text(results))
        self.conflicts = QListWidget()
        for r in results:
            for c in r.conflicts:
                item = QListWidgetItem(f"{r.file_name} — {c.text()}")
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, (r.file_name, c.where))
                self.conflicts.addItem(item)
        buttons = QDialogButtonBox()
        buttons.addButton("Ghi vào tệp dữ liệu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text, 3)
        if self.conflicts.count():
            layout.addWidget(QLabel("Khác số liệu đã có — đánh dấu mục muốn thay bằng số liệu "
                                    "của biểu mẫu (không đánh dấu: giữ số liệu đã có):"))  # fmt: skip
            layout.addWidget(self.conflicts, 2)
        layout.addWidget(buttons)

    def replacing(self) -> set[tuple[str, str]]:
        out = set()
        for i in range(self.conflicts.count()):
            item = self.conflicts.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.add(tuple(item.data(Qt.ItemDataRole.UserRole)))
        return out


def preview_text(results: list[FileResult]) -> str:
    lines = []
    for r in results:
        if r.refused:
            lines.append(f"Tệp {r.file_name}: không đọc — {r.refused}")
            continue
        lines.append(f"Tệp {r.file_name}: {r.agency}")
        lines += [f"  Sẽ ghi: {x}" for x in r.written]
        lines += [f"  Khác số liệu đã có: {c.text()}" for c in r.conflicts]
        lines += [f"  Lỗi: {x}" for x in r.problems]
        lines += [f"  Lưu ý: {x}" for x in r.notices]
    return "\n".join(lines) or "Không có tệp nào."


class AgenciesPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.job: Job | None = None
        self.last_results: list[FileResult] = []
        title = QLabel("<b>Cơ quan, đơn vị</b>")
        title.setObjectName("pageTitle")
        hint = QLabel(
            "Gửi mỗi cơ quan, đơn vị một biểu mẫu Excel gồm các chỉ tiêu, nhiệm vụ của đơn vị; "
            "nhận lại tệp đã điền, xem trước và ghi; theo dõi đơn vị nào còn thiếu để nhắc."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.period_combo = QComboBox()
        for p in session.periods():
            self.period_combo.addItem(f"{p.label} ({p.id})", p.id)
        current = session.current_period()
        if current is not None and (i := self.period_combo.findData(current.id)) >= 0:
            self.period_combo.setCurrentIndex(i)
        self.period_combo.currentIndexChanged.connect(self.reload)
        self.due = QLabel()
        self.due.setObjectName("muted")
        build = QPushButton("Lập danh sách từ kế hoạch…")
        build.clicked.connect(lambda: self.build_list())
        self.forms_button = QPushButton("Lập biểu mẫu…")
        self.forms_button.clicked.connect(lambda: self.make_forms())
        self.collect_button = QPushButton("Nhận biểu mẫu đã điền…")
        self.collect_button.clicked.connect(lambda: self.collect())
        self.remind_button = QPushButton("Chép lời nhắc")
        self.remind_button.clicked.connect(self.copy_reminder)
        edit = QPushButton("Sửa thông tin…")
        edit.clicked.connect(lambda: self.edit_selected())
        due = QPushButton("Hạn riêng của kỳ…")
        due.clicked.connect(lambda: self.set_due())
        receiving = QPushButton("Tệp tiếp nhận gói…")
        receiving.setToolTip("Tệp dữ liệu tiếp nhận, nơi nhận gói báo cáo có ký số của các đơn vị "
                             "gửi gói (phường, xã dùng phần mềm)")  # fmt: skip
        receiving.clicked.connect(lambda: self.link_receiving())
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ:"))
        top.addWidget(self.period_combo)
        for b in (build, self.forms_button, self.collect_button, self.remind_button, edit, due,
                  receiving):  # fmt: skip
            top.addWidget(b)
        top.addStretch(1)
        self.model = AgencyStatusModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.summary = QLabel()  # "8/10 đã gửi …; 2 trễ hạn: …" (the core's words)
        self.summary.setObjectName("agencySummary")
        self.summary.setWordWrap(True)
        self.receiving = QLabel()
        self.receiving.setObjectName("muted")
        self.receiving.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (title, hint):
            layout.addWidget(w)
        layout.addLayout(top)
        layout.addWidget(self.due)
        layout.addWidget(self.summary)
        layout.addWidget(self.receiving)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        session.changed.connect(self._changed)
        self.reload()

    # -- reading --------------------------------------------------------------------
    def period(self) -> Period | None:
        pid = self.period_combo.currentData()
        return self.session.period(pid) if pid else None

    def select_period(self, period_id: str) -> None:
        """Show `period_id` (from Tổng quan or a period's entry screen)."""
        if (i := self.period_combo.findData(period_id)) >= 0:
            self.period_combo.setCurrentIndex(i)

    def reload(self) -> None:
        period = self.period()
        if period is None:
            self.model.set_status(None)
            return
        status = ops.agency_status(self.session.store, period, self.session.today)
        chosen = self.selected()
        self.model.set_status(status)
        if chosen is not None:  # the same agency stays selected after an edit
            ids = [s.agency.id for s in status.agencies]
            if chosen.agency.id in ids:
                self.table.selectRow(ids.index(chosen.agency.id))
        self.due.setText(f"Hạn của cơ quan, đơn vị: {status.due.text}; hạn báo cáo của đơn vị: "
                         f"{status.due.office_text}.")  # fmt: skip
        self.summary.setText(status.summary_text())
        linked = self.session.store.agencies.receiving_file()
        packages = any(a.agency.kind is AgencyKind.PACKAGE for a in status.agencies)
        self.receiving.setText(
            status.receiving_note or (f"Gói báo cáo của các đơn vị gửi gói được đọc từ tệp "
                                      f"tiếp nhận {linked}." if linked else
                                      "Chưa liên kết tệp tiếp nhận: các đơn vị gửi gói báo cáo "
                                      "được tính theo số liệu đã có." if packages else "")
        )  # fmt: skip
        if not status.agencies:
            self.status.setText(
                "Chưa có danh sách cơ quan, đơn vị: bấm “Lập danh sách từ kế hoạch”."
            )

    def _changed(self, change: Change) -> None:
        self.reload()

    def selected(self) -> AgencyStatus | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.items()[rows[0].row()] if rows else None

    # -- actions --------------------------------------------------------------------
    def build_list(self) -> None:
        proposal = ops.propose_agencies(self.session.store)
        if not proposal.agencies:
            messages.show_info(self, "Không có cơ quan, đơn vị mới nào trong kế hoạch.")
            return
        merge = False
        if proposal.merges():
            listing = "\n".join(f"• {' | '.join(g.wordings)} → {g.name}" for g in proposal.merges())
            merge = messages.confirm(
                self, "Gộp tên gần giống",
                f"Các cách ghi sau có vẻ là cùng một cơ quan, đơn vị:\n{listing}\n\n"
                "Gộp mỗi nhóm thành một cơ quan, đơn vị? (Không: giữ riêng từng cách ghi; có "
                "thể gộp sau.)",
            )  # fmt: skip
        made = self.session.run(lambda store: ops.build_agencies(store, merge)).result
        self.status.setText(f"Đã lập {len(made)} cơ quan, đơn vị.")

    def make_forms(self, folder: Path | None = None) -> Job | None:
        period = self.period()
        if period is None:
            return None
        folder = folder or messages.choose_folder(self, "Chọn thư mục (hoặc ổ USB) ghi biểu mẫu")
        if folder is None:
            return None
        db = self.session.path
        target = Path(folder)

        def work(progress: Progress, cancel: threading.Event) -> object:
            with Store.open(db) as store:
                return ops.write_forms(store, period, target, progress=progress, cancel=cancel)

        self.job = start_job(
            self, "Đang lập biểu mẫu", work,
            lambda written: self.status.setText(f"Đã lập {len(written)} biểu mẫu trong {target}."),
            lambda message: messages.show_error(self, message, "Không lập được biểu mẫu"),
            session=self.session,
        )  # fmt: skip
        return self.job

    def collect(self, files: list[Path] | None = None) -> Job | None:
        """A dry run of the files chosen, then the preview; applied only when confirmed."""
        period = self.period()
        if period is None:
            return None
        files = files or messages.choose_open_files(
            self, "Chọn các tệp biểu mẫu đã điền", "Bảng tính Excel (*.xlsx)"
        )
        if not files:
            return None
        db, today = self.session.path, self.session.today

        def work(progress: Progress, cancel: threading.Event) -> object:
            with Store.open(db) as store:
                return ops.collect_forms(store, period, files, dry_run=True, received_on=today,
                                         progress=progress, cancel=cancel)  # fmt: skip

        self.job = start_job(
            self, "Đang đọc biểu mẫu", work, lambda results: self._previewed(files, results),
            lambda message: messages.show_error(self, message, "Không đọc được biểu mẫu"),
            session=self.session,
        )  # fmt: skip
        return self.job

    def ask_preview(self, dialog: CollectPreview) -> bool:
        return exec_dialog(dialog) == QDialog.DialogCode.Accepted

    def _previewed(self, files: list[Path], results: list[FileResult]) -> None:
        dialog = CollectPreview(results, self)
        if not self.ask_preview(dialog):
            self.status.setText("Đã hủy; chưa ghi gì.")
            return
        replacing = dialog.replacing()
        period = self.period()
        assert period is not None
        db, today = self.session.path, self.session.today

        def work(progress: Progress, cancel: threading.Event) -> object:
            with Store.open(db) as store:
                return ops.collect_forms(store, period, files, replace=replacing,
                                         received_on=today, progress=progress)  # fmt: skip

        self.job = start_job(
            self, "Đang ghi số liệu từ biểu mẫu", work, self._collected,
            lambda message: messages.show_error(self, message, "Không ghi được số liệu"),
            cancellable=False, session=self.session,
        )  # fmt: skip

    def _collected(self, results: list[FileResult]) -> None:
        self.last_results = results
        written = sum(len(r.written) for r in results)
        problems = sum(len(r.problems) for r in results) + sum(1 for r in results if r.refused)
        self.status.setText(f"Đã ghi {written} mục từ {sum(1 for r in results if r.applied)} "
                            f"tệp; {problems} lỗi.")  # fmt: skip
        self.reload()

    def edit_selected(self, values: dict[str, str] | None = None) -> bool:
        """Short name, full name, contact, phone, email and kind of the selected agency."""
        s = self.selected()
        if s is None:
            messages.show_info(self, "Chọn một cơ quan, đơn vị trong bảng.")
            return False
        if values is None:
            dialog = AgencyDialog(s.agency, self)
            if exec_dialog(dialog) != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        name = s.agency.short_name
        try:
            self.session.run(lambda store: ops.update_agency(store, name, **values))
        except UserError as exc:
            messages.show_error(self, exc.message, "Không lưu được")
            return False
        return True

    def set_due(self, text: str | None = None) -> bool:
        """The agencies' due date of this period, apart from the office's (empty: the rule)."""
        period = self.period()
        if period is None:
            return False
        if text is None:
            text = messages.ask_text(self, "Hạn của cơ quan, đơn vị",
                                     f"Hạn chót các cơ quan, đơn vị gửi báo cáo kỳ {period.label} "
                                     "(ngày/tháng/năm; để trống: theo kế hoạch):")  # fmt: skip
            if text is None:
                return False
        try:
            due = parse_entry_date(text)
            self.session.run(lambda store: ops.set_agency_due(store, period, due))
        except UserError as exc:
            messages.show_error(self, exc.message, "Không đặt được hạn")
            return False
        self.reload()
        return True

    def link_receiving(self, path: Path | None = None) -> bool:
        """Link the receiving data file where the package agencies' packages are ingested."""
        if path is None:
            path = messages.choose_open_file(self, "Chọn tệp dữ liệu tiếp nhận gói báo cáo",
                                             "Tệp dữ liệu (*.sqlite *.db)")  # fmt: skip
            if path is None:
                return False
        try:
            self.session.run(lambda store: ops.link_receiving_file(store, path))
        except UserError as exc:
            messages.show_error(self, exc.message, "Không liên kết được")
            return False
        self.reload()
        return True

    def copy_reminder(self) -> str | None:
        s = self.selected()
        status = self.model.status
        if s is None or status is None:
            messages.show_info(self, "Chọn một cơ quan, đơn vị trong bảng.")
            return None
        if not s.owes:
            messages.show_info(self, f"{s.agency.short_name} không còn thiếu mục nào.")
            return None
        text = status.reminder(s)
        QGuiApplication.clipboard().setText(text)
        self.status.setText(f"Đã chép lời nhắc cho {s.agency.short_name}; dán vào Zalo hoặc thư.")
        return text
