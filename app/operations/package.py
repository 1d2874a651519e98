"""Operations on signed report packages and the office's keys.

`export_package` is the whole action behind "Xuất gói báo cáo" and `report
export`: unlock the office key, open the certificate that signs the PDF (a
PKCS#12 file or a PKCS#11 token, when the office has one), check the period,
build the report and the package, write it atomically and mark the period sent.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.atomic_file import write_bytes_atomic
from ..models.change import Change, Outcome, Subject
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..packages.pdf_signing import P12PdfSigner, PdfSigner, Pkcs11PdfSigner
from ..packages.signing_keys import (
    OfficeKey,
    export_public,
    generate_key,
    load_key,
    public_path_for,
)
from ..packages.verify import VerifyResult, verify_package

if TYPE_CHECKING:
    from ..models.outgoing_register import OfficeImage
    from ..models.periods import Period
    from ..models.store import Store
    from ..packages.export import ExportResult


class CertificateKind(StrEnum):
    PKCS12 = "pkcs12"  # a .p12/.pfx file
    PKCS11 = "pkcs11"  # a USB token through its PKCS#11 library


@dataclass(frozen=True)
class PdfCertificate:
    """Where the certificate that signs the report PDF is (chosen once, in Cài đặt)."""

    kind: CertificateKind
    path: Path | None = None  # PKCS#12 file
    library: str | None = None  # PKCS#11 library (.dll/.so)
    token_label: str | None = None

    def signer(self, secret: str | None) -> PdfSigner:
        """The PDF signer, opened with the file's passphrase or the token's PIN."""
        if self.kind is CertificateKind.PKCS12:
            if self.path is None:
                raise UserError("Chưa chọn tệp chứng thư số (.p12) trong Cài đặt.", "missing")
            return P12PdfSigner(self.path, secret)
        if not self.library or not self.token_label:
            raise UserError("Cần thư viện PKCS#11 và tên thiết bị ký số (Cài đặt).", "usage")
        return Pkcs11PdfSigner(self.library, self.token_label, secret)


def _open(db_path: Path) -> Store:
    """The data file, its store imported here: `package verify` opens none and skips it."""
    from ..models.store import Store

    return Store.open(db_path)


def export_package(
    db_path: Path,
    period: Period,
    out_dir: Path,
    *,
    key_path: Path,
    passphrase: str,
    certificate: PdfCertificate | None = None,
    certificate_secret: str | None = None,
    org_certificate: PdfCertificate | None = None,
    org_certificate_secret: str | None = None,
    today: date | None = None,
    number: int | None = None,
    allow_incomplete: bool = False,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[ExportResult]:
    """The period's signed package in `out_dir`; the period is sent afterwards.

    `today` is the issue date and `number` the document's number (None: the
    register's next); `certificate` signs for the signer, `org_certificate`
    for the organisation (with the seal image), in that order. Export applies
    closing's gate: an open period with errors or unexplained warnings is
    refused (PeriodNotReady with the summary) unless `allow_incomplete`.
    """
    with _open(db_path) as store:
        if not allow_incomplete:
            from ..models.outgoing import Outgoing, outgoing_summary

            outgoing_summary(store, period.id, Outgoing.EXPORT, Path(out_dir)).refuse()
    progress(0, 1, "Đang mở khóa ký…")
    key = load_key(Path(key_path), passphrase)
    pdf_signer = certificate.signer(certificate_secret) if certificate else None
    org_signer = org_certificate.signer(org_certificate_secret) if org_certificate else None
    checkpoint(cancel, "Đã hủy xuất gói báo cáo; không có tệp nào được ghi.")
    with _open(db_path) as store:
        from ..packages.export import export_package as _export  # the document stack

        result = _export(
            store, period.id, Path(out_dir), key, today=today, pdf_signer=pdf_signer,
            org_signer=org_signer, number=number, progress=progress, cancel=cancel,
            allow_incomplete=allow_incomplete,
        )  # fmt: skip
    return Outcome(result, Change(Subject.PACKAGE, result.sequence, period.id, frozenset({"*"})))


def next_number(db_path: Path, issue_date: date) -> Outcome[int]:
    """The number the outgoing register proposes for a report issued on `issue_date` (a read)."""
    from ..reports.content import register_code

    with _open(db_path) as store:
        code = register_code(store.plan.office())
        return Outcome(store.register.next_number(issue_date.year, code))


def check_number(db_path: Path, number: int, issue_date: date) -> Outcome[str]:
    """The reference ("05/BC-UBND") `number` would print on a document issued on
    `issue_date`; the register's own UserError when it was given before (a read)."""
    from ..models.outgoing_register import IssuedNumber
    from ..reports.content import register_code

    with _open(db_path) as store:
        code = register_code(store.plan.office())
        store.register.check_free(number, code, issue_date)
    return Outcome(IssuedNumber(number, code, issue_date).reference)


def check_document(db_path: Path, period_id: str) -> Outcome[None]:
    """Export's "nothing unfinished goes out" gate, before anything is asked: raises
    DocumentUnfinished (signer fields, empty sections) as the export itself would (a read)."""
    from ..packages.export import document_problems

    with _open(db_path) as store:
        period = store.period(period_id)
        document_problems(store.plan.office(), store.entries.narrative(period_id), period.label)
    return Outcome(None)


def set_signing_image(
    db_path: Path, kind: str, png: Path | bytes | None, size_mm: float | None = None
) -> Outcome[None]:
    """Keep the signer's signature image or the office's seal image (a transparent PNG) in the
    data file, chosen once in Cài đặt; None forgets it. `png` may be the bytes already kept
    (a new seal size for the same image)."""
    data, name = None, ""
    if isinstance(png, bytes):
        data = png
        kept = signing_image(db_path, kind)
        name = kept.file_name if kept else ""
    elif png is not None:
        try:
            data = Path(png).read_bytes()
        except OSError as exc:
            raise UserError(f"Không đọc được tệp ảnh '{png}': {exc.strerror or exc}.") from None
        name = Path(png).name
    if size_mm is not None and not MIN_SEAL_MM <= size_mm <= MAX_SEAL_MM:
        raise UserError(
            f"Đường kính con dấu phải từ {MIN_SEAL_MM:g} đến {MAX_SEAL_MM:g} mm "
            f"(đã nhập {size_mm:g} mm).",
            "bad_image",
        )
    with _open(db_path) as store:
        change = store.register.set_image(kind, data, name, size_mm)
    return Outcome(None, change)


MIN_SEAL_MM, MAX_SEAL_MM = 20.0, 60.0  # the round seals of Nghị định 99/2016 fall inside


def signing_image(db_path: Path, kind: str) -> OfficeImage | None:
    """The signature or seal image kept in the data file, for Cài đặt's preview (a read)."""
    with _open(db_path) as store:
        return store.register.image(kind)


def verify(path: Path, trusted: list[Path], ca_roots: list[object] | None = None) -> VerifyResult:
    """Integrity, signature, signer, the signer's office and the PDF's signature (a read).

    Office key files bind each key to its office; with several keys, a
    package must name its key's office (key_binding).
    """
    from ..packages.key_binding import load_trust

    keys, bindings = load_trust(trusted)
    return verify_package(Path(path), keys, pdf_trust_roots=ca_roots or [], bindings=bindings)


def create_key(path: Path, passphrase: str) -> Outcome[OfficeKey]:
    """A new office key, encrypted with `passphrase`, with its public key beside it."""
    key = generate_key(Path(path), passphrase)
    export_public(key, public_path_for(Path(path)))
    return Outcome(key)


def export_public_key(
    key: OfficeKey | Path, out: Path, passphrase: str | None = None, db_path: Path | None = None
) -> Outcome[Path]:
    """The public key file the office sends to the receiving office.

    With the office's data file, the file written is the office key file
    (`*.office-key.json`: key, office id and name, signed by the key), which
    binds the key to the office at the receiving end; `out` ending in `.pem`
    gets the bare PEM beside it as well, for other tools.
    """
    if isinstance(key, Path):
        if passphrase is None:
            raise UserError("Cần mật khẩu khóa ký.", "missing")
        key = load_key(key, passphrase)
    out = Path(out)
    if db_path is None:
        return Outcome(export_public(key, out))
    from ..packages.key_binding import OFFICE_KEY_SUFFIX, write_office_key

    with _open(db_path) as store:
        office_id = store.packages.office_uid()
        name = store.plan.office().name
    assert office_id is not None  # made on first use
    if out.name.endswith(OFFICE_KEY_SUFFIX):
        return Outcome(write_office_key(key, office_id, name, out))
    export_public(key, out)
    stem = out.name.removesuffix(".pem").removesuffix(".pub")
    return Outcome(write_office_key(key, office_id, name, out.with_name(stem + OFFICE_KEY_SUFFIX)))


def copy_to_drive(
    source: Path,
    folder: Path,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[Path]:
    """Copy a package to a USB drive atomically and check the copy's hash."""
    progress(0, 1, f"Đang chép vào {folder}…")
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise UserError(f"Không đọc được gói '{source}': {exc.strerror or exc}.") from None
    checkpoint(cancel, "Đã hủy; không có tệp nào được ghi.")
    target = Path(folder) / Path(source).name
    write_bytes_atomic(target, data, mode=0o644)
    if hashlib.sha256(target.read_bytes()).hexdigest() != hashlib.sha256(data).hexdigest():
        raise UserError(f"Bản chép tại '{target}' không khớp với bản gốc; hãy chép lại.", "copy")
    progress(1, 1, "Đã chép")
    return Outcome(target)
