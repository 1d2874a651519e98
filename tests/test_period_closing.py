"""Validation rules, outliers, completeness and the period state machine (core, no Qt)."""

from __future__ import annotations

import json

import pytest

from app.models.errors import UserError
from app.models.period_states import PeriodNotReady, PeriodState
from app.models.plan import (
    Comparator,
    Indicator,
    IndicatorKind,
    RuleKind,
    Severity,
    ValidationRule,
)
from app.models.plan_json import plan_from_json, plan_to_json
from app.models.progress import NarrativeSection
from app.models.store import Store
from app.models.validation import check_period, kind_problem

Q1, Q2 = "2026-Q1", "2026-Q2"


def ids(store: Store) -> dict[str, int]:
    return {i.code: i.id for i in store.plan.load().indicators()}


def messages(store: Store, period: str) -> list[tuple[str, str, str, bool]]:
    return [
        (v.severity.value, v.check, v.code, v.explained)
        for v in check_period(store.reader, period).violations
    ]


@pytest.mark.parametrize(
    ("kind", "value", "problem"),
    [
        (IndicatorKind.PERCENT, 150.0, "tỷ lệ 150% nằm ngoài khoảng 0–100%"),
        (IndicatorKind.PERCENT, 99.5, None),
        (IndicatorKind.COUNT, -1.0, "số lượng -1 phải là số nguyên không âm"),
        (IndicatorKind.COUNT, 2.5, "số lượng 2,5 phải là số nguyên không âm"),
        (IndicatorKind.COUNT, 0.0, None),
        (IndicatorKind.YES_NO, "có", "giá trị phải là Có hoặc Không"),
        (IndicatorKind.YES_NO, True, None),
        (IndicatorKind.RANK, 0.0, "thứ hạng 0 phải là số nguyên dương"),
        (IndicatorKind.RANK, 3.0, None),
    ],
)
def test_built_in_checks_follow_the_indicator_kind(kind, value, problem):
    assert kind_problem(Indicator("7", "Chỉ tiêu", kind=kind), value) == problem


def test_a_stored_value_that_breaks_its_kind_is_an_error(bim_son_store):
    store = bim_son_store
    iid = ids(store)["9"]  # count
    store.db.execute(  # as an old file or a hand-edited one might hold it
        "INSERT INTO indicator_value (period_id, indicator_id, value) VALUES (?, ?, '2.5')",
        [Q1, iid],
    )
    check = check_period(store.reader, Q1)
    assert [(v.severity, v.check, v.code) for v in check.errors] == [(Severity.ERROR, "kind", "9")]
    assert "số lượng 2,5 phải là số nguyên không âm" in check.errors[0].message


def test_range_rule_refuses_errors_at_entry_and_keeps_warnings(bim_son_store):
    store = bim_son_store
    i = ids(store)
    store.rules.add_rule(
        ValidationRule("5", RuleKind.RANGE, Severity.ERROR, minimum=10, maximum=90)
    )
    store.rules.add_rule(ValidationRule("6", RuleKind.RANGE, Severity.WARNING, maximum=50))
    with pytest.raises(UserError) as refused:
        store.entries.set_indicator_value(Q1, i["5"], "95")
    assert refused.value.code == "rule"
    assert (
        "Chỉ tiêu 5" in refused.value.message and "mức tối đa cho phép 90%" in refused.value.message
    )
    with pytest.raises(UserError, match="mức tối thiểu cho phép 10%"):
        store.entries.set_indicator_value(Q1, i["5"], "5")
    assert store.entries.indicator_values(Q1) == {}  # nothing written
    store.entries.set_indicator_value(Q1, i["5"], "60")
    store.entries.set_indicator_value(Q1, i["6"], "70")  # a warning is kept
    assert store.entries.indicator_values(Q1)[i["6"]].value == 70.0
    assert messages(store, Q1) == [("warning", "range", "6", False)]
    store.entries.set_indicator_value(Q1, i["6"], note="Số liệu từ khảo sát mới, đã xác minh")
    assert messages(store, Q1) == [("warning", "range", "6", True)]


def test_no_decrease_rule_compares_with_the_previous_period(bim_son_store):
    store = bim_son_store
    i = ids(store)
    store.rules.add_rule(ValidationRule("10", RuleKind.NO_DECREASE, Severity.ERROR))
    store.entries.set_indicator_value(Q1, i["10"], "12")
    with pytest.raises(UserError, match=r"giảm so với kỳ trước \(12\)"):
        store.entries.set_indicator_value(Q2, i["10"], "11")
    store.entries.set_indicator_value(Q2, i["10"], "13")  # up by 8 %: no outlier either
    assert messages(store, Q2) == []


def test_compare_rule_between_two_indicators_of_the_same_period(bim_son_store):
    store = bim_son_store
    i = ids(store)
    store.rules.add_rule(ValidationRule("12", RuleKind.COMPARE, Severity.ERROR, other="11",
                                  comparator=Comparator.LE))  # fmt: skip
    store.entries.set_indicator_value(Q1, i["11"], "8")
    with pytest.raises(UserError, match=r"Chỉ tiêu 12 .*: 9 phải ≤ chỉ tiêu 11 \(8\)"):
        store.entries.set_indicator_value(Q1, i["12"], "9")
    store.entries.set_indicator_value(Q1, i["12"], "8")
    # lowering the other side is refused too: it would break the same rule
    with pytest.raises(UserError, match="phải ≤ chỉ tiêu 11"):
        store.entries.set_indicator_value(Q1, i["11"], "7")
    # as a warning the pair is kept and listed
    rule = store.rules.validation_rules()[0]
    store.rules.update_rule(rule.id, severity=Severity.WARNING)
    store.entries.set_indicator_value(Q1, i["11"], "7")
    assert messages(store, Q1) == [("warning", "compare", "12", False)]


def test_outlier_flag_uses_the_plan_share_or_the_indicator_own(bim_son_store):
    store = bim_son_store
    i = ids(store)
    store.entries.set_indicator_value(Q1, i["1"], "40")
    store.entries.set_indicator_value(Q1, i["3"], "40")
    store.entries.set_indicator_value(Q2, i["1"], "61")  # +52.5 % > 50 %
    store.entries.set_indicator_value(Q2, i["3"], "59")  # +47.5 %: fine by default
    found = check_period(store.reader, Q2).violations
    assert [(v.severity, v.check, v.code) for v in found] == [(Severity.WARNING, "outlier", "1")]
    assert "thay đổi 52,5% so với kỳ trước (40%), vượt ngưỡng 50%" in found[0].message
    store.rules.add_rule(ValidationRule("3", RuleKind.OUTLIER, share=0.3))
    assert [v.code for v in check_period(store.reader, Q2).violations] == ["1", "3"]
    store.rules.set_outlier_share(0.6)
    assert [v.code for v in check_period(store.reader, Q2).violations] == ["3"]
    store.entries.set_indicator_value(Q2, i["1"], "100")  # outliers are never refused
    assert store.entries.indicator_values(Q2)[i["1"]].value == 100.0


def test_completeness_counts_and_lists_what_is_missing(bim_son_store):
    store = bim_son_store
    plan = store.plan.load()
    for ind in plan.indicators()[:50]:
        if ind.kind is IndicatorKind.YES_NO:
            store.entries.set_indicator_value(Q1, ind.id, "có")
        elif ind.kind is IndicatorKind.QUALITATIVE:
            store.entries.set_indicator_value(Q1, ind.id, "Đang triển khai")
        else:
            store.entries.set_indicator_value(Q1, ind.id, "1")
    for task in plan.tasks()[:80]:
        store.entries.set_task_progress(Q1, task.id, status="in_progress")
    store.entries.set_task_progress(Q2, plan.tasks()[80].id, status="done")  # another period
    c = check_period(store.reader, Q1).completeness
    assert (c.indicators_filled, c.indicators_total, c.tasks_updated, c.tasks_total) == (
        50,
        52,
        80,
        104,
    )  # fmt: skip  (Phụ lục II: 21 tasks, Phụ lục III: 83)
    assert c.text() == "Đã cập nhật 50/52 chỉ tiêu, 80/104 nhiệm vụ"
    assert [code for code, _ in c.missing_indicators] == [i.code for i in plan.indicators()[50:]]
    # named by appendix, group and code: two appendices share the numbers 1–21
    missing = [code for code, _ in c.missing_tasks]
    assert missing == [f"PL III – {g.code}.{t.code}" for g in plan.task_groups[1:]
                       for t in g.tasks][59:]  # fmt: skip
    assert missing[0] == "PL III – VII.66"
    assert c.to_json() == {"indicators_total": 52, "indicators_filled": 50,
                           "tasks_total": 104, "tasks_updated": 80}  # fmt: skip


def test_state_machine_close_refuse_writes_reopen(bim_son_store, tmp_path):
    store = bim_son_store
    i = ids(store)
    task = store.plan.load().tasks()[0].id
    store.entries.set_indicator_value(Q1, i["1"], "40")
    store.entries.set_indicator_value(Q2, i["1"], "90")  # an outlier, not explained
    assert store.closing.period_status(Q2).state is PeriodState.OPEN
    with pytest.raises(PeriodNotReady) as refused:
        store.closing.close_period(Q2)
    assert [v.code for v in refused.value.check.blocking] == ["1"]
    assert "1 cảnh báo chưa giải trình" in refused.value.message
    assert store.closing.period_status(Q2).state is PeriodState.OPEN
    store.entries.set_indicator_value(Q2, i["1"], note="Đã lắp thêm 3 trạm BTS trong quý")
    store.closing.close_period(Q2)
    assert store.closing.period_status(Q2).state is PeriodState.CLOSED
    assert store.closing.period_states() == {Q2: PeriodState.CLOSED}

    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    writes = [
        lambda: store.entries.set_indicator_value(Q2, i["1"], "80"),
        lambda: store.entries.set_indicator_value(Q2, i["1"], note="khác"),
        lambda: store.entries.set_task_progress(Q2, task, status="done"),
        lambda: store.entries.set_narrative(Q2, NarrativeSection.LEADERSHIP, "Đã họp"),
        lambda: store.entries.add_attachment(Q2, task, evidence),
    ]
    for write in writes:
        with pytest.raises(UserError) as locked:
            write()
        assert locked.value.code == "period_locked"
        assert "Kỳ Quý II/2026 đã chốt, không sửa được số liệu" in locked.value.message
    assert store.entries.indicator_values(Q2)[i["1"]].value == 90.0
    store.entries.set_indicator_value(Q1, i["1"], "41")  # other periods stay open

    for reason in (None, "", "   "):
        with pytest.raises(UserError, match="Cần ghi lý do mở lại"):
            store.closing.reopen_period(Q2, reason)
    assert store.closing.period_status(Q2).locked
    store.closing.reopen_period(Q2, "Sai số liệu chỉ tiêu 1, Viettel gửi lại")
    status = store.closing.period_status(Q2)
    assert status.state is PeriodState.OPEN and not status.correction_pending  # nothing sent
    history = store.history(table="period_state")
    assert [(h.field, h.old, h.new) for h in history[:2]] == [
        ("reason", None, "Sai số liệu chỉ tiêu 1, Viettel gửi lại"),
        ("state", "closed", "open"),
    ]
    with pytest.raises(UserError, match="đang mở, không cần mở lại"):
        store.closing.reopen_period(Q2, "lại")
    store.entries.set_indicator_value(Q2, i["1"], "80")


def test_rules_travel_in_the_plan_json_and_old_json_still_loads(bim_son_store, tmp_path):
    store = bim_son_store
    store.rules.add_rule(ValidationRule("12", RuleKind.COMPARE, Severity.ERROR, other="11",
                                  comparator=Comparator.LE))  # fmt: skip
    store.rules.add_rule(ValidationRule("5", RuleKind.RANGE, minimum=0, maximum=80))
    store.rules.add_rule(ValidationRule("10", RuleKind.NO_DECREASE, Severity.ERROR))
    store.rules.add_rule(ValidationRule("1", RuleKind.OUTLIER, share=0.25))
    store.rules.set_outlier_share(0.4)
    data = json.loads(json.dumps(plan_to_json(store.plan.load()), ensure_ascii=False))
    assert data["validation"] == {
        "outlier_share": 0.4,
        "path_tolerance": 0.05,
        "rules": [
            {"indicator": "1", "kind": "outlier", "severity": "warning", "share": 0.25},
            {"indicator": "5", "kind": "range", "severity": "warning", "minimum": 0.0,
             "maximum": 80.0},
            {"indicator": "10", "kind": "no_decrease", "severity": "error"},
            {"indicator": "12", "kind": "compare", "severity": "error", "comparator": "<=",
             "other": "11"},
        ],
    }  # fmt: skip
    copy = plan_from_json(data)
    with Store.create(tmp_path / "copy.sqlite", copy.office, copy) as other:
        assert plan_to_json(other.plan.load())["validation"] == data["validation"]
    del data["validation"]  # a version-1 plan written before rules existed
    assert plan_from_json(data).rules == []
    data["validation"] = {"rules": [{"indicator": "5", "kind": "range", "severity": "error"}]}
    with pytest.raises(UserError, match=r"validation.rules\[0\]: quy tắc giới hạn cần"):
        plan_from_json(data)


def test_deleting_an_indicator_removes_its_rules(bim_son_store):
    store = bim_son_store
    i = ids(store)
    store.rules.add_rule(
        ValidationRule("12", RuleKind.COMPARE, other="11", comparator=Comparator.LE)
    )
    store.rules.add_rule(ValidationRule("11", RuleKind.RANGE, maximum=100))
    store.plan.delete_indicator(i["11"])
    assert store.rules.validation_rules() == []
