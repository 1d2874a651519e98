"""Kế hoạch: indicators and tasks in two tabs, with search, in-place edits and dialogs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..models.change import Subject
from ..models.errors import UserError
from ..models.task_labels import group_code_label, group_label, is_body, task_label, task_labels
from ..operations import plan as plan_ops
from . import messages
from .focus import exec_dialog
from .plan_appendices import AppendixActions
from .plan_dialogs import GroupDialog, IndicatorDialog, TaskDialog
from .plan_models import IndicatorTableModel, PlanTableModel, TaskTableModel
from .rules_panel import RulesPanel
from .session import Session


class _CheckedDelegate(QStyledItemDelegate):
    """Shows the store's refusal of an in-place edit at the cell."""

    def __init__(self, tree: PlanTree) -> None:
        super().__init__(tree)
        self.tree = tree

    def setModelData(self, editor, model, index) -> None:  # noqa: ANN001
        text = editor.text() if hasattr(editor, "text") else None
        if text is not None and text == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return
        super().setModelData(editor, model, index)
        source: PlanTableModel = self.tree.source
        if source.last_error:
            rect = self.tree.visualRect(index)
            QToolTip.showText(
                self.tree.viewport().mapToGlobal(rect.bottomLeft()), source.last_error
            )
            self.tree.message(source.last_error)
            source.last_error = None


class PlanTree(QTableView):
    """A table with fixed row heights: laying out 10,000 rows costs nothing per keystroke."""

    def __init__(self, source: PlanTableModel, page: PlanPage) -> None:
        super().__init__()
        self.source = source
        self.page = page
        self.setModel(source)
        self.setItemDelegate(_CheckedDelegate(self))
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )

    def message(self, text: str) -> None:
        self.page.status.setText(text)


class PlanPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.indicator_model = IndicatorTableModel(session)
        self.task_model = TaskTableModel(session)
        self.indicator_tree = PlanTree(self.indicator_model, self)
        self.task_tree = PlanTree(self.task_model, self)
        for tree, widths in (
            (self.indicator_tree, [80, 420, 80, 110, 140]),
            (self.task_tree, [110, 420, 170, 170, 170, 140]),  # "PL III – VIII"
        ):
            for column, width in enumerate(widths):
                tree.horizontalHeader().resizeSection(column, width)
            tree.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            tree.doubleClicked.connect(self._edit_dialog)

        title = QLabel("<b>Kế hoạch</b>")
        title.setObjectName("pageTitle")
        info = self.session.plan().info
        subtitle = QLabel(f"Kế hoạch số {info.number}: {info.title}" if info.number else info.title)
        subtitle.setObjectName("muted")
        subtitle.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm chỉ tiêu, nhiệm vụ (không cần dấu)…  Ctrl+F")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.set_query)
        self.search.setMinimumWidth(340)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.search)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.indicator_tree, "Chỉ tiêu")
        self.tabs.addTab(self.task_tree, "Nhiệm vụ")
        self.rules_panel = RulesPanel(session)
        self.tabs.addTab(self.rules_panel, "Quy tắc kiểm tra")
        self.tabs.currentChanged.connect(lambda _i: self.status.setText(""))
        self.appendices = AppendixActions(self)  # the task appendices: on the Nhiệm vụ tab
        self.tabs.currentChanged.connect(
            lambda _i: self.appendices.button.setVisible(self.on_tasks())
        )
        buttons = QHBoxLayout()
        for text, slot in (
            ("Thêm nhóm…", self.add_group),
            ("Thêm mục…", self.add_item),
            ("Sửa…", lambda: self._edit_dialog(self.current_tree().currentIndex())),
            ("Xóa", self.delete_selected),
            ("Lưu trữ / bỏ lưu trữ", self.archive_selected),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addWidget(self.appendices.button)
        self.appendices.button.setVisible(False)
        buttons.addStretch(1)
        self.status: QLabel = QLabel(
            "Nhấp đúp để sửa trong hộp thoại; chọn ô rồi nhấn F2 để sửa ngay tại chỗ."
        )
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(subtitle)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    # -- search ----------------------------------------------------------------------------
    def set_query(self, text: str) -> None:
        self.indicator_model.set_query(text)
        self.task_model.set_query(text)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- helpers ---------------------------------------------------------------------------
    def on_tasks(self) -> bool:
        return self.tabs.currentIndex() == 1

    def current_tree(self) -> PlanTree:
        return self.task_tree if self.on_tasks() else self.indicator_tree

    def _source_index(self, index: QModelIndex) -> QModelIndex:
        return index if index.isValid() else QModelIndex()

    def _apply(self, op, done: str) -> bool:  # noqa: ANN001
        try:
            self.session.run(op)
        except UserError as exc:
            messages.show_error(self, exc.message)
            return False
        self.status.setText(done)
        return True

    # -- actions ---------------------------------------------------------------------------
    def add_group(self) -> None:
        kind = Subject.TASK_GROUP if self.on_tasks() else Subject.INDICATOR_GROUP
        appendices = self.session.plan().task_appendices if self.on_tasks() else []
        chosen = self.appendices.selected() if appendices else None
        dialog = GroupDialog(
            "Thêm nhóm nhiệm vụ" if self.on_tasks() else "Thêm nhóm chỉ tiêu",
            parent=self,
            appendices=appendices,
            appendix=chosen.code if chosen else "",
        )
        if not exec_dialog(dialog):
            return
        code, title = dialog.values()
        appendix = dialog.appendix_code()
        where = f" vào Phụ lục {appendix}" if appendix else ""
        self._apply(
            lambda s: plan_ops.add_group(s, kind, code, title, appendix),
            f"Đã thêm nhóm {title.strip()}{where}.",
        )

    def add_item(self) -> None:
        model = self.task_model if self.on_tasks() else self.indicator_model
        source = self._source_index(self.current_tree().currentIndex())
        group = model.group_at(source) or (model.groups[-1] if model.groups else None)
        if group is None:
            messages.show_error(self, "Hãy thêm một nhóm trước khi thêm mục.")
            return
        if self.on_tasks():
            dialog = TaskDialog(parent=self)
            if not exec_dialog(dialog):
                return
            task = dialog.task()
            self._apply(
                lambda s: plan_ops.add_task(s, group.id, task),
                f"Đã thêm nhiệm vụ {task_label(self.session.plan(), group, task)}.",
            )
        else:
            ind_dialog = IndicatorDialog(self.session.plan().info.milestones, parent=self)
            if not exec_dialog(ind_dialog):
                return
            ind = ind_dialog.indicator()
            self._apply(
                lambda s: plan_ops.add_indicator(s, group.id, ind), f"Đã thêm chỉ tiêu {ind.code}."
            )

    def _edit_dialog(self, index: QModelIndex) -> None:
        source = self._source_index(index)
        if not source.isValid():
            return
        model = self.task_model if self.on_tasks() else self.indicator_model
        item = model.item_at(source)
        if item is None:
            self._edit_group(model, model.group_at(source))
            return
        if self.on_tasks():
            task_dialog = TaskDialog(item, self)
            if exec_dialog(task_dialog):
                task = task_dialog.task()
                self._apply(
                    lambda s: plan_ops.save_task(s, item.id, task),
                    f"Đã lưu nhiệm vụ {self._saved_task_label(item.id, task)}.",
                )
            return
        dialog = IndicatorDialog(self.session.plan().info.milestones, item, self)
        if exec_dialog(dialog):
            self.save_indicator(item.id, dialog.indicator(), list(dialog.targets))

    def _edit_group(self, model: PlanTableModel, group) -> None:  # noqa: ANN001
        """A group's dialog; an appendix's own row ("PL II") edits the appendix, a task
        group of a plan of appendices may move to another appendix."""
        plan = self.session.plan()
        on_tasks = model is self.task_model
        if on_tasks and is_body(plan, group):
            own = next(a for a in plan.task_appendices if a.code == group.appendix)
            self.appendices.edit(own)
            return
        appendices = plan.task_appendices if on_tasks else []
        dialog = GroupDialog("Sửa nhóm", group.code, group.title, self, appendices, group.appendix)
        if not exec_dialog(dialog):
            return
        code, title = dialog.values()
        appendix = dialog.appendix_code()
        if on_tasks and appendix and appendix != group.appendix:
            done = "Đã lưu nhóm và chuyển sang Phụ lục {}: nay là “{}”."
            if self._apply(
                lambda s: plan_ops.save_task_group(s, group.id, code, title, appendix), done
            ):
                moved = next(g for g in self.session.plan().task_groups if g.id == group.id)
                label = group_code_label(self.session.plan(), moved)
                self.status.setText(done.format(appendix, label))
            return
        self._apply(
            lambda s: plan_ops.rename_group(s, model.GROUP_TABLE, group.id, code, title),
            "Đã lưu nhóm.",
        )

    def _item_code(self, item_id: int | None, code: str) -> str:
        """A task as the plan names it ("PL II – 4" in a plan of several appendices); an
        indicator by its code."""
        if not self.on_tasks() or item_id is None:
            return code
        return task_labels(self.session.plan()).get(item_id, code)

    def _saved_task_label(self, task_id: int | None, task) -> str:  # noqa: ANN001
        """The edited task with its new code, in its group and appendix."""
        plan = self.session.plan()
        group = next((g for g in plan.task_groups if any(t.id == task_id for t in g.tasks)), None)
        return task_label(plan, group, task) if group is not None else task.code

    def save_indicator(self, indicator_id: int, ind, years: list[int]) -> None:  # noqa: ANN001
        """Fields and targets of an edited indicator, in one transaction."""
        self._apply(
            lambda s: plan_ops.save_indicator(s, indicator_id, ind, years),
            f"Đã lưu chỉ tiêu {ind.code}.",
        )

    def delete_selected(self) -> None:
        source = self._source_index(self.current_tree().currentIndex())
        if not source.isValid():
            self.status.setText("Hãy chọn một nhóm hoặc một mục để xóa.")
            return
        model = self.task_model if self.on_tasks() else self.indicator_model
        item = model.item_at(source)
        if item is None:
            group = model.group_at(source)
            count = len(model._items(group))
            question = (
                f"Xóa nhóm {group_label(self.session.plan(), group)} cùng {count} mục và số liệu đã nhập "
                "của chúng? Nhấn Ctrl+Z để hoàn tác."
            )
            op = lambda s: plan_ops.delete_group(s, model.GROUP_TABLE, group.id)  # noqa: E731
        else:
            noun = "nhiệm vụ" if self.on_tasks() else "chỉ tiêu"
            code = self._item_code(item.id, item.code)
            reported = plan_ops.reported_in(self.session.store, model.ITEM_TABLE, item.id)
            if reported:  # the store refuses it: say so before asking anything
                messages.show_error(
                    self,
                    f"Không xóa được {noun} {code}: các kỳ đã chốt hoặc đã gửi "
                    f"({', '.join(reported)}) có số liệu của {noun} này. Hãy dùng "
                    "“Lưu trữ”: nó không hiện ở các kỳ mới, các kỳ cũ vẫn giữ nguyên.",
                )
                return
            question = (
                f"Xóa {noun} {code}. {item.name} và số liệu đã nhập của {noun} này ở các "
                "kỳ đang nhập? Nhấn Ctrl+Z để hoàn tác; muốn giữ số liệu ở kỳ cũ mà không "
                "hiện ở kỳ mới, hãy chọn “Lưu trữ”."
            )
            op = (
                (lambda s: plan_ops.delete_task(s, item.id))
                if self.on_tasks()
                else (lambda s: plan_ops.delete_indicator(s, item.id))
            )
        if messages.confirm(
            self, "Xác nhận xóa", question + "\nThao tác được ghi trong lịch sử thay đổi."
        ):
            self._apply(op, "Đã xóa.")

    def archive_selected(self) -> None:
        """Archive the selected item (or bring it back): hidden from new periods only."""
        source = self._source_index(self.current_tree().currentIndex())
        model = self.task_model if self.on_tasks() else self.indicator_model
        item = model.item_at(source) if source.isValid() else None
        if item is None:
            self.status.setText("Hãy chọn một chỉ tiêu hoặc nhiệm vụ để lưu trữ.")
            return
        noun = "nhiệm vụ" if self.on_tasks() else "chỉ tiêu"
        code = self._item_code(item.id, item.code)
        archived = (model.ITEM_TABLE.value, item.id) not in model.plan.archived
        self._apply(
            lambda s: plan_ops.archive_item(s, model.ITEM_TABLE, item.id, archived),
            f"Đã lưu trữ {noun} {code}: không hiện ở các kỳ mới, các kỳ cũ vẫn giữ."
            if archived
            else f"Đã bỏ lưu trữ {noun} {code}.",
        )
