"""`init`, `demo`, `status`, `plan show`, `backup`, `restore`, `samples`: the data file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..models.plan import Office
from ..models.plan_json import plan_to_json
from ..models.samples import list_samples
from ..models.store import Store
from ..models.values import format_target, format_value
from ..operations import data_file as ops
from .common import today_arg


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
    if s.current:
        p = s.current
        days = (p.due - today).days
        print(
            f"Kỳ báo cáo hiện tại: {p.label} ({p.id}), hạn nộp {p.due:%d/%m/%Y} (còn {days} ngày), "
            f"chốt số liệu {p.cutoff_start:%d/%m/%Y} – {p.cutoff_end:%d/%m/%Y}"
        )
        print(
            f"Đã nhập kỳ này: {s.values_entered}/{s.indicators} chỉ tiêu, "
            f"{s.progress_entered}/{s.tasks} nhiệm vụ"
        )
    else:
        print("Kế hoạch chưa có chế độ báo cáo nên chưa xác định được kỳ báo cáo.")
    print(f"Nhiệm vụ quá hạn: {len(s.overdue)}")
    for st in s.overdue:
        deadline = st.task.deadline.text if st.task.deadline else ""
        print(f"  - {st.task.code}. {st.task.name} (hạn: {deadline}; {st.status.label})")
    print(f"Chỉ tiêu chưa đạt mục tiêu mốc gần nhất: {len(s.off_track)}")
    for ist in s.off_track:
        ind = ist.indicator
        print(
            f"  - {ind.code}. {ind.name}: {format_value(ind, ist.value)} "
            f"(mục tiêu {ist.milestone}: {format_target(ind, ist.target)})"
        )
    return 0


def cmd_plan_show(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        data = plan_to_json(store.plan.load())
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for group in data["indicator_groups"]:
        print(f"{group['code']}. {group['title']}")
        for ind in group["indicators"]:
            print(f"   {ind['code']}. {ind['name']} [{ind['unit'] or ''}]")
    for group in data["task_groups"]:
        print(f"{group['code']}. {group['title']}")
        for task in group["tasks"]:
            deadline = (task["deadline"] or {}).get("text") or ""
            print(f"   {task['code']}. {task['name']} — {deadline}")
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
    for sample in list_samples():
        print(f"{sample.name}\t{sample.title}")
    return 0
