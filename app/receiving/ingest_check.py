"""Check one package file without the data file: the part of ingest a worker process does.

`check_file` reads the file once, hashes it, verifies it (verify_package on
the bytes already read, against the receiving office's raw keys) and returns
a small picklable `Checked`: the verdict, the fields the receiving rules
need, and data.json already compressed as the data file stores it. Nothing
here touches the data file, so many files can be checked at once in a
process pool (ingest) while the parent records the results in order.

A file the data file already holds (its SHA-256 in the `known` map given to
the worker) is not verified again, unless it was refused for a reason that
can have gone since (ingest.RECHECKED) and its key is trusted now; the parent
decides again against the data file itself, so a stale map costs only time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import zlib
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models.errors import UserError
from ..packages import format as fmt
from ..packages.canonical_zip import MAX_TOTAL_BYTES, ZipProblem, read_members
from ..packages.verify import MAX_PACKAGE_JSON_BYTES, verify_package

# Refusals that the officer or the calendar can lift: the key trusted or bound since, the
# period come, the receiver's clock corrected. Such a file is checked again when seen again.
RECHECKED = frozenset(("untrusted_signer", "unbound_key", "period_not_ended", "created_in_future"))


@dataclass
class Checked:
    """What one file is, as far as it can be known without the data file."""

    path: Path
    sha256: str = ""
    size: int = 0
    skipped: bool = False  # already in the data file (the `known` map): not verified again
    error: tuple[str, str] | None = None  # (code, message) of a UserError reading the file
    ok: bool = False
    code: str = ""
    message: str = ""
    public_key: bytes | None = None  # the verified key, else the one package.json claims
    office_uid: str | None = None
    office_name: str | None = None
    period_id: str | None = None
    sequence: int | None = None
    created_at: str | None = None
    fingerprint: str | None = None
    plan_sha: str | None = None
    packed: bytes | None = None  # data.json as signed, zlib-compressed for the data file
    # what the receiving rules read of data.json: its "period" and its plan header
    data: dict[str, Any] | None = None
    package: dict[str, Any] = field(default_factory=dict)  # kind, corrects, changes, completeness


def read_file(path: Path) -> tuple[bytes | None, str, int]:
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


def claimed_key(blob: bytes | None) -> bytes | None:
    """The raw public key package.json names, read without any check (verify does those)."""
    if blob is None:
        return None
    try:
        members = read_members(blob)
    except ZipProblem:
        return None
    for member in members:
        if member.name.partition("/")[2] == fmt.PACKAGE_JSON:
            if len(member.data) > MAX_PACKAGE_JSON_BYTES:
                return None
            try:
                package = json.loads(bytes(member.data).decode("utf-8"))
                raw = base64.b64decode(package["public_key"], validate=True)
            except (UnicodeDecodeError, ValueError, RecursionError, TypeError, KeyError,
                    binascii.Error):  # fmt: skip
                return None
            return raw if len(raw) == 32 else None
    return None


def plan_sha(data: dict[str, Any], raw: bytes | None) -> str:
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


_PACKAGE_FIELDS = ("kind", "corrects", "changes", "completeness")


def check_file(path: Path, known: Mapping[str, str | None], trusted: Set[bytes]) -> Checked:
    """Read, hash and verify one file (see the module docstring); never raises UserError."""
    checked = Checked(path)
    try:
        blob, checked.sha256, checked.size = read_file(path)
    except UserError as exc:
        checked.error = (exc.code, exc.message)
        return checked
    if checked.sha256 in known:
        checked.public_key = claimed_key(blob) if known[checked.sha256] in RECHECKED else None
        if known[checked.sha256] not in RECHECKED or checked.public_key not in trusted:
            checked.skipped = True
            return checked
    result = verify_package(path, (), trusted_raw=trusted, blob=blob)
    checked.ok, checked.code, checked.message = result.ok, result.code, result.message
    checked.office_uid, checked.office_name = result.office_id, result.office_name
    checked.period_id, checked.sequence = result.period_id, result.sequence
    checked.fingerprint = result.fingerprint
    if not result.ok or result.data is None:
        checked.public_key = claimed_key(blob)
        return checked
    checked.public_key = result.public_key
    created = result.created_at
    checked.created_at = created if isinstance(created, str) else None
    package = result.package or {}
    checked.package = {k: package[k] for k in _PACKAGE_FIELDS if k in package}
    checked.plan_sha = plan_sha(result.data, result.data_raw)
    checked.packed = zlib.compress(result.data_raw, 1) if result.data_raw is not None else None
    checked.data = {"period": result.data.get("period"), "plan": result.data.get("plan")}
    return checked


# -- in a worker process --------------------------------------------------------------
_known: Mapping[str, str | None] = {}
_trusted: Set[bytes] = frozenset()


def start_worker(known: Mapping[str, str | None], trusted: Set[bytes]) -> None:
    """The pool's initializer: what every file of this ingest is checked against."""
    global _known, _trusted
    _known, _trusted = known, trusted
    fmt.fast_data_check()  # compiled once per process, not per file
    fmt.package_validator()


def check_files(paths: list[Path]) -> list[Checked]:
    """One chunk of files, checked in a worker process."""
    import gc

    gc.disable()  # nothing cyclic is made; a chunk's objects go by reference counting
    try:
        return [check_file(path, _known, _trusted) for path in paths]
    finally:
        gc.enable()
