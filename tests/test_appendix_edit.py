"""Task appendices edited by hand (issue 20, point 2): add, rename, remove, move a group.

Each is one operation and one undo step; a plan of one appendix turned into two keeps
every task (its group, its code, its entries) and prints it with its appendix from then
on; refusals are exact Vietnamese sentences. The command line runs the same operations
and `plan show --json` reads the result back.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.models.errors import UserError
from app.models.plan import TaskAppendix
from app.models.redo import redo_label, redo_last
from app.models.samples import load_sample
from app.models.store import Store
from app.models.task_labels import TaskLookup, task_keys
from app.models.undo import undo_label, undo_last
from app.operations import plan as plan_ops
from app.operations.period import apply_values, close_period, period_of

THONG_NHAT_GROUPS = ["I", "II", "III", "IV", "V", "VI"]
PL2 = "Danh mục các nhiệm vụ triển khai"
PL3 = "Danh mục các nhiệm vụ giao các Chi bộ, UBND Thị xã lãnh đạo, chỉ đạo, thực hiện"


@pytest.fixture
def one_appendix(tmp_path: Path):  # noqa: ANN201
    """Thống Nhất: 51 tasks in groups I–VI, no appendix code (keys "IV.4")."""
    plan = load_sample("thong-nhat")
    with Store.create(tmp_path / "thong-nhat.sqlite", plan.office, plan) as store:
        yield store


def _shape(store: Store) -> tuple[list[tuple[str, str]], list[tuple[str, str, int]]]:
    plan = store.plan.load()
    return ([(a.code, a.title) for a in plan.task_appendices],
            [(g.appendix, g.code, len(g.tasks)) for g in plan.task_groups])  # fmt: skip


def _refusal(call) -> str:  # noqa: ANN001
    with pytest.raises(UserError) as caught:
        call()
    return caught.value.message


def test_a_plan_of_one_appendix_gains_a_second_and_keeps_its_tasks(one_appendix):  # noqa: ANN001
    store = one_appendix
    period = period_of(store, "2026-H1", date(2026, 7, 1))
    apply_values(store, period, {"tasks": {"IV.2": {"status": "Đang thực hiện", "percent": 40}}})
    before_keys = task_keys(store.plan.load())
    assert before_keys[next(iter(before_keys))] == "I.1"
    assert _refusal(lambda: plan_ops.add_appendix(store, "IV", "Danh mục bổ sung")) == (
        "Các nhiệm vụ hiện có của kế hoạch chưa thuộc phụ lục nào: hãy nhập số phụ lục của "
        "chúng (ví dụ “III”) để phân biệt với phụ lục mới."
    )
    assert _shape(store)[0] == []  # refused: nothing written

    body = plan_ops.add_appendix(store, "iv", "Danh mục bổ sung", "pl iii", "Danh mục các nhiệm vụ")
    appendices, groups = _shape(store)
    assert appendices == [("III", "Danh mục các nhiệm vụ"), ("IV", "Danh mục bổ sung")]
    assert groups == [*(("III", g, n) for (_, g, n) in _thong_nhat_groups()), ("IV", "", 0)]
    assert body.result == store.plan.load().task_groups[-1].id
    # the same tasks under the same ids, printed with their appendix from now on
    after_keys = task_keys(store.plan.load())
    assert after_keys == {tid: f"PL III – {key}" for tid, key in before_keys.items()}
    lookup = TaskLookup(store.plan.load())
    task = lookup.get("PL III – IV.2")
    assert task is not None and store.entries.task_progress(period.id)[task.id].percent == 40.0

    assert undo_label(store) == "Hoàn tác thêm Phụ lục IV"
    undo_last(store)
    assert _shape(store) == ([], _thong_nhat_groups())
    assert task_keys(store.plan.load()) == before_keys


def _thong_nhat_groups() -> list[tuple[str, str, int]]:
    plan = load_sample("thong-nhat")
    return [("", g.code, len(g.tasks)) for g in plan.task_groups]


def test_add_rename_move_remove_each_undone_and_redone(bim_son_store):  # noqa: ANN001
    store = bim_son_store
    start = _shape(store)
    assert start[0] == [("II", PL2), ("III", PL3)]

    plan_ops.add_appendix(store, "IV", "Danh mục nhiệm vụ bổ sung")
    plan_ops.add_appendix(store, "I", "Nhiệm vụ của Ban Chỉ đạo")  # roman order: first
    assert [c for c, _ in _shape(store)[0]] == ["I", "II", "III", "IV"]
    plan = store.plan.load()
    body_i = next(g for g in plan.task_groups if g.appendix == "I")
    assert (body_i.code, body_i.title, body_i.tasks) == ("", "Nhiệm vụ của Ban Chỉ đạo", [])

    plan_ops.rename_appendix(store, "IV", "V", "Danh mục nhiệm vụ năm 2026")
    assert _shape(store)[0][-1] == ("V", "Danh mục nhiệm vụ năm 2026")
    body_v = next(g for g in store.plan.load().task_groups if g.appendix == "V")
    assert body_v.title == "Danh mục nhiệm vụ năm 2026"  # the body follows its appendix
    assert undo_label(store) == "Hoàn tác đổi Phụ lục IV thành Phụ lục V"
    undo_last(store)
    assert _shape(store)[0][-1] == ("IV", "Danh mục nhiệm vụ bổ sung")
    assert redo_label(store) == "Làm lại đổi Phụ lục IV thành Phụ lục V"
    redo_last(store)
    assert _shape(store)[0][-1] == ("V", "Danh mục nhiệm vụ năm 2026")

    group_x = next(g for g in store.plan.load().task_groups if g.code == "X")
    x_keys = {t.id: t.code for t in group_x.tasks}
    assert plan_ops.move_group_to_appendix(store, group_x.id, "v").result == "III"
    plan = store.plan.load()
    keys = task_keys(plan)
    assert {tid: keys[tid] for tid in x_keys} == {tid: f"PL V – X.{c}" for tid, c in x_keys.items()}
    assert plan.task_groups[-1].id == group_x.id  # at the end of Phụ lục V
    assert undo_label(store) == "Hoàn tác chuyển nhóm X sang Phụ lục V"
    undo_last(store)
    assert next(g for g in store.plan.load().task_groups if g.id == group_x.id).appendix == "III"
    redo_last(store)
    assert next(g for g in store.plan.load().task_groups if g.id == group_x.id).appendix == "V"
    undo_last(store)

    assert plan_ops.remove_appendix(store, "I").result == 0
    assert [c for c, _ in _shape(store)[0]] == ["II", "III", "V"]
    assert undo_label(store) == "Hoàn tác xóa Phụ lục I"
    undo_last(store)
    assert [c for c, _ in _shape(store)[0]] == ["I", "II", "III", "V"]
    assert any(g.appendix == "I" for g in store.plan.load().task_groups)


def test_refusals_name_the_appendix(bim_son_store):  # noqa: ANN001
    store = bim_son_store
    group_ii = next(g for g in store.plan.load().task_groups if g.code == "II")
    body = next(g for g in store.plan.load().task_groups if g.appendix == "II")
    cases = {
        lambda: plan_ops.add_appendix(store, "ii", "Trùng"):
            "Kế hoạch đã có Phụ lục II: số phụ lục không được trùng.",
        lambda: plan_ops.add_appendix(store, "IV.1", "X"):
            "Số phụ lục “IV.1” chỉ được gồm chữ cái và chữ số, ví dụ “IV”.",
        lambda: plan_ops.add_appendix(store, "IV", "  "):
            "Tên của Phụ lục IV không được để trống.",
        lambda: plan_ops.rename_appendix(store, "III", "II"):
            "Kế hoạch đã có Phụ lục II: số phụ lục không được trùng.",
        lambda: plan_ops.rename_appendix(store, "VII", "VIII"):
            "Kế hoạch không có Phụ lục VII (có: II, III).",
        lambda: plan_ops.remove_appendix(store, "II"):
            "Phụ lục II còn 21 nhiệm vụ: hãy chuyển các nhóm sang phụ lục khác hoặc xóa các "
            "nhiệm vụ trước khi xóa phụ lục.",
        lambda: plan_ops.move_group_to_appendix(store, group_ii.id, "III"):
            "Nhóm II đã ở Phụ lục III.",
        lambda: plan_ops.move_group_to_appendix(store, body.id, "III"):
            "Các nhiệm vụ không thuộc nhóm nào của một phụ lục không chuyển được sang phụ lục "
            "khác: hãy đặt số thứ tự cho nhóm (I, II…) trước.",
        lambda: plan_ops.add_group(store, Subject_task(), "I", "Nhóm", "IX"):
            "Kế hoạch không có Phụ lục IX (có: II, III).",
    }  # fmt: skip
    before = _shape(store)
    assert {_refusal(call) for call in cases} == set(cases.values())
    assert _shape(store) == before
    # a group of the same number already there
    gid = plan_ops.add_group(store, Subject_task(), "II", "Nhóm của Văn phòng", "II").result
    assert _refusal(lambda: plan_ops.move_group_to_appendix(store, gid, "III")) == (
        "Phụ lục III đã có nhóm II: hãy đổi số thứ tự của một trong hai nhóm trước khi chuyển."
    )


def Subject_task():  # noqa: ANN201, N802
    from app.models.change import Subject

    return Subject.TASK_GROUP


def test_the_only_appendix_with_tasks_is_not_removed(tmp_path):  # noqa: ANN001
    plan = load_sample("thong-nhat")
    plan.task_appendices = [TaskAppendix("II", "Danh mục các nhiệm vụ")]
    for g in plan.task_groups:
        g.appendix = "II"
    with Store.create(tmp_path / "one.sqlite", plan.office, plan) as store:
        assert _refusal(lambda: plan_ops.remove_appendix(store, "II")) == (
            "Phụ lục II là phụ lục nhiệm vụ duy nhất của kế hoạch và còn 51 nhiệm vụ: không xóa "
            "được."
        )
        # one appendix with a code: a second needs no code for the present tasks
        plan_ops.add_appendix(store, "III", "Danh mục bổ sung")
        assert task_keys(store.plan.load())[plan.task_groups[0].tasks[0].id] == "PL II – I.1"
        plan_ops.remove_appendix(store, "III")
        assert task_keys(store.plan.load())[plan.task_groups[0].tasks[0].id] == "I.1"


def test_a_closed_period_keeps_its_entries_when_codes_change(bim_son_store):  # noqa: ANN001
    """Entries are stored by task id: renaming Phụ lục II changes labels, not what a closed
    report states."""
    store = bim_son_store
    period = period_of(store, "2026-Q1", date(2026, 4, 1))
    apply_values(store, period, {"tasks": {"PL II – 4": {"status": "done"}}})
    close_period(store, period)
    task = TaskLookup(store.plan.load()).get("PL II – 4")
    plan_ops.rename_appendix(store, "II", "IIA")
    renamed = TaskLookup(store.plan.load()).get("PL IIA – 4")
    assert renamed is not None and task is not None and renamed.id == task.id
    assert store.entries.task_progress(period.id)[task.id].status.value == "done"


def _cli(capsys, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line_adds_renames_moves_and_removes(tmp_path, capsys):  # noqa: ANN001
    db = str(tmp_path / "c.sqlite")
    assert _cli(capsys, "init", "--sample", "thong-nhat", "--db", db)[0] == 0
    code, out, err = _cli(capsys, "plan", "appendix", "add", "--code", "IV", "--title",
                          "Danh mục bổ sung", "--db", db)  # fmt: skip
    assert code == 1 and out == ""
    assert err.strip().endswith("Dùng --existing-code, ví dụ --existing-code III.")
    code, out, _ = _cli(capsys, "plan", "appendix", "add", "--code", "IV", "--title",
                        "Danh mục bổ sung", "--existing-code", "III", "--existing-title",
                        "Danh mục các nhiệm vụ", "--db", db)  # fmt: skip
    assert code == 0
    assert out.splitlines() == [
        "Đã thêm Phụ lục IV: Danh mục bổ sung.",
        "Từ nay mỗi nhiệm vụ được ghi kèm phụ lục của nó, ví dụ “PL III – I.1”; số liệu đã "
        "nhập và các kỳ đã gửi giữ nguyên.",
    ]
    code, out, _ = _cli(capsys, "plan", "group", "move", "--group", "VI", "--appendix", "IV",
                        "--db", db)  # fmt: skip
    assert (code, out) == (0, "Đã chuyển nhóm VI (4 nhiệm vụ) từ Phụ lục III sang Phụ lục IV: "
                              "nay là “PL IV – VI”.\n")  # fmt: skip
    code, out, err = _cli(capsys, "plan", "appendix", "remove", "--code", "IV", "--db", db)
    assert code == 1 and "Phụ lục IV còn 4 nhiệm vụ" in err
    code, out, _ = _cli(capsys, "plan", "group", "move", "--group", "PL IV – VI", "--appendix",
                        "III", "--db", db)  # fmt: skip
    assert code == 0 and "nay là “PL III – VI”" in out
    code, out, _ = _cli(capsys, "plan", "appendix", "rename", "--code", "III", "--new-code", "II",
                        "--title", "Danh mục nhiệm vụ của xã", "--db", db)  # fmt: skip
    assert out == "Đã đổi Phụ lục III thành Phụ lục II: Danh mục nhiệm vụ của xã.\n"
    code, out, _ = _cli(capsys, "plan", "appendix", "list", "--db", db)
    assert out.splitlines() == [
        "Phụ lục II\tDanh mục nhiệm vụ của xã\t6 nhóm, 51 nhiệm vụ",
        "Phụ lục IV\tDanh mục bổ sung\t0 nhóm, 0 nhiệm vụ",
    ]
    code, out, _ = _cli(capsys, "plan", "show", "--json", "--db", db)
    data = json.loads(out)
    assert data["task_appendices"] == [
        {"code": "II", "title": "Danh mục nhiệm vụ của xã"},
        {"code": "IV", "title": "Danh mục bổ sung"},
    ]
    assert [(g.get("appendix"), g["code"]) for g in data["task_groups"]] == [
        *(("II", g) for g in THONG_NHAT_GROUPS), ("IV", "")]  # fmt: skip
    code, out, _ = _cli(capsys, "plan", "appendix", "remove", "--code", "IV", "--db", db)
    assert (code, out) == (0, "Đã xóa Phụ lục IV.\n")
    data = json.loads(_cli(capsys, "plan", "show", "--json", "--db", db)[1])
    assert data["task_appendices"] == [{"code": "II", "title": "Danh mục nhiệm vụ của xã"}]
    assert {g.get("appendix") for g in data["task_groups"]} == {"II"}


def test_an_added_appendix_goes_through_the_template_with_its_own_row(bim_son_store, tmp_path):  # noqa: ANN001
    """Phụ lục IV added by hand, still empty, written to the template and imported back:
    the same appendices and groups, IV with its (empty) row for tasks without a group."""
    from app.importers.apply import plan_from_preview
    from app.importers.workbook import read_plan_workbook
    from app.models.plan import Office
    from app.models.plan_json import plan_to_json

    store = bim_son_store
    plan_ops.add_appendix(store, "IV", "Danh mục nhiệm vụ bổ sung")
    path = plan_ops.write_plan_template(tmp_path / "mau.xlsx", store).result
    preview = read_plan_workbook(path)
    assert preview.errors == []
    back = plan_from_preview(preview, Office("Thị ủy Bỉm Sơn"))
    plan = store.plan.load()

    def no_ids(data: object) -> object:
        if isinstance(data, dict):
            return {k: no_ids(v) for k, v in data.items() if k != "id"}
        return [no_ids(v) for v in data] if isinstance(data, list) else data

    assert no_ids(plan_to_json(back)["task_groups"]) == no_ids(plan_to_json(plan)["task_groups"])
    assert plan_to_json(back)["task_appendices"] == plan_to_json(plan)["task_appendices"]
    assert [(g.appendix, g.code, g.title, g.tasks) for g in back.task_groups][-1] == (
        "IV", "", "Danh mục nhiệm vụ bổ sung", [])  # fmt: skip
