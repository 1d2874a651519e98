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

A file is checked (read once, hashed, verified, its data.json compressed) by
ingest_check.check_file, which needs no data file; a large batch is checked
over worker processes (ingest_pool) while this process records the results,
still in file order, with every rule and refusal as for one file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from ..models.errors import UserError
from ..models.file_walk import find_files
from ..models.long_work import Cancelled, Progress
from ..packages import format as fmt
from ..packages.canonical_zip import read_members
from .ingest_check import RECHECKED, Checked, check_file
from .ingest_pool import CheckPool, pool_size
from .rules import record_arrival
from .store import Arrival, PackageStatus, ReceivedPackage, Receiving

DUPLICATE = "duplicate"  # outcome of a file already received: no new row

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


def _late(created_at: str | None, due: str | None) -> bool | None:
    """Late when the package was made after its due day (the office's own local date)."""
    if not created_at or not due:
        return None
    try:
        return datetime.fromisoformat(created_at).date() > date.fromisoformat(due)
    except ValueError:
        return None


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


def _duplicate(receiving: Receiving, checked: Checked, trusted: set[bytes]) -> IngestLine | None:
    """The line of a file the data file already holds, or None to record it (again).

    A file refused for a reason that can have gone (RECHECKED) whose key is trusted
    now is forgotten, to be recorded anew."""
    known = receiving.package_by_sha(checked.sha256)
    if known is None:
        return None
    if known.reason_code not in RECHECKED or checked.public_key not in trusted:
        shown = f"{known.status.label}" + (f" ({known.reason})" if known.reason else "")
        return IngestLine(checked.path, DUPLICATE, f"Đã nhận trước đó: {shown}.", known)
    receiving.forget_package(known.id)
    return None


def record_checked(
    receiving: Receiving, checked: Checked, trusted: set[bytes], now: datetime | None = None
) -> IngestLine:
    """Record one checked file against the data file (a savepoint inside the current batch).

    `now` is the receiver's clock for the time rules (timing); default: now.
    """
    path = checked.path
    if checked.error is not None:
        code, message = checked.error
        raise UserError(message, code)
    if (line := _duplicate(receiving, checked, trusted)) is not None:
        return line
    if checked.skipped:  # the worker's map of known files was stale: check it here
        checked = check_file(path, {}, trusted)
    arrival = Arrival(
        sha256=checked.sha256, file_name=path.name, path=str(path), size=checked.size,
        ok=checked.ok, reason_code=checked.code, reason=checked.message,
        office_uid=checked.office_uid, office_name=checked.office_name,
        period_id=checked.period_id, sequence=checked.sequence,
        created_at=checked.created_at, fingerprint=checked.fingerprint,
        public_key=checked.public_key, data=checked.data, data_packed=checked.packed,
        plan_sha=checked.plan_sha,
    )  # fmt: skip
    if checked.ok:
        _correction_fields(arrival, checked.package)
        arrival.due = ((checked.data or {}).get("period") or {}).get("due")
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


def ingest_one(
    receiving: Receiving, path: Path, trusted: set[bytes], now: datetime | None = None
) -> IngestLine:
    """Check and record one package file in this process (a savepoint inside the batch)."""
    return record_checked(receiving, check_file(path, _KnownNow(receiving), trusted), trusted, now)


class _KnownNow(Mapping[str, str | None]):
    """The data file's files as it is now (check_file's `known`, asked file by file)."""

    def __init__(self, receiving: Receiving) -> None:
        self.db = receiving.db

    def __getitem__(self, sha256: str) -> str | None:
        row = self.db.execute(
            "SELECT reason_code FROM recv_package WHERE sha256 = ?", [sha256]
        ).fetchone()
        if row is None:
            raise KeyError(sha256)
        return cast(str | None, row[0])

    def __iter__(self) -> Iterator[str]:
        return (row[0] for row in self.db.execute("SELECT sha256 FROM recv_package"))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM recv_package").fetchone()[0])


def _checked_in_process(
    receiving: Receiving, files: list[Path], trusted: set[bytes]
) -> Iterator[Checked]:
    known = _KnownNow(receiving)
    for path in files:
        yield check_file(path, known, trusted)


def ingest(
    receiving: Receiving,
    sources: Iterable[Path] | Path,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest every package under `sources`; see the module docstring.

    `workers`: processes that check files while this one records them (ingest_pool);
    None chooses (a pool for a large batch on a machine with several cores), 0 checks
    every file here. Raises UserError only when a source cannot be used at all; a bad
    package is a line of the report, never an exception.
    """
    if isinstance(sources, str | Path):
        sources = [Path(sources)]
    files = package_files(sources)
    report = IngestReport(total=len(files))
    trusted = receiving.trusted_raw()
    count = pool_size(len(files)) if workers is None else workers
    with contextlib.ExitStack() as work:
        if count > 0:
            known = receiving.known_files()
            checks: Iterator[Checked] = work.enter_context(
                CheckPool(files, known, frozenset(trusted), count)
            )
        else:
            checks = _checked_in_process(receiving, files, trusted)
        _record_all(receiving, files, checks, trusted, report, progress, cancel, now)
    if report.cancelled:
        raise Cancelled(f"Đã dừng; {report.summary()}", partial=report)
    if progress is not None:
        progress(len(files), len(files), report.summary())
    return report


def _record_all(
    receiving: Receiving,
    files: list[Path],
    checks: Iterator[Checked],
    trusted: set[bytes],
    report: IngestReport,
    progress: Progress | None,
    cancel: threading.Event | None,
    now: datetime | None,
) -> None:
    """Record the checked files in file order, one durable commit per batch."""
    with contextlib.ExitStack() as batch:
        batch_started = None
        for done, path in enumerate(files):
            if progress is not None:
                progress(done, len(files), f"Đang kiểm tra {path.name} ({done + 1}/{len(files)})")
            if cancel is not None and cancel.is_set():
                report.cancelled = True
                return  # the batches so far are committed; raised as Cancelled by the caller
            if batch_started is None:
                batch.enter_context(receiving.store.transaction())
                batch_started = time.monotonic()
            checked = next(checks)
            enabled = gc.isenabled()
            gc.disable()  # one file's objects are freed by reference counting; collect between files
            try:
                report.lines.append(record_checked(receiving, checked, trusted, now))
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
