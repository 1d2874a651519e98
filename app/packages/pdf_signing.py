"""PAdES signatures on the report PDF: the signer's, then the organisation's (pyHanko).

Decree 30 (Phụ lục I) signs an electronic document twice. The person with
authority signs first: the appearance is the signature image (a blue
transparent PNG chosen once in Cài đặt) centred between the title and the
name, with the signer, the organisation and the time in Vietnam's time zone
(ISO 8601, +07:00, whatever the PC's zone). The organisation signs last,
with its certificate: the red seal image at its real size over about a third
of the signature image, on its left. The number and issue date are already in
the page (box 3 and 4) before the first signature, so both signatures cover
them. Each signature embeds the whole certificate chain the signer holds.

Offices hold a certificate from a Vietnamese CA either as a PKCS#12 file
(.p12/.pfx, passphrase-protected) or on a USB token, which is a PKCS#11
device. The appearance is drawn by reportlab with the report's own font (and
as the canvas's initial font, so no stray Helvetica is referenced) and
imported as a form XObject.

The level is PAdES B-B: an office works offline, so no timestamp (B-T) and
no revocation data (B-LT) can be fetched when it signs.

`pdf_signature_status` reads the signatures back: whether the signed bytes
are intact, who signed, and whether the certificates chain to a trusted root.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from ..models.errors import UserError

Box = tuple[int, float, float, float, float]  # page index, x0, y0, x1, y1 (points)
FIELD_NAME = "ChuKySoNguoiKy"  # the signer's signature field
ORG_FIELD_NAME = "ChuKySoCoQuan"  # the organisation's (seal) signature field
VIETNAM = timezone(timedelta(hours=7))  # no daylight saving: a fixed offset is exact
PADES_LEVEL = "PAdES B-B"
MM = 72 / 25.4
SIGNATURE_BLUE = "#1F3C9A"
SEAL_RED = "#C00000"


def vietnam_now() -> datetime:
    """Now in Vietnam's time zone, to the second, whatever zone the PC is set to."""
    return datetime.now(VIETNAM).replace(microsecond=0)


class SignatureRole(StrEnum):
    SIGNER = "signer"  # the person with authority (chữ ký số của người có thẩm quyền)
    ORGANISATION = "organisation"  # the issuing body (chữ ký số của cơ quan, tổ chức)


@dataclass(frozen=True)
class Stamp:
    """What one signature shows: its role, image (PNG) and the document it signs."""

    role: SignatureRole = SignatureRole.SIGNER
    image: bytes | None = None
    reference: str | None = None  # "05/BC-UBND"
    seal_mm: float = 35.0  # the seal's real diameter
    moment: datetime | None = None  # the signing time shown and written (Vietnam time)


class PdfSigner(Protocol):
    """What export_package needs: sign PDF bytes, stamp in `box` when given."""

    def sign_pdf(
        self, pdf: bytes, box: Box | None, organisation: str, stamp: Stamp | None = None
    ) -> bytes: ...


def signature_image_box(box: Box) -> tuple[float, float, float, float]:
    """Where the signature image sits inside the signer's box (relative x0, y0, x1, y1)."""
    _page, x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    image_w = min(45 * MM, w * 0.55)
    image_h = h - 11 * MM
    left = (w - image_w) / 2
    return left, h - image_h, left + image_w, h


def seal_box(box: Box, seal_mm: float) -> Box:
    """The seal's box: its real size, over the left third of the signature image (NĐ 30)."""
    page, x0, y0, _x1, y1 = box
    left, _b, right, _t = signature_image_box(box)
    size = seal_mm * MM
    seal_right = x0 + left + (right - left) / 3
    middle = (y0 + y1) / 2
    return page, seal_right - size, middle - size / 2, seal_right, middle + size / 2


def _appearance_pdf(width: float, height: float, draw: Any) -> bytes:
    """A one-page PDF the size of the box, drawn by `draw(canvas, fonts)` in the report font."""
    from reportlab.pdfgen.canvas import Canvas

    from ..exporters.fonts import load_fonts

    fonts = load_fonts()
    buffer = io.BytesIO()
    # The initial font is the report's: reportlab's default would reference Helvetica
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, initialFontName=fonts.regular)
    draw(canvas, fonts)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_png(canvas: Any, png: bytes, x0: float, y0: float, x1: float, y1: float) -> None:
    """The PNG fitted into the rectangle, centred, its transparency kept."""
    from reportlab.lib.utils import ImageReader

    image = ImageReader(io.BytesIO(png))
    iw, ih = image.getSize()
    scale = min((x1 - x0) / iw, (y1 - y0) / ih)
    w, h = iw * scale, ih * scale
    canvas.drawImage(image, x0 + (x1 - x0 - w) / 2, y0 + (y1 - y0 - h) / 2, w, h, mask="auto")


def _text_lines(canvas: Any, fonts: Any, lines: list[str], x_right: float, top: float,
                width: float, size: float, colour: str) -> None:  # fmt: skip
    from reportlab.lib import colors

    canvas.setFillColor(colors.HexColor(colour))
    y = top - size
    for i, text in enumerate(lines):
        font = fonts.bold if i == 0 else fonts.regular
        while size > 5 and canvas.stringWidth(text, font, size) > width:
            size -= 0.25
        canvas.setFont(font, size)
        canvas.drawRightString(x_right, y, text)
        y -= size * 1.3


def signer_lines(signer_name: str, organisation: str, moment: datetime) -> list[str]:
    """The signer appearance's text: who, for which body, when (ISO 8601, +07:00)."""
    return [
        "Đã ký số",
        f"Người ký: {signer_name}",
        f"Cơ quan: {organisation}",
        f"Thời gian ký: {moment.isoformat()}",
    ]


def organisation_lines(organisation: str, reference: str | None, moment: datetime) -> list[str]:
    """The organisation appearance's text: the body, the document, when (ISO 8601, +07:00)."""
    lines = [organisation]
    if reference:
        lines.append(f"Số: {reference}")
    return [*lines, moment.isoformat()]


def _signer_appearance(box: Box, signer_name: str, organisation: str, stamp: Stamp) -> bytes:
    _page, x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    moment = stamp.moment or vietnam_now()
    lines = signer_lines(signer_name, organisation, moment)

    def draw(canvas: Any, fonts: Any) -> None:
        if stamp.image:
            _draw_png(canvas, stamp.image, *signature_image_box(box))
            text = lines[1:]  # the image says "signed"; the text says who, where, when
            size, top, width = 6.5, 10 * MM, w * 0.62
        else:
            text, size, top, width = lines, 8.0, h - 3, w - 8
        _text_lines(canvas, fonts, text, w - 2, top, width, size, SIGNATURE_BLUE)

    return _appearance_pdf(w, h, draw)


def _seal_appearance(box: Box, organisation: str, stamp: Stamp) -> bytes:
    _page, x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    moment = stamp.moment or vietnam_now()
    lines = organisation_lines(organisation, stamp.reference, moment)

    def draw(canvas: Any, fonts: Any) -> None:
        from reportlab.lib import colors

        if stamp.image:
            _draw_png(canvas, stamp.image, 0, 0, w, h)
            return
        canvas.setStrokeColor(colors.HexColor(SEAL_RED))  # no seal image: a red ring with text
        canvas.setLineWidth(1.2)
        canvas.circle(w / 2, h / 2, min(w, h) / 2 - 1)
        canvas.setFillColor(colors.HexColor(SEAL_RED))
        size = 5.5
        y = h / 2 + size
        for text in lines:
            while size > 3.5 and canvas.stringWidth(text, fonts.bold, size) > w * 0.8:
                size -= 0.25
            canvas.setFont(fonts.bold, size)
            canvas.drawCentredString(w / 2, y, text)
            y -= size * 1.4

    return _appearance_pdf(w, h, draw)


def _style_for(appearance: bytes, width: float, height: float) -> Any:
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.stamp import StaticStampStyle

    class _Page(PdfContent):
        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(appearance)))
            self.resources.xobject["/Stamp"] = xobj
            self.box = BoxConstraints(width=width, height=height)
            return b"/Stamp Do"

    return StaticStampStyle(background=_Page(), border_width=0)


def _sign(
    pdf: bytes, signer: Any, box: Box | None, organisation: str, stamp: Stamp | None = None
) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    stamp = stamp or Stamp()
    moment = stamp.moment or vietnam_now()
    stamp = Stamp(stamp.role, stamp.image, stamp.reference, stamp.seal_mm, moment)
    cert = signer.signing_cert
    name = cert.subject.native.get("common_name") or cert.subject.human_friendly
    org_role = stamp.role is SignatureRole.ORGANISATION
    field_name = ORG_FIELD_NAME if org_role else FIELD_NAME
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    style = None
    if box is not None:
        where = seal_box(box, stamp.seal_mm) if org_role else box
        page, x0, y0, x1, y1 = where
        # pyHanko annotates the box as ints; it writes each coordinate as a PDF real
        spec = fields.SigFieldSpec(field_name, on_page=page, box=(x0, y0, x1, y1))  # type: ignore[arg-type]
        fields.append_signature_field(writer, spec)
        appearance = (
            _seal_appearance(where, organisation, stamp)
            if org_role
            else _signer_appearance(where, name, organisation, stamp)
        )
        style = _style_for(appearance, x1 - x0, y1 - y0)
    reason = (
        f"Cơ quan ban hành ký văn bản số {stamp.reference}"
        if org_role and stamp.reference
        else "Ký ban hành báo cáo"
        if org_role
        else "Người có thẩm quyền ký báo cáo"
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=organisation,
        name=name,
    )
    out = io.BytesIO()
    _VietnamTimeSigner(meta, signer=signer, stamp_style=style, moment=moment).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


def _vietnam_time_signer_class() -> Any:
    from pyhanko.sign import signers

    class VietnamTimeSigner(signers.PdfSigner):
        """pyHanko's signer with the signing time given (Vietnam time), not the PC's zone."""

        def __init__(self, *args: Any, moment: datetime, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.moment = moment

        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = self.moment  # the /M entry and the CMS signing time
            return session

    return VietnamTimeSigner


def _VietnamTimeSigner(*args: Any, **kwargs: Any) -> Any:  # noqa: N802 (a class, made lazily)
    return _vietnam_time_signer_class()(*args, **kwargs)


class P12PdfSigner:
    """Signs with a certificate and key from a PKCS#12 file (.p12/.pfx)."""

    def __init__(self, path: Path, passphrase: str | None) -> None:
        from asn1crypto import keys, x509
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.serialization import pkcs12
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        path = Path(path)
        if not path.is_file():
            raise UserError(f"Không tìm thấy tệp chứng thư số '{path}'.", "missing")
        secret = passphrase.encode("utf-8") if passphrase else None
        try:  # what pyHanko's SimpleSigner.load_pkcs12 does, keeping the key it loads
            key, cert, others = pkcs12.load_key_and_certificates(path.read_bytes(), secret)
        except (ValueError, TypeError, OSError):
            key = cert = None
        if key is None or cert is None:
            raise UserError(
                f"Không mở được tệp chứng thư số '{path.name}': sai mật khẩu hoặc tệp hỏng.",
                "bad_p12",
            )
        der = serialization.Encoding.DER
        chain = SimpleCertificateStore()
        chain.register_multiple([x509.Certificate.load(c.public_bytes(der)) for c in others])
        self.signer = _key_once_signer_class()(
            signing_cert=x509.Certificate.load(cert.public_bytes(der)),
            signing_key=keys.PrivateKeyInfo.load(key.private_bytes(
                der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
            cert_registry=chain,
        )  # fmt: skip
        self.signer.key = key  # parsed and checked once, here

    def sign_pdf(
        self, pdf: bytes, box: Box | None, organisation: str, stamp: Stamp | None = None
    ) -> bytes:
        return _sign(pdf, self.signer, box, organisation, stamp)


@functools.cache
def _key_once_signer_class() -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeyOnceSigner(signers.SimpleSigner):
        """pyHanko's SimpleSigner parses its private key for every raw signature — twice per
        PDF signature (the size estimate, then the signature), about 50 ms each for RSA;
        this one uses the key P12PdfSigner loaded. RSA PKCS#1 v1.5 and ECDSA (what CA
        certificates use) sign here; any other mechanism falls back to pyHanko's path."""

        key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            try:
                algo = mechanism.signature_algo
            except ValueError:
                algo = mechanism["algorithm"].native
            if algo not in ("rsassa_pkcs1v15", "ecdsa"):
                return super().sign_raw(data, digest_algorithm)
            if self.key is None:
                self.key = serialization.load_der_private_key(self.signing_key.dump(), None)
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if algo == "rsassa_pkcs1v15" and isinstance(self.key, rsa.RSAPrivateKey):
                return self.key.sign(data, padding.PKCS1v15(), hash_algo)
            if algo == "ecdsa" and isinstance(self.key, ec.EllipticCurvePrivateKey):
                return self.key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)

    return KeyOnceSigner


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

    def sign_pdf(
        self, pdf: bytes, box: Box | None, organisation: str, stamp: Stamp | None = None
    ) -> bytes:
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
            # other_certs_to_pull=None: every certificate on the token (the CA chain) is
            # embedded with the signature
            signer = PKCS11Signer(
                session, cert_label=self.cert_label, key_label=self.key_label,
                other_certs_to_pull=None, **ids,
            )  # fmt: skip
            return _sign(pdf, signer, box, organisation, stamp)
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
    """What a PDF's last signature says, as shown beside the package result.

    `earlier` holds the signatures before it (the signer's, under the
    organisation's); `valid` and `trusted` hold only when they hold for all.
    """

    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact and the cryptographic signature checks
    trusted: bool  # the certificate chains to a trusted root
    whole_file: bool  # the signature covers the whole PDF (nothing appended since)
    signer: str
    signed_at: str | None
    level: str = PADES_LEVEL
    field: str = ""
    earlier: tuple[PdfSignatureStatus, ...] = ()
    certificates: int = 0  # certificates embedded with the signature (the chain)

    @property
    def signatures(self) -> tuple[PdfSignatureStatus, ...]:
        """Every signature, first first."""
        return (*self.earlier, self)

    @property
    def message(self) -> str:
        for one in self.signatures:
            if not one.valid:
                return f"Chữ ký số trên báo cáo PDF KHÔNG hợp lệ (người ký: {one.signer})."
        chain = "chứng thư số tin cậy" if self.trusted else "chứng thư số CHƯA được tin cậy"
        who = " và ".join(one.signer for one in self.signatures)
        return f"Báo cáo PDF có chữ ký số hợp lệ của {who} ({chain}; {self.level})."


def _status(
    embedded: Any, context: Any, has_dss: bool, skip_diff: bool = False
) -> PdfSignatureStatus:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status = validate_pdf_signature(embedded, context, skip_diff=skip_diff)
    except Exception:
        return PdfSignatureStatus(False, False, False, False, "không đọc được", None)
    cert = status.signing_cert
    signer = cert.subject.native.get("common_name") or cert.subject.human_friendly
    when = embedded.self_reported_timestamp
    level = "PAdES B-B"
    if status.timestamp_validity is not None:
        level = "PAdES B-LT" if has_dss else "PAdES B-T"
    return PdfSignatureStatus(
        intact=bool(status.intact),
        valid=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer,
        signed_at=when.isoformat() if when else None,
        level=level,
        field=embedded.field_name,
        certificates=len(embedded.signed_data["certificates"] or []),
    )


def pdf_signature_status(
    pdf: bytes, trust_roots: list[Any] | None = None, *, own_revisions: bool = False
) -> PdfSignatureStatus | None:
    """Validate the PDF's signatures; the last one's status (with the earlier ones), or
    None when the PDF is not signed.

    `trust_roots` are asn1crypto or cryptography certificates; without them
    nothing is trusted (an office's verifier decides which CAs to trust).
    `own_revisions`: the PDF was signed moments ago by this app (the export's
    re-check), so pyHanko's review of what each later revision changed — most
    of the cost — is skipped; every signature is still checked against its
    bytes and certificate. A receiver never passes it.
    """
    if b"/ByteRange" not in pdf:
        return None
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
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
        has_dss = "/DSS" in reader.root
    except Exception:  # a malformed PDF: report it as a broken signature
        return PdfSignatureStatus(False, False, False, False, "không đọc được", None)
    if not signatures:
        return None
    import logging  # only where a signed PDF is validated

    quiet = logging.getLogger("pyhanko")  # an untrusted chain is a result here, not a warning
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        statuses = [
            _status(
                e,
                ValidationContext(trust_roots=roots, allow_fetching=False),
                has_dss,
                own_revisions,
            )
            for e in signatures
        ]
    finally:
        quiet.setLevel(level)
    last, earlier = statuses[-1], tuple(statuses[:-1])
    return PdfSignatureStatus(
        intact=last.intact and all(e.intact for e in earlier),
        valid=last.valid and all(e.valid for e in earlier),
        trusted=last.trusted and all(e.trusted for e in earlier),
        whole_file=last.whole_file,
        signer=last.signer,
        signed_at=last.signed_at,
        level=last.level,
        field=last.field,
        earlier=earlier,
        certificates=last.certificates,
    )
