"""Issue 22, point 3: a closed or sent report keeps its items; retiring one is archiving it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.models.errors import UserError
from app.models.period_states import PeriodState
from app.operations import period as period_ops

from .conftest import read_store

SENT = "2026-Q3"  # 49/52 values, no unexplained warning: it closes
NEW = "2026-Y"  # empty, open


def button(page, text: str) -> QPushButton:  # noqa: ANN001
    return next(b for b in page.findChildren(QPushButton) if b.text() == text)


def select_indicator(page, code: str):  # noqa: ANN001, ANN201
    model = page.indicator_model
    for row in range(model.rowCount()):
        item = model.item_at(model.index(row, 0))
        if item is not None and item.code == code:
            page.indicator_tree.setCurrentIndex(model.index(row, 1))
            return item, model.index(row, 1)
    raise AssertionError(code)


def close(window, period_id: str) -> None:  # noqa: ANN001
    session = window.session
    session.run(lambda s: period_ops.close_period(s, session.period(period_id)))


def test_deleting_an_indicator_a_closed_report_states_is_refused(qtbot, window, demo_db, dialogs):  # noqa: ANN001
    close(window, SENT)
    page = window.show_page("plan")
    item, _ = select_indicator(page, "2")
    with read_store(demo_db) as store:
        assert store.entries.indicator_values(SENT)[item.id].value is not None
    qtbot.mouseClick(button(page, "Xóa"), Qt.MouseButton.LeftButton)

    refused = dialogs.texts("error")[-1]
    assert refused.startswith(
        "Không xóa được chỉ tiêu 2: các kỳ đã chốt hoặc đã gửi (Quý III/2026)"
    )
    assert "Lưu trữ" in refused
    assert dialogs.texts("confirm") == []  # nothing asked: it would be refused anyway
    with read_store(demo_db) as store:
        assert item.id in {i.id for i in store.plan.load().indicators()}
        assert store.entries.indicator_values(SENT)[item.id].value is not None
        # The store itself refuses, whoever asks; a note may still change, a name not.
        with pytest.raises(UserError) as exc:
            store.plan.delete_indicator(item.id)
        assert exc.value.code == "reported"
        with pytest.raises(UserError, match="không sửa được"):
            store.plan.update_indicator(item.id, name="Tên khác")
        store.plan.update_indicator(item.id, note="Ghi chú mới")


def test_archiving_hides_from_new_periods_keeps_old_ones_and_undoes(qtbot, window, demo_db):  # noqa: ANN001
    close(window, SENT)
    page = window.show_page("plan")
    item, index = select_indicator(page, "2")
    qtbot.mouseClick(button(page, "Lưu trữ / bỏ lưu trữ"), Qt.MouseButton.LeftButton)
    assert page.status.text().startswith("Đã lưu trữ chỉ tiêu 2")
    assert index.data().endswith("(đã lưu trữ)")
    with read_store(demo_db) as store:
        assert ("indicator", item.id) in store.plan.load().archived
        new = period_ops.check(store, store.period(NEW)).completeness
        old = period_ops.check(store, store.period(SENT)).completeness
        assert (new.indicators_total, old.indicators_total) == (51, 52)
        assert store.closing.period_status(SENT).state is PeriodState.CLOSED

    periods = window.show_page("periods")
    codes = [r.item.code for r in periods.open_period(NEW).indicators.rows if r.item is not None]
    assert "2" not in codes and len(codes) == 51
    kept = [r.item.id for r in periods.open_period(SENT).indicators.rows if r.item is not None]
    assert item.id in kept

    window.show_page("plan")
    window.undo_action.trigger()  # an archive is undone like any plan edit
    with read_store(demo_db) as store:
        assert ("indicator", item.id) not in store.plan.load().archived
