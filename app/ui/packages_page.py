"""Gói báo cáo: export the period's signed package, list what was exported, copy to USB.

The export runs in a worker with its own Store and the key loaded there from
the passphrase the user typed; progress comes back as (done, total, label)
and cancelling is safe (the package is written to a temporary file first).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..models.outgoing import Outgoing, OutgoingSummary
from ..models.package_records import PackageRecord
from ..operations import package as package_ops
from ..operations import period as period_ops
from ..operations.package import CertificateKind, PdfCertificate
from ..packages.export import DocumentUnfinished, ExportResult
from ..settings import Settings
from . import messages
from .certificate_section import org_certificate, pdf_certificate
from .issue_dialog import IssueDialog, ask_issue
from .key_section import key_path
from .list_model import ListTableModel
from .removable import removable_drives
from .report_export import save_report
from .session import Session
from .unfinished import take_to_unfinished
from .workers import Job, Progress, start_job

Index = QModelIndex | QPersistentModelIndex


class PackageListModel(ListTableModel):
    HEADERS = ("Kỳ báo cáo", "Lần", "Tệp gói", "Thời gian xuất", "Mã băm SHA-256", "Mã khóa ký")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.records: list[PackageRecord] = []
        self.labels: dict[str, str] = {}
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.records = list(reversed(self.session.store.packages.exported_packages()))
        self.labels = {
            r.period_id: self.session.store.period(r.period_id).label for r in self.records
        }
        self.endResetModel()

    def items(self) -> list:
        return self.records

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return [
                self.labels.get(r.period_id, r.period_id),
                str(r.sequence),
                r.path.name,
                r.created_at.replace("T", " ")[:16],
                r.sha256[:16] + "…",
                r.fingerprint[:19] + "…",
            ][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return [str(r.path), "", str(r.path), r.created_at, r.sha256, r.fingerprint][
                index.column()
            ]
        return None


class PackagesPage(QWidget):
    def __init__(self, session: Session, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        self.job: Job | None = None
        title = QLabel("<b>Gói báo cáo</b>")
        title.setObjectName("pageTitle")
        hint = QLabel(
            "Gói báo cáo gồm báo cáo PDF, Excel, dữ liệu, tệp minh chứng và chữ ký của đơn vị; "
            "chép gói vào ổ USB hoặc gửi qua thư điện tử cho cơ quan nhận báo cáo."
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.period_combo = QComboBox()
        self.export_button = QPushButton("Ký và xuất gói báo cáo…  (Ctrl+E)")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(lambda: self.export_current())
        pdf_button = QPushButton("Chỉ lưu báo cáo PDF…")
        pdf_button.clicked.connect(lambda: self.save_report("pdf"))
        xlsx_button = QPushButton("Chỉ lưu báo cáo Excel…")
        xlsx_button.clicked.connect(lambda: self.save_report("xlsx"))
        row = QHBoxLayout()
        row.addWidget(QLabel("Kỳ:"))
        row.addWidget(self.period_combo)
        row.addWidget(self.export_button)
        row.addWidget(pdf_button)
        row.addWidget(xlsx_button)
        row.addStretch(1)
        self.period_state = QLabel("")  # the selected period's state and completeness
        self.period_state.setObjectName("periodReadiness")
        self.period_state.setWordWrap(True)

        self.model = PackageListModel(session)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        open_button = QPushButton("Mở thư mục chứa gói")
        open_button.clicked.connect(self.open_folder)
        self.usb_button = QPushButton("Chép vào ổ USB")
        self.usb_button.clicked.connect(lambda: self.copy_to_removable())
        below = QHBoxLayout()
        below.addWidget(open_button)
        below.addWidget(self.usb_button)
        below.addStretch(1)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(self.period_state)
        layout.addWidget(QLabel("<b>Các gói đã xuất</b>"))
        layout.addWidget(self.table, 1)
        layout.addLayout(below)
        layout.addWidget(self.status)
        self._fill_periods()
        session.storeReplaced.connect(self._reloaded)
        session.planChanged.connect(self._fill_periods)
        self.period_combo.currentIndexChanged.connect(lambda _row: self.show_readiness())
        session.entriesChanged.connect(lambda _period: self.show_readiness())
        self.show_readiness()

    def readiness(self) -> OutgoingSummary | None:
        period_id = self.selected_period()
        if period_id is None:
            return None
        period = self.session.period(period_id)
        return period_ops.outgoing(self.session.store, period, Outgoing.EXPORT)

    def show_readiness(self) -> None:
        """Beside the button: the selected period's state and completeness, and whether the
        export would be refused (the same gate as closing)."""
        summary = self.readiness()
        if summary is None:
            self.period_state.setText("")
            return
        c = summary.check.completeness
        text = f"Kỳ {summary.period_label}: <b>{summary.state.label}</b> — {c.text()}."
        if summary.blocked:
            text += (
                f" <span style='color:#a8231a'>Chưa xuất được: {len(summary.errors)} lỗi, "
                f"{len(summary.unexplained)} cảnh báo chưa giải trình.</span>"
            )
        self.period_state.setText(text)

    def showEvent(self, event) -> None:  # noqa: ANN001, N802 (Qt override)
        self.show_readiness()
        super().showEvent(event)

    def _fill_periods(self) -> None:
        self.period_combo.clear()
        current = self.session.current_period()
        for period in reversed(self.session.periods()):
            self.period_combo.addItem(period.label, period.id)
        if current is not None:
            self.period_combo.setCurrentIndex(max(self.period_combo.findData(current.id), 0))
        drives = removable_drives()
        self.usb_button.setEnabled(bool(drives))
        self.usb_button.setToolTip(
            "Chép gói đang chọn vào " + ", ".join(map(str, drives))
            if drives
            else "Chưa thấy ổ USB nào."
        )

    def _reloaded(self) -> None:
        self._fill_periods()
        self.model.reload()

    def selected_period(self) -> str | None:
        return self.period_combo.currentData()

    def export_current(self, out_dir: Path | None = None) -> Job | None:
        """Check, ask where, ask the number, date and who signs (IssueDialog), then the
        passphrases, then export in a worker with the same operation as `report export`."""
        period_id = self.selected_period()
        if period_id is None:
            messages.show_error(
                self, "Kế hoạch chưa có kỳ báo cáo nào (xem Cài đặt → Chế độ báo cáo)."
            )
            return None
        summary = self.readiness()
        if summary is not None and summary.blocked:  # closing's gate: nothing asked, nothing sent
            messages.show_error(self, summary.text(), "Chưa xuất được gói báo cáo")
            return None
        if not self.check_document(period_id):
            return None
        private = key_path(self.settings)
        if not private.exists():
            messages.show_error(
                self, "Đơn vị chưa có khóa ký. Hãy tạo khóa ký trong Cài đặt → Khóa ký gói báo cáo."
            )
            return None
        if out_dir is None:
            out_dir = messages.choose_folder(
                self, "Chọn thư mục lưu gói báo cáo", self.settings.last_export_dir
            )
            if out_dir is None:
                return None
        period = self.session.period(period_id)
        summary = period_ops.outgoing(self.session.store, period, Outgoing.EXPORT, Path(out_dir))
        certificate = pdf_certificate(self.settings)
        org = org_certificate(self.settings)
        dialog = IssueDialog(
            self.session.path, summary.text(), self.session.today,
            signer=self.session.store.plan.office().signer_name or "",
            certificate=certificate, org_certificate=org, parent=self,
        )  # fmt: skip
        choice = ask_issue(dialog)
        if choice is None:
            self.status.setText("Chưa xuất: không có tệp nào được ghi.")
            return None
        if not choice.org_signs:
            org = None
        passphrase = messages.ask_passphrase(self, "Nhập mật khẩu khóa ký để ký gói báo cáo:")
        if passphrase is None:
            return None
        secret = self._ask_secret(certificate, "ký số báo cáo PDF")
        org_secret = self._ask_secret(org, "ký số của cơ quan")
        if (certificate and secret is None) or (org and org_secret is None):
            return None
        self.settings.set("last_export_dir", str(out_dir))
        self.settings.save()
        db_path = self.session.path
        target = Path(out_dir)

        def work(progress: Progress, cancel: threading.Event) -> object:
            return package_ops.export_package(
                db_path, period, target, key_path=private, passphrase=passphrase,
                certificate=certificate, certificate_secret=secret,
                org_certificate=org, org_certificate_secret=org_secret,
                today=choice.issue_date, number=choice.number,
                progress=progress, cancel=cancel,
            )  # fmt: skip

        self.job = start_job(
            self, "Xuất gói báo cáo", work, self._exported,
            lambda message: messages.show_error(self, message, "Không xuất được gói báo cáo"),
            cancellable=True, session=self.session,
            on_cancel=lambda _kept: self.status.setText("Đã hủy; không có tệp nào được ghi."),
        )  # fmt: skip
        return self.job

    def check_document(self, period_id: str) -> bool:
        """Nothing unfinished goes out: the core's refusal, then the field to fill."""
        try:
            package_ops.check_document(self.session.path, period_id)
        except DocumentUnfinished as exc:
            messages.show_error(self, exc.message, "Chưa đủ để ban hành")
            take_to_unfinished(self.window(), exc, period_id)
            return False
        return True

    def _ask_secret(self, certificate: PdfCertificate | None, purpose: str) -> str | None:
        if certificate is None:
            return None
        whose = " của cơ quan" if purpose.endswith("cơ quan") else ""
        return messages.ask_passphrase(
            self,
            f"Nhập mật khẩu tệp chứng thư số{whose} (.p12) để {purpose}:"
            if certificate.kind is CertificateKind.PKCS12
            else f"Nhập mã PIN của thiết bị ký số{whose} (USB token) để {purpose}:",
            "Chứng thư số",
        )

    def _exported(self, result: ExportResult) -> None:
        self.model.reload()
        self.status.setText(f"Đã xuất {result.path} (lần {result.sequence}).")
        issued = (
            f"Số văn bản: {result.issued.reference}, ngày {result.issued.issued_on:%d/%m/%Y} "
            "(số tiếp theo trong sổ văn bản đi)\n"
            if result.issued
            else ""
        )
        messages.show_info(
            self,
            f"Đã xuất gói báo cáo:\n{result.path}\n\n{issued}Mã băm SHA-256: {result.sha256}\n"
            f"Mã khóa ký: {result.fingerprint}",
        )

    def save_report(self, kind: str) -> Job | None:
        period_id = self.selected_period()
        if period_id is None:
            return None
        self.job = save_report(
            self, self.session.path, self.session.period(period_id), kind, self.session.today,
            self.settings,
        )  # fmt: skip
        return self.job

    def _selected_record(self) -> PackageRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.records[rows[0].row()]
        return self.model.records[0] if self.model.records else None

    def open_folder(self) -> None:
        record = self._selected_record()
        folder = (
            record.path.parent if record else Path(self.settings.last_export_dir or Path.home())
        )
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def copy_to_removable(self, drive: Path | None = None) -> Job | None:
        record = self._selected_record()
        if record is None:
            messages.show_error(self, "Chưa có gói báo cáo nào để chép.")
            return None
        drives = removable_drives()
        drive = drive or (drives[0] if drives else None)
        if drive is None:
            messages.show_error(self, "Chưa thấy ổ USB nào. Hãy cắm ổ USB rồi thử lại.")
            return None

        def work(progress: Progress, cancel: threading.Event) -> object:
            return package_ops.copy_to_drive(record.path, drive, progress, cancel)

        self.job = start_job(
            self, "Chép vào ổ USB", work, lambda out: self.status.setText(f"Đã chép và kiểm tra {out}."),
            lambda message: messages.show_error(self, message), cancellable=False,
        )  # fmt: skip
        return self.job
