"""Check a report package: safe to open, complete, unchanged, signed by a trusted office.

The file is read into memory once (refused first if it is larger than the
zip limit allows) and never extracted. Checks run from the outside in, and
the first failure is reported with a reason code and a Vietnamese message:
zip safety, bag structure, format version, Ed25519 signature, trust, tag
manifest, payload manifest, bag-info, data.json schema, and last the
canonical byte layout (which catches any byte the other checks do not read).
The PAdES signature of the report PDF, when there is one, is reported
alongside; a PDF whose signature is broken fails the package.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..models.errors import UserError
from . import format as fmt
from .canonical_zip import MAX_TOTAL_BYTES, ZipProblem, canonical_bytes, read_members
from .key_binding import KeyBinding, retired_after
from .pdf_signing import PdfSignatureStatus, pdf_signature_status
from .signing_keys import OfficeKey, fingerprint_of, load_public, raw_public

TrustedKey = bytes | OfficeKey | Ed25519PublicKey | Path
# Parsed JSON takes 10–50× its size in memory: bound both files before parsing them.
# package.json is read before the signature is checked; a real one is under 1 KB.
MAX_PACKAGE_JSON_BYTES = 64 * 1024
# data.json of the 52-indicator, 83-task Bỉm Sơn plan is 0.12 MB; 4 MB parses in < 100 MB.
MAX_DATA_JSON_BYTES = 4 * 1024 * 1024

MESSAGES = {
    "ok": "Gói báo cáo hợp lệ.",
    "not_found": "Không tìm thấy hoặc không đọc được tệp gói báo cáo",
    "not_zip": "Tệp không phải là gói báo cáo (không phải tệp nén .zip)",
    "corrupt_zip": "Tệp nén bị hỏng",
    "unsupported_zip": "Tệp nén dùng tính năng không được phép trong gói báo cáo",
    "too_many_members": "Tệp nén có quá nhiều tệp con (tối đa 10.000)",
    "too_large": "Tệp nén quá lớn khi giải nén (giới hạn 500 MB)",
    "zip_bomb": "Tệp nén có tỷ lệ nén bất thường (nghi là “bom nén”)",
    "unsafe_path": "Tệp nén chứa đường dẫn không an toàn",
    "symlink": "Tệp nén chứa liên kết tượng trưng (symlink)",
    "duplicate_name": "Tệp nén chứa hai tệp trùng tên",
    "not_bag": "Tệp nén không phải là một túi BagIt của gói báo cáo",
    "missing_bag_file": "Gói thiếu tệp bắt buộc",
    "missing_manifest": "Gói thiếu tệp danh mục mã băm",
    "missing_signature": "Gói thiếu tệp chữ ký signature.ed25519",
    "bad_package_json": "Tệp package.json của gói không đọc được",
    "unknown_format": "Gói không theo định dạng gói báo cáo Theo dõi NQ57",
    "unknown_version": "Gói có phiên bản định dạng mà ứng dụng này chưa hỗ trợ; hãy cập nhật ứng dụng",
    "signature_invalid": "Chữ ký của gói không hợp lệ: nội dung đã bị thay đổi sau khi ký",
    "untrusted_signer": "Gói được ký bằng khóa không có trong danh sách khóa tin cậy",
    "unexpected_file": "Gói có tệp không thuộc định dạng",
    "file_missing": "Gói thiếu tệp có trong danh mục",
    "unlisted_file": "Gói có tệp không nằm trong danh mục mã băm",
    "hash_mismatch": "Mã băm của tệp không khớp danh mục: tệp đã bị thay đổi",
    "size_mismatch": "Dung lượng dữ liệu không khớp Payload-Oxum trong bag-info.txt",
    "bag_info_mismatch": "Thông tin trong bag-info.txt không khớp package.json",
    "schema_invalid": "Tệp data/data.json không đúng lược đồ dữ liệu",
    "not_canonical": "Tệp nén đã bị sửa đổi (không đúng cấu trúc chuẩn của gói)",
    "pdf_signature_invalid": "Chữ ký số trên báo cáo PDF không hợp lệ",
    "bad_name": "Gói có tệp mang tên không được phép",
    "office_mismatch": "Khóa ký không phải khóa của đơn vị mà gói ghi tên",
    "unbound_key": "Khóa ký chưa được gắn với đơn vị nào nên không biết gói của đơn vị nào",
    "retired_key": "Gói được ký bằng khóa đã thay sau thời điểm đổi khóa",
    "internal_error": "Gói không kiểm tra được do lỗi của ứng dụng; gói bị từ chối",
}


@dataclass
class VerifyResult:
    ok: bool
    code: str
    message: str
    office_id: str | None = None
    office_name: str | None = None
    period_id: str | None = None
    sequence: int | None = None
    fingerprint: str | None = None
    data: dict[str, Any] | None = None
    pdf_signature: PdfSignatureStatus | None = None
    created_at: str | None = None
    public_key: bytes | None = None
    data_raw: bytes | None = None  # data.json as signed, when ok (the receiver stores these bytes)
    package: dict[str, Any] | None = None  # the checked package.json, when ok


class _Fail(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def verify_package(
    path: Path,
    trusted_keys: Sequence[TrustedKey],
    *,
    pdf_trust_roots: list[Any] | None = None,
    expected_name: str | None = None,
    bindings: Mapping[bytes, KeyBinding] | None = None,
    own_export: bool = False,
    trusted_raw: Set[bytes] = frozenset(),
    blob: bytes | None = None,
) -> VerifyResult:
    """Verify the package at `path` against the office keys the receiver trusts.

    `bindings` (raw public key → the office it speaks for, see key_binding)
    makes the check the receiving office's: the package's office id must be
    its key's office, and a key retired by a rotation signs nothing newer
    than the rotation. With bindings and several keys, an unbound key is
    refused: nothing says which office it speaks for. `own_export` is the
    export's re-check of the file it just wrote (pdf_signature_status's
    `own_revisions`).

    `trusted_raw` adds keys already as 32 raw bytes (a receiving office's thousands of keys,
    not decoded again per package); `blob` is the file's content when the caller has read
    it already (it hashed the file), so it is not read twice.
    """
    result = VerifyResult(False, "not_found", MESSAGES["not_found"])
    try:
        trusted: Set[bytes] = {raw_public(load_public(k)) for k in trusted_keys}
        if trusted_raw:  # not copied when it is all there is
            trusted = trusted_raw if not trusted else trusted | trusted_raw
        _verify(Path(path), trusted, result, pdf_trust_roots, expected_name, own_export, blob)
        if bindings is not None:
            _check_binding(result, trusted, bindings)
    except _Fail as fail:
        _refuse(result, fail.code, fail.detail)
    except UserError as exc:  # an unreadable trusted key
        result.ok, result.code, result.message = False, exc.code, exc.message
        result.data = result.data_raw = result.package = None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError,
            RecursionError, AssertionError) as exc:  # fmt: skip
        # Every field is checked before use; should one slip through, the package is
        # refused on its own and the others are still read (never "Lỗi không mong đợi").
        _refuse(result, "internal_error", type(exc).__name__)
    return result


def _refuse(result: VerifyResult, code: str, detail: str = "") -> None:
    result.ok, result.code = False, code
    result.message = f"{MESSAGES[code]}{': ' + detail if detail else ''}."
    result.data = result.data_raw = result.package = None


def _check_binding(
    result: VerifyResult, trusted: Set[bytes], bindings: Mapping[bytes, KeyBinding]
) -> None:
    if not result.ok or result.public_key is None:
        return
    binding = bindings.get(result.public_key)
    if binding is not None and binding.retired_at is not None and result.created_at is not None:
        if retired_after(binding.retired_at, result.created_at):
            raise _Fail(
                "retired_key",
                f"khóa {result.fingerprint} đã được thay lúc {binding.retired_at}, "
                f"gói lập lúc {result.created_at}",
            )
    if binding is None or binding.office_id is None:
        if len(trusted) > 1:
            raise _Fail(
                "unbound_key",
                f"mã khóa {result.fingerprint}; với nhiều khóa tin cậy, hãy dùng tệp khóa đơn vị "
                "(.office-key.json) để biết khóa nào của đơn vị nào",
            )
        return  # the one key the officer named
    if binding.office_id != result.office_id:
        raise _Fail(
            "office_mismatch",
            f"gói ghi mã đơn vị {result.office_id} ({result.office_name}) nhưng khóa "
            f"{result.fingerprint} là của {binding.office_name} (mã {binding.office_id})",
        )


def _verify(
    path: Path,
    trusted: Set[bytes],
    result: VerifyResult,
    roots: Any,
    expected: str | None,
    own_export: bool = False,
    blob: bytes | None = None,
) -> None:
    if blob is None:
        try:
            if path.stat().st_size > MAX_TOTAL_BYTES + (16 << 20):
                raise _Fail("too_large")
            blob = path.read_bytes()
        except OSError as exc:
            raise _Fail("not_found", f"{path} ({exc.strerror})") from None
    elif len(blob) > MAX_TOTAL_BYTES + (16 << 20):
        raise _Fail("too_large")
    try:
        members = read_members(blob)
    except ZipProblem as problem:
        raise _Fail(problem.code, problem.detail) from None

    tops = {m.name.split("/", 1)[0] for m in members}
    if len(tops) != 1 or any("/" not in m.name for m in members):
        raise _Fail("not_bag", "cần đúng một thư mục gốc")
    top = tops.pop()
    if expected is not None and top != expected:
        raise _Fail("not_bag", f"thư mục gốc '{top}' khác tên gói '{expected}'")
    files = {m.name[len(top) + 1 :]: m.data for m in members}
    for inner in sorted(files):
        if why := fmt.member_name_problem(inner):
            raise _Fail("bad_name", why)
    _require(files)
    if bytes(files[fmt.BAGIT]) != fmt.BAGIT_TXT:
        raise _Fail("not_bag", "bagit.txt không đúng BagIt 1.0, UTF-8")

    package = _package_json(files[fmt.PACKAGE_JSON])
    result.office_id, result.office_name = package["office_id"], package["office_name"]
    result.period_id, result.sequence = package["period_id"], package["sequence"]
    result.fingerprint = package["key_fingerprint"]
    result.created_at = package["created_at"]
    named = fmt.package_name(package["office_name"], package["period_id"], package["sequence"])
    if top != named:
        raise _Fail("not_bag", f"thư mục gốc '{top}' phải là '{named}'")

    key = package["_key"]
    signature = bytes(files[fmt.SIGNATURE])
    try:
        if len(signature) != 64:
            raise InvalidSignature
        key.verify(signature, bytes(files[fmt.TAGMANIFEST]))
    except InvalidSignature:
        raise _Fail("signature_invalid") from None
    result.public_key = raw_public(key)
    if result.public_key not in trusted:
        raise _Fail("untrusted_signer", f"mã khóa {result.fingerprint}")

    tagmanifest = fmt.parse_manifest(bytes(files[fmt.TAGMANIFEST]))
    if tagmanifest is None or set(tagmanifest) != set(fmt.TAG_FILES):
        raise _Fail("missing_manifest", "tagmanifest-sha256.txt không liệt kê đúng các tệp thẻ")
    _check_hashes(tagmanifest, files)
    extra = [p for p in files if not p.startswith("data/") and p not in fmt.ALL_TAG_FILES]
    if extra:
        raise _Fail("unexpected_file", extra[0])

    manifest = fmt.parse_manifest(bytes(files[fmt.MANIFEST]))
    if manifest is None:
        raise _Fail("missing_manifest", "manifest-sha256.txt sai cú pháp")
    payload = {p for p in files if p.startswith("data/")}
    if missing := sorted(set(manifest) - payload):
        raise _Fail("file_missing", missing[0])
    if unlisted := sorted(payload - set(manifest)):
        raise _Fail("unlisted_file", unlisted[0])
    _check_hashes(manifest, files)
    for required in (fmt.REPORT_PDF, fmt.REPORT_XLSX, fmt.DATA_JSON):
        if required not in payload:
            raise _Fail("missing_bag_file", required)

    _check_bag_info(files, payload, package)
    data = _data_json(files, package)

    if canonical_bytes({m.name: bytes(m.data) for m in members}) != blob:
        raise _Fail("not_canonical")

    status = pdf_signature_status(bytes(files[fmt.REPORT_PDF]), roots, own_revisions=own_export)
    result.pdf_signature = status
    if status is not None and not (status.valid and status.whole_file):
        raise _Fail("pdf_signature_invalid", status.signer)
    result.ok, result.code, result.data = True, "ok", data
    result.data_raw = bytes(files[fmt.DATA_JSON])
    result.package = {k: v for k, v in package.items() if k != "_key"}
    result.message = (
        f"Gói báo cáo hợp lệ: {result.office_name}, kỳ {package.get('period_label') or ''} "
        f"({result.period_id}), lần gửi {result.sequence}; mã khóa ký {result.fingerprint}."
    )
    if status is not None:
        result.message += " " + status.message


def _require(files: dict[str, memoryview]) -> None:
    for name, code in (
        (fmt.BAGIT, "missing_bag_file"),
        (fmt.BAG_INFO, "missing_bag_file"),
        (fmt.PACKAGE_JSON, "missing_bag_file"),
        (fmt.MANIFEST, "missing_manifest"),
        (fmt.TAGMANIFEST, "missing_manifest"),
        (fmt.SIGNATURE, "missing_signature"),
    ):
        if name not in files:
            raise _Fail(code, name)


def _package_json(raw: memoryview) -> dict[str, Any]:
    if len(raw) > MAX_PACKAGE_JSON_BYTES:
        raise _Fail("bad_package_json", f"tệp quá lớn ({len(raw):,} byte)".replace(",", "."))
    try:
        package = fmt.strict_loads(bytes(raw))  # deep nesting, NaN, 10^30: unsigned input
    except fmt.JsonProblem as bad:
        raise _Fail("bad_package_json", str(bad)) from None
    if not isinstance(package, dict) or package.get("format") != fmt.FORMAT:
        raise _Fail("unknown_format")
    if package.get("version") != fmt.VERSION:
        raise _Fail("unknown_version", f"phiên bản {package.get('version')!r}"[:80])
    if where := fmt.package_schema_problem(package):
        raise _Fail("bad_package_json", where)
    for field in ("sequence", "corrects"):  # 2.0 is an integer to JSON Schema, not to us
        if field in package and not isinstance(package[field], int):
            raise _Fail("bad_package_json", f"{field}: sai kiểu dữ liệu (phải là số nguyên)")
    try:
        key = Ed25519PublicKey.from_public_bytes(
            base64.b64decode(package["public_key"], validate=True)
        )
    except (ValueError, TypeError):
        raise _Fail("bad_package_json", "khóa công khai không đọc được") from None
    if (
        package.get("key_algorithm") != "Ed25519"
        or fingerprint_of(key) != package["key_fingerprint"]
    ):
        raise _Fail("bad_package_json", "mã khóa không khớp khóa công khai")
    package["_key"] = key
    return package


def _check_hashes(manifest: dict[str, str], files: dict[str, memoryview]) -> None:
    for name, digest in sorted(manifest.items()):
        if name not in files:
            raise _Fail("file_missing", name)
        if fmt.sha256_hex(files[name]) != digest:
            raise _Fail("hash_mismatch", name)


def _check_bag_info(files: dict[str, memoryview], payload: set[str], package: dict) -> None:
    info = fmt.parse_bag_info(bytes(files[fmt.BAG_INFO]))
    if info is None:
        raise _Fail("bag_info_mismatch", "bag-info.txt sai cú pháp")
    octets = sum(len(files[p]) for p in payload)
    if info.get("Payload-Oxum") != f"{octets}.{len(payload)}":
        raise _Fail("size_mismatch", f"{info.get('Payload-Oxum')} ≠ {octets}.{len(payload)}")
    ident = f"{package['office_id']}/{package['period_id']}/{package['sequence']}"
    if info.get("External-Identifier") != ident:
        raise _Fail("bag_info_mismatch", "External-Identifier")


def _data_json(files: dict[str, memoryview], package: dict) -> dict[str, Any]:
    size = len(files[fmt.DATA_JSON])
    if size > MAX_DATA_JSON_BYTES:
        raise _Fail(
            "schema_invalid",
            f"tệp quá lớn ({size / 1024 / 1024:.1f} MB; tối đa "
            f"{MAX_DATA_JSON_BYTES // 1024 // 1024} MB)".replace(".", ","),
        )
    try:
        data = fmt.strict_loads(bytes(files[fmt.DATA_JSON]))
    except fmt.JsonProblem as bad:
        raise _Fail("schema_invalid", str(bad)) from None
    if problem := fmt.schema_problem(data):
        raise _Fail("schema_invalid", problem)
    if data["period"]["id"] != package["period_id"]:
        raise _Fail("schema_invalid", "kỳ báo cáo khác package.json")
    for item in data["attachments"]:
        content = files.get(item["path"])
        if content is None or fmt.sha256_hex(content) != item["sha256"]:
            raise _Fail("schema_invalid", f"tệp minh chứng {item['path']} không khớp")
    return data
