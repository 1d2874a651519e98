"""The outgoing register (sổ văn bản đi) and the images the office signs with.

A văn thư gives each document the next number of the year for its code
("05/BC-UBND"): the register proposes it, she may type another (a number
given on paper first), and a number once given is never given again — the
register refuses it, so two documents can never carry the same reference.
The signature and seal images (transparent PNGs chosen once in Cài đặt) live
in the data file, so a copied file signs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .audit import now_iso
from .change import Change, Subject
from .errors import UserError
from .store_part import StorePart

SIGNATURE_IMAGE = "signature"
SEAL_IMAGE = "seal"
DEFAULT_SEAL_MM = 35.0  # a commune's round seal; Cài đặt may give the real size
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class IssuedNumber:
    """One line of the register: "05/BC-UBND" of 10/04/2026."""

    number: int
    code: str  # what follows the number: "BC-UBND" (state) or "BC/TU" (Party)
    issued_on: date
    kind: str = "report"
    period_id: str | None = None
    package_sequence: int | None = None

    @property
    def reference(self) -> str:
        """ "05/BC-UBND" or "05-BC/TU": numbers under 10 take a leading zero (NĐ 30)."""
        joiner = "/" if self.code.startswith("BC-") else "-"
        return f"{self.number:02d}{joiner}{self.code}"

    def to_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "code": self.code,
            "reference": self.reference,
            "issued_on": self.issued_on.isoformat(),
        }


@dataclass(frozen=True)
class OfficeImage:
    kind: str
    png: bytes
    file_name: str
    size_mm: float | None = None


def check_png(data: bytes, what: str) -> bytes:
    """The bytes when they are a PNG; UserError naming the image otherwise."""
    if not data.startswith(PNG_MAGIC):
        raise UserError(f"{what} phải là tệp ảnh PNG nền trong suốt.", "bad_image")
    return data


class RegisterPart(StorePart):
    """`store.register`: the numbers given to outgoing documents, and the signing images."""

    def next_number(self, year: int, code: str) -> int:
        """The number the register proposes: one after the highest given this year for `code`."""
        row = self.db.execute(
            "SELECT max(number) FROM outgoing_document WHERE year = ? AND code = ?", [year, code]
        ).fetchone()
        return (row[0] or 0) + 1

    def check_free(self, number: int, code: str, issued_on: date) -> None:
        """UserError when `number` was already given this year for `code` (or is not positive)."""
        if number < 1:
            raise UserError(f"Số văn bản phải là số nguyên dương (đã nhập {number}).", "number")
        row = self.db.execute(
            "SELECT issued_on FROM outgoing_document WHERE year = ? AND code = ? AND number = ?",
            [issued_on.year, code, number],
        ).fetchone()
        if row:
            given = date.fromisoformat(row[0])
            free = self.next_number(issued_on.year, code)
            raise UserError(
                f"Số {number:02d} ({code}) năm {issued_on.year} đã cấp cho văn bản ngày "
                f"{given:%d/%m/%Y}; một số không được cấp hai lần. Số tiếp theo còn trống: "
                f"{free:02d}.",
                "number_taken",
            )

    def record(self, issued: IssuedNumber, summary: str = "") -> Change:
        """Enter the number in the register (refused when it was given before)."""
        with self.transaction():
            self.check_free(issued.number, issued.code, issued.issued_on)
            row = {
                "year": issued.issued_on.year,
                "code": issued.code,
                "number": issued.number,
                "issued_on": issued.issued_on.isoformat(),
                "kind": issued.kind,
                "period_id": issued.period_id,
                "package_sequence": issued.package_sequence,
                "summary": summary,
                "recorded_at": now_iso(),
            }
            pk = self.db.table("outgoing_document").insert(row).last_pk
            self.audit.record("outgoing_document", pk, "*", None, row, "insert")
        return Change(Subject.PACKAGE, pk, issued.period_id, frozenset({"number"}))

    def issued(self, period_id: str | None = None) -> list[IssuedNumber]:
        """The register, oldest first; only the documents of `period_id` when given."""
        sql = "SELECT * FROM outgoing_document"
        params: list[object] = []
        if period_id is not None:
            sql += " WHERE period_id = ?"
            params.append(period_id)
        return [_issued(r) for r in self.db.query(sql + " ORDER BY id", params)]

    def for_package(self, period_id: str, sequence: int) -> IssuedNumber | None:
        """The number the package `sequence` of the period carried, if it had one."""
        rows = list(
            self.db.query(
                "SELECT * FROM outgoing_document WHERE period_id = ? AND package_sequence = ?",
                [period_id, sequence],
            )
        )
        return _issued(rows[0]) if rows else None

    # -- images -------------------------------------------------------------------
    def image(self, kind: str) -> OfficeImage | None:
        rows = list(self.db.query("SELECT * FROM office_image WHERE kind = ?", [kind]))
        if not rows:
            return None
        r = rows[0]
        return OfficeImage(r["kind"], r["png"], r["file_name"] or "", r["size_mm"])

    def set_image(
        self, kind: str, png: bytes | None, file_name: str = "", size_mm: float | None = None
    ) -> Change:
        """Keep (or with None, forget) the signature or seal image."""
        if kind not in (SIGNATURE_IMAGE, SEAL_IMAGE):
            raise UserError(f"Không có loại ảnh '{kind}' (signature hoặc seal).")
        with self.transaction():
            self.db.execute("DELETE FROM office_image WHERE kind = ?", [kind])
            if png is not None:
                what = "Ảnh chữ ký" if kind == SIGNATURE_IMAGE else "Ảnh con dấu"
                self.db.table("office_image").insert(
                    {"kind": kind, "png": check_png(png, what), "file_name": file_name,
                     "size_mm": size_mm, "set_at": now_iso()}
                )  # fmt: skip
            self.audit.record("office_image", kind, "png", None, file_name or None)
        return Change(Subject.OFFICE, 1, fields=frozenset({f"{kind}_image"}))


def _issued(row: dict) -> IssuedNumber:
    return IssuedNumber(
        number=row["number"],
        code=row["code"],
        issued_on=date.fromisoformat(row["issued_on"]),
        kind=row["kind"],
        period_id=row["period_id"],
        package_sequence=row["package_sequence"],
    )
