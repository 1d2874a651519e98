"""Command line: the same core as the GUI, headless (tests, benchmarks, batch work).

Every error a user can cause prints one Vietnamese line on stderr and exits
non-zero; an unexpected error prints one line too (and the details only with
THEODOI57_DEBUG=1), never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .models.errors import UserError

if TYPE_CHECKING:  # imported by name when a command runs (_group, _Handlers); listed here
    # so type checkers and the frozen build's import analysis see every command module
    import app.commands.agency
    import app.commands.data_file
    import app.commands.package
    import app.commands.period
    import app.commands.plan
    import app.commands.receive
    import app.commands.report  # noqa: F401

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


class _Skipped:
    """Stands in for the parsers of the commands not asked for: every call is accepted
    and builds nothing (argparse spends ~20 ms building all fifty-odd of them)."""

    def __getattr__(self, _name: str) -> Callable[..., _Skipped]:
        return lambda *_args, **_kwargs: self


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with `only` the one top-level command `only` names
    (the others are skipped); `parser.commands` lists every top-level command either way."""
    # The command modules pull in reportlab, openpyxl and cryptography (~0.3 s):
    # imported here, so the window (`gui`, the default) starts without them.
    data_file = _Handlers("data_file")

    parser = _Parser(
        prog="theodoi57",
        description="Theo dõi NQ57 — theo dõi và báo cáo thực hiện Nghị quyết 57-NQ/TW.",
    )
    parser.add_argument("--version", action="version", version=f"theodoi57 {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    commands: list[str] = []

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str, parent=sub):  # noqa: ANN001, ANN202
        if parent is sub:
            commands.append(name)
            if only is not None and name != only:
                return _Skipped()
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
    if group := _group(only, "plan", commands, ("plan", "office")):
        group.add_plan_commands(add, plan_sub)
        group.add_header_commands(add, plan_sub, sub)

    p = add("backup", data_file.cmd_backup, "Sao lưu tệp dữ liệu ra một tệp.")
    p.add_argument("--db", required=True)
    p.add_argument("--to", required=True, help="tệp sao lưu sẽ ghi")

    p = add("restore", data_file.cmd_restore, "Khôi phục tệp dữ liệu từ tệp sao lưu.")
    p.add_argument("--db", required=True)
    p.add_argument("--from", dest="source", required=True, help="tệp sao lưu")

    for module, register, names in _GROUPS:
        if group := _group(only, module, commands, names):
            getattr(group, register)(add, sub)

    _gui_arguments(add("gui", cmd_gui, "Mở giao diện cửa sổ (mặc định khi không có lệnh)."))

    add("samples", data_file.cmd_samples, "Liệt kê các kế hoạch mẫu có sẵn.")
    parser.commands = commands  # type: ignore[attr-defined]
    return parser


# The top-level commands each command module registers (a test checks them): with
# `only`, the modules of the other commands are not even imported.
_GROUPS = (
    ("report", "add_report_commands", ("report",)),
    ("period", "add_period_commands", ("period", "progress")),
    ("package", "add_key_and_package_commands", ("key", "package")),
    ("receive", "add_receive_commands", ("receive",)),
    ("agency", "add_agency_commands", ("agency",)),
)


def _group(only: str | None, module: str, commands: list[str], names: tuple[str, ...]) -> Any:
    """app.commands.`module` when it registers `only` (or everything is built); else None,
    with its top-level names noted in `commands` all the same."""
    if only is None or only in names:
        return importlib.import_module(f"app.commands.{module}")
    commands.extend(n for n in names if n not in commands)
    return None


class _Handlers:
    """The `cmd_*` functions of app.commands.`module`, imported when one runs."""

    def __init__(self, module: str) -> None:
        self.module = f"app.commands.{module}"

    def __getattr__(self, name: str) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            return getattr(importlib.import_module(self.module), name)(args)

        run.__qualname__ = f"{self.module}.{name}"
        return run


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
    else:  # the asked command's parser alone; the whole one for help, typos and the like
        parser = build_parser(only=argv[0])
        if argv[0] not in parser.commands:  # type: ignore[attr-defined]
            parser = build_parser()
        args = parser.parse_args(argv)
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
