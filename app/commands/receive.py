"""`python -m app receive …`: the receiving office's batch work from the command line.

`ingest` prints one line per package (status and reason) and exits 0 even
when some packages are refused — a refused package is a normal outcome the
officer reads about, not a failure of the command; it exits 2 only when the
folder or the data file cannot be used at all.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.errors import UserError
from ..models.receiving_samples import DEMO_PASSPHRASE
from .common import Add, lazy_module, usage

if TYPE_CHECKING:
    from ..operations import receive as ops
    from ..receiving import store as receiving_store
else:
    ops = lazy_module("app.operations.receive")
    receiving_store = lazy_module("app.receiving.store")

EXIT_UNUSABLE = 2


def _letterhead(args: argparse.Namespace) -> dict[str, object]:
    return {name: getattr(args, name, None) for name in (*ops.LETTERHEAD_FIELDS, "addressee")}


def cmd_receive_init(args: argparse.Namespace) -> int:
    name = ops.create_receiving_file(Path(args.db), args.office, _letterhead(args)).result
    print(f"Đã tạo tệp dữ liệu tiếp nhận, tổng hợp {args.db} cho {name}.")
    return 0


def cmd_receive_settings(args: argparse.Namespace) -> int:
    office = ops.save_letterhead(Path(args.db), _letterhead(args)).result
    shown = [
        ("Cơ quan chủ quản", office.parent_body), ("Cơ quan ban hành", office.issuing_body),
        ("Địa danh", office.place), ("Ký hiệu văn bản", office.doc_code),
        ("Người ký", office.signer_name), ("Chức vụ", office.signer_title),
        ("Thẩm quyền ký", office.signer_authority),
        ("Kính gửi", office.recipients[0] if office.recipients else None),
        ("Nơi nhận", "; ".join(office.recipients)), ("Thể thức", office.style.value),
    ]  # fmt: skip
    for label, value in shown:
        print(f"{label}: {(value or '(chưa có)').replace(chr(10), ' / ')}")
    return 0


def _add_letterhead_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--parent-body", help="cơ quan chủ quản: ỦY BAN NHÂN DÂN TỈNH THANH HÓA")
    p.add_argument("--issuing-body", help="cơ quan ban hành: SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    p.add_argument("--place", help="địa danh của dòng ngày tháng: Thanh Hóa")
    p.add_argument("--doc-code", help="ký hiệu của cơ quan trong số văn bản: SKHCN")
    p.add_argument("--signer-name", help="họ tên người ký")
    p.add_argument("--signer-title", help="chức vụ người ký: PHÓ GIÁM ĐỐC")
    p.add_argument("--signer-authority", help="thẩm quyền ký: KT. GIÁM ĐỐC (\\n ngắt dòng)")
    p.add_argument("--addressee", help="Kính gửi (đứng đầu Nơi nhận): Ủy ban nhân dân tỉnh")
    p.add_argument("--recipient", dest="recipients", action="append",
                   help="một dòng Nơi nhận (lặp lại; dòng cuối: Lưu: VT, …)")  # fmt: skip
    p.add_argument("--style", choices=["state", "party"], help="thể thức: state (NĐ 30), party")


def cmd_receive_office(args: argparse.Namespace) -> int:
    with receiving_store.Receiving.open(args.db) as receiving:
        office = ops.add_office(receiving, args.name, args.level, args.code).result
    print(f"Đơn vị báo cáo: {office.name} (mã {office.code or 'chưa có'}).")
    return 0


def _ask_fingerprints(files: list[Path]) -> list[str] | None:
    """On a terminal, each key's fingerprint typed as the office reads it over the phone."""
    if not sys.stdin.isatty():
        return None
    typed = []
    for whose, _fingerprint in ops.keys_to_confirm(files):
        try:
            typed.append(input(f"Mã khóa của {whose} (đọc qua điện thoại): "))
        except EOFError:
            raise UserError("Không đọc được mã khóa từ bàn phím.", "missing") from None
    return typed


def cmd_receive_trust(args: argparse.Namespace) -> int:
    files = [Path(k) for k in args.keys]
    fingerprints = args.fingerprint or _ask_fingerprints(files)
    with receiving_store.Receiving.open(args.db) as receiving:
        keys = ops.trust_keys(receiving, files, args.office, fingerprints).result
        for key in keys:
            via = f" (đổi khóa từ {key.rotated_from})" if key.rotated_from else ""
            owner = receiving.office(key.office_id).name if key.office_id else "chưa gắn đơn vị"
            print(f"Tin cậy khóa {key.fingerprint} — {owner}{via}")
    print(f"Đã tin cậy {len(keys)} khóa.")
    if fingerprints is None:
        print("Chưa đối chiếu mã khóa: hãy đọc mã khóa qua điện thoại với đơn vị (--fingerprint).")
    return 0


def cmd_receive_rebind(args: argparse.Namespace) -> int:
    with receiving_store.Receiving.open(args.db) as receiving:
        key = ops.rebind_key(receiving, args.fingerprint, args.office).result
    print(f"Khóa {key.fingerprint} từ nay là khóa của {args.office}.")
    return 0


def cmd_receive_untrust(args: argparse.Namespace) -> int:
    with receiving_store.Receiving.open(args.db) as receiving:
        key = ops.withdraw_trust(receiving, args.fingerprint).result
    print(f"Đã thôi tin cậy khóa {key.fingerprint}; gói ký bằng khóa này từ nay bị từ chối.")
    return 0


def cmd_receive_ingest(args: argparse.Namespace) -> int:
    try:
        report = ops.ingest_packages(Path(args.db), [Path(f) for f in args.folders]).result
    except UserError as exc:
        sys.stderr.write(f"Lỗi: {exc.message}\n")
        return EXIT_UNUSABLE
    for line in report.lines:
        print(line.text())
    print(report.summary())
    return 0


def cmd_receive_export(args: argparse.Namespace) -> int:
    if args.format != "xlsx":
        result = ops.export_open_data(
            Path(args.db), args.format, Path(args.out), args.period
        ).result
        counts = ", ".join(f"{name} {n}" for name, n in result.rows.items())
        what = "gói dữ liệu (Frictionless)" if args.format == "datapackage" else "tệp DHIS2"
        print(f"Đã ghi {what} {result.path}: {len(result.periods)} kỳ; {counts} dòng.")
        if result.skipped_periods:
            print("Bỏ qua (DHIS2 không có kỳ tương ứng): " + ", ".join(result.skipped_periods))
        return 0
    if not args.period:
        raise UserError("Cần --period khi xuất bảng tổng hợp Excel.")
    from .common import today_arg
    from .package import certificate_from_args

    pdf = Path(args.pdf) if args.pdf else None
    issuing = None
    signer, secret = certificate_from_args(args)
    org, org_secret = certificate_from_args(args, "org_", " của cơ quan")
    if args.issue or args.number or args.issue_date or signer or org:
        if pdf is None:
            raise UserError(
                "Cần --pdf để ban hành báo cáo tổng hợp (số, ngày, chữ ký số).", "usage"
            )
        issuing = ops.Issuing(
            issue_date=today_arg(args.issue_date), number=args.number,
            signer=signer.signer(secret) if signer else None,
            org_signer=org.signer(org_secret) if org else None,
        )  # fmt: skip
    files = ops.export_consolidation(
        Path(args.db), args.period, Path(args.out), pdf, issuing=issuing
    ).result
    print(f"Đã ghi bảng tổng hợp {args.out} ({files.reported}/{files.offices} đơn vị).")
    if pdf is not None:
        print(f"Đã ghi báo cáo tóm tắt {args.pdf}")
    if files.reference:
        print(f"Số văn bản: {files.reference}; chữ ký số: {files.signatures}")
    return 0


def cmd_receive_demo(args: argparse.Namespace) -> int:
    """Create the sample receiving file of a sample plan unless it exists (as `demo` does)."""
    from .common import today_arg

    path = Path(args.db)
    if path.exists():
        print(f"Tệp tiếp nhận mẫu đã có: {path}")
        return 0
    made = ops.create_sample_receiving_file(path, args.sample, today_arg(args.today)).result
    print(f"Đã tạo tệp tiếp nhận mẫu {path} của {made.receiver} (kế hoạch mẫu {args.sample}).")
    print(f"Đơn vị báo cáo (số liệu minh họa): {', '.join(made.offices)}; "
          f"kỳ đã nhận: {', '.join(made.periods)}.")  # fmt: skip
    for line in made.ingest.lines:
        print(f"  {line.text()}")
    print(f"Tệp dữ liệu, khóa ký (mật khẩu {DEMO_PASSPHRASE}) và gói báo cáo của các đơn vị "
          f"báo cáo: {made.folder}")  # fmt: skip
    print(
        f"Xem: python -m app receive status --db {path}; mở cửa sổ: python -m app gui --db {path}"
    )
    return 0


def cmd_receive_status(args: argparse.Namespace) -> int:
    matrix = ops.submission_matrix(Path(args.db), [args.period] if args.period else None)
    for pid in matrix.periods:
        counts = ", ".join(f"{s.label.lower()} {n}" for s, n in matrix.counts(pid).items())
        print(f"{pid}: {counts}")
        for office in matrix.offices:
            cell = matrix.cell(office.id, pid)
            print(f"  {office.name}: {cell.state.label}")
    return 0


def add_receive_commands(add: Add, sub: object) -> None:
    """Register `receive …` with the CLI's `add(name, func, help, parent)`."""
    receive: argparse.ArgumentParser = add("receive", lambda a: usage(receive), "Đơn vị tiếp nhận: nhận và tổng hợp gói báo cáo.")  # fmt: skip
    rsub = receive.add_subparsers(dest="receive_command", parser_class=type(receive))
    p = add("init", cmd_receive_init, "Tạo tệp dữ liệu của đơn vị tiếp nhận, tổng hợp.", rsub)
    p.add_argument("--db", required=True, help="tệp dữ liệu sẽ tạo")
    p.add_argument("--office", required=True, help="tên đơn vị tiếp nhận")
    _add_letterhead_options(p)
    p = add("settings", cmd_receive_settings, "Thể thức văn bản của đơn vị tiếp nhận (tiêu đề, người ký, nơi nhận).", rsub)  # fmt: skip
    p.add_argument("--db", required=True)
    _add_letterhead_options(p)
    p = add("office", cmd_receive_office, "Thêm đơn vị báo cáo vào danh sách.", rsub)
    p.add_argument("--db", required=True)
    p.add_argument("--name", required=True, help="tên đơn vị báo cáo")
    p.add_argument("--level", help="cấp: xã, phường, đặc khu …")
    p.add_argument("--code", help="mã đơn vị (để sắp xếp)")
    p = add("trust", cmd_receive_trust, "Tin cậy khóa công khai (và tuyên bố đổi khóa) của đơn vị.", rsub)  # fmt: skip
    p.add_argument("--db", required=True)
    p.add_argument("--office", help="tên đơn vị sở hữu khóa (khuyên dùng)")
    p.add_argument("--fingerprint", action="append", help="mã khóa đã đối chiếu qua điện thoại (mỗi khóa một lần)")  # fmt: skip
    p.add_argument("keys", nargs="+", help="tệp .office-key.json, .pub.pem, key-rotation-*.json hoặc thư mục")  # fmt: skip
    p = add("rebind", cmd_receive_rebind, "Gắn một khóa đã tin cậy cho đơn vị khác (nói rõ, có ghi nhật ký).", rsub)  # fmt: skip
    p.add_argument("--db", required=True)
    p.add_argument("--fingerprint", required=True, help="mã khóa")
    p.add_argument("--office", required=True, help="tên đơn vị báo cáo")
    p = add("untrust", cmd_receive_untrust, "Thôi tin cậy một khóa (có ghi nhật ký).", rsub)
    p.add_argument("--db", required=True)
    p.add_argument("--fingerprint", required=True, help="mã khóa")
    p = add("ingest", cmd_receive_ingest, "Nhận mọi gói báo cáo trong thư mục (kể cả thư mục con).", rsub)  # fmt: skip
    p.add_argument("--db", required=True)
    p.add_argument("folders", nargs="+", help="thư mục (USB, thư mục tải về) hoặc tệp .zip")
    p = add("export", cmd_receive_export, "Xuất bảng tổng hợp Excel (và báo cáo tóm tắt PDF), hoặc dữ liệu mở.", rsub)  # fmt: skip
    p.add_argument("--db", required=True)
    p.add_argument("--period", help="mã kỳ: 2026-Q1, 2026-H1 … (dữ liệu mở: bỏ trống là mọi kỳ)")
    p.add_argument("--format", choices=["xlsx", "datapackage", "dhis2"], default="xlsx",
                   help="xlsx: bảng tổng hợp; datapackage: gói dữ liệu Frictionless (CSV); "
                        "dhis2: dataValueSets JSON")  # fmt: skip
    p.add_argument(
        "--out", required=True, help="tệp .xlsx, thư mục (datapackage) hoặc tệp .json (dhis2)"
    )
    p.add_argument("--pdf", help="tệp .pdf tóm tắt sẽ ghi")
    p.add_argument("--issue", action="store_true", help="ban hành: cấp số từ sổ văn bản đi")
    p.add_argument("--number", type=int, help="số văn bản (mặc định: số tiếp theo của năm)")
    p.add_argument("--issue-date", help="ngày ban hành YYYY-MM-DD (mặc định: hôm nay)")
    for prefix, whose in (("", "người ký"), ("org-", "cơ quan (ký kèm dấu)")):
        group = p.add_mutually_exclusive_group()
        group.add_argument(f"--{prefix}p12", help=f"tệp chứng thư số .p12/.pfx của {whose}")
        group.add_argument(f"--{prefix}pkcs11", dest=f"{prefix.replace('-', '_')}pkcs11_lib",
                           help=f"thư viện PKCS#11 của thiết bị ký số của {whose}")  # fmt: skip
        p.add_argument(f"--{prefix}p12-passphrase-env", help="biến môi trường chứa mật khẩu .p12")
        p.add_argument(f"--{prefix}token-label", help="tên (label) của thiết bị ký số")
        p.add_argument(f"--{prefix}pin-env", help="biến môi trường chứa mã PIN thiết bị")
    p = add("demo", cmd_receive_demo, "Tạo tệp tiếp nhận mẫu: các xã gửi gói báo cáo của kế hoạch mẫu (số liệu minh họa).", rsub)  # fmt: skip
    p.add_argument("--db", required=True, help="tệp tiếp nhận sẽ tạo (thư mục <tên>-cac-don-vi bên cạnh)")  # fmt: skip
    p.add_argument("--sample", default="nga-nam", help="kế hoạch mẫu có tệp tiếp nhận (xem lệnh samples)")  # fmt: skip
    p.add_argument("--today", help="ngày xem YYYY-MM-DD (mặc định hôm nay): các kỳ kết thúc trước ngày này đã được gửi và nhận")  # fmt: skip
    p = add("status", cmd_receive_status, "In tình hình nộp báo cáo của các đơn vị.", rsub)
    p.add_argument("--db", required=True)
    p.add_argument("--period", help="chỉ một kỳ")
