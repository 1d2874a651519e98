"""Operations of the receiving office: its data file, offices, trusted keys, ingest, exports."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models.change import Action, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..models.plan import DocumentStyle, Office
from ..models.text import fold, nfc
from ..packages.pdf_signing import PdfSigner
from ..receiving.ingest import IngestReport, ingest
from ..receiving.matrix import Matrix, build_matrix
from ..receiving.open_data import OpenDataResult
from ..receiving.store import Receiving, ReportingOffice, TrustedKey

if TYPE_CHECKING:  # the sample file's stack (export: PDF, xlsx) loads only when it is made
    from ..receiving.sample_file import SampleReceiving

# The receiving office's letterhead: the same settings as a reporting office's.
LETTERHEAD_FIELDS = ("parent_body", "issuing_body", "place", "doc_code", "signer_name",
                     "signer_title", "signer_authority", "recipients", "style")  # fmt: skip


def create_receiving_file(
    path: Path, office_name: str, letterhead: dict[str, Any] | None = None
) -> Outcome[str]:
    """A new receiving data file for the province office `office_name`, with its letterhead
    settings (see `save_letterhead`) when given."""
    office = with_letterhead(Office(name=office_name, level="tỉnh"), letterhead or {})
    with Receiving.create(path, office) as receiving:
        name = receiving.store.plan.office().name
    return Outcome(name, Change(Subject.DATA_FILE))


def with_letterhead(office: Office, settings: dict[str, Any]) -> Office:
    """`office` with the letterhead settings given (None: left as it was; "" clears).

    `addressee` ("Kính gửi") becomes the first recipient, as the reports read it.
    """
    changes: dict[str, Any] = {}
    for name in LETTERHEAD_FIELDS:
        value = settings.get(name)
        if value is None:
            continue
        if name == "style":
            value = DocumentStyle(value)
        elif name == "recipients":
            value = [(nfc(str(v)) or "").strip() for v in value if str(v).strip()]
        else:
            value = (nfc(str(value)) or "").replace("\\n", "\n").strip() or None
        changes[name] = value
    addressee = (settings.get("addressee") or "").strip()
    if addressee:
        rest = changes.get("recipients", office.recipients)
        rest = [r for r in rest if fold(r.rstrip(";.")) != fold(addressee)]
        changes["recipients"] = [nfc(addressee) or addressee, *rest]
    return replace(office, **changes)


def save_letterhead(db_path: Path, settings: dict[str, Any]) -> Outcome[Office]:
    """Change the receiving office's letterhead settings (`receive settings`, Cài đặt)."""
    with Receiving.open(db_path) as receiving:
        office = with_letterhead(receiving.store.plan.office(), settings)
        change = receiving.store.plan.update_office(office)
        return Outcome(receiving.store.plan.office(), change)


def add_office(
    receiving: Receiving, name: str, level: str | None = None, code: str | None = None
) -> Outcome[ReportingOffice]:
    """An office that reports to this one (found again by name when it exists)."""
    office = receiving.add_office(name, level, code)
    return Outcome(office, Change(Subject.RECEIVING, office.id, action=Action.INSERT))


def trust_keys(
    receiving: Receiving,
    files: list[Path],
    office_name: str | None = None,
    fingerprints: list[str] | None = None,
) -> Outcome[list[TrustedKey]]:
    """Trust office key files, public keys (for one office when named) and rotation statements.

    `fingerprints`: the ones read over the phone; each key must be among them.
    """
    office_id = receiving.add_office(office_name).id if office_name else None
    keys = receiving.trust_files([Path(f) for f in files], office_id, fingerprints)
    return Outcome(keys, Change(Subject.RECEIVING, fields=frozenset({"trusted_key"})))


def keys_to_confirm(files: list[Path]) -> list[tuple[str, str]]:
    """(whose, fingerprint) of each key trusted directly from `files` (a read), so the officer
    can be asked for each fingerprint as read over the phone; rotations need none."""
    from ..packages.key_binding import load_trust

    found = []
    for path in (Path(f) for f in files):
        items = sorted(path.iterdir()) if path.is_dir() else [path]
        for item in items:
            if not item.is_file() or item.suffix.lower() not in (".pem", ".json"):
                continue
            _keys, bindings = load_trust([item])
            for binding in bindings.values():
                if not item.name.startswith("key-rotation-"):
                    found.append((binding.office_name or item.name, binding.fingerprint))
    return found


@dataclass(frozen=True)
class KeyOnFile:
    """What a key file says before anything is trusted: its fingerprint, the office an office
    key file names (None for a bare .pub.pem), and the file."""

    path: Path
    fingerprint: str
    office_name: str | None = None


def read_key_file(path: Path) -> KeyOnFile:
    """The fingerprint (and named office) of an office key file or public key (a read), shown
    to the officer before the key is trusted, so it can be read over the phone first."""
    from ..packages.key_binding import read_office_key, statement_kind
    from ..packages.signing_keys import fingerprint_of, load_public

    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp khóa '{path}'.", "missing")
    if path.suffix.lower() == ".json":
        if statement_kind(path) != "office-key":
            raise UserError(
                f"Tệp '{path.name}' không phải tệp khóa đơn vị (.office-key.json); "
                "tuyên bố đổi khóa được nhận cùng gói báo cáo.",
                "bad_key",
            )
        binding = read_office_key(path)
        return KeyOnFile(path, binding.fingerprint, binding.office_name)
    return KeyOnFile(path, fingerprint_of(load_public(path)))


def withdraw_trust(receiving: Receiving, fingerprint: str) -> Outcome[TrustedKey]:
    """Stop trusting one key (audited); packages it signs from now on are refused."""
    key = receiving.withdraw_key(fingerprint)
    return Outcome(key, Change(Subject.RECEIVING, key.id, action=Action.DELETE,
                               fields=frozenset({"trusted_key"})))  # fmt: skip


def rebind_key(receiving: Receiving, fingerprint: str, office_name: str) -> Outcome[TrustedKey]:
    """The receiving office's explicit word that a trusted key now speaks for `office_name`."""
    office = receiving.office_by_name(office_name)
    if office is None:
        raise UserError(f"Chưa có đơn vị báo cáo '{office_name}'.", "missing")
    key = receiving.rebind_key(fingerprint, office.id)
    return Outcome(key, Change(Subject.RECEIVING, fields=frozenset({"trusted_key"})))


def ingest_packages(
    db_path: Path,
    sources: list[Path],
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[IngestReport]:
    """Verify and record every package under `sources` (one bad package is a line)."""
    with Receiving.open(db_path) as receiving:
        report = ingest(receiving, [Path(s) for s in sources], progress=progress, cancel=cancel)
    return Outcome(report, Change(Subject.RECEIVING, fields=frozenset({"package"})))


@dataclass(frozen=True)
class ConsolidationFiles:
    xlsx: Path
    pdf: Path | None
    offices: int
    reported: int
    reference: str | None = None  # "03/BC-SKHCN" when the PDF was issued
    signatures: int = 0


@dataclass(frozen=True)
class Issuing:
    """How the consolidated PDF is issued: numbered from the register, dated, signed."""

    issue_date: date
    number: int | None = None  # None: the register's next
    signer: PdfSigner | None = None
    org_signer: PdfSigner | None = None


def export_consolidation(
    db_path: Path,
    period_id: str,
    xlsx: Path,
    pdf: Path | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
    issuing: Issuing | None = None,
) -> Outcome[ConsolidationFiles]:
    """The consolidated workbook of a period, and its PDF summary when `pdf` is given.

    With `issuing`, the PDF is an issued document: it needs the signer's name
    and title, takes its number from the receiving file's outgoing register,
    and is signed like a report (signer, then organisation with the seal).
    """
    from ..receiving.consolidation import consolidate
    from ..receiving.consolidation_xlsx import write_consolidation_xlsx

    steps = 3 if pdf else 2
    progress(0, steps, "Đang tổng hợp số liệu")
    reference, signatures = None, 0
    with Receiving.open(db_path) as receiving:
        data = consolidate(receiving, period_id)
        checkpoint(cancel, "Đã hủy; không có tệp nào được ghi.")
        progress(1, steps, "Đang ghi bảng tổng hợp Excel")
        write_consolidation_xlsx(data, Path(xlsx))
        if pdf is not None:
            from ..receiving.consolidation_pdf import issue_consolidation_pdf

            checkpoint(cancel, "Đã hủy; bảng Excel đã ghi, báo cáo PDF chưa ghi.")
            progress(2, steps, "Đang ghi báo cáo tóm tắt PDF")
            issued, signatures = issue_consolidation_pdf(receiving.store, data, Path(pdf), issuing)
            reference = issued.reference if issued else None
    progress(steps, steps, "Đã xuất tổng hợp")
    files = ConsolidationFiles(Path(xlsx), pdf, len(data.offices), len(data.reported),
                               reference, signatures)  # fmt: skip
    return Outcome(files)


def export_open_data(
    db_path: Path, fmt: str, out: Path, period_id: str | None = None
) -> Outcome[OpenDataResult]:
    """The receiving file's figures in an open format: `datapackage` (a Frictionless
    Tabular Data Package in the folder `out`) or `dhis2` (dataValueSets JSON in `out`);
    all periods received, or one."""
    from ..models.atomic_file import disk_error_message
    from ..receiving.open_data import write_data_package, write_dhis2

    writers = {"datapackage": write_data_package, "dhis2": write_dhis2}
    if fmt not in writers:
        raise UserError(f"Không có định dạng '{fmt}'. Chọn một trong: datapackage, dhis2.")
    with Receiving.open(db_path) as receiving:
        try:
            result = writers[fmt](receiving, Path(out), period_id)
        except OSError as exc:
            raise UserError(disk_error_message(exc, Path(exc.filename or out))) from None
    return Outcome(result)


def submission_matrix(db_path: Path, period_ids: list[str] | None = None) -> Matrix:
    """Offices × periods: on time, late, missing, rejected (a read)."""
    with Receiving.open(db_path) as receiving:
        return build_matrix(receiving, period_ids)


def create_sample_receiving_file(
    path: Path,
    sample: str,
    today: date,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Outcome[SampleReceiving]:
    """The sample receiving file of a sample plan (`receive demo`, `make run-receiving`):
    its receiving body, the offices reporting to it and their signed packages received,
    made through the real export and ingest (app/receiving/sample_file.py)."""
    from ..receiving.sample_file import build_sample_receiving

    made = build_sample_receiving(Path(path), sample, today, progress, cancel)
    return Outcome(made, Change(Subject.DATA_FILE))
