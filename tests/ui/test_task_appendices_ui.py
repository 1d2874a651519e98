"""The grids of a plan of two task appendices (the Bỉm Sơn demo): each appendix is a
heading ("PL II", "PL III"), Phụ lục II's tasks under its own heading, no group without a
code anywhere, and the plan page's group rows name their appendix."""

from __future__ import annotations

from PySide6.QtCore import Qt

PERIOD = "2026-Y"
GROUPS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def test_the_entry_grid_heads_each_appendix(qtbot, window):  # noqa: ANN001
    entry = window.show_page("periods").open_period(PERIOD)
    model = entry.tasks
    heads = [(r, row.group) for r, row in enumerate(model.rows) if row.group is not None]
    assert [g[0] for _, g in heads] == ["PL II", "PL III", *GROUPS]
    assert heads[0][1] == ("PL II", "Danh mục các nhiệm vụ triển khai")
    # Phụ lục II's 21 tasks straight under its heading; Phụ lục III's heading over group I
    assert heads[0][0] == 0 and heads[1][0] == 22 and heads[2][0] == 23
    assert [model.rows[r].item.code for r in range(1, 22)] == [str(n) for n in range(1, 22)]
    shown = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert shown == "PL II"
    assert sum(1 for row in model.rows if row.item is not None) == 104


def test_the_plan_page_names_the_appendix_of_each_group(qtbot, window):  # noqa: ANN001
    page = window.show_page("plan")
    model = page.task_model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    heads = [model.data(i, Qt.ItemDataRole.DisplayRole) for i in rows if model.is_group(i)]
    assert heads == ["PL II", *(f"PL III – {g}" for g in GROUPS)]
    first = next(i for i in rows if model.is_group(i))
    assert model.data(first.siblingAtColumn(1), Qt.ItemDataRole.DisplayRole) == (
        "Danh mục các nhiệm vụ triển khai"
    )
    # editing keeps the group's own code: the body of Phụ lục II has none
    assert model.data(first, Qt.ItemDataRole.EditRole) == ""


def test_plan_page_messages_name_the_task_by_appendix(qtbot, window, monkeypatch):  # noqa: ANN001
    """Adding, saving and archiving a task say which appendix's task it is: "4" alone names a
    task of Phụ lục II and one of Phụ lục III."""
    from app.ui.plan_dialogs import TaskDialog

    page = window.show_page("plan")
    page.tabs.setCurrentIndex(1)
    monkeypatch.setattr(TaskDialog, "exec", lambda self: (self.code.setText("90"),
                        self.name_edit.setPlainText("Số hóa hồ sơ lưu trữ"), True)[-1])  # fmt: skip
    page.add_item()  # nothing selected: into the last group, Phụ lục III's X
    assert page.status.text() == "Đã thêm nhiệm vụ PL III – X.90."
    model = page.task_model
    row = next(r for r in range(model.rowCount())
               if (item := model.item_at(model.index(r, 0))) is not None and item.code == "4")  # fmt: skip
    page.task_tree.setCurrentIndex(model.index(row, 0))  # the first "4": Phụ lục II's
    page.archive_selected()
    assert page.status.text() == (
        "Đã lưu trữ nhiệm vụ PL II – 4: không hiện ở các kỳ mới, các kỳ cũ vẫn giữ."
    )
