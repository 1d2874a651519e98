"""Builder of the receiver's hostile corpus: signed packages that lie about who, when or what.

Plain helpers (no tests here), used by tests/test_receiver_trust.py. Every
case starts from a genuine package of office 0 or 1 (test_receiving_fixtures)
and changes package.json, data.json or the member names, then rebuilds the
manifests, bag-info and top folder so that every check before the one under
test passes, and signs it again with the key the attacker holds. A case is
(name, family, file bytes, expected reason code, expected message).
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.packages import format as fmt
from app.packages.signing_keys import OfficeKey, _statement_bytes, generate_key
from app.receiving.store import Receiving

from .test_package_fixtures import bag_files, resign, rezip
from .test_receiving_fixtures import (
    ICT,
    ON_TIME,
    PASSPHRASE,
    export,
    make_office,
    office_key_file,
    office_name,
)

DELETE = object()  # a value meaning "remove this member"
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ICT)  # the receiver's clock
A, B = office_name(0), office_name(1)  # "Phường Quang Trung", "Xã Bắc Sơn"


@dataclass(frozen=True)
class Case:
    name: str
    family: str
    blob: bytes
    code: str
    message: str  # the whole reason, or its start when it ends with "…"


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if value is DELETE:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def forge(
    genuine: Path,
    key: OfficeKey,
    *,
    package: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    package_raw: Callable[[bytes], bytes] | None = None,
    data_raw: Callable[[bytes], bytes] | None = None,
    extra_members: dict[str, bytes] | None = None,
) -> bytes:
    """A re-signed package: `genuine` with the changes, consistent everywhere else."""
    _top, files = bag_files(genuine)
    pkg = json.loads(files[fmt.PACKAGE_JSON])
    pkg["public_key"] = base64.b64encode(key.public_raw).decode("ascii")
    pkg["key_fingerprint"] = key.fingerprint
    _merge(pkg, package or {})
    content = json.loads(files[fmt.DATA_JSON])
    if isinstance(pkg.get("period_id"), str):
        content["period"]["id"] = pkg["period_id"]
    _merge(content, data or {})
    files[fmt.DATA_JSON] = fmt.dumps(content)
    if data_raw is not None:
        files[fmt.DATA_JSON] = data_raw(files[fmt.DATA_JSON])
    files[fmt.PACKAGE_JSON] = fmt.dumps(pkg)
    if package_raw is not None:
        files[fmt.PACKAGE_JSON] = package_raw(files[fmt.PACKAGE_JSON])
    files.update(extra_members or {})
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    info = fmt.parse_bag_info(files[fmt.BAG_INFO]) or {}
    ident = f"{pkg.get('office_id')}/{pkg.get('period_id')}/{pkg.get('sequence')}"
    info.update({
        "External-Identifier": ident,
        "Payload-Oxum": f"{sum(len(d) for d in payload.values())}.{len(payload)}",
        "Theodoi57-Office-Id": str(pkg.get("office_id")),
        "Theodoi57-Period": str(pkg.get("period_id")),
        "Theodoi57-Sequence": str(pkg.get("sequence")),
        "Theodoi57-Key-Fingerprint": key.fingerprint,
    })  # fmt: skip
    files[fmt.BAG_INFO] = fmt.bag_info_text(list(info.items()))
    resign(files, key)
    try:
        top = fmt.package_name(str(pkg["office_name"]), str(pkg["period_id"]), pkg["sequence"])
    except (KeyError, TypeError):
        top = _top
    if all(fmt.member_name_problem(p) is None for p in files):
        return rezip(top, files)
    return stored_zip({f"{top}/{p}": d for p, d in files.items()})


def stored_zip(members: dict[str, bytes]) -> bytes:
    """An ordinary zip, members stored (what a tool writes for names the canonical form forbids)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name in sorted(members):
            zf.writestr(name, members[name])
    return buffer.getvalue()


def build_world(root: Path) -> dict:
    """Offices 0 and 1 (data files, keys, key files, a genuine package each), a receiving
    file trusting both by their key files, and the hostile cases made from them."""
    offices = root / "offices"
    offices.mkdir()
    out: dict = {"root": root, "offices": offices}
    for i, tag in ((0, "a"), (1, "b")):
        store, key = make_office(offices, i)
        with store:
            out[f"uid_{tag}"] = store.packages.office_uid()
            out[f"pkg_{tag}"] = export(store, key, root / "genuine" / tag, ON_TIME)
        out[f"key_{tag}"] = key
    template = root / "template.sqlite"
    with Receiving.create(template, "Sở Khoa học và Công nghệ") as receiving:
        receiving.trust_files([office_key_file(offices, 0), office_key_file(offices, 1)])
    out["template"] = template
    out["cases"] = hostile_cases(out)
    return out


def hostile_cases(w: dict) -> list[Case]:  # noqa: PLR0915 - one table of cases
    """The corpus: (name, family, bytes, reason code, exact message) per case."""
    ka, kb, pa = w["key_a"], w["key_b"], w["pkg_a"]
    ua = w["uid_a"]
    cases: list[Case] = []

    def add(name: str, family: str, blob: bytes, code: str, message: str) -> None:
        cases.append(Case(name, family, blob, code, message))

    # -- 1. binding: office 1's key speaking for office 0 -----------------------------------
    squat = f"Khóa ký đã đăng ký cho {B} nhưng gói mang mã của một đơn vị khác"
    add("b-key-claims-a", "binding", forge(pa, kb), "office_mismatch",
        f"{squat} ({A}, mã {ua}).")  # fmt: skip
    add("b-key-a-id-b-name", "binding", forge(pa, kb, package={"office_name": B}),
        "office_mismatch", f"{squat} ({B}, mã {ua}).")  # fmt: skip
    add("b-key-new-id", "binding", forge(pa, kb, package={"office_id": "ffff-0000"}),
        "office_mismatch", f"{squat} ({A}, mã ffff-0000).")  # fmt: skip
    stranger = generate_key(w["root"] / "stranger.pem", PASSPHRASE)
    add("stranger-key", "binding", forge(pa, stranger), "untrusted_signer",
        f"Gói được ký bằng khóa không có trong danh sách khóa tin cậy: mã khóa "
        f"{stranger.fingerprint}.")  # fmt: skip

    # -- 2. rotation: office 0 rotated on 20/03/2026; its old key signs on 25/03 -------------
    add("retired-key-after-rotation", "rotation",
        forge(pa, ka, package={"created_at": "2026-03-25T09:00:00+07:00", "sequence": 2}),
        "retired_key",
        f"Khóa ký {ka.fingerprint} đã được thay bằng khóa mới lúc 2026-03-20T08:00:00+07:00 "
        "(tuyên bố đổi khóa), nhưng gói lập lúc 2026-03-25T09:00:00+07:00 vẫn ký bằng khóa cũ.",
    )  # fmt: skip

    # -- 3. time and sequence ------------------------------------------------------------------
    def period(pid: str, start: str, end: str, due: str) -> bytes:
        return forge(pa, ka, package={"period_id": pid, "period_label": pid},
                     data={"period": {"id": pid, "start": start, "end": end, "due": due}})  # fmt: skip

    not_yet = "chưa đến lúc báo cáo (hôm nay 01/12/2026): chưa nhận báo cáo của kỳ chưa kết thúc."
    add("future-2027-q1", "time", period("2027-Q1", "2027-01-01", "2027-03-31", "2027-03-19"),
        "period_not_ended", f"Kỳ 2027-Q1 (01/01/2027–31/03/2027, hạn nộp 19/03/2027) {not_yet}")  # fmt: skip
    add("future-2099-q1", "time", period("2099-Q1", "2099-01-01", "2099-03-31", "2099-03-19"),
        "period_not_ended", f"Kỳ 2099-Q1 (01/01/2099–31/03/2099, hạn nộp 19/03/2099) {not_yet}")  # fmt: skip
    add("running-2026-q4", "time", period("2026-Q4", "2026-10-01", "2026-12-31", "2026-12-19"),
        "period_not_ended", f"Kỳ 2026-Q4 (01/10/2026–31/12/2026, hạn nộp 19/12/2026) {not_yet}")  # fmt: skip
    add("monthly-not-in-plan", "time", period("2026-M03", "2026-03-01", "2026-03-31", "2026-04-05"),
        "outside_plan", "Kế hoạch của đơn vị không có kỳ báo cáo loại của kỳ 2026-M03.")  # fmt: skip
    add("start-after-end", "time", period("2026-Q1", "2026-03-31", "2026-01-01", "2026-03-19"),
        "bad_period", "Kỳ 2026-Q1 trong gói có ngày bắt đầu, kết thúc không hợp lệ.")  # fmt: skip
    add("due-before-start", "time", period("2026-Q1", "2026-01-01", "2026-03-31", "2025-12-01"),
        "bad_period", "Hạn nộp báo cáo kỳ 2026-Q1 trong gói không hợp lệ.")  # fmt: skip
    add("created-2031", "time", forge(pa, ka, package={"created_at": "2031-01-05T08:00:00+07:00"}),
        "created_in_future",
        "Gói ghi lập lúc 05/01/2031 08:00, muộn hơn giờ của máy tiếp nhận (01/12/2026 10:00) "
        "quá 24 giờ cho phép: đồng hồ máy của đơn vị sai.")  # fmt: skip
    add("created-1999", "time", forge(pa, ka, package={"created_at": "1999-06-01T08:00:00+07:00"}),
        "created_before_period",
        "Gói ghi lập lúc 01/06/1999 08:00, trước ngày bắt đầu kỳ 2026-Q1 (01/01/2026): đồng hồ "
        "máy của đơn vị sai hoặc gói bị làm giả.")  # fmt: skip
    add("corrects-9-seq-3", "sequence",
        forge(pa, ka, package={"sequence": 3, "kind": "correction", "corrects": 9}),
        "bad_correction", "Gói lần gửi 3 ghi là điều chỉnh lần gửi 9: bản được điều chỉnh phải "
        "có số lần gửi nhỏ hơn.")  # fmt: skip
    add("corrects-itself", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "correction", "corrects": 2}),
        "bad_correction", "Gói lần gửi 2 ghi là điều chỉnh lần gửi 2: bản được điều chỉnh phải "
        "có số lần gửi nhỏ hơn.")  # fmt: skip
    add("correction-names-none", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "correction", "corrects": DELETE}),
        "bad_correction", "Gói bổ sung, điều chỉnh không ghi nó điều chỉnh lần gửi nào.")  # fmt: skip
    add("original-with-corrects", "sequence",
        forge(pa, ka, package={"sequence": 2, "kind": "original", "corrects": 1}),
        "bad_correction", "Gói lần gửi 2 là báo cáo lần đầu nhưng lại ghi điều chỉnh lần gửi 1.")  # fmt: skip

    # -- 4. names (signed manifests that list them) --------------------------------------------
    bad = "Gói có tệp mang tên không được phép: "
    for label, member, why in (
        ("accent", "data/attachments/biên-bản.pdf", "tên có chữ có dấu hoặc ký tự ngoài bảng chữ ASCII"),
        ("space", "data/attachments/bien ban.pdf", "tên có khoảng trắng"),
        ("plus", "data/attachments/a+b.pdf", "tên tệp không đúng quy ước đặt tên của gói (ký tự không được phép: +)"),
        ("colon-stream", "data/report.pdf:Zone.Identifier", "tên có dấu hai chấm (luồng dữ liệu ẩn của Windows)"),
        ("rtl-override", "data/attachments/hoa-don\u202efdp.exe", "tên có ký tự đảo chiều chữ (có thể che giấu đuôi tệp thật)"),
        ("reserved-con", "data/attachments/CON", "tên dành riêng cho thiết bị trên Windows (CON)"),
        ("reserved-nul-pdf", "data/attachments/nul.pdf", "tên dành riêng cho thiết bị trên Windows (nul)"),
        ("reserved-com1", "data/COM1.txt", "tên dành riêng cho thiết bị trên Windows (COM1)"),
        ("upper-case-attachment", "data/attachments/BienBan.pdf", "tên tệp không đúng quy ước đặt tên của gói (ký tự không được phép: B)"),
        ("two-dots", "data/attachments/a.pdf.exe", "tên tệp không đúng quy ước đặt tên của gói"),
    ):  # fmt: skip
        shown = member.replace("\u202e", "\\u202e")
        add(f"name-{label}", "names", forge(pa, ka, extra_members={member: b"%PDF-1.4 x"}),
            "bad_name", f"{bad}'{shown}': {why}.")  # fmt: skip

    # -- 5/10. strict data, fields checked before use -------------------------------------------
    def value(raw: str) -> bytes:
        return forge(pa, ka, data_raw=lambda b: b.replace(b'"value": ', b'"value": ' + raw.encode() + b', "x": ', 1))  # fmt: skip

    schema = "Tệp data/data.json không đúng lược đồ dữ liệu: "
    add("value-nan", "strict", value("NaN"), "schema_invalid", f"{schema}giá trị NaN không phải là số hữu hạn.")  # fmt: skip
    add("value-infinity", "strict", value("Infinity"), "schema_invalid", f"{schema}giá trị Infinity không phải là số hữu hạn.")  # fmt: skip
    add("value-minus-infinity", "strict", value("-Infinity"), "schema_invalid", f"{schema}giá trị -Infinity không phải là số hữu hạn.")  # fmt: skip
    add("value-1e400", "strict", value("1e400"), "schema_invalid", f"{schema}số 1e400 vượt giới hạn.")  # fmt: skip
    add("value-10-pow-30", "strict", value("1" + "0" * 30), "schema_invalid", f"{schema}số nguyên 1000000000000000000000000000000 vượt giới hạn.")  # fmt: skip
    add("missing-due", "strict", forge(pa, ka, data={"period": {"due": DELETE}}), "schema_invalid",
        f"{schema}period: thiếu trường due.")  # fmt: skip
    add("due-null", "strict", forge(pa, ka, data={"period": {"due": None}}), "schema_invalid",
        f"{schema}period.due: sai kiểu dữ liệu.")  # fmt: skip
    bad_pkg = "Tệp package.json của gói không đọc được: "
    add("sequence-2-pow-63", "strict", forge(pa, ka, package={"sequence": 2**63}), "bad_package_json",
        f"{bad_pkg}số nguyên 9223372036854775808 vượt giới hạn.")  # fmt: skip
    add("sequence-10-pow-30", "strict", forge(pa, ka, package={"sequence": 10**30}), "bad_package_json",
        f"{bad_pkg}số nguyên 1000000000000000000000000000000 vượt giới hạn.")  # fmt: skip
    add("sequence-zero", "strict", forge(pa, ka, package={"sequence": 0}), "bad_package_json",
        f"{bad_pkg}sequence: nhỏ hơn giới hạn cho phép.")  # fmt: skip
    add("sequence-float", "strict", forge(pa, ka, package={"sequence": 2.0}), "bad_package_json",
        f"{bad_pkg}sequence: sai kiểu dữ liệu (phải là số nguyên).")  # fmt: skip
    add("sequence-nan", "strict",
        forge(pa, ka, package_raw=lambda b: b.replace(b'"sequence": 1', b'"sequence": NaN')),
        "bad_package_json", f"{bad_pkg}giá trị NaN không phải là số hữu hạn.")  # fmt: skip
    key64 = base64.b64encode(ka.public_raw).decode()
    add("public-key-newline", "strict", forge(pa, ka, package={"public_key": key64 + "\n"}),
        "bad_package_json", f"{bad_pkg}public_key: sai dạng.")  # fmt: skip
    add("public-key-spaces", "strict", forge(pa, ka, package={"public_key": " " + key64[:20] + " " + key64[20:]}),
        "bad_package_json", f"{bad_pkg}public_key: sai dạng.")  # fmt: skip
    add("created-at-number", "strict", forge(pa, ka, package={"created_at": 20260318}),
        "bad_package_json", f"{bad_pkg}created_at: sai kiểu dữ liệu.")  # fmt: skip
    add("created-at-no-offset", "strict", forge(pa, ka, package={"created_at": "2026-03-18 09:30"}),
        "bad_package_json", f"{bad_pkg}created_at: sai dạng.")  # fmt: skip
    add("office-name-rtl", "strict", forge(pa, ka, package={"office_name": "Ph\u202eường"}),
        "bad_package_json", f"{bad_pkg}office_name: sai dạng.")  # fmt: skip
    add("kind-unknown", "strict", forge(pa, ka, package={"kind": "replacement"}),
        "bad_package_json", f"{bad_pkg}kind: giá trị không được phép.")  # fmt: skip
    add("completeness-huge", "strict",
        forge(pa, ka, package={"completeness": {"indicators_total": 10**12}}),
        "bad_package_json", f"{bad_pkg}completeness.indicators_total: lớn hơn giới hạn cho phép.")  # fmt: skip
    add("office-id-empty", "strict", forge(pa, ka, package={"office_id": ""}),
        "bad_package_json", f"{bad_pkg}office_id: sai dạng.")  # fmt: skip
    return cases


def rotation_statement(world: dict, folder: Path) -> Path:
    """A rotation statement of office 0, dated 20/03/2026 08:00, signed by its old key."""
    new = generate_key(folder / "new.pem", PASSPHRASE)
    old = world["key_a"]
    statement = {
        "format": "theodoi57/key-rotation", "version": 1,
        "old_fingerprint": old.fingerprint,
        "old_public_key": base64.b64encode(old.public_raw).decode(),
        "new_fingerprint": new.fingerprint,
        "new_public_key": base64.b64encode(new.public_raw).decode(),
        "rotated_at": "2026-03-20T08:00:00+07:00",
    }  # fmt: skip
    statement["signature"] = base64.b64encode(old.sign(_statement_bytes(statement))).decode()
    path = folder / "key-rotation.json"
    path.write_text(json.dumps(statement), encoding="utf-8")
    return path
