"""Write a signed report package for one period, atomically.

Export is the issuing sequence of a real document: the secretary prepared
it (the gate refuses an unfinished one), the văn thư numbers it from the
outgoing register (the next number of the year for the code is proposed,
another may be given, none is given twice) and dates it; the number and date
are written into the PDF, then the signer signs (PAdES, signature image) and
the organisation signs (PAdES, seal image) when it holds a certificate.

Order matters: the PDF is rendered, numbered and (when the office has CA
certificates) PAdES-signed first; then every payload file is hashed into the
manifest, the tag files into the tag manifest, and the tag manifest is
signed with the office's Ed25519 key. The zip goes to a temporary file in
the target folder, is fsync'd, re-opened and fully verified, and only then
renamed to its final name: a full disk or a pulled USB stick leaves no
partial package, only a clear message. The export is then recorded in the
data file (sequence, hash, time, path).
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..models.atomic_file import atomic_path
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint
from ..models.outgoing_register import DEFAULT_SEAL_MM, SEAL_IMAGE, SIGNATURE_IMAGE, IssuedNumber
from ..models.period_states import PeriodState, snapshot
from ..models.periods import Period
from ..models.progress import NarrativeSection
from ..models.store import Store
from ..models.task_labels import task_codes
from ..models.validation import PeriodCheck, check_period
from ..reports.content import ASSESSMENT_ORDER, ReportData, build_report
from ..reports.pdf import render_pdf_with_signature_box
from ..reports.xlsx import render_xlsx
from . import format as fmt
from .canonical_zip import write_canonical
from .pdf_signing import VIETNAM, PdfSigner, SignatureRole, Stamp
from .signing_keys import OfficeKey

APP_NAME = "Theo dõi NQ57"
CANCELLED = "Đã hủy xuất gói báo cáo; không có tệp nào được ghi."


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    fingerprint: str
    sequence: int
    size: int = 0
    notes: tuple[str, ...] = ()  # packages of earlier, interrupted exports found and handled
    issued: IssuedNumber | None = None  # the register's number and date of the report
    signatures: int = 0  # PAdES signatures on the PDF (signer, organisation)


class _Steps:
    """Progress reporting and cancellation between the export's steps."""

    def __init__(self, total: int, progress: Progress | None, cancel: threading.Event | None):
        self.done, self.total = 0, total
        self.progress, self.cancel = progress, cancel

    def step(self, message: str) -> None:
        checkpoint(self.cancel, CANCELLED)
        if self.progress is not None:
            self.progress(self.done, self.total, message)
        self.done += 1


def footer_note(key: OfficeKey) -> str:
    """The line printed at the foot of every page of a packaged report."""
    return f"Mã khóa ký của đơn vị (SHA-256): {key.fingerprint}"


def export_package(
    store: Store,
    period_id: str,
    out_dir: Path,
    signer: OfficeKey,
    *,
    today: date | None = None,
    attachments: bool = True,
    pdf_signer: PdfSigner | None = None,
    org_signer: PdfSigner | None = None,
    number: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    allow_incomplete: bool = False,
    created_at: datetime | None = None,
) -> ExportResult:
    """Export the period's signed package into `out_dir`; see the module docstring.

    An open period is checked first: errors refuse the export unless
    `allow_incomplete` (then written into package.json). A report without
    its signer's name and title is always refused. After the export the
    period is *sent* (read-only). A period reopened since its last package
    exports as a correction with the change list against that package.
    `today` is the issue date; `number` the register's number (None: the
    next one). `org_signer` signs for the organisation, after `pdf_signer`.
    `created_at` is the package's time of making (None: now), for the sample
    receiving file, whose packages were made on given days before and after the due date.
    """
    from .verify import verify_package

    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise UserError(f"Thư mục '{out_dir}' không tồn tại hoặc ổ đĩa đã bị rút ra.", "disk")
    if signer.private is None:
        raise UserError("Cần khóa ký bí mật của đơn vị để ký gói báo cáo.", "no_private")
    today = today or date.today()
    files = store.entries.attachments(period_id) if attachments else []
    steps = _Steps(7 + len(files), progress, cancel)
    steps.step("Đang đọc số liệu kỳ báo cáo")
    period = store.period(period_id)
    office = store.plan.office()
    office_uid = store.packages.office_uid()
    assert office_uid is not None  # made on first use
    notes = resolve_interrupted(store, period, out_dir, signer, office_uid)
    check = export_gate(store, period.id, allow_incomplete)
    sequence = store.packages.next_package_sequence(period.id)
    name = fmt.package_name(office.name, period.id, sequence)
    while (out_dir / f"{name}.zip").exists():  # a copy of the data file exported here before
        sequence += 1
        name = fmt.package_name(office.name, period.id, sequence)
    created = (created_at or datetime.now(VIETNAM)).astimezone(VIETNAM)  # Vietnam time
    created = created.replace(microsecond=0)  # whatever the PC's time zone
    sent = snapshot(store.reader, period.id)
    report = build_report(
        store, period.id, today, package_id=name, footer_note=footer_note(signer),
        generated_at=created,
    )  # fmt: skip
    unfinished = document_gate(report, allow_incomplete)
    code = report.register_code
    if number is None:
        number = store.register.next_number(today.year, code)
    store.register.check_free(number, code, today)
    issued = IssuedNumber(number, code, today, "report", period.id, sequence)
    report = replace(report, number=number)

    steps.step("Đang tạo báo cáo PDF")
    pdf, box = render_pdf_with_signature_box(report)  # numbered and dated before any signature
    signatures = 0
    if pdf_signer is not None:
        steps.step("Đang ký số báo cáo PDF")
        image = store.register.image(SIGNATURE_IMAGE)
        stamp = Stamp(SignatureRole.SIGNER, image.png if image else None, issued.reference)
        pdf = pdf_signer.sign_pdf(pdf, box, office.name, stamp)
        signatures += 1
    else:
        steps.step("Báo cáo PDF không ký số (chưa có chứng thư số)")
    if org_signer is not None:
        seal = store.register.image(SEAL_IMAGE)
        stamp = Stamp(
            SignatureRole.ORGANISATION, seal.png if seal else None, issued.reference,
            (seal.size_mm if seal and seal.size_mm else DEFAULT_SEAL_MM),
        )  # fmt: skip
        pdf = org_signer.sign_pdf(pdf, box, office.name, stamp)
        signatures += 1
    steps.step("Đang tạo báo cáo Excel")
    payload: dict[str, bytes] = {fmt.REPORT_PDF: pdf, fmt.REPORT_XLSX: render_xlsx(report)}

    listed = []
    taken: set[str] = set()
    codes = task_codes(store.plan.load())
    for i, item in enumerate(files, 1):
        steps.step(f"Đang đưa tệp minh chứng {i}/{len(files)} vào gói")
        content = store.entries.attachment_content(item.id)
        code = codes.get(item.task_id, str(item.task_id))
        path = fmt.attachment_path(code, i, item.file_name, taken)
        payload[path] = content
        listed.append({"task_id": item.task_id, "task_code": code, "file_name": item.file_name,
                       "path": path, "size": len(content),
                       "sha256": hashlib.sha256(content).hexdigest()})  # fmt: skip
    data = fmt.period_data(store, period, listed)
    data["completeness"] = check.completeness.to_json()
    payload[fmt.DATA_JSON] = fmt.dumps(data)
    extra = package_extra(report, allow_incomplete)
    extra["document"] = issued.to_json()
    if unfinished:
        extra["unfinished"] = unfinished

    steps.step("Đang lập danh mục và ký gói")
    members = _bag(payload, signer, office.name, office_uid, period, sequence, created, name, extra)
    final = out_dir / f"{name}.zip"
    # the number is taken before the file exists: a kill after the rename cannot reuse it
    store.packages.reserve_sequence(period.id, sequence, final, {**extra, "snapshot": sent})
    steps.step("Đang ghi gói báo cáo")
    with atomic_path(final, mode=0o644) as tmp:
        with open(tmp, "wb") as handle:
            size = write_canonical(handle, members)
            handle.flush()
            os.fsync(handle.fileno())
        steps.step("Đang kiểm tra lại gói vừa ghi")
        verified = verify_package(tmp, [signer.public], expected_name=name, own_export=True)
        if not verified.ok:
            raise UserError(f"Gói vừa ghi không đạt khi kiểm tra lại: {verified.message}", "verify")
        digest = _sha256_file(tmp)
        checkpoint(cancel, CANCELLED)
    try:
        with store.transaction():  # the package and its number are recorded together
            store.packages.record_package(
                period.id,
                sequence,
                final,
                digest,
                signer.fingerprint,
                size,
                created.isoformat(),
                {**extra, "snapshot": sent},
            )
            store.register.record(issued, report.summary)  # fmt: skip
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(steps.total, steps.total, "Đã xuất gói báo cáo")
    return ExportResult(final, digest, signer.fingerprint, sequence, size, tuple(notes), issued,
                        signatures)  # fmt: skip


def resolve_interrupted(
    store: Store, period: Period, out_dir: Path, signer: OfficeKey, office_uid: str
) -> list[str]:
    """Adopt or set aside packages of earlier exports that were written but never recorded.

    A reserved sequence whose file is in `out_dir` is verified against this
    office's key and id: a good package is recorded as sent (it may already
    be at the province), anything else is renamed `….zip.bi-loai` so it is
    never sent; either way its number stays taken. The hidden temporaries of
    those exports (a kill before the rename) are removed.
    """
    from .verify import verify_package

    notes: list[str] = []
    for sequence, path, extra in store.packages.open_reservations(period.id):
        for tmp in _temporaries(path):
            tmp.unlink(missing_ok=True)
            notes.append(f"Đã xóa tệp tạm '{tmp.name}' của lần xuất gói bị ngắt.")
        if path.parent.resolve() != out_dir.resolve() or not path.is_file():
            continue
        result = verify_package(path, [signer.public], expected_name=path.stem)
        if result.ok and result.office_id == office_uid and result.sequence == sequence \
                and result.period_id == period.id:  # fmt: skip
            created = result.created_at or datetime.now().astimezone().isoformat()
            digest = _sha256_file(path)
            with store.transaction():  # the package and its register number together
                store.packages.record_package(period.id, sequence, path, digest,
                                              signer.fingerprint, path.stat().st_size, created,
                                              extra)  # fmt: skip
                _register_adopted(store, period, sequence, extra)
            notes.append(
                f"Gói '{path.name}' của lần xuất trước bị ngắt đã được kiểm tra và ghi nhận là "
                f"đã xuất (lần gửi {sequence})."
            )
        else:
            aside = path.with_name(path.name + ".bi-loai")
            path.replace(aside)
            store.packages.close_reservation(period.id, sequence)
            notes.append(
                f"Tệp '{path.name}' của lần xuất trước bị ngắt không đạt khi kiểm tra "
                f"({result.message}); đã đổi tên thành '{aside.name}', không gửi tệp này. "
                f"Số lần gửi {sequence} không dùng lại."
            )
    return notes


def _register_adopted(store: Store, period: Period, sequence: int, extra: dict[str, Any]) -> None:
    """The number an adopted package's report carries goes into the register (once)."""
    document = extra.get("document") if isinstance(extra, dict) else None
    if not isinstance(document, dict):
        return
    try:
        issued = IssuedNumber(int(document["number"]), str(document["code"]),
                              date.fromisoformat(str(document["issued_on"])), "report",
                              period.id, sequence)  # fmt: skip
        store.register.record(issued)
    except (KeyError, TypeError, ValueError, UserError):
        pass  # given before or unreadable: the package is recorded either way


def _temporaries(final: Path) -> list[Path]:
    """The hidden temporaries atomic_path makes for `final` (`.<name>.<random>.tmp`)."""
    from ..models.atomic_file import glob_escape

    try:
        return sorted(final.parent.glob(f".{glob_escape(final.name)}.*.tmp*"))
    except OSError:
        return []


def _bag(
    payload: dict[str, bytes],
    key: OfficeKey,
    office_name: str,
    office_uid: str,
    period: Period,
    sequence: int,
    created: datetime,
    name: str,
    extra: dict[str, Any] | None = None,
) -> dict[str, bytes]:
    """The bag's files under its top folder: payload, manifests, package.json, signature."""
    octets = sum(len(v) for v in payload.values())
    info = fmt.bag_info_text(
        [
            ("Source-Organization", office_name),
            ("Bagging-Date", created.date().isoformat()),
            ("External-Identifier", f"{office_uid}/{period.id}/{sequence}"),
            (
                "External-Description",
                f"Báo cáo kết quả thực hiện Nghị quyết 57-NQ/TW, "
                f"{period.label}, lần gửi {sequence}",
            ),  # fmt: skip
            ("Payload-Oxum", f"{octets}.{len(payload)}"),
            ("Bag-Software-Agent", f"{APP_NAME} {__version__}"),
            ("Theodoi57-Office-Id", office_uid),
            ("Theodoi57-Period", period.id),
            ("Theodoi57-Sequence", str(sequence)),
            ("Theodoi57-Key-Fingerprint", key.fingerprint),
        ]
    )
    package = {
        "format": fmt.FORMAT,
        "version": fmt.VERSION,
        "office_id": office_uid,
        "office_name": office_name,
        "period_id": period.id,
        "period_label": period.label,
        "sequence": sequence,
        "created_at": created.isoformat(),
        "key_algorithm": "Ed25519",
        "key_fingerprint": key.fingerprint,
        "public_key": base64.b64encode(key.public_raw).decode("ascii"),
        "application": APP_NAME,
        "application_version": __version__,
        **(extra or {}),
    }
    tags = {
        fmt.BAGIT: fmt.BAGIT_TXT,
        fmt.BAG_INFO: info,
        fmt.MANIFEST: fmt.manifest_text(payload),
        fmt.PACKAGE_JSON: fmt.dumps(package),
    }
    tagmanifest = fmt.manifest_text(tags)
    files = {**payload, **tags, fmt.TAGMANIFEST: tagmanifest, fmt.SIGNATURE: key.sign(tagmanifest)}
    return {f"{name}/{path}": data for path, data in files.items()}


def export_gate(store: Store, period_id: str, allow_incomplete: bool = False) -> PeriodCheck:
    """The period's check; UserError listing the errors when an open period has any.

    A closed or sent period was checked when it was closed (or is re-sent as it
    was), so only an open one can be refused here.
    """
    check = check_period(store.reader, period_id)
    if store.closing.period_status(period_id).state is PeriodState.OPEN and check.errors:
        if not allow_incomplete:
            lines = "\n".join(f"- {v.message}" for v in check.errors)
            raise UserError(
                f"Kỳ {store.period(period_id).label} còn {len(check.errors)} lỗi số liệu, "
                f"chưa xuất được gói báo cáo:\n{lines}",
                "period_errors",
            )
    return check


NARRATIVE_PLACES = {
    NarrativeSection.LEADERSHIP: "mục I.1",
    NarrativeSection.SHORTCOMINGS: "mục II",
    NarrativeSection.DIRECTIONS: "mục III",
    NarrativeSection.PROPOSALS: "mục IV",
}


class DocumentUnfinished(UserError):
    """The gate's refusal, with what is missing so the window can take the secretary there:
    `signer_fields` ("signer_name", "signer_title") and the empty `sections`."""

    def __init__(
        self, message: str, signer_fields: tuple[str, ...], sections: tuple[NarrativeSection, ...]
    ) -> None:
        super().__init__(message, "unfinished")
        self.signer_fields = signer_fields
        self.sections = sections


def document_problems(
    office: Any, narrative: dict, period_label: str, allow_incomplete: bool = False
) -> list[NarrativeSection]:
    """The gate on plain values (a read, also run by the window before it asks anything):
    DocumentUnfinished naming what is missing; the empty sections let through otherwise."""
    fields = {"signer_name": "họ tên người ký", "signer_title": "chức vụ người ký"}
    missing = tuple(f for f in fields if not (getattr(office, f) or "").strip())
    empty = [s for s in NARRATIVE_PLACES if not (narrative.get(s) or "").strip()]
    problems = []
    if missing:
        names = " và ".join(fields[f] for f in missing)
        problems.append(f"- Chưa có {names}: ghi tại Cài đặt › Đơn vị và người ký.")
    if empty and not allow_incomplete:
        names = "; ".join(f"{NARRATIVE_PLACES[s]} “{s.label}”" for s in empty)
        problems.append(
            f"- Phần thuyết minh còn trống: {names}. Ghi tại Kỳ báo cáo › "
            f"{period_label} › Nội dung báo cáo; nếu không có gì, ghi “Không”."
        )
    if problems:
        raise DocumentUnfinished(
            f"Báo cáo {period_label} chưa đủ để ban hành:\n" + "\n".join(problems),
            missing, tuple(empty) if not allow_incomplete else (),
        )  # fmt: skip
    return empty


def document_gate(report: ReportData, allow_incomplete: bool = False) -> list[str]:
    """Refuse a document that would go out unfinished; the empty sections allowed.

    The signer's name and title are always needed (Cài đặt › Đơn vị và người ký).
    An empty narrative section is refused unless `allow_incomplete`: the
    secretary writes "Không" (or a sentence) when there is nothing to say.
    Returns the empty sections' keys let through.
    """
    empty = document_problems(
        report.office, report.narrative, report.period.label, allow_incomplete
    )
    return [s.value for s in empty]


def package_extra(report: ReportData, allow_incomplete: bool) -> dict[str, Any]:
    """The package.json members added by period closing (see docs/package-format.md)."""
    extra: dict[str, Any] = {"kind": "original"}
    if report.correction is not None:
        extra = {
            "kind": "correction",
            "corrects": report.correction.corrects,
            "changes": [c.to_json() for c in report.correction.changes],
        }
        if report.replaced is not None:
            extra["replaces"] = report.replaced.to_json()
        if report.reopen_reason:
            extra["reopen_reason"] = report.reopen_reason
    if report.completeness is not None:
        extra["completeness"] = report.completeness.to_json()
    counts = report.assessment_counts()
    extra["progress"] = {  # what the report says about progress, for the receiving office
        "as_of": report.as_of.isoformat(),
        "data_window": {
            "start": report.period.cutoff_start.isoformat(),
            "end": report.period.cutoff_end.isoformat(),
        },
        "assessments": {a.value: counts.get(a, 0) for a in ASSESSMENT_ORDER},
        "passed_milestones": {
            str(year): {"met": met, "missed": missed}
            for year, (met, missed) in sorted(report.passed_counts().items())
        },
    }
    if allow_incomplete:
        extra["allow_incomplete"] = True
    return extra


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
