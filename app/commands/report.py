"""`python -m app report pdf|xlsx`: the period report written to a file.

Kept out of app/cli.py so the report's options live next to the report; the
CLI only calls `add_report_commands`. The functions here are also the
in-process entry points (`write_report`) the package exporter uses.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..models.atomic_file import write_bytes_atomic
from ..models.errors import UserError
from ..models.plan import DocumentStyle
from ..models.store import Store
from ..reports.content import ReportData, build_report
from ..reports.pdf import render_pdf
from ..reports.xlsx import render_xlsx
from .package import add_report_export_command

RENDERERS: dict[str, Callable[[ReportData], bytes]] = {"pdf": render_pdf, "xlsx": render_xlsx}


def write_report(report: ReportData, kind: str, out: Path) -> int:
    """Render `report` as `kind` ("pdf" or "xlsx") and write it atomically; returns its size."""
    data = RENDERERS[kind](report)
    write_bytes_atomic(Path(out), data, mode=0o644)
    return len(data)


def _today(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"--today '{text}' phải có dạng YYYY-MM-DD.") from None


def _command(kind: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        out = Path(args.out)
        if out.suffix.lower() != f".{kind}":
            raise UserError(f"Tệp kết quả '{out}' phải có đuôi .{kind}.")
        with Store.open(args.db) as store:
            report = build_report(store, args.period, _today(args.today), args.package_id)
        if args.style:
            report = report.with_style(DocumentStyle(args.style))
        size = write_report(report, kind, out)
        print(f"Đã ghi báo cáo {report.period.label} vào {out} ({size // 1024 + 1} KB).")
        return 0

    return run


def add_report_commands(add: Callable[..., argparse.ArgumentParser], sub: object) -> None:
    """Register `report pdf` and `report xlsx` with the CLI's `add(name, func, help, parent)`."""
    report = add("report", lambda a: _usage(report), "Xuất báo cáo kỳ (PDF hoặc Excel).")
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


def _usage(parser: argparse.ArgumentParser) -> int:
    import sys

    parser.print_help(sys.stderr)
    return 2
