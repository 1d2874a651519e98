"""Ingest a folder of report packages into the receiving data file.

Every `.zip` under the chosen folders (recursively) or among the dropped
files is hashed, verified with verify_package against the keys the province
trusts, and recorded. Records are committed in batches of about half a
second of work (one durable commit per batch instead of one disk sync per
package), so an ingest cut off half way (cancel, power cut, USB stick
pulled) loses at most that last batch and resumes where it stopped: a file
already recorded is recognised by its SHA-256 and reported as "đã nhận trước
đó" without being opened again. The exceptions are packages refused for a
reason that can since have gone (RECHECKED: a signer not yet trusted or not
yet bound to its office, a period not yet open for reporting, a clock ahead of
the receiver's): they are checked again.

Files are taken in natural name order (…_2 before …_10), so when a folder
holds several sequences of one report the older ones are met first and end
up superseded rather than refused as replays.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..models.errors import UserError
from ..models.file_walk import find_files
from ..models.long_work import Cancelled, Progress
from ..packages import format as fmt
from ..packages.canonical_zip import MAX_TOTAL_BYTES, ZipProblem, read_members
from ..packages.verify import MAX_PACKAGE_JSON_BYTES, verify_package
from .rules import record_arrival
from .store import Arrival, PackageStatus, ReceivedPackage, Receiving

DUPLICATE = "duplicate"  # outcome of a file already received: no new row
# Refusals that the officer or the calendar can lift: the key trusted or bound since, the
# period come, the receiver's clock corrected. Such a file is checked again when seen again.
RECHECKED = frozenset(("untrusted_signer", "unbound_key", "period_not_ended", "created_in_future"))

OUTCOME_LABELS = {
    PackageStatus.ACCEPTED.value: "Đã nhận",
    PackageStatus.REPLAY.value: "Từ chối (gửi lại gói cũ)",
    PackageStatus.REJECTED.value: "Từ chối",
    DUPLICATE: "Đã nhận trước đó",
}


@dataclass(frozen=True)
class IngestLine:
    """What happened to one file."""

    path: Path
    outcome: str  # accepted | replay | rejected | duplicate
    reason: str
    package: ReceivedPackage | None = None
    superseded: ReceivedPackage | None = None

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def text(self) -> str:
        """One line for the CLI and the page's log: status, file, reason."""
        return f"{self.label}: {self.path.name} — {self.reason}"


@dataclass
class IngestReport:
    lines: list[IngestLine] = field(default_factory=list)
    total: int = 0
    cancelled: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    def summary(self) -> str:
        parts = [f"{self.count(k)} {v.lower()}" for k, v in OUTCOME_LABELS.items() if self.count(k)]
        head = f"Đã xử lý {len(self.lines)}/{self.total} tệp"
        tail = " (đã dừng theo yêu cầu)" if self.cancelled else ""
        return f"{head}: {', '.join(parts) or 'không có gói nào'}{tail}."


# How much ingest work one commit covers: what a power cut can cost, re-done on resume.
BATCH_SECONDS = 0.5


def _natural(path: Path) -> list[Any]:
    return [
        int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", str(path))
    ]


def package_files(sources: Iterable[Path]) -> list[Path]:
    """The .zip files of the sources: folders searched recursively, files taken as given."""
    found: dict[Path, None] = {}
    for source in (Path(s) for s in sources):
        if source.is_dir():
            # Iterative, depth- and count-bounded (a folder nested 1,100 levels deep
            # must not end in RecursionError), never following links to folders.
            items = find_files(source, lambda name: name.lower().endswith(".zip"))
            for item in sorted(items, key=_natural):
                found[item] = None
        elif source.is_file():
            found[source] = None
        else:
            raise UserError(
                f"Không tìm thấy '{source}' (thư mục chưa có hoặc ổ USB đã bị rút ra).", "folder"
            )
    return list(found)


def _peek(blob: bytes | None) -> tuple[dict[str, Any] | None, bytes | None]:
    """package.json and data.json bytes of a zip, read without any check (verify does those)."""
    if blob is None:
        return None, None
    try:
        members = read_members(blob)
    except ZipProblem:
        return None, None
    package, data = None, None
    for member in members:
        top, _, inner = member.name.partition("/")
        if inner == fmt.PACKAGE_JSON and len(member.data) <= MAX_PACKAGE_JSON_BYTES:
            try:
                package = json.loads(bytes(member.data).decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                package = None
        elif inner == fmt.DATA_JSON:
            data = bytes(member.data)
    return (package if isinstance(package, dict) else None), data


def _public_raw(package: dict[str, Any] | None) -> bytes | None:
    import base64
    import binascii

    try:
        raw = base64.b64decode(package["public_key"], validate=True)  # type: ignore[index]
    except (TypeError, KeyError, ValueError, binascii.Error):
        return None
    return raw if len(raw) == 32 else None


def _late(created_at: str | None, due: str | None) -> bool | None:
    """Late when the package was made after its due day (the office's own local date)."""
    if not created_at or not due:
        return None
    try:
        return datetime.fromisoformat(created_at).date() > date.fromisoformat(due)
    except ValueError:
        return None


def _plan_sha(data: dict[str, Any], raw: bytes | None) -> str:
    """A hash identifying the plan part of data.json (a cache key for consolidation).

    The exporter writes the top-level keys one per line in a fixed order, so
    the bytes from `"plan"` to `"data_format"` are exactly the plan, its
    indicators and tasks; identical bytes mean an identical plan. Other
    layouts fall back to hashing the re-serialised parts.
    """
    if raw is not None:
        start, end = raw.find(b'\n "plan": '), raw.find(b'\n "data_format": ')
        if 0 < start < end:
            return "b:" + hashlib.sha256(raw[start:end]).hexdigest()
    part = [data.get("plan"), data.get("indicator_groups"), data.get("task_groups")]
    text = json.dumps(part, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "j:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _correction_fields(arrival: Arrival, package: dict[str, Any]) -> None:
    """Kind, corrected sequence, change list and completeness from a verified package.json.

    Packages made before these fields existed are originals with no completeness.
    """
    kind = package.get("kind")
    arrival.kind = kind if kind in ("original", "correction") else "original"
    corrects = package.get("corrects")
    if isinstance(corrects, int) and not isinstance(corrects, bool):
        arrival.corrects = corrects
    changes = package.get("changes")
    if isinstance(changes, list):
        arrival.changes = [c for c in changes if isinstance(c, dict)]
    done = package.get("completeness")
    if isinstance(done, dict):
        arrival.completeness = {k: v for k, v in done.items() if isinstance(v, int)}


def _read(path: Path) -> tuple[bytes | None, str, int]:
    """(bytes or None when too big to open, SHA-256, size).

    A file too big to be a package is refused from its size alone: reading a 20 GB
    (perhaps sparse) file to hash it would take minutes. Its "SHA-256" is then the
    hash of its size and first and last MiB — enough to know it again, never
    the identity of a package (such a file is never accepted).
    """
    try:
        size = path.stat().st_size
        if size > MAX_TOTAL_BYTES + (16 << 20):
            digest = hashlib.sha256(f"too-large:{size}:".encode())
            with open(path, "rb") as handle:
                digest.update(handle.read(1 << 20))
                handle.seek(max(0, size - (1 << 20)))
                digest.update(handle.read(1 << 20))
            return None, digest.hexdigest(), size
        blob = path.read_bytes()
    except OSError as exc:
        raise UserError(f"Không đọc được tệp '{path}': {exc.strerror}.", "read") from None
    return blob, hashlib.sha256(blob).hexdigest(), size


def ingest_one(
    receiving: Receiving, path: Path, trusted: set[bytes], now: datetime | None = None
) -> IngestLine:
    """Verify and record one package file (a savepoint inside the current batch).

    `now` is the receiver's clock for the time rules (timing); default: now.
    """
    blob, sha, size = _read(path)
    known = receiving.package_by_sha(sha)
    if known is not None:
        if known.reason_code not in RECHECKED or _public_raw(_peek(blob)[0]) not in trusted:
            shown = f"{known.status.label}" + (f" ({known.reason})" if known.reason else "")
            return IngestLine(path, DUPLICATE, f"Đã nhận trước đó: {shown}.", known)
        receiving.forget_package(known.id)
    package, data_raw = _peek(blob)
    raw = _public_raw(package)
    keys: list[bytes] = list(trusted) if raw is None else ([raw] if raw in trusted else [])
    result = verify_package(path, keys)
    created = package.get("created_at") if package and result.ok else None
    data = result.data if result.ok else None
    arrival = Arrival(
        sha256=sha, file_name=path.name, path=str(path), size=size, ok=result.ok,
        reason_code=result.code, reason=result.message, office_uid=result.office_id,
        office_name=result.office_name, period_id=result.period_id, sequence=result.sequence,
        created_at=created if isinstance(created, str) else None,
        fingerprint=result.fingerprint, public_key=raw,
        data=data, data_raw=data_raw if result.ok else None,
        plan_sha=_plan_sha(data, data_raw) if data else None,
    )  # fmt: skip
    if result.ok and package:
        _correction_fields(arrival, package)
    if data:
        arrival.due = data["period"].get("due")
        arrival.late = _late(arrival.created_at, arrival.due)
    recorded, superseded = record_arrival(receiving, arrival, now)
    reason = recorded.reason or ""
    if recorded.status is PackageStatus.ACCEPTED:
        timing = "trễ hạn" if recorded.late else "đúng hạn"
        reason = (
            f"{recorded.office_name}, kỳ {recorded.period_id}, lần gửi {recorded.sequence}, "
            f"{timing}" + (f"; thay thế lần gửi {superseded.sequence}" if superseded else "")
            + (f"; cần xem: {recorded.flag_text}" if recorded.flags else "") + "."
        )  # fmt: skip
    return IngestLine(path, recorded.status.value, reason, recorded, superseded)


def ingest(
    receiving: Receiving,
    sources: Iterable[Path] | Path,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Ingest every package under `sources`; see the module docstring.

    Raises UserError only when a source cannot be used at all; a bad package
    is a line of the report, never an exception.
    """
    if isinstance(sources, str | Path):
        sources = [Path(sources)]
    files = package_files(sources)
    report = IngestReport(total=len(files))
    trusted = receiving.trusted_raw()
    with contextlib.ExitStack() as batch:
        batch_started = None
        for done, path in enumerate(files):
            if progress is not None:
                progress(done, len(files), f"Đang kiểm tra {path.name} ({done + 1}/{len(files)})")
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                break  # the batches so far are committed; raised as Cancelled below
            if batch_started is None:
                batch.enter_context(receiving.store.transaction())
                batch_started = time.monotonic()
            enabled = gc.isenabled()
            gc.disable()  # one file's objects are freed by reference counting; collect between files
            try:
                report.lines.append(ingest_one(receiving, path, trusted, now))
            except UserError as exc:
                if exc.code == "disk" or not path.exists():
                    raise
                report.lines.append(IngestLine(path, PackageStatus.REJECTED.value, exc.message))
            finally:
                if enabled:
                    gc.enable()
            if time.monotonic() - batch_started >= BATCH_SECONDS:
                batch.close()  # commit this batch
                batch_started = None
    if report.cancelled:
        raise Cancelled(f"Đã dừng; {report.summary()}", partial=report)
    if progress is not None:
        progress(len(files), len(files), report.summary())
    return report


def extract_report_pdf(package: ReceivedPackage, out_dir: Path) -> Path:
    """Copy the report PDF out of a received package file, for the system viewer.

    The file is read from where it was received and must still be the same
    bytes (SHA-256) that were verified; the PDF is written atomically as
    `<package>.pdf` in `out_dir`.
    """
    from ..models.atomic_file import write_bytes_atomic

    path = Path(package.path)
    try:
        blob = path.read_bytes()
    except OSError:
        raise UserError(
            f"Không còn tệp gói '{path}' (đã xóa, đổi chỗ hoặc ổ USB đã rút ra).", "missing"
        ) from None
    if hashlib.sha256(blob).hexdigest() != package.sha256:
        raise UserError(f"Tệp '{path}' đã khác với gói đã nhận; không mở.", "changed")
    for member in read_members(blob):
        if member.name.partition("/")[2] == fmt.REPORT_PDF:
            out_dir.mkdir(parents=True, exist_ok=True)
            target = out_dir / f"{path.stem}.pdf"
            write_bytes_atomic(target, bytes(member.data), mode=0o644)
            return target
    raise UserError(f"Gói '{path.name}' không có báo cáo PDF.", "no_pdf")
