"""Issue 22, point 6: what is late, at a glance (demo data file, today 23/11/2026)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.operations import period as period_ops
from app.ui.periods_page import PeriodState


def state_texts(window) -> dict[str, str]:  # noqa: ANN001
    model = window.show_page("periods").model
    return {p.id: model.index(r, 4).data() for r, p in enumerate(model.periods)}


def test_period_list_separates_the_states_and_shows_only_the_plan(qtbot, window):  # noqa: ANN001
    session = window.session
    session.run(lambda s: period_ops.close_period(s, session.period("2026-Q3")))
    texts = state_texts(window)
    model = window.show_page("periods").model
    assert min(p.due for p in model.periods) >= session.regime().date  # none before the plan
    assert [p.id for p in model.periods][-1] == "2025-H1"
    assert texts["2026-Y"] == "Đang nhập"  # not yet due; the demo has written its narrative
    assert texts["2026-Q3"].startswith("Quá hạn ")  # closed, but past due and unsent
    assert texts["2026-Q3"].endswith("ngày · đã chốt, chưa gửi")
    assert texts["2025-H1"].endswith("ngày · đang nhập")
    states = set(model.states.values())
    assert states == {PeriodState.IN_PROGRESS, PeriodState.OVERDUE}


def test_enter_opens_the_selected_period(qtbot, window):  # noqa: ANN001
    page = window.show_page("periods")
    row = [p.id for p in page.model.periods].index("2026-Q3")
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.entry is not None and page.entry.period_id == "2026-Q3"


def test_dashboard_leads_with_overdue_unsent_reports_then_the_next_due(qtbot, window):  # noqa: ANN001
    page = window.show_page("dashboard")
    text = page.late.text()
    assert text.startswith("<b>Quá hạn, chưa gửi (6):</b> ")
    assert "quá hạn" in text and "và 3 báo cáo khác" in text
    assert not page.late.isHidden()
    assert page.next_step.text().startswith("<b>Việc tiếp theo:</b> Nhập số liệu kỳ Năm 2026")
    assert "Tạo khóa ký gói báo cáo" in page.next_step.text()  # the demo has no key yet
