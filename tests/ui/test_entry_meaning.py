"""Issue 22, point 1: what the grid shows is what is saved (carried status, 100 %, pasted rows).

In the demo's 2026-Y report, task I.1 shows "Đã hoàn thành" and II.4 "Đang thực hiện"
in grey, carried from 2026-Q3; II.2 shows "Chưa triển khai" carried.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models.progress import TaskStatus
from app.ui.period_models import TaskEntryModel as TM

from .conftest import read_store
from .grid_keys import open_editor

PERIOD = "2026-Y"


def task_grid(window):  # noqa: ANN001, ANN201
    entry = window.show_page("periods").open_period(PERIOD)
    entry.tabs.setCurrentIndex(1)
    return entry, entry.task_grid, entry.tasks


def row_of(model, key: str) -> int:  # noqa: ANN001
    group, code = key.split(".")
    return next(
        r
        for r, x in enumerate(model.rows)
        if x.item is not None and x.item.code == code and model.states[x.item.id].group == group
    )


def saved(demo_db, model, key: str):  # noqa: ANN001, ANN201
    tid = model.rows[row_of(model, key)].item.id
    with read_store(demo_db) as store:
        return store.entries.task_progress(PERIOD).get(tid)


def type_at(qtbot, grid, model, key: str, column: int, text: str) -> None:  # noqa: ANN001
    grid.setCurrentIndex(model.index(row_of(model, key), column))
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = open_editor(grid)
    editor.setText(text)  # Vietnamese text: QTest types ASCII only
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_typing_percent_or_result_keeps_the_carried_status(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    assert model.index(row_of(model, "I.1"), TM.STATUS).data() == "Đã hoàn thành"
    assert saved(demo_db, model, "I.1") is None  # shown in grey, not this period's own

    type_at(qtbot, grid, model, "I.1", TM.PERCENT, "80")
    type_at(qtbot, grid, model, "II.2", TM.RESULT, "Đã giao Phòng Kinh tế chuẩn bị")

    first, second = saved(demo_db, model, "I.1"), saved(demo_db, model, "II.2")
    assert (first.status, first.percent) == (TaskStatus.DONE, 80.0)
    assert (second.status, second.result) == (
        TaskStatus.NOT_STARTED,
        "Đã giao Phòng Kinh tế chuẩn bị",
    )
    assert model.index(row_of(model, "I.1"), TM.STATUS).data() == "Đã hoàn thành"
    assert dialogs.texts("confirm") == []  # nothing to ask


def test_hundred_percent_on_a_task_in_progress_asks_whether_done(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    dialogs.answers["confirm"] = True
    type_at(qtbot, grid, model, "II.4", TM.PERCENT, "100")
    assert len(dialogs.texts("confirm")) == 1
    assert "tiến độ 100% nhưng tình trạng là “Đang thực hiện”" in dialogs.texts("confirm")[0]
    done = saved(demo_db, model, "II.4")
    assert (done.status, done.percent) == (TaskStatus.DONE, 100.0)


def test_hundred_percent_answer_no_keeps_in_progress(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    dialogs.answers["confirm"] = False
    type_at(qtbot, grid, model, "II.4", TM.PERCENT, "100")
    kept = saved(demo_db, model, "II.4")
    assert (kept.status, kept.percent) == (TaskStatus.IN_PROGRESS, 100.0)


def test_pasted_row_is_written_all_or_nothing_naming_refused_cells(qtbot, window, demo_db):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    before = saved(demo_db, model, "II.3")
    grid.setCurrentIndex(model.index(row_of(model, "II.2"), TM.STATUS))
    # Row II.2: a bad status and a good %; row II.3: a good status and a bad %;
    # row II.4: all good.
    QApplication.clipboard().setText(
        "xong roi\t50\tKết quả A\r\nĐã hoàn thành\t150\tKết quả B\r\nĐang thực hiện\t60\tKết quả C\r\n"
    )
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert saved(demo_db, model, "II.2") is None  # nothing of the row, not even its %
    assert saved(demo_db, model, "II.3") == before
    third = saved(demo_db, model, "II.4")
    assert (third.status, third.percent, third.result) == (
        TaskStatus.IN_PROGRESS,
        60.0,
        "Kết quả C",
    )
    text = entry.status.text()
    assert "Đã dán 3 ô." in text
    assert "2 dòng có ô không hợp lệ nên cả dòng chưa ghi" in text
    # named with its appendix: Phụ lục II has its own task 2 and 3
    assert (
        "Dòng 2, cột “Tình trạng”: Nhiệm vụ PL III – II.2: tình trạng 'xong roi' không hợp lệ"
        in text
    )
    assert (
        "Dòng 3, cột “Tiến độ (%)”: Nhiệm vụ PL III – II.3: tiến độ '150' phải là số từ 0 đến 100"
        in text
    )


def test_a_pasted_block_is_one_undo_step_and_accent_free_status_is_accepted(qtbot, window, demo_db):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    keys = ("II.2", "II.3", "II.4")
    grid.setCurrentIndex(model.index(row_of(model, "II.2"), TM.STATUS))
    QApplication.clipboard().setText(
        "hoan thanh\t100\r\nDang thuc hien\t30\r\nĐang thực hiện\t45\r\n"
    )
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    pasted = [saved(demo_db, model, k) for k in keys]
    assert [(p.status, p.percent) for p in pasted] == [
        (TaskStatus.DONE, 100.0),
        (TaskStatus.IN_PROGRESS, 30.0),
        (TaskStatus.IN_PROGRESS, 45.0),
    ]
    assert window.undo_action.text() == "Hoàn tác dán 6 ô"

    window.undo_action.trigger()  # one Ctrl+Z for the six cells
    assert [saved(demo_db, model, k) for k in keys] == [None, None, None]
    assert model.index(row_of(model, "II.2"), TM.PERCENT).data() == ""
    assert model.index(row_of(model, "II.2"), TM.STATUS).data() == "Chưa triển khai"


def _paste_hundreds(qtbot, grid, model) -> None:  # noqa: ANN001
    """II.3 and II.4 pasted as "Đang thực hiện" at 100 %, II.2 at 40 % (no question)."""
    grid.setCurrentIndex(model.index(row_of(model, "II.2"), TM.STATUS))
    QApplication.clipboard().setText(
        "Đang thực hiện\t40\r\nĐang thực hiện\t100\r\nĐang thực hiện\t100\r\n"
    )
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def test_a_pasted_hundred_percent_in_progress_is_asked_once_for_the_block(
    qtbot, window, demo_db, dialogs
):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    dialogs.answers["confirm"] = True
    _paste_hundreds(qtbot, grid, model)
    asked = dialogs.texts("confirm")
    assert len(asked) == 1
    assert asked[0].startswith(
        "Nhiệm vụ PL III – II.3, PL III – II.4: tiến độ dán vào là 100% nhưng tình trạng là"
    )
    pasted = [saved(demo_db, model, k) for k in ("II.2", "II.3", "II.4")]
    assert [(p.status, p.percent) for p in pasted] == [
        (TaskStatus.IN_PROGRESS, 40.0),
        (TaskStatus.DONE, 100.0),
        (TaskStatus.DONE, 100.0),
    ]
    window.undo_action.trigger()  # still one step
    assert [saved(demo_db, model, k) for k in ("II.2", "II.3", "II.4")] == [None, None, None]


def test_a_pasted_hundred_percent_answer_no_keeps_what_was_pasted(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    entry, grid, model = task_grid(window)
    dialogs.answers["confirm"] = False
    _paste_hundreds(qtbot, grid, model)
    pasted = [saved(demo_db, model, k) for k in ("II.3", "II.4")]
    assert [(p.status, p.percent) for p in pasted] == [(TaskStatus.IN_PROGRESS, 100.0)] * 2
