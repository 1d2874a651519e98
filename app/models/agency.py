"""The agencies that report to the standing office, as stored in the data file.

An agency (phòng, ban, đoàn thể, Công an, Trạm Y tế, a phường under a Thị ủy)
has a short name used on forms and file names, its full name, a contact, and
a kind: it fills a form (`form`) or sends a signed package (`package`). Items
keep the plan's wording in `lead_agency`/`partners` (documents print it); the
link tables say which agency each wording means, so a form lists an agency's
items however the plan spelled its name. `aliases` are the wordings merged
into the agency; links are rebuilt from them (`relink`) after the plan or the
list changes, so no link depends on an item id surviving a re-import.

This module is the store's side (rows, links, due dates, returned forms); how
the list is proposed from the plan's texts, the forms and their collection
live in `app/agencies`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from .audit import now_iso
from .change import Action, Change, Subject
from .errors import UserError
from .plan import Frequency, Plan, ReportingRule
from .store_part import StorePart
from .text import clean, fold

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+() .-]{6,20}$")
_SPLIT = re.compile(r"\s*[;\n]\s*")


class AgencyKind(StrEnum):
    FORM = "form"  # fills a fill-in workbook
    PACKAGE = "package"  # runs the application and sends a signed package

    @property
    def label(self) -> str:
        return {"form": "Điền biểu mẫu", "package": "Gửi gói báo cáo có ký số"}[self.value]


class Role(StrEnum):
    LEAD = "lead"  # chủ trì
    PARTNER = "partner"  # phối hợp


@dataclass
class Agency:
    short_name: str
    name: str
    contact: str | None = None
    phone: str | None = None
    email: str | None = None
    kind: AgencyKind = AgencyKind.FORM
    aliases: list[str] = field(default_factory=list)  # the plan's wordings of it
    id: int | None = None
    office_uid: str | None = None  # a package agency: the office id its packages carry

    def wordings(self) -> set[str]:
        """Every spelling that means this agency, folded (case and diacritics aside)."""
        return {name_key(w) for w in (self.name, self.short_name, *self.aliases) if w}


def name_key(text: str) -> str:
    """A wording as compared for identity: folded, white space and "&"/"và" unified."""
    folded = fold(text).replace("&", " va ")
    return re.sub(r"[\s,.\-–]+", " ", folded).strip()


def split_wording(text: str | None) -> list[str]:
    """The agencies one cell of the plan names: "A; B" and "A\\nB" are two."""
    return [p for p in (clean(x) for x in _SPLIT.split(text or "")) if p]


def agency_row(agency: Agency) -> dict[str, Any]:
    short = clean(agency.short_name)
    name = clean(agency.name) or short
    if not name:
        raise UserError("Tên cơ quan, đơn vị không được để trống.")
    email = clean(agency.email)
    if email and not _EMAIL.match(email):
        raise UserError(f"Thư điện tử '{email}' của {name} không hợp lệ.")
    phone = clean(agency.phone)
    if phone and not _PHONE.match(phone):
        raise UserError(f"Số điện thoại '{phone}' của {name} không hợp lệ.")
    try:
        kind = AgencyKind(agency.kind)
    except ValueError:
        raise UserError(f"Loại '{agency.kind}' không hợp lệ (form hoặc package).") from None
    aliases = sorted({a for a in (clean(x) for x in agency.aliases) if a})
    return {"short_name": short or name, "name": name, "contact": clean(agency.contact),
            "phone": phone, "email": email, "kind": kind.value,
            "aliases": json.dumps(aliases, ensure_ascii=False),
            "office_uid": clean(agency.office_uid)}  # fmt: skip


def agency_from_row(row: dict[str, Any]) -> Agency:
    return Agency(
        short_name=row["short_name"], name=row["name"], contact=row["contact"],
        phone=row["phone"], email=row["email"], kind=AgencyKind(row["kind"] or "form"),
        aliases=json.loads(row["aliases"] or "[]"), id=row["id"],
        office_uid=row.get("office_uid"),
    )  # fmt: skip


def load_agencies(db: Any) -> list[Agency]:
    """The stored list in its order (empty in a file that has none yet)."""
    if "agency" not in db.table_names():
        return []
    return [agency_from_row(r) for r in db.query("SELECT * FROM agency ORDER BY position, id")]


@dataclass(frozen=True)
class Link:
    item_id: int
    agency_id: int
    role: Role
    wording: str


class AgenciesPart(StorePart):
    """`store.agencies`: the office's list of agencies, their links, due dates, returns."""

    def all(self) -> list[Agency]:
        return load_agencies(self.db)

    def get(self, agency_id: int) -> Agency:
        try:
            row = self.db.get("agency", agency_id) if agency_id else None
        except LookupError:
            row = None
        if row is None:
            raise UserError(f"Không có cơ quan, đơn vị số {agency_id}.", "missing")
        return agency_from_row(row)

    def find(self, name: str) -> Agency:
        """The agency a user names: by short name, full name or a plan wording."""
        key = name_key(name)
        for agency in self.all():
            if key in agency.wordings():
                return agency
        names = ", ".join(a.short_name for a in self.all()) or "(chưa có)"
        raise UserError(f"Không có cơ quan, đơn vị '{name}'. Danh sách: {names}.", "missing")

    def add(self, agency: Agency) -> Change:
        row = agency_row(agency)
        with self.transaction():
            self._unique(row, None)
            position = len(self.all())
            aid = self.db.table("agency").insert({**row, "position": position}).last_pk
            self.audit.record("agency", aid, "*", None, row, "insert")
        agency.id = aid
        return Change(Subject.AGENCY, aid, action=Action.INSERT)

    def update(self, agency_id: int, **changes: Any) -> Change:
        """Short name, name, contact, phone, email or kind, audited field by field."""
        unknown = set(changes) - {"short_name", "name", "contact", "phone", "email", "kind",
                                  "office_uid"}  # fmt: skip
        if unknown:
            raise UserError(f"Không sửa được trường {', '.join(sorted(unknown))} của cơ quan.")
        with self.transaction():
            current = self.get(agency_id)
            for key, value in changes.items():
                setattr(current, key, value)
            new = agency_row(current)
            self._unique(new, agency_id)
            old = {k: v for k, v in self.db.table("agency").get(agency_id).items() if k in new}
            fields = self.audit.record_diff("agency", agency_id, old, new)
            if fields:
                self.db.table("agency").update(agency_id, {f: new[f] for f in fields})
        return Change(Subject.AGENCY, agency_id, fields=fields)

    def _unique(self, row: dict[str, Any], own: int | None) -> None:
        for other in self.all():
            if other.id != own and name_key(row["short_name"]) == name_key(other.short_name):
                raise UserError(f"Đã có cơ quan, đơn vị tên gọn '{other.short_name}'.")

    def merge(self, into_id: int, other_ids: list[int]) -> Change:
        """Fold other agencies into one (a near-duplicate the secretary confirmed)."""
        with self.transaction():
            target = self.get(into_id)
            for oid in other_ids:
                if oid == into_id:
                    continue
                other = self.get(oid)
                target.aliases = sorted(
                    {*target.aliases, *other.aliases, other.name, other.short_name} - {target.name}
                )
                self.db.table("agency").delete(oid)
                self.audit.record("agency", oid, "*", agency_row(other), None, "delete")
                for table in ("indicator_agency", "task_agency", "agency_return"):
                    self.db.execute(f"DELETE FROM {table} WHERE agency_id = ?", [oid])
            aliases = agency_row(target)["aliases"]
            old = self.db.table("agency").get(into_id)["aliases"]
            self.audit.record("agency", into_id, "aliases", old, aliases)
            self.db.table("agency").update(into_id, {"aliases": aliases})
        return Change(Subject.AGENCY, into_id, fields=frozenset({"aliases"}))

    # -- links ------------------------------------------------------------------------
    def relink(self, plan: Plan) -> Change:
        """Link every item to the agencies its wording names (lead first, then partners).

        In a lead cell "A; B" A is the lead and B a partner; a wording that names
        no agency of the list (“các đơn vị liên quan”) links nothing. The forms,
        the collection and the status call it first, so links follow the plan as it
        is now (an item added, a plan imported again) without anyone asking.
        """
        by_key: dict[str, int] = {}
        for agency in self.all():
            assert agency.id is not None
            for key in agency.wordings():
                by_key.setdefault(key, agency.id)
        wanted: dict[str, list[dict[str, Any]]] = {}
        for item_kind, items in (("indicator", plan.indicators()), ("task", plan.tasks())):
            rows = wanted.setdefault(item_kind, [])
            for item in items:
                parts = [(w, Role.LEAD if i == 0 else Role.PARTNER)
                         for i, w in enumerate(split_wording(item.lead_agency))]  # fmt: skip
                for text in getattr(item, "partners", []):
                    parts += [(w, Role.PARTNER) for w in split_wording(text)]
                seen: set[int] = set()
                for wording, role in parts:
                    aid = by_key.get(name_key(wording))
                    if aid is None or aid in seen:
                        continue
                    seen.add(aid)
                    rows.append({f"{item_kind}_id": item.id, "agency_id": aid,
                                 "role": role.value, "wording": wording})  # fmt: skip
        changed = False
        with self.transaction():
            for item_kind, rows in wanted.items():
                table = f"{item_kind}_agency"
                have = [dict(r) for r in self.db.query(f"SELECT * FROM {table}")]
                key = f"{item_kind}_id"

                def order(r: dict[str, Any], key: str = key) -> tuple:
                    return (r[key], r["agency_id"], r["role"], r["wording"])

                if sorted(map(order, have)) == sorted(map(order, rows)):
                    continue  # already so: no write (status pages call this on every look)
                changed = True
                self.db.execute(f"DELETE FROM {table}")
                if rows:
                    self.db.table(table).insert_all(rows)
        if not changed:
            return Change(Subject.AGENCY, None)
        return Change(Subject.AGENCY, None, fields=frozenset({"links"}))

    def links(self, item_kind: str) -> list[Link]:
        """`indicator` or `task` links, in the items' plan order."""
        return [
            Link(r[f"{item_kind}_id"], r["agency_id"], Role(r["role"]), r["wording"])
            for r in self.db.query(
                f"SELECT l.* FROM {item_kind}_agency l JOIN {item_kind} i "
                f"ON i.id = l.{item_kind}_id ORDER BY i.group_id, i.position, i.id"
            )
        ]

    # -- due dates ----------------------------------------------------------------------
    def due_rules(self) -> list[ReportingRule]:
        return [
            ReportingRule(
                Frequency(r["frequency"]), r["due_day"], r["due_month_offset"], bool(r["strict"])
            )  # fmt: skip
            for r in self.db.query("SELECT * FROM agency_due_rule ORDER BY frequency")
        ]

    def set_due_rule(self, rule: ReportingRule | None, frequency: Frequency) -> Change:
        """The agencies' date for a frequency (None: the same as the office's)."""
        with self.transaction():
            self.db.execute("DELETE FROM agency_due_rule WHERE frequency = ?", [frequency.value])
            new = None
            if rule is not None:
                if not 1 <= rule.due_day <= 31 or not -11 <= rule.due_month_offset <= 11:
                    raise UserError("Ngày hạn của cơ quan, đơn vị không hợp lệ.")
                new = {"frequency": frequency.value, "due_day": rule.due_day,
                       "due_month_offset": rule.due_month_offset, "strict": int(rule.strict)}  # fmt: skip
                self.db.table("agency_due_rule").insert(new)
            self.audit.record("agency_due_rule", frequency.value, "*", None, new)
        return Change(Subject.PLAN_INFO, None, fields=frozenset({"agency_due"}))

    def period_due(self, period_id: str) -> date | None:
        row = (
            self.db.get("agency_period_due", period_id, "period_id")
            if self._has_due(period_id)
            else None
        )
        return date.fromisoformat(row["due"]) if row else None

    def _has_due(self, period_id: str) -> bool:
        return bool(list(self.db.query(
            "SELECT 1 FROM agency_period_due WHERE period_id = ?", [period_id]
        )))  # fmt: skip

    def set_period_due(self, period_id: str, due: date | None) -> Change:
        """One period's agency due date, set by hand (None: back to the rule)."""
        with self.transaction():
            old = self.period_due(period_id)
            self.db.execute("DELETE FROM agency_period_due WHERE period_id = ?", [period_id])
            if due is not None:
                self.db.table("agency_period_due").insert(
                    {"period_id": period_id, "due": due.isoformat()}
                )
            self.audit.record("agency_period_due", period_id, "due",
                              old.isoformat() if old else None,
                              due.isoformat() if due else None)  # fmt: skip
        return Change(Subject.PLAN_INFO, period_id, period_id, frozenset({"agency_due"}))

    # -- returned forms -----------------------------------------------------------------
    def record_return(self, period_id: str, agency_id: int, file_name: str, sha256: str,
                      received_on: date, written: int, problems: int) -> None:  # fmt: skip
        row = {"period_id": period_id, "agency_id": agency_id, "file_name": file_name,
               "sha256": sha256, "received_on": received_on.isoformat(),
               "applied_at": now_iso(), "written": written, "problems": problems}  # fmt: skip
        self.db.table("agency_return").insert(row)
        self.audit.record("agency_return", f"{period_id}/{agency_id}", "*", None, row, "insert")

    # -- partner contributions ------------------------------------------------------------
    def add_contribution(self, period_id: str, task_id: int, agency_id: int, text: str,
                         source: str) -> bool:  # fmt: skip
        """Keep a partner's contribution; False when the same text was kept already."""
        key = [period_id, task_id, agency_id]
        rows = list(self.db.query(
            "SELECT text FROM agency_contribution WHERE period_id = ? AND task_id = ? "
            "AND agency_id = ?", key))  # fmt: skip
        if rows and rows[0]["text"] == text:
            return False
        self.db.table("agency_contribution").upsert(
            {"period_id": period_id, "task_id": task_id, "agency_id": agency_id, "text": text,
             "source": source, "appended": 0},
            pk=("period_id", "task_id", "agency_id"),
        )  # fmt: skip
        self.audit.record("agency_contribution", "/".join(map(str, key)), "text",
                          rows[0]["text"] if rows else None, text)  # fmt: skip
        return True

    def pending_contributions(self, period_id: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.query(
            "SELECT * FROM agency_contribution WHERE period_id = ? AND appended = 0 "
            "ORDER BY task_id, agency_id", [period_id])]  # fmt: skip

    def unmark_appended(self, period_id: str, task_id: int) -> None:
        """The task's result was replaced: its contributions are to be appended again."""
        self.db.execute(
            "UPDATE agency_contribution SET appended = 0 WHERE period_id = ? AND task_id = ?",
            [period_id, task_id])  # fmt: skip

    def mark_appended(self, period_id: str, task_id: int, agency_id: int) -> None:
        self.db.execute(
            "UPDATE agency_contribution SET appended = 1 WHERE period_id = ? AND task_id = ? "
            "AND agency_id = ?", [period_id, task_id, agency_id])  # fmt: skip

    def returns(self, period_id: str) -> dict[int, list[dict[str, Any]]]:
        """The forms applied for a period, by agency id, oldest first."""
        out: dict[int, list[dict[str, Any]]] = {}
        for r in self.db.query(
            "SELECT * FROM agency_return WHERE period_id = ? ORDER BY received_on, id", [period_id]
        ):
            out.setdefault(r["agency_id"], []).append(dict(r))
        return out

    # -- signed packages ------------------------------------------------------------------
    def receiving_file(self) -> str | None:
        """The receiving data file in which the package agencies' packages are ingested."""
        rows = list(self.db.query("SELECT path FROM agency_receiving WHERE id = 1"))
        return rows[0]["path"] if rows and rows[0]["path"] else None

    def set_receiving_file(self, path: str | None) -> Change:
        with self.transaction():
            old = self.receiving_file()
            self.db.execute("DELETE FROM agency_receiving WHERE id = 1")
            if path:
                self.db.table("agency_receiving").insert(
                    {"id": 1, "path": path, "set_at": now_iso()}
                )
            self.audit.record("agency_receiving", 1, "path", old, path)
        return Change(Subject.AGENCY, None, fields=frozenset({"receiving_file"}))
