"""`python -m app key …`, `report export` and `package verify`: keys and signed packages.

Secrets never appear on the command line (where other users and shell
history could see them): each comes from the environment variable named by
an option, or is asked for on the terminal without echo.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..models.bounded_read import read_bounded
from ..models.errors import UserError
from .common import Add, lazy_module, period_arg, read_secret, today_arg, usage

if TYPE_CHECKING:
    from ..operations import package as ops
    from ..packages import key_binding, pdf_signing, signing_keys
else:
    ops = lazy_module("app.operations.package")
    key_binding = lazy_module("app.packages.key_binding")
    pdf_signing = lazy_module("app.packages.pdf_signing")
    signing_keys = lazy_module("app.packages.signing_keys")


def cmd_key_generate(args: argparse.Namespace) -> int:
    secret = read_secret(args.passphrase_env, "Mật khẩu bảo vệ khóa ký mới: ", confirm=True)
    key = ops.create_key(Path(args.out), secret).result
    print(
        f"Đã tạo khóa ký {args.out}; khóa công khai: {signing_keys.public_path_for(Path(args.out))}"
    )
    print(f"Mã khóa (fingerprint): {key.fingerprint}")
    return 0


def cmd_key_export_public(args: argparse.Namespace) -> int:
    secret = read_secret(args.passphrase_env, "Mật khẩu khóa ký: ")
    db = Path(args.db) if args.db else None
    out = ops.export_public_key(Path(args.key), Path(args.out), secret, db).result
    if db is None:
        print(f"Đã ghi khóa công khai vào {out}")
        print(
            f"Mã khóa (fingerprint): {signing_keys.fingerprint_of(signing_keys.load_public(out))}"
        )
        return 0
    binding = key_binding.read_office_key(out)
    print(f"Đã ghi tệp khóa đơn vị {out} ({binding.office_name}, mã đơn vị {binding.office_id})")
    print(f"Mã khóa (fingerprint): {binding.fingerprint}")
    print("Gửi tệp này cho đơn vị tiếp nhận và đọc mã khóa qua điện thoại để họ đối chiếu.")
    return 0


def cmd_key_fingerprint(args: argparse.Namespace) -> int:
    print(signing_keys.fingerprint_of(signing_keys.load_public(Path(args.file))))
    return 0


def certificate_from_args(
    args: argparse.Namespace, prefix: str = "", whose: str = ""
) -> tuple[ops.PdfCertificate | None, str | None]:
    """The certificate named by the options `--{prefix}p12` or `--{prefix}pkcs11-lib`."""
    p12, lib = getattr(args, f"{prefix}p12"), getattr(args, f"{prefix}pkcs11_lib")
    if p12:
        secret = read_secret(
            getattr(args, f"{prefix}p12_passphrase_env"),
            f"Mật khẩu tệp chứng thư số{whose} (.p12): ",
        )
        return ops.PdfCertificate(ops.CertificateKind.PKCS12, path=Path(p12)), secret
    if lib:
        label = getattr(args, f"{prefix}token_label")
        if not label:
            option = f"--{prefix.replace('_', '-')}token-label"
            raise UserError(f"Cần {option} khi ký bằng thiết bị PKCS#11.", "usage")
        pin = read_secret(getattr(args, f"{prefix}pin_env"), f"Mã PIN thiết bị ký số{whose}: ")
        certificate = ops.PdfCertificate(ops.CertificateKind.PKCS11, library=lib, token_label=label)
        return certificate, pin
    return None, None


def cmd_report_export(args: argparse.Namespace) -> int:
    passphrase = read_secret(args.passphrase_env, "Mật khẩu khóa ký: ")
    certificate, secret = certificate_from_args(args)
    org, org_secret = certificate_from_args(args, "org_", " của cơ quan")
    if args.issue_date and args.today and args.issue_date != args.today:
        raise UserError("--issue-date và --today khác nhau; chỉ cần --issue-date.", "usage")
    when = args.issue_date or args.today
    result = ops.export_package(
        Path(args.db), period_arg(args.db, args.period), Path(args.out),
        key_path=Path(args.key), passphrase=passphrase, certificate=certificate,
        certificate_secret=secret, org_certificate=org, org_certificate_secret=org_secret,
        today=today_arg(when) if when else None, number=args.number,
        allow_incomplete=args.allow_incomplete,
    ).result  # fmt: skip
    for note in result.notes:
        print(note)
    print(result.path)
    if result.issued is not None:
        print(f"Số văn bản: {result.issued.reference}, ngày {result.issued.issued_on:%d/%m/%Y}")
    print(f"Chữ ký số trên báo cáo PDF: {result.signatures}")
    print(f"Mã khóa (fingerprint): {result.fingerprint}")
    print(f"SHA-256 của gói: {result.sha256}")
    made = datetime.now(pdf_signing.VIETNAM).date()
    if result.issued is not None and result.issued.issued_on != made:
        print(f"Lưu ý: ngày ban hành {result.issued.issued_on:%d/%m/%Y} khác ngày lập gói "
              f"{made:%d/%m/%Y}; package.json ghi cả hai (document.issued_on, created_at).")  # fmt: skip
    return 0


def cmd_report_images(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if args.signature:
        ops.set_signing_image(db, "signature", Path(args.signature))
        print(f"Đã lưu ảnh chữ ký {Path(args.signature).name} vào tệp dữ liệu.")
    if args.seal:
        ops.set_signing_image(db, "seal", Path(args.seal), args.seal_mm)
        print(f"Đã lưu ảnh con dấu {Path(args.seal).name} ({args.seal_mm:g} mm) vào tệp dữ liệu.")
    if not args.signature and not args.seal:
        raise UserError("Cần --signature hoặc --seal (tệp ảnh PNG nền trong suốt).", "usage")
    return 0


def cmd_package_verify(args: argparse.Namespace) -> int:
    roots = [_load_cert(Path(p)) for p in args.trust_ca or []]
    result = ops.verify(Path(args.file), [Path(p) for p in args.trust or []], roots)
    if result.ok:
        print(result.message)
        return 0
    sys.stderr.write(f"{result.code}: {result.message}\n")
    return 1


def _load_cert(path: Path) -> object:
    from cryptography import x509

    try:
        data = read_bounded(path, 1024 * 1024, "Tệp chứng thư số")
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except (OSError, ValueError):
        raise UserError(f"Không đọc được chứng thư số '{path}'.", "bad_cert") from None


def add_key_and_package_commands(add: Add, sub: object) -> None:
    """Register `key …` and `package verify` with the CLI's `add(name, func, help, parent)`."""
    key: argparse.ArgumentParser = add(
        "key", lambda a: usage(key), "Khóa ký gói báo cáo của đơn vị."
    )
    key_sub = key.add_subparsers(dest="key_command", parser_class=type(key))
    p = add(
        "generate", cmd_key_generate, "Tạo khóa ký mới (Ed25519, mã hóa bằng mật khẩu).", key_sub
    )
    p.add_argument("--out", required=True, help="tệp khóa bí mật sẽ tạo (.pem)")
    p.add_argument("--passphrase-env", help="tên biến môi trường chứa mật khẩu")
    p = add("export-public", cmd_key_export_public, "Xuất khóa công khai để gửi cấp trên.", key_sub)
    p.add_argument("--key", required=True, help="tệp khóa bí mật")
    p.add_argument("--out", required=True, help="tệp khóa công khai sẽ ghi (.pub.pem hoặc .office-key.json)")  # fmt: skip
    p.add_argument("--db", help="tệp dữ liệu của đơn vị: ghi kèm mã và tên đơn vị (tệp khóa đơn vị)")  # fmt: skip
    p.add_argument("--passphrase-env", help="tên biến môi trường chứa mật khẩu")
    p = add("fingerprint", cmd_key_fingerprint, "In mã (fingerprint) của khóa công khai.", key_sub)
    p.add_argument("file", help="tệp khóa công khai (.pub.pem)")

    package: argparse.ArgumentParser = add(
        "package", lambda a: usage(package), "Gói báo cáo đã ký."
    )
    package_sub = package.add_subparsers(dest="package_command", parser_class=type(package))
    p = add("verify", cmd_package_verify, "Kiểm tra gói báo cáo (nguyên vẹn, đúng đơn vị ký).", package_sub)  # fmt: skip
    p.add_argument("file", help="tệp gói .zip")
    p.add_argument(
        "--trust",
        action="append",
        help="tệp khóa đơn vị (.office-key.json), khóa công khai hoặc thư mục khóa",
    )
    p.add_argument("--trust-ca", action="append", help="chứng thư gốc (CA) tin cậy cho chữ ký PDF")


def add_report_export_command(add: Add, report_sub: object) -> None:
    """`report export`: the signed package of a period, written into a folder."""
    p = add("export", cmd_report_export, "Xuất gói báo cáo đã ký (PDF, Excel, số liệu, minh chứng).", report_sub)  # fmt: skip
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--period", required=True, help="mã kỳ: 2026-Q1, 2026-H1 …")
    p.add_argument("--out", required=True, help="thư mục sẽ ghi gói báo cáo")
    p.add_argument("--key", required=True, help="tệp khóa ký của đơn vị")
    p.add_argument("--passphrase-env", help="tên biến môi trường chứa mật khẩu khóa ký")
    for prefix, whose in (("", "người ký"), ("org-", "cơ quan (ký kèm dấu)")):
        group = p.add_mutually_exclusive_group()
        group.add_argument(f"--{prefix}p12", help=f"tệp chứng thư số .p12/.pfx của {whose}")
        group.add_argument(
            f"--{prefix}pkcs11", f"--{prefix}pkcs11-lib", dest=f"{prefix.replace('-', '_')}pkcs11_lib",
            help=f"thư viện PKCS#11 của thiết bị ký số (USB token) của {whose}",
        )  # fmt: skip
        p.add_argument(f"--{prefix}p12-passphrase-env", help="tên biến môi trường chứa mật khẩu tệp .p12")  # fmt: skip
        p.add_argument(f"--{prefix}token-label", help="tên (label) của thiết bị ký số")
        p.add_argument(f"--{prefix}pin-env", help="tên biến môi trường chứa mã PIN thiết bị")
    p.add_argument(
        "--number", type=int,
        help="số văn bản (mặc định: số tiếp theo trong sổ văn bản đi của năm)",
    )  # fmt: skip
    p.add_argument("--issue-date", help="ngày ban hành YYYY-MM-DD (mặc định: hôm nay)")
    p.add_argument("--today", help=argparse.SUPPRESS)  # the earlier name of --issue-date
    p.add_argument(
        "--allow-incomplete", action="store_true",
        help="xuất cả khi kỳ đang mở còn lỗi số liệu hoặc cảnh báo chưa giải trình (ghi rõ trong package.json)",
    )  # fmt: skip


def add_report_images_command(add: Add, report_sub: object) -> None:
    """`report images`: the signature and seal images the PDF signatures show."""
    p = add("images", cmd_report_images, "Lưu ảnh chữ ký (xanh) và ảnh con dấu (đỏ), PNG nền trong suốt, vào tệp dữ liệu.", report_sub)  # fmt: skip
    p.add_argument("--db", required=True, help="tệp dữ liệu")
    p.add_argument("--signature", help="ảnh chữ ký của người ký (.png nền trong suốt)")
    p.add_argument("--seal", help="ảnh con dấu của cơ quan (.png nền trong suốt)")
    p.add_argument("--seal-mm", type=float, default=35.0, help="đường kính thật của con dấu (mm)")
