"""Cài đặt › Chứng thư số: which certificates sign the report PDF (PAdES) at export.

Two sections of the same kind: the signer's certificate (the person who signs)
and the organisation's (the office's seal). Each choice is made once here and
kept in the settings (a .p12/.pfx file, or a USB token's PKCS#11 library and
label); the passphrase or PIN is asked at each export and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class CertificateOptions:
    """The settings names one certificate is kept under, and how the window names it."""

    title: str
    kind: str
    p12_path: str
    library: str
    token: str
    none_label: str
    hint: str


SIGNER = CertificateOptions(
    "Chứng thư số ký báo cáo PDF", "pdf_certificate", "pdf_p12_path", "pkcs11_library",
    "pkcs11_token", "Không ký số báo cáo PDF (chỉ ký gói bằng khóa của đơn vị)",
    "Mật khẩu tệp hoặc mã PIN được hỏi mỗi lần xuất gói và không được lưu lại. "
    "Chữ ký số nằm trong khối chữ ký của báo cáo PDF.",
)  # fmt: skip
ORGANISATION = CertificateOptions(
    "Chứng thư số của cơ quan (ký kèm con dấu)", "org_certificate", "org_p12_path",
    "org_pkcs11_library", "org_pkcs11_token",
    "Không có chứng thư số của cơ quan (báo cáo chỉ có chữ ký của người ký)",
    "Chữ ký số của cơ quan được ký sau chữ ký của người ký, với hình con dấu đè lên khoảng "
    "một phần ba chữ ký. Mật khẩu hoặc mã PIN được hỏi mỗi lần xuất và không được lưu lại.",
)  # fmt: skip


def _choices(options: CertificateOptions) -> tuple[tuple[str, str], ...]:
    return (
        ("", options.none_label),
        (CertificateKind.PKCS12.value, "Tệp chứng thư số (.p12, .pfx)"),
        (CertificateKind.PKCS11.value, "Thiết bị ký số (USB token, PKCS#11)"),
    )


def configured_certificate(
    settings: Settings, options: CertificateOptions
) -> PdfCertificate | None:
    """The certificate chosen in Cài đặt under `options`, or None when there is none."""
    kind = getattr(settings, options.kind)
    if kind == CertificateKind.PKCS12.value and getattr(settings, options.p12_path):
        return PdfCertificate(
            CertificateKind.PKCS12, path=Path(getattr(settings, options.p12_path))
        )
    if kind == CertificateKind.PKCS11.value and getattr(settings, options.library):
        return PdfCertificate(
            CertificateKind.PKCS11,
            library=getattr(settings, options.library),
            token_label=getattr(settings, options.token) or None,
        )
    return None


def pdf_certificate(settings: Settings) -> PdfCertificate | None:
    """The signer's certificate chosen in Cài đặt, or None when the PDF is not signed."""
    return configured_certificate(settings, SIGNER)


def org_certificate(settings: Settings) -> PdfCertificate | None:
    """The organisation's certificate chosen in Cài đặt, or None when the office has none."""
    return configured_certificate(settings, ORGANISATION)


def describe(certificate: PdfCertificate) -> str:
    """ "tệp co-quan.p12" or "thiết bị ký số VNPT-CA": how the export dialog names it."""
    if certificate.kind is CertificateKind.PKCS12:
        return f"tệp {certificate.path.name if certificate.path else ''}"
    return f"thiết bị ký số {certificate.token_label or certificate.library}"


class CertificateSection(QGroupBox):
    def __init__(
        self,
        settings: Settings,
        options: CertificateOptions = SIGNER,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(options.title, parent)
        self.settings = settings
        self.options = options
        self.kind = QComboBox()
        for value, label in _choices(options):
            self.kind.addItem(label, value)
        self.kind.setCurrentIndex(max(self.kind.findData(getattr(settings, options.kind)), 0))
        self.p12_path = QLineEdit(getattr(settings, options.p12_path))
        self.p12_path.setPlaceholderText(
            "Tệp .p12 hoặc .pfx do tổ chức cung cấp dịch vụ chứng thực cấp"
        )
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(lambda: self.choose_p12())
        p12_row = QHBoxLayout()
        p12_row.addWidget(self.p12_path, 1)
        p12_row.addWidget(browse)
        self.library = QLineEdit(getattr(settings, options.library))
        self.library.setPlaceholderText("Ví dụ: C:\\Windows\\System32\\vnpt-ca_csp11.dll")
        self.token = QLineEdit(getattr(settings, options.token))
        hint = QLabel(options.hint)
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
        o = self.options
        self.settings.set(o.kind, self.kind.currentData() or "")
        self.settings.set(o.p12_path, self.p12_path.text().strip())
        self.settings.set(o.library, self.library.text().strip())
        self.settings.set(o.token, self.token.text().strip())
        self.settings.save()
        self._enable()
