"""Table models of the period entry screen: indicator values and task progress.

Each model shows one period. An edit calls exactly one store method through the
session; the session broadcasts the returned `Change` and the model emits
`dataChanged` for exactly the cells of that row the change's fields touch
(the value also changes the attainment cell). A refused value leaves its
Vietnamese message in `last_error` for the grid to show at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..models.assessment import Assessment
from ..models.change import Change, Outcome, Subject
from ..models.errors import UserError
from ..models.period_progress import (
    IndicatorProgress,
    TaskState,
    indicators_on_path,
    reported_plan,
    tasks_in_cycle,
)
from ..models.periods import Period
from ..models.plan import Indicator, Severity, Task
from ..models.progress import (
    ENTERABLE_STATUSES,
    Attachment,
    IndicatorValue,
    TaskProgress,
    TaskStatus,
)
from ..models.task_labels import task_sections
from ..models.validation import Violation
from ..models.values import format_number, format_target, format_value
from ..operations import period as period_ops
from ..operations.entry_block import (
    BlockResult,
    Refused,
    RowCells,
    done_questions,
    write_block,
)
from . import messages
from .session import Session

Index = QModelIndex | QPersistentModelIndex
ATTAINMENT_COLOURS = {
    Assessment.EXCEEDED: ("#d4efdc", "#11612e"),
    Assessment.MET: ("#e3f4e6", "#1d7a3a"),
    Assessment.AHEAD: ("#e3f4e6", "#1d7a3a"),
    Assessment.ON_TRACK: ("#e6eefa", "#1f5fa8"),
    Assessment.BEHIND: ("#fbe0dd", "#a8231a"),
    Assessment.NOT_ASSESSABLE: ("#eeeeee", "#555555"),
    Assessment.NO_DATA: ("#f7f7f7", "#888888"),
    Assessment.SELF_MET: ("#e3f4e6", "#1d7a3a"),
    Assessment.SELF_NOT_MET: ("#fbe0dd", "#a8231a"),
    Assessment.SELF_IN_PROGRESS: ("#e6eefa", "#1f5fa8"),
}
GROUP_BACKGROUND = QColor("#e8eef7")
EDITABLE_BACKGROUND = QColor("#fffdf2")


@dataclass(frozen=True)
class CellError:
    row: int
    column: int
    text: str
    message: str


@dataclass
class _Row:
    group: tuple[str, str] | None = None  # (code, title) for a group heading row
    item: Any = None  # Indicator or Task


class _EntryModel(QAbstractTableModel):
    """Shared structure of both grids; subclasses provide reload, _refresh and _write."""

    HEADERS: tuple[str, ...] = ()
    EDITABLE: frozenset[int] = frozenset()
    FIELD_COLUMNS: dict[str, tuple[int, ...]] = {}
    FIELDS: dict[int, str] = {}  # editable column → the entry's field
    SUBJECT = Subject.NOTHING

    def __init__(self, session: Session, period_id: str) -> None:
        super().__init__()
        self.session = session
        self.period: Period = self._period(period_id)
        self.rows: list[_Row] = []
        self.last_error: CellError | None = None
        self.locked = session.store.closing.period_status(self.period.id).locked  # closed or sent
        self._row_of: dict[int, int] = {}
        session.changed.connect(self._on_change)
        session.storeReplaced.connect(self.reload)
        session.planChanged.connect(self.reload)

    def _period(self, period_id: str) -> Period:
        return self.session.period(period_id)

    def reload(self) -> None:
        """Read the rows again (each model reads its own kind of entry)."""

    def _refresh(self, item_id: int) -> None:
        """Read one item's entry again after an edit."""

    def _write(self, store: Any, row: int, column: int, text: str) -> Outcome[None]:
        """Write one typed cell through its core operation."""
        return Outcome(None)

    def _assess(self) -> None:
        """Judge the rows again after entries changed."""

    def _reload_entries(self) -> None:
        """Read every entry of the period again, without judging (after a block)."""

    # -- structure ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return ""
        return None

    def is_group(self, row: int) -> bool:
        return self.rows[row].group is not None

    def is_editable(self, index: Index) -> bool:
        return (
            index.isValid()
            and not self.locked
            and not self.is_group(index.row())
            and index.column() in self.EDITABLE
        )

    def set_locked(self, locked: bool) -> None:
        """Closed and sent periods are read-only (the store refuses their writes anyway)."""
        if locked != self.locked:
            self.locked = locked
            if self.rows:
                last = self.index(len(self.rows) - 1, len(self.HEADERS) - 1)
                self.dataChanged.emit(self.index(0, 0), last)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _build_rows(self, groups: list[tuple[str, str, list]]) -> None:
        self.rows = []
        self._row_of = {}
        for code, title, items in groups:
            self.rows.append(_Row(group=(code, title)))
            for item in items:
                self._row_of[item.id] = len(self.rows)
                self.rows.append(_Row(item=item))

    def row_of(self, item_id: int) -> int | None:
        return self._row_of.get(item_id)

    def item_id(self, row: int) -> int | None:
        item = self.rows[row].item
        return item.id if item is not None else None

    def _group_data(self, row: _Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            code, title = row.group  # type: ignore[misc]
            return code if column == 0 else (title if column == 1 else None)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(GROUP_BACKGROUND)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    # -- edits ----------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_editable(index):
            return False
        text = "" if value is None else str(value)
        self.last_error = None
        try:
            self.session.run(lambda store: self._write(store, index.row(), index.column(), text))
        except UserError as exc:
            self.last_error = CellError(index.row(), index.column(), text, exc.message)
            return False
        return True

    def write_block(self, cells: list[tuple[int, int, str]], verb: str = "dán") -> BlockResult:
        """Write (row, column, text) cells as one core operation: each row all or nothing,
        one undo step (entry_block.write_block)."""
        by_row: dict[int, dict[str, str]] = {}
        for row, column, text in cells:
            if self.is_editable(self.index(row, column)):
                by_row.setdefault(row, {})[self.FIELDS[column]] = text
        rows = [RowCells(self.rows[r].item.id, c) for r, c in sorted(by_row.items())]
        done = False
        if self.SUBJECT is Subject.PROGRESS and verb == "dán":
            asked = done_questions(self.session.store, self.period, rows)
            if asked:  # one question for the block, as for one typed cell
                done = messages.confirm(
                    None,
                    "Nhiệm vụ đã hoàn thành?",
                    f"Nhiệm vụ {', '.join(asked)}: tiến độ dán vào là 100% nhưng tình trạng là "
                    "“Đang thực hiện”. Ghi các nhiệm vụ này là “Đã hoàn thành”?\n"
                    "Chọn “Không” để giữ “Đang thực hiện”.",
                )
        return self.session.run(
            lambda store: write_block(store, self.period, self.SUBJECT, rows, verb, done)
        ).result

    def refused_text(self, refused: Refused) -> str:
        """ "Dòng 2, cột “Kỳ này”: …" for a refused cell of a block."""
        row = self.row_of(refused.item_id)
        column = next(c for c, f in self.FIELDS.items() if f == refused.field)
        code = self.index(row, 0).data() if row is not None else refused.item_id
        return f"Dòng {code}, cột “{self.HEADERS[column]}”: {refused.message}"

    def _on_change(self, change: Change) -> None:
        if change.subject is not self.SUBJECT or change.period != self.period.id:
            return
        item = change.item
        if item is None and self.rows:  # a block (paste, undo of a paste): every row
            self._reload_entries()
            self._assess()
            last = self.index(len(self.rows) - 1, len(self.HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        if not isinstance(item, int) or (row := self.row_of(item)) is None:
            return
        self._refresh(item)
        columns = sorted({c for f in change.fields for c in self.FIELD_COLUMNS.get(f, ())})
        for column in columns:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)


class IndicatorEntryModel(_EntryModel):
    HEADERS = ("Mã", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Kỳ trước", "Kỳ này", "Đánh giá", "Ghi chú")
    CODE, NAME, UNIT, TARGET, PREVIOUS, VALUE, ATTAINMENT, NOTE = range(8)
    EDITABLE = frozenset({VALUE, NOTE})
    FIELD_COLUMNS = {"value": (VALUE, ATTAINMENT), "note": (NOTE,), "source": ()}
    FIELDS = {VALUE: "value", NOTE: "note"}
    SUBJECT = Subject.VALUE

    def __init__(self, session: Session, period_id: str) -> None:
        super().__init__(session, period_id)
        self.values: dict[int, IndicatorValue] = {}
        self.previous: dict[int | None, Any] = {}
        self.progress: dict[int | None, IndicatorProgress] = {}
        self.problems: dict[int, list[Violation]] = {}  # the period check's, by indicator
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        plan = self.shown = reported_plan(self.session.store, self.period, self.session.plan())
        self._milestones = plan.info.milestones
        self._build_rows([(g.code, g.title, g.indicators) for g in plan.indicator_groups])
        store = self.session.store
        self.values = store.entries.indicator_values(self.period.id)
        self._assess()
        self.endResetModel()

    def _assess(self) -> None:
        """Each indicator on its path, and "Kỳ trước" as every output shows them."""
        items = indicators_on_path(self.session.store, self.period, self.shown)
        self.progress = {i.indicator.id: i for i in items}
        self.previous = {iid: i.previous for iid, i in self.progress.items()}

    def _refresh(self, item_id: int) -> None:
        current = self.session.store.entries.indicator_values(self.period.id).get(item_id)
        if current is None:
            self.values.pop(item_id, None)
        else:
            self.values[item_id] = current
        self._assess()

    def _reload_entries(self) -> None:
        self.values = self.session.store.entries.indicator_values(self.period.id)

    def set_problems(self, violations: list[Violation]) -> None:
        """Mark the value cells the period check complains about (after every check)."""
        problems: dict[int, list[Violation]] = {}
        for v in violations:
            problems.setdefault(v.indicator_id, []).append(v)
        changed = set(problems) ^ set(self.problems) | {
            i for i in problems if problems[i] != self.problems.get(i)
        }
        self.problems = problems
        for iid in changed:
            if (row := self.row_of(iid)) is not None:
                index = self.index(row, self.VALUE)
                self.dataChanged.emit(index, index)

    def _problem_colour(self, ind: Indicator) -> QColor | None:
        found = self.problems.get(ind.id or -1, [])
        if any(v.severity is Severity.ERROR for v in found):
            return QColor("#f6c9c4")
        if any(v.blocking for v in found):
            return QColor("#ffe2a8")  # a warning still to explain
        return None

    def target(self, ind: Indicator) -> tuple[int | None, Any]:
        path = self.progress[ind.id].path
        return path.milestone, path.target

    def attainment(self, ind: Indicator) -> Assessment:
        """The indicator on its path to the next milestone (assessment.assess_path)."""
        assert ind.id is not None  # the plan is loaded from the store
        return self.progress[ind.id].assessment

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if row.group is not None:
            return self._group_data(row, col, role)
        ind: Indicator = row.item
        assert ind.id is not None
        entry = self.values.get(ind.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.CODE:
                return ind.code
            if col == self.NAME:
                return ind.name
            if col == self.UNIT:
                return ind.unit or ""
            if col == self.TARGET:
                year, target = self.target(ind)
                shown = format_target(ind, target)
                return f"{shown} ({year})" if shown and year else shown
            if col == self.PREVIOUS:
                return format_value(ind, self.previous.get(ind.id))
            if col == self.VALUE:
                value = entry.value if entry else None
                if role == Qt.ItemDataRole.EditRole and isinstance(value, float):
                    return format_number(value, 4)
                return format_value(ind, value)
            if col == self.ATTAINMENT:
                return self.attainment(ind).label
            if col == self.NOTE:
                return (entry.note if entry else None) or ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == self.VALUE and (colour := self._problem_colour(ind)) is not None:
                return QBrush(colour)
            if col == self.ATTAINMENT:
                return QBrush(QColor(ATTAINMENT_COLOURS[self.attainment(ind)][0]))
            if col in self.EDITABLE and not self.locked:
                return QBrush(EDITABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.ATTAINMENT:
            return QBrush(QColor(ATTAINMENT_COLOURS[self.attainment(ind)][1]))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            self.TARGET, self.PREVIOUS, self.VALUE, self.ATTAINMENT,
        ):  # fmt: skip
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.VALUE:
                found = self.problems.get(ind.id, [])
                if found:
                    return "\n".join(v.text() for v in found)
                return f"{ind.kind.label}. Nhập giá trị kỳ này; Delete để xóa."
            if col == self.NAME:
                return ind.name
        return None

    def _write(self, store: Any, row: int, column: int, text: str) -> Outcome[None]:
        iid = self.rows[row].item.id
        if column == self.VALUE:
            return period_ops.set_value(store, self.period, iid, text or None)
        return period_ops.set_value_note(store, self.period, iid, text or None)


class TaskEntryModel(_EntryModel):
    HEADERS = (
        "Mã", "Nhiệm vụ", "Thời hạn", "Tình trạng", "Tiến độ (%)", "Kết quả",
        "Số văn bản", "Ngày văn bản", "Tệp minh chứng",
    )  # fmt: skip
    CODE, NAME, DEADLINE, STATUS, PERCENT, RESULT, EV_NUMBER, EV_DATE, FILES = range(9)
    EDITABLE = frozenset({STATUS, PERCENT, RESULT, EV_NUMBER, EV_DATE})
    FIELD_COLUMNS = {
        "status": (DEADLINE, STATUS),
        "percent": (PERCENT,),
        "result": (RESULT,),
        "evidence_number": (EV_NUMBER,),
        "evidence_date": (EV_DATE,),
    }
    FIELDS = {
        STATUS: "status", PERCENT: "percent", RESULT: "result",
        EV_NUMBER: "evidence_number", EV_DATE: "evidence_date",
    }  # fmt: skip
    SUBJECT = Subject.PROGRESS

    def __init__(self, session: Session, period_id: str) -> None:
        super().__init__(session, period_id)
        self.progress: dict[int, TaskProgress] = {}
        self.states: dict[int | None, TaskState] = {}
        self.files: dict[int, list[Attachment]] = {}
        session.changed.connect(self._on_attachment)
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        plan = self.shown = reported_plan(self.session.store, self.period, self.session.plan())
        self._build_rows(task_sections(plan))  # with "PL II" headings for several appendices
        store = self.session.store
        self.progress = store.entries.task_progress(self.period.id)
        self._assess()
        self._load_files()
        self.endResetModel()

    def _load_files(self) -> None:
        self.files = {}
        for a in self.session.store.entries.attachments(self.period.id):
            self.files.setdefault(a.task_id, []).append(a)

    def _refresh(self, item_id: int) -> None:
        entry = self.session.store.entries.task_progress(self.period.id).get(item_id)
        if entry is None:
            self.progress.pop(item_id, None)
        else:
            self.progress[item_id] = entry
        self._assess()

    def _reload_entries(self) -> None:
        self.progress = self.session.store.entries.task_progress(self.period.id)

    def _on_attachment(self, change: Change) -> None:
        if change.subject is not Subject.ATTACHMENT:
            return
        before = {tid: len(files) for tid, files in self.files.items()}
        self._load_files()
        after = {tid: len(files) for tid, files in self.files.items()}
        for tid in set(before) | set(after):
            if before.get(tid) != after.get(tid) and (row := self.row_of(tid)) is not None:
                index = self.index(row, self.FILES)
                self.dataChanged.emit(index, index)

    def _assess(self) -> None:
        """Each task's status in this period's cycle and whether it is overdue, as every
        output states them (period_progress)."""
        tasks = tasks_in_cycle(self.session.store, self.period, self.session.today, self.shown)
        self.states = {t.task.id: t for t in tasks}

    def status(self, task: Task) -> tuple[TaskStatus, bool]:
        """The task's status in this period and whether it is not this period's own (carried
        from earlier in its cycle, or "Chưa cập nhật")."""
        assert task.id is not None
        entry = self.progress.get(task.id)
        if entry is not None:
            return entry.status, False
        state = self.states.get(task.id)
        return (state.status if state else TaskStatus.NOT_REPORTED), True

    def overdue(self, task: Task) -> bool:
        state = self.states.get(task.id)
        return bool(state and state.overdue)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self.rows[index.row()], index.column()
        if row.group is not None:
            return self._group_data(row, col, role)
        task: Task = row.item
        assert task.id is not None
        entry = self.progress.get(task.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(task, entry, col, role)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == self.DEADLINE and self.overdue(task):
                return QBrush(QColor("#fbe0dd"))
            if col in self.EDITABLE and not self.locked:
                return QBrush(EDITABLE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.DEADLINE and self.overdue(task):
                return QBrush(QColor("#a8231a"))
            if col == self.STATUS and self.status(task)[1]:
                return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.DEADLINE and self.overdue(task):
                return "Quá hạn: đã qua thời hạn mà nhiệm vụ chưa hoàn thành."
            if col == self.STATUS and self.status(task)[1]:
                return "Tình trạng theo kỳ trước; chọn lại để ghi cho kỳ này."
            if col == self.FILES:
                names = [a.file_name for a in self.files.get(task.id, [])]
                return "\n".join(names) or "Kéo thả tệp vào đây hoặc nhấp đúp để chọn tệp."
            if col == self.NAME:
                return task.name
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.PERCENT, self.EV_DATE):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, task: Task, entry: TaskProgress | None, col: int, role: int) -> str:
        if col == self.CODE:
            return task.code
        if col == self.NAME:
            return task.name
        if col == self.DEADLINE:
            text = task.deadline.text if task.deadline else ""
            return f"{text} (quá hạn)" if self.overdue(task) and text else text
        if col == self.STATUS:
            return self.status(task)[0].label
        if col == self.FILES:
            assert task.id is not None
            count = len(self.files.get(task.id, []))
            return f"{count} tệp" if count else ""
        if entry is None:
            return ""
        if col == self.PERCENT:
            return "" if entry.percent is None else format_number(entry.percent)
        if col == self.RESULT:
            return entry.result or ""
        if col == self.EV_NUMBER:
            return entry.evidence_number or ""
        if col == self.EV_DATE:
            return f"{entry.evidence_date:%d/%m/%Y}" if entry.evidence_date else ""
        return ""

    def _write(self, store: Any, row: int, column: int, text: str) -> Outcome[None]:
        tid = self.rows[row].item.id
        fields: dict[str, Any] = {self.FIELDS[column]: text or None}
        try:
            return period_ops.set_progress(store, self.period, tid, **fields)
        except period_ops.DoneQuestion as question:  # 100 % and "Đang thực hiện"
            done = messages.confirm(None, "Nhiệm vụ đã hoàn thành?", question.message)
            return period_ops.set_progress(store, self.period, tid, done=done, **fields)


STATUS_CHOICES = [s.label for s in ENTERABLE_STATUSES]
