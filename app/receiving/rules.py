"""Which office a valid package belongs to, and whether it is accepted, newer, or a replay.

The office is found through the signing key first: a key trusted for an
office (directly, or by a rotation statement signed by that office's earlier
key) speaks only for that office. A key trusted without an office is bound
to the office its first valid package names, unless that office already has
another key: then an office could speak for another by copying its id, so
the package is refused and the officer is asked to say whose key it is.
"""

from __future__ import annotations

from ..models.audit import now_iso
from ..models.text import fold
from .store import (
    Arrival,
    Decision,
    PackageStatus,
    ReceivedPackage,
    Receiving,
    ReportingOffice,
    insert_row,
    update_row,
)


class _Mismatch(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decide(receiving: Receiving, arrival: Arrival) -> Decision:
    """The status of `arrival` against what is recorded (runs inside the caller's transaction)."""
    if not arrival.ok:
        return Decision(PackageStatus.REJECTED, _claimed(receiving, arrival),
                        arrival.reason_code, arrival.reason)  # fmt: skip
    try:
        office = _office_for(receiving, arrival)
    except _Mismatch as problem:
        return Decision(PackageStatus.REJECTED, _claimed(receiving, arrival),
                        "office_mismatch", problem.message)  # fmt: skip
    row = receiving.db.execute(
        "SELECT id, sequence FROM recv_package WHERE office_id = ? AND period_id = ? "
        "AND status = 'accepted'",
        [office.id, arrival.period_id],
    ).fetchone()
    if row is None:
        return Decision(PackageStatus.ACCEPTED, office.id)
    current_id, current_seq = row
    if arrival.sequence is not None and arrival.sequence > current_seq:
        return Decision(PackageStatus.ACCEPTED, office.id, supersedes=current_id,
                        reason=f"Thay thế lần gửi {current_seq}.")  # fmt: skip
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
    assert arrival.public_key is not None and arrival.office_uid is not None
    key = receiving.key(arrival.public_key)
    if key is None:  # verify_package accepted it, so it was trusted a moment ago
        raise _Mismatch("Khóa ký không còn trong danh sách khóa tin cậy.")
    uid, name = arrival.office_uid, arrival.office_name or ""
    office: ReportingOffice | None  # the key's office, else one found by id or name
    if key.office_id is not None:
        office = receiving.office(key.office_id)
        if office.uid is None:
            other = receiving.office_by_uid(uid)
            if other is not None and other.id != office.id:
                raise _Mismatch(
                    f"Gói mang mã của đơn vị {other.name} nhưng được ký bằng khóa đã đăng ký "
                    f"cho {office.name}."
                )
            update_row(db, "recv_office", office.id, {"uid": uid})
            audit.record("recv_office", office.id, "uid", None, uid)
            return receiving.office(office.id)
        if office.uid != uid:
            raise _Mismatch(
                f"Khóa ký đã đăng ký cho {office.name} nhưng gói mang mã của một đơn vị khác "
                f"({name})."
            )
        return office
    office = receiving.office_by_uid(uid)
    if office is not None and receiving.keys(office.id):
        raise _Mismatch(
            f"{office.name} đã có khóa ký khác; khóa {key.fingerprint} chưa được gán cho đơn vị "
            "này. Hãy tin cậy khóa kèm tên đơn vị, hoặc nhận tuyên bố đổi khóa của đơn vị."
        )
    if office is None:
        office = receiving.office_by_name(name)
        if office is not None and office.uid is not None:
            raise _Mismatch(
                f"Đã có đơn vị {office.name} với mã đơn vị khác; gói này mang mã {uid}."
            )
        if office is not None:
            update_row(db, "recv_office", office.id, {"uid": uid})
            audit.record("recv_office", office.id, "uid", None, uid)
        else:
            level = ((arrival.data or {}).get("office") or {}).get("level")
            row = {"uid": uid, "name": name, "name_folded": fold(name), "level": level,
                   "code": None, "added_at": now_iso()}  # fmt: skip
            pk = insert_row(db, "recv_office", row)
            audit.record("recv_office", pk, "*", None, row, "insert")
            office = receiving.office(pk)
    update_row(db, "recv_key", key.id, {"office_id": office.id})
    audit.record("recv_key", key.id, "office_id", None, office.id)
    return receiving.office(office.id)


def record_arrival(
    receiving: Receiving, arrival: Arrival
) -> tuple[ReceivedPackage, ReceivedPackage | None]:
    """Decide what an arrival is and record it, in one transaction."""
    with receiving.store.transaction():
        return receiving.record(arrival, decide(receiving, arrival))
