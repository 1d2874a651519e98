"""Closing a period like a secretary: refused with the list, explain, close, read-only,
export, reopen with a reason, edit, export the correction."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtCore import Qt

from app.models.period_states import PeriodState
from app.ui.period_models import IndicatorEntryModel as IM

from .conftest import read_store
from .grid_keys import type_into_cell
from .test_period_entry import indicator_row

PERIOD = "2026-Y"


def export(qtbot, window, out):  # noqa: ANN001, ANN201
    page = window.show_page("packages")
    assert page.selected_period() == PERIOD
    job = page.export_current(out)
    qtbot.waitUntil(lambda: not job.running, timeout=30000)
    assert job.error is None, job.error
    return job.result


def test_close_refused_explain_close_readonly_reopen_correct(
    qtbot, window, demo_db, tmp_path, dialogs
):  # noqa: ANN001
    dialogs.answers["new_passphrase"] = dialogs.answers["passphrase"] = "mat-khau-ky-57"
    window.show_page("settings").keys.generate()
    entry = window.show_page("periods").open_period(PERIOD)
    grid, model, checks = entry.indicator_grid, entry.indicators, entry.checks
    assert checks.state_label.text().strip() == "Đang nhập"
    assert checks.completeness_label.text().startswith("<b>Đã cập nhật 0/52 chỉ tiêu, 0/104")

    row = indicator_row(entry, "1")  # Q3 was 47,3 %: 90 % is an outlier
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "90")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "Đã cập nhật 1/52 chỉ tiêu" in checks.completeness_label.text()  # live
    assert "cảnh báo: 1 (1 chưa giải trình)" in checks.summary_label.text()

    assert checks.close_period() is False  # refused: the warning is not explained
    assert checks.problems.isVisible() and checks.problems.count() == 1
    assert checks.problems.item(0).text().startswith("Cảnh báo: Chỉ tiêu 1 (")
    assert "Chưa chốt được kỳ Năm 2026" in entry.status.text()
    with read_store(demo_db) as store:
        assert store.closing.period_status(PERIOD).state is PeriodState.OPEN

    grid.setCurrentIndex(model.index(row, IM.NOTE))  # explain it in the note
    editor = type_into_cell(qtbot, grid, "L")  # QTest types ASCII only: the rest as an IME would
    editor.setText("Lắp thêm 12 trạm 5G trong năm")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "(đã giải trình)" in checks.problems.item(0).text()
    assert checks.close_period() is True
    assert checks.state_label.text().strip() == "Đã chốt" and entry.locked

    # read-only: no editor opens, the narrative cannot be typed into, the store agrees
    assert not (model.flags(model.index(row, IM.VALUE)) & Qt.ItemFlag.ItemIsEditable)
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    qtbot.keyClick(grid, "5")
    assert grid.state() != grid.State.EditingState
    assert model.index(row, IM.VALUE).data() == "90%"
    assert all(e.isReadOnly() for e in entry.narrative_edits.values())
    assert not checks.close_button.isEnabled() and checks.reopen_button.isEnabled()

    out = tmp_path / "goi"
    out.mkdir()
    original = export(qtbot, window, out)
    entry = window.show_page("periods").open_period(PERIOD)
    assert entry.checks.state_label.text().strip() == "Đã gửi"

    assert entry.checks.reopen("") is False  # a reason is required
    assert "Cần ghi lý do" in entry.status.text()
    assert entry.checks.reopen("Số trạm 5G theo báo cáo mới của Viettel") is True
    assert not entry.locked and "báo cáo bổ sung, điều chỉnh" in entry.checks.summary_label.text()
    grid, model = entry.indicator_grid, entry.indicators
    grid.setCurrentIndex(model.index(row, IM.VALUE))
    editor = type_into_cell(qtbot, grid, "85")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert model.index(row, IM.VALUE).data() == "85%"

    correction = export(qtbot, window, out)
    assert (original.sequence, correction.sequence) == (1, 2)
    with zipfile.ZipFile(correction.path) as zf:
        top = zf.namelist()[0].split("/")[0]
        package = json.loads(zf.read(f"{top}/package.json"))
    assert package["kind"] == "correction" and package["corrects"] == 1
    assert [(c["code"], c["field"], c["before"], c["after"]) for c in package["changes"]] == [
        ("1", "value", 90.0, 85.0)
    ]
    with read_store(demo_db) as store:
        assert store.closing.period_status(PERIOD).state is PeriodState.SENT
        reasons = [h.new for h in store.history(table="period_state") if h.field == "reason"]
    assert reasons == ["Số trạm 5G theo báo cáo mới của Viettel"]
