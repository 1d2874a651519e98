"""Entering a period's values like a secretary: keys, paste from Excel, refusals, undo."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from app.models.progress import TaskStatus
from app.ui.period_models import IndicatorEntryModel as IM
from app.ui.period_models import TaskEntryModel as TM

from .conftest import read_store
from .grid_keys import open_editor, type_into_cell

PERIOD = "2026-Y"


def open_entry(window):  # noqa: ANN001, ANN201
    page = window.show_page("periods")
    entry = page.open_period(PERIOD)
    return entry


def indicator_row(entry, code: str) -> int:  # noqa: ANN001
    model = entry.indicators
    return next(
        r for r, row in enumerate(model.rows) if row.item is not None and row.item.code == code
    )


def test_typing_a_value_saves_it_and_updates_attainment(qtbot, window, demo_db):  # noqa: ANN001
    entry = open_entry(window)
    grid, model = entry.indicator_grid, entry.indicators
    row = indicator_row(entry, "1")  # Tỷ lệ phủ sóng 5G, 100% in 2030
    iid = model.rows[row].item.id
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    assert model.index(row, IM.ATTAINMENT).data() == "Chưa có số liệu"
    changed = []
    model.dataChanged.connect(
        lambda a, b: changed.append((a.row(), a.column(), b.row(), b.column()))
    )

    editor = type_into_cell(qtbot, grid, "100")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)

    assert changed[:2] == [(row, IM.VALUE, row, IM.VALUE), (row, IM.ATTAINMENT, row, IM.ATTAINMENT)]
    # then, once more, the value cell alone: the check marks its new warning (0 → 100 %)
    assert set(changed[2:]) <= {(row, IM.VALUE, row, IM.VALUE)}
    assert model.index(row, IM.VALUE).data() == "100%"
    assert model.index(row, IM.ATTAINMENT).data() == "Đạt mục tiêu mốc"  # 100% by 2030
    assert grid.currentIndex().column() == IM.NOTE  # Tab went to the next editable cell
    with read_store(demo_db) as store:
        assert store.entries.indicator_values(PERIOD)[iid].value == 100.0

    # Enter commits and moves down to the next indicator, over the group heading row.
    grid.setCurrentIndex(model.index(indicator_row(entry, "3"), IM.VALUE))
    editor = type_into_cell(qtbot, grid, "40")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert grid.currentIndex().row() == indicator_row(entry, "4")
    assert model.index(indicator_row(entry, "3"), IM.ATTAINMENT).data() == "Chậm so với lộ trình"


def test_invalid_value_is_refused_at_the_cell_and_editor_kept(qtbot, window, demo_db):  # noqa: ANN001
    entry = open_entry(window)
    grid, model = entry.indicator_grid, entry.indicators
    row = indicator_row(entry, "1")
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "120")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)

    assert "120% nằm ngoài khoảng 0–100%" in entry.status.text()
    assert grid.state() == grid.State.EditingState
    again = open_editor(grid)
    assert isinstance(again, QLineEdit) and again.text() == "120"
    assert grid.currentIndex().column() == IM.VALUE
    with read_store(demo_db) as store:
        assert model.rows[row].item.id not in store.entries.indicator_values(PERIOD)

    # Text in a count indicator is refused too; correcting it is accepted.
    again.setText("75")
    qtbot.keyClick(again, Qt.Key.Key_Return)
    assert model.index(row, IM.VALUE).data() == "75%"


def test_delete_clears_and_undo_restores(qtbot, window, demo_db):  # noqa: ANN001
    entry = open_entry(window)
    grid, model = entry.indicator_grid, entry.indicators
    row = indicator_row(entry, "2")
    iid = model.rows[row].item.id
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "45,5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    with read_store(demo_db) as store:
        assert iid not in store.entries.indicator_values(PERIOD)

    assert window.undo_action.isEnabled()
    assert "chỉ tiêu 2" in window.undo_action.text()
    window.undo_action.trigger()  # Ctrl+Z: the clearing is undone
    assert model.index(row, IM.VALUE).data() == "45,5%"
    with read_store(demo_db) as store:
        assert store.entries.indicator_values(PERIOD)[iid].value == 45.5
        assert store.history(1, table="undo")[0].action == "undo"


def test_paste_block_from_excel_keeps_valid_cells_and_reports_invalid(qtbot, window, demo_db):  # noqa: ANN001
    entry = open_entry(window)
    grid, model = entry.indicator_grid, entry.indicators
    first = indicator_row(entry, "1")
    grid.setCurrentIndex(model.index(first, IM.VALUE))
    # Value, (read-only attainment column), note — as copied from three Excel rows.
    QApplication.clipboard().setText("55\tx\tTheo số liệu VNPT\r\n120\t\t\r\n60,5\t\tƯớc tính\r\n")
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    ids = [model.rows[indicator_row(entry, c)].item.id for c in ("1", "2", "3")]
    with read_store(demo_db) as store:
        values = store.entries.indicator_values(PERIOD)
    assert values[ids[0]].value == 55.0 and values[ids[0]].note == "Theo số liệu VNPT"
    assert ids[1] not in values
    assert values[ids[2]].value == 60.5 and values[ids[2]].note == "Ước tính"
    assert "Đã dán 4 ô" in entry.status.text()
    assert "Dòng 2, cột “Kỳ này”: Chỉ tiêu 2" in entry.status.text()
    assert model.index(indicator_row(entry, "1"), IM.ATTAINMENT).data() == "Chậm so với lộ trình"


def test_task_grid_status_combo_percent_and_paste(qtbot, window, demo_db):  # noqa: ANN001
    entry = open_entry(window)
    entry.tabs.setCurrentIndex(1)
    grid, model = entry.task_grid, entry.tasks
    row = next(r for r, x in enumerate(model.rows) if x.item is not None)
    tid = model.rows[row].item.id
    grid.setCurrentIndex(model.index(row, TM.STATUS))
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    combo = open_editor(grid)
    assert isinstance(combo, QComboBox)
    combo.setCurrentText(TaskStatus.IN_PROGRESS.label)
    qtbot.keyClick(combo, Qt.Key.Key_Tab)
    assert grid.currentIndex().column() == TM.PERCENT
    editor = type_into_cell(qtbot, grid, "150")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert "phải là số từ 0 đến 100" in entry.status.text()
    open_editor(grid).setText("40")
    qtbot.keyClick(open_editor(grid), Qt.Key.Key_Tab)
    with read_store(demo_db) as store:
        progress = store.entries.task_progress(PERIOD)[tid]
    assert progress.status is TaskStatus.IN_PROGRESS and progress.percent == 40.0

    grid.setCurrentIndex(model.index(row, TM.STATUS))
    QApplication.clipboard().setText(
        "Đã hoàn thành\t\tĐã ban hành kế hoạch\tSố 12/KH-UBND\t05/02/2026"
    )
    qtbot.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    with read_store(demo_db) as store:
        progress = store.entries.task_progress(PERIOD)[tid]
    assert progress.status is TaskStatus.DONE and progress.percent == 40.0
    assert progress.result == "Đã ban hành kế hoạch"
    assert progress.evidence_number == "Số 12/KH-UBND"
    assert progress.evidence_date.isoformat() == "2026-02-05"
    assert model.index(row, TM.EV_DATE).data() == "05/02/2026"


def test_attachment_and_narrative_are_stored(qtbot, window, demo_db, tmp_path, dialogs):  # noqa: ANN001
    entry = open_entry(window)
    row = next(r for r, x in enumerate(entry.tasks.rows) if x.item is not None)
    tid = entry.tasks.rows[row].item.id
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 minh chung")
    entry.task_grid.filesDropped.emit(row, [scan])  # as a drop on the row does
    assert entry.tasks.index(row, TM.FILES).data() == "1 tệp"

    edit = entry.narrative_edits[next(iter(entry.narrative_edits))]
    edit.setPlainText("Đã tổ chức hội nghị quán triệt Nghị quyết.")
    entry.save_narrative()
    with read_store(demo_db) as store:
        files = store.entries.attachments(PERIOD)
        assert [(a.task_id, a.file_name) for a in files] == [(tid, "quyet-dinh.pdf")]
        assert store.entries.attachment_content(files[0].id) == b"%PDF-1.4 minh chung"
        assert any("hội nghị quán triệt" in t for t in store.entries.narrative(PERIOD).values())
