"""`python -m app agency …`: the agencies' list, their fill-in forms, collection, who owes what."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.errors import UserError
from ..models.periods import Period
from ..models.plan import Frequency
from ..models.store import Store
from ..operations.period import period_of
from .common import Add, lazy_module, today_arg, usage

if TYPE_CHECKING:
    from ..agencies.apply import FileResult
    from ..operations import agency as ops
else:
    ops = lazy_module("app.operations.agency")


def _date(text: str | None, option: str) -> date | None:
    from ..models.period_entries import parse_entry_date

    try:
        return parse_entry_date(text)
    except UserError:
        raise UserError(
            f"{option} '{text}' phải là ngày dạng dd/mm/yyyy hoặc YYYY-MM-DD."
        ) from None


def _period(store: Store, args: argparse.Namespace) -> Period:
    return period_of(store, args.period, today_arg(getattr(args, "today", None)))


def cmd_list(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        agencies = store.agencies.all()
        links = store.agencies.links("indicator") + store.agencies.links("task")
    if not agencies:
        print("Chưa có danh sách cơ quan, đơn vị. Lập từ kế hoạch: agency build --db …")
        return 0
    for a in agencies:
        lead = sum(1 for k in links if k.agency_id == a.id and k.role.value == "lead")
        partner = sum(1 for k in links if k.agency_id == a.id and k.role.value == "partner")
        contact = "; ".join(x for x in (a.contact, a.phone, a.email) if x)
        print(f"- {a.short_name}" + (f" — {a.name}" if a.name != a.short_name else "")
              + f" ({a.kind.label.lower()}; chủ trì {lead}, phối hợp {partner})"
              + (f"; liên hệ: {contact}" if contact else ""))  # fmt: skip
        if a.aliases:
            print(f"    cách ghi khác trong kế hoạch: {'; '.join(a.aliases)}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        proposal = ops.propose_agencies(store)
        merges = proposal.merges()
        if not proposal.agencies:
            print("Không có cơ quan, đơn vị mới nào trong kế hoạch.")
            return 0
        for n, group in enumerate(merges, start=1):
            print(f"Đề nghị gộp {n}: {' | '.join(group.wordings)} → “{group.name}” "
                  f"(tên gọn “{group.short_name}”)")  # fmt: skip
        if args.merge is None and merges:
            print("Chưa lập danh sách: xác nhận các đề nghị gộp bằng --merge all, --merge none "
                  "hoặc --merge 1,3.")  # fmt: skip
            return 1
        chosen: list[int] | bool
        if args.merge in (None, "none"):
            chosen = []
        elif args.merge == "all":
            chosen = True
        else:
            try:
                chosen = [int(x) for x in args.merge.split(",") if x.strip()]
            except ValueError:
                raise UserError("--merge nhận all, none hoặc các số, ví dụ 1,3.") from None
            wrong = [n for n in chosen if not 1 <= n <= len(merges)]
            if wrong:
                raise UserError(f"Không có đề nghị gộp số {', '.join(map(str, wrong))}.")
        made = ops.build_agencies(store, chosen).result
        skipped = len(proposal.collective)
    print(f"Đã lập {len(made)} cơ quan, đơn vị: {', '.join(a.short_name for a in made)}.")
    if skipped:
        print(f"{skipped} cách ghi chỉ chung nhiều đơn vị (“các đơn vị liên quan”…) không lập "
              "thành cơ quan.")  # fmt: skip
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        agency = ops.merge_agencies(store, args.into, args.names).result
    print(f"Đã gộp vào “{agency.short_name}”: {'; '.join(args.names)}.")
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    changes = {k: v for k, v in (("short_name", args.short), ("name", args.full),
                                 ("contact", args.contact), ("phone", args.phone),
                                 ("email", args.email), ("kind", args.kind),
                                 ("office_uid", args.office_uid)) if v is not None}  # fmt: skip
    if not changes:
        raise UserError("Không có gì để sửa: dùng --short, --full, --contact, --phone, --email, "
                        "--kind, --office-uid.")  # fmt: skip
    with Store.open(args.db) as store:
        agency = ops.update_agency(store, args.name, **changes).result
    print(f"Đã cập nhật “{agency.short_name}”.")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        if args.frequency:
            ops.set_agency_due_rule(store, Frequency(args.frequency), args.day, args.offset,
                                    not args.by)  # fmt: skip
            print("Đã đặt hạn của cơ quan, đơn vị cho các kỳ "
                  f"{Frequency(args.frequency).label.lower()}.")  # fmt: skip
            return 0
        if not args.period:
            raise UserError("Cần --period (một kỳ) hoặc --frequency (mọi kỳ cùng loại).")
        period = _period(store, args)
        ops.set_agency_due(store, period, None if args.clear else _date(args.date, "--date"))
        from ..agencies.schedule import agency_due

        due = agency_due(store, period)
    print(f"Kỳ {period.label}: hạn của cơ quan, đơn vị {due.text}; hạn báo cáo của đơn vị "
          f"{due.office_text}.")  # fmt: skip
    return 0


def cmd_receiving(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        linked = ops.link_receiving_file(store, None if args.clear else args.file).result
    if linked:
        print(f"Các đơn vị gửi gói báo cáo được đọc từ tệp tiếp nhận {linked}.")
    else:
        print("Đã bỏ liên kết tệp tiếp nhận: các đơn vị gửi gói báo cáo được tính theo số liệu.")
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    with Store.open(args.db) as store:
        period = _period(store, args)
        written = ops.write_forms(store, period, Path(args.out), args.agency).result
    for w in written:
        print(f"- {w.agency}: {w.path} ({w.indicators} chỉ tiêu, {w.tasks} nhiệm vụ chủ trì, "
              f"{w.partner_tasks} nhiệm vụ phối hợp)")  # fmt: skip
    print(f"Đã lập {len(written)} biểu mẫu kỳ {period.label} trong {args.out}.")
    return 0


def print_file_result(r: FileResult, dry_run: bool) -> None:
    head = f"Tệp {r.file_name}"
    if r.refused:
        print(f"{head}: không đọc — {r.refused}")
        return
    print(f"{head}: {r.agency}")
    verb = "Sẽ ghi" if dry_run else "Đã ghi"
    for line in r.written:
        print(f"  {verb}: {line}")
    for c in r.conflicts:
        print(f"  Khác số liệu đã có: {c.text()}")
    for p in r.problems:
        print(f"  Lỗi: {p}")
    for n in r.notices:
        print(f"  Lưu ý: {n}")


def cmd_collect(args: argparse.Namespace) -> int:
    received = today_arg(args.today)
    with Store.open(args.db) as store:
        period = _period(store, args)
        results = ops.collect_forms(store, period, args.files, dry_run=args.dry_run,
                                    replace=args.replace, received_on=received).result  # fmt: skip
    for r in results:
        print_file_result(r, args.dry_run)
    written = sum(len(r.written) for r in results)
    problems = sum(len(r.problems) for r in results) + sum(1 for r in results if r.refused)
    conflicts = sum(
        len(r.conflicts) for r in results if not r.conflicts or not r.conflicts[0].replaced
    )
    if args.dry_run:
        print(f"Chạy thử: {written} mục sẽ được ghi, {problems} lỗi, {conflicts} mục khác số "
              "liệu đã có; chưa ghi gì.")  # fmt: skip
    else:
        print(f"Đã ghi {written} mục từ {sum(1 for r in results if r.applied)} tệp; {problems} lỗi"
              + (f"; {conflicts} mục khác số liệu đã có được giữ nguyên (dùng --replace để thay)"
                 if conflicts else "") + ".")  # fmt: skip
    return 1 if problems else 0


def cmd_status(args: argparse.Namespace) -> int:
    today = today_arg(args.today)
    with Store.open(args.db) as store:
        period = _period(store, args)
        status = ops.agency_status(store, period, today)
        if args.out:
            ops.write_agency_status(store, period, today, Path(args.out))
    print(f"Kỳ {period.label} ({period.id}): hạn của cơ quan, đơn vị {status.due.text}; "
          f"hạn báo cáo của đơn vị {status.due.office_text}; tính đến ngày {today:%d/%m/%Y}.")  # fmt: skip
    if status.receiving_note:
        print(status.receiving_note)
    for s in status.agencies:
        if not s.expected:
            continue
        detail = f" ({s.package_detail})" if s.package_detail else ""
        print(f"- {s.agency.short_name}: {s.filled}/{s.assigned} mục có số liệu; "
              f"{status.received_text(s)}{detail}; {status.state(s).lower()}")  # fmt: skip
    if status.summary_text():
        print(status.summary_text())
    owing = status.owing()
    if owing:
        print("\nNhắc việc (sao chép gửi qua Zalo hoặc thư điện tử):")
        for s in owing:
            print(f"\n[{s.agency.short_name}]\n{status.reminder(s)}")
    if args.out:
        print(f"\nĐã ghi danh sách để in: {args.out}")
    return 0


def add_agency_commands(add: Add, sub: object) -> None:
    """Register `agency list|build|merge|set|due|receiving|forms|collect|status`."""
    agency: argparse.ArgumentParser = add(
        "agency",
        lambda a: usage(agency),
        "Cơ quan, đơn vị: danh sách, biểu mẫu, nhận lại, nhắc việc.",
    )
    s = agency.add_subparsers(dest="agency_command", parser_class=type(agency))
    p = add("list", cmd_list, "Danh sách cơ quan, đơn vị và số mục chủ trì, phối hợp.", s)
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p = add("build", cmd_build, "Lập danh sách từ cột chủ trì, phối hợp của kế hoạch.", s)
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--merge", help="xác nhận gộp tên gần giống: all, none hoặc số thứ tự (1,3)")
    p = add("merge", cmd_merge, "Gộp các cơ quan trùng vào một (đã xác nhận).", s)
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--into", required=True, help="cơ quan giữ lại")
    p.add_argument("names", nargs="+", help="các cơ quan gộp vào")
    p = add(
        "set", cmd_set, "Sửa tên gọn, tên đầy đủ, người liên hệ, điện thoại, thư, hình thức.", s
    )
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("name", help="tên (gọn, đầy đủ hoặc cách ghi trong kế hoạch)")
    p.add_argument("--short", help="tên gọn (in trên biểu mẫu, tên tệp)")
    p.add_argument("--full", help="tên đầy đủ")
    p.add_argument("--contact", help="người liên hệ")
    p.add_argument("--phone", help="điện thoại")
    p.add_argument("--email", help="thư điện tử")
    p.add_argument(
        "--kind", choices=["form", "package"], help="form: điền biểu mẫu; package: gửi gói ký số"
    )
    p.add_argument("--office-uid", help="mã đơn vị ghi trong gói báo cáo (package)")
    p = add("receiving", cmd_receiving,
            "Tệp tiếp nhận chứa gói báo cáo của các đơn vị gửi gói ký số.", s)  # fmt: skip
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("file", nargs="?", help="tệp dữ liệu tiếp nhận (.sqlite)")
    p.add_argument("--clear", action="store_true", help="bỏ liên kết")
    p = add("due", cmd_due, "Hạn gửi báo cáo của cơ quan, đơn vị (riêng với hạn của đơn vị).", s)
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--period", help="mã kỳ: đặt hạn cho một kỳ")
    p.add_argument("--date", help="ngày hạn (dd/mm/yyyy), hạn chót là ngày này")
    p.add_argument("--clear", action="store_true", help="bỏ hạn riêng của kỳ")
    p.add_argument(
        "--frequency", choices=[f.value for f in Frequency], help="đặt cho mọi kỳ loại này"
    )
    p.add_argument("--day", type=int, help="ngày trong tháng (với --frequency)")
    p.add_argument(
        "--offset", type=int, default=0, help="số tháng sau tháng cuối kỳ (0: trong tháng)"
    )
    p.add_argument("--by", action="store_true", help="“chậm nhất ngày” (mặc định: “trước ngày”)")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p = add("forms", cmd_forms, "Lập biểu mẫu Excel cho từng cơ quan, đơn vị của kỳ.", s)
    _common(p)
    p.add_argument("--out", required=True, help="thư mục ghi biểu mẫu (có thể là ổ USB)")
    p.add_argument("--agency", help="chỉ lập cho cơ quan này")
    p.add_argument("--today", help=argparse.SUPPRESS)
    p = add("collect", cmd_collect, "Nhận biểu mẫu đã điền: kiểm tra, báo khác số liệu, ghi.", s)
    _common(p)
    p.add_argument("files", nargs="+", help="tệp .xlsx hoặc thư mục chứa các tệp")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.add_argument("--replace", action="store_true", help="thay số liệu đã có khi khác nhau")
    p.add_argument("--today", help="ngày nhận YYYY-MM-DD (mặc định: hôm nay)")
    p = add("status", cmd_status, "Cơ quan, đơn vị nào còn thiếu gì; lời nhắc để gửi.", s)
    _common(p)
    p.add_argument("--today", help="ngày tham chiếu YYYY-MM-DD (mặc định: hôm nay)")
    p.add_argument("--out", help="ghi danh sách để in (.xlsx)")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--period", required=True, help="mã kỳ: 2026-Q3, 2026-H1 …")
