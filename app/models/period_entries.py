"""What the secretary enters each period: values, task progress, narrative, evidence files."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from pathlib import Path
from typing import Any, cast

from .audit import from_json, now_iso, to_json
from .change import Action, Change, Subject
from .errors import UserError
from .period_states import ClosingPart
from .plan import IndicatorKind
from .progress import (
    ENTERABLE_STATUSES,
    Attachment,
    IndicatorValue,
    NarrativeSection,
    TaskProgress,
    TaskStatus,
)
from .store_part import StoreCore, StorePart
from .task_labels import stored_task_code
from .text import clean, fold, nfc
from .validation import check_entry
from .values import parse_number, parse_value

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
_UNSET: Any = object()
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_entry_date(raw: object) -> date | None:
    """An evidence date as typed: 05/02/2026, 5/2/2026 or 2026-02-05."""
    if raw is None or isinstance(raw, date):
        return raw
    text = clean(str(raw))
    if not text:
        return None
    try:
        if m := _DATE_DMY.match(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(
            f"Ngày '{text}' không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 05/02/2026."
        ) from None


def safe_file_name(name: str) -> str:
    """A file name with no folders, control or reserved characters (Windows rules)."""
    base = nfc(Path(name.replace("\\", "/")).name) or ""
    base = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", base).strip(" .")
    if base.split(".")[0].upper() in {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(10)),
        *(f"LPT{i}" for i in range(10)),
    }:
        base = "_" + base
    return base[:150] or "tep-dinh-kem"


def parse_status(raw: object, where: str) -> str | None:
    """A task status as typed or picked ("hoan thanh" without accents is accepted)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, TaskStatus) and raw in ENTERABLE_STATUSES:
        return raw.value
    text = clean(str(raw)) or ""
    for status in ENTERABLE_STATUSES:
        if text == status.value or fold(text) == fold(status.label):
            return status.value
    # The label's end typed alone ("hoan thanh"), when only one label ends so.
    tails = [s for s in ENTERABLE_STATUSES if fold(s.label).endswith(" " + fold(text))]
    if len(tails) == 1 and text:
        return tails[0].value
    labels = ", ".join(s.label for s in ENTERABLE_STATUSES)
    raise UserError(f"{where}: tình trạng '{text}' không hợp lệ; chọn một trong: {labels}.")


def parse_percent(raw: object, where: str) -> float | None:
    """A task's % done as typed: a number from 0 to 100, "%" allowed."""
    if raw is None or raw == "":
        return None
    number = float(raw) if isinstance(raw, int | float) else parse_number(str(raw).rstrip("%"))
    if number is None or not 0 <= number <= 100:
        raise UserError(f"{where}: tiến độ '{raw}' phải là số từ 0 đến 100 (%).")
    return number


class EntriesPart(StorePart):
    """`store.entries`: what the secretary enters each period (refused in locked periods)."""

    def __init__(self, core: StoreCore, closing: ClosingPart) -> None:
        super().__init__(core)
        self.closing = closing
        self.check_writable = closing.check_writable

    def _check_period(self, period_id: str) -> str:
        return self.core.period(period_id).id

    def _item(self, table: str, item_id: int) -> dict:
        rows = list(self.db.query(f"SELECT * FROM {table} WHERE id = ?", [item_id]))
        if not rows:
            raise UserError(f"Không tìm thấy mục số {item_id} (đã bị xóa?).", "missing")
        return rows[0]

    # -- indicator values ---------------------------------------------------------
    def set_indicator_value(
        self,
        period_id: str,
        indicator_id: int,
        value: object = _UNSET,
        note: object = _UNSET,
        source: object = _UNSET,
    ) -> Change:
        """Validate and store one indicator's value for a period (None clears it)."""
        period_id = self._check_period(period_id)
        key = f"{period_id}/{indicator_id}"
        with self.transaction():
            self.check_writable(period_id)
            ind = self._item("indicator", indicator_id)
            rows = list(
                self.db.query(
                    "SELECT value, note, source FROM indicator_value "
                    "WHERE period_id = ? AND indicator_id = ?",
                    [period_id, indicator_id],
                )
            )
            old = rows[0] if rows else {"value": None, "note": None, "source": None}
            new = dict(old)
            if value is not _UNSET:
                try:
                    new["value"] = to_json(parse_value(IndicatorKind(ind["kind"]), value))
                except UserError as exc:
                    raise UserError(
                        f"Chỉ tiêu {ind['code']} ({ind['name']}): {exc.message}"
                    ) from None
            if note is not _UNSET:
                new["note"] = nfc(note) or None  # type: ignore[arg-type]
            if source is not _UNSET:
                new["source"] = clean(source)  # type: ignore[arg-type]
            changed = [f for f in new if new[f] != old[f]]
            fields = frozenset(changed)
            if not fields:
                return Change(Subject.VALUE, indicator_id, period_id, fields)
            if "value" in fields:
                check_entry(self.closing.reader, period_id, indicator_id, from_json(new["value"]))
            for f in changed:
                decode = from_json if f == "value" else (lambda x: x)
                self.audit.record("indicator_value", key, f, decode(old[f]), decode(new[f]))
            if all(new[f] is None for f in new):
                self.db.execute(
                    "DELETE FROM indicator_value WHERE period_id = ? AND indicator_id = ?",
                    [period_id, indicator_id],
                )
            else:
                self.db.table("indicator_value").upsert(
                    {"period_id": period_id, "indicator_id": indicator_id, **new,
                     "updated_at": now_iso()},
                    pk=("period_id", "indicator_id"),
                )  # fmt: skip
        return Change(Subject.VALUE, indicator_id, period_id, fields)

    def indicator_values(self, period_id: str) -> dict[int, IndicatorValue]:
        return {
            r["indicator_id"]: IndicatorValue(
                r["indicator_id"], from_json(r["value"]), r["note"], r["source"]
            )
            for r in self.db.query(
                "SELECT * FROM indicator_value WHERE period_id = ?", [self._check_period(period_id)]
            )
        }

    def value_history(self, indicator_id: int) -> dict[str, Any]:
        """Every period's value of one indicator, by period id."""
        return {
            r["period_id"]: from_json(r["value"])
            for r in self.db.query(
                "SELECT period_id, value FROM indicator_value WHERE indicator_id = ?",
                [indicator_id],
            )
            if r["value"] is not None
        }

    def all_values(self) -> dict[str, dict[int, Any]]:
        """Every recorded value, by period id then indicator id."""
        out: dict[str, dict[int, Any]] = {}
        for r in self.db.query("SELECT period_id, indicator_id, value FROM indicator_value"):
            if r["value"] is not None:
                out.setdefault(r["period_id"], {})[r["indicator_id"]] = from_json(r["value"])
        return out

    def periods_with_entries(self) -> list[str]:
        sql = (
            "SELECT period_id FROM indicator_value UNION SELECT period_id FROM task_progress "
            "UNION SELECT period_id FROM narrative"
        )
        return sorted({r["period_id"] for r in self.db.query(sql)})

    # -- task progress ------------------------------------------------------------
    def set_task_progress(self, period_id: str, task_id: int, **changes: Any) -> Change:
        """Update status, percent, result, evidence_number, evidence_date of a task for a period."""
        allowed = {"status", "percent", "result", "evidence_number", "evidence_date"}
        if set(changes) - allowed:
            raise ValueError(f"unknown progress fields {set(changes) - allowed}")
        period_id = self._check_period(period_id)
        key = f"{period_id}/{task_id}"
        with self.transaction():
            self.check_writable(period_id)
            task = self._item("task", task_id)
            rows = list(
                self.db.query(
                    "SELECT status, percent, result, evidence_number, evidence_date "
                    "FROM task_progress WHERE period_id = ? AND task_id = ?",
                    [period_id, task_id],
                )
            )
            old = rows[0] if rows else dict.fromkeys(allowed)
            new = dict(old)
            where = f"Nhiệm vụ {stored_task_code(self.db, task_id) or task['code']}"
            if "status" in changes:
                new["status"] = parse_status(changes["status"], where)
            if "percent" in changes:
                new["percent"] = parse_percent(changes["percent"], where)
            if "result" in changes:
                new["result"] = nfc(changes["result"]) or None
            if "evidence_number" in changes:
                new["evidence_number"] = clean(changes["evidence_number"])
            if "evidence_date" in changes:
                d = parse_entry_date(changes["evidence_date"])
                new["evidence_date"] = d.isoformat() if d else None
            if new["status"] is None and any(new[f] is not None for f in allowed - {"status"}):
                new["status"] = TaskStatus.IN_PROGRESS.value
            if new["status"] == TaskStatus.DONE.value and new["percent"] is None:
                new["percent"] = 100.0
            fields = self.audit.record_diff("task_progress", key, old, new)
            if fields and all(v is None for v in new.values()):  # cleared: no row of its own
                self.db.execute(
                    "DELETE FROM task_progress WHERE period_id = ? AND task_id = ?",
                    [period_id, task_id],
                )
            elif fields:
                self.db.table("task_progress").upsert(
                    {"period_id": period_id, "task_id": task_id, **new, "updated_at": now_iso()},
                    pk=("period_id", "task_id"),
                )
        return Change(Subject.PROGRESS, task_id, period_id, fields)

    def task_progress(self, period_id: str) -> dict[int, TaskProgress]:
        period_id = self._check_period(period_id)
        files: dict[int, list[Attachment]] = {}
        for a in self.attachments(period_id):
            files.setdefault(a.task_id, []).append(a)
        return {
            r["task_id"]: TaskProgress(
                task_id=r["task_id"],
                status=TaskStatus(r["status"] or TaskStatus.NOT_STARTED.value),
                percent=r["percent"],
                result=r["result"],
                evidence_number=r["evidence_number"],
                evidence_date=date.fromisoformat(r["evidence_date"])
                if r["evidence_date"]
                else None,
                attachments=files.get(r["task_id"], []),
            )
            for r in self.db.query("SELECT * FROM task_progress WHERE period_id = ?", [period_id])
        }

    def progress_history(self) -> dict[str, dict[int, TaskStatus]]:
        """Status of each task by period id, for carrying progress forward."""
        out: dict[str, dict[int, TaskStatus]] = {}
        for r in self.db.query("SELECT period_id, task_id, status FROM task_progress"):
            if r["status"]:
                out.setdefault(r["period_id"], {})[r["task_id"]] = TaskStatus(r["status"])
        return out

    # -- narrative ------------------------------------------------------------------
    def set_narrative(
        self, period_id: str, section: NarrativeSection | str, text: str | None
    ) -> Change:
        period_id = self._check_period(period_id)
        section = NarrativeSection(section).value
        key = f"{period_id}/{section}"
        with self.transaction():
            self.check_writable(period_id)
            rows = list(
                self.db.query(
                    "SELECT text FROM narrative WHERE period_id = ? AND section = ?",
                    [period_id, section],
                )
            )
            old = rows[0]["text"] if rows else None
            new = nfc(text) or None
            if old == new:
                return Change(Subject.NARRATIVE, section, period_id)
            self.audit.record("narrative", key, "text", old, new)
            if new is None:
                self.db.execute(
                    "DELETE FROM narrative WHERE period_id = ? AND section = ?",
                    [period_id, section],
                )
            else:
                self.db.table("narrative").upsert(
                    {"period_id": period_id, "section": section, "text": new},
                    pk=("period_id", "section"),
                )
        return Change(Subject.NARRATIVE, section, period_id, frozenset({"text"}))

    def narrative(self, period_id: str) -> dict[NarrativeSection, str]:
        return {
            NarrativeSection(r["section"]): r["text"]
            for r in self.db.query(
                "SELECT section, text FROM narrative WHERE period_id = ?",
                [self._check_period(period_id)],
            )
        }

    # -- evidence files ---------------------------------------------------------------
    def add_attachment(
        self, period_id: str, task_id: int, source: Path | str, name: str | None = None
    ) -> int:
        """Copy an evidence file into the data file (so backups and packages carry it)."""
        period_id = self._check_period(period_id)
        source = Path(source)
        try:
            size = source.stat().st_size
            if size > MAX_ATTACHMENT_BYTES:
                raise UserError(
                    f"Tệp '{source.name}' lớn {size // (1024 * 1024)} MB, vượt giới hạn "
                    f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB cho một minh chứng."
                )
            content = source.read_bytes()
        except OSError as exc:
            raise UserError(f"Không đọc được tệp '{source}': {exc.strerror or exc}.") from None
        file_name = safe_file_name(name or source.name)
        digest = hashlib.sha256(content).hexdigest()
        with self.transaction():
            self.check_writable(period_id)
            self._item("task", task_id)
            row = {"period_id": period_id, "task_id": task_id, "file_name": file_name,
                   "size": len(content), "sha256": digest, "content": content,
                   "added_at": now_iso()}  # fmt: skip
            aid = cast(int, self.db.table("attachment").insert(row).last_pk)
            self.audit.record(
                "attachment", aid, "*", None,
                {"period_id": period_id, "task_id": task_id, "file_name": file_name, "sha256": digest},
                "insert",
            )  # fmt: skip
        return aid

    def remove_attachment(self, attachment_id: int) -> Change:
        with self.transaction():
            rows = list(self.db.query("SELECT * FROM attachment WHERE id = ?", [attachment_id]))
            if not rows:
                raise UserError(f"Không tìm thấy tệp minh chứng số {attachment_id}.", "missing")
            self.check_writable(rows[0]["period_id"])
            self.db.table("attachment").delete(attachment_id)
            # The content too (base64), so Ctrl+Z brings the file back (undo.py).
            kept = {**rows[0], "content": base64.b64encode(bytes(rows[0]["content"])).decode()}
            self.audit.record("attachment", attachment_id, "*", kept, None, "delete")
        return Change(Subject.ATTACHMENT, attachment_id, rows[0]["period_id"], action=Action.DELETE)

    def attachments(self, period_id: str) -> list[Attachment]:
        return [
            Attachment(r["id"], r["task_id"], r["file_name"], r["size"], r["sha256"])
            for r in self.db.query(
                "SELECT id, task_id, file_name, size, sha256 FROM attachment "
                "WHERE period_id = ? ORDER BY task_id, id",
                [self._check_period(period_id)],
            )
        ]

    def attachment_content(self, attachment_id: int) -> bytes:
        rows = list(self.db.query("SELECT content FROM attachment WHERE id = ?", [attachment_id]))
        if not rows:
            raise UserError(f"Không tìm thấy tệp minh chứng số {attachment_id}.", "missing")
        return rows[0]["content"]
