"""PAdES signatures on the report PDF with the office's CA certificate (pyHanko).

Offices hold a certificate from a Vietnamese CA either as a PKCS#12 file
(.p12/.pfx, passphrase-protected) or on a USB token, which is a PKCS#11
device. Both signers put a visible stamp (signer, organisation, time) in the
blank space of the signature block, where an ink signature would go; the
stamp is drawn with the report's own font so Vietnamese prints correctly.

`pdf_signature_status` reads the signature back: whether the signed bytes
are intact, who signed, and whether the certificate chains to a trusted root.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from ..models.errors import UserError

Box = tuple[int, float, float, float, float]  # page index, x0, y0, x1, y1 (points)
FIELD_NAME = "ChuKySoDonVi"


class PdfSigner(Protocol):
    """What export_package needs: sign PDF bytes, stamp in `box` when given."""

    def sign_pdf(self, pdf: bytes, box: Box | None, organisation: str) -> bytes: ...


def _stamp_pdf(width: float, height: float, lines: list[str]) -> bytes:
    """A one-page PDF the size of the box, with the stamp text in the report font."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    from ..exporters.fonts import load_fonts

    fonts = load_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    canvas.setStrokeColor(colors.HexColor("#1F4E9A"))
    canvas.setLineWidth(1)
    canvas.roundRect(2, 2, width - 4, height - 4, 4)
    size = min(9.0, (height - 8) / (len(lines) * 1.35))
    y = height - 6 - size
    canvas.setFillColor(colors.HexColor("#1F4E9A"))
    for i, text in enumerate(lines):
        font = fonts.bold if i == 0 else fonts.regular
        while size > 5 and canvas.stringWidth(text, font, size) > width - 12:
            text = text[:-2] + "…"
        canvas.setFont(font, size)
        canvas.drawString(6, y, text)
        y -= size * 1.35
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _stamp_style(box: Box, signer_name: str, organisation: str) -> Any:
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    _page, x0, y0, x1, y1 = box
    moment = datetime.now().astimezone()
    lines = [
        "Đã ký số",
        f"Người ký: {signer_name}",
        f"Cơ quan: {organisation}",
        f"Thời gian: {moment:%d/%m/%Y %H:%M:%S %z}",
    ]
    stamp = _stamp_pdf(x1 - x0, y1 - y0, lines)

    class _Page(PdfContent):
        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(stamp)))
            self.resources.xobject["/Stamp"] = xobj
            self.box = BoxConstraints(width=x1 - x0, height=y1 - y0)
            return b"/Stamp Do"

    return StaticStampStyle(background=_Page(), border_width=0)


def _sign(pdf: bytes, signer: Any, box: Box | None, organisation: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    cert = signer.signing_cert
    name = cert.subject.native.get("common_name") or cert.subject.human_friendly
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    style = None
    if box is not None:
        page, x0, y0, x1, y1 = box
        # pyHanko annotates the box as ints; it writes each coordinate as a PDF real
        spec = fields.SigFieldSpec(FIELD_NAME, on_page=page, box=(x0, y0, x1, y1))  # type: ignore[arg-type]
        fields.append_signature_field(writer, spec)
        style = _stamp_style(box, name, organisation)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Ký báo cáo định kỳ",
        location=organisation,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=signer, stamp_style=style).sign_pdf(writer, output=out)
    return out.getvalue()


class P12PdfSigner:
    """Signs with a certificate and key from a PKCS#12 file (.p12/.pfx)."""

    def __init__(self, path: Path, passphrase: str | None) -> None:
        from pyhanko.sign import signers

        path = Path(path)
        if not path.is_file():
            raise UserError(f"Không tìm thấy tệp chứng thư số '{path}'.", "missing")
        secret = passphrase.encode("utf-8") if passphrase else None
        try:
            signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=secret)
        except (ValueError, OSError):
            signer = None
        if signer is None:
            raise UserError(
                f"Không mở được tệp chứng thư số '{path.name}': sai mật khẩu hoặc tệp hỏng.",
                "bad_p12",
            )
        self.signer = signer

    def sign_pdf(self, pdf: bytes, box: Box | None, organisation: str) -> bytes:
        return _sign(pdf, self.signer, box, organisation)


class Pkcs11PdfSigner:
    """Signs with a key on a PKCS#11 token (the USB tokens Vietnamese CAs issue).

    Without labels, the first certificate on the token that has a private key
    with the same CKA_ID is used: tokens usually hold exactly one.
    """

    def __init__(
        self,
        lib: str | Path,
        token_label: str,
        pin: str | None,
        cert_label: str | None = None,
        key_label: str | None = None,
    ) -> None:
        self.lib = str(lib)
        self.token_label = token_label
        self.pin = pin
        self.cert_label = cert_label
        self.key_label = key_label

    def sign_pdf(self, pdf: bytes, box: Box | None, organisation: str) -> bytes:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        if not Path(self.lib).exists():
            raise UserError(f"Không tìm thấy thư viện PKCS#11 '{self.lib}'.", "missing")
        try:
            session = open_pkcs11_session(
                self.lib, token_criteria=TokenCriteria(label=self.token_label), user_pin=self.pin
            )
        except Exception as exc:  # python-pkcs11 raises many unrelated types
            raise UserError(
                f"Không mở được thiết bị ký số '{self.token_label}' (sai mã PIN, chưa cắm "
                f"thiết bị hoặc sai tên): {type(exc).__name__}.",
                "token",
            ) from None
        try:
            ids = {} if self.cert_label else self._ids(session)
            signer = PKCS11Signer(
                session, cert_label=self.cert_label, key_label=self.key_label, **ids
            )
            return _sign(pdf, signer, box, organisation)
        finally:
            session.close()

    @staticmethod
    def _ids(session: Any) -> dict[str, Any]:
        from pkcs11 import Attribute, ObjectClass

        keys = {
            k[Attribute.ID] for k in session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY})
        }
        for cert in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
            if cert[Attribute.ID] in keys:
                return {"cert_id": cert[Attribute.ID], "key_id": cert[Attribute.ID]}
        raise UserError("Thiết bị ký số không có chứng thư số kèm khóa bí mật.", "token")


@dataclass(frozen=True)
class PdfSignatureStatus:
    """What a PDF's (last) signature says, as shown beside the package result."""

    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact and the cryptographic signature checks
    trusted: bool  # the certificate chains to a trusted root
    whole_file: bool  # the signature covers the whole PDF (nothing appended since)
    signer: str
    signed_at: str | None

    @property
    def message(self) -> str:
        if not self.valid:
            return f"Chữ ký số trên báo cáo PDF KHÔNG hợp lệ (người ký: {self.signer})."
        chain = "chứng thư số tin cậy" if self.trusted else "chứng thư số CHƯA được tin cậy"
        return f"Báo cáo PDF có chữ ký số hợp lệ của {self.signer} ({chain})."


def pdf_signature_status(
    pdf: bytes, trust_roots: list[Any] | None = None
) -> PdfSignatureStatus | None:
    """Validate the PDF's last signature; None when the PDF is not signed.

    `trust_roots` are asn1crypto or cryptography certificates; without them
    nothing is trusted (an office's verifier decides which CAs to trust).
    """
    if b"/ByteRange" not in pdf:
        return None
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for root in trust_roots or []:
        if not isinstance(root, asn1_x509.Certificate):
            from cryptography.hazmat.primitives.serialization import Encoding

            root = asn1_x509.Certificate.load(root.public_bytes(Encoding.DER))
        roots.append(root)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:  # a malformed PDF: report it as a broken signature
        return PdfSignatureStatus(False, False, False, False, "không đọc được", None)
    if not signatures:
        return None
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    quiet = logging.getLogger("pyhanko")  # an untrusted chain is a result here, not a warning
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:
        return PdfSignatureStatus(False, False, False, False, "không đọc được", None)
    finally:
        quiet.setLevel(level)
    cert = status.signing_cert
    signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
    when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    return PdfSignatureStatus(
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer,
        signed_at=when,
    )
