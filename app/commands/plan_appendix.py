"""`plan appendix add|rename|remove|list` and `plan group move`: the task appendices
by hand (a plan of Phụ lục II and III gains Phụ lục IV, a group moves between them).

Each command opens the data file, runs one operation of app/operations/plan.py and
prints what it did; a refusal is the operation's Vietnamese message (exit 1).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..models.errors import UserError
from ..models.store import Store
from ..models.task_labels import find_task_group, group_code_label, several_appendices
from .common import Add, lazy_module, usage

if TYPE_CHECKING:
    from ..operations import plan as plan_ops
else:
    plan_ops = lazy_module("app.operations.plan")


def _example(store: Store) -> str:
    """How the plan's first task is printed now ("PL II – I.1")."""
    from ..models.task_labels import task_label

    plan = store.plan.load()
    first = next(((g, t) for g in plan.task_groups for t in g.tasks), None)
    return task_label(plan, *first) if first else ""


def cmd_appendix_add(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        before = several_appendices(store.plan.load())
        try:
            plan_ops.add_appendix(store, args.code, args.title, args.existing_code or "",
                                  args.existing_title or "")  # fmt: skip
        except UserError as exc:
            if exc.code != "existing_code":
                raise
            raise UserError(exc.message + " Dùng --existing-code, ví dụ --existing-code III.",
                            exc.code) from None  # fmt: skip
        plan = store.plan.load()
        added = next(a for a in plan.task_appendices if a.code == args.code.strip().upper()
                     or a.code == args.code.strip())  # fmt: skip
        print(f"Đã thêm Phụ lục {added.code}: {added.title}.")
        if several_appendices(plan) and not before and (example := _example(store)):
            print(f"Từ nay mỗi nhiệm vụ được ghi kèm phụ lục của nó, ví dụ “{example}”; "
                  "số liệu đã nhập và các kỳ đã gửi giữ nguyên.")  # fmt: skip
    return 0


def cmd_appendix_rename(args: argparse.Namespace) -> int:
    if not args.new_code and args.title is None:
        print("Chưa có gì để đổi: thêm --new-code hoặc --title.")
        return 2
    with Store.open(args.db) as store:
        before = {a.code for a in store.plan.load().task_appendices}
        plan_ops.rename_appendix(store, args.code, args.new_code or "", args.title)
        after = store.plan.load().task_appendices
        new = next((a for a in after if a.code not in before), None)
        renamed = new or next(a for a in after if a.code.upper() == args.code.strip().upper())
        old = args.code.strip().upper()
        print(f"Đã đổi Phụ lục {old} thành Phụ lục {renamed.code}: {renamed.title}."
              if new else f"Đã lưu Phụ lục {renamed.code}: {renamed.title}.")  # fmt: skip
    return 0


def cmd_appendix_remove(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        groups = plan_ops.remove_appendix(store, args.code).result
    extra = f" cùng {groups} nhóm chưa có nhiệm vụ" if groups else ""
    print(f"Đã xóa Phụ lục {args.code.strip().upper()}{extra}.")
    return 0


def cmd_appendix_list(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        plan = store.plan.load()
    if not plan.task_appendices:
        print("Kế hoạch chưa chia nhiệm vụ theo phụ lục.")
    for a in plan.task_appendices:
        groups = [g for g in plan.task_groups if g.appendix == a.code]
        tasks = sum(len(g.tasks) for g in groups)
        print(f"Phụ lục {a.code}\t{a.title}\t{sum(1 for g in groups if g.code)} nhóm, "
              f"{tasks} nhiệm vụ")  # fmt: skip
    return 0


def cmd_group_move(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        plan = store.plan.load()
        group = find_task_group(plan, args.group)
        assert group.id is not None
        left = plan_ops.move_group_to_appendix(store, group.id, args.appendix).result
        moved = next(g for g in store.plan.load().task_groups if g.id == group.id)
        print(f"Đã chuyển nhóm {group.code} ({len(group.tasks)} nhiệm vụ) từ Phụ lục {left} "
              f"sang Phụ lục {moved.appendix}: nay là “{group_code_label(store.plan.load(), moved)}”.")  # fmt: skip
    return 0


def add_appendix_commands(add: Add, plan_sub: object) -> None:
    """`plan appendix …` and `plan group move` under the CLI's `plan` parser."""
    appendix: argparse.ArgumentParser = add("appendix", lambda a: usage(appendix), "Phụ lục nhiệm vụ của kế hoạch: thêm, đổi tên, xóa.", plan_sub)  # fmt: skip
    sub = appendix.add_subparsers(dest="appendix_command", parser_class=type(appendix))
    p = add("add", cmd_appendix_add, "Thêm một phụ lục nhiệm vụ (ví dụ Phụ lục IV).", sub)
    p.add_argument("--db", required=True)
    p.add_argument("--code", required=True, help="số phụ lục, ví dụ IV")
    p.add_argument("--title", required=True, help="tên phụ lục, ví dụ “Danh mục nhiệm vụ …”")
    p.add_argument("--existing-code", help="số phụ lục của các nhiệm vụ hiện có, khi kế hoạch "
                   "chưa chia theo phụ lục (ví dụ III)")  # fmt: skip
    p.add_argument("--existing-title", help="tên phụ lục của các nhiệm vụ hiện có")
    p = add("rename", cmd_appendix_rename, "Đổi số hoặc tên một phụ lục nhiệm vụ.", sub)
    p.add_argument("--db", required=True)
    p.add_argument("--code", required=True, help="số phụ lục hiện tại")
    p.add_argument("--new-code", help="số phụ lục mới")
    p.add_argument("--title", help="tên mới")
    p = add("remove", cmd_appendix_remove, "Xóa một phụ lục nhiệm vụ chưa có nhiệm vụ.", sub)
    p.add_argument("--db", required=True)
    p.add_argument("--code", required=True)
    p = add("list", cmd_appendix_list, "Liệt kê các phụ lục nhiệm vụ.", sub)
    p.add_argument("--db", required=True)
    group: argparse.ArgumentParser = add("group", lambda a: usage(group), "Nhóm nhiệm vụ của kế hoạch.", plan_sub)  # fmt: skip
    gsub = group.add_subparsers(dest="group_command", parser_class=type(group))
    p = add("move", cmd_group_move, "Chuyển một nhóm nhiệm vụ sang phụ lục khác.", gsub)
    p.add_argument("--db", required=True)
    p.add_argument("--group", required=True, help="nhóm, ví dụ IV hoặc “PL III – IV”")
    p.add_argument("--appendix", required=True, help="phụ lục chuyển đến, ví dụ II")
