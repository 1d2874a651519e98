"""Issue 22, point 4: the window fits the screen's free area and remembers where it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QScrollArea

from app.settings import Settings

from .conftest import TODAY


def open_window(qtbot, demo_db: Path, gui_home: Path):  # noqa: ANN001, ANN201
    from app.ui.app import make_app, open_main_window

    make_app()
    settings = Settings.load(gui_home / "config" / "settings.json")
    win = open_main_window(demo_db, settings, TODAY)
    qtbot.addWidget(win)
    return win


def test_first_start_fits_the_free_area_then_the_geometry_is_remembered(qtbot, demo_db, gui_home):  # noqa: ANN001
    win = open_window(qtbot, demo_db, gui_home)
    area = win.screen().availableGeometry()  # offscreen: 800×600, smaller than 1366×768
    win.show_fitted()
    assert win.isMaximized()
    assert win.width() <= area.width() and win.height() <= area.height()
    win.showNormal()
    win.setGeometry(QRect(area.x() + 10, area.y() + 20, 640, 480))
    qtbot.waitUntil(lambda: win.width() == 640)
    win.close()
    saved = Settings.load(gui_home / "config" / "settings.json").window_geometry
    assert saved

    again = open_window(qtbot, demo_db, gui_home)
    again.show_fitted()
    assert not again.isMaximized()
    assert (again.width(), again.height()) == (640, 480)
    again.close()


def test_the_form_pages_scroll_instead_of_growing_the_window(qtbot, window):  # noqa: ANN001
    page = window.show_page("settings")
    scroller = window.stack.currentWidget()
    assert isinstance(scroller, QScrollArea) and scroller.widget() is page
    assert window.minimumSizeHint().height() < 600


def test_the_problems_panel_folds_and_takes_only_its_lines(qtbot, window):  # noqa: ANN001
    entry = window.show_page("periods").open_period("2025-Q3")  # 3 unexplained warnings
    checks = entry.checks
    assert checks.problems.count() == 3 and checks.toggle.text() == "Ẩn 3 vấn đề"
    line = checks.problems.fontMetrics().height() + 6
    assert checks.problems.height() == 3 * line + 6
    checks.toggle.click()
    assert checks.problems.isHidden() and checks.toggle.text() == "Xem 3 vấn đề"


def test_grid_rows_are_single_lines_unless_the_office_chooses_more(qtbot, window):  # noqa: ANN001
    from PySide6.QtWidgets import QHeaderView

    from app.settings import Settings

    entry = window.show_page("periods").open_period("2026-Q3")
    grid, model = entry.indicator_grid, entry.indicators
    header = grid.verticalHeader()
    assert header.sectionResizeMode(0) is QHeaderView.ResizeMode.Fixed  # no per-layout sizing
    line = grid.fontMetrics().lineSpacing()
    assert {header.sectionSize(r) for r in range(model.rowCount())} == {line + 8}
    page = window.show_page("settings")
    page.lines_combo.setCurrentIndex(page.lines_combo.findData(3))  # Cài đặt › Giao diện
    assert Settings.load().grid_row_lines == 3
    heights = {header.sectionSize(r) for r in range(model.rowCount())}
    assert heights <= {n * line + 8 for n in (1, 2, 3)} and len(heights) > 1
    longest = max(range(model.rowCount()), key=lambda r: len(str(model.index(r, 1).data())))
    assert header.sectionSize(longest) == 3 * line + 8  # capped
    assert model.index(longest, 1).data(Qt.ItemDataRole.ToolTipRole)  # the full text


def test_the_wheel_over_the_font_size_box_scrolls_the_page_not_the_size(qtbot, window):  # noqa: ANN001
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    page = window.show_page("settings")
    combo = page.font_combo
    before = combo.currentIndex()
    wheel = QWheelEvent(
        QPointF(5, 5), QPointF(combo.mapToGlobal(QPoint(5, 5))), QPoint(0, 0), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(combo, wheel)
    assert combo.currentIndex() == before


def test_a_relative_data_file_path_is_remembered_absolute(qtbot, demo_db, gui_home, monkeypatch):  # noqa: ANN001
    monkeypatch.chdir(demo_db.parent)
    win = open_window(qtbot, Path(demo_db.name), gui_home)
    saved = Settings.load(gui_home / "config" / "settings.json").data_file
    assert saved == str(demo_db.resolve())
    win.session.close()


def test_code_and_name_stay_when_the_task_grid_scrolls_sideways(qtbot, window):  # noqa: ANN001
    from app.ui.period_models import TaskEntryModel as TM

    entry = window.show_page("periods").open_period("2026-Q3")
    entry.tabs.setCurrentIndex(1)
    grid, frozen = entry.task_grid, entry.task_frozen
    assert [frozen.isColumnHidden(c) for c in range(3)] == [False, False, True]
    assert grid.isColumnHidden(0) and grid.isColumnHidden(1)
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    assert frozen.isVisible() and frozen.columnViewportPosition(1) >= 0
    grid.verticalScrollBar().setValue(5)
    assert frozen.verticalScrollBar().value() == 5
    rows = grid.model().rowCount()
    assert [frozen.rowHeight(r) for r in range(rows)] == [grid.rowHeight(r) for r in range(rows)]
    row = next(r for r in range(rows) if not grid.model().is_group(r))
    frozen.clicked.emit(grid.model().index(row, 1))  # a click on the name
    assert grid.currentIndex().row() == row and grid.currentIndex().column() == TM.STATUS


def test_the_selected_row_is_shown_in_full_under_the_grid(qtbot, window):  # noqa: ANN001
    from app.ui.period_models import IndicatorEntryModel as IM

    entry = window.show_page("periods").open_period("2026-Q3")
    grid, model = entry.indicator_grid, entry.indicators
    row = next(r for r, x in enumerate(model.rows) if x.item is not None and x.item.code == "8")
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    name = model.rows[row].item.name
    assert entry.detail.text().startswith(f"<b>8. {name}</b> — Đơn vị tính: %")
    assert "Mục tiêu: &gt; 80% (2040)" in entry.detail.text()  # rich text: escaped
