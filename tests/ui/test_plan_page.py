"""Kế hoạch: editing a target in place, accent-free search, dialogs validated as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from app.models.plan import Comparator, Target
from app.ui.plan_dialogs import IndicatorDialog, TaskDialog

from .conftest import read_store
from .grid_keys import open_editor


def index_of(page, code: str, column: int):  # noqa: ANN001, ANN201
    model = page.indicator_model
    for row in range(model.rowCount()):
        item = model.item_at(model.index(row, 0))
        if item is not None and item.code == code:
            return model.index(row, column), item
    raise AssertionError(code)


def test_edit_target_in_place(qtbot, window, demo_db):  # noqa: ANN001
    page = window.show_page("plan")
    column = page.indicator_model.target_column(2030)
    index, ind = index_of(page, "4", column)  # "> 1,5%" in 2030
    tree = page.indicator_tree
    tree.setCurrentIndex(index)
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = open_editor(tree)
    assert isinstance(editor, QLineEdit) and editor.text() == "> 1,5%"
    editor.clear()
    qtbot.keyClicks(editor, ">= 2%")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index.data() == "≥ 2%", timeout=2000)  # Qt commits Enter queued
    with read_store(demo_db) as store:
        assert store.plan.load().indicators()[3].targets[2030] == Target(Comparator.GE, 2.0)

    # An impossible target is refused with the reason at the cell.
    tree.setCurrentIndex(index)
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = open_editor(tree)
    editor.setText("150%")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "150% nằm ngoài khoảng 0–100%" in page.status.text(), timeout=2000)
    assert index.data() == "≥ 2%"


def test_search_ignores_accents_and_case(qtbot, window):  # noqa: ANN001
    page = window.show_page("plan")
    window.focus_search()  # Ctrl+F
    assert window.focusWidget() is page.search  # the window's focus, active or not
    qtbot.keyClicks(page.search, "CHUYEN DOI SO")
    model = page.indicator_model
    shown = [
        model.index(r, 1).data()
        for r in range(model.rowCount())
        if not model.is_group(model.index(r, 0))
    ]
    # Item 4 matches by name; group V ("PHÁT TRIỂN CHUYỂN ĐỔI SỐ") matches with all its items.
    assert (
        "Tỷ lệ tổng chi ngân sách địa phương chi cho khoa học công nghệ, đổi mới sáng tạo và chuyển đổi số"
        in shown
    )
    assert "Tỷ lệ phủ sóng 5G trên địa bàn" not in shown
    group_v = page.session.plan().indicator_groups[4]
    assert {i.name for i in group_v.indicators} <= set(shown)
    page.search.clear()
    assert model.rowCount() == 5 + 52


def test_indicator_dialog_validates_as_you_type(qtbot):  # noqa: ANN001
    dialog = IndicatorDialog([2025, 2030])
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.text() == "Lưu" and not save.isEnabled()
    qtbot.keyClicks(dialog.code, "53")
    dialog.name.insert("Tỷ lệ hộ gia đình có địa chỉ số")  # Unikey commits composed text
    assert save.isEnabled()
    qtbot.keyClicks(dialog.targets[2030], "120%")
    assert not save.isEnabled()
    assert "Mục tiêu năm 2030" in dialog.problem.text() and "0–100%" in dialog.problem.text()
    dialog.targets[2030].setText("≥ 90%")
    assert save.isEnabled()
    ind = dialog.indicator()
    assert ind.targets == {2030: Target(Comparator.GE, 90.0)}


def test_task_dialog_checks_deadline_and_adds_task(qtbot, window, demo_db, monkeypatch):  # noqa: ANN001
    dialog = TaskDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, "90")
    dialog.name_edit.setPlainText("Số hóa hồ sơ lưu trữ của xã")
    dialog.deadline.insert("Quý V/2026")
    assert "Quý V/2026" in dialog.problem.text()
    dialog.deadline.setText("Quý III/2026")
    assert dialog.problem.text() == ""

    page = window.show_page("plan")
    page.tabs.setCurrentIndex(1)
    monkeypatch.setattr(TaskDialog, "exec", lambda self: (self.code.setText("90"),
                        self.name_edit.setPlainText("Số hóa hồ sơ lưu trữ"),
                        self.deadline.setText("Quý III/2026"), True)[-1])  # fmt: skip
    page.add_item()
    with read_store(demo_db) as store:
        task = store.plan.load().task_groups[-1].tasks[-1]
    assert (task.code, task.name, task.deadline.end.isoformat()) == (
        "90",
        "Số hóa hồ sơ lưu trữ",
        "2026-09-30",
    )
    assert page.task_model.groups[-1].tasks[-1].code == "90"


def test_indicator_dialog_shows_and_overrides_the_measure(qtbot, window, demo_db, monkeypatch):  # noqa: ANN001
    """Per year or a level: inferred from the name and unit, shown, and saved when overridden."""
    from app.models.measure import Measure

    fresh = IndicatorDialog([2025, 2030])
    qtbot.addWidget(fresh)
    fresh.name.insert("Số lượng sáng kiến được công nhận mỗi năm")
    assert fresh.measure.currentData() == Measure.PER_YEAR  # follows the name as it is typed
    assert fresh.measure_hint.text() == "Suy ra từ tên và đơn vị: số phát sinh trong năm."
    fresh.name.setText("Số lượng doanh nghiệp công nghệ số")
    assert fresh.measure.currentData() == Measure.LEVEL

    page = window.show_page("plan")
    index, ind = index_of(page, "9", 1)  # firms on the territory: a level
    assert ind.measure is Measure.LEVEL

    def choose_per_year(dialog: IndicatorDialog) -> bool:
        assert dialog.measure.currentData() == Measure.LEVEL
        dialog.measure.setCurrentIndex(list(Measure).index(Measure.PER_YEAR))
        dialog.measure.activated.emit(dialog.measure.currentIndex())  # as a click would
        assert dialog.measure_hint.text() == (
            "Đã chọn khác với cách suy ra từ tên và đơn vị (giá trị tại thời điểm báo cáo)."
        )
        dialog.name.setText(dialog.name.text() + " mới")  # the choice stays when the name changes
        assert dialog.measure.currentData() == Measure.PER_YEAR
        return True

    monkeypatch.setattr(IndicatorDialog, "exec", choose_per_year)
    page._edit_dialog(index)
    with read_store(demo_db) as store:
        saved = next(i for i in store.plan.load().indicators() if i.code == "9")
    assert saved.measure is Measure.PER_YEAR
    assert saved.name.endswith(" mới")


def test_path_tolerance_is_set_on_the_rules_tab(qtbot, window, demo_db):  # noqa: ANN001
    page = window.show_page("plan")
    spin = page.rules_panel.tolerance
    assert spin.value() == 5.0 and spin.suffix() == " % của bước"
    spin.setValue(2.5)
    spin.editingFinished.emit()
    assert page.rules_panel.status.text() == (
        "Đã đặt dung sai lộ trình 2,5% của bước đến mục tiêu."
    )
    with read_store(demo_db) as store:
        assert store.plan.load().path_tolerance == 0.025
