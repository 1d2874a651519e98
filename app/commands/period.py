"""`python -m app period check|close|reopen`: the secretary's closing flow on the command line.

check → close → export: `period check` prints completeness and every rule
violation (exit 1 while errors remain), `period close` locks the period when
nothing blocks it, `report export` sends it, and `period reopen --reason`
opens it again so the next package is a correction.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.assessment import describe_path
from ..models.bounded_read import read_bounded
from ..models.errors import UserError
from ..models.period_entries import parse_entry_date
from ..models.period_states import PeriodNotReady, PeriodState
from ..models.plan import AdHocReport, PeriodKind
from ..models.store import Store
from ..models.validation import PeriodCheck
from ..operations import period as ops
from .common import Add, lazy_module, today_arg, usage

if TYPE_CHECKING:
    from ..operations import plan as plan_ops
else:
    plan_ops = lazy_module("app.operations.plan")

MAX_MISSING_SHOWN = 20


def print_check(store: Store, check: PeriodCheck) -> None:
    """Completeness, what is missing, then every violation, one per line."""
    period = store.period(check.period_id)
    status = store.closing.period_status(check.period_id)
    c = check.completeness
    print(f"Kỳ {period.label} ({period.id}): {status.state.label.lower()}")
    print(f"{c.text()}.")
    for title, items in (("Chỉ tiêu chưa có số liệu", c.missing_indicators),
                         ("Nhiệm vụ chưa cập nhật", c.missing_tasks)):  # fmt: skip
        if items:
            shown = ", ".join(code for code, _ in items[:MAX_MISSING_SHOWN])
            more = (
                f" và {len(items) - MAX_MISSING_SHOWN} mục khác"
                if len(items) > MAX_MISSING_SHOWN
                else ""
            )
            print(f"{title} ({len(items)}): {shown}{more}")
    if not check.violations:
        print("Không có lỗi hay cảnh báo nào.")
        return
    unexplained = len(check.blocking) - len(check.errors)
    print(f"Lỗi: {len(check.errors)}; cảnh báo: {len(check.warnings)} "
          f"({unexplained} chưa giải trình).")  # fmt: skip
    for v in check.violations:
        print(f"- {v.text()}")


def cmd_period_check(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        check = ops.check(store, ops.period_of(store, args.period))
        print_check(store, check)
    return 1 if check.errors else 0


def cmd_period_close(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        period = ops.period_of(store, args.period)
        label = period.label
        state = store.closing.period_status(period.id).state
        if state is not PeriodState.OPEN:
            print(f"Kỳ {label} đang ở trạng thái “{state.label}”, không cần chốt lại.")
            return 0
        try:
            ops.close_period(store, period)
        except PeriodNotReady as exc:
            sys.stderr.write(f"Lỗi: {exc.message}\n")
            return 1
    print(f"Đã chốt số liệu kỳ {label}; kỳ chỉ còn xem, không sửa được.")
    return 0


def cmd_period_reopen(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        period = ops.period_of(store, args.period)
        pending = ops.reopen_period(store, period, args.reason).result.correction_pending
    label = period.label
    print(f"Đã mở lại kỳ {label} (lý do: {args.reason.strip()}).")
    if pending:
        print("Gói báo cáo gửi tiếp theo của kỳ này là báo cáo bổ sung, điều chỉnh.")
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    """`progress --period P [--today D] [--json]`: each indicator on its path, each task."""
    today = today_arg(args.today)
    with Store.open(args.db) as store:
        result = ops.progress(store, ops.period_of(store, args.period), today)
    if args.json:
        json.dump(ops.progress_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    start, end = result.data_window
    print(f"Kỳ {result.period.label} ({result.period.id}): số liệu tính từ ngày {start:%d/%m/%Y} "
          f"đến ngày {end:%d/%m/%Y}; tình hình tính đến ngày {result.as_of:%d/%m/%Y}.")  # fmt: skip
    if result.previous:
        print(f"Kỳ trước: {result.previous.label} ({result.previous.id}).")
    print("Chỉ tiêu (so với lộ trình đến mốc):")
    for item in result.indicators:
        print(f"  {item.indicator.code}. {describe_path(item.indicator, item.path)}")
        for m in item.passed:
            print(f"      {m.line}")
    print("Nhiệm vụ:")
    for t in result.tasks:
        late = "; quá hạn" if t.overdue else ""
        carried = f" (theo kỳ {t.carried_from})" if t.carried_from else ""
        print(f"  {t.key}. {t.status.label}{carried}{late}")
    counts = ", ".join(f"{a.label.lower()} {n}" for a, n in result.assessment_counts().items() if n)
    print(f"Tổng hợp chỉ tiêu: {counts}; nhiệm vụ quá hạn: {len(result.overdue())}.")
    return 0


MAX_VALUES_FILE = 20 * 1024 * 1024  # a period's values as JSON are a few KB


def cmd_period_values(args: argparse.Namespace) -> int:
    """`period values --from FILE.json|FILE.xlsx [--dry-run]`: checked like the grid, all or
    nothing; an .xlsx is a `period sheet` filled in Excel, read into the same shape."""
    if Path(args.source).suffix.lower() == ".xlsx":
        from ..operations.agency import period_values_from_sheet

        with Store.open(args.db) as store:
            period = ops.period_of(store, args.period)
            result = period_values_from_sheet(store, period, Path(args.source), args.dry_run).result
        return _print_values(result, period.label)
    try:
        data = json.loads(read_bounded(Path(args.source), MAX_VALUES_FILE, "Tệp số liệu"))
    except OSError as exc:
        raise UserError(f"Không đọc được tệp '{args.source}': {exc.strerror or exc}.") from None
    except ValueError as exc:
        raise UserError(f"Tệp '{args.source}' không phải JSON hợp lệ ({exc}).") from None
    with Store.open(args.db) as store:
        period = ops.period_of(store, args.period)
        result = ops.apply_values(store, period, data, dry_run=args.dry_run).result
    return _print_values(result, period.label)


def _print_values(result: ops.ValuesResult, label: str) -> int:
    for problem in result.problems:
        print(f"- {problem}")
    if result.written:
        print(f"Đã ghi {result.accepted} mục số liệu kỳ {label}.")
        return 0
    if result.problems:
        print(
            f"Không ghi gì: {len(result.problems)} mục bị từ chối ({result.accepted} mục hợp lệ)."
        )
        return 1
    print(f"Chạy thử: {result.accepted} mục hợp lệ; chưa ghi gì.")
    return 0


def cmd_period_sheet(args: argparse.Namespace) -> int:
    """`period sheet --out FILE.xlsx`: the period's grid as a form, read back by `period values`."""
    from ..operations.agency import write_period_sheet

    with Store.open(args.db) as store:
        period = ops.period_of(store, args.period)
        path = write_period_sheet(store, period, Path(args.out)).result
    print(f"Đã ghi bảng số liệu kỳ {period.label}: {path}")
    return 0


def cmd_period_add(args: argparse.Namespace) -> int:
    """`period add`: a report the regime does not generate (đột xuất, sơ kết, tổng kết)."""
    dates = {}
    for name in ("start", "end", "due"):
        value = parse_entry_date(getattr(args, name))
        if value is None:
            raise UserError(
                f"Cần --{'from' if name == 'start' else 'to' if name == 'end' else name}."
            )
        dates[name] = value
    report = AdHocReport(PeriodKind(args.kind), args.title, dates["start"], dates["end"],
                         dates["due"], strict=not args.by)  # fmt: skip
    with Store.open(args.db) as store:
        pid = plan_ops.add_ad_hoc_report(store, report).result
        period = ops.period_of(store, pid)
    print(f"Đã thêm {period.label} ({period.id}): số liệu từ ngày {period.cutoff_start:%d/%m/%Y} "
          f"đến ngày {period.cutoff_end:%d/%m/%Y}; hạn nộp: {period.due_text}.")  # fmt: skip
    return 0


def add_period_commands(add: Add, sub: object) -> None:
    """Register `period check|close|reopen` with the CLI's `add(name, func, help, parent)`."""
    period: argparse.ArgumentParser = add(
        "period", lambda a: usage(period), "Kiểm tra, chốt và mở lại kỳ báo cáo."
    )
    period_sub = period.add_subparsers(dest="period_command", parser_class=type(period))
    p = add("check", cmd_period_check, "Kiểm tra số liệu kỳ: mức độ cập nhật, lỗi, cảnh báo.", period_sub)  # fmt: skip
    _common(p)
    p = add("close", cmd_period_close, "Chốt số liệu kỳ (không còn lỗi, cảnh báo đã giải trình).", period_sub)  # fmt: skip
    _common(p)
    p = add("reopen", cmd_period_reopen, "Mở lại kỳ đã chốt hoặc đã gửi để điều chỉnh.", period_sub)  # fmt: skip
    _common(p)
    p.add_argument("--reason", required=True, help="lý do mở lại (ghi vào lịch sử thay đổi)")
    p = add("add", cmd_period_add, "Thêm báo cáo đột xuất, theo yêu cầu, sơ kết hoặc tổng kết.", period_sub)  # fmt: skip
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--kind", choices=["ad_hoc", "review"], default="ad_hoc",
                   help="ad_hoc: đột xuất, theo yêu cầu; review: sơ kết, tổng kết")  # fmt: skip
    p.add_argument("--title", required=True, help="tên báo cáo, ví dụ “Báo cáo sơ kết 6 tháng”")
    p.add_argument("--from", dest="start", required=True, help="số liệu từ ngày (dd/mm/yyyy)")
    p.add_argument("--to", dest="end", required=True, help="số liệu đến ngày (dd/mm/yyyy)")
    p.add_argument("--due", required=True, help="hạn nộp như văn bản yêu cầu ghi (dd/mm/yyyy)")
    p.add_argument(
        "--by", action="store_true", help="hạn ghi “chậm nhất ngày” (mặc định: “trước ngày”)"
    )
    p = add("values", cmd_period_values, "Nhập số liệu kỳ từ tệp JSON (kiểm tra như khi gõ).", period_sub)  # fmt: skip
    _common(p)
    p.add_argument("--from", dest="source", required=True,
                   help="tệp .json số liệu, hoặc tệp .xlsx lập bằng period sheet")  # fmt: skip
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")

    p = add("sheet", cmd_period_sheet, "Lập bảng Excel để điền toàn bộ số liệu của kỳ.", period_sub)  # fmt: skip
    _common(p)
    p.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")

    p = add("progress", cmd_progress, "Tiến độ của một kỳ: chỉ tiêu theo lộ trình, nhiệm vụ.", sub)
    _common(p)
    p.add_argument("--today", help="ngày của báo cáo YYYY-MM-DD (mặc định: hôm nay)")
    p.add_argument("--json", action="store_true", help="in dạng JSON cho chương trình khác")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--period", required=True, help="mã kỳ: 2026-Q1, 2026-H1 …")
