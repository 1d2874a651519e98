"""`python -m app report pdf|xlsx`: the period report written to a file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.plan import DocumentStyle
from .common import Add, lazy_module, period_arg, today_arg, usage
from .package import add_report_export_command, add_report_images_command

if TYPE_CHECKING:
    from ..operations import report as report_ops
else:
    report_ops = lazy_module("app.operations.report")


def _command(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        period = period_arg(args.db, args.period)
        style = DocumentStyle(args.style) if args.style else None
        written = report_ops.write_report(
            Path(args.db), period, kind, Path(args.out), today_arg(args.today),
            style=style, package_id=args.package_id,
        ).result  # fmt: skip
        print(f"Đã ghi báo cáo {written.period.label} vào {written.path} "
              f"({written.size // 1024 + 1} KB).")  # fmt: skip
        return 0

    return run


def add_report_commands(add: Add, sub: object) -> None:
    """Register `report pdf` and `report xlsx` with the CLI's `add(name, func, help, parent)`."""
    report: argparse.ArgumentParser = add(
        "report", lambda a: usage(report), "Xuất báo cáo kỳ (PDF hoặc Excel)."
    )
    report_sub = report.add_subparsers(dest="report_command", parser_class=type(report))
    for kind, help_text in (
        ("pdf", "Xuất báo cáo kỳ ra tệp PDF (thể thức văn bản theo NĐ 30/2020 hoặc HD 36)."),
        ("xlsx", "Xuất báo cáo kỳ ra tệp Excel (.xlsx)."),
    ):
        p = add(kind, _command(kind), help_text, report_sub)
        p.add_argument("--db", required=True, help="tệp dữ liệu")
        p.add_argument("--period", required=True, help="mã kỳ: 2026-M03, 2026-Q1, 2026-H1, 2026-Y")
        p.add_argument("--out", required=True, help=f"tệp .{kind} sẽ ghi")
        p.add_argument("--today", help="ngày của báo cáo YYYY-MM-DD (mặc định: hôm nay)")
        p.add_argument("--package-id", help="mã gói báo cáo (nếu có)")
        p.add_argument(
            "--style",
            choices=[s.value for s in DocumentStyle],
            help="thể thức: state (NĐ 30) hoặc party (HD 36); mặc định theo đơn vị",
        )
    add_report_export_command(add, report_sub)
    add_report_images_command(add, report_sub)
