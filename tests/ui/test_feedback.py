"""Issue 22, point 5: feedback like a spreadsheet — one undo per paste, redo, Sửa's clipboard,
a message line that is seen, red only for refusals and cleared by the next edit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.operations import period as period_ops
from app.ui.period_models import IndicatorEntryModel as IM

from .conftest import read_store
from .grid_keys import open_editor, type_into_cell

PERIOD = "2026-Y"


def rows(entry, *codes: str) -> list[int]:  # noqa: ANN001
    model = entry.indicators
    return [
        next(r for r, x in enumerate(model.rows) if x.item is not None and x.item.code == c)
        for c in codes
    ]


def values(demo_db, entry, *codes: str) -> list:  # noqa: ANN001
    model = entry.indicators
    ids = [model.rows[r].item.id for r in rows(entry, *codes)]
    with read_store(demo_db) as store:
        found = store.entries.indicator_values(PERIOD)
    return [found[i].value if i in found else None for i in ids]


def test_six_cell_paste_is_one_undo_and_one_redo(qtbot, window, demo_db):  # noqa: ANN001
    entry = window.show_page("periods").open_period(PERIOD)
    grid, model = entry.indicator_grid, entry.indicators
    first = rows(entry, "1")[0]
    grid.setCurrentIndex(model.index(first, IM.VALUE))
    QApplication.clipboard().setText("55\t\tA\r\n60\t\tB\r\n65\t\tC\r\n")
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert values(demo_db, entry, "1", "2", "3") == [55.0, 60.0, 65.0]
    assert entry.status.text() == "Đã dán 6 ô."
    assert "a8231a" not in entry.status.styleSheet()  # success: normal colour

    window.undo_action.trigger()
    assert values(demo_db, entry, "1", "2", "3") == [None, None, None]
    assert window.message_label.text() == "Đã hoàn tác."
    assert window.redo_action.isEnabled() and window.redo_action.text() == "Làm lại dán 6 ô"

    window.redo_action.trigger()
    assert values(demo_db, entry, "1", "2", "3") == [55.0, 60.0, 65.0]
    assert model.index(first, IM.NOTE).data() == "A"
    assert not window.redo_action.isEnabled()
    window.undo_action.trigger()  # the redo is an edit like any other
    assert values(demo_db, entry, "1", "2", "3") == [None, None, None]

    # A new edit ends redo.
    grid.setCurrentIndex(model.index(first, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "70")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert not window.redo_action.isEnabled()
    assert window.message_label.text() == ""  # cleared by the edit


def test_refusal_is_red_and_the_next_edit_clears_it(qtbot, window):  # noqa: ANN001
    entry = window.show_page("periods").open_period(PERIOD)
    grid, model = entry.indicator_grid, entry.indicators
    row = rows(entry, "1")[0]
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "120")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert "120% nằm ngoài khoảng" in entry.status.text()
    assert "a8231a" in entry.status.styleSheet()
    again = open_editor(grid)  # the refused text kept in a reopened editor
    again.setText("80")
    qtbot.keyClick(again, Qt.Key.Key_Return)
    assert entry.status.text() == ""


def test_edit_menu_cut_copy_paste_act_on_the_grid(qtbot, window, demo_db):  # noqa: ANN001
    entry = window.show_page("periods").open_period(PERIOD)
    grid, model = entry.indicator_grid, entry.indicators
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Sửa")
    labels = [a.text() for a in edit_menu.actions() if not a.isSeparator()]
    assert labels[2:5] == ["Cắt", "Sao chép", "Dán"]
    action = {a.text(): a for a in edit_menu.actions()}
    first, second = rows(entry, "1", "2")
    grid.setCurrentIndex(model.index(first, IM.VALUE))
    QApplication.clipboard().setText("42")
    grid.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is grid, timeout=2000)
    action["Dán"].trigger()
    assert values(demo_db, entry, "1") == [42.0]
    action["Cắt"].trigger()
    assert values(demo_db, entry, "1") == [None]
    assert QApplication.clipboard().text() == "42%"
    grid.setCurrentIndex(model.index(second, IM.VALUE))
    action["Dán"].trigger()
    assert values(demo_db, entry, "2") == [42.0]


def test_typing_in_a_sent_period_says_it_is_read_only(qtbot, window):  # noqa: ANN001
    session = window.session
    session.run(lambda s: period_ops.close_period(s, session.period("2026-Q3")))
    entry = window.show_page("periods").open_period("2026-Q3")
    grid, model = entry.indicator_grid, entry.indicators
    grid.setCurrentIndex(model.index(rows(entry, "1")[0], IM.VALUE))
    qtbot.keyClick(grid, Qt.Key.Key_5)
    assert entry.status.text().startswith("Kỳ đã chốt — chỉ xem.")
    assert "a8231a" in entry.status.styleSheet()


def test_warned_cells_are_marked_and_a_click_on_a_warning_selects_its_cell(qtbot, window):  # noqa: ANN001
    from PySide6.QtCore import Qt as _Qt

    entry = window.show_page("periods").open_period("2025-Q3")  # 3 unexplained warnings
    grid, model = entry.indicator_grid, entry.indicators
    warned = sorted(model.problems)
    assert len(warned) == 3
    row = model.row_of(warned[-1])
    cell = model.index(row, IM.VALUE)
    assert cell.data(_Qt.ItemDataRole.BackgroundRole).color().name() == "#ffe2a8"
    assert cell.data(_Qt.ItemDataRole.ToolTipRole).startswith("Cảnh báo: Chỉ tiêu")
    problems = entry.checks.problems
    item = next(
        problems.item(i)
        for i in range(problems.count())
        if problems.item(i).data(_Qt.ItemDataRole.UserRole) == warned[-1]
    )
    problems.itemClicked.emit(item)
    assert entry.tabs.currentIndex() == 0 and grid.currentIndex() == cell

    # Explaining the warning in its note takes the mark away.
    note = model.index(row, IM.NOTE)
    assert model.setData(note, "Số liệu đã rà soát lại với Phòng Văn hóa")
    assert cell.data(_Qt.ItemDataRole.BackgroundRole).color().name() != "#ffe2a8"
