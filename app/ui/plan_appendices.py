"""The task appendices on the plan page: the "Phụ lục…" button's menu and its dialog.

A commune whose plan has Phụ lục II and III adds Phụ lục IV, renames one or removes an
empty one here; double-clicking an appendix's own row ("PL II", its title) edits the
appendix. The dialog only collects values, the page runs the operation
(app/operations/plan.py), so each edit is one Ctrl+Z.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QWidget

from ..models.appendix_edits import appendix_code
from ..models.errors import UserError
from ..models.plan import Plan, TaskAppendix
from ..models.task_labels import several_appendices, task_label
from ..operations import plan as plan_ops
from . import messages
from .focus import exec_dialog
from .plan_dialogs import FormDialog


def _code_problem(text: str, what: str, taken: set[str]) -> str | None:
    try:
        code = appendix_code(text, what)
    except UserError as exc:
        return exc.message
    return f"Kế hoạch đã có Phụ lục {code}: số phụ lục không được trùng." if code in taken else None


class AppendixDialog(FormDialog):
    """A task appendix's number and title; for a plan whose tasks have no appendix yet,
    also the number and title of the appendix they are in (asked once)."""

    def __init__(
        self,
        title: str,
        taken: set[str],
        appendix: TaskAppendix | None = None,
        ask_existing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.code = self.line("Số phụ lục", appendix.code if appendix else "", "IV")
        self.title_edit = self.line("Tên phụ lục", appendix.title if appendix else "",
                                    "Danh mục các nhiệm vụ …")  # fmt: skip
        self.checks.append(lambda: self._code_check(self.code, "Số phụ lục", taken))
        self.required(self.title_edit, "Tên phụ lục không được để trống.")
        self.existing_code = self.existing_title = None
        if ask_existing:
            hint = QLabel(
                "Các nhiệm vụ hiện có chưa thuộc phụ lục nào. Khi kế hoạch có hai phụ lục, "
                "mỗi nhiệm vụ được ghi kèm phụ lục của nó (ví dụ “PL III – IV.4”): hãy nhập "
                "số phụ lục của các nhiệm vụ hiện có."
            )
            hint.setWordWrap(True)
            hint.setObjectName("hint")
            self.form.addRow(hint)
            self.existing_code = self.line("Số phụ lục của nhiệm vụ hiện có", "", "III")
            self.existing_title = self.line("Tên phụ lục đó", "Danh mục các nhiệm vụ")
            self.checks.append(self._existing_check)
        self.validate()

    def _code_check(self, edit, what: str, taken: set[str]):  # noqa: ANN001, ANN202
        problem = _code_problem(edit.text(), what, taken)
        return (edit, problem) if problem else None

    def _existing_check(self):  # noqa: ANN202
        assert self.existing_code is not None
        problem = _code_problem(self.existing_code.text(), "Số phụ lục của nhiệm vụ hiện có", set())
        if problem is None and appendix_code(self.existing_code.text()) == _safe_code(
            self.code.text()
        ):
            problem = "Hai phụ lục phải có số khác nhau."
        return (self.existing_code, problem) if problem else None

    def values(self) -> tuple[str, str, str, str]:
        """(code, title, existing code, existing title)."""
        return (
            self.code.text(),
            self.title_edit.text(),
            self.existing_code.text() if self.existing_code else "",
            self.existing_title.text() if self.existing_title else "",
        )


def _safe_code(text: str) -> str:
    try:
        return appendix_code(text)
    except UserError:
        return ""


class AppendixActions:
    """The page's appendix actions: add, edit, remove (menu of the "Phụ lục…" button)."""

    def __init__(self, page: Any) -> None:
        """`page`: the PlanPage (its session, task table, status line and `_apply`)."""
        self.page = page
        self.button = QPushButton("Phụ lục…")
        self.button.setToolTip("Thêm, sửa hoặc xóa phụ lục nhiệm vụ của kế hoạch")
        menu = QMenu(self.button)
        self.add_action = menu.addAction("Thêm phụ lục…", self.add)
        self.edit_action = menu.addAction("Sửa phụ lục của dòng đang chọn…", self.edit_selected)
        self.remove_action = menu.addAction("Xóa phụ lục của dòng đang chọn", self.remove_selected)
        self.button.setMenu(menu)

    def plan(self) -> Plan:
        return self.page.session.plan()

    def selected(self) -> TaskAppendix | None:
        """The appendix of the selected task row (the last one when nothing is selected)."""
        plan = self.plan()
        if not plan.task_appendices:
            return None
        group = self.page.task_model.group_at(self.page.task_tree.currentIndex())
        code = group.appendix if group is not None else plan.task_appendices[-1].code
        return next((a for a in plan.task_appendices if a.code == code), None)

    def add(self) -> None:
        plan = self.plan()
        taken = {a.code.upper() for a in plan.task_appendices}
        ask = not plan.task_appendices and bool(plan.task_groups)
        dialog = AppendixDialog("Thêm phụ lục nhiệm vụ", taken, ask_existing=ask, parent=self.page)
        if not exec_dialog(dialog):
            return
        code, title, existing, existing_title = dialog.values()
        shown = appendix_code(code)
        done = f"Đã thêm Phụ lục {shown}: {title.strip()}."
        if self.page._apply(
            lambda s: plan_ops.add_appendix(s, code, title, existing, existing_title), done
        ):
            self._tell_new_labels(plan, done)
            self._show(shown)

    def _show(self, code: str) -> None:
        """Select the new appendix's own row and scroll to it: it is added at its place in
        roman order, often below the visible rows, and the next task goes where it is."""
        model, tree = self.page.task_model, self.page.task_tree
        body = next((g for g in model.groups if g.appendix == code and not g.code), None)
        if body is None:
            return
        index = model.find(model.GROUP_TABLE, body.id)
        if index.isValid():
            tree.setCurrentIndex(index)
            tree.scrollTo(index)

    def _tell_new_labels(self, before: Plan, done: str) -> None:
        """When the plan gains its second appendix, say how tasks are printed from now."""
        plan = self.plan()
        first = next(((g, t) for g in plan.task_groups for t in g.tasks), None)
        if several_appendices(plan) and not several_appendices(before) and first:
            self.page.status.setText(
                f"{done} Từ nay mỗi nhiệm vụ được ghi kèm phụ lục của nó, ví dụ "
                f"“{task_label(plan, *first)}”; số liệu đã nhập và các kỳ đã gửi giữ nguyên."
            )

    def edit(self, appendix: TaskAppendix) -> None:
        taken = {a.code.upper() for a in self.plan().task_appendices} - {appendix.code.upper()}
        dialog = AppendixDialog(f"Sửa Phụ lục {appendix.code}", taken, appendix, parent=self.page)
        if not exec_dialog(dialog):
            return
        code, title, _, _ = dialog.values()
        new = appendix_code(code)
        done = (f"Đã đổi Phụ lục {appendix.code} thành Phụ lục {new}: {title.strip()}."
                if new != appendix.code else f"Đã lưu Phụ lục {new}: {title.strip()}.")  # fmt: skip
        self.page._apply(lambda s: plan_ops.rename_appendix(s, appendix.code, code, title), done)

    def edit_selected(self) -> None:
        appendix = self.selected()
        if appendix is None:
            self.page.status.setText(
                "Kế hoạch chưa chia nhiệm vụ theo phụ lục: hãy dùng “Thêm phụ lục…”."
            )
            return
        self.edit(appendix)

    def remove_selected(self) -> None:
        appendix = self.selected()
        if appendix is None:
            self.page.status.setText("Kế hoạch chưa chia nhiệm vụ theo phụ lục.")
            return
        if not messages.confirm(
            self.page,
            "Xác nhận xóa",
            f"Xóa Phụ lục {appendix.code}. {appendix.title}? Chỉ xóa được phụ lục chưa có "
            "nhiệm vụ. Nhấn Ctrl+Z để hoàn tác.",
        ):
            return
        self.page._apply(
            lambda s: plan_ops.remove_appendix(s, appendix.code),
            f"Đã xóa Phụ lục {appendix.code}.",
        )
