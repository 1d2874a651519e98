"""Command line: the same core as the GUI, headless (tests, benchmarks, batch work).

Every error a user can cause prints one Vietnamese line on stderr and exits
non-zero; an unexpected error prints one line too (and the details only with
THEODOI57_DEBUG=1), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from . import __version__
from .logbook import log_unexpected
from .models.backup import backup, restore
from .models.errors import UserError
from .models.plan import Office
from .models.plan_json import plan_to_json
from .models.samples import fill_demo, list_samples, load_sample
from .models.store import Store
from .models.summary import summarize
from .models.values import format_target, format_value

EXIT_USER_ERROR = 1
EXIT_BUG = 3


def _today(args: argparse.Namespace) -> date:
    if getattr(args, "today", None):
        try:
            return date.fromisoformat(args.today)
        except ValueError:
            raise UserError(f"--today '{args.today}' phải có dạng YYYY-MM-DD.") from None
    return date.today()


def cmd_init(args: argparse.Namespace) -> int:
    if args.sample:
        plan = load_sample(args.sample)
        office = plan.office
    else:
        plan = None
        office = Office(name=args.office or "Đơn vị chưa đặt tên")
    if args.office:
        office.name = args.office
    with Store.create(args.db, office, plan) as store:
        summary = summarize(store, _today(args))
    print(f"Đã tạo tệp dữ liệu {args.db}: {summary.indicators} chỉ tiêu, {summary.tasks} nhiệm vụ.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Create the demo data file (a sample with past periods filled) unless it exists."""
    path = Path(args.db)
    if path.exists():
        print(f"Tệp dữ liệu mẫu đã có: {path}")
        return 0
    plan = load_sample(args.sample)
    with Store.create(path, plan.office, plan) as store:
        filled = fill_demo(store, _today(args))
    print(
        f"Đã tạo tệp dữ liệu mẫu {path} (đã nhập số liệu các kỳ: {', '.join(filled) or 'không'})."
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    today = _today(args)
    with Store.open(args.db) as store:
        s = summarize(store, today)
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
        data = plan_to_json(store.load_plan())
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
    target = backup(Path(args.db), Path(args.to))
    print(f"Đã sao lưu vào {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    kept = restore(Path(args.db), Path(args.source))
    print(f"Đã khôi phục {args.db} từ {args.source}")
    if kept:
        print(f"Tệp dữ liệu trước khi khôi phục được giữ lại tại {kept}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    """Open the desktop window; Qt is imported only here, so the CLI runs without it."""
    from .ui.app import run_gui

    return run_gui(args.db, quit_after_show=args.quit_after_show, screenshot=args.screenshot)


def cmd_samples(args: argparse.Namespace) -> int:
    for sample in list_samples():
        print(f"{sample.name}\t{sample.title}")
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one Vietnamese line (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: {self.prog} -h\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    # The command modules pull in reportlab, openpyxl and cryptography (~0.3 s):
    # imported here, so the window (`gui`, the default) starts without them.
    from .exporters.package_commands import add_key_and_package_commands
    from .exporters.period_commands import add_period_commands
    from .exporters.receive_commands import add_receive_commands
    from .exporters.report_commands import add_report_commands
    from .importers.commands import add_plan_commands

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

    p = add("init", cmd_init, "Tạo tệp dữ liệu mới (từ kế hoạch mẫu hoặc trống).")
    p.add_argument("--db", required=True, help="đường dẫn tệp dữ liệu sẽ tạo")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--sample", help="tên kế hoạch mẫu (xem lệnh samples)")
    group.add_argument("--empty", action="store_true", help="bắt đầu với kế hoạch trống")
    p.add_argument("--office", help="tên đơn vị (ghi đè tên trong mẫu)")
    p.add_argument("--today", help=argparse.SUPPRESS)

    p = add("demo", cmd_demo, "Tạo tệp dữ liệu mẫu có sẵn số liệu các kỳ đã qua.")
    p.add_argument("--db", required=True)
    p.add_argument("--sample", default="bim-son")
    p.add_argument("--today", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")

    p = add("status", cmd_status, "Tóm tắt kế hoạch: số lượng, kỳ hiện tại, quá hạn, chưa đạt.")
    p.add_argument("--db", required=True)
    p.add_argument("--today", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")

    plan = add("plan", lambda a: _missing_sub(a, plan), "Xem kế hoạch.")
    plan_sub = plan.add_subparsers(dest="plan_command", parser_class=_Parser)
    p = add("show", cmd_plan_show, "In toàn bộ kế hoạch.", plan_sub)
    p.add_argument("--db", required=True)
    p.add_argument("--json", action="store_true", help="in dạng JSON (theodoi57/plan)")
    add_plan_commands(add, plan_sub)

    p = add("backup", cmd_backup, "Sao lưu tệp dữ liệu ra một tệp.")
    p.add_argument("--db", required=True)
    p.add_argument("--to", required=True, help="tệp sao lưu sẽ ghi")

    p = add("restore", cmd_restore, "Khôi phục tệp dữ liệu từ tệp sao lưu.")
    p.add_argument("--db", required=True)
    p.add_argument("--from", dest="source", required=True, help="tệp sao lưu")

    add_report_commands(add, sub)
    add_period_commands(add, sub)
    add_key_and_package_commands(add, sub)
    add_receive_commands(add, sub)

    _gui_arguments(add("gui", cmd_gui, "Mở giao diện cửa sổ (mặc định khi không có lệnh)."))

    add("samples", cmd_samples, "Liệt kê các kế hoạch mẫu có sẵn.")
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
    except Exception as exc:  # a bug: say so in one line, details only when asked
        if os.environ.get("THEODOI57_DEBUG"):
            traceback.print_exc()
        log = log_unexpected(exc, f"lệnh {getattr(args, 'command', None) or 'gui'}")
        sys.stderr.write(
            f"Lỗi không mong đợi ({type(exc).__name__}): {exc}. "
            "Dữ liệu đã lưu không bị ảnh hưởng; hãy báo cho bộ phận hỗ trợ."
            + (f" Chi tiết: {log}" if log else "")
            + "\n"
        )
        return EXIT_BUG
