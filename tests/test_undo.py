"""Undo from the audit history: each undo restores, is itself audited, and walks backwards."""

from __future__ import annotations

from app.models.change import Subject
from app.models.plan import Comparator, Target
from app.models.undo import last_audit_id, undo_label, undo_last


def test_undo_walks_back_through_value_edits(bim_son_store) -> None:  # noqa: ANN001
    store = bim_son_store
    start = last_audit_id(store)
    assert undo_label(store, start) is None  # creating the plan is not undone by Ctrl+Z
    ind = store.plan.load().indicators()[0]
    store.entries.set_indicator_value("2026-Q1", ind.id, "55")
    store.entries.set_indicator_value("2026-Q1", ind.id, "60")
    assert undo_label(store, start) == "Hoàn tác sửa số liệu chỉ tiêu 1 (Quý I/2026)"
    change = undo_last(store, start)
    assert (change.subject, change.item, change.period) == (Subject.VALUE, ind.id, "2026-Q1")
    assert change.fields == {"value"}
    assert store.entries.indicator_values("2026-Q1")[ind.id].value == 55.0
    undo_last(store, start)
    assert ind.id not in store.entries.indicator_values("2026-Q1")
    assert undo_last(store, start) is None
    marks = store.history(10, table="undo")
    assert len(marks) == 2 and all(m.action == "undo" for m in marks)
    restoring = [e for e in store.history(10, table="indicator_value") if e.action == "undo"]
    assert [(e.old, e.new) for e in restoring] == [(55.0, None), (60.0, 55.0)]


def test_undo_target_progress_and_plan_fields(bim_son_store) -> None:  # noqa: ANN001
    store = bim_son_store
    start = last_audit_id(store)
    ind = store.plan.load().indicators()[0]
    task = store.plan.load().tasks()[0]
    store.plan.set_target(ind.id, 2030, Target(Comparator.GE, 90.0))
    store.entries.set_task_progress("2026-Q1", task.id, status="done")
    store.plan.update_indicator(ind.id, name="Tên đã sửa")
    undo_last(store, start)
    assert store.plan.load().indicators()[0].name == "Tỷ lệ phủ sóng 5G trên địa bàn"
    undo_last(store, start)  # status and the percent it implied, together: no row left
    assert task.id not in store.entries.task_progress("2026-Q1")
    undo_last(store, start)
    assert store.plan.load().indicators()[0].targets[2030] == Target(None, 100.0)


def test_undo_of_an_added_task_deletes_it(bim_son_store) -> None:  # noqa: ANN001
    from app.models.plan import Task

    store = bim_son_store
    start = last_audit_id(store)
    group = store.plan.load().task_groups[0]
    tid = store.plan.add_task(group.id, Task(code="99", name="Nhiệm vụ thêm"))
    assert undo_label(store, start) == "Hoàn tác thêm nhiệm vụ 99"
    undo_last(store, start)
    assert tid not in {t.id for t in store.plan.load().tasks()}
    store.plan.delete_task(store.plan.load().tasks()[0].id)
    assert undo_label(store, start) is None  # a whole deleted item is not brought back by undo
