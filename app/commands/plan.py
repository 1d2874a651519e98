"""`plan import` and `plan template`: the command-line face of the importer.

`plan import FILE.xlsx --db PATH [--dry-run]` prints the preview and its
problems (exit 0 when importable, 2 when not) and, unless it is a dry run,
writes the plan in one transaction and prints what was added, changed and
removed. A data file that does not exist yet is created from the workbook.
`plan template --out FILE.xlsx [--db PATH]` writes the blank template, or the
plan of the data file in the same layout.
"""

from __future__ import annotations

import argparse
import copy
from pathlib import Path

from ..importers.apply import apply_import, plan_changes
from ..importers.preview import ImportPreview
from ..importers.workbook import read_plan_workbook
from ..models.errors import UserError
from ..models.plan import Office, Plan, PlanInfo
from ..models.store import Store

EXIT_NOT_IMPORTABLE = 2


def cmd_plan_import(args: argparse.Namespace) -> int:
    preview = read_plan_workbook(Path(args.file))
    for line in preview.summary_lines():
        print(line)
    if not preview.importable:
        return EXIT_NOT_IMPORTABLE
    db = Path(args.db)
    if not db.exists():
        office_name = args.office or preview.office_name
        if not office_name:
            raise UserError(
                "Tệp dữ liệu chưa có và không đọc được tên đơn vị từ dòng 'Kèm theo Kế hoạch "
                'số … của …\' của tệp Excel: hãy thêm --office "Tên đơn vị".',
                "office",
            )
        if args.dry_run:
            print(f"Chạy thử: sẽ tạo tệp dữ liệu mới {db} cho đơn vị {office_name}.")
            return 0
        plan = plan_from_preview(preview, Office(name=office_name))
        with Store.create(db, plan.office, plan):
            pass
        print(
            f"Đã tạo tệp dữ liệu {db}: {preview.indicator_count()} chỉ tiêu, "
            f"{preview.task_count()} nhiệm vụ."
        )
        return 0
    with Store.open(db) as store:
        if args.dry_run:
            changes = plan_changes(store, preview, remove_missing=not args.keep_missing)
            print("Chạy thử (chưa ghi gì):")
        else:
            changes = apply_import(store, preview, remove_missing=not args.keep_missing)
            print(f"Đã cập nhật kế hoạch trong {db}:")
    for line in changes.summary_lines():
        print(line)
    return 0


def plan_from_preview(preview: ImportPreview, office: Office) -> Plan:
    """A new plan holding exactly what the preview read (copies, ids cleared)."""
    info = PlanInfo(
        number=preview.plan_number or "",
        title="",
        date=preview.plan_date,
        issuer=preview.office_name,
        milestones=list(preview.milestones),
    )
    groups = copy.deepcopy(preview.indicator_groups)
    task_groups = copy.deepcopy(preview.task_groups)
    return Plan(office=office, info=info, indicator_groups=groups, task_groups=task_groups)


def cmd_plan_template(args: argparse.Namespace) -> int:
    from ..importers.plan_template import write_plan_template

    plan = None
    if args.db:
        with Store.open(args.db) as store:
            plan = store.plan.load()
    out = write_plan_template(Path(args.out), plan)
    if plan is None:
        print(f"Đã ghi mẫu phụ lục trống vào {out}")
    else:
        print(
            f"Đã ghi kế hoạch ({len(plan.indicators())} chỉ tiêu, {len(plan.tasks())} nhiệm vụ) "
            f"vào {out}"
        )
    return 0


def add_plan_commands(add, plan_sub) -> None:  # noqa: ANN001
    """Register `plan import` and `plan template` under the CLI's `plan` parser."""
    p = add(
        "import",
        cmd_plan_import,
        "Nhập kế hoạch từ tệp Excel phụ lục (Phụ lục I: chỉ tiêu, Phụ lục II: nhiệm vụ).",
        plan_sub,
    )
    p.add_argument("file", help="tệp Excel (.xlsx) chứa phụ lục")
    p.add_argument("--db", required=True, help="tệp dữ liệu (tạo mới nếu chưa có)")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.add_argument("--office", help="tên đơn vị khi tạo tệp dữ liệu mới")
    p.add_argument(
        "--keep-missing",
        action="store_true",
        help="giữ các chỉ tiêu, nhiệm vụ có trong kế hoạch nhưng không có trong tệp",
    )
    p = add(
        "template",
        cmd_plan_template,
        "Xuất mẫu phụ lục Excel trống, hoặc kế hoạch hiện có theo cùng mẫu.",
        plan_sub,
    )
    p.add_argument("--out", required=True, help="tệp Excel (.xlsx) sẽ ghi")
    p.add_argument("--db", help="tệp dữ liệu có kế hoạch cần điền vào mẫu")
