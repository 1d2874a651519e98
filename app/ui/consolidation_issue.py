"""The receiving office issues its consolidated PDF from the window, as `receive export --issue`.

"Xuất tổng hợp…" asks, in the same dialog as a report's export, whether the
PDF is issued: the number the receiving file's outgoing register proposes
(editable, never given twice), the issue date and, when Cài đặt has them, the
signer's and the organisation's certificates; the passphrases or PINs are
asked after it. The signers are opened in the worker (`ConsolidationRequest.
issuing`), and the export is the same operation the command line calls
(operations.receive.export_consolidation with an Issuing). Kept apart from
receiving_page.py, which calls `ask_consolidation_issue` once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..operations import receive as receive_ops
from ..operations.package import CertificateKind, PdfCertificate
from . import messages
from .certificate_section import org_certificate, pdf_certificate
from .issue_dialog import IssueChoice, IssueDialog, ask_issue


@dataclass(frozen=True)
class ConsolidationRequest:
    """What was asked; `issuing()` (in the worker) opens the signers."""

    choice: IssueChoice
    certificate: PdfCertificate | None = None
    secret: str | None = None
    org: PdfCertificate | None = None
    org_secret: str | None = None

    def issuing(self) -> receive_ops.Issuing | None:
        if self.choice.number is None:
            return None  # the PDF summary as before: not numbered, not signed
        return receive_ops.Issuing(
            issue_date=self.choice.issue_date,
            number=self.choice.number,
            signer=self.certificate.signer(self.secret) if self.certificate else None,
            org_signer=self.org.signer(self.org_secret) if self.org else None,
        )


def ask_consolidation_issue(
    page: QWidget, db_path: Path, period_label: str, xlsx: Path, office: object, today: object
) -> ConsolidationRequest | None:
    """Ask whether and how the consolidated PDF is issued; None when cancelled."""
    from datetime import date

    settings = getattr(page.window(), "settings", None)
    certificate = pdf_certificate(settings) if settings else None
    org = org_certificate(settings) if settings else None
    signer = getattr(office, "signer_name", None) or ""
    summary = (
        f"Xuất tổng hợp kỳ {period_label}:\n- bảng tổng hợp Excel: {xlsx}\n"
        f"- báo cáo tóm tắt PDF: {xlsx.with_suffix('.pdf')}\n\n"
        "Khi ban hành, báo cáo PDF được cấp số từ sổ văn bản đi của đơn vị tiếp nhận, ghi ngày "
        "ban hành và ký số như một báo cáo."
    )
    dialog = IssueDialog(
        db_path, summary, today if isinstance(today, date) else date.today(), signer=signer,
        certificate=certificate, org_certificate=org, title="Xuất tổng hợp",
        accept_label="Xuất", optional=True, parent=page,
    )  # fmt: skip
    choice = ask_issue(dialog)
    if choice is None:
        return None
    if choice.number is None:
        return ConsolidationRequest(choice)
    org = org if choice.org_signs else None
    secret = _secret(page, certificate, "")
    org_secret = _secret(page, org, " của cơ quan")
    if (certificate and secret is None) or (org and org_secret is None):
        return None
    return ConsolidationRequest(choice, certificate, secret, org, org_secret)


def _secret(page: QWidget, certificate: PdfCertificate | None, whose: str) -> str | None:
    if certificate is None:
        return None
    return messages.ask_passphrase(
        page,
        f"Nhập mật khẩu tệp chứng thư số{whose} (.p12) để ký số báo cáo tổng hợp:"
        if certificate.kind is CertificateKind.PKCS12
        else f"Nhập mã PIN của thiết bị ký số{whose} (USB token) để ký số báo cáo tổng hợp:",
        "Chứng thư số",
    )
