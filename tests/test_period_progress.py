"""A qualitative indicator is judged by the secretary, marked as such, and must be explained."""

from __future__ import annotations

from datetime import date

from app.models.assessment import Assessment
from app.models.plan import Indicator, IndicatorKind
from app.operations import period as ops


def test_a_self_assessment_is_marked_and_needs_its_explanation(bim_son_store):  # noqa: ANN001
    store = bim_son_store
    group = store.plan.load().indicator_groups[0]
    iid = store.plan.add_indicator(
        group.id, Indicator("99", "Xây dựng chính quyền số", kind=IndicatorKind.QUALITATIVE)
    )
    period = ops.period_of(store, "2026-Q3", date(2026, 10, 5))
    ops.set_value(store, period, iid, "Đạt")
    item = next(i for i in ops.progress(store, period, date(2026, 10, 5)).indicators
                if i.indicator.id == iid)  # fmt: skip
    assert item.assessment is Assessment.SELF_MET
    assert item.assessment.label == "Tự đánh giá: Đạt"

    check = ops.check(store, period)
    (warning,) = [v for v in check.violations if v.indicator_id == iid]
    assert warning.check == "self_assessment" and warning.blocking
    assert "cần ghi giải trình (căn cứ, kết quả) ở cột Ghi chú" in warning.message
    ops.set_value_note(store, period, iid, "Đã vận hành Trung tâm điều hành thông minh")
    (warning,) = [v for v in ops.check(store, period).violations if v.indicator_id == iid]
    assert not warning.blocking  # explained: closing is no longer held up

    ops.set_value(store, period, iid, "Đang thực hiện")
    item = next(i for i in ops.progress(store, period, date(2026, 10, 5)).indicators
                if i.indicator.id == iid)  # fmt: skip
    assert item.assessment is Assessment.SELF_IN_PROGRESS


def test_a_per_year_count_growing_on_pace_is_no_outlier(bim_son_store):  # noqa: ANN001
    """Indicator 11 counts research tasks "mỗi năm": a year-to-date figure grows through the
    year, so Q3 (to 14/09) is compared with H1 (to 09/06) scaled by the share of the year."""
    store = bim_son_store
    ind = next(i for i in store.plan.load().indicators() if i.code == "11")
    h1 = ops.period_of(store, "2026-H1", date(2026, 10, 5))
    q3 = ops.period_of(store, "2026-Q3", date(2026, 10, 5))
    ops.set_value(store, h1, ind.id, "8")
    ops.set_value(store, q3, ind.id, "13")  # +62,5 %, but on pace for 8,5 / 5,3 months
    assert [v for v in ops.check(store, q3).violations if v.indicator_id == ind.id] == []
    ops.set_value(store, q3, ind.id, "30")  # far beyond the pace
    (warning,) = [v for v in ops.check(store, q3).violations if v.indicator_id == ind.id]
    assert warning.check == "outlier" and "quy theo thời gian trong năm" in warning.message
