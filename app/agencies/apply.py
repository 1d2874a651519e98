"""Applying a returned form to the period: the grid's checks, conflicts, the audit source.

Each value goes through the very store calls the entry grid makes
(`store.entries.set_indicator_value`, `set_task_progress`), so a value the grid
would refuse is refused here with the grid's own message, placed at its sheet,
row and column. A value that differs from one already entered is a conflict,
listed with both values and who entered each; it is written only with
`replace`. Partner contributions are appended to the task's result under the
partner's name, never replacing the lead's. One file is one transaction, and
every audit entry it writes names its source ("Công an xã, tệp …, nhận ngày …").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models.agency import Agency
from ..models.errors import UserError
from ..models.periods import Period
from ..models.plan import Indicator, IndicatorKind, Task
from ..models.progress import TaskStatus
from ..models.store import Store
from ..models.task_labels import TaskLookup
from ..models.text import clean, nfc
from ..models.values import format_value, parse_value
from .collect import Filled, ReturnedForm
from .forms import FORM_VERSION, WHOLE_PERIOD

TASK_FIELDS = ("status", "percent", "result", "evidence_number", "evidence_date")
FIELD_LABELS = {"value": "giá trị", "note": "ghi chú", "status": "tình trạng",
                "percent": "tiến độ", "result": "kết quả", "evidence_number": "số văn bản",
                "evidence_date": "ngày văn bản", "contribution": "nội dung phối hợp"}  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    where: str
    item: str  # "Chỉ tiêu 3" / "Nhiệm vụ II.4"
    field: str
    entered: str
    entered_by: str
    returned: str
    returned_by: str
    replaced: bool

    def text(self) -> str:
        verb = "đã thay bằng giá trị của biểu mẫu" if self.replaced else "giữ giá trị đã có"
        return (f"{self.item}, {FIELD_LABELS[self.field]} ({self.where}): đã có “{self.entered}” "
                f"({self.entered_by}), biểu mẫu ghi “{self.returned}” ({self.returned_by}); "
                f"{verb}.")  # fmt: skip


@dataclass
class FileResult:
    """What one returned file did (or, in a dry run, would do)."""

    file_name: str
    agency: str = ""
    refused: str | None = None  # why the whole file was not read
    written: list[str] = field(default_factory=list)  # "Chỉ tiêu 3: giá trị 45%"
    problems: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    applied: bool = False


def _shown(value: Any, ind: Indicator | None = None) -> str:
    if ind is not None:
        return format_value(ind, value)
    if isinstance(value, TaskStatus):
        return value.label
    if isinstance(value, float):
        return format_value(Indicator("", "", kind=IndicatorKind.RATIO), value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else str(value)


def entered_by(store: Store, table: str, key: str, field_name: str) -> str:
    """Who wrote the value now stored: its source, else the user and the day."""
    rows = list(store.db.query(
        "SELECT * FROM audit WHERE table_name = ? AND row_key = ? AND field = ? "
        "ORDER BY id DESC LIMIT 1", [table, key, field_name],
    ))  # fmt: skip
    if not rows:
        return "không rõ người nhập"
    r = rows[0]
    if r.get("source"):
        return str(r["source"])
    day = str(r["at"])[:10]
    return f"nhập trên máy, người dùng {r['os_user']}, ngày {day[8:10]}/{day[5:7]}/{day[:4]}"


def check_identity(store: Store, form: ReturnedForm, period: Period) -> Agency | None:
    """The agency a form belongs to; UserError when it is of another plan or period."""
    ident, name = form.identity, form.path.name
    info = store.plan.info()
    if ident.get("plan_number", "") != info.number:
        raise UserError(
            f"Tệp '{name}' là biểu mẫu của kế hoạch {ident.get('plan_number') or '(không số)'}, "
            f"không phải kế hoạch {info.number} của tệp dữ liệu này: không đọc."
        )
    if ident.get("period") != period.id:
        raise UserError(
            f"Tệp '{name}' là biểu mẫu kỳ {ident.get('period')}, không phải kỳ {period.id} "
            f"({period.label}): không đọc."
        )
    try:
        version = int(ident.get("form_version") or 0)
    except ValueError:
        version = 0
    if version > FORM_VERSION:
        raise UserError(f"Tệp '{name}' do phiên bản mới hơn của ứng dụng lập: hãy cập nhật.")
    if ident.get("agency") == WHOLE_PERIOD:
        return None
    try:
        return store.agencies.get(int(ident.get("agency_id") or 0))
    except (UserError, ValueError):
        try:
            return store.agencies.find(ident.get("agency", ""))
        except UserError:
            raise UserError(
                f"Tệp '{name}' là biểu mẫu của “{ident.get('agency')}”, đơn vị không còn trong "
                "danh sách cơ quan, đơn vị: không đọc."
            ) from None


class FormApplier:
    """Applies one form's filled cells inside the caller's transaction."""

    def __init__(self, store: Store, period: Period,
                 replace: bool | Collection[tuple[str, str]]) -> None:  # fmt: skip
        """`replace`: every conflict takes the form's value (True), none (False), or those
        named by (file name, cell place) — the window's choice per conflict."""
        self.store = store
        self.period = period
        self.replace = replace
        plan = store.plan.load()
        self.indicators = {i.code: i for i in plan.indicators()}
        self.tasks = TaskLookup(plan)

    def apply(self, form: ReturnedForm, agency: Agency | None, result: FileResult) -> None:
        by = agency.short_name if agency else "bảng số liệu của kỳ"
        values = self.store.entries.indicator_values(self.period.id)
        progress = self.store.entries.task_progress(self.period.id)
        tasks: dict[str, dict[str, Filled]] = {}
        for f in form.filled:
            if f.sheet_kind == "indicator":
                self._indicator(f, values, by, result)
            elif f.sheet_kind == "task":
                tasks.setdefault(f.code, {})[f.field] = f
            else:
                self._contribution(f, agency, result)
        for code, fields in tasks.items():
            self._task(code, fields, progress, by, result)
        for cell in form.skipped_rows:
            result.notices.append(f"Bỏ qua {cell.where()}: dòng không có mã của biểu mẫu.")

    def _indicator(self, f: Filled, values: dict, by: str, result: FileResult) -> None:
        ind = self.indicators.get(f.code)
        where = f.cell.where()
        if ind is None or ind.id is None:
            result.problems.append(f"{where}: chỉ tiêu mã '{f.code}' không có trong kế hoạch.")
            return
        item = f"Chỉ tiêu {ind.code}"
        old = values.get(ind.id)
        if f.field == "note":
            new_note, old_note = nfc(str(f.raw)) or "", old.note if old else None
            if old_note and old_note != new_note:
                if not self._conflict(result, where, item, "note", old_note, new_note, by,
                               "indicator_value", f"{self.period.id}/{ind.id}"):  # fmt: skip
                    return
            self._write(result, where, item, lambda: self.store.entries.set_indicator_value(
                self.period.id, ind.id, note=new_note), f"ghi chú “{new_note}”")  # fmt: skip
            return
        try:
            new = parse_value(ind.kind, f.raw)
        except UserError as exc:
            result.problems.append(f"{where}: Chỉ tiêu {ind.code} ({ind.name}): {exc.message}")
            return
        if old is not None and old.value is not None and old.value != new:
            if not self._conflict(result, where, item, "value", _shown(old.value, ind), _shown(new, ind),
                           by, "indicator_value", f"{self.period.id}/{ind.id}"):  # fmt: skip
                return
        elif old is not None and old.value == new:
            return
        self._write(result, where, item, lambda: self.store.entries.set_indicator_value(
            self.period.id, ind.id, value=f.raw), f"giá trị {_shown(new, ind)}")  # fmt: skip

    def _task(self, code: str, fields: dict[str, Filled], progress: dict, by: str,
              result: FileResult) -> None:  # fmt: skip
        task = self.tasks.get(code)
        first = next(iter(fields.values()))
        where = first.cell.where()
        if task is None or task.id is None:
            result.problems.append(f"{where}: nhiệm vụ '{code}' không có trong kế hoạch.")
            return
        item = f"Nhiệm vụ {code}"
        old = progress.get(task.id)
        checked = self._checked_task(task, fields, result)
        write: dict[str, Any] = {}
        for name, (raw, new) in checked.items():
            current = getattr(old, name, None) if old else None
            if name == "result" and current:
                current = _own_result(current) or None
            if isinstance(current, TaskStatus):
                current = None if current is TaskStatus.NOT_REPORTED else current.value
            if current is not None and current != new:
                shown_old = TaskStatus(current).label if name == "status" else _shown(current)
                shown_new = TaskStatus(new).label if name == "status" else _shown(new)
                if not self._conflict(result, fields[name].cell.where(), item, name, shown_old,
                               shown_new, by, "task_progress",
                               f"{self.period.id}/{task.id}"):  # fmt: skip
                    continue
            elif current == new:
                continue
            write[name] = raw
        if "result" in write:
            self.store.agencies.unmark_appended(self.period.id, task.id)
        if write:
            shown = ", ".join(f"{FIELD_LABELS[k]} {_shown(checked[k][1]) if k != 'status' else TaskStatus(checked[k][1]).label}"
                              for k in write)  # fmt: skip
            self._write(result, where, item, lambda: self.store.entries.set_task_progress(
                self.period.id, task.id, **write), shown)  # fmt: skip

    def _checked_task(self, task: Task, fields: dict[str, Filled],
                      result: FileResult) -> dict[str, tuple[Any, Any]]:  # fmt: skip
        """Each field as the store would keep it, checked by the store's own rules."""
        out: dict[str, tuple[Any, Any]] = {}
        for name, f in fields.items():
            try:
                with self.store.transaction():  # the store's check, then undone
                    self.store.entries.set_task_progress(self.period.id, task.id or 0,
                                                         **{name: f.raw})  # fmt: skip
                    row = list(self.store.db.query(
                        f"SELECT {name} FROM task_progress WHERE period_id = ? AND task_id = ?",
                        [self.period.id, task.id]))[0]  # fmt: skip
                    raise _Undo(row[name])
            except _Undo as kept:
                value = kept.value
                if name == "evidence_date" and value:
                    value = date.fromisoformat(value)
                out[name] = (f.raw, value)
            except UserError as exc:
                result.problems.append(f"{f.cell.where()}: {exc.message}")
        return out  # a refused field is listed; the others of the row still apply

    def _contribution(self, f: Filled, agency: Agency | None, result: FileResult) -> None:
        """Kept, then appended to the task's result once the lead has reported (a result
        written before would make the task "Đang thực hiện" in the lead's name)."""
        task = self.tasks.get(f.code)
        where = f.cell.where()
        if task is None or task.id is None or agency is None or agency.id is None:
            result.problems.append(f"{where}: nhiệm vụ '{f.code}' không có trong kế hoạch.")
            return
        text = clean(str(f.raw)) or ""
        source = self.store.audit.source or agency.short_name
        if self.store.agencies.add_contribution(self.period.id, task.id, agency.id, text, source):
            result.written.append(f"Nhiệm vụ {f.code}: nội dung phối hợp “{text}”")

    def append_contributions(self, result: FileResult) -> None:
        """Append every kept contribution whose task the lead has now reported."""
        progress = self.store.entries.task_progress(self.period.id)
        names = {a.id: a.short_name for a in self.store.agencies.all()}
        keys = {t.id: k for k, t in self.tasks.items()}
        for row in self.store.agencies.pending_contributions(self.period.id):
            entry = progress.get(row["task_id"])
            if entry is None or entry.status is TaskStatus.NOT_REPORTED:
                continue
            line = f"{names.get(row['agency_id'], '')} (phối hợp): {row['text']}"
            existing = entry.result or ""
            if line not in existing:
                new = f"{existing}\n{line}" if existing else line
                with self.store.audit.sourced(row["source"]):
                    self.store.entries.set_task_progress(self.period.id, row["task_id"],
                                                         result=new)  # fmt: skip
                result.notices.append(f"Đã ghép nội dung phối hợp của {names.get(row['agency_id'])} "
                                      f"vào kết quả nhiệm vụ {keys.get(row['task_id'])}.")  # fmt: skip
            self.store.agencies.mark_appended(self.period.id, row["task_id"], row["agency_id"])

    def _conflict(self, result: FileResult, where: str, item: str, name: str, old: str, new: str,
                  by: str, table: str, key: str) -> bool:  # fmt: skip
        """List the conflict; whether the form's value replaces the one entered."""
        source_field = name if table == "task_progress" or name == "note" else "value"
        if isinstance(self.replace, bool):
            replaced = self.replace
        else:
            replaced = (result.file_name, where) in self.replace
        result.conflicts.append(Conflict(where, item, name, old,
                                         entered_by(self.store, table, key, source_field),
                                         new, by, replaced))  # fmt: skip
        return replaced

    def _write(self, result: FileResult, where: str, item: str, call: Any, what: str) -> None:
        try:
            with self.store.transaction():
                call()
            result.written.append(f"{item}: {what}")
        except UserError as exc:
            result.problems.append(f"{where}: {exc.message}")


def _own_result(text: str) -> str:
    """A task's result without the partners' appended contributions."""
    return "\n".join(x for x in text.split("\n") if " (phối hợp): " not in x).strip()


class _Undo(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value
