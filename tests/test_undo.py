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
    # the first group is Phụ lục II's body: the label names the appendix
    assert undo_label(store, start) == "Hoàn tác thêm nhiệm vụ PL II – 99"
    undo_last(store, start)
    assert tid not in {t.id for t in store.plan.load().tasks()}


def _rows(store, sql: str, args: list) -> list[dict]:  # noqa: ANN001
    return [dict(r) for r in store.db.query(sql, args)]


def test_undo_brings_a_deleted_indicator_back_with_targets_values_and_rules(
    bim_son_store, tmp_path
) -> None:  # noqa: ANN001
    from app.models.store import Store

    store = bim_son_store
    start = last_audit_id(store)
    ind = store.plan.load().indicators()[0]
    store.entries.set_indicator_value("2026-Q1", ind.id, "55")
    before = {
        t: _rows(store, f"SELECT * FROM {t} WHERE {c} = ? ORDER BY 1", [ind.id])
        for t, c in (("indicator", "id"), ("target", "indicator_id"),
                     ("indicator_value", "indicator_id"), ("validation_rule", "indicator_id"))
    }  # fmt: skip
    assert before["target"] and before["indicator_value"]
    store.plan.delete_indicator(ind.id)
    assert undo_label(store, start) == "Hoàn tác xóa chỉ tiêu 1"
    change = undo_last(store, start)
    assert (change.subject, change.action.value) == (Subject.INDICATOR, "insert")
    with Store.open(store.path) as again:  # what the data file holds now
        after = {
            t: _rows(again, f"SELECT * FROM {t} WHERE {c} = ? ORDER BY 1", [ind.id])
            for t, c in (("indicator", "id"), ("target", "indicator_id"),
                         ("indicator_value", "indicator_id"), ("validation_rule", "indicator_id"))
        }  # fmt: skip
        assert again.entries.indicator_values("2026-Q1")[ind.id].value == 55.0
    assert after == before
    assert undo_label(store, start) == "Hoàn tác sửa số liệu chỉ tiêu 1 (Quý I/2026)"
    from app.models.redo import redo_label

    assert redo_label(store, start) is None  # a delete undone is not offered again as redo


def test_undo_brings_a_deleted_task_group_back_with_its_tasks_progress_and_files(
    bim_son_store, tmp_path
) -> None:  # noqa: ANN001
    store = bim_son_store
    start = last_audit_id(store)
    group = store.plan.load().task_groups[0]
    task = group.tasks[0]
    store.entries.set_task_progress("2026-Q1", task.id, status="done")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 minh chung")
    aid = store.entries.add_attachment("2026-Q1", task.id, evidence)
    tasks_before = [t.id for t in store.plan.load().tasks()]
    store.plan.delete_group("task_group", group.id)
    assert task.id not in {t.id for t in store.plan.load().tasks()}
    assert undo_label(store, start) == f"Hoàn tác xóa nhóm nhiệm vụ {group.code or group.title}"
    undo_last(store, start)
    plan = store.plan.load()
    assert [t.id for t in plan.tasks()] == tasks_before
    assert plan.task_groups[0].title == group.title
    assert store.entries.task_progress("2026-Q1")[task.id].status.value == "done"
    content = store.db.execute("SELECT content FROM attachment WHERE id = ?", [aid]).fetchone()[0]
    assert bytes(content) == b"%PDF-1.4 minh chung"


def test_a_deleted_items_values_do_not_come_back_into_a_closed_period(bim_son_store) -> None:  # noqa: ANN001
    from app.models.errors import UserError

    store = bim_son_store
    start = last_audit_id(store)
    ind = store.plan.load().indicators()[0]
    store.entries.set_indicator_value("2026-Q2", ind.id, "55")
    store.plan.delete_indicator(ind.id)
    store.db.execute(
        "INSERT OR REPLACE INTO period_state (period_id, state) VALUES ('2026-Q2', 'closed')"
    )
    try:
        undo_last(store, start)
    except UserError as exc:
        assert "Quý II/2026 đã chốt" in exc.message
    else:
        raise AssertionError("undo wrote into a closed period")
    assert ind.id not in {i.id for i in store.plan.load().indicators()}  # all or nothing


def test_undo_brings_back_an_evidence_file_removed_on_its_own(bim_son_store, tmp_path) -> None:  # noqa: ANN001
    store = bim_son_store
    start = last_audit_id(store)
    task = store.plan.load().tasks()[0]
    evidence = tmp_path / "quyet-dinh.pdf"
    evidence.write_bytes(b"%PDF-1.4 quyet dinh")
    aid = store.entries.add_attachment("2026-Q1", task.id, evidence)
    store.entries.remove_attachment(aid)
    assert undo_label(store, start) == "Hoàn tác xóa tệp minh chứng"
    undo_last(store, start)
    assert store.entries.attachment_content(aid) == b"%PDF-1.4 quyet dinh"
