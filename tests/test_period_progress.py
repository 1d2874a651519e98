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


def test_the_plan_sets_how_close_to_the_path_is_on_it(bim_son_store):  # noqa: ANN001
    """5G: 1,5 points under the path is on it with the default 5 % of the 35-point step
    (1,75 points), behind it once the plan narrows the tolerance to 2 % (0,7 points)."""
    import pytest

    from app.models.change import Subject
    from app.models.errors import UserError
    from app.models.plan_json import plan_from_json, plan_to_json
    from app.operations import plan as plan_ops

    store = bim_son_store
    today = date(2026, 10, 5)
    q3 = ops.period_of(store, "2026-Q3", today)
    five_g = next(i for i in store.plan.load().indicators() if i.code == "1")

    def item():  # noqa: ANN202
        progress = ops.progress(store, q3, today)
        return next(i for i in progress.indicators if i.indicator.id == five_g.id)

    ops.set_value(store, q3, five_g.id, "70")
    expected = item().path.expected
    value = round(expected - 1.5, 2)
    ops.set_value(store, q3, five_g.id, str(value).replace(".", ","))
    assert store.plan.load().path_tolerance == 0.05
    assert item().assessment is Assessment.ON_TRACK

    outcome = plan_ops.set_path_tolerance(store, 0.02)
    assert outcome.change.subject is Subject.PLAN_SETTING and outcome.change.fields == {"value"}
    assert item().assessment is Assessment.BEHIND
    assert item().path.tolerance == pytest.approx(0.7)

    plan = store.plan.load()
    assert plan.path_tolerance == 0.02
    data = plan_to_json(plan)
    assert data["validation"]["path_tolerance"] == 0.02
    assert plan_from_json(data).path_tolerance == 0.02
    del data["validation"]["path_tolerance"]  # a plan written before the setting
    assert plan_from_json(data).path_tolerance == 0.05
    data["validation"]["path_tolerance"] = 0.8
    with pytest.raises(UserError) as refused:
        plan_from_json(data)
    assert refused.value.message == (
        "validation.path_tolerance: Dung sai lộ trình phải từ 0 đến 50% của bước đến mục tiêu "
        "kế tiếp (ví dụ 0,05 là 5%)."
    )
    with pytest.raises(UserError, match="Dung sai lộ trình phải từ 0"):
        plan_ops.set_path_tolerance(store, -0.01)
    assert store.plan.load().path_tolerance == 0.02
