"""`init`, `demo`, `status`, `plan show`, `backup`, `restore`, `samples`: the data file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.assessment import describe_path
from ..models.plan import Office
from ..models.store import Store
from ..models.task_labels import appendix_heading, is_body, several_appendices, task_label
from .common import lazy_module, today_arg

if TYPE_CHECKING:
    from ..operations import data_file as ops
    from ..operations import plan as plan_ops
else:
    ops = lazy_module("app.operations.data_file")
    plan_ops = lazy_module("app.operations.plan")


def cmd_init(args: argparse.Namespace) -> int:
    if args.sample:
        path = ops.create_from_sample(Path(args.db), args.sample, args.office).result
    else:
        office = Office(name=args.office or "Đơn vị chưa đặt tên")
        path = ops.create_data_file(Path(args.db), office).result
    summary = ops.status(path, today_arg(args.today))
    print(f"Đã tạo tệp dữ liệu {args.db}: {summary.indicators} chỉ tiêu, {summary.tasks} nhiệm vụ.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Create the demo data file (a sample with past periods filled) unless it exists."""
    path = Path(args.db)
    if path.exists():
        print(f"Tệp dữ liệu mẫu đã có: {path}")
        return 0
    filled = ops.create_demo(path, today_arg(args.today), args.sample).result
    print(
        f"Đã tạo tệp dữ liệu mẫu {path} (đã nhập số liệu các kỳ: {', '.join(filled) or 'không'})."
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    today = today_arg(args.today)
    s = ops.status(Path(args.db), today)
    print(f"Đơn vị: {s.office}")
    print(f"Kế hoạch: {s.plan_number} — {s.plan_title}")
    print(
        f"Chỉ tiêu: {s.indicators} (trong {s.indicator_groups} nhóm); "
        f"nhiệm vụ: {s.tasks} (trong {s.task_groups} nhóm)"
    )
    for owed in s.owed:  # what is late comes first
        print(f"{owed.text()} ({owed.period.id}; hạn nộp: {owed.period.due_text}).")
    if s.current:
        p = s.current
        days = (p.due - today).days
        print(
            f"Kỳ báo cáo hiện tại: {p.label} ({p.id}), hạn nộp {p.due:%d/%m/%Y} (còn {days} ngày), "
            f"chốt số liệu {p.cutoff_start:%d/%m/%Y} – {p.cutoff_end:%d/%m/%Y}"
        )
        print(f"  Thời gian chốt số liệu: {p.cutoff_reason}.")
        print(
            f"Đã nhập kỳ này: {s.values_entered}/{s.indicators} chỉ tiêu, "
            f"{s.progress_entered}/{s.tasks} nhiệm vụ"
        )
    else:
        print("Kế hoạch không còn kỳ báo cáo nào sắp đến hạn (hoặc chưa có chế độ báo cáo).")
    progress = s.progress
    if progress is None:
        return 0
    start, end = progress.data_window
    print(
        f"Tiến độ theo kỳ {progress.period.label} ({progress.period.id}; số liệu tính từ ngày "
        f"{start:%d/%m/%Y} đến "
        f"ngày {end:%d/%m/%Y}; tình hình tính đến ngày {progress.as_of:%d/%m/%Y}):"
    )
    counts = ", ".join(
        f"{a.label.lower()} {n}" for a, n in progress.assessment_counts().items() if n
    )
    print(f"  Chỉ tiêu so với lộ trình đến mốc: {counts}")
    print(f"Nhiệm vụ quá hạn: {len(s.overdue)}")
    for st in s.overdue:
        deadline = st.task.deadline.text if st.task.deadline else ""
        print(f"  - {st.task.code}. {st.task.name} (hạn: {deadline}; {st.status.label})")
    print(f"Chỉ tiêu chậm so với lộ trình: {len(s.behind)}")
    for item in s.behind:
        print(
            f"  - {item.indicator.code}. {item.indicator.name}: {describe_path(item.indicator, item.path)}"
        )
    missed = [(item.indicator, m) for item in progress.indicators for m in item.passed
              if not m.assessment.attained and m.value is not None]  # fmt: skip
    if missed:
        print(f"Mốc đã qua chưa đạt: {len(missed)}")
        for ind, m in missed:
            print(f"  - {ind.code}. {ind.name}: {m.line}")
    return 0


def cmd_plan_show(args: argparse.Namespace) -> int:
    from ..models.plan_json import plan_to_json

    with Store.open(args.db) as store:
        plan = plan_ops.whole_plan(store)
        data = plan_to_json(plan)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for group in data["indicator_groups"]:
        print(f"{group['code']}. {group['title']}")
        for ind in group["indicators"]:
            print(f"   {ind['code']}. {ind['name']} [{ind['unit'] or ''}]")
    # with several task appendices: each one's heading ("PHỤ LỤC II. …"), then its groups;
    # every task by its label ("PL II – 4", "PL III – IV.12")
    titles = {a.code: a for a in plan.task_appendices} if several_appendices(plan) else {}
    shown = None
    for group in plan.task_groups:
        if titles and group.appendix != shown:
            shown = group.appendix
            print(appendix_heading(titles[shown]))
        if not is_body(plan, group):
            print(f"{group.code}. {group.title}")
        for task in group.tasks:
            deadline = task.deadline.text if task.deadline else ""
            code = task_label(plan, group, task) if titles else task.code
            print(f"   {code}. {task.name} — {deadline}")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    target = ops.backup_data_file(Path(args.db), Path(args.to)).result
    print(f"Đã sao lưu vào {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    kept = ops.restore_data_file(Path(args.db), Path(args.source)).result
    print(f"Đã khôi phục {args.db} từ {args.source}")
    if kept:
        print(f"Tệp dữ liệu trước khi khôi phục được giữ lại tại {kept}")
    return 0


def cmd_samples(args: argparse.Namespace) -> int:
    from ..models.receiving_samples import RECEIVING_SAMPLES
    from ..models.samples import list_samples  # the resources folder: only this command

    for sample in list_samples():
        print(f"{sample.name}\t{sample.title}")
        receiving = RECEIVING_SAMPLES.get(sample.name)
        if receiving is not None:  # indented: a note on the line above, not another sample
            names = ", ".join(o.name for o in receiving.offices)
            print(f"  Tệp tiếp nhận mẫu của {receiving.receiver.name} ({names} báo cáo): "
                  f"python -m app receive demo --db {receiving.file_name} --sample {sample.name}")  # fmt: skip
    return 0
