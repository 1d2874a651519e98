"""Which office a valid package belongs to, and whether it is accepted, newer, or a replay.

A key speaks only for the office it was bound to when it was trusted: by the
office's signed key file (key_binding), by the officer naming the office for
a bare PEM key, or by a rotation statement signed by that office's earlier
key. Nothing is bound by first arrival: a package signed by a key bound to no
office is refused until the officer says whose key it is, and a package whose
office id is not its key's office is refused, so an office can never take
another's place by reporting first. The only thing a first package may teach
is the office id of an office trusted by name, and only when the package
gives that same name and no other office has the id.

Then the time and sequence rules (timing) and, last, which sequence counts.
"""

from __future__ import annotations

from datetime import datetime

from ..models.text import fold
from ..packages.key_binding import retired_after
from .store import (
    Arrival,
    Decision,
    PackageStatus,
    ReceivedPackage,
    Receiving,
    ReportingOffice,
    update_row,
)
from .timing import sequence_problem, time_problem


class _Mismatch(Exception):
    def __init__(self, message: str, code: str = "office_mismatch") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _flags(receiving: Receiving, office: ReportingOffice, arrival: Arrival) -> tuple[str, ...]:
    """ "missing_original" for a correction whose original this office never received."""
    if arrival.kind != "correction" or arrival.corrects is None:
        return ()
    row = receiving.db.execute(
        "SELECT 1 FROM recv_package WHERE office_id = ? AND period_id = ? AND sequence = ? "
        "AND status IN ('accepted', 'superseded')",
        [office.id, arrival.period_id, arrival.corrects],
    ).fetchone()
    return () if row else ("missing_original",)


def decide(receiving: Receiving, arrival: Arrival, now: datetime | None = None) -> Decision:
    """The status of `arrival` against what is recorded (runs inside the caller's transaction).

    `now` is the receiver's clock (the time rules judge `created_at` by it).
    """
    if not arrival.ok:
        return Decision(PackageStatus.REJECTED, _claimed(receiving, arrival),
                        arrival.reason_code, arrival.reason)  # fmt: skip
    try:
        office = _office_for(receiving, arrival)
    except _Mismatch as problem:
        return Decision(PackageStatus.REJECTED, _claimed(receiving, arrival),
                        problem.code, problem.message)  # fmt: skip
    now = now or datetime.now().astimezone()
    if refusal := time_problem(arrival, now) or sequence_problem(arrival):
        return Decision(PackageStatus.REJECTED, office.id, *refusal)
    flags = _flags(receiving, office, arrival)
    row = receiving.db.execute(
        "SELECT id, sequence FROM recv_package WHERE office_id = ? AND period_id = ? "
        "AND status = 'accepted'",
        [office.id, arrival.period_id],
    ).fetchone()
    if row is None:
        return Decision(PackageStatus.ACCEPTED, office.id, flags=flags)
    current_id, current_seq = row
    if arrival.sequence is not None and arrival.sequence > current_seq:
        return Decision(PackageStatus.ACCEPTED, office.id, supersedes=current_id,
                        reason=f"Thay thế lần gửi {current_seq}.", flags=flags)  # fmt: skip
    same = "trùng" if arrival.sequence == current_seq else "cũ hơn"
    return Decision(
        PackageStatus.REPLAY,
        office.id,
        "replay",
        f"Gói lần gửi {arrival.sequence} {same} lần gửi {current_seq} đã nhận của "
        f"{office.name} cho kỳ {arrival.period_id}: không nhận lại gói cũ.",
    )


def _claimed(receiving: Receiving, arrival: Arrival) -> int | None:
    """The office a refused package says it is from, so the matrix can show it as refused:
    the office of its (trusted) key, else the office with the id it carries. Nothing
    else of a refused package is used."""
    if arrival.public_key is not None:
        key = receiving.key(arrival.public_key)
        if key is not None and key.office_id is not None:
            return key.office_id
    office = receiving.office_by_uid(arrival.office_uid) if arrival.office_uid else None
    return office.id if office else None


def _office_for(receiving: Receiving, arrival: Arrival) -> ReportingOffice:
    db, audit = receiving.db, receiving.store.audit
    if arrival.public_key is None or arrival.office_uid is None:  # verify said ok: never
        raise _Mismatch("Gói thiếu khóa ký hoặc mã đơn vị.", "bad_package_json")
    key = receiving.key(arrival.public_key)
    if key is None:  # verify_package accepted it, so it was trusted a moment ago
        raise _Mismatch("Khóa ký không còn trong danh sách khóa tin cậy.", "untrusted_signer")
    uid, name = arrival.office_uid, arrival.office_name or ""
    if key.office_id is None:
        raise _Mismatch(
            f"Khóa ký {key.fingerprint} chưa được gắn với đơn vị nào; gói ghi là của {name}. "
            "Hãy tin cậy tệp khóa đơn vị (.office-key.json) hoặc tin cậy khóa kèm tên đơn vị, "
            "sau khi đối chiếu mã khóa qua điện thoại.",
            "unbound_key",
        )
    if key.retired_at and arrival.created_at and retired_after(key.retired_at, arrival.created_at):
        raise _Mismatch(
            f"Khóa ký {key.fingerprint} đã được thay bằng khóa mới lúc {key.retired_at} "
            f"(tuyên bố đổi khóa), nhưng gói lập lúc {arrival.created_at} vẫn ký bằng khóa cũ.",
            "retired_key",
        )
    office = receiving.office(key.office_id)
    if office.uid is None:
        # trusted by name only: the package may give the id, if it gives the same name too
        other = receiving.office_by_uid(uid)
        if other is not None and other.id != office.id:
            raise _Mismatch(
                f"Gói mang mã của đơn vị {other.name} nhưng được ký bằng khóa đã đăng ký "
                f"cho {office.name}."
            )
        if fold(name) != fold(office.name):
            raise _Mismatch(
                f"Khóa ký đã đăng ký cho {office.name} nhưng gói ghi tên đơn vị {name}. "
                "Hãy tin cậy tệp khóa đơn vị (có mã và tên đơn vị) để gắn khóa đúng đơn vị."
            )
        update_row(db, "recv_office", office.id, {"uid": uid})
        audit.record("recv_office", office.id, "uid", None, uid)
        return receiving.office(office.id)
    if office.uid != uid:
        raise _Mismatch(
            f"Khóa ký đã đăng ký cho {office.name} nhưng gói mang mã của một đơn vị khác "
            f"({name}, mã {uid})."
        )
    return office


def record_arrival(
    receiving: Receiving, arrival: Arrival, now: datetime | None = None
) -> tuple[ReceivedPackage, ReceivedPackage | None]:
    """Decide what an arrival is and record it, in one transaction."""
    with receiving.store.transaction():
        return receiving.record(arrival, decide(receiving, arrival, now))
