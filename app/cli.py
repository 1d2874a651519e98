"""Command line: the same core as the GUI, headless (tests, benchmarks, batch work).

Every error a user can cause prints one Vietnamese line on stderr and exits
non-zero; an unexpected error prints one line too (and the details only with
THEODOI57_DEBUG=1), never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .models.errors import UserError

EXIT_USER_ERROR = 1
EXIT_BUG = 3


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop window; Qt is imported only here, so the CLI runs without it."""
    from .ui.app import run_gui

    return run_gui(args.db, quit_after_show=args.quit_after_show, screenshot=args.screenshot)


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one Vietnamese line (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: {self.prog} -h\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    # The command modules pull in reportlab, openpyxl and cryptography (~0.3 s):
    # imported here, so the window (`gui`, the default) starts without them.
    from .commands import data_file
    from .commands.agency import add_agency_commands
    from .commands.package import add_key_and_package_commands
    from .commands.period import add_period_commands
    from .commands.plan import add_header_commands, add_plan_commands
    from .commands.receive import add_receive_commands
    from .commands.report import add_report_commands

    parser = _Parser(
        prog="theodoi57",
        description="Theo dõi NQ57 — theo dõi và báo cáo thực hiện Nghị quyết 57-NQ/TW.",
    )
    parser.add_argument("--version", action="version", version=f"theodoi57 {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str, parent=sub):  # noqa: ANN001, ANN202
        p = parent.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("init", data_file.cmd_init, "Tạo tệp dữ liệu mới (từ kế hoạch mẫu hoặc trống).")
    p.add_argument("--db", required=True, help="đường dẫn tệp dữ liệu sẽ tạo")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--sample", help="tên kế hoạch mẫu (xem lệnh samples)")
    group.add_argument("--empty", action="store_true", help="bắt đầu với kế hoạch trống")
    p.add_argument("--office", help="tên đơn vị (ghi đè tên trong mẫu)")
    p.add_argument("--today", help=argparse.SUPPRESS)

    p = add("demo", data_file.cmd_demo, "Tạo tệp dữ liệu mẫu có sẵn số liệu các kỳ đã qua.")
    p.add_argument("--db", required=True)
    p.add_argument("--sample", default="bim-son")
    p.add_argument("--today", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")

    p = add(
        "status",
        data_file.cmd_status,
        "Tóm tắt kế hoạch: số lượng, kỳ hiện tại, quá hạn, chưa đạt.",
    )
    p.add_argument("--db", required=True)
    p.add_argument("--today", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")

    plan = add("plan", lambda a: _missing_sub(a, plan), "Xem kế hoạch.")
    plan_sub = plan.add_subparsers(dest="plan_command", parser_class=_Parser)
    p = add("show", data_file.cmd_plan_show, "In toàn bộ kế hoạch.", plan_sub)
    p.add_argument("--db", required=True)
    p.add_argument("--json", action="store_true", help="in dạng JSON (theodoi57/plan)")
    add_plan_commands(add, plan_sub)
    add_header_commands(add, plan_sub, sub)

    p = add("backup", data_file.cmd_backup, "Sao lưu tệp dữ liệu ra một tệp.")
    p.add_argument("--db", required=True)
    p.add_argument("--to", required=True, help="tệp sao lưu sẽ ghi")

    p = add("restore", data_file.cmd_restore, "Khôi phục tệp dữ liệu từ tệp sao lưu.")
    p.add_argument("--db", required=True)
    p.add_argument("--from", dest="source", required=True, help="tệp sao lưu")

    add_report_commands(add, sub)
    add_period_commands(add, sub)
    add_key_and_package_commands(add, sub)
    add_receive_commands(add, sub)
    add_agency_commands(add, sub)

    _gui_arguments(add("gui", cmd_gui, "Mở giao diện cửa sổ (mặc định khi không có lệnh)."))

    add("samples", data_file.cmd_samples, "Liệt kê các kế hoạch mẫu có sẵn.")
    return parser


def _missing_sub(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _gui_parser() -> argparse.ArgumentParser:
    """`gui` alone, without loading every command module (fast window start-up)."""
    parser = _Parser(prog="theodoi57 gui")
    _gui_arguments(parser)
    parser.set_defaults(func=cmd_gui)
    return parser


def _gui_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="tệp dữ liệu (mặc định: tệp dùng lần trước)")
    p.add_argument("--quit-after-show", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--screenshot", metavar="FILE", help=argparse.SUPPRESS)  # smoke test


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] == "gui":  # `python -m app` alone opens the window
        args = _gui_parser().parse_args(argv[1:])
    else:
        args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UserError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng theo yêu cầu.\n")
        return 130
    except BrokenPipeError:  # `… | head`: the reader has what it wanted; say nothing
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        return 0
    except Exception as exc:  # a bug: say so in one line, details only when asked
        from .logbook import log_unexpected  # both only on this path: `samples` needs neither
        from .models.database import known_fault

        fault = known_fault(exc, Path(getattr(args, "db", None) or "."))
        if fault is not None and getattr(args, "db", None):
            sys.stderr.write(f"Lỗi: {fault.message}\n")
            return EXIT_USER_ERROR
        if os.environ.get("THEODOI57_DEBUG"):
            traceback.print_exc()
        log = log_unexpected(exc, f"lệnh {getattr(args, 'command', None) or 'gui'}")
        sys.stderr.write(
            f"Lỗi không mong đợi ({type(exc).__name__}): {exc}. "
            "Hãy báo cho bộ phận hỗ trợ." + (f" Chi tiết: {log}" if log else "") + "\n"
        )
        return EXIT_BUG
