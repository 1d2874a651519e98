"""Schema of the data file as ordered, numbered migrations.

`PRAGMA user_version` holds the number of the last migration applied. A data
file made by any earlier version of the application is upgraded in place,
after a copy of it has been saved beside it (see database.open_database).
Never edit a released migration: add a new one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from .measure import infer_measure
from .plan import IndicatorKind
from .rows import target_from_row, target_row
from .sql import Database
from .text import fold

if TYPE_CHECKING:
    import sqlite_utils
from .values import reread_target


def _v1_base(db: sqlite_utils.Database) -> None:
    """The first schema: office, plan, items, period entries and the audit history."""
    db.table("office").create(
        {
            "id": int, "name": str, "level": str, "province": str, "parent_body": str,
            "issuing_body": str, "style": str, "place": str, "doc_code": str,
            "signer_name": str, "signer_title": str, "signer_authority": str,
            "recipients": str, "mode": str,
        },
        pk="id", not_null={"name"},
    )  # fmt: skip
    db.table("plan_info").create(
        {"id": int, "number": str, "title": str, "date": str, "issuer": str,
         "milestones": str, "reporting": str},
        pk="id",
    )  # fmt: skip
    db.table("indicator_group").create(
        {"id": int, "code": str, "title": str, "position": int}, pk="id", not_null={"title"}
    )
    db.table("indicator").create(
        {
            "id": int, "group_id": int, "code": str, "position": int, "name": str,
            "unit": str, "kind": str, "direction": str, "baseline_value": str,
            "baseline_text": str, "baseline_as_of": str, "baseline_not_assessed": int,
            "lead_agency": str, "note": str,
        },
        pk="id", not_null={"name", "kind", "direction"},
        foreign_keys=[("group_id", "indicator_group", "id")],
    )  # fmt: skip
    db.table("target").create(
        {"indicator_id": int, "year": int, "comparator": str, "value": str, "text": str},
        pk=("indicator_id", "year"),
        foreign_keys=[("indicator_id", "indicator", "id")],
    )
    db.table("task_group").create(
        {"id": int, "code": str, "title": str, "position": int}, pk="id", not_null={"title"}
    )
    db.table("task").create(
        {
            "id": int, "group_id": int, "code": str, "position": int, "name": str,
            "lead_agency": str, "partners": str, "output": str, "deadline_text": str,
            "note": str,
        },
        pk="id", not_null={"name"}, foreign_keys=[("group_id", "task_group", "id")],
    )  # fmt: skip
    db.table("indicator_value").create(
        {"period_id": str, "indicator_id": int, "value": str, "note": str, "source": str,
         "updated_at": str},
        pk=("period_id", "indicator_id"),
        foreign_keys=[("indicator_id", "indicator", "id")],
    )  # fmt: skip
    db.table("task_progress").create(
        {
            "period_id": str, "task_id": int, "status": str, "percent": float, "result": str,
            "evidence_number": str, "evidence_date": str, "updated_at": str,
        },
        pk=("period_id", "task_id"), foreign_keys=[("task_id", "task", "id")],
    )  # fmt: skip
    db.table("narrative").create(
        {"period_id": str, "section": str, "text": str}, pk=("period_id", "section")
    )
    db.table("audit").create(
        {
            "id": int, "at": str, "os_user": str, "table_name": str, "row_key": str,
            "field": str, "old": str, "new": str, "action": str,
        },
        pk="id",
    )  # fmt: skip


def _v2_attachments_and_search(db: sqlite_utils.Database) -> None:
    """Evidence files kept in the data file, and folded names for accent-free search.

    Existing rows get their folded names computed here, so a file made by
    version 1 becomes searchable without the user doing anything.
    """
    db.table("attachment").create(
        {
            "id": int, "period_id": str, "task_id": int, "file_name": str, "size": int,
            "sha256": str, "content": bytes, "added_at": str,
        },
        pk="id", not_null={"file_name", "content"},
        foreign_keys=[("task_id", "task", "id")],
    )  # fmt: skip
    for table in ("indicator", "task"):
        db.table(table).add_column("name_folded", str)
        for row in list(db[table].rows):
            db.table(table).update(row["id"], {"name_folded": fold(row["name"])})
    db.table("indicator").create_index(["group_id", "position"])
    db.table("task").create_index(["group_id", "position"])
    db.table("attachment").create_index(["period_id", "task_id"])
    db.table("audit").create_index(["table_name", "row_key"])


def _v3_package_exports(db: sqlite_utils.Database) -> None:
    """Signed report packages sent, and the office's stable id (set at first export).

    `meta` is a small key/value table so the office id needs no change to the
    office table other code reads field by field.
    """
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("package_export").create(
        {
            "id": int, "period_id": str, "sequence": int, "path": str, "file_name": str,
            "size": int, "sha256": str, "fingerprint": str, "created_at": str,
        },
        pk="id", not_null={"period_id", "sequence", "sha256", "fingerprint", "created_at"},
    )  # fmt: skip
    db.table("package_export").create_index(["period_id", "sequence"], unique=True)


def _v4_receiving(db: sqlite_utils.Database) -> None:
    """The receiving office's tables: reporting offices, their trusted keys, packages received.

    A reporting office's file leaves them empty. `recv_package.data` holds
    the verified data.json (zlib-compressed) of valid packages only, and
    `plan_sha` a hash of its plan part so consolidation parses each distinct
    plan once; a rejected package keeps its row (what arrived and why it was
    refused) but never its data.
    """
    db.table("recv_office").create(
        {"id": int, "uid": str, "name": str, "name_folded": str, "level": str, "code": str,
         "added_at": str},
        pk="id", not_null={"name", "name_folded"},
    )  # fmt: skip
    db.table("recv_office").create_index(["uid"], unique=True)
    db.table("recv_key").create(
        {"id": int, "office_id": int, "public_key": bytes, "fingerprint": str, "source": str,
         "rotated_from": str, "added_at": str},
        pk="id", not_null={"public_key", "fingerprint"},
        foreign_keys=[("office_id", "recv_office", "id")],
    )  # fmt: skip
    db.table("recv_key").create_index(["public_key"], unique=True)
    db.table("recv_package").create(
        {
            "id": int, "sha256": str, "file_name": str, "path": str, "size": int,
            "office_id": int, "office_uid": str, "office_name": str, "period_id": str,
            "sequence": int, "created_at": str, "received_at": str, "due": str, "late": int,
            "status": str, "reason_code": str, "reason": str, "fingerprint": str, "plan_sha": str,
            "data": bytes,
        },
        pk="id", not_null={"sha256", "received_at", "status"},
        foreign_keys=[("office_id", "recv_office", "id")],
    )  # fmt: skip
    db.table("recv_package").create_index(["sha256"], unique=True)
    db.table("recv_package").create_index(["office_id", "period_id", "status"])


def _v5_period_closing(db: sqlite_utils.Database) -> None:
    """Validation rules, period states (open, closed, sent) and corrections.

    `package_export.snapshot` keeps what each package said (values, progress,
    narrative) so a correction can list exactly what changed since; `kind`,
    `corrects`, `changes` and `completeness` are what its package.json said.
    A receiving file keeps the same four fields of every package received.
    """
    db.table("validation_rule").create(
        {"id": int, "indicator_id": int, "kind": str, "severity": str, "minimum": float,
         "maximum": float, "other_id": int, "comparator": str, "share": float, "position": int},
        pk="id", not_null={"indicator_id", "kind", "severity"},
        foreign_keys=[("indicator_id", "indicator", "id"), ("other_id", "indicator", "id")],
    )  # fmt: skip
    db.table("validation_rule").create_index(["indicator_id"])
    db.table("period_state").create(
        {"period_id": str, "state": str, "changed_at": str, "correction": int},
        pk="period_id", not_null={"state"},
    )  # fmt: skip
    for column, kind in (("kind", str), ("corrects", int), ("changes", str),
                         ("completeness", str), ("snapshot", str)):  # fmt: skip
        db.table("package_export").add_column(column, kind)
    for column, kind in (("kind", str), ("corrects", int), ("changes", str), ("completeness", str)):
        db.table("recv_package").add_column(column, kind)


def _v6_reporting_regime(db: sqlite_utils.Database) -> None:
    """The plan's reporting regime beyond its rules, and the ad-hoc and review reports.

    Defaults keep an old file meaningful: the plan starts on its date
    (`start_date` NULL), has no end, merges the shorter report into a longer
    one due with it, chooses its cut-off automatically (Nghị định 09 for a
    state plan, before the due date for a Party one), 5 days before the last
    on-time day; `style` NULL means the plan's kind is read from its number.
    Every reporting rule gets `"strict": true`: the plans and the settings
    page write "trước ngày D", whose last on-time day is D − 1. Self-contained:
    it uses nothing of the application but this file.
    """
    table = db.table("plan_info")
    table.add_column("start_date", str)
    table.add_column("end_date", str)
    table.add_column("style", str)
    table.add_column("merge_shorter", int, not_null_default=1)
    table.add_column("cutoff_policy", str, not_null_default="auto")
    table.add_column("cutoff_lead_days", int, not_null_default=5)
    for row in list(db.query("SELECT id, reporting FROM plan_info")):
        try:
            rules = json.loads(row["reporting"] or "[]")
        except ValueError:
            continue  # left as it was: loading reports the problem
        if isinstance(rules, list) and all(isinstance(r, dict) for r in rules):
            for rule in rules:
                rule.setdefault("strict", True)
            db.execute(
                "UPDATE plan_info SET reporting = ? WHERE id = ?",
                [json.dumps(rules), row["id"]],
            )
    db.table("ad_hoc_period").create(
        {"period_id": str, "kind": str, "title": str, "start_date": str, "end_date": str,
         "deadline": str, "strict": int, "created_at": str},
        pk="period_id",
        not_null={"kind", "title", "start_date", "end_date", "deadline", "strict"},
    )  # fmt: skip


def _v7_targets_as_written(db: sqlite_utils.Database) -> None:
    """Targets as plans write them, and indicators counted per year.

    `target.high` is a range's upper bound ("80% - 90%": value 80, high 90);
    `target.approximate` is 1 for "khoảng 50%"; `target.not_required` is 1 when
    the plan asks for nothing that year ("Chưa triển khai" for 2025). The two
    flags are NULL otherwise, so an existing target means what it meant.
    `indicator.measure` is "level" (a state at a date) or "per_year" (counted
    afresh each year).

    Existing rows are filled as a newly imported plan would be: the measure is
    inferred from the indicator's name and unit, and a target that kept the
    plan's wording in `text` gets what that wording says and the old reading
    missed (a range's upper bound, "khoảng", "Chưa triển khai" as not
    required; see values.reread_target). Its value, comparator and text are kept.
    """
    db.table("target").add_column("high", float)
    db.table("target").add_column("approximate", int)
    db.table("target").add_column("not_required", int)
    db.table("indicator").add_column("measure", str)
    kinds = {}
    for row in list(db.table("indicator").rows):
        kinds[row["id"]] = row["kind"]
        db.table("indicator").update(
            row["id"], {"measure": infer_measure(row["name"], row["unit"]).value}
        )
    for row in list(db.query("SELECT * FROM target WHERE text IS NOT NULL")):
        try:
            kind = IndicatorKind(kinds.get(row["indicator_id"], ""))
        except ValueError:
            continue
        old = target_from_row(row)
        new = reread_target(kind, old)
        if new != old:
            db.table("target").update((row["indicator_id"], row["year"]), target_row(new))


def _package_trust(db: sqlite_utils.Database) -> None:
    """Keys bound to offices, rotations with time, flags on received packages, reserved sequences.

    `recv_key.retired_at` is the time of the rotation statement that replaced
    the key (a package it signed later is refused). `recv_package.flags` is a
    JSON list of what the officer should look at in an accepted package
    (`missing_original`: a correction whose original never arrived).
    `package_reservation` holds each sequence number an export took before
    writing its file, with what the package will say (`extra`, JSON: kind,
    corrects, changes, completeness, snapshot), so a package written but not
    recorded (a kill right after the rename) is found and adopted on the next
    export instead of its number being used again. `done` is 1 once recorded.
    """
    db.table("recv_key").add_column("retired_at", str)
    db.table("recv_package").add_column("flags", str)
    db.table("package_reservation").create(
        {"period_id": str, "sequence": int, "path": str, "reserved_at": str, "extra": str,
         "done": int},
        pk=("period_id", "sequence"), not_null={"period_id", "sequence", "path"},
    )  # fmt: skip


def _agencies(db: sqlite_utils.Database) -> None:
    """The agencies that report to the standing office, their links and returned forms.

    `agency`: one row per agency of the office's list (short name, full name,
    contact, kind "form" or "package", `aliases` the JSON list of the plan's
    wordings merged into it). `indicator_agency` and `task_agency` link each
    item to its lead ("lead") and partners ("partner"), `wording` keeping the
    plan's own text. `agency_due_rule` holds the agencies' due date per
    frequency when it differs from the office's, `agency_period_due` a date set
    for one period. `agency_return` records each returned form applied.
    `agency_contribution` keeps a partner's contribution until it is appended to
    the task's result (once the lead has reported). `audit.source` says where a written value came from ("Công an xã, tệp …").
    """
    db.table("agency").create(
        {"id": int, "short_name": str, "name": str, "contact": str, "phone": str,
         "email": str, "kind": str, "aliases": str, "position": int},
        pk="id", not_null={"name", "short_name"},
    )  # fmt: skip
    for item in ("indicator", "task"):
        db.table(f"{item}_agency").create(
            {f"{item}_id": int, "agency_id": int, "role": str, "wording": str},
            pk=(f"{item}_id", "agency_id"),
        )  # no foreign keys: deleting an item or re-importing the plan must not be refused
    db.table("agency_due_rule").create(
        {"frequency": str, "due_day": int, "due_month_offset": int, "strict": int},
        pk="frequency",
    )
    db.table("agency_period_due").create({"period_id": str, "due": str}, pk="period_id")
    db.table("agency_return").create(
        {"id": int, "period_id": str, "agency_id": int, "file_name": str, "sha256": str,
         "received_on": str, "applied_at": str, "written": int, "problems": int},
        pk="id",
    )  # fmt: skip
    db.table("agency_contribution").create(
        {"period_id": str, "task_id": int, "agency_id": int, "text": str, "source": str,
         "appended": int},
        pk=("period_id", "task_id", "agency_id"),
    )  # fmt: skip
    db.table("audit").add_column("source", str)


def _plan_item_archive(db: sqlite_utils.Database) -> None:
    """Indicators and tasks can be archived instead of deleted once a closed or sent report
    holds their values: `archived_at` (when) hides them from new periods, old ones keep them."""
    for table in ("indicator", "task"):
        columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})").fetchall()}
        if "archived_at" not in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN archived_at TEXT")


def _outgoing_register(db: sqlite_utils.Database) -> None:
    """The outgoing register (sổ văn bản đi) and the images the office signs with.

    `outgoing_document` holds every number given to a document this file
    issued: one row per (year, code, number), so a number is never given
    twice; `code` is what follows the number ("BC-UBND", "BC/TU"). `kind` is
    "report" or "consolidation"; `period_id` and `package_sequence` say which
    package carried it. `office_image` keeps the transparent PNGs chosen once in
    Cài đặt: "signature" (the signer's, blue) and "seal" (the office's, red),
    with the seal's real diameter in millimetres. Self-contained.
    """
    db.table("outgoing_document").create(
        {"id": int, "year": int, "code": str, "number": int, "issued_on": str, "kind": str,
         "period_id": str, "package_sequence": int, "summary": str, "recorded_at": str},
        pk="id",
        not_null={"year", "code", "number", "issued_on", "kind", "recorded_at"},
    )  # fmt: skip
    db.execute(
        "CREATE UNIQUE INDEX outgoing_document_number ON outgoing_document (year, code, number)"
    )
    db.table("office_image").create(
        {"kind": str, "png": bytes, "file_name": str, "size_mm": float, "set_at": str},
        pk="kind",
        not_null={"png"},
    )


def _agency_packages(db: sqlite_utils.Database) -> None:
    """Agencies that send a signed package (phường, xã under a Thị ủy running the application).

    `agency.office_uid` is the office id their packages carry, when known (else
    they are matched by name). `agency_receiving` holds, in its one row, the path
    of the receiving data file in which the office ingests those packages, so the
    completeness view can read which of them arrived for a period. Self-contained.
    """
    columns = {r[1] for r in db.execute("PRAGMA table_info(agency)").fetchall()}
    if "office_uid" not in columns:
        db.execute("ALTER TABLE agency ADD COLUMN office_uid TEXT")
    db.table("agency_receiving").create({"id": int, "path": str, "set_at": str}, pk="id")


def _task_appendices(db: sqlite_utils.Database) -> None:
    """A plan's task appendices (Bỉm Sơn's Phụ lục II and III), each its own code space.

    `task_appendix` lists them in `position` order by their roman `code`;
    `task_group.appendix` is the code of a group's appendix ("" in a plan of one
    appendix, as every file before this migration). Self-contained.
    """
    db.table("task_appendix").create(
        {"code": str, "title": str, "position": int}, pk="code", not_null={"title", "position"}
    )
    columns = {r[1] for r in db.execute("PRAGMA table_info(task_group)").fetchall()}
    if "appendix" not in columns:
        db.execute("ALTER TABLE task_group ADD COLUMN appendix TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _v1_base,
    _v2_attachments_and_search,
    _v3_package_exports,
    _v4_receiving,
    _v5_period_closing,
    _v6_reporting_regime,
    _v7_targets_as_written,
    _package_trust,  # v8
    _agencies,  # v9
    _plan_item_archive,  # v10
    _outgoing_register,  # v11
    _agency_packages,  # v12
    _task_appendices,  # v13
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Database | sqlite_utils.Database, upto: int = SCHEMA_VERSION) -> list[int]:
    """Apply the migrations after the file's user_version, each in its own transaction.

    Returns the numbers applied. `upto` exists so tests can build files of
    earlier schema versions with the real migration code.
    """
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current >= upto:  # an up-to-date file: sqlite-utils is not even imported
        return []
    helpers = db.helpers if isinstance(db, Database) else db
    applied = []
    for number in range(current + 1, upto + 1):
        with helpers.atomic():
            MIGRATIONS[number - 1](helpers)
            helpers.execute(f"PRAGMA user_version = {number}")
        applied.append(number)
    return applied
