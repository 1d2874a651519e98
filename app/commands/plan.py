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
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.errors import UserError
from ..models.store import Store
from .common import Add, lazy_module, usage

if TYPE_CHECKING:
    from ..operations import data_file as data_file_ops
    from ..operations import plan as plan_ops
else:
    plan_ops = lazy_module("app.operations.plan")
    data_file_ops = lazy_module("app.operations.data_file")

EXIT_NOT_IMPORTABLE = 2


def cmd_plan_import(args: argparse.Namespace) -> int:
    preview = plan_ops.read_plan_file(Path(args.file))
    for line in preview.summary_lines():
        print(line)
    if not preview.importable:
        return EXIT_NOT_IMPORTABLE
    db = Path(args.db)
    if not db.exists():
        office_name = args.office or preview.new_office_name
        if not office_name:
            raise UserError(
                "Tệp dữ liệu chưa có và không đọc được tên đơn vị từ dòng 'Kèm theo Kế hoạch "
                'số … của …\' của tệp: hãy thêm --office "Tên đơn vị".',
                "office",
            )
        if args.dry_run:
            print(f"Chạy thử: sẽ tạo tệp dữ liệu mới {db} cho đơn vị {office_name}.")
            return 0
        data_file_ops.create_from_import(db, preview, office_name)
        print(
            f"Đã tạo tệp dữ liệu {db}: {preview.indicator_count()} chỉ tiêu, "
            f"{preview.task_count()} nhiệm vụ."
        )
        return 0
    with Store.open(db) as store:
        changes = plan_ops.import_plan(
            store, preview, keep_missing=args.keep_missing, dry_run=args.dry_run
        ).result
    print("Chạy thử (chưa ghi gì):" if args.dry_run else f"Đã cập nhật kế hoạch trong {db}:")
    for line in changes.summary_lines():
        print(line)
    return 0


def cmd_plan_template(args: argparse.Namespace) -> int:
    if args.db:
        with Store.open(args.db) as store:
            out = plan_ops.write_plan_template(Path(args.out), store).result
            plan = store.plan.load()
        print(
            f"Đã ghi kế hoạch ({len(plan.indicators())} chỉ tiêu, {len(plan.tasks())} nhiệm vụ) "
            f"vào {out}"
        )
    else:
        out = plan_ops.write_plan_template(Path(args.out)).result
        print(f"Đã ghi mẫu phụ lục trống vào {out}")
    return 0


def _header_options(section: str) -> list[tuple[str, str, str]]:
    """(JSON path, option, help) of every header field of `section` ("plan", "office")."""
    from ..models.header_fields import field_labels

    return [
        (path, "--" + path.split(".")[1].replace("_", "-"), label)
        for path, label in field_labels().items()
        if path.startswith(section + ".")
    ]


def cmd_header_set(args: argparse.Namespace) -> int:
    """`plan set` / `office set`: the fields given, read as the template reads them."""
    fields: dict[str, object] = {}
    for path, option, _ in _header_options(args.header_section):
        value = getattr(args, option[2:].replace("-", "_"))
        if value is not None:
            fields[path] = "\n".join(value) if isinstance(value, list) else value
    reporting = getattr(args, "reporting", None)
    if args.header_section == "plan":
        for path in ("validation.path_tolerance", "validation.outlier_share"):
            value = getattr(args, path.split(".")[1])
            if value is not None:
                fields[path] = value
    if not fields and reporting is None:
        raise UserError("Chưa có mục nào để đặt: xem các tùy chọn bằng -h.")
    with Store.open(args.db) as store:
        changed = plan_ops.set_header_fields(store, fields, reporting).change.fields
    if changed:
        from ..models.header_fields import field_labels

        labels = field_labels() | {"plan.reporting": "Chế độ báo cáo định kỳ"}
        columns = {"plan.start_date": "plan.start", "plan.end_date": "plan.end"}
        names = [labels.get(columns.get(c, c), c) for c in sorted(changed)]
        print("Đã lưu: " + "; ".join(names) + ".")
    else:
        print("Không có gì thay đổi.")
    return 0


def add_header_commands(add: Add, plan_sub: object, sub: object) -> None:
    """`plan set` (number, title, date, milestones, regime…) and `office set` (letterhead)."""
    p = add("set", cmd_header_set, "Đặt thông tin kế hoạch: số, trích yếu, ngày, mốc, chế độ báo cáo.", plan_sub)  # fmt: skip
    p.set_defaults(header_section="plan")
    p.add_argument("--db", required=True)
    for _path, option, label in _header_options("plan"):
        p.add_argument(option, help=label)
    p.add_argument("--reporting", action="append", metavar="KỲ:NGÀY:THÁNG:CÁCH_GHI",
                   help="thay chế độ báo cáo, mỗi kỳ một lần, ví dụ “Hằng quý:20:0:trước ngày”")  # fmt: skip
    p.add_argument("--path-tolerance", help="dung sai lộ trình, ví dụ 5%")
    p.add_argument("--outlier-share", help="ngưỡng biến động bất thường, ví dụ 50%")
    office: argparse.ArgumentParser = add("office", lambda a: usage(office), "Thông tin đơn vị: tên, tiêu đề văn bản, người ký.", sub)  # fmt: skip
    office_sub = office.add_subparsers(dest="office_command", parser_class=type(office))
    p = add("set", cmd_header_set, "Đặt thông tin đơn vị: tên, cơ quan ban hành, người ký, nơi nhận.", office_sub)  # fmt: skip
    p.set_defaults(header_section="office")
    p.add_argument("--db", required=True)
    for path, option, label in _header_options("office"):
        if path == "office.recipients":
            p.add_argument("--recipient", dest="recipients", action="append", help=label)
        else:
            p.add_argument(option, help=label)


def add_plan_commands(add: Add, plan_sub: object) -> None:
    """Register `plan import` and `plan template` under the CLI's `plan` parser."""
    p = add(
        "import",
        cmd_plan_import,
        "Nhập kế hoạch từ tệp Excel phụ lục (Phụ lục I: chỉ tiêu, Phụ lục II: nhiệm vụ).",
        plan_sub,
    )
    p.add_argument("file", help="tệp Excel (.xlsx) hoặc Word (.docx) chứa phụ lục")
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
    from .plan_appendix import add_appendix_commands

    add_appendix_commands(add, plan_sub)
