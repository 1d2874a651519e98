"""Issue 22, point 3: every plan edit is undoable — a deleted indicator, task or group comes
back with Ctrl+Z, with its values, progress and targets, in the data file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from .conftest import read_store
from .test_sent_is_sent import button, select_indicator

OPEN = "2026-Q3"  # the demo's values, still open


def _indicator_rows(store, iid: int) -> tuple:  # noqa: ANN001
    return (
        [dict(r) for r in store.db.query("SELECT * FROM indicator WHERE id = ?", [iid])],
        [dict(r) for r in store.db.query("SELECT * FROM target WHERE indicator_id = ?", [iid])],
        [dict(r) for r in store.db.query(
            "SELECT * FROM indicator_value WHERE indicator_id = ? ORDER BY period_id", [iid])],
    )  # fmt: skip


def test_ctrl_z_brings_a_deleted_indicator_back_with_its_values(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    page = window.show_page("plan")
    item, _ = select_indicator(page, "2")
    with read_store(demo_db) as store:
        before = _indicator_rows(store, item.id)
    assert before[2], "the demo has values for indicator 2"
    qtbot.mouseClick(button(page, "Xóa"), Qt.MouseButton.LeftButton)
    assert "Nhấn Ctrl+Z để hoàn tác" in dialogs.texts("confirm")[-1]
    with read_store(demo_db) as store:
        assert _indicator_rows(store, item.id) == ([], [], [])
    assert window.undo_action.text() == "Hoàn tác xóa chỉ tiêu 2"

    page.indicator_tree.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with read_store(demo_db) as store:
        assert _indicator_rows(store, item.id) == before
        assert store.entries.indicator_values(OPEN)[item.id].value is not None
    codes = [page.indicator_model.item_at(page.indicator_model.index(r, 0))
             for r in range(page.indicator_model.rowCount())]  # fmt: skip
    assert "2" in {i.code for i in codes if i is not None}  # the page shows it again


def test_ctrl_z_brings_a_deleted_task_group_back(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    page = window.show_page("plan")
    page.tabs.setCurrentIndex(1)
    model = page.task_model
    tree = page.current_tree()
    tree.setCurrentIndex(tree.model().index(0, 0))
    group = model.group_at(page._source_index(tree.currentIndex()))
    with read_store(demo_db) as store:
        tasks = [t.id for t in store.plan.load().tasks()]
        progress = {k: v.status for k, v in store.entries.task_progress(OPEN).items()}
    qtbot.mouseClick(button(page, "Xóa"), Qt.MouseButton.LeftButton)
    with read_store(demo_db) as store:
        assert group.id not in {g.id for g in store.plan.load().task_groups}
    window.undo_action.trigger()
    with read_store(demo_db) as store:
        assert [t.id for t in store.plan.load().tasks()] == tasks
        assert {k: v.status for k, v in store.entries.task_progress(OPEN).items()} == progress
