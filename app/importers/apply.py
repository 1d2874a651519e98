"""Write an import preview into the data file, in one transaction.

A first import fills an empty plan; a re-import of a corrected workbook
updates the plan in place, so the values and progress already entered for
past periods stay with their indicators and tasks. Items are matched by code
and name: same code and name first, then same name (renumbered), then same
code in the same group with a similar name (a corrected spelling). What was
added, changed and removed is reported. Every write goes through the Store's
edit methods, so each change has its audit entry; any failure rolls the
whole import back and leaves the file as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from ..models.errors import UserError
from ..models.plan import Indicator, IndicatorGroup, Office, Plan, PlanInfo, Task, TaskGroup
from ..models.store import Store
from ..models.task_labels import task_label
from ..models.text import fold
from .indicator_values import CellValueError, parse_baseline_cell, parse_target_cell
from .preview import ImportPreview

_INDICATOR_FIELDS = {
    "code": "số thứ tự", "name": "tên", "unit": "đơn vị tính", "kind": "loại",
    "direction": "chiều đánh giá", "baseline": "hiện trạng", "lead_agency": "cơ quan chủ trì",
    "note": "ghi chú",
}  # fmt: skip
_TASK_FIELDS = {
    "code": "số thứ tự", "name": "tên", "lead_agency": "cơ quan chủ trì",
    "partners": "cơ quan phối hợp", "output": "kết quả", "deadline": "thời gian", "note": "ghi chú",
}  # fmt: skip


@dataclass
class ImportChanges:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    entries_dropped: int = 0  # period values/progress that went with removed items

    def summary_lines(self) -> list[str]:
        lines = [
            f"Thêm mới: {len(self.added)}; thay đổi: {len(self.changed)}; "
            f"bỏ đi: {len(self.removed)}"
        ]
        lines += [f"  + {x}" for x in self.added]
        lines += [f"  ~ {x}" for x in self.changed]
        lines += [f"  - {x}" for x in self.removed]
        if self.entries_dropped:
            lines.append(
                f"Lưu ý: {self.entries_dropped} số liệu/tiến độ đã nhập của các mục bị bỏ đi "
                "cũng bị xóa (có trong lịch sử thay đổi)."
            )
        return lines


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def plan_changes(
    store: Store, preview: ImportPreview, remove_missing: bool = True
) -> ImportChanges:
    """What `apply_import` would change, computed by applying and rolling back."""
    return apply_import(store, preview, remove_missing=remove_missing, dry_run=True)


def apply_import(
    store: Store, preview: ImportPreview, remove_missing: bool = True, dry_run: bool = False
) -> ImportChanges:
    """Bring the plan in `store` in line with `preview`; all or nothing."""
    if not preview.importable:
        first = preview.errors[0].text() if preview.errors else "tệp không có bảng nào"
        raise UserError(
            f"Tệp '{preview.source.name}' còn {len(preview.errors)} lỗi, chưa thể nhập. "
            f"Lỗi đầu tiên: {first}.",
            "import_errors",
        )
    changes = ImportChanges()
    try:
        with store.transaction():
            current = store.plan.load()
            sync = _Sync(store, preview, changes, remove_missing)
            # An empty table (a blank template) never empties the plan.
            if preview.has_indicators and preview.indicator_count():
                sync.indicators(current)
            if preview.has_tasks and preview.task_count():
                sync.tasks(current)
            _update_info(store, preview)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return changes


def _update_info(store: Store, preview: ImportPreview) -> None:
    if preview.header is not None and not store.entries.periods_with_entries():
        _apply_header(store, preview)  # a data file nothing was entered in yet
        return
    info = store.plan.info()
    milestones = sorted(set(info.milestones) | set(preview.milestones))
    updated = replace(
        info,
        milestones=milestones,
        number=info.number or preview.plan_number or "",
        date=info.date or preview.plan_date,
        issuer=info.issuer or preview.office_name,
    )
    if updated != info:
        store.plan.update_info(updated)


def _similar(a: str, b: str) -> bool:
    return SequenceMatcher(None, fold(a), fold(b)).ratio() >= 0.6


def _match(
    current: Sequence[tuple[str, object]], incoming: Sequence[tuple[str, object]]
) -> dict[int, int]:
    """Pair incoming items with current ones: index in incoming → index in current.

    Entries are (group title, item with .code and .name)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def run(test) -> None:  # noqa: ANN001
        for i, (ig, item) in enumerate(incoming):
            if i in pairs:
                continue
            hits = [
                j
                for j, (cg, cur) in enumerate(current)
                if j not in used and test(ig, item, cg, cur)
            ]
            if len(hits) >= 1:
                pairs[i] = hits[0]
                used.add(hits[0])

    run(lambda ig, a, cg, b: a.code == b.code and fold(a.name) == fold(b.name))
    run(lambda ig, a, cg, b: fold(a.name) == fold(b.name))
    run(lambda ig, a, cg, b: a.code == b.code and fold(ig) == fold(cg) and _similar(a.name, b.name))
    return pairs


class _Sync:
    def __init__(
        self, store: Store, preview: ImportPreview, changes: ImportChanges, remove: bool
    ) -> None:
        self.store = store
        self.preview = preview
        self.changes = changes
        self.remove = remove
        self.fields = {id(r.item): r.fields for r in preview.rows}

    def _groups(self, table: str, current: list, incoming: list) -> dict[int, int]:
        """Group ids for the incoming groups (matching by title, then code), adding new ones."""
        ids: dict[int, int] = {}
        free = list(current)
        for i, group in enumerate(incoming):
            # a task group stays in its appendix ("I" of Phụ lục II is not "I" of Phụ lục III)
            same = [g for g in free if getattr(g, "appendix", "") == getattr(group, "appendix", "")]
            hit = next((g for g in same if fold(g.title) == fold(group.title)), None)
            hit = hit or next((g for g in same if g.code and g.code == group.code), None)
            if hit is not None:
                free.remove(hit)
                if (hit.code, hit.title) != (group.code, group.title):
                    self.store.plan.rename_group(table, hit.id, group.code, group.title)
                    self.changes.changed.append(
                        f"Nhóm {group.code}. {group.title}: đổi tên/số thứ tự"
                    )
                ids[i] = hit.id
            else:
                appendix = getattr(group, "appendix", "")
                ids[i] = self.store.plan.add_group(table, group.code, group.title, appendix)
                self.changes.added.append(
                    f"Nhóm {group.code}. {group.title}"
                    if group.code or not appendix
                    else f"Phụ lục {appendix}. {group.title}"  # an ungrouped appendix's body
                )
        return ids

    def _drop_empty_groups(self, table: str, current: list, kept: set[int]) -> None:
        if not self.remove:
            return
        for group in current:
            if group.id not in kept:
                self.store.plan.delete_group(table, group.id)
                self.changes.removed.append(f"Nhóm {group.code}. {group.title}")

    def indicators(self, plan: Plan) -> None:
        incoming_groups: list[IndicatorGroup] = self.preview.indicator_groups
        group_ids = self._groups("indicator_group", plan.indicator_groups, incoming_groups)
        current = [(g.title, i) for g in plan.indicator_groups for i in g.indicators]
        incoming = [(g.title, i) for g in incoming_groups for i in g.indicators]
        where = [group_ids[gi] for gi, g in enumerate(incoming_groups) for _ in g.indicators]
        pairs = _match(current, incoming)
        for n, (_g, new) in enumerate(incoming):
            label = f"Chỉ tiêu {new.code}. {new.name}"
            if n not in pairs:
                self.store.plan.add_indicator(where[n], replace(new, id=None))
                self.changes.added.append(label)
                continue
            old: Indicator = current[pairs[n]][1]
            assert old.id is not None  # the current plan is loaded from the store
            new = self._keep_kind(old, new)
            changed = [k for k in _INDICATOR_FIELDS if getattr(old, k) != getattr(new, k)]
            group_of_old = next(
                g.id for g in plan.indicator_groups if any(x is old for x in g.indicators)
            )
            updates = {k: getattr(new, k) for k in changed}
            if group_of_old != where[n]:
                updates["group_id"] = where[n]
                changed.append("nhóm")
            if updates:
                self.store.plan.update_indicator(old.id, **updates)
            for year in sorted(set(old.targets) | set(new.targets)):
                if old.targets.get(year) != new.targets.get(year):
                    self.store.plan.set_target(old.id, year, new.targets.get(year))
                    changed.append(f"mục tiêu năm {year}")
            if changed:
                names = ", ".join(_INDICATOR_FIELDS.get(k, k) for k in changed)
                self.changes.changed.append(f"{label}: {names}")
        matched = set(pairs.values())
        values = self.store.entries.all_values()
        for j, (_g, old) in enumerate(current):
            if j not in matched and self.remove:
                assert old.id is not None
                self.changes.entries_dropped += sum(1 for p in values.values() if old.id in p)
                self.store.plan.delete_indicator(old.id)
                self.changes.removed.append(f"Chỉ tiêu {old.code}. {old.name}")
        self._drop_empty_groups("indicator_group", plan.indicator_groups, set(group_ids.values()))

    def _keep_kind(self, old: Indicator, new: Indicator) -> Indicator:
        """Keep a kind the user set in the app when the workbook does not state one
        and its values read under that kind."""
        if self.preview.explicit_kinds or (old.kind, old.direction) == (new.kind, new.direction):
            return new
        fields = self.fields.get(id(new), {})
        try:
            baseline = parse_baseline_cell(old.kind, fields.get("baseline"), new.baseline.as_of)
            targets = {}
            for key, text in fields.items():
                if key.startswith("year:") and (t := parse_target_cell(old.kind, text)):
                    targets[int(key[5:])] = t
        except CellValueError:
            return new
        return replace(
            new, kind=old.kind, direction=old.direction, baseline=baseline, targets=targets
        )

    def tasks(self, plan: Plan) -> None:
        if plan.task_appendices != self.preview.task_appendices:
            # the groups of a dropped appendix moved to the last one: match them as they are now
            self.store.plan.set_appendices(list(self.preview.task_appendices))
            plan = self.store.plan.load()
        incoming_groups: list[TaskGroup] = self.preview.task_groups
        group_ids = self._groups("task_group", plan.task_groups, incoming_groups)
        current = [(g.title, t) for g in plan.task_groups for t in g.tasks]
        incoming = [(g.title, t) for g in incoming_groups for t in g.tasks]
        where = [group_ids[gi] for gi, g in enumerate(incoming_groups) for _ in g.tasks]
        # "PL II – 4" in a plan of several appendices, the task's own code otherwise
        shown = Plan(plan.office, plan.info, task_groups=incoming_groups,
                     task_appendices=list(self.preview.task_appendices))  # fmt: skip
        codes = [task_label(shown, g, t) if self.preview.task_appendices else t.code
                 for g in incoming_groups for t in g.tasks]  # fmt: skip
        pairs = _match(current, incoming)
        for n, (_g, new) in enumerate(incoming):
            label = f"Nhiệm vụ {codes[n]}. {new.name}"
            if n not in pairs:
                self.store.plan.add_task(where[n], replace(new, id=None))
                self.changes.added.append(label)
                continue
            old: Task = current[pairs[n]][1]
            assert old.id is not None
            changed = [k for k in _TASK_FIELDS if getattr(old, k) != getattr(new, k)]
            updates = {k: getattr(new, k) for k in changed}
            group_of_old = next(g.id for g in plan.task_groups if any(x is old for x in g.tasks))
            if group_of_old != where[n]:
                updates["group_id"] = where[n]
                changed.append("nhóm")
            if updates:
                self.store.plan.update_task(old.id, **updates)
                names = ", ".join(_TASK_FIELDS.get(k, k) for k in changed)
                self.changes.changed.append(f"{label}: {names}")
        matched = set(pairs.values())
        history = self.store.entries.progress_history()
        for j, (_g, old) in enumerate(current):
            if j not in matched and self.remove:
                assert old.id is not None
                self.changes.entries_dropped += sum(1 for p in history.values() if old.id in p)
                self.store.plan.delete_task(old.id)
                self.changes.removed.append(f"Nhiệm vụ {old.code}. {old.name}")
        self._drop_empty_groups("task_group", plan.task_groups, set(group_ids.values()))


def plan_from_preview(preview: ImportPreview, office: Office) -> Plan:
    """A new plan holding exactly what the preview read (copies, ids cleared).

    A template written by the app carries the plan's header ("Thông tin kế
    hoạch"): its office (named `office.name`), regime and validation come back
    with it, so the template of a plan imports to the same plan."""
    groups = copy.deepcopy(preview.indicator_groups)
    task_groups = copy.deepcopy(preview.task_groups)
    appendices = list(preview.task_appendices)
    header = preview.header
    if header is not None:
        info = replace(copy.deepcopy(header.info), milestones=list(preview.milestones))
        return Plan(
            office=replace(header.office, name=office.name or header.office.name),
            info=info, indicator_groups=groups, task_groups=task_groups,
            rules=copy.deepcopy(header.rules), outlier_share=header.outlier_share,
            path_tolerance=header.path_tolerance, agencies=copy.deepcopy(header.agencies),
            task_appendices=appendices,
        )  # fmt: skip
    info = PlanInfo(
        number=preview.plan_number or "",
        title="",
        date=preview.plan_date,
        issuer=preview.office_name,
        milestones=list(preview.milestones),
    )
    return Plan(office=office, info=info, indicator_groups=groups, task_groups=task_groups,
                task_appendices=appendices)  # fmt: skip


def _apply_header(store: Store, preview: ImportPreview) -> None:
    """The header of an app-written template, into a data file with no entries yet:
    office and letterhead, number, title, date, regime, ad-hoc reports, validation."""
    header = preview.header
    assert header is not None
    office = (
        header.office
        if header.office.name
        else replace(header.office, name=store.plan.office().name)
    )
    store.plan.update_office(office)
    info = replace(header.info, milestones=sorted(set(preview.milestones)), ad_hoc=[])
    store.plan.update_info(info)
    existing = {r.id for r in store.regime.regime_info().ad_hoc}
    for report in header.info.ad_hoc:
        if report.id not in existing:
            store.regime.add_ad_hoc(report)
    store.rules.set_outlier_share(header.outlier_share)
    store.rules.set_path_tolerance(header.path_tolerance)
    if not store.rules.validation_rules():
        for rule in header.rules:
            store.rules.add_rule(replace(rule, id=None, indicator_id=None, other_id=None))
    if header.agencies and not store.agencies.all():
        for agency in header.agencies:
            store.agencies.add(replace(agency, id=None))
        store.agencies.relink(store.plan.load())
