"""Table models of the plan: group heading rows followed by their items, with search.

A flat model (a group's row, then its indicators or tasks) keeps a 10,000-row
table fast: the search folds accents and case ("chuyen doi so" finds
"Chuyển đổi số"), computes the visible rows in one pass over cached folded
keys and resets the model, so the view only asks for the rows on screen. A
group stays visible when one of its items matches, and shows all its items
when its own title matches. Cells that make sense to change in place (names,
unit, targets, agencies, deadline) are editable; each edit is one store call
through the session.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..models.change import Action, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.plan import Indicator, Plan, Task
from ..models.task_labels import appendix_of, group_code_label, is_body
from ..models.text import clean, fold
from ..models.values import format_target, format_value
from ..operations import plan as plan_ops
from .session import Session

Index = QModelIndex | QPersistentModelIndex
GROUP_BACKGROUND = QColor("#e8eef7")


class PlanTableModel(QAbstractTableModel):
    """Shared structure; subclasses say which groups, columns and writes."""

    GROUP_TABLE = Subject.NOTHING  # the Change subjects of this model's groups and items
    ITEM_TABLE = Subject.NOTHING

    def __init__(self, session: Session | None, plan: Plan | None = None) -> None:
        super().__init__()
        self.session = session
        self.groups: list[Any] = []
        self.entries: list[tuple[int, int]] = []  # (group index, item index or -1)
        self.keys: list[str] = []  # folded search text per entry
        self.spans: list[tuple[int, int]] = []  # entry range of each group
        self.visible: list[int] = []  # entry numbers shown, in order
        self.needle = ""
        self.last_error: str | None = None
        if session is not None:
            session.changed.connect(self._on_change)
            session.storeReplaced.connect(self.reload)
        self.reload(plan)

    # -- loading and searching ---------------------------------------------------------------
    def _groups_of(self, plan: Plan) -> list[Any]:
        return plan.indicator_groups

    def _items(self, group: Any) -> list[Any]:
        return group.indicators

    def reload(self, plan: Plan | None = None) -> None:
        self.beginResetModel()
        self._load(plan or self.session.plan())  # type: ignore[union-attr]
        self.endResetModel()

    def _load(self, plan: Plan) -> None:
        self.plan = plan
        self.groups = self._groups_of(plan)
        self.entries, self.keys, self.spans = [], [], []
        for g, group in enumerate(self.groups):
            first = len(self.entries)
            self.entries.append((g, -1))
            self.keys.append(fold(f"{group.code} {group.title}"))
            for i, item in enumerate(self._items(group)):
                self.entries.append((g, i))
                self.keys.append(fold(f"{item.code} {item.name} {item.lead_agency or ''}"))
            self.spans.append((first, len(self.entries)))
        self.visible = self._matching(self.needle)

    def _matching(self, needle: str) -> list[int]:
        if not needle:
            return list(range(len(self.entries)))
        keys = self.keys
        out: list[int] = []
        for first, end in self.spans:
            if needle in keys[first]:
                out.extend(range(first, end))
                continue
            hits = [e for e in range(first + 1, end) if needle in keys[e]]
            if hits:
                out.append(first)
                out.extend(hits)
        return out

    def set_query(self, text: str) -> None:
        """Show only the rows matching `text` (accent- and case-insensitive)."""
        needle = fold(text)
        if needle == self.needle:
            return
        self.beginResetModel()
        self.needle = needle
        self.visible = self._matching(needle)
        self.endResetModel()

    def _shape(self) -> list[tuple[int, list[int]]]:
        return [(g.id, [i.id for i in self._items(g)]) for g in self.groups]

    def _on_change(self, change: Change) -> None:
        # the task appendices change the task table's rows and labels ("PL IV – X")
        appendices = (
            change.subject is Subject.TASK_APPENDIX and self.GROUP_TABLE is Subject.TASK_GROUP
        )
        if not appendices and change.subject not in (
            self.GROUP_TABLE, self.ITEM_TABLE, Subject.TARGET, Subject.PLAN_INFO, Subject.PLAN
        ):  # fmt: skip
            return
        before = self._shape()
        plan = self.session.plan()  # type: ignore[union-attr]
        if (
            appendices
            or change.item is None
            or change.action is not Action.UPDATE
            or change.subject
            in (
                Subject.PLAN_INFO,
                Subject.PLAN,
            )
        ):
            self.reload(plan)
            return
        self._load(plan)
        if self._shape() != before:
            self.beginResetModel()
            self.endResetModel()
            return
        index = self.find(change.subject, change.item)
        if index.isValid():
            row = index.row()
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def find(self, table: str, key: int | str | None) -> QModelIndex:
        """The index of a visible group or item by its subject and id (a target: "id/year")."""
        item_id = int(str(key).split("/")[0])
        for row, entry in enumerate(self.visible):
            g, i = self.entries[entry]
            group = self.groups[g]
            if table == self.GROUP_TABLE and i < 0 and group.id == item_id:
                return self.index(row, 0)
            if table != self.GROUP_TABLE and i >= 0 and self._items(group)[i].id == item_id:
                return self.index(row, 0)
        return QModelIndex()

    # -- structure -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def headers(self) -> list[str]:
        return []

    def _entry(self, index: Index) -> tuple[int, int]:
        return self.entries[self.visible[index.row()]]

    def is_group(self, index: Index) -> bool:
        return index.isValid() and self._entry(index)[1] < 0

    def group_at(self, index: Index) -> Any:
        return self.groups[self._entry(index)[0]] if index.isValid() else None

    def item_at(self, index: Index) -> Any:
        if not index.isValid():
            return None
        g, i = self._entry(index)
        return None if i < 0 else self._items(self.groups[g])[i]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.session is not None and self._editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, index: Index) -> bool:
        if self.is_group(index):
            return index.column() in (0, 1)
        return index.column() in self.editable_columns()

    def editable_columns(self) -> set[int]:
        return set()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        g, i = self._entry(index)
        if i < 0:
            group = self.groups[g]
            if role == Qt.ItemDataRole.DisplayRole and index.column() in (0, 1):
                return self._group_text(group, index.column())
            if role == Qt.ItemDataRole.EditRole:
                if index.column() == 0:
                    return group.code
                return group.title if index.column() == 1 else None
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(GROUP_BACKGROUND)
            return None
        item = self._items(self.groups[g])[i]
        archived = (self.ITEM_TABLE.value, item.id) in self.plan.archived
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            text = self._text(item, index.column())
            if archived and index.column() == 1 and role == Qt.ItemDataRole.DisplayRole:
                return f"{text} (đã lưu trữ)"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and archived:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            if archived:
                return f"{item.name}\nĐã lưu trữ: không hiện ở các kỳ mới; các kỳ cũ vẫn giữ."
            return item.name
        return None

    def _text(self, item: Any, column: int) -> str:
        return ""

    def _group_text(self, group: Any, column: int) -> str:
        return group.code if column == 0 else group.title

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.session is None or not self._editable(index):
            return False
        text = "" if value is None else str(value)
        self.last_error = None
        try:
            if self.is_group(index):
                group = self.group_at(index)
                code = text if index.column() == 0 else group.code
                title = text if index.column() == 1 else group.title
                self.session.run(
                    lambda s: plan_ops.rename_group(s, self.GROUP_TABLE, group.id, code, title)
                )
            else:
                item = self.item_at(index)
                self.session.run(lambda s: self._write(s, item, index.column(), text))
        except UserError as exc:
            self.last_error = exc.message
            return False
        return True

    def _write(self, store: Any, item: Any, column: int, text: str) -> Outcome[None]:
        return Outcome(None)


class IndicatorTableModel(PlanTableModel):
    GROUP_TABLE = Subject.INDICATOR_GROUP
    ITEM_TABLE = Subject.INDICATOR
    CODE, NAME, UNIT, KIND, BASELINE = range(5)

    def milestones(self) -> list[int]:
        return sorted(self.plan.info.milestones)

    def headers(self) -> list[str]:
        years = [f"Mục tiêu {y}" for y in self.milestones()]
        return ["Mã", "Tên chỉ tiêu", "Đơn vị", "Loại", "Hiện trạng", *years, "Cơ quan chủ trì"]

    def target_column(self, year: int) -> int:
        return 5 + self.milestones().index(year)

    def editable_columns(self) -> set[int]:
        n = len(self.milestones())
        return {self.NAME, self.UNIT, *range(5, 5 + n), 5 + n}

    def _text(self, ind: Indicator, column: int) -> str:
        years = self.milestones()
        if column == self.CODE:
            return ind.code
        if column == self.NAME:
            return ind.name
        if column == self.UNIT:
            return ind.unit or ""
        if column == self.KIND:
            return ind.kind.label
        if column == self.BASELINE:
            b = ind.baseline
            if b.not_assessed:
                return "Chưa đánh giá"
            text = b.text or format_value(ind, b.value)
            return f"{text} ({b.as_of})" if text and b.as_of else text
        if 5 <= column < 5 + len(years):
            return format_target(ind, ind.targets.get(years[column - 5]))
        return ind.lead_agency or ""

    def _write(self, store: Any, ind: Indicator, column: int, text: str) -> Outcome[None]:
        years = self.milestones()
        if 5 <= column < 5 + len(years):
            return plan_ops.set_target(store, ind, years[column - 5], text)
        field = {self.NAME: "name", self.UNIT: "unit"}.get(column, "lead_agency")
        assert ind.id is not None  # the plan is loaded from the store
        return plan_ops.set_indicator_field(store, ind.id, field, text)


class TaskTableModel(PlanTableModel):
    GROUP_TABLE = Subject.TASK_GROUP
    ITEM_TABLE = Subject.TASK
    CODE, NAME, LEAD, PARTNERS, OUTPUT, DEADLINE, NOTE = range(7)

    def _groups_of(self, plan: Plan) -> list[Any]:
        return plan.task_groups

    def _items(self, group: Any) -> list[Any]:
        return group.tasks

    def _group_text(self, group: Any, column: int) -> str:
        """With several appendices a group row names its appendix ("PL III – IV"); the body
        of an ungrouped appendix shows as the appendix itself ("PL II", its title)."""
        if column == 0:
            return group_code_label(self.plan, group)
        appendix = appendix_of(self.plan, group) if is_body(self.plan, group) else None
        return appendix.title if appendix and appendix.title else group.title

    def headers(self) -> list[str]:
        return [
            "Mã",
            "Nhiệm vụ",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Sản phẩm",
            "Thời hạn",
            "Ghi chú",
        ]

    def editable_columns(self) -> set[int]:
        return {self.NAME, self.LEAD, self.OUTPUT, self.DEADLINE, self.NOTE}

    def _text(self, task: Task, column: int) -> str:
        return [
            task.code,
            task.name,
            task.lead_agency or "",
            "; ".join(task.partners),
            task.output or "",
            task.deadline.text if task.deadline else "",
            task.note or "",
        ][column]

    def _write(self, store: Any, task: Task, column: int, text: str) -> Outcome[None]:
        field = {
            self.NAME: "name", self.LEAD: "lead_agency", self.OUTPUT: "output",
            self.DEADLINE: "deadline", self.NOTE: "note",
        }[column]  # fmt: skip
        value: Any = text if field in ("name", "deadline") else clean(text)
        if field == "deadline" and not clean(text):
            value = None
        assert task.id is not None
        return plan_ops.set_task_field(store, task.id, field, value)
