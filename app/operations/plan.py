"""Operations on the plan: office and header, groups, indicators, targets, tasks, rules,
the Excel import and the template."""

from __future__ import annotations

import threading
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models.change import Action, Change, Outcome, Subject
from ..models.errors import UserError
from ..models.long_work import Progress, checkpoint, no_progress
from ..models.plan import (
    AdHocReport,
    Indicator,
    Office,
    Plan,
    PlanInfo,
    Target,
    Task,
    ValidationRule,
)
from ..models.store import Store
from ..models.text import clean
from ..models.values import parse_target, parse_value

if TYPE_CHECKING:
    from ..importers import ImportChanges, ImportPreview

GROUP_KINDS = (Subject.INDICATOR_GROUP, Subject.TASK_GROUP)


def save_office(store: Store, office: Office) -> Outcome[None]:
    """The office, its letterhead and signer."""
    return Outcome(None, store.plan.update_office(office))


def save_plan_info(store: Store, info: PlanInfo) -> Outcome[None]:
    """The plan's number, title, date, milestones and reporting regime."""
    return Outcome(None, store.plan.update_info(info))


def set_header_fields(
    store: Store, fields: dict[str, Any], reporting: list[str] | None = None
) -> Outcome[None]:
    """Header fields typed as text (`plan set`, `office set`): keyed by their JSON path
    ("plan.number", "office.signer_name"), read as the template's "Thông tin kế hoạch"
    reads them and checked as a plan JSON is; `reporting` replaces the regime's rules
    ("Hằng quý:20:0:trước ngày"). One transaction; nothing changes if any is wrong."""
    from ..importers.plan_info_sheet import build_header, header_json, parse_field, parse_rule

    data = header_json(store.plan.load())
    for path, text in fields.items():
        section, name = path.split(".")
        data[section][name] = parse_field(path, text)
    if reporting is not None:
        data["plan"]["reporting"] = [parse_rule(r) for r in reporting]
    header = build_header(data)
    changed: set[str] = set()
    with store.transaction():
        changed |= {f"office.{f}" for f in store.plan.update_office(header.office).fields}
        changed |= {f"plan.{f}" for f in store.plan.update_info(header.info).fields}
        if store.rules.set_outlier_share(header.outlier_share).fields:
            changed.add("validation.outlier_share")
        if store.rules.set_path_tolerance(header.path_tolerance).fields:
            changed.add("validation.path_tolerance")
    return Outcome(None, Change(Subject.PLAN_INFO, 1, fields=frozenset(changed)))


def whole_plan(store: Store) -> Plan:
    """The plan with everything its JSON and template carry, the ad-hoc and review
    reports the secretary created included (they live beside the regime)."""
    plan = store.plan.load()
    plan.info = store.regime.regime_info()
    return plan


def _group_kind(kind: Subject) -> str:
    if kind not in GROUP_KINDS:
        raise ValueError(kind)
    return kind.value  # the subject of a group is named after its table


def add_group(
    store: Store, kind: Subject, code: str, title: str, appendix: str = ""
) -> Outcome[int]:
    """A new indicator group or task group at the end; a task group in the task appendix
    coded `appendix` ("" : the last one)."""
    gid = store.plan.add_group(_group_kind(kind), code, title, appendix)
    return Outcome(gid, Change(kind, gid, action=Action.INSERT))


def add_appendix(
    store: Store, code: str, title: str, existing_code: str = "", existing_title: str = ""
) -> Outcome[int | None]:
    """A new task appendix ("IV", its title) in roman order, with its body so tasks can
    be added to it directly; the result is the body's group id. The plan's present
    tasks need `existing_code` when they have no appendix yet."""
    body = store.appendices.add(code, title, existing_code, existing_title)
    return Outcome(body, Change(Subject.TASK_APPENDIX, None, action=Action.INSERT))


def rename_appendix(
    store: Store, code: str, new_code: str = "", title: str | None = None
) -> Outcome[None]:
    """A task appendix's code and/or title; its tasks keep their groups and codes."""
    store.appendices.rename(code, new_code, title)
    return Outcome(None, Change(Subject.TASK_APPENDIX, None, fields=frozenset({"*"})))


def remove_appendix(store: Store, code: str) -> Outcome[int]:
    """A task appendix without tasks, with its empty groups (the result: their number)."""
    groups = store.appendices.remove(code)
    return Outcome(groups, Change(Subject.TASK_APPENDIX, None, action=Action.DELETE))


def move_group_to_appendix(store: Store, group_id: int, appendix: str) -> Outcome[str]:
    """A task group with its tasks to the end of another appendix (result: the one it left)."""
    left = store.appendices.move_group(group_id, appendix)
    return Outcome(left, Change(Subject.TASK_GROUP, group_id, fields=frozenset({"appendix"})))


def rename_group(
    store: Store, kind: Subject, group_id: int, code: str, title: str
) -> Outcome[None]:
    return Outcome(None, store.plan.rename_group(_group_kind(kind), group_id, code, title))


def delete_group(store: Store, kind: Subject, group_id: int) -> Outcome[None]:
    """A group with its items and their entries (all audited)."""
    return Outcome(None, store.plan.delete_group(_group_kind(kind), group_id))


def save_task_group(
    store: Store, group_id: int, code: str, title: str, appendix: str = ""
) -> Outcome[None]:
    """A task group's code and title, and its appendix when `appendix` names another
    one: one transaction, one undo step (the group dialog of a plan of appendices)."""
    old = next((g for g in store.plan.load().task_groups if g.id == group_id), None)
    if not appendix or old is None or appendix.strip().upper() == old.appendix.upper():
        return rename_group(store, Subject.TASK_GROUP, group_id, code, title)
    with store.transaction():
        first = store.appendices.first_of_step()
        change = store.plan.rename_group("task_group", group_id, code, title)
        store.appendices.move_group(group_id, appendix, own_step=False)
        label = f"sửa nhóm nhiệm vụ {code or title} và chuyển sang Phụ lục {appendix.upper()}"
        store.appendices.mark_step(first, label.replace("  ", " "))
    fields = frozenset({*change.fields, "appendix", "position"})
    return Outcome(None, Change(Subject.TASK_GROUP, group_id, fields=fields))


def add_indicator(store: Store, group_id: int, indicator: Indicator) -> Outcome[int]:
    iid = store.plan.add_indicator(group_id, indicator)
    return Outcome(iid, Change(Subject.INDICATOR, iid, action=Action.INSERT))


def save_indicator(
    store: Store, indicator_id: int, indicator: Indicator, years: list[int]
) -> Outcome[None]:
    """An indicator's fields and its targets for `years`, in one transaction."""
    changes = {
        f.name: getattr(indicator, f.name)
        for f in fields(indicator)
        if f.name not in ("id", "targets")
    }
    with store.transaction():
        changed = set(store.plan.update_indicator(indicator_id, **changes).fields)
        for year in years:
            if store.plan.set_target(indicator_id, year, indicator.targets.get(year)).changed:
                changed.add(f"target:{year}")
    return Outcome(None, Change(Subject.INDICATOR, indicator_id, fields=frozenset(changed)))


def set_indicator_field(store: Store, indicator_id: int, field: str, text: str) -> Outcome[None]:
    """One field typed in place in the plan table: name, unit or lead agency."""
    if field not in ("name", "unit", "lead_agency"):
        raise ValueError(field)
    value = text if field == "name" else clean(text)
    return Outcome(None, store.plan.update_indicator(indicator_id, **{field: value}))


def set_target(store: Store, indicator: Indicator, year: int, text: str | None) -> Outcome[None]:
    """A target typed as the plan writes it ("≥ 80%", "Có"); empty removes it."""
    target: Target | None = parse_target(indicator.kind, text)
    if target is not None and isinstance(target.value, float):
        try:
            parse_value(indicator.kind, target.value)
        except UserError as exc:
            raise UserError(
                f"Mục tiêu năm {year} của chỉ tiêu {indicator.code}: {exc.message}"
            ) from None
    assert indicator.id is not None
    return Outcome(None, store.plan.set_target(indicator.id, year, target))


def archive_item(store: Store, kind: Subject, item_id: int, archived: bool = True) -> Outcome[None]:
    """Archive an indicator or task (Subject.INDICATOR / TASK), or bring it back: hidden from
    new periods, kept in every period that reports it — the way to retire an item a
    closed or sent report states, which the store refuses to delete."""
    if kind not in (Subject.INDICATOR, Subject.TASK):
        raise ValueError(kind)
    return Outcome(None, store.plan.set_archived(kind.value, item_id, archived))


def reported_in(store: Store, kind: Subject, item_id: int) -> list[str]:
    """Labels of the closed or sent periods that state this item (a read)."""
    return [store.period(p).label for p in store.plan.locked_periods(kind.value, item_id)]


def delete_indicator(store: Store, indicator_id: int) -> Outcome[None]:
    return Outcome(None, store.plan.delete_indicator(indicator_id))


def add_task(store: Store, group_id: int, task: Task) -> Outcome[int]:
    tid = store.plan.add_task(group_id, task)
    return Outcome(tid, Change(Subject.TASK, tid, action=Action.INSERT))


def save_task(store: Store, task_id: int, task: Task) -> Outcome[None]:
    """Every field of an edited task."""
    changes = {f.name: getattr(task, f.name) for f in fields(task) if f.name != "id"}
    return Outcome(None, store.plan.update_task(task_id, **changes))


def set_task_field(store: Store, task_id: int, field: str, value: object) -> Outcome[None]:
    """One field typed in place in the task table."""
    return Outcome(None, store.plan.update_task(task_id, **{field: value}))


def delete_task(store: Store, task_id: int) -> Outcome[None]:
    return Outcome(None, store.plan.delete_task(task_id))


def add_rule(store: Store, rule: ValidationRule) -> Outcome[int]:
    rid = store.rules.add_rule(rule)
    return Outcome(rid, Change(Subject.RULE, rid, action=Action.INSERT))


def update_rule(store: Store, rule_id: int, **changes: object) -> Outcome[None]:
    return Outcome(None, store.rules.update_rule(rule_id, **changes))


def delete_rule(store: Store, rule_id: int) -> Outcome[None]:
    return Outcome(None, store.rules.delete_rule(rule_id))


def set_path_tolerance(store: Store, share: float) -> Outcome[None]:
    """How close to the path to a milestone counts as on it (a share of the step)."""
    return Outcome(None, store.rules.set_path_tolerance(share))


def set_outlier_share(store: Store, share: float) -> Outcome[None]:
    return Outcome(None, store.rules.set_outlier_share(share))


def read_plan_file(
    path: Path, progress: Progress = no_progress, cancel: threading.Event | None = None
) -> ImportPreview:
    """The dry run of an import: the preview and every problem, nothing written.
    An Excel workbook (.xlsx) or a Word document (.docx) whose appendices are tables."""
    progress(0, 1, f"Đang đọc {path.name}…")
    checkpoint(cancel, "Đã hủy đọc tệp.")
    if Path(path).suffix.lower() in (".docx", ".doc"):
        from ..importers.word import read_plan_document

        preview = read_plan_document(path)
    else:
        from ..importers import read_plan_workbook

        preview = read_plan_workbook(path)
    progress(1, 1, "Đã đọc xong")
    return preview


def import_plan(
    store: Store, preview: ImportPreview, keep_missing: bool = False, dry_run: bool = False
) -> Outcome[ImportChanges]:
    """Bring the plan in line with a previewed import, in one transaction; a dry run only
    says what would be added, changed and removed. Entered values are kept."""
    if dry_run:
        from ..importers.apply import plan_changes

        return Outcome(plan_changes(store, preview, remove_missing=not keep_missing))
    from ..importers import apply_import

    changes = apply_import(store, preview, remove_missing=not keep_missing)
    return Outcome(changes, Change(Subject.PLAN, fields=frozenset({"*"})))


def write_plan_template(out: Path, store: Store | None = None) -> Outcome[Path]:
    """The appendix template, blank or holding the plan of `store`, written atomically."""
    plan = whole_plan(store) if store is not None else None
    from ..importers.plan_template import write_plan_template as _write_template

    return Outcome(_write_template(out, plan))


def save_regime(store: Store, **settings: Any) -> Outcome[None]:
    """The plan's reporting regime: its rules (with "trước"/"chậm nhất"), start and end,
    merging of shorter reports, the data cut-off policy and its lead days."""
    return Outcome(None, store.regime.set_regime(**settings))


def add_ad_hoc_report(store: Store, report: AdHocReport) -> Outcome[str]:
    """A report the secretary creates: đột xuất, theo yêu cầu, sơ kết, tổng kết."""
    change = store.regime.add_ad_hoc(report)
    return Outcome(str(change.item), change)
