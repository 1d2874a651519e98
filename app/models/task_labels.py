"""How a task is named wherever it appears: by appendix, group and code.

A plan of several task appendices (Bỉm Sơn: Phụ lục II for the Thị ủy's bodies,
Phụ lục III in groups I–X) has one code space per appendix, so "4" alone names two
tasks. Every place that prints or keys a task goes through these functions:

- a plan of one appendix prints "IV.4" (or "4" in a group without a code) and keys
  "IV.4" (".4"), as before appendices existed, so its files and packages stay valid;
- a plan of several prints and keys "PL III – IV.4", and "PL II – 4" for a task of an
  ungrouped appendix, whose tasks live in one group with an empty code (its body)
  that is never shown as a group.

Keys typed by hand ("period values", a form's code column) are matched leniently:
"PL II - 4", "II/4" and "pl ii – 4" all name the same task.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView
from typing import Any

from .errors import UserError
from .plan import Plan, Task, TaskAppendix, TaskGroup


def several_appendices(plan: Plan) -> bool:
    """Whether tasks must be named with their appendix (more than one appendix)."""
    return len(plan.task_appendices) > 1


def is_body(plan: Plan, group: TaskGroup) -> bool:
    """The group holding an ungrouped appendix's tasks: never shown as a group."""
    return several_appendices(plan) and not group.code


def appendix_of(plan: Plan, group: TaskGroup) -> TaskAppendix | None:
    return next((a for a in plan.task_appendices if a.code == group.appendix), None)


def task_label(plan: Plan, group: TaskGroup, task: Task) -> str:
    """The task as printed: "IV.4" (one appendix), "PL III – IV.4", "PL II – 4"."""
    local = f"{group.code}.{task.code}" if group.code else task.code
    if not several_appendices(plan):
        return local
    return f"PL {group.appendix} – {local}"


def task_key(plan: Plan, group: TaskGroup, task: Task) -> str:
    """The key of forms, `period values` and exports: "IV.4" as before appendices (".4" in
    a group without a code), the label in a plan of several appendices."""
    if not several_appendices(plan):
        return f"{group.code}.{task.code}"
    return task_label(plan, group, task)


def group_label(plan: Plan, group: TaskGroup) -> str:
    """A group as headings print it: "IV. Title", "PL III – IV. Title", "PL II. Title"."""
    if not several_appendices(plan):
        return f"{group.code}. {group.title}"
    if not group.code:
        appendix = appendix_of(plan, group)
        return f"PL {group.appendix}. {appendix.title if appendix else group.title}"
    return f"PL {group.appendix} – {group.code}. {group.title}"


def appendix_heading(appendix: TaskAppendix) -> str:
    """The heading row of an appendix in tables: "PHỤ LỤC II. Danh mục …"."""
    return f"PHỤ LỤC {appendix.code}. {appendix.title}".rstrip(". ")


def task_labels(plan: Plan) -> dict[int, str]:
    """Each task's printed label by id."""
    return {t.id: task_label(plan, g, t) for g in plan.task_groups for t in g.tasks
            if t.id is not None}  # fmt: skip


def task_keys(plan: Plan) -> dict[int, str]:
    """Each task's key by id."""
    return {t.id: task_key(plan, g, t) for g in plan.task_groups for t in g.tasks
            if t.id is not None}  # fmt: skip


_SEPARATORS = re.compile(r"\s*[–—\-/:]\s*|\s+")


def normal_key(key: str) -> str:
    """A typed key in one shape: "PL II – 4", "II-4", "ii/4" → "II/4"; "IV.4" stays."""
    text = str(key).strip().upper()
    text = re.sub(r"^PL\b\.?\s*", "", text)
    return _SEPARATORS.sub("/", text)


class TaskLookup:
    """Tasks by key, for what a user or a form names (`get`: None when unknown)."""

    def __init__(self, plan: Plan) -> None:
        self.several = several_appendices(plan)
        self.keyed: dict[str, Task] = {
            task_key(plan, g, t): t for g in plan.task_groups for t in g.tasks
        }
        self._typed = (
            {normal_key(k): t for k, t in self.keyed.items()} if self.several else self.keyed
        )

    def get(self, key: str) -> Task | None:
        return self._typed.get(normal_key(key) if self.several else str(key))

    def items(self) -> ItemsView[str, Task]:
        """(key as printed, task) pairs in plan order."""
        return self.keyed.items()


def task_codes(plan: Plan) -> dict[int, str]:
    """Each task's short name by id where its group is not shown beside it: its own code
    ("4") in a plan of one appendix, as before; its label in a plan of several."""
    if several_appendices(plan):
        return task_labels(plan)
    return {t.id: t.code for t in plan.tasks() if t.id is not None}


def group_code_label(plan: Plan, group: TaskGroup) -> str:
    """A group row's code column: "IV" (one appendix), "PL III – IV", "PL II" (a body)."""
    if not several_appendices(plan):
        return group.code
    return f"PL {group.appendix}" + (f" – {group.code}" if group.code else "")


def task_sections(plan: Plan) -> list[tuple[str, str, list[Task]]]:
    """The heading rows of a task table with the tasks under each, (code, title, tasks):
    the plan's groups for one appendix; for several, each appendix's heading ("PL II",
    its title) over its body's tasks, then its groups."""
    if not several_appendices(plan):
        return [(g.code, g.title, g.tasks) for g in plan.task_groups]
    out: list[tuple[str, str, list[Task]]] = []
    for appendix in plan.task_appendices:
        groups = [g for g in plan.task_groups if g.appendix == appendix.code]
        body = [t for g in groups if not g.code for t in g.tasks]
        out.append((f"PL {appendix.code}", appendix.title, body))
        out.extend((g.code, g.title, g.tasks) for g in groups if g.code)
    return out


def stored_task_code(db: Any, task_id: int) -> str | None:
    """One task's short name read straight from a data file (`db`: its sqlite_utils
    Database), for messages about one entry: as `task_codes` gives it."""
    rows = list(db.query(
        "SELECT t.code, g.code AS group_code, g.appendix, "
        "(SELECT count(*) FROM task_appendix) AS appendices "
        "FROM task t JOIN task_group g ON g.id = t.group_id WHERE t.id = ?", [task_id],
    ))  # fmt: skip
    if not rows:
        return None
    row = rows[0]
    if row["appendices"] <= 1:
        return str(row["code"])
    local = f"{row['group_code']}.{row['code']}" if row["group_code"] else row["code"]
    return f"PL {row['appendix']} – {local}"


def find_task_group(plan: Plan, text: str) -> TaskGroup:
    """The task group a user names: "IV" when one appendix has it, "PL III – IV" or
    "III/IV" with its appendix; refused with the choices when unknown or ambiguous."""
    typed = normal_key(text)
    groups = [g for g in plan.task_groups if g.code]  # a body is named by its appendix
    named = {normal_key(group_code_label(plan, g)): g for g in groups}
    if typed in named:
        return named[typed]
    same = [g for g in groups if g.code.upper() == typed]
    if len(same) == 1:
        return same[0]
    if same:
        choices = ", ".join(f"“{group_code_label(plan, g)}”" for g in same)
        raise UserError(f"Có {len(same)} nhóm nhiệm vụ số {text.strip()}: hãy ghi kèm phụ lục "
                        f"({choices}).")  # fmt: skip
    raise UserError(f"Kế hoạch không có nhóm nhiệm vụ “{text.strip()}”.", "missing")
