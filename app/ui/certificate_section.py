"""Cài đặt › Chứng thư số: which certificate signs the report PDF (PAdES) at export.

The choice is made once here and kept in the settings (a .p12/.pfx file, or a USB
token's PKCS#11 library and label); the passphrase or PIN is asked at each export
and never stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ..operations.package import CertificateKind, PdfCertificate
from ..settings import Settings
from . import messages

CHOICES = (
    ("", "Không ký số báo cáo PDF (chỉ ký gói bằng khóa của đơn vị)"),
    (CertificateKind.PKCS12.value, "Tệp chứng thư số (.p12, .pfx)"),
    (CertificateKind.PKCS11.value, "Thiết bị ký số (USB token, PKCS#11)"),
)


def pdf_certificate(settings: Settings) -> PdfCertificate | None:
    """The certificate chosen in Cài đặt, or None when the PDF is not signed."""
    kind = settings.pdf_certificate
    if kind == CertificateKind.PKCS12.value and settings.pdf_p12_path:
        return PdfCertificate(CertificateKind.PKCS12, path=Path(settings.pdf_p12_path))
    if kind == CertificateKind.PKCS11.value and settings.pkcs11_library:
        return PdfCertificate(
            CertificateKind.PKCS11,
            library=settings.pkcs11_library,
            token_label=settings.pkcs11_token or None,
        )
    return None


class CertificateSection(QGroupBox):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Chứng thư số ký báo cáo PDF", parent)
        self.settings = settings
        self.kind = QComboBox()
        for value, label in CHOICES:
            self.kind.addItem(label, value)
        self.kind.setCurrentIndex(max(self.kind.findData(settings.pdf_certificate), 0))
        self.p12_path = QLineEdit(settings.pdf_p12_path)
        self.p12_path.setPlaceholderText(
            "Tệp .p12 hoặc .pfx do tổ chức cung cấp dịch vụ chứng thực cấp"
        )
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(lambda: self.choose_p12())
        p12_row = QHBoxLayout()
        p12_row.addWidget(self.p12_path, 1)
        p12_row.addWidget(browse)
        self.library = QLineEdit(settings.pkcs11_library)
        self.library.setPlaceholderText("Ví dụ: C:\\Windows\\System32\\vnpt-ca_csp11.dll")
        self.token = QLineEdit(settings.pkcs11_token)
        hint = QLabel(
            "Mật khẩu tệp hoặc mã PIN được hỏi mỗi lần xuất gói và không được lưu lại. "
            "Chữ ký số nằm trong khối chữ ký của báo cáo PDF."
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        form = QFormLayout(self)
        form.addRow("Cách ký:", self.kind)
        form.addRow("Tệp chứng thư số:", p12_row)
        form.addRow("Thư viện PKCS#11:", self.library)
        form.addRow("Tên thiết bị:", self.token)
        form.addRow(hint)
        self.kind.currentIndexChanged.connect(lambda _i: self.save())
        for edit in (self.p12_path, self.library, self.token):
            edit.editingFinished.connect(self.save)
        self._enable()

    def _enable(self) -> None:
        kind = self.kind.currentData()
        self.p12_path.setEnabled(kind == CertificateKind.PKCS12.value)
        self.library.setEnabled(kind == CertificateKind.PKCS11.value)
        self.token.setEnabled(kind == CertificateKind.PKCS11.value)

    def choose_p12(self) -> Path | None:
        path = messages.choose_open_file(
            self, "Chọn tệp chứng thư số", "Chứng thư số (*.p12 *.pfx)", self.p12_path.text()
        )
        if path is not None:
            self.p12_path.setText(str(path))
            self.kind.setCurrentIndex(self.kind.findData(CertificateKind.PKCS12.value))
            self.save()
        return path

    def save(self) -> None:
        self.settings.set("pdf_certificate", self.kind.currentData() or "")
        self.settings.set("pdf_p12_path", self.p12_path.text().strip())
        self.settings.set("pkcs11_library", self.library.text().strip())
        self.settings.set("pkcs11_token", self.token.text().strip())
        self.settings.save()
        self._enable()
