"""The task appendices edited on the plan page (the Bỉm Sơn demo: Phụ lục II and III):
the "Phụ lục…" menu adds Phụ lục IV, a task goes straight into it, a group is added to
Phụ lục II and another moved to IV, the appendix's own row edits the appendix, and an
appendix that still has tasks is not removed — each said in the page's status line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.ui import messages
from app.ui.plan_appendices import AppendixDialog
from app.ui.plan_dialogs import GroupDialog, TaskDialog

from .conftest import read_store

GROUPS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _heads(page) -> list[str]:  # noqa: ANN001
    model = page.task_model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    return [model.data(i, Qt.ItemDataRole.DisplayRole) for i in rows if model.is_group(i)]


def _select_group(page, label: str) -> None:  # noqa: ANN001
    model = page.task_model
    row = next(r for r in range(model.rowCount()) if model.is_group(model.index(r, 0))
               and model.data(model.index(r, 0), Qt.ItemDataRole.DisplayRole) == label)  # fmt: skip
    page.task_tree.setCurrentIndex(model.index(row, 0))


def test_the_appendix_dialog_checks_its_code_as_typed(qtbot):  # noqa: ANN001
    dialog = AppendixDialog("Thêm phụ lục nhiệm vụ", {"II", "III"}, ask_existing=True)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.problem.text() == "Số phụ lục không được để trống (ví dụ “IV”)."
    dialog.code.setText("iii")
    assert dialog.problem.text() == "Kế hoạch đã có Phụ lục III: số phụ lục không được trùng."
    dialog.code.setText("IV-2")
    assert dialog.problem.text() == "Số phụ lục “IV-2” chỉ được gồm chữ cái và chữ số, ví dụ “IV”."
    dialog.code.setText("IV")
    dialog.title_edit.setText("Danh mục nhiệm vụ bổ sung")
    assert (
        dialog.problem.text() == "Số phụ lục của nhiệm vụ hiện có không được để trống (ví dụ “IV”)."
    )
    dialog.existing_code.setText("iv")
    assert dialog.problem.text() == "Hai phụ lục phải có số khác nhau."
    assert not save.isEnabled()
    dialog.existing_code.setText("III")
    assert dialog.problem.text() == "" and save.isEnabled()
    assert dialog.values() == ("IV", "Danh mục nhiệm vụ bổ sung", "III", "Danh mục các nhiệm vụ")


def test_appendices_are_added_chosen_moved_and_kept_from_the_plan_page(
    qtbot,
    window,
    demo_db,
    monkeypatch,  # noqa: ANN001
):
    page = window.show_page("plan")
    page.tabs.setCurrentIndex(1)
    assert page.appendices.button.isVisible()
    assert [a.text() for a in page.appendices.button.menu().actions()] == [
        "Thêm phụ lục…", "Sửa phụ lục của dòng đang chọn…", "Xóa phụ lục của dòng đang chọn",
    ]  # fmt: skip

    # 1. Phụ lục IV by the menu's dialog: its own row at the end
    monkeypatch.setattr(AppendixDialog, "exec", lambda self: (self.code.setText("iv"),
                        self.title_edit.setText("Danh mục nhiệm vụ bổ sung năm 2026"), True)[-1])  # fmt: skip
    page.appendices.add_action.trigger()
    assert page.status.text() == "Đã thêm Phụ lục IV: Danh mục nhiệm vụ bổ sung năm 2026."
    assert _heads(page) == ["PL II", *(f"PL III – {g}" for g in GROUPS), "PL IV"]
    shown = page.task_model.group_at(page.task_tree.currentIndex())  # selected, scrolled to
    assert (shown.appendix, shown.code) == ("IV", "")

    # 2. a task straight into Phụ lục IV (no group)
    _select_group(page, "PL IV")
    monkeypatch.setattr(TaskDialog, "exec", lambda self: (self.code.setText("1"),
                        self.name_edit.setPlainText("Số hóa hồ sơ địa chính"), True)[-1])  # fmt: skip
    page.add_item()
    assert page.status.text() == "Đã thêm nhiệm vụ PL IV – 1."

    # 3. a group added to Phụ lục II, chosen in the dialog's "Phụ lục" combo
    def new_group(self) -> bool:  # noqa: ANN001
        assert [self.appendix.itemData(i) for i in range(self.appendix.count())] == [
            "II", "III", "IV"]  # fmt: skip
        assert self.appendix.currentData() == "IV"  # the selected row's appendix
        self.code.setText("I")
        self.title_edit.setText("Nhiệm vụ của Văn phòng Thị ủy")
        self.appendix.setCurrentIndex(0)
        return True

    monkeypatch.setattr(GroupDialog, "exec", new_group)
    page.add_group()
    assert page.status.text() == "Đã thêm nhóm Nhiệm vụ của Văn phòng Thị ủy vào Phụ lục II."
    assert _heads(page)[:2] == ["PL II", "PL II – I"]

    # 4. group X of Phụ lục III moved to Phụ lục IV by its edit dialog
    _select_group(page, "PL III – X")

    def move(self) -> bool:  # noqa: ANN001
        assert self.appendix.currentData() == "III"
        self.appendix.setCurrentIndex(2)
        return True

    monkeypatch.setattr(GroupDialog, "exec", move)
    page._edit_dialog(page.task_tree.currentIndex())
    assert page.status.text() == "Đã lưu nhóm và chuyển sang Phụ lục IV: nay là “PL IV – X”."
    assert _heads(page)[-2:] == ["PL IV", "PL IV – X"]

    # 5. Phụ lục IV has tasks now: not removed, and the page says why
    shown: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    monkeypatch.setattr(messages, "show_error", lambda parent, text, *a: shown.append(text))
    _select_group(page, "PL IV – X")
    page.appendices.remove_action.trigger()
    assert shown == [
        "Phụ lục IV còn 2 nhiệm vụ: hãy chuyển các nhóm sang phụ lục khác hoặc xóa các nhiệm "
        "vụ trước khi xóa phụ lục."
    ]

    # 6. the appendix's own row edits the appendix: a new title for Phụ lục II
    _select_group(page, "PL II")
    monkeypatch.setattr(AppendixDialog, "exec", lambda self: (
        self.title_edit.setText("Nhiệm vụ của các cơ quan Thị ủy"), True)[-1])  # fmt: skip
    page._edit_dialog(page.task_tree.currentIndex())
    assert page.status.text() == "Đã lưu Phụ lục II: Nhiệm vụ của các cơ quan Thị ủy."
    model = page.task_model
    assert model.data(model.index(0, 1), Qt.ItemDataRole.DisplayRole) == (
        "Nhiệm vụ của các cơ quan Thị ủy"
    )

    with read_store(demo_db) as store:
        plan = store.plan.load()
    assert [(a.code, a.title) for a in plan.task_appendices] == [
        ("II", "Nhiệm vụ của các cơ quan Thị ủy"),
        ("III", "Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã lãnh đạo, chỉ đạo, thực hiện"),
        ("IV", "Danh mục nhiệm vụ bổ sung năm 2026"),
    ]
    by_appendix = {a.code: [(g.code, len(g.tasks)) for g in plan.task_groups
                            if g.appendix == a.code] for a in plan.task_appendices}  # fmt: skip
    assert by_appendix["II"] == [("", 21), ("I", 0)]
    assert [code for code, _ in by_appendix["III"]] == GROUPS[:9]
    assert by_appendix["IV"] == [("", 1), ("X", 1)]

    # 7. Ctrl+Z undoes the title, then the move: group X is back in Phụ lục III
    assert window.session.undo() is not None
    assert window.session.undo() is not None
    assert _heads(page)[-2:] == ["PL III – X", "PL IV"]
