"""Build the hostile-input corpus: every file an attacker or a broken USB stick could bring.

    .venv/bin/python tests/data/hostile/make_hostile.py OUT_FOLDER

Nothing is written by hand: the cases are generated here, at test time,
into a temporary folder (several are tens of megabytes). `build(folder)`
returns the cases as `Case(name, kind, path, code, message)`: `kind` says
which reader gets the file (package, workbook, plan_json, rotation), `code`
the UserError/verifier reason expected and `message` a part of its
Vietnamese text. The signed cases are signed with a test key made here
(its public key is `folder/test-key.pub.pem`), so the verifier's checks
reach data.json.
"""

from __future__ import annotations

import io
import json
import stat
import sys
import zipfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "mật khẩu kiểm thử"
TOP = "BC_xa-thu-nghiem_2026-Q1_1"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # package | workbook | plan_json | rotation
    path: str
    code: str
    message: str


def _zip(
    entries: list[tuple[str | zipfile.ZipInfo, bytes]], method: int = zipfile.ZIP_STORED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buffer.getvalue()


def _signed_package(folder: Path) -> tuple[dict[str, bytes], object]:
    """A real package of the Bỉm Sơn sample (test key) as name -> bytes, and the key."""
    from app.models.samples import fill_demo, load_sample
    from app.models.store import Store
    from app.packages.canonical_zip import read_members
    from app.packages.export import export_package
    from app.packages.signing_keys import generate_key

    work = folder / "work"
    work.mkdir(exist_ok=True)
    key = generate_key(folder / "test-key.pem", PASSPHRASE)
    plan = load_sample("bim-son")
    plan.office.name = "Xã Thử Nghiệm"
    with Store.create(work / "office.sqlite", plan.office, plan) as store:
        fill_demo(store, date(2026, 4, 10))
        result = export_package(store, "2026-Q1", work, key, today=date(2026, 4, 10))
    members = {m.name: bytes(m.data) for m in read_members(result.path.read_bytes())}
    (folder / "valid.zip").write_bytes(result.path.read_bytes())
    for path in sorted(work.iterdir()):
        path.unlink()
    work.rmdir()
    return members, key


def resign(members: dict[str, bytes], key: object, replace: dict[str, bytes]) -> bytes:
    """The package with some payload files replaced, re-hashed and re-signed: a well-formed,
    validly signed package whose content is hostile."""
    from app.packages import format as fmt
    from app.packages.canonical_zip import canonical_bytes

    top = next(iter(members)).split("/", 1)[0]
    files = {name.split("/", 1)[1]: data for name, data in members.items()}
    files.update(replace)
    payload = {p: d for p, d in files.items() if p.startswith("data/")}
    files[fmt.MANIFEST] = fmt.manifest_text(payload)
    info = fmt.parse_bag_info(files[fmt.BAG_INFO]) or {}
    info["Payload-Oxum"] = f"{sum(map(len, payload.values()))}.{len(payload)}"
    files[fmt.BAG_INFO] = fmt.bag_info_text(list(info.items()))
    files[fmt.TAGMANIFEST] = fmt.manifest_text({t: files[t] for t in fmt.TAG_FILES})
    files[fmt.SIGNATURE] = key.sign(files[fmt.TAGMANIFEST])  # type: ignore[attr-defined]
    return canonical_bytes({f"{top}/{p}": d for p, d in files.items()})


def _bag_files(package_json: bytes) -> list[tuple[str, bytes]]:
    from app.packages import format as fmt

    return [
        (f"{TOP}/{fmt.BAGIT}", fmt.BAGIT_TXT),
        (f"{TOP}/{fmt.BAG_INFO}", b"Source-Organization: X\n"),
        (f"{TOP}/{fmt.MANIFEST}", b""),
        (f"{TOP}/{fmt.PACKAGE_JSON}", package_json),
        (f"{TOP}/{fmt.TAGMANIFEST}", b""),
        (f"{TOP}/{fmt.SIGNATURE}", bytes(64)),
    ]


def _package_cases(folder: Path) -> list[Case]:
    from app.packages.canonical_zip import canonical_bytes

    members, key = _signed_package(folder)
    valid = (folder / "valid.zip").read_bytes()
    data = json.loads(members[f"{TOP}/data/data.json"])
    cases: list[tuple[str, bytes, str, str]] = []

    def add(name: str, blob: bytes, code: str, message: str) -> None:
        cases.append((name, blob, code, message))

    add("zip-slip.zip", _zip([(f"{TOP}/bagit.txt", b"x"), ("../../evil.txt", b"evil")]),
        "unsafe_path", "không an toàn")  # fmt: skip
    add("absolute-path.zip", _zip([(f"{TOP}/bagit.txt", b"x"), ("/tmp/theodoi57-evil.txt", b"e")]),
        "unsafe_path", "đường dẫn tuyệt đối")  # fmt: skip
    link = zipfile.ZipInfo(f"{TOP}/data/report.pdf")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    add("symlink.zip", _zip([(link, b"/etc/passwd")]), "symlink", "liên kết tượng trưng")
    add("zip-bomb.zip", _zip([(f"{TOP}/data/report.pdf", bytes(60 << 20))], zipfile.ZIP_DEFLATED),
        "zip_bomb", "bom nén")  # fmt: skip
    many = canonical_bytes({f"{TOP}/data/f{i:05d}": b"" for i in range(20_000)})
    add("many-members.zip", many, "too_many_members", "quá nhiều tệp con")
    add("truncated.zip", valid[: len(valid) // 2], "corrupt_zip", "Tệp nén bị hỏng")
    add("pdf-renamed.zip", b"%PDF-1.7\n" + bytes(1000), "not_zip", "không phải là gói báo cáo")
    add("empty.zip", b"", "not_zip", "không phải là gói báo cáo")
    nested = b"[" * 30_000 + b"]" * 30_000  # 60 KB, under the size limit, 30× the recursion limit
    add("package-json-deep.zip", _zip(_bag_files(nested)), "bad_package_json", "không đọc được")
    wide = b"[" + b"{}," * 3_000_000 + b"{}]"  # 9 MB of empty objects: gigabytes once parsed
    add("package-json-huge.zip", _zip(_bag_files(wide)), "bad_package_json", "quá lớn")
    wrong = dict(json.loads(members[f"{TOP}/package.json"]), sequence="1")
    add("package-json-wrong-types.zip", _zip(_bag_files(json.dumps(wrong).encode())),
        "bad_package_json", "sai kiểu dữ liệu")  # fmt: skip

    def signed(name: str, content: bytes, code: str, message: str) -> None:
        add(name, resign(members, key, {"data/data.json": content}), code, message)

    million = dict(
        data, values=[{"indicator_id": 1, "code": "1", "value": i} for i in range(10**6)]
    )
    signed("data-json-million-values.zip", json.dumps(million).encode(), "schema_invalid",
           "quá lớn")  # fmt: skip
    signed("data-json-wrong-types.zip", json.dumps(dict(data, values="nhiều")).encode(),
           "schema_invalid", "values: sai kiểu dữ liệu")  # fmt: skip
    signed("data-json-deep.zip", b"[" * 100_000 + b"]" * 100_000, "schema_invalid", "lồng nhau")
    signed("data-json-not-utf8.zip", "{\"a\": \"Bỉm Sơn\"}".encode("utf-16"), "schema_invalid",
           "không phải JSON UTF-8")  # fmt: skip
    out = []
    for name, blob, code, message in cases:
        (folder / name).write_bytes(blob)
        out.append(Case(name, "package", str(folder / name), code, message))
    return out


def _workbook_cases(folder: Path) -> list[Case]:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["STT", "Nội dung chỉ tiêu", "Đơn vị tính", "Năm 2030"])
    wb.active.append(["1", "Tỷ lệ phủ sóng 5G", "%", "100%"])
    buffer = io.BytesIO()
    wb.save(buffer)
    good = buffer.getvalue()
    parts = {}
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        for info in zf.infolist():
            parts[info.filename] = zf.read(info)

    def with_parts(extra: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
        return _zip(list({**parts, **extra}.items()), method)

    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode() for i in range(1, 10)
        ).replace(b"&lol0;", b"&lol;")
        + b']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )
    cases = [
        ("xml-bomb.xlsx", with_parts({"xl/sharedStrings.xml": laughs}), "unsafe", "khai báo XML"),
        (
            "zip-bomb.xlsx",
            with_parts({"xl/media/image1.png": bytes(80 << 20)}),
            "too_large",
            "nén bất thường",
        ),  # fmt: skip
        (
            "many-parts.xlsx",
            with_parts({f"xl/media/i{i}.png": b"" for i in range(3000)}),
            "too_large",
            "thành phần bên trong",
        ),  # fmt: skip
        ("truncated.xlsx", good[: len(good) // 2], "corrupt", "bị hỏng"),
        ("pdf-renamed.xlsx", b"%PDF-1.4\n" + bytes(500), "file_type", "là tệp PDF"),
        (
            "zip-renamed.xlsx",
            _zip([("readme.txt", b"hello")]),
            "file_type",
            "không phải là bảng tính Excel",
        ),  # fmt: skip
        ("html-renamed.xlsx", b"<html><body>Excel</body></html>", "file_type", "trang web"),
        (
            "ole-renamed.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "file_type",
            "Excel 97–2003",
        ),  # fmt: skip
        ("empty.xlsx", b"", "file_type", "rỗng"),
        ("corrupt-deflate.xlsx", _corrupt_deflate(good), "corrupt", "bị hỏng"),
        # A declared dimension is neither trusted nor feared: cells are counted while
        # reading (tests/hostile_workbooks.py holds the sheets that really are huge).
        ("huge-dimension.xlsx", _huge_dimension(parts), "ok", ""),
    ]
    link = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'r:id="rId1"/></externalLink>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLinkPath" Target="file:///C:/Users/evil/secret.xlsx" '
        b'TargetMode="External"/></Relationships>'
    )
    # Links are never followed: the workbook is read from its stored values, with a warning.
    cases.append(("external-link.xlsx", with_parts({"xl/externalLinks/externalLink1.xml": link,
                  "xl/externalLinks/_rels/externalLink1.xml.rels": rels}),
                  "warning", "liên kết tới tệp khác"))  # fmt: skip
    out = []
    for name, blob, code, message in cases:
        (folder / name).write_bytes(blob)
        out.append(Case(name, "workbook", str(folder / name), code, message))
    return out


def _corrupt_deflate(good: bytes) -> bytes:
    """The workbook with garbage in the middle of a compressed XML part (bad sector, bad copy)."""
    blob = bytearray(good)
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        info = zf.getinfo("xl/workbook.xml")
    name_len, extra_len = (
        int.from_bytes(blob[info.header_offset + 26 : info.header_offset + 28], "little"),
        int.from_bytes(blob[info.header_offset + 28 : info.header_offset + 30], "little"),
    )
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 2, start + min(info.compress_size - 2, 40)):
        blob[i] ^= 0x5A
    return bytes(blob)


def _huge_dimension(parts: dict[str, bytes]) -> bytes:
    sheet = parts["xl/worksheets/sheet1.xml"]
    start = sheet.index(b"<dimension")
    end = sheet.index(b"/>", start) + 2
    big = sheet[:start] + b'<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    return _zip(list({**parts, "xl/worksheets/sheet1.xml": big}.items()), zipfile.ZIP_DEFLATED)


def _json_cases(folder: Path) -> list[Case]:
    from app.models.plan_json import plan_to_json
    from app.models.samples import load_sample

    plan = plan_to_json(load_sample("bim-son"))
    bad_kind = json.loads(json.dumps(plan))
    bad_kind["indicator_groups"][0]["indicators"][2]["kind"] = 7
    cases = [
        ("plan-wrong-kind.json", bad_kind, "plan_json", "indicator_groups[0].indicators[2].kind"),
        (
            "plan-groups-string.json",
            dict(plan, indicator_groups="nhiều"),
            "plan_json",
            "indicator_groups",
        ),  # fmt: skip
        ("plan-list.json", [plan], "plan_json", "đối tượng"),
    ]
    out = []
    for name, value, code, message in cases:
        (folder / name).write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        out.append(Case(name, "plan_json", str(folder / name), code, message))
    deep = folder / "key-rotation-deep.json"
    deep.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    # 400 KB: refused from its size before a byte is parsed
    out.append(Case(deep.name, "rotation", str(deep), "too_large", "quá lớn (giới hạn 64 KB)"))
    return out


def build(folder: Path) -> list[Case]:
    """Write every case into `folder` (created) and return them."""
    folder.mkdir(parents=True, exist_ok=True)
    return _package_cases(folder) + _workbook_cases(folder) + _json_cases(folder)


if __name__ == "__main__":
    cases = build(Path(sys.argv[1]))
    print(json.dumps([asdict(c) for c in cases], ensure_ascii=False, indent=1))
